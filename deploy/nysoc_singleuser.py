"""A user's Jupyter server on the hub, with their nysoc workspace (``c.Spawner.cmd``).

Runs as the user (LocalProcessSpawner and SystemdSpawner start it with the user's uid), so
everything it makes is the user's own:

1. the first time, ``nysoc init ~/nysoc --role … --pairing … --share-folder …`` with what
   the hub's pre-spawn hook (``nysoc_hub.py``) put into ``NYSOC_HUB_*``; later starts leave
   the workspace as it is (nysoc never overwrites a store or a notebook);
2. the workspace's JupyterLab settings (Danish language pack, no widget state saved into
   notebooks: ``nysoc_widgets.lab.write_lab_settings``), as ``nysoc lab`` does;
3. ``jupyterhub-singleuser`` with the workspace as its root folder, ``NYSOC_WORKSPACE`` for
   the kernels, and Voilà's server extension (``/user/NAME/voila/render/Logbog.ipynb``) set
   up by ``nysoc_widgets/jupyter_config`` as ``nysoc lab`` has it: nysoc's template, no
   tracebacks, and no MathJax from a public CDN (as a server extension Voilà would
   otherwise load it from cdnjs on every page).

If the workspace cannot be made, the server does not start, and the hub shows the failure;
the reason is in the hub's log in Danish and English.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

PREFIX = "NYSOC_HUB_"


def setting(name: str) -> str:
    return os.environ.get(PREFIX + name, "").strip()


def init_argv(root: Path) -> list[str]:
    """``nysoc init`` for this user, from the ``NYSOC_HUB_*`` variables."""
    argv = [sys.executable, "-m", "nysoc_widgets", "init", str(root), "--role", setting("ROLE")]
    for option, name in (("--pairing", "PAIRING"), ("--mentor", "MENTOR"),
                         ("--mentee", "MENTEE"), ("--department", "DEPARTMENT"),
                         ("--start", "START"), ("--share-folder", "SHARE_FOLDER"),
                         ("--retention-months", "RETENTION_MONTHS")):
        if setting(name):
            argv += [option, setting(name)]
    return argv


def ensure_workspace(root: Path) -> None:
    """Make the user's workspace at ``root`` unless it is there (exits on failure)."""
    if (root / "nysoc.toml").is_file():
        return
    if not setting("ROLE"):
        fail("Hubben har ikke sagt, hvilken rolle du har (NYSOC_HUB_ROLE mangler).",
             "The hub gave no role (NYSOC_HUB_ROLE is not set): is the pre-spawn hook set?")
    done = subprocess.run(init_argv(root), capture_output=True, text=True, check=False)
    if done.returncode != 0:
        fail(f"Dit arbejdsområde kunne ikke oprettes: {done.stderr.strip()}",
             f"nysoc init {root} failed (exit {done.returncode}).")
    print(f"nysoc: arbejdsområdet {root} er oprettet (rolle {setting('ROLE')}).",
          file=sys.stderr)


def fail(danish: str, english: str) -> None:
    print(f"nysoc: {danish}\nnysoc: {english}", file=sys.stderr)
    raise SystemExit(1)


def server_environment(root: Path) -> dict[str, str]:
    """The environment ``nysoc lab`` gives a server (``lab.server_env``), for
    ``jupyterhub-singleuser``: the hub gives the token, the workspace is the root folder."""
    from nysoc_widgets.lab import server_env

    return {**server_env(root, None), "JUPYTERHUB_ROOT_DIR": str(root)}


def main(argv: list[str]) -> None:
    from nysoc_widgets.lab import write_lab_settings

    root = Path.home() / (setting("WORKSPACE") or "nysoc")
    ensure_workspace(root)
    write_lab_settings(root)
    singleuser = [sys.executable, "-m", "jupyterhub.singleuser", *argv]
    os.chdir(root)
    os.execve(sys.executable, singleuser, server_environment(root))


if __name__ == "__main__":
    main(sys.argv[1:])
