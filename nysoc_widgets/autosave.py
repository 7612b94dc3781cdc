"""Debounced autosave: run an action a moment after the last change, and never wait long.

While someone types, changes arrive many times a second. ``Debouncer.trigger`` runs the
action ``delay`` seconds after the last trigger, but at least every ``max_wait`` seconds
while triggers keep coming, so a crash loses at most a few seconds of writing. Inside a
kernel the timer runs on the kernel's event loop; elsewhere on a timer thread.

A debouncer made with ``at_exit=True`` also acts on a change still pending when the process
ends normally: a kernel that is shut down or restarted (JupyterLab's "Shut Down Kernel",
Voilà ending the kernel of a closed tab, the server stopped with Ctrl+C) runs Python's exit
handlers first. A killed process (SIGKILL, a power cut) runs nothing; there ``max_wait``
bounds what is lost. Measured in a browser (``tests/test_browser_drafts.py``), the two
defaults keep the store's draft 2–3 s behind a person typing without a pause at worst.
"""

from __future__ import annotations

import atexit
import logging
import threading
import time
import weakref
from collections.abc import Callable
from typing import Any

__all__ = ["Debouncer", "flush_at_exit"]

log = logging.getLogger(__name__)

#: The debouncers made with ``at_exit=True`` that have a change pending.
_PENDING_AT_EXIT: weakref.WeakSet[Debouncer] = weakref.WeakSet()
_exit_hook_registered = False


class Debouncer:
    """Call ``action`` after a quiet ``delay``, or after ``max_wait`` of constant changes;
    with ``at_exit``, also when the process ends with a change pending."""

    def __init__(self, action: Callable[[], object], delay: float = 1.5,
                 max_wait: float = 2.0, *, at_exit: bool = False) -> None:
        self.action = action
        self.delay = delay
        self.max_wait = max_wait
        self.at_exit = at_exit
        self._first_pending: float | None = None
        self._handle: Any = None
        self._lock = threading.RLock()

    @property
    def pending(self) -> bool:
        """True while a change waits to be acted on."""
        return self._first_pending is not None

    def trigger(self) -> None:
        """Note a change: (re)start the quiet timer, or act now if it has waited too long."""
        with self._lock:
            now = time.monotonic()
            if self._first_pending is None:
                self._first_pending = now
                if self.at_exit:
                    _keep_for_exit(self)
            if now - self._first_pending >= self.max_wait:
                self.flush()
                return
            self._cancel()
            self._handle = self._schedule(self.delay, self.flush)

    def flush(self) -> None:
        """Act now if a change is pending (e.g. before an explicit save)."""
        with self._lock:
            self._cancel()
            if self._first_pending is None:
                return
            self._first_pending = None
            _PENDING_AT_EXIT.discard(self)
        self.action()

    def cancel(self) -> None:
        """Forget pending changes without acting (e.g. after the record was saved)."""
        with self._lock:
            self._cancel()
            self._first_pending = None
            _PENDING_AT_EXIT.discard(self)

    def _cancel(self) -> None:
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None

    @staticmethod
    def _schedule(delay: float, callback: Callable[[], None]) -> Any:
        import asyncio  # already loaded in a kernel; spares a plain import ~15 ms

        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            timer = threading.Timer(delay, callback)
            timer.daemon = True
            timer.start()
            return timer
        return loop.call_later(delay, callback)


def flush_at_exit() -> None:
    """Act now on every change pending in a debouncer made with ``at_exit=True``.

    Registered with :mod:`atexit` at the first such change in the process. A failing action
    is logged (its exception's type only: never the text) and the others still act.
    """
    for debouncer in list(_PENDING_AT_EXIT):
        try:
            debouncer.flush()
        except Exception as exc:  # noqa: BLE001 - the process is ending; the rest still act
            log.warning("nysoc: a pending autosave failed at exit: %s", type(exc).__name__)


def _keep_for_exit(debouncer: Debouncer) -> None:
    """Note ``debouncer``'s pending change for :func:`flush_at_exit`.

    The hook is registered at the first change, not at import or when a form is built:
    :mod:`atexit` runs the last registered first, so it runs before the ``weakref.finalize``
    hooks that close the stores of forms built earlier (``nysoc.form`` makes one per form).
    """
    global _exit_hook_registered
    _PENDING_AT_EXIT.add(debouncer)
    if not _exit_hook_registered:
        atexit.register(flush_at_exit)
        _exit_hook_registered = True
