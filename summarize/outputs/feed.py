"""A feed of briefs: `briefs/feed.atom`, one entry per day (its overview and top stories, linked
to the brief and the review), so any feed reader follows the desk. Atom (RFC 4287), written
with the standard library's ElementTree (every text escaped). Each run replaces its day's
entry in the feed it finds and keeps the newest DAYS: no other day is read again. The feed
changes together with the day's other files (publish.save), so its entries always match them."""

from __future__ import annotations

import uuid
import xml.etree.ElementTree as ElementTree
from datetime import datetime, timezone
from pathlib import Path

from .. import __version__
from .formats import template
from .view import DayView

ATOM = "http://www.w3.org/2005/Atom"
DAYS = 60  # entries kept
NAME = "feed.atom"
ElementTree.register_namespace("", ATOM)


def path(folder: Path) -> Path:
    return Path(folder) / NAME


def entry_id(folder: Path, date: str) -> str:
    """A day's stable id: the same for every run of that day into the same briefs folder."""
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'summarize:{Path(folder).resolve()}:{date}')}"


def render(view: DayView, now: datetime | None = None) -> str:
    """The folder's feed with the day's entry put in (replacing the one an earlier run wrote);
    publish.save writes it together with the day's other files."""
    updated = (now or datetime.now(timezone.utc)).isoformat(timespec="seconds")
    entries = {e.findtext(f"{{{ATOM}}}id"): e for e in _entries(path(view.folder))}
    mine = _entry(view, updated)
    entries[mine.findtext(f"{{{ATOM}}}id")] = mine
    newest = sorted(entries.values(), key=lambda e: e.findtext(f"{{{ATOM}}}title") or "", reverse=True)[:DAYS]
    feed = ElementTree.Element(f"{{{ATOM}}}feed")
    _text(feed, "title", "Daily briefs")
    _text(feed, "subtitle", "Vietnamese news in English, summarized with local models")
    _text(feed, "id", f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'summarize:{Path(view.folder).resolve()}')}")
    _text(feed, "updated", max(e.findtext(f"{{{ATOM}}}updated") or updated for e in newest))
    generator = _text(feed, "generator", "summarize")
    generator.set("version", __version__)
    ElementTree.SubElement(feed, f"{{{ATOM}}}link", rel="self", href=NAME)
    feed.extend(newest)
    return ElementTree.tostring(feed, encoding="unicode", xml_declaration=True) + "\n"


def _entries(feed: Path) -> list[ElementTree.Element]:
    """The entries of the feed written before; an unreadable one starts afresh."""
    try:
        return ElementTree.parse(feed).getroot().findall(f"{{{ATOM}}}entry")
    except (OSError, ElementTree.ParseError):
        return []


def _entry(view: DayView, updated: str) -> ElementTree.Element:
    entry = ElementTree.Element(f"{{{ATOM}}}entry")
    _text(entry, "title", f"Daily brief — {view.date}")
    _text(entry, "id", entry_id(view.folder, view.date))
    _text(entry, "updated", updated)
    _text(entry, "published", f"{view.date}T00:00:00Z")
    # a feed reader opens the review page (HTML); the brief itself is the related Markdown file
    ElementTree.SubElement(entry, f"{{{ATOM}}}link", rel="alternate", href=view.review_name, type="text/html")
    ElementTree.SubElement(entry, f"{{{ATOM}}}link", rel="related", href=view.brief_name, type="text/markdown")
    _text(entry, "summary", view.overview)
    # the overview and the top stories as HTML text (escaped once more by the XML, as Atom's type="html" wants)
    content = _text(entry, "content", template("feed-entry.html.j2").render(overview=view.overview, stories=view.headlines))
    content.set("type", "html")
    return entry


def _text(parent: ElementTree.Element, name: str, text: str) -> ElementTree.Element:
    element = ElementTree.SubElement(parent, f"{{{ATOM}}}{name}")
    element.text = text
    return element
