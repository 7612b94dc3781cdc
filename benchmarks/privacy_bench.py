"""How well and how fast ``nysoc_widgets.privacy`` finds citizens' personal data.

    python benchmarks/privacy_bench.py [--quick] [--n 10000] [--mb 5] [--seed 1]

* **CPR recall**: ``--n`` valid CPR numbers (random dates 1858–2057 with a 7th digit that
  fits the century, serials drawn at random so that most fail modulus 11) in 11 formats,
  each inside a random Danish sentence. A hit is a ``cpr`` finding with exactly the span
  that was put in. Goal: 100 %.
* **False positives**: ``--n`` sentences holding one look-alike that is *not* personal data
  (dates, times, amounts, case/journal numbers, law references, CVR numbers, years,
  percentages, a postal code and town alone, CPR-like numbers whose date does not exist,
  account numbers of 6–9 digits, numbers inside longer digit runs, @ that is no e-mail,
  capitalised words with a number). A false positive is a sentence with any finding.
  Goal: ≤ 0.5 %. Random 10-digit numbers are reported on their own row: by design, one
  whose first six digits are a valid date *is* reported as a CPR number (see docs/privacy.md).
* **Phone, e-mail, address and name** recall and false positives on generated samples.
* **Throughput**: ``privacy.find`` against one plain ``re`` CPR pattern over the same
  ``--mb`` MB of Danish text with a finding every ~2 KB, as one text and as 2 KB texts
  (the size of a form answer).

``run(...)`` returns the figures as a dict, so the tests can run it with small sizes.
"""

from __future__ import annotations

import argparse
import calendar
import datetime as dt
import random
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

sys.path.insert(0, str(Path(__file__).resolve().parent))

from measure import Figure, alternating, growth  # noqa: E402

from nysoc_widgets import privacy  # noqa: E402

# --- Danish sentences ---------------------------------------------------------------------

SENTENCES = (
    "Borgerens CPR-nummer er {}.", "CPR: {}", "cpr.nr.:{}", "({})", "{}",
    "Moren oplyste sit personnummer, {}, ved mødet.", "Barnets cpr er {} ifølge skolen.",
    "{} er det nummer, der står i ansøgningen.", "Jeg noterede \u00ab{}\u00bb i journalen.",
    "Hun sagde: \u201d{}\u201d og gik.", "Se venligst {}; det skal rettes.",
    "Faren har nummeret {}!", "Er det {}?", "Sønnen (født {}) bor hjemme.",
    "Oplysninger: {}, ingen andre.", "\t{}\t", "Nummeret {}\nstod på brevet.",
)
FILLER = ("i dag talte jeg med borgeren om hendes situation og vi aftalte at hun "
          "skulle kontakte jobcentret før næste møde min mentor foreslog at jeg læste "
          "servicelovens § 52 igen og vi talte om hvordan man rummer en vred forælder "
          "uden at tage det personligt mødet varede 45 minutter og blev holdt kl. 14.30 "
          "ydelsen er 12.500 kr. om måneden sagen har j.nr. 2023-004567 og vi ses "
          "igen d. 3/4 kl. 9 Familien har tre børn og bor i en lejlighed i Aarhus").split()


def wrap(rnd: random.Random, inner: str, templates: tuple[str, ...] = SENTENCES) -> tuple[str, int]:
    """``inner`` inside a random sentence; returns the sentence and where ``inner`` starts."""
    template = rnd.choice(templates)
    return template.replace("{}", inner, 1), template.index("{}")


# --- generators ---------------------------------------------------------------------------

_FIRST, _LAST = dt.date(1858, 1, 1).toordinal(), dt.date(2057, 12, 31).toordinal()


def seventh_digits(year: int) -> list[int]:
    """The 7th digits that give ``year`` (written independently of privacy.cpr_year)."""
    if 1858 <= year <= 1899:
        return [5, 6, 7, 8]
    if 1900 <= year <= 1936:
        return [0, 1, 2, 3]
    if 1937 <= year <= 1999:
        return [0, 1, 2, 3, 4, 9]
    if 2000 <= year <= 2036:
        return [4, 5, 6, 7, 8, 9]
    if 2037 <= year <= 2057:
        return [5, 6, 7, 8]
    raise ValueError(year)


def valid_cpr(rnd: random.Random) -> tuple[str, str]:
    """A valid CPR number as (DDMMYY, SSSS)."""
    day = dt.date.fromordinal(rnd.randint(_FIRST, _LAST))
    serial = f"{rnd.choice(seventh_digits(day.year))}{rnd.randint(0, 999):03d}"
    return day.strftime("%d%m") + f"{day.year % 100:02d}", serial


