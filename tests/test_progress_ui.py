"""coursekit.progress.api notebook helpers, driven through widget traits without a kernel."""
from __future__ import annotations

import base64
import json
import re
from datetime import datetime, timezone
from typing import Any

import pytest

from coursekit.progress import api as progress
from coursekit.progress import store as ps
from coursekit.progress import ui as progress_ui
from coursekit.quizzes.bank import load_bank
from coursekit.quizzes.records import Pretest


def fill(store: ps.Store) -> None:
    store.record("attempt", "01", "01.q1", correct=False, misconception="target-as-pledge",
                 answer="b")
    store.record("attempt", "01", "01.q1", correct=True, answer="c")
    store.record("attempt", "01", "01.q2", correct=True, answer="a")
    store.record("attempt", "02", "02.1", correct=True, answer=1.9)
    store.record("attempt", "02", "02.q4", correct=False, answer="d")
    store.record("reflection", "02", "02.r1", answer="Trade moved to Hong Kong.")


def upload_value(name: str, data: bytes) -> tuple[dict[str, Any], ...]:
    """What ipywidgets 8's FileUpload.value holds after the learner picks a file."""
    return ({"name": name, "type": "application/json", "size": len(data),
             "content": memoryview(data),
             "last_modified": datetime(2026, 5, 1, tzinfo=timezone.utc)},)


def test_download_link_holds_a_valid_export(db):
    fill(progress.get_store())
    html = progress.download_link().data
    match = re.search(r'<a download="progress\.json" href="data:application/json;base64,'
                      r'([A-Za-z0-9+/=]+)"[^>]*>', html)
    assert match, html[:300]
    text = base64.b64decode(match.group(1)).decode("utf-8")
    parsed = ps.parse_export(text)
    assert parsed.events == progress.events() and len(parsed.events) == 6
    assert "6 events" in html


def test_download_link_of_an_empty_record_is_reproducible(db, tmp_path, monkeypatch):
    first = progress.download_link().data
    monkeypatch.setenv(ps.ENV_DB, str(tmp_path / "other.sqlite3"))
    assert progress.download_link().data == first and "0 events" in first


def test_upload_imports_a_good_file(db, tmp_path):
    source = ps.Store(tmp_path / "elsewhere.sqlite3")
    fill(source)
    widget = progress.upload()
    widget.picker.value = upload_value("progress.json", source.export_text().encode())
    assert "progress.json: Imported 6 new events." in widget.status.value
    assert 'role="status"' in widget.status.value
    assert progress.events() == source.events()
    widget.picker.value = upload_value("progress.json", source.export_text().encode())
    assert "Imported 0 new events; 6 were already here." in widget.status.value


@pytest.mark.parametrize("data, words", [
    (b'{"app": "ai-under-sanctions", "schema": 2, "ev', "truncated"),
    (b"\x89PNG\r\n\x1a\n", "not UTF-8"),
    (json.dumps({"app": "something-else", "schema": 2}).encode(), "another application"),
])
def test_upload_reports_a_bad_file_in_words(db, data, words):
    progress.record_event("view", "00", "00.intro")
    before = progress.export_json()
    widget = progress.upload()
    widget.picker.value = upload_value("bad.json", data)
    status = widget.status.value
    assert "Nothing was imported" in status and words in status, status
    assert "Traceback" not in status
    assert progress.export_json() == before


def test_upload_handler_turns_store_failures_into_words(db, monkeypatch):
    widget = progress.upload()
    store = progress.get_store()
    monkeypatch.setattr(store, "import_json", lambda data: 1 / 0)
    widget.picker.value = upload_value("x.json", b"{}")
    assert "could not be read (division by zero)" in widget.status.value


def test_reset_button_needs_two_clicks(db):
    fill(progress.get_store())
    widget = progress.reset_button()
    assert widget.confirm.layout.display == "none" and widget.confirm.disabled
    widget.confirm.click()  # a click on the hidden, disarmed button does nothing
    assert len(progress.events()) == 6
    widget.start.click()
    assert widget.confirm.layout.display != "none" and not widget.confirm.disabled
    assert "deletes all 6 recorded events" in widget.status.value
    assert len(progress.events()) == 6
    widget.confirm.click()
    assert progress.events() == []
    assert "Deleted 6 events" in widget.status.value
    assert widget.confirm.disabled and widget.confirm.layout.display == "none"


