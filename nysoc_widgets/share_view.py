"""The share button on the pair's start page: ``nysoc.share()``.

It shows exactly what the coordinator will receive (:func:`share_preview.preview_html`,
with **Opdatér**), a checkbox "Vi har set, hvad tovholderen får, og er enige om at dele
det", and **Del med tovholderen** (enabled once ticked), which writes the summary to the
workspace's share folder (:mod:`nysoc_widgets.sharing`) and says when and to which file.

What is written is what was shown: the summary is built again at the click, and if
anything but the time of sharing differs (a record saved in another window meanwhile),
nothing is written – the preview is updated and the pair is asked to look again.

Without a share folder the preview is shown with a note on how to set one. A coordinator's
workspace gets a note on where the pairs' summaries are instead; a contact person shares the
introduction programme (its status meetings) like a pair.
"""

from __future__ import annotations

import datetime as dt
import logging
import traceback
from collections.abc import Callable
from html import escape
from pathlib import Path
from typing import Any

import ipywidgets as w

from . import i18n
from .errors import NysocError
from .workspace import Workspace, find_workspace

__all__ = ["ShareView", "share"]

_t = i18n.scope("share")
log = logging.getLogger(__name__)


def _note(text: str, *, alert: bool = False) -> str:
    style = "color:#a4000f" if alert else "color:#333"
    role = ' role="alert"' if alert else ""
    return f'<p class="nysoc-share-note"{role} style="{style}">{escape(text)}</p>'


def _content(summary: dict[str, Any] | None) -> dict[str, Any] | None:
    """A summary without when it was made and shared: what the pair agreed to."""
    if summary is None:
        return None
    return {k: v for k, v in summary.items() if k not in ("shared", "generated")}


class _Preview:
    """A built summary and its preview, as a view for :class:`api.Refreshable`."""

    def __init__(self, summary: dict[str, Any], html: str) -> None:
        self.summary, self.html = summary, html

    def _repr_html_(self) -> str:
        return self.html


class ShareView(w.VBox):
    """The preview, the agreement and the button (see the module docs).

    ``now`` (a function giving an aware time; default: the clock) is when a click shares.
    """

    def __init__(self, workspace: Workspace, *,
                 now: Callable[[], dt.datetime] | None = None) -> None:
        super().__init__()
        from .api import Refreshable

        self.workspace = workspace
        self._now = now or (lambda: dt.datetime.now(dt.timezone.utc))
        self.add_class("nysoc-share")
        self.message = w.HTML()
        self.message.add_class("nysoc-message")
        self.agree = w.Checkbox(value=False, description=_t("agree"), indent=False,
                                layout=w.Layout(width="auto"))
        self.button = w.Button(description=_t("button"), tooltip=_t("button_help"),
                               button_style="primary", icon="share", disabled=True,
                               layout=w.Layout(width="auto"))
        self.agree.observe(self._agreed, "value")
        self.button.on_click(self.share)
        self.note = w.HTML()
        self.preview: Any = None
        intro = w.HTML(_note(_t(f"view_intro_{workspace.role}")
                             if i18n.has(f"share.view_intro_{workspace.role}")
                             else _t("view_intro")))
        if workspace.role == "koordinator" or not workspace.pairing:
            self.note.value = self._elsewhere()
            self.children = [self.note]
            return
        self.preview = Refreshable(self._build, css_class="nysoc-share-preview-view",
                                   folded=None, tooltip=_t("refresh_help"),
                                   unexpected="share.unexpected")
        self.note.value = self._folder_note()
        parts: list[w.Widget] = [intro, self.preview.widget, self.note]
        if workspace.share_folder is not None:
            parts += [self.agree, self.button]
        self.children = [*parts, self.message]

    # -- what is shown ----------------------------------------------------------------------

    def _build(self) -> _Preview:
        from .share_preview import preview_html
        from .sharing import build_summary

        catalogue = self.workspace.catalogue()
        summary = build_summary(self.workspace, now=self._now(), catalogue=catalogue)
        return _Preview(summary, preview_html(summary, catalogue, pending=True))

    def _folder_note(self) -> str:
        folder = self.workspace.share_folder
        if folder is None:
            return _note(_t("no_folder_note", config=self.workspace.config_path), alert=True)
        if not folder.is_dir():
            return _note(_t("folder_missing_note", path=folder), alert=True)
        return _note(_t("folder_note", path=folder))

    def _elsewhere(self) -> str:
        """A coordinator's (or a pairing-less) workspace: where the summaries are."""
        ws = self.workspace
        if ws.role != "koordinator":
            return _note(_t("no_pairing"))
        folder = ws.share_folder
        if folder is None:
            return _note(_t("coordinator_no_folder", config=ws.config_path))
        from .sharing import SUFFIX

        count = len(list(folder.glob("*" + SUFFIX))) if folder.is_dir() else 0
        return _note(_t("coordinator_note", path=folder, count=count))

    # -- sharing ----------------------------------------------------------------------------

    def _agreed(self, change: dict[str, Any]) -> None:
        self.button.disabled = not change["new"]

    def share(self, _button: Any = None) -> Path | None:
        """Write the summary shown (if it is still what the store holds); the file's path."""
        try:
            return self._share()
        except NysocError as exc:
            self.message.value = _note(str(exc), alert=True)
        except Exception as exc:  # noqa: BLE001 - the edge: show it, log only type and path
            log.error("nysoc share failed: %s\n%s", type(exc).__name__,
                      "".join(traceback.format_tb(exc.__traceback__)))
            self.message.value = _note(_t("unexpected", error=type(exc).__name__), alert=True)
        return None

    def _share(self) -> Path | None:
        from .clock import local
        from .sharing import target_folder, write_summary

        if not self.agree.value or self.preview is None:
            return None
        shown = getattr(self.preview.value, "summary", None)
        folder = target_folder(self.workspace)
        latest = self._build()
        if _content(latest.summary) != _content(shown):
            self.preview.refresh()
            self.agree.value = False
            self.message.value = _note(_t("changed"), alert=True)
            return None
        path = write_summary(folder, latest.summary)
        moment = local(latest.summary["shared"]["at"])
        self.message.value = _note(_t("shared_done", time=moment.strftime("%H.%M")
                                      if moment else "", name=path.name, path=path.parent))
        self.agree.value = False
        return path


def share(*, workspace: str | Path | Workspace | None = None,
          now: Callable[[], dt.datetime] | None = None) -> Any:
    """The share button for this workspace's pairing (or a Danish notice saying why not):
    the preview of what the coordinator will receive, the pair's agreement and
    **Del med tovholderen**. See :class:`ShareView`."""
    from .api import notice

    try:
        ws = workspace if isinstance(workspace, Workspace) else find_workspace(workspace)
        return ShareView(ws, now=now)
    except NysocError as exc:
        return notice(str(exc))
