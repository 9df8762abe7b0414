"""The pieces of the printable teacher pack, as HTML with print CSS (see coursekit.teacher.pack).

- `answer_key(lesson)`: one page: every quiz answer and every exercise answer, each with a
  one-line explanation (the bank's explanation, the solution's model answer), shortened to fit;
- `ledger_cards(lesson)`: the jigsaw's claim-ledger cards, one per claim the lesson judges: the
  claim, and boxes for the verdict, the best evidence, one attributed perspective and the date;
- `handout(lesson)`: the lesson's core path for learners without a reliable device: its text,
  charts (with their descriptions and sources) and questions, with no code, no interactive
  explorations (their outputs, and sections headed "Explore", "Try it" or "Your progress") and no
  answers.
Formulas are written out in HTML (coursekit.teacher.mdrender), so no raw TeX reaches paper.
"""
from __future__ import annotations

import html
import re
from pathlib import Path

from coursekit.teacher import mdrender
from coursekit.model.paths import LESSONS, SOLUTIONS
from coursekit.teacher.quizkey import bank_questions, first_sentence

VERDICTS = ("supported", "needs context", "misleading", "not supported", "cannot be checked")
SKIPPED = re.compile(r"^(Explore|Try it|Your progress)\b")  # interactive: not on the core path
# A sentence that tells the reader to work a control of the notebook: meaningless on paper.
CONTROL = re.compile(r"\s*[^.!?>]*\b(?:Move|Drag|Use|Pick|Choose) the (?:slider|sliders|drop-down|menu|buttons?)\b[^.!?<]*[.!?]")

CSS = """
@page { size: A4; margin: 14mm 14mm 16mm; }
* { box-sizing: border-box; }
body { font-family: system-ui, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Liberation Sans", sans-serif;
  color: #111; font-size: 11pt; line-height: 1.4; margin: 0; }
h1 { font-size: 17pt; margin: 0 0 4pt; } h2 { font-size: 13pt; margin: 12pt 0 4pt; break-after: avoid; }
h3 { font-size: 11.5pt; margin: 10pt 0 3pt; break-after: avoid; }
p, li { orphans: 3; widows: 3; } .meta { color: #333; font-size: 9.5pt; }
figure { margin: 8pt 0; break-inside: avoid; } figure img { max-width: 100%; max-height: 120mm; }
figcaption { font-size: 9pt; color: #222; } table { border-collapse: collapse; margin: 4pt 0; }
th, td { border: 0.6pt solid #777; padding: 2pt 4pt; vertical-align: top; text-align: left; font-size: 9.5pt; }
blockquote { margin: 6pt 0; padding-left: 8pt; border-left: 3pt solid #555; font-style: italic; }
.ck-math { white-space: nowrap; } .ck-math sub, .ck-math sup { font-size: 0.75em; }
.key { font-size: 8.6pt; line-height: 1.25; column-count: 2; column-gap: 8mm; }
.key h2 { font-size: 10pt; margin: 0 0 3pt; column-span: all; } .key p { margin: 0 0 3.2pt; break-inside: avoid; }
.key .head { column-span: all; margin-bottom: 4pt; }
.card { border: 1pt dashed #444; padding: 6mm; height: 114mm; margin: 0 0 5mm; break-inside: avoid;
  display: flex; flex-direction: column; gap: 3mm; }
.card .claim { font-size: 12pt; font-style: italic; } .card .field { border-bottom: 0.6pt solid #555; flex: 1; }
.card .label { font-weight: 600; font-size: 10pt; } .verdicts span { margin-right: 5mm; font-size: 10pt; }
.question { break-inside: avoid; margin: 0 0 8pt; } .lines { border-bottom: 0.6pt solid #666; height: 7mm; }
.answer-space { height: 12mm; border-bottom: 0.6pt solid #666; }
"""


def page(title: str, body: str) -> str:
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}'
            f"</title><style>{CSS}</style></head><body><main>{body}</main></body></html>\n")


def _notebook(folder: Path, lesson: str):
    import nbformat

    found = sorted(folder.glob(f"{lesson}_*.ipynb"))
    return nbformat.read(found[0], as_version=4) if found else None


def lesson_title(lesson: str) -> str:
    nb = _notebook(LESSONS, lesson)
    for cell in (nb.cells if nb else []):
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return mdrender.text_of(mdrender.to_html(line[2:]))
    return f"Lesson {lesson}"


# ----------------------------------------------------------------------------- answer key

