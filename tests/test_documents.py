"""Printable documents (``nysoc_widgets.documents``, ``nysoc.print_copy``): the saved record
as a self-contained HTML page – parsed back with ``html.parser`` – with the pairing, the
marking, every answer and the confirmations; nothing external, no scripts, never an unsaved
draft. The page in real Chromium and as an A4 PDF: ``test_browser_print.py``."""

from __future__ import annotations

import base64
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

import nysoc_widgets as nysoc
from nysoc_widgets import i18n
from nysoc_widgets.api import Refreshable
from nysoc_widgets.catalogue import Catalogue
from nysoc_widgets.documents import (
    PrintCopy,
    document_header,
    file_name,
    record_document,
)
from nysoc_widgets.records import Pairing, Record, clean_answers
from nysoc_widgets.store import DraftKey
from nysoc_widgets.templates import Template
from nysoc_widgets.workspace import Workspace, init_workspace

CATALOGUE = Catalogue.load()
AGREEMENT = CATALOGUE.get("samarbejdsaftale")
MENTOR, MENTEE = "Mette Mentorsen", "Nina Nyuddannet"
PAIRING = Pairing("par-print", MENTOR, MENTEE, "Børn og Unge", "2027-01-04", "2027-12-17")
PAR = "Fortroligt – kun mentor og mentee"
#: Answers with text in every kind of field the agreement has (and a character to escape).
ANSWERS: dict[str, Any] = {
    "antal_moeder": 10, "varighed": 90, "lokale": "Mødelokale 3",
    "uforstyrrethed": "Vi slukker telefonerne <altid>.",
    "startdato": "2027-01-04", "slutdato": "2027-12-17",
    "spilleregler": ["aabenhed", "fortrolighed"],
    "andre_spilleregler": ["Vi aflyser kun, hvis det er uundgåeligt."],
    "fortrolighed_aftale": "Det, vi taler om, bliver mellem os.\nOgså over for lederen.",
    "formaal": "En god start i faget.", "mentors_rolle": ["coach"],
    "naeste_moede": "2027-01-12", "moedet_efter": "2027-01-26",
}
#: What the page must show for ``ANSWERS`` (Danish labels and formatted answers).
SHOWN = ["Antal møder", "10", "Varighed pr. møde (minutter)", "90", "Mødelokale 3",
         "Vi slukker telefonerne <altid>.", "4. januar 2027", "17. december 2027",
         "Åbenhed", "Fortrolighed", "Vi aflyser kun, hvis det er uundgåeligt.",
         "Det, vi taler om, bliver mellem os.", "Også over for lederen.",
         "En god start i faget.", "Coach", "12. januar 2027", "26. januar 2027",
         "Spilleregler", "Læringsbehov", "Planlagte møder"]


