"""The built notebooks as a learner meets them (run `python -m coursekit build` first).

These tests read the stored notebooks in exercises/, solutions/ and lessons/, not the sources:
- every exercise shows its heading and its prompt in exercises/NN; nothing of the solution
  notebook but the solutions themselves is missing there; one numbering ("Exercise 06.1") in
  every set;
- lesson 01 shows no verdict, and no reason, of a claim that a later lesson judges;
- the quizzes as stored show each bank's display order: across the course no letter holds more
  than 35% of the single-choice keys, and in each bank the key is the longest option in at most
  40% of the single-choice questions.
"""
from __future__ import annotations

import html
import json
import re
from collections import Counter
from pathlib import Path

import pytest

from coursekit.quizzes import checks

from coursekit.model import content

from coursekit.quizzes import bank as quizbank
from coursekit.model.paths import EXERCISES, LESSONS, SOLUTIONS

HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*$", re.M)
EXERCISE_HEADING = re.compile(r"^## Exercise (\d\d\.\d+): \S", re.M)
SETS = sorted(p.stem for p in SOLUTIONS.glob("*.ipynb"))


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def source(cell: dict) -> str:
    return "".join(cell["source"])


def markdown(nb: dict) -> list[dict]:
    return [c for c in nb["cells"] if c["cell_type"] == "markdown"]


def is_solution(cell: dict) -> bool:
    return "solution" in cell.get("metadata", {}).get("tags", [])


# ----------------------------------------------------------------------------- exercises
def test_every_set_is_built_in_both_forms():
    assert SETS and SETS == sorted(p.stem for p in EXERCISES.glob("*.ipynb"))


@pytest.mark.parametrize("slug", SETS)
def test_everything_but_the_solutions_reaches_the_exercise_notebook(slug):
    solution, exercise = load(SOLUTIONS / f"{slug}.ipynb"), load(EXERCISES / f"{slug}.ipynb")
    shown = [source(c) for c in markdown(exercise)]
    kept = [source(c) for c in markdown(solution) if not is_solution(c)]
    missing = [text[:80] for text in kept if text not in shown]
    assert not missing, f"exercises/{slug}.ipynb lacks Markdown cells of the solution: {missing}"
    # in the same order
    positions = [shown.index(text) for text in kept]
    assert positions == sorted(positions)
    # every heading anywhere in the solution notebook (a heading swallowed by a solution cell
    # would be hidden from the learner) is a heading of the exercise notebook
    headings = [h for c in markdown(solution) for h in HEADING.findall(source(c))]
    exercise_headings = [h for c in markdown(exercise) for h in HEADING.findall(source(c))]
    assert headings == exercise_headings
    assert not [c for c in markdown(solution) if is_solution(c) and HEADING.search(source(c))]


def _prompt_problems(slug: str) -> list[str]:
    """Exercises of the set's spec that the learner's notebook does not show with a heading, a
    prompt and an answer cell followed by its check."""
    nb = load(EXERCISES / f"{slug}.ipynb")
    specs = sorted((ex for ex in checks.load_specs()[0].values() if ex.set == slug), key=lambda e: e.id)
    cells = nb["cells"]
    starts = {m.group(1): i for i, c in enumerate(cells) if c["cell_type"] == "markdown"
              for m in [EXERCISE_HEADING.search(source(c))] if m}
    heading_cells = sorted(i for i, c in enumerate(cells)
                           if c["cell_type"] == "markdown" and HEADING.search(source(c)))
    problems = []
    for ex in specs:
        if ex.id not in starts:
            problems.append(f"{ex.id}: no heading 'Exercise {ex.id}: ...'")
            continue
        i = starts[ex.id]
        end = next((j for j in heading_cells if j > i), len(cells))
        section = cells[i:end]
        prose = " ".join(HEADING.sub("", source(c)) for c in section if c["cell_type"] == "markdown"
                         and "answer" not in c["metadata"].get("tags", []))
        if len(prose.split()) < 15:
            problems.append(f"{ex.id}: no prompt under the heading")
        code = [source(c) for c in section if c["cell_type"] == "code"]
        if not any(re.search(rf"^{ex.variable} = ", c, re.M) for c in code):
            problems.append(f"{ex.id}: no cell where the learner gives {ex.variable}")
        if not any(f'check("{ex.id}"' in c for c in code):
            problems.append(f"{ex.id}: no check cell")
    return problems


