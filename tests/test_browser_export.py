"""Exported documents in real headless Chromium, as the pair opens them: every programme
notebook of the demo workspace exported to HTML (``nysoc export --all``) opens from disk,
loads nothing (no request leaves ``file:``), shows the saved answers as text a person reads
(``inner_text``, not the HTML source), and prints with the marking on the page.

Screenshots of the first screen of each document go to ``test-artifacts/``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from browser_helpers import ARTIFACTS, Timings

from nysoc_widgets.catalogue import Catalogue
from nysoc_widgets.demo import create_demo
from nysoc_widgets.export_files import export_all
from nysoc_widgets.render import answer_text

if TYPE_CHECKING:
    from playwright.sync_api import Browser

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def saved_answers(root: Path) -> dict[str, list[str]]:
    """Some lines of every saved record's free text, by template id (the latest version)."""
    from nysoc_widgets.workspace import Workspace

    ws = Workspace.load(root)
    catalogue = Catalogue.load()
    found: dict[str, list[str]] = {}
    with ws.open_store() as store:
        for record in store.list_records(pairing=ws.pairing):
            template = catalogue.get(record.template_id)
            for fld in template.fields:
                if fld.kind == "long_text" and record.values.get(fld.id):
                    found.setdefault(record.template_id, []).append(
                        answer_text(fld, record.values[fld.id])[0])
    return found


def test_every_exported_notebook_opens_and_shows_what_was_saved(browser: Browser,
                                                                tmp_path: Path) -> None:
    root = tmp_path / "demo"
    create_demo(root)
    timings = Timings("export and open")
    with timings.phase("nysoc export --all (html)"):
        done = export_all(root)
    assert done.failed == [] and len(done.documents) >= 10
    answers = saved_answers(root)
    assert {"logbog", "mentormoede", "samarbejdsaftale"} <= set(answers)
    context = browser.new_context(locale="da-DK")
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    ARTIFACTS.mkdir(exist_ok=True)
    shown_records = 0
    try:
        page = context.new_page()
        for document in [*done.documents]:
            with timings.phase(f"open {document.path.name}"):
                page.goto(document.path.as_uri())
            text = page.locator("body").inner_text()
            assert document.marking in page.locator("header.nysoc-doc-header").inner_text()
            assert "import nysoc_widgets" not in text and "Sådan bruger du siden" not in text
            for template_id in templates_of(document.notebook):
                for line in answers.get(template_id, []):
                    assert line in text, (document.path.name, template_id, line)
                    shown_records += 1
            page.screenshot(path=str(ARTIFACTS / f"eksport-{document.path.stem}.png"))
        page.goto(done.index.as_uri())
        links = page.locator("a")
        assert links.count() == len(done.documents)
        links.first.click()
        page.wait_for_load_state()
        assert page.url.endswith(done.documents[0].path.name)
    finally:
        context.close()
    assert shown_records > 10
    assert [url for url in requests if not url.startswith("file:")] == [], \
        "a document loads nothing from anywhere"
    print(f"\n{len(done.documents)} documents\n{timings.report()}")


def templates_of(notebook: Path) -> list[str]:
    import nbformat

    from nysoc_widgets._export_context import nysoc_call

    nb = nbformat.read(notebook, as_version=4)
    calls = [nysoc_call(c.source) for c in nb.cells if c.cell_type == "code"]
    return [c.argument for c in calls if c and c.function == "form" and c.argument]
