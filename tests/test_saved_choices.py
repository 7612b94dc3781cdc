"""Choices from the pair's saved records (``choices_from_saved``): the template key, the
answers it accepts without a store, the options records give, and how an answer reads.

Records are built in memory as ``Record`` objects (as in ``test_phase.py``); the form that
reads them from a store is tested in ``test_forms_links.py``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest

from nysoc_widgets import boundary, i18n
from nysoc_widgets.catalogue import Catalogue
from nysoc_widgets.fields import SAVED_CHOICE_MAX
from nysoc_widgets.phase import planned_meetings
from nysoc_widgets.records import Record, clean_answers, problems
from nysoc_widgets.render import answer_text, record_html, record_markdown
from nysoc_widgets.saved_choices import (
    Option,
    empty_note,
    needed_templates,
    offered,
    readable,
    saved_options,
)
from nysoc_widgets.templates import Template, parse_template, template_from_json

CATALOGUE = Catalogue.load()
LOGBOOK = CATALOGUE.get("logbog")
GOALS = CATALOGUE.get("laeringsmaal")
MEETING = LOGBOOK.field("mentormoede")
LOG_GOALS = LOGBOOK.field("laeringsmaal")
OWN = "Skrive tydelige afgørelser"


def rec(template_id: str, written: str, status: str = "final", role: str = "mentor",
        **values: Any) -> Record:
    """A saved record of ``template_id`` (current version) written on ``written``."""
    template = CATALOGUE.get(template_id)
    stamp = f"{written}T10:00:00.000+00:00"
    return Record(pairing="par-test", template_id=template_id,
                  template_version=template.version, author_role=role,
                  confidentiality=template.level, values=values, status=status,
                  id=f"{template_id}-{written}-{status}", created=stamp, updated=stamp,
                  version=1)


def snapshot(template_id: str, version: int) -> Template | None:
    """The store's copy of a template version: here, the catalogue's."""
    template = CATALOGUE.get(template_id)
    return template if template.version == version else None


def goals(written: str, examples: list[str], own: list[str], status: str = "final") -> Record:
    return rec("laeringsmaal", written, status, eksempler=examples, egne=own,
               maal_status={})


# -- the template key ------------------------------------------------------------------------

def test_the_builtin_templates_link_to_meetings_and_the_pairs_goals() -> None:
    assert MEETING.kind == "single_choice" and MEETING.choices_from_saved == "mentormoede.dato"
    assert MEETING.saved_title is not None and MEETING.saved_title.da == "Mentormøde"
    assert not MEETING.required and MEETING.confidentiality == "privat"
    for template_id, field_id in [("logbog", "laeringsmaal"), ("coaching", "laeringsmaal"),
                                  ("mentormoede", "konkret_laeringsmaal")]:
        fld = CATALOGUE.get(template_id).field(field_id)
        assert fld.choices_from_saved == "laeringsmaal.maal_status", template_id
        assert fld.saved_title is None and fld.confidentiality != "deles"
    assert len(LOG_GOALS.choices) == 19, "the examples are offered too"
    assert CATALOGUE.get("mentormoede").field("konkret_laeringsmaal").choices == ()
    assert {t: CATALOGUE.get(t).version for t in ("logbog", "mentormoede", "coaching")} == {
        "logbog": 2, "mentormoede": 2, "coaching": 2}


def test_the_key_round_trips_through_json_as_the_store_keeps_it() -> None:
    again = template_from_json(LOGBOOK.to_json())
    assert again.field("mentormoede") == MEETING
    assert again.field("laeringsmaal") == LOG_GOALS


def test_a_date_reference_may_name_its_records_itself(tmp_path: Any) -> None:
    (tmp_path / "moeder.toml").write_text(
        'schema_version = 1\nid = "moeder"\nversion = 1\nsource = "test"\ntitle = "Møder"\n'
        'confidentiality = "privat"\n[[sections]]\nid = "a"\ntitle = "A"\n'
        '[[sections.fields]]\nid = "moede"\nkind = "single_choice"\nlabel = "Hvilket møde?"\n'
        'choices_from_saved = "mentormoede.dato"\nsaved_title = "Møde"\n', encoding="utf-8")
    catalogue = Catalogue.load(tmp_path)
    assert catalogue.problems == ()
    fld = catalogue.get("moeder").field("moede")
    assert answer_text(fld, "2026-03-03") == ["Møde 3. marts 2026"]


# -- answers, without a store ------------------------------------------------------------------

@pytest.mark.parametrize("value", ["myndighedsrollen", OWN, "Et mål, der er omdøbt siden",
                                   "2026-03-03", "  Med mellemrum  "],
                         ids=["an-example", "an-own-goal", "a-renamed-goal", "a-date",
                              "spaces"])
def test_a_known_choice_or_any_short_line_is_a_valid_answer(value: str) -> None:
    coaching = CATALOGUE.get("coaching")
    values, errors = clean_answers(coaching, {"laeringsmaal": value})
    assert errors == {}
    assert values["laeringsmaal"] == value.strip()


@pytest.mark.parametrize("value", ["To\nlinjer", "x" * (SAVED_CHOICE_MAX + 1), "   ", 7,
                                   ["en liste"]],
                         ids=["two-lines", "too-long", "blank", "a-number", "a-list"])
def test_text_that_is_not_one_short_line_is_refused_in_danish(value: Any) -> None:
    errors = problems(CATALOGUE.get("coaching"), {"laeringsmaal": value}, final=False)
    assert set(errors) == {"laeringsmaal"}
    assert "er ikke en af mulighederne" in errors["laeringsmaal"] or (
        errors["laeringsmaal"] == i18n.t("fields.saved_choice", max_length=SAVED_CHOICE_MAX))


def test_several_goals_keep_the_order_given_without_repeats() -> None:
    values, errors = clean_answers(LOGBOOK, {"dato": "2026-03-01", "laeringsmaal": [
        OWN, "praksischok", OWN, "stress"]})
    assert errors == {}
    assert values["laeringsmaal"] == [OWN, "praksischok", "stress"]


def test_a_field_without_the_key_still_takes_only_its_choices() -> None:
    errors = problems(CATALOGUE.get("coaching"), {"afdaekkende": [OWN]}, final=False)
    assert "er ikke en af mulighederne" in errors["afdaekkende"]


# -- options from saved records ----------------------------------------------------------------

def test_goals_come_from_the_latest_final_learning_goal_record() -> None:
    records = [goals("2026-01-10", ["praksischok"], ["Gammelt mål"]),
               goals("2026-02-10", ["myndighedsrollen", "stress"], [OWN, "Sige fra"]),
               goals("2026-03-10", ["etiske_dilemmaer"], ["Kun en kladde"], status="draft")]

    options = saved_options(LOG_GOALS, records, snapshot)

    assert options == [Option("myndighedsrollen", "Myndighedsrollen"),
                       Option("stress", "Håndtering af stress"),
                       Option(OWN, OWN), Option("Sige fra", "Sige fra")]


def test_a_field_without_the_examples_stores_every_goal_as_its_title() -> None:
    fld = CATALOGUE.get("mentormoede").field("konkret_laeringsmaal")
    options = saved_options(fld, [goals("2026-02-10", ["stress"], [OWN])], snapshot)
    assert options == [Option("Håndtering af stress", "Håndtering af stress"), Option(OWN, OWN)]


def test_the_pairs_goals_come_first_then_the_other_examples() -> None:
    saved = saved_options(LOG_GOALS, [goals("2026-02-10", ["stress"], [OWN])], snapshot)

    shown = offered(LOG_GOALS, saved)

    assert [o.value for o in shown[:2]] == ["stress", OWN]
    assert len(shown) == 19 + 1, "every example once, the own goal besides"
    assert [o.value for o in shown[2:]] == [c.id for c in LOG_GOALS.choices if c.id != "stress"]


def test_an_answer_no_longer_offered_is_kept_as_written() -> None:
    saved = saved_options(LOG_GOALS, [goals("2026-02-10", [], ["Skrive klare afgørelser"])],
                          snapshot)

    shown = offered(LOG_GOALS, saved, keep=[OWN, "praksischok", None])

    assert shown[-1] == Option(OWN, OWN)
    assert [o.value for o in shown].count("praksischok") == 1


def test_nothing_saved_offers_only_the_fields_own_choices() -> None:
    assert saved_options(LOG_GOALS, [], snapshot) == []
    assert [o.value for o in offered(LOG_GOALS, [])] == [c.id for c in LOG_GOALS.choices]


def test_a_record_of_a_version_the_store_lacks_offers_nothing() -> None:
    old = dataclasses.replace(goals("2026-02-10", [], [OWN]), template_version=99)
    assert saved_options(LOG_GOALS, [old], snapshot) == []


def test_meetings_held_newest_first_after_the_meetings_planned() -> None:
    records = [rec("mentormoede", "2026-02-03", dato="2026-02-03", naeste_dato="2026-03-03"),
               rec("mentormoede", "2026-03-04", "draft", dato="2026-03-03",
                   naeste_dato="2026-04-07"),
               rec("samarbejdsaftale", "2026-01-20", startdato="2026-01-26",
                   naeste_moede="2026-02-03", moedet_efter="2026-03-03",
                   moedet_efter_det="2026-05-05")]

    options = saved_options(MEETING, records, snapshot)

    assert options == [
        Option("2026-04-07", "Mentormøde 7. april 2026 (planlagt)"),
        Option("2026-05-05", "Mentormøde 5. maj 2026 (planlagt)"),
        Option("2026-03-03", "Mentormøde 3. marts 2026"),
        Option("2026-02-03", "Mentormøde 3. februar 2026"),
    ]


def test_only_the_latest_plans_count_and_a_held_date_is_not_planned() -> None:
    first = rec("mentormoede", "2026-02-03", dato="2026-02-03", naeste_dato="2026-02-24")
    moved = rec("mentormoede", "2026-03-03", dato="2026-03-03", naeste_dato="2026-03-31")
    old_plan = rec("samarbejdsaftale", "2026-01-20", naeste_moede="2026-02-03",
                   moedet_efter="2026-02-24")

    assert planned_meetings([first, moved, old_plan]) == [dt.date(2026, 3, 31)]
    assert planned_meetings([old_plan]) == [dt.date(2026, 2, 3), dt.date(2026, 2, 24)]
    assert planned_meetings([]) == []


def test_a_planned_meeting_with_nothing_held_yet_is_offered() -> None:
    agreement = rec("samarbejdsaftale", "2026-01-20", naeste_moede="2026-02-03")
    assert saved_options(MEETING, [agreement], snapshot) == [
        Option("2026-02-03", "Mentormøde 3. februar 2026 (planlagt)")]


def test_the_templates_a_form_reads_one_query_each() -> None:
    assert needed_templates(LOGBOOK.fields) == ["mentormoede", "samarbejdsaftale",
                                                "laeringsmaal"]
    assert needed_templates(CATALOGUE.get("coaching").fields) == ["laeringsmaal"]
    assert needed_templates(CATALOGUE.get("evaluering").fields) == []


def test_a_private_record_of_another_role_is_never_offered() -> None:
    mine = rec("logbog", "2026-02-01", role="mentee", dato="2026-02-01")
    theirs = rec("logbog", "2026-02-02", role="mentor", dato="2026-02-02")
    assert readable([mine, theirs], "mentee") == [mine]


@pytest.mark.parametrize(("fld", "expected"), [
    (MEETING, "Der er ingen mentormøder gemt i dette arbejdsområde endnu."),
    (LOG_GOALS, "Der er ingen færdige læringsmål gemt i dette arbejdsområde endnu. "
                "Indtil da kan du vælge blandt mulighederne ovenfor."),
    (CATALOGUE.get("mentormoede").field("konkret_laeringsmaal"),
     "Der er ingen færdige læringsmål gemt i dette arbejdsområde endnu."),
], ids=["meetings", "goals-with-examples", "goals-only"])
def test_the_danish_line_when_nothing_is_saved(fld: Any, expected: str) -> None:
    assert empty_note(fld) == expected


# -- how an answer reads -----------------------------------------------------------------------

def test_a_meeting_reads_by_its_date_and_a_goal_by_its_title() -> None:
    assert answer_text(MEETING, "2026-03-03") == ["Mentormøde 3. marts 2026"]
    assert answer_text(LOG_GOALS, [OWN, "praksischok"]) == [OWN, "Praksischok"]


def test_the_record_shows_labels_never_the_bare_date() -> None:
    record = rec("logbog", "2026-03-04", dato="2026-03-04", mentormoede="2026-03-03",
                 laeringsmaal=[OWN, "stress"])

    html, markdown = record_html(LOGBOOK, record), record_markdown(LOGBOOK, record)

    for text in (html, markdown):
        assert "Mentormøde 3. marts 2026" in text and "2026-03-03" not in text
        assert OWN in text and "Håndtering af stress" in text
    assert "<dt><strong>Hvilket mentormøde handler det om?</strong></dt>" in html


# -- confidentiality ---------------------------------------------------------------------------

def test_a_template_marking_such_a_field_deles_is_refused() -> None:
    from nysoc_widgets.errors import TemplateError

    with pytest.raises(TemplateError, match="må ikke være confidentiality"):
        parse_template({"schema_version": 1, "id": "x", "version": 1, "source": "s",
                        "title": "X", "confidentiality": "deles", "sections": [
                            {"id": "a", "title": "A", "fields": [
                                {"id": "maal", "kind": "multi_choice", "label": "Mål",
                                 "choices_from_saved": "laeringsmaal.egne"}]}]})


def test_the_boundary_never_lets_such_a_field_out_even_if_marked_deles() -> None:
    """Defence in depth: a template built around the parser cannot send a goal's title."""
    meeting = CATALOGUE.get("mentormoede")
    shared_goal = dataclasses.replace(meeting.field("konkret_laeringsmaal"),
                                      confidentiality="deles")
    sections = tuple(dataclasses.replace(s, fields=tuple(
        shared_goal if f.id == shared_goal.id else f for f in s.fields))
        for s in meeting.sections)
    leaky = dataclasses.replace(meeting, sections=sections)
    record = rec("mentormoede", "2026-03-03", dato="2026-03-03", konkret_laeringsmaal=OWN)

    shared = boundary.shareable_record(record, leaky)

    assert shared is not None and shared["fields"] == {"dato": "2026-03-03", "naeste_dato": None}
    assert shared_goal not in boundary.leaving_fields(leaky)
