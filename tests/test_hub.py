"""nysoc on a real JupyterHub (issue 9): ``deploy/jupyterhub_config.py`` as IT runs it.

The roster (``deploy/nysoc_hub.py``) is checked on its own first. Then one scenario runs
against a real hub on 127.0.0.1 - JupyterHub with its configurable-http-proxy from the npm
registry (``make hub-proxy`` puts it in ``.cache/npm-hub``), the production config loaded
as it is and only the spawner (SimpleLocalProcessSpawner, homes under ``tmp_path``: tests
run as root with no real users) and the authenticator (a shared password) swapped
(``tests/hub_helpers.py``):

1. the mentor's, the mentee's and the coordinator's servers start; each first start made
   the user's workspace ``~/nysoc`` for the role on the roster;
2. the mentor logs in with a real browser, opens *Mentormøde* as a Voilà app through the
   hub, saves a meeting, and shares the pairing's summary from *Start her*;
3. the coordinator logs in and her *Koordinator* app shows the pairing, without the text;
4. the coordinator cannot open the mentor's notebooks, files, store or kernels through the
   hub (403 with her cookie or her token), and her own server's contents API cannot reach
   outside her workspace.

Without node, the proxy or JupyterHub the scenario skips, and fails under ``CI=true``.
The times (hub start, a server's start, a usable form, a save) are printed (``pytest -s``).
"""

from __future__ import annotations

import importlib.util
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import pytest
from browser_helpers import ARTIFACTS, Timings, button, wait_for_voila_render
from hub_helpers import (
    DEPLOY,
    PASSWORD,
    TrialHub,
    free_api_port,
    missing_requirements,
    running_hub,
    write_roster,
)

from nysoc_widgets.workspace import Workspace

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, DEPLOY / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


nysoc_hub = _load("nysoc_hub")
singleuser = _load("nysoc_singleuser")

PAIRING = "par-hub-1"
MENTOR, MENTEE = "Karen Holm", "Sofie Berg"
MEMBERS = {
    "mentor": {"role": "mentor", "pairing": PAIRING, "name": MENTOR,
               "department": "Børn og Familie", "start": "2026-09-01"},
    "mentee": {"role": "mentee", "pairing": PAIRING, "name": MENTEE},
    "coordinator": {"role": "coordinator"},  # the English alias of "koordinator"
}
#: The meeting's theme: free text, so it must never reach the coordinator.
THEME = "Svære samtaler med forældre – æøå (hub-prøve)"


# -- the roster --------------------------------------------------------------------------------

def test_roster_gives_each_user_their_role_pairing_and_partners(tmp_path: Path) -> None:
    roster = nysoc_hub.load_roster(write_roster(tmp_path / "brugere.toml", MEMBERS))

    assert roster.groups() == {"mentor": {"users": ["mentor"]},
                               "mentee": {"users": ["mentee"]},
                               "koordinator": {"users": ["coordinator"]}}
    env = nysoc_hub.spawn_environment(roster, "mentee", share_folder="/srv/delt",
                                      retention_months=24)
    assert env == {"NYSOC_HUB_ROLE": "mentee", "NYSOC_HUB_PAIRING": PAIRING,
                   "NYSOC_HUB_MENTOR": MENTOR, "NYSOC_HUB_MENTEE": MENTEE,
                   "NYSOC_HUB_DEPARTMENT": "", "NYSOC_HUB_START": "",
                   "NYSOC_HUB_SHARE_FOLDER": "/srv/delt", "NYSOC_HUB_RETENTION_MONTHS": "24",
                   "NYSOC_HUB_WORKSPACE": "nysoc"}
    coordinator = nysoc_hub.spawn_environment(roster, "coordinator")
    assert coordinator["NYSOC_HUB_ROLE"] == "koordinator"
    assert coordinator["NYSOC_HUB_PAIRING"] == ""


def test_the_example_roster_in_deploy_is_valid() -> None:
    roster = nysoc_hub.load_roster(DEPLOY / "brugere.example.toml")
    assert {m.role for m in roster.members.values()} == {"mentor", "mentee", "koordinator",
                                                         "kontaktperson"}


