"""Reading a bank's questions and pretests: what every question has (id, prompt,
objectives, explanation, sources, tries), then its type's own keys (coursekit.quizzes.kinds).
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from coursekit.quizzes.catalogue import other_bank
from coursekit.quizzes.kinds import READERS, TYPE_KEYS, check_distinct_feedback
from coursekit.quizzes.reader import BankReader, norm
from coursekit.quizzes.records import (
    FULL_ID, LOCAL_ID, PRETEST_ID, QUESTION_ID, TYPES, Pretest, Question,
)
from coursekit.quizzes.shuffle import shuffled

# Keys: name -> required?
_COMMON_KEYS = {"id": True, "type": True, "prompt": True, "objectives": True, "explanation": True,
                "sources": False, "tries": False, "review": False, "shuffle": False}
_PRETEST_KEYS = {"id": True, "prompt": True, "options": False}


def read_question(r: BankReader, rec: dict[str, Any], i: int, lesson: str, bank_tries: int,
                  local_objectives: set[str], folder: Path, qseen: dict[str, int],
                  assessed: set[str], bank_shuffle: bool = True) -> Question | None:
    """One [[question]] record as a Question (None if it cannot be one), adding its problems.
    `assessed` collects the objectives it names; `qseen` the ids read so far (line numbers)."""
    doc = r.doc
    where = ("question", i)
    label = r.label("question", rec, i)
    qtype = rec.get("type")
    if qtype not in TYPES:
        if "type" in rec:
            r.add(f"{label}: unknown type {qtype!r} (expected one of: {', '.join(TYPES)})", *where, "type")
        else:
            r.add(f"{label}: missing key 'type' (one of: {', '.join(TYPES)})", *where)
        return None
    spec = dict(_COMMON_KEYS)
    spec.update(TYPE_KEYS[qtype])
    if qtype == "reflection":
        spec["objectives"] = spec["explanation"] = False
    r.keys(rec, spec, label, *where)
    qid = r.record_id(rec, QUESTION_ID, "like \"q1\" or \"q2b\"; the progress store counts quiz "
                      "items by these ids", qseen, "question", label, *where)
    prompt = r.text(rec, "prompt", label, *where)
    explanation = r.text(rec, "explanation", label, *where)
    sources = r.source_list(rec, label, *where)
    tries = r.count(rec, "tries", label, *where, default=bank_tries) if "tries" in rec else bank_tries
    review = r.flag(rec, "review", label, *where)

    # objectives: local ids ("o1") or, in review questions, earlier lessons' full ids ("01.o2")
    objectives: list[str] = []
    earlier = False
    for ref in r.strings(rec, "objectives", label, *where):
        m = FULL_ID.match(ref)
        if LOCAL_ID.match(ref):
            if ref not in local_objectives:
                r.add(f"{label}: unknown objective {ref!r} (declared: {', '.join(sorted(local_objectives)) or 'none'})",
                      *where, "objectives")
                continue
            objectives.append(f"{lesson}.{ref}")
        elif m and m.group(1) == lesson:
            if m.group(2) not in local_objectives:
                r.add(f"{label}: unknown objective {ref!r}", *where, "objectives")
                continue
            objectives.append(ref)
        elif m:
            if m.group(1) > lesson:
                r.add(f"{label}: objective {ref!r} is from a later lesson", *where, "objectives")
                continue
            other = other_bank(folder, m.group(1))
            if other is None or m.group(2) not in other[0]:
                r.add(f"{label}: unknown objective {ref!r} (not declared in lesson {m.group(1)}'s bank)",
                      *where, "objectives")
                continue
            if not review:
                r.add(f"{label}: objective {ref!r} is from an earlier lesson; mark the question "
                      f"review = true", *where, "objectives")
            earlier = True
            objectives.append(ref)
        else:
            r.add(f"{label}: malformed objective reference {ref!r} (like \"o1\" or \"01.o2\")",
                  *where, "objectives")
    if qtype != "reflection" and "objectives" in rec and not objectives and \
            not any(p.line == doc.line(*where, "objectives") for p in r.problems):
        r.add(f"{label}: name at least one objective this question assesses", *where, "objectives")
    if review and not earlier and objectives:
        r.add(f"{label}: a review question should name an objective of an earlier lesson, like \"01.o2\"",
              *where, "review")

    if qtype != "reflection":
        assessed.update(objectives)  # even if the question has other problems: no knock-on errors
    fields = READERS[qtype](r, rec, label, where, qtype)
    check_distinct_feedback(r, rec, label, where, qtype)
    shuffle = r.flag(rec, "shuffle", label, *where, default=True) and bank_shuffle
    if qid is None:
        return None
    if shuffle:
        fields = shuffled(fields, qtype, lesson, qid, has_start="start" in rec)
    return Question(id=qid, lesson=lesson, type=qtype, prompt=prompt, objectives=tuple(objectives),
                    explanation=explanation, sources=sources, tries=tries, review=review,
                    line=doc.line(*where), **fields)



def read_pretests(r: BankReader, data: dict[str, Any], lesson: str) -> list[Pretest]:
    """The bank's [[pretest]] records: opening questions whose guess is saved, never graded.
    Options are shown in file order (a pretest's options often run from small to large)."""
    pretests: list[Pretest] = []
    seen: dict[str, int] = {}
    for rec, where, label in r.records(data, "pretest", _PRETEST_KEYS):
        pid = r.record_id(rec, PRETEST_ID, "like \"pre1\"; the progress store counts pretest "
                          "guesses by these ids", seen, "pretest", label, *where)
        prompt = r.text(rec, "prompt", label, *where)
        options = r.strings(rec, "options", label, *where)
        given = rec.get("options")
        if isinstance(given, list) and all(isinstance(o, str) for o in given) and len(options) < 2:
            r.add(f"{label}: give at least two options, or leave out 'options' for a free-text "
                  f"guess", *where, "options")
        if any(not o for o in options):
            r.add(f"{label}: an option is empty", *where, "options")
        if len({norm(o) for o in options}) != len(options):
            r.add(f"{label}: two options have the same text", *where, "options")
        if pid is not None:
            pretests.append(Pretest(pid, lesson, prompt, options, r.doc.line(*where)))
    return pretests
