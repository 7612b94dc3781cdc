"""The ``nysoc-records`` document format, and the strict check of a document read back.

What an export holds, key by key and type by type, is the tables below (documented for
people in ``docs/data-format.md``). A document is checked in full before anything is
imported: the first problem raises ``DataFormatError`` naming the file, where in the
document it is (``records[3].versions[0].saved``) and what was expected. Unknown keys,
repeated keys, ``true`` for a number and ids used twice are refused, so that nothing a
person edited by hand is silently dropped. Kept apart from ``portability``, which
exports, imports (checking the document against the store) and erases.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from . import i18n
from .errors import DataFormatError, TemplateError
from .glossary import CONFIDENTIALITY, ROLES, STATUSES
from .records import Pairing, Record, RecordVersion, now
from .templates import Template, parse_template, upgrade_stored

__all__ = ["FORMAT", "FORMAT_VERSION", "Document", "Reader", "parse_json", "fail", "json_kind"]

_t = i18n.scope("data")

#: The ``format`` of a nysoc data export, and the newest ``format_version`` this nysoc reads.
FORMAT = "nysoc-records"
FORMAT_VERSION = 1


@dataclass(frozen=True)
class Document:
    """A validated document, as the store's own types."""

    pairings: list[Pairing]
    templates: dict[tuple[str, int], Template]
    records: list[tuple[Record, list[RecordVersion]]]


def parse_json(data: str | bytes, file: str) -> dict[str, Any]:
    """Parse JSON text; ``DataFormatError`` if it is not JSON (or repeats a key)."""
    def unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        keys = [k for k, _ in pairs]
        if len(set(keys)) != len(keys):
            raise ValueError(f"duplicate key {next(k for k in keys if keys.count(k) > 1)!r}")
        return dict(pairs)

    def constant(name: str) -> Any:
        raise ValueError(f"{name} is not JSON")

    try:
        document = json.loads(data, object_pairs_hook=unique, parse_constant=constant)
    except (ValueError, RecursionError) as exc:  # JSONDecodeError, UnicodeDecodeError
        raise fail(file, "", "not_json", error=" ".join(str(exc).split())) from exc
    if not isinstance(document, dict):
        raise fail(file, "", "not_object", found=json_kind(document))
    return document


def fail(file: str, where: str, reason: str, **values: Any) -> DataFormatError:
    return DataFormatError(file=file, where=where or "-", reason_key=f"data.{reason}",
                           reason_values={"where": where,
                                          **{k: str(v) for k, v in values.items()}})


def json_kind(value: Any) -> str:
    """What a JSON value is, in Danish."""
    names = {bool: "bool", int: "int", float: "float", str: "str", list: "list", dict: "dict"}
    return _t(f"type_{names.get(type(value), 'null')}")


# What each object of the format holds: key -> (check, required). See docs/data-format.md.
_TOP = {"format": ("text", True), "format_version": ("count", True),
        "exported": ("time", False), "nysoc_version": ("text", False),
        "pairings": ("list", False), "templates": ("list", False), "records": ("list", True)}
_PAIRING = {"id": ("id", True), "mentor": ("text", False), "mentee": ("text", False),
            "department": ("text", False), "start_date": ("date", False),
            "planned_end": ("date", False), "created": ("time", False)}
_TEMPLATE = {"id": ("id", True), "version": ("count", True), "definition": ("dict", True)}
_RECORD = {"id": ("id", True), "pairing": ("text", True), "template_id": ("id", True),
           "template_version": ("count", True), "author_role": ("role", True),
           "confidentiality": ("level", True), "status": ("status", True),
           "created": ("time", True), "updated": ("time", True), "version": ("count", True),
           "fields": ("dict", True), "versions": ("list", True)}
_VERSION = {"version": ("count", True), "status": ("status", True), "saved": ("time", True),
            "template_version": ("count", True), "fields": ("dict", True)}
_CHOICES = {"role": ROLES, "level": CONFIDENTIALITY, "status": STATUSES}
_TYPES: dict[str, type | tuple[type, ...]] = {
    "id": str, "text": str, "time": str, "date": (str, type(None)), "count": int,
    "list": list, "dict": dict}


def _fits(value: Any, kind: str) -> bool:
    """``value`` has the JSON type ``kind`` needs (``true`` is not a number here)."""
    return isinstance(value, _TYPES[kind]) and not isinstance(value, bool)


