"""Sharing a pairing's summary with the coordinator (issue 5): the file it goes to, the
atomic write, the refusals, the preview that hides nothing, ``nysoc share`` and the share
button on the start page (clicked through with ipywidgets, no browser)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import io
import json
import os
import re
import stat
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from cli_helpers import one_line, run

from nysoc_widgets import sharing as share_module
from nysoc_widgets.catalogue import Catalogue
from nysoc_widgets.demo import create_demo
from nysoc_widgets.errors import NysocError
from nysoc_widgets.glossary import PHASES, ROLES, STATUSES
from nysoc_widgets.records import Pairing, Record, clean_answers
from nysoc_widgets.render import format_date, format_time
from nysoc_widgets.share_view import ShareView, share
from nysoc_widgets.sharing import (
    build_summary,
    preview,
    preview_html,
    share_summary,
    summary_file_name,
    target_folder,
)
from nysoc_widgets.workspace import Workspace, init_workspace

CATALOGUE = Catalogue.load()
NOW = dt.datetime(2026, 11, 23, 13, 5, 30, tzinfo=dt.timezone.utc)  # 14.05 in Denmark
TODAY = dt.date(2026, 11, 23)
PACKAGE = Path(share_module.__file__).parent


# -- a pairing with records ----------------------------------------------------------------

def save(ws: Workspace, template_id: str, pairing: str | None = None, **answers: Any) -> Record:
    template = CATALOGUE.get(template_id)
    values, errors = clean_answers(template, answers)
    assert not errors, errors
    with ws.open_store() as store:
        return store.save_record(Record(pairing or ws.pairing or "", template.id,
                                        template.version, ws.role, template.level, values,
                                        "final"), template)


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    """A mentee's workspace sharing into ``../delt``: an agreement, two meetings, learning
    goals (one of the pair's own) and a midway evaluation without consent."""
    (tmp_path / "delt").mkdir()
    ws = init_workspace(tmp_path / "ws", "mentee", pairing="par-7", mentor="Mette Holm",
                        mentee="Ali Bakr", department="Børn og Familie",
                        start_date="2026-08-03", share_folder="../delt")
    save(ws, "samarbejdsaftale", antal_moeder=6, startdato="2026-08-03",
         slutdato="2027-03-01", naeste_moede="2026-08-24")
    save(ws, "mentormoede", dato="2026-08-24", naeste_dato="2026-09-14",
         opsamling="Hemmeligt referat")
    save(ws, "mentormoede", dato="2026-09-14", naeste_dato="2026-12-07")
    save(ws, "laeringsmaal", eksempler=["praksischok"], egne=["At sige nej til Hanne"],
         maal_status={"Praksischok": "i_gang", "At sige nej til Hanne": "ikke_startet"})
    save(ws, "evaluering", dato="2026-10-05", evaluering_type="midtvejs", udfyldt_af="mentee",
         del_scorer="nej", indhold=2, udbytte=5, kommentarer="Hemmelig kommentar")
    save(ws, "logbog", dato="2026-09-01", i_tvivl_om="Hemmelig logbog")
    return ws


def files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


# -- the file name --------------------------------------------------------------------------

def sha8(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]


@pytest.mark.parametrize(("pairing", "stem"), [
    ("par-7", "par-7"),
    ("Par_7.2026", "Par_7.2026"),
    ("par 7", f"par_7-{sha8('par 7')}"),
    ("Børn/unge 7", f"B_rn_unge_7-{sha8('Børn/unge 7')}"),
    ("../../etc/passwd", f"_._.._etc_passwd-{sha8('../../etc/passwd')}"),
    (".skjult", f"_skjult-{sha8('.skjult')}"),
    ("x" * 150, "x" * 100 + f"-{sha8('x' * 150)}"),
], ids=["plain", "dots-and-underscores", "space", "danish-and-slash", "path", "hidden",
        "long"])
def test_the_file_name_is_the_pairing_id_made_safe(pairing: str, stem: str) -> None:
    assert summary_file_name(pairing) == stem + ".nysoc-summary.json"


def test_two_ids_never_share_a_file() -> None:
    ids = ["par 7", "par_7", "par/7", "par-7", "Par 7"]
    assert len({summary_file_name(i) for i in ids}) == len(ids)


# -- sharing --------------------------------------------------------------------------------

def test_share_writes_the_v2_summary_and_returns_its_path(ws: Workspace) -> None:
    path = share_summary(ws, now=NOW)

    assert path == ws.root.parent / "delt" / "par-7.nysoc-summary.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["format"] == "nysoc-summary" and data["format_version"] == 2
    assert data["shared"] == {"at": "2026-11-23T13:05:30+00:00", "by": "mentee"}
    assert data["generated"] == "2026-11-23"
    assert data["pairing"]["initials"] == {"mentor": "M.H.", "mentee": "A.B."}
    assert data["meetings"]["held"] == ["2026-08-24", "2026-09-14"]
    assert stat.S_IMODE(path.stat().st_mode) == 0o644, "the coordinator may read it"
    assert files(path.parent) == [path.name], "no temp file left"
    text = path.read_text(encoding="utf-8")
    for secret in ("Hemmelig", "Mette", "Holm", "Hanne", "Ali Bakr"):
        assert secret not in text


def test_consent_no_keeps_the_scores_but_not_the_facts(ws: Workspace) -> None:
    data = json.loads(share_summary(ws, now=NOW).read_text(encoding="utf-8"))
    evaluation = data["evaluation"]
    assert evaluation["consent"] == "nej" and evaluation["scores"] == {}
    assert evaluation["average"] is None
    assert (evaluation["date"], evaluation["type"], evaluation["by"]) == (
        "2026-10-05", "midtvejs", "mentee")
    assert data["phase"]["current"] == "laering", "a midway evaluation does not close"
    assert "scorerne deles ikke (I har svaret nej)" in preview(data)


def test_consent_yes_shares_the_scores(ws: Workspace) -> None:
    save(ws, "evaluering", dato="2027-02-22", evaluering_type="afslutning", udfyldt_af="mentor",
         del_scorer="ja", indhold=4, laeringsmaal=5, relevans=5, form=4, rammer=3, metode=4,
         udbytte=5)
    data = json.loads(share_summary(ws, now=NOW).read_text(encoding="utf-8"))
    assert data["evaluation"]["scores"]["indhold"] == 4
    assert data["evaluation"]["average"] == 4.29
    assert [e["type"] for e in data["evaluations"]] == ["midtvejs", "afslutning"]
    assert data["phase"]["current"] == "afslutning"
    text = preview(data)
    assert "scorerne deles (I har svaret ja)" in text and "Indhold 4" in text
    assert "4,29" in text


def test_sharing_again_replaces_the_same_file(ws: Workspace) -> None:
    first = share_summary(ws, now=NOW)
    save(ws, "mentormoede", dato="2026-10-05", naeste_dato="2026-12-07")
    again = share_summary(ws, now=NOW + dt.timedelta(days=1))

    assert again == first and files(first.parent) == [first.name]
    data = json.loads(again.read_text(encoding="utf-8"))
    assert len(data["meetings"]["held"]) == 3
    assert data["shared"]["at"] == "2026-11-24T13:05:30+00:00"


def test_two_pairings_give_two_files(ws: Workspace) -> None:
    with ws.open_store() as store:
        store.add_pairing(Pairing("par-8", "Bo Dahl", "Eva Falk", "Jobcenter", "2026-09-01"))
    save(ws, "mentormoede", pairing="par-8", dato="2026-09-15")
    one = share_summary(ws, now=NOW)
    two = share_summary(dataclasses.replace(ws, pairing="par-8"), now=NOW)

    assert files(one.parent) == ["par-7.nysoc-summary.json", "par-8.nysoc-summary.json"]
    assert json.loads(two.read_text(encoding="utf-8"))["meetings"]["held"] == ["2026-09-15"]
    assert json.loads(one.read_text(encoding="utf-8"))["pairing"]["id"] == "par-7"


def test_an_interrupted_write_keeps_the_previous_summary_and_no_temp_file(
        ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    path = share_summary(ws, now=NOW)
    before = path.read_bytes()
    save(ws, "mentormoede", dato="2026-10-05")

    def interrupted(*_args: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(NysocError, match="kunne ikke skrives til .*par-7.nysoc-summary.json: "
                                         "der er ikke mere plads på disken. Intet er ændret"):
        share_summary(ws, now=NOW + dt.timedelta(hours=1))
    assert path.read_bytes() == before
    assert files(path.parent) == [path.name]


def test_share_to_another_folder(ws: Workspace, tmp_path: Path) -> None:
    other = tmp_path / "andet drev"
    other.mkdir()
    path = share_summary(ws, to=other, now=NOW)
    assert path == other / "par-7.nysoc-summary.json" and files(ws.root.parent / "delt") == []


# -- refusals ------------------------------------------------------------------------------

def test_a_coordinator_does_not_share(tmp_path: Path) -> None:
    (tmp_path / "delt").mkdir()
    ws = init_workspace(tmp_path / "t", "koordinator", share_folder="../delt")
    with pytest.raises(NysocError, match="rollen 'koordinator' deler ikke en opsummering"):
        share_summary(ws)
    assert files(tmp_path / "delt") == []


def test_a_workspace_without_a_pairing_has_nothing_to_share(ws: Workspace) -> None:
    with pytest.raises(NysocError, match="hører ikke til et mentorpar"):
        share_summary(dataclasses.replace(ws, pairing=None))


def test_no_share_folder_says_how_to_set_one(ws: Workspace) -> None:
    with pytest.raises(NysocError, match=r"ikke valgt en mappe at dele i\. Skriv "
                                         r'share_folder = "MAPPE" i .*nysoc\.toml'):
        share_summary(dataclasses.replace(ws, share_folder=None))


def test_a_missing_folder_is_refused(ws: Workspace, tmp_path: Path) -> None:
    with pytest.raises(NysocError, match="Mappen .*findes-ikke findes ikke .*Intet er delt"):
        share_summary(ws, to=tmp_path / "findes-ikke")
    assert not (tmp_path / "findes-ikke").exists()


def test_a_folder_you_may_not_write_in_is_refused(ws: Workspace,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    folder = ws.share_folder
    assert folder is not None
    real = os.access
    monkeypatch.setattr(os, "access", lambda p, mode: False if Path(p) == folder
                        else real(p, mode))  # the tests may run as root, who may write
    with pytest.raises(NysocError, match="ikke lov til at skrive i mappen"):
        target_folder(ws)


@pytest.mark.parametrize(("pairing", "department", "message"), [
    ("par-mette-7", "Børn og Familie",
     "Mentorparrets id 'par-mette-7' indeholder personoplysninger \\(navn: »mette«\\)"),
    ("holm_ali", "Børn og Familie", "'holm_ali' indeholder personoplysninger \\(navn: »"),
    ("Mette7", "Børn og Familie", "\\(navn: »Mette«\\)"),
    ("par-20304050", "Børn og Familie", "\\(telefonnummer: »20304050«\\)"),
    ("par-7", "Team Mette Holm", "Afdelingen 'Team Mette Holm' indeholder personoplysninger"),
], ids=["name-in-id", "names-with-underscore", "name-and-digit", "phone-in-id",
        "name-in-department"])
def test_a_name_in_the_id_or_department_is_refused(tmp_path: Path, pairing: str,
                                                   department: str, message: str) -> None:
    (tmp_path / "delt").mkdir()
    ws = init_workspace(tmp_path / "ws", "mentor", pairing=pairing, mentor="Mette Holm",
                        mentee="Ali Bakr", department=department, share_folder="../delt")
    with pytest.raises(NysocError, match=message) as info:
        share_summary(ws, now=NOW)
    assert "Intet er delt" in str(info.value)
    assert files(tmp_path / "delt") == []


def test_ids_without_names_pass() -> None:
    for pid in ("par-7", "bu-01", "demo-boern-familie", "2026-jobcenter-3", "bolette-7"):
        assert share_module.personal_data_in(Pairing(pid, "Ole Hansen", "Mette Holm")) == []


# -- the preview hides nothing ----------------------------------------------------------------

@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Any:
    return create_demo(tmp_path_factory.mktemp("demo") / "demo", today=TODAY)


def leaves(value: Any, path: str = "") -> list[tuple[str, Any]]:
    """Every value in a summary, with where it is; the keys of a mapping of goal titles
    (history, statuses per goal) count as values too."""
    if isinstance(value, dict):
        found = []
        titled = path.endswith(".goals") or path.endswith(".maal_status")
        for key, item in value.items():
            if titled:
                found.append((f"{path}<{key}>", key))
            found += leaves(item, f"{path}.{key}")
        return found
    if isinstance(value, list):
        return [leaf for i, item in enumerate(value) for leaf in leaves(item, f"{path}[{i}]")]
    return [(path, value)]


def shown_as(value: Any) -> list[str]:
    """How a value can read in Danish: the value, a Danish date, a word from the glossary,
    a template's title or a choice's label."""
    if value is None or isinstance(value, bool):
        return []  # null, and a goal's "own" (said in words: "jeres eget")
    if isinstance(value, float):
        return [f"{value:g}".replace(".", ",")]
    text = str(value)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return [format_date(text)]
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}T.+", text):
        return [f"{format_date(text)} kl. {format_time(text)}"]
    names = [text, PHASES.get(text), STATUSES.get(text), ROLES.get(text)]
    for template in CATALOGUE:
        names += [template.title.da] if template.id == text else []
        names += [c.label.da for f in template.fields for c in f.choices if c.id == text]
    return [n for n in names if n]


#: Where each top-level key of a summary must show: the preview part with this title.
PART = {"format": "block_file", "format_version": "block_file", "generated": "block_file",
        "shared": "block_file", "pairing": "block_pairing", "phase": "block_programme",
        "meetings": "block_programme", "status_meetings": "block_programme",
        "agreement": "block_programme", "learning_goals": "block_goals",
        "learning_goal_history": "block_goal_history", "evaluation": "block_evaluation",
        "evaluations": "block_evaluation", "counts": "block_counts",
        "records": "block_records"}


def cells(block: Any) -> list[str]:
    return [*(f"{k}: {v}" for k, v in block.rows), block.note,
            *(" · ".join(row) for row in block.table)]


def place(data: dict[str, Any], where: str, blocks: dict[str, Any]) -> list[str]:
    """The text a value at ``where`` must show in: its own row for an item of a list (an
    evaluation, a record, a saved version of the goals, a learning goal, a template's
    counts), else its part of the preview."""
    from nysoc_widgets import i18n

    found = re.match(r"\.(\w+)(?:\[(\d+)\])?", where)
    assert found is not None, where
    key, index = found.group(1, 2)
    block = blocks[i18n.t(f"share.{PART[key]}")]
    if key == "records" and where.endswith("].pairing"):  # said once for them all
        return [block.note]
    if key in ("evaluations", "records", "learning_goal_history") and index is not None:
        return [" · ".join(block.table[int(index)])]
    if key == "learning_goals" and index is not None:
        return [": ".join(block.rows[int(index)])]
    if key == "counts":
        tid = where.split(".")[2]
        return [" · ".join(block.table[list(data["counts"]).index(tid)])]
    if key == "evaluation":
        return [" · ".join(row) for row in block.table]
    return ["\n".join(cells(block))]


def appears(options: list[str], value: Any, texts: list[str]) -> bool:
    if isinstance(value, int) and not isinstance(value, bool):  # a whole number on its own
        pattern = re.compile(rf"(?<![\d,]){value}(?!\d|,\d|\.)")
        return any(pattern.search(t) for t in texts)
    return any(o.casefold() in t.casefold() for o in options for t in texts)


def test_every_value_of_every_shared_file_shows_in_its_place_in_the_preview(
        demo: Any) -> None:
    from nysoc_widgets.share_preview import preview_blocks

    checked = 0
    for path in sorted(demo.municipality.share_folder.glob("*.nysoc-summary.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        blocks = {b.title: b for b in preview_blocks(data)}
        for where, value in leaves(data):
            options = shown_as(value)
            if options:
                assert appears(options, value, place(data, where, blocks)), (
                    f"{path.name} {where} = {value!r} is not where it belongs in the preview")
                checked += 1
        text = preview(data)
        html = unescape(preview_html(data))
        for block in blocks.values():  # and both renderings show every part, all of it
            for cell in [block.title, *(c for row in (*block.rows, *block.table)
                                        for c in row), block.note]:
                assert cell in text and cell in html, (path.name, cell)
    assert checked > 2000


def test_the_preview_says_what_is_not_included_and_shows_unknown_keys(ws: Workspace) -> None:
    data = build_summary(ws, now=NOW)
    data["nyt_i_formatet"] = {"noget": 3}
    text = preview(data)
    assert "Det får tovholderen ikke" in text and "Logbogen og forberedelserne" in text
    assert "Andet i filen" in text and 'nyt_i_formatet: {"noget": 3}' in text
    assert "Eget læringsmål 1: ikke startet (jeres eget – titlen deles ikke)" in text
    assert "Logbog: tovholderen får aldrig at vide, om der er nogen" in text
    assert "Delt: 23. november 2026 kl. 14.05 af mentee" in text
    assert "Mentor: M.H. (kun forbogstaverne)" in text
    assert "Hanne" not in text and "Hemmelig" not in text
    html = preview_html(data, pending=True)
    assert 'class="nysoc-share-preview"' in html and "<table" in html
    assert "når I trykker »Del med tovholderen«" in unescape(html)


# -- nysoc share ----------------------------------------------------------------------------

class Terminal(io.StringIO):
    """What a user types at a terminal."""

    def isatty(self) -> bool:
        return True


def test_share_command_prints_the_preview_and_then_the_path(
        capsys: pytest.CaptureFixture[str], ws: Workspace) -> None:
    code, out, err = run(capsys, "share", "--workspace", ws.root, "--ja")

    path = ws.root.parent / "delt" / "par-7.nysoc-summary.json"
    assert (code, err) == (0, "")
    lines = out.rstrip("\n").splitlines()
    assert lines[-1] == str(path) and path.is_file()
    assert lines[-2] == "Opsummeringen er delt med tovholderen. Filen:"
    assert lines[0] == "Det her får tovholderen – og intet andet"
    assert "  Mentorpar: par-7" in lines and "Hemmelig" not in out


def test_share_command_asks_at_a_terminal(capsys: pytest.CaptureFixture[str], ws: Workspace,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", Terminal("n\n"))
    code, out, err = run(capsys, "share", "--workspace", ws.root)
    assert code == 1 and err == "Intet er delt.\n"
    assert out.endswith("Vil du dele dette med tovholderen? [j/N] ")
    assert files(ws.root.parent / "delt") == []

    monkeypatch.setattr("sys.stdin", Terminal("j\n"))
    code, out, err = run(capsys, "share", "--workspace", ws.root)
    assert (code, err) == (0, "")
    assert Path(out.splitlines()[-1]).is_file()


def test_share_command_without_a_terminal_needs_ja(capsys: pytest.CaptureFixture[str],
                                                   ws: Workspace,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("j\n"))
    code, _, err = run(capsys, "share", "--workspace", ws.root)
    assert code == 1
    assert one_line(err) == ("Fejl: delingen skal bekræftes: kør kommandoen i en terminal, "
                             "eller tilføj --ja, når I har læst, hvad tovholderen får. "
                             "Intet er delt.")
    assert files(ws.root.parent / "delt") == []


def test_share_command_to_a_folder_and_its_refusals(capsys: pytest.CaptureFixture[str],
                                                    ws: Workspace, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    other = tmp_path / "andet"
    other.mkdir()
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(capsys, "share", "--workspace", ws.root, "--to", "andet", "--ja")
    assert code == 0 and out.splitlines()[-1] == str(other / "par-7.nysoc-summary.json")

    code, out, err = run(capsys, "share", "--workspace", ws.root, "--to", "mangler", "--ja")
    assert (code, out) == (1, "")
    assert one_line(err).startswith(f"Fejl: Mappen {tmp_path / 'mangler'} findes ikke")


def test_share_help_is_danish(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "share", "--help")
    assert code == 0 and out.startswith("Brug: nysoc share")
    assert "--ja, --yes" in out and "--to MAPPE" in out and "usage:" not in out


def test_init_with_a_share_folder(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, _ = run(capsys, "init", tmp_path / "ws", "--role", "mentor", "--pairing", "p-1",
                       "--share-folder", "../delt")
    assert code == 0
    assert f"  Delingsmappe:   {tmp_path / 'delt'} (findes ikke endnu" in out
    assert Workspace.load(tmp_path / "ws").share_folder == tmp_path / "delt"


# -- the share button ------------------------------------------------------------------------

def test_the_button_waits_for_the_tick_then_shares(ws: Workspace) -> None:
    view = ShareView(ws, now=lambda: NOW)
    folder = ws.root.parent / "delt"

    assert "nysoc-share" in view._dom_classes
    assert view.button.disabled and view.button.description == "Del med tovholderen"
    assert view.agree.description == ("Vi har set, hvad tovholderen får, og er enige om at "
                                      "dele det")
    shown = unescape(view.preview.html.value)
    assert "Mentorpar" in shown and "par-7" in shown and "Hemmelig" not in shown
    view.button.click()
    assert files(folder) == []

    view.agree.value = True
    assert not view.button.disabled
    view.button.click()

    assert files(folder) == ["par-7.nysoc-summary.json"]
    assert "Delt kl. 14.05 – filen hedder par-7.nysoc-summary.json" in view.message.value
    assert view.agree.value is False and view.button.disabled
    written = json.loads((folder / "par-7.nysoc-summary.json").read_text(encoding="utf-8"))
    assert written["shared"] == {"at": "2026-11-23T13:05:30+00:00", "by": "mentee"}


def test_a_save_after_the_preview_is_not_shared_unseen(ws: Workspace) -> None:
    view = ShareView(ws, now=lambda: NOW)
    save(ws, "mentormoede", dato="2026-10-26")  # in another window
    view.agree.value = True
    view.button.click()

    assert files(ws.root.parent / "delt") == []
    assert "Der er gemt noget nyt" in view.message.value and not view.agree.value
    assert "26. oktober 2026" in view.preview.html.value, "the preview was updated"
    view.agree.value = True
    view.button.click()
    assert files(ws.root.parent / "delt") == ["par-7.nysoc-summary.json"]


def test_a_failing_share_is_said_in_danish_in_the_view(ws: Workspace) -> None:
    view = ShareView(ws, now=lambda: NOW)
    (ws.root.parent / "delt").rmdir()  # the shared drive went away
    view.agree.value = True
    view.button.click()
    assert "findes ikke" in view.message.value and 'role="alert"' in view.message.value


def test_without_a_share_folder_the_view_says_how_to_set_one(tmp_path: Path) -> None:
    ws = init_workspace(tmp_path / "ws", "mentor", pairing="par-9")
    view = share(workspace=ws)
    assert isinstance(view, ShareView)
    assert "share_folder" in view.note.value and "nysoc init MAPPE --share-folder" in unescape(
        view.note.value)
    assert view.button not in view.children and view.preview is not None


def test_a_coordinator_sees_where_the_summaries_are(ws: Workspace, tmp_path: Path) -> None:
    share_summary(ws, now=NOW)
    coordinator = init_workspace(tmp_path / "t", "koordinator", share_folder="../delt")
    view = share(workspace=coordinator)
    assert isinstance(view, ShareView) and view.preview is None
    assert "Du er tovholder og deler ikke selv" in view.note.value
    assert "der ligger 1 nu" in view.note.value
    assert view.children == (view.note,)


def test_a_contact_person_shares_the_introduction_programme(tmp_path: Path) -> None:
    (tmp_path / "delt").mkdir()
    ws = init_workspace(tmp_path / "ws", "kontaktperson", pairing="intro-3",
                        share_folder="../delt")
    save(ws, "statusmoede", dato="2026-10-01", naeste_dato="2026-11-05")
    view = ShareView(ws, now=lambda: NOW)
    assert "Som kontaktperson" in view.children[0].value
    view.agree.value = True
    view.button.click()
    data = json.loads((tmp_path / "delt" / "intro-3.nysoc-summary.json").read_text("utf-8"))
    assert data["shared"]["by"] == "kontaktperson"
    assert data["status_meetings"] == {"held": ["2026-10-01"], "planned": ["2026-11-05"]}
    assert data["phase"]["current"] == "introduktion"


def test_share_is_a_one_liner_that_gives_a_notice_without_a_workspace(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import nysoc_widgets as nysoc

    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NYSOC_WORKSPACE", raising=False)
    box = nysoc.share()
    assert "nysoc-notice" in box._dom_classes and "har en nysoc.toml" in box.value


# -- the messages exist ---------------------------------------------------------------------

def test_every_share_message_the_code_names_exists() -> None:
    from nysoc_widgets import i18n

    keys = set()
    for path in PACKAGE.glob("*.py"):
        keys |= set(re.findall(r'"(share\.\w+)"', path.read_text(encoding="utf-8")))
    keys |= {"share.personal_data_id", "share.personal_data_department"}  # built with f""
    assert len(keys) > 8
    assert sorted(k for k in keys if not i18n.has(k)) == []


def test_a_name_in_the_id_shows_in_the_view_and_nothing_is_shared(tmp_path: Path) -> None:
    (tmp_path / "delt").mkdir()
    ws = init_workspace(tmp_path / "ws", "mentee", pairing="mette-par", mentor="Mette Holm",
                        share_folder="../delt")
    view = ShareView(ws, now=lambda: NOW)
    assert "indeholder personoplysninger (navn: »mette«)" in unescape(view.preview.html.value)
    view.agree.value = True
    view.button.click()
    assert "Intet er delt" in unescape(view.message.value)
    assert files(tmp_path / "delt") == []
