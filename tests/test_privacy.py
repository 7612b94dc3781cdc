"""The personal-data detector: what it finds and what it leaves, anonymising, form answers,
properties (hypothesis), the benchmark at small sizes, and ``nysoc scan``."""

from __future__ import annotations

import copy
import datetime as dt
import importlib.util
import io
import json
import re
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from nysoc_widgets import cli, privacy
from nysoc_widgets.catalogue import Catalogue
from nysoc_widgets.privacy import Finding, anonymise, find
from nysoc_widgets.records import clean_answers

ROOT = Path(__file__).resolve().parent.parent
NAMES = ("Hanne Jensen", "Bo Hansen", "Ali Hassan", "Anne-Marie Sørensen", "Hans Lund")


def kinds(text: str, names: Iterable[str] = ()) -> list[tuple[str, str]]:
    return [(f.kind, f.text) for f in find(text, names)]


# --- what is found --------------------------------------------------------------------------

FOUND = [
    # CPR numbers
    ("cpr-dash", "Borgerens CPR-nummer er 010203-1234.", "cpr", "010203-1234"),
    ("cpr-plain", "cpr 0102031234 i brevet", "cpr", "0102031234"),
    ("cpr-space", "CPR: 010203 1234", "cpr", "010203 1234"),
    ("cpr-dots", "født 01.02.03-1234", "cpr", "01.02.03-1234"),
    ("cpr-spaces", "(01 02 03 1234)", "cpr", "01 02 03 1234"),
    ("cpr-spaced-dash", "nr. 010203 - 1234 er oplyst", "cpr", "010203 - 1234"),
    ("cpr-en-dash", "010203\u20131234", "cpr", "010203\u20131234"),
    ("cpr-no-space-after-colon", "cpr.nr.:010203-1234", "cpr", "010203-1234"),
    ("cpr-fails-modulus-11", "111111-1111 er gyldig uden modulus 11", "cpr", "111111-1111"),
    ("cpr-leap-day-2000", "290200-4234", "cpr", "290200-4234"),  # 7th digit 4, YY ≤ 36
    ("cpr-leap-day-1904", "290204-1234", "cpr", "290204-1234"),
    ("cpr-1800s", "010158-5234", "cpr", "010158-5234"),  # 5–8 and YY ≥ 58: 1858
    ("cpr-2057", "311257-8234", "cpr", "311257-8234"),
    ("cpr-account-with-valid-date", "kontonr. 0102031234", "cpr", "0102031234"),
    # phone numbers
    ("phone-pairs", "Ring på 20 30 40 50.", "telefon", "20 30 40 50"),
    ("phone-plain", "tlf 20304050", "telefon", "20304050"),
    ("phone-4-4", "mobil 2030 4050", "telefon", "2030 4050"),
    ("phone-3-2-3", "nummeret 203 04 050", "telefon", "203 04 050"),
    ("phone-dots", "20.30.40.50", "telefon", "20.30.40.50"),
    ("phone-dashes", "20-30-40-50", "telefon", "20-30-40-50"),
    ("phone-plus45", "+45 20 30 40 50", "telefon", "+45 20 30 40 50"),
    ("phone-plus45-tight", "+4520304050", "telefon", "+4520304050"),
    ("phone-0045", "0045 20304050", "telefon", "0045 20304050"),
    ("phone-paren-45", "(+45) 2030 4050", "telefon", "(+45) 2030 4050"),
    ("phone-date-like-after-tlf", "tlf. 20112026", "telefon", "20112026"),
    ("phone-date-like-with-45", "+45 20112026", "telefon", "+45 20112026"),
    ("phone-groups-go-on", "(50 20 30 40 50)", "telefon", "20 30 40 50"),  # the last eight
    # e-mail
    ("email", "Skriv til hanne.jensen@aarhus.dk.", "email", "hanne.jensen@aarhus.dk"),
    ("email-plus-digits", "(x+nysoc42@mail.tele.dk)", "email", "x+nysoc42@mail.tele.dk"),
    ("email-danish-letters", "søren@blåvand.dk", "email", "søren@blåvand.dk"),
    # addresses
    ("address-full", "Hun bor på Vestergade 12, 2. th., 8000 Aarhus C i dag.", "adresse",
     "Vestergade 12, 2. th., 8000 Aarhus C"),
    ("address-street-only", "Fra Vestergade 12 gik vi", "adresse", "Vestergade 12"),
    ("address-multiword", "Peter Bangs Vej 3 st. tv. for nylig", "adresse",
     "Peter Bangs Vej 3 st. tv."),
    ("address-abbreviations", "H.C. Andersens Boulevard 27, 1553 København V", "adresse",
     "H.C. Andersens Boulevard 27, 1553 København V"),
    ("address-letter", "Egebakken 12B, 1. sal", "adresse", "Egebakken 12B, 1. sal"),
    ("address-range", "Vestergade 12-14, 8000 Aarhus C", "adresse",
     "Vestergade 12-14, 8000 Aarhus C"),
    ("address-no-typical-ending-with-postcode", "Ved Stranden 10, 1061 København K", "adresse",
     "Ved Stranden 10, 1061 København K"),
    ("address-kgs-lyngby", "Nørre Allé 3 3. mf., 2800 Kgs. Lyngby", "adresse",
     "Nørre Allé 3 3. mf., 2800 Kgs. Lyngby"),
    ("address-lowercase-vej", "på Peter Bangs vej 3", "adresse", "Peter Bangs vej 3"),
    ("address-unusual-street-with-comma-postcode", "Skovbrynet 5, 8000 Aarhus C", "adresse",
     "Skovbrynet 5, 8000 Aarhus C"),
    ("address-of-an-office-too", "Jobcentret, Værkmestergade 15B, 8000 Aarhus C", "adresse",
     "Værkmestergade 15B, 8000 Aarhus C"),
    ("address-full-stop-stays-outside", "Hun bor på Egebakken 2, st.", "adresse",
     "Egebakken 2, st"),
    # names the workspace knows
    ("name-full", "Jeg talte med Hanne Jensen i dag.", "navn", "Hanne Jensen"),
    ("name-possessive", "Det var Hanne Jensens bil.", "navn", "Hanne Jensens"),
    ("name-first-part", "Hanne var vred.", "navn", "Hanne"),
    ("name-last-part-lowercase", "fru jensen kom", "navn", "jensen"),
    ("name-upper-case", "HASSAN sagde nej", "navn", "HASSAN"),
    ("name-hyphenated", "Anne-Marie ringede", "navn", "Anne-Marie"),
    ("name-everyday-word-capitalised", "Hans kom for sent.", "navn", "Hans"),
    ("name-apostrophe-possessive", "Hans' mor", "navn", "Hans'"),
]