CPR_FORMATS: tuple[Callable[[str, str], str], ...] = (
    lambda d, s: f"{d}-{s}", lambda d, s: f"{d}{s}", lambda d, s: f"{d} {s}",
    lambda d, s: f"{d[:2]}.{d[2:4]}.{d[4:]}-{s}", lambda d, s: f"{d[:2]} {d[2:4]} {d[4:]} {s}",
    lambda d, s: f"{d[:2]}.{d[2:4]}.{d[4:]} {s}", lambda d, s: f"{d[:2]}-{d[2:4]}-{d[4:]}-{s}",
    lambda d, s: f"{d} - {s}", lambda d, s: f"{d}\u2013{s}", lambda d, s: f"{d}\u00a0{s}",
    lambda d, s: f"{d[:2]}.{d[2:4]}.{d[4:]}.{s}",
)


def modulus11_ok(digits: str) -> bool:
    weights = (4, 3, 2, 7, 6, 5, 4, 3, 2, 1)
    return sum(int(c) * w for c, w in zip(digits, weights, strict=True)) % 11 == 0


def invalid_cpr(rnd: random.Random) -> str:
    """A CPR-like number whose date does not exist in its century."""
    yy = rnd.randint(0, 99)
    seventh = rnd.randint(0, 9)
    kind = rnd.randrange(5)
    if kind == 0:
        day, month = rnd.choice([0, 32, 33, 35, 39]), rnd.randint(1, 12)
    elif kind == 1:
        day, month = rnd.randint(1, 28), rnd.choice([0, 13, 14, 19])
    elif kind == 2:
        day, month = rnd.choice([30, 31]), 2
    elif kind == 3:
        day, month = 31, rnd.choice([4, 6, 9, 11])
    else:  # 29 February in a year that is not a leap year in the century of the 7th digit
        day, month = 29, 2
        while calendar.isleap(privacy.cpr_year(yy, seventh)):
            yy, seventh = rnd.randint(0, 99), rnd.randint(0, 9)
    serial = f"{seventh}{rnd.randint(0, 999):03d}"
    return rnd.choice(CPR_FORMATS)(f"{day:02d}{month:02d}{yy:02d}", serial)


def _num(rnd: random.Random, digits: int) -> str:
    return str(rnd.randint(10 ** (digits - 1), 10 ** digits - 1))


def _date(rnd: random.Random) -> dt.date:
    return dt.date.fromordinal(rnd.randint(dt.date(1950, 1, 1).toordinal(),
                                           dt.date(2040, 12, 31).toordinal()))


def _amount(rnd: random.Random) -> str:
    n = rnd.randint(100, 9_999_999)
    dotted = f"{n:,}".replace(",", ".")
    return rnd.choice([f"{dotted} kr.", f"kr. {dotted},{rnd.randint(0, 99):02d}", dotted,
                       f"DKK {dotted}", f"{dotted},00 kr.", f"{n} kr", f"kr. {n}",
                       f"{n},- kr", f"{n} DKK"])


