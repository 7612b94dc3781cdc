"""The start page's view of a workspace: who you are in it, your pairing, what is saved.

``status()`` is the one line in ``Start_her.ipynb``::

    import nysoc_widgets as nysoc
    nysoc.status()

It shows counts and dates only, never written text: the pairing, the phase it has reached
(derived from what is saved, :mod:`nysoc_widgets.phase`) and since when, the next step,
the next meeting (or a plain warning that none is planned), due dates that have passed,
and links to the workspace's notebooks. A workspace without a pairing (a coordinator's)
is not read from the store at all.
"""

from __future__ import annotations

import datetime as dt
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
    from .phase import PhaseState
    from .workspace import Workspace

__all__ = ["Status", "status", "workspace_status", "notebook_titles"]


_t = i18n.scope("summaries")
_p = i18n.scope("phase")


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
    #: Where the pairing is in the programme (None without a pairing).
    phase: PhaseState | None = None
    #: The day the page was made (so "i dag" and the phase rows agree with it).
    today: dt.date | None = None

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
        if self.phase is not None:
            rows += self._phase_rows(self.phase)
        return rows

    def _phase_rows(self, state: PhaseState) -> list[tuple[str, str]]:
        since = format_date(state.since.isoformat()) if state.since else ""
        rows = [(_p("row_phase"), _p("phase_since", phase=state.name, date=since)
                 if since else state.name),
                (_p("row_next_step"), state.next_step)]
        if state.phase in ("opstart", "laering") or state.next_meeting:
            if state.next_meeting is None:
                meeting = _p("next_meeting_none")
            elif state.next_meeting == self.today:
                meeting = _p("next_meeting_today")
            else:
                meeting = format_date(state.next_meeting.isoformat())
            rows.append((_p("row_next_meeting"), meeting))
        return rows

    def notes(self) -> tuple[str, ...]:
        """Gentle Danish notes: due dates that have passed, and warnings."""
        return self.phase.notes if self.phase is not None else ()

    def _repr_html_(self) -> str:
        body = "".join(f"<tr><th style='text-align:left;padding-right:1em'>{escape(k)}</th>"
                       f"<td style='text-align:left'>{escape(v)}</td></tr>"
                       for k, v in self.rows())
        links = "".join(f'<li><a href="{quote(name)}">{escape(title)}</a></li>'
                        for name, title in self.notebooks.items())
        pages = f"<h3>{escape(_t('status_pages'))}</h3><ul>{links}</ul>" if links else ""
        notes = "".join(f"<li>{escape(n)}</li>" for n in self.notes())
        if notes:
            notes = (f'<div class="nysoc-status-notes"><h4>{escape(_p("notes_heading"))}</h4>'
                     f"<ul>{notes}</ul></div>")
        return (f'<div class="nysoc-status"><h3>{escape(_t("status_heading"))}</h3>'
                f"<table>{body}</table>{notes}{pages}</div>")

    def __repr__(self) -> str:
        lines = [_t("status_heading"), *(f"{k}: {v}" for k, v in self.rows())]
        if self.notes():
            lines += ["", _p("notes_heading"), *(f"- {n}" for n in self.notes())]
        return "\n".join(lines)


def workspace_status(ws: Workspace, *, today: dt.date | None = None) -> Status:
    """Read what the start page shows about ``ws`` (the store only if it has a pairing).

    ``today`` (default: today in Danish time) decides the next meeting and what is overdue.
    """
    from .clock import today as danish_today
    from .errors import RecordNotFoundError, TemplateNotFoundError
    from .phase import derive_phase

    notebooks = notebook_titles(ws.root, ws.role)
    if not ws.pairing:
        return Status(folder=str(ws.root), role=ws.role, notebooks=notebooks)
    catalogue = ws.catalogue()
    with ws.open_store() as store:
        try:
            pairing = store.get_pairing(ws.pairing)
        except RecordNotFoundError:
            pairing = None
        records = store.list_records(pairing=ws.pairing)
    counts = Counter(r.template_id for r in records)
    today = today or danish_today()
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
                  records=titles, notebooks=notebooks,
                  phase=derive_phase(records, today, pairing=pairing), today=today)


def notebook_titles(folder: Path, role: str = "") -> dict[str, str]:
    """The notebooks in ``folder`` (file name → first Markdown heading), in the order the
    programme uses them (the role's set first, as ``nysoc init`` gives it; others after)."""
    import json

    from .workspace import ROLE_NOTEBOOKS

    order = {name: i for i, name in enumerate(ROLE_NOTEBOOKS.get(role, ("Start_her.ipynb",)))}
    titles: dict[str, str] = {}
    for path in sorted(folder.glob("*.ipynb"),
                       key=lambda p: (order.get(p.name, len(order)), p.name)):
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
