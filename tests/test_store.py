"""The store against real SQLite files: round trips, history, erasure, refusals, crashes."""

from __future__ import annotations

import multiprocessing
import os
import signal
import sqlite3
import struct
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

from nysoc_widgets import _schema
from nysoc_widgets import store as store_module
from nysoc_widgets.errors import (
    PairingExistsError,
    RecordNotFoundError,
    StoreCorruptError,
    StoreError,
    StoreNotFoundError,
    StoreTooNewError,
)
from nysoc_widgets.records import Pairing, Record
from nysoc_widgets.store import Draft, DraftKey, Store
from nysoc_widgets.templates import Template, parse_template

REPO = Path(__file__).resolve().parents[1]
CANARY = "KANARIEFUGL-æøå-7f3a"


def logbook(version: int = 1) -> Template:
    """A tiny logbook template; version 2 adds a question."""
    fields: list[dict[str, Any]] = [
        {"id": "tekst", "kind": "long_text", "label": {"da": "Det, jeg er i tvivl om"}},
        {"id": "trivsel", "kind": "scale", "label": {"da": "Trivsel"}},
        {"id": "dato", "kind": "date", "label": {"da": "Dato"}},
        {"id": "punkter", "kind": "list", "label": {"da": "Punkter"}},
    ]
    if version > 1:
        fields.append({"id": "naeste", "kind": "short_text", "label": {"da": "Næste skridt"}})
    return parse_template({
        "schema_version": 1, "id": "logbog", "version": version, "source": "test",
        "title": {"da": "Logbog", "en": "Logbook"}, "confidentiality": "privat",
        "sections": [{"id": "refleksion", "title": {"da": "Refleksion"}, "fields": fields}],
    })


def note(text: str = "Jeg var i tvivl om børnesamtalen på Ærø", *, pairing: str = "par-1",
         template: Template | None = None, **changes: Any) -> Record:
    template = template or logbook()
    values = {"tekst": text, "trivsel": 4, "dato": "2026-03-01", "punkter": ["åbenhed"]}
    fields: dict[str, Any] = {"author_role": "mentee", "confidentiality": "privat", **changes}
    return Record(pairing=pairing, template_id=template.id, template_version=template.version,
                  values=values, **fields)


@pytest.fixture
def template() -> Template:
    return logbook()


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "nysoc.db"


@pytest.fixture
def store(path: Path) -> Any:
    with Store.open(path, create=True) as s:
        s.add_pairing(Pairing("par-1", mentor="Søren Ørsted", mentee="Åse Bæk",
                              department="Børn og Unge, Ærø"))
        yield s


def snapshot(path: Path) -> tuple[bytes, int]:
    return path.read_bytes(), path.stat().st_mtime_ns


def file_bytes(path: Path) -> bytes:
    """The main file and its -wal, as they are on disk."""
    wal = Path(f"{path}-wal")
    return path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


# -- pairings ---------------------------------------------------------------------------

def test_pairing_round_trip_keeps_danish_text(store: Store) -> None:
    got = store.get_pairing("par-1")
    assert (got.mentor, got.mentee, got.department) == ("Søren Ørsted", "Åse Bæk",
                                                          "Børn og Unge, Ærø")
    assert got.created
    updated = store.update_pairing(Pairing("par-1", mentor="Søren Ørsted", mentee="Åse Bæk",
                                           planned_end="2027-06-30"))
    assert updated.planned_end == "2027-06-30"
    assert updated.created == got.created
    added = store.add_pairing(Pairing("par-2", mentor="Øjvind"))
    assert added.created >= got.created
    assert [p.id for p in store.list_pairings()] == ["par-1", "par-2"]


def test_a_pairing_needs_an_id(store: Store) -> None:
    with pytest.raises(ValueError, match="a pairing needs an id"):
        store.add_pairing(Pairing(""))


def test_adding_a_pairing_twice_is_refused(store: Store) -> None:
    with pytest.raises(PairingExistsError, match="findes allerede et mentorpar .*'par-1'"):
        store.add_pairing(Pairing("par-1"))
    assert store.get_pairing("par-1").mentor == "Søren Ørsted"


