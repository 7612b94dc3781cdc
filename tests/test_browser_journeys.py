"""Each role's main journey, in a real browser, in both front ends (issue 7: real use).

Every journey is written once and runs twice, through the ``front_end`` fixture:

* ``jupyterlab`` – JupyterLab as ``nysoc lab`` starts it (``lab_command``; the workspace's
  lab settings from ``write_lab_settings`` select the Danish language pack, and the page
  shows it: ``<html lang="da-DK">`` and Danish menu entries). The notebook is opened, run
  with Run All, and its kernel's session is deleted when the test is done.
* ``voila`` – the notebook as an app, exactly as ``nysoc app NOTEBOOK`` serves it
  (``app_command``: Voilà on 127.0.0.1 with a token, one server per notebook). No code on
  the page.

The fixture hands over a page with the notebook rendered and its forms ready; the test
fills in forms as a user would (typing, ticking, clicking "Gem") and then reads the store
file itself (``Workspace.load(root).open_store()``): what was saved is on disk. No page
may fetch anything from beyond 127.0.0.1. A screenshot of each journey's final screen, per
front end, goes to ``test-artifacts/journey-<journey>-<front end>.png``; timings are
printed (``pytest -s``). Servers are always stopped (``browser_helpers.running_server``).

The mentee's logbook journey (write, save, find it again in a new kernel) is in
``test_browser_logbook.py`` (JupyterLab: restart and run all) and ``test_browser_apps.py``
(Voilà: a reload starts a new kernel); it is not repeated here.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
import uuid
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlsplit

import pytest
from browser_helpers import (
    Server,
    Timings,
    assert_no_code_visible,
    button,
    cells_with_output,
    checkbox,
    delete_sessions,
    final_records,
    form_field,
    free_tcp_port,
    run_all,
    running_as_root,
    running_server,
    save,
    server_base_env,
    shot,
    shot_whole,
    wait_for_kernel,
    wait_for_lab_render,
    wait_for_voila_render,
    wait_until_ready,
)

from nysoc_widgets import clock
from nysoc_widgets.lab import app_command, lab_command, write_lab_settings
from nysoc_widgets.render import format_date
from nysoc_widgets.workspace import Workspace, init_workspace

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Locator, Page

pytestmark = [pytest.mark.browser, pytest.mark.slow]

FRONT_ENDS = ("jupyterlab", "voila")
#: Seconds. The machine has two cores shared with other test runs: generous, but finite.
SERVER_TIMEOUT = 60.0
RENDER_TIMEOUT = 120.0
STEP_TIMEOUT_MS = 30_000
#: The box in which JupyterLab's open notebook scrolls.
LAB_SCROLLER = ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-WindowedPanel-outer"
#: Names the workspaces know (the privacy check looks for them): none of the texts below
#: may hold them, or a save would be stopped as holding personal data.
MENTOR, MENTEE = "Karen Holm", "Sofie Berg"


# -- the front ends -------------------------------------------------------------------------

@dataclass
class Opened:
    """A notebook rendered in a front end, its forms ready."""

    front_end: str
    page: Page
    server: Server
    notebook: Path

    def form(self, template_id: str) -> Locator:
        """The live form of ``template_id`` (not a static copy: only the kernel's output)."""
        return self.page.locator(f".jp-OutputArea-output .nysoc-form-{template_id}").first


@dataclass
class FrontEnd:
    """Opens notebooks of a workspace in one browser page, in JupyterLab or in Voilà.

    JupyterLab: one server per workspace (started on first use), each notebook in a lab
    workspace of its own so that only it is open; the previous notebook's kernel is shut
    down before the next opens. Voilà: one ``nysoc app`` server per notebook (the previous
    one is stopped first, as a user presses Ctrl+C and starts the next).
    """

    name: str
    browser: Browser
    tmp: Path
    timings: Timings
    stack: ExitStack = field(default_factory=ExitStack)
    servers: dict[Path, Server] = field(default_factory=dict)
    current: Opened | None = None
    #: Requests the page made to anything but 127.0.0.1.
    external: list[str] = field(default_factory=list)
    _page: Page | None = None
    _voila: ExitStack | None = None

    @property
    def page(self) -> Page:
        if self._page is None:
            # Tall, so that element screenshots in JupyterLab hold a whole form.
            context = self.browser.new_context(viewport={"width": 1280, "height": 3200},
                                               locale="da-DK")
            self._page = context.new_page()
            self._page.set_default_timeout(STEP_TIMEOUT_MS)
            self._page.on("request", self._request)
        return self._page

    def _request(self, request: Any) -> None:
        host = urlsplit(request.url).hostname
        if request.url.startswith(("http:", "https:", "ws:", "wss:")) and host != "127.0.0.1":
            self.external.append(request.url)

    def open(self, ws: Workspace, notebook: str) -> Opened:
        """Open ``notebook`` of ``ws`` and wait until it has run and its forms are shown."""
        path = ws.root / notebook
        assert path.is_file(), f"{notebook} is not in the workspace"
        opener = self._open_lab if self.name == "jupyterlab" else self._open_voila
        with self.timings.phase(f"{Path(notebook).stem}: open → forms ready"):
            opened = opener(ws, path)
            for form in opened.page.locator(".jp-OutputArea-output .nysoc-form").all():
                form.wait_for(state="visible")
        assert self.external == [], f"requests beyond 127.0.0.1: {self.external}"
        self.current = opened
        return opened

    # JupyterLab ---------------------------------------------------------------------------
    def _lab_server(self, ws: Workspace) -> Server:
        if ws.root in self.servers:
            return self.servers[ws.root]
        write_lab_settings(ws.root)  # Danish language pack, no news: as `nysoc lab` does
        port, token = free_tcp_port(), uuid.uuid4().hex
        cmd = lab_command(ws.root, port=port, token=token, open_browser=False, notebook=None,
                          base_env=server_base_env(self.tmp), python=sys.executable,
                          allow_root=running_as_root())
        server = self.stack.enter_context(running_server(
            "JupyterLab", cmd.argv, env=cmd.env, cwd=ws.root, port=port, token=token,
            workspace=ws, log=self.tmp / f"jupyterlab-{len(self.servers)}.log"))
        with self.timings.phase("JupyterLab: server ready"):
            wait_until_ready(server, timeout=SERVER_TIMEOUT)
        self.servers[ws.root] = server
        return server

    def _open_lab(self, ws: Workspace, path: Path) -> Opened:
        server = self._lab_server(ws)
        page = self.page
        if self.current is not None and self.current.server is server:
            delete_sessions(page, server)  # the previous notebook's kernel
        lab_space = re.sub(r"[^a-z0-9]+", "-", path.stem.lower())
        page.goto(server.url(f"/lab/workspaces/{lab_space}/tree/{quote(path.name)}"))
        page.locator(".jp-NotebookPanel .jp-Cell").first.wait_for(timeout=RENDER_TIMEOUT * 1000)
        wait_for_kernel(page, server, timeout=SERVER_TIMEOUT)
        assert_danish_lab(page)
        run_all(page)
        wait_for_lab_render(page, cells_with_output(path), timeout=RENDER_TIMEOUT)
        return Opened(self.name, page, server, path)

    # Voilà --------------------------------------------------------------------------------
    def _open_voila(self, ws: Workspace, path: Path) -> Opened:
        if self._voila is not None:
            self._voila.close()  # the previous app's server
        self._voila = self.stack.enter_context(ExitStack())
        port, token = free_tcp_port(), uuid.uuid4().hex
        cmd = app_command(ws.root, path.name, port=port, token=token, open_browser=False,
                          base_env=server_base_env(self.tmp))
        assert cmd.env["NYSOC_WORKSPACE"] == str(ws.root)
        server = self._voila.enter_context(running_server(
            f"Voilà ({path.name})", cmd.argv, env=cmd.env, cwd=ws.root, port=port,
            token=token, workspace=ws, log=self.tmp / f"voila-{path.stem}.log"))
        self.servers[path] = server
        with self.timings.phase(f"{path.stem}: Voilà ready (port accepts)"):
            wait_until_ready(server, timeout=SERVER_TIMEOUT, status_path=None)
        page = self.page
        page.goto(cmd.url)
        wait_for_voila_render(page, timeout=RENDER_TIMEOUT)
        assert_no_code_visible(page, path)
        return Opened(self.name, page, server, path)

    # the end -------------------------------------------------------------------------------
    def final_shot(self, journey: str, target: Locator | None = None) -> Path:
        """The journey's final screen as ``test-artifacts/journey-<journey>-<front end>.png``;
        also checks once more that nothing was fetched from beyond 127.0.0.1."""
        assert self.external == [], f"requests beyond 127.0.0.1: {self.external}"
        name = f"journey-{journey}-{self.name}.png"
        if target is not None and self.name == "jupyterlab":
            return shot(self.page, name, target)
        # The whole page: Voilà's cells, or JupyterLab's notebook, scroll inside a box.
        scroller = "#rendered_cells" if self.name == "voila" else LAB_SCROLLER
        self.page.locator(scroller).evaluate("el => { el.scrollTop = 0; }")
        return shot_whole(self.page, name, scroller)

    def close(self, failed: bool, test_name: str) -> None:
        try:
            if failed and self._page is not None:
                safe = re.sub(r"[^A-Za-z0-9_.-]+", "-", test_name)
                shot(self._page, f"journey-failure-{safe}.png")
                for server in self.servers.values():
                    print(f"\n{server.name} log (last lines):\n{server.log_tail()}")
            if self.name == "jupyterlab" and self.current is not None and not failed:
                delete_sessions(self.page, self.current.server)
        finally:
            if self._page is not None:
                self._page.context.close()
            self.stack.close()  # every server: SIGTERM, then SIGKILL
            print("\n" + self.timings.report())
            print(json.dumps({k: round(v, 2) for k, v in self.timings.phases.items()}))


@pytest.fixture(params=FRONT_ENDS)
def front_end(request: pytest.FixtureRequest, browser: Browser, tmp_path: Path
              ) -> Iterator[FrontEnd]:
    """A front end (``jupyterlab`` or ``voila``, the test id says which) that opens a
    workspace's notebooks in a browser page, rendered and with their forms ready."""
    from playwright.sync_api import expect

    fe = FrontEnd(request.param, browser, tmp_path, Timings(request.node.name))
    failures = request.session.testsfailed
    expect.set_options(timeout=STEP_TIMEOUT_MS)  # two busy cores: the kernel may lag
    try:
        yield fe
    finally:
        expect.set_options(timeout=5_000)  # Playwright's default, for other tests
        # The call's report is logged before teardown: a failure has been counted by now.
        fe.close(request.session.testsfailed > failures, request.node.name)


def assert_danish_lab(page: Page) -> None:
    """JupyterLab speaks Danish: the workspace's settings chose ``da_DK``, so the page's
    language is Danish and the language pack's menu entries are translated."""
    from playwright.sync_api import expect

    assert page.evaluate("document.documentElement.lang") == "da-DK"
    page.locator(".lm-MenuBar-item", has_text=re.compile(r"^\s*(Settings|Indstillinger)\s*$")
                 ).first.click()
    autosave = page.locator('.lm-Menu:visible [data-command="docmanager:toggle-autosave"]')
    expect(autosave).to_contain_text("Gem Dokumenter Automatisk")  # "Autosave Documents"
    page.keyboard.press("Escape")


# -- small helpers for the journeys ---------------------------------------------------------

def lines(*items: str) -> str:
    return "\n".join(items)


def type_at_end_of_line(area: Locator, line: int, text: str) -> None:
    """Type ``text`` at the end of line ``line`` (0-based) of a textarea, key by key."""
    area.click()
    keyboard = area.page.keyboard
    keyboard.press("Control+Home")
    for _ in range(line):
        keyboard.press("ArrowDown")
    keyboard.press("End")
    keyboard.type(text, delay=15)


def add_line(area: Locator, text: str) -> None:
    """Type a new last line into a textarea, key by key."""
    area.click()
    area.page.keyboard.press("Control+End")
    area.page.keyboard.press("Enter")
    area.page.keyboard.type(text, delay=15)


def per_item_row(field_box: Locator, item: str) -> Locator:
    """In a per-item pick field, the row (heading + checkboxes) of the item ``item``."""
    heading = field_box.locator("em").filter(has_text=re.compile(rf"^{re.escape(item)}$"))
    return heading.locator("xpath=ancestor::div[contains(@class,'widget-vbox')][1]")


def expect_ticks(scope: Locator, ticked: list[str], unticked: list[str]) -> None:
    """Exactly these checkboxes in ``scope`` are shown, ``ticked`` ticked, ``unticked`` not."""
    from playwright.sync_api import expect

    for label in ticked:
        expect(checkbox(scope, label)).to_be_checked()
    for label in unticked:
        expect(checkbox(scope, label)).not_to_be_checked()
    expect(scope.get_by_role("checkbox")).to_have_count(len(ticked) + len(unticked))


# -- 1. mentor: case and episode analysis ---------------------------------------------------

FACTS = ["Borgeren er 34 år og har to børn på 6 og 9 år",
         "Skolen har meldt om fravær hos den ældste i tre uger",
         "Moren siger, at hun ikke kan overskue morgenerne"]
HYPOTHESES = ["Moren er udmattet og mangler aflastning",
              "Den ældste mistrives i klassen",
              "Familien har økonomiske problemer"]
DIRECTIONS = ["Støt moren i hverdagen", "Styrk samarbejdet med skolen"]
MEASURES = {DIRECTIONS[0]: ["Tilbyd en familiebehandler to gange om ugen",
                            "Undersøg aflastning i weekenden"],
            DIRECTIONS[1]: ["Netværksmøde med klasselæreren", "Fraværsplan sammen med skolen"]}
# The edits of the earlier steps, made after the later steps are filled in.
HYPOTHESIS_0 = HYPOTHESES[0] + " om morgenen"
NEW_HYPOTHESIS = "Moren har selv haft svære skoleår"
FACT_2 = FACTS[2] + " alene"
NEW_FACT = "Faren ser børnene hver anden weekend"
DIRECTION_1 = DIRECTIONS[1] + " og fritidshjemmet"


def test_mentor_case_analysis_later_steps_follow_edits(front_end: FrontEnd,
                                                       tmp_path: Path) -> None:
    """A mentor works through the five steps of the case analysis, then goes back and
    renames a hypothesis, a fact and a direction and adds a hypothesis and a fact. She
    relies on the later steps following live, on the page: a renamed item keeps its pick
    (and its measures), a new item is offered, unticked; and on the store holding the
    edited analysis after "Gem"."""
    from playwright.sync_api import expect

    ws = init_workspace(tmp_path / "mentor", "mentor", mentor=MENTOR, mentee=MENTEE)
    opened = front_end.open(ws, "Sagsanalyse.ipynb")
    form = opened.form("sagsanalyse")
    facts = form.get_by_label("Hvad ved vi?", exact=True)
    hypotheses = form.get_by_label("Hvilke hypoteser har vi?", exact=True)
    likely = form_field(form, "Hvilke hypoteser er p.t. mest sandsynlige?")
    directions = form.get_by_label("Hvilken overordnet handleretning peger hypoteserne på?",
                                   exact=True)
    measures = form_field(form, "Hvilke konkrete tiltag kan sættes i værk?")
    based_on = form_field(form, "Hvilke fakta bygger tiltagene på?")

    with front_end.timings.phase("five steps filled in"):
        form.get_by_label("Hvad handler analysen om?", exact=True).fill(
            "Fravær i skolen hos en familie med to børn")
        facts.fill(lines(*FACTS))                                    # step 1
        hypotheses.fill(lines(*HYPOTHESES))                          # step 2
        expect(likely.get_by_role("checkbox")).to_have_count(3)      # step 3 offers them
        checkbox(likely, HYPOTHESES[0]).check()
        checkbox(likely, HYPOTHESES[1]).check()
        directions.fill(lines(*DIRECTIONS))                          # step 4
        for direction, items in MEASURES.items():                    # step 5, per direction
            measures.get_by_label(direction, exact=True).fill(lines(*items))
        checkbox(per_item_row(based_on, DIRECTIONS[0]), FACTS[0]).check()
        checkbox(per_item_row(based_on, DIRECTIONS[0]), FACTS[2]).check()
        checkbox(per_item_row(based_on, DIRECTIONS[1]), FACTS[1]).check()
        expect_ticks(likely, HYPOTHESES[:2], HYPOTHESES[2:])

    with front_end.timings.phase("earlier steps edited → later follow"):
        # Step 2: rename the first (ticked) hypothesis, add one.
        type_at_end_of_line(hypotheses, 0, HYPOTHESIS_0.removeprefix(HYPOTHESES[0]))
        add_line(hypotheses, NEW_HYPOTHESIS)
        expect_ticks(likely, [HYPOTHESIS_0, HYPOTHESES[1]], [HYPOTHESES[2], NEW_HYPOTHESIS])
        # Step 1: rename a fact ticked for the first direction only, add one.
        type_at_end_of_line(facts, 2, FACT_2.removeprefix(FACTS[2]))
        add_line(facts, NEW_FACT)
        expect_ticks(per_item_row(based_on, DIRECTIONS[0]), [FACTS[0], FACT_2],
                     [FACTS[1], NEW_FACT])
        expect_ticks(per_item_row(based_on, DIRECTIONS[1]), [FACTS[1]],
                     [FACTS[0], FACT_2, NEW_FACT])
        # Step 4: rename the second direction; its measures and picks go with it.
        type_at_end_of_line(directions, 1, DIRECTION_1.removeprefix(DIRECTIONS[1]))
        expect(measures.get_by_label(DIRECTION_1, exact=True)).to_have_value(
            lines(*MEASURES[DIRECTIONS[1]]))
        expect(measures.get_by_label(DIRECTIONS[1], exact=True)).to_have_count(0)
        expect_ticks(per_item_row(based_on, DIRECTION_1), [FACTS[1]],
                     [FACTS[0], FACT_2, NEW_FACT])
        # The new items can be picked like the others.
        checkbox(likely, NEW_HYPOTHESIS).check()
        checkbox(per_item_row(based_on, DIRECTION_1), NEW_FACT).check()

    with front_end.timings.phase('"Gem" → "Gemt kl."'):
        save(form)
    front_end.final_shot("sagsanalyse", form)

    [record] = final_records(ws, "sagsanalyse")
    values = record.values
    assert values["fakta"] == [*FACTS[:2], FACT_2, NEW_FACT]
    assert values["hypoteser"] == [HYPOTHESIS_0, *HYPOTHESES[1:], NEW_HYPOTHESIS]
    assert values["sandsynlige"] == [HYPOTHESIS_0, HYPOTHESES[1], NEW_HYPOTHESIS]
    assert values["handleretninger"] == [DIRECTIONS[0], DIRECTION_1]
    assert values["tiltag"] == {DIRECTIONS[0]: MEASURES[DIRECTIONS[0]],
                                DIRECTION_1: MEASURES[DIRECTIONS[1]]}
    assert values["tiltag_fakta"] == {DIRECTIONS[0]: [FACTS[0], FACT_2],
                                      DIRECTION_1: [FACTS[1], NEW_FACT]}
    assert record.author_role == "mentor"


# -- 2. a meeting is planned, and the start page shows it -----------------------------------

def test_planned_meeting_shows_on_start_page(front_end: FrontEnd, tmp_path: Path) -> None:
    """At the start-up meeting the pair save the collaboration agreement with the next
    three meetings planned. The mentee relies on "Start her" then showing the next
    planned meeting with its Danish date, and the phase the pair has reached."""
    from playwright.sync_api import expect

    today = clock.today()  # the kernels read the real clock too
    start, end = today, today + dt.timedelta(days=180)
    planned = [today + dt.timedelta(days=d) for d in (37, 65, 93)]
    ws = init_workspace(tmp_path / "mentee", "mentee", mentor=MENTOR, mentee=MENTEE,
                        start_date=start.isoformat())

    opened = front_end.open(ws, "Opstartsmoede.ipynb")
    form = opened.form("samarbejdsaftale")
    with front_end.timings.phase("agreement filled in"):
        form.get_by_label("Antal møder", exact=True).fill("8")
        form.get_by_label("Varighed pr. møde (minutter)", exact=True).fill("60")
        form.get_by_label("Lokale", exact=True).fill("Det lille mødelokale på 2. sal")
        for label, day in [("Startdato", start), ("Planlagt afslutning", end),
                           ("Næste møde", planned[0]), ("Mødet efter", planned[1]),
                           ("Og mødet efter det", planned[2])]:
            date_input = form.get_by_label(label, exact=True)
            date_input.fill(day.isoformat())
            expect(date_input).to_have_value(day.isoformat())
        checkbox(form_field(form, "Vi er enige om"), "Fortrolighed").check()
        form_field(form, "Mentee bekræfter aftalen").get_by_label(
            "Ja, jeg bekræfter aftalen").check()
    with front_end.timings.phase('"Gem" → "Gemt kl."'):
        save(form)
    front_end.final_shot("samarbejdsaftale", form)

    [agreement] = final_records(ws, "samarbejdsaftale")
    assert [agreement.values[k] for k in ("naeste_moede", "moedet_efter",
                                          "moedet_efter_det")] == [d.isoformat()
                                                                   for d in planned]
    assert agreement.values["antal_moeder"] == 8
    assert agreement.values["bekraeftet_mentee"] == "ja"

    opened = front_end.open(ws, "Start_her.ipynb")
    status = opened.page.locator(".jp-OutputArea-output .nysoc-status").first

    def row(label: str) -> Locator:
        th = opened.page.locator("th").filter(has_text=re.compile(rf"^{re.escape(label)}$"))
        return status.locator("tr").filter(has=th).locator("td")

    expect(row("Næste møde")).to_have_text(format_date(planned[0].isoformat()))
    assert re.fullmatch(r"\d{1,2}\. [a-zæøå]+ \d{4}", format_date(planned[0].isoformat()))
    expect(row("Fase")).to_contain_text("Opstart")
    expect(status).not_to_contain_text("intet planlagt")
    front_end.final_shot("start-her")


# -- 3. the coordinator's overview -------------------------------------------------------------

def free_texts(store_path: Path) -> set[str]:
    """Every free text the pairs wrote (text, long text, list items, per-item entries) in the
    store at ``store_path``, at least 12 characters long (shorter ones could turn up by
    chance), and the pairs' full names."""
    from nysoc_widgets.catalogue import Catalogue
    from nysoc_widgets.store import Store

    catalogue = Catalogue.load()
    found: set[str] = set()

    def add(value: Any) -> None:
        if isinstance(value, str):
            found.add(value.strip())
        elif isinstance(value, list):
            for v in value:
                add(v)
        elif isinstance(value, dict):
            for v in value.values():
                add(v)

    with Store.open(store_path) as store:
        for pairing in store.list_pairings():
            found.update(n for n in (pairing.mentor, pairing.mentee) if " " in n)
        for record in store.list_records():
            template = catalogue.get(record.template_id)
            for fld in template.fields:
                if fld.kind in ("short_text", "long_text", "list", "per_item"):
                    add(record.values.get(fld.id))
    return {t for t in found if len(t) >= 12 or (" " in t and t[:1].isupper())}


def test_coordinator_sees_charts_and_alerts_but_no_free_text(front_end: FrontEnd,
                                                            tmp_path: Path) -> None:
    """The coordinator opens her overview of the municipality's pairings. She relies on
    seeing the charts (images with a Danish description, loaded and drawn) and the
    alerts for pairings that may be stalling, in Danish; the pairs rely on her never
    seeing what they wrote, nor their full names."""
    from playwright.sync_api import expect

    from nysoc_widgets.charts import CHARTS
    from nysoc_widgets.coordinator_pages import CoordinatorPage
    from nysoc_widgets.demo import create_demo
    from nysoc_widgets.demo_municipality import COORDINATOR, PAIRS

    with front_end.timings.phase("demo municipality made"):
        demo = create_demo(tmp_path / "demo", today=clock.today())
    ws = Workspace.load(demo.workspace.root / COORDINATOR)
    assert ws.role == "koordinator" and ws.share_folder is not None
    expected = CoordinatorPage.read(ws.share_folder, limits=ws.alerts)
    assert expected.alerts, "the demo municipality should have pairings that stall"

    opened = front_end.open(ws, "Koordinator.ipynb")
    page = opened.page
    charts = page.locator(".jp-OutputArea-output .nysoc-coordinator-view-diagrammer img")
    alerts = page.locator(".jp-OutputArea-output .nysoc-coordinator-view-advarsler")
    overview = page.locator(".jp-OutputArea-output .nysoc-coordinator-view-oversigt")

    # The charts: one image per chart, with its Danish alt text, loaded and drawn.
    expect(charts).to_have_count(len(CHARTS))
    assert [img.get_attribute("alt") for img in charts.all()] == [c.alt for c in
                                                                   CHARTS.values()]
    for img in charts.all():
        img.scroll_into_view_if_needed()
        assert img.evaluate("i => i.complete && i.naturalWidth > 0 && i.naturalHeight > 0")
        box = img.bounding_box()
        assert box is not None and box["width"] > 100 and box["height"] > 50, box
        assert (img.get_attribute("alt") or "").startswith("Diagram: ")

    # The alerts: a row per alert, each with its Danish sentence.
    rows = alerts.locator("table tbody tr")
    expect(rows).to_have_count(len(expected.alerts))
    expect(alerts.locator("thead")).to_contain_text("Advarsel")
    for alert in expected.alerts:
        expect(rows.filter(has_text=alert.text).first).to_be_visible()
    expect(alerts).to_contain_text(f"{len(expected.alerts)} advarsler")
    expect(overview.locator("table tbody tr")).to_have_count(len(expected.frames.overview))

    # Nothing the pairs wrote, and none of their full names, anywhere on the page.
    text = page.locator("body").inner_text()
    secrets = free_texts(demo.workspace.store_path) | free_texts(
        demo.workspace.root / PAIRS / "nysoc.db")
    assert len(secrets) > 50, "the demo should hold free text to look for"
    leaked = sorted(s for s in secrets if s in text)
    assert leaked == [], f"the coordinator's page shows what the pairs wrote: {leaked[:5]}"
    front_end.final_shot("koordinator")


# -- 4. a process journal with a CPR number ----------------------------------------------------

#: A CPR number whose date exists (7 July 1961); the privacy rules find it.
CPR = "070761-4285"


def write_journal_stop_anonymise_save(front_end: FrontEnd, ws: Workspace, *,
                                     pause: float = 0.0) -> Any:
    """The process-journal journey up to the saved record, which it returns: write a
    journal with ``CPR`` in it, press "Gem" (stopped: the finding is shown and nothing is
    saved as final), press "Anonymisér" ([CPR] in the field), press "Gem" again.
    ``pause``: seconds the user reads what she wrote before pressing "Gem"."""
    from playwright.sync_api import expect

    opened = front_end.open(ws, "Procesjournal.ipynb")
    form = opened.form("procesjournal")
    account = form.get_by_label(
        "Detaljeret referat af samtalen/kontakten mellem socialrådgiver og borger",
        exact=True)

    with front_end.timings.phase("journal written"):
        form.get_by_label("Dato for samtalen/kontakten", exact=True).fill(
            clock.today().isoformat())
        form.get_by_label("Skitse over borgerens problemstilling", exact=True).fill(
            "Borgeren har svært ved at få hverdagen til at hænge sammen.")
        account.fill(JOURNAL_TEXT)
        if pause:
            opened.page.wait_for_timeout(pause * 1000)

    with front_end.timings.phase('"Gem" → stopped, finding shown'):
        button(form, "Gem").click()
        message = form.locator(".nysoc-message")
        expect(message).to_contain_text("ikke gemt som endeligt")
        expect(message).to_contain_text("personoplysninger")
        panel = form.locator(".nysoc-privacy")
        expect(panel).to_be_visible()
        expect(panel).to_contain_text(f"CPR-nummer »{CPR}«")
        expect(panel).to_contain_text("Detaljeret referat af samtalen/kontakten")
    assert final_records(ws, "procesjournal") == []

    with front_end.timings.phase('"Anonymisér" → [CPR] in the field'):
        button(form, "Anonymisér").click()
        expect(account).to_have_value(ANONYMISED)
        expect(form.locator(".nysoc-message")).to_contain_text("erstattet med pladsholdere")
        expect(panel).to_be_hidden()

    with front_end.timings.phase('"Gem" → "Gemt kl."'):
        save(form)
    front_end.final_shot("procesjournal", form)
    [record] = final_records(ws, "procesjournal")
    return record


JOURNAL_TEXT = (f"Borgeren (cpr {CPR}) kom for sent og virkede presset. Hun sagde: "
                "»Jeg kan ikke mere«, med lav stemme og blikket i bordet.")
ANONYMISED = JOURNAL_TEXT.replace(CPR, "[CPR]")


def test_process_journal_with_cpr_is_stopped_until_anonymised(front_end: FrontEnd,
                                                              tmp_path: Path) -> None:
    """A mentee writes a process journal and, by mistake, a citizen's CPR number. She
    relies on "Gem" refusing to save it as final and saying in Danish what was found
    and where; on "Anonymisér" replacing it with [CPR] in the field; and on the saved
    journal holding no CPR number."""
    from nysoc_widgets.privacy import find

    assert [f.kind for f in find(CPR)] == ["cpr"]
    ws = init_workspace(tmp_path / "mentee", "mentee", mentor=MENTOR, mentee=MENTEE)
    record = write_journal_stop_anonymise_save(front_end, ws)

    assert record.values["referat"] == ANONYMISED
    with Workspace.load(ws.root).open_store() as store:
        history = [v.values for v in store.versions(record.id or "")]
    stored = json.dumps([record.values, *history], ensure_ascii=False)
    assert CPR not in stored and "0707614285" not in stored
    assert [f for f in find(stored) if f.kind == "cpr"] == []


@pytest.mark.parametrize("front_end", ["voila"], indirect=True)
def test_process_journal_cpr_is_gone_from_disk_after_anonymising(front_end: FrontEnd,
                                                                 tmp_path: Path) -> None:
    """As above, but the mentee reads her text before pressing "Gem", so the autosave
    has kept a draft with the CPR number meanwhile. Once the anonymised journal is saved,
    she relies on the number being gone from the workspace's files on disk (a backup or
    a synced folder copies them as they are), not only from the saved record."""
    from nysoc_widgets.store import DraftKey

    ws = init_workspace(tmp_path / "mentee", "mentee", mentor=MENTOR, mentee=MENTEE)
    record = write_journal_stop_anonymise_save(front_end, ws, pause=3.0)
    assert record.values["referat"] == ANONYMISED
    with Workspace.load(ws.root).open_store() as store:
        assert store.get_draft(DraftKey(ws.pairing or "", "procesjournal", "", "mentee")
                               ) is None
    # Read while the app still runs (its kernel holds the store open), as a backup would.
    on_disk = {p.name: CPR.encode() in p.read_bytes() for p in ws.root.glob("nysoc.db*")}
    assert on_disk and not any(on_disk.values()), on_disk
