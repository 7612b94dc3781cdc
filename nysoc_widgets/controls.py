"""Widgets for field kinds: an explicit registry of small adapters (ipywidgets).

Each adapter builds the widget for one field and converts between the widget's value and
the stored answer. Composite controls (checkbox groups, per-item entries) are widgets with
a ``value`` trait of their own, so the form observes every control the same way.

Accessibility (WCAG 2.1 AA): a text, date or dropdown control is named by its ``<label for>``
(ipywidgets' ``description``). Groups of checkboxes or radio buttons cannot be named that
way; they are marked with :func:`aria.mark_group`, and the form's :class:`aria.FormAria`
gives them a group role named by the question. A scale is a row of radio buttons, so its
chosen step is announced as checked (toggle buttons show it only by colour).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace
from html import escape
from typing import Any

import ipywidgets as w
import traitlets

from .aria import mark_group
from .fields import Choice, Field
from .look import is_shared, label_style, shared

__all__ = ["Adapter", "ADAPTERS", "adapter", "set_disabled", "ChoiceGroup", "ScaleControl",
           "ItemEntries", "NO_CHOICE"]

#: The first entry of a dropdown: nothing chosen.
NO_CHOICE = "– vælg –"


def label_text(fld: Field) -> str:
    """The label a user reads, with a star for required fields."""
    return f"{fld.label.da} *" if fld.required else fld.label.da


def described(fld: Field, widget_class: type[w.Widget]) -> dict[str, Any]:
    """Keyword arguments for a labelled ``widget_class`` input: label above it, full width
    (a layout and a style every such control shares), no stray tooltip (ipywidgets otherwise
    shows the title "null" on hover)."""
    return {"description": label_text(fld), "style": label_style(widget_class),
            "layout": shared("stacked"), "tooltip": ""}


class ChoiceGroup(w.VBox):
    """Checkboxes for a multi-choice, checklist or pick field; ``value`` lists the ticked keys.

    ``single`` lets at most one be ticked (a pick with ``multiple = false``).
    """

    value = traitlets.List(traitlets.Unicode(), help="Keys of the ticked options, in option order.")

    def __init__(self, options: list[tuple[str, str]], single: bool = False,
                 helps: dict[str, str] | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("layout", shared("full"))
        super().__init__(**kwargs)
        mark_group(self)
        self.single = single
        self.disabled = False
        self._helps = helps or {}
        self._boxes: dict[str, w.Checkbox] = {}
        self._box_layout = shared("checkbox-layout")
        self._box_style = shared("checkbox")
        self.set_options(options)

    def set_options(self, options: list[tuple[str, str]],
                    renamed: dict[str, str] | None = None) -> None:
        """Offer ``options`` (label, key); ticks on keys that remain are kept. A key renamed
        (old → new in ``renamed``) keeps its box and its tick: typing into an item changes
        the label of one checkbox, instead of making a new one per key stroke. Boxes no
        longer offered are closed, so a long edit leaves no widgets behind."""
        renamed = renamed or {}
        keys = {key for _, key in options}
        keep = [k for k in (renamed.get(v, v) for v in self.value) if k in keys]
        spare = {renamed[k]: box for k, box in self._boxes.items()
                 if k in renamed and renamed[k] not in self._boxes}
        boxes: dict[str, w.Checkbox] = {}
        for label, key in options:
            helptext = self._helps.get(key, "")
            look = {"description": f"{label} – {helptext}" if helptext else label,
                    "disabled": self.disabled, "value": key in keep}
            box = self._boxes.get(key) or spare.get(key)
            if box is None:  # made as it is shown: no second message to set it
                box = w.Checkbox(indent=False, layout=self._box_layout, style=self._box_style,
                                 **look)
            else:
                box.unobserve_all("value")
                box.set_trait("description", look["description"])
                box.disabled, box.value = look["disabled"], look["value"]
            box.observe(self._ticked(key), "value")
            boxes[key] = box
        gone = [box for box in self._boxes.values() if box not in boxes.values()]
        self._boxes = boxes
        # A long list reads better in columns than as one tall column.
        self.layout = shared("grid" if len(options) > 8 else "full")
        self.children = [boxes[key] for _, key in options]
        self.value = keep
        for box in gone:
            box.close()

    def close(self) -> None:
        """Close the group with its boxes (widgets of their own, shown or not)."""
        for box in self._boxes.values():
            box.close()
        super().close()

    def set_disabled(self, flag: bool) -> None:
        """Let no box be ticked or unticked (``flag``), now and after new options."""
        self.disabled = flag
        for box in self._boxes.values():
            box.disabled = flag

    def _ticked(self, key: str) -> Callable[[dict[str, Any]], None]:
        def handler(change: dict[str, Any]) -> None:
            if self.single and change["new"]:
                for other, box in self._boxes.items():
                    if other != key and box.value:
                        box.value = False
            self.value = [k for k, box in self._boxes.items() if box.value]
        return handler

    @traitlets.observe("value")
    def _value_set(self, change: dict[str, Any]) -> None:
        wanted = set(change["new"])
        for key, box in self._boxes.items():
            if box.value != (key in wanted):
                box.value = key in wanted


class ScaleControl(w.HBox):
    """A 1–5 scale as a row of radio buttons beside its two end texts; ``value`` is 1–5 or
    None. Radio buttons, not toggle buttons: a screen reader announces the chosen step as
    checked, and Space chooses the focused one."""

    value = traitlets.Int(None, allow_none=True, help="The chosen step, or None.")

    def __init__(self, fld: Field, **kwargs: Any) -> None:
        self.buttons = mark_group(w.RadioButtons(
            options=[(str(i), i) for i in range(1, 6)], value=None, orientation="horizontal",
            **described(fld, w.RadioButtons)), radio=True)
        ends = ([f"<small>1 = {escape(fld.low.da)}</small>"] if fld.low else []) + (
            [f"<small>5 = {escape(fld.high.da)}</small>"] if fld.high else [])
        kwargs.setdefault("layout", shared("plain"))
        super().__init__([self.buttons, w.HTML("<br>".join(ends), layout=shared("plain"),
                                               style=shared("html"))], **kwargs)
        self.buttons.observe(lambda ch: setattr(self, "value", ch["new"]), "value")

    def set_disabled(self, flag: bool) -> None:
        """Let no step be chosen (``flag``)."""
        self.buttons.disabled = flag

    @traitlets.observe("value")
    def _value_set(self, change: dict[str, Any]) -> None:
        if self.buttons.value != change["new"]:
            self.buttons.value = change["new"]


class ItemEntries(w.VBox):
    """One entry per item of earlier lists (``per_item``); ``value`` maps item → entry."""

    value = traitlets.Dict(help="Entry per item, keyed by the item's text.")

    def __init__(self, fld: Field, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        mark_group(self)
        self.entry_field = replace(fld, kind=fld.entry or "long_text", required=False,
                                   label=fld.label)
        self.entry = ADAPTERS[self.entry_field.kind]
        self._rows: list[tuple[str, w.Widget]] = []
        #: Picks (``entry = "pick"``): the texts offered, and a heading and box per row.
        self.picks = self.entry_field.kind == "pick"
        self._choices: list[str] = []
        self._boxes: list[tuple[w.HTML, w.VBox]] = []
        self.disabled = False
        self.empty_note = w.HTML("<em>Punkterne kommer fra listen ovenfor.</em>",
                                 layout=shared("plain"), style=shared("html"))
        self.children = [self.empty_note]

    def set_items(self, items: list[str], renamed: dict[str, str] | None = None) -> None:
        """Show a row per item; entries follow renamed items, vanished items drop out."""
        renamed = renamed or {}
        old = dict(self.value)
        entries = {new: old[before] for before, new in renamed.items() if before in old}
        entries.update({k: v for k, v in old.items() if k in items and k not in entries})
        while len(self._rows) < len(items):
            control = self.entry.build(self.entry_field)
            if isinstance(control, ChoiceGroup):
                control.set_options([(c, c) for c in self._choices])
            set_disabled(control, self.disabled)
            control.observe(self._edited, "value")
            self._rows.append(("", control))
            if self.picks:
                self._boxes.append((w.HTML(), w.VBox([], layout={"margin": "0 0 0.5em 0"})))
        dropped = [c for _, c in self._rows[len(items):]]
        dropped += [part for pair in self._boxes[len(items):] for part in pair]
        self._rows = self._rows[: len(items)]
        self._boxes = self._boxes[: len(items)]
        for i, item in enumerate(items):
            control = self._rows[i][1]
            self._rows[i] = (item, control)
            if not self.picks:  # a pick entry shows its item as a heading instead
                control.description = item
            self.entry.write(control, entries.get(item, self.entry.empty()))
        self.children = self._row_widgets() or [self.empty_note]
        self.value = {k: v for k, v in entries.items() if k in items}
        for widget in dropped:  # a row of a deleted item: its widgets go too
            close_tree(widget)

    def set_choices(self, choices: list[str], renamed: dict[str, str] | None = None) -> None:
        """Offer every row of a pick entry ``choices``; picks follow renamed texts, picks of
        vanished texts drop out."""
        renamed = renamed or {}
        self._choices = list(choices)
        for _item, control in self._rows:
            if isinstance(control, ChoiceGroup):
                control.set_options([(c, c) for c in choices], renamed)

    def _row_widgets(self) -> list[w.Widget]:
        """The rows as shown: a pick entry gets its item as a heading above its boxes."""
        if not self.picks:
            return [c for _, c in self._rows]
        out: list[w.Widget] = []
        for (item, control), (heading, box) in zip(self._rows, self._boxes, strict=True):
            heading.value = f"<em>{escape(item)}</em>"
            box.children = [heading, control]
            out.append(box)
        return out

    def set_disabled(self, flag: bool) -> None:
        """Let no entry be changed (``flag``), now and in rows for items added later."""
        self.disabled = flag
        for _item, control in self._rows:
            set_disabled(control, flag)

    def _edited(self, _change: dict[str, Any]) -> None:
        self.value = {item: self.entry.read(control) for item, control in self._rows}

    @traitlets.observe("value")
    def _value_set(self, change: dict[str, Any]) -> None:
        for item, control in self._rows:
            want = change["new"].get(item, self.entry.empty())
            if self.entry.read(control) != want:
                self.entry.write(control, want)


def close_tree(widget: w.Widget) -> None:
    """Close ``widget`` with its children, layouts and styles: every comm a dropped row
    opened, so that editing a list for an hour leaves nothing open in kernel or browser."""
    for child in getattr(widget, "children", ()):
        close_tree(child)
    for part in (getattr(widget, "layout", None), getattr(widget, "style", None)):
        if isinstance(part, w.Widget) and not is_shared(part):
            part.close()
    widget.close()


def set_disabled(control: w.Widget, flag: bool = True) -> None:
    """Disable (or enable) ``control``: a composite control's inner widgets, or the widget."""
    if isinstance(control, (ChoiceGroup, ScaleControl, ItemEntries)):
        control.set_disabled(flag)
    else:
        control.disabled = flag


