"""Uploaded files: size-limited, kept in a temporary file with the original suffix."""

from __future__ import annotations

import dataclasses
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from fastapi import UploadFile

from luoshi.errors import Invalid, LuoshiError, TableError
from luoshi.settings import Settings

CHUNK = 1 << 20


def upload_name(name: str | None) -> str:
    """The file name of an upload as the user named it, without any folder a client sent."""
    return Path((name or "").replace("\\", "/")).name or "upload"


async def read_upload(upload: UploadFile, settings: Settings) -> bytes:
    """The bytes of an upload; Invalid when it is empty or larger than MAX_UPLOAD_MB."""
    name = upload_name(upload.filename)
    limit = settings.max_upload_mb << 20
    data = bytearray()
    while chunk := await upload.read(CHUNK):
        data.extend(chunk)
        if len(data) > limit:
            raise Invalid(f"{name}: 文件超过 {settings.max_upload_mb} MB file too large")
    if not data:
        raise Invalid(f"{name}: 文件为空 the file is empty")
    return bytes(data)


@contextmanager
def as_file(name: str | None, data: bytes) -> Iterator[Path]:
    """`data` in a temporary file named like the upload (readers go by the suffix).

    An error raised inside names the upload as the user named it, never the temporary path.
    """
    safe = upload_name(name)
    with tempfile.TemporaryDirectory(prefix="luoshi-upload-") as tmp:
        path = Path(tmp) / safe
        path.write_bytes(data)
        try:
            yield path
        except LuoshiError as exc:
            _name_the_upload(exc, path, safe)
            raise


def _name_the_upload(exc: LuoshiError, path: Path, name: str) -> None:
    """Replace the temporary path (and its folder) with the upload's name in `exc`, in place."""
    folder = path.parent
    spellings = sorted({str(p) for p in (path, path.resolve())}, key=len, reverse=True)
    folders = sorted({str(p) for p in (folder, folder.resolve())}, key=len, reverse=True)

    def scrub(text: str) -> str:
        for spelling in spellings:
            text = text.replace(spelling, name)
        for spelling in folders:
            text = text.replace(spelling + "/", "").replace(spelling, "")
        return text

    if isinstance(exc, TableError):
        exc.errors = [
            dataclasses.replace(p, file=scrub(p.file), message=scrub(p.message)) for p in exc.errors
        ]
    exc.message = scrub(exc.message)
    if exc.where is not None:
        exc.where = scrub(exc.where)
    exc.args = tuple(scrub(a) if isinstance(a, str) else a for a in exc.args)
