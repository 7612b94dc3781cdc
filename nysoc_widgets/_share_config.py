"""The coordinator's two settings in ``nysoc.toml``: ``share_folder`` and ``[alerts]``.

The contract of issue 5: ``share_folder = "<path>"`` (absolute, or relative to the workspace
root) is where pairs write their summaries and a coordinator reads them; a coordinator's
``[alerts]`` table sets ``no_meeting_weeks`` (default 6), ``no_agreement_weeks`` (4) and
``past_end_weeks`` (0), whole numbers ≥ 0. ``Workspace.share_folder`` and
``Workspace.alerts`` (defaults filled in) come with the share helper's ``workspace.py``.

**Temporary.** Until that is merged, ``Workspace.load`` refuses a ``nysoc.toml`` with these
keys (unknown keys), so :func:`coordinator_settings` reads them itself when it must. Once
``Workspace`` has ``share_folder``, it is used as it is and the fallback is never reached;
at the merge this module can shrink to the first branch of :func:`coordinator_settings`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ._toml import TOMLDecodeError
from ._toml import loads as toml_loads
from .alerts import DEFAULTS, thresholds
from .errors import WorkspaceError
from .glossary import ROLES
from .workspace import _KEYS, CONFIG_FILE, find_workspace

__all__ = ["CoordinatorSettings", "coordinator_settings", "read_share_keys"]

_SHARE_KEYS = {"share_folder", "alerts"}
_MISSING = object()


@dataclass(frozen=True)
class CoordinatorSettings:
    """A workspace's root and role, its share folder (or None) and alert thresholds."""

    root: Path
    role: str
    share_folder: Path | None
    alerts: dict[str, int]


def coordinator_settings(path: str | Path | None = None) -> CoordinatorSettings:
    """The settings of the workspace at ``path`` (found as :func:`find_workspace` does)."""
    try:
        ws = find_workspace(path)
    except WorkspaceError as exc:
        values = exc.details.get("reason_values") or {}
        if exc.details.get("reason_key") != "workspace.unknown_key" or \
                values.get("key") not in _SHARE_KEYS:
            raise
        root = Path(str(exc.details.get("path")))
        data = _config(root)
        unknown = sorted(set(data) - _KEYS - _SHARE_KEYS)
        if unknown:
            raise _error(root, "workspace.unknown_key", key=unknown[0],
                         allowed=", ".join(sorted(_KEYS | _SHARE_KEYS))) from None
        role = data.get("role")
        if not isinstance(role, str) or role not in ROLES:
            raise exc from None
        folder, alerts = read_share_keys(root, data)
        return CoordinatorSettings(root, role, folder, alerts)
    share: Any = getattr(ws, "share_folder", _MISSING)
    if share is not _MISSING:  # workspace.py knows the keys (after the merge)
        return CoordinatorSettings(ws.root, ws.role, share,
                                   thresholds(getattr(ws, "alerts", None)))
    return CoordinatorSettings(ws.root, ws.role, None, thresholds())


def _config(root: Path) -> dict[str, Any]:
    try:
        data: dict[str, Any] = toml_loads((root / CONFIG_FILE).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, TOMLDecodeError) as exc:
        raise _error(root, "workspace.unreadable", error=str(exc)) from exc
    return data


def read_share_keys(root: Path, data: dict[str, Any]) -> tuple[Path | None, dict[str, int]]:
    """``share_folder`` (made absolute against ``root``) and ``[alerts]`` (checked, with the
    defaults filled in) from the config ``data``; :class:`WorkspaceError` names a bad key."""
    folder = data.get("share_folder")
    if folder is not None and (not isinstance(folder, str) or not folder.strip()):
        raise _error(root, "coordinator.bad_share_folder", value=str(folder))
    table = data.get("alerts", {})
    if not isinstance(table, dict):
        raise _error(root, "coordinator.bad_alerts_table")
    for key, value in table.items():
        if key not in DEFAULTS:
            raise _error(root, "coordinator.unknown_alert", key=key,
                         allowed=", ".join(DEFAULTS))
        if type(value) is not int or value < 0:
            raise _error(root, "coordinator.bad_alert", key=key, value=str(value))
    return ((root / folder).resolve() if folder else None), thresholds(table)


def _error(root: Path, reason: str, **values: str) -> WorkspaceError:
    return WorkspaceError(path=str(root), reason_key=reason,
                          reason_values={"config": CONFIG_FILE, **values})
