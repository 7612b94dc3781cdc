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
from .look import label_style, shared, show
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


def _button(description: str, warning: bool = False, **kwargs: Any) -> w.Button:
    """A button with the look every form button shares (``warning``: orange, black text)."""
    return w.Button(description=description, layout=shared("plain"),
                    style=shared("warning" if warning else "button"),
                    **({"button_style": "warning"} if warning else {}), **kwargs)


class _OnDemand:
    """A part of a form whose inner widgets are made the first time they are needed (shown,
    or asked for by name): a new form pays nothing for what it keeps hidden."""

    _inner: tuple[Any, ...] | None = None
    children: Any

    def _make(self) -> tuple[tuple[Any, ...], list[w.Widget]]:
        """The inner widgets (in the order of their names) and the children showing them."""
        raise NotImplementedError

    @property
    def made(self) -> bool:
        """Whether the inner widgets exist yet."""
        return self._inner is not None

    def parts(self) -> tuple[Any, ...]:
        """The inner widgets, made (and shown) the first time."""
        if self._inner is None:
            self._inner, children = self._make()
            self.children = children
        return self._inner


def _part(index: int, doc: str) -> Any:
    """An inner widget of an :class:`_OnDemand` part, by name."""
    return property(lambda self: self.parts()[index], doc=doc)


class HistoryBar(_OnDemand, w.VBox):
    """Earlier records to open, and earlier versions of the open record to restore.

    Empty until there is a record to list (or a caller asks for one of its controls): a new
    form, the usual case, makes none of its widgets.
    """

    def __init__(self, on_open: Callable[[str], None], on_restore: Callable[[int], None]) -> None:
        super().__init__([], layout=shared("plain"))
        self._on_open, self._on_restore = on_open, on_restore

    def _make(self) -> tuple[tuple[Any, ...], list[w.Widget]]:
        label = label_style(w.Dropdown)
        earlier = w.Dropdown(description=_t("earlier"), style=label, layout=shared("wide"))
        open_button = _button(_t("open"))
        versions = w.Dropdown(description=_t("versions"), style=label, layout=shared("wide"))
        restore_button = _button(_t("restore"), tooltip=_t("restore_help"))
        open_button.on_click(lambda _b: self._on_open(earlier.value or ""))
        restore_button.on_click(lambda _b: self._on_restore(versions.value or 0))
        version_row = w.HBox([versions, restore_button], layout=shared("hidden"))
        return ((earlier, open_button, versions, restore_button, version_row),
                [w.HBox([earlier, open_button], layout=shared("plain")), version_row])

    earlier = _part(0, "Earlier records (newest first).")
    open_button = _part(1, '"Åbn" the chosen record.')
    versions = _part(2, "Versions of the open record.")
    restore_button = _part(3, "Restore the chosen version.")
    version_row = _part(4, "Versions and their button.")

    def show(self, records: Sequence[Record], current: Record | None,
             versions: Sequence[RecordVersion]) -> None:
        """List ``records`` (newest first) with ``current`` chosen, and its ``versions``."""
        if not records and not self.made:
            return  # nothing to open: the bar stays empty
        self.earlier.options = [(f"{render.format_date(r.updated)} – {STATUSES[r.status]}", r.id)
                                for r in reversed(records)]
        ids = {r.id for r in records}
        self.earlier.value = current.id if current and current.id in ids else None
        self.versions.options = [(f"version {v.version} – {render.format_date(v.saved)} "
                                  f"kl. {render.format_time(v.saved)}", v.version)
                                 for v in reversed(versions)]
        self.versions.value = None
        show(self.version_row, len(versions) > 1)


class DraftBanner(_OnDemand, w.HBox):
    """The form's draft: kept in the store while the user types (``keep``, the autosave
    action), and offered back — "There is an unsaved draft from …" — when the form opens."""

    def __init__(self, form: Any) -> None:
        self.form = form
        super().__init__([], layout=shared("hidden"))

    def _make(self) -> tuple[tuple[Any, ...], list[w.Widget]]:
        restore_button = _button(_t("draft_restore"), warning=True)
        discard_button = _button(_t("draft_discard"))
        restore_button.on_click(lambda _b: self.restore())
        discard_button.on_click(lambda _b: self.discard())
        inner = (w.HTML(layout=shared("plain"), style=shared("html")), restore_button,
                 discard_button)
        return inner, list(inner)

    text = _part(0, "When the draft was kept.")
    restore_button = _part(1, '"Hent kladden".')
    discard_button = _part(2, "Throw the draft away.")

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
            show(self, True)

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
        show(self, False)


class PrivacyPanel(_OnDemand, w.VBox):
    """Possible personal data about a citizen, found in the form's text before it is saved.

    Lists each finding under its question, offers "Anonymisér", and asks the author why it
    is all right to keep them if the record is to be saved as final anyway.
    """

    def __init__(self, on_anonymise: Callable[[], None]) -> None:
        super().__init__([], layout=shared("hidden"))
        self.add_class("nysoc-privacy")
        self._on_anonymise = on_anonymise
        self.findings: dict[str, list[Finding]] = {}

    def _make(self) -> tuple[tuple[Any, ...], list[w.Widget]]:
        anonymise_button = _button(_t("privacy_anonymise"), warning=True,
                                   tooltip=_t("privacy_anonymise_help"))
        anonymise_button.on_click(lambda _b: self._on_anonymise())
        reason = w.Textarea(description=_t("privacy_reason"), rows=2, tooltip="",
                            style=label_style(w.Textarea),
                            layout=w.Layout(flex_flow="column", width="100%", height="auto"))
        inner = (w.HTML(layout=shared("plain"), style=shared("html")), anonymise_button,
                 reason)
        return inner, list(inner)

    text = _part(0, "What was found, under its question.")
    anonymise_button = _part(1, '"Anonymisér".')
    reason = _part(2, "Why the findings may stay.")

    @property
    def confirmed(self) -> bool:
        """True when the author has written why the findings may stay."""
        return self.made and bool(self.reason.value.strip())

    def set_reason(self, text: str) -> None:
        """Put a saved record's reason into its field (made only if there is one)."""
        if text or self.made:
            self.reason.value = text

    def show(self, findings: Mapping[str, Sequence[Finding]], labels: Mapping[str, str]) -> None:
        """Show ``findings`` (field id → findings) under the questions' ``labels``; hide if none."""
        from .privacy import describe

        self.findings = {k: list(v) for k, v in findings.items() if v}
        if not self.findings:
            show(self, False)  # (its widgets are not made to be hidden)
            return
        items = "".join(
            f"<li><strong>{escape(labels.get(fid, fid))}</strong>: "
            + ", ".join(f"{escape(describe(f.kind))} »{escape(f.text)}«" for f in found)
            + "</li>" for fid, found in self.findings.items())
        self.text.value = (f'<p role="alert"><strong>{escape(_t("privacy_found"))}</strong></p>'
                           f"<ul>{items}</ul><p>{escape(_t('privacy_explain'))}</p>")
        show(self, True, "privacy")


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
