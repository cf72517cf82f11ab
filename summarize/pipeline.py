"""The whole run: read → clean → (cache) → translate → summarize → (cache) → check → brief, review.

`run()` is the library's entry point; the CLI is a thin layer over it. Models are resolved
only when some article is not in the cache, before any model work starts, and each model is
loaded once per process; a run served entirely from the cache imports neither torch nor
transformers.
"""

from __future__ import annotations

import contextlib
import gc
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date as Date
from pathlib import Path

from . import summarizer as summarizer_module
from . import translator as translator_module
from .article import Article
from .brief import merge_lock, write_brief
from .cache import Cache, make_key
from .checks import check
from .cleaner import clean
from .fidelity import Glossary
from .language import detect
from .reader import ReadError, find_inputs, read_text
from .registry import ModelSpec, Registry
from .review import write_review

log = logging.getLogger("summarize")

# Bump when cleaning or assembly changes what an article's cached result should be.
VERSION = "1"


class RunError(Exception):
    """Nothing could run (bad input folder, registry or model); exit status 2."""


class Reporter:
    """How the pipeline tells the user what it is doing; the default says nothing."""

    @contextlib.contextmanager
    def stage(self, name: str, total: int) -> Iterator[Callable[[], None]]:
        yield lambda: None

    def warn(self, message: str) -> None:
        log.warning(message)

    def note(self, message: str) -> None:
        log.info(message)


@dataclass
class RunOptions:
    registry: Registry
    glossary: Glossary = field(default_factory=lambda: Glossary({}))
    translator: str | None = None
    summarizer: str | None = None
    cache_dir: Path | None = None  # None: no cache
    out_dir: Path = Path("briefs")
    date: str = field(default_factory=lambda: Date.today().isoformat())


@dataclass
class RunReport:
    articles: list[Article]
    from_cache: int
    skipped: dict[str, str]
    brief: Path
    review: Path

    @property
    def exit_code(self) -> int:
        return 1 if self.skipped else 0


def _display_path(path: Path) -> str:
    """The path as the user would write it: relative to the working directory when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def read_article(path: Path, source: str) -> Article:
    """Decode and clean one input file, or raise ReadError saying why it cannot be summarized."""
    decoded = read_text(path)
    article = clean(decoded.text, source)
    article.encoding = decoded.encoding
    article.language = detect(" ".join([article.title or "", *article.body]) if article.body else decoded.text)
    if article.language == "other":
        raise ReadError("not in Vietnamese or English; skipped")
    if not article.body:
        raise ReadError("no article text found on the page")
    return article


def article_key(article: Article, translation: ModelSpec, summary: ModelSpec, glossary: Glossary) -> str:
    """Cache key of a finished article: its cleaned text and every setting that shapes the result."""
    text = [article.title, article.body, article.captions]
    return make_key(
        VERSION,
        translator_module.VERSION,
        summarizer_module.VERSION,
        translation.fingerprint(),
        summary.fingerprint(),
        glossary.fingerprint(),
        text,
    )


def open_model(spec: ModelSpec, path: Path | None):
    """The runnable model for a registry entry (path: its files, for the transformers backend)."""
    from .seq2seq import PassThrough, Seq2Seq

    return PassThrough(spec) if spec.backend == "passthrough" else Seq2Seq(spec, path)


def run(inputs: Path, options: RunOptions, reporter: Reporter | None = None) -> RunReport:
    """Turn every article file under `inputs` into an entry of the day's brief."""
    reporter = reporter or Reporter()
    inputs = Path(inputs)
    if not inputs.exists():
        raise RunError(f"{inputs}: no such file or folder")
    files = find_inputs(inputs)
    if not files:
        raise RunError(f"{inputs}: no article files (.txt, .html) found")
    translation = options.registry.get("translation", options.translator)
    summary = options.registry.get("summarization", options.summarizer)
    cache = Cache(options.cache_dir)

    skipped: dict[str, str] = {}
    articles: list[Article] = []
    with reporter.stage("Cleaning", len(files)) as advance:
        for path in files:
            source = _display_path(path)
            try:
                article = read_article(path, source)
            except ReadError as exc:
                skipped[source] = str(exc)
                reporter.warn(f"skipped {source}: {exc}")
            else:
                articles.append(article)
                if article.encoding not in ("utf-8", "utf-8-sig", "ascii"):
                    reporter.note(f"{source}: not UTF-8, decoded as {article.encoding}")
                if article.language == "en":
                    reporter.note(f"{source}: written in English, summarized without translation")
            advance()

    keys = {a.source: article_key(a, translation, summary, options.glossary) for a in articles}
    done: list[Article] = []
    todo: list[Article] = []
    for article in articles:
        hit = cache.get("article", keys[article.source])
        if hit is not None:
            done.append(Article.from_dict({**hit, "source": article.source}))
        else:
            todo.append(article)
    from_cache = len(done)

    if todo:
        from .hub import ModelUnavailable, resolve

        try:  # fail before any work if a model cannot be had
            paths = {s.stage: resolve(s) for s in (translation, summary)}
        except ModelUnavailable as exc:
            raise RunError(str(exc)) from None
        done += _process(todo, translation, summary, paths, cache, keys, skipped, reporter, options.glossary)

    cache.close()
    done = sorted((check(a) for a in done), key=lambda a: a.source)
    try:
        with merge_lock(options.out_dir, options.date):
            brief = write_brief(options.out_dir, options.date, done, skipped)
            review = write_review(brief.with_suffix(".json"))
    except OSError as exc:  # unwritable folder, full disk: say so (the results stay cached)
        raise RunError(f"cannot write the brief in {options.out_dir}: {exc.strerror or exc}") from None
    return RunReport(articles=done, from_cache=from_cache, skipped=skipped, brief=brief, review=review)


def _process(todo, translation, summary, paths, cache, keys, skipped, reporter, glossary) -> list[Article]:
    """Translate, then summarize, the articles not in the cache; one model in memory at a time."""
    translated: list[Article] = []
    model = open_model(translation, paths["translation"])
    stage = translator_module.Translator(model, cache, glossary)
    with reporter.stage(f"Translating ({translation.name})", len(todo)) as advance:
        for article in todo:
            try:
                translated.append(stage.translate(article))
            except Exception as exc:  # one article's failure must not stop the run
                log.debug("translation failed", exc_info=True)
                skipped[article.source] = f"translation failed ({exc})"
                reporter.warn(f"skipped {article.source}: translation failed ({exc})")
            advance()
    del model, stage
    gc.collect()

    finished: list[Article] = []
    model = open_model(summary, paths["summarization"])
    stage = summarizer_module.Summarizer(model, cache)
    with reporter.stage(f"Summarizing ({summary.name})", len(translated)) as advance:
        for article in translated:
            try:
                finished.append(stage.summarize(article))
                cache.put("article", keys[article.source], article.to_dict())
            except Exception as exc:
                log.debug("summarization failed", exc_info=True)
                skipped[article.source] = f"summarization failed ({exc})"
                reporter.warn(f"skipped {article.source}: summarization failed ({exc})")
            advance()
    return finished
