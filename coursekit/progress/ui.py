"""Notebook helpers for the progress store: download, upload, reset, dashboard, pretest.

Imported only when a helper is called (coursekit.progress.api imports it lazily), so importing
ipywidgets at the top here costs nothing at notebook start.

Every widget keeps its state in traits (HTML.value, Button.disabled, layout.display), so tests
drive it with `.click()` and `.value = ...` without a kernel. Every widget panel also carries a
deterministic static text/html and text/plain rendering: the build stores that (widget views are
stripped), so GitHub and a notebook opened before its kernel runs still show something sensible.
Handlers never raise at the learner: failures become words in the status line.
"""
from __future__ import annotations

import base64
import html
from typing import Any, Sequence

import ipywidgets as widgets

from coursekit.display.a11y import live
from coursekit.display.static import StaticViews
from coursekit.model.safetext import clean_text, safe_str
from coursekit.progress import recorder as events
from coursekit.progress.failures import describe_failure
from coursekit.progress.fields import LESSONS, PRETEST_ITEM_RE
from coursekit.progress.store import Store
from coursekit.progress.tally import summarise
from coursekit.quizzes.records import Pretest
from coursekit.quizzes.render import plain_text, render_text

#: MathJax leaves these alone (a "$" in a question or an answer is money, not maths).
_NO_MATH = "mathjax_ignore tex2jax_ignore"


class Panel(StaticViews, widgets.VBox):
    """A VBox shown with fixed static views (coursekit.display.static) beside its live view."""

    def __init__(self, children: Sequence[widgets.Widget], *, static_html: str,
                 static_text: str, **kwargs: Any):
        super().__init__(list(children), **kwargs)
        self._static_html = static_html
        self._static_text = static_text

    def static_html(self) -> str:
        return self._static_html

    def static_text(self) -> str:
        return self._static_text


def _status(text: str, outcome: events.Outcome | None = None) -> str:
    """Status lines are announced by screen readers (role=status); MathJax leaves them alone.
    Below the status, any failure or store notice this session has not shown yet (events.notes)."""
    notes = "".join(f'<div role="note" class="{_NO_MATH}">\u26a0 '
                    f"{html.escape(clean_text(n))}</div>" for n in events.notes(outcome))
    return f'<div role="status" class="{_NO_MATH}">{html.escape(clean_text(text))}</div>{notes}'


def _hide(*items: widgets.DOMWidget) -> None:
    for item in items:
        item.layout.display = "none"


def _unhide(*items: widgets.DOMWidget) -> None:
    for item in items:
        item.layout.display = None


# --- export / import --------------------------------------------------------------------------


def download_link(store: Store) -> Any:
    """A data-URI link: the browser saves progress.json itself, which works on Binder without
    any server route. The export has no time stamp of its own, so an empty record always gives
    the same bytes (stored notebook outputs stay reproducible)."""
    from IPython.display import HTML

    text = store.export_text()
    count = store.count()
    payload = base64.b64encode(text.encode("utf-8")).decode("ascii")
    noun = "event" if count == 1 else "events"
    return HTML(
        f'<p><a download="progress.json" href="data:application/json;base64,{payload}" '
        f'style="text-decoration:underline">'
        f"Download your progress ({count} {noun}) as progress.json</a>. Keep the file: a Binder "
        "session is deleted when it ends, and upload() brings the file back.</p>"
    )


def _import_files(store: Store, files: Sequence[Any]) -> str:
    messages = []
    for entry in files:
        try:
            name = str(entry.get("name", "the file"))
            content = entry.get("content", b"")
            data = content.tobytes() if isinstance(content, memoryview) else bytes(content)
            result = store.import_json(data)
            messages.append(f"{name}: {result.message}")
        except Exception as exc:  # noqa: BLE001 - the learner gets words, never a traceback
            messages.append(f"Nothing was imported: the file could not be read ({exc}).")
    return " ".join(messages)


