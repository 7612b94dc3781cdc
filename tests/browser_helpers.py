"""Helpers shared by the browser tests (``test_browser_*.py``): servers, timing, the form.

A plain module, not a conftest: the tests import it as ``browser_helpers`` (pytest's default
"prepend" import mode puts ``tests/`` on ``sys.path``, as there is no ``tests/__init__.py``).

* :class:`Timings` - seconds per phase, printed by the tests (``pytest -s`` shows them).
* :func:`server_base_env` / :func:`running_server` / :func:`wait_until_ready` - a Jupyter
  server (JupyterLab, Notebook 7 or Voila) as a subprocess on 127.0.0.1 that is always
  terminated, ready when ``/api/status`` answers or, for Voila, when its port accepts.
* :func:`run_all`, :func:`wait_for_kernel`, :func:`delete_sessions` - driving a notebook in
  JupyterLab or Notebook 7 (the same Lumino menus and ``data-command`` ids).
* :func:`fill_logbook`, :func:`button`, :func:`assert_one_saved_logbook` - the logbook form.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from nysoc_widgets.store import Store
from nysoc_widgets.workspace import Workspace

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Locator, Page

#: The checkout these tests belong to; the servers' kernels must import *this* nysoc_widgets.
REPO = Path(__file__).resolve().parent.parent
ARTIFACTS = REPO / "test-artifacts"
NOTEBOOK = "Logbog.ipynb"
#: The logbook's first long-text prompt (field ``i_tvivl_om``) and its date field's id.
FIRST_PROMPT = "Det, jeg er i tvivl om"
FIRST_PROMPT_ID = "i_tvivl_om"
DATE_ID = "dato"


# -- timing -------------------------------------------------------------------------------

@dataclass
class Timings:
    """Seconds per phase, printed at the end of a test."""

    title: str = "journey"
    phases: dict[str, float] = field(default_factory=dict)
    start: float = field(default_factory=time.monotonic)

    @contextmanager
    def phase(self, name: str) -> Iterator[None]:
        began = time.monotonic()
        try:
            yield
        finally:
            self.phases[name] = time.monotonic() - began

    @property
    def elapsed(self) -> float:
        return time.monotonic() - self.start

    def report(self) -> str:
        lines = [f"  {name:<34} {secs:6.2f} s" for name, secs in self.phases.items()]
        lines.append(f"  {'whole journey':<34} {self.elapsed:6.2f} s")
        return f"{self.title} timings:\n" + "\n".join(lines)


# -- servers ------------------------------------------------------------------------------

@dataclass
class Server:
    """A running Jupyter server (or Voila): its process, base URL, token and workspace."""

    name: str
    process: subprocess.Popen[bytes]
    base: str
    port: int
    token: str
    workspace: Workspace
    log: Path

    def url(self, path: str) -> str:
        return f"{self.base}{path}?token={self.token}" if self.token else f"{self.base}{path}"

    def log_tail(self, lines: int = 40) -> str:
        text = self.log.read_text(encoding="utf-8", errors="replace")
        return "\n".join(text.splitlines()[-lines:])


def server_base_env(tmp_path: Path) -> dict[str, str]:
    """This process's environment for a server, kept apart from the user's own Jupyter.

    The repository root goes first on ``PYTHONPATH`` (the server's kernels inherit it and
    must import this checkout); Jupyter's config, runtime and lab settings/workspace
    folders are fresh folders under ``tmp_path``. Pass the result as ``base_env`` to
    :func:`nysoc_widgets.lab.lab_command`, which adds ``NYSOC_WORKSPACE``,
    ``JUPYTER_CONFIG_PATH`` and ``JUPYTER_TOKEN``.
    """
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH")) if p)
    for name, sub in [("JUPYTERLAB_SETTINGS_DIR", "user-settings"),
                      ("JUPYTERLAB_WORKSPACES_DIR", "lab-workspaces"),
                      ("JUPYTER_CONFIG_DIR", "jupyter-config"),
                      ("JUPYTER_RUNTIME_DIR", "jupyter-runtime")]:
        (tmp_path / sub).mkdir(exist_ok=True)
        env[name] = str(tmp_path / sub)
    return env


def running_as_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


@contextmanager
def running_server(name: str, argv: Sequence[str], *, env: dict[str, str], cwd: Path,
                   port: int, token: str, workspace: Workspace, log: Path) -> Iterator[Server]:
    """Start ``argv`` (a server on 127.0.0.1:``port``) and always stop it afterwards.

    Its output goes to ``log``. It gets its own process group, so a server that ignores
    SIGTERM for 15 s is killed with everything it started in that group.
    """
    with log.open("wb") as out:
        process = subprocess.Popen(list(argv), env=env, cwd=cwd, stdout=out,
                                   stderr=subprocess.STDOUT, start_new_session=True)
    try:
        yield Server(name, process, f"http://127.0.0.1:{port}", port, token, workspace, log)
    finally:
        stop_server(process)


def stop_server(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM (Jupyter and Voila then shut their kernels down); SIGKILL if it hangs."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:  # pragma: no cover - only if shutdown hangs
        try:
            os.killpg(process.pid, signal.SIGKILL)  # the group start_new_session made
        except ProcessLookupError:
            pass
        process.wait(timeout=5)


def _port_accepts(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def _status_ok(server: Server, path: str) -> bool:
    try:
        with urllib.request.urlopen(server.url(path), timeout=2) as reply:
            return bool(reply.status == 200)
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


def wait_until_ready(server: Server, timeout: float = 30.0,
                     status_path: str | None = "/api/status") -> None:
    """Wait until the server answers ``status_path`` with 200, or (None) accepts on its port.

    Voila answers ``/api/status`` with 403 in single-notebook mode: poll its port instead.
    Fails with the server's log if it exits or is not ready in time.
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            pytest.fail(f"{server.name} exited with {server.process.returncode}:\n"
                        f"{server.log_tail()}")
        if _port_accepts(server.port) if status_path is None else _status_ok(server,
                                                                             status_path):
            return
        time.sleep(0.05)
    pytest.fail(f"{server.name} was not ready after {timeout:.0f} s:\n{server.log_tail()}")


