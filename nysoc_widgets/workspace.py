"""A workspace: one folder with a config (``nysoc.toml``), one store and the role's notebooks.

Found from an explicit path, else ``NYSOC_WORKSPACE``, else the current folder or the
nearest parent holding ``nysoc.toml`` (so a notebook in the workspace finds it).
Reading a workspace never creates files; ``init_workspace`` does.
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from ._toml import TOMLDecodeError
from ._toml import loads as toml_loads
from .errors import WorkspaceError
from .glossary import ROLES

__all__ = [
    "ALERT_DEFAULTS",
    "CONFIG_FILE",
    "STORE_FILE",
    "ROLE_NOTEBOOKS",
    "Workspace",
    "find_workspace",
    "init_workspace",
    "notebooks_dir",
]

CONFIG_FILE = "nysoc.toml"
STORE_FILE = "nysoc.db"
SCHEMA_VERSION = 1
_KEYS = {"schema_version", "role", "pairing", "templates", "retention_months", "share_folder",
         "alerts"}
#: A coordinator's alert thresholds (``[alerts]`` in ``nysoc.toml``), in weeks: no meeting
#: for more than N weeks, no collaboration agreement N weeks after the start, past the
#: planned end by more than N weeks without a closing evaluation.
ALERT_DEFAULTS: dict[str, int] = {"no_meeting_weeks": 6, "no_agreement_weeks": 4,
                                  "past_end_weeks": 0}

#: The notebooks each role gets in a new workspace, in the order they are used.
ROLE_NOTEBOOKS: dict[str, tuple[str, ...]] = {
    "mentee": ("Start_her.ipynb", "Forberedelse_mentee.ipynb", "Opstartsmoede.ipynb",
               "Logbog.ipynb", "Laeringsmaal.ipynb", "Mentormoede.ipynb", "Sagsanalyse.ipynb",
               "Coaching.ipynb", "Procesjournal.ipynb", "Evaluering.ipynb", "Mit_overblik.ipynb",
               "Gode_raad.ipynb"),
    "mentor": ("Start_her.ipynb", "Forberedelse_mentor.ipynb", "Opstartsmoede.ipynb",
               "Laeringsmaal.ipynb", "Mentormoede.ipynb", "Sagsanalyse.ipynb", "Coaching.ipynb",
               "Procesjournal.ipynb", "Evaluering.ipynb"),
    "koordinator": ("Start_her.ipynb", "Koordinator.ipynb"),
    "kontaktperson": ("Start_her.ipynb", "Introduktion.ipynb", "Statusmoede.ipynb",
                      "Gode_raad.ipynb"),
}


@dataclass(frozen=True)
class Workspace:
    """An opened workspace's settings; see ``docs`` in the README, "Arbejdsområdet"."""

    root: Path
    role: str
    pairing: str | None = None
    templates: Path | None = None
    #: Months after a pairing ended before ``nysoc data retention`` offers to erase it.
    retention_months: int | None = None
    #: Where pairs write their shared summaries and a coordinator reads them (``share_folder``
    #: in ``nysoc.toml``, absolute or relative to the workspace folder); None: not set.
    share_folder: Path | None = None
    #: A coordinator's alert thresholds in weeks (``[alerts]``), defaults filled in.
    alerts: dict[str, int] = field(default_factory=lambda: dict(ALERT_DEFAULTS), hash=False)

    @property
    def config_path(self) -> Path:
        return self.root / CONFIG_FILE

    @property
    def store_path(self) -> Path:
        return self.root / STORE_FILE

    def open_store(self):  # type: ignore[no-untyped-def]
        """The workspace's store (it must exist: ``nysoc init`` made it)."""
        from .store import Store

        return Store.open(self.store_path)

    def catalogue(self):  # type: ignore[no-untyped-def]
        """Built-in templates adapted by this workspace's template folder, if any."""
        from .catalogue import Catalogue

        return Catalogue.load(self.templates)

    @classmethod
    def load(cls, root: str | Path) -> Workspace:
        """Read the workspace at ``root``; a missing or invalid config raises WorkspaceError."""
        root = Path(root).resolve()
        path = root / CONFIG_FILE
        try:
            data = toml_loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise _error(root, "no_config") from None
        except (OSError, UnicodeDecodeError, TOMLDecodeError) as exc:
            raise _error(root, "unreadable", error=str(exc)) from exc
        unknown = sorted(set(data) - _KEYS)
        if unknown:
            raise _error(root, "unknown_key", key=unknown[0], allowed=", ".join(sorted(_KEYS)))
        role = data.get("role")
        if not isinstance(role, str) or role not in ROLES:
            raise _error(root, "bad_role", role=str(role), allowed=", ".join(ROLES))
        templates = data.get("templates")
        months = data.get("retention_months")
        if months is not None and (type(months) is not int or months < 1):
            raise _error(root, "bad_retention", value=str(months))
        share = data.get("share_folder")
        if share is not None and (not isinstance(share, str) or not share.strip()):
            raise _error(root, "bad_share_folder", value=str(share))
        return cls(root=root, role=role, pairing=data.get("pairing"),
                   templates=(root / templates) if templates else None,
                   retention_months=months,
                   share_folder=(root / share).resolve() if share else None,
                   alerts=_alerts(root, data.get("alerts", {})))


