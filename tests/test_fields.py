"""Answers are normalised per field kind; a wrong answer gets a Danish message."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from nysoc_widgets import fields as fk
from nysoc_widgets.controls import adapter
from nysoc_widgets.fields import FieldValueError
from nysoc_widgets.templates import Template, load_template

DATA = Path(__file__).parent / "data" / "templates" / "valid" / "alle-felttyper.toml"


@pytest.fixture(scope="module")
def template() -> Template:
    return load_template(DATA)


@pytest.mark.parametrize(("field_id", "given", "stored"), [
    ("overskrift", "Første møde", "Første møde"),
    ("dato", "23-11-2026", "2026-11-23"),
    ("dato", "23.11.2026", "2026-11-23"),
    ("dato", dt.date(2026, 11, 23), "2026-11-23"),
    ("dato", "", None),
    ("antal", "4", 4),
    ("antal", 4.0, 4),
    ("antal", "", None),
    ("stemning", "svaer", "svaer"),
    ("emner", ["stress", "etik", "etik"], ["etik", "stress"]),
    ("udbytte", 5, 5),
    ("udbytte", None, None),
    ("hypoteser", [" Mor er presset ", "", "Skolen mangler viden"],
     ["Mor er presset", "Skolen mangler viden"]),
    ("tiltag", {"A": ["ring til skolen"]}, {"A": ["ring til skolen"]}),
], ids=lambda v: str(v)[:20])
def test_answers_are_normalised(template: Template, field_id: str, given: Any,
                                stored: Any) -> None:
    fld = template.field(field_id)
    assert fk.KINDS[fld.kind].coerce(given, fld) == stored


@pytest.mark.parametrize(("field_id", "given", "message"), [
    ("overskrift", 42, "Skal være tekst"),
    ("overskrift", "x" * 81, "højst være 80 tegn"),
    ("dato", "i morgen", "Skriv en dato"),
    ("dato", "31-02-2026", "Skriv en dato"),
    ("antal", "fire", "Skriv et tal"),
    ("antal", "2,5", "helt tal"),
    ("antal", 0, "mindre end 1"),
    ("antal", 21, "større end 20"),
    ("antal", True, "Skriv et tal"),
    ("stemning", "glad", "'glad' er ikke en af mulighederne"),
    ("emner", "etik", "Skal være en liste"),
    ("emner", ["etik", "sport"], "'sport' er ikke en af"),
    ("udbytte", 6, "fra 1 til 5"),
    ("udbytte", 2.5, "fra 1 til 5"),
    ("hypoteser", [1, 2], "Skal være tekst"),
    ("tiltag", ["a"], "ét svar pr. punkt"),
], ids=lambda v: str(v)[:20])
def test_wrong_answers_get_a_danish_message(template: Template, field_id: str, given: Any,
                                            message: str) -> None:
    fld = template.field(field_id)
    with pytest.raises(FieldValueError) as info:
        fk.KINDS[fld.kind].coerce(given, fld)
    assert message in info.value.message()


def test_single_pick_allows_one() -> None:
    fld = fk.Field(id="p", kind="pick", label=fk.Text("P"), multiple=False, source=("x",))
    with pytest.raises(FieldValueError, match="pick_one"):
        fk.KINDS["pick"].coerce(["a", "b"], fld)


@pytest.mark.parametrize("value", [None, "", "  ", [], {}], ids=repr)
def test_empty_answers(value: Any) -> None:
    assert fk.is_empty(value)


@pytest.mark.parametrize("value", ["x", 0, ["a"], {"a": 1}], ids=repr)
def test_non_empty_answers(value: Any) -> None:
    assert not fk.is_empty(value)


def test_unknown_kind_names_the_known_ones() -> None:
    with pytest.raises(KeyError, match="unknown field kind 'essay'; known: short_text"):
        fk.kind("essay")
    with pytest.raises(KeyError, match="unknown field kind 'essay'; known: short_text"):
        adapter("essay")


def test_every_kind_has_a_widget_adapter() -> None:
    assert set(fk.KINDS) == set(__import__("nysoc_widgets.controls").controls.ADAPTERS)
