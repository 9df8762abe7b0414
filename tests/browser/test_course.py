"""Every lesson and exercise notebook as a learner meets it, in real JupyterLab (issue 15).

One test per notebook, doing every check for it in sequence, so that each notebook pays for one
kernel and one Run All (the expensive parts; see benchmarks/bench_browser.py):

1. stored outputs, before running: the static quiz text and the chart captions are on the page,
   every stored chart is shown, and nothing says "Error displaying widget";
2. Run All: no error output, no dead widget, every chart's alt text is in the page (the caption
   block; JupyterLab puts no alt attribute on PNG outputs, which the findings file records);
3. lessons: moving the first exploration's control changes its live readout;
4. lessons: the quiz's controls have accessible names (Chrome's own computation, through CDP),
   Tab visits them in reading order, one question is answered with the keyboard alone and one
   with the mouse, and the feedback is in words inside a live region;
5. notebooks with the progress cells: the export link gives a file, reset empties the record,
   importing the file brings it back, and the re-drawn dashboard describes the answers again;
6. exercises: the spec's first known mistake gets that mistake's hint, the answer gets "correct";
7. axe-core over the whole notebook as it now stands (answered quiz, moved exploration, re-drawn
   dashboard): no serious or critical violation in what the course renders (tests/browser/a11y.py);
   and MathJax has typeset the notebook's formulas and nothing else (no money read as maths).

Expectations come from the stored notebooks, the quiz banks and the exercise specs; nothing is
written per lesson. Known course bugs are listed in KNOWN_BUGS with the exact reason; their cases
are xfail(strict=True) on KnownCourseBug only, checked last, so any other failure still fails.
"""
from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest

from coursekit.progress.store import parse_export, summarise
from coursekit.progress.ui import dashboard_alt, dashboard_rows
from coursekit.quizzes import bank as quizbank
from coursekit.quizzes.widgets import CORRECT, WRONG, plain_text
from coursekit.teacher import mdrender

from . import a11y, labkit
from .course_driver import (
    _PANEL, CoursePage, Phases, Stored, decode_data_uri, discover, exercise_plan, poll, squash,
)

NOTEBOOKS = discover("lessons") + discover("exercises")
PHASES_FILE = labkit.ARTIFACTS / "browser-phases.json"
FINDINGS_FILE = labkit.ARTIFACTS / "browser-findings.json"
QUIZ_CONTROLS = "input, button, textarea, select, a[href], [tabindex]:not([tabindex='-1'])"


class KnownCourseBug(AssertionError):
    """A failure listed in KNOWN_BUGS (the course code is not this suite's to change)."""


def _bank_has_reflection(stored: Stored) -> bool:
    bank = quizbank.load_bank(stored.lesson)
    return any(q.type == "reflection" for q in [*bank.questions, *bank.review_questions()])


# id -> (exact reason, which notebooks it affects). Remove an entry once the course is fixed: a
# listed bug that no longer reproduces fails its case.
KNOWN_BUGS: dict = {
    # None open. Fixed on 2026-11-25: "reflection-unnamed" (the reflection Textarea had no
    # accessible name) and "feedback-not-live" (quiz feedback was outside any live region).
}


def _expected_bugs(relpath: str) -> list[str]:
    stored = Stored(relpath)
    return [bug for bug, (_, applies) in KNOWN_BUGS.items() if applies(stored)]


def _params():
    for relpath in NOTEBOOKS:
        bugs = _expected_bugs(relpath)
        marks = [pytest.mark.xfail(raises=KnownCourseBug, strict=True,
                                   reason="; ".join(KNOWN_BUGS[b][0] for b in bugs))] if bugs else []
        yield pytest.param(relpath, marks=marks, id=relpath.removesuffix(".ipynb"))


@pytest.fixture(scope="module")
def course(browser, lab):
    for path in (PHASES_FILE, FINDINGS_FILE):
        path.unlink(missing_ok=True)
    page = CoursePage(browser, lab)
    yield page
    page.close()


def _record_finding(relpath: str, key: str, value) -> None:
    labkit.ARTIFACTS.mkdir(exist_ok=True)
    data = json.loads(FINDINGS_FILE.read_text()) if FINDINGS_FILE.exists() else {}
    data.setdefault(relpath, {})[key] = value
    FINDINGS_FILE.write_text(json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False))


