"""Find citizens' personal data in Danish free text, and replace it with placeholders.

Pure functions, no widgets: the forms, ``nysoc scan`` and the benchmarks call them.
Patterns are compiled on first use. ``docs/privacy.md`` has the rules with examples, in
Danish and English. In short, what is **found**:

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
import calendar
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from . import i18n

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


# --- patterns -----------------------------------------------------------------------------

_SP = "[ \t\u00a0\u202f]"                      # spaces; never a line break
_DASH = "[-\u2010\u2011\u2012\u2013]"
_UP, _LO = "A-ZÆØÅÄÖÜÉ", "a-zæøåäöüéèáí"
_DIGITS = "0123456789"
_NUM_AFTER = r"(?![0-9])(?![.\-/][0-9])"  # not inside a longer number; see _number_starts

_STREET_ENDINGS = tuple(
    "vej vejen gade gaden allé alle alléen vænget vænge stræde strædet boulevard boulevarden "
    "plads pladsen park parken torv torvet stien have haven høj højen bakke bakken toft "
    "toften lund lunden kær kæret holmen marken engen vang vangen dalen bryggen kajen passage "
    "passagen promenade promenaden løkken skrænten hegnet krogen stranden havn kanal kanalen "
    "gyden agre ageren slette sletten".split())
_SEPARATE_ENDINGS = ("vej", "gade", "allé", "alle", "plads", "stræde", "torv", "boulevard",
                     "park", "have", "passage", "promenade", "vænge", "kanal")
#: Capitalised words that do not start a street name: sentence openers, and words that
#: are followed by a number in ordinary text ("Bilag 3, 8000 Aarhus" is no address).
_NOT_STREET = frozenset(
    "Fra Til På I Hos Om Efter Før Med Mod Og Men Hun Han De Vi Jeg Du Det Den Der Som Når "
    "Hvor Bor Boede Adresse Adressen Adr. Bopæl Bopælen Borgeren Familien Moren Faren "
    "Mødet Besøg Hjemmebesøg Flyttet Flytter Mellem Bilag Uge Trin Fase Side Kapitel Afsnit "
    "Punkt Pkt. Stk. Nr. Kvartal Lokale Bus Linje Rum Del Tabel Figur Klasse Gruppe Hold "
    "Niveau Modul Version Bind Etape Runde Sag Møde Samtale".split())
#: Names that are everyday Danish words: found only with a capital first letter.
_WORD_NAMES = frozenset(
    "as ask bak bang ben berg birk bjerg bjørn bo bonde borg brun busk by dag dal dam due "
    "ebbe eg eng engel far fisker frost fugl glad gram gran grøn gry hare hans hav have "
    "hede hjort holm hvid høj juni jo karl kilde kim kirk kok krag krog kær lang lange liv "
    "lind lund lykke lærke maj mark max mor mose møller nat nord rask ravn rose rune sand "
    "signe skov skytte smed sol sommer sort sten storm strand syd sø tang tom tone vad vang "
    "vest vinter øst".split())

_PLACEHOLDER_RE = r"\[(?:CPR|TELEFON|E-MAIL|ADRESSE|NAVN)\]"
_NO_PHONE_BEFORE = (r"(?:\b(?:cvr|se|p|ean|gln|sags?|j|journal|konto|reg|registrerings|"
                    r"faktura|ordre|bilag|kunde|police|ref|uger?)\.?[- ]?(?:nr|nummer)?\.?"
                    r"|\b(?:kr|dkk|eur|stk)\.?|[€§])" + _SP + r"*:?" + _SP + r"*$")


@cache
def _patterns() -> dict[str, re.Pattern[str]]:
    """The fixed patterns, compiled on first use. Each starts with a character class, so
    that ``re`` skips quickly to where a match can start; what must not stand *before* a
    match is checked in Python (``_number_starts``, ``_word_starts``)."""
    token = (rf"[{_UP}](?:[{_LO}]+(?:-[{_UP}{_LO}][{_LO}]+)*|\.(?:[{_UP}]\.){{0,2}}"
             rf"|[{_LO}]{{1,3}}\.)")
    separate = "|".join(_SEPARATE_ENDINGS)
    floor = (rf"(?:(?:st|stuen|kld|kælder)\b\.?|[0-9]{{1,2}}\.(?:{_SP}*sal\b\.?)?"
             rf"|[0-9]{{1,2}}{_SP}*sal\b\.?)")
    side = rf"(?:(?:th|tv|mf)\b\.?|(?:dør{_SP}*)?[0-9]{{1,3}}\b)"
    town = (rf"(?:[{_UP}][{_LO}]{{1,3}}\.{_SP}?[{_UP}][{_LO}]+"
            rf"|[{_UP}][{_LO}]+(?:(?:{_SP}|-)[{_UP}][{_LO}]+)?)"
            rf"(?:{_SP}(?:NV|NØ|SV|SØ|Sj|C|K|V|N|S|Ø|F|M|J|L)(?!\w))?")
    number = (rf"[2-9](?:[0-9](?P<s>[.\-]|{_SP})[0-9]{{2}}(?P=s)[0-9]{{2}}(?P=s)[0-9]{{2}}"
              rf"|[0-9]{{3}}{_SP}[0-9]{{4}}|[0-9]{{2}}{_SP}[0-9]{{2}}{_SP}[0-9]{{3}}"
              rf"|(?P<plain>[0-9]{{7}})){_NUM_AFTER}")
    return {
        "cpr": re.compile(
            rf"(?P<d>[0-3][0-9])(?P<s>[.\-]|{_SP}|)(?P<m>[01][0-9])(?P=s)(?P<y>[0-9]{{2}})"
            rf"(?:{_SP}?{_DASH}{_SP}?|\.|{_SP}|)(?P<n>[0-9]{{4}}){_NUM_AFTER}"),
        "telefon": re.compile(number),
        "telefon45": re.compile(rf"(?P<prefix>\+45|0045|\(\+45\)|\(0045\)|\(45\))"
                                rf"(?:{_SP}|-)?{number}"),
        "email": re.compile(r"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)*\.[A-Za-z]{2,24}(?![\w\-])"),
        "adresse": re.compile(
            rf"(?P<street>{token}(?:{_SP}{token}){{0,4}}(?:{_SP}(?:{separate}))?)"
            rf"{_SP}+[1-9][0-9]{{0,2}}(?:[A-Za-z]|{_SP}[A-Z])?"
            rf"(?:{_DASH}[1-9][0-9]{{0,2}}[A-Za-z]?)?(?!\w)(?![.\-/][0-9])"
            rf"(?:,?{_SP}*{floor}(?:,?{_SP}*{side})?|,?{_SP}*(?:th|tv|mf)\b\.?)?"
            rf"(?:{_SP}*(?P<comma>,)?{_SP}*(?<![0-9])(?P<zip>[1-9][0-9]{{3}})(?![0-9])"
            rf"{_SP}+{town})?"),
        "placeholder": re.compile(_PLACEHOLDER_RE),
        "no_phone_before": re.compile(_NO_PHONE_BEFORE, re.IGNORECASE),
        "phone_word": re.compile(r"\b(?:tlf|telefon|mobil|mob|tel|sms|ring)[^0-9]{0,20}$",
                                 re.IGNORECASE),
        "group_after": re.compile(rf"{_SP}[0-9]"),
        "town_after": re.compile(rf"{_SP}+[{_UP}][{_LO}]"),
        "amount_after": re.compile(rf"{_SP}?(?:kr\b|kroner|dkk|,-|%|€)", re.IGNORECASE),
    }


# --- rules --------------------------------------------------------------------------------

def cpr_year(yy: int, seventh: int) -> int:
    """The year of birth from YY and the 7th digit (the CPR office's century rule)."""
    if seventh <= 3:
        return 1900 + yy
    if seventh in (4, 9):
        return (2000 if yy <= 36 else 1900) + yy
    return (2000 if yy <= 57 else 1800) + yy


def _valid_date(day: int, month: int, year: int) -> bool:
    return 1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1]


