"""The canary workspace: a unique marker (``KANARIE-…``) in every free-text answer of every
form of the catalogue, in a record's two versions, a draft record and an autosaved draft
(:func:`write_canaries`). Used by the canary tests (``test_canary.py``) and the document
exports (``test_export_formats.py``).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nysoc_widgets.catalogue import Catalogue
from nysoc_widgets.records import Record, clean_answers, entry_items, problems, source_items
from nysoc_widgets.store import DraftKey
from nysoc_widgets.templates import Template
from nysoc_widgets.workspace import Workspace, init_workspace

PREFIX = "KANARIE-"
PAIRING = "par-kanarie"
FREE_TEXT = ("short_text", "long_text", "list")


@dataclass
class Canaries:
    """The markers written, by template, and the workspace they were written in."""

    ws: Workspace
    catalogue: Catalogue
    markers: dict[str, list[str]] = field(default_factory=dict)

    def all(self, rounds: tuple[int, ...] = (0, 1, 2, 3)) -> list[str]:
        """The markers of the given rounds (0, 1: a record's versions; 2: a draft record;
        3: an autosaved draft)."""
        return [m for found in self.markers.values() for m in found
                if int(m.rsplit("-", 2)[1]) in rounds]

    def leaked(self, text: str) -> list[str]:
        """Markers (or the prefix, or a marker's unique part) found in ``text``."""
        folded = text.casefold()
        found = [m for m in self.all() if m.rsplit("-", 1)[1] in folded]
        if PREFIX.casefold() in folded and not found:
            found.append(PREFIX)
        return found


def marker(template_id: str, *parts: object) -> str:
    return "-".join([PREFIX + template_id, *map(str, parts), uuid.uuid4().hex])


def canary_values(template: Template, round_: int, markers: list[str],
                  own_goal: str | None = None) -> dict[str, Any]:
    """Valid answers to every field: every free text a new marker, every item of a list a
    marker (so pick and per_item keys come from them), valid values elsewhere. A choice from
    the pair's saved records picks ``own_goal`` (an own learning goal's title) or a new
    marker."""
    def text(*where: object) -> str:
        markers.append(marker(template.id, *where, round_))
        return markers[-1]

    values: dict[str, Any] = {}
    for fld in template.fields:
        kind = fld.kind
        if fld.choices_from_saved:
            goals = fld.saved_title is None  # not a date reference (a meeting)
            picked = own_goal if goals and own_goal else text(fld.id, "valgt")
            values[fld.id] = picked if kind == "single_choice" else [
                picked, *(c.id for c in fld.choices[:1])]
        elif kind in ("short_text", "long_text"):
            values[fld.id] = text(fld.id)
        elif kind == "list":
            values[fld.id] = [text(fld.id, i) for i in range(3)]
        elif kind == "date":
            values[fld.id] = f"2026-0{round_ + 2}-1{len(values) % 10}"
        elif kind == "number":
            values[fld.id] = int(fld.min or 0) + 2
        elif kind == "scale":
            values[fld.id] = 3 + round_
        elif kind == "single_choice":
            ids = [c.id for c in fld.choices]
            values[fld.id] = "ja" if "ja" in ids else ids[0]
        elif kind in ("multi_choice", "checklist"):
            values[fld.id] = [c.id for c in fld.choices[:2]]
        elif kind == "pick":
            values[fld.id] = source_items(template, fld, values)[:2]
        elif kind == "per_item":
            entry = fld.entry or "long_text"
            picks = entry_items(template, fld, values)[:2]  # entry = "pick": markers too
            values[fld.id] = {item: list(picks) if entry == "pick" else
                              _entry(entry, fld, text, i) for i, item in
                              enumerate(source_items(template, fld, values))}
    for chain in template.date_order:  # dates the template asks to be in order
        values.update({fid: f"2026-0{round_ + 2}-{10 + i}" for i, fid in enumerate(chain)})
    return values


def _entry(kind: str, fld: Any, text: Callable[..., str], i: int) -> Any:
    if kind in ("short_text", "long_text"):
        return text(fld.id, "entry", i)
    if kind == "list":
        return [text(fld.id, "entry", i, j) for j in range(2)]
    return {"single_choice": fld.choices[0].id if fld.choices else None, "scale": 4,
            "date": "2026-05-05", "number": 2}[kind]


def write_canaries(root: Path) -> Canaries:
    """A workspace where every form of the catalogue has a record (two versions), a draft
    record and an autosaved draft, all full of markers."""
    ws = init_workspace(root, "mentor", pairing=PAIRING, mentor="Mette Holm",
                        mentee="Ali Bakr", department="Jobcenter", start_date="2026-01-05")
    canaries = Canaries(ws, ws.catalogue())
    # The learning goals first: the other forms pick their own goals' titles.
    forms = sorted((t for t in canaries.catalogue if t.kind == "form"),
                   key=lambda t: t.id != "laeringsmaal")
    assert len(forms) >= 12
    goals: dict[int, str] = {}  # round → the title of the pair's first own learning goal

    def answers(template: Template, round_: int, written: list[str]) -> dict[str, Any]:
        values = canary_values(template, round_, written, goals.get(round_))
        if template.id == "laeringsmaal":
            goals[round_] = values["egne"][0]
        return values

    with ws.open_store() as store:
        for template in forms:
            written = canaries.markers.setdefault(template.id, [])
            values = answers(template, 0, written)
            assert not problems(template, values), (template.id, problems(template, values))
            first = store.save_record(Record(PAIRING, template.id, template.version, "mentor",
                                             template.level, clean_answers(template, values)[0],
                                             "final"), template)
            again = clean_answers(template, answers(template, 1, written))[0]
            store.save_record(first.with_values(again), template)
            draft = clean_answers(template, answers(template, 2, written))[0]
            store.save_record(Record(PAIRING, template.id, template.version, "mentee",
                                     template.level, draft, "draft"), template)
            store.save_draft(DraftKey(PAIRING, template.id, "", "mentee"),
                             answers(template, 3, written))
            assert written, f"{template.id} has free text to carry a marker"
    return canaries
