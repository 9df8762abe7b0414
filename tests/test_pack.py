"""`python -m coursekit pack`: the HTML of the teacher pack (the PDFs: tests/browser/test_pack_pdf.py)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from coursekit.quizzes import checks

from coursekit.teacher import mdrender

from coursekit.teacher import pack

from coursekit.teacher import packparts
from coursekit.model.content import load_claims
from coursekit.model.paths import LESSONS
from coursekit.teacher.quizkey import bank_questions

LESSON_IDS = [p.name[:2] for p in sorted(LESSONS.glob("[0-9][0-9]_*.ipynb"))]
# A formula left in TeX: "$" then not a digit or space (money is "$150"), a short span, "$"; or a
# TeX command or brace group.
TEX = re.compile(r"\$(?![\d\s])[^$]{1,60}?\$|\\(?:frac|times|cdot|text)\b|\^\{|_\{")
CODE = ("import coursekit", "from coursekit", "plots.show(", "content.load_dataset", "progress.pretest(",
        "quiz(\"", "ax.set_", "fig, ax")


def _text(html: str) -> str:
    return mdrender.text_of(re.sub(r"<style>.*?</style>", "", html, flags=re.S))


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("pack")
    assert pack.main(["--out", str(out), "--no-pdf"]) == 0
    return out


def test_every_lesson_has_its_pieces_and_an_index(built):
    slugs = {p.name[:2]: p.stem for p in LESSONS.glob("[0-9][0-9]_*.ipynb")}
    index = (built / "index.html").read_text(encoding="utf-8")
    for lesson in LESSON_IDS:
        for piece in ("answer-key", "handout"):
            assert (built / f"{slugs[lesson]}-{piece}.html").is_file()
            assert f"{slugs[lesson]}-{piece}.pdf" in index
        has_claims = any(c.lesson == lesson for c in load_claims().values())
        assert (built / f"{slugs[lesson]}-ledger-cards.html").is_file() == has_claims


@pytest.mark.parametrize("lesson", LESSON_IDS)
def test_answer_key_gives_every_answer_with_a_reason(built, lesson):
    html = packparts.answer_key(lesson)
    text = _text(html)
    _, questions = bank_questions(lesson)
    for q in questions:
        assert q.id in text
        if q.graded:
            assert q.answer and q.answer[:30] in text, f"{q.id}: no answer on the key"
    specs, _ = checks.load_specs()
    exercises = [ex for ex in specs.values() if ex.lesson == lesson]
    models = packparts.model_answers(lesson)
    for ex in exercises:
        assert f"{ex.id} " in text
        assert ex.id in models, f"{ex.id}: no model answer found in the solutions notebook"
    assert not TEX.search(text), TEX.search(text)


def test_answer_key_model_answers_are_one_line_reasons():
    models = packparts.model_answers("03")
    assert models["03.1"].startswith("(244.81 / 146.887)")  # formula written out, not TeX
    assert len(models["03.4"].split()) > 4                   # "B." alone would explain nothing
    assert all(len(m) <= 330 for m in models.values())


@pytest.mark.parametrize("lesson", [i for i in LESSON_IDS if any(c.lesson == i for c in load_claims().values())])
def test_ledger_cards_one_per_claim_with_the_fields_to_fill(lesson):
    html = packparts.ledger_cards(lesson)
    claims = [c for c in load_claims().values() if c.lesson == lesson]
    assert html.count('class="card"') == len(claims)
    text = _text(html)
    for c in claims:
        assert f"Ledger card {c.id}" in text and c.quote[:40] in text
        assert c.reason[:40] not in text, "a card gives the course's verdict away"
    for field in ("Verdict", "Best evidence", "One attributed perspective", "As of (date)"):
        assert text.count(field) == len(claims)
    for verdict in packparts.VERDICTS:
        assert verdict in text


@pytest.mark.parametrize("lesson", LESSON_IDS)
def test_handout_is_the_lesson_without_code_tex_or_answers(lesson):
    html = packparts.handout(lesson)
    text = _text(html)
    assert packparts.lesson_title(lesson) in text
    for snippet in CODE:
        assert snippet not in text, f"code on the handout: {snippet!r}"
    assert not TEX.search(text), TEX.search(text)
    assert "Interactive control" not in text and "Run this cell" not in text
    _, questions = bank_questions(lesson)
    for q in questions:
        assert q.prompt[:50] in text
        if q.graded and q.explanation:
            assert q.explanation[:60] not in text, f"{q.id}: the handout gives the explanation away"
    assert html.count("<img") >= 1


def test_handout_writes_the_growth_formula_out():
    html = packparts.handout("03")
    assert "(V<sub>n</sub> / V<sub>0</sub>)<sup>1/n</sup> \u2212 1" in html


def test_without_chromium_the_html_is_still_written(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(pack, "CHROMIUM", tmp_path / "no-chromium")
    assert pack.main(["--out", str(tmp_path / "p"), "--lesson", "03"]) == 0
    said = capsys.readouterr().out
    assert "No PDFs: Chromium is not installed" in said and "print them" in said
    assert sorted(p.suffix for p in (tmp_path / "p").iterdir()) == [".html"] * 4


def test_bad_lesson_is_refused(tmp_path, capsys):
    with pytest.raises(SystemExit):
        pack.main(["--out", str(tmp_path), "--lesson", "3"])
    assert pack.main(["--out", str(tmp_path), "--lesson", "98"]) == 1
