"""Records and pairings as plain data, and the pure rules for answers.

A :class:`Record` is what a form saves: the answers to one template, with who, when and
under which template version. ``clean_answers`` normalises answers field by field and
keeps dependent fields (``pick``, ``per_item``) in step with the lists they come from;
``problems`` says, in Danish, what stops a record from being saved, including dates
that go backwards along the template's ``date_order`` (``date_order_conflicts``).
``keep_locked`` keeps answers a role may not give (a field's ``roles``) as they were, and
``confirmations_reset`` clears the confirmations of a record whose other answers changed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field, replace
from typing import TYPE_CHECKING, Any

from . import fields as fk
from .fields import Field, FieldValueError
from .templates import Template

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "CONFIRMATION_KEY",
    "Pairing",
    "Record",
    "RecordVersion",
    "now",
    "source_items",
    "entry_items",
    "field_items",
    "renamed_lines",
    "clean_answers",
    "date_order_conflicts",
    "problems",
    "keep_locked",
    "confirmations_reset",
    "confirmed_by",
    "awaiting_confirmation",
    "latest",
    "records_to_frame",
]


#: Where a record keeps the author's reason for saving it as final although the
#: personal-data check found something. Field ids start with a letter, so no field can
#: take this key; it is the pair's own text and never leaves the pair.
CONFIRMATION_KEY = "_personoplysninger_begrundelse"


def now() -> str:
    """The current UTC time as ISO 8601 with milliseconds (how the store keeps times)."""
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="milliseconds")


@dataclass(frozen=True)
class Pairing:
    """A mentor–mentee pairing (or a contact person and a newcomer)."""

    id: str
    mentor: str = ""
    mentee: str = ""
    department: str = ""
    start_date: str | None = None
    planned_end: str | None = None
    created: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Record:
    """One saved form. ``id`` is None until the store has saved it."""

    pairing: str
    template_id: str
    template_version: int
    author_role: str
    confidentiality: str
    values: dict[str, Any] = field(default_factory=dict)
    status: str = "draft"
    id: str | None = None
    created: str = ""
    updated: str = ""
    version: int = 0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def with_values(self, values: Mapping[str, Any], status: str | None = None) -> Record:
        """A copy with new answers (and optionally a new status)."""
        return replace(self, values=dict(values), status=status or self.status)


@dataclass(frozen=True)
class RecordVersion:
    """One earlier save of a record, kept so it can be shown and restored."""

    record_id: str
    version: int
    values: dict[str, Any]
    status: str
    template_version: int
    saved: str


def source_items(template: Template, fld: Field, answers: Mapping[str, Any]) -> list[str]:
    """The items a ``pick``/``per_item`` field offers: the texts of its source fields' answers.

    A ``list`` or ``pick`` source gives its texts; a choice source gives the Danish labels of
    what was chosen. Duplicates are dropped, order is kept.
    """
    return _items_of(template, fld.source, answers)


def entry_items(template: Template, fld: Field, answers: Mapping[str, Any]) -> list[str]:
    """What each entry of a ``per_item`` field with ``entry = "pick"`` picks among: the
    items of its ``entry_source`` (empty for other fields)."""
    return _items_of(template, (fld.entry_source,) if fld.entry_source else (), answers)


def field_items(template: Template, field_id: str, answers: Mapping[str, Any]) -> list[str]:
    """The items an answer to ``field_id`` holds: the texts of a ``list`` or ``pick``, the
    Danish labels chosen in a ``multi_choice`` or ``checklist``, and for a ``per_item`` field
    the items it offers (:func:`source_items`)."""
    fld = template.field(field_id)
    if fld.kind == "per_item":
        return source_items(template, fld, answers)
    return _items_of(template, (field_id,), answers)


def _items_of(template: Template, refs: Iterable[str], answers: Mapping[str, Any]
              ) -> list[str]:
    items: list[str] = []
    for ref in refs:
        src = template.field(ref)
        answer = answers.get(ref) or []
        if not isinstance(answer, (list, tuple)):  # a source answer that is itself invalid
            continue
        if src.kind in ("multi_choice", "checklist"):
            items.extend(src.choice_label(c) for c in answer)
        else:
            items.extend(str(a) for a in answer)
    return list(dict.fromkeys(i for i in items if isinstance(i, str) and i.strip()))


def renamed_lines(old: Any, new: Any) -> dict[str, str]:
    """Old → new text of lines edited in place: a list written one item per line whose
    number of lines is unchanged (so picks and entries can follow an edited item)."""
    if not (isinstance(old, str) and isinstance(new, str)):
        return {}
    before = [s.strip() for s in old.splitlines() if s.strip()]
    after = [s.strip() for s in new.splitlines() if s.strip()]
    if len(before) != len(after):
        return {}
    return {b: a for b, a in zip(before, after, strict=True) if b != a}


def clean_answers(template: Template,
                  answers: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """Normalise ``answers``: returns ``(values, errors)``, errors as field id → Danish text.

    Answers to fields the template does not have are left out; a value that does not fit
    its field stays as given and gets an error.
    Dependent fields drop picks and entries whose item has gone from their source, and
    per-item picks whose text has gone from the ``entry_source``.
    """
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for fld in template.fields:
        raw = answers.get(fld.id, fk.KINDS[fld.kind].empty())
        try:
            values[fld.id] = fk.KINDS[fld.kind].coerce(raw, fld)
        except FieldValueError as exc:
            values[fld.id] = raw
            errors[fld.id] = exc.message()
            continue
        if fld.source:
            offered = set(source_items(template, fld, values))
            if fld.kind == "pick":
                values[fld.id] = [v for v in values[fld.id] if v in offered]
            else:
                values[fld.id] = {k: v for k, v in values[fld.id].items() if k in offered}
        if fld.entry_source:
            pickable = set(entry_items(template, fld, values))
            values[fld.id] = {k: [p for p in v if p in pickable]
                              for k, v in values[fld.id].items()}
    return values, errors


def problems(template: Template, answers: Mapping[str, Any], final: bool = True
             ) -> dict[str, str]:
    """What stops ``answers`` from being saved: field id → Danish message.

    A draft only needs well-formed answers in the template's ``date_order``; a final record
    also needs every required field. A date earlier than one before it in ``date_order``
    is the later field's problem: "Datoen ligger før »Startdato« (1. marts 2026)."
    """
    from . import i18n
    from .render import format_date  # render imports this module; it is pure

    values, errors = clean_answers(template, answers)
    for later, earlier in date_order_conflicts(template, values, skip=errors).items():
        errors[later] = i18n.t("fields.date_before", field=template.field(earlier).label.da,
                               date=format_date(values[earlier]))
    if final:
        for fld in template.fields:
            if fld.required and fld.id not in errors and fk.is_empty(values.get(fld.id)):
                errors[fld.id] = i18n.t("fields.required")
    return errors


def date_order_conflicts(template: Template, values: Mapping[str, Any],
                         skip: Iterable[str] = ()) -> dict[str, str]:
    """Dates that go backwards along ``template.date_order``: later field id → the field it
    lies before (the latest date filled in earlier in the same chain).

    ``values`` are cleaned answers (``"YYYY-MM-DD"``); empty fields and those in ``skip``
    (e.g. not a date) are passed over. Equal dates are in order.
    """
    skipped = set(skip)
    conflicts: dict[str, str] = {}
    for chain in template.date_order:
        latest: tuple[str, dt.date] | None = None
        for field_id in chain:
            value = values.get(field_id)
            if field_id in skipped or not isinstance(value, str) or not value:
                continue
            try:
                day = dt.date.fromisoformat(value)
            except ValueError:
                continue
            if latest is not None and day < latest[1]:
                conflicts.setdefault(field_id, latest[0])
            else:
                latest = (field_id, day)
    return conflicts


def keep_locked(template: Template, role: str, values: Mapping[str, Any],
                old_values: Mapping[str, Any] | None) -> dict[str, Any]:
    """``values`` with the answers ``role`` may not give (fields whose ``roles`` leave it
    out) put back as they are in ``old_values`` (empty when there is no saved record)."""
    old = old_values or {}
    out = dict(values)
    for fld in template.fields:
        if not template.may_fill(fld.id, role):
            out[fld.id] = old.get(fld.id, fk.KINDS[fld.kind].empty())
    return out


def _answer(fld: Field, values: Mapping[str, Any]) -> Any:
    value = values.get(fld.id)
    return None if fk.is_empty(value) else value


def confirmations_reset(template: Template, old_values: Mapping[str, Any] | None,
                        new_values: Mapping[str, Any]) -> dict[str, Any]:
    """``new_values``, with the template's ``confirmations`` cleared if any other answer
    differs from ``old_values`` (the last saved version; None for a record never saved).

    An unanswered field is the same however it is empty (None, "", [] or {}).
    """
    out = dict(new_values)
    if old_values is None or not template.confirmations:
        return out
    others = [f for f in template.fields if f.id not in template.confirmations]
    if any(_answer(f, old_values) != _answer(f, new_values) for f in others):
        for field_id in template.confirmations:
            out[field_id] = fk.KINDS[template.field(field_id).kind].empty()
    return out


def _confirmed(fld: Field, value: Any) -> bool:
    if fld.kind == "checklist":  # every point ticked
        return isinstance(value, list) and {c.id for c in fld.choices} <= set(value)
    return value == "ja"


def _confirmer(template: Template, field_id: str) -> str:
    return " / ".join(template.roles_of(field_id)) or template.field(field_id).label.da


def confirmed_by(template: Template, values: Mapping[str, Any]) -> list[str]:
    """Who has confirmed the record: the roles (or, without ``roles``, the label) of each
    confirmation field that is confirmed (``ja``, or every point of a checklist ticked)."""
    return [_confirmer(template, fid) for fid in template.confirmations
            if _confirmed(template.field(fid), values.get(fid))]


def awaiting_confirmation(template: Template, values: Mapping[str, Any]) -> list[str]:
    """Who has still to confirm the record (the rest of ``template.confirmations``)."""
    return [_confirmer(template, fid) for fid in template.confirmations
            if not _confirmed(template.field(fid), values.get(fid))]


def latest(records: Iterable[Record], template_id: str) -> Record | None:
    """The record of ``template_id`` saved last (draft or final) among ``records``, or None.
    Records saved at the same moment are told apart by id, so the choice is stable."""
    found = [r for r in records if r.template_id == template_id]
    return max(found, key=lambda r: (r.updated or r.created, r.id or ""), default=None)


def records_to_frame(records: Iterable[Record], template: Template | None = None
                     ) -> pd.DataFrame:
    """Records as a DataFrame: one row each, metadata columns, then one column per field.

    With a ``template`` the field columns follow its order and get its dtypes.
    """
    import pandas as pd

    meta = ["id", "pairing", "template_id", "template_version", "author_role",
            "confidentiality", "status", "created", "updated", "version"]  # RESERVED_FIELD_IDS
    rows = []
    for rec in records:
        row = {m: getattr(rec, m) for m in meta}
        row.update(rec.values)
        rows.append(row)
    columns = meta + ([f.id for f in template.fields] if template else
                      sorted({k for r in rows for k in r} - set(meta)))
    frame = pd.DataFrame(rows, columns=columns)
    for col in ("created", "updated"):
        frame[col] = pd.to_datetime(frame[col], utc=True, format="ISO8601")
    if template is not None:
        for fld in template.fields:
            dtype = fk.KINDS[fld.kind].dtype
            if dtype.startswith("datetime"):
                frame[fld.id] = pd.to_datetime(frame[fld.id], errors="coerce")
            elif dtype != "object":
                frame[fld.id] = frame[fld.id].astype(dtype)
    return frame
