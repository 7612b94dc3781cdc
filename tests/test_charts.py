"""The coordinator's charts, tested on their artists (points, bars, labels, lines): Danish
titles, axes and dates; the pairs' own goals grouped; no data gives a figure that says so."""

from __future__ import annotations

import datetime as dt
import io
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from coordinator_helpers import TODAY, fixture, share_folder

from nysoc_widgets import charts
from nysoc_widgets.charts import CHARTS, draw_all
from nysoc_widgets.coordinator_data import Frames, build_frames, load_summaries
from nysoc_widgets.summary_reader import read_summary

ENGLISH_MONTHS = re.compile(r"\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\b")


@pytest.fixture(scope="module")
def frames(tmp_path_factory: pytest.TempPathFactory) -> Frames:
    return build_frames(load_summaries(share_folder(tmp_path_factory.mktemp("charts"))), TODAY)


def drawn(fig: Any) -> Any:
    fig.savefig(io.BytesIO(), format="png")  # lays out and draws: tick labels are set
    return fig


def texts(fig: Any) -> list[str]:
    """Every text of the figure: titles, tick labels, axis labels, legends, notes."""
    return [t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text"))
            if t.get_text()]


def points(ax: Any) -> dict[str, int]:
    return {c.get_label(): len(c.get_offsets()) for c in ax.collections}


def bar_widths(ax: Any, label: str) -> list[float]:
    container = next(c for c in ax.containers if c.get_label() == label)
    return [bar.get_width() for bar in container]


def test_every_chart_has_a_danish_title_and_alt_text(frames: Frames) -> None:
    for chart, fig in draw_all(frames):
        title = fig.axes[0].get_title(loc="left")
        assert title == chart.title and chart.alt.startswith("Diagram: "), chart.id
        assert not ENGLISH_MONTHS.search(" ".join(texts(drawn(fig)))), chart.id
    assert list(CHARTS) == ["meetings", "phases", "departments", "goals", "reached", "scores"]


def test_the_timeline_shows_held_and_planned_meetings_per_pairing(frames: Frames) -> None:
    fig = drawn(charts.meetings_timeline(frames.filtered(mentor="M.H.")))
    ax = fig.axes[0]

    assert points(ax) == {"Holdt": 5, "Planlagt": 2, "Planlagt, ingen referat": 1}
    held = next(c for c in ax.collections if c.get_label() == "Holdt")
    hollow = next(c for c in ax.collections if c.get_label() == "Planlagt")
    assert held.get_facecolor()[0][3] == 1 and hollow.get_facecolor().size == 0  # hollow
    assert [t.get_text() for t in ax.get_yticklabels()] == ["par-jobcenter-17"]
    assert "I dag" in [line.get_label() for line in ax.get_lines()]
    labels = [t.get_text() for t in ax.get_xticklabels() if t.get_text()]
    assert labels and all(re.fullmatch(r"(\d{1,2}\. )?[a-zæø]{3,4}\.? \d{4}", t)
                          for t in labels), labels


def test_the_timeline_shows_the_latest_started_pairings_when_there_are_many() -> None:
    pairings = []
    for i in range(50):
        data = fixture("par-jobcenter-17")
        data["pairing"]["id"] = f"par-{i:02d}"
        data["pairing"]["start_date"] = (dt.date(2025, 1, 1) + dt.timedelta(days=7 * i)
                                         ).isoformat()
        pairings.append(read_summary(data, f"{i}.json"))
    fig = charts.meetings_timeline(build_frames(pairings, TODAY))
    ax = fig.axes[0]
    shown = [t.get_text() for t in ax.get_yticklabels()]

    assert len(shown) == charts.TIMELINE_ROWS and shown[0] == "par-49"  # newest at the top
    assert "par-09" not in shown and "par-10" in shown
    assert ax.get_xlabel().startswith("Viser de 40 senest startede af 50 mentorpar")


def test_pairings_per_phase_in_the_programmes_order(frames: Frames) -> None:
    ax = charts.phase_chart(frames).axes[0]

    assert [t.get_text() for t in ax.get_yticklabels()] == ["Forberedelse", "Opstart",
                                                            "Læring", "Afslutning"]
    assert [p.get_width() for p in ax.patches] == [2, 1, 3, 3]
    assert ax.get_xlabel() == "Antal mentorpar"


