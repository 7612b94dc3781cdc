# JupyterHub configuration for nysoc: one Jupyter server per social worker, each with their
# own nysoc workspace in their own home. See deploy/README.md for the whole setup.
#
#   jupyterhub -f /opt/nysoc/deploy/jupyterhub_config.py
#
# What it does:
# * users log in with their Unix (PAM) account; only the users on the roster may log in;
# * a user's server runs as that user (LocalProcessSpawner; SystemdSpawner: see the README);
# * on the first start, deploy/nysoc_singleuser.py makes ~/nysoc with `nysoc init` for the
#   user's role and pairing from the roster; the store ~/nysoc/nysoc.db stays on the local
#   disk of this machine (nysoc refuses a store on a network filesystem);
# * pairs share their summaries into SHARE_FOLDER, which only the coordinator can read;
# * notebooks open in JupyterLab (/user/NAME/lab) or as Voilà apps
#   (/user/NAME/voila/render/Logbog.ipynb).
#
# The paths below can be set with environment variables (the integration test does this);
# in production edit the defaults here or set them in the hub's systemd unit.
# `c` is the config object JupyterHub's loader defines.
# ruff: noqa: F821

import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from nysoc_hub import load_roster, make_pre_spawn_hook  # noqa: E402

#: Who is who: [users.NAME] role/pairing/name (deploy/brugere.example.toml).
ROSTER = Path(os.environ.get("NYSOC_HUB_ROSTER", "/etc/jupyterhub/nysoc-brugere.toml"))
#: The folder pairs share into and the coordinator reads (see the README for its rights).
SHARE_FOLDER = os.environ.get("NYSOC_HUB_SHARE_FOLDER", "/srv/nysoc/opsummeringer")
#: The hub's own state: its user database and cookie secret (not the users' stores).
HUB_DATA = Path(os.environ.get("NYSOC_HUB_DATA", "/srv/jupyterhub"))
#: Months after a pairing ended before `nysoc data retention` offers to erase it.
RETENTION_MONTHS = int(os.environ.get("NYSOC_HUB_RETENTION_MONTHS", "24"))

roster = load_roster(ROSTER)

# -- the hub ---------------------------------------------------------------------------------
# Listen on loopback only; a TLS reverse proxy (nginx, Apache, the municipality's load
# balancer) in front serves https://… to the users. Or set c.JupyterHub.ssl_cert/ssl_key.
c.JupyterHub.bind_url = os.environ.get("NYSOC_HUB_BIND_URL", "http://127.0.0.1:8000")
c.JupyterHub.hub_bind_url = os.environ.get("NYSOC_HUB_API_URL", "http://127.0.0.1:8081")
c.JupyterHub.db_url = f"sqlite:///{HUB_DATA / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(HUB_DATA / "jupyterhub_cookie_secret")
c.ConfigurableHTTPProxy.pid_file = str(HUB_DATA / "jupyterhub-proxy.pid")
# configurable-http-proxy (npm) on PATH, or its full path here.
c.ConfigurableHTTPProxy.command = [os.environ.get("NYSOC_HUB_PROXY", "configurable-http-proxy")]

# -- who may log in --------------------------------------------------------------------------
# PAM: the users' own Unix accounts (the municipality's AD through sssd, typically).
c.JupyterHub.authenticator_class = "pam"
c.Authenticator.allowed_users = set(roster.members)  # a new user on the roster: restart
# Hub admins can open every user's server, and so read every store: keep this empty, or
# name IT staff who may be given that access (the data-protection officer must know).
c.Authenticator.admin_users = set()
c.JupyterHub.load_groups = roster.groups()  # groups mentor, mentee, koordinator, …
# Logging out stops the user's server (and its kernels, which hold the store open).
c.JupyterHub.shutdown_on_logout = True

# -- each user's server ------------------------------------------------------------------------
c.JupyterHub.spawner_class = "localprocess"  # runs as the user; needs the hub to run as root
c.Spawner.cmd = [sys.executable, str(HERE / "nysoc_singleuser.py")]
c.Spawner.pre_spawn_hook = make_pre_spawn_hook(
    ROSTER, share_folder=SHARE_FOLDER, retention_months=RETENTION_MONTHS)
c.Spawner.default_url = "/lab/tree/Start_her.ipynb"
# The store is owner-only (0600) and the workspace 0700; files a user makes besides them
# (a notebook of her own, an export) are private too.
c.LocalProcessSpawner.popen_kwargs = {"umask": 0o077}
c.Spawner.start_timeout = 60
c.Spawner.http_timeout = 60