def _alerts(root: Path, table: object) -> dict[str, int]:
    """``[alerts]``: known keys only, whole numbers of weeks ≥ 0; defaults for the rest."""
    if not isinstance(table, dict):
        raise _error(root, "bad_alerts", value=str(table))
    unknown = sorted(set(table) - set(ALERT_DEFAULTS))
    if unknown:
        raise _error(root, "unknown_alert", key=unknown[0],
                     allowed=", ".join(ALERT_DEFAULTS))
    for key, value in table.items():
        if type(value) is not int or value < 0:
            raise _error(root, "bad_alert", key=key, value=str(value))
    return {**ALERT_DEFAULTS, **table}


def _error(root: Path, reason: str, **values: str) -> WorkspaceError:
    return WorkspaceError(path=str(root), reason_key=f"workspace.{reason}",
                          reason_values={"config": CONFIG_FILE, **values})


def find_workspace(path: str | Path | None = None) -> Workspace:
    """The workspace at ``path``, else ``$NYSOC_WORKSPACE``, else here or a parent folder."""
    if path is not None:
        return Workspace.load(path)
    env = os.environ.get("NYSOC_WORKSPACE")
    if env:
        return Workspace.load(env)
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        if (folder / CONFIG_FILE).is_file():
            return Workspace.load(folder)
    raise _error(here, "not_found")


def notebooks_dir() -> Path:
    """The shipped notebooks: inside the installed package, else the source checkout's."""
    packaged = resources.files("nysoc_widgets") / "_notebooks"
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parent.parent / "notebooks"


def init_workspace(root: str | Path, role: str, *, pairing: str | None = None,
                   templates: str | None = None, mentor: str = "", mentee: str = "",
                   department: str = "", start_date: str | None = None,
                   share_folder: str | None = None, retention_months: int | None = None,
                   alerts: Mapping[str, int] | None = None) -> Workspace:
    """Make a workspace at ``root``: config, store (with the pairing) and the role's notebooks.

    ``share_folder`` is written as given (absolute, or relative to ``root``);
    ``retention_months`` as given (``nysoc data retention`` reads it); ``alerts``
    (a coordinator's thresholds) as an ``[alerts]`` table. An existing workspace is left as
    it is (its notebooks and store are never overwritten).
    """
    from .records import Pairing
    from .store import Store

    if role not in ROLES:
        raise _error(Path(root), "bad_role", role=role, allowed=", ".join(ROLES))
    root = Path(root).resolve()
    if (root / CONFIG_FILE).exists():
        raise _error(root, "exists")
    if not root.exists():
        root.mkdir(parents=True)
        root.chmod(0o700)  # a workspace holds notes about citizens: its owner's alone
    # The config is written last: until it exists there is no workspace, and running init
    # again after a failure reuses what the first run made (the store and its pairing).
    with Store.open(root / STORE_FILE, create=True) as store:
        existing = [p.id for p in store.list_pairings()]
        if role in ("mentor", "mentee", "kontaktperson") and not pairing:
            pairing = existing[0] if existing else "par-" + uuid.uuid4().hex[:6]
        if pairing and pairing not in existing:
            store.add_pairing(Pairing(id=pairing, mentor=mentor, mentee=mentee,
                                      department=department, start_date=start_date))
    for name in ROLE_NOTEBOOKS[role]:
        target = root / name
        if not target.exists():
            shutil.copyfile(notebooks_dir() / name, target)
            target.chmod(0o600)  # Jupyter saves records' text into a notebook's outputs
    lines = ["# nysoc-arbejdsområde (workspace). Se README'en for nøglerne.",
             f"schema_version = {SCHEMA_VERSION}", f"role = {_toml_string(role)}"]
    if pairing:
        lines.append(f"pairing = {_toml_string(pairing)}")
    if templates:
        lines.append(f"templates = {_toml_string(templates)}")
    if share_folder:
        lines.append(f"share_folder = {_toml_string(share_folder)}")
    if retention_months is not None:
        lines.append(f"retention_months = {int(retention_months)}")
    if alerts:
        lines += ["", "[alerts]", *(f"{key} = {int(value)}" for key, value in alerts.items())]
    tmp = root / (CONFIG_FILE + ".tmp")
    tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
    tmp.chmod(0o600)
    os.replace(tmp, root / CONFIG_FILE)
    return Workspace.load(root)


def _toml_string(value: str) -> str:
    """``value`` as a TOML basic string (JSON's escapes are valid TOML)."""
    return json.dumps(value, ensure_ascii=False)
