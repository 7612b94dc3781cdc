"""The coordinator's charts: what a coordinator would put in a report to management.

Each function takes :class:`~nysoc_widgets.coordinator_data.Frames` (filtered or not) and returns
a matplotlib :class:`~matplotlib.figure.Figure` (no pyplot, so no GUI backend: rendered by
Agg when saved) with Danish title, axes and dates:

- :func:`meetings_timeline` – meetings over time per pairing: held as filled dots, planned
  as hollow ones (grey once the day has passed without minutes), today as a line;
- :func:`phase_chart` – pairings per phase, in the programme's order;
- :func:`goals_chart` – the most common learning goals across pairings, by status; the
  pairs' own goals together as "Egne læringsmål" (their titles never leave a pair);
- :func:`goals_reached_chart` – learning goals reached (and in progress) over time, from
  the goals' history;
- :func:`scores_chart` – the evaluation scores per aspect (how many gave 1, 2 … 5), only
  scores the pairs agreed to share;
- :func:`department_chart` – pairings per department, by phase.

Without data a chart is a figure that says so in Danish, never an exception. Colours are
the Okabe–Ito palette (readable with colour blindness); statuses and phases keep their
colour in every chart. :data:`CHARTS` lists them with their Danish title and alt text.
matplotlib and pandas are imported where used.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from . import i18n
from .glossary import PHASES
from .render import format_short_date

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from .coordinator_data import Frames

__all__ = ["CHARTS", "Chart", "meetings_timeline", "phase_chart", "goals_chart",
           "goals_reached_chart", "scores_chart", "department_chart", "draw_all"]

_t = i18n.scope("charts")

#: Okabe–Ito colours.
BLUE, ORANGE, GREEN, VERMILLION, SKY, GREY = ("#0072B2", "#E69F00", "#009E73", "#D55E00",
                                              "#56B4E9", "#8C8C8C")
PHASE_COLOURS = {"introduktion": "#CC79A7", "forberedelse": SKY, "opstart": ORANGE,
                 "laering": BLUE, "afslutning": GREEN}
STATUS_COLOURS = {"naaet": GREEN, "i_gang": ORANGE, "ikke_startet": "#BDBDBD", "": "#E6E6E6"}
#: Scores 1–5, from low (red) to high (blue): a diverging scale readable in grey too.
SCORE_COLOURS = ("#CA0020", "#F4A582", "#D9D9D9", "#92C5DE", "#0571B0")
#: The timeline shows at most this many pairings (the latest started).
TIMELINE_ROWS = 40


def _figure(height: float, width: float = 8.0) -> tuple[Figure, Axes]:
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), layout="constrained")
    return fig, fig.add_subplot()


def _empty(title: str, message: str) -> Figure:
    """A figure with ``title`` that says ``message`` instead of a chart."""
    fig, ax = _figure(2.0)
    ax.set_axis_off()
    ax.set_title(title, loc="left", fontweight="bold")
    ax.text(0.5, 0.45, message, ha="center", va="center", wrap=True, color="#333333")
    return fig


def _style(ax: Axes, title: str) -> None:
    ax.set_title(title, loc="left", fontweight="bold")
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def _danish_dates(ax: Axes) -> None:
    """Danish month names on a date x axis ("sep. 2026", "7. okt. 2026")."""
    from matplotlib import dates as mdates
    from matplotlib.ticker import FuncFormatter

    def label(x: float, _pos: Any) -> str:
        day = mdates.num2date(x).date()
        text = format_short_date(day, year=True)
        return text.split(" ", 1)[1] if day.day == 1 else text

    ax.xaxis.set_major_locator(mdates.AutoDateLocator(minticks=3, maxticks=7))
    ax.xaxis.set_major_formatter(FuncFormatter(label))


def _legend(fig: Figure, ax: Axes, columns: int, title: str | None = None) -> None:
    """The legend under the chart, outside the bars."""
    handles, labels = ax.get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncols=columns, frameon=False,
               fontsize="small", title=title, title_fontsize="small")


def _whole_numbers(axis: Any) -> None:
    """Ticks at whole numbers only: these axes count pairings, goals and answers."""
    from matplotlib.ticker import MaxNLocator

    axis.set_major_locator(MaxNLocator(integer=True))


def _short(text: str, width: int = 34) -> str:
    return text if len(text) <= width else text[:width - 1] + "…"


# -- the charts ----------------------------------------------------------------------------

def meetings_timeline(frames: Frames, *, limit: int = TIMELINE_ROWS) -> Figure:
    """Meetings over time, one row per pairing (the ``limit`` latest started)."""
    import pandas as pd

    title = _t("meetings_title")
    meetings = frames.meetings
    if meetings.empty:
        return _empty(title, _t("no_meetings"))
    order = frames.overview.sort_values(["start", "pairing"], na_position="first")
    with_meetings = set(meetings["pairing"])
    shown = [p for p in order["pairing"] if p in with_meetings]
    total = len(shown)
    shown = shown[-limit:]
    rows = {p: i for i, p in enumerate(reversed(shown))}
    mine = meetings[meetings["pairing"].isin(rows)]
    fig, ax = _figure(1.6 + 0.26 * len(rows))
    y = mine["pairing"].map(rows)
    planned = mine["kind"] == "planned"
    kinds: list[tuple[Any, dict[str, Any], str]] = [
        (mine["kind"] == "held", {"color": BLUE}, "held"),
        (planned & mine["upcoming"],
         {"facecolors": "none", "edgecolors": ORANGE, "linewidths": 1.5}, "planned"),
        (planned & ~mine["upcoming"],
         {"facecolors": "none", "edgecolors": GREY, "linewidths": 1.0}, "missed")]
    for rows_of, style, key in kinds:
        if rows_of.any():
            ax.scatter(mine.loc[rows_of, "date"].to_numpy(), y[rows_of].to_numpy(), s=28,
                       label=_t(f"meeting_{key}"), zorder=3, **style)
    ax.axvline(pd.Timestamp(frames.today).to_numpy(), color="#555555", linestyle="--",
               linewidth=1, label=_t("today"), zorder=2)
    ax.set_yticks(list(rows.values()), [_short(p) for p in rows])
    ax.set_ylim(-0.7, len(rows) - 0.3)
    ax.grid(axis="x", alpha=0.3)
    _style(ax, title)
    _danish_dates(ax)
    _legend(fig, ax, 4)
    if total > len(rows):
        ax.set_xlabel(_t("timeline_limited", shown=len(rows), total=total), fontsize="small")
    return fig


def phase_chart(frames: Frames) -> Figure:
    """How many pairings are in each phase, in the programme's order (top to bottom)."""
    title = _t("phases_title")
    counts = frames.overview["phase_id"].value_counts()
    phases = [p for p in PHASES if p != "introduktion" or counts.get(p, 0)]
    values = [int(counts.get(p, 0)) for p in phases]
    if not sum(values):
        return _empty(title, _t("no_pairings"))
    fig, ax = _figure(1.2 + 0.45 * len(phases), 7.0)
    bars = ax.barh(range(len(phases)), values, color=[PHASE_COLOURS[p] for p in phases])
    ax.bar_label(bars, padding=3)
    ax.set_yticks(range(len(phases)), [PHASES[p] for p in phases])
    ax.invert_yaxis()
    ax.set_xlabel(_t("pairings_axis"))
    _whole_numbers(ax.xaxis)
    _style(ax, title)
    return fig


