"""HTML and Markdown into a Word document (:mod:`.docx_document`): :func:`html` streams an
HTML fragment (stdlib ``html.parser``) into a :class:`._docx_blocks.Writer`, and
:func:`markdown` has mistune 3 render Markdown as HTML for it, so both share one renderer.
They never raise on odd input: structure they do not know becomes plain text.
"""

from __future__ import annotations

import re
from functools import cache
from html.parser import HTMLParser
from typing import Any

from ._docx_blocks import Span, Writer, clean, data_image

__all__ = ["html", "markdown"]


@cache
def _markdown_parser() -> Any:
    import mistune

    return mistune.create_markdown(escape=False, plugins=["table", "strikethrough"])


def markdown(writer: Writer, text: str) -> None:
    """Markdown (with tables and ~~strikethrough~~), parsed by mistune 3, through :func:`html`.

    Raw HTML in the Markdown passes through to :func:`html` too, so it shows without tags.
    """
    if text.strip():
        html(writer, _markdown_parser()(clean(text)))


_SKIP = frozenset({"style", "script", "svg", "head", "title", "template", "noscript"})
_BLOCKS = frozenset({"p", "div", "section", "article", "header", "footer", "main", "aside",
                     "details", "summary", "blockquote", "pre", "figure", "figcaption", "hr",
                     "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd",
                     "table", "caption", "tr", "form", "fieldset", "legend"})
_INLINE = {"b": "b", "strong": "b", "i": "i", "em": "i", "del": "s", "s": "s", "strike": "s",
           "code": "code", "kbd": "code", "samp": "code", "tt": "code", "pre": "code"}


def html(writer: Writer, source: str) -> None:
    """An HTML fragment as headings, paragraphs, lists, tables and pictures."""
    parser = _HTMLWriter(writer)
    parser.feed(clean(source))
    parser.close()
    parser.finish()


