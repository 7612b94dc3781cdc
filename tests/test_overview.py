"""The mentee's overview (``nysoc_widgets.overviews``): the learning goals' status history
from the store's versions, what she has learnt, the chart's artists, the empty case, and
that it stays with the pair."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from record_helpers import save_final

from nysoc_widgets import i18n
from nysoc_widgets.api import overview
from nysoc_widgets.catalogue import Catalogue
from nysoc_widgets.overviews import (
    Overview,
    goal_chart,
    goal_history,
    learnt,
    mentee_overview,
)
from nysoc_widgets.records import Record, RecordVersion
from nysoc_widgets.store import Store
from nysoc_widgets.workspace import Workspace, init_workspace

REPO = Path(__file__).resolve().parent.parent
CATALOGUE = Catalogue.load()
GOALS = CATALOGUE.get("laeringsmaal")
OWN = "Skrive tydelige afgørelser"
GOAL, STATUS, SINCE, CONFIRMED, DATE, SOURCE, TEXT = (
    i18n.t(f"overview.col_{k}")
    for k in ("goal", "status", "since", "confirmed", "date", "source", "text"))
TODAY = dt.date(2026, 11, 23)


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    return init_workspace(tmp_path / "ws", "mentee", pairing="P1", mentor="Mette Holm",
                          start_date="2026-08-17")


def save_goals_three_times(store: Store, store_times: list[str]) -> Record:
    """One learning-goal record saved on 1 September, 1 October and 1 November 2026."""
    store_times += [f"2026-{m:02d}-01T10:00:00.000+00:00" for m in (9, 10, 11)]
    chosen = {"eksempler": ["praksischok"], "egne": [OWN]}
    rec = save_final(store, "laeringsmaal", "mentee", **chosen,
               maal_status={"Praksischok": "ikke_startet", OWN: "ikke_startet"})
    rec = save_final(store, "laeringsmaal", "mentee", rec, **chosen,
               maal_status={"Praksischok": "i_gang", OWN: "ikke_startet"})
    return save_final(store, "laeringsmaal", "mentor", rec, **chosen,
                maal_status={"Praksischok": "naaet", OWN: "i_gang"},
                maal_bekraeftet={"Praksischok": "ja"})


def rows(frame: Any) -> list[tuple[Any, ...]]:
    return [tuple(r) for r in frame.itertuples(index=False)]


def levels(line: Any) -> list[int]:
    """A chart line's y values as status levels (0 ikke startet, 1 i gang, 2 nået)."""
    return [round(y) for y in line.get_ydata()]


# -- the status history ---------------------------------------------------------------

def test_the_status_history_comes_from_the_stores_versions(ws: Workspace,
                                                           store_times: list[str]) -> None:
    with ws.open_store() as store:
        rec = save_goals_three_times(store, store_times)
        versions = store.versions(rec.id or "")

    history = goal_history([(rec, versions)], GOALS)

    assert len(versions) == 3
    assert list(history.columns) == [GOAL, STATUS, SINCE, CONFIRMED]
    assert [(g, s, t.date().isoformat(), c) for g, s, t, c in rows(history)] == [
        ("Praksischok", "Ikke startet", "2026-09-01", "nej"),
        ("Praksischok", "I gang", "2026-10-01", "nej"),
        ("Praksischok", "Nået", "2026-11-01", "ja"),
        (OWN, "Ikke startet", "2026-09-01", "nej"),  # unchanged in October: one row
        (OWN, "I gang", "2026-11-01", "nej"),
    ]
    assert list(history[STATUS].cat.categories) == ["Ikke startet", "I gang", "Nået"]
    assert history[STATUS].cat.ordered


def test_the_mentor_confirms_a_status_not_a_goal() -> None:
    """A confirmed status that changes later starts unconfirmed again."""
    def version(n: int, status: str, confirmed: dict[str, str]) -> RecordVersion:
        return RecordVersion("r1", n, {"maal_status": {"Praksischok": status},
                                       "maal_bekraeftet": confirmed},
                             "final", 1, f"2026-0{n}-10T09:00:00.000+00:00")

    history = goal_history([(Record("P1", "laeringsmaal", 1, "mentee", "par"), [
        version(3, "naaet", {}),  # out of order on purpose: versions are sorted
        version(1, "i_gang", {}),
        version(2, "i_gang", {"Praksischok": "ja"}),
    ])], GOALS)

    assert [(s, c) for _, s, _, c in rows(history)] == [("I gang", "ja"), ("Nået", "nej")]