def _status_bars(ax: Axes, table: Any) -> None:
    """Horizontal bars of ``table`` (rows × status ids), stacked by status."""
    left = [0] * len(table)
    for status in ("naaet", "i_gang", "ikke_startet", ""):
        if status not in table.columns:
            continue
        values = table[status].tolist()
        label = _t(f"status_{status or 'none'}")
        ax.barh(range(len(table)), values, left=left, color=STATUS_COLOURS[status],
                label=label, edgecolor="white", linewidth=0.5)
        left = [a + b for a, b in zip(left, values, strict=True)]


def goals_chart(frames: Frames, *, top: int = 10) -> Figure:
    """The ``top`` most chosen learning goals, and the pairs' own goals together."""
    title = _t("goals_title")
    goals = frames.goals
    if goals.empty:
        return _empty(title, _t("no_goals"))
    own = _t("own_goals")
    titles = goals["title"].where(~goals["own"], own)
    table = goals.assign(title=titles, status=goals["status"].fillna("")) \
        .groupby(["title", "status"]).size().unstack(fill_value=0)
    totals = table.sum(axis=1).sort_values(ascending=False, kind="stable")
    chosen = [t for t in totals.index if t != own][:top] + ([own] if own in totals.index
                                                            else [])
    table = table.loc[chosen]
    fig, ax = _figure(1.4 + 0.36 * len(table))
    _status_bars(ax, table)
    ax.set_yticks(range(len(table)), [_short(t, 40) for t in table.index])
    ax.invert_yaxis()
    ax.set_xlabel(_t("goals_axis"))
    _whole_numbers(ax.xaxis)
    _legend(fig, ax, 4)
    _style(ax, title)
    return fig


