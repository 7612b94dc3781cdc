"""Templates are data: parse and validate one template (a TOML file or a dict).

The format is documented in ``docs/templates.md``. Parsing is strict, like jupytext's
config: unknown keys, unknown kinds, duplicate ids and references to later fields are
rejected with a :class:`~nysoc_widgets.errors.TemplateError` naming file, field and problem.
Loading many templates (built-in + a workplace folder) is ``catalogue.py``'s job.
The parser itself lives in ``_template_parser.py``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import fields as fk
from ._toml import TOMLDecodeError
from ._toml import loads as toml_loads
from .errors import TemplateError
from .fields import Field, Text
from .glossary import CONFIDENTIALITY

__all__ = [
    "SCHEMA_VERSION",
    "RESERVED_FIELD_IDS",
    "Template",
    "Section",
    "CardItem",
    "parse_template",
    "load_template",
    "template_from_json",
    "upgrade_stored",
]

#: The version of the template file format this nysoc reads.
SCHEMA_VERSION = 1

#: A record's own data; a field may not share a name with it (they sit side by side in
#: ``records_to_frame``).
RESERVED_FIELD_IDS = frozenset({"id", "pairing", "template_id", "template_version",
                                "author_role", "confidentiality", "status", "created",
                                "updated", "version"})


@dataclass(frozen=True)
class CardItem:
    """One entry of a reference card (e.g. one of the 10 gode råd)."""

    text: Text
    title: Text | None = None


@dataclass(frozen=True)
class Section:
    """A section (or step) of a template: its fields, or a card's items."""

    id: str
    title: Text
    intro: Text | None = None
    fields: tuple[Field, ...] = ()
    items: tuple[CardItem, ...] = ()


@dataclass(frozen=True)
class Template:
    """A validated template. ``kind`` is ``form`` (has fields) or ``card`` (reference text)."""

    id: str
    version: int
    title: Text
    source: str
    sections: tuple[Section, ...]
    kind: str = "form"
    confidentiality: str = "par"
    roles: tuple[str, ...] = ()
    phase: str | None = None
    intro: Text | None = None
    schema_version: int = SCHEMA_VERSION
    #: Look for citizens' personal data in its text before saving (process journal, analysis).
    check_personal_data: bool = False
    #: The single_choice field (with a choice ``ja``) whose "ja" lets the ``deles`` fields
    #: leave the pair; without it only that field itself leaves (see ``boundary.py``).
    share_consent: str | None = None
    #: Chains of date field ids whose dates, where filled in, may not go backwards (e.g.
    #: start ≤ each planned meeting ≤ planned end); ``records.problems`` enforces them.
    date_order: tuple[tuple[str, ...], ...] = ()
    #: Who may fill in a field, for the fields that say so (field id → roles); any role may
    #: fill in the others. The form shows a field another role fills in, disabled.
    field_roles: tuple[tuple[str, tuple[str, ...]], ...] = ()
    #: Fields (single_choice with ``ja``, or checklist) by which each role confirms the rest
    #: of the record; a change to any other answer clears them (``records.confirmations_reset``).
    confirmations: tuple[str, ...] = ()
    path: str = field(default="", compare=False)

    @property
    def fields(self) -> tuple[Field, ...]:
        """All fields in order, across sections."""
        return tuple(f for s in self.sections for f in s.fields)

    def field(self, field_id: str) -> Field:
        """The field called ``field_id``."""
        for f in self.fields:
            if f.id == field_id:
                return f
        raise KeyError(f"template {self.id!r} has no field {field_id!r}")

    def roles_of(self, field_id: str) -> tuple[str, ...]:
        """The roles that fill in ``field_id``; empty: anyone."""
        return dict(self.field_roles).get(field_id, ())

    def may_fill(self, field_id: str, role: str) -> bool:
        """Whether ``role`` may give or change the answer to ``field_id``."""
        roles = self.roles_of(field_id)
        return not roles or role in roles

    @property
    def level(self) -> str:
        """The record's confidentiality: the narrowest level of any of its fields."""
        order = list(CONFIDENTIALITY)
        levels = [f.confidentiality for f in self.fields] or [self.confidentiality]
        return min(levels, key=order.index)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serialisable dict that ``parse_template`` reads back to an equal template."""
        return _drop_empty({
            "schema_version": self.schema_version, "id": self.id, "version": self.version,
            "kind": self.kind, "title": self.title.to_dict(),
            "intro": self.intro.to_dict() if self.intro else None, "source": self.source,
            "confidentiality": self.confidentiality, "roles": list(self.roles),
            "phase": self.phase,
            "sections": [_section_dict(s, dict(self.field_roles)) for s in self.sections],
            "check_personal_data": self.check_personal_data or None,
            "share_consent": self.share_consent,
            "date_order": [list(chain) for chain in self.date_order],
            "confirmations": list(self.confirmations),
        })

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, sort_keys=True)


def load_template(path: str | Path) -> Template:
    """Read and validate the template file at ``path`` (``.toml`` or ``.json``)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise TemplateError(file=str(path), field="-", reason_key="templates.unreadable",
                            reason_values={"reason": str(exc)}) from exc
    try:
        data = json.loads(text) if path.suffix == ".json" else toml_loads(text)
    except (TOMLDecodeError, ValueError, RecursionError) as exc:  # ValueError: JSON, or an
        # integer too long to read; RecursionError: arrays nested too deep
        raise TemplateError(file=str(path), field="-", reason_key="templates.syntax",
                            reason_values={"reason": str(exc)}) from exc
    return parse_template(data, file=str(path))


