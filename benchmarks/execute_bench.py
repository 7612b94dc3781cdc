"""Executing every programme notebook headless, against an empty notebook (kernel start).

What ``nysoc export`` with recomputed views, a nightly report or a test pays per notebook:
nbclient starts a kernel, runs every cell (imports, forms, overviews, charts) and stops it.
The baseline is the same for a notebook with one empty cell: starting and stopping the
kernel, which no notebook can do without. Each notebook runs in the demo workspace of the
first role that gets it (the coordinator's in the demo municipality's). Growth: the
logbook in a workspace holding 10× fewer and 10× more of its entries.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from measure import Figure, alternating, growth  # noqa: E402

NOTEBOOKS = ROOT / "notebooks"


def executor(notebook: Path | None, workspace: Path) -> Callable[[], object]:
    """Run ``notebook`` (None: one empty cell) headless in ``workspace``; fails on an
    error output, so a broken notebook is not timed as a fast one."""
    import nbformat
    from nbclient import NotebookClient

    def run() -> None:
        nb = (nbformat.read(notebook, as_version=4) if notebook else
              nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("")]))
        NotebookClient(nb, timeout=300, kernel_name="python3",
                       resources={"metadata": {"path": str(workspace)}}).execute()
    return run


def role_workspaces(folder: Path) -> dict[str, Path]:
    """The demo workspace as each role has it (the coordinator's: the municipality's)."""
    from nysoc_widgets.demo import create_demo

    demo = create_demo(folder / "demo", today=dt.date.today())
    found = {"mentee": demo.workspace.root,
             "koordinator": demo.municipality.coordinator.root}
    for role in ("mentor", "kontaktperson"):
        copy = folder / role
        shutil.copytree(demo.workspace.root, copy)
        config = copy / "nysoc.toml"
        config.write_text(config.read_text(encoding="utf-8").replace(
            'role = "mentee"', f'role = "{role}"'), encoding="utf-8")
        found[role] = copy
    return found


def logbook_workspace(folder: Path, entries: int) -> Path:
    """A mentee's workspace whose logbook holds ``entries`` entries."""
    from nysoc_widgets.records import Record, clean_answers
    from nysoc_widgets.workspace import init_workspace

    ws = init_workspace(folder / f"logbog-{entries}", "mentee", pairing="par-maaling")
    template = ws.catalogue().get("logbog")
    with ws.open_store() as store, store.transaction():
        for i in range(entries):
            values, _ = clean_answers(template, {
                "dato": f"2026-{1 + i % 12:02d}-{1 + i % 28:02d}",
                "nyt_laert": f"Notat {i}: " + "Det, jeg har lært i dag. " * 20})
            store.save_record(Record("par-maaling", "logbog", template.version, "mentee",
                                     template.level, values, "final"), template)
    return ws.root


def figures(quick: bool = False) -> list[Figure]:
    """One row per notebook, and the logbook at three sizes."""
    from nysoc_widgets.workspace import ROLE_NOTEBOOKS

    os.environ["PYTHONPATH"] = os.pathsep.join(  # the kernels import this checkout
        p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p)
    runs = 1 if quick else 3
    out = []
    with tempfile.TemporaryDirectory(prefix="nysoc-koersel-bench-") as tmp:
        folder = Path(tmp)
        workspaces = role_workspaces(folder)
        names = sorted(p.name for p in NOTEBOOKS.glob("*.ipynb"))
        if quick:
            names = ["Logbog.ipynb", "Koordinator.ipynb"]
        sizes = (6, 60, 600) if not quick else (2, 20)
        logbooks = {n: logbook_workspace(folder, n) for n in sizes}
        grows = []
        for where in logbooks.values():
            times = alternating({"nysoc": executor(NOTEBOOKS / "Logbog.ipynb", where)}, runs,
                                warm_up=False)
            grows.append(sorted(times["nysoc"])[len(times["nysoc"]) // 2])
        logbook_growth = growth(sizes, grows, " entries")
        for name in names:
            role = next(r for r, books in ROLE_NOTEBOOKS.items() if name in books)
            where = workspaces[role]
            times = alternating({"nysoc": executor(NOTEBOOKS / name, where),
                                 "base": executor(None, where)}, runs, warm_up=False)
            out.append(Figure(f"execute `{name}` headless ({role})", "an empty notebook",
                              times["nysoc"], times["base"],
                              growth=logbook_growth if name == "Logbog.ipynb" else
                              "with the records shown: see Logbog.ipynb"))
    return out
