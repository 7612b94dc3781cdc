"""Parts of a form that are not questions: history bar, draft banner, personal-data panel,
the confirmation line and the "as written" view of a record of an older template version.

Small views with callbacks into the form; the form decides, they show. Kept apart so the
form engine (``forms.py``) stays about building, reading and saving answers.
"""

from __future__ import annotations

import functools
import logging
import traceback
from collections.abc import Callable, Mapping, Sequence
from html import escape
from typing import TYPE_CHECKING, Any

import ipywidgets as w

from . import i18n, render
from .errors import NysocError, StoreError
from .glossary import STATUSES
from .records import Record, RecordVersion, awaiting_confirmation, confirmed_by

if TYPE_CHECKING:
    from .privacy import Finding
    from .store import Store
    from .templates import Template

__all__ = ["FORM_CSS", "shielded", "HistoryBar", "DraftBanner", "PrivacyPanel", "AsWritten",
           "written_under", "confirmation_html", "reset_html", "join_names"]

_t = i18n.scope("forms")
log = logging.getLogger("nysoc_widgets.forms")

#: Labels above their inputs, wrapped and left-aligned (ipywidgets cuts long labels off).
#: A clear focus ring on everything that takes focus (WCAG 2.4.7): ipywidgets only tints an
#: input's border light blue, and its rules of the same specificity remove the outline
#: (hence ``!important``). The dark blue (#1a5fb4) contrasts 6.4:1 with the white page and
#: 5.5:1 with a grey button.
FORM_CSS = ("<style>.nysoc-form .widget-label{text-align:left;white-space:normal;"
            "overflow:visible;text-overflow:clip;height:auto;line-height:1.4;max-width:none}"
            ".nysoc-form .widget-html-content{line-height:1.45}"
            ".nysoc-form .widget-checkbox{height:auto}"
            ".nysoc-form .widget-label-basic,.nysoc-form .widget-label-basic span{"
            "white-space:normal;overflow:visible;text-overflow:clip;height:auto}"
            # A dropdown stacked under its label: ipywidgets' flex basis is a width, which
            # in a column becomes the select's height (a 150 px tall box).
            ".nysoc-field .widget-dropdown select{flex:0 0 var(--jp-widgets-inline-height,28px)}"
            ".nysoc-form :is(input,textarea,select,button,summary,a):focus-visible,"
            # A date's calendar button (inside the input) has focus: ring the whole input.
            ".nysoc-form input[type=date]:focus-within{"
            "outline:2px solid #1a5fb4!important;outline-offset:1px}"
            # Room for that ring at the left edge, where the form's box would clip it.
            ".nysoc-form :is(.widget-radio-box,.widget-checkbox){padding-left:4px}"
            "</style>")


def shielded(method: Callable[..., Any]) -> Callable[..., Any]:
    """Run a form callback so that any error becomes a Danish message in the form (through
    its ``say``), never a traceback in front of the user and never lost in a log."""

    @functools.wraps(method)
    def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except NysocError as exc:
            self.say(str(exc), "error")
        except Exception as exc:  # noqa: BLE001 - the edge: show, log, keep the answers
            # The type and the code path only: an error's message may quote what was written.
            log.error("nysoc form callback failed: %s\n%s", type(exc).__name__,
                      "".join(traceback.format_tb(exc.__traceback__)))
            self.say(_t("unexpected", error=type(exc).__name__), "error")
        return None

    return wrapper
_WIDE = {"width": "28em"}
_LABEL = {"description_width": "initial"}
#: A warning button (orange, #f57c00) with black text: ipywidgets' white text on it has a
#: contrast of 2.9:1, black 7.8:1 (WCAG 1.4.3 asks for 4.5:1).
_WARNING = {"button_style": "warning", "style": {"text_color": "black"}}


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
    """The form's draft: kept in the store while the user types (``keep``, the autosave
    action), and offered back — "There is an unsaved draft from …" — when the form opens."""

    def __init__(self, form: Any) -> None:
        self.form = form
        self.text = w.HTML()
        self.restore_button = w.Button(description=_t("draft_restore"), **_WARNING)
        self.discard_button = w.Button(description=_t("draft_discard"))
        self.restore_button.on_click(lambda _b: self.restore())
        self.discard_button.on_click(lambda _b: self.discard())
        super().__init__([self.text, self.restore_button, self.discard_button],
                         layout={"display": "none"})

    def say(self, text: str, kind: str = "info") -> None:
        self.form.say(text, kind)

    def keep(self) -> None:
        """Autosave what the form holds now; a failure is shown, never raised at the typist."""
        store = self.form.store
        if store is None or store.closed:
            return
        try:
            store.save_draft(self.form.draft_key(), self.form.raw_values())
        except Exception as exc:  # noqa: BLE001 - a failed autosave must never break typing
            log.warning("nysoc autosave failed: %s", type(exc).__name__)  # never the text
            reason = str(exc) if isinstance(exc, StoreError) else type(exc).__name__
            self.say(_t("autosave_failed", reason=reason), "error")

    def offer(self) -> None:
        """Show the banner if a draft was autosaved after the record was last saved."""
        self.hide()
        store, record = self.form.store, self.form.record
        draft = store.get_draft(self.form.draft_key()) if store is not None else None
        if draft is not None and not (record and draft.saved <= record.updated):
            when = f"{render.format_date(draft.saved)} kl. {render.format_time(draft.saved)}"
            self.text.value = _t("draft_found", when=when)
            self.layout.display = "flex"

    @shielded
    def restore(self) -> None:
        draft = self.form.need_store().get_draft(self.form.draft_key())
        if draft is not None:
            self.form.load_values(draft.values)
            self.say(_t("draft_restored"), "info")
        self.hide()

    @shielded
    def discard(self) -> None:
        self.form.need_store().discard_draft(self.form.draft_key())
        self.hide()

    def hide(self) -> None:
        self.layout.display = "none"


