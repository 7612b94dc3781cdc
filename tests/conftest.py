"""Shared pytest fixtures for nysoc.

* Every test fails if an ipywidgets callback raised during it (see
  ``fail_on_widget_callback_errors``): without a kernel, ipywidgets swallows such
  exceptions and only logs them, so a broken ``on_click`` handler would otherwise pass.
* ``chromium_path`` / ``browser``: Debian's ``/usr/bin/chromium`` driven by Playwright.
  Playwright cannot download its own browsers here. Tests using ``browser`` get the
  ``browser`` marker automatically, so ``-m "not browser"`` deselects them.
* ``free_port``: a TCP port on 127.0.0.1 that was free a moment ago.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


# --- ipywidgets callback exceptions ------------------------------------------------------
#
# ipywidgets 8 catches exceptions raised in callbacks (``CallbackDispatcher.__call__``: on_click,
# on_submit, ...), in widget methods wrapped by ``_show_traceback`` (``_handle_msg``, i.e.
# front-end messages) and in ``interact`` functions. With no IPython shell running - as under
# pytest - it reports them only as ``self.log.warning(..., exc_info=True)``, where ``self.log``
# is ``traitlets.log.get_logger()``: the "traitlets" logger, or the running traitlets
# Application's logger if one is initialised. (With an IPython shell it calls
# ``ip.showtraceback()`` instead; no test here runs one.) An ``observe`` handler raises
# straight into the test when Python code sets the trait, but is logged like a callback when
# a front-end message (``_handle_msg``) sets it.


class _WidgetErrorHandler(logging.Handler):
    """Collects log records that ipywidgets emits for a swallowed exception."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        from_ipywidgets = f"{os.sep}ipywidgets{os.sep}" in record.pathname
        if from_ipywidgets and record.exc_info is not None:
            self.records.append(record)

    def report(self, start: int = 0) -> str:
        fmt = logging.Formatter()
        return "\n\n".join(
            f"{r.getMessage()}\n{fmt.formatException(r.exc_info)}"  # type: ignore[arg-type]
            for r in self.records[start:]
        )


_WIDGET_ERRORS = pytest.StashKey[_WidgetErrorHandler]()
_SEEN = pytest.StashKey[int]()


def _widget_loggers() -> list[logging.Logger]:
    from traitlets.config import Application  # installed with ipywidgets

    loggers = [logging.getLogger("traitlets")]
    if Application.initialized():
        log = Application.instance().log
        loggers.append(log.logger if isinstance(log, logging.LoggerAdapter) else log)
    return loggers


@pytest.fixture(autouse=True)
def fail_on_widget_callback_errors(request: pytest.FixtureRequest) -> Iterator[None]:
    """Fail the test if an ipywidgets callback raised an exception while it ran."""
    handler = _WidgetErrorHandler()
    loggers = _widget_loggers()
    saved_levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.addHandler(handler)
        if logger.getEffectiveLevel() > logging.WARNING:
            logger.setLevel(logging.WARNING)
    request.node.stash[_WIDGET_ERRORS] = handler
    try:
        yield
    finally:
        for logger, level in zip(loggers, saved_levels, strict=True):
            logger.removeHandler(handler)
            logger.setLevel(level)
    # Records up to the end of the test body were handled in pytest_runtest_call.
    seen = request.node.stash.get(_SEEN, 0)
    if len(handler.records) > seen:
        pytest.fail("an ipywidgets callback raised outside the test body:\n"
                    + handler.report(seen), pytrace=False)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, object, object]:
    """Turn a swallowed widget callback exception into a failure of the test itself."""
    handler = item.stash.get(_WIDGET_ERRORS, None)
    try:
        result = yield  # re-raises if the test failed anyway; that failure is the one shown
    finally:
        if handler is not None:
            item.stash[_SEEN] = len(handler.records)
    if handler is not None and handler.records:
        pytest.fail("an ipywidgets callback raised (ipywidgets only logged it):\n"
                    + handler.report(), pytrace=False)
    return result


# --- browser -----------------------------------------------------------------------------


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the tests that use ``browser`` and run them last (see ``browser``)."""
    uses_browser = {id(i) for i in items if "browser" in getattr(i, "fixturenames", ())}
    for item in items:
        if id(item) in uses_browser:
            item.add_marker(pytest.mark.browser)
    items.sort(key=lambda item: id(item) in uses_browser)  # stable: order kept otherwise


@pytest.fixture(scope="session")
def chromium_path() -> str:
    """Path of Debian's Chromium; skips without it, but fails under CI=true."""
    if CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK):
        return str(CHROMIUM)
    message = f"{CHROMIUM} not found (Debian package 'chromium'; .ci/run installs it)"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def browser(chromium_path: str) -> Iterator[Browser]:
    """One headless Chromium for the whole session, driven by Playwright's sync API.

    While Playwright's sync API is open, the main thread counts as running an asyncio loop,
    so ``asyncio.run()`` raises there. That is why browser tests run after all others; in
    them, start Jupyter or Voila as a subprocess. (nbclient still works: it runs its loop in
    a thread when one is already running.)
    """
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=chromium_path, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()


# --- network -----------------------------------------------------------------------------


@pytest.fixture
def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free when asked (another process may still take it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port
