"""Reading one ``nysoc-summary`` document (format versions 1 and 2) for the coordinator.

A shared summary is what a pairing lets out through the confidentiality boundary
(``docs/confidentiality.md``). This module reads one such JSON document into a typed,
immutable :class:`PairingSummary`, and nothing else: only the keys listed here are read, each
checked for its kind (a date is a date, a score 1–5, a status one of the format's ids), and
every other key is ignored, as the format asks of a reader. So the coordinator's tables and
charts are built from dates, counts, ids and the format's own titles, never from whatever
else a file might hold.

Versions, step by step (nbgrader's upgraders): a version 1 document is read as version 2
with no ``shared``, its one ``evaluation`` as the list ``evaluations``, an evaluation
without ``type`` as a closing one (what version 1 meant) and without ``by`` as unknown.
A newer version than :data:`KNOWN_VERSION` is refused ("opdatér nysoc").

A problem raises :class:`~nysoc_widgets.errors.SummaryError` whose reason says, in Danish,
what is wrong and where (e.g. ``meetings.held[2]``). Pure functions; no pandas.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from . import i18n
from .errors import SummaryError
from .glossary import PHASES

__all__ = [
    "FORMAT",
    "KNOWN_VERSION",
    "GOAL_STATUSES",
    "EVALUATION_TYPES",
    "Agreement",
    "Goal",
    "GoalSnapshot",
    "Evaluation",
    "PairingSummary",
    "read_summary",
]

FORMAT = "nysoc-summary"
#: The newest format version this reader knows.
KNOWN_VERSION = 2
#: A learning goal's status ids, in the order a goal moves through them.
GOAL_STATUSES = ("ikke_startet", "i_gang", "naaet")
#: Which evaluation: the midway one does not close a programme.
EVALUATION_TYPES = ("midtvejs", "afslutning")
EVALUATORS = ("mentor", "mentee")
SHARERS = ("mentor", "mentee", "kontaktperson")
CONSENTS = ("ja", "nej")

T = TypeVar("T")


@dataclass(frozen=True)
class Agreement:
    """The newest collaboration agreement: when made, its dates, the meetings agreed."""

    status: str | None
    created: dt.date | None
    start: dt.date | None
    end: dt.date | None
    meetings_agreed: int | None


@dataclass(frozen=True)
class Goal:
    """A learning goal: an example's title from the template, or "Eget læringsmål n"."""

    title: str
    own: bool
    status: str | None


@dataclass(frozen=True)
class GoalSnapshot:
    """The goals' statuses at one saved version of the learning-goal record."""

    date: dt.date
    version: int | None
    goals: tuple[tuple[str, str | None], ...]


@dataclass(frozen=True)
class Evaluation:
    """One shared evaluation. ``scores`` (aspect id → 1–5) only when the pair said ja.

    ``closing`` is True unless it is a midway evaluation: an evaluation of unknown type
    (``type`` null, or a version 1 document) closes the programme, as version 1 meant.
    """

    date: dt.date | None
    created: dt.date | None
    type: str | None
    by: str | None
    consent: str | None
    scores: tuple[tuple[str, int], ...]
    labels: tuple[tuple[str, str], ...]

    @property
    def closing(self) -> bool:
        return self.type != "midtvejs"

    @property
    def day(self) -> dt.date | None:
        """The day it is about: the meeting's date, else the day it was made."""
        return self.date or self.created

    @property
    def average(self) -> float | None:
        """The mean of the consented scores (None without consent or scores)."""
        if self.consent != "ja" or not self.scores:
            return None
        return sum(s for _, s in self.scores) / len(self.scores)


@dataclass(frozen=True)
class PairingSummary:
    """What the coordinator knows of one pairing, read from one summary file."""

    id: str
    department: str
    mentor: str
    mentee: str
    start: dt.date | None
    planned_end: dt.date | None
    phase: str
    phase_began: tuple[tuple[str, dt.date], ...]
    held: tuple[dt.date, ...]
    planned: tuple[dt.date, ...]
    agreement: Agreement | None
    goals: tuple[Goal, ...]
    goal_history: tuple[GoalSnapshot, ...]
    evaluations: tuple[Evaluation, ...]
    generated: dt.date | None
    shared_at: dt.datetime | None
    shared_by: str | None
    format_version: int
    file: str = ""

    @property
    def closed(self) -> bool:
        """True once a closing evaluation is shared (a midway one does not close)."""
        return any(e.closing for e in self.evaluations)

    @property
    def programme_start(self) -> dt.date | None:
        """The start date, else the agreement's, else the day preparation began."""
        began = dict(self.phase_began)
        return self.start or (self.agreement.start if self.agreement else None) or \
            began.get("forberedelse")

    @property
    def programme_end(self) -> dt.date | None:
        """The planned end date, else the agreement's end date."""
        return self.planned_end or (self.agreement.end if self.agreement else None)

    @property
    def as_of(self) -> dt.date | None:
        """The day the summary was shared (Danish calendar day), else made."""
        return self.shared_at.date() if self.shared_at else self.generated


