"""The handler of ``nysoc share``: the pairing's summary to the coordinator's folder.

It prints what the coordinator will receive in plain Danish (``share_preview.preview``),
asks "Vil du dele dette med tovholderen? [j/N]" on a terminal (``--ja`` answers yes; with no
terminal and no ``--ja`` it refuses, exit 1), writes the file (``sharing.write_summary``) and
prints its path alone on the last line. The folder is checked before anything is shown.
:func:`cli.build_parser` wires :func:`_share` to the command.
"""

from __future__ import annotations

import argparse
import sys

from . import i18n
from .errors import NysocError

__all__ = ["_share"]

_t = i18n.scope("share")


def _share(args: argparse.Namespace) -> int:
    from .share_preview import preview
    from .sharing import build_summary, target_folder, write_summary
    from .workspace import find_workspace

    ws = find_workspace(args.workspace)
    folder = target_folder(ws, args.to)
    catalogue = ws.catalogue()
    summary = build_summary(ws, catalogue=catalogue)
    print(preview(summary, catalogue), flush=True)
    if not _confirmed(args.yes):
        return 1
    path = write_summary(folder, summary)
    print(_t("written"))
    print(path)
    return 0


def _confirmed(yes: bool) -> bool:
    """``--ja``, or a "j" typed on a terminal; without a terminal, refuse (exit 1)."""
    if yes:
        return True
    if sys.stdin is None or not sys.stdin.isatty():
        raise NysocError("share.needs_yes")
    print(_t("question"), end=" ", flush=True)
    if sys.stdin.readline().strip().lower() in ("j", "ja", "y", "yes"):
        return True
    print(_t("declined"), file=sys.stderr)
    return False
