"""Errors nysoc raises. Library code raises; the CLI and the forms catch at the edge.

Every error formats its own message in Danish (``str(err)``) from the i18n layer, keeps
the English beside it (``err.english``) and carries its details as attributes::

    NysocError
    ├── TemplateError (ValueError)            a template file or dict is invalid
    ├── TemplateNotFoundError (KeyError)      no template with that id
    ├── AnswerError (ValueError)              answers do not satisfy their template
    ├── StoreError (OSError)                  the store cannot be used
    │   ├── StoreNotFoundError                no store file where one was expected
    │   ├── StoreCorruptError                 not a (readable) nysoc store; left untouched
    │   └── StoreTooNewError                  written by a newer nysoc; left untouched
    ├── RecordNotFoundError (KeyError)        no record / pairing with that id
    ├── PairingExistsError (ValueError)       a pairing with that id exists already
    ├── WorkspaceError (OSError)              no workspace, or its config is invalid
    ├── DataFormatError (ValueError)          a data export nysoc does not understand
    ├── ExportError (OSError)                 a document cannot be made (no notebook, no
    │                                         browser for PDF, an unknown format)
    └── SummaryError (ValueError)             a shared summary the coordinator cannot read
"""

from __future__ import annotations

from typing import Any

from . import i18n

__all__ = [
    "NysocError",
    "TemplateError",
    "TemplateNotFoundError",
    "AnswerError",
    "StoreError",
    "StoreNotFoundError",
    "StoreCorruptError",
    "StoreTooNewError",
    "RecordNotFoundError",
    "PairingExistsError",
    "WorkspaceError",
    "DataFormatError",
    "ExportError",
    "SummaryError",
]


class NysocError(Exception):
    """Base of all nysoc errors: a message key from ``locale/errors.toml`` plus details.

    A ``reason`` detail may be given as ``reason_key`` (+ ``reason_values``) so that it is
    rendered in the same language as the message around it.
    """

    key = "errors.generic"

    def __init__(self, key: str | None = None, **details: Any) -> None:
        self.key = key or type(self).key
        self.details = details
        for name, value in details.items():
            setattr(self, name, value)
        super().__init__(self.message())

    def reason_text(self, lang: str = "da") -> str:
        """The ``reason`` detail in ``lang``: rendered from ``reason_key`` when given."""
        key = self.details.get("reason_key")
        if key is None:
            return str(self.details.get("reason", ""))
        return i18n.t(key, lang, **self.details.get("reason_values", {}))

    def message(self, lang: str = "da") -> str:
        """The message in ``lang`` (Danish by default)."""
        values = {k: v for k, v in self.details.items()
                  if k not in ("reason_key", "reason_values")}
        values["reason"] = self.reason_text(lang)
        return i18n.t(self.key, lang, **values)

    @property
    def english(self) -> str:
        """The same message in English."""
        return self.message("en")

    def __str__(self) -> str:
        return self.message()


class TemplateError(NysocError, ValueError):
    """A template is invalid. Details: ``file``, ``field`` (dotted path) and the problem as
    ``reason_key`` (a message in ``locale/templates.toml``) with ``reason_values``."""

    key = "errors.template"

    @property
    def problem(self) -> str:
        """The problem alone, in Danish."""
        return self.reason_text()


class TemplateNotFoundError(NysocError, KeyError):
    """No template with the id asked for. Details: ``template_id``, ``known``."""

    key = "errors.template_not_found"


class AnswerError(NysocError, ValueError):
    """Answers do not satisfy the template. Details: ``problems`` (field id → Danish text)."""

    key = "errors.answers"


class StoreError(NysocError, OSError):
    """The store cannot be used. Details: ``path`` and usually ``reason``."""

    key = "errors.store"


class StoreNotFoundError(StoreError):
    """There is no store file at ``path``; reading never creates one."""

    key = "errors.store_not_found"


class StoreCorruptError(StoreError):
    """The file at ``path`` is not a readable nysoc store; nysoc never overwrites it."""

    key = "errors.store_corrupt"


class StoreTooNewError(StoreError):
    """The store at ``path`` has schema ``found``; this nysoc knows up to ``supported``."""

    key = "errors.store_too_new"


class RecordNotFoundError(NysocError, KeyError):
    """No record (or pairing) with that id. Details: ``what``, ``record_id``."""

    key = "errors.record_not_found"


class PairingExistsError(NysocError, ValueError):
    """A pairing with that id is already in the store. Details: ``pairing_id``."""

    key = "store.pairing_exists"


class WorkspaceError(NysocError, OSError):
    """No workspace at ``path``, or its config is invalid (``reason``)."""

    key = "errors.workspace"


class DataFormatError(NysocError, ValueError):
    """A data export (``nysoc data import``) nysoc does not understand; nothing was changed.
    Details: ``file``, ``where`` (e.g. ``records[3].fields``) and the problem as
    ``reason_key`` (a message in ``locale/data.toml``) with ``reason_values``."""

    key = "errors.data_format"


class SummaryError(NysocError, ValueError):
    """A shared summary (``nysoc-summary``) the coordinator cannot read; it is skipped and
    listed. Details: ``file`` (its name) and the problem as ``reason_key`` (a message in
    ``locale/coordinator.toml``) with ``reason_values``."""

    key = "errors.summary"


class ExportError(NysocError, OSError):
    """A document cannot be made: the notebook cannot be read, the format is unknown, or
    there is no browser to print a PDF with (``nysoc export``)."""

    key = "errors.generic"
