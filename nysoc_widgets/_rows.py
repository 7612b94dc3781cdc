"""The store's rows: the SQL that reads and writes them, and how they map to nysoc's types.

``store.Store`` holds the file, the lock and the one transaction helper; every function
here takes the connection it was given inside them and never commits. Readers return raw
rows, turned into ``Record``s and the like by the caller once it has let go of the lock.
Column lists are fixed names, never user input.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from .errors import RecordNotFoundError
from .glossary import GLOSSARY
from .records import Pairing, Record, RecordVersion, now

if TYPE_CHECKING:
    from .store import DraftKey
    from .templates import Template

__all__ = ["PAIRING_COLUMNS", "RECORD_COLUMNS", "VERSION_COLUMNS", "dumps", "pairing_row",
           "record_row", "to_record", "to_version", "draft_key", "where", "require_pairing",
           "not_found", "select_pairing", "select_pairings", "select_record", "select_records",
           "count_records", "select_versions", "select_template", "select_draft",
           "insert_pairing", "update_pairing", "delete_pairing", "write_record",
           "import_record", "delete_record", "save_draft", "delete_draft"]

Row = tuple[Any, ...]

PAIRING_COLUMNS = "id, mentor, mentee, department, start_date, planned_end, created"
RECORD_COLUMNS = ("id, pairing, template_id, template_version, author_role, confidentiality, "
                  "status, answers, created, updated, version")
VERSION_COLUMNS = "record_id, version, answers, status, template_version, saved"
_DRAFT_WHERE = "pairing = ? AND template_id = ? AND record_id = ? AND author_role = ?"


# -- rows and nysoc's types -------------------------------------------------------------

def dumps(values: Mapping[str, Any]) -> str:
    """Answers as JSON text; ASCII escapes when the text holds a lone surrogate (pasted
    from somewhere odd), which SQLite's UTF-8 cannot hold but JSON reads back the same."""
    text = json.dumps(dict(values), ensure_ascii=False)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return json.dumps(dict(values))
    return text


def pairing_row(p: Pairing) -> Row:
    return (p.id, p.mentor, p.mentee, p.department, p.start_date, p.planned_end, p.created)


def record_row(r: Record, answers: str) -> Row:
    return (r.id, r.pairing, r.template_id, r.template_version, r.author_role,
            r.confidentiality, r.status, answers, r.created, r.updated, r.version)


def to_record(row: Row) -> Record:
    """A row of ``RECORD_COLUMNS`` as a ``Record``."""
    return Record(pairing=row[1], template_id=row[2], template_version=row[3],
                  author_role=row[4], confidentiality=row[5], status=row[6],
                  values=json.loads(row[7]), id=row[0], created=row[8], updated=row[9],
                  version=row[10])


def to_version(row: Row) -> RecordVersion:
    """A row of ``VERSION_COLUMNS`` as a ``RecordVersion``."""
    return RecordVersion(row[0], row[1], json.loads(row[2]), row[3], row[4], row[5])


def draft_key(key: DraftKey) -> tuple[str, str, str, str]:
    return (key.pairing, key.template_id, key.record_id, key.author_role)


def where(**filters: str | None) -> tuple[str, tuple[str, ...]]:
    """A WHERE clause for the filters that are set (names are fixed column names)."""
    used = {name: value for name, value in filters.items() if value is not None}
    clause = " AND ".join(f"{name} = ?" for name in used)
    return (f" WHERE {clause}" if clause else ""), tuple(used.values())


def require_pairing(conn: sqlite3.Connection, pairing_id: str) -> None:
    """Refuse an unknown pairing (``""``, no pairing, is allowed)."""
    found = conn.execute("SELECT 1 FROM pairings WHERE id = ?", (pairing_id,)).fetchone()
    if pairing_id and found is None:
        raise not_found("Pairing", pairing_id)