@pytest.mark.parametrize(("text", "kind", "expected"), [f[1:] for f in FOUND],
                         ids=[f[0] for f in FOUND])
def test_found(text: str, kind: str, expected: str) -> None:
    assert kinds(text, NAMES) == [(kind, expected)]


NOT_FOUND = [
    ("date-dashes", "Mødet var 23-11-2026."), ("date-dots-short", "d. 23.11.26"),
    ("date-iso", "2026-11-23"), ("date-slash", "d. 3/4"), ("date-words", "23. november 2026"),
    ("date-compact-ddmmyyyy", "23112026"), ("date-compact-yyyymmdd", "20261123"),
    ("time", "kl. 14.30"), ("time-range", "kl. 14.30-15.30"), ("time-colon", "14:30"),
    ("amount", "12.500 kr."), ("amount-decimals", "kr. 3.400,50"), ("amount-plain", "1.234.567"),
    ("amount-8-digits", "23456789 kr"), ("amount-8-digits-before", "kr. 23456789"),
    ("case-kle", "sag nr. 27.12.08-G01-2-23"), ("case-jnr", "j.nr. 2023-004567"),
    ("case-9-digits", "sagsnr. 123456789"), ("case-8-digits", "sagsnr. 23456789"),
    ("case-year-serial", "sag 2024-1234"), ("case-slash", "journalnr. 2023/12345"),
    ("law", "§ 50"), ("law-stk", "servicelovens § 52, stk. 3"), ("law-lab", "LAB § 42"),
    ("law-number", "lov nr. 1234 af 12/12/2023"),
    ("cvr", "CVR-nr. 12345678"), ("cvr-grouped", "CVR 23 45 67 89"), ("se-nr", "SE-nr. 23456789"),
    ("year", "i 2026"), ("percent", "45 %"), ("percent-decimal", "12,5%"),
    ("postcode-alone", "8000 Aarhus C"), ("postcode-in-sentence", "Hun bor i 2200 København N."),
    ("cpr-day-32", "320199-1234"), ("cpr-month-13", "011399-1234"),
    ("cpr-feb-29-1900", "290200-1234"),  # 7th digit 1 → 1900, not a leap year
    ("cpr-feb-29-1858", "290258-5234"),  # 5–8 with YY 58 → 1858
    ("cpr-in-longer-run", "EAN 5701020312345"), ("cpr-after-digit-dot", "1.010203-1234"),
    ("cpr-followed-by-dash-digit", "27.12.08-1234-23"),
    ("account-invalid-date", "kontonr. 3456789012"), ("phone-starts-with-1", "12 34 56 78"),
    ("phone-in-longer-run", "IBAN DK5000400440116243"), ("at-no-email", "@aarhuskommune"),
    ("email-no-tld", "mail@localhost"), ("word-with-number", "Trin 3 og Bilag 4"),
    ("word-with-number-and-postcode", "Bilag 3, 8000 Aarhus"),
    ("week-and-year", "Uge 47, 2026 Mødet"), ("week-numbers", "i uge 45 46 47 48"),
    ("reference", "ref. 2024 1234"), ("two-years", "i årene 2025 2026"),
    ("year-and-postcode", "i 2026 8000 Aarhus C"), ("law-then-number", "§ 50 20 30 40"),
    ("street-without-number", "Vestergade er lang"), ("unknown-name", "Hanne Jensen kom"),
    ("name-everyday-word-lowercase", "at bo hjemme hos hans mor"),
    ("name-inside-word", "Jensenius og Hannelore"),
    ("placeholders", "[CPR] [TELEFON] [E-MAIL] [ADRESSE] [NAVN]"),
]


