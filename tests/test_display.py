"""The shared display pieces the lessons use: the claims table, plain tables, the static view of
explorations, the compound controls, and the palette's contrast."""
from __future__ import annotations

import re

import ipywidgets as widgets
import pytest

from coursekit.display import charts, controls, tables
from coursekit.display.explore import Exploration
from coursekit.model import content, course


# ----------------------------------------------------------------------------- the palette
@pytest.mark.parametrize("colour", charts.SERIES_COLOURS + [charts.PALETTE["grey"]])
def test_every_data_colour_has_3_to_1_contrast_on_the_background(colour):
    assert charts.contrast_ratio(colour, charts.BACKGROUND) >= 3.0, colour


def test_the_contrast_check_catches_okabe_ito_yellow():
    assert charts.contrast_ratio("#F0E442", charts.BACKGROUND) < 3.0
    assert charts.contrast_ratio("#000000", "#FFFFFF") == pytest.approx(21)


# ----------------------------------------------------------------------------- tables
def test_claims_table_shows_the_chosen_columns_for_a_lesson():
    ledger = content.load_claims()
    mine = sorted(cid for cid, c in ledger.items() if c.lesson == "02")
    table = tables.claims_table(lesson="02", columns=["claim", "quote", "verdict", "reason", "as_of"])
    html = table._repr_html_()
    assert [c.id for c in table.claims] == mine
    assert html.startswith(f'<div class="{charts.NO_MATH}">')
    assert html.count("<tr>") == len(mine) + 1
    for cid in mine:
        assert f">{cid}</th>" in html and f"<strong>{ledger[cid].verdict}</strong>" in html
    assert "The article says" in html and "Why, with sources" in html
    assert html == tables.claims_table(lesson="02", columns=["claim", "quote", "verdict", "reason",
                                                                "as_of"])._repr_html_()


def test_claims_table_seen_from_a_lesson_hides_later_verdicts_and_reasons():
    ledger = content.load_claims()
    later = next(c for c in ledger.values() if c.lesson > "01")
    table = tables.claims_table(only=[later.id], columns=["claim", "verdict", "reason", "details"],
                                seen_from="01")
    html = table._repr_html_()
    assert f"judged in lesson {later.lesson}" in html and later.reason[:30] not in html
    assert later.reason[:30] not in repr(table)


def test_claims_table_map_names_lessons_as_course_toml_does():
    html = tables.claims_table(by_theme=True, with_map=True, columns=["claim", "lesson"])._repr_html_()
    for lesson in course.lessons():
        if lesson.id != "00":
            assert f"{lesson.id} {lesson.title}" in html


def test_an_unknown_claim_column_is_refused():
    with pytest.raises(ValueError, match="unknown claim column"):
        tables.claims_table(lesson="02", columns=["claim", "colour"])


def test_plain_table_escapes_and_marks_row_headers():
    html = tables.Table([{"a": "<b>", "b": 1}], row_headers=True, caption="C & D")._repr_html_()
    assert "&lt;b&gt;" in html and '<th scope="row"' in html and "<caption>C &amp; D</caption>" in html


def test_chart_data_tables_join_source_ids():
    html = charts.table_html([{"source_ids": ("S1", "X2")}])
    assert "S1; X2" in html


# ----------------------------------------------------------------------------- explorations
def test_an_exploration_stores_its_readout_as_static_html_and_recomputes():
    slider = widgets.IntSlider(value=2, min=0, max=5)
    ex = Exploration(slider, compute=lambda v: {"double": v * 2}, readout=lambda r: f"double is {r['double']}")
    from coursekit.display.static import WithStatic

    bundle = WithStatic(widgets.VBox(ex.widgets()), html=ex.static_html(), text="t")._repr_mimebundle_()
    assert "run the notebook" in bundle["text/html"] and "double is 4" in bundle["text/html"]
    slider.value = 3
    assert ex.result == {"double": 6} and "double is 6" in ex.readout.value


# ----------------------------------------------------------------------------- compound controls
def test_slider_pair_keeps_its_value_and_sliders_in_step():
    a = widgets.SelectionSlider(options=[1, 2, 3], value=1)
    b = widgets.SelectionSlider(options=["x", "y"], value="x")
    pair = controls.SliderPair(a, b)
    assert pair.value == (1, "x")
    b.value = "y"
    assert pair.value == (1, "y")
    pair.value = (3, "x")
    assert (a.value, b.value) == (3, "x")


def test_toggle_rows_gather_and_spread():
    rows = controls.ToggleRows([("E1", "<p>one</p>"), ("E2", "<p>two</p>")], ["yes", "no"])
    assert rows.value == {"E1": None, "E2": None}
    rows.toggles["E2"].value = "no"
    assert rows.value == {"E1": None, "E2": "no"}
    rows.value = {"E1": "yes", "E2": None}
    assert rows.toggles["E1"].value == "yes" and rows.toggles["E2"].value is None


def test_preset_sliders_load_a_preset_and_follow_a_slider():
    tables_ = {"small": [("A", 10.0), ("B", 5.0)], "big": [("C", 60.0), ("D", 20.0), ("E", 1.0)]}
    ctl = controls.PresetSliders(list(tables_), tables_.__getitem__, "small", 5, min=0.0, max=100.0)
    assert ctl.value == (("A", 10.0), ("B", 5.0)) and len(ctl.children) == 3
    ctl.sliders[1].value = 7.0
    assert ctl.value == (("A", 10.0), ("B", 7.0))
    ctl.preset.value = "big"
    assert [n for n, _ in ctl.value] == ["C", "D", "E"] and len(ctl.children) == 4
    assert re.match(r"C \(%\)", ctl.sliders[0].description)


def test_rating_rows_gather_and_spread():
    ctl = controls.RatingRows([("r1", "<b>one</b>", "one"), ("r2", "<b>two</b>", "two")], ("L", "I"), start=3)
    assert ctl.sliders["r2"][0].tooltip == "L of two"  # each slider's accessible name names its item
    assert ctl.value == (("r1", 3, 3), ("r2", 3, 3))
    ctl.sliders["r2"][1].value = 5
    assert ctl.value == (("r1", 3, 3), ("r2", 3, 5))
    ctl.value = (("r1", 1, 2), ("r2", 4, 4))
    assert [s.value for s in ctl.sliders["r1"]] == [1, 2]
