"""Template validation: every malformed template is refused with a Danish message naming
file, field and problem; a valid one round-trips through JSON."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from nysoc_widgets.errors import TemplateError
from nysoc_widgets.templates import load_template, parse_template, template_from_json

DATA = Path(__file__).parent / "data" / "templates"
INVALID = sorted((DATA / "invalid").glob("*.toml"))


def expected_message(path: Path) -> str:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# expect: "), f"{path.name} must start with '# expect: …'"
    return first[len("# expect: "):]


def refusal(path: Path, tmp_path: Path) -> TemplateError:
    """Why ``path`` is refused: by the parser, or – for what only the other templates can
    tell (``choices_from``, ``choices_from_saved``) – by the catalogue, which leaves it out."""
    import shutil

    from nysoc_widgets.catalogue import Catalogue

    try:
        template = load_template(path)
    except TemplateError as exc:
        return exc
    shutil.copy(path, tmp_path / path.name)
    catalogue = Catalogue.load(tmp_path)
    assert template.id not in catalogue, f"{path.name} was not refused"
    [problem] = catalogue.problems
    return problem


@pytest.mark.parametrize("path", INVALID, ids=[p.stem for p in INVALID])
def test_invalid_template_is_refused_with_file_field_and_problem(path: Path,
                                                                 tmp_path: Path) -> None:
    problem = refusal(path, tmp_path)
    with pytest.raises(TemplateError, match=expected_message(path)):
        raise problem
    assert path.name in str(problem)
    assert problem.english != str(problem), "the English message is kept beside it"


def test_there_are_invalid_scenarios() -> None:
    assert len(INVALID) >= 15


def test_valid_template_parses_with_every_field_kind() -> None:
    template = load_template(DATA / "valid" / "alle-felttyper.toml")
    kinds = {f.kind for f in template.fields}
    assert kinds == {"short_text", "long_text", "date", "number", "single_choice",
                     "multi_choice", "scale", "checklist", "list", "pick", "per_item"}
    assert template.field("overskrift").required
    assert template.field("dato").confidentiality == "deles"
    assert template.field("beskrivelse").confidentiality == "par"  # the template's default
    assert template.field("tiltag").source == ("sandsynlige",)
    assert template.level == "par"


def test_template_round_trips_through_json() -> None:
    template = load_template(DATA / "valid" / "alle-felttyper.toml")
    again = template_from_json(template.to_json())
    assert again == template
    assert again.to_dict() == template.to_dict()


def test_plain_string_is_read_as_danish() -> None:
    template = parse_template({"schema_version": 1, "id": "a", "version": 2, "title": "Ét",
                               "source": "s", "sections": [{"id": "b", "title": "To",
                               "fields": [{"id": "c", "kind": "long_text", "label": "Tre"}]}]})
    assert template.title.da == "Ét" and template.title.en == ""
    assert template.version == 2


def test_a_missing_file_is_a_template_error() -> None:
    with pytest.raises(TemplateError, match="kan ikke læses"):
        load_template(DATA / "findes-ikke.toml")


def test_json_template_file_is_read(tmp_path: Path) -> None:
    template = load_template(DATA / "valid" / "alle-felttyper.toml")
    path = tmp_path / "alle.json"
    path.write_text(template.to_json(), encoding="utf-8")
    assert load_template(path) == template


def test_broken_json_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "brudt.json"
    path.write_text("{", encoding="utf-8")
    with pytest.raises(TemplateError, match=re.escape("brudt.json") + ".*syntaksfejl"):
        load_template(path)


def dated(date_order: object) -> dict[str, object]:
    """A small template with two date fields and a text field, and ``date_order``."""
    return {"schema_version": 1, "id": "plan", "version": 1, "title": "Plan", "source": "s",
            "date_order": date_order,
            "sections": [{"id": "a", "title": "A", "fields": [
                {"id": "start", "kind": "date", "label": "Start"},
                {"id": "noter", "kind": "long_text", "label": "Noter"},
                {"id": "slut", "kind": "date", "label": "Slut"}]}]}


def test_date_order_is_read_and_round_trips() -> None:
    template = parse_template(dated([["start", "slut"]]))
    assert template.date_order == (("start", "slut"),)
    assert template.to_dict()["date_order"] == [["start", "slut"]]
    assert template_from_json(template.to_json()) == template
    assert "date_order" not in parse_template(dated([])).to_dict(), "empty is left out"


@pytest.mark.parametrize(("date_order", "message"), [
    pytest.param([["start", "senere"]], r"date_order\[0\]: .*'senere' er ikke et af dem",
                 id="unknown-field"),
    pytest.param([["start", "noter"]], "'noter' er ikke et af dem", id="not-a-date"),
    pytest.param(["start"], r"date_order\[0\]: her forventes en liste", id="not-a-list"),
    pytest.param([["start", "start"]], "id'et 'start' bruges mere end én gang",
                 id="twice-in-a-chain"),
])
def test_bad_date_order_is_refused(date_order: object, message: str) -> None:
    with pytest.raises(TemplateError, match=message):
        parse_template(dated(date_order))


def confirmed(**extra: object) -> dict[str, object]:
    """A small agreement: a text, a mentor's and a mentee's confirmation, a checklist."""
    ja = [{"id": "ja", "da": "Ja"}]
    data: dict[str, object] = {
        "schema_version": 1, "id": "aftale", "version": 1, "title": "Aftale", "source": "s",
        "roles": ["mentor", "mentee"], "confirmations": ["ok_mentor", "ok_mentee"],
        "sections": [{"id": "a", "title": "A", "fields": [
            {"id": "tekst", "kind": "long_text", "label": "Tekst"},
            {"id": "tjek", "kind": "checklist", "label": "Tjek",
             "choices": [{"id": "laest", "da": "Læst"}]},
            {"id": "valg", "kind": "multi_choice", "label": "Valg", "choices": ja},
            {"id": "ok_mentor", "kind": "single_choice", "label": "Mentor", "choices": ja,
             "roles": ["mentor"]},
            {"id": "ok_mentee", "kind": "single_choice", "label": "Mentee", "choices": ja,
             "roles": ["mentee"]}]}]}
    data.update(extra)
    return data


def test_field_roles_and_confirmations_are_read_and_round_trip() -> None:
    template = parse_template(confirmed())
    assert template.roles_of("ok_mentor") == ("mentor",)
    assert template.roles_of("tekst") == (), "no roles: anyone"
    assert template.may_fill("tekst", "mentee") and not template.may_fill("ok_mentor", "mentee")
    assert template.confirmations == ("ok_mentor", "ok_mentee")
    data = template.to_dict()
    assert data["confirmations"] == ["ok_mentor", "ok_mentee"]
    assert data["sections"][0]["fields"][3]["roles"] == ["mentor"]
    assert "roles" not in data["sections"][0]["fields"][0]
    again = template_from_json(template.to_json())
    assert again == template and again.to_dict() == data
    plain = parse_template(confirmed(confirmations=[]))
    assert "confirmations" not in plain.to_dict(), "empty is left out"


def test_a_checklist_may_confirm() -> None:
    assert parse_template(confirmed(confirmations=["tjek"])).confirmations == ("tjek",)


@pytest.mark.parametrize(("extra", "message"), [
    pytest.param({"confirmations": ["tekst"]},
                 r"confirmations\[0\]: .*'tekst' er ikke et af dem", id="text-field"),
    pytest.param({"confirmations": ["valg"]}, "'valg' er ikke et af dem",
                 id="multi-choice"),
    pytest.param({"confirmations": ["senere"]}, "'senere' er ikke et af dem",
                 id="unknown-field"),
    pytest.param({"confirmations": "ok_mentor"}, "confirmations: her forventes en liste",
                 id="not-a-list"),
    pytest.param({"confirmations": ["ok_mentor", "ok_mentor"]},
                 "id'et 'ok_mentor' bruges mere end én gang", id="twice"),
    pytest.param({"roles": ["mentee"]},
                 "fields.ok_mentor.roles: rollen 'mentor' udfylder ikke denne skabelon",
                 id="field-role-not-the-templates"),
])
def test_bad_confirmations_are_refused(extra: dict[str, object], message: str) -> None:
    with pytest.raises(TemplateError, match=message):
        parse_template(confirmed(**extra))


@pytest.mark.parametrize("roles", [
    pytest.param("mentor", id="not-a-list"),
    pytest.param(["mentor", "mentor"], id="twice"),
    pytest.param([1], id="not-a-name"),
])
def test_bad_field_roles_are_refused(roles: object) -> None:
    data = confirmed()
    data["sections"][0]["fields"][0]["roles"] = roles  # type: ignore[index]
    with pytest.raises(TemplateError, match=r"fields\.tekst\.roles: "):
        parse_template(data)


# -- per-item picks (entry = "pick", entry_source) ----------------------------------------

def _picks_template(**extra: object) -> dict[str, object]:
    fields = [{"id": "fakta", "kind": "list", "label": "Fakta"},
              {"id": "retning", "kind": "list", "label": "Retning"},
              {"id": "grundlag", "kind": "per_item", "label": "Grundlag", "source": "retning",
               **extra}]
    return {"schema_version": 1, "id": "t", "version": 1, "title": "T", "source": "s",
            "sections": [{"id": "a", "title": "A", "fields": fields}]}


def test_a_per_item_pick_names_its_entry_source_and_round_trips() -> None:
    template = parse_template(_picks_template(entry="pick", entry_source="fakta"))
    fld = template.field("grundlag")
    assert (fld.entry, fld.entry_source, fld.source) == ("pick", "fakta", ("retning",))
    assert template.to_dict()["sections"][0]["fields"][2]["entry_source"] == "fakta"
    again = template_from_json(template.to_json())
    assert again == template and again.to_dict() == template.to_dict()


@pytest.mark.parametrize("extra, message", [
    ({"entry": "pick"}, "entry = 'pick' kræver 'entry_source'"),
    ({"entry": "long_text", "entry_source": "fakta"},
     "'entry_source' bruges kun sammen med entry = 'pick'"),
    ({"entry_source": "fakta"}, "'entry_source' bruges kun sammen med entry = 'pick'"),
    ({"entry": "pick", "entry_source": "senere"}, "'senere' er ikke et tidligere felt"),
    ({"entry": "pick", "entry_source": "grundlag"}, "'grundlag' er ikke et tidligere felt"),
    ({"entry": "pick", "entry_source": ["fakta"]}, "entry = 'pick' kræver 'entry_source'"),
    ({"entry": "pick", "entry_source": "dato"}, "'dato' er et date-felt"),
], ids=["pick-without-source", "source-without-pick", "source-default-entry", "unknown",
        "itself", "not-a-string", "wrong-kind"])
def test_a_bad_entry_source_is_refused(extra: dict[str, object], message: str) -> None:
    data = _picks_template(**extra)
    data["sections"][0]["fields"].insert(0, {"id": "dato", "kind": "date",  # type: ignore[index]
                                             "label": "Dato"})
    with pytest.raises(TemplateError, match=re.escape(message)) as info:
        parse_template(data)
    assert "grundlag" in str(info.value)