@pytest.mark.parametrize("slug", SETS)
def test_every_exercise_shows_its_heading_and_prompt(slug):
    assert _prompt_problems(slug) == []


def test_no_exercise_is_without_its_prompt_across_the_course():
    missing = [p for slug in SETS for p in _prompt_problems(slug)]
    assert len(missing) == 0, missing


@pytest.mark.parametrize("slug", SETS)
def test_one_numbering_in_every_set(slug):
    lesson = slug[:2]
    for c in markdown(load(EXERCISES / f"{slug}.ipynb")):
        for line in source(c).splitlines():
            if re.match(r"^#{2,} Exercise\s", line):
                m = re.match(r"^## Exercise (\d\d)\.\d+: ", line)
                assert m and m.group(1) == lesson, f"{slug}: heading {line!r}"


@pytest.mark.parametrize("slug", SETS)
def test_exercise_cells_leave_only_placeholders(slug):
    """No solution is left in the learner's notebook, and no cell asks for more than two lines."""
    for c in load(EXERCISES / f"{slug}.ipynb")["cells"]:
        text = source(c)
        assert "SOLUTION" not in text
        if c["cell_type"] == "code":
            assert len(re.findall(r"# YOUR (?:ANSWER|CODE) HERE|^\.\.\.$", text, re.M)) <= 2, text


# ----------------------------------------------------------------------------- lesson 01
def _segments(nb: dict) -> list[str]:
    """What a reader of the stored notebook can see, in the units in which a verdict is given to
    a claim: the sentences of the Markdown, and each output's table rows, paragraphs, list items
    and lines (HTML tags turned into breaks; a row's quoted words keep their full stops)."""
    segments: list[str] = []
    for c in nb["cells"]:
        if c["cell_type"] == "markdown":
            for para in re.split(r"\n\s*\n", source(c)):
                flat = " ".join(para.split())
                segments += re.split(r"(?<=[.!?])\s+(?=[A-Z*\"“(])", flat)
            continue
        for out in c.get("outputs", []):
            data = out.get("data", {})
            text = "".join(data.get("text/html") or data.get("text/plain") or out.get("text", ""))
            text = re.sub(r"</(?:tr|p|li|div|caption|h\d)>|<br\s*/?>", "\n", text)
            text = html.unescape(re.sub(r"<[^>]+>", " ", text))
            segments += [" ".join(line.split()) for line in text.splitlines()]
    return [s for s in segments if s.strip()]


def _gives_verdict(segment: str, verdict: str) -> bool:
    pattern = rf"(?<!not )\b{re.escape(verdict)}\b" if verdict == "supported" else rf"\b{re.escape(verdict)}\b"
    return bool(re.search(pattern, segment, re.I))


def _squash(text: str) -> str:
    return " ".join(text.split()).casefold()


def _spoilers(nb: dict) -> list[str]:
    ledger = content.load_claims()
    segments = _segments(nb)
    flat = _squash(" ".join(segments))
    found = []
    for c in ledger.values():
        if c.lesson <= "01":
            continue
        for seg in segments:
            if re.search(rf"\b{c.id}\b", seg) and _gives_verdict(seg, c.verdict):
                found.append(f"{c.id} ({c.verdict}, lesson {c.lesson}): {seg.strip()[:100]}")
        if _squash(c.reason)[:60] in flat:
            found.append(f"{c.id}: its reason is shown")
    return found


def test_lesson_01_shows_no_verdict_of_a_later_claim():
    assert _spoilers(load(LESSONS / "01_reading_the_article.ipynb")) == []


