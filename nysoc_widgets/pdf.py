"""PDF without the internet: an HTML document printed by the machine's own Chromium.

nbconvert's ``webpdf`` wants a browser that Playwright downloads, and ``--to pdf`` wants
LaTeX (~700 MB); a municipality's PC has neither, but it has a Chromium-family browser
(Chromium, Google Chrome or Microsoft Edge). :class:`Printer` drives that browser headless
through Playwright and prints with the page's own ``@page`` rules (A4, the marking and
"side X af Y" in the margins: :func:`documents.print_css`)::

    with Printer() as printer:           # one browser for many documents
        pdf = printer.pdf(html)

The browser is found by :func:`find_browser`: ``NYSOC_CHROMIUM`` if set, else the usual
names on ``PATH`` and the usual install folders. Nothing is fetched while printing: the page
is set from the HTML string, and every request it would make is refused.

Playwright's sync API refuses to run inside an asyncio loop (a Jupyter kernel, Jupyter
server's export handler), so the browser lives on one worker thread of its own.
"""

from __future__ import annotations

import os
import shutil
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from .errors import ExportError

__all__ = ["BROWSER_ENV", "LAUNCH_ARGS", "find_browser", "Printer", "html_to_pdf"]

#: Environment variable naming the browser to print with.
BROWSER_ENV = "NYSOC_CHROMIUM"
#: Headless, and no traffic of the browser's own (updates, sync, safe browsing).
LAUNCH_ARGS = ("--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run",
               "--disable-dev-shm-usage")
_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable",
          "microsoft-edge", "microsoft-edge-stable", "msedge", "chrome")
_FOLDERS = {
    "darwin": ("/Applications/Chromium.app/Contents/MacOS/Chromium",
               "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
               "/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge"),
    "win32": (r"C:\Program Files\Google\Chrome\Application\chrome.exe",
              r"C:\Program Files (x86)\Microsoft\Edge\Application\msedge.exe",
              r"C:\Program Files\Microsoft\Edge\Application\msedge.exe"),
}


def find_browser() -> str | None:
    """The Chromium-family browser to print with, or None if the machine has none."""
    named = os.environ.get(BROWSER_ENV, "").strip()
    if named:
        found = shutil.which(named)
        if found is None:
            raise ExportError("export.browser_not_found", path=named, variable=BROWSER_ENV)
        return found
    for name in _NAMES:
        found = shutil.which(name)
        if found:
            return found
    for path in _FOLDERS.get(sys.platform, ()):
        if Path(path).is_file():
            return path
    return None


class Printer:
    """A headless browser that prints HTML documents as A4 PDFs (see the module docstring).

    Use it as ``with Printer() as printer``; the browser starts with the first
    :meth:`pdf` (or :meth:`start`) and stops at :meth:`close`. ``browser`` is the
    executable (default: :func:`find_browser`).
    """

    def __init__(self, browser: str | None = None) -> None:
        self.browser = browser
        self._worker: ThreadPoolExecutor | None = None
        self._session: Any = None

    def __enter__(self) -> Printer:
        return self  # the browser starts with the first document

    def __exit__(self, *exc: object) -> None:
        self.close()

    def start(self) -> None:
        """Launch the browser (once)."""
        if self._worker is not None:
            return
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="nysoc-pdf")
        try:
            self._session = self._worker.submit(self._launch).result()
        except BaseException:
            self.close()
            raise

    def _launch(self) -> Any:
        try:
            from playwright.sync_api import Error, sync_playwright
        except ImportError:
            raise ExportError("export.no_playwright") from None
        executable = self.browser or find_browser()
        if executable is None:
            raise ExportError("export.no_browser", variable=BROWSER_ENV)
        driver = sync_playwright().start()
        try:
            browser = driver.chromium.launch(executable_path=executable,
                                             args=list(LAUNCH_ARGS), headless=True)
        except Error as exc:
            driver.stop()
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise ExportError("export.browser_failed", path=executable, reason=first) from None
        return driver, browser

    def pdf(self, html: str) -> bytes:
        """``html`` printed as PDF: the page's own ``@page`` size (A4), backgrounds kept."""
        self.start()
        assert self._worker is not None
        return self._worker.submit(self._print, html).result()

    def _print(self, html: str) -> bytes:
        _driver, browser = self._session
        context = browser.new_context(java_script_enabled=False, offline=True)
        try:
            context.route("**/*", lambda route: route.abort())
            page = context.new_page()
            page.set_content(html, wait_until="load")
            data: bytes = page.pdf(format="A4", prefer_css_page_size=True,
                                   print_background=True)
            return data
        finally:
            context.close()

    def close(self) -> None:
        """Close the browser and its thread."""
        worker, session = self._worker, self._session
        self._worker = self._session = None
        if worker is None:
            return
        if session is not None:
            worker.submit(_stop, session).result()
        worker.shutdown(wait=True)


def _stop(session: Any) -> None:
    driver, browser = session
    try:
        browser.close()
    finally:
        driver.stop()


def html_to_pdf(html: str) -> bytes:
    """Print one HTML document as PDF with a browser of its own (:class:`Printer`)."""
    with Printer() as printer:
        return printer.pdf(html)
