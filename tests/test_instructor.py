"""The teacher's guide (instructor/) agrees with the lessons it describes.

Checked for every lesson that is written (content/lessons/NN_slug.md); lessons not yet written are
not checked:
- it has its page, instructor/NN_slug.md, and the guide (instructor/README.md) links the page and
  the lesson notebook, and gives the lesson's time;
- the page agrees with its lesson:
  - the time it states for the lesson (an "**Estimated time:** NN minutes" line, a
    "## Timing (NN minutes)" heading, or a "**Lesson:** ..., NN minutes" line) equals the lesson's
    "Estimated time", and its timing table adds up to the same number;
  - the misconception ids in its "Misconceptions" section include every misconception named in
    the lesson's quiz bank and exercise spec, and every id listed there is in the registry;
- the guide's list of objectives is exactly what the quiz banks say (it is generated: run
  `python tests/test_instructor.py --write` after a bank changes);
- the brief's rubric summarised in the guide names every criterion of lesson 07's rubric;
- every relative link in the guide's own pages resolves, including #anchors;
- the commands and options the guide shows exist, and the CSV headers it shows are what the
  grader and the report write;
- the root postBuild keeps removing rfc3987-syntax, and the JupyterLab settings it writes exist in
  the installed JupyterLab and are merged into an existing overrides.json.
"""
from __future__ import annotations

import contextlib
import io
import json
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # when run as a script: python tests/test_instructor.py --write
    sys.path.insert(0, str(ROOT))

from coursekit.model import paths  # noqa: E402

GUIDE = paths.INSTRUCTOR / "README.md"
SETUP = paths.INSTRUCTOR / "classroom-setup.md"
LESSON_SOURCES = sorted((paths.CONTENT / "lessons").glob("[0-9][0-9]_*.md"))
SLUGS = [p.stem for p in LESSON_SOURCES]
BEGIN = re.compile(r"^<!-- BEGIN objectives.*-->$", re.M)
END = "<!-- END objectives -->"
OWN_PAGES = [GUIDE, SETUP, paths.INSTRUCTOR / "00_start_here.md"]


# ----------------------------------------------------------------------------- reading

def lesson_minutes(slug: str) -> int:
    text = (paths.CONTENT / "lessons" / f"{slug}.md").read_text(encoding="utf-8")
    found = re.search(r"\*\*Estimated time:?\*\*:?\s*(?:about\s+)?(\d+)\s*minutes", text)
    assert found, f"content/lessons/{slug}.md states no '**Estimated time:** NN minutes'"
    return int(found.group(1))


def lesson_title(slug: str) -> str:
    text = (paths.CONTENT / "lessons" / f"{slug}.md").read_text(encoding="utf-8")
    found = re.search(r"^# (.+)$", text, re.M)
    return found.group(1).strip() if found else slug


_STATED = [
    re.compile(r"\*\*Estimated time:?\*\*:?\s*(?:about\s+)?(\d+)\s*minutes", re.I),
    re.compile(r"^#{2,}\s*Timing\b[^\n]*?\((\d+)\s*minutes\)", re.I | re.M),
    re.compile(r"^\*\*Lesson:?\*\*[^\n]*?(\d+)\s*minutes", re.I | re.M),
]


def stated_minutes(page: str) -> list[int]:
    """Every total time the page states for its lesson, in the forms the module docstring lists."""
    return [int(m.group(1)) for pattern in _STATED for m in pattern.finditer(page)]


def section(page: str, word: str) -> str:
    """The text of the `##` sections whose heading contains `word` (case-insensitive)."""
    out: list[str] = []
    inside = False
    for line in page.splitlines():
        if line.startswith("## "):
            inside = word.lower() in line.lower()
            continue
        if inside:
            out.append(line)
    return "\n".join(out)


def timing_table_minutes(page: str) -> int:
    """Sum of the leading numbers in the second column of the timing table ("3 + quiz" counts 3)."""
    total = 0
    for line in section(page, "Timing").splitlines():
        if not line.lstrip().startswith("|"):
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        number = re.match(r"^(\d+)\b", cells[1]) if len(cells) > 1 else None
        if number:
            total += int(number.group(1))
    return total


def named_misconceptions(data) -> set[str]:
    """Every `misconception = "..."` value anywhere in a parsed TOML document."""
    found: set[str] = set()
    if isinstance(data, dict):
        for key, value in data.items():
            if key == "misconception" and isinstance(value, str) and value:
                found.add(value)
            else:
                found |= named_misconceptions(value)
    elif isinstance(data, list):
        for value in data:
            found |= named_misconceptions(value)
    return found


