"""The daily brief in Markdown: an overview of the day's stories, then each story with its
articles (English headline, outlet, date, source and review links, summary, the copies
published elsewhere, unverified figures and names), the index of who and what, and the
files that were skipped."""

from __future__ import annotations

from . import __version__
from .article import Article
from .checks import FLAGS, bullet_points
from .day import TOP_STORIES, Day
from .display import (
    copy_line,
    coverage,
    gone,
    headline,
    markdown_target,
    md_escape,
    outlet,
    overview,
    plural,
    published,
    read_from,
    skipped_markdown,
    source_path,
    story_headline,
    title,
    web_address,
)
from .stories import index


def _link(day: Day, source: str) -> str:
    where = source_path(source, day.folder)
    if gone(source):
        return f"{md_escape(where)} (file gone)"
    return f"[{md_escape(where)}](<{markdown_target(source, day.folder)}>)"


def _article(day: Day, article: Article, heading: str, copies: list[Article], review: str) -> list[str]:
    """One article in full; `review`: the review page that has it."""
    facts = []
    if outlet(article):
        facts.append(f"**Outlet:** {md_escape(outlet(article))}")
    if article.published:
        facts.append(f"**Published:** {published(article)}")
    if url := web_address(article):
        facts.append(f"**Web address:** [{md_escape(url)}](<{url}>)")
    facts.append(f"**Source:** {_link(day, article.source)}")
    facts += [f"{what} from {_link(day, copy)}" for what, copy in read_from(article)]
    facts.append(f"[**Review**]({review}#{article.anchor}): {plural(len(article.flags), 'flag')}")
    lines = [f"{heading} {md_escape(headline(article))}", "", " · ".join(facts), ""]
    if article.language == "en":
        lines += ["*English original, summarized without translation.*", ""]
    elif title(article):
        lines += [f"*Original title:* {md_escape(title(article))}", ""]
    lines += [*summary_markdown(article), ""]
    if copies:
        also = " · ".join(f"{md_escape(copy_line(copy))} ({_link(day, copy.source)})" for copy in copies)
        lines += [f"*Also published by / as:* {also}", ""]
    notes = [f"> ⚠ {FLAGS[f['kind']].note}: {md_escape(f['text'])}" for f in article.flags if FLAGS[f["kind"]].note]
    if notes:
        lines += [note + "  " for note in notes[:-1]] + [notes[-1], ""]
    return lines


def summary_markdown(article: Article) -> list[str]:
    """The summary as Markdown: a paragraph, or a list when it is bullet points."""
    if not article.summary:
        return ["*No summary could be produced.*"]
    if points := bullet_points(article.summary):  # the bullets style: one point a line
        return [f"- {md_escape(point)}" for point in points]
    return [md_escape(article.summary)]


def render(day: Day) -> str:
    """The Markdown brief of a day."""
    originals = day.ordered()
    english = sum(a.language == "en" for a in originals)
    origin = f"from Vietnamese, {english} from English originals," if english else "from Vietnamese"
    lines = [f"# Daily brief — {day.date}", "",
             f"*{plural(len(originals), 'article')}, summarized {origin} by summarize {__version__}.* "
             f"Check any summary against its source in the [side-by-side review]({day.review_path().name}).", ""]
    lines += [f"**{overview(day)}**", ""]
    top, tail = day.stories[:TOP_STORIES], day.stories[TOP_STORIES:]
    for number, story in enumerate(top, 1):
        lines.append(f"{number}. {md_escape(story_headline(story))} — {coverage(story)}")
    if tail:
        lines.append(f"\n…and {plural(len(tail), 'more story')}, one line each under *More stories*.")
    lines.append("")
    copies, pages = day.copies(), day.review_pages()
    for number, story in enumerate(top, 1):
        lines += ["---", ""]
        if len(story.sources) == 1:
            source = story.sources[0]
            lines += _article(day, day.articles[source], f"## {number}.", copies.get(source, []), pages[story.id])
            continue
        lines += [f"## {number}. {md_escape(story_headline(story))}", "", f"*{coverage(story)}*", ""]
        for source in story.sources:
            lines += _article(day, day.articles[source], "###", copies.get(source, []), pages[story.id])
    if tail:
        lines += ["---", "", f"## More stories ({len(tail)})", "",
                  "*The less-covered stories, one line each: headline, coverage, outlet, source and its review.*", ""]
        for number, story in enumerate(tail, TOP_STORIES + 1):
            lead = day.articles[story.sources[0]]
            where = " · ".join(part for part in (md_escape(outlet(lead) or ""), _link(day, lead.source),
                                                 f"[review](<{pages[story.id]}#{story.id}>)") if part)
            lines.append(f"{number}. {md_escape(story_headline(story))} — {coverage(story)} — {where}")
        lines.append("")
    sections = index(day.stories, day.articles)
    if sections:
        lines += ["---", "", "## Index", "", "*Who and what the day's stories mention (story numbers).*", ""]
        entries = [f"**{kind}:** " + " · ".join(f"{md_escape(name)} ({', '.join(map(str, numbers))})"
                                                for name, numbers in names) for kind, names in sections.items()]
        lines += [entry + "  " for entry in entries[:-1]] + [entries[-1], ""]
    lines += skipped_markdown(day)
    return "\n".join(lines)
