"""Process journals and case analyses: personal data about a citizen is found and shown
before saving, can be anonymised, and stops a final save unless the author says why."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from nysoc_widgets.catalogue import Catalogue
from nysoc_widgets.forms import Form
from nysoc_widgets.records import CONFIRMATION_KEY, Pairing
from nysoc_widgets.store import Store

CPR = "010203-1234"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "nysoc.db", create=True) as store:
        store.add_pairing(Pairing(id="P1", mentor="Mette Holm", mentee="Ali Demir"))
        yield store


def journal(store: Store) -> Form:
    form = Form(Catalogue.load().get("procesjournal"), store, pairing="P1",
                author_role="mentee", names=["Hanne Jensen"], autosave_delay=3600)
    form.controls["dato"].value = dt.date(2026, 11, 2)
    form.controls["referat"].value = (f"Borgeren (CPR {CPR}) sagde, at Hanne Jensen ringer "
                                      "på 22 33 44 55 efter mødet kl. 14.30.")
    return form


def test_findings_are_shown_before_saving(store: Store) -> None:
    form = journal(store)
    found = form.check_privacy()
    assert [f.kind for f in found["referat"]] == ["cpr", "navn", "telefon"]
    assert form.privacy is not None and form.privacy.layout.display == "flex"
    shown = form.privacy.text.value
    assert "CPR-nummer" in shown and CPR in shown and "Hanne Jensen" in shown
    assert "14.30" not in shown, "a time is not personal data"


def test_a_final_save_is_stopped_and_nothing_is_lost(store: Store) -> None:
    form = journal(store)
    form.save_button.click()
    assert store.count_records() == 0
    assert "personoplysninger" in form.message.value and 'role="alert"' in form.message.value
    assert CPR in form.controls["referat"].value, "the text stays as written"


def test_anonymise_replaces_the_findings_and_then_it_saves(store: Store) -> None:
    form = journal(store)
    assert form.privacy is not None
    form.privacy.anonymise_button.click()
    assert form.controls["referat"].value == (
        "Borgeren (CPR [CPR]) sagde, at [NAVN] ringer på [TELEFON] efter mødet kl. 14.30.")
    assert form.privacy.layout.display == "none"
    record = form.save()
    assert record is not None and record.status == "final"
    assert CPR not in str(store.get_record(record.id or "").values)


def test_saving_with_findings_needs_the_authors_reason_which_is_kept(store: Store) -> None:
    form = journal(store)
    assert form.privacy is not None
    form.privacy.reason.value = "Nummeret er opdigtet til undervisning."
    record = form.save()
    assert record is not None and record.status == "final"
    kept = store.get_record(record.id or "")
    assert kept.values[CONFIRMATION_KEY] == "Nummeret er opdigtet til undervisning."
    reopened = Form(Catalogue.load().get("procesjournal"), store, pairing="P1",
                    author_role="mentee", record=kept, autosave_delay=3600)
    assert reopened.privacy is not None
    assert reopened.privacy.reason.value == "Nummeret er opdigtet til undervisning."


def test_a_draft_may_hold_findings_but_the_form_warns(store: Store) -> None:
    form = journal(store)
    record = form.save(final=False)
    assert record is not None and record.status == "draft"
    assert "anonymisere" in form.message.value


def test_the_analysis_checks_its_lists_and_keeps_picks_when_anonymising(store: Store) -> None:
    form = Form(Catalogue.load().get("sagsanalyse"), store, pairing="P1",
                author_role="mentor", names=["Hanne Jensen"], autosave_delay=3600)
    form.controls["fakta"].value = "Hanne Jensen bor på Søndergade 12, 8000 Aarhus C"
    form.controls["hypoteser"].value = "Hanne Jensen er presset\nSkolen mangler viden"
    form.controls["sandsynlige"].value = ["Hanne Jensen er presset"]
    found = form.check_privacy()
    assert {"fakta", "hypoteser"} <= set(found)
    assert form.privacy is not None
    form.privacy.anonymise_button.click()
    assert form.controls["sandsynlige"].value == ["[NAVN] er presset"], "the pick follows"
    assert "[ADRESSE]" in form.controls["fakta"].value
    assert form.check_privacy() == {}


def test_forms_without_the_check_have_no_panel(store: Store) -> None:
    form = Form(Catalogue.load().get("logbog"), store, pairing="P1", author_role="mentee")
    assert form.privacy is None and form.check_privacy() == {}


def test_the_notebook_api_looks_for_the_pairings_names(tmp_path: Path) -> None:
    from nysoc_widgets import api
    from nysoc_widgets.workspace import init_workspace

    ws = init_workspace(tmp_path / "ws", "mentee", pairing="P1", mentor="Mette Holm",
                        mentee="Ali Demir")
    form = api.form("procesjournal", workspace=ws)
    assert isinstance(form, Form) and set(form.names) == {"Mette Holm", "Ali Demir"}
    form.controls["referat"].value = "Mette Holm var med."
    assert [f.kind for f in form.check_privacy()["referat"]] == ["navn"]


def test_findings_appear_while_typing(store: Store) -> None:
    import time

    form = Form(Catalogue.load().get("procesjournal"), store, pairing="P1",
                author_role="mentee", autosave_delay=3600)
    form.privacy_check.delay = 0.05
    assert form.privacy is not None and form.privacy.layout.display == "none"
    form.controls["referat"].value = f"Borgerens CPR er {CPR}."
    deadline = time.monotonic() + 5
    while form.privacy.layout.display == "none" and time.monotonic() < deadline:
        time.sleep(0.02)
    assert form.privacy.layout.display == "flex" and CPR in form.privacy.text.value