def not_found(what: str, record_id: str) -> RecordNotFoundError:
    return RecordNotFoundError(what=GLOSSARY[what], record_id=record_id)


# -- reading (raw rows; see the module docstring) ---------------------------------------

def select_pairing(conn: sqlite3.Connection, pairing_id: str) -> Row | None:
    return conn.execute(f"SELECT {PAIRING_COLUMNS} FROM pairings WHERE id = ?",
                        (pairing_id,)).fetchone()


def select_pairings(conn: sqlite3.Connection) -> list[Row]:
    """Every pairing's row, oldest first."""
    return conn.execute(f"SELECT {PAIRING_COLUMNS} FROM pairings "
                        "ORDER BY created, id").fetchall()


def select_record(conn: sqlite3.Connection, record_id: str) -> Row | None:
    return conn.execute(f"SELECT {RECORD_COLUMNS} FROM records WHERE id = ?",
                        (record_id,)).fetchone()


def select_records(conn: sqlite3.Connection, **filters: str | None) -> list[Row]:
    """The rows of the records matching every filter given, oldest first."""
    clause, params = where(**filters)
    return conn.execute(f"SELECT {RECORD_COLUMNS} FROM records{clause} "
                        "ORDER BY created, rowid", params).fetchall()


def count_records(conn: sqlite3.Connection, **filters: str | None) -> int:
    clause, params = where(**filters)
    return int(conn.execute(f"SELECT count(*) FROM records{clause}", params).fetchone()[0])


def select_versions(conn: sqlite3.Connection, record_id: str) -> list[Row]:
    """A record's version rows, oldest first."""
    return conn.execute(f"SELECT {VERSION_COLUMNS} FROM record_versions "
                        "WHERE record_id = ? ORDER BY version", (record_id,)).fetchall()


def select_template(conn: sqlite3.Connection, template_id: str, version: int) -> Row | None:
    """``(definition,)`` of a template version the store kept, or None."""
    return conn.execute("SELECT definition FROM templates WHERE id = ? AND version = ?",
                        (template_id, version)).fetchone()


def select_draft(conn: sqlite3.Connection, key: DraftKey) -> Row | None:
    """``(answers, saved)`` of the draft ``key``, or None."""
    return conn.execute(f"SELECT answers, saved FROM drafts WHERE {_DRAFT_WHERE}",
                        draft_key(key)).fetchone()


# -- pairings ---------------------------------------------------------------------------

def insert_pairing(conn: sqlite3.Connection, pairing: Pairing) -> bool:
    """Insert ``pairing`` as given; False (nothing written) if its id is taken."""
    return conn.execute(f"INSERT INTO pairings ({PAIRING_COLUMNS}) VALUES "
                        "(?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
                        pairing_row(pairing)).rowcount == 1


def update_pairing(conn: sqlite3.Connection, pairing: Pairing) -> bool:
    """Change a pairing's details (not ``created``); False if there is no such pairing."""
    return conn.execute(
        "UPDATE pairings SET mentor = ?, mentee = ?, department = ?, start_date = ?, "
        "planned_end = ? WHERE id = ?", (*pairing_row(pairing)[1:6], pairing.id)).rowcount != 0


def delete_pairing(conn: sqlite3.Connection, pairing_id: str) -> bool:
    """Delete a pairing's drafts, records, their versions and itself; False if there was
    no such pairing (whatever else was deleted is then the caller's to roll back)."""
    conn.execute("DELETE FROM drafts WHERE pairing = ?", (pairing_id,))
    conn.execute("DELETE FROM record_versions WHERE record_id IN "
                 "(SELECT id FROM records WHERE pairing = ?)", (pairing_id,))
    conn.execute("DELETE FROM records WHERE pairing = ?", (pairing_id,))
    return conn.execute("DELETE FROM pairings WHERE id = ?", (pairing_id,)).rowcount != 0


# -- records ----------------------------------------------------------------------------

