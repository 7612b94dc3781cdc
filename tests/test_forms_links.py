"""Forms that link to the pair's saved meetings and learning goals (``choices_from_saved``),
driven as a user would: build the form on a real store, pick, save, reopen."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import ipywidgets as w
import pytest

from nysoc_widgets.catalogue import Catalogue
from nysoc_widgets.controls import NO_CHOICE, ChoiceGroup
from nysoc_widgets.forms import Form
from nysoc_widgets.records import Pairing, Record
from nysoc_widgets.render import MIME_TYPE
from nysoc_widgets.store import Store

CATALOGUE = Catalogue.load()
OWN = "Skrive tydelige afgørelser"
RENAMED = "Skrive klare afgørelser"
EXAMPLES = [c.label.da for c in CATALOGUE.get("laeringsmaal").field("eksempler").choices]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "nysoc.db", create=True) as store:
        store.add_pairing(Pairing(id="P1", mentor="Mette", mentee="Ali"))
        store.add_pairing(Pairing(id="P2", mentor="Per", mentee="Amalie"))
        yield store


def save(store: Store, template_id: str, pairing: str = "P1", status: str = "final",
         record: Record | None = None, **values: Any) -> Record:
    template = CATALOGUE.get(template_id)
    if record is not None:
        return store.save_record(record.with_values(values), template)
    return store.save_record(Record(pairing, template_id, template.version, "mentor",
                                    template.level, values, status), template)


def save_goals(store: Store, own: list[str], pairing: str = "P1",
               record: Record | None = None) -> Record:
    return save(store, "laeringsmaal", pairing, record=record, eksempler=["stress"], egne=own,
                maal_status={"Håndtering af stress": "i_gang"})


def save_meetings(store: Store) -> None:
    save(store, "samarbejdsaftale", naeste_moede="2026-02-03", moedet_efter="2026-03-03",
         moedet_efter_det="2026-04-07")
    save(store, "mentormoede", dato="2026-02-03", naeste_dato="2026-03-03")
    save(store, "mentormoede", dato="2026-03-03", naeste_dato="2026-03-31")


def form(template_id: str, store: Store, pairing: str = "P1", role: str = "mentee",
         **kwargs: Any) -> Form:
    return Form(CATALOGUE.get(template_id), store, pairing=pairing, author_role=role,
                autosave_delay=3600, **kwargs)


def labels(control: w.Widget) -> list[str]:
    if isinstance(control, ChoiceGroup):
        return [box.description for box in control.children]
    return [label for label, _value in control.options]


def note(built: Form, field_id: str) -> str | None:
    """The "nothing saved yet" line under a field, or None while it is hidden."""
    shown = built.choices.notes[field_id]
    return None if shown.layout.display == "none" else shown.value


# -- the logbook ---------------------------------------------------------------------------

def test_the_logbook_offers_the_pairs_meetings_and_goals_first(store: Store) -> None:
    save_goals(store, [OWN])
    save_meetings(store)
    save_goals(store, ["Et andet pars mål"], pairing="P2")

    logbook = form("logbog", store)

    assert labels(logbook.controls["mentormoede"]) == [
        NO_CHOICE, "Mentormøde 31. marts 2026 (planlagt)", "Mentormøde 7. april 2026 (planlagt)",
        "Mentormøde 3. marts 2026", "Mentormøde 3. februar 2026"]
    goals = labels(logbook.controls["laeringsmaal"])
    assert goals[:2] == ["Håndtering af stress", OWN], "the pair's goals first"
    assert goals[2:] == [e for e in EXAMPLES if e != "Håndtering af stress"]
    assert "Et andet pars mål" not in goals
    assert note(logbook, "mentormoede") is None and note(logbook, "laeringsmaal") is None


def test_picking_a_meeting_and_goals_saves_the_date_and_shows_the_labels(store: Store) -> None:
    save_goals(store, [OWN])
    save_meetings(store)
    logbook = form("logbog", store)

    logbook.controls["dato"].value = dt.date(2026, 3, 4)
    logbook.controls["mentormoede"].value = "2026-03-03"
    logbook.controls["laeringsmaal"].value = [OWN, "praksischok"]
    saved = logbook.save(final=True)

    assert saved is not None, logbook.message.value
    assert saved.values["mentormoede"] == "2026-03-03"
    assert saved.values["laeringsmaal"] == [OWN, "praksischok"]
    html = logbook.static_bundle()["text/html"]
    assert "Mentormøde 3. marts 2026" in html and "2026-03-03" not in html
    assert OWN in html and "Praksischok" in html
    assert logbook.static_bundle()[MIME_TYPE]["record"]["values"]["mentormoede"] == "2026-03-03"


def test_a_goal_renamed_since_stays_ticked_when_the_entry_is_reopened(store: Store) -> None:
    goals = save_goals(store, [OWN])
    first = form("logbog", store)
    first.controls["dato"].value = dt.date(2026, 3, 4)
    first.controls["laeringsmaal"].value = [OWN]
    entry = first.save(final=True)
    assert entry is not None
    save_goals(store, [RENAMED], record=goals)  # the pair renames the goal

    reopened = form("logbog", store, record=entry)

    group = reopened.controls["laeringsmaal"]
    assert group.value == [OWN], "ticked as written"
    assert OWN in labels(group) and RENAMED in labels(group)
    assert labels(group).index(RENAMED) < labels(group).index(OWN), "kept last, as written"
    again = reopened.save(final=True)
    assert again is not None and again.values["laeringsmaal"] == [OWN]


def test_an_empty_workspace_says_so_and_offers_the_examples(store: Store) -> None:
    logbook = form("logbog", store)

    assert labels(logbook.controls["mentormoede"]) == [NO_CHOICE]
    assert "Der er ingen mentormøder gemt i dette arbejdsområde endnu." in str(
        note(logbook, "mentormoede"))
    assert labels(logbook.controls["laeringsmaal"]) == EXAMPLES
    assert "Der er ingen færdige læringsmål gemt" in str(note(logbook, "laeringsmaal"))
    logbook.controls["dato"].value = dt.date(2026, 3, 4)
    logbook.controls["laeringsmaal"].value = ["praksischok"]
    saved = logbook.save(final=True)
    assert saved is not None and saved.values["laeringsmaal"] == ["praksischok"]


def test_a_draft_of_the_goals_is_not_offered_yet(store: Store) -> None:
    save(store, "laeringsmaal", status="draft", egne=[OWN])
    assert OWN not in labels(form("logbog", store).controls["laeringsmaal"])


def test_a_new_entry_offers_the_goals_saved_meanwhile(store: Store) -> None:
    logbook = form("logbog", store)
    save_goals(store, [OWN])

    logbook.new_button.click()

    assert labels(logbook.controls["laeringsmaal"])[:2] == ["Håndtering af stress", OWN]
    assert note(logbook, "laeringsmaal") is None
    assert logbook.controls["laeringsmaal"].value == []


def test_a_workspace_without_a_pairing_offers_nothing_of_a_pair(store: Store) -> None:
    save_goals(store, [OWN])
    assert OWN not in labels(form("logbog", store, pairing="").controls["laeringsmaal"])


def test_the_form_reads_each_linked_template_once(store: Store,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    save_goals(store, [OWN])
    save_meetings(store)
    asked: list[str | None] = []
    real = store.list_records

    def counted(**filters: Any) -> list[Record]:
        asked.append(filters.get("template_id"))
        return real(**filters)

    monkeypatch.setattr(store, "list_records", counted)
    form("logbog", store)

    assert sorted(asked) == ["laeringsmaal", "logbog", "mentormoede", "samarbejdsaftale"]


# -- the meeting and the coaching conversation -------------------------------------------------

def test_the_meeting_picks_one_of_the_pairs_goals(store: Store) -> None:
    save_goals(store, [OWN])
    meeting = form("mentormoede", store, role="mentor")
    goal = meeting.controls["konkret_laeringsmaal"]

    assert labels(goal) == [NO_CHOICE, "Håndtering af stress", OWN]
    meeting.controls["dato"].value = dt.date(2026, 3, 3)
    goal.value = OWN
    saved = meeting.save(final=True)

    assert saved is not None and saved.values["konkret_laeringsmaal"] == OWN
    assert f"<dd>{OWN}</dd>" in meeting.static_bundle()["text/html"]


def test_an_older_meeting_with_a_goal_written_as_text_opens_as_written(store: Store) -> None:
    current = CATALOGUE.get("mentormoede")
    as_text = dataclasses.replace(current.field("konkret_laeringsmaal"), kind="short_text",
                                  choices_from_saved=None)
    older = dataclasses.replace(current, version=1, sections=tuple(
        dataclasses.replace(s, fields=tuple(as_text if f.id == as_text.id else f
                                            for f in s.fields)) for s in current.sections))
    old = store.save_record(Record("P1", "mentormoede", 1, "mentor", "par", {
        "dato": "2026-01-13", "konkret_laeringsmaal": "‘Skurkerollen’ og afslag"}, "final"),
        older)

    meeting = form("mentormoede", store, role="mentor", record=old)

    assert meeting.controls["konkret_laeringsmaal"].value == "‘Skurkerollen’ og afslag"
    assert "‘Skurkerollen’ og afslag" in meeting.as_written.value
    assert "Der er ingen færdige læringsmål" in str(note(meeting, "konkret_laeringsmaal"))


def test_coaching_offers_the_pairs_goals_then_the_examples(store: Store) -> None:
    save_goals(store, [OWN])
    coaching = form("coaching", store, role="mentor")
    goal = coaching.controls["laeringsmaal"]

    assert isinstance(goal, w.Dropdown), "it can be set back to none"
    assert labels(goal)[:3] == [NO_CHOICE, "Håndtering af stress", OWN]
    assert len(labels(goal)) == 1 + 19 + 1
    goal.value = "stress"
    saved = coaching.save(final=True)
    assert saved is not None and saved.values["laeringsmaal"] == "stress"
    goal.value = None
    again = coaching.save(final=True)
    assert again is not None and again.values["laeringsmaal"] is None

