"""``nysoc report``: the coordinator's notebook as a dated Danish report for management.

:func:`build_report` takes ``notebooks/Koordinator.ipynb`` and makes its report variant
(:func:`report_notebook`): the cells tagged :data:`LIVE_TAG` (how to use the filters, the
note to the coordinator) go, the title becomes the report's title with the day it was made
("Rapport dannet 23. november 2026"), and a hidden first cell (tagged ``nysoc-setup``)
calls :func:`coordinator_view.use_report_settings`, so each ``nysoc.coordinator(...)`` shows
plain HTML – the overview, the alerts, the charts as PNG images with Danish alt text, the
files that could not be read – without widgets. The notebook is run with nbclient in a
temporary folder and exported with nysoc's own exporter (``nysoc_html``: no code, no widget
state, nothing loaded from the internet) under a header saying what the report is; the
file is written atomically (``atomic.write_atomic``). The kernel talks to nbclient over Unix
sockets in that temporary folder: the report opens no network port.

Everything in the report comes from the summaries the pairs shared (through the
confidentiality boundary), so it holds no confidential text. Importing this module is
cheap; nbclient and nbconvert are imported when a report is made.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import i18n
from ._export_context import LIVE_TAG
from .errors import NysocError

__all__ = ["LIVE_TAG", "NOTEBOOK", "Report", "report_notebook", "build_report",
           "default_name"]

_t = i18n.scope("report")

#: The notebook the report is made from; its cells tagged LIVE_TAG stay out of it.
NOTEBOOK = "Koordinator.ipynb"


@dataclass(frozen=True)
class Report:
    """A report written: where, about how many pairings, how many files skipped, how long."""

    path: Path
    pairings: int
    problems: int
    seconds: float


def default_name(day: dt.date) -> str:
    """The report's file name when none is given: ``tovholder-rapport-2026-11-23.html``."""
    return f"tovholder-rapport-{day.isoformat()}.html"


def report_notebook(folder: Path, *, generated: dt.date, today: dt.date | None = None,
                    alerts: dict[str, int] | None = None, pairings: int = 0,
                    source: Path | None = None) -> Any:
    """The report variant of the coordinator's notebook (not run yet)."""
    import nbformat

    from .render import format_date
    from .workspace import notebooks_dir

    nb = nbformat.read(source or notebooks_dir() / NOTEBOOK, as_version=4)
    cells = [c for c in nb.cells if LIVE_TAG not in c.metadata.get("tags", [])]
    made = format_date(generated.isoformat())
    lines = [f"# {_t('title')}", "", _t("made", date=made)]
    if today is not None and today != generated:
        lines.append(_t("as_of", date=format_date(today.isoformat())))
    lines += ["", _t("intro", count=pairings)]
    title = nbformat.v4.new_markdown_cell("\n".join(lines))
    title.id = "rapport-titel"
    arguments = (str(folder), today.isoformat() if today else None, dict(alerts or {}))
    settings = nbformat.v4.new_code_cell(  # Python literals: repr() of str, None and ints
        "import nysoc_widgets.coordinator_view as _rapport; "
        f"_rapport.use_report_settings{arguments!r}")
    settings.id = "rapport-indstillinger"
    settings.metadata["tags"] = ["nysoc-setup"]
    setup = next((i for i, c in enumerate(cells) if "nysoc-setup" in c.metadata.get("tags", [])),
                 0)
    body = cells[1:]  # the notebook's own title goes: the report has its own
    body.insert(setup, settings)  # right after the setup cell
    nb.cells = [title, *body]
    return nb


def _kernel_config(folder: Path) -> Any:
    """The report's kernel talks over Unix sockets in the report's own temporary folder (no
    TCP port is opened), where the platform has them; nbclient still owns and stops it."""
    from traitlets.config import Config

    if os.name == "nt":
        return Config()
    return Config({"KernelManager": {"transport": "ipc", "ip": str(folder / "kernel")}})


def build_report(folder: str | os.PathLike[str], out: str | os.PathLike[str], *,
                 today: dt.date | None = None, alerts: dict[str, int] | None = None,
                 timeout: int = 300) -> Report:
    """Run the report variant on ``folder`` and write it to ``out`` (HTML, atomically)."""
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, DeadKernelError

    from .atomic import write_atomic
    from .clock import today as danish_today
    from .coordinator_data import load_summaries
    from .export import NysocHTMLExporter
    from .render import format_date

    began = time.perf_counter()
    source, target = Path(folder).resolve(), Path(out)
    if not target.parent.is_dir():
        raise NysocError("report.no_out_folder", path=str(target.parent))
    loaded = load_summaries(source)  # a folder that cannot be read fails here, in Danish
    generated = danish_today()
    nb = report_notebook(source, generated=generated, today=today, alerts=alerts,
                         pairings=len(loaded.pairings))
    with tempfile.TemporaryDirectory(prefix="nysoc-rapport-") as tmp:
        client = NotebookClient(nb, timeout=timeout, kernel_name="python3",
                                config=_kernel_config(Path(tmp)),
                                resources={"metadata": {"path": tmp}})
        try:
            client.execute()
        except CellExecutionError as exc:
            raise NysocError("report.failed", error=exc.ename) from None
        except (DeadKernelError, TimeoutError) as exc:
            raise NysocError("report.failed", error=type(exc).__name__) from None
        rows = [(_t("made_label"), format_date(generated.isoformat()))]
        if today is not None and today != generated:
            rows.append((_t("as_of_label"), format_date(today.isoformat())))
        rows += [(_t("pairings_label"), str(len(loaded.pairings))),
                 (_t("folder_label"), source.name or str(source))]
        if loaded.problems:
            rows.append((_t("problems_label"), str(len(loaded.problems))))
        body, _ = NysocHTMLExporter().from_notebook_node(nb, resources={
            "metadata": {"name": target.stem, "path": tmp},
            "nysoc_report": {"rows": rows, "marking": _t("marking")}})
    path = write_atomic(target, body)
    return Report(path, len(loaded.pairings), len(loaded.problems),
                  time.perf_counter() - began)
