"""``make bench`` at its smallest (``run.py --quick``), so that it keeps running in CI, and
the arithmetic its table rests on. No test asserts a time: shared machines drift."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from nysoc_widgets.catalogue import Catalogue

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"


def module(name: str) -> ModuleType:
    sys.path.insert(0, str(BENCHMARKS))
    try:
        spec = importlib.util.spec_from_file_location(name, BENCHMARKS / f"{name}.py")
        assert spec and spec.loader
        found = sys.modules[name] = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(found)
        return found
    finally:
        sys.path.remove(str(BENCHMARKS))


@pytest.fixture(scope="module")
def measure() -> ModuleType:
    return module("measure")


@pytest.mark.parametrize(("medians", "kind"), [
    ([0.001, 0.0011, 0.0012], "about constant"), ([0.001, 0.003, 0.009], "sublinear"),
    ([0.001, 0.01, 0.1], "linear"), ([0.001, 0.03, 0.9], "superlinear")])
def test_growth_says_how_a_time_grows_over_tenfold_work(measure: ModuleType,
                                                        medians: list[float], kind: str) -> None:
    text = measure.growth([10, 100, 1000], medians, " records")
    assert f"– {kind} (" in text
    assert text.startswith("10 records: 1.00 ms, 100 records: ")


def test_a_figure_compares_medians_or_p99_against_its_goal(measure: ModuleType) -> None:
    ours, base = [0.010, 0.012, 0.030], [0.004, 0.005, 0.006]
    figure = measure.Figure("save", "bare", ours, base, goal=3)
    assert figure.ratio == pytest.approx(0.012 / 0.005) and figure.met is True
    slow = measure.Figure("save", "bare", ours, base, goal=3, stat="p99")
    assert slow.ratio == pytest.approx(measure.percentile(ours, 99) / measure.percentile(base, 99))
    assert slow.met is False and "**no**" in slow.row()
    assert measure.Figure("x", "y", ours, base).met is None, "no goal: reported only"
    assert "12.0 ms (10.0 ms–30.0 ms)" in figure.row()


@pytest.mark.slow
def test_make_bench_quick_writes_every_figure_with_ratio_and_growth(tmp_path: Path) -> None:
    out = tmp_path / "performance.md"
    result = subprocess.run([sys.executable, str(BENCHMARKS / "run.py"), "--quick", "--out",
                             str(out)], capture_output=True, text=True, timeout=900,
                            check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    text = out.read_text(encoding="utf-8")
    assert text == result.stdout.rstrip("\n") + "\n" or text.strip() == result.stdout.strip()
    rows = {line.split(" | ")[0].lstrip("| "): line.split(" | ")
            for line in text.splitlines() if line.startswith("| ") and "---" not in line}
    forms = [t.id for t in Catalogue.load() if t.kind == "form"]
    expected = ["cold `import nysoc_widgets` (whole process)",
                "build a form of 20 text questions",
                *(next(k for k in rows if k.startswith(f"build form `{f}`")) for f in forms),
                "save a logbook entry, p50, 1,000 records in the store",
                "save a logbook entry, p99, 10,000 records in the store",
                "summarise 100 pairings' shared summaries, all 6 charts (0.8 MB of JSON)",
                "export `Logbog.ipynb` to HTML (whole command)",
                "execute `Logbog.ipynb` headless (mentee)",
                "execute `Koordinator.ipynb` headless (koordinator)"]
    for name in expected:
        assert name in rows, f"no row {name!r} in:\n{text}"
    privacy = next(k for k in rows if k.startswith("find personal data"))
    assert re.search(r"= [0-9.]+ MB/s", rows[privacy][1])
    for name, cells in rows.items():
        if name == "figure":
            continue
        assert re.fullmatch(r"[0-9.]+×", cells[3]), (name, cells)
        assert cells[4] in {"report", "≤ 1.2×", "≤ 3×", "≤ 2×", "≤ 1.5×"}, (name, cells)
        assert cells[5] in {"yes", "**no**", "–"}, (name, cells)
        assert re.search(r"about constant|sublinear|linear|superlinear|fixed work|as the|see ",
                         cells[6]), (name, cells)
    assert ("Every goal is met." in text) or ("Goals missed in this run:" in text)