@pytest.mark.parametrize("text", [f[1] for f in NOT_FOUND], ids=[f[0] for f in NOT_FOUND])
def test_not_found(text: str) -> None:
    names = () if text == "Hanne Jensen kom" else ("Bo Hansen", "Hans Lund", "Hanne Jensen",
                                                   "Navn")
    assert kinds(text, names) == []


def test_finds_each_kind_in_one_text_in_order() -> None:
    text = ("Hanne Jensen (010203-1234) bor på Vestergade 12, 8000 Aarhus C, tlf. 20 30 40 50, "
            "hanne@mail.dk. Mødet d. 23-11-2026 kl. 14.30 efter § 50.")
    found = find(text, ["Hanne Jensen"])
    assert [f.kind for f in found] == ["navn", "cpr", "adresse", "telefon", "email"]
    assert all(text[f.start:f.end] == f.text for f in found)


@pytest.mark.parametrize(("text", "expected"), [
    ("H.C. Andersens Boulevard 12 03 45 6789", [("cpr", "12 03 45 6789")]),
    ("010100 4000 2026", [("cpr", "010100 4000")]),  # not the phone number "4000 2026"
    ("0102031234@mail.dk", [("email", "0102031234@mail.dk")]),
    ("Hanne Jensens Vej 3", [("adresse", "Hanne Jensens Vej 3")]),
    ("Vestergade 20 30 40 50", [("telefon", "20 30 40 50")]),
], ids=["cpr-over-address", "cpr-over-phone", "email-over-cpr", "address-over-name",
        "phone-over-address"])
