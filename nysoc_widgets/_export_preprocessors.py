"""nysoc's nbconvert preprocessors: a notebook's saved forms as a document, from the records
the store holds (or, away from the workspace, the static output each saved form leaves:
the record as JSON under :data:`render.MIME_TYPE`), never from live widget state (STYLE.md,
"Exports").

The order they run in, and their configuration, is listed in one place only:
:func:`export.nysoc_preprocessors` (see :mod:`.export`'s docstring for what each does).
Here live the preprocessors and the Danish tables a shareable record becomes; the notebook's
workspace, catalogue and store they share are :mod:`._export_context`.

Importing this module imports nbconvert (~1.4 s): only :mod:`.export` imports it.
"""

from __future__ import annotations

import re
from html import escape
from typing import Any

import nbformat
from nbconvert.preprocessors import Preprocessor
from traitlets import Bool, Unicode

from . import boundary, clock, documents, i18n, render
from ._export_context import KEY as _CONTEXT_KEY
from ._export_context import Context, code_cells, context, nysoc_call, record_of
from .glossary import ROLES, STATUSES
from .templates import Template

__all__ = [
    "WIDGET_VIEW",
    "WIDGET_STATE",
    "SHAREABLE_KEY",
    "DOCUMENT_MIME",
    "StripWidgetsPreprocessor",
    "DocumentNoisePreprocessor",
    "SavedRecordsPreprocessor",
    "ShareablePreprocessor",
    "RecordDocumentPreprocessor",
    "DocumentInfoPreprocessor",
    "shareable_html",
    "shareable_markdown",
]

_t = i18n.scope("export")

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
#: Output metadata marking an output built from ``boundary.shareable_record``.
SHAREABLE_KEY = "nysoc_shareable"
DOCUMENT_MIME = render.DOCUMENT_MIME


# -- the preprocessors ---------------------------------------------------------------------

class _NysocPreprocessor(Preprocessor):
    workspace = Unicode(None, allow_none=True,
                        help="The nysoc workspace folder (default: found from the notebook)."
                        ).tag(config=True)

    def context(self, resources: dict[str, Any]) -> Context:
        """The notebook's workspace, catalogue and store (found once per export)."""
        return context(self.workspace, resources)


