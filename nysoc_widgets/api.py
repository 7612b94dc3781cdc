"""The one-line API the notebooks use: ``form``, ``summary``, ``overview``, ``card`` and
``calendar_file``.

These are the edge between a social worker and the library: a problem (no workspace, an
unknown template, a refused store) comes back as a short Danish notice in the notebook,
never as a traceback.
"""

from __future__ import annotations

import datetime as dt
import weakref
from html import escape
from pathlib import Path
from typing import Any

import ipywidgets as w

from .errors import NysocError
from .render import text_html
from .workspace import Workspace, find_workspace

__all__ = ["form", "summary", "overview", "card", "calendar_file", "agenda", "notice"]


def _alert_html(text: str) -> str:
    return f'<p role="alert" style="color:#a4000f"><strong>{escape(text)}</strong></p>'


def notice(text: str) -> w.HTML:
    """A Danish message where a form would have been."""
    box = w.HTML(_alert_html(text))
    box.add_class("nysoc-notice")
    return box


def form(template_id: str, *, workspace: str | Path | Workspace | None = None,
         record_id: str | None = None, autosave_delay: float = 1.5) -> Any:
    """The form for ``template_id`` in this workspace (or a notice saying why not).

    Opens the record ``record_id`` if given; otherwise starts a new record and offers back
    any unsaved draft.
    """
    from .forms import Form

    try:
        ws = workspace if isinstance(workspace, Workspace) else find_workspace(workspace)
        template = ws.catalogue().get(template_id)
        store = ws.open_store()
        record = store.get_record(record_id) if record_id else None
        built = Form(template, store, pairing=ws.pairing or "", author_role=ws.role,
                     record=record, autosave_delay=autosave_delay,
                     names=known_names(ws, store) if template.check_personal_data else ())
        weakref.finalize(built, store.close)  # the form owns the store it opened
        return built
    except NysocError as exc:
        return notice(str(exc))


def known_names(ws: Workspace, store: Any) -> list[str]:
    """Names the workspace knows, to look for in a process journal or analysis: the people
    of the pairing (a citizen overview can add more later)."""
    if not ws.pairing:
        return []
    pairing = store.get_pairing(ws.pairing)
    return [name for name in (pairing.mentor, pairing.mentee) if name.strip()]


def summary(template_id: str = "logbog", *,
            workspace: str | Path | Workspace | None = None) -> Any:
    """A summary of this workspace's records of ``template_id`` (tables in Danish)."""
    from .summaries import summarise

    try:
        ws = workspace if isinstance(workspace, Workspace) else find_workspace(workspace)
        return summarise(ws, template_id)
    except NysocError as exc:
        return notice(str(exc))


def overview(*, workspace: str | Path | Workspace | None = None) -> Any:
    """The mentee's own overview: her learning goals over time (a table and a chart) and
    what she has learnt, from the logbook and the meetings' summing-up.

    It shows written text, so it is the pair's alone: a workspace without a pairing (a
    coordinator's) gets a Danish notice instead. See ``nysoc_widgets.overviews``.
    """
    from . import i18n
    from .overviews import mentee_overview

    try:
        ws = workspace if isinstance(workspace, Workspace) else find_workspace(workspace)
        if not ws.pairing or ws.role == "koordinator":
            return notice(i18n.t("overview.no_pairing"))
        return mentee_overview(ws)
    except NysocError as exc:
        return notice(str(exc))


def card(template_id: str, *, workspace: str | Path | Workspace | None = None) -> Any:
    """A reference card (e.g. ``gode_raad``) as formatted text."""
    from IPython.display import HTML

    try:
        ws = workspace if isinstance(workspace, Workspace) else find_workspace(workspace)
        template = ws.catalogue().get(template_id)
    except NysocError as exc:
        return notice(str(exc))
    parts = [f"<h3>{escape(template.title.da)}</h3>"]
    if template.intro:
        parts.append(text_html(template.intro.da))
    for section in template.sections:
        if not _same(section.title.da, template.title.da):
            parts.append(f"<h4>{escape(section.title.da)}</h4>")
        parts.append("<ul>")
        for item in section.items:
            head = (f"<strong>{escape(item.title.da)}</strong>"
                    if item.title and not _same(item.title.da, section.title.da) else "")
            parts.append(f"<li>{head}{text_html(item.text.da)}</li>")
        parts.append("</ul>")
    return HTML(f'<div class="nysoc-card">{"".join(parts)}</div>')


def _same(one: str, other: str) -> bool:
    """Two headings that say the same, or one repeats the start of the other (quotes,
    punctuation and case aside): the card shows it once."""
    def bare(text: str) -> str:
        return " ".join("".join(c for c in text.casefold() if c.isalnum() or c.isspace()).split())

    a, b = bare(one), bare(other)
    return a.startswith(b) or b.startswith(a)


def calendar_file(*, workspace: str | Path | Workspace | None = None) -> Any:
    """A download link for ``moeder.ics``: the meetings planned in this pairing's latest
    collaboration agreement (see ``nysoc_widgets.calendar``), with an "Opdatér" button that
    reads the agreement again after a save; a Danish note while no dates are saved.

    The file travels inside the link (a ``data:`` URI): nothing is written to disk, and the
    link works alike in JupyterLab and in Voilà (which serves no ``.ics`` files by default).
    """
    import logging
    import traceback

    from . import i18n
    from .calendar import calendar_html

    try:
        ws = workspace if isinstance(workspace, Workspace) else find_workspace(workspace)
        template = ws.catalogue().get("samarbejdsaftale")
    except NysocError as exc:
        return notice(str(exc))
    pairing = ws.pairing
    if not pairing:
        return notice(i18n.t("calendar.no_pairing"))
    shown = w.HTML()

    def refresh(_button: Any = None) -> None:
        try:
            with ws.open_store() as store:
                records = store.list_records(pairing=pairing, template_id=template.id)
            shown.value = calendar_html(pairing, records, template)
        except NysocError as exc:
            shown.value = _alert_html(str(exc))
        except Exception as exc:  # noqa: BLE001 - the edge: show it, never lose it in a log
            logging.getLogger(__name__).error(
                "nysoc calendar failed: %s\n%s", type(exc).__name__,
                "".join(traceback.format_tb(exc.__traceback__)))
            shown.value = _alert_html(i18n.t("calendar.unexpected", error=type(exc).__name__))

    button = w.Button(description=i18n.t("calendar.refresh"), icon="refresh",
                      tooltip=i18n.t("calendar.refresh_help"))
    button.on_click(refresh)
    refresh()
    box = w.VBox([shown, button])
    box.add_class("nysoc-calendar-file")
    return box


def agenda(*, workspace: str | Path | Workspace | None = None,
           today: dt.date | None = None) -> Any:
    """A proposed agenda for the next mentor meeting, from what the pairing's records leave
    open (see ``nysoc_widgets.agendas``), or a Danish notice saying why not.

    ``today`` (default: today in Danish time) decides the coming meeting. The mentee's
    logbook is read only where it is: in her own workspace.
    """
    from . import i18n
    from .agendas import propose_agenda
    from .boundary import _zone

    try:
        ws = workspace if isinstance(workspace, Workspace) else find_workspace(workspace)
        if not ws.pairing or ws.role == "koordinator":
            return notice(i18n.t("agenda.no_pairing"))
        catalogue = ws.catalogue()
        with ws.open_store() as store:
            records = store.list_records(pairing=ws.pairing)
        return propose_agenda(records, catalogue, today or dt.datetime.now(_zone()).date(),
                              reader=ws.role)
    except NysocError as exc:
        return notice(str(exc))
