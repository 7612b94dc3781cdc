"""The ``nysoc`` command: ``init``, ``demo``, ``lab``, ``templates``, ``export``, ``scan``
and ``data``, all in Danish.

Exit status: 0 on success, 2 for a usage error (argparse), 1 for any other failure, with
a one-line Danish reason on stderr (``scan`` exits 1 when it finds personal data).
``NYSOC_DEBUG=1`` also prints the traceback.
Only argparse and the i18n layer are imported up front, so ``nysoc --help`` is quick.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import sys
import textwrap
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn

from . import __version__, i18n
from .errors import NysocError, WorkspaceError

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

    p = command(sub, "demo", _demo)
    p.add_argument("dir", metavar="MAPPE", help=_t("demo_dir"))

    p = command(sub, "lab", _lab)
    p.add_argument("dir", nargs="?", metavar="MAPPE", help=_t("lab_dir"))
    p.add_argument("--workspace", metavar="MAPPE", help=_t("workspace_help"))
    p.add_argument("--port", type=_port, metavar="N", help=_t("lab_port"))
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
    p.add_argument("notebook", metavar="NOTESBOG", help=_t("export_notebook"))
    p.add_argument("--to", choices=["html"], default="html", metavar="FORMAT",
                   help=_t("export_to"))
    p.add_argument("--out", metavar="FIL", help=_t("export_out"))
    p.add_argument("--shareable", action="store_true", help=_t("export_shareable"))
    p.add_argument("--workspace", metavar="MAPPE", help=_t("workspace_help"))

    p = command(sub, "scan", _scan)
    p.add_argument("file", metavar="FIL", help=_t("scan_file"))
    p.add_argument("--json", action="store_true", help=_t("scan_json"))
    p.add_argument("--names", metavar="FIL", help=_t("scan_names"))

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


# --- init and demo ----------------------------------------------------------------------

def _init(args: argparse.Namespace) -> int:
    from .glossary import ROLES
    from .workspace import ROLE_NOTEBOOKS, init_workspace

    ws = init_workspace(args.dir, args.role, pairing=args.pairing, templates=args.templates,
                        mentor=args.mentor, mentee=args.mentee, department=args.department,
                        start_date=args.start)
    lines = [_t("init_done", path=ws.root), _t("init_role_line", role=ROLES[ws.role])]
    if ws.pairing:
        lines.append(_t("init_pairing_line", pairing=ws.pairing))
    lines += [_t("init_config_line", path=ws.config_path),
              _t("init_store_line", path=ws.store_path),
              _t("init_notebooks_line", names=", ".join(ROLE_NOTEBOOKS[ws.role]))]
    if ws.templates:
        key = "init_templates_line" if ws.templates.is_dir() else "init_templates_missing"
        lines.append(_t(key, path=ws.templates))
    print(*lines, _t("next_step", path=ws.root), sep="\n")
    return 0


def _demo(args: argparse.Namespace) -> int:
    from .demo import create_demo
    from .glossary import PHASES

    result = create_demo(args.dir)
    print(_t("demo_done", path=result.workspace.root))
    print(_t("demo_own", pairing=result.workspace.pairing))
    for item in result.pairings:
        print(_t("demo_pairing_line", pairing=item.pairing.id, records=item.records,
                 department=item.pairing.department, phase=PHASES[item.phase]))
    print(_t("next_step", path=result.workspace.root))
    return 0


def _lab(args: argparse.Namespace) -> int:
    import importlib.util
    import secrets
    import subprocess

    from .lab import START_NOTEBOOK, free_port, lab_command, write_lab_settings
    from .workspace import find_workspace

    if args.dir and args.workspace and Path(args.dir).resolve() != Path(args.workspace).resolve():
        args.parser.error(_t("both_folders"))
    ws = find_workspace(args.dir or args.workspace)
    if importlib.util.find_spec("jupyterlab") is None:
        raise NysocError("cli.no_jupyterlab", python=sys.executable)
    write_lab_settings(ws.root)
    cmd = lab_command(ws.root, port=args.port or free_port(), token=secrets.token_urlsafe(24),
                      open_browser=not args.no_browser,
                      notebook=START_NOTEBOOK if (ws.root / START_NOTEBOOK).is_file() else None,
                      allow_root=hasattr(os, "geteuid") and os.geteuid() == 0)
    print(_t("lab_starting", path=ws.root), _t("lab_url"), "", f"    {cmd.url}", "",
          _t("lab_stop"), sep="\n", flush=True)
    process = subprocess.Popen(cmd.argv, env=cmd.env)
    try:
        code = process.wait()
    except KeyboardInterrupt:  # Jupyter got the same Ctrl+C and shuts down by itself
        code = process.wait()
        print(_t("lab_stopped"))
        return 0
    if code != 0:
        raise NysocError("cli.lab_failed", code=code)
    print(_t("lab_stopped"))
    return 0


# --- data rights: export, import, erase, retention (see portability.py) -----------------

def _data_export(args: argparse.Namespace) -> int:
    from .portability import dumps, export_records, write_document
    from .workspace import find_workspace

    with find_workspace(args.workspace).open_store() as store:
        document = export_records(store, pairing=args.pairing)
    if args.out is None:
        sys.stdout.flush()
        out = getattr(sys.stdout, "buffer", None)  # UTF-8 whatever the terminal's encoding
        if out is None:
            sys.stdout.write(dumps(document))
        else:
            out.write(dumps(document).encode("utf-8"))
            out.flush()
        return 0
    write_document(document, args.out)
    print(_t("data_exported", records=len(document["records"]),
             pairings=len(document["pairings"]), path=args.out))
    return 0


def _data_import(args: argparse.Namespace) -> int:
    from .portability import import_records
    from .workspace import find_workspace

    ws = find_workspace(args.workspace)
    data = sys.stdin.buffer.read() if args.file == "-" else Path(args.file).read_bytes()
    name = _t("data_stdin") if args.file == "-" else args.file
    with ws.open_store() as store:
        result = import_records(store, data, file=name)
    print(_t("data_imported", path=name, workspace=ws.root), result.summary(), sep="\n")
    return 0


def _data_erase(args: argparse.Namespace) -> int:
    from .portability import erase_pairing
    from .workspace import find_workspace

    with find_workspace(args.workspace).open_store() as store:
        pairing = store.get_pairing(args.pairing)
        question = _t("data_erase_question", pairing=pairing.id,
                      records=store.count_records(pairing=pairing.id))
        if not _confirmed(args, question):
            return 1
        erased = erase_pairing(store, pairing.id)
    print(_t("data_erased", pairing=pairing.id, records=erased))
    return 0


def _data_retention(args: argparse.Namespace) -> int:
    from .portability import erase_pairings, expired_pairings
    from .workspace import find_workspace

    ws = find_workspace(args.workspace)
    months = ws.retention_months
    if months is None:
        raise NysocError("cli.data_no_retention", config=ws.config_path)
    with ws.open_store() as store:
        expired = expired_pairings(store, months, dt.date.today())
        if not expired:
            print(_t("data_retention_none", months=months))
            return 0
        print(_t("data_retention_heading", count=len(expired), months=months))
        for old in expired:
            print(_t("data_retention_line", pairing=old.pairing.id, ended=old.ended.isoformat(),
                     basis=old.basis_text, records=old.records))
        if not args.erase:
            print(_t("data_retention_hint"))
            return 0
        question = _t("data_retention_question", count=len(expired),
                      records=sum(old.records for old in expired))
        if not _confirmed(args, question):
            return 1
        erased = erase_pairings(store, [old.pairing.id for old in expired])
    print(_t("data_retention_erased", count=len(expired), records=erased))
    return 0


def _confirmed(args: argparse.Namespace, question: str) -> bool:
    """``--yes``, or a "j" typed on a terminal; without a terminal, refuse (exit 1)."""
    if args.yes:
        return True
    if sys.stdin is None or not sys.stdin.isatty():
        raise NysocError("cli.data_needs_yes")
    print(question, end=" ", flush=True)
    if sys.stdin.readline().strip().lower() in ("j", "ja", "y", "yes"):
        return True
    print(_t("data_not_erased"), file=sys.stderr)
    return False


# --- export: a notebook as a document (see export.py; imports nbconvert) ---------------

def _export(args: argparse.Namespace) -> int:
    from .export import export_notebook

    path = export_notebook(args.notebook, to=args.to, out=args.out, shareable=args.shareable,
                           workspace=args.workspace)
    print(_t("export_done_shareable" if args.shareable else "export_done", path=path))
    return 0


# --- scan: citizens' personal data in any text (see privacy.py) -------------------------

def _scan(args: argparse.Namespace) -> int:
    from .privacy import describe, scan_lines

    names = _read_text(args.names).splitlines() if args.names else []
    findings = scan_lines(_read_text(args.file), names)
    for f in findings:
        print(json.dumps({"kind": f.kind, "text": f.text, "line": f.line, "start": f.start,
                          "end": f.end}, ensure_ascii=False) if args.json
              else f"{args.file}:{f.line}:{f.start + 1}: {describe(f.kind)}: {f.text}")
    if not args.json:
        print(_t("scan_found", count=len(findings), path=args.file) if findings
              else _t("scan_none", path=args.file), file=sys.stderr)
    return 1 if findings else 0


def _read_text(path: str) -> str:
    """A text file, or standard input for ``-``: UTF-8, else Windows-1252 (older files)."""
    if path == "-" and not hasattr(sys.stdin, "buffer"):
        return sys.stdin.read()
    data = sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


# --- templates --------------------------------------------------------------------------

def _catalogue(path: str | None) -> tuple[Any, Any]:
    """The workspace's catalogue (or the built-in one when no workspace is found)."""
    from .catalogue import Catalogue
    from .workspace import find_workspace

    try:
        ws = find_workspace(path)
    except WorkspaceError as exc:
        if path is not None or exc.details.get("reason_key") != "workspace.not_found":
            raise
        return None, Catalogue.load()
    return ws, ws.catalogue()


