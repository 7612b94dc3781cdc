"""What a form's choice fields offer, kept up to date: the items of earlier fields of the same
record (``source``, ``entry_source``) and the pairing's saved records (``choices_from_saved``).

Views only: the rules are pure functions in ``records`` (items of a field) and
``saved_choices`` (options from records); the store is read once per template named, when
the form is built or a new record is started. Kept apart from ``forms.py`` so the form
engine stays about building, reading and saving answers.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape
from typing import TYPE_CHECKING, Any

import ipywidgets as w

from .controls import NO_CHOICE, ChoiceGroup, ItemEntries
from .fields import Field
from .look import shared, show
from .records import Record, entry_items, source_items
from .saved_choices import (
    Option,
    empty_note,
    needed_templates,
    offered,
    readable,
    saved_options,
)

if TYPE_CHECKING:
    from .store import Store
    from .templates import Template

__all__ = ["follow_sources", "depends_on", "SavedChoices"]


def depends_on(fld: Field) -> set[str | None]:
    """The fields whose answers ``fld`` offers: its ``source`` and ``entry_source``."""
    return {*fld.source, *([fld.entry_source] if fld.entry_source else [])}


def follow_sources(template: Template, controls: dict[str, w.Widget], raw: dict[str, Any],
                   field_id: str, renamed: dict[str, str] | None = None,
                   touched: set[str | None] | None = None) -> None:
    """Offer a dependent field the items of its sources in ``raw`` (the answers as the
    widgets hold them), and a pick entry the items of its ``entry_source``; keep entries
    and picks of renamed items. ``touched``: the fields that changed, so a rename follows
    only where it happened (None: all)."""
    fld = template.field(field_id)
    items = source_items(template, fld, raw)
    renamed = renamed or {}
    control = controls[field_id]
    if isinstance(control, ItemEntries):
        own = touched is None or bool(touched & set(fld.source))
        control.set_items(items, renamed if own else {})
        if fld.entry_source:
            own = touched is None or fld.entry_source in touched
            control.set_choices(entry_items(template, fld, raw), renamed if own else {})
    elif isinstance(control, ChoiceGroup):
        control.set_options([(i, i) for i in items], renamed)


class SavedChoices:
    """The options of a form's ``choices_from_saved`` fields, read from the store.

    ``fill`` reads the pairing's records (one query per template named) and offers, per
    field, the saved items or meetings first and the field's own choices after them; when
    nothing is saved it shows a short Danish line under the field. ``keep`` adds an answer
    that is no longer offered (a goal renamed since), so an opened record shows it ticked.
    """

    def __init__(self, template: Template, controls: dict[str, w.Widget]) -> None:
        self.fields = [f for f in template.fields if f.choices_from_saved]
        self.controls = controls
        self.notes: dict[str, w.HTML] = {}
        self.saved: dict[str, list[Option]] = {f.id: [] for f in self.fields}
        # What each control offers now (it is built with the field's own choices), so that
        # an unchanged list is not set again.
        self._shown = {f.id: offered(f, []) for f in self.fields}

    def note(self, fld: Field) -> w.HTML:
        """The (hidden until needed) line under ``fld`` that says nothing is saved yet."""
        self.notes[fld.id] = w.HTML(f'<small class="nysoc-help">{escape(empty_note(fld))}'
                                    "</small>", layout=shared("hidden"), style=shared("html"))
        return self.notes[fld.id]

    def fill(self, store: Store | None, pairing: str, role: str) -> None:
        """Offer what ``pairing`` has saved in ``store`` now; the answers given stay."""
        if not self.fields:
            return
        records: list[Record] = []
        if store is not None and pairing:  # no pairing (a coordinator): nothing of a pair
            for template_id in needed_templates(self.fields):
                records += store.list_records(pairing=pairing, template_id=template_id)
        records = readable(records, role)
        snapshots: dict[tuple[str, int], Template | None] = {}

        def snapshot(template_id: str, version: int) -> Template | None:
            if store is None:
                return None
            if (template_id, version) not in snapshots:
                snapshots[(template_id, version)] = store.template_snapshot(template_id,
                                                                            version)
            return snapshots[(template_id, version)]

        for fld in self.fields:
            self.saved[fld.id] = saved_options(fld, records, snapshot)
            if fld.id in self.notes:
                show(self.notes[fld.id], not self.saved[fld.id], "plain")
            self.keep(fld, self._current(fld))

    def keep(self, fld: Field, value: Any) -> None:
        """Offer ``fld``'s options and the answer(s) in ``value`` too, if not among them."""
        if fld.id not in self.saved:
            return
        wanted = value if isinstance(value, (list, tuple)) else [value]
        options = offered(fld, self.saved[fld.id], keep=wanted)
        if options == self._shown[fld.id]:
            return
        self._shown[fld.id] = options
        control = self.controls[fld.id]
        if isinstance(control, ChoiceGroup):
            control.set_options([(o.label, o.value) for o in options])
            return
        current = control.value
        control.options = [(NO_CHOICE, None), *((o.label, o.value) for o in options)]
        control.value = current if current in {o.value for o in options} else None

    def _current(self, fld: Field) -> Iterable[Any]:
        value = self.controls[fld.id].value
        return list(value) if isinstance(value, (list, tuple)) else [value]
