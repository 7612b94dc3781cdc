"""Group roles and names for a form's choice groups, which ipywidgets cannot give (WCAG 2.1).

ipywidgets 8 associates a ``<label for>`` with one input (text, text area, date, dropdown)
but sets no ``role`` and no ``aria-*`` attribute anywhere. A question answered with several
checkboxes or radio buttons thus reaches a screen reader as loose boxes named only by their
options ("Ja", "Nej"), not as a group named by the question (WCAG 1.3.1, 3.3.2, 4.1.2).

The mechanism, in one place:

* Python marks the elements that are groups with a CSS class (``add_class``, ipywidgets' own
  means): :data:`GROUP` (``role="group"``) or :data:`RADIO_GROUP` (``role="radiogroup"``);
  ``controls.py`` does so for checkbox groups, per-item entries, radio buttons and scales.
* :class:`FormAria`, an invisible widget (an ``anywidget`` with the few lines of JavaScript
  below; one model, with a view in every form: ``Form.aria``), gives each marked element of
  the form the view is shown in that role and an
  ``aria-labelledby`` pointing at the text the user sees as the question: the widget's own
  description label (radio buttons, scales) or else the text just before it (the bold label
  the form puts above a checkbox group, the item heading above a per-item pick). It looks
  again whenever the form's elements change (options and rows come and go as the user
  types). It also sets the form's ``lang`` (``da``): JupyterLab's and Voilà's pages say
  ``lang="en"``, and a screen reader would read the Danish questions with English sounds
  (WCAG 3.1.2, language of parts).

Nothing is read back: the front end only adds attributes; answers never pass through it.
"""

from __future__ import annotations

import anywidget
import ipywidgets as w
import traitlets

from .look import shared

__all__ = ["GROUP", "RADIO_GROUP", "FormAria", "mark_group"]

#: The CSS class of an element that becomes ``role="group"``, named by its question.
GROUP = "nysoc-group"
#: The CSS class of an element holding radio buttons: ``role="radiogroup"``.
RADIO_GROUP = "nysoc-radiogroup"

_ESM = r"""
const prefix = "nysoc-aria-" + Math.random().toString(36).slice(2, 8) + "-";
let next = 0;

// The element that names `group`: its own description label, else the text just before it.
function nameOf(group) {
  const own = [...group.children].find(c => c.classList.contains("widget-label")
      && c.style.display !== "none" && c.textContent.trim());
  if (own) return own;
  const before = group.previousElementSibling;
  if (before && before.classList.contains("widget-html") && before.textContent.trim()) {
    return before;
  }
  return null;
}

function set(el, name, value) {
  if (el.getAttribute(name) !== value) el.setAttribute(name, value);
}

function label(form) {
  for (const group of form.querySelectorAll(".__GROUP__, .__RADIO_GROUP__")) {
    set(group, "role", group.classList.contains("__RADIO_GROUP__") ? "radiogroup" : "group");
    const name = nameOf(group);
    if (name) {
      if (!name.id) name.id = prefix + next++;
      set(group, "aria-labelledby", name.id);
    }
  }
}

export default {
  render({ model, el }) {
    let form = null, frame = 0, tries = 0;
    const observer = new MutationObserver(() => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => label(form));
    });
    const attach = () => {  // the view is put into the page after it is rendered
      form = el.closest(".nysoc-form");
      if (form) {
        form.setAttribute("lang", model.get("lang"));
        label(form);
        observer.observe(form, { childList: true, subtree: true });
      } else if (tries++ < 600) {
        frame = requestAnimationFrame(attach);
      }
    };
    attach();
    return () => { cancelAnimationFrame(frame); observer.disconnect(); };
  },
};
""".replace("__RADIO_GROUP__", RADIO_GROUP).replace("__GROUP__", GROUP)


class FormAria(anywidget.AnyWidget):  # type: ignore[misc]
    """Invisible; gives the marked choice groups of the form it is shown in their role and
    name (see the module docstring). One per form."""

    _esm = _ESM
    lang = traitlets.Unicode(
        "da", help="The language of the form's text: the form's lang attribute.").tag(sync=True)

    def __init__(self, **kwargs: object) -> None:
        kwargs.setdefault("layout", shared("hidden"))
        super().__init__(**kwargs)


def mark_group(widget: w.DOMWidget, radio: bool = False) -> w.DOMWidget:
    """Mark ``widget`` as a group of choices (``radio``: of radio buttons) for
    :class:`FormAria`; returns it."""
    widget.add_class(RADIO_GROUP if radio else GROUP)
    return widget
