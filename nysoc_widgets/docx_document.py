"""A notebook as a Word document (.docx) that a social worker can print or keep.

:func:`notebook_docx` turns a notebook *after* nysoc's export preprocessors ran
(:mod:`.export`) into the bytes of a .docx file: A4, Calibri 11 pt, Danish (da-DK), the
confidentiality marking in the page header of every page and "side X af Y" in the footer.
The body is the title, the document header as a table, then the cells in order:

* markdown cells (the notebook's guidance text) as headings, paragraphs, lists, quotes and
  tables; code cells' *inputs* never appear;
* each output of a code cell by the first of these its ``data`` has: a saved record's
  outline under :data:`DOCUMENT_MIME` (see :func:`_outline`), ``image/png``,
  ``text/markdown``, ``text/html``, ``text/plain``; and stdout streams as text.

The pure function is the whole API: no files, no network. python-docx and mistune are
imported when a document is built, never when nysoc is imported; the block renderers live in
:mod:`._docx_blocks`.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from . import i18n, render

if TYPE_CHECKING:
    from docx.document import Document

    from ._docx_blocks import Writer

__all__ = ["DOCUMENT_MIME", "notebook_docx"]

#: Output MIME type of a saved record's document outline (a JSON-able dict).
DOCUMENT_MIME = render.DOCUMENT_MIME

_t = i18n.scope("docx")

_FONT = "Calibri"
_LANGUAGE = "da-DK"
_RED, _GREEN, _GREY = "A4000F", "1D6B2F", "595959"
_PAGE_CM = (21.0, 29.7)
_MARGIN_CM = 2.0
_LABEL_VALUE_CM = (4.5, 12.5)  # the header table and per-item tables: 17 cm text width
_QUESTION_ANSWER_CM = (7.0, 10.0)


def notebook_docx(nb: Any, header: Mapping[str, Any], *, title: str) -> bytes:
    """The notebook ``nb`` as the bytes of a Word document.

    Parameters
    ----------
    nb
        An nbformat v4 notebook after nysoc's export preprocessors ran.
    header
        The document header: ``level`` (``privat``, ``par`` or ``deles``), ``marking`` (the
        confidentiality marking) and ``rows`` (``[label, value]`` pairs).
    title
        The document's title: its first line and its core property ``title``.

    Returns
    -------
    bytes
        The .docx file.
    """
    import docx

    from . import _docx_blocks as blocks
    from ._docx_html import markdown

    doc = docx.Document()
    _setup(doc, header, title)
    writer = blocks.Writer(doc)
    if not _opens_with(nb, title):  # the notebook's own first heading is the title
        writer.heading(title, 0)
    rows = [[str(label), str(value)] for label, value in header.get("rows") or ()]
    writer.table(rows, widths_cm=_LABEL_VALUE_CM, bold_columns=(0,))
    for cell in nb.get("cells", ()):
        if cell.get("cell_type") == "markdown":
            markdown(writer, _text(cell.get("source")))
        elif cell.get("cell_type") == "code":
            for output in cell.get("outputs", ()):
                _output(writer, output)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _opens_with(nb: Any, title: str) -> bool:
    """True when the notebook's first cell is markdown starting with ``# title``."""
    cells = nb.get("cells") or []
    if not cells or cells[0].get("cell_type") != "markdown":
        return False
    first = _text(cells[0].get("source")).lstrip().splitlines()
    return bool(first) and first[0].strip() == f"# {title}".strip()


def _text(value: Any) -> str:
    """A notebook string, which may be stored as a list of lines."""
    if isinstance(value, list):
        return "".join(str(part) for part in value)
    return "" if value is None else str(value)


# -- the page ------------------------------------------------------------------------------

def _setup(doc: Document, header: Mapping[str, Any], title: str) -> None:
    """A4 portrait with 2 cm margins, Calibri, Danish, marking in the header, page numbers."""
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt, RGBColor

    from ._docx_blocks import clean

    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(_PAGE_CM[0]), Cm(_PAGE_CM[1])
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(_MARGIN_CM))
    section.header_distance = section.footer_distance = Cm(1)
    _fonts_and_language(doc)

    marking = section.header.paragraphs[0].add_run(clean(str(header.get("marking") or "")))
    marking.bold = True
    marking.font.color.rgb = RGBColor.from_string(_GREEN if header.get("level") == "deles"
                                                  else _RED)

    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run(i18n.t("documents.page") + " ")
    _field(footer, "PAGE")
    footer.add_run(" " + i18n.t("documents.of") + " ")
    _field(footer, "NUMPAGES")
    for run in footer.runs:
        run.font.size = Pt(9)

    core = doc.core_properties
    core.title = clean(title)[:255]  # the core properties hold at most 255 characters
    core.author = core.last_modified_by = "nysoc"
    core.language = _LANGUAGE
    core.comments = ""


