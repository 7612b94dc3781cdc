"""The benchmarks' common parts: timing in alternating rounds, one figure per row, growth.

A :class:`Figure` is one row of ``docs/performance.md``: nysoc's times and the baseline's,
measured in the same run (absolute times on shared machines drift; ratios hold), the goal
on the ratio, and how nysoc's time grows from 10× less to 10× more work.
"""

from __future__ import annotations

import math
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

__all__ = ["Figure", "timed", "alternating", "growth", "percentile", "table", "span"]


def timed(action: Callable[[], object], runs: int) -> list[float]:
    """Wall times of ``runs`` calls of ``action``, in seconds."""
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        out.append(time.perf_counter() - start)
    return out


def alternating(actions: dict[str, Callable[[], object]], runs: int,
                warm_up: bool = True) -> dict[str, list[float]]:
    """Each action ``runs`` times, in alternating rounds (after one warm-up round), so that
    noise from other work on the machine hits every column alike; seconds."""
    if warm_up:
        for action in actions.values():
            action()
    times: dict[str, list[float]] = {name: [] for name in actions}
    for _ in range(runs):
        for name, action in actions.items():
            began = time.perf_counter()
            action()
            times[name].append(time.perf_counter() - began)
    return times


def percentile(samples: Sequence[float], p: float) -> float:
    """The ``p``-th percentile (1–99) of ``samples``."""
    if len(samples) < 2:
        return samples[0]
    return statistics.quantiles(samples, n=100, method="inclusive")[int(p) - 1]


def _ms(seconds: float) -> str:
    ms = seconds * 1000
    return f"{ms:.2f} ms" if ms < 10 else f"{ms:.0f} ms" if ms >= 100 else f"{ms:.1f} ms"


def span(times: Sequence[float], stat: str = "median") -> str:
    """``median (min–max)`` of ``times`` (seconds), readable; ``stat`` ``p99``: the 99th
    percentile instead of the median."""
    middle = percentile(times, 99) if stat == "p99" else statistics.median(times)
    return f"{_ms(middle)} ({_ms(min(times))}–{_ms(max(times))})"


def growth(sizes: Sequence[float], medians: Sequence[float], unit: str = "") -> str:
    """How a time grows over ``sizes`` (10× apart): the medians, and whether that is
    constant, sublinear, linear or superlinear (the exponent of a power law through the
    ends)."""
    shown = ", ".join(f"{size:,g}{unit}: {_ms(m)}" for size, m in zip(sizes, medians,
                                                                   strict=True))
    exponent = math.log(medians[-1] / medians[0]) / math.log(sizes[-1] / sizes[0])
    kind = ("about constant" if exponent < 0.25 else "sublinear" if exponent < 0.8
            else "linear" if exponent <= 1.2 else "superlinear")
    return f"{shown} – {kind} (×{10 ** exponent:.1f} per 10× work)"


@dataclass
class Figure:
    """One row: ``ours`` and ``base`` are wall times in seconds of the same work."""

    name: str
    baseline: str
    ours: list[float]
    base: list[float]
    goal: float | None = None  # the largest ratio allowed; None: reported only
    growth: str = ""           # how nysoc's time grows from 10× less to 10× more work
    stat: str = "median"       # or "p99": the ratio of the 99th percentiles
    note: str = ""             # another figure the row reports (throughput, size …)

    def _middle(self, times: list[float]) -> float:
        return percentile(times, 99) if self.stat == "p99" else statistics.median(times)

    @property
    def ratio(self) -> float:
        """nysoc's time over the baseline's (median, or p99)."""
        return self._middle(self.ours) / self._middle(self.base)

    @property
    def met(self) -> bool | None:
        """Whether the goal is met (None: no goal, reported only)."""
        return None if self.goal is None else self.ratio <= self.goal

    def row(self) -> str:
        goal = "report" if self.goal is None else f"≤ {self.goal:g}×"
        met = {None: "–", True: "yes", False: "**no**"}[self.met]
        note = f" {self.note}" if self.note else ""
        return (f"| {self.name} | {span(self.ours, self.stat)}{note} | {self.baseline}: "
                f"{span(self.base, self.stat)} | {self.ratio:.2f}× | {goal} | {met} | "
                f"{self.growth or '–'} |")


def table(figures: Sequence[Figure]) -> str:
    """The figures as one Markdown table."""
    head = ["| figure | nysoc: median (min–max) | baseline: median (min–max) | ratio | goal "
            "| met | growth, 10× less → 10× more work |",
            "| --- | --- | --- | --- | --- | --- | --- |"]
    return "\n".join(head + [f.row() for f in figures])
