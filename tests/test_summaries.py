"""Summaries (``nysoc_widgets.summaries``) and the start page (``nysoc_widgets.start``).

The summaries are pure functions of ``records_to_frame`` output, so most tests build
``Record`` objects in memory; one test goes through a real workspace and store.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from nysoc_widgets import i18n
from nysoc_widgets.catalogue import Catalogue
from nysoc_widgets.records import Record, records_to_frame
from nysoc_widgets.start import Status, status, workspace_status
from nysoc_widgets.summaries import (
    Summary,
    entry_dates,
    goal_field,
    goals_touched,
    month_label,
    per_month,
    summarise,
    summarise_frame,
)
from nysoc_widgets.templates import Template
from nysoc_widgets.workspace import init_workspace

REPO = Path(__file__).resolve().parent.parent

MONTH, ENTRIES, DRAFTS, GOAL = (i18n.t(f"summaries.{k}")
                                for k in ("col_month", "col_entries", "col_drafts", "col_goal"))


@pytest.fixture(scope="module")
def logbog() -> Template:
    return Catalogue.load().get("logbog")


@pytest.fixture(scope="module")
def goals(logbog: Template) -> list[str]:
    """The ids of the logbook's learning-goal choices, in template order."""
    fld = goal_field(logbog)
    assert fld is not None
    return [c.id for c in fld.choices]


def entry(day: str | None, *, written: str | None = None, goals: tuple[str, ...] = (),
          status: str = "final", n: int = 0) -> Record:
    """A saved logbook record about ``day``, written at ``written`` (UTC)."""
    stamp = written or f"{day}T10:00:00.000+00:00"
    return Record(pairing="par-test", template_id="logbog", template_version=1,
                  author_role="mentee", confidentiality="privat",
                  values={"dato": day, "nyt_laert": "Noget nyt", "laeringsmaal": list(goals)},
                  status=status, id=f"rec{n}", created=stamp, updated=stamp, version=1)


def summary_of(template: Template, *records: Record) -> Summary:
    return summarise_frame(records_to_frame(records, template), template)


# -- months ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("year", "month", "label"), [
    (2026, 11, "november 2026"), (2027, 1, "januar 2027"), (2025, 5, "maj 2025"),
], ids=["november", "januar", "maj"])
def test_month_label_is_danish(year: int, month: int, label: str) -> None:
    assert month_label(year, month) == label


def test_months_are_counted_across_the_new_year_with_quiet_months_as_zero(
        logbog: Template) -> None:
    summary = summary_of(logbog, entry("2025-11-20", n=1), entry("2026-01-05", n=2),
                         entry("2026-01-28", n=3))

    assert list(summary.per_month.columns) == [MONTH, ENTRIES, DRAFTS]
    assert summary.per_month[MONTH].tolist() == ["november 2025", "december 2025",
                                                 "januar 2026"]
    assert summary.per_month[ENTRIES].tolist() == [1, 0, 2]
    assert summary.total == 3
    assert summary.last_entry == "2026-01-28"


def test_the_entry_date_counts_not_the_day_it_was_written(logbog: Template) -> None:
    late = entry("2026-10-31", written="2026-11-02T09:00:00.000+00:00")

    assert summary_of(logbog, late).per_month[MONTH].tolist() == ["oktober 2026"]


def test_without_a_date_the_danish_day_of_writing_counts(logbog: Template) -> None:
    # 23:30 UTC on New Year's Eve is already 1 January in Copenhagen.
    undated = entry(None, written="2025-12-31T23:30:00.000+00:00")
    frame = records_to_frame([undated], logbog)

    assert entry_dates(frame, "dato").dt.strftime("%Y-%m-%d").tolist() == ["2026-01-01"]
    assert summary_of(logbog, undated).per_month[MONTH].tolist() == ["januar 2026"]


def test_drafts_are_counted_per_month(logbog: Template) -> None:
    summary = summary_of(logbog, entry("2026-03-02", n=1),
                         entry("2026-03-09", status="draft", n=2))

    assert summary.per_month[DRAFTS].tolist() == [1]
    assert summary.drafts == 1
    assert "Heraf er 1 en kladde" in summary.totals_text()


def test_per_month_of_no_dates_is_an_empty_frame_with_danish_columns() -> None:
    import pandas as pd

    frame = per_month(pd.Series([], dtype="datetime64[ns]"))

    assert frame.empty
    assert list(frame.columns) == [MONTH, ENTRIES, DRAFTS]


# -- learning goals ---------------------------------------------------------------------

def test_goals_are_counted_once_per_entry_most_touched_first(
        logbog: Template, goals: list[str]) -> None:
    first, second, third = goals[:3]
    summary = summary_of(logbog,
                         entry("2026-01-05", goals=(third, first), n=1),
                         entry("2026-01-06", goals=(third,), n=2),
                         entry("2026-01-07", n=3))
    fld = goal_field(logbog)
    assert fld is not None and summary.goals is not None

    assert summary.goals[GOAL].tolist() == [fld.choice_label(third), fld.choice_label(first)]
    assert summary.goals[ENTRIES].tolist() == [2, 1]
    assert second not in summary.goals[GOAL].tolist()


