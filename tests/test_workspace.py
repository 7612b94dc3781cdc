"""Workspaces: found from an argument, NYSOC_WORKSPACE or the folder; invalid configs are
refused in Danish; init never overwrites and can be run again after a failure."""

from __future__ import annotations

from pathlib import Path

import pytest

from nysoc_widgets.errors import WorkspaceError
from nysoc_widgets.workspace import CONFIG_FILE, find_workspace, init_workspace


def test_init_makes_config_store_pairing_and_notebooks(tmp_path: Path) -> None:
    ws = init_workspace(tmp_path / "ws", "mentee", pairing="par-1", mentor="Mette",
                        mentee="Ali", department="Børn og Familie")
    assert ws.role == "mentee" and ws.pairing == "par-1"
    assert (ws.root / "Logbog.ipynb").is_file() and (ws.root / "Start_her.ipynb").is_file()
    with ws.open_store() as store:
        assert store.get_pairing("par-1").department == "Børn og Familie"
    assert ws.store_path.stat().st_mode & 0o777 == 0o600


def test_init_refuses_an_existing_workspace(tmp_path: Path) -> None:
    init_workspace(tmp_path, "mentor")
    with pytest.raises(WorkspaceError, match="allerede et arbejdsområde"):
        init_workspace(tmp_path, "mentor")


def test_init_again_after_a_failure_reuses_the_pairing(tmp_path: Path) -> None:
    first = init_workspace(tmp_path, "mentee")
    (tmp_path / CONFIG_FILE).unlink()  # as if init had stopped before writing the config
    again = init_workspace(tmp_path, "mentee")
    assert again.pairing == first.pairing
    with again.open_store() as store:
        assert len(store.list_pairings()) == 1


def test_odd_characters_in_settings_survive(tmp_path: Path) -> None:
    ws = init_workspace(tmp_path, "mentee", pairing='par "7"', templates="C:\\skabeloner")
    assert ws.pairing == 'par "7"'
    assert ws.templates is not None and ws.templates.name == "C:\\skabeloner"


def test_unknown_role_is_refused(tmp_path: Path) -> None:
    with pytest.raises(WorkspaceError, match="rollen 'chef' er ikke en af"):
        init_workspace(tmp_path, "chef")
    assert not (tmp_path / CONFIG_FILE).exists()


@pytest.mark.parametrize(("text", "message"), [
    ('role = "mentee"\nfarve = "blå"\n', "ukendt nøgle 'farve'"),
    ('role = "chef"\n', "rollen 'chef'"),
    ('role = [1]\n', "rollen '\\[1\\]'"),
    ("role = \n", "kan ikke læses"),
], ids=["unknown-key", "unknown-role", "role-not-text", "syntax"])
def test_invalid_config_is_refused_in_danish(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / CONFIG_FILE).write_text(text, encoding="utf-8")
    with pytest.raises(WorkspaceError, match=message):
        find_workspace(tmp_path)


