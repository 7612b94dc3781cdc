"""The store file: its schema and version, and how a file is created, checked and upgraded.

The schema version lives in ``PRAGMA user_version`` and the file is marked as nysoc's by
``PRAGMA application_id``. A new store is built from the version-1 DDL followed by every
upgrader, so a fresh store and an upgraded one always go through the same code.

To change the schema: add ``def _v1_to_v2(conn)`` below, register it as ``UPGRADERS[1]``
and raise ``SCHEMA_VERSION`` to 2. An upgrader gets a connection inside the one upgrade
transaction (``foreign_keys`` off, as SQLite's table-rebuild recipe needs) and must not
commit. All steps of a run share that transaction: a failure leaves the file as it was.

Where the file lives (a network filesystem, a folder that cannot be written) is checked in
``_location``; SQLite's errors become ``StoreError``s in ``_store_errors``.
"""

from __future__ import annotations

import os
import sqlite3
import struct
import threading
import uuid
from collections import Counter
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

from ._store_errors import OS_REASONS, error, sqlite_error
from .errors import StoreCorruptError, StoreError, StoreTooNewError

__all__ = ["APPLICATION_ID", "SCHEMA_VERSION", "UPGRADERS", "TABLES", "read_header",
           "connect", "create_file", "check_file", "upgrade_file", "error", "sqlite_error",
           "OPENING", "file_id", "open_here", "opened", "closed"]

#: ``PRAGMA application_id`` of every nysoc store: the bytes b"nyso".
APPLICATION_ID = 0x6E79736F

#: The schema version this nysoc writes; a store with a higher ``user_version`` is refused.
SCHEMA_VERSION = 1

#: The tables every store of the current version has (checked when a store is opened).
TABLES = ("pairings", "templates", "records", "record_versions", "drafts")

#: Files up to this size get a full ``PRAGMA quick_check`` when opened (see ``check_file``).
FULL_CHECK_BYTES = 64 * 1024 * 1024

#: Tables too big to check in full on every open of a large store.
_BIG_TABLES = ("records", "record_versions")

SQLITE_MAGIC = b"SQLite format 3\x00"

# ``pairing`` has no foreign key: '' is a record of no pairing (a coordinator's own), which
# a foreign key would refuse; the store checks a non-empty one exists.
# Every index costs a page write per save: there is none on ``created`` alone (a filtered
# list is ordered by the two below; an unfiltered one reads everything anyway).
# Rowid tables throughout: a WITHOUT ROWID row over ~1 KB spills into an overflow page of
# its own (4 KB for a 1 KB logbook entry), which made the file 2.5x larger.
_V1 = """
CREATE TABLE pairings (
    id          TEXT PRIMARY KEY,
    mentor      TEXT NOT NULL DEFAULT '',
    mentee      TEXT NOT NULL DEFAULT '',
    department  TEXT NOT NULL DEFAULT '',
    start_date  TEXT,
    planned_end TEXT,
    created     TEXT NOT NULL
);
CREATE TABLE templates (
    id         TEXT NOT NULL,
    version    INTEGER NOT NULL,
    definition TEXT NOT NULL,           -- Template.to_json() of that version
    saved      TEXT NOT NULL,
    UNIQUE (id, version)
);
CREATE TABLE records (
    id               TEXT PRIMARY KEY,
    pairing          TEXT NOT NULL,     -- a pairings.id, or '' for none
    template_id      TEXT NOT NULL,
    template_version INTEGER NOT NULL,
    author_role      TEXT NOT NULL,
    confidentiality  TEXT NOT NULL,
    status           TEXT NOT NULL,
    answers          TEXT NOT NULL,     -- JSON
    created          TEXT NOT NULL,
    updated          TEXT NOT NULL,
    version          INTEGER NOT NULL,
    FOREIGN KEY (template_id, template_version) REFERENCES templates (id, version)
);
CREATE INDEX records_by_pairing ON records (pairing, created);
CREATE INDEX records_by_template ON records (template_id, created);
CREATE TABLE record_versions (
    record_id        TEXT NOT NULL REFERENCES records (id),
    version          INTEGER NOT NULL,
    answers          TEXT NOT NULL,     -- JSON
    status           TEXT NOT NULL,
    template_version INTEGER NOT NULL,
    saved            TEXT NOT NULL,
    UNIQUE (record_id, version)
);
CREATE TABLE drafts (
    pairing     TEXT NOT NULL,          -- a pairings.id, or '' for none
    template_id TEXT NOT NULL,
    record_id   TEXT NOT NULL,          -- '' while the record is new
    author_role TEXT NOT NULL,
    answers     TEXT NOT NULL,          -- JSON
    saved       TEXT NOT NULL,
    UNIQUE (pairing, template_id, record_id, author_role)
);
CREATE INDEX drafts_by_record ON drafts (record_id);
"""

