"""``nysoc report``: the coordinator's notebook run against a folder and exported as one
dated Danish HTML report – no code, no widgets, no scripts, nothing from the internet,
the charts as images, the files that could not be read listed; written atomically.

The report's rendering in Chromium is tested in ``test_browser_report.py``."""

from __future__ import annotations

import datetime as dt
import os
import re
import stat
from pathlib import Path

import pytest
from cli_helpers import one_line, run
from coordinator_helpers import TODAY, share_folder

from nysoc_widgets import report
from nysoc_widgets.clock import today
from nysoc_widgets.render import format_date

REPO = Path(__file__).resolve().parent.parent
BROKEN = ("truncated.nysoc-summary.json", "foreign.json")


@pytest.fixture
def kernel_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Let the report's kernel import this checkout even without an installed package."""
    path = os.environ.get("PYTHONPATH")
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(p for p in (str(REPO), path) if p))


def external_urls(html: str) -> list[str]:
    """URLs the page would load or link to (not the template's CSS comments)."""
    return re.findall(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//[^"'\s>]+""", html) + \
        re.findall(r"""url\(\s*["']?(?:https?:)?//""", html) + \
        re.findall(r"@import", html)


@pytest.mark.slow
def test_the_report_is_a_dated_danish_document_without_code(
        tmp_path: Path, kernel_env: None, capsys: pytest.CaptureFixture[str]) -> None:
    folder = share_folder(tmp_path, broken=BROKEN)
    out = tmp_path / "rapport.html"
    as_of = TODAY if today() != TODAY else TODAY - dt.timedelta(days=1)  # never the same day

    code, stdout, stderr = run(capsys, "report", folder, "--out", out, "--date",
                               as_of.isoformat())

    assert code == 0, stderr
    assert stdout == f"{out}\n"
    assert one_line(stderr) == ("2 filer i mappen kunne ikke læses; de står i rapporten med "
                                "navn og grund.")
    html = out.read_text(encoding="utf-8")
    made = format_date(today().isoformat())
    assert "<h1" in html and "Mentorordningen – rapport fra tovholderen" in html
    assert f"Rapport dannet {made}." in html
    assert f"<dt>Rapport dannet</dt><dd>{made}</dd>" in html
    assert f"<dt>Opgjort pr.</dt><dd>{format_date(as_of.isoformat())}</dd>" in html
    assert "<dt>Mentorpar</dt><dd>9</dd>" in html and "<dt>Mappe</dt><dd>opsummeringer" in html
    assert "Rapport fra tovholderen – uden fortrolig tekst" in html
    # The overview, the alerts, the charts and the problems, as plain HTML.
    overview = html.split("nysoc-coordinator-oversigt", 1)[1].split("</table>", 1)[0]
    assert overview.count("<tr>") == 1 + 9
    assert "5 advarsler" in html and "Intet mentormøde i 6 uger" in html
    images = re.findall(r"<img [^>]*>", html)
    assert len(images) == 6
    for image in images:
        assert re.search(r'src="data:image/png;base64,[A-Za-z0-9+/=]{1000,}"', image)
        assert re.search(r'alt="Diagram: [^"]+"', image) and 'title="' in image
    assert "Filen truncated.nysoc-summary.json er sprunget over" in html
    assert "Filen foreign.json er sprunget over" in html
    # What a report must not hold.
    assert "<script" not in html and "widget-view" not in html and "widget-state" not in html
    assert "nysoc.coordinator" not in html and "use_report_settings" not in html
    assert "import nysoc_widgets" not in html and str(folder) not in html
    assert "Sådan bruger du siden" not in html  # the notebook's own help stays out
    code_cells = re.findall(r'class="jp-Cell jp-CodeCell[^"]*"', html)
    assert len(code_cells) == 4 and all("jp-mod-noInput" in c for c in code_cells)
    assert 'class="highlight' not in html and external_urls(html) == []
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


@pytest.mark.slow
def test_the_report_today_and_an_empty_folder(tmp_path: Path, kernel_env: None,
                                              monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "tom"
    folder.mkdir()
    monkeypatch.chdir(tmp_path)

    code, stdout, stderr = run(capsys, "report", folder)

    assert (code, stderr) == (0, "")
    written = Path(stdout.strip())
    assert written == Path(f"tovholder-rapport-{today().isoformat()}.html")
    html = written.read_text(encoding="utf-8")
    assert "Opgjort pr." not in html and "<dt>Mentorpar</dt><dd>0</dd>" in html
    assert "Der er ingen opsummeringer i mappen" in html
    assert html.count('alt="Diagram: ') == 6  # each chart says there is nothing to show


@pytest.mark.slow
def test_a_failing_report_leaves_the_old_one(tmp_path: Path, kernel_env: None,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    import nbformat

    folder = share_folder(tmp_path, demo=False)
    out = tmp_path / "rapport.html"
    out.write_text("den gamle rapport", encoding="utf-8")
    making = report.report_notebook

    def broken(*args: object, **kwargs: object) -> object:
        nb = making(*args, **kwargs)  # type: ignore[arg-type]
        nb.cells.append(nbformat.v4.new_code_cell("1 / 0"))
        return nb

    monkeypatch.setattr(report, "report_notebook", broken)
    with pytest.raises(report.NysocError, match=r"notesbogen stoppede med en fejl "
                                                r"\(ZeroDivisionError\)\. Intet er gemt\."):
        report.build_report(folder, out)
    assert out.read_text(encoding="utf-8") == "den gamle rapport"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["opsummeringer", "rapport.html"]


def test_the_report_notebook_drops_the_live_help_and_sets_the_folder(tmp_path: Path) -> None:
    nb = report.report_notebook(tmp_path / "mappe", generated=TODAY,
                                today=TODAY.replace(day=20), alerts={"no_meeting_weeks": 8},
                                pairings=3)
    ids = [c.id for c in nb.cells]

    assert ids[:3] == ["rapport-titel", "setup", "rapport-indstillinger"]
    assert "saadan" not in ids and "hvad-ser-du" not in ids
    assert nb.cells[0].source.startswith("# Mentorordningen – rapport fra tovholderen\n\n"
                                         "Rapport dannet 23. november 2026.\nAdvarsler")
    assert "3 mentorpar selv har delt" in nb.cells[0].source
    settings = nb.cells[2]
    assert settings.metadata["tags"] == ["nysoc-setup"]
    assert settings.source.endswith(f"use_report_settings({str(tmp_path / 'mappe')!r}, "
                                    "'2026-11-20', {'no_meeting_weeks': 8})")
    assert [c.source for c in nb.cells if c.cell_type == "code"][2:] == [
        "nysoc.coordinator()", 'nysoc.coordinator("advarsler")',
        'nysoc.coordinator("diagrammer")', 'nysoc.coordinator("problemer")']


@pytest.mark.parametrize(("argv", "code", "message"), [
    (["report", "{tmp}/findes-ikke"], 1,
     "Fejl: Mappen med opsummeringer, {tmp}/findes-ikke, kan ikke læses: "),
    (["report", "{tmp}", "--out", "{tmp}/ingen/r.html"], 1,
     "Fejl: Rapporten kan ikke gemmes: mappen {tmp}/ingen findes ikke."),
    (["report", "{tmp}", "--date", "23-11-2026"], 2,
     "--date: '23-11-2026' er ikke en dato; skriv den som ÅÅÅÅ-MM-DD"),
    (["report"], 2, "dette skal angives: MAPPE"),
], ids=["no-folder", "no-out-folder", "bad-date", "no-argument"])
def test_report_failures_are_danish(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                    argv: list[str], code: int, message: str) -> None:
    got, stdout, stderr = run(capsys, *(a.format(tmp=tmp_path) for a in argv))

    assert (got, stdout) == (code, "")
    assert message.format(tmp=tmp_path) in stderr and "Traceback" not in stderr


def test_report_help_is_danish(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "report", "--help")
    assert code == 0 and out.startswith("Brug: nysoc report")
    assert "Lav tovholderens rapport til ledelsen" in out and "--out FIL" in out
