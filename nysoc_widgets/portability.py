"""Data rights: export and import of records, erasure of a pairing, retention.

GDPR's right of access and portability is one JSON document (the format, ``nysoc-records``
version 1, is documented in ``docs/data-format.md``); erasure removes a pairing from the
store file and its ``-wal`` (see ``Store.delete_record``); the retention setting
(``retention_months`` in ``nysoc.toml``) lists the pairings that ended long enough ago::

    document = export_records(store, pairing="par-1")
    result = import_records(other_store, document)     # idempotent
    for old in expired_pairings(store, 24, dt.date.today()):
        erase_pairing(store, old.pairing.id)

An import checks the whole document (the strict checker is ``_dataformat``), and against
the store, before it writes anything; then it writes in one transaction. A record the store
has already is *unchanged* when the store's history holds the imported one's, *updated*
when the imported one is newer (by ``updated``) and continues the store's history, and
otherwise a *conflict*: the store's record is kept as it is and the conflict is reported.
A stored version is never overwritten.
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from . import i18n
from ._dataformat import FORMAT, FORMAT_VERSION, Document, Reader, fail, parse_json
from .atomic import write_atomic
from .errors import RecordNotFoundError
from .glossary import GLOSSARY
from .records import Pairing, Record, RecordVersion, now

if TYPE_CHECKING:
    from .store import Store

__all__ = ["FORMAT", "FORMAT_VERSION", "ImportResult", "ExpiredPairing", "export_records",
           "dumps", "write_document", "load_document", "import_records", "erase_pairing",
           "erase_pairings", "programme_end", "expired_pairings", "add_months"]

_t = i18n.scope("data")

#: The closing evaluation's template, and its field with the closing meeting's date.
EVALUATION_TEMPLATE = "evaluering"
EVALUATION_DATE_FIELD = "dato"


# -- exporting --------------------------------------------------------------------------

def export_records(store: Store, pairing: str | None = None,
                   record: str | None = None) -> dict[str, Any]:
    """Every record (of ``pairing``, or all) with its history, as one JSON-ready document.

    The document also holds the pairings and the template versions the records were
    written under, so it can be read without this nysoc's catalogue. With ``record``, the
    document holds that one record (its versions, its template versions and its pairing)
    and nothing else: how a mentee shares one logbook entry with her mentor.
    ``RecordNotFoundError`` if there is no such record (or it is not ``pairing``'s).
    """
    from . import __version__

    with store.transaction():  # the write lock makes the export one consistent moment
        if record is not None:
            chosen = [store.get_record(record)]
            if pairing is not None and chosen[0].pairing != pairing:
                store.get_pairing(pairing)  # an unknown pairing is named as such
                raise RecordNotFoundError(what=GLOSSARY["Record"], record_id=record)
            own = chosen[0].pairing
            pairings = [store.get_pairing(own)] if own else []
        else:
            pairings = ([store.get_pairing(pairing)] if pairing is not None
                        else store.list_pairings())
            chosen = store.list_records(pairing=pairing)
        records, used = [], set()
        for rec in chosen:
            versions = store.versions(rec.id or "")
            used |= {(rec.template_id, v) for v in
                     {rec.template_version, *(v.template_version for v in versions)}}
            records.append(_record_dict(rec, versions))
        snapshots = [(tid, v, store.template_snapshot(tid, v)) for tid, v in sorted(used)]
    return {
        "format": FORMAT, "format_version": FORMAT_VERSION, "exported": now(),
        "nysoc_version": __version__, "pairings": [asdict(p) for p in pairings],
        "templates": [{"id": tid, "version": v, "definition": t.to_dict()}
                      for tid, v, t in snapshots if t is not None],
        "records": records,
    }


def _record_dict(rec: Record, versions: Sequence[RecordVersion]) -> dict[str, Any]:
    return {"id": rec.id, "pairing": rec.pairing, "template_id": rec.template_id,
            "template_version": rec.template_version, "author_role": rec.author_role,
            "confidentiality": rec.confidentiality, "status": rec.status,
            "created": rec.created, "updated": rec.updated, "version": rec.version,
            "fields": rec.values,
            "versions": [{"version": v.version, "status": v.status, "saved": v.saved,
                          "template_version": v.template_version, "fields": v.values}
                         for v in versions]}


def dumps(document: Mapping[str, Any]) -> str:
    """The document as the UTF-8 JSON text nysoc writes (indented, Danish letters kept)."""
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def write_document(document: Mapping[str, Any], path: str | os.PathLike[str]) -> None:
    """Write ``document`` to ``path`` atomically, readable by its owner only (mode 0600):
    ``path`` is either the old file or the whole new one, never half an export."""
    write_atomic(path, dumps(document).encode("utf-8"), mode=0o600)


# -- importing --------------------------------------------------------------------------

@dataclass(frozen=True)
class ImportResult:
    """What an import did: records added, left unchanged, updated, and in conflict."""

    added: int = 0
    unchanged: int = 0
    updated: int = 0
    conflicts: tuple[str, ...] = ()
    pairings_added: int = 0
    templates_added: int = 0

    def summary(self) -> str:
        """What happened, in Danish, one fact per line."""
        lines = [_t("import_records", added=self.added, updated=self.updated,
                    unchanged=self.unchanged),
                 _t("import_others", pairings=self.pairings_added,
                    templates=self.templates_added)]
        if self.conflicts:
            lines.append(_t("import_conflicts", count=len(self.conflicts),
                            ids=", ".join(self.conflicts)))
        return "\n".join(lines)


def load_document(data: str | bytes, file: str = "<dokument>") -> dict[str, Any]:
    """Parse JSON text; ``DataFormatError`` if it is not JSON (or repeats a key)."""
    return parse_json(data, file)


def import_records(store: Store, document: Mapping[str, Any] | str | bytes, *,
                   file: str = "<dokument>") -> ImportResult:
    """Read an export into ``store``: all of it, or (``DataFormatError``) nothing at all.

    Records keep their ids, versions and times; importing the same document twice adds
    nothing the second time. See the module docstring for a record the store has already.
    """
    if isinstance(document, (str, bytes)):
        document = load_document(document, file)
    doc = Reader(file).document(document)
    added = unchanged = updated = 0
    conflicts: list[str] = []
    new_templates: set[tuple[str, int]] = set()
    with store.transaction():
        missing = _check_against(store, doc, file)
        pairings_added = sum(store.import_pairing(p) for p in doc.pairings)
        for rec, versions in doc.records:
            rec_id = rec.id or ""
            try:
                stored: Record | None = store.get_record(rec_id)
            except RecordNotFoundError:
                stored = None
            write = (versions if stored is None
                     else _continuation(stored, store.versions(rec_id), rec, versions))
            if write is None:
                conflicts.append(rec_id)
                continue
            if not write:
                unchanged += 1
                continue
            added, updated = (added + 1, updated) if stored is None else (added, updated + 1)
            keys = sorted(missing & {(rec.template_id, v) for v in
                                     {rec.template_version, *(v.template_version
                                                              for v in versions)}})
            new_templates.update(keys)
            store.import_record(rec, write, [(*k, doc.templates[k].to_json()) for k in keys])
    return ImportResult(added, unchanged, updated, tuple(conflicts), pairings_added,
                        len(new_templates))


def _continuation(stored: Record, stored_versions: Sequence[RecordVersion], rec: Record,
                  versions: Sequence[RecordVersion]) -> list[RecordVersion] | None:
    """The versions to add to a stored record: ``[]`` unchanged, None for a conflict."""
    mine = {v.version: v for v in stored_versions}
    theirs = {v.version: v for v in versions}
    if any(mine[n] != theirs[n] for n in mine.keys() & theirs.keys()):
        return None  # both sides changed the record since they parted
    if theirs.keys() <= mine.keys():
        return []  # the store has all of it already
    if (mine.keys() <= theirs.keys() and rec.version == max(theirs)
            and _instant(rec.updated) > _instant(stored.updated)):
        return [v for n, v in sorted(theirs.items()) if n not in mine]
    return None


def _exists(store: Store, pairing_id: str) -> bool:
    try:
        return pairing_id == "" or bool(store.get_pairing(pairing_id))
    except RecordNotFoundError:
        return False


def _check_against(store: Store, doc: Document, file: str) -> set[tuple[str, int]]:
    """Refuse a document whose templates differ from the store's, or that names a
    pairing or template version neither it nor the store has. Returns the template
    versions of the document that the store lacks."""
    missing = set()
    for index, ((tid, version), template) in enumerate(doc.templates.items()):
        mine = store.template_snapshot(tid, version)
        if mine is None:
            missing.add((tid, version))
        elif mine != template:
            raise fail(file, f"templates[{index}]", "template_conflict",
                        template=tid, version=version)
    pairings = {p.id for p in doc.pairings}
    for index, (rec, versions) in enumerate(doc.records):
        where = f"records[{index}]"
        if rec.pairing and rec.pairing not in pairings and not _exists(store, rec.pairing):
            raise fail(file, f"{where}.pairing", "unknown_pairing", pairing=rec.pairing)
        for version in sorted({rec.template_version, *(v.template_version for v in versions)}):
            if ((rec.template_id, version) not in doc.templates
                    and store.template_snapshot(rec.template_id, version) is None):
                raise fail(file, where, "missing_template", template=rec.template_id,
                            version=version)
    return missing


def _instant(text: str) -> dt.datetime:
    moment = dt.datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)



# -- erasing and retention --------------------------------------------------------------

def erase_pairing(store: Store, pairing_id: str) -> int:
    """Erase a pairing with its records, their versions and drafts, from the file and the
    ``-wal`` (``secure_delete`` and a ``TRUNCATE`` checkpoint); returns the record count."""
    return erase_pairings(store, [pairing_id])


def erase_pairings(store: Store, pairing_ids: Iterable[str]) -> int:
    """Erase several pairings in one transaction (all or none); returns the record count."""
    erased = 0
    with store.transaction():
        for pairing_id in pairing_ids:
            erased += store.count_records(pairing=pairing_id)
            store.delete_pairing(pairing_id)
    return erased


@dataclass(frozen=True)
class ExpiredPairing:
    """A pairing past the retention period: when it ended and what that date comes from."""

    pairing: Pairing
    ended: dt.date
    basis: str  # planned_end | evaluation | last_record | created
    records: int

    @property
    def basis_text(self) -> str:
        """What ``ended`` comes from, in Danish."""
        return _t(f"basis_{self.basis}")


def programme_end(pairing: Pairing, records: Iterable[Record]) -> tuple[dt.date, str]:
    """When a pairing's programme ended, and from what: the *latest* of its planned end,
    its closing evaluation's date, its last record's ``updated`` and its ``created``.

    The latest, so that a pairing still in use is never taken for an ended one.
    """
    found = [(_date(pairing.planned_end), "planned_end")]
    last = None
    for rec in records:
        if rec.template_id == EVALUATION_TEMPLATE:
            found.append((_date(rec.values.get(EVALUATION_DATE_FIELD)), "evaluation"))
        last = max(last or rec.updated, rec.updated, key=_instant)
    if last is not None:
        found.append((_instant(last).date(), "last_record"))
    found.append((_date(pairing.created[:10]), "created"))
    dated = [(day, basis) for day, basis in found if day is not None]
    return max(dated, key=lambda item: item[0]) if dated else (dt.date.min, "created")


def expired_pairings(store: Store, months: int, today: dt.date) -> list[ExpiredPairing]:
    """The pairings whose programme ended more than ``months`` months before ``today``
    (see :func:`programme_end`), longest ended first."""
    expired = []
    for pairing in store.list_pairings():
        records = store.list_records(pairing=pairing.id)
        ended, basis = programme_end(pairing, records)
        if add_months(ended, months) < today:
            expired.append(ExpiredPairing(pairing, ended, basis, len(records)))
    return sorted(expired, key=lambda e: (e.ended, e.pairing.id))


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus ``months`` calendar months (the 31st becomes the month's last day)."""
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None
