"""Translate articles' Vietnamese paragraphs into English, sentence by sentence, cached per sentence.

Figures and glossary terms are protected around the model (protection.py): placeholders
first; a sentence whose placeholders do not come back intact is translated again with the English
renderings inline, repaired by value, and any figure still missing is appended and reported.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from ..article import Article
from ..checks.glossary import Glossary
from ..checks.protection import Protected, protect, repair, restore
from ..hashing import digest
from ..reading.segmenter import sentence_pieces
from .cache import Cache
from .engines import Model
from .registry import ModelSpec

log = logging.getLogger("summarize")

# Bump when a change here changes translations, so cached ones are not reused.
VERSION = "3"
# The most Vietnamese (or English) characters of one article that are translated and summarized,
# title first, then paragraphs, then captions: about 8,000 words, several times the longest news
# article, so a 20 MB dump cannot hold back the day's brief. What is past it is kept, shown
# untranslated on the review page and flagged, never silently cut (docs/robustness.md).
BUDGET = 50_000


def within_budget(article: Article) -> list[str]:
    """The article's source texts (title, paragraphs, captions) up to BUDGET characters; the
    title and the first paragraph always."""
    texts, total = article.source_texts, 0
    for n, text in enumerate(texts):
        total += len(text)
        if total > BUDGET and n > 1:
            return texts[:n]
    return texts


def _gathered(pieces: list[list[str]], of_piece: Callable[[str], Sequence[str]]) -> list[list[str]]:
    """For each text (its list of pieces), what `of_piece` gives for its pieces, in order."""
    return [[item for piece in parts for item in of_piece(piece)] for parts in pieces]


class Translator:
    """Vietnamese→English with one registry entry, one sentence per model input (a sentence too
    long for the model is cut at clauses), so a 5,000-word article is translated whole. The
    sentences of all the articles given at once go to the model together, sorted by length into
    full batches; each batch's outputs are cached as soon as it is done."""

    def __init__(self, model: Model, cache: Cache, glossary: Glossary | None = None):
        self.model = model
        self.cache = cache
        self.glossary = glossary or Glossary({})  # a Session passes its resolved glossary
        self.fingerprint = model.spec.fingerprint()
        self._protected: dict[str, Protected] = {}  # within one translate_texts call

    @staticmethod
    def identity(spec: ModelSpec, glossary: Glossary) -> str:
        """Everything of this stage that shapes an article's translation (its cache identity)."""
        return digest("translation", VERSION, spec.fingerprint(), glossary.fingerprint())

    def _key(self, text: str) -> str:
        """A sentence's cache key; the glossary is already applied to `text`."""
        return digest("sentence", VERSION, self.fingerprint, text)

    def _generate(self, inputs: list[str]) -> dict[str, str]:
        """Model output for each distinct input, from the cache where possible."""
        keys = {text: self._key(text) for text in dict.fromkeys(inputs)}  # each distinct input's, once
        held = self.cache.get_many("sentence", keys.values())
        done: dict[str, str] = {text: held[key] for text, key in keys.items() if key in held}
        missing = [t for t in keys if t not in done]
        log.info("translation: %d of %d sentences from the cache", len(done), len(done) + len(missing))

        def store(batch: list[str], outputs: list[str]) -> None:  # as each batch is done, in one commit
            self.cache.put_many("sentence", {keys[text]: english for text, english in zip(batch, outputs)})

        if missing:
            done.update(zip(missing, self.model.generate(missing, on_batch=store)))
        return done

    def translate_texts(self, texts: list[str]) -> tuple[list[str], list[list[str]], list[list[str]]]:
        """English for each text, in order (empty texts stay empty); for each text the figures
        the model dropped, which were appended in brackets; and the English of every figure
        read in each text (protection reads them, sentence by sentence)."""
        limit = self.model.spec.max_input_tokens
        self._protected = {}  # each sentence protected once: to count it, then to translate it
        prepared = {}
        pieces = []
        for text in texts:
            parts = [p.strip() for p in sentence_pieces(text, self._count, limit)] if text.strip() else []
            pieces.append([p for p in parts if p])
            for part in pieces[-1]:
                if part not in prepared:  # a repeated sentence is protected and translated once
                    prepared[part] = self._protect(part)
        first = self._generate([p.placeholders for p in prepared.values()])
        english: dict[str, str] = {}
        missing: dict[str, list[str]] = {}
        retry = []
        for part, p in prepared.items():
            restored = restore(first[p.placeholders], p.figures)
            if restored is None:
                retry.append(part)
            else:
                english[part] = restored
        second = self._generate([prepared[part].inline for part in retry]) if retry else {}
        for part in retry:
            english[part], missing[part] = repair(second[prepared[part].inline], prepared[part].figures)
        return (
            [" ".join(english[p] for p in parts) for parts in pieces],
            _gathered(pieces, lambda p: missing.get(p, [])),
            _gathered(pieces, lambda p: prepared[p].read),
        )

    def _protect(self, text: str) -> Protected:
        if text not in self._protected:
            self._protected[text] = protect(text, self.glossary)
        return self._protected[text]

    def _count(self, texts) -> list[int]:
        """Token counts of the longer of the two model inputs each text can become."""
        protected = [self._protect(t) for t in texts]
        with_placeholders = self.model.count_tokens([p.placeholders for p in protected])
        inline = self.model.count_tokens([p.inline for p in protected])
        return [max(a, b) for a, b in zip(with_placeholders, inline)]

    def translate(self, articles: list[Article]) -> list[Article]:
        """Fill each article's English title, paragraphs and captions (an English original is
        copied as it is), translating all of their sentences together; what is past an article's
        BUDGET is left untranslated and counted in `over_budget`."""
        kept = {id(a): within_budget(a) for a in articles}
        foreign = [a for a in articles if a.language != "en"]
        english, lost, read = self.translate_texts([text for a in foreign for text in kept[id(a)]])
        position = 0
        for article in articles:
            article.over_budget = len(article.source_texts) - len(kept[id(article)])
            article.figures = []
            if article.language == "en":
                english_texts = kept[id(article)]
                if article.title:
                    article.title_en = english_texts.pop(0)
                article.body_en, article.captions_en = english_texts[: len(article.body)], english_texts[len(article.body) :]
                continue
            size = len(kept[id(article)])
            mine = english[position : position + size]
            article.restored = [figure for figures in lost[position : position + size] for figure in figures]
            read_in = read[position : position + min(size, (1 if article.title else 0) + len(article.body))]  # not the captions
            article.figures = list(dict.fromkeys(figure for figures in read_in for figure in figures))
            position += size
            if article.title:
                article.title_en = mine.pop(0)
            article.body_en = mine[: len(article.body)]
            article.captions_en = mine[len(article.body) :]
        return articles
