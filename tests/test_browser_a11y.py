"""The forms meet WCAG 2.1 AA in real Voilà and headless Chromium (issue 7, "accessible forms").

Danish public-sector software must meet WCAG 2.1 AA. What a user of a screen reader or of
the keyboard alone relies on, checked where they meet it - a Voilà app on a demo workspace:

* **axe-core** (``make axe`` installs it from the npm registry into ``.cache/npm``) finds no
  *serious* or *critical* WCAG 2.1 A/AA violation in any form of any role's notebooks, nor
  in the states a form passes through (a refused save with its errors, an unsaved draft
  offered back, personal data found). Only the form is checked (``axe.run(form)``):
  Voilà's and JupyterLab's own page is not ours.
* **Names**: every input, text area, select and checkbox has an accessible name, and a
  question's controls are announced with that question's Danish label from the template -
  a text field through its ``<label for>``, a checkbox or radio button through the named
  group around it (``nysoc_widgets/aria.py``).
* **Keyboard only**: from the first question, Tab visits every question in the template's
  order with a visible focus ring, the answers are typed and ticked (Space), Shift+Tab goes
  back, and Enter or Space on "Gem" saves the record into the store.

Without axe-core the tests skip, except under ``CI=true``, where they fail. Screenshots go
to ``test-artifacts/a11y-*.png``; ``pytest -s`` prints the axe version and timings.
"""

from __future__ import annotations

import datetime as dt
import random
import string
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from a11y_helpers import (
    Focus,
    Violation,
    VoilaPages,
    axe_version,
    blocking,
    controls_of,
    find_axe,
    fit_viewport,
    focused,
    form_cells,
    form_locator,
    run_axe,
)
from browser_helpers import (
    DEMO_ROLES,
    Server,
    danish_page,
    danish_sentence,
    free_tcp_port,
    role_demo_workspace,
    running_server,
    server_base_env,
    shot,
    shutdown_voila_kernel,
    voila_tree_argv,
    wait_for_voila_render,
    wait_until_ready,
)

from nysoc_widgets import clock
from nysoc_widgets.lab import lab_command
from nysoc_widgets.store import DraftKey
from nysoc_widgets.templates import Template
from nysoc_widgets.workspace import ROLE_NOTEBOOKS, Workspace, notebooks_dir

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Locator, Page

pytestmark = [pytest.mark.browser, pytest.mark.slow]

#: The demo counts back from today, as the kernels in Voilà do.
TODAY = clock.today()
#: Tab presses allowed to reach a form from the top of the page, and to cross one.
TAB_LIMIT = 200


def form_cases() -> list[Any]:
    """(role, notebook, template id) for every ``nysoc.form("…")`` cell of every notebook
    each role gets, with ids like ``mentee-Opstartsmoede-laeringsmaal``."""
    return [pytest.param((role, name, template_id),
                         id=f"{role}-{Path(name).stem}-{template_id}")
            for role in DEMO_ROLES for name in ROLE_NOTEBOOKS[role]
            for template_id in form_cells(notebooks_dir() / name)]


# -- fixtures -------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def axe_js() -> Path:
    """axe-core's ``axe.min.js`` (skips without it; fails under CI=true)."""
    path = find_axe()
    print(f"\naxe-core {axe_version()} ({path})")
    return path


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A page of its own for one test, Danish, 1280×1000."""
    with danish_page(browser) as page:
        yield page


@pytest.fixture
def mentee_app(tmp_path: Path) -> Iterator[Server]:
    """Voilà (tree mode) on a fresh mentee demo workspace of this test's own."""
    ws = role_demo_workspace(tmp_path / "arbejdsomraade", "mentee", TODAY)
    port = free_tcp_port()
    env = lab_command(ws.root, port=port, token="", base_env=server_base_env(tmp_path)).env
    with running_server("Voila (mentee)", voila_tree_argv(sys.executable, ws.root, port),
                        env=env, cwd=ws.root, port=port, token="", workspace=ws,
                        log=tmp_path / "voila.log") as server:
        wait_until_ready(server, timeout=30, status_path=None)
        yield server


