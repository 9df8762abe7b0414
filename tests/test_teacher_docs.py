"""The teacher's documents say what the code does: privacy (what is stored, where, how to delete
it), and the guide and set-up pages point to the privacy guide and the tool reference."""
from __future__ import annotations

import re

from coursekit.progress import store as progress_store
from coursekit.model.paths import ROOT

PRIVACY = ROOT / "docs" / "privacy.md"


def test_privacy_guide_names_what_is_stored_where_and_how_to_delete_it():
    text = PRIVACY.read_text(encoding="utf-8")
    location = f"~/.local/share/{progress_store.APP}/{progress_store.FILENAME}"
    assert location in text, "the guide must give the record's real location"
    assert progress_store.ENV_DB in text and "XDG_DATA_HOME" in text
    for field in progress_store.FIELDS:  # every field the record keeps is accounted for
        word = {"id": "answer", "kind": "answer", "lesson": "lesson", "item": "quiz",
                "correct": "check", "misconception": "answer", "answer": "answer",
                "learner": "learner id", "ts": "time"}[field]
        assert word in text, field
    assert "learner-" in text and "corrupt-" in text   # the random id, the moved-aside copies
    assert "reset(confirm=True)" in text and "rm -rf" in text
    for heading in ("Consent", "Retention", "How to delete it", "What school data-protection rules"):
        assert re.search(rf"^## {heading}", text, re.M), heading
    assert "GDPR Article 8" in text and "COPPA" in text


def test_random_learner_id_is_as_the_guide_says(monkeypatch):
    monkeypatch.delenv(progress_store.ENV_LEARNER, raising=False)  # builds pin one; learners do not
    assert re.fullmatch(r"learner-[0-9a-f]{8}", progress_store.new_learner_id())
    assert "a random pseudonym (`learner-` and 8 letters or digits)" in PRIVACY.read_text(encoding="utf-8")


def test_guide_and_set_up_link_privacy_and_the_reference():
    guide = (ROOT / "instructor" / "README.md").read_text(encoding="utf-8")
    setup = (ROOT / "instructor" / "classroom-setup.md").read_text(encoding="utf-8")
    for page in (guide, setup):
        assert "(../docs/privacy.md)" in page
    assert "(../docs/teacher-tools.md)" in guide and "(../docs/teacher-tools.md)" in setup
    for doc in ("privacy.md", "teacher-tools.md", "releasing.md"):
        assert (ROOT / "docs" / doc).is_file()