@pytest.mark.parametrize(("text", "match"), [
    pytest.param('[users.a]\nrole = "mentor"\npairing = "p"\ncolour = "x"\n',
                 r"\[users\.a\], colour: unknown key", id="unknown-user-key"),
    pytest.param('brugere = 1\n', r"brugere: unknown key", id="unknown-top-key"),
    pytest.param('[users.a]\nrole = "chef"\n', r"\[users\.a\], role: unknown role 'chef'",
                 id="unknown-role"),
    pytest.param('[users.a]\npairing = "p"\n', r"\[users\.a\], role: missing",
                 id="no-role"),
    pytest.param('[users.a]\nrole = "mentee"\n', r"\[users\.a\], pairing: a mentee must",
                 id="mentee-without-pairing"),
    pytest.param('[users.a]\nrole = "koordinator"\npairing = "p"\n',
                 r"\[users\.a\], pairing: a coordinator belongs to no pairing",
                 id="coordinator-with-pairing"),
    pytest.param('[users.a]\nrole = "mentor"\npairing = "p"\n'
                 '[users.b]\nrole = "mentor"\npairing = "p"\n',
                 r"\[users\.b\], pairing: pairing 'p' already has a mentor \(a\)",
                 id="two-mentors"),
    pytest.param('[users.a]\nrole = "mentor"\npairing = "p"\nstart = "1/9"\n',
                 r"start: '1/9' is not a date", id="bad-start"),
    pytest.param('[users.Anna]\nrole = "mentor"\npairing = "p"\n',
                 r"\[users\.Anna\]: a hub name is lower case", id="upper-case-name"),
    pytest.param('[users.a]\nrole = 7\n', r"role: must be a string", id="not-a-string"),
    pytest.param('[users.a\nrole = "x"\n', r"not valid TOML", id="broken-toml"),
])
def test_a_bad_roster_is_refused_naming_file_user_and_key(tmp_path: Path, text: str,
                                                          match: str) -> None:
    path = tmp_path / "brugere.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(nysoc_hub.RosterError, match=match) as info:
        nysoc_hub.load_roster(path)
    assert str(path) in str(info.value)


def test_a_missing_roster_and_an_unknown_user_are_refused(tmp_path: Path) -> None:
    with pytest.raises(nysoc_hub.RosterError, match="does not exist"):
        nysoc_hub.load_roster(tmp_path / "ingen.toml")
    roster = nysoc_hub.load_roster(write_roster(tmp_path / "brugere.toml", MEMBERS))
    with pytest.raises(nysoc_hub.RosterError, match="'ukendt' is not on the roster"):
        nysoc_hub.spawn_environment(roster, "ukendt")


