"""How nysoc starts a Jupyter server for a workspace: command line, environment, settings.

Pure functions (nothing is started here): ``nysoc lab`` runs what :func:`lab_command`
returns (JupyterLab on the workspace), ``nysoc app`` what :func:`app_command` returns (one
notebook as a Voilà app: forms and text, no code), and the browser tests start their servers
the same way.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

__all__ = ["LAB_SETTINGS", "START_NOTEBOOK", "LabCommand", "lab_command", "app_command",
           "server_env", "write_lab_settings", "free_port"]

#: JupyterLab setting defaults for a workspace: Danish language pack, no news or update
#: notices, no widget state saved in notebooks. Read via
#: ``<workspace>/.nysoc/jupyter/labconfig/default_setting_overrides.json``
#: (``JUPYTER_CONFIG_PATH``), so the user's own Jupyter settings are never touched.
LAB_SETTINGS: dict[str, dict[str, Any]] = {
    "@jupyterlab/translation-extension:plugin": {"locale": "da_DK"},
    "@jupyterlab/apputils-extension:notification": {"fetchNews": "false",
                                                     "checkForUpdates": False},
    # Notebook 7 folds long outputs into a small scroll box: a form must stay whole.
    "@jupyter-notebook/notebook-extension:scroll-output": {"autoScrollOutputs": False},
    # Never save widget state (the raw answers in the forms) into a notebook: nbconvert
    # would copy it verbatim into an exported HTML file (DESIGN.md, confidentiality).
    "@jupyter-widgets/jupyterlab-manager:plugin": {"saveState": False},
}
LAB_CONFIG_DIR = Path(".nysoc") / "jupyter"
#: nysoc's Jupyter data folder (``JUPYTER_PATH``): the Voilà template ``nysoc``.
JUPYTER_DATA = Path(__file__).resolve().parent / "jupyter_data"
#: The Voilà template ``nysoc app`` uses: Voilà's "lab" page, nothing fetched from a CDN.
APP_TEMPLATE = "nysoc"
#: nysoc's Jupyter server config (``JUPYTER_CONFIG_PATH``), for Voilà inside a server
#: (JupyterLab's "Render with Voilà", the hub's ``/voila/render``): the template above, no
#: tracebacks, and no MathJax from cdnjs (Voilà's default as a server extension).
JUPYTER_CONFIG = Path(__file__).resolve().parent / "jupyter_config"
START_NOTEBOOK = "Start_her.ipynb"


@dataclass(frozen=True)
class LabCommand:
    """How to start JupyterLab for a workspace: the command line, its environment, the URL."""

    argv: list[str]
    env: dict[str, str]
    url: str


def server_env(root: Path, token: str | None, base_env: Mapping[str, str] | None = None
               ) -> dict[str, str]:
    """The environment of a server for the workspace at ``root``: ``NYSOC_WORKSPACE`` for
    its kernels, the token (None: the server has its own, as on JupyterHub), the
    workspace's Jupyter settings, nysoc's Jupyter config and data (Voilà's template and
    settings), no deprecation notices."""
    env = dict(os.environ if base_env is None else base_env)
    config_path = [str(root / LAB_CONFIG_DIR), str(JUPYTER_CONFIG),
                   env.get("JUPYTER_CONFIG_PATH", "")]
    data_path = [str(JUPYTER_DATA), env.get("JUPYTER_PATH", "")]
    if token is not None:
        env["JUPYTER_TOKEN"] = token
    env.update(NYSOC_WORKSPACE=str(root),
               JUPYTER_CONFIG_PATH=os.pathsep.join(p for p in config_path if p),
               JUPYTER_PATH=os.pathsep.join(p for p in data_path if p),
               # Jupyter's own English deprecation notices mean nothing to a social worker.
               PYTHONWARNINGS=env.get("PYTHONWARNINGS") or "ignore::DeprecationWarning")
    return env


def lab_command(root: str | Path, *, port: int, token: str, open_browser: bool = True,
                notebook: str | None = START_NOTEBOOK, base_env: Mapping[str, str] | None = None,
                python: str = sys.executable, allow_root: bool = False) -> LabCommand:
    """The JupyterLab command for the workspace at ``root`` (pure: nothing is started).

    The server listens on 127.0.0.1 only, serves ``root``, opens ``notebook``, and passes
    ``NYSOC_WORKSPACE`` on to its kernels. The token goes in the environment, not argv.
    """
    root = Path(root).resolve()
    env = server_env(root, token, base_env)
    page = f"/lab/tree/{quote(notebook)}" if notebook else "/lab"
    argv = [python, "-m", "jupyterlab",
            f"--ServerApp.root_dir={root}", "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
            f"--ServerApp.open_browser={open_browser}", f"--LabApp.default_url={page}",
            "--ServerApp.answer_yes=True", "--ServerApp.log_level=WARN",
            "--LabApp.log_level=WARN"]
    if allow_root:
        argv.append("--ServerApp.allow_root=True")
    return LabCommand(argv, env, f"http://127.0.0.1:{port}{page}?token={token}")


def app_command(root: str | Path, notebook: str | Path, *, port: int, token: str,
                open_browser: bool = True, base_env: Mapping[str, str] | None = None,
                python: str = sys.executable) -> LabCommand:
    """The Voilà command that serves ``notebook`` of the workspace at ``root`` as an app
    (pure: nothing is started): the forms and text only, no code, no tracebacks.

    It listens on 127.0.0.1 only and asks for ``token`` (``?token=`` in :attr:`url`);
    each browser tab gets a kernel of its own, which reads the workspace's store. Run it
    with ``cwd=root``.
    """
    root = Path(root).resolve()
    page = Path(notebook)
    page = page.resolve().relative_to(root) if page.is_absolute() else page
    argv = [python, "-m", "voila", page.as_posix(), f"--Voila.open_browser={open_browser}",
            f"--Voila.port={port}", "--Voila.ip=127.0.0.1", "--Voila.port_retries=0",
            f"--Voila.token={token}", "--VoilaConfiguration.show_tracebacks=False",
            f"--VoilaConfiguration.template={APP_TEMPLATE}",
            "--Voila.log_level=WARN"]
    return LabCommand(argv, server_env(root, token, base_env),
                      f"http://127.0.0.1:{port}/?token={token}")


def write_lab_settings(root: str | Path) -> Path:
    """Write the workspace's JupyterLab setting defaults (``LAB_SETTINGS``); returns the file."""
    path = Path(root) / LAB_CONFIG_DIR / "labconfig" / "default_setting_overrides.json"
    text = json.dumps(LAB_SETTINGS, indent=2) + "\n"
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return path


def free_port(preferred: int = 8888) -> int:
    import socket

    for port in (preferred, 0):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return int(sock.getsockname()[1])
    return preferred  # pragma: no cover - not even an ephemeral port was free
