"""`python -m coursekit <command>`: the course's commands (run it without one for the list)."""
from __future__ import annotations

import sys
from importlib import import_module

COMMANDS = {
    "sync": ("coursekit.tools.sync", "write the lesson maps and teacher's pages (--check to verify)"),
    "build": ("coursekit.tools.build", "build the notebooks from content/ (--check to verify)"),
    "new-lesson": ("coursekit.tools.newlesson", "scaffold a lesson: new-lesson NN slug \"Title\""),
    "check": ("coursekit.tools.validate", "validate all content and list every problem"),
    "grade": ("coursekit.teacher.grade", "grade returned exercise notebooks into a CSV"),
    "report": ("coursekit.teacher.report", "misconception report from learners' progress exports"),
    "slides": ("coursekit.teacher.slides", "make slides from a lesson"),
    "links": ("coursekit.teacher.links", "print the Binder and JupyterHub links for your copy of the course"),
    "pack": ("coursekit.teacher.pack", "make the printable teacher pack (answer keys, ledger cards, handouts)"),
    # timing, freshness and the glossary (docs/timing-freshness-glossary.md)
    "timing": ("coursekit.tools.timing", "estimate each lesson's time from the built notebooks"),
    "stale": ("coursekit.tools.stale", "list claims, data and sources by the age of their date"),
    "glossary": ("coursekit.tools.glossary", "check the glossary; write it as a printable page"),
}


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in {"-h", "--help"} or argv[0] not in COMMANDS:
        print("usage: python -m coursekit <command> [options]\n\ncommands:")
        for name, (_, text) in COMMANDS.items():
            print(f"  {name:<10} {text}")
        if argv and argv[0] not in {"-h", "--help"}:
            print(f"\nunknown command {argv[0]!r}")
            return 2
        return 0
    module = import_module(COMMANDS[argv[0]][0])
    return int(module.main(argv[1:]) or 0)


if __name__ == "__main__":
    sys.exit(main())