class Page(HTMLParser):
    """A parsed page: its tags with attributes, its text, and the text of each tag kind."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.texts: list[str] = []
        self.by_tag: dict[str, list[str]] = {}
        self._open: list[str] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))
        if tag not in ("meta", "br", "link", "img", "input"):
            self._open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self._open:
            while self._open.pop() != tag:
                pass

    def handle_data(self, data: str) -> None:
        self.texts.append(data)
        for tag in self._open:
            self.by_tag.setdefault(tag, []).append(data)

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.texts).split())

    def of(self, tag: str) -> str:
        return " ".join(" ".join(self.by_tag.get(tag, [])).split())

    def names(self) -> list[str]:
        return [tag for tag, _ in self.tags]


def agreement(values: dict[str, Any], *, status: str = "final", version: int = 3,
              template: Template = AGREEMENT) -> Record:
    return Record(PAIRING.id, template.id, template.version, "mentor", template.level,
                  values, status=status, id="rec-1", created="2027-01-04T09:00:00.000+00:00",
                  updated="2027-01-05T10:11:12.345+00:00", version=version)


def assert_self_contained(html: str) -> None:
    """No script, nothing that loads from elsewhere, and a policy that forbids it."""
    page = Page(html)
    assert not {"script", "iframe", "object", "embed", "link", "img", "base", "form"} \
        & set(page.names())
    for tag, attrs in page.tags:
        for name, value in attrs.items():
            assert not name.startswith("on"), f"<{tag} {name}>: an event handler"
            assert not re.search(r"(?i)\b(?:https?:|ftp:|file:|javascript:)|^//", value), \
                f"<{tag} {name}={value!r}>"
    assert not re.search(r"(?i)https?://|url\(|@import|javascript:", html)
    policy = [a["content"] for t, a in page.tags if t == "meta"
              and a.get("http-equiv", "").lower() == "content-security-policy"]
    assert policy and "default-src 'none'" in policy[0]


# -- the page ----------------------------------------------------------------------------

def test_the_page_has_every_answer_the_pairing_and_the_marking() -> None:
    html = record_document(AGREEMENT, agreement(ANSWERS), PAIRING)
    page = Page(html)

    assert html.startswith("<!DOCTYPE html>") and '<html lang="da">' in html
    assert page.of("title") == f"Samarbejdsaftale – {MENTOR} og {MENTEE}"
    assert page.of("h1") == "Samarbejdsaftale", "one title"
    assert PAR in page.of("header")
    for shown in [MENTOR, MENTEE, "Børn og Unge", "Forløbets start", "4. januar 2027",
                  "17. december 2027", PAIRING.id, "5. januar 2027 kl.", "Version"]:
        assert shown in page.of("header"), shown
    for shown in SHOWN:
        assert shown in page.of("main"), shown
    assert "Rammer" in page.of("h2") and "Bekræftelse" in page.of("h2")
    assert "Kladde" not in page.text, "a final record is not marked as a draft"
    assert "Mødested" not in page.text and "Og mødet efter det" not in page.text, \
        "unanswered questions are left out"


def test_the_page_is_self_contained_without_scripts_or_urls() -> None:
    html = record_document(AGREEMENT, agreement(ANSWERS), PAIRING)

    assert_self_contained(html)
    assert "@page" in html and "size: A4" in html
    assert "serif" in html and "sans-serif" in html, "fonts the machine has, no web fonts"


def test_the_page_is_a4_with_the_marking_and_page_numbers_in_the_margin() -> None:
    css = record_document(AGREEMENT, agreement(ANSWERS), PAIRING).split("<style>")[1]

    assert re.search(r"@page \{\s*size: A4;", css)
    assert re.search(r'@bottom-left \{ content: "Fortroligt – kun mentor og mentee";', css)
    assert 'counter(page)' in css and 'counter(pages)' in css and '"side"' in css


@pytest.mark.parametrize(("confirmed", "expected"), [
    pytest.param({}, [f"Mangler bekræftelse fra mentor ({MENTOR}) og mentee ({MENTEE})."],
                 id="nobody"),
    pytest.param({"bekraeftet_mentor": "ja"}, [
        f"Bekræftet af mentor ({MENTOR}).", f"Mangler bekræftelse fra mentee ({MENTEE})."],
        id="the-mentor"),
    pytest.param({"bekraeftet_mentor": "ja", "bekraeftet_mentee": "ja"},
                 [f"Bekræftet af mentor ({MENTOR}) og mentee ({MENTEE})."], id="both"),
])
def test_who_has_confirmed_is_said_in_a_sentence(confirmed: dict[str, str],
                                                 expected: list[str]) -> None:
    page = Page(record_document(AGREEMENT, agreement({**ANSWERS, **confirmed}), PAIRING))

    assert page.of("section") == " ".join(["Bekræftelse", *expected])
    assert "Ja, jeg bekræfter aftalen" not in page.text, "told once, as a sentence"


def test_without_names_the_roles_are_enough() -> None:
    page = Page(record_document(AGREEMENT, agreement({**ANSWERS, "bekraeftet_mentee": "ja"})))

    assert "Bekræftet af mentee. Mangler bekræftelse fra mentor." in page.of("section")
    assert page.of("title") == "Samarbejdsaftale"
    assert "Mentor " not in page.of("header") and PAIRING.id in page.of("header")


def test_a_draft_says_so_and_a_private_record_is_marked_privat() -> None:
    logbog = CATALOGUE.get("logbog")
    record = Record("par-print", "logbog", logbog.version, "mentee", "privat",
                    {"dato": "2027-02-01", "nyt_laert": "At skrive kort."}, status="draft",
                    id="l1", created="2027-02-01T08:00:00+00:00",
                    updated="2027-02-01T08:00:00+00:00", version=1)

    head = document_header(logbog, record, PAIRING)
    page = Page(record_document(logbog, record, PAIRING))

    assert (head.marking, head.level, head.draft) == ("Privat", "privat", True)
    assert page.of("header").startswith("Privat") and "Kladde – ikke gjort færdig" in page.text
    assert "At skrive kort." in page.of("main") and "Bekræftelse" not in page.text
    assert 'content: "Privat"' in record_document(logbog, record, PAIRING)


def test_an_introduction_record_is_marked_for_the_contact_person_and_the_newcomer() -> None:
    status = CATALOGUE.get("statusmoede")
    record = Record("intro-print", "statusmoede", status.version, "kontaktperson", "par",
                    {"dato": "2027-02-01"}, status="final", id="s1",
                    created="2027-02-01T08:00:00+00:00", updated="2027-02-01T08:00:00+00:00",
                    version=1)
    marked = "Fortroligt – kun kontaktperson og den nye socialrådgiver"

    page = record_document(status, record)

    assert document_header(status, record).marking == marked
    assert Page(page).of("header").startswith(marked)
    assert f'@bottom-left {{ content: "{marked}";' in page  # on every printed page
    assert PAR not in page


def test_the_file_is_named_by_the_template_and_the_day_it_was_saved() -> None:
    assert file_name(AGREEMENT, agreement(ANSWERS)) == "samarbejdsaftale-2027-01-05.html"
    assert file_name(AGREEMENT, Record("p", "samarbejdsaftale", 1, "mentor", "par")) \
        == "samarbejdsaftale.html"


# -- nysoc.print_copy --------------------------------------------------------------------

@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    return init_workspace(tmp_path / "ws", "mentor", pairing=PAIRING.id, mentor=MENTOR,
                          mentee=MENTEE, department="Børn og Unge", start_date="2027-01-04")


def save(ws: Workspace, values: dict[str, Any], *, status: str = "final",
         record: Record | None = None, template: Template = AGREEMENT,
         role: str = "mentor") -> Record:
    clean, errors = clean_answers(template, values)
    assert errors == {}
    with ws.open_store() as store:
        return store.save_record((record or Record(
            PAIRING.id, template.id, template.version, role, template.level)
        ).with_values(clean, status), template)


def linked_document(view: Any) -> str:
    """The document the view's download link carries (decoded from its data: URI)."""
    match = re.search(r'href="data:text/html;charset=utf-8;base64,([^"]+)"', view.html.value)
    assert match, view.html.value
    return base64.b64decode(match[1]).decode("utf-8")


