"""Summaries of a workspace's records: small pandas tables with Danish headings.

``summarise(workspace, template_id)`` is the edge: it reads the store once. Everything
else is a pure function of :func:`~nysoc_widgets.records.records_to_frame` output (and
the template), so it is tested without a kernel or a store:

- :func:`entry_dates` – the day each record is about: the template's first date field,
  else the (Danish) day the record was written;
- :func:`per_month` – records per calendar month ("november 2026"), quiet months included;
- :func:`goals_touched` – learning goal → number of records that name it;
- :func:`summarise_frame` – all of it as a :class:`Summary`, which renders itself as HTML.

A summary holds counts and dates only, never the text that was written. The one exception
is the titles of the pair's own learning goals as they stand in the latest learning-goal
record (a logbook entry can name them, ``choices_from_saved``): the mentee's summary counts
them by title. Any other text a goal field holds (a goal renamed or removed since, an id of
an older template version) is counted as "other", never shown. pandas is imported inside
the functions: a user opening a form must not pay for it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

from . import i18n
from .clock import LOCAL_ZONE
from .fields import Field
from .render import format_date, html_table
from .templates import Template

if TYPE_CHECKING:
    import pandas as pd

    from .store import Store
    from .workspace import Workspace

__all__ = [
    "GOAL_FIELDS",
    "GOAL_SOURCE",
    "Summary",
    "entry_dates",
    "goal_field",
    "goals_touched",
    "month_label",
    "per_month",
    "summarise",
    "summarise_frame",
]

#: Field ids that hold the learning goals a record is about (a multi-choice or checklist).
GOAL_FIELDS = ("laeringsmaal",)
#: ``choices_from`` prefix of a field whose choices are the learning goals.
GOAL_SOURCE = "laeringsmaal."

#: The time zone that decides which day (and month) a record was written on.


_t = i18n.scope("summaries")


def month_label(year: int, month: int) -> str:
    """The Danish name of a month, e.g. ``month_label(2026, 11) == "november 2026"``."""
    return format_date(f"{year:04d}-{month:02d}-01").partition(" ")[2]


def goal_field(template: Template) -> Field | None:
    """The template's learning-goal field, or None.

    A multi-choice or checklist field named in :data:`GOAL_FIELDS`, or one that takes its
    choices from the learning-goal template (``choices_from`` or ``choices_from_saved`` =
    ``"laeringsmaal.…"``), so a workplace's own template is summarised the same way.
    """
    for fld in template.fields:
        borrowed = [fld.choices_from or "", fld.choices_from_saved or ""]
        if fld.kind in ("multi_choice", "checklist") and (
                fld.id in GOAL_FIELDS or any(b.startswith(GOAL_SOURCE) for b in borrowed)):
            return fld
    return None


def _date_field(template: Template | None) -> str | None:
    if template is None:
        return None
    return next((f.id for f in template.fields if f.kind == "date"), None)


def _local_days(written: pd.Series) -> pd.Series:
    """UTC times as the local calendar day (naive midnight)."""
    import pandas as pd

    stamps = pd.to_datetime(written, utc=True, errors="coerce")
    try:
        local = stamps.dt.tz_convert(LOCAL_ZONE)
    except Exception:  # noqa: BLE001 - no time-zone data on this machine: keep UTC
        local = stamps
    return local.dt.tz_localize(None).dt.normalize().astype("datetime64[ns]")


def entry_dates(frame: pd.DataFrame, date_field: str | None = None) -> pd.Series:
    """The day each row (record) is about, as naive ``datetime64[ns]`` at midnight.

    The answer to ``date_field`` when the record has one; otherwise the day the record
    was written (``created``), in Danish time.
    """
    import pandas as pd

    written = _local_days(frame["created"]) if "created" in frame else pd.Series(
        pd.NaT, index=frame.index, dtype="datetime64[ns]")
    if not date_field or date_field not in frame:
        return written
    given = pd.to_datetime(frame[date_field], errors="coerce")
    if getattr(given.dt, "tz", None) is not None:
        given = given.dt.tz_localize(None)
    given = given.dt.normalize().astype("datetime64[ns]")
    return given.fillna(written)


def per_month(dates: pd.Series, drafts: pd.Series | None = None) -> pd.DataFrame:
    """Records per month from first to last, months without records included (as 0).

    ``dates`` holds one day per record (see :func:`entry_dates`); ``drafts`` marks the
    records that are drafts (same index). Columns (Danish): month, records, of which drafts.
    """
    import pandas as pd

    month, entries, of_drafts = _t("col_month"), _t("col_entries"), _t("col_drafts")
    known = dates.dropna()
    if known.empty:
        return pd.DataFrame({month: pd.Series(dtype="object"),
                             entries: pd.Series(dtype="int64"),
                             of_drafts: pd.Series(dtype="int64")})
    periods = known.dt.to_period("M")
    months = pd.period_range(periods.min(), periods.max(), freq="M")
    counts = periods.value_counts().reindex(months, fill_value=0)
    if drafts is None:
        draft_counts = pd.Series(0, index=months)
    else:
        flagged = periods[drafts.reindex(periods.index, fill_value=False).astype(bool)]
        draft_counts = flagged.value_counts().reindex(months, fill_value=0)
    return pd.DataFrame({
        month: [month_label(p.year, p.month) for p in months],
        entries: counts.to_numpy(dtype="int64"),
        of_drafts: draft_counts.to_numpy(dtype="int64"),
    })


def goals_touched(frame: pd.DataFrame, fld: Field, own: Sequence[str] = ()) -> pd.DataFrame:
    """Learning goal (Danish label) → number of records naming it; most-named first.

    A record counts once per goal. ``own`` holds the pair's own goals (their titles, as the
    latest learning-goal record has them); they count by title, after the template's
    choices when counts are equal. Anything else a record names (a goal renamed or removed
    since, an older version's choice id) counts once per record as "other", last: a
    summary never shows text that is not a goal of the pair's.
    """
    import pandas as pd

    order = {c.id: i for i, c in enumerate(fld.choices)}
    order.update({g: len(fld.choices) + i for i, g in enumerate(own) if g not in order})
    other = _t("other_goals")
    counts: Counter[str] = Counter()
    if fld.id in frame:
        for chosen in frame[fld.id]:
            if isinstance(chosen, (list, tuple, set)):
                counts.update({g if g in order else other for g in chosen})
    ranked = sorted(counts, key=lambda g: (g == other, -counts[g], order.get(g, 0), g))
    return pd.DataFrame({
        _t("col_goal"): pd.Series([fld.choice_label(g) for g in ranked], dtype="object"),
        _t("col_entries"): pd.Series([counts[g] for g in ranked], dtype="int64"),
    })


@dataclass(frozen=True, eq=False)
class Summary:
    """An overview of one template's records: counts and dates, never the written text.

    ``per_month`` and ``goals`` are DataFrames with Danish column names; ``goals`` is
    None when the template has no learning-goal field. ``last_entry`` is an ISO date.
    """

    template_id: str
    title: str
    total: int
    drafts: int
    last_entry: str | None
    per_month: pd.DataFrame
    goals: pd.DataFrame | None = None

    @property
    def empty(self) -> bool:
        """True when there is nothing to summarise yet."""
        return self.total == 0

    def totals_text(self) -> str:
        """One Danish sentence: how many records, and the date of the latest."""
        if self.empty:
            return _t("empty", title=self.title)
        date = format_date(self.last_entry)
        text = (_t("total_one", date=date) if self.total == 1
                else _t("total", count=self.total, date=date))
        if self.drafts:
            text += " " + (_t("drafts_one") if self.drafts == 1
                           else _t("drafts", count=self.drafts))
        return text

    def _repr_html_(self) -> str:
        head = (f'<div class="nysoc-summary" data-template="{escape(self.template_id)}">'
                f"<h3>{escape(_t('heading', title=self.title))}</h3>")
        if self.empty:
            return head + f"<p>{escape(self.totals_text())}</p></div>"
        parts = [head, f'<p class="nysoc-summary-total">{escape(self.totals_text())}</p>',
                 f"<h4>{escape(_t('per_month_heading'))}</h4>",
                 html_table(self.per_month if self.drafts else self.per_month.iloc[:, :2])]
        if self.goals is not None:
            parts.append(f"<h4>{escape(_t('goals_heading'))}</h4>")
            parts.append(html_table(self.goals) if len(self.goals)
                         else f"<p>{escape(_t('goals_none'))}</p>")
        parts.append(f"<p><small>{escape(_t('refresh_hint'))}</small></p></div>")
        return "".join(parts)

    def __repr__(self) -> str:
        lines = [_t("heading", title=self.title), self.totals_text()]
        if not self.empty:
            lines += ["", _t("per_month_heading"), self.per_month.to_string(index=False)]
            if self.goals is not None and len(self.goals):
                lines += ["", _t("goals_heading"), self.goals.to_string(index=False)]
        return "\n".join(lines)


def _drafts(frame: pd.DataFrame) -> pd.Series | None:
    """True for the rows that are drafts (None without a ``status`` column)."""
    if "status" not in frame:
        return None
    return frame["status"].eq("draft").astype(bool)


def summarise_frame(frame: pd.DataFrame, template: Template,
                    own_goals: Sequence[str] = ()) -> Summary:
    """The :class:`Summary` of ``frame`` (``records_to_frame`` output for ``template``);
    ``own_goals``: the pair's own learning goals (see :func:`goals_touched`)."""
    dates = entry_dates(frame, _date_field(template))
    drafts = _drafts(frame)
    fld = goal_field(template)
    last = dates.max() if len(dates) else None
    return Summary(
        template_id=template.id,
        title=template.title.da,
        total=len(frame),
        drafts=int(drafts.sum()) if drafts is not None else 0,
        last_entry=last.date().isoformat() if last is not None and last == last else None,
        per_month=per_month(dates, drafts),
        goals=goals_touched(frame, fld, own_goals) if fld is not None else None,
    )


def summarise(workspace: str | Path | Workspace | None, template_id: str) -> Summary:
    """The summary of this workspace's pairing's records of ``template_id``.

    ``workspace`` is a :class:`~nysoc_widgets.workspace.Workspace`, a folder, or None
    (found as in :func:`~nysoc_widgets.workspace.find_workspace`).
    """
    from .records import records_to_frame
    from .workspace import Workspace, find_workspace

    ws = workspace if isinstance(workspace, Workspace) else find_workspace(workspace)
    template = ws.catalogue().get(template_id)
    fld = goal_field(template)
    with ws.open_store() as store:
        records = store.list_records(pairing=ws.pairing or None, template_id=template_id)
        own = _own_goals(store, ws, fld) if fld is not None else []
    return summarise_frame(records_to_frame(records, template), template, own)


def _own_goals(store: Store, ws: Workspace, fld: Field) -> list[str]:
    """The pair's goals that ``fld`` offers from its saved records (``choices_from_saved``):
    the texts among them, not the template's own choices."""
    from .saved_choices import needed_templates, readable, saved_options

    if not fld.choices_from_saved or not ws.pairing:
        return []
    found = [r for tid in needed_templates([fld])
             for r in store.list_records(pairing=ws.pairing, template_id=tid)]
    own = {c.id for c in fld.choices}
    return [o.value for o in saved_options(fld, readable(found, ws.role),
                                           store.template_snapshot) if o.value not in own]
