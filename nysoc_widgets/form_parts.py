"""Parts of a form that are not questions: its history bar and its draft banner.

Small views with callbacks into the form; the form decides, they show. Kept apart so the
form engine (``forms.py``) stays about building, reading and saving answers.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import ipywidgets as w

from . import i18n, render
from .glossary import STATUSES
from .records import Record, RecordVersion

__all__ = ["HistoryBar", "DraftBanner"]

_t = i18n.scope("forms")
_WIDE = {"width": "28em"}
_LABEL = {"description_width": "initial"}


class HistoryBar(w.VBox):
    """Earlier records to open, and earlier versions of the open record to restore."""

    def __init__(self, on_open: Callable[[str], None], on_restore: Callable[[int], None]) -> None:
        self.earlier = w.Dropdown(description=_t("earlier"), style=_LABEL, layout=_WIDE)
        self.open_button = w.Button(description=_t("open"))
        self.versions = w.Dropdown(description=_t("versions"), style=_LABEL, layout=_WIDE)
        self.restore_button = w.Button(description=_t("restore"), tooltip=_t("restore_help"))
        self.open_button.on_click(lambda _b: on_open(self.earlier.value or ""))
        self.restore_button.on_click(lambda _b: on_restore(self.versions.value or 0))
        self.version_row = w.HBox([self.versions, self.restore_button])
        super().__init__([w.HBox([self.earlier, self.open_button]), self.version_row])

    def show(self, records: Sequence[Record], current: Record | None,
             versions: Sequence[RecordVersion]) -> None:
        """List ``records`` (newest first) with ``current`` chosen, and its ``versions``."""
        self.earlier.options = [(f"{render.format_date(r.updated)} – {STATUSES[r.status]}", r.id)
                                for r in reversed(records)]
        ids = {r.id for r in records}
        self.earlier.value = current.id if current and current.id in ids else None
        self.versions.options = [(f"version {v.version} – {render.format_date(v.saved)} "
                                  f"kl. {render.format_time(v.saved)}", v.version)
                                 for v in reversed(versions)]
        self.versions.value = None
        self.version_row.layout.display = "flex" if len(versions) > 1 else "none"


class DraftBanner(w.HBox):
    """"There is an unsaved draft from …" with buttons to restore or discard it."""

    def __init__(self, on_restore: Callable[[], None], on_discard: Callable[[], None]) -> None:
        self.text = w.HTML()
        self.restore_button = w.Button(description=_t("draft_restore"), button_style="warning")
        self.discard_button = w.Button(description=_t("draft_discard"))
        self.restore_button.on_click(lambda _b: on_restore())
        self.discard_button.on_click(lambda _b: on_discard())
        super().__init__([self.text, self.restore_button, self.discard_button],
                         layout={"display": "none"})

    def offer(self, saved: str) -> None:
        """Show the banner for a draft autosaved at ``saved`` (an ISO time)."""
        when = f"{render.format_date(saved)} kl. {render.format_time(saved)}"
        self.text.value = _t("draft_found", when=when)
        self.layout.display = "flex"

    def hide(self) -> None:
        self.layout.display = "none"
