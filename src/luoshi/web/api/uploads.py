"""Uploaded files: size-limited, kept in a temporary file with the original suffix."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from fastapi import UploadFile

from luoshi.errors import Invalid
from luoshi.settings import Settings

CHUNK = 1 << 20


async def read_upload(upload: UploadFile, settings: Settings) -> bytes:
    """The bytes of an upload; Invalid when it is empty or larger than MAX_UPLOAD_MB."""
    limit = settings.max_upload_mb << 20
    data = bytearray()
    while chunk := await upload.read(CHUNK):
        data.extend(chunk)
        if len(data) > limit:
            raise Invalid(f"{upload.filename}: 文件超过 {settings.max_upload_mb} MB file too large")
    if not data:
        raise Invalid(f"{upload.filename}: 文件为空 the file is empty")
    return bytes(data)


@contextmanager
def as_file(name: str | None, data: bytes) -> Iterator[Path]:
    """`data` in a temporary file named like the upload (readers go by the suffix)."""
    safe = Path(name or "upload").name or "upload"
    with tempfile.TemporaryDirectory(prefix="luoshi-upload-") as tmp:
        path = Path(tmp) / safe
        path.write_bytes(data)
        yield path
