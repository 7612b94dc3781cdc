"""The coordinator's report in real headless Chromium: opened from disk (``file://``), it
loads nothing else, every chart is an image that has loaded with a size and Danish alt text
and title, and the overview table has one row per pairing. Chromium prints it (A4), and
the printed text holds the report's title, date and the charts' absence of code.

The time ``nysoc report`` takes is printed (``pytest -s``)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from browser_helpers import ARTIFACTS, Timings, shot
from coordinator_helpers import TODAY, share_folder

from nysoc_widgets.charts import CHARTS
from nysoc_widgets.clock import today
from nysoc_widgets.render import format_date
from nysoc_widgets.report import build_report

if TYPE_CHECKING:
    from playwright.sync_api import Browser

pytestmark = [pytest.mark.browser, pytest.mark.slow]

REPO = Path(__file__).resolve().parent.parent
CHARTS_IN_ORDER = list(CHARTS.values())


@pytest.fixture
def kernel_env(monkeypatch: pytest.MonkeyPatch) -> None:
    path = os.environ.get("PYTHONPATH")
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(p for p in (str(REPO), path) if p))


def test_the_report_opens_with_its_charts_and_one_row_per_pairing(
        browser: Browser, tmp_path: Path, kernel_env: None) -> None:
    timings = Timings("nysoc report")
    folder = share_folder(tmp_path, broken=("foreign.json",))
    with timings.phase("nysoc report (9 pairings)"):
        written = build_report(folder, tmp_path / "rapport.html", today=TODAY)
    assert written.pairings == 9 and written.problems == 1

    context = browser.new_context(viewport={"width": 1100, "height": 900}, locale="da-DK")
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    try:
        page = context.new_page()
        with timings.phase("open in Chromium"):
            page.goto(written.path.as_uri())
            page.wait_for_load_state("load")
        assert [u for u in requests if not u.startswith(("file:", "data:"))] == [], \
            "the report loads nothing from anywhere"

        images = page.locator(".nysoc-chart img")
        assert images.count() == 6
        for i in range(images.count()):
            image = images.nth(i)
            loaded = image.evaluate("img => img.complete && img.naturalWidth > 0 "
                                    "&& img.naturalHeight > 0")
            box = image.bounding_box()
            alt, title = image.get_attribute("alt") or "", image.get_attribute("title") or ""
            assert loaded and box and box["width"] > 100 and box["height"] > 50, (i, box)
            assert (alt, title) == (CHARTS_IN_ORDER[i].alt, CHARTS_IN_ORDER[i].title)
            assert alt.startswith("Diagram: ")
        titles = [images.nth(i).get_attribute("title") for i in range(6)]
        assert titles == ["Mentormøder over tid", "Mentorpar pr. fase",
                          "Mentorpar pr. afdeling og fase", "De hyppigste læringsmål",
                          "Nåede læringsmål over tid", "Evalueringens scorer pr. punkt"]

        rows = page.locator(".nysoc-coordinator-oversigt table tbody tr")
        assert rows.count() == 9
        assert page.locator("h1").first.inner_text().startswith(
            "Mentorordningen – rapport fra tovholderen")
        body = page.locator("body").inner_text()
        assert f"Rapport dannet {format_date(today().isoformat())}" in body
        assert "Filen foreign.json er sprunget over" in body
        assert "nysoc.coordinator" not in body and "import " not in body
        ARTIFACTS.mkdir(exist_ok=True)
        shot(page, "rapport-tovholder.png")
        page.screenshot(path=str(ARTIFACTS / "rapport-tovholder-hele.png"), full_page=True)

        if shutil.which("pdftotext"):
            pdf = tmp_path / "rapport.pdf"
            with timings.phase("page.pdf"):
                page.pdf(path=str(pdf), format="A4", prefer_css_page_size=True)
            printed = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"],
                                     check=True, capture_output=True, text=True).stdout
            squeezed = re.sub(r"\s+", "", printed)
            assert re.sub(r"\s+", "", "Mentorordningen – rapport fra tovholderen") in squeezed
            assert "Diagrammer" in printed and "Advarsler" in printed
    finally:
        context.close()
    print(f"\n{timings.report()}")
