"""Stories: the day's articles about the same event or running story, grouped, with a
headline, most-covered first, and the index of who and what they mention.

Articles are compared on the names, figures and word pairs of their Vietnamese text, each
weighted by its rarity in a background of general news (terms, pair_similarities); only
articles that share a rare name are compared at all, so the cost follows those pairs, not the
square of the day. Average linkage merges groups while they are at least STORY alike
(group); articles a previous run of the day put together stay together. docs/stories.md
explains each choice and gives the measurements.
"""

from __future__ import annotations

import heapq
import math
import re
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from itertools import accumulate, combinations

from ..article import Article
from ..checks.entities import SECTIONS
from ..hashing import digest
from ..reading.letters import fold
from .copies import extra_paragraphs, find_copies

STORY = 0.10  # the mean similarity at which two groups are one story (docs/stories.md)
WEIGHTS = {"@": 2.0, "#": 1.0}  # names and figures count this many times a pair of words
RARE = 0.001  # a name in fewer than this share of background news can tie two articles (similarities)
CROWDED = 200  # ... and in at most this many of the day's articles: past it, a name alone proposes no pairs
WIDER = 0.005  # a name in fewer than this share of background news ties two articles too when ...
SAME = 0.7  # ... each headline has at least this share of its words in the other article (the same happening)
COVERED = 0.4  # a pair keeps its whole similarity when each headline has this share of its words in the other
FURNITURE_WORDS = 15  # a line this short found in two articles that are not copies is the site's, not theirs
COMMON = 0.02  # a capitalised syllable also written in lower case in this share of news is a word, not a name

# a word (letters, and digits among them: T3, G20; joined by dots, hyphens or apostrophes: TP.HCM,
# Nga-Mỹ), a number, or punctuation
_TOKEN = re.compile(r"\d*[^\W\d_]\w*(?:[.'’-]\w*[^\W\d_]\w*)*|\d+(?:[.,]\d+)*|[^\w\s]")
_SENTENCE_END = frozenset(".!?:;…\"“”")


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


@dataclass
class Background:
    """How many of `documents` general news articles hold each term (scripts/background.py):
    how topic words ("giá", "dự án", "Việt Nam") are told from what names one event."""

    documents: int
    frequency: dict[str, int]

    def common(self, syllable: str) -> bool:
        """Whether a syllable is a word of the language: written in lower case in many articles."""
        return syllable in _stopwords()[0] or self.frequency.get("~" + syllable, 0) >= COMMON * self.documents


@cache
def background() -> Background:
    """The shipped table (summarize/data/background.tsv.gz)."""
    import gzip
    from importlib.resources import files

    with gzip.open(files("summarize") / "data" / "background.tsv.gz", "rt", encoding="utf-8") as lines:
        documents = int(next(lines).split()[-1])
        frequency = {term: int(count) for term, count in (line.rstrip("\n").rsplit("\t", 1) for line in lines)}
    return Background(documents, frequency)


def terms(texts: Iterable[str], known: Background | None = None, syllables: bool = False) -> Counter:
    """What identifies the event a text reports, counted: names ("@ukraine", "@tân sơn nhất":
    runs of capitalised words, less a sentence's first word when it is a common word), figures
    with their unit ("#4.000 tỷ"), and pairs of words not both stopwords ("xe tăng"); with
    `syllables` (building the background), each syllable written in lower case ("~giá")."""
    single, _ = _stopwords()
    known = known or background()
    counts: Counter = Counter()
    for text in texts:
        words = _names_and_figures(_TOKEN.findall(text), counts, known, syllables)
        counts.update(f"{a} {b}" for a, b in zip(words, words[1:])
                      if a and b and not (a in single and b in single))
    return counts


