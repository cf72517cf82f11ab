"""The day as every output shows it, computed once: `of(day)` turns a Day into a DayView (the
ordered stories, and for every article each field it is shown with: headline, outlet line,
date, links, flags, anchors, copies, the review page that holds it). The brief, the review
pages, the Markdown review, the e-mail, the webhook and the feed render this view and nothing
else, so no two of them can disagree on a fact. Texts here are plain (control and invisible
characters already escaped where a field is a path); each output escapes them for its format
(formats.py)."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from .. import __version__
from ..archive.threads import Thread
from ..article import Article
from ..checks import FLAGS, bullet_points
from ..day import TOP_STORIES, Day
from ..day.stories import Story, index
from ..reading.letters import fold
from ..reading.metadata import plain
from ..reading.reader import real_folder
from .formats import CONTROL, inert, plural

UNTITLED = "Untitled article"
HEADLINES = 10  # the top stories a delivered message lists (the feed, a webhook)

# How the outputs name an article's fields when they say which copy gave them
FIELD_NAMES = {"title": "headline", "published": "date", "byline": "byline", "outlet": "outlet",
               "url": "web address", "credit": "credit"}


@dataclass(frozen=True)
class FileLink:
    """A file the reader may open, seen from the briefs folder."""

    shown: str  # the path as text (`../inbox/a.txt`), control characters as escapes
    href: str  # the same path as a URL (an HTML href)
    target: str  # as a Markdown `<…>` link destination
    gone: bool  # the file is no longer where the run read it


@dataclass(frozen=True)
class FlagView:
    kind: str
    text: str
    label: str  # as the review page names it
    note: str | None  # as the brief notes it under the summary; None: the review page only


@dataclass(frozen=True)
class CopyView:
    """An article published again elsewhere (or under another title), shown with its original."""

    key: str  # its source, as the day keys it
    line: str  # who published it and under what title
    source: FileLink
    extra: list[str]  # its paragraphs the original lacks


@dataclass(frozen=True)
class ArticleView:
    key: str  # the article's source, as the day keys it
    anchor: str
    headline: str
    title: str | None  # the page's own headline, in its language
    english: bool  # an English original, summarized without translation
    outlet: str | None
    published: str
    url: str | None  # its http(s) web address
    source: FileLink
    read_from: list[tuple[str, FileLink]]  # (`headline and date`, the copy they came from)
    summary: str
    points: list[str]  # the summary as bullet points, when it is a list; else []
    flags: list[FlagView]
    sentences: list[dict]  # the summary's sentences with their supporting paragraphs' ids and numbers
    pairs: list[tuple[str, str]]  # (Vietnamese, English) paragraphs
    captions: list[tuple[str, str]]
    dropped: list[dict]
    copies: list[CopyView]
    review: str  # the review page that holds it, from the briefs folder
    watch: list[str]  # the watchlist entries it matches


@dataclass(frozen=True)
class StoryView:
    id: str
    number: int | None
    headline: str
    coverage: str
    articles: list[ArticleView]
    review: str  # the review page that holds it, from the briefs folder
    page: str  # ... as a link from the day's review page: "" when that page holds it
    thread: Thread | None  # the running story it belongs to, once the archive has earlier days
    day: int  # ... which day of that story today is (1: new)

    @property
    def lead(self) -> ArticleView:
        return self.articles[0]

    @property
    def developing(self) -> bool:
        return self.thread is not None and self.thread.developing


@dataclass(frozen=True)
class Watched:
    """A watchlist entry and the day's articles that match it, with their stories."""

    name: str
    found: list[tuple[StoryView, ArticleView]]


@dataclass(frozen=True)
class IndexEntry:
    name: str
    stories: list[StoryView]


@dataclass(frozen=True)
class DayView:
    folder: Path
    date: str
    version: str
    overview: str  # the day in one line, atop every output
    articles: int  # originals
    english: int  # ... of them English originals
    brief_name: str
    review_name: str
    stories: list[StoryView]
    index: dict[str, list[IndexEntry]]  # section -> names, each with the stories that mention it
    skipped: list[tuple[str, str]]  # (path as shown, reason)
    watchlist: list[Watched]  # the entries matched today, by the first story that matches each
    threads: bool  # whether stories are told new or developing (the archive has earlier days)
    top: list[StoryView] = field(init=False)  # given in full
    more: list[StoryView] = field(init=False)  # one line each

    def __post_init__(self) -> None:
        object.__setattr__(self, "top", self.stories[:TOP_STORIES])
        object.__setattr__(self, "more", self.stories[TOP_STORIES:])

    @property
    def headlines(self) -> list[StoryView]:
        """The stories a delivered message lists, one line each."""
        return self.stories[:HEADLINES]

    @property
    def full(self) -> list[StoryView]:
        """The stories the day's review page holds in full."""
        return [story for story in self.stories if not story.page]


def of(day: Day) -> DayView:
    """The view of a day, every field computed once."""
    copies, pages = day.copies(), day.review_pages()
    here = day.review_path().name
    threads, watch = day.marks.get("threads", {}), day.marks.get("watch", {})
    stories = []
    for number, story in enumerate(day.stories, 1):
        page = pages[story.id]
        articles = [_article(day.articles[s], day.folder, copies.get(s, []), page, watch.get(s, [])) for s in story.sources]
        thread = Thread.from_dict(threads[story.id]) if story.id in threads else None
        stories.append(StoryView(story.id, number, story_headline(story), coverage(story), articles, page,
                                 "" if page == here else page, thread, thread.day(day.date) if thread else 1))
    index_view = {kind: [IndexEntry(name, [stories[n - 1] for n in numbers]) for name, numbers in names]
                  for kind, names in index(day.stories, day.articles).items()}
    originals = [a for story in stories for a in story.articles]
    skipped = [(file_link(source, day.folder).shown, day.skipped[source]) for source in sorted(day.skipped)]
    return DayView(day.folder, day.date, __version__, overview(day), len(originals), sum(a.english for a in originals),
                   day.brief_path.name, here, stories, index_view, skipped, _watched(stories, watch), bool(threads))


