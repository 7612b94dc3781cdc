"""The Word document of a notebook (nysoc_widgets.docx_document), read back with python-docx.

Each test builds a small notebook as nysoc's export preprocessors leave it, turns it into a
.docx with :func:`notebook_docx` and looks at what a reader of the document would see:
headings and their styles, tables, lists, pictures, the page header and footer.
"""

from __future__ import annotations

import base64
import io
import os
import struct
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path
from typing import Any

import docx
import nbformat.v4 as v4
import pytest
from docx.document import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, RGBColor
from docx.table import Table
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nysoc_widgets import docx_document
from nysoc_widgets.docx_document import DOCUMENT_MIME, notebook_docx

REPO = Path(__file__).resolve().parents[1]
HEADER: dict[str, Any] = {
    "level": "par",
    "marking": "Fortroligt – kun mentor og mentee",
    "rows": [["Mentorpar", "par-7"], ("Dato", "6. december 2026"), ["Skrevet af", "mentee"],
             ["Fortrolighed", "Kun mentor og mentee"]],
    "shareable": False,
}
RECORD: dict[str, Any] = {
    "kind": "record",
    "title": "Logbog",
    "meta": "Privat · Endelig · 3. november 2026 · version 2",
    "page_break": False,
    "sections": [
        {"title": "Dagens refleksion", "answers": [
            {"question": "Hvad har du lært?", "lines": ["første linje", "anden linje"],
             "list": False, "rows": None},
            {"question": "Læringsmål", "lines": ["Mål A", "Mål B"], "list": True, "rows": None},
            {"question": "Tiltag pr. retning", "lines": ["Retning 1: tiltag"], "list": True,
             "rows": [["Retning 1", "tiltag"], ["Retning 2", "–"]]},
        ]},
        {"title": "", "answers": [
            {"question": "Andet", "lines": ["Intet"], "list": False, "rows": None}]},
    ],
}
SHAREABLE: dict[str, Any] = {
    "kind": "shareable", "title": "Forløbsplan", "meta": "Deles · 6. december 2026",
    "page_break": False,
    "sections": [{"title": "Rammer", "answers": [
        {"question": "Mødefrekvens", "lines": ["Hver 14. dag"], "list": False, "rows": None},
        {"question": "Fokus", "lines": ["Dokumentation", "Samtaler"], "list": True,
         "rows": None}]}],
}
HTML_TABLE = ('<table class="nysoc-table"><thead><tr><th>Måned</th><th>Notater</th></tr>'
              "</thead><tbody><tr><td>november 2026</td><td>3</td></tr></tbody></table>")
DANISH = "Æbler, søer og år – “citat” og ‘halve’ … på Østerbro"


# -- helpers -------------------------------------------------------------------------------

def build(*cells: Any, header: dict[str, Any] | None = None, title: str = "Min logbog") -> bytes:
    return notebook_docx(v4.new_notebook(cells=list(cells)), header or HEADER, title=title)


def read(data: bytes) -> Document:
    return docx.Document(io.BytesIO(data))


def outputs(*items: Any, source: str = "vis()") -> Any:
    return v4.new_code_cell(source, outputs=list(items))


def display(data: dict[str, Any], **metadata: Any) -> Any:
    return v4.new_output("display_data", data=data, metadata=metadata)


def paragraphs(doc: Document) -> list[tuple[str, str]]:
    """(style, text) of every body paragraph, tables left out."""
    return [(p.style.name if p.style else "", p.text) for p in doc.paragraphs]


def body(doc: Document) -> list[tuple[str, str]]:
    """(style, text) of the body after the title and the header table, tables as "TABLE"."""
    blocks: list[tuple[str, str]] = []
    for block in doc.iter_inner_content():
        if isinstance(block, Table):
            blocks.append(("TABLE", " | ".join(c.text for c in block.rows[0].cells)))
        else:
            blocks.append((block.style.name if block.style else "", block.text))
    assert blocks[:2] == [("Title", "Min logbog"), ("TABLE", "Mentorpar | par-7")]
    return blocks[2:]


