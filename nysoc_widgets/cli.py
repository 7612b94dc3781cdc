"""The ``nysoc`` command: ``init``, ``demo``, ``lab``, ``templates``, ``export``, ``scan``,
``report``, ``data`` and ``share``, all in Danish.

This module holds the Danish argparse machinery, :func:`build_parser`, :func:`main` and
:func:`failure_line`; the handlers live by concern in :mod:`.cli_commands` (init, demo, lab,
templates), :mod:`.cli_data` (scan, data, export), :mod:`.cli_report` (report) and
:mod:`.cli_share` (share).
Exit status: 0 on success, 2 for a usage error (argparse), 1 for any other failure, with
a one-line Danish reason on stderr (``scan`` exits 1 when it finds personal data).
``NYSOC_DEBUG=1`` also prints the traceback.
Only argparse and the i18n layer are imported up front (the handler modules import the rest
when a handler runs), so ``nysoc --help`` is quick.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import sys
import textwrap
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn

from . import __version__, i18n
from .cli_commands import (
    _app,
    _demo,
    _init,
    _lab,
    _templates_check,
    _templates_list,
    _templates_show,
    describe_template,
)
from .cli_data import _data_erase, _data_export, _data_import, _data_retention, _export, _scan
from .cli_report import add_report_command
from .cli_share import _share
from .errors import NysocError

__all__ = ["main", "build_parser", "failure_line", "describe_template"]


_t = i18n.scope("cli")


# --- argparse in Danish ----------------------------------------------------------------

_ARGPARSE_MESSAGES = [  # argparse's English messages (Python 3.10–3.13) → cli.toml keys
    (r"the following arguments are required: (?P<args>.+)", "required"),
    (r"unrecognized arguments: (?P<args>.+)", "unrecognized"),
    (r"invalid choice: (?P<value>.+?) \(choose from (?P<choices>.+)\)", "invalid_choice"),
    (r"expected one argument", "expected_one"),
    (r"invalid \S+ value: (?P<value>.+)", "invalid_value"),
    (r"ambiguous option: (?P<option>\S+) could match (?P<matches>.+)", "ambiguous"),
]


def danish_usage_error(message: str) -> str:
    """argparse's English error ``message`` in Danish (unchanged if not recognised)."""
    found = re.fullmatch(r"argument (?P<argument>[^:]+): (?P<message>.+)", message, re.S)
    if found:
        return _t("argument", argument=found["argument"],
                  message=danish_usage_error(found["message"]))
    for pattern, key in _ARGPARSE_MESSAGES:
        found = re.fullmatch(pattern, message, re.S)
        if found:
            return _t(key, **found.groupdict())
    return message


class _Formatter(argparse.RawDescriptionHelpFormatter):
    """Danish "Brug:"; descriptions are wrapped by ``_Parser``, the epilog is kept as written."""

    def __init__(self, prog: str) -> None:
        super().__init__(prog, max_help_position=30)

    def add_usage(self, usage: Any, actions: Any, groups: Any, prefix: Any = None) -> None:
        super().add_usage(usage, actions, groups, _t("usage") if prefix is None else prefix)


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose headings, ``-h`` and usage errors are Danish."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.update(add_help=False, formatter_class=_Formatter)
        if kwargs.get("description"):
            kwargs["description"] = textwrap.fill(kwargs["description"], 80)
        super().__init__(*args, **kwargs)
        self._positionals.title = _t("positionals")
        self._optionals.title = _t("options")
        self.add_argument("-h", "--help", action="help", help=_t("help"))

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, _t("usage_error", prog=self.prog, message=danish_usage_error(message))
                  + "\n")


def _checked(pattern: str, key: str, convert: Callable[[str], Any] = str
             ) -> Callable[[str], Any]:
    """An argparse type: ``value`` must match ``pattern`` and convert, else ``cli.<key>``."""
    def parse(value: str) -> Any:
        try:
            if re.fullmatch(pattern, value):
                return convert(value)
        except ValueError:
            pass
        raise argparse.ArgumentTypeError(_t(key, value=value))
    return parse


