"""Documents people keep: nysoc's nbconvert exporters and the preprocessors they share.

Four exporters, registered as ``nbconvert.exporters`` entry points (so ``jupyter nbconvert
--to nysoc_html NOTEBOOK`` works as well as ``nysoc export``), listed in :data:`EXPORTERS`:

============  ===================================  ============================================
format        exporter                             what it is
============  ===================================  ============================================
``html``      :class:`NysocHTMLExporter`           one self-contained page: no scripts, nothing
                                                   loaded from anywhere, A4 print styles
``pdf``       :class:`NysocPDFExporter`            that page printed by the machine's own
                                                   Chromium (:mod:`.pdf`)
``docx``      :class:`NysocDocxExporter`           a Word document built from the saved answers
                                                   (:mod:`.docx_document`)
``markdown``  :class:`NysocMarkdownExporter`       plain text with headings, lists and tables
============  ===================================  ============================================

An export never uses live widget state (STYLE.md, "Exports"). **This list is the one place
the preprocessors are registered** (:func:`nysoc_preprocessors`), in this order, each
``enabled=True`` explicitly, the same for every format:

1. :class:`StripWidgetsPreprocessor` – ``metadata.widgets`` and every widget view go
   (with the widget's text repr); so do widget-state outputs.
2. :class:`DocumentNoisePreprocessor` – JavaScript, error outputs, stderr and empty outputs.
3. nbconvert's own ``TagRemovePreprocessor`` – cells tagged ``nysoc-setup`` or
   ``nysoc-live`` ("Sådan bruger du siden": only for the live notebook) and, when
   shareable, ``fortrolig``. Code is hidden by the exporter's ``exclude_input=True``.
4. :class:`SavedRecordsPreprocessor` – each form cell gets every record of its template the
   pairing has saved in the store, each card cell its card.
5. :class:`ShareablePreprocessor` (only when shareable) – keeps markdown cells and replaces
   each record with :func:`boundary.shareable_record` as a small Danish table (nothing for
   ``privat``); every other output goes.
6. :class:`RecordDocumentPreprocessor` – each record rendered from its JSON as a document
   (HTML, Markdown and the outline the Word document is built from).
7. :class:`DocumentInfoPreprocessor` – ``resources["nysoc"]``: the header (pairing, date,
   author role, confidentiality marking), the title and the styles.

The preprocessors live in :mod:`._export_preprocessors`; writing files (one notebook, or a
whole workspace with an index) is :mod:`.export_files`. Importing this module imports
nbconvert (~1.4 s): only ``nysoc export``/``report`` and nbconvert's entry points import it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from nbconvert.exporters import Exporter, HTMLExporter, MarkdownExporter
from nbconvert.preprocessors import Preprocessor, TagRemovePreprocessor
from traitlets import Any as AnyTrait
from traitlets import Bool, Unicode, default, observe
from traitlets.config import Config

from ._export_context import CONFIDENTIAL_TAG, LIVE_TAG, SETUP_TAG
from ._export_preprocessors import DOCUMENT_MIME as DOCUMENT_MIME
from ._export_preprocessors import SHAREABLE_KEY as SHAREABLE_KEY
from ._export_preprocessors import (
    WIDGET_STATE,
    WIDGET_VIEW,
    DocumentInfoPreprocessor,
    DocumentNoisePreprocessor,
    RecordDocumentPreprocessor,
    SavedRecordsPreprocessor,
    ShareablePreprocessor,
    StripWidgetsPreprocessor,
)
from ._export_preprocessors import shareable_html as shareable_html
from ._export_preprocessors import shareable_markdown as shareable_markdown

__all__ = [
    "WIDGET_VIEW",
    "WIDGET_STATE",
    "SETUP_TAG",
    "CONFIDENTIAL_TAG",
    "LIVE_TAG",
    "TEMPLATES",
    "StripWidgetsPreprocessor",
    "DocumentNoisePreprocessor",
    "SavedRecordsPreprocessor",
    "ShareablePreprocessor",
    "RecordDocumentPreprocessor",
    "DocumentInfoPreprocessor",
    "nysoc_preprocessors",
    "NysocHTMLExporter",
    "NysocPDFExporter",
    "NysocDocxExporter",
    "NysocMarkdownExporter",
    "EXPORTERS",
]

#: nysoc's nbconvert templates (``nysoc_html`` extends nbconvert's ``lab``,
#: ``nysoc_markdown`` its ``markdown``).
TEMPLATES = Path(__file__).resolve().parent / "templates_nbconvert"


def nysoc_preprocessors(*, shareable: bool = False, workspace: str | None = None,
                        parent: Any = None) -> list[Preprocessor]:
    """nysoc's preprocessors, in order, configured (the one place they are listed).

    Every exporter of nysoc registers exactly these, each with ``enabled=True``.
    """
    tags = {SETUP_TAG, LIVE_TAG} | ({CONFIDENTIAL_TAG} if shareable else set())
    steps: list[Preprocessor] = [
        StripWidgetsPreprocessor(parent=parent, workspace=workspace),
        DocumentNoisePreprocessor(parent=parent, workspace=workspace),
        TagRemovePreprocessor(parent=parent, remove_cell_tags=tags),
        SavedRecordsPreprocessor(parent=parent, workspace=workspace),
    ]
    if shareable:
        steps.append(ShareablePreprocessor(parent=parent, workspace=workspace))
    steps += [RecordDocumentPreprocessor(parent=parent, workspace=workspace),
              DocumentInfoPreprocessor(parent=parent, workspace=workspace,
                                       shareable=shareable)]
    return steps


# -- the exporters ---------------------------------------------------------------------------

class _NysocDocument(Exporter):
    """What every nysoc exporter shares: the ``shareable`` and ``workspace`` settings, no
    code or prompts, Danish, nysoc's preprocessors, and the caller's notebook untouched."""

    shareable = Bool(False, help="Keep only what the coordinator may see.").tag(config=True)
    workspace = Unicode(None, allow_none=True,
                        help="The nysoc workspace folder (default: found from the notebook)."
                        ).tag(config=True)

    @default("exclude_input")
    def _nysoc_exclude_input(self) -> bool:
        return True

    @default("exclude_input_prompt")
    def _nysoc_exclude_input_prompt(self) -> bool:
        return True

    @default("exclude_output_prompt")
    def _nysoc_exclude_output_prompt(self) -> bool:
        return True

    @default("extra_template_basedirs")
    def _nysoc_template_basedirs(self) -> list[str]:
        return [str(TEMPLATES)]

    def _init_preprocessors(self) -> None:
        super()._init_preprocessors()
        for step in nysoc_preprocessors(shareable=self.shareable, workspace=self.workspace,
                                        parent=self):
            self.register_preprocessor(step, enabled=True)

    @observe("shareable", "workspace")
    def _nysoc_changed(self, _change: Any) -> None:
        self._init_preprocessors()

    def from_notebook_node(  # type: ignore[override]  # as nbconvert's exporters
            self, nb: Any, resources: dict[str, Any] | None = None, **kw: Any
    ) -> tuple[Any, dict[str, Any]]:
        import copy

        # Preprocessors change cells in place: never the caller's notebook.
        return super().from_notebook_node(copy.deepcopy(nb), resources, **kw)


class NysocHTMLExporter(_NysocDocument, HTMLExporter):
    """A notebook as a self-contained Danish HTML document: no code, no widget state, no
    scripts and nothing loaded from the internet; a header with the confidentiality
    marking; print styles for A4. ``jupyter nbconvert --to nysoc_html NOTEBOOK``."""

    export_from_notebook = "nysoc (HTML)"

    @default("template_name")
    def _nysoc_template_name(self) -> str:
        return "nysoc_html"

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


class NysocPDFExporter(NysocHTMLExporter):
    """The HTML document printed as an A4 PDF by the machine's own Chromium (:mod:`.pdf`).
    ``jupyter nbconvert --to nysoc_pdf NOTEBOOK``."""

    export_from_notebook = "nysoc (PDF)"
    printer = AnyTrait(None, allow_none=True,
                       help="A started pdf.Printer to print with (default: one of its own).")

    @default("file_extension")
    def _nysoc_file_extension(self) -> str:
        return ".pdf"

    @default("template_extension")
    def _nysoc_template_extension(self) -> str:
        return ".html.j2"  # the HTML document's template, printed

    def from_notebook_node(  # type: ignore[override]
            self, nb: Any, resources: dict[str, Any] | None = None, **kw: Any
    ) -> tuple[bytes, dict[str, Any]]:
        from .pdf import html_to_pdf

        html, resources = super().from_notebook_node(nb, resources, **kw)
        data = self.printer.pdf(html) if self.printer is not None else html_to_pdf(html)
        return data, resources


class NysocDocxExporter(_NysocDocument):
    """A Word document (.docx) built from the saved answers: the header, headings, every
    question and answer, lists and tables (:mod:`.docx_document`).
    ``jupyter nbconvert --to nysoc_docx NOTEBOOK``."""

    export_from_notebook = "nysoc (Word)"
    output_mimetype = ("application/vnd.openxmlformats-officedocument"
                       ".wordprocessingml.document")

    @default("file_extension")
    def _nysoc_file_extension(self) -> str:
        return ".docx"

    def from_notebook_node(  # type: ignore[override]
            self, nb: Any, resources: dict[str, Any] | None = None, **kw: Any
    ) -> tuple[bytes, dict[str, Any]]:
        from .docx_document import notebook_docx

        done, resources = super().from_notebook_node(nb, resources, **kw)
        info = resources["nysoc"]
        return notebook_docx(done, info, title=info["title"]), resources


class NysocMarkdownExporter(_NysocDocument, MarkdownExporter):
    """The document as Markdown: the header, the text, every saved record; pictures inside
    the file. ``jupyter nbconvert --to nysoc_markdown NOTEBOOK``."""

    export_from_notebook = "nysoc (Markdown)"

    @default("template_name")
    def _nysoc_template_name(self) -> str:
        return "nysoc_markdown"

    @property
    def default_config(self) -> Config:
        config: Config = super().default_config
        config.merge(Config({
            "ExtractAttachmentsPreprocessor": {"enabled": False},
            "ExtractOutputPreprocessor": {"enabled": False},
            "NbConvertBase": {"display_data_priority": [
                "text/markdown", "image/png", "image/jpeg", "text/html", "text/plain"]}}))
        return config


#: ``nysoc export --to FORMAT``: the exporter of each format, and the file ending it writes.
EXPORTERS: dict[str, tuple[type[_NysocDocument], str]] = {
    "html": (NysocHTMLExporter, ".html"),
    "pdf": (NysocPDFExporter, ".pdf"),
    "docx": (NysocDocxExporter, ".docx"),
    "markdown": (NysocMarkdownExporter, ".md"),
}
