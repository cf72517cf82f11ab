"""The side-by-side review: every summary checked against its source, in HTML or Markdown.

Built from a Day (`briefs/<date>.json` holds each article's paragraphs, translation, summary
sentences, support links and flags), so `summarize review` never loads a model.
The HTML is one self-contained file: no network, no external scripts, fonts or images (a
Content-Security-Policy forbids them), readable on a phone and printable. Jinja2 escapes every
piece of article text, so a page containing `<script>` shows it as text.
"""

from __future__ import annotations

from pathlib import Path

from .article import Article
from .checks import FLAGS
from .day import Day
from .display import headline, md_escape, outlet, published, source_link, source_path


def _view(article: Article, folder: Path) -> dict:
    """What the template needs of an article, with paragraph ids for the support links."""
    sentences = article.sentences
    support = article.support + [[]] * (len(sentences) - len(article.support))
    english = article.body_en + [""] * (len(article.body) - len(article.body_en))
    captions_en = article.captions_en + [""] * (len(article.captions) - len(article.captions_en))
    return {
        "anchor": article.anchor,
        "headline": headline(article),
        "title": article.title,
        "outlet": outlet(article),
        "published": published(article),
        "source": source_path(article.source, folder),
        "source_link": source_link(article.source, folder),
        "flags": [{**f, "label": FLAGS[f["kind"]].label} for f in article.flags],
        "sentences": [
            {"text": s, "rows": [f"{article.anchor}-p{i}" for i in rows], "numbers": [i + 1 for i in rows]}
            for s, rows in zip(sentences, support)
        ],
        "pairs": list(zip(article.body, english)),
        "captions": list(zip(article.captions, captions_en)),
        "dropped": article.dropped,
    }


def render_html(day: Day) -> str:
    from jinja2 import Environment, PackageLoader, select_autoescape

    env = Environment(loader=PackageLoader("summarize", "templates"), autoescape=select_autoescape(default=True))
    return env.get_template("review.html.j2").render(date=day.date, articles=[_view(a, day.folder) for a in day.ordered()])


def _cell(text: str) -> str:
    return md_escape(text).replace("|", "\\|") or " "


def render_markdown(day: Day) -> str:
    """The same review as Markdown: paragraph pairs in a two-column table."""
    lines = [f"# Review — {day.date}", ""]
    for article in day.ordered():
        view = _view(article, day.folder)
        lines += ["---", "", f"## {md_escape(view['headline'])}", ""]
        facts = [("Vietnamese title", view["title"]), ("Outlet", view["outlet"]), ("Published", view["published"])]
        lines += [f"- **{k}:** {md_escape(v)}" for k, v in facts if v]
        lines += [f"- **Source file:** `{view['source'].replace('`', '')}`", ""]
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
