"""JupyterLab's "Render with Voilà" (``/voila/render/…`` inside ``nysoc lab``): Voilà as a
server extension uses nysoc's template too, so the app fetches nothing beyond 127.0.0.1 —
no MathJax from cdnjs, no icons from jsdelivr (a CDN should not learn who reads what) —
and shows no traceback."""

from __future__ import annotations

import sys
import uuid
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest
from browser_helpers import (
    free_tcp_port,
    running_as_root,
    running_server,
    server_base_env,
    wait_for_voila_render,
    wait_until_ready,
)

from nysoc_widgets.lab import lab_command, write_lab_settings
from nysoc_widgets.workspace import init_workspace

if TYPE_CHECKING:
    from playwright.sync_api import Browser

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_render_with_voila_in_nysoc_lab_fetches_nothing_from_outside(
        browser: Browser, tmp_path: Path) -> None:
    from playwright.sync_api import expect

    ws = init_workspace(tmp_path / "ws", "mentee", mentor="Mette", mentee="Ali")
    write_lab_settings(ws.root)
    port, token = free_tcp_port(), uuid.uuid4().hex
    cmd = lab_command(ws.root, port=port, token=token, open_browser=False, notebook=None,
                      base_env=server_base_env(tmp_path), python=sys.executable,
                      allow_root=running_as_root())
    with running_server("JupyterLab", cmd.argv, env=cmd.env, cwd=ws.root, port=port,
                        token=token, workspace=ws, log=tmp_path / "lab.log") as server:
        wait_until_ready(server, timeout=60)
        context = browser.new_context(locale="da-DK")
        outside: list[str] = []
        context.on("request", lambda r: outside.append(r.url) if urlsplit(r.url).hostname
                   not in (None, "127.0.0.1") and r.url.startswith("http") else None)
        page = context.new_page()
        try:
            page.goto(server.url("/voila/render/Logbog.ipynb"))
            wait_for_voila_render(page, timeout=120)
            form = page.locator(".jp-OutputArea-output .nysoc-form-logbog").first
            expect(form).to_be_visible(timeout=60_000)
            page.wait_for_load_state("networkidle")
            assert outside == [], f"fetched from outside 127.0.0.1: {outside}"
            assert "Traceback" not in page.locator("body").inner_text()
        finally:
            context.close()