# -- JupyterLab / Notebook 7 in the browser ---------------------------------------------------

def menu_command(page: Page, command: str, menus: tuple[str, ...]) -> None:
    """Click the menu item with ``data-command=command``, looking in the named menus.

    Menus are found by their label (English, or Danish if the language pack translates it).
    JupyterLab and Notebook 7 share these Lumino menus and their command ids.
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


def wait_for_kernel(page: Page, server: Server, timeout: float = 30.0) -> None:
    """Wait until the notebook's kernel is idle *and* the page is connected to it.

    The toolbar's execution indicator says "idle" before the page's kernel connection
    exists, and a Run All clicked then does nothing; the server's count of the kernel's
    connections shows when the page is really attached.
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        kernels = page.request.get(f"{server.base}/api/kernels",
                                   headers={"Authorization": f"token {server.token}"}).json()
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


def delete_sessions(page: Page, server: Server) -> None:
    """Shut the notebook's kernel down: a kernel outlives its browser tab otherwise."""
    xsrf = next((c["value"] for c in page.context.cookies() if c["name"] == "_xsrf"), "")
    headers = {"X-XSRFToken": xsrf, "Authorization": f"token {server.token}"}
    sessions = page.request.get(f"{server.base}/api/sessions", headers=headers)
    assert sessions.ok, sessions.status
    for session in sessions.json():
        reply = page.request.delete(f"{server.base}/api/sessions/{session['id']}",
                                    headers=headers)
        assert reply.status == 204, (reply.status, reply.text())
    left = page.request.get(f"{server.base}/api/sessions", headers=headers).json()
    assert left == []