def template_from_json(text: str) -> Template:
    """Read a template kept as JSON (e.g. the store's copy of an older version)."""
    return parse_template(upgrade_stored(json.loads(text)), file="<store>")


def upgrade_stored(data: Any) -> Any:
    """A template as an older nysoc stored it (the store's copy, a data export), in
    today's terms; anything else is returned as it is, for the parser to judge.

    Before ``needs_consent`` existed, a template's ``share_consent`` gated *all* its
    ``deles`` fields: such a copy (consent, and no field marked) gets ``needs_consent`` on
    every ``deles`` field but the consent question, so its records keep the rule they were
    written under. A template file is never upgraded: it must say what it means.
    """
    if not isinstance(data, Mapping) or not isinstance(data.get("share_consent"), str):
        return data
    sections = data.get("sections")
    if not isinstance(sections, list) or not all(
            isinstance(s, Mapping) and isinstance(s.get("fields", []), list) for s in sections):
        return data
    fields = [f for s in sections for f in s.get("fields", []) if isinstance(f, Mapping)]
    if any("needs_consent" in f for f in fields):
        return data
    level = data.get("confidentiality", "par")

    def upgraded(fld: Any) -> Any:
        if (not isinstance(fld, Mapping) or fld.get("id") == data["share_consent"]
                or fld.get("confidentiality", level) != "deles"):
            return fld
        return {**fld, "needs_consent": True}

    return {**data, "sections": [{**s, "fields": [upgraded(f) for f in s.get("fields", [])]}
                                 if "fields" in s else s for s in sections]}


def parse_template(data: Mapping[str, Any], file: str = "<dict>") -> Template:
    """Validate ``data`` and build a :class:`Template`; raise ``TemplateError`` if invalid."""
    from ._template_parser import _Parser  # lazily: the parser imports this module

    return _Parser(file).template(data)


def _section_dict(section: Section, roles: Mapping[str, tuple[str, ...]]) -> dict[str, Any]:
    return _drop_empty({
        "id": section.id, "title": section.title.to_dict(),
        "intro": section.intro.to_dict() if section.intro else None,
        "fields": [_field_dict(f, roles.get(f.id, ())) for f in section.fields],
        "items": [_drop_empty({"title": i.title.to_dict() if i.title else None,
                               "text": i.text.to_dict()}) for i in section.items],
    })


def _field_dict(f: Field, roles: tuple[str, ...] = ()) -> dict[str, Any]:
    kind = fk.KINDS[f.kind]
    out: dict[str, Any] = {"id": f.id, "kind": f.kind, "label": f.label.to_dict(),
                           "required": f.required, "confidentiality": f.confidentiality}
    if roles:
        out["roles"] = list(roles)
    if f.help:
        out["help"] = f.help.to_dict()
    if f.choices:
        out["choices"] = [c.to_dict() for c in f.choices]
    extras = {"choices_from": f.choices_from, "choices_from_saved": f.choices_from_saved,
              "saved_title": f.saved_title.to_dict() if f.saved_title else None,
              "source": list(f.source) or None,
              "entry": f.entry, "entry_source": f.entry_source, "min": f.min, "max": f.max,
              "max_length": f.max_length,
              "low": f.low.to_dict() if f.low else None,
              "high": f.high.to_dict() if f.high else None}
    if "multiple" in kind.extra_keys:
        extras["multiple"] = f.multiple
    if "integer" in kind.extra_keys and f.integer:
        extras["integer"] = True
    if f.needs_consent:
        extras["needs_consent"] = True
    out.update({k: v for k, v in extras.items() if v is not None})
    return out


def _drop_empty(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if v not in (None, [], {})}

