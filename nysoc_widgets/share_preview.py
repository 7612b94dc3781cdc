"""What the coordinator will receive, in plain Danish: a preview of a shared summary.

Before a pair shares, they read exactly what leaves: every key of the ``nysoc-summary``
file (``docs/confidentiality.md``) as a readable line or table – the pairing, the phase,
the meetings, the agreement, the learning goals and their history, the evaluations, the
counts and every record as it leaves – and, last, what is *not* in it. Nothing is hidden:
``tests/test_share.py`` checks that every value of the file shows in the preview, and a
key this module does not know is still shown, as it is, under "Andet i filen".

Pure functions of the summary (and the catalogue, for field labels and choice names):
:func:`preview` (plain text, for ``nysoc share``), :func:`preview_html` (for the share
button in *Start her*; its tables through ``render.html_table``, which imports pandas).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from html import escape
from typing import Any

from . import i18n
from .glossary import PHASES, ROLES, STATUSES
from .render import format_date, format_time

__all__ = ["Block", "preview", "preview_blocks", "preview_html"]

_t = i18n.scope("share")

#: The summary's keys in the order the preview shows them (others go last, as they are).
KNOWN_KEYS = ("format", "format_version", "generated", "shared", "pairing", "phase",
              "meetings", "status_meetings", "agreement", "learning_goals",
              "learning_goal_history", "evaluation", "evaluations", "counts", "records")


@dataclass(frozen=True)
class Block:
    """One part of the preview: a heading and ``rows`` (label, value) or a ``table``."""

    title: str
    rows: tuple[tuple[str, str], ...] = ()
    columns: tuple[str, ...] = ()
    table: tuple[tuple[str, ...], ...] = ()
    note: str = ""


class _Names:
    """Danish names of templates, fields and choices, from the catalogue when it has them."""

    def __init__(self, catalogue: Any, counts: Mapping[str, Any]) -> None:
        self.catalogue, self.counts = catalogue, counts

    def template(self, template_id: str) -> Any:
        from .errors import TemplateNotFoundError

        try:
            return self.catalogue.get(template_id) if self.catalogue is not None else None
        except TemplateNotFoundError:  # a template this workplace no longer has: its id
            return None

    def title(self, template_id: str) -> str:
        template = self.template(template_id)
        if template is not None:
            return str(template.title.da)
        return str(self.counts.get(template_id, {}).get("title") or template_id)

    def field(self, template_id: str, field_id: str) -> Any:
        template = self.template(template_id)
        return next((f for f in template.fields if f.id == field_id), None) if template else None

    def label(self, template_id: str, field_id: str) -> str:
        fld = self.field(template_id, field_id)
        return str(fld.label.da) if fld is not None else field_id

    def answer(self, template_id: str, field_id: str, value: Any) -> str:
        """An answer that left the pair, as the pair reads it."""
        fld = self.field(template_id, field_id)
        if isinstance(value, Mapping):
            return "; ".join(f"{k}: {self.answer(template_id, field_id, v)}"
                             for k, v in value.items()) or _t("none")
        if isinstance(value, list):
            return ", ".join(self.answer(template_id, field_id, v) for v in value) or _t("none")
        if value is None:
            return _t("not_answered")
        if fld is not None and fld.kind == "scale":
            return _t("score", score=value)
        if fld is not None and fld.choices and isinstance(value, str):
            return str(fld.choice_label(value))  # also a per_item entry's choice
        return _value(value)


def _value(value: Any) -> str:
    """A plain value in Danish: a date as "2. oktober 2026", a decimal with a comma."""
    if value is None:
        return "–"
    if isinstance(value, bool):
        return _t("yes") if value else _t("no")
    if isinstance(value, float):
        return f"{value:g}".replace(".", ",")
    if isinstance(value, str) and len(value) == 10 and value[4:5] == "-":
        return format_date(value) or value
    return str(value)


def _word(words: Mapping[str, str], key: Any) -> str:
    """The Danish word for a closed-vocabulary id (a status, a role), else the id, or –."""
    if key is None:
        return "–"
    return words.get(str(key), str(key))


def _dates(values: Any) -> str:
    days = [format_date(d) or str(d) for d in values or []]
    return ", ".join(days) if days else _t("none")


def _goal_status(goal: Mapping[str, Any], names: _Names) -> str:
    """A goal's status as a word: "i gang" (the template's label), or "ingen status"."""
    status = goal.get("status")
    if not status:
        return _t("no_status")
    label = goal.get("status_label") or names.answer("laeringsmaal", "maal_status", status)
    return str(label).lower()


def _pairing(summary: Mapping[str, Any]) -> Block:
    pairing = summary.get("pairing") or {}
    initials = pairing.get("initials") or {}
    return Block(_t("block_pairing"), (
        (_t("pairing_id"), str(pairing.get("id", ""))),
        (_t("department"), pairing.get("department") or _t("not_given")),
        (_t("mentor"), _t("initials", initials=initials.get("mentor") or "–")),
        (_t("mentee"), _t("initials", initials=initials.get("mentee") or "–")),
        (_t("start"), _value(pairing.get("start_date")) if pairing.get("start_date")
         else _t("not_given")),
        (_t("planned_end"), _value(pairing.get("planned_end")) if pairing.get("planned_end")
         else _t("not_given")),
    ))


def _meetings(summary: Mapping[str, Any], key: str) -> tuple[tuple[str, str], ...]:
    meetings = summary.get(key) or {}
    held = meetings.get("held") or []
    return ((_t(f"{key}_held"), _t("count_dates", count=len(held), dates=_dates(held))
             if held else _t("none_yet")),
            (_t(f"{key}_planned"), _dates(meetings.get("planned"))))


def _programme(summary: Mapping[str, Any]) -> Block:
    phase = summary.get("phase") or {}
    current = str(phase.get("current") or "")
    began = phase.get("began") or {}
    name = PHASES.get(current, current)
    since = began.get(current)
    rows = [(_t("phase"), _t("phase_since", phase=name, date=_value(since)) if since else name),
            (_t("phases_began"), " · ".join(f"{PHASES.get(p, p)} {_value(d)}"
                                            for p, d in began.items()) or _t("none"))]
    rows += [*_meetings(summary, "meetings"), *_meetings(summary, "status_meetings")]
    agreement = summary.get("agreement")
    if agreement:
        rows.append((_t("agreement"), _t(
            "agreement_line", status=_word(STATUSES, agreement.get("status")),
            created=_value(agreement.get("created")),
            meetings=_value(agreement.get("meetings_agreed")),
            start=_value(agreement.get("start")), end=_value(agreement.get("end")))))
    else:
        rows.append((_t("agreement"), _t("none_yet")))
    return Block(_t("block_programme"), tuple(rows))


def _goals(summary: Mapping[str, Any], names: _Names) -> list[Block]:
    goals = summary.get("learning_goals") or []
    rows = tuple((str(g.get("title", "")), _goal_status(g, names)
                  + (f" ({_t('own_goal')})" if g.get("own") else "")) for g in goals)
    history = summary.get("learning_goal_history") or []
    table = tuple((_value(h.get("date")), str(h.get("version", "")),
                   "; ".join(f"{title}: {_goal_status({'status': status}, names)}"
                             for title, status in (h.get("goals") or {}).items())
                   or _t("none"))
                  for h in history)
    return [Block(_t("block_goals"), rows or ((_t("learning_goals"), _t("none_yet")),)),
            Block(_t("block_goal_history"), columns=(_t("col_date"), _t("col_version"),
                                                     _t("col_goals")),
                  table=table, note="" if table else _t("none_yet"))]


def _evaluation_cells(ev: Mapping[str, Any], names: _Names) -> tuple[str, ...]:
    kind = ev.get("type")
    by = ev.get("by")
    scores = ev.get("scores") or {}
    labels = ev.get("labels") or {}
    consent = ev.get("consent")
    return (
        _value(ev.get("date")) if ev.get("date") else _t("not_given"),
        names.answer("evaluering", "evaluering_type", kind) if kind else _t("not_given"),
        names.answer("evaluering", "udfyldt_af", by) if by else _t("not_given"),
        _word(STATUSES, ev.get("status")),
        _value(ev.get("created")),
        _t(f"consent_{consent}") if consent in ("ja", "nej") else _t("consent_none"),
        ", ".join(f"{labels.get(k, k)} {v}" for k, v in scores.items()) or _t("not_shared"),
        _value(ev.get("average")) if ev.get("average") is not None else "–",
    )


def _evaluations(summary: Mapping[str, Any], names: _Names) -> Block:
    latest = summary.get("evaluation")
    every = summary.get("evaluations") or []
    columns = (_t("col_date"), _t("col_kind"), _t("col_by"), _t("col_status"),
               _t("col_created"), _t("col_consent"), _t("col_scores"), _t("col_average"))
    rows = [_evaluation_cells(ev, names) for ev in every]
    if latest is not None and latest not in every:  # a file of format version 1
        rows.append(_evaluation_cells(latest, names))
    latest_line = (_t("latest_evaluation", date=_value(latest.get("date")) if latest.get(
        "date") else _t("not_given").lower()) if latest else _t("no_evaluation"))
    return Block(_t("block_evaluation"), columns=columns, table=tuple(rows),
                 note=latest_line)


def _counts(summary: Mapping[str, Any], names: _Names) -> Block:
    counts = summary.get("counts") or {}
    table = []
    for tid, entry in counts.items():
        dates = "; ".join(f"{names.label(tid, fid)}: {_dates(days)}"
                          for fid, days in (entry.get("dates") or {}).items())
        table.append((str(entry.get("title") or names.title(tid)), str(entry.get("total", 0)),
                      str(entry.get("final", 0)), str(entry.get("draft", 0)),
                      _value(entry.get("first")), _value(entry.get("last")),
                      dates or "–"))
    private = [t for t in (names.catalogue or ()) if t.kind == "form" and t.level == "privat"]
    note = " ".join(_t("never_counted", title=t.title.da) for t in private)
    return Block(_t("block_counts"), columns=(
        _t("col_record"), _t("col_total"), _t("col_final"), _t("col_draft"), _t("col_first"),
        _t("col_last"), _t("col_shared_dates")), table=tuple(table), note=note)


def _records(summary: Mapping[str, Any], names: _Names) -> Block:
    table = []
    pairings = set()
    for rec in summary.get("records") or []:
        tid = str(rec.get("template_id", ""))
        pairings.add(str(rec.get("pairing", "")))
        fields = rec.get("fields") or {}
        answers = "; ".join(f"{names.label(tid, fid)}: {names.answer(tid, fid, value)}"
                            for fid, value in fields.items())
        table.append((names.title(tid), str(rec.get("template_version", "")),
                      _word(STATUSES, rec.get("status")), _value(rec.get("created")),
                      _value(rec.get("updated")), str(rec.get("versions", "")),
                      answers or _t("only_dates")))
    note = _t("records_of", pairing=", ".join(sorted(pairings))) if pairings else _t("none_yet")
    return Block(_t("block_records"), columns=(
        _t("col_record"), _t("col_template_version"), _t("col_status"), _t("col_created"),
        _t("col_updated"), _t("col_versions"), _t("col_answers")), table=tuple(table),
        note=note)


def _file(summary: Mapping[str, Any], pending: bool) -> Block:
    shared = summary.get("shared")
    if pending and shared:
        line = _t("shared_pending", by=_word(ROLES, shared.get("by")))
    elif shared:
        at = str(shared.get("at") or "")
        line = _t("shared_line", date=format_date(at), time=format_time(at),
                  by=_word(ROLES, shared.get("by")))
    else:
        line = _t("not_shared_yet")
    return Block(_t("block_file"), (
        (_t("shared"), line),
        (_t("file_format"), _t("file_line", format=summary.get("format", ""),
                               version=summary.get("format_version", ""),
                               date=_value(summary.get("generated")))),
    ))


def preview_blocks(summary: Mapping[str, Any], catalogue: Any = None, *,
                   pending: bool = False) -> list[Block]:
    """The preview's parts, in reading order. ``catalogue`` (default: the built-in one)
    names fields and choices; ``pending``: the summary is not shared yet, so the time of
    sharing is said to come (the share button)."""
    if catalogue is None:
        from .catalogue import Catalogue

        catalogue = Catalogue.load()
    names = _Names(catalogue, summary.get("counts") or {})
    blocks = [_pairing(summary), _programme(summary), *_goals(summary, names),
              _evaluations(summary, names), _counts(summary, names),
              _records(summary, names), _file(summary, pending)]
    other = [(key, json.dumps(value, ensure_ascii=False)) for key, value in summary.items()
             if key not in KNOWN_KEYS]
    if other:
        blocks.append(Block(_t("block_other"), tuple(other)))
    blocks.append(Block(_t("block_not_included"), note=_t("not_included")))
    return blocks


def preview(summary: Mapping[str, Any], catalogue: Any = None, *,
            pending: bool = False) -> str:
    """The summary as plain Danish text (``nysoc share`` prints it)."""
    lines = [_t("heading"), _t("intro"), ""]
    for block in preview_blocks(summary, catalogue, pending=pending):
        lines.append(block.title)
        lines += [f"  {label}: {value}" for label, value in block.rows]
        if block.note:
            lines.append(f"  {block.note}")
        for row in block.table:
            lines.append("  - " + " · ".join(f"{col}: {cell}" for col, cell in
                                             zip(block.columns, row, strict=True)))
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def preview_html(summary: Mapping[str, Any], catalogue: Any = None, *,
                 pending: bool = False) -> str:
    """The summary as HTML: a heading and a table per part (the share button shows it)."""
    import pandas as pd

    from .render import html_table

    parts = [f'<div class="nysoc-share-preview"><h3>{escape(_t("heading"))}</h3>'
             f"<p>{escape(_t('intro'))}</p>"]
    for block in preview_blocks(summary, catalogue, pending=pending):
        parts.append(f"<h4>{escape(block.title)}</h4>")
        if block.rows:
            parts.append(html_table(pd.DataFrame(list(block.rows),
                                                 columns=[_t("col_what"), _t("col_value")])))
        if block.note:
            parts.append(f"<p>{escape(block.note)}</p>")
        if block.table:
            parts.append(html_table(pd.DataFrame(list(block.table),
                                                 columns=list(block.columns))))
    parts.append("</div>")
    return "".join(parts)