def test_ties_keep_the_template_order_and_unknown_goals_come_last_unnamed(
        logbog: Template, goals: list[str]) -> None:
    fld = goal_field(logbog)
    assert fld is not None
    frame = records_to_frame([entry("2026-02-01", n=1)], logbog)
    frame["laeringsmaal"] = [["fra_en_gammel_version", goals[4], goals[1], "Noget fjernet"]]

    table = goals_touched(frame, fld)

    assert table[GOAL].tolist() == [fld.choice_label(goals[1]), fld.choice_label(goals[4]),
                                    i18n.t("summaries.other_goals")]
    assert table[ENTRIES].tolist() == [1, 1, 1], "other goals count once per entry"


def test_the_pairs_own_goals_count_by_title_after_the_examples(
        logbog: Template, goals: list[str]) -> None:
    fld = goal_field(logbog)
    assert fld is not None
    frame = records_to_frame([entry("2026-02-01", n=1), entry("2026-02-02", n=2)], logbog)
    frame["laeringsmaal"] = [["Skrive klare afgørelser", goals[2]],
                             ["Skrive klare afgørelser", "Skrive tydelige afgørelser"]]

    table = goals_touched(frame, fld, own=["Sige fra", "Skrive klare afgørelser"])

    assert table[GOAL].tolist() == ["Skrive klare afgørelser", fld.choice_label(goals[2]),
                                    i18n.t("summaries.other_goals")]
    assert table[ENTRIES].tolist() == [2, 1, 1]
    assert "Skrive tydelige afgørelser" not in table[GOAL].tolist(), "renamed: not shown"


def test_a_field_taking_its_choices_from_the_learning_goals_counts_as_goals(
        logbog: Template) -> None:
    import dataclasses

    fld = logbog.field("laeringsmaal")
    renamed = dataclasses.replace(fld, id="mine_maal")
    assert fld.choices_from == "laeringsmaal.eksempler"
    sections = tuple(dataclasses.replace(s, fields=tuple(renamed if f is fld else f
                                                         for f in s.fields))
                     for s in logbog.sections)

    assert goal_field(dataclasses.replace(logbog, sections=sections)) == renamed


def test_a_template_without_learning_goals_has_no_goal_table() -> None:
    template = Catalogue.load().get("forberedelse_mentee")
    record = Record(pairing="p", template_id=template.id, template_version=template.version,
                    author_role="mentee", confidentiality="privat", values={"maal": "x"},
                    status="final", id="r", created="2026-05-01T08:00:00.000+00:00",
                    updated="2026-05-01T08:00:00.000+00:00", version=1)

    summary = summary_of(template, record)

    assert summary.goals is None
    assert summary.per_month[MONTH].tolist() == ["maj 2026"]
    assert i18n.t("summaries.goals_heading") not in summary._repr_html_()


# -- rendering --------------------------------------------------------------------------

def test_an_empty_logbook_gets_a_friendly_sentence_not_an_empty_table(
        logbog: Template) -> None:
    summary = summary_of(logbog)
    html = summary._repr_html_()

    assert summary.empty and summary.total == 0 and summary.last_entry is None
    assert summary.per_month.empty
    assert "<table" not in html
    assert "Der er endnu ingen gemte notater i »Logbog«" in html
    assert "ingen gemte notater" in repr(summary)


def test_html_has_danish_headings_and_both_tables(logbog: Template, goals: list[str]) -> None:
    summary = summary_of(logbog, entry("2026-11-03", goals=(goals[0],), n=1),
                         entry("2026-11-17", n=2))
    html = summary._repr_html_()

    assert "<h3>Overblik: Logbog</h3>" in html
    assert "<h4>Notater pr. måned</h4>" in html
    assert "<h4>Læringsmål, du har skrevet om</h4>" in html
    assert html.count("<table") == 2
    assert "november 2026" in html
    assert "2 notater i alt. Det seneste er fra 17. november 2026." in html
    assert DRAFTS not in html  # no draft column when there are no drafts
    assert "Noget nyt" not in html  # counts and dates only, never the written text


def test_goal_labels_are_escaped(logbog: Template) -> None:
    frame = records_to_frame([entry("2026-02-01", n=1)], logbog)
    frame["laeringsmaal"] = [["<b>ulovlig</b>"]]

    html = summarise_frame(frame, logbog, own_goals=["<b>ulovlig</b>"])._repr_html_()

    assert "<b>ulovlig</b>" not in html
    assert "&lt;b&gt;ulovlig&lt;/b&gt;" in html


# -- the edge: a real workspace ---------------------------------------------------------

def test_summarise_reads_only_this_pairings_records_of_the_template(
        tmp_path: Path, logbog: Template) -> None:
    from nysoc_widgets.records import Pairing

    ws = init_workspace(tmp_path / "ws", "mentee", pairing="par-1")
    with ws.open_store() as store:
        store.add_pairing(Pairing(id="par-2"))
        for pairing, day in [("par-1", "2026-11-02"), ("par-1", "2026-12-01"),
                             ("par-2", "2026-12-03")]:
            record = Record(pairing=pairing, template_id="logbog", template_version=logbog.version,
                            author_role="mentee", confidentiality="privat",
                            values={"dato": day}, status="final")
            store.save_record(record, logbog)

    summary = summarise(ws, "logbog")

    assert summary.total == 2
    assert summary.per_month[ENTRIES].tolist() == [1, 1]


