"""Named facts: a figure is written once, in its data table, and every text that shows it follows.

The acceptance test is the one a teacher would run: change China's first-half-2023 share in the
CSV, and the lesson, the solution, the quiz bank and the exercise spec all show the new figure,
with no other edit.
"""
from __future__ import annotations

import shutil

import pytest

from coursekit.model import facts

from coursekit.model import paths

from coursekit.quizzes import bank as quizbank
from coursekit.model.problems import ContentError

SHARE = "china_share_2023h1"


def test_every_fact_definition_and_reference_is_valid():
    assert facts.check_all() == []
    assert SHARE in facts.all_facts()


def test_fill_formats_values_sources_and_escapes_dollars_in_markdown():
    fact = facts.all_facts()[SHARE]
    assert facts.fill("{{ china_share_2023h1 }}") == fact.text
    assert facts.fill("[{{china_share_2023h1.sources}}]") == f"[{fact.sources}]"
    assert float(facts.fill("{{ china_share_2023h1.value }}")) == fact.value
    assert facts.fill("no braces here") == "no braces here"
    assert facts._escape_dollars("US$5 and \\$6") == "US\\$5 and \\$6"


def test_an_unknown_name_is_reported_with_file_and_line():
    with pytest.raises(ContentError) as err:
        facts.fill("line one\nline two {{ no_such_fact }}", file="x.md")
    (problem,) = err.value.problems
    assert (problem.file, problem.line) == ("x.md", 2)
    assert "no_such_fact" in problem.reason


def test_a_bad_definition_is_reported(tmp_path, monkeypatch):
    data = tmp_path / "data"
    shutil.copytree(paths.DATA, data)
    sidecar = data / "risks_russia_imports_by_partner.toml"
    sidecar.write_text(sidecar.read_text(encoding="utf-8")
                       + '\n[facts.too_many]\nwhere = { partner = "China" }\nformat = "{value}"\n',
                       encoding="utf-8")
    monkeypatch.setattr(paths, "DATA", data)
    reasons = [p.reason for p in facts.validate()]
    assert any("too_many" in r and "exactly one" in r for r in reasons), reasons


def test_one_data_edit_changes_every_text(tmp_path, monkeypatch):
    from coursekit.tools import build
    from coursekit.quizzes import checks

    before = facts.all_facts()[SHARE]
    data = tmp_path / "data"
    shutil.copytree(paths.DATA, data)
    csv = data / f"{before.dataset}.csv"
    old_line = next(line for line in csv.read_text(encoding="utf-8").splitlines()
                    if line.startswith("2023-H1,") and ",China," in line)
    csv.write_text(csv.read_text(encoding="utf-8").replace(old_line, old_line.replace(",42,", ",43,")),
                   encoding="utf-8")
    monkeypatch.setattr(paths, "DATA", data)
    assert facts.all_facts()[SHARE].text == "43%"

    lesson = build.read_source(build.Source(paths.CONTENT / "lessons" / "06_risks.md", "lesson"))
    solution = build.read_source(build.Source(paths.CONTENT / "solutions" / "06_risks.md", "solution"))
    prose = "\n".join(c.source for nb in (lesson, solution) for c in nb.cells
                      if c.cell_type == "markdown")
    bank = quizbank.read_bank(paths.QUIZZES / "06_risks.toml")[0]
    bank_text = "\n".join(str(q) for q in bank.questions)
    spec = "\n".join(str(e) for e in checks.load_specs(paths.EXERCISES_SPEC)[0].values()
                     if e.id.startswith("06."))
    for name, text in (("lesson and solution", prose), ("quiz bank", bank_text), ("exercise spec", spec)):
        assert "43%" in text, f"the {name} does not show the edited figure"
        assert "42%" not in text, f"the {name} still shows the old figure"
