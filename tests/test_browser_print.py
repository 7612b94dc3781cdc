"""The agreement to print, in real headless Chromium: the link ``nysoc.print_copy`` shows
downloads the document, the document opens without loading anything, and Chromium prints it
(``page.pdf``) as A4 pages whose text (``pdftotext``) holds the answers and the marking.

Timings are printed (``pytest -s``): building the document, the download, the PDF.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from browser_helpers import Timings

import nysoc_widgets as nysoc
from nysoc_widgets.catalogue import Catalogue
from nysoc_widgets.records import Record, clean_answers
from nysoc_widgets.workspace import Workspace, init_workspace

if TYPE_CHECKING:
    from playwright.sync_api import Browser

pytestmark = [pytest.mark.browser, pytest.mark.slow]

MENTOR, MENTEE = "Mette Mentorsen", "Nina Nyuddannet"
ANSWERS: dict[str, Any] = {
    "antal_moeder": 10, "varighed": 90, "lokale": "Mødelokale 3 på rådhuset",
    "uforstyrrethed": "Telefonerne er slukket, og mødet står som optaget i kalenderen.",
    "startdato": "2027-01-04", "slutdato": "2027-12-17",
    "spilleregler": ["aabenhed", "fortrolighed", "feedback"],
    "fortrolighed_aftale": "Det, vi taler om, bliver mellem os – også over for lederen.",
    "formaal": "En god start i faget og sikkerhed i myndighedsrollen.",
    "metoder": "Dialog efter den faste dagsorden, logbog og sags- og episodeanalyse.",
    "naeste_moede": "2027-01-12", "moedet_efter": "2027-01-26",
    "bekraeftet_mentor": "ja", "bekraeftet_mentee": "ja",
}
#: Text the printed pages must hold (pdftotext may break lines: compared without spaces).
PRINTED = ["Samarbejdsaftale", "Fortroligt – kun mentor og mentee", MENTOR, MENTEE,
           "Børn og Unge", "Mødelokale 3 på rådhuset",
           "Det, vi taler om, bliver mellem os – også over for lederen.",
           "En god start i faget og sikkerhed i myndighedsrollen.", "12. januar 2027",
           "17. december 2027", "Åbenhed", f"Bekræftet af mentor ({MENTOR}) og mentee ({MENTEE}).",
           "side 1 af"]
#: A4 in PostScript points (210 × 297 mm).
A4 = (595.3, 841.9)


@pytest.fixture
def workspace(tmp_path: Path) -> Workspace:
    ws = init_workspace(tmp_path / "ws", "mentor", pairing="par-print", mentor=MENTOR,
                        mentee=MENTEE, department="Børn og Unge", start_date="2027-01-04")
    template = Catalogue.load().get("samarbejdsaftale")
    values, errors = clean_answers(template, ANSWERS)
    assert errors == {}
    with ws.open_store() as store:
        store.save_record(Record("par-print", template.id, template.version, "mentor",
                                 template.level).with_values(values, "final"), template)
    return ws


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def page_sizes(pdf: Path) -> list[tuple[float, float]]:
    out = subprocess.run(["pdfinfo", "-f", "1", "-l", "999", str(pdf)], check=True,
                         capture_output=True, text=True).stdout
    return [(float(w), float(h)) for w, h in
            re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", out)]


def test_the_downloaded_agreement_opens_and_prints_as_a4(browser: Browser, workspace: Workspace,
                                                          tmp_path: Path) -> None:
    if not (shutil.which("pdftotext") and shutil.which("pdfinfo")):
        pytest.fail("pdftotext/pdfinfo not found (Debian package poppler-utils)")
    timings = Timings("print the agreement")
    with timings.phase("build the document"):
        view = nysoc.print_copy("samarbejdsaftale", workspace=workspace)
    link_html = view.html.value
    context = browser.new_context(accept_downloads=True, locale="da-DK")
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    try:
        page = context.new_page()
        page.set_content(f'<!DOCTYPE html><html lang="da"><body>{link_html}</body></html>')
        with timings.phase("download"), page.expect_download() as caught:
            page.get_by_role("link", name="Hent aftalen til udskrift").click()
        download = caught.value
        assert re.fullmatch(r"samarbejdsaftale-\d{4}-\d{2}-\d{2}\.html",
                            download.suggested_filename)
        saved = tmp_path / download.suggested_filename
        download.save_as(saved)
        assert saved.read_text(encoding="utf-8") == view.value.document

        document = context.new_page()
        requests.clear()
        with timings.phase("open the document"):
            document.goto(saved.as_uri())
        assert [url for url in requests if not url.startswith("file:")] == [], \
            "the document loads nothing"
        assert document.title() == f"Samarbejdsaftale – {MENTOR} og {MENTEE}"
        assert document.locator("h1").inner_text() == "Samarbejdsaftale"
        shown = document.locator("body").inner_text()
        for text in PRINTED[:-1]:
            assert squeeze(text) in squeeze(shown), text

        pdf = tmp_path / "samarbejdsaftale.pdf"
        with timings.phase("page.pdf"):
            # Letter unless the page asks for A4 itself (@page { size: A4 }).
            document.pdf(path=str(pdf), format="Letter", prefer_css_page_size=True)
    finally:
        context.close()

    sizes = page_sizes(pdf)
    assert len(sizes) >= 1
    assert all(abs(w - A4[0]) < 1.5 and abs(h - A4[1]) < 1.5 for w, h in sizes), sizes
    began = time.monotonic()
    printed = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], check=True,
                             capture_output=True, text=True).stdout
    timings.phases["pdftotext"] = time.monotonic() - began
    for text in PRINTED:
        assert squeeze(text) in squeeze(printed), text
    assert printed.count("Fortroligt – kun mentor og mentee") >= len(sizes) + 1, \
        "the marking in the header and in every page's margin"
    print(f"\n{len(sizes)} A4 page(s), {pdf.stat().st_size} bytes\n{timings.report()}")
