"""The hub's shared folder as the README sets it up (``install -d -o COORDINATOR -g
nysoc-par -m 2730``), used by separate Unix users: the mentor and the mentee each make
their workspace and share with ``nysoc share`` (the second replacing the first's file),
neither can list the folder, the coordinator lists and reads it, a user outside the
programme gets nothing, and nobody but its owner opens a pair's store. Needs root (to act
as other users); each user's steps run in a forked child that has dropped to that user,
so the interpreter need not be readable by them."""

from __future__ import annotations

import contextlib
import io
import json
import multiprocessing
import os
import shutil
import tempfile
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from nysoc_widgets import cli

MENTOR, MENTEE, COORDINATOR, OTHER = 61001, 61002, 61003, 61004
PAIRS = 61010  # the group nysoc-par
PAIRING = "boern-2026-03"

pytestmark = pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0,
                                reason="acting as other Unix users needs root")


@pytest.fixture
def machine() -> Iterator[Path]:
    """A folder for homes and /srv that other users can enter (pytest's own is root's)."""
    root = Path(tempfile.mkdtemp(prefix="nysoc-hub-fs-", dir="/tmp"))
    root.chmod(0o755)
    try:
        yield root
    finally:
        shutil.rmtree(root)


def _child(uid: int, groups: tuple[int, ...], home: Path, action: Callable[[], Any],
           out: Any) -> None:
    os.setgroups(list(groups))
    os.setgid(groups[0])
    os.setuid(uid)
    os.environ["HOME"] = str(home)
    os.chdir(home)
    os.umask(0o077)
    try:
        out.send(("ok", action()))
    except Exception as exc:  # noqa: BLE001 - reported to the test, by type
        out.send(("error", type(exc).__name__))


def as_user(uid: int, groups: tuple[int, ...], home: Path, action: Callable[[], Any]
            ) -> tuple[str, Any]:
    """``action()`` run as ``uid`` (groups ``groups``, HOME ``home``): ("ok", its result)
    or ("error", the exception's type name)."""
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # fork of a threaded process
        child = context.Process(target=_child, args=(uid, groups, home, action, send))
        child.start()
    child.join(120)
    assert child.exitcode == 0, f"the child as uid {uid} failed ({child.exitcode})"
    return receive.recv()  # type: ignore[no-any-return]


def nysoc(*args: str) -> Callable[[], tuple[int, str]]:
    """``nysoc ARGS`` in the child: (exit status, what it wrote to stderr)."""
    def run() -> tuple[int, str]:
        err = io.StringIO()
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            code = cli.main(list(args))
        return code, err.getvalue()
    return run


def test_pairs_share_into_the_folder_only_the_coordinator_can_read(machine: Path) -> None:
    homes, share = machine / "home", machine / "srv" / "opsummeringer"
    users = {"mentor": (MENTOR, (MENTOR, PAIRS)), "mentee": (MENTEE, (MENTEE, PAIRS)),
             "coordinator": (COORDINATOR, (COORDINATOR,)), "other": (OTHER, (OTHER,))}
    for name, (uid, groups) in users.items():
        (homes / name).mkdir(parents=True)
        os.chown(homes / name, uid, groups[0])
        (homes / name).chmod(0o700)
    share.mkdir(parents=True)
    os.chown(share, COORDINATOR, PAIRS)
    share.chmod(0o2730)  # as the README's `install -d -o tova -g nysoc-par -m 2730`

    def run(name: str, *args: str) -> tuple[int, str]:
        uid, groups = users[name]
        status, result = as_user(uid, groups, homes / name, nysoc(*args))
        assert status == "ok", (name, args, result)
        return result  # type: ignore[no-any-return]

    def attempt(name: str, action: Callable[[], Any]) -> tuple[str, Any]:
        uid, groups = users[name]
        return as_user(uid, groups, homes / name, action)

    # Once as root first: every module nysoc needs is loaded before a child drops to a
    # user who may not read the interpreter's own files.
    warm = machine / "varm"
    assert nysoc("init", str(warm / "ws"), "--role", "mentor", "--pairing", "p",
                 "--share-folder", str(warm / "delt"))()[0] == 0
    (warm / "delt").mkdir()
    assert nysoc("share", "--ja", "--workspace", str(warm / "ws"))()[0] == 0

    for name, role in (("mentor", "mentor"), ("mentee", "mentee")):
        code, err = run(name, "init", str(homes / name / "nysoc"), "--role", role,
                        "--pairing", PAIRING, "--share-folder", str(share))
        assert code == 0, err
    code, err = run("coordinator", "init", str(homes / "coordinator" / "nysoc"), "--role",
                    "koordinator", "--share-folder", str(share))
    assert code == 0, err

    # The mentor shares, then the mentee: her file replaces his (same pairing, same name).
    for name in ("mentor", "mentee"):
        code, err = run(name, "share", "--ja", "--workspace", str(homes / name / "nysoc"))
        assert code == 0, err
    summary = share / f"{PAIRING}.nysoc-summary.json"
    assert [p.name for p in share.iterdir()] == [summary.name], "one file per pairing"
    assert summary.stat().st_uid == MENTEE and summary.stat().st_gid == PAIRS

    def listing() -> list[str]:
        return os.listdir(share)

    def reading() -> str:
        return str(json.loads(summary.read_text(encoding="utf-8"))["pairing"]["id"])

    for name in ("mentor", "mentee", "other"):
        assert attempt(name, listing) == ("error", "PermissionError"), name
    assert attempt("other", reading) == ("error", "PermissionError")
    assert attempt("coordinator", listing) == ("ok", [summary.name])
    assert attempt("coordinator", reading) == ("ok", PAIRING)
    # Nobody else opens a pair member's store on disk.
    store = homes / "mentor" / "nysoc" / "nysoc.db"
    for name in ("coordinator", "other", "mentee"):
        assert attempt(name, store.read_bytes) == ("error", "PermissionError"), name
