"""The canary, carried on to the coordinator: a unique marker in every free-text field of
real records (``test_canary.write_canaries``), the pairing shared through
``boundary.shareable_summary`` into a coordinator's folder, and then everything the
coordinator gets from that folder is searched – the DataFrames (as the code has them and as
shown), the alerts, every chart saved as SVG with its text kept as text, the notebook's
views and the report's HTML. The marker is nowhere.

And the search would find a leak: with the boundary's neutral labels switched off, the own
goals' titles (markers) reach the coordinator's frames and views, and are found."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
from pathlib import Path

import matplotlib
import pytest
from coordinator_helpers import share_folder, write_summary
from test_canary import PAIRING, Canaries, write_canaries

from nysoc_widgets import boundary
from nysoc_widgets.alerts import alerts_frame, find_alerts
from nysoc_widgets.charts import draw_all
from nysoc_widgets.coordinator_data import (
    COLUMNS,
    SHOWN,
    Frames,
    build_frames,
    danish,
    load_summaries,
)
from nysoc_widgets.coordinator_pages import PARTS, CoordinatorPage

REPO = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 12, 1)


def shared_folder(canaries: Canaries, root: Path) -> Path:
    """The canary pairing shared (with the other test pairings) into a coordinator's folder."""
    folder = share_folder(root, demo=False)
    with canaries.ws.open_store() as store:
        summary = boundary.shareable_summary(store, PAIRING, canaries.catalogue, today=TODAY)
    write_summary(folder, summary)
    return folder


def svg(fig: object) -> str:
    """A figure as SVG with its text as text (not paths), so a marker could be found."""
    out = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none"}):
        fig.savefig(out, format="svg")  # type: ignore[attr-defined]
    return out.getvalue()


def frames_text(frames: Frames) -> dict[str, str]:
    found = {}
    for name in COLUMNS:
        frame = getattr(frames, name)
        found[f"frame {name}"] = frame.to_csv(index=False) + frame.to_json(date_format="iso")
        if name in SHOWN:
            found[f"shown {name}"] = danish(frame, name).to_csv(index=False)
    return found


def coordinator_outputs(folder: Path) -> dict[str, str]:
    """Everything the coordinator can get from ``folder`` in-process, as text."""
    loaded = load_summaries(folder)
    frames = build_frames(loaded, TODAY)
    alerts = find_alerts(loaded.pairings, TODAY)
    outputs = frames_text(frames)
    outputs["pairings read"] = repr(loaded.pairings)
    outputs["alerts"] = json.dumps([a.__dict__ for a in alerts], default=str,
                                   ensure_ascii=False)
    outputs["alerts frame"] = danish(alerts_frame(alerts), "alerts").to_csv()
    for chart, fig in draw_all(frames):
        outputs[f"chart {chart.id} (SVG)"] = svg(fig)
    page = CoordinatorPage.read(folder, today=TODAY)
    for part in PARTS:
        outputs[f"page {part}"] = page.html(part)
    outputs["page (text)"] = repr(page)
    return outputs


@pytest.fixture(scope="module")
def canaries(tmp_path_factory: pytest.TempPathFactory) -> Canaries:
    return write_canaries(tmp_path_factory.mktemp("kanarie-tovholder") / "ws")


def test_no_marker_reaches_the_coordinators_frames_charts_alerts_or_views(
        canaries: Canaries, tmp_path: Path) -> None:
    outputs = coordinator_outputs(shared_folder(canaries, tmp_path))

    assert len(outputs) > 20
    leaks = {name: canaries.leaked(text) for name, text in outputs.items()}
    assert {name: found for name, found in leaks.items() if found} == {}
    assert PAIRING in outputs["frame overview"], "the canary pairing is there"
    assert "<text" in outputs["chart goals (SVG)"] and "Egne læringsmål" in \
        outputs["chart goals (SVG)"], "the SVG keeps its text as text"


def test_the_coordinator_still_sees_the_canary_pairings_progress(
        canaries: Canaries, tmp_path: Path) -> None:
    frames = build_frames(load_summaries(shared_folder(canaries, tmp_path)), TODAY)
    mine = frames.overview[frames.overview["pairing"] == PAIRING].iloc[0]

    assert mine["meetings_held"] >= 1 and mine["goals_total"] >= 1
    assert mine["department"] == "Jobcenter" and mine["mentor"] == "M.H."
    assert (frames.evaluations["pairing"] == PAIRING).any(), "the pair said ja to scores"
    own = frames.goals[(frames.goals["pairing"] == PAIRING) & frames.goals["own"]]
    assert list(own["title"]) and all(t.startswith("Eget læringsmål ") for t in own["title"])


def test_without_neutral_labels_the_search_finds_the_own_goals(
        canaries: Canaries, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(boundary, "_neutral_items", lambda _t, _f, _v, answer: answer)

    outputs = coordinator_outputs(shared_folder(canaries, tmp_path))

    found = {name for name, text in outputs.items() if canaries.leaked(text)}
    assert {"frame goals", "shown goals", "frame goal_history", "shown goal_history",
            "pairings read"} <= found, found
    assert all(m.startswith("KANARIE-laeringsmaal-egne-") for name in found
               for m in canaries.leaked(outputs[name]))


@pytest.mark.slow
def test_no_marker_reaches_the_report(canaries: Canaries, tmp_path: Path,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from nysoc_widgets.report import build_report

    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(
        p for p in (str(REPO), os.environ.get("PYTHONPATH")) if p))
    folder = shared_folder(canaries, tmp_path)

    written = build_report(folder, tmp_path / "rapport.html", today=TODAY)

    html = written.path.read_text(encoding="utf-8")
    assert PAIRING in html and html.count("<img") == 6
    assert canaries.leaked(html) == []
