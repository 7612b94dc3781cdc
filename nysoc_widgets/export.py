"""Documents people keep: nysoc's nbconvert preprocessors and the ``nysoc_html`` exporter.

An export never uses live widget state (STYLE.md, "Exports"). A saved form leaves a static
output in the notebook (HTML + Markdown + the record as JSON under :data:`render.MIME_TYPE`);
nysoc's preprocessors render or filter from that JSON. **This list is the one place the
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

The preprocessors themselves live in :mod:`._export_preprocessors`; this module lists and
configures them (:func:`nysoc_preprocessors`), holds the exporter and writes the file.
Importing this module imports nbconvert (~1.4 s): only ``nysoc export`` and nbconvert
(through the ``nbconvert.exporters`` entry point ``nysoc_html``) import it.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import nbformat
from nbconvert.exporters import HTMLExporter
from nbconvert.preprocessors import Preprocessor, TagRemovePreprocessor
from traitlets import Bool, Unicode, default, observe

from ._export_preprocessors import SHAREABLE_KEY as SHAREABLE_KEY
from ._export_preprocessors import (
    WIDGET_STATE,
    WIDGET_VIEW,
    DocumentInfoPreprocessor,
    DocumentNoisePreprocessor,
    RecordDocumentPreprocessor,
    ShareablePreprocessor,
    StripWidgetsPreprocessor,
)
from ._export_preprocessors import shareable_html as shareable_html
from ._export_preprocessors import shareable_markdown as shareable_markdown
from .errors import NysocError

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

#: Cells tagged so hold setup code only; cells tagged ``fortrolig`` never leave the pair.
SETUP_TAG = "nysoc-setup"
CONFIDENTIAL_TAG = "fortrolig"
#: nysoc's nbconvert templates (``nysoc_html`` extends nbconvert's ``lab``).
TEMPLATES = Path(__file__).resolve().parent / "templates_nbconvert"


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
    from .atomic import write_atomic as write

    return write(path, data, mode=0o600)


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
