"""The demo's invented municipality (``nysoc demo``): 24 pairings in four departments at every
phase, some stalling, each shared through ``share_summary``, and a coordinator workspace that
reads them – deterministic, quick, and with nothing but what the boundary lets out."""

from __future__ import annotations

import datetime as dt
import json
import time
from pathlib import Path
from typing import Any

import pytest

from nysoc_widgets import demo_municipality as town
from nysoc_widgets.catalogue import Catalogue
from nysoc_widgets.demo import create_demo
from nysoc_widgets.records import problems
from nysoc_widgets.workspace import ALERT_DEFAULTS, Workspace

TODAY = dt.date(2026, 11, 23)
CATALOGUE = Catalogue.load()


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, float]:
    start = time.perf_counter()
    result = create_demo(tmp_path_factory.mktemp("demo") / "demo", today=TODAY)
    return result, time.perf_counter() - start


def summaries(result: Any) -> dict[str, dict[str, Any]]:
    return {path.name.split(".")[0]: json.loads(path.read_text(encoding="utf-8"))
            for path in sorted(result.municipality.share_folder.glob("*.nysoc-summary.json"))}


def weeks_since(day: str | None) -> float:
    return (TODAY - dt.date.fromisoformat(day)).days / 7 if day else float("inf")


def test_the_demo_grows_a_municipality_quickly(made: tuple[Any, float]) -> None:
    result, seconds = made
    print(f"\ncreate_demo with the municipality: {seconds:.2f} s")
    assert seconds < 3.0
    root = result.workspace.root
    assert sorted(p.name for p in root.iterdir() if p.is_dir()) == sorted([
        town.PAIRS, town.SHARED, town.COORDINATOR])
    found = summaries(result)
    assert len(found) == 24 and len(result.municipality.files) == 24
    assert {s["pairing"]["department"] for s in found.values()} == {
        "Børn og Unge", "Voksenhandicap", "Jobcenter", "Ældre og Sundhed"}
    starts = [dt.date.fromisoformat(s["pairing"]["start_date"]) for s in found.values()]
    assert (TODAY - min(starts)).days > 500 and (TODAY - max(starts)).days < 14, "18 months"


def test_the_coordinator_and_the_demo_pair_share_one_folder(made: tuple[Any, float]) -> None:
    result, _ = made
    folder = result.municipality.share_folder
    coordinator = Workspace.load(result.workspace.root / town.COORDINATOR)
    assert coordinator.role == "koordinator" and coordinator.pairing is None
    assert coordinator.share_folder == folder and coordinator.alerts == ALERT_DEFAULTS
    assert "[alerts]" in coordinator.config_path.read_text(encoding="utf-8")
    assert Workspace.load(result.workspace.root).share_folder == folder
    pairs = Workspace.load(result.workspace.root / town.PAIRS)
    assert pairs.share_folder == folder
    with pairs.open_store() as store:
        assert len(store.list_pairings()) == 24


def test_every_phase_and_every_kind_of_stalling_is_there(made: tuple[Any, float]) -> None:
    found = summaries(made[0])
    phases = {s["phase"]["current"] for s in found.values()}
    assert phases == {"introduktion", "forberedelse", "opstart", "laering", "afslutning"}

    learning = [s for s in found.values() if s["phase"]["current"] == "laering"]
    no_meeting = [s for s in learning if weeks_since(max(s["meetings"]["held"])) > 6]
    no_next = [s for s in learning
               if not [d for d in s["meetings"]["planned"] if d > TODAY.isoformat()]]
    no_agreement = [s for s in found.values() if s["agreement"] is None
                    and s["phase"]["current"] == "forberedelse"
                    and weeks_since(s["pairing"]["start_date"]) > 4]
    past_end = [s for s in found.values() if s["pairing"]["planned_end"] < TODAY.isoformat()
                and not any(e["type"] == "afslutning" for e in s["evaluations"])]
    healthy = [s for s in learning if s not in no_meeting and s not in no_next]
    assert len(no_meeting) >= 2 and len(no_next) >= 3 and len(no_agreement) == 2
    assert len(past_end) == 2 and len(healthy) >= 6

    evaluations = [e for s in found.values() for e in s["evaluations"]]
    assert {e["consent"] for e in evaluations} == {"ja", "nej"}
    assert {e["type"] for e in evaluations} == {"midtvejs", "afslutning"}
    assert {e["by"] for e in evaluations} == {"mentor", "mentee"}
    assert all(e["scores"] == {} for e in evaluations if e["consent"] == "nej")
    midway = [s for s in found.values() if s["evaluation"]
              and s["evaluation"]["type"] == "midtvejs"]
    assert midway and all(s["phase"]["current"] == "laering" for s in midway)
    intro = [s for s in found.values() if s["phase"]["current"] == "introduktion"]
    assert len(intro) == 2 and all(s["status_meetings"]["held"] for s in intro)
    assert {s["shared"]["by"] for s in intro} == {"kontaktperson"}
    assert {s["shared"]["by"] for s in found.values()} == {"mentor", "mentee", "kontaktperson"}


def test_the_files_are_v2_summaries_shared_in_the_past(made: tuple[Any, float]) -> None:
    for name, summary in summaries(made[0]).items():
        assert (summary["format"], summary["format_version"]) == ("nysoc-summary", 2), name
        assert summary["pairing"]["id"] == name
        shared = dt.datetime.fromisoformat(summary["shared"]["at"])
        assert shared.date() < TODAY and summary["generated"] <= TODAY.isoformat()
        last = max([r["updated"] for r in summary["records"]], default="")
        assert last <= summary["generated"], f"{name}: shared after its last record"


def test_no_name_and_no_text_leaves_the_pairs(made: tuple[Any, float]) -> None:
    result, _ = made
    text = "\n".join(p.read_text(encoding="utf-8")
                     for p in result.municipality.share_folder.iterdir())
    for item in result.municipality.pairings:
        for name in (item.pairing.mentor, item.pairing.mentee):
            assert name.split()[-1] not in text, name
    written = 0
    for entry in (e for item in result.municipality.pairings for e in item.entries):
        template = CATALOGUE.get(entry.template_id)
        for fld in template.fields:
            value = entry.values.get(fld.id)
            if fld.kind in ("short_text", "long_text") and isinstance(value, str) \
                    and len(value) > 30:  # not a short theme that is also a goal's title
                assert value not in text
                written += 1
    assert written > 300


def test_the_records_are_final_valid_and_backdated(made: tuple[Any, float]) -> None:
    pairs = Workspace.load(made[0].workspace.root / town.PAIRS)
    with pairs.open_store() as store:
        records = store.list_records()
    assert len(records) > 150
    assert {r.status for r in records} == {"final"}
    assert all(r.created[:10] < TODAY.isoformat() for r in records)
    assert {r.id: problems(CATALOGUE.get(r.template_id), r.values, final=True)
            for r in records} == {r.id: {} for r in records}


def test_the_municipality_is_deterministic(tmp_path: Path, made: tuple[Any, float]) -> None:
    again = create_demo(tmp_path / "demo", today=TODAY)
    first = {p.name: p.read_bytes() for p in made[0].municipality.files}
    second = {p.name: p.read_bytes() for p in again.municipality.files}
    assert first == second
    assert town.municipality_plan(CATALOGUE, TODAY, 7) == town.municipality_plan(
        CATALOGUE, TODAY, 7)
    assert town.municipality_plan(CATALOGUE, TODAY, 7) != town.municipality_plan(
        CATALOGUE, TODAY, 8)
