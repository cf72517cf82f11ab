"""How an article's facts are written in every output (brief, review page, Markdown review),
so the three never disagree."""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import quote

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


def source_path(source: str, folder: Path) -> str:
    """Where a source file is, seen from the brief's folder (`../inbox/a.txt`): the link from
    the brief and the review, and their text. It starts with ./ or ../, so no file name
    (`javascript:x.txt`) can read as a URL scheme. A run stores sources as absolute paths, so
    this does not depend on where the command was started. A web address stays as it is."""
    if "://" in source:
        return source
    rel = os.path.relpath(os.path.abspath(source), Path(folder).resolve()).replace(os.sep, "/")
    return rel if rel.startswith("../") else "./" + rel


def source_link(source: str, folder: Path) -> str:
    """source_path as a URL (for the review page's href)."""
    return quote(source_path(source, folder))


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def md_escape(text: str) -> str:
    """One line of text that renders literally in CommonMark: no emphasis, links, HTML or
    entities from article text, and no list or heading made by its first character."""
    text = _MD_SPECIAL.sub(r"\\\1", " ".join(text.split())).replace("&", "&amp;")
    text = re.sub(r"^(\d+)([.)])", r"\1\\\2", text)
    return re.sub(r"^([-+=])", r"\\\1", text)
