"""Further reading lists only strong or fair sources (coursekit/tools/reading_lint.py)."""
from __future__ import annotations

from pathlib import Path

from coursekit.tools import reading_lint

LESSON = '''# A lesson

```{code-cell} ipython3
# Further reading is a comment here, not a heading
content.further_reading("S9")
```

## Sources for these exercises

```{code-cell} ipython3
content.further_reading("S2")
```

## Further reading

```{code-cell} ipython3
content.further_reading("S1", "S2", "S404")
```
'''


def test_reports_weak_and_unknown_ids_under_further_reading_only(tmp_path: Path):
    path = tmp_path / "01_x.md"
    path.write_text(LESSON, encoding="utf-8")
    found = reading_lint.lint_files([path], {"S1": "strong", "S2": "weak", "S9": "weak"})
    assert [p.line for p in found] == [17, 17]
    reasons = " | ".join(p.reason for p in found)
    assert "S2, a weak source" in reasons and "S404, which is not in" in reasons
    assert "S9" not in reasons and "S1" not in reasons


def test_the_course_reading_lists_are_strong_or_fair():
    problems = reading_lint.lint_all()
    assert not problems, "\n".join(str(p) for p in problems)
