"""Debounced autosave: run an action a moment after the last change, and never wait long.

While someone types, changes arrive many times a second. ``Debouncer.trigger`` runs the
action ``delay`` seconds after the last trigger, but at least every ``max_wait`` seconds
while triggers keep coming, so a crash loses at most a few seconds of writing. Inside a
kernel the timer runs on the kernel's event loop; elsewhere on a timer thread.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

__all__ = ["Debouncer"]


class Debouncer:
    """Call ``action`` after a quiet ``delay``, or after ``max_wait`` of constant changes."""

    def __init__(self, action: Callable[[], object], delay: float = 1.5,
                 max_wait: float = 4.0) -> None:
        self.action = action
        self.delay = delay
        self.max_wait = max_wait
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
        self.action()

    def cancel(self) -> None:
        """Forget pending changes without acting (e.g. after the record was saved)."""
        with self._lock:
            self._cancel()
            self._first_pending = None

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
