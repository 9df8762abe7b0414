"""The course's judgements live in assets/, where the validators and lints read them:

- declared extra columns of a data table (a sanctions measure's kind, a partnership event's
  reading), with their vocabularies and citation rules (coursekit.model.extracols);
- each source's `voice` (whose account it gives), from a fixed vocabulary, and its `funding` note;
- assets/judgements.toml: verdict meanings, undated evidence readings, risk ratings.

Each rule is shown to catch a mistake, with the file and line a maintainer would need.
"""
from __future__ import annotations

import shutil

import pytest

from coursekit.model import content, judgements, paths
from coursekit.model.citations import cited_ids, citation_problems
from coursekit.model.problems import relpath
from coursekit.tools import lint

SOURCES = content.load_sources()


@pytest.fixture()
def data_copy(tmp_path):
    """A copy of assets/data to break, and a function that validates one of its tables."""
    folder = tmp_path / "data"
    shutil.copytree(paths.DATA, folder)

    def read(name: str):
        return content.read_dataset(folder / f"{name}.csv", source_ids=SOURCES)[1]

    return folder, read


def _edit(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# ----------------------------------------------------------------------------- extra columns
def test_extra_columns_are_read_as_text():
    timeline = content.load_dataset("sanctions_timeline")
    allowed = timeline.meta["allowed"]["kind"]
    assert "kind" in timeline.columns
    assert {r["kind"] for r in timeline.rows} <= set(allowed)
    events = content.load_dataset("partnership_events")
    for row in events.rows:
        assert row["reading"] in events.meta["allowed"]["reading"]
        assert cited_ids(row["reason"]), row["date"]


def test_a_value_outside_the_vocabulary_is_reported_with_its_line(data_copy):
    folder, read = data_copy
    csv = folder / "sanctions_timeline.csv"
    lines = csv.read_text(encoding="utf-8").splitlines()
    line = next(n for n, text in enumerate(lines, start=1) if ",anti-circumvention," in text)
    _edit(csv, lines[line - 1], lines[line - 1].replace(",anti-circumvention,", ",embargo,"))
    problems = read("sanctions_timeline")
    assert [(p.line, "kind 'embargo' is not one of the allowed values" in p.reason)
            for p in problems] == [(line, True)]
    assert problems[0].file == relpath(csv)


def test_a_reading_without_a_citation_or_with_an_unknown_id_is_reported(data_copy):
    folder, read = data_copy
    csv = folder / "partnership_events.csv"
    _edit(csv, "cooperation [S45]. It is", "cooperation. It is")
    _edit(csv, "readout was found.", "readout was found [S999].")
    reasons = sorted(p.reason for p in read("partnership_events"))
    assert any("reason: cites no source" in r for r in reasons), reasons
    assert any("reason: cites unknown source id 'S999'" in r for r in reasons), reasons


def test_a_declared_column_must_be_in_the_csv_and_in_the_declaration(data_copy):
    folder, read = data_copy
    _edit(folder / "sanctions_timeline.toml", 'extra_columns = ["kind"]', 'extra_columns = ["kind", "scope"]')
    assert any("missing column 'scope'" in p.reason for p in read("sanctions_timeline"))
    _edit(folder / "sanctions_timeline.toml", 'extra_columns = ["kind", "scope"]', 'extra_columns = ["actor"]')
    reasons = [p.reason for p in read("sanctions_timeline")]
    assert any("extra column 'actor' is already a column" in r for r in reasons), reasons
    assert any("[allowed] names 'kind', which is neither" in r for r in reasons), reasons


def test_citation_rules():
    assert cited_ids("a [S1; X0304] b [S2–S4]") == ["S1", "X0304", "S2", "S4"]
    assert citation_problems("rose 5% [S1]", {"S1"}) == []
    assert citation_problems("rose 5%", {"S1"}) and citation_problems("no figure", None) == []
    assert citation_problems("no figure", None, required=True)
    assert citation_problems("see [S2]", {"S1"}) == ["cites unknown source id 'S2'"]


# ----------------------------------------------------------------------------- voice
def test_every_source_has_a_voice_from_the_vocabulary():
    assert all(s.voice in content.VOICES for s in SOURCES.values())
    assert set(content.INDEPENDENT_VOICES) < set(content.VOICES)
    # A relay gives the account it records, not its publisher's: a Ukrainian site relaying a
    # Russian newspaper, Russian state media quoting China's Foreign Ministry.
    assert SOURCES["X0304"].voice == "state media (Russia)"
    assert SOURCES["X0701"].voice == "Chinese government"
    assert SOURCES["S10"].voice == "company"  # a government portal summarising McKinsey


def test_funding_notes_cite_and_show_in_the_bibliography():
    noted = [s for s in SOURCES.values() if s.funding]
    assert len(noted) >= 10
    for s in noted:
        assert citation_problems(s.funding, SOURCES, required=True) == [], s.id
    assert "Who is behind it: " + SOURCES["S60"].funding in content.bibliography_markdown(["S60"])


def test_an_unknown_voice_or_an_uncited_funding_note_is_reported(tmp_path):
    path = tmp_path / "sources.toml"
    text = (paths.ASSETS / "sources.toml").read_text(encoding="utf-8")
    text = text.replace('voice = "news media"', 'voice = "a blogger"', 1)
    text = text.replace("Federal Chancellery's budget [X0901].", "Federal Chancellery's budget.", 1)
    path.write_text(text, encoding="utf-8")
    _, problems = content.read_sources(path)
    lines = text.splitlines()
    voice_line = lines.index('voice = "a blogger"') + 1
    assert any(p.line == voice_line and "unknown voice 'a blogger'" in p.reason for p in problems)
    assert any("funding cites no source" in p.reason for p in problems)


# ----------------------------------------------------------------------------- judgements.toml
def test_judgements_load_with_facts_filled_and_every_verdict_explained():
    j = judgements.load()
    assert list(j.verdicts) == list(content.VERDICTS)
    trade = content.load_dataset("trade_russia_china")
    total_2024 = trade.value(year=2024, reporter="China customs", measure="total_trade")
    growth = next(e for e in j.evidence if e["key"] == "trade-growth")
    assert f"US${total_2024:.1f}bn" in growth["text"] and "{{" not in growth["text"]
    assert [r.letter for r in j.risks] == sorted(r.letter for r in j.risks)
    assert all(set(r.sources) <= set(SOURCES) for r in j.risks)


def test_a_broken_judgement_is_reported_with_its_line(tmp_path):
    shutil.copytree(paths.ASSETS / "data", tmp_path / "data")
    text = (paths.ASSETS / "judgements.toml").read_text(encoding="utf-8")
    text = text.replace("likelihood = 5", "likelihood = 9", 1).replace('reading = "neutral"', 'reading = "maybe"', 1)
    (tmp_path / "judgements.toml").write_text(text, encoding="utf-8")
    problems = judgements.validate(tmp_path, SOURCES)
    lines = text.splitlines()
    assert {(p.line, p.reason.split(": ", 1)[1][:20]) for p in problems} == {
        (lines.index("likelihood = 9") + 1, "likelihood must be a"),
        (lines.index('reading = "maybe"') + 1, "reading 'maybe' is n"),
    }


# ----------------------------------------------------------------------------- the lints read them
def test_the_lints_read_every_asset_text_a_learner_sees():
    targets = {relpath(p) for p in lint.lint_targets()}
    for name in ("assets/judgements.toml", "assets/sources.toml", "assets/data/partnership_events.csv",
                 "assets/data/sanctions_timeline.csv"):
        assert name in targets, name


def test_copied_article_words_in_a_reading_are_caught(tmp_path):
    article = content.read_article()
    if article is None:
        pytest.skip("the article is not in this copy of the course")
    words = " ".join(article.split()[40:52])
    csv = tmp_path / "partnership_events.csv"
    text = (paths.DATA / "partnership_events.csv").read_text(encoding="utf-8")
    csv.write_text(text.replace("It is a statement of intent", words, 1), encoding="utf-8")
    found = lint.lint_paths([csv], source_ids=SOURCES)
    assert any("consecutive words copied from the article" in p.reason for p in found)