@dataclass(frozen=True)
class Adapter:
    """How one field kind appears as a widget: build it, read it, write it."""

    build: Callable[[Field], w.Widget]
    read: Callable[[w.Widget], Any] = lambda widget: widget.value
    write: Callable[[w.Widget, Any], None] = lambda widget, value: setattr(widget, "value",
                                                                            value)
    empty: Callable[[], Any] = lambda: None


def _text(fld: Field, rows: int | None = None) -> w.Widget:
    cls = w.Textarea if rows else w.Text
    extra = {"rows": rows} if rows else {}
    return cls(placeholder="", continuous_update=True, **described(fld, cls), **extra)


def _options(choices: tuple[Choice, ...]) -> list[tuple[str, str]]:
    return [(c.label.da, c.id) for c in choices]


def _single(fld: Field) -> w.Widget:
    # Choices from saved records change with the store (and may be many): a dropdown, which
    # can also be set back to none.
    cls = w.Dropdown if len(fld.choices) > 6 or fld.choices_from_saved else w.RadioButtons
    options = _options(fld.choices)
    if cls is w.Dropdown:  # named by its <label for>
        options = [(NO_CHOICE, None), *options]  # type: ignore[list-item]
        return w.Dropdown(options=options, value=None, **described(fld, w.Dropdown))
    return mark_group(w.RadioButtons(options=options, value=None,
                                     **described(fld, w.RadioButtons)),
                      radio=True)