LOOKALIKES: dict[str, Callable[[random.Random], str]] = {
    "dato": lambda r: rnd_date_text(r),
    "klokkeslæt": lambda r: r.choice([
        f"kl. {r.randint(0, 23)}.{r.randint(0, 59):02d}", f"kl. {r.randint(0, 23)}",
        f"{r.randint(0, 23)}:{r.randint(0, 59):02d}",
        f"fra {r.randint(8, 11)}.15 til {r.randint(12, 16)}.45",
        f"kl. {r.randint(8, 11)}.30-{r.randint(12, 16)}.30"]),
    "beløb": _amount,
    "sagsnummer": lambda r: r.choice([
        f"sag nr. {r.randint(0, 99):02d}.{r.randint(0, 99):02d}.{r.randint(0, 99):02d}"
        f"-G01-{r.randint(1, 9)}-{r.randint(10, 26)}",
        f"j.nr. {r.randint(2000, 2030)}-{r.randint(0, 999999):06d}", f"sagsnr. {_num(r, 9)}",
        f"sagsnr. {_num(r, 8)}", f"journalnr. {r.randint(2000, 2030)}/{_num(r, 5)}",
        f"KLE {r.randint(0, 99):02d}.{r.randint(0, 99):02d}.{r.randint(0, 99):02d}",
        f"sag {r.randint(2000, 2030)}-{_num(r, 4)}", f"j.nr.: {_num(r, 8)}"]),
    "lovhenvisning": lambda r: r.choice([
        f"§ {r.randint(1, 200)}", f"servicelovens § {r.randint(1, 200)}, stk. {r.randint(1, 9)}",
        f"LAB § {r.randint(1, 200)}", f"§§ {r.randint(1, 99)}-{r.randint(100, 200)}",
        f"lov nr. {_num(r, 4)} af {r.randint(1, 28)}/{r.randint(1, 12)}/{r.randint(1990, 2030)}",
        f"§ {r.randint(1, 99)}, stk. {r.randint(1, 9)}, nr. {r.randint(1, 9)}",
        f"LBK nr. {_num(r, 4)} af {r.randint(1, 28):02d}/{r.randint(1, 12):02d}/"
        f"{r.randint(1990, 2030)}"]),
    "CVR-nummer": lambda r: r.choice([f"CVR-nr. {_num(r, 8)}", f"CVR {_num(r, 8)}",
                                      f"cvr-nummer: {_num(r, 8)}", "SE-nr. " + _num(r, 8)]),
    "år og procent": lambda r: r.choice([f"i {r.randint(1900, 2100)}", f"{r.randint(0, 100)} %",
                                         f"{r.randint(0, 99)},{r.randint(0, 9)}%",
                                         f"{r.randint(1990, 2030)}-{r.randint(1990, 2030)}"]),
    "postnummer uden gade": lambda r: r.choice([
        "8000 Aarhus C", "2200 København N", "5000 Odense C", "9000 Aalborg", "6700 Esbjerg",
        "2800 Kgs. Lyngby", "7100 Vejle", "4000 Roskilde", "i 8000 Aarhus C"]),
    "CPR-lignende, ugyldig dato": invalid_cpr,
    "kontonummer (6–9 cifre)":
        lambda r: f"reg.nr. {_num(r, 4)} kontonr. {_num(r, r.randint(6, 9))}",
    "tal i længere talrække": lambda r: r.choice([
        f"EAN {_num(r, 13)}", f"IBAN DK{_num(r, 16)}", f"{_num(r, 11)}", f"{_num(r, 12)}",
        f"ordre {_num(r, 14)}"]),
    "@ uden e-mail": lambda r: r.choice(["@aarhuskommune", "skriv @ kontoret", "a@b", "hanne@",
                                         "@@", "mail@localhost"]),
    "ord med tal": lambda r: r.choice(["Trin", "Uge", "Fase", "Bilag", "Side", "Kapitel",
                                       "Punkt", "Mødet", "Stk."]) + f" {r.randint(1, 52)}",
}


MONTHS = ("januar", "februar", "marts", "april", "maj", "juni", "juli", "august",
          "september", "oktober", "november", "december")


def rnd_date_text(r: random.Random) -> str:
    d = _date(r)
    return r.choice([d.strftime("%d-%m-%Y"), d.strftime("%d.%m.%y"), d.isoformat(),
                     f"d. {d.day}/{d.month}", d.strftime("%d/%m/%Y"), d.strftime("%d.%m.%Y"),
                     f"{d.day}. {MONTHS[d.month - 1]} {d.year}", d.strftime("%d%m%Y"),
                     d.strftime("%Y%m%d"), d.strftime("%d-%m-%y"), f"{d.year} {d.year + 1}"])


LOOKALIKE_SENTENCES = (
    "Mødet blev holdt {}.", "Vi talte om {} i dag.", "Det står i {}, mener jeg.",
    "({})", "{}", "Se {} – det er vigtigt.", "Borgeren nævnte {}, men ikke mere.",
    "Notatet henviser til {}.",
)


def phone(rnd: random.Random) -> str:
    n = f"{rnd.randint(2, 9)}{rnd.randint(0, 9_999_999):07d}"
    body = rnd.choice([n, f"{n[:2]} {n[2:4]} {n[4:6]} {n[6:]}", f"{n[:4]} {n[4:]}",
                       f"{n[:3]} {n[3:5]} {n[5:]}", f"{n[:2]}.{n[2:4]}.{n[4:6]}.{n[6:]}",
                       f"{n[:2]}-{n[2:4]}-{n[4:6]}-{n[6:]}"])
    return rnd.choice(["", "", "+45 ", "+45", "0045 ", "(+45) "]) + body


