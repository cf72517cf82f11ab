"""The daily brief in Markdown: per article an English headline, outlet, date, source link,
review link and summary, with unverified figures and names noted under it."""

from __future__ import annotations

import os
from pathlib import Path

from . import __version__
from .checks import FLAGS
from .day import Day
from .display import headline, md_escape, outlet, plural, published


def _link_target(source: Path, brief_dir: Path) -> str:
    """Relative link from the brief to the source file, in the <...> form that allows spaces;
    always starting with ./ or ../, so no file name (`javascript:x.txt`) reads as a URL scheme."""
    rel = os.path.relpath(source.resolve(), brief_dir.resolve()).replace(os.sep, "/")
    rel = rel if rel.startswith("../") else "./" + rel
    return "<" + rel.replace("<", "%3C").replace(">", "%3E") + ">"


def _article(day: Day, article) -> list[str]:
    review = day.review_path().name
    facts = []
    if outlet(article):
        facts.append(f"**Outlet:** {md_escape(outlet(article))}")
    if article.published:
        facts.append(f"**Published:** {published(article)}")
    facts.append(f"**Source:** [{md_escape(article.source)}]({_link_target(Path(article.source), day.folder)})")
    facts.append(f"[**Review**]({review}#{article.anchor}): {plural(len(article.flags), 'flag')}")
    lines = ["---", "", f"## {md_escape(headline(article))}", "", " · ".join(facts), ""]
    if article.language == "en":
        lines += ["*English original, summarized without translation.*", ""]
    elif article.title:
        lines += [f"*Original title:* {md_escape(article.title)}", ""]
    lines += [md_escape(article.summary) if article.summary else "*No summary could be produced.*", ""]
    notes = [f"> ⚠ {FLAGS[f['kind']].note}: {md_escape(f['text'])}" for f in article.flags if FLAGS[f["kind"]].note]
    if notes:
        lines += [note + "  " for note in notes[:-1]] + [notes[-1], ""]
    return lines


def render(day: Day) -> str:
    """The Markdown brief of a day."""
    articles = day.ordered()
    lines = [f"# Daily brief — {day.date}", ""]
    lines += [f"*{plural(len(articles), 'article')}, summarized from Vietnamese by summarize {__version__}.* "
              f"Check any summary against its source in the [side-by-side review]({day.review_path().name}).", ""]
    for article in articles:
        lines += _article(day, article)
    if day.skipped:
        lines += ["---", "", "## Skipped", ""]
        for source in sorted(day.skipped):
            lines.append(f"- `{source.replace('`', '')}`: {md_escape(day.skipped[source])}")
        lines.append("")
    return "\n".join(lines)