class _HTMLWriter(HTMLParser):
    """Streams HTML into a :class:`Writer`: text gathers in ``spans`` until its block ends.

    ``block`` says what the gathered text becomes (``p``, ``quote``, ``dt``, ``h`` with its
    level, ``li`` with its depth). Only the outermost ``<table>`` becomes a Word table; what
    is nested in a cell (paragraphs, lists, inner tables) becomes lines of the cell's text.
    """

    def __init__(self, writer: Writer) -> None:
        super().__init__(convert_charrefs=True)
        self.writer = writer
        self.spans: list[Span] = []
        self.block = ("p", 0)
        self.depth = {"b": 0, "i": 0, "s": 0, "code": 0, "pre": 0, "skip": 0, "quote": 0}
        self.lists: list[int | None] = []  # per open list: its numbering id, None if bulleted
        self.item_started = False
        self.tables = 0
        self.rows: list[list[list[Span]]] = []
        self.cell: list[Span] | None = None
        self.cell_head = False
        self.head_row: list[bool] = []

    # text

    def _default_block(self) -> tuple[str, int]:
        if self.lists:
            return ("li", len(self.lists))
        return ("quote", 0) if self.depth["quote"] else ("p", 0)

    def _add(self, text: str, *, collapse: bool = True) -> None:
        target = self.cell if self.cell is not None else self.spans
        if collapse and not self.depth["pre"]:
            text = re.sub(r"\s+", " ", text)
            if not target or target[-1].text.endswith((" ", "\n")):
                text = text.lstrip(" ")
        if text.startswith("\n") and target:
            target[-1] = target[-1]._replace(text=target[-1].text.rstrip(" "))
        if text:
            bold = self.depth["b"] > 0 or (self.cell is not None and self.cell_head)
            depth = self.depth
            target.append(Span(text, bold, depth["i"] > 0, depth["code"] > 0, depth["s"] > 0))

    def _break(self) -> None:
        target = self.cell if self.cell is not None else self.spans
        if target and not target[-1].text.endswith("\n"):
            self._add("\n", collapse=False)

    def handle_data(self, data: str) -> None:
        if not self.depth["skip"]:
            self._add(data)

    def flush(self) -> None:
        """Write the gathered text as the current block; what follows starts a new one."""
        spans, (kind, level) = _trimmed(self.spans), self.block
        self.spans, self.block = [], self._default_block()
        if not spans:
            return
        if kind == "h":
            self.writer.heading(spans, level)
        elif kind == "li":
            number = self.lists[-1] if self.lists else None
            self.writer.item(spans, level, number, first=not self.item_started)
            self.item_started = True
        elif kind == "dt":
            self.writer.paragraph(spans, bold=True).paragraph_format.keep_with_next = True
        else:
            self.writer.paragraph(spans, "Quote" if kind == "quote" else None)

    def finish(self) -> None:
        """Write what is still open: a table without ``</table>``, trailing text."""
        if self.tables:
            self._table_end()
        self.flush()

    # tags

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.depth["skip"] += tag in _SKIP
        if self.depth["skip"]:
            return
        if tag in _INLINE:
            self.depth[_INLINE[tag]] += 1
            self.depth["pre"] += tag == "pre"
        if tag == "br":
            self._break()
        elif tag == "img":
            self._image(dict(attrs))
        elif self.tables:
            self._table_tag(tag)
        elif tag in _BLOCKS:
            self._block_start(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP or self.depth["skip"]:
            self.depth["skip"] = max(self.depth["skip"] - (tag in _SKIP), 0)
            return
        if tag in _INLINE:
            self.depth[_INLINE[tag]] = max(self.depth[_INLINE[tag]] - 1, 0)
            self.depth["pre"] = max(self.depth["pre"] - (tag == "pre"), 0)
        if self.tables:
            if tag == "table":
                self.tables -= 1
                if not self.tables:
                    self._table_end()
            elif tag in ("td", "th") and self.tables == 1:
                self._cell_end()
            return
        if tag in _BLOCKS:
            self.flush()
            if tag in ("ul", "ol") and self.lists:
                self.lists.pop()
            elif tag == "blockquote":
                self.depth["quote"] = max(self.depth["quote"] - 1, 0)
            self.block = self._default_block()

    def _block_start(self, tag: str) -> None:
        self.flush()
        if tag in ("ul", "ol"):
            self.lists.append(self.writer.numbering(len(self.lists) + 1) if tag == "ol" else None)
        elif tag == "li":
            self.item_started = False
        elif tag == "blockquote":
            self.depth["quote"] += 1
        elif tag == "table":
            self.tables, self.rows, self.head_row = 1, [], []
        self.block = self._default_block()
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self.block = ("h", int(tag[1]))
        elif tag in ("dt", "summary", "legend"):
            self.block = ("dt", 0)

    def _table_tag(self, tag: str) -> None:
        if tag == "table":
            self.tables += 1
            self._break()
        elif self.tables > 1 and tag in ("td", "th"):
            self._add(" ")
        elif self.tables == 1 and tag == "tr":
            self._cell_end()
            self.rows.append([])
        elif self.tables == 1 and tag in ("td", "th"):
            self._cell_end()
            if not self.rows:
                self.rows.append([])
            if len(self.rows) == 1:
                self.head_row.append(tag == "th")
            self.cell, self.cell_head = [], tag == "th"
        elif self.cell is not None and tag in _BLOCKS:
            self._break()

    def _cell_end(self) -> None:
        if self.cell is not None:
            self.rows[-1].append(_trimmed(self.cell))
            self.cell = None

    def _table_end(self) -> None:
        self._cell_end()
        self.flush()  # a <caption>, or text between the cells, goes before the table
        self.writer.table([row for row in self.rows if row],
                          header=bool(self.head_row) and all(self.head_row))
        self.tables, self.rows, self.head_row = 0, [], []

    def _image(self, attrs: dict[str, str | None]) -> None:
        src, alt = attrs.get("src") or "", attrs.get("alt") or ""
        blob = data_image(src) if src.startswith("data:image/") else None
        if blob is None:
            return
        if self.tables:
            self._add(alt)
            return
        self.flush()
        if not self.writer.picture(blob):
            self.writer.paragraph(alt)
        elif alt:
            self.writer.caption(alt)


def _trimmed(spans: list[Span]) -> list[Span]:
    """``spans`` without leading line ends and trailing white space; [] if only white space."""
    if not "".join(span.text for span in spans).strip():
        return []
    spans = list(spans)
    spans[0] = spans[0]._replace(text=spans[0].text.lstrip("\n"))
    spans[-1] = spans[-1]._replace(text=spans[-1].text.rstrip())
    return spans
