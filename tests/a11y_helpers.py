"""Helpers for the accessibility tests (``test_browser_a11y.py``): axe-core, accessible
names, keyboard focus, and Voilà pages of the demo workspaces.

A plain module like ``browser_helpers`` (imported by name: ``tests/`` is on ``sys.path``).

* :func:`find_axe` / :func:`axe_version` - axe-core's ``axe.min.js``, which ``make axe``
  installs from the npm registry into ``.cache/npm`` (not committed).
* :func:`fit_viewport` - the whole Voilà page in view (for axe's colour checks and shots).
* :func:`run_axe` - axe on one form, each violation with its rule, impact, CSS target and
  the Danish label of the question it is in.
* :func:`controls_of` - every input, text area, select and checkbox of a form with its
  accessible name and the names of the groups around it, as Playwright computes them (the
  ARIA snapshot: the names ``get_by_role``/``get_by_label`` match).
* :func:`focused` - what has keyboard focus: its question, kind, text and focus ring.
* :class:`VoilaPages` - one Voilà (tree mode) per role serving that role's demo workspace,
  and the notebook open in one page, rendered once for all of its forms.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from browser_helpers import (
    REPO,
    RoleServers,
    Server,
    shutdown_voila_kernel,
    wait_for_voila_render,
)

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

#: Where ``make axe`` puts axe-core (npm install --prefix .cache/npm axe-core@4).
AXE_DIR = REPO / ".cache" / "npm" / "node_modules" / "axe-core"
AXE_JS = AXE_DIR / "axe.min.js"
#: The WCAG 2.1 levels A and AA, as axe tags its rules.
WCAG_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")
#: The impacts a form must not have.
BLOCKING = ("serious", "critical")


# -- axe-core ---------------------------------------------------------------------------------

def find_axe() -> Path:
    """``axe.min.js``; skips when it is missing, but fails under ``CI=true`` (``.ci/run``
    installs npm and ``make test`` runs ``make axe``, so CI always has it)."""
    if AXE_JS.is_file():
        return AXE_JS
    message = (f"axe-core is not installed ({AXE_JS.relative_to(REPO)} is missing): "
               "run `make axe` (needs npm)")
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def axe_version() -> str:
    """The installed axe-core's version, from its ``package.json``."""
    return str(json.loads((AXE_DIR / "package.json").read_text(encoding="utf-8"))["version"])


@dataclass(frozen=True)
class Violation:
    """One element that breaks one axe rule."""

    rule: str
    impact: str
    help: str
    target: str
    field: str
    html: str

    def __str__(self) -> str:
        where = f"question «{self.field}»" if self.field else "outside any question"
        return (f"{self.rule} ({self.impact}): {self.help} - {where}, {self.target}\n"
                f"    {self.html}")


#: axe on one element; each node with the label of the ``.nysoc-field`` it is in.
_AXE_RUN_JS = """async (el, tags) => {
  const result = await axe.run(el, {runOnly: {type: "tag", values: tags},
                                    resultTypes: ["violations"]});
  const question = node => {
    const box = node && node.closest(".nysoc-field");
    if (!box) return "";
    const label = box.querySelector(".widget-label, strong, label");
    return ((label && label.innerText) || box.innerText.split("\\n")[0]).trim();
  };
  return result.violations.flatMap(v => v.nodes.map(n => {
    let node = null;
    try { node = document.querySelector(n.target[n.target.length - 1]); } catch (e) {}
    return {rule: v.id, impact: n.impact || v.impact || "", help: v.help,
            target: n.target.join(" >>> "), field: question(node),
            html: n.html.slice(0, 160)};
  }));
}"""


def inject_axe(page: Page, axe_js: Path) -> None:
    """Load axe-core into ``page`` (once per loaded document)."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(path=str(axe_js))


def fit_viewport(page: Page, width: int = 1280, max_height: int = 12000) -> None:
    """Make the viewport as tall as Voilà's content, so that nothing is scrolled away.

    Voilà scrolls ``#rendered_cells`` inside a 100vh box. axe cannot tell the colours behind
    text scrolled out of view and reports its contrast as "incomplete", not as a violation;
    a screenshot of an element would show only what is in view.
    """
    height = page.locator("#rendered_cells").evaluate("el => el.scrollHeight")
    page.set_viewport_size({"width": width,
                            "height": max(600, min(int(height) + 40, max_height))})


def run_axe(target: Locator, axe_js: Path) -> list[Violation]:
    """axe-core's WCAG 2.1 A/AA violations inside ``target`` (nothing outside it is checked)."""
    inject_axe(target.page, axe_js)
    found = target.evaluate(_AXE_RUN_JS, list(WCAG_TAGS))
    return [Violation(**v) for v in found]


