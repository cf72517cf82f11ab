"""The side-by-side review: every summary checked against its source, in HTML or Markdown.

Built from the day's brief data (`briefs/<date>.json`, which holds each article's paragraphs,
translation, summary, support links and flags), so `summarize review` never loads a model.
The HTML is one self-contained file: no network, no external scripts, fonts or images (a
Content-Security-Policy forbids them), readable on a phone and printable. Jinja2 escapes every
piece of article text, so a page containing `<script>` shows it as text.
"""

from __future__ import annotations

import json
from pathlib import Path

from .article import Article
from .brief import atomic_write, md_escape
from .segmenter import split_sentences

FLAG_LABELS = {
    "figure": "Unverified figure",
    "name": "Name not in the source",
    "unsupported": "No supporting paragraph",
    "untranslated": "Vietnamese left untranslated",
    "restored": "Figure the translator dropped (added in brackets)",
}


class ReviewError(Exception):
    """No brief data to build a review from."""


def load_articles(data_path: Path) -> list[Article]:
    """The articles of a day's brief, in brief order."""
    try:
        data = json.loads(Path(data_path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ReviewError(f"{data_path}: no brief data (run `summarize run` first)") from None
    except (OSError, json.JSONDecodeError) as exc:
        raise ReviewError(f"{data_path}: unreadable brief data ({exc})") from None
    return [Article.from_dict(data["articles"][k]) for k in sorted(data.get("articles", {}))]


def find_brief_data(path: Path) -> Path:
    """The data file for a brief given as `<date>.md`, `<date>.json`, `<date>.review.html`, or a
    folder (its most recent brief)."""
    path = Path(path)
    if path.is_dir():
        candidates = sorted(p for p in path.glob("*.json") if p.stem.count("-") == 2)
        if not candidates:
            raise ReviewError(f"{path}: no briefs in this folder")
        return candidates[-1]
    date = path.name.split(".")[0]
    return path.with_name(f"{date}.json")


def _view(article: Article) -> dict:
    """What the template needs of an article, with paragraph ids for the support links."""
    sentences = split_sentences(article.summary) if article.summary.strip() else []
    support = article.support + [[]] * (len(sentences) - len(article.support))
    english = article.body_en + [""] * (len(article.body) - len(article.body_en))
    captions_en = article.captions_en + [""] * (len(article.captions) - len(article.captions_en))
    return {
        "anchor": article.anchor,
        "headline": article.headline or "Untitled article",
        "title": article.title,
        "outlet": article.outlet or article.credit,
        "published": (article.published or "").replace("T", " "),
        "source": article.source,
        "flags": [{**f, "label": FLAG_LABELS.get(f["kind"], f["kind"])} for f in article.flags],
        "sentences": [
            {"text": s, "rows": [f"{article.anchor}-p{i}" for i in rows], "numbers": [i + 1 for i in rows]}
            for s, rows in zip(sentences, support)
        ],
        "pairs": list(zip(article.body, english)),
        "captions": list(zip(article.captions, captions_en)),
        "dropped": article.dropped,
    }


def render_html(date: str, articles: list[Article]) -> str:
    from jinja2 import Environment, PackageLoader, select_autoescape

    env = Environment(loader=PackageLoader("summarize", "templates"), autoescape=select_autoescape(default=True))
    return env.get_template("review.html.j2").render(date=date, articles=[_view(a) for a in articles])


def _cell(text: str) -> str:
    return md_escape(text).replace("|", "\\|") or " "


def render_markdown(date: str, articles: list[Article]) -> str:
    """The same review as Markdown: paragraph pairs in a two-column table."""
    lines = [f"# Review — {date}", ""]
    for article in articles:
        view = _view(article)
        lines += ["---", "", f"## {md_escape(view['headline'])}", ""]
        facts = [("Vietnamese title", view["title"]), ("Outlet", view["outlet"]), ("Published", view["published"])]
        lines += [f"- **{k}:** {md_escape(v)}" for k, v in facts if v]
        lines += [f"- **Source file:** `{article.source.replace('`', '')}`", ""]
        if view["flags"]:
            lines += [f"**Flags ({len(view['flags'])}):**", ""]
            lines += [f"- ⚠ {f['label']}: {md_escape(f['text'])}" for f in view["flags"]]
            lines.append("")
        lines += ["### Summary", ""]
        for n, sentence in enumerate(view["sentences"], 1):
            refs = ", ".join(f"¶{i}" for i in sentence["numbers"]) or "no supporting paragraph"
            lines.append(f"{n}. {md_escape(sentence['text'])} *({refs})*")
        lines += ["", "### Article", "", "| ¶ | Vietnamese | English |", "|---|---|---|"]
        lines += [f"| {n} | {_cell(vi)} | {_cell(en)} |" for n, (vi, en) in enumerate(view["pairs"], 1)]
        lines += [f"| caption | {_cell(vi)} | {_cell(en)} |" for vi, en in view["captions"]]
        lines += ["", f"<details><summary>Removed by cleaning ({len(article.dropped)} lines)</summary>", ""]
        lines += [f"- {md_escape(line)}" for line in article.dropped]
        lines += ["", "</details>", ""]
    return "\n".join(lines)


def write_review(data_path: Path, fmt: str = "html") -> Path:
    """Write `<date>.review.html` (or `.review.md`) beside the brief data; returns its path."""
    data_path = Path(data_path)
    date = data_path.name.split(".")[0]
    articles = load_articles(data_path)
    if fmt == "md":
        path, text = data_path.with_name(f"{date}.review.md"), render_markdown(date, articles)
    else:
        path, text = data_path.with_name(f"{date}.review.html"), render_html(date, articles)
    atomic_write(path, text)
    return path
