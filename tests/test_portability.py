"""Data rights against real SQLite files: export/import round trips, idempotence, refusals
that change nothing, erasure down to the file bytes, retention, and ``nysoc data``."""

from __future__ import annotations

import copy
import datetime as dt
import io
import json
import sqlite3
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from cli_helpers import one_line, run

from nysoc_widgets import portability as pt
from nysoc_widgets.errors import DataFormatError, RecordNotFoundError, WorkspaceError
from nysoc_widgets.records import Pairing, Record
from nysoc_widgets.store import DraftKey, Store
from nysoc_widgets.templates import Template, parse_template
from nysoc_widgets.workspace import CONFIG_FILE, STORE_FILE, find_workspace

CANARY = "KANARIEFUGL-æøå-d4t4"
TODAY = dt.date(2026, 11, 23)


def logbook(version: int = 1) -> Template:
    """A tiny logbook template; version 2 adds a question."""
    fields: list[dict[str, Any]] = [
        {"id": "tekst", "kind": "long_text", "label": {"da": "Det, jeg er i tvivl om"}},
        {"id": "trivsel", "kind": "scale", "label": {"da": "Trivsel"}},
    ]
    if version > 1:
        fields.append({"id": "naeste", "kind": "short_text", "label": {"da": "Næste skridt"}})
    return parse_template({
        "schema_version": 1, "id": "logbog", "version": version, "source": "test",
        "title": {"da": "Logbog"}, "confidentiality": "privat",
        "sections": [{"id": "refleksion", "title": {"da": "Refleksion"}, "fields": fields}],
    })


def evaluation() -> Template:
    return parse_template({
        "schema_version": 1, "id": "evaluering", "version": 1, "source": "test",
        "title": {"da": "Evaluering"}, "confidentiality": "par",
        "sections": [{"id": "afslutning", "title": {"da": "Afslutningsmødet"}, "fields": [
            {"id": "dato", "kind": "date", "label": {"da": "Dato"}}]}],
    })


def note(text: str, pairing: str = "par-1", template: Template | None = None,
         **changes: Any) -> Record:
    template = template or logbook()
    fields: dict[str, Any] = {"author_role": "mentee", "confidentiality": "privat", **changes}
    return Record(pairing=pairing, template_id=template.id, template_version=template.version,
                  values={"tekst": text, "trivsel": 4}, **fields)


def file_bytes(path: Path) -> bytes:
    """The store file and its -wal, as they are on disk."""
    wal = Path(f"{path}-wal")
    return path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


