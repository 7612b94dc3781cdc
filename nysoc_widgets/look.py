"""Layouts and styles that many widgets share: one widget each, not one per control.

In ipywidgets a layout and a style are widgets of their own, and a control given none gets
a new one of each: three widgets (three comms, three states to send) per text field. Most
of nysoc's controls look alike and never change their own look, so they share one layout
and one style per look, made the first time a form needs them. A widget that does change
its look (a part shown and hidden with ``layout.display``, a checkbox group that becomes a
grid) keeps a layout of its own.
"""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as w
from ipywidgets.widgets.widget_bool import CheckboxStyle
from ipywidgets.widgets.widget_button import ButtonStyle
from ipywidgets.widgets.widget_string import HTMLStyle

__all__ = ["shared", "label_style", "is_shared", "show"]

_LOOKS: dict[str, Callable[[], w.Widget]] = {
    # A label above its input, full width.
    "stacked": lambda: w.Layout(flex_flow="column", align_items="stretch", width="auto",
                                height="auto"),
    "plain": w.Layout,                      # boxes and buttons that are laid out as they come
    "full": lambda: w.Layout(width="100%"),
    # Many checkboxes: in columns as wide as the page allows.
    "grid": lambda: w.Layout(width="100%", display="grid",
                             grid_template_columns="repeat(auto-fill, minmax(320px, 1fr))"),
    "hidden": lambda: w.Layout(display="none"),
    "flex": lambda: w.Layout(display="flex"),
    # The personal-data panel: framed in dark orange.
    "privacy": lambda: w.Layout(display="flex", border="2px solid #a15c00",
                                padding="0 1em 1em 1em", margin="0 0 1em 0"),
    "wide": lambda: w.Layout(width="28em"),
    "html": HTMLStyle,
    "button": ButtonStyle,
    # A warning button (orange, #f57c00) with black text: ipywidgets' white text on it has a
    # contrast of 2.9:1, black 7.8:1 (WCAG 1.4.3 asks for 4.5:1).
    "warning": lambda: ButtonStyle(text_color="black"),
    "checkbox": CheckboxStyle,
    "checkbox-layout": lambda: w.Layout(width="auto"),
}
_made: dict[str, w.Widget] = {}


def shared(name: str, make: Callable[[], w.Widget] | None = None) -> w.Widget:
    """The one layout or style called ``name`` (one of the looks above, or made by
    ``make``); made again if it was closed (``Widget.close_all``)."""
    widget = _made.get(name)
    if widget is None or widget.comm is None:
        widget = _made[name] = (make or _LOOKS[name])()
    return widget


def label_style(widget_class: type[w.Widget]) -> w.Widget:
    """The style of every ``widget_class`` control whose label is as wide as its text (the
    style class differs per control: text, description, checkbox …)."""
    klass = widget_class.class_traits()["style"].klass
    return shared(f"label-{klass.__name__}", lambda: klass(description_width="initial"))


def is_shared(widget: object) -> bool:
    """True for a shared layout or style: closing one control must leave it open."""
    return any(widget is made for made in _made.values())


def show(widget: w.Widget, shown: bool, look: str = "flex") -> None:
    """Show ``widget`` with the shared layout ``look``, or hide it (the shared hidden one):
    a part that comes and goes needs no layout of its own."""
    widget.layout = shared(look if shown else "hidden")
