"""nysoc's HTML export (``nysoc_widgets/export.py``): documents that show what was saved,
carry no widget state, load nothing from the internet, and never leak across
confidentiality levels (issue 6; issue 3, "Known leaks to close").

The notebook under test is what JupyterLab would save with the widget manager's
``saveState`` on: the form's widget view, the widget state (holding a widget canary) in
``metadata.widgets``, and the form's real ``static_bundle()`` of a saved record.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat
import pytest
from export_helpers import assert_self_contained

from nysoc_widgets import cli
from nysoc_widgets.records import Record
from nysoc_widgets.workspace import Workspace, init_workspace

REPO = Path(__file__).resolve().parent.parent
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"


@dataclass
class Saved:
    ws: Workspace
    notebook: Path
    record_text: str  # the logbook record's text (privat)
    meeting_text: str  # the meeting record's text (par)
    widget_text: str  # only in the widget state and the widget's text repr
    secret_cell: str  # a markdown cell tagged fortrolig


def canary(kind: str) -> str:
    return f"KANARIE-{kind}-{uuid.uuid4().hex}"


def widget_output(model_id: str, text: str) -> Any:
    return nbformat.v4.new_output("display_data", data={
        WIDGET_VIEW: {"model_id": model_id, "version_major": 2, "version_minor": 0},
        "text/plain": f"Form(children=(Textarea(value='{text}'),))"})


def widget_state(models: dict[str, str]) -> dict[str, Any]:
    return {WIDGET_STATE: {"version_major": 2, "version_minor": 0, "state": {
        model_id: {"model_name": "TextareaModel", "model_module": "@jupyter-widgets/controls",
                   "model_module_version": "2.0.0", "state": {"value": text}}
        for model_id, text in models.items()}}}


def static_bundle(ws: Workspace, record: Record) -> dict[str, Any]:
    """The output a saved form leaves under itself: ``Form.static_bundle()`` of the record."""
    from nysoc_widgets.forms import Form

    store = ws.open_store()
    try:
        form = Form(ws.catalogue().get(record.template_id), store, pairing=ws.pairing or "",
                    author_role=ws.role, record=record, autosave_delay=60)
        bundle = form.static_bundle()
        form.close()
    finally:
        store.close()
    assert "<details>" in bundle["text/html"]
    return bundle


@pytest.fixture
def saved(tmp_path: Path) -> Saved:
    """A mentee workspace with a saved logbook entry and meeting, and Logbog.ipynb as
    JupyterLab saves it with widget state on (plus a meeting form and a fortrolig cell)."""
    ws = init_workspace(tmp_path / "ws", "mentee", pairing="par-eksport", mentor="Mette Holm",
                        mentee="Ali Bakr")
    texts = Saved(ws, ws.root / "Logbog.ipynb", canary("logbog"), canary("moede"),
                  canary("widget"), canary("fortrolig"))
    catalogue = ws.catalogue()
    logbog, meeting = catalogue.get("logbog"), catalogue.get("mentormoede")
    with ws.open_store() as store:
        entry = store.save_record(Record(
            "par-eksport", "logbog", logbog.version, "mentee", logbog.level,
            {"dato": "2026-11-03", "nyt_laert": texts.record_text}, "final"), logbog)
        held = store.save_record(Record(
            "par-eksport", "mentormoede", meeting.version, "mentee", meeting.level,
            {"dato": "2026-11-05", "opsamling": texts.meeting_text}, "final"), meeting)
    nb = nbformat.read(texts.notebook, as_version=4)
    form_cell = next(c for c in nb.cells if 'nysoc.form("logbog")' in c.source)
    form_cell.outputs = [widget_output("m1", texts.widget_text),
                         nbformat.v4.new_output("display_data", data=static_bundle(ws, entry))]
    meeting_cell = nbformat.v4.new_code_cell('nysoc.form("mentormoede")', metadata={
        "tags": ["nysoc-widget"], "jupyter": {"source_hidden": True}})
    meeting_cell.outputs = [widget_output("m2", texts.widget_text),
                            nbformat.v4.new_output("display_data",
                                                   data=static_bundle(ws, held))]
    secret = nbformat.v4.new_markdown_cell(f"Kun til os: {texts.secret_cell}",
                                           metadata={"tags": ["fortrolig"]})
    nb.cells += [meeting_cell, secret]
    nb.metadata["widgets"] = widget_state({"m1": texts.widget_text, "m2": texts.widget_text})
    nbformat.write(nb, texts.notebook)
    return texts


def assert_no_widgets(html: str, saved: Saved) -> None:
    assert WIDGET_STATE not in html and WIDGET_VIEW not in html and "model_id" not in html
    assert saved.widget_text not in html, "the widget state (raw answers) was copied"
    assert "Textarea(" not in html, "the widget's text repr was kept"


def export(saved: Saved, tmp_path: Path, *, shareable: bool = False) -> str:
    from nysoc_widgets.export_files import export_notebook

    out = export_notebook(saved.notebook, out=tmp_path / ("deles.html" if shareable
                                                          else "dokument.html"),
                          shareable=shareable)
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    return out.read_text(encoding="utf-8")


# -- the document ----------------------------------------------------------------------------

def test_the_export_shows_the_saved_records_as_a_document(saved: Saved, tmp_path: Path) -> None:
    html = export(saved, tmp_path)

    assert saved.record_text in html and saved.meeting_text in html
    assert "<details" not in html, "the folded static copy is unfolded"
    assert 'class="nysoc-record" data-template="logbog"' in html
    assert "<h3>Logbog</h3>" in html or ">Logbog<" in html
    assert "Hvad har du lært" in html or "<dt>" in html, "questions and answers are shown"
    assert saved.secret_cell in html, "the pair's own export keeps fortrolig cells"
    assert "nysoc-page-break" in html, "records after the first start a new page"
    assert '<html lang="da">' in html


def test_the_export_has_no_widget_state_no_code_and_no_internet(saved: Saved,
                                                                 tmp_path: Path) -> None:
    html = export(saved, tmp_path)

    assert_no_widgets(html, saved)
    assert_self_contained(html)
    assert "import nysoc_widgets" not in html and "nysoc.form(" not in html
    assert 'class="jp-InputPrompt' not in html and "In&nbsp;[" not in html
    assert 'class="highlight' not in html, "no highlighted code"
    for cdn in ("cdn.jsdelivr", "unpkg.com", "cdnjs", "require.js", "mathjax", "MathJax"):
        assert cdn not in html


def test_the_header_names_pairing_date_author_and_confidentiality(saved: Saved,
                                                                  tmp_path: Path) -> None:
    from nysoc_widgets.render import format_date

    html = export(saved, tmp_path)
    header = html[html.index('<header class="nysoc-doc-header'):html.index("</header>")]
    assert "par-eksport" in header and "mentee" in header
    assert format_date(__import__("datetime").date.today().isoformat()) in header
    assert "Privat" in header, "a notebook holding a privat record is marked Privat"
    assert "@page" in html and "A4" in html


def test_a_pair_notebook_is_marked_confidential(saved: Saved, tmp_path: Path) -> None:
    nb = nbformat.read(saved.notebook, as_version=4)
    nb.cells = [c for c in nb.cells if 'form("logbog")' not in c.source]
    nbformat.write(nb, saved.notebook)
    html = export(saved, tmp_path)
    assert "Fortroligt – kun mentor og mentee" in html and saved.record_text not in html


def test_records_saved_after_the_notebook_file_are_in_the_document(saved: Saved,
                                                                  tmp_path: Path) -> None:
    """A form saved in Voilà (which never writes the notebook file) is in the store only:
    the document shows every record of the form, oldest first, not just the file's copy."""
    later = canary("senere")
    logbog = saved.ws.catalogue().get("logbog")
    with saved.ws.open_store() as store:
        store.save_record(Record("par-eksport", "logbog", logbog.version, "mentee",
                                 logbog.level, {"dato": "2026-11-20", "nyt_laert": later},
                                 "final"), logbog)
    html = export(saved, tmp_path)
    assert saved.record_text in html and later in html
    assert html.index(saved.record_text) < html.index(later), "oldest first"


