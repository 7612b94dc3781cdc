"""The start page's view of a workspace: who you are in it, your pairing, what is saved.

``status()`` is the one line in ``Start_her.ipynb``::

    import nysoc_widgets as nysoc
    nysoc.status()

It shows counts and dates only, never written text. A workspace without a pairing (a
coordinator's) is not read from the store at all.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from . import i18n
from .glossary import ROLES
from .render import format_date

if TYPE_CHECKING:
    from .workspace import Workspace

__all__ = ["Status", "status", "workspace_status", "notebook_titles"]


_t = i18n.scope("summaries")


@dataclass(frozen=True)
class Status:
    """What the start page shows about a workspace (plain data; renders as HTML)."""

    folder: str
    role: str
    pairing: str | None = None
    mentor: str = ""
    mentee: str = ""
    start_date: str | None = None
    #: Template title → number of saved records of this pairing, in catalogue order.
    records: dict[str, int] = field(default_factory=dict)
    #: The workspace's notebooks: file name → title (its first heading).
    notebooks: dict[str, str] = field(default_factory=dict)

    def rows(self) -> list[tuple[str, str]]:
        """(Danish label, value) pairs, in the order they are shown."""
        rows = [(_t("status_folder"), self.folder),
                (_t("status_role"), ROLES.get(self.role, self.role)),
                (_t("status_pairing"), self.pairing or _t("status_pairing_none"))]
        if self.mentor:
            rows.append((_t("status_mentor"), self.mentor))
        if self.mentee:
            rows.append((_t("status_mentee"), self.mentee))
        if self.start_date:
            rows.append((_t("status_started"), format_date(self.start_date)))
        if self.pairing:
            saved = ", ".join(f"{title}: {n}" for title, n in self.records.items() if n)
            rows.append((_t("status_records"), saved or _t("status_records_none")))
        return rows

    def _repr_html_(self) -> str:
        body = "".join(f"<tr><th style='text-align:left;padding-right:1em'>{escape(k)}</th>"
                       f"<td style='text-align:left'>{escape(v)}</td></tr>"
                       for k, v in self.rows())
        links = "".join(f'<li><a href="{quote(name)}">{escape(title)}</a></li>'
                        for name, title in self.notebooks.items())
        pages = f"<h3>{escape(_t('status_pages'))}</h3><ul>{links}</ul>" if links else ""
        return (f'<div class="nysoc-status"><h3>{escape(_t("status_heading"))}</h3>'
                f"<table>{body}</table>{pages}</div>")

    def __repr__(self) -> str:
        return "\n".join([_t("status_heading"), *(f"{k}: {v}" for k, v in self.rows())])


def workspace_status(ws: Workspace) -> Status:
    """Read what the start page shows about ``ws`` (the store only if it has a pairing)."""
    from .errors import RecordNotFoundError, TemplateNotFoundError

    notebooks = notebook_titles(ws.root)
    if not ws.pairing:
        return Status(folder=str(ws.root), role=ws.role, notebooks=notebooks)
    catalogue = ws.catalogue()
    with ws.open_store() as store:
        try:
            pairing = store.get_pairing(ws.pairing)
        except RecordNotFoundError:
            pairing = None
        counts = Counter(r.template_id for r in store.list_records(pairing=ws.pairing))
    order = {tid: i for i, tid in enumerate(catalogue.ids())}
    titles: dict[str, int] = {}
    for template_id in sorted(counts, key=lambda tid: (order.get(tid, len(order)), tid)):
        try:
            title = catalogue.get(template_id).title.da
        except TemplateNotFoundError:
            title = template_id
        titles[title] = counts[template_id]
    return Status(folder=str(ws.root), role=ws.role, pairing=ws.pairing,
                  mentor=pairing.mentor if pairing else "",
                  mentee=pairing.mentee if pairing else "",
                  start_date=pairing.start_date if pairing else None,
                  records=titles, notebooks=notebooks)


def notebook_titles(folder: Path) -> dict[str, str]:
    """The notebooks in ``folder`` (file name → first Markdown heading), start page first."""
    import json

    titles: dict[str, str] = {}
    for path in sorted(folder.glob("*.ipynb"), key=lambda p: (p.name != "Start_her.ipynb", p.name)):
        title = path.stem.replace("_", " ")
        try:
            cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
        except (OSError, ValueError):
            cells = []
        for cell in cells:
            text = "".join(cell.get("source", "")) if cell.get("cell_type") == "markdown" else ""
            heading = next((line.lstrip("#").strip() for line in text.splitlines()
                            if line.startswith("# ")), "")
            if heading:
                title = heading
                break
        titles[path.name] = title
    return titles


def status(workspace: str | Path | Workspace | None = None) -> Any:
    """The start page's overview of this workspace (or a Danish notice saying why not)."""
    from .errors import NysocError
    from .workspace import Workspace, find_workspace

    try:
        ws = workspace if isinstance(workspace, Workspace) else find_workspace(workspace)
        return workspace_status(ws)
    except NysocError as exc:
        from .api import notice

        return notice(str(exc))
