"""Every programme notebook as a document people keep, in every format (``nysoc export
--all DIR --to html|pdf|docx|markdown``): each shows the records the pair has saved in the
store, read back the way a person reads the file (the HTML's text, ``pdftotext``, python-docx),
and the ``--shareable`` copies hold none of the text the pair wrote (the canary).

The workspace is the canary workspace (``canary_helpers.write_canaries``): every form of the
catalogue has a record saved twice (markers of round 0, then round 1), a record saved as a
draft (round 2) and an autosaved draft never saved (round 3). A document shows the latest
version of each saved record (rounds 1 and 2), never an older version or an autosaved draft.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest
from canary_helpers import PREFIX, Canaries, write_canaries
from export_helpers import assert_self_contained, document_text, squeeze

from nysoc_widgets import cli
from nysoc_widgets._export_context import nysoc_call
from nysoc_widgets.export_files import FORMATS, AllExported, export_all
from nysoc_widgets.workspace import notebooks_dir

pytestmark = pytest.mark.slow


@dataclass
class Exports:
    canaries: Canaries
    notebooks: list[Path]
    done: dict[tuple[str, bool], AllExported]

    def text(self, to: str, notebook: Path, shareable: bool = False) -> str:
        exported = {d.notebook.name: d for d in self.done[to, shareable].documents}
        return document_text(exported[notebook.name].path)


def forms_in(notebook: Path) -> list[str]:
    """The template ids of the notebook's form cells (``nysoc.form("…")``)."""
    nb = nbformat.read(notebook, as_version=4)
    calls = (nysoc_call(c.source) for c in nb.cells if c.cell_type == "code")
    return [c.argument for c in calls if c is not None and c.function == "form" and c.argument]


def rounds(canaries: Canaries, template_id: str, *wanted: int) -> list[str]:
    return [m for m in canaries.markers[template_id] if int(m.rsplit("-", 2)[1]) in wanted]


def comparable(text: str, to: str) -> str:
    """``text`` without white space; for PDF without hyphens too (``pdftotext`` joins a
    word broken after a hyphen at the end of a line and drops the hyphen)."""
    return squeeze(text).replace("-", "") if to == "pdf" else squeeze(text)


def needle(marker: str, to: str) -> str:
    """What shows that ``marker`` is in a document of format ``to``: the whole marker, but
    in a PDF its unique hex part (``pdftotext`` reads a table's two columns line by line, so
    a long item and its answer come out interleaved)."""
    return marker.rsplit("-", 1)[1] if to == "pdf" else comparable(marker, to)


@pytest.fixture(scope="module")
def exports(tmp_path_factory: pytest.TempPathFactory, chromium_path: str) -> Exports:
    """The canary workspace with every programme notebook, exported in every format, as the
    pair's own documents and as shareable ones."""
    canaries = write_canaries(tmp_path_factory.mktemp("dokumenter") / "ws")
    for source in sorted(notebooks_dir().glob("*.ipynb")):
        if not (canaries.ws.root / source.name).exists():
            shutil.copy(source, canaries.ws.root / source.name)
    notebooks = sorted(canaries.ws.root.glob("*.ipynb"))
    done = {(to, shareable): export_all(canaries.ws.root, to=to, shareable=shareable)
            for to in FORMATS for shareable in (False, True)}
    return Exports(canaries, notebooks, done)


def test_every_notebook_becomes_a_document_in_every_format(exports: Exports) -> None:
    assert len(exports.notebooks) >= 15
    for (to, shareable), done in exports.done.items():
        assert done.failed == []
        assert [d.notebook for d in done.documents] != []
        assert {d.notebook.name for d in done.documents} == {p.name for p in exports.notebooks}
        for document in done.documents:
            assert document.path.suffix == FORMATS[to] and document.path.stat().st_size > 0
            assert document.path.stat().st_mode & 0o077 == 0, "owner-only"
        folder = "dokumenter-deles" if shareable else "dokumenter"
        assert done.index.parent == exports.canaries.ws.root / folder


