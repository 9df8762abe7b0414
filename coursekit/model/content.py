"""The course's content as data: the one module notebooks and tools import to read it.

    from coursekit import content
    trade = content.load_dataset("trade_russia_china")   # assets/data/*.csv + sidecar
    content.cite("S64", "S67")                            # "Sources: ..."
    content.further_reading("S1", "S4")                   # a lesson's reading list
    content.load_claims(), content.load_sources(), content.load_misconceptions()

Each kind of record lives in its own module, which documents its file format:
- coursekit.model.sources         assets/sources.toml (the bibliography) and citing
- coursekit.model.claims          assets/claims.toml (the claim ledger) and article quotes
- coursekit.model.misconceptions  assets/misconceptions.toml
- coursekit.model.datasets        assets/data/NAME.csv with its sidecar NAME.toml

Two layers throughout: `read_*` functions return (records, problems) and never raise for content
mistakes (`validate_all`, used by `python -m coursekit check` and the tests, reports every
problem with its file, line and reason); `load_*` functions return the records and raise
ContentError listing every problem, so a broken file stops the build instead of showing wrong
data. Only the standard library is imported: the first cell of every notebook imports coursekit.
"""
from __future__ import annotations

from pathlib import Path

from coursekit.model import paths
from coursekit.model.claims import (CLAIM_ID, CLAIM_TYPES, MAX_QUOTE_WORDS, THEMES, UNSET,
                                    VERDICTS, Claim, load_claims, normalise_quote,
                                    quote_problem, read_article, read_claims)
from coursekit.model.datasets import (DATASET_KINDS, EVENT_COLUMNS, OPTIONAL_COLUMN, QUALIFIERS,
                                      VALUE_COLUMNS, Dataset, dataset_names, dataset_paths,
                                      load_dataset, read_dataset)
from coursekit.model.misconceptions import (MISCONCEPTION_ID, Misconception,
                                            load_misconceptions, read_misconceptions)
from coursekit.model.problems import ContentError, Problem, relpath
from coursekit.model.records import SOURCE_ID, is_iso_date
from coursekit.model.sources import (INDEPENDENT_VOICES, KINDS, PUBLISHER_TYPES, QUALITIES, VOICES,
                                     FurtherReading, Source,
                                     bibliography_html, bibliography_markdown, cite,
                                     further_reading, ids_in, load_sources, read_sources)

__all__ = [
    "CLAIM_ID", "CLAIM_TYPES", "DATASET_KINDS", "EVENT_COLUMNS", "KINDS", "MAX_QUOTE_WORDS",
    "MISCONCEPTION_ID", "OPTIONAL_COLUMN", "PUBLISHER_TYPES", "QUALIFIERS", "QUALITIES",
    "SOURCE_ID", "THEMES", "VALUE_COLUMNS", "VERDICTS", "VOICES", "INDEPENDENT_VOICES",
    "Claim", "ContentError", "Dataset", "FurtherReading", "Misconception", "Problem", "Source",
    "bibliography_html", "bibliography_markdown", "cite", "dataset_names", "dataset_paths",
    "further_reading", "ids_in", "is_iso_date", "load_claims", "load_dataset",
    "load_misconceptions", "load_sources", "normalise_quote", "quote_problem", "read_article",
    "read_claims", "read_dataset", "read_misconceptions", "read_sources", "validate_all",
]


def validate_all(assets: Path | None = None, *, article: str | None = UNSET) -> list[Problem]:
    """Every problem in sources.toml, claims.toml, misconceptions.toml, judgements.toml and
    data/*.csv(+toml)."""
    assets = Path(assets) if assets else paths.ASSETS
    problems: list[Problem] = []
    _, found = read_sources(assets / "sources.toml")
    problems += found
    # If the bibliography itself cannot be read, don't flood every reference with "unknown id".
    known = ids_in(assets / "sources.toml")
    _, found = read_claims(assets / "claims.toml", source_ids=known, article=article)
    problems += found
    _, found = read_misconceptions(assets / "misconceptions.toml")
    problems += found
    from coursekit.model import judgements  # the course's judgements: verdicts, readings, ratings

    problems += judgements.validate(assets, known)
    data = assets / "data"
    for csv_path in dataset_paths(data):
        _, found = read_dataset(csv_path, source_ids=known)
        problems += found
    for sidecar in sorted(data.glob("*.toml")):
        if not sidecar.with_suffix(".csv").exists():
            problems.append(Problem(relpath(sidecar), 1,
                                    f"sidecar without a data file {sidecar.stem}.csv"))
    return sorted(set(problems))
