"""Each question type's own keys and checks: choices, numbers, orders, categories.

A reader takes one [[question]] record and returns the fields of its Question (choices in file
order; coursekit.quizzes.shuffle puts them in display order), adding a problem for each mistake:
no correct answer, a distractor without a misconception, a wrong answer that would count as
right, two options with the same text, two distractors with the same feedback.
"""
from __future__ import annotations

from typing import Any, Callable

from coursekit.quizzes.numbers import canonical_units, within
from coursekit.quizzes.reader import BankReader, norm
from coursekit.quizzes.records import LETTERS, SCALES, Choice, Item, Wrong
from coursekit.quizzes.shuffle import default_start

#: The keys of each type (name -> required?), besides the keys every question has.
TYPE_KEYS: dict[str, dict[str, bool]] = {
    "single": {"choice": True},
    "multiple": {"choice": True},
    "numeric": {"answer": False, "rel_tol": False, "abs_tol": False, "scale": False, "units": False,
                "unit_label": False, "currency": False, "wrong": False, "misconception": False},
    "order": {"items": True, "start": False, "wrong": False, "misconception": False},
    "categories": {"categories": True, "item": True},
    "reflection": {},
}
_CHOICE_KEYS = {"text": True, "correct": False, "feedback": True, "misconception": False,
                "sources": False}
_NUMERIC_WRONG_KEYS = {"value": True, "feedback": True, "misconception": False, "sources": False,
                       "rel_tol": False, "abs_tol": False}
_ORDER_WRONG_KEYS = {"order": True, "feedback": True, "misconception": False, "sources": False}
_ITEM_KEYS = {"text": True, "category": True, "feedback": True, "misconception": False,
              "sources": False}


def _lettered(r: BankReader, rec: dict[str, Any], key: str, spec: dict[str, bool], label: str,
              where: tuple) -> list[tuple[int, dict[str, Any], str, tuple, str]]:
    """A question's lettered options ([[...choice]] or [[...item]], at most 26), each as
    (index, table, label, place, text), with the checks they share: known keys, a text, and no
    two with the same text."""
    tables = r.tables(rec, key, label, *where)
    if len(tables) > len(LETTERS):
        r.add(f"{label}: at most {len(LETTERS)} {key}s", *where, key)
        tables = tables[: len(LETTERS)]
    out = []
    texts: dict[str, int] = {}
    for j, table in enumerate(tables):
        at = (*where, key, j)
        tl = f"{label}, {key} {LETTERS[j]}"
        r.keys(table, spec, tl, *at)
        text = r.text(table, "text", tl, *at)
        if text and norm(text) in texts:
            r.add(f"{tl}: same text as {key} {LETTERS[texts[norm(text)]]}", *at, "text")
        texts.setdefault(norm(text), j)
        out.append((j, table, tl, at, text))
    return out


def _wrong(r: BankReader, rec: dict[str, Any], noun: str, spec: dict[str, bool], label: str,
           where: tuple) -> list[tuple[dict[str, Any], str, tuple, str, str, tuple[str, ...]]]:
    """A question's anticipated wrong answers ([[...wrong]]), each as (table, label, place,
    feedback, misconception, sources), with the checks they share: known keys, feedback and a
    misconception."""
    out = []
    for j, w in enumerate(r.tables(rec, "wrong", label, *where)):
        ww = (*where, "wrong", j)
        wl = f"{label}, wrong {noun} {j + 1}"
        r.keys(w, spec, wl, *ww)
        out.append((w, wl, ww, r.text(w, "feedback", wl, *ww),
                    r.misconception(w, wl, *ww, required=True), r.source_list(w, wl, *ww)))
    return out


def _choices(r: BankReader, rec: dict[str, Any], label: str, where: tuple, qtype: str) -> dict[str, Any]:
    choices: list[Choice] = []
    for j, c, cl, cw, text in _lettered(r, rec, "choice", _CHOICE_KEYS, label, where):
        correct = r.flag(c, "correct", cl, *cw)
        feedback = r.text(c, "feedback", cl, *cw)
        mis = r.misconception(c, cl, *cw, required=not correct)
        choices.append(Choice(LETTERS[j], text, correct, feedback, mis, r.source_list(c, cl, *cw)))
    n_correct = sum(c.correct for c in choices)
    if "choice" in rec:
        if len(choices) < 2:
            r.add(f"{label}: give at least two choices", *where, "choice")
        if n_correct == 0:
            r.add(f"{label}: no correct answer (mark one choice correct = true)", *where)
        elif qtype == "single" and n_correct > 1:
            r.add(f"{label}: {n_correct} choices are marked correct; a single-choice question has "
                  f"exactly one (use type = \"multiple\" for more)", *where)
        if qtype == "multiple" and choices and n_correct == len(choices):
            r.add(f"{label}: every choice is correct; add at least one distractor", *where)
    return {"choices": tuple(choices)}