def _read_date(widget: w.Widget) -> str | None:
    value = widget.value
    return value.isoformat() if isinstance(value, dt.date) else None


def _write_date(widget: w.Widget, value: Any) -> None:
    try:
        widget.value = dt.date.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        widget.value = None


def _write_number(widget: w.Widget, value: Any) -> None:
    if value is None:
        widget.value = ""
    elif isinstance(value, float) and value.is_integer():
        widget.value = str(int(value))
    else:
        widget.value = str(value).replace(".", ",")


def _read_lines(widget: w.Widget) -> list[str]:
    return [line.strip() for line in widget.value.splitlines() if line.strip()]


def _write_lines(widget: w.Widget, value: Any) -> None:
    lines = [str(v) for v in (value or [])]
    if _read_lines(widget) != lines:
        widget.value = "\n".join(lines)


def _group(fld: Field) -> ChoiceGroup:
    helps = {c.id: c.help.da for c in fld.choices if c.help}
    return ChoiceGroup(_options(fld.choices), helps=helps)


ADAPTERS: dict[str, Adapter] = {
    "short_text": Adapter(_text, empty=str),
    "long_text": Adapter(lambda f: _text(f, rows=4), empty=str),
    "date": Adapter(lambda f: w.DatePicker(**described(f, w.DatePicker)), _read_date,
                    _write_date),
    "number": Adapter(lambda f: _text(f), lambda widget: widget.value.strip() or None,
                      _write_number),
    "single_choice": Adapter(_single),
    "multi_choice": Adapter(_group, lambda g: list(g.value), empty=list),
    "checklist": Adapter(_group, lambda g: list(g.value), empty=list),
    "scale": Adapter(lambda f: ScaleControl(f)),
    "list": Adapter(lambda f: _text(f, rows=4), _read_lines, _write_lines, empty=list),
    "pick": Adapter(lambda f: ChoiceGroup([], single=not f.multiple),
                    lambda g: list(g.value), empty=list),
    "per_item": Adapter(lambda f: ItemEntries(f, layout=shared("full")), lambda c: dict(c.value),
                        empty=dict),
}


def adapter(kind: str) -> Adapter:
    """The adapter for ``kind``; an unknown kind raises ``KeyError`` listing the known ones."""
    try:
        return ADAPTERS[kind]
    except KeyError:
        raise KeyError(f"unknown field kind {kind!r}; known: {', '.join(ADAPTERS)}") from None
