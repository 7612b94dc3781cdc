"""The export benchmark at its smallest, so that it keeps running (no timing is asserted):
it exports a demo notebook as a whole ``nysoc export`` command and as plain ``jupyter
nbconvert --to html``, each format in one process, and logbooks of growing size."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"


@pytest.mark.slow
def test_the_export_benchmark_runs_at_a_small_size() -> None:
    result = subprocess.run([sys.executable, str(BENCHMARKS / "export_bench.py"), "--quick",
                             "--runs", "1"], capture_output=True, text=True, timeout=600,
                            check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    lines = result.stdout.splitlines()
    assert any(line.startswith("| Logbog.ipynb | ") and line.endswith("× |") for line in lines)
    for to in ("html", "markdown", "docx"):
        assert any(line.startswith(f"| {to} | ") for line in lines), to
    assert any(line.startswith("| 20 | ") for line in lines), "the logbook with 20 entries"
