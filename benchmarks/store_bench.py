"""How long one save takes, against a bare SQLite INSERT + COMMIT of the same JSON.

    python benchmarks/store_bench.py [--sizes 10000 100000] [--saves 1000] [--dir DIR]

For each size the store (and each baseline) is first filled to that many records in one
transaction; then ``--saves`` single saves are timed, in alternating rounds so that noise
from other work on the machine hits every column alike. A save is ``Store.save_record`` of
a new logbook record of ~1 KB Danish text (one transaction: pairing check, template copy,
record row, version row, fsync'd commit). The baselines are ``INSERT`` + ``COMMIT`` of the
same JSON into a two-column table, with the store's pragmas (WAL, ``synchronous=FULL``)
and, for reference, ``synchronous=NORMAL`` (no fsync per commit in WAL mode: a power cut
may lose the last commits, which nysoc does not accept). Also prints what opening the
store costs at that size (the integrity check reads the file; see ``_schema.check_file``).
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

sys.path.insert(0, str(Path(__file__).resolve().parent))

from measure import Figure, growth, percentile  # noqa: E402

from nysoc_widgets import _schema  # noqa: E402
from nysoc_widgets.records import Pairing, Record  # noqa: E402
from nysoc_widgets.store import Store  # noqa: E402
from nysoc_widgets.templates import Template, parse_template  # noqa: E402

WORDS = ("i dag var jeg i tvivl om hvordan jeg skulle gribe børnesamtalen an og om "
         "underretningen var tilstrækkelig min mentor foreslog at jeg læste på "
         "serviceloven igen og talte med min leder før mødet med familien på Ærø jeg "
         "føler mig mere tryg nu men vil gerne øve mig på at skrive kortere og mere "
         "præcise notater næste gang").split()
ROUNDS = 5


def logbook() -> Template:
    return parse_template({
        "schema_version": 1, "id": "logbog", "version": 1, "source": "benchmark",
        "title": {"da": "Logbog"}, "confidentiality": "privat",
        "sections": [{"id": "refleksion", "title": {"da": "Refleksion"}, "fields": [
            {"id": "i_tvivl_om", "kind": "long_text", "label": {"da": "I tvivl om"}},
            {"id": "laert", "kind": "long_text", "label": {"da": "Det har jeg lært"}},
            {"id": "trivsel", "kind": "scale", "label": {"da": "Trivsel"}},
            {"id": "dato", "kind": "date", "label": {"da": "Dato"}},
        ]}],
    })


def answers(rnd: random.Random) -> dict[str, object]:
    """A realistic logbook entry: ~1 KB of Danish text over two questions."""
    def text(n_bytes: int) -> str:
        out = ""
        while len(out.encode()) < n_bytes:
            out += rnd.choice(WORDS) + " "
        return out.strip().capitalize() + "."
    return {"i_tvivl_om": text(600), "laert": text(400), "trivsel": rnd.randint(1, 5),
            "dato": "2026-03-12"}


class Ours:
    name = "nysoc Store.save_record"

    def __init__(self, folder: Path, template: Template) -> None:
        self.template = template
        self.store = Store.open(folder / "nysoc.db", create=True)
        self.store.add_pairing(Pairing("par-1", mentor="Søren", mentee="Åse"))

    def record(self, rnd: random.Random) -> Record:
        return Record("par-1", "logbog", 1, "mentee", "privat", answers(rnd))

    def fill(self, count: int, rnd: random.Random) -> None:
        with self.store.transaction():
            for _ in range(count):
                self.store.save_record(self.record(rnd), self.template)

    def checkpoint(self) -> None:
        conn = sqlite3.connect(self.store.path)  # the store's own connection is idle
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.close()

    def saver(self, rnd: random.Random) -> Callable[[], object]:
        record = self.record(rnd)
        return lambda: self.store.save_record(record, self.template)


class Bare:
    def __init__(self, folder: Path, synchronous: str) -> None:
        self.name = f"bare INSERT+COMMIT, WAL, {synchronous}"
        self.conn = sqlite3.connect(folder / f"bare-{synchronous}.db")
        for pragma in ("journal_mode = WAL", f"synchronous = {synchronous}"):
            self.conn.execute(f"PRAGMA {pragma}")
        self.conn.execute("CREATE TABLE notes (id TEXT PRIMARY KEY, answers TEXT NOT NULL)")

    def fill(self, count: int, rnd: random.Random) -> None:
        self.conn.executemany("INSERT INTO notes VALUES (?, ?)",
                              ((uuid.uuid4().hex, json.dumps(answers(rnd), ensure_ascii=False))
                               for _ in range(count)))
        self.conn.commit()

    def checkpoint(self) -> None:
        self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def saver(self, rnd: random.Random) -> Callable[[], object]:
        values = answers(rnd)

        def save() -> None:
            self.conn.execute("INSERT INTO notes VALUES (?, ?)",
                              (uuid.uuid4().hex, json.dumps(values, ensure_ascii=False)))
            self.conn.commit()
        return save


def run(sizes: list[int], saves: int, folder: Path | None = None,
        opening: dict[int, str] | None = None) -> dict[int, dict[str, list[float]]]:
    """For each size (ascending), the save latencies (seconds) of nysoc and of each bare
    baseline, keyed by their names; ``opening`` gets what opening the store costs."""
    rnd = random.Random(2026)
    results: dict[int, dict[str, list[float]]] = {}
    with tempfile.TemporaryDirectory(dir=folder) as tmp:
        where = Path(tmp)
        subjects = [Ours(where, logbook()), Bare(where, "FULL"), Bare(where, "NORMAL")]
        filled = 0
        for size in sorted(sizes):
            for subject in subjects:  # then start from a checkpointed file, as after a restart
                subject.fill(size - filled, rnd)
                subject.checkpoint()
            filled = size
            timings: dict[str, list[float]] = {s.name: [] for s in subjects}
            for _ in range(ROUNDS):
                for subject in subjects:
                    for _ in range(max(1, saves // ROUNDS)):
                        save = subject.saver(rnd)
                        start = time.perf_counter()
                        save()
                        timings[subject.name].append(time.perf_counter() - start)
            results[size] = timings
            if opening is not None:
                path = where / "nysoc.db"
                start = time.perf_counter()
                _schema.check_file(path, 10.0)
                check = (time.perf_counter() - start) * 1000
                full = ("full quick_check" if path.stat().st_size <= _schema.FULL_CHECK_BYTES
                        else "bounded check")
                opening[size] = (f"opening check ({full}, {path.stat().st_size / 1e6:.0f} MB, "
                                 f"warm cache): {check:.0f} ms")
        subjects[0].store.close()  # type: ignore[attr-defined]
    return results


OURS, BASE = Ours.name, "bare INSERT+COMMIT, WAL, FULL"


def figures(quick: bool = False) -> list[Figure]:
    """p50 and p99 of a save at 10k and 100k records (quick: 1k), against a bare INSERT +
    COMMIT of the same JSON with the store's durability (``synchronous=FULL``)."""
    sizes = [100, 1_000, 10_000] if quick else [1_000, 10_000, 100_000]
    results = run(sizes, 200 if quick else 2000)
    out = []
    for stat, p in (("median", 50), ("p99", 99)):
        grows = growth(sizes, [percentile(results[n][OURS], p) for n in sizes], " records")
        for size in sizes[1:]:
            out.append(Figure(f"save a logbook entry, {'p50' if p == 50 else 'p99'}, "
                              f"{size:,} records in the store", "bare INSERT + COMMIT",
                              results[size][OURS], results[size][BASE], goal=3, stat=stat,
                              growth=grows))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--saves", type=int, default=2000)
    parser.add_argument("--dir", type=Path, default=None,
                        help="where to build the stores (default: a temporary folder)")
    args = parser.parse_args()
    load = Path("/proc/loadavg").read_text().split()[0] if Path("/proc/loadavg").exists() \
        else "?"
    print(f"SQLite {sqlite3.sqlite_version}, Python {sys.version.split()[0]}, load {load}; "
          f"{args.saves} saves per cell, times in ms\n")
    print(f"{'records':>8}  {'':34} {'p50':>7} {'p99':>7} {'mean':>7}  vs FULL p50/p99")
    opening: dict[int, str] = {}
    for size, timings in run(args.sizes, args.saves, args.dir, opening).items():
        base = timings[BASE]
        for name, t in timings.items():
            ratio = (f"{percentile(t, 50) / percentile(base, 50):.2f}x / "
                     f"{percentile(t, 99) / percentile(base, 99):.2f}x")
            print(f"{size:>8}  {name:34} {percentile(t, 50) * 1000:7.3f} "
                  f"{percentile(t, 99) * 1000:7.3f} {statistics.fmean(t) * 1000:7.3f}  {ratio}")
        print(f"{'':8}  {opening[size]}\n")


if __name__ == "__main__":
    main()
