"""The ``nysoc`` command: Danish help, exit codes 0/1/2, init, demo, lab and templates.

Most tests call ``cli.main([...])`` in-process; ``test_runs_as_a_module`` starts a real
``python -m nysoc_widgets``. ``lab`` is tested through the pure ``lab_command`` and a fake
``subprocess.Popen``: no server is started here.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from cli_helpers import one_line, run

from nysoc_widgets import cli, demo, lab, workspace
from nysoc_widgets.catalogue import Catalogue
from nysoc_widgets.errors import NysocError
from nysoc_widgets.records import problems
from nysoc_widgets.store import Store
from nysoc_widgets.templates import parse_template

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).parent / "data" / "templates"
TODAY = dt.date(2026, 11, 23)
PLACEHOLDER = '{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}\n'


@pytest.fixture
def notebooks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The shipped notebooks, or placeholders in tmp_path while they are not written yet."""
    names = {n for names in workspace.ROLE_NOTEBOOKS.values() for n in names}
    real = workspace.notebooks_dir()
    if all((real / n).is_file() for n in names):
        return real
    folder = tmp_path / "placeholder-notebooks"
    folder.mkdir()
    for name in names:
        (folder / name).write_text(PLACEHOLDER, encoding="utf-8")
    monkeypatch.setattr(workspace, "notebooks_dir", lambda: folder)
    return folder


