"""Stories: the day's articles about the same event or running story, grouped, with a
headline, most-covered first, and the index of who and what they mention.

Articles are compared on their Vietnamese text, which every article has whatever model
translated it (and however well): TF-IDF over syllables and syllable pairs (Vietnamese
words are mostly two syllables), stopwords from stopwords-iso left out, plus the entities
found in it (entities.py) counted ENTITY_WEIGHT times. Groups are formed by average-linkage
agglomerative clustering on cosine similarity, merging while two groups' mean similarity
is at least STORY (chosen on the tuning half of tests/fixtures/stories and checked on the
held-out half; README "Stories"). Articles a previous run of the day put together stay
together, so a day's grouping only grows as articles are added.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from functools import cache

from .article import Article
from .duplicates import extra_paragraphs, find_copies
from .entities import SECTIONS

STORY = 0.11  # the mean cosine similarity at which two groups are one story (README "Stories")
ENTITY_WEIGHT = 1  # an entity counts as this many mentions of a word

_SYLLABLE = re.compile(r"[^\W\d_]+")


@dataclass
class Story:
    """Articles about one event or running story; copies hang off their originals."""

    id: str
    headline: str
    sources: list[str]  # originals: the one whose headline leads the story first, then by source
    copies: int = 0  # copies of these articles (not in `sources`)


@cache
def _stopwords() -> tuple[frozenset[str], frozenset[str]]:
    """stopwords-iso's Vietnamese list: single syllables, and phrases of two."""
    import stopwordsiso

    words = stopwordsiso.stopwords("vi")
    return frozenset(w for w in words if " " not in w), frozenset(w for w in words if w.count(" ") == 1)


def _features(article: Article) -> Counter:
    single, pairs = _stopwords()
    counts: Counter = Counter()
    for text in ([article.title] if article.title else []) + article.body:
        syllables = _SYLLABLE.findall(text.lower())
        counts.update(s for s in syllables if s not in single and len(s) > 1)
        counts.update(f"{a} {b}" for a, b in zip(syllables, syllables[1:])
                      if f"{a} {b}" not in pairs and not (a in single and b in single))
    for entity in article.entities:
        counts[f"@{entity['name'].lower()}"] += ENTITY_WEIGHT
    return counts


def similarities(articles: Sequence[Article]):
    """Cosine similarity of every pair of articles' TF-IDF vectors (sublinear tf, smooth idf
    over the articles given), as an n × n numpy array."""
    import numpy as np

    counts = [_features(a) for a in articles]
    documents = Counter(term for c in counts for term in c)
    shared = {t: i for i, t in enumerate(t for t, k in documents.items() if k > 1)}  # others add only to norms
    n = len(articles)
    vectors = np.zeros((n, len(shared)), dtype=np.float64)
    for row, c in enumerate(counts):
        weights = {t: (1 + math.log(k)) * (math.log((1 + n) / (1 + documents[t])) + 1) for t, k in c.items()}
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        for t, w in weights.items():
            if t in shared:
                vectors[row, shared[t]] = w / norm
    sim = vectors @ vectors.T
    np.fill_diagonal(sim, 1.0)
    return sim


