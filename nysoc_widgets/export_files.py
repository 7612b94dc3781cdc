"""Writing documents: one notebook (``nysoc export NOTEBOOK``) or a whole workspace with an
index (``nysoc export --all DIR``), in any format of :data:`export.EXPORTERS`.

Every file is written atomically and owner-only (:func:`atomic.write_atomic`): an interrupted
export leaves the old file or the new one, never half of one. A whole workspace is exported
with one browser for all its PDFs, and a notebook that cannot be exported is named in the
index and the result instead of stopping the others.
"""

from __future__ import annotations

import dataclasses
import os
from html import escape
from pathlib import Path
from typing import Any

from . import clock, documents, i18n, render
from .atomic import write_atomic
from .errors import ExportError, NysocError

__all__ = ["FORMATS", "Exported", "AllExported", "default_output", "export_notebook",
           "export_all"]

_t = i18n.scope("export")

#: The formats ``nysoc export --to`` takes, and the file ending each writes.
FORMATS = {"html": ".html", "pdf": ".pdf", "docx": ".docx", "markdown": ".md"}


@dataclasses.dataclass(frozen=True)
class Exported:
    """One document written: where, its title, marking and how many records it shows."""

    path: Path
    notebook: Path
    title: str
    marking: str
    level: str
    records: int


@dataclasses.dataclass(frozen=True)
class AllExported:
    """A workspace exported: its documents, the index, and the notebooks that failed
    (name, Danish reason)."""

    documents: list[Exported]
    index: Path
    failed: list[tuple[str, str]]


def default_output(notebook: Path, to: str = "html", shareable: bool = False) -> Path:
    """Where ``nysoc export`` writes by default: beside the notebook."""
    return notebook.with_name(notebook.stem + ("-deles" if shareable else "") + FORMATS[to])


def _read(path: Path) -> Any:
    import nbformat

    try:
        return nbformat.read(path, as_version=4)
    except FileNotFoundError:
        raise ExportError("export.no_notebook", path=path) from None
    except (ValueError, UnicodeDecodeError, KeyError, AttributeError) as exc:
        raise ExportError("export.not_a_notebook", path=path, reason=type(exc).__name__
                          ) from None
    except OSError as exc:
        raise ExportError("export.not_a_notebook", path=path,
                          reason=exc.strerror or type(exc).__name__) from None


def _exporter(to: str, shareable: bool, workspace: str | None, printer: Any) -> Any:
    if to not in FORMATS:
        raise ExportError("export.unknown_format", format=to, known=", ".join(FORMATS))
    from .export import EXPORTERS

    exporter = EXPORTERS[to][0](shareable=shareable, workspace=workspace)
    if printer is not None and hasattr(exporter, "printer"):
        exporter.printer = printer
    return exporter


def export_notebook(notebook: str | os.PathLike[str], *, to: str = "html",
                    out: str | os.PathLike[str] | None = None, shareable: bool = False,
                    workspace: str | None = None, printer: Any = None) -> Path:
    """Export ``notebook`` as a document in format ``to``; returns the file written
    (atomically, 0600). ``printer`` (a started :class:`pdf.Printer`) is reused for PDF."""
    return _export(Path(notebook), to=to, out=out, shareable=shareable, workspace=workspace,
                   printer=printer).path


def _export(path: Path, *, to: str, out: str | os.PathLike[str] | None, shareable: bool,
            workspace: str | None, printer: Any) -> Exported:
    exporter = _exporter(to, shareable, workspace, printer)
    nb = _read(path)
    body, resources = exporter.from_notebook_node(
        nb, resources={"metadata": {"name": path.stem, "path": str(path.parent.resolve())}})
    target = Path(out) if out is not None else default_output(path, to, shareable)
    info = resources.get("nysoc") or {}
    return Exported(write_atomic(target, body), path, str(info.get("title") or path.stem),
                    str(info.get("marking", "")), str(info.get("level", "par")),
                    int(info.get("records", 0)))


def _notebooks(folder: Path) -> list[Path]:
    """The folder's notebooks: a workspace's in its role's order, the rest by name."""
    from .workspace import CONFIG_FILE, ROLE_NOTEBOOKS, Workspace

    found = sorted(p for p in folder.glob("*.ipynb") if p.is_file())
    order: tuple[str, ...] = ()
    if (folder / CONFIG_FILE).is_file():
        order = ROLE_NOTEBOOKS.get(Workspace.load(folder).role, ())
    return sorted(found, key=lambda p: (order.index(p.name) if p.name in order
                                        else len(order), p.name))


