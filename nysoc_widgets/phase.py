"""The phase a pairing is in, derived from what it has saved – never typed by hand.

The seeds divide a mentoring programme into four phases: **forberedelse** → **opstart** →
**læring** → **afslutning** (and the contact person's *introduktion* before it). A phase
is reached when a record that marks it has been saved (:data:`MILESTONES`, draft or final):

- nothing yet, or only the preparations → ``forberedelse``;
- a collaboration agreement (``samarbejdsaftale``) → ``opstart`` (start-up done; the
  learning phase begins with the first meeting);
- a mentor meeting (``mentormoede``) → ``laering``;
- an evaluation (``evaluering``) → ``afslutning``.

This is the one phase derivation: :func:`derive_phase` (the start page, over a pairing's
:class:`~nysoc_widgets.records.Record` objects) and the coordinator's summary
(:mod:`nysoc_widgets.shared_summary`, over shared records) both go through
:func:`phase_began` and :func:`record_day`.

Due dates count from the pairing's ``start_date`` (:data:`AGREEMENT_DUE`,
:data:`FIRST_MEETING_DUE`) and its ``planned_end`` (the evaluation); they are documented
constants for now. Pure functions: no widgets, no pandas, no store.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from . import i18n
from .clock import day as _day
from .glossary import PHASES
from .records import Pairing, Record

__all__ = [
    "AGREEMENT_DUE",
    "DAY_FIELDS",
    "FIRST_MEETING_DUE",
    "MEETINGS",
    "MILESTONES",
    "Overdue",
    "PhaseState",
    "derive_phase",
    "milestone",
    "phase_began",
    "planned_meetings",
    "record_day",
]

_t = i18n.scope("phase")

#: The saved records that mark a phase as reached: template id → phase.
MILESTONES: dict[str, str] = {
    "introduktion_tjekliste": "introduktion",
    "statusmoede": "introduktion",
    "forberedelse_mentor": "forberedelse",
    "forberedelse_mentee": "forberedelse",
    "samarbejdsaftale": "opstart",
    "mentormoede": "laering",
    "evaluering": "afslutning",
}
#: The date field that says which day a record is about, by template id (see record_day).
DAY_FIELDS: dict[str, str] = {
    "statusmoede": "dato",
    "samarbejdsaftale": "startdato",
    "mentormoede": "dato",
    "evaluering": "dato",
}
#: Date fields that mark mentor meetings held and planned, by template id.
MEETINGS: dict[str, dict[str, tuple[str, ...]]] = {
    "mentormoede": {"held": ("dato",), "planned": ("naeste_dato",)},
    "samarbejdsaftale": {"planned": ("naeste_moede", "moedet_efter", "moedet_efter_det")},
}
#: The collaboration agreement is due this long after the pairing's start date.
AGREEMENT_DUE = dt.timedelta(weeks=4)
#: The first mentor meeting is due this long after the pairing's start date.
FIRST_MEETING_DUE = dt.timedelta(weeks=6)

_ORDER = tuple(PHASES)


def _iso(value: Any) -> str | None:
    """``value`` if it is an ISO date (``YYYY-MM-DD``), else None."""
    if not isinstance(value, str):
        return None
    try:
        return dt.date.fromisoformat(value[:10]).isoformat()
    except ValueError:
        return None


def record_day(template_id: str, fields: Mapping[str, Any], created: str | None) -> str | None:
    """The day (ISO) a record is about: its own date (:data:`DAY_FIELDS`) when that is
    earlier than the day it was written, else the day it was written (``created``).

    A meeting's minutes written the day after count from the meeting; an agreement made
    before the programme's start date counts from the day it was made.
    """
    own = _iso(fields.get(DAY_FIELDS.get(template_id, ""))) if template_id in DAY_FIELDS else None
    known = [d for d in (own, _iso(created)) if d]
    return min(known) if known else None


def milestone(template_id: str, fields: Mapping[str, Any]) -> str:
    """The id under which a record counts in :data:`MILESTONES`: a midway evaluation
    (``evaluering_type = "midtvejs"``) does not close the programme, so it counts as none."""
    if template_id == "evaluering" and fields.get("evaluering_type") == "midtvejs":
        return "evaluering_midtvejs"
    return template_id


def phase_began(days: Iterable[tuple[str, str | None]],
                start: str | None) -> tuple[str, dict[str, str]]:
    """The phase reached and the day each phase began, from ``(template_id, day)`` pairs.

    A phase begins on the earliest day of a record that marks it (:data:`MILESTONES`).
    ``forberedelse`` begins on the pairing's ``start`` unless a preparation is earlier,
    or the pairing is in the introduction programme. The phase reached is the furthest
    one begun; with none, ``forberedelse``.
    """
    began: dict[str, str] = {}
    for template_id, day in days:
        phase = MILESTONES.get(template_id)
        if phase and day and (phase not in began or day < began[phase]):
            began[phase] = day
    if "introduktion" not in began and start:
        began["forberedelse"] = min(filter(None, (began.get("forberedelse"), start)))
    reached = max(began, key=_ORDER.index) if began else "forberedelse"
    return reached, {p: began[p] for p in _ORDER if p in began}


@dataclass(frozen=True)
class Overdue:
    """A due date that has passed without the record it asks for."""

    what: str  # "agreement", "first_meeting" or "evaluation"
    due: dt.date
    days_late: int

    @property
    def text(self) -> str:
        """A gentle Danish sentence, e.g. "Samarbejdsaftalen skulle … for 2 uger siden."."""
        return _t(f"overdue_{self.what}", ago=_ago(self.days_late))


def _ago(days: int) -> str:
    if days < 7:
        return _t("ago_day") if days == 1 else _t("ago_days", n=days)
    weeks = days // 7
    return _t("ago_week") if weeks == 1 else _t("ago_weeks", n=weeks)


@dataclass(frozen=True)
class PhaseState:
    """Where a pairing is in the programme, and what comes next (plain data)."""

    phase: str
    #: Phase → the day it began, in programme order.
    began: dict[str, dt.date] = field(default_factory=dict)
    next_step: str = ""
    next_meeting: dt.date | None = None
    overdue: tuple[Overdue, ...] = ()
    warnings: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        """The phase's Danish name (e.g. "Læring")."""
        return PHASES[self.phase]

    @property
    def since(self) -> dt.date | None:
        """The day the current phase began, if known."""
        return self.began.get(self.phase)

    @property
    def notes(self) -> tuple[str, ...]:
        """Everything to point out gently: overdue due dates, then warnings."""
        return tuple(o.text for o in self.overdue) + self.warnings