def _number_starts(text: str, i: int) -> bool:
    """Whether a number may start at ``i``: no digit, nor digit + ``.``/``-``/``/``, before it."""
    return i == 0 or not (text[i - 1] in _DIGITS
                          or (text[i - 1] in ".-/" and i > 1 and text[i - 2] in _DIGITS))


def _word_starts(text: str, i: int) -> bool:
    return i == 0 or not (text[i - 1].isalnum() or text[i - 1] in "_-.")


def _cpr(text: str, m: re.Match[str]) -> tuple[int, int] | None:
    if not _number_starts(text, m.start()):
        return None
    year = cpr_year(int(m["y"]), int(m["n"][0]))
    return m.span() if _valid_date(int(m["d"]), int(m["m"]), year) else None


def _line_before(text: str, start: int, width: int = 40) -> str:
    """Up to ``width`` characters before ``start`` on the same line, placeholders blanked."""
    lo = max(text.rfind("\n", 0, start) + 1, start - width)
    return _patterns()["placeholder"].sub(" ", text[lo:start])


def _reads_as_date(digits: str) -> bool:
    """``23112026`` (DDMMYYYY) or ``20261123`` (YYYYMMDD) with a year in 1900–2099."""
    d, m, y = int(digits[:2]), int(digits[2:4]), int(digits[4:])
    y2, m2, d2 = int(digits[:4]), int(digits[4:6]), int(digits[6:])
    return ((1900 <= y <= 2099 and _valid_date(d, m, y))
            or (1900 <= y2 <= 2099 and _valid_date(d2, m2, y2)))


