"""The patterns and per-kind rules behind :mod:`nysoc_widgets.privacy`.

``privacy`` holds the public API (``find``, ``anonymise`` …) and says, in its module
docstring and in ``docs/privacy.md``, what is found and what is not. This module holds how:
the regular expressions, the checks a match must pass to count (a CPR date that exists, no
phone number after "CVR-nr.", a street that ends like a street …) and the pattern for the
names a workspace knows. Kept apart so that the API reads in one screen and the rules can
be changed (and benchmarked with ``benchmarks/privacy_bench.py``) in one place.

No work at import time: the patterns are compiled on first use (``_patterns``, ``_rules``,
``_names_pattern`` are cached), and a test checks that importing compiles nothing.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Iterable
from functools import cache, lru_cache

#: What ``privacy`` uses; the rest are the rules' own helpers.
__all__ = ["cpr_year", "_names_key", "_names_pattern", "_patterns", "_rules"]


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


# --- searching ----------------------------------------------------------------------------

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