def test_the_most_specific_of_overlapping_findings_wins(text: str,
                                                        expected: list[tuple[str, str]]) -> None:
    assert kinds(text, ["Hanne Jensen"]) == expected


def test_names_may_be_a_single_string() -> None:
    assert kinds("Hanne og Jensen", "Hanne Jensen") == [("navn", "Hanne"), ("navn", "Jensen")]


def test_find_needs_text() -> None:
    with pytest.raises(TypeError, match="find\\(\\) needs a str, not bytes"):
        find(b"010203-1234")  # type: ignore[arg-type]


@pytest.mark.parametrize(("kind", "word"), [("cpr", "CPR-nummer"), ("telefon", "telefonnummer"),
                                            ("email", "e-mailadresse"), ("adresse", "adresse"),
                                            ("navn", "navn")])
def test_describe_in_danish(kind: str, word: str) -> None:
    assert privacy.describe(kind) == word


def test_describe_unknown_kind() -> None:
    with pytest.raises(KeyError, match="unknown kind 'cvr'; known: cpr, telefon, email"):
        privacy.describe("cvr")


def test_kinds_and_placeholders_agree() -> None:
    assert tuple(privacy.PLACEHOLDERS) == privacy.KINDS
    assert privacy.PLACEHOLDERS["email"] == "[E-MAIL]"


def test_no_patterns_are_compiled_at_import() -> None:
    code = ("import nysoc_widgets.privacy as p; "
            "print(p._patterns.cache_info().currsize, p._names_pattern.cache_info().currsize)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=ROOT, check=True).stdout
    assert out.split() == ["0", "0"]


# --- anonymise ------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("Hanne Jensens CPR er 010203-1234, tlf. +45 20 30 40 50.",
     "[NAVN] CPR er [CPR], tlf. [TELEFON]."),
    ("Hun bor på Vestergade 12, 2. th., 8000 Aarhus C. Mail: hanne@mail.dk\nNæste linje.",
     "Hun bor på [ADRESSE]. Mail: [E-MAIL]\nNæste linje."),
    ("  Intet   her, d. 23-11-2026 kl. 14.30 (§ 50).\t",
     "  Intet   her, d. 23-11-2026 kl. 14.30 (§ 50).\t"),
    ("Konto 20304050", "[NAVN] [TELEFON]"),  # the name hid the number's "konto"
], ids=["name-cpr-phone", "address-email-lines", "nothing-kept-byte-for-byte", "until-stable"])
def test_anonymise(text: str, expected: str) -> None:
    assert anonymise(text, ["Hanne Jensen", "Konto"]) == expected


# --- form answers ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return Catalogue.load()


def test_find_in_answers_procesjournal(catalogue: Catalogue) -> None:
    template = catalogue.get("procesjournal")
    values = {
        "dato": "2026-11-23",
        "borgerens_forhold": "Kvinde, 34 år. CPR 010203-1234, bor på Vestergade 12, 8000 Aarhus C.",
        "problemstilling": "Huslejerestance på 12.500 kr., sag nr. 27.12.08-G01-2-23, § 50.",
        "referat": "Hanne Jensen ringede kl. 14.30 fra 20 30 40 50.",
        "citater": ["Jeg hedder Hanne", "Det går fint", "Skriv til hanne@mail.dk"],
        "tanker_og_foelelser": "",
    }
    found = privacy.find_in_answers(template, values, ["Hanne Jensen"])
    assert {k: [(f.kind, f.text) for f in v] for k, v in found.items()} == {
        "borgerens_forhold": [("cpr", "010203-1234"),
                              ("adresse", "Vestergade 12, 8000 Aarhus C")],
        "referat": [("navn", "Hanne Jensen"), ("telefon", "20 30 40 50")],
        "citater": [("navn", "Hanne"), ("email", "hanne@mail.dk")],
    }
    for field_id, findings in found.items():
        text = privacy.answer_text(template.field(field_id), values[field_id])
        assert [text[f.start:f.end] for f in findings] == [f.text for f in findings]
    assert privacy.answer_text(template.field("citater"), values["citater"]).count("\n") == 2

    clean = privacy.anonymise_answers(template, values, ["Hanne Jensen"])
    assert clean["dato"] == "2026-11-23" and clean["problemstilling"] == values["problemstilling"]
    assert clean["citater"] == ["Jeg hedder [NAVN]", "Det går fint", "Skriv til [E-MAIL]"]
    assert clean["referat"] == "[NAVN] ringede kl. 14.30 fra [TELEFON]."
    assert privacy.find_in_answers(template, clean, ["Hanne Jensen"]) == {}


