"""The mentee's logbook journey in a real JupyterLab, driven by headless Chromium.

Start JupyterLab on a fresh mentee workspace (as ``nysoc lab`` would: the CLI's own
``lab_command`` and ``write_lab_settings``), open ``Logbog.ipynb``, Run All, write an
entry with æøå, press "Gem", find it in the store file, restart the kernel and open the
entry again from "Tidligere notater". Screenshots go to ``test-artifacts/``; each phase
is timed and printed (``pytest -s`` shows the timings).
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
    menu_command,
    misdrawn_inputs,
    reopen_first_earlier,
    run_all,
    running_as_root,
    running_server,
    save,
    server_base_env,
    wait_for_kernel,
    wait_until_ready,
)
from browser_helpers import shot as _shot

from nysoc_widgets.lab import lab_command, write_lab_settings
from nysoc_widgets.workspace import init_workspace

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Locator, Page

#: The whole journey must stay well inside this (seconds).
BUDGET = 60.0

pytestmark = [pytest.mark.browser, pytest.mark.slow]


# -- the server ---------------------------------------------------------------------------

@pytest.fixture
def lab(tmp_path: Path, free_port: int) -> Iterator[Server]:
    """JupyterLab on 127.0.0.1 serving a fresh mentee workspace, stopped afterwards."""
    ws = init_workspace(tmp_path / "arbejdsomraade", "mentee", mentee="Test Mentee")
    write_lab_settings(ws.root)  # fetchNews off, Danish language pack, as `nysoc lab` does
    token = uuid.uuid4().hex
    cmd = lab_command(ws.root, port=free_port, token=token, open_browser=False,
                      notebook=NOTEBOOK, base_env=server_base_env(tmp_path),
                      python=sys.executable, allow_root=running_as_root())
    assert cmd.env["NYSOC_WORKSPACE"] == str(ws.root)
    with running_server("JupyterLab", cmd.argv, env=cmd.env, cwd=ws.root, port=free_port,
                        token=token, workspace=ws, log=tmp_path / "jupyterlab.log") as server:
        yield server


def shot(page: Page, name: str, target: Locator | None = None) -> Path:
    return _shot(page, f"logbog-{name}.png", target)


# -- the journey ----------------------------------------------------------------------------

def test_mentee_writes_saves_and_reopens_a_logbook_entry(browser: Browser, lab: Server) -> None:
    from playwright.sync_api import expect

    timings = Timings("logbook journey")
    sentence = danish_sentence()
    # Tall enough for the whole form, so element screenshots show all of it.
    context = browser.new_context(viewport={"width": 1280, "height": 3200}, locale="da-DK")
    page = context.new_page()
    page.set_default_timeout(20_000)
    try:
        with timings.phase("server ready"):
            wait_until_ready(lab)

        with timings.phase("notebook open, kernel idle"):
            page.goto(lab.url(f"/lab/tree/{NOTEBOOK}"))
            page.locator(".jp-NotebookPanel .jp-Cell").first.wait_for()
            wait_for_kernel(page, lab)

        form = page.locator(".jp-OutputArea-output .nysoc-form").first
        with timings.phase("Run All → form visible"):
            run_all(page)
            form.wait_for(state="visible")
            page.locator(".jp-OutputArea-output .nysoc-summary").first.wait_for()
        shot(page, "1-form", form)
        assert misdrawn_inputs(form) == []  # borders whole, dropdowns one line high
        shot(page, "1-page")

        with timings.phase("fill in"):
            fill_logbook(form, "2026-11-23", sentence)

        with timings.phase('click "Gem" → "Gemt kl."'):
            save(form)
        shot(page, "2-saved", form)

        with timings.phase("record found in the store file"):
            assert_one_saved_logbook(lab.workspace, "2026-11-23", sentence)

        with timings.phase("restart and run all → record shown"):
            menu_command(page, "runmenu:restart-and-run-all", ("Kernel", "Run", "Kør"))
            page.locator(".jp-Dialog .jp-mod-accept").click()
            # The new kernel's form starts a new record; the old one said "Du redigerer …".
            page.locator(".jp-OutputArea-output .nysoc-form",
                         has_text="Nyt notat – ikke gemt endnu").first.wait_for(state="visible")
            form = page.locator(".jp-OutputArea-output .nysoc-form").first  # the new kernel's
            summary = page.locator(".jp-OutputArea-output .nysoc-summary").first
            expect(summary).to_contain_text("1 notat i alt")
            reopen_first_earlier(form)
            expect(first_prompt(form)).to_have_value(sentence)
            expect(form.locator(".nysoc-message")).to_contain_text("er åbnet")
        shot(page, "3-reopened", form)
        shot(page, "3-summary", summary)

        with timings.phase("delete session (kernel)"):
            delete_sessions(page, lab)
    except BaseException:  # pytest.fail raises a BaseException
        shot(page, "failure")
        print(f"\nJupyterLab log (last lines):\n{lab.log_tail()}")
        raise
    finally:
        context.close()
        print("\n" + timings.report())
        print(json.dumps({k: round(v, 2) for k, v in timings.phases.items()}))
    assert timings.elapsed < BUDGET, timings.report()
