"""Lesson Markdown to HTML for paper and slides, with no TeX left over.

Used by `coursekit.teacher.slides` and `coursekit.teacher.pack`. The built lessons are MyST Markdown: CommonMark
with tables, HTML comments for lint markers (`<!-- nocite: ... -->`), and a few formulas written
between dollar signs (`\\$V_0\\$`, `\\$(V_n / V_0)^{1/n} - 1\\$`). Neither a slide deck opened
offline nor a printed page can run MathJax, so formulas are written out here as HTML, with
`<sub>`, `<sup>` and Unicode symbols: nothing to download and no raw TeX on screen or paper.

- `tex_to_html(tex)` handles the subset the course uses (sub- and superscripts, `\\frac`,
  `\\times`, `\\cdot`, `\\approx`, `\\le`, `\\ge`, `\\text`...), and drops the backslash of any
  other command rather than showing it.
- A dollar sign followed by a digit is money ("\\$150 billion"), never a formula.
- `blocks(markdown)` splits Markdown into top-level blocks (heading, paragraph, list, quote,
  table...), each with its HTML and its plain text, and a list's items one by one, so a slide or
  a page can be filled with whole blocks.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from functools import lru_cache

# `\$...\$` or `$...$` on one line; the opener is never followed by a digit or a space (money,
# "$ 5"), the closer never preceded by a space.
_MATH = re.compile(r"(?:\\\$|\$)(?![\d\s$])([^$\n]+?)(?<![\s\\])(?:\\\$|\$)")
_TEXISH = re.compile(r"[_^\\{}]|^[A-Za-z](?:_?\w)?$")
_COMMENT = re.compile(r"<!--.*?-->", re.S)

_SYMBOLS = {
    "times": "\u00d7", "cdot": "\u00b7", "approx": "\u2248", "le": "\u2264", "leq": "\u2264",
    "ge": "\u2265", "geq": "\u2265", "neq": "\u2260", "ne": "\u2260", "pm": "\u00b1",
    "to": "\u2192", "rightarrow": "\u2192", "infty": "\u221e", "sum": "\u2211", "Delta": "\u0394",
    "delta": "\u03b4", "alpha": "\u03b1", "beta": "\u03b2", "sigma": "\u03c3", "mu": "\u03bc",
    "%": "%", "$": "$", ",": "\u2009", ";": " ", "quad": "\u2003", "ldots": "\u2026",
    "dots": "\u2026", "left": "", "right": "",
}


def _group(tex: str, i: int) -> tuple[str, int]:
    """The argument starting at tex[i]: a {...} group or one character; returns (text, next i)."""
    if i >= len(tex):
        return "", i
    if tex[i] == "{":
        depth, j = 1, i + 1
        while j < len(tex) and depth:
            depth += {"{": 1, "}": -1}.get(tex[j], 0)
            j += 1
        return tex[i + 1:j - 1], j
    if tex[i] == "\\":
        m = re.match(r"\\([A-Za-z]+|.)", tex[i:])
        return tex[i:i + m.end()], i + m.end()
    return tex[i], i + 1


def tex_to_html(tex: str) -> str:
    """A formula in the course's TeX subset as HTML text (escaped; only <sub>, <sup> added)."""
    out: list[str] = []
    i = 0
    while i < len(tex):
        ch = tex[i]
        if ch in "_^":
            arg, i = _group(tex, i + 1)
            tag = "sub" if ch == "_" else "sup"
            out.append(f"<{tag}>{tex_to_html(arg)}</{tag}>")
        elif ch == "\\":
            m = re.match(r"\\([A-Za-z]+|.)", tex[i:])
            name = m.group(1)
            i += m.end()
            if name == "frac":
                top, i = _group(tex, i)
                bottom, i = _group(tex, i)
                out.append(f"({tex_to_html(top)})\u2009/\u2009({tex_to_html(bottom)})")
            elif name in ("text", "mathrm", "textrm", "mathit", "operatorname"):
                arg, i = _group(tex, i)
                out.append(html.escape(arg))
            elif name == "sqrt":
                arg, i = _group(tex, i)
                out.append(f"\u221a({tex_to_html(arg)})")
            else:
                out.append(html.escape(_SYMBOLS.get(name, name)))
        elif ch in "{}":
            i += 1
        elif ch == "-":
            out.append("\u2212")
            i += 1
        else:
            out.append(html.escape(ch))
            i += 1
    return "".join(out)


