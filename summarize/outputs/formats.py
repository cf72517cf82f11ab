"""How text is made safe and worded for each output format: visible in any of them (`inert`),
literal in Markdown (`md_escape`), counted in words (`plural`). The templates use these as
filters; HTML is escaped by Jinja2 itself."""

from __future__ import annotations

import re
from functools import cache

from ..reading.letters import INVISIBLE

# What breaks a line or drives a terminal, and the invisible characters that reorder or hide
# text (bidi overrides and isolates, zero-width marks): `report\u202efdp.txt` shows as a PDF
CONTROL = re.compile(f"[\x00-\x1f\x7f-\x9f{INVISIBLE}]")
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|~])")


def inert(text: str) -> str:
    """Text that cannot break a line, a heading or a terminal, nor hide or reorder what it
    shows: each control, bidi or invisible character written as its escape (`\\n`, `\\x1b`,
    `\\u202e`). Every output shows names and fields through it."""
    return CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def md_escape(text: str) -> str:
    """One line of text that renders literally in CommonMark: no emphasis, links, HTML or
    entities from article text, and no list or heading made by its first character."""
    text = _MD_SPECIAL.sub(r"\\\1", inert(" ".join(text.split()))).replace("&", "&amp;")
    text = re.sub(r"^(\d+)([.)])", r"\1\\\2", text)
    return re.sub(r"^([-+=])", r"\\\1", text)


def plural(count: int, word: str) -> str:
    """`1 story`, `2 stories`, `3 articles`."""
    if count == 1:
        return f"{count} {word}"
    return f"{count} {word[:-1]}ies" if word.endswith("y") and word[-2:-1] not in "aeiou" else f"{count} {word}s"


def code(text: str) -> str:
    """Text inside a Markdown code span: its backticks dropped."""
    return text.replace("`", "")


def cell(text: str) -> str:
    """Text for a Markdown table cell: literal, its pipes escaped, never empty."""
    return md_escape(text).replace("|", "\\|") or " "


@cache
def template(name: str):
    """A shipped template (summarize/templates): HTML ones escape every value and show it visibly
    (`inert`); Markdown ones (`.md.j2`) write values as given, through the filters above."""
    from jinja2 import Environment, PackageLoader, StrictUndefined

    if name.endswith(".html.j2"):
        env = Environment(loader=PackageLoader("summarize", "templates"), autoescape=True, undefined=StrictUndefined,
                          finalize=lambda value: inert(value) if type(value) is str else value)
    else:
        env = Environment(loader=PackageLoader("summarize", "templates"), autoescape=False, undefined=StrictUndefined,
                          trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters.update(md=md_escape, plural=plural, code=code, cell=cell)
    return env.get_template(name)


@cache
def template_source(name: str) -> str:
    """A template's text (fingerprinted into the pages it makes; read once, not for every page)."""
    env = template(name).environment
    return env.loader.get_source(env, name)[0]


def markdown(name: str, **values: object) -> str:
    """A Markdown template rendered: its blocks each end with a blank line, the file with one newline."""
    return template(name).render(**values).rstrip("\n") + "\n"