def test_reset_button_cancel_keeps_everything(db):
    fill(progress.get_store())
    widget = progress.reset_button()
    widget.start.click()
    widget.cancel.click()
    widget.confirm.click()
    assert len(progress.events()) == 6
    assert "Nothing was deleted" in widget.status.value


def test_widgets_carry_a_static_rendering(db):
    for widget in (progress.upload(), progress.reset_button(),
                   progress.pretest("03.pre1"),
                   progress.reveal("03.pre1", "b")):
        bundle = widget._repr_mimebundle_()
        assert "application/vnd.jupyter.widget-view+json" in bundle
        assert bundle["text/html"].startswith("<p") and "model_id" not in bundle["text/plain"]


def test_where_says_what_and_where_in_plain_words(db):
    fill(progress.get_store())
    text = progress.where()
    assert str(db) in text and "6 events" in text and progress.learner() in text
    assert "Nothing is sent anywhere" in text and "\\n" not in repr(text)


def test_pretest_then_reveal(db):
    """The question and its options come from the lesson's quiz bank ([[pretest]])."""
    asked = load_bank("02").pretest("pre1")
    pre = progress.pretest("02.pre1")
    html = pre._repr_mimebundle_()["text/html"]
    assert asked.prompt.replace("'", "&#x27;") in html
    assert all(f"<li>{o}</li>" in html for o in asked.options)
    assert [value for _label, value in pre.choice.options] == list(asked.options)
    pre.save.click()
    assert "Choose or type an answer first" in pre.status.value
    assert progress.events() == []
    pre.choice.value = asked.options[0]
    pre.save.click()
    assert "Saved your guess" in pre.status.value
    [guess] = progress.events()
    assert (guess["kind"], guess["item"], guess["answer"], guess["correct"]) == (
        "attempt", "02.pre1", asked.options[0], None)
    shown = progress.reveal("02.pre1", "about 40%", "Most went through Hong Kong.")
    assert "about 40%" in shown._repr_mimebundle_()["text/html"]
    shown.button.click()
    assert f"You guessed: {asked.options[0]}. The answer: about 40%." in shown.status.value
    assert progress.events()[-1]["kind"] == "view"
    assert progress.summary()["02"]["pretests"] == 1


def test_pretest_free_text_and_bad_ids(db):
    pre = progress_ui.pretest_panel(Pretest("pre2", "01", "Name one `sanction`."))
    assert pre._repr_mimebundle_()["text/plain"] == "Before you start: Name one sanction."
    assert "<code>sanction</code>" in pre._repr_mimebundle_()["text/html"]
    pre.choice.value = "  export controls "
    pre.save.click()
    assert progress.events()[0]["answer"] == "export controls"
    fresh = progress.reveal("01.pre3", "x")
    fresh.button.click()
    assert "You did not save a guess" in fresh.status.value
    for bad in ("01.q1", "9.pre1", "08.pre1"):
        with pytest.raises(ValueError):
            progress.pretest(bad)
    with pytest.raises(KeyError, match="no pretest '01.pre9'"):
        progress.pretest("01.pre9")  # not in lesson 01's bank: an author's mistake, said so


def test_dashboard_data(db):
    fill(progress.get_store())
    rows = progress.dashboard_data()
    assert [r["lesson"] for r in rows] == list(ps.LESSONS)
    assert rows[1] == {"lesson": "01", "quiz right": 2, "quiz tried": 2, "exercises solved": 0}
    assert rows[2] == {"lesson": "02", "quiz right": 0, "quiz tried": 1, "exercises solved": 1}
    assert all(r["quiz tried"] == r["exercises solved"] == 0 for r in rows[3:])


def test_dashboard_draws_through_plots_show(db, monkeypatch):
    from coursekit.display import charts as plots

    fill(progress.get_store())
    calls: list[dict[str, Any]] = []
    displayed: list[Any] = []

    def fake_show(fig, **kwargs):
        calls.append({"fig": fig, **kwargs})

    monkeypatch.setattr(plots, "show", fake_show)
    monkeypatch.setattr("IPython.display.display", lambda *a, **k: displayed.append(a))
    progress.dashboard()
    [call] = calls
    assert call["source_ids"] == [] and call["data"] == progress.dashboard_data()
    assert call["alt"] == progress_ui.dashboard_alt(call["data"])
    assert "lesson 01 2 of 2" in call["alt"] and "lesson 02 1" in call["alt"]
    ax = call["fig"].axes[0]
    heights = sorted(p.get_height() for p in ax.patches)
    assert len(ax.patches) == 3 * 8 and heights[-3:] == [1, 2, 2]
    import matplotlib.pyplot as plt
    plt.close(call["fig"])
    assert displayed == []  # no notice, nothing extra shown


