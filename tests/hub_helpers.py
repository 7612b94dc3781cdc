"""A real JupyterHub on 127.0.0.1 running ``deploy/jupyterhub_config.py``, for tests and for
``deploy/measure_hub.py``.

A plain module without pytest (the measuring script imports it too): failures raise
:class:`HubError` with the hub's log tail.

* :func:`missing_requirements` - what a trial hub needs and is not here (node, the
  configurable-http-proxy from npm in ``.cache/npm-hub``, JupyterHub itself);
* :func:`running_hub` - writes a trial config that loads the production config and swaps in
  what a test needs (SimpleLocalProcessSpawner with homes under a temporary folder, a shared
  password instead of PAM, an admin service token for the test driver), starts the hub and
  always stops it with every server it started;
* :class:`TrialHub` - the hub's REST API (start a user's server, a token for a user) and
  plain HTTP requests through the proxy, with or without a user's token;
* :class:`KernelClient` - a kernel in a user's server, driven over its websocket through the
  hub's proxy, as JupyterLab does (execute code, wait for the reply).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
DEPLOY = REPO / "deploy"
#: Where ``make hub-proxy`` installs configurable-http-proxy from the npm registry.
PROXY_PREFIX = REPO / ".cache" / "npm-hub"
PROXY = PROXY_PREFIX / "node_modules" / ".bin" / "configurable-http-proxy"
PASSWORD = "nysoc-proeve-" + "kodeord"  # SharedPasswordAuthenticator: at least 8 characters


class HubError(RuntimeError):
    """The trial hub did not start or a request to it failed; the message holds its log."""


def proxy_command() -> str | None:
    """configurable-http-proxy: ``.cache/npm-hub`` first, else one on ``PATH``."""
    if PROXY.is_file() and os.access(PROXY, os.X_OK):
        return str(PROXY)
    return shutil.which("configurable-http-proxy")


def missing_requirements() -> list[str]:
    """What a trial hub needs that is not here, each with how to get it (empty: all here)."""
    missing = []
    try:
        import jupyterhub  # noqa: F401
    except ImportError:
        missing.append("jupyterhub (pip install -e '.[test]')")
    if shutil.which("node") is None:
        missing.append("node (Debian/Ubuntu: apt-get install npm)")
    if proxy_command() is None:
        missing.append("configurable-http-proxy (make hub-proxy: npm install into .cache/npm-hub)")
    return missing


def free_api_port() -> int:
    """A free TCP port on 127.0.0.1 for the hub's own API (``hub_bind_url``)."""
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def toml_string(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def write_roster(path: Path, members: Mapping[str, Mapping[str, str]]) -> Path:
    """A roster file (``deploy/brugere.example.toml``'s format) with ``members``."""
    lines = ["schema_version = 1", ""]
    for user, entry in members.items():
        lines.append(f"[users.{user}]")
        lines += [f"{key} = {toml_string(value)}" for key, value in entry.items()]
        lines.append("")
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


@dataclass
class Reply:
    """An HTTP reply: status, final URL (after redirects, if followed), headers and body."""

    status: int
    url: str
    headers: Mapping[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


@dataclass
class TrialHub:
    """A running hub: its URL, the folders under ``root``, the admin service's token."""

    root: Path
    port: int
    process: subprocess.Popen[bytes]
    admin_token: str
    log: Path
    homes: Path
    share: Path
    started_in: float = 0.0
    tokens: dict[str, str] = field(default_factory=dict)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def home(self, user: str) -> Path:
        return self.homes / user

    def workspace(self, user: str) -> Path:
        return self.home(user) / "nysoc"

    def log_tail(self, lines: int = 60) -> str:
        text = self.log.read_text(encoding="utf-8", errors="replace")
        return "\n".join(text.splitlines()[-lines:])

    def request(self, method: str, path: str, *, token: str | None = None,
                body: Any = None, follow: bool = True, timeout: float = 30.0) -> Reply:
        """``method path`` through the proxy; ``token`` as ``Authorization: token …``."""
        data = None if body is None else json.dumps(body).encode("utf-8")
        req = urllib.request.Request(self.base + path, data=data, method=method)
        if token:
            req.add_header("Authorization", f"token {token}")
        if data is not None:
            req.add_header("Content-Type", "application/json")
        opener = (urllib.request.build_opener() if follow
                  else urllib.request.build_opener(_NoRedirect))
        try:
            with opener.open(req, timeout=timeout) as reply:
                return Reply(reply.status, reply.url, dict(reply.headers), reply.read())
        except urllib.error.HTTPError as err:
            return Reply(err.code, err.url, dict(err.headers), err.read())

    def api(self, method: str, path: str, body: Any = None) -> Reply:
        """The hub's REST API (``/hub/api`` + ``path``) as the admin service."""
        return self.request(method, "/hub/api" + path, token=self.admin_token, body=body)

    def start_server(self, user: str, timeout: float = 90.0) -> float:
        """Start ``user``'s server and wait until the hub says it is ready; the seconds."""
        began = time.monotonic()
        reply = self.api("POST", f"/users/{user}/server")
        if reply.status not in (201, 202):
            raise HubError(f"starting {user}'s server: {reply.status} {reply.text}\n"
                           f"{self.log_tail()}")
        self.wait_ready(user, timeout=timeout, began=began)
        return time.monotonic() - began

    def wait_ready(self, user: str, *, timeout: float, began: float) -> None:
        while time.monotonic() - began < timeout:
            if self.process.poll() is not None:
                raise HubError(f"the hub exited ({self.process.returncode}):\n"
                               f"{self.log_tail()}")
            server = self.api("GET", f"/users/{user}").json().get("servers", {}).get("", {})
            if server.get("ready"):
                return
            if not server.get("pending") and not server.get("ready"):
                raise HubError(f"{user}'s server stopped while starting:\n{self.log_tail()}")
            time.sleep(0.1)
        raise HubError(f"{user}'s server was not ready after {timeout:.0f} s:\n"
                       f"{self.log_tail()}")

    def stop_server(self, user: str, timeout: float = 30.0) -> None:
        self.api("DELETE", f"/users/{user}/server")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.api("GET", f"/users/{user}").json().get("servers"):
                return
            time.sleep(0.1)

    def token(self, user: str) -> str:
        """An API token of ``user``'s own (with only the user's own permissions)."""
        if user not in self.tokens:
            reply = self.api("POST", f"/users/{user}/tokens", {"note": "nysoc trial"})
            if reply.status != 201:
                raise HubError(f"token for {user}: {reply.status} {reply.text}")
            self.tokens[user] = reply.json()["token"]
        return self.tokens[user]


def trial_config(*, roster: Path, homes: Path, admin_token: str, proxy: str,
                 proxy_api_port: int, extra: str = "") -> str:
    """The trial hub's config: the production one, then what a test on one machine needs."""
    return f"""# Written by tests/hub_helpers.py: deploy/jupyterhub_config.py for a trial.
load_subconfig({str(DEPLOY / "jupyterhub_config.py")!r})

# No real Unix users: every server runs as this process's user, homes under the trial's
# folder. (SimpleLocalProcessSpawner is for tests only: no isolation between users.)
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = {str(homes) + "/{username}"!r}
c.Spawner.args = ["--ServerApp.allow_root=True"]
# No PAM: one password for the trial's users.
c.JupyterHub.authenticator_class = "shared-password"
c.SharedPasswordAuthenticator.user_password = {PASSWORD!r}
# The test driver: an admin service with a token of its own (starts servers, makes tokens).
c.JupyterHub.services = [{{"name": "nysoc-trial", "api_token": {admin_token!r}}}]
c.JupyterHub.load_roles = [{{"name": "admin", "services": ["nysoc-trial"]}}]
c.ConfigurableHTTPProxy.command = [{proxy!r}]
# Its own port for the proxy's API (the default, 8001, may be a real hub's on this machine).
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{proxy_api_port}"
c.JupyterHub.log_level = "INFO"
{extra}
"""


@contextmanager
def running_hub(root: Path, members: Mapping[str, Mapping[str, str]], *, port: int,
                api_port: int, timeout: float = 60.0, extra_config: str = "",
                env: Mapping[str, str] | None = None) -> Iterator[TrialHub]:
    """A trial hub on 127.0.0.1:``port`` with the users ``members`` (roster entries); homes
    in ``root/home``, the shared folder ``root/opsummeringer``. Stopped afterwards, with its
    proxy and every user's server."""
    proxy = proxy_command()
    if proxy is None:
        raise HubError("configurable-http-proxy is not installed (make hub-proxy)")
    homes, share, data = root / "home", root / "opsummeringer", root / "hub-data"
    for folder in (homes, share, data):
        folder.mkdir(parents=True, exist_ok=True)
    roster = write_roster(root / "brugere.toml", members)
    admin_token = uuid.uuid4().hex
    config = root / "trial_config.py"
    config.write_text(trial_config(roster=roster, homes=homes, admin_token=admin_token,
                                   proxy=proxy, proxy_api_port=free_api_port(),
                                   extra=extra_config), encoding="utf-8")
    hub_env = dict(os.environ if env is None else env)
    hub_env.update(
        NYSOC_HUB_ROSTER=str(roster), NYSOC_HUB_SHARE_FOLDER=str(share),
        NYSOC_HUB_DATA=str(data), NYSOC_HUB_BIND_URL=f"http://127.0.0.1:{port}",
        NYSOC_HUB_API_URL=f"http://127.0.0.1:{api_port}",
        PYTHONPATH=os.pathsep.join(p for p in (str(REPO), hub_env.get("PYTHONPATH")) if p),
        PATH=os.pathsep.join([str(Path(sys.executable).parent), hub_env.get("PATH", "")]))
    log = root / "jupyterhub.log"
    began = time.monotonic()
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "jupyterhub", "-f", str(config)], cwd=data, env=hub_env,
            stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    hub = TrialHub(root, port, process, admin_token, log, homes, share)
    try:
        _wait_for_hub(hub, timeout)
        hub.started_in = time.monotonic() - began
        yield hub
    finally:
        _stop(process, data / "jupyterhub-proxy.pid")


def _wait_for_hub(hub: TrialHub, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if hub.process.poll() is not None:
            raise HubError(f"the hub exited ({hub.process.returncode}):\n{hub.log_tail()}")
        try:
            if hub.request("GET", "/hub/health", timeout=2).status == 200:
                return
        except OSError:
            pass
        time.sleep(0.05)
    raise HubError(f"the hub did not answer after {timeout:.0f} s:\n{hub.log_tail()}")


def _stop(process: subprocess.Popen[bytes], proxy_pid_file: Path) -> None:
    """SIGTERM: the hub stops its proxy and the users' servers; SIGKILL the group if hung,
    and the proxy (a session of its own) if it outlived the hub."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:  # pragma: no cover - only if shutdown hangs
            process.kill()
            process.wait(timeout=5)
    try:  # anything left in the hub's process group
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    try:
        proxy_pid = int(proxy_pid_file.read_text().strip())
    except (OSError, ValueError):
        return
    try:
        if "configurable-http-proxy" in Path(f"/proc/{proxy_pid}/cmdline").read_text(
                errors="replace"):
            os.kill(proxy_pid, signal.SIGKILL)
    except (OSError, ProcessLookupError):
        pass


class KernelClient:
    """A new kernel in ``user``'s server, driven over its websocket through the proxy."""

    def __init__(self, hub: TrialHub, user: str, timeout: float = 60.0) -> None:
        import websocket  # websocket-client: a dependency of jupyter_server

        self.hub, self.user, self.token = hub, user, hub.token(user)
        reply = hub.request("POST", f"/user/{user}/api/kernels", token=self.token,
                            body={"name": "python3"})
        if reply.status != 201:
            raise HubError(f"kernel for {user}: {reply.status} {reply.text}")
        self.kernel_id = reply.json()["id"]
        self.session = uuid.uuid4().hex
        url = (f"ws://127.0.0.1:{hub.port}/user/{user}/api/kernels/{self.kernel_id}"
               f"/channels?session_id={self.session}")
        self.ws = websocket.create_connection(
            url, header=[f"Authorization: token {self.token}"], timeout=timeout)

    def execute(self, code: str, timeout: float = 60.0) -> str:
        """Run ``code``; its standard output. Raises :class:`HubError` if it raised."""
        msg_id = uuid.uuid4().hex
        self.ws.send(json.dumps({
            "header": {"msg_id": msg_id, "username": self.user, "session": self.session,
                       "msg_type": "execute_request", "version": "5.3"},
            "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
            "content": {"code": code, "silent": False, "store_history": False,
                        "user_expressions": {}, "allow_stdin": False}}))
        out: list[str] = []
        reply: dict[str, Any] | None = None
        idle = False
        deadline = time.monotonic() + timeout
        while (reply is None or not idle) and time.monotonic() < deadline:
            msg = json.loads(self.ws.recv())
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind = msg["header"]["msg_type"]
            if kind == "stream":
                out.append(msg["content"]["text"])
            elif kind == "error":
                out.append("\n".join(msg["content"]["traceback"]))
            elif kind == "execute_reply":
                reply = msg["content"]
            elif kind == "status" and msg["content"]["execution_state"] == "idle":
                idle = True
        if reply is None:
            raise HubError(f"no reply from {self.user}'s kernel in {timeout:.0f} s")
        if reply["status"] != "ok":
            raise HubError(f"{self.user}'s kernel: {reply.get('ename')}: "
                           f"{reply.get('evalue')}\n{''.join(out)}")
        return "".join(out)

    def close(self) -> None:
        self.ws.close()
        self.hub.request("DELETE", f"/user/{self.user}/api/kernels/{self.kernel_id}",
                         token=self.token)
