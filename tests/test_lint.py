"""coursekit.tools.lint: each lint catches its canary (a small bad fixture) with the exact problem and
line, passes the good fixtures, and finds nothing in the real lessons and assets."""
from __future__ import annotations

from pathlib import Path

import pytest

from coursekit.model import content

from coursekit.tools import lint, mdscan

from coursekit.model import paths
from coursekit.model.problems import Problem, relpath

FIXTURES = Path(__file__).parent / "fixtures" / "lint"
STUB_ARTICLE = (FIXTURES / "article.txt").read_text(encoding="utf-8")
KNOWN_IDS = {"S1", "S2", "S3", "X1"}
REAL_ARTICLE = content.read_article()
needs_article = pytest.mark.skipif(
    REAL_ARTICLE is None,
    reason=f"the article is not present at {paths.article_path()} (it is never copied into the repository)")


def run(name: str, *, article: str | None = STUB_ARTICLE) -> list[Problem]:
    return lint.lint_paths([FIXTURES / name], article=article, source_ids=KNOWN_IDS)


def problem(name: str, line: int, reason: str) -> Problem:
    return Problem(relpath(FIXTURES / name), line, reason)


CANARIES = [
    ("bad_uncited_number.md", 3,
     "number '18' has no citation in its paragraph (add a source id such as [S24])"),
    ("bad_unknown_id.md", 3, "unknown source id 'S999' in citation"),
    # ``print(`x`, 1999)`` is one code span: only the prose number after it is reported.
    ("bad_number_beside_code_span.md", 4,
     "number '18' has no citation in its paragraph (add a source id such as [S24])"),
    ("bad_copied.md", 3,
     "15 consecutive words copied from the article (“local shop owners welcomed the plan but warned …”); "
     "quote it with (the article) or say it in your own words"),
    ("bad_quote_not_exact.md", 3, "article quote is not an exact substring of the article"),
    ("bad_quote_too_long.md", 5, "article quote has 26 words; article quotes must be under 25 words"),
    ("bad_unmarked_quote.md", 3,
     "quotes the article without the marker (the article): “a temporary ferry service for pedestrians”"),
    ("bad_chart_no_alt.md", 6,
     "chart shown without alt text (pass alt=\"...\" stating the takeaway with its figure)"),
    ("bad_chart_alt_no_figure.md", 5,
     "chart alt text states no figure (it has no number); say what the chart shows, with its key value"),
    ("bad_plt_show.md", 6,
     "plt.show() shows a chart without alt text or a source line; use coursekit.show(fig, alt=...)"),
    ("bad_two_h1.md", 5, "more than one top-level heading (first at line 1)"),
    ("bad_skipped_heading.md", 5, "heading level skips from 2 to 4"),
    ("bad_first_heading.md", 1, "first heading is level 2; start with one top-level heading (#)"),
    ("bad_link_text.md", 3, "link text 'click here' does not say where the link goes"),
    ("bad_image_alt.md", 3, "image without alt text"),
    ("bad_asset_copy.toml", 3,
     "14 consecutive words copied from the article (“officials said the work would cost about 4 …”); "
     "quote it with (the article) or say it in your own words"),
    ("bad_asset_quote.toml", 3, "quote: article quote is not an exact substring of the article"),
    ("bad_asset_copy.csv", 2,
     "12 consecutive words copied from the article (“critics argue that the money would be better …”); "
     "quote it with (the article) or say it in your own words"),
    ("bad_learner_lines.md", 3,
     "this exercise cell asks the learner to write 3 lines of Python (at most 2): write the loop, "
     "the parsing and the names into the cell, and leave the learner values or one expression"),
    ("bad_learner_dict.md", 4,
     "the learner would write a dictionary: write its keys into the cell "
     "(coursekit.lessons.answers) and leave the learner a list of values"),
    ("bad_learner_long_line.md", 4,
     "the learner's line has 82 characters of Python (at most 60, strings not counted): compute the "
     "parts in the cell and leave one short expression"),
]


