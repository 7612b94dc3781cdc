"""What nysoc's export preprocessors share: the notebook's workspace, its catalogue and its
store, found once per export and kept in ``resources`` (:func:`context`), and how a notebook's
cells and outputs are read (which cell holds which form, which output holds which record).

Pure of nbconvert: the preprocessors in :mod:`._export_preprocessors` use it.
"""

from __future__ import annotations

import ast
import dataclasses
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .errors import NysocError, RecordNotFoundError, TemplateNotFoundError
from .records import Record
from .templates import Template

__all__ = ["SETUP_TAG", "CONFIDENTIAL_TAG", "LIVE_TAG", "Context", "FormCall", "context",
           "code_cells", "record_of", "nysoc_call"]

#: Cell tags a document reads: setup code; what never leaves the pair (dropped when
#: shareable); what only makes sense in the live notebook ("Sådan bruger du siden", the
#: coordinator's filters), never in a document.
SETUP_TAG = "nysoc-setup"
CONFIDENTIAL_TAG = "fortrolig"
LIVE_TAG = "nysoc-live"

#: ``resources`` key of the context (removed again before templates see ``resources``).
KEY = "_nysoc_context"


@dataclasses.dataclass
class Context:
    """The workspace a notebook belongs to (if found) and its template catalogue."""

    workspace: Any  # Workspace | None
    catalogue: Any  # Catalogue

    def current(self, template_id: str) -> Template | None:
        """Today's version of ``template_id`` here (None if the catalogue has none)."""
        try:
            found: Template = self.catalogue.get(template_id)
        except TemplateNotFoundError:
            return None
        return found

    def _store_file(self) -> bool:
        return self.workspace is not None and self.workspace.store_path.is_file()

    def written_under(self, record: Record) -> Template | None:
        """The template version ``record`` was written under (None if unknown here)."""
        current = self.current(record.template_id)
        if current is not None and current.version == record.template_version:
            return current
        if not self._store_file():
            return None
        with self.workspace.open_store() as store:
            written: Template | None = store.template_snapshot(record.template_id,
                                                               record.template_version)
        return written

    def shareable_template(self, record: Record) -> Template | None:
        """The template the boundary judges ``record`` by (narrowed by today's version)."""
        from .shared_summary import _template_for

        current = self.current(record.template_id)
        if current is not None and current.version == record.template_version:
            return current
        if not self._store_file():
            return None  # nothing known for sure: the record does not leave
        with self.workspace.open_store() as store:
            return _template_for(record, store, self.catalogue)

    def saved_records(self, template_id: str, record_id: str | None = None) -> list[Record]:
        """The pairing's saved records of ``template_id`` (final and drafts, oldest first),
        or the one record ``record_id``; none without a workspace, pairing or store."""
        ws = self.workspace
        if ws is None or not ws.pairing or not self._store_file():
            return []
        with ws.open_store() as store:
            if record_id:
                try:
                    found = store.get_record(record_id)
                except RecordNotFoundError:
                    return []  # deleted since the notebook was written
                return [found] if found.template_id == template_id else []
            records: list[Record] = store.list_records(pairing=ws.pairing,
                                                       template_id=template_id)
            return records


def _find_workspace(explicit: str | None, folder: str | None) -> Any:
    from .workspace import CONFIG_FILE, Workspace, find_workspace

    if explicit:
        return Workspace.load(explicit)
    if folder:
        here = Path(folder).resolve()
        for candidate in (here, *here.parents):
            if (candidate / CONFIG_FILE).is_file():
                return Workspace.load(candidate)
    try:
        return find_workspace()
    except NysocError:
        return None


def context(workspace: str | None, resources: dict[str, Any]) -> Context:
    """The notebook's context, found once per export and kept in ``resources``: the
    workspace ``workspace`` if given, else the nearest one above the notebook's folder."""
    found = resources.get(KEY)
    if isinstance(found, Context):
        return found
    from .catalogue import Catalogue

    folder = (resources.get("metadata") or {}).get("path") or None
    ws = _find_workspace(workspace, folder)
    made = Context(ws, ws.catalogue() if ws is not None else Catalogue.load())
    resources[KEY] = made
    return made


def code_cells(nb: Any) -> Iterator[Any]:
    """The notebook's code cells."""
    for cell in nb.cells:
        if cell.cell_type == "code":
            yield cell


def record_of(data: Any) -> Record | None:
    """The record of a nysoc JSON output (None if it is not one)."""
    if not isinstance(data, dict) or not isinstance(data.get("record"), dict):
        return None
    names = {f.name for f in dataclasses.fields(Record)}
    try:
        record = Record(**{k: v for k, v in data["record"].items() if k in names})
    except TypeError:
        return None
    if not isinstance(record.values, dict) or not isinstance(record.template_version, int):
        return None
    return record


@dataclasses.dataclass(frozen=True)
class FormCall:
    """A cell's one-line call of nysoc's API: ``nysoc.form("logbog")`` is
    ``FormCall("form", "logbog", {})``."""

    function: str
    argument: str | None
    keywords: dict[str, str]


def nysoc_call(source: str) -> FormCall | None:
    """The one nysoc call a cell's source makes (``nysoc.form("logbog")``,
    ``nysoc_widgets.card("gode_raad")``), or None for any other code."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return None
    if len(tree.body) != 1 or not isinstance(tree.body[0], ast.Expr):
        return None
    call = tree.body[0].value
    if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)
            and isinstance(call.func.value, ast.Name)
            and call.func.value.id in ("nysoc", "nysoc_widgets")):
        return None
    args = [a.value for a in call.args if isinstance(a, ast.Constant)]
    keywords = {k.arg: k.value.value for k in call.keywords
                if k.arg and isinstance(k.value, ast.Constant) and isinstance(k.value.value, str)}
    first = args[0] if args and isinstance(args[0], str) else None
    return FormCall(call.func.attr, first, keywords)
