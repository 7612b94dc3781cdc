"""Printable documents: one saved record as a self-contained HTML page for A4 paper.

``nysoc.print_copy("samarbejdsaftale")`` offers the pairing's latest saved agreement as such
a page. The functions here are pure (a template, a record and the pairing in; text out)::

    html = record_document(template, record, pairing)

The page holds
    a title (the template's), the confidentiality marking ("Fortroligt – kun mentor og
    mentee" for ``par``, "Privat" for ``privat``: the same words as ``nysoc export``), the
    pairing's people, department and dates, when the record was saved (version, and
    "Kladde" when it is not final), every answered question (:func:`render.record_html`)
    and who has confirmed it (:func:`records.confirmed_by`), for a template that asks for
    confirmations.

What it never holds
    Anything loaded from elsewhere: no scripts, no URLs, no web fonts (fonts the machine
    has: Liberation/DejaVu on Linux, Cambria/Calibri on Windows), and a
    Content-Security-Policy that forbids fetching anything. Only what the store has saved
    goes in: an autosaved draft (``Store.save_draft``) is never read here.

Printing
    :data:`PRINT_CSS` sets ``@page`` to A4 with the marking and "side X af Y" in the page
    margins, keeps headings with what follows them, and keeps an answer on one page where
    it fits. ``nysoc export`` styles a whole notebook with the same :func:`print_css`, plus
    :data:`NOTEBOOK_CSS` for what a notebook has beyond one record.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import cached_property
from html import escape

from . import i18n
from .records import Pairing, Record, awaiting_confirmation, confirmed_by
from .render import download_link, format_date, format_time, record_html
from .templates import Template

__all__ = [
    "DocumentHeader",
    "marking",
    "PrintCopy",
    "document_header",
    "document_body",
    "print_css",
    "NOTEBOOK_CSS",
    "CSP",
    "record_document",
    "file_name",
]

_t = i18n.scope("documents")

_SERIF = ('"Liberation Serif", "DejaVu Serif", Cambria, Georgia, "Times New Roman", serif')
_SANS = ('"Liberation Sans", "DejaVu Sans", Calibri, Carlito, Arial, Helvetica, sans-serif')
#: Nothing may be fetched: no scripts, no frames, no fonts or images from anywhere.
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


@dataclass(frozen=True)
class DocumentHeader:
    """The header of a printed record: marking, title and (label, value) rows."""

    title: str
    level: str
    marking: str
    rows: tuple[tuple[str, str], ...]
    draft: bool = False


def marking(level: str, roles: Iterable[str] = ()) -> str:
    """The confidentiality marking of a record of ``level`` (documents and ``nysoc export``
    alike). A ``par`` record of the introduction programme (``roles`` has the contact
    person) is the contact person's and the newcomer's, not a mentor's and a mentee's."""
    if level == "par" and "kontaktperson" in roles:
        return i18n.t("export.marking_par_introduction")
    key = f"export.marking_{level}"
    return i18n.t(key) if i18n.has(key) else i18n.t("export.marking_par")


def _saved(record: Record) -> str:
    when = record.updated or record.created
    time = format_time(when)
    return _t("saved_at", date=format_date(when), time=time) if time else format_date(when)


def document_header(template: Template, record: Record,
                    pairing: Pairing | None = None) -> DocumentHeader:
    """The header of ``record``'s document: who, where, since when, saved when."""
    rows: list[tuple[str, str]] = []
    if pairing is not None:
        rows += [(_t("mentor"), pairing.mentor), (_t("mentee"), pairing.mentee),
                 (_t("department"), pairing.department),
                 (_t("start"), format_date(pairing.start_date)),
                 (_t("planned_end"), format_date(pairing.planned_end))]
    rows += [(_t("pairing"), record.pairing), (_t("saved"), _saved(record))]
    if record.version:
        rows.append((_t("version"), str(record.version)))
    return DocumentHeader(title=template.title.da, level=record.confidentiality,
                          marking=marking(record.confidentiality, template.roles),
                          rows=tuple((k, v) for k, v in rows if v and v.strip()),
                          draft=record.status != "final")


def _people(roles: list[str], pairing: Pairing | None) -> str:
    """'mentor (Hanne) og mentee (Sofie)': roles, with the person's name when known."""
    names = {"mentor": pairing.mentor, "mentee": pairing.mentee} if pairing else {}
    shown = [f"{role} ({names[role]})" if names.get(role, "").strip() else role
             for role in roles]
    return shown[0] if len(shown) == 1 else f"{', '.join(shown[:-1])} {_t('and')} {shown[-1]}"