@pytest.mark.parametrize("name,line,reason", CANARIES, ids=[c[0] for c in CANARIES])
def test_canary_is_caught_exactly(name, line, reason):
    assert run(name) == [problem(name, line, reason)]


def test_every_canary_fixture_is_tested():
    on_disk = {p.name for p in FIXTURES.iterdir() if p.name.startswith("bad_")}
    assert on_disk == {c[0] for c in CANARIES}


@pytest.mark.parametrize("name", ["good.md", "good_asset.toml"])
def test_good_fixture_passes(name):
    assert run(name) == []
    assert run(name, article=None) == []


def test_article_checks_are_skipped_without_the_article():
    for name in ("bad_copied.md", "bad_quote_not_exact.md", "bad_unmarked_quote.md", "bad_asset_copy.toml"):
        assert run(name, article=None) == [], name
    # Length needs no article.
    assert [p.line for p in run("bad_quote_too_long.md", article=None)] == [5]


def test_unknown_id_check_is_skipped_without_a_bibliography():
    assert lint.lint_paths([FIXTURES / "bad_unknown_id.md"], article=None, source_ids=None) == []


# ----------------------------------------------------------------------------------------------
# Rules in detail (tmp files)
# ----------------------------------------------------------------------------------------------
def lint_text(tmp_path: Path, text: str, suffix: str = ".md", article: str | None = STUB_ARTICLE) -> list[str]:
    f = tmp_path / f"lesson{suffix}"
    f.write_text(text, encoding="utf-8")
    return [f"{p.line}: {p.reason}" for p in lint.lint_paths([f], article=article, source_ids=KNOWN_IDS)]


def test_citation_in_another_paragraph_does_not_count(tmp_path):
    found = lint_text(tmp_path, "# T\n\nCosts rose in 2024.\n\nThis is cited [S1].\n")
    assert found == ["3: number '2024' has no citation in its paragraph (add a source id such as [S24])"]


def test_citation_forms(tmp_path):
    text = "# T\n\nA 2024 figure [S1; S2]. B 2023 [S1, X1]. C 2022 [S1–S3]. D 2021 [S1-S3]\n"
    assert lint_text(tmp_path, text) == []
    assert lint_text(tmp_path, "# T\n\nRange 2020 [S1–S5].\n") == [
        "3: unknown source id 'S4' in citation", "3: unknown source id 'S5' in citation"]


def test_one_problem_per_uncited_line(tmp_path):
    found = lint_text(tmp_path, "# T\n\n- In 2022 trade was 190 and\n  in 2023 it was 240.\n")
    assert found == [
        "3: number '2022' has no citation in its paragraph (add a source id such as [S24])",
        "4: number '2023' has no citation in its paragraph (add a source id such as [S24])",
    ]


def test_negative_and_currency_numbers_are_numbers(tmp_path):
    assert lint_text(tmp_path, "# T\n\nIt fell by -6.9% to US\\$228.1bn.\n") == [
        "3: number '6.9' has no citation in its paragraph (add a source id such as [S24])"]


def test_a_code_span_of_any_number_of_backticks_is_code(tmp_path):
    text = ("# T\n\nUse ``print(`x`, 1999)`` or ```f\"{`y`}\" 2001``` or `z = 2002`.\n"
            "A span may run over\n``two lines, 2003``.\n")
    assert lint_text(tmp_path, text) == []
    assert lint.escape_dollars("Pay ``f(`$`)`` and $5 or `$6`.") == "Pay ``f(`$`)`` and \\$5 or `$6`."
    assert mdscan.dollar_lines("``a `$` b``\n") == []


def test_nocite_applies_to_one_paragraph_only(tmp_path):
    text = "# T\n\n<!-- nocite: course date -->\nRevised in 2026.\n\nOpened in 1999.\n"
    assert lint_text(tmp_path, text) == [
        "6: number '1999' has no citation in its paragraph (add a source id such as [S24])"]


