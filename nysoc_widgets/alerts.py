"""Alerts for the coordinator: pairings that may be stalling.

The seeds warn that a programme without planned meetings peters out, and ask the coordinator
to take part in the closing evaluation. :func:`find_alerts` looks at each shared summary on
a day ``T`` (today) with thresholds in weeks from the coordinator's ``nysoc.toml``
(``[alerts]``; :data:`DEFAULTS` otherwise). ``N`` is a threshold, ``7N`` it in days.

=================  ==========================================================  =============
kind               fires on and after the day                                   ``since``
=================  ==========================================================  =============
``no_meeting``     ``B + 7N``, where B is the last meeting held on or before T,   ``B + 7N``
                   else the start date (``no_meeting_weeks``, default 6)
``no_next_meeting`` ``L + 1``, when no meeting is planned on or after T; L is     ``L + 1``
                   the latest meeting date held or planned, else the day the
                   agreement was made (only once there is an agreement or a
                   meeting: before that ``no_agreement`` speaks)
``no_agreement``   ``S + 7N`` without a shared agreement; S is the start date     ``S + 7N``
                   (``no_agreement_weeks``, default 4)
``past_end``       ``E + 7N + 1`` without a closing evaluation; E is the planned  ``E + 7N + 1``
                   end date (``past_end_weeks``, default 0: the day after the
                   end). A midway evaluation does not close; one of unknown type
                   (and every version 1 evaluation) does
=================  ==========================================================  =============

So each alert fires exactly on its threshold day and stays on after it; the day before, it
does not (``tests/test_alerts.py`` shows both for each kind). ``since`` is that first day.
A pairing that has not started yet (start after T) or is closed (a closing evaluation is
shared) gets no alerts. Pure functions; pandas only in :func:`alerts_frame`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from . import i18n
from .render import format_date
from .summary_reader import PairingSummary
from .workspace import ALERT_DEFAULTS

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["DEFAULTS", "KINDS", "Alert", "thresholds", "pairing_alerts", "find_alerts",
           "alerts_frame", "describe", "count_text"]

_t = i18n.scope("alerts")

#: The thresholds in weeks when ``[alerts]`` does not set them (the workspace's defaults).
DEFAULTS: dict[str, int] = ALERT_DEFAULTS
#: The kinds of alert, in the order they are listed.
KINDS = ("no_meeting", "no_next_meeting", "no_agreement", "past_end")


@dataclass(frozen=True)
class Alert:
    """One pairing that may be stalling: which, what kind, a Danish sentence, since when."""

    pairing: str
    department: str
    mentor: str
    kind: str
    text: str
    since: dt.date

    @property
    def label(self) -> str:
        """The kind in Danish, short (for tables and charts)."""
        return _t(f"kind_{self.kind}")


def thresholds(values: Mapping[str, int] | None = None) -> dict[str, int]:
    """``values`` (a workspace's ``[alerts]``, already checked) with the defaults filled in."""
    return {**DEFAULTS, **{k: int(v) for k, v in (values or {}).items() if k in DEFAULTS}}


def _weeks(days: int) -> str:
    weeks = max(days, 0) // 7
    return _t("weeks_one") if weeks == 1 else _t("weeks", n=weeks)


def pairing_alerts(p: PairingSummary, today: dt.date,
                   limits: Mapping[str, int] | None = None) -> list[Alert]:
    """The alerts of one pairing on ``today`` (see the module's table)."""
    weeks = thresholds(limits)
    start = p.programme_start
    if p.closed or (start is not None and start > today):
        return []
    found: list[tuple[str, str, dt.date]] = []
    held = [d for d in p.held if d <= today]
    base = held[-1] if held else start
    if base is not None:
        fires = base + dt.timedelta(weeks=weeks["no_meeting_weeks"])
        if today >= fires:
            text = (_t("no_meeting", weeks=_weeks((today - base).days), date=format_date(
                base.isoformat())) if held else _t("no_meeting_never", weeks=_weeks(
                    (today - base).days), date=format_date(base.isoformat())))
            found.append(("no_meeting", text, fires))
    if p.agreement is not None or p.held:
        if not any(d >= today for d in p.planned):
            dates = [*p.held, *p.planned]
            made = (p.agreement.created or p.agreement.start) if p.agreement else None
            last = max(dates) if dates else made
            if last is not None and today > last:
                text = (_t("no_next_meeting", date=format_date(last.isoformat())) if dates
                        else _t("no_next_meeting_none", date=format_date(last.isoformat())))
                found.append(("no_next_meeting", text, last + dt.timedelta(days=1)))
    if p.agreement is None and start is not None:
        fires = start + dt.timedelta(weeks=weeks["no_agreement_weeks"])
        if today >= fires:
            found.append(("no_agreement", _t("no_agreement", weeks=_weeks((today - start).days),
                                             date=format_date(start.isoformat())), fires))
    end = p.programme_end
    if end is not None:
        fires = end + dt.timedelta(weeks=weeks["past_end_weeks"], days=1)
        if today >= fires:
            key = "past_end_midway" if p.evaluations else "past_end"
            found.append(("past_end", _t(key, date=format_date(end.isoformat())), fires))
    return [Alert(p.id, p.department, p.mentor, kind, text, since)
            for kind, text, since in found]


def find_alerts(pairings: Iterable[PairingSummary], today: dt.date | None = None,
                limits: Mapping[str, int] | None = None) -> list[Alert]:
    """Every alert of ``pairings`` on ``today`` (default: today in Denmark), oldest first."""
    from .clock import today as danish_today

    day = today or danish_today()
    found = [a for p in pairings for a in pairing_alerts(p, day, limits)]
    return sorted(found, key=lambda a: (a.since, KINDS.index(a.kind), a.pairing))


def alerts_frame(alerts: Iterable[Alert]) -> pd.DataFrame:
    """The alerts as a DataFrame: pairing, department, mentor, kind, label, text, since."""
    import pandas as pd

    rows = [(a.pairing, a.department, a.mentor, a.kind, a.label, a.text, a.since)
            for a in alerts]
    frame = pd.DataFrame.from_records(rows, columns=["pairing", "department", "mentor", "kind",
                                                     "label", "text", "since"])
    frame["since"] = pd.to_datetime(frame["since"])
    return frame


def describe(limits: Mapping[str, int] | None = None) -> str:
    """The thresholds in one Danish sentence (for the notebook and the report)."""
    weeks = thresholds(limits)
    return _t("thresholds", no_meeting=weeks["no_meeting_weeks"],
              no_agreement=weeks["no_agreement_weeks"], past_end=weeks["past_end_weeks"])


def count_text(alerts: list[Any]) -> str:
    """"3 advarsler" / "1 advarsel" / "Ingen advarsler"."""
    if not alerts:
        return _t("none")
    return _t("count_one") if len(alerts) == 1 else _t("count", n=len(alerts))
