"""environment.yml (for conda users) lists the same dependencies as pyproject.toml (for pip).

Compared: [project] dependencies plus the "test" extra, against everything under
`dependencies:` in environment.yml including its `pip:` subsection. Names are normalised
(lower case, runs of `-_.` become `-`) and conda-forge names that differ from PyPI's are
mapped. Lower bounds (`>=`) must be equal where either file gives one. Conda has no
environment markers, so a conditional pyproject dependency must be listed in
CONDITIONAL_KEPT_UNCONDITIONALLY to say that environment.yml lists it for every Python.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml  # PyYAML: not ours to list; jupyter-events (via jupyter_server) requires it
from packaging.requirements import InvalidRequirement, Requirement
from packaging.specifiers import SpecifierSet

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent

#: conda-forge package name -> PyPI name, where they differ.
CONDA_TO_PYPI = {
    "matplotlib-base": "matplotlib",  # matplotlib without the Qt backend
    "nbconvert-core": "nbconvert",  # nbconvert without pandoc, as on PyPI
    "playwright-python": "playwright",
}
#: Allowed in environment.yml although pyproject.toml does not list them as dependencies.
CONDA_ONLY = {"pip"}
#: Conditional pyproject dependencies that environment.yml lists unconditionally, with the
#: one marker each may carry. tomli is needed on Python 3.10 only and harmless later.
CONDITIONAL_KEPT_UNCONDITIONALLY = {"tomli": 'python_version < "3.11"'}

Problem = tuple[str, str]  # (kind, package): kind is missing | extra | bound | marker | bad


def normalise(name: str) -> str:
    """PEP 503 form of a package name: lower case, runs of `-`, `_`, `.` as one `-`."""
    return re.sub(r"[-_.]+", "-", name).lower()


def lower_bound(specifier: str) -> str | None:
    """The version after `>=` in a PEP 440 or conda version specifier, if there is one."""
    bounds = [s.version for s in SpecifierSet(specifier.replace(" ", "")) if s.operator == ">="]
    return bounds[0] if bounds else None


def pyproject_dependencies(project: dict[str, Any]) -> list[str]:
    """Requirement strings to mirror: Python itself, runtime deps, and the test extra."""
    python = [f"python{project['requires-python']}"] if "requires-python" in project else []
    test = project.get("optional-dependencies", {}).get("test", [])
    return python + list(project.get("dependencies", [])) + list(test)


def conda_dependencies(env: dict[str, Any]) -> list[str]:
    """Conda specs and, prefixed with `pip:`, the entries of the pip subsection."""
    specs: list[str] = []
    for entry in env.get("dependencies") or []:
        if isinstance(entry, dict):
            specs += [f"pip:{spec}" for spec in entry.get("pip") or []]
        else:
            specs.append(str(entry))
    return specs


def _parse_conda(spec: str) -> tuple[str, str | None]:
    if spec.startswith("pip:"):
        req = Requirement(spec[4:])  # raises InvalidRequirement for `-e .`, `-r file`, ...
        return normalise(req.name), lower_bound(str(req.specifier))
    match = re.fullmatch(r"(?:[\w.-]+::)?([A-Za-z0-9_.-]+)\s*([^\s]*)(?:\s+\S+)?", spec.strip())
    if match is None:
        raise ValueError(spec)
    name = normalise(match.group(1))
    version = match.group(2)
    bound = lower_bound(version) if version.startswith((">", "<", "!", "~", "=")) else None
    return normalise(CONDA_TO_PYPI.get(name, name)), bound


def compare(pyproject: list[str], conda: list[str]) -> list[Problem]:
    """Every way the two dependency lists disagree; empty when they agree."""
    problems: list[Problem] = []
    wanted: dict[str, str | None] = {}
    for text in pyproject:
        req = Requirement(text)
        name = normalise(req.name)
        if req.marker is not None and CONDITIONAL_KEPT_UNCONDITIONALLY.get(name) != str(
            req.marker
        ):
            problems.append(("marker", name))
        wanted[name] = lower_bound(str(req.specifier))
    listed: dict[str, str | None] = {}
    for spec in conda:
        try:
            name, bound = _parse_conda(spec)
        except (ValueError, InvalidRequirement):
            problems.append(("bad", spec))
            continue
        if name in listed:
            problems.append(("bad", spec))  # listed twice
        listed[name] = bound
    for name, bound in wanted.items():
        if name not in listed:
            problems.append(("missing", name))
        elif listed[name] != bound:
            problems.append(("bound", name))
    allowed = set(wanted) | CONDA_ONLY
    problems += [("extra", name) for name in listed if name not in allowed]
    return problems


@pytest.fixture(scope="module")
def problems() -> list[Problem]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    pyproject, conda = pyproject_dependencies(project), conda_dependencies(env)
    assert len(pyproject) > 5 and len(conda) > 5, "parsed (almost) no dependencies"
    return compare(pyproject, conda)


def _of_kind(problems: list[Problem], *kinds: str) -> list[str]:
    return [name for kind, name in problems if kind in kinds]


def test_every_pyproject_runtime_and_test_dependency_is_in_environment_yml(
    problems: list[Problem],
) -> None:
    missing = _of_kind(problems, "missing")
    assert missing == [], f"in pyproject.toml but not in environment.yml: {missing}"


def test_environment_yml_has_nothing_beyond_pyproject_except_python_and_pip(
    problems: list[Problem],
) -> None:
    extra = _of_kind(problems, "extra", "bad")
    assert extra == [], f"in environment.yml only, listed twice, or unreadable: {extra}"


def test_lower_bounds_are_equal_in_pyproject_and_environment_yml(problems: list[Problem]) -> None:
    differing = _of_kind(problems, "bound")
    assert differing == [], f"'>=' lower bounds differ (or one file has none): {differing}"


def test_only_known_conditional_dependencies_are_listed_unconditionally_for_conda(
    problems: list[Problem],
) -> None:
    conditional = _of_kind(problems, "marker")
    assert conditional == [], (
        f"conditional in pyproject.toml, unconditional in conda: {conditional}; "
        "decide what environment.yml should say and update CONDITIONAL_KEPT_UNCONDITIONALLY"
    )


def test_environment_yml_is_named_nysoc_and_uses_only_conda_forge() -> None:
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    assert env["name"] == "nysoc"
    assert env["channels"] == ["conda-forge"]


@pytest.mark.parametrize(
    ("pyproject", "conda", "expected"),
    [
        pytest.param(["pandas>=2.0"], ["pandas>=2.0", "pip"], [], id="agreeing-lists"),
        pytest.param(["pandas>=2.0", "voila>=0.5"], ["pandas>=2.0"], [("missing", "voila")],
                     id="missing-dependency-reported"),
        pytest.param(["pandas"], ["pandas", "numpy"], [("extra", "numpy")], id="extra-reported"),
        pytest.param(["pandas>=2.0"], ["pandas>=1.5"], [("bound", "pandas")],
                     id="different-lower-bound-reported"),
        pytest.param(["pandas>=2.0"], ["pandas"], [("bound", "pandas")],
                     id="lower-bound-only-in-pyproject-reported"),
        pytest.param(["rich; sys_platform == 'win32'"], ["rich"], [("marker", "rich")],
                     id="unhandled-marker-reported"),
        pytest.param(["tomli>=2.0; python_version < '3.11'"], ["tomli>=2.0"], [],
                     id="tomli-marker-accepted"),
        pytest.param(["Foo_Bar.baz>=1"], ["pip:foo-bar-baz>=1"], [], id="names-normalised"),
        pytest.param(["matplotlib>=3.7"], ["matplotlib-base >=3.7"], [], id="conda-name-mapped"),
        pytest.param(["a"], ["pip:-e ."], [("missing", "a"), ("bad", "pip:-e .")],
                     id="non-requirement-pip-entry-reported"),
    ],
)
def test_comparison_reports_each_kind_of_mismatch(
    pyproject: list[str], conda: list[str], expected: list[Problem]
) -> None:
    assert sorted(compare(pyproject, conda)) == sorted(expected)
