"""How an article's facts are written in every output (brief, review page, Markdown review),
so the three never disagree."""

from __future__ import annotations

import os
import re
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from .article import Article
from .metadata import plain
from .stories import Story

if TYPE_CHECKING:
    from .day import Day

UNTITLED = "Untitled article"

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|~])")


def headline(article: Article) -> str:
    return article.headline or UNTITLED


def outlet(article: Article) -> str | None:
    """The host the page was published on, and the source it credits when that is another
    one (`cafef.vn, via Market Times`); the credit alone when the host is unknown."""
    site, credit = plain(article.outlet), plain(article.credit)
    if site and credit and not _names_site(credit, site):
        return f"{site}, via {credit}"
    return site or credit


def _names_site(credit: str, site: str) -> bool:
    """Whether a credit is the site's own name (`PLO` for plo.vn, `Dân trí` for dantri.com.vn)."""
    def letters(text: str) -> str:
        text = unicodedata.normalize("NFKD", text.casefold().replace("đ", "d"))
        return re.sub(r"[^a-z0-9]", "", text)

    mine, theirs = letters(credit), letters(site.split(".")[0])
    return bool(mine and theirs) and (mine.startswith(theirs) or theirs.startswith(mine))


def title(article: Article) -> str | None:
    """The page's own headline, in its language, as text."""
    return plain(article.title)


# How the brief names an article's fields when it says which copy gave them
FIELD_NAMES = {"title": "headline", "published": "date", "byline": "byline", "outlet": "outlet",
               "url": "web address", "credit": "credit"}


def read_from(article: Article) -> list[tuple[str, str]]:
    """Which copies the article's fields were taken from: [(`headline and date`, copy's source)]."""
    by_copy: dict[str, list[str]] = {}
    for name, source in article.read_from.items():
        by_copy.setdefault(source, []).append(FIELD_NAMES.get(name, name))
    return [(", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else names[0], source)
            for source, names in sorted(by_copy.items())]


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


def overview(day: Day) -> str:
    """The day in one line, the same at the top of the brief and of both reviews."""
    copies = sum(bool(a.copy_of) for a in day.articles.values())
    duplicates = f" ({plural(copies, 'duplicate')})" if copies else ""
    skipped = f"; {plural(len(day.skipped), 'file')} skipped" if day.skipped else ""
    return f"Today: {plural(len(day.stories), 'story')} from {plural(len(day.articles), 'article')}{duplicates}{skipped}."


def skipped(day: Day) -> list[tuple[str, str]]:
    """The files the day skipped, as paths the reader can find, with the reason."""
    return [(source_path(source, day.folder), day.skipped[source]) for source in sorted(day.skipped)]


def story_headline(story: Story) -> str:
    return story.headline or UNTITLED.replace("article", "story")


def coverage(story: Story) -> str:
    """How many articles tell the story: `3 articles, 2 copies`."""
    copies = f", {plural(story.copies, 'copy')}" if story.copies else ""
    return f"{plural(len(story.sources), 'article')}{copies}"


def copy_line(copy: Article) -> str:
    """Who published a copy and under what title: `Thanh Niên: “Ông Putin muốn…”`."""
    title = f"“{plain(copy.title)}”" if plain(copy.title) else ""
    return ": ".join(part for part in (outlet(copy), title) if part) or copy.source.rsplit("/", 1)[-1]


def md_escape(text: str) -> str:
    """One line of text that renders literally in CommonMark: no emphasis, links, HTML or
    entities from article text, and no list or heading made by its first character."""
    text = _MD_SPECIAL.sub(r"\\\1", " ".join(text.split())).replace("&", "&amp;")
    text = re.sub(r"^(\d+)([.)])", r"\1\\\2", text)
    return re.sub(r"^([-+=])", r"\\\1", text)