@pytest.fixture(scope="module")
def shared_page(browser: Browser) -> Iterator[Page]:
    """One page for every form of every notebook (the parametrized tests below)."""
    with danish_page(browser) as page:
        yield page


@pytest.fixture(scope="module")
def voila_pages(tmp_path_factory: pytest.TempPathFactory,
                shared_page: Page) -> Iterator[VoilaPages]:
    pages = VoilaPages(tmp_path_factory, TODAY, shared_page)
    try:
        yield pages
    finally:
        pages.close()


def open_notebook(page: Page, server: Server, notebook: str) -> None:
    page.goto(server.url(f"/voila/render/{notebook}"))
    wait_for_voila_render(page)


def report(violations: list[Violation]) -> str:
    return "\n".join(str(v) for v in violations)


# -- keyboard only ----------------------------------------------------------------------------

#: What a test does at a question (keyboard only), or waits for there.
Action = Callable[["Page", "Locator"], None]


def is_save_button(focus: Focus) -> bool:
    return focus.tag == "button" and focus.text == "Gem"


def tab_into(page: Page, form_class: str) -> Focus:
    """Press Tab from the top of the page until focus is inside the form."""
    for _ in range(TAB_LIMIT):
        page.keyboard.press("Tab")
        focus = focused(page)
        if focus.in_form and form_class in focus.form.split():
            return focus
    pytest.fail(f"{TAB_LIMIT} presses of Tab never reached the form .{form_class}")


def walk_to_save(page: Page, form: Locator, form_class: str,
                 actions: dict[int, Action]) -> list[Focus]:
    """Tab through the form from where focus is to its "Gem" button; at the first stop in
    question ``i``, ``actions[i]`` types or ticks (keyboard only). Every stop must stay in
    the form and show a focus ring. Returns the stops, "Gem" last."""
    stops: list[Focus] = []
    done: set[int] = set()
    for _ in range(TAB_LIMIT):
        focus = focused(page)
        assert focus.in_form and form_class in focus.form.split(), (
            f"Tab left the form after {[s.describe() for s in stops[-3:]]}: "
            f"{focus.describe()}")
        assert focus.ring_visible, (
            f"no visible focus on {focus.describe()}: outline {focus.outline} "
            f"{focus.outline_width}px, box-shadow {focus.box_shadow}")
        stops.append(focus)
        if is_save_button(focus):
            return stops
        if focus.field in actions and focus.field not in done:
            done.add(focus.field)
            actions[focus.field](page, form)
        page.keyboard.press("Tab")
    pytest.fail(f"{TAB_LIMIT} presses of Tab never reached «Gem»")


def assert_template_order(stops: list[Focus], template: Template) -> None:
    """The questions were visited in the template's order, each of them, and every labelled
    stop is the control of the question the template has at that place."""
    order = [s.field for s in stops if s.field >= 0]
    labels = [f.label.da for f in template.fields]
    assert order == sorted(order), (
        "focus order differs from the template's: "
        + " → ".join(labels[i] if i < len(labels) else str(i) for i in order))
    missing = [labels[i] for i in range(len(labels)) if i not in set(order)]
    assert not missing, f"Tab never reached: {missing}"
    for stop in stops:  # inside a group named by the question, a control names its option
        if stop.field >= 0 and stop.label and not stop.groups:
            assert labels[stop.field] in stop.label, (stop.label, labels[stop.field])
    between = [s.describe() for s in stops[:-1] if s.field < 0]
    assert not between, f"stops between the questions that are no question: {between}"


def shift_tab_back_and_forth(page: Page, stops: list[Focus]) -> None:
    """From "Gem", Shift+Tab returns to the last question's last control; Tab comes back."""
    last = stops[-2]
    page.keyboard.press("Shift+Tab")
    back = focused(page)
    assert back.key == last.key, f"Shift+Tab went to {back.describe()}, not {last.describe()}"
    assert back.ring_visible, back
    page.keyboard.press("Tab")
    assert is_save_button(focused(page)), focused(page).describe()


def press_save(page: Page, form: Locator, key: str) -> None:
    from playwright.sync_api import expect

    page.keyboard.press(key)
    expect(form.locator(".nysoc-message")).to_contain_text("Gemt kl.", timeout=20_000)