@pytest.mark.parametrize("to", list(FORMATS))
def test_each_document_shows_every_saved_record_of_its_forms(exports: Exports, to: str) -> None:
    """The latest version of every saved record (and the record saved as a draft) is in
    the document of each notebook whose form it belongs to; older versions and autosaved
    drafts are not."""
    checked = 0
    for notebook in exports.notebooks:
        shown = comparable(exports.text(to, notebook), to)
        for template_id in forms_in(notebook):
            for marker in rounds(exports.canaries, template_id, 1, 2):
                assert needle(marker, to) in shown, (to, notebook.name, marker)
                checked += 1
            for marker in rounds(exports.canaries, template_id, 0, 3):
                assert needle(marker, to) not in shown, (to, notebook.name, "older", marker)
    assert checked > 100


@pytest.mark.parametrize("to", list(FORMATS))
def test_shareable_documents_hold_no_text_the_pair_wrote(exports: Exports, to: str) -> None:
    for notebook in exports.notebooks:
        text = exports.text(to, notebook, shareable=True)
        assert exports.canaries.leaked(text) == [], (to, notebook.name)
        assert PREFIX.casefold() not in text.casefold()
    index = exports.done[to, True].index.read_text(encoding="utf-8")
    assert "Deles med tovholderen" in index and PREFIX not in index


@pytest.mark.parametrize("to", list(FORMATS))
def test_documents_carry_the_header_and_no_code(exports: Exports, to: str) -> None:
    for notebook in exports.notebooks:
        text = exports.text(to, notebook)
        for marking in ("Fortroligt – kun mentor og mentee", "Privat"):
            if marking in text:
                break
        else:
            pytest.fail(f"{notebook.name} ({to}) has no confidentiality marking")
        assert "par-kanarie" in text, "the pairing is in the header"
        for code in ("import nysoc_widgets", "nysoc.form(", "nysoc.card(", "In ["):
            assert code not in text, (to, notebook.name, code)
        assert "Sådan bruger du siden" not in text, "the live notebook's how-to stays out"
    shared = exports.text(to, exports.notebooks[0], shareable=True)
    assert "Deles med tovholderen" in shared


def test_pdf_pages_are_a4_with_the_marking_and_page_numbers_on_each(exports: Exports) -> None:
    for document in exports.done["pdf", False].documents:
        info = subprocess.run(["pdfinfo", str(document.path)], check=True, text=True,
                              capture_output=True).stdout
        pages = int(re.search(r"Pages:\s+(\d+)", info)[1])  # type: ignore[index]
        assert re.search(r"Page size:\s+59[45]\.\d+ x 841\.\d+ pts", info), info
        text = document_text(document.path)
        assert text.count(document.marking) >= pages, "the marking on every page"
        assert squeeze(f"side {pages} af {pages}") in squeeze(text)


def test_a_record_after_the_first_starts_a_new_page(exports: Exports) -> None:
    """The meeting notebook holds two meeting records (the final and the draft): the PDF
    has a page break before the second, and the Word document one too."""
    import docx

    meeting = next(d for d in exports.done["pdf", False].documents
                   if d.notebook.name == "Mentormoede.ipynb")
    assert meeting.records == 2
    pages = subprocess.run(["pdftotext", str(meeting.path), "-"], check=True, text=True,
                           capture_output=True).stdout.split("\f")
    first, second = (rounds(exports.canaries, "mentormoede", r)[0] for r in (1, 2))
    on = [i for i, page in enumerate(pages) if needle(first, "pdf") in comparable(page, "pdf")]
    later = [i for i, page in enumerate(pages)
             if needle(second, "pdf") in comparable(page, "pdf")]
    assert on and later and min(later) > max(on)
    word = next(d for d in exports.done["docx", False].documents
                if d.notebook.name == "Mentormoede.ipynb")
    xml = docx.Document(str(word.path)).element.xml
    assert 'w:type="page"' in xml or "w:pageBreakBefore" in xml