def test_a_goal_without_a_status_is_left_out() -> None:
    versions = [RecordVersion("r1", 1, {"maal_status": {"Praksischok": None, OWN: "i_gang"}},
                              "draft", 1, "2026-09-01T09:00:00.000+00:00")]

    history = goal_history([(Record("P1", "laeringsmaal", 1, "mentee", "par"), versions)],
                           GOALS)

    assert history[GOAL].tolist() == [OWN]


# -- what she has learnt ---------------------------------------------------------------

def test_learnt_texts_from_logbook_and_meetings_in_date_order_with_their_goals(
        ws: Workspace) -> None:
    with ws.open_store() as store:
        save_final(store, "logbog", "mentee", dato="2026-10-14",
             nyt_laert="Jeg kan stå ved afgørelsen.", laeringsmaal=[OWN, "praksischok"])
        save_final(store, "mentormoede", "mentor", dato="2026-09-08", konkret_laeringsmaal=OWN,
             opsamling="Faste skrivetider hjælper.", dialog="Ikke med i overblikket.")
        save_final(store, "logbog", "mentee", dato="2026-08-28",
             nyt_laert="Hvordan en underretning visiteres.\nOg hvem der gør det.")
        save_final(store, "logbog", "mentee", dato="2026-09-01", i_tvivl_om="Kun tvivl i dag.")
        records = store.list_records(pairing="P1")

    frame = learnt(records, CATALOGUE)

    assert list(frame.columns) == [DATE, SOURCE, GOAL, TEXT]
    assert [(d.date().isoformat(), s, g, t) for d, s, g, t in rows(frame)] == [
        ("2026-08-28", "Logbog", "",
         "Hvordan en underretning visiteres.\nOg hvem der gør det."),
        ("2026-09-08", "Mentormøde", OWN, "Faste skrivetider hjælper."),
        ("2026-10-14", "Logbog", f"{OWN}, Praksischok", "Jeg kan stå ved afgørelsen."),
    ]


def test_a_mentor_never_gets_the_mentees_private_logbook(ws: Workspace) -> None:
    with ws.open_store() as store:
        save_final(store, "logbog", "mentee", dato="2026-10-14", nyt_laert="Min egen refleksion.")
        save_final(store, "mentormoede", "mentor", dato="2026-09-08", opsamling="Fælles opsamling.")
    mentor = Workspace(root=ws.root, role="mentor", pairing="P1")

    assert mentee_overview(mentor).learnt[TEXT].tolist() == ["Fælles opsamling."]
    assert mentee_overview(ws).learnt[TEXT].tolist() == ["Fælles opsamling.",
                                                          "Min egen refleksion."]


# -- the chart -------------------------------------------------------------------------

def test_the_chart_has_one_step_line_per_goal_with_danish_statuses_and_dates(
        ws: Workspace, store_times: list[str]) -> None:
    with ws.open_store() as store:
        save_goals_three_times(store, store_times)
    shown = mentee_overview(ws, today=TODAY)

    fig = shown.chart()

    assert fig is not None
    ax = fig.axes[0]
    lines = {line.get_label(): line for line in ax.get_lines()}
    assert list(lines) == ["Praksischok", OWN]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Ikke startet", "I gang", "Nået"]
    assert ax.get_title() == "Status pr. læringsmål"
    practice = lines["Praksischok"]
    assert practice.get_drawstyle() == "steps-post"
    assert list(practice.get_xdata()) == [dt.date(2026, 9, 1), dt.date(2026, 10, 1),
                                          dt.date(2026, 11, 1), TODAY]  # ends today
    assert levels(practice) == [0, 1, 2, 2]
    assert levels(lines[OWN]) == [0, 1, 1]
    assert all(isinstance(x, dt.date) for line in lines.values() for x in line.get_xdata())
    labels = [t.get_text() for t in ax.get_xticklabels()]
    assert any(label.endswith(("okt.", "nov.")) for label in labels), labels
    legend = ax.get_legend()
    assert legend is not None and [t.get_text() for t in legend.get_texts()] == list(lines)


def test_a_history_of_one_day_still_draws(ws: Workspace, store_times: list[str]) -> None:
    store_times.append("2026-11-23T10:00:00.000+00:00")
    with ws.open_store() as store:
        save_final(store, "laeringsmaal", "mentee", eksempler=["praksischok"],
             maal_status={"Praksischok": "i_gang"})
    history = mentee_overview(ws, today=TODAY).history

    ax = goal_chart(history).axes[0]

    left, right = ax.get_xlim()
    assert right - left >= 7
    assert levels(ax.get_lines()[0]) == [1]