# ------------------------------------------------------------------------------------------------
# 1. Stored outputs
# ------------------------------------------------------------------------------------------------
def check_stored(course: CoursePage, stored: Stored) -> None:
    outputs = sum(1 for _ in stored.outputs())
    if outputs:
        course.wait_outputs(outputs)
    assert labkit.error_texts(course.page) == [], "stored outputs show an error"
    want = [squash(t) for t in stored.quiz_texts]
    got = [squash(t) for t in course.top_quiz_texts()]
    assert got == want, (f"stored quiz text is not shown as stored: {len(got)} static quiz "
                         f"blocks on the page, {len(want)} stored; first difference: "
                         f"{next(((g[:200], w[:200]) for g, w in zip(got, want) if g != w), None)}")
    captions = [squash(c) for c in course.captions()]
    for alt in stored.chart_alts:
        assert any(squash(alt) in c and c.startswith(squash("Chart description:"))
                   for c in captions), f"no 'Chart description:' caption shows the stored alt {alt!r}"
    images = course.images()
    assert len(images) == len(stored.chart_alts), (len(images), len(stored.chart_alts))


# ------------------------------------------------------------------------------------------------
# 2. After Run All
# ------------------------------------------------------------------------------------------------
def check_after_run(course: CoursePage, stored: Stored) -> None:
    assert labkit.error_texts(course.page) == []
    problems = course.wait_live_widgets()
    assert problems == [], problems
    rows = course.model_outputs()
    errors = [r for r in rows if r["type"] == "error"]
    assert not errors, f"error outputs in cells {[r['cell'] for r in errors]}"
    charts = [r for r in rows if r["png"]]
    if stored.chart_alts:
        assert charts, "the stored notebook has charts, the run drew none"
    captions = [squash(c) for c in course.captions()]
    for r in charts:
        alt = r["alt"] or r["plain"].removeprefix("[Chart]").strip()
        assert alt, f"cell {r['cell']}: a chart without alt text"
        assert any(squash(alt) in c for c in captions), \
            f"cell {r['cell']}: chart alt text not in any caption block: {alt!r}"
    images = course.images()
    assert len(images) == len(charts), (len(images), len(charts))
    assert all(i["shown"] for i in images), "an image failed to load"
    for img, r in zip(images, charts):  # JupyterLab 4.6 sets none; if one appears it must match
        if img["alt"] is not None:
            assert squash(img["alt"]) == squash(r["alt"] or ""), (img["alt"], r["alt"])
    _record_finding(stored.relpath, "img_alt_attributes_after_run",
                    {"images": len(images), "with_alt": sum(i["alt"] is not None for i in images)})


# ------------------------------------------------------------------------------------------------
# 3. Exploration
# ------------------------------------------------------------------------------------------------
_FIND_EXPLORATION_JS = f"""() => {{
    const panel = {_PANEL};
    // The readout's own paragraph (coursekit.display.a11y also makes every live widget's container a
    // live region; the first of those can be a pretest's status line).
    const readout = panel.querySelector(
        '.jp-OutputArea-output .widget-html-content > [role=status][aria-live]');
    if (!readout) return null;
    const html = readout.closest('.widget-html');  // kept; the <p> inside is replaced on update
    html.setAttribute('data-ck-readout', '1');
    const box = html.parentElement;
    const controls = [...box.querySelectorAll('select, input, textarea, [role=slider], button')]
        .filter(e => !e.closest('.widget-html') && e.getClientRects().length > 0);
    const cell = window.jupyterapp.shell.currentWidget.content.widgets
        .findIndex(w => w.node.contains(readout));
    if (!controls.length) return {{cell, before: readout.textContent, kind: null}};
    const c = controls[0];
    c.setAttribute('data-ck-control', '1');
    let kind = c.tagName === 'SELECT' ? 'select' : c.getAttribute('role') === 'slider' ? 'slider'
             : (c.type || c.tagName).toLowerCase();
    if (kind === 'radio' || kind === 'button') {{
        const group = c.closest('.widget-radio-box, .widget-toggle-buttons') || c.parentElement;
        const other = [...group.querySelectorAll('input[type=radio], button')]
            .find(e => !e.checked && !e.classList.contains('mod-active'));
        if (other) other.setAttribute('data-ck-other', '1');
    }}
    return {{cell, before: readout.textContent, kind,
             options: c.options ? c.options.length : 0,
             selected: c.selectedIndex === undefined ? -1 : c.selectedIndex}};
}}"""


