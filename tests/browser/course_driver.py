"""Drive every course notebook the way a learner meets it, in one JupyterLab page.

Used by tests/browser/test_course.py (real JupyterLab) and tests/browser/test_static.py (nbconvert
HTML). Everything the tests expect is read from the stored notebooks, the quiz banks
(coursekit.quizzes.bank) and the exercise specs (assets/exercises/*.toml), never written by hand per
lesson, so a new lesson (07) or a changed question is picked up without editing the tests.

Speed: loading JupyterLab into a fresh browser context costs 5-9 s on two busy cores (the app's
JavaScript is fetched and compiled again for every context), opening a notebook inside an app
that is already loaded about 2 s. So `CoursePage` keeps one page for the whole module: it closes
the previous notebook (marked clean, so no "Save changes?" dialog), ends every kernel through the
REST API, and opens the next one with `docmanager:open`. If anything about that goes wrong it
falls back to reloading the app, so one broken notebook cannot break the ones after it.
"""
from __future__ import annotations

import ast
import base64
import json
import re
import time
import tomllib
from dataclasses import dataclass, field
from functools import cached_property
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, Callable

from . import labkit

ROOT = labkit.ROOT
PNG = "image/png"
ERROR_MARKERS = ("Error displaying widget", "Traceback")


# ------------------------------------------------------------------------------------------------
# Discovery and what the stored notebooks promise
# ------------------------------------------------------------------------------------------------
def discover(kind: str) -> list[str]:
    """lessons/NN_*.ipynb or exercises/NN_*.ipynb, as paths relative to the repository (so
    lessons/07_synthesis.ipynb joins as soon as it exists)."""
    return [p.relative_to(ROOT).as_posix() for p in sorted((ROOT / kind).glob("[0-9][0-9]_*.ipynb"))]


def squash(text: str) -> str:
    """Text with every white-space run removed: rendered HTML (textContent, innerText) and the
    stored HTML's text agree on characters, not on where line breaks and spaces fall."""
    return "".join(str(text).split())


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("style", "script"):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in ("style", "script") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def html_text(markup: str) -> str:
    parser = _Text()
    parser.feed(markup)
    return " ".join(parser.parts)


def _joined(value: Any) -> str:
    return "".join(value) if isinstance(value, list) else str(value or "")


def chart_alt(output: dict[str, Any]) -> str | None:
    """The alt text of a chart output: the PNG's metadata alt, else its text/plain ("[Chart] ...")."""
    data = output.get("data") or {}
    if PNG not in data:
        return None
    alt = ((output.get("metadata") or {}).get(PNG) or {}).get("alt")
    if not alt:
        alt = _joined(data.get("text/plain", "")).removeprefix("[Chart]").strip()
    return alt


@dataclass
class Stored:
    """A notebook as stored in the repository (or in the server's copy of it)."""

    relpath: str
    root: Path = ROOT

    @cached_property
    def nb(self) -> dict[str, Any]:
        return json.loads((self.root / self.relpath).read_text(encoding="utf-8"))

    @property
    def cells(self) -> list[dict[str, Any]]:
        return self.nb["cells"]

    @property
    def stem(self) -> str:
        return Path(self.relpath).stem

    @property
    def kind(self) -> str:
        return Path(self.relpath).parent.name  # "lessons" | "exercises"

    @property
    def lesson(self) -> str:
        return self.stem[:2]

    def source(self, i: int) -> str:
        return _joined(self.cells[i].get("source", ""))

    def outputs(self):
        """The outputs shown when the notebook opens. A cell whose outputs open collapsed (a
        reference output: coursekit/tools/depth.py) shows a one-line placeholder instead."""
        from coursekit.tools import depth

        for i, cell in enumerate(self.cells):
            if cell["cell_type"] != "code" or depth.outputs_hidden(cell):
                continue
            for out in cell.get("outputs", []):
                yield i, out

    def html_outputs(self) -> list[str]:
        return [_joined(o["data"]["text/html"]) for _, o in self.outputs()
                if "text/html" in (o.get("data") or {})]

    @property
    def quiz_texts(self) -> list[str]:
        """The text of each stored static quiz (or single question) rendering, in order."""
        return [html_text(h) for h in self.html_outputs() if 'class="cq-static' in h]

    @property
    def chart_alts(self) -> list[str]:
        return [a for _, o in self.outputs() if (a := chart_alt(o))]

    @property
    def has_quiz(self) -> bool:
        return any(re.search(r"\bquiz\(\s*[\"']\d\d[\"']\s*\)", self.source(i))
                   for i, c in enumerate(self.cells) if c["cell_type"] == "code")

    @property
    def has_exploration(self) -> bool:
        """Explorations store a static stand-in: "Interactive control(s): run the notebook ...".
        (Lesson 00's name field says "Interactive control: run this cell ...": not an exploration.)"""
        return any(re.search(r"Interactive controls?: run the notebook", h)
                   for h in self.html_outputs())

    def code_cells(self, pattern: str) -> list[int]:
        rx = re.compile(pattern)
        return [i for i, c in enumerate(self.cells)
                if c["cell_type"] == "code" and rx.search(self.source(i))]


