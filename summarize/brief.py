"""Write the daily brief: `briefs/<date>.md`, with its data beside it in `briefs/<date>.json`.

Re-running on the same day merges into that day's brief: articles are keyed by source path,
so a rerun updates an article in place and keeps every article of earlier runs. Both files
are written atomically (temporary file, then rename), so a crash never leaves half a brief.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from pathlib import Path

from . import __version__
from .article import Article

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|~])")


def md_escape(text: str) -> str:
    """One line of text that renders literally in CommonMark: no emphasis, links, HTML or
    entities from article text, and no list or heading made by its first character."""
    text = _MD_SPECIAL.sub(r"\\\1", " ".join(text.split())).replace("&", "&amp;")
    text = re.sub(r"^(\d+)([.)])", r"\1\\\2", text)
    return re.sub(r"^([-+=])", r"\\\1", text)


def _link_target(source: Path, brief_dir: Path) -> str:
    """Relative link from the brief to the source file, in the <...> form that allows spaces."""
    rel = os.path.relpath(source.resolve(), brief_dir.resolve())
    return "<" + rel.replace(os.sep, "/").replace("<", "%3C").replace(">", "%3E") + ">"


def entry(article: Article) -> dict:
    """What the brief keeps of an article."""
    return {
        "source": article.source,
        "headline": article.headline,
        "title": article.title,
        "outlet": article.outlet or article.credit,
        "published": article.published,
        "summary": article.summary,
    }


def atomic_write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def load(data_path: Path) -> dict:
    if data_path.exists():
        try:
            return json.loads(data_path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError):
            pass  # unreadable data file: start the day's brief afresh from this run
    return {"articles": {}, "skipped": {}}


def render(date: str, data: dict, brief_dir: Path) -> str:
    """The Markdown brief for `data` (articles and skipped files, keyed by source path)."""
    articles = [data["articles"][k] for k in sorted(data["articles"])]
    lines = [f"# Daily brief — {date}", ""]
    count = f"{len(articles)} article{'s' if len(articles) != 1 else ''}"
    lines += [f"*{count}, summarized from Vietnamese by summarize {__version__}.*", ""]
    for item in articles:
        source = item["source"]
        lines += ["---", "", f"## {md_escape(item['headline'] or 'Untitled article')}", ""]
        facts = []
        if item.get("outlet"):
            facts.append(f"**Outlet:** {md_escape(item['outlet'])}")
        if item.get("published"):
            facts.append(f"**Published:** {item['published'].replace('T', ' ')}")
        facts.append(f"**Source:** [{md_escape(source)}]({_link_target(Path(source), brief_dir)})")
        lines += [" · ".join(facts), ""]
        if item.get("title"):
            lines += [f"*Original title:* {md_escape(item['title'])}", ""]
        lines += [md_escape(item["summary"]) if item["summary"] else "*No summary could be produced.*", ""]
    if data.get("skipped"):
        lines += ["---", "", "## Skipped", ""]
        for source in sorted(data["skipped"]):
            lines.append(f"- `{source.replace('`', '')}`: {md_escape(data['skipped'][source])}")
        lines.append("")
    return "\n".join(lines)


def write_brief(out_dir: Path, date: str, articles: list[Article], skipped: dict[str, str]) -> Path:
    """Merge this run into the day's brief and write it; returns the Markdown file's path."""
    out_dir = Path(out_dir)
    data_path = out_dir / f"{date}.json"
    data = load(data_path)
    for article in articles:
        data["articles"][article.source] = entry(article)
        data["skipped"].pop(article.source, None)
    for source, reason in skipped.items():
        if source not in data["articles"]:
            data["skipped"][source] = reason
    brief_path = out_dir / f"{date}.md"
    atomic_write(data_path, json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True))
    atomic_write(brief_path, render(date, data, out_dir))
    return brief_path
