"""The strict parser behind :func:`nysoc_widgets.templates.parse_template`.

It walks a template dict, keeping the path of what it reads, and raises a
:class:`~nysoc_widgets.errors.TemplateError` naming file, field and problem (a message in
``locale/templates.toml``). Private: import ``parse_template`` from ``templates``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from . import fields as fk
from .errors import TemplateError
from .fields import Choice, Field, Text
from .glossary import CONFIDENTIALITY, PHASES, ROLES
from .templates import RESERVED_FIELD_IDS, SCHEMA_VERSION, CardItem, Section, Template

_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_REFERENCE = re.compile(r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$")  # template_id.field_id

_TOP_KEYS = {"schema_version", "id", "version", "kind", "title", "intro", "source",
             "confidentiality", "roles", "phase", "sections", "check_personal_data",
             "share_consent", "date_order", "confirmations"}
_SECTION_KEYS = {"id", "title", "intro", "fields", "items"}
_FIELD_KEYS = {"id", "kind", "label", "help", "required", "confidentiality", "roles",
               "needs_consent"}


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
        self.consent(consent, seen)
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

    def consent(self, consent: str | None, seen: dict[str, Field]) -> None:
        """``needs_consent`` fields: ``deles``, under a ``share_consent`` question that is
        not one of them; a ``share_consent`` gates at least one field."""
        gated = [f for f in seen.values() if f.needs_consent]
        for fld in gated:
            where = f"fields.{fld.id}.needs_consent"
            if consent is None:
                raise self.fail(where, "needs_consent_without_share_consent", value=fld.id)
            if fld.id == consent:
                raise self.fail(where, "consent_field_needs_consent", value=fld.id)
            if fld.confidentiality != "deles":
                raise self.fail(where, "needs_consent_not_shared", value=fld.id,
                                level=fld.confidentiality)
        if consent is not None and not gated:
            raise self.fail("share_consent", "share_consent_gates_nothing", value=consent)

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
        self.keys(data, _FIELD_KEYS | {"choices", "choices_from", "choices_from_saved",
                                       "saved_title", "source", "multiple", "entry",
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
        for flag in ("required", "multiple", "integer", "needs_consent"):
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
        for key in ("choices_from", "choices_from_saved"):
            if key in data:
                if not isinstance(data[key], str) or not _REFERENCE.match(data[key]):
                    raise self.fail(f"{where}.{key}", "bad_reference")
                values[key] = data[key]
        if "choices_from_saved" in values:
            self.saved_choices(data, values, where)
        elif "saved_title" in data:
            raise self.fail(f"{where}.saved_title", "saved_title_without_saved")
        if kind.needs_choices and not (values.get("choices") or values.get("choices_from")
                                       or values.get("choices_from_saved")):
            key = ("needs_choices_or_saved" if "choices_from_saved" in kind.extra_keys
                   else "needs_choices")
            raise self.fail(where, key, kind=kind.name)
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

    def saved_choices(self, data: Mapping[str, Any], values: dict[str, Any],
                      where: str) -> None:
        """``choices_from_saved`` (and ``saved_title``): the pair's own items and dates never
        leave the pair, so such a field may not be ``deles``. Whether the named template and
        field exist is the catalogue's check (``catalogue._resolve_choices``)."""
        if values["confidentiality"] == "deles":
            raise self.fail(f"{where}.confidentiality", "saved_choices_shared",
                            value=values["choices_from_saved"])
        if "saved_title" in data:
            values["saved_title"] = self.text(data["saved_title"], f"{where}.saved_title")

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
