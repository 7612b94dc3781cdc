"""``nysoc app NOTEBOOK`` for real: the command a user types, a browser, the store file.

The test runs the installed command (``nysoc`` beside this Python, i.e. ``.venv/bin/nysoc``)
as a subprocess in a session of its own, reads the address it prints, opens it in headless
Chromium and uses the logbook as a mentee would. It measures, and prints (``pytest -s``):

(a) from starting the command to an interactive form (the logbook's first text field
    editable in the page);
(b) from clicking "Gem" to the record being in the store file (the store is polled).

It also checks what the user is promised: no code on the page, the server listens on
127.0.0.1 only and turns away a request without the token, and Ctrl+C (SIGINT to the
command's process group, as a terminal sends it) stops the app with "Appen er stoppet."
and exit status 0. A notebook that does not exist gives one Danish line and status 1.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest
from browser_helpers import (
    FIRST_PROMPT_ID,
    NOTEBOOK,
    Timings,
    assert_no_code_visible,
    button,
    danish_sentence,
    fill_logbook,
    final_records,
    first_prompt,
    listening_addresses,
    server_base_env,
    shot_whole,
    wait_for_final_record,
)

from nysoc_widgets.workspace import Workspace, init_workspace

if TYPE_CHECKING:
    from playwright.sync_api import Browser

pytestmark = [pytest.mark.browser, pytest.mark.slow]

#: The installed command, beside the Python running the tests (``.venv/bin/nysoc``).
NYSOC = Path(sys.executable).with_name("nysoc")
URL = re.compile(r"http://127\.0\.0\.1:(?P<port>\d+)/\?token=(?P<token>[\w-]+)")
DATE = "2026-11-23"
#: Seconds; generous: two cores, shared with other test runs.
START_BUDGET = 90.0
SAVE_BUDGET = 10.0
STOP_TIMEOUT = 30.0


@dataclass
class Command:
    """A running ``nysoc`` command: its process and everything it printed so far."""

    process: subprocess.Popen[bytes]
    log: Path
    lines: list[str] = field(default_factory=list)

    @property
    def output(self) -> str:
        return "\n".join(self.lines)

    def read(self) -> None:
        """Collect the output (stdout and stderr, merged) line by line; runs in a thread."""
        assert self.process.stdout is not None
        with self.log.open("w", encoding="utf-8") as log:
            for raw in self.process.stdout:
                line = raw.decode("utf-8", "replace").rstrip("\n")
                self.lines.append(line)
                log.write(line + "\n")
                log.flush()

    def wait_for(self, pattern: re.Pattern[str], timeout: float) -> re.Match[str]:
        """The first match of ``pattern`` in a printed line; fails if the command exits
        or prints no such line in time."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for line in list(self.lines):
                if match := pattern.search(line):
                    return match
            if self.process.poll() is not None:
                pytest.fail(f"nysoc app exited with {self.process.returncode}:\n{self.output}")
            time.sleep(0.02)
        pytest.fail(f"nysoc app printed no {pattern.pattern!r} in {timeout:.0f} s:\n"
                    f"{self.output}")


@contextmanager
def nysoc(args: Sequence[str], *, env: dict[str, str], cwd: Path, log: Path
          ) -> Iterator[Command]:
    """Run ``nysoc *args`` in a new session (its own process group, like a terminal's
    foreground job), and always end that group: SIGTERM, then SIGKILL."""
    if not NYSOC.is_file():
        pytest.skip(f"{NYSOC} is not installed (pip install -e .)")
    process = subprocess.Popen([str(NYSOC), *args], env=env, cwd=cwd,
                               stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, start_new_session=True)
    command = Command(process, log)
    reader = threading.Thread(target=command.read, daemon=True)
    reader.start()
    try:
        yield command
    finally:
        stop_group(process)
        reader.join(timeout=10)
        if process.stdout is not None:
            process.stdout.close()