def _names_and_figures(tokens: list[str], counts: Counter, known: Background, syllables: bool) -> list[str | None]:
    """Count a text's names and figures (and its syllables, with `syllables`); return its
    words in lower case, None between sentences and around numbers (for the word pairs)."""
    last = len(tokens) - 1
    run: list[str] = []
    words: list[str | None] = []
    start = True
    for k, token in enumerate(tokens):
        first = token[0]
        if first.isalpha():
            lower = token.lower()
            if first.isupper() and not (start and known.common(lower)):
                run.append(token)
            elif run:
                _name(run, counts, known)
            words.append(lower)
            if syllables and token.islower():
                counts["~" + token] += 1
            start = False
            continue
        if first.isdigit() and k < last and tokens[k + 1][0].isalpha():  # a figure and its unit
            counts["#" + token.replace(",", ".") + " " + tokens[k + 1].lower()] += 1
        if run:
            _name(run, counts, known)
        words.append(None)
        start = not first.isalnum() and (token in _SENTENCE_END or start)
    if run:
        _name(run, counts, known)
    return words


def _name(run: list[str], counts: Counter, known: Background) -> None:
    """Count a finished run of capitalised words as a name, unless it is one common word
    (the "Thủ" of "Thủ tướng", the "Bộ" of "Bộ Tài chính" after a line break); empty it."""
    if len(run) > 1 or (run and (run[0].isupper() or not known.common(run[0].lower()))):
        counts["@" + " ".join(run).lower()] += 1
    run.clear()


def features(article: Article, furniture: Collection[str] = ()) -> Counter:
    """An article's terms (title, paragraphs other than `furniture`) and its names as the glossary
    spells them."""
    lines = ([article.title] if article.title else []) + [p for p in article.body if p not in furniture]
    counts = terms(lines)
    for entity in article.entities:  # the glossary unifies spellings (Vla-đi-mia Pu-tin, Vladimir Putin)
        counts["@" + entity["name"].lower()] += 1
    return counts


def _furniture(articles: Sequence[Article]) -> frozenset[str]:
    """Short lines found in more than one article: an outlet's furniture the cleaner kept
    ("Tải ứng dụng:", the site's name), which says nothing about the event."""
    seen = Counter(line for a in articles for line in set(a.body) if len(line.split()) <= FURNITURE_WORDS)
    return frozenset(line for line, k in seen.items() if k > 1)


def pair_similarities(articles: Sequence[Article], features_of: Callable[[Article], Counter] = features) -> dict[tuple[int, int], float]:
    """How alike each pair of articles (i < j) that shares a rare name is: the cosine of their
    weighted TF-IDF vectors (sublinear tf; idf over the background news and the articles given
    together), less when either headline's words are mostly absent from the other article
    (_same_happening: the same people at the same occasion, but another happening). A pair that
    shares a less rare name (under WIDER) counts too when each headline is in the other article
    (SAME). Every other pair is 0 — topic words and figures alone ("FDI", "tỷ USD", "kim ngạch
    xuất khẩu") make a topic, not an event — so only these pairs are computed, found through an
    index of names: the cost follows the pairs that share one, not n².
    `features_of`: an article's features (the day's, computed once for grouping and the archive)."""
    known = background()
    furniture = _furniture(articles)
    counts = [features(a, furniture) if furniture.intersection(a.body) else features_of(a) for a in articles]
    vectors = _vectors(counts, len(articles) + known.documents)
    tied, alike = _sharing_names(vectors, known)
    pairs = sorted(tied | alike)
    evidence = dict(zip(pairs, _same_happening(articles, furniture, pairs)))
    pairs = [pair for pair in pairs if pair in tied or evidence[pair] >= SAME]
    return {pair: value * min(1.0, evidence[pair] / COVERED) for pair, value in zip(pairs, _cosines(vectors, pairs))}


def _vectors(counts: list[Counter], documents: int) -> list[dict[str, float]]:
    """Each article's terms weighted (weight()) and normalised, less the terms no other article
    holds (they count in the norm only); `documents`: the background's and these articles."""
    known = background()
    held = Counter(term for c in counts for term in c)
    idf = {t: rarity(k + known.frequency.get(t, 0), documents) for t, k in held.items()}  # each term's once
    once = {t: frequency(t, 1) * idf[t] for t in held}  # the weight of a term met once, most terms'
    vectors = []
    for c in counts:
        weights = {t: once[t] if k == 1 else frequency(t, k) * idf[t] for t, k in c.items()}
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        vectors.append({t: w / norm for t, w in weights.items() if held[t] > 1})
    return vectors


