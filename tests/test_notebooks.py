"""The shipped notebooks: committed clean, and they run top to bottom in a real kernel.

Every notebook in ``notebooks/`` is executed with nbclient in a fresh workspace of a role
that gets it (``workspace.ROLE_NOTEBOOKS``), with a few saved logbook records, and must
show its widgets and Danish text without any error output.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import nbformat
import pytest

from nysoc_widgets.catalogue import Catalogue
from nysoc_widgets.records import Record
from nysoc_widgets.workspace import ROLE_NOTEBOOKS, Workspace, init_workspace

REPO = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"


def expected_text(name: str, ws: Workspace) -> list[str]:
    """Text notebook ``name`` must show once run in ``ws`` (in any output)."""
    from nysoc_widgets.glossary import ROLES

    if name == "Logbog.ipynb":
        return ["Overblik: Logbog", "Notater pr. måned", "3 notater i alt", "november 2026",
                "december 2026", "januar 2027", "Læringsmål, du har skrevet om"]
    if name == "Start_her.ipynb":
        shown = ["Dit arbejdsområde", ROLES[ws.role]]
        if ws.pairing:
            shown += [ws.pairing, "Logbog: 3"]
        return shown
    return []


pytestmark = pytest.mark.skipif(not NOTEBOOKS, reason="no notebooks in notebooks/")


def _ids(paths: list[Path]) -> list[str]:
    return [p.stem for p in paths]


def runs() -> list[Any]:
    """(notebook, role) for every role whose new workspace gets the notebook."""
    params = []
    for path in NOTEBOOKS:
        roles = [r for r, names in ROLE_NOTEBOOKS.items() if path.name in names] or ["mentee"]
        params += [pytest.param(path, role, id=f"{path.stem}-{role}") for role in roles]
    return params


def make_workspace(root: Path, role: str) -> Workspace:
    """A fresh workspace with three saved logbook entries (across a new year) if paired."""
    ws = init_workspace(root, role, pairing="par-nb" if role != "koordinator" else None)
    if ws.pairing is None:
        return ws
    logbog = Catalogue.load().get("logbog")
    goal = logbog.field("laeringsmaal").choices[0].id
    with ws.open_store() as store:
        for day, goals in [("2026-11-03", [goal]), ("2026-11-24", []), ("2027-01-12", [goal])]:
            store.save_record(Record(
                pairing=ws.pairing, template_id="logbog", template_version=logbog.version,
                author_role=role, confidentiality=logbog.level, status="final",
                values={"dato": day, "nyt_laert": f"Lærte noget den {day}",
                        "laeringsmaal": goals}), logbog)
    return ws


def outputs(nb: Any) -> list[Any]:
    return [out for cell in nb.cells if cell.cell_type == "code" for out in cell.outputs]


def shown_text(nb: Any) -> str:
    """All HTML, Markdown and plain text the notebook's outputs show."""
    parts = []
    for out in outputs(nb):
        data = out.get("data", {})
        parts += [str(data.get(m, "")) for m in ("text/html", "text/markdown", "text/plain")]
        parts.append(str(out.get("text", "")))
    return "\n".join(parts)


def widget_classes(nb: Any) -> set[str]:
    """The CSS classes of every widget model saved with the executed notebook."""
    state = nb.metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    return {cls for model in state.values() for cls in model["state"].get("_dom_classes", [])}


# -- committed notebooks ------------------------------------------------------------------

@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids(NOTEBOOKS))
def test_committed_notebook_is_valid_and_has_no_outputs(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)

    assert nb.nbformat == 4
    assert nb.metadata["kernelspec"]["name"] == "python3"
    assert "widgets" not in nb.metadata
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, cell.id


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids(NOTEBOOKS))
def test_notebook_reads_as_a_document_with_one_setup_cell(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    setup = [c for c in code if "nysoc-setup" in c.metadata.get("tags", [])]

    assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# ")
    assert [c.source for c in setup] == ["import nysoc_widgets as nysoc"]
    assert code.index(setup[0]) == 0, "the setup cell comes before every other code cell"
    for cell in code:
        assert "\n" not in cell.source.strip(), f"cell {cell.id} is more than one short line"
        assert cell.source.startswith(("import nysoc_widgets", "nysoc.")), cell.id
        assert cell.metadata.get("jupyter", {}).get("source_hidden") is True, cell.id
        assert cell.metadata.get("tags"), f"cell {cell.id} has no nysoc tag"


# -- executed notebooks -------------------------------------------------------------------

@pytest.fixture
def kernel_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Let the kernel import this checkout even without an installed package."""
    path = os.environ.get("PYTHONPATH")
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(p for p in (str(REPO), path) if p))


@pytest.mark.slow
@pytest.mark.parametrize(("path", "role"), runs())
def test_notebook_runs_in_a_fresh_workspace(path: Path, role: str, tmp_path: Path,
                                            kernel_env: None,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    from nbclient import NotebookClient

    ws = make_workspace(tmp_path / "ws", role)
    monkeypatch.setenv("NYSOC_WORKSPACE", str(ws.root))
    nb = nbformat.read(path, as_version=4)

    NotebookClient(nb, timeout=120, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(ws.root)}}).execute()

    errors = [out for out in outputs(nb) if out.output_type == "error"]
    assert not errors, "\n".join(f"{e.ename}: {e.evalue}" for e in errors)
    stderr = [out.text for out in outputs(nb)
              if out.output_type == "stream" and out.name == "stderr"]
    assert not any("Traceback" in text for text in stderr), stderr
    text = shown_text(nb)
    assert "nysoc-notice" not in widget_classes(nb), "a Danish notice replaced a form"
    for expected in expected_text(path.name, ws):
        assert expected in text, f"{path.name} does not show {expected!r}"
    for cell in nb.cells:
        if cell.cell_type == "code" and "nysoc.form(" in cell.source:
            assert any(WIDGET_VIEW in out.get("data", {}) for out in cell.outputs), cell.id
            form_id = cell.source.split('"')[1]
            assert f"nysoc-form-{form_id}" in widget_classes(nb)
    assert "Lærte noget" not in _summary_text(nb), "a summary showed written text"


def _summary_text(nb: Any) -> str:
    """The outputs of the summary cells only (the form's static rendering may show text)."""
    cells = [c for c in nb.cells if c.cell_type == "code" and "summary(" in c.source]
    return json.dumps([c.outputs for c in cells], ensure_ascii=False)