def cells(table: Table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def bold_texts(paragraph: Any) -> list[str]:
    return [run.text for run in paragraph.runs if run.bold]


def png(width_in: float, dpi: int = 100) -> str:
    """A white PNG ``width_in`` inches wide at ``dpi``, base64 with newlines (as Jupyter)."""
    def chunk(kind: bytes, payload: bytes) -> bytes:
        body = kind + payload
        return struct.pack(">I", len(payload)) + body + struct.pack(">I", zlib.crc32(body))

    width, height = round(width_in * dpi), 20
    pixels = zlib.compress((b"\x00" + b"\xff" * width * 3) * height)
    per_metre = round(dpi / 0.0254)
    blob = (b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"pHYs", struct.pack(">IIB", per_metre, per_metre, 1))
            + chunk(b"IDAT", pixels) + chunk(b"IEND", b""))
    return base64.encodebytes(blob).decode("ascii")


# -- the page ------------------------------------------------------------------------------

def test_the_public_api() -> None:
    assert docx_document.__all__ == ["DOCUMENT_MIME", "notebook_docx"]
    assert DOCUMENT_MIME == "application/vnd.nysoc.document+json"


def test_the_title_comes_first_then_the_header_rows_as_a_table() -> None:
    doc = read(build())
    assert paragraphs(doc)[0] == ("Title", "Min logbog")
    table = doc.tables[0]
    assert cells(table) == [[str(a), str(b)] for a, b in HEADER["rows"]]
    assert table.style is not None and table.style.name == "Table Grid"
    label, value = table.rows[1].cells
    assert bold_texts(label.paragraphs[0]) == ["Dato"]
    assert bold_texts(value.paragraphs[0]) == []


def test_the_page_is_a4_portrait_with_2_cm_margins() -> None:
    section = read(build()).sections[0]
    assert section.orientation == WD_ORIENT.PORTRAIT
    sizes = (section.page_width, section.page_height, section.left_margin,
             section.right_margin, section.top_margin, section.bottom_margin)
    assert [round(size.cm, 1) if size else None for size in sizes] == [21.0, 29.7, 2, 2, 2, 2]


@pytest.mark.parametrize(("level", "colour"), [
    pytest.param("privat", "A4000F", id="privat-red"),
    pytest.param("par", "A4000F", id="par-red"),
    pytest.param("deles", "1D6B2F", id="deles-green"),
])
def test_the_marking_is_in_every_pages_header_bold_and_coloured(level: str, colour: str) -> None:
    (section,) = read(build(header={**HEADER, "level": level,
                                    "marking": "Deles – tovholder"})).sections
    header = section.header
    assert not header.is_linked_to_previous and not section.different_first_page_header_footer
    (run,) = header.paragraphs[0].runs
    assert run.text == "Deles – tovholder"
    assert run.bold and run.font.color.rgb == RGBColor.from_string(colour)


def test_the_footer_says_side_x_af_y_with_word_fields() -> None:
    footer = read(build()).sections[0].footer.paragraphs[0]
    instructions = [el.text.strip() for el in footer._p.iter(qn("w:instrText"))]
    assert instructions == ["PAGE", "NUMPAGES"]
    kinds = [el.get(qn("w:fldCharType")) for el in footer._p.iter(qn("w:fldChar"))]
    assert kinds == ["begin", "separate", "end"] * 2
    assert footer.text == "side 1 af 1"


def test_the_text_is_danish_calibri_11_and_the_properties_name_the_document() -> None:
    doc = read(build(title=DANISH))
    styles = doc.styles.element
    defaults = styles.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}")
    assert defaults.find(qn("w:lang")).get(qn("w:val")) == "da-DK"
    fonts = list(styles.iter(qn("w:rFonts")))
    assert fonts and all(f.get(qn("w:ascii")) == "Calibri" and f.get(qn("w:asciiTheme")) is None
                         for f in fonts)
    normal = doc.styles["Normal"].font  # type: ignore[union-attr]
    assert normal.size is not None and normal.size.pt == 11
    core = doc.core_properties
    assert (core.title, core.author, core.language) == (DANISH, "nysoc", "da-DK")