def check_exploration(course: CoursePage, stored: Stored) -> None:
    page = course.page
    info = page.evaluate(_FIND_EXPLORATION_JS)
    assert info, ("the stored notebook shows an exploration, but after Run All no readout "
                  "([role=status][aria-live]) is on the page")
    where = f"{stored.relpath} cell {info['cell']}"
    assert info["kind"], f"{where}: the readout's box has no control"
    course.show_cell(info["cell"], "start")
    control = page.locator("[data-ck-control]")
    kind = info["kind"]
    if kind == "select":
        control.select_option(index=(info["selected"] + 1) % info["options"])
    elif kind == "slider":
        # Drag the handle to where the track is farthest from every handle. (Not a click on the
        # track: on a range slider the stretch between the handles drags the whole range.)
        control.evaluate("e => e.scrollIntoView({block: 'center'})")
        base = control.locator("xpath=ancestor::div[contains(@class,'noUi-base')]")
        box = base.bounding_box()
        sliders = base.locator("[role=slider]")
        handles = [(b["x"] + b["width"] / 2 - box["x"]) / box["width"]
                   for b in (sliders.nth(i).bounding_box() for i in range(sliders.count()))]
        x = max((0.05, 0.25, 0.5, 0.75, 0.95), key=lambda c: min(abs(c - h) for h in handles))
        grip = control.bounding_box()
        y = grip["y"] + grip["height"] / 2
        page.mouse.move(grip["x"] + grip["width"] / 2, y)
        page.mouse.down()
        page.mouse.move(box["x"] + box["width"] * x, y, steps=5)
        page.mouse.up()
    elif kind in ("radio", "button"):
        page.locator("[data-ck-other]").click()
    elif kind == "checkbox":
        control.click()
    else:
        raise AssertionError(f"{where}: no way to move a {kind} control yet")
    readout = page.locator("[data-ck-readout]")
    poll(lambda: readout.text_content() != info["before"], timeout=15,
         what=f"{where}: the readout to change after moving the {kind} "
              f"(still {info['before'][:120]!r})")


# ------------------------------------------------------------------------------------------------
# 4. Quiz: names, tab order, keyboard, mouse, feedback
# ------------------------------------------------------------------------------------------------
def _item(q) -> str:
    return f".jp-NotebookPanel:not(.lm-mod-hidden) .cq-quiz .cq-item-{q.lesson}-{q.id}"


def _feedback(course: CoursePage, q, words: str) -> dict:
    sel = _item(q)
    js = (f"() => {{ const f = document.querySelector({json.dumps(sel + ' .cq-feedback')});"
          " return f ? {text: f.innerText, live: !!f.closest('[role=status],[aria-live]')} : null; }")
    return poll(lambda: (lambda r: r if r and words in r["text"] else None)(course.page.evaluate(js)),
                timeout=15, what=f"feedback {words!r} for {q.full_id}")


