"""Choices that come from the pairing's saved records (a field's ``choices_from_saved``).

A ``single_choice`` or ``multi_choice`` field with ``choices_from_saved = "template.field"``
offers what the pairing has saved, then its own ``choices`` that are not offered already:

- **an item field** (``list``, ``pick``, ``per_item``, ``multi_choice``, ``checklist``): the
  items of the pairing's latest *final* record of that template, read through the template
  version it was written under (:func:`records.field_items`; for ``laeringsmaal.maal_status``
  the chosen examples' titles and the pair's own goals). An item that is the Danish label of
  one of the field's own choices is offered as that choice (a chosen example is stored by its
  id); any other item is stored as its text.
- **a date field**: one choice per saved record of that template (draft or final: a meeting
  was held even if its minutes are unfinished), newest first, stored as the ISO date and
  shown as "Mentormøde 3. marts 2026" (:func:`render.choice_text`). For a date that marks
  meetings held (:data:`phase.MEETINGS`), the meetings planned and not held yet come first
  (:func:`phase.planned_meetings`), shown as "Mentormøde 14. april 2026 (planlagt)".

Pure: records in, options out. The form reads the store, one query per template that
:func:`needed_templates` names. Answers are validated without the store (``fields.py``): a
record keeps a goal renamed or removed since, as it was written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from . import i18n, phase
from .fields import SAVED_CHOICE_MAX, Field
from .records import Record, field_items
from .render import choice_text, format_date
from .templates import Template

__all__ = ["ITEM_KINDS", "Option", "reference", "needed_templates", "readable",
           "saved_options", "offered", "empty_note"]

_t = i18n.scope("choices")

#: Kinds of field whose items ``choices_from_saved`` can offer (the other kind is ``date``).
ITEM_KINDS = frozenset({"list", "pick", "per_item", "multi_choice", "checklist"})

#: The store's copy of a template version: ``(template_id, version) → Template | None``.
Snapshot = Callable[[str, int], "Template | None"]


@dataclass(frozen=True)
class Option:
    """One choice offered: ``value`` is what a record stores, ``label`` what the user reads."""

    value: str
    label: str


def reference(fld: Field) -> tuple[str, str]:
    """``(template_id, field_id)`` of ``fld.choices_from_saved``."""
    if not fld.choices_from_saved:
        raise ValueError(f"field {fld.id!r} has no choices_from_saved")
    template_id, _, field_id = fld.choices_from_saved.partition(".")
    return template_id, field_id


def _dates(fld: Field) -> bool:
    """True for a reference to a date field (the catalogue gives those a ``saved_title``)."""
    return fld.saved_title is not None


def _marks_meetings(template_id: str, field_id: str) -> bool:
    return field_id in phase.MEETINGS.get(template_id, {}).get("held", ())


def needed_templates(fields: Iterable[Field]) -> list[str]:
    """The templates whose records the ``choices_from_saved`` of ``fields`` need, in order:
    the one named, and for meetings every template that plans them (the agreement)."""
    needed: list[str] = []
    for fld in fields:
        if not fld.choices_from_saved:
            continue
        template_id, field_id = reference(fld)
        needed.append(template_id)
        if _dates(fld) and _marks_meetings(template_id, field_id):
            needed += list(phase.MEETINGS)
    return list(dict.fromkeys(needed))


def readable(records: Iterable[Record], role: str) -> list[Record]:
    """``records`` without the ``privat`` ones another role wrote (the author alone reads
    those; defence in depth, as a workspace holds only its own)."""
    return [r for r in records if r.confidentiality != "privat" or r.author_role == role]


def _iso(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        return None


def _fits(item: str) -> bool:
    """An item a record can store as the answer (one line, not too long)."""
    return bool(item.strip()) and "\n" not in item and len(item.strip()) <= SAVED_CHOICE_MAX


def saved_options(fld: Field, records: Sequence[Record], snapshot: Snapshot) -> list[Option]:
    """What ``fld`` offers from ``records`` (the pairing's records of the templates
    :func:`needed_templates` names, already :func:`readable`), before its own choices.

    ``snapshot`` gives the template version a record was written under (the store's copy).
    """
    template_id, field_id = reference(fld)
    mine = [r for r in records if r.template_id == template_id]
    if _dates(fld):
        return _date_options(fld, template_id, field_id, records, mine)
    finals = [r for r in mine if r.status == "final"]
    if not finals:
        return []
    latest = max(finals, key=lambda r: (r.updated or r.created, r.id or ""))
    written = snapshot(latest.template_id, latest.template_version)
    try:
        items = field_items(written, field_id, latest.values) if written else []
    except (KeyError, TypeError, AttributeError):  # a version without the field, bad data
        items = []
    own = {c.label.da: c.id for c in fld.choices}
    return [Option(own.get(item, item), item) for item in items if _fits(item)]


def _date_options(fld: Field, template_id: str, field_id: str, records: Sequence[Record],
                  mine: Sequence[Record]) -> list[Option]:
    held = sorted({d for d in (_iso(r.values.get(field_id)) for r in mine) if d},
                  reverse=True)
    planned: list[Option] = []
    if _marks_meetings(template_id, field_id):
        title = fld.saved_title.da if fld.saved_title else template_id
        planned = [Option(day.isoformat(), _t("planned", title=title,
                                               date=format_date(day.isoformat())))
                   for day in phase.planned_meetings(records)
                   if day.isoformat() not in held]
    return planned + [Option(day, choice_text(fld, day)) for day in held]


def offered(fld: Field, saved: Sequence[Option], keep: Iterable[object] = ()) -> list[Option]:
    """Everything ``fld`` offers: the ``saved`` options, the field's own choices not among
    them, then the answers in ``keep`` (e.g. an opened record's) that neither offers – a goal
    renamed or removed since stays as it was written."""
    out = list(saved)
    out += [Option(c.id, c.label.da) for c in fld.choices
            if c.id not in {o.value for o in out}]
    values = {o.value for o in out}
    for value in keep:
        if isinstance(value, str) and value and value not in values:
            out.append(Option(value, choice_text(fld, value)))
            values.add(value)
    return out


def empty_note(fld: Field) -> str:
    """The Danish line shown when nothing is saved to choose from, e.g. "Der er ingen
    mentormøder gemt i dette arbejdsområde endnu." (plus where else to choose, if anywhere)."""
    template_id, _ = reference(fld)
    key = f"choices.none_{template_id}"
    text = i18n.t(key) if i18n.has(key) else _t("none")
    return f"{text} {_t('static_too')}" if fld.choices else text
