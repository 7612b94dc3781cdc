"""The look back before the closing evaluation (``nysoc_widgets.reviews``,
``nysoc.goal_history()``): each learning goal's way in plain Danish from the store's saved
versions, the mentor's confirmation, what the agreement set out, and that it stays with
the pair."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from record_helpers import save_final

import nysoc_widgets as nysoc
from nysoc_widgets import i18n
from nysoc_widgets.api import Refreshable
from nysoc_widgets.catalogue import Catalogue
from nysoc_widgets.demo import create_demo
from nysoc_widgets.errors import WorkspaceError
from nysoc_widgets.records import Record, RecordVersion
from nysoc_widgets.reviews import GoalReview, read_goal_review, review_goals
from nysoc_widgets.store import Store
from nysoc_widgets.workspace import Workspace, init_workspace

CATALOGUE = Catalogue.load()
GOALS = CATALOGUE.get("laeringsmaal")
OWN = "Skrive tydelige afgørelser"
TODAY = dt.date(2026, 11, 23)


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    return init_workspace(tmp_path / "ws", "mentor", pairing="P1", mentor="Mette Holm",
                          mentee="Ali", start_date="2026-08-17")


def save_the_autumn(store: Store, store_times: list[str]) -> None:
    """An agreement (August), learning goals saved on 1 September, 1 October and
    1 November 2026, and two meetings' minutes."""
    store_times += ["2026-08-17T09:00:00.000+00:00",
              *(f"2026-{m:02d}-01T10:00:00.000+00:00" for m in (9, 10, 11)),
              "2026-09-08T12:00:00.000+00:00", "2026-10-06T12:00:00.000+00:00"]
    save_final(store, "samarbejdsaftale", "mentor", antal_moeder=8, startdato="2026-08-17",
         slutdato="2027-04-30", lokale="Mødelokale 3")
    chosen = {"eksempler": ["praksischok", "stress"], "egne": [OWN]}
    rec = save_final(store, "laeringsmaal", "mentee", **chosen,
               maal_status={"Praksischok": "ikke_startet", OWN: "ikke_startet"})
    rec = save_final(store, "laeringsmaal", "mentee", rec, **chosen,
               maal_status={"Praksischok": "i_gang", OWN: "ikke_startet"})
    save_final(store, "laeringsmaal", "mentor", rec, **chosen,
         maal_status={"Praksischok": "naaet", OWN: "i_gang"},
         maal_bekraeftet={"Praksischok": "ja"})
    save_final(store, "mentormoede", "mentor", dato="2026-09-08", opsamling="Faste skrivetider.")
    save_final(store, "mentormoede", "mentor", dato="2026-10-06")


def test_each_goals_way_in_plain_danish_with_the_mentors_confirmation(
        ws: Workspace, store_times: list[str]) -> None:
    with ws.open_store() as store:
        save_the_autumn(store, store_times)

    review = read_goal_review(ws, today=TODAY)

    assert review.goal_lines() == [
        ("Praksischok", "ikke startet 1. sep. → i gang 1. okt. → nået 1. nov.",
         "Mentor har bekræftet »nået«."),
        (OWN, "ikke startet 1. sep. → i gang 1. nov.", "Mentor har ikke bekræftet »i gang«."),
    ]
    assert review.unset == ("Håndtering af stress",), "chosen, but never given a status"
    assert review.agreement_lines() == [
        "I samarbejdsaftalen er startdatoen 17. august 2026 og den planlagte afslutning "
        "30. april 2027.",
        "I aftalte 8 møder i alt.",
        "Der er referater fra 2 mentormøder indtil nu, det seneste fra 6. oktober 2026.",
    ]


def test_the_view_shows_it_as_danish_html_and_text(ws: Workspace, store_times: list[str]) -> None:
    with ws.open_store() as store:
        save_the_autumn(store, store_times)

    shown = nysoc.goal_history(workspace=ws, today=TODAY)
    html = shown._repr_html_()

    assert isinstance(shown, Refreshable) and isinstance(shown.value, GoalReview)
    assert "<h3>Set tilbage: aftaler og læringsmål</h3>" in html
    assert "<h4>Det aftalte</h4>" in html and "<h4>Læringsmålene undervejs</h4>" in html
    assert ("<li><strong>Praksischok</strong>: ikke startet 1. sep. → i gang 1. okt. → "
            "nået 1. nov.<br><small>Mentor har bekræftet »nået«.</small></li>") in html
    assert "Disse læringsmål har endnu ikke fået en status: Håndtering af stress." in html
    assert "Mødelokale 3" not in html and "Faste skrivetider." not in html, \
        "dates and counts of the agreement and the minutes, not their text"
    assert "http" not in html and 'role="alert"' not in html
    text = repr(shown)
    assert "- Praksischok: ikke startet 1. sep. → i gang 1. okt. → nået 1. nov. Mentor har " \
           "bekræftet »nået«." in text
    assert "I aftalte 8 møder i alt." in text


