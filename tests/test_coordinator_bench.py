"""The coordinator's benchmark at a small size, so that it keeps running (no timing is
asserted), and its synthetic municipality has the shapes the benchmark claims."""

from __future__ import annotations

import datetime as dt
import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

from nysoc_widgets.alerts import find_alerts
from nysoc_widgets.coordinator_data import build_frames, load_summaries

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"
TODAY = dt.date(2026, 11, 23)


def module(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, BENCHMARKS / f"{name}.py")
    assert spec and spec.loader
    found = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(found)
    return found


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    return module("coordinator_bench")


def test_the_benchmark_runs_at_a_small_size(bench: ModuleType, tmp_path: Path) -> None:
    results = bench.run([12], runs=1, folder=tmp_path)

    found = results[12]
    assert len(found["nysoc"]) == len(found["baseline"]) == 1
    assert set(found["parts"]) == {"load", "frames", "alerts", "charts"}
    assert len(list((tmp_path / "opsummeringer-12").glob("*.nysoc-summary.json"))) == 12
    assert bench.table(results).splitlines()[2].startswith("| 12 (")


def test_the_synthetic_municipality_has_every_shape(tmp_path: Path) -> None:
    generator = module("synthetic_summaries")
    generator.write_summaries(tmp_path, 300, seed=3, today=TODAY)

    loaded = load_summaries(tmp_path)
    frames = build_frames(loaded, TODAY)

    assert loaded.problems == () and len(loaded.pairings) == 300
    assert set(frames.overview["phase_id"]) == {"forberedelse", "opstart", "laering",
                                                "afslutning"}
    assert frames.overview["department"].nunique() == 8
    assert set(frames.evaluation_rounds["type"]) == {"midtvejs", "afslutning"}
    assert set(frames.evaluation_rounds["consent"]) == {"ja", "nej"}
    assert frames.goals["own"].any() and frames.goal_history["status"].eq("naaet").any()
    kinds = {a.kind for a in find_alerts(loaded.pairings, TODAY)}
    assert {"no_meeting", "no_next_meeting", "past_end"} <= kinds
    assert generator.synthetic_summaries(5, seed=3) == generator.synthetic_summaries(5, seed=3)