def model_answers(lesson: str) -> dict[str, str]:
    """exercise id -> a one-line reason: the first sentence of the solution's model answer, or
    of the model text of a free-text exercise, or else of the exercise's own hint."""
    from coursekit.quizzes import checks

    nb = _notebook(SOLUTIONS, lesson)
    out: dict[str, str] = {}
    specs, _ = checks.load_specs(checks.spec_folder())
    mine = {ex.id: ex for ex in specs.values() if ex.lesson == lesson}
    current = None
    for cell in (nb.cells if nb else []):
        if cell.cell_type == "code" and current in mine and current not in out:
            ex = mine[current]
            found = re.search(rf'^{re.escape(ex.variable)}\s*=\s*text_answer\(\s*"""(.*?)"""',
                              cell.source, re.S | re.M)
            if found:
                text = " ".join(line for line in found.group(1).splitlines()
                                if not line.strip().startswith("#"))
                out[current] = "Model text: " + first_sentence(" ".join(text.split()), 150)
            continue
        if cell.cell_type != "markdown":
            continue
        heading = re.search(r"^#+\s*Exercise (\d\d\.\d+)", cell.source, re.M)
        if heading:
            current = heading.group(1)
        if current and "solution" in (cell.metadata.get("tags") or []) and current not in out:
            text = re.sub(r"^Model answer[.:]\s*", "", mdrender.text_of(mdrender.to_html(cell.source)))
            first = first_sentence(text, 170)
            if len(first.split()) < 4:  # "B." or "Neutral.": add the reason that follows
                first = first + " " + first_sentence(text[len(first):].strip(), 150)
            out[current] = first.strip()
    for ex_id, ex in mine.items():
        out.setdefault(ex_id, "How: " + first_sentence(ex.hint, 150))
    return out


def _exercise_answer(ex) -> str:
    a = ex.answer
    if ex.kind == "number":
        tol = f" (within {ex.abs_tol:g})" if ex.abs_tol is not None else \
            f" (within {(ex.rel_tol if ex.rel_tol is not None else 0.01) * 100:g}%)"
        return f"{a:g}{tol}"
    if ex.kind == "text":
        top = getattr(ex, "max_words", None)
        words = f"{ex.min_words} to {top} words" if top else f"at least {ex.min_words} words"
        return f"free text, marked by hand with the rubric ({words})"
    if ex.kind == "order":
        return " \u2192 ".join(str(x) for x in a)
    if ex.kind == "mapping":
        return "; ".join(f"{k}: {v}" for k, v in a.items())
    if ex.kind == "choices":
        return ", ".join(str(x) for x in a)
    return str(a)


def answer_key(lesson: str) -> str:
    from coursekit.quizzes import checks

    title, questions = bank_questions(lesson)
    specs, _ = checks.load_specs(checks.spec_folder())
    exercises = sorted((ex for ex in specs.values() if ex.lesson == lesson),
                       key=lambda e: [int(p) for p in e.id.split(".")])
    models = model_answers(lesson)
    parts = [f'<div class="head"><h1>Answer key: lesson {lesson}, {html.escape(lesson_title(lesson))}</h1>'
             '<p class="meta">For the teacher. Quiz answers with the bank\'s explanation; exercise '
             "answers with the solution's reasoning. Full explanations: the lesson's teacher page "
             "and the solutions notebook.</p></div>", "<h2>Quiz</h2>"]
    for q in questions:
        answer = q.answer or "no right answer: a reflection, read it"
        why = first_sentence(q.explanation, 150) if q.explanation else ""
        parts.append(f"<p><strong>{html.escape(q.id)}</strong> ({html.escape(q.kind)}) "
                     f"{html.escape(first_sentence(q.prompt, 95))} <strong>\u2192 {html.escape(answer)}</strong>"
                     + (f" <em>{html.escape(why)}</em>" if why else "") + "</p>")
    if exercises:
        parts.append("<h2>Exercises</h2>")
    for ex in exercises:
        why = models.get(ex.id, "")
        name = ex.title or ex.variable
        parts.append(f"<p><strong>{ex.id}</strong> {html.escape(name)} <strong>\u2192 "
                     f"{html.escape(_exercise_answer(ex))}</strong>"
                     + (f" <em>{html.escape(mdrender.plain_math(why))}</em>" if why else "") + "</p>")
    return page(f"Answer key {lesson}", f'<div class="key">{"".join(parts)}</div>')


# ----------------------------------------------------------------------------- ledger cards