def upload(store: Store) -> Panel:
    """Pick an exported progress.json; the status line says what was added or why not."""
    picker = widgets.FileUpload(accept=".json,application/json", multiple=False,
                                description="Import progress.json")
    status = live(widgets.HTML(_status("Choose a progress.json that you exported earlier.")))

    def on_value(change: dict[str, Any]) -> None:
        files = change.get("new") or ()
        if not files:
            return
        status.value = _status(_import_files(store, files))
        try:
            picker.value = ()  # so that choosing the same file again fires again
        except Exception:  # noqa: BLE001
            pass

    picker.observe(on_value, names="value")
    panel = Panel([picker, status], static_html=(
        "<p>[Import progress: run this cell to choose a progress.json file.]</p>"),
        static_text="Import progress: run this cell to choose a progress.json file.")
    panel.picker, panel.status = picker, status  # type: ignore[attr-defined]
    return panel


# --- reset ------------------------------------------------------------------------------------


def reset_button(store: Store) -> Panel:
    """Two steps, so one stray click never deletes anything."""
    start = widgets.Button(description="Reset…", tooltip="Delete all your progress (asks first)")
    confirm = widgets.Button(description="Yes, delete my progress", button_style="danger",
                             disabled=True)
    cancel = widgets.Button(description="Cancel")
    status = live(widgets.HTML(""))
    _hide(confirm, cancel)

    def on_start(_button: widgets.Button) -> None:
        try:
            count = store.count()
        except Exception as exc:  # noqa: BLE001
            status.value = _status(f"The progress store cannot be read ({exc}).")
            return
        confirm.disabled = False
        _unhide(confirm, cancel)
        status.value = _status(
            f"This deletes all {count} recorded events for good. To keep a copy, use "
            "download_link() first. Delete them?")

    def on_confirm(_button: widgets.Button) -> None:
        if confirm.disabled:  # .click() runs handlers even on a disabled or hidden button
            return
        confirm.disabled = True
        _hide(confirm, cancel)
        try:
            deleted = store.reset(confirm=True)
        except Exception as exc:  # noqa: BLE001
            status.value = _status(f"Nothing was deleted: {exc}")
            return
        status.value = _status(f"Deleted {deleted} events. Your progress starts afresh.")

    def on_cancel(_button: widgets.Button) -> None:
        confirm.disabled = True
        _hide(confirm, cancel)
        status.value = _status("Nothing was deleted.")

    start.on_click(on_start)
    confirm.on_click(on_confirm)
    cancel.on_click(on_cancel)
    words = "Reset progress: run this cell for a button that asks first."
    panel = Panel([widgets.HBox([start, confirm, cancel]), status],
                  static_html=f"<p>[{words}]</p>", static_text=words)
    panel.start, panel.confirm, panel.cancel, panel.status = (  # type: ignore[attr-defined]
        start, confirm, cancel, status)
    return panel


# --- dashboard --------------------------------------------------------------------------------


def dashboard_rows(summary: dict[str, dict[str, int]]) -> list[dict[str, Any]]:
    """One row a lesson: the numbers drawn, also shown as the chart's data table."""
    return [{"lesson": lesson,
             "quiz right": summary[lesson]["quiz_correct"],
             "quiz tried": summary[lesson]["quiz_total_items_seen"],
             "exercises solved": summary[lesson]["exercises_correct"]}
            for lesson in LESSONS]


def dashboard_alt(rows: Sequence[dict[str, Any]]) -> str:
    """The chart's takeaway in words (also what a screen reader reads)."""
    quiz = [f"lesson {r['lesson']} {r['quiz right']} of {r['quiz tried']}"
            for r in rows if r["quiz tried"]]
    done = [f"lesson {r['lesson']} {r['exercises solved']}" for r in rows if r["exercises solved"]]
    if not quiz and not done:
        return ("Your progress: no quiz answers or solved exercises are recorded yet, so every "
                "bar is at zero.")
    parts = ["Your progress."]
    parts.append("Quiz questions answered right, of those tried: " + "; ".join(quiz) + "."
                 if quiz else "No quiz questions tried yet.")
    parts.append("Exercises solved: " + "; ".join(done) + "." if done
                 else "No exercises solved yet.")
    idle = [r["lesson"] for r in rows if not r["quiz tried"] and not r["exercises solved"]]
    if idle:
        parts.append("Nothing recorded yet for lesson" + ("s " if len(idle) > 1 else " ")
                     + ", ".join(idle) + ".")
    return " ".join(parts)


