"""What a page says about itself: its headline, publication date, byline, address and outlet.

An HTML page declares these for search engines and social sites (JSON-LD `NewsArticle`,
OpenGraph, `<h1>`, the canonical link): trafilatura's metadata extraction reads them, and
htmldate (which it calls) finds the publication date. What is declared beats anything guessed
from the page's lines, so `clean()` puts it over what the line method found. A plain-text dump
declares nothing; for it only the outlet can be guessed here: from the web addresses of the page's
own lines, or from the outlet's name signing its lead ("(Dân trí) - …", data/outlets.yaml).

docs/extraction.md says how each field is chosen and how well it works on real pages.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from urllib.parse import urlsplit

from .letters import fold

# Hosts that serve a page's images, scripts or widgets, or that every page links to: never the
# outlet. A label that starts with one of these words marks a CDN (`cdnchinhphu.vn`,
# `mediacdn.vn`, `static.vnncdn.net`, `i1-vnexpress.vnecdn.net`).
_CDN = re.compile(r"(^|[.-])(cdn|media|static|img|image|images|photo|photos|assets|resources?|i\d+|s\d+)|cdn", re.I)
_PLATFORMS = {
    "facebook.com", "fb.com", "twitter.com", "x.com", "youtube.com", "youtu.be", "google.com", "zalo.me",
    "tiktok.com", "instagram.com", "linkedin.com", "apple.com", "play.google.com", "googletagmanager.com",
    "w3.org", "schema.org", "ogp.me", "gstatic.com", "googleapis.com", "doubleclick.net", "messenger.com",
}
_DOMAIN = re.compile(r"(?<![@\w.-])((?:[a-z0-9][a-z0-9-]{0,40}\.)+"
                     r"(?:com\.vn|net\.vn|org\.vn|gov\.vn|edu\.vn|vn|com|net|org|info|eu|asia|io|news|tv))\b(?!@)", re.I)
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(\.[\w-]+)+")  # from a word start only: linear on a long word
_TAG = re.compile(r"<\s*/?\s*[a-zA-Z][^<>]*(>|$)")
# a declared time as written (`2025-10-22T19:25:52+07:00`): its date and its clock time
_ISO_TIME = re.compile(r"^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})")
# where pages declare their publication time, most specific first
_PUBLISHED_TIME = ('//meta[@property="article:published_time"]/@content',
                   '//meta[@itemprop="datePublished"]/@content', '//*[@itemprop="datePublished"]/@datetime',
                   '//meta[@name="pubdate"]/@content', '//meta[@name="publishdate"]/@content')
# meta tags whose value is often the outlet's bare domain (`dantri.com.vn`)
_SITE_TAGS = ('//meta[@property="og:site_name"]/@content', '//meta[@name="twitter:creator"]/@content',
              '//meta[@name="apple-mobile-web-app-title"]/@content', '//meta[@name="application-name"]/@content',
              '//meta[@name="twitter:site"]/@content', '//meta[@name="twitter:domain"]/@content')
# where pages declare their headline (trafilatura reads the first of them; a page may leave it empty)
_TITLE_TAGS = ('//meta[@property="og:title"]/@content', '//meta[@name="title"]/@content',
               '//meta[@name="twitter:title"]/@content', "//title/text()")
_SITE_SUFFIX = re.compile(r"\s+[|–—]\s+[^|–—]{1,40}$")  # `… | Báo Dân trí` after a <title>
SIMILAR = 0.7  # share of words a visible heading must have in common with the declared title
_BETWEEN = re.compile(r"\s+[-|–—:]\s+")  # between a title and the names after it
_SEPARATED = re.compile(rf"^{_BETWEEN.pattern}\S")  # what follows a heading that a declared title begins with


@dataclass
class Declared:
    """The fields a page declares; None where it declares nothing usable."""

    title: str | None = None
    published: str | None = None  # ISO 8601: a date, with its clock time when the page gives one
    byline: str | None = None
    url: str | None = None
    outlet: str | None = None  # the host the page was published on, without `www.`
    description: str | None = None  # the declared summary (og:description): the lead, when the page shows it

    def fields(self) -> list[str]:
        """The article's fields the page declares (the description is not one: cleaner._keep_lead)."""
        return [name for name in ("title", "published", "byline", "url", "outlet") if getattr(self, name)]


