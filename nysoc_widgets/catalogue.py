"""The template catalogue: the built-in templates plus a workplace's own folder.

A workplace folder can add templates, replace a built-in with a newer ``version`` of the
same ``id``, or hide templates (``catalogue.toml`` with ``hide = ["id", …]``). A broken
workplace file is reported in ``Catalogue.problems`` and skipped; the rest still load.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from functools import lru_cache
from importlib import resources
from pathlib import Path

from ._toml import TOMLDecodeError
from ._toml import loads as toml_loads
from .errors import TemplateError, TemplateNotFoundError
from .fields import Field
from .templates import Template, load_template

__all__ = ["Catalogue", "CONTROL_FILE", "template_files"]

#: The file in a workplace folder that is not a template but says what to hide.
CONTROL_FILE = "catalogue.toml"
_SUFFIXES = (".toml", ".json")


def template_files(folder: Path) -> list[Path]:
    """The template files in ``folder`` (sorted; the control file left out)."""
    return sorted(p for p in folder.iterdir()
                  if p.suffix in _SUFFIXES and p.name != CONTROL_FILE and p.is_file())


@lru_cache(maxsize=1)
def _builtin() -> tuple[Template, ...]:
    """The templates shipped with nysoc (read once per process; a broken one is a bug)."""
    folder = resources.files("nysoc_widgets") / "catalogue"
    with resources.as_file(folder) as path:
        return tuple(load_template(p) for p in template_files(Path(path)))


class Catalogue:
    """The templates a workspace can use, by id, and the problems met loading them."""

    def __init__(self, templates: dict[str, Template], hidden: frozenset[str] = frozenset(),
                 problems: tuple[TemplateError, ...] = ()) -> None:
        self._all = templates
        self.hidden = hidden
        self.problems = problems

    @classmethod
    def load(cls, workplace: str | Path | None = None) -> Catalogue:
        """Built-in templates, adapted by the ``workplace`` folder if one is given."""
        templates = {t.id: t for t in _builtin()}
        problems: list[TemplateError] = []
        hidden: set[str] = set()
        if workplace is not None and Path(workplace).is_dir():
            folder = Path(workplace)
            hidden = _read_hidden(folder, problems)
            for path in template_files(folder):
                try:
                    candidate = load_template(path)
                except TemplateError as exc:
                    problems.append(exc)
                    continue
                current = templates.get(candidate.id)
                if current is not None and candidate.version <= current.version:
                    problems.append(TemplateError(
                        file=str(path), field="version", reason_key="templates.not_newer",
                        reason_values={"id": candidate.id, "version": current.version}))
                    continue
                templates[candidate.id] = candidate
        resolved = _resolve_choices(templates, problems)
        return cls(resolved, frozenset(hidden), tuple(problems))

    def get(self, template_id: str) -> Template:
        """The template ``template_id`` (hidden ones too: old records still need them)."""
        try:
            return self._all[template_id]
        except KeyError:
            raise TemplateNotFoundError(template_id=template_id,
                                        known=", ".join(self.ids())) from None

    def ids(self) -> list[str]:
        """Ids of the templates in use (not hidden), sorted."""
        return sorted(i for i in self._all if i not in self.hidden)

    def __iter__(self) -> Iterator[Template]:
        return (self._all[i] for i in self.ids())

    def __len__(self) -> int:
        return len(self.ids())

    def __contains__(self, template_id: object) -> bool:
        return template_id in self._all and template_id not in self.hidden


def _read_hidden(folder: Path, problems: list[TemplateError]) -> set[str]:
    path = folder / CONTROL_FILE
    if not path.is_file():
        return set()
    try:
        data = toml_loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, TOMLDecodeError) as exc:
        problems.append(TemplateError(file=str(path), field="-", reason_key="templates.syntax",
                                      reason_values={"reason": str(exc)}))
        return set()
    unknown = sorted(set(data) - {"hide"})
    hide = data.get("hide", [])
    if unknown or not isinstance(hide, list) or not all(isinstance(h, str) for h in hide):
        problems.append(TemplateError(
            file=str(path), field=unknown[0] if unknown else "hide",
            reason_key="templates.bad_control",
            reason_values={}))
        return set()
    return set(hide)


def _resolve_choices(templates: dict[str, Template],
                     problems: list[TemplateError]) -> dict[str, Template]:
    """Fill in ``choices_from`` references and check ``choices_from_saved`` ones; a
    template whose reference fails is dropped."""
    out: dict[str, Template] = {}
    for tid, template in templates.items():
        try:
            out[tid] = _with_choices(template, templates)
        except TemplateError as exc:
            problems.append(exc)
    return out


def _with_choices(template: Template, templates: dict[str, Template]) -> Template:
    if not any(f.choices_from or f.choices_from_saved for f in template.fields):
        return template
    sections = []
    for section in template.sections:
        fields = []
        for fld in section.fields:
            if fld.choices_from:
                ref_template, ref_field = fld.choices_from.split(".")
                try:
                    choices = templates[ref_template].field(ref_field).choices
                except KeyError:
                    choices = ()
                if not choices:
                    raise TemplateError(file=template.path, field=f"fields.{fld.id}.choices_from",
                                        reason_key="templates.unresolved_choices",
                                        reason_values={"value": fld.choices_from})
                fld = dataclasses.replace(fld, choices=choices)
            if fld.choices_from_saved:
                fld = _with_saved(template, fld, templates)
            fields.append(fld)
        sections.append(dataclasses.replace(section, fields=tuple(fields)))
    return dataclasses.replace(template, sections=tuple(sections))


def _with_saved(template: Template, fld: Field, templates: dict[str, Template]) -> Field:
    """Check a ``choices_from_saved`` reference: an item field (its items are offered) or a
    ``date`` field (each saved record is offered, called by ``saved_title``, by default the
    named template's title)."""
    from .saved_choices import ITEM_KINDS

    ref_template, _, ref_field = (fld.choices_from_saved or "").partition(".")
    where = f"fields.{fld.id}.choices_from_saved"

    def fail(key: str, **values: str) -> TemplateError:
        return TemplateError(file=template.path, field=where,
                             reason_key=f"templates.{key}",
                             reason_values={"value": fld.choices_from_saved, **values})

    try:
        named = templates[ref_template].field(ref_field)
    except KeyError:
        raise fail("unresolved_saved") from None
    if named.kind == "date":
        return dataclasses.replace(fld, saved_title=fld.saved_title
                                   or templates[ref_template].title)
    if named.kind not in ITEM_KINDS:
        raise fail("saved_wrong_kind", kind=named.kind)
    if fld.saved_title is not None:
        raise fail("saved_title_not_date")
    return fld