def test_the_document_can_be_written_and_opened_again(tmp_path: Path) -> None:
    path = tmp_path / "logbog.docx"
    path.write_bytes(build(v4.new_markdown_cell("# Hej")))
    assert ("Heading 1", "Hej") in paragraphs(docx.Document(str(path)))


def test_the_same_notebook_gives_the_same_document() -> None:
    cells = (v4.new_markdown_cell("1. en\n2. to"), outputs(display({DOCUMENT_MIME: RECORD})),
             outputs(display({"image/png": png(2)})))
    first, second = (zipfile.ZipFile(io.BytesIO(build(*cells))) for _ in range(2))
    assert first.namelist() == second.namelist()
    assert all(first.read(name) == second.read(name) for name in first.namelist())


def test_importing_the_module_imports_neither_python_docx_nor_mistune() -> None:
    code = ("import sys, nysoc_widgets.docx_document; "
            "assert not {'docx', 'mistune'} & set(sys.modules), 'imported at import time'")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=REPO, timeout=60,
                   env={**os.environ, "PYTHONPATH": str(REPO)})


# -- markdown cells ------------------------------------------------------------------------

def test_markdown_headings_and_inline_formatting() -> None:
    doc = read(build(v4.new_markdown_cell(
        "# Vejledning\n\nSkriv **kort**, *ærligt* og `præcist` – se [siden](https://x.dk).\n\n"
        "## Sådan\n\n### Trin\n\n---\n\nSlut")))
    assert body(doc) == [("Heading 1", "Vejledning"),
                         ("Normal", "Skriv kort, ærligt og præcist – se siden."),
                         ("Heading 2", "Sådan"), ("Heading 3", "Trin"), ("Normal", "Slut")]
    runs = doc.paragraphs[2].runs
    assert [r.text for r in runs if r.bold] == ["kort"]
    assert [r.text for r in runs if r.italic] == ["ærligt"]
    assert [r.text for r in runs if r.font.name == "Consolas"] == ["præcist"]
    assert "https://x.dk" not in doc.element.xml


def test_markdown_lists_use_words_list_styles_and_each_numbered_list_starts_at_one() -> None:
    doc = read(build(v4.new_markdown_cell(
        "- æble\n- pære\n  - kerne\n\n1. først\n2. så\n\nMellem\n\n1. igen\n")))
    assert body(doc) == [("List Bullet", "æble"), ("List Bullet", "pære"),
                         ("List Bullet 2", "kerne"), ("List Number", "først"),
                         ("List Number", "så"), ("Normal", "Mellem"), ("List Number", "igen")]
    numbered = [p for p in doc.paragraphs if p.style and p.style.name == "List Number"]
    ids = [p._p.xpath("./w:pPr/w:numPr/w:numId/@w:val") for p in numbered]
    assert all(ids)
    assert ids[0] == ids[1] != ids[2]


def test_markdown_quotes_and_tables() -> None:
    doc = read(build(v4.new_markdown_cell(
        "> Husk: det er dit eget rum.\n\n| Felt | Betydning |\n|---|---|\n"
        "| Dato | dagens dato |\n| Mål | ~~gammelt~~ nyt |\n")))
    assert body(doc) == [("Quote", "Husk: det er dit eget rum."), ("TABLE", "Felt | Betydning")]
    table = doc.tables[1]
    assert table.style is not None and table.style.name == "Table Grid"
    assert cells(table) == [["Felt", "Betydning"], ["Dato", "dagens dato"],
                            ["Mål", "gammelt nyt"]]
    assert bold_texts(table.rows[0].cells[0].paragraphs[0]) == ["Felt"]
    assert bold_texts(table.rows[1].cells[0].paragraphs[0]) == []
    assert [r.text for r in table.rows[2].cells[1].paragraphs[0].runs if r.font.strike] == [
        "gammelt"]


