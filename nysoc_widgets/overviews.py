"""The mentee's own overview: her learning goals over time, and what she has learnt.

``nysoc.overview()`` is the one line in ``Mit_overblik.ipynb``. It looks back over the
pair's records, so the mentee can see *what she does in the situations where she
succeeds*:

- :func:`goal_history` – each learning goal's status (ikke startet / i gang / nået) across
  the saved versions of the learning-goal record, since when, and whether the mentor has
  confirmed it. The store keeps every save as a version, so the history is never typed in
  twice. No grades, no scores.
- :func:`learnt` – what she wrote under "Det nye, jeg har lært" in the logbook and what
  was summed up at each mentor meeting ("Opsamling"), in date order, with the learning
  goals the entry or meeting was about (the logbook's goals, the meeting's "Konkret
  læringsmål").
- :func:`goal_chart` – the history as a matplotlib figure: one step line per goal, the
  statuses in Danish on the y axis and dates on the x axis.

The overview shows written text: it is the mentee's own (``privat``) and the pair's
(``par``), and it never goes to the coordinator. A coordinator's workspace gets a notice
instead, and a logbook (``privat``) is only read in its author's own role.

The functions are pure (records in, DataFrames and a figure out); :func:`mentee_overview`
is the edge that reads the store. pandas and matplotlib are imported where used.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import i18n
from .clock import day as _day
from .clock import today as danish_today
from .errors import TemplateNotFoundError, WorkspaceError
from .records import Record, RecordVersion
from .render import figure_uri, format_short_date, html_table
from .templates import Template

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure

    from .catalogue import Catalogue
    from .workspace import Workspace

__all__ = [
    "GOALS_TEMPLATE",
    "LEARNT_FIELDS",
    "Overview",
    "goal_chart",
    "goal_history",
    "learnt",
    "mentee_overview",
]

_t = i18n.scope("overview")

#: The learning-goal template, its status field and the mentor's confirmation field.
GOALS_TEMPLATE = "laeringsmaal"
STATUS_FIELD = "maal_status"
CONFIRMED_FIELD = "maal_bekraeftet"
CONFIRMED = "ja"
#: Where "what I have learnt" is written: template id → (text field, date field).
LEARNT_FIELDS: dict[str, tuple[str, str]] = {
    "logbog": ("nyt_laert", "dato"),
    "mentormoede": ("opsamling", "dato"),
}
#: The learning goals a record of these templates is about: template id → field.
LEARNT_GOALS: dict[str, str] = {"logbog": "laeringsmaal", "mentormoede": "konkret_laeringsmaal"}


def _columns() -> dict[str, str]:
    """The Danish column names of the tables, by role."""
    return {"goal": _t("col_goal"), "status": _t("col_status"), "since": _t("col_since"),
            "confirmed": _t("col_confirmed"), "date": _t("col_date"),
            "source": _t("col_source"), "text": _t("col_text")}


def _as_date(day: Any) -> dt.date | None:
    """An ISO day (or the day of an ISO time) as a date; None for anything else."""
    try:
        return dt.date.fromisoformat(day[:10]) if isinstance(day, str) and day else None
    except ValueError:
        return None


# -- the status history ------------------------------------------------------------------

def goal_history(records_with_versions: Iterable[tuple[Record, Sequence[RecordVersion]]],
                 template: Template) -> pd.DataFrame:
    """Each goal's status over time: one row each time a goal's status changed.

    ``records_with_versions`` holds the learning-goal records with their saved versions
    (``store.versions(record.id)``, oldest first). Columns (Danish): goal, status (an
    ordered categorical: Ikke startet < I gang < Nået), since (the Danish day of the save
    that set it, ``datetime64``), confirmed by mentor ("ja"/"nej": whether the mentor had
    confirmed the goal in the last save before the status changed again). Goals appear in
    the order they were first given a status; a goal without a status is left out.
    """
    import pandas as pd

    fld = template.field(STATUS_FIELD)
    levels = [c.label.da for c in fld.choices]
    rows: list[dict[str, Any]] = []
    for _record, versions in records_with_versions:
        current: dict[str, dict[str, Any]] = {}  # goal → its open row
        for version in sorted(versions, key=lambda v: v.version):
            statuses = version.values.get(STATUS_FIELD) or {}
            confirmed = version.values.get(CONFIRMED_FIELD) or {}
            if not isinstance(statuses, Mapping):
                continue
            day = _as_date(_day(version.saved))
            for goal, status in statuses.items():
                if not status:
                    continue
                label = fld.choice_label(str(status))
                row = current.get(goal)
                if row is None or row["status"] != label:
                    row = {"goal": goal, "status": label, "since": day, "confirmed": False}
                    current[goal] = row
                    rows.append(row)
                row["confirmed"] = (isinstance(confirmed, Mapping)
                                    and confirmed.get(goal) == CONFIRMED)
    order = list(dict.fromkeys(r["goal"] for r in rows))
    rows.sort(key=lambda r: order.index(r["goal"]))  # stable: each goal's rows stay in time
    col = _columns()
    categories = levels + sorted({r["status"] for r in rows} - set(levels))
    return pd.DataFrame({
        col["goal"]: pd.Series([r["goal"] for r in rows], dtype="object"),
        col["status"]: pd.Categorical([r["status"] for r in rows], categories=categories,
                                      ordered=True),
        col["since"]: pd.to_datetime(pd.Series([r["since"] for r in rows], dtype="object")),
        col["confirmed"]: pd.Series([_t("yes") if r["confirmed"] else _t("no") for r in rows],
                                    dtype="object"),
    })


# -- what she has learnt -----------------------------------------------------------------

def learnt(records: Iterable[Record], catalogue: Catalogue) -> pd.DataFrame:
    """What was learnt, oldest first: logbook entries ("Det nye, jeg har lært") and the
    meetings' summing-up ("Opsamling"). Columns (Danish): date, source (the template's
    title), learning goals (:data:`LEARNT_GOALS`, as the user reads them, or ""), text. The
    date is the record's own date, else the day it was written; records without that text
    are left out.
    """
    import pandas as pd

    rows = []
    for record in records:
        where = LEARNT_FIELDS.get(record.template_id)
        if where is None:
            continue
        text = record.values.get(where[0])
        if not isinstance(text, str) or not text.strip():
            continue
        day = _as_date(record.values.get(where[1])) or _as_date(_day(record.created))
        try:
            template: Template | None = catalogue.get(record.template_id)
        except TemplateNotFoundError:
            template = None
        source = template.title.da if template else record.template_id
        rows.append((day or dt.date.min, record.created, source,
                     _goals_of(template, record), text.strip()))
    rows.sort(key=lambda r: (r[0], r[1]))
    col = _columns()
    return pd.DataFrame({
        col["date"]: pd.to_datetime(pd.Series([r[0] for r in rows], dtype="object")),
        col["source"]: pd.Series([r[2] for r in rows], dtype="object"),
        col["goal"]: pd.Series([r[3] for r in rows], dtype="object"),
        col["text"]: pd.Series([r[4] for r in rows], dtype="object"),
    })


def _goals_of(template: Template | None, record: Record) -> str:
    """The learning goals ``record`` is about, as the user reads them ("" if none)."""
    from .render import answer_text

    field_id = LEARNT_GOALS.get(record.template_id)
    if template is None or field_id is None:
        return ""
    try:
        fld = template.field(field_id)
    except KeyError:
        return ""
    return ", ".join(answer_text(fld, record.values.get(field_id)))


# -- the chart ---------------------------------------------------------------------------

def _short_date(day: dt.date) -> str:
    return format_short_date(day)


def goal_chart(history: pd.DataFrame, *, until: dt.date | None = None) -> Figure:
    """The goals over time: one step line per goal, statuses in Danish on the y axis.

    ``history`` is :func:`goal_history` output. Each line ends at ``until`` (default: the
    latest change), so the current status shows as a level stretch. Lines of goals at
    the same status are drawn slightly apart so each can be seen. No grades, no scores.
    """
    from matplotlib import dates as mdates
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter

    col = _columns()
    levels = list(history[col["status"]].cat.categories)
    goals = list(dict.fromkeys(history[col["goal"]]))
    days = [ts.date() for ts in history[col["since"]]]
    end = max([*days, until] if until else days, default=None)
    fig = Figure(figsize=(8, 2.6 + 0.25 * len(goals)), layout="constrained")
    ax = fig.add_subplot()
    spread = min(0.08, 0.6 / max(len(goals), 1))
    for i, goal in enumerate(goals):
        mine = history[history[col["goal"]] == goal]
        xs = [ts.date() for ts in mine[col["since"]]]
        offset = (i - (len(goals) - 1) / 2) * spread
        ys = [code + offset for code in mine[col["status"]].cat.codes]
        if end is not None and xs[-1] < end:
            xs, ys = [*xs, end], [*ys, ys[-1]]
        ax.step(xs, ys, where="post", marker="o", markevery=range(len(mine)), label=goal)
    if days:  # at least a week wide, so a history of one day still reads as dates
        first = min(days)
        last = max(first + dt.timedelta(days=7), end or first)
        pad = max((last - first) / 20, dt.timedelta(days=1))
        ax.set_xlim(first - pad, last + pad)
    ax.set_yticks(range(len(levels)), levels)
    ax.set_ylim(-0.5, len(levels) - 0.5)
    ax.set_title(_t("chart_title"))
    ax.grid(axis="y", alpha=0.3)
    locator = mdates.AutoDateLocator(maxticks=8)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(FuncFormatter(
        lambda x, _pos: _short_date(mdates.num2date(x).date())))
    if goals:
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncols=2, frameon=False,
                  fontsize="small")
    return fig


# -- the overview ------------------------------------------------------------------------

@dataclass(frozen=True, eq=False)
class Overview:
    """The mentee's overview: the goals' history and what she has learnt (renders as HTML).

    ``history`` is :func:`goal_history` output, ``learnt`` is :func:`learnt` output;
    ``today`` ends the chart's lines.
    """

    history: pd.DataFrame
    learnt: pd.DataFrame
    today: dt.date | None = None

    @property
    def empty(self) -> bool:
        """True when there are neither goals with a status nor learnt texts yet."""
        return self.history.empty and self.learnt.empty

    def chart(self) -> Figure | None:
        """The goals over time (:func:`goal_chart`), or None without any goal status."""
        return None if self.history.empty else goal_chart(self.history, until=self.today)

    def _repr_html_(self) -> str:
        parts = [f'<div class="nysoc-overview"><h3>{escape(_t("heading"))}</h3>']
        if self.empty:
            return "".join(parts) + f"<p>{escape(_t('empty'))}</p></div>"
        parts.append(f"<h4>{escape(_t('goals_heading'))}</h4>")
        fig = self.chart()
        if fig is None:
            parts.append(f"<p>{escape(_t('goals_none'))}</p>")
        else:
            parts.append(f'<img class="nysoc-overview-chart" src="{figure_uri(fig)}" '
                         f'alt="{escape(_t("chart_alt"))}" style="max-width:100%">')
            parts.append(html_table(self.history))
        parts.append(f"<h4>{escape(_t('learnt_heading'))}</h4>")
        parts.append(html_table(self.learnt) if len(self.learnt)
                     else f"<p>{escape(_t('learnt_none'))}</p>")
        parts.append(f"<p><small>{escape(_t('private_note'))}</small></p></div>")
        return "".join(parts)

    def __repr__(self) -> str:
        lines = [_t("heading")]
        if self.empty:
            return "\n".join([*lines, _t("empty")])
        lines += ["", _t("goals_heading"), self.history.to_string(index=False)
                  if len(self.history) else _t("goals_none")]
        lines += ["", _t("learnt_heading"), self.learnt.to_string(index=False)
                  if len(self.learnt) else _t("learnt_none")]
        return "\n".join(lines)


# -- the edge ----------------------------------------------------------------------------

def mentee_overview(workspace: str | Path | Workspace | None = None, *,
                    today: dt.date | None = None) -> Overview:
    """Read this workspace's pairing's records into an :class:`Overview`.

    Refuses (``WorkspaceError``) a workspace without a pairing, such as a coordinator's:
    the overview holds written text and never leaves the pair. A ``privat`` record (the
    logbook) is read only when written in this workspace's role.
    """
    from .workspace import Workspace, find_workspace

    ws = workspace if isinstance(workspace, Workspace) else find_workspace(workspace)
    if not ws.pairing or ws.role == "koordinator":
        raise WorkspaceError(path=str(ws.root), reason_key="overview.no_pairing")
    catalogue = ws.catalogue()
    template = catalogue.get(GOALS_TEMPLATE)
    with ws.open_store() as store:
        goals = [(r, store.versions(r.id or ""))
                 for r in store.list_records(pairing=ws.pairing, template_id=GOALS_TEMPLATE)]
        texts = [r for tid in LEARNT_FIELDS
                 for r in store.list_records(pairing=ws.pairing, template_id=tid)
                 if r.confidentiality != "privat" or r.author_role == ws.role]
    today = today or danish_today()
    return Overview(history=goal_history(goals, template), learnt=learnt(texts, catalogue),
                    today=today)

