"""Nothing lost under faults (issue 3): kill -9, many writers, a busy, read-only or full
store, a network filesystem, file permissions, and the network block of the test suite.

Every check runs against real SQLite files. Writers that must die or run side by side are
real processes; their acknowledgements come back over a pipe or a JSON file.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import multiprocessing
import os
import random
import shlex
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from nysoc_widgets import _location, _schema
from nysoc_widgets.errors import StoreError
from nysoc_widgets.records import Pairing, Record
from nysoc_widgets.store import BUSY_TIMEOUT, DraftKey, Store, retryable
from nysoc_widgets.templates import Template, parse_template

REPO = Path(__file__).resolve().parents[1]
CHILD_ENV = {**os.environ, "PYTHONPATH": str(REPO)}


def logbook() -> Template:
    return parse_template({
        "schema_version": 1, "id": "logbog", "version": 1, "source": "test",
        "title": {"da": "Logbog"}, "confidentiality": "privat",
        "sections": [{"id": "refleksion", "title": {"da": "Refleksion"}, "fields": [
            {"id": "tekst", "kind": "long_text", "label": {"da": "Det, jeg er i tvivl om"}},
            {"id": "trivsel", "kind": "scale", "label": {"da": "Trivsel"}},
            {"id": "dato", "kind": "date", "label": {"da": "Dato"}},
            {"id": "punkter", "kind": "list", "label": {"da": "Punkter"}},
        ]}],
    })


def answers(tag: str) -> dict[str, Any]:
    """The answers a writer sends for ``tag``: 0.6-4.5 KB (overflow pages), derivable from
    their own text, so any record found can be checked against what was sent."""
    body = hashlib.sha256(tag.encode()).hexdigest() * (10 * (len(tag) % 7 + 1))
    return {"tekst": f"{tag}|æøå {body}", "trivsel": len(tag) % 5 + 1, "dato": "2026-03-01",
            "punkter": [f"punkt {tag}", "Ærø"]}


def tag_of(values: dict[str, Any]) -> str:
    return str(values["tekst"]).split("|", 1)[0]


def note(tag: str, pairing: str = "par-1", role: str = "mentee") -> Record:
    return Record(pairing, "logbog", 1, role, "privat", answers(tag))


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "nysoc.db"


@pytest.fixture
def scripts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder for child scripts, apart from the store's folder."""
    return tmp_path_factory.mktemp("scripts")


@pytest.fixture
def store(path: Path) -> Any:
    with Store.open(path, create=True) as s:
        s.add_pairing(Pairing("par-1", mentor="Søren", mentee="Åse"))
        yield s


def raw_rows(path: Path) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """(records, record_versions) as SQLite has them, read on a connection of its own."""
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        records = conn.execute("SELECT id, version, answers FROM records").fetchall()
        versions = conn.execute("SELECT record_id, version, answers FROM record_versions "
                                "ORDER BY record_id, version").fetchall()
    finally:
        conn.close()
    return records, versions


def integrity(path: Path) -> list[str]:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return [row[0] for row in conn.execute("PRAGMA integrity_check")]
    finally:
        conn.close()


def check_whole(path: Path) -> dict[tuple[str, int], str]:
    """Every row is whole (its JSON parses and is exactly what its writer sent), versions
    run 1..n without gaps and a record holds its newest version. Returns (id, version) →
    tag of every version row."""
    records, versions = raw_rows(path)
    found: dict[tuple[str, int], str] = {}
    for record_id, version, text in versions:
        values = json.loads(text)
        assert values == answers(tag_of(values)), (record_id, version)
        found[(record_id, version)] = tag_of(values)
    assert len(found) == len(versions)
    for record_id, version, text in records:
        assert [v for (rid, v) in found if rid == record_id] == list(range(1, version + 1))
        assert json.loads(text) == answers(found[(record_id, version)])
    assert {rid for rid, _ in found} == {r[0] for r in records}
    return found


# -- kill -9 in the middle of 1,000 saves -----------------------------------------------

_WRITER = """
import sys
from dataclasses import replace
from nysoc_widgets.records import Record
from nysoc_widgets.store import Store
from nysoc_widgets.templates import template_from_json
sys.path.insert(0, sys.argv[3])
from test_faults import note

template = template_from_json(sys.argv[2])
run = sys.argv[4]
with Store.open(sys.argv[1]) as store:
    saved = None
    for i in range(1000):
        record = note(f"kørsel {run} nr {i}")
        if saved is not None and i % 10 == 9:  # every tenth save is a new version
            record = replace(saved, values=record.values)
        saved = store.save_record(record, template)
        print(saved.id, saved.version, f"kørsel {run} nr {i}", sep="\\t", flush=True)
"""


