"""Summarize an article abstractively, however long it is: from its English translation, or,
with an instruction model that reads Vietnamese (`reads: source`), from the article itself."""

from __future__ import annotations

import re

from ..article import Article
from ..hashing import digest
from ..reading.language import detect
from ..reading.segmenter import chunk, split_sentences
from .cache import Cache
from .engines import Model
from .engines.batched import CUT_OFF
from .registry import ModelSpec

# Bump when a change here changes summaries, so cached ones are not reused.
VERSION = "1"
HEADLINE_WORDS = 14


class Summarizer:
    """Text → summary with one registry entry. An instruction model gets the style's user
    message with the text, headline and wanted length filled in (a seq2seq model the text as it
    is). A text longer than the model's input limit is summarized chunk by chunk and the partial
    summaries are summarized together (map-reduce), so the end of a long article counts as much
    as its start; an instruction model's context usually holds a whole article at once."""

    def __init__(self, model: Model, cache: Cache):
        self.model = model
        self.cache = cache
        self.prompt = model.spec.prompt  # {} for a model that takes the text as it is
        self.fingerprint = self.identity(model.spec)  # in every key: computed once

    @staticmethod
    def identity(spec: ModelSpec) -> str:
        """Everything of this stage that shapes a summary (its cache identity; the style's prompt included)."""
        return digest("summary", VERSION, spec.fingerprint())

    def _key(self, text: str, headline: str) -> str:
        """A summary's cache key: an instruction model's answer depends on the headline in its
        prompt too; a seq2seq model's keys are those it always had (its cached summaries stay valid)."""
        if self.prompt:
            return digest(self.fingerprint, text, headline)
        return digest(self.fingerprint, text)

    def _fill(self, text: str, headline: str) -> str:
        """The model's input for `text`: the style's user message, or the text itself."""
        if not self.prompt:
            return text
        return self.prompt["user"].format(text=text, headline=headline or "(none)", length=self.prompt.get("length", ""))

    def _chunks(self, text: str, headline: str) -> list[str]:
        count = lambda pieces: self.model.count_tokens([self._fill(p, headline) for p in pieces])  # noqa: E731
        pieces = chunk(text, count, self.model.spec.max_input_tokens)
        return [p.strip() for p in pieces if p.strip()]

    def summarize_texts(self, texts: list[str], headlines: list[str] | None = None) -> list[str]:
        """The model's summary of each text (an instruction model's answer cut off at its output
        limit ends with CUT_OFF). Round by round, the pending chunks of all the texts go to the
        model together, so batches are full even when each article is a single chunk."""
        jobs = list(zip(texts, headlines or [""] * len(texts)))
        summaries: dict[tuple[str, str], str] = {}
        pending: dict[tuple[str, str], list[str]] = {}  # (text, headline) -> the chunks still to summarize
        keys = {job: self._key(*job) for job in dict.fromkeys(jobs) if job[0].strip()}  # an empty text has none
        held = self.cache.get_many("summary", keys.values())
        for job in dict.fromkeys(jobs):
            if job not in keys:
                summaries[job] = ""
            elif keys[job] in held:
                summaries[job] = held[keys[job]]
            else:
                pending[job] = self._chunks(*job)
        while pending:
            inputs = list(dict.fromkeys(self._fill(c, job[1]) for job, chunks in pending.items() for c in chunks))
            outputs = dict(zip(inputs, self.model.generate(inputs)))
            finished: dict[str, str] = {}  # cached together, once the round is done
            for job, chunks in list(pending.items()):
                partial = [outputs[self._fill(c, job[1])] for c in chunks]
                if len(chunks) > 1:
                    combined = " ".join(o.removesuffix(CUT_OFF) for o in partial if o)
                    reduced = self._chunks(combined, job[1])
                    if 0 < len(reduced) < len(chunks):  # another round, on the partial summaries (if they say anything)
                        pending[job] = reduced
                        continue
                    summary = combined  # partial summaries no shorter than their inputs: keep them
                else:
                    summary = partial[0]
                summaries[job] = finished[keys[job]] = summary
                del pending[job]
            self.cache.put_many("summary", finished)
        return [summaries[job] for job in jobs]

    def summarize(self, articles: list[Article]) -> list[Article]:
        """Fill each article's summary, and its headline: the translated title, or, for a page
        without one, the summary's first sentence (shortened to HEADLINE_WORDS words). What an
        instruction model's answer lacks is noted in `summary_problems` (the checks flag it)."""
        source = self.model.spec.reads == "source"
        texts = [" ".join(p for p in (a.body[: len(a.body_en)] if source else a.body_en) if p) for a in articles]
        headlines = [(a.title if source else a.title_en) or "" for a in articles]
        for article, summary in zip(articles, self.summarize_texts(texts, headlines)):
            article.summary = summary.removesuffix(CUT_OFF)
            article.summary_problems = answer_problems(summary) if self.prompt else []
            article.headline = article.title_en if has_words(article.title_en) else derive_headline(article.summary)
        return articles


def answer_problems(answer: str) -> list[str]:
    """What makes an instruction model's answer unfit to print as it is."""
    text = answer.removesuffix(CUT_OFF).strip()
    problems = ["cut off at the output limit"] if answer.endswith(CUT_OFF) else []
    if not text:
        return problems + ["empty answer"]
    if detect(text) != "en":
        problems.append("not in English")
    return problems


def has_words(headline: str | None) -> bool:
    """Whether a translated headline says anything: one that came back empty, or as a lone
    figure the translator dropped and protection appended (`[50]`), is not a headline."""
    return bool(headline) and re.search(r"[^\W\d_]", re.sub(r"\[[^\]]*\]", "", headline)) is not None


def derive_headline(summary: str) -> str:
    """A headline for a page without a title: the first sentence of its summary ('' without
    a summary; outputs then show view.UNTITLED)."""
    sentences = split_sentences(summary.strip()) if summary.strip() else []
    if not sentences:
        return ""
    words = sentences[0].split()
    if len(words) <= HEADLINE_WORDS:
        return sentences[0].strip()
    return " ".join(words[:HEADLINE_WORDS]).rstrip(",;:") + "…"