class Reader:
    """Checks a document against the format; the first problem raises DataFormatError."""

    def __init__(self, file: str) -> None:
        self.file = file

    def refuse(self, where: str, reason: str, **values: Any) -> DataFormatError:
        return fail(self.file, where, reason, **values)

    def document(self, data: Mapping[str, Any]) -> Document:
        if not isinstance(data, Mapping):
            raise self.refuse("", "not_object", found=json_kind(data))
        if data.get("format") != FORMAT:
            raise self.refuse("format", "not_nysoc", found=data.get("format", ""),
                            expected=FORMAT)
        version = data.get("format_version")
        if type(version) is int and version > FORMAT_VERSION:
            raise self.refuse("format_version", "too_new", found=version,
                            supported=FORMAT_VERSION)
        if version != FORMAT_VERSION:
            raise self.refuse("format_version", "bad_version", found=version)
        top = self.object(data, "", _TOP)
        pairings = [Pairing(**{"created": now(), **self.object(p, f"pairings[{i}]", _PAIRING)})
                    for i, p in enumerate(top.get("pairings", []))]
        self.unique([p.id for p in pairings], "pairings")
        templates: dict[tuple[str, int], Template] = {}
        for i, item in enumerate(top.get("templates", [])):
            where = f"templates[{i}]"
            entry = self.object(item, where, _TEMPLATE)
            try:
                template = parse_template(upgrade_stored(entry["definition"]),
                                          file=f"{where}.definition")
            except TemplateError as exc:
                raise self.refuse(f"{where}.definition", "bad_template",
                                problem=str(exc)) from exc
            if (template.id, template.version) != (entry["id"], entry["version"]):
                raise self.refuse(f"{where}.definition", "template_mismatch",
                                found=f"{template.id} v{template.version}",
                                expected=f"{entry['id']} v{entry['version']}")
            if (template.id, template.version) in templates:
                raise self.refuse(where, "duplicate", id=f"{template.id} v{template.version}")
            templates[template.id, template.version] = template
        records = [self.record(r, f"records[{i}]") for i, r in enumerate(top["records"])]
        self.unique([r.id or "" for r, _ in records], "records")
        return Document(pairings, templates, records)

    def record(self, data: Any, where: str) -> tuple[Record, list[RecordVersion]]:
        entry = self.object(data, where, _RECORD)
        rec_id = entry["id"]
        versions = [RecordVersion(rec_id, values=v.pop("fields"), **v) for v in
                    (self.object(v, f"{where}.versions[{i}]", _VERSION)
                     for i, v in enumerate(entry.pop("versions")))]
        if not versions:
            raise self.refuse(f"{where}.versions", "no_versions")
        numbers = [v.version for v in versions]
        self.unique([str(n) for n in numbers], f"{where}.versions")
        if entry["version"] != max(numbers):
            raise self.refuse(f"{where}.version", "not_latest", version=entry["version"],
                            latest=max(numbers))
        return Record(values=entry.pop("fields"), **entry), versions

    def object(self, data: Any, where: str, spec: Mapping[str, tuple[str, bool]]
               ) -> dict[str, Any]:
        """``data`` checked against ``spec`` (a shallow copy, to take apart safely)."""
        if not isinstance(data, Mapping):
            raise self.refuse(where, "wrong_type", expected=_t("type_dict"), found=json_kind(data))
        for key, (_, required) in spec.items():
            if required and key not in data:
                raise self.refuse(where, "missing_key" if where else "missing_top_key", key=key)
        unknown = sorted(set(data) - set(spec))
        if unknown:
            raise self.refuse(where, "unknown_key" if where else "unknown_top_key",
                            key=unknown[0], allowed=", ".join(spec))
        for key, value in data.items():
            self.check(value, f"{where}.{key}" if where else key, spec[key][0])
        return dict(data)

    def check(self, value: Any, where: str, kind: str) -> None:
        if kind in _CHOICES:
            if value not in _CHOICES[kind]:
                raise self.refuse(where, "bad_choice", found=value,
                                allowed=", ".join(_CHOICES[kind]))
            return
        if not _fits(value, kind):
            raise self.refuse(where, "wrong_type", expected=_t(f"expect_{kind}"),
                            found=json_kind(value))
        if kind == "id" and not value.strip():
            raise self.refuse(where, "empty")
        if kind == "count" and value < 1:
            raise self.refuse(where, "wrong_type", expected=_t("expect_count"), found=value)
        if kind in ("time", "date") and value is not None:
            try:
                (dt.datetime if kind == "time" else dt.date).fromisoformat(value)
            except ValueError:
                raise self.refuse(where, f"bad_{kind}", found=value) from None

    def unique(self, ids: Sequence[str], where: str) -> None:
        seen: set[str] = set()
        for value in ids:
            if value in seen:
                raise self.refuse(where, "duplicate", id=value)
            seen.add(value)
