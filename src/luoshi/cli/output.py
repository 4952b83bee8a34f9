"""Where a command's result goes: standard output, or a file written whole or not at all.

A file is written into a temporary file beside the target and renamed into place, so an
interrupted or failed command never leaves a half-written file or clobbers the old one. Every
command that writes a file says so in the same line on stderr: `已写入 written: FILE (12 KB)`.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from luoshi.errors import LuoshiError


def write_whole_with(path: Path, write: Callable[[Path], object]) -> None:
    """Let `write` fill a temporary file beside `path`, then rename it into place."""
    target = Path(path).resolve()
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
        os.close(fd)
    except OSError as exc:
        raise LuoshiError(f"无法写入 cannot write ({exc.strerror})", where=str(path)) from None
    try:
        write(Path(tmp))
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes the file private; give it the usual mode
        os.replace(tmp, target)
    except OSError as exc:
        raise LuoshiError(f"无法写入 cannot write ({exc.strerror})", where=str(path)) from None
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def write_whole(path: Path, data: bytes) -> None:
    """Write `data` to `path` whole or not at all."""
    write_whole_with(path, lambda tmp: tmp.write_bytes(data))


def emit(out: Path | None, data: bytes) -> None:
    """Standard output when `out` is None, else the file `out` (written whole) and a note."""
    if out is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    emit_with(out, lambda tmp: tmp.write_bytes(data))


def emit_with(out: Path, write: Callable[[Path], object]) -> None:
    """Let `write` fill the file `out` (written whole), then say it was written and its size."""
    write_whole_with(out, write)
    size = Path(out).stat().st_size
    shown = f"{size} B" if size < 1024 else f"{(size + 1023) // 1024} KB"
    print(f"已写入 written: {out} ({shown})", file=sys.stderr)