def test_found_from_env_then_from_the_folder_or_a_parent(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    one = init_workspace(tmp_path / "one", "mentor")
    two = init_workspace(tmp_path / "two", "mentee")
    (two.root / "undermappe").mkdir()
    monkeypatch.chdir(two.root / "undermappe")
    monkeypatch.delenv("NYSOC_WORKSPACE", raising=False)
    assert find_workspace().root == two.root
    monkeypatch.setenv("NYSOC_WORKSPACE", str(one.root))
    assert find_workspace().root == one.root
    assert find_workspace(two.root).root == two.root, "an explicit folder wins"


def test_no_workspace_anywhere_says_how_to_make_one(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NYSOC_WORKSPACE", raising=False)
    with pytest.raises(WorkspaceError, match="angiv --workspace eller NYSOC_WORKSPACE"):
        find_workspace()


def test_reading_a_workspace_creates_nothing(tmp_path: Path) -> None:
    with pytest.raises(WorkspaceError):
        find_workspace(tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_the_start_page_lists_the_pages_in_the_programmes_order(tmp_path: Path) -> None:
    from nysoc_widgets.start import notebook_titles
    from nysoc_widgets.workspace import ROLE_NOTEBOOKS

    ws = init_workspace(tmp_path / "ws", "mentor")
    assert list(notebook_titles(ws.root, ws.role)) == list(ROLE_NOTEBOOKS["mentor"])


# -- share_folder and a coordinator's [alerts] (issue 5) ------------------------------------

def test_share_folder_is_relative_to_the_workspace_or_absolute(tmp_path: Path) -> None:
    ws = init_workspace(tmp_path / "ws", "mentee", pairing="p", share_folder="../delt")
    assert ws.share_folder == tmp_path / "delt"
    assert 'share_folder = "../delt"' in ws.config_path.read_text(encoding="utf-8")
    other = init_workspace(tmp_path / "ws2", "mentee", pairing="p",
                           share_folder=str(tmp_path / "fælles drev"))
    assert other.share_folder == tmp_path / "fælles drev"
    assert init_workspace(tmp_path / "ws3", "mentor").share_folder is None


def test_alerts_default_and_can_be_set(tmp_path: Path) -> None:
    from nysoc_widgets.workspace import ALERT_DEFAULTS

    plain = init_workspace(tmp_path / "a", "koordinator")
    assert plain.alerts == {"no_meeting_weeks": 6, "no_agreement_weeks": 4,
                            "past_end_weeks": 0} == ALERT_DEFAULTS
    ws = init_workspace(tmp_path / "b", "koordinator", share_folder="/srv/nysoc",
                        alerts={"no_meeting_weeks": 8})
    assert ws.alerts == {"no_meeting_weeks": 8, "no_agreement_weeks": 4, "past_end_weeks": 0}
    assert "[alerts]\nno_meeting_weeks = 8" in ws.config_path.read_text(encoding="utf-8")
    ws.alerts["past_end_weeks"] = 99  # a workspace's own copy, never the defaults
    assert ALERT_DEFAULTS["past_end_weeks"] == 0


@pytest.mark.parametrize(("text", "message"), [
    ('share_folder = ""\n', "share_folder skal være stien til en mappe"),
    ("share_folder = 7\n", "share_folder skal være stien til en mappe .* ikke '7'"),
    ('alerts = "mange"\n', "alerts skal være en tabel"),
    ("[alerts]\nno_meeting = 6\n", "ukendt nøgle 'no_meeting' under \\[alerts\\] i nysoc.toml; "
     "tilladt: no_meeting_weeks, no_agreement_weeks, past_end_weeks"),
    ("[alerts]\nno_meeting_weeks = -1\n", "no_meeting_weeks under \\[alerts\\] skal være et helt "
     "antal uger, 0 eller mere"),
    ("[alerts]\npast_end_weeks = 2.5\n", "past_end_weeks .* ikke '2.5'"),
    ("[alerts]\nno_agreement_weeks = true\n", "no_agreement_weeks .* ikke 'True'"),
], ids=["empty-folder", "folder-not-text", "alerts-not-a-table", "unknown-alert",
        "negative", "not-whole", "bool"])
def test_invalid_share_settings_are_refused_in_danish(tmp_path: Path, text: str,
                                                      message: str) -> None:
    (tmp_path / CONFIG_FILE).write_text('role = "koordinator"\n' + text, encoding="utf-8")
    with pytest.raises(WorkspaceError, match=message):
        find_workspace(tmp_path)


def test_alert_thresholds_of_zero_are_allowed(tmp_path: Path) -> None:
    (tmp_path / CONFIG_FILE).write_text(
        'role = "koordinator"\nshare_folder = "delt"\n\n[alerts]\nno_meeting_weeks = 0\n'
        "past_end_weeks = 3\n", encoding="utf-8")
    ws = find_workspace(tmp_path)
    assert ws.alerts == {"no_meeting_weeks": 0, "no_agreement_weeks": 4, "past_end_weeks": 3}
    assert ws.share_folder == tmp_path.resolve() / "delt"
