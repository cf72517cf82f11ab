"""Copies: one article published more than once — wire copy under other sites' furniture, a
retitled version, one with sentences dropped, reordered or added, or its figures written
another way. Found on the cleaned Vietnamese text before any model work, so a copy costs no
translation or summary: the brief lists it under its original as "also published by".

Each article is a set of shingles: runs of SHINGLE words inside one sentence (so reordered
sentences still match), lower-cased, with figures reduced to their digits (`1.550` = `1550`).
An article is a copy when at least CONTAINED of the shorter one's shingles are in the longer
one — containment rather than Jaccard, so a copy with a paragraph added or dropped still
counts. Articles are compared exactly through an inverted index of shingles (unlike MinHash
it never misses a pair), leaving out of the look-up only stock phrases that more than CROWDED
articles hold, so a day of thousands of articles costs in proportion to its size.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Iterable
from itertools import chain, repeat

from ..article import Article
from ..reading.segmenter import split_sentences

SHINGLE = 4  # words per shingle
CONTAINED = 0.8  # share of the shorter article's shingles that the longer one must have
MIN_SHINGLES = 8  # below this many shingles an article is a copy only if identical
CROWDED = 100  # a shingle this many originals hold is a stock phrase: not looked up (_original)
EXTRA = 0.5  # a copy's paragraph with less than this share of its shingles in the original is extra

_WORD = re.compile(r"\w+(?:[.,:/-]\d+)*")
_MARKS = re.compile(r"[.,:/-]")  # left out of a figure: `1.550` = `1550`


def shingles(paragraphs: Iterable[str]) -> frozenset[str]:
    found: set[str] = set()
    for paragraph in paragraphs:
        for sentence in split_sentences(paragraph):
            words = [_MARKS.sub("", w) if w[0].isdigit() else w for w in _WORD.findall(sentence.lower())]
            if len(words) >= SHINGLE:  # each run of SHINGLE words, the list zipped with itself shifted
                found.update(map(" ".join, zip(*(words[k:] for k in range(SHINGLE)))))
            elif words:  # a shorter sentence is one shingle
                found.add(" ".join(words))
    return frozenset(found)


def _contained(mine: frozenset[str], shared: int, theirs: frozenset[str]) -> bool:
    smaller = min(len(mine), len(theirs))
    if smaller < MIN_SHINGLES:
        return mine == theirs
    return shared / smaller >= CONTAINED


def find_copies(articles: Iterable[Article], first: Collection[str] = ()) -> dict[str, str]:
    """{copy's source: its original's source}. Originals are taken in this order: the sources
    in `first` (already translated), then the longer article, then the source name, so the
    fullest version is translated and the same day always gives the same answer."""
    prints = {a.source: shingles(a.body) for a in articles}
    order = sorted(prints, key=lambda s: (s not in first, -len(prints[s]), s))
    originals: list[str] = []
    kept: list[frozenset[str]] = []  # the originals' shingles, in the same order
    held = _Holders()
    copies: dict[str, str] = {}
    for source in order:
        mine = prints[source]
        match = _original(mine, kept, held)
        if mine and match is not None:
            copies[source] = originals[match]
            continue
        held.add(mine, len(originals))
        originals.append(source)
        kept.append(mine)
    return copies


class _Holders:
    """Which originals hold each shingle: the first one apart (most shingles are one
    article's own: a number each, not a list, so a day of millions of shingles is no millions
    of lists for the garbage collector to walk), the others up to CROWDED + 1 in all; past
    that the shingle is a stock phrase (`stock`)."""

    def __init__(self) -> None:
        self.first: dict[str, int] = {}
        self.more: dict[str, list[int]] = {}
        self.stock: set[str] = set()

    def add(self, shingles: frozenset[str], original: int) -> None:
        for shingle in shingles - self.stock:
            if self.first.setdefault(shingle, original) != original:
                found = self.more.setdefault(shingle, [])
                found.append(original)
                if len(found) >= CROWDED:  # the first and these: more than CROWDED
                    self.stock.add(shingle)

    def counted(self, shingles: frozenset[str]) -> Counter:
        """How many of `shingles` each original holds (counted in C)."""
        counted = Counter(map(self.first.get, shingles, repeat(-1)))
        counted.pop(-1, None)
        counted.update(chain.from_iterable(map(self.more.get, shingles, repeat(()))))
        return counted


def _original(mine: frozenset[str], originals: list[frozenset[str]], held: _Holders) -> int | None:
    """The original `mine` copies, if any: the one sharing most shingles. Originals are found
    through the shingles at most CROWDED of them hold: a stock phrase every other article uses
    finds no copy (a real copy shares the article's own sentences), and a day's cost stays
    linear. When stock phrases were passed over, each original found is compared whole, with
    them, if it could still reach CONTAINED."""
    crowded = len(mine & held.stock)
    counted = held.counted(mine - held.stock if crowded else mine)
    if crowded:
        counted = Counter({i: len(mine & originals[i]) for i, n in counted.items()
                           if n + crowded >= CONTAINED * min(len(mine), len(originals[i]))})
    ranked = sorted(counted.items(), key=lambda kv: (-kv[1], kv[0]))
    return next((i for i, n in ranked if _contained(mine, n, originals[i])), None)


# The fields a copy can lend its original, best first where a page declares them (metadata.py)
POOLED = ("title", "published", "byline", "outlet", "url", "credit")


def pool_fields(original: Article, copies: Iterable[Article]) -> None:
    """The original takes each field from the copy that has it best: declared by an HTML page
    over guessed from text over missing (on a tie it keeps its own), and records which copy
    gave it, so the brief can say where it read it."""
    def rank(article: Article, name: str) -> int:
        return 2 if name in article.declared else 1 if getattr(article, name) else 0

    copies = list(copies)
    for name in POOLED:
        best = max(copies, key=lambda copy: rank(copy, name), default=None)
        if best is not None and rank(best, name) > rank(original, name):
            setattr(original, name, getattr(best, name))
            original.read_from[name] = best.source
            if name in best.declared and name not in original.declared:
                original.declared.append(name)


def extra_paragraphs(copy: Article, original: Article) -> list[str]:
    """The copy's paragraphs of running text the original does not have (most of their
    shingles missing); a site's lines the cleaner kept ("Tải ứng dụng:") are not the article's."""
    from ..reading.cleaner import is_article_text

    theirs = shingles(original.body)
    extra = []
    for paragraph in copy.body:
        mine = shingles([paragraph])
        if mine and len(mine & theirs) < EXTRA * len(mine) and is_article_text(paragraph):
            extra.append(paragraph)
    return extra
