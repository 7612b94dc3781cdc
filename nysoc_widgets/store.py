"""The durable store: pairings, records with every earlier version, drafts, template copies.

One SQLite file behind one context-managed class::

    with Store.open(workspace / "nysoc.db", create=True) as store:
        saved = store.save_record(record, template)

Nothing acknowledged is lost: every write is one ``BEGIN IMMEDIATE`` transaction
(:meth:`Store.transaction`) committed with ``synchronous=FULL`` in WAL mode, so a crash,
a kernel restart or several processes writing at once keep every save that returned.
A new store is built in a temporary file and linked into place, so a half-made store is
never seen. A file that is not a nysoc store, is damaged, or was written by a newer nysoc
is refused before anything writes to it. Deleting erases: ``secure_delete`` zeroes the
freed bytes and a ``TRUNCATE`` checkpoint empties the ``-wal`` file.

A write that cannot go through raises ``StoreError`` and leaves the store as it was (the
record, its versions and its draft untouched); its ``reason_key`` says why: ``store.busy``
(another process held the write lock longer than the busy timeout: worth retrying, see
:func:`retryable`), ``store.read_only``, ``store.disk_full``, ``store.io_error``. No
``sqlite3`` error reaches the caller, and a save that returned is committed.

A store on a network filesystem (NFS, SMB/CIFS, sshfs …), where SQLite's locking is not
reliable, is refused when opened (``store.network_fs``); the environment variable
``NYSOC_ALLOW_NETWORK_FS=1`` allows it anyway.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import _location, _rows, _schema, _store_errors
from ._rows import not_found as _not_found
from ._store_errors import error as _error
from ._store_errors import retryable
from .errors import PairingExistsError, StoreCorruptError, StoreError, StoreNotFoundError
from .records import Pairing, Record, RecordVersion, now, records_to_frame
from .templates import Template, template_from_json

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Store", "Draft", "DraftKey", "BUSY_TIMEOUT", "retryable"]

#: Seconds a write waits for another process's transaction before giving up (the default
#: of ``Store.open(busy_timeout=...)``).
BUSY_TIMEOUT = 10.0


@dataclass(frozen=True)
class DraftKey:
    """Which form a draft belongs to; ``record_id`` is ``""`` while the record is new."""

    pairing: str
    template_id: str
    record_id: str
    author_role: str


@dataclass(frozen=True)
class Draft:
    """Answers autosaved while typing, not yet saved as a record."""

    key: DraftKey
    values: dict[str, Any]
    saved: str


class Store:
    """A nysoc store file. Make one with :meth:`Store.open`; close it (or use ``with``).

    Safe to share between threads (an ``RLock`` guards the connection, e.g. for autosave
    timers) and between processes (each opens its own ``Store``).
    """

    def __init__(self, path: Path, conn: sqlite3.Connection,
                 busy_timeout: float | None = None) -> None:
        self.path = path
        #: Seconds a write waits for another process's write before ``StoreError`` (busy).
        self.busy_timeout = BUSY_TIMEOUT if busy_timeout is None else busy_timeout
        self._conn: sqlite3.Connection | None = conn
        self._lock = threading.RLock()
        self._depth = 0  # nesting of transaction() in the thread holding the lock
        self._erase_after_commit = False  # a delete in the current transaction
        self._erase_pending = False  # an erasure a reader blocked: retried on close
        self._file: tuple[int, int] | None = None  # counted in _schema.open_here until closed

    # -- opening and closing ------------------------------------------------------------

    @classmethod
    def open(cls, path: str | os.PathLike[str], *, create: bool = False,
             busy_timeout: float | None = None) -> Store:
        """Open the store at ``path``, upgrading an older schema step by step.

        Raises ``StoreNotFoundError`` if there is no file (unless ``create``; reading never
        creates files), ``StoreCorruptError`` or ``StoreTooNewError`` for a file nysoc
        must not write to; such a file is left exactly as it was. A store on a network
        filesystem, or one this process cannot write to, raises ``StoreError``.
        ``busy_timeout``: seconds a write waits for another process (``BUSY_TIMEOUT``).
        """
        path = Path(path)
        timeout = BUSY_TIMEOUT if busy_timeout is None else busy_timeout
        _location.refuse_network_filesystem(path)
        if not path.exists():
            if not create:
                raise StoreNotFoundError(path=str(path))
            _schema.create_file(path)
        if not _location.writable(path):  # SQLite would open it read-only and fail on save
            raise _error(StoreError, path, "read_only", folder=path.parent)
        with _schema.OPENING:  # no check while this process holds locks on the file
            file = _schema.file_id(path)
            if not _schema.open_here(file):
                _schema.check_file(path, timeout)
            conn = None
            try:
                conn = _schema.connect(path, read_only=False, busy_timeout=timeout)
                _schema.upgrade_file(conn, path)
            except BaseException as exc:
                if conn is not None:
                    conn.close()
                if isinstance(exc, sqlite3.Error):
                    raise _store_errors.sqlite_error(path, exc, timeout) from exc
                raise
            _schema.opened(file)
        store = cls(path, conn, timeout)
        store._file = file
        return store

    @property
    def closed(self) -> bool:
        """True once :meth:`close` has run."""
        return self._conn is None

    def close(self) -> None:
        """Close the store (a delete whose erasure had to wait is finished first)."""
        with self._lock:
            if self._conn is None:
                return
            try:
                if self._erase_pending:
                    self._erase()
            finally:
                self._conn.close()
                self._conn = None
                if self._file is not None:
                    _schema.closed(self._file)

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({str(self.path)!r}{', closed' if self._conn is None else ''})"

    # -- the one transaction helper -----------------------------------------------------

    @contextmanager
    def _guard(self) -> Iterator[sqlite3.Connection]:
        """Hold the lock and turn SQLite's errors into ``StoreError``s."""
        with self._lock:
            if self._conn is None:
                raise _error(StoreError, self.path, "closed")
            try:
                yield self._conn
            except sqlite3.OperationalError as exc:  # busy, read-only, full, I/O …
                raise _store_errors.sqlite_error(self.path, exc, self.busy_timeout) from exc
            except sqlite3.DatabaseError as exc:
                if type(exc) is not sqlite3.DatabaseError:  # integrity or programming: a bug
                    raise
                raise _error(StoreCorruptError, self.path, "unreadable", error=exc) from exc

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction (``BEGIN IMMEDIATE``): commit on success, else roll back.

        Every write goes through here. Nested use (same thread) joins the outer
        transaction, so several saves can be made atomic together. After a transaction
        that deleted something, the ``-wal`` is emptied (see :meth:`delete_record`).

        The write lock is taken up front, so a write never fails half-way for another
        process's sake. A transaction some failure left open (a failed ``ROLLBACK``, an
        interrupt at the wrong moment) is rolled back, never joined: joining it would
        return from a save that is never committed.
        """
        with self._guard() as conn:
            if self._depth:
                self._depth += 1
                try:
                    yield conn
                finally:
                    self._depth -= 1
                return
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            self._depth = 1
            try:
                conn.execute("BEGIN IMMEDIATE")
                yield conn
                conn.execute("COMMIT")
            except BaseException:
                self._erase_after_commit = False
                if conn.in_transaction:
                    with suppress(sqlite3.Error):  # the first error is the one to report
                        conn.execute("ROLLBACK")
                raise
            finally:
                self._depth = 0
            if self._erase_after_commit:
                self._erase_after_commit = False
                self._erase()

    def _erase(self) -> None:
        """Checkpoint and empty the ``-wal`` so deleted text is gone from disk."""
        with self._guard() as conn:
            busy = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
            self._erase_pending = bool(busy)

    # -- pairings -------------------------------------------------------------------------

    def add_pairing(self, pairing: Pairing) -> Pairing:
        """Add a new pairing; returns it with ``created`` set."""
        if not pairing.id:
            raise ValueError("a pairing needs an id ('' means 'no pairing' on a record)")
        with self.transaction() as conn:
            saved = replace(pairing, created=now())
            if not _rows.insert_pairing(conn, saved):
                raise PairingExistsError(pairing_id=pairing.id)
        return saved

    def update_pairing(self, pairing: Pairing) -> Pairing:
        """Change a pairing's details (not ``created``); returns it as stored."""
        with self.transaction() as conn:
            if not _rows.update_pairing(conn, pairing):
                raise _not_found("Pairing", pairing.id)
            return self.get_pairing(pairing.id)

    def get_pairing(self, pairing_id: str) -> Pairing:
        """The pairing ``pairing_id``; ``RecordNotFoundError`` if there is none."""
        with self._guard() as conn:
            row = _rows.select_pairing(conn, pairing_id)
        if row is None:
            raise _not_found("Pairing", pairing_id)
        return Pairing(*row)

    def list_pairings(self) -> list[Pairing]:
        """All pairings, oldest first."""
        with self._guard() as conn:
            rows = _rows.select_pairings(conn)
        return [Pairing(*row) for row in rows]

    def delete_pairing(self, pairing_id: str) -> None:
        """Erase a pairing with all its records, their versions and its drafts."""
        with self.transaction() as conn:
            if not _rows.delete_pairing(conn, pairing_id):
                raise _not_found("Pairing", pairing_id)
            self._erase_after_commit = True

    # -- importing (see portability.import_records) -------------------------------------

    def import_pairing(self, pairing: Pairing) -> bool:
        """Add ``pairing`` exactly as given (``created`` kept); False if the id is taken.

        A pairing already in the store keeps its own details.
        """
        if not pairing.id:
            raise ValueError("a pairing needs an id ('' means 'no pairing' on a record)")
        with self.transaction() as conn:
            return _rows.insert_pairing(conn, pairing)

    def import_record(self, record: Record, versions: Sequence[RecordVersion],
                      templates: Iterable[tuple[str, int, str]] = ()) -> None:
        """Write ``record`` and its history as given: id, version numbers and times kept.

        ``templates`` holds ``(id, version, definition JSON)`` of the template versions the
        record and its versions were written under; a snapshot the store has is kept as it
        is. A stored record with the same id is replaced, but its version rows are never
        overwritten: only versions it lacks are added. Whether to import at all is the
        caller's decision; the record's pairing must exist.
        """
        if record.id is None or any(v.record_id != record.id for v in versions):
            raise ValueError(f"versions must belong to the record {record.id!r}")
        with self.transaction() as conn:
            _rows.import_record(conn, record, versions, templates)

    # -- records --------------------------------------------------------------------------

    def save_record(self, record: Record, template: Template, *,
                    draft_key: DraftKey | None = None) -> Record:
        """Save ``record`` (answered under ``template``); returns it as stored.

        A record without ``id`` is new (it gets an id and version 1); otherwise its version
        goes up by one. Either way the answers are also kept as a new row of its history,
        the template version is kept if the store lacks it, and the draft ``draft_key``
        (if given) is discarded, all in one transaction.
        """
        if (record.template_id, record.template_version) != (template.id, template.version):
            raise ValueError(f"record is for template {record.template_id!r} version "
                             f"{record.template_version}, not {template.id!r} version "
                             f"{template.version}")
        answers = _rows.dumps(record.values)
        with self.transaction() as conn:
            saved = _rows.write_record(conn, record, template, answers)
            if draft_key is not None:
                self.discard_draft(draft_key)
        return saved

    def get_record(self, record_id: str) -> Record:
        """The record ``record_id``; ``RecordNotFoundError`` if there is none."""
        with self._guard() as conn:
            row = _rows.select_record(conn, record_id)
        if row is None:
            raise _not_found("Record", record_id)
        return _rows.to_record(row)

    def list_records(self, *, pairing: str | None = None, template_id: str | None = None,
                     status: str | None = None, author_role: str | None = None
                     ) -> list[Record]:
        """Records matching every filter given, oldest first."""
        with self._guard() as conn:
            rows = _rows.select_records(conn, pairing=pairing, template_id=template_id,
                                        status=status, author_role=author_role)
        return [_rows.to_record(row) for row in rows]

    def count_records(self, *, pairing: str | None = None, template_id: str | None = None,
                      status: str | None = None, author_role: str | None = None) -> int:
        """How many records match every filter given."""
        with self._guard() as conn:
            return _rows.count_records(conn, pairing=pairing, template_id=template_id,
                                       status=status, author_role=author_role)

    def records_frame(self, *, template: Template | None = None,
                      **filters: str | None) -> pd.DataFrame:
        """The matching records as a DataFrame (see ``records.records_to_frame``).

        With a ``template``, only its records, with its columns and dtypes.
        """
        if template is not None:
            filters["template_id"] = template.id
        return records_to_frame(self.list_records(**filters), template)

    def versions(self, record_id: str) -> list[RecordVersion]:
        """Every saved version of a record, oldest first (empty for an unknown id)."""
        with self._guard() as conn:
            rows = _rows.select_versions(conn, record_id)
        return [_rows.to_version(row) for row in rows]

    def template_snapshot(self, template_id: str, version: int) -> Template | None:
        """The template version records were saved under, as the store kept it."""
        with self._guard() as conn:
            row = _rows.select_template(conn, template_id, version)
        return None if row is None else template_from_json(row[0])

    def delete_record(self, record_id: str) -> None:
        """Erase a record, all its versions and its drafts, from the file and the ``-wal``.

        ``secure_delete`` zeroes the freed bytes in the file; after the commit a ``TRUNCATE``
        checkpoint empties the ``-wal``. If another connection is reading an older snapshot
        the checkpoint cannot finish; it is retried when this store is closed.
        """
        with self.transaction() as conn:
            if not _rows.delete_record(conn, record_id):
                raise _not_found("Record", record_id)
            self._erase_after_commit = True

    # -- drafts ---------------------------------------------------------------------------

    def save_draft(self, key: DraftKey, values: Mapping[str, Any]) -> Draft:
        """Keep ``values`` as the draft ``key`` (replacing any earlier one)."""
        answers = _rows.dumps(values)
        with self.transaction() as conn:
            _rows.require_pairing(conn, key.pairing)
            draft = Draft(key, json.loads(answers), now())
            _rows.save_draft(conn, key, answers, draft.saved)
        return draft

    def get_draft(self, key: DraftKey) -> Draft | None:
        """The draft ``key``, or None."""
        with self._guard() as conn:
            row = _rows.select_draft(conn, key)
        return None if row is None else Draft(key, json.loads(row[0]), row[1])

    def discard_draft(self, key: DraftKey) -> None:
        """Forget the draft ``key`` (nothing happens if there is none), erased from the
        file and the ``-wal`` as :meth:`delete_record` erases: an autosaved draft may hold
        what the author then took out (a CPR number before "Anonymisér")."""
        with self.transaction() as conn:
            if _rows.delete_draft(conn, key):
                self._erase_after_commit = True