# -- reading -------------------------------------------------------------------------------

class _Invalid(Exception):
    """A problem at ``where``: the reason's key in ``coordinator.toml`` and its values."""

    def __init__(self, key: str, **values: Any) -> None:
        super().__init__(key)
        self.key, self.values = key, values


def read_summary(data: Any, file: str) -> PairingSummary:
    """The summary in the JSON value ``data`` (read from ``file``), upgraded to version 2.

    Raises :class:`SummaryError` naming ``file`` and the reason (foreign, too new,
    malformed at a named key).
    """
    try:
        return _read(data, file)
    except _Invalid as problem:
        raise SummaryError(file=file, reason_key=f"coordinator.{problem.key}",
                           reason_values=problem.values) from None


def _read(data: Any, file: str) -> PairingSummary:
    if not isinstance(data, dict):
        kind = {list: "list", str: "text", bool: "flag", int: "number", float: "number"}.get(
            type(data), "null")
        raise _Invalid("not_object", found=i18n.t(f"coordinator.json_{kind}"))
    if data.get("format") != FORMAT:
        raise _Invalid("foreign", found=str(data.get("format", "–"))[:60], expected=FORMAT)
    version = data.get("format_version")
    if type(version) is not int or version < 1:
        raise _Invalid("bad_version", found=str(version)[:20])
    if version > KNOWN_VERSION:
        raise _Invalid("too_new", found=version, known=KNOWN_VERSION)
    if version == 1:
        data = _upgrade_1_to_2(data)
    return _read_v2(data, file, version)


def _upgrade_1_to_2(data: dict[str, Any]) -> dict[str, Any]:
    """Version 1 as version 2: not shared; the one evaluation a closing one, by unknown."""
    evaluation = data.get("evaluation")
    if isinstance(evaluation, dict):
        evaluation = {"type": "afslutning", "by": None, **evaluation}
    return {**data, "format_version": 2, "shared": None, "evaluation": evaluation,
            "evaluations": [evaluation] if evaluation is not None else []}


def _read_v2(data: dict[str, Any], file: str, version: int) -> PairingSummary:
    pairing = _object(data.get("pairing"), "pairing", required=True)
    initials = _object(pairing.get("initials"), "pairing.initials")
    phase = _object(data.get("phase"), "phase")
    meetings = _object(data.get("meetings"), "meetings")
    shared = _object(data.get("shared"), "shared")
    current = _choice(phase.get("current", "forberedelse"), "phase.current", tuple(PHASES))
    began = _object(phase.get("began"), "phase.began")
    held = _dates(meetings.get("held"), "meetings.held")
    return PairingSummary(
        id=_text(pairing.get("id"), "pairing.id", required=True),
        department=_text(pairing.get("department"), "pairing.department"),
        mentor=_text(initials.get("mentor"), "pairing.initials.mentor"),
        mentee=_text(initials.get("mentee"), "pairing.initials.mentee"),
        start=_date(pairing.get("start_date"), "pairing.start_date"),
        planned_end=_date(pairing.get("planned_end"), "pairing.planned_end"),
        phase=current,
        phase_began=tuple((_choice(k, "phase.began", tuple(PHASES)),
                           _day(v, f"phase.began.{k}"))
                          for k, v in began.items()),
        held=held,
        planned=tuple(d for d in _dates(meetings.get("planned"), "meetings.planned")
                      if d not in held),
        agreement=_agreement(data.get("agreement")),
        goals=tuple(_goal(g, f"learning_goals[{i}]")
                    for i, g in enumerate(_list(data.get("learning_goals"), "learning_goals"))),
        goal_history=tuple(sorted(
            (_snapshot(h, f"learning_goal_history[{i}]") for i, h in
             enumerate(_list(data.get("learning_goal_history"), "learning_goal_history"))),
            key=lambda s: (s.date, s.version or 0))),
        evaluations=tuple(_evaluation(e, f"evaluations[{i}]")
                          for i, e in enumerate(_evaluations(data))),
        generated=_date(data.get("generated"), "generated"),
        shared_at=_moment(shared.get("at"), "shared.at"),
        shared_by=_choice(shared.get("by"), "shared.by", SHARERS, optional=True),
        format_version=version,
        file=file,
    )


def _evaluations(data: dict[str, Any]) -> list[Any]:
    """Every shared evaluation; a document without the list has at most its newest one."""
    if data.get("evaluations") is None and data.get("evaluation") is not None:
        return [data["evaluation"]]
    return _list(data.get("evaluations"), "evaluations")


