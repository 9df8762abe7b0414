"""`python -m coursekit check`: every content problem in the course, with file, line and reason.

Gathers:
- coursekit.model.course.validate()        course.toml, and any course file of an unlisted lesson
- coursekit.model.content.validate_all()   sources, claims, misconceptions, data tables
- coursekit.tools.lint.lint_all()          lesson sources and assets
- coursekit.model.facts.check_all()        named facts and every {{ name }} that uses one
- coursekit.quizzes.bank.validate_all()  quiz banks, where that module exists
- coursekit.quizzes.checks.validate_specs()  exercise specs, where that module exists
- coursekit.tools.stale.check_problems()    claims, datasets and sources 15 months old or more
- coursekit.tools.glossary.validate()       assets/glossary.toml
- coursekit.tools.glossary_lint.lint_all()  a glossary term used before its lesson, unlinked
"""
from __future__ import annotations

import argparse
import importlib
import sys
from typing import Callable

from coursekit.model.problems import ContentError, Problem

# (module, function) pairs that are optional: skipped only while the module does not exist.
OPTIONAL_VALIDATORS = (
    ("coursekit.quizzes.bank", "validate_all"),
    ("coursekit.quizzes.checks", "validate_specs"),
    # freshness and the glossary (docs/timing-freshness-glossary.md)
    ("coursekit.tools.stale", "check_problems"),
    ("coursekit.tools.glossary", "validate"),
    ("coursekit.tools.glossary_lint", "lint_all"),
)


def _optional(module: str, function: str) -> Callable[[], list[Problem]] | None:
    try:
        mod = importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name == module:  # the module itself is missing, not something it imports
            return None
        raise
    return getattr(mod, function)


def _run(validator: Callable[[], list[Problem]]) -> list[Problem]:
    try:
        return list(validator())
    except ContentError as exc:  # a file so broken that the validator could not go on
        return list(exc.problems)


def all_problems() -> list[Problem]:
    from coursekit.model import content
    from coursekit.model import course
    from coursekit.model import facts
    from coursekit.tools import lint

    problems: list[Problem] = []
    problems += _run(course.validate)
    problems += _run(content.validate_all)
    problems += _run(facts.check_all)
    problems += _run(lint.lint_all)
    for module, function in OPTIONAL_VALIDATORS:
        validator = _optional(module, function)
        if validator is not None:
            problems += _run(validator)
    return sorted(set(problems))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m coursekit check",
        description="Validate all course content; print each problem as file:line: reason.")
    parser.parse_args(argv)
    problems = all_problems()
    for p in problems:
        print(p)
    n = len(problems)
    if n:
        print(f"{n} problem{'s' if n != 1 else ''} found.")
        return 1
    print("No problems found.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
