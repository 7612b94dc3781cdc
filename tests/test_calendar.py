"""The planned meetings as ``moeder.ics``: parsed back with ``icalendar``, stable, nameless,
and refused with a Danish message when the agreement's plan cannot be right."""

from __future__ import annotations

import base64
import datetime as dt
import re
from pathlib import Path
from typing import Any

import icalendar
import pytest

import nysoc_widgets as nysoc
from nysoc_widgets.calendar import (
    DEFAULT_MINUTES,
    FILE_NAME,
    MAX_MINUTES,
    CalendarError,
    calendar_html,
    latest_agreement,
    meetings_ics,
    planned_meetings,
)
from nysoc_widgets.catalogue import Catalogue
from nysoc_widgets.records import Pairing, Record
from nysoc_widgets.templates import Template
from nysoc_widgets.workspace import Workspace, init_workspace

MENTOR, MENTEE = "Mette Mentorsen", "Nina Nyuddannet"
PAIRING = Pairing(id="par-kalender", mentor=MENTOR, mentee=MENTEE, department="Børn og Unge")
PLAN = {"naeste_moede": "2027-01-12", "moedet_efter": "2027-01-26",
        "moedet_efter_det": "2027-02-09"}
CANARY = "KANARIE-kalender"


@pytest.fixture(scope="module")
def template() -> Template:
    return Catalogue.load().get("samarbejdsaftale")


def agreement(template: Template, values: dict[str, Any], *, version: int = 1,
              record_id: str = "rec-1", updated: str = "2027-01-05T10:11:12.345+00:00",
              status: str = "final") -> Record:
    return Record(pairing=PAIRING.id, template_id=template.id,
                  template_version=template.version, author_role="mentor",
                  confidentiality="par", values=values, status=status, id=record_id,
                  created=updated, updated=updated, version=version)


def full(**changes: Any) -> dict[str, Any]:
    """A filled-in agreement, with the pair's names and a canary in every text field."""
    values: dict[str, Any] = {
        "antal_moeder": 10, "varighed": 90, "lokale": "Mødelokale 3",
        "uforstyrrethed": f"{MENTEE} slukker telefonen {CANARY}",
        "startdato": "2027-01-04", "slutdato": "2027-12-17",
        "spilleregler": ["aabenhed", "fortrolighed"],
        "andre_spilleregler": [f"{MENTOR} sender dagsorden {CANARY}"],
        "fortrolighed_aftale": f"Vi refererer ikke til andre {CANARY}",
        "formaal": f"{MENTEE} skal falde godt til {CANARY}",
        "metoder": CANARY, "redskaber": CANARY, **PLAN}
    values.update(changes)
    return values


def parse(text: str) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(text)


def events(text: str) -> list[Any]:
    return list(parse(text).walk("VEVENT"))


# -- the file -------------------------------------------------------------------------------

def test_one_event_per_planned_meeting_with_date_length_and_room(template: Template) -> None:
    text = meetings_ics(PAIRING, agreement(template, full()), template)

    found = events(text)
    assert [e.decoded("dtstart") for e in found] == [
        dt.datetime(2027, 1, 12, 9, 0), dt.datetime(2027, 1, 26, 9, 0),
        dt.datetime(2027, 2, 9, 9, 0)]
    assert all(e.decoded("dtstart").tzinfo is None for e in found), "floating local time"
    assert {e.decoded("duration") for e in found} == {dt.timedelta(minutes=90)}
    assert {str(e["summary"]) for e in found} == {"Mentormøde"}
    assert {str(e["location"]) for e in found} == {"Mødelokale 3"}
    assert all(e.decoded("dtstamp") == dt.datetime(2027, 1, 5, 10, 11, 12,
                                                  tzinfo=dt.timezone.utc) for e in found)
    cal = parse(text)
    assert str(cal["version"]) == "2.0" and "nysoc" in str(cal["prodid"])


def test_the_length_defaults_to_an_hour_and_the_room_is_left_out_when_not_given(
        template: Template) -> None:
    text = meetings_ics(PAIRING, agreement(template, dict(PLAN)), template)

    found = events(text)
    assert len(found) == 3
    assert {e.decoded("duration") for e in found} == {dt.timedelta(minutes=DEFAULT_MINUTES)}
    assert all("location" not in e for e in found)


