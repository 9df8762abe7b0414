"""docs/timing-freshness-glossary.md says what the code does: its commands and options exist,
and the numbers it gives are the code's constants."""
from __future__ import annotations

import contextlib
import io
import re
from importlib import import_module

import pytest

from coursekit.__main__ import COMMANDS
from coursekit.model.paths import ROOT
from coursekit.tools import glossary_lint, stale, timing

PAGE = ROOT / "docs" / "timing-freshness-glossary.md"


def _help(command: str) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), pytest.raises(SystemExit):
        import_module(COMMANDS[command][0]).main(["--help"])
    return out.getvalue()


def test_commands_and_options_on_the_page_exist():
    text = PAGE.read_text(encoding="utf-8")
    shown = re.findall(r"python -m coursekit (\w+)([^`\n]*)", text)
    assert {c for c, _ in shown} >= {"timing", "stale", "glossary", "check", "build"}
    for command, rest in shown:
        assert command in COMMANDS, command
        help_text = _help(command)
        for option in re.findall(r"(--[a-z][a-z-]*)", rest):
            assert option in help_text, f"{command} {option}"
    for option in re.findall(r"`(--[a-z][a-z-]*)", text):
        assert any(option in _help(c) for c in ("timing", "stale", "glossary")), option


def test_the_numbers_on_the_page_are_the_codes():
    text = PAGE.read_text(encoding="utf-8")
    assert f"{timing.READING_WPM} words a minute" in text
    assert f"| {timing.QUIZ_ITEM_MINUTES:g} minute" in text
    assert f"| {timing.CODE_CELL_MINUTES:g} minute" in text
    assert f"| {timing.EXPLORATION_MINUTES:g} minute" in text
    assert f"| {timing.EXERCISE_MINUTES:g} minutes" in text
    assert f"within {timing.TOLERANCE:.0%}" in text
    assert f"**{stale.WARN_MONTHS} months**" in text and f"**{stale.FAIL_MONTHS} months**" in text
    assert f"[HHI]({glossary_lint.LESSON_LINK})" in text
    assert f"[HHI]({glossary_lint.SOLUTION_LINK})" in text
