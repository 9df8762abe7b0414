"""Optional depth (coursekit/tools/depth.py): what the build stores, and what slides leave out.

JupyterLab itself is checked in tests/browser/test_depth_collapse.py; here, the shapes.
"""
from __future__ import annotations

import json

import nbformat

from coursekit.model.paths import LESSONS, SOLUTIONS
from coursekit.teacher import slides
from coursekit.tools import build, depth

ONE_CELL = """## Core section

Core prose.

### Going further: the second band set

Optional prose [S1].

#### A sub-heading inside it

More optional prose.

## Next core section

Core again.
"""


def _nb(*cells):
    nb = nbformat.v4.new_notebook()
    nb.cells = list(cells)
    return nb


def _md(text, **meta):
    return nbformat.v4.new_markdown_cell(text, metadata=meta)


def _code(source, text="out\n", **meta):
    return nbformat.v4.new_code_cell(source, execution_count=1, metadata=meta, outputs=[
        nbformat.v4.new_output("stream", name="stdout", text=text)])


def test_the_heading_stands_alone_and_the_section_end_opens_a_cell():
    nb = _nb(_md(ONE_CELL), _code("x = 1"))
    assert build.normalise(nb, "t") == []
    sources = [c.source.splitlines()[0] for c in nb.cells if c.cell_type == "markdown"]
    assert sources == ["## Core section", "### Going further: the second band set",
                       "Optional prose [S1].", "## Next core section"]
    heading = nb.cells[1]
    assert heading.source == "### Going further: the second band set"
    assert heading.metadata[depth.HEADING_COLLAPSED] is True
    assert [c.id for c in nb.cells] == [f"cell-{i:03d}" for i in range(len(nb.cells))]
    assert depth.cell_flags(nb.cells) == [False, True, True, False, False]
    before = nbformat.writes(nb)
    build.normalise(nb, "t")  # building twice changes no byte
    assert nbformat.writes(nb) == before


def test_an_optional_section_covers_its_code_until_a_heading_of_its_level():
    nb = _nb(_md("## A"), _md("## Going further: compounding"), _code("fig"),
             _md("### Inside, deeper"), _code("y"), _md("## B"), _code("z"),
             _code("w", optional=None, tags=["optional"]))
    depth.split(nb)
    assert depth.cell_flags(nb.cells) == [False, True, True, True, True, False, False, True]


def test_going_further_is_matched_by_its_words_only():
    assert depth.is_going_further("Going further: the EU Digital Omnibus")
    assert depth.is_going_further("**Going further** (optional)")
    assert not depth.is_going_further("Further reading")
    assert not depth.is_going_further("Where this is going further")
    # a level-1 title is never optional depth
    nb = _nb(_md("# Going further with AI"), _code("x"))
    assert depth.cell_flags(nb.cells) == [False, False]


def test_reference_outputs_open_collapsed_but_not_a_source_list_inside_an_exercise():
    bib = '<ul class="ck-bibliography"><li>A source</li></ul>'

    def bib_cell():
        cell = nbformat.v4.new_code_cell("content.further_reading('S1')", execution_count=1)
        cell.outputs = [nbformat.v4.new_output("display_data", data={"text/html": bib})]
        return cell

    nb = _nb(_md("## Exercise 02.3: which source?"), bib_cell(), _code("ledger", tags=["reference"]),
             _md("## Further reading"), bib_cell(), _code("no_output", tags=["reference"]))
    nb.cells[-1].outputs = []
    build.normalise(nb, "t")
    hidden = [depth.outputs_hidden(c) for c in nb.cells]
    assert hidden == [False, False, True, False, True, False]
    for cell in nb.cells:
        if depth.outputs_hidden(cell):
            assert cell.metadata["collapsed"] is True
            assert cell.metadata["jupyter"] == {"outputs_hidden": True}


def test_stored_lessons_collapse_their_further_reading_and_07_its_full_ledger():
    for path in sorted(LESSONS.glob("*.ipynb")):
        nb = json.loads(path.read_text(encoding="utf-8"))
        flags = depth.reference_flags(nb["cells"])
        assert any(flags), f"{path.name}: no reference output (its further reading list)"
        for cell, flag in zip(nb["cells"], flags):
            assert depth.outputs_hidden(cell) == flag, f"{path.name} {cell['id']}"
    ledger = json.loads((LESSONS / "07_synthesis.ipynb").read_text(encoding="utf-8"))
    cell = next(c for c in ledger["cells"] if "claims_table(claims=ledger" in "".join(c["source"]))
    assert depth.outputs_hidden(cell)
    # A source list that an exercise asks the learner to weigh stays open.
    sol = json.loads((SOLUTIONS / "02_sanctions.ipynb").read_text(encoding="utf-8"))
    assert not any(depth.outputs_hidden(c) for c in sol["cells"])


def test_slides_leave_optional_depth_out_and_say_so_in_the_notes():
    nb = _nb(_code("import coursekit"),
             _md("# Title\n\n**Purpose:** learn.\n\n## A section\n\nFirst sentence here. Second "
                 "one.\n\n### Going further: compounding\n\nOPTIONAL words stay in the notebook."
                 "\n\n## Another\n\nCore words again."),
             _code("x"))
    depth.split(nb)
    made = slides.deck_slides(nb, "99")
    text = " ".join(s.body + " ".join(s.notes) for s in made)
    assert "OPTIONAL words" not in text and "Core words again" in text
    assert "Optional in the notebook, not on the slides" in text and "compounding" in text
    slides.slide_metadata(nb)
    flags = depth.cell_flags(nb.cells)
    for cell, optional in zip(nb.cells, flags):
        if optional:
            assert cell.metadata["slideshow"]["slide_type"] == "skip"
