"""`python -m coursekit slides`: one offline reveal.js deck per lesson, narrative and charts, no code.

The expected number of slides is counted here from the lesson notebook itself (its headings,
discussion prompts and chart outputs), independently of coursekit.slides, and compared with the
<section> elements in the deck's HTML.
"""
from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest

from coursekit import slides
from coursekit.paths import CONTENT, LESSONS

LESSON_NOTEBOOKS = sorted(LESSONS.glob("[0-9][0-9]_*.ipynb"))
LESSON_IDS = [p.stem for p in LESSON_NOTEBOOKS]
REMOTE = re.compile(r"^(https?:)?//", re.I)


@pytest.fixture(scope="module")
def decks(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("slides")
    assert slides.main(["--out", str(out)]) == 0
    return out


def _read(path: Path):
    return nbformat.read(path, as_version=4)


# ----------------------------------------------------------------------------- independent counts

_FENCE = re.compile(r"^\s*(`{3,}|~{3,})")


def expected_counts(nb) -> tuple[int, int]:
    """(horizontal slides, all slides) from the notebook: `#`/`##` headings start a slide;
    `###` headings, "**Discussion" paragraphs and chart cells start a sub-slide."""
    horizontal = vertical_extra = 0
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            fence = None
            previous_blank = True
            for line in cell.source.splitlines():
                opener = _FENCE.match(line)
                if opener:
                    fence = None if fence else opener.group(1)[0]
                elif fence is None:
                    heading = re.match(r"^(#{1,6})\s+\S", line)
                    if heading and len(heading.group(1)) <= 2:
                        horizontal += 1
                    elif heading and len(heading.group(1)) == 3:
                        vertical_extra += 1
                    elif previous_blank and line.startswith("**Discussion"):
                        vertical_extra += 1
                previous_blank = not line.strip()
        elif cell.cell_type == "code" and any(
                "image/png" in o.get("data", {}) for o in cell.get("outputs", [])):
            vertical_extra += 1
    return horizontal, horizontal + vertical_extra


class _Sections(HTMLParser):
    """Counts <section> elements by depth inside the reveal.js slides container."""

    def __init__(self):
        super().__init__()
        self.depth = 0
        self.by_depth: dict[int, int] = {}

    def handle_starttag(self, tag, attrs):
        if tag == "section":
            self.depth += 1
            self.by_depth[self.depth] = self.by_depth.get(self.depth, 0) + 1

    def handle_endtag(self, tag):
        if tag == "section":
            self.depth -= 1


def deck_counts(html: str) -> tuple[int, int]:
    parser = _Sections()
    parser.feed(html)
    assert parser.depth == 0, "unbalanced <section> tags"
    assert set(parser.by_depth) <= {1, 2}, f"sections nested deeper than two levels: {parser.by_depth}"
    return parser.by_depth.get(1, 0), parser.by_depth.get(2, 0)


def _soup(html: str):
    from bs4 import BeautifulSoup  # nbconvert depends on beautifulsoup4

    return BeautifulSoup(html, "html.parser")


# ----------------------------------------------------------------------------- the decks

def test_every_lesson_has_a_deck(decks):
    assert LESSON_NOTEBOOKS, "no built lessons in lessons/"
    made = sorted(p.stem for p in decks.glob("*.html"))
    assert made == LESSON_IDS
    for source in (CONTENT / "lessons").glob("[0-9][0-9]_*.md"):  # every written lesson that is built
        assert (source.stem in made) == (LESSONS / f"{source.stem}.ipynb").exists()


@pytest.mark.parametrize("stem", LESSON_IDS)
def test_deck_has_the_expected_slides(decks, stem):
    nb = _read(LESSONS / f"{stem}.ipynb")
    for cell in nb.cells:  # the count below assumes the default rules; see slides.py
        stored = cell.metadata.get("slideshow", {}).get("slide_type")
        assert stored in (None, slides.default_slide_type(cell)), (
            f"{stem}: a cell carries slide_type {stored!r}; update expected_counts() for overrides")
    horizontal, total = expected_counts(nb)
    html = (decks / f"{stem}.html").read_text(encoding="utf-8")
    assert deck_counts(html) == (horizontal, total)
    assert slides.count_slides(slides.deck_notebook(nb)) == (horizontal, total)
    assert horizontal >= 5, "a lesson deck should have a title and several sections"


@pytest.mark.parametrize("stem", LESSON_IDS)
def test_no_slide_carries_code(decks, stem):
    html = (decks / f"{stem}.html").read_text(encoding="utf-8")
    soup = _soup(html)
    slides_div = soup.select_one("div.reveal div.slides")
    assert slides_div is not None
    assert not slides_div.find_all("pre"), "a <pre> block (code or stream text) is on a slide"
    for selector in (".jp-InputArea-editor", ".cm-editor", ".highlight", ".jp-InputPrompt",
                     ".jp-OutputArea-prompt", "[data-mime-type='application/vnd.jupyter.stderr']"):
        assert not slides_div.select(selector), f"{selector} found on a slide"
    for cell in slides_div.select(".jp-CodeCell"):
        assert "jp-mod-noInput" in cell.get("class", []), "a code cell shows its input"
    text = slides_div.get_text(" ")
    nb = _read(LESSONS / f"{stem}.ipynb")
    leaked = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        for line in cell.source.splitlines():
            line = line.strip()
            if len(line) >= 20 and not line.startswith(("#", '"', "'", "f\"", "f'")) \
                    and re.search(r"[(=]|^import |^from ", line) and line in text:
                leaked.append(line)
    assert not leaked, f"code from {stem} appears on its slides: {leaked[:3]}"


@pytest.mark.parametrize("stem", LESSON_IDS)
def test_deck_needs_no_network(decks, stem):
    html = (decks / f"{stem}.html").read_text(encoding="utf-8")
    soup = _soup(html)
    remote = []
    for tag, attr in (("script", "src"), ("link", "href"), ("img", "src"), ("iframe", "src"),
                      ("source", "src"), ("video", "src"), ("audio", "src"), ("embed", "src")):
        for element in soup.find_all(tag):
            value = element.get(attr)
            if value and REMOTE.match(value):
                remote.append(f"<{tag} {attr}={value}>")
    styles = " ".join(s.get_text() for s in soup.find_all("style"))
    remote += re.findall(r"@import[^;]{0,80}", styles)
    remote += re.findall(r"url\(\s*['\"]?(?:https?:)?//[^)]{0,60}", styles)
    scripts = " ".join(s.get_text() for s in soup.find_all("script"))
    remote += re.findall(r"""(?:import|from)\s*\(?\s*['"](?:https?:)?//[^'"]+""", scripts)
    assert not remote, f"{stem}: the deck loads remote resources: {remote[:5]}"
    assert soup.find("script", src=True) is None, "reveal.js must be inlined, not linked"
    assert "Reveal.initialize" in scripts


@pytest.mark.parametrize("stem", LESSON_IDS)
def test_charts_on_slides_carry_their_alt_text(decks, stem):
    soup = _soup((decks / f"{stem}.html").read_text(encoding="utf-8"))
    images = soup.select("div.slides img")
    nb = _read(LESSONS / f"{stem}.ipynb")
    charts = sum("image/png" in o.get("data", {}) for c in nb.cells if c.cell_type == "code"
                 for o in c.get("outputs", []))
    assert len(images) == charts, "every chart of the lesson is on a slide, and nothing else is an image"
    for img in images:
        alt = (img.get("alt") or "").strip()
        assert alt and "No description has been provided" not in alt, f"{stem}: a chart has no alt text"


def test_cdn_mode_says_it_needs_internet(tmp_path, capsys):
    stem = LESSON_IDS[0]
    assert slides.main(["--out", str(tmp_path), "--lesson", stem[:2], "--cdn"]) == 0
    said = capsys.readouterr().out
    assert "need internet" in said
    html = (tmp_path / f"{stem}.html").read_text(encoding="utf-8")
    assert slides.CDN_PREFIX in html
    assert [p.name for p in tmp_path.iterdir()] == [f"{stem}.html"]


def test_unknown_or_malformed_lesson_is_refused(tmp_path, capsys):
    with pytest.raises(SystemExit):
        slides.main(["--out", str(tmp_path), "--lesson", "2"])
    assert slides.main(["--out", str(tmp_path), "--lesson", "99"]) == 1
    assert "nothing to do" in capsys.readouterr().out


def test_vendored_reveal_is_complete_and_licensed():
    for name in ("reveal.js", "reveal.css", "LICENSE", "README.md"):
        assert (slides.VENDOR / name).is_file(), name
    assert "MIT" in (slides.VENDOR / "README.md").read_text(encoding="utf-8")
    assert "Permission is hereby granted" in (slides.VENDOR / "LICENSE").read_text(encoding="utf-8")
    assert slides.REVEAL_VERSION in (slides.VENDOR / "README.md").read_text(encoding="utf-8")
    assert "</script" not in (slides.VENDOR / "reveal.js").read_text(encoding="utf-8")


# ----------------------------------------------------------------------------- the rules

def _nb(*cells):
    nb = nbformat.v4.new_notebook()
    nb.cells = list(cells)
    return nb


def _chart_cell(source="plots.show(fig, alt='Rose from 1 to 2')"):
    cell = nbformat.v4.new_code_cell(source)
    cell.outputs = [nbformat.v4.new_output("display_data", data={"image/png": "iVBORw0KGgo=",
                                                                 "text/plain": "<Figure>"},
                                           metadata={"image/png": {"alt": "Rose from 1 to 2"}})]
    return cell


def test_split_markdown_at_headings_and_discussion_but_not_inside_fences():
    text = ("Intro line.\n\n## One\n\nText.\n\n**Discussion.** Why?\n\n```\n## not a heading\n```\n"
            "### Sub\n\nMore.\n#### Deep heading stays\n")
    pieces = slides.split_markdown(text)
    assert [p.splitlines()[0] for p in pieces] == ["Intro line.", "## One", "**Discussion.** Why?",
                                                   "### Sub"]
    assert "## not a heading" in pieces[2]
    assert "#### Deep heading stays" in pieces[3]


def test_slide_metadata_defaults_and_keeps_author_choices():
    title = nbformat.v4.new_markdown_cell("# Title\n\nPurpose.")
    setup = nbformat.v4.new_code_cell("import coursekit")
    section = nbformat.v4.new_markdown_cell("## Section")
    deep = nbformat.v4.new_markdown_cell("### Detail")
    prose = nbformat.v4.new_markdown_cell("Some text.")
    chart = _chart_cell()
    chosen = nbformat.v4.new_markdown_cell("## Skipped by the author")
    chosen.metadata["slideshow"] = {"slide_type": "skip"}
    nb = slides.slide_metadata(_nb(title, setup, section, deep, prose, chart, chosen))
    assert [c.metadata["slideshow"]["slide_type"] for c in nb.cells] == [
        "slide", "skip", "slide", "subslide", "-", "subslide", "skip"]


def test_deck_notebook_drops_code_and_skipped_cells():
    quiz = nbformat.v4.new_code_cell('quiz("02")')
    quiz.outputs = [nbformat.v4.new_output("execute_result", data={"text/html": "<p>Q</p>"},
                                           execution_count=1)]
    nb = _nb(nbformat.v4.new_code_cell("import coursekit"),
             nbformat.v4.new_markdown_cell("# Title\n\n## A\n\ntext\n\n**Discussion.** Talk."),
             quiz, _chart_cell())
    deck = slides.deck_notebook(nb)
    kinds = [(c.cell_type, c.metadata["slideshow"]["slide_type"]) for c in deck.cells]
    assert kinds == [("markdown", "slide"), ("markdown", "slide"), ("markdown", "subslide"),
                     ("code", "subslide")]
    assert deck.cells[-1].source == ""
    assert slides.count_slides(deck) == (2, 4)
    assert expected_counts(nb) == (2, 4)
    html = slides.render_deck(nb, title="Test deck")
    assert deck_counts(html) == (2, 4)
    assert 'alt="Rose from 1 to 2"' in html
    assert "import coursekit" not in html and 'quiz("02")' not in html


def test_applying_the_build_metadata_changes_no_deck():
    """The build may store slide_metadata() in the lessons; the decks must come out the same."""
    stem = LESSON_IDS[-1]
    nb = _read(LESSONS / f"{stem}.ipynb")
    plain = slides.render_deck(nb, title="t")
    marked = slides.render_deck(slides.slide_metadata(_read(LESSONS / f"{stem}.ipynb")), title="t")
    assert plain == marked

# The deck opened in real Chromium lives in tests/browser/test_slides_offline.py (it shares the
# session's browser: a second sync Playwright in one process fails).