def stop_group(process: subprocess.Popen[bytes]) -> None:
    """End the process group the command leads (the command, Voilà and its kernels)."""
    for sig, wait in ((signal.SIGTERM, 15), (signal.SIGKILL, 5)):
        try:
            os.killpg(process.pid, sig)  # the group start_new_session made: ours alone
        except ProcessLookupError:
            return
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            try:
                os.killpg(process.pid, 0)
            except ProcessLookupError:
                process.poll()
                return
            process.poll()  # reap the leader, so it does not count as alive
            time.sleep(0.1)


def port_accepts(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def get(url: str) -> tuple[int, str, str]:
    """(status, Location header, body) of a GET, redirects not followed."""
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(url, timeout=30) as reply:
            return reply.status, reply.headers.get("Location", ""), reply.read().decode()
    except urllib.error.HTTPError as reply:
        return reply.code, reply.headers.get("Location", ""), reply.read().decode()


@pytest.fixture
def workspace(tmp_path: Path) -> Workspace:
    return init_workspace(tmp_path / "arbejdsomraade", "mentee", mentee="Test Mentee")


# -- the journey --------------------------------------------------------------------------

def test_nysoc_app_serves_the_logbook(browser: Browser, workspace: Workspace, tmp_path: Path,
                                      free_port: int) -> None:
    """A mentee types ``nysoc app Logbog.ipynb`` and opens the address it prints. She
    relies on getting the form quickly, with no code; on "Gem" putting the entry in her
    store; on nobody else reaching the app (127.0.0.1 only, token required); and on
    Ctrl+C stopping it cleanly, in Danish."""
    from playwright.sync_api import expect

    timings = Timings("nysoc app")
    sentence = danish_sentence()
    args = ["app", NOTEBOOK, "--no-browser", "--port", str(free_port),
            "--workspace", str(workspace.root)]
    context = browser.new_context(viewport={"width": 1280, "height": 1600}, locale="da-DK")
    page = context.new_page()
    page.set_default_timeout(30_000)
    outside: list[str] = []
    page.on("request", lambda r: outside.append(r.url)
            if urlsplit(r.url).scheme in ("http", "https", "ws", "wss")
            and urlsplit(r.url).netloc != f"127.0.0.1:{free_port}" else None)
    form = page.locator(".jp-OutputArea-output .nysoc-form-logbog").first
    failed = True
    started = time.monotonic()
    with nysoc(args, env=server_base_env(tmp_path), cwd=tmp_path,
               log=tmp_path / "nysoc-app.log") as app:
        try:
            # (a) command → interactive form
            with timings.phase("(a1) command → address printed"):
                url = app.wait_for(URL, START_BUDGET)
            assert int(url["port"]) == free_port
            assert "Logbog starter som app" in app.output
            with timings.phase("(a2) address → port accepts"):
                while not port_accepts("127.0.0.1", free_port):
                    assert app.process.poll() is None, app.output
                    assert time.monotonic() - started < START_BUDGET, app.output
                    time.sleep(0.02)
            with timings.phase("(a3) page → first field editable"):
                page.goto(url[0])
                expect(first_prompt(form)).to_be_editable(timeout=START_BUDGET * 1000)
            to_interactive = time.monotonic() - started
            timings.phases["(a) command → interactive form"] = to_interactive

            assert_no_code_visible(page, workspace.root / NOTEBOOK)
            fill_logbook(form, DATE, sentence)

            # (b) "Gem" → record in the store file
            assert final_records(workspace, "logbog") == []
            clicked = time.monotonic()
            button(form, "Gem").click()
            [record] = wait_for_final_record(workspace, "logbog", timeout=SAVE_BUDGET * 3,
                                             poll=0.01)
            to_store = time.monotonic() - clicked
            timings.phases['(b) "Gem" → record in the store'] = to_store
            assert record.values[FIRST_PROMPT_ID] == sentence
            assert record.values["dato"] == DATE
            expect(form.locator(".nysoc-message")).to_contain_text("Gemt kl.")
            shot_whole(page, "app-cli-logbog.png")
            assert outside == [], f"the app fetched from beyond itself: {outside}"

            # Only this computer, only with the token.
            if Path("/proc/net/tcp").exists():  # Linux: the listening sockets themselves
                assert listening_addresses(free_port) == ["127.0.0.1"]
            assert not port_accepts("127.0.0.2", free_port), "listens beyond 127.0.0.1"
            base = f"http://127.0.0.1:{free_port}/"
            for no_token in (base, f"{base}?token=forkert"):
                status, location, body = get(no_token)
                assert status in (302, 401, 403), (no_token, status)
                assert status != 302 or "/login" in location, location
                assert "Min logbog" not in body and "nysoc" not in body.lower()
            status, _, body = get(url[0])
            assert status == 200 and "Min logbog" in body  # the token opens it
            stranger = browser.new_context().new_page()  # no token, no cookie
            stranger.goto(base)
            assert "/login" in stranger.url
            expect(stranger.locator(".nysoc-form")).to_have_count(0)
            stranger.context.close()

            # Ctrl+C: the terminal sends SIGINT to the whole foreground group.
            with timings.phase("Ctrl+C → exit"):
                os.killpg(app.process.pid, signal.SIGINT)
                code = app.process.wait(timeout=STOP_TIMEOUT)
            app_stopped = time.monotonic() + 10
            while "Appen er stoppet." not in app.output and time.monotonic() < app_stopped:
                time.sleep(0.05)  # the reader thread may still hold the last line
            assert code == 0, app.output
            assert app.lines[-1] == "Appen er stoppet.", app.output
            assert "Traceback" not in app.output, app.output
            assert not port_accepts("127.0.0.1", free_port), "the app still answers"
            failed = False
        finally:
            if failed:
                shot_whole(page, "app-cli-failure.png")
                print(f"\nnysoc app printed:\n{app.output}")
            context.close()
            print("\n" + timings.report())
            print(json.dumps({k: round(v, 3) for k, v in timings.phases.items()}))
    assert to_interactive < START_BUDGET, timings.report()
    assert to_store < SAVE_BUDGET, timings.report()


def test_nysoc_app_unknown_notebook_fails_in_danish(workspace: Workspace,
                                                   tmp_path: Path) -> None:
    """A mistyped notebook name: the user relies on one Danish line saying what is
    missing and where, exit status 1, and no server left running."""
    if not NYSOC.is_file():
        pytest.skip(f"{NYSOC} is not installed (pip install -e .)")
    done = subprocess.run([str(NYSOC), "app", "Findes_ikke.ipynb", "--no-browser",
                           "--workspace", str(workspace.root)],
                          env=server_base_env(tmp_path), cwd=tmp_path,
                          stdin=subprocess.DEVNULL, capture_output=True, timeout=120)
    err = done.stderr.decode()
    assert done.returncode == 1, (done.returncode, err)
    assert done.stdout == b""
    assert err.endswith("\n") and len(err.splitlines()) == 1, err
    line = err.strip()
    assert line.startswith("Fejl: "), line
    assert "Findes_ikke.ipynb findes ikke i arbejdsområdet" in line, line
    assert str(workspace.root) in line, line
    assert "Traceback" not in err and "Error" not in err, err


def test_killing_nysoc_app_stops_the_server_too(workspace: Workspace, tmp_path: Path,
                                                free_port: int) -> None:
    """An IT script or a closed terminal ends ``nysoc app`` with SIGTERM (``kill PID``),
    sent to nysoc alone: the Voilà server it started must stop with it, so nothing keeps
    serving the workspace's logbook on the port."""
    args = ["app", "Logbog.ipynb", "--no-browser", "--port", str(free_port),
            "--workspace", str(workspace.root)]
    with nysoc(args, env=server_base_env(tmp_path), cwd=tmp_path,
               log=tmp_path / "nysoc-app.log") as app:
        app.wait_for(URL, timeout=60)
        deadline = time.monotonic() + 60
        while not port_accepts("127.0.0.1", free_port):
            assert time.monotonic() < deadline, app.output
            time.sleep(0.2)
        app.process.send_signal(signal.SIGTERM)  # nysoc only, not its process group
        assert app.process.wait(timeout=STOP_TIMEOUT) == 0, app.output
        deadline = time.monotonic() + STOP_TIMEOUT
        while port_accepts("127.0.0.1", free_port):
            assert time.monotonic() < deadline, "the server outlived nysoc app"
            time.sleep(0.2)
        assert "Appen er stoppet." in app.output or app.process.returncode == 0
