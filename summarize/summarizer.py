"""Summarize an article's English translation abstractively, however long it is."""

from __future__ import annotations

import re

from .article import Article
from .cache import Cache
from .engines import Model
from .hashing import digest
from .registry import ModelSpec
from .segmenter import chunk, split_sentences

# Bump when a change here changes summaries, so cached ones are not reused.
VERSION = "1"
HEADLINE_WORDS = 14


class Summarizer:
    """English text → summary with one registry entry. A text longer than the model's input
    limit is summarized chunk by chunk and the partial summaries are summarized together
    (map-reduce), so the end of a long article counts as much as its start."""

    def __init__(self, model: Model, cache: Cache):
        self.model = model
        self.cache = cache

    @staticmethod
    def identity(spec: ModelSpec) -> str:
        """Everything of this stage that shapes a summary (its cache identity)."""
        return digest("summary", VERSION, spec.fingerprint())

    def _key(self, text: str) -> str:
        return digest(self.identity(self.model.spec), text)

    def _chunks(self, text: str) -> list[str]:
        pieces = chunk(text, self.model.count_tokens, self.model.spec.max_input_tokens)
        return [p.strip() for p in pieces if p.strip()]

    def summarize_texts(self, texts: list[str]) -> list[str]:
        """The summary of each text. Round by round, the pending chunks of all the texts go to
        the model together, so batches are full even when each article is a single chunk."""
        summaries: dict[str, str] = {}
        pending: dict[str, list[str]] = {}  # text -> the chunks still to summarize
        for text in dict.fromkeys(texts):
            if not text.strip():
                summaries[text] = ""
            elif (hit := self.cache.get("summary", self._key(text))) is not None:
                summaries[text] = hit
            else:
                pending[text] = self._chunks(text)
        while pending:
            inputs = list(dict.fromkeys(c for chunks in pending.values() for c in chunks))
            outputs = dict(zip(inputs, self.model.generate(inputs)))
            for text, chunks in list(pending.items()):
                partial = [outputs[c] for c in chunks]
                if len(chunks) > 1:
                    combined = " ".join(o for o in partial if o)
                    reduced = self._chunks(combined)
                    if len(reduced) < len(chunks):  # another round, on the partial summaries
                        pending[text] = reduced
                        continue
                    summary = combined  # partial summaries no shorter than their inputs: keep them
                else:
                    summary = partial[0]
                summaries[text] = summary
                self.cache.put("summary", self._key(text), summary)
                del pending[text]
        return [summaries[t] for t in texts]

    def summarize(self, articles: list[Article]) -> list[Article]:
        """Fill each article's summary, and its headline: the translated title, or, for a page
        without one, the summary's first sentence (shortened to HEADLINE_WORDS words)."""
        texts = [" ".join(p for p in article.body_en if p) for article in articles]
        for article, summary in zip(articles, self.summarize_texts(texts)):
            article.summary = summary
            article.headline = article.title_en if has_words(article.title_en) else derive_headline(article.summary)
        return articles


def has_words(headline: str | None) -> bool:
    """Whether a translated headline says anything: one that came back empty, or as a lone
    figure the translator dropped and protection appended (`[50]`), is not a headline."""
    return bool(headline) and re.search(r"[^\W\d_]", re.sub(r"\[[^\]]*\]", "", headline)) is not None


def derive_headline(summary: str) -> str:
    """A headline for a page without a title: the first sentence of its summary ('' without
    a summary; outputs then show display.UNTITLED)."""
    sentences = split_sentences(summary.strip()) if summary.strip() else []
    if not sentences:
        return ""
    words = sentences[0].split()
    if len(words) <= HEADLINE_WORDS:
        return sentences[0].strip()
    return " ".join(words[:HEADLINE_WORDS]).rstrip(",;:") + "…"