@pytest.mark.parametrize("call, what", [
    pytest.param(lambda s: s.get_pairing("nope"), "mentorpar", id="get_pairing"),
    pytest.param(lambda s: s.update_pairing(Pairing("nope")), "mentorpar", id="update_pairing"),
    pytest.param(lambda s: s.delete_pairing("nope"), "mentorpar", id="delete_pairing"),
    pytest.param(lambda s: s.save_record(note(pairing="nope"), logbook()), "mentorpar",
                 id="save_record-unknown-pairing"),
    pytest.param(lambda s: s.save_draft(DraftKey("nope", "logbog", "", "mentee"), {}),
                 "mentorpar", id="save_draft-unknown-pairing"),
    pytest.param(lambda s: s.get_record("nope"), "notat", id="get_record"),
    pytest.param(lambda s: s.save_record(note(id="nope", version=3), logbook()), "notat",
                 id="save_record-gone"),
    pytest.param(lambda s: s.delete_record("nope"), "notat", id="delete_record"),
])
def test_unknown_ids_raise_record_not_found(store: Store, call: Any, what: str) -> None:
    with pytest.raises(RecordNotFoundError, match=f"ingen {what} med id'et 'nope'"):
        call(store)
    assert store.count_records() == 0


# -- records and their history ----------------------------------------------------------

def test_record_round_trip_survives_a_restart(store: Store, path: Path,
                                              template: Template) -> None:
    saved = store.save_record(note(), template)
    assert saved.id and len(saved.id) == 32
    assert (saved.version, saved.created) == (1, saved.updated)
    assert store.get_record(saved.id) == saved
    store.close()
    with Store.open(path) as again:
        back = again.get_record(saved.id)
    assert back == saved
    assert back.values["tekst"] == "Jeg var i tvivl om børnesamtalen på Ærø"


def test_every_save_is_kept_as_a_version_oldest_first(store: Store, template: Template) -> None:
    first = store.save_record(note("første udkast"), template)
    second = store.save_record(first.with_values({**first.values, "tekst": "anden"}), template)
    third = store.save_record(second.with_values({**second.values, "tekst": "tredje"}, "final"),
                              template)
    assert (third.version, third.created, third.status) == (3, first.created, "final")
    assert third.updated >= second.updated >= first.updated
    history = store.versions(first.id)  # type: ignore[arg-type]
    assert [(v.version, v.values["tekst"], v.status) for v in history] == [
        (1, "første udkast", "draft"), (2, "anden", "draft"), (3, "tredje", "final")]
    assert [v.saved for v in history] == [first.updated, second.updated, third.updated]
    assert store.versions("unknown") == []


def test_records_and_drafts_need_no_pairing(store: Store, template: Template) -> None:
    key = DraftKey("", "logbog", "", "koordinator")
    store.save_draft(key, {"tekst": "tovholderens egen kladde"})
    saved = store.save_record(note(pairing="", author_role="koordinator"), template,
                              draft_key=key)
    assert store.get_record(saved.id).pairing == ""  # type: ignore[arg-type]
    assert store.list_records(pairing="") == [saved]
    assert store.get_draft(key) is None


def test_a_stale_copy_still_gets_the_next_version(store: Store, template: Template) -> None:
    first = store.save_record(note(), template)
    store.save_record(first.with_values({"tekst": "fra fanen i går"}), template)
    again = store.save_record(first.with_values({"tekst": "fra fanen i dag"}), template)
    assert again.version == 3
    assert [v.values["tekst"] for v in store.versions(first.id)][1:] == [  # type: ignore[arg-type]
        "fra fanen i går", "fra fanen i dag"]


def test_template_snapshot_keeps_the_older_version(store: Store) -> None:
    old = store.save_record(note(template=logbook(1)), logbook(1))
    store.save_record(note(template=logbook(2)), logbook(2))
    assert store.template_snapshot("logbog", 1) == logbook(1)
    assert store.template_snapshot("logbog", 2) == logbook(2)
    assert store.template_snapshot("logbog", 9) is None
    assert store.get_record(old.id).template_version == 1  # type: ignore[arg-type]


def test_saving_under_another_template_version_is_refused(store: Store) -> None:
    with pytest.raises(ValueError, match="version 1, not 'logbog' version 2"):
        store.save_record(note(template=logbook(1)), logbook(2))
    assert store.count_records() == 0


