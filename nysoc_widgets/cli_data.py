"""The handlers of ``nysoc scan``, ``data export/import/erase/retention`` and ``export``:
what leaves or enters a workspace (personal data found, records moved or erased, documents).

:func:`cli.build_parser` wires each ``_name`` here to its command with ``set_defaults(run=...)``.
Each handler imports what it needs when it runs (``export`` imports nbconvert), so importing
this module (as ``nysoc --help`` does) costs no more than argparse and the i18n layer.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

from . import i18n
from .errors import NysocError

__all__ = [
    "_data_export",
    "_data_import",
    "_data_erase",
    "_data_retention",
    "_export",
    "_scan",
]

_t = i18n.scope("cli")


# --- data rights: export, import, erase, retention (see portability.py) -----------------

def _data_export(args: argparse.Namespace) -> int:
    from .portability import dumps, export_records, write_document
    from .workspace import find_workspace

    with find_workspace(args.workspace).open_store() as store:
        document = export_records(store, pairing=args.pairing, record=args.record)
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
    if args.record is not None:
        print(_t("data_exported_record", record=args.record, path=args.out))
        return 0
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
    from .export_files import export_all, export_notebook

    if (args.notebook is None) == (args.all is None):
        print(_t("error", message=_t("export_one_or_all")), file=sys.stderr)
        return 2
    if args.all is not None:
        done = export_all(args.all, to=args.to, out=args.out, shareable=args.shareable,
                          workspace=args.workspace)
        for name, reason in done.failed:
            print(_t("export_all_failed", name=name, reason=reason), file=sys.stderr)
        print(_t("export_all_done", count=len(done.documents), folder=done.index.parent,
                 index=done.index))
        return 1 if done.failed else 0
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
