"""A proposed agenda for the next mentor meeting, from what the pairing's records leave open.

The seed ("Dagsorden for et møde mellem mentor og mentee") gives the meeting five fixed
points; the meeting template (``mentormoede``) holds them as its sections, and their titles
and hints here come from that template. :func:`propose_agenda` fills the points with what
is open, by these rules (pure: records in, plain data out; no widgets, no store):

- **1. Det, der fylder lige nu** – the mentee's logbook entries (``logbog``) whose
  ``tage_op`` is *Ja*, with their ``vide_mere_om`` text, written on or after the last meeting
  held (earlier ones were for an earlier meeting) or about a meeting not held yet (the
  entry's ``mentormoede``, a date later than the last meeting held; shown with it). The
  logbook is ``privat``: it exists only in the mentee's own workspace, so a mentor's
  records hold none and the proposal says nothing about the logbook at all. With
  ``reader`` given, a ``privat`` record written by another role is left out too (defence
  in depth: the author alone reads it).
- **2. Dialog om planlagt tema** – the theme agreed at the last meeting held
  (``naeste_tema``, with the agreed preparation ``forberedelse``); the learning goals of the
  latest ``laeringsmaal`` record whose status is *I gang* or *Ikke startet* (a goal without a
  status counts as not started), goals in progress first; and the **measures of the latest
  case analysis** (``sagsanalyse``, ``tiltag`` per direction) **not followed up**: a measure
  counts as followed up when a meeting dated on or after the day the analysis was last saved
  mentions its text (case-insensitively) in any of its answers.
- **3. Opsamling** and **4. Feedback** – the template's hints only.
- **5. Næste møde** – the next planned date (:func:`~nysoc_widgets.phase.derive_phase`);
  when none is planned, the phase module's plain warning (``phase.warning_no_meeting``).

The module is ``agendas`` (not ``agenda``) so that importing it does not replace the public
``nysoc.agenda`` function on the package.

"The last meeting held" is the latest meeting dated before the meeting the agenda is for
(the next planned date), or up to today when none is planned.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

from . import i18n
from .catalogue import Catalogue
from .clock import day as _day
from .errors import TemplateNotFoundError
from .fields import Field
from .phase import derive_phase, record_day
from .records import Record, latest, source_items
from .render import format_date

__all__ = ["Agenda", "AgendaPoint", "Topic", "POINTS", "OPEN_GOAL_STATUSES", "propose_agenda"]

_t = i18n.scope("agenda")

#: The meeting template and its five agenda points (section ids), in order.
MEETING = "mentormoede"
POINTS = ("det_der_fylder", "planlagt_tema", "opsamling", "feedback", "naeste_moede")
#: Learning-goal statuses that keep a goal on the agenda, the most pressing first.
OPEN_GOAL_STATUSES = ("i_gang", "ikke_startet")
#: The logbook's field naming the meeting an entry is about (a date, ``choices_from_saved``).
LOGBOOK_MEETING = "mentormoede"


@dataclass(frozen=True)
class Topic:
    """Proposed items of one kind under an agenda point (e.g. learning goals in progress)."""

    heading: str
    items: tuple[str, ...]


@dataclass(frozen=True)
class AgendaPoint:
    """One of the five points: its title and hint (from the template) and what is open."""

    title: str
    hint: str = ""
    topics: tuple[Topic, ...] = ()
    #: A plain warning shown under the point (no next meeting planned).
    warning: str = ""
    #: Said when the point has no topics (only for points that are expected to have some).
    empty: str = ""


@dataclass(frozen=True)
class Agenda:
    """A proposed agenda (plain data); renders as Danish HTML and Markdown."""

    points: tuple[AgendaPoint, ...]
    today: dt.date
    #: The next planned meeting (the one the agenda is for), if any.
    meeting: dt.date | None = None

    @property
    def heading(self) -> str:
        if self.meeting is None:
            return _t("heading_next")
        if self.meeting == self.today:
            return _t("heading_today")
        return _t("heading_for", date=format_date(self.meeting.isoformat()))

    def _repr_html_(self) -> str:
        parts = [f'<div class="nysoc-agenda"><h3>{escape(self.heading)}</h3>',
                 f"<p><small>{escape(_t('intro'))}</small></p>"]
        for point in self.points:
            parts.append(f"<h4>{escape(point.title)}</h4>")
            if point.hint:
                parts.append(f"<p><em>{escape(point.hint)}</em></p>")
            for topic in point.topics:
                items = "".join(f"<li>{escape(item)}</li>" for item in topic.items)
                parts.append(f"<p><strong>{escape(topic.heading)}</strong></p><ul>{items}</ul>")
            if point.empty and not point.topics:
                parts.append(f"<p>{escape(point.empty)}</p>")
            if point.warning:
                parts.append(f'<p role="alert" style="color:#a4000f"><strong>'
                             f"{escape(point.warning)}</strong></p>")
        parts.append("</div>")
        return "".join(parts)

    def markdown(self) -> str:
        """The agenda as Markdown."""
        out = [f"### {self.heading}", "", f"*{_t('intro')}*", ""]
        for point in self.points:
            out += [f"#### {point.title}", ""]
            if point.hint:
                out += [f"*{point.hint}*", ""]
            for topic in point.topics:
                out += [f"**{topic.heading}**", "", *(f"- {item}" for item in topic.items), ""]
            if point.empty and not point.topics:
                out += [point.empty, ""]
            if point.warning:
                out += [f"**{point.warning}**", ""]
        return "\n".join(out).rstrip() + "\n"

    def _repr_markdown_(self) -> str:
        return self.markdown()

    def __repr__(self) -> str:
        return self.markdown()


# -- reading the records ---------------------------------------------------------------------

def _day_of(rec: Record) -> str:
    """The day (ISO) a record is about (its own date if earlier, else when written)."""
    return record_day(rec.template_id, rec.values, _day(rec.created) or rec.created) or ""


def _iso(value: Any) -> str | None:
    """``value`` if it is an ISO date, else None."""
    try:
        return dt.date.fromisoformat(value).isoformat() if isinstance(value, str) else None
    except ValueError:
        return None


def _one_line(text: Any) -> str:
    return " ".join(str(text).split()) if isinstance(text, str) else ""


def _field(catalogue: Catalogue, template_id: str, field_id: str) -> Field | None:
    try:
        return catalogue.get(template_id).field(field_id)
    except (TemplateNotFoundError, KeyError):
        return None


def _to_bring(records: Sequence[Record], since: str | None, reader: str | None) -> Topic | None:
    """Logbook entries the mentee chose to bring (``tage_op`` = ja) since the last meeting."""
    items = []
    entries = [r for r in records if r.template_id == "logbog"
               and (reader is None or r.confidentiality != "privat" or r.author_role == reader)]
    for rec in sorted(entries, key=lambda r: (r.values.get("dato") or _day_of(r), r.created)):
        day = rec.values.get("dato") or _day_of(rec)
        text = _one_line(rec.values.get("vide_mere_om"))
        about = rec.values.get(LOGBOOK_MEETING)
        ahead = _iso(about) is not None and (since is None or str(about) > since)
        if rec.values.get("tage_op") == "ja" and text and (since is None or day >= since
                                                            or ahead):
            items.append(_t("dated_about", text=text, date=format_date(day),
                            meeting=format_date(str(about))) if ahead
                         else _t("dated", text=text, date=format_date(day)))
    return Topic(_t("bring"), tuple(items)) if items else None


def _agreed_theme(last: Record | None) -> Topic | None:
    """The theme (and preparation) agreed at the last meeting held."""
    if last is None:
        return None
    theme = _one_line(last.values.get("naeste_tema"))
    preparation = _one_line(last.values.get("forberedelse"))
    items = ([theme] if theme else []) + (
        [_t("preparation", text=preparation)] if preparation else [])
    return Topic(_t("theme", date=format_date(_day_of(last))), tuple(items)) if items else None


def _open_goals(records: Sequence[Record], catalogue: Catalogue) -> Topic | None:
    """Learning goals of the latest learning-goal record that are not reached yet."""
    rec = latest(records, "laeringsmaal")
    fld = _field(catalogue, "laeringsmaal", "maal_status")
    if rec is None or fld is None:
        return None
    statuses = rec.values.get("maal_status") or {}
    if not isinstance(statuses, dict):
        return None
    goals = list(dict.fromkeys([*source_items(catalogue.get("laeringsmaal"), fld, rec.values),
                                *statuses]))
    items = [_t("goal", goal=goal, status=fld.choice_label(status).lower())
             for status in OPEN_GOAL_STATUSES for goal in goals
             if (statuses.get(goal) or "ikke_startet") == status]
    return Topic(_t("goals"), tuple(items)) if items else None


def _meeting_text(rec: Record) -> str:
    """Everything a meeting's minutes say, in lower case (to look for a measure in)."""
    texts: list[str] = []
    for value in rec.values.values():
        if isinstance(value, str):
            texts.append(value)
        elif isinstance(value, (list, tuple)):
            texts += [v for v in value if isinstance(v, str)]
    return "\n".join(texts).casefold()