def type_text(text: str) -> Action:
    def act(page: Page, _form: Locator) -> None:
        page.keyboard.type(text)
    return act


def press(key: str) -> Action:
    def act(page: Page, _form: Locator) -> None:
        page.keyboard.press(key)
    return act


def wait_for(field: int, kind: str, count: int, text: str) -> Action:
    """Wait until question ``field`` shows ``count`` controls (``kind``: a CSS selector) and
    ``text``: the kernel adds the rows and options that follow what was typed, one key at a
    time, so the last words typed show last."""
    def wait(_page: Page, form: Locator) -> None:
        form.evaluate(
            """(form, [field, kind, count, text]) => new Promise((resolve, reject) => {
                 const t0 = Date.now();
                 const poll = () => {
                   const box = form.querySelectorAll(".nysoc-field")[field];
                   if (box && box.querySelectorAll(kind).length === count
                       && box.innerText.includes(text)) return resolve(true);
                   if (Date.now() - t0 > 15000) return reject(new Error(
                       "question " + field + " never showed " + count + " " + kind
                       + " and " + JSON.stringify(text)));
                   setTimeout(poll, 50);
                 };
                 poll();
               })""", [field, kind, count, text])
    return wait


def in_turn(*actions: Action) -> Action:
    def act(page: Page, form: Locator) -> None:
        for action in actions:
            action(page, form)
    return act


@pytest.mark.parametrize("key", ["Enter", "Space"])
def test_the_logbook_is_filled_and_saved_with_the_keyboard_alone(
        key: str, page: Page, mentee_app: Server) -> None:
    """A mentee who cannot use a mouse writes a logbook note: Tab from the date through
    every question in the template's order (focus always visible), types the date and a
    sentence, ticks "Ja" and a learning goal with Space, and saves with Enter or Space on
    "Gem" - and the note is in the store."""
    ws = mentee_app.workspace
    template = ws.catalogue().get("logbog")
    index = {f.id: i for i, f in enumerate(template.fields)}
    sentence = danish_sentence()
    ticked: list[str] = []
    # The 11th of November: typed as 11112026 it is the same day whether the browser's date
    # input asks for day-month-year (da-DK) or month-day-year (en-US).
    date = dt.date(TODAY.year, 11, 11)

    def tick_goal(page: Page, _form: Locator) -> None:
        ticked.append(focused(page).label or focused(page).text)
        page.keyboard.press("Space")

    began = time.monotonic()
    open_notebook(page, mentee_app, "Logbog.ipynb")
    form = form_locator(page, "logbog")
    first = tab_into(page, "nysoc-form-logbog")
    assert first.field == index["dato"], f"first stop: {first.describe()}"
    stops = walk_to_save(page, form, "nysoc-form-logbog", {
        index["dato"]: type_text(f"{date:%d%m%Y}"),
        index["i_tvivl_om"]: type_text(sentence),
        index["tage_op"]: press("Space"),
        index["laeringsmaal"]: tick_goal,
    })
    assert_template_order(stops, template)
    shift_tab_back_and_forth(page, stops)
    shot(page, f"a11y-keyboard-logbog-{key}.png", form)
    press_save(page, form, key)
    shutdown_voila_kernel(page, mentee_app)

    with Workspace.load(ws.root).open_store() as store:
        records = store.list_records(pairing=ws.pairing, template_id="logbog")
    [record] = [r for r in records if r.values.get("i_tvivl_om") == sentence]
    assert record.status == "final"
    assert record.values["dato"] == date.isoformat()
    assert record.values["tage_op"] == template.field("tage_op").choices[0].id
    goals = template.field("laeringsmaal")
    assert [goals.choice_label(v) for v in record.values["laeringsmaal"]] == ticked
    print(f"\n  logbook by keyboard ({key}): {len(stops)} stops, "
          f"{time.monotonic() - began:.1f} s")