def test_a_form_cell_for_one_record_shows_that_record(saved: Saved, tmp_path: Path) -> None:
    with saved.ws.open_store() as store:
        meeting = store.list_records(template_id="mentormoede")[0]
    nb = nbformat.read(saved.notebook, as_version=4)
    for cell in nb.cells:
        if 'form("logbog")' in cell.source:
            cell.source = f'nysoc.form("mentormoede", record_id="{meeting.id}")'
        elif 'form("mentormoede")' in cell.source:
            cell.source = 'nysoc.form("logbog", record_id="slettet-for-laengst")'
    nbformat.write(nb, saved.notebook)
    html = export(saved, tmp_path)
    assert html.count(saved.meeting_text) == 1 and saved.record_text not in html


def test_away_from_its_workspace_a_notebook_shows_the_copy_the_form_left(
        saved: Saved, tmp_path: Path) -> None:
    from nysoc_widgets.export_files import export_notebook

    away = tmp_path / "andetsteds"
    away.mkdir()
    moved = away / "Logbog.ipynb"
    moved.write_bytes(saved.notebook.read_bytes())
    html = export_notebook(moved, out=tmp_path / "ude.html").read_text(encoding="utf-8")
    assert saved.record_text in html and saved.meeting_text in html
    assert "<details" not in html, "the folded copy is unfolded"