def _phone(text: str, m: re.Match[str]) -> tuple[int, int] | None:
    p, start = _patterns(), m.start()
    prefixed = m.groupdict().get("prefix") is not None
    if not _number_starts(text, start) or (not prefixed and start and text[start - 1] == "+"):
        return None
    if not m["plain"] and p["group_after"].match(text, m.end()):
        return None  # "2026 3000 0000": the groups go on, so they may be grouped otherwise
    before = _line_before(text, start)
    if p["no_phone_before"].search(before) or p["amount_after"].match(text, m.end()):
        return None
    last = m[0][-9:]
    four_four = last[4] in " \t\u00a0\u202f"
    if not prefixed and not p["phone_word"].search(before) and (
            (m["plain"] and _reads_as_date(m[0]))
            or (four_four and _is_year(last[:4])
                and (_is_year(last[5:]) or p["town_after"].match(text, m.end())))):
        return None  # a date, two years ("2025 2026"), a year and a postcode ("2026 8000 Aarhus")
    return m.span()


def _is_year(digits: str) -> bool:
    return digits.isdigit() and 1900 <= int(digits) <= 2099


def _address(text: str, m: re.Match[str]) -> tuple[int, int] | None:
    words = m["street"].split()
    start, end = m.span()
    if not _word_starts(text, start):
        return None
    while len(words) > 1 and words[0] in _NOT_STREET:  # "Fra Vestergade 12" → the street
        start = text.index(words[1], start + len(words[0]))
        words = words[1:]
    if words[0] in _NOT_STREET:
        return None
    last = words[-1].lower()
    typical = (last in _SEPARATE_ENDINGS and len(words) > 1) or any(
        last.endswith(e) and len(last) > len(e) for e in _STREET_ENDINGS)
    if not (typical or (m["zip"] and m["comma"])):
        return None
    if text[end - 1] == "." and _sentence_ends(text, end):
        end -= 1  # "… 2. tv." ends the sentence too: leave the full stop outside
    return start, end


