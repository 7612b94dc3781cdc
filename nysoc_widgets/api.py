"""The one-line API the notebooks use: ``form``, ``summary``, ``overview``, ``card``,
``calendar_file``, ``agenda``, ``print_copy`` and ``goal_history``.

These are the edge between a social worker and the library: a problem (no workspace, an
unknown template, a refused store) comes back as a short Danish notice in the notebook,
never as a traceback.
"""

from __future__ import annotations

import datetime as dt
import logging
import traceback
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any

import ipywidgets as w

from .errors import NysocError
from .render import card_html
from .workspace import Workspace, find_workspace

__all__ = ["form", "summary", "overview", "card", "calendar_file", "agenda", "print_copy",
           "goal_history", "notice", "Refreshable"]


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


class Refreshable:
    """A view read from the store, with an "Opdatér" button that reads it again.

    In a live notebook (JupyterLab, Voilà – where a cell cannot be re-run) it shows a widget:
    the view's HTML and the button. Under it, it keeps the same HTML as a static output
    (folded under the heading ``folded``, with a ``display_id`` the button updates), so an
    exported notebook or one opened without a kernel still shows what was there; a view
    that is a download link (``folded=None``) keeps no such copy. ``value`` is the latest
    view (e.g. a :class:`~nysoc_widgets.summaries.Summary`); ``_repr_html_`` and ``repr``
    are its own. ``tooltip`` is the button's help, and ``unexpected`` the i18n key (with
    ``{error}``) of the message shown when reading fails unexpectedly.
    """

    def __init__(self, compute: Callable[[], Any], *, css_class: str, folded: str | None,
                 tooltip: str | None = None, unexpected: str = "summaries.unexpected"
                 ) -> None:
        from . import i18n

        self._compute, self._folded, self._unexpected = compute, folded, unexpected
        self.value: Any = None
        self.html = w.HTML()
        self.button = w.Button(description=i18n.t("summaries.refresh"), icon="refresh",
                               tooltip=tooltip or i18n.t("summaries.refresh_help"))
        self.button.on_click(self.refresh)
        self.widget = w.VBox([self.html, self.button])
        self.widget.add_class(css_class)
        self._static: Any = None
        self.refresh()

    def refresh(self, _button: Any = None) -> None:
        """Read the view again and show it (the widget and the static copy)."""
        from . import i18n

        try:
            self.value = self._compute()
            self.html.value = self.value._repr_html_()
        except NysocError as exc:
            self.html.value = _alert_html(str(exc))
        except Exception as exc:  # noqa: BLE001 - the edge: show it, never lose it in a log
            logging.getLogger(__name__).error(
                "nysoc view failed: %s\n%s", type(exc).__name__,
                "".join(traceback.format_tb(exc.__traceback__)))
            self.html.value = _alert_html(i18n.t(self._unexpected, error=type(exc).__name__))
        if self._static is not None:
            self._static.update(self.static_bundle(), raw=True)

    def static_bundle(self) -> dict[str, Any]:
        """The static copy: the view's HTML folded under the live one (it repeats it)."""
        return {"text/plain": repr(self),
                "text/html": f"<details><summary>{escape(self._folded or '')}</summary>"
                             f"{self.html.value}</details>"}

    def _repr_html_(self) -> str:
        return str(self.html.value)

    def __repr__(self) -> str:
        return repr(self.value) if self.value is not None else str(self.html.value)

    def __getattr__(self, name: str) -> Any:  # the view's own attributes (empty, chart …)
        if name.startswith("_") or name in ("value", "html", "button", "widget"):
            raise AttributeError(name)
        return getattr(self.value, name)

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)
        if self._folded is not None:
            self._static = display(self.static_bundle(), raw=True, display_id=True)


@dataclass(frozen=True)
class _Html:
    """Ready HTML as a view for :class:`Refreshable`."""

    html: str

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:
        return self.html


def summary(template_id: str = "logbog", *,
            workspace: str | Path | Workspace | None = None) -> Any:
    """A summary of this workspace's records of ``template_id`` (tables in Danish), with an
    "Opdatér" button that reads the records again (see :class:`Refreshable`)."""
    from . import i18n
    from .summaries import summarise

    try:
        ws = workspace if isinstance(workspace, Workspace) else find_workspace(workspace)
        ws.catalogue().get(template_id)  # an unknown template: a notice, not a button
        return Refreshable(lambda: summarise(ws, template_id), css_class="nysoc-summary-view",
                           folded=i18n.t("summaries.static_summary"))
    except NysocError as exc:
        return notice(str(exc))


def overview(*, workspace: str | Path | Workspace | None = None) -> Any:
    """The mentee's own overview: her learning goals over time (a table and a chart) and
    what she has learnt, from the logbook and the meetings' summing-up, with an "Opdatér"
    button that reads them again (see :class:`Refreshable`).

    It shows written text, so it is the pair's alone: a workspace without a pairing (a
    coordinator's) gets a Danish notice instead. See ``nysoc_widgets.overviews``.
    """
    from . import i18n
    from .overviews import mentee_overview

    try:
        ws = workspace if isinstance(workspace, Workspace) else find_workspace(workspace)
        if not ws.pairing or ws.role == "koordinator":
            return notice(i18n.t("overview.no_pairing"))
        return Refreshable(lambda: mentee_overview(ws), css_class="nysoc-overview-view",
                           folded=i18n.t("overview.static_summary"))
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
    return HTML(card_html(template))


