"""The phase a pairing is in (``nysoc_widgets.phase``) and how the start page shows it.

Records are built in memory as ``Record`` objects (as in ``test_summaries.py``); one test
goes through a real workspace and store.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from nysoc_widgets import i18n
from nysoc_widgets.catalogue import Catalogue
from nysoc_widgets.phase import (
    AGREEMENT_DUE,
    FIRST_MEETING_DUE,
    MILESTONES,
    derive_phase,
    phase_began,
    record_day,
)
from nysoc_widgets.records import Pairing, Record
from nysoc_widgets.start import workspace_status
from nysoc_widgets.workspace import init_workspace

TODAY = dt.date(2026, 3, 2)
PAIRING = Pairing(id="par-test", mentor="Mette Holm", mentee="Ali Bakr", start_date="2026-01-12",
                  planned_end="2026-12-31", created="2026-01-05T09:00:00.000+00:00")
WARNING = i18n.t("phase.warning_no_meeting")


def rec(template_id: str, written: str, status: str = "final", **values: Any) -> Record:
    """A saved record of ``template_id`` written on the day ``written`` (10 o'clock UTC)."""
    stamp = f"{written}T10:00:00.000+00:00"
    return Record(pairing="par-test", template_id=template_id, template_version=1,
                  author_role="mentor", confidentiality="par", values=values, status=status,
                  id=f"{template_id}-{written}", created=stamp, updated=stamp, version=1)


PREPARATION = rec("forberedelse_mentor", "2026-01-08")
AGREEMENT = rec("samarbejdsaftale", "2026-01-20", startdato="2026-01-26",
                naeste_moede="2026-02-03", moedet_efter="2026-03-03",
                moedet_efter_det="2026-04-07")
MEETING = rec("mentormoede", "2026-02-04", dato="2026-02-03", naeste_dato="2026-03-03")
EVALUATION = rec("evaluering", "2026-11-30", dato="2026-11-27")
LOGBOOK = rec("logbog", "2026-01-02", dato="2026-01-02")


@pytest.mark.parametrize(("records", "phase"), [
    pytest.param([], "forberedelse", id="nothing-saved"),
    pytest.param([PREPARATION, LOGBOOK], "forberedelse", id="preparations-only"),
    pytest.param([PREPARATION, AGREEMENT], "opstart", id="agreement-saved"),
    pytest.param([AGREEMENT, MEETING], "laering", id="a-meeting-saved"),
    pytest.param([MEETING], "laering", id="a-meeting-without-agreement"),
    pytest.param([AGREEMENT, MEETING, EVALUATION], "afslutning", id="evaluation-saved"),
    pytest.param([rec("statusmoede", "2026-01-05", dato="2026-01-05")], "introduktion",
                 id="introduction-programme"),
])
def test_the_phase_follows_from_what_is_saved(records: list[Record], phase: str) -> None:
    assert derive_phase(records, TODAY, pairing=PAIRING).phase == phase


def test_other_records_do_not_move_the_phase() -> None:
    """A logbook or learning goals before the first meeting do not start the learning phase."""
    records = [AGREEMENT, LOGBOOK, rec("laeringsmaal", "2026-01-20")]
    assert derive_phase(records, TODAY).phase == "opstart"


def test_a_draft_counts_as_saved() -> None:
    state = derive_phase([rec("samarbejdsaftale", "2026-01-20", "draft")], TODAY)
    assert state.phase == "opstart"
    assert state.next_step == i18n.t("phase.next_finish_agreement")


def test_each_phase_began_on_its_records_own_date_or_the_day_it_was_written() -> None:
    state = derive_phase([PREPARATION, AGREEMENT, MEETING, EVALUATION], dt.date(2026, 12, 1),
                         pairing=PAIRING)

    assert state.began == {
        "forberedelse": dt.date(2026, 1, 8),   # the preparation, before the start date
        "opstart": dt.date(2026, 1, 20),       # written before its start date (26 January)
        "laering": dt.date(2026, 2, 3),        # the meeting's own date, written a day later
        "afslutning": dt.date(2026, 11, 27)}   # the evaluation's own date
    assert list(state.began) == ["forberedelse", "opstart", "laering", "afslutning"]
    assert state.since == dt.date(2026, 11, 27) and state.name == "Afslutning"


def test_without_preparations_the_preparation_phase_begins_on_the_start_date() -> None:
    state = derive_phase([], TODAY, pairing=PAIRING)
    assert state.began == {"forberedelse": dt.date(2026, 1, 12)}
    assert derive_phase([], TODAY).began == {}


@pytest.mark.parametrize(("fields", "created", "day"), [
    pytest.param({"dato": "2026-02-03"}, "2026-02-04T10:00:00+00:00", "2026-02-03",
                 id="own-date-earlier"),
    pytest.param({"dato": "2026-02-10"}, "2026-02-04T10:00:00+00:00", "2026-02-04",
                 id="written-earlier"),
    pytest.param({"dato": None}, "2026-02-04", "2026-02-04", id="no-own-date"),
    pytest.param({"dato": "ikke en dato"}, "2026-02-04", "2026-02-04", id="bad-own-date"),
    pytest.param({}, None, None, id="nothing-known"),
])
def test_record_day(fields: dict[str, Any], created: str | None, day: str | None) -> None:
    assert record_day("mentormoede", fields, created) == day


def test_phase_began_is_the_one_rule_the_coordinators_summary_uses_too() -> None:
    from nysoc_widgets import phase, shared_summary

    shared = [{"template_id": "mentormoede", "fields": {"dato": "2026-02-03"},
               "created": "2026-02-04"}]
    assert shared_summary._phase(shared, "2026-01-12") == {
        "current": "laering", "began": {"forberedelse": "2026-01-12", "laering": "2026-02-03"}}
    assert phase_began([("mentormoede", "2026-02-03")], "2026-01-12") == (
        "laering", {"forberedelse": "2026-01-12", "laering": "2026-02-03"})
    assert shared_summary.MEETINGS is phase.MEETINGS


@pytest.mark.parametrize(("records", "today", "expected"), [
    pytest.param([AGREEMENT], dt.date(2026, 1, 30), dt.date(2026, 2, 3), id="from-agreement"),
    pytest.param([AGREEMENT, MEETING], dt.date(2026, 2, 20), dt.date(2026, 3, 3),
                 id="from-the-last-meeting"),
    pytest.param([AGREEMENT, MEETING], dt.date(2026, 3, 3), dt.date(2026, 3, 3), id="today"),
    pytest.param([AGREEMENT, MEETING], dt.date(2026, 3, 20), dt.date(2026, 4, 7),
                 id="agreed-further-ahead"),
    pytest.param([AGREEMENT, MEETING], dt.date(2026, 4, 8), None, id="all-in-the-past"),
])
def test_the_next_meeting(records: list[Record], today: dt.date,
                          expected: dt.date | None) -> None:
    assert derive_phase(records, today).next_meeting == expected


def test_no_next_meeting_planned_is_said_plainly() -> None:
    meeting = rec("mentormoede", "2026-02-03", dato="2026-02-03")  # no next date

    state = derive_phase([meeting], TODAY)

    assert state.next_meeting is None
    assert state.warnings == (WARNING,)
    assert "brandslukning" in WARNING and "løbe ud i sandet" in WARNING
    assert "2–3 møder frem" in WARNING


@pytest.mark.parametrize("records", [
    pytest.param([], id="before-the-agreement"),
    pytest.param([AGREEMENT, MEETING, EVALUATION], id="after-the-evaluation"),
])
def test_no_meeting_warning_only_while_meetings_are_due(records: list[Record]) -> None:
    assert derive_phase(records, dt.date(2026, 12, 1)).warnings == ()


def test_overdue_due_dates_count_from_the_start_date() -> None:
    start = dt.date(2026, 1, 12)
    today = start + AGREEMENT_DUE + dt.timedelta(days=15)  # 2 weeks and a day late

    state = derive_phase([PREPARATION], today, pairing=PAIRING)

    assert [(o.what, o.due, o.days_late) for o in state.overdue] == [
        ("agreement", start + AGREEMENT_DUE, 15),
        ("first_meeting", start + FIRST_MEETING_DUE, 1)]
    assert state.overdue[0].text == (
        "Samarbejdsaftalen skulle efter planen have været lavet for 2 uger siden.")
    assert state.overdue[1].text == (
        "Det første mentormøde skulle efter planen have været holdt i går.")
    assert state.notes[:2] == tuple(o.text for o in state.overdue)


@pytest.mark.parametrize(("records", "today", "overdue"), [
    pytest.param([], dt.date(2026, 2, 9), [], id="agreement-due-today"),
    pytest.param([], dt.date(2026, 2, 13), ["agreement"], id="agreement-4-days-late"),
    pytest.param([AGREEMENT], dt.date(2026, 3, 2), ["first_meeting"], id="meeting-late"),
    pytest.param([AGREEMENT, MEETING], dt.date(2027, 1, 2), ["evaluation"],
                 id="evaluation-after-planned-end"),
    pytest.param([AGREEMENT, MEETING, EVALUATION], dt.date(2027, 1, 2), [], id="all-done"),
])
def test_what_is_overdue(records: list[Record], today: dt.date, overdue: list[str]) -> None:
    state = derive_phase(records, today, pairing=PAIRING)
    assert [o.what for o in state.overdue] == overdue


def test_nothing_is_overdue_without_a_start_date() -> None:
    assert derive_phase([], dt.date(2030, 1, 1), pairing=Pairing(id="p")).overdue == ()


def test_ago_texts() -> None:
    late = derive_phase([], dt.date(2026, 2, 9) + dt.timedelta(days=3), pairing=PAIRING)
    assert late.overdue[0].text.endswith("for 3 dage siden.")
    late = derive_phase([], dt.date(2026, 2, 16), pairing=PAIRING)
    assert late.overdue[0].text.endswith("for 1 uge siden.")


def test_every_phase_has_a_next_step_in_danish_and_english() -> None:
    for phase in set(MILESTONES.values()):
        assert i18n.has(f"phase.next_{phase}")
        assert i18n.t(f"phase.next_{phase}", "en")
    assert derive_phase([], TODAY).next_step == i18n.t("phase.next_prepare")
    assert "samarbejdsaftale" in derive_phase([PREPARATION], TODAY).next_step
    assert derive_phase([AGREEMENT], TODAY).next_step == i18n.t("phase.next_opstart")


def test_the_milestones_are_forms_of_the_catalogue_in_their_phase() -> None:
    catalogue = Catalogue.load()
    for template_id, phase in MILESTONES.items():
        template = catalogue.get(template_id)
        assert template.kind == "form" and template.phase == phase


# -- the start page ----------------------------------------------------------------------

def save(store: Any, template_id: str, status: str = "final", **values: Any) -> None:
    template = Catalogue.load().get(template_id)
    store.save_record(Record("par-abc", template.id, template.version, "mentor",
                             template.level, values, status), template)


def test_the_start_page_shows_phase_next_step_next_meeting_and_overdue(
        tmp_path: Path) -> None:
    ws = init_workspace(tmp_path / "ws", "mentor", pairing="par-abc", mentor="Mette Møller",
                        start_date="2026-01-12")
    with ws.open_store() as store:
        save(store, "samarbejdsaftale", "draft", startdato="2026-01-12",
             naeste_moede="2026-03-10")

    info = workspace_status(ws, today=dt.date(2026, 3, 2))
    rows = dict(info.rows())
    html = info._repr_html_()
    text = repr(info)

    assert rows["Fase"].startswith("Opstart (siden ")
    assert rows["Næste skridt"] == i18n.t("phase.next_finish_agreement")
    assert rows["Næste møde"] == "10. marts 2026"
    late = "Det første mentormøde skulle efter planen have været holdt for 1 uge siden."
    assert late in html and late in text
    assert "Værd at vide" in html and WARNING not in html
    assert "Start_her.ipynb" in html, "the links to the workspace's notebooks stay"


def test_the_start_page_warns_when_no_meeting_is_planned(tmp_path: Path) -> None:
    ws = init_workspace(tmp_path / "ws", "mentee", pairing="par-abc", start_date="2026-01-12")
    with ws.open_store() as store:
        save(store, "mentormoede", "draft", dato="2026-02-03")

    info = workspace_status(ws, today=dt.date(2026, 3, 2))
    rows = dict(info.rows())

    assert rows["Fase"] == "Læring (siden 3. februar 2026)"
    assert rows["Næste møde"] == "intet planlagt"
    assert WARNING in info._repr_html_() and WARNING in repr(info)


def test_the_start_page_of_a_new_pairing(tmp_path: Path) -> None:
    ws = init_workspace(tmp_path / "ws", "mentee", pairing="par-abc", start_date="2026-03-01")

    info = workspace_status(ws, today=dt.date(2026, 3, 2))
    rows = dict(info.rows())

    assert rows["Fase"] == "Forberedelse (siden 1. marts 2026)"
    assert rows["Næste skridt"] == i18n.t("phase.next_prepare")
    assert "Næste møde" not in rows and info.notes() == ()
    assert "Værd at vide" not in info._repr_html_()


def test_a_midway_evaluation_does_not_close_the_programme() -> None:
    meetings = [rec("samarbejdsaftale", "2026-01-05"), rec("mentormoede", "2026-01-20")]
    midway = rec("evaluering", "2026-02-10", evaluering_type="midtvejs")
    closing = rec("evaluering", "2026-02-20", evaluering_type="afslutning")
    assert derive_phase([*meetings, midway], TODAY).phase == "laering"
    assert derive_phase([*meetings, midway, closing], TODAY).phase == "afslutning"
