"""The canary: a unique marker in every free-text answer of every form of the catalogue,
then everything a coordinator can get is built and searched. The marker appears nowhere.
A choice among the pair's saved records (``choices_from_saved``) picks a marker too: the
title of the pair's own learning goal (in the logbook, the meeting and the coaching).

Also here: the test would catch a leak (each rule switched off lets a marker through); the
form's error paths keep note text out of logs and error messages (the ``canary_watch``
fixture in ``conftest.py`` fails any test whose logs or nysoc errors hold ``KANARIE-``);
JupyterLab never saves widget state (the raw answers) into a notebook.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from canary_helpers import FREE_TEXT, PAIRING, PREFIX, Canaries, marker, write_canaries

from nysoc_widgets import boundary
from nysoc_widgets.boundary import shareable_record, shareable_summary
from nysoc_widgets.records import Record
from nysoc_widgets.store import Store
from nysoc_widgets.templates import Template
from nysoc_widgets.workspace import init_workspace


@pytest.fixture(scope="module")
def canaries(tmp_path_factory: pytest.TempPathFactory) -> Canaries:
    return write_canaries(tmp_path_factory.mktemp("kanarie") / "ws")


def coordinator_outputs(canaries: Canaries) -> dict[str, str]:
    """Everything a coordinator (or anything shareable) can get, as text."""
    outputs: dict[str, str] = {}
    with canaries.ws.open_store() as store:
        for rec in store.list_records(pairing=PAIRING):
            template = canaries.catalogue.get(rec.template_id)
            outputs[f"shareable_record {rec.template_id} {rec.status} {rec.id}"] = json.dumps(
                shareable_record(rec, template), ensure_ascii=False)
        summary = shareable_summary(store, PAIRING, canaries.catalogue,
                                    today=dt.date(2026, 12, 1))
    outputs["shareable_summary"] = json.dumps(summary, ensure_ascii=False)
    outputs["shareable_summary (ascii)"] = json.dumps(summary)
    outputs["shareable_summary (repr)"] = repr(summary)
    outputs["shareable export (html)"] = shareable_export(canaries)
    outputs.update(shared_outputs(canaries))
    return outputs


def shared_outputs(canaries: Canaries) -> dict[str, str]:
    """What ``share`` gives: the file in the share folder (``share_summary``, the share
    button, ``nysoc share``), the preview as text and HTML, the button's view and the
    command's output."""
    import contextlib
    import io

    from nysoc_widgets import cli
    from nysoc_widgets.share_view import ShareView
    from nysoc_widgets.sharing import preview, preview_html, share_summary

    folder = canaries.ws.root.parent / "delt"
    folder.mkdir(exist_ok=True)
    ws = dataclasses.replace(canaries.ws, share_folder=folder)
    now = dt.datetime(2026, 12, 1, 9, tzinfo=dt.timezone.utc)
    path = share_summary(ws, now=now)
    outputs = {"share file": path.read_text(encoding="utf-8")}
    summary = json.loads(outputs["share file"])
    outputs["share preview (text)"] = preview(summary, canaries.catalogue)
    outputs["share preview (html)"] = preview_html(summary, canaries.catalogue)
    view = ShareView(ws, now=lambda: now)
    view.agree.value = True
    view.button.click()
    outputs["share button (view)"] = "\n".join(
        str(getattr(child, "value", "")) for child in [*view.children, view.preview.html])
    outputs["share button (file)"] = path.read_text(encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(["share", "--workspace", str(ws.root), "--to", str(folder), "--ja"])
    assert code == 0, err.getvalue()
    outputs["nysoc share (output)"] = out.getvalue() + err.getvalue()
    outputs["nysoc share (file)"] = path.read_text(encoding="utf-8")
    return outputs


def shareable_export(canaries: Canaries) -> str:
    """``nysoc export --shareable`` of a notebook holding every record's saved output."""
    import nbformat

    from nysoc_widgets.export_files import export_notebook
    from nysoc_widgets.render import record_bundle

    with canaries.ws.open_store() as store:
        records = store.list_records(pairing=PAIRING)
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Alle notater")])
    for rec in records:
        cell = nbformat.v4.new_code_cell(f'nysoc.form("{rec.template_id}")')
        cell.outputs = [nbformat.v4.new_output(
            "display_data", data=record_bundle(canaries.catalogue.get(rec.template_id), rec))]
        nb.cells.append(cell)
    path = canaries.ws.root / "Alle.ipynb"
    nbformat.write(nb, path)
    html = export_notebook(path, shareable=True).read_text(encoding="utf-8")
    assert html.count("nysoc-shareable") >= 12, "the export still says something"
    return html


# -- the canary ----------------------------------------------------------------------------

def test_every_free_text_field_of_every_form_holds_a_marker(canaries: Canaries) -> None:
    with canaries.ws.open_store() as store:
        stored = json.dumps([r.values for r in store.list_records(pairing=PAIRING)],
                            ensure_ascii=False)
    for template in canaries.catalogue:
        for fld in template.fields:
            if fld.kind in FREE_TEXT or (fld.kind == "per_item" and fld.entry in FREE_TEXT):
                assert f"{PREFIX}{template.id}-{fld.id}-" in stored, (template.id, fld.id)
    assert sorted(canaries.leaked(stored)) == sorted(canaries.all(rounds=(1, 2)))


def test_the_pairs_own_goal_is_picked_in_the_logbook_the_meeting_and_coaching(
        canaries: Canaries) -> None:
    own_goals = [m for m in canaries.markers["laeringsmaal"] if "-egne-0-1-" in m]
    with canaries.ws.open_store() as store:
        latest = {r.template_id: r.values for r in store.list_records(pairing=PAIRING)
                  if r.status == "final"}
    assert latest["logbog"]["laeringsmaal"][0] in own_goals
    assert latest["mentormoede"]["konkret_laeringsmaal"] in own_goals
    assert latest["coaching"]["laeringsmaal"] in own_goals
    assert latest["logbog"]["mentormoede"].startswith(PREFIX + "logbog-mentormoede-")


def test_no_marker_reaches_the_coordinator(canaries: Canaries) -> None:
    outputs = coordinator_outputs(canaries)
    assert len(outputs) > 12 * 2
    leaks = {name: canaries.leaked(text) for name, text in outputs.items()}
    assert {name: found for name, found in leaks.items() if found} == {}


def test_the_pairs_own_overviews_hold_no_text_either(canaries: Canaries) -> None:
    """Not coordinator data, but documented as "counts and dates only, never text" – apart
    from the titles of the pair's own current learning goals, which the logbook summary
    counts (the mentee's own summary, in her own workspace)."""
    from nysoc_widgets.start import workspace_status
    from nysoc_widgets.summaries import summarise

    outputs = {}
    for template in canaries.catalogue:
        if template.kind == "form":
            summary = summarise(canaries.ws, template.id)
            outputs[f"summary {template.id}"] = repr(summary) + summary._repr_html_()
    status = workspace_status(canaries.ws)
    outputs["status"] = repr(status) + status._repr_html_()
    own_goals = {m for m in canaries.markers["laeringsmaal"] if "-egne-" in m}
    leaks = {name: sorted(set(canaries.leaked(text)) - own_goals)
             for name, text in outputs.items()}
    assert {name: found for name, found in leaks.items() if found} == {}
    shown = canaries.leaked(outputs["summary logbog"])
    assert shown and set(shown) <= own_goals, "the logbook summary names the pair's own goal"


def test_the_summary_still_says_something(canaries: Canaries) -> None:
    outputs = coordinator_outputs(canaries)
    summary = json.loads(outputs["shareable_summary"])
    assert summary["meetings"]["held"] and summary["learning_goals"]
    assert summary["evaluation"]["consent"] == "ja" and summary["evaluation"]["average"]
    assert any(g["own"] for g in summary["learning_goals"])
    shared = json.loads(outputs["nysoc share (file)"])
    assert shared["pairing"]["id"] == PAIRING and shared["shared"]["by"] == "mentor"
    assert shared["evaluation"]["scores"] and shared["records"]
    assert "Eget læringsmål 1" in outputs["share preview (text)"]
    assert "Delt kl. 10.00" in outputs["share button (view)"]
    assert outputs["nysoc share (output)"].rstrip().endswith("par-kanarie.nysoc-summary.json")


def test_without_the_boundary_the_shared_file_and_preview_would_leak(
        canaries: Canaries, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(boundary, "shareable_record", leaky_record)
    outputs = shared_outputs(canaries)
    for name in ("share file", "share preview (text)", "share preview (html)",
                 "nysoc share (output)"):
        assert set(canaries.all(rounds=(1, 2))) <= set(canaries.leaked(outputs[name])), name


# -- the canary would catch a leak ---------------------------------------------------------

def leaky_record(record: Record, template: Template) -> dict[str, Any]:
    """A boundary with every rule gone: the record's answers as they are."""
    return {"pairing": record.pairing, "template_id": record.template_id,
            "template_version": record.template_version, "status": record.status,
            "created": record.created[:10], "updated": record.updated[:10],
            "versions": record.version, "fields": dict(record.values)}


def test_without_the_boundary_every_marker_of_a_saved_record_is_caught(
        canaries: Canaries, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(boundary, "shareable_record", leaky_record)
    found = set(canaries.leaked(coordinator_outputs(canaries)["shareable_summary"]))
    assert set(canaries.all(rounds=(1, 2))) <= found, "every current answer is searched"
    assert not set(canaries.all(rounds=(3,))) & found, "autosaved drafts are never read"


def test_without_neutral_labels_own_goal_titles_leak(canaries: Canaries,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(boundary, "_neutral_items", lambda _t, _f, _v, answer: answer)
    found = canaries.leaked(coordinator_outputs(canaries)["shareable_summary"])
    assert found and all(m.startswith(f"{PREFIX}laeringsmaal-egne-") for m in found)


# -- logs and error messages ---------------------------------------------------------------

@pytest.fixture
def meeting(tmp_path: Path) -> Iterator[tuple[Template, Store]]:
    """The meeting template and an open store with the pairing P1."""
    ws = init_workspace(tmp_path / "ws", "mentee", pairing="P1")
    store = ws.open_store()
    try:
        yield ws.catalogue().get("mentormoede"), store
    finally:
        store.close()


def nysoc_logs(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name.startswith("nysoc_widgets")]


def canary_form(template: Template, store: Store) -> tuple[Any, list[str]]:
    from nysoc_widgets.forms import Form

    form = Form(template, store, pairing="P1", author_role="mentee", autosave_delay=60)
    markers = []
    for fld in template.fields:
        if fld.kind in ("short_text", "long_text"):
            markers.append(marker(template.id, fld.id))
            form.controls[fld.id].value = markers[-1]
    form.controls["dato"].value = dt.date(2026, 3, 4)
    return form, markers


def test_a_save_into_a_closed_store_says_so_in_danish_without_the_text(
        meeting: tuple[Template, Store], caplog: pytest.LogCaptureFixture) -> None:
    template, store = meeting
    form, markers = canary_form(template, store)
    store.close()
    caplog.set_level(logging.DEBUG)
    form.save_button.click()
    assert "databasen er lukket" in form.message.value
    assert 'role="alert"' in form.message.value
    assert form.controls["opsamling"].value.startswith(PREFIX), "the text stays in the form"
    assert not any(m in form.message.value or m in caplog.text for m in markers)


def test_an_unexpected_save_error_is_logged_without_the_text(
        meeting: tuple[Template, Store], caplog: pytest.LogCaptureFixture,
        monkeypatch: pytest.MonkeyPatch) -> None:
    template, store = meeting
    form, markers = canary_form(template, store)

    def broken(record: Record, *_args: Any, **_kwargs: Any) -> Record:
        assert any(m in json.dumps(record.values) for m in markers), "the text reached it"
        message = "disk I/O error"  # not on the raising line: code lines are logged
        raise RuntimeError(message)

    monkeypatch.setattr(store, "save_record", broken)
    caplog.set_level(logging.DEBUG)
    form.save_button.click()
    store.close()
    assert "Noget gik galt (RuntimeError)" in form.message.value
    assert nysoc_logs(caplog)[0].startswith("nysoc form callback failed: RuntimeError")
    assert "disk I/O error" not in caplog.text, "the type and code path, not the message …"
    assert not any(m in caplog.text or m in form.message.value for m in markers), "… not text"


def test_a_failed_autosave_is_logged_without_the_text(
        meeting: tuple[Template, Store], caplog: pytest.LogCaptureFixture,
        monkeypatch: pytest.MonkeyPatch) -> None:
    template, store = meeting
    form, markers = canary_form(template, store)

    def broken(*_args: Any, **_kwargs: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(store, "save_draft", broken)
    caplog.set_level(logging.DEBUG)
    assert form.autosave.pending
    form.autosave.flush()
    store.close()
    assert nysoc_logs(caplog) == ["nysoc autosave failed: OSError"]
    assert not any(m in caplog.text for m in markers)


def test_the_canary_watch_catches_a_marker_in_a_log_or_an_error(canary_watch: Any) -> None:
    from nysoc_widgets.errors import RecordNotFoundError

    logging.getLogger("nysoc_widgets.test").debug("noted %s", PREFIX + "log")
    str(RecordNotFoundError(what="notat", record_id=PREFIX + "error"))
    found = "\n".join(canary_watch.found)
    assert "KANARIE-log" in found and "KANARIE-error" in found
    canary_watch.clear()  # caught; let this test pass


# -- widget state ----------------------------------------------------------------------------

def test_jupyterlab_never_saves_widget_state_into_a_notebook(tmp_path: Path) -> None:
    from nysoc_widgets.lab import LAB_SETTINGS, write_lab_settings

    plugin = "@jupyter-widgets/jupyterlab-manager:plugin"
    assert LAB_SETTINGS[plugin] == {"saveState": False}
    written = json.loads(write_lab_settings(tmp_path).read_text(encoding="utf-8"))
    assert written[plugin]["saveState"] is False
