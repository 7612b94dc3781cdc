"""Cold ``import nysoc_widgets`` against cold ``import ipywidgets`` (goal: ≤ 1.2×).

Each is a fresh interpreter running the statement, the whole process timed, in alternating
rounds. Importing nysoc must not pull in pandas, matplotlib or nbconvert: a person opening
a form does not need them yet. The form engine (``nysoc_widgets.Form``, loaded on first
use) is reported beside it.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from measure import Figure, alternating  # noqa: E402


def _process(statement: str) -> Callable[[], object]:
    cmd = [sys.executable, "-c", statement]
    return lambda: subprocess.run(cmd, check=True, capture_output=True, cwd=ROOT)


def figures(quick: bool = False) -> list[Figure]:
    """Cold imports: nysoc, and nysoc with its form engine, against ipywidgets."""
    runs = 5 if quick else 15
    times = alternating({"ipywidgets": _process("import ipywidgets"),
                         "nysoc": _process("import nysoc_widgets"),
                         "forms": _process("import nysoc_widgets; nysoc_widgets.Form")}, runs)
    fixed = "fixed work (no size to grow)"
    return [
        Figure("cold `import nysoc_widgets` (whole process)", "`import ipywidgets`",
               times["nysoc"], times["ipywidgets"], goal=1.2, growth=fixed),
        Figure("cold `import nysoc_widgets` + the form engine", "`import ipywidgets`",
               times["forms"], times["ipywidgets"], growth=fixed),
    ]