def _watched(stories: list[StoryView], watch: dict[str, list[str]]) -> list[Watched]:
    """Each watchlist entry matched today, with the originals that match it (a copy's match
    shows as its original's)."""
    found: dict[str, list[tuple[StoryView, ArticleView]]] = {}
    for story in stories:
        for article in story.articles:
            names = list(dict.fromkeys(article.watch + [n for c in article.copies for n in watch.get(c.key, [])]))
            for name in names:
                found.setdefault(name, []).append((story, article))
    return [Watched(name, hits) for name, hits in found.items()]  # in the order of the stories that first match


def _article(article: Article, folder: Path, copies: list[Article], review: str, watch: list[str]) -> ArticleView:
    sentences = article.sentences
    support = article.support + [[]] * (len(sentences) - len(article.support))
    english = article.body_en + [""] * (len(article.body) - len(article.body_en))
    captions_en = article.captions_en + [""] * (len(article.captions) - len(article.captions_en))
    return ArticleView(
        key=article.source,
        anchor=article.anchor,
        headline=headline(article),
        title=title(article),
        english=article.language == "en",
        outlet=outlet(article),
        published=published(article),
        url=web_address(article),
        source=file_link(article.source, folder),
        read_from=[(what, file_link(copy, folder)) for what, copy in read_from(article)],
        summary=article.summary,
        points=bullet_points(article.summary),
        flags=flags(article),
        sentences=[{"text": s, "rows": [f"{article.anchor}-p{i}" for i in rows], "numbers": [i + 1 for i in rows]}
                   for s, rows in zip(sentences, support)],
        pairs=list(zip(article.body, english)),
        captions=list(zip(article.captions, captions_en)),
        dropped=article.dropped,
        copies=[CopyView(c.source, copy_line(c), file_link(c.source, folder), c.extra) for c in copies],
        review=review,
        watch=watch,
    )


def flags(article: Article) -> list[FlagView]:
    return [FlagView(f["kind"], f["text"], FLAGS[f["kind"]].label, FLAGS[f["kind"]].note) for f in article.flags]


def flag_kinds() -> list[tuple[str, str]]:
    """Every kind of flag with its label, in the checks' order (the comparison page's rows)."""
    return [(kind, flag.label) for kind, flag in FLAGS.items()]


# -- each field, as every output shows it --------------------------------------------------------

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


def web_address(article: Article) -> str | None:
    """The article's own address (declared by its page, or the one it was fetched from), only
    when it is an http(s) one: a link that opens the article where it was published."""
    url = plain(article.url)
    return url if url and re.match(r"^https?://[^\s<>\"]+$", url, re.IGNORECASE) else None


def copy_line(copy: Article) -> str:
    """Who published a copy and under what title: `Thanh Niên: “Ông Putin muốn…”`."""
    title = f"“{plain(copy.title)}”" if plain(copy.title) else ""
    return ": ".join(part for part in (outlet(copy), title) if part) or copy.source.rsplit("/", 1)[-1]


def story_headline(story: Story) -> str:
    return story.headline or UNTITLED.replace("article", "story")


def coverage(story: Story) -> str:
    """How many articles tell the story: `3 articles, 2 copies`."""
    copies = f", {plural(story.copies, 'copy')}" if story.copies else ""
    return f"{plural(len(story.sources), 'article')}{copies}"


def overview(day: Day) -> str:
    """The day in one line, the same at the top of every output."""
    copies = sum(bool(a.copy_of) for a in day.articles.values())
    duplicates = f" ({plural(copies, 'duplicate')})" if copies else ""
    skipped = f"; {plural(len(day.skipped), 'file')} skipped" if day.skipped else ""
    return f"Today: {plural(len(day.stories), 'story')} from {plural(len(day.articles), 'article')}{duplicates}{skipped}."


# -- where a file is ----------------------------------------------------------------------------

def file_link(source: str, folder: Path) -> FileLink:
    """Where a source file is, seen from the brief's folder (`../inbox/a.txt`). It starts with
    ./ or ../, so no file name (`javascript:x.txt`) can read as a URL scheme; control characters
    in a name show as escapes (inert). A run stores sources as absolute paths, so this does not
    depend on where the command was started. A web address stays as it is."""
    where = _relative(source, folder)
    return FileLink(inert(where), quote(where), _UNSAFE_TARGET.sub(lambda m: quote(m.group()), where), gone(source))


def gone(source: str) -> bool:
    """Whether a source file is no longer where the run read it (deleted or moved since): the
    outputs then say so instead of linking nowhere."""
    return "://" not in source and not os.path.lexists(source)


def _relative(source: str, folder: Path) -> str:
    if "://" in source:
        return source
    rel = os.path.relpath(os.path.abspath(source), real_folder(folder)).replace(os.sep, "/")
    return rel if rel.startswith("../") else "./" + rel


# what could end a Markdown <…> link destination or its line, or hide what it shows: percent-encoded
_UNSAFE_TARGET = re.compile(rf"[<>]|{CONTROL.pattern}")