Upgrader = Callable[[sqlite3.Connection], None]

#: ``UPGRADERS[n]`` turns a version-``n`` store into a version-``n + 1`` store.
UPGRADERS: dict[int, Upgrader] = {}


@dataclass(frozen=True)
class Header:
    """What the 100-byte SQLite header says, read without opening the file with SQLite."""

    is_sqlite: bool
    page_size: int = 0
    pages: int | None = None  # None when the in-header size is not valid
    user_version: int = 0
    application_id: int = 0


def read_header(data: bytes) -> Header:
    """Decode the first 100 bytes of a database file (see sqlite.org/fileformat.html)."""
    if len(data) < 100 or not data.startswith(SQLITE_MAGIC):
        return Header(is_sqlite=False)
    (page_size,) = struct.unpack_from(">H", data, 16)
    change_counter, pages = struct.unpack_from(">II", data, 24)
    (user_version,) = struct.unpack_from(">i", data, 60)
    (application_id,) = struct.unpack_from(">i", data, 68)
    (valid_for,) = struct.unpack_from(">I", data, 92)
    return Header(is_sqlite=True, page_size=65536 if page_size == 1 else page_size,
                  pages=pages if pages and change_counter == valid_for else None,
                  user_version=user_version, application_id=application_id)


#: Pragmas of every read-write connection. A checkpoint (copying the ``-wal`` into the file,
#: with an fsync) costs 3-6 ms; at SQLite's default of 1000 pages it fell on every ~110th save
#: (a save writes ~6 pages), at 4000 on every ~660th. ``journal_size_limit`` shrinks a
#: ``-wal`` that a big transaction (an import) grew, once it has been checkpointed.
PRAGMAS = ("journal_mode = WAL", "synchronous = FULL", "foreign_keys = ON",
           "secure_delete = ON", "wal_autocheckpoint = 4000",
           f"journal_size_limit = {32 * 1024 * 1024}")


def connect(path: Path, *, read_only: bool, busy_timeout: float) -> sqlite3.Connection:
    """A connection that never creates the file; read-write ones get the store's pragmas."""
    uri = f"{path.resolve().as_uri()}?mode={'ro' if read_only else 'rw'}"
    conn = sqlite3.connect(uri, uri=True, timeout=busy_timeout, isolation_level=None,
                           check_same_thread=False)
    if not read_only:
        for pragma in (f"busy_timeout = {int(busy_timeout * 1000)}", *PRAGMAS):
            conn.execute(f"PRAGMA {pragma}")
    return conn


# -- creating ---------------------------------------------------------------------------

def create_file(path: Path) -> None:
    """Build an empty store in a temporary file beside ``path`` and link it into place.

    The file is 0600 whatever the umask (SQLite gives ``-wal``/``-shm`` the same mode).
    ``os.link`` never replaces: if another process created the store meanwhile, its
    store (and whatever it already saved) wins and this one is dropped.
    """
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    try:
        os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        os.chmod(tmp, 0o600)
        conn = sqlite3.connect(tmp, isolation_level=None)
        try:
            _build(conn)
            conn.execute("PRAGMA journal_mode = WAL")
        finally:
            conn.close()
        _fsync(tmp, os.O_RDWR)
        try:
            os.link(tmp, path)
        except FileExistsError:
            return
        except OSError:  # a filesystem without hard links: only a tiny race remains
            if not path.exists():
                os.replace(tmp, path)
        if hasattr(os, "O_DIRECTORY"):  # make the new name durable (not possible on Windows)
            _fsync(path.parent, os.O_RDONLY | os.O_DIRECTORY)
    except OSError as exc:
        reason = OS_REASONS.get(exc.errno or 0, "cannot_create")
        raise error(StoreError, path, reason, error=exc, folder=path.parent) from exc
    except sqlite3.Error as exc:
        raise error(StoreError, path, "cannot_create", error=exc) from exc
    finally:
        for suffix in ("", "-journal", "-wal", "-shm"):
            with suppress(FileNotFoundError):
                os.unlink(f"{tmp}{suffix}")


