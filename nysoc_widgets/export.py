"""Documents people keep: nysoc's nbconvert preprocessors and the ``nysoc_html`` exporter.

An export never uses live widget state (STYLE.md, "Exports"). A saved form leaves a static
output in the notebook (HTML + Markdown + the record as JSON under :data:`render.MIME_TYPE`);
the preprocessors here render or filter from that JSON. **This list is the one place the
preprocessors are registered** (:func:`nysoc_preprocessors`), in this order, each
``enabled=True`` explicitly:

1. :class:`StripWidgetsPreprocessor` – ``metadata.widgets`` and every widget view go
   (with the widget's text repr); so do widget-state outputs.
2. :class:`DocumentNoisePreprocessor` – JavaScript, error outputs, stderr and empty outputs.
3. nbconvert's own ``TagRemovePreprocessor`` – cells tagged ``nysoc-setup`` (and, when
   shareable, ``fortrolig``). Code is hidden by the exporter's ``exclude_input=True``.
4. :class:`ShareablePreprocessor` (only when shareable) – keeps markdown cells and replaces
   each record with :func:`boundary.shareable_record` as a small Danish table (nothing for
   ``privat``); every other output goes.
5. :class:`RecordDocumentPreprocessor` – each record output rendered from its JSON as a
   document (the live form's folded ``<details>`` unfolded).
6. :class:`DocumentInfoPreprocessor` – ``resources["nysoc"]``: the header (pairing, date,
   author role, confidentiality marking) for the template.

Importing this module imports nbconvert (~1.4 s): only ``nysoc export`` and nbconvert
(through the ``nbconvert.exporters`` entry point ``nysoc_html``) import it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import re
import tempfile
from collections.abc import Iterator
from html import escape
from pathlib import Path
from typing import Any

import nbformat
from nbconvert.exporters import HTMLExporter
from nbconvert.preprocessors import Preprocessor, TagRemovePreprocessor
from traitlets import Bool, Unicode, default, observe

from . import boundary, i18n, render
from .errors import NysocError, TemplateNotFoundError
from .glossary import ROLES, STATUSES
from .records import Record
from .templates import Template

__all__ = [
    "WIDGET_VIEW",
    "WIDGET_STATE",
    "SETUP_TAG",
    "CONFIDENTIAL_TAG",
    "TEMPLATES",
    "StripWidgetsPreprocessor",
    "DocumentNoisePreprocessor",
    "ShareablePreprocessor",
    "RecordDocumentPreprocessor",
    "DocumentInfoPreprocessor",
    "nysoc_preprocessors",
    "NysocHTMLExporter",
    "export_notebook",
    "write_atomic",
]

_t = i18n.scope("export")

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
#: Cells tagged so hold setup code only; cells tagged ``fortrolig`` never leave the pair.
SETUP_TAG = "nysoc-setup"
CONFIDENTIAL_TAG = "fortrolig"
#: nysoc's nbconvert templates (``nysoc_html`` extends nbconvert's ``lab``).
TEMPLATES = Path(__file__).resolve().parent / "templates_nbconvert"
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
    """The document header in ``resources["nysoc"]``: pairing, date, author, marking."""

    shareable = Bool(False, help="Mark the document as shared with the coordinator."
                     ).tag(config=True)

    def preprocess(self, nb: Any, resources: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
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
                (_t("date"), render.format_date(dt.date.today().isoformat()))]
        if roles:
            rows.append((_t("author"), ", ".join(dict.fromkeys(ROLES.get(r, r)
                                                                for r in roles))))
        marking = _t(f"marking_{level}")
        rows.append((_t("marking"), marking))
        resources["nysoc"] = {"level": level, "marking": marking, "rows": rows,
                              "shareable": self.shareable}
        resources.pop("_nysoc_context", None)  # not for templates or writers
        return nb, resources


def nysoc_preprocessors(*, shareable: bool = False, workspace: str | None = None,
                        parent: Any = None) -> list[Preprocessor]:
    """nysoc's preprocessors, in order, configured (the one place they are listed).

    Every exporter of nysoc registers exactly these, each with ``enabled=True``.
    """
    tags = {SETUP_TAG} | ({CONFIDENTIAL_TAG} if shareable else set())
    steps: list[Preprocessor] = [
        StripWidgetsPreprocessor(parent=parent, workspace=workspace),
        DocumentNoisePreprocessor(parent=parent, workspace=workspace),
        TagRemovePreprocessor(parent=parent, remove_cell_tags=tags),
    ]
    if shareable:
        steps.append(ShareablePreprocessor(parent=parent, workspace=workspace))
    steps += [RecordDocumentPreprocessor(parent=parent, workspace=workspace),
              DocumentInfoPreprocessor(parent=parent, workspace=workspace,
                                       shareable=shareable)]
    return steps


# -- the exporter ----------------------------------------------------------------------------

class NysocHTMLExporter(HTMLExporter):
    """A notebook as a self-contained Danish HTML document: no code, no widget state, no
    scripts and nothing loaded from the internet; a header with the confidentiality
    marking; print styles for A4. ``jupyter nbconvert --to nysoc_html NOTEBOOK``."""

    export_from_notebook = "nysoc (HTML)"

    shareable = Bool(False, help="Keep only what the coordinator may see.").tag(config=True)
    workspace = Unicode(None, allow_none=True,
                        help="The nysoc workspace folder (default: found from the notebook)."
                        ).tag(config=True)

    @default("template_name")
    def _nysoc_template_name(self) -> str:
        return "nysoc_html"

    @default("extra_template_basedirs")
    def _nysoc_template_basedirs(self) -> list[str]:
        return [str(TEMPLATES)]

    @default("exclude_input")
    def _nysoc_exclude_input(self) -> bool:
        return True

    @default("exclude_input_prompt")
    def _nysoc_exclude_input_prompt(self) -> bool:
        return True

    @default("exclude_output_prompt")
    def _nysoc_exclude_output_prompt(self) -> bool:
        return True

    @default("language_code")
    def _nysoc_language_code(self) -> str:
        return "da"

    # The nysoc_html template loads none of these; empty anyway so no URL is passed on.
    mathjax_url = Unicode("", help="Not used: nysoc documents load no MathJax.")
    require_js_url = Unicode("", help="Not used: nysoc documents load no require.js.")
    mermaid_js_url = Unicode("", help="Not used: nysoc documents load no Mermaid.")
    mermaid_layout_elk_js_url = Unicode("", help="Not used.")
    jquery_url = Unicode("", help="Not used: nysoc documents load no jQuery.")
    jupyter_widgets_base_url = Unicode("", help="Not used: nysoc documents have no widgets.")
    widget_renderer_url = Unicode("", help="Not used: nysoc documents have no widgets.")

    def _init_preprocessors(self) -> None:
        super()._init_preprocessors()
        for step in nysoc_preprocessors(shareable=self.shareable, workspace=self.workspace,
                                        parent=self):
            self.register_preprocessor(step, enabled=True)

    @observe("shareable", "workspace")
    def _nysoc_changed(self, _change: Any) -> None:
        self._init_preprocessors()

    def from_notebook_node(  # type: ignore[override]  # as nbconvert's HTMLExporter
            self, nb: Any, resources: dict[str, Any] | None = None, **kw: Any
    ) -> tuple[str, dict[str, Any]]:
        import copy

        # Preprocessors change cells in place: never the caller's notebook.
        return super().from_notebook_node(copy.deepcopy(nb), resources, **kw)


# -- writing ---------------------------------------------------------------------------------

def write_atomic(path: str | os.PathLike[str], data: str | bytes) -> Path:
    """Write ``data`` to ``path`` with mode 0600: a temp file in the same folder, fsync,
    then ``os.replace``. An interrupted write leaves the old file (and no temp file)."""
    target = Path(path)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            os.fchmod(handle.fileno(), 0o600)
            handle.write(raw)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    try:  # make the rename itself durable (best effort: not every OS can open a folder)
        folder = os.open(target.parent, os.O_RDONLY)
    except OSError:
        return target
    try:
        os.fsync(folder)
    except OSError:
        pass
    finally:
        os.close(folder)
    return target


def default_output(notebook: Path, to: str = "html", shareable: bool = False) -> Path:
    """Where ``nysoc export`` writes by default: beside the notebook."""
    return notebook.with_name(notebook.stem + ("-deles" if shareable else "") + f".{to}")


def export_notebook(notebook: str | os.PathLike[str], *, to: str = "html",
                    out: str | os.PathLike[str] | None = None, shareable: bool = False,
                    workspace: str | None = None) -> Path:
    """Export ``notebook`` as a document; returns the file written (atomically, 0600)."""
    if to != "html":
        raise NysocError("export.unknown_format", format=to)
    path = Path(notebook)
    try:
        nb = nbformat.read(path, as_version=4)
    except (ValueError, UnicodeDecodeError) as exc:
        raise NysocError("export.not_a_notebook", path=path, reason=type(exc).__name__
                         ) from None
    exporter = NysocHTMLExporter(shareable=shareable, workspace=workspace)
    body, _ = exporter.from_notebook_node(
        nb, resources={"metadata": {"name": path.stem, "path": str(path.parent.resolve())}})
    return write_atomic(Path(out) if out is not None else default_output(path, to, shareable),
                        body)