def test_print_copy_offers_the_latest_saved_agreement_after_update(ws: Workspace) -> None:
    view = nysoc.print_copy("samarbejdsaftale", workspace=ws)

    assert isinstance(view, Refreshable) and "nysoc-print-copy" in view.widget._dom_classes
    assert view.empty and "endnu ikke gemt nogen samarbejdsaftale" in view.html.value
    first = save(ws, ANSWERS)
    save(ws, {**ANSWERS, "lokale": "Mødelokale 4"}, record=first)
    view.button.click()  # Opdatér

    assert isinstance(view.value, PrintCopy) and not view.empty
    assert ">Hent aftalen til udskrift</a>" in view.html.value
    assert 'download="samarbejdsaftale-' in view.html.value
    assert "version 2" in view.html.value
    assert f"Mangler bekræftelse fra mentor ({MENTOR}) og mentee ({MENTEE})." \
        in view.html.value
    document = linked_document(view)
    assert document == view.value.document
    page = Page(document)
    assert "Mødelokale 4" in page.of("main") and "Mødelokale 3" not in document
    assert MENTOR in page.of("header") and "Børn og Unge" in page.of("header")
    assert_self_contained(document)


def test_an_unsaved_draft_never_reaches_the_document(ws: Workspace) -> None:
    """Only what was saved is printed: the autosaved draft of a change is not."""
    canary = "KANARIE-udskrift-kladde"
    saved = save(ws, ANSWERS)
    with ws.open_store() as store:
        for record_id in ("", saved.id or ""):  # a new form's draft and the open record's
            store.save_draft(DraftKey(PAIRING.id, AGREEMENT.id, record_id, "mentor"),
                             {**ANSWERS, "formaal": canary, "lokale": canary})

    view = nysoc.print_copy("samarbejdsaftale", workspace=ws)

    document = linked_document(view)
    assert "En god start i faget." in document
    assert canary not in document and canary not in view.html.value
    assert canary not in repr(view)