def test_numbers_inside_directives_are_prose_but_code_is_not(tmp_path):
    text = ("# T\n\n```{note}\nIt costs 4 million.\n```\n\n```{code-cell} ipython3\nx = 2024\n```\n\n"
            "````{admonition} Nested\n```python\ny = 1999\n```\n````\n")
    assert lint_text(tmp_path, text) == [
        "4: number '4' has no citation in its paragraph (add a source id such as [S24])"]


def test_marked_quote_may_wrap_lines_and_exempts_its_numbers(tmp_path):
    text = ("# T\n\nThe article claims that “the work would cost about 4 million\neuros and take 18 months "
            "to finish” (the article).\n")
    assert lint_text(tmp_path, text) == []


def test_straight_quotes_and_apostrophes(tmp_path):
    article = "Russia’s plan is ambitious and large."
    good = "# T\n\n> \"Russia's plan is ambitious\" (the article)\n"
    assert lint_text(tmp_path, good, article=article) == []
    bad = "# T\n\n> \"Russia's plan is … large\" (the article)\n"
    assert lint_text(tmp_path, bad, article=article) == [
        "3: article quote contains an ellipsis; quote one unbroken passage"]


def test_copied_run_spanning_lines_and_code_is_caught(tmp_path):
    text = ("# T\n\n```{code-cell} ipython3\nnote = 'the council promised a temporary ferry service for "
            "pedestrians and cyclists'\n```\n")
    found = lint_text(tmp_path, text)
    assert len(found) == 1 and found[0].startswith("4: 11 consecutive words copied from the article")


def test_show_variants(tmp_path):
    cell = ("# T\n\n```{code-cell} ipython3\nimport coursekit as ck\nfrom coursekit import plots\nfig = None\n"
            "ck.show(fig, alt='A 40% share')\nplots.show(fig, 'Second positional alt: 2024')\n"
            "fig.show()\nwidget.show()\nck.show(fig, alt='')\n```\n")
    assert lint_text(tmp_path, cell) == [
        "9: fig.show() shows a chart without alt text or a source line; use coursekit.show(fig, alt=...)",
        "11: chart alt text is empty",
    ]


def test_code_cell_with_magics_still_checked(tmp_path):
    cell = "# T\n\n```{code-cell} ipython3\n%matplotlib inline\nimport coursekit\ncoursekit.show(1)\n```\n"
    assert lint_text(tmp_path, cell) == [
        "6: chart shown without alt text (pass alt=\"...\" stating the takeaway with its figure)"]


def test_link_text_variants(tmp_path):
    text = "# T\n\nSee [this link](https://a.example), <a href='https://b.example'>Here</a>, [More.](x).\n"
    assert lint_text(tmp_path, text) == [
        "3: link text 'More.' does not say where the link goes",
        "3: link text 'here' does not say where the link goes",
        "3: link text 'this link' does not say where the link goes",
    ]


# ----------------------------------------------------------------------------------------------
# With the real article (skipped where it is absent; nothing from it is stored in the repo)
# ----------------------------------------------------------------------------------------------
@needs_article
def test_real_article_copied_run_is_caught(tmp_path):
    words = REAL_ARTICLE.split()[40:52]
    found = lint_text(tmp_path, "# T\n\n" + " ".join(words) + "\n", article=REAL_ARTICLE)
    assert len(found) == 1 and found[0].startswith("3: 12 consecutive words copied from the article")


@needs_article
def test_real_article_quotes(tmp_path):
    quote = next(iter(content.load_claims().values())).quote
    assert lint_text(tmp_path, f"# T\n\n> “{quote}” (the article)\n", article=REAL_ARTICLE) == []
    altered = quote.replace("China", "India", 1)
    assert lint_text(tmp_path, f"# T\n\n> “{altered}” (the article)\n", article=REAL_ARTICLE) == [
        "3: article quote is not an exact substring of the article"]