def test_find_in_answers_sagsanalyse_picks_and_entries_follow(catalogue: Catalogue) -> None:
    template = catalogue.get("sagsanalyse")
    action = "Støt Hanne i kontakten med udlejer"
    values: dict[str, Any] = {
        "episode": "Samtale med Hanne om bolig",
        "fakta": ["Bor på Egebakken 4", "To børn"],
        "hypoteser": ["Hanne er presset", "Økonomien er stram"],
        "sandsynlige": ["Hanne er presset"],
        "handleretninger": [action, "Ring til Ali", "Ring til Bo"],
        "tiltag": {action: ["Ring på 20 30 40 50"], "Ring til Ali": ["i morgen"],
                   "Ring til Bo": ["i dag"]},
    }
    before = copy.deepcopy(values)
    names = ["Hanne Jensen", "Ali Hassan", "Bo"]
    found = privacy.find_in_answers(template, values, names)
    assert sorted(found) == ["episode", "fakta", "handleretninger", "hypoteser", "tiltag"]
    assert [(f.kind, f.text) for f in found["tiltag"]] == [("telefon", "20 30 40 50")]

    clean = privacy.anonymise_answers(template, values, names)
    assert values == before  # the answers given are not changed
    assert clean["hypoteser"] == ["[NAVN] er presset", "Økonomien er stram"]
    assert clean["sandsynlige"] == ["[NAVN] er presset"]
    assert clean["handleretninger"] == ["Støt [NAVN] i kontakten med udlejer",
                                        "Ring til [NAVN]", "Ring til [NAVN]"]
    assert clean["tiltag"] == {"Støt [NAVN] i kontakten med udlejer": ["Ring på [TELEFON]"],
                               "Ring til [NAVN]": ["i morgen", "i dag"]}  # joined, not lost
    cleaned, errors = clean_answers(template, clean)
    assert errors == {}
    assert cleaned["sandsynlige"] == clean["sandsynlige"] and cleaned["tiltag"] == clean["tiltag"]
    assert privacy.find_in_answers(template, clean, names) == {}


# --- properties -----------------------------------------------------------------------------

HARMLESS = ("borgeren", "moren", "sagde", "at", "hun", "ikke", "ville", "kl. 14.30", "§ 50",
            "12.500 kr.", "23-11-2026", "j.nr. 2023-004567", "Mødet", "Borgeren", "æøå", ",",
            ".", "(", ")", "servicelovens § 52, stk. 3", "2026", "45 %", "8000 Aarhus C", "—",
            "\u00ab", "\u00bb", "CPR:", "nr.", "sag", "d. 3/4", "1.234.567", "?", "!")
CPR_FORMATS = ("{d}{m}{y}-{s}", "{d}{m}{y}{s}", "{d}{m}{y} {s}", "{d}.{m}.{y}-{s}",
               "{d} {m} {y} {s}", "{d}.{m}.{y} {s}", "{d}-{m}-{y}-{s}", "{d}{m}{y} - {s}",
               "{d}{m}{y}\u2013{s}", "{d}{m}{y}\u00a0{s}", "{d}.{m}.{y}.{s}")
SEVENTH = {range(1858, 1900): "5678", range(1900, 1937): "0123", range(1937, 2000): "012349",
           range(2000, 2037): "456789", range(2037, 2058): "5678"}

harmless_text = st.lists(st.sampled_from(HARMLESS), max_size=12).map(" ".join)