# -- the overview as a whole -----------------------------------------------------------

def test_the_overview_shows_tables_and_an_inline_chart(ws: Workspace,
                                                       store_times: list[str]) -> None:
    with ws.open_store() as store:
        save_goals_three_times(store, store_times)
        store_times.append("2026-10-15T10:00:00.000+00:00")
        save_final(store, "logbog", "mentee", dato="2026-10-14", nyt_laert="At sige <nej> klart.")

    html = overview(workspace=ws)._repr_html_()

    assert "<h3>Mit overblik</h3>" in html
    assert "<h4>Læringsmål over tid</h4>" in html and "<h4>Det nye, jeg har lært</h4>" in html
    assert 'src="data:image/png;base64,' in html
    assert "http" not in html, "nothing external"
    assert "At sige &lt;nej&gt; klart." in html
    assert "1. november 2026" in html and "Bekræftet af mentor" in html
    assert "tovholderen" in html


def test_an_empty_overview_says_so_in_danish(ws: Workspace) -> None:
    shown = overview(workspace=ws)

    assert isinstance(shown.value, Overview) and shown.empty
    assert shown.chart() is None
    assert "Der er ikke noget at se tilbage på endnu." in shown._repr_html_()
    assert "Der er ikke noget at se tilbage på endnu." in repr(shown)


def test_goals_without_learnt_texts_say_that_part_is_empty(ws: Workspace,
                                                           store_times: list[str]) -> None:
    with ws.open_store() as store:
        save_goals_three_times(store, store_times)

    html = overview(workspace=ws)._repr_html_()

    assert i18n.t("overview.learnt_none") in html and "data:image/png" in html


def test_opdater_reads_the_overview_again(ws: Workspace, store_times: list[str],
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    from IPython.display import DisplayHandle

    shown = overview(workspace=ws)
    updates: list[dict[str, Any]] = []
    monkeypatch.setattr(DisplayHandle, "update",
                        lambda self, obj, **kw: updates.append(obj))
    monkeypatch.setattr("IPython.display.display",
                        lambda *a, **kw: DisplayHandle() if kw.get("display_id") else None)
    shown._ipython_display_()
    assert "Der er ikke noget at se tilbage på endnu." in shown.html.value
    assert shown.button.description == "Opdatér"
    assert "Tryk Opdatér" not in shown.html.value  # the empty overview has no note yet

    with ws.open_store() as store:
        store_times.append("2026-10-15T10:00:00.000+00:00")
        save_final(store, "logbog", "mentee", dato="2026-10-14", nyt_laert="At sige nej klart.")
    shown.button.click()

    assert "At sige nej klart." in shown.html.value and not shown.empty
    assert "Tryk Opdatér for at se det seneste." in shown.html.value
    assert "At sige nej klart." in updates[-1]["text/html"], "the static copy follows"
    assert updates[-1]["text/html"].startswith("<details>")


def test_the_coordinator_gets_a_notice_not_the_overview(tmp_path: Path) -> None:
    coordinator = init_workspace(tmp_path / "koordinator", "koordinator")

    shown = overview(workspace=coordinator)

    assert "nysoc-notice" in shown._dom_classes
    assert "Overblikket hører til et mentorpar" in shown.value


def test_reading_the_overview_refuses_a_workspace_without_a_pairing(tmp_path: Path) -> None:
    from nysoc_widgets.errors import WorkspaceError

    coordinator = init_workspace(tmp_path / "koordinator", "koordinator")

    with pytest.raises(WorkspaceError, match="hører til et mentorpar"):
        mentee_overview(coordinator)


def test_nysoc_overview_stays_the_function_after_use(ws: Workspace) -> None:
    """The module is ``overviews``: a submodule named ``overview`` would replace the
    package's ``overview`` function the first time it is imported."""
    import nysoc_widgets as nysoc

    nysoc.overview(workspace=ws)

    assert isinstance(nysoc.overview(workspace=ws).value, Overview)


def test_importing_nysoc_does_not_import_pandas_or_matplotlib() -> None:
    code = ("import sys, nysoc_widgets, nysoc_widgets.overviews; "
            "assert callable(nysoc_widgets.overview); "
            "sys.exit(sorted({'pandas', 'matplotlib'} & set(sys.modules)) or 0)")
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH")) if p)

    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True,
                            text=True, env=env)

    assert result.returncode == 0, result.stderr or "pandas or matplotlib was imported"