PHONE_SENTENCES = ("Tlf. {}", "Hun kan træffes på {} efter kl. 16.", "Ring på {}.",
                   "Mobil: {}", "Farens nummer er {}.", "({})", "{}", "Sms til {} i morgen.")


def email(rnd: random.Random) -> str:
    first = rnd.choice(["hanne", "søren", "ali", "mette.k", "jens_p", "a.b.c", "info",
                        "x+nysoc"])
    domain = rnd.choice(["aarhus.dk", "mail.tele.dk", "gmail.com", "kommune-x.dk", "blåvand.dk"])
    return f"{first}{rnd.choice(['', str(rnd.randint(1, 99))])}@{domain}"


STREETS_TYPICAL = ("Vestergade", "Peter Bangs Vej", "H.C. Andersens Boulevard", "Gl. Kongevej",
                   "Nørre Allé", "Sankt Annæ Plads", "Åboulevarden", "Søndervænget",
                   "Skt. Knuds Stræde", "Rosenparken", "Amagertorv", "Kongens Have",
                   "Jens Baggesens Vej", "Tagensvej", "Bygaden", "Egebakken", "Nyhavn")
STREETS_OTHER = ("Ved Stranden", "Store Torv", "Kongens Nytorv", "Christianshavns Kanal",
                 "Frederiksberg Runddel", "Strøget")
TOWNS = ("8000 Aarhus C", "2200 København N", "5000 Odense C", "9000 Aalborg", "6700 Esbjerg",
         "2800 Kgs. Lyngby", "6960 Hvide Sande", "4800 Nykøbing F", "1061 København K")
FLOORS = ("", "", ", 2. th.", " st. tv.", ", 1. sal", " 3. mf.", ", st.", " 2.tv")
ADDRESS_SENTENCES = ("Hun bor på {}.", "Adresse: {}", "Familien er flyttet til {} for nylig.",
                     "{}", "Besøget var på {}, og det gik godt.")


def address(rnd: random.Random) -> str:
    number = f"{rnd.randint(1, 250)}{rnd.choice(['', '', 'B', 'a', ' A'])}{rnd.choice(FLOORS)}"
    if rnd.random() < 0.25:
        return f"{rnd.choice(STREETS_OTHER)} {number}, {rnd.choice(TOWNS)}"
    tail = rnd.choice(["", f", {rnd.choice(TOWNS)}", f" {rnd.choice(TOWNS)}"])
    return f"{rnd.choice(STREETS_TYPICAL)} {number}{tail}"


NAMES = ("Hanne Jensen", "Bo Hansen", "Ali Hassan", "Anne-Marie Sørensen", "Hans Lund")
NAME_SENTENCES = ("Jeg talte med {} i dag.", "{} var vred.", "Det var {} bil.",
                  "Moren ({}) kom for sent.", "\u201d{}\u201d, sagde hun.")
NAME_FORMS = ("Hanne Jensen", "Hanne", "Jensen", "Hanne Jensens", "HANNE", "jensen",
              "Bo Hansen", "Hansens", "Ali Hassan", "Hassan", "Anne-Marie Sørensen",
              "Anne-Marie", "Sørensen", "Hans Lund", "Hans", "Lund", "Alis", "Hans'")
NOT_NAMES = ("Jensenius", "Hansenberg", "Alibaba", "hans bil", "at bo hjemme", "en lund",
             "Hannelore", "Marienlyst", "Jens", "Anne", "Marie", "hassanøs")


# --- measuring ----------------------------------------------------------------------------

@dataclass
class Rate:
    """``hits`` of ``total``; ``notable`` keeps a few samples that were not ``expected``
    (misses of a recall, hits of a false-positive count)."""

    expected: bool = True
    hits: int = 0
    total: int = 0
    notable: list[str] = field(default_factory=list)

    def add(self, hit: bool, sample: str) -> None:
        self.total += 1
        self.hits += hit
        if hit != self.expected and len(self.notable) < 5:
            self.notable.append(sample)

    @property
    def percent(self) -> float:
        return 100.0 * self.hits / self.total if self.total else 0.0


def recall(rnd: random.Random, n: int, make: Callable[[random.Random], str], kind: str,
           templates: tuple[str, ...], names: tuple[str, ...] = ()) -> Rate:
    """Share of generated samples found as ``kind`` with exactly their span (an address's
    closing full stop may fall either side: ``…, st.`` at the end of a sentence)."""
    rate = Rate()
    for _ in range(n):
        inner = make(rnd)
        text, at = wrap(rnd, inner, templates)
        found = privacy.find(text, names)
        rate.add(any(f.kind == kind and f.start == at and f.text.rstrip(".") == inner.rstrip(".")
                     for f in found), text)
    return rate