def _sharing_names(vectors: list[dict[str, float]], known: Background) -> tuple[set[tuple[int, int]], set[tuple[int, int]]]:
    """The pairs that share a rare name, and those that share a less rare one (under WIDER),
    through an index of names; a name held by more than CROWDED articles proposes none."""
    named: dict[str, list[int]] = {}
    for i, vector in enumerate(vectors):
        for term in vector:
            if term[0] == "@" and known.frequency.get(term, 0) < WIDER * known.documents:
                named.setdefault(term, []).append(i)
    tied: set[tuple[int, int]] = set()
    alike: set[tuple[int, int]] = set()
    for term, members in named.items():
        if len(members) <= CROWDED:
            (tied if rare(term, known) else alike).update(combinations(members, 2))
    return tied, alike


def _same_happening(articles: Sequence[Article], furniture: Collection[str], pairs: list[tuple[int, int]]) -> list[float]:
    """Whether two articles report the same happening, not just the same people or occasion:
    the share of each one's headline words (its lead's when it has none; stopwords and numbers
    left out) found in the other's text, the smaller of the two (1.0 for a headline with no such
    words). A roundup of a press conference holds the other announcements' words but its
    headline is not in them; a profile names the people of an investigation, but the
    investigation's headline is not what it reports. Each share is a product of sparse rows: the
    headline's words (each 1/its length) and the words the other text holds."""
    stop = _stopwords()[0]
    heads = [[w for w in _syllables(a.title or next((p for p in a.body if p not in furniture), "")) if w not in stop]
             for a in articles]
    columns: dict[str, int] = {}
    for head in heads:
        for word in head:
            columns.setdefault(word, len(columns))
    said = _rows([{columns[w]: k / len(h) for w, k in Counter(h).items()} for h in heads], len(columns))
    holds = _rows([dict.fromkeys((columns[w] for w in columns.keys() & set(_syllables(" ".join([a.title or "", *a.body])))),
                                 1.0) for a in articles], len(columns))
    ahead, behind = _row_products(said, holds, pairs), _row_products(holds, said, pairs)  # i's headline in j; j's in i
    return [min(a if heads[i] else 1.0, b if heads[j] else 1.0) for (i, j), a, b in zip(pairs, ahead, behind)]


_WORD = re.compile(r"\w*[^\W\d]\w*")  # a word: "G20" is one, "2017" is not


def _syllables(text: str) -> list[str]:
    """A text's words in lower case, numbers left out."""
    return _WORD.findall(text.lower())


def weight(term: str, count: int, holding: int, documents: int) -> float:
    """A term's TF-IDF weight: sublinear in its `count`, by the share of `documents` `holding` it;
    names and figures count WEIGHTS times a pair of words."""
    return frequency(term, count) * rarity(holding, documents)


def frequency(term: str, count: int) -> float:
    """A term's weight in one text: sublinear in its count, names and figures counting more."""
    return WEIGHTS.get(term[0], 1.0) * (1 + math.log(count))


def rarity(holding: int, documents: int) -> float:
    """How rare a term is among `documents`: the log of their number over those `holding` it."""
    return math.log(documents / holding)


def rare(term: str, known: Background) -> bool:
    """Whether a term is a name rare enough in general news to tie two articles together."""
    return term[0] == "@" and known.frequency.get(term, 0) < RARE * known.documents


def _cosines(vectors: list[dict[str, float]], pairs: list[tuple[int, int]]) -> list[float]:
    """The dot product of each pair of (normalised) vectors."""
    columns: dict[str, int] = {}
    rows = _rows([{columns.setdefault(term, len(columns)): w for term, w in vector.items()} for vector in vectors],
                 len(columns))  # the columns are numbered as the rows are read
    return _row_products(rows, rows, pairs)


def _rows(rows: list[dict[int, float]], width: int):
    """Sparse rows (scipy), their columns sorted: scipy multiplies such rows by merging them (a
    fifth faster)."""
    from scipy.sparse import csr_matrix

    matrix = csr_matrix(([w for row in rows for w in row.values()], [c for row in rows for c in row],
                         [0, *accumulate(map(len, rows))]), shape=(len(rows), max(1, width)))
    matrix.sort_indices()
    return matrix