def dashboard(store: Store) -> Any:
    """Bar chart per lesson through coursekit.display.charts.show (alt text, source line, data table)."""
    from IPython.display import HTML, display
    from matplotlib.ticker import MaxNLocator

    from coursekit.display import charts as plots

    rows = dashboard_rows(summarise(store.events()))
    for note in (store.notice, events.failures_text()):
        if note:
            display(HTML(f'<p role="note"><strong>Note:</strong> {html.escape(note)}</p>'))
    fig, ax = plots.figure(figsize=(7.0, 3.6))
    xs = range(len(rows))
    series = [("quiz tried", "quiz questions tried", plots.PALETTE["grey"], "//", -0.27),
              ("quiz right", "quiz questions right", plots.PALETTE["blue"], "", 0.0),
              ("exercises solved", "exercises solved", plots.PALETTE["vermillion"], "..", 0.27)]
    for key, label, colour, hatch, offset in series:
        values = [r[key] for r in rows]
        bars = ax.bar([x + offset for x in xs], values, width=0.26, label=label, color=colour,
                      hatch=hatch, edgecolor="white" if hatch else colour, linewidth=0)
        ax.bar_label(bars, labels=[str(v) if v else "" for v in values], padding=2, fontsize=8)
    ax.set_xticks(list(xs), [f"Lesson {r['lesson']}" for r in rows], fontsize=8)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    top = max([1] + [max(r["quiz tried"], r["exercises solved"]) for r in rows])
    ax.set_ylim(0, top * 1.2 + 0.5)
    ax.set_ylabel("count")
    ax.set_axisbelow(True)  # grid lines behind the bars
    ax.grid(axis="x", visible=False)
    ax.set_title("Your progress by lesson")
    ax.legend(loc="upper right", fontsize=8)
    return plots.show(fig, alt=dashboard_alt(rows), source_ids=[], data=rows)


# --- retrieval practice -----------------------------------------------------------------------


def _lesson_of(item: str) -> str:
    if not PRETEST_ITEM_RE.fullmatch(item) or item[:2] not in LESSONS:
        raise ValueError(f"a pretest item looks like '03.pre1' (lessons {LESSONS[0]} to "
                         f"{LESSONS[-1]}); got {item!r}")
    return item[:2]


def pretest(item: str) -> Panel:
    """The opening question `item` ("NN.preK") of its lesson's quiz bank, asked as a Panel."""
    from coursekit.quizzes.bank import load_bank

    return pretest_panel(load_bank(_lesson_of(item)).pretest(item))


def pretest_panel(pre: Pretest) -> Panel:
    """An opening question: guessing before the lesson helps later recall (Little & Bjork),
    even when the guess is wrong. The guess is saved as an 'attempt' with correct=None."""
    lesson, item = _lesson_of(pre.full_id), pre.full_id
    question = f'<p class="{_NO_MATH}"><strong>Before you start:</strong> {render_text(pre.prompt)}</p>'
    prompt = widgets.HTML(question)
    if pre.options:
        choice: widgets.ValueWidget = widgets.RadioButtons(
            options=[(plain_text(o), o) for o in pre.options], value=None,
            layout={"width": "max-content"})
    else:
        choice = widgets.Textarea(placeholder="Your guess", layout={"width": "100%"})
    save = widgets.Button(description="Save my guess")
    status = live(widgets.HTML(""))

    def on_save(_button: widgets.Button) -> None:
        guess = choice.value.strip() if isinstance(choice.value, str) else choice.value
        if not guess:
            status.value = _status("Choose or type an answer first; a guess is fine.")
            return
        outcome = events.record("attempt", lesson, item, answer=guess, whole=True)
        if not outcome:
            status.value = _status(outcome.problem, outcome)
            return
        status.value = _status("Saved your guess. The answer comes later in this lesson.",
                               outcome)

    save.on_click(on_save)
    listed = "".join(f"<li>{render_text(o)}</li>" for o in pre.options)
    static = (question + (f"<ul>{listed}</ul>" if listed else "")
              + "<p>[Run this cell to save your guess.]</p>")
    panel = Panel([prompt, choice, save, status], static_html=static,
                  static_text=f"Before you start: {plain_text(pre.prompt)}")
    panel.choice, panel.save, panel.status = choice, save, status  # type: ignore[attr-defined]
    return panel