class PrivacyPanel(w.VBox):
    """Possible personal data about a citizen, found in the form's text before it is saved.

    Lists each finding under its question, offers "Anonymisér", and asks the author why it
    is all right to keep them if the record is to be saved as final anyway.
    """

    def __init__(self, on_anonymise: Callable[[], None]) -> None:
        self.text = w.HTML()
        self.anonymise_button = w.Button(description=_t("privacy_anonymise"),
                                         **_WARNING,
                                         tooltip=_t("privacy_anonymise_help"))
        self.anonymise_button.on_click(lambda _b: on_anonymise())
        self.reason = w.Textarea(description=_t("privacy_reason"), rows=2, tooltip="",
                                 style={"description_width": "initial"},
                                 layout=w.Layout(flex_flow="column", width="100%",
                                                 height="auto"))
        super().__init__([self.text, self.anonymise_button, self.reason],
                         layout={"display": "none", "border": "2px solid #a15c00",
                                 "padding": "0 1em 1em 1em", "margin": "0 0 1em 0"})
        self.add_class("nysoc-privacy")
        self.findings: dict[str, list[Finding]] = {}

    @property
    def confirmed(self) -> bool:
        """True when the author has written why the findings may stay."""
        return bool(self.reason.value.strip())

    def show(self, findings: Mapping[str, Sequence[Finding]], labels: Mapping[str, str]) -> None:
        """Show ``findings`` (field id → findings) under the questions' ``labels``; hide if none."""
        from .privacy import describe

        self.findings = {k: list(v) for k, v in findings.items() if v}
        if not self.findings:
            self.layout.display = "none"
            return
        items = "".join(
            f"<li><strong>{escape(labels.get(fid, fid))}</strong>: "
            + ", ".join(f"{escape(describe(f.kind))} »{escape(f.text)}«" for f in found)
            + "</li>" for fid, found in self.findings.items())
        self.text.value = (f'<p role="alert"><strong>{escape(_t("privacy_found"))}</strong></p>'
                           f"<ul>{items}</ul><p>{escape(_t('privacy_explain'))}</p>")
        self.layout.display = "flex"


    def check(self, template: Template, values: Mapping[str, Any], names: Sequence[str]
              ) -> dict[str, list[Finding]]:
        """Look for citizens' personal data in ``values`` and show what was found; returns
        field id → findings."""
        from .privacy import find_in_answers

        findings = find_in_answers(template, values, names)
        self.show(findings, {f.id: f.label.da for f in template.fields})
        return findings

    @staticmethod
    def anonymised(template: Template, values: Mapping[str, Any], names: Sequence[str]
                   ) -> dict[str, Any]:
        """``values`` with the personal data found replaced by placeholders ([CPR], [NAVN] …)."""
        from .privacy import anonymise_answers

        return anonymise_answers(template, values, names)


def join_names(names: Sequence[str]) -> str:
    """Names as Danish prose: "mentor", "mentor og mentee", "a, b og c"."""
    return " og ".join([", ".join(names[:-1]), names[-1]] if len(names) > 1 else names)


def confirmation_html(template: Template, values: Mapping[str, Any]) -> str:
    """Who has confirmed the saved ``values``, for templates with ``confirmations``."""
    if not template.confirmations:
        return ""
    done = confirmed_by(template, values)
    missing = awaiting_confirmation(template, values)
    parts = ([_t("confirmed_by", who=join_names(done))] if done else []) + (
        [_t("awaiting_confirmation", who=join_names(missing))] if missing else [])
    return f'<p class="nysoc-confirmation">{escape(" ".join(parts))}</p>'


def reset_html(template: Template, values: Mapping[str, Any]) -> str:
    """The alert that a change cleared the confirmations, naming who must confirm again."""
    who = join_names(awaiting_confirmation(template, values))
    return (f'<p role="alert" style="color:#a4000f">'
            f'{escape(_t("confirmations_reset", who=who))}</p>')


def written_under(template: Template, store: Store | None, record: Record) -> Template:
    """The template version ``record`` was written under (the store keeps each one);
    ``template`` (the current version) when it is that one or the store lacks it."""
    if record.template_version == template.version or store is None:
        return template
    return store.template_snapshot(record.template_id, record.template_version) or template


class AsWritten(w.HTML):
    """A record of an older template version, shown first as it was written, with the
    questions of its day; empty for a new record or one of the current version."""

    def show(self, form: Any, record: Record | None) -> None:
        """Show ``record`` as written under its template version, if older than ``form``'s."""
        template = form.template
        if record is None or record.template_version == template.version:
            self.value = ""
            return
        note = _t("older_template", version=record.template_version,
                  current=template.version)
        written = render.record_html(written_under(template, form.store, record), record)
        self.value = (f'<div class="nysoc-as-written" style="border:1px solid #888;'
                      f'padding:0 1em;margin:0 0 1em 0"><p><strong>{escape(note)}'
                      f"</strong></p>{written}</div>")
