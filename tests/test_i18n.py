"""The i18n layer: every message has Danish and English with the same placeholders, and
every message key the code asks for exists."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from nysoc_widgets import i18n

PACKAGE = Path(__file__).resolve().parent.parent / "nysoc_widgets"
MESSAGES = i18n.catalogue()


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_message_has_danish_and_english_with_the_same_placeholders(key: str) -> None:
    texts = MESSAGES[key]
    assert set(texts) == set(i18n.LANGUAGES), f"{key} needs exactly da and en"
    assert texts["da"].strip() and texts["en"].strip()
    assert placeholders(texts["da"]) == placeholders(texts["en"])


def used_keys() -> set[str]:
    """Message keys written literally in the package: scoped ``_t("x")`` calls, i18n keys
    in quotes, template problems (``self.fail(where, "x"``), field value errors and store
    reasons (``_error(StoreError, path, "x"``)."""
    keys = set()
    for path in PACKAGE.glob("*.py"):
        source = path.read_text(encoding="utf-8")
        scope = re.search(r'_t = i18n\.scope\("(\w+)"\)', source)
        if scope:
            keys |= {f"{scope[1]}.{k}" for k in re.findall(r'\b_t\(\s*"(\w+)"', source)}
        keys |= set(re.findall(r'"((?:errors|forms|templates|fields|workspace|store|cli|'
                               r'summaries)\.\w+)"', source))
        keys |= {f"templates.{k}" for k in re.findall(r'self\.fail\([^,]+, "(\w+)"', source)}
        keys |= {f"fields.{k}" for k in re.findall(r'FieldValueError\("(\w+)"', source)}
        keys |= {f"store.{k}" for k in re.findall(r'_?error\(\w+, [^,]+, "(\w+)"', source)}
    return keys


def test_every_key_the_code_uses_exists() -> None:
    keys = used_keys()
    assert len(keys) > 80, "the scan finds the code's keys"
    assert sorted(k for k in keys if k not in MESSAGES) == []


def test_a_missing_key_fails_loudly() -> None:
    with pytest.raises(KeyError):
        i18n.t("forms.findes_ikke")


def test_placeholders_are_filled_and_unknown_ones_stay_visible() -> None:
    assert i18n.t("forms.saved_final", time="10.15", version=2) == "Gemt kl. 10.15 (version 2)."
    assert "{version}" in i18n.t("forms.saved_final", time="10.15")
    assert i18n.t("forms.save", "en") == "Save"