class StripWidgetsPreprocessor(_NysocPreprocessor):
    """Remove live widget state: ``metadata.widgets`` and every widget view.

    A widget view's other MIME types stay only if they are not the widget's text repr
    (``text/plain`` goes with the view); an output left empty goes.
    """

    def preprocess(self, nb: Any, resources: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
        nb.metadata.pop("widgets", None)
        for cell in nb.cells:
            cell.metadata.pop("widgets", None)
        for cell in code_cells(nb):
            kept = []
            for out in cell.get("outputs", []):
                data = out.get("data")
                if isinstance(data, dict):
                    data.pop(WIDGET_STATE, None)
                    if WIDGET_VIEW in data:
                        data.pop(WIDGET_VIEW)
                        data.pop("text/plain", None)
                    if not data:
                        continue
                kept.append(out)
            cell.outputs = kept
        return nb, resources


class DocumentNoisePreprocessor(_NysocPreprocessor):
    """Remove what a document does not show: JavaScript, errors, stderr, empty outputs."""

    def preprocess(self, nb: Any, resources: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
        for cell in code_cells(nb):
            kept = []
            for out in cell.get("outputs", []):
                if out.output_type == "error" or (out.output_type == "stream"
                                                  and out.get("name") == "stderr"):
                    continue
                data = out.get("data")
                if isinstance(data, dict):
                    data.pop("application/javascript", None)
                    if not any(v for v in data.values()):
                        continue
                kept.append(out)
            cell.outputs = kept
            cell.execution_count = None
        return nb, resources


class SavedRecordsPreprocessor(_NysocPreprocessor):
    """Fill each form cell (``nysoc.form("logbog")``) with every record of its template
    that the pairing has saved in the store (``nysoc.form(id, record_id=…)``: that one),
    oldest first, and each card cell (``nysoc.card("gode_raad")``) with the card.

    The store, not the notebook, is what was written: a form saved in Voilà, or after the
    notebook file was last saved, is in the document all the same. Without a workspace
    (a notebook exported away from it) the cell keeps the static copy the form left.
    """

    def preprocess(self, nb: Any, resources: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
        found = self.context(resources)
        for cell in code_cells(nb):
            call = nysoc_call(cell.source)
            if call is None or call.argument is None:
                continue
            template = found.current(call.argument)
            if template is None:
                continue
            if call.function == "card":
                cell.outputs = [_display({"text/html": render.card_html(template)})]
            elif call.function == "form" and found.workspace is not None:
                records = found.saved_records(template.id, call.keywords.get("record_id"))
                if records or found.workspace.pairing:
                    cell.outputs = [_display(render.record_bundle(template, record))
                                    for record in records]
        return nb, resources


def _display(data: dict[str, Any], metadata: dict[str, Any] | None = None) -> Any:
    return nbformat.v4.new_output("display_data", data=data, metadata=metadata or {})


class ShareablePreprocessor(_NysocPreprocessor):
    """Keep only what may leave the pair: markdown cells and each record's
    :func:`boundary.shareable_record` (a small Danish table; nothing for ``privat``)."""

    def preprocess(self, nb: Any, resources: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
        found = self.context(resources)
        cells = []
        for cell in nb.cells:
            if cell.cell_type == "markdown":
                cells.append(cell)
            elif cell.cell_type == "code":
                outputs = [self._shared(found, out) for out in cell.get("outputs", [])]
                cell.outputs = [out for out in outputs if out is not None]
                cell.source = ""
                cells.append(cell)
        nb.cells = cells
        return nb, resources

    def _shared(self, found: Context, out: Any) -> Any:
        record = record_of(out.get("data", {}).get(render.MIME_TYPE))
        if record is None:
            return None
        template = found.shareable_template(record)
        shared = boundary.shareable_record(record, template) if template is not None else None
        if shared is None or template is None:
            return None
        outline = shareable_outline(shared, template)
        return _display({"text/html": shareable_html(shared, template),
                         "text/markdown": shareable_markdown(shared, template),
                         DOCUMENT_MIME: outline},
                        {SHAREABLE_KEY: {"pairing": shared["pairing"],
                                         "template_id": shared["template_id"]}})


def shareable_outline(shared: dict[str, Any], template: Template) -> dict[str, Any]:
    """A shareable record as a document outline (see :func:`render.record_outline`):
    (question, answer) rows in Danish, under the note that the pair's text is left out."""
    rows = [(_t("shareable_status"), STATUSES.get(shared["status"] or "", "–").capitalize()),
            (_t("shareable_created"), render.format_date(shared["created"]) or "–"),
            (_t("shareable_updated"), render.format_date(shared["updated"]) or "–"),
            (_t("shareable_versions"), str(shared["versions"]))]
    for fld in template.fields:
        if fld.id in shared["fields"]:
            lines = render.answer_text(fld, shared["fields"][fld.id])
            rows.append((fld.label.da, "; ".join(lines) or "–"))
    return {"kind": "shareable", "title": template.title.da, "meta": _t("shareable_note"),
            "columns": _t("shareable_columns").split("|"),
            "sections": [{"title": "", "answers": [
                {"question": q, "lines": [a], "list": False, "rows": None} for q, a in rows]}]}


def _answers(outline: dict[str, Any]) -> list[tuple[str, str]]:
    return [(a["question"], a["lines"][0]) for a in outline["sections"][0]["answers"]]


def shareable_html(shared: dict[str, Any], template: Template) -> str:
    """A shareable record as a small Danish HTML table."""
    outline = shareable_outline(shared, template)
    question, answer = outline["columns"]
    body = "".join(f"<tr><th scope=\"row\">{escape(q)}</th><td>{escape(a)}</td></tr>"
                   for q, a in _answers(outline))
    return (f'<div class="nysoc-record nysoc-shareable" data-template="{escape(template.id)}">'
            f"<h3>{escape(outline['title'])}</h3>"
            f'<p class="nysoc-meta"><small>{escape(outline["meta"])}</small></p>'
            f"<table><thead><tr><th>{escape(question)}</th><th>{escape(answer)}</th></tr>"
            f"</thead><tbody>{body}</tbody></table></div>")


def shareable_markdown(shared: dict[str, Any], template: Template) -> str:
    """A shareable record as a Markdown table."""
    outline = shareable_outline(shared, template)
    question, answer = outline["columns"]

    def cell(text: str) -> str:
        return text.replace("|", "\\|").replace("\n", " ")

    rows = [f"| {cell(q)} | {cell(a)} |" for q, a in _answers(outline)]
    return "\n".join([f"### {outline['title']}", "", f"*{outline['meta']}*", "",
                      f"| {question} | {answer} |", "|---|---|", *rows]) + "\n"


_DETAILS = re.compile(r"^\s*<details>\s*<summary>.*?</summary>(?P<body>.*)</details>\s*$", re.S)


class RecordDocumentPreprocessor(_NysocPreprocessor):
    """Render each record output from its JSON as a document: HTML, Markdown and the
    outline (:data:`DOCUMENT_MIME`) the Word document is built from; every record after
    the first starts a new page."""

    def preprocess(self, nb: Any, resources: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
        found = self.context(resources)
        shown = 0
        for cell in code_cells(nb):
            for out in cell.get("outputs", []):
                data = out.get("data", {})
                outline = data.get(DOCUMENT_MIME)
                record = record_of(data.get(render.MIME_TYPE))
                if record is not None:
                    outline = self._render(found, record, data)
                if not isinstance(outline, dict):
                    continue
                outline["page_break"] = bool(shown)
                css = "nysoc-document nysoc-page-break" if shown else "nysoc-document"
                data["text/html"] = f'<div class="{css}">{data.get("text/html", "")}</div>'
                shown += 1
        return nb, resources

    @staticmethod
    def _render(found: Context, record: Any, data: dict[str, Any]) -> dict[str, Any]:
        template = found.written_under(record)
        if template is not None:
            outline = render.record_outline(template, record)
            data["text/html"] = render.outline_html(outline, template_id=template.id)
            data["text/markdown"] = data["text/plain"] = render.outline_markdown(outline)
        else:  # the static copy the form left, unfolded
            note = _t("record_missing_template", template=record.template_id,
                      version=record.template_version)
            saved = str(data.get("text/html", ""))
            folded = _DETAILS.match(saved)
            data["text/html"] = (f'<div class="nysoc-record"><p><small>{escape(note)}</small>'
                                 f'</p>{folded["body"] if folded else saved}</div>')
            text = str(data.get("text/markdown") or data.get("text/plain") or "")
            data["text/markdown"] = data["text/plain"] = f"*{note}*\n\n{text}"
            outline = {"kind": "record", "title": record.template_id, "meta": note,
                       "sections": [{"title": "", "answers": [
                           {"question": "", "lines": text.splitlines(), "list": False,
                            "rows": None}]}]}
        data[DOCUMENT_MIME] = outline
        return outline


class DocumentInfoPreprocessor(_NysocPreprocessor):
    """The document header in ``resources["nysoc"]``: pairing, date, author, marking, and
    the document's styles (:func:`documents.print_css` with that marking).

    A coordinator's report (``nysoc report``) brings its own header in
    ``resources["nysoc_report"]`` (``rows`` and ``marking``; level ``deles``).
    """

    shareable = Bool(False, help="Mark the document as shared with the coordinator."
                     ).tag(config=True)

    def preprocess(self, nb: Any, resources: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
        report = resources.pop("nysoc_report", None)
        if isinstance(report, dict):
            info: dict[str, Any] = {"level": "deles", "marking": str(report["marking"]),
                    "rows": list(report["rows"]), "shareable": True}
        else:
            info = self._header(nb, self.context(resources))
        info["css"] = documents.print_css(info["marking"]) + documents.NOTEBOOK_CSS
        info["csp"] = documents.CSP
        info["title"] = nb.metadata["title"] = document_title(nb, resources)
        info["records"] = sum(DOCUMENT_MIME in out.get("data", {})
                              for cell in code_cells(nb) for out in cell.get("outputs", []))
        resources["nysoc"] = info
        resources.pop(_CONTEXT_KEY, None)  # not for templates or writers
        return nb, resources

    def _header(self, nb: Any, found: Context) -> dict[str, Any]:
        pairings: list[str] = []
        roles: list[str] = []
        levels: set[str] = set()
        for cell in code_cells(nb):
            for out in cell.get("outputs", []):
                record = record_of(out.get("data", {}).get(render.MIME_TYPE))
                shared = out.get("metadata", {}).get(SHAREABLE_KEY)
                if record is not None:
                    pairings.append(record.pairing)
                    roles.append(record.author_role)
                    levels.add(record.confidentiality)
                elif isinstance(shared, dict):
                    pairings.append(str(shared.get("pairing", "")))
        ws = found.workspace
        if ws is not None and ws.pairing:
            pairings.insert(0, ws.pairing)
        if not roles and ws is not None and not self.shareable:
            roles.append(ws.role)
        level = "deles" if self.shareable else ("privat" if "privat" in levels else "par")
        pairing = ", ".join(dict.fromkeys(p for p in pairings if p)) or _t("no_pairing")
        rows = [(_t("pairing"), pairing),
                (_t("date"), render.format_date(clock.today().isoformat()))]
        if roles:
            rows.append((_t("author"), ", ".join(dict.fromkeys(ROLES.get(r, r)
                                                                for r in roles))))
        marking = documents.marking(level, roles)
        rows.append((_t("marking"), marking))
        return {"level": level, "marking": marking, "rows": rows,
                "shareable": self.shareable}


def document_title(nb: Any, resources: dict[str, Any]) -> str:
    """The document's title: the notebook's first heading ("Min logbog"), else its name."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return str((resources.get("metadata") or {}).get("name") or "nysoc")