def _fonts_and_language(doc: Document) -> None:
    """Calibri 11 pt everywhere (not the theme's fonts) and da-DK as the text's language."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    styles = doc.styles.element
    run_defaults = styles.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}")
    language = run_defaults.find(qn("w:lang"))
    if language is None:
        language = OxmlElement("w:lang")
        run_defaults.append(language)
    language.set(qn("w:val"), _LANGUAGE)
    for fonts in styles.iter(qn("w:rFonts")):
        for attribute in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
            fonts.attrib.pop(qn(f"w:{attribute}"), None)
        for attribute in ("ascii", "hAnsi", "eastAsia", "cs"):
            fonts.set(qn(f"w:{attribute}"), _FONT)
    doc.styles["Normal"].font.size = Pt(11)  # type: ignore[union-attr]


def _field(paragraph: Any, instruction: str) -> None:
    """A Word field (``PAGE``, ``NUMPAGES``) that Word fills in when it lays out the page."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def char(kind: str) -> Any:
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        return element

    code = OxmlElement("w:instrText")
    code.set(qn("xml:space"), "preserve")
    code.text = f" {instruction} "
    for element in (char("begin"), code, char("separate")):
        paragraph.add_run()._r.append(element)
    paragraph.add_run("1")  # shown until Word updates the field
    paragraph.add_run()._r.append(char("end"))


# -- outputs -------------------------------------------------------------------------------

def _output(writer: Writer, output: Mapping[str, Any]) -> None:
    """One output of a code cell, by the first representation it has (module docstring)."""
    from . import _docx_blocks as blocks
    from ._docx_html import html, markdown

    kind = output.get("output_type")
    if kind == "stream":
        if output.get("name") == "stdout":
            blocks.plain(writer, _text(output.get("text")))
        return
    if kind not in ("display_data", "execute_result"):
        return
    data = output.get("data") or {}
    if DOCUMENT_MIME in data:
        _outline(writer, data[DOCUMENT_MIME])
    elif "image/png" in data:
        alt = (output.get("metadata") or {}).get("alt") or _text(data.get("text/plain"))
        _image(writer, _text(data["image/png"]), str(alt))
    elif "text/markdown" in data:
        markdown(writer, _text(data["text/markdown"]))
    elif "text/html" in data:
        html(writer, _text(data["text/html"]))
    elif "text/plain" in data:
        blocks.plain(writer, _text(data["text/plain"]))


def _image(writer: Writer, base64_png: str, alt: str) -> None:
    """A picture with ``alt`` as its caption; a note in its place if it cannot be read."""
    from ._docx_blocks import data_image

    blob = data_image(base64_png)
    if blob is None or not writer.picture(blob):
        writer.paragraph(_t("image_missing"), "Caption")
    if alt.strip():
        writer.caption(alt.strip())


def _outline(writer: Writer, outline: Mapping[str, Any]) -> None:
    """A saved record from its outline.

    The outline is ``{"kind": "record" | "shareable", "title", "meta", "page_break",
    "columns" (optional), "sections": [{"title", "answers": [{"question", "lines",
    "list", "rows"}]}]}``. A record shows each section's heading and each question (bold)
    above its answer: a table of ``rows``, a bulleted ``list`` or one paragraph per line. A
    shareable record is one table of questions and answers, without section headings.
    """
    from docx.shared import Pt, RGBColor

    heading = writer.heading(str(outline.get("title") or ""), 2)
    heading.paragraph_format.page_break_before = bool(outline.get("page_break"))
    if outline.get("meta"):
        meta = writer.paragraph(str(outline["meta"]))
        for run in meta.runs:
            run.italic, run.font.size = True, Pt(9)
            run.font.color.rgb = RGBColor.from_string(_GREY)
    sections = outline.get("sections") or []
    if outline.get("kind") == "shareable":
        columns = list(outline.get("columns") or [_t("question"), _t("answer")])[:2]
        rows = [[str(answer.get("question") or ""), "\n".join(map(str, answer.get("lines") or []))]
                for section in sections for answer in section.get("answers") or []]
        writer.table([columns, *rows], header=True, widths_cm=_QUESTION_ANSWER_CM)
        return
    for section in sections:
        if section.get("title"):
            writer.heading(str(section["title"]), 3)
        for answer in section.get("answers") or []:
            _answer(writer, answer)


def _answer(writer: Writer, answer: Mapping[str, Any]) -> None:
    """The question (bold, kept with its answer; none if empty), then the answer."""
    if answer.get("question"):
        question = writer.paragraph(str(answer["question"]), bold=True)
        question.paragraph_format.keep_with_next = True
    lines = [str(line) for line in answer.get("lines") or []]
    rows = answer.get("rows")
    if rows and isinstance(rows, (list, tuple)):
        cells = [[str(item) for item in row] for row in rows]
        writer.table(cells, widths_cm=_LABEL_VALUE_CM)
    elif answer.get("list"):
        for line in lines:
            writer.item(line, 1)
    else:
        for line in lines:
            writer.paragraph(line)
