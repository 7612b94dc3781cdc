"""Building each form against an ipywidgets VBox of as many Text/Textarea (goal: ≤ 3×).

``Form(template)`` is what a notebook cell runs when a person opens a form: every field's
control, label, help text, the toolbar, the draft banner, the accessibility widget. The
baseline is the least a form could be: a VBox of one Text or Textarea per field. Both are
built in alternating rounds, in one process (no kernel: the widgets' messages go nowhere,
for both alike). Growth: a template of 2, 20 and 200 text fields.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from measure import Figure, alternating, growth  # noqa: E402


def _vbox(n: int) -> Callable[[], object]:
    import ipywidgets as w

    return lambda: w.VBox([w.Textarea(description=f"f{i}") if i % 2 else
                           w.Text(description=f"f{i}") for i in range(n)])


def text_template(n: int) -> object:
    """A form template of ``n`` long-text questions."""
    from nysoc_widgets.templates import parse_template

    return parse_template({
        "schema_version": 1, "id": f"tekst{n}", "version": 1, "source": "benchmark",
        "title": {"da": f"{n} spørgsmål"}, "confidentiality": "privat",
        "sections": [{"id": "a", "title": {"da": "Spørgsmål"}, "fields": [
            {"id": f"f{i}", "kind": "long_text", "label": {"da": f"Spørgsmål {i}"},
             "help": {"da": "Skriv med dine egne ord."}} for i in range(n)]}]})


def figures(quick: bool = False) -> list[Figure]:
    """One row per form template, and a row of text forms that grow 10× each way."""
    from nysoc_widgets.catalogue import Catalogue
    from nysoc_widgets.forms import Form

    runs = 5 if quick else 25
    out = []
    sizes = (2, 20, 200)
    medians, middle = [], None
    for n in sizes:
        template = text_template(n)
        times = alternating({"nysoc": lambda t=template: Form(t),  # type: ignore[misc]
                             "base": _vbox(n)}, 3 if quick and n == 200 else runs)
        medians.append(sorted(times["nysoc"])[len(times["nysoc"]) // 2])
        if n == 20:
            middle = times
    assert middle is not None
    grows = growth(sizes, medians, " fields")
    out.append(Figure("build a form of 20 text questions", "VBox of 20 Text/Textarea",
                      middle["nysoc"], middle["base"], goal=3, growth=grows))
    for template in Catalogue.load():
        if template.kind != "form":
            continue
        n = len(template.fields)
        times = alternating({"nysoc": lambda t=template: Form(t),  # type: ignore[misc]
                             "base": _vbox(n)}, runs)
        out.append(Figure(f"build form `{template.id}` ({n} fields)",
                          f"VBox of {n} Text/Textarea", times["nysoc"], times["base"], goal=3,
                          growth="as the 20-question row"))
    return out
