"""The planned meetings of a collaboration agreement as an iCalendar file (``moeder.ics``).

Pure functions of a pairing id, an agreement record and its template::

    text = meetings_ics(pairing, agreement, catalogue.get("samarbejdsaftale"))

One ``VEVENT`` per planned meeting date in the agreement (``naeste_moede``,
``moedet_efter``, ``moedet_efter_det`` — those the template has), lasting ``varighed``
minutes (60 when not given). Written with the ``icalendar`` package: RFC 5545, CRLF line
endings, lines folded at 75 octets.

What goes into the file, and why
    A calendar file is often synced to a calendar server (Exchange, Google) that others in
    the workplace can look into. So an event holds a fixed Danish title ("Mentormøde"),
    the date and length, the room from ``lokale`` (as the pair wrote it; the only text of
    theirs that goes in), and a fixed Danish note. Never the mentor's or the mentee's name,
    never the pairing id, never anything else written in the agreement: a name in the
    calendar is added by the person who imports the file, if she wants one.

Times
    The agreement has dates but no time of day, so every meeting starts at
    ``DEFAULT_START`` (09.00) in *floating* local time (RFC 5545 §3.3.5: the time of the
    calendar that imports it) and the note asks the reader to move it to the right time.

Updates rather than duplicates
    Each event's ``UID`` is derived from the pairing id, the record id and the meeting's
    field id (hashed, so no id is readable in the file); ``SEQUENCE`` is the record's
    version and ``DTSTAMP`` the time it was last saved. Downloading the file again after
    the agreement changed moves the same meetings in a calendar program instead of adding
    them twice, and two downloads of the same agreement are byte for byte the same.

Plans that cannot be right
    The order of the dates (start ≤ each meeting ≤ planned end) is the template's
    ``date_order``, checked by :func:`~nysoc_widgets.records.date_order_conflicts` — the
    same rule the form shows under the field, so a saved agreement already keeps it. Here,
    before a file is made, a plan is also refused when a date is not a date, two meetings
    fall on the same day, or a meeting is longer than ``MAX_MINUTES``. Each raises
    :class:`CalendarError` with a Danish message naming the fields.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from html import escape

from . import i18n
from .errors import NysocError
from .records import Pairing, Record, clean_answers, date_order_conflicts, latest
from .render import download_link, format_date
from .templates import Template

__all__ = [
    "MEETING_FIELDS",
    "DEFAULT_MINUTES",
    "DEFAULT_START",
    "MAX_MINUTES",
    "FILE_NAME",
    "CalendarError",
    "PlannedMeeting",
    "planned_meetings",
    "meetings_ics",
    "latest_agreement",
    "calendar_html",
]

_t = i18n.scope("calendar")

#: The agreement's date fields that are meetings, in the order they are planned.
MEETING_FIELDS = ("naeste_moede", "moedet_efter", "moedet_efter_det")
#: Minutes a meeting lasts when the agreement does not say (field ``varighed``).
DEFAULT_MINUTES = 60
#: The longest meeting the file accepts: a working day.
MAX_MINUTES = 8 * 60
#: When a meeting starts: the agreement has no time of day.
DEFAULT_START = dt.time(9, 0)
#: The file name the download link offers.
FILE_NAME = "moeder.ics"

_UID_NAMESPACE = uuid.UUID("8f0c5a8e-3a55-4b7e-9d55-6e79736f6331")
_AGREEMENT = "samarbejdsaftale"


class CalendarError(NysocError, ValueError):
    """The agreement's plan cannot become a calendar file. Details: the fields and dates
    involved (``field``, ``date``, ``other``, ``other_date``), see ``locale/calendar.toml``.

    (Belongs under ``AnswerError`` in the tree of ``errors.py`` once the form checks the
    same rules.)
    """

    key = "calendar.invalid"


@dataclass(frozen=True)
class PlannedMeeting:
    """One planned meeting: which field of the agreement, its date, length and room."""

    field_id: str
    date: dt.date
    minutes: int
    room: str = ""


def planned_meetings(record: Record, template: Template) -> list[PlannedMeeting]:
    """The meetings ``record`` plans, in order; raises :class:`CalendarError` if the plan
    cannot be right (see the module docstring). No dates → an empty list."""
    if record.template_id != template.id:
        raise CalendarError("calendar.wrong_template", template_id=record.template_id,
                            expected=template.id)
    values, errors = clean_answers(template, record.values)
    ids = [f.id for f in template.fields]

    def label(field_id: str) -> str:
        return template.field(field_id).label.da

    def day(field_id: str) -> dt.date | None:
        if field_id not in ids:
            return None
        if field_id in errors:
            raise CalendarError("calendar.bad_date", field=label(field_id),
                                date=str(values[field_id]))
        return dt.date.fromisoformat(values[field_id]) if values.get(field_id) else None

    minutes = _minutes(values.get("varighed"), "varighed" in errors,
                       label("varighed") if "varighed" in ids else "varighed")
    days = {field_id: day(field_id) for field_id in ("startdato", *MEETING_FIELDS, "slutdato")}
    conflicts = date_order_conflicts(template, values, skip=errors)
    if conflicts:  # the first, in the template's order
        later, earlier = next(iter(conflicts.items()))
        key = "end_before_start" if later == "slutdato" else "meeting_before_start"
        raise CalendarError(f"calendar.{key}", field=label(later),
                            date=format_date(values[later]), other=label(earlier),
                            other_date=format_date(values[earlier]))
    room = str(values.get("lokale") or "").strip() if "lokale" not in errors else ""
    meetings: list[PlannedMeeting] = []
    for field_id in MEETING_FIELDS:
        when = days[field_id]
        if when is None:
            continue
        if meetings and when == meetings[-1].date:  # in order, but one event per day
            raise CalendarError("calendar.meeting_not_after", field=label(field_id),
                                date=format_date(when.isoformat()),
                                other=label(meetings[-1].field_id),
                                other_date=format_date(meetings[-1].date.isoformat()))
        meetings.append(PlannedMeeting(field_id, when, minutes, room))
    return meetings


def _minutes(value: object, invalid: bool, label: str) -> int:
    if value is None and not invalid:
        return DEFAULT_MINUTES
    if invalid or not isinstance(value, (int, float)) or value != int(value) \
            or not 1 <= value <= MAX_MINUTES:
        raise CalendarError("calendar.bad_minutes", field=label, value=str(value),
                            most=MAX_MINUTES)
    return int(value)


def _stamp(record: Record) -> dt.datetime:
    """When the record was last saved, in UTC (now, for a record never saved)."""
    try:
        moment = dt.datetime.fromisoformat(record.updated)
    except ValueError:
        moment = dt.datetime.now(dt.timezone.utc)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    return moment.astimezone(dt.timezone.utc).replace(microsecond=0)


def _uid(pairing_id: str, record: Record, field_id: str) -> str:
    name = "/".join((pairing_id, record.id or "", field_id))
    return f"{uuid.uuid5(_UID_NAMESPACE, name)}@nysoc"


def meetings_ics(pairing: Pairing | str, agreement_record: Record, template: Template, *,
                 start_time: dt.time = DEFAULT_START) -> str:
    """The planned meetings of ``agreement_record`` as an iCalendar document (CRLF lines).

    Parameters
    ----------
    pairing
        The pairing (or its id); only its id is used, hashed into each event's ``UID``.
    agreement_record
        A saved collaboration agreement.
    template
        The agreement's template (its field ids and Danish labels).
    start_time
        When each meeting starts, as floating local time.

    Raises
    ------
    CalendarError
        The plan cannot be right (e.g. the planned end before the start date).
    """
    from icalendar import Calendar, Event

    pairing_id = pairing.id if isinstance(pairing, Pairing) else pairing
    cal = Calendar()
    cal.add("prodid", "-//nysoc//Mentormøder//DA")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", _t("calendar_name"))
    stamp = _stamp(agreement_record)
    for meeting in planned_meetings(agreement_record, template):
        event = Event()
        event.add("uid", _uid(pairing_id, agreement_record, meeting.field_id))
        event.add("dtstamp", stamp)
        event.add("sequence", max(agreement_record.version, 0))
        event.add("dtstart", dt.datetime.combine(meeting.date, start_time))
        event.add("duration", dt.timedelta(minutes=meeting.minutes))
        event.add("summary", _t("summary"))
        event.add("description", _t("description", time=_clock(start_time)))
        if meeting.room:
            event.add("location", meeting.room)
        event.add("transp", "OPAQUE")
        cal.add_component(event)
    return cal.to_ical().decode("utf-8")


def _clock(moment: dt.time) -> str:
    """'9.00', the Danish way."""
    return f"{moment.hour}.{moment.minute:02d}"


def latest_agreement(records: Iterable[Record]) -> Record | None:
    """The agreement saved last (draft or final) among ``records``, or None."""
    return latest(records, _AGREEMENT)


def calendar_html(pairing: Pairing | str, records: Iterable[Record], template: Template
                  ) -> str:
    """What the notebook shows: a download link for ``moeder.ics`` of the latest agreement
    (a ``data:`` URI, so no file is written), or a Danish note that no dates are planned yet.

    Raises :class:`CalendarError` when the latest agreement's plan cannot be right.
    """
    record = latest_agreement(records)
    meetings = planned_meetings(record, template) if record is not None else []
    if record is None or not meetings:
        key = "no_agreement" if record is None else "no_dates"
        return f'<div class="nysoc-calendar"><p>{escape(_t(key))}</p></div>'
    ics = meetings_ics(pairing, record, template)
    dates = [format_date(m.date.isoformat()) for m in meetings]
    shown = dates[0] if len(dates) == 1 else f"{', '.join(dates[:-1])} {_t('and')} {dates[-1]}"
    saved = format_date(record.updated) + (f" ({_t('draft')})" if record.status == "draft"
                                           else "")
    count = (_t("meeting_one") if len(meetings) == 1
             else _t("meeting_many", count=len(meetings)))
    lines = [
        "<p>" + download_link(ics, mime="text/calendar", file_name=FILE_NAME,
                              text=_t("link", file=FILE_NAME)) + "</p>",
        f"<p>{escape(_t('contents', meetings=count, dates=shown, saved=saved))} "
        f"{escape(_t('times', minutes=meetings[0].minutes, time=_clock(DEFAULT_START)))}</p>",
        f"<p>{escape(_t('updates'))}</p>",
        f"<p>{escape(_t('privacy'))}</p>",
    ]
    return '<div class="nysoc-calendar">' + "".join(lines) + "</div>"