@pytest.fixture
def filled(store: Store, template: Template) -> Store:
    store.add_pairing(Pairing("par-2"))
    store.save_record(note(), template)
    store.save_record(note(status="final"), template)
    store.save_record(note(pairing="par-2", author_role="mentor"), template)
    return store


@pytest.mark.parametrize("filters, expected", [
    pytest.param({}, 3, id="all"),
    pytest.param({"pairing": "par-2"}, 1, id="pairing"),
    pytest.param({"status": "final"}, 1, id="status"),
    pytest.param({"author_role": "mentee", "pairing": "par-1"}, 2, id="role-and-pairing"),
    pytest.param({"template_id": "andet"}, 0, id="no-match"),
])
def test_list_and_count_records_filter(filled: Store, filters: dict[str, str],
                                       expected: int) -> None:
    listed = filled.list_records(**filters)
    assert len(listed) == filled.count_records(**filters) == expected
    assert [r.created for r in listed] == sorted(r.created for r in listed)


def test_records_frame_has_metadata_then_field_columns(filled: Store, template: Template) -> None:
    import pandas as pd

    frame = filled.records_frame(template=template, pairing="par-1")
    assert list(frame.columns) == [
        "id", "pairing", "template_id", "template_version", "author_role", "confidentiality",
        "status", "created", "updated", "version", "tekst", "trivsel", "dato", "punkter"]
    assert len(frame) == 2
    assert str(frame["trivsel"].dtype) == "Int64"
    assert str(frame["tekst"].dtype) == "string"
    assert pd.api.types.is_datetime64_any_dtype(frame["dato"])
    assert str(frame["created"].dtype).startswith("datetime64") and frame["created"].dt.tz
    assert len(filled.records_frame()) == 3


def test_transaction_makes_several_saves_atomic(store: Store, template: Template) -> None:
    with pytest.raises(RuntimeError, match="afbrudt"):
        with store.transaction():
            store.save_record(note("et"), template)
            store.save_record(note("to"), template)
            raise RuntimeError("afbrudt")
    assert store.count_records() == 0
    with store.transaction():
        store.save_record(note("et"), template)
        store.save_record(note("to"), template)
    assert store.count_records() == 2


def test_threads_can_share_a_store(store: Store, template: Template) -> None:
    def work() -> None:
        for _ in range(25):
            store.save_record(note(), template)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert store.count_records() == 100


# -- drafts ---------------------------------------------------------------------------

def test_drafts_save_get_and_discard(store: Store) -> None:
    key = DraftKey("par-1", "logbog", "", "mentee")
    assert store.get_draft(key) is None
    first = store.save_draft(key, {"tekst": "halvfærdig tanke om ø"})
    assert store.get_draft(key) == first
    assert isinstance(first, Draft) and first.values == {"tekst": "halvfærdig tanke om ø"}
    store.save_draft(key, {"tekst": "lidt mere"})
    assert store.get_draft(key).values == {"tekst": "lidt mere"}  # type: ignore[union-attr]
    assert store.get_draft(DraftKey("par-1", "logbog", "", "mentor")) is None
    store.discard_draft(key)
    store.discard_draft(key)  # nothing left: not an error
    assert store.get_draft(key) is None


def test_saving_a_record_discards_its_draft(store: Store, template: Template) -> None:
    key = DraftKey("par-1", "logbog", "", "mentee")
    other = DraftKey("par-1", "logbog", "", "mentor")
    store.save_draft(key, {"tekst": "kladde"})
    store.save_draft(other, {"tekst": "mentors kladde"})
    store.save_record(note(), template, draft_key=key)
    assert store.get_draft(key) is None
    assert store.get_draft(other) is not None


# -- erasure --------------------------------------------------------------------------

def test_a_discarded_draft_is_erased_from_the_files(store: Store, path: Path,
                                                    template: Template) -> None:
    """The autosave kept a draft with a CPR number; the author anonymised and saved. The
    record holds "[CPR]", and the draft's text is gone from the file and the -wal."""
    key = DraftKey("par-1", "logbog", "", "mentee")
    store.save_draft(key, {"tekst": f"Borgeren {CANARY} ringede"})
    assert CANARY.encode() in file_bytes(path)
    store.save_record(note("Borgeren [CPR] ringede"), template, draft_key=key)
    assert CANARY.encode() not in file_bytes(path)
    store.save_draft(key, {"tekst": CANARY})
    store.discard_draft(key)
    assert CANARY.encode() not in file_bytes(path)