def test_a_skipped_meeting_leaves_no_gap(template: Template) -> None:
    text = meetings_ics(PAIRING, agreement(template, {"moedet_efter_det": "2027-02-09"}),
                        template)

    assert [e.decoded("dtstart").date() for e in events(text)] == [dt.date(2027, 2, 9)]


def test_lines_end_in_crlf_and_are_folded_at_75_octets(template: Template) -> None:
    room = "Mødelokale 3, 2. sal i rådhusets østfløj, ved siden af kantinen og elevatorerne"
    text = meetings_ics(PAIRING, agreement(template, full(lokale=room)), template)

    assert text.endswith("\r\n")
    assert "\n" not in text.replace("\r\n", "")
    lines = text.split("\r\n")
    assert max(len(line.encode("utf-8")) for line in lines) <= 75
    assert any(line.startswith(" ") for line in lines), "the long room was folded"
    assert {str(e["location"]) for e in events(text)} == {room}


def test_the_file_holds_no_names_and_nothing_else_the_pair_wrote(template: Template) -> None:
    text = meetings_ics(PAIRING, agreement(template, full()), template)
    unfolded = text.replace("\r\n ", "")

    for secret in (MENTOR, MENTEE, "Mette", "Nina", CANARY, PAIRING.id, PAIRING.department,
                   "rec-1"):
        assert secret not in unfolded
    keys = {key for e in events(text) for key in e}
    assert keys == {"UID", "DTSTAMP", "SEQUENCE", "DTSTART", "DURATION", "SUMMARY",
                    "DESCRIPTION", "LOCATION", "TRANSP"}


def test_uids_are_stable_so_a_new_download_updates_the_same_meetings(
        template: Template) -> None:
    first = meetings_ics(PAIRING, agreement(template, full()), template)
    again = meetings_ics(PAIRING.id, agreement(template, full()), template)
    moved = meetings_ics(PAIRING, agreement(template, full(moedet_efter="2027-01-27"),
                                            version=2), template)
    other = meetings_ics(PAIRING, agreement(template, full(), record_id="rec-2"), template)

    def uids(text: str) -> list[str]:
        return [str(e["uid"]) for e in events(text)]

    assert first == again, "the same agreement gives the same file"
    assert len(set(uids(first))) == 3
    assert uids(moved) == uids(first)
    assert [int(e["sequence"]) for e in events(moved)] == [2, 2, 2]
    assert events(moved)[1].decoded("dtstart").date() == dt.date(2027, 1, 27)
    assert set(uids(other)).isdisjoint(uids(first))


def test_an_agreement_without_dates_gives_no_events(template: Template) -> None:
    record = agreement(template, full(naeste_moede=None, moedet_efter=None,
                                      moedet_efter_det=None))

    assert planned_meetings(record, template) == []
    assert events(meetings_ics(PAIRING, record, template)) == []
    assert "ingen datoer" in calendar_html(PAIRING, [record], template)


# -- plans that cannot be right -------------------------------------------------------------

@pytest.mark.parametrize(("changes", "message"), [
    pytest.param({"startdato": "2027-03-01", "slutdato": "2027-02-01",
                  "naeste_moede": None, "moedet_efter": None, "moedet_efter_det": None},
                 "»Planlagt afslutning« .1. februar 2027. ligger før »Startdato«",
                 id="end-before-start"),
    pytest.param({"naeste_moede": "2027-01-02"},
                 "»Næste møde« .2. januar 2027. ligger før »Startdato«",
                 id="meeting-before-start"),
    pytest.param({"moedet_efter_det": "2028-01-10"},
                 "»Planlagt afslutning« .17. december 2027. ligger før »Og mødet efter det«",
                 id="meeting-after-end"),
    pytest.param({"moedet_efter": "2027-01-10"},
                 "»Mødet efter« .10. januar 2027. ligger før »Næste møde«",
                 id="meetings-out-of-order"),
    pytest.param({"moedet_efter": "2027-01-12"}, "ligger ikke efter »Næste møde«",
                 id="two-meetings-one-day"),
    pytest.param({"naeste_moede": "31. februar"}, "»Næste møde« er ikke en dato",
                 id="impossible-date"),
    pytest.param({"varighed": 0}, "»Varighed pr. møde .minutter.« skal være et helt antal",
                 id="no-minutes"),
    pytest.param({"varighed": MAX_MINUTES + 1}, f"mellem 1 og {MAX_MINUTES}",
                 id="too-long"),
])
def test_a_plan_that_cannot_be_right_is_refused_in_danish(
        template: Template, changes: dict[str, Any], message: str) -> None:
    record = agreement(template, full(**changes))

    with pytest.raises(CalendarError, match=message) as caught:
        meetings_ics(PAIRING, record, template)
    assert isinstance(caught.value, ValueError)
    assert caught.value.english
    with pytest.raises(CalendarError, match=message):
        calendar_html(PAIRING, [record], template)