def shot(page: Page, filename: str, target: Locator | None = None) -> Path:
    """A screenshot of ``target`` (default: the page) as ``test-artifacts/<filename>``."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / filename
    (target or page).screenshot(path=str(path))
    return path


# -- the logbook form ---------------------------------------------------------------------

def danish_sentence() -> str:
    """A sentence with æøå and a random marker, so a match can only be this test's."""
    import uuid

    marker = uuid.uuid4().hex[:8]
    return (f"Den 23. november 2026 lærte jeg at stå fast i en svær samtale på "
            f"Østergården – æøå ÆØÅ ({marker}).")


def misdrawn_inputs(form: Locator) -> list[str]:
    """The form's visible inputs that look broken: a box reaching outside the nearest
    clipping container (its border cut off; ipywidgets' boxes clip overflow), or a
    one-line dropdown drawn taller than two lines.

    Each is named by its tag, the problem and the label of its field, for a readable failure.
    """
    return form.evaluate("""form => {
      const out = [];
      for (const el of form.querySelectorAll('textarea, input, select')) {
        const r = el.getBoundingClientRect();
        if (r.width === 0) continue;
        const field = el.closest('.nysoc-field');
        const name = field ? field.innerText.split('\\n')[0] : '?';
        if (el.tagName === 'SELECT' && !el.multiple && r.height > 40) {
          out.push('SELECT too tall (' + Math.round(r.height) + ' px): ' + name);
        }
        let box = el.parentElement;
        while (box && getComputedStyle(box).overflowX === 'visible') box = box.parentElement;
        if (!box) continue;
        const b = box.getBoundingClientRect();
        if (r.right > b.right + 0.5 || r.left < b.left - 0.5) {
          out.push(el.tagName + ' cut off: ' + name);
        }
      }
      return out;
    }""")


def button(form: Locator, text: str) -> Locator:
    """The form's button that reads exactly ``text``.

    Not ``get_by_role(name=…)``: an icon's font glyph becomes part of the accessible name.
    """
    return form.locator("button", has_text=re.compile(rf"^\s*{re.escape(text)}\s*$"))


def first_prompt(form: Locator) -> Locator:
    """The textarea of the logbook's first long-text prompt ("Det, jeg er i tvivl om")."""
    return form.get_by_label(FIRST_PROMPT, exact=True)


def fill_logbook(form: Locator, date: str, sentence: str) -> None:
    """Write ``sentence`` in the first prompt and set the date (ISO) in the logbook form."""
    from playwright.sync_api import expect

    form.locator("input[type=date]").first.fill(date)
    text = first_prompt(form)
    text.fill(sentence)
    expect(text).to_have_value(sentence)


def save(form: Locator) -> None:
    """Press "Gem" and wait for the form's "Gemt kl." message."""
    from playwright.sync_api import expect

    button(form, "Gem").click()
    expect(form.locator(".nysoc-message")).to_contain_text("Gemt kl.")


def reopen_first_earlier(form: Locator) -> None:
    """Choose the first of "Tidligere notater" and press "Åbn"."""
    earlier = form.locator(".widget-dropdown", has_text="Tidligere notater")
    earlier.locator("select").select_option(index=0)
    button(form, "Åbn").click()


def assert_one_saved_logbook(workspace: Workspace, date: str, sentence: str) -> None:
    """The store file holds exactly one final logbook record with ``date`` and ``sentence``.

    Read by this (the test's) process, not the kernel: what was saved is on disk.
    """
    with Store.open(workspace.store_path) as store:
        records = store.list_records(pairing=workspace.pairing, template_id="logbog")
    assert len(records) == 1, records
    assert records[0].status == "final"
    assert records[0].values[DATE_ID] == date
    assert records[0].values[FIRST_PROMPT_ID] == sentence


# -- Voila's tree mode: every notebook of a workspace from one server -----------------------

#: The JSON that Voila's page holds for each output until its front end has rendered it.
VOILA_PENDING_OUTPUT = 'script[type="application/vnd.voila.cell-output+json"]'

