"""The logbook form outside JupyterLab: as a Voila app and in Notebook 7, in headless Chromium.

Each journey starts a real server on 127.0.0.1 for a fresh mentee workspace (environment
built by the CLI's own ``lab_command``: ``NYSOC_WORKSPACE``, ``JUPYTER_CONFIG_PATH``, token),
writes a logbook entry with æøå, presses "Gem" and finds the record in the store file.

* Voila: the form comes by itself and no code is shown; after a reload (a new kernel) the
  summary counts the entry and "Tidligere notater" + "Åbn" brings the text back.
* Notebook 7 (``notebook``): Run All from the Run menu, then the same fill-and-save; the
  kernel's session is deleted through the REST API at the end.

Screenshots go to ``test-artifacts/``; each phase is timed and printed (``pytest -s``).
Servers are always stopped, also when a test fails (``browser_helpers.running_server``).
"""

from __future__ import annotations

import json
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from browser_helpers import (
    NOTEBOOK,
    Server,
    Timings,
    assert_one_saved_logbook,
    danish_sentence,
    delete_sessions,
    fill_logbook,
    first_prompt,
    misdrawn_inputs,
    reopen_first_earlier,
    run_all,
    running_as_root,
    running_server,
    save,
    server_base_env,
    shot,
    wait_for_kernel,
    wait_until_ready,
)

from nysoc_widgets.lab import lab_command, write_lab_settings
from nysoc_widgets.workspace import Workspace, init_workspace

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

#: Each journey must stay well inside this (seconds).
BUDGET = 45.0
DATE = "2026-11-23"
#: What the form says before anything is saved or opened (the kernel is new).
NEW_RECORD = "Nyt notat – ikke gemt endnu"

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def workspace(tmp_path: Path) -> Workspace:
    return init_workspace(tmp_path / "arbejdsomraade", "mentee", mentee="Test Mentee")


@pytest.fixture
def voila(tmp_path: Path, free_port: int, workspace: Workspace) -> Iterator[Server]:
    """``python -m voila Logbog.ipynb`` in the workspace folder, stopped afterwards.

    Voila 0.5 asks for no token unless given ``--Voila.token`` (it ignores
    ``JUPYTER_TOKEN``), so the environment says so: an empty token.
    """
    env = lab_command(workspace.root, port=free_port, token="",
                      base_env=server_base_env(tmp_path)).env
    assert env["NYSOC_WORKSPACE"] == str(workspace.root)
    argv = [sys.executable, "-m", "voila", NOTEBOOK, "--no-browser", f"--port={free_port}",
            "--Voila.ip=127.0.0.1", "--Voila.port_retries=0"]
    with running_server("Voila", argv, env=env, cwd=workspace.root, port=free_port, token="",
                        workspace=workspace, log=tmp_path / "voila.log") as server:
        yield server


@pytest.fixture
def notebook7(tmp_path: Path, free_port: int, workspace: Workspace) -> Iterator[Server]:
    """Jupyter Notebook 7 (``python -m notebook``) serving the workspace, stopped afterwards."""
    write_lab_settings(workspace.root)  # no news popup, as `nysoc lab` does
    token = uuid.uuid4().hex
    env = lab_command(workspace.root, port=free_port, token=token,
                      base_env=server_base_env(tmp_path)).env
    assert env["NYSOC_WORKSPACE"] == str(workspace.root)
    argv = [sys.executable, "-m", "notebook", "--no-browser", "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={free_port}", "--ServerApp.port_retries=0",
            f"--ServerApp.root_dir={workspace.root}"]
    if running_as_root():
        argv.append("--ServerApp.allow_root=True")
    with running_server("Notebook 7", argv, env=env, cwd=workspace.root, port=free_port,
                        token=token, workspace=workspace,
                        log=tmp_path / "notebook.log") as server:
        yield server


def new_page(browser: Browser) -> Page:
    # Tall enough for the whole form, so one screenshot shows all of it.
    context = browser.new_context(viewport={"width": 1280, "height": 3200}, locale="da-DK")
    page = context.new_page()
    page.set_default_timeout(20_000)
    return page


def finish(page: Page, server: Server, timings: Timings, failed: bool, prefix: str) -> None:
    if failed:
        shot(page, f"{prefix}-failure.png")
        print(f"\n{server.name} log (last lines):\n{server.log_tail()}")
    page.context.close()
    print("\n" + timings.report())
    print(json.dumps({k: round(v, 2) for k, v in timings.phases.items()}))