# ------------------------------------------------------------------------------------------------
# Exercises: a known mistake and the answer, from the spec
# ------------------------------------------------------------------------------------------------
def _literal(value: Any) -> str | None:
    """Python source for a TOML value, or None when it is not a plain literal (dates...)."""
    text = repr(value)
    try:
        return text if ast.literal_eval(text) == value else None
    except (ValueError, SyntaxError):
        return None


@dataclass
class ExercisePlan:
    id: str
    variable: str
    answer_cell: int
    check_cell: int
    wrong_source: str
    hint: str
    right_source: str


def exercise_plan(stored: Stored) -> ExercisePlan:
    """The first exercise of the notebook's spec that has a listed mistake and plain-literal
    answers: the wrong answer is built to match the first mistake (a mapping mistake lists only
    the revealing pairs, so they are laid over the right answer; a number mistake may be a
    [low, high] range, so its middle is used)."""
    spec = ROOT / "assets" / "exercises" / f"{stored.stem}.toml"
    data = tomllib.loads(spec.read_text(encoding="utf-8"))
    tried = []
    for ex in data.get("exercise", []):
        mistakes = ex.get("mistake") or []
        if ex["kind"] == "text" or not mistakes:
            continue
        wrong = mistakes[0]["answer"]
        if ex["kind"] == "mapping":
            wrong = {**ex["answer"], **wrong}
        elif ex["kind"] == "number" and isinstance(wrong, list):
            wrong = (wrong[0] + wrong[1]) / 2
        wrong_src, right_src = _literal(wrong), _literal(ex["answer"])
        checks = stored.code_cells(r"check\(\s*[\"']" + re.escape(ex["id"]) + r"[\"']")
        tried.append(ex["id"])
        if not (wrong_src and right_src and checks):
            continue
        check_cell = checks[0]
        assigns = [i for i in stored.code_cells(rf"(^|\n)\s*{re.escape(ex['variable'])}\s*=")
                   if i < check_cell]
        before = [i for i in range(check_cell) if stored.cells[i]["cell_type"] == "code"]
        answer_cell = assigns[-1] if assigns else before[-1]
        return ExercisePlan(ex["id"], ex["variable"], answer_cell, check_cell,
                            f"{ex['variable']} = {wrong_src}", mistakes[0]["hint"],
                            f"{ex['variable']} = {right_src}")
    raise AssertionError(f"{spec.name}: no exercise with a mistake, literal answers and a check "
                         f"cell in {stored.relpath} (looked at {tried})")


# ------------------------------------------------------------------------------------------------
# The page
# ------------------------------------------------------------------------------------------------
_PANEL = "document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)')"

_CLOSE_ALL_JS = """async () => {
    const app = window.jupyterapp;
    const open = () => [...app.shell.widgets('main')].filter(w => w.context);  // not the Launcher
    for (const w of open()) {
        if (w.context && w.context.model) w.context.model.dirty = false;
        w.close();  // asynchronous: the document manager checks for unsaved changes first
    }
    for (let i = 0; i < 100 && open().length; i++) await new Promise(r => setTimeout(r, 50));
    for (const d of document.querySelectorAll('.jp-Dialog')) d.remove();
    return open().length;
}"""

_OPEN_JS = """async (path) => {
    const w = await window.jupyterapp.commands.execute('docmanager:open', {path, factory: 'Notebook'});
    await w.context.ready;
    await w.sessionContext.ready;
    return w.context.path;
}"""

_KERNEL_JS = """() => {
    const w = window.jupyterapp.shell.currentWidget;
    const k = w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel;
    return !!k && k.connectionStatus === 'connected' && k.status === 'idle';
}"""

