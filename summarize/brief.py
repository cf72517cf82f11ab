"""Write the daily brief: `briefs/<date>.md`, with its data beside it in `briefs/<date>.json`
(every article whole: paragraphs, translation, summary, flags; the review is built from it).

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

from filelock import FileLock

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
    articles = [Article.from_dict(data["articles"][k]) for k in sorted(data["articles"])]
    lines = [f"# Daily brief — {date}", ""]
    count = f"{len(articles)} article{'s' if len(articles) != 1 else ''}"
    lines += [f"*{count}, summarized from Vietnamese by summarize {__version__}.* "
              f"Check any summary against its source in the [side-by-side review]({date}.review.html).", ""]
    for article in articles:
        lines += ["---", "", f"## {md_escape(article.headline or 'Untitled article')}", ""]
        facts = []
        if article.outlet or article.credit:
            facts.append(f"**Outlet:** {md_escape(article.outlet or article.credit)}")
        if article.published:
            facts.append(f"**Published:** {article.published.replace('T', ' ')}")
        facts.append(f"**Source:** [{md_escape(article.source)}]({_link_target(Path(article.source), brief_dir)})")
        flags = len(article.flags)
        facts.append(f"[**Review**]({date}.review.html#{article.anchor}): {flags} flag{'s' if flags != 1 else ''}")
        lines += [" · ".join(facts), ""]
        if article.language == "en":
            lines += ["*English original, summarized without translation.*", ""]
        elif article.title:
            lines += [f"*Original title:* {md_escape(article.title)}", ""]
        lines += [md_escape(article.summary) if article.summary else "*No summary could be produced.*", ""]
        notes = [f for f in article.flags if f["kind"] in ("figure", "name")]
        if notes:
            label = {"figure": "unverified figure", "name": "name not in the source"}
            lines += [f"> ⚠ {label[f['kind']]}: {md_escape(f['text'])}  " for f in notes]
            lines[-1] = lines[-1].rstrip()
            lines.append("")
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
        data["articles"][article.source] = article.to_dict()
        data["skipped"].pop(article.source, None)
    for source, reason in skipped.items():
        if source not in data["articles"]:
            data["skipped"][source] = reason
    brief_path = out_dir / f"{date}.md"
    atomic_write(data_path, json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True))
    atomic_write(brief_path, render(date, data, out_dir))
    return brief_path


def merge_lock(out_dir: Path, date: str) -> FileLock:
    """A lock around a day's load-merge-write, so concurrent runs never lose each other's articles."""
    Path(out_dir).mkdir(parents=True, exist_ok=True)
    return FileLock(Path(out_dir) / f".{date}.lock", timeout=600)