def false_positives(rnd: random.Random, n: int, makers: dict[str, Callable[[random.Random], str]],
                    templates: tuple[str, ...], names: tuple[str, ...] = ()
                    ) -> tuple[Rate, dict[str, Rate], Counter[str]]:
    """Sentences with any finding, over all makers and per maker; kinds found."""
    total, per, kinds = Rate(False), {name: Rate(False) for name in makers}, Counter[str]()
    names_list = list(makers)
    for i in range(n):
        name = names_list[i % len(names_list)]
        text, _ = wrap(rnd, makers[name](rnd), templates)
        found = privacy.find(text, names)
        kinds.update(f.kind for f in found)
        total.add(bool(found), text)
        per[name].add(bool(found), text)
    return total, per, kinds


def danish_text(rnd: random.Random, size: int) -> str:
    """About ``size`` characters of Danish prose with one finding every ~2 KB."""
    parts, length, next_pd = [], 0, 2000
    while length < size:
        sentence = " ".join(rnd.choice(FILLER) for _ in range(rnd.randint(6, 18))) + ". "
        if length >= next_pd:
            sentence += rnd.choice([
                lambda: "CPR " + CPR_FORMATS[0](*valid_cpr(rnd)), lambda: "Tlf. " + phone(rnd),
                lambda: "Mail " + email(rnd), lambda: "Hun bor på " + address(rnd),
                lambda: "Hanne Jensen sagde nej"])() + ". "
            next_pd += 2000
        if rnd.random() < 0.1:
            sentence += "\n"
        parts.append(sentence)
        length += len(sentence)
    return "".join(parts)


def throughput(rnd: random.Random, mb: float, runs: int = 3) -> dict[str, float]:
    text = danish_text(rnd, int(mb * 1_000_000))
    size = len(text.encode("utf-8")) / 1_000_000
    plain = re.compile(r"(?<![0-9])[0-9]{6}-?[0-9]{4}(?![0-9])")
    chunks = [text[i:i + 2000] for i in range(0, len(text), 2000)]

    def best(action: Callable[[], object]) -> float:
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            action()
            times.append(time.perf_counter() - start)
        return min(times)

    return {
        "mb": size,
        "plain_re": size / best(lambda: list(plain.finditer(text))),
        "find": size / best(lambda: privacy.find(text)),
        "find_names": size / best(lambda: privacy.find(text, NAMES)),
        "find_chunks": size / best(lambda: [privacy.find(c, NAMES) for c in chunks]),
        "findings_per_mb": len(privacy.find(text, NAMES)) / size,
    }


def figures(quick: bool = False) -> list[Figure]:
    """The detector's throughput against one plain ``re`` CPR pattern over the same Danish
    text (reported, with MB/s), at 1 MB (quick: 0.1 MB), growing from 0.1 to 10 MB."""
    rnd = random.Random(1)
    sizes = (0.01, 0.1, 1.0) if quick else (0.1, 1.0, 10.0)
    middle: tuple[list[float], list[float], float] | None = None
    medians = []
    for mb in sizes:
        text = danish_text(rnd, int(mb * 1_000_000))
        size = len(text.encode("utf-8")) / 1_000_000
        plain = re.compile(r"(?<![0-9])[0-9]{6}-?[0-9]{4}(?![0-9])")
        times = alternating({"find": lambda t=text: privacy.find(t, NAMES),  # type: ignore[misc]
                             "re": lambda t=text, p=plain: list(p.finditer(t))},  # type: ignore[misc]
                            3 if mb >= 10 else 5)
        medians.append(statistics.median(times["find"]))
        if mb == sizes[1]:
            middle = (times["find"], times["re"], size)
    assert middle is not None
    ours, base, size = middle
    rate = (f"= {size / statistics.median(ours):.1f} MB/s "
            f"(re: {size / statistics.median(base):.0f} MB/s)")
    return [Figure(f"find personal data in {size:.1f} MB of Danish text (5 names known)",
                   "plain `re`, one CPR pattern", ours, base, note=rate,
                   growth=growth(sizes, medians, " MB"))]


