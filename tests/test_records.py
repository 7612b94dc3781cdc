"""Pure rules for answers: cleaning, dependent fields, required fields, DataFrames."""

from __future__ import annotations

from pathlib import Path

import pytest

from nysoc_widgets.records import Record, clean_answers, problems, records_to_frame, source_items
from nysoc_widgets.templates import Template, load_template

DATA = Path(__file__).parent / "data" / "templates" / "valid" / "alle-felttyper.toml"


@pytest.fixture(scope="module")
def template() -> Template:
    return load_template(DATA)


def test_picks_and_entries_follow_their_source(template: Template) -> None:
    values, errors = clean_answers(template, {
        "hypoteser": ["A", "B"], "sandsynlige": ["A", "C"],
        "tiltag": {"A": ["ring"], "B": ["skriv"]}})
    assert errors == {}
    assert values["sandsynlige"] == ["A"], "a pick whose item is gone is dropped"
    assert values["tiltag"] == {"A": ["ring"]}, "only picked hypotheses get measures"


def test_items_from_a_choice_source_are_its_labels(template: Template) -> None:
    fld = template.field("sandsynlige")
    assert source_items(template, fld, {"hypoteser": ["x", "x", " "]}) == ["x"]


def test_required_only_for_final(template: Template) -> None:
    assert problems(template, {}, final=False) == {}
    assert problems(template, {}, final=True) == {"overskrift": "Skal udfyldes."}
    assert problems(template, {"overskrift": "  "}, final=True) == {
        "overskrift": "Skal udfyldes."}


def test_bad_answer_is_kept_with_an_error(template: Template) -> None:
    values, errors = clean_answers(template, {"antal": "mange"})
    assert values["antal"] == "mange"
    assert "Skriv et tal" in errors["antal"]


def test_answers_to_unknown_fields_are_left_out(template: Template) -> None:
    values, _ = clean_answers(template, {"findes_ikke": "x"})
    assert "findes_ikke" not in values


def test_records_to_frame_has_metadata_and_typed_field_columns(template: Template) -> None:
    records = [
        Record("P1", template.id, 1, "mentee", "par",
               {"overskrift": "Møde", "dato": "2026-11-02", "antal": 3, "udbytte": 4},
               status="final", id="r1", created="2026-11-02T10:00:00.000+00:00",
               updated="2026-11-02T10:00:00.000+00:00", version=1),
        Record("P1", template.id, 1, "mentee", "par", {"overskrift": "Andet"},
               id="r2", created="2026-11-03T10:00:00.000+00:00",
               updated="2026-11-03T10:00:00.000+00:00", version=2),
    ]
    frame = records_to_frame(records, template)
    assert list(frame["id"]) == ["r1", "r2"]
    assert list(frame.columns[:3]) == ["id", "pairing", "template_id"]
    assert [f.id for f in template.fields] == list(frame.columns[10:])
    assert str(frame["udbytte"].dtype) == "Int64"
    assert frame["dato"].dt.month.tolist()[0] == 11
    assert frame["created"].dt.tz is not None


@pytest.fixture(scope="module")
def agreement() -> Template:
    from nysoc_widgets.catalogue import Catalogue

    return Catalogue.load().get("samarbejdsaftale")


@pytest.mark.parametrize("final", [True, False], ids=["final", "draft"])
def test_a_date_before_an_earlier_one_in_date_order_is_the_later_fields_problem(
        agreement: Template, final: bool) -> None:
    found = problems(agreement, {"startdato": "2026-03-01", "naeste_moede": "2026-02-20",
                                 "slutdato": "2026-12-01"}, final=final)
    assert found == {"naeste_moede": "Datoen ligger før »Startdato« (1. marts 2026)."}


def test_date_order_compares_with_the_latest_date_before_and_skips_empty_ones(
        agreement: Template) -> None:
    found = problems(agreement, {"startdato": "2026-03-01", "naeste_moede": "2026-04-01",
                                 "moedet_efter": "", "moedet_efter_det": "2026-03-15",
                                 "slutdato": "2026-03-20"})
    assert found == {"moedet_efter_det": "Datoen ligger før »Næste møde« (1. april 2026).",
                     "slutdato": "Datoen ligger før »Næste møde« (1. april 2026)."}


def test_equal_dates_are_in_order_and_a_bad_date_is_only_a_bad_date(
        agreement: Template) -> None:
    assert problems(agreement, {"startdato": "2026-03-01", "naeste_moede": "2026-03-01"}) == {}
    found = problems(agreement, {"startdato": "2026-03-01", "naeste_moede": "31-02-2026",
                                 "slutdato": "2026-01-01"})
    assert "Skriv en dato" in found["naeste_moede"]
    assert found["slutdato"] == "Datoen ligger før »Startdato« (1. marts 2026)."


