"""The one record that flows through the pipeline: each stage fills in its part of an Article."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields

from .hashing import digest


@dataclass
class Article:
    """An article as it moves from the scraped page to the brief.

    The cleaner fills the Vietnamese fields, the translator the `*_en` fields (one English
    paragraph per Vietnamese one, so the review can show them side by side) and `figures`
    (the checks' evidence), the summarizer `summary` and `headline`, the checks `sentences`
    (the summary's, split once for every output), `support` and `flags`. `entities` are found
    on the Vietnamese text when it is read; a copy of another article (`copy_of`) is never
    translated or summarized.
    """

    source: str  # path of the input file, as the user gave it (relative when possible)
    language: str = "vi"  # "en": an English original, summarized without translation
    encoding: str = "utf-8"  # how the file was decoded
    title: str | None = None
    published: str | None = None  # ISO 8601
    byline: str | None = None
    credit: str | None = None  # agency or outlet credited in the text, e.g. "TTXVN"
    outlet: str | None = None  # the host the page was published on, e.g. "baoquocte.vn"
    url: str | None = None  # the page's own address, when it declares one
    declared: list[str] = field(default_factory=list)  # fields the page declared (metadata.py), not guessed
    read_from: dict[str, str] = field(default_factory=dict)  # field -> the copy it was taken from
    body: list[str] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    dropped: list[dict] = field(default_factory=list)  # {"text", "why", "inside": within the article's lines}
    entities: list[dict] = field(default_factory=list)  # {"kind": People|Places|…, "name": …} (entities.py)
    copy_of: str | None = None  # the source of the article this one is a copy of (duplicates.py)
    extra: list[str] = field(default_factory=list)  # a copy's paragraphs that its original lacks
    title_en: str | None = None
    body_en: list[str] = field(default_factory=list)
    captions_en: list[str] = field(default_factory=list)
    restored: list[str] = field(default_factory=list)  # figures the translator dropped, appended in brackets
    figures: list[str] | None = None  # the English of the figures the translator read in the title and paragraphs
    over_budget: int = 0  # paragraphs and captions past the per-article budget: not translated (translator.BUDGET)
    summary: str = ""
    summary_problems: list[str] = field(default_factory=list)  # an instruction model's answer: cut off, empty, not English
    headline: str = ""
    sentences: list[str] = field(default_factory=list)  # the summary's sentences
    support: list[list[int]] = field(default_factory=list)  # per summary sentence: body paragraph indices
    flags: list[dict] = field(default_factory=list)  # {"kind": figure|name|unsupported|untranslated, "text": …}

    def to_dict(self) -> dict:
        """Every field, for JSON: the lists are the article's own (serialise it, do not keep it)."""
        return {name: getattr(self, name) for name in _NAMES}

    @classmethod
    def from_dict(cls, data: dict) -> Article:
        article = cls(**{k: v for k, v in data.items() if k in _NAMES})
        # days saved before the cleaner gave its reasons hold bare lines
        article.dropped = [{"text": d, "why": "reason not recorded", "inside": False} if isinstance(d, str) else d for d in article.dropped]
        return article

    @property
    def source_texts(self) -> list[str]:
        """What the translator translates, in this order: the title (if any), paragraphs, captions."""
        return ([self.title] if self.title else []) + self.body + self.captions

    @property
    def anchor(self) -> str:
        """A stable HTML id for the article, derived from its source path."""
        stem = re.sub(r"[^a-z0-9]+", "-", self.source.rsplit("/", 1)[-1].lower()).strip("-")[:40]
        return f"a-{stem}-{digest(self.source, length=6)}"


_NAMES = dict.fromkeys(f.name for f in fields(Article))  # the fields' names, in order and looked up fast
