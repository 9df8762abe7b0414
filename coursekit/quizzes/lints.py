"""Cue lints: patterns in the banks that let a learner score without reading.

Across the banks no letter may hold more than 35% of the single-choice keys, and within a bank the
key may be the longest option in at most 40% of the single-choice questions. A learner who
notices either pattern can score without reading. `read_bank` checks one bank; these run over the
banks that load (`coursekit.quizzes.bank.validate_all`).
"""
from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Iterable

from coursekit.model.problems import Problem, relpath
from coursekit.quizzes.records import Bank, Question

MAX_KEY_LETTER_SHARE = 0.35   # no letter holds more than this share of single-choice keys
MIN_KEYS_FOR_BALANCE = 10     # fewer keys than this cannot show a pattern
MAX_LONGEST_KEY_SHARE = 0.40  # per bank: the key may be the longest option this often at most


def _length(text: str) -> int:
    return len(" ".join(text.replace("`", "").split()))


def key_is_longest(q: Question) -> bool:
    """True when a single-choice question's key is at least as long as every distractor."""
    key = [c for c in q.choices if c.correct]
    others = [_length(c.text) for c in q.choices if not c.correct]
    return bool(key and others) and _length(key[0].text) >= max(others)


def key_letters(banks: Iterable[Bank]) -> Counter:
    """How many single-choice keys each displayed letter holds, over the banks' own questions."""
    return Counter(c.letter for b in banks for q in b.questions if q.type == "single"
                   for c in q.choices if c.correct)


def key_length_problems(bank: Bank) -> list[Problem]:
    """One problem when the key is the longest option in more than 40% of the bank's
    single-choice questions; it names the questions."""
    singles = [q for q in bank.questions if q.type == "single"]
    longest = [q for q in singles if key_is_longest(q)]
    if not singles or len(longest) <= MAX_LONGEST_KEY_SHARE * len(singles):
        return []
    allowed = int(MAX_LONGEST_KEY_SHARE * len(singles))
    names = ", ".join(q.id for q in longest)
    return [Problem(relpath(bank.path), longest[0].line,
                    f"the key is the longest option in {len(longest)} of {len(singles)} single-choice "
                    f"questions ({len(longest) / len(singles):.0%}; at most "
                    f"{MAX_LONGEST_KEY_SHARE:.0%}, here {allowed}): {names}. Shorten the key, or "
                    f"make a distractor as full (a real mistake, with its reason)")]


def key_letter_problems(banks: list[Bank], where: Path) -> list[Problem]:
    """One problem when a letter holds more than 35% of the single-choice keys of `banks`."""
    counts = key_letters(banks)
    total = sum(counts.values())
    if total < MIN_KEYS_FOR_BALANCE:
        return []
    letter, n = max(sorted(counts.items()), key=lambda kv: kv[1])
    if n <= MAX_KEY_LETTER_SHARE * total:
        return []
    spread = ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
    return [Problem(relpath(where), 1,
                    f"letter {letter} holds {n} of {total} single-choice keys ({n / total:.0%}; at "
                    f"most {MAX_KEY_LETTER_SHARE:.0%}); keys by letter: {spread}. Keep the banks "
                    f"shuffled (no `shuffle = false`), and give questions three or more options")]


def cue_problems(banks: list[Bank], where: Path) -> list[Problem]:
    """The cue lints over loaded banks (`where`: the folder, named in a course-wide problem)."""
    problems = key_letter_problems(banks, where)
    for b in banks:
        problems += key_length_problems(b)
    return problems