def _row_products(left, right, pairs: list[tuple[int, int]], chunk: int = 20_000) -> list[float]:
    """For each pair (i, j), the dot product of row i of `left` and row j of `right`, a chunk of
    pairs at a time so memory stays bounded."""
    found: list[float] = []
    for start in range(0, len(pairs), chunk):
        first, second = zip(*pairs[start : start + chunk])
        found += left[list(first)].multiply(right[list(second)]).sum(axis=1).A1.tolist()
    return found


def group(articles: Sequence[Article], together: Sequence[Sequence[str]] = (), threshold: float = STORY,
          features_of: Callable[[Article], Counter] = features) -> list[list[str]]:
    """The originals among `articles` (copies left out) grouped into stories, as lists of
    sources, each led by its most central article (the most alike to the others in sum; ties:
    the first by source). `together`: groups of sources to keep together (a previous run's).

    Average linkage: the two groups with the highest mean similarity merge while it is at
    least `threshold` (ties: the lowest-numbered groups first). Only groups with a pair of
    articles alike are ever compared, through a heap of their summed similarities."""
    originals = sorted((a for a in articles if not a.copy_of), key=lambda a: a.source)
    clusters = _kept_together(originals, together)
    pairs = pair_similarities(originals, features_of) if len(originals) > 1 else {}
    _merge(clusters, pairs, threshold)
    return [[originals[i].source for i in members] for members in _lead_first(clusters, pairs)]


def _kept_together(originals: Sequence[Article], together: Sequence[Sequence[str]]) -> list[list[int]]:
    """The starting groups (positions in `originals`): those kept together, then one each."""
    position = {a.source: i for i, a in enumerate(originals)}
    clusters: list[list[int]] = []
    placed: set[int] = set()
    for sources in together:
        members = sorted({position[s] for s in sources if s in position} - placed)
        if members:
            clusters.append(members)
            placed.update(members)
    return clusters + [[i] for i in range(len(originals)) if i not in placed]


def _lead_first(clusters: list[list[int]], pairs: dict[tuple[int, int], float]) -> list[list[int]]:
    """The groups in order of their first member, each led by the member most alike to the
    others in sum (ties: the first), the rest in order."""
    home = {i: x for x, members in enumerate(clusters) for i in members}
    totals: Counter = Counter()
    for (i, j), value in pairs.items():
        if home[i] == home[j]:
            totals[i] += value
            totals[j] += value
    ordered = []
    for members in sorted(sorted(c) for c in clusters if c):
        lead = max(members, key=lambda i: (totals[i], -i))
        ordered.append([lead] + [i for i in members if i != lead])
    return ordered


def _merge(clusters: list[list[int]], pairs: dict[tuple[int, int], float], threshold: float) -> None:
    """Average-linkage merges over the pairs that are alike, in place (a merged group empties)."""
    home = {i: x for x, members in enumerate(clusters) for i in members}
    sums: dict[tuple[int, int], float] = {}  # (x, y), x < y: the summed similarity of two groups' articles
    for (i, j), value in pairs.items():
        x, y = sorted((home[i], home[j]))
        if x != y:
            sums[(x, y)] = sums.get((x, y), 0.0) + value
    sizes = [len(c) for c in clusters]
    near: dict[int, set[int]] = {}
    for x, y in sums:
        near.setdefault(x, set()).add(y)
        near.setdefault(y, set()).add(x)
    mean = lambda x, y: sums[(x, y)] / (sizes[x] * sizes[y])
    # only pairs alike enough to merge are queued: a pair's mean changes only when one of its
    # groups grows, and then it is queued again if it has risen to the threshold. The pairs
    # queued at the start are sorted once and taken from the end of the list (most become
    # stale before their turn, and a sort costs less than a heap's pops); those queued
    # later go on a heap; the better of the two comes first
    first = sorted(((-m, x, y) for x, y in sums if (m := mean(x, y)) >= threshold), reverse=True)
    later: list[tuple[float, int, int]] = []
    while first or later:
        negative, x, y = _best(first, later)
        if (x, y) not in sums or -negative != mean(x, y):
            continue  # an entry from before one of the two grew
        sums.pop((x, y))
        near[x].discard(y)
        for z in near.pop(y, set()) - {x}:
            near[z].discard(y)
            near[z].add(x)
            near[x].add(z)
            key = (x, z) if x < z else (z, x)
            sums[key] = sums.get(key, 0.0) + sums.pop((y, z) if y < z else (z, y))
        sizes[x] += sizes[y]
        clusters[x] += clusters[y]
        clusters[y] = []
        for z in near.get(x, ()):
            key = (x, z) if x < z else (z, x)
            if (m := mean(*key)) >= threshold:
                heapq.heappush(later, (-m, *key))


