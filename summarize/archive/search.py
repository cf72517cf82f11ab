"""Searching the archive: a query of words in English or Vietnamese, with or without accents, or
a name; quoted words are a phrase. A Vietnamese word is several syllables ("điện đàm"), so the
words of a query are looked for together, as written, first: only when no article holds them so
is it every article that holds them all, anywhere. Results newest first, each with a snippet of
the text that matched, taken from the English summary or text, else the Vietnamese."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..reading.letters import fold
from .store import Row, Store
from .watchlist import Entry, pattern

SNIPPET = 200  # characters shown around a match


@dataclass(frozen=True)
class Hit:
    date: str
    headline: str
    outlet: str | None
    snippet: str
    story: str  # `date/story id`
    thread: str
    brief: str  # the day's brief, from the briefs folder
    review: str  # the article on the review pages, from the briefs folder
    source: str
    url: str | None
    watch: str | None = None  # the watchlist entry that matched (search --watch)


def words(query: str) -> list[str]:
    """The query's words and quoted phrases, folded (no case, no accents)."""
    parts = re.findall(r'"([^"]*)"|(\S+)', query)
    found = []
    for phrase, word in parts:
        text = " ".join(re.findall(r"\w+", fold(phrase or word)))
        if text:
            found.append(text)
    return found


def fts(terms: Sequence[str]) -> str:
    """An FTS5 query in which every term (a word or phrase) must be found."""
    return " ".join(f'"{t}"' for t in terms)


def any_of(entry: Entry) -> str:
    """An FTS5 query matching any alias of a watchlist entry."""
    return " OR ".join(f'"{phrase}"' for phrase in _phrases(entry))


def _phrases(entry: Entry) -> list[str]:
    return [" ".join(re.findall(r"\w+", alias)) for alias in entry.aliases]


def search(store: Store, query: str, *, since: str | None = None, until: str | None = None, outlet: str | None = None,
           story: str | None = None, limit: int = 20) -> list[Hit]:
    terms = words(query)
    together = [" ".join(terms)] if len(terms) > 1 else terms
    for wanted in (together, terms):
        rows = store.search(fts(wanted), since, until, outlet, story, limit) if wanted else []
        if rows:
            return [hit(row, wanted) for row in rows]
    return []


def watched(store: Store, entries: Sequence[Entry], *, since: str | None = None, until: str | None = None,
            limit: int = 1000) -> list[Hit]:
    """Every archived match of each watchlist entry, newest first."""
    found = []
    for entry in entries:
        found += [hit(row, _phrases(entry), entry.name)
                  for row in store.search(any_of(entry), since, until, None, None, limit)]
    return sorted(found, key=lambda h: (h.date, h.review), reverse=True)


def hit(row: Row, terms: Sequence[str], watch: str | None = None) -> Hit:
    return Hit(row.date, row.headline or row.title or "", row.outlet, snippet(row, terms), f"{row.date}/{row.story}",
               row.thread, row.brief, row.review, row.source, row.url, watch)


def snippet(row: Row, terms: Sequence[str]) -> str:
    """The passage that matched: the first of the summary, the English paragraphs and the
    Vietnamese ones that holds the most of the terms, cut to SNIPPET characters around the
    first of them."""
    texts = [row.summary, *row.texts["body_en"], *row.texts["body"], row.headline, row.title or ""]
    patterns = [pattern([t]) for t in terms]
    best, score, start = "", 0, 0
    for text in texts:
        folded = _fold_aligned(text)
        found = [m for p in patterns if (m := p.search(folded))]
        if len(found) > score:
            best, score, start = text, len(found), min(m.start() for m in found)
    if not best:
        return " ".join(row.summary.split())[:SNIPPET]
    left = max(0, start - SNIPPET // 3)
    cut = best[left : left + SNIPPET]
    return ("…" if left else "") + " ".join(cut.split()) + ("…" if left + SNIPPET < len(best) else "")


def _fold_aligned(text: str) -> str:
    """`fold(text)` with one character for each of the text's, so positions carry over (folded
    whole when that keeps the length, as it does for Vietnamese; else character by character)."""
    folded = fold(text)
    return folded if len(folded) == len(text) else "".join(f[:1] or " " for f in map(fold, text))
