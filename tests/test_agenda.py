"""The proposed agenda for the next mentor meeting (``nysoc_widgets.agendas``).

Records are built in memory as ``Record`` objects (as in ``test_phase.py``); one test goes
through a real workspace and ``nysoc.agenda()``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from nysoc_widgets import i18n
from nysoc_widgets.agendas import Agenda, Topic, propose_agenda
from nysoc_widgets.api import agenda
from nysoc_widgets.catalogue import Catalogue
from nysoc_widgets.demo import create_demo
from nysoc_widgets.records import Record
from nysoc_widgets.workspace import init_workspace

TODAY = dt.date(2026, 3, 2)
WARNING = i18n.t("phase.warning_no_meeting")
LEVELS = {"logbog": "privat"}
AUTHORS = {"logbog": "mentee"}


def rec(template_id: str, written: str, **values: Any) -> Record:
    """A saved record of ``template_id`` written on the day ``written`` (10 o'clock UTC)."""
    stamp = f"{written}T10:00:00.000+00:00"
    return Record(pairing="par-test", template_id=template_id, template_version=1,
                  author_role=AUTHORS.get(template_id, "mentor"),
                  confidentiality=LEVELS.get(template_id, "par"), values=values,
                  status="final", id=f"{template_id}-{written}-{len(values)}", created=stamp,
                  updated=stamp, version=1)


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return Catalogue.load()


def propose(catalogue: Catalogue, *records: Record, today: dt.date = TODAY,
            reader: str | None = None) -> Agenda:
    return propose_agenda(records, catalogue, today, reader=reader)


def topics(agenda: Agenda, number: int) -> dict[str, tuple[str, ...]]:
    """The topics under point ``number`` (1–5): heading → items."""
    point = next(p for p in agenda.points if p.title.startswith(f"{number}."))
    return {t.heading: t.items for t in point.topics}


def all_items(agenda: Agenda) -> list[str]:
    return [i for p in agenda.points for t in p.topics for i in t.items]


LAST = rec("mentormoede", "2026-02-16", dato="2026-02-16", naeste_tema="Den svære samtale",
           forberedelse="Mentee skriver to sætninger ned før samtalen.", naeste_dato="2026-03-09")


# -- the five points --------------------------------------------------------------------------

def test_the_five_points_come_from_the_meeting_template_in_order(catalogue: Catalogue) -> None:
    titles = [p.title for p in propose(catalogue).points]

    assert titles == ["1. Det, der fylder lige nu", "2. Dialog om planlagt tema", "3. Opsamling",
                      "4. Feedback", "5. Næste møde"]


# -- 2. the theme agreed last time -----------------------------------------------------------

def test_the_theme_and_preparation_agreed_at_the_last_meeting(catalogue: Catalogue) -> None:
    older = rec("mentormoede", "2026-01-26", dato="2026-01-26", naeste_tema="Arbejdsdagen")

    found = topics(propose(catalogue, older, LAST), 2)

    assert found[i18n.t("agenda.theme", date="16. februar 2026")] == (
        "Den svære samtale", "Aftalt forberedelse: Mentee skriver to sætninger ned før samtalen.")
    assert "Arbejdsdagen" not in all_items(propose(catalogue, older, LAST))


def test_minutes_of_the_meeting_the_agenda_is_for_do_not_count_as_last_time(
        catalogue: Catalogue) -> None:
    """On the meeting day the agenda is for that meeting; its own minutes plan the next."""
    today = rec("mentormoede", "2026-03-09", dato="2026-03-09", naeste_tema="Stress",
                naeste_dato="2026-03-30")

    items = all_items(propose(catalogue, LAST, today, today=dt.date(2026, 3, 9)))

    assert "Den svære samtale" in items and "Stress" not in items


# -- 2. learning goals still open ------------------------------------------------------------

def test_learning_goals_in_progress_or_not_started_in_progress_first(
        catalogue: Catalogue) -> None:
    goals = rec("laeringsmaal", "2026-01-20", eksempler=["praksischok", "myndighedsrollen",
                                                         "stress"],
                egne=["Skrive kortere notater"],
                maal_status={"Praksischok": "ikke_startet", "Myndighedsrollen": "naaet",
                             "Håndtering af stress": "i_gang"})

    found = topics(propose(catalogue, goals), 2)

    assert found[i18n.t("agenda.goals")] == (
        "Håndtering af stress – i gang", "Praksischok – ikke startet",
        "Skrive kortere notater – ikke startet")


def test_only_the_latest_learning_goal_record_counts(catalogue: Catalogue) -> None:
    before = rec("laeringsmaal", "2026-01-20", eksempler=["stress"],
                 maal_status={"Håndtering af stress": "i_gang"})
    now = rec("laeringsmaal", "2026-02-20", eksempler=["stress"],
              maal_status={"Håndtering af stress": "naaet"})

    assert i18n.t("agenda.goals") not in topics(propose(catalogue, before, now), 2)


# -- 2. measures of the latest case analysis -------------------------------------------------

ANALYSIS = rec("sagsanalyse", "2026-02-10", handleretninger=["Styrke samarbejdet med skolen",
                                                             "Inddrage far"],
               tiltag={"Styrke samarbejdet med skolen": ["Ringe til klasselæreren",
                                                         "Holde netværksmøde"],
                       "Inddrage far": ["Sende brev til far"]})
MEASURES = i18n.t("agenda.measures", date="10. februar 2026")


def test_measures_of_the_latest_analysis_are_proposed(catalogue: Catalogue) -> None:
    older = rec("sagsanalyse", "2026-01-05", tiltag={"Gammel retning": ["Gammelt tiltag"]})

    found = topics(propose(catalogue, older, ANALYSIS), 2)

    assert found[MEASURES] == ("Styrke samarbejdet med skolen: Ringe til klasselæreren",
                               "Styrke samarbejdet med skolen: Holde netværksmøde",
                               "Inddrage far: Sende brev til far")


def test_a_measure_a_later_meeting_mentions_is_followed_up(catalogue: Catalogue) -> None:
    later = rec("mentormoede", "2026-02-16", dato="2026-02-16",
                dialog="Vi talte om, hvordan det gik med at ringe til klasselæreren.")
    earlier = rec("mentormoede", "2026-02-02", dato="2026-02-02", dialog="Holde netværksmøde")

    found = topics(propose(catalogue, ANALYSIS, later, earlier), 2)

    assert found[MEASURES] == ("Styrke samarbejdet med skolen: Holde netværksmøde",
                               "Inddrage far: Sende brev til far")


def test_nothing_planned_says_so(catalogue: Catalogue) -> None:
    point = propose(catalogue).points[1]

    assert point.topics == () and point.empty == i18n.t("agenda.nothing_planned")


# -- 1. the logbook ----------------------------------------------------------------------------

def logbook(written: str, bring: str, text: str) -> Record:
    return rec("logbog", written, dato=written, vide_mere_om=text, tage_op=bring)


def test_logbook_entries_the_mentee_chose_to_bring(catalogue: Catalogue) -> None:
    entries = [logbook("2026-02-20", "ja", "Tidsfristerne for undersøgelser"),
               logbook("2026-02-21", "maaske", "Om supervision"),
               logbook("2026-02-22", "nej", "Noget helt privat"),
               logbook("2026-02-23", "ja", "")]

    found = topics(propose(catalogue, LAST, *entries), 1)

    assert found == {i18n.t("agenda.bring"): ("Tidsfristerne for undersøgelser "
                                              "(20. februar 2026)",)}


def test_entries_brought_to_an_earlier_meeting_are_left_out(catalogue: Catalogue) -> None:
    entries = [logbook("2026-02-01", "ja", "Til mødet før"),
               logbook("2026-02-16", "ja", "Skrevet på mødet")]

    assert topics(propose(catalogue, LAST, *entries), 1) == {
        i18n.t("agenda.bring"): ("Skrevet på mødet (16. februar 2026)",)}


def test_an_entry_about_a_meeting_not_held_yet_is_brought_whenever_written(
        catalogue: Catalogue) -> None:
    """The mentee links an entry to the coming meeting (``mentormoede``) long before it."""
    early = rec("logbog", "2026-02-01", dato="2026-02-01", vide_mere_om="Forberedt i god tid",
                tage_op="ja", mentormoede="2026-03-09")
    past = rec("logbog", "2026-02-02", dato="2026-02-02", vide_mere_om="Om mødet før",
               tage_op="ja", mentormoede="2026-02-16")

    assert topics(propose(catalogue, LAST, early, past), 1) == {i18n.t("agenda.bring"): (
        "Forberedt i god tid (1. februar 2026 – om mødet 9. marts 2026)",)}


def test_without_logbook_records_the_agenda_says_nothing_about_the_logbook(
        catalogue: Catalogue) -> None:
    """A mentor's workspace holds no logbook: not a heading, not an "ingen" line."""
    agenda = propose(catalogue, LAST, reader="mentor")

    assert topics(agenda, 1) == {}
    assert "logbog" not in agenda._repr_html_().lower()
    assert "logbog" not in agenda.markdown().lower()


def test_a_private_entry_of_another_role_is_never_shown(catalogue: Catalogue) -> None:
    entry = logbook("2026-02-20", "ja", "Tidsfristerne for undersøgelser")

    assert topics(propose(catalogue, entry, reader="mentor"), 1) == {}
    assert topics(propose(catalogue, entry, reader="mentee"), 1) != {}


# -- 5. the next meeting -----------------------------------------------------------------------

@pytest.mark.parametrize(("records", "today", "warned"), [
    pytest.param([LAST], TODAY, False, id="a-future-date"),
    pytest.param([LAST], dt.date(2026, 3, 10), True, id="the-date-has-passed"),
    pytest.param([], TODAY, True, id="nothing-saved"),
    pytest.param([LAST], dt.date(2026, 3, 9), True, id="meeting-today-none-after"),
    pytest.param([LAST, rec("samarbejdsaftale", "2026-01-12", moedet_efter="2026-03-30")],
                 dt.date(2026, 3, 9), False, id="meeting-today-one-after"),
])
def test_the_warning_shows_only_when_no_later_meeting_is_planned(
        catalogue: Catalogue, records: list[Record], today: dt.date, warned: bool) -> None:
    agenda = propose(catalogue, *records, today=today)
    point = agenda.points[-1]

    assert (point.warning == WARNING) is warned
    assert (WARNING in agenda._repr_html_()) is warned
    assert bool(point.topics) is not warned


def test_the_next_planned_meeting_is_named(catalogue: Catalogue) -> None:
    agenda = propose(catalogue, LAST)

    assert topics(agenda, 5) == {i18n.t("agenda.planned"): ("9. marts 2026",)}
    assert agenda.heading == "Forslag til dagsorden for mødet 9. marts 2026"


# -- rendering ---------------------------------------------------------------------------------

def test_renders_as_danish_html_and_markdown_with_text_escaped(catalogue: Catalogue) -> None:
    meeting = rec("mentormoede", "2026-02-16", dato="2026-02-16", naeste_tema="<b>Etik</b> & ret")
    agenda = propose(catalogue, meeting)
    html, markdown = agenda._repr_html_(), agenda.markdown()

    assert html.startswith('<div class="nysoc-agenda"><h3>Forslag til dagsorden for næste møde')
    assert "&lt;b&gt;Etik&lt;/b&gt; &amp; ret" in html and "<b>Etik" not in html
    assert "<h4>2. Dialog om planlagt tema</h4>" in html and 'role="alert"' in html
    assert markdown.startswith("### Forslag til dagsorden for næste møde")
    assert "#### 5. Næste møde" in markdown and "- <b>Etik</b> & ret" in markdown
    assert repr(agenda) == markdown


def test_topics_are_plain_data() -> None:
    assert Topic("Overskrift", ("a",)) == Topic("Overskrift", ("a",))


# -- through a workspace -----------------------------------------------------------------------

def test_nysoc_agenda_in_the_demo_workspace(tmp_path: Path) -> None:
    today = dt.date(2026, 11, 23)
    ws = create_demo(tmp_path / "demo", today=today).workspace

    shown = agenda(workspace=ws, today=today).value

    assert isinstance(shown, Agenda)
    assert topics(shown, 1) and topics(shown, 5)  # the mentee's own logbook; a date ahead


def test_nysoc_agenda_without_a_pairing_is_a_notice(tmp_path: Path) -> None:
    ws = init_workspace(tmp_path / "ws", "koordinator")

    shown = agenda(workspace=ws)

    assert "nysoc-notice" in shown._dom_classes
    assert i18n.t("agenda.no_pairing") in shown.value


def test_the_public_one_liner_survives_its_module_being_imported(tmp_path: Path) -> None:
    """``nysoc.agenda()`` twice: the module that builds it must not shadow the function."""
    import nysoc_widgets as nysoc

    ws = create_demo(tmp_path / "demo", today=dt.date(2026, 11, 23)).workspace

    assert isinstance(nysoc.agenda(workspace=ws).value, Agenda)
    assert isinstance(nysoc.agenda(workspace=ws).value, Agenda)


def test_opdater_picks_up_a_newly_saved_meeting_and_logbook_entry(
        tmp_path: Path, catalogue: Catalogue, monkeypatch: pytest.MonkeyPatch) -> None:
    """``nysoc.agenda()`` is read again by its "Opdatér" button (in Voilà a cell cannot be
    re-run): what was saved since shows in the live view and in the static copy."""
    from IPython.display import DisplayHandle

    from nysoc_widgets.records import clean_answers

    ws = init_workspace(tmp_path / "ws", "mentee", pairing="par-test", mentor="Mette",
                        mentee="Nina")
    shown = agenda(workspace=ws, today=TODAY)
    updates: list[dict[str, Any]] = []
    monkeypatch.setattr(DisplayHandle, "update", lambda self, obj, **kw: updates.append(obj))
    monkeypatch.setattr("IPython.display.display",
                        lambda *a, **kw: DisplayHandle() if kw.get("display_id") else None)
    shown._ipython_display_()
    assert shown.button.description == "Opdatér"
    assert "Den svære samtale" not in shown.html.value
    assert i18n.t("agenda.nothing_planned") in shown.html.value

    def save(template_id: str, role: str, **answers: Any) -> None:
        template = catalogue.get(template_id)
        values, errors = clean_answers(template, answers)
        assert errors == {}
        with ws.open_store() as store:
            store.save_record(Record("par-test", template.id, template.version, role,
                                     template.level).with_values(values, "final"), template)

    save("mentormoede", "mentor", dato="2026-02-16", naeste_tema="Den svære samtale")
    save("logbog", "mentee", dato="2026-02-20", tage_op="ja",
         vide_mere_om="Hvordan jeg siger nej til en vred forælder")
    shown.button.click()

    assert isinstance(shown.value, Agenda)
    assert topics(shown.value, 2)[i18n.t("agenda.theme", date="16. februar 2026")] == (
        "Den svære samtale",)
    assert "Hvordan jeg siger nej til en vred forælder" in shown.html.value
    assert "Den svære samtale" in updates[-1]["text/html"], "the static copy follows"
    assert updates[-1]["text/html"].startswith("<details>")
    assert "Den svære samtale" in updates[-1]["text/plain"]
