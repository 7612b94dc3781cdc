"""The mentee's logbook journey in a real JupyterLab, driven by headless Chromium.

Start JupyterLab on a fresh mentee workspace (as ``nysoc lab`` would: the CLI's own
``lab_command`` and ``write_lab_settings``), open ``Logbog.ipynb``, Run All, write an
entry with æøå, press "Gem", find it in the store file, restart the kernel and open the
entry again from "Tidligere notater". Screenshots go to ``test-artifacts/``; each phase
is timed and printed (``pytest -s`` shows the timings).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from nysoc_widgets.cli import lab_command, write_lab_settings
from nysoc_widgets.store import Store
from nysoc_widgets.workspace import Workspace, init_workspace

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Locator, Page

REPO = Path(__file__).resolve().parent.parent
ARTIFACTS = REPO / "test-artifacts"
NOTEBOOK = "Logbog.ipynb"
#: The whole journey must stay well inside this (seconds).
BUDGET = 60.0

pytestmark = [pytest.mark.browser, pytest.mark.slow]


# -- timing -------------------------------------------------------------------------------

@dataclass
class Timings:
    """Seconds per phase, printed at the end of the test."""

    phases: dict[str, float] = field(default_factory=dict)
    start: float = field(default_factory=time.monotonic)

    @contextmanager
    def phase(self, name: str) -> Iterator[None]:
        began = time.monotonic()
        try:
            yield
        finally:
            self.phases[name] = time.monotonic() - began

    def report(self) -> str:
        lines = [f"  {name:<34} {secs:6.2f} s" for name, secs in self.phases.items()]
        lines.append(f"  {'whole journey':<34} {time.monotonic() - self.start:6.2f} s")
        return "logbook journey timings:\n" + "\n".join(lines)


# -- the server ---------------------------------------------------------------------------

@dataclass
class Lab:
    """A running JupyterLab: its process, base URL, token and workspace."""

    process: subprocess.Popen[bytes]
    base: str
    token: str
    workspace: Workspace
    log: Path

    def url(self, path: str) -> str:
        return f"{self.base}{path}?token={self.token}"

    def log_tail(self, lines: int = 40) -> str:
        text = self.log.read_text(encoding="utf-8", errors="replace")
        return "\n".join(text.splitlines()[-lines:])


def wait_until_ready(lab: Lab, timeout: float = 30.0) -> None:
    """Poll ``/api/status`` until the server answers (or fail with its log)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if lab.process.poll() is not None:
            pytest.fail(f"JupyterLab exited with {lab.process.returncode}:\n{lab.log_tail()}")
        try:
            with urllib.request.urlopen(lab.url("/api/status"), timeout=2) as reply:
                if reply.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.1)
    pytest.fail(f"JupyterLab was not ready after {timeout:.0f} s:\n{lab.log_tail()}")


