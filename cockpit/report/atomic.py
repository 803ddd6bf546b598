"""A report file written whole or not at all: into a temporary file beside it, then moved onto it.

A failed write (a full disk, a folder that went away, a reportlab error) leaves no half file where the
user looks, and the old file, if there was one, as it was.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from models.errors import UserError


def temporary_beside(out: Path) -> Path:
    """An empty temporary file in ``out``'s folder, to be moved onto ``out`` once it is whole."""
    folder = out.parent if str(out.parent) else Path(".")
    if not folder.is_dir():
        raise UserError(
            f"cannot write the report to {out}: the folder {folder} does not exist; choose another --out"
        )
    try:
        fd, name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".part", dir=folder)
    except OSError as exc:
        raise UserError(
            f"cannot write the report to {out}: {exc.strerror or exc}; choose a folder you can write to"
        ) from None
    os.close(fd)
    return Path(name)


def write_atomically(out: Path, write: Callable[[Path], None], *, what: str = "the report") -> Path:
    """``write(tmp)`` into a temporary file beside ``out``, then move it onto ``out``; on any failure the
    temporary file goes and ``out`` is untouched (an OSError is one readable line)."""
    tmp = temporary_beside(out)
    try:
        write(tmp)
        os.replace(tmp, out)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise UserError(
            f"cannot write {what} to {out}: {exc.strerror or exc}; choose a folder you can write to"
        ) from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return out
