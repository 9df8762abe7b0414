"""The printable teacher pack: `python -m coursekit pack [--out pack/] [--lesson NN ...] [--no-pdf]`.

Per lesson, from the built notebooks, the quiz banks, the exercise specs and the claim ledger
(coursekit.teacher.packparts):
- `NN_slug-answer-key.html`: a one-page answer key (quiz and exercise answers, each with a
  one-line explanation);
- `NN_slug-ledger-cards.html`: the jigsaw's ledger cards, one per claim the lesson judges;
- `NN_slug-handout.html`: the learner handout: the core path's text, charts and questions, no code.
Each is HTML with print CSS, and a PDF beside it when headless Chromium is available (Playwright
driving Debian's /usr/bin/chromium; nothing is downloaded). `index.html` lists everything.
Without Chromium the HTML files are still written, and the command says how to print them.
"""
from __future__ import annotations

import argparse
import html
import re
import sys
from pathlib import Path

from coursekit.teacher import packparts
from coursekit.model.paths import LESSONS, ROOT

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def lessons(only: list[str] | None = None) -> list[str]:
    stems = sorted(p.stem for p in LESSONS.glob("[0-9][0-9]_*.ipynb"))
    ids = [s[:2] for s in stems]
    return [i for i in ids if not only or i in {o[:2] for o in only}]


def make_html(out: Path, only: list[str] | None = None) -> list[Path]:
    """Write the HTML files; returns them (index last)."""
    out.mkdir(parents=True, exist_ok=True)
    slugs = {p.name[:2]: p.stem for p in LESSONS.glob("[0-9][0-9]_*.ipynb")}
    written: list[Path] = []
    rows = []
    for lesson in lessons(only):
        slug = slugs[lesson]
        items = [("answer key", packparts.answer_key(lesson)),
                 ("ledger cards", packparts.ledger_cards(lesson)),
                 ("handout", packparts.handout(lesson))]
        links = []
        for name, text in items:
            if text is None:
                continue
            path = out / f"{slug}-{name.replace(' ', '-')}.html"
            path.write_text(text, encoding="utf-8")
            written.append(path)
            links.append(f'<a href="{path.name}">{name}</a> (<a href="{path.with_suffix(".pdf").name}">PDF</a>)')
        rows.append(f"<li>Lesson {lesson}, {html.escape(packparts.lesson_title(lesson))}: "
                    + " \u00b7 ".join(links) + "</li>")
    index = out / "index.html"
    index.write_text(packparts.page("Teacher pack", "<h1>Teacher pack: AI Under Sanctions</h1>"
                                    "<p>Print the PDFs, or open an HTML file and print it from the browser "
                                    "(A4; the pages carry their own print layout).</p>"
                                    f"<ul>{''.join(rows)}</ul>"), encoding="utf-8")
    written.append(index)
    return written


def chromium_missing() -> str | None:
    if not CHROMIUM.exists():
        return f"Chromium is not installed at {CHROMIUM} (on Debian: apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (pip install -r requirements-dev.txt)"
    return None


def print_pdfs(files: list[Path], browser=None) -> list[Path]:
    """A PDF beside each HTML file, printed by headless Chromium. `browser` may be an open
    Playwright browser (tests share one); otherwise one is started and closed here."""
    targets = [f for f in files if f.name != "index.html"]
    if browser is None:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            own = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
            try:
                return print_pdfs(targets, own)
            finally:
                own.close()
    pdfs = []
    context = browser.new_context()
    try:
        page = context.new_page()
        page.route(re.compile(r"^https?://"), lambda route: route.abort())
        for path in targets:
            page.goto(path.resolve().as_uri())
            page.wait_for_load_state("load")
            pdf = path.with_suffix(".pdf")
            page.pdf(path=str(pdf), format="A4", print_background=True, prefer_css_page_size=True)
            pdfs.append(pdf)
    finally:
        context.close()
    return pdfs


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m coursekit pack",
        description="Make the printable teacher pack: per lesson a one-page answer key, the jigsaw "
                    "ledger cards and a learner handout, as HTML and PDF.")
    parser.add_argument("--out", type=Path, default=ROOT / "pack", help="folder (default: pack/)")
    parser.add_argument("--lesson", action="append", metavar="NN", help="only this lesson (repeat for more)")
    parser.add_argument("--no-pdf", action="store_true", help="write the HTML files only")
    args = parser.parse_args(argv)
    if args.lesson and any(not re.fullmatch(r"\d\d(_\w+)?", x) for x in args.lesson):
        parser.error("--lesson takes a two-digit lesson id such as 03")
    if not lessons(args.lesson):
        print("no built lesson matches; run python -m coursekit build first")
        return 1
    files = make_html(args.out, args.lesson)
    print(f"Wrote {len(files) - 1} HTML file(s) and an index in {_shown(args.out)}/.")
    if args.no_pdf:
        return 0
    missing = chromium_missing()
    if missing:
        print(f"No PDFs: {missing}. Open the HTML files in a browser and print them (A4).")
        return 0
    pdfs = print_pdfs(files)
    print(f"Printed {len(pdfs)} PDF(s) with headless Chromium. Start with {_shown(files[-1])}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
