"""``notebooks/Koordinator.ipynb`` runs in a coordinator's workspace: headless with nbclient,
and as a Voilà app in real headless Chromium, where the filters narrow the overview and
Opdatér reads the folder again.

A coordinator's workspace gets the notebook from ``workspace.ROLE_NOTEBOOKS["koordinator"]``
once that lists it (at the merge of issue 5); until then these tests copy it in themselves.
The workspace's ``nysoc.toml`` names the folder of summaries (``share_folder``).
"""

from __future__ import annotations

import os
import shutil
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import nbformat
import pytest
from browser_helpers import (
    free_tcp_port,
    running_server,
    server_base_env,
    shot_whole,
    shutdown_voila_kernel,
    voila_tree_argv,
    wait_for_voila_render,
    wait_until_ready,
)
from coordinator_helpers import fixture, share_folder, write_summary

from nysoc_widgets.lab import lab_command
from nysoc_widgets.workspace import Workspace, init_workspace, notebooks_dir

if TYPE_CHECKING:
    from playwright.sync_api import Browser

REPO = Path(__file__).resolve().parent.parent
NOTEBOOK = "Koordinator.ipynb"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"


def coordinator_workspace(root: Path) -> tuple[Workspace, Path]:
    """A coordinator's workspace whose ``share_folder`` holds nine pairings' summaries
    (the demo's five from real stores, four hand-written), with the notebook copied in."""
    ws = init_workspace(root, "koordinator")
    folder = share_folder(root.parent / "drev")
    with ws.config_path.open("a", encoding="utf-8") as config:
        config.write(f'share_folder = "{folder}"\n[alerts]\nno_meeting_weeks = 6\n')
    shutil.copyfile(notebooks_dir() / NOTEBOOK, root / NOTEBOOK)
    return ws, folder


def outputs(nb: Any) -> list[Any]:
    return [out for cell in nb.cells if cell.cell_type == "code" for out in cell.outputs]


@pytest.mark.slow
def test_the_notebook_runs_headless_in_a_coordinators_workspace(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from nbclient import NotebookClient

    ws, _ = coordinator_workspace(tmp_path / "ws")
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(
        p for p in (str(REPO), os.environ.get("PYTHONPATH")) if p))
    monkeypatch.setenv("NYSOC_WORKSPACE", str(ws.root))
    nb = nbformat.read(ws.root / NOTEBOOK, as_version=4)

    NotebookClient(nb, timeout=120, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(ws.root)}}).execute()

    assert not [o for o in outputs(nb) if o.output_type == "error"]
    assert not [o for o in outputs(nb) if o.output_type == "stream" and o.name == "stderr"]
    shown = "\n".join(str(o.get("data", {}).get("text/html", "")) for o in outputs(nb))
    assert "nysoc-notice" not in shown
    assert "Viser alle 9 mentorpar." in shown and "advarsl" in shown
    assert shown.count('alt="Diagram: ') >= 6  # the live view and its static copy
    assert "Alle filer i mappen kunne læses (9 mentorpar)." in shown
    states = nb.metadata["widgets"][WIDGET_STATE]["state"].values()
    classes = {c for s in states for c in s["state"].get("_dom_classes", [])}
    assert {"nysoc-coordinator-filters", "nysoc-coordinator-view-oversigt",
            "nysoc-coordinator-view-diagrammer"} <= classes


@pytest.mark.slow
def test_the_notebook_renders_in_voila_and_the_filters_work(browser: Browser,
                                                            tmp_path: Path) -> None:
    from playwright.sync_api import expect

    ws, folder = coordinator_workspace(tmp_path / "ws")
    port = free_tcp_port()
    env = lab_command(ws.root, port=port, token="", base_env=server_base_env(tmp_path)).env
    context = browser.new_context(viewport={"width": 1280, "height": 1000}, locale="da-DK")
    page = context.new_page()
    page.set_default_timeout(30_000)
    with running_server("Voila (koordinator)", voila_tree_argv(sys.executable, ws.root, port),
                        env=env, cwd=ws.root, port=port, token="", workspace=ws,
                        log=tmp_path / "voila.log") as server:
        wait_until_ready(server, timeout=30, status_path=None)
        began = time.monotonic()
        try:
            page.goto(server.url(f"/voila/render/{NOTEBOOK}"))
            wait_for_voila_render(page)
            rendered = time.monotonic() - began
            overview = page.locator(".nysoc-coordinator-oversigt").first
            expect(overview).to_contain_text("Viser alle 9 mentorpar.")
            expect(overview.locator("tbody tr")).to_have_count(9)
            expect(page.locator(".nysoc-notice")).to_have_count(0)
            expect(page.locator(".jp-CodeCell .jp-InputArea")).to_have_count(0)
            expect(page.locator("#rendered_cells h1").first).to_contain_text(
                "Tovholderens overblik")
            charts = page.locator(".nysoc-coordinator-diagrammer img").first
            expect(charts).to_be_visible()

            # A department: every part follows.
            filters = page.locator(".nysoc-coordinator-filters")
            filters.locator("select").first.select_option(label="Jobcenter")
            expect(overview).to_contain_text("Viser 1 af 9 mentorpar.")
            expect(overview.locator("tbody tr")).to_have_count(1)
            expect(page.locator(".nysoc-coordinator-advarsler").first).to_contain_text(
                "1 advarsel")

            # A pair shares: Opdatér reads the folder again.
            new = fixture("par-jobcenter-17")
            new["pairing"]["id"] = "par-jobcenter-18"
            write_summary(folder, new)
            page.locator(".nysoc-coordinator-view-problemer button",
                         has_text="Opdatér").click()
            expect(overview).to_contain_text("Viser 2 af 10 mentorpar.")
            expect(overview).to_contain_text("par-jobcenter-18")
            expect(page.locator(".nysoc-coordinator-diagrammer").first).to_contain_text(
                "Viser 2 af 10 mentorpar.")
            shot_whole(page, "voila-koordinator-Koordinator.png")
            print(f"\nKoordinator.ipynb rendered in Voilà after {rendered:.2f} s")
            shutdown_voila_kernel(page, server)
        except BaseException:
            shot_whole(page, "voila-koordinator-Koordinator-failure.png")
            print(f"\n{server.name} log (last lines):\n{server.log_tail()}")
            raise
        finally:
            context.close()
