"""The debouncer behind autosave: acts after a quiet moment, never waits too long, and acts
on a change still pending when the process (a kernel) ends normally."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from nysoc_widgets.autosave import Debouncer
from nysoc_widgets.store import DraftKey, Store
from nysoc_widgets.workspace import init_workspace

REPO = Path(__file__).resolve().parent.parent


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


def test_the_default_max_wait_keeps_a_typists_draft_two_seconds_behind(tmp_path: Path) -> None:
    """A person typing without a pause never waits out the quiet delay; the store's draft
    still follows within ``max_wait`` (the browser test adds the trip to the kernel)."""
    import nysoc_widgets as nysoc

    ws = init_workspace(tmp_path / "ws", "mentee", mentee="Test Mentee")
    form = nysoc.form("logbog", workspace=ws)
    assert form.autosave.max_wait == 2.0
    key = DraftKey(ws.pairing or "", "logbog", "", "mentee")
    text, typed_at, behind = "", [], []
    start = time.monotonic()
    while time.monotonic() - start < 2.6:  # a key every 50 ms: never 1.5 s of quiet
        text += "æ"
        form.controls["i_tvivl_om"].value = text
        typed_at.append(time.monotonic())
        draft = form.store.get_draft(key)
        kept = len(draft.values["i_tvivl_om"]) if draft else 0
        behind.append(typed_at[-1] - (typed_at[kept - 1] if kept else start))
        time.sleep(0.05)
    form.autosave.cancel()
    assert 0 < max(behind) <= 2.0 + 0.2, f"the draft fell {max(behind):.2f} s behind"


def run_python(code: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """Run ``code`` in a new Python process that imports this checkout; it must succeed."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        p for p in (str(REPO), os.environ.get("PYTHONPATH")) if p))
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done


def test_a_pending_change_is_acted_on_when_the_process_ends(tmp_path: Path) -> None:
    done = run_python("""
import logging, pathlib
from nysoc_widgets.autosave import Debouncer

logging.basicConfig()
def write(name):
    def action():
        pathlib.Path(name).write_text("acted")
    return action
def fail():
    raise RuntimeError("KANARIE-never-shown")

kept = Debouncer(write("kept"), delay=60, at_exit=True)
kept.trigger()
failing = Debouncer(fail, delay=60, at_exit=True)
failing.trigger()
Debouncer(write("not-at-exit"), delay=60).trigger()
cancelled = Debouncer(write("cancelled"), delay=60, at_exit=True)
cancelled.trigger()
cancelled.cancel()
flushed = Debouncer(write("flushed"), delay=60, at_exit=True)
flushed.trigger()
flushed.flush()
pathlib.Path("flushed").unlink()  # acted once, while running: not again at exit
""", tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kept"]
    # A failing action is logged by its type only, and the others still act.
    assert "a pending autosave failed at exit: RuntimeError" in done.stderr
    assert "KANARIE" not in done.stderr


def test_a_form_whose_kernel_ends_mid_sentence_keeps_its_draft(tmp_path: Path) -> None:
    """As a kernel that is shut down 0.1 s after the last key: the quiet delay (1.5 s) has
    not passed, and the draft is written on the way out, before the form's store closes."""
    ws = init_workspace(tmp_path / "ws", "mentee", mentee="Test Mentee")
    text = "Jeg blev i tvivl om, hvor meget jeg måtte fortælle mor"
    run_python(f"""
import time
import nysoc_widgets as nysoc

form = nysoc.form("logbog", workspace={str(ws.root)!r})
form.controls["i_tvivl_om"].value = {text!r}
assert form.autosave.pending
time.sleep(0.1)
""", tmp_path)
    with Store.open(ws.store_path) as store:
        draft = store.get_draft(DraftKey(ws.pairing or "", "logbog", "", "mentee"))
        assert store.list_records(pairing=ws.pairing) == []
    assert draft is not None and draft.values["i_tvivl_om"] == text
