"""The guides for people who change the course say what is true: the commands they show exist
with their options, the files they name exist, and the repository names no place outside
itself (the article is read from the course folder or COURSEKIT_ARTICLE)."""
from __future__ import annotations

import contextlib
import io
import re
from importlib import import_module
from pathlib import Path

import pytest

from coursekit.__main__ import COMMANDS
from coursekit.model import paths

ROOT = paths.ROOT
GUIDES = [ROOT / "docs" / "AUTHORING.md", ROOT / "CONTRIBUTING.md"]
SKIP_DIRS = {".git", ".venv", ".hypothesis", ".pytest_cache", "__pycache__", "test-artifacts",
             "node_modules"}
TEXT_SUFFIXES = {".md", ".py", ".toml", ".csv", ".txt", ".cfg", ".json", ".ipynb", ".yml",
                 ".yaml", ".sh", ".html", ".css", ".js", ""}


def _help(command: str) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), pytest.raises(SystemExit):
        import_module(COMMANDS[command][0]).main(["--help"])
    return out.getvalue()


@pytest.mark.parametrize("guide", GUIDES, ids=lambda p: p.name)
def test_commands_shown_exist_with_their_options(guide):
    text = guide.read_text(encoding="utf-8")
    shown = re.findall(r"python -m coursekit ([\w-]+)((?: [^\n`|]*)?)", text)
    assert shown, f"{guide.name} shows no command"
    for command, rest in shown:
        assert command in COMMANDS, f"{guide.name}: there is no command `coursekit {command}`"
        help_text = _help(command)
        for option in re.findall(r"(--[a-z][a-z-]*)", rest):
            assert option in help_text, f"{guide.name}: `coursekit {command}` has no {option}"


@pytest.mark.parametrize("guide", GUIDES, ids=lambda p: p.name)
def test_files_named_exist(guide):
    text = guide.read_text(encoding="utf-8")
    named = set(re.findall(r"`((?:assets|content|coursekit|docs|instructor|tests)/[\w./-]+)`", text))
    named |= set(re.findall(r"\]\(((?:\.\./)?[\w./-]+\.md)\)", text))
    concrete = [n for n in named if not re.search(r"NN|NAME|SLUG|08_media|l08|\*", n)]
    assert concrete
    missing = [n for n in concrete if not ((guide.parent / n).exists() or (ROOT / n).exists())]
    assert not missing, f"{guide.name} names files that do not exist: {sorted(missing)}"


def test_the_recipes_are_there():
    text = GUIDES[0].read_text(encoding="utf-8")
    for heading in ("## Recipe 1: add a quiz question", "## Recipe 2: fix one number",
                    "## Recipe 3: add a lesson"):
        assert heading in text


def _text_files():
    for path in ROOT.rglob("*"):
        rel = path.relative_to(ROOT)
        if any(part in SKIP_DIRS for part in rel.parts) or not path.is_file():
            continue
        if path.suffix in TEXT_SUFFIXES and path.name != "article.txt":
            yield path, rel


def _outside(target: Path) -> bool:
    """True for a relative path that leaves the course folder or names nothing in it."""
    resolved = target.resolve()
    return ROOT not in (resolved, *resolved.parents) or not resolved.exists()


def test_the_repository_names_no_place_outside_itself():
    """No relative path climbs out of the course folder or names what is not in it, and no text
    names the folder the course sits in on this machine (computed here, so this file does not name it either)."""
    top = ROOT.parents[len(ROOT.parents) - 2]  # the first folder of the course's absolute path
    machine = re.escape(f"{top}/") if str(top) not in ("/tmp", "/home", "/root") else None
    relative = re.compile(r"(?:\.\./)+[\w.-]+")
    found = []
    for path, rel in _text_files():
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        hits = [m for m in relative.finditer(text)  # links in Markdown resolve from the page
                if path.suffix == ".md" and _outside(path.parent / m.group(0))]
        if machine:
            hits += list(re.finditer(rf"(?<![\w.]){machine}", text))
        found += [f"{rel}:{text.count(chr(10), 0, m.start()) + 1}: {m.group(0)}" for m in hits]
    assert not found, found


def test_the_article_is_read_from_the_course_folder(monkeypatch, tmp_path):
    monkeypatch.delenv("COURSEKIT_ARTICLE", raising=False)
    assert paths.article_path() == ROOT / "article.txt"
    monkeypatch.setenv("COURSEKIT_ARTICLE", str(tmp_path / "a.txt"))
    assert paths.article_path() == tmp_path / "a.txt"
    ignored = (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert "/article.txt" in ignored