def test_a_goal_not_begun_asks_no_confirmation_and_a_dropped_goal_says_so() -> None:
    def version(n: int, statuses: dict[str, str], own: list[str]) -> RecordVersion:
        return RecordVersion("r1", n, {"egne": own, "maal_status": statuses}, "final", 1,
                             f"2026-0{n}-10T09:00:00.000+00:00")

    versions = [version(1, {"Gammelt mål": "i_gang", "Nyt mål": "ikke_startet"},
                        ["Gammelt mål", "Nyt mål"]),
                version(2, {"Nyt mål": "ikke_startet"}, ["Nyt mål"])]
    latest = Record("P1", "laeringsmaal", 1, "mentee", "par", versions[-1].values,
                    id="r1", updated=versions[-1].saved, version=2)

    review = review_goals([(latest, versions)], [], GOALS, TODAY)

    assert review.goal_lines() == [
        ("Gammelt mål", "i gang 10. jan.", "Mentor har ikke bekræftet »i gang«. "
                                           "Målet er ikke længere på jeres liste over læringsmål."),
        ("Nyt mål", "ikke startet 10. jan.", ""),
    ]
    assert review.agreement_lines() == [i18n.t("reviews.no_agreement")]
    assert "Nyt mål</strong>: ikke startet 10. jan.</li>" in review._repr_html_()


def test_dates_get_their_year_when_the_way_crosses_a_new_year() -> None:
    versions = [RecordVersion("r1", n, {"maal_status": {"Praksischok": s}}, "final", 1, saved)
                for n, (s, saved) in enumerate([("i_gang", "2026-11-10T09:00:00+00:00"),
                                                ("naaet", "2027-01-20T09:00:00+00:00")], 1)]
    record = Record("P1", "laeringsmaal", 1, "mentee", "par", versions[-1].values, id="r1",
                    updated=versions[-1].saved, version=2)

    review = review_goals([(record, versions)], [], GOALS, dt.date(2027, 2, 1))

    assert review.goal_lines()[0][1] == "i gang 10. nov. 2026 → nået 20. jan. 2027"


def test_one_meeting_agreed_and_held_reads_as_danish(ws: Workspace) -> None:
    with ws.open_store() as store:
        save_final(store, "samarbejdsaftale", "mentor", antal_moeder=1, startdato="2026-08-17")
        save_final(store, "mentormoede", "mentor", dato="2026-09-08")
        save_final(store, "mentormoede", "mentor", dato="2026-12-01")  # after today: not held yet

    lines = read_goal_review(ws, today=TODAY).agreement_lines()

    assert lines == ["I samarbejdsaftalen er startdatoen 17. august 2026 og den planlagte "
                     "afslutning ikke angivet.", "I aftalte 1 møde.",
                     "Der er referat fra 1 mentormøde indtil nu, fra 8. september 2026."]


def test_nothing_saved_says_so_in_danish(ws: Workspace) -> None:
    shown = nysoc.goal_history(workspace=ws)

    assert shown.empty
    assert i18n.t("reviews.empty") in shown._repr_html_() and i18n.t("reviews.empty") in repr(
        shown)


def test_opdater_reads_the_look_back_again(ws: Workspace, store_times: list[str],
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from IPython.display import DisplayHandle

    shown = nysoc.goal_history(workspace=ws, today=TODAY)
    updates: list[dict[str, Any]] = []
    monkeypatch.setattr(DisplayHandle, "update", lambda self, obj, **kw: updates.append(obj))
    monkeypatch.setattr("IPython.display.display",
                        lambda *a, **kw: DisplayHandle() if kw.get("display_id") else None)
    shown._ipython_display_()
    assert shown.empty and shown.button.description == "Opdatér"

    with ws.open_store() as store:
        save_the_autumn(store, store_times)
    shown.button.click()

    assert not shown.empty and "nået 1. nov." in shown.html.value
    assert "nået 1. nov." in updates[-1]["text/html"], "the static copy follows"
    assert updates[-1]["text/html"].startswith(
        f"<details><summary>{i18n.t('reviews.static_summary')}</summary>")


def test_the_demo_pairings_goals_have_a_history(tmp_path: Path) -> None:
    ws = create_demo(tmp_path / "demo", today=TODAY).workspace

    review = nysoc.goal_history(workspace=ws, today=TODAY).value

    ways = {goal: way for goal, way, _ in review.goal_lines()}
    assert re.fullmatch(r"ikke startet \d+\. \w+\. → i gang \d+\. \w+\. → nået \d+\. \w+\.",
                        ways["Myndighedsrollen"]), ways["Myndighedsrollen"]
    assert len(ways) == 8 and review.unset == ()
    assert any("Mentor har bekræftet »nået«." == note for _, _, note in review.goal_lines())
    assert review.agreement is not None and review.agreement.meetings_held == 4


def test_the_coordinator_gets_a_notice_not_the_look_back(tmp_path: Path) -> None:
    coordinator = init_workspace(tmp_path / "koordinator", "koordinator")

    shown = nysoc.goal_history(workspace=coordinator)

    assert "nysoc-notice" in shown._dom_classes
    assert "Tilbageblikket hører til et mentorpar" in shown.value
    with pytest.raises(WorkspaceError, match="Tilbageblikket hører til et mentorpar"):
        read_goal_review(coordinator)