def test_the_case_analysis_is_filled_and_saved_with_the_keyboard_alone(
        page: Page, mentee_app: Server) -> None:
    """The long case analysis by keyboard alone: lists typed line by line, the options and
    rows that grow from them reached with Tab in the template's order and ticked with
    Space, an entry written per course of action, saved with Space on "Gem"."""
    ws = mentee_app.workspace
    template = ws.catalogue().get("sagsanalyse")
    index = {f.id: i for i, f in enumerate(template.fields)}
    # The analysis is checked for personal data: no digits, which could read as a phone
    # number (danish_sentence's random marker can be eight digits).
    episode = "en svær samtale om skolen " + "".join(random.choices(string.ascii_lowercase, k=8))

    open_notebook(page, mentee_app, "Sagsanalyse.ipynb")
    form = form_locator(page, "sagsanalyse")
    first = tab_into(page, "nysoc-form-sagsanalyse")
    assert first.field == 0, f"first stop: {first.describe()}"
    stops = walk_to_save(page, form, "nysoc-form-sagsanalyse", {
        index["episode"]: type_text(episode),
        index["fakta"]: type_text("bor alene\nto børn i skolealderen"),
        index["hypoteser"]: in_turn(
            type_text("mor er presset\nskolen mangler viden"),
            wait_for(index["sandsynlige"], "input[type=checkbox]", 2, "skolen mangler viden")),
        index["sandsynlige"]: press("Space"),
        index["handleretninger"]: in_turn(
            type_text("støt netværket"),
            wait_for(index["tiltag"], "textarea", 1, "støt netværket"),
            wait_for(index["tiltag_fakta"], "input[type=checkbox]", 2, "støt netværket")),
        index["tiltag"]: type_text("ring til skolen"),
        index["tiltag_fakta"]: press("Space"),
    })
    assert_template_order(stops, template)
    shift_tab_back_and_forth(page, stops)
    shot(page, "a11y-keyboard-sagsanalyse.png", form)
    press_save(page, form, "Space")
    shutdown_voila_kernel(page, mentee_app)

    with Workspace.load(ws.root).open_store() as store:
        records = store.list_records(pairing=ws.pairing, template_id="sagsanalyse")
    [record] = [r for r in records if r.values.get("episode") == episode]
    assert record.status == "final"
    assert record.values["fakta"] == ["bor alene", "to børn i skolealderen"]
    assert record.values["hypoteser"] == ["mor er presset", "skolen mangler viden"]
    assert record.values["sandsynlige"] == ["mor er presset"]
    assert record.values["handleretninger"] == ["støt netværket"]
    assert record.values["tiltag"] == {"støt netværket": ["ring til skolen"]}
    assert record.values["tiltag_fakta"] == {"støt netværket": ["bor alene"]}


# -- the states a form passes through ---------------------------------------------------------

def test_axe_finds_nothing_serious_in_the_states_a_form_passes_through(
        page: Page, mentee_app: Server, axe_js: Path) -> None:
    """The messages a user must perceive are accessible too: a refused save with its
    error under the question, an unsaved draft offered back, and the warning that the text
    holds a citizen's personal data (with its "Anonymisér" button)."""
    from playwright.sync_api import expect

    found: list[str] = []

    def check(state: str, form: Locator) -> None:
        fit_viewport(page)
        shot(page, f"a11y-state-{state}.png", form)
        found.extend(f"[{state}] {v}" for v in blocking(run_axe(form, axe_js)))

    open_notebook(page, mentee_app, "Logbog.ipynb")
    form = form_locator(page, "logbog")
    form.locator("button", has_text="Gem").first.click()  # the date is required
    expect(form.locator(".nysoc-field-error").first).to_contain_text("udfyld")
    expect(form.locator('.nysoc-message [role="alert"]')).to_be_visible()
    check("refused-save", form)

    form.get_by_label("Det, jeg er i tvivl om", exact=True).fill(danish_sentence())
    ws = mentee_app.workspace
    key = DraftKey(ws.pairing or "", "logbog", "", ws.role)
    time.sleep(4)  # the form autosaves a draft 1.5 s after typing
    with Workspace.load(ws.root).open_store() as store:
        assert store.get_draft(key) is not None, "the form autosaved no draft"
    shutdown_voila_kernel(page, mentee_app)
    open_notebook(page, mentee_app, "Logbog.ipynb")
    form = form_locator(page, "logbog")
    expect(form.locator("button", has_text="Hent kladden")).to_be_visible()
    check("draft-offered", form)
    shutdown_voila_kernel(page, mentee_app)

    open_notebook(page, mentee_app, "Procesjournal.ipynb")
    form = form_locator(page, "procesjournal")
    form.locator("textarea").first.fill("Borgeren har cpr-nr. 010203-1234.")
    expect(form.locator(".nysoc-privacy")).to_be_visible(timeout=15_000)
    check("personal-data", form)
    shutdown_voila_kernel(page, mentee_app)

    assert not found, "serious WCAG 2.1 AA violations:\n" + "\n".join(found)