def _best(first: list[tuple[float, int, int]], later: list[tuple[float, int, int]]) -> tuple[float, int, int]:
    """The next pair to merge (_merge): the better of the sorted list's last and the heap's top."""
    return heapq.heappop(later) if later and (not first or later[0] < first[-1]) else first.pop()


def arrange(articles: Sequence[Article], first: Collection[str] = (), together: Sequence[Sequence[str]] = (),
            grouped: bool = True, features_of: Callable[[Article], Counter] = features,
            copies: dict[str, str] | None = None) -> list[list[str]]:
    """Mark each copy (`copy_of`, and the paragraphs its original lacks in `extra`), then group
    the originals into stories (`grouped` False: each original is its own story). `first`:
    sources already translated, kept as originals; `together`, `features_of`: see group();
    `copies`: find_copies() of these very articles, when it is known already."""
    by_source = {a.source: a for a in articles}
    if copies is None:
        copies = find_copies(articles, first)
    for article in articles:
        article.copy_of = copies.get(article.source)
        article.extra = extra_paragraphs(article, by_source[article.copy_of]) if article.copy_of else []
    if grouped:
        return group(articles, together, features_of=features_of)
    return [[a.source] for a in sorted(articles, key=lambda a: a.source) if not a.copy_of]


def build(articles: dict[str, Article], groups: Sequence[Sequence[str]]) -> list[Story]:
    """Stories from groups of originals' sources, each led by its first (group() puts the most
    central first), whose headline becomes the story's; most-covered first (articles and their
    copies), then by headline."""
    copies = Counter(a.copy_of for a in articles.values() if a.copy_of)
    stories = []
    for sources in groups:
        lead = articles[sources[0]]
        ident = "s-" + digest(min(sources), length=8)
        stories.append(Story(ident, lead.headline or lead.title or "", list(sources), sum(copies[s] for s in sources)))
    return sorted(stories, key=lambda s: (-(len(s.sources) + s.copies), s.headline.lower(), s.id))


def index(stories: Sequence[Story], articles: dict[str, Article]) -> dict[str, list[tuple[str, list[int]]]]:
    """Section -> (name, the numbers of the stories that mention it), names in alphabetical
    order, one entry per entity: a person's short name ("ông Putin", "ông Chính") is filed under
    the day's one full name ending with it (Vladimir Putin, Pham Minh Chinh) and left out when
    there is none; an acronym under the name that spells it out ("INF Treaty" under
    "Intermediate-Range Nuclear Forces (INF) Treaty"); a name under the day's one longer name of
    its kind that ends with it ("National Security Council" under "US National Security Council")."""
    found: dict[str, set[int]] = {}
    kinds: dict[str, str] = {}
    short: set[str] = set()
    for number, story in enumerate(stories, 1):
        for source in story.sources:
            for entity in articles[source].entities:
                found.setdefault(entity["name"], set()).add(number)
                if kinds.get(entity["name"], "Other names") == "Other names":  # a known kind wins over none
                    kinds[entity["name"]] = entity["kind"]
                if entity.get("short"):
                    short.add(entity["name"])
    _file_short_names(found, kinds, short)
    sections: dict[str, list[tuple[str, list[int]]]] = {}
    for kind in SECTIONS:
        names = sorted((name for name in found if kinds[name] == kind), key=str.lower)
        if names:
            sections[kind] = [(name, sorted(found[name])) for name in names]
    return sections