@pytest.mark.slow
def test_kill_9_in_the_middle_of_1000_saves_loses_nothing_acknowledged(
        store: Store, path: Path, tmp_path: Path) -> None:
    """Three writers, each killed at a random point after at least 100 acknowledged saves
    (a save is acknowledged when ``save_record`` returned and the id was printed)."""
    store.close()
    script = tmp_path / "writer.py"
    script.write_text(_WRITER, encoding="utf-8")
    seed = random.randrange(1 << 30)
    rng = random.Random(seed)
    acknowledged: dict[tuple[str, int], str] = {}
    kill_points = rng.sample(range(100, 901), 3)  # three different points
    for run, kill_at in enumerate(kill_points):
        child = subprocess.Popen(
            [sys.executable, str(script), str(path), logbook().to_json(),
             str(Path(__file__).parent), str(run)],
            stdout=subprocess.PIPE, env=CHILD_ENV)
        assert child.stdout is not None
        lines = [child.stdout.readline() for _ in range(kill_at)]
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        lines += child.stdout.read().splitlines(keepends=True)
        child.stdout.close()
        assert child.returncode == -signal.SIGKILL, f"seed {seed}: the writer ended first"
        for line in lines:
            if line.endswith(b"\n"):  # a line cut by the kill is not an acknowledgement
                record_id, version, tag = line.decode().rstrip("\n").split("\t")
                acknowledged[(record_id, int(version))] = tag
        assert len(acknowledged) >= 100 * (run + 1)

        with Store.open(path) as reopened:  # the checks on opening pass
            assert reopened.count_records() > 0
        assert integrity(path) == ["ok"], f"seed {seed}"
        found = check_whole(path)
        missing = {k: v for k, v in acknowledged.items() if found.get(k) != v}
        assert not missing, f"seed {seed}, kill points {kill_points}: lost {missing}"
        # At most the one save in flight per kill went through without being acknowledged.
        assert len(acknowledged) <= len(found) <= len(acknowledged) + run + 1
        print(f"kill -9 after {kill_at} acks (seed {seed}): {len(acknowledged)} acknowledged "
              f"so far, {len(found)} versions in the store")


# -- many writers at once ---------------------------------------------------------------

def _writer_process(path: str, worker: int, count: int, barrier: Any, out: str) -> None:
    """One process: open (creating if nobody has yet), add its pairing, then ``count``
    saves (every third a new version of the last record), reading in between."""
    template = logbook()
    acks: list[tuple[str, int, str]] = []
    errors: list[str] = []
    barrier.wait()
    with Store.open(path, create=True) as store:
        store.add_pairing(Pairing(f"par-{worker}", mentor=f"Mentor {worker} æøå"))
        last: Record | None = None
        for i in range(count):
            tag = f"proces {worker} nr {i}"
            record = note(tag, pairing=f"par-{worker}")
            if last is not None and i % 3 == 2:
                record = replace(last, values=record.values)
            try:
                last = store.save_record(record, template)
                acks.append((last.id or "", last.version, tag))
                if i % 4 == 0:  # reads interleaved with the writes
                    got = store.get_record(last.id or "")
                    if got.version < last.version or tag_of(got.values) == "":
                        errors.append(f"read {got.id} v{got.version} after v{last.version}")
                    store.list_records(pairing=f"par-{worker}")
                    store.versions(last.id or "")
                    store.count_records()
            except Exception as exc:  # noqa: BLE001 - counted and reported by the test
                errors.append(f"{type(exc).__name__}: {exc}")
    Path(out).write_text(json.dumps({"acks": acks, "errors": errors}), encoding="utf-8")


def run_processes(target: Any, args: list[tuple[Any, ...]], timeout: float = 120) -> float:
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(len(args))
    procs = [ctx.Process(target=target, args=(*a[:-1], barrier, a[-1])) for a in args]
    start = time.perf_counter()
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=timeout)
    assert [p.exitcode for p in procs] == [0] * len(procs)
    return time.perf_counter() - start


@pytest.mark.slow
def test_8_processes_x_300_saves_lose_and_double_nothing(path: Path, tmp_path: Path) -> None:
    outs = [tmp_path / f"out-{w}.json" for w in range(8)]
    seconds = run_processes(_writer_process,
                            [(str(path), w, 300, str(outs[w])) for w in range(8)])
    results = [json.loads(o.read_text(encoding="utf-8")) for o in outs]
    assert [r["errors"] for r in results] == [[]] * 8
    acks = {(rid, version): tag for r in results for rid, version, tag in r["acks"]}
    assert len(acks) == 8 * 300  # no id and version handed out twice
    assert integrity(path) == ["ok"]
    found = check_whole(path)
    assert found == acks  # nothing lost, nothing extra
    tags = list(found.values())
    assert len(set(tags)) == len(tags) == 2400  # no save written twice
    with Store.open(path) as store:
        assert store.count_records() == sum(1 for (_, v) in acks if v == 1) == 8 * 200
        assert len(store.list_pairings()) == 8
    print(f"8 x 300 saves: {seconds:.1f} s")


# -- two kernels: a mentor's and a mentee's form on one pairing --------------------------

