"""Translate an article's Vietnamese paragraphs into English, chunk by chunk, cached per chunk.

Figures and glossary terms are protected around the model (see fidelity.py): placeholders
first; a chunk whose placeholders do not come back intact is translated again with the English
renderings inline, repaired by value, and any figure still missing is appended and reported.
"""

from __future__ import annotations

import logging

from .article import Article
from .cache import Cache, make_key
from .fidelity import Glossary, protect, repair, restore
from .segmenter import chunk

log = logging.getLogger("summarize")

# Bump when a change here changes translations, so cached ones are not reused.
VERSION = "2"


class Translator:
    """Vietnamese→English with one registry entry. Each paragraph is split into chunks that fit
    the model, so a 5,000-word article is translated whole; model outputs are cached per input."""

    def __init__(self, model, cache: Cache, glossary: Glossary | None = None):
        self.model = model  # a Seq2Seq or PassThrough
        self.cache = cache
        self.glossary = glossary or Glossary({})
        self.fingerprint = model.spec.fingerprint()

    def _generate(self, inputs: list[str]) -> dict[str, str]:
        """Model output for each distinct input, from the cache where possible."""
        done: dict[str, str] = {}
        for text in dict.fromkeys(inputs):
            hit = self.cache.get("chunk", make_key(VERSION, self.fingerprint, text))
            if hit is not None:
                done[text] = hit
        missing = [t for t in dict.fromkeys(inputs) if t not in done]
        log.info("translation: %d of %d chunks from the cache", len(done), len(done) + len(missing))
        for text, english in zip(missing, self.model.generate(missing)):
            done[text] = english
            self.cache.put("chunk", make_key(VERSION, self.fingerprint, text), english)
        return done

    def translate_texts(self, texts: list[str]) -> tuple[list[str], list[str]]:
        """English for each text, in order (empty texts stay empty), and the figures the model
        dropped, which were appended in brackets."""
        limit = self.model.spec.max_input_tokens
        prepared = {}
        pieces = []
        for text in texts:
            parts = [p.strip() for p in chunk(text, self._count, limit)] if text.strip() else []
            pieces.append([p for p in parts if p])
            for part in pieces[-1]:
                prepared.setdefault(part, protect(part, self.glossary))
        first = self._generate([p.placeholders for p in prepared.values()])
        english: dict[str, str] = {}
        retry = []
        for part, p in prepared.items():
            restored = restore(first[p.placeholders], p.figures)
            if restored is None:
                retry.append(part)
            else:
                english[part] = restored
        lost: list[str] = []
        second = self._generate([prepared[part].inline for part in retry]) if retry else {}
        for part in retry:
            english[part], missing = repair(second[prepared[part].inline], prepared[part].figures)
            lost += missing
        return [" ".join(english[p] for p in parts) for parts in pieces], lost

    def _count(self, texts) -> list[int]:
        """Token counts of the longer of the two model inputs each text can become."""
        protected = [protect(t, self.glossary) for t in texts]
        with_placeholders = self.model.count_tokens([p.placeholders for p in protected])
        inline = self.model.count_tokens([p.inline for p in protected])
        return [max(a, b) for a, b in zip(with_placeholders, inline)]

    def translate(self, article: Article) -> Article:
        """Fill the article's English title, paragraphs and captions (an English original is
        copied as it is)."""
        if article.language == "en":
            article.title_en, article.body_en, article.captions_en = article.title, article.body, article.captions
            return article
        title = [article.title] if article.title else []
        english, article.restored = self.translate_texts(title + article.body + article.captions)
        if title:
            article.title_en = english.pop(0)
        article.body_en = english[: len(article.body)]
        article.captions_en = english[len(article.body) :]
        return article