@pytest.fixture
def lab(tmp_path: Path, free_port: int) -> Iterator[Lab]:
    """JupyterLab on 127.0.0.1 serving a fresh mentee workspace, stopped afterwards."""
    ws = init_workspace(tmp_path / "arbejdsomraade", "mentee", mentee="Test Mentee")
    write_lab_settings(ws.root)  # fetchNews off, Danish language pack, as `nysoc lab` does
    base_env = dict(os.environ)
    # The kernel must import this checkout (the server's kernels inherit its environment).
    base_env["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(REPO), base_env.get("PYTHONPATH")) if p)
    # Keep the user's own Jupyter settings, layouts and runtime files out of the test.
    for name, sub in [("JUPYTERLAB_SETTINGS_DIR", "user-settings"),
                      ("JUPYTERLAB_WORKSPACES_DIR", "lab-workspaces"),
                      ("JUPYTER_CONFIG_DIR", "jupyter-config"),
                      ("JUPYTER_RUNTIME_DIR", "jupyter-runtime")]:
        (tmp_path / sub).mkdir()
        base_env[name] = str(tmp_path / sub)
    token = uuid.uuid4().hex
    cmd = lab_command(ws.root, port=free_port, token=token, open_browser=False,
                      notebook=NOTEBOOK, base_env=base_env, python=sys.executable,
                      allow_root=hasattr(os, "geteuid") and os.geteuid() == 0)
    assert cmd.env["NYSOC_WORKSPACE"] == str(ws.root)
    log = tmp_path / "jupyterlab.log"
    with log.open("wb") as out:
        process = subprocess.Popen(cmd.argv, env=cmd.env, stdout=out, stderr=subprocess.STDOUT,
                                   cwd=ws.root)
    server = Lab(process, f"http://127.0.0.1:{free_port}", token, ws, log)
    try:
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:  # pragma: no cover - only if shutdown hangs
            process.kill()
            process.wait(timeout=5)


# -- JupyterLab in the browser --------------------------------------------------------------

def menu_command(page: Page, command: str, menus: tuple[str, ...]) -> None:
    """Click the menu item with ``data-command=command``, looking in the named menus.

    Menus are found by their label (English, or Danish if the language pack translates it).
    """
    for label in menus:
        item = page.locator(".lm-MenuBar-item", has_text=re.compile(rf"^\s*{label}\s*$"))
        if item.count() == 0:
            continue
        item.first.click()
        entry = page.locator(f'.lm-Menu:visible [data-command="{command}"]')
        if entry.count():
            entry.first.click()
            return
        page.keyboard.press("Escape")
    pytest.fail(f"no menu item {command!r} in the menus {menus}")


def wait_for_kernel(page: Page, lab: Lab, timeout: float = 30.0) -> None:
    """Wait until the notebook's kernel is idle *and* the page is connected to it.

    The toolbar's execution indicator says "idle" before the page's kernel connection
    exists, and a Run All clicked then does nothing; the server's count of the kernel's
    connections shows when the page is really attached.
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        kernels = page.request.get(f"{lab.base}/api/kernels",
                                   headers={"Authorization": f"token {lab.token}"}).json()
        if any(k["execution_state"] == "idle" and k.get("connections", 0) > 0
               for k in kernels):
            page.locator('.jp-Notebook-ExecutionIndicator[data-status="idle"]').first.wait_for()
            return
        time.sleep(0.1)
    pytest.fail(f"the notebook's kernel was not connected after {timeout:.0f} s")


def run_all(page: Page) -> None:
    """Run All, again if the first click did nothing (it can, right after a server start)."""
    for _attempt in range(3):
        menu_command(page, "runmenu:run-all", ("Run", "Kør"))
        try:
            # Hidden inputs show no "[*]" prompt: wait for the first output instead (the
            # kernel's "busy" is no sign: the widget manager's own requests cause it too).
            page.locator(".jp-NotebookPanel .jp-OutputArea-output").first.wait_for(
                state="attached", timeout=8000)
            return
        except Exception:  # noqa: BLE001 - playwright's TimeoutError: try once more
            continue
    pytest.fail("Run All did not start any cell in three tries")


def button(form: Locator, text: str) -> Locator:
    """The form's button that reads exactly ``text``.

    Not ``get_by_role(name=…)``: an icon's font glyph becomes part of the accessible name.
    """
    return form.locator("button", has_text=re.compile(rf"^\s*{re.escape(text)}\s*$"))


def shot(page: Page, name: str, target: Locator | None = None) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"logbog-{name}.png"
    (target or page).screenshot(path=str(path))
    return path


def delete_sessions(page: Page, lab: Lab) -> None:
    """Shut the notebook's kernel down: a kernel outlives its browser tab otherwise."""
    xsrf = next((c["value"] for c in page.context.cookies() if c["name"] == "_xsrf"), "")
    headers = {"X-XSRFToken": xsrf, "Authorization": f"token {lab.token}"}
    sessions = page.request.get(f"{lab.base}/api/sessions", headers=headers)
    assert sessions.ok, sessions.status
    for session in sessions.json():
        reply = page.request.delete(f"{lab.base}/api/sessions/{session['id']}", headers=headers)
        assert reply.status == 204, (reply.status, reply.text())
    left = page.request.get(f"{lab.base}/api/sessions", headers=headers).json()
    assert left == []


# -- the journey ----------------------------------------------------------------------------

def test_mentee_writes_saves_and_reopens_a_logbook_entry(browser: Browser, lab: Lab) -> None:
    from playwright.sync_api import expect

    timings = Timings()
    marker = uuid.uuid4().hex[:8]
    sentence = (f"Den 23. november 2026 lærte jeg at stå fast i en svær samtale på "
                f"Østergården – æøå ÆØÅ ({marker}).")
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
        shot(page, "1-page")

        with timings.phase("fill in"):
            form.locator("input[type=date]").first.fill("2026-11-23")
            first_text = form.locator("textarea").first
            first_text.fill(sentence)
            expect(first_text).to_have_value(sentence)

        with timings.phase('click "Gem" → "Gemt kl."'):
            button(form, "Gem").click()
            expect(form.locator(".nysoc-message")).to_contain_text("Gemt kl.")
        shot(page, "2-saved", form)

        with timings.phase("record found in the store file"):
            with Store.open(lab.workspace.store_path) as store:
                records = store.list_records(pairing=lab.workspace.pairing,
                                             template_id="logbog")
            assert len(records) == 1
            assert records[0].status == "final"
            assert records[0].values["dato"] == "2026-11-23"
            assert sentence in records[0].values.values()

        with timings.phase("restart and run all → record shown"):
            menu_command(page, "runmenu:restart-and-run-all", ("Kernel", "Run", "Kør"))
            page.locator(".jp-Dialog .jp-mod-accept").click()
            # The new kernel's form starts a new record; the old one said "Du redigerer …".
            page.locator(".jp-OutputArea-output .nysoc-form",
                         has_text="Nyt notat – ikke gemt endnu").first.wait_for(state="visible")
            form = page.locator(".jp-OutputArea-output .nysoc-form").first  # the new kernel's
            summary = page.locator(".jp-OutputArea-output .nysoc-summary").first
            expect(summary).to_contain_text("1 notat i alt")
            earlier = form.locator(".widget-dropdown", has_text="Tidligere notater")
            earlier.locator("select").select_option(index=0)
            button(form, "Åbn").click()
            expect(form.locator("textarea").first).to_have_value(sentence)
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
    assert time.monotonic() - timings.start < BUDGET, timings.report()