def _kernel_process(path: str, role: str, count: int, barrier: Any, out: str) -> None:
    """A kernel with one real form (mentee: logbook, mentor: mentor meeting): type, save,
    and now and then start a new record, ``count`` times."""
    from nysoc_widgets.catalogue import Catalogue
    from nysoc_widgets.forms import Form

    template = Catalogue.load(None).get("logbog" if role == "mentee" else "mentormoede")
    text_field = "i_tvivl_om" if role == "mentee" else "det_der_fylder"
    acks: list[tuple[str, int, str]] = []
    errors: list[str] = []
    with Store.open(path) as store:
        form = Form(template, store, pairing="par-1", author_role=role, autosave_delay=0.05)
        barrier.wait()
        for i in range(count):
            if i % 5 == 0:
                form.new()
            form.controls["dato"].value = dt.date(2026, 3, 1 + i % 28)
            form.controls[text_field].value = f"{role} nr {i}: æøå"
            saved = form.save(final=i % 2 == 0)
            if saved is None or "Gemt" not in form.message.value:
                errors.append(form.message.value)
            else:
                acks.append((saved.id or "", saved.version, f"{role} nr {i}: æøå"))
        form.autosave.cancel()
    Path(out).write_text(json.dumps({"acks": acks, "errors": errors}), encoding="utf-8")


@pytest.mark.slow
def test_two_kernels_saving_forms_at_once_lose_nothing(store: Store, path: Path,
                                                       tmp_path: Path) -> None:
    store.close()
    outs = {role: tmp_path / f"{role}.json" for role in ("mentor", "mentee")}
    run_processes(_kernel_process, [(str(path), role, 120, str(out))
                                    for role, out in outs.items()])
    results = {role: json.loads(out.read_text(encoding="utf-8")) for role, out in outs.items()}
    assert {role: r["errors"] for role, r in results.items()} == {"mentor": [], "mentee": []}
    with Store.open(path) as reopened:
        for role, result in results.items():
            assert len(result["acks"]) == 120
            for record_id, version, text in result["acks"]:
                kept = {v.version: v for v in reopened.versions(record_id)}
                field = "i_tvivl_om" if role == "mentee" else "det_der_fylder"
                assert kept[version].values[field] == text
            ids = {rid for rid, _, _ in result["acks"]}
            assert len(ids) == 120 // 5
            assert reopened.count_records(author_role=role) == 120 // 5
            assert sum(len(reopened.versions(rid)) for rid in ids) == 120
    assert integrity(path) == ["ok"]


# -- busy: another process holds the write lock -------------------------------------------

def test_busy_timeout_is_an_open_parameter(path: Path) -> None:
    for timeout, expected in ((None, int(BUSY_TIMEOUT * 1000)), (0.25, 250)):
        with Store.open(path, create=True, busy_timeout=timeout) as store:
            with store.transaction() as conn:
                assert conn.execute("PRAGMA busy_timeout").fetchone()[0] == expected
            assert store.busy_timeout == (timeout or BUSY_TIMEOUT)
    assert BUSY_TIMEOUT == 10.0


