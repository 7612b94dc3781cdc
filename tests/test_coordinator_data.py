"""The coordinator's data: every summary in a folder read (format versions 1 and 2), every
file that cannot be used named with a Danish reason and skipped, and the DataFrames the
notebook, the charts and the report are built from."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from coordinator_helpers import (
    FIXTURE_PAIRINGS,
    INVALID,
    TODAY,
    VALID,
    demo_summaries,
    file_name,
    fixture,
    share_folder,
    write_summary,
)

from nysoc_widgets import coordinator_data
from nysoc_widgets.coordinator_data import (
    COLUMNS,
    build_frames,
    danish,
    load_summaries,
    read_summary_file,
)
from nysoc_widgets.errors import NysocError, SummaryError
from nysoc_widgets.shared_summary import FORMAT_VERSION
from nysoc_widgets.summary_reader import KNOWN_VERSION, read_summary

BROKEN = sorted(p.name for p in INVALID.glob("*.json"))


def expected_reason(name: str) -> str:
    return (INVALID / (name[: -len(".json")] + ".expected.txt")).read_text(
        encoding="utf-8").strip()


def day(text: str) -> pd.Timestamp:
    return pd.Timestamp(text)


# -- reading the folder --------------------------------------------------------------------

def test_summaries_of_both_versions_load_from_one_folder(tmp_path: Path) -> None:
    folder = share_folder(tmp_path)

    loaded = load_summaries(folder)

    assert loaded.problems == ()
    ids = [p.id for p in loaded.pairings]
    assert ids == sorted(ids) and len(ids) == 9
    assert set(FIXTURE_PAIRINGS) <= set(ids)
    versions = {p.id: p.format_version for p in loaded.pairings}
    assert versions["par-jobcenter-17"] == 2 and versions["par-aeldre-09"] == 1
    # Shared through today's boundary: the current format version.
    assert {versions[i] for i in ids if i.startswith("demo-")} == {FORMAT_VERSION} == {2}


@pytest.mark.parametrize("name", BROKEN, ids=lambda n: n.split(".")[0])
def test_a_broken_file_is_named_with_its_reason(name: str) -> None:
    with pytest.raises(SummaryError, match=re.escape(expected_reason(name))) as caught:
        read_summary_file(INVALID / name)
    assert str(caught.value).startswith(f"Filen {name} er sprunget over: ")
    assert caught.value.details["file"] == name
    assert "Traceback" not in str(caught.value) and "Error" not in str(caught.value)


def test_broken_files_are_listed_and_the_rest_still_loads(tmp_path: Path) -> None:
    folder = share_folder(tmp_path, demo=False, broken=tuple(BROKEN))

    loaded = load_summaries(folder)

    assert [p.id for p in loaded.pairings] == sorted(FIXTURE_PAIRINGS)
    assert [e.details["file"] for e in loaded.problems] == BROKEN
    for problem in loaded.problems:
        assert expected_reason(problem.details["file"]) in str(problem)


def test_an_unreadable_entry_and_a_too_big_file_are_named(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = share_folder(tmp_path, demo=False)
    (folder / "mappe.nysoc-summary.json").mkdir()  # unreadable as a file, even for root
    write_summary(folder, {**fixture("par-voksen-02"), "fyld": "x" * 2_200_000},
                  "stor.nysoc-summary.json")
    monkeypatch.setattr(coordinator_data, "MAX_BYTES", 1024 * 1024)

    problems = {p.details["file"]: str(p) for p in load_summaries(folder).problems}

    assert "det er en mappe, ikke en fil" in problems["mappe.nysoc-summary.json"]
    assert "den fylder 2 MB, og en opsummering fylder langt mindre" in \
        problems["stor.nysoc-summary.json"]


def test_hidden_temporary_and_other_files_are_left_alone(tmp_path: Path) -> None:
    folder = share_folder(tmp_path, demo=False)
    (folder / ".par-x.nysoc-summary.json.tmp").write_text("{", encoding="utf-8")
    (folder / ".skjult.json").write_text("{", encoding="utf-8")
    (folder / "LÆS MIG.txt").write_text("Her deler mentorparrene.", encoding="utf-8")
    (folder / "under").mkdir()
    write_summary(folder / "under", fixture("par-voksen-02"), "andet-par.nysoc-summary.json")

    loaded = load_summaries(folder)

    assert loaded.problems == () and len(loaded.pairings) == len(FIXTURE_PAIRINGS)


def test_two_files_of_one_pairing_keep_the_newer_and_name_the_other(tmp_path: Path) -> None:
    folder = share_folder(tmp_path, demo=False)
    older = fixture("par-jobcenter-17")
    older["shared"]["at"] = "2026-09-01T10:00:00Z"
    older["meetings"]["held"] = older["meetings"]["held"][:2]
    write_summary(folder, older, "kopi af par-jobcenter-17.nysoc-summary.json")

    loaded = load_summaries(folder)

    kept = next(p for p in loaded.pairings if p.id == "par-jobcenter-17")
    assert kept.file == file_name("par-jobcenter-17") and len(kept.held) == 5
    assert [str(p) for p in loaded.problems] == [
        "Filen kopi af par-jobcenter-17.nysoc-summary.json er sprunget over: den handler om "
        "samme mentorpar (par-jobcenter-17) som par-jobcenter-17.nysoc-summary.json, der er "
        "nyere og bruges i stedet."]


def test_a_missing_folder_is_one_danish_error(tmp_path: Path) -> None:
    with pytest.raises(SummaryError, match="Mappen med opsummeringer, .*findes-ikke, kan ikke "
                                           "læses: "):
        load_summaries(tmp_path / "findes-ikke")


def test_an_empty_folder_loads_nothing(tmp_path: Path) -> None:
    loaded = load_summaries(tmp_path)
    frames = build_frames(loaded, TODAY)

    assert loaded.pairings == () and loaded.problems == ()
    for name, columns in COLUMNS.items():
        frame = getattr(frames, name)
        assert frame.empty and list(frame.columns) == list(columns), name


# -- versions ------------------------------------------------------------------------------

def test_version_1_reads_as_version_2() -> None:
    summary = read_summary(fixture("par-aeldre-09"), "v1.json")

    assert summary.shared_at is None and summary.shared_by is None
    (evaluation,) = summary.evaluations
    assert evaluation.type == "afslutning" and evaluation.by is None and evaluation.closing
    assert summary.closed and summary.as_of == dt.date(2026, 6, 30)


def test_version_2_reads_sharing_type_and_who() -> None:
    summary = read_summary(fixture("par-jobcenter-17"), "v2.json")

    assert summary.shared_at == dt.datetime(2026, 11, 20, 14, 5,
                                            tzinfo=summary.shared_at.tzinfo)  # Danish time
    assert summary.shared_by == "mentor" and summary.as_of == dt.date(2026, 11, 20)
    (evaluation,) = summary.evaluations
    assert (evaluation.type, evaluation.by, evaluation.closing) == ("midtvejs", "mentee", False)
    assert not summary.closed


def test_a_newer_version_is_refused_and_a_version_1_file_without_type_closes() -> None:
    newer = {**fixture("par-voksen-02"), "format_version": KNOWN_VERSION + 1}
    with pytest.raises(SummaryError, match="opdatér nysoc"):
        read_summary(newer, "ny.json")
    v1 = {**fixture("par-jobcenter-17"), "format_version": 1}
    del v1["evaluations"], v1["shared"]
    v1["evaluation"] = {k: v for k, v in v1["evaluation"].items() if k not in ("type", "by")}
    assert read_summary(v1, "gammel.json").closed


def test_a_version_2_document_without_the_list_has_its_newest_evaluation() -> None:
    data = fixture("par-jobcenter-17")
    del data["evaluations"]

    (evaluation,) = read_summary(data, "x.json").evaluations

    assert (evaluation.type, evaluation.by, evaluation.day) == ("midtvejs", "mentee",
                                                                dt.date(2026, 8, 25))


def test_scores_without_consent_are_never_read() -> None:
    data = fixture("par-boern-04")
    data["evaluations"][1]["scores"] = {"indhold": 1, "udbytte": 1}  # a tampered file

    evaluations = read_summary(data, "x.json").evaluations

    assert evaluations[1].consent == "nej" and evaluations[1].scores == ()
    assert evaluations[1].average is None and evaluations[0].average == pytest.approx(32 / 7)


def test_only_known_keys_are_read() -> None:
    data = fixture("par-voksen-02")
    data["records"] = [{"fields": {"referat": "Fortrolig tekst"}}]
    data["pairing"]["mentor_name"] = "Mette Hansen"

    summary = read_summary(data, "x.json")

    assert "Fortrolig" not in repr(summary) and "Mette" not in repr(summary)


# -- the frames ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def frames(tmp_path_factory: pytest.TempPathFactory) -> coordinator_data.Frames:
    folder = share_folder(tmp_path_factory.mktemp("frames"))
    return build_frames(load_summaries(folder), TODAY)


def row(frame: pd.DataFrame, pairing: str) -> dict[str, Any]:
    (found,) = frame[frame["pairing"] == pairing].to_dict("records")
    return found


def test_overview_has_one_row_per_pairing_with_what_the_coordinator_follows(
        frames: coordinator_data.Frames) -> None:
    assert list(frames.overview.columns) == list(COLUMNS["overview"])
    assert frames.overview["pairing"].is_unique and len(frames.overview) == 9
    got = row(frames.overview, "par-jobcenter-17")
    assert {k: got[k] for k in ("department", "mentor", "mentee", "phase", "phase_id",
                                "meetings_held", "meetings_planned", "meetings_agreed",
                                "days_since_meeting", "goals_reached", "goals_total",
                                "evaluation", "evaluation_average")} == {
        "department": "Jobcenter", "mentor": "M.H.", "mentee": "A.B.", "phase": "Læring",
        "phase_id": "laering", "meetings_held": 5, "meetings_planned": 2,  # 3 Nov has passed
        "meetings_agreed": 10, "days_since_meeting": 48, "goals_reached": 2,
        "goals_total": 4, "evaluation": "midtvejs", "evaluation_average": 3.86}
    assert (got["start"], got["last_meeting"], got["next_meeting"], got["as_of"]) == (
        day("2026-03-02"), day("2026-10-06"), day("2026-12-01"), day("2026-11-20"))
    assert pd.isna(got["closed_on"])
    closed = row(frames.overview, "par-boern-04")
    assert closed["closed_on"] == day("2026-10-15") and closed["evaluation_average"] == 4.57
    empty = row(frames.overview, "par-voksen-02")
    assert pd.isna(empty["days_since_meeting"]) and pd.isna(empty["next_meeting"])
    assert pd.isna(empty["evaluation_average"]) and pd.isna(empty["meetings_agreed"])


def test_meetings_have_one_row_per_date_held_or_planned(
        frames: coordinator_data.Frames) -> None:
    mine = frames.meetings[frames.meetings["pairing"] == "par-jobcenter-17"]
    assert list(mine["kind"]) == ["held"] * 5 + ["planned"] * 3
    assert list(mine["upcoming"]) == [False] * 6 + [True] * 2
    assert mine["date"].min() == day("2026-04-07") and mine["date"].max() == day("2027-01-05")
    assert str(frames.meetings["date"].dtype).startswith("datetime64")


def test_learning_goals_keep_own_goals_neutral(frames: coordinator_data.Frames) -> None:
    mine = frames.goals[frames.goals["pairing"] == "par-boern-04"]
    assert list(zip(mine["title"], mine["own"], mine["status"], strict=True)) == [
        ("Myndighedsrollen", False, "naaet"), ("Håndtering af stress", False, "naaet"),
        ("Eget læringsmål 1", True, "naaet"), ("Eget læringsmål 2", True, "i_gang")]
    history = frames.goal_history[frames.goal_history["pairing"] == "par-boern-04"]
    assert list(history["version"].unique()) == [1, 2, 3] and len(history) == 12
    assert set(history.loc[history["own"], "title"]) == {"Eget læringsmål 1",
                                                         "Eget læringsmål 2"}


def test_evaluations_in_long_form_only_with_consent(frames: coordinator_data.Frames) -> None:
    scores = frames.evaluations
    mine = scores[scores["pairing"] == "par-boern-04"]
    assert len(mine) == 7 and set(mine["by"]) == {"mentor"}  # the mentee said nej
    assert list(mine["aspect_label"]) == ["Indhold", "Læringsmål", "Relevans", "Form",
                                          "Rammer", "Metode", "Udbytte"]
    rounds = frames.evaluation_rounds
    assert list(rounds.loc[rounds["pairing"] == "par-boern-04", "consent"]) == ["ja", "nej"]
    assert set(scores["type"]) == {"afslutning", "midtvejs"}


def test_filters_narrow_every_frame(frames: coordinator_data.Frames) -> None:
    jobcenter = frames.filtered(department="Jobcenter")
    assert list(jobcenter.overview["pairing"]) == ["par-jobcenter-17"]
    assert set(jobcenter.meetings["pairing"]) == set(jobcenter.goals["pairing"]) == \
        set(jobcenter.evaluations["pairing"]) == {"par-jobcenter-17"}

    assert list(frames.filtered(mentor="L.K.").overview["pairing"]) == ["par-boern-04"]

    autumn = frames.filtered(start=dt.date(2026, 11, 1), end=dt.date(2026, 11, 30))
    assert "par-boern-04" not in set(autumn.overview["pairing"])  # closed 15 October
    assert "par-aeldre-09" not in set(autumn.overview["pairing"])
    assert "par-jobcenter-17" in set(autumn.overview["pairing"])
    assert autumn.meetings["date"].between(day("2026-11-01"), day("2026-11-30")).all()
    before = frames.filtered(end=dt.date(2026, 8, 31))
    assert "par-voksen-02" not in set(before.overview["pairing"])  # starts 28 September


def test_danish_names_and_values_for_display(frames: coordinator_data.Frames) -> None:
    shown = danish(frames.overview, "overview")
    assert list(shown.columns) == [
        "Mentorpar og afdeling", "Mentor / mentee", "Start", "Fase", "Møder holdt / planlagt",
        "Dage siden sidste møde", "Næste møde", "Læringsmål nået / i alt",
        "Evaluering (gns.)", "Delt"]
    got = shown[shown["Mentorpar og afdeling"].str.startswith("par-jobcenter-17")].iloc[0]
    assert list(got) == ["par-jobcenter-17\nJobcenter", "M.H. / A.B.", "2. mar. 2026",
                         "Læring", "5 / 2", 48, "1. dec. 2026", "2 / 4", "3,9",
                         "20. nov. 2026"]
    goals = danish(frames.goals, "goals")
    assert set(goals["Status"]) == {"Nået", "I gang", "Ikke startet"}
    scores = danish(frames.evaluations, "evaluations")
    assert {"Midtvejsevaluering", "Afslutning"} == set(scores["Evaluering"])


def test_frames_of_the_real_boundarys_summaries_match_the_stores(tmp_path: Path) -> None:
    summaries = demo_summaries(tmp_path / "demo")
    folder = tmp_path / "deling"
    folder.mkdir()
    for summary in summaries:
        write_summary(folder, summary)

    frames = build_frames(load_summaries(folder), TODAY)

    for summary in summaries:
        got = row(frames.overview, summary["pairing"]["id"])
        assert got["meetings_held"] == len(summary["meetings"]["held"])
        assert got["goals_total"] == len(summary["learning_goals"])
        assert got["phase_id"] == summary["phase"]["current"]
        if summary["evaluation"] and summary["evaluation"]["average"]:
            assert got["evaluation_average"] == summary["evaluation"]["average"]


def test_reading_never_writes_into_the_folder(tmp_path: Path) -> None:
    folder = share_folder(tmp_path, broken=tuple(BROKEN))
    before = {p.name: (p.stat().st_mtime_ns, p.stat().st_size) for p in folder.iterdir()}
    os.chmod(folder, 0o555)
    try:
        build_frames(load_summaries(folder), TODAY)
    finally:
        os.chmod(folder, 0o755)
    assert {p.name: (p.stat().st_mtime_ns, p.stat().st_size)
            for p in folder.iterdir()} == before


def test_a_file_given_as_the_folder_is_one_danish_error(tmp_path: Path) -> None:
    given = tmp_path / "fil.json"
    shutil.copyfile(VALID / file_name("par-voksen-02"), given)
    with pytest.raises(NysocError, match=r"fil\.json, kan ikke læses: "):
        load_summaries(given)  # a file, not a folder