def test_a_draft_record_is_printed_marked_as_a_draft(ws: Workspace) -> None:
    save(ws, ANSWERS, status="draft")

    view = nysoc.print_copy("samarbejdsaftale", workspace=ws)

    assert i18n.t("documents.is_draft") in view.html.value
    assert "Kladde – ikke gjort færdig" in Page(linked_document(view)).text


def test_any_template_prints_with_its_title(ws: Workspace) -> None:
    meeting = CATALOGUE.get("mentormoede")
    saved = save(ws, {"dato": "2027-01-12", "opsamling": "Faste skrivetider."},
                 template=meeting)

    view = nysoc.print_copy("mentormoede", workspace=ws)

    assert ">Hent »Mentormøde« til udskrift</a>" in view.html.value
    page = Page(linked_document(view))
    assert page.of("h1") == "Mentormøde" and "Faste skrivetider." in page.of("main")
    assert PAR in page.of("header")
    assert nysoc.print_copy("mentormoede", workspace=ws, record_id=saved.id).value.record \
        == saved


def test_a_private_record_of_another_role_is_not_printed(ws: Workspace) -> None:
    logbog = CATALOGUE.get("logbog")
    save(ws, {"dato": "2027-02-01", "nyt_laert": "Min egen refleksion."}, template=logbog,
         role="mentee")

    view = nysoc.print_copy("logbog", workspace=ws)  # the mentor's workspace

    assert view.empty and "Min egen refleksion." not in view.html.value
    assert "Der er endnu ikke gemt noget i »Logbog«." in view.html.value
    mentee = Workspace(root=ws.root, role="mentee", pairing=PAIRING.id)
    assert "Min egen refleksion." in nysoc.print_copy("logbog", workspace=mentee).document


def test_a_record_is_printed_under_the_template_version_it_was_written_under(
        tmp_path: Path) -> None:
    ws = init_workspace(tmp_path / "ws", "mentor", pairing=PAIRING.id, mentor=MENTOR,
                        templates="skabeloner")
    saved = save(ws, ANSWERS)
    folder = ws.root / "skabeloner"
    folder.mkdir()
    source = Path(nysoc.__file__).parent / "catalogue" / "samarbejdsaftale.toml"
    text = source.read_text(encoding="utf-8").replace("\nversion = 1", "\nversion = 2", 1)
    (folder / "samarbejdsaftale.toml").write_text(
        text.replace('da = "Lokale"', 'da = "Mødested"'), encoding="utf-8")
    assert ws.catalogue().get("samarbejdsaftale").version == 2

    view = nysoc.print_copy("samarbejdsaftale", workspace=ws)

    assert view.value.record == saved and view.value.template.version == 1
    main = Page(linked_document(view)).of("main")
    assert "Lokale Mødelokale 3" in main and "Mødested" not in main


def test_a_coordinator_or_no_workspace_gets_a_notice(tmp_path: Path) -> None:
    coordinator = init_workspace(tmp_path / "koordinator", "koordinator")

    for shown in (nysoc.print_copy("samarbejdsaftale", workspace=coordinator),
                  nysoc.print_copy("samarbejdsaftale", workspace=tmp_path / "findes-ikke"),
                  nysoc.print_copy("findes_ikke", workspace=coordinator)):
        assert "nysoc-notice" in shown._dom_classes
    assert i18n.t("documents.no_pairing") in nysoc.print_copy(
        "samarbejdsaftale", workspace=coordinator).value
