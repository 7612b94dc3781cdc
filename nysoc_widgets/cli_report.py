"""``nysoc report MAPPE [--out FIL] [--date ÅÅÅÅ-MM-DD] [--workspace MAPPE]``: the
coordinator's report (see :mod:`.report`).

:func:`add_report_command` adds the command to ``nysoc``'s parser (:func:`cli.build_parser`);
:func:`_report` is its handler. It prints the path of the report written (only that, on
standard output, so a script can use it) and, on standard error, how many files in the
folder could not be read. Exit status 0, 1 on a failure (one Danish line), 2 on a usage
error. nbclient and nbconvert are imported when the handler runs.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from . import i18n

__all__ = ["add_report_command", "_report"]

_t = i18n.scope("report")


def add_report_command(sub: Any, date_type: Callable[[str], Any]) -> argparse.ArgumentParser:
    """Add ``report`` to the subcommands ``sub``; ``date_type`` checks ``--date``."""
    p: argparse.ArgumentParser = sub.add_parser("report", help=_t("help"),
                                                description=_t("description"))
    p.set_defaults(run=_report, parser=p)
    p.add_argument("folder", metavar="MAPPE", help=_t("folder"))
    p.add_argument("--out", metavar="FIL", help=_t("out"))
    p.add_argument("--date", type=date_type, metavar="ÅÅÅÅ-MM-DD", help=_t("date"))
    p.add_argument("--workspace", metavar="MAPPE", help=_t("workspace"))
    return p


def _thresholds(workspace: str | None) -> dict[str, int]:
    """The alert thresholds of the coordinator's workspace (the defaults without one)."""
    from .alerts import thresholds
    from .errors import WorkspaceError
    from .workspace import find_workspace

    try:
        return find_workspace(workspace).alerts
    except WorkspaceError as exc:
        if workspace is None and exc.details.get("reason_key") == "workspace.not_found":
            return thresholds()
        raise


def _report(args: argparse.Namespace) -> int:
    import datetime as dt

    from .clock import today
    from .report import build_report, default_name

    limits = _thresholds(args.workspace)
    out = Path(args.out) if args.out else Path(default_name(today()))
    report = build_report(args.folder, out,
                          today=dt.date.fromisoformat(args.date) if args.date else None,
                          alerts=limits)
    print(report.path)
    if report.problems:
        key = "skipped_one" if report.problems == 1 else "skipped"
        print(_t(key, count=report.problems), file=sys.stderr)
    return 0