@pytest.mark.parametrize("size", [1, 40], ids=["short-text", "overflow-pages"])
def test_delete_record_erases_it_from_the_files(store: Store, path: Path, template: Template,
                                                size: int) -> None:
    kept = store.save_record(note("bliver"), template)
    secret = store.save_record(note(f"{CANARY} " * size), template)
    store.save_record(secret.with_values({"tekst": f"{CANARY} igen " * size}), template)
    store.save_draft(DraftKey("par-1", "logbog", secret.id, "mentee"),  # type: ignore[arg-type]
                     {"tekst": CANARY})
    assert CANARY.encode() in file_bytes(path)
    store.delete_record(secret.id)  # type: ignore[arg-type]
    assert CANARY.encode() not in file_bytes(path)
    assert store.versions(secret.id) == []  # type: ignore[arg-type]
    assert store.get_draft(DraftKey("par-1", "logbog", secret.id or "", "mentee")) is None
    assert [r.id for r in store.list_records()] == [kept.id]


def test_delete_pairing_erases_its_records_versions_and_drafts(store: Store, path: Path,
                                                               template: Template) -> None:
    store.add_pairing(Pairing("par-2", mentor="bliver"))
    kept = store.save_record(note(pairing="par-2"), template)
    gone = store.save_record(note(CANARY), template)
    store.save_record(gone.with_values({"tekst": CANARY + "2"}), template)
    store.save_draft(DraftKey("par-1", "logbog", "", "mentee"), {"tekst": CANARY})
    store.delete_pairing("par-1")
    assert CANARY.encode() not in file_bytes(path)
    assert "Ørsted".encode() not in file_bytes(path)
    assert [p.id for p in store.list_pairings()] == ["par-2"]
    assert [r.id for r in store.list_records()] == [kept.id]
    assert store.versions(gone.id) == []  # type: ignore[arg-type]


def test_a_delete_inside_a_larger_transaction_erases_after_its_commit(
        store: Store, path: Path, template: Template) -> None:
    secret = store.save_record(note(CANARY), template)
    with pytest.raises(RuntimeError, match="fortrudt"):
        with store.transaction():
            store.delete_record(secret.id or "")
            raise RuntimeError("fortrudt")
    assert store.get_record(secret.id or "") == secret
    with store.transaction():
        store.delete_record(secret.id or "")
        store.save_record(note("erstatning"), template)
    assert CANARY.encode() not in file_bytes(path)
    assert [r.values["tekst"] for r in store.list_records()] == ["erstatning"]


def test_erasure_blocked_by_a_reader_is_finished_on_close(
        path: Path, template: Template, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store_module, "BUSY_TIMEOUT", 0.2)
    store = Store.open(path, create=True)
    store.add_pairing(Pairing("par-1"))
    secret = store.save_record(note(CANARY), template)
    reader = sqlite3.connect(path, isolation_level=None)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM records").fetchall()  # holds the old snapshot
    store.delete_record(secret.id)  # type: ignore[arg-type]
    assert CANARY.encode() in file_bytes(path)  # still in the -wal while the reader holds on
    reader.execute("COMMIT")
    reader.close()
    store.close()
    assert CANARY.encode() not in file_bytes(path)


# -- the file ---------------------------------------------------------------------------

@pytest.mark.parametrize("umask", [0o000, 0o022, 0o077], ids=["umask-000", "umask-022",
                                                              "umask-077"])
def test_store_files_are_private(path: Path, template: Template, umask: int) -> None:
    old = os.umask(umask)
    try:
        with Store.open(path, create=True) as store:
            store.add_pairing(Pairing("par-1"))
            store.save_record(note(), template)
            for name in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
                assert name.stat().st_mode & 0o777 == 0o600, name
    finally:
        os.umask(old)
    assert sorted(p.name for p in path.parent.iterdir()) == ["nysoc.db"]  # no temp files


def test_connections_are_durable_and_erase(store: Store) -> None:
    with store.transaction() as conn:
        got = {p: conn.execute(f"PRAGMA {p}").fetchone()[0] for p in (
            "journal_mode", "synchronous", "foreign_keys", "secure_delete", "busy_timeout")}
    assert got == {"journal_mode": "wal", "synchronous": 2, "foreign_keys": 1,
                   "secure_delete": 1, "busy_timeout": 10_000}