def write_record(conn: sqlite3.Connection, record: Record, template: Template,
                 answers: str) -> Record:
    """Insert a new ``record`` or the next version of a stored one, with its history row
    and a copy of ``template`` if the store lacks it; returns the record as stored."""
    require_pairing(conn, record.pairing)
    stamp = now()
    conn.execute("INSERT INTO templates (id, version, definition, saved) "
                 "VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                 (template.id, template.version, template.to_json(), stamp))
    if record.id is None:
        saved = replace(record, id=uuid.uuid4().hex, created=stamp, updated=stamp,
                        version=1)
        conn.execute(f"INSERT INTO records ({RECORD_COLUMNS}) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                     record_row(saved, answers))
    else:
        old = conn.execute("SELECT version, created FROM records WHERE id = ?",
                           (record.id,)).fetchone()
        if old is None:
            raise not_found("Record", record.id)
        saved = replace(record, version=old[0] + 1, created=old[1], updated=stamp)
        conn.execute(
            "UPDATE records SET pairing = ?, template_id = ?, template_version = ?, "
            "author_role = ?, confidentiality = ?, status = ?, answers = ?, "
            "created = ?, updated = ?, version = ? WHERE id = ?",
            (*record_row(saved, answers)[1:], saved.id))
    conn.execute(f"INSERT INTO record_versions ({VERSION_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)",
                 (saved.id, saved.version, answers, saved.status,
                  saved.template_version, stamp))
    return saved


def import_record(conn: sqlite3.Connection, record: Record,
                  versions: Sequence[RecordVersion],
                  templates: Iterable[tuple[str, int, str]]) -> None:
    """Write ``record``, the ``versions`` its row lacks and the template snapshots the
    store lacks, all exactly as given (see ``Store.import_record``)."""
    require_pairing(conn, record.pairing)
    stamp = now()
    conn.executemany("INSERT INTO templates (id, version, definition, saved) "
                     "VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                     [(*snapshot, stamp) for snapshot in templates])
    conn.execute(f"INSERT INTO records ({RECORD_COLUMNS}) "
                 "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE "
                 "SET pairing = excluded.pairing, template_id = excluded.template_id, "
                 "template_version = excluded.template_version, "
                 "author_role = excluded.author_role, "
                 "confidentiality = excluded.confidentiality, status = excluded.status, "
                 "answers = excluded.answers, created = excluded.created, "
                 "updated = excluded.updated, version = excluded.version",
                 record_row(record, dumps(record.values)))
    conn.executemany(f"INSERT INTO record_versions ({VERSION_COLUMNS}) "
                     "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                     [(v.record_id, v.version, dumps(v.values), v.status,
                       v.template_version, v.saved) for v in versions])


def delete_record(conn: sqlite3.Connection, record_id: str) -> bool:
    """Delete a record's drafts, versions and itself; False if there was no such record."""
    conn.execute("DELETE FROM drafts WHERE record_id = ?", (record_id,))
    conn.execute("DELETE FROM record_versions WHERE record_id = ?", (record_id,))
    return conn.execute("DELETE FROM records WHERE id = ?", (record_id,)).rowcount != 0


# -- drafts -----------------------------------------------------------------------------


def save_draft(conn: sqlite3.Connection, key: DraftKey, answers: str, saved: str) -> None:
    """Keep ``answers`` as the draft ``key``, replacing any earlier one."""
    conn.execute("INSERT OR REPLACE INTO drafts (pairing, template_id, record_id, "
                 "author_role, answers, saved) VALUES (?, ?, ?, ?, ?, ?)",
                 (*draft_key(key), answers, saved))


def delete_draft(conn: sqlite3.Connection, key: DraftKey) -> bool:
    """Delete the draft ``key``; True if there was one."""
    return conn.execute(f"DELETE FROM drafts WHERE {_DRAFT_WHERE}", draft_key(key)
                        ).rowcount > 0
