"""What the forms hand the browser for screen readers and keyboards (``aria.py``, the field-kind
registry, ``FORM_CSS``), checked without a browser; ``test_browser_a11y.py`` checks the result
in Voilà."""

from __future__ import annotations

import ipywidgets as w
import pytest

from nysoc_widgets.aria import GROUP, RADIO_GROUP, FormAria
from nysoc_widgets.catalogue import Catalogue
from nysoc_widgets.controls import ChoiceGroup, ItemEntries, ScaleControl
from nysoc_widgets.form_parts import FORM_CSS
from nysoc_widgets.forms import Form


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return Catalogue.load()


@pytest.mark.parametrize(("template_id", "field_id", "expected"), [
    pytest.param("logbog", "laeringsmaal", GROUP, id="multi_choice-checkboxes-group"),
    pytest.param("samarbejdsaftale", "spilleregler", GROUP, id="checklist-group"),
    pytest.param("sagsanalyse", "sandsynlige", GROUP, id="pick-group"),
    pytest.param("sagsanalyse", "tiltag", GROUP, id="per_item-group"),
    pytest.param("logbog", "tage_op", RADIO_GROUP, id="single_choice-radios-radiogroup"),
])
def test_choice_groups_are_marked_for_a_group_role(catalogue: Catalogue, template_id: str,
                                                   field_id: str, expected: str) -> None:
    """A screen reader gets a named group around checkboxes and radio buttons (the form's
    ``FormAria`` turns the mark into ``role`` and ``aria-labelledby``)."""
    form = Form(catalogue.get(template_id))
    control = form.controls[field_id]
    assert expected in control._dom_classes


@pytest.mark.parametrize(("template_id", "field_id"), [
    pytest.param("logbog", "i_tvivl_om", id="long_text"),
    pytest.param("logbog", "dato", id="date"),
    pytest.param("logbog", "mentormoede", id="dropdown"),
])
def test_labelled_inputs_are_not_groups(catalogue: Catalogue, template_id: str,
                                        field_id: str) -> None:
    """A text, date or dropdown is named by its own ``<label for>``: no group around it."""
    control = Form(catalogue.get(template_id)).controls[field_id]
    assert not {GROUP, RADIO_GROUP} & set(control._dom_classes)
    assert control.description.startswith(catalogue.get(template_id).field(field_id).label.da)


def test_a_scale_is_a_row_of_radio_buttons_in_a_radiogroup(catalogue: Catalogue) -> None:
    """The chosen step of a scale is announced as checked (toggle buttons show it only by
    colour), and the row is named by the question."""
    scale = Form(catalogue.get("evaluering")).controls["udbytte"]
    assert isinstance(scale, ScaleControl)
    assert isinstance(scale.buttons, w.RadioButtons)
    assert scale.buttons.orientation == "horizontal"
    assert RADIO_GROUP in scale.buttons._dom_classes
    assert scale.buttons.description == "Udbytte"
    scale.value = 4
    assert scale.buttons.value == 4
    scale.buttons.value = 2  # chosen as a user would
    assert scale.value == 2


def test_every_form_shows_one_form_aria(catalogue: Catalogue) -> None:
    """The invisible widget that names the groups is in every form, once, and says Danish."""
    form = Form(catalogue.get("logbog"))
    found = [c for c in form.children if isinstance(c, FormAria)]
    assert len(found) == 1
    assert found[0].layout.display == "none"
    assert found[0].lang == "da"
    other = Form(catalogue.get("sagsanalyse"))
    assert other.aria is form.aria, "one model, a view in each form: forms build faster"


def test_groups_keep_their_mark_when_options_and_rows_change(catalogue: Catalogue) -> None:
    """Options and rows come and go as the user types; the marks stay on the groups."""
    form = Form(catalogue.get("sagsanalyse"))
    form.controls["fakta"].value = "bor alene\nto børn"
    form.controls["handleretninger"].value = "støt netværket"
    per_item = form.controls["tiltag_fakta"]
    assert isinstance(per_item, ItemEntries) and GROUP in per_item._dom_classes
    [(_item, picks)] = per_item._rows
    assert isinstance(picks, ChoiceGroup) and GROUP in picks._dom_classes


def test_the_form_css_draws_a_focus_ring() -> None:
    """Focus is visible (WCAG 2.4.7) on everything that takes it, a date's calendar button
    included, and not overridden by ipywidgets' own ``outline: none``."""
    assert ":focus-visible" in FORM_CSS
    assert "input[type=date]:focus-within" in FORM_CSS
    assert "outline:2px solid #1a5fb4!important" in FORM_CSS