def test_the_notebook_itself_is_not_changed(saved: Saved, tmp_path: Path) -> None:
    from nysoc_widgets.export import NysocHTMLExporter

    nb = nbformat.read(saved.notebook, as_version=4)
    before = nbformat.writes(nb)
    NysocHTMLExporter().from_notebook_node(nb)
    assert nbformat.writes(nb) == before


# -- shareable -------------------------------------------------------------------------------

def test_the_shareable_export_holds_no_text_written_by_the_pair(saved: Saved,
                                                                tmp_path: Path) -> None:
    html = export(saved, tmp_path, shareable=True)

    assert "KANARIE" not in html
    for text in (saved.record_text, saved.meeting_text, saved.widget_text, saved.secret_cell):
        assert text not in html
    assert 'data-template="logbog"' not in html, "a privat record leaves nothing"
    assert_no_widgets(html, saved)
    assert_self_contained(html)


def test_the_shareable_export_keeps_the_guidance_and_what_the_coordinator_sees(
        saved: Saved, tmp_path: Path) -> None:
    html = export(saved, tmp_path, shareable=True)

    assert "Min logbog" in html, "the notebook's guidance text stays"
    assert "Deles med tovholderen" in html
    table = html[html.index('class="nysoc-record nysoc-shareable"'):]
    assert "<table>" in table and "5. november 2026" in table and "Endelig" in table
    assert "Mentormøde" in table or "mentormøde" in table.lower()


# -- nbconvert's entry point -----------------------------------------------------------------

def jupyter() -> Path:
    found = Path(sys.executable).parent / "jupyter"
    if not found.is_file():
        pytest.skip("no jupyter next to this Python")
    return found


@pytest.mark.slow
def test_jupyter_nbconvert_finds_the_exporters(saved: Saved, tmp_path: Path,
                                               chromium_path: str) -> None:
    """``jupyter nbconvert --to nysoc_html|nysoc_pdf|nysoc_docx|nysoc_markdown`` (the
    ``nbconvert.exporters`` entry points) write documents with the saved answers."""
    from export_helpers import document_text, squeeze

    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        p for p in (str(REPO), os.environ.get("PYTHONPATH")) if p)}
    runs = [("nysoc_html", "doc", [], ".html"),
            ("nysoc_html", "deles", ["--NysocHTMLExporter.shareable=True"], ".html"),
            ("nysoc_pdf", "doc", [], ".pdf"), ("nysoc_docx", "doc", [], ".docx"),
            ("nysoc_markdown", "doc", [], ".md")]
    for to, name, extra, ending in runs:
        subprocess.run([str(jupyter()), "nbconvert", "--to", to, str(saved.notebook),
                        "--output-dir", str(tmp_path), "--output", name, *extra],
                       check=True, env=env, capture_output=True, timeout=120)
        text = document_text(tmp_path / f"{name}{ending}")
        if name == "deles":
            assert "KANARIE" not in text and "Deles med tovholderen" in text
        else:
            assert squeeze(saved.record_text) in squeeze(text), to
            assert saved.widget_text not in text and "Privat" in text, to
    html = (tmp_path / "doc.html").read_text(encoding="utf-8")
    assert_no_widgets(html, saved)
    assert_self_contained(html)