@pytest.fixture
def nowhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A current folder with no workspace in or above it, and no NYSOC_WORKSPACE."""
    folder = tmp_path / "ingen-arbejdsomraade"
    folder.mkdir()
    monkeypatch.chdir(folder)
    monkeypatch.delenv("NYSOC_WORKSPACE", raising=False)
    return folder




# --- help, version, usage errors -----------------------------------------------------------

@pytest.mark.parametrize("command", [
    [], ["init"], ["demo"], ["lab"], ["templates"], ["templates", "list"],
    ["templates", "show"], ["templates", "check"],
], ids=lambda c: " ".join(c) or "nysoc")
def test_help_is_danish(capsys: pytest.CaptureFixture[str], command: list[str]) -> None:
    code, out, _ = run(capsys, *command, "--help")
    assert code == 0
    assert out.startswith("Brug: nysoc") and "vis denne hjælp og afslut" in out
    for english in ("usage:", "options:", "positional arguments", "show this help"):
        assert english not in out


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "--version")[:2] == (0, "nysoc 0.1.0\n")


@pytest.mark.parametrize(("argv", "message"), [
    ([], "dette skal angives: KOMMANDO"),
    (["init", "x"], "dette skal angives: --role"),
    (["init", "x", "--role", "chef"], "--role: 'chef' er ikke en af mulighederne"),
    (["init", "x", "--role", "mentee", "--start", "2026-13-01"], "--start: '2026-13-01' er ikke"),
    (["init", "x", "--role", "mentee", "--pairing", 'a"b'], "kan ikke bruges som id"),
    (["init", "x", "--role", "mentee", "--templates", 'a"b'], "anførselstegn"),
    (["lab", "--port", "99999"], "'99999' er ikke et portnummer"),
    (["lab", "--port"], "--port: her mangler en værdi"),
    (["templates"], "dette skal angives: KOMMANDO"),
    (["demo", "x", "--ekstra"], "ukendte argumenter: --ekstra"),
], ids=["no-command", "no-role", "bad-role", "bad-date", "bad-pairing", "quote-in-folder",
        "bad-port", "port-without-value", "templates-alone", "unknown-option"])
def test_usage_errors_exit_2_in_danish(capsys: pytest.CaptureFixture[str], argv: list[str],
                                       message: str) -> None:
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == ""
    assert err.startswith("Brug: nysoc") and "fejl: " in err and message in err
    assert "error:" not in err


@pytest.mark.parametrize(("english", "danish"), [
    ("the following arguments are required: MAPPE", "dette skal angives: MAPPE"),
    ("argument --role: invalid choice: 'x' (choose from 'a', 'b')",
     "--role: 'x' er ikke en af mulighederne ('a', 'b')"),
    ("argument N: invalid int value: 'x'", "N: 'x' er ikke en gyldig værdi"),
    ("ambiguous option: --w could match --workspace, --wide",
     "--w kan betyde flere ting: --workspace, --wide"),
    ("something argparse says one day", "something argparse says one day"),
], ids=["required", "choice", "type", "ambiguous", "unknown-kept"])
def test_argparse_messages_are_translated(english: str, danish: str) -> None:
    assert cli.danish_usage_error(english) == danish


@pytest.mark.parametrize(("parse", "value", "message"), [
    (cli._date, "23-11-2026", "'23-11-2026' er ikke en dato; skriv den som ÅÅÅÅ-MM-DD"),
    (cli._date, "2026-02-30", "'2026-02-30' er ikke en dato"),
    (cli._port, "0", "'0' er ikke et portnummer"),
    (cli._port, "otte", "'otte' er ikke et portnummer"),
    (cli._pairing_id, "-par", "'-par' kan ikke bruges som id"),
], ids=["date-format", "no-such-day", "port-zero", "port-word", "pairing-dash"])
def test_argument_types_reject_in_danish(parse: Any, value: str, message: str) -> None:
    with pytest.raises(argparse.ArgumentTypeError, match=re.escape(message)):
        parse(value)


# --- errors at the edge ----------------------------------------------------------------

@pytest.mark.parametrize(("raised", "expected"), [
    (ValueError("boom"), "Fejl: der skete en uventet fejl (ValueError: boom)"),
    (PermissionError(13, "Permission denied", "/srv/x"),
     "Fejl: /srv/x kan ikke bruges: du har ikke adgang til den"),
    (OSError(5, "Input/output error", "/srv/x"),
     "Fejl: /srv/x kan ikke bruges: Input/output error"),
    (NysocError("cli.not_a_folder", path="/srv/x"), "Fejl: Mappen /srv/x findes ikke."),
], ids=["unexpected", "os-error-in-danish", "os-error-as-given", "nysoc-error"])
def test_failures_are_one_danish_line_without_traceback(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        raised: Exception, expected: str) -> None:
    def explode(args: argparse.Namespace) -> int:
        raise raised

    monkeypatch.delenv("NYSOC_DEBUG", raising=False)
    monkeypatch.setattr(cli, "_templates_list", explode)
    code, _, err = run(capsys, "templates", "list")
    assert code == 1
    assert one_line(err).startswith(expected)


def test_debug_shows_the_traceback(capsys: pytest.CaptureFixture[str],
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    def explode(args: argparse.Namespace) -> int:
        raise ValueError("boom")

    monkeypatch.setenv("NYSOC_DEBUG", "1")
    monkeypatch.setattr(cli, "_templates_list", explode)
    code, _, err = run(capsys, "templates", "list")
    assert code == 1 and "Traceback" in err and err.strip().endswith(
        "og send dem til jeres IT-support.")


def test_ctrl_c_exits_130(capsys: pytest.CaptureFixture[str],
                          monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(args: argparse.Namespace) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "_templates_list", interrupted)
    assert run(capsys, "templates", "list")[::2] == (130, "Afbrudt.\n")


@pytest.mark.parametrize("argv", [
    ["--help"], ["templates", "show", "findes_ikke"], ["init"],
], ids=["help-0", "unknown-template-1", "usage-2"])
def test_runs_as_a_module(argv: list[str]) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("NYSOC_DEBUG", None)
    done = subprocess.run([sys.executable, "-m", "nysoc_widgets", *argv], env=env,
                          capture_output=True, text=True, timeout=60)
    expected = {"--help": 0, "templates": 1, "init": 2}[argv[0]]
    assert done.returncode == expected, done.stderr
    if expected == 0:
        assert "Kommandoer:" in done.stdout and done.stderr == ""
    elif expected == 1:
        assert one_line(done.stderr).startswith(
            "Fejl: Der findes ingen skabelon med id'et 'findes_ikke'.")
    else:
        assert "nysoc init: fejl: dette skal angives:" in done.stderr


# --- init --------------------------------------------------------------------------------

@pytest.mark.parametrize("role", ["mentee", "mentor", "koordinator"])
def test_init_makes_config_store_and_notebooks(
        capsys: pytest.CaptureFixture[str], tmp_path: Path, notebooks: Path, role: str) -> None:
    made = list(workspace.ROLE_NOTEBOOKS[role])
    target = tmp_path / "ws"
    code, out, err = run(capsys, "init", target, "--role", role, "--mentor", "Hanne",
                         "--department", "Børn og Familie", "--start", "2026-08-01")
    assert (code, err) == (0, "")
    assert {p.name for p in target.iterdir()} == {"nysoc.toml", "nysoc.db", *made}
    ws = workspace.Workspace.load(target)
    assert ws.role == role
    assert out.startswith(f"Arbejdsområdet er oprettet i {target}")
    assert f"Notesbøger:     {', '.join(made)}" in out and f"nysoc lab {target}" in out
    with Store.open(target / "nysoc.db") as store:
        pairings = store.list_pairings()
    if role == "koordinator":
        assert ws.pairing is None and pairings == [] and "Mentorpar" not in out
    else:
        assert [(p.id, p.mentor, p.department, p.start_date) for p in pairings] == [
            (ws.pairing, "Hanne", "Børn og Familie", "2026-08-01")]
        assert f"Mentorpar:      {ws.pairing}" in out


def test_init_with_pairing_and_template_folder(capsys: pytest.CaptureFixture[str],
                                               tmp_path: Path, notebooks: Path) -> None:
    code, out, _ = run(capsys, "init", tmp_path / "ws", "--role", "mentor", "--pairing",
                       "par-7", "--templates", "skabeloner")
    ws = workspace.Workspace.load(tmp_path / "ws")
    assert code == 0 and ws.pairing == "par-7" and ws.templates == tmp_path / "ws" / "skabeloner"
    assert "skabeloner (findes ikke endnu" in out


def test_init_sets_how_long_the_pairings_data_is_kept(capsys: pytest.CaptureFixture[str],
                                                      tmp_path: Path, notebooks: Path) -> None:
    """An IT department (or the hub's start script) sets the retention when it makes the
    workspace; a wrong number is refused in Danish and makes nothing."""
    code, _, _ = run(capsys, "init", tmp_path / "ws", "--role", "mentee",
                     "--retention-months", "24")
    assert code == 0 and workspace.Workspace.load(tmp_path / "ws").retention_months == 24
    code, out, err = run(capsys, "init", tmp_path / "ws2", "--role", "mentee",
                         "--retention-months", "0")
    assert code == 2 and out == "" and not (tmp_path / "ws2").exists()
    assert "'0' er ikke et antal måneder; skriv et helt tal fra 1" in err


def test_init_refuses_an_existing_workspace(capsys: pytest.CaptureFixture[str],
                                            tmp_path: Path, notebooks: Path) -> None:
    assert run(capsys, "init", tmp_path, "--role", "mentee")[0] == 0
    before = (tmp_path / "nysoc.toml").read_bytes()
    code, out, err = run(capsys, "init", tmp_path, "--role", "mentor")
    assert (code, out) == (1, "")
    assert one_line(err) == (f"Fejl: Arbejdsområdet {tmp_path} kan ikke bruges: "
                             "her er allerede et arbejdsområde")
    assert (tmp_path / "nysoc.toml").read_bytes() == before


# --- demo --------------------------------------------------------------------------------

def test_demo_makes_pairings_at_every_phase(capsys: pytest.CaptureFixture[str],
                                            tmp_path: Path, notebooks: Path) -> None:
    start = time.perf_counter()
    code, out, err = run(capsys, "demo", tmp_path / "demo")
    seconds = time.perf_counter() - start
    assert (code, err) == (0, "") and seconds < 2.0
    ws = workspace.Workspace.load(tmp_path / "demo")
    assert (ws.role, ws.pairing) == ("mentee", demo.OWN_PAIRING)
    with ws.open_store() as store:
        pairings = {p.id: p for p in store.list_pairings()}
        records = store.list_records()
    assert len(pairings) == 5
    assert {p.department for p in pairings.values()} >= {
        "Børn og Familie", "Jobcenter – Ydelse", "Voksenhandicap"}
    kinds = {pid: {r.template_id for r in records if r.pairing == pid} for pid in pairings}
    assert kinds["demo-jobcenter-ydelse"] == {"forberedelse_mentor", "forberedelse_mentee"}
    assert "samarbejdsaftale" in kinds["demo-voksenhandicap"]
    assert "mentormoede" not in kinds["demo-voksenhandicap"]
    assert {"mentormoede", "logbog", "laeringsmaal"} <= kinds[demo.OWN_PAIRING]
    assert "evaluering" in kinds["demo-boern-unge-handicap"]
    for phase in ("Forberedelse", "Opstart", "Læring", "Afslutning"):
        assert phase in out


def test_demo_logbook_spans_three_months_with_goals(tmp_path: Path, notebooks: Path) -> None:
    result = demo.create_demo(tmp_path / "demo", today=TODAY)
    with result.workspace.open_store() as store:
        logbook = store.list_records(pairing=demo.OWN_PAIRING, template_id="logbog")
        goals = store.list_records(pairing=demo.OWN_PAIRING, template_id="laeringsmaal")
    dates = sorted(dt.date.fromisoformat(r.values["dato"]) for r in logbook)
    assert len(logbook) == 6 and 75 <= (dates[-1] - dates[0]).days <= 95
    assert dates[-1] <= TODAY and all(r.values["laeringsmaal"] for r in logbook)
    assert {r.author_role for r in logbook} == {"mentee"}
    assert set(goals[0].values["maal_status"].values()) == {"naaet", "i_gang", "ikke_startet"}


def test_demo_records_in_the_store_are_final_and_valid(tmp_path: Path,
                                                       notebooks: Path) -> None:
    result = demo.create_demo(tmp_path / "demo", today=TODAY)
    catalogue = Catalogue.load()
    with result.workspace.open_store() as store:
        records = store.list_records()
    assert {r.status for r in records} == {"final"}
    assert {r.id: problems(catalogue.get(r.template_id), r.values, final=True)
            for r in records} == {r.id: {} for r in records}


def test_demo_records_are_backdated_with_a_learning_goal_history(tmp_path: Path,
                                                                 notebooks: Path) -> None:
    from nysoc_widgets.phase import DAY_FIELDS, derive_phase

    result = demo.create_demo(tmp_path / "demo", today=TODAY)
    with result.workspace.open_store() as store:
        pairing = store.get_pairing(demo.OWN_PAIRING)
        records = store.list_records(pairing=demo.OWN_PAIRING)
        goals = [r for r in records if r.template_id == "laeringsmaal"]
        versions = store.versions(goals[0].id or "")
        everything = store.list_records()
    days = [v.saved[:10] for v in versions]
    assert len(versions) >= 3 and len(set(days)) == len(days) and days == sorted(days)
    assert (goals[0].created, goals[0].updated) == (versions[0].saved, versions[-1].saved)
    assert set(versions[0].values["maal_status"].values()) == {"ikke_startet"}
    statuses = [v.values["maal_status"]["Den svære samtale"] for v in versions]
    assert statuses[0] == "ikke_startet" and "i_gang" in statuses and statuses[-1] == "naaet"
    if "maal_bekraeftet" in versions[-1].values:
        assert versions[-1].values["maal_bekraeftet"]["Den svære samtale"] == "ja"
    for record in everything:  # written on the day it is about, and never in the future
        assert record.created[:10] < TODAY.isoformat()
        own = record.values.get(DAY_FIELDS.get(record.template_id, ""))
        if own:
            assert record.created[:10] == own
    began = derive_phase(records, TODAY, pairing=pairing).began
    assert list(began) == ["forberedelse", "opstart", "laering"]
    assert (TODAY - began["forberedelse"]).days > 80 and (TODAY - began["laering"]).days > 60
    assert len(set(began.values())) == 3


@pytest.mark.parametrize("pairing", [
    "demo-boern-familie", "demo-jobcenter-ydelse", "demo-voksenhandicap",
    "demo-sygedagpenge", "demo-boern-unge-handicap",
])
def test_demo_plan_passes_final_validation(pairing: str) -> None:
    catalogue = Catalogue.load()
    plan = {p.pairing.id: p for p in demo.demo_plan(catalogue, TODAY)}
    entries = plan[pairing].entries
    assert entries
    assert [problems(catalogue.get(e.template_id), values, final=True)
            for e in entries for _, values in e.history] \
        == [{}] * sum(len(e.history) for e in entries)


def test_demo_plan_is_deterministic_and_relative_to_today() -> None:
    catalogue = Catalogue.load()
    assert demo.demo_plan(catalogue, TODAY) == demo.demo_plan(catalogue, TODAY)
    later = demo.demo_plan(catalogue, TODAY + dt.timedelta(days=30))
    assert [p.pairing.start_date for p in later] == [
        (dt.date.fromisoformat(p.pairing.start_date) + dt.timedelta(days=30)).isoformat()
        for p in demo.demo_plan(catalogue, TODAY)]


def test_demo_texts_hold_no_personal_numbers() -> None:
    texts = json.dumps([e.values for p in demo.demo_plan(Catalogue.load(), TODAY)
                        for e in p.entries], ensure_ascii=False)
    assert not re.search(r"\b\d{6}-?\d{4}\b|\b\d{8}\b|@", texts)


def test_demo_fails_loudly_when_a_template_no_longer_fits(
        tmp_path: Path, notebooks: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken_plan(catalogue: Any, today: dt.date, seed: int = 0) -> list[demo.DemoPairing]:
        from nysoc_widgets.records import Pairing

        return [demo.DemoPairing(Pairing(demo.OWN_PAIRING), "laering",
                                 (demo.Entry("logbog", "mentee", {"dato": "i går"}),))]

    monkeypatch.setattr(demo, "demo_plan", broken_plan)
    with pytest.raises(ValueError, match="demo logbog is invalid: .*'dato'"):
        demo.create_demo(tmp_path / "demo")


def test_demo_refuses_an_existing_workspace(capsys: pytest.CaptureFixture[str],
                                           tmp_path: Path, notebooks: Path) -> None:
    assert run(capsys, "demo", tmp_path)[0] == 0
    code, _, err = run(capsys, "demo", tmp_path)
    assert code == 1 and "her er allerede et arbejdsområde" in one_line(err)


# --- lab ---------------------------------------------------------------------------------

def test_lab_command_serves_the_workspace_locally(tmp_path: Path) -> None:
    base = {"PATH": "/usr/bin", "JUPYTER_CONFIG_PATH": "/etc/extra"}
    cmd = lab.lab_command(tmp_path, port=8899, token="hemmelig", open_browser=False,
                          base_env=base, python="/venv/bin/python")
    assert cmd.argv[:3] == ["/venv/bin/python", "-m", "jupyterlab"]
    assert {f"--ServerApp.root_dir={tmp_path.resolve()}", "--ServerApp.ip=127.0.0.1",
            "--ServerApp.port=8899", "--ServerApp.port_retries=0",
            "--ServerApp.open_browser=False",
            "--LabApp.default_url=/lab/tree/Start_her.ipynb"} <= set(cmd.argv)
    assert not any("hemmelig" in a for a in cmd.argv) and "--ServerApp.allow_root=True" \
        not in cmd.argv
    assert cmd.env["NYSOC_WORKSPACE"] == str(tmp_path.resolve())
    assert cmd.env["JUPYTER_TOKEN"] == "hemmelig" and cmd.env["PATH"] == "/usr/bin"
    assert cmd.env["JUPYTER_CONFIG_PATH"] == os.pathsep.join(
        [str(tmp_path.resolve() / ".nysoc" / "jupyter"), str(lab.JUPYTER_CONFIG), "/etc/extra"])
    assert cmd.url == "http://127.0.0.1:8899/lab/tree/Start_her.ipynb?token=hemmelig"
    assert base == {"PATH": "/usr/bin", "JUPYTER_CONFIG_PATH": "/etc/extra"}


def test_lab_command_without_start_notebook_and_as_root(tmp_path: Path) -> None:
    cmd = lab.lab_command(tmp_path, port=9000, token="t", notebook=None, base_env={},
                          allow_root=True)
    assert "--LabApp.default_url=/lab" in cmd.argv and "--ServerApp.allow_root=True" in cmd.argv
    assert cmd.url == "http://127.0.0.1:9000/lab?token=t"
    assert cmd.env["JUPYTER_CONFIG_PATH"] == os.pathsep.join(
        [str(tmp_path.resolve() / ".nysoc" / "jupyter"), str(lab.JUPYTER_CONFIG)])


def test_lab_settings_are_read_by_jupyterlab_server(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    settings_utils = pytest.importorskip("jupyterlab_server.settings_utils")
    path = lab.write_lab_settings(tmp_path)
    assert lab.write_lab_settings(tmp_path) == path  # a second write changes nothing
    monkeypatch.setenv("JUPYTER_CONFIG_PATH", str(tmp_path / ".nysoc" / "jupyter"))
    overrides, error = settings_utils._get_overrides(str(tmp_path / "no-app-settings"))
    assert error == ""
    assert overrides["@jupyterlab/translation-extension:plugin"]["locale"] == "da_DK"
    assert overrides["@jupyterlab/apputils-extension:notification"]["fetchNews"] == "false"


class FakePopen:
    """Stands in for the JupyterLab process: records how it was started."""

    started: list[FakePopen] = []
    exit_code = 0

    def __init__(self, argv: list[str], env: dict[str, str], cwd: Path | None = None) -> None:
        self.argv, self.env, self.cwd = argv, env, cwd
        FakePopen.started.append(self)

    def wait(self) -> int:
        return FakePopen.exit_code


@pytest.fixture
def fake_lab(monkeypatch: pytest.MonkeyPatch) -> type[FakePopen]:
    FakePopen.started, FakePopen.exit_code = [], 0
    monkeypatch.setattr(subprocess, "Popen", FakePopen)
    return FakePopen


def test_lab_prints_the_address_and_starts_jupyterlab(
        capsys: pytest.CaptureFixture[str], tmp_path: Path, notebooks: Path,
        fake_lab: type[FakePopen]) -> None:
    assert run(capsys, "init", tmp_path, "--role", "mentee")[0] == 0
    code, out, err = run(capsys, "lab", tmp_path, "--port", "8899", "--no-browser")
    assert (code, err) == (0, "")
    [process] = fake_lab.started
    token = process.env["JUPYTER_TOKEN"]
    assert len(token) >= 24 and "--ServerApp.open_browser=False" in process.argv
    assert f"    http://127.0.0.1:8899/lab/tree/Start_her.ipynb?token={token}\n" in out
    assert "Tryk Ctrl+C her for at stoppe JupyterLab" in out
    assert out.rstrip().endswith("JupyterLab er stoppet.")
    assert (tmp_path / ".nysoc" / "jupyter" / "labconfig" /
            "default_setting_overrides.json").is_file()


def test_lab_reports_a_failed_server(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                     notebooks: Path, fake_lab: type[FakePopen]) -> None:
    run(capsys, "init", tmp_path, "--role", "mentee")
    fake_lab.exit_code = 3
    code, _, err = run(capsys, "lab", "--workspace", tmp_path, "--port", "8899")
    assert code == 1 and one_line(err) == (
        "Fejl: JupyterLab stoppede med en fejl (kode 3); se meddelelserne ovenfor.")


def test_lab_needs_a_workspace(capsys: pytest.CaptureFixture[str], nowhere: Path,
                               fake_lab: type[FakePopen]) -> None:
    code, _, err = run(capsys, "lab")
    assert code == 1 and "hverken denne mappe eller en mappe over den har en nysoc.toml" \
        in one_line(err)
    assert fake_lab.started == []


def test_lab_refuses_two_different_folders(capsys: pytest.CaptureFixture[str],
                                           tmp_path: Path) -> None:
    code, _, err = run(capsys, "lab", tmp_path / "a", "--workspace", tmp_path / "b")
    assert code == 2 and "ikke begge" in err


def test_lab_without_jupyterlab_says_so(tmp_path: Path, notebooks: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.util

    workspace.init_workspace(tmp_path, "mentor")
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "jupyterlab" else real(name, *a))
    args = cli.build_parser().parse_args(["lab", str(tmp_path)])
    with pytest.raises(NysocError, match="JupyterLab er ikke installeret"):
        cli._lab(args)


# --- app ---------------------------------------------------------------------------------

def test_app_command_serves_one_notebook_locally_without_code(tmp_path: Path) -> None:
    notebook = tmp_path / "Logbog.ipynb"
    cmd = lab.app_command(tmp_path, notebook, port=8866, token="hemmelig",
                          open_browser=False, base_env={"PATH": "/usr/bin"},
                          python="/venv/bin/python")
    assert cmd.argv[:4] == ["/venv/bin/python", "-m", "voila", "Logbog.ipynb"]
    assert {"--Voila.ip=127.0.0.1", "--Voila.port=8866", "--Voila.port_retries=0",
            "--Voila.open_browser=False", "--Voila.token=hemmelig",
            "--VoilaConfiguration.show_tracebacks=False"} <= set(cmd.argv)
    assert cmd.env["NYSOC_WORKSPACE"] == str(tmp_path.resolve())
    assert cmd.url == "http://127.0.0.1:8866/?token=hemmelig"
    # Voila's own "lab" page fetches FontAwesome from a CDN; nysoc's template does not.
    assert "--VoilaConfiguration.template=nysoc" in cmd.argv
    template = Path(cmd.env["JUPYTER_PATH"].split(os.pathsep)[0]) / "voila" / "templates"
    assert (template / "nysoc" / "index.html.j2").is_file()
    assert lab.app_command(tmp_path, "Logbog.ipynb", port=1, token="t").argv[3] == \
        "Logbog.ipynb"


def test_app_prints_the_address_and_starts_voila_in_the_workspace(
        capsys: pytest.CaptureFixture[str], tmp_path: Path, notebooks: Path,
        fake_lab: type[FakePopen]) -> None:
    assert run(capsys, "init", tmp_path, "--role", "mentee")[0] == 0
    code, out, err = run(capsys, "app", tmp_path / "Logbog.ipynb", "--port", "8867",
                         "--no-browser")
    assert (code, err) == (0, "")
    [process] = fake_lab.started
    assert process.argv[1:4] == ["-m", "voila", "Logbog.ipynb"]
    assert process.cwd == tmp_path.resolve()
    token = next(a for a in process.argv if a.startswith("--Voila.token=")).split("=", 1)[1]
    assert len(token) >= 24 and f"    http://127.0.0.1:8867/?token={token}\n" in out
    assert "Logbog starter som app" in out and out.rstrip().endswith("Appen er stoppet.")
    fake_lab.started.clear()
    assert run(capsys, "app", "Logbog.ipynb", "--workspace", tmp_path, "--port", "8867",
               "--no-browser")[0] == 0, "a name inside the workspace given by --workspace"
    assert fake_lab.started[0].argv[3] == "Logbog.ipynb"


def test_app_refuses_a_missing_notebook_or_one_outside_the_workspace(
        capsys: pytest.CaptureFixture[str], tmp_path: Path, notebooks: Path,
        fake_lab: type[FakePopen]) -> None:
    ws = tmp_path / "ws"
    run(capsys, "init", ws, "--role", "mentee")
    code, _, err = run(capsys, "app", "Findes_ikke.ipynb", "--workspace", ws)
    assert code == 1 and "notesbogen Findes_ikke.ipynb findes ikke i arbejdsområdet" \
        in one_line(err)
    outside = tmp_path / "andet" / "Logbog.ipynb"
    outside.parent.mkdir()
    outside.write_text("{}", encoding="utf-8")
    code, _, err = run(capsys, "app", outside, "--workspace", ws)
    assert code == 1 and "ligger ikke i arbejdsområdet" in one_line(err)
    fake_lab.exit_code = 4
    code, _, err = run(capsys, "app", ws / "Logbog.ipynb", "--port", "8868", "--no-browser")
    assert code == 1 and "Appen stoppede med en fejl (kode 4)" in one_line(err)


def test_app_without_voila_says_so(tmp_path: Path, notebooks: Path,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.util

    workspace.init_workspace(tmp_path, "mentee")
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "voila" else real(name, *a))
    args = cli.build_parser().parse_args(["app", str(tmp_path / "Logbog.ipynb")])
    with pytest.raises(NysocError, match="Voilà er ikke installeret"):
        cli._app(args)


# --- templates ---------------------------------------------------------------------------

def test_templates_list_shows_the_built_in_templates(capsys: pytest.CaptureFixture[str],
                                                     nowhere: Path) -> None:
    code, out, err = run(capsys, "templates", "list")
    ids = Catalogue.load().ids()
    assert (code, err) == (0, "") and out.startswith(f"{len(ids)} skabeloner\n")
    rows = {line.split()[0]: line for line in out.splitlines()[2:]}
    assert set(rows) == set(ids)
    assert re.match(r"logbog +2 +Logbog +formular +mentee$", rows["logbog"])


def test_templates_list_applies_the_workplace_folder(
        capsys: pytest.CaptureFixture[str], tmp_path: Path, notebooks: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    workspace.init_workspace(tmp_path / "ws", "mentor", templates="skabeloner")
    folder = tmp_path / "ws" / "skabeloner"
    folder.mkdir()
    shutil.copy(DATA / "valid" / "alle-felttyper.toml", folder / "egen.toml")
    shutil.copy(DATA / "invalid" / "unknown-field-key.toml", folder / "brudt.toml")
    (folder / "catalogue.toml").write_text('hide = ["coaching"]\n', encoding="utf-8")
    monkeypatch.setenv("NYSOC_WORKSPACE", str(tmp_path / "ws"))
    code, out, _ = run(capsys, "templates", "list")
    assert code == 0 and f"i arbejdsområdet {tmp_path / 'ws'}" in out.splitlines()[0]
    assert "\nalle_felttyper " in out and "\ncoaching " not in out
    assert "Skjult af skabelonmappen: coaching" in out
    assert re.search(rf"\n  {re.escape(str(folder / 'brudt.toml'))}: fields\.f: ukendt nøgle "
                     r"'lable'", out)


@pytest.mark.parametrize("template_id", ["logbog", "laeringsmaal", "evaluering", "gode_raad"])
def test_templates_show_json_round_trips(capsys: pytest.CaptureFixture[str], nowhere: Path,
                                         template_id: str) -> None:
    code, out, _ = run(capsys, "templates", "show", template_id, "--json")
    assert code == 0
    assert parse_template(json.loads(out)) == Catalogue.load().get(template_id)


def test_templates_show_reads_as_danish_text(capsys: pytest.CaptureFixture[str],
                                             nowhere: Path) -> None:
    code, out, _ = run(capsys, "templates", "show", "laeringsmaal")
    assert code == 0 and out.startswith("Læringsmål\n  id: laeringsmaal · version 1 · formular")
    assert "  • Egne læringsmål (egne) – liste\n" in out
    assert "punkterne kommer fra: eksempler, egne" in out
    assert "valg: Ikke startet; I gang; Nået" in out


def test_templates_show_says_where_saved_choices_come_from(capsys: pytest.CaptureFixture[str],
                                                           nowhere: Path) -> None:
    code, out, _ = run(capsys, "templates", "show", "logbog")
    assert code == 0
    assert "  • Hvilket mentormøde handler det om? (mentormoede) – ét valg\n" in out
    assert "valgmuligheder fra det, parret har gemt: mentormoede.dato" in out
    assert "valgmuligheder fra det, parret har gemt: laeringsmaal.maal_status" in out


def test_templates_show_unknown_id(capsys: pytest.CaptureFixture[str], nowhere: Path) -> None:
    code, out, err = run(capsys, "templates", "show", "logbøger")
    assert (code, out) == (1, "")
    assert one_line(err).startswith("Fejl: Der findes ingen skabelon med id'et 'logbøger'.")


@pytest.fixture
def mixed_folder(tmp_path: Path) -> Path:
    """One good template file, one with an unknown key, one that is not valid TOML."""
    folder = tmp_path / "skabeloner"
    folder.mkdir()
    shutil.copy(DATA / "valid" / "alle-felttyper.toml", folder / "god.toml")
    shutil.copy(DATA / "invalid" / "unknown-field-key.toml", folder / "ukendt-noegle.toml")
    (folder / "oedelagt.toml").write_text('id = "x\nversion = \n', encoding="utf-8")
    return folder


def test_templates_check_names_each_broken_file(capsys: pytest.CaptureFixture[str],
                                                mixed_folder: Path) -> None:
    code, out, err = run(capsys, "templates", "check", mixed_folder)
    assert code == 1
    assert out.splitlines() == [
        f"{mixed_folder / 'oedelagt.toml'}: -: syntaksfejl: Illegal character '\\n' "
        "(at line 1, column 8)",
        f"{mixed_folder / 'ukendt-noegle.toml'}: fields.f: ukendt nøgle 'lable'; tilladt: "
        "choices, choices_from, choices_from_saved, confidentiality, entry, entry_source, help, "
        "high, id, integer, kind, label, low, max, max_length, min, multiple, needs_consent, "
        "required, roles, saved_title, source",
    ]
    assert one_line(err) == "1 af 3 skabelonfiler er i orden; der er 2 fejl."


def test_templates_check_counts_good_files(capsys: pytest.CaptureFixture[str],
                                           mixed_folder: Path) -> None:
    (mixed_folder / "oedelagt.toml").unlink()
    (mixed_folder / "ukendt-noegle.toml").unlink()
    assert run(capsys, "templates", "check", mixed_folder) == (
        0, f"Skabelonfilen {mixed_folder / 'god.toml'} er i orden.\n", "")
    (mixed_folder / "kopi.toml").write_text(
        (mixed_folder / "god.toml").read_text(encoding="utf-8").replace(
            'id = "alle_felttyper"', 'id = "kopi"'), encoding="utf-8")
    assert run(capsys, "templates", "check", mixed_folder)[:2] == (
        0, f"Alle 2 skabelonfiler i {mixed_folder} er i orden.\n")


@pytest.mark.parametrize(("make", "message"), [
    (lambda p: p / "findes-ikke", "Mappen {p}/findes-ikke findes ikke."),
    (lambda p: p, "Der er ingen skabelonfiler (.toml eller .json) i mappen {p}."),
], ids=["missing-folder", "empty-folder"])
def test_templates_check_needs_template_files(capsys: pytest.CaptureFixture[str],
                                              tmp_path: Path, make: Any, message: str) -> None:
    folder = make(tmp_path)
    code, _, err = run(capsys, "templates", "check", folder)
    assert code == 1 and one_line(err) == "Fejl: " + message.format(p=tmp_path)
    with pytest.raises(NysocError, match=re.escape(message.format(p=tmp_path))):
        cli._templates_check(argparse.Namespace(dir=str(folder)))
