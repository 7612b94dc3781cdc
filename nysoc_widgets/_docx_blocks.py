"""Building blocks of nysoc's Word documents (:mod:`.docx_document`): a :class:`Writer` that
puts paragraphs, lists, tables and pictures into a python-docx ``Document``, and
:func:`plain` text. The HTML and Markdown renderers that drive it are :mod:`._docx_html`.

Every text reaches the document through :meth:`Writer.runs` as :class:`Span` runs, which
python-docx escapes; :func:`clean` first drops the characters XML 1.0 forbids. The renderers
never raise on odd input: structure they do not know becomes plain text. python-docx and
mistune are imported where used, so importing this module stays cheap.
"""

from __future__ import annotations

import base64
import binascii
import re
import struct
from collections.abc import Sequence
from io import BytesIO
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from docx.document import Document
    from docx.table import Table
    from docx.text.paragraph import Paragraph

__all__ = ["Span", "Writer", "clean", "data_image", "plain"]

#: Control characters (other than tab and newline), lone surrogates and U+FFFE/U+FFFF.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_CODE_FONT = "Consolas"
_LIST_STYLES = {"bullet": "List Bullet", "number": "List Number", "continue": "List Continue"}


def clean(text: str) -> str:
    """``text`` with Windows/Mac line ends as ``\\n`` and XML-forbidden characters removed."""
    return _FORBIDDEN.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


class Span(NamedTuple):
    """A piece of text with its formatting; ``\\n`` in ``text`` becomes a line break."""

    text: str
    bold: bool = False
    italic: bool = False
    code: bool = False
    strike: bool = False


Spans = Sequence[Span] | str


def _spans(content: Spans) -> list[Span]:
    return [Span(content)] if isinstance(content, str) else list(content)


def _list_style(kind: str, depth: int) -> str:
    level = min(max(depth, 1), 3)
    return _LIST_STYLES[kind] + ("" if level == 1 else f" {level}")


class Writer:
    """Appends blocks to ``doc``'s body, always as text runs."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc

    def paragraph(self, content: Spans, style: str | None = None, *,
                  bold: bool = False) -> Paragraph:
        """A paragraph of ``content`` (``bold`` makes every run bold)."""
        paragraph = self.doc.add_paragraph(style=style)
        self.runs(paragraph, _spans(content), bold=bold)
        return paragraph

    @staticmethod
    def runs(paragraph: Paragraph, spans: Sequence[Span], *, bold: bool = False) -> None:
        """Add ``spans`` to ``paragraph`` as runs."""
        for span in spans:
            text = clean(span.text)
            if not text:
                continue
            run = paragraph.add_run(text)
            run.bold = span.bold or bold or None
            run.italic = span.italic or None
            run.font.strike = span.strike or None
            if span.code:
                run.font.name = _CODE_FONT

    def heading(self, content: Spans, level: int) -> Paragraph:
        """A heading: level 0 is the document's Title, 1–9 are "Heading 1" … "Heading 9"."""
        return self.paragraph(content, "Title" if level == 0 else f"Heading {min(level, 9)}")

    def numbering(self, depth: int) -> int:
        """A new numbering instance for a numbered list at ``depth`` (it starts at 1)."""
        style = self.doc.styles[_list_style("number", depth)]
        numbering = self.doc.part.numbering_part.element
        template = numbering.num_having_numId(style.element.pPr.numPr.numId.val)
        num = numbering.add_num(template.abstractNumId.val)
        num.add_lvlOverride(ilvl=0).add_startOverride(1)
        return int(num.numId)

    def item(self, content: Spans, depth: int, number: int | None = None, *,
             first: bool = True) -> Paragraph:
        """A list item at ``depth`` (1 = top): bulleted, or numbered in list ``number``.

        Paragraphs of an item after its ``first`` are "List Continue" (indented, no bullet).
        """
        if not first:
            return self.paragraph(content, _list_style("continue", depth))
        if number is None:
            return self.paragraph(content, _list_style("bullet", depth))
        paragraph = self.paragraph(content, _list_style("number", depth))
        num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
        num_pr.get_or_add_ilvl().val = 0
        num_pr.get_or_add_numId().val = number
        return paragraph

    def table(self, rows: Sequence[Sequence[Spans]], *, header: bool = False,
              widths_cm: Sequence[float] | None = None,
              bold_columns: Sequence[int] = ()) -> Table | None:
        """A "Table Grid" table; the ``header`` row is bold and repeats on every page."""
        from docx.oxml import OxmlElement
        from docx.shared import Cm

        columns = max((len(row) for row in rows), default=0)
        if columns == 0:
            return None
        table = self.doc.add_table(rows=len(rows), cols=columns)
        table.style = "Table Grid"
        for index, (row, cells) in enumerate(zip(table.rows, rows, strict=True)):
            for column, (cell, content) in enumerate(zip(row.cells, cells, strict=False)):
                bold = (header and index == 0) or column in bold_columns
                self.runs(cell.paragraphs[0], _spans(content), bold=bold)
        if header:
            table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
        if widths_cm and len(widths_cm) == columns:
            table.autofit = False
            for column, width in zip(table.columns, widths_cm, strict=True):
                column.width = Cm(width)
                for cell in column.cells:
                    cell.width = Cm(width)
        return table

    def picture(self, blob: bytes, *, max_width_cm: float = 16.0) -> bool:
        """A centred picture at most ``max_width_cm`` wide; False if ``blob`` is no image."""
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.image import exceptions as bad
        from docx.image.image import Image
        from docx.shared import Cm, Emu

        try:  # python-docx reads the image's header only: size, resolution, type
            Image.from_blob(blob)
        except (bad.InvalidImageStreamError, bad.UnexpectedEndOfFileError,
                bad.UnrecognizedImageError, struct.error, ValueError, IndexError):
            return False
        paragraph = self.doc.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        shape = paragraph.add_run().add_picture(BytesIO(blob))
        limit = Cm(max_width_cm)
        if shape.width > limit:
            shape.height = Emu(int(shape.height * limit / shape.width))
            shape.width = limit
        return True

    def caption(self, text: str) -> Paragraph:
        """A small centred "Caption" paragraph (under a picture)."""
        from docx.enum.text import WD_ALIGN_PARAGRAPH

        paragraph = self.paragraph(text, "Caption")
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        return paragraph


def plain(writer: Writer, text: str) -> None:
    """Plain text: blank lines separate paragraphs, single line ends become line breaks."""
    for block in re.split(r"\n[ \t]*\n", clean(text).strip("\n")):
        if block.strip():
            writer.paragraph(block.rstrip())


def data_image(src: str) -> bytes | None:
    """The bytes of a base64 ``data:image/…`` URL or bare base64 string, else None."""
    payload = src.split(",", 1)[1] if src.startswith("data:") else src
    if src.startswith("data:") and ";base64" not in src.split(",", 1)[0]:
        return None
    try:
        return base64.b64decode("".join(payload.split()), validate=True)
    except (binascii.Error, ValueError):
        return None