# -- Voila ----------------------------------------------------------------------------------

def test_voila_logbook_saves_and_reopens_an_entry(browser: Browser, voila: Server) -> None:
    from playwright.sync_api import expect

    timings = Timings("Voila journey")
    sentence = danish_sentence()
    page = new_page(browser)
    form = page.locator(".jp-OutputArea-output .nysoc-form").first
    summary = page.locator(".jp-OutputArea-output .nysoc-summary").first
    failed = True
    try:
        with timings.phase("server ready (port accepts)"):
            wait_until_ready(voila, status_path=None)  # /api/status is 403 here

        with timings.phase("page → form visible"):
            page.goto(voila.url("/"))
            form.wait_for(state="visible")
        summary.wait_for()  # the last cell's output: every cell has been rendered

        # An app: the code cells' sources are stripped, no editor anywhere.
        assert page.locator(".jp-CodeCell .jp-InputArea").count() == 0
        assert page.locator(".jp-InputArea-editor, .cm-editor, .CodeMirror").count() == 0
        text = page.locator("body").inner_text()
        for code in ("import nysoc_widgets", "nysoc.form(", "nysoc.summary("):
            assert code not in text, code
        expect(summary).to_contain_text("Der er endnu ingen gemte notater")
        assert misdrawn_inputs(form) == []  # borders whole, dropdowns one line high

        with timings.phase("fill in"):
            fill_logbook(form, DATE, sentence)

        with timings.phase('click "Gem" → "Gemt kl."'):
            save(form)
        shot(page, "voila-logbog.png")

        with timings.phase("record found in the store file"):
            assert_one_saved_logbook(voila.workspace, DATE, sentence)

        with timings.phase("reload (new kernel) → form visible"):
            page.reload()
            page.locator(".jp-OutputArea-output .nysoc-form",
                         has_text=NEW_RECORD).first.wait_for(state="visible")
            summary.wait_for()
        expect(first_prompt(form)).to_have_value("")
        # The summary, run by the new kernel, counts the saved entry under its heading.
        expect(summary.locator("h3")).to_have_text("Overblik: Logbog")
        expect(summary.locator(".nysoc-summary-total")).to_contain_text("1 notat i alt")

        with timings.phase('"Tidligere notater", "Åbn" → text'):
            reopen_first_earlier(form)
            expect(first_prompt(form)).to_have_value(sentence)
            expect(form.locator(".nysoc-message")).to_contain_text("er åbnet")
        shot(page, "voila-logbog-reopened.png")
        failed = False
    finally:
        finish(page, voila, timings, failed, "voila")
    assert timings.elapsed < BUDGET, timings.report()


# -- Notebook 7 -----------------------------------------------------------------------------

def test_notebook7_logbook_saves_an_entry(browser: Browser, notebook7: Server) -> None:
    from playwright.sync_api import expect

    timings = Timings("Notebook 7 journey")
    sentence = danish_sentence()
    page = new_page(browser)
    form = page.locator(".jp-OutputArea-output .nysoc-form").first
    failed = True
    try:
        with timings.phase("server ready"):
            wait_until_ready(notebook7)

        with timings.phase("page → form visible"):
            page.goto(notebook7.url(f"/notebooks/{NOTEBOOK}"))
            page.locator(".jp-NotebookPanel .jp-Cell").first.wait_for()
            wait_for_kernel(page, notebook7)
            run_all(page)  # Notebook 7's Run menu: "runmenu:run-all", as in JupyterLab
            form.wait_for(state="visible")
            page.locator(".jp-OutputArea-output .nysoc-summary").first.wait_for()
        expect(form).to_contain_text(NEW_RECORD)  # in its heading; .nysoc-message is empty

        with timings.phase("fill in"):
            fill_logbook(form, DATE, sentence)

        with timings.phase('click "Gem" → "Gemt kl."'):
            save(form)
        shot(page, "notebook-logbog.png")

        with timings.phase("record found in the store file"):
            assert_one_saved_logbook(notebook7.workspace, DATE, sentence)

        with timings.phase("delete session (kernel)"):
            delete_sessions(page, notebook7)
        failed = False
    finally:
        finish(page, notebook7, timings, failed, "notebook")
    assert timings.elapsed < BUDGET, timings.report()
