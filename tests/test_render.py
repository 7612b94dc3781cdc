"""Static renderings: what was written, as HTML and Markdown, escaped and in Danish."""

from __future__ import annotations

from pathlib import Path

import pytest

from nysoc_widgets.records import Record
from nysoc_widgets.render import (
    MIME_TYPE,
    download_link,
    format_date,
    format_time,
    record_bundle,
    record_html,
    record_markdown,
    text_html,
)
from nysoc_widgets.templates import Template, load_template

DATA = Path(__file__).parent / "data" / "templates" / "valid" / "alle-felttyper.toml"


@pytest.fixture(scope="module")
def template() -> Template:
    return load_template(DATA)


@pytest.fixture
def record(template: Template) -> Record:
    return Record("P1", template.id, 1, "mentee", "par", {
        "overskrift": "Mødet <i> Ærø", "beskrivelse": "Linje 1\nLinje 2", "dato": "2026-03-05",
        "antal": 2.5, "stemning": "svaer", "emner": ["etik"], "udbytte": 4,
        "hypoteser": ["Mor er presset"], "sandsynlige": ["Mor er presset"],
        "tiltag": {"Mor er presset": ["Tilbyd aflastning", "Ring til skolen"]}},
        status="final", id="r1", created="2026-03-05T09:00:00.000+00:00",
        updated="2026-03-05T09:00:00.000+00:00", version=2)


def test_html_shows_questions_and_answers_escaped(template: Template, record: Record) -> None:
    html = record_html(template, record)
    assert "Mødet &lt;i&gt; Ærø" in html and "<i>" not in html
    assert "Linje 1<br>Linje 2" in html
    assert "5. marts 2026" in html and "2,5" in html and "Svær" in html
    assert "<li>Etiske dilemmaer</li>" in html and "4 af 5" in html
    assert ('<table class="nysoc-items"><tbody><tr><th scope="row">Mor er presset</th>'
            "<td>Tilbyd aflastning; Ring til skolen</td></tr></tbody></table>") in html, \
        "a per-item answer is a table: item, then its answer"
    assert "Fortroligt – kun mentor og mentee" in html and "version 2" in html
    assert "Tjekliste" not in html, "unanswered questions are left out"


def test_html_without_heading_starts_at_the_level_asked(template: Template,
                                                       record: Record) -> None:
    html = record_html(template, record, heading=False, level=1)
    assert "<h2>Analyse</h2>" in html and "<h1>" not in html and "<h3>" not in html
    assert "Alle felttyper" not in html and "version 2" not in html, "the document's own header"
    assert "Mødet &lt;i&gt; Ærø" in html


def test_download_link_carries_the_file_in_a_data_uri() -> None:
    import base64
    import re

    link = download_link("Ærø <b>", mime="text/html", file_name='a "b".html', text="Hent <den>")
    href = re.search(r'href="data:text/html;charset=utf-8;base64,([^"]+)"', link)
    assert href and base64.b64decode(href[1]).decode("utf-8") == "Ærø <b>"
    assert 'download="a &quot;b&quot;.html"' in link and ">Hent &lt;den&gt;</a>" in link
    raw = download_link(b"\x00\x01", mime="application/octet-stream", file_name="x", text="x")
    assert 'href="data:application/octet-stream;base64,AAE="' in raw


def test_markdown_has_headings_bold_questions_and_bullets(template: Template,
                                                         record: Record) -> None:
    md = record_markdown(template, record)
    assert md.startswith("### Alle felttyper\n")
    assert "#### Analyse" in md and "**Hypoteser**" in md and "- Mor er presset" in md
    assert "- **Mor er presset**: Tilbyd aflastning; Ring til skolen" in md


def test_bundle_carries_the_record_as_json(template: Template, record: Record) -> None:
    bundle = record_bundle(template, record)
    assert bundle[MIME_TYPE]["record"]["values"]["udbytte"] == 4
    assert bundle["text/plain"] == bundle["text/markdown"]


@pytest.mark.parametrize(("value", "shown"), [
    ("2026-01-31", "31. januar 2026"), ("2026-12-01", "1. december 2026"), (None, ""),
    ("i går", "i går")], ids=["january", "december", "none", "not-a-date"])
def test_dates_in_danish(value: str | None, shown: str) -> None:
    assert format_date(value) == shown


@pytest.mark.parametrize("machine_zone", ["UTC", "America/New_York", "Europe/Copenhagen"])
def test_times_are_shown_in_danish_time_whatever_the_machine(
        monkeypatch: pytest.MonkeyPatch, machine_zone: str) -> None:
    """A server set to UTC (a JupyterHub) still shows the time a Dane saw on the clock."""
    import time

    monkeypatch.setenv("TZ", machine_zone)
    time.tzset()
    try:
        assert format_time("2026-11-23T23:30:00.000+00:00") == "00.30"  # winter: UTC+1
        assert format_time("2026-07-01T10:05:00.000+00:00") == "12.05"  # summer: UTC+2
        assert format_date("2026-11-23T23:30:00.000+00:00") == "24. november 2026"
    finally:
        monkeypatch.undo()
        time.tzset()


def test_template_text_becomes_paragraphs_and_lists() -> None:
    assert text_html("Meningen er\n- at <lære>\n\nSlut") == (
        "<p>Meningen er</p><ul><li>at &lt;lære&gt;</li></ul><p>Slut</p>")


def test_per_item_picks_read_as_item_then_picks() -> None:
    from nysoc_widgets.catalogue import Catalogue
    from nysoc_widgets.render import answer_text

    fld = Catalogue.load().get("sagsanalyse").field("tiltag_fakta")
    assert answer_text(fld, {"Støt netværket": ["Bor alene", "Har job"], "Ro på": []}) == [
        "Støt netværket: Bor alene; Har job", "Ro på: –"]


def test_tables_align_numbers_escape_text_and_show_dates_in_danish() -> None:
    import datetime as dt

    import pandas as pd

    from nysoc_widgets.render import html_table

    frame = pd.DataFrame({"Måned": ["marts <2026>"], "Notater": [3],
                          "Dato": [dt.date(2026, 3, 5)], "Tekst": ["én\nto"]})
    html = html_table(frame)
    assert '<th style="text-align:left;vertical-align:top">Måned</th>' in html
    assert '<td style="text-align:right;vertical-align:top">3</td>' in html
    assert "marts &lt;2026&gt;" in html and "5. marts 2026" in html and "én<br>to" in html
