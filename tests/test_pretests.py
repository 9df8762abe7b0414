"""Opening questions (pretests) as a learner meets them in the built lessons.

The question and its options are written once, in the lesson's quiz bank ([[pretest]]); the
lesson's cell only names the item, `progress.pretest("02.pre1")`. These tests read the stored
notebooks in lessons/ (run `python -m coursekit build` first) and the banks:
- every bank pretest is asked once in its lesson and revealed by a later cell of that lesson;
- every pretest cell names a pretest of its own lesson's bank and writes no question text;
- the stored output shows the bank's question and its options, in the bank's order, and says how
  to save a guess; it gives nothing more away (no "answer").
"""
from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest

from coursekit.model.paths import LESSONS
from coursekit.progress.fields import item_type
from coursekit.quizzes import bank as quizbank
from coursekit.quizzes.render import plain_text, render_text

ASK = re.compile(r"""progress\.pretest\((?P<args>[^)]*)\)""")
REVEAL = re.compile(r"""progress\.reveal\(\s*["'](?P<item>\d\d\.pre\d+)["']""")
PRETESTS = [p for b in map(quizbank.load_bank, quizbank.bank_paths()) for p in b.pretests]


def cells(lesson: str) -> list[dict]:
    [path] = LESSONS.glob(f"{lesson}_*.ipynb")
    return json.loads(Path(path).read_text(encoding="utf-8"))["cells"]


def source(cell: dict) -> str:
    return "".join(cell["source"])


def asked_in(lesson: str) -> list[tuple[int, str, dict]]:
    """(cell index, the call's arguments, the cell) of each pretest cell of a built lesson."""
    return [(i, m["args"], c) for i, c in enumerate(cells(lesson)) if c["cell_type"] == "code"
            for m in ASK.finditer(source(c))]


def test_the_course_asks_opening_questions():
    assert PRETESTS, "no [[pretest]] in any quiz bank"
    assert all(item_type(p.full_id) == "pretest" for p in PRETESTS)


@pytest.mark.parametrize("pre", PRETESTS, ids=lambda p: p.full_id)
def test_each_bank_pretest_is_asked_once_and_revealed_later(pre):
    asks = [i for i, args, _ in asked_in(pre.lesson) if args == f'"{pre.full_id}"']
    reveals = [i for i, c in enumerate(cells(pre.lesson)) if c["cell_type"] == "code"
               and any(m["item"] == pre.full_id for m in REVEAL.finditer(source(c)))]
    assert len(asks) == 1, f"{pre.full_id} is asked {len(asks)} times in lesson {pre.lesson}"
    assert reveals and min(reveals) > asks[0], f"{pre.full_id} is not revealed after it is asked"


@pytest.mark.parametrize("lesson", sorted(p.name[:2] for p in LESSONS.glob("[0-9][0-9]_*.ipynb")))
def test_pretest_cells_name_a_bank_item_and_write_no_question(lesson):
    known = {p.full_id for p in PRETESTS}
    for _i, args, _cell in asked_in(lesson):
        item = args.strip().strip("\"'")
        assert args.strip() in (f'"{item}"', f"'{item}'"), (
            f"lesson {lesson}: progress.pretest({args}) writes more than the item id; the "
            "question and options belong in the quiz bank's [[pretest]]")
        assert item in known and item[:2] == lesson, f"lesson {lesson}: no [[pretest]] {item}"


@pytest.mark.parametrize("pre", PRETESTS, ids=lambda p: p.full_id)
def test_stored_pretest_shows_the_banks_question_and_options(pre):
    [(_i, _args, cell)] = [a for a in asked_in(pre.lesson) if pre.full_id in a[1]]
    [out] = [o for o in cell["outputs"] if o["output_type"] == "execute_result"]
    shown = "".join(out["data"]["text/html"])
    # the class keeps MathJax off the text: a "$" there is money, not maths
    assert shown.startswith('<p class="mathjax_ignore tex2jax_ignore"><strong>Before you start:'
                            f"</strong> {render_text(pre.prompt)}</p>")
    listed = re.findall(r"<li>(.*?)</li>", shown)
    assert listed == [render_text(o) for o in pre.options]
    assert shown.endswith("<p>[Run this cell to save your guess.]</p>")
    assert "".join(out["data"]["text/plain"]) == f"Before you start: {plain_text(pre.prompt)}"
    words = html.unescape(re.sub(r"<[^>]+>", " ", shown)).lower()
    assert "answer" not in words and "correct" not in words  # nothing given away
