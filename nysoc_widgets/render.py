"""Static renderings of a record (HTML and Markdown): what was written, as a document.

Pure functions of a template and a record; used for the output a saved form leaves in
the notebook (so an export without a kernel still shows the answers) and by exports.
"""

from __future__ import annotations

import datetime as dt
from html import escape
from typing import Any

from . import fields as fk
from .clock import local
from .fields import Field
from .glossary import CONFIDENTIALITY, STATUSES
from .records import Record
from .templates import Template

__all__ = ["MIME_TYPE", "DOCUMENT_MIME", "answer_text", "choice_text", "record_outline",
           "outline_html", "outline_markdown", "record_html", "record_markdown",
           "record_bundle", "card_html", "format_date", "format_short_date", "format_time",
           "text_html",
           "html_table", "figure_uri", "download_link"]

#: The MIME type of the small JSON record a saved form leaves in the notebook.
MIME_TYPE = "application/vnd.nysoc.record+json"
#: The MIME type of a record's document outline (:func:`record_outline`) in an export: what
#: the Word document is built from.
DOCUMENT_MIME = "application/vnd.nysoc.document+json"

_MONTHS = ("januar", "februar", "marts", "april", "maj", "juni", "juli", "august",
           "september", "oktober", "november", "december")
_MONTHS_SHORT = ("jan.", "feb.", "mar.", "apr.", "maj", "jun.", "jul.", "aug.", "sep.",
                 "okt.", "nov.", "dec.")


def format_date(value: str | None) -> str:
    """'2026-11-23' (or an ISO time, shown in Danish time) as '23. november 2026'."""
    if not value:
        return ""
    moment = local(value) if len(value) > 10 else None
    try:
        day = moment.date() if moment else dt.date.fromisoformat(value[:10])
    except ValueError:
        return value
    return f"{day.day}. {_MONTHS[day.month - 1]} {day.year}"


def format_short_date(day: dt.date, *, year: bool = False) -> str:
    """A day as '7. sep.' (or '7. sep. 2026' with ``year``): for charts and narrow tables."""
    short = f"{day.day}. {_MONTHS_SHORT[day.month - 1]}"
    return f"{short} {day.year}" if year else short


def format_time(value: str | None) -> str:
    """An ISO time from the store as 'HH.MM' in Danish time; '' if it has none."""
    moment = local(value) if value else None
    return moment.strftime("%H.%M") if moment else ""


def text_html(text: str) -> str:
    """A template's plain text as HTML: blank lines part paragraphs, "- " lines make a list."""
    blocks = []
    for block in text.strip().split("\n\n"):
        lines = [line.strip() for line in block.splitlines() if line.strip()]
        bullets = [line[2:] for line in lines if line.startswith("- ")]
        prose = [line for line in lines if not line.startswith("- ")]
        if prose:
            blocks.append("<p>" + "<br>".join(escape(line) for line in prose) + "</p>")
        if bullets:
            blocks.append("<ul>" + "".join(f"<li>{escape(b)}</li>" for b in bullets) + "</ul>")
    return "".join(blocks)


def _iso_day(value: Any) -> bool:
    try:
        return isinstance(value, str) and len(value) == 10 and bool(
            dt.date.fromisoformat(value))
    except ValueError:
        return False


def choice_text(fld: Field, value: Any) -> str:
    """One chosen answer as the user reads it: a choice's Danish label; for a
    ``choices_from_saved`` field an item as it was written (a goal's title), and a saved
    record named by its date as e.g. "Mentormøde 3. marts 2026" (never the bare ISO date)."""
    if any(c.id == value for c in fld.choices):
        return fld.choice_label(str(value))
    if fld.saved_title is not None and _iso_day(value):
        from . import i18n

        return i18n.t("choices.dated", title=fld.saved_title.da, date=format_date(value))
    return str(value)


def answer_text(fld: Field, value: Any) -> list[str]:
    """An answer as lines of plain text (empty list when unanswered)."""
    if fk.is_empty(value):
        return []
    if fld.kind in ("short_text", "long_text"):
        return str(value).splitlines()
    if fld.kind == "date":
        return [format_date(str(value))]
    if fld.kind == "number":
        return [str(value).replace(".", ",")]
    if fld.kind == "single_choice":
        return [choice_text(fld, value)]
    if fld.kind in ("multi_choice", "checklist"):
        return [choice_text(fld, v) for v in value]
    if fld.kind == "scale":
        return [f"{value} af 5"]
    if fld.kind in ("list", "pick"):
        return [str(v) for v in value]
    if fld.kind == "per_item":
        entry = Field(id=fld.id, kind=fld.entry or "long_text", label=fld.label,
                      choices=fld.choices)
        return [f"{item}: {'; '.join(answer_text(entry, v)) or '–'}" for item, v in
                value.items()]
    return [str(value)]


