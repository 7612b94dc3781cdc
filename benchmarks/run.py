"""nysoc's benchmarks: each figure as a ratio against a baseline measured in the same run.

Run with ``make bench`` (or ``python benchmarks/run.py [--quick]``). Prints a Markdown table
and writes it to ``docs/performance.md``. Absolute times on shared machines drift; the
ratios are what the goals are set on.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def timed(action: Callable[[], object], runs: int) -> list[float]:
    """Wall times of ``runs`` calls of ``action``, in seconds."""
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        out.append(time.perf_counter() - start)
    return out


def cold_import(statement: str, runs: int) -> list[float]:
    """Wall times of fresh interpreters running ``statement`` (the whole process)."""
    cmd = [sys.executable, "-c", statement]
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True, cwd=ROOT)
        times.append(time.perf_counter() - start)
    return times


def row(name: str, ours: list[float], base: list[float], goal: str) -> str:
    ratio = statistics.median(ours) / statistics.median(base)
    return (f"| {name} | {statistics.median(ours) * 1000:.1f} ms "
            f"({min(ours) * 1000:.1f}–{max(ours) * 1000:.1f}) | "
            f"{statistics.median(base) * 1000:.1f} ms | {ratio:.2f}× | {goal} |")


def bench_import(runs: int) -> list[str]:
    base = cold_import("import ipywidgets", runs)
    return [
        row("cold `import nysoc_widgets`", cold_import("import nysoc_widgets", runs), base,
            "≤ 1.2× `import ipywidgets`"),
        row("cold `import nysoc_widgets` + form engine",
            cold_import("import nysoc_widgets; nysoc_widgets.Form", runs), base, "report"),
    ]


def bench_forms(runs: int) -> list[str]:
    import ipywidgets as w

    from nysoc_widgets.catalogue import Catalogue
    from nysoc_widgets.forms import Form

    lines = []
    for template in Catalogue.load():
        if template.kind != "form":
            continue
        n = len(template.fields)
        ours = timed(lambda t=template: Form(t), runs)  # type: ignore[misc]
        base = timed(lambda n=n: w.VBox([w.Textarea(description=f"f{i}") if i % 2 else
                                         w.Text(description=f"f{i}") for i in range(n)]), runs)
        lines.append(row(f"build form `{template.id}` ({n} fields)", ours, base,
                         "≤ 3× VBox of as many Text/Textarea"))
    return lines


def bench_store(quick: bool) -> list[str]:
    script = ROOT / "benchmarks" / "store_bench.py"
    if not script.exists():
        return []
    args = [sys.executable, str(script)] + (["--sizes", "1000", "--saves", "200"]
                                            if quick else [])
    result = subprocess.run(args, capture_output=True, text=True, cwd=ROOT)
    return ["", "Store (from benchmarks/store_bench.py):", "", result.stdout.strip()]


def bench_coordinator(quick: bool) -> list[str]:
    script = ROOT / "benchmarks" / "coordinator_bench.py"
    args = [sys.executable, str(script)] + (["--sizes", "100", "1000", "--runs", "3"]
                                            if quick else [])
    result = subprocess.run(args, capture_output=True, text=True, cwd=ROOT)
    return ["", "The coordinator's overview (from benchmarks/coordinator_bench.py; goal: "
            "≤ 2× the baseline and < 2 s at 1,000 pairings):", "", result.stdout.strip()]


def bench_export(quick: bool) -> list[str]:
    script = ROOT / "benchmarks" / "export_bench.py"
    args = [sys.executable, str(script)] + (["--quick", "--runs", "1"] if quick else [])
    result = subprocess.run(args, capture_output=True, text=True, cwd=ROOT)
    return ["", "Exporting a programme notebook (from benchmarks/export_bench.py; goal: "
            "`nysoc export` ≤ 1.5× plain `jupyter nbconvert --to html`):", "",
            result.stdout.strip() or result.stderr.strip()[-2000:]]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes (for CI)")
    parser.add_argument("--out", default=str(ROOT / "docs" / "performance.md"))
    args = parser.parse_args(argv)
    runs = 3 if args.quick else 9
    header = ["| figure | nysoc (median, min–max) | baseline (median) | ratio | goal |",
              "| --- | --- | --- | --- | --- |"]
    lines = (header + bench_import(runs) + bench_forms(runs) + bench_store(args.quick)
             + bench_coordinator(args.quick) + bench_export(args.quick))
    text = "# Performance\n\nMeasured by `make bench` on " + time.strftime("%Y-%m-%d") + \
        f" (Python {sys.version.split()[0]}).\n\n" + "\n".join(lines) + "\n"
    print(text)
    Path(args.out).write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
