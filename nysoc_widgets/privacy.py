"""Find citizens' personal data in Danish free text, and replace it with placeholders.

Pure functions, no widgets: the forms, ``nysoc scan`` and the benchmarks call them.
The patterns and the per-kind rules are in ``_privacy_rules``, compiled on first use.
``docs/privacy.md`` has the rules with examples, in Danish and English. In short, what is
**found**:

* ``cpr`` – DDMMYY-SSSS with or without the dash, with spaces or dots between the parts
  (``010203-1234``, ``0102031234``, ``010203 1234``, ``01.02.03-1234``, ``01 02 03 1234``).
  The date must exist in the century the 7th digit gives (0–3: 1900s; 4 and 9: 2000s if
  YY ≤ 36, else 1900s; 5–8: 2000s if YY ≤ 57, else 1800s). Modulus 11 is *not* required.
  A 10-digit run whose first six digits are a valid date is a CPR number even after
  "konto" or "sagsnr.": a citizen's account or CPR-based case number is personal data too.
* ``telefon`` – 8 digits, the first 2–9, as ``20304050``, ``20 30 40 50`` (also with ``.``
  or ``-``), ``2030 4050`` or ``203 04 050``, with an optional ``+45``, ``0045`` or ``(+45)``.
* ``email`` – ``name@domain.tld``.
* ``adresse`` – street, house number (``12``, ``12B``, ``12-14``), optional floor and side
  (``st. tv.``, ``2. th.``, ``1. sal``, ``3. mf.``), optional comma, postal code 1000–9999
  and town. Without a postal code the street must end like a street (…vej, …gade, Allé,
  …vænget, …stræde, Boulevard, …plads, …parken, …torv …); with a postal code but no typical
  ending, a comma must stand before it (``Ved Stranden 10, 1061 København K``).
* ``navn`` – only names the caller passes (``names``): whole words, any case, the full name
  and each of its parts of at least 3 letters (split at spaces: ``Anne-Marie`` stays
  whole), also with a possessive ``s`` (``Hanne Jensens``). A part that is also an everyday
  Danish word (``Hans``, ``Lund``, ``Skov`` …) is found only with a capital letter.

**Not** found: dates, times, amounts, case and journal numbers, law references, years,
percentages, a postal code and town without a street, numbers inside longer digit runs,
CPR-like numbers whose date does not exist (``320199-1234``), and numbers right after
CVR/SE/P-nr., sags-/journal-/konto-/reg.nr., EAN, faktura, ref., uge, §, stk. or an amount
word (a CVR number is a company's public number). ``23112026`` and ``20261123`` (dates),
``2025 2026`` (two years) and ``2026 8000 Aarhus`` (a year, a postcode) are not phone numbers
unless +45 or a phone word (tlf., telefon, mobil, sms, ring) stands just before them; nor
are digit groups that go on (``50 20 30 40 50``: the last eight digits are taken).

Where findings overlap, the most specific kind wins (e-mail, CPR, phone, address, name),
then the longest. A finding never spans a line break. Text inside a placeholder
(``[CPR]`` …) is never found again, and ``anonymise`` repeats until nothing is found, so
its output has no findings and anonymising twice changes nothing.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from . import i18n
from ._privacy_rules import _names_key, _names_pattern, _patterns, _rules
from ._privacy_rules import cpr_year as cpr_year  # public: re-exported

__all__ = ["KINDS", "PLACEHOLDERS", "Finding", "LineFinding", "find", "anonymise",
           "find_in_answers", "anonymise_answers", "answer_text", "describe", "scan_lines"]

KINDS = ("cpr", "telefon", "email", "adresse", "navn")
PLACEHOLDERS = {"cpr": "[CPR]", "telefon": "[TELEFON]", "email": "[E-MAIL]",
                "adresse": "[ADRESSE]", "navn": "[NAVN]"}

_t = i18n.scope("privacy")
#: Which kind wins where candidates overlap: an e-mail address holding digits or a name,
#: a CPR number over the phone number or house number its digit groups also look like.
_RANK = {"email": 0, "cpr": 1, "telefon": 2, "adresse": 3, "navn": 4}


@dataclass(frozen=True)
class Finding:
    """Personal data of ``kind`` at ``text[start:end]`` of the scanned text."""

    kind: str
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class LineFinding:
    """A finding by line: ``line`` counts from 1; ``start``/``end`` are 0-based character
    columns in that line (``line_text[start:end] == text``)."""

    kind: str
    text: str
    line: int
    start: int
    end: int


def describe(kind: str) -> str:
    """The Danish word for ``kind``, e.g. ``"CPR-nummer"``."""
    if kind not in KINDS:
        raise KeyError(f"unknown kind {kind!r}; known: {', '.join(KINDS)}")
    return _t(f"kind_{kind}")


# --- finding and replacing ----------------------------------------------------------------

def find(text: str, names: Iterable[str] = ()) -> list[Finding]:
    """Personal data in ``text``, sorted by position, never overlapping.

    Of candidates that overlap, the most specific kind wins (e-mail, CPR, phone, address,
    name), then the longest. ``names`` are the names the workspace knows (see the module
    docs).
    """
    if not isinstance(text, str):
        raise TypeError(f"find() needs a str, not {type(text).__name__}")
    p = _patterns()
    candidates: list[tuple[int, int, str]] = []
    for kind, needles, finder in _rules():
        if any(c in text for c in needles):
            candidates += [(s, e, kind) for s, e in finder(text)]
    pattern = _names_pattern(_names_key(names))
    if pattern is not None:
        candidates += [(m.start(), m.end(), "navn") for m in pattern.finditer(text)]
    if not candidates:
        return []
    taken = [m.span() for m in p["placeholder"].finditer(text)]  # never found again
    starts = [s for s, _ in taken]
    chosen: list[tuple[int, int, str]] = []
    for s, e, kind in sorted(candidates, key=lambda c: (_RANK[c[2]], c[0] - c[1], c[0])):
        i = bisect.bisect_right(starts, s)
        if (i and taken[i - 1][1] > s) or (i < len(taken) and taken[i][0] < e):
            continue
        taken.insert(i, (s, e))
        starts.insert(i, s)
        chosen.append((s, e, kind))
    return [Finding(kind, text[s:e], s, e) for s, e, kind in sorted(chosen)]


def anonymise(text: str, names: Iterable[str] = ()) -> str:
    """``text`` with every finding replaced by its placeholder; the rest kept as written.

    Repeated until nothing is found: a replacement can take away what made a neighbour
    look harmless (``Konto 20304050`` with the name "Konto" → ``[NAVN] [TELEFON]``).
    """
    key = _names_key(names)
    while found := find(text, key):
        out, pos = [], 0
        for f in found:
            out += [text[pos:f.start], PLACEHOLDERS[f.kind]]
            pos = f.end
        text = "".join(out) + text[pos:]
    return text


def scan_lines(text: str, names: Iterable[str] = ()) -> list[LineFinding]:
    """``find`` by line, for ``nysoc scan``: lines are split at ``\\n`` only."""
    line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
    out = []
    for f in find(text, names):
        n = bisect.bisect_right(line_starts, f.start) - 1
        out.append(LineFinding(f.kind, f.text, n + 1, f.start - line_starts[n],
                               f.end - line_starts[n]))
    return out


# --- answers of a form --------------------------------------------------------------------

_TEXT_KINDS = ("short_text", "long_text")


def _segments(fld: Any, value: Any) -> list[str]:
    """The free texts of one answer: a text, list items, or a per-item field's entries."""
    kind = fld.kind
    if kind == "per_item":
        if not isinstance(value, Mapping):
            return []
        kind, values = (fld.entry or "long_text"), list(value.values())
    else:
        values = [value]
    out: list[str] = []
    for v in values:
        if kind in _TEXT_KINDS and isinstance(v, str):
            out.append(v)
        elif kind == "list" and isinstance(v, (list, tuple)):
            out += [item for item in v if isinstance(item, str)]
    return out