def export_all(folder: str | os.PathLike[str], *, to: str = "html",
               out: str | os.PathLike[str] | None = None, shareable: bool = False,
               workspace: str | None = None) -> AllExported:
    """Export every notebook in ``folder`` as a document in format ``to``, into ``out``
    (default: ``dokumenter`` in ``folder``, ``dokumenter-deles`` when shareable), with an
    index (:func:`index_name`) that links them all."""
    source = Path(folder)
    if not source.is_dir():
        raise ExportError("export.no_folder", path=source)
    _exporter(to, shareable, workspace, None)  # an unknown format fails before anything
    notebooks = _notebooks(source)
    if not notebooks:
        raise ExportError("export.no_notebooks", path=source)
    target = Path(out) if out is not None else source / (
        "dokumenter-deles" if shareable else "dokumenter")
    target.mkdir(mode=0o700, parents=True, exist_ok=True)
    written: list[Exported] = []
    failed: list[tuple[str, str]] = []
    printer = None
    if to == "pdf":
        from .pdf import Printer

        printer = Printer()
    try:
        for notebook in notebooks:
            try:
                written.append(_export(notebook, to=to, shareable=shareable,
                                       workspace=workspace, printer=printer,
                                       out=target / (notebook.stem + FORMATS[to])))
            except NysocError as exc:
                failed.append((notebook.name, str(exc)))
    finally:
        if printer is not None:
            printer.close()
    level = "deles" if shareable else ("privat" if any(d.level == "privat" for d in written)
                                       else "par")
    index = target / index_name(to)
    rows = _index_rows(source, level)
    text = (index_markdown if to == "markdown" else index_html)(written, failed, level, rows)
    return AllExported(written, write_atomic(index, text), failed)


def index_name(to: str) -> str:
    """The index's file name: ``index.html`` (HTML), ``index.md`` (Markdown), else
    ``index-pdf.html``, ``index-docx.html`` – one per format, so formats share a folder."""
    return {"html": "index.html", "markdown": "index.md"}.get(to, f"index-{to}.html")


def _index_rows(folder: Path, level: str) -> list[tuple[str, str]]:
    """The index's header: the workspace's pairing (if ``folder`` is one), date, marking."""
    from .workspace import CONFIG_FILE, Workspace

    rows = [(_t("date"), render.format_date(clock.today().isoformat()))]
    if (folder / CONFIG_FILE).is_file():
        pairing = Workspace.load(folder).pairing
        if pairing:
            rows.insert(0, (_t("pairing"), pairing))
    return rows + [(_t("marking"), documents.marking(level))]


def index_html(written: list[Exported], failed: list[tuple[str, str]], level: str,
               rows: list[tuple[str, str]]) -> str:
    """The index of an exported workspace: one self-contained page that links every
    document (relative links, so the folder can be moved), with the marking."""
    marked = documents.marking(level)
    head = "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in rows)
    items = "".join(
        f'<tr><td><a href="{escape(d.path.name)}">{escape(d.title)}</a></td>'
        f"<td>{escape(d.path.name)}</td><td>{d.records}</td>"
        f"<td>{escape(d.marking)}</td></tr>" for d in written)
    columns = "".join(f"<th>{escape(c)}</th>" for c in _t("index_columns").split("|"))
    problems = "".join(f"<li>{escape(name)}: {escape(reason)}</li>" for name, reason in failed)
    return ("<!DOCTYPE html>\n<html lang=\"da\">\n<head>\n<meta charset=\"utf-8\">\n"
            f'<meta http-equiv="Content-Security-Policy" content="{documents.CSP}">\n'
            f"<title>{escape(_t('index_title'))}</title>\n"
            f"<style>{documents.print_css(marked)}{documents.NOTEBOOK_CSS}</style>\n"
            "</head>\n<body>\n"
            f'<header class="nysoc-doc-header nysoc-level-{escape(level)}">'
            f'<p class="nysoc-marking">{escape(marked)}</p>'
            f"<h1>{escape(_t('index_title'))}</h1><dl>{head}</dl></header>\n<main>"
            f"<p>{escape(_t('index_intro'))}</p>"
            f"<table><thead><tr>{columns}</tr></thead><tbody>{items}</tbody></table>"
            + (f"<h2>{escape(_t('index_failed'))}</h2><ul>{problems}</ul>" if failed else "")
            + "</main>\n</body>\n</html>\n")


def index_markdown(written: list[Exported], failed: list[tuple[str, str]], level: str,
                   rows: list[tuple[str, str]]) -> str:
    """The index of an exported workspace as Markdown (see :func:`index_html`)."""
    columns = _t("index_columns").split("|")
    lines = [f"**{documents.marking(level)}**", "", f"# {_t('index_title')}", ""]
    lines += [f"- **{k}:** {v}" for k, v in rows]
    lines += ["", _t("index_intro"), "", "| " + " | ".join(columns) + " |",
              "|" + "---|" * len(columns)]
    lines += [f"| [{d.title}]({d.path.name}) | {d.path.name} | {d.records} | {d.marking} |"
              for d in written]
    if failed:
        lines += ["", f"## {_t('index_failed')}", ""]
        lines += [f"- {name}: {reason}" for name, reason in failed]
    return "\n".join(lines) + "\n"
