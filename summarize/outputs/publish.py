"""Writing a day's files: its data, the brief (brief.py) and the review pages (review.py), then
its entry in the folder's feed of briefs (feed.py), all changed together. The day is turned into
its view once (view.py) and every output renders that view.
Day (day.py) owns where they go and what they hold; this writes them, under the day's lock."""

from __future__ import annotations

from pathlib import Path

from ..day import Day, atomic_write, write_together
from . import brief, feed, review
from .view import DayView, of


def save(day: Day) -> None:
    """The data, the brief, the review pages and the feed, changed together or not at all (the caller
    holds the day's lock): a full disk leaves the day's files as they were."""
    day.remove_leftovers()
    view = of(day)
    files = {day.data_path: day.data_text(), day.brief_path: brief.render(view), feed.path(day.folder): feed.render(view)}
    _write_html(day, view, files)


def write_review(day: Day, fmt: str = "html") -> Path:
    """The review pages (html) or the review's Markdown form (md), from the loaded day."""
    with day.lock():
        if fmt == "md":
            atomic_write(day.review_path("md"), review.render_markdown(of(day)))
        else:
            _write_html(day, of(day))
    return day.review_path(fmt)


def _write_html(day: Day, view: DayView, files: dict[Path, str] | None = None) -> None:
    """The review page and the story pages, written together with `files`; a story page
    showing what it showed is kept as it is, and the pages of stories the day no longer has
    are removed."""
    pages = review.html_pages(view)
    write_together({**(files or {}), **{page.path: page.render() for page in pages if not page.current()}})
    wanted = {page.path for page in pages}
    for stale in day.review_folder.glob("s-*.html"):
        if stale not in wanted:
            stale.unlink(missing_ok=True)