def test_reading_a_missing_store_creates_nothing(tmp_path: Path) -> None:
    with pytest.raises(StoreNotFoundError, match="Der er ingen nysoc-database i .*nysoc.db"):
        Store.open(tmp_path / "nysoc.db")
    assert list(tmp_path.iterdir()) == []


def test_a_store_cannot_be_created_in_a_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="kan ikke oprettes"):
        Store.open(tmp_path / "mangler" / "nysoc.db", create=True)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("read_only", [True, False], ids=["checking", "opening"])
def test_sqlite_failing_to_open_a_store_is_not_called_damage(
        store: Store, path: Path, monkeypatch: pytest.MonkeyPatch, read_only: bool) -> None:
    real = _schema.connect

    def failing(p: Path, *, read_only: bool, busy_timeout: float) -> sqlite3.Connection:
        if read_only == wanted:
            raise sqlite3.OperationalError("unable to open database file")
        return real(p, read_only=read_only, busy_timeout=busy_timeout)

    wanted = read_only
    store.close()  # a file this process has open is not checked again (see _schema)
    monkeypatch.setattr(_schema, "connect", failing)
    with pytest.raises(StoreError, match="SQLite-fejl: unable to open") as caught:
        Store.open(path)
    assert not isinstance(caught.value, StoreCorruptError)


def test_a_folder_is_not_a_store(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="filen kan ikke læses"):
        Store.open(tmp_path)


def test_a_failed_creation_leaves_nothing_behind(path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_schema, "_V1", _schema._V1 + "CREATE TABLE records (x);")
    with pytest.raises(StoreError, match="databasen kan ikke oprettes: table records already"):
        Store.open(path, create=True)
    assert list(path.parent.iterdir()) == []


def test_creating_never_replaces_an_existing_store(store: Store, path: Path,
                                                   template: Template) -> None:
    saved = store.save_record(note(), template)
    _schema.create_file(path)  # as a second process that lost the race would
    assert store.get_record(saved.id) == saved  # type: ignore[arg-type]
    assert sorted(p.name for p in path.parent.iterdir()) == [
        "nysoc.db", "nysoc.db-shm", "nysoc.db-wal"]