# -- every form of every role -----------------------------------------------------------------

@dataclass(frozen=True)
class ShownForm:
    """One form of a notebook, rendered in Voilà for one role."""

    role: str
    notebook: str
    template: Template
    form: Locator

    @property
    def name(self) -> str:
        return f"{self.role}-{Path(self.notebook).stem}-{self.template.id}"


@pytest.fixture(scope="module", params=form_cases())
def shown_form(request: pytest.FixtureRequest, voila_pages: VoilaPages) -> ShownForm:
    """Each form cell of each role's notebooks, rendered (module scope: pytest runs every
    test of one form before the next, so each notebook renders once)."""
    role, notebook, template_id = request.param
    server = voila_pages.show(role, notebook)
    return ShownForm(role, notebook, server.workspace.catalogue().get(template_id),
                     form_locator(voila_pages.page, template_id))


def test_axe_finds_no_serious_violation_in_the_form(shown_form: ShownForm,
                                                    axe_js: Path) -> None:
    """axe-core finds no serious or critical WCAG 2.1 A/AA violation in the form as the
    role first sees it (violations of lesser impact are printed, not failed)."""
    from playwright.sync_api import expect

    form = shown_form.form
    expect(form).to_have_count(1)
    violations = run_axe(form, axe_js)
    shot(form.page, f"a11y-{shown_form.name}.png", form)
    minor = [v for v in violations if v not in blocking(violations)]
    if minor:
        print(f"\n  {shown_form.name}, not failed:\n{report(minor)}")
    assert not blocking(violations), (
        f"serious WCAG 2.1 AA violations in {shown_form.name}:\n"
        f"{report(blocking(violations))}")


def test_every_control_is_announced_with_its_danish_question(shown_form: ShownForm) -> None:
    """A screen reader names every input, text area, select and checkbox, and a question's
    controls with that question's Danish label from the template (a checkbox or radio
    button by its option, inside a group named by the question), in Danish (``lang``)."""
    from playwright.sync_api import expect

    form, template = shown_form.form, shown_form.template
    expect(form.locator(".nysoc-field")).to_have_count(len(template.fields))
    # The page says lang="en" (JupyterLab's and Voilà's own): the form says it is Danish.
    expect(form).to_have_attribute("lang", "da")
    controls = controls_of(form)
    assert controls, f"{shown_form.name}: no controls found"
    problems = []
    for control in controls:
        what = f"<{control.tag} {control.kind}> «{control.spoken}»"
        if not control.name.strip():
            problems.append(f"no accessible name: <{control.tag} {control.kind}> "
                            f"in question {control.field}")
        elif control.field >= 0:
            label = template.fields[control.field].label.da
            if label not in control.spoken:
                problems.append(f"{what} does not name its question «{label}»")
    assert not problems, f"{shown_form.name}:\n" + "\n".join(problems)
    print(f"\n  {shown_form.name}: {len(controls)} controls named")


def test_form_cases_cover_every_form_cell() -> None:
    """The parametrization really reads the notebooks (guards against an empty list)."""
    ids = [p.id for p in form_cases()]
    assert "mentee-Logbog-logbog" in ids
    assert "mentee-Opstartsmoede-samarbejdsaftale" in ids
    assert "mentee-Opstartsmoede-laeringsmaal" in ids
    assert "kontaktperson-Statusmoede-statusmoede" in ids
    assert len(ids) == len(set(ids))

