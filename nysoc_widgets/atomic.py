"""Writing a whole file or nothing: a temp file in the same folder, fsync, ``os.replace``,
then fsync the folder.

An interrupted write (a full disk, a crash, a failing rename) leaves the previous file as
it was and no temp file behind. Used by the shared summaries (``sharing.py``), the
documents (``export_files``, ``report``) and data exports (``portability``); no imports
beyond the standard library.
"""

from __future__ import annotations

import os
import tempfile
from contextlib import suppress
from pathlib import Path

__all__ = ["write_atomic"]


def write_atomic(path: str | os.PathLike[str], data: str | bytes, *,
                 mode: int = 0o600) -> Path:
    """Write ``data`` (text as UTF-8) to ``path`` with permissions ``mode``, atomically.

    The temp file is hidden (``.NAME.xxxx.tmp``) beside ``path``, so the rename never
    crosses file systems. Syncing the folder is best effort: not every OS or network file
    system can open or sync a folder.
    """
    target = Path(path)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            if hasattr(os, "fchmod"):
                os.fchmod(handle.fileno(), mode)  # whatever the umask
            handle.write(raw)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        with suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    try:  # make the rename itself durable
        folder = os.open(target.parent, os.O_RDONLY)
    except OSError:
        return target
    try:
        os.fsync(folder)
    except OSError:
        pass
    finally:
        os.close(folder)
    return target