def test_creating_without_hard_links_falls_back_to_replace(
        path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_links(src: object, dst: object) -> None:
        raise PermissionError("no hard links here")

    monkeypatch.setattr(os, "link", no_links)
    with Store.open(path, create=True) as store:
        assert store.list_pairings() == []
    assert sorted(p.name for p in path.parent.iterdir()) == ["nysoc.db"]


def _real_store(path: Path, records: int = 0) -> None:
    with Store.open(path, create=True) as store:
        store.add_pairing(Pairing("par-1"))
        with store.transaction():
            for i in range(records):
                store.save_record(note(f"notat {i} " + "æøå " * 300), logbook())


def _random_bytes(path: Path) -> None:
    path.write_bytes(os.urandom(8192))


def _empty(path: Path) -> None:
    path.write_bytes(b"")


def _truncated(path: Path) -> None:
    _real_store(path, records=20)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _other_sqlite(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE regnskab (beløb REAL)")
    conn.commit()
    conn.close()


def _version_zero(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA application_id = {_schema.APPLICATION_ID}")
    conn.execute("CREATE TABLE x (y)")
    conn.commit()
    conn.close()


def _missing_table(path: Path) -> None:
    _real_store(path)
    conn = sqlite3.connect(path)
    conn.execute("DROP TABLE drafts")
    conn.close()


def _damaged_pages(path: Path) -> None:
    _real_store(path, records=60)
    data = bytearray(path.read_bytes())
    pages = len(data) // 4096
    for page in range(pages // 3, 2 * pages // 3):
        data[page * 4096 + 8: page * 4096 + 4000] = os.urandom(3992)
    path.write_bytes(bytes(data))


def _leaked_page(path: Path) -> None:
    """One page more than the b-trees use: SQLite's check reports it (nothing raises)."""
    _real_store(path, records=5)
    data = bytearray(path.read_bytes())
    struct.pack_into(">I", data, 28, struct.unpack_from(">I", data, 28)[0] + 1)
    path.write_bytes(bytes(data) + bytes(4096))


def _damaged_schema(path: Path) -> None:
    _real_store(path, records=3)
    data = bytearray(path.read_bytes())
    data[100:4096] = b"\xff" * 3996  # page 1 after the header: the schema table
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("make, reason, before_sqlite", [
    pytest.param(_random_bytes, "ikke en SQLite-database", True, id="random-bytes"),
    pytest.param(_empty, "ikke en SQLite-database", True, id="empty-file"),
    pytest.param(_truncated, "filen er afkortet", True, id="truncated-store"),
    pytest.param(_other_sqlite, "ikke en nysoc-database", True, id="other-sqlite-file"),
    pytest.param(_version_zero, r"ukendt skemanummer \(0\)", True, id="schema-zero"),
    pytest.param(_missing_table, "tabellen 'drafts' mangler", False, id="missing-table"),
    pytest.param(_damaged_pages, "SQLite", False, id="damaged-pages"),
    pytest.param(_leaked_page, "SQLite's kontrol af filen fandt fejl: .* Page \\d+ is never used",
                 False, id="leaked-page"),
    pytest.param(_damaged_schema, "SQLite kan ikke læse filen", False, id="damaged-schema"),
])
def test_a_corrupt_file_is_refused_and_left_untouched(path: Path, make: Any, reason: str,
                                                      before_sqlite: bool) -> None:
    make(path)
    before = snapshot(path)
    files = sorted(p.name for p in path.parent.iterdir())
    with pytest.raises(StoreCorruptError, match=f"ikke en læsbar nysoc-database .*{reason}"):
        Store.open(path)
    with pytest.raises(StoreCorruptError, match=reason):
        Store.open(path, create=True)
    assert snapshot(path) == before
    if before_sqlite:  # refused from the raw header: SQLite never opened it
        assert sorted(p.name for p in path.parent.iterdir()) == files


def test_damage_in_a_large_store_is_caught_when_read(path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    _damaged_pages(path)
    monkeypatch.setattr(_schema, "FULL_CHECK_BYTES", 0)  # as if the file were over the limit
    with Store.open(path) as store:  # the bounded check reads the ends, not the middle
        with pytest.raises(StoreCorruptError, match="SQLite kan ikke læse filen"):
            for record in store.list_records():
                store.versions(record.id)  # type: ignore[arg-type]


@pytest.mark.parametrize("in_wal", [False, True], ids=["checkpointed", "still-in-wal"])
def test_a_newer_store_is_refused_and_left_untouched(path: Path, in_wal: bool) -> None:
    _real_store(path, records=2)
    newer = sqlite3.connect(path, isolation_level=None)
    newer.execute("PRAGMA wal_autocheckpoint = 0")
    newer.execute(f"PRAGMA user_version = {_schema.SCHEMA_VERSION + 1}")
    if not in_wal:
        newer.close()
    before = snapshot(path)
    with pytest.raises(StoreTooNewError, match=r"nyere version af nysoc \(skema 2; denne "
                                               r"version kender op til 1\)") as caught:
        Store.open(path)
    assert (caught.value.found, caught.value.supported) == (2, 1)
    assert snapshot(path) == before
    if in_wal:
        newer.close()


# -- upgrading --------------------------------------------------------------------------

@pytest.fixture
def v2(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Pretend this nysoc writes schema 2, whose upgrader adds a table; returns its calls."""
    calls: list[int] = []

    def v1_to_v2(conn: sqlite3.Connection) -> None:
        calls.append(1)
        conn.execute("CREATE TABLE goals (id TEXT PRIMARY KEY, text TEXT NOT NULL)")
        conn.execute("ALTER TABLE records ADD COLUMN phase TEXT")

    monkeypatch.setattr(_schema, "SCHEMA_VERSION", 2)
    monkeypatch.setattr(_schema, "UPGRADERS", {1: v1_to_v2})
    return calls


def _user_version(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute("PRAGMA user_version").fetchone()[0])
    finally:
        conn.close()


def test_an_older_store_is_upgraded_step_by_step_once(path: Path, template: Template,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    with Store.open(path, create=True) as store:
        store.add_pairing(Pairing("par-1", mentor="Bjørn"))
        saved = store.save_record(note(), template)
    calls: list[int] = []
    monkeypatch.setattr(_schema, "SCHEMA_VERSION", 3)
    monkeypatch.setattr(_schema, "UPGRADERS", {
        1: lambda conn: calls.append(1) or conn.execute("CREATE TABLE goals (id TEXT)"),
        2: lambda conn: calls.append(2) or conn.execute("ALTER TABLE goals ADD COLUMN t TEXT"),
    })
    for _ in range(2):
        with Store.open(path) as store:
            assert store.get_record(saved.id) == saved  # type: ignore[arg-type]
    assert calls == [1, 2]
    assert _user_version(path) == 3


def test_a_new_store_runs_every_upgrader(path: Path, v2: list[int]) -> None:
    Store.open(path, create=True).close()
    assert v2 == [1]
    assert _user_version(path) == 2


@pytest.mark.parametrize("upgrader, problem", [
    pytest.param(lambda conn: conn.execute("CREATE TABLE goals (x)") and 1 / 0,
                 "division by zero", id="upgrader-raises"),
    pytest.param(lambda conn: conn.execute(
        "INSERT INTO record_versions VALUES ('ingen', 1, '{}', 'draft', 1, '')"),
        "foreign keys left dangling", id="dangling-foreign-key"),
])
def test_a_failed_upgrade_leaves_the_store_as_it_was(path: Path, template: Template,
                                                     monkeypatch: pytest.MonkeyPatch,
                                                     upgrader: Any, problem: str) -> None:
    _real_store(path, records=3)
    monkeypatch.setattr(_schema, "SCHEMA_VERSION", 2)
    monkeypatch.setattr(_schema, "UPGRADERS", {1: upgrader})
    with pytest.raises(StoreError, match=f"opgraderingen fra skema 1 til 2 mislykkedes "
                                         f"\\({problem}"):
        Store.open(path)
    monkeypatch.undo()
    assert _user_version(path) == 1
    with Store.open(path) as store:
        assert store.count_records() == 3
        with store.transaction() as conn:
            assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'goals'"
                                ).fetchone()[0] == 0


def test_a_store_too_old_to_upgrade_is_refused(path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    _real_store(path)
    monkeypatch.setattr(_schema, "SCHEMA_VERSION", 3)
    monkeypatch.setattr(_schema, "UPGRADERS", {2: lambda conn: None})
    before = snapshot(path)
    with pytest.raises(StoreError, match="skema 1, som denne version af nysoc ikke kan "
                                         "opgradere .intet trin fra skema 1"):
        Store.open(path)
    assert snapshot(path) == before


# -- errors while in use ----------------------------------------------------------------

def test_a_write_waits_then_says_the_store_is_busy(path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store_module, "BUSY_TIMEOUT", 0.2)
    with Store.open(path, create=True) as store:
        store.add_pairing(Pairing("par-1"))
        other = sqlite3.connect(path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        try:
            with pytest.raises(StoreError, match="en anden proces har skrevet i databasen i "
                                                 "mere end 0.2 sekunder"):
                store.save_draft(DraftKey("par-1", "logbog", "", "mentee"), {"tekst": "x"})
        finally:
            other.execute("ROLLBACK")
            other.close()
        store.save_draft(DraftKey("par-1", "logbog", "", "mentee"), {"tekst": "x"})


def test_sqlite_errors_become_store_errors(store: Store) -> None:
    with pytest.raises(StoreError, match="SQLite-fejl: no such table: nowhere"):
        with store.transaction() as conn:
            conn.execute("SELECT * FROM nowhere")


def test_integrity_errors_are_bugs_and_pass_through(store: Store) -> None:
    with pytest.raises(sqlite3.IntegrityError, match="NOT NULL"):
        with store.transaction() as conn:
            conn.execute("INSERT INTO records (id) VALUES ('x')")


def test_a_closed_store_says_so(store: Store) -> None:
    store.close()
    store.close()
    assert "closed" in repr(store)
    with pytest.raises(StoreError, match="databasen er lukket"):
        store.list_pairings()


def test_importing_the_store_loads_no_pandas_or_widgets() -> None:
    code = ("import sys, nysoc_widgets.store; "
            "print([m for m in ('pandas', 'ipywidgets') if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, env={**os.environ, "PYTHONPATH": str(REPO)})
    assert out.stdout.strip() == "[]"


# -- processes --------------------------------------------------------------------------

def _save_many(path: str, worker: int, count: int, barrier: Any) -> None:
    """One process: open (creating if nobody has yet), add its pairing, save ``count``."""
    template = logbook()
    barrier.wait()
    with Store.open(path, create=True) as store:
        store.add_pairing(Pairing(f"par-{worker}", mentor=f"Mentor {worker} æøå"))
        for i in range(count):
            store.save_record(note(f"proces {worker} notat {i}", pairing=f"par-{worker}"),
                              template)


@pytest.mark.slow
def test_four_processes_saving_at_once_lose_nothing(path: Path) -> None:
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(4)
    procs = [ctx.Process(target=_save_many, args=(str(path), w, 200, barrier))
             for w in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=120)
    assert [p.exitcode for p in procs] == [0, 0, 0, 0]
    with Store.open(path) as store:
        assert len(store.list_pairings()) == 4
        assert store.count_records() == 800
        texts = {r.values["tekst"] for r in store.list_records()}
        assert texts == {f"proces {w} notat {i}" for w in range(4) for i in range(200)}
        with store.transaction() as conn:
            assert conn.execute("SELECT count(*) FROM record_versions").fetchone()[0] == 800


_CHILD = """
import sys
from nysoc_widgets.records import Record
from nysoc_widgets.store import Store
from nysoc_widgets.templates import template_from_json

template = template_from_json(sys.argv[2])
with Store.open(sys.argv[1]) as store:
    for i in range(1_000_000):
        saved = store.save_record(Record("par-1", "logbog", 1, "mentee", "privat",
                                         {"tekst": f"notat {i} æøå " * 50}), template)
        print(saved.id, i, flush=True)  # only after save_record returned
"""


@pytest.mark.slow
def test_killing_a_writer_loses_nothing_it_acknowledged(path: Path, tmp_path: Path,
                                                        template: Template) -> None:
    """Three writers in turn are killed mid-loop; every save they reported is there."""
    _real_store(path)
    script = tmp_path / "child.py"
    script.write_text(_CHILD, encoding="utf-8")
    acknowledged: list[list[str]] = []
    for _ in range(3):
        child = subprocess.Popen([sys.executable, str(script), str(path), template.to_json()],
                                 stdout=subprocess.PIPE,
                                 env={**os.environ, "PYTHONPATH": str(REPO)})
        assert child.stdout is not None
        lines = [child.stdout.readline() for _ in range(100)]
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        lines += child.stdout.read().splitlines(keepends=True)
        child.stdout.close()
        assert child.returncode == -signal.SIGKILL
        acknowledged += [line.decode().split() for line in lines if line.endswith(b"\n")]
        with Store.open(path) as store:  # the checks on opening pass after every kill
            for record_id, i in acknowledged:
                assert store.get_record(record_id).values["tekst"] == f"notat {i} æøå " * 50
            assert store.count_records() >= len(acknowledged)


_READER = """
import sys
from nysoc_widgets.store import DraftKey, Store

with Store.open(sys.argv[1]) as store:
    draft = store.get_draft(DraftKey("par-1", "logbog", "", "mentee"))
print(draft.values["tekst"] if draft else "")
"""


def test_a_second_store_in_a_process_keeps_the_locks_of_the_first(store: Store,
                                                                    path: Path) -> None:
    """A kernel has a form's and a summary's store open. Opening the second must not drop
    the first's SQLite locks (a plain close() of the file would): else another process
    that opens and closes the store deletes the -wal under the kernel, which then saves
    where no one else reads, and fails its next open with "disk I/O error"."""
    key = DraftKey("par-1", "logbog", "", "mentee")

    def read_elsewhere() -> str:
        done = subprocess.run([sys.executable, "-c", _READER, str(path)], capture_output=True,
                              text=True, timeout=60, env={**os.environ, "PYTHONPATH": str(REPO)})
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    store.save_draft(key, {"tekst": "først"})
    with Store.open(path) as second:  # the summary's store
        assert read_elsewhere() == "først"
        assert Path(f"{path}-wal").exists(), "the -wal was deleted under this process"
        store.save_draft(key, {"tekst": "så"})
        assert read_elsewhere() == "så"  # what this process saves, the others read
        with Store.open(path) as third:
            assert third.get_draft(key) == second.get_draft(key)
