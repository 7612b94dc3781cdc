"""The coordinator's pipeline on many pairings, against a plain pandas baseline.

    python benchmarks/coordinator_bench.py [--sizes 100 1000 10000] [--runs 5] [--dir DIR]

For each size, ``synthetic_summaries.py`` writes that many version 2 summaries into a
folder (realistic shapes and sizes, ``records`` included). Then, in alternating rounds so
that noise hits both alike, after one warm-up round each:

* **nysoc**: ``coordinator_data.load_summaries`` (every file read, checked and upgraded) +
  ``build_frames`` (overview, meetings, goals, goal history, evaluations) +
  ``alerts.find_alerts`` + every chart of ``charts.CHARTS`` drawn and rendered to PNG;
* **baseline**: ``json.load`` of each file + ``pd.DataFrame``/``pd.json_normalize`` of the
  same columns (no checks) + the same six charts drawn with bare matplotlib (same figure
  sizes and layout, no Danish labels or styling) and rendered to PNG.

Prints a Markdown table: median (min–max) of each, the ratio of the medians, and how the
parts of nysoc's time split. ``run(...)`` returns the figures, so a test can run it small.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import io
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from measure import Figure, alternating, growth  # noqa: E402

TODAY = dt.date(2026, 11, 23)


def _generator() -> Any:
    spec = importlib.util.spec_from_file_location(
        "synthetic_summaries", Path(__file__).with_name("synthetic_summaries.py"))
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _png(fig: Any) -> int:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=96)
    return len(buffer.getvalue())


# -- nysoc ---------------------------------------------------------------------------------

def nysoc_pipeline(folder: Path, parts: dict[str, list[float]] | None = None) -> int:
    """Load, frames, alerts and every chart (as PNG); returns the number of pairings."""
    from nysoc_widgets.alerts import find_alerts
    from nysoc_widgets.charts import draw_all
    from nysoc_widgets.coordinator_data import build_frames, load_summaries

    marks = [time.perf_counter()]
    loaded = load_summaries(folder)
    marks.append(time.perf_counter())
    frames = build_frames(loaded, TODAY)
    marks.append(time.perf_counter())
    find_alerts(loaded.pairings, TODAY)
    marks.append(time.perf_counter())
    for _chart, fig in draw_all(frames):
        _png(fig)
    marks.append(time.perf_counter())
    if parts is not None:
        for name, a, b in zip(("load", "frames", "alerts", "charts"), marks, marks[1:],
                              strict=False):
            parts.setdefault(name, []).append(b - a)
    return len(loaded.pairings)


# -- the baseline ----------------------------------------------------------------------------

def baseline_pipeline(folder: Path) -> int:
    """The same data and charts with plain json, pandas and matplotlib."""
    import pandas as pd
    from matplotlib.figure import Figure

    docs = []
    for path in sorted(folder.glob("*.json")):
        with path.open(encoding="utf-8") as handle:
            docs.append(json.load(handle))
    today = pd.Timestamp(TODAY)
    overview = pd.json_normalize(docs)[["pairing.id", "pairing.department",
                                        "pairing.initials.mentor", "pairing.initials.mentee",
                                        "pairing.start_date", "pairing.planned_end",
                                        "phase.current"]]
    overview["start"] = pd.to_datetime(overview["pairing.start_date"])
    overview["held"] = [len(d["meetings"]["held"]) for d in docs]
    overview["planned"] = [sum(x >= TODAY.isoformat() for x in d["meetings"]["planned"])
                           for d in docs]
    overview["last"] = pd.to_datetime([max(d["meetings"]["held"], default=None)
                                       for d in docs])
    overview["days"] = (today - overview["last"]).dt.days
    overview["reached"] = [sum(g["status"] == "naaet" for g in d["learning_goals"])
                           for d in docs]
    overview["goals"] = [len(d["learning_goals"]) for d in docs]
    meetings = pd.DataFrame([(d["pairing"]["id"], x, kind) for d in docs
                             for kind in ("held", "planned") for x in d["meetings"][kind]],
                            columns=["pairing", "date", "kind"])
    meetings["date"] = pd.to_datetime(meetings["date"])
    goals = pd.json_normalize(docs, record_path="learning_goals",
                              meta=[["pairing", "id"], ["pairing", "department"]])
    history = pd.DataFrame([(d["pairing"]["id"], h["date"], h["version"], t, s)
                            for d in docs for h in d["learning_goal_history"]
                            for t, s in h["goals"].items()],
                           columns=["pairing", "date", "version", "title", "status"])
    history["date"] = pd.to_datetime(history["date"])
    scores = pd.DataFrame([(d["pairing"]["id"], e["date"], e["type"], e["by"], a, s)
                           for d in docs for e in d["evaluations"] if e["consent"] == "ja"
                           for a, s in e["scores"].items()],
                          columns=["pairing", "date", "type", "by", "aspect", "score"])

    def figure(height: float) -> tuple[Any, Any]:
        fig = Figure(figsize=(8, height), layout="constrained")
        return fig, fig.add_subplot()

    shown = overview.sort_values("start")["pairing.id"].tail(40)
    rows = {p: i for i, p in enumerate(shown)}
    mine = meetings[meetings["pairing"].isin(rows)]
    fig, ax = figure(1.6 + 0.26 * len(rows))
    for kind in ("held", "planned"):
        part = mine[mine["kind"] == kind]
        ax.scatter(part["date"], part["pairing"].map(rows), s=28)
    ax.set_yticks(list(rows.values()), list(rows))
    _png(fig)
    counts = overview["phase.current"].value_counts()
    fig, ax = figure(3.0)
    ax.barh(counts.index, counts.values)
    _png(fig)
    table = pd.crosstab(overview["pairing.department"], overview["phase.current"])
    fig, ax = figure(1.4 + 0.36 * len(table))
    left = [0] * len(table)
    for column in table.columns:
        ax.barh(table.index, table[column], left=left)
        left = [a + b for a, b in zip(left, table[column], strict=True)]
    _png(fig)
    titles = goals["title"].where(~goals["own"], "Egne")
    top = goals.assign(title=titles).groupby(["title", "status"]).size().unstack(fill_value=0)
    top = top.loc[top.sum(axis=1).sort_values(ascending=False).index[:11]]
    fig, ax = figure(1.4 + 0.36 * len(top))
    left = [0] * len(top)
    for column in top.columns:
        ax.barh(top.index, top[column], left=left)
        left = [a + b for a, b in zip(left, top[column], strict=True)]
    _png(fig)
    fig, ax = figure(3.2)
    for status in ("naaet", "i_gang"):
        per = history.assign(n=history["status"] == status).groupby(
            ["pairing", "date"])["n"].sum()
        total = per.unstack("pairing").sort_index().ffill().fillna(0).sum(axis=1)
        ax.step(total.index, total.to_numpy(), where="post")
    _png(fig)
    dist = scores.groupby(["aspect", "score"]).size().unstack(fill_value=0)
    fig, ax = figure(1.4 + 0.4 * len(dist))
    left = [0] * len(dist)
    for column in dist.columns:
        ax.barh(dist.index, dist[column], left=left)
        left = [a + b for a, b in zip(left, dist[column], strict=True)]
    _png(fig)
    return len(overview)


# -- running ---------------------------------------------------------------------------------

def run(sizes: list[int], runs: int, folder: Path | None = None,
        seed: int = 1) -> dict[int, dict[str, Any]]:
    """The figures for each size: times of nysoc and the baseline, and nysoc's parts."""
    generator = _generator()
    results: dict[int, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="nysoc-bench-") as tmp:
        base = folder or Path(tmp)
        for size in sizes:
            where = base / f"opsummeringer-{size}"
            paths = generator.write_summaries(where, size, seed=seed, today=TODAY)
            parts: dict[str, list[float]] = {}
            assert nysoc_pipeline(where) == baseline_pipeline(where) == size
            times = alternating({"nysoc": lambda w=where, p=parts: nysoc_pipeline(w, p),
                                  "baseline": lambda w=where: baseline_pipeline(w)}, runs)
            results[size] = {"nysoc": times["nysoc"], "baseline": times["baseline"],
                             "parts": {k: v[1:] for k, v in parts.items()},  # not the warm-up
                             "mb": sum(p.stat().st_size for p in paths) / 1e6}
    return results