def test_raw_html_in_markdown_shows_as_text_without_tags() -> None:
    doc = read(build(v4.new_markdown_cell(
        '<div class="boks">Læs <b>først</b> &amp; skriv<br>bagefter</div>\n\n'
        "Tekst med <i>html</i>.\n\n<style>.x { color: red }</style>")))
    assert body(doc) == [("Normal", "Læs først & skriv\nbagefter"),
                         ("Normal", "Tekst med html.")]


@pytest.mark.parametrize("cell", [
    pytest.param(v4.new_markdown_cell("  \n\n\t"), id="whitespace-markdown"),
    pytest.param(v4.new_markdown_cell(""), id="empty-markdown"),
    pytest.param(v4.new_code_cell("x = 1"), id="code-without-outputs"),
    pytest.param(outputs(display({})), id="output-without-data"),
    pytest.param(outputs(display({"text/plain": "  \n"})), id="blank-text"),
    pytest.param(outputs(display({"text/html": "<div> </div><script>x()</script>"})),
                 id="html-without-text"),
    pytest.param(outputs(v4.new_output("stream", name="stderr", text="Advarsel\n")),
                 id="stderr"),
    pytest.param(outputs(v4.new_output("error", ename="E", evalue="fejl", traceback=["tb"])),
                 id="error"),
    pytest.param(outputs(display({"application/json": {"a": 1}})), id="unknown-mime"),
    pytest.param(v4.new_raw_cell("raw tekst"), id="raw-cell"),
])
def test_empty_cells_and_outputs_produce_nothing(cell: Any) -> None:
    assert body(read(build(cell))) == []


def test_code_cell_sources_never_appear() -> None:
    source = "HEMMELIG_KODE = nysoc.form('logbog')"
    data = build(outputs(display({"text/plain": "synlig"}), source=source),
                 v4.new_code_cell(source))
    doc = read(data)
    assert body(doc) == [("Normal", "synlig")]
    assert "HEMMELIG_KODE" not in doc.element.xml


# -- a saved record's outline --------------------------------------------------------------

def test_a_record_shows_sections_questions_and_answers() -> None:
    doc = read(build(outputs(display({DOCUMENT_MIME: RECORD, "text/html": "<p>HTML-kopi</p>"}))))
    assert body(doc) == [
        ("Heading 2", "Logbog"), ("Normal", RECORD["meta"]),
        ("Heading 3", "Dagens refleksion"),
        ("Normal", "Hvad har du lært?"), ("Normal", "første linje"), ("Normal", "anden linje"),
        ("Normal", "Læringsmål"), ("List Bullet", "Mål A"), ("List Bullet", "Mål B"),
        ("Normal", "Tiltag pr. retning"), ("TABLE", "Retning 1 | tiltag"),
        ("Normal", "Andet"), ("Normal", "Intet"),
    ]
    by_text = {p.text: p for p in doc.paragraphs}
    for question in ("Hvad har du lært?", "Læringsmål", "Tiltag pr. retning", "Andet"):
        assert bold_texts(by_text[question]) == [question]
        assert by_text[question].paragraph_format.keep_with_next
    assert bold_texts(by_text["første linje"]) == []
    (meta,) = by_text[RECORD["meta"]].runs
    assert meta.italic and meta.font.size is not None and meta.font.size.pt < 11
    assert meta.font.color.rgb == RGBColor.from_string("595959")
    assert cells(doc.tables[1]) == [["Retning 1", "tiltag"], ["Retning 2", "–"]]


def test_an_answer_without_a_question_shows_its_lines_and_rows_may_be_tuples() -> None:
    outline = {"kind": "record", "title": "Logbog", "meta": "", "sections": [
        {"title": "", "answers": [
            {"question": "", "lines": ["gemt uden skabelon"], "list": False, "rows": None},
            {"question": "Pr. retning", "lines": [], "list": True,
             "rows": (("Retning 1", "tiltag"),)}]}]}
    doc = read(build(outputs(display({DOCUMENT_MIME: outline}))))
    assert body(doc) == [("Heading 2", "Logbog"), ("Normal", "gemt uden skabelon"),
                         ("Normal", "Pr. retning"), ("TABLE", "Retning 1 | tiltag")]