@st.composite
def valid_cpr(draw: st.DrawFn) -> str:
    day = draw(st.dates(dt.date(1858, 1, 1), dt.date(2057, 12, 31)))
    digits = next(d for years, d in SEVENTH.items() if day.year in years)
    serial = draw(st.sampled_from(digits)) + f"{draw(st.integers(0, 999)):03d}"
    return draw(st.sampled_from(CPR_FORMATS)).format(
        d=f"{day.day:02d}", m=f"{day.month:02d}", y=f"{day.year % 100:02d}", s=serial)


@given(before=harmless_text, cpr=valid_cpr(), after=harmless_text)
def test_any_valid_cpr_in_any_format_is_found(before: str, cpr: str, after: str) -> None:
    text = f"{before} {cpr} {after}"
    at = len(before) + 1
    assert find(text) == [Finding("cpr", cpr, at, at + len(cpr))]
    assert anonymise(text) == f"{before} [CPR] {after}"


#: Words after which a number is by design not a phone number: "sag 20304050", "kr. 20304050".
NOT_BEFORE_PHONE = ("sag", "nr.", "12.500 kr.")
phone_safe_text = st.lists(st.sampled_from([w for w in HARMLESS if w not in NOT_BEFORE_PHONE]),
                           max_size=12).map(" ".join)


@given(before=phone_safe_text, after=harmless_text,
       number=st.from_regex(r"\A[2-9][0-9]{7}\Z"),
       style=st.sampled_from(["{0}{1} {2}{3} {4}{5} {6}{7}", "{0}{1}{2}{3} {4}{5}{6}{7}",
                              "{0}{1}{2} {3}{4} {5}{6}{7}", "+45 {0}{1}{2}{3}{4}{5}{6}{7}",
                              "tlf. {0}{1}{2}{3}{4}{5}{6}{7}"]))
def test_any_danish_phone_number_is_found(before: str, after: str, number: str,
                                          style: str) -> None:
    written = style.format(*number)
    assume(not re.fullmatch(r"(19|20)[0-9]{2} (19|20)[0-9]{2}", written))  # two years
    found = find(f"{before} {written}, {after}")
    assert [(f.kind, f.text) for f in found] == [("telefon", written.removeprefix("tlf. "))]


mixed_text = st.lists(st.one_of(
    st.sampled_from(HARMLESS), valid_cpr(), st.text(max_size=8),
    st.sampled_from(["20 30 40 50", "+4520304050", "hanne@mail.dk", "Vestergade 12,",
                     "8000 Aarhus C", "Hanne", "Jensens", "Konto", "[CPR]", "[NAVN", "]", "-",
                     "0", "45", "\n", "st.", "tv.", "2.", "Peter Bangs Vej", "3"])),
    max_size=15).map(lambda parts: "".join(p + " " * (i % 2) for i, p in enumerate(parts)))
some_names = st.lists(st.one_of(st.sampled_from(NAMES + ("Konto", "Navn", "CPR", "Bo")),
                                st.text(max_size=10)), max_size=4)


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(text=mixed_text, names=some_names)
def test_anonymise_is_stable_and_leaves_nothing(text: str, names: list[str]) -> None:
    once = anonymise(text, names)
    assert find(once, names) == []
    assert anonymise(once, names) == once


PLACEHOLDER = re.compile(r"\[(?:CPR|TELEFON|E-MAIL|ADRESSE|NAVN)\]")


@given(text=mixed_text, names=some_names)
def test_anonymise_changes_only_the_findings(text: str, names: list[str]) -> None:
    assume("[" not in text)  # the text holds no placeholders of its own
    found, out = find(text, names), anonymise(text, names)
    assert len(PLACEHOLDER.findall(out)) >= len(found)
    kept = PLACEHOLDER.split(out)  # what is left between placeholders stands in the text …
    assert text.startswith(kept[0]) and text.endswith(kept[-1])
    pos = 0
    for piece in kept:  # … in order, as written
        pos = text.index(piece, pos) + len(piece)
    if not found:
        assert out == text