def _confirmations(template: Template, record: Record, pairing: Pairing | None) -> str:
    if not template.confirmations:
        return ""
    done = confirmed_by(template, record.values)
    missing = awaiting_confirmation(template, record.values)
    lines = ([_t("confirmed", who=_people(done, pairing))] if done else []) + (
        [_t("awaiting", who=_people(missing, pairing))] if missing else [])
    return (f'<section class="nysoc-confirmations"><h2>{escape(_t("confirmations"))}</h2>'
            + "".join(f"<p>{escape(line)}</p>" for line in lines) + "</section>")


def document_body(template: Template, record: Record, pairing: Pairing | None = None) -> str:
    """The document's content as an HTML fragment: header, answers, confirmations.

    The confirmation fields are told as a sentence under their own heading ("Bekræftet af
    mentor (Hanne). Mangler bekræftelse fra mentee (Sofie).") rather than as answers.
    """
    head = document_header(template, record, pairing)
    rows = "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in head.rows)
    draft = (f'<p class="nysoc-draft">{escape(_t("draft_banner"))}</p>' if head.draft else "")
    answers = replace(record, values={k: v for k, v in record.values.items()
                                      if k not in template.confirmations})
    return (f'<header class="nysoc-doc-header nysoc-level-{escape(head.level)}">'
            f'<p class="nysoc-marking">{escape(head.marking)}</p>'
            f"<h1>{escape(head.title)}</h1>{draft}<dl>{rows}</dl></header>"
            f"<main>{record_html(template, answers, heading=False, level=1)}"
            f"{_confirmations(template, record, pairing)}</main>")


def _css_string(text: str) -> str:
    """``text`` as a CSS string literal (quotes, backslashes and ``<`` escaped)."""
    return '"' + "".join(f"\\{ord(c):x} " if c in '"\\<>\n' else c for c in text) + '"'


def print_css(marked: str | None = None) -> str:
    """The document's styles: a readable page on screen, A4 with the marking ``marked``
    (default: a ``par`` record's) at the foot of every paper page."""
    foot = _css_string(marked or marking("par"))
    return f"""
@page {{
  size: A4;
  margin: 20mm 18mm 22mm 18mm;
  @bottom-left {{ content: {foot}; font: 8.5pt {_SANS}; color: #444; }}
  @bottom-right {{ content: {_css_string(_t("page"))} " " counter(page) " "
                   {_css_string(_t("of"))} " " counter(pages); font: 8.5pt {_SANS}; color: #444; }}
}}
html {{ color: #111; background: #fff; }}
body {{ font-family: {_SERIF}; font-size: 11.5pt; line-height: 1.45;
        max-width: 44rem; margin: 2rem auto; padding: 0 1.25rem; overflow-wrap: break-word; }}
h1, h2, dt, .nysoc-doc-header, .nysoc-marking, .nysoc-draft {{ font-family: {_SANS}; }}
h1 {{ font-size: 20pt; line-height: 1.2; margin: 0.3rem 0 0.6rem; }}
h2 {{ font-size: 13pt; margin: 1.5rem 0 0.4rem; padding-bottom: 0.15rem;
      border-bottom: 1px solid #888; }}
.nysoc-marking {{ display: inline-block; margin: 0; padding: 0.1rem 0.5rem; font-weight: bold;
                  color: #a4000f; border: 2px solid #a4000f; }}
.nysoc-level-deles .nysoc-marking {{ color: #1d6b2f; border-color: #1d6b2f; }}
.nysoc-draft {{ font-weight: bold; margin: 0 0 0.6rem; }}
.nysoc-doc-header {{ padding-bottom: 0.6rem; border-bottom: 2px solid #111; }}
.nysoc-doc-header dl {{ display: grid; grid-template-columns: max-content 1fr; gap: 0.1rem 1rem;
                        margin: 0; font-size: 10.5pt; }}
.nysoc-doc-header dt {{ font-weight: bold; margin: 0; }}
.nysoc-doc-header dd {{ margin: 0; }}
.nysoc-record dl {{ margin: 0; }}
.nysoc-record dt {{ margin-top: 0.7rem; font-size: 10.5pt; }}
.nysoc-record dd {{ margin: 0.15rem 0 0 0; }}
ul {{ margin: 0.2rem 0; padding-left: 1.3rem; }}
@media print {{
  body {{ margin: 0; max-width: none; padding: 0; }}
  h1, h2, dt {{ break-after: avoid; page-break-after: avoid; }}
  dd, li, .nysoc-doc-header, .nysoc-confirmations {{ break-inside: avoid; }}
}}
"""


