"""``nysoc.coordinator()``: the coordinator's overview in a notebook, with filters.

One line per part of the page (:data:`coordinator_pages.PARTS`), so the notebook reads as a
document with a heading and a few words before each::

    nysoc.coordinator()               # filters, Opdatér and the overview table
    nysoc.coordinator("advarsler")    # the alerts
    nysoc.coordinator("diagrammer")   # the charts
    nysoc.coordinator("problemer")    # files in the folder that could not be read

The parts of one folder share one :class:`CoordinatorSession` in the kernel: the filters
(department, mentor, period) above the overview narrow every part, and **Opdatér** under any
part reads the folder again and updates them all (in Voilà a cell cannot be run again). Each
part is an :class:`api.Refreshable`, so a notebook saved or exported without a kernel keeps
what was shown.

Where the summaries are: ``folder=``, else the workspace's ``share_folder`` (a coordinator's
workspace; a pair's workspace gets a Danish notice). ``nysoc report`` runs the notebook with
:func:`use_report_settings`: then each part is plain HTML, without widgets.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ipywidgets as w

from . import i18n
from .api import Refreshable, _Html, notice
from .coordinator_pages import PARTS, CoordinatorPage, Selection
from .errors import NysocError

__all__ = ["coordinator", "CoordinatorSession", "ReportSettings", "use_report_settings"]

_t = i18n.scope("coordinator")


@dataclass(frozen=True)
class ReportSettings:
    """What ``nysoc report`` runs the notebook with: the folder, the day, the thresholds."""

    folder: Path
    today: dt.date | None
    alerts: dict[str, int]


#: The report's settings and, once read, its page (empty outside a report's kernel).
_REPORT: list[ReportSettings] = []
_REPORT_PAGE: list[CoordinatorPage] = []


def use_report_settings(folder: str, today: str | None = None,
                        alerts: dict[str, int] | None = None) -> None:
    """Make every later ``nysoc.coordinator(...)`` in this kernel a static part of the
    report on ``folder`` (the report's hidden first cell calls this)."""
    from .alerts import thresholds

    _REPORT[:] = [ReportSettings(Path(folder), dt.date.fromisoformat(today) if today else None,
                                 thresholds(alerts))]
    _REPORT_PAGE.clear()


class CoordinatorSession:
    """One folder of summaries in a kernel: the page read, the filters and the parts shown."""

    def __init__(self, folder: Path, limits: dict[str, int], today: dt.date | None) -> None:
        self.folder, self.limits, self.today = folder, limits, today
        self.page: CoordinatorPage | None = None
        self.parts: list[Refreshable] = []
        self._quiet = False
        everyone = (_t("all_departments"), "")
        self.department = w.Dropdown(options=[everyone], value="",
                                     description=_t("filter_department"))
        self.mentor = w.Dropdown(options=[(_t("all_mentors"), "")], value="",
                                 description=_t("filter_mentor"))
        self.start = w.DatePicker(description=_t("filter_start"), value=None)
        self.end = w.DatePicker(description=_t("filter_end"), value=None)
        for control in (self.department, self.mentor, self.start, self.end):
            control.style.description_width = "5em"
            control.observe(self._filtered, names="value")
        self.filters = w.VBox([w.HBox([self.department, self.mentor]),
                               w.HBox([self.start, self.end])])
        self.filters.add_class("nysoc-coordinator-filters")

    @property
    def selection(self) -> Selection:
        return Selection(self.department.value or None, self.mentor.value or None,
                         self.start.value, self.end.value)

    def current(self) -> CoordinatorPage:
        """The page as the filters have it, reading the folder when not read yet."""
        if self.page is None:
            self.page = CoordinatorPage.read(self.folder, today=self.today, limits=self.limits)
            self._options(self.page)
        return self.page.select(self.selection)

    def _options(self, page: CoordinatorPage) -> None:
        """The departments and mentors of the folder as filter choices (a choice kept if
        it is still there)."""
        self._quiet = True
        try:
            for control, everyone, values in (
                    (self.department, _t("all_departments"), page.departments),
                    (self.mentor, _t("all_mentors"), page.mentors)):
                chosen = control.value if control.value in values else ""
                with control.hold_sync():
                    control.options = [(everyone, ""), *((v, v) for v in values)]
                    control.value = chosen
        finally:
            self._quiet = False

    def part(self, name: str) -> Refreshable:
        """A new view of part ``name``; its Opdatér reads the folder again for every part."""
        view = Refreshable(lambda: _Html(self.current().html(name)),
                           css_class=f"nysoc-coordinator-view-{name}",
                           folded=_t(f"static_{name}"), tooltip=_t("refresh_help"),
                           unexpected="coordinator.unexpected")
        view.button.on_click(view.refresh, remove=True)
        view.button.on_click(self.reload)
        if name == PARTS[0]:
            view.widget.children = (self.filters, *view.widget.children)
        self.parts.append(view)
        return view

    def reload(self, _button: Any = None) -> None:
        """Read the folder again and update every part."""
        self.page = None
        self.refresh_all()

    def refresh_all(self) -> None:
        for view in self.parts:
            view.refresh()

    def _filtered(self, _change: Any) -> None:
        if not self._quiet:
            self.refresh_all()


_SESSIONS: dict[tuple[Path, dt.date | None], CoordinatorSession] = {}


def coordinator(part: str = "oversigt", *, folder: str | Path | None = None,
                workspace: str | Path | None = None, today: dt.date | None = None) -> Any:
    """The coordinator's overview, one part at a time (see the module docstring).

    ``folder``: the folder of summaries (default: the workspace's ``share_folder``);
    ``today``: the day alerts and "days since" count from (default: today in Denmark,
    read again at each Opdatér). A problem comes back as a Danish notice.
    """
    if part not in PARTS:
        return notice(_t("unknown_part", part=part, parts=", ".join(PARTS)))
    if _REPORT:
        return _report_part(part)
    try:
        where, limits = _source(folder, workspace)
    except NysocError as exc:
        return notice(str(exc))
    key = (where, today)
    session = _SESSIONS.get(key)
    if session is None or part == PARTS[0]:  # the overview's cell starts afresh
        session = _SESSIONS[key] = CoordinatorSession(where, limits, today)
    return session.part(part)


def _source(folder: str | Path | None, workspace: str | Path | None
            ) -> tuple[Path, dict[str, int]]:
    """The folder to read and the alert thresholds (the workspace's, else the defaults)."""
    from .alerts import thresholds
    from .errors import WorkspaceError
    from .workspace import find_workspace

    try:
        settings = find_workspace(workspace)
    except WorkspaceError as exc:
        if folder is None or exc.details.get("reason_key") != "workspace.not_found":
            raise
        return Path(folder).resolve(), thresholds()
    if folder is not None:
        return Path(folder).resolve(), settings.alerts
    if settings.role != "koordinator":
        raise NysocError("coordinator.not_coordinator")
    if settings.share_folder is None:
        raise NysocError("coordinator.no_share_folder", path=str(settings.root))
    return settings.share_folder, settings.alerts


def _report_part(part: str) -> Any:
    """A part of the report: plain HTML, the folder read once per report."""
    if not _REPORT_PAGE:
        settings = _REPORT[0]
        _REPORT_PAGE.append(CoordinatorPage.read(settings.folder, today=settings.today,
                                                 limits=settings.alerts))
    return _Html(_REPORT_PAGE[0].html(part))
