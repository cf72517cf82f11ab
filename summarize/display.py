"""How an article's facts are written in every output (brief, review page, Markdown review),
so the three never disagree."""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import quote

from .article import Article
from .stories import Story

UNTITLED = "Untitled article"

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|~])")


def headline(article: Article) -> str:
    return article.headline or UNTITLED


def outlet(article: Article) -> str | None:
    """The site the page came from, else the agency the text credits."""
    return article.outlet or article.credit


def published(article: Article) -> str:
    """`2020-10-12 03:14` (ISO 8601 with a space), or '' when the page gives no date."""
    return (article.published or "").replace("T", " ")


def source_path(source: str, folder: Path) -> str:
    """Where a source file is, seen from the brief's folder (`../inbox/a.txt`): the link from
    the brief and the review, and their text. It starts with ./ or ../, so no file name
    (`javascript:x.txt`) can read as a URL scheme. A run stores sources as absolute paths, so
    this does not depend on where the command was started. A web address stays as it is."""
    if "://" in source:
        return source
    rel = os.path.relpath(os.path.abspath(source), Path(folder).resolve()).replace(os.sep, "/")
    return rel if rel.startswith("../") else "./" + rel


def source_link(source: str, folder: Path) -> str:
    """source_path as a URL (for the review page's href)."""
    return quote(source_path(source, folder))


def plural(count: int, word: str) -> str:
    """`1 story`, `2 stories`, `3 articles`."""
    if count == 1:
        return f"{count} {word}"
    return f"{count} {word[:-1]}ies" if word.endswith("y") and word[-2:-1] not in "aeiou" else f"{count} {word}s"


def story_headline(story: Story) -> str:
    return story.headline or UNTITLED.replace("article", "story")


def coverage(story: Story) -> str:
    """How many articles tell the story: `3 articles, 2 copies`."""
    copies = f", {plural(story.copies, 'copy')}" if story.copies else ""
    return f"{plural(len(story.sources), 'article')}{copies}"


def copy_line(copy: Article) -> str:
    """Who published a copy and under what title: `Thanh Niên: “Ông Putin muốn…”`."""
    title = f"“{copy.title}”" if copy.title else ""
    return ": ".join(part for part in (outlet(copy), title) if part) or copy.source.rsplit("/", 1)[-1]


def md_escape(text: str) -> str:
    """One line of text that renders literally in CommonMark: no emphasis, links, HTML or
    entities from article text, and no list or heading made by its first character."""
    text = _MD_SPECIAL.sub(r"\\\1", " ".join(text.split())).replace("&", "&amp;")
    text = re.sub(r"^(\d+)([.)])", r"\1\\\2", text)
    return re.sub(r"^([-+=])", r"\\\1", text)