def latest_guess(store: Store, item: str) -> Any:
    """The learner's most recent saved guess for a pretest item, or None."""
    guesses = [ev for ev in store.events(item[:2])
               if ev["item"] == item and ev["kind"] == "attempt"]
    return guesses[-1]["answer"] if guesses else None


def reveal(store: Store, item: str, answer: str, explanation: str = "") -> Panel:
    """Show the pretest answer beside the learner's guess, looked up when the button is
    pressed (so a guess saved after this cell ran still counts)."""
    lesson = _lesson_of(item)
    show = widgets.Button(description="Show the answer")
    status = live(widgets.HTML(""))
    tail = f" {explanation}" if explanation else ""

    def on_show(_button: widgets.Button) -> None:
        try:
            guess = latest_guess(store, item)
        except Exception as exc:  # noqa: BLE001 - the answer is still shown, with the reason
            said = ("Your earlier guess cannot be read now: "
                    f"{describe_failure(exc, store.location_text())}")
        else:
            said = (f"You guessed: {safe_str(guess, 2_000)}." if guess is not None
                    else "You did not save a guess for this question.")
        # Seeing the answer matters more than logging it: the view is recorded after, and a
        # failure is kept by events.record and shown by the next widget and the dashboard.
        outcome = events.record("view", lesson, item)
        unsaved = "" if outcome else f" ({outcome.problem})"
        status.value = _status(f"{said} The answer: {answer}.{tail}{unsaved}", outcome)

    show.on_click(on_show)
    static = (f'<p class="{_NO_MATH}"><strong>Answer to the opening question:</strong> '
              f"{html.escape(answer)}."
              f"{html.escape(tail)}</p>")
    panel = Panel([show, status], static_html=static,
                  static_text=f"Answer to the opening question: {answer}.{tail}")
    panel.button, panel.status = show, status  # type: ignore[attr-defined]
    return panel


# --- the learner's name for a teacher's report --------------------------------------------------

NAME_PURPOSE = (
    "Your name, or a pseudonym: it is used only to match your row in a teacher's report to you. "
    "A pseudonym is fine, as long as your teacher knows it. It is kept with your progress on "
    "this computer and goes only where you send your progress file."
)
NAME_STATIC = "[Run this cell to type a name or a pseudonym and press Save.]"


def name_field(store: Store) -> Panel:
    """A text box and a Save button for the learner's name or pseudonym (set_learner).
    The status says "Saved" only after the store reads the name back."""
    try:
        current = store.learner
    except Exception:  # noqa: BLE001 - the box starts empty; Save reports any real failure
        current = ""
    intro = widgets.HTML(f'<p>{html.escape(NAME_PURPOSE)}</p>')
    box = widgets.Text(value="" if current.startswith("learner-") else current,
                       placeholder="Your name or a pseudonym", description="Name:",
                       continuous_update=False, layout={"width": "24em"})
    save = widgets.Button(description="Save", tooltip="Save the name for your teacher's report")
    status = live(widgets.HTML(_status(f"Your progress is recorded under {current!r}."
                                       if current else "")))

    def on_save(_button: widgets.Button) -> None:
        if not box.value.strip():
            try:
                now = store.learner
            except Exception:  # noqa: BLE001
                now = "your current id"
            status.value = _status("Nothing saved: the box is empty. A name is optional; until "
                                   f"you choose one, your progress is recorded under {now!r}.")
            return
        outcome = events.set_name(box.value)
        if not outcome:
            status.value = _status(outcome.problem, outcome)
            return
        box.value = str(outcome.value)
        status.value = _status(
            f"Saved. Your answers from now on carry the name {outcome.value!r}; answers "
            "you gave before keep the id they had.", outcome)

    save.on_click(on_save)
    static_html = (f'<p>{html.escape(NAME_PURPOSE)}</p><p>{html.escape(NAME_STATIC)}</p>')
    panel = Panel([intro, widgets.HBox([box, save]), status], static_html=static_html,
                  static_text=f"{NAME_PURPOSE}\n{NAME_STATIC}")
    panel.box, panel.save, panel.status = box, save, status  # type: ignore[attr-defined]
    return panel