def test_summarise_counts_the_pairs_own_goals_by_title(tmp_path: Path,
                                                       logbog: Template) -> None:
    catalogue = Catalogue.load()
    goals = catalogue.get("laeringsmaal")
    ws = init_workspace(tmp_path / "ws", "mentee", pairing="par-1")
    with ws.open_store() as store:
        store.save_record(Record("par-1", "laeringsmaal", goals.version, "mentor", goals.level,
                                 {"eksempler": ["stress"], "egne": ["Sige fra"]}, "final"),
                          goals)
        for chosen in (["Sige fra", "stress"], ["Sige fra"], ["Et mål, der er fjernet"]):
            store.save_record(Record("par-1", "logbog", logbog.version, "mentee", "privat",
                                     {"dato": "2026-11-02", "laeringsmaal": chosen}, "final"),
                              logbog)

    table = summarise(ws, "logbog").goals

    assert table is not None
    assert table[GOAL].tolist() == ["Sige fra", "Håndtering af stress",
                                    i18n.t("summaries.other_goals")]
    assert table[ENTRIES].tolist() == [2, 1, 1]


def test_opdater_shows_a_record_saved_after_the_summary(tmp_path: Path,
                                                       logbog: Template) -> None:
    from nysoc_widgets.api import summary

    ws = init_workspace(tmp_path / "ws", "mentee", pairing="par-1")

    def write(day: str) -> None:
        with ws.open_store() as store:
            store.save_record(Record(pairing="par-1", template_id="logbog",
                                     template_version=logbog.version,
                                     author_role="mentee", confidentiality="privat",
                                     values={"dato": day}, status="final"), logbog)

    write("2026-11-02")
    shown = summary("logbog", workspace=ws)
    assert shown.total == 1 and "1 notat i alt" in shown.html.value
    assert "Tryk Opdatér" in shown.html.value and "Kør" not in shown.html.value

    write("2026-12-01")
    assert shown.total == 1, "nothing changes before the button is pressed"
    shown.button.click()

    assert shown.total == 2 and "2 notater i alt" in shown.html.value
    assert shown._repr_html_() == shown.html.value
    assert "2 notater i alt" in shown.static_bundle()["text/html"]
    assert shown.widget.children == (shown.html, shown.button)


def test_an_unknown_template_is_a_notice_not_a_button(tmp_path: Path) -> None:
    from nysoc_widgets.api import summary

    ws = init_workspace(tmp_path / "ws", "mentee", pairing="par-1")
    shown = summary("findes_ikke", workspace=ws)

    assert "nysoc-notice" in shown._dom_classes


def test_importing_summaries_and_start_does_not_import_pandas() -> None:
    code = ("import sys, nysoc_widgets.summaries, nysoc_widgets.start; "
            "sys.exit('pandas' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True,
                            text=True, env=_env_with_repo())
    assert result.returncode == 0, result.stderr or "pandas was imported"


def _env_with_repo() -> dict[str, str]:
    import os

    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH")) if p)
    return env


# -- the start page ---------------------------------------------------------------------

def test_start_status_shows_role_pairing_and_counts(
        tmp_path: Path, logbog: Template) -> None:
    ws = init_workspace(tmp_path / "ws", "mentee", pairing="par-abc", mentor="Mette Møller",
                        start_date="2026-09-01")
    with ws.open_store() as store:
        store.save_record(Record(pairing="par-abc", template_id="logbog",
                                 template_version=logbog.version,
                                 author_role="mentee", confidentiality="privat",
                                 values={"dato": "2026-09-02", "nyt_laert": "Hemmeligt"},
                                 status="final"), logbog)

    info = workspace_status(ws)
    rows = dict(info.rows())
    html = info._repr_html_()

    assert rows["Din rolle"] == "mentee (ny socialrådgiver)"
    assert rows["Mentorpar"] == "par-abc"
    assert rows["Mentor"] == "Mette Møller"
    assert rows["Startdato"] == "1. september 2026"
    assert rows["Gemte notater"] == "Logbog: 1"
    assert "<h3>Dit arbejdsområde</h3>" in html and "Mette Møller" in html
    assert "Hemmeligt" not in html + repr(info)


def test_start_status_of_a_coordinator_does_not_read_the_store(tmp_path: Path) -> None:
    ws = init_workspace(tmp_path / "ws", "koordinator")
    ws.store_path.unlink()  # proves the store is not opened

    rows = dict(workspace_status(ws).rows())

    assert rows["Mentorpar"].startswith("intet")
    assert "Gemte notater" not in rows


def test_status_without_a_workspace_is_a_danish_notice(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NYSOC_WORKSPACE", raising=False)
    monkeypatch.chdir(tmp_path)

    shown: Any = status()

    assert not isinstance(shown, Status)
    assert "nysoc.toml" in shown.value and "nysoc-notice" in shown._dom_classes