def ledger_cards(lesson: str) -> str | None:
    from coursekit.model.content import load_claims

    claims = [c for c in load_claims().values() if c.lesson == lesson]
    if not claims:
        return None
    boxes = "".join(f"<span>\u2610 {v}</span>" for v in VERDICTS)
    cards = []
    for c in claims:
        cards.append(
            f'<div class="card"><div><strong>Ledger card {c.id}</strong> \u00b7 lesson {lesson} \u00b7 '
            f"{html.escape(c.theme)} \u00b7 a {html.escape(c.type)} claim</div>"
            f'<div class="claim">\u201c{html.escape(c.quote)}\u201d (the article)</div>'
            f'<div class="label">Verdict</div><div class="verdicts">{boxes}</div>'
            '<div class="label">Best evidence (source id, and what it shows)</div><div class="field"></div>'
            '<div class="label">One attributed perspective (who says what)</div><div class="field"></div>'
            '<div class="label">As of (date), and what new evidence would change the verdict</div>'
            '<div class="field"></div></div>')
    intro = (f"<h1>Jigsaw ledger cards: lesson {lesson}</h1><p class=\"meta\">One card per claim "
             "the lesson judges. Fill each from the lesson's evidence; report back with your card.</p>")
    return page(f"Ledger cards {lesson}", intro + "".join(cards))


# ----------------------------------------------------------------------------- handout

def _chart(cell) -> str:
    img, caption = "", ""
    for o in cell.get("outputs", []):
        data = o.get("data", {})
        if "image/png" in data and not img:
            alt = (o.get("metadata", {}).get("image/png", {}) or {}).get("alt", "")
            png = "".join(data["image/png"]).replace("\n", "")
            img = f'<img src="data:image/png;base64,{png}" alt="{html.escape(alt)}">'
        text = data.get("text/html", "")
        text = "".join(text) if isinstance(text, list) else text
        if "ck-chart-note" in text:
            desc = re.search(r"<p><strong>Chart description:</strong>(.*?)</p>", text, re.S)
            src = re.search(r'<p class="ck-source">(.*?)</p>', text, re.S)
            caption = " ".join(mdrender.text_of(m.group(1)) for m in (desc, src) if m)
    if "own progress record" in caption:
        return ""
    return f"<figure>{img}<figcaption>{html.escape(caption)}</figcaption></figure>" if img else ""


def handout(lesson: str) -> str:
    nb = _notebook(LESSONS, lesson)
    if nb is None:
        raise FileNotFoundError(f"lesson {lesson} is not built")
    parts: list[str] = []
    skipping = False
    skip_level = 0  # a skipped section's subsections are skipped with it
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for block in mdrender.blocks(cell.source):
                if block.kind == "heading" and block.level <= 3 and not (
                        skipping and block.level > skip_level):
                    skipping = bool(SKIPPED.match(block.text))
                    skip_level = block.level
                if skipping or block.kind == "code":
                    continue
                if block.kind == "heading" and block.text == "Check your understanding":
                    continue
                parts.append(CONTROL.sub("", block.html))
        elif cell.cell_type == "code" and not skipping:
            outs = cell.get("outputs", [])
            if "Interactive control" in str(outs):  # an exploration: it needs the notebook
                continue
            if any("image/png" in o.get("data", {}) for o in outs):
                parts.append(_chart(cell))
                continue
            for o in outs:
                text = o.get("data", {}).get("text/html", "")
                text = "".join(text) if isinstance(text, list) else text
                if "cq-quiz" in text:
                    parts.append(_questions(lesson))
                elif text.lstrip().startswith("<p><strong>Before you start:"):
                    parts.append(re.sub(r"<p>\[Run this cell[^<]*</p>", "", text)
                                 + '<div class="answer-space"></div>')
                elif "ck-bibliography" in text:
                    parts.append(text)
                elif text.lstrip().startswith("<table"):
                    parts.append(text)
    title = lesson_title(lesson)
    head = (f"<h1>{html.escape(title)}</h1><p class=\"meta\">Printed handout of lesson {lesson}: "
            "its text, charts and questions, without the code and the interactive parts. "
            "Write your answers in the spaces.</p>")
    body = "".join(p for p in parts if p)
    body = re.sub(r"<h1>.*?</h1>", "", body, count=1, flags=re.S)
    return page(f"Handout {lesson}", head + body)


def _questions(lesson: str) -> str:
    _, questions = bank_questions(lesson)
    out = ["<h2>Check your understanding</h2>"]
    for q in questions:
        lines = "".join(f"<li>{html.escape(line)}</li>" for line in q.lines)
        extra = f"<p><em>{html.escape(q.extra)}</em></p>" if q.extra and not q.extra.startswith("Answer:") else ""
        space = '<div class="lines"></div>' * (3 if not q.graded else 1)
        out.append(f'<div class="question"><p><strong>{q.number}.</strong> {html.escape(q.prompt)}</p>'
                   + (f'<ul style="list-style:none;padding-left:0">{lines}</ul>' if lines else "")
                   + extra + space + "</div>")
    return "".join(out)
