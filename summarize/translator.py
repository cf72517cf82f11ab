"""Translate an article's Vietnamese paragraphs into English, chunk by chunk, cached per chunk."""

from __future__ import annotations

from .article import Article
from .cache import Cache, make_key
from .segmenter import chunk
from .seq2seq import Seq2Seq

# Bump when a change here changes translations, so cached ones are not reused.
VERSION = "1"


class Translator:
    """Vietnamese→English with one registry entry. Each paragraph is split into chunks that fit
    the model, so a 5,000-word article is translated whole; chunks are cached one by one."""

    def __init__(self, model: Seq2Seq, cache: Cache):
        self.model = model
        self.cache = cache
        self.fingerprint = model.spec.fingerprint()

    def translate_texts(self, texts: list[str]) -> list[str]:
        """English for each text, in order; empty texts stay empty."""
        limit = self.model.spec.max_input_tokens
        pieces = [chunk(text, self.model.count_tokens, limit) if text.strip() else [] for text in texts]
        wanted = {p.strip() for ps in pieces for p in ps if p.strip()}
        done: dict[str, str] = {}
        for text in wanted:
            hit = self.cache.get("chunk", make_key(VERSION, self.fingerprint, text))
            if hit is not None:
                done[text] = hit
        missing = sorted(wanted - done.keys())
        for text, english in zip(missing, self.model.generate(missing)):
            done[text] = english
            self.cache.put("chunk", make_key(VERSION, self.fingerprint, text), english)
        return [" ".join(done[p.strip()] for p in ps if p.strip()) for ps in pieces]

    def translate(self, article: Article) -> Article:
        """Fill the article's English title, paragraphs and captions."""
        title = [article.title] if article.title else []
        english = self.translate_texts(title + article.body + article.captions)
        if title:
            article.title_en = english.pop(0)
        article.body_en = english[: len(article.body)]
        article.captions_en = english[len(article.body) :]
        return article