def check_quiz(course: CoursePage, stored: Stored, known: dict[str, str]) -> list[str]:
    """Returns the full ids of the two questions answered (their events are now recorded)."""
    page = course.page
    bank = quizbank.load_bank(stored.lesson)
    page.wait_for_selector(".jp-NotebookPanel:not(.lm-mod-hidden) .cq-quiz .cq-question",
                           timeout=30000)
    quiz_js = f"{_PANEL}.querySelector('.cq-quiz')"
    course.show_cell(page.evaluate("() => window.jupyterapp.shell.currentWidget.content.widgets"
                                   ".findIndex(w => w.node.querySelector('.cq-quiz'))"), "start")

    # Accessible names, as Chrome computes them.
    names = course.accessible_names(f"{quiz_js}.querySelectorAll('input, button, textarea, select')")
    assert names, "no controls in the quiz"
    unnamed = [f"{n['where']} (role {n['role']}{', ignored' if n['ignored'] else ''})"
               for n in names if not (n["name"] or "").strip()]
    reflection = [w for w in unnamed if "textarea" in w]
    others = [w for w in unnamed if w not in reflection]
    assert not others, f"quiz controls without an accessible name: {others}"
    if reflection:
        known["reflection-unnamed"] = f"unnamed: {reflection}"
    counts: dict[str, int] = {}
    for n in names:
        if n["role"] == "radio":
            counts[n["name"]] = counts.get(n["name"], 0) + 1
    _record_finding(stored.relpath, "quiz_radio_names_used_more_than_once",
                    sorted(k for k, v in counts.items() if v > 1))

    # Tab order follows reading order: every control once, in document order, then out.
    n, seq = course.tab_sequence(quiz_js, QUIZ_CONTROLS)
    assert seq[:n] == list(range(n)) and (len(seq) == n or seq[n] == -1), \
        f"Tab visits the quiz's {n} controls out of order: {seq}"
    page.keyboard.press("Escape")

    # One question by keyboard, another by mouse: the first two single/multiple questions.
    choice = [q for q in bank.questions if q.type in ("single", "multiple")]
    assert len(choice) >= 2, f"bank {stored.lesson} needs two choice questions for this test"
    kq, mq = choice[0], choice[1]
    cells = course.cell_count()

    item = f"document.querySelector({json.dumps(_item(kq))})"
    course.focus_before(f"{item}.firstElementChild")
    kind = "radio" if kq.type == "single" else "checkbox"
    for i, c in enumerate(kq.choices):
        if c.correct:
            course.tab_to(f"{item}.querySelectorAll('input[type={kind}]')[{i}]")
            page.keyboard.press("Space")
    course.tab_to(f"{item}.querySelector('button.widget-button')")
    page.keyboard.press("Enter")
    kfb = _feedback(course, kq, CORRECT)
    assert course.cell_count() == cells, "a key reached JupyterLab's command mode"

    sel = _item(mq)
    mfb = []
    if mq.type == "single":
        wrong = next(i for i, c in enumerate(mq.choices) if not c.correct)
        page.locator(f"{sel} input[type=radio]").nth(wrong).click()
        page.locator(f"{sel} button.widget-button").first.click()
        fb = _feedback(course, mq, WRONG)
        assert squash(plain_text(mq.choices[wrong].feedback)) in squash(fb["text"]), fb["text"]
        mfb.append(fb)
    for i, c in enumerate(mq.choices):
        if c.correct:
            box = "radio" if mq.type == "single" else "checkbox"
            page.locator(f"{sel} input[type={box}]").nth(i).click()
    page.locator(f"{sel} button.widget-button").first.click()
    mfb.append(_feedback(course, mq, CORRECT))

    # Feedback in words (symbol + word, never colour alone), announced by a live region.
    for fb in [kfb, *mfb]:
        assert "Correct" in fb["text"] or "Not quite" in fb["text"], fb
    silent = [fb["text"][:40] for fb in [kfb, *mfb] if not fb["live"]]
    if silent:
        known["feedback-not-live"] = f"feedback outside a live region: {silent}"
    return [kq.full_id, mq.full_id]


# ------------------------------------------------------------------------------------------------
# 5. Progress: export, reset, import, dashboard
# ------------------------------------------------------------------------------------------------
def _progress_cells(stored: Stored) -> dict[str, int] | None:
    found = {}
    for name in ("download_link", "upload", "reset_button", "dashboard"):
        cells = stored.code_cells(rf"progress\.{name}\(\)")
        if not cells:
            return None
        found[name] = cells[0]
    return found


def check_progress(course: CoursePage, cells: dict[str, int], answered: list[str]) -> None:
    page = course.page

    def dashboard_caption() -> str:
        course.run_cell(cells["dashboard"])
        return course.cell(cells["dashboard"]).locator(".ck-chart-note").text_content()

    # Export: the link holds a valid export with the answers just given, and clicking it saves it.
    course.run_cell(cells["download_link"])
    link = course.cell(cells["download_link"]).locator("a[download]")
    href = link.get_attribute("href")
    data = decode_data_uri(href)
    parsed = parse_export(data)
    items = {e["item"] for e in parsed.events}
    assert set(answered) <= items, (answered, sorted(items))
    with page.expect_download() as dl:
        link.click()
    download = dl.value
    assert download.suggested_filename == "progress.json"
    saved = Path(tempfile.mkdtemp(prefix="coursekit-dl-")) / "progress.json"
    download.save_as(saved)
    assert saved.read_bytes() == data
    n = len(parsed.events)

    # Reset (two steps), so the import has something to restore.
    reset = course.cell(cells["reset_button"])
    reset.get_by_role("button", name="Reset…").click()
    reset.get_by_role("button", name="Yes, delete my progress").click()
    poll(lambda: f"Deleted {n} events" in reset.inner_text(), what=f"'Deleted {n} events'")
    empty = dashboard_alt(dashboard_rows(summarise([])))
    assert squash(empty) in squash(dashboard_caption())

    # Import the downloaded file through the FileUpload button.
    upload = course.cell(cells["upload"])
    with page.expect_file_chooser() as fc:
        upload.locator(".widget-upload").click()
    fc.value.set_files(str(saved))
    word = "event" if n == 1 else "events"
    poll(lambda: f"Imported {n} new {word}" in upload.inner_text(), timeout=20,
         what=f"'Imported {n} new {word}' (status: {upload.inner_text()[:200]!r})")

    # The re-drawn dashboard describes the imported answers again.
    restored = dashboard_alt(dashboard_rows(summarise(parsed.events)))
    caption = dashboard_caption()
    assert squash(restored) in squash(caption), (restored, caption)
    assert "Quiz questions answered right" in restored