def _open_measures(records: Sequence[Record]) -> Topic | None:
    """Measures of the latest case analysis that no meeting since has mentioned."""
    analysis = latest(records, "sagsanalyse")
    if analysis is None:
        return None
    saved = _day(analysis.updated or analysis.created) or ""
    later = [_meeting_text(r) for r in records
             if r.template_id == MEETING and _day_of(r) >= saved]
    measures = analysis.values.get("tiltag") or {}
    items = []
    for direction, listed in (measures.items() if isinstance(measures, dict) else ()):
        for measure in listed if isinstance(listed, list) else [listed]:
            text = _one_line(measure)
            if text and not any(text.casefold() in said for said in later):
                items.append(_t("measure", direction=_one_line(direction), measure=text))
    return Topic(_t("measures", date=format_date(saved)), tuple(items)) if items else None


def _next_meeting(records: Sequence[Record], today: dt.date,
                  coming: dt.date | None) -> AgendaPoint:
    """Point 5's content: the ``coming`` meeting (or, when it is today, the one after it),
    or the warning that none is planned."""
    if coming == today:  # the meeting is today: what is planned after it?
        after = derive_phase(records, today + dt.timedelta(days=1)).next_meeting
        if after is None:
            return AgendaPoint("", warning=i18n.t("phase.warning_no_meeting"))
        return AgendaPoint("", topics=(Topic(_t("after_today"), (
            format_date(after.isoformat()),)),))
    if coming is None:
        return AgendaPoint("", warning=i18n.t("phase.warning_no_meeting"))
    return AgendaPoint("", topics=(Topic(_t("planned"), (format_date(coming.isoformat()),)),))


