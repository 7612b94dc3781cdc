"""Trying a save again that the store was too busy to take (another window held it).

A busy store (``store.busy``, see :func:`~nysoc_widgets.store.retryable`) is worth another
try: the form keeps every answer, says it is not saved yet, and saves again after 5, 15 and
30 seconds (:data:`RETRY_DELAYS`). Any other refusal (a read-only or full disk) needs a
person, so it is not retried. A click on *Gem* in between saves at once and cancels the
pending try.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from . import i18n
from .autosave import Debouncer
from .errors import StoreError
from .store import retryable

__all__ = ["RETRY_DELAYS", "SaveRetry"]

_t = i18n.scope("forms")

#: Seconds before each automatic new try of a save the store was too busy to take.
RETRY_DELAYS = (5.0, 15.0, 30.0)


class SaveRetry:
    """The pending new try of a refused save; ``save(final)`` is the form's own save."""

    def __init__(self, save: Callable[[bool], Any]) -> None:
        self._save = save
        self.timer = Debouncer(self._again, delay=5.0, max_wait=3600)
        self.attempt = 0
        self.final = True

    @property
    def pending(self) -> bool:
        """True while a new try is waiting."""
        return self.timer.pending

    def cancel(self) -> None:
        """Drop the waiting try (the user saves now)."""
        self.timer.cancel()

    def succeeded(self) -> None:
        """A save went through: the next refusal starts from the first delay again."""
        self.attempt = 0

    def refused(self, error: StoreError, final: bool) -> str:
        """A save ``error`` refused: plan a new try if it is worth one (busy, and tries are
        left); returns the Danish message that says what happens."""
        if retryable(error) and self.attempt < len(RETRY_DELAYS):
            delay = RETRY_DELAYS[self.attempt]
            self.attempt += 1
            self.timer.delay = delay
            self.final = final
            self.timer.trigger()
            return _t("busy_retrying", seconds=delay)
        self.attempt = 0
        return _t("not_saved_store", reason=str(error))

    def _again(self) -> None:
        self._save(self.final)