#: What a notebook exported as a document (``nysoc export``) adds to :func:`print_css`: its
#: cells without JupyterLab's styles, the records' tables, a new page for every record
#: after the first, and pictures that fit the page.
NOTEBOOK_CSS = f"""
body.jp-Notebook {{ max-width: 46rem; }}
main > .nysoc-doc-header {{ margin-bottom: 1.2rem; }}
.jp-Cell {{ margin: 0; }}
a.anchor-link {{ display: none; }}
.jp-OutputArea-output pre {{ white-space: pre-wrap; font-family: {_SANS}; }}
h1 {{ margin-top: 1.2rem; }}
h3 {{ font-family: {_SANS}; font-size: 14pt; margin: 1.4rem 0 0.2rem; }}
h4 {{ font-family: {_SANS}; font-size: 12pt; margin: 1rem 0 0.3rem; }}
.nysoc-meta {{ color: #444; margin: 0 0 0.4rem; }}
table {{ border-collapse: collapse; margin: 0.3rem 0 0.8rem; }}
th, td {{ border: 1px solid #999; padding: 0.2em 0.6em; text-align: left; vertical-align: top;
          overflow-wrap: anywhere; }}
.nysoc-doc-header dl, .nysoc-doc-header dt, .nysoc-doc-header dd {{ border: 0; }}
img {{ max-width: 100%; height: auto; }}
@media print {{
  .nysoc-page-break {{ break-before: page; page-break-before: always; }}
  h3, h4 {{ break-after: avoid; page-break-after: avoid; }}
  tr, img {{ break-inside: avoid; }}
  a {{ color: inherit; text-decoration: none; }}
}}
"""


def record_document(template: Template, record: Record, pairing: Pairing | None = None
                    ) -> str:
    """``record`` as a whole HTML page to read or print (see the module docstring).

    ``template`` is the version the record was written under; ``pairing`` (from the
    store) adds the people, department and dates to the header.
    """
    head = document_header(template, record, pairing)
    names = f" {_t('and')} ".join(n for n in ((pairing.mentor, pairing.mentee) if pairing
                                                else ()) if n.strip())
    title = f"{head.title} – {names}" if names else head.title
    return ("<!DOCTYPE html>\n"
            '<html lang="da">\n<head>\n<meta charset="utf-8">\n'
            f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            '<meta name="generator" content="nysoc">\n'
            f"<title>{escape(title)}</title>\n<style>{print_css(head.marking)}"
            f"</style>\n</head>\n<body>\n{document_body(template, record, pairing)}\n"
            "</body>\n</html>\n")


def file_name(template: Template, record: Record) -> str:
    """'samarbejdsaftale-2026-08-17.html': the template's id and the day it was saved."""
    day = (record.updated or record.created)[:10]
    try:
        dt.date.fromisoformat(day)
    except ValueError:
        return f"{template.id}.html"
    return f"{template.id}-{day}.html"


@dataclass(frozen=True, eq=False)
class PrintCopy:
    """What ``nysoc.print_copy`` shows: a link that downloads ``record``'s document, or a
    Danish note that nothing is saved yet (``record`` None)."""

    template: Template
    record: Record | None
    pairing: Pairing | None = None

    @property
    def empty(self) -> bool:
        """True while nothing is saved to print."""
        return self.record is None

    @cached_property
    def document(self) -> str | None:
        """The record's document (:func:`record_document`), or None."""
        if self.record is None:
            return None
        return record_document(self.template, self.record, self.pairing)

    def _text(self, key: str, **values: str) -> str:
        own = f"documents.{key}_{self.template.id}"
        return i18n.t(own, **values) if i18n.has(own) else _t(key, **values)

    def _repr_html_(self) -> str:
        title = self.template.title.da
        if self.record is None or self.document is None:
            note = self._text("no_record", title=title)
            return f'<div class="nysoc-print"><p>{escape(note)}</p></div>'
        record = self.record
        link = download_link(self.document, mime="text/html",
                             file_name=file_name(self.template, record),
                             text=self._text("link", title=title))
        lines = [self._text("contents", title=title, saved=_saved(record),
                            version=str(record.version))]
        if record.status != "final":
            lines.append(_t("is_draft"))
        missing = awaiting_confirmation(self.template, record.values)
        if missing:
            lines.append(_t("awaiting", who=_people(missing, self.pairing)))
        private = record.confidentiality == "privat"
        lines += [_t("how_to_print"), _t("privacy_privat") if private else _t("privacy_par")]
        return ('<div class="nysoc-print"><p>' + link + "</p>"
                + "".join(f"<p>{escape(line)}</p>" for line in lines) + "</div>")

    def __repr__(self) -> str:
        if self.record is None:
            return self._text("no_record", title=self.template.title.da)
        return self._text("link", title=self.template.title.da) + (
            f" ({file_name(self.template, self.record)})")
