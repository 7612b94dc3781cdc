"""The catalogue: built-ins load cleanly; a workplace folder adds, replaces and hides
templates; one broken workplace file is reported and the rest still load."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from nysoc_widgets.catalogue import Catalogue
from nysoc_widgets.errors import TemplateNotFoundError
from nysoc_widgets.templates import load_template

DATA = Path(__file__).parent / "data" / "templates"
BUILTIN = Path(__file__).parent.parent / "nysoc_widgets" / "catalogue"


def test_builtin_templates_load_without_problems() -> None:
    catalogue = Catalogue.load()
    assert catalogue.problems == ()
    assert {"logbog", "mentormoede", "sagsanalyse", "gode_raad"} <= set(catalogue.ids())


def test_choices_from_are_filled_in_from_the_named_field() -> None:
    catalogue = Catalogue.load()
    logbook_goals = catalogue.get("logbog").field("laeringsmaal").choices
    examples = catalogue.get("laeringsmaal").field("eksempler").choices
    assert logbook_goals == examples and len(examples) == 19


def test_unknown_template_lists_the_known_ones() -> None:
    with pytest.raises(TemplateNotFoundError, match="'logbøger'.*logbog"):
        Catalogue.load().get("logbøger")


def newer_logbook(folder: Path, version: int) -> None:
    text = (BUILTIN / "logbog.toml").read_text(encoding="utf-8")
    text = re.sub(r"^version = \d+$", f"version = {version}", text, count=1, flags=re.M)
    text = text.replace('title = { da = "', 'title = { da = "Vores ', 1)
    (folder / "logbog.toml").write_text(text, encoding="utf-8")


def test_workplace_folder_adds_replaces_hides_and_survives_a_broken_file(
        tmp_path: Path) -> None:
    shutil.copy(DATA / "valid" / "alle-felttyper.toml", tmp_path / "egen.toml")
    shutil.copy(DATA / "invalid" / "unknown-kind.toml", tmp_path / "brudt.toml")
    shutil.copy(DATA / "invalid" / "syntax-error.toml", tmp_path / "syntaks.toml")
    newer_logbook(tmp_path, version=3)
    (tmp_path / "catalogue.toml").write_text('hide = ["coaching"]\n', encoding="utf-8")

    catalogue = Catalogue.load(tmp_path)

    assert "alle_felttyper" in catalogue, "a workplace template is added"
    assert catalogue.get("logbog").version == 3, "a newer version replaces the built-in"
    assert catalogue.get("logbog").title.da.startswith("Vores ")
    assert "coaching" not in catalogue.ids(), "a hidden template is not offered"
    assert catalogue.get("coaching").id == "coaching", "…but old records can still use it"
    named = sorted(Path(p.file).name for p in catalogue.problems)
    assert named == ["brudt.toml", "syntaks.toml"]
    assert all("ikke gyldig" in str(p) for p in catalogue.problems)


def test_an_older_or_equal_version_does_not_replace_the_builtin(tmp_path: Path) -> None:
    newer_logbook(tmp_path, version=1)
    catalogue = Catalogue.load(tmp_path)
    assert not catalogue.get("logbog").title.da.startswith("Vores ")
    assert "højere versionsnummer" in str(catalogue.problems[0])


def test_unresolvable_choices_from_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    (tmp_path / "ref.toml").write_text(
        'schema_version = 1\nid = "ref"\nversion = 1\nsource = "test"\ntitle = "Ref"\n'
        '[[sections]]\nid = "a"\ntitle = "A"\n[[sections.fields]]\nid = "maal"\n'
        'kind = "multi_choice"\nlabel = "Mål"\nchoices_from = "findes.ikke"\n',
        encoding="utf-8")
    catalogue = Catalogue.load(tmp_path)
    assert "ref" not in catalogue
    assert any("findes.ikke" in str(p) for p in catalogue.problems)


@pytest.mark.parametrize("text", ['hide = "coaching"\n', 'skjul = ["coaching"]\n', "hide = [\n"],
                         ids=["not-a-list", "unknown-key", "syntax"])
def test_a_bad_control_file_is_reported(tmp_path: Path, text: str) -> None:
    (tmp_path / "catalogue.toml").write_text(text, encoding="utf-8")
    catalogue = Catalogue.load(tmp_path)
    assert "coaching" in catalogue
    assert len(catalogue.problems) == 1


def test_every_builtin_file_is_named_after_its_id() -> None:
    for path in sorted(BUILTIN.glob("*.toml")):
        assert load_template(path).id == path.stem