def answer_text(fld: Any, value: Any) -> str:
    """The text ``find_in_answers`` scans for one field: its free texts joined by ``\\n``
    (for a list field exactly what its text box shows). Findings' offsets point into it."""
    return "\n".join(_segments(fld, value))


def find_in_answers(template: Any, values: Mapping[str, Any], names: Iterable[str] = ()
                    ) -> dict[str, list[Finding]]:
    """Findings per free-text field id (short/long text, list items, per-item text
    entries); only fields with findings are keys. Offsets point into ``answer_text``.

    A ``pick`` field, a per-item field's items and its picked entries (``entry = "pick"``)
    are copies of an earlier list and are reported there.
    """
    key = _names_key(names)
    out: dict[str, list[Finding]] = {}
    for fld in template.fields:
        found, offset = [], 0
        for segment in _segments(fld, values.get(fld.id)):
            found += [Finding(f.kind, f.text, f.start + offset, f.end + offset)
                      for f in find(segment, key)]
            offset += len(segment) + 1
        if found:
            out[fld.id] = found
    return out


def anonymise_answers(template: Any, values: Mapping[str, Any], names: Iterable[str] = ()
                      ) -> dict[str, Any]:
    """``values`` with their free text anonymised, in the same shape.

    Picks, per-item keys and per-item picks (``entry_source``) that copy an anonymised list
    item follow it, so they still match their source; entries whose items become the same
    are joined. Other answers (dates, numbers, choices, keys the template does not know)
    are kept as they are.
    """
    key = _names_key(names)
    out = dict(values)
    renamed: dict[str, dict[str, str]] = {}  # list field id → {item: anonymised item}

    def clean(kind: str, value: Any) -> Any:
        if kind in _TEXT_KINDS and isinstance(value, str):
            return anonymise(value, key)
        if kind == "list" and isinstance(value, (list, tuple)):
            return [anonymise(v, key) if isinstance(v, str) else v for v in value]
        return value

    for fld in template.fields:
        value = values.get(fld.id)
        if fld.id not in values:
            continue
        if fld.kind in (*_TEXT_KINDS, "list"):
            out[fld.id] = clean(fld.kind, value)
            if fld.kind == "list" and isinstance(value, (list, tuple)):
                renamed[fld.id] = {a: b for a, b in zip(value, out[fld.id], strict=True)
                                   if isinstance(a, str)}
        elif fld.kind == "pick" and isinstance(value, (list, tuple)):
            mapping = _follow(fld, renamed)
            out[fld.id] = list(dict.fromkeys(mapping.get(v, v) for v in value))
            renamed[fld.id] = {v: mapping.get(v, v) for v in value if isinstance(v, str)}
        elif fld.kind == "per_item" and isinstance(value, Mapping):
            mapping, entry_kind = _follow(fld, renamed), fld.entry or "long_text"
            picks = renamed.get(fld.entry_source or "", {})  # entry = "pick": texts follow
            entries: dict[Any, Any] = {}
            for item, entry in value.items():
                item, entry = mapping.get(item, item), clean(entry_kind, entry)
                if entry_kind == "pick" and isinstance(entry, (list, tuple)):
                    entry = list(dict.fromkeys(picks.get(v, v) for v in entry))
                entries[item] = _join(entries[item], entry) if item in entries else entry
            out[fld.id] = entries
    return out


def _follow(fld: Any, renamed: Mapping[str, Mapping[str, str]]) -> dict[str, str]:
    mapping: dict[str, str] = {}
    for ref in fld.source:
        mapping.update(renamed.get(ref, {}))
    return mapping


def _join(a: Any, b: Any) -> Any:
    """Two entries of items that became the same after anonymising, kept both."""
    if isinstance(a, list) and isinstance(b, list):
        return a + b
    if isinstance(a, str) and isinstance(b, str):
        return "\n".join(x for x in (a, b) if x)
    return a if a not in (None, "") else b
