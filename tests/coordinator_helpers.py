"""Folders of shared summaries for the coordinator's tests.

Two sources, as a coordinator's folder holds them:

* summaries built from real stores by today's ``boundary.shareable_summary`` (format
  version 1): the demo's five pairings (``create_demo``), written as a pair would share
  them, ``<pairing>.nysoc-summary.json``;
* hand-written version 2 summaries from the format contract of issue 5
  (``tests/data/summaries/valid``), and broken files, each with the reason expected beside
  it (``tests/data/summaries/invalid/<name>.expected.txt``).
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path
from typing import Any

from nysoc_widgets.boundary import shareable_summary
from nysoc_widgets.demo import create_demo

#: The demo's dates count back from here (as in test_notebooks); the fixtures fit it too.
TODAY = dt.date(2026, 11, 23)
DATA = Path(__file__).parent / "data" / "summaries"
VALID = DATA / "valid"
INVALID = DATA / "invalid"
#: The hand-written version 2 pairings (and the version 1 one) in ``VALID``.
FIXTURE_PAIRINGS = ("par-aeldre-09", "par-boern-04", "par-jobcenter-17", "par-voksen-02")


def file_name(pairing: str) -> str:
    return f"{pairing}.nysoc-summary.json"


def write_summary(folder: Path, summary: dict[str, Any], name: str | None = None) -> Path:
    """``summary`` as a pair shares it: ``<pairing>.nysoc-summary.json`` in ``folder``."""
    path = folder / (name or file_name(summary["pairing"]["id"]))
    path.write_text(json.dumps(summary, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def demo_summaries(root: Path, today: dt.date = TODAY) -> list[dict[str, Any]]:
    """The demo workspace's five pairings, each as ``shareable_summary`` builds it."""
    result = create_demo(root, today=today)
    ws = result.workspace
    with ws.open_store() as store:
        return [shareable_summary(store, item.pairing.id, ws.catalogue(), today=today)
                for item in result.pairings]


def share_folder(root: Path, *, demo: bool = True, fixtures: bool = True,
                 broken: tuple[str, ...] = ()) -> Path:
    """A folder as a coordinator reads it: the demo's summaries (version 1, real stores),
    the hand-written ones (version 2) and the broken files named in ``broken``."""
    folder = root / "opsummeringer"
    folder.mkdir(parents=True)
    if demo:
        for summary in demo_summaries(root / "demo"):
            write_summary(folder, summary)
    if fixtures:
        for path in VALID.glob("*.json"):
            shutil.copyfile(path, folder / path.name)
    for name in broken:
        shutil.copyfile(INVALID / name, folder / name)
    return folder


def fixture(pairing: str) -> dict[str, Any]:
    """A hand-written summary from ``VALID``, as a dict."""
    data: dict[str, Any] = json.loads((VALID / file_name(pairing)).read_text(encoding="utf-8"))
    return data
