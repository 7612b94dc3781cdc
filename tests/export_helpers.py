"""Checks on exported documents shared by the export tests: a page loads nothing from
anywhere (no scripts, no URLs to the outside in src/href or CSS), and reading the text of
each format (HTML, Markdown, Word, PDF) the way a person would see it."""

from __future__ import annotations

import io
import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path


class Links(HTMLParser):
    """Every tag and every src/href in a page, and the text of its style elements."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.urls: list[tuple[str, str, str]] = []
        self.styles: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self._in_style = tag == "style"
        for name, value in attrs:
            if name in ("src", "href", "srcset", "data", "poster", "action") and value:
                self.urls.append((tag, name, value))
            if name == "style" and value:
                self.styles.append(value)

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.styles.append(data)


def assert_self_contained(html: str) -> None:
    page = Links()
    page.feed(html)
    assert "script" not in page.tags, "a document runs no scripts"
    assert "iframe" not in page.tags and "object" not in page.tags
    for tag, name, url in page.urls:
        local = url.startswith(("data:", "#")) or not re.match(r"^([a-z][a-z0-9+.-]*:|//)",
                                                               url.strip(), re.I)
        assert local, f"<{tag} {name}={url[:80]!r}> loads from elsewhere"
    css = "\n".join(page.styles)
    assert "@import" not in css
    assert not re.findall(r"url\(\s*['\"]?(?!data:)", css), "a font or image URL in the CSS"
    assert "@font-face" not in css or not re.search(r"src:\s*url\((?!data:)", css)


def document_text(path: Path) -> str:
    """The text a reader sees in an exported document, whatever its format."""
    if path.suffix == ".pdf":
        return subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True,
                              capture_output=True, text=True, timeout=60).stdout
    if path.suffix == ".docx":
        import docx

        doc = docx.Document(io.BytesIO(path.read_bytes()))
        parts = [p.text for p in doc.paragraphs]
        for table in doc.tables:
            parts += [cell.text for row in table.rows for cell in row.cells]
        for section in doc.sections:
            parts += [p.text for p in section.header.paragraphs]
        return "\n".join(parts)
    return path.read_text(encoding="utf-8")


def squeeze(text: str) -> str:
    """``text`` without white space (a PDF breaks lines where it likes)."""
    return re.sub(r"\s+", "", text)