#: True once Voila has run every cell (its "Running …" spinner, ``#loading``, is gone and
#: ``#rendered_cells`` shown) *and* its front end has rendered every output: no pending
#: output JSON is left and every widget output (a Lumino panel) holds its widget.
_VOILA_RENDERED_JS = """() => {
  const cells = document.getElementById('rendered_cells');
  if (document.getElementById('loading') || !cells || cells.style.display === 'none') {
    return false;
  }
  if (document.querySelector('PENDING')) { return false; }
  return [...cells.querySelectorAll('.jp-OutputArea-output.lm-Panel')]
    .every(panel => panel.childElementCount > 0);
}""".replace("PENDING", VOILA_PENDING_OUTPUT)


def free_tcp_port() -> int:
    """A TCP port on 127.0.0.1 that was free when asked (like conftest's ``free_port``, but
    usable from a fixture of any scope)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


#: The roles whose workspace holds a pairing and forms: the demo is theirs (a coordinator's
#: notebooks have no forms, and its workspace no pairing).
DEMO_ROLES = ("mentee", "mentor", "kontaktperson")


def role_demo_workspace(root: Path, role: str, today: object) -> Workspace:
    """The demo workspace (``nysoc_widgets.demo.create_demo``) as ``role`` has it.

    As in ``tests/test_notebooks.py``: ``create_demo`` makes a mentee's workspace, and a
    mentor or contact person gets the same folder with their role in the config. The folder
    then holds exactly that role's notebooks (``ROLE_NOTEBOOKS``, read now), copied from the
    checkout, so a server in tree mode serves what a new workspace of that role would get.
    """
    import shutil

    from nysoc_widgets.demo import create_demo
    from nysoc_widgets.workspace import ROLE_NOTEBOOKS, notebooks_dir

    ws = create_demo(root, today=today).workspace  # type: ignore[arg-type]
    if role != ws.role:
        config = ws.config_path.read_text(encoding="utf-8")
        ws.config_path.write_text(config.replace(f'role = "{ws.role}"', f'role = "{role}"'),
                                  encoding="utf-8")
    wanted = set(ROLE_NOTEBOOKS[role])
    for path in root.glob("*.ipynb"):
        if path.name not in wanted:
            path.unlink()
    for name in wanted:
        if not (root / name).exists():
            shutil.copyfile(notebooks_dir() / name, root / name)
    ws = Workspace.load(root)
    assert ws.role == role, ws
    return ws


def voila_tree_argv(python: str, root: Path, port: int) -> list[str]:
    """Voila in tree mode for the folder ``root``: ``/voila/render/<name>.ipynb`` renders a
    notebook with a kernel of its own. Tracebacks are shown, so a failing cell says why."""
    return [python, "-m", "voila", str(root), "--no-browser", f"--port={port}",
            "--Voila.ip=127.0.0.1", "--Voila.port_retries=0",
            "--VoilaConfiguration.show_tracebacks=True"]


def wait_for_voila_render(page: Page, timeout: float = 60.0) -> None:
    """Wait until Voila has run every cell and rendered every output (``_VOILA_RENDERED_JS``)."""
    page.wait_for_function(_VOILA_RENDERED_JS, timeout=timeout * 1000, polling=100)


def shutdown_voila_kernel(page: Page, server: Server) -> None:
    """Shut down the kernel of the notebook open in ``page`` (Voila keeps it otherwise).

    Uses the endpoint Voila's own page calls on ``beforeunload``
    (``POST /voila/api/shutdown/<kernel id>``); the id is in the page's config data. That
    call needs an ``_xsrf`` cookie, which ``/voila/render/…`` never sets (Voila 0.5.13: its
    own call then fails with 403 and the kernel lives on until the server stops); the tree
    page sets one, so it is fetched once first.
    """
    import json

    config = json.loads(page.locator("#jupyter-config-data").text_content() or "{}")
    kernel_id = config.get("kernelId")
    assert kernel_id, "the Voila page names no kernel"

    def xsrf_cookie() -> str:
        return next((c["value"] for c in page.context.cookies(server.base)
                     if c["name"] == "_xsrf"), "")

    if not xsrf_cookie():
        assert page.request.get(server.url("/voila/tree")).ok
    xsrf = xsrf_cookie()
    assert xsrf, "Voila's tree page set no _xsrf cookie"
    reply = page.request.post(server.url(f"/voila/api/shutdown/{kernel_id}"),
                              headers={"X-XSRFToken": xsrf})
    assert reply.status == 204, (reply.status, reply.text())


def shot_whole(page: Page, filename: str, scroller: str = "#rendered_cells",
               width: int = 1280, max_height: int = 12000) -> Path:
    """A screenshot of all of the page, whose content scrolls inside ``scroller``.

    Voila's lab template scrolls ``#rendered_cells`` inside a 100vh box, so a "full page"
    screenshot would show only the viewport: the viewport is grown to the content first.
    """
    height = page.locator(scroller).evaluate("el => el.scrollHeight")
    page.set_viewport_size({"width": width, "height": max(600, min(int(height) + 40,
                                                                   max_height))})
    return shot(page, filename)


# -- a notebook in either front end (test_browser_journeys.py, test_browser_app_cli.py) -----

if TYPE_CHECKING:
    from nysoc_widgets.records import Record

#: True once JupyterLab's open notebook has run: ``n`` (the argument) of its code cells
#: show output, every widget output (a Lumino panel) holds its widget, and the kernel is
#: idle. Only the notebook panel that is shown counts (another tab's copy never matches).
_LAB_RENDERED_JS = """n => {
  const panel = [...document.querySelectorAll('.jp-NotebookPanel')]
    .find(p => !p.classList.contains('lm-mod-hidden'));
  if (!panel) { return false; }
  const cells = [...panel.querySelectorAll('.jp-CodeCell')];
  if (cells.filter(c => c.querySelector('.jp-OutputArea-output')).length < n) { return false; }
  const widgets = [...panel.querySelectorAll('.jp-OutputArea-output.lm-Panel')];
  if (!widgets.every(w => w.childElementCount > 0)) { return false; }
  return !!panel.querySelector('.jp-Notebook-ExecutionIndicator[data-status="idle"]');
}"""


def cells_with_output(notebook: Path) -> int:
    """How many code cells of ``notebook`` show something: all but the setup cell (tagged
    ``nysoc-setup``, the one ``import``)."""
    import nbformat

    nb = nbformat.read(notebook, as_version=4)
    return sum(1 for c in nb.cells if c.cell_type == "code"
               and "nysoc-setup" not in c.metadata.get("tags", []))


def wait_for_lab_render(page: Page, outputs: int, timeout: float = 90.0) -> None:
    """Wait until the notebook shown in JupyterLab has run (``_LAB_RENDERED_JS``)."""
    page.wait_for_function(_LAB_RENDERED_JS, arg=outputs, timeout=timeout * 1000,
                           polling=100)


def assert_no_code_visible(page: Page, notebook: Path) -> None:
    """A Voilà app: no input area, no editor, none of ``notebook``'s code on the page."""
    import nbformat
    from playwright.sync_api import expect

    expect(page.locator(".jp-CodeCell .jp-InputArea")).to_have_count(0)
    expect(page.locator(".jp-InputArea-editor, .cm-editor, .CodeMirror")).to_have_count(0)
    text = page.locator("body").inner_text()
    for cell in nbformat.read(notebook, as_version=4).cells:
        if cell.cell_type == "code":
            assert cell.source.strip() not in text, f"code is visible: {cell.source!r}"


