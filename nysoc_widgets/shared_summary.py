"""The ``nysoc-summary`` document: everything a coordinator may get about one pairing.

:func:`shareable_summary` reads a pairing's records from the store and builds a versioned,
JSON-serialisable dict (format in ``docs/confidentiality.md``). What of a record may leave
is decided in one place, :mod:`nysoc_widgets.boundary`: every answer here comes from
``boundary.shareable_record`` (of each record, and of each earlier version of the learning
goals), and the pairing adds only its id, department, dates and the initials of its mentor
and mentee. A record is read through the template version it was written under, narrowed
by today's version of that template (a field no longer ``deles`` does not leave from old
records either). The rest of this module only counts, sorts and picks from what
``shareable_record`` returned.

Kept apart from ``boundary`` so that the rules read on their own; ``shareable_summary`` is
importable from ``boundary`` too. Pure functions over a store; no widgets, no pandas.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from . import boundary  # shareable_record is looked up there on each call (tests swap it)
from . import phase as phases
from .boundary import GOALS, initials
from .clock import day as _day
from .clock import today as danish_today
from .errors import TemplateNotFoundError
from .fields import Field
from .records import Record
from .templates import Template

if TYPE_CHECKING:
    from .catalogue import Catalogue
    from .store import Store

__all__ = ["FORMAT", "FORMAT_VERSION", "SHARING_ROLES", "shareable_summary"]

#: The summary format's name and version (``docs/confidentiality.md``).
FORMAT = "nysoc-summary"
FORMAT_VERSION = 2
#: The roles that share a pairing's summary (``"shared": {"by": …}``).
SHARING_ROLES = ("mentor", "mentee", "kontaktperson")

#: Shared date fields that mark meetings held and planned, by template id (phase.py's).
MEETINGS = phases.MEETINGS
#: The contact person's status meetings (the introduction programme), likewise.
STATUS_MEETINGS: dict[str, dict[str, tuple[str, ...]]] = {
    "statusmoede": {"held": ("dato",), "planned": ("naeste_dato",)},
}
AGREEMENT = "samarbejdsaftale"
EVALUATION = "evaluering"
#: The evaluation's fields that say which evaluation it is and who filled it in.
EVALUATION_TYPE = "evaluering_type"
EVALUATION_BY = "udfyldt_af"


# -- one pairing -------------------------------------------------------------------------

def _template_for(record: Record, store: Store, catalogue: Catalogue) -> Template | None:
    """The template ``record`` was written under, narrowed by today's version of it.

    A field the current version keeps narrower (e.g. no longer ``deles``) is narrower for
    old records too, and a consent rule the current version has applies to old records: a
    field needs consent if either version says so (an evaluation written under version 1,
    whose consent covered its date too, keeps that rule).
    """
    try:
        current: Template | None = catalogue.get(record.template_id)
    except TemplateNotFoundError:
        current = None
    if current is not None and current.version == record.template_version:
        return current
    written = store.template_snapshot(record.template_id, record.template_version)
    if written is None or current is None:
        return written
    order = ("privat", "par", "deles")
    now = {f.id: f for f in current.fields}

    def narrowed(fld: Field) -> Field:
        other = now.get(fld.id)
        if other is None:
            return fld
        level = min(fld.confidentiality, other.confidentiality, key=order.index)
        return dataclasses.replace(fld, confidentiality=level,
                                   needs_consent=fld.needs_consent or other.needs_consent)

    sections = tuple(dataclasses.replace(s, fields=tuple(narrowed(f) for f in s.fields))
                     for s in written.sections)
    consent = written.share_consent
    if consent is None and current.share_consent:
        src = {f.id: f for f in written.fields}.get(current.share_consent)
        if src is not None and src.kind == "single_choice":
            consent = current.share_consent
    return dataclasses.replace(written, sections=sections, share_consent=consent)


def shareable_summary(store: Store, pairing_id: str, catalogue: Catalogue, *,
                      today: dt.date | None = None, shared_by: str | None = None,
                      shared_at: dt.datetime | None = None) -> dict[str, Any]:
    """Everything about one pairing a coordinator may get (``nysoc-summary`` version 2).

    Built only from :func:`boundary.shareable_record` of each record (and of each earlier
    version of the learning goals), the pairing's id, department, dates and the initials of
    its mentor and mentee. JSON-serialisable; see ``docs/confidentiality.md`` for the format.

    ``shared_by`` (the role that shares: mentor, mentee or kontaktperson) and ``shared_at``
    (an aware time; default now) fill in ``"shared"``; without either it is ``null`` (built,
    not shared). ``today`` (default: the Danish day of ``shared_at``, else today) is
    ``"generated"``.
    """
    shared_block = _shared(shared_by, shared_at)
    if today is None and shared_block is not None:
        today = dt.date.fromisoformat(_day(shared_block["at"]) or "")
    pairing = store.get_pairing(pairing_id)
    shared: list[dict[str, Any]] = []
    goal_history: list[dict[str, Any]] = []
    templates: dict[tuple[str, int], Template] = {}
    for record in store.list_records(pairing=pairing_id):
        template = _template_for(record, store, catalogue)
        out = boundary.shareable_record(record, template) if template is not None else None
        if out is None or template is None:
            continue
        shared.append(out)
        templates[(template.id, template.version)] = template
        if template.id == GOALS[0]:
            goal_history += _goal_history(store, record, catalogue)
    goal_history.sort(key=lambda h: h["date"] or "")
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "generated": (today or danish_today()).isoformat(),
        "shared": shared_block,
        "pairing": {
            "id": pairing.id, "department": pairing.department,
            "initials": {"mentor": initials(pairing.mentor),
                         "mentee": initials(pairing.mentee)},
            "start_date": pairing.start_date, "planned_end": pairing.planned_end,
        },
        "phase": _phase(shared, pairing.start_date or _day(pairing.created)),
        "meetings": _meetings(shared, MEETINGS),
        "status_meetings": _meetings(shared, STATUS_MEETINGS),
        "agreement": _agreement(shared),
        "learning_goals": _goals(shared, templates),
        "learning_goal_history": goal_history,
        "evaluation": _evaluation(shared, templates),
        "evaluations": _evaluations(shared, templates),
        "counts": _counts(shared, templates),
        "records": shared,
    }


def _shared(by: str | None, at: dt.datetime | None) -> dict[str, Any] | None:
    """``"shared"``: when (ISO 8601, UTC, to the second) and by which role; or None."""
    if by is None and at is None:
        return None
    if by not in SHARING_ROLES:
        raise ValueError(f"shared_by must be one of {', '.join(SHARING_ROLES)}, not {by!r}")
    if at is not None and at.tzinfo is None:
        raise ValueError("shared_at must be an aware datetime (with a time zone)")
    moment = (at or dt.datetime.now(dt.timezone.utc)).astimezone(dt.timezone.utc)
    return {"at": moment.replace(microsecond=0).isoformat(), "by": by}


def _latest(shared: Iterable[dict[str, Any]], template_id: str) -> dict[str, Any] | None:
    """The newest shared record of a template, a final one before any draft."""
    found = [r for r in shared if r["template_id"] == template_id]
    found.sort(key=lambda r: (r["status"] == "final", r["updated"] or "", r["created"] or ""))
    return found[-1] if found else None


def _dates(records: Iterable[dict[str, Any]],
           fields: Mapping[str, Mapping[str, tuple[str, ...]]], which: str) -> set[str]:
    return {r["fields"][f] for r in records for f in fields.get(r["template_id"], {})
            .get(which, ()) if isinstance(r["fields"].get(f), str)}


def _meetings(shared: list[dict[str, Any]],
              fields: Mapping[str, Mapping[str, tuple[str, ...]]]) -> dict[str, list[str]]:
    """Dates of meetings held and planned (a planned date that was held counts as held)."""
    held = _dates(shared, fields, "held")
    return {"held": sorted(held), "planned": sorted(_dates(shared, fields, "planned") - held)}


def _record_day(record: dict[str, Any], template: Template) -> str | None:
    """The day a record is about: its first shared date, if earlier than when it was made."""
    days = [record["fields"][f.id] for f in template.fields
            if f.kind == "date" and isinstance(record["fields"].get(f.id), str)][:1]
    known = [d for d in (*days, record["created"]) if d]
    return min(known) if known else None


def _phase(shared: list[dict[str, Any]], start: str | None) -> dict[str, Any]:
    """The furthest phase reached, and the day each phase began (:mod:`.phase`'s rule)."""
    current, began = phases.phase_began(
        ((phases.milestone(r["template_id"], r["fields"]),
          phases.record_day(r["template_id"], r["fields"], r["created"]))
         for r in shared), start)
    return {"current": current, "began": began}


def _agreement(shared: list[dict[str, Any]]) -> dict[str, Any] | None:
    record = _latest(shared, AGREEMENT)
    if record is None:
        return None
    fields = record["fields"]
    return {"status": record["status"], "created": record["created"],
            "meetings_agreed": fields.get("antal_moeder"), "start": fields.get("startdato"),
            "end": fields.get("slutdato")}


def _goals(shared: list[dict[str, Any]],
           templates: Mapping[tuple[str, int], Template]) -> list[dict[str, Any]]:
    """Learning goals of the newest goal record: template titles or "Eget læringsmål n"."""
    record = _latest(shared, GOALS[0])
    if record is None:
        return []
    template = templates[(record["template_id"], record["template_version"])]
    return _goal_list(record, template)


def _goal_list(record: dict[str, Any], template: Template) -> list[dict[str, Any]]:
    _, choices_id, status_id = GOALS
    fields = record["fields"]
    statuses = fields.get(status_id) if isinstance(fields.get(status_id), dict) else {}
    status_field = next((f for f in template.fields if f.id == status_id), None)
    choice_field = next((f for f in template.fields if f.id == choices_id), None)
    by_label = {c.label.da: c.id for c in choice_field.choices} if choice_field else {}

    def goal(goal_id: str | None, title: str) -> dict[str, Any]:
        status = statuses.get(title)
        return {"id": goal_id, "title": title, "own": goal_id is None, "status": status,
                "status_label": status_field.choice_label(status)
                if status_field and status else None}

    goals = [goal(cid, choice_field.choice_label(cid)) for cid in fields.get(choices_id, [])
             if choice_field is not None]
    listed = {g["title"] for g in goals}
    goals += [goal(by_label.get(key), key) for key in statuses if key not in listed]
    return goals


def _goal_history(store: Store, record: Record, catalogue: Catalogue) -> list[dict[str, Any]]:
    """The goals' statuses at each saved version of a learning-goal record."""
    history = []
    for old in store.versions(record.id or ""):
        earlier = dataclasses.replace(record, values=old.values, status=old.status,
                                      template_version=old.template_version,
                                      version=old.version)
        template = _template_for(earlier, store, catalogue)
        out = boundary.shareable_record(earlier, template) if template is not None else None
        if out is None or template is None:
            continue
        history.append({"date": _day(old.saved), "version": old.version,
                        "goals": {g["title"]: g["status"] for g in _goal_list(out, template)}})
    return history


def _evaluation(shared: list[dict[str, Any]],
                templates: Mapping[tuple[str, int], Template]) -> dict[str, Any] | None:
    """The newest evaluation (see :func:`_evaluation_entry`)."""
    record = _latest(shared, EVALUATION)
    return None if record is None else _evaluation_entry(record, templates)


def _evaluations(shared: list[dict[str, Any]],
                 templates: Mapping[tuple[str, int], Template]) -> list[dict[str, Any]]:
    """Every shared evaluation (drafts too, with their status), oldest first: by the day it
    is about, then the day it was made."""
    found = [r for r in shared if r["template_id"] == EVALUATION]
    entries = [(_record_day(r, templates[(r["template_id"], r["template_version"])]) or "",
                r["created"] or "", r["updated"] or "", _evaluation_entry(r, templates))
               for r in found]
    return [entry for *_, entry in sorted(entries, key=lambda e: e[:3])]


def _evaluation_entry(record: dict[str, Any],
                      templates: Mapping[tuple[str, int], Template]) -> dict[str, Any]:
    """One evaluation: which (``type``), who filled it in (``by``), its date, the consent
    answer and, if the pair said ja, the scores."""
    template = templates[(record["template_id"], record["template_version"])]
    fields = record["fields"]
    scales = [f for f in template.fields if f.kind == "scale" and f.id in fields]
    scores = {f.id: fields[f.id] for f in scales}
    given = [s for s in scores.values() if isinstance(s, int)]
    return {
        "status": record["status"], "created": record["created"],
        "consent": fields.get(template.share_consent) if template.share_consent else None,
        "date": next((fields[f.id] for f in template.fields if f.kind == "date"
                      and f.id in fields), None),
        "scores": scores, "labels": {f.id: f.label.da for f in scales},
        "average": round(sum(given) / len(given), 2) if given else None,
        "type": fields.get(EVALUATION_TYPE), "by": fields.get(EVALUATION_BY),
    }


def _counts(shared: list[dict[str, Any]],
            templates: Mapping[tuple[str, int], Template]) -> dict[str, dict[str, Any]]:
    """Per template: how many records (final, drafts), first and last day, shared dates."""
    counts: dict[str, dict[str, Any]] = {}
    for record in shared:
        tid = record["template_id"]
        template = templates[(tid, record["template_version"])]
        entry = counts.setdefault(tid, {"title": template.title.da, "total": 0, "final": 0,
                                        "draft": 0, "first": None, "last": None,
                                        "dates": {}})
        entry["total"] += 1
        entry["final" if record["status"] == "final" else "draft"] += 1
        day = _record_day(record, template)
        if day:
            entry["first"] = min(filter(None, (entry["first"], day)))
            entry["last"] = max(filter(None, (entry["last"], day)))
        for fld in template.fields:
            value = record["fields"].get(fld.id)
            if fld.kind == "date" and isinstance(value, str):
                entry["dates"].setdefault(fld.id, []).append(value)
    for entry in counts.values():
        entry["dates"] = {k: sorted(set(v)) for k, v in entry["dates"].items()}
    return counts