def figures(quick: bool = False) -> list[Figure]:
    """Summarising 1,000 pairings (quick: 100) with every chart, against plain pandas and
    matplotlib on the same files (goal: ≤ 2×); growing from 10× fewer to 10× more."""
    sizes = [10, 100, 1000] if quick else [100, 1000, 10000]
    results = run(sizes, 2 if quick else 5)
    grows = growth(sizes, [statistics.median(results[n]["nysoc"]) for n in sizes],
                   " pairings")
    found = results[sizes[1]]
    return [Figure(f"summarise {sizes[1]:,} pairings' shared summaries, all 6 charts "
                   f"({found['mb']:.1f} MB of JSON)", "json + pandas + bare matplotlib",
                   found["nysoc"], found["baseline"], goal=2, growth=grows)]


def table(results: dict[int, dict[str, Any]]) -> str:
    def ms(values: list[float]) -> str:
        return (f"{statistics.median(values) * 1000:.0f} ms "
                f"({min(values) * 1000:.0f}–{max(values) * 1000:.0f})")

    lines = ["| pairings (MB of JSON) | nysoc: load + frames + alerts + 6 charts | "
             "baseline: json + pandas + bare charts | ratio | nysoc's parts (median) |",
             "| --- | --- | --- | --- | --- |"]
    for size, found in results.items():
        ratio = statistics.median(found["nysoc"]) / statistics.median(found["baseline"])
        parts = ", ".join(f"{name} {statistics.median(values) * 1000:.0f} ms"
                          for name, values in found["parts"].items())
        lines.append(f"| {size:,} ({found['mb']:.1f}) | {ms(found['nysoc'])} | "
                     f"{ms(found['baseline'])} | {ratio:.2f}× | {parts} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10000])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--dir", type=Path, help="keep the generated folders here")
    args = parser.parse_args(argv)
    print(table(run(args.sizes, args.runs, args.dir)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
