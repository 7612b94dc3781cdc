"""The shipped notebooks: committed clean, given to the right roles, and they run.

Every notebook in ``notebooks/`` is executed with nbclient (one kernel per run) once for each
role whose new workspace gets it (``workspace.ROLE_NOTEBOOKS``), in the demo workspace
(``nysoc_widgets.demo``: five pairings with realistic records). It must show its forms and
cards and Danish text without any error output, and its overviews never show written text.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from html import unescape
from pathlib import Path
from typing import Any

import nbformat
import pytest
from cli_helpers import run

from nysoc_widgets.catalogue import Catalogue
from nysoc_widgets.demo import create_demo
from nysoc_widgets.glossary import ROLES
from nysoc_widgets.workspace import ROLE_NOTEBOOKS, Workspace, init_workspace

REPO = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
TODAY = dt.date(2026, 11, 23)  # the demo's dates count back from here

#: Text a notebook must show once run (in its outputs or its widgets), besides what every
#: form shows anyway (its template's Danish title and section titles).
EXPECTED: dict[str, list[str]] = {
    "Logbog.ipynb": ["Overblik: Logbog", "Notater pr. måned", "6 notater i alt",
                     "august 2026", "september 2026", "november 2026",
                     "Læringsmål, du har skrevet om", "Hvad skal med i logbogen?"],
    "Forberedelse_mentor.ipynb": ["Hvad motiverer mig til at tage mentorrollen?"],
    "Forberedelse_mentee.ipynb": ["Har jeg mod på at åbne mig"],
    "Laeringsmaal.ipynb": ["Hvad vil du gerne blive bedre til?", "Praksischok",
                           "Myndighedsrollen", "Egne læringsmål"],
    "Mentormoede.ipynb": ["Forslag til dagsorden", "1. Det, der fylder lige nu", "5. Næste møde",
                          "Mentors mange roller", "Socialfaglig vejleder",
                          "Kobler teori med praksis."],
    "Sagsanalyse.ipynb": ["1. Hvad ved vi?", "5. Hvilke konkrete tiltag kan sættes i værk?"],
    "Coaching.ipynb": ["Hvordan viser problemet sig?", "Hvad er dit første skridt?"],
    "Procesjournal.ipynb": ["kan ikke bruges i formel sagsbehandling", "anonymiseret"],
    "Evaluering.ipynb": ["Må tovholderen se scorerne?", "ligeværdige kolleger",
                         "Set tilbage: aftaler og læringsmål", "I aftalte 8 møder i alt.",
                         "Myndighedsrollen", "→ nået", "Mentor har bekræftet »nået«."],
    "Opstartsmoede.ipynb": ["Hent aftalen til udskrift", "moeder.ics"],
    "Introduktion.ipynb": ["Videnspersoner", "Faglige behov", "Sociale behov",
                           "Organisatoriske behov", "Praktiske behov"],
    "Statusmoede.ipynb": ["1. Hvordan går det?", "Hvornår er det godt nok?"],
    "Gode_raad.ipynb": ["10 gode råd", "Stil spørgsmål", "Hvornår er det godt nok?",
                        "Bliver jeg nogensinde en god socialrådgiver?"],
    "Mit_overblik.ipynb": ["Mit overblik", "Læringsmål over tid", "Myndighedsrollen", "Nået",
                           "Bekræftet af mentor", "Det nye, jeg har lært", "Mentormøde",
                           "data:image/png;base64,"],
}


#: Notebooks executed by a test of their own, in a workspace the demo does not make:
#: the coordinator's needs a folder of shared summaries (tests/test_coordinator_notebook.py).
OWN_RUN = {"Koordinator.ipynb"}


def expected_text(name: str, ws: Workspace) -> list[str]:
    """Text notebook ``name`` must show once run in ``ws``."""
    if name == "Start_her.ipynb":
        sharing = (["Du er tovholder og deler ikke selv"] if ws.role == "koordinator" else
                   ["Det her får tovholderen – og intet andet", "Del med tovholderen"])
        return ["Dit arbejdsområde", ROLES[ws.role], *([ws.pairing] if ws.pairing else []),
                *sharing]
    return EXPECTED.get(name, [])


def _ids(paths: list[Path]) -> list[str]:
    return [p.stem for p in paths]


def roles_of(name: str) -> list[str]:
    return [role for role, names in ROLE_NOTEBOOKS.items() if name in names]


def runs() -> list[Any]:
    """(notebook, role) for every role whose new workspace gets the notebook.

    A notebook no role gets still runs once, as a mentee's (and fails
    ``test_every_notebook_is_given_to_a_role``).
    """
    return [pytest.param(path, role, id=f"{path.stem}-{role}")
            for path in NOTEBOOKS if path.name not in OWN_RUN
            for role in (roles_of(path.name) or ["mentee"])]


def demo_workspace(root: Path, role: str) -> Workspace:
    """The demo workspace, as ``role`` would have it.

    ``create_demo`` makes a mentee's workspace; a mentor or contact person gets the same
    folder with their role in the config (as in a pair workspace both open at meetings). A
    coordinator's workspace holds no pairing, so it is a new one.
    """
    if role == "koordinator":
        return init_workspace(root, role)
    ws = create_demo(root, today=TODAY).workspace
    if role != ws.role:
        config = ws.config_path.read_text(encoding="utf-8")
        ws.config_path.write_text(config.replace(f'role = "{ws.role}"', f'role = "{role}"'),
                                  encoding="utf-8")
    ws = Workspace.load(root)
    assert ws.role == role
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


def widget_models(nb: Any) -> list[dict[str, Any]]:
    """The state of every widget model saved with the executed notebook."""
    state = nb.metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    return [model["state"] for model in state.values()]


def widget_classes(nb: Any) -> set[str]:
    """The CSS classes of every widget model saved with the executed notebook."""
    return {cls for model in widget_models(nb) for cls in model.get("_dom_classes", [])}


def widget_text(nb: Any) -> str:
    """The text the widgets show: values, descriptions, tooltips and placeholders."""
    keys = ("value", "description", "tooltip", "placeholder")
    return unescape("\n".join(str(model[k]) for model in widget_models(nb) for k in keys
                              if isinstance(model.get(k), str)))


def code_cells(nb: Any, call: str) -> list[Any]:
    return [c for c in nb.cells if c.cell_type == "code" and c.source.startswith(call)]


# -- committed notebooks ------------------------------------------------------------------

pytestmark = pytest.mark.skipif(not NOTEBOOKS, reason="no notebooks in notebooks/")


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

    assert path.name.isascii(), "notebook file names are ASCII"
    assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# ")
    assert [c.source for c in setup] == ["import nysoc_widgets as nysoc"]
    assert code.index(setup[0]) == 0, "the setup cell comes before every other code cell"
    for cell in code:
        assert "\n" not in cell.source.strip(), f"cell {cell.id} is more than one short line"
        assert cell.source.startswith(("import nysoc_widgets", "nysoc.")), cell.id
        assert cell.metadata.get("jupyter", {}).get("source_hidden") is True, cell.id
        assert cell.metadata.get("tags"), f"cell {cell.id} has no nysoc tag"


@pytest.mark.parametrize("path", [p for p in NOTEBOOKS if code_cells(
    nbformat.read(p, as_version=4), "nysoc.form(")], ids=lambda p: p.stem)
def test_form_notebook_says_who_can_see_what(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")

    assert "tovholder" in text.lower(), "say who can see what, the coordinator too"


# -- who gets which notebook --------------------------------------------------------------

@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids(NOTEBOOKS))
def test_every_notebook_is_given_to_a_role(path: Path) -> None:
    assert roles_of(path.name), f"add {path.name} to ROLE_NOTEBOOKS in workspace.py"


@pytest.mark.parametrize("role", list(ROLE_NOTEBOOKS))
def test_every_role_notebook_exists_once_and_starts_with_start_her(role: str) -> None:
    names = ROLE_NOTEBOOKS[role]
    assert names[0] == "Start_her.ipynb" and len(set(names)) == len(names)
    assert [n for n in names if not (REPO / "notebooks" / n).is_file()] == []


@pytest.mark.parametrize("role", list(ROLE_NOTEBOOKS))
def test_init_gives_exactly_the_roles_notebooks(role: str, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "init", tmp_path / "ws", "--role", role)

    assert (code, err) == (0, "")
    assert sorted(p.name for p in (tmp_path / "ws").glob("*.ipynb")) \
        == sorted(ROLE_NOTEBOOKS[role])


def test_demo_workspace_gets_the_mentees_notebooks(tmp_path: Path) -> None:
    ws = create_demo(tmp_path / "demo", today=TODAY).workspace

    assert ws.role == "mentee"
    assert sorted(p.name for p in ws.root.glob("*.ipynb")) == sorted(ROLE_NOTEBOOKS["mentee"])


# -- executed notebooks -------------------------------------------------------------------

@pytest.fixture
def kernel_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Let the kernel import this checkout even without an installed package."""
    path = os.environ.get("PYTHONPATH")
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(p for p in (str(REPO), path) if p))


