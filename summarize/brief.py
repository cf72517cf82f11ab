"""The daily brief in Markdown: per article an English headline, outlet, date, source link,
review link and summary, with unverified figures and names noted under it."""

from __future__ import annotations

from . import __version__
from .checks import FLAGS
from .day import Day
from .display import headline, md_escape, outlet, plural, published, source_path


def _article(day: Day, article) -> list[str]:
    review = day.review_path().name
    facts = []
    if outlet(article):
        facts.append(f"**Outlet:** {md_escape(outlet(article))}")
    if article.published:
        facts.append(f"**Published:** {published(article)}")
    where = source_path(article.source, day.folder)
    target = where.replace("<", "%3C").replace(">", "%3E")  # the <...> form allows spaces
    facts.append(f"**Source:** [{md_escape(where)}](<{target}>)")
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
    english = sum(a.language == "en" for a in articles)
    origin = f"from Vietnamese, {english} from English originals," if english else "from Vietnamese"
    lines += [f"*{plural(len(articles), 'article')}, summarized {origin} by summarize {__version__}.* "
              f"Check any summary against its source in the [side-by-side review]({day.review_path().name}).", ""]
    for article in articles:
        lines += _article(day, article)
    if day.skipped:
        lines += ["---", "", "## Skipped", ""]
        for source in sorted(day.skipped):
            where = source_path(source, day.folder).replace("`", "")
            lines.append(f"- `{where}`: {md_escape(day.skipped[source])}")
        lines.append("")
    return "\n".join(lines)