@pytest.mark.parametrize("page_break", [pytest.param(True, id="page-break"),
                                        pytest.param(False, id="no-page-break")])
def test_a_record_starts_on_a_new_page_when_asked(page_break: bool) -> None:
    doc = read(build(outputs(display({DOCUMENT_MIME: {**RECORD, "page_break": page_break}}))))
    (heading,) = [p for p in doc.paragraphs if p.text == "Logbog"]
    assert bool(heading.paragraph_format.page_break_before) is page_break


def test_a_shareable_record_is_one_question_answer_table() -> None:
    doc = read(build(outputs(display({DOCUMENT_MIME: SHAREABLE}))))
    assert body(doc) == [("Heading 2", "Forløbsplan"), ("Normal", SHAREABLE["meta"]),
                         ("TABLE", "Spørgsmål | Svar")]
    table = doc.tables[1]
    assert cells(table) == [["Spørgsmål", "Svar"], ["Mødefrekvens", "Hver 14. dag"],
                            ["Fokus", "Dokumentation\nSamtaler"]]
    assert bold_texts(table.rows[0].cells[1].paragraphs[0]) == ["Svar"]


def test_a_shareable_record_takes_its_column_names_from_the_outline() -> None:
    outline = {**SHAREABLE, "columns": ["Emne", "Aftale"]}
    doc = read(build(outputs(display({DOCUMENT_MIME: outline}))))
    assert cells(doc.tables[1])[0] == ["Emne", "Aftale"]


# -- other outputs -------------------------------------------------------------------------

def test_an_html_table_becomes_a_word_table_whose_bold_header_repeats_on_each_page() -> None:
    doc = read(build(outputs(display({"text/html": HTML_TABLE, "text/plain": "tabel"}))))
    assert body(doc) == [("TABLE", "Måned | Notater")]
    table = doc.tables[1]
    assert table.style is not None and table.style.name == "Table Grid"
    assert cells(table) == [["Måned", "Notater"], ["november 2026", "3"]]
    assert bold_texts(table.rows[0].cells[0].paragraphs[0]) == ["Måned"]
    assert bold_texts(table.rows[1].cells[0].paragraphs[0]) == []
    repeats = [bool(row._tr.xpath("./w:trPr/w:tblHeader")) for row in table.rows]
    assert repeats == [True, False]


def test_html_headings_lists_definitions_and_line_breaks() -> None:
    html = ("<details><summary>Mere</summary><h2>Overskrift</h2><p>Et &amp; to<br>tre</p>"
            "<ul><li>en</li><li>to <strong>fed</strong></li></ul><ol><li>først</li></ol>"
            "<dl><dt>Hvad gik godt?</dt><dd>Samtalen</dd></dl></details>"
            "<style>p { color: red }</style><script>alert('x')</script><svg><text>S</text></svg>"
            '<img src="https://example.org/x.png" alt="ude">')
    doc = read(build(outputs(display({"text/html": html}))))
    assert body(doc) == [("Normal", "Mere"), ("Heading 2", "Overskrift"),
                         ("Normal", "Et & to\ntre"), ("List Bullet", "en"),
                         ("List Bullet", "to fed"), ("List Number", "først"),
                         ("Normal", "Hvad gik godt?"), ("Normal", "Samtalen")]
    question = next(p for p in doc.paragraphs if p.text == "Hvad gik godt?")
    assert bold_texts(question) == ["Hvad gik godt?"]
    assert question.paragraph_format.keep_with_next


