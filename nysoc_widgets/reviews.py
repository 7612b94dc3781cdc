"""The closing conversation's look back: what was agreed, and each learning goal's way.

The seeds: at the closing meeting mentor and mentee "ser tilbage og evaluerer forløbet med
udgangspunkt i aftaler og de opstillede læringsmål". ``nysoc.goal_history()`` in
``Evaluering.ipynb`` shows, above the evaluation form,

- **what was agreed** (:func:`agreed_frame`): the latest collaboration agreement's start
  date, planned end and number of meetings, beside the mentor meetings held so far;
- **each learning goal's way** (:func:`goal_paths`): its statuses in plain Danish, oldest
  first ("ikke startet 1. sep. → i gang 1. okt. → nået 1. nov."), from
  :func:`overviews.goal_history` (the saved versions of the learning-goal record), and
  whether the mentor has confirmed its current status; goals of the latest record that
  never got a status are named too.

No grades, no scores: the evaluation form asks for those, after the pair has looked back.
The view shows the pair's own goal titles (``par``): a coordinator's workspace gets a notice
instead (see ``api.goal_history``). The functions are pure (records in, plain data out);
:func:`read_goal_review` is the edge that reads the store.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import i18n
from .clock import today as danish_today
from .errors import WorkspaceError
from .overviews import GOALS_TEMPLATE, STATUS_FIELD, _short_date, goal_history
from .records import Record, RecordVersion, latest, source_items
from .render import format_date
from .templates import Template

if TYPE_CHECKING:
    import pandas as pd

    from .catalogue import Catalogue
    from .workspace import Workspace

__all__ = ["AGREEMENT", "MEETING", "GoalPath", "AgreedFrame", "GoalReview", "goal_paths",
           "agreed_frame", "review_goals", "read_goal_review"]

_t = i18n.scope("reviews")

AGREEMENT = "samarbejdsaftale"
MEETING = "mentormoede"


@dataclass(frozen=True)
class GoalPath:
    """One learning goal's way: ``(status label, since)`` oldest first; whether the mentor
    has confirmed the current status; whether the goal is still on the latest list."""

    goal: str
    steps: tuple[tuple[str, dt.date | None], ...]
    confirmed: bool = False
    current: bool = True
    #: False while the goal is at the first status (ikke startet): nothing to confirm yet.
    begun: bool = True


@dataclass(frozen=True)
class AgreedFrame:
    """What the latest collaboration agreement set out, and the meetings held so far."""

    start: str | None = None
    planned_end: str | None = None
    meetings_agreed: int | None = None
    meetings_held: int = 0
    last_meeting: str | None = None


def goal_paths(history: pd.DataFrame, current: Iterable[str] | None = None
               ) -> tuple[GoalPath, ...]:
    """Each goal's way from :func:`overviews.goal_history` output (columns: goal, status,
    since, confirmed by mentor – in that order). ``current`` names the goals on the latest
    list; a goal not on it (renamed or dropped) gets ``current=False``."""
    import pandas as pd

    yes = i18n.t("overview.yes")
    listed = None if current is None else set(current)
    steps: dict[str, list[tuple[str, dt.date | None]]] = {}
    confirmed: dict[str, bool] = {}
    for goal, status, since, ok in history.itertuples(index=False):
        day = None if pd.isna(since) else since.date()
        steps.setdefault(goal, []).append((str(status), day))
        confirmed[goal] = ok == yes  # the last row of a goal is its current status
    levels = list(history.iloc[:, 1].cat.categories) if len(history) else []
    first = levels[0] if levels else None
    return tuple(GoalPath(goal, tuple(way), confirmed[goal], listed is None or goal in listed,
                          begun=way[-1][0] != first) for goal, way in steps.items())


def agreed_frame(records: Iterable[Record], today: dt.date) -> AgreedFrame | None:
    """The latest agreement's dates and number of meetings, and the mentor meetings held
    up to ``today`` (minutes dated on or before it, by the meeting's own date, else the day
    they were written); None without an agreement."""
    records = list(records)
    agreement = latest(records, AGREEMENT)
    if agreement is None:
        return None
    days = sorted(d for r in records if r.template_id == MEETING
                  for d in [_iso(r.values.get("dato")) or _iso(r.created[:10])]
                  if d and d <= today.isoformat())
    count = agreement.values.get("antal_moeder")
    return AgreedFrame(start=_iso(agreement.values.get("startdato")),
                       planned_end=_iso(agreement.values.get("slutdato")),
                       meetings_agreed=int(count) if isinstance(count, (int, float)) else None,
                       meetings_held=len(days), last_meeting=days[-1] if days else None)


def _iso(value: Any) -> str | None:
    try:
        return dt.date.fromisoformat(value).isoformat() if isinstance(value, str) else None
    except ValueError:
        return None


def _day(day: dt.date | None, with_year: bool) -> str:
    if day is None:
        return ""
    return f"{_short_date(day)} {day.year}" if with_year else _short_date(day)


@dataclass(frozen=True, eq=False)
class GoalReview:
    """The look back (plain data); renders as Danish HTML and text."""

    goals: tuple[GoalPath, ...] = ()
    unset: tuple[str, ...] = ()
    agreement: AgreedFrame | None = None
    today: dt.date | None = None

    @property
    def empty(self) -> bool:
        """True when there is neither an agreement nor a learning goal to look back on."""
        return self.agreement is None and not self.goals and not self.unset

    def agreement_lines(self) -> list[str]:
        """What was agreed, as Danish sentences."""
        frame = self.agreement
        if frame is None:
            return [_t("no_agreement")]
        lines = []
        if frame.start or frame.planned_end:
            lines.append(_t("dates", start=format_date(frame.start) or _t("not_given"),
                            end=format_date(frame.planned_end) or _t("not_given")))
        if frame.meetings_agreed:
            lines.append(_t("meetings_agreed_one") if frame.meetings_agreed == 1
                         else _t("meetings_agreed", count=frame.meetings_agreed))
        last = format_date(frame.last_meeting)
        lines.append(_t("meetings_none") if not frame.meetings_held
                     else _t("meetings_held_one", last=last) if frame.meetings_held == 1
                     else _t("meetings_held", count=frame.meetings_held, last=last))
        return lines

    def goal_lines(self) -> list[tuple[str, str, str]]:
        """Per goal: (goal, its way in Danish, what the mentor has confirmed)."""
        years = {d.year for g in self.goals for _, d in g.steps if d is not None}
        with_year = len(years) > 1 or (self.today is not None and years != {self.today.year}
                                       and bool(years))
        out = []
        for path in self.goals:
            way = " → ".join(f"{status.lower()} {_day(day, with_year)}".strip()
                             for status, day in path.steps)
            current = path.steps[-1][0].lower()
            notes = ([_t("confirmed", status=current)] if path.confirmed
                     else [_t("not_confirmed", status=current)] if path.begun else [])
            if not path.current:
                notes.append(_t("not_current"))
            out.append((path.goal, way, " ".join(notes)))
        return out

    def _repr_html_(self) -> str:
        parts = [f'<div class="nysoc-goal-history"><h3>{escape(_t("heading"))}</h3>']
        if self.empty:
            return "".join(parts) + f"<p>{escape(_t('empty'))}</p></div>"
        parts.append(f"<h4>{escape(_t('agreed_heading'))}</h4>")
        parts.append("".join(f"<p>{escape(line)}</p>" for line in self.agreement_lines()))
        parts.append(f"<h4>{escape(_t('goals_heading'))}</h4>")
        if self.goals:
            parts.append("<ul>" + "".join(
                f"<li><strong>{escape(goal)}</strong>: {escape(way)}"
                + (f"<br><small>{escape(note)}</small>" if note else "") + "</li>"
                for goal, way, note in self.goal_lines())
                + "</ul>")
        if self.unset:
            parts.append(f"<p>{escape(_t('unset', goals=', '.join(self.unset)))}</p>")
        if not self.goals and not self.unset:
            parts.append(f"<p>{escape(_t('goals_none'))}</p>")
        parts.append(f"<p><small>{escape(_t('note'))}</small></p></div>")
        return "".join(parts)

    def __repr__(self) -> str:
        lines = [_t("heading")]
        if self.empty:
            return "\n".join([*lines, _t("empty")])
        lines += ["", _t("agreed_heading"), *self.agreement_lines(), "", _t("goals_heading")]
        lines += [f"- {goal}: {way}{'' if way.endswith('.') else '.'}"
                  + (f" {note}" if note else "")
                  for goal, way, note in self.goal_lines()]
        if self.unset:
            lines.append(_t("unset", goals=", ".join(self.unset)))
        if not self.goals and not self.unset:
            lines.append(_t("goals_none"))
        return "\n".join(lines)


def review_goals(goal_records: Sequence[tuple[Record, Sequence[RecordVersion]]],
                 records: Iterable[Record], template: Template, today: dt.date
                 ) -> GoalReview:
    """The look back from the learning-goal records with their saved versions
    (``goal_records``, as for :func:`overviews.goal_history`) and the pairing's other
    ``records`` (the agreement, the meetings); ``template`` is the learning-goal template."""
    history = goal_history(goal_records, template)
    newest = latest([r for r, _ in goal_records], template.id)
    current: list[str] | None = None
    unset: list[str] = []
    if newest is not None:
        statuses = newest.values.get(STATUS_FIELD) or {}
        statuses = statuses if isinstance(statuses, dict) else {}
        named = source_items(template, template.field(STATUS_FIELD), newest.values)
        current = list(dict.fromkeys([*named, *statuses]))
        unset = [g for g in current if not statuses.get(g)]
    paths = goal_paths(history, current)
    shown = {p.goal for p in paths}
    return GoalReview(goals=paths, unset=tuple(g for g in unset if g not in shown),
                      agreement=agreed_frame(records, today), today=today)


def read_goal_review(workspace: str | Path | Workspace | None = None, *,
                     today: dt.date | None = None) -> GoalReview:
    """Read this workspace's pairing's records into a :class:`GoalReview`.

    Refuses (``WorkspaceError``) a workspace without a pairing, such as a coordinator's.
    """
    from .workspace import Workspace, find_workspace

    ws = workspace if isinstance(workspace, Workspace) else find_workspace(workspace)
    if not ws.pairing or ws.role == "koordinator":
        raise WorkspaceError(path=str(ws.root), reason_key="reviews.no_pairing")
    catalogue: Catalogue = ws.catalogue()
    template = catalogue.get(GOALS_TEMPLATE)
    with ws.open_store() as store:
        goals = [(r, store.versions(r.id or ""))
                 for r in store.list_records(pairing=ws.pairing, template_id=GOALS_TEMPLATE)]
        others = [r for tid in (AGREEMENT, MEETING)
                  for r in store.list_records(pairing=ws.pairing, template_id=tid)]
    return review_goals(goals, others, template,
                        today or danish_today())

