#!/usr/bin/env python3
"""Back up every user's nysoc store with SQLite's online backup API (for cron).

    python3 deploy/backup_stores.py --homes /home --to /var/backups/nysoc

Each store matching ``HOMES/<glob>`` (default ``*/nysoc/nysoc*.db``: every user's workspace
``~/nysoc``) is copied with ``sqlite3.Connection.backup`` - a consistent snapshot even while
the user's kernel is saving (a file copy of a live WAL database can miss acknowledged saves
or be torn) - into ``TO/<time>/<same relative path>``:

* written to a hidden temporary file beside its final name, checked there with
  ``PRAGMA integrity_check`` and ``PRAGMA application_id`` (it must be a nysoc store), made a
  single self-contained file (``journal_mode=DELETE``), synced, and only then renamed: a
  backup file that exists is whole and checked;
* folders 0700 and files 0600 (the stores hold confidential notes: keep the backup folder
  on encrypted storage with the same care as the homes);
* ``MANIFEST.json`` in the run's folder, written last: each store's size, SHA-256 and
  result.

``--keep N`` removes all but the newest N runs' folders afterwards.
Exit status: 0 all stores backed up and checked; 1 some store failed (the others are backed
up; each failure is one line on standard error); 2 usage error or nothing to back up.
Messages are Danish with English after ``/``.

Run as root (to read every home). SQLite, running as root, gives any ``-wal``/``-shm`` file
it must create beside a store the store's owner, so the user's own server keeps working.
Restoring: stop the user's server, copy the backup file to ``~/nysoc/nysoc.db`` with the
user as owner and mode 0600, remove ``nysoc.db-wal`` and ``nysoc.db-shm`` there if present.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import sys
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

#: ``PRAGMA application_id`` of a nysoc store (the bytes b"nyso"; nysoc_widgets/_schema.py).
APPLICATION_ID = 0x6E79736F
DEFAULT_GLOB = "*/nysoc/nysoc*.db"
MANIFEST = "MANIFEST.json"
RUN_FORMAT = "%Y-%m-%dT%H%M%SZ"
#: Seconds to wait for a user's kernel that is writing (the backup needs a read snapshot).
BUSY_TIMEOUT = 30.0


class BackupError(Exception):
    """One store could not be backed up; the message is Danish / English."""


@dataclass
class Result:
    """What happened to one store."""

    source: str
    target: str | None
    ok: bool
    bytes: int = 0
    sha256: str = ""
    message: str = ""


def find_stores(homes: Path, pattern: str = DEFAULT_GLOB) -> list[Path]:
    """The store files under ``homes`` matching ``pattern`` (not ``-wal``/``-shm``), sorted."""
    return sorted(p for p in homes.glob(pattern)
                  if p.is_file() and not p.is_symlink() and p.suffix == ".db")


def backup_store(source: Path, target: Path) -> Result:
    """Back ``source`` up to ``target`` atomically and check the copy; see the module docs.

    Raises :class:`BackupError` with a Danish / English message; no temporary file stays.
    """
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.",
                                    suffix=".tmp")
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        os.chmod(tmp, 0o600)
        _copy(source, tmp)
        _check(tmp, source)
        with tmp.open("rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp, target)
        _sync_folder(target.parent)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return Result(str(source), str(target), True, target.stat().st_size, _sha256(target))


def _copy(source: Path, tmp: Path) -> None:
    try:
        # Not read-only: a WAL database must be able to read (or make) its -shm index.
        src = sqlite3.connect(source, timeout=BUSY_TIMEOUT)
    except sqlite3.Error as exc:
        raise BackupError(f"kunne ikke åbne databasen / could not open the database: {exc}"
                          ) from exc
    try:
        dst = sqlite3.connect(tmp)
        try:
            # One step (pages=-1): a consistent snapshot of everything committed when the
            # step began; the user's kernel can go on saving (WAL) meanwhile.
            src.backup(dst, pages=-1)
            dst.execute("PRAGMA journal_mode=DELETE")  # one file, no -wal beside it
            dst.commit()
        finally:
            dst.close()
    except sqlite3.Error as exc:
        raise BackupError(f"kopien mislykkedes / the backup failed: {exc}") from exc
    finally:
        src.close()


def _check(copy: Path, source: Path) -> None:
    conn = sqlite3.connect(f"file:{copy}?mode=ro", uri=True)
    try:
        problems = [row[0] for row in conn.execute("PRAGMA integrity_check")]
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    except sqlite3.Error as exc:
        raise BackupError(f"kopien kan ikke læses / the copy cannot be read: {exc}") from exc
    finally:
        conn.close()
    if problems != ["ok"]:
        raise BackupError("kopien er beskadiget (integrity_check) / the copy is damaged: "
                          + "; ".join(problems[:3]))
    if app_id != APPLICATION_ID:
        raise BackupError(f"{source} er ikke en nysoc-database / is not a nysoc store "
                          f"(application_id {app_id:#x})")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _sync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def run(homes: Path, to: Path, *, pattern: str = DEFAULT_GLOB,
        now: dt.datetime | None = None) -> tuple[Path, list[Result]]:
    """Back up every store under ``homes`` into a new run folder under ``to``."""
    stamp = (now or dt.datetime.now(dt.timezone.utc)).strftime(RUN_FORMAT)
    to.mkdir(parents=True, exist_ok=True, mode=0o700)
    run_dir = to / stamp
    run_dir.mkdir(mode=0o700)
    results = []
    for source in find_stores(homes, pattern):
        target = run_dir / source.relative_to(homes)
        try:
            results.append(backup_store(source, target))
        except (BackupError, OSError) as exc:
            results.append(Result(str(source), None, False, message=str(exc)))
    manifest = {"format": "nysoc-backup-manifest", "version": 1, "created": stamp,
                "homes": str(homes), "stores": [asdict(r) for r in results]}
    tmp = run_dir / f".{MANIFEST}.tmp"
    tmp.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    tmp.chmod(0o600)
    os.replace(tmp, run_dir / MANIFEST)
    return run_dir, results


def prune(to: Path, keep: int) -> list[Path]:
    """Remove all but the newest ``keep`` complete runs (those with a manifest)."""
    runs = sorted(p for p in to.iterdir() if p.is_dir() and (p / MANIFEST).is_file())
    removed = runs[:-keep] if keep > 0 else []
    for old in removed:
        shutil.rmtree(old)
    return removed


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="backup_stores.py",
        description="Tag backup af alle brugeres nysoc-databaser med SQLites backup-API. / "
                    "Back up every user's nysoc store with SQLite's backup API.")
    parser.add_argument("--homes", type=Path, required=True,
                        help="mappen med brugernes hjemmemapper / the folder of the homes")
    parser.add_argument("--to", type=Path, required=True,
                        help="mappen, backuppen lægges i / the backup folder")
    parser.add_argument("--glob", default=DEFAULT_GLOB,
                        help=f"databaserne under --homes / the stores (default {DEFAULT_GLOB})")
    parser.add_argument("--keep", type=int, default=0,
                        help="behold kun de N nyeste kørsler / keep the newest N runs only")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if not args.homes.is_dir():
        print(f"Mappen {args.homes} findes ikke. / The folder does not exist.", file=sys.stderr)
        return 2
    if not find_stores(args.homes, args.glob):
        print(f"Ingen nysoc-databaser under {args.homes} ({args.glob}). / "
              "No nysoc stores found.", file=sys.stderr)
        return 2
    run_dir, results = run(args.homes, args.to, pattern=args.glob)
    failed = [r for r in results if not r.ok]
    for result in failed:
        print(f"FEJL / FAILED {result.source}: {result.message}", file=sys.stderr)
    removed = prune(args.to, args.keep) if not failed else []
    print(_summary(results, run_dir, removed))
    return 1 if failed else 0


def _summary(results: Iterable[Result], run_dir: Path, removed: list[Path]) -> str:
    results = list(results)
    ok = sum(r.ok for r in results)
    lines = [f"{ok} af {len(results)} databaser er taget backup af og tjekket i {run_dir}. / "
             f"{ok} of {len(results)} stores backed up and checked."]
    if removed:
        lines.append(f"{len(removed)} ældre kørsler er slettet. / "
                     f"{len(removed)} older runs removed.")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
