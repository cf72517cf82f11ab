"""The side-by-side review: every summary checked against its source, in HTML
(templates/review.html.j2) or Markdown (templates/review.md.j2), rendered from the day's view.

Built from a Day's saved data (`briefs/<date>.json` holds each article's paragraphs, translation,
summary sentences, support links and flags), so `summarize review` never loads a model.
The HTML is one self-contained file: no network, no external scripts, fonts or images (a
Content-Security-Policy forbids them), readable on a phone and printable. Jinja2 escapes every
piece of article text, so a page containing `<script>` shows it as text.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from .. import __version__
from ..hashing import digest_with
from .formats import markdown, template, template_source
from .view import ArticleView, DayView, flag_kinds

HTML = "review.html.j2"


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


def render_html(view: DayView) -> str:
    """The day's review page: every story listed, the top ones in full (Day.review_pages)."""
    return template(HTML).render(date=view.date, overview=view.overview, stories=view.stories, full=view.full,
                                 index=view.index, skipped=view.skipped, home=None, stamp=None)


def html_pages(view: DayView) -> list[Page]:
    """The review page and one page for each story it does not hold in full."""
    pages = [Page(view.folder / view.review_name, None, partial(render_html, view))]
    fingerprint_of = digest_with("review page", __version__, template_source(HTML), view.date)
    for story in view.stories:
        if not story.page:
            continue
        mine = dataclasses.replace(story, number=None, page="")  # a story's rank moves as the day grows; its page need not
        fingerprint = fingerprint_of(mine)  # what the page shows
        render = partial(template(HTML).render, date=view.date, overview=story.coverage, stories=[mine], full=[mine],
                         index={}, skipped=[], home=f"../{view.review_name}", stamp=_stamp(fingerprint))
        pages.append(Page(view.folder / story.review, fingerprint, render))
    return pages


def render_markdown(view: DayView) -> str:
    """The same review as Markdown: story by story, paragraph pairs in a two-column table."""
    return markdown("review.md.j2", **vars(view))


def render_comparison(views: dict[str, DayView], scores: list) -> str:
    """One page with every summarizer's summary of each article side by side, with its flags,
    under the table of flag rates (`eval summaries`); `views`: label -> the day it wrote."""
    found: list[dict[str, ArticleView]] = [{a.key: a for s in v.stories for a in s.articles} for v in views.values()]
    rows = []
    for source in dict.fromkeys(k for articles in found for k in articles):
        cells = [articles.get(source) for articles in found]
        first = next(a for a in cells if a is not None)
        rows.append({"headline": first.headline, "source": first.source.shown, "cells": cells})
    return template("compare.html.j2").render(labels=list(views), scores=scores, kinds=flag_kinds(), rows=rows)