@pytest.mark.slow
@pytest.mark.parametrize(("path", "role"), runs())
def test_notebook_runs_in_the_demo_workspace(path: Path, role: str, tmp_path: Path,
                                             kernel_env: None,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    from nbclient import NotebookClient

    ws = demo_workspace(tmp_path / "ws", role)
    monkeypatch.setenv("NYSOC_WORKSPACE", str(ws.root))
    nb = nbformat.read(path, as_version=4)

    NotebookClient(nb, timeout=120, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(ws.root)}}).execute()

    errors = [out for out in outputs(nb) if out.output_type == "error"]
    assert not errors, "\n".join(f"{e.ename}: {e.evalue}" for e in errors)
    stderr = [out.text for out in outputs(nb)
              if out.output_type == "stream" and out.name == "stderr"]
    assert not any("Traceback" in text for text in stderr), stderr
    assert "nysoc-notice" not in widget_classes(nb), "a Danish notice replaced a form"
    assert "nysoc-notice" not in shown_text(nb), "a Danish notice replaced a card"
    text = shown_text(nb) + "\n" + widget_text(nb)
    for expected in expected_text(path.name, ws):
        assert expected in text, f"{path.name} does not show {expected!r}"
    catalogue = Catalogue.load()
    for cell in code_cells(nb, "nysoc.form("):
        assert any(WIDGET_VIEW in out.get("data", {}) for out in cell.outputs), cell.id
        template = catalogue.get(cell.source.split('"')[1])
        assert f"nysoc-form-{template.id}" in widget_classes(nb)
        if template.check_personal_data:  # the panel is there, empty until text is found
            assert "nysoc-privacy" in widget_classes(nb), template.id
        for title in [template.title.da, *(s.title.da for s in template.sections)]:
            assert title in text, f"the form {template.id} does not show {title!r}"
    for cell in code_cells(nb, "nysoc.card("):
        assert any("text/html" in out.get("data", {}) for out in cell.outputs), cell.id
    assert not _written_text_in_overviews(nb, ws), "an overview showed written text"


def _written_text_in_overviews(nb: Any, ws: Workspace) -> list[str]:
    """Saved free text (of any record in ``ws``) that the summary or status cells show –
    apart from the titles of the pair's own learning goals, which the logbook summary
    counts (a meeting names one of them as its ``konkret_laeringsmaal``)."""
    cells = code_cells(nb, "nysoc.summary(") + code_cells(nb, "nysoc.status(")
    shown = json.dumps([c.outputs for c in cells], ensure_ascii=False)
    if not ws.pairing:
        return []
    with ws.open_store() as store:
        records = store.list_records()
    own_goals = {g for r in records if r.template_id == "laeringsmaal"
                 for g in r.values.get("egne") or []}
    texts = {v for r in records for v in r.values.values() if isinstance(v, str) and len(v) > 25}
    return sorted(t for t in texts - own_goals if t in shown)
