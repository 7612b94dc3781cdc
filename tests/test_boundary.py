"""The confidentiality boundary: what of a record, and of a pairing, may reach the
coordinator. Per template which fields leave; ``privat`` never leaves; consent; own goals
replaced by neutral labels; a wrong workplace template still does not leak; the summary."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from nysoc_widgets import boundary
from nysoc_widgets.boundary import initials, shareable_record, shareable_summary
from nysoc_widgets.catalogue import Catalogue
from nysoc_widgets.errors import TemplateError
from nysoc_widgets.records import Pairing, Record, clean_answers, entry_items, source_items
from nysoc_widgets.store import Store
from nysoc_widgets.templates import Template, parse_template, template_from_json

CATALOGUE = Catalogue.load()
FORMS = [t.id for t in CATALOGUE if t.kind == "form"]
SECRET = "Hemmelig tekst om borgeren"

#: Which fields of each built-in form leave the pair (None: the record never leaves).
LEAVING: dict[str, list[str] | None] = {
    "coaching": [],
    "evaluering": ["dato", "evaluering_type", "udfyldt_af", "indhold", "laeringsmaal",
                   "relevans", "form", "rammer", "metode", "udbytte", "del_scorer",
                   "tovholder_inddraget"],
    "forberedelse_mentee": None,
    "forberedelse_mentor": None,
    "introduktion_tjekliste": [],
    "laeringsmaal": ["eksempler", "maal_status"],
    "logbog": None,
    "mentormoede": ["dato", "naeste_dato"],
    "procesjournal": [],
    "sagsanalyse": [],
    "samarbejdsaftale": ["antal_moeder", "startdato", "slutdato", "naeste_moede",
                         "moedet_efter", "moedet_efter_det"],
    "statusmoede": ["dato", "naeste_dato"],
}


def entry(kind: str, fld: Any, text: str) -> Any:
    return {"short_text": text, "long_text": text, "list": [text + " 1", text + " 2"],
            "date": "2026-03-02", "number": int(fld.min or 2), "scale": 4,
            "single_choice": fld.choices[0].id if fld.choices else None}[kind]


def filled(template: Template, text: str = SECRET, **given: Any) -> dict[str, Any]:
    """A valid answer to every field; every free text is ``text`` (plus a number)."""
    values: dict[str, Any] = {}
    for fld in template.fields:
        if fld.id in given:
            values[fld.id] = given[fld.id]
        elif fld.kind in ("multi_choice", "checklist"):
            values[fld.id] = [c.id for c in fld.choices[:2]]
        elif fld.kind == "pick":
            values[fld.id] = source_items(template, fld, values)[:1]
        elif fld.kind == "per_item" and fld.entry == "pick":
            values[fld.id] = {item: entry_items(template, fld, values)[:1]
                              for item in source_items(template, fld, values)}
        elif fld.kind == "per_item":
            values[fld.id] = {item: entry(fld.entry or "long_text", fld, f"{text} {fld.id}")
                              for item in source_items(template, fld, values)}
        else:
            values[fld.id] = entry(fld.kind, fld, f"{text} {fld.id}")
    clean, errors = clean_answers(template, values)
    assert not errors, errors
    return clean


def record(template: Template, values: dict[str, Any], **meta: Any) -> Record:
    base: dict[str, Any] = {
        "pairing": "P1", "template_id": template.id, "template_version": template.version,
        "author_role": "mentor", "confidentiality": template.level, "values": values,
        "status": "final", "id": "r1", "created": "2026-03-01T22:30:00.000+00:00",
        "updated": "2026-03-03T08:00:00.000+00:00", "version": 2}
    return Record(**{**base, **meta})


def workplace(*fields: dict[str, Any], **top: Any) -> Template:
    """A workplace template (``sections`` of the given fields)."""
    data = {"schema_version": 1, "id": "eget", "version": 1, "title": "Eget skema",
            "source": "Arbejdspladsen", "confidentiality": "par",
            "sections": [{"id": "a", "title": "A", "fields": list(fields)}], **top}
    return parse_template(data)


# -- per template ------------------------------------------------------------------------

def test_the_table_covers_every_form_of_the_catalogue() -> None:
    assert sorted(LEAVING) == sorted(FORMS)


@pytest.mark.parametrize("template_id", FORMS)
def test_which_fields_leave(template_id: str) -> None:
    template = CATALOGUE.get(template_id)
    values = filled(template, **({"del_scorer": "ja"} if template_id == "evaluering" else {}))
    shared = shareable_record(record(template, values), template)
    expected = LEAVING[template_id]
    if expected is None:
        assert shared is None
        return
    assert shared is not None
    assert list(shared["fields"]) == expected
    assert [f.id for f in boundary.leaving_fields(template)] == expected
    assert SECRET not in json.dumps(shared, ensure_ascii=False)


def test_metadata_is_dates_and_counts_never_author_text() -> None:
    template = CATALOGUE.get("mentormoede")
    shared = shareable_record(record(template, filled(template)), template)
    assert shared == {
        "pairing": "P1", "template_id": "mentormoede", "template_version": template.version,
        "status": "final",
        "created": "2026-03-01",  # 22.30 UTC is 23.30 in Copenhagen: still 1 March
        "updated": "2026-03-03", "versions": 2,
        "fields": {"dato": "2026-03-02", "naeste_dato": "2026-03-02"},
    }


def test_a_late_evening_save_counts_on_the_danish_day() -> None:
    template = CATALOGUE.get("mentormoede")
    late = record(template, filled(template), created="2026-06-01T22:30:00+00:00")
    shared = shareable_record(late, template)
    assert shared is not None and shared["created"] == "2026-06-02"  # summer time: 00.30


def test_choices_leave_as_template_ids() -> None:
    template = CATALOGUE.get("laeringsmaal")
    values = filled(template, eksempler=["praksischok", "stress"])
    shared = shareable_record(record(template, values), template)
    assert shared is not None
    assert shared["fields"]["eksempler"] == ["stress", "praksischok"]  # template order


def test_a_record_for_another_template_version_is_refused() -> None:
    template = CATALOGUE.get("mentormoede")
    other = template.version + 1
    with pytest.raises(ValueError, match=f"version {other}, not 'mentormoede' version "
                                         f"{template.version}"):
        shareable_record(record(template, {}, template_version=other), template)


# -- privat ------------------------------------------------------------------------------

@pytest.mark.parametrize("template_id", ["logbog", "forberedelse_mentor", "forberedelse_mentee"])
def test_private_records_never_leave(template_id: str) -> None:
    template = CATALOGUE.get(template_id)
    assert shareable_record(record(template, filled(template)), template) is None


def test_a_record_kept_private_never_leaves_even_under_a_shared_template() -> None:
    template = CATALOGUE.get("mentormoede")
    private = record(template, filled(template), confidentiality="privat")
    assert shareable_record(private, template) is None


def test_one_private_field_keeps_the_whole_record_inside() -> None:
    template = workplace({"id": "dato", "kind": "date", "label": "Dato",
                          "confidentiality": "deles"},
                         {"id": "noter", "kind": "long_text", "label": "Noter",
                          "confidentiality": "privat"})
    assert template.level == "privat"
    rec = record(template, {"dato": "2026-01-05", "noter": SECRET}, confidentiality="par")
    assert shareable_record(rec, template) is None


# -- consent -----------------------------------------------------------------------------

SCORES = ["indhold", "laeringsmaal", "relevans", "form", "rammer", "metode", "udbytte"]


def test_the_evaluation_names_its_consent_field() -> None:
    assert CATALOGUE.get("evaluering").share_consent == "del_scorer"


def test_scores_leave_when_the_pair_said_yes() -> None:
    template = CATALOGUE.get("evaluering")
    shared = shareable_record(record(template, filled(template, del_scorer="ja")), template)
    assert shared is not None
    assert {k: shared["fields"][k] for k in SCORES} == dict.fromkeys(SCORES, 4)
    assert shared["fields"]["del_scorer"] == "ja"


def test_consent_gates_exactly_the_seven_scores() -> None:
    template = CATALOGUE.get("evaluering")
    assert [f.id for f in template.fields if f.needs_consent] == SCORES


@pytest.mark.parametrize("answer", ["nej", None], ids=["nej", "unanswered"])
def test_without_yes_the_scores_stay_and_the_facts_leave(answer: str | None) -> None:
    template = CATALOGUE.get("evaluering")
    values = filled(template, del_scorer=answer, evaluering_type="midtvejs",
                    udfyldt_af="mentee", tovholder_inddraget="nej")
    shared = shareable_record(record(template, values), template)
    assert shared is not None
    assert shared["fields"] == {"dato": "2026-03-02", "evaluering_type": "midtvejs",
                                "udfyldt_af": "mentee", "del_scorer": answer,
                                "tovholder_inddraget": "nej"}


def test_consent_is_data_a_workplace_template_can_use() -> None:
    template = workplace(
        {"id": "score", "kind": "scale", "label": "Score", "confidentiality": "deles",
         "needs_consent": True},
        {"id": "dag", "kind": "date", "label": "Dag", "confidentiality": "deles"},
        {"id": "ok", "kind": "single_choice", "label": "Må vi dele?", "confidentiality": "deles",
         "choices": [{"id": "ja", "da": "Ja"}, {"id": "nej", "da": "Nej"}]},
        share_consent="ok")
    yes = shareable_record(record(template, {"score": 5, "dag": "2026-03-02", "ok": "ja"}),
                           template)
    no = shareable_record(record(template, {"score": 5, "dag": "2026-03-02", "ok": "nej"}),
                          template)
    assert yes is not None and yes["fields"] == {"score": 5, "dag": "2026-03-02", "ok": "ja"}
    assert no is not None and no["fields"] == {"dag": "2026-03-02", "ok": "nej"}


def test_a_consent_template_built_in_code_without_marks_gates_every_shared_field() -> None:
    """Defence in depth: the parser refuses a consent that gates nothing; a template made
    in code that has one anyway keeps the old meaning (every ``deles`` field gated)."""
    current = CATALOGUE.get("evaluering")
    unmarked = dataclasses.replace(current, sections=tuple(
        dataclasses.replace(s, fields=tuple(dataclasses.replace(f, needs_consent=False)
                                            for f in s.fields)) for s in current.sections))
    shared = shareable_record(record(unmarked, filled(unmarked, del_scorer="nej")), unmarked)
    assert shared is not None and shared["fields"] == {"del_scorer": "nej"}


def test_an_evaluation_stored_under_version_1_keeps_its_consent_for_everything() -> None:
    """A store's (or data export's) copy of a template from before ``needs_consent``: its
    consent gated every ``deles`` field, and still does."""
    current = CATALOGUE.get("evaluering")
    data = json.loads(current.to_json())
    for section in data["sections"]:
        for fld in section["fields"]:
            fld.pop("needs_consent", None)
    data["version"] = 1
    old = template_from_json(json.dumps(data))
    assert [f.id for f in old.fields if f.needs_consent] == [
        "dato", "evaluering_type", "udfyldt_af", *SCORES, "tovholder_inddraget"]
    with pytest.raises(TemplateError, match="intet felt kræver samtykke"):
        parse_template(data)  # a template *file* must say what it means
    shared = shareable_record(record(old, filled(old, del_scorer="nej")), old)
    assert shared is not None and shared["fields"] == {"del_scorer": "nej"}


CONSENT_CHOICES = [{"id": "ja", "da": "Ja"}, {"id": "nej", "da": "Nej"}]


@pytest.mark.parametrize("fields, value", [
    ([{"id": "ok", "kind": "single_choice", "label": "OK", "choices": CONSENT_CHOICES}],
     "findes_ikke"),
    ([{"id": "ok", "kind": "multi_choice", "label": "OK", "choices": CONSENT_CHOICES}], "ok"),
    ([{"id": "ok", "kind": "single_choice", "label": "OK",
       "choices": [{"id": "yes", "da": "Ja"}]}], "ok"),
    ([{"id": "ok", "kind": "long_text", "label": "OK"}], "ok"),
    ([{"id": "ok", "kind": "single_choice", "label": "OK", "choices": CONSENT_CHOICES}], 3),
], ids=["unknown-field", "not-single-choice", "no-ja-choice", "text-field", "not-a-string"])
def test_a_wrong_consent_field_is_refused(fields: list[dict[str, Any]], value: Any) -> None:
    gated = {"id": "score", "kind": "scale", "label": "Score", "confidentiality": "deles",
             "needs_consent": True}
    with pytest.raises(TemplateError, match=r"share_consent.*single_choice.*'ja'") as info:
        workplace(gated, *fields, share_consent=value)
    assert info.value.field == "share_consent"
    assert "must be the id of a single_choice field" in info.value.english


def test_the_consent_field_survives_the_stores_copy() -> None:
    template = CATALOGUE.get("evaluering")
    assert template.to_dict()["share_consent"] == "del_scorer"
    assert template_from_json(template.to_json()).share_consent == "del_scorer"
    assert "share_consent" not in CATALOGUE.get("mentormoede").to_dict()


# -- own learning goals and other items the pair wrote -----------------------------------

def goals_record(own: list[str], statuses: dict[str, str]) -> tuple[Record, Template]:
    template = CATALOGUE.get("laeringsmaal")
    values, errors = clean_answers(template, {
        "blive_bedre_til": SECRET, "eksempler": ["praksischok", "stress"], "egne": own,
        "maal_status": statuses})
    assert not errors
    return record(template, values), template


def test_own_goal_titles_become_neutral_and_example_titles_stay() -> None:
    rec, template = goals_record(
        ["Tale med Jens fra Vesterbro om hans sag", "Sige nej til min leder"],
        {"Praksischok": "naaet", "Håndtering af stress": "i_gang",
         "Tale med Jens fra Vesterbro om hans sag": "i_gang",
         "Sige nej til min leder": "ikke_startet"})
    shared = shareable_record(rec, template)
    assert shared is not None
    assert shared["fields"]["maal_status"] == {
        "Praksischok": "naaet", "Håndtering af stress": "i_gang",
        "Eget læringsmål 1": "i_gang", "Eget læringsmål 2": "ikke_startet"}
    text = json.dumps(shared, ensure_ascii=False)
    assert "Jens" not in text and "leder" not in text and SECRET not in text


def test_own_goals_are_numbered_by_their_place_in_the_list() -> None:
    rec, template = goals_record(["Første", "Andet", "Tredje"], {"Tredje": "naaet"})
    shared = shareable_record(rec, template)
    assert shared is not None
    assert shared["fields"]["maal_status"] == {"Eget læringsmål 3": "naaet"}


def test_a_tampered_key_never_leaves_as_written() -> None:
    rec, template = goals_record(["Eget"], {})
    rec = dataclasses.replace(rec, values={**rec.values,
                                           "maal_status": {SECRET: "naaet", "Eget": "i_gang"}})
    shared = shareable_record(rec, template)
    assert shared is not None
    assert shared["fields"]["maal_status"] == {"Eget læringsmål 2": "naaet",
                                               "Eget læringsmål 1": "i_gang"}


def test_a_pick_from_a_written_list_leaves_only_neutral_items() -> None:
    template = workplace(
        {"id": "emner", "kind": "list", "label": "Emner"},
        {"id": "valgt", "kind": "pick", "label": "Valgt", "source": "emner",
         "confidentiality": "deles"},
        {"id": "vigtighed", "kind": "per_item", "label": "Hvor vigtigt?", "source": "emner",
         "entry": "scale", "confidentiality": "deles"})
    values, _ = clean_answers(template, {"emner": [SECRET, "Andet"], "valgt": ["Andet"],
                                         "vigtighed": {SECRET: 5, "Andet": 2}})
    shared = shareable_record(record(template, values), template)
    assert shared is not None
    assert shared["fields"] == {"valgt": ["Eget punkt 2"],
                                "vigtighed": {"Eget punkt 1": 5, "Eget punkt 2": 2}}


# -- a workplace template that is wrong --------------------------------------------------

@pytest.mark.parametrize("fld", [
    {"kind": "long_text"},
    {"kind": "short_text"},
    {"kind": "list"},
    {"kind": "per_item", "source": "liste", "entry": "long_text"},
    {"kind": "per_item", "source": "liste", "entry": "short_text"},
    {"kind": "per_item", "source": "liste", "entry": "list"},
    {"kind": "per_item", "source": "liste", "entry": "pick", "entry_source": "liste"},
], ids=lambda f: f["kind"] + ("-" + f["entry"] if "entry" in f else ""))
def test_free_text_marked_deles_by_mistake_still_stays(fld: dict[str, Any]) -> None:
    template = workplace(
        {"id": "liste", "kind": "list", "label": "Liste", "confidentiality": "deles"},
        {"id": "dato", "kind": "date", "label": "Dato", "confidentiality": "deles"},
        {"id": "fejl", "label": "Fejlmarkeret", "confidentiality": "deles", **fld})
    values, _ = clean_answers(template, {"liste": [SECRET], "dato": "2026-05-01",
                                         "fejl": filled(template)["fejl"]})
    assert "fejl" not in [f.id for f in boundary.leaving_fields(template)]
    shared = shareable_record(record(template, values), template)
    assert shared is not None and shared["fields"] == {"dato": "2026-05-01"}
    assert SECRET not in json.dumps(shared, ensure_ascii=False)


@pytest.mark.parametrize("field_id, tampered", [
    ("dato", SECRET), ("antal", SECRET), ("valg", SECRET), ("flere", [SECRET]),
    ("score", SECRET)])
def test_a_tampered_answer_is_not_passed_through(field_id: str, tampered: Any) -> None:
    template = workplace(
        {"id": "dato", "kind": "date", "label": "Dato"},
        {"id": "antal", "kind": "number", "label": "Antal"},
        {"id": "valg", "kind": "single_choice", "label": "Valg", "choices": CONSENT_CHOICES},
        {"id": "flere", "kind": "multi_choice", "label": "Flere", "choices": CONSENT_CHOICES},
        {"id": "score", "kind": "scale", "label": "Score"}, confidentiality="deles")
    rec = record(template, {field_id: tampered})
    shared = shareable_record(rec, template)
    assert shared is not None and field_id not in shared["fields"]
    assert SECRET not in json.dumps(shared, ensure_ascii=False)


def test_a_tampered_status_does_not_leave() -> None:
    template = CATALOGUE.get("mentormoede")
    shared = shareable_record(record(template, {}, status=SECRET), template)
    assert shared is not None and shared["status"] is None


# -- the summary of a pairing ------------------------------------------------------------

@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "nysoc.db", create=True) as store:
        store.add_pairing(Pairing(id="P1", mentor="Mette Holm", mentee="Ali Bakr-Nielsen",
                                  department="Børn og familie", start_date="2026-01-12",
                                  planned_end="2026-12-31"))
        yield store


def save(store: Store, template_id: str, status: str = "final", **given: Any) -> Record:
    template = CATALOGUE.get(template_id)
    values = filled(template, **given)
    return store.save_record(Record("P1", template.id, template.version, "mentor",
                                    template.level, values, status), template)


def test_initials() -> None:
    assert initials("Mette Holm") == "M.H."
    assert initials(" ali  bakr-nielsen ") == "A.B.N."
    assert initials("") == ""


def test_summary_of_a_pairing(store: Store) -> None:
    save(store, "logbog", dato="2026-02-01")
    save(store, "samarbejdsaftale", startdato="2026-01-20", slutdato="2026-12-01",
         naeste_moede="2026-02-03", moedet_efter="2026-03-03", moedet_efter_det="2026-04-07",
         antal_moeder=8)
    save(store, "mentormoede", dato="2026-02-03", naeste_dato="2026-03-03")
    save(store, "mentormoede", "draft", dato="2026-03-03", naeste_dato="2026-04-07")
    goals = save(store, "laeringsmaal", eksempler=["praksischok"], egne=[SECRET],
                 maal_status={"Praksischok": "i_gang", SECRET: "ikke_startet"})
    store.save_record(goals.with_values({**goals.values, "maal_status": {
        "Praksischok": "naaet", SECRET: "i_gang"}}), CATALOGUE.get("laeringsmaal"))
    save(store, "evaluering", dato="2026-11-30", del_scorer="nej",
         evaluering_type="afslutning", udfyldt_af="mentee")

    summary = shareable_summary(store, "P1", CATALOGUE, today=dt.date(2026, 12, 1))

    text = json.dumps(summary, ensure_ascii=False)
    assert SECRET not in text and "Mette" not in text and "Holm" not in text
    assert summary["format"] == "nysoc-summary" and summary["format_version"] == 2
    assert summary["generated"] == "2026-12-01"
    assert summary["shared"] is None, "built, not shared"
    assert summary["pairing"] == {
        "id": "P1", "department": "Børn og familie",
        "initials": {"mentor": "M.H.", "mentee": "A.B.N."},
        "start_date": "2026-01-12", "planned_end": "2026-12-31"}
    assert summary["meetings"] == {"held": ["2026-02-03", "2026-03-03"],
                                   "planned": ["2026-04-07"]}
    assert summary["status_meetings"] == {"held": [], "planned": []}
    assert summary["agreement"]["meetings_agreed"] == 8
    assert summary["agreement"]["start"] == "2026-01-20"
    assert summary["phase"]["current"] == "afslutning"
    assert list(summary["phase"]["began"]) == ["forberedelse", "opstart", "laering",
                                               "afslutning"]
    assert summary["phase"]["began"]["forberedelse"] == "2026-01-12"
    assert summary["phase"]["began"]["laering"] == "2026-02-03"
    assert summary["learning_goals"] == [
        {"id": "praksischok", "title": "Praksischok", "own": False, "status": "naaet",
         "status_label": "Nået"},
        {"id": None, "title": "Eget læringsmål 1", "own": True, "status": "i_gang",
         "status_label": "I gang"}]
    assert [h["goals"] for h in summary["learning_goal_history"]] == [
        {"Praksischok": "i_gang", "Eget læringsmål 1": "ikke_startet"},
        {"Praksischok": "naaet", "Eget læringsmål 1": "i_gang"}]
    evaluation = summary["evaluation"]
    assert evaluation["consent"] == "nej"
    assert evaluation["scores"] == {} and evaluation["average"] is None
    assert evaluation["date"] == "2026-11-30", "the date leaves without consent (v2)"
    assert (evaluation["type"], evaluation["by"]) == ("afslutning", "mentee")
    assert summary["evaluations"] == [evaluation]
    assert "logbog" not in summary["counts"], "not even how many private notes there are"
    assert summary["counts"]["mentormoede"] == {
        "title": "Mentormøde", "total": 2, "final": 1, "draft": 1,
        "first": "2026-02-03", "last": "2026-03-03",
        "dates": {"dato": ["2026-02-03", "2026-03-03"],
                  "naeste_dato": ["2026-03-03", "2026-04-07"]}}
    assert {r["template_id"] for r in summary["records"]} == {
        "samarbejdsaftale", "mentormoede", "laeringsmaal", "evaluering"}


def test_summary_shows_scores_the_pair_agreed_to_share(store: Store) -> None:
    save(store, "evaluering", dato="2026-11-30", del_scorer="ja", indhold=5, udbytte=3)
    evaluation = shareable_summary(store, "P1", CATALOGUE)["evaluation"]
    assert evaluation["consent"] == "ja" and evaluation["date"] == "2026-11-30"
    assert evaluation["scores"] == {"indhold": 5, "laeringsmaal": 4, "relevans": 4, "form": 4,
                                    "rammer": 4, "metode": 4, "udbytte": 3}
    assert evaluation["labels"]["indhold"] == "Indhold"
    assert evaluation["average"] == 4.0


def test_a_midway_evaluation_without_consent_does_not_close_the_programme(
        store: Store) -> None:
    save(store, "mentormoede", dato="2026-02-03", naeste_dato="2026-03-03")
    save(store, "evaluering", dato="2026-06-01", del_scorer="nej",
         evaluering_type="midtvejs", udfyldt_af="mentor")
    summary = shareable_summary(store, "P1", CATALOGUE)
    assert summary["phase"]["current"] == "laering"
    assert "afslutning" not in summary["phase"]["began"]
    assert summary["evaluation"]["type"] == "midtvejs"
    assert summary["evaluation"]["scores"] == {}


def test_every_evaluation_oldest_first_with_who_and_which(store: Store) -> None:
    save(store, "evaluering", dato="2026-11-30", del_scorer="ja", evaluering_type="afslutning",
         udfyldt_af="mentee", indhold=5)
    save(store, "evaluering", dato="2026-06-01", del_scorer="nej", evaluering_type="midtvejs",
         udfyldt_af="mentor")
    save(store, "evaluering", dato="2026-11-30", del_scorer="ja", evaluering_type="afslutning",
         udfyldt_af="mentor", indhold=3)
    summary = shareable_summary(store, "P1", CATALOGUE)
    evaluations = summary["evaluations"]
    assert [(e["date"], e["type"], e["by"]) for e in evaluations] == [
        ("2026-06-01", "midtvejs", "mentor"), ("2026-11-30", "afslutning", "mentee"),
        ("2026-11-30", "afslutning", "mentor")]
    assert [e["scores"].get("indhold") for e in evaluations] == [None, 5, 3]
    assert set(evaluations[0]) == set(summary["evaluation"])
    assert summary["evaluation"] in evaluations[1:]
    assert summary["phase"]["current"] == "afslutning"


def test_a_shared_summary_says_when_and_by_whom(store: Store) -> None:
    at = dt.datetime(2026, 11, 23, 23, 30, 12, 999, tzinfo=dt.timezone.utc)
    summary = shareable_summary(store, "P1", CATALOGUE, shared_by="mentee", shared_at=at)
    assert summary["shared"] == {"at": "2026-11-23T23:30:12+00:00", "by": "mentee"}
    assert summary["generated"] == "2026-11-24", "the Danish day it was shared"
    with pytest.raises(ValueError, match="shared_by must be one of mentor, mentee"):
        shareable_summary(store, "P1", CATALOGUE, shared_by="koordinator")
    with pytest.raises(ValueError, match="aware datetime"):
        shareable_summary(store, "P1", CATALOGUE, shared_by="mentor",
                          shared_at=dt.datetime(2026, 11, 23, 12))


def test_summary_of_a_new_pairing_is_in_preparation(store: Store) -> None:
    summary = shareable_summary(store, "P1", CATALOGUE)
    assert summary["phase"] == {"current": "forberedelse",
                                "began": {"forberedelse": "2026-01-12"}}
    assert summary["learning_goals"] == [] and summary["evaluation"] is None
    assert summary["evaluations"] == []
    assert summary["agreement"] is None and summary["records"] == []
    json.dumps(summary)


def test_an_older_record_follows_the_narrower_of_its_version_and_todays(store: Store) -> None:
    old = CATALOGUE.get("mentormoede")
    save(store, "mentormoede", dato="2026-02-03", naeste_dato="2026-03-03")
    narrowed = dataclasses.replace(old, version=old.version + 1, sections=tuple(
        dataclasses.replace(s, fields=tuple(
            dataclasses.replace(f, confidentiality="par") if f.id == "naeste_dato" else f
            for f in s.fields)) for s in old.sections))
    catalogue = Catalogue({**{t.id: t for t in CATALOGUE}, "mentormoede": narrowed})
    [shared] = shareable_summary(store, "P1", catalogue)["records"]
    assert shared["template_version"] == old.version
    assert shared["fields"] == {"dato": "2026-02-03"}


def without_consent(template: Template, version: int) -> Template:
    """``template`` as it would have been before it had a consent rule."""
    return dataclasses.replace(template, version=version, share_consent=None, sections=tuple(
        dataclasses.replace(s, fields=tuple(dataclasses.replace(f, needs_consent=False)
                                            for f in s.fields)) for s in template.sections))


def test_an_older_evaluation_gets_todays_consent_rule(store: Store) -> None:
    current = CATALOGUE.get("evaluering")
    old = without_consent(current, current.version - 1)  # as stored before the rule
    store.save_record(Record("P1", old.id, old.version, "mentor", old.level,
                             filled(old, del_scorer="nej", udfyldt_af="mentor"), "final"), old)
    [shared] = shareable_summary(store, "P1", CATALOGUE)["records"]
    assert shared["template_version"] == old.version
    assert shared["fields"] == {"dato": "2026-03-02", "evaluering_type": "midtvejs",
                                "udfyldt_af": "mentor", "del_scorer": "nej",
                                "tovholder_inddraget": "ja"}


def test_an_evaluation_saved_under_version_1_shares_as_it_promised(store: Store) -> None:
    """Version 1's consent covered every shared field (the store's copy says so): without
    ja, only the answer leaves, so a v2 summary reads it as a closing evaluation of no kind
    (type null) – as v1 did."""
    data = json.loads(CATALOGUE.get("evaluering").to_json())
    for section in data["sections"]:
        for fld in section["fields"]:
            fld.pop("needs_consent", None)
            if fld["id"] == "udfyldt_af":
                fld["confidentiality"] = "par"  # version 1: who filled it in stayed inside
    v1 = template_from_json(json.dumps({**data, "version": 1}))
    store.save_record(Record("P1", v1.id, 1, "mentee", v1.level,
                             filled(v1, del_scorer="nej", evaluering_type="midtvejs"),
                             "final"), v1)
    summary = shareable_summary(store, "P1", CATALOGUE)
    assert summary["records"][0]["fields"] == {"del_scorer": "nej"}
    assert summary["evaluation"]["type"] is None and summary["evaluation"]["by"] is None
    assert summary["phase"]["current"] == "afslutning"


def test_a_record_whose_template_is_unknown_does_not_leave(
        store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    save(store, "mentormoede", dato="2026-02-03")
    catalogue = Catalogue({t.id: t for t in CATALOGUE if t.id != "mentormoede"})
    monkeypatch.setattr(store, "template_snapshot", lambda *_args: None)
    assert shareable_summary(store, "P1", catalogue)["records"] == []


# -- the boundary's own shape ------------------------------------------------------------

PACKAGE = Path(boundary.__file__).parent


def test_the_boundary_is_pure_data_with_no_widgets_or_pandas() -> None:
    code = ("import sys, nysoc_widgets.boundary as b; "
            "print(sorted(m for m in ('ipywidgets', 'pandas', 'matplotlib', 'nbconvert') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=PACKAGE.parent)
    assert out.stdout.strip() == "[]"


def test_the_coordinators_code_never_imports_the_store() -> None:
    """DESIGN.md: coordinator data comes through the boundary only (checked once such
    modules exist)."""
    for path in sorted(PACKAGE.glob("coordinator*.py")):
        imported = {line.split()[1].lstrip(".") for line in
                    path.read_text(encoding="utf-8").splitlines()
                    if line.lstrip().startswith(("from .", "import "))}
        assert "store" not in imported, path.name
