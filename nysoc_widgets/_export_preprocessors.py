"""nysoc's nbconvert preprocessors: a notebook's saved forms as a document, from the static
output each saved form leaves (HTML + Markdown + the record as JSON under
:data:`render.MIME_TYPE`), never from live widget state (STYLE.md, "Exports").

The order they run in, and their configuration, is listed in one place only:
:func:`export.nysoc_preprocessors` (see :mod:`.export`'s docstring for what each does).
Here live the preprocessors, the notebook's workspace context they share (found once per
export and kept in ``resources``), and the Danish tables a shareable record becomes.

Importing this module imports nbconvert (~1.4 s): only :mod:`.export` imports it.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from html import escape
from pathlib import Path
from typing import Any

import nbformat
from nbconvert.preprocessors import Preprocessor
from traitlets import Bool, Unicode

from . import boundary, clock, documents, i18n, render
from .errors import NysocError, TemplateNotFoundError
from .glossary import ROLES, STATUSES
from .records import Record
from .templates import Template

__all__ = [
    "WIDGET_VIEW",
    "WIDGET_STATE",
    "SHAREABLE_KEY",
    "StripWidgetsPreprocessor",
    "DocumentNoisePreprocessor",
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


# -- the notebook's workspace ----------------------------------------------------------------

@dataclasses.dataclass
class _Context:
    """The workspace a notebook belongs to (if found) and its template catalogue."""

    workspace: Any  # Workspace | None
    catalogue: Any  # Catalogue

    def current(self, template_id: str) -> Template | None:
        try:
            found: Template = self.catalogue.get(template_id)
        except TemplateNotFoundError:
            return None
        return found

    def written_under(self, record: Record) -> Template | None:
        """The template version ``record`` was written under (None if unknown here)."""
        current = self.current(record.template_id)
        if current is not None and current.version == record.template_version:
            return current
        if self.workspace is None or not self.workspace.store_path.is_file():
            return None
        with self.workspace.open_store() as store:
            written: Template | None = store.template_snapshot(record.template_id,
                                                               record.template_version)
        return written

    def shareable_template(self, record: Record) -> Template | None:
        """The template the boundary judges ``record`` by (narrowed by today's version)."""
        current = self.current(record.template_id)
        if current is not None and current.version == record.template_version:
            return current
        if self.workspace is None or not self.workspace.store_path.is_file():
            return None  # nothing known for sure: the record does not leave
        narrowed = _narrowing()
        with self.workspace.open_store() as store:
            if narrowed is not None:
                found: Template | None = narrowed(record, store, self.catalogue)
                return found
            written: Template | None = store.template_snapshot(record.template_id,
                                                               record.template_version)
            return written


def _narrowing() -> Any:
    """The summary's "template as written, narrowed by today's version" rule, wherever the
    boundary keeps it (``shared_summary`` or ``boundary``); None if neither has it."""
    import importlib

    for name in ("shared_summary", "boundary"):
        try:
            module = importlib.import_module(f".{name}", __package__)
        except ImportError:
            continue
        helper = getattr(module, "_template_for", None)
        if helper is not None:
            return helper
    return None


def _find_workspace(explicit: str | None, folder: str | None) -> Any:
    from .workspace import CONFIG_FILE, Workspace, find_workspace

    if explicit:
        return Workspace.load(explicit)
    if folder:
        here = Path(folder).resolve()
        for candidate in (here, *here.parents):
            if (candidate / CONFIG_FILE).is_file():
                return Workspace.load(candidate)
    try:
        return find_workspace()
    except NysocError:
        return None


def _context(pp: Preprocessor, resources: dict[str, Any]) -> _Context:
    """The notebook's context, found once per export and kept in ``resources``."""
    found = resources.get("_nysoc_context")
    if isinstance(found, _Context):
        return found
    from .catalogue import Catalogue

    folder = (resources.get("metadata") or {}).get("path") or None
    ws = _find_workspace(getattr(pp, "workspace", None), folder)
    context = _Context(ws, ws.catalogue() if ws is not None else Catalogue.load())
    resources["_nysoc_context"] = context
    return context


def _code_outputs(nb: Any) -> Iterator[Any]:
    for cell in nb.cells:
        if cell.cell_type == "code":
            yield cell


def _record(data: Any) -> Record | None:
    """The record of a nysoc JSON output (None if it is not one)."""
    if not isinstance(data, dict) or not isinstance(data.get("record"), dict):
        return None
    names = {f.name for f in dataclasses.fields(Record)}
    try:
        record = Record(**{k: v for k, v in data["record"].items() if k in names})
    except TypeError:
        return None
    if not isinstance(record.values, dict) or not isinstance(record.template_version, int):
        return None
    return record


# -- the preprocessors ---------------------------------------------------------------------

class _NysocPreprocessor(Preprocessor):
    workspace = Unicode(None, allow_none=True,
                        help="The nysoc workspace folder (default: found from the notebook)."
                        ).tag(config=True)


class StripWidgetsPreprocessor(_NysocPreprocessor):
    """Remove live widget state: ``metadata.widgets`` and every widget view.

    A widget view's other MIME types stay only if they are not the widget's text repr
    (``text/plain`` goes with the view); an output left empty goes.
    """

    def preprocess(self, nb: Any, resources: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
        nb.metadata.pop("widgets", None)
        for cell in nb.cells:
            cell.metadata.pop("widgets", None)
        for cell in _code_outputs(nb):
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
        for cell in _code_outputs(nb):
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


class ShareablePreprocessor(_NysocPreprocessor):
    """Keep only what may leave the pair: markdown cells and each record's
    :func:`boundary.shareable_record` (a small Danish table; nothing for ``privat``)."""

    def preprocess(self, nb: Any, resources: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
        context = _context(self, resources)
        cells = []
        for cell in nb.cells:
            if cell.cell_type == "markdown":
                cells.append(cell)
            elif cell.cell_type == "code":
                outputs = [self._shared(context, out) for out in cell.get("outputs", [])]
                cell.outputs = [out for out in outputs if out is not None]
                cell.source = ""
                cells.append(cell)
        nb.cells = cells
        return nb, resources

    def _shared(self, context: _Context, out: Any) -> Any:
        record = _record(out.get("data", {}).get(render.MIME_TYPE))
        if record is None:
            return None
        template = context.shareable_template(record)
        shared = boundary.shareable_record(record, template) if template is not None else None
        if shared is None or template is None:
            return None
        return nbformat.v4.new_output(
            "display_data", data={"text/html": shareable_html(shared, template),
                                  "text/markdown": shareable_markdown(shared, template)},
            metadata={SHAREABLE_KEY: {"pairing": shared["pairing"],
                                      "template_id": shared["template_id"]}})


def _shareable_rows(shared: dict[str, Any], template: Template) -> list[tuple[str, str]]:
    """(question, answer) rows of a shareable record, in Danish."""
    rows = [(_t("shareable_status"), STATUSES.get(shared["status"] or "", "–").capitalize()),
            (_t("shareable_created"), render.format_date(shared["created"]) or "–"),
            (_t("shareable_updated"), render.format_date(shared["updated"]) or "–"),
            (_t("shareable_versions"), str(shared["versions"]))]
    for fld in template.fields:
        if fld.id in shared["fields"]:
            lines = render.answer_text(fld, shared["fields"][fld.id])
            rows.append((fld.label.da, "; ".join(lines) or "–"))
    return rows


def shareable_html(shared: dict[str, Any], template: Template) -> str:
    """A shareable record as a small Danish HTML table."""
    question, answer = _t("shareable_columns").split("|")
    body = "".join(f"<tr><th scope=\"row\">{escape(q)}</th><td>{escape(a)}</td></tr>"
                   for q, a in _shareable_rows(shared, template))
    return (f'<div class="nysoc-record nysoc-shareable" data-template="{escape(template.id)}">'
            f"<h3>{escape(template.title.da)}</h3>"
            f'<p class="nysoc-meta"><small>{escape(_t("shareable_note"))}</small></p>'
            f"<table><thead><tr><th>{escape(question)}</th><th>{escape(answer)}</th></tr>"
            f"</thead><tbody>{body}</tbody></table></div>")


def shareable_markdown(shared: dict[str, Any], template: Template) -> str:
    """A shareable record as a Markdown table."""
    question, answer = _t("shareable_columns").split("|")

    def cell(text: str) -> str:
        return text.replace("|", "\\|").replace("\n", " ")

    rows = [f"| {cell(q)} | {cell(a)} |" for q, a in _shareable_rows(shared, template)]
    return "\n".join([f"### {template.title.da}", "", f"*{_t('shareable_note')}*", "",
                      f"| {question} | {answer} |", "|---|---|", *rows]) + "\n"


_DETAILS = re.compile(r"^\s*<details>\s*<summary>.*?</summary>(?P<body>.*)</details>\s*$", re.S)


class RecordDocumentPreprocessor(_NysocPreprocessor):
    """Render each record output from its JSON as a document (HTML and Markdown)."""

    def preprocess(self, nb: Any, resources: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
        context = _context(self, resources)
        shown = 0
        for cell in _code_outputs(nb):
            for out in cell.get("outputs", []):
                data = out.get("data", {})
                record = _record(data.get(render.MIME_TYPE))
                if record is None:
                    continue
                template = context.written_under(record)
                if template is not None:
                    html = render.record_html(template, record)
                    data["text/markdown"] = data["text/plain"] = render.record_markdown(
                        template, record)
                else:  # the static HTML the form left, unfolded
                    saved = str(data.get("text/html", ""))
                    found = _DETAILS.match(saved)
                    note = _t("record_missing_template", template=record.template_id,
                              version=record.template_version)
                    html = f"<p><small>{escape(note)}</small></p>" + (
                        found["body"] if found else saved)
                css = "nysoc-document nysoc-page-break" if shown else "nysoc-document"
                data["text/html"] = f'<div class="{css}">{html}</div>'
                shown += 1
        return nb, resources


class DocumentInfoPreprocessor(_NysocPreprocessor):
    """The document header in ``resources["nysoc"]``: pairing, date, author, marking.

    A coordinator's report (``nysoc report``) brings its own header in
    ``resources["nysoc_report"]`` (``rows`` and ``marking``; level ``deles``).
    """

    shareable = Bool(False, help="Mark the document as shared with the coordinator."
                     ).tag(config=True)

    def preprocess(self, nb: Any, resources: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
        report = resources.pop("nysoc_report", None)
        if isinstance(report, dict):
            resources["nysoc"] = {"level": "deles", "marking": str(report["marking"]),
                                  "rows": list(report["rows"]), "shareable": True}
            resources.pop("_nysoc_context", None)
            return nb, resources
        context = _context(self, resources)
        pairings: list[str] = []
        roles: list[str] = []
        levels: set[str] = set()
        for cell in _code_outputs(nb):
            for out in cell.get("outputs", []):
                record = _record(out.get("data", {}).get(render.MIME_TYPE))
                shared = out.get("metadata", {}).get(SHAREABLE_KEY)
                if record is not None:
                    pairings.append(record.pairing)
                    roles.append(record.author_role)
                    levels.add(record.confidentiality)
                elif isinstance(shared, dict):
                    pairings.append(str(shared.get("pairing", "")))
        ws = context.workspace
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
        resources["nysoc"] = {"level": level, "marking": marking, "rows": rows,
                              "shareable": self.shareable}
        resources.pop("_nysoc_context", None)  # not for templates or writers
        return nb, resources
