"""Sharing a pairing's summary with the coordinator: one JSON file per pairing in a folder.

What leaves is decided by the confidentiality boundary alone
(:func:`boundary.shareable_summary`, format ``nysoc-summary`` version 2, documented in
``docs/confidentiality.md``); this module only checks that sharing makes sense, names the
file and writes it:

- :func:`target_folder` – ``--to``, else the workspace's ``share_folder``; it must exist
  and be writable;
- :func:`build_summary` – the summary, with ``"shared": {"at", "by"}``; refused for a
  workspace that is not a pair's, and when the pairing's id or department holds a name or
  other personal data (they leave the pair as they are written);
- :func:`write_summary` – atomically, to :func:`summary_file_name`; sharing again replaces
  the same file;
- :func:`share_summary` – all three, as ``nysoc share --ja`` does.

:func:`preview` and :func:`preview_html` (from :mod:`.share_preview`) show a summary as the
pair reads it before sharing. Every refusal is a :class:`~nysoc_widgets.errors.NysocError`
with a Danish message; nothing is written then.
"""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import json
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import i18n
from .errors import NysocError
from .share_preview import preview, preview_html
from .shared_summary import SHARING_ROLES

if TYPE_CHECKING:
    from .records import Pairing
    from .workspace import Workspace

__all__ = ["SUFFIX", "build_summary", "personal_data_in", "preview", "preview_html",
           "share_summary", "summary_file_name", "target_folder", "write_summary"]

#: Every shared summary's file name ends so (a coordinator reads ``*.nysoc-summary.json``).
SUFFIX = ".nysoc-summary.json"
#: A summary file may be read by the coordinator (another user on a shared drive): the
#: folder's own permissions decide who can reach it. It holds nothing confidential.
FILE_MODE = 0o644
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")
_MAX_STEM = 100


def summary_file_name(pairing_id: str) -> str:
    """The file a pairing's summary is written to: ``<stem>.nysoc-summary.json``.

    The stem is the id with every character but ``A-Z a-z 0-9 . _ -`` replaced by ``_``;
    if anything was replaced, ``-`` and the first 8 hex digits of the id's SHA-256 follow,
    so two ids never share a file (``par 7`` → ``par_7-1f0c…``, ``par_7`` → ``par_7``). A
    leading ``.`` (a hidden file) counts as replaced (``_``), and a stem longer than 100
    characters is cut there (and gets the hash too).
    """
    stem = _UNSAFE.sub("_", pairing_id)
    if stem.startswith("."):
        stem = "_" + stem[1:]
    stem = stem[:_MAX_STEM] or "_"
    if stem != pairing_id:
        stem += "-" + hashlib.sha256(pairing_id.encode("utf-8")).hexdigest()[:8]
    return stem + SUFFIX


def target_folder(workspace: Workspace, to: str | os.PathLike[str] | None = None) -> Path:
    """Where to share: ``to`` (from the current folder), else the workspace's
    ``share_folder``. Refused when neither is given, or the folder is missing or not
    writable."""
    folder = Path(to).expanduser().resolve() if to else workspace.share_folder
    if folder is None:
        raise NysocError("share.no_folder", config=workspace.config_path)
    if not folder.is_dir():
        raise NysocError("share.folder_missing", path=folder)
    if not os.access(folder, os.W_OK | os.X_OK):
        raise NysocError("share.folder_not_writable", path=folder)
    return folder


def personal_data_in(pairing: Pairing) -> list[tuple[str, str, Any]]:
    """Personal data in what of ``pairing`` leaves the pair as written: its id and its
    department. ``(what, text, finding)`` for each: the names the pairing knows (its
    mentor's and mentee's) and what ``privacy.find`` finds (CPR and phone numbers, e-mail
    and street addresses). ``_``, ``.``, ``-`` and digits part words (``mette_7``)."""
    from .privacy import find

    names = [n for n in (pairing.mentor, pairing.mentee) if n.strip()]
    found = []
    for what, text in (("id", pairing.id), ("department", pairing.department)):
        seen: set[str] = set()
        for variant in (text, re.sub(r"[\W_\d]+", " ", text)):
            for finding in find(variant, names):
                if finding.text.casefold() not in seen:
                    seen.add(finding.text.casefold())
                    found.append((what, text, finding))
    return found


def build_summary(workspace: Workspace, *, now: dt.datetime | None = None,
                  catalogue: Any = None) -> dict[str, Any]:
    """The workspace's pairing's summary as it would be shared at ``now`` (default: now).

    ``"shared"`` names the workspace's role; ``catalogue`` defaults to the workspace's.
    Refused (``NysocError``) for a coordinator's workspace, one without a pairing, and a
    pairing whose id or department holds personal data.
    """
    from . import boundary
    from .privacy import describe

    if workspace.role not in SHARING_ROLES:
        raise NysocError("share.not_a_pair", role=workspace.role)
    if not workspace.pairing:
        raise NysocError("share.no_pairing")
    catalogue = catalogue if catalogue is not None else workspace.catalogue()
    with workspace.open_store() as store:
        pairing = store.get_pairing(workspace.pairing)
        problems = personal_data_in(pairing)
        if problems:
            what, text, finding = problems[0]
            raise NysocError(f"share.personal_data_{what}", value=text, found=finding.text,
                             kind=describe(finding.kind))
        return boundary.shareable_summary(
            store, pairing.id, catalogue, shared_by=workspace.role,
            shared_at=now or dt.datetime.now(dt.timezone.utc))


def write_summary(folder: str | os.PathLike[str], summary: dict[str, Any]) -> Path:
    """Write ``summary`` to its file in ``folder`` atomically (a temp file in the same
    folder, fsync, ``os.replace``, fsync the folder) and return the file's path. A failed
    write leaves an earlier summary of the pairing as it was, and no temp file."""
    from .atomic import write_atomic

    target = Path(folder) / summary_file_name(str(summary["pairing"]["id"]))
    text = json.dumps(summary, ensure_ascii=False, indent=2) + "\n"
    try:
        return write_atomic(target, text, mode=FILE_MODE)
    except OSError as exc:
        key = f"cli.errno_{errno.errorcode.get(exc.errno or 0, '')}"
        reason = i18n.t(key) if i18n.has(key) else (exc.strerror or type(exc).__name__)
        raise NysocError("share.write_failed", path=target, reason=reason) from exc


def share_summary(workspace: Workspace, *, to: str | os.PathLike[str] | None = None,
                  now: dt.datetime | None = None) -> Path:
    """Share the workspace's pairing with the coordinator: build its summary at ``now``
    and write it to ``to`` (else the workspace's ``share_folder``); the file's path.

    The folder is checked before anything is built; see :func:`target_folder`,
    :func:`build_summary` and :func:`write_summary` for what is refused.
    """
    folder = target_folder(workspace, to)
    return write_summary(folder, build_summary(workspace, now=now))
