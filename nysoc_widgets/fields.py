"""Field kinds: an explicit registry of small, pure adapters.

A kind says which extra template keys it takes, what an empty answer is, how an answer
is normalised (``coerce``, raising :class:`FieldValueError` with a Danish message key)
and which pandas dtype its column gets. Widgets for the kinds live in ``controls.py``.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "Text",
    "Choice",
    "Field",
    "FieldKind",
    "FieldValueError",
    "KINDS",
    "SAVED_CHOICE_MAX",
    "kind",
    "is_empty",
]


@dataclass(frozen=True)
class Text:
    """A user-facing text in Danish with English beside it."""

    da: str
    en: str = ""

    def __str__(self) -> str:
        return self.da

    def to_dict(self) -> dict[str, str]:
        return {"da": self.da, "en": self.en} if self.en else {"da": self.da}


@dataclass(frozen=True)
class Choice:
    """One option of a choice or checklist field; ``id`` is what a record stores."""

    id: str
    label: Text
    help: Text | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, **self.label.to_dict()}
        if self.help:
            out["help"] = self.help.to_dict()
        return out


@dataclass(frozen=True)
class Field:
    """One question of a template, already validated (see ``templates.parse_template``)."""

    id: str
    kind: str
    label: Text
    help: Text | None = None
    required: bool = False
    confidentiality: str = "par"
    choices: tuple[Choice, ...] = ()
    choices_from: str | None = None
    #: ``"template_id.field_id"``: the choices also come from the pairing's saved records of
    #: another template (see ``saved_choices.py``); any short line of text is a valid answer.
    choices_from_saved: str | None = None
    #: For a ``choices_from_saved`` that names a ``date`` field: what each record is called
    #: ("Mentormøde" → "Mentormøde 3. marts 2026"); the catalogue fills in the title of the
    #: named template when it is not given.
    saved_title: Text | None = None
    source: tuple[str, ...] = ()
    multiple: bool = True
    entry: str | None = None
    #: For ``entry = "pick"``: the earlier list whose items each entry picks among.
    entry_source: str | None = None
    min: float | None = None
    max: float | None = None
    integer: bool = False
    max_length: int | None = None
    low: Text | None = None
    high: Text | None = None
    #: A ``deles`` field that leaves the pair only when the template's ``share_consent``
    #: question is answered ``ja`` (the evaluation's scores); the template's other
    #: ``deles`` fields leave without it (see ``boundary.py``).
    needs_consent: bool = False

    def choice_label(self, choice_id: str) -> str:
        """The Danish label of ``choice_id`` (the id itself for an unknown one)."""
        for choice in self.choices:
            if choice.id == choice_id:
                return choice.label.da
        return choice_id


class FieldValueError(ValueError):
    """An answer does not fit its field; ``key`` names a message in ``locale/fields.toml``."""

    def __init__(self, key: str, **values: Any) -> None:
        self.key = key
        self.values = values
        super().__init__(key)

    def message(self, lang: str = "da") -> str:
        from . import i18n

        return i18n.t(f"fields.{self.key}", lang, **self.values)


@dataclass(frozen=True)
class FieldKind:
    """How one kind of field behaves as data."""

    name: str
    extra_keys: frozenset[str]
    empty: Callable[[], Any]
    coerce: Callable[[Any, Field], Any]
    dtype: str = "object"
    needs_choices: bool = False
    needs_source: bool = False
    entry_kinds: frozenset[str] = field(default_factory=frozenset)


def is_empty(value: Any) -> bool:
    """True for an unanswered field: None, blank text, or an empty list/dict."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, (list, tuple, dict, set)):
        return len(value) == 0
    return False


def _text(value: Any, fld: Field) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise FieldValueError("not_text")
    if fld.max_length is not None and len(value) > fld.max_length:
        raise FieldValueError("too_long", max_length=fld.max_length)
    return value


def _date(value: Any, fld: Field) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        text = value.strip()
        for fmt in ("%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%d/%m/%Y"):
            try:
                return dt.datetime.strptime(text, fmt).date().isoformat()
            except ValueError:
                continue
    raise FieldValueError("not_date")


def _number(value: Any, fld: Field) -> float | int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise FieldValueError("not_number")
    if isinstance(value, str):
        try:
            value = float(value.strip().replace(".", "").replace(",", ".")) if "," in value \
                else float(value.strip())
        except ValueError:
            raise FieldValueError("not_number") from None
    if not isinstance(value, (int, float)) or not _finite(value):
        raise FieldValueError("not_number")
    if fld.integer:
        if isinstance(value, float) and not value.is_integer():
            raise FieldValueError("not_integer")
        value = int(value)
    if fld.min is not None and value < fld.min:
        raise FieldValueError("below_min", min=_fmt(fld.min))
    if fld.max is not None and value > fld.max:
        raise FieldValueError("above_max", max=_fmt(fld.max))
    return value


