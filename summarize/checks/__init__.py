"""Check a summary against its source, so a reader can trust it before quoting it.

Every check is a small function of plain strings; `check()` runs them all on an Article and
records which paragraphs support each summary sentence (lexical: the share of a sentence's
content words a paragraph contains) and the flags, each kind named once in FLAGS. What each
flag means for a reader: docs/brief.md; the figure rules it shares with translation: figures.py.

The folder holds what both translation and these checks rely on: figures.py and quantities.py
(figures read in either language), glossary.py (names and terms), protection.py (placeholders
around the model), entities.py (who and what an article names).
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain

from ..article import Article
from ..reading.language import ENGLISH_STOPWORDS as STOPWORDS
from ..reading.letters import DISTINCTIVE
from ..reading.segmenter import split_sentences
from .figures import english_figures, find_figures


@dataclass(frozen=True)
class FlagKind:
    label: str  # as the review page names it
    note: str | None = None  # as the brief notes it under the summary; None: review page only


FLAGS = {
    "figure": FlagKind("Unverified figure", "unverified figure"),
    "name": FlagKind("Name not in the source", "name not in the source"),
    "unsupported": FlagKind("No supporting paragraph"),
    "untranslated": FlagKind("Vietnamese left untranslated"),
    "restored": FlagKind("Figure the translator dropped (added in brackets)"),
    "answer": FlagKind("Model answer not usable as it is", "model answer"),
    "over-budget": FlagKind("Not translated or summarized: past the per-article budget", "only the start was summarized"),
}

SUPPORT_THRESHOLD = 0.34  # share of a sentence's content words a paragraph must contain
MAX_SUPPORT = 2  # paragraphs linked per summary sentence

_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")


def unverified_figures(summary: str, source: str) -> list[str]:
    """Figures of `summary` whose value appears nowhere in `source` (as written there)."""
    known = _values(source)
    return [written for written, values in english_figures(summary) if not values & known]


@lru_cache(maxsize=2)  # check() asks of one article's evidence twice: for its headline and its summary
def _values(source: str) -> frozenset[float]:
    """Every value a figure of `source` can mean."""
    return frozenset().union(*(values for _, values in english_figures(source))) if source else frozenset()


def _vocabulary(words: Iterable[str]) -> list[str]:
    """The distinct `words` in lower case, sorted: the words beginning with a stem follow one
    another, so one binary search finds whether any does."""
    return sorted({w.lower() for w in words})


def _begins_a_word(stem: str, words: list[str]) -> bool:
    at = bisect_left(words, stem)
    return at < len(words) and words[at].startswith(stem)


def unknown_names(summary: str, source: str) -> list[str]:
    """Capitalised words of `summary`, other than a sentence's first word, not found in
    `source` (a shared stem counts: `Russian` is found in a text saying `Russia`)."""
    return _unknown_names(summary, _vocabulary(_WORD.findall(source)))


def _unknown_names(summary: str, words: list[str]) -> list[str]:
    missing = []
    for sentence in split_sentences(summary) if summary.strip() else []:
        for word in _WORD.findall(sentence)[1:]:
            if not word[0].isupper() or word.lower() in STOPWORDS:
                continue
            stem = word.lower()[: max(4, len(word) - 2)]
            if not _begins_a_word(stem, words) and word not in missing:
                missing.append(word)
    return missing


def vietnamese_words(text: str) -> list[str]:
    """Words of `text` left in Vietnamese: runs of accented words that hold at least one letter
    only Vietnamese uses (ă đ ơ ư ạ ả ế …), so `Hà Nội` counts but `café` does not."""
    return _left_in_vietnamese(_WORD.findall(text))


def _left_in_vietnamese(words: Iterable[str]) -> list[str]:
    found: list[str] = []
    run: list[str] = []
    distinctive = False
    for word in words:
        kind = _ACCENTS[word]
        if kind:
            run.append(word)
            distinctive = distinctive or kind == _DISTINCTIVE
        elif run:
            if distinctive:
                found += run
            run, distinctive = [], False
    return found + run if distinctive else found


_ACCENTED, _DISTINCTIVE = 1, 2


class _Accents(dict):
    """A word → 0 (no diacritic), _ACCENTED, or _DISTINCTIVE (a diacritic and a letter only
    Vietnamese uses), each word worked out once and then looked up in C (a language's words
    repeat); emptied when it grows past 2**17 words, so a long backfill cannot fill memory."""

    def __missing__(self, word: str) -> int:
        if len(self) >= 1 << 17:
            self.clear()
        accented = not word.isascii() and unicodedata.normalize("NFD", word) != word
        self[word] = kind = (_DISTINCTIVE if DISTINCTIVE.search(word) else _ACCENTED) if accented else 0
        return kind


_ACCENTS = _Accents()


def content_words(text: str, words: Callable[[str], list[str]] = _WORD.findall) -> set[str]:
    return set(map(str.lower, words(text))) - STOPWORDS


def supports(sentences: list[str], paragraphs: list[str], words: Callable[[str], list[str]] = _WORD.findall) -> list[list[int]]:
    """For each sentence, the indices of the paragraphs that best support it, best first (may
    be empty). Paragraphs are indexed by word once, so the cost follows the words the sentences
    share with paragraphs, not sentences × paragraphs. `words`: a text's words (_WORD's)."""
    index: dict[str, list[int]] = {}
    for i, paragraph in enumerate(paragraphs):
        for word in content_words(paragraph, words):
            index.setdefault(word, []).append(i)
    return [_best_paragraphs(content_words(sentence, words), index) for sentence in sentences]


def _best_paragraphs(words: set[str], index: dict[str, list[int]]) -> list[int]:
    if not words:
        return []
    shared = Counter(i for word in words for i in index.get(word, ()))
    ranked = sorted((n / len(words), -i) for i, n in shared.items() if n / len(words) >= SUPPORT_THRESHOLD)
    return [-i for _, i in reversed(ranked)][:MAX_SUPPORT]


def support(sentence: str, paragraphs: list[str]) -> list[int]:
    """The paragraphs that best support one sentence (see supports)."""
    return supports([sentence], paragraphs)[0]


class _Words(dict):
    """A text → its words (_WORD's), each text read once."""

    def __missing__(self, text: str) -> list[str]:
        self[text] = found = _WORD.findall(text)
        return found

    def of(self, texts: Iterable[str]) -> Iterator[str]:
        """The words of `texts` joined with spaces, in order (no word holds a space)."""
        return chain.from_iterable(map(self.__getitem__, texts))


_BULLET = re.compile(r"^\s*(?:[-•*]|\d+[.)])\s+(.*\S)\s*$")


def bullet_points(summary: str) -> list[str]:
    """The points of a summary written as a list (the `bullets` style): every line a bullet,
    two or more; else []."""
    lines = [line for line in summary.splitlines() if line.strip()]
    bullets = [m.group(1) for line in lines if (m := _BULLET.match(line))]
    return bullets if len(bullets) >= 2 and len(bullets) == len(lines) else []


def summary_sentences(summary: str) -> list[str]:
    """The summary's sentences, or its bullet points one each."""
    return bullet_points(summary) or (split_sentences(summary) if summary.strip() else [])


def check(article: Article) -> Article:
    """Fill `sentences`, `support` and `flags` from the article's summary, headline and translation."""
    # the evidence: the translation, the figures read in the Vietnamese source (a summary that read
    # the source may state one the translation renders otherwise; the translator read them, a day
    # saved before it kept them is read here) and the names the glossary found there
    figures = article.figures
    if figures is None:
        vietnamese = " ".join([article.title or "", *article.body[: len(article.body_en)]]) if article.language != "en" else ""
        figures = [f.english for f in find_figures(vietnamese)]
    words = _Words()  # each text's words read once: for the support, the names and the Vietnamese left
    translation = [article.title_en or "", *article.body_en, *article.captions_en]
    evidence = [*translation, *figures, *(e["name"] for e in article.entities)]
    evidence_text = " ".join(evidence)
    vocabulary = _vocabulary(words.of(evidence))
    sentences = article.sentences = summary_sentences(article.summary)
    article.support = supports(sentences, article.body_en, words.__getitem__)
    flags: list[dict] = []
    for text in (article.headline if not article.title_en else "", article.summary):
        flags += [{"kind": "figure", "text": f} for f in unverified_figures(text, evidence_text)]
        flags += [{"kind": "name", "text": n} for n in _unknown_names(text, vocabulary)]
    flags += [{"kind": "unsupported", "text": s} for s, sup in zip(sentences, article.support) if not sup]
    flags += [{"kind": "restored", "text": f} for f in article.restored]
    flags += [{"kind": "answer", "text": problem} for problem in article.summary_problems]
    if article.over_budget:
        rest = article.source_texts[-article.over_budget :]
        flags.append({"kind": "over-budget", "text": f"the last {article.over_budget:,} paragraphs and captions "
                      f"({sum(map(len, rest)):,} characters) are past the budget of one article"})
    seen = dict.fromkeys(_left_in_vietnamese(words.of([article.headline, article.summary, *translation])))
    if seen:
        flags.append({"kind": "untranslated", "text": " ".join(list(seen)[:12])})
    article.flags = [dict(f) for f in dict.fromkeys(tuple(sorted(f.items())) for f in flags)]
    return article