def plain(text: str | None) -> str | None:
    """Text with any markup removed and whitespace folded; None when nothing is left. Every
    field a page gives goes through this, so no brief prints a tag."""
    if not text:
        return None
    text = " ".join(_TAG.sub(" ", text).split())
    return text or None


def host(url: str | None) -> str | None:
    """`dantri.com.vn` from `https://www.dantri.com.vn/x.htm`; None for no host or a CDN's."""
    if not url:
        return None
    try:
        name = urlsplit(url if "//" in url else f"//{url}").hostname
    except ValueError:
        return None
    if not name or "." not in name or name.replace(".", "").isdigit():
        return None
    name = name.lower().removeprefix("www.")
    return None if _not_outlet(name) else name


def _not_outlet(name: str) -> bool:
    return bool(_CDN.search(name.split(".")[0])) or any(name == p or name.endswith("." + p) for p in _PLATFORMS)


def outlet_in_text(lines: Iterable[str]) -> str | None:
    """The outlet of a plain-text page: the web domain its lines name most, leaving out
    e-mail addresses (a footer's `toasoan@tuoitre.com.vn` is not where the page was published)
    and hosts that serve images or widgets."""
    found = Counter()
    for line in lines:
        for name in _DOMAIN.findall(_EMAIL.sub(" ", line)):
            if name := host(name):
                found[name] += 1
    return found.most_common(1)[0][0] if found else None


@cache
def _signatures() -> tuple[re.Pattern, dict[str, str]]:
    """The shipped signatures (data/outlets.yaml) as one pattern for the opening of a lead, and
    each signature's host."""
    from ..config import read_yaml, shipped

    hosts = {str(name): str(host) for name, host in (read_yaml(shipped("outlets.yaml"), "outlets") or {}).items()}
    names = "|".join(map(re.escape, sorted(hosts, key=len, reverse=True)))
    return re.compile(rf"^\s*(?:\(\s*({names})\s*\)|({names}))\s*[-–—]"), hosts  # a signature ends with a dash


def outlet_signed(lead: str | None) -> str | None:
    """The outlet that signs the lead paragraph with its own name ("(Dân trí) - …", "TTO - …"),
    as its host, from the shipped table; None for any other opening (a wire agency's credit)."""
    pattern, hosts = _signatures()
    found = pattern.match(lead or "")
    return hosts[found.group(1) or found.group(2)] if found else None


def _words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.casefold()))


def _similar(a: str, b: str) -> bool:
    wa, wb = _words(a), _words(b)
    return bool(wa and wb) and len(wa & wb) >= SIMILAR * max(len(wa), len(wb))


def _begins(title: str, heading: str) -> bool:
    """Whether a declared title is the heading followed by the site's and sections' names
    (`… - Chính trị - Xã hội - Tuổi Trẻ Online`): the heading, then a separator and more."""
    whole, start = " ".join(title.split()), " ".join(heading.split())
    return (whole.casefold().startswith(start.casefold()) and _SEPARATED.match(whole[len(start):]) is not None
            and len(start.split()) >= len(whole.split()) / 2)  # the names after it are shorter than the headline


def declared(markup: str, tree=None) -> Declared:
    """What an HTML page declares about itself (imported here: only HTML pages need it); a
    page saved without a declared address gives the one it was saved from. `tree`: the page
    already parsed (trafilatura's load_html), else it is parsed here."""
    from trafilatura.metadata import extract_metadata
    from trafilatura.utils import load_html

    tree = load_html(markup) if tree is None else tree
    if tree is None:
        return Declared()
    meta = extract_metadata(tree)
    sitename = plain(meta.sitename)
    title = _title(tree, plain(meta.title), sitename)
    url = meta.url if meta.url and meta.url.startswith(("http://", "https://")) else saved_from(markup)
    return Declared(title=title, published=_published(tree, meta.date), byline=_byline(meta.author, sitename),
                    url=url, outlet=_outlet(tree, url), description=plain(meta.description))


