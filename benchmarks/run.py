"""nysoc's benchmarks: each figure as a ratio against a baseline measured in the same run.

    make bench                       # or: python benchmarks/run.py [--quick] [--only NAME …]

Prints one Markdown table and writes it to ``docs/performance.md`` (``--out``). Absolute
times on shared machines drift; the ratios are what the goals are set on. Each row is the
median of several runs with min–max, and how nysoc's time grows from 10× less to 10× more
work. ``--quick`` uses small sizes and few runs (CI runs it so that the benchmarks cannot
rot; no test asserts a time). The scripts beside this one print more detail on their own
(``python benchmarks/store_bench.py`` …).
"""

from __future__ import annotations

import argparse
import importlib
import os
import platform
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

from measure import Figure, table  # noqa: E402

#: The benchmark modules, in the order of the table; each has ``figures(quick)``.
BENCHES = ("import_bench", "form_bench", "store_bench", "coordinator_bench", "export_bench",
           "execute_bench", "privacy_bench")

NOTES = """
## What the figures say, and what was done about them

- **Building a form** was 3.7–11× a VBox of as many text widgets. Profiling showed
  widget construction (each widget opens a comm and sends its whole state) and the number
  of widgets: a form made 140 (the logbook) where the VBox makes 29, because every control
  got a layout and a style widget of its own, the history bar, draft banner and
  personal-data panel were built though hidden, every field had an error line, and each
  key stroke in a list made new checkboxes. Now controls that look alike share one layout
  and one style (`nysoc_widgets/look.py`), hidden parts are built the first time they are
  shown, an error line is made the first time a field has an error, one accessibility
  widget serves every form, and a renamed item keeps its checkbox. The logbook form has 65
  widgets. What remains above the baseline is the checkboxes of long choice lists (a
  Text is one widget per question; a question with 19 choices is 19 checkboxes).
- **Saving** is one transaction: the pairing check, the template copy, the record row,
  the version row and an fsync'd commit. `synchronous=FULL` is kept on purpose: with
  `NORMAL`, a power cut may lose the last saves (see `store_bench.py` for both).
- **Executing notebooks** is mostly the kernel start, which no notebook can avoid; the
  coordinator's notebook draws six charts.
- The privacy detector runs every rule (CPR with date check, phone, e-mail, address,
  names) over the text, where the baseline runs one regular expression; a form's answers
  (a few KB) take well under a millisecond.
"""


def machine() -> str:
    """The machine the figures were measured on, in one line."""
    load = (Path("/proc/loadavg").read_text().split()[0]
            if Path("/proc/loadavg").exists() else "?")
    return (f"{os.cpu_count()} cores ({platform.machine()}), Python "
            f"{sys.version.split()[0]}, {platform.system()}, load {load} at the start")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, few runs (CI)")
    parser.add_argument("--only", nargs="+", choices=BENCHES, help="only these benchmarks")
    parser.add_argument("--out", default=str(ROOT / "docs" / "performance.md"))
    args = parser.parse_args(argv)
    began = time.perf_counter()
    header = (f"Measured by `make bench`{' --quick' if args.quick else ''} on "
              f"{time.strftime('%Y-%m-%d')}: {machine()}.")
    figures: list[Figure] = []
    for name in args.only or BENCHES:
        print(f"… {name}", file=sys.stderr, flush=True)
        figures += importlib.import_module(name).figures(args.quick)
    missed = [f.name for f in figures if f.met is False]
    verdict = ("Every goal is met." if not missed else
               "Goals missed in this run: " + "; ".join(missed) + ".")
    text = (f"# Performance\n\n{header}\n\n{table(figures)}\n\n{verdict} The whole run took "
            f"{time.perf_counter() - began:.0f} s.\n{NOTES}")
    print(text)
    Path(args.out).write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