# ------------------------------------------------------------------------------------------------
# 6. Exercise check
# ------------------------------------------------------------------------------------------------
def check_exercise(course: CoursePage, stored: Stored) -> None:
    plan = exercise_plan(stored)
    course.set_source(plan.answer_cell, plan.wrong_source)
    course.run_cell(plan.answer_cell)
    text = course.run_cell(plan.check_cell)
    assert squash(f"not yet: {plan.hint}") in squash(text), \
        f"{plan.id}: {plan.wrong_source!r} should get the hint {plan.hint[:80]!r}; got {text[:300]!r}"
    course.set_source(plan.answer_cell, plan.right_source)
    course.run_cell(plan.answer_cell)
    text = course.run_cell(plan.check_cell)
    assert text.strip() == "\u2713 correct", f"{plan.id}: the answer gets {text[:300]!r}"
    live = course.cell(plan.check_cell).locator(".ck-check[role=status]").count() == 1
    assert live, f"{plan.id}: the check's verdict is not in a role=status element"


# ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("relpath", list(_params()))
def test_notebook_as_a_learner_meets_it(course, lab, relpath):
    stored = Stored(relpath, root=lab.root)  # the server's copy, which the page shows
    phases = Phases(relpath)
    known: dict[str, str] = {}
    try:
        fallbacks = len(course.fallbacks)
        course.open(relpath)
        phases.mark("open")
        if len(course.fallbacks) > fallbacks:
            _record_finding(relpath, "page_reloaded_because", course.fallbacks[-1])
        check_stored(course, stored)
        phases.mark("stored outputs")
        labkit.run_all(course.page, lab)
        phases.mark("run all")
        check_after_run(course, stored)
        phases.mark("after run")
        # A learner who wants the optional depth opens it: the rest of the walk-through uses
        # what "Going further" sections hold (lesson 00's reset and upload, lesson 03's explorer).
        labkit.expand_all(course.page)
        answered = []
        if stored.kind == "lessons" and stored.has_exploration:
            check_exploration(course, stored)
            phases.mark("exploration")
        if stored.kind == "lessons" and stored.has_quiz:
            answered = check_quiz(course, stored, known)
            phases.mark("quiz")
        progress = _progress_cells(stored)
        if progress:
            check_progress(course, progress, answered)
            phases.mark("progress")
        if stored.kind == "exercises":
            check_exercise(course, stored)
            phases.mark("exercise")
        audit = a11y.audit_notebook(course.page, relpath)
        phases.mark("axe")
        typeset = course.page.evaluate(
            f"() => {_PANEL}.querySelectorAll('.jp-RenderedMarkdown mjx-container').length")
        formulas = sum(1 for i, c in enumerate(stored.cells) if c["cell_type"] == "markdown"
                       for m in mdrender._MATH.finditer(mdrender.strip_comments(stored.source(i)))
                       if mdrender.is_formula(m.group(1)))
        assert typeset == formulas, (f"MathJax typeset {typeset} pieces of Markdown; the notebook "
                                     f"has {formulas} formulas (money read as maths?)")
        blocking = audit.blocking()
        assert not blocking, (f"{len(blocking)} serious/critical accessibility violations in the "
                              f"course's content:\n  " + "\n  ".join(blocking[:12]))
    finally:
        if course.page is not None:
            labkit.screenshot(course.page, f"course-{stored.kind}-{stored.stem}")
        phases.mark("screenshot")
        phases.save(PHASES_FILE)

    expected = set(_expected_bugs(relpath))
    gone = expected - set(known)
    assert not gone, f"known bugs no longer reproduce here, remove them from KNOWN_BUGS: {sorted(gone)}"
    unexpected = set(known) - expected
    assert not unexpected, {b: known[b] for b in unexpected}
    if known:
        raise KnownCourseBug("; ".join(f"{b}: {d}" for b, d in sorted(known.items())))