def run(n: int = 10_000, n_other: int = 2_000, mb: float = 5.0, seed: int = 1
        ) -> dict[str, Any]:
    """All figures (see the module docs) as a dict of ``Rate``s and numbers."""
    rnd = random.Random(seed)
    cpr_samples: list[str] = []

    def cpr(r: random.Random) -> str:
        sample = r.choice(CPR_FORMATS)(*valid_cpr(r))
        cpr_samples.append(re.sub(r"[^0-9]", "", sample))
        return sample

    out: dict[str, Any] = {"cpr_recall": recall(rnd, n, cpr, "cpr", SENTENCES)}
    out["cpr_mod11_failing"] = sum(not modulus11_ok(s) for s in cpr_samples)
    fp, per, kinds = false_positives(rnd, n, LOOKALIKES, LOOKALIKE_SENTENCES)
    out.update(fp=fp, fp_per_kind=per, fp_kinds=kinds)
    ten = Rate(False)
    for _ in range(n_other):
        text, _ = wrap(rnd, _num(rnd, 10), LOOKALIKE_SENTENCES)
        ten.add(bool(privacy.find(text)), text)
    out["ten_digits"] = ten
    out["phone_recall"] = recall(rnd, n_other, phone, "telefon", PHONE_SENTENCES)
    out["email_recall"] = recall(rnd, n_other, email, "email", SENTENCES)
    out["address_recall"] = recall(rnd, n_other, address, "adresse", ADDRESS_SENTENCES)
    out["name_recall"] = recall(rnd, n_other, lambda r: r.choice(NAME_FORMS), "navn",
                                NAME_SENTENCES, NAMES)
    words: dict[str, Callable[[random.Random], str]] = {
        w: (lambda r, w=w: w) for w in NOT_NAMES}  # type: ignore[misc]
    out["name_fp"] = false_positives(rnd, n_other, words, NAME_SENTENCES, NAMES)[0]
    if mb:
        out["throughput"] = throughput(rnd, mb)
    return out


def table(results: dict[str, Any]) -> str:
    def rate(name: str, r: Rate, goal: str) -> str:
        return f"| {name} | {r.hits:,} / {r.total:,} | {r.percent:.2f} % | {goal} |"

    rows = ["| figure | count | rate | goal |", "| --- | --- | --- | --- |"]
    rows.append(rate("CPR recall (valid dates 1858–2057, 11 formats)", results["cpr_recall"],
                     "100 %"))
    rows.append(f"| … of which fail modulus 11 | {results['cpr_mod11_failing']:,} | | |")
    rows.append(rate("false positives on look-alikes (any finding)", results["fp"], "≤ 0.5 %"))
    for name, r in results["fp_per_kind"].items():
        rows.append(rate(f"… {name}", r, "≤ 0.5 %"))
    rows.append(rate("random 10-digit numbers reported as CPR (by design when the date is valid)",
                     results["ten_digits"], "report"))
    for key, name in (("phone_recall", "phone recall"), ("email_recall", "e-mail recall"),
                      ("address_recall", "address recall"), ("name_recall", "name recall"),
                      ("name_fp", "name false positives (look-alike words)")):
        rows.append(rate(name, results[key], "report"))
    if "throughput" in results:
        t = results["throughput"]
        rows += ["", f"Throughput over {t['mb']:.1f} MB of Danish text "
                 f"({t['findings_per_mb']:.0f} findings per MB):", "",
                 "| scan | MB/s |", "| --- | --- |",
                 f"| plain `re` for one CPR pattern | {t['plain_re']:.1f} |",
                 f"| `privacy.find` (no names) | {t['find']:.1f} |",
                 f"| `privacy.find` with 5 names | {t['find_names']:.1f} |",
                 f"| `privacy.find` with 5 names, 2 KB texts | {t['find_chunks']:.1f} |"]
    notable = [(k, v) for k, v in results.items() if isinstance(v, Rate) and v.notable]
    notable += [(f"fp {k}", v) for k, v in results["fp_per_kind"].items()
                if v.notable]
    if notable:
        rows += ["", "Examples (misses of a recall row, hits of a false-positive row):"]
        rows += [f"- {k}: {v.notable[:3]!r}" for k, v in notable]
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=10_000, help="CPR and look-alike samples")
    parser.add_argument("--other", type=int, default=2_000, help="samples of the other kinds")
    parser.add_argument("--mb", type=float, default=5.0, help="MB of text for throughput")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--quick", action="store_true", help="1,000 samples, 1 MB")
    args = parser.parse_args(argv)
    if args.quick:
        args.n, args.other, args.mb = 1_000, 300, 1.0
    print(table(run(args.n, args.other, args.mb, args.seed)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