def test_importing_nysoc_does_not_import_nbconvert() -> None:
    code = ("import sys, nysoc_widgets, nysoc_widgets.cli, nysoc_widgets.api, "
            "nysoc_widgets.forms; nysoc_widgets.cli.build_parser(); "
            "assert 'nbconvert' not in sys.modules and 'nysoc_widgets.export' not in "
            "sys.modules, sorted(m for m in sys.modules if 'nbconvert' in m)")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=REPO, timeout=60,
                   env={**os.environ, "PYTHONPATH": str(REPO)})


# -- the command and the file ----------------------------------------------------------------

def test_nysoc_export_writes_and_prints_the_path(saved: Saved, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "logbog.html"
    assert cli.main(["export", str(saved.notebook), "--out", str(out)]) == 0
    assert str(out) in capsys.readouterr().out
    assert saved.record_text in out.read_text(encoding="utf-8")
    assert cli.main(["export", str(saved.notebook), "--to", "html", "--shareable"]) == 0
    written = saved.notebook.with_name("Logbog-deles.html")
    assert str(written) in capsys.readouterr().out
    assert stat.S_IMODE(written.stat().st_mode) == 0o600
    assert "KANARIE" not in written.read_text(encoding="utf-8")


def test_nysoc_export_fails_in_one_danish_line(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "ikke.ipynb"
    bad.write_text("ikke json", encoding="utf-8")
    assert cli.main(["export", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "er ikke en notesbog" in err and "Traceback" not in err
    assert cli.main(["export", str(tmp_path / "findes-ikke.ipynb")]) == 1
    assert cli.main(["export", str(bad), "--to", "odt"]) == 2, "an unknown format"


def test_an_interrupted_export_leaves_the_old_file(saved: Saved, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from nysoc_widgets import atomic
    from nysoc_widgets.export_files import export_notebook

    out = tmp_path / "dokument.html"
    out.write_text("den gamle udgave", encoding="utf-8")

    def interrupted(*_args: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic.os, "replace", interrupted)
    with pytest.raises(OSError):
        export_notebook(saved.notebook, out=out)
    assert out.read_text(encoding="utf-8") == "den gamle udgave"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dokument.html", "ws"]


@pytest.mark.parametrize("to", ["markdown", "docx"])
def test_an_interrupted_export_leaves_the_old_file_in_every_format(
        saved: Saved, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, to: str) -> None:
    from nysoc_widgets import atomic
    from nysoc_widgets.export_files import export_notebook

    out = tmp_path / f"dokument.{to}"
    out.write_bytes(b"den gamle udgave")

    def interrupted(*_args: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic.os, "replace", interrupted)
    with pytest.raises(OSError):
        export_notebook(saved.notebook, to=to, out=out)
    assert out.read_bytes() == b"den gamle udgave"
    assert sorted(p.name for p in tmp_path.iterdir()) == [out.name, "ws"]


# -- PDF: the machine's own browser ----------------------------------------------------------

def test_pdf_without_a_browser_says_how_to_get_one(saved: Saved, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "tom"))
    monkeypatch.delenv("NYSOC_CHROMIUM", raising=False)
    out = tmp_path / "x.pdf"
    assert cli.main(["export", str(saved.notebook), "--to", "pdf", "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "apt-get install chromium" in err and "NYSOC_CHROMIUM" in err
    assert "eksportér til html" in err and "Traceback" not in err
    assert not out.exists()


def test_a_named_browser_that_is_not_there_or_does_not_start(saved: Saved, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch
                                                             ) -> None:
    from nysoc_widgets.errors import ExportError
    from nysoc_widgets.export_files import export_notebook

    monkeypatch.setenv("NYSOC_CHROMIUM", str(tmp_path / "findes-ikke"))
    with pytest.raises(ExportError, match="NYSOC_CHROMIUM peger på .*findes-ikke"):
        export_notebook(saved.notebook, to="pdf", out=tmp_path / "x.pdf")
    broken = tmp_path / "chromium"
    broken.write_text("#!/bin/sh\nexit 3\n", encoding="utf-8")
    broken.chmod(0o755)
    monkeypatch.setenv("NYSOC_CHROMIUM", str(broken))
    with pytest.raises(ExportError, match="kunne ikke starte og lave en PDF"):
        export_notebook(saved.notebook, to="pdf", out=tmp_path / "x.pdf")
    assert not (tmp_path / "x.pdf").exists()


def test_pdf_without_playwright_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    from nysoc_widgets.errors import ExportError
    from nysoc_widgets.pdf import html_to_pdf

    monkeypatch.setitem(sys.modules, "playwright.sync_api", None)
    with pytest.raises(ExportError, match="playwright, som ikke er installeret"):
        html_to_pdf("<p>x</p>")


def test_pdf_prints_from_inside_a_running_event_loop(saved: Saved, tmp_path: Path,
                                                     chromium_path: str) -> None:
    """A Jupyter kernel or server runs an asyncio loop, where Playwright's sync API refuses
    to start: the printer's own thread makes the PDF all the same."""
    import asyncio

    from export_helpers import document_text, squeeze

    from nysoc_widgets.export_files import export_notebook

    async def in_a_loop() -> Path:
        return export_notebook(saved.notebook, to="pdf", out=tmp_path / "loop.pdf")

    written = asyncio.run(in_a_loop())
    assert squeeze(saved.record_text) in squeeze(document_text(written))


def test_write_atomic_replaces_with_an_owner_only_file(tmp_path: Path) -> None:
    from nysoc_widgets.atomic import write_atomic

    target = tmp_path / "a.html"
    target.write_text("gammel", encoding="utf-8")
    target.chmod(0o644)
    write_atomic(target, "ny æøå")
    assert target.read_text(encoding="utf-8") == "ny æøå"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["a.html"]


# -- a notebook run by a real kernel -------------------------------------------------------------

@pytest.mark.slow
def test_an_executed_logbook_exports_without_widget_state(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from nbclient import NotebookClient

    from nysoc_widgets.export_files import export_notebook

    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(
        p for p in (str(REPO), os.environ.get("PYTHONPATH")) if p))
    ws = init_workspace(tmp_path / "ws", "mentee", pairing="par-kerne")
    text = canary("kerne")
    logbog = ws.catalogue().get("logbog")
    with ws.open_store() as store:
        store.save_record(Record("par-kerne", "logbog", logbog.version, "mentee", logbog.level,
                                 {"dato": "2026-11-03", "nyt_laert": text}, "final"), logbog)
    monkeypatch.setenv("NYSOC_WORKSPACE", str(ws.root))
    nb = nbformat.read(ws.root / "Logbog.ipynb", as_version=4)
    NotebookClient(nb, timeout=120, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(ws.root)}}).execute()
    assert "widgets" in nb.metadata, "nbclient saved widget state, as JupyterLab could"
    nbformat.write(nb, ws.root / "Logbog.ipynb")

    for shareable in (False, True):
        html = export_notebook(ws.root / "Logbog.ipynb", shareable=shareable).read_text(
            encoding="utf-8")
        assert WIDGET_STATE not in html and WIDGET_VIEW not in html
        assert_self_contained(html)
        assert "Min logbog" in html
        if shareable:
            assert "KANARIE" not in html and "Notater pr. måned" not in html
        else:
            assert "Notater pr. måned" in html, "the summary's tables stay in the pair's copy"