def test_a_png_is_an_inline_picture_at_most_16_cm_wide_with_its_caption() -> None:
    doc = read(build(outputs(display({"image/png": png(12), "text/plain": "<Figure size 1200x20>"},
                                     alt="Møder pr. måned"))))
    (shape,) = doc.inline_shapes
    assert Cm(15.9) <= shape.width <= Cm(16)
    assert round(shape.height / shape.width, 3) == round(20 / 1200, 3)
    assert body(doc) == [("Normal", ""), ("Caption", "Møder pr. måned")]
    picture, caption = doc.paragraphs[-2:]
    assert picture.alignment == caption.alignment == WD_ALIGN_PARAGRAPH.CENTER


def test_a_small_png_keeps_its_size_and_takes_text_plain_as_caption() -> None:
    doc = read(build(outputs(display({"image/png": png(3), "text/plain": "Figur 1"}))))
    (shape,) = doc.inline_shapes
    assert round(shape.width.cm, 1) == round(3 * 2.54, 1)
    assert body(doc)[-1] == ("Caption", "Figur 1")


def test_a_png_that_cannot_be_read_leaves_a_note() -> None:
    bad = base64.b64encode(b"\x89PNG\r\n\x1a\nnot really").decode()
    doc = read(build(outputs(display({"image/png": bad}))))
    assert len(doc.inline_shapes) == 0
    assert body(doc) == [("Caption", "(Billedet kunne ikke vises)")]


@pytest.mark.parametrize(("data", "expected"), [
    pytest.param({DOCUMENT_MIME: {**RECORD, "sections": []}, "image/png": "x",
                  "text/html": "<p>h</p>"}, ("Heading 2", "Logbog"), id="record-first"),
    pytest.param({"text/markdown": "**md**", "text/html": "<p>html</p>",
                  "text/plain": "plain"}, ("Normal", "md"), id="markdown-before-html"),
    pytest.param({"text/html": "<p>html</p>", "text/plain": "plain"}, ("Normal", "html"),
                 id="html-before-plain"),
    pytest.param({"text/plain": "plain"}, ("Normal", "plain"), id="plain"),
])
def test_an_output_shows_its_first_representation(data: dict[str, Any],
                                                  expected: tuple[str, str]) -> None:
    assert body(read(build(outputs(display(data)))))[0] == expected


def test_stdout_becomes_paragraphs_with_its_line_breaks() -> None:
    stream = v4.new_output("stream", name="stdout", text="Gemt kl. 10:15\nversion 2\n\nFærdig\n")
    result = v4.new_output("execute_result", data={"text/plain": "'resultat'"},
                           execution_count=1)
    assert body(read(build(outputs(stream, result)))) == [
        ("Normal", "Gemt kl. 10:15\nversion 2"), ("Normal", "Færdig"), ("Normal", "'resultat'")]


# -- text that must survive, and text that must not crash ----------------------------------

def test_danish_letters_dashes_and_quotes_survive_everywhere() -> None:
    record = {**RECORD, "title": DANISH, "sections": [
        {"title": DANISH, "answers": [{"question": DANISH, "lines": [DANISH], "list": False,
                                       "rows": None}]}]}
    doc = read(build(
        v4.new_markdown_cell(f"# {DANISH}\n\n{DANISH}"),
        outputs(display({DOCUMENT_MIME: record}), display({"text/html": f"<p>{DANISH}</p>"}),
                display({"text/plain": DANISH})),
        header={**HEADER, "marking": DANISH, "rows": [[DANISH, DANISH]]}, title=DANISH))
    texts = [p.text for p in doc.paragraphs]
    assert texts.count(DANISH) == 8  # md heading (the title) + text, record ×4, html, plain
    assert cells(doc.tables[0]) == [[DANISH, DANISH]]
    assert doc.sections[0].header.paragraphs[0].text == DANISH


CONTROL = "før\x00\x07\x1b\x0b\ufffe efter"


@pytest.mark.parametrize("where", ["title", "marking", "header-row", "markdown", "record",
                                   "html", "html-entity", "plain", "stdout"])