def _sentence_ends(text: str, i: int) -> bool:
    """Whether a sentence ends before ``i``: end of text or line, or space + capital."""
    rest = text[i:i + 3].lstrip(" \t\u00a0")
    return not rest or rest[0] in "\r\n" or (rest[0].isupper() and rest != text[i:i + 3])


def _emails(text: str) -> list[tuple[int, int]]:
    """E-mail addresses, matched from the start of the word around each ``@``."""
    pattern, spans, pos = _patterns()["email"], [], 0
    while (at := text.find("@", pos)) >= 0:
        lo = at
        while lo > 0 and (text[lo - 1].isalnum() or text[lo - 1] in "_.+-"):
            lo -= 1
        m = pattern.match(text, lo)
        if m is not None and m.end() > at:
            spans.append(m.span())
        pos = max(at + 1, m.end() if m is not None else 0)
    return spans


@cache
def _rules() -> list[tuple[str, str, Callable[[str], list[tuple[int, int]]]]]:
    """(kind, characters one of which a text needs, finder) for the fixed kinds."""
    p = _patterns()
    return [("cpr", _DIGITS, lambda t: _search(p["cpr"], t, _cpr)),
            ("telefon", "23456789", lambda t: _search(p["telefon"], t, _phone)),
            ("telefon", "4", lambda t: _search(p["telefon45"], t, _phone)),
            ("email", "@", _emails),
            ("adresse", "123456789", lambda t: _search(p["adresse"], t, _address))]


@lru_cache(maxsize=32)
def _names_pattern(names: tuple[str, ...]) -> re.Pattern[str] | None:
    """One pattern for the known names: full names and their parts of ≥ 3 letters."""
    variants: set[str] = set()
    for name in names:
        words = name.split()
        if sum(c.isalpha() for c in name) >= 2:
            variants.add(" ".join(words))
        for part in words:
            if sum(c.isalpha() for c in part) >= 3:
                variants.add(part)
    if not variants:
        return None

    def first(variant: str) -> set[str]:
        c = variant[0]
        word = variant.lower() in _WORD_NAMES and c.isalpha()
        return {x for x in ({c.upper()} if word else {c, c.lower(), c.upper()}) if len(x) == 1}

    def alternative(variant: str) -> str:  # the first character is matched before it
        rest = f"{_SP}+".join(re.escape(w) for w in variant[1:].split(" "))
        return f"(?<=[{''.join(map(re.escape, sorted(first(variant))))}])(?i:{rest})"

    ordered = sorted(variants, key=lambda v: (-len(v), v))
    starts = "".join(map(re.escape, sorted(set().union(*map(first, ordered)))))
    return re.compile(rf"[{starts}](?<!\w.)(?:" + "|".join(map(alternative, ordered))
                      + r")(?i:['’]?s|['’])?(?!\w)")


def _names_key(names: Iterable[str]) -> tuple[str, ...]:
    if isinstance(names, str):
        names = (names,)
    return tuple(sorted({" ".join(str(n).split()) for n in names} - {""}))


# --- finding and replacing ----------------------------------------------------------------

def _search(pattern: re.Pattern[str], text: str,
            rule: Callable[[str, re.Match[str]], tuple[int, int] | None]
            ) -> list[tuple[int, int]]:
    """Spans the rule accepts; after a rejected match the search goes on one character
    further, so a rejected candidate never hides a valid one that overlaps it."""
    spans = []
    pos = 0
    while (m := pattern.search(text, pos)) is not None:
        span = rule(text, m)
        if span is not None and span[0] < span[1]:
            spans.append(span)
            pos = m.end()
        else:
            pos = m.start() + 1
    return spans


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

    A ``pick`` field and a per-item field's items are copies of an earlier list and are
    reported there.
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

    Picks and per-item keys that copy an anonymised list item follow it, so they still
    match their source; entries whose items become the same are joined. Other answers
    (dates, numbers, choices, keys the template does not know) are kept as they are.
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
            entries: dict[Any, Any] = {}
            for item, entry in value.items():
                item, entry = mapping.get(item, item), clean(entry_kind, entry)
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
