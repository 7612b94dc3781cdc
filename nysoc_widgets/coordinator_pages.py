"""What the coordinator's notebook and report show, as HTML: one :class:`CoordinatorPage`.

A page is the folder of summaries read once (:func:`coordinator_data.load_summaries`), its frames
(:func:`coordinator_data.build_frames`) and alerts (:func:`alerts.find_alerts`), and a
:class:`Selection` (department, mentor, period) that the overview, the alerts and the charts
follow. It renders four parts, each on its own (a notebook shows each under its own
heading):

- ``oversigt`` – how many pairings are shown, and the overview table;
- ``advarsler`` – the alerts and the thresholds they use;
- ``diagrammer`` – every chart of :data:`charts.CHARTS` as a PNG image with Danish alt text;
- ``problemer`` – the files in the folder that could not be read, each with its reason.

Pure: no widgets (``coordinator_view`` adds them), no files written.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from functools import cached_property
from html import escape
from pathlib import Path

from . import i18n
from .alerts import Alert, alerts_frame, count_text, describe, find_alerts, thresholds
from .coordinator_data import Frames, Loaded, build_frames, danish, load_summaries
from .render import format_date, html_table

__all__ = ["PARTS", "Selection", "CoordinatorPage"]

_t = i18n.scope("coordinator")

#: The parts of the page, in the order the notebook shows them.
PARTS = ("oversigt", "advarsler", "diagrammer", "problemer")


def _wide(table: str) -> str:
    """A wide table: a little smaller, and scrolling sideways rather than cut off."""
    return f'<div style="overflow-x:auto;font-size:0.85em">{table}</div>'


@dataclass(frozen=True)
class Selection:
    """The filters: a department, a mentor (initials) and a period (both days included)."""

    department: str | None = None
    mentor: str | None = None
    start: dt.date | None = None
    end: dt.date | None = None

    @property
    def empty_period(self) -> bool:
        return self.start is not None and self.end is not None and self.start > self.end

    def describe(self) -> str:
        """The filters in use, in Danish ("" when none)."""
        parts = []
        if self.department:
            parts.append(_t("selected_department", department=self.department))
        if self.mentor:
            parts.append(_t("selected_mentor", mentor=self.mentor))
        if self.start or self.end:
            parts.append(_t("selected_period",
                            start=format_date(self.start.isoformat()) if self.start else "…",
                            end=format_date(self.end.isoformat()) if self.end else "…"))
        return " · ".join(parts)


@dataclass(frozen=True, eq=False)
class CoordinatorPage:
    """A folder of summaries as the coordinator sees it, narrowed by ``selection``."""

    loaded: Loaded
    frames: Frames
    alerts: tuple[Alert, ...]
    limits: dict[str, int]
    selection: Selection = Selection()

    @classmethod
    def read(cls, folder: str | Path, *, today: dt.date | None = None,
             limits: dict[str, int] | None = None) -> CoordinatorPage:
        """Read ``folder`` now (``today``: default today in Denmark)."""
        loaded = load_summaries(folder)
        frames = build_frames(loaded, today)
        return cls(loaded, frames, tuple(find_alerts(loaded.pairings, frames.today, limits)),
                   thresholds(limits))

    def select(self, selection: Selection) -> CoordinatorPage:
        """The same page with other filters."""
        return dataclasses.replace(self, selection=selection)

    @property
    def departments(self) -> list[str]:
        return sorted({p.department for p in self.loaded.pairings if p.department})

    @property
    def mentors(self) -> list[str]:
        return sorted({p.mentor for p in self.loaded.pairings if p.mentor})

    @cached_property
    def shown(self) -> Frames:
        """The frames narrowed by the selection."""
        s = self.selection
        return self.frames.filtered(department=s.department, mentor=s.mentor, start=s.start,
                                    end=s.end)

    @cached_property
    def shown_alerts(self) -> list[Alert]:
        """The alerts of the pairings the selection shows."""
        keep = set(self.shown.overview["pairing"])
        return [a for a in self.alerts if a.pairing in keep]

    # -- the parts ---------------------------------------------------------------------------

    def html(self, part: str) -> str:
        """One part (see :data:`PARTS`) as HTML."""
        render = {"oversigt": self._overview, "advarsler": self._alerts,
                  "diagrammer": self._charts, "problemer": self._problems}[part]
        return f'<div class="nysoc-coordinator nysoc-coordinator-{part}">{render()}</div>'

    def _lead(self) -> str:
        """Which pairings are shown, and by which filters."""
        total, shown = len(self.frames.overview), len(self.shown.overview)
        line = (_t("showing_all", count=total) if shown == total
                else _t("showing", shown=shown, count=total))
        filters = self.selection.describe()
        note = f"<br><small>{escape(filters)}</small>" if filters else ""
        warning = (f'<br><strong>{escape(_t("empty_period"))}</strong>'
                   if self.selection.empty_period else "")
        return f'<p class="nysoc-coordinator-lead">{escape(line)}{note}{warning}</p>'

    def _overview(self) -> str:
        if self.frames.overview.empty:
            return f"<p>{escape(_t('no_summaries', folder=str(self.loaded.folder)))}</p>"
        table = (_wide(html_table(danish(self.shown.overview, "overview")))
                 if len(self.shown.overview) else f"<p>{escape(_t('none_selected'))}</p>")
        as_of = _t("as_of", date=format_date(self.frames.today.isoformat()))
        return f"{self._lead()}{table}<p><small>{escape(as_of)}</small></p>"

    def _alerts(self) -> str:
        alerts = self.shown_alerts
        parts = [f"<p><strong>{escape(count_text(alerts))}</strong></p>"]
        if alerts:
            frame = alerts_frame(alerts)
            parts.append(_wide(html_table(danish(frame, "alerts"))))
        parts.append(f"<p><small>{escape(describe(self.limits))}</small></p>")
        return "".join(parts)

    def _charts(self) -> str:
        from .charts import draw_all
        from .render import figure_uri

        parts = [self._lead()]
        for chart, fig in draw_all(self.shown):
            parts.append(f'<figure class="nysoc-chart nysoc-chart-{chart.id}" style="margin:1em 0">'
                         f'<img src="{figure_uri(fig)}" alt="{escape(chart.alt)}" '
                         f'title="{escape(chart.title)}" style="max-width:100%;height:auto">'
                         "</figure>")
        return "".join(parts)

    def _problems(self) -> str:
        problems = self.loaded.problems
        read = len(self.loaded.pairings)
        if not problems:
            return f"<p>{escape(_t('no_problems', count=read))}</p>"
        items = "".join(f"<li>{escape(str(p))}</li>" for p in problems)
        head = _t("problems_one") if len(problems) == 1 else _t("problems",
                                                                  count=len(problems))
        return (f"<p><strong>{escape(head)}</strong></p><ul class=\"nysoc-problems\">{items}"
                f"</ul><p><small>{escape(_t('problems_help'))}</small></p>")

    def _repr_html_(self) -> str:
        return "".join(self.html(part) for part in PARTS)

    def __repr__(self) -> str:
        lines = [_t("showing", shown=len(self.shown.overview), count=len(self.frames.overview)),
                 count_text(self.shown_alerts)]
        lines += [str(p) for p in self.loaded.problems]
        return "\n".join(lines)
