"""The side-by-side review: every summary checked against its source, in HTML or Markdown.

Built from a Day (`briefs/<date>.json` holds each article's paragraphs, translation, summary
sentences, support links and flags), so `summarize review` never loads a model.
The HTML is one self-contained file: no network, no external scripts, fonts or images (a
Content-Security-Policy forbids them), readable on a phone and printable. Jinja2 escapes every
piece of article text, so a page containing `<script>` shows it as text.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, partial
from pathlib import Path

from . import __version__
from .article import Article
from .checks import FLAGS
from .day import Day
from .display import (
    copy_line,
    coverage,
    gone,
    headline,
    inert,
    md_escape,
    outlet,
    overview,
    published,
    read_from,
    skipped,
    skipped_markdown,
    source_link,
    source_path,
    story_headline,
    title,
    web_address,
)
from .hashing import digest
from .stories import index


def _stories(day: Day, pages: dict[str, str] | None = None) -> list[dict]:
    """The day's stories as the templates show them, each with its articles' views and the
    page that holds it (`pages`: story id -> link from the review page; "" for that page)."""
    copies = day.copies()
    return [
        {
            "id": story.id,
            "number": number,
            "headline": story_headline(story),
            "coverage": coverage(story),
            "page": (pages or {}).get(story.id, ""),
            "articles": [_view(day.articles[s], day.folder, copies.get(s, [])) for s in story.sources],
        }
        for number, story in enumerate(day.stories, 1)
    ]


def _index(day: Day, stories: list[dict]) -> dict[str, list[dict]]:
    return {kind: [{"name": name, "stories": [stories[n - 1] for n in numbers]} for name, numbers in names]
            for kind, names in index(day.stories, day.articles).items()}


def _view(article: Article, folder: Path, copies: list[Article]) -> dict:
    """What the template needs of an article, with paragraph ids for the support links."""
    sentences = article.sentences
    support = article.support + [[]] * (len(sentences) - len(article.support))
    english = article.body_en + [""] * (len(article.body) - len(article.body_en))
    captions_en = article.captions_en + [""] * (len(article.captions) - len(article.captions_en))
    return {
        "anchor": article.anchor,
        "headline": headline(article),
        "title": title(article),
        "read_from": [(what, source_path(copy, folder)) for what, copy in read_from(article)],
        "outlet": outlet(article),
        "url": web_address(article),
        "published": published(article),
        "source": source_path(article.source, folder),
        "source_link": source_link(article.source, folder),
        "gone": gone(article.source),
        "flags": [{**f, "label": FLAGS[f["kind"]].label} for f in article.flags],
        "sentences": [
            {"text": s, "rows": [f"{article.anchor}-p{i}" for i in rows], "numbers": [i + 1 for i in rows]}
            for s, rows in zip(sentences, support)
        ],
        "pairs": list(zip(article.body, english)),
        "captions": list(zip(article.captions, captions_en)),
        "dropped": article.dropped,
        "copies": [{"line": copy_line(c), "source": source_path(c.source, folder),
                    "source_link": source_link(c.source, folder), "gone": gone(c.source), "extra": c.extra} for c in copies],
    }


@dataclass
class Page:
    """One review page to write: `key` fingerprints what a story page shows (None: the day's
    review page, written every time), so an unchanged story page is not made again."""

    path: Path
    key: str | None
    render: Callable[[], str]

    def current(self) -> bool:
        """Whether the page on disk already shows what this one would."""
        if self.key is None:
            return False
        try:
            with open(self.path, encoding="utf-8") as handle:
                return _stamp(self.key) in handle.read(4096)
        except (OSError, UnicodeDecodeError):
            return False


def _stamp(key: str) -> str:
    return f'<meta name="summarize-page" content="{key}">'


@cache
def _template(name: str = "review.html.j2"):
    from jinja2 import Environment, PackageLoader, select_autoescape

    env = Environment(loader=PackageLoader("summarize", "templates"), autoescape=select_autoescape(default=True),
                      finalize=lambda value: inert(value) if type(value) is str else value)  # every field shown visibly
    return env.get_template(name)


def render_comparison(days: dict[str, Day], scores: list) -> str:
    """One page with every summarizer's summary of each article side by side, with its flags,
    under the table of flag rates (`eval summaries`); `days`: label -> the day it wrote."""
    labels = list(days)
    sources = list(dict.fromkeys(a.source for day in days.values() for a in day.ordered()))
    rows = []
    for source in sources:
        found = [day.articles.get(source) for day in days.values()]
        first = next(a for a in found if a is not None)
        cells = [{"summary": a.summary, "flags": [{**f, "label": FLAGS[f["kind"]].label} for f in a.flags]} if a else None
                 for a in found]
        rows.append({"headline": headline(first), "source": source_path(source, next(iter(days.values())).folder),
                     "cells": cells})
    kinds = [(kind, flag.label) for kind, flag in FLAGS.items()]
    return _template("compare.html.j2").render(labels=labels, scores=scores, kinds=kinds, rows=rows)


def _pages(day: Day) -> dict[str, str]:
    """Story id -> its page as a link from the review page: "" for the review page itself."""
    here = day.review_path().name
    return {story_id: "" if page == here else page for story_id, page in day.review_pages().items()}


def render_html(day: Day, stories: list[dict] | None = None) -> str:
    """The day's review page: every story listed, the top ones in full (Day.review_pages);
    `stories`: the views of _stories(day, _pages(day)), when made already."""
    stories = stories or _stories(day, _pages(day))
    return _template().render(date=day.date, overview=overview(day), stories=stories,
                              full=[s for s in stories if not s["page"]], index=_index(day, stories),
                              skipped=skipped(day), home=None, stamp=None)


def html_pages(day: Day) -> list[Page]:
    """The review page and one page for each story it does not hold in full."""
    stories = _stories(day, _pages(day))
    pages = [Page(day.review_path(), None, lambda: render_html(day, stories))]
    for story in stories:
        if not story["page"]:
            continue
        mine = {**story, "number": None, "page": ""}  # a story's rank moves as the day grows; its page need not
        key = digest("review page", __version__, _template_source(), day.date, mine)
        render = partial(_template().render, date=day.date, overview=story["coverage"], stories=[mine],
                         full=[mine], index={}, skipped=[], home=f"../{day.review_path().name}", stamp=_stamp(key))
        pages.append(Page(day.folder / story["page"], key, render))
    return pages


@cache
def _template_source() -> str:
    return _template().environment.loader.get_source(_template().environment, "review.html.j2")[0]


def _cell(text: str) -> str:
    return md_escape(text).replace("|", "\\|") or " "


def render_markdown(day: Day) -> str:
    """The same review as Markdown: story by story, paragraph pairs in a two-column table."""
    lines = [f"# Review — {day.date}", "", f"**{overview(day)}**", ""]
    stories = _stories(day)
    for story in stories:
        lines += ["---", "", f"## {story['number']}. {md_escape(story['headline'])} ({story['coverage']})", ""]
        for view in story["articles"]:
            lines += _article_markdown(view)
    sections = _index(day, stories)
    if sections:
        lines += ["---", "", "## Index", ""]
        for kind, names in sections.items():
            entries = (f"{md_escape(e['name'])} ({', '.join(str(s['number']) for s in e['stories'])})" for e in names)
            lines.append(f"- **{kind}:** " + " · ".join(entries))
        lines.append("")
    lines += skipped_markdown(day)
    return "\n".join(lines)


def _article_markdown(view: dict) -> list[str]:
    lines = [f"### {md_escape(view['headline'])}", ""]
    facts = [("Vietnamese title", view["title"]), ("Outlet", view["outlet"]), ("Published", view["published"]),
             ("Web address", view["url"])]
    lines += [f"- **{k}:** {md_escape(v)}" for k, v in facts if v]
    lines += [f"- **Source file:** `{view['source'].replace('`', '')}`" + (" (file gone)" if view["gone"] else "")]
    lines += [f"- **{what.capitalize()} from:** `{copy.replace('`', '')}`" for what, copy in view["read_from"]]
    for copy in view["copies"]:
        lines.append(f"- **Also published by / as:** {md_escape(copy['line'])}, `{copy['source'].replace('`', '')}`")
        lines += [f"  - *Only in this copy:* {md_escape(paragraph)}" for paragraph in copy["extra"]]
    lines.append("")
    if view["flags"]:
        lines += [f"**Flags ({len(view['flags'])}):**", ""]
        lines += [f"- ⚠ {f['label']}: {md_escape(f['text'])}" for f in view["flags"]]
        lines.append("")
    lines += ["#### Summary", ""]
    for n, sentence in enumerate(view["sentences"], 1):
        refs = ", ".join(f"¶{i}" for i in sentence["numbers"]) or "no supporting paragraph"
        lines.append(f"{n}. {md_escape(sentence['text'])} *({refs})*")
    lines += ["", "#### Article", "", "| ¶ | Vietnamese | English |", "|---|---|---|"]
    lines += [f"| {n} | {_cell(vi)} | {_cell(en)} |" for n, (vi, en) in enumerate(view["pairs"], 1)]
    lines += [f"| caption | {_cell(vi)} | {_cell(en)} |" for vi, en in view["captions"]]
    lines += ["", f"<details><summary>Removed by cleaning ({len(view['dropped'])} lines)</summary>", ""]
    lines += [f"- *{line['why']}*: {md_escape(line['text'])}" for line in view["dropped"]]
    lines += ["", "</details>", ""]
    return lines