def test_a_record_of_another_template_is_refused(template: Template) -> None:
    logbog = Catalogue.load().get("logbog")
    record = Record(pairing=PAIRING.id, template_id="logbog", template_version=logbog.version,
                    author_role="mentee", confidentiality="privat", values={})

    with pytest.raises(CalendarError, match="skrevet i skabelonen 'logbog'"):
        planned_meetings(record, template)


# -- what the notebook shows ----------------------------------------------------------------

def test_the_link_carries_the_file_of_the_latest_agreement(template: Template) -> None:
    old = agreement(template, full(), record_id="old", updated="2027-01-05T10:00:00+00:00")
    new = agreement(template, full(naeste_moede="2027-01-13"), record_id="new",
                    updated="2027-01-06T10:00:00+00:00", status="draft")

    assert latest_agreement([new, old]) is new
    html = calendar_html(PAIRING, [old, new], template)
    href = re.search(r'href="data:text/calendar;charset=utf-8;base64,([^"]+)"', html)
    assert href and f'download="{FILE_NAME}"' in html
    text = base64.b64decode(href[1]).decode("utf-8")
    assert text == meetings_ics(PAIRING, new, template)
    assert "13. januar 2027, 26. januar 2027 og 9. februar 2027" in html
    assert "3 møder" in html and "(kladde)" in html and "kl. 9.00" in html
    assert latest_agreement([]) is None
    assert "endnu ikke gemt nogen samarbejdsaftale" in calendar_html(PAIRING, [], template)


@pytest.fixture
def workspace(tmp_path: Path) -> Workspace:
    return init_workspace(tmp_path / "ws", "mentor", pairing=PAIRING.id, mentor=MENTOR,
                          mentee=MENTEE)


def save(ws: Workspace, template: Template, values: dict[str, Any]) -> Record:
    with ws.open_store() as store:
        return store.save_record(Record(
            pairing=PAIRING.id, template_id=template.id, template_version=template.version,
            author_role="mentor", confidentiality=template.level, values=values,
            status="final"), template)


def shown(view: Any) -> str:
    return str(view.html.value)


def test_calendar_file_offers_the_saved_meetings_after_update(
        workspace: Workspace, template: Template) -> None:
    widget = nysoc.calendar_file(workspace=workspace)

    assert "nysoc-calendar-file" in widget.widget._dom_classes
    assert "endnu ikke gemt nogen samarbejdsaftale" in shown(widget)
    save(workspace, template, full())
    widget.button.click()  # Opdatér
    assert widget.button.description == "Opdatér"
    assert f'download="{FILE_NAME}"' in shown(widget)
    assert "12. januar 2027" in shown(widget)


def test_calendar_file_shows_a_bad_plan_in_danish(workspace: Workspace,
                                                  template: Template) -> None:
    save(workspace, template, full(startdato="2027-03-01", slutdato="2027-02-01"))

    widget = nysoc.calendar_file(workspace=workspace)

    assert 'role="alert"' in shown(widget)
    assert "ligger før »Startdato«" in shown(widget)


def test_calendar_file_without_a_pairing_or_a_workspace_says_so(tmp_path: Path) -> None:
    coordinator = init_workspace(tmp_path / "koordinator", "koordinator")

    no_pairing = nysoc.calendar_file(workspace=coordinator)
    nowhere = nysoc.calendar_file(workspace=tmp_path / "findes-ikke")

    assert "nysoc-notice" in no_pairing._dom_classes
    assert "hører ikke til et mentorpar" in no_pairing.value
    assert "nysoc-notice" in nowhere._dom_classes
