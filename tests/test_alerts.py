"""The coordinator's alerts fire exactly on their threshold day: the day before, no alert;
on the day and after, an alert whose ``since`` is that day (the rule is documented in
``nysoc_widgets/alerts.py`` and the README). A closed programme gets none; a midway
evaluation does not close one, a version 1 evaluation does."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from coordinator_helpers import fixture

from nysoc_widgets.alerts import (
    DEFAULTS,
    alerts_frame,
    describe,
    find_alerts,
    pairing_alerts,
    thresholds,
)
from nysoc_widgets.summary_reader import PairingSummary, read_summary

D = dt.date.fromisoformat
ONE_DAY = dt.timedelta(days=1)
LATER = dt.timedelta(days=40)


def pairing(*, start: str = "2026-03-02", end: str = "2026-12-18", held: tuple[str, ...] = (),
            planned: tuple[str, ...] = ("2027-06-01",), agreement: str | None = "2026-03-02",
            evaluations: tuple[dict[str, Any], ...] = (), version: int = 2) -> PairingSummary:
    """A summary with just what the alerts look at."""
    data: dict[str, Any] = {
        "format": "nysoc-summary", "format_version": version, "generated": "2026-03-02",
        "pairing": {"id": "par-1", "department": "Jobcenter",
                    "initials": {"mentor": "M.H.", "mentee": "A.B."},
                    "start_date": start, "planned_end": end},
        "phase": {"current": "laering", "began": {"forberedelse": start}},
        "meetings": {"held": list(held), "planned": list(planned)},
        "agreement": None if agreement is None else {
            "status": "final", "created": agreement, "meetings_agreed": 8, "start": start,
            "end": end},
    }
    if version == 1:
        data["evaluation"] = evaluations[0] if evaluations else None
    else:
        data["evaluations"] = list(evaluations)
    return read_summary(data, "par-1.nysoc-summary.json")


def evaluation(kind: str | None) -> dict[str, Any]:
    found: dict[str, Any] = {"status": "final", "created": "2026-10-01", "consent": "nej",
                             "date": "2026-10-01", "scores": {}, "labels": {}}
    if kind != "v1":
        found.update(type=kind, by="mentor")
    return found


def kinds(p: PairingSummary, day: dt.date, limits: dict[str, int] | None = None) -> set[str]:
    return {a.kind for a in pairing_alerts(p, day, limits)}


CASES = [
    # (kind, pairing, limits, the first day it fires)
    ("no_meeting", pairing(held=("2026-03-02",)), None, "2026-04-13"),  # 6 weeks after
    ("no_meeting", pairing(held=("2026-03-02",)), {"no_meeting_weeks": 3}, "2026-03-23"),
    ("no_meeting", pairing(), None, "2026-04-13"),  # never met: counted from the start
    ("no_next_meeting", pairing(held=("2026-03-02",), planned=("2026-03-30",)), None,
     "2026-03-31"),  # the day after the last planned date
    ("no_next_meeting", pairing(planned=()), None, "2026-03-03"),  # an agreement, no dates
    ("no_agreement", pairing(agreement=None, planned=()), None, "2026-03-30"),  # 4 weeks
    ("no_agreement", pairing(agreement=None, planned=()), {"no_agreement_weeks": 2},
     "2026-03-16"),
    ("past_end", pairing(), None, "2026-12-19"),  # the day after the planned end
    ("past_end", pairing(), {"past_end_weeks": 2}, "2027-01-02"),
    ("past_end", pairing(evaluations=(evaluation("midtvejs"),)), None, "2026-12-19"),
]


@pytest.mark.parametrize(("kind", "p", "limits", "first"), CASES, ids=[
    "no-meeting-6-weeks", "no-meeting-3-weeks", "no-meeting-since-start", "no-next-meeting",
    "no-dates-in-the-agreement", "no-agreement-4-weeks", "no-agreement-2-weeks",
    "past-end", "past-end-plus-2-weeks", "past-end-with-only-a-midway-evaluation"])
def test_an_alert_fires_exactly_on_its_threshold_day(kind: str, p: PairingSummary,
                                                     limits: dict[str, int] | None,
                                                     first: str) -> None:
    fires = D(first)

    assert kind not in kinds(p, fires - ONE_DAY, limits), "the day before: no alert"
    on_the_day = [a for a in pairing_alerts(p, fires, limits) if a.kind == kind]
    assert [a.since for a in on_the_day] == [fires], "on the day: the alert, since that day"
    assert kind in kinds(p, fires + LATER, limits), "and after"


def test_the_sentences_say_what_and_since_when_in_danish() -> None:
    texts = {a.kind: a.text for a in pairing_alerts(
        pairing(held=("2026-03-02",), planned=("2026-03-30",)), D("2026-12-31"))}
    assert texts == {
        "no_meeting": "Intet mentormøde i 43 uger – det seneste var den 2. marts 2026.",
        "no_next_meeting": ("Intet næste møde planlagt – den seneste mødedato var den 30. marts "
                            "2026."),
        "past_end": "Forløbet skulle have været slut den 18. december 2026, men der er ingen "
                    "afsluttende evaluering.",
    }
    never = pairing_alerts(pairing(agreement=None, planned=()), D("2026-04-14"))
    assert [a.text for a in never] == [
        "Intet mentormøde endnu, 6 uger efter starten den 2. marts 2026.",
        "Ingen samarbejdsaftale, 6 uger efter starten den 2. marts 2026."]
    assert [a.label for a in never] == ["Ingen møder", "Ingen samarbejdsaftale"]
    midway = pairing_alerts(pairing(evaluations=(evaluation("midtvejs"),)), D("2027-01-04"))
    assert "der er kun en midtvejsevaluering" in next(a.text for a in midway
                                                      if a.kind == "past_end")


@pytest.mark.parametrize("closing", ["afslutning", None, "v1"],
                         ids=["closing", "type-unknown", "version-1"])
def test_a_closed_programme_gets_no_alerts(closing: str | None) -> None:
    p = pairing(evaluations=(evaluation(closing),), version=1 if closing == "v1" else 2,
                planned=())
    assert p.closed
    assert pairing_alerts(p, D("2027-12-31")) == []


def test_a_midway_evaluation_does_not_close_a_programme() -> None:
    p = pairing(evaluations=(evaluation("midtvejs"),), planned=())
    assert not p.closed
    assert kinds(p, D("2027-01-04")) == {"no_meeting", "no_next_meeting", "past_end"}


def test_a_programme_that_has_not_started_gets_no_alerts() -> None:
    p = pairing(start="2027-02-01", end="2027-10-01", agreement=None, planned=())
    assert pairing_alerts(p, D("2027-01-31")) == []
    assert kinds(p, D("2027-03-01")) == {"no_agreement"}


def test_the_fixtures_alerts_as_of_the_tests_today() -> None:
    found = find_alerts([read_summary(fixture(p), f"{p}.json") for p in
                         ("par-jobcenter-17", "par-boern-04", "par-voksen-02",
                          "par-aeldre-09")], D("2026-11-23"))
    assert [(a.pairing, a.kind, a.since.isoformat()) for a in found] == [
        ("par-voksen-02", "no_agreement", "2026-10-26"),
        ("par-voksen-02", "no_meeting", "2026-11-09"),
        ("par-jobcenter-17", "no_meeting", "2026-11-17"),
    ]
    frame = alerts_frame(found)
    assert list(frame.columns) == ["pairing", "department", "mentor", "kind", "label", "text",
                                   "since"]
    assert len(frame) == 3


def test_thresholds_fill_in_the_defaults_and_describe_themselves() -> None:
    assert thresholds() == DEFAULTS == {"no_meeting_weeks": 6, "no_agreement_weeks": 4,
                                        "past_end_weeks": 0}
    assert thresholds({"no_meeting_weeks": 8}) == {**DEFAULTS, "no_meeting_weeks": 8}
    text = describe({"no_meeting_weeks": 8})
    assert "ikke har holdt møde i 8 uger" in text and "[alerts] i nysoc.toml" in text
