#!/usr/bin/env python3
"""How many users one machine serves: a bounded load test of nysoc on a trial JupyterHub.

    .venv/bin/python deploy/measure_hub.py                     # 1, 2, 4, 8, 16 users
    .venv/bin/python deploy/measure_hub.py --users 1,2,4 --saves 10

Starts the same trial hub as ``tests/test_hub.py`` (``deploy/jupyterhub_config.py`` with
SimpleLocalProcessSpawner and a shared password; 127.0.0.1 only, nothing leaves the
machine; configurable-http-proxy from ``make hub-proxy``) in a temporary folder, and for
each number of users N:

* starts the servers not yet running (each user's first start: ``nysoc init``), timed;
* opens a kernel per user through the hub's proxy and makes the meeting form
  (``nysoc.form("mentormoede")``), timed: a server start to a usable form;
* lets the N users save the form at once, each ``--saves`` times (a new version each time,
  ``--think`` seconds apart; 0 = back to back, far more than people typing), each save
  timed from the request leaving the client to its reply - the same path a click on
  **Gem** takes (browser → proxy → server → kernel → store on disk → back);
* prints p50 / p95 / max per N, and stops after the first N whose p95 is over 1 s, or when
  the memory left would not hold another doubling of users.

Numbers depend on the machine; the README quotes one run (2 cores, 24 GB, local SSD).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

from hub_helpers import (  # noqa: E402
    KernelClient,
    TrialHub,
    free_api_port,
    missing_requirements,
    running_hub,
)

SETUP = """
import datetime, nysoc_widgets as nysoc
form = nysoc.form("mentormoede")
form.controls["dato"].value = datetime.date(2026, 11, 23)
"""
SAVE = """
form.controls["tema"].value = "Tema {n}"
assert form.save() is not None, form
"""


def mem_available_mb() -> float:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemAvailable:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def tree_rss_mb(root: int) -> float:
    """Resident memory of process ``root`` and all its descendants (the hub, its proxy, the
    users' servers and their kernels), from ``/proc``."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    page = 4096
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            statm = (entry / "statm").read_text().split()
        except OSError:
            continue
        parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
        rss[int(entry.name)] = int(statm[1]) * page
    tree, frontier = {root}, [root]
    while frontier:
        pid = frontier.pop()
        children = [child for child, parent in parents.items() if parent == pid]
        tree.update(children)
        frontier += children
    return sum(rss.get(pid, 0) for pid in tree) / 2**20


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def free_port() -> int:
    return free_api_port()


def one_user(kernel: KernelClient, saves: int, think: float, out: list[float],
             errors: list[str], start: threading.Barrier) -> None:
    start.wait()
    for n in range(saves):
        began = time.perf_counter()
        try:
            kernel.execute(SAVE.format(n=n), timeout=120)
        except Exception as exc:  # noqa: BLE001 - reported, the run goes on
            errors.append(f"{kernel.user}: {exc}")
            return
        out.append(time.perf_counter() - began)
        if think:
            time.sleep(think)


def level(hub: TrialHub, users: list[str], started: set[str], saves: int, think: float
          ) -> dict[str, float]:
    starts = []
    for user in users:
        if user not in started:
            starts.append(hub.start_server(user))
            started.add(user)
    kernels, usable = [], []
    try:
        for user in users:
            began = time.perf_counter()
            kernel = KernelClient(hub, user)
            kernel.execute(SETUP)
            usable.append(time.perf_counter() - began)
            kernels.append(kernel)
        memory_left = mem_available_mb()
        memory_used = tree_rss_mb(hub.process.pid)
        latencies: list[float] = []
        errors: list[str] = []
        barrier = threading.Barrier(len(kernels))
        threads = [threading.Thread(target=one_user,
                                    args=(k, saves, think, latencies, errors, barrier))
                   for k in kernels]
        began = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        wall = time.perf_counter() - began
    finally:
        for kernel in kernels:
            kernel.close()
    if errors:
        raise RuntimeError("saves failed:\n" + "\n".join(errors))
    return {"users": len(users), "server_start": statistics.median(starts) if starts else 0,
            "form_usable": statistics.median(usable), "saves": len(latencies),
            "p50": percentile(latencies, 0.5), "p95": percentile(latencies, 0.95),
            "max": max(latencies), "per_second": len(latencies) / wall,
            "memory_left_mb": memory_left, "memory_used_mb": memory_used}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", default="1,2,4,8,16",
                        help="numbers of users at once, ascending (default 1,2,4,8,16)")
    parser.add_argument("--saves", type=int, default=20, help="saves per user (default 20)")
    parser.add_argument("--think", type=float, default=0.0,
                        help="seconds between a user's saves (default 0: back to back)")
    parser.add_argument("--limit", type=float, default=1.0,
                        help="stop after the first level whose p95 is above this (s)")
    args = parser.parse_args(argv)
    missing = missing_requirements()
    if missing:
        print("Mangler / missing: " + "; ".join(missing), file=sys.stderr)
        return 2
    levels = [int(n) for n in args.users.split(",")]
    members = {f"bruger{i:02d}": {"role": "mentor", "pairing": f"last-{i:02d}"}
               for i in range(1, max(levels) + 1)}
    before = mem_available_mb()
    print(f"memory available before: {before:,.0f} MB")
    with tempfile.TemporaryDirectory(prefix="nysoc-hub-measure-") as tmp, \
            running_hub(Path(tmp), members, port=free_port(), api_port=free_port()) as hub:
        print(f"hub start (→ /hub/health answers): {hub.started_in:.2f} s")
        print(f"{'users':>5} {'server start':>12} {'form usable':>11} {'saves':>5} "
              f"{'p50':>7} {'p95':>7} {'max':>7} {'saves/s':>7} {'MB used':>8} {'MB left':>8}")
        started: set[str] = set()
        for count in levels:
            row = level(hub, list(members)[:count], started, args.saves, args.think)
            print(f"{row['users']:>5} {row['server_start']:>10.2f} s {row['form_usable']:>9.2f} s"
                  f" {row['saves']:>5} {row['p50']:>6.3f}s {row['p95']:>6.3f}s"
                  f" {row['max']:>6.3f}s {row['per_second']:>7.1f}"
                  f" {row['memory_used_mb']:>8,.0f} {row['memory_left_mb']:>8,.0f}",
                  flush=True)
            per_user = row["memory_used_mb"] / count
            if row["p95"] > args.limit:
                print(f"stopped: p95 {row['p95']:.2f} s > {args.limit:.2f} s at {count} users")
                break
            if row["memory_left_mb"] < per_user * count * 1.2:
                print(f"stopped: ~{per_user:.0f} MB per user; the next level would not fit")
                break
    return 0


if __name__ == "__main__":
    sys.exit(main())