def test_a_control_character_is_dropped_not_a_crash(where: str) -> None:
    header, title, cell = dict(HEADER), "Min logbog", None
    record = {**RECORD, "sections": [{"title": "S", "answers": [
        {"question": CONTROL, "lines": [CONTROL], "list": True, "rows": [[CONTROL, "x"]]}]}]}
    if where == "title":
        title = CONTROL
    elif where == "marking":
        header["marking"] = CONTROL
    elif where == "header-row":
        header["rows"] = [["Mentorpar", CONTROL]]
    else:
        cell = {"markdown": v4.new_markdown_cell(CONTROL),
                "record": outputs(display({DOCUMENT_MIME: record})),
                "html": outputs(display({"text/html": f"<p>{CONTROL}</p>"})),
                "html-entity": outputs(display({"text/html": "<p>før&#7;&#x1b; efter</p>"})),
                "plain": outputs(display({"text/plain": CONTROL})),
                "stdout": outputs(v4.new_output("stream", name="stdout", text=CONTROL)),
                }[where]
    data = notebook_docx(v4.new_notebook(cells=[cell] if cell else []), header, title=title)
    xml = read(data).element.xml + read(data).sections[0].header._element.xml
    assert "før efter" in xml
    assert "\x07" not in xml


def test_a_very_long_title_is_whole_in_the_text_and_cut_in_the_core_properties() -> None:
    title = "Logbog" + " og mere" * 40
    doc = read(build(title=title))
    assert paragraphs(doc)[0] == ("Title", title)
    assert doc.core_properties.title == title[:255]


ODD_HTML = {
    "cell-without-table": "<td>celle uden tabel</td>",
    "unclosed-table": "<table><tr><td>åben",
    "stray-end-tags": "</table></tr></td></li></ul>",
    "nested-tables": "<table><tr><td><table><tr><td>indre</td></tr></table></td></tr></table>",
    "item-without-list": "<li>punkt uden liste",
    "unclosed-svg": "<svg><text>uden slut",
    "unclosed-comment": "<!-- kommentar",
    "cdata": "<![CDATA[x]]>",
    "broken-data-image": '<img src="data:image/png;base64,!!!">',
    "rows-without-cells": "<tr><tr><th>",
    "unclosed-paragraphs": "<p><p><p>",
    "surrogate-and-huge-entities": "&#xD800;&#99999999;",
    "unknown-headings": "<h7>?</h7><h0>",
    "empty-table": "<table></table>",
    "deep-lists": "<ol><ol><ol><ol><li>dyb</li></ol></ol></ol></ol>",
}


@pytest.mark.parametrize("html", ODD_HTML.values(), ids=ODD_HTML.keys())
def test_odd_html_does_not_raise(html: str) -> None:
    read(build(outputs(display({"text/html": html}))))


@settings(max_examples=30, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(["<table>", "</table>", "<tr>", "<td>", "</td>", "<th>", "<ul>",
                                 "</ul>", "<ol>", "<li>", "</li>", "<b>", "</i>", "<br>", "<p>",
                                 "</p>", "<h2>", "<dl>", "<dt>", "<dd>", "<pre>", "<script>",
                                 "&amp;", "&#1;", " ", "\n"]) | st.text(max_size=8),
                max_size=30))
def test_any_tag_soup_becomes_a_document(parts: list[str]) -> None:
    doc = read(build(outputs(display({"text/html": "".join(parts)}))))
    assert doc.paragraphs[0].text == "Min logbog"


def test_the_title_is_not_repeated_when_the_notebook_opens_with_it() -> None:
    """A programme notebook starts with its title as a heading ("# Min logbog"): the
    document shows it once; a notebook without one gets the title on top."""
    with_heading = read(build(v4.new_markdown_cell("# Min logbog\n\nTekst"), title="Min logbog"))
    shown = [(p.style.name, p.text) for p in with_heading.paragraphs if p.text == "Min logbog"]
    assert shown == [("Heading 1", "Min logbog")]
    without = read(build(v4.new_markdown_cell("Bare tekst"), title="Min logbog"))
    assert [p.style.name for p in without.paragraphs if p.text == "Min logbog"] == ["Title"]
