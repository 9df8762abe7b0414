"""What the teacher must read, collected from progress exports: briefs, reflections, lesson 06's
risk ratings, pretest guesses and free-text exercise answers.

`python -m coursekit report EXPORTS --out report.csv` calls `write_writing` to put, beside the
report, a folder (`report-writing/` by default) with:
- `writing.csv`: one row per learner and item (each learner's latest answer), with lesson, item,
  kind, prompt, answer, word count and time;
- `NN_slug.html`: one readable page per lesson that has any writing: each prompt, then every
  learner's answer; the spread of the class's risk ratings beside the course's own; the count of
  each pretest guess.
Learners are shown as "Learner 1", "Learner 2"... unless the teacher asked for names
(`--show-learners`), and then by the name or pseudonym each learner chose.
"""
from __future__ import annotations

import csv
import html
import statistics
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from coursekit.model.paths import LESSONS
from coursekit.progress.store import item_type

KINDS = ("brief", "reflection", "rating", "pretest", "free-text exercise")


def _lesson_slugs() -> dict[str, str]:
    return {p.name[:2]: p.stem for p in sorted(LESSONS.glob("[0-9][0-9]_*.ipynb"))}


def _lesson_title(slug: str) -> str:
    """The lesson's title (its first `# ` heading), or its slug."""
    import json

    try:
        nb = json.loads((LESSONS / f"{slug}.ipynb").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return slug
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "markdown":
            for line in "".join(cell.get("source", "")).splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return slug


def _pretest_prompts() -> dict[str, tuple[str, list[str]]]:
    """item -> (question, options), from the quiz banks' [[pretest]] entries."""
    out: dict[str, tuple[str, list[str]]] = {}
    try:
        from coursekit.quizzes.bank import bank_paths, load_bank
        for path in bank_paths():
            for pre in load_bank(path).pretests:
                out[pre.full_id] = (pre.prompt, list(pre.options))
    except Exception:  # noqa: BLE001 - prompts are a help; answers are shown without them
        pass
    return out


def _prompts() -> dict[str, str]:
    """item -> prompt, for reflections (quiz banks), text exercises (specs) and pretests."""
    prompts: dict[str, str] = {"07.brief": "The brief: 200 to 300 words on the article's thesis "
                                           "(lesson 07)",
                               "06.risk-matrix": "Rate each risk's likelihood and impact, 1 to 5 "
                                                 "(lesson 06)"}
    try:
        from coursekit.quizzes.bank import bank_paths, load_bank
        for path in bank_paths():
            bank = load_bank(path)
            for q in bank.questions:
                if q.type == "reflection":
                    prompts[q.full_id] = q.prompt
    except Exception:  # noqa: BLE001 - prompts are a help; answers are shown without them
        pass
    try:
        from coursekit.quizzes import checks
        specs, _ = checks.load_specs(checks.spec_folder())
        for ex in specs.values():
            if ex.kind == "text":
                prompts[ex.id] = f"Exercise {ex.id}" + (f": {ex.title}" if ex.title else "")
    except Exception:  # noqa: BLE001
        pass
    for item, (question, _options) in _pretest_prompts().items():
        prompts[item] = question
    return prompts


def _text_exercises() -> set[str]:
    try:
        from coursekit.quizzes import checks
        specs, _ = checks.load_specs(checks.spec_folder())
        return {ex.id for ex in specs.values() if ex.kind == "text"}
    except Exception:  # noqa: BLE001
        return set()


def _kind(event: dict[str, Any], text_items: set[str]) -> str | None:
    item = event["item"]
    if event["kind"] == "reflection":
        return "brief" if item.endswith(".brief") else "reflection"
    if event["kind"] == "rating":
        return "rating"
    if event["kind"] == "attempt" and item_type(item) == "pretest":
        return "pretest"
    if event["kind"] == "attempt" and item in text_items:
        return "free-text exercise"
    return None


def _natural(text: str) -> list:
    """"Learner 2" before "Learner 10"."""
    import re
    return [int(p) if p.isdigit() else p.casefold() for p in re.split(r"(\d+)", text)]


def _as_text(answer: Any) -> str:
    if isinstance(answer, str):
        return answer
    if isinstance(answer, dict):
        parts = []
        for key, value in answer.items():
            if isinstance(value, dict):
                inner = ", ".join(f"{k} {v}" for k, v in value.items())
                parts.append(f"{key}: {inner}")
            else:
                parts.append(f"{key}: {value}")
        return "; ".join(parts)
    if isinstance(answer, list):
        return "; ".join(str(a) for a in answer)
    return "" if answer is None else str(answer)


def collect(groups: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """One record per learner and item: that learner's latest answer. `groups` is the report's
    learner key -> {"label": shown name, "events": [...]}."""
    text_items = _text_exercises()
    prompts = _prompts()
    latest: dict[tuple[str, str], dict[str, Any]] = {}
    for key, group in groups.items():
        for event in group["events"]:
            kind = _kind(event, text_items)
            if kind is None or event.get("answer") in (None, ""):
                continue
            slot = (key, event["item"])
            if slot not in latest or (event["ts"], event["id"]) > (latest[slot]["ts"], latest[slot]["id"]):
                latest[slot] = {**event, "kind_label": kind}
    records = []
    for (key, item), event in latest.items():
        text = _as_text(event["answer"])
        records.append({"lesson": item[:2], "item": item, "kind": event["kind_label"],
                        "prompt": prompts.get(item, ""), "learner": groups[key]["label"],
                        "answer": text, "raw": event["answer"],
                        "words": len(text.split()) if event["kind_label"] in
                        ("brief", "reflection", "free-text exercise") else "",
                        "when": event["ts"]})
    records.sort(key=lambda r: (r["lesson"], KINDS.index(r["kind"]), r["item"], _natural(r["learner"])))
    return records


_CSS = """body{font-family:system-ui,"Segoe UI",Roboto,Arial,sans-serif;max-width:46rem;margin:2rem auto;
padding:0 1rem;line-height:1.5;color:#1a1a1a}h1{font-size:1.6rem}h2{font-size:1.25rem;margin-top:2rem;
border-bottom:2px solid #333}h3{font-size:1rem;margin:1.2rem 0 .3rem}.prompt{font-style:italic}
.answer{white-space:pre-wrap;border-left:4px solid #0b5cad;padding:.2rem .8rem;margin:.3rem 0 1rem}
.meta{color:#444;font-size:.9rem}table{border-collapse:collapse;margin:.5rem 0 1rem}
th,td{border:1px solid #888;padding:.25rem .5rem;text-align:center}th:first-child,td:first-child{text-align:left}
@media print{body{max-width:none;margin:0}.answer{break-inside:avoid}h2{break-after:avoid}}"""


def _ratings_table(records: list[dict[str, Any]]) -> str:
    """The spread of the class's risk ratings, with the course's rating beside them."""
    try:
        from coursekit.model import judgements
        course = {r.id: r for r in judgements.load().risks}
    except Exception:  # noqa: BLE001
        course = {}
    spread: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for rec in records:
        if isinstance(rec["raw"], dict):
            for risk, value in rec["raw"].items():
                if isinstance(value, dict):
                    for axis in ("likelihood", "impact"):
                        if isinstance(value.get(axis), int):
                            spread[risk][axis].append(value[axis])
    if not spread:
        return ""
    head = ("<tr><th scope=\"col\">Risk</th><th scope=\"col\">Rated</th>"
            + "".join(f"<th scope=\"col\">{axis} 1&ndash;5 (count of each)</th><th scope=\"col\">median</th>"
                      for axis in ("likelihood", "impact")) + "<th scope=\"col\">course</th></tr>")
    rows = []
    for risk, axes in spread.items():
        cells = [html.escape(f"{course[risk].letter}. {course[risk].title}" if risk in course else risk),
                 str(max(len(v) for v in axes.values()))]
        for axis in ("likelihood", "impact"):
            counts = Counter(axes.get(axis, []))
            cells.append(" ".join(f"{counts.get(n, 0)}" for n in range(1, 6)))
            cells.append(f"{statistics.median(axes[axis]):g}" if axes.get(axis) else "")
        cells.append(f"{course[risk].likelihood} / {course[risk].impact}" if risk in course else "")
        rows.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    return ("<p>The spread of the class's ratings: for each risk, how many learners chose 1, 2, 3, "
            "4 and 5, and the median; the course's own rating (likelihood / impact) last.</p>"
            f"<table>{head}{''.join(rows)}</table>")


def _pretest_tally(records: list[dict[str, Any]], options: list[str]) -> str:
    counts = Counter(r["answer"] for r in records)
    keys = options + [k for k in counts if k not in options]
    rows = "".join(f"<tr><td>{html.escape(k)}</td><td>{counts.get(k, 0)}</td></tr>" for k in keys)
    return (f"<table><tr><th scope=\"col\">Guess</th><th scope=\"col\">Learners</th></tr>{rows}</table>")


def lesson_page(lesson: str, title: str, records: list[dict[str, Any]]) -> str:
    pretests = _pretest_prompts()
    parts = [f"<h1>Lesson {html.escape(lesson)}: what learners wrote</h1>",
             f'<p class="meta">{html.escape(title)}. {len({r["learner"] for r in records})} learner(s). '
             "These are learners' own words: keep this page private and delete it when you are done.</p>"]
    by_item: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in records:
        by_item[r["item"]].append(r)
    for item, recs in by_item.items():
        kind = recs[0]["kind"]
        parts.append(f"<h2>{html.escape(item)} ({html.escape(kind)})</h2>")
        if recs[0]["prompt"]:
            parts.append(f'<p class="prompt">{html.escape(recs[0]["prompt"])}</p>')
        if kind == "rating":
            parts.append(_ratings_table(recs))
        if kind == "pretest":
            parts.append(_pretest_tally(recs, pretests.get(item, ("", []))[1]))
        for r in recs:
            words = f", {r['words']} words" if r["words"] != "" else ""
            parts.append(f'<h3>{html.escape(r["learner"])}<span class="meta">{words}</span></h3>'
                         f'<div class="answer">{html.escape(r["answer"])}</div>')
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Lesson {lesson}: '
            f"what learners wrote</title><style>{_CSS}</style></head><body>{''.join(parts)}</body></html>\n")


def write_writing(records: list[dict[str, Any]], folder: Path) -> list[Path]:
    """writing.csv and one HTML page per lesson with writing; returns the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = [folder / "writing.csv"]
    with written[0].open("w", newline="", encoding="utf-8") as fh:
        columns = ["lesson", "item", "kind", "learner", "prompt", "answer", "words", "when"]
        writer = csv.DictWriter(fh, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(records)
    slugs = _lesson_slugs()
    for lesson in sorted({r["lesson"] for r in records}):
        recs = [r for r in records if r["lesson"] == lesson]
        slug = slugs.get(lesson, f"{lesson}_lesson")
        path = folder / f"{slug}.html"
        path.write_text(lesson_page(lesson, _lesson_title(slug), recs), encoding="utf-8")
        written.append(path)
    return written
