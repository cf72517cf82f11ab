"""The whole run: read → clean → (cache) → translate → summarize → (cache) → check → brief, review.

`run()` is the library's entry point; the CLI is a thin layer over it. Models are resolved
only when some article is not in the cache, before any model work starts, and each model is
loaded once per process; a run served entirely from the cache imports neither torch nor
transformers.
"""

from __future__ import annotations

import contextlib
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
from .seq2seq import release_memory

log = logging.getLogger("summarize")

# Bump when cleaning or assembly changes what an article's cached result should be.
VERSION = "1"

# Articles whose sentences go to a model together: enough for full, evenly long batches once
# sorted by length, few enough that progress shows and a killed run loses little.
GROUP = 16


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
    model = open_model(translation, paths["translation"])
    translator = translator_module.Translator(model, cache, glossary)
    translated = _in_groups(todo, translator.translate, f"Translating ({translation.name})", "translation",
                            reporter, skipped)
    del model, translator
    release_memory()

    model = open_model(summary, paths["summarization"])
    summarizer = summarizer_module.Summarizer(model, cache)

    def summarize(group: list[Article]) -> list[Article]:
        for article in summarizer.summarize(group):
            cache.put("article", keys[article.source], article.to_dict())
        return group

    return _in_groups(translated, summarize, f"Summarizing ({summary.name})", "summarization", reporter, skipped)


def _in_groups(articles, work, title: str, what: str, reporter: Reporter, skipped: dict[str, str]) -> list[Article]:
    """Run a stage over the articles GROUP at a time (the model batches across a group's
    articles). If a group fails, its articles are retried one by one, so one bad article is
    skipped with its reason and the others go on (what the group finished is in the cache)."""
    done: list[Article] = []
    with reporter.stage(title, len(articles)) as advance:
        for start in range(0, len(articles), GROUP):
            group = articles[start : start + GROUP]
            try:
                done += work(group)
            except Exception:
                log.debug("%s failed for a group; retrying one by one", what, exc_info=True)
                for article in group:
                    try:
                        done += work([article])
                    except Exception as exc:  # one article's failure must not stop the run
                        log.debug("%s failed", what, exc_info=True)
                        skipped[article.source] = f"{what} failed ({exc})"
                        reporter.warn(f"skipped {article.source}: {what} failed ({exc})")
            for _ in group:
                advance()
    return done