def propose_agenda(records: Iterable[Record], catalogue: Catalogue, today: dt.date, *,
                   reader: str | None = None) -> Agenda:
    """The agenda proposed for the next meeting of a pairing, from its ``records``.

    Parameters
    ----------
    records
        The pairing's records as this workspace holds them (a mentor's hold no logbook).
    catalogue
        The workspace's templates: the meeting's points and the goals' labels come from it.
    today
        The day the proposal is made; decides the coming meeting and the last one held.
    reader
        The workspace's role; ``privat`` records written by another role are left out.
    """
    records = list(records)
    template = catalogue.get(MEETING)
    sections = {s.id: s for s in template.sections}
    coming = derive_phase(records, today).next_meeting
    cutoff = (coming or today + dt.timedelta(days=1)).isoformat()
    held = [r for r in records if r.template_id == MEETING and _day_of(r) < cutoff]
    last = max(held, key=lambda r: (_day_of(r), r.updated or r.created)) if held else None
    found: dict[str, tuple[Topic | None, ...]] = {
        "det_der_fylder": (_to_bring(records, _day_of(last) if last else None, reader),),
        "planlagt_tema": (_agreed_theme(last), _open_goals(records, catalogue),
                          _open_measures(records)),
    }
    nxt = _next_meeting(records, today, coming)
    points = []
    for point_id in POINTS:
        section = sections.get(point_id)
        if section is None:  # a workplace template without this point
            continue
        topics = tuple(t for t in found.get(point_id, ()) if t is not None)
        hint = section.intro.da if section.intro else ""
        if point_id == "naeste_moede":
            points.append(AgendaPoint(section.title.da, hint, nxt.topics, nxt.warning))
        else:
            points.append(AgendaPoint(section.title.da, hint, topics, empty=_t(
                "nothing_planned") if point_id == "planlagt_tema" else ""))
    return Agenda(tuple(points), today, coming)