def blocking(violations: list[Violation]) -> list[Violation]:
    """The violations with a serious or critical impact."""
    return [v for v in violations if v.impact in BLOCKING]


# -- accessible names -------------------------------------------------------------------------

@dataclass
class Control:
    """A form's input, text area, select or checkbox as assistive technology sees it."""

    index: int
    tag: str
    kind: str
    #: Index of its ``.nysoc-field`` among the form's questions; -1 outside any question.
    field: int
    disabled: bool
    role: str = ""
    name: str = ""
    #: The names of the groups around it, innermost first (read out on entering them).
    groups: list[str] = field(default_factory=list)

    @property
    def spoken(self) -> str:
        """What a screen reader announces for it: its name inside its groups' names."""
        return " / ".join([*reversed(self.groups), self.name])


#: Marks each visible control and the groups around it with data attributes; returns them.
_CONTROLS_JS = """form => {
  for (const el of form.querySelectorAll("[data-a11y-control], [data-a11y-group]")) {
    el.removeAttribute("data-a11y-control");  // marks of an earlier look
    el.removeAttribute("data-a11y-group");
  }
  const fields = [...form.querySelectorAll(".nysoc-field")];
  const out = [];
  let groups = 0;
  for (const el of form.querySelectorAll("input, textarea, select")) {
    const r = el.getBoundingClientRect();
    if (el.type === "hidden" || r.width === 0 || r.height === 0) continue;
    const index = out.length;
    el.setAttribute("data-a11y-control", String(index));
    const around = [];
    for (let g = el.parentElement; g && g !== form; g = g.parentElement) {
      const role = g.getAttribute("role");
      if (role === "group" || role === "radiogroup") {
        if (!g.hasAttribute("data-a11y-group")) g.setAttribute("data-a11y-group", groups++);
        around.push(g.getAttribute("data-a11y-group"));
      }
    }
    out.push({index, tag: el.tagName.toLowerCase(), kind: el.type || "",
              field: fields.indexOf(el.closest(".nysoc-field")), disabled: el.disabled,
              groups: around});
  }
  return out;
}"""

_SNAPSHOT_LINE = re.compile(r'^- (?P<role>[\w-]+)(?: "(?P<name>(?:[^"\\]|\\.)*)")?')


def aria_role_and_name(target: Locator) -> tuple[str, str]:
    """The role and accessible name of ``target``, from the first line of its ARIA snapshot
    (``- checkbox "Praksischok"``)."""
    lines = target.aria_snapshot().splitlines()
    match = _SNAPSHOT_LINE.match(lines[0].strip()) if lines else None
    if not match:
        return "", ""
    name = match.group("name")
    return match.group("role"), json.loads(f'"{name}"') if name else ""


def controls_of(form: Locator) -> list[Control]:
    """Every visible input, text area, select and checkbox of ``form``, in page order, with
    its accessible name and the names of the groups it is in."""
    found = form.evaluate(_CONTROLS_JS)
    group_names: dict[str, str] = {}
    controls = []
    for raw in found:
        control = Control(index=raw["index"], tag=raw["tag"], kind=raw["kind"],
                          field=raw["field"], disabled=raw["disabled"])
        located = form.locator(f'[data-a11y-control="{control.index}"]')
        control.role, control.name = aria_role_and_name(located)
        for group in raw["groups"]:
            if group not in group_names:
                group_names[group] = aria_role_and_name(
                    form.locator(f'[data-a11y-group="{group}"]'))[1]
            control.groups.append(group_names[group])
        controls.append(control)
    return controls


# -- keyboard focus ---------------------------------------------------------------------------

#: What has focus: its form and question (indexes), kind, text, and focus ring.
_FOCUSED_JS = """() => {
  const groupsAround = (el, form) => {  // the names of the ARIA groups around el
    const names = [];
    for (let g = el.parentElement; g && g !== form; g = g.parentElement) {
      const role = g.getAttribute("role");
      if (role !== "group" && role !== "radiogroup") continue;
      const by = (g.getAttribute("aria-labelledby") || "").split(/\\s+/)
        .map(id => document.getElementById(id)).filter(Boolean);
      names.push(by.map(n => n.innerText.trim()).join(" ") || g.getAttribute("aria-label")
                 || "");
    }
    return names;
  };
  const el = document.activeElement;
  if (!el || el === document.body) return {inForm: false, tag: "body"};
  const form = el.closest(".nysoc-form");
  const fields = form ? [...form.querySelectorAll(".nysoc-field")] : [];
  const style = getComputedStyle(el);
  if (!el.hasAttribute("data-a11y-focus")) {
    const seen = document.querySelectorAll("[data-a11y-focus]").length;
    el.setAttribute("data-a11y-focus", String(seen));
  }
  return {inForm: !!form, form: form ? [...form.classList].join(" ") : "",
          field: form ? fields.indexOf(el.closest(".nysoc-field")) : -1,
          tag: el.tagName.toLowerCase(), kind: el.type || "",
          key: el.getAttribute("data-a11y-focus"),
          text: (el.innerText || el.value || "").trim().slice(0, 80),
          label: el.labels && el.labels.length ? el.labels[0].innerText.trim() : "",
          groups: groupsAround(el, form),
          outline: style.outlineStyle, outlineWidth: parseFloat(style.outlineWidth) || 0,
          outlineColor: style.outlineColor, boxShadow: style.boxShadow};
}"""


