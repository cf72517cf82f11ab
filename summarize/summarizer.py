"""Summarize an article's English translation abstractively, however long it is."""

from __future__ import annotations

from .article import Article
from .cache import Cache, make_key
from .segmenter import chunk, split_sentences
from .seq2seq import Seq2Seq

# Bump when a change here changes summaries, so cached ones are not reused.
VERSION = "1"
HEADLINE_WORDS = 14


class Summarizer:
    """English text → summary with one registry entry. A text longer than the model's input
    limit is summarized chunk by chunk and the partial summaries are summarized together
    (map-reduce), so the end of a long article counts as much as its start."""

    def __init__(self, model: Seq2Seq, cache: Cache):
        self.model = model
        self.cache = cache
        self.fingerprint = model.spec.fingerprint()

    def _chunks(self, text: str) -> list[str]:
        pieces = chunk(text, self.model.count_tokens, self.model.spec.max_input_tokens)
        return [p.strip() for p in pieces if p.strip()]

    def summarize_text(self, text: str) -> str:
        if not text.strip():
            return ""
        key = make_key(VERSION, self.fingerprint, text)
        if (hit := self.cache.get("summary", key)) is not None:
            return hit
        chunks = self._chunks(text)
        while True:
            outputs = self.model.generate(chunks)
            if len(chunks) == 1:
                summary = outputs[0]
                break
            combined = " ".join(o for o in outputs if o)
            reduced = self._chunks(combined)
            if len(reduced) >= len(chunks):  # partial summaries no shorter than their inputs
                summary = combined
                break
            chunks = reduced
        self.cache.put("summary", key, summary)
        return summary

    def summarize(self, article: Article) -> Article:
        """Fill the article's summary, and its headline: the translated title, or, for a page
        without one, the summary's first sentence (shortened to HEADLINE_WORDS words)."""
        article.summary = self.summarize_text(" ".join(p for p in article.body_en if p))
        article.headline = article.title_en or derive_headline(article.summary)
        return article


def derive_headline(summary: str) -> str:
    """A headline for a page without a title: the first sentence of its summary."""
    sentences = split_sentences(summary.strip()) if summary.strip() else []
    if not sentences:
        return "Untitled article"
    words = sentences[0].split()
    if len(words) <= HEADLINE_WORDS:
        return sentences[0].strip()
    return " ".join(words[:HEADLINE_WORDS]).rstrip(",;:") + "…"
