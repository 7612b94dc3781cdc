"""The coordinator's data: every shared summary in a folder, as pandas DataFrames.

- :func:`load_summaries` reads every ``*.json`` file in a folder (the pairs write
  ``<pairing>.nysoc-summary.json``) with :func:`summary_reader.read_summary`. A file that
  cannot be read, is not JSON, is cut short, is not a ``nysoc-summary``, is written by a
  newer nysoc or is malformed is skipped and listed in :attr:`Loaded.problems` with a Danish
  reason naming the file; the rest loads. Two files about the same pairing: the newer is
  used and the other listed.
- :func:`build_frames` turns the pairings into :class:`Frames`: the overview (one row per
  pairing), the meetings (one row per date held or planned), the learning goals, their
  history and the evaluations (scores in long form, and one row per evaluation).
  :meth:`Frames.filtered` narrows them by department, mentor and period.
- :func:`danish` gives a frame for display: Danish column names and values, dates the
  Danish way.

Column names are English (code reads them); what a user reads comes from
``locale/coordinator.toml``. Nothing here imports the store: the coordinator's data is only
what the pairs shared. pandas is imported where used.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import i18n
from .errors import SummaryError
from .glossary import PHASES
from .summary_reader import PairingSummary, read_summary

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "SUFFIX",
    "MAX_BYTES",
    "Loaded",
    "Frames",
    "summary_files",
    "read_summary_file",
    "load_summaries",
    "build_frames",
    "danish",
]

_t = i18n.scope("coordinator")

#: How a pair names its summary file; any other ``*.json`` in the folder is read too.
SUFFIX = ".nysoc-summary.json"
#: A summary is a few kilobytes; a file larger than this is not one.
MAX_BYTES = 5 * 1024 * 1024
#: The format's neutral title of a pair's own learning goal (``boundary.OWN_GOAL_LABEL``).
OWN_GOAL = re.compile(r"Eget læringsmål \d+")


@dataclass(frozen=True)
class Loaded:
    """The summaries read from ``folder`` and the files skipped, each with its reason."""

    folder: Path
    pairings: tuple[PairingSummary, ...]
    problems: tuple[SummaryError, ...]


def summary_files(folder: Path) -> list[Path]:
    """The JSON files of ``folder`` (not its sub-folders' files), by name; hidden and
    temporary files (a share being written: ``.name.tmp``) are left alone."""
    return sorted((p for p in folder.iterdir() if p.name.lower().endswith(".json")
                   and not p.name.startswith(".")), key=lambda p: p.name)


def read_summary_file(path: Path) -> PairingSummary:
    """One summary file; :class:`SummaryError` (naming the file) when it cannot be used."""
    name = path.name

    def problem(key: str, **values: Any) -> SummaryError:
        return SummaryError(file=name, reason_key=f"coordinator.{key}", reason_values=values)

    if path.is_dir():
        raise problem("unreadable", error=_t("is_folder"))
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise problem("too_big", size=f"{size / 1024 / 1024:.0f}".replace(".", ","))
        raw = path.read_bytes()
    except OSError as exc:
        raise problem("unreadable", error=_os_reason(exc)) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise problem("not_utf8") from None
    if not text.strip():
        raise problem("empty")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        cut = exc.pos >= len(text.rstrip()) or exc.msg.startswith("Unterminated string")
        key = "truncated" if cut else "not_json"
        raise problem(key, line=exc.lineno, column=exc.colno) from None
    except RecursionError:
        raise problem("not_json", line=1, column=1) from None
    return read_summary(data, name)


def _os_reason(exc: OSError) -> str:
    import errno

    key = f"cli.errno_{errno.errorcode.get(exc.errno or 0, '')}"
    return i18n.t(key) if i18n.has(key) else (exc.strerror or type(exc).__name__)


def load_summaries(folder: str | os.PathLike[str]) -> Loaded:
    """Every summary in ``folder``; the files that cannot be used are listed, not raised.

    Raises :class:`SummaryError` only when the folder itself cannot be read.
    """
    path = Path(folder)
    try:
        files = summary_files(path)
    except OSError as exc:
        raise SummaryError("coordinator.no_folder", path=str(path),
                           reason=_os_reason(exc)) from None
    found: dict[str, PairingSummary] = {}
    problems: list[SummaryError] = []
    for file in files:
        try:
            summary = read_summary_file(file)
        except SummaryError as exc:
            problems.append(exc)
            continue
        other = found.get(summary.id)
        if other is not None:
            newer, older = sorted((other, summary), key=_freshness, reverse=True)
            found[summary.id] = newer
            problems.append(SummaryError(file=older.file, reason_key="coordinator.duplicate",
                                         reason_values={"pairing": summary.id,
                                                        "kept": newer.file}))
        else:
            found[summary.id] = summary
    problems.sort(key=lambda p: str(p.details.get("file")))
    return Loaded(path, tuple(sorted(found.values(), key=lambda p: p.id)), tuple(problems))


def _freshness(summary: PairingSummary) -> tuple[str, str]:
    return (summary.shared_at.isoformat() if summary.shared_at else
            (summary.generated.isoformat() if summary.generated else ""), summary.file)


# -- the frames ------------------------------------------------------------------------------

#: Columns of each frame, in order (English; :func:`danish` names them for display).
COLUMNS: dict[str, tuple[str, ...]] = {
    "overview": ("pairing", "department", "mentor", "mentee", "start", "planned_end",
                 "phase", "phase_id", "meetings_held", "meetings_planned", "meetings_agreed",
                 "last_meeting", "days_since_meeting", "next_meeting", "goals_reached",
                 "goals_total", "evaluation", "evaluation_average", "closed_on", "as_of"),
    "meetings": ("pairing", "department", "mentor", "date", "kind", "upcoming"),
    "goals": ("pairing", "department", "mentor", "title", "own", "status"),
    "goal_history": ("pairing", "department", "mentor", "date", "version", "title", "own",
                     "status"),
    "evaluations": ("pairing", "department", "mentor", "date", "type", "by", "aspect",
                    "aspect_label", "score"),
    "evaluation_rounds": ("pairing", "department", "mentor", "date", "type", "by", "consent",
                          "average"),
}
#: Columns shown to a user, per frame, in order.
SHOWN: dict[str, tuple[str, ...]] = {
    "overview": ("pairing|department", "mentor/mentee", "start", "phase",
                 "meetings_held/meetings_planned", "days_since_meeting", "next_meeting",
                 "goals_reached/goals_total", "evaluation_average", "as_of"),
    "meetings": ("pairing", "department", "mentor", "date", "kind"),
    "goals": ("pairing", "department", "mentor", "title", "status"),
    "goal_history": ("pairing", "department", "date", "title", "status"),
    "evaluations": ("pairing", "department", "date", "type", "by", "aspect_label", "score"),
    "evaluation_rounds": ("pairing", "department", "mentor", "date", "type", "by", "consent",
                          "average"),
    "alerts": ("pairing", "department", "mentor", "text", "since"),
}
_DATES = ("start", "planned_end", "last_meeting", "next_meeting", "closed_on", "as_of", "date",
          "since")


@dataclass(frozen=True)
class Frames:
    """The coordinator's DataFrames (see :data:`COLUMNS`), as of ``today``."""

    today: dt.date
    overview: pd.DataFrame
    meetings: pd.DataFrame
    goals: pd.DataFrame
    goal_history: pd.DataFrame
    evaluations: pd.DataFrame
    evaluation_rounds: pd.DataFrame

    def filtered(self, *, department: str | None = None, mentor: str | None = None,
                 start: dt.date | None = None, end: dt.date | None = None) -> Frames:
        """The pairings of ``department`` and ``mentor`` (initials) whose programme runs
        in the period ``start``–``end`` (both included; a programme runs from its start to
        its closing evaluation, or on); the dated rows narrowed to that period too."""
        import pandas as pd

        view = self.overview
        if department:
            view = view[view["department"] == department]
        if mentor:
            view = view[view["mentor"] == mentor]
        if end is not None:
            view = view[view["start"].isna() | (view["start"] <= pd.Timestamp(end))]
        if start is not None:
            view = view[view["closed_on"].isna() | (view["closed_on"] >= pd.Timestamp(start))]
        keep = set(view["pairing"])

        def narrow(frame: pd.DataFrame) -> pd.DataFrame:
            rows = frame["pairing"].isin(keep)
            if "date" in frame.columns:
                if start is not None:
                    rows &= frame["date"] >= pd.Timestamp(start)
                if end is not None:
                    rows &= frame["date"] <= pd.Timestamp(end)
            return frame[rows].reset_index(drop=True)

        return dataclasses.replace(
            self, overview=view.reset_index(drop=True), meetings=narrow(self.meetings),
            goals=narrow(self.goals), goal_history=narrow(self.goal_history),
            evaluations=narrow(self.evaluations),
            evaluation_rounds=narrow(self.evaluation_rounds))


def build_frames(pairings: Any, today: dt.date | None = None) -> Frames:
    """The :class:`Frames` of ``pairings`` (a :class:`Loaded` or its pairings) on ``today``
    (default: today in Denmark)."""
    from .clock import today as danish_today

    day = today or danish_today()
    found = pairings.pairings if isinstance(pairings, Loaded) else tuple(pairings)
    rows: dict[str, list[tuple[Any, ...]]] = {name: [] for name in COLUMNS}
    for p in found:
        who = (p.id, p.department, p.mentor)
        rows["overview"].append(_overview_row(p, day))
        rows["meetings"] += [(*who, d, "held", False) for d in p.held]
        rows["meetings"] += [(*who, d, "planned", d >= day) for d in p.planned]
        rows["goals"] += [(*who, g.title, g.own, g.status) for g in p.goals]
        rows["goal_history"] += [(*who, s.date, s.version, title, bool(OWN_GOAL.fullmatch(title)),
                                  status) for s in p.goal_history for title, status in s.goals]
        for e in p.evaluations:
            labels = dict(e.labels)
            rows["evaluations"] += [(*who, e.day, e.type, e.by, aspect,
                                     labels.get(aspect, aspect), score)
                                    for aspect, score in e.scores]
            rows["evaluation_rounds"].append((*who, e.day, e.type, e.by, e.consent, e.average))
    return Frames(day, **{name: _frame(name, rows[name]) for name in COLUMNS})


def _frame(name: str, rows: list[tuple[Any, ...]]) -> pd.DataFrame:
    import pandas as pd

    frame = pd.DataFrame.from_records(rows, columns=list(COLUMNS[name]))
    for column in frame.columns:
        if column in _DATES:
            frame[column] = pd.to_datetime(frame[column])
    for column in ("meetings_held", "meetings_planned", "goals_reached", "goals_total"):
        if column in frame.columns:
            frame[column] = frame[column].astype("int64")
    for column in ("meetings_agreed", "days_since_meeting", "version", "score"):
        if column in frame.columns:
            frame[column] = frame[column].astype("Int64")
    for column in ("evaluation_average", "average"):
        if column in frame.columns:
            frame[column] = frame[column].astype("float64")
    return frame


def _overview_row(p: PairingSummary, today: dt.date) -> tuple[Any, ...]:
    past = [d for d in p.held if d <= today]
    upcoming = [d for d in p.planned if d >= today]
    closing = [e for e in p.evaluations if e.closing]
    used = closing or list(p.evaluations)
    scores = [s for e in used if e.consent == "ja" for _, s in e.scores]
    closed_on = max((e.day for e in closing if e.day), default=None)
    if closing and closed_on is None:
        closed_on = today  # closed, day unknown: it ran until it was shared
    return (p.id, p.department, p.mentor, p.mentee, p.programme_start, p.programme_end,
            PHASES.get(p.phase, p.phase), p.phase, len(p.held), len(upcoming),
            p.agreement.meetings_agreed if p.agreement else None,
            past[-1] if past else None, (today - past[-1]).days if past else None,
            upcoming[0] if upcoming else None,
            sum(1 for g in p.goals if g.status == "naaet"), len(p.goals),
            (used[-1].type or "afslutning") if used else None,
            round(sum(scores) / len(scores), 2) if scores else None, closed_on, p.as_of)


# -- for display ---------------------------------------------------------------------------

def danish(frame: pd.DataFrame, kind: str) -> pd.DataFrame:
    """``frame`` (one of :data:`SHOWN`'s kinds) as a user reads it: the shown columns with
    Danish names, dates as "23. nov. 2026", ids as Danish words, "–" for nothing; two
    columns shown as one read "4 / 6" ("a/b" in :data:`SHOWN`) or stand on two lines
    ("a|b")."""
    import pandas as pd

    from .render import format_short_date

    values = {"kind": "kind_", "status": "status_", "type": "type_", "by": "by_",
              "consent": "consent_"}
    out = pd.DataFrame(index=frame.index)
    for column in SHOWN[kind]:
        shown: list[Any]
        if "|" in column:
            first, second = column.split("|")
            out[_t(f"col_{first}_{second}")] = [f"{a}\n{b}" if b else a for a, b in
                                                 zip(frame[first], frame[second], strict=True)]
            continue
        if "/" in column:
            first, second = column.split("/")
            out[_t(f"col_{first}_{second}")] = [f"{a or '–'} / {b or '–'}" if isinstance(a, str)
                                                 else f"{a} / {b}" for a, b in
                                                 zip(frame[first], frame[second], strict=True)]
            continue
        series = frame[column]
        if column in _DATES:
            shown = [format_short_date(v.date(), year=True) if not pd.isna(v) else "–"
                     for v in series]
        elif column in values:
            shown = [_t(values[column] + str(v)) if isinstance(v, str) else "–"
                     for v in series]
        elif column in ("evaluation_average", "average"):
            shown = [f"{v:.1f}".replace(".", ",") if not pd.isna(v) else "–" for v in series]
        elif series.dtype == "Int64":
            shown = [int(v) if not pd.isna(v) else "–" for v in series]
        else:
            out[_t(f"col_{column}")] = series
            continue
        out[_t(f"col_{column}")] = shown
    return out.reset_index(drop=True)