def _file_short_names(found: dict[str, set[int]], kinds: dict[str, str], short: set[str]) -> None:
    """File each name found under the day's one longer name it is a short form of (index()),
    in place; a short name with no such home is left out."""
    longer = _Longer(kinds)
    for name in sorted(found, key=lambda n: (-len(n) if kinds[n] == "People" and " " in n else len(n))):
        if name not in found:
            continue
        rest = name.split(" ", 1)[-1]  # "Anh Theresa May": the person is Theresa May, when the day names her so
        qualified = rest if kinds[name] == "People" and " " in rest and kinds.get(rest) == "People" and rest in found else None
        home = qualified or longer.home(name, found)
        if home:
            found[home] |= found.pop(name)
        elif name in short:
            del found[name]


# the word that says a place is a province or a city, and what separates words: "Công an Bắc Ninh"
# is "Công an tỉnh Bắc Ninh", "UBND TP.Hà Nội" is "UBND TP. Hà Nội" ("Bà Rịa - Vũng Tàu" is "Bà
# Rịa – Vũng Tàu"), but "Công an TP Bắc Ninh" (the city's) is neither
_PLACE_WORD = re.compile(r"\b(tinh|thanh pho|tp)\b")
_LOCAL_KINDS = ("Organisations", "Places")  # a person's name may hold "Tình" or "Thành Phố"


def _bare(name: str) -> tuple[str, frozenset[str]]:
    """A local body's name without its place word, spaces and dots (the key under which two
    spellings of it meet), and which place word it had ("tp" for "thành phố" too)."""
    folded = fold(name)
    words = frozenset("tp" if w == "thanh pho" else w for w in _PLACE_WORD.findall(folded))
    return re.sub(r"[\s.\-–—]+", "", _PLACE_WORD.sub("", folded)), words


def _rank(name: str) -> tuple[int, bool, str]:
    """Which of two forms of a name is the index's: the longer; of two as long, the one written
    without accents (the glossary's English "Dak Nong" over "Đăk Nông"), then the later in order."""
    folded = fold(name)
    return len(folded), folded == name.casefold(), name


class _Longer:
    """The longer names of the day each name may be a short form of, looked up by key rather
    than by comparing every pair of names: a name's last words (National Security Council in US
    National Security Council), an acronym with what follows it (INF Treaty in
    Intermediate-Range Nuclear Forces (INF) Treaty), initials (US for United States), and the
    same name with its place word (Công an Bắc Ninh in Công an tỉnh Bắc Ninh)."""

    def __init__(self, kinds: dict[str, str]):
        self.kinds = kinds
        self.keys: dict[tuple, set[str]] = {}
        for name, kind in kinds.items():
            words = fold(name).split(" ")
            for k in range(1, len(words)):
                self.keys.setdefault((kind, "end", " ".join(words[k:])), set()).add(name)
            if acronym := re.search(r"\((\w+)\)", name):
                self.keys.setdefault((kind, "end", " ".join(fold(acronym.group(1) + name[acronym.end():]).split())),
                                     set()).add(name)
            self.keys.setdefault((kind, "initials", "".join(w[0] for w in name.split())), set()).add(name)
            if kind in _LOCAL_KINDS:
                self.keys.setdefault((kind, "bare", _bare(name)[0]), set()).add(name)

    def home(self, name: str, found: Collection[str]) -> str | None:
        """The one longer name still in `found` that `name` is a short form of, if just one (_rank)."""
        kind, folded = self.kinds[name], fold(name)
        candidates = set(self.keys.get((kind, "end", " ".join(folded.split())), ()))
        if kind in _LOCAL_KINDS:
            key, words = _bare(name)
            candidates |= {other for other in self.keys[(kind, "bare", key)] if words <= _bare(other)[1]}
        if name.isupper() and len(name) > 1:
            candidates |= self.keys.get((kind, "initials", name), set())
        homes = [other for other in candidates if other in found and _rank(other) > _rank(name)]
        return homes[0] if len(homes) == 1 else None