@needs_article
def test_assets_copy_nothing_from_the_article():
    targets = [p for p in lint.lint_targets() if p.suffix in (".toml", ".csv")]
    assert targets
    problems = lint.lint_paths(targets, article=REAL_ARTICLE)
    assert problems == [], "\n".join(map(str, problems))


def test_real_content_passes_every_lint():
    problems = lint.lint_all()
    assert problems == [], "\n".join(map(str, problems))


# ----------------------------------------------------------------------------------------------
# Robustness: a lint reports problems; it never crashes on odd Markdown.
# ----------------------------------------------------------------------------------------------
def test_lint_never_raises_on_arbitrary_markdown(tmp_path):
    hypothesis = pytest.importorskip("hypothesis")
    st = hypothesis.strategies
    pieces = st.sampled_from([
        "# ", "## ", "#### ", "> ", "- ", "1. ", "2024", "18", "[S1]", "[S9]", "“", "”", '"', "`", "```",
        "```{code-cell} ipython3\n", "```{note}\n", "(the article)", "<!-- ", " -->", "<!-- nocite -->",
        "[here](x)", "![](a.png)", "show(fig)", "plt.show()", "alt='", "---\n", "+++\n", "|", "\n", "\n\n",
        "the work would cost about 4 million euros and take 18 months to finish", "word ", "~~~",
    ])
    f = tmp_path / "fuzz.md"

    @hypothesis.settings(max_examples=150, deadline=None, derandomize=True, database=None)
    @hypothesis.given(st.lists(pieces, max_size=40))
    def check(parts):
        f.write_text("".join(parts), encoding="utf-8")
        for p in lint.lint_paths([f], article=STUB_ARTICLE, source_ids=KNOWN_IDS):
            assert p.line >= 1 and p.reason

    check()


def test_bare_dollar_in_prose_is_reported_and_fixable(tmp_path):
    from coursekit.tools import lint

    text = "# T\n\nFrom $150 billion to $13 trillion [S1].\n\n```{code-cell} ipython3\nx = '$'\n```\n"
    assert lint_text(tmp_path, text) == [
        "3: an unescaped $ in prose: write \\$ (JupyterLab shows text between two $ signs as maths)"]
    fixed = lint.escape_dollars(text)
    assert "From \\$150 billion to \\$13 trillion" in fixed and "x = '$'" in fixed
    assert lint_text(tmp_path, fixed) == []


# ----------------------------------------------------------------------------- learner lines
def test_learner_lines_are_counted_per_cell():
    cell = ["x = 1", "growth = (new - old) / old * 100  # SOLUTION", "# BEGIN SOLUTION",
            "a = 1", "# a comment", "", "b = 2", "# END SOLUTION"]
    assert [k for k, _ in lint.learner_lines(cell)] == [1, 3, 6]
    text = ['answer = text_answer("""', "# BEGIN SOLUTION", "Many lines", "of prose.",
            "# END SOLUTION", '""")']
    assert lint.learner_lines(text) == [(1, "")]  # free text between the scaffold's quotes: one
    tagged = ["---", "tags: [solution]", "---", "import math", "", "y = math.pi"]
    assert [k for k, _ in lint.learner_lines(tagged)] == [3, 5]


def test_every_exercise_cell_asks_for_two_short_lines_at_most():
    """'No Python needed': the course's exercise sets pass the learner-lines lint, and each
    exercise leaves the learner at least one line to write."""
    files = sorted((paths.CONTENT / "solutions").glob("*.md"))
    assert files
    problems = [p for p in lint.lint_paths(files, article=None, source_ids=None)
                if "learner" in p.reason]
    assert problems == []
    for path in files:
        text = path.read_text(encoding="utf-8")
        _, cells = mdscan.classify(text.split("\n"))
        counts = [len(lint.learner_lines(c)) for _, c in cells]
        assert max(counts) <= lint.MAX_LEARNER_LINES and sum(counts) > 0, path.name