def registry() -> set[str]:
    data = tomllib.loads((paths.ASSETS / "misconceptions.toml").read_text(encoding="utf-8"))
    return {m["id"] for m in data["misconception"]}


def _toml(path: Path):
    return tomllib.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


# ----------------------------------------------------------------------------- the generated block

def objectives_block() -> str:
    """The guide's list of objectives, from the quiz banks of the lessons that are written."""
    lines = ["<!-- BEGIN objectives (generated from assets/quizzes by "
             "`python tests/test_instructor.py --write`; do not edit by hand) -->"]
    for slug in SLUGS:
        bank = _toml(paths.QUIZZES / f"{slug}.toml")
        if not bank:
            continue
        lesson = bank["lesson"]
        objectives = bank.get("objective", [])
        lines += ["", f"<details><summary><b>{lesson} {lesson_title(slug)}</b>: "
                      f"{len(objectives)} objectives</summary>", ""]
        for objective in objectives:
            oid = objective["id"]
            items = [q["id"] for q in bank.get("question", [])
                     if oid in q.get("objectives", []) or f"{lesson}.{oid}" in q.get("objectives", [])]
            where = []
            if items:
                where.append("quiz " + ", ".join(items))
            if objective.get("exercises"):
                where.append(("exercise " if len(objective["exercises"]) == 1 else "exercises ")
                             + ", ".join(objective["exercises"]))
            text = " ".join(objective["text"].split())
            lines.append(f"- `{lesson}.{oid}` {text}" + (f" ({'; '.join(where)})" if where else ""))
        lines += ["", "</details>"]
    lines += ["", END]
    return "\n".join(lines)


def current_block(text: str) -> str:
    begin = BEGIN.search(text)
    end = text.find(END)
    assert begin and end > begin.start(), "instructor/README.md lost its objectives markers"
    return text[begin.start(): end + len(END)]


def write_block() -> None:
    text = GUIDE.read_text(encoding="utf-8")
    GUIDE.write_text(text.replace(current_block(text), objectives_block()), encoding="utf-8")


# ----------------------------------------------------------------------------- pages and links

@pytest.mark.parametrize("slug", SLUGS)
def test_every_written_lesson_has_its_instructor_page(slug):
    assert (paths.INSTRUCTOR / f"{slug}.md").is_file(), f"instructor/{slug}.md is missing"


@pytest.mark.parametrize("slug", SLUGS)
def test_guide_links_the_page_and_the_lesson_and_gives_its_time(slug):
    guide = GUIDE.read_text(encoding="utf-8")
    assert f"]({slug}.md)" in guide, f"the guide does not link instructor/{slug}.md"
    assert f"](../lessons/{slug}.ipynb)" in guide, f"the guide does not link lessons/{slug}.ipynb"
    row = next((line for line in guide.splitlines()
                if line.startswith(f"| {slug[:2]} ") and f"]({slug}.md)" in line), None)
    assert row, f"the guide's lesson table has no row for {slug}"
    minutes = int(row.split("|")[2].strip())
    assert minutes == lesson_minutes(slug), (
        f"the guide gives {slug} {minutes} minutes; the lesson says {lesson_minutes(slug)}")


def _github_anchor(heading: str) -> str:
    text = re.sub(r"[`*_]", "", heading.strip().lower())
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def _anchors(path: Path) -> set[str]:
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"^```.*?^```", "", text, flags=re.M | re.S)
    return {_github_anchor(h) for h in re.findall(r"^#{1,6}\s+(.+)$", text, re.M)}


def _written(target: Path) -> bool:
    """False for a file that belongs to a lesson not yet written (not checked yet)."""
    lesson = re.match(r"(\d\d)_", target.name)
    return not lesson or any(s.startswith(lesson.group(1) + "_") for s in SLUGS)


@pytest.mark.parametrize("page", OWN_PAGES, ids=lambda p: p.name)
def test_relative_links_resolve(page):
    text = page.read_text(encoding="utf-8")
    text = re.sub(r"^```.*?^```", "", text, flags=re.M | re.S)
    broken = []
    for target in re.findall(r"\]\(([^)\s]+)\)", text):
        if re.match(r"^[a-z]+:", target):
            continue
        file_part, _, anchor = target.partition("#")
        path = (page.parent / file_part).resolve() if file_part else page
        if not _written(path):
            continue
        if not path.exists():
            broken.append(target)
        elif anchor and path.suffix == ".md" and anchor not in _anchors(path):
            broken.append(target)
    assert not broken, f"{page.name}: broken links {broken}"