def _meeting_dates(records: Sequence[Record], which: str) -> set[dt.date]:
    found = set()
    for rec in records:
        for name in MEETINGS.get(rec.template_id, {}).get(which, ()):
            day = _iso(rec.values.get(name))
            if day:
                found.add(dt.date.fromisoformat(day))
    return found


def planned_meetings(records: Iterable[Record]) -> list[dt.date]:
    """Meetings planned and not held yet, soonest first.

    The planned dates (:data:`MEETINGS`) of the latest record of each template that plans
    meetings – the latest meeting's next date, the latest collaboration agreement's planned
    meetings – that lie after the latest meeting held. A plan an older record made and a
    later one changed, or a date that has been held, is not planned any more.
    """
    records = [r for r in records if r.template_id in MEETINGS]
    held = _meeting_dates(records, "held")

    def recency(rec: Record) -> tuple[str, str]:  # the meeting held last, the latest saved
        own = [d.isoformat() for d in _meeting_dates([rec], "held")]
        return (max(own, default=""), rec.updated or rec.created)

    planned: set[dt.date] = set()
    for template_id in MEETINGS:
        mine = [r for r in records if r.template_id == template_id]
        if mine:
            planned |= _meeting_dates([max(mine, key=recency)], "planned")
    after = max(held, default=dt.date.min)
    return sorted(d for d in planned if d > after)


def _overdue(records: Sequence[Record], pairing: Pairing | None, phase: str,
             today: dt.date) -> tuple[Overdue, ...]:
    """Due dates passed before the phase they ask for was reached."""
    reached = _ORDER.index(phase)
    start = _iso(pairing.start_date) if pairing else None
    end = _iso(pairing.planned_end) if pairing else None
    due: list[tuple[str, str, dt.date]] = []
    if start:
        first = dt.date.fromisoformat(start)
        due += [("agreement", "samarbejdsaftale", first + AGREEMENT_DUE),
                ("first_meeting", "mentormoede", first + FIRST_MEETING_DUE)]
    if end:
        due.append(("evaluation", "evaluering", dt.date.fromisoformat(end)))
    return tuple(Overdue(what, day, (today - day).days) for what, template_id, day in due
                 if _ORDER.index(MILESTONES[template_id]) > reached and today > day)


def _next_step(phase: str, records: Sequence[Record]) -> str:
    saved = {r.template_id for r in records}
    if phase == "forberedelse" and not saved & {"forberedelse_mentor", "forberedelse_mentee"}:
        return _t("next_prepare")
    agreement = [r for r in records if r.template_id == "samarbejdsaftale"]
    if phase == "opstart" and not any(r.status == "final" for r in agreement):
        return _t("next_finish_agreement")
    return _t(f"next_{phase}")


def derive_phase(records: Iterable[Record], today: dt.date, *,
                 pairing: Pairing | None = None) -> PhaseState:
    """The phase of a pairing from its saved ``records`` (all of one pairing), on ``today``.

    With ``pairing``, its ``start_date`` dates the preparation phase and the due dates, and
    its ``planned_end`` the evaluation's.
    """
    records = list(records)
    start = (pairing.start_date or _day(pairing.created)) if pairing else None
    phase, began = phase_began(
        ((milestone(r.template_id, r.values),
          record_day(r.template_id, r.values, _day(r.created) or r.created))
         for r in records), start)
    upcoming = sorted(d for d in _meeting_dates(records, "planned") | _meeting_dates(
        records, "held") if d >= today)
    next_meeting = upcoming[0] if upcoming else None
    warnings: tuple[str, ...] = ()
    if phase in ("opstart", "laering") and next_meeting is None:
        warnings = (_t("warning_no_meeting"),)
    return PhaseState(
        phase=phase,
        began={p: dt.date.fromisoformat(d) for p, d in began.items()},
        next_step=_next_step(phase, records),
        next_meeting=next_meeting,
        overdue=_overdue(records, pairing, phase, today),
        warnings=warnings,
    )