# Per output of the live notebook model: the cell, whether it is a widget view, a chart's alt.
_MODEL_OUTPUTS_JS = """() => {
    const nb = window.jupyterapp.shell.currentWidget.content;
    const rows = [];
    nb.widgets.forEach((cell, i) => {
        if (cell.model.type !== 'code') return;
        const outs = cell.model.outputs;
        for (let j = 0; j < outs.length; j++) {
            const o = outs.get(j).toJSON();
            const data = o.data || {};
            const meta = (o.metadata || {})['image/png'] || {};
            rows.push({cell: i, type: o.output_type,
                       widget: 'application/vnd.jupyter.widget-view+json' in data,
                       png: 'image/png' in data, alt: meta.alt || null,
                       plain: typeof data['text/plain'] === 'string' ? data['text/plain']
                              : (data['text/plain'] || []).join('')});
        }
    });
    return rows;
}"""

_WIDGET_DOM_JS = """() => {
    const nb = window.jupyterapp.shell.currentWidget.content;
    return nb.widgets.map(cell => {
        if (cell.model.type !== 'code') return null;
        const outs = [...cell.node.querySelectorAll('.jp-OutputArea-output')];
        return {
            live: outs.filter(o => o.querySelector(':scope > .jupyter-widgets')).length,
            disconnected: cell.node.querySelectorAll('.jupyter-widgets-disconnected').length,
            text: (cell.node.querySelector('.jp-Cell-outputArea') || {}).textContent || '',
        };
    });
}"""


