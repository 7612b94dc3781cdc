"""``nysoc.coordinator()`` as a coordinator uses it: the parts of the page, the filters that
every part follows, Opdatér that reads the folder again, and a Danish notice where the
overview does not belong (a pair's workspace) or has no folder to read.

Widgets are built directly and used as a user would (``.value``, ``.click()``)."""

from __future__ import annotations

import datetime as dt
import shutil
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from coordinator_helpers import INVALID, TODAY, fixture, share_folder, write_summary

import nysoc_widgets as nysoc
from nysoc_widgets import coordinator_view
from nysoc_widgets.api import Refreshable
from nysoc_widgets.workspace import init_workspace


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return share_folder(tmp_path)


def parts(folder: Path) -> dict[str, Any]:
    """Every part of the page, as the notebook's cells make them, in order."""
    return {name: nysoc.coordinator(name, folder=folder, today=TODAY)
            for name in ("oversigt", "advarsler", "diagrammer", "problemer")}


def session(view: Refreshable) -> coordinator_view.CoordinatorSession:
    return next(s for s in coordinator_view._SESSIONS.values() if view in s.parts)


def test_each_part_shows_its_view(folder: Path) -> None:
    views = parts(folder)

    assert all(isinstance(v, Refreshable) for v in views.values())
    assert "Viser alle 9 mentorpar." in views["oversigt"].html.value
    assert views["oversigt"].html.value.count("<tr>") == 1 + 9  # head and one per pairing
    assert "5 advarsler" in views["advarsler"].html.value
    assert views["diagrammer"].html.value.count("<img") == 6
    assert 'alt="Diagram: ' in views["diagrammer"].html.value
    assert "Alle filer i mappen kunne læses (9 mentorpar)." in views["problemer"].html.value
    filters = views["oversigt"].widget.children[0]
    assert "nysoc-coordinator-filters" in filters._dom_classes
    assert all(v.button.description == "Opdatér" for v in views.values())


def test_every_part_follows_the_filters(folder: Path) -> None:
    views = parts(folder)
    s = session(views["oversigt"])

    assert [label for label, _ in s.department.options][:2] == ["Alle afdelinger",
                                                                "Børn og Familie"]
    s.department.value = "Jobcenter"

    assert "Viser 1 af 9 mentorpar.<br><small>Afdeling: Jobcenter" in views["oversigt"].html.value
    assert "par-jobcenter-17" in views["oversigt"].html.value
    assert "par-boern-04" not in views["oversigt"].html.value
    assert "1 advarsel" in views["advarsler"].html.value
    assert "Viser 1 af 9 mentorpar." in views["diagrammer"].html.value
    assert "9 mentorpar" in views["problemer"].html.value  # files are not filtered

    s.department.value = ""
    s.mentor.value = "L.K."
    assert "Viser 1 af 9 mentorpar." in views["oversigt"].html.value
    assert "Ingen advarsler." in views["advarsler"].html.value

    s.mentor.value = ""
    s.start.value, s.end.value = dt.date(2026, 12, 1), dt.date(2026, 11, 1)
    assert "Fra-datoen ligger efter til-datoen" in views["oversigt"].html.value


def test_the_period_keeps_programmes_running_in_it(folder: Path) -> None:
    views = parts(folder)
    s = session(views["oversigt"])

    s.start.value, s.end.value = dt.date(2026, 11, 1), dt.date(2026, 11, 30)

    shown = views["oversigt"].html.value
    assert "Periode: 1. november 2026 – 30. november 2026" in shown
    assert "par-jobcenter-17" in shown and "par-boern-04" not in shown  # closed in October


def test_opdater_reads_the_folder_again_for_every_part(folder: Path) -> None:
    views = parts(folder)
    new = fixture("par-voksen-02")
    new["pairing"].update(id="par-nyt-01", department="Ydelse")
    write_summary(folder, new)
    shutil.copyfile(INVALID / "truncated.nysoc-summary.json",
                    folder / "truncated.nysoc-summary.json")

    assert "Viser alle 9 mentorpar." in views["oversigt"].html.value  # not read yet
    views["problemer"].button.click()  # Opdatér under any part

    assert "Viser alle 10 mentorpar." in views["oversigt"].html.value
    assert "par-nyt-01" in views["oversigt"].html.value
    assert "Filen truncated.nysoc-summary.json er sprunget over" in views["problemer"].html.value
    assert ("Ydelse", "Ydelse") in session(views["oversigt"]).department.options


def test_a_chosen_department_stays_chosen_after_opdater(folder: Path) -> None:
    views = parts(folder)
    s = session(views["oversigt"])
    s.department.value = "Jobcenter"

    views["oversigt"].button.click()

    assert s.department.value == "Jobcenter"
    assert "Viser 1 af 9 mentorpar." in views["oversigt"].html.value


