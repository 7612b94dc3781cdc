"""SQLite's and the operating system's errors, as ``StoreError``s a user can act on.

Every store error carries a ``reason_key`` (``store.<reason>``, worded in ``store.toml``)
with the values its message needs. An SQLite error that is not damage (busy, read-only,
disk full, I/O) becomes the reason that says nothing was saved and how to fix it, so that
no ``sqlite3`` error reaches the caller. Kept apart from ``_schema`` (what the file holds)
and ``_location`` (where it lives), which both raise through :func:`error`.
"""

from __future__ import annotations

import errno
import sqlite3
from pathlib import Path
from typing import Any

from .errors import StoreError

__all__ = ["error", "sqlite_error", "retryable", "OS_REASONS"]


def error(cls: type[StoreError], path: Path, reason: str, **values: Any) -> StoreError:
    """A store error whose ``reason`` is the message ``store.<reason>`` (``store.toml``)."""
    return cls(path=str(path), reason_key=f"store.{reason}",
               reason_values={k: str(v) for k, v in values.items()})


#: SQLite's primary result codes (``sqlite_errorcode & 0xff``) that are not damage, and the
#: ``store.toml`` reason each becomes. SQLITE_LOCKED comes from a lock inside this process.
_SQLITE_REASONS = {5: "busy", 6: "busy", 8: "read_only", 10: "io_error", 13: "disk_full"}
#: The same by message, for Pythons before 3.11 (no ``sqlite_errorcode``).
_SQLITE_TEXTS = (("database is locked", "busy"), ("is busy", "busy"),
                 ("readonly database", "read_only"), ("disk is full", "disk_full"),
                 ("disk i/o error", "io_error"))
#: ``errno`` values of an ``OSError`` and the ``store.toml`` reason each becomes.
OS_REASONS = {errno.EROFS: "read_only", errno.EACCES: "read_only", errno.EPERM: "read_only",
              errno.ENOSPC: "disk_full", errno.EDQUOT: "disk_full"}


def sqlite_error(path: Path, exc: sqlite3.Error, busy_timeout: float) -> StoreError:
    """The ``StoreError`` for an SQLite error that is not damage (busy, read-only, full …).

    Each says that nothing was saved and how to fix it; whatever else SQLite reports keeps
    its own text (``store.sqlite_error``).
    """
    # Imported here: ``_location`` raises through this module's ``error``.
    from ._location import writable

    code = getattr(exc, "sqlite_errorcode", None)
    if isinstance(code, int):
        reason = _SQLITE_REASONS.get(code & 0xFF, "sqlite_error")
    else:
        text = str(exc).lower()
        reason = next((r for needle, r in _SQLITE_TEXTS if needle in text), "sqlite_error")
    if reason == "sqlite_error" and "unable to open" in str(exc) and not writable(path):
        reason = "read_only"  # a WAL store in a read-only folder cannot even be read
    return error(StoreError, path, reason, error=exc, seconds=f"{busy_timeout:g}",
                 folder=path.parent)


def retryable(error: BaseException) -> bool:
    """True for a ``StoreError`` that a later try may get past: another process held the
    write lock (``store.busy``). Read-only, full disks and damage need a person to act."""
    return isinstance(error, StoreError) and getattr(error, "reason_key", "") == "store.busy"