def _fsync(path: Path, flags: int) -> None:
    fd = os.open(path, flags)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _build(conn: sqlite3.Connection) -> None:
    """Version 1 plus every upgrader, in one transaction."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        for statement in _V1.split(";"):
            if statement.strip():
                conn.execute(statement)
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        conn.execute("PRAGMA user_version = 1")
        for version in range(1, SCHEMA_VERSION):
            _step(conn, version)
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


# -- checking ---------------------------------------------------------------------------
#
# SQLite's locks are POSIX locks, which belong to the process: closing *any* descriptor of
# the file drops all of them, those of this process's open connections too
# (sqlite.org/howtocorrupt.html, 2.2). Another process closing its last connection then
# gets the exclusive lock and deletes the -wal and -shm under those connections: their
# saves go to a deleted -wal that no other process reads, and the next open here fails
# with "disk I/O error". ``check_file`` reads the header with a plain open() and close(),
# so it must not run while this process has the file open: ``Store.open`` checks a file
# only when ``open_here`` says no (a file it has open was checked when first opened).

#: Held while a store is checked and connected, so no other thread's connection of this
#: process takes a lock on the file meanwhile (re-entrant: a finalizer may close a store).
OPENING = threading.RLock()
_open_here: Counter[tuple[int, int]] = Counter()


def file_id(path: Path) -> tuple[int, int]:
    """The file's device and inode: the same for every name of it."""
    try:
        st = os.stat(path)
    except OSError as exc:
        raise error(StoreError, path, "cannot_read", error=exc.strerror or exc) from exc
    return st.st_dev, st.st_ino


def open_here(file: tuple[int, int]) -> bool:
    """True while a store of this process has a connection to ``file`` (see above)."""
    return _open_here[file] > 0


def opened(file: tuple[int, int]) -> None:
    _open_here[file] += 1


def closed(file: tuple[int, int]) -> None:
    with OPENING:
        _open_here[file] -= 1
        if _open_here[file] <= 0:
            del _open_here[file]


def check_file(path: Path, busy_timeout: float) -> None:
    """Refuse a file nysoc must not write to, without writing to it.

    The raw header settles most refusals before SQLite opens the file at all; the rest is
    checked on a read-only connection. A file up to ``FULL_CHECK_BYTES`` gets a full
    ``quick_check``; it reads every page (measured: 0.2 s warm, 4.9 s cold for 100,000
    records / 300 MB), so in a bigger file only the small tables are checked in full and
    the big ones down one edge. SQLite still reports damage wherever it reads later.
    """
    try:
        with open(path, "rb") as f:
            head, size = f.read(100), os.fstat(f.fileno()).st_size
    except OSError as exc:
        raise error(StoreError, path, "cannot_read", error=exc.strerror or exc) from exc
    header = read_header(head)
    if not header.is_sqlite:
        raise error(StoreCorruptError, path, "not_sqlite")
    # A checkpoint cut short (full disk, crash) leaves page 1 saying the file is longer
    # than it is yet; the -wal still holds the pages, and quick_check reads through it.
    if (header.pages is not None and size < header.pages * header.page_size
            and not _wal_has_frames(path)):
        raise error(StoreCorruptError, path, "truncated", size=size,
                    expected=header.pages * header.page_size)
    check_ids(path, header.application_id, header.user_version)
    conn = None
    try:
        conn = connect(path, read_only=True, busy_timeout=busy_timeout)
        app_id, version = (conn.execute(f"PRAGMA {p}").fetchone()[0]
                           for p in ("application_id", "user_version"))
        check_ids(path, app_id, version)
        if version == SCHEMA_VERSION:
            names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
            for table in TABLES:
                if table not in names:
                    raise error(StoreCorruptError, path, "missing_table", table=table)
        problems = _problems(conn, full=size <= FULL_CHECK_BYTES or version != SCHEMA_VERSION)
    except sqlite3.OperationalError as exc:  # cannot open, I/O error, locked: not damage
        raise sqlite_error(path, exc, busy_timeout) from exc
    except sqlite3.DatabaseError as exc:  # SQLITE_CORRUPT, SQLITE_NOTADB
        raise error(StoreCorruptError, path, "unreadable", error=exc) from exc
    finally:
        if conn is not None:
            conn.close()
    if problems:
        raise error(StoreCorruptError, path, "check_failed",
                    problem=" ".join("; ".join(problems[:3]).split()))


