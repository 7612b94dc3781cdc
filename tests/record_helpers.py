"""Saving records in tests the way a form does: answers cleaned by the template's rules,
then one final save through the real store (which stamps the time ``_rows.now`` gives).

With the ``store_times`` fixture (``conftest.py``), each save takes the next of a list of
UTC times, so a test can write a history ("saved on 1 September, 1 October …") without
waiting for it.
"""

from __future__ import annotations

from typing import Any

from nysoc_widgets.catalogue import Catalogue
from nysoc_widgets.records import Record, clean_answers
from nysoc_widgets.store import Store

CATALOGUE = Catalogue.load()


def save_final(store: Store, template_id: str, role: str, record: Record | None = None,
               *, pairing: str = "P1", **answers: Any) -> Record:
    """Save ``answers`` as a final record of ``pairing`` (a new one, or a new version of
    ``record``); the answers must be valid."""
    template = CATALOGUE.get(template_id)
    values, errors = clean_answers(template, answers)
    assert errors == {}
    if record is None:
        record = Record(pairing, template.id, template.version, role, template.level)
    return store.save_record(record.with_values(values, "final"), template)