def test_a_folder_that_is_gone_is_said_in_danish(folder: Path) -> None:
    views = parts(folder)
    shutil.rmtree(folder)

    views["oversigt"].button.click()

    for view in views.values():
        assert 'role="alert"' in view.html.value
        assert "Mappen med opsummeringer" in view.html.value and "kan ikke læses" in \
            view.html.value


def test_the_static_copy_keeps_what_was_shown(folder: Path) -> None:
    view = nysoc.coordinator(folder=folder, today=TODAY)
    static = view.static_bundle()["text/html"]

    assert static.startswith("<details><summary>Oversigten, som den så ud")
    assert "par-jobcenter-17" in static


# -- where the summaries are ------------------------------------------------------------------

def coordinator_workspace(root: Path, *lines: str) -> Path:
    """A coordinator's workspace with ``lines`` added to its ``nysoc.toml``."""
    ws = init_workspace(root, "koordinator")
    with ws.config_path.open("a", encoding="utf-8") as config:
        config.write("".join(line + "\n" for line in lines))
    return ws.root


def test_a_coordinator_workspace_reads_its_share_folder(tmp_path: Path) -> None:
    folder = share_folder(tmp_path / "drev")
    root = coordinator_workspace(tmp_path / "ws", f'share_folder = "{folder}"')

    view = nysoc.coordinator(workspace=root, today=TODAY)

    assert "Viser alle 9 mentorpar." in view.html.value


def test_a_relative_share_folder_and_the_alert_thresholds(tmp_path: Path) -> None:
    share_folder(tmp_path / "ws")
    root = coordinator_workspace(tmp_path / "ws", 'share_folder = "opsummeringer"',
                                 "[alerts]", "no_meeting_weeks = 30", "no_agreement_weeks = 10")

    alerts = nysoc.coordinator("advarsler", workspace=root, today=TODAY).html.value

    assert "ikke har holdt møde i 30 uger" in alerts and "10 uger efter starten" in alerts
    assert "1 advarsel<" in alerts  # with the defaults: 5


@pytest.mark.parametrize(("lines", "message"), [
    (["[alerts]", "no_meeting_weeks = -1"],
     "no_meeting_weeks under [alerts] skal være et helt antal uger, 0 eller mere"),
    (["[alerts]", "no_meeting = 6"], "ukendt nøgle 'no_meeting' under [alerts] i nysoc.toml"),
    (["share_folder = 7"], "share_folder skal være stien til en mappe"),
    (['share_folder = "x"', "farve = 'blå'"], "ukendt nøgle 'farve' i nysoc.toml"),
], ids=["negative-weeks", "unknown-alert", "folder-not-text", "unknown-key"])
def test_a_wrong_setting_is_a_danish_notice(tmp_path: Path, lines: list[str],
                                            message: str) -> None:
    root = coordinator_workspace(tmp_path / "ws", *lines)

    notice = nysoc.coordinator(workspace=root)

    assert "nysoc-notice" in notice._dom_classes and message in unescape(notice.value)


def test_a_coordinator_workspace_without_a_share_folder_says_how_to_set_it(
        tmp_path: Path) -> None:
    root = coordinator_workspace(tmp_path / "ws")

    notice = nysoc.coordinator(workspace=root)

    assert 'Skriv share_folder = "stien til mappen" i nysoc.toml' in unescape(notice.value)


@pytest.mark.parametrize("role", ["mentee", "mentor", "kontaktperson"])
def test_a_pairs_workspace_gets_a_notice(tmp_path: Path, role: str) -> None:
    ws = init_workspace(tmp_path / "ws", role, pairing="par-7")

    notice = nysoc.coordinator(workspace=ws.root)

    assert "Tovholderens overblik hører til i tovholderens eget arbejdsområde" in notice.value


def test_an_unknown_part_is_a_notice(folder: Path) -> None:
    notice = nysoc.coordinator("grafer", folder=folder)
    assert "der hedder 'grafer'; vælg en af: oversigt, advarsler" in unescape(notice.value)


def test_in_a_report_each_part_is_plain_html(folder: Path) -> None:
    coordinator_view.use_report_settings(str(folder), TODAY.isoformat(),
                                         {"no_meeting_weeks": 30})
    try:
        overview = nysoc.coordinator()
        alerts = nysoc.coordinator("advarsler")
    finally:
        coordinator_view._REPORT.clear()
        coordinator_view._REPORT_PAGE.clear()
    assert not isinstance(overview, Refreshable)
    assert "Viser alle 9 mentorpar." in overview._repr_html_()
    assert "ikke har holdt møde i 30 uger" in alerts._repr_html_()
