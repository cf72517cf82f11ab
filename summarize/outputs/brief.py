"""The daily brief in Markdown (templates/brief.md.j2): an overview of the day's stories, then
each story with its articles (English headline, outlet, date, source and review links, summary,
the copies published elsewhere, unverified figures and names), the index of who and what, and
the files that were skipped."""

from __future__ import annotations

from .formats import markdown
from .view import DayView


def render(view: DayView) -> str:
    """The Markdown brief of a day."""
    return markdown("brief.md.j2", **vars(view))