def test_the_first_start_makes_the_users_workspace_from_the_hubs_settings(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What the hook hands the user's server becomes ``nysoc init`` with the role, pairing,
    names, shared folder and retention; a second start leaves the workspace alone."""
    roster = nysoc_hub.load_roster(write_roster(tmp_path / "brugere.toml", MEMBERS))
    env = nysoc_hub.spawn_environment(roster, "mentor", share_folder=str(tmp_path / "delt"),
                                      retention_months=18)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    root = tmp_path / "hjem" / "nysoc"
    singleuser.ensure_workspace(root)
    ws = Workspace.load(root)
    assert (ws.role, ws.pairing, ws.retention_months) == ("mentor", roster.member(
        "mentor").pairing, 18)
    assert ws.share_folder == tmp_path / "delt"
    before = (root / "nysoc.toml").read_bytes()
    monkeypatch.setenv("NYSOC_HUB_ROLE", "mentee")
    singleuser.ensure_workspace(root)
    assert (root / "nysoc.toml").read_bytes() == before, "a later start changes nothing"


# -- the hub --------------------------------------------------------------------------------------

@pytest.fixture
def hub(tmp_path: Path, free_port: int) -> Iterator[TrialHub]:
    """A trial hub with the mentor, mentee and coordinator of :data:`MEMBERS`."""
    missing = missing_requirements()
    if missing:
        message = "a trial JupyterHub needs: " + "; ".join(missing)
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    with running_hub(tmp_path / "hub", MEMBERS, port=free_port,
                     api_port=free_api_port()) as trial:
        yield trial


def login(browser: Browser, hub: TrialHub, user: str, external: list[str]) -> Page:
    """A page of its own (Danish browser) logged in as ``user`` at the hub's home page.
    Requests to anything but 127.0.0.1 are added to ``external``."""
    context = browser.new_context(viewport={"width": 1280, "height": 2400}, locale="da-DK")
    page = context.new_page()
    page.set_default_timeout(30_000)

    def outside(request: Any) -> None:
        if (request.url.startswith(("http:", "https:", "ws:", "wss:"))
                and urlsplit(request.url).hostname != "127.0.0.1"):
            external.append(f"{request.url} (from {page.url})")

    page.on("request", outside)
    page.goto(f"{hub.base}/hub/login?next=/hub/home")
    page.fill("#username_input", user)
    page.fill("#password_input", PASSWORD)
    page.click("#login_submit")
    page.wait_for_url("**/hub/home")
    return page


def open_app(page: Page, hub: TrialHub, path: str, timings: Timings, what: str) -> None:
    """Open the Voilà app at ``path`` and wait until it has run and its forms are shown."""
    with timings.phase(what):
        page.goto(hub.base + path)
        wait_for_voila_render(page, timeout=120)
    assert page.locator(".jp-InputArea-editor, .cm-editor").count() == 0, "code is visible"


def test_pair_shares_and_coordinator_sees_only_the_summary_on_a_real_hub(
    hub: TrialHub, browser: Browser,
) -> None:
    from playwright.sync_api import expect

    timings = Timings("nysoc on JupyterHub")
    timings.phases["hub: start → /hub/health answers"] = hub.started_in
    failed = True
    pages: list[Page] = []
    external: list[str] = []
    try:
        # 1. each user's first start makes their workspace for their role -----------------
        for user in MEMBERS:
            with timings.phase(f"{user}: server start (first: nysoc init)"):
                hub.start_server(user)
        expected = {"mentor": ("mentor", PAIRING), "mentee": ("mentee", PAIRING),
                    "coordinator": ("koordinator", None)}
        for user, (role, pairing) in expected.items():
            ws = Workspace.load(hub.workspace(user))
            assert (ws.role, ws.pairing, ws.share_folder) == (role, pairing, hub.share)
            assert ws.retention_months == 24
            assert ws.root.stat().st_mode & 0o777 == 0o700
            assert ws.store_path.stat().st_mode & 0o777 == 0o600
        assert (hub.workspace("coordinator") / "Koordinator.ipynb").is_file()
        assert not (hub.workspace("coordinator") / "Mentormoede.ipynb").exists()
        with Workspace.load(hub.workspace("mentor")).open_store() as store:
            pairing = store.get_pairing(PAIRING)
        assert (pairing.mentor, pairing.mentee, pairing.department, pairing.start_date) == (
            MENTOR, MENTEE, "Børn og Familie", "2026-09-01")

        # 2. the mentor saves a meeting in the Voilà app and shares the summary -------------
        mentor_app = "/user/mentor/voila/render/Mentormoede.ipynb"
        with timings.phase("mentor: log in"):
            page = login(browser, hub, "mentor", external)
        pages.append(page)
        open_app(page, hub, mentor_app, timings, "mentor: open Mentormøde app → form")
        form = page.locator(".jp-OutputArea-output .nysoc-form-mentormoede").first
        expect(form).to_be_visible()
        form.locator("input[type=date]").first.fill("2026-11-23")
        form.get_by_label("Planlagt tema", exact=True).fill(THEME)
        with timings.phase("mentor: Gem → Gemt kl."):
            button(form, "Gem").click()
            expect(form.locator(".nysoc-message")).to_contain_text("Gemt kl.")
        with Workspace.load(hub.workspace("mentor")).open_store() as store:
            saved = store.list_records(pairing=PAIRING, template_id="mentormoede",
                                       status="final")
        assert [(r.values["dato"], r.values["tema"]) for r in saved] == [("2026-11-23", THEME)]

        open_app(page, hub, "/user/mentor/voila/render/Start_her.ipynb", timings,
                 "mentor: open Start her app → ready")
        share = page.locator(".jp-OutputArea-output .nysoc-share").first
        share.get_by_role("checkbox", name="Vi har set, hvad tovholderen får",
                          exact=False).check()
        button(share, "Del med tovholderen").click()
        expect(share.locator(".nysoc-message")).to_contain_text("Delt kl.")
        page.screenshot(path=str(_artifact("hub-mentor-shared.png")))
        summary_file = hub.share / f"{PAIRING}.nysoc-summary.json"
        summary = json.loads(summary_file.read_text(encoding="utf-8"))
        assert summary["pairing"]["id"] == PAIRING
        assert "2026-11-23" in json.dumps(summary)
        assert THEME not in summary_file.read_text(encoding="utf-8")

        # 3. the coordinator's overview shows the pairing, never the text ----------------
        coordinator_app = "/user/coordinator/voila/render/Koordinator.ipynb"
        with timings.phase("coordinator: log in"):
            cpage = login(browser, hub, "coordinator", external)
        pages.append(cpage)
        open_app(cpage, hub, coordinator_app, timings, "coordinator: open Koordinator app")
        overview = cpage.locator(".jp-OutputArea-output .nysoc-coordinator-view-oversigt")
        expect(overview.locator("table tbody tr")).to_have_count(1)
        expect(overview.locator("table tbody tr").first).to_contain_text(PAIRING)
        assert THEME not in cpage.locator("body").inner_text()
        cpage.screenshot(path=str(_artifact("hub-coordinator-overview.png")))

        # 4. ... and cannot reach the pair's notebooks, files, store or kernels ----------
        for path in (mentor_app, "/user/mentor/lab/tree/Mentormoede.ipynb",
                     "/user/mentor/files/nysoc.db"):
            reply = cpage.goto(hub.base + path)
            assert reply is not None and reply.status == 403, (path, reply and reply.status)
            assert cpage.locator(".nysoc-form").count() == 0
            assert THEME not in cpage.locator("body").inner_text()
        assert_refused(hub)
        assert external == [], f"requests beyond 127.0.0.1: {external}"
        failed = False
    finally:
        if failed:
            for index, page in enumerate(pages):
                page.screenshot(path=str(_artifact(f"hub-failure-{index}.png")))
            print(f"\nhub log (last lines):\n{hub.log_tail(80)}")
        for page in pages:
            page.context.close()
        print("\n" + timings.report())


def assert_refused(hub: TrialHub) -> None:
    """The coordinator's (and the mentee's) tokens get nothing of the mentor's; the
    mentor's own token gets the same paths (so a 403 is a refusal, not a wrong path)."""
    store = "/user/mentor/api/contents/nysoc.db?content=0"
    assert hub.request("GET", store, token=hub.token("mentor")).status == 200
    for user in ("coordinator", "mentee"):
        token = hub.token(user)
        for method, path in [("GET", store), ("GET", "/user/mentor/files/nysoc.db"),
                             ("GET", "/user/mentor/api/contents/Mentormoede.ipynb"),
                             ("POST", "/user/mentor/api/kernels"),
                             ("GET", "/user/mentor/voila/render/Mentormoede.ipynb")]:
            reply = hub.request(method, path, token=token, follow=False,
                                body={} if method == "POST" else None)
            assert reply.status == 403, (user, method, path, reply.status)
        # The hub's API does not even say whether the mentor exists.
        assert hub.request("GET", "/hub/api/users/mentor", token=token).status == 404
    # Her own server serves her workspace only: paths out of it are refused.
    token = hub.token("coordinator")
    outside = "..%2F..%2Fmentor%2Fnysoc%2Fnysoc.db"
    assert hub.request("GET", f"/user/coordinator/api/contents/{outside}",
                       token=token).status == 404
    assert hub.request("GET", f"/user/coordinator/files/{outside}", token=token).status == 403
    listing = hub.request("GET", "/user/coordinator/api/contents/", token=token).json()
    assert "nysoc.db" in {item["name"] for item in listing["content"]}  # her own store
    assert "Mentormoede.ipynb" not in {item["name"] for item in listing["content"]}


def _artifact(name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS / name
