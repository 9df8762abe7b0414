"""`python -m coursekit check`: every content problem in the course, with file, line and reason.

Runs each validator of VALIDATORS and lists what they find, sorted:
- coursekit.model.course.validate()          course.toml, the files each lesson owns, unlisted lessons
- coursekit.model.content.validate_all()     sources, claims, misconceptions, data tables
- coursekit.model.facts.check_all()          named facts and every {{ name }} that uses one
- coursekit.tools.lint.lint_all()            lesson sources, teacher's pages and assets
- coursekit.quizzes.bank.validate_all()      quiz banks
- coursekit.quizzes.checks.validate_specs()  exercise specs
- coursekit.tools.stale.check_problems()     claims, datasets and sources 15 months old or more
- coursekit.tools.glossary.validate()        assets/glossary.toml
- coursekit.tools.glossary_lint.lint_all()   a glossary term used before its lesson, unlinked
- coursekit.tools.reading_lint.lint_all()    a weak or unknown source in a Further reading list
"""
from __future__ import annotations

import argparse
import sys
from importlib import import_module
from typing import Callable

from coursekit.model.problems import ContentError, Problem

#: (module, function): each returns a list of Problems.
VALIDATORS = (
    ("coursekit.model.course", "validate"),
    ("coursekit.model.content", "validate_all"),
    ("coursekit.model.facts", "check_all"),
    ("coursekit.tools.lint", "lint_all"),
    ("coursekit.quizzes.bank", "validate_all"),
    ("coursekit.quizzes.checks", "validate_specs"),
    # freshness and the glossary (docs/timing-freshness-glossary.md)
    ("coursekit.tools.stale", "check_problems"),
    ("coursekit.tools.glossary", "validate"),
    ("coursekit.tools.glossary_lint", "lint_all"),
    ("coursekit.tools.reading_lint", "lint_all"),
)


def _run(validator: Callable[[], list[Problem]]) -> list[Problem]:
    try:
        return list(validator())
    except ContentError as exc:  # a file so broken that the validator could not go on
        return list(exc.problems)


def all_problems() -> list[Problem]:
    problems: list[Problem] = []
    for module, function in VALIDATORS:
        problems += _run(getattr(import_module(module), function))
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