class CoursePage:
    """One browser page holding JupyterLab, reused notebook after notebook."""

    def __init__(self, browser, lab: labkit.Lab):
        self.browser = browser
        self.lab = lab
        self.context = None
        self.page = None
        self.loaded = False
        self.fallbacks: list[str] = []  # why a switch fell back to reloading the app

    # -- lifecycle ---------------------------------------------------------------------------
    def _new_page(self) -> None:
        if self.context is not None:
            self.context.close()
        self.context = self.browser.new_context(viewport={"width": 1280, "height": 900},
                                                accept_downloads=True)
        self.page = self.context.new_page()
        self.loaded = False

    def close(self) -> None:
        if self.context is not None:
            self.context.close()
        self.context = self.page = None
        self.lab.shutdown_sessions()

    def open(self, relpath: str, timeout: float = 90) -> None:
        """Open `relpath` with its kernel idle and connected, and nothing else open."""
        if self.page is None:
            self._new_page()
        if self.loaded:
            try:
                self._switch(relpath, timeout)
                return
            except Exception as exc:  # noqa: BLE001 - fall back to a fresh app and context
                self.fallbacks.append(f"{relpath}: {type(exc).__name__}: {str(exc)[:200]}")
                self._new_page()
        self.lab.shutdown_sessions()
        labkit.open_notebook(self.page, self.lab, relpath, timeout=timeout)
        self.loaded = True

    def _switch(self, relpath: str, timeout: float) -> None:
        page = self.page
        page.keyboard.press("Escape")
        if page.evaluate(_CLOSE_ALL_JS):
            raise RuntimeError("a document would not close")
        self.lab.shutdown_sessions()
        opened = page.evaluate(_OPEN_JS, relpath)
        assert opened == relpath, opened
        page.wait_for_selector(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Cell",
                               timeout=timeout * 1000)
        deadline = time.monotonic() + timeout
        while not (labkit._kernel_ready(self.lab) and page.evaluate(_KERNEL_JS)):
            if time.monotonic() > deadline:
                raise TimeoutError(f"kernel for {relpath} never became idle and connected")
            time.sleep(0.15)

    # -- reading the notebook ------------------------------------------------------------------
    def wait_outputs(self, count: int, timeout: float = 30) -> None:
        self.page.wait_for_function(
            f"n => {_PANEL}.querySelectorAll('.jp-OutputArea-output').length >= n",
            arg=count, timeout=timeout * 1000)

    def texts(self, selector: str) -> list[str]:
        return self.page.evaluate(
            f"s => [...{_PANEL}.querySelectorAll(s)].map(e => e.textContent)", selector)

    def top_quiz_texts(self) -> list[str]:
        return self.texts(".jp-OutputArea-output .cq-static:not(.cq-static .cq-static)")

    def captions(self) -> list[str]:
        return self.texts(".jp-OutputArea-output .ck-chart-note")

    def images(self) -> list[dict[str, Any]]:
        return self.page.evaluate(
            f"() => [...{_PANEL}.querySelectorAll('.jp-OutputArea-output img')].map(i => "
            "({alt: i.getAttribute('alt'), shown: i.naturalWidth > 0 || !i.complete}))")

    def model_outputs(self) -> list[dict[str, Any]]:
        return self.page.evaluate(_MODEL_OUTPUTS_JS)

    def widget_dom(self) -> list[dict[str, Any] | None]:
        return self.page.evaluate(_WIDGET_DOM_JS)

    def cell(self, i: int):
        """A locator for code or markdown cell i (by its place in the notebook model)."""
        self.page.evaluate("i => window.jupyterapp.shell.currentWidget.content.widgets[i]"
                           ".node.setAttribute('data-ck-cell', String(i))", i)
        return self.page.locator(f'.jp-NotebookPanel:not(.lm-mod-hidden) [data-ck-cell="{i}"]')

    def show_cell(self, i: int, align: str = "center") -> None:
        """Scroll cell i into view through the notebook (cells off screen are skipped by
        JupyterLab's content-visibility windowing, so their boxes are stale until shown)."""
        self.page.evaluate("""async ([i, align]) => {
            const nb = window.jupyterapp.shell.currentWidget.content;
            await nb.scrollToCell(nb.widgets[i], align);
            await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
        }""", [i, align])

    def cell_count(self) -> int:
        return self.page.evaluate(f"() => {_PANEL}.querySelectorAll('.jp-Notebook .jp-Cell').length")

    def cell_output_text(self, i: int) -> str:
        return self.page.evaluate(
            "i => { const c = window.jupyterapp.shell.currentWidget.content.widgets[i];"
            " return [...c.node.querySelectorAll('.jp-OutputArea-output')]"
            ".map(o => o.innerText).join('\\n'); }", i)

    def wait_live_widgets(self, timeout: float = 30) -> list[str]:
        """Wait until every widget view in the model is rendered live; return problems left."""
        deadline = time.monotonic() + timeout
        while True:
            expected: dict[int, int] = {}
            for row in self.model_outputs():
                if row["widget"]:
                    expected[row["cell"]] = expected.get(row["cell"], 0) + 1
            dom = self.widget_dom()
            problems = []
            for i, n in expected.items():
                d = dom[i] or {"live": 0, "disconnected": 0, "text": ""}
                if d["live"] < n:
                    problems.append(f"cell {i}: {n - d['live']} of {n} widget views not rendered "
                                    f"({d['text'][:120]!r})")
                if d["disconnected"]:
                    problems.append(f"cell {i}: a disconnected (dead) widget")
                if "Error displaying widget" in d["text"]:
                    problems.append(f"cell {i}: Error displaying widget")
            if not problems or time.monotonic() > deadline:
                return problems
            time.sleep(0.2)

    # -- running cells -------------------------------------------------------------------------
    def set_source(self, i: int, source: str) -> None:
        self.page.evaluate(
            "([i, s]) => window.jupyterapp.shell.currentWidget.content.widgets[i]"
            ".model.sharedModel.setSource(s)", [i, source])

    def run_cell(self, i: int, timeout: float = 60) -> str:
        """Run cell i (without moving on) and return its output text once it has run."""
        before = self.page.evaluate(
            "i => window.jupyterapp.shell.currentWidget.content.widgets[i].model.executionCount", i)
        self.page.evaluate("""async (i) => {
            const panel = window.jupyterapp.shell.currentWidget;
            panel.content.activeCellIndex = i;
            panel.content.deselectAll();
            await window.jupyterapp.commands.execute('notebook:run-cell');
        }""", i)
        deadline = time.monotonic() + timeout
        while True:
            count = self.page.evaluate(
                "i => window.jupyterapp.shell.currentWidget.content.widgets[i].model.executionCount", i)
            if count is not None and count != before and self.page.evaluate(_KERNEL_JS):
                return self.cell_output_text(i)
            if time.monotonic() > deadline:
                raise TimeoutError(f"cell {i} did not finish running")
            time.sleep(0.1)

    # -- keyboard ------------------------------------------------------------------------------
    def focus_before(self, js_element: str) -> None:
        """Put the keyboard focus on a (made focusable, tabindex=-1) element, so that the next
        Tab goes to the first control after it. Not a mouse call: the learner's equivalent is
        reading down to that point."""
        self.page.evaluate(f"() => {{ const e = {js_element}; e.setAttribute('tabindex', '-1');"
                           " e.focus(); return document.activeElement === e; }")

    def tab_to(self, js_element: str, max_tabs: int = 60) -> int:
        for n in range(max_tabs):
            if self.page.evaluate(f"() => document.activeElement === ({js_element})"):
                return n
            self.page.keyboard.press("Tab")
        raise AssertionError(f"Tab never reached {js_element} in {max_tabs} presses")

    def tab_sequence(self, container_js: str, controls_selector: str,
                     extra: int = 1) -> tuple[int, list[int]]:
        """Tab from just before `container` through it; return (number of controls, the index
        of each focused element among the container's visible controls in document order,
        -1 for elements outside them)."""
        n = self.page.evaluate(f"""() => {{
            const box = {container_js};
            window.__ckControls = [...box.querySelectorAll({json.dumps(controls_selector)})]
                .filter(e => e.getClientRects().length > 0 && !e.disabled);
            window.__ckFocus = [];
            if (!window.__ckFocusHook) {{
                window.__ckFocusHook = true;
                document.addEventListener('focusin', ev => window.__ckFocus.push(ev.target), true);
            }}
            const start = box.firstElementChild;
            start.setAttribute('tabindex', '-1');
            start.focus();
            window.__ckFocus = [];
            return window.__ckControls.length;
        }}""")
        for _ in range(n + extra):
            self.page.keyboard.press("Tab")
        seq = self.page.evaluate("() => window.__ckFocus.map(e => window.__ckControls.indexOf(e))")
        return n, seq

    # -- accessibility -------------------------------------------------------------------------
    def accessible_names(self, js_elements: str) -> list[dict[str, Any]]:
        """Chrome's own accessible role and name for each element (CDP Accessibility domain)."""
        # Chrome leaves cells skipped by JupyterLab's content-visibility windowing out of the
        # accessibility tree (every name comes back empty), so bring the controls on screen.
        count = self.page.evaluate(f"""async () => {{
            window.__ckA11y = [...{js_elements}];
            if (window.__ckA11y.length) window.__ckA11y[0].scrollIntoView({{block: 'start'}});
            await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
            return window.__ckA11y.length; }}""")
        cdp = self.context.new_cdp_session(self.page)
        try:
            out = []
            for i in range(count):
                obj = cdp.send("Runtime.evaluate", {"expression": f"window.__ckA11y[{i}]"})["result"]
                node = cdp.send("Accessibility.getPartialAXTree",
                                {"objectId": obj["objectId"], "fetchRelatives": False})["nodes"][0]
                desc = self.page.evaluate(
                    f"() => {{ const e = window.__ckA11y[{i}]; const q = e.closest('.cq-question');"
                    " return (q ? [...q.classList].find(c => c.startsWith('cq-item-')) : '') + ' '"
                    " + e.tagName.toLowerCase() + (e.type ? '[' + e.type + ']' : ''); }")
                out.append({"role": (node.get("role") or {}).get("value"),
                            "ignored": node.get("ignored", False),
                            "name": (node.get("name") or {}).get("value", ""),
                            "where": desc})
            return out
        finally:
            cdp.detach()


