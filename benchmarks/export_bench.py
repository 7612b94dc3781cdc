"""Exporting programme notebooks as documents, against plain ``jupyter nbconvert --to html``.

Both are measured as a person runs them, as whole commands in a fresh process (import of
nbconvert included) on the same notebook of a demo workspace:

* ``nysoc export NB`` (HTML) vs ``jupyter nbconvert --to html NB`` (goal: ≤ 1.5×);
* in one process, after the imports: each format (html, markdown, docx, pdf), and how the
  HTML export grows with the records a logbook holds (10× fewer to 10× more).

``python benchmarks/export_bench.py [--runs N] [--quick]`` prints Markdown tables.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from measure import Figure, alternating, growth, timed  # noqa: E402

BIN = Path(sys.executable).parent
NOTEBOOKS = ("Logbog.ipynb", "Mentormoede.ipynb", "Opstartsmoede.ipynb")


def command(argv: list[str], cwd: Path) -> Callable[[], object]:
    return lambda: subprocess.run(argv, check=True, capture_output=True, cwd=cwd)


def span(times: list[float]) -> str:
    return (f"{statistics.median(times):.2f} s ({min(times):.2f}–{max(times):.2f})")


def workspace(folder: Path) -> Path:
    from nysoc_widgets.demo import create_demo

    create_demo(folder / "demo")
    return folder / "demo"


def cold(root: Path, notebooks: tuple[str, ...], runs: int) -> list[str]:
    """``nysoc export`` vs plain ``jupyter nbconvert --to html``, whole processes."""
    lines = ["| notebook | `nysoc export` (html) | `jupyter nbconvert --to html` | ratio |",
             "| --- | --- | --- | --- |"]
    for name in notebooks:
        ours = timed(command([str(BIN / "nysoc"), "export", name, "--out", "ud.html"], root),
                     runs)
        base = timed(command([str(BIN / "jupyter"), "nbconvert", "--to", "html", name,
                              "--output", "plain"], root), runs)
        ratio = statistics.median(ours) / statistics.median(base)
        lines.append(f"| {name} | {span(ours)} | {span(base)} | {ratio:.2f}× |")
    return lines


def warm(root: Path, runs: int, formats: tuple[str, ...]) -> list[str]:
    """Each format in one process, after the imports (PDF: one browser for all runs)."""
    from nysoc_widgets.export_files import FORMATS, export_notebook
    from nysoc_widgets.pdf import Printer

    lines = ["| format | Logbog.ipynb, in one process | file size |", "| --- | --- | --- |"]
    with Printer() as printer:
        for to in formats:
            out = root / f"varm{FORMATS[to]}"
            export_notebook(root / "Logbog.ipynb", to=to, out=out, printer=printer)  # warm-up
            times = timed(lambda to=to, out=out: export_notebook(  # type: ignore[misc]
                root / "Logbog.ipynb", to=to, out=out, printer=printer), runs)
            lines.append(f"| {to} | {span(times)} | {out.stat().st_size / 1024:.0f} KB |")
    return lines


def logbook(folder: Path, entries: int) -> Path:
    """The logbook notebook of a mentee's workspace holding ``entries`` entries."""
    from execute_bench import logbook_workspace

    return logbook_workspace(folder, entries) / "Logbog.ipynb"


def grown(folder: Path, runs: int, sizes: tuple[int, ...]) -> list[str]:
    """The HTML export of a logbook holding ``n`` entries, for each ``n``."""
    from nysoc_widgets.export_files import export_notebook

    lines = ["| logbook entries | html export, in one process | per entry |",
             "| --- | --- | --- |"]
    for n in sizes:
        notebook = logbook(folder, n)
        export_notebook(notebook, out=notebook.with_suffix(".html"))
        times = timed(lambda nb=notebook: export_notebook(  # type: ignore[misc]
            nb, out=nb.with_suffix(".html")), runs)
        per = statistics.median(times) / n * 1000
        lines.append(f"| {n} | {span(times)} | {per:.1f} ms |")
    return lines


def figures(quick: bool = False) -> list[Figure]:
    """Each notebook exported to HTML as a whole ``nysoc export`` command, against plain
    ``jupyter nbconvert --to html`` (goal: ≤ 1.5×); growth: a logbook of 10× fewer and 10×
    more entries, exported in one process."""
    from nysoc_widgets.export_files import export_notebook

    runs = 1 if quick else 5
    sizes = (2, 20) if quick else (6, 60, 600)
    out = []
    with tempfile.TemporaryDirectory(prefix="nysoc-eksport-bench-") as tmp:
        folder = Path(tmp)
        root = workspace(folder)
        medians = []
        for n in sizes:
            notebook = logbook(folder, n)
            times = timed(lambda nb=notebook: export_notebook(  # type: ignore[misc]
                nb, out=nb.with_suffix(".html")), runs + 1)[1:]  # not the first (imports)
            medians.append(statistics.median(times))
        grows = growth(sizes, medians, " entries")
        for name in NOTEBOOKS[:1] if quick else NOTEBOOKS:
            times = alternating({
                "nysoc": command([str(BIN / "nysoc"), "export", name, "--out", "ud.html"], root),
                "base": command([str(BIN / "jupyter"), "nbconvert", "--to", "html", name,
                                 "--output", "plain"], root)}, runs, warm_up=not quick)
            out.append(Figure(f"export `{name}` to HTML (whole command)",
                              "`jupyter nbconvert --to html`", times["nysoc"], times["base"],
                              goal=1.5, growth=grows if name == "Logbog.ipynb" else
                              "with its records: see Logbog.ipynb"))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="one notebook, small sizes")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="nysoc-eksport-bench-") as tmp:
        folder = Path(tmp)
        root = workspace(folder)
        notebooks = NOTEBOOKS[:1] if args.quick else NOTEBOOKS
        formats = ("html", "markdown", "docx") if args.quick else (
            "html", "markdown", "docx", "pdf")
        sizes = (2, 20) if args.quick else (6, 60, 600)
        lines = (cold(root, notebooks, args.runs) + [""] + warm(root, args.runs, formats)
                 + [""] + grown(folder, args.runs, sizes))
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