def form_field(form: Locator, label: str) -> Locator:
    """The ``.nysoc-field`` box of the question labelled exactly ``label`` (its input's
    label, or the bold line above a group of checkboxes)."""
    return form.locator(".nysoc-field").filter(
        has=form.page.get_by_text(label, exact=True)).first


def checkbox(scope: Locator, label: str) -> Locator:
    """The checkbox labelled exactly ``label`` in ``scope``."""
    return scope.get_by_role("checkbox", name=label, exact=True)


def final_records(workspace: Workspace, template_id: str) -> list[Record]:
    """The final records of ``template_id`` in the workspace's store file (read by this,
    the test's, process: what was saved is on disk)."""
    with Workspace.load(workspace.root).open_store() as store:
        return list(store.list_records(pairing=workspace.pairing, template_id=template_id,
                                       status="final"))


def wait_for_final_record(workspace: Workspace, template_id: str, timeout: float = 30.0,
                          poll: float = 0.02) -> list[Record]:
    """Poll the store file until a final ``template_id`` record is there; returns them."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        records = final_records(workspace, template_id)
        if records:
            return records
        time.sleep(poll)
    pytest.fail(f"no final {template_id!r} record in the store after {timeout:.0f} s")


def listening_addresses(port: int) -> list[str]:
    """The local addresses on which some process listens on TCP ``port`` (Linux
    ``/proc/net/tcp`` and ``tcp6``), e.g. ``["127.0.0.1"]``; no network is touched."""
    import ipaddress

    found = []
    for table, width in (("/proc/net/tcp", 4), ("/proc/net/tcp6", 16)):
        try:
            lines = Path(table).read_text(encoding="ascii").splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.split(":")
            if state != "0A" or int(hex_port, 16) != port:  # 0A: LISTEN
                continue
            raw = bytes.fromhex(address)
            # /proc prints each 32-bit word in host (little-endian) order.
            raw = b"".join(raw[i:i + 4][::-1] for i in range(0, width, 4))
            found.append(str(ipaddress.ip_address(raw)))
    return found


class RoleServers:
    """One Voilà (tree mode) per role, on that role's demo workspace (``role_demo_workspace``
    as of ``today``), started on first use. Tests run role by role: the previous role's
    server is stopped when the next role's starts (``before_switch`` runs first), and all at
    :meth:`close`. Phases are timed into ``timings`` when given."""

    def __init__(self, tmp: pytest.TempPathFactory, today: object, *, prefix: str = "voila",
                 budget: float = 30.0, timings: Timings | None = None,
                 before_switch: Callable[[], None] | None = None) -> None:
        self.tmp, self.today, self.prefix, self.budget = tmp, today, prefix, budget
        self.timings = timings or Timings(f"Voila per role ({prefix})")
        self.before_switch = before_switch
        self.role: str | None = None
        self.server: Server | None = None
        self.stack = ExitStack()

    def get(self, role: str) -> Server:
        if self.role == role and self.server is not None:
            return self.server
        if self.before_switch is not None:
            self.before_switch()
        self.stack.close()  # the previous role's server, if any
        self.stack = ExitStack()
        self.role, self.server = role, None
        root = self.tmp.mktemp(f"{self.prefix}-{role}")
        with self.timings.phase(f"{role}: demo workspace"):
            ws = role_demo_workspace(root / "arbejdsomraade", role, self.today)
        port = free_tcp_port()
        from nysoc_widgets.lab import lab_command

        env = lab_command(ws.root, port=port, token="", base_env=server_base_env(root)).env
        assert env["NYSOC_WORKSPACE"] == str(ws.root)
        server = self.stack.enter_context(running_server(
            f"Voila ({role})", voila_tree_argv(sys.executable, ws.root, port), env=env,
            cwd=ws.root, port=port, token="", workspace=ws, log=root / "voila.log"))
        with self.timings.phase(f"{role}: server ready"):
            wait_until_ready(server, timeout=self.budget, status_path=None)
        self.server = server
        return server

    def close(self) -> None:
        self.stack.close()


@contextmanager
def danish_page(browser: Browser) -> Iterator[Page]:
    """A page of its own context: Danish, 1280×1000, 20 s timeouts; closed afterwards."""
    context = browser.new_context(viewport={"width": 1280, "height": 1000}, locale="da-DK")
    page = context.new_page()
    page.set_default_timeout(20_000)
    try:
        yield page
    finally:
        context.close()
