"""The debouncer behind autosave: acts after a quiet moment, never waits too long."""

from __future__ import annotations

import time

from nysoc_widgets.autosave import Debouncer


def wait_for(predicate, seconds: float = 3.0) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while not predicate() and time.monotonic() < deadline:
        time.sleep(0.01)
    return bool(predicate())


def test_acts_once_after_a_burst_of_changes() -> None:
    calls: list[float] = []
    debouncer = Debouncer(lambda: calls.append(time.monotonic()), delay=0.1, max_wait=5)
    for _ in range(20):
        debouncer.trigger()
    assert calls == [] and debouncer.pending
    assert wait_for(lambda: len(calls) == 1)
    time.sleep(0.2)
    assert len(calls) == 1 and not debouncer.pending


def test_constant_typing_still_saves_every_max_wait() -> None:
    calls: list[float] = []
    debouncer = Debouncer(lambda: calls.append(time.monotonic()), delay=0.2, max_wait=0.3)
    end = time.monotonic() + 1.0
    while time.monotonic() < end:  # a change every 50 ms: the quiet delay never passes
        debouncer.trigger()
        time.sleep(0.05)
    assert len(calls) >= 2, "a crash while typing loses at most max_wait seconds"
    debouncer.cancel()


def test_flush_acts_now_and_cancel_forgets() -> None:
    calls: list[int] = []
    debouncer = Debouncer(lambda: calls.append(1), delay=10)
    debouncer.trigger()
    debouncer.flush()
    assert calls == [1]
    debouncer.trigger()
    debouncer.cancel()
    debouncer.flush()
    assert calls == [1]