def goals_reached_chart(frames: Frames) -> Figure:
    """Learning goals reached, and in progress, across all pairings over time."""
    title = _t("reached_title")
    history = frames.goal_history
    if history.empty:
        return _empty(title, _t("no_history"))
    fig, ax = _figure(3.2)
    for status in ("naaet", "i_gang"):
        per_day = (history.assign(n=history["status"] == status)
                   .groupby(["pairing", "date", "version"], dropna=False)["n"].sum()
                   .groupby(level=["pairing", "date"]).last())
        total = per_day.unstack("pairing").sort_index().ffill().fillna(0).sum(axis=1)
        days = list(total.index) + [max(total.index[-1], _timestamp(frames.today))]
        values = list(total.to_numpy()) + [total.iloc[-1]]
        ax.step(days, values, where="post", color=STATUS_COLOURS[status], linewidth=2,
                label=_t(f"status_{status}"))
    ax.set_ylabel(_t("reached_axis"))
    ax.set_ylim(bottom=0)
    _whole_numbers(ax.yaxis)
    ax.grid(axis="y", alpha=0.3)
    _legend(fig, ax, 2)
    _style(ax, title)
    _danish_dates(ax)
    return fig


def _timestamp(day: dt.date) -> Any:
    import pandas as pd

    return pd.Timestamp(day)


def scores_chart(frames: Frames) -> Figure:
    """How many gave each score (1–5) per evaluation aspect, with the mean beside it."""
    title = _t("scores_title")
    scores = frames.evaluations
    if scores.empty:
        return _empty(title, _t("no_scores"))
    aspects = list(dict.fromkeys(scores["aspect_label"]))
    table = scores.groupby(["aspect_label", "score"]).size().unstack(fill_value=0) \
        .reindex(index=aspects, columns=range(1, 6), fill_value=0)
    means = scores.groupby("aspect_label")["score"].mean().reindex(aspects)
    fig, ax = _figure(1.4 + 0.4 * len(aspects))
    left = [0] * len(aspects)
    for score, colour in zip(range(1, 6), SCORE_COLOURS, strict=True):
        values = table[score].tolist()
        ax.barh(range(len(aspects)), values, left=left, color=colour, label=str(score),
                edgecolor="white", linewidth=0.5)
        left = [a + b for a, b in zip(left, values, strict=True)]
    for i, (total, mean) in enumerate(zip(left, means, strict=True)):
        ax.text(total, i, "  " + _t("mean", mean=f"{mean:.1f}".replace(".", ",")),
                va="center", fontsize="small")
    ax.set_yticks(range(len(aspects)), aspects)
    ax.invert_yaxis()
    ax.set_xlabel(_t("scores_axis"))
    ax.set_xlim(0, max(left) * 1.25)
    _whole_numbers(ax.xaxis)
    _legend(fig, ax, 5, title=_t("score_legend"))
    _style(ax, title)
    return fig


def department_chart(frames: Frames) -> Figure:
    """Pairings per department, stacked by phase."""
    import pandas as pd

    title = _t("departments_title")
    overview = frames.overview
    if overview.empty:
        return _empty(title, _t("no_pairings"))
    departments = overview["department"].where(overview["department"] != "",
                                               _t("no_department"))
    table = pd.crosstab(departments, overview["phase_id"])
    table = table.loc[table.sum(axis=1).sort_values(ascending=False, kind="stable").index]
    fig, ax = _figure(1.4 + 0.36 * len(table))
    left = [0] * len(table)
    for phase in PHASES:
        if phase in table.columns:
            values = table[phase].tolist()
            ax.barh(range(len(table)), values, left=left, color=PHASE_COLOURS[phase],
                    label=PHASES[phase], edgecolor="white", linewidth=0.5)
            left = [a + b for a, b in zip(left, values, strict=True)]
    ax.set_yticks(range(len(table)), [_short(str(d), 40) for d in table.index])
    ax.invert_yaxis()
    ax.set_xlabel(_t("pairings_axis"))
    _whole_numbers(ax.xaxis)
    _legend(fig, ax, 5)
    _style(ax, title)
    return fig


# -- the registry -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Chart:
    """A chart: its function, and its Danish title and alt text (``charts.toml`` keys)."""

    id: str
    draw: Callable[[Frames], Figure]

    @property
    def title(self) -> str:
        return _t(f"{self.id}_title")

    @property
    def alt(self) -> str:
        return _t(f"{self.id}_alt")


#: The coordinator's charts, in the order they are shown.
CHARTS: dict[str, Chart] = {c.id: c for c in (
    Chart("meetings", meetings_timeline), Chart("phases", phase_chart),
    Chart("departments", department_chart), Chart("goals", goals_chart),
    Chart("reached", goals_reached_chart), Chart("scores", scores_chart))}


def draw_all(frames: Frames) -> list[tuple[Chart, Figure]]:
    """Every chart of :data:`CHARTS`, drawn from ``frames``."""
    return [(chart, chart.draw(frames)) for chart in CHARTS.values()]
