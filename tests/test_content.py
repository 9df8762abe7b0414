"""coursekit.model.content and coursekit.tools.validate: the real assets validate cleanly, and each kind of
mistake in tests/fixtures/content/bad is reported with its file, line and reason."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from coursekit.model import content

from coursekit.model import paths

from coursekit.tools import validate
from coursekit.model.problems import ContentError, Problem, relpath

FIXTURES = Path(__file__).parent / "fixtures" / "content"
GOOD = FIXTURES / "good"
BAD = FIXTURES / "bad"
STUB_ARTICLE = (FIXTURES / "article.txt").read_text(encoding="utf-8")
REAL_ARTICLE = content.read_article()
needs_article = pytest.mark.skipif(
    REAL_ARTICLE is None,
    reason=f"the article is not present at {paths.article_path()} (it is never copied into the repository)")


# ----------------------------------------------------------------------------------------------
# The real assets
# ----------------------------------------------------------------------------------------------
def test_real_assets_have_no_problems():
    problems = content.validate_all()
    assert problems == [], "\n".join(map(str, problems))


@needs_article
def test_real_claim_quotes_are_exact_substrings_of_the_article():
    claims, problems = content.read_claims(source_ids=content.load_sources(), article=REAL_ARTICLE)
    assert problems == []
    for claim in claims.values():
        assert content.normalise_quote(claim.quote) in content.normalise_quote(REAL_ARTICLE), claim.id
        assert len(claim.quote.split()) < content.MAX_QUOTE_WORDS, claim.id


def test_bibliography_holds_every_fact_sheet_source():
    sources = content.load_sources()
    for n in range(1, 104):
        assert f"S{n}" in sources
    extra = [sid for sid in sources if not re.match(r"^S([1-9]|[1-9][0-9]|10[0-3])$", sid)]
    assert all(sid.startswith("X") for sid in extra)


def test_state_media_and_relays_are_marked():
    sources = content.load_sources()
    for sid in ("S17", "S19", "S48", "S51", "S52", "S58", "S78", "S89"):
        assert sources[sid].publisher_type == "state media", sid
        assert sources[sid].stance, sid
    assert sources["S37"].relay_of == "Associated Press"
    assert sources["S11"].relay_of == "Harvard Business Review"
    assert sources["S15"].relay_of.startswith("CSET")


def test_claims_cover_the_article_and_use_fact_sheet_verdicts():
    claims = content.load_claims()
    assert 15 <= len(claims) <= 30
    by_start = {c.quote[:30]: c for c in claims.values()}
    assert by_start["China pledging over $150 billi"].verdict == "misleading"
    assert {c.theme for c in claims.values()} == set(content.THEMES)
    for claim in claims.values():
        if claim.verdict != "pending":
            assert claim.reason and claim.evidence


def test_every_dataset_loads_with_numeric_values_and_known_sources():
    sources = content.load_sources()
    names = content.dataset_names()
    assert set(names) >= {
        "trade_russia_china", "china_ai_plan_targets", "russia_ai_strategy_targets",
        "private_ai_investment", "genai_patents", "notable_ai_models", "sanctions_timeline",
        "china_share_russia_tech_imports"}
    for name in names:
        data = content.load_dataset(name)
        assert len(data) > 0
        assert content.is_iso_date(data.as_of)
        for row in data:
            assert all(sid in sources for sid in row["source_ids"])
            if data.kind == "values":
                assert isinstance(row["value"], float)


def test_dataset_helpers():
    trade = content.load_dataset("trade_russia_china")
    totals = trade.filter(measure="total_trade", reporter="China customs")
    assert totals.column("year") == [2021, 2022, 2023, 2024, 2025]
    assert trade.value(year=2024, measure="total_trade", reporter="China customs") == pytest.approx(244.81)
    assert trade.filter(year="2024").rows == trade.filter(year=2024).rows
    assert len(trade.filter(year=[2021, 2022], measure="total_trade")) == 2
    assert trade.meta["units"] and trade.title
    assert "S67" in trade.source_ids()
    with pytest.raises(KeyError):
        trade.filter(colour="red")
    with pytest.raises(KeyError):
        trade.one(measure="total_trade")  # several rows match
    events = content.load_dataset("sanctions_timeline")
    assert events.kind == "events"
    assert "2022-02-24" in events.column("date")


def test_cite_and_bibliography():
    assert content.cite("S67") == "Source: bne IntelliNews, 2025 (S67)."
    assert content.cite("S37;S38", "S37") == (
        "Sources: Associated Press via exbulletin, 2024 (S37); Export Compliance Daily, 2024 (S38).")
    assert content.cite(("S67", "S66")).startswith("Sources: bne IntelliNews")
    with pytest.raises(KeyError, match="S999"):
        content.cite("S999")
    html = content.bibliography_html(["S3", "S14"])
    assert html == content.bibliography_html(["S3", "S14"])  # deterministic
    assert html.count("<li") == 2 and 'href="http://en.people.cn/' in html
    assert "People&#x27;s Daily Online" in html  # escaped
    md = content.bibliography_markdown(["S14"])
    assert md.startswith("- ai.gov.ru") and "](https://ai.gov.ru/en/strategy/national-ai-strategy/)" in md
    reading = content.further_reading("S3", "S14")
    assert reading._repr_html_() == html and "S14" in repr(reading)


def test_import_is_cheap():
    code = ("import sys, coursekit.model.content, coursekit.tools.lint, coursekit.tools.validate; "
            "bad = [m for m in ('pandas', 'numpy', 'matplotlib', 'ipywidgets') if m in sys.modules]; "
            "print(bad)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=paths.ROOT)
    assert out.stdout.strip() == "[]"


# ----------------------------------------------------------------------------------------------
# Fixtures: a clean folder, and one of each mistake
# ----------------------------------------------------------------------------------------------
def test_good_fixture_has_no_problems():
    assert content.validate_all(GOOD, article=STUB_ARTICLE) == []
    data, problems = content.read_dataset(GOOD / "data" / "bridge_costs.csv", source_ids={"S1", "X1"})
    assert problems == [] and data is not None
    assert data.rows[0] == {"year": 2024, "item": "estimate", "value": 4.0, "unit": "EUR m",
                            "qualifier": "about", "source_ids": ("S1", "X1"), "as_of": "2026-11-25",
                            "note": ""}
    assert data.rows[1]["note"] == "Revised, with a comma in the note"


# Tagged lines in the TOML fixtures: "# E:<tag>" marks the line where the problem must be reported.
TOML_EXPECTED = {
    "sources.toml": {
        "duplicate-id": "duplicate source id 'S1' (first at line 3)",
        "malformed-date": "malformed date '15 Jan 2024'",
        "unknown-kind": "unknown kind 'primry'",
        "unknown-quality": "unknown quality 'great'",
        "unknown-publisher-type": "unknown publisher_type 'blog'",
        "unknown-voice": "unknown voice 'a blogger'",
        "malformed-accessed": "malformed accessed date '2026-02-30'",
        "missing-publisher": "source S3: missing key 'publisher'",
        "empty-urls": "'urls' must be a non-empty list",
        "unknown-key": "unknown key 'publsher'",
        "malformed-id": "malformed id 'Source 4'",
        "malformed-url": "malformed URL 'example.org/no-scheme'",
        "same-page": "source S5: the page http://www.example.org/a/ is already source S1",
    },
    "judgements.toml": {
        "risk-likelihood": "likelihood must be a whole number from 1 to 5",
        "risk-basis": "unknown basis 'guess'",
        "risk-unknown-id": "why cites unknown source id 'S99'",
    },
    "claims.toml": {
        "quote-not-in-article": "claim C01: quote is not an exact substring of the article",
        "unknown-verdict": "unknown verdict 'true'",
        "unknown-evidence-id": "unknown source id 'S99' in evidence",
        "quote-too-long": "quote has 25 words; article quotes must be under 25 words",
        "unknown-type": "unknown type 'opinion'",
        "unknown-lesson": "unknown lesson '5'",
        "verdict-needs-reason": "verdict 'supported' needs a reason",
        "malformed-as-of": "malformed as_of 'yesterday'",
        "missing-theme": "missing key 'theme'",
        "duplicate-claim-id": "duplicate claim id 'C01' (first at line 3)",
    },
    "misconceptions.toml": {
        "duplicate-misconception-id": "duplicate misconception id 'cost-as-spent'",
        "unknown-misconception-lesson": "unknown lesson '9'",
        "missing-remedy": "missing key 'remedy'",
        "malformed-misconception-id": "malformed id 'Bad_Id'",
    },
    "data/bad_sidecar.toml": {
        "sidecar-missing-licence": "sidecar: missing key 'licence'",
        "sidecar-unknown-kind": "sidecar: unknown kind 'table'",
    },
}

CSV_EXPECTED = [
    ("data/values.csv", 3, "value '~40%' is not a number"),
    ("data/values.csv", 4, "unknown source id 'S99' in source_ids"),
    ("data/values.csv", 5, "source_ids 'S1/S2' must be separated by ';'"),
    ("data/values.csv", 6, "malformed as_of '2024/01/01'"),
    ("data/values.csv", 7, "unknown qualifier 'roughly'"),
    ("data/values.csv", 8, "duplicate row for year=2020, item=good (first at line 2)"),
    ("data/values.csv", 9, "row has 4 fields; the header has 8"),
    ("data/values.csv", 10, "unit 'USD m' is not listed in the sidecar's units"),
    ("data/values.csv", 11, "year 'twenty' is not a whole number"),
    ("data/values.csv", 12, "empty source_ids"),
    ("data/missing_column.csv", 1, "missing column 'unit'"),
    ("data/no_sidecar.csv", 1, "no sidecar no_sidecar.toml beside the CSV"),
    ("data/orphan.toml", 1, "sidecar without a data file orphan.csv"),
    ("data/timeline.csv", 3, "malformed date '2022-02 (late)'"),
    ("data/timeline.csv", 4, "malformed date '2022'"),
]


def _tagged_line(name: str, tag: str) -> int:
    for n, line in enumerate((BAD / name).read_text(encoding="utf-8").splitlines(), start=1):
        if re.search(rf"#\s*E:{re.escape(tag)}\b", line):
            return n
    raise AssertionError(f"no line tagged E:{tag} in {name}")


def _expected() -> list[tuple[str, int, str]]:
    out = [(relpath(BAD / name), _tagged_line(name, tag), reason)
           for name, tags in TOML_EXPECTED.items() for tag, reason in tags.items()]
    out += [(relpath(BAD / name), line, reason) for name, line, reason in CSV_EXPECTED]
    return out


@pytest.fixture(scope="module")
def bad_problems() -> list[Problem]:
    return content.validate_all(BAD, article=STUB_ARTICLE)


@pytest.mark.parametrize("file,line,reason", _expected(), ids=lambda v: str(v))
def test_each_mistake_is_reported_with_file_line_and_reason(bad_problems, file, line, reason):
    hits = [p for p in bad_problems if p.file == file and p.line == line and reason in p.reason]
    assert hits, f"expected {file}:{line}: …{reason}…; got:\n" + "\n".join(map(str, bad_problems))


def test_no_unexpected_problems(bad_problems):
    expected = _expected()
    stray = [p for p in bad_problems
             if not any(p.file == f and p.line == l and r in p.reason for f, l, r in expected)]
    assert stray == []


def test_toml_syntax_error_names_its_line(tmp_path):
    (tmp_path / "sources.toml").write_text('[[source]]\nid = "S1"\ntitle = "unclosed\n', encoding="utf-8")
    sources, problems = content.read_sources(tmp_path / "sources.toml")
    assert sources == {}
    assert len(problems) == 1 and problems[0].line == 3 and "TOML syntax error" in problems[0].reason


def test_quote_check_is_skipped_without_the_article():
    claims, problems = content.read_claims(GOOD / "claims.toml", source_ids={"S1", "X1"}, article=None)
    assert problems == [] and set(claims) == {"C01", "C02"}
    _, problems = content.read_claims(BAD / "claims.toml", source_ids={"S1"}, article=None)
    assert not any("not an exact substring" in p.reason for p in problems)
    assert any("under 25 words" in p.reason for p in problems)  # length needs no article


def test_loaders_raise_content_error_listing_every_problem():
    with pytest.raises(ContentError) as info:
        content.load_sources(BAD / "sources.toml")
    assert len(info.value.problems) >= 10
    with pytest.raises(ContentError):
        content.load_misconceptions(BAD / "misconceptions.toml")
    with pytest.raises(ContentError, match="no dataset 'nonexistent'"):
        content.load_dataset("nonexistent")


# ----------------------------------------------------------------------------------------------
# coursekit.tools.validate
# ----------------------------------------------------------------------------------------------
def test_validate_main_prints_problems_and_fails(monkeypatch, capsys):
    found = [Problem("assets/claims.toml", 4, "claim C01: bad"), Problem("content/x.md", 2, "oops")]
    monkeypatch.setattr(validate, "all_problems", lambda: found)
    assert validate.main([]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out == ["assets/claims.toml:4: claim C01: bad", "content/x.md:2: oops", "2 problems found."]


def test_validate_main_passes_on_clean_content(monkeypatch, capsys):
    monkeypatch.setattr(validate, "all_problems", lambda: [])
    assert validate.main([]) == 0
    assert capsys.readouterr().out.strip() == "No problems found."


def test_all_problems_gathers_every_validator(monkeypatch):
    from coursekit.model import course, facts
    from coursekit.quizzes import bank, checks
    from coursekit.tools import lint

    monkeypatch.setattr(course, "validate", lambda: [Problem("a", 1, "course")])
    monkeypatch.setattr(content, "validate_all", lambda: [Problem("b", 1, "content")])
    monkeypatch.setattr(facts, "check_all", lambda: [])
    monkeypatch.setattr(lint, "lint_all", lambda: [Problem("c", 1, "lint")])
    monkeypatch.setattr(checks, "validate_specs", lambda: [Problem("d", 1, "specs")])

    def broken():
        raise ContentError([Problem("e", 3, "unreadable")])

    monkeypatch.setattr(bank, "validate_all", broken)
    assert [p.reason for p in validate.all_problems()] == [
        "course", "content", "lint", "specs", "unreadable"]