def _agreement(value: Any) -> Agreement | None:
    if value is None:
        return None
    found = _object(value, "agreement")
    agreed = found.get("meetings_agreed")
    if agreed is not None and (type(agreed) is not int or agreed < 0):
        raise _Invalid("bad_number", where="agreement.meetings_agreed")
    return Agreement(status=_choice(found.get("status"), "agreement.status",
                                    ("draft", "final"), optional=True),
                     created=_date(found.get("created"), "agreement.created"),
                     start=_date(found.get("start"), "agreement.start"),
                     end=_date(found.get("end"), "agreement.end"), meetings_agreed=agreed)


def _goal(value: Any, where: str) -> Goal:
    found = _object(value, where)
    own = found.get("own", False)
    if not isinstance(own, bool):
        raise _Invalid("bad_flag", where=f"{where}.own")
    return Goal(title=_text(found.get("title"), f"{where}.title", required=True), own=own,
                status=_choice(found.get("status"), f"{where}.status", GOAL_STATUSES,
                               optional=True))


def _snapshot(value: Any, where: str) -> GoalSnapshot:
    found = _object(value, where)
    version = found.get("version")
    if version is not None and type(version) is not int:
        raise _Invalid("bad_number", where=f"{where}.version")
    goals = _object(found.get("goals"), f"{where}.goals")
    return GoalSnapshot(
        date=_day(found.get("date"), f"{where}.date"), version=version,
        goals=tuple((_text(title, f"{where}.goals", required=True),
                     _choice(status, f"{where}.goals", GOAL_STATUSES, optional=True))
                    for title, status in goals.items()))


def _evaluation(value: Any, where: str) -> Evaluation:
    found = _object(value, where)
    consent = _choice(found.get("consent"), f"{where}.consent", CONSENTS, optional=True)
    scores = _object(found.get("scores"), f"{where}.scores")
    labels = _object(found.get("labels"), f"{where}.labels")
    checked = []
    for aspect, score in scores.items():
        if score is None:
            continue
        if type(score) is not int or not 1 <= score <= 5:
            raise _Invalid("bad_score", where=f"{where}.scores.{aspect}")
        checked.append((aspect, score))
    return Evaluation(
        date=_date(found.get("date"), f"{where}.date"),
        created=_date(found.get("created"), f"{where}.created"),
        type=_choice(found.get("type"), f"{where}.type", EVALUATION_TYPES, optional=True),
        by=_choice(found.get("by"), f"{where}.by", EVALUATORS, optional=True),
        consent=consent,
        # Consent gates the scores: without ja none are read, whatever the file holds.
        scores=tuple(checked) if consent == "ja" else (),
        labels=tuple((aspect, _text(label, f"{where}.labels.{aspect}", required=True))
                     for aspect, label in labels.items()))


# -- kinds -----------------------------------------------------------------------------------

def _object(value: Any, where: str, *, required: bool = False) -> Mapping[str, Any]:
    if value is None and not required:
        return {}
    if not isinstance(value, dict):
        raise _Invalid("missing_key" if value is None else "bad_object", where=where)
    return value


def _list(value: Any, where: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise _Invalid("bad_list", where=where)
    return value


def _text(value: Any, where: str, *, required: bool = False) -> str:
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        raise _Invalid("missing_key" if value is None else "bad_text", where=where)
    if len(value) > 200:
        raise _Invalid("too_long", where=where)
    return value


def _choice(value: Any, where: str, allowed: tuple[str, ...], *,
            optional: bool = False) -> Any:
    if value is None and optional:
        return None
    if value not in allowed:
        raise _Invalid("bad_choice", where=where, found=str(value)[:40],
                       allowed=", ".join(allowed))
    return value


def _parsed(value: Any, where: str, parse: Callable[[str], T], key: str,
            required: bool) -> T | None:
    if value is None and not required:
        return None
    if not isinstance(value, str):
        raise _Invalid(key if value is not None else "missing_key", where=where)
    try:
        return parse(value)
    except ValueError:
        raise _Invalid(key, where=where) from None


def _iso_day(text: str) -> dt.date:
    if len(text) != 10:  # YYYY-MM-DD, nothing else
        raise ValueError(text)
    return dt.date.fromisoformat(text)


def _date(value: Any, where: str, *, required: bool = False) -> dt.date | None:
    return _parsed(value, where, _iso_day, "bad_date", required)


def _day(value: Any, where: str) -> dt.date:
    """A date that must be there."""
    day = _date(value, where, required=True)
    assert day is not None  # required: _parsed raised otherwise
    return day


def _dates(value: Any, where: str) -> tuple[dt.date, ...]:
    return tuple(sorted({_day(v, f"{where}[{i}]") for i, v in enumerate(_list(value, where))}))


def _moment(value: Any, where: str) -> dt.datetime | None:
    """An ISO time (``Z`` or an offset) as a Danish-time datetime."""
    from .clock import zone

    def parse(text: str) -> dt.datetime:
        moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
        return moment.astimezone(zone()) if moment.tzinfo else moment

    return _parsed(value, where, parse, "bad_time", False)
