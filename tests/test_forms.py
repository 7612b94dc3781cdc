"""The form engine, driven as a user would: set widget values, click buttons."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Iterator
from pathlib import Path

import ipywidgets as w
import pytest

from nysoc_widgets.catalogue import Catalogue
from nysoc_widgets.controls import ChoiceGroup, ItemEntries, ScaleControl
from nysoc_widgets.forms import Form
from nysoc_widgets.records import Pairing
from nysoc_widgets.render import MIME_TYPE
from nysoc_widgets.store import DraftKey, Store
from nysoc_widgets.templates import Template, load_template

DATA = Path(__file__).parent / "data" / "templates" / "valid" / "alle-felttyper.toml"


@pytest.fixture
def template() -> Template:
    return load_template(DATA)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "nysoc.db", create=True) as store:
        store.add_pairing(Pairing(id="P1", mentor="Mette", mentee="Ali"))
        yield store


def make_form(template: Template, store: Store, **kwargs: object) -> Form:
    return Form(template, store, pairing="P1", author_role="mentee", **kwargs)  # type: ignore[arg-type]


def fill(form: Form) -> None:
    form.controls["overskrift"].value = "Første møde med Ærø-familien"
    form.controls["beskrivelse"].value = "Vi talte om skolen.\nMor var træt."
    form.controls["dato"].value = __import__("datetime").date(2026, 11, 23)
    form.controls["antal"].value = "3"
    form.controls["stemning"].value = "svaer"
    form.controls["emner"].value = ["stress"]
    form.controls["udbytte"].value = 4
    form.controls["tjek"].value = ["it"]
    form.controls["hypoteser"].value = "Mor er presset\nSkolen mangler viden"
    form.controls["sandsynlige"].value = ["Mor er presset"]
    form.controls["tiltag"].value = {"Mor er presset": ["Tilbyd aflastning"]}


def test_every_field_gets_a_labelled_control(template: Template) -> None:
    form = Form(template)
    assert set(form.controls) == {f.id for f in template.fields}
    assert isinstance(form.controls["beskrivelse"], w.Textarea)
    assert form.controls["overskrift"].description == "Overskrift *", "required is marked"
    assert isinstance(form.controls["udbytte"], ScaleControl)
    assert isinstance(form.controls["emner"], ChoiceGroup)
    assert isinstance(form.controls["tiltag"], ItemEntries)
    assert "nysoc-form" in form._dom_classes


def test_value_is_the_answers_as_stored(template: Template, store: Store) -> None:
    form = make_form(template, store)
    fill(form)
    assert form.value["dato"] == "2026-11-23"
    assert form.value["antal"] == 3
    assert form.value["hypoteser"] == ["Mor er presset", "Skolen mangler viden"]
    assert form.value["tiltag"] == {"Mor er presset": ["Tilbyd aflastning"]}


def test_save_writes_a_final_record_and_shows_it(template: Template, store: Store) -> None:
    form = make_form(template, store)
    fill(form)
    form.save_button.click()
    [record] = store.list_records(pairing="P1", template_id=template.id)
    assert record.status == "final" and record.version == 1
    assert record.values["beskrivelse"] == "Vi talte om skolen.\nMor var træt."
    assert record.author_role == "mentee" and record.confidentiality == "par"
    assert "Gemt kl." in form.message.value
    bundle = form.static_bundle()
    assert "Første møde med Ærø-familien" in bundle["text/html"]
    assert "**Beskrivelse**" in bundle["text/markdown"]
    assert bundle[MIME_TYPE]["record"]["id"] == record.id


def test_required_field_stops_a_final_save_with_a_message(template: Template,
                                                          store: Store) -> None:
    form = make_form(template, store)
    form.controls["beskrivelse"].value = "Kun noter"
    form.save_button.click()
    assert store.count_records() == 0
    assert "Skal udfyldes." in form.errors["overskrift"].value
    assert "ikke gemt" in form.message.value
    assert form.controls["beskrivelse"].value == "Kun noter", "nothing typed is lost"


def test_draft_save_skips_required_fields(template: Template, store: Store) -> None:
    form = make_form(template, store)
    form.controls["beskrivelse"].value = "Halvfærdig"
    form.draft_button.click()
    [record] = store.list_records()
    assert record.status == "draft"


def test_wrong_number_gets_an_inline_danish_message(template: Template, store: Store) -> None:
    form = make_form(template, store)
    fill(form)
    form.controls["antal"].value = "mange"
    form.save_button.click()
    assert "Skriv et tal" in form.errors["antal"].value
    assert store.count_records() == 0
    form.controls["antal"].value = "2"
    assert form.errors["antal"].value == "", "the message goes once it is corrected"


def test_saving_again_keeps_versions_that_can_be_restored(template: Template,
                                                           store: Store) -> None:
    form = make_form(template, store)
    fill(form)
    form.save()
    form.controls["beskrivelse"].value = "Ny tekst"
    form.save()
    assert form.record is not None and form.record.version == 2
    assert [v for _, v in form.versions.options] == [2, 1]
    form.versions.value = 1
    form.restore_button.click()
    assert form.controls["beskrivelse"].value == "Vi talte om skolen.\nMor var træt."
    form.save()
    assert store.get_record(form.record.id or "").values["beskrivelse"].startswith("Vi talte")
    assert len(store.versions(form.record.id or "")) == 3


def test_new_and_open_earlier(template: Template, store: Store) -> None:
    form = make_form(template, store)
    fill(form)
    first = form.save()
    form.new_button.click()
    assert form.controls["overskrift"].value == "" and form.record is None
    form.controls["overskrift"].value = "Andet notat"
    form.save()
    assert len(form.earlier.options) == 2
    form.earlier.value = first.id  # type: ignore[union-attr]
    form.open_button.click()
    assert form.controls["overskrift"].value == "Første møde med Ærø-familien"
    assert form.controls["tiltag"].value == {"Mor er presset": ["Tilbyd aflastning"]}


def test_a_new_form_opens_an_earlier_record_as_written(template: Template,
                                                        store: Store) -> None:
    saved = make_form(template, store)
    fill(saved)
    record = saved.save()
    again = make_form(template, store, record=record)
    assert again.value == record.values  # type: ignore[union-attr]


def test_dependent_fields_follow_edits_live(template: Template, store: Store) -> None:
    form = make_form(template, store)
    fill(form)
    picks = form.controls["sandsynlige"]
    assert [b.description for b in picks.children] == ["Mor er presset",
                                                        "Skolen mangler viden"]
    form.controls["hypoteser"].value = "Mor er meget presset\nSkolen mangler viden"
    assert picks.value == ["Mor er meget presset"], "an edited item keeps its pick"
    assert form.value["tiltag"] == {"Mor er meget presset": ["Tilbyd aflastning"]}
    form.controls["hypoteser"].value = "Skolen mangler viden"
    assert picks.value == [] and form.value["tiltag"] == {}


def test_autosave_keeps_a_draft_that_a_new_form_offers_back(template: Template,
                                                             store: Store) -> None:
    form = make_form(template, store, autosave_delay=0.05)
    form.controls["beskrivelse"].value = "Midt i en sæt"
    deadline = time.monotonic() + 5
    key = DraftKey("P1", template.id, "", "mentee")
    while store.get_draft(key) is None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert store.get_draft(key).values["beskrivelse"] == "Midt i en sæt"  # type: ignore[union-attr]

    reopened = make_form(template, store)  # e.g. after a kernel restart
    assert reopened.draft_box.layout.display == "flex"
    reopened.draft_box.restore_button.click()
    assert reopened.controls["beskrivelse"].value == "Midt i en sæt"
    reopened.controls["overskrift"].value = "Nu færdig"
    reopened.save()
    assert store.get_draft(key) is None, "saving discards the draft"


def test_store_error_is_shown_in_danish_and_answers_stay(template: Template,
                                                         tmp_path: Path) -> None:
    store = Store.open(tmp_path / "x.db", create=True)
    form = Form(template, store, pairing="findes-ikke", author_role="mentee")
    fill(form)
    form.save_button.click()
    assert "findes" in form.message.value and "role=\"alert\"" in form.message.value
    assert form.controls["overskrift"].value == "Første møde med Ærø-familien"
    store.close()


def test_form_without_store_says_so(template: Template) -> None:
    form = Form(template)
    fill(form)
    form.save_button.click()
    assert "ikke koblet til en database" in form.message.value


FORMS = [t.id for t in Catalogue.load() if t.kind == "form"]


@pytest.mark.parametrize("template_id", FORMS)
def test_every_builtin_form_builds_and_saves_a_draft(template_id: str, store: Store) -> None:
    template = Catalogue.load().get(template_id)
    form = make_form(template, store)
    assert len(form.controls) == len(template.fields)
    assert form.save(final=False) is not None, form.message.value


def test_a_record_of_an_older_template_version_shows_as_written(template: Template,
                                                                 store: Store) -> None:
    old = make_form(template, store)
    fill(old)
    record = old.save()
    assert record is not None
    newer = dataclasses.replace(
        template, version=2,
        sections=tuple(dataclasses.replace(s, fields=tuple(
            f for f in s.fields if f.id != "beskrivelse")) for s in template.sections))

    form = make_form(newer, store, record=record)

    assert "version 1 af skabelonen" in form.as_written.value
    assert "Vi talte om skolen." in form.as_written.value, "a removed question still shows"
    assert "Beskrivelse" in form.as_written.value, "…with the question it answered"
    assert "Beskrivelse" in form.static_bundle()["text/markdown"]
    assert form.controls["overskrift"].value == "Første møde med Ærø-familien"
    form.save()
    assert form.as_written.value == ""
    assert store.get_record(record.id or "").template_version == 2
    assert store.versions(record.id or "")[0].values["beskrivelse"].startswith("Vi talte")


def test_a_card_says_each_heading_once(tmp_path: Path) -> None:
    from nysoc_widgets.api import card
    from nysoc_widgets.workspace import init_workspace

    ws = init_workspace(tmp_path / "ws", "mentee")
    good_enough = card("godt_nok", workspace=ws).data
    assert good_enough.count("Hvornår er det godt nok?") == 1
    assert good_enough.count("Bliver jeg nogensinde en god socialrådgiver?") == 1
    advice = card("gode_raad", workspace=ws).data
    assert advice.count("10 gode råd") == 1 and "<strong>Stil spørgsmål</strong>" in advice


def test_a_date_out_of_order_is_shown_under_the_later_field_and_not_saved(
        store: Store) -> None:
    import datetime as dt

    agreement = Catalogue.load().get("samarbejdsaftale")
    form = make_form(agreement, store)
    form.controls["startdato"].value = dt.date(2026, 3, 1)
    form.controls["naeste_moede"].value = dt.date(2026, 2, 20)
    form.save_button.click()
    assert store.count_records() == 0
    assert "Datoen ligger før »Startdato« (1. marts 2026)." in form.errors["naeste_moede"].value
    assert form.errors["startdato"].value == "", "the earlier field is not blamed"
    assert "ikke gemt" in form.message.value
    form.draft_button.click()
    assert store.count_records() == 0, "a draft keeps the order too"
    form.controls["naeste_moede"].value = dt.date(2026, 3, 10)
    assert form.errors["naeste_moede"].value == "", "the message goes once it is corrected"
    form.save_button.click()
    [record] = store.list_records(pairing="P1", template_id="samarbejdsaftale")
    assert record.values["naeste_moede"] == "2026-03-10"


# --------------------------------------------------------------- roles and confirmations

def agreement_form(store: Store, role: str, record: object = None) -> Form:
    return Form(Catalogue.load().get("samarbejdsaftale"), store, pairing="P1",
                author_role=role, record=record)  # type: ignore[arg-type]


def field_box(form: Form, field_id: str) -> w.VBox:
    return next(b for b in form.children
                if isinstance(b, w.VBox) and form.controls[field_id] in b.children)


@pytest.mark.parametrize(("role", "locked", "open_"), [
    pytest.param("mentee", "bekraeftet_mentor", "bekraeftet_mentee", id="mentee"),
    pytest.param("mentor", "bekraeftet_mentee", "bekraeftet_mentor", id="mentor"),
])
def test_a_field_of_another_role_is_shown_disabled_with_a_hint(
        store: Store, role: str, locked: str, open_: str) -> None:
    form = agreement_form(store, role)
    assert form.controls[locked].disabled and not form.controls[open_].disabled
    other = "mentor" if role == "mentee" else "mentee"
    hints = [c.value for c in field_box(form, locked).children if isinstance(c, w.HTML)]
    assert any(f"Udfyldes af {other}." in h for h in hints)
    assert not any("Udfyldes af" in c.value for c in field_box(form, open_).children
                   if isinstance(c, w.HTML))
    assert not form.controls["formaal"].disabled, "fields without roles: anyone"


def test_an_answer_of_another_role_is_kept_on_save(store: Store) -> None:
    mentor = agreement_form(store, "mentor")
    mentor.controls["formaal"].value = "At lande godt i jobbet."
    mentor.controls["bekraeftet_mentor"].value = "ja"
    saved = mentor.save()
    assert saved is not None and saved.values["bekraeftet_mentor"] == "ja"
    mentee = agreement_form(store, "mentee", record=saved)
    assert mentee.controls["bekraeftet_mentor"].value == "ja", "shown as saved"
    mentee.controls["bekraeftet_mentor"].value = None  # what a disabled widget must not do
    mentee.controls["bekraeftet_mentee"].value = "ja"
    again = mentee.save()
    assert again is not None
    assert again.values["bekraeftet_mentor"] == "ja", "the mentor's answer stays"
    assert again.values["bekraeftet_mentee"] == "ja"
    assert "Bekræftet af mentor og mentee." in mentee.heading.value
    fresh = agreement_form(store, "mentee")
    fresh.controls["bekraeftet_mentor"].value = "ja"
    first = fresh.save()
    assert first is not None and first.values["bekraeftet_mentor"] is None, \
        "a new record starts without the other role's answer"


def test_a_change_asks_both_to_confirm_again(store: Store) -> None:
    mentor = agreement_form(store, "mentor")
    mentor.controls["formaal"].value = "At lande godt i jobbet."
    mentor.controls["bekraeftet_mentor"].value = "ja"
    saved = mentor.save()
    assert "Mangler bekræftelse fra mentee." in mentor.heading.value
    assert "Bekræftet af mentor." in mentor.heading.value
    mentee = agreement_form(store, "mentee", record=saved)
    mentee.controls["bekraeftet_mentee"].value = "ja"
    both = mentee.save()
    assert both is not None and both.values["bekraeftet_mentor"] == "ja", \
        "confirming changes nothing else, so the mentor's confirmation stays"
    assert "Aftalen er ændret" not in mentee.message.value
    mentee.controls["formaal"].value = "At lande godt i jobbet og i faget."
    changed = mentee.save()
    assert changed is not None
    assert changed.values["bekraeftet_mentor"] is None
    assert changed.values["bekraeftet_mentee"] is None
    assert mentee.controls["bekraeftet_mentee"].value is None, "the form shows it cleared"
    assert mentee.value["bekraeftet_mentee"] is None
    assert ("Aftalen er ændret – mentor og mentee skal bekræfte den igen."
            in mentee.message.value)
    assert "Mangler bekræftelse fra mentor og mentee." in mentee.heading.value
    [record] = store.list_records(pairing="P1", template_id="samarbejdsaftale")
    assert record.values["formaal"] == "At lande godt i jobbet og i faget."


def test_the_mentor_confirms_learning_goals_the_mentee_only_sees(store: Store) -> None:
    goals = Catalogue.load().get("laeringsmaal")
    form = Form(goals, store, pairing="P1", author_role="mentee")
    confirm = form.controls["maal_bekraeftet"]
    assert isinstance(confirm, ItemEntries)
    form.controls["egne"].value = "Skrive gode notater\nHolde møder"
    rows = [c for _item, c in confirm._rows]
    assert len(rows) == 2 and all(c.disabled for c in rows), "rows added later too"
    assert not any(c.disabled for _item, c in form.controls["maal_status"]._rows)
    mentor = Form(goals, store, pairing="P1", author_role="mentor")
    mentor.controls["egne"].value = "Skrive gode notater"
    assert not any(c.disabled for _item, c in mentor.controls["maal_bekraeftet"]._rows)


def test_composite_controls_disable_their_inner_widgets(template: Template) -> None:
    from nysoc_widgets.controls import set_disabled

    form = Form(template)
    group, scale = form.controls["emner"], form.controls["udbytte"]
    set_disabled(group)
    set_disabled(scale)
    assert all(box.disabled for box in group.children) and scale.buttons.disabled
    group.set_options([("Ny", "ny")])
    assert all(box.disabled for box in group.children), "new boxes are disabled too"
    set_disabled(group, False)
    set_disabled(scale, False)
    assert not any(box.disabled for box in group.children) and not scale.buttons.disabled


def test_the_mentee_sets_a_goals_status_and_the_mentor_confirms_it(store: Store) -> None:
    template = Catalogue.load().get("laeringsmaal")
    assert template.roles_of("maal_status") == ("mentee",)
    assert template.roles_of("maal_bekraeftet") == ("mentor",)


def test_facts_picked_per_direction_follow_edits_of_step_one(store: Store) -> None:
    form = make_form(Catalogue.load().get("sagsanalyse"), store)
    grounded = form.controls["tiltag_fakta"]
    assert isinstance(grounded, ItemEntries)
    form.controls["fakta"].value = "Bor alene\nTo børn\nHar job"
    form.controls["handleretninger"].value = "Støt netværket\nRo på"
    groups = [c for _, c in grounded._rows]
    assert all(isinstance(g, ChoiceGroup) for g in groups)
    assert [b.description for b in groups[0].children] == ["Bor alene", "To børn", "Har job"]
    groups[0].children[0].value = True  # ticked as a user would
    groups[0].children[2].value = True
    groups[1].children[1].value = True
    assert form.value["tiltag_fakta"] == {"Støt netværket": ["Bor alene", "Har job"],
                                          "Ro på": ["To børn"]}

    form.controls["fakta"].value = "Bor alene i lejlighed\nTo børn\nHar job"  # edited in place
    assert form.value["tiltag_fakta"] == {"Støt netværket": ["Bor alene i lejlighed", "Har job"],
                                          "Ro på": ["To børn"]}, "the pick follows the fact"
    assert groups[0].children[0].description == "Bor alene i lejlighed"
    assert groups[0].children[0].value is True

    form.controls["fakta"].value = "Bor alene i lejlighed\nHar job"  # a fact deleted
    assert form.value["tiltag_fakta"] == {"Støt netværket": ["Bor alene i lejlighed", "Har job"],
                                          "Ro på": []}, "the pick of a deleted fact goes"

    form.controls["handleretninger"].value = "Støt netværket godt\nRo på"  # step 4 renamed
    assert form.value["tiltag_fakta"]["Støt netværket godt"] == ["Bor alene i lejlighed",
                                                                  "Har job"]
    saved = form.save(final=False)
    assert saved is not None and saved.values["tiltag_fakta"] == form.value["tiltag_fakta"]

    again = make_form(form.template, store, record=saved)  # opened, the ticks come back
    assert again.value["tiltag_fakta"] == saved.values["tiltag_fakta"]
    assert [b.value for b in again.controls["tiltag_fakta"]._rows[0][1].children] == [
        True, True]


def test_typing_into_a_ticked_item_keeps_its_checkbox_and_leaves_no_widgets_behind(
        store: Store) -> None:
    """A mentor renames a ticked hypothesis key by key: the same checkbox follows, ticked,
    instead of a new widget per key stroke (each one more message for the browser to get
    right); the box of a deleted hypothesis is closed, not left open in the kernel."""
    form = make_form(Catalogue.load().get("sagsanalyse"), store)
    likely = form.controls["sandsynlige"]
    assert isinstance(likely, ChoiceGroup)
    form.controls["hypoteser"].value = "Moren er træt\nSkolen svigter"
    likely.children[0].value = True
    box = likely.children[0]
    for end in range(1, len(" om morgenen") + 1):
        form.controls["hypoteser"].value = "Moren er træt" + " om morgenen"[:end] + (
            "\nSkolen svigter")
    assert likely.children[0] is box and box.value is True
    assert box.description == "Moren er træt om morgenen"
    assert form.value["sandsynlige"] == ["Moren er træt om morgenen"]

    other = likely.children[1]
    form.controls["hypoteser"].value = "Moren er træt om morgenen"  # one deleted
    assert likely.children == (box,) and other.comm is None, "the deleted item's box closed"
    from ipywidgets.widgets.widget import _instances  # the open widgets

    before = len(_instances)
    form.controls["hypoteser"].value = "Moren er træt om morgenen\nNy\nNyere"
    form.controls["hypoteser"].value = "Moren er træt om morgenen"
    form.controls["handleretninger"].value = "Støt moren\nRo på"  # rows per direction
    form.controls["handleretninger"].value = ""
    assert len(_instances) == before, "adding and deleting items leaks no widgets"