def _numeric(r: BankReader, rec: dict[str, Any], label: str, where: tuple, qtype: str) -> dict[str, Any]:
    answer = None
    if "answer" not in rec:
        r.add(f"{label}: no correct answer (key 'answer')", *where)
    else:
        answer = r.number(rec, "answer", label, *where)
    rel, abs_ = r.tolerance(rec, label, *where)
    if answer == 0 and abs_ is None:
        r.add(f"{label}: an answer of 0 needs an absolute tolerance (abs_tol)", *where, "answer")
    scale = rec.get("scale", "one")
    if scale not in SCALES:
        r.add(f"{label}: unknown scale {scale!r} (expected one of: {', '.join(SCALES)})", *where, "scale")
        scale = "one"
    units: frozenset[str] = frozenset()
    names = r.strings(rec, "units", label, *where)
    try:
        units = canonical_units(names)
    except ValueError as exc:
        r.add(f"{label}: {exc}", *where, "units")
    if "percent" in units and scale != "percent":
        r.add(f"{label}: the unit 'percent' only fits scale = \"percent\"", *where, "units")
    if scale == "percent" and units - {"percent"}:
        r.add(f"{label}: a percent question allows only the unit 'percent'", *where, "units")
    unit_label = r.text(rec, "unit_label", label, *where)
    currency = r.flag(rec, "currency", label, *where, default=True)
    mis = r.misconception(rec, label, *where, required=False)
    wrongs: list[Wrong] = []
    for w, wl, ww, feedback, wmis, srcs in _wrong(r, rec, "answer", _NUMERIC_WRONG_KEYS, label,
                                                   where):
        value = r.number(w, "value", wl, *ww) if "value" in w else None
        wrel, wabs = r.tolerance(w, wl, *ww)
        if value is not None and answer is not None and within(value, answer, rel_tol=rel, abs_tol=abs_):
            r.add(f"{wl}: {value:g} counts as correct within the answer's tolerance", *ww, "value")
        wrongs.append(Wrong(feedback, wmis, srcs, value=value, rel_tol=wrel, abs_tol=wabs))
    return {"answer": answer, "rel_tol": rel, "abs_tol": abs_, "scale": scale, "units": units,
            "unit_label": unit_label, "currency": currency, "wrongs": tuple(wrongs), "misconception": mis}


def _permutation(r: BankReader, value: Any, n: int, label: str, *where: Any) -> tuple[int, ...]:
    if not isinstance(value, list) or not all(isinstance(v, int) and not isinstance(v, bool) for v in value) \
            or sorted(value) != list(range(1, n + 1)):
        r.add(f"{label}: must list each item number 1..{n} once, like {list(range(n, 0, -1))}", *where)
        return ()
    return tuple(value)



def _order(r: BankReader, rec: dict[str, Any], label: str, where: tuple, qtype: str) -> dict[str, Any]:
    items = r.strings(rec, "items", label, *where)
    if "items" in rec and len(items) < 2:
        r.add(f"{label}: no correct answer: list at least two items, in the correct order", *where, "items")
    if any(not t for t in items):
        r.add(f"{label}: an item is empty", *where, "items")
    if len({norm(t) for t in items}) != len(items):
        r.add(f"{label}: two items have the same text", *where, "items")
    n = len(items)
    identity = tuple(range(1, n + 1))
    start: tuple[int, ...] = ()
    if "start" in rec:
        start = _permutation(r, rec["start"], n, f"{label}: start", *where, "start")
        if start == identity and n > 1:
            r.add(f"{label}: start shows the items already in the correct order", *where, "start")
    elif n >= 2:
        start = default_start(items)
    mis = r.misconception(rec, label, *where, required=False)
    wrongs: list[Wrong] = []
    for w, wl, ww, feedback, wmis, srcs in _wrong(r, rec, "order", _ORDER_WRONG_KEYS, label, where):
        order = _permutation(r, w.get("order"), n, f"{wl}: order", *ww, "order") if "order" in w else ()
        if order and order == identity:
            r.add(f"{wl}: this is the correct order", *ww, "order")
        wrongs.append(Wrong(feedback, wmis, srcs, order=order))
    return {"items": items, "start": start, "wrongs": tuple(wrongs), "misconception": mis}



def _categories(r: BankReader, rec: dict[str, Any], label: str, where: tuple, qtype: str) -> dict[str, Any]:
    cats = r.strings(rec, "categories", label, *where)
    if "categories" in rec and len(cats) < 2:
        r.add(f"{label}: give at least two categories", *where, "categories")
    if len({norm(c) for c in cats}) != len(cats):
        r.add(f"{label}: two categories have the same name", *where, "categories")
    items: list[Item] = []
    for j, it, il, iw, text in _lettered(r, rec, "item", _ITEM_KEYS, label, where):
        cat = r.text(it, "category", il, *iw)
        if "category" in it and cat and cat not in cats:
            r.add(f"{il}: no correct answer: category {cat!r} is not one of {list(cats)}", *iw, "category")
        feedback = r.text(it, "feedback", il, *iw)
        mis = r.misconception(it, il, *iw, required=True)
        items.append(Item(LETTERS[j], text, cat, feedback, mis, r.source_list(it, il, *iw)))
    if "item" in rec and len(items) < 2:
        r.add(f"{label}: give at least two items to sort", *where, "item")
    return {"categories": cats, "sort_items": tuple(items)}


def check_distinct_feedback(r: BankReader, rec: dict[str, Any], label: str, where: tuple, qtype: str) -> None:
    """Two distractors of one question must not share their feedback: each diagnoses its own
    mistake."""
    key = {"single": "choice", "multiple": "choice", "numeric": "wrong", "order": "wrong",
           "categories": "item"}.get(qtype)
    if not key or not isinstance(rec.get(key), list):
        return
    seen: dict[str, int] = {}
    for j, t in enumerate(rec[key]):
        if not isinstance(t, dict) or t.get("correct") is True:
            continue
        fb = t.get("feedback")
        if not isinstance(fb, str) or not fb.strip():
            continue
        key_text = norm(fb)
        if key_text in seen:
            r.add(f"{label}: two distractors share the same feedback (see line {seen[key_text]}); "
                  f"each should explain its own mistake", *where, key, j, "feedback")
        else:
            seen[key_text] = r.doc.line(*where, key, j, "feedback")



#: The reader of each type: (reader, record, label, place, type) -> the Question's fields.
READERS: dict[str, Callable[..., dict[str, Any]]] = {
    "single": _choices, "multiple": _choices, "numeric": _numeric, "order": _order,
    "categories": _categories, "reflection": lambda *a: {},
}