def calendar_file(*, workspace: str | Path | Workspace | None = None) -> Any:
    """A download link for ``moeder.ics``: the meetings planned in this pairing's latest
    collaboration agreement (see ``nysoc_widgets.calendar``), with an "Opdatér" button that
    reads the agreement again after a save (a :class:`Refreshable` without a static copy);
    a Danish note while no dates are saved.

    The file travels inside the link (a ``data:`` URI, ``render.download_link``): nothing
    is written to disk, and the link works alike in JupyterLab and in Voilà (which serves
    no ``.ics`` files by default).
    """
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

    def compute() -> _Html:
        with ws.open_store() as store:
            records = store.list_records(pairing=pairing, template_id=template.id)
        return _Html(calendar_html(pairing, records, template))

    return Refreshable(compute, css_class="nysoc-calendar-file", folded=None,
                       tooltip=i18n.t("calendar.refresh_help"),
                       unexpected="calendar.unexpected")


def print_copy(template_id: str, *, workspace: str | Path | Workspace | None = None,
               record_id: str | None = None) -> Any:
    """A link that downloads this pairing's latest saved ``template_id`` record (or the
    record ``record_id``) as a document to print: a self-contained HTML page with the
    pairing, the confidentiality marking, every answer and who has confirmed it (see
    ``nysoc_widgets.documents``), with an "Opdatér" button that reads the store again.

    Only saved records are printed, never an unsaved draft; a ``privat`` record only in its
    author's role. A workspace without a pairing (a coordinator's) gets a Danish notice.
    """
    from . import i18n

    try:
        ws = workspace if isinstance(workspace, Workspace) else find_workspace(workspace)
        template = ws.catalogue().get(template_id)
    except NysocError as exc:
        return notice(str(exc))
    if not ws.pairing or ws.role == "koordinator":
        return notice(i18n.t("documents.no_pairing"))
    return Refreshable(lambda: _read_print_copy(ws, template, record_id),
                       css_class="nysoc-print-copy", folded=None,
                       tooltip=i18n.t("documents.refresh_help"),
                       unexpected="documents.unexpected")


def _read_print_copy(ws: Workspace, template: Any, record_id: str | None) -> Any:
    """The :class:`~nysoc_widgets.documents.PrintCopy` of the record to print, read from
    the store with the template version it was written under and the pairing's details."""
    from .documents import PrintCopy
    from .errors import RecordNotFoundError
    from .records import latest

    with ws.open_store() as store:
        found = ([store.get_record(record_id)] if record_id else
                 store.list_records(pairing=ws.pairing, template_id=template.id))
        record = latest([r for r in found if r.pairing == ws.pairing
                         and (r.confidentiality != "privat" or r.author_role == ws.role)],
                        template.id)
        written = template
        if record is not None and record.template_version != template.version:
            written = store.template_snapshot(template.id, record.template_version) or template
        try:
            pairing = store.get_pairing(ws.pairing or "")
        except RecordNotFoundError:
            pairing = None
    return PrintCopy(written, record, pairing)


def agenda(*, workspace: str | Path | Workspace | None = None,
           today: dt.date | None = None) -> Any:
    """A proposed agenda for the next mentor meeting, from what the pairing's records leave
    open (see ``nysoc_widgets.agendas``), with an "Opdatér" button that reads the records
    again after a meeting or a logbook entry is saved (see :class:`Refreshable`); or a
    Danish notice saying why not.

    ``today`` (default: today in Danish time, read again at each update) decides the coming
    meeting. The mentee's logbook is read only where it is: in her own workspace.
    """
    from . import i18n
    from .agendas import propose_agenda
    from .clock import today as danish_today

    try:
        ws = workspace if isinstance(workspace, Workspace) else find_workspace(workspace)
        if not ws.pairing or ws.role == "koordinator":
            return notice(i18n.t("agenda.no_pairing"))
        catalogue = ws.catalogue()
    except NysocError as exc:
        return notice(str(exc))

    def compute() -> Any:
        with ws.open_store() as store:
            records = store.list_records(pairing=ws.pairing)
        return propose_agenda(records, catalogue, today or danish_today(),
                              reader=ws.role)

    return Refreshable(compute, css_class="nysoc-agenda-view",
                       folded=i18n.t("agenda.static_summary"),
                       tooltip=i18n.t("agenda.refresh_help"))


def goal_history(*, workspace: str | Path | Workspace | None = None,
                 today: dt.date | None = None) -> Any:
    """A look back for the closing conversation: each learning goal's status over time in
    plain Danish ("ikke startet 1. sep. → i gang 1. okt. → nået 1. nov."), whether the
    mentor has confirmed it, and what the collaboration agreement set out (start, planned
    end, meetings) – with an "Opdatér" button (see :class:`Refreshable`). See
    ``nysoc_widgets.reviews``.

    It shows the pair's own goal titles, so a workspace without a pairing (a
    coordinator's) gets a Danish notice instead.
    """
    from . import i18n
    from .reviews import read_goal_review

    try:
        ws = workspace if isinstance(workspace, Workspace) else find_workspace(workspace)
        if not ws.pairing or ws.role == "koordinator":
            return notice(i18n.t("reviews.no_pairing"))
    except NysocError as exc:
        return notice(str(exc))
    return Refreshable(lambda: read_goal_review(ws, today=today),
                       css_class="nysoc-goal-history-view",
                       folded=i18n.t("reviews.static_summary"),
                       tooltip=i18n.t("reviews.refresh_help"))
