"""`python -m coursekit slides`: one offline reveal.js deck per lesson, made for a room.

Checked here on the HTML of every deck, independently of coursekit.teacher.slides where it matters:
- every section of the lesson gets slides, every chart is on a slide of its own with its alt text
  and its description in the notes, and every paragraph of the narrative is in the deck (on a
  slide or, usually, in the speaker notes);
- no slide is empty, no slide shows code or raw TeX, tables are split to a few rows;
- the deck loads nothing from the network.
The same decks are opened in Chromium at 1280 x 720 in tests/browser/test_slides_audit.py.
"""
from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from coursekit.teacher import mdrender

from coursekit.teacher import deck, slides
from coursekit.model import course
from coursekit.model.paths import CONTENT, LESSONS

LESSON_NOTEBOOKS = [LESSONS / f"{entry.slug}.ipynb" for entry in course.lessons()]
LESSON_IDS = [p.stem for p in LESSON_NOTEBOOKS]
REMOTE = re.compile(r"^(https?:)?//", re.I)
TEX = re.compile(r"\$[^$\n]*[\\^_{}][^$\n]*\$|\\\(|\\\[|\\(?:frac|times|cdot|text)\b")


@pytest.fixture(scope="module")
def decks(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("slides")
    assert slides.main(["--out", str(out)]) == 0
    return out


def _read(path: Path):
    """A built lesson without its optional depth, which the decks leave out (tools/depth.py)."""
    from coursekit.tools import depth

    nb = nbformat.read(path, as_version=4)
    nb.cells = [c for c, optional in zip(nb.cells, depth.cell_flags(nb.cells)) if not optional]
    return nb


def _soup(html: str):
    from bs4 import BeautifulSoup  # nbconvert depends on beautifulsoup4

    return BeautifulSoup(html, "html.parser")


def leaf_sections(soup):
    """The slides: <section> elements with no <section> inside."""
    return [s for s in soup.select("div.slides section") if not s.find("section")]


def visible_text(section) -> str:
    copy = _soup(str(section))
    for aside in copy.select("aside.notes"):
        aside.decompose()
    return " ".join(copy.get_text(" ").split())


def expected_charts(nb) -> int:
    """Chart images in the lesson, except a learner's own progress dashboard."""
    n = 0
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        outs = cell.get("outputs", [])
        if "own progress record" in " ".join(str(o.get("data", {}).get("text/html", "")) for o in outs):
            continue
        n += sum("image/png" in o.get("data", {}) for o in outs)
    return n


# ----------------------------------------------------------------------------- the decks

def test_every_lesson_has_a_deck(decks):
    assert LESSON_NOTEBOOKS, "no built lessons in lessons/"
    made = sorted(p.stem for p in decks.glob("*.html"))
    assert made == LESSON_IDS
    for source in (CONTENT / "lessons").glob("[0-9][0-9]_*.md"):
        assert (source.stem in made) == (LESSONS / f"{source.stem}.ipynb").exists()


@pytest.mark.parametrize("stem", LESSON_IDS)
def test_every_slide_has_something_to_show(decks, stem):
    soup = _soup((decks / f"{stem}.html").read_text(encoding="utf-8"))
    leaves = leaf_sections(soup)
    assert len(leaves) == slides.count_slides(slides.deck_slides(_read(LESSONS / f"{stem}.ipynb"), stem[:2]))[1]
    for n, section in enumerate(leaves, start=1):
        heading = section.find(["h1", "h2"])
        body = visible_text(section).replace(heading.get_text(" ", strip=True), "", 1) if heading else visible_text(section)
        if section.get("class") and "kind-title" in section["class"]:
            continue
        assert body.strip() or section.find("img"), f"{stem} slide {n} shows only its heading"


@pytest.mark.parametrize("stem", LESSON_IDS)
def test_every_section_of_the_lesson_is_in_the_deck(decks, stem):
    nb = _read(LESSONS / f"{stem}.ipynb")
    headings = [m.group(1).strip() for c in nb.cells if c.cell_type == "markdown"
                for m in re.finditer(r"^##\s+(.+)$", mdrender.strip_comments(c.source), re.M)]
    made = slides.deck_slides(nb, stem[:2])
    assert len({s.section for s in made if s.section}) == len(headings)  # optional depth left out
    titles = " | ".join(s.title for s in made)
    for h in headings:
        plain = mdrender.text_of(mdrender.to_html(h))
        if plain == "Check your understanding":
            continue  # the question slides stand for the quiz
        assert plain in titles, f"{stem}: the section {plain!r} has no slide"


@pytest.mark.parametrize("stem", LESSON_IDS)
def test_narrative_is_kept_in_the_deck(decks, stem):
    """Every paragraph of the lesson is on a slide or in the speaker notes, word for word."""
    soup = _soup((decks / f"{stem}.html").read_text(encoding="utf-8"))
    deck_text = " ".join(soup.select_one("div.slides").get_text(" ").split())
    deck_text = re.sub(r"\s+([.,;:!?)\]])", r"\1", deck_text)
    missing = []
    nb = _read(LESSONS / f"{stem}.ipynb")
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        for block in mdrender.blocks(cell.source):
            if block.kind != "paragraph":
                continue
            text = re.sub(r"\s+([.,;:!?)\]])", r"\1", block.text)
            text = re.sub(r"^Discussion\.\s*", "", text)  # the slide's heading says it
            if text[:120] not in deck_text:
                missing.append(text[:80])
    assert not missing, f"{stem}: {len(missing)} paragraph(s) lost, e.g. {missing[:2]}"


@pytest.mark.parametrize("stem", LESSON_IDS)
def test_chart_slides_are_the_chart_with_its_description_in_the_notes(decks, stem):
    soup = _soup((decks / f"{stem}.html").read_text(encoding="utf-8"))
    images = soup.select("div.slides img")
    assert len(images) == expected_charts(_read(LESSONS / f"{stem}.ipynb"))
    for img in images:
        section = img.find_parent("section")
        alt = (img.get("alt") or "").strip()
        assert alt, f"{stem}: a chart has no alt text"
        shown = _soup(str(section))
        for aside in shown.select("aside.notes"):
            aside.decompose()
        assert shown.find(["h1", "h2", "ul", "ol", "table", "p"]) is None, "a chart slide holds more than the chart"
        caption = section.find("figcaption")
        assert caption is None or len(caption.get_text()) <= 200
        notes = section.select_one("aside.notes")
        assert notes is not None and alt[:60] in " ".join(notes.get_text(" ").split()), \
            f"{stem}: the chart's description is not in its speaker notes"


@pytest.mark.parametrize("stem", LESSON_IDS)
def test_no_code_no_tex_and_small_tables(decks, stem):
    html = (decks / f"{stem}.html").read_text(encoding="utf-8")
    soup = _soup(html)
    slides_div = soup.select_one("div.reveal div.slides")
    assert not slides_div.find_all("pre"), "a <pre> block (code or stream text) is on a slide"
    for section in leaf_sections(soup):
        shown = visible_text(section)
        assert not TEX.search(shown), f"{stem}: raw TeX on a slide: {TEX.search(shown).group(0)}"
        for table in section.select("table.ck-table"):
            assert len(table.select("tbody tr")) <= deck.TABLE_ROWS
    nb = _read(LESSONS / f"{stem}.ipynb")
    text = slides_div.get_text(" ")
    leaked = [line.strip() for c in nb.cells if c.cell_type == "code" for line in c.source.splitlines()
              if len(line.strip()) >= 20 and not line.strip().startswith(("#", '"', "'"))
              and re.search(r"[(=]|^import |^from ", line.strip()) and line.strip() in text]
    assert not leaked, f"code from {stem} appears in its deck: {leaked[:3]}"


def test_the_growth_formula_is_written_out_not_tex(decks):
    html = (decks / "03_partnership.html").read_text(encoding="utf-8")
    assert "(V<sub>n</sub> / V<sub>0</sub>)<sup>1/n</sup> \u2212 1" in html
    assert "^{1/n}" not in html


@pytest.mark.parametrize("stem", LESSON_IDS)
def test_quiz_questions_carry_their_answers_in_the_notes(decks, stem):
    soup = _soup((decks / f"{stem}.html").read_text(encoding="utf-8"))
    questions = soup.select("section.kind-question")
    assert questions, f"{stem}: no quiz question on the slides"
    for section in questions:
        title = section.find("h2").get_text()
        notes = section.select_one("aside.notes")
        if "(reflection)" not in title:
            assert notes is not None and "Answer:" in notes.get_text(), f"{stem} {title}: no answer in the notes"


@pytest.mark.parametrize("stem", LESSON_IDS)
def test_deck_needs_no_network(decks, stem):
    soup = _soup((decks / f"{stem}.html").read_text(encoding="utf-8"))
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
    assert not remote, f"{stem}: the deck loads remote resources: {remote[:5]}"
    scripts = " ".join(s.get_text() for s in soup.find_all("script"))
    assert soup.find("script", src=True) is None, "reveal.js must be inlined, not linked"
    assert "Reveal.initialize" in scripts and "RevealNotes" in scripts


def test_cdn_mode_says_it_needs_internet(tmp_path, capsys):
    stem = LESSON_IDS[0]
    assert slides.main(["--out", str(tmp_path), "--lesson", stem[:2], "--cdn"]) == 0
    assert "need internet" in capsys.readouterr().out
    html = (tmp_path / f"{stem}.html").read_text(encoding="utf-8")
    assert slides.CDN_PREFIX in html
    assert [p.name for p in tmp_path.iterdir()] == [f"{stem}.html"]


def test_unknown_or_malformed_lesson_is_refused(tmp_path, capsys):
    with pytest.raises(SystemExit):
        slides.main(["--out", str(tmp_path), "--lesson", "2"])
    with pytest.raises(SystemExit):
        slides.main(["--out", str(tmp_path), "--lesson", "99"])
    assert "there is no lesson 99 in course.toml (lessons: 00, 01" in capsys.readouterr().err


def test_vendored_reveal_is_complete_and_licensed():
    for name in ("reveal.js", "reveal.css", "notes.js", "LICENSE", "README.md"):
        assert (slides.VENDOR / name).is_file(), name
    readme = (slides.VENDOR / "README.md").read_text(encoding="utf-8")
    assert "MIT" in readme and slides.REVEAL_VERSION in readme and "notes.js" in readme
    assert "Permission is hereby granted" in (slides.VENDOR / "LICENSE").read_text(encoding="utf-8")
    for name in ("reveal.js", "notes.js"):
        assert "</script" not in (slides.VENDOR / name).read_text(encoding="utf-8")


# ----------------------------------------------------------------------------- the rules

def test_formulas_become_html_and_money_stays_money():
    html = mdrender.to_html(r"From \$V_0\$ to \$V_n\$: \$(V_n / V_0)^{1/n} - 1\$, for \$n\$ "
                            r"years; US\$190.27bn of about US\$6,300bn; $200 million.")
    assert "V<sub>0</sub>" in html and "<sup>1/n</sup>" in html and "\u2212 1" in html
    assert "US$190.27bn of about US$6,300bn; $200 million" in html
    assert "<i>" not in html and "$V" not in html and "\\" not in html
    assert mdrender.tex_to_html(r"\frac{a}{b} \times 100 \approx x_{end}") == \
        "(a)\u2009/\u2009(b) \u00d7 100 \u2248 x<sub>end</sub>"
    assert mdrender.plain_math(r"\$(V_n / V_0)^{1/n} - 1\$") == "(Vn / V0)^(1/n) \u2212 1"


def test_long_lists_are_split_evenly():
    items = [f"<li>{'x' * 200}</li>" for _ in range(5)]
    chunks = deck._chunks(items, 700)
    assert [len(c) for c in chunks] == [3, 2]  # not 3 + 1 + 1, and no straggler
    assert deck._chunks(items[:3], 700) == [items[:3]]


def _nb(*cells):
    nb = nbformat.v4.new_notebook()
    nb.cells = list(cells)
    return nb


def test_deck_slides_from_a_small_lesson():
    chart = nbformat.v4.new_code_cell("plots.show(fig)")
    chart.outputs = [
        nbformat.v4.new_output("display_data", data={"image/png": "iVBORw0KGgo=", "text/plain": "<Figure>"},
                               metadata={"image/png": {"alt": "Rose from 1 to 2"}}),
        nbformat.v4.new_output("display_data", data={"text/html": '<div class="ck-chart-note"><p>'
                               '<strong>Chart description:</strong> Rose from 1 to 2</p><p class="ck-source">'
                               'Sources: Reuters, 2024 (S1). Data as of 2026-11-25.</p></div>'})]
    nb = _nb(nbformat.v4.new_code_cell("import coursekit"),
             nbformat.v4.new_markdown_cell("# Title\n\n**Purpose:** learn.\n\n## A section\n\nFirst "
                                           "sentence here. Second sentence.\n\n> \u201cA claim\u201d (the article)\n\n"
                                           "**Discussion.** Why?\n\n## Empty\n\n<!-- nocite: x -->"),
             chart)
    made = slides.deck_slides(nb, "99")
    assert [(s.kind, s.title) for s in made] == [
        ("title", "Title"), ("quote", "A section"), ("discussion", "Discussion"), ("chart", "")]
    assert "First sentence here." in made[1].body and "Second sentence" in " ".join(made[1].notes)
    assert "Sources: S1 \u00b7 data as of 2026-11-25" in made[3].body
    assert "Rose from 1 to 2" in " ".join(made[3].notes)
    html = slides.render_deck(nb, title="Test deck", lesson="99")
    assert "import coursekit" not in html and 'alt="Rose from 1 to 2"' in html