@given(text=st.text(), names=st.lists(st.text(), max_size=3))
def test_find_never_raises_and_offsets_slice_back(text: str, names: list[str]) -> None:
    found = find(text, names)
    ends = [0]
    for f in found:
        assert f.kind in privacy.KINDS
        assert text[f.start:f.end] == f.text and f.text
        assert f.start >= ends[-1]  # sorted, not overlapping
        ends.append(f.end)
    for lf in privacy.scan_lines(text, names):
        line = text.split("\n")[lf.line - 1]
        assert line[lf.start:lf.end] == lf.text


@given(text=mixed_text)
def test_offsets_slice_back_in_realistic_text(text: str) -> None:
    for f in find(text, NAMES):
        assert text[f.start:f.end] == f.text
        assert "\n" not in f.text  # a finding never spans a line break


# --- the benchmark at small sizes -----------------------------------------------------------

@pytest.fixture(scope="module")
def bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("privacy_bench",
                                                  ROOT / "benchmarks" / "privacy_bench.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules[spec.name]
    return module


def test_bench_cpr_recall_and_false_positives(bench: ModuleType) -> None:
    results = bench.run(n=1500, n_other=200, mb=0, seed=7)
    recall, fp = results["cpr_recall"], results["fp"]
    assert recall.total == 1500 and recall.percent == 100.0, recall.notable
    assert results["cpr_mod11_failing"] > 1000  # most generated numbers fail modulus 11
    assert fp.total == 1500 and fp.percent <= 0.5, fp.notable
    assert results["phone_recall"].percent == 100.0, results["phone_recall"].notable
    assert results["email_recall"].percent == 100.0
    assert results["address_recall"].percent >= 95.0, results["address_recall"].notable
    assert results["name_recall"].percent == 100.0 and results["name_fp"].hits == 0
    assert "| CPR recall" in bench.table(results)


def test_bench_generators_are_what_they_say(bench: ModuleType) -> None:
    import random

    rnd = random.Random(3)
    for _ in range(500):
        ddmmyy, serial = bench.valid_cpr(rnd)
        year = privacy.cpr_year(int(ddmmyy[4:]), int(serial[0]))
        dt.date(year, int(ddmmyy[2:4]), int(ddmmyy[:2]))  # raises if the date does not exist
        invalid = "".join(c for c in bench.invalid_cpr(rnd) if c.isdigit())
        year = privacy.cpr_year(int(invalid[4:6]), int(invalid[6]))
        with pytest.raises(ValueError):
            dt.date(year, int(invalid[2:4]), int(invalid[:2]))


def test_bench_throughput_runs(bench: ModuleType) -> None:
    import random

    figures = bench.throughput(random.Random(1), 0.05, runs=1)
    assert figures["find"] > 0 and figures["plain_re"] > 0 and figures["findings_per_mb"] > 100


# --- nysoc scan -----------------------------------------------------------------------------

def scan(capsys: pytest.CaptureFixture[str], *argv: object) -> tuple[int, str, str]:
    code = cli.main(["scan", *map(str, argv)])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def journal(tmp_path: Path) -> Path:
    path = tmp_path / "journal.txt"
    path.write_text("Samtale med Hanne Jensen.\r\nCPR 010203-1234, tlf. 20 30 40 50\n"
                    "Mødet d. 23-11-2026 kl. 14.30 (§ 50).\n", encoding="utf-8")
    return path


def test_scan_prints_findings_in_danish_and_exits_1(capsys: pytest.CaptureFixture[str],
                                                    journal: Path) -> None:
    code, out, err = scan(capsys, journal)
    assert code == 1
    assert out.splitlines() == [f"{journal}:2:5: CPR-nummer: 010203-1234",
                                f"{journal}:2:23: telefonnummer: 20 30 40 50"]
    assert err.strip() == f"2 fund i {journal}. Anonymisér teksten, før den gemmes eller deles."


def test_scan_json_lines_with_names(capsys: pytest.CaptureFixture[str], journal: Path,
                                    tmp_path: Path) -> None:
    names = tmp_path / "navne.txt"
    names.write_text("Hanne Jensen\n\n  Ali Hassan  \n", encoding="utf-8")
    code, out, err = scan(capsys, journal, "--json", "--names", names)
    assert code == 1 and err == ""
    rows = [json.loads(line) for line in out.splitlines()]
    assert rows == [
        {"kind": "navn", "text": "Hanne Jensen", "line": 1, "start": 12, "end": 24},
        {"kind": "cpr", "text": "010203-1234", "line": 2, "start": 4, "end": 15},
        {"kind": "telefon", "text": "20 30 40 50", "line": 2, "start": 22, "end": 33},
    ]
    lines = journal.read_text(encoding="utf-8").split("\n")
    assert all(lines[r["line"] - 1][r["start"]:r["end"]] == r["text"] for r in rows)


def test_scan_nothing_found_exits_0(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "ren.txt"
    path.write_text("Borgeren kom kl. 14.30 d. 23-11-2026 efter § 50.\n", encoding="utf-8")
    assert scan(capsys, path) == (0, "", f"Ingen personoplysninger fundet i {path}.\n")
    assert scan(capsys, path, "--json") == (0, "", "")


def test_scan_reads_standard_input(capsys: pytest.CaptureFixture[str],
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    data = b"Skriv til hanne@mail.dk\n"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))
    code, out, _ = scan(capsys, "-")
    assert (code, out) == (1, "-:1:11: e-mailadresse: hanne@mail.dk\n")
    monkeypatch.setattr(sys, "stdin", io.StringIO("intet\n"))  # no .buffer
    assert scan(capsys, "-")[0] == 0


def test_scan_reads_windows_1252(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "gammel.txt"
    path.write_bytes("Hun bor på Søndervænget 4, 8000 Aarhus C\n".encode("cp1252"))
    code, out, _ = scan(capsys, path)
    assert (code, out) == (1, f"{path}:1:12: adresse: Søndervænget 4, 8000 Aarhus C\n")


@pytest.mark.parametrize("argv", [[], ["a.txt", "--jsn"], ["a.txt", "--names"]],
                         ids=["no-file", "unknown-option", "names-without-file"])
def test_scan_usage_errors_exit_2(capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    code, out, err = scan(capsys, *argv)
    assert code == 2 and out == "" and err.startswith("Brug: nysoc") and " fejl: " in err


def test_scan_unreadable_file_is_one_line_exit_1(capsys: pytest.CaptureFixture[str],
                                                 tmp_path: Path) -> None:
    code, out, err = scan(capsys, tmp_path / "findes-ikke.txt")
    assert code == 1 and out == ""
    assert err == (f"Fejl: {tmp_path / 'findes-ikke.txt'} kan ikke bruges: "
                   "filen eller mappen findes ikke\n")


def test_scan_help_is_danish(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = scan(capsys, "--help")
    assert code == 0 and out.startswith("Brug: nysoc scan") and "--names FIL" in out


def test_anonymised_facts_keep_their_picks_per_direction(catalogue: Catalogue) -> None:
    template = catalogue.get("sagsanalyse")
    values: dict[str, Any] = {
        "fakta": ["Hanne bor alene", "To børn"],
        "handleretninger": ["Støt Hanne", "Ro på"],
        "tiltag_fakta": {"Støt Hanne": ["Hanne bor alene", "To børn"], "Ro på": ["To børn"]},
    }
    found = privacy.find_in_answers(template, values, ["Hanne Jensen"])
    assert "tiltag_fakta" not in found, "picks are copies, reported where they were written"
    clean = privacy.anonymise_answers(template, values, ["Hanne Jensen"])
    assert clean["tiltag_fakta"] == {"Støt [NAVN]": ["[NAVN] bor alene", "To børn"],
                                     "Ro på": ["To børn"]}
    cleaned, errors = clean_answers(template, clean)
    assert errors == {} and cleaned["tiltag_fakta"] == clean["tiltag_fakta"]