def is_formula(text: str) -> bool:
    return bool(_TEXISH.search(text.strip()))


def protect_math(source: str) -> tuple[str, dict[str, str]]:
    """Replace each formula with a placeholder Markdown leaves alone; returns (text, {key: html})."""
    found: dict[str, str] = {}

    def swap(m: re.Match) -> str:
        if not is_formula(m.group(1)):
            return m.group(0)
        key = f"CKMATH{len(found)}X"
        found[key] = f'<span class="ck-math">{tex_to_html(m.group(1))}</span>'
        return key

    return _MATH.sub(swap, source), found


def plain_math(text: str) -> str:
    """Text with each formula written out in plain Unicode (no tags): for alt text and notes."""
    def swap(m: re.Match) -> str:
        if not is_formula(m.group(1)):
            return m.group(0)
        rendered = tex_to_html(m.group(1))
        rendered = re.sub(r"<sup>(.*?)</sup>", r"^(\1)", rendered)
        rendered = re.sub(r"<sub>(.*?)</sub>", r"\1", rendered)
        return html.unescape(rendered)
    return _MATH.sub(swap, text)


@lru_cache(maxsize=1)
def _md():
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": True}).enable("table")


# The build wraps each amount of money in a span that MathJax skips (coursekit.tools.mdscan.MONEY_HTML);
# paper and slides run no MathJax, so the span goes and "$150" is plain text again.
_MONEY_SPAN = re.compile(r'<span class="tex2jax_ignore mathjax_ignore">(\\\$[\d.,]+)</span>')


def strip_comments(source: str) -> str:
    """The source without HTML comments (lint markers) and without the build's money spans."""
    return _COMMENT.sub("", _MONEY_SPAN.sub(r"\1", source))


def to_html(source: str) -> str:
    """Markdown (with formulas) as HTML."""
    text, maths = protect_math(strip_comments(source))
    out = _md().render(text)
    for key, value in maths.items():
        out = out.replace(key, value)
    return out


def text_of(fragment: str) -> str:
    """The visible text of an HTML fragment, whitespace collapsed."""
    plain = re.sub(r"</?(?:sub|sup|span|strong|em|b|i|a|code|abbr)\b[^>]*>", "", fragment)
    plain = re.sub(r"<[^>]+>", " ", plain)
    return " ".join(html.unescape(plain).split())


@dataclass
class Block:
    """One top-level Markdown block."""

    kind: str  # heading | paragraph | list | quote | table | html | code | rule
    html: str
    text: str
    level: int = 0  # heading level
    items: list[str] = field(default_factory=list)  # a list's items, as <li> HTML
    ordered: bool = False
    source: str = ""


_KINDS = {"heading_open": "heading", "paragraph_open": "paragraph", "bullet_list_open": "list",
          "ordered_list_open": "list", "blockquote_open": "quote", "table_open": "table",
          "html_block": "html", "fence": "code", "code_block": "code", "hr": "rule"}


def blocks(source: str) -> list[Block]:
    """The top-level blocks of a Markdown text, in order, with formulas rendered."""
    text, maths = protect_math(strip_comments(source))
    md = _md()
    tokens = md.parse(text)
    lines = text.splitlines()

    def fill(fragment: str) -> str:
        for key, value in maths.items():
            fragment = fragment.replace(key, value)
        return fragment

    out: list[Block] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        j = i
        if tok.nesting == 1:
            depth = 0
            while True:
                depth += tokens[j].nesting
                if depth == 0:
                    break
                j += 1
        group = tokens[i:j + 1]
        kind = _KINDS.get(tok.type, tok.type)
        rendered = fill(md.renderer.render(group, md.options, {}))
        src = "\n".join(lines[tok.map[0]:tok.map[1]]) if tok.map else ""
        block = Block(kind, rendered, text_of(rendered), source=src)
        if kind == "heading":
            block.level = int(tok.tag[1])
        if kind == "html" and not block.text:
            i = j + 1
            continue
        if kind == "list":
            block.ordered = tok.type == "ordered_list_open"
            k = 1
            while k < len(group) - 1:
                if group[k].type == "list_item_open":
                    depth, m = 0, k
                    while True:
                        depth += group[m].nesting
                        if depth == 0:
                            break
                        m += 1
                    block.items.append(fill(md.renderer.render(group[k:m + 1], md.options, {})))
                    k = m + 1
                else:
                    k += 1
        out.append(block)
        i = j + 1
    return out
