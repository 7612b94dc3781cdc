"""The one form engine: any template becomes an ipywidgets form bound to the store.

``Form`` is a container widget with a ``value`` (the answers, as stored) and ``controls``
by field id. It saves final records or drafts, opens earlier records, shows and restores
earlier versions, autosaves an unsaved draft while the user types, and leaves a static
rendering of the saved record in the notebook's output. Callbacks are thin: the rules
live in ``records`` (pure) and the writing in ``store``; any error is shown in Danish.
What choice fields offer (earlier fields, the pair's saved records) is ``form_choices``'s;
trying a save again that a busy store refused is ``form_retry``'s.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from html import escape
from typing import Any

import ipywidgets as w
import traitlets

from . import i18n, render
from .aria import FormAria
from .autosave import Debouncer
from .controls import ADAPTERS, ChoiceGroup, ItemEntries, set_disabled
from .errors import NysocError, StoreError
from .form_choices import SavedChoices, depends_on, follow_sources
from .form_parts import (
    FORM_CSS,
    AsWritten,
    DraftBanner,
    HistoryBar,
    PrivacyPanel,
    confirmation_html,
    reset_html,
    shielded,
    written_under,
)
from .form_retry import SaveRetry
from .look import shared
from .records import (
    CONFIRMATION_KEY,
    Record,
    clean_answers,
    confirmations_reset,
    keep_locked,
    problems,
    renamed_lines,
)
from .store import DraftKey, Store
from .templates import Template

__all__ = ["Form"]


_t = i18n.scope("forms")


class FieldErrors(dict[str, w.HTML]):
    """The error line under each field, by field id: made, under its field, the first time
    the field has an error (most fields never do, and a form builds faster without them)."""

    def __init__(self, form: Form) -> None:
        super().__init__()
        self.form = form

    def __missing__(self, field_id: str) -> w.HTML:
        box = self.form.field_boxes[field_id]  # KeyError for a field the form has not
        line = self[field_id] = self.form._text()
        line.add_class("nysoc-field-error")
        box.children = (*box.children, line)
        return line


class Form(w.VBox):
    """A form for one template, saving to one pairing in one store as one author role."""

    value = traitlets.Dict(help="The answers as stored, keyed by field id.")

    def __init__(self, template: Template, store: Store | None = None, *,
                 pairing: str = "", author_role: str = "", record: Record | None = None,
                 autosave_delay: float = 1.5, names: Sequence[str] = (),
                 **kwargs: Any) -> None:
        kwargs.setdefault("layout", {"padding": "0 4px 0 0"})  # room for input borders
        super().__init__(**kwargs)
        self.add_class("nysoc-form")
        self.add_class(f"nysoc-form-{template.id}")
        self.template = template
        self.store = store
        self.pairing = pairing
        self.author_role = author_role
        self.record: Record | None = None
        self.draft_box = DraftBanner(self)
        self.autosave = Debouncer(self.draft_box.keep, delay=autosave_delay, at_exit=True)
        self.retry = SaveRetry(lambda final: self.save(final=final))
        self._loading = False
        self._static: Any = None
        self._text_look = {"layout": shared("plain"), "style": shared("html")}
        self._field_layout = shared("field", lambda: w.Layout(margin="0 0 1em 0", width="100%"))
        self.controls: dict[str, w.Widget] = {}
        self.choices = SavedChoices(template, self.controls)  # choices_from_saved fields
        self.errors = FieldErrors(self)
        self.field_boxes: dict[str, w.VBox] = {}
        self.message = w.HTML(layout=shared("message", lambda: w.Layout(min_height="1.5em")),
                              style=shared("html"))
        self.message.add_class("nysoc-message")
        self.heading = self._text()
        self.as_written = AsWritten(**self._text_look)
        self.names = tuple(names)  # people the workspace knows, looked for in the text
        self.privacy = PrivacyPanel(self.anonymise) if template.check_personal_data else None
        self.privacy_check = Debouncer(self.check_privacy, delay=0.5, max_wait=2.0)
        # Invisible: names the form's choice groups for screen readers, marks it Danish. One
        # model for every form: each form's view of it looks after the form it is shown in.
        self.aria = shared("aria", FormAria)
        self.children = [self.heading, self.draft_box, self.as_written, *self._build_sections(),
                         *([self.privacy] if self.privacy else []), self._build_toolbar(),
                         self.message, self.aria]
        self.choices.fill(store, pairing, author_role)
        for fld in template.fields:
            self.controls[fld.id].observe(self._changed, "value")
        if record is not None:
            self.open_record(record.id or "")
        else:
            self._refresh()
            self.draft_box.offer()

    # -- building ---------------------------------------------------------------------------
    def _text(self, html: str = "") -> w.HTML:
        """Static text of the form, with the layout and style every text shares."""
        return w.HTML(html, **self._text_look)

    def _build_sections(self) -> list[w.Widget]:
        parts: list[w.Widget] = []
        if self.template.intro:
            parts.append(self._text(render.text_html(self.template.intro.da)))
        for section in self.template.sections:
            intro = render.text_html(section.intro.da) if section.intro else ""
            parts.append(self._text(f"<h3>{escape(section.title.da)}</h3>{intro}"))
            for fld in section.fields:
                control = ADAPTERS[fld.kind].build(fld)
                self.controls[fld.id] = control
                items: list[w.Widget] = []
                if isinstance(control, (ChoiceGroup, ItemEntries)):
                    star = " *" if fld.required else ""
                    items.append(self._text(f"<strong>{escape(fld.label.da)}{star}</strong>"))
                items.append(control)
                if fld.choices_from_saved:
                    items.append(self.choices.note(fld))
                if fld.help:
                    items.append(self._text(f'<small class="nysoc-help">{escape(fld.help.da)}'
                                            "</small>"))
                if not self.template.may_fill(fld.id, self.author_role):  # shown, not changed
                    set_disabled(control)
                    who = " eller ".join(self.template.roles_of(fld.id))
                    items.append(self._text(f'<small class="nysoc-locked">'
                                            f'{escape(_t("filled_by", roles=who))}</small>'))
                box = self.field_boxes[fld.id] = w.VBox(items, layout=self._field_layout)
                box.add_class("nysoc-field")
                parts.append(box)
        return parts

    def _build_toolbar(self) -> w.Widget:
        look = {"layout": shared("plain"), "style": shared("button")}
        self.save_button = w.Button(description=_t("save"), button_style="primary",
                                    tooltip=_t("save_help"), **look)
        self.draft_button = w.Button(description=_t("save_draft"),
                                     tooltip=_t("save_draft_help"), **look)
        self.new_button = w.Button(description=_t("new"), tooltip=_t("new_help"), **look)
        self.save_button.on_click(lambda _b: self.save(final=True))
        self.draft_button.on_click(lambda _b: self.save(final=False))
        self.new_button.on_click(lambda _b: self.new())
        self.history = HistoryBar(self.open_record, self.restore)
        return w.VBox([w.HBox([self.save_button, self.draft_button, self.new_button],
                              layout=look["layout"]), self.history], layout=look["layout"])

    # The history bar's controls, by name, for notebooks and tests (made when first asked).
    earlier = property(lambda self: self.history.earlier)
    open_button = property(lambda self: self.history.open_button)
    versions = property(lambda self: self.history.versions)
    restore_button = property(lambda self: self.history.restore_button)

    # -- values ---------------------------------------------------------------------------
    def raw_values(self) -> dict[str, Any]:
        """The answers as the widgets hold them now (not yet cleaned)."""
        return {f.id: ADAPTERS[f.kind].read(self.controls[f.id]) for f in self.template.fields}

    def load_values(self, values: dict[str, Any]) -> None:
        """Put ``values`` into the widgets (dependent fields follow their sources)."""
        with self._quiet(), self.hold_trait_notifications():
            for fld in self.template.fields:
                adapter = ADAPTERS[fld.kind]
                if fld.source:
                    follow_sources(self.template, self.controls, self.raw_values(), fld.id)
                self.choices.keep(fld, values.get(fld.id))  # offered, even if renamed
                adapter.write(self.controls[fld.id], values.get(fld.id, adapter.empty()))
            if self.privacy is not None:
                self.privacy.set_reason(str(values.get(CONFIRMATION_KEY, "")))
        self._sync_value()

    @contextmanager
    def _quiet(self) -> Iterator[None]:
        """Change widgets without the change counting as the user's (no autosave)."""
        self._loading = True
        try:
            yield
        finally:
            self._loading = False

    def _sync_value(self) -> None:
        self.value, _ = clean_answers(self.template, self.raw_values())

    @shielded
    def _changed(self, change: dict[str, Any]) -> None:
        if self._loading:
            return
        changed = next((k for k, c in self.controls.items() if c is change["owner"]), None)
        with self._quiet():
            touched = {changed}
            renamed = renamed_lines(change.get("old"), change.get("new"))
            for fld in self.template.fields:  # template order: sources come first
                if touched & depends_on(fld):  # offer the items of its sources
                    follow_sources(self.template, self.controls, self.raw_values(), fld.id,
                                   renamed, touched)
                    touched.add(fld.id)
        self._sync_value()
        if self.privacy is not None:
            self.privacy_check.trigger()
        if changed is not None and changed in self.errors and self.errors[changed].value:
            self._show_errors(problems(self.template, self.raw_values(), final=False),
                              only={changed})
        self.autosave.trigger()

    # -- actions ----------------------------------------------------------------------------
    @shielded
    def save(self, final: bool = True) -> Record | None:
        """Validate and save; returns the saved record, or None (with messages) if it cannot."""
        self.retry.cancel()  # a click on Gem saves now; a pending retry is not needed
        store = self.need_store()
        saved_values = self.record.values if self.record else None
        # Answers this role may not give stay as saved, whatever the widgets hold.
        raw = keep_locked(self.template, self.author_role, self.raw_values(), saved_values)
        found = problems(self.template, raw, final=final)
        self._show_errors(found)
        if found:
            self.say(_t("not_saved", count=len(found)), "error")
            return None
        personal = self.check_privacy()
        if personal and final and self.privacy and not self.privacy.confirmed:
            self.say(_t("privacy_blocked"), "error")
            return None
        values, _ = clean_answers(self.template, raw)
        reset = confirmations_reset(self.template, saved_values, values)
        was_reset, values = reset != values, reset
        if personal and final and self.privacy:
            values[CONFIRMATION_KEY] = self.privacy.reason.value.strip()
        record = Record(
            pairing=self.pairing, template_id=self.template.id,
            template_version=self.template.version, author_role=self.author_role,
            confidentiality=self.template.level, values=values,
            status="final" if final else "draft",
            id=self.record.id if self.record else None,
            created=self.record.created if self.record else "",
            version=self.record.version if self.record else 0)
        try:
            saved = store.save_record(record, self.template, draft_key=self.draft_key())
        except StoreError as exc:  # keep every answer; retry if it may help (form_retry)
            self.autosave.flush()  # the latest typing goes into the draft, if the store allows
            self.say(self.retry.refused(exc, final), "error")
            return None
        self.autosave.cancel()  # only now: until the save holds, the draft is the safety net
        self.retry.succeeded()
        self.record = saved
        saved_time = render.format_time(saved.updated)
        if personal and not final:
            self.say(_t("privacy_draft_warning", time=saved_time), "error")
        else:
            self.say(_t("saved_final" if final else "saved_draft", time=saved_time,
                        version=saved.version), "ok")
        if was_reset:
            self._show_reset(saved)
        self.as_written.value = ""
        self._refresh()
        self._show_static()
        return saved

    def _show_reset(self, saved: Record) -> None:
        """Show the cleared confirmations in their controls and say why they were cleared."""
        with self._quiet():
            for field_id in self.template.confirmations:
                fld = self.template.field(field_id)
                ADAPTERS[fld.kind].write(self.controls[field_id], saved.values.get(field_id))
        self._sync_value()
        self.message.value += reset_html(self.template, saved.values)

    @shielded
    def new(self) -> None:
        """Start an empty record (an unsaved draft of the current one stays in the store)."""
        self.autosave.flush()
        self.record = None
        self.as_written.value = ""
        with self._quiet():  # what was saved meanwhile (e.g. a new goal) is offered too
            self.choices.fill(self.store, self.pairing, self.author_role)
        self.load_values({})
        self._show_errors({})
        self._refresh()
        self.draft_box.offer()
        self.say(_t("new_started"), "info")

    @shielded
    def open_record(self, record_id: str) -> None:
        """Open an earlier record into the form (answers shown as written)."""
        if not record_id:
            self.say(_t("choose_first"), "info")
            return
        self.autosave.flush()
        record = self.need_store().get_record(record_id)
        self.record = record
        self.as_written.show(self, record)
        self.load_values(record.values)
        self._show_errors({})
        self._refresh()
        self.draft_box.offer()
        self._show_static()
        self.say(_t("opened", date=render.format_date(record.updated),
                    version=record.version), "info")

    @shielded
    def restore(self, version: int) -> None:
        """Put an earlier version's answers back in the form; saving makes it the newest."""
        if not (self.record and version):
            self.say(_t("choose_first"), "info")
            return
        for old in self.need_store().versions(self.record.id or ""):
            if old.version == version:
                self.load_values(old.values)
                self.say(_t("restored", version=version), "info")
                return

    # -- personal data ------------------------------------------------------------------------
    def check_privacy(self) -> dict[str, list[Any]]:
        """Look for citizens' personal data in the text (templates that ask for it) and show
        what was found; returns field id → findings."""
        if self.privacy is None:
            return {}
        self.privacy_check.cancel()
        return self.privacy.check(self.template, self.raw_values(), self.names)

    @shielded
    def anonymise(self) -> None:
        """Replace the personal data found with placeholders ([CPR], [NAVN] …), keep the rest."""
        self.load_values(PrivacyPanel.anonymised(self.template, self.raw_values(), self.names))
        self.check_privacy()
        self.autosave.trigger()
        self.say(_t("privacy_anonymised"), "info")

    # -- drafts -----------------------------------------------------------------------------
    def draft_key(self) -> DraftKey:
        """Which draft in the store belongs to this form as it is now."""
        return DraftKey(self.pairing, self.template.id,
                        self.record.id if self.record and self.record.id else "",
                        self.author_role)

    # -- showing ----------------------------------------------------------------------------
    def say(self, text: str, kind: str = "info") -> None:
        """Show one message under the form (kind: info, ok or error)."""
        colour = {"error": "#a4000f", "ok": "#1e6b2f"}.get(kind, "inherit")
        role = ' role="alert"' if kind == "error" else ' role="status"'
        self.message.value = f'<p{role} style="color:{colour}">{escape(text)}</p>'

    def _show_errors(self, found: dict[str, str], only: set[str] | None = None) -> None:
        for field_id in self.field_boxes:
            if (only is None or field_id in only) and (field_id in found
                                                       or field_id in self.errors):
                text = found.get(field_id, "")
                self.errors[field_id].value = (
                    f'<span style="color:#a4000f">{escape(text)}</span>' if text else "")

    def _refresh(self) -> None:
        """Heading, the earlier-records list and the versions list after a change."""
        state = (_t("editing", date=render.format_date(self.record.updated),
                    version=self.record.version) if self.record else _t("new_record"))
        saved = self.record.values if self.record else {}
        self.heading.value = (f"{FORM_CSS}<h2>{escape(self.template.title.da)}</h2>"
                              f"<p><small>{escape(state)}</small></p>"
                              f"{confirmation_html(self.template, saved)}")
        if self.store is None:
            return
        records = self.store.list_records(pairing=self.pairing or None,
                                          template_id=self.template.id)
        versions = self.store.versions(self.record.id) if self.record and self.record.id else []
        self.history.show(records, self.record, versions)

    def need_store(self) -> Store:
        if self.store is None:
            raise NysocError("forms.no_store")
        return self.store

    def static_bundle(self) -> dict[str, Any]:
        """The saved record's static rendering (empty before anything is saved)."""
        if self.record is None:
            return {"text/plain": ""}
        bundle = render.record_bundle(written_under(self.template, self.store, self.record),
                                     self.record)
        # Folded under the live form (it repeats what is on screen); kept for a notebook
        # opened or exported without a kernel.
        bundle["text/html"] = (f"<details><summary>{escape(_t('static_summary'))}</summary>"
                               f"{bundle['text/html']}</details>")
        return bundle

    def _show_static(self) -> None:
        if self._static is not None:
            self._static.update(self.static_bundle(), raw=True)

    def _ipython_display_(self) -> None:
        """Show the form and, under it, the static rendering that outlives the kernel."""
        from IPython.display import display

        display(self._repr_mimebundle_(), raw=True)
        self._static = display(self.static_bundle(), raw=True, display_id=True)