def _finite(number: float) -> bool:
    """False for NaN, infinity and an int too big for a float (it would break a column)."""
    try:
        return math.isfinite(number)
    except OverflowError:
        return False


def _fmt(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else str(number).replace(".", ",")


#: The longest answer a ``choices_from_saved`` field takes that is not one of its own
#: choices (a learning goal's title, a meeting's date): one line of at most this many signs.
SAVED_CHOICE_MAX = 200


def _saved_item(value: Any, fld: Field) -> str:
    """An answer of a ``choices_from_saved`` field that is not one of its ``choices``: the
    text of an item of a saved record, whatever the store holds now (a goal renamed since
    keeps its old title). It must be one non-empty line of at most ``SAVED_CHOICE_MAX``."""
    if not isinstance(value, str):
        raise FieldValueError("unknown_choice", value=value)
    text = value.strip()
    if not text or "\n" in text or "\r" in text or len(text) > SAVED_CHOICE_MAX:
        raise FieldValueError("saved_choice", max_length=SAVED_CHOICE_MAX)
    return text


def _one_choice(value: Any, fld: Field) -> str | None:
    if value is None or value == "":
        return None
    known = {c.id for c in fld.choices}
    if isinstance(value, str) and value in known:
        return value
    if fld.choices_from_saved:
        return _saved_item(value, fld)
    raise FieldValueError("unknown_choice", value=value)


def _many_choices(value: Any, fld: Field) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str) or not isinstance(value, (list, tuple, set)):
        raise FieldValueError("not_list")
    known = [c.id for c in fld.choices]
    if fld.choices_from_saved:  # the order given (the form's: the pair's items first)
        return list(dict.fromkeys(v if isinstance(v, str) and v in known
                                  else _saved_item(v, fld) for v in value))
    unknown = [v for v in value if v not in known]
    if unknown:
        raise FieldValueError("unknown_choice", value=", ".join(map(str, unknown)))
    return [c for c in known if c in set(value)]  # template order, no duplicates


def _scale(value: Any, fld: Field) -> int | None:
    if value is None or value == "" or value == 0:
        return None
    if (isinstance(value, bool) or not isinstance(value, (int, float))
            or (isinstance(value, float) and not value.is_integer())):  # NaN, inf, 2.5
        raise FieldValueError("not_scale")
    if not 1 <= int(value) <= 5:
        raise FieldValueError("not_scale")
    return int(value)


def _items(value: Any, fld: Field) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str) or not isinstance(value, (list, tuple)):
        raise FieldValueError("not_list")
    if not all(isinstance(v, str) for v in value):
        raise FieldValueError("not_text")
    return [v.strip() for v in value if v.strip()]


def _picks(value: Any, fld: Field) -> list[str]:
    picked = _items(value, fld)
    if not fld.multiple and len(picked) > 1:
        raise FieldValueError("pick_one")
    return list(dict.fromkeys(picked))


def _per_item(value: Any, fld: Field) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise FieldValueError("not_mapping")
    entry_kind = KINDS[fld.entry or "long_text"]
    return {str(k): entry_kind.coerce(v, fld) for k, v in value.items()}


_CHOICE_KEYS = frozenset({"choices", "choices_from"})
_SAVED_KEYS = _CHOICE_KEYS | {"choices_from_saved", "saved_title"}

KINDS: dict[str, FieldKind] = {
    k.name: k
    for k in (
        FieldKind("short_text", frozenset({"max_length"}), str, _text, "string"),
        FieldKind("long_text", frozenset({"max_length"}), str, _text, "string"),
        FieldKind("date", frozenset(), lambda: None, _date, "datetime64[ns]"),
        FieldKind("number", frozenset({"min", "max", "integer"}), lambda: None, _number, "Float64"),
        FieldKind("single_choice", _SAVED_KEYS, lambda: None, _one_choice, "string",
                  needs_choices=True),
        FieldKind("multi_choice", _SAVED_KEYS, list, _many_choices, needs_choices=True),
        FieldKind("scale", frozenset({"low", "high"}), lambda: None, _scale, "Int64"),
        FieldKind("list", frozenset(), list, _items),
        FieldKind("pick", frozenset({"source", "multiple"}), list, _picks, needs_source=True),
        FieldKind("per_item", frozenset({"source", "entry", "entry_source", "choices", "min",
                                         "max"}), dict,
                  _per_item, needs_source=True,
                  entry_kinds=frozenset({"short_text", "long_text", "list", "single_choice",
                                         "scale", "date", "number", "pick"})),
        FieldKind("checklist", _CHOICE_KEYS, list, _many_choices, needs_choices=True),
    )
}


def kind(name: str) -> FieldKind:
    """The kind called ``name``; an unknown name raises ``KeyError`` listing the known ones."""
    try:
        return KINDS[name]
    except KeyError:
        raise KeyError(f"unknown field kind {name!r}; known: {', '.join(KINDS)}") from None