def group(articles: Sequence[Article], together: Sequence[Sequence[str]] = (), threshold: float = STORY) -> list[list[str]]:
    """The originals among `articles` (copies left out) grouped into stories, as lists of
    sources. `together`: groups of sources to keep together (a previous run's stories)."""
    import numpy as np

    originals = sorted((a for a in articles if not a.copy_of), key=lambda a: a.source)
    position = {a.source: i for i, a in enumerate(originals)}
    clusters: list[list[int]] = []
    placed: set[int] = set()
    for sources in together:
        members = sorted({position[s] for s in sources if s in position} - placed)
        if members:
            clusters.append(members)
            placed.update(members)
    clusters += [[i] for i in range(len(originals)) if i not in placed]
    if len(clusters) > 1:
        sim = similarities(originals)
        # sums[x, y]: total similarity between clusters x and y; their mean divides by both sizes
        member = np.zeros((len(clusters), len(originals)))
        for x, members in enumerate(clusters):
            member[x, members] = 1.0
        sums = member @ sim @ member.T
        sizes = member.sum(axis=1)
        alive = np.ones(len(clusters), dtype=bool)
        while alive.sum() > 1:
            mean = sums / np.outer(sizes, sizes)
            mean[~alive, :] = mean[:, ~alive] = -1.0
            np.fill_diagonal(mean, -1.0)
            x, y = np.unravel_index(np.argmax(mean), mean.shape)
            if mean[x, y] < threshold:
                break
            x, y = min(x, y), max(x, y)
            sums[x, :] += sums[y, :]
            sums[:, x] += sums[:, y]
            sizes[x] += sizes[y]
            alive[y] = False
            clusters[x] += clusters[y]
        clusters = [sorted(c) for c, keep in zip(clusters, alive) if keep]
    return [[originals[i].source for i in members] for members in sorted(clusters)]


def arrange(articles: Sequence[Article], first: Collection[str] = (), together: Sequence[Sequence[str]] = (),
            grouped: bool = True) -> list[list[str]]:
    """Mark each copy (`copy_of`, and the paragraphs its original lacks in `extra`), then group
    the originals into stories (`grouped` False: each original is its own story). `first`:
    sources already translated, kept as originals; `together`: see group()."""
    by_source = {a.source: a for a in articles}
    copies = find_copies(articles, first)
    for article in articles:
        article.copy_of = copies.get(article.source)
        article.extra = extra_paragraphs(article, by_source[article.copy_of]) if article.copy_of else []
    if grouped:
        return group(articles, together)
    return [[a.source] for a in sorted(articles, key=lambda a: a.source) if not a.copy_of]


def build(articles: dict[str, Article], groups: Sequence[Sequence[str]]) -> list[Story]:
    """Stories from groups of originals' sources: each led by its most central article (the
    one most similar to the others), whose headline becomes the story's; most-covered first
    (articles and their copies), then by headline."""
    copies = Counter(a.copy_of for a in articles.values() if a.copy_of)
    stories = []
    for sources in groups:
        members = [articles[s] for s in sorted(sources)]
        lead = 0
        if len(members) > 2:
            totals = similarities(members).sum(axis=1)
            lead = max(range(len(members)), key=lambda i: (totals[i], -i))
        order = [members[lead]] + members[:lead] + members[lead + 1 :]
        ident = "s-" + hashlib.sha1(min(sources).encode()).hexdigest()[:8]
        stories.append(Story(ident, order[0].headline or order[0].title or "", [a.source for a in order],
                             sum(copies[s] for s in sources)))
    return sorted(stories, key=lambda s: (-(len(s.sources) + s.copies), s.headline.lower(), s.id))


def index(stories: Sequence[Story], articles: dict[str, Article]) -> dict[str, list[tuple[str, list[int]]]]:
    """Section -> (name, the numbers of the stories that mention it), names in alphabetical
    order. A person named by surname alone (`ông Putin`) is filed under the one full name of
    the day that ends with it (Vladimir Putin)."""
    found: dict[tuple[str, str], set[int]] = {}
    for number, story in enumerate(stories, 1):
        for source in story.sources:
            for entity in articles[source].entities:
                found.setdefault((entity["kind"], entity["name"]), set()).add(number)
    people = [name for kind, name in found if kind == "People"]
    for name in people:
        longer = [full for full in people if full != name and full.endswith(" " + name)]
        if len(longer) == 1:
            found[("People", longer[0])] |= found.pop(("People", name))
    sections: dict[str, list[tuple[str, list[int]]]] = {}
    for kind in SECTIONS:
        names = sorted((name for k, name in found if k == kind), key=str.lower)
        if names:
            sections[kind] = [(name, sorted(found[(kind, name)])) for name in names]
    return sections