def _meta(record: Record) -> str:
    when = format_date(record.updated or record.created) or "ikke gemt endnu"
    return (f"{CONFIDENTIALITY.get(record.confidentiality, record.confidentiality)} · "
            f"{STATUSES.get(record.status, record.status).capitalize()} · {when}"
            + (f" · version {record.version}" if record.version else ""))


#: Field kinds whose answer is shown as a bulleted list.
_LIST_KINDS = ("multi_choice", "checklist", "list", "pick", "per_item")


def _per_item_rows(fld: Field, value: Any) -> list[list[str]]:
    """A per-item answer as [item, answer] rows (the answer's lines joined by '; ')."""
    entry = Field(id=fld.id, kind=fld.entry or "long_text", label=fld.label,
                  choices=fld.choices)
    return [[str(item), "; ".join(answer_text(entry, v)) or "–"] for item, v in value.items()]


def record_outline(template: Template, record: Record) -> dict[str, Any]:
    """The record as a document outline: plain, JSON-able data that every document format
    (HTML, Markdown, Word) renders the same way.

    ``{"kind": "record", "title", "meta", "sections": [{"title", "answers": [{"question",
    "lines", "list", "rows"}]}]}``; unanswered questions and empty sections are left out,
    ``rows`` holds a per-item answer as [item, answer] pairs (else None).
    """
    sections = []
    for section in template.sections:
        answers = []
        for fld in section.fields:
            value = record.values.get(fld.id)
            if fk.is_empty(value):
                continue
            rows = _per_item_rows(fld, value) if fld.kind == "per_item" else None
            answers.append({"question": fld.label.da, "lines": answer_text(fld, value),
                            "list": fld.kind in _LIST_KINDS, "rows": rows})
        if answers:
            sections.append({"title": section.title.da, "answers": answers})
    return {"kind": "record", "title": template.title.da, "meta": _meta(record),
            "sections": sections}


def _answer_html(answer: dict[str, Any]) -> str:
    if answer.get("rows"):
        return ('<table class="nysoc-items"><tbody>' + "".join(
            f'<tr><th scope="row">{escape(item)}</th><td>{escape(text)}</td></tr>'
            for item, text in answer["rows"]) + "</tbody></table>")
    if answer["list"]:
        return "<ul>" + "".join(f"<li>{escape(x)}</li>" for x in answer["lines"]) + "</ul>"
    return "<br>".join(escape(x) for x in answer["lines"])


def outline_html(outline: dict[str, Any], *, template_id: str = "", heading: bool = True,
                 level: int = 3) -> str:
    """An outline (:func:`record_outline`) as an HTML fragment; see :func:`record_html`."""
    parts = [f'<div class="nysoc-record" data-template="{escape(template_id)}">']
    if heading:
        parts += [f"<h{level}>{escape(outline['title'])}</h{level}>",
                  f'<p class="nysoc-meta"><small>{escape(outline["meta"])}</small></p>']
    sub = min(level + 1, 6)
    for section in outline["sections"]:
        parts.append(f"<h{sub}>{escape(section['title'])}</h{sub}><dl>")
        for answer in section["answers"]:
            parts.append(f"<dt><strong>{escape(answer['question'])}</strong></dt>"
                         f"<dd>{_answer_html(answer)}</dd>")
        parts.append("</dl>")
    parts.append("</div>")
    return "".join(parts)


def record_html(template: Template, record: Record, *, heading: bool = True,
                level: int = 3) -> str:
    """The record as a small, self-contained HTML document fragment.

    The template's title is a heading of ``level`` followed by a line of metadata (level,
    status, date, version), unless ``heading`` is False (a document that has its own
    header, see ``nysoc_widgets.documents``); each section is a heading one level below.
    """
    return outline_html(record_outline(template, record), template_id=template.id,
                        heading=heading, level=level)


