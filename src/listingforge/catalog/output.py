"""Writing a file the user asked for: whole or not at all, and a failure they can act on in one line.

Every output goes to a temporary file beside its target and is renamed over it only once complete, so a
full disk or a killed process never leaves a half-written file under the user's name. Operating-system
errors (a read-only or missing folder, a full disk, a file open in another program) become ``OutputError``
naming the file and what to do; the CLI prints that line and exits with status 2.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..errors import OutputError

_TMP = ".lf-tmp"


def output_error(exc: OSError, path: str | Path, what: str = "write", *, whole: bool = True) -> OutputError:
    """``exc`` as one line a user can act on (``whole``: the write was all-or-nothing, so say nothing was
    left there)."""
    code = exc.errno
    if code in (errno.EACCES, errno.EPERM):
        why = "permission denied (a read-only folder, or the file is open in another program such as Excel?)"
    elif code == errno.EROFS:
        why = "the folder is on a read-only file system"
    elif code in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        why = "no space left on the disk (or over quota): free some space or write to another disk"
    elif code in (errno.ENOTDIR, errno.EEXIST):  # EEXIST: mkdir found a file where a folder should be
        why = "a part of the folder path is a file, not a folder"
    elif code == errno.EISDIR:
        why = "that is a folder: give a file name"
    elif code == errno.ENOENT:
        why = "the folder does not exist and could not be created"
    elif code == errno.ENAMETOOLONG:
        why = "the file name is too long"
    elif code in (errno.EBUSY, errno.ETXTBSY):
        why = "the file is in use by another program"
    else:
        why = exc.strerror or str(exc)
    return OutputError(f"cannot {what} {path}: {why}" + (". Nothing was written there" if whole else ""))


@contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """A temporary path beside ``path`` for the caller to write; renamed over ``path`` when the block ends
    without an error, removed otherwise. Folders are created as needed; OSError becomes OutputError."""
    path = Path(path)
    tmp = _new_file_beside(path, path.suffix)  # the real extension last: openpyxl, pyarrow go by it
    try:
        yield tmp
        os.replace(tmp, path)
    except OSError as exc:
        raise output_error(exc, path) from exc
    finally:
        _remove(tmp)


def check_writable(*paths: str | Path | None) -> None:
    """Fail now, before any work, when an output cannot be written: each folder is tried with a real file
    (permission bits do not stop root, a read-only mount or a full disk does)."""
    for p in paths:
        if p is not None:
            _remove(_new_file_beside(Path(p), "", b"\n"))


def _new_file_beside(path: Path, suffix: str, data: bytes = b"") -> Path:
    """A new file next to ``path`` holding ``data`` (folders made as needed), created under the user's umask
    like any file they write; an OutputError naming ``path`` when that cannot be done."""
    if path.is_dir():
        raise OutputError(f"cannot write {path}: that is a folder; give a file name")
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}{_TMP}{suffix}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(tmp, "xb") as fh:
            fh.write(data)
    except OSError as exc:
        _remove(tmp)
        raise output_error(exc, path) from exc
    return tmp


def _remove(path: Path) -> None:
    with contextlib.suppress(OSError):  # e.g. its folder path holds a file: then it was never made
        path.unlink(missing_ok=True)