def rows(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the tables an import writes, read straight from the file."""
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return {
            "pairings": conn.execute("SELECT * FROM pairings ORDER BY id").fetchall(),
            "templates": conn.execute("SELECT id, version, definition FROM templates "
                                      "ORDER BY id, version").fetchall(),
            "records": conn.execute("SELECT * FROM records ORDER BY id").fetchall(),
            "record_versions": conn.execute("SELECT * FROM record_versions "
                                            "ORDER BY record_id, version").fetchall(),
        }
    finally:
        conn.close()


@pytest.fixture
def source_path(tmp_path: Path) -> Path:
    return tmp_path / "kilde.db"


@pytest.fixture
def source(source_path: Path) -> Iterator[Store]:
    """Two pairings, a coordinator's own record, history across two template versions."""
    with Store.open(source_path, create=True) as store:
        store.add_pairing(Pairing("par-1", mentor="Søren Ørsted", mentee="Åse Bæk",
                                  department="Børn og Unge", start_date="2026-01-05",
                                  planned_end="2026-12-31"))
        store.add_pairing(Pairing("par-2", mentor="Birthe", mentee="Ib"))
        first = store.save_record(note("Første tanke om børnesamtalen"), logbook())
        second = store.save_record(first.with_values({"tekst": "Anden udgave", "trivsel": 5},
                                                     status="final"), logbook())
        store.save_record(Record(**{**second.to_dict(), "template_version": 2,
                                    "values": {"tekst": "Tredje", "trivsel": 3,
                                               "naeste": "Tal med mentor"}}), logbook(2))
        store.save_record(note("Mødenotat", author_role="mentor", confidentiality="par"),
                          logbook())
        store.save_record(note("Par to", pairing="par-2"), logbook())
        store.save_record(note("Tovholderens egen", pairing="", author_role="koordinator"),
                          logbook())
        store.save_draft(DraftKey("par-1", "logbog", "", "mentee"), {"tekst": "kladde"})
        yield store


@pytest.fixture
def target_path(tmp_path: Path) -> Path:
    return tmp_path / "maal.db"


@pytest.fixture
def target(target_path: Path) -> Iterator[Store]:
    """Another workspace's store with something of its own in it."""
    with Store.open(target_path, create=True) as store:
        store.add_pairing(Pairing("par-9", mentor="Egen mentor"))
        store.save_record(note("Eget notat", pairing="par-9"), logbook())
        yield store


# -- export -------------------------------------------------------------------------------

def test_export_is_one_documented_versioned_document(source: Store) -> None:
    doc = pt.export_records(source)
    assert list(doc) == ["format", "format_version", "exported", "nysoc_version", "pairings",
                         "templates", "records"]
    assert (doc["format"], doc["format_version"]) == ("nysoc-records", 1)
    assert [p["id"] for p in doc["pairings"]] == ["par-1", "par-2"]
    assert [(t["id"], t["version"]) for t in doc["templates"]] == [("logbog", 1), ("logbog", 2)]
    assert doc["templates"][1]["definition"] == logbook(2).to_dict()
    first = doc["records"][0]
    assert list(first) == ["id", "pairing", "template_id", "template_version", "author_role",
                           "confidentiality", "status", "created", "updated", "version",
                           "fields", "versions"]
    assert first["fields"] == {"tekst": "Tredje", "trivsel": 3, "naeste": "Tal med mentor"}
    assert [(v["version"], v["template_version"], v["status"]) for v in first["versions"]] == [
        (1, 1, "draft"), (2, 1, "final"), (3, 2, "final")]
    assert {r["pairing"] for r in doc["records"]} == {"par-1", "par-2", ""}
    assert json.loads(pt.dumps(doc)) == doc
    assert "Første tanke" in pt.dumps(doc)  # Danish letters kept as written, not \u00f8


def test_export_of_one_pairing_holds_only_its_records_and_templates(source: Store) -> None:
    doc = pt.export_records(source, pairing="par-2")
    assert [p["id"] for p in doc["pairings"]] == ["par-2"]
    assert [r["fields"]["tekst"] for r in doc["records"]] == ["Par to"]
    assert [(t["id"], t["version"]) for t in doc["templates"]] == [("logbog", 1)]


def test_export_of_an_unknown_pairing_is_refused(source: Store) -> None:
    with pytest.raises(RecordNotFoundError, match="ingen mentorpar med id'et 'par-x'"):
        pt.export_records(source, pairing="par-x")


# -- import -------------------------------------------------------------------------------

def test_round_trip_into_an_empty_store_is_exact(source: Store, source_path: Path,
                                                 tmp_path: Path) -> None:
    doc = pt.export_records(source)
    with Store.open(tmp_path / "tom.db", create=True) as empty:
        result = pt.import_records(empty, pt.dumps(doc))
        again = pt.export_records(empty)
    assert result == pt.ImportResult(added=4, pairings_added=2, templates_added=2)
    assert rows(tmp_path / "tom.db") == rows(source_path)  # every row, byte for byte
    assert {**again, "exported": ""} == {**doc, "exported": ""}


def test_importing_twice_adds_nothing_the_second_time(source: Store, target: Store,
                                                      target_path: Path) -> None:
    doc = pt.export_records(source)
    first = pt.import_records(target, doc)
    before = rows(target_path)
    second = pt.import_records(target, doc)
    assert (first.added, first.unchanged, first.pairings_added) == (4, 0, 2)
    assert second == pt.ImportResult(unchanged=4)
    assert rows(target_path) == before
    assert target.count_records() == 5 and target.get_pairing("par-9").mentor == "Egen mentor"


def test_a_newer_export_updates_a_record_and_keeps_its_history(source: Store,
                                                               target: Store) -> None:
    old = pt.export_records(source)
    pt.import_records(target, old)
    rec = source.list_records(pairing="par-2")[0]
    newer = source.save_record(rec.with_values({"tekst": "Rettet", "trivsel": 2}), logbook())
    result = pt.import_records(target, pt.export_records(source))
    assert (result.added, result.updated, result.unchanged) == (0, 1, 3)
    assert target.get_record(newer.id or "") == newer
    assert target.versions(newer.id or "") == source.versions(newer.id or "")
    # the older file again changes nothing: the store has all of it already
    assert pt.import_records(target, old) == pt.ImportResult(unchanged=4)
    assert target.get_record(newer.id or "") == newer


def test_a_record_changed_on_both_sides_is_kept_and_reported(source: Store,
                                                             target: Store) -> None:
    pt.import_records(target, pt.export_records(source))
    rec = source.list_records(pairing="par-2")[0]
    source.save_record(rec.with_values({"tekst": "Ændret i kilden"}), logbook())
    mine = target.save_record(rec.with_values({"tekst": "Ændret her"}), logbook())
    result = pt.import_records(target, pt.export_records(source))
    assert result.conflicts == (rec.id,) and (result.updated, result.unchanged) == (0, 3)
    assert target.get_record(rec.id or "") == mine
    assert [v.values["tekst"] for v in target.versions(rec.id or "")] == ["Par to", "Ændret her"]
    assert f"databasens udgave er beholdt, intet er overskrevet: {rec.id}" in result.summary()


def test_the_summary_is_danish(source: Store, target: Store) -> None:
    result = pt.import_records(target, pt.export_records(source))
    assert result.summary() == ("Notater: 4 nye, 0 opdateret, 0 fandtes allerede.\n"
                                "Mentorpar: 2 nye. Skabelonversioner: 1 nye.")


def test_a_pairing_already_in_the_store_keeps_its_details(source: Store, target: Store) -> None:
    target.add_pairing(Pairing("par-2", mentor="Anden mentor"))
    result = pt.import_records(target, pt.export_records(source))
    assert result.pairings_added == 1
    assert target.get_pairing("par-2").mentor == "Anden mentor"


def test_records_only_need_what_the_store_lacks(source: Store, target: Store) -> None:
    doc = pt.export_records(source, pairing="par-2")
    minimal = {"format": "nysoc-records", "format_version": 1, "records": doc["records"]}
    target.add_pairing(Pairing("par-2"))  # logbog v1 is in the target already
    assert pt.import_records(target, minimal).added == 1


def mutate(change: Callable[[dict[str, Any]], Any]) -> Callable[[dict[str, Any]], Any]:
    def apply(doc: dict[str, Any]) -> dict[str, Any]:
        doc = copy.deepcopy(doc)
        change(doc)
        return doc
    return apply


REFUSED = [
    pytest.param(lambda d: b"{ikke json", "den er ikke gyldig JSON", id="not-json"),
    pytest.param(lambda d: "æøå".encode("latin-1"), "ikke gyldig JSON", id="not-utf8"),
    pytest.param(lambda d: b'[1, 2]', "ikke et JSON-objekt, men en liste", id="a-list"),
    pytest.param(lambda d: b'{"format": "nysoc-records", "format": "x"}',
                 "ikke gyldig JSON \\(duplicate key 'format'\\)", id="repeated-key"),
    pytest.param(lambda d: b'{"format": "nysoc-records", "format_version": NaN}',
                 "ikke gyldig JSON", id="nan"),
    pytest.param(mutate(lambda d: d.update(format="nbformat")),
                 "ikke en dataeksport fra nysoc \\('format' er 'nbformat'", id="foreign-format"),
    pytest.param(mutate(lambda d: d.pop("format")), "'format' er ''", id="no-format"),
    pytest.param(mutate(lambda d: d.update(format_version=2)),
                 "formatversion 2, men denne version af nysoc kan kun læse op til "
                 "formatversion 1; opdatér nysoc", id="newer-format-version"),
    pytest.param(mutate(lambda d: d.update(format_version="1")),
                 "formatversionen '1' kendes ikke", id="format-version-as-text"),
    pytest.param(mutate(lambda d: d.update(format_version=0)),
                 "formatversionen '0' kendes ikke", id="format-version-0"),
    pytest.param(mutate(lambda d: d.update(extra=1)), "ukendt nøgle 'extra'; tilladt: format",
                 id="unknown-top-key"),
    pytest.param(mutate(lambda d: d.pop("records")), "nøglen 'records' mangler",
                 id="no-records"),
    pytest.param(mutate(lambda d: d.update(records={})),
                 "records skal være en liste \\(\\[…\\]\\), men er et objekt", id="records-dict"),
    pytest.param(mutate(lambda d: d["records"][1].pop("fields")),
                 "records\\[1\\] mangler nøglen 'fields'", id="record-missing-fields"),
    pytest.param(mutate(lambda d: d["records"][0].update(fields=["tekst"])),
                 "records\\[0\\].fields skal være et objekt", id="fields-a-list"),
    pytest.param(mutate(lambda d: d["records"][0].update(template_version="1")),
                 "records\\[0\\].template_version skal være et helt tal på mindst 1, men er "
                 "tekst", id="version-as-text"),
    pytest.param(mutate(lambda d: d["records"][0].update(version=True)),
                 "records\\[0\\].version skal være et helt tal på mindst 1, men er true/false",
                 id="version-a-bool"),
    pytest.param(mutate(lambda d: d["records"][0].update(id="  ")),
                 "records\\[0\\].id må ikke være tom", id="blank-id"),
    pytest.param(mutate(lambda d: d["records"][0].update(farve="blå")),
                 "records\\[0\\] har den ukendte nøgle 'farve'", id="unknown-record-key"),
    pytest.param(mutate(lambda d: d["records"][0].update(status="slettet")),
                 "records\\[0\\].status skal være en af draft, final, ikke 'slettet'",
                 id="unknown-status"),
    pytest.param(mutate(lambda d: d["records"][0].update(confidentiality="offentlig")),
                 "confidentiality skal være en af privat, par, deles", id="unknown-level"),
    pytest.param(mutate(lambda d: d["records"][0].update(updated="i går")),
                 "records\\[0\\].updated er ikke et tidspunkt", id="bad-time"),
    pytest.param(mutate(lambda d: d["pairings"][0].update(planned_end="31-12-2026")),
                 "pairings\\[0\\].planned_end er ikke en dato", id="bad-date"),
    pytest.param(mutate(lambda d: d["records"][0]["versions"][1].pop("saved")),
                 "records\\[0\\].versions\\[1\\] mangler nøglen 'saved'",
                 id="version-missing-saved"),
    pytest.param(mutate(lambda d: d["records"][0].update(versions=[])),
                 "records\\[0\\].versions er tom", id="no-versions"),
    pytest.param(mutate(lambda d: d["records"][0].update(version=2)),
                 "records\\[0\\].version er 2, men den nyeste version .* er 3", id="not-latest"),
    pytest.param(mutate(lambda d: d["records"][0]["versions"][1].update(version=1)),
                 "records\\[0\\].versions: '1' står der mere end én gang",
                 id="repeated-version"),
    pytest.param(mutate(lambda d: d["records"].append(d["records"][0])),
                 "records: '[0-9a-f]{32}' står der mere end én gang", id="repeated-record"),
    pytest.param(mutate(lambda d: d["pairings"].append(d["pairings"][0])),
                 "pairings: 'par-1' står der mere end én gang", id="repeated-pairing"),
    pytest.param(mutate(lambda d: d.update(pairings=[])),
                 "records\\[0\\].pairing: mentorparret 'par-1' står hverken i filen eller",
                 id="unknown-pairing"),
    pytest.param(mutate(lambda d: d["templates"].pop()),
                 "records\\[0\\] er skrevet under skabelonen 'logbog' version 2, som hverken",
                 id="missing-template"),
    pytest.param(mutate(lambda d: d["templates"][0]["definition"].update(sections="x")),
                 "templates\\[0\\].definition er ikke en gyldig skabelon", id="bad-template"),
    pytest.param(mutate(lambda d: d["templates"][0].update(version=7)),
                 "templates\\[0\\].definition er skabelonen logbog v1, ikke logbog v7",
                 id="template-mismatch"),
    pytest.param(mutate(lambda d: d["templates"][0]["definition"]["title"].update(da="Andet")),
                 "databasen har allerede skabelonen 'logbog' version 1 med et andet indhold",
                 id="template-conflict"),
]


@pytest.mark.parametrize(("make", "message"), REFUSED)
def test_a_document_nysoc_does_not_understand_changes_nothing(
        source: Store, target: Store, target_path: Path,
        make: Callable[[dict[str, Any]], Any], message: str) -> None:
    document = make(pt.export_records(source))
    before = file_bytes(target_path)
    with pytest.raises(DataFormatError, match=message) as caught:
        pt.import_records(target, document, file="eksport.json")
    assert str(caught.value).startswith("Filen eksport.json kan ikke indlæses: ")
    assert str(caught.value).endswith("Intet i databasen er ændret.")
    assert caught.value.english.startswith("The file eksport.json cannot be imported: ")
    assert file_bytes(target_path) == before
    assert target.count_records() == 1


def test_a_failure_in_the_middle_of_writing_rolls_everything_back(
        source: Store, target: Store, target_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    real = Store.import_record
    calls: list[str] = []

    def failing(self: Store, record: Record, *args: Any) -> None:
        calls.append(record.id or "")
        if len(calls) == 3:
            raise OSError("disken er fuld")
        real(self, record, *args)

    monkeypatch.setattr(Store, "import_record", failing)
    before, raw = rows(target_path), file_bytes(target_path)
    with pytest.raises(OSError, match="disken er fuld"):
        pt.import_records(target, pt.export_records(source))
    assert len(calls) == 3 and rows(target_path) == before
    assert file_bytes(target_path) == raw


def test_import_record_refuses_versions_of_another_record(target: Store) -> None:
    with pytest.raises(ValueError, match="versions must belong to the record 'a'"):
        target.import_record(note("x", id="a"), [pt.RecordVersion("b", 1, {}, "draft", 1, "")])


def test_import_pairing_needs_an_id(target: Store) -> None:
    with pytest.raises(ValueError, match="a pairing needs an id"):
        target.import_pairing(Pairing(""))


# -- erasure ------------------------------------------------------------------------------

def test_erasing_a_pairing_removes_its_text_from_the_file_and_wal(source: Store,
                                                                   source_path: Path) -> None:
    source.add_pairing(Pairing("par-kanarie", mentor=f"Mentor {CANARY}"))
    rec = source.save_record(note(f"{CANARY} første " * 300, pairing="par-kanarie"), logbook())
    source.save_record(rec.with_values({"tekst": f"{CANARY} anden"}), logbook())
    source.save_draft(DraftKey("par-kanarie", "logbog", "", "mentee"), {"tekst": CANARY})
    assert CANARY.encode() in file_bytes(source_path)
    assert pt.erase_pairing(source, "par-kanarie") == 1
    assert CANARY.encode() not in source_path.read_bytes()
    assert CANARY.encode() not in Path(f"{source_path}-wal").read_bytes()
    assert [p.id for p in source.list_pairings()] == ["par-1", "par-2"]
    assert source.count_records() == 4
    with pytest.raises(RecordNotFoundError, match="ingen notat med id'et"):
        source.get_record(rec.id or "")


def test_erasing_an_unknown_pairing_is_refused(source: Store) -> None:
    with pytest.raises(RecordNotFoundError, match="ingen mentorpar med id'et 'par-x'"):
        pt.erase_pairings(source, ["par-2", "par-x"])
    assert [p.id for p in source.list_pairings()] == ["par-1", "par-2"]  # all or nothing


# -- retention ----------------------------------------------------------------------------

def entry(rec_id: str, pairing: str, updated: str, template: Template | None = None,
          fields: dict[str, Any] | None = None) -> dict[str, Any]:
    """A record as an export holds it, saved once at ``updated``."""
    template = template or logbook()
    fields = fields if fields is not None else {"tekst": rec_id}
    return {"id": rec_id, "pairing": pairing, "template_id": template.id,
            "template_version": template.version, "author_role": "mentor",
            "confidentiality": "par", "status": "final", "created": updated,
            "updated": updated, "version": 1, "fields": fields,
            "versions": [{"version": 1, "status": "final", "saved": updated,
                          "template_version": template.version, "fields": fields}]}


def history(*pairings: dict[str, Any], records: list[dict[str, Any]]) -> dict[str, Any]:
    """A document of pairings that started years ago (an import keeps their times)."""
    return {"format": "nysoc-records", "format_version": 1,
            "pairings": [{"created": "2022-01-03T09:00:00.000+00:00", **p} for p in pairings],
            "templates": [{"id": t.id, "version": t.version, "definition": t.to_dict()}
                          for t in (logbook(), evaluation())],
            "records": records}


RETENTION = history(
    {"id": "planlagt-slut", "planned_end": "2024-04-30"},
    {"id": "evalueret", "planned_end": "2023-12-31"},
    {"id": "skrev-videre", "planned_end": "2023-06-30"},
    {"id": "kun-oprettet"},
    {"id": "i-gang", "planned_end": "2099-12-31"},  # real clock: see the CLI tests
    records=[
        entry("r1", "planlagt-slut", "2023-11-02T10:00:00.000+00:00"),
        entry("r2", "evalueret", "2024-01-10T10:00:00.000+00:00", evaluation(),
              {"dato": "2024-05-20"}),
        entry("r3", "skrev-videre", "2024-10-01T10:00:00.000+00:00"),
        entry("r4", "i-gang", "2023-01-01T10:00:00.000+00:00"),
    ])


@pytest.fixture
def retention_store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "gammel.db", create=True) as store:
        pt.import_records(store, RETENTION)
        yield store


def test_programme_end_is_the_latest_sign_of_life(retention_store: Store) -> None:
    ended = {p.id: pt.programme_end(p, retention_store.list_records(pairing=p.id))
             for p in retention_store.list_pairings()}
    assert ended == {
        "planlagt-slut": (dt.date(2024, 4, 30), "planned_end"),
        "evalueret": (dt.date(2024, 5, 20), "evaluation"),
        "skrev-videre": (dt.date(2024, 10, 1), "last_record"),
        "kun-oprettet": (dt.date(2022, 1, 3), "created"),
        "i-gang": (dt.date(2099, 12, 31), "planned_end"),
    }


@pytest.mark.parametrize(("months", "today", "expected"), [
    (24, dt.date(2026, 4, 30), ["kun-oprettet"]),
    (24, dt.date(2026, 5, 1), ["kun-oprettet", "planlagt-slut"]),
    (24, dt.date(2026, 10, 2), ["kun-oprettet", "planlagt-slut", "evalueret", "skrev-videre"]),
    (60, TODAY, []),
    (1, dt.date(2100, 2, 1), ["kun-oprettet", "planlagt-slut", "evalueret", "skrev-videre",
                              "i-gang"]),
], ids=["on-the-day-is-kept", "the-day-after", "most", "long-period", "even-planned"])
def test_expired_pairings(retention_store: Store, months: int, today: dt.date,
                          expected: list[str]) -> None:
    expired = pt.expired_pairings(retention_store, months, today)
    assert [e.pairing.id for e in expired] == expected


def test_expired_pairings_say_why(retention_store: Store) -> None:
    old = pt.expired_pairings(retention_store, 24, dt.date(2026, 10, 2))
    assert [(e.basis_text, e.records) for e in old] == [
        ("mentorparret blev oprettet", 0), ("planlagt slutdato", 1),
        ("afslutningsmødet i evalueringen", 1), ("sidst ændrede notat", 1)]


@pytest.mark.parametrize(("day", "months", "expected"), [
    (dt.date(2024, 1, 15), 24, dt.date(2026, 1, 15)),
    (dt.date(2024, 8, 31), 6, dt.date(2025, 2, 28)),
    (dt.date(2023, 8, 31), 6, dt.date(2024, 2, 29)),
    (dt.date(2024, 12, 1), 1, dt.date(2025, 1, 1)),
    (dt.date(2024, 3, 3), 0, dt.date(2024, 3, 3)),
], ids=["plain", "to-end-of-february", "leap-year", "over-new-year", "zero"])
def test_add_months(day: dt.date, months: int, expected: dt.date) -> None:
    assert pt.add_months(day, months) == expected


def write_config(root: Path, extra: str = "") -> Path:
    root.mkdir(exist_ok=True)
    (root / CONFIG_FILE).write_text(f'role = "koordinator"\n{extra}', encoding="utf-8")
    return root


def test_retention_months_is_a_workspace_setting(tmp_path: Path) -> None:
    assert find_workspace(write_config(tmp_path / "a")).retention_months is None
    assert find_workspace(write_config(tmp_path / "b", "retention_months = 24\n")
                          ).retention_months == 24


@pytest.mark.parametrize("value", ['"24"', "0", "-3", "1.5", "true"],
                         ids=["text", "zero", "negative", "decimal", "bool"])
def test_retention_months_must_be_whole_months(tmp_path: Path, value: str) -> None:
    write_config(tmp_path, f"retention_months = {value}\n")
    with pytest.raises(WorkspaceError, match="retention_months skal være et helt antal "
                                             "måneder, mindst 1"):
        find_workspace(tmp_path)


# -- the command --------------------------------------------------------------------------

@pytest.fixture
def workspace(tmp_path: Path, source: Store) -> Path:
    """A coordinator's workspace holding the source store's data."""
    root = write_config(tmp_path / "arbejdsomraade")
    with Store.open(root / STORE_FILE, create=True) as store:
        pt.import_records(store, pt.export_records(source))
    return root




class Terminal(io.StringIO):
    """What a user types at a terminal."""

    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize("command", ["export", "import", "erase", "retention"])
def test_data_help_is_danish(capsys: pytest.CaptureFixture[str], command: str) -> None:
    code, out, _ = run(capsys, "data", command, "--help")
    assert code == 0 and out.startswith(f"Brug: nysoc data {command}")
    assert "--workspace MAPPE" in out and "usage:" not in out


def test_export_to_stdout_is_the_json_document(capsys: pytest.CaptureFixture[str],
                                               workspace: Path) -> None:
    code, out, err = run(capsys, "data", "export", "--workspace", workspace)
    assert (code, err) == (0, "")
    doc = json.loads(out)
    assert doc["format"] == "nysoc-records" and len(doc["records"]) == 4


def test_export_to_a_file_is_owner_only_and_atomic(capsys: pytest.CaptureFixture[str],
                                                   workspace: Path, tmp_path: Path) -> None:
    out_file = tmp_path / "udlevering.json"
    out_file.write_text("gammel", encoding="utf-8")
    out_file.chmod(0o644)
    code, out, _ = run(capsys, "data", "export", "--pairing", "par-1", "--out", out_file,
                       "--workspace", workspace)
    assert code == 0
    assert out == f"2 notater fra 1 mentorpar er skrevet til {out_file} (kun du kan læse filen).\n"
    assert out_file.stat().st_mode & 0o777 == 0o600
    assert len(json.loads(out_file.read_text(encoding="utf-8"))["records"]) == 2
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")) == []


def test_export_of_an_unknown_pairing_exits_1(capsys: pytest.CaptureFixture[str],
                                              workspace: Path) -> None:
    code, out, err = run(capsys, "data", "export", "--pairing", "par-x", "--workspace",
                         workspace)
    assert (code, out) == (1, "")
    assert one_line(err) == "Fejl: Der findes ingen mentorpar med id'et 'par-x'."


def test_import_prints_a_danish_summary_and_is_idempotent(
        capsys: pytest.CaptureFixture[str], workspace: Path, tmp_path: Path,
        source: Store) -> None:
    other = write_config(tmp_path / "andet")
    Store.open(other / STORE_FILE, create=True).close()
    export = tmp_path / "eksport.json"
    pt.write_document(pt.export_records(source), export)
    code, out, _ = run(capsys, "data", "import", export, "--workspace", other)
    assert code == 0
    assert out.splitlines() == [f"Indlæst fra {export} i arbejdsområdet {other}.",
                                "Notater: 4 nye, 0 opdateret, 0 fandtes allerede.",
                                "Mentorpar: 2 nye. Skabelonversioner: 2 nye."]
    code, out, _ = run(capsys, "data", "import", export, "--workspace", other)
    assert code == 0 and "Notater: 0 nye, 0 opdateret, 4 fandtes allerede." in out


def test_import_reads_standard_input(capsys: pytest.CaptureFixture[str], workspace: Path,
                                     source: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    data = pt.dumps(pt.export_records(source)).encode("utf-8")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    code, out, _ = run(capsys, "data", "import", "-", "--workspace", workspace)
    assert code == 0 and out.startswith("Indlæst fra <standardinput> i arbejdsområdet")
    assert "4 fandtes allerede" in out


@pytest.mark.parametrize(("content", "message"), [
    (b'{"format": "noget andet"}', "Fejl: Filen {file} kan ikke indlæses: den er ikke en "
                                   "dataeksport fra nysoc"),
    (None, "Fejl: {file} kan ikke bruges: filen eller mappen findes ikke"),
], ids=["foreign", "missing"])
def test_a_refused_import_exits_1_with_one_line(capsys: pytest.CaptureFixture[str],
                                                workspace: Path, tmp_path: Path,
                                                content: bytes | None, message: str) -> None:
    path = tmp_path / "fremmed.json"
    if content is not None:
        path.write_bytes(content)
    before = file_bytes(workspace / STORE_FILE)
    code, out, err = run(capsys, "data", "import", path, "--workspace", workspace)
    assert (code, out) == (1, "")
    assert one_line(err).startswith(message.format(file=path))
    assert file_bytes(workspace / STORE_FILE) == before


def test_erase_with_yes(capsys: pytest.CaptureFixture[str], workspace: Path) -> None:
    code, out, _ = run(capsys, "data", "erase", "--pairing", "par-1", "--yes", "--workspace",
                       workspace)
    assert code == 0
    assert out == "Mentorparret par-1 og 2 notater er slettet, også fra databasefilen.\n"
    with Store.open(workspace / STORE_FILE) as store:
        assert [p.id for p in store.list_pairings()] == ["par-2"]
    assert "Ørsted".encode() not in file_bytes(workspace / STORE_FILE)


def test_erase_without_a_terminal_or_yes_is_refused(capsys: pytest.CaptureFixture[str],
                                                    workspace: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("j\n"))  # piped: not a terminal
    code, out, err = run(capsys, "data", "erase", "--pairing", "par-1", "--workspace",
                         workspace)
    assert (code, out) == (1, "")
    assert one_line(err) == ("Fejl: sletning skal bekræftes: kør kommandoen i en terminal, "
                             "eller tilføj --yes. Intet er slettet.")
    with Store.open(workspace / STORE_FILE) as store:
        assert store.count_records(pairing="par-1") == 2


@pytest.mark.parametrize(("answer", "code", "left"), [
    ("j\n", 0, 0), ("ja\n", 0, 0), ("n\n", 1, 2), ("\n", 1, 2), ("", 1, 2),
], ids=["j", "ja", "n", "enter", "end-of-input"])
def test_erase_asks_on_a_terminal(capsys: pytest.CaptureFixture[str], workspace: Path,
                                  monkeypatch: pytest.MonkeyPatch, answer: str, code: int,
                                  left: int) -> None:
    monkeypatch.setattr(sys, "stdin", Terminal(answer))
    got, out, err = run(capsys, "data", "erase", "--pairing", "par-1", "--workspace", workspace)
    assert got == code
    assert out.startswith("Slet mentorparret par-1 med 2 notater og deres historik? Det kan "
                          "ikke fortrydes. [j/N] ")
    assert err == ("" if code == 0 else "Intet er slettet.\n")
    with Store.open(workspace / STORE_FILE) as store:
        assert store.count_records(pairing="par-1") == left


def test_erase_of_an_unknown_pairing_exits_1(capsys: pytest.CaptureFixture[str],
                                             workspace: Path) -> None:
    code, _, err = run(capsys, "data", "erase", "--pairing", "par-x", "--yes", "--workspace",
                       workspace)
    assert code == 1 and one_line(err) == "Fejl: Der findes ingen mentorpar med id'et 'par-x'."


@pytest.fixture
def old_workspace(tmp_path: Path) -> Path:
    """A workspace keeping records 24 months, with pairings that ended long ago."""
    root = write_config(tmp_path / "gammelt", "retention_months = 24\n")
    with Store.open(root / STORE_FILE, create=True) as store:
        pt.import_records(store, RETENTION)
    return root


def test_retention_needs_the_setting(capsys: pytest.CaptureFixture[str],
                                     workspace: Path) -> None:
    code, _, err = run(capsys, "data", "retention", "--workspace", workspace)
    assert code == 1
    assert one_line(err) == ("Fejl: arbejdsområdet har ingen opbevaringsfrist. Skriv f.eks. "
                             f"retention_months = 24 i {workspace / CONFIG_FILE}")


def test_retention_lists_without_erasing(capsys: pytest.CaptureFixture[str],
                                         old_workspace: Path) -> None:
    code, out, _ = run(capsys, "data", "retention", "--workspace", old_workspace)
    assert code == 0
    assert out.splitlines() == [
        "4 mentorpar sluttede for mere end 24 måneder siden:",
        "  kun-oprettet                 sluttede 2022-01-03 (mentorparret blev oprettet), "
        "0 notater",
        "  planlagt-slut                sluttede 2024-04-30 (planlagt slutdato), 1 notater",
        "  evalueret                    sluttede 2024-05-20 (afslutningsmødet i evalueringen),"
        " 1 notater",
        "  skrev-videre                 sluttede 2024-10-01 (sidst ændrede notat), 1 notater",
        "Slet dem med:  nysoc data retention --erase",
    ]
    with Store.open(old_workspace / STORE_FILE) as store:
        assert len(store.list_pairings()) == 5


def test_retention_with_nothing_expired(capsys: pytest.CaptureFixture[str],
                                        tmp_path: Path) -> None:
    root = write_config(tmp_path / "nyt", "retention_months = 24\n")
    Store.open(root / STORE_FILE, create=True).close()
    code, out, _ = run(capsys, "data", "retention", "--erase", "--workspace", root)
    assert (code, out) == (0, "Ingen mentorpar sluttede for mere end 24 måneder siden.\n")


def test_retention_erase_asks_then_erases(capsys: pytest.CaptureFixture[str],
                                          old_workspace: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", Terminal("j\n"))
    code, out, _ = run(capsys, "data", "retention", "--erase", "--workspace", old_workspace)
    assert code == 0
    assert ("Slet disse 4 mentorpar med i alt 3 notater og deres historik? Det kan ikke "
            "fortrydes. [j/N] 4 mentorpar med 3 notater er slettet, også fra databasefilen."
            in out)
    with Store.open(old_workspace / STORE_FILE) as store:
        assert [p.id for p in store.list_pairings()] == ["i-gang"]


@pytest.mark.parametrize(("stdin", "flags", "code", "left"), [
    (io.StringIO(""), ["--yes"], 0, 1),
    (io.StringIO(""), [], 1, 5),
    (Terminal("nej\n"), [], 1, 5),
], ids=["yes", "no-terminal", "declined"])
def test_retention_erase_confirmation(capsys: pytest.CaptureFixture[str], old_workspace: Path,
                                      monkeypatch: pytest.MonkeyPatch, stdin: io.StringIO,
                                      flags: list[str], code: int, left: int) -> None:
    monkeypatch.setattr(sys, "stdin", stdin)
    got, _, err = run(capsys, "data", "retention", "--erase", *flags, "--workspace",
                      old_workspace)
    assert got == code
    if code:
        assert "Intet er slettet." in one_line(err)
    with Store.open(old_workspace / STORE_FILE) as store:
        assert len(store.list_pairings()) == left


# -- who holds what: a mentee shares one logbook entry with her mentor ---------------------

def test_export_of_one_record_holds_it_its_history_and_its_templates(source: Store) -> None:
    shared = source.list_records(pairing="par-1", author_role="mentee")[0]
    doc = pt.export_records(source, record=shared.id)
    assert [r["id"] for r in doc["records"]] == [shared.id]
    assert [v["version"] for v in doc["records"][0]["versions"]] == [1, 2, 3]
    assert [(t["id"], t["version"]) for t in doc["templates"]] == [("logbog", 1), ("logbog", 2)]
    assert [p["id"] for p in doc["pairings"]] == ["par-1"]
    assert "Mødenotat" not in pt.dumps(doc) and "Par to" not in pt.dumps(doc)
    own = source.list_records(pairing="")[0]
    assert pt.export_records(source, record=own.id)["pairings"] == []


def test_export_of_an_unknown_or_mismatched_record_is_refused(source: Store) -> None:
    with pytest.raises(RecordNotFoundError, match="'ukendt'"):
        pt.export_records(source, record="ukendt")
    other = source.list_records(pairing="par-2")[0]
    with pytest.raises(RecordNotFoundError, match=f"'{other.id}'"):
        pt.export_records(source, record=other.id, pairing="par-1")


def own_workspace(root: Path, role: str) -> Path:
    root.mkdir()
    (root / CONFIG_FILE).write_text(f'role = "{role}"\n', encoding="utf-8")
    return root


def test_a_mentee_shares_one_logbook_entry_with_her_mentor(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """Each keeps a workspace of their own; one entry travels as a file, nothing else."""
    pairing = Pairing("par-1", mentor="Søren", mentee="Åse", start_date="2026-01-05")
    hers = own_workspace(tmp_path / "mentee", "mentee")
    with Store.open(hers / STORE_FILE, create=True) as store:
        store.add_pairing(pairing)
        store.save_record(note(f"Privat tvivl {CANARY}"), logbook())
        chosen = store.save_record(note("Børnesamtalen, som jeg vil tage op"), logbook())
        chosen = store.save_record(chosen.with_values(
            {"tekst": "Børnesamtalen, som jeg vil tage op med min mentor", "trivsel": 3},
            status="final"), logbook())
        store.save_record(note(f"Endnu en privat {CANARY}"), logbook())
    shared_id = chosen.id or ""
    his = own_workspace(tmp_path / "mentor", "mentor")
    with Store.open(his / STORE_FILE, create=True) as store:
        store.add_pairing(pairing)
        store.save_record(note("Mentors forberedelse", author_role="mentor"), logbook())

    shared = tmp_path / "til-mentor.json"
    code, out, _ = run(capsys, "data", "export", "--record", shared_id, "--out", shared,
                       "--workspace", hers)
    assert code == 0
    assert out.startswith(f"Notatet {shared_id} er skrevet til {shared} med sin historik")
    assert CANARY.encode("utf-8") not in shared.read_bytes()

    code, out, _ = run(capsys, "data", "import", shared, "--workspace", his)
    assert code == 0 and "Notater: 1 nye, 0 opdateret, 0 fandtes allerede." in out
    with Store.open(his / STORE_FILE) as store:
        from_her = store.list_records(template_id="logbog", author_role="mentee")
        assert [r.id for r in from_her] == [shared_id]
        assert from_her[0].values["tekst"].endswith("med min mentor")
        assert [v.version for v in store.versions(shared_id)] == [1, 2]
        assert len(store.list_records(template_id="logbog")) == 2  # his own and hers
        assert [p.id for p in store.list_pairings()] == ["par-1"]
    assert CANARY.encode("utf-8") not in file_bytes(his / STORE_FILE)


def test_export_of_an_unknown_record_exits_1(capsys: pytest.CaptureFixture[str],
                                             workspace: Path) -> None:
    code, out, err = run(capsys, "data", "export", "--record", "ukendt", "--workspace",
                         workspace)
    assert (code, out) == (1, "")
    assert one_line(err) == "Fejl: Der findes ingen notat med id'et 'ukendt'."
