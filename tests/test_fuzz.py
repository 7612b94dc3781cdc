"""Fuzzing (hypothesis): whatever a template file or an answer holds, only nysoc's own,
documented errors come out - ``TemplateError`` for templates, Danish messages per field
for answers - and a form never loses what was typed.

Crashes found here are kept as plain tests at the end of the file.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import math
import re
import string
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nysoc_widgets import fields as fk
from nysoc_widgets import i18n
from nysoc_widgets._toml import loads as toml_loads
from nysoc_widgets.errors import TemplateError
from nysoc_widgets.records import Pairing, clean_answers, problems
from nysoc_widgets.templates import Template, load_template, parse_template, template_from_json

CATALOGUE = Path(__file__).resolve().parents[1] / "nysoc_widgets" / "catalogue"
TEMPLATE_FILES = sorted(CATALOGUE.glob("*.toml")) + sorted(
    (Path(__file__).parent / "data" / "templates" / "valid").glob("*.toml"))
REAL = [toml_loads(p.read_text(encoding="utf-8")) for p in TEMPLATE_FILES]

FUZZ = settings(max_examples=150, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


# -- what a TemplateError must be ---------------------------------------------------------

def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def assert_documented_template_error(err: TemplateError, file: str) -> None:
    """Names the file and a field, in Danish (with English beside it), every blank filled."""
    assert err.file == file
    assert isinstance(err.field, str) and err.field
    key = err.details["reason_key"]
    assert i18n.has(key), key
    entry = i18n.catalogue()[key]
    given_values = set(err.details.get("reason_values", {}))
    assert placeholders(entry["da"]) <= given_values, (key, given_values)
    assert str(err).startswith(f"Skabelonen {file} er ikke gyldig ved {err.field}: ")
    assert err.english.startswith(f"Template {file} is invalid at {err.field}: ")


def parse_or_refuse(data: Any, file: str = "fuzz.toml") -> Template | None:
    try:
        template = parse_template(data, file=file)
    except TemplateError as err:
        assert_documented_template_error(err, file)
        return None
    # A template that parses comes back equal through its dict and its JSON.
    assert parse_template(template.to_dict(), file=file) == template
    assert template_from_json(template.to_json()) == template
    return template


# -- values of every shape ------------------------------------------------------------------

SCALARS = (st.none() | st.booleans() | st.integers() | st.integers(-(10**400), 10**400)
           | st.floats(allow_nan=True, allow_infinity=True) | st.text(max_size=12)
           | st.sampled_from(["", " ", "form", "card", "par", "privat", "deles", "mentor",
                              "long_text", "list", "pick", "per_item", "single_choice", "ja",
                              "id", "2026-03-01", "1,5", "1e999", "nan", "æøå"]))
JSONISH = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4)
                       | st.dictionaries(st.text(max_size=8), inner, max_size=4),
                       max_leaves=12)
PYTHONISH = st.recursive(
    SCALARS | st.dates() | st.datetimes() | st.binary(max_size=6),
    lambda inner: st.lists(inner, max_size=4) | st.tuples(inner, inner)
    | st.frozensets(SCALARS, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=10)


def paths(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place in nested dicts and lists."""
    found = [prefix]
    if isinstance(data, dict):
        for key, value in data.items():
            found += paths(value, (*prefix, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            found += paths(value, (*prefix, i))
    return found


def get(data: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        data = data[step]
    return data


@st.composite
def mutated_templates(draw: st.DrawFn) -> Any:
    """A real template with 1-4 changes: a key dropped, added or renamed, a value replaced
    by anything or by one of another type, a list item dropped or doubled."""
    data = json.loads(json.dumps(draw(st.sampled_from(REAL))))
    for _ in range(draw(st.integers(1, 4))):
        place = draw(st.sampled_from(paths(data)))
        if not place:
            continue
        parent, last = get(data, place[:-1]), place[-1]
        value = parent[last]
        how = draw(st.sampled_from(["drop", "replace", "retype", "add", "rename", "double"]))
        if how == "drop":
            del parent[last]
        elif how == "replace":
            parent[last] = draw(JSONISH)
        elif how == "retype":
            parent[last] = draw(st.sampled_from([
                [value], {"da": value}, str(value), None, True, 0, 1.5, -1, [], {}]))
        elif how == "add" and isinstance(value, dict):
            value[draw(st.text(max_size=10) | st.sampled_from(
                ["choices", "source", "entry", "min", "max", "multiple", "items", "fields",
                 "help", "low", "choices_from", "share_consent", "en"]))] = draw(JSONISH)
        elif how == "rename" and isinstance(parent, dict):
            parent[draw(st.text(max_size=10))] = parent.pop(last)
        elif how == "double" and isinstance(parent, list):
            parent.insert(last, json.loads(json.dumps(value)))
    return data


# -- templates ------------------------------------------------------------------------------

def test_every_real_template_parses() -> None:
    for data in REAL:
        assert parse_or_refuse(data) is not None


@FUZZ
@given(mutated_templates())
def test_a_mutated_template_parses_or_raises_a_documented_template_error(data: Any) -> None:
    parse_or_refuse(data)


@FUZZ
@given(st.dictionaries(st.sampled_from(sorted({k for d in REAL for k in d}) + ["x"]),
                       JSONISH, max_size=8))
def test_an_arbitrary_top_level_parses_or_raises_a_documented_template_error(data: Any) -> None:
    parse_or_refuse(data)


REAL_BYTES = [p.read_bytes() for p in TEMPLATE_FILES]


@st.composite
def damaged_files(draw: st.DrawFn) -> tuple[str, bytes]:
    """(suffix, content): random bytes, or a real template (TOML or JSON) with bytes cut,
    inserted or replaced."""
    suffix = draw(st.sampled_from([".toml", ".json"]))
    if draw(st.booleans()):
        return suffix, draw(st.binary(max_size=300))
    index = draw(st.integers(0, len(REAL) - 1))
    content = bytearray(REAL_BYTES[index] if suffix == ".toml"
                        else json.dumps(REAL[index], ensure_ascii=False).encode())
    for _ in range(draw(st.integers(1, 5))):
        at = draw(st.integers(0, len(content)))
        how = draw(st.sampled_from(["cut", "insert", "replace"]))
        chunk = draw(st.binary(min_size=1, max_size=8) | st.sampled_from(
            [b"[", b"{", b'"', b"=", b"\n", b"\xff", b"\xc3", b"]]", b"1" * 5000]))
        if how == "cut":
            del content[at:at + len(chunk)]
        elif how == "insert":
            content[at:at] = chunk
        else:
            content[at:at + len(chunk)] = chunk
    return suffix, bytes(content)


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


@FUZZ
@given(damaged_files())
def test_load_template_on_any_bytes_gives_a_template_or_a_template_error(
        scratch: Path, file: tuple[str, bytes]) -> None:
    path = scratch / f"skabelon{file[0]}"
    path.write_bytes(file[1])
    try:
        template = load_template(path)
    except TemplateError as err:
        assert_documented_template_error(err, str(path))
    else:
        assert template_from_json(template.to_json()) == template


# -- answers --------------------------------------------------------------------------------

def every_kind_template() -> Template:
    """Every kind, every entry kind of per_item, picks from a list and from choices."""
    choices = [{"id": c, "da": c.capitalize()} for c in ("a", "b", "c", "d", "e", "f", "g")]
    fields: list[dict[str, Any]] = [
        {"id": "kort", "kind": "short_text", "label": "Kort", "max_length": 10},
        {"id": "lang", "kind": "long_text", "label": "Lang", "required": True},
        {"id": "dato", "kind": "date", "label": "Dato"},
        {"id": "tal", "kind": "number", "label": "Tal", "min": -5, "max": 1e6},
        {"id": "heltal", "kind": "number", "label": "Heltal", "integer": True},
        {"id": "et_valg", "kind": "single_choice", "label": "Et valg", "choices": choices},
        {"id": "flere", "kind": "multi_choice", "label": "Flere", "choices": choices[:3]},
        {"id": "skala", "kind": "scale", "label": "Skala", "required": True},
        {"id": "tjek", "kind": "checklist", "label": "Tjek", "choices": choices[:2]},
        {"id": "liste", "kind": "list", "label": "Liste"},
        {"id": "valgt", "kind": "pick", "label": "Valgt", "source": ["liste", "flere"]},
        {"id": "et_punkt", "kind": "pick", "label": "Et punkt", "source": "liste",
         "multiple": False},
    ]
    for entry in ("short_text", "long_text", "list", "single_choice", "scale", "date",
                  "number"):
        extra: dict[str, Any] = {"choices": choices[:2]} if entry == "single_choice" else {}
        if entry == "number":
            extra = {"min": 0, "max": 10}
        fields.append({"id": f"pr_{entry}", "kind": "per_item", "label": f"Pr. {entry}",
                       "source": "valgt", "entry": entry, **extra})
    return parse_template({"schema_version": 1, "id": "fuzz", "version": 1, "source": "test",
                           "title": "Fuzz", "sections": [{"id": "s", "title": "S",
                                                          "fields": fields}]})


EVERY_KIND = every_kind_template()
ALL_FIELDS = parse_template(toml_loads(TEMPLATE_FILES[-1].read_text(encoding="utf-8")))
FIELD_MESSAGES = {text["da"] for key, text in i18n.catalogue().items()
                  if key.startswith("fields.")}


def answer_values(template: Template) -> st.SearchStrategy[dict[str, Any]]:
    ids = [f.id for f in template.fields]
    good = {
        "short_text": st.text(max_size=15), "long_text": st.text(max_size=30),
        "date": st.dates().map(dt.date.isoformat), "number": st.integers(-10, 10),
        "single_choice": st.sampled_from(["a", "b", "god", None]),
        "multi_choice": st.lists(st.sampled_from(["a", "b", "c", "etik"])),
        "checklist": st.lists(st.sampled_from(["a", "b", "it"])),
        "scale": st.integers(0, 6), "list": st.lists(st.text(max_size=6), max_size=4),
        "pick": st.lists(st.text(max_size=6), max_size=3),
        "per_item": st.dictionaries(st.text(max_size=6), PYTHONISH, max_size=3),
    }
    per_field = {f.id: good[f.kind] | PYTHONISH for f in template.fields}
    return st.fixed_dictionaries({}, optional={**per_field, "ukendt": PYTHONISH}).map(
        lambda d: {k: v for k, v in d.items() if k in ids or k == "ukendt"})


def assert_clean(template: Template, answers: dict[str, Any]) -> None:
    values, errors = clean_answers(template, answers)
    ids = {f.id for f in template.fields}
    assert set(values) == ids
    assert set(errors) <= ids
    for message in errors.values():
        assert message in FIELD_MESSAGES or any(  # a message with its blanks filled
            message.startswith(m.split("{")[0]) and "{" in m for m in FIELD_MESSAGES), message
    found = problems(template, answers, final=True)
    assert set(errors) <= set(found)
    assert all(found[k] == errors[k] for k in errors)
    if not errors:  # what is saved is JSON, and cleaning it again changes nothing
        json.dumps(values, allow_nan=False)
        assert clean_answers(template, values) == (values, {})


@FUZZ
@given(answer_values(EVERY_KIND))
def test_any_answers_give_clean_values_or_danish_messages(answers: dict[str, Any]) -> None:
    assert_clean(EVERY_KIND, answers)


@FUZZ
@given(answer_values(ALL_FIELDS))
def test_any_answers_to_the_every_kind_template_file(answers: dict[str, Any]) -> None:
    assert_clean(ALL_FIELDS, answers)


@FUZZ
@given(st.sampled_from(sorted(fk.KINDS)), PYTHONISH)
def test_each_kind_coerces_or_raises_field_value_error(kind: str, value: Any) -> None:
    fld = EVERY_KIND.field({"short_text": "kort", "long_text": "lang", "date": "dato",
                            "number": "heltal", "single_choice": "et_valg",
                            "multi_choice": "flere", "scale": "skala", "checklist": "tjek",
                            "list": "liste", "pick": "et_punkt",
                            "per_item": "pr_number"}[kind])
    try:
        fk.KINDS[kind].coerce(value, fld)
    except fk.FieldValueError as exc:
        assert i18n.has(f"fields.{exc.key}")
        assert exc.message()


# -- a real form, driven through its widgets -----------------------------------------------

@pytest.fixture(scope="module")
def form(tmp_path_factory: pytest.TempPathFactory) -> Any:
    from nysoc_widgets.forms import Form
    from nysoc_widgets.store import Store

    store = Store.open(tmp_path_factory.mktemp("form") / "nysoc.db", create=True)
    store.add_pairing(Pairing("par-1"))
    form = Form(EVERY_KIND, store, pairing="par-1", author_role="mentee",
                autosave_delay=3600)
    yield form
    form.autosave.cancel()
    store.close()


def widget_values(form: Any) -> dict[str, Any]:
    return {fid: _value(c) for fid, c in form.controls.items()}


def _value(control: Any) -> Any:
    value = control.value
    return dict(value) if isinstance(value, dict) else (
        list(value) if isinstance(value, (list, tuple)) else value)


TEXT = st.text(max_size=40) | st.sampled_from(["1,5", "1.000,5", "1e999", "-0", "nan",
                                               " 7 ", "a\nb\n\nc", "a\na", "2026-02-30"])


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@settings(max_examples=60, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_a_form_driven_with_any_widget_values_saves_or_says_why_and_keeps_them(
        form: Any, data: st.DataObject) -> None:
    from nysoc_widgets.controls import ChoiceGroup, ItemEntries, ScaleControl

    form.new()
    for fld in EVERY_KIND.fields:  # template order: sources first
        control = form.controls[fld.id]
        if isinstance(control, ItemEntries):
            items = [item for item, _ in control._rows]
            if not items:
                continue
            entry_kind = control.entry_field.kind
            entry = {"scale": st.none() | st.integers(1, 5),
                     "date": st.none() | st.dates(),
                     "single_choice": st.sampled_from([None, "a", "b"])}.get(entry_kind, TEXT)
            control.value = {item: _entry_widget_value(entry_kind, data.draw(entry))
                             for item in data.draw(st.lists(st.sampled_from(items), unique=True))}
        elif isinstance(control, ChoiceGroup):
            keys = list(control._boxes)
            control.value = data.draw(st.lists(st.sampled_from(keys), unique=True)
                                      if keys else st.just([]))
        elif isinstance(control, ScaleControl):
            control.value = data.draw(st.none() | st.integers(1, 5))
        elif fld.kind == "date":
            control.value = data.draw(st.none() | st.dates())
        elif fld.kind == "single_choice":
            control.value = data.draw(st.sampled_from([v for _, v in control.options]))
        else:
            control.value = data.draw(TEXT)
    typed = widget_values(form)
    final = data.draw(st.booleans())
    logged = _Collect()
    logging.getLogger("nysoc_widgets").addHandler(logged)
    try:
        saved = form.save(final=final)
    finally:
        logging.getLogger("nysoc_widgets").removeHandler(logged)
    assert not logged.records, [r.getMessage() for r in logged.records]
    assert "Noget gik galt" not in form.message.value
    if saved is None:
        assert "Notatet er ikke gemt" in form.message.value
        assert widget_values(form) == typed  # nothing typed is lost
    else:
        assert form.store.get_record(saved.id).values == saved.values == form.value
        assert not problems(EVERY_KIND, saved.values, final=final)


def _entry_widget_value(kind: str, value: Any) -> Any:
    if kind == "list" and isinstance(value, str):
        return [line.strip() for line in value.splitlines() if line.strip()]
    if kind == "date" and isinstance(value, dt.date):
        return value.isoformat()
    if kind == "number" and isinstance(value, str):
        return value.strip() or None
    return value


# -- crashes the fuzzing found, kept as plain tests --------------------------------------

def _template_with(field: dict[str, Any], **top: Any) -> dict[str, Any]:
    return {"schema_version": 1, "id": "t", "version": 1, "source": "x", "title": "T",
            "sections": [{"id": "s", "title": "S", "fields": [
                {"id": "punkter", "kind": "list", "label": "Punkter"}, field]}], **top}


@pytest.mark.parametrize("data, where, problem", [
    pytest.param(_template_with({"id": "f", "kind": ["list"], "label": "L"}),
                 "fields.f.kind", "ukendt felttype", id="kind-is-a-list"),
    pytest.param(_template_with({"id": "f", "kind": {"da": "x"}, "label": "L"}),
                 "fields.f.kind", "ukendt felttype", id="kind-is-a-table"),
    pytest.param(_template_with({"id": "f", "kind": "list", "label": "L"},
                                confidentiality=["par"]),
                 "confidentiality", "", id="confidentiality-is-a-list"),
    pytest.param(_template_with({"id": "f", "kind": "list", "label": "L",
                                 "confidentiality": {"x": 1}}),
                 "fields.f.confidentiality", "", id="field-confidentiality-is-a-table"),
    pytest.param(_template_with({"id": "f", "kind": "list", "label": "L"}, phase=[1]),
                 "phase", "", id="phase-is-a-list"),
    pytest.param(_template_with({"id": "f", "kind": "list", "label": "L"}, roles=[["mentor"]]),
                 "roles[0]", "", id="role-is-a-list"),
    pytest.param(_template_with({"id": "f", "kind": "per_item", "label": "L",
                                 "source": "punkter", "entry": ["list"]}),
                 "fields.f.entry", "", id="entry-is-a-list"),
    pytest.param(_template_with({"id": "f", "kind": "pick", "label": "L",
                                 "source": [["punkter"]]}),
                 "fields.f.source", "", id="source-item-is-a-list"),
])
def test_unhashable_values_in_a_template_are_template_errors(data: dict[str, Any], where: str,
                                                             problem: str) -> None:
    with pytest.raises(TemplateError, match=f"ved {re.escape(where)}: {problem}") as caught:
        parse_template(data, file="fundet.toml")
    assert_documented_template_error(caught.value, "fundet.toml")


@pytest.mark.parametrize("suffix, content", [
    pytest.param(".json", "[" * 100_000, id="json-nested-too-deep"),
    pytest.param(".toml", "a = " + "[" * 100_000, id="toml-nested-too-deep"),
    pytest.param(".json", "1" * 5000, id="json-integer-too-long"),
    pytest.param(".toml", "a = " + "1" * 5000, id="toml-integer-too-long"),
])
def test_a_file_python_cannot_read_is_a_syntax_template_error(tmp_path: Path, suffix: str,
                                                             content: str) -> None:
    path = tmp_path / f"skabelon{suffix}"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(TemplateError, match="Skabelonen .*skabelon.* er ikke gyldig ved -: "):
        load_template(path)


@pytest.mark.parametrize("field_id, value, message", [
    pytest.param("et_valg", ["a"], "'['a']' er ikke en af mulighederne",
                 id="choice-is-a-list"),
    pytest.param("et_valg", {"a": 1}, "'{'a': 1}' er ikke en af mulighederne",
                 id="choice-is-a-table"),
    pytest.param("tal", 10**400, "Skriv et tal", id="number-beyond-float"),
    pytest.param("heltal", 10**400, "Skriv et tal", id="integer-beyond-float"),
    pytest.param("skala", math.nan, "", id="scale-nan"),
    pytest.param("skala", math.inf, "", id="scale-infinite"),
    pytest.param("skala", 10**400, "", id="scale-huge"),
    pytest.param("liste", 5, "", id="pick-source-not-a-list"),
    pytest.param("liste", "a\nb", "", id="pick-source-a-string"),
    pytest.param("flere", 5, "", id="choice-source-not-a-list"),
    pytest.param("flere", [None], "", id="choice-source-holds-none"),
])
def test_answers_that_crashed_now_get_a_danish_message(field_id: str, value: Any,
                                                       message: str) -> None:
    values, errors = clean_answers(EVERY_KIND, {field_id: value})
    assert field_id in errors and errors[field_id].startswith(message)
    assert_clean(EVERY_KIND, {field_id: value})


def test_a_whole_number_too_big_for_a_float_is_refused_not_kept() -> None:
    """It would be saved, then break the DataFrame of the records (Float64 overflows)."""
    _, errors = clean_answers(EVERY_KIND, {"heltal": 10**309})
    assert errors == {"heltal": i18n.t("fields.not_number")}
    assert clean_answers(EVERY_KIND, {"heltal": 10**300}) == (
        {**clean_answers(EVERY_KIND, {})[0], "heltal": 10**300}, {})

