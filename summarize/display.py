"""How an article's facts are written in every output (brief, review page, Markdown review),
so the three never disagree."""

from __future__ import annotations

import re

from .article import Article

UNTITLED = "Untitled article"

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|~])")


def headline(article: Article) -> str:
    return article.headline or UNTITLED


def outlet(article: Article) -> str | None:
    """The site the page came from, else the agency the text credits."""
    return article.outlet or article.credit


def published(article: Article) -> str:
    """`2020-10-12 03:14` (ISO 8601 with a space), or '' when the page gives no date."""
    return (article.published or "").replace("T", " ")


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def md_escape(text: str) -> str:
    """One line of text that renders literally in CommonMark: no emphasis, links, HTML or
    entities from article text, and no list or heading made by its first character."""
    text = _MD_SPECIAL.sub(r"\\\1", " ".join(text.split())).replace("&", "&amp;")
    text = re.sub(r"^(\d+)([.)])", r"\1\\\2", text)
    return re.sub(r"^([-+=])", r"\\\1", text)