# ------------------------------------------------------------------------------------------------
# Small things the tests share
# ------------------------------------------------------------------------------------------------
def poll(fn: Callable[[], Any], timeout: float = 15, interval: float = 0.15, what: str = "") -> Any:
    """fn() until it returns something truthy; its last value on timeout is an AssertionError."""
    deadline = time.monotonic() + timeout
    while True:
        value = fn()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what or fn}")
        time.sleep(interval)


def decode_data_uri(href: str) -> bytes:
    head, _, payload = href.partition(",")
    assert head.startswith("data:") and head.endswith(";base64"), head[:60]
    return base64.b64decode(payload)


@dataclass
class Phases:
    """Wall time of each phase of one notebook's test (written to test-artifacts/)."""

    name: str
    started: float = field(default_factory=time.monotonic)
    marks: list[tuple[str, float]] = field(default_factory=list)

    def mark(self, phase: str) -> None:
        self.marks.append((phase, time.monotonic()))

    def save(self, path: Path) -> None:
        rows, last = {}, self.started
        for phase, t in self.marks:
            rows[phase] = round(t - last, 2)
            last = t
        rows["total"] = round(last - self.started, 2)
        path.parent.mkdir(parents=True, exist_ok=True)
        data = json.loads(path.read_text()) if path.exists() else {}
        data[self.name] = rows
        path.write_text(json.dumps(data, indent=1, sort_keys=True))