def test_dashboard_shows_the_store_notice(db, monkeypatch):
    from coursekit.display import charts as plots

    db.parent.mkdir(parents=True)
    db.write_bytes(b"garbage" * 100)
    shown: list[Any] = []
    monkeypatch.setattr(plots, "show", lambda fig, **k: plots.png_bytes(fig))
    monkeypatch.setattr("IPython.display.display", lambda *a, **k: shown.append(a[0]))
    progress.dashboard()
    assert len(shown) == 1 and "corrupt-1" in shown[0].data


def test_dashboard_alt_when_nothing_recorded():
    from coursekit.progress.ui import dashboard_alt, dashboard_rows

    rows = dashboard_rows(ps.summarise([]))
    assert "no quiz answers or solved exercises" in dashboard_alt(rows)


# --- lesson 00's name for the teacher's report --------------------------------------------------


def test_name_field_says_what_it_is_for_and_saves_with_progress(db):
    panel = progress.name_field()
    first = progress.learner()
    assert panel.box.value == "" and first in panel.status.value  # the random id is shown
    bundle = panel._repr_mimebundle_()
    for text in (bundle["text/html"], bundle["text/plain"]):
        assert "teacher" in text and "report" in text and "pseudonym is fine" in text.lower()
    progress.record_event("view", "00", "00.intro")
    panel.box.value = "  River   Otter \n"
    panel.save.click()
    assert progress.learner() == "River Otter" and panel.box.value == "River Otter"
    assert "Saved." in panel.status.value and "River Otter" in panel.status.value
    progress.record_event("view", "00", "00.intro")
    assert [e["learner"] for e in progress.events()] == [first, "River Otter"]
    again = progress.name_field()  # the lesson run again shows the chosen name
    assert again.box.value == "River Otter"


@pytest.mark.parametrize("name, words", [
    ("", "Nothing saved: the box is empty"),
    ("   \n\t", "Nothing saved: the box is empty"),
    ("x" * 65, "65 characters long; use at most 64"),
    ("=HYPERLINK(\"http://x\")", "cannot start with =, +, - or @"),
    ("@SUM(1)", "cannot start with =, +, - or @"),
    ("\u202eenna", "invisible control or text-direction characters"),
    ("an\x00na", "invisible control or text-direction characters"),
    ("zero\u200bwidth", "invisible control or text-direction characters"),
])
def test_name_field_refuses_hostile_names_in_words(db, name, words):
    before = progress.learner()
    panel = progress.name_field()
    panel.box.value = name
    panel.save.click()
    assert words in panel.status.value and "Saved." not in panel.status.value
    assert progress.learner() == before


@pytest.mark.parametrize("name, kept", [
    ("<b>Ann</b> & <script>x</script>", "<b>Ann</b> & <script>x</script>"),
    ("caf\u00e9 \ud800", "caf\u00e9 \ufffd"),
    ("\u674e\u534e", "\u674e\u534e"),
    ("Cafe\u0301", "Caf\u00e9"),  # NFC: looks the same, is the same
])
def test_name_field_keeps_unusual_but_harmless_names_safely(db, name, kept):
    panel = progress.name_field()
    panel.box.value = name
    panel.save.click()
    assert progress.learner() == kept and "Saved." in panel.status.value
    assert "<script>" not in panel.status.value and "<b>" not in panel.status.value
    panel.status.value.encode("utf-8")


def test_name_field_says_not_saved_when_the_store_fails(db, monkeypatch):
    import sqlite3

    from coursekit.progress import recorder as events

    store = progress.get_store()
    before = progress.learner()

    class Failing:
        def __init__(self, conn):
            self._conn = conn

        def execute(self, sql, *args):
            if sql.lstrip().upper().startswith("INSERT"):
                raise sqlite3.OperationalError("disk I/O error")
            return self._conn.execute(sql, *args)

        def __getattr__(self, name):
            return getattr(self._conn, name)

    monkeypatch.setattr(store, "_conn", Failing(store._conn))
    panel = progress.name_field()
    panel.box.value = "Ann"
    panel.save.click()
    assert "Saved." not in panel.status.value
    assert "Your name was not saved" in panel.status.value and "disk I/O error" in panel.status.value
    assert progress.learner() == before
    assert "could not be stored" in progress.where()
    assert len(events.session_failures()) == 1