def test_word_keeps_headings_and_tables(exports: Exports) -> None:
    import docx

    analysis = next(d for d in exports.done["docx", False].documents
                    if d.notebook.name == "Sagsanalyse.ipynb")
    doc = docx.Document(str(analysis.path))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith(("Heading", "Title"))]
    assert "Sags- og episodeanalyse" in " ".join(headings)
    assert any("Hvad ved vi" in h for h in headings), headings
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    assert "par-kanarie" in cells, "the header's rows are a table"
    assert any(c.startswith(PREFIX + "sagsanalyse") for c in cells), \
        "per-item answers (measures per direction) are a table"
    assert doc.sections[0].page_width is not None
    assert round(doc.sections[0].page_width.cm, 1) == 21.0
    assert "Fortroligt – kun mentor og mentee" in doc.sections[0].header.paragraphs[0].text


def test_html_documents_load_nothing_from_anywhere(exports: Exports) -> None:
    for shareable in (False, True):
        for document in exports.done["html", shareable].documents:
            assert_self_contained(document.path.read_text(encoding="utf-8"))
        assert_self_contained(exports.done["html", shareable].index.read_text(encoding="utf-8"))


@pytest.mark.parametrize("to", list(FORMATS))
def test_the_index_links_every_document(exports: Exports, to: str) -> None:
    done = exports.done[to, False]
    index = done.index.read_text(encoding="utf-8")
    assert done.index.name == {"html": "index.html", "markdown": "index.md"}.get(
        to, f"index-{to}.html"), "one index per format in the same folder"
    links = re.findall(r'href="([^"]+)"', index) or re.findall(r"\]\(([^)]+)\)", index)
    assert sorted(links) == sorted(d.path.name for d in done.documents)
    assert all((done.index.parent / link).is_file() for link in links)
    assert "Dokumenter fra mentorforløbet" in index and "par-kanarie" in index
    assert "Fortroligt – kun mentor og mentee" in index or "Privat" in index
    first, last = done.documents[0].notebook.name, done.documents[-1].notebook.name
    assert first == "Start_her.ipynb", "the role's notebooks come in the programme's order"
    assert last not in ("Start_her.ipynb",)


def test_nysoc_export_all_from_the_command_line(exports: Exports, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    root = exports.canaries.ws.root
    out = tmp_path / "til-os"
    assert cli.main(["export", "--all", str(root), "--to", "markdown", "--out", str(out)]) == 0
    said = capsys.readouterr().out
    assert str(out / "index.md") in said and "dokumenter" in said
    assert len(list(out.glob("*.md"))) == len(exports.notebooks) + 1
    assert cli.main(["export", "--all", str(root), str(root / "Logbog.ipynb")]) == 2
    assert "enten én notesbog eller --all" in capsys.readouterr().err
    assert cli.main(["export"]) == 2
    empty = tmp_path / "tom"
    empty.mkdir()
    assert cli.main(["export", "--all", str(empty)]) == 1
    assert "ingen notesbøger" in capsys.readouterr().err


def test_a_broken_notebook_is_named_and_the_others_are_written(tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]
                                                               ) -> None:
    folder = tmp_path / "mappe"
    folder.mkdir()
    shutil.copy(notebooks_dir() / "Gode_raad.ipynb", folder)
    (folder / "Itu.ipynb").write_text("{ikke en notesbog", encoding="utf-8")
    assert cli.main(["export", "--all", str(folder)]) == 1
    err = capsys.readouterr().err
    assert "Itu.ipynb kunne ikke gemmes som dokument" in err and "Traceback" not in err
    index = (folder / "dokumenter" / "index.html").read_text(encoding="utf-8")
    assert "Gode_raad.html" in index and "Itu.ipynb" in index
    card = (folder / "dokumenter" / "Gode_raad.html").read_text(encoding="utf-8")
    assert "10 gode råd" in card or "gode råd" in card.lower(), "the card is rendered"