def test_the_meeting_minutes_keep_the_next_meeting_after_this_one() -> None:
    from nysoc_widgets.catalogue import Catalogue

    minutes = Catalogue.load().get("mentormoede")
    found = problems(minutes, {"dato": "2026-05-10", "naeste_dato": "2026-05-01"},
                     final=False)
    assert found == {"naeste_dato": "Datoen ligger før »Dato for mødet« (10. maj 2026)."}


# ------------------------------------------------------------------------ roles, confirmations
from nysoc_widgets.records import (  # noqa: E402
    awaiting_confirmation,
    confirmations_reset,
    confirmed_by,
    keep_locked,
)
from nysoc_widgets.templates import parse_template  # noqa: E402

JA = [{"id": "ja", "da": "Ja"}]
AGREEMENT = parse_template({
    "schema_version": 1, "id": "aftale", "version": 1, "title": "Aftale", "source": "s",
    "confirmations": ["ok_mentor", "ok_mentee"],
    "sections": [{"id": "a", "title": "A", "fields": [
        {"id": "tekst", "kind": "long_text", "label": "Tekst"},
        {"id": "emner", "kind": "list", "label": "Emner"},
        {"id": "ok_mentor", "kind": "single_choice", "label": "Mentor", "choices": JA,
         "roles": ["mentor"]},
        {"id": "ok_mentee", "kind": "single_choice", "label": "Mentee", "choices": JA,
         "roles": ["mentee"]}]}]})
BOTH = {"tekst": "Vi mødes hver 14. dag.", "emner": ["Rammer"], "ok_mentor": "ja",
        "ok_mentee": "ja"}


def test_a_change_clears_the_confirmations() -> None:
    new = {**BOTH, "tekst": "Vi mødes hver uge."}
    after = confirmations_reset(AGREEMENT, BOTH, new)
    assert after == {**new, "ok_mentor": None, "ok_mentee": None}
    assert new["ok_mentor"] == "ja", "the answers given are not changed in place"


def test_confirmations_stay_when_nothing_else_changed() -> None:
    assert confirmations_reset(AGREEMENT, BOTH, dict(BOTH)) == BOTH
    only_mentee = {**BOTH, "ok_mentor": None}
    assert confirmations_reset(AGREEMENT, only_mentee, BOTH) == BOTH, "confirming is no change"
    assert confirmations_reset(AGREEMENT, {**BOTH, "emner": []},
                               {**BOTH, "emner": None}) == {**BOTH, "emner": None}, \
        "empty is empty however it is written"


def test_a_first_save_keeps_its_confirmations() -> None:
    assert confirmations_reset(AGREEMENT, None, BOTH) == BOTH


def test_who_has_confirmed() -> None:
    assert confirmed_by(AGREEMENT, BOTH) == ["mentor", "mentee"]
    assert awaiting_confirmation(AGREEMENT, BOTH) == []
    assert confirmed_by(AGREEMENT, {"ok_mentee": "ja"}) == ["mentee"]
    assert awaiting_confirmation(AGREEMENT, {"ok_mentee": "ja"}) == ["mentor"]


def test_a_checklist_confirms_when_every_point_is_ticked() -> None:
    template = parse_template({
        "schema_version": 1, "id": "t", "version": 1, "title": "T", "source": "s",
        "confirmations": ["tjek"], "sections": [{"id": "a", "title": "A", "fields": [
            {"id": "tjek", "kind": "checklist", "label": "Læst og enig",
             "choices": [{"id": "laest", "da": "Læst"}, {"id": "enig", "da": "Enig"}]}]}]})
    assert confirmed_by(template, {"tjek": ["laest", "enig"]}) == ["Læst og enig"]
    assert awaiting_confirmation(template, {"tjek": ["laest"]}) == ["Læst og enig"]


def test_answers_a_role_may_not_give_stay_as_saved() -> None:
    tried = {**BOTH, "ok_mentor": None, "ok_mentee": None}
    assert keep_locked(AGREEMENT, "mentee", tried, BOTH) == {**tried, "ok_mentor": "ja"}
    assert keep_locked(AGREEMENT, "mentor", BOTH, None) == {**BOTH, "ok_mentee": None}


def test_per_item_picks_drop_facts_no_longer_offered() -> None:
    from nysoc_widgets.catalogue import Catalogue

    analysis = Catalogue.load().get("sagsanalyse")
    values, errors = clean_answers(analysis, {
        "fakta": ["Bor alene", "To børn"], "handleretninger": ["Støt netværket", "Ro på"],
        "tiltag_fakta": {"Støt netværket": ["Bor alene", "Har job", "Bor alene"],
                         "Ro på": ["To børn"], "Forsvundet": ["To børn"]}})
    assert errors == {}
    assert values["tiltag_fakta"] == {"Støt netværket": ["Bor alene"], "Ro på": ["To børn"]}
    _, errors = clean_answers(analysis, {"handleretninger": ["x"],
                                         "tiltag_fakta": {"x": "Bor alene"}})
    assert errors == {"tiltag_fakta": "Skal være en liste."}