def _title(tree, declared_title: str | None, sitename: str | None) -> str | None:
    """The headline as the page shows it: the visible heading that says what a declared title
    says (an e-magazine prints it in capitals, a site appends its name to og:title), else the
    declared title less the site's and its sections' names at its end, else the page's only
    non-empty <h1>."""
    titles = [declared_title] + [plain(_SITE_SUFFIX.sub("", value)) for path in _TITLE_TAGS for value in tree.xpath(path)]
    titles = [t for t in titles if t]
    headings = [plain(h.text_content()) for h in tree.xpath("//h1|//h2|//h3|//h4|//*[@itemprop='headline']")]
    headings = [h for h in headings if h and 3 <= len(h.split()) <= 60]
    for title in titles:
        if heading := next((h for h in headings if _similar(h, title) or _begins(title, h)), None):
            return heading
    if titles:
        return _without_names(titles[0], _own_names(tree, sitename))
    ones = [h for h in (plain(h.text_content()) for h in tree.xpath("//h1")) if h and len(h.split()) >= 3]
    return ones[0] if len(ones) == 1 else None


# where a page names itself and the sections an article is filed under
_OWN_NAMES = ('//meta[@property="article:section"]/@content', '//*[contains(@class, "breadcrumb")]//a//text()')


def _own_names(tree, sitename: str | None) -> set[str]:
    """The site's name and the sections the page files the article under."""
    names = {plain(value) for path in _OWN_NAMES for value in tree.xpath(path)} | {sitename}
    return {name for name in names if name}


def _without_names(title: str, names: set[str]) -> str:
    """`… - Chính trị - Xã hội - Tuổi Trẻ Online` less the names of the site and its sections at
    its end (accents and case aside: og:site_name may be "TUOI TRE ONLINE"), while three words
    or more are left; a title that ends otherwise is kept whole."""
    known = {fold(name) for name in names}
    while cuts := [m.start() for m in _BETWEEN.finditer(title)
                   if fold(title[m.end() :]).strip() in known and len(title[: m.start()].split()) >= 3]:
        title = title[: cuts[0]]
    return title


def _published(tree, date: str | None) -> str | None:
    """htmldate's publication date, with the clock time the page declares for that day."""
    if not date:
        return None
    declared_times = [value for path in _PUBLISHED_TIME for value in tree.xpath(path)]
    for script in tree.xpath('//script[@type="application/ld+json"]/text()'):
        declared_times += _json_values(script, "datePublished")
    for value in declared_times:
        if isinstance(value, str) and (m := _ISO_TIME.match(value.strip())) and m[1] == date:
            return f"{m[1]}T{m[2]}"
    return date


def _json_values(script: str, key: str) -> list:
    """Every value of `key` in a JSON-LD block, at any depth (`@graph` lists nest them)."""
    try:
        stack = [json.loads(script)]
    except ValueError:
        return []
    found = []
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            found += [item[key]] if key in item else []
            stack += list(item.values())
        elif isinstance(item, list):
            stack += item
    return found


def _byline(author: str | None, sitename: str | None) -> str | None:
    """The declared authors less the outlet's own name, whole or short ("Dân Trí" of "Báo điện
    tử Dân Trí": pages list it among them)."""
    if not author:
        return None
    outlet = _words(sitename or "")
    names = [name.strip() for name in author.split(";")]
    names = [name for name in names if name and not (outlet and _words(name) <= outlet) and not name.casefold().startswith("báo ")]
    return plain(", ".join(names))


def _outlet(tree, url: str | None) -> str | None:
    """The host the page was published on: its declared address's, else a meta tag that names
    a bare domain, else the host its own links point to most (a site's menus link home)."""
    if found := host(url):
        return found
    for path in _SITE_TAGS:
        for value in tree.xpath(path):
            value = value.strip().lstrip("@")
            if _DOMAIN.fullmatch(value) and (found := host(value)):
                return found
    links = Counter(h for h in map(host, (href for href in tree.xpath("//a/@href") if href.startswith(("http", "//"))))
                    if h)
    return links.most_common(1)[0][0] if links else None


_SAVED_FROM = re.compile(r"^\s*<!--\s*saved from url=\(\d+\)(https?://\S+?)\s*-->", re.IGNORECASE)


def saved_from(markup: str) -> str | None:
    """The address a saved page was fetched from: the `saved from url` comment browsers (and
    this fetcher) put before the page."""
    match = _SAVED_FROM.match(markup)
    return match.group(1) if match else None