def _templates_list(args: argparse.Namespace) -> int:
    ws, catalogue = _catalogue(args.workspace)
    templates = list(catalogue)
    print(_t("list_heading_workspace", count=len(templates), path=ws.root) if ws
          else _t("list_heading", count=len(templates)))
    rows = [_t("list_columns").split("|")] + [
        [t.id, str(t.version), t.title.da, _t(f"kind_{t.kind}"), ", ".join(t.roles) or "–"]
        for t in templates]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        cells = (cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        print("  ".join(cells).rstrip())
    if ws and ws.templates and not ws.templates.is_dir():
        print(_t("list_no_folder", path=ws.templates))
    if catalogue.hidden:
        print(_t("list_hidden", ids=", ".join(sorted(catalogue.hidden))))
    if catalogue.problems:
        print(_t("list_problems", count=len(catalogue.problems)))
        for problem in catalogue.problems:
            print("  " + _problem_line(problem))
    return 0


def _templates_show(args: argparse.Namespace) -> int:
    template = _catalogue(args.workspace)[1].get(args.id)
    if args.json:
        print(json.dumps(template.to_dict(), ensure_ascii=False, indent=2, sort_keys=True))
    else:
        print("\n".join(describe_template(template)))
    return 0


def _templates_check(args: argparse.Namespace) -> int:
    from .catalogue import Catalogue, template_files

    folder = Path(args.dir)
    if not folder.is_dir():
        raise NysocError("cli.not_a_folder", path=folder)
    files = template_files(folder)
    if not files:
        raise NysocError("cli.no_template_files", path=folder)
    problems = Catalogue.load(folder).problems
    if not problems:
        print(_t("check_ok_one", path=files[0]) if len(files) == 1
              else _t("check_ok", count=len(files), path=folder))
        return 0
    for problem in problems:
        print(_problem_line(problem))
    bad = {str(problem.details.get("file")) for problem in problems}
    good = sum(1 for path in files if str(path) not in bad)
    print(_t("check_failed", good=good, count=len(files), problems=len(problems)),
          file=sys.stderr)
    return 1


def _problem_line(problem: Any) -> str:
    """One template problem as ``FILE: field: problem`` on a single line."""
    details = problem.details
    return " ".join(f"{details.get('file')}: {details.get('field')}: {problem.problem}".split())


def describe_template(template: Any, width: int = 88) -> list[str]:
    """A template as plain Danish text: sections, questions, kinds and choices."""
    from .glossary import CONFIDENTIALITY, PHASES

    meta = [_t("show_meta", id=template.id, version=template.version,
               kind=_t(f"kind_{template.kind}"))]
    if template.phase:
        meta.append(_t("show_phase", phase=PHASES[template.phase]))
    if template.roles:
        meta.append(_t("show_roles", roles=", ".join(template.roles)))
    meta.append(_t("show_level", level=CONFIDENTIALITY[template.level]))
    lines = [template.title.da, *_wrap(" · ".join(meta), 2, width),
             *_wrap(_t("show_source", source=template.source), 2, width)]
    if template.intro:
        lines += ["", *_wrap(template.intro.da, 0, width)]
    for section in template.sections:
        lines += ["", section.title.da]
        if section.intro:
            lines += _wrap(section.intro.da, 2, width)
        for fld in section.fields:
            notes = [_t(f"field_{fld.kind}")] + ([_t("show_required")] if fld.required else [])
            if fld.confidentiality != template.confidentiality:
                notes.append(CONFIDENTIALITY[fld.confidentiality])
            lines += _wrap(f"• {fld.label.da} ({fld.id}) – {', '.join(notes)}", 2, width, 4)
            extra = [fld.help.da] if fld.help else []
            if fld.source:
                extra.append(_t("show_from", fields=", ".join(fld.source)))
            if fld.choices:
                extra.append(_t("show_choices", choices="; ".join(c.label.da
                                                                  for c in fld.choices)))
            if fld.low and fld.high:
                extra.append(_t("show_scale", low=fld.low.da, high=fld.high.da))
            for text in extra:
                lines += _wrap(text, 4, width)
        for item in section.items:
            head = f"{item.title.da} – " if item.title else ""
            lines += _wrap(f"• {head}{item.text.da}", 2, width, 4)
    return lines


def _wrap(text: str, indent: int, width: int, hanging: int | None = None) -> list[str]:
    """``text`` wrapped line by line (keeping its own line breaks), indented."""
    first, rest = " " * indent, " " * (indent if hanging is None else hanging)
    out: list[str] = []
    for line in text.splitlines() or [""]:
        out += textwrap.wrap(line, width, initial_indent=first, subsequent_indent=rest) or [""]
    return out