def test_a_write_past_the_busy_timeout_says_so_in_danish_and_saves_nothing(
        store: Store, path: Path) -> None:
    template = logbook()
    first = store.save_record(note("første"), template)
    key = DraftKey("par-1", "logbog", first.id or "", "mentee")
    store.save_draft(key, {"tekst": "kladde før"})
    before = raw_rows(path)
    with Store.open(path, busy_timeout=0.2) as impatient:
        holder = sqlite3.connect(path, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")  # another writer holds the lock
        try:
            for write in (
                    lambda: impatient.save_record(replace(first, values=answers("ny")),
                                                  template, draft_key=key),
                    lambda: impatient.save_record(note("anden"), template),
                    lambda: impatient.save_draft(key, {"tekst": "kladde efter"}),
                    lambda: impatient.add_pairing(Pairing("par-2"))):
                started = time.perf_counter()
                with pytest.raises(StoreError, match="en anden proces har skrevet i databasen "
                                                     "i mere end 0.2 sekunder.*intet er gemt"
                                   ) as caught:
                    write()
                assert 0.2 <= time.perf_counter() - started < 3
                assert caught.value.reason_key == "store.busy"
                assert retryable(caught.value)
                assert not isinstance(caught.value, sqlite3.Error)
                assert isinstance(caught.value.__cause__, sqlite3.OperationalError)
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        assert raw_rows(path) == before  # no save happened, none was reported
        assert impatient.get_draft(key).values == {"tekst": "kladde før"}  # type: ignore[union-attr]
        again = impatient.save_record(replace(first, values=answers("ny")), template,
                                      draft_key=key)  # the retry goes through
    assert again.version == 2
    assert store.get_draft(key) is None


def test_a_form_whose_save_stays_busy_says_so_keeps_the_text_and_saves_later(
        store: Store, path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What a user sees: the Danish busy message, never "Gemt", every answer still in the
    form; once the other writer is done the form's own retry saves it."""
    from nysoc_widgets import form_retry, forms
    from nysoc_widgets.catalogue import Catalogue

    monkeypatch.setattr(form_retry, "RETRY_DELAYS", (0.3, 0.3, 0.3))
    store.close()
    with Store.open(path, busy_timeout=0.2) as impatient:
        form = forms.Form(Catalogue.load(None).get("logbog"), impatient, pairing="par-1",
                          author_role="mentee", autosave_delay=3600)
        form.controls["dato"].value = dt.date(2026, 3, 1)
        form.controls["i_tvivl_om"].value = "Børnesamtalen på Ærø"
        holder = sqlite3.connect(path, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        try:
            assert form.save(final=True) is None
            assert "optaget" in form.message.value and "prøver igen" in form.message.value
            assert "Gemt" not in form.message.value
            assert form.record is None and impatient.count_records() == 0
            assert form.controls["i_tvivl_om"].value == "Børnesamtalen på Ærø"
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        deadline = time.monotonic() + 10
        while form.record is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert form.record is not None and "Gemt kl." in form.message.value
        assert impatient.get_record(form.record.id or "").values["i_tvivl_om"] == (
            "Børnesamtalen på Ærø")
        form.autosave.cancel()


def test_after_the_last_retry_the_form_asks_the_user(store: Store, path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from nysoc_widgets import form_retry, forms
    from nysoc_widgets.catalogue import Catalogue

    monkeypatch.setattr(form_retry, "RETRY_DELAYS", ())
    store.close()
    with Store.open(path, busy_timeout=0.2) as impatient:
        form = forms.Form(Catalogue.load(None).get("logbog"), impatient, pairing="par-1",
                          author_role="mentee", autosave_delay=3600)
        form.controls["dato"].value = dt.date(2026, 3, 1)
        holder = sqlite3.connect(path, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        try:
            assert form.save(final=True) is None
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        assert "Ikke gemt." in form.message.value and "intet er gemt" in form.message.value
        assert not form.retry.pending
        assert form.save(final=True) is not None, "pressing Gem again saves"


def test_a_form_on_a_full_disk_says_so_and_keeps_the_text(store: Store) -> None:
    from nysoc_widgets.catalogue import Catalogue
    from nysoc_widgets.forms import Form

    form = Form(Catalogue.load(None).get("logbog"), store, pairing="par-1",
                author_role="mentee", autosave_delay=3600)
    form.controls["dato"].value = dt.date(2026, 3, 1)
    first = form.save(final=False)
    assert first is not None
    with store.transaction() as conn:
        conn.execute(f"PRAGMA max_page_count = {conn.execute('PRAGMA page_count').fetchone()[0]}")
    form.controls["i_tvivl_om"].value = "lang tekst " * 30_000
    assert form.save(final=True) is None
    assert "disken er fuld. Intet er gemt." in form.message.value
    assert form.record == first  # still the saved version, not a pretend new one
    assert store.get_record(first.id or "") == first
    assert form.controls["i_tvivl_om"].value == "lang tekst " * 30_000
    form.autosave.cancel()


def test_only_busy_is_worth_retrying(store: Store) -> None:
    with pytest.raises(StoreError) as caught:
        with store.transaction() as conn:
            conn.execute("SELECT * FROM nowhere")
    assert not retryable(caught.value)
    assert not retryable(ValueError("database is locked"))


def _failing_rollback(real: Any) -> Any:
    """``_schema.connect`` whose connections fail the first ROLLBACK (a disk error)."""

    class Flaky(sqlite3.Connection):
        failed = False

        def execute(self, sql: str, *args: Any) -> sqlite3.Cursor:  # type: ignore[override]
            if sql == "ROLLBACK" and not Flaky.failed:
                Flaky.failed = True
                raise sqlite3.OperationalError("disk I/O error")
            return super().execute(sql, *args)

    def connect(path: Path, *, read_only: bool, busy_timeout: float) -> sqlite3.Connection:
        if read_only:
            return real(path, read_only=read_only, busy_timeout=busy_timeout)
        uri = f"{path.resolve().as_uri()}?mode=rw"
        conn = sqlite3.connect(uri, uri=True, timeout=busy_timeout, isolation_level=None,
                               check_same_thread=False, factory=Flaky)
        for pragma in _schema.PRAGMAS:
            conn.execute(f"PRAGMA {pragma}")
        return conn

    return connect


def test_a_transaction_left_open_by_a_failed_rollback_is_never_joined(
        store: Store, path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Joining it would return from saves that are never committed."""
    template = logbook()
    store.close()
    monkeypatch.setattr(_schema, "connect", _failing_rollback(_schema.connect))
    with Store.open(path) as flaky:
        with pytest.raises(Exception, match="ingen mentorpar med id'et 'nope'"):
            flaky.save_record(note("tabt", pairing="nope"), template)  # rollback fails
        saved = flaky.save_record(note("gemt"), template)
        assert [tag_of(json.loads(a)) for _, _, a in raw_rows(path)[0]] == ["gemt"]
    assert Store.open(path).get_record(saved.id or "").values == answers("gemt")


def test_text_with_a_lone_surrogate_is_saved_and_read_back(store: Store) -> None:
    values = {**answers("surrogat"), "tekst": "surrogat|kopieret \ud83d tekst"}
    saved = store.save_record(Record("par-1", "logbog", 1, "mentee", "privat", values),
                              logbook())
    assert store.get_record(saved.id or "").values == values
    assert store.versions(saved.id or "")[0].values == values


# -- read-only and full disks -----------------------------------------------------------

def saved_with_draft(store: Store) -> tuple[Record, DraftKey]:
    first = store.save_record(note("første"), logbook())
    key = DraftKey("par-1", "logbog", first.id or "", "mentee")
    store.save_draft(key, {"tekst": "kladde før"})
    return first, key


def assert_nothing_changed(store: Store, first: Record, key: DraftKey) -> None:
    assert store.get_record(first.id or "") == first
    assert [v.version for v in store.versions(first.id or "")] == [1]
    assert store.get_draft(key).values == {"tekst": "kladde før"}  # type: ignore[union-attr]
    assert store.count_records() == 1


def test_a_full_disk_says_so_and_keeps_record_and_draft(store: Store, path: Path) -> None:
    """SQLite's ``max_page_count`` makes it hit SQLITE_FULL for real, as a full disk does."""
    first, key = saved_with_draft(store)
    with store.transaction() as conn:
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.execute(f"PRAGMA max_page_count = {pages}")
    big = {**answers("stor"), "tekst": "stor|" + "æ" * 300_000}
    for write in (lambda: store.save_record(replace(first, values=big), logbook(),
                                            draft_key=key),
                  lambda: store.save_record(note("ny").with_values(big), logbook()),
                  lambda: store.save_draft(key, big)):
        with pytest.raises(StoreError, match="disken er fuld. Intet er gemt. Gør plads"
                           ) as caught:
            write()
        assert caught.value.reason_key == "store.disk_full"
        assert not retryable(caught.value)
        assert_nothing_changed(store, first, key)
    assert integrity(path) == ["ok"]
    with store.transaction() as conn:
        conn.execute("PRAGMA max_page_count = 1073741823")
    assert store.save_record(replace(first, values=big), logbook(), draft_key=key).version == 2


def test_a_store_that_turns_read_only_says_so_and_keeps_record_and_draft(
        store: Store, path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The store's connection is opened read-only (``mode=ro``), so SQLite itself refuses
    the writes (SQLITE_READONLY), as it does when the disk or file turns read-only."""
    first, key = saved_with_draft(store)
    store.close()
    real = _schema.connect
    monkeypatch.setattr(_schema, "connect", lambda p, *, read_only, busy_timeout: real(
        p, read_only=True, busy_timeout=busy_timeout))
    with Store.open(path) as read_only:
        for write in (lambda: read_only.save_record(replace(first, values=answers("ny")),
                                                    logbook(), draft_key=key),
                      lambda: read_only.save_draft(key, {"tekst": "kladde efter"})):
            with pytest.raises(StoreError, match="der kan ikke skrives i den, fordi filen "
                                                 "eller mappen .* er skrivebeskyttet. Intet "
                                                 "er gemt") as caught:
                write()
            assert caught.value.reason_key == "store.read_only"
            assert_nothing_changed(read_only, first, key)


_OPEN_READ_ONLY = """
import json, sys
from nysoc_widgets.store import Store
try:
    Store.open(sys.argv[1]).close()
    print(json.dumps({"opened": True}))
except Exception as exc:
    print(json.dumps({"type": type(exc).__name__, "reason": getattr(exc, "reason_key", ""),
                      "message": str(exc)}))
"""


def in_mount_namespace(shell: str) -> list[str]:
    """A command run in a mount namespace of its own (root only): its mounts vanish with it."""
    return ["unshare", "--mount", "--propagation", "private", "sh", "-c", shell]


def can_mount() -> bool:
    if os.geteuid() != 0 or shutil.which("unshare") is None:
        return False
    return subprocess.run(in_mount_namespace("mount -t tmpfs none /mnt"),
                          capture_output=True).returncode == 0


def chmod_stops_writes(folder: Path) -> bool:
    """False for root with CAP_DAC_OVERRIDE, which writes whatever the mode says."""
    probe = folder / "probe"
    probe.touch(mode=0o400)
    probe.chmod(0o400)
    try:
        os.close(os.open(probe, os.O_WRONLY))
        return False
    except PermissionError:
        return True
    finally:
        probe.unlink()


@pytest.mark.parametrize("what", ["folder", "file"])
def test_a_read_only_store_is_refused_when_opened_and_left_as_it_was(
        store: Store, path: Path, tmp_path: Path, scripts: Path, what: str) -> None:
    """For real: chmod where it stops writes, else (root) a read-only bind mount."""
    saved_with_draft(store)
    store.close()
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    target = path if what == "file" else tmp_path
    script = scripts / "open.py"
    script.write_text(_OPEN_READ_ONLY, encoding="utf-8")
    command = [sys.executable, str(script), str(path)]
    if chmod_stops_writes(scripts):
        target.chmod(0o500 if what == "folder" else 0o400)
    elif can_mount():
        command = in_mount_namespace(f"mount --bind -o ro {shlex.quote(str(target))} "
                                     f"{shlex.quote(str(target))} && exec {shlex.join(command)}")
    else:
        pytest.skip("neither chmod nor a mount makes a file read-only for this user")
    try:
        out = subprocess.run(command, capture_output=True, text=True, env=CHILD_ENV)
    finally:
        target.chmod(0o700 if what == "folder" else 0o600)
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    assert result["type"] == "StoreError", result
    assert result["reason"] == "store.read_only"
    assert "er skrivebeskyttet. Intet er gemt. Bed om skriveadgang" in result["message"]
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


_FULL_DISK = """
import json, sys
from dataclasses import replace
sys.path.insert(0, sys.argv[2])
from test_faults import answers, logbook, note
from nysoc_widgets.records import Pairing
from nysoc_widgets.store import DraftKey, Store

path = sys.argv[1] + "/nysoc.db"
out = {}
with Store.open(path, create=True) as store:
    store.add_pairing(Pairing("par-1"))
    first = store.save_record(note("første"), logbook())
    key = DraftKey("par-1", "logbog", first.id, "mentee")
    store.save_draft(key, {"tekst": "kladde før"})
    big = {**answers("stor"), "tekst": "stor|" + "æ" * 2_000_000}
    for name, write in (
            ("record", lambda: store.save_record(replace(first, values=big), logbook(),
                                                 draft_key=key)),
            ("draft", lambda: store.save_draft(key, big))):
        try:
            write()
            out[name] = "saved"
        except Exception as exc:
            out[name] = [type(exc).__name__, getattr(exc, "reason_key", ""), str(exc)]
with Store.open(path) as store:
    out["record_after"] = store.get_record(first.id).values == first.values
    out["versions_after"] = [v.version for v in store.versions(first.id)]
    out["draft_after"] = store.get_draft(key).values
print(json.dumps(out))
"""


def test_a_really_full_disk_keeps_record_and_draft(tmp_path: Path) -> None:
    """A 1 MB tmpfs, mounted in a mount namespace of the writer's own."""
    if not can_mount():
        pytest.skip("a tmpfs needs root with CAP_SYS_ADMIN (the full-disk mapping is also "
                    "tested with max_page_count)")
    folder = tmp_path / "disk"
    folder.mkdir()
    script = tmp_path / "full.py"
    script.write_text(_FULL_DISK, encoding="utf-8")
    child = [sys.executable, str(script), str(folder), str(Path(__file__).parent)]
    out = subprocess.run(
        in_mount_namespace(f"mount -t tmpfs -o size=1m tmpfs {shlex.quote(str(folder))} && "
                           f"exec {shlex.join(child)}"),
        capture_output=True, text=True, env=CHILD_ENV)
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    for name in ("record", "draft"):
        assert result[name][:2] == ["StoreError", "store.disk_full"], result
        assert "disken er fuld. Intet er gemt." in result[name][2]
    assert result["record_after"] is True
    assert result["versions_after"] == [1]
    assert result["draft_after"] == {"tekst": "kladde før"}


_SAVE_THEN_DIE = """
import os, sys
sys.path.insert(0, sys.argv[2])
from test_faults import logbook, note
from nysoc_widgets.store import Store
with Store.open(sys.argv[1]) as store:
    for i in range(40):
        store.save_record(note(f"før checkpoint {i}"), logbook())
    os.kill(os.getpid(), 9)  # no checkpoint: every page is still in the -wal
"""


def checkpoint_page_1_only(path: Path) -> None:
    """Copy the newest committed page 1 from the ``-wal`` into the file, as a checkpoint
    does first (it writes pages in order) before a full disk or a crash stops it."""
    wal = Path(f"{path}-wal").read_bytes()
    page_size = int.from_bytes(wal[8:12], "big")
    newest, pending = None, None
    for offset in range(32, len(wal) - page_size - 23, page_size + 24):
        number, commit = int.from_bytes(wal[offset:offset + 4], "big"), wal[offset + 4:offset + 8]
        if number == 1:
            pending = wal[offset + 24:offset + 24 + page_size]
        if commit != bytes(4) and pending is not None:
            newest = pending
    assert newest is not None
    with open(path, "r+b") as f:
        f.write(newest)


def test_a_checkpoint_cut_short_is_not_taken_for_damage(store: Store, path: Path,
                                                        scripts: Path) -> None:
    """Found by the full-disk test: page 1 said the file was 16 pages, the file had 14 and
    the -wal the rest; the store was refused as truncated ("restore from a backup")."""
    store.close()
    script = scripts / "die.py"
    script.write_text(_SAVE_THEN_DIE, encoding="utf-8")
    run = subprocess.run([sys.executable, str(script), str(path), str(Path(__file__).parent)],
                         env=CHILD_ENV)
    assert run.returncode == -signal.SIGKILL
    checkpoint_page_1_only(path)
    header = _schema.read_header(path.read_bytes()[:100])
    assert header.pages is not None and header.pages * header.page_size > path.stat().st_size
    with Store.open(path) as reopened:
        assert reopened.count_records() == 40
    assert integrity(path) == ["ok"]


def test_creating_a_store_in_a_read_only_folder_says_so(tmp_path: Path, scripts: Path) -> None:
    if not chmod_stops_writes(scripts):
        pytest.skip("root writes into a read-only folder (the mount test covers root)")
    tmp_path.chmod(0o500)
    try:
        with pytest.raises(StoreError, match="er skrivebeskyttet"):
            Store.open(tmp_path / "nysoc.db", create=True)
    finally:
        tmp_path.chmod(0o700)


# -- network filesystems ------------------------------------------------------------------

MOUNTINFO = """\
22 27 0:21 / /proc rw,relatime - proc proc rw
27 1 254:0 / / rw,relatime - ext4 /dev/vda rw
40 27 0:50 / /srv/fælles\\040drev rw,relatime shared:5 - nfs4 server:/export rw,vers=4.2
41 40 254:1 / /srv/fælles\\040drev/lokal rw,relatime - ext4 /dev/vdb rw
42 27 0:51 / /mnt/share rw,relatime - cifs //server/share rw
43 27 0:52 / /mnt/share rw,relatime - ext4 /dev/vdc rw
44 27 0:53 / /home/åse/fjern rw,nosuid,nodev - fuse.sshfs åse@server:/home rw
45 27 0:54 / /srv/data rw - nfs server:/data rw
not a mountinfo line
"""


@pytest.mark.parametrize("folder, expected", [
    pytest.param("/srv/fælles drev/nysoc", ("/srv/fælles drev", "nfs4"), id="nfs4-escaped"),
    pytest.param("/srv/fælles drev", ("/srv/fælles drev", "nfs4"), id="the-mount-point"),
    pytest.param("/srv/fælles drev/lokal/x", ("/srv/fælles drev/lokal", "ext4"),
                 id="local-inside-nfs"),
    pytest.param("/mnt/share/x", ("/mnt/share", "ext4"), id="later-mount-over-cifs-wins"),
    pytest.param("/home/åse/fjern/a/b", ("/home/åse/fjern", "fuse.sshfs"), id="sshfs"),
    pytest.param("/srv/data2/x", ("/", "ext4"), id="prefix-is-not-a-parent"),
    pytest.param("/proc/1", ("/proc", "proc"), id="proc"),
])
def test_mount_of_reads_mountinfo(folder: str, expected: tuple[str, str]) -> None:
    assert _location.mount_of(folder, MOUNTINFO) == expected


def test_network_filesystem_names_type_and_mount() -> None:
    def on(folder: str) -> tuple[str, str] | None:
        return _location.network_filesystem(Path(folder) / "nysoc.db", mountinfo=MOUNTINFO)

    assert on("/srv/fælles drev/nysoc") == ("nfs4", "/srv/fælles drev")
    assert on("/home/åse/fjern") == ("fuse.sshfs", "/home/åse/fjern")
    assert on("/srv/fælles drev/lokal") is None
    assert on("/mnt/share") is None
    assert _location.network_filesystem(Path("/x/nysoc.db"), mountinfo="") is None


def test_this_machines_temporary_folder_is_local(tmp_path: Path) -> None:
    assert _location.network_filesystem(tmp_path / "nysoc.db") is None


@pytest.mark.parametrize("folder, remote, expected", [
    pytest.param("\\\\server\\share\\nysoc", False, ("smb", "\\\\server\\share"), id="unc"),
    pytest.param("\\\\?\\UNC\\server\\share\\x", False, ("smb", "\\\\?\\UNC\\server\\share"),
                 id="long-unc"),
    pytest.param("Z:\\nysoc", True, ("netværksdrev", "Z:"), id="mapped-drive"),
    pytest.param("C:\\Users\\åse", False, None, id="local-drive"),
    pytest.param("\\\\?\\C:\\Users", False, None, id="long-local"),
])
def test_windows_network_drives(folder: str, remote: bool,
                                expected: tuple[str, str] | None) -> None:
    asked: list[str] = []

    def drive_type(root: str) -> int:
        asked.append(root)
        return 4 if remote else 3

    assert _location._windows_network(folder, drive_type) == expected


@pytest.fixture
def on_nfs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """``tmp_path`` seen as an NFS mount (a fake ``/proc/self/mountinfo``)."""
    fake = tmp_path / "mountinfo"
    point = os.path.realpath(tmp_path).replace(" ", "\\040")
    fake.write_text(f"27 1 254:0 / / rw - ext4 /dev/vda rw\n"
                    f"50 27 0:60 / {point} rw - nfs4 fil.kommune.dk:/hjem rw\n",
                    encoding="utf-8")
    monkeypatch.setattr(_location, "MOUNTINFO", fake)
    monkeypatch.delenv(_location.ALLOW_NETWORK_ENV, raising=False)
    return tmp_path


@pytest.mark.parametrize("exists", [False, True], ids=["create", "open"])
def test_a_store_on_a_network_filesystem_is_refused(on_nfs: Path, exists: bool,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    path = on_nfs / "nysoc.db"
    if exists:
        monkeypatch.setenv(_location.ALLOW_NETWORK_ENV, "1")
        Store.open(path, create=True).close()
        monkeypatch.delenv(_location.ALLOW_NETWORK_ENV)
    before = sorted(p.name for p in on_nfs.iterdir())
    with pytest.raises(StoreError, match=r"ligger på et netværksdrev \(nfs4, .*\). Dér kan "
                                         "SQLite ikke låse filen sikkert.*computerens egen "
                                         "disk.*NYSOC_ALLOW_NETWORK_FS=1") as caught:
        Store.open(path, create=True)
    assert caught.value.reason_key == "store.network_fs"
    assert "NYSOC_ALLOW_NETWORK_FS=1" in caught.value.english
    assert sorted(p.name for p in on_nfs.iterdir()) == before


@pytest.mark.parametrize("value, allowed", [("1", True), ("0", False), ("ja", False)])
def test_nysoc_allow_network_fs_1_allows_it(on_nfs: Path, monkeypatch: pytest.MonkeyPatch,
                                            value: str, allowed: bool) -> None:
    monkeypatch.setenv(_location.ALLOW_NETWORK_ENV, value)
    if allowed:
        with Store.open(on_nfs / "nysoc.db", create=True) as store:
            store.add_pairing(Pairing("par-1"))
    else:
        with pytest.raises(StoreError, match="netværksdrev"):
            Store.open(on_nfs / "nysoc.db", create=True)


# -- owner-only files -----------------------------------------------------------------------

_REOPEN = """
import os, sys
from nysoc_widgets.store import DraftKey, Store
with Store.open(sys.argv[1]) as store:
    store.save_draft(DraftKey("par-1", "x", "", "m"), {"tekst": "hemmelig"})
    os.kill(os.getpid(), 9)  # dies with its -wal and -shm in place
"""


def modes(folder: Path) -> dict[str, int]:
    return {p.name: p.stat().st_mode & 0o777 for p in sorted(folder.iterdir())}


def test_store_files_stay_owner_only_after_a_crash_and_reopen(
        store: Store, path: Path, tmp_path: Path, scripts: Path) -> None:
    store.close()
    script = scripts / "reopen.py"
    script.write_text(_REOPEN, encoding="utf-8")
    old = os.umask(0o022)
    try:
        run = subprocess.run([sys.executable, str(script), str(path)], env=CHILD_ENV)
        assert run.returncode == -signal.SIGKILL
        assert modes(tmp_path) == {"nysoc.db": 0o600, "nysoc.db-shm": 0o600,
                                   "nysoc.db-wal": 0o600}
        with Store.open(path) as reopened:  # recovers the -wal the crash left
            assert reopened.get_draft(DraftKey("par-1", "x", "", "m")) is not None
            assert modes(tmp_path) == {"nysoc.db": 0o600, "nysoc.db-shm": 0o600,
                                       "nysoc.db-wal": 0o600}
    finally:
        os.umask(old)


def test_a_new_workspaces_store_is_owner_only(tmp_path: Path) -> None:
    from nysoc_widgets.workspace import init_workspace

    old = os.umask(0o022)
    try:
        ws = init_workspace(tmp_path / "ws", "mentee", pairing="par-1")
        with ws.open_store() as store:
            store.save_draft(DraftKey("par-1", "x", "", "mentee"), {"tekst": "hemmelig"})
            found = modes(ws.root)
    finally:
        os.umask(old)
    assert {name: mode for name, mode in found.items() if name.startswith("nysoc.db")} == {
        "nysoc.db": 0o600, "nysoc.db-shm": 0o600, "nysoc.db-wal": 0o600}


def test_a_new_workspace_is_owner_only(tmp_path: Path) -> None:
    from nysoc_widgets.workspace import init_workspace

    old = os.umask(0o022)
    try:
        ws = init_workspace(tmp_path / "ws", "mentee", pairing="par-1")
    finally:
        os.umask(old)
    assert ws.root.stat().st_mode & 0o777 == 0o700
    assert all(p.stat().st_mode & 0o077 == 0 for p in ws.root.iterdir()), modes(ws.root)


# -- the network block of the suite ---------------------------------------------------------

def _connect(family: int, address: tuple[Any, ...]) -> None:
    with socket.socket(family) as sock:
        sock.connect(address)


def _connect_ex(family: int, address: tuple[Any, ...]) -> None:
    with socket.socket(family) as sock:
        sock.connect_ex(address)


def _sendto(address: tuple[Any, ...]) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.sendto(b"x", address)


def test_the_suite_reaches_loopback_only(network_attempts: list[str]) -> None:
    start = len(network_attempts)
    for call in (lambda: socket.create_connection(("192.0.2.1", 80), timeout=0.1),
                 lambda: socket.getaddrinfo("example.com", 443),
                 lambda: socket.gethostbyname("example.com"),
                 lambda: _connect(socket.AF_INET, ("198.51.100.7", 443)),
                 lambda: _connect_ex(socket.AF_INET6, ("2001:db8::1", 443)),
                 lambda: _sendto(("8.8.8.8", 53))):
        with pytest.raises(OSError, match="network blocked in tests"):
            call()
    assert len(network_attempts) == start + 6
    del network_attempts[start:]  # provoked on purpose: not a failure of this test

    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        for host in ("127.0.0.1", "localhost"):
            with socket.create_connection((host, server.getsockname()[1]), timeout=2):
                pass
    assert socket.getaddrinfo("localhost", 80)
    assert socket.getaddrinfo("::1", 80, socket.AF_INET6)