def test_lesson_01_shows_its_own_verdicts_and_where_the_others_are_judged():
    """The check above can fail: lesson 01's own claims show their verdict in the same units."""
    segments = _segments(load(LESSONS / "01_reading_the_article.ipynb"))
    ledger = content.load_claims()
    own = [c for c in ledger.values() if c.lesson == "01"]
    assert own
    for c in own:
        assert any(re.search(rf"\b{c.id}\b", s) and _gives_verdict(s, c.verdict) for s in segments), c.id
    later = [c for c in ledger.values() if c.lesson > "01"]
    for c in later:
        assert any(re.search(rf"\b{c.id}\b", s) and f"judged in lesson {c.lesson}" in s
                   for s in segments), c.id


def test_the_spoiler_check_catches_a_verdict():
    """Canary: the completed ledger (lesson 07's view) would be reported."""
    from coursekit.lessons import l01

    table = l01.ledger_table(seen_from=None)._repr_html_()
    nb = {"cells": [{"cell_type": "code", "source": [], "outputs": [
        {"output_type": "display_data", "data": {"text/html": [table]}}]}]}
    later = [c for c in content.load_claims().values() if c.lesson > "01"]
    assert len({s.split(" ")[0] for s in _spoilers(nb)}) == len(later)


# ----------------------------------------------------------------------------- quizzes
def _stored_quiz(lesson_nb: dict, lesson: str) -> str:
    for c in lesson_nb["cells"]:
        if c["cell_type"] == "code" and f'quiz("{lesson}")' in source(c):
            for out in c["outputs"]:
                plain = "".join(out.get("data", {}).get("text/plain", ""))
                if plain.startswith("Check your understanding"):
                    return plain
    raise AssertionError(f"no stored quiz for lesson {lesson}")


def _shown_options(plain: str) -> dict[int, list[tuple[str, str]]]:
    """Question number -> [(letter, text)] as the stored static text shows them."""
    shown: dict[int, list[tuple[str, str]]] = {}
    number = 0
    for line in plain.splitlines():
        m = re.match(r"^Question (\d+) of \d+ ", line)
        if m:
            number = int(m.group(1))
            shown[number] = []
            continue
        m = re.match(r"^  ([A-Z])\. (.*)$", line)
        if m and number:
            shown[number].append((m.group(1), m.group(2)))
    return shown


def _plain(text: str) -> str:
    return " ".join(text.replace("`", "").split())


def _stored_keys() -> tuple[Counter, dict[str, tuple[int, int, list[str]]]]:
    """Letters of the single-choice keys as stored in the built lessons, and per bank
    (single-choice questions, questions whose key is the longest option shown, their ids)."""
    letters: Counter = Counter()
    longest: dict[str, tuple[int, int, list[str]]] = {}
    for path in quizbank.bank_paths():
        bank = quizbank.load_bank(path)
        nb = load(LESSONS / f"{bank.slug}.ipynb")
        shown = _shown_options(_stored_quiz(nb, bank.lesson))
        singles, ids = 0, []
        for number, q in enumerate(bank.questions, start=1):
            if q.type not in ("single", "multiple"):
                continue
            options = shown[number]
            # the stored notebook shows the loaded bank's display order, letter for letter
            assert options == [(c.letter, _plain(c.text)) for c in q.choices], (bank.slug, q.id)
            if q.type != "single":
                continue
            key = next(c for c in q.choices if c.correct)
            letter = next(l for l, t in options if t == _plain(key.text))
            letters[letter] += 1
            singles += 1
            others = [len(t) for l, t in options if l != letter]
            if len(_plain(key.text)) >= max(others):
                ids.append(q.id)
        longest[bank.slug] = (singles, len(ids), ids)
    return letters, longest


def test_stored_single_choice_keys_are_spread_over_the_letters():
    letters, _ = _stored_keys()
    total = sum(letters.values())
    assert total >= 20
    letter, n = letters.most_common(1)[0]
    assert n <= 0.35 * total, f"letter {letter} holds {n} of {total} keys: {dict(letters)}"


def test_stored_keys_are_rarely_the_longest_option():
    _, longest = _stored_keys()
    for slug, (singles, n, ids) in longest.items():
        assert n <= 0.40 * singles, f"{slug}: the key is the longest option in {ids} of {singles}"
