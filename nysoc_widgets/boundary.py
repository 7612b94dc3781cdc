"""The confidentiality boundary: the one place that decides what leaves a pair.

Everything a coordinator (tovholder) may get is decided here, from the templates'
confidentiality levels (DESIGN.md, "Confidentiality is the product"; the format is
documented in ``docs/confidentiality.md``):

- :func:`shareable_record` – what of one record may leave: its metadata (pairing, template,
  status, dates as dates, number of versions) and the fields marked ``deles`` whose answers
  are not words the user wrote. A ``privat`` record never leaves at all.
- :func:`shareable_summary` – everything about one pairing, built only from
  :func:`shareable_record`, as a versioned, JSON-serialisable dict (``nysoc-summary``).
  It is in :mod:`nysoc_widgets.shared_summary`, and importable from here too.

The rules, in order (defence in depth: a workplace template can be wrong):

1. Only ``deles`` fields leave; a record whose level (or template's level) is ``privat``
   leaves nothing, not even that it exists.
2. Free text never leaves, whatever the template says: ``short_text``, ``long_text``,
   ``list``, text entries of ``per_item`` fields and their picks among an earlier list
   (``entry = "pick"``), and choices from the pair's saved records (``choices_from_saved``:
   an own goal's title, a meeting's date – the template parser refuses them as ``deles``
   too). Only kinds on an allow-list leave.
3. Items of ``pick``/``per_item`` fields that come from free-text sources leave as neutral
   labels ("Eget læringsmål 1", …); items that are labels of template choices stay.
4. Every answer that leaves is re-read by its field kind, so what leaves is a date, a
   number, a 1–5 score or an id/label taken from the template – never a stored string.
5. A template with ``share_consent = "<field>"`` lets its ``deles`` fields marked
   ``needs_consent`` (the evaluation's seven scores) leave only when that field is answered
   ``ja``; its other ``deles`` fields (the evaluation's date, kind, who filled it in) and
   the consent answer itself leave either way. A template version stored before
   ``needs_consent`` existed gated all its ``deles`` fields, and still does
   (``templates.upgrade_stored``).

Pure functions; no widgets, no pandas, no store: one record and its template at a time.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from . import fields as fk
from .clock import LOCAL_ZONE  # noqa: F401 - kept importable from here
from .clock import day as _day
from .fields import Field, FieldValueError
from .glossary import STATUSES
from .records import Record, source_items
from .templates import Template

if TYPE_CHECKING:
    from .shared_summary import FORMAT, FORMAT_VERSION, shareable_summary

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "FREE_TEXT_KINDS",
    "SHAREABLE_KINDS",
    "OWN_GOAL_LABEL",
    "OWN_ITEM_LABEL",
    "initials",
    "leaving_fields",
    "shareable_record",
    "shareable_summary",
]

#: Kinds whose answers are words someone wrote: they never leave a pair.
FREE_TEXT_KINDS = frozenset({"short_text", "long_text", "list"})
#: Kinds that may leave (when ``deles``): dates, numbers, scores, template ids and labels.
SHAREABLE_KINDS = frozenset({"date", "number", "scale", "single_choice", "multi_choice",
                             "checklist", "pick", "per_item"})

#: Neutral labels for items the pair wrote themselves (part of the format: not translated).
OWN_GOAL_LABEL = "Eget læringsmål {n}"
OWN_ITEM_LABEL = "Eget punkt {n}"

#: The learning-goal template: the goal choices and the status per goal.
GOALS = ("laeringsmaal", "eksempler", "maal_status")


# -- one record --------------------------------------------------------------------------

def leaving_fields(template: Template) -> list[Field]:
    """The fields of ``template`` whose answers may leave the pair (consent permitting)."""
    if template.kind != "form" or template.level == "privat":
        return []
    return [f for f in template.fields if f.confidentiality == "deles"
            and f.kind in SHAREABLE_KINDS and f.kind not in FREE_TEXT_KINDS
            and not f.choices_from_saved  # the pair's own goals and dates: any text is valid
            and not (f.kind == "per_item" and ((f.entry or "long_text") in FREE_TEXT_KINDS
                                               or f.entry_source))]


def shareable_record(record: Record, template: Template) -> dict[str, Any] | None:
    """What of ``record`` a coordinator may see, or None when nothing may (``privat``).

    ``template`` is the template version the record was written under. The result holds
    ``pairing``, ``template_id``, ``template_version``, ``status``, ``created`` and
    ``updated`` (Danish calendar days, ``YYYY-MM-DD``), ``versions`` and ``fields``: field
    id → answer, for the fields that leave (see the module docstring for the rules).
    """
    if (record.template_id, record.template_version) != (template.id, template.version):
        raise ValueError(f"record is for template {record.template_id!r} version "
                         f"{record.template_version}, not {template.id!r} version "
                         f"{template.version}")
    if (record.confidentiality not in ("par", "deles") or template.kind != "form"
            or template.level == "privat"):
        return None
    leaving = leaving_fields(template)
    consent = template.share_consent
    if consent and _answer(template.field(consent), record.values) != "ja":
        gated = ({f.id for f in template.fields if f.needs_consent}
                 or {f.id for f in leaving if f.id != consent})  # none marked: all (rule 5)
        leaving = [f for f in leaving if f.id not in gated]
    out: dict[str, Any] = {}
    for fld in leaving:
        value = _answer(fld, record.values)
        if value is _REFUSED:
            continue
        if fld.kind in ("pick", "per_item"):
            value = _neutral_items(template, fld, record.values, value)
        out[fld.id] = value
    return {"pairing": record.pairing, "template_id": template.id,
            "template_version": template.version,
            "status": record.status if record.status in STATUSES else None,
            "created": _day(record.created), "updated": _day(record.updated),
            "versions": record.version, "fields": out}


_REFUSED = object()


def _answer(fld: Field, values: Mapping[str, Any]) -> Any:
    """The answer re-read by its kind (so only dates, numbers and template ids pass)."""
    kind = fk.KINDS.get(fld.kind)
    if kind is None:
        return _REFUSED
    try:
        return kind.coerce(values.get(fld.id, kind.empty()), fld)
    except (FieldValueError, TypeError, ValueError, AttributeError):
        return _REFUSED


def _template_labels(template: Template, fld: Field) -> set[str]:
    """Labels of template choices a ``pick``/``per_item`` item may be (template text)."""
    labels: set[str] = set()
    for ref in fld.source:
        src = template.field(ref)
        if src.kind in ("multi_choice", "checklist"):
            labels |= {c.label.da for c in src.choices}
        elif src.kind == "pick":
            labels |= _template_labels(template, src)
    return labels


def _own_label(template: Template, fld: Field) -> str:
    goal_sources = [template.field(ref).choices_from or "" for ref in fld.source]
    if template.id == GOALS[0] or any(s.startswith(GOALS[0] + ".") for s in goal_sources):
        return OWN_GOAL_LABEL
    return OWN_ITEM_LABEL


def _neutral_items(template: Template, fld: Field, values: Mapping[str, Any],
                   answer: Any) -> Any:
    """Replace items the pair wrote with "Eget … n" (n: its place among their own items)."""
    labels = _template_labels(template, fld)
    try:
        offered = source_items(template, fld, values)
    except (TypeError, AttributeError):
        offered = []
    names: dict[str, str] = {}
    pattern = _own_label(template, fld)

    def neutral(item: str) -> str:
        if item in labels:
            return item
        if item not in names:
            names[item] = pattern.format(n=len(names) + 1)
        return names[item]

    for item in offered:  # number the own items in the order the pair wrote them
        neutral(item)
    if isinstance(answer, Mapping):
        return {neutral(str(k)): v for k, v in answer.items()}
    return [neutral(str(v)) for v in answer]


def initials(name: str) -> str:
    """'Mette Holm' → 'M.H.'; a name never leaves in full."""
    return "".join(part[0].upper() + "." for part in re.split(r"[\s\-]+", name.strip())
                   if part)


# -- the summary, re-exported ------------------------------------------------------------

#: Names that live in ``shared_summary`` and stay importable from here. Imported on first
#: use, since ``shared_summary`` imports this module.
_SUMMARY_NAMES = frozenset({"FORMAT", "FORMAT_VERSION", "shareable_summary", "MEETINGS",
                            "STATUS_MEETINGS", "AGREEMENT", "EVALUATION"})


def __getattr__(name: str) -> Any:
    """``shareable_summary`` and the summary's constants, from ``shared_summary``."""
    if name in _SUMMARY_NAMES:
        from . import shared_summary

        return getattr(shared_summary, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
