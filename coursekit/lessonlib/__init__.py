"""Per-lesson computations and explorations (one module a lesson: l01.py ... l07.py)."""
