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
def store_times(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The times the store gives its next saves (UTC ISO), one per save: a test appends
    them and writes a history without waiting for it."""
    from nysoc_widgets import _rows

    times: list[str] = []
    monkeypatch.setattr(_rows, "now", lambda: times.pop(0))
    yield times


@pytest.fixture
def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free when asked (another process may still take it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


# --- no network beyond this machine --------------------------------------------------------
#
# The suite runs with the network blocked except loopback (issue 3, "Nothing lost"). In the
# pytest process, ``socket.socket.connect``/``connect_ex``/``sendto``,
# ``socket.create_connection``, ``getaddrinfo`` and ``gethostbyname(_ex)`` refuse any host
# that is not loopback (127.0.0.0/8, ::1, ``localhost``, this machine's own name for a
# lookup) with ``NetworkBlockedError`` - an ``OSError``, as if offline - and the test fails
# even when the code under test swallowed that error. Unix sockets and other families pass.
#
# Only the pytest process is guarded. Subprocesses (Jupyter and Voila servers, kernels,
# Chromium, the writers of the fault tests) and C libraries with their own sockets (zmq)
# are not: a test starts them against 127.0.0.1 only, and Chromium is launched with
# --disable-background-networking.

_REAL_SOCKET = {name: getattr(socket.socket, name)
                for name in ("connect", "connect_ex", "sendto")}
_REAL_MODULE = {name: getattr(socket, name) for name in (
    "create_connection", "getaddrinfo", "gethostbyname", "gethostbyname_ex")}
_NETWORK_ATTEMPTS: list[str] = []


class NetworkBlockedError(OSError):
    """A test tried to reach a host beyond this machine."""


def is_loopback_host(host: object) -> bool:
    """True for a host that never leaves this machine (None and "" mean this machine)."""
    import ipaddress

    if host is None:
        return True
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    if not isinstance(host, str):
        return False
    name = host.strip("[]").split("%", 1)[0].rstrip(".").lower()
    if name in ("", "localhost", "ip6-localhost", "ip6-loopback") or name.endswith(".localhost"):
        return True
    try:
        ip = ipaddress.ip_address(name)
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_loopback or ip.is_unspecified


def _refuse(what: str) -> NetworkBlockedError:
    import errno

    _NETWORK_ATTEMPTS.append(what)
    return NetworkBlockedError(errno.ENETUNREACH,
                               f"network blocked in tests (loopback only): {what}")


def _check_address(sock: socket.socket, address: object, what: str) -> None:
    if sock.family in (socket.AF_INET, socket.AF_INET6):
        host = address[0] if isinstance(address, tuple) and address else address
        if not is_loopback_host(host):
            raise _refuse(f"{what} {address!r}")


def _lookup_allowed(host: object) -> bool:
    return is_loopback_host(host) or host == socket.gethostname()


def _guarded_connect(self: socket.socket, address: object) -> None:
    _check_address(self, address, "connect")
    _REAL_SOCKET["connect"](self, address)


def _guarded_connect_ex(self: socket.socket, address: object) -> int:
    _check_address(self, address, "connect_ex")
    return int(_REAL_SOCKET["connect_ex"](self, address))


def _guarded_sendto(self: socket.socket, data: bytes, *args: object) -> int:
    if args:
        _check_address(self, args[-1], "sendto")
    return int(_REAL_SOCKET["sendto"](self, data, *args))


def _guarded_create_connection(address: tuple[str, int], *args: object,
                               **kwargs: object) -> socket.socket:
    if not is_loopback_host(address[0]):
        raise _refuse(f"create_connection {address!r}")
    return _REAL_MODULE["create_connection"](address, *args, **kwargs)  # type: ignore[no-any-return]


def _guarded_lookup(name: str) -> object:
    real = _REAL_MODULE[name]

    def lookup(host: object, *args: object, **kwargs: object) -> object:
        if not _lookup_allowed(host):
            raise _refuse(f"{name} {host!r}")
        return real(host, *args, **kwargs)

    return lookup


@pytest.fixture(scope="session", autouse=True)
def block_network() -> Iterator[None]:
    """For the whole session: this process reaches loopback only (see the notes above)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(socket.socket, "connect", _guarded_connect)
        patch.setattr(socket.socket, "connect_ex", _guarded_connect_ex)
        patch.setattr(socket.socket, "sendto", _guarded_sendto)
        patch.setattr(socket, "create_connection", _guarded_create_connection)
        for name in ("getaddrinfo", "gethostbyname", "gethostbyname_ex"):
            patch.setattr(socket, name, _guarded_lookup(name))
        yield


@pytest.fixture
def network_attempts() -> list[str]:
    """The blocked attempts so far; a test that provokes some on purpose deletes them."""
    return _NETWORK_ATTEMPTS


@pytest.fixture(autouse=True)
def fail_on_network_use(block_network: None) -> Iterator[None]:
    """Fail a test that tried to reach beyond loopback, even if the error was swallowed."""
    start = len(_NETWORK_ATTEMPTS)
    yield
    tried = _NETWORK_ATTEMPTS[start:]
    if tried:
        pytest.fail("the test tried to use the network (only loopback is allowed):\n"
                    + "\n".join(tried), pytrace=False)


# --- canary: no note text in logs or error messages ------------------------------------------
#
# Issue 3: "No note text in logs or error messages". Tests write answers holding markers
# that start with ``KANARIE-`` (tests/test_canary.py). ``canary_watch`` looks at every log
# record made while a test runs - every logger, nysoc's own at every level (DEBUG included):
# the message, the exception with its traceback, the stack - and at every nysoc error
# message formatted (``NysocError.message``, ``FieldValueError.message``: what the forms, the
# notices and the CLI show), and fails the test if one holds the marker. A test that leaks
# on purpose (to prove the watch works) inspects ``canary_watch.found`` and clears it.

CANARY_PREFIX = "KANARIE-"


class CanaryWatch:
    """Where a canary marker turned up during a test, with the text it was in."""

    def __init__(self) -> None:
        self.found: list[str] = []

    def check(self, where: str, text: str) -> None:
        if CANARY_PREFIX in text:
            self.found.append(f"{where}: {text}")

    def clear(self) -> None:
        self.found.clear()


def _log_text(record: logging.LogRecord) -> str:
    """Everything a handler could write for ``record``."""
    import traceback

    try:
        parts = [record.getMessage()]
    except Exception:  # noqa: BLE001 - a malformed record: look at its parts instead
        parts = [str(record.msg), repr(record.args)]
    if record.exc_info and record.exc_info[1] is not None:
        parts += traceback.format_exception(*record.exc_info)
    parts += [record.exc_text or "", record.stack_info or ""]
    return "\n".join(parts)


@pytest.fixture(autouse=True)
def canary_watch() -> Iterator[CanaryWatch]:
    """Fail the test if a log record or a nysoc error message holds ``KANARIE-``."""
    from nysoc_widgets.errors import NysocError
    from nysoc_widgets.fields import FieldValueError

    watch = CanaryWatch()
    make_record = logging.getLogRecordFactory()

    def watched_record(*args: object, **kwargs: object) -> logging.LogRecord:
        record = make_record(*args, **kwargs)
        watch.check(f"log record ({record.name}, {record.levelname})", _log_text(record))
        return record

    def watched(cls: type) -> object:
        message = cls.message

        def watched_message(self: Exception, lang: str = "da") -> str:
            text: str = message(self, lang)
            watch.check(f"{type(self).__name__} message", text)
            return text

        return watched_message

    nysoc_log = logging.getLogger("nysoc_widgets")
    level = nysoc_log.level
    nysoc_log.setLevel(logging.DEBUG)
    logging.setLogRecordFactory(watched_record)
    try:
        with pytest.MonkeyPatch.context() as patch:
            for cls in (NysocError, FieldValueError):
                patch.setattr(cls, "message", watched(cls))
            yield watch
    finally:
        logging.setLogRecordFactory(make_record)
        nysoc_log.setLevel(level)
    if watch.found:
        pytest.fail("note text (a KANARIE- marker) reached a log or an error message:\n"
                    + "\n".join(watch.found[:5]), pytrace=False)