def outline_markdown(outline: dict[str, Any]) -> str:
    """An outline (:func:`record_outline`) as Markdown: headings, questions in bold, lists
    as bullets (a per-item answer as "**item**: answer")."""
    out = [f"### {outline['title']}", "", f"*{outline['meta']}*", ""]
    for section in outline["sections"]:
        out += [f"#### {section['title']}", ""]
        for answer in section["answers"]:
            out += [f"**{answer['question']}**", ""]
            if answer.get("rows"):
                out += [f"- **{item}**: {text}" for item, text in answer["rows"]]
            elif answer["list"]:
                out += [f"- {x}" for x in answer["lines"]]
            else:
                out += [f"{x}  " for x in answer["lines"]]
            out.append("")
    return "\n".join(out).rstrip() + "\n"


def record_markdown(template: Template, record: Record) -> str:
    """The record as Markdown (headings, questions in bold, lists as bullets)."""
    return outline_markdown(record_outline(template, record))


def _same(one: str, other: str) -> bool:
    """Two headings that say the same, or one repeats the start of the other (quotes,
    punctuation and case aside): a card shows it once."""
    def bare(text: str) -> str:
        return " ".join("".join(c for c in text.casefold() if c.isalnum() or c.isspace()).split())

    a, b = bare(one), bare(other)
    return a.startswith(b) or b.startswith(a)


def card_html(template: Template) -> str:
    """A reference card (e.g. ``gode_raad``) as HTML: title, intro, sections of items."""
    parts = [f"<h3>{escape(template.title.da)}</h3>"]
    if template.intro:
        parts.append(text_html(template.intro.da))
    for section in template.sections:
        if not _same(section.title.da, template.title.da):
            parts.append(f"<h4>{escape(section.title.da)}</h4>")
        parts.append("<ul>")
        for item in section.items:
            head = (f"<strong>{escape(item.title.da)}</strong>"
                    if item.title and not _same(item.title.da, section.title.da) else "")
            parts.append(f"<li>{head}{text_html(item.text.da)}</li>")
        parts.append("</ul>")
    return f'<div class="nysoc-card">{"".join(parts)}</div>'


def record_bundle(template: Template, record: Record) -> dict[str, Any]:
    """A display bundle: HTML, Markdown, plain text and the record as nysoc JSON."""
    markdown = record_markdown(template, record)
    return {
        "text/html": record_html(template, record),
        "text/markdown": markdown,
        "text/plain": markdown,
        MIME_TYPE: {"record": record.to_dict(), "template_id": template.id,
                    "template_version": template.version},
    }


def html_table(frame: Any) -> str:
    """A DataFrame as a plain, escaped HTML table: numbers right-aligned, the rest left
    (``DataFrame.to_html`` right-aligns every header), dates the Danish way, line breaks in
    written text kept."""
    import pandas as pd

    numeric = [pd.api.types.is_numeric_dtype(frame[c]) for c in frame.columns]

    def text(value: Any) -> str:
        if isinstance(value, dt.date):
            value = format_date(value.isoformat()[:10])
        return escape(str(value)).replace("\n", "<br>")

    def cell(tag: str, value: Any, is_number: bool) -> str:
        align = "right" if is_number else "left"
        return f'<{tag} style="text-align:{align};vertical-align:top">{text(value)}</{tag}>'

    head = "".join(cell("th", c, n) for c, n in zip(frame.columns, numeric, strict=True))
    body = "".join(
        "<tr>" + "".join(cell("td", v, n) for v, n in zip(row, numeric, strict=True)) + "</tr>"
        for row in frame.itertuples(index=False))
    return f'<table class="nysoc-table"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def figure_uri(fig: Any, *, dpi: int = 96) -> str:
    """A matplotlib figure as a PNG ``data:`` URI, for an ``<img>`` that needs no file."""
    import base64
    import io

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def download_link(content: str | bytes, *, mime: str, file_name: str, text: str) -> str:
    """A link that downloads ``content`` as ``file_name``: the file travels inside the link
    (a base64 ``data:`` URI), so nothing is written to disk until the reader saves it, and
    the link works alike in JupyterLab, in Voilà and in a notebook opened without a kernel.
    """
    import base64

    raw = content.encode("utf-8") if isinstance(content, str) else content
    charset = ";charset=utf-8" if isinstance(content, str) else ""
    href = f"data:{mime}{charset};base64,{base64.b64encode(raw).decode('ascii')}"
    return (f'<a href="{href}" download="{escape(file_name)}" type="{escape(mime)}" '
            f'style="font-weight:bold;text-decoration:underline">{escape(text)}</a>')