def test_pairings_per_department_by_phase(frames: Frames) -> None:
    ax = charts.department_chart(frames).axes[0]
    departments = [t.get_text() for t in ax.get_yticklabels()]

    assert set(departments) == {"Børn og Familie", "Børn og Unge – Handicap", "Jobcenter",
                                "Jobcenter – Sygedagpenge", "Jobcenter – Ydelse",
                                "Voksenhandicap", "Ældreområdet"}
    assert departments[0] == "Børn og Familie"  # two pairings: the longest bar first
    assert bar_widths(ax, "Afslutning")[0] == 1 and bar_widths(ax, "Læring")[0] == 1


def test_the_most_common_goals_group_the_pairs_own(frames: Frames) -> None:
    fig = charts.goals_chart(frames)
    ax = fig.axes[0]
    titles = [t.get_text() for t in ax.get_yticklabels()]

    assert titles[0] == "Myndighedsrollen" and titles[-1] == "Egne læringsmål"
    assert not any(t.startswith("Eget læringsmål") for t in texts(fig))
    own = titles.index("Egne læringsmål")
    reached = bar_widths(ax, "Nået")[own] + bar_widths(ax, "I gang")[own] + \
        bar_widths(ax, "Ikke startet")[own]
    assert reached == len(frames.goals[frames.goals["own"]])
    assert len(titles) == 11  # the ten most common examples and the own goals


def test_goals_reached_over_time_add_up_across_pairings(frames: Frames) -> None:
    ax = charts.goals_reached_chart(frames).axes[0]
    reached = next(line for line in ax.get_lines() if line.get_label() == "Nået")
    history = frames.goal_history
    latest = history[history.groupby("pairing")["version"].transform("max")
                     == history["version"]]

    in_progress = next(line for line in ax.get_lines() if line.get_label() == "I gang")

    assert reached.get_ydata()[-1] == (latest["status"] == "naaet").sum()
    assert in_progress.get_ydata()[-1] == (latest["status"] == "i_gang").sum()
    assert reached.get_ydata()[0] == 0 and ax.get_ylabel() == "Antal læringsmål"


def test_scores_per_aspect_count_only_shared_scores(frames: Frames) -> None:
    fig = charts.scores_chart(frames)
    ax = fig.axes[0]
    aspects = [t.get_text() for t in ax.get_yticklabels()]
    scores = frames.evaluations

    assert aspects == ["Indhold", "Læringsmål", "Relevans", "Form", "Rammer", "Metode",
                       "Udbytte"]
    totals = [sum(bar_widths(ax, str(s))[i] for s in range(1, 6)) for i in range(len(aspects))]
    assert totals == [len(scores[scores["aspect_label"] == a]) for a in aspects] == [4] * 7
    assert bar_widths(ax, "5")[aspects.index("Relevans")] == 3
    means = [t.get_text().strip() for t in ax.texts]
    assert means[aspects.index("Relevans")] == "gns. 4,8"  # 5, 4, 5 and 5
    assert fig.legends[0].get_title().get_text() == "Score (1 = lavest, 5 = højest)"


@pytest.mark.parametrize("chart_id", list(CHARTS))
def test_no_data_gives_a_figure_that_says_so(frames: Frames, chart_id: str) -> None:
    nothing = frames.filtered(department="Findes ikke")
    fig = drawn(CHARTS[chart_id].draw(nothing))

    words = " ".join(texts(fig))
    assert fig.axes[0].get_title(loc="left") == CHARTS[chart_id].title
    assert re.search(r"\b(ingen|Ingen)\b", words), words
    assert not fig.axes[0].collections and not fig.axes[0].patches


def test_the_coordinators_modules_import_no_heavy_library_and_never_the_store() -> None:
    code = ("import sys, nysoc_widgets.charts, nysoc_widgets.coordinator_data, "
            "nysoc_widgets.alerts, nysoc_widgets.coordinator_pages, nysoc_widgets.report, "
            "nysoc_widgets.cli_report, nysoc_widgets.coordinator_view; "
            "print(sorted(m for m in ('pandas', 'matplotlib', 'nbconvert', 'nbclient', "
            "'nysoc_widgets.store', 'nysoc_widgets.boundary', 'sqlite3') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=Path(__file__).resolve().parent.parent)
    assert out.stdout.strip() == "[]"
