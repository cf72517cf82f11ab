"""How an article's facts are written in every output (brief, review page, Markdown review),
so the three never disagree."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from .article import Article
from .letters import INVISIBLE, fold
from .metadata import plain
from .reader import real_folder
from .stories import Story

if TYPE_CHECKING:
    from .day import Day

UNTITLED = "Untitled article"

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|~])")


def headline(article: Article) -> str:
    return article.headline or UNTITLED


def outlet(article: Article) -> str | None:
    """The host the page was published on, and the source it credits when that is another
    one (`cafef.vn, via Market Times`); when the host is unknown, only `via` the credit: a
    source the article credits is not where it was published."""
    site, credit = plain(article.outlet), plain(article.credit)
    if site and credit and not _names_site(credit, site):
        return f"{site}, via {credit}"
    return site or (f"via {credit}" if credit else None)


def _names_site(credit: str, site: str) -> bool:
    """Whether a credit is the site's own name (`PLO` for plo.vn, `Dân trí` for dantri.com.vn)."""
    def letters(text: str) -> str:
        return re.sub(r"[^a-z0-9]", "", fold(text))

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
    """Where a source file is, seen from the brief's folder (`../inbox/a.txt`), as text: the
    brief's and the review's. It starts with ./ or ../, so no file name (`javascript:x.txt`)
    can read as a URL scheme; control characters in a name show as escapes (inert). A run
    stores sources as absolute paths, so this does not depend on where the command was
    started. A web address stays as it is."""
    return inert(_relative(source, folder))


def source_link(source: str, folder: Path) -> str:
    """The same path as a URL (the review page's href and the brief's link target)."""
    return quote(_relative(source, folder))


def web_address(article: Article) -> str | None:
    """The article's own address (declared by its page, or the one it was fetched from), only
    when it is an http(s) one: a link that opens the article where it was published."""
    url = plain(article.url)
    return url if url and re.match(r"^https?://[^\s<>\"]+$", url, re.IGNORECASE) else None


def gone(source: str) -> bool:
    """Whether a source file is no longer where the run read it (deleted or moved since): the
    brief and the review then say so instead of linking nowhere."""
    return "://" not in source and not os.path.lexists(source)


def markdown_target(source: str, folder: Path) -> str:
    """The path as a Markdown link's `<…>` destination: spaces and letters as they are, what
    could end the link or the line percent-encoded."""
    return _UNSAFE_TARGET.sub(lambda m: quote(m.group()), _relative(source, folder))


def _relative(source: str, folder: Path) -> str:
    if "://" in source:
        return source
    rel = os.path.relpath(os.path.abspath(source), real_folder(folder)).replace(os.sep, "/")
    return rel if rel.startswith("../") else "./" + rel



# What breaks a line or drives a terminal, and the invisible characters that reorder or hide
# text (bidi overrides and isolates, zero-width marks): `report\u202efdp.txt` shows as a PDF
_CONTROL = re.compile(f"[\x00-\x1f\x7f-\x9f{INVISIBLE}]")
_UNSAFE_TARGET = re.compile(rf"[<>]|{_CONTROL.pattern}")  # and what ends a Markdown <…> link destination


def inert(text: str) -> str:
    """Text that cannot break a line, a heading or a terminal, nor hide or reorder what it
    shows: each control, bidi or invisible character written as its escape (`\\n`, `\\x1b`,
    `\\u202e`). Every output shows names and fields through it."""
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


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


def skipped_markdown(day: Day) -> list[str]:
    """The *Skipped* section of the brief and the Markdown review (none when nothing was)."""
    if not day.skipped:
        return []
    return ["---", "", "## Skipped", "", *(f"- `{where.replace('`', '')}`: {md_escape(why)}" for where, why in skipped(day)), ""]


def story_headline(story: Story) -> str:
    return story.headline or UNTITLED.replace("article", "story")


def coverage(story: Story) -> str:
    """How many articles tell the story: `3 articles, 2 copies`."""
    copies = f", {plural(story.copies, 'copy')}" if story.copies else ""
    return f"{plural(len(story.sources), 'article')}{copies}"


@dataclass(frozen=True)
class Headline:
    """One of the day's top stories as the delivered outputs list it (the feed, a webhook)."""

    number: int
    headline: str
    coverage: str
    outlet: str | None
    url: str | None  # its lead article's web address, when it has one
    review: str  # its place on the review pages, relative to the briefs folder


def top_stories(day: Day, count: int = 10) -> list[Headline]:
    """The day's first `count` stories, each as one line's facts."""
    pages = day.review_pages()
    found = []
    for number, story in enumerate(day.stories[:count], 1):
        lead = day.articles[story.sources[0]]
        found.append(Headline(number, story_headline(story), coverage(story), outlet(lead), web_address(lead),
                              f"{pages[story.id]}#{story.id}"))
    return found


def copy_line(copy: Article) -> str:
    """Who published a copy and under what title: `Thanh Niên: “Ông Putin muốn…”`."""
    title = f"“{plain(copy.title)}”" if plain(copy.title) else ""
    return ": ".join(part for part in (outlet(copy), title) if part) or copy.source.rsplit("/", 1)[-1]


def md_escape(text: str) -> str:
    """One line of text that renders literally in CommonMark: no emphasis, links, HTML or
    entities from article text, and no list or heading made by its first character."""
    text = _MD_SPECIAL.sub(r"\\\1", inert(" ".join(text.split()))).replace("&", "&amp;")
    text = re.sub(r"^(\d+)([.)])", r"\1\\\2", text)
    return re.sub(r"^([-+=])", r"\\\1", text)
