"""Running stories: today's story linked to the same story on earlier days.

A story is compared across days on what grouping compares within a day (day/stories.py): the
names, figures and word pairs of its articles' Vietnamese text, each weighted by its rarity in
the background of general news. Only a story's TERMS heaviest terms are kept (the archive stores
them), and only stories that share a rare name are compared at all. A story of today continues
the earlier story it is most alike to when that cosine, weighted by recency (a story seen
yesterday counts fully, one seen HALF_LIFE days before that half), is at least CONTINUES; it
then carries that story's thread. docs/archive.md gives the measurements behind each number.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date as Date

from ..day.stories import background, rare, weight

TERMS = 120  # the heaviest terms kept of a story
WINDOW = 30  # days looked back
HALF_LIFE = 7.0  # days after which an earlier story weighs half
CONTINUES = 0.10  # the recency-weighted cosine at which a story continues an earlier one
COMMON = 0.05  # a term held by more than this share of the stories compared (and by more than CROWD of them)
CHUNK = 256  # today's stories compared at a time
CROWD = 3  # ... is the period's, not an event's: left out (the English names the glossary gives "Mỹ", "USD")


@dataclass(frozen=True)
class Appearance:
    """A day the running story was in the brief."""

    date: str
    story: str  # its story id that day
    headline: str
    articles: int
    review: str  # its place on that day's review pages, from the briefs folder


@dataclass(frozen=True)
class Thread:
    """The running story a story of today belongs to: its id, and the earlier days it ran."""

    id: str
    first: str  # the date it was first reported
    earlier: list[Appearance] = field(default_factory=list)  # oldest first; empty: a new story

    @property
    def developing(self) -> bool:
        return bool(self.earlier)

    def day(self, today: str) -> int:
        """Which day of the story today is, counted in calendar days from the first report."""
        return (Date.fromisoformat(today) - Date.fromisoformat(self.first)).days + 1

    def to_dict(self) -> dict:
        return {"id": self.id, "first": self.first, "earlier": [vars(a) for a in self.earlier]}

    @classmethod
    def from_dict(cls, data: dict) -> Thread:
        return cls(data["id"], data["first"], [Appearance(**a) for a in data.get("earlier", [])])


@dataclass(frozen=True)
class Earlier:
    """A story of an earlier day as the archive keeps it for linking."""

    date: str
    story: str
    thread: str
    vector: dict[str, float]


def vector(features: Iterable[Counter]) -> dict[str, float]:
    """A story's TERMS heaviest terms (from its articles' `features`: stories.features), weighted
    against the background and normalised."""
    known = background()
    counts: Counter = Counter()
    for found in features:
        counts.update(found)
    weights = {t: weight(t, k, 1 + known.frequency.get(t, 0), 1 + known.documents) for t, k in counts.items()}
    top = sorted(weights.items(), key=lambda item: (-item[1], item[0]))[:TERMS]
    norm = math.sqrt(sum(w * w for _, w in top)) or 1.0
    return {t: round(w / norm, 6) for t, w in top}


def recency(today: str, then: str) -> float:
    days = (Date.fromisoformat(today) - Date.fromisoformat(then)).days
    return 0.5 ** (max(days - 1, 0) / HALF_LIFE)


def link(today: str, stories: dict[str, dict[str, float]], earlier: Sequence[Earlier]) -> dict[str, tuple[Earlier, float]]:
    """For each of today's stories (id -> vector) that continues an earlier one: that story and
    the score. Only stories sharing a rare name are compared; terms common among the stories
    compared count for nothing (the background weighs the Vietnamese text, not the English names
    the glossary adds, such as "@us"). Computed as sparse products (scipy), a chunk of today's
    stories at a time, so a day of thousands against a month of stories stays in seconds."""
    import numpy as np

    if not stories or not earlier:
        return {}
    known = background()
    held = Counter(t for vectors in (stories.values(), (e.vector for e in earlier)) for v in vectors for t in v)
    common = {t for t, n in held.items() if n > max(CROWD, COMMON * (len(stories) + len(earlier)))}
    columns = {t: k for k, t in enumerate(sorted(set(held) - common))}
    names = {t for t in columns if rare(t, known)}
    today_rows, earlier_rows = list(stories.values()), [e.vector for e in earlier]
    mine, theirs = _rows(today_rows, columns), _rows(earlier_rows, columns)
    mine_named, theirs_named = _rows(today_rows, columns, names), _rows(earlier_rows, columns, names)
    weights = np.array([recency(today, e.date) for e in earlier])
    idents, found = list(stories), {}
    for start in range(0, len(idents), CHUNK):
        cosines = (mine[start : start + CHUNK] @ theirs.T).toarray()
        shared = (mine_named[start : start + CHUNK] @ theirs_named.T).toarray() > 0
        scores = np.where(shared, cosines * weights, 0.0)
        for row, best in enumerate(scores.argmax(axis=1)):
            if scores[row, best] >= CONTINUES:
                found[idents[start + row]] = (earlier[best], float(scores[row, best]))
    return found


def _rows(vectors: list[dict[str, float]], columns: dict[str, int], only: set[str] | None = None):
    """Vectors as sparse rows over `columns` (terms not among them left out); with `only`, a 1
    for each of those terms instead of its weight."""
    from scipy.sparse import csr_matrix

    indptr, indices, data = [0], [], []
    for terms in vectors:
        for term, value in terms.items():
            if term in columns and (only is None or term in only):
                indices.append(columns[term])
                data.append(value if only is None else 1.0)
        indptr.append(len(indices))
    return csr_matrix((data, indices, indptr), shape=(len(vectors), max(1, len(columns))))