@dataclass(frozen=True)
class Focus:
    """The element that has keyboard focus."""

    in_form: bool
    tag: str
    kind: str = ""
    field: int = -1
    key: str = ""
    text: str = ""
    label: str = ""
    form: str = ""
    outline: str = "none"
    outline_width: float = 0.0
    outline_color: str = ""
    box_shadow: str = "none"
    #: The names of the ARIA groups around it, innermost first.
    groups: tuple[str, ...] = ()

    @property
    def ring_visible(self) -> bool:
        """A focus indicator is drawn: an outline of at least 1 px, or a box shadow."""
        return ((self.outline != "none" and self.outline_width >= 1)
                or self.box_shadow not in ("", "none"))

    def describe(self) -> str:
        what = self.label or self.text or self.kind
        return f"<{self.tag} {self.kind}> «{what}» (question {self.field})"


def focused(page: Page) -> Focus:
    """What has keyboard focus now."""
    raw = page.evaluate(_FOCUSED_JS)
    return Focus(in_form=raw["inForm"], tag=raw["tag"], kind=raw.get("kind", ""),
                 field=raw.get("field", -1), key=raw.get("key", ""),
                 text=raw.get("text", ""), label=raw.get("label", ""),
                 form=raw.get("form", ""), outline=raw.get("outline", "none"),
                 outline_width=raw.get("outlineWidth", 0.0),
                 outline_color=raw.get("outlineColor", ""),
                 box_shadow=raw.get("boxShadow", "none"),
                 groups=tuple(raw.get("groups", ())))


# -- Voila pages ------------------------------------------------------------------------------

class VoilaPages:
    """One Voilà (tree mode) per role on its demo workspace, started on first use (the
    previous role's is stopped then), and the notebook open in ``page``: asking for the
    notebook already open does not load it again, so a notebook with two forms renders once.
    Loading another notebook first shuts the open one's kernel down.
    """

    def __init__(self, tmp: pytest.TempPathFactory, today: object, page: Page,
                 budget: float = 30.0) -> None:
        self.page = page
        self.servers = RoleServers(tmp, today, prefix="a11y", budget=budget,
                                   before_switch=self.leave)
        self.shown: tuple[str, str] | None = None

    @property
    def server(self) -> Server | None:
        return self.servers.server

    def server_for(self, role: str) -> Server:
        return self.servers.get(role)

    def show(self, role: str, notebook: str) -> Server:
        """Open ``notebook`` as ``role`` and wait until Voilà has rendered all of it."""
        server = self.server_for(role)
        if self.shown != (role, notebook):
            self.leave()
            self.page.set_viewport_size({"width": 1280, "height": 1000})
            self.page.goto(server.url(f"/voila/render/{notebook}"))
            wait_for_voila_render(self.page)
            fit_viewport(self.page)
            self.shown = (role, notebook)
        return server

    def leave(self) -> None:
        """Shut the open notebook's kernel down (Voilà keeps it otherwise)."""
        if self.shown is not None and self.server is not None:
            self.shown = None
            shutdown_voila_kernel(self.page, self.server)

    def close(self) -> None:
        try:
            self.leave()
        finally:
            self.servers.close()


def form_cells(notebook: Path) -> list[str]:
    """The template ids of the ``nysoc.form("…")`` cells of ``notebook``, in order."""
    import nbformat

    nb = nbformat.read(notebook, as_version=4)
    return [m.group(1) for cell in nb.cells if cell.cell_type == "code"
            for m in [re.match(r'\s*nysoc\.form\(\s*"([^"]+)"', cell.source)] if m]


def form_locator(page: Page, template_id: str) -> Locator:
    """The live form of ``template_id`` in a rendered Voilà page."""
    return page.locator(f".jp-OutputArea-output .nysoc-form.nysoc-form-{template_id}")
