"""The handlers of ``nysoc init``, ``demo``, ``lab`` and ``templates list/show/check``:
setting up and opening a workspace, and reading its templates.

:func:`cli.build_parser` wires each ``_name`` here to its command with ``set_defaults(run=...)``.
Each handler imports what it needs when it runs, so importing this module (as ``nysoc --help``
does) costs no more than argparse and the i18n layer.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import textwrap
from pathlib import Path
from typing import Any

from . import i18n
from .errors import NysocError, WorkspaceError

__all__ = [
    "_init",
    "_demo",
    "_lab",
    "_app",
    "_templates_list",
    "_templates_show",
    "_templates_check",
    "describe_template",
]

_t = i18n.scope("cli")


# --- init and demo ----------------------------------------------------------------------

def _init(args: argparse.Namespace) -> int:
    from .glossary import ROLES
    from .workspace import ROLE_NOTEBOOKS, init_workspace

    ws = init_workspace(args.dir, args.role, pairing=args.pairing, templates=args.templates,
                        mentor=args.mentor, mentee=args.mentee, department=args.department,
                        start_date=args.start, share_folder=args.share_folder,
                        retention_months=args.retention_months)
    lines = [_t("init_done", path=ws.root), _t("init_role_line", role=ROLES[ws.role])]
    if ws.pairing:
        lines.append(_t("init_pairing_line", pairing=ws.pairing))
    lines += [_t("init_config_line", path=ws.config_path),
              _t("init_store_line", path=ws.store_path),
              _t("init_notebooks_line", names=", ".join(ROLE_NOTEBOOKS[ws.role]))]
    if ws.templates:
        key = "init_templates_line" if ws.templates.is_dir() else "init_templates_missing"
        lines.append(_t(key, path=ws.templates))
    if ws.share_folder:
        key = "init_share_line" if ws.share_folder.is_dir() else "init_share_missing"
        lines.append(_t(key, path=ws.share_folder))
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
    town = result.municipality
    if town is not None:
        departments = {item.pairing.department for item in town.pairings}
        print(_t("demo_municipality", count=len(town.files), departments=len(departments),
                 path=town.share_folder))
        print(_t("demo_coordinator", path=town.coordinator.root))
    print(_t("next_step", path=result.workspace.root))
    return 0


def _lab(args: argparse.Namespace) -> int:
    import secrets

    from .lab import START_NOTEBOOK, free_port, lab_command, write_lab_settings
    from .workspace import find_workspace

    if args.dir and args.workspace and Path(args.dir).resolve() != Path(args.workspace).resolve():
        args.parser.error(_t("both_folders"))
    ws = find_workspace(args.dir or args.workspace)
    _needs("jupyterlab", "cli.no_jupyterlab")
    write_lab_settings(ws.root)
    cmd = lab_command(ws.root, port=args.port or free_port(), token=secrets.token_urlsafe(24),
                      open_browser=not args.no_browser,
                      notebook=START_NOTEBOOK if (ws.root / START_NOTEBOOK).is_file() else None,
                      allow_root=hasattr(os, "geteuid") and os.geteuid() == 0)
    print(_t("lab_starting", path=ws.root), _t("lab_url"), "", f"    {cmd.url}", "",
          _t("lab_stop"), sep="\n", flush=True)
    return _serve(cmd.argv, cmd.env, ws.root, stopped="lab_stopped", failed="cli.lab_failed")


def _app(args: argparse.Namespace) -> int:
    import secrets

    from .lab import app_command, free_port, write_lab_settings
    from .workspace import find_workspace

    notebook = Path(args.notebook)
    ws = find_workspace(args.workspace or (notebook.parent if notebook.parent != Path()
                                           else None))
    path = notebook if notebook.is_absolute() or notebook.is_file() else ws.root / notebook
    path = path.resolve()
    if not path.is_file():
        raise NysocError("cli.app_no_notebook", path=args.notebook, workspace=ws.root)
    if not path.is_relative_to(ws.root.resolve()):
        raise NysocError("cli.app_outside", path=path, workspace=ws.root)
    _needs("voila", "cli.no_voila")
    write_lab_settings(ws.root)
    cmd = app_command(ws.root, path, port=args.port or free_port(8866),
                      token=secrets.token_urlsafe(24), open_browser=not args.no_browser)
    print(_t("app_starting", name=path.stem, path=ws.root), _t("lab_url"), "",
          f"    {cmd.url}", "", _t("app_stop"), sep="\n", flush=True)
    return _serve(cmd.argv, cmd.env, ws.root, stopped="app_stopped", failed="cli.app_failed")


def _needs(module: str, key: str) -> None:
    """Fail in Danish when ``module`` (a server) is not installed in this Python."""
    import importlib.util

    if importlib.util.find_spec(module) is None:
        raise NysocError(key, python=sys.executable)


def _serve(argv: list[str], env: dict[str, str], cwd: Path, *, stopped: str, failed: str
           ) -> int:
    """Run a server until it stops; say so in Danish. Ctrl+C reaches the server by itself
    (same process group); a ``kill`` (SIGTERM) of nysoc is passed on, so no server is
    left behind serving the workspace."""
    import signal
    import subprocess

    process = subprocess.Popen(argv, env=env, cwd=cwd)

    def stop(_signum: int, _frame: Any) -> None:
        process.terminate()

    import threading

    main = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, stop) if main else None
    try:
        code = process.wait()
    except KeyboardInterrupt:  # the server got the same Ctrl+C and shuts down by itself
        process.wait()
        print(_t(stopped))
        return 0
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
    if code != 0 and code != -signal.SIGTERM:
        raise NysocError(failed, code=code)
    print(_t(stopped))
    return 0


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
            if fld.choices_from_saved:
                extra.append(_t("show_saved", reference=fld.choices_from_saved))
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