# ----------------------------------------------------------------------------- page agrees with lesson

def _page(slug: str) -> str:
    path = paths.INSTRUCTOR / f"{slug}.md"
    if not path.exists():
        pytest.fail(f"instructor/{slug}.md is missing")
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize("slug", SLUGS)
def test_page_states_the_lessons_time(slug):
    stated = stated_minutes(_page(slug))
    assert stated, (f"instructor/{slug}.md states no total time: write '**Estimated time:** NN "
                    "minutes' (or a '## Timing (NN minutes)' heading)")
    assert set(stated) == {lesson_minutes(slug)}, (
        f"instructor/{slug}.md states {stated} minutes; the lesson's Estimated time is "
        f"{lesson_minutes(slug)}")


@pytest.mark.parametrize("slug", SLUGS)
def test_page_timing_table_adds_up_to_the_lessons_time(slug):
    total = timing_table_minutes(_page(slug))
    assert total == lesson_minutes(slug), (
        f"the timing table of instructor/{slug}.md adds up to {total} minutes; the lesson's "
        f"Estimated time is {lesson_minutes(slug)}")


@pytest.mark.parametrize("slug", SLUGS)
def test_page_lists_every_misconception_its_lesson_names(slug):
    listed = set(re.findall(r"`([a-z0-9]+(?:-[a-z0-9]+)+)`", section(_page(slug), "Misconception")))
    assert listed, f"instructor/{slug}.md has no 'Misconceptions' section listing ids in backticks"
    bank = named_misconceptions(_toml(paths.QUIZZES / f"{slug}.toml"))
    spec = named_misconceptions(_toml(paths.EXERCISES_SPEC / f"{slug}.toml"))
    assert not bank - listed, f"instructor/{slug}.md misses quiz-bank misconceptions {sorted(bank - listed)}"
    assert not spec - listed, f"instructor/{slug}.md misses exercise misconceptions {sorted(spec - listed)}"
    assert not listed - registry(), (
        f"instructor/{slug}.md lists ids not in assets/misconceptions.toml: {sorted(listed - registry())}")


# ----------------------------------------------------------------------------- objectives and rubric

def test_guide_objectives_match_the_quiz_banks():
    expected = objectives_block()
    assert current_block(GUIDE.read_text(encoding="utf-8")) == expected, (
        "the objectives in instructor/README.md differ from the quiz banks; run "
        "`python tests/test_instructor.py --write` and review the diff")
    written_banks = [s for s in SLUGS if (paths.QUIZZES / f"{s}.toml").exists()]
    assert expected.count("<details>") == len(written_banks)


def test_guide_summarises_every_criterion_of_the_brief_rubric():
    page = paths.INSTRUCTOR / "07_synthesis.md"
    if not page.exists():
        pytest.skip("lesson 07's page is not written yet")
    rubric = section(page.read_text(encoding="utf-8"), "Rubric")
    criteria = [c.split("|")[1].strip() for c in rubric.splitlines()
                if c.startswith("|") and not c.startswith("|---") and "Criterion" not in c]
    assert criteria, "lesson 07's page has no rubric table"
    summary = section(GUIDE.read_text(encoding="utf-8"), "Rubrics")
    missing = [c for c in criteria if f"**{c}**" not in summary]
    assert not missing, f"the guide's summary of the brief rubric misses {missing}"


# ----------------------------------------------------------------------------- commands shown

def _help(command: str) -> str:
    from coursekit.__main__ import COMMANDS
    from importlib import import_module

    out = io.StringIO()
    with contextlib.redirect_stdout(out), pytest.raises(SystemExit):
        import_module(COMMANDS[command][0]).main(["--help"])
    return out.getvalue()


@pytest.mark.parametrize("page", [GUIDE, SETUP], ids=lambda p: p.name)
def test_commands_shown_exist_with_their_options(page):
    text = page.read_text(encoding="utf-8")
    shown = re.findall(r"python -m coursekit (\w+)((?: [^\n`|#]*)?)", text)
    assert shown
    for command, rest in shown:
        help_text = _help(command)
        for option in re.findall(r"(--[a-z][a-z-]*)", rest):
            assert option in help_text, f"{page.name}: `coursekit {command}` has no option {option}"


