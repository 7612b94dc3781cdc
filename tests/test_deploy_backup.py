"""``deploy/backup_stores.py``: every user's store backed up with SQLite's backup API.

Run as the IT department runs it from cron (a subprocess, its exit status and messages),
against real store files made by nysoc: a backup holds every record, is checked, whole,
owner-only; a save acknowledged by another process before the backup began is in it even
while that process goes on writing; a damaged or foreign file fails alone and loudly; a
store's owner keeps owning everything beside the store.
"""

from __future__ import annotations

import importlib.util
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest
from record_helpers import save_final

from nysoc_widgets.records import Pairing
from nysoc_widgets.store import Store

REPO = Path(__file__).resolve().parent.parent
SCRIPT = REPO / "deploy" / "backup_stores.py"


def load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("backup_stores", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["backup_stores"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def run_backup(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(SCRIPT), *map(str, args)],
                          capture_output=True, text=True, timeout=120, check=False)


def make_store(homes: Path, user: str, meetings: int = 2) -> Path:
    """``homes/user/nysoc/nysoc.db`` with pairing P1 and ``meetings`` final minutes."""
    path = homes / user / "nysoc" / "nysoc.db"
    path.parent.mkdir(parents=True)
    with Store.open(path, create=True) as store:
        store.add_pairing(Pairing("P1", mentor="Karen Holm", mentee="Sofie Berg"))
        for day in range(1, meetings + 1):
            save_final(store, "mentormoede", "mentor", dato=f"2026-03-{day:02d}",
                       tema=f"Tema æøå {day}")
    return path


def record_ids(path: Path) -> set[str]:
    with Store.open(path) as store:
        return {r.id for r in store.list_records(pairing="P1")}


def only_run(backups: Path) -> Path:
    runs = [p for p in backups.iterdir() if p.is_dir()]
    assert len(runs) == 1, runs
    return runs[0]


def test_backs_up_every_store_checked_whole_and_owner_only(tmp_path: Path) -> None:
    homes, backups = tmp_path / "home", tmp_path / "backup"
    stores = {user: make_store(homes, user, meetings=n)
              for user, n in (("karen", 3), ("sofie", 1))}
    (homes / "tove").mkdir()  # a home without a workspace is not an error

    done = run_backup("--homes", homes, "--to", backups)

    assert done.returncode == 0, done.stderr
    assert "2 af 2 databaser er taget backup af og tjekket" in done.stdout
    run = only_run(backups)
    for user, source in stores.items():
        copy = run / user / "nysoc" / "nysoc.db"
        assert copy.stat().st_mode & 0o777 == 0o600
        conn = sqlite3.connect(f"file:{copy}?mode=ro", uri=True)
        try:  # one self-contained file, as written (before nysoc opens it in WAL mode)
            assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        finally:
            conn.close()
        assert record_ids(copy) == record_ids(source)  # and nysoc opens it as a store
    assert run.stat().st_mode & 0o777 == 0o700
    assert sorted(p.name for p in run.rglob("*") if p.is_file()) == [
        "MANIFEST.json", "nysoc.db", "nysoc.db"]  # no temp files, no -wal beside a copy
    manifest = json.loads((run / "MANIFEST.json").read_text(encoding="utf-8"))
    assert [(Path(s["source"]).parent.parent.name, s["ok"]) for s in manifest["stores"]] == [
        ("karen", True), ("sofie", True)]
    assert all(len(s["sha256"]) == 64 and s["bytes"] > 0 for s in manifest["stores"])


WRITER = """
import sys
from nysoc_widgets.catalogue import Catalogue
from nysoc_widgets.records import Record, clean_answers
from nysoc_widgets.store import Store

template = Catalogue.load().get("mentormoede")
values, errors = clean_answers(template, {"dato": "2026-03-03", "tema": "x" * 2000})
assert not errors
with Store.open(sys.argv[1]) as store:
    while True:
        record = Record("P1", template.id, template.version, "mentor", template.level)
        saved = store.save_record(record.with_values(values, "final"), template)
        print(saved.id, flush=True)  # acknowledged: on disk (synchronous=FULL)
"""


def test_a_save_acknowledged_before_the_backup_is_in_it_while_writing_goes_on(
    tmp_path: Path,
) -> None:
    homes, backups = tmp_path / "home", tmp_path / "backup"
    source = make_store(homes, "karen", meetings=0)
    with subprocess.Popen([sys.executable, "-c", WRITER, str(source)],
                          stdout=subprocess.PIPE, text=True) as writer:
        try:
            assert writer.stdout is not None
            acknowledged = [writer.stdout.readline().strip() for _ in range(60)]
            done = run_backup("--homes", homes, "--to", backups)
            after = [writer.stdout.readline().strip() for _ in range(5)]
        finally:
            writer.terminate()

    assert done.returncode == 0, done.stderr
    assert all(after), "the writer stopped saving during the backup"
    in_backup = record_ids(only_run(backups) / "karen" / "nysoc" / "nysoc.db")
    assert set(acknowledged) <= in_backup
    assert in_backup <= record_ids(source)  # nothing in the copy that was never saved


def test_a_damaged_or_foreign_file_fails_alone_and_is_named(tmp_path: Path) -> None:
    homes, backups = tmp_path / "home", tmp_path / "backup"
    make_store(homes, "karen")
    damaged = homes / "ali" / "nysoc" / "nysoc.db"
    damaged.parent.mkdir(parents=True)
    damaged.write_bytes(b"this is not a database " * 200)
    foreign = homes / "bo" / "nysoc" / "nysoc.db"
    foreign.parent.mkdir(parents=True)
    conn = sqlite3.connect(foreign)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()

    done = run_backup("--homes", homes, "--to", backups)

    assert done.returncode == 1
    errors = done.stderr.splitlines()
    assert len(errors) == 2, errors
    assert errors[0].startswith(f"FEJL / FAILED {damaged}: kopien mislykkedes")
    assert errors[1].startswith(f"FEJL / FAILED {foreign}: {foreign} er ikke en "
                                "nysoc-database")
    assert "1 af 3 databaser" in done.stdout
    run = only_run(backups)
    assert (run / "karen" / "nysoc" / "nysoc.db").is_file()
    assert not (run / "ali" / "nysoc" / "nysoc.db").exists()
    assert not (run / "bo" / "nysoc" / "nysoc.db").exists()
    assert [p.name for p in run.rglob(".*")] == []  # no temp files left
    assert damaged.read_bytes() == b"this is not a database " * 200  # never changed


@pytest.mark.parametrize(("make", "message"), [
    pytest.param(False, "findes ikke", id="no-homes-folder"),
    pytest.param(True, "Ingen nysoc-databaser under", id="no-stores"),
])
def test_nothing_to_back_up_is_a_usage_error(tmp_path: Path, make: bool, message: str) -> None:
    homes = tmp_path / "home"
    if make:
        (homes / "karen").mkdir(parents=True)
    done = run_backup("--homes", homes, "--to", tmp_path / "backup")
    assert done.returncode == 2
    assert message in done.stderr
    assert not (tmp_path / "backup").exists()


def test_keep_removes_all_but_the_newest_runs(tmp_path: Path) -> None:
    import datetime as dt

    script = load_script()
    homes, backups = tmp_path / "home", tmp_path / "backup"
    make_store(homes, "karen")
    for day in (1, 2, 3):
        script.run(homes, backups, now=dt.datetime(2026, 3, day, 2, 0, tzinfo=dt.timezone.utc))
    (backups / "2026-02-01T020000Z").mkdir()  # no manifest: not a complete run, left alone

    removed = script.prune(backups, keep=2)

    assert [p.name for p in removed] == ["2026-03-01T020000Z"]
    assert sorted(p.name for p in backups.iterdir()) == [
        "2026-02-01T020000Z", "2026-03-02T020000Z", "2026-03-03T020000Z"]


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0,
                    reason="needs root: the script runs as root over other users' homes")
def test_files_sqlite_makes_beside_a_users_store_stay_the_users(tmp_path: Path) -> None:
    homes, backups = tmp_path / "home", tmp_path / "backup"
    source = make_store(homes, "karen")
    uid, gid = 54321, 54321
    for path in [homes / "karen", *(homes / "karen").rglob("*")]:
        os.chown(path, uid, gid)
    assert not source.with_name("nysoc.db-wal").exists()  # no connection open now

    done = run_backup("--homes", homes, "--to", backups)

    assert done.returncode == 0, done.stderr
    owned_by_root = [p.name for p in (homes / "karen").rglob("*") if p.stat().st_uid != uid]
    assert owned_by_root == []
