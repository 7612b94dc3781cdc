"""The i18n layer: every text a user reads comes from ``locale/*.toml``.

Each file holds one concern's messages (``forms.toml``, ``store.toml`` …); a key is
``"<file>.<name>"`` and each entry has ``da`` (shown) and ``en`` (beside it, for
maintainers and English-speaking IT staff). Files are read once, on first use.
"""

from __future__ import annotations

import string
from collections.abc import Callable
from functools import cache
from importlib import resources
from typing import Any

from ._toml import loads as _toml_loads

__all__ = ["t", "has", "scope", "LANGUAGES", "catalogue"]

LANGUAGES = ("da", "en")


@cache
def _catalogue() -> dict[str, dict[str, str]]:
    """All messages of all locale files, keyed ``file.name``."""
    messages: dict[str, dict[str, str]] = {}
    folder = resources.files("nysoc_widgets") / "locale"
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".toml"):
            continue
        prefix = entry.name[: -len(".toml")]
        data = _toml_loads(entry.read_text(encoding="utf-8"))
        for name, texts in data.items():
            messages[f"{prefix}.{name}"] = texts
    return messages


def has(key: str) -> bool:
    """True when ``key`` names a message."""
    return key in _catalogue()


def catalogue() -> dict[str, dict[str, str]]:
    """Every message, keyed ``file.name`` (a copy; for checks and tools)."""
    return {key: dict(texts) for key, texts in _catalogue().items()}


def scope(prefix: str) -> Callable[..., str]:
    """``t`` for one locale file: ``_t = scope("forms")``, then ``_t("save")``."""

    def scoped(key: str, **values: Any) -> str:
        return t(f"{prefix}.{key}", **values)

    return scoped


def t(key: str, lang: str = "da", /, **values: Any) -> str:
    """The message ``key`` in ``lang`` with ``{placeholders}`` filled from ``values``.

    A missing key raises ``KeyError``: a typo must fail in tests, not show a raw key.
    """
    entry = _catalogue()[key]
    template = entry.get(lang) or entry["da"]
    if not values:
        return template
    return string.Formatter().vformat(template, (), _Defaulting(values))


class _Defaulting(dict):  # type: ignore[type-arg]
    """Leave an unknown placeholder visible instead of raising mid-message."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"
