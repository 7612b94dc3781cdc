"""Every notebook of every role renders as a Voila app, in headless Chromium (issue 4, Quality).

One Voila server per role, in tree mode, serving that role's demo workspace
(``browser_helpers.role_demo_workspace``: ``create_demo``'s mentee workspace, the role
rewritten for mentor and contact person, holding exactly ``ROLE_NOTEBOOKS[role]``). Each
notebook is opened at ``/voila/render/<name>.ipynb`` in one reused page; once Voila has run
every cell and rendered every output, the test checks what a user sees:

* no error output (stderr, a traceback, a widget that failed to display) and no
  ``.nysoc-notice`` box where a form, card or overview should be;
* each code cell's own output: ``nysoc.form("x")`` a ``.nysoc-form-x`` showing the template's
  title, ``nysoc.card("x")`` the card's title, ``nysoc.summary`` / ``nysoc.status`` /
  ``nysoc.calendar_file`` / ``nysoc.agenda`` / ``nysoc.print_copy`` /
  ``nysoc.goal_history`` / ``nysoc.share`` their boxes, any other call at least one output;
  and as many ``.nysoc-form`` on the page as ``nysoc.form(`` calls in the notebook;
* no code: no input areas, no editor, none of the code cells' source text;
* the notebook's Danish title (its first ``# `` heading).

The notebooks are read from ``ROLE_NOTEBOOKS`` and from the notebook files when the tests
run, so new or edited notebooks are covered without changing this file. A screenshot of
each goes to ``test-artifacts/voila-<role>-<name>.png``; timings are printed (``pytest -s``).
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import nbformat
import pytest
from browser_helpers import (
    DEMO_ROLES,
    RoleServers,
    Server,
    Timings,
    danish_page,
    misdrawn_inputs,
    shot_whole,
    shutdown_voila_kernel,
    wait_for_voila_render,
)

from nysoc_widgets import clock
from nysoc_widgets.catalogue import Catalogue
from nysoc_widgets.glossary import ROLES
from nysoc_widgets.workspace import ROLE_NOTEBOOKS

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Locator, Page

pytestmark = [pytest.mark.browser, pytest.mark.slow]

#: The demo's dates count back from today: the kernels in Voilà read the real clock, so a
#: fixed day would in time leave every planned meeting in the past (and the agenda warns).
TODAY = clock.today()
#: Seconds: a server until its port accepts, and one notebook from goto to screenshot.
SERVER_BUDGET = 30.0
NOTEBOOK_BUDGET = 25.0
#: The selector of the box that each known one-line call leaves in its cell's output.
CALL_BOX = {"summary": ".nysoc-summary", "status": ".nysoc-status",
            "calendar_file": ".nysoc-calendar-file", "agenda": ".nysoc-agenda-view",
            "print_copy": ".nysoc-print-copy", "goal_history": ".nysoc-goal-history-view",
            "share": ".nysoc-share"}
#: Text on the page that means something broke (Voila, ipywidgets, the output renderer).
BROKEN_TEXT = ("Traceback (most recent call last)", "There was an error when executing cell",
               "Error displaying widget", "Javascript Error", "model not found")
STDERR = '[data-mime-type="application/vnd.jupyter.stderr"]'


def cases() -> list[Any]:
    """(role, notebook) for every notebook each demo role gets, with ids like
    ``mentee-Mentormoede``; read from ``ROLE_NOTEBOOKS`` when the tests are collected."""
    return [pytest.param(role, name, id=f"{role}-{Path(name).stem}")
            for role in DEMO_ROLES for name in ROLE_NOTEBOOKS[role]]


# -- fixtures -------------------------------------------------------------------------------

class VoilaServers(RoleServers):
    """One Voila per role (``browser_helpers.RoleServers``), saying when each is ready."""

    def get(self, role: str) -> Server:
        started = self.role != role or self.server is None
        server = super().get(role)
        if started:
            print(f"\n{server.name} ready after "
                  f"{self.timings.phases[f'{role}: server ready']:.2f} s on port {server.port}")
        return server


@pytest.fixture(scope="module")
def voila_servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[VoilaServers]:
    servers = VoilaServers(tmp_path_factory, TODAY, budget=SERVER_BUDGET,
                           timings=Timings("Voila, every notebook"))
    try:
        yield servers
    finally:
        servers.close()  # always: the running servers are stopped (SIGTERM, then SIGKILL)
        print("\n" + servers.timings.report())
        print(json.dumps({k: round(v, 2) for k, v in servers.timings.phases.items()}))


@pytest.fixture(scope="module")
def page(browser: Browser) -> Iterator[Page]:
    """One page for every notebook: a new one per notebook costs time and shows nothing more."""
    with danish_page(browser) as page:
        yield page


# -- what a notebook should show ------------------------------------------------------------

def code_cells(nb: Any) -> list[Any]:
    """The code cells that show something: all but the ``import`` setup cell."""
    return [c for c in nb.cells if c.cell_type == "code"
            and not c.source.strip().startswith("import ")]


def title_of(nb: Any) -> str:
    first = nb.cells[0]
    assert first.cell_type == "markdown" and first.source.startswith("# "), first.source[:80]
    return first.source.splitlines()[0][2:].strip()


def call_of(source: str) -> tuple[str, str | None]:
    """``nysoc.form("logbog")`` → ``("form", "logbog")``; ``nysoc.status()`` → ``("status",
    None)``."""
    match = re.match(r'\s*nysoc\.(\w+)\(\s*(?:"([^"]*)")?', source)
    assert match, f"not a one-line nysoc call: {source!r}"
    return match.group(1), match.group(2)


def cell_outputs(page: Page, cell: Any) -> Locator:
    """The rendered outputs of ``cell`` (Voila gives each cell the DOM id ``cell-id=<id>``)."""
    return page.locator(f'[id="cell-id={cell.id}"] .jp-OutputArea-output')


def check_cell(page: Page, cell: Any, catalogue: Catalogue) -> str:
    """Assert that ``cell`` rendered what its call makes; returns a short description."""
    from playwright.sync_api import expect

    call, arg = call_of(cell.source)
    out = cell_outputs(page, cell)
    assert out.count() > 0, f"cell {cell.id} ({cell.source.strip()}) shows no output"
    if call == "form":
        form = out.locator(f".nysoc-form.nysoc-form-{arg}")
        expect(form, cell.source).to_have_count(1)
        expect(form).to_be_visible()
        assert arg is not None
        expect(form).to_contain_text(catalogue.get(arg).title.da)
        assert misdrawn_inputs(form) == [], f"{arg}: borders whole, dropdowns one line high"
    elif call == "card":
        assert arg is not None
        expect(out.locator("h3").first, cell.source).to_have_text(catalogue.get(arg).title.da)
    elif call in CALL_BOX:
        # The live view first (a refreshable summary keeps a folded static copy after it).
        box = out.locator(CALL_BOX[call]).first
        expect(box, cell.source).to_be_visible()
    else:  # a call this test does not know yet: it must at least show something
        expect(out.first, cell.source).to_be_visible()
        assert out.first.inner_text().strip() or out.first.locator("*").count(), cell.source
    return f"{call}({arg or ''})"


def check_notebook(page: Page, role: str, nb: Any, catalogue: Catalogue) -> list[str]:
    from playwright.sync_api import expect

    cells = page.locator("#rendered_cells")
    # No error output of any kind, no Danish notice instead of a form, card or overview.
    expect(page.locator(STDERR)).to_have_count(0)
    expect(page.locator(".jp-OutputArea-child .jp-RenderedText", has_text="Traceback"))\
        .to_have_count(0)
    expect(page.locator(".nysoc-notice")).to_have_count(0)
    expect(page.locator(".jp-OutputArea-output", has=page.locator('[role="alert"]')))\
        .to_have_count(0)
    text = cells.inner_text()
    for broken in BROKEN_TEXT:
        assert broken not in text, broken

    # Each cell shows its own output; as many forms as there are form calls.
    shown = [check_cell(page, cell, catalogue) for cell in code_cells(nb)]
    forms = sum(1 for c in code_cells(nb) if call_of(c.source)[0] == "form")
    expect(page.locator(".nysoc-form")).to_have_count(forms)

    # An app: no code, no editor, none of the code cells' text.
    expect(page.locator(".jp-CodeCell .jp-InputArea")).to_have_count(0)
    expect(page.locator(".jp-InputArea-editor, .cm-editor, .CodeMirror")).to_have_count(0)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.source.strip() not in text, f"code is visible: {cell.source!r}"

    # The Danish title; the start page names the workspace's role.
    expect(cells.locator("h1").first).to_contain_text(title_of(nb))
    if any(call_of(c.source)[0] == "status" for c in code_cells(nb)):
        expect(page.locator(".nysoc-status")).to_contain_text(ROLES[role])
    return shown


# -- the test -------------------------------------------------------------------------------

@pytest.mark.parametrize(("role", "name"), cases())
def test_notebook_renders_in_voila(role: str, name: str, page: Page,
                                   voila_servers: VoilaServers) -> None:
    server = voila_servers.get(role)
    path = server.workspace.root / name
    assert path.is_file(), f"{name} is not in the {role}'s workspace"
    nb = nbformat.read(path, as_version=4)
    catalogue = server.workspace.catalogue()
    timings = voila_servers.timings
    began = time.monotonic()
    failed = True
    try:
        page.set_viewport_size({"width": 1280, "height": 1000})
        with timings.phase(f"{role}/{Path(name).stem}: rendered"):
            page.goto(server.url(f"/voila/render/{name}"))
            wait_for_voila_render(page)
        rendered = timings.phases[f"{role}/{Path(name).stem}: rendered"]
        with timings.phase(f"{role}/{Path(name).stem}: checks + shot"):
            shown = check_notebook(page, role, nb, catalogue)
            shot_whole(page, f"voila-{role}-{Path(name).stem}.png")
        failed = False
    finally:
        if failed:
            shot_whole(page, f"voila-{role}-{Path(name).stem}-failure.png")
            print(f"\n{server.name} log (last lines):\n{server.log_tail()}")
    shutdown_voila_kernel(page, server)
    took = time.monotonic() - began
    print(f"\n  {role}/{name}: rendered {rendered:.2f} s, all {took:.2f} s; "
          f"{', '.join(shown) or 'no code cells'}")
    assert took < NOTEBOOK_BUDGET, f"{name} took {took:.1f} s"


def test_cases_cover_every_demo_role() -> None:
    """The parametrization really reads ``ROLE_NOTEBOOKS`` (guards against an empty list)."""
    ids = [p.id for p in cases()]
    for role in DEMO_ROLES:
        assert f"{role}-Start_her" in ids
    assert len(ids) == sum(len(ROLE_NOTEBOOKS[r]) for r in DEMO_ROLES)