def _wal_has_frames(path: Path) -> bool:
    """True when the store's ``-wal`` holds more than its 32-byte header."""
    try:
        return os.stat(f"{path}-wal").st_size > 32
    except OSError:
        return False


def _problems(conn: sqlite3.Connection, *, full: bool) -> list[str]:
    """What ``quick_check`` finds: of the whole file, or of all but the big tables."""
    if full:
        found = [r[0] for r in conn.execute("PRAGMA quick_check")]
    else:
        found = [r[0] for t in TABLES if t not in _BIG_TABLES
                 for r in conn.execute(f"PRAGMA quick_check({t})")]
        for table in _BIG_TABLES:
            for order in ("ASC", "DESC"):
                conn.execute(f"SELECT * FROM {table} ORDER BY rowid {order} LIMIT 1").fetchall()
    return [p for p in found if p != "ok"]


def check_ids(path: Path, application_id: int, version: int) -> None:
    """Refuse a file that is not nysoc's or whose schema version this nysoc cannot use."""
    if application_id != APPLICATION_ID:
        raise error(StoreCorruptError, path, "not_nysoc")
    if version > SCHEMA_VERSION:
        raise StoreTooNewError(path=str(path), found=version, supported=SCHEMA_VERSION)
    if version < 1:
        raise error(StoreCorruptError, path, "bad_version", found=version)


# -- upgrading --------------------------------------------------------------------------

def upgrade_file(conn: sqlite3.Connection, path: Path) -> None:
    """Bring an older store up to ``SCHEMA_VERSION`` (nothing to do for a current one).

    All steps run in one ``BEGIN IMMEDIATE`` transaction and the version is read again
    inside it, so two processes opening an old store at once upgrade it once. A failing
    step (or a foreign key left dangling) rolls everything back.
    """
    found = conn.execute("PRAGMA user_version").fetchone()[0]
    check_ids(path, APPLICATION_ID, found)
    if found == SCHEMA_VERSION:
        return
    missing = next((v for v in range(found, SCHEMA_VERSION) if v not in UPGRADERS), None)
    if missing is not None:
        raise error(StoreError, path, "too_old", found=found, missing=missing)
    conn.execute("PRAGMA foreign_keys = OFF")  # cannot change inside a transaction
    try:
        conn.execute("BEGIN IMMEDIATE")
        for version in range(conn.execute("PRAGMA user_version").fetchone()[0],
                             SCHEMA_VERSION):
            _step(conn, version)
        dangling = conn.execute("PRAGMA foreign_key_check").fetchall()
        if dangling:
            raise sqlite3.IntegrityError(f"foreign keys left dangling: {dangling[:3]}")
        conn.execute("COMMIT")
    except Exception as exc:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise error(StoreError, path, "upgrade_failed", found=found, target=SCHEMA_VERSION,
                    error=exc) from exc
    finally:
        conn.execute("PRAGMA foreign_keys = ON")


def _step(conn: sqlite3.Connection, version: int) -> None:
    """Run ``UPGRADERS[version]`` and record the new version."""
    UPGRADERS[version](conn)
    conn.execute(f"PRAGMA user_version = {version + 1}")
