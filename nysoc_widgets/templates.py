"""Templates are data: parse and validate one template (a TOML file or a dict).

The format is documented in ``docs/templates.md``. Parsing is strict, like jupytext's
config: unknown keys, unknown kinds, duplicate ids and references to later fields are
rejected with a :class:`~nysoc_widgets.errors.TemplateError` naming file, field and problem.
Loading many templates (built-in + a workplace folder) is ``catalogue.py``'s job.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import fields as fk
from ._toml import TOMLDecodeError
from ._toml import loads as toml_loads
from .errors import TemplateError
from .fields import Choice, Field, Text
from .glossary import CONFIDENTIALITY, PHASES, ROLES

__all__ = [
    "SCHEMA_VERSION",
    "RESERVED_FIELD_IDS",
    "Template",
    "Section",
    "CardItem",
    "parse_template",
    "load_template",
    "template_from_json",
]

#: The version of the template file format this nysoc reads.
SCHEMA_VERSION = 1

_ID = re.compile(r"^[a-z][a-z0-9_]*$")

#: A record's own data; a field may not share a name with it (they sit side by side in
#: ``records_to_frame``).
RESERVED_FIELD_IDS = frozenset({"id", "pairing", "template_id", "template_version",
                                "author_role", "confidentiality", "status", "created",
                                "updated", "version"})
_TOP_KEYS = {"schema_version", "id", "version", "kind", "title", "intro", "source",
             "confidentiality", "roles", "phase", "sections", "check_personal_data",
             "share_consent", "date_order", "confirmations"}
_SECTION_KEYS = {"id", "title", "intro", "fields", "items"}
_FIELD_KEYS = {"id", "kind", "label", "help", "required", "confidentiality", "roles"}


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
    return parse_template(json.loads(text), file="<store>")


def parse_template(data: Mapping[str, Any], file: str = "<dict>") -> Template:
    """Validate ``data`` and build a :class:`Template`; raise ``TemplateError`` if invalid."""
    return _Parser(file).template(data)


class _Parser:
    """Walks a template dict, keeping the path of what it reads for error messages."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.field_roles: dict[str, tuple[str, ...]] = {}

    def fail(self, where: str, problem: str, **values: Any) -> TemplateError:
        """An error at ``where``; ``problem`` names a message in ``locale/templates.toml``."""
        return TemplateError(file=self.file, field=where, reason_key=f"templates.{problem}",
                             reason_values=values)

    def keys(self, data: Any, allowed: set[str] | frozenset[str], where: str,
             required: tuple[str, ...] = ()) -> None:
        if not isinstance(data, Mapping):
            raise self.fail(where, "not_table")
        unknown = sorted(set(data) - set(allowed))
        if unknown:
            raise self.fail(where, "unknown_key", key=unknown[0],
                            allowed=", ".join(sorted(allowed)))
        for key in required:
            if key not in data:
                raise self.fail(where, "missing_key", key=key)

    def ident(self, value: Any, where: str) -> str:
        if not isinstance(value, str) or not _ID.match(value):
            raise self.fail(where, "bad_id", value=value)
        return value

    def text(self, value: Any, where: str) -> Text:
        if isinstance(value, str) and value.strip():
            return Text(value)
        if isinstance(value, Mapping):
            self.keys(value, {"da", "en"}, where)
            da, en = value.get("da"), value.get("en", "")
            if isinstance(da, str) and da.strip() and isinstance(en, str):
                return Text(da, en)
        raise self.fail(where, "bad_text")

    def opt_text(self, data: Mapping[str, Any], key: str, where: str) -> Text | None:
        return self.text(data[key], f"{where}.{key}") if key in data else None

    def one_of(self, value: Any, allowed: Mapping[str, str] | tuple[str, ...], where: str) -> str:
        if not isinstance(value, str) or value not in allowed:  # a list is not hashable
            raise self.fail(where, "not_one_of", value=value, allowed=", ".join(allowed))
        return str(value)

    def template(self, data: Mapping[str, Any]) -> Template:
        self.keys(data, _TOP_KEYS, "template",
                  required=("schema_version", "id", "version", "title", "source", "sections"))
        if data["schema_version"] != SCHEMA_VERSION:
            raise self.fail("schema_version", "schema_version", supported=SCHEMA_VERSION,
                            found=data["schema_version"])
        version = data["version"]
        if isinstance(version, bool) or not isinstance(version, int) or version < 1:
            raise self.fail("version", "bad_version")
        kind = self.one_of(data.get("kind", "form"), ("form", "card"), "kind")
        level = self.one_of(data.get("confidentiality", "par"), CONFIDENTIALITY,
                            "confidentiality")
        roles = data.get("roles", [])
        if not isinstance(roles, list):
            raise self.fail("roles", "not_list")
        source = data["source"]
        if not isinstance(source, str) or not source.strip():
            raise self.fail("source", "no_source")
        sections = data["sections"]
        if not isinstance(sections, list) or not sections:
            raise self.fail("sections", "no_sections")
        check = data.get("check_personal_data", False)
        if not isinstance(check, bool):
            raise self.fail("check_personal_data", "not_bool")
        seen: dict[str, Field] = {}
        parsed = tuple(self.section(s, i, kind, level, seen) for i, s in enumerate(sections))
        self.unique([s.id for s in parsed], "sections")
        consent = data.get("share_consent")
        if consent is not None and not (
                isinstance(consent, str) and consent in seen
                and seen[consent].kind == "single_choice"
                and any(c.id == "ja" for c in seen[consent].choices)):
            raise self.fail("share_consent", "bad_share_consent", value=consent)
        date_order = self.date_order(data.get("date_order", []), seen)
        confirmations = self.confirmations(data.get("confirmations", []), seen)
        template_roles = tuple(self.one_of(r, ROLES, f"roles[{i}]") for i, r in enumerate(roles))
        for fid, who in self.field_roles.items():
            stray = [r for r in who if template_roles and r not in template_roles]
            if stray:
                raise self.fail(f"fields.{fid}.roles", "field_role_not_in_template",
                                value=stray[0], roles=", ".join(template_roles))
        return Template(
            id=self.ident(data["id"], "id"), version=version,
            title=self.text(data["title"], "title"), source=source, sections=parsed,
            kind=kind, confidentiality=level,
            roles=template_roles,
            phase=self.one_of(data["phase"], PHASES, "phase") if "phase" in data else None,
            intro=self.opt_text(data, "intro", "intro"), check_personal_data=check,
            share_consent=consent, date_order=date_order,
            field_roles=tuple(self.field_roles.items()), confirmations=confirmations,
            path=self.file,
        )

    def confirmations(self, value: Any, seen: dict[str, Field]) -> tuple[str, ...]:
        """``confirmations``: ids of single_choice fields with a ``ja`` choice, or checklists."""
        if not isinstance(value, list):
            raise self.fail("confirmations", "not_list")
        for i, ref in enumerate(value):
            fld = seen.get(ref) if isinstance(ref, str) else None
            if fld is None or not (
                    fld.kind == "checklist" and fld.choices
                    or fld.kind == "single_choice" and any(c.id == "ja" for c in fld.choices)):
                raise self.fail(f"confirmations[{i}]", "bad_confirmation", value=ref)
        self.unique(value, "confirmations")
        return tuple(value)

    def roles(self, value: Any, where: str) -> tuple[str, ...]:
        """A field's ``roles``: a list of role names (glossary.ROLES)."""
        if not isinstance(value, list) or not all(isinstance(r, str) and r in ROLES
                                                  for r in value):
            raise self.fail(where, "bad_field_roles", value=value, allowed=", ".join(ROLES))
        self.unique(value, where)
        return tuple(value)

    def date_order(self, value: Any, seen: dict[str, Field]) -> tuple[tuple[str, ...], ...]:
        """``date_order``: a list of lists of this template's ``date`` field ids."""
        if not isinstance(value, list):
            raise self.fail("date_order", "not_list")
        chains = []
        for i, chain in enumerate(value):
            where = f"date_order[{i}]"
            if not isinstance(chain, list):
                raise self.fail(where, "not_list")
            for ref in chain:
                if not isinstance(ref, str) or ref not in seen or seen[ref].kind != "date":
                    raise self.fail(where, "bad_date_order", value=ref)
            self.unique(chain, where)
            chains.append(tuple(chain))
        return tuple(chains)

    def unique(self, ids: list[str], where: str) -> None:
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise self.fail(where, "duplicate_id", value=dupes[0])

    def section(self, data: Any, index: int, kind: str, level: str,
                seen: dict[str, Field]) -> Section:
        where = f"sections[{index}]"
        self.keys(data, _SECTION_KEYS, where, required=("id", "title"))
        where = f"sections.{data['id']}"
        fields_data, items_data = data.get("fields", []), data.get("items", [])
        if kind == "form" and items_data:
            raise self.fail(where, "form_items")
        if kind == "card" and fields_data:
            raise self.fail(where, "card_fields")
        if not isinstance(fields_data, list) or not isinstance(items_data, list):
            raise self.fail(where, "not_list")
        fields = []
        for i, f in enumerate(fields_data):
            parsed = self.field(f, f"{where}.fields[{i}]", level, seen)
            seen[parsed.id] = parsed
            fields.append(parsed)
        items = [self.item(it, f"{where}.items[{i}]") for i, it in enumerate(items_data)]
        if not fields and not items:
            raise self.fail(where, "empty_section")
        return Section(id=self.ident(data["id"], where), title=self.text(data["title"], where),
                       intro=self.opt_text(data, "intro", where), fields=tuple(fields),
                       items=tuple(items))

    def item(self, data: Any, where: str) -> CardItem:
        self.keys(data, {"title", "text"}, where, required=("text",))
        return CardItem(text=self.text(data["text"], where),
                        title=self.opt_text(data, "title", where))

    def field(self, data: Any, where: str, level: str, seen: dict[str, Field]) -> Field:
        if isinstance(data, Mapping) and isinstance(data.get("id"), str):
            where = f"fields.{data['id']}"
        self.keys(data, _FIELD_KEYS | {"choices", "choices_from", "source", "multiple", "entry",
                                       "entry_source", "min", "max", "integer", "max_length",
                                       "low", "high"},
                  where, required=("id", "kind", "label"))
        fid = self.ident(data["id"], f"{where}.id")
        if fid in RESERVED_FIELD_IDS:
            raise self.fail(where, "reserved_id", value=fid,
                            reserved=", ".join(sorted(RESERVED_FIELD_IDS)))
        if fid in seen:
            raise self.fail(where, "duplicate_id", value=fid)
        try:
            kind = fk.kind(data["kind"])
        except (KeyError, TypeError):  # TypeError: a list or table is not hashable
            raise self.fail(f"{where}.kind", "unknown_kind", value=data["kind"],
                            known=", ".join(fk.KINDS)) from None
        self.keys(data, _FIELD_KEYS | kind.extra_keys, where)
        values: dict[str, Any] = {
            "id": fid, "kind": kind.name, "label": self.text(data["label"], f"{where}.label"),
            "help": self.opt_text(data, "help", where),
            "confidentiality": self.one_of(data.get("confidentiality", level), CONFIDENTIALITY,
                                           f"{where}.confidentiality"),
        }
        if "roles" in data:
            who = self.roles(data["roles"], f"{where}.roles")
            if who:
                self.field_roles[fid] = who
        for flag in ("required", "multiple", "integer"):
            if flag in data:
                if not isinstance(data[flag], bool):
                    raise self.fail(f"{where}.{flag}", "not_bool")
                values[flag] = data[flag]
        for num in ("min", "max", "max_length"):
            if num in data:
                if isinstance(data[num], bool) or not isinstance(data[num], (int, float)):
                    raise self.fail(f"{where}.{num}", "not_number")
                values[num] = data[num]
        for label in ("low", "high"):
            if label in data:
                values[label] = self.text(data[label], f"{where}.{label}")
        if "choices" in data:
            values["choices"] = self.choices(data["choices"], f"{where}.choices")
        if "choices_from" in data:
            ref = data["choices_from"]
            if not isinstance(ref, str) or not re.match(r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$",
                                                        ref):
                raise self.fail(f"{where}.choices_from", "bad_reference")
            values["choices_from"] = ref
        if kind.needs_choices and not (values.get("choices") or values.get("choices_from")):
            raise self.fail(where, "needs_choices", kind=kind.name)
        if kind.needs_source:
            values["source"] = self.source(data.get("source"), where, seen)
        if kind.entry_kinds:
            entry = data.get("entry", "long_text")
            values["entry"] = self.one_of(entry, tuple(sorted(kind.entry_kinds)),
                                          f"{where}.entry")
            if entry == "single_choice" and not values.get("choices"):
                raise self.fail(where, "entry_choices")
            if entry == "pick":
                if "entry_source" not in data:
                    raise self.fail(where, "needs_entry_source")
                ref = data["entry_source"]
                values["entry_source"] = self.source(ref if isinstance(ref, str) else None,
                                                     where, seen, key="entry_source")[0]
            elif "entry_source" in data:
                raise self.fail(f"{where}.entry_source", "entry_source_without_pick")
        return Field(**values)

    def choices(self, data: Any, where: str) -> tuple[Choice, ...]:
        if not isinstance(data, list) or not data:
            raise self.fail(where, "no_choices")
        out = []
        for i, c in enumerate(data):
            self.keys(c, {"id", "da", "en", "help"}, f"{where}[{i}]", required=("id", "da"))
            out.append(Choice(id=self.ident(c["id"], f"{where}[{i}].id"),
                              label=self.text({"da": c["da"], "en": c.get("en", "")},
                                              f"{where}[{i}]"),
                              help=self.opt_text(c, "help", f"{where}[{i}]")))
        self.unique([c.id for c in out], where)
        return tuple(out)

    def source(self, value: Any, where: str, seen: dict[str, Field],
               key: str = "source") -> tuple[str, ...]:
        """``source`` (or ``entry_source``, one id): earlier list/choice/pick field ids."""
        refs = [value] if isinstance(value, str) else value
        if not isinstance(refs, list) or not refs:
            raise self.fail(f"{where}.{key}", f"needs_{key}")
        for ref in refs:
            if not isinstance(ref, str) or ref not in seen:
                raise self.fail(f"{where}.{key}", "source_not_earlier", value=ref)
            if seen[ref].kind not in ("list", "multi_choice", "checklist", "pick"):
                raise self.fail(f"{where}.{key}", "source_wrong_kind", value=ref,
                                kind=seen[ref].kind)
        return tuple(refs)


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
    extras = {"choices_from": f.choices_from, "source": list(f.source) or None,
              "entry": f.entry, "entry_source": f.entry_source, "min": f.min, "max": f.max,
              "max_length": f.max_length,
              "low": f.low.to_dict() if f.low else None,
              "high": f.high.to_dict() if f.high else None}
    if "multiple" in kind.extra_keys:
        extras["multiple"] = f.multiple
    if "integer" in kind.extra_keys and f.integer:
        extras["integer"] = True
    out.update({k: v for k, v in extras.items() if v is not None})
    return out


def _drop_empty(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if v not in (None, [], {})}