def test_csv_headers_shown_are_what_the_commands_write(tmp_path):
    from coursekit.teacher import grade
    from coursekit.teacher import gradebook
    from coursekit.teacher import report

    reference = (ROOT / "docs" / "teacher-tools.md").read_text(encoding="utf-8")
    graded = grade.Graded(path=tmp_path / "a.ipynb", learner="amina", set="03_partnership")
    gradebook.write_plain([graded], tmp_path / "g.csv")
    gradebook.write_moodle([graded], tmp_path / "m.csv", None)
    gradebook.write_canvas([graded], tmp_path / "c.csv", None)
    gradebook.write_tally([graded], tmp_path / "t.csv")
    report.write_csv([], tmp_path / "r.csv", None)
    for name in ("g", "t", "r"):
        header = (tmp_path / f"{name}.csv").read_text(encoding="utf-8").splitlines()[0]
        assert header in reference, f"the reference's example header no longer matches: {header}"
    moodle = (tmp_path / "m.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
    assert moodle[1:] == ["03_partnership percent", "03_partnership feedback"]
    assert "`<set> percent`" in reference
    canvas = (tmp_path / "c.csv").read_text(encoding="utf-8").splitlines()[0]
    assert canvas == "Student,ID,SIS User ID,SIS Login ID,Section,03_partnership"
    assert "Student,ID,SIS User ID,SIS Login ID,Section,03_partnership" in reference


# ----------------------------------------------------------------------------- postBuild

POSTBUILD = ROOT / "postBuild"
LAB_SETTINGS = ROOT / "config" / "jupyterlab-overrides.json"


def _postbuild_python() -> str:
    text = POSTBUILD.read_text(encoding="utf-8")
    found = re.search(r"^python - <<'PY'\n(.*?)^PY$", text, re.M | re.S)
    assert found, "postBuild has no `python - <<'PY'` block"
    return found.group(1)


def test_postbuild_still_removes_rfc3987_syntax():
    text = POSTBUILD.read_text(encoding="utf-8")
    assert re.search(r"^pip uninstall (--quiet )?--yes rfc3987-syntax", text, re.M)
    assert os.access(POSTBUILD, os.X_OK), "postBuild must stay executable"
    assert not (ROOT / "binder").exists(), "a binder/ folder makes repo2docker ignore the root files"


def test_postbuild_settings_exist_in_jupyterlab(tmp_path):
    """Each plugin id and key it sets is in the installed JupyterLab's schemas (a typo is ignored
    silently by JupyterLab), and the value fits the schema's type."""
    overrides = json.loads(LAB_SETTINGS.read_text(encoding="utf-8"))
    assert overrides, "config/jupyterlab-overrides.json sets nothing"
    schemas = Path(sys.prefix) / "share" / "jupyter" / "lab" / "schemas"
    labextensions = Path(sys.prefix) / "share" / "jupyter" / "labextensions"
    for plugin, values in overrides.items():
        package, _, name = plugin.partition(":")
        candidates = [schemas / package / f"{name}.json",
                      *labextensions.glob(f"{package}/schemas/{package}/{name}.json")]
        schema_path = next((p for p in candidates if p.exists()), None)
        assert schema_path, f"postBuild sets {plugin}, which this JupyterLab does not have"
        properties = json.loads(schema_path.read_text(encoding="utf-8"))["properties"]
        for key, value in values.items():
            assert key in properties, f"{plugin} has no setting {key!r}"
            kind = properties[key].get("type")
            types = {"boolean": bool, "string": str, "number": (int, float), "integer": int}
            if kind in types:
                assert isinstance(value, types[kind]), f"{plugin}.{key} must be a {kind}"


def test_postbuild_merges_into_an_existing_overrides_file(tmp_path):
    existing = {"@jupyterlab/apputils-extension:notification": {"checkForUpdates": False},
                "@jupyterlab/other:plugin": {"x": 1}}
    (tmp_path / "overrides.json").write_text(json.dumps(existing), encoding="utf-8")
    env = dict(os.environ, POSTBUILD_LAB_SETTINGS_DIR=str(tmp_path))
    done = subprocess.run([sys.executable, "-c", _postbuild_python()], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    merged = json.loads((tmp_path / "overrides.json").read_text(encoding="utf-8"))
    assert merged["@jupyterlab/other:plugin"] == {"x": 1}
    assert merged["@jupyterlab/apputils-extension:notification"] == {
        "checkForUpdates": False, "fetchNews": "false"}
    assert merged["@jupyter-widgets/jupyterlab-manager:plugin"] == {"saveState": True}


if __name__ == "__main__":
    if sys.argv[1:] == ["--write"]:
        write_block()
        print(f"wrote the objectives block of {GUIDE.relative_to(ROOT)}")
    else:
        print(objectives_block())