_date = _checked(r"\d{4}-\d{2}-\d{2}", "bad_date", lambda v: dt.date.fromisoformat(v).isoformat())


def _port_number(value: str) -> int:
    port = int(value)
    if not 0 < port < 65536:
        raise ValueError(value)
    return port


_port = _checked(r"\d{1,5}", "bad_port", _port_number)
_pairing_id = _checked(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}", "bad_pairing")
_folder_name = _checked(r'[^"]+', "bad_templates", lambda v: Path(v).as_posix())
_months = _checked(r"0*[1-9]\d{0,3}", "bad_months", int)


def build_parser() -> argparse.ArgumentParser:
    """The ``nysoc`` parser; each command's handler is ``args.run``."""
    from .glossary import ROLES

    parser = _Parser(prog="nysoc", description=_t("description"), epilog=_t("epilog"))
    parser.add_argument("--version", action="version", version=f"nysoc {__version__}",
                        help=_t("version"))
    sub = parser.add_subparsers(title=_t("commands"), metavar=_t("command_metavar"),
                                required=True, parser_class=_Parser)

    def command(group: Any, name: str, run: Callable[[argparse.Namespace], int] | None
                ) -> argparse.ArgumentParser:
        p = group.add_parser(name, help=_t(f"{name}_help"),
                             description=_t(f"{name}_description"))
        if run is not None:  # a command with subcommands gets its handler from them
            p.set_defaults(run=run, parser=p)
        return p

    p = command(sub, "init", _init)
    p.add_argument("dir", metavar="MAPPE", help=_t("init_dir"))
    p.add_argument("--role", required=True, choices=list(ROLES), metavar="ROLLE",
                   help=_t("init_role"))
    p.add_argument("--pairing", type=_pairing_id, metavar="ID", help=_t("init_pairing"))
    p.add_argument("--mentor", default="", metavar="NAVN", help=_t("init_mentor"))
    p.add_argument("--mentee", default="", metavar="NAVN", help=_t("init_mentee"))
    p.add_argument("--department", default="", metavar="TEKST", help=_t("init_department"))
    p.add_argument("--start", type=_date, metavar="ÅÅÅÅ-MM-DD", help=_t("init_start"))
    p.add_argument("--templates", type=_folder_name, metavar="MAPPE",
                   help=_t("init_templates"))
    p.add_argument("--share-folder", metavar="MAPPE", help=_t("init_share_folder"))
    p.add_argument("--retention-months", type=_months, metavar="MÅNEDER",
                   help=_t("init_retention_months"))

    p = command(sub, "demo", _demo)
    p.add_argument("dir", metavar="MAPPE", help=_t("demo_dir"))

    p = command(sub, "lab", _lab)
    p.add_argument("dir", nargs="?", metavar="MAPPE", help=_t("lab_dir"))
    p.add_argument("--workspace", metavar="MAPPE", help=_t("workspace_help"))
    p.add_argument("--port", type=_port, metavar="N", help=_t("lab_port"))
    p.add_argument("--no-browser", action="store_true", help=_t("lab_no_browser"))

    p = command(sub, "app", _app)
    p.add_argument("notebook", metavar="NOTESBOG", help=_t("app_notebook"))
    p.add_argument("--workspace", metavar="MAPPE", help=_t("workspace_help"))
    p.add_argument("--port", type=_port, metavar="N", help=_t("app_port"))
    p.add_argument("--no-browser", action="store_true", help=_t("lab_no_browser"))

    p = command(sub, "templates", None)
    tsub = p.add_subparsers(title=_t("commands"), metavar=_t("command_metavar"),
                            required=True, parser_class=_Parser)
    p = command(tsub, "list", _templates_list)
    p.add_argument("--workspace", metavar="MAPPE", help=_t("workspace_help"))
    p = command(tsub, "show", _templates_show)
    p.add_argument("id", metavar="ID", help=_t("show_id"))
    p.add_argument("--json", action="store_true", help=_t("show_json"))
    p.add_argument("--workspace", metavar="MAPPE", help=_t("workspace_help"))
    p = command(tsub, "check", _templates_check)
    p.add_argument("dir", metavar="MAPPE", help=_t("check_dir"))

    p = command(sub, "export", _export)
    p.add_argument("notebook", metavar="NOTESBOG", nargs="?", help=_t("export_notebook"))
    p.add_argument("--to", choices=["html", "pdf", "docx", "markdown"], default="html",
                   metavar="FORMAT", help=_t("export_to"))
    p.add_argument("--out", metavar="FIL", help=_t("export_out"))
    p.add_argument("--all", metavar="MAPPE", dest="all", help=_t("export_all"))
    p.add_argument("--shareable", action="store_true", help=_t("export_shareable"))
    p.add_argument("--workspace", metavar="MAPPE", help=_t("workspace_help"))

    p = command(sub, "scan", _scan)
    p.add_argument("file", metavar="FIL", help=_t("scan_file"))
    p.add_argument("--json", action="store_true", help=_t("scan_json"))
    p.add_argument("--names", metavar="FIL", help=_t("scan_names"))

    p = command(sub, "share", _share)
    p.add_argument("--to", metavar="MAPPE", help=_t("share_to"))
    p.add_argument("--ja", "--yes", dest="yes", action="store_true", help=_t("share_yes"))
    p.add_argument("--workspace", metavar="MAPPE", help=_t("workspace_help"))
    add_report_command(sub, _date)

    p = command(sub, "data", None)
    dsub = p.add_subparsers(title=_t("commands"), metavar=_t("command_metavar"),
                            required=True, parser_class=_Parser)
    data: dict[str, argparse.ArgumentParser] = {}
    for name, run in (("export", _data_export), ("import", _data_import),
                      ("erase", _data_erase), ("retention", _data_retention)):
        p = data[name] = dsub.add_parser(name, help=_t(f"data_{name}_help"),
                                         description=_t(f"data_{name}_description"))
        p.set_defaults(run=run, parser=p)
        p.add_argument("--workspace", metavar="MAPPE", help=_t("workspace_help"))
    data["export"].add_argument("--pairing", metavar="ID", help=_t("data_export_pairing"))
    data["export"].add_argument("--record", metavar="ID", help=_t("data_record"))
    data["export"].add_argument("--out", metavar="FIL", help=_t("data_out"))
    data["import"].add_argument("file", metavar="FIL", help=_t("data_file"))
    data["erase"].add_argument("--pairing", required=True, metavar="ID",
                               help=_t("data_erase_pairing"))
    data["retention"].add_argument("--erase", action="store_true", help=_t("data_erase_expired"))
    for name in ("erase", "retention"):
        data[name].add_argument("--yes", action="store_true", help=_t("data_yes"))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``nysoc`` with ``argv`` (default: the command line); returns the exit status."""
    try:
        args = build_parser().parse_args(argv)
        return int(args.run(args))
    except SystemExit as exc:  # --help / --version (0) or a usage error (2)
        return exc.code if isinstance(exc.code, int) else int(exc.code is not None)
    except KeyboardInterrupt:
        print(_t("interrupted"), file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - the edge: one Danish line, never a traceback
        if os.environ.get("NYSOC_DEBUG") == "1":
            traceback.print_exc()
        print(" ".join(failure_line(exc).split()), file=sys.stderr)
        return 1


def failure_line(exc: Exception) -> str:
    """What ``nysoc`` says on stderr when a command fails with ``exc``."""
    import errno

    if isinstance(exc, NysocError):
        return _t("error", message=str(exc))
    if isinstance(exc, OSError) and exc.strerror:
        key = f"cli.errno_{errno.errorcode.get(exc.errno or 0, '')}"
        reason = i18n.t(key) if i18n.has(key) else exc.strerror
        return _t("error", message=_t("os_error", path=exc.filename or "", reason=reason))
    return _t("unexpected", error=f"{type(exc).__name__}: {exc}")
