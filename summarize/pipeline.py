"""One run, step by step: find inputs → read (decode, clean, detect, find entities) → set aside
copies of other articles → split off what the cache has → translate → summarize → check →
merge into the Day, arrange it into stories and write its files.

`Session.run()` starts it. Each step takes and fills the one `_Run` record. Models are located
only when some article is not in the cache, and before any model work starts; each is loaded
once, and only one is in memory at a time. A run served entirely from the cache imports
neither torch nor transformers.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__
from .archive.desk import Desk
from .archive.watchlist import Watchlist
from .article import Article
from .checks import check
from .checks.entities import find_entities
from .checks.glossary import Glossary
from .day import Day
from .day.copies import find_copies, pool_fields
from .errors import DayError, ModelUnavailable, OwnOutput, ReadError, RunError
from .hashing import digest
from .models.cache import Cache
from .models.engines import Engine, Runtime
from .models.registry import ModelSpec
from .models.summarizer import Summarizer
from .models.translator import Translator
from .outputs import publish
from .reading.fetch import Fetcher
from .reading.fetch import Options as FetchOptions
from .reading.letters import DISTINCTIVE
from .reading.reader import display_path, find_inputs, identity, parse_article, read_bytes
from .report import Reporter, RunReport

log = logging.getLogger("summarize")

# Bump when cleaning, assembly or the checks change what an article's cached result should be;
# a new release of the package starts afresh anyway (__version__ is part of both keys below).
VERSION = "4"


@dataclass(frozen=True)
class RunOptions:
    """What a caller asks of one run (Session.run fills it from its arguments and settings)."""

    translation: ModelSpec
    summary: ModelSpec
    offline: bool = False  # --offline: never touch the network (no fetch, no download)
    no_downloads: bool = False  # models from disk only (--offline or HF_HUB_OFFLINE)
    follow_links: bool = False  # read file links that lead out of the input folder
    fresh: bool = False  # rebuild the day from this run's inputs, dropping what earlier runs added
    grouped: bool = True  # group the day's articles into stories
    fetching: FetchOptions = field(default_factory=FetchOptions)  # allowed hosts and caps (fetch.py)
    watchlist: Watchlist | None = None  # what the analyst follows: matches lead the brief (--watch)
    archive: bool = True  # mark the day from the archive and file it there (a backfill does so afterwards, in date order)
    workers: int | None = None  # processes that clean pages (None: one a core)


@dataclass
class _Run:
    """What one run knows and has done so far: built by run() from what it was given."""

    options: RunOptions
    cache: Cache
    glossary: Glossary
    engine: Callable[[ModelSpec], Engine]  # the engine that runs an entry
    runtime: Callable[[], Runtime]  # the device and batching, resolved when a model is first needed
    reporter: Reporter
    fetching: bool = False  # web addresses were given: a run with nothing new is not an error
    read: list[Article] = field(default_factory=list)
    copies: list[Article] = field(default_factory=list)  # read, but copies of another article
    found: tuple[list[Article], dict[str, str]] | None = None  # what copies were found among, and the copies
    keys: dict[str, str] = field(default_factory=dict)  # source -> finished-article cache key
    done: list[Article] = field(default_factory=list)
    from_cache: int = 0
    skipped: dict[str, str] = field(default_factory=dict)
    runs_on: dict[str, str] = field(default_factory=dict)  # model name -> where it ran (Model.where)

    def skip(self, source: str, reason: str, shown: str | None = None) -> None:
        """Record a skipped file under its identity; `shown`: its name in the message."""
        self.skipped[source] = reason
        self.reporter.warn(f"skipped {shown or display_path(Path(source))}: {reason}")


def run(inputs: Sequence[str | Path], day: Day, options: RunOptions, *, cache: Cache, glossary: Glossary,
        engine: Callable[[ModelSpec], Engine], runtime: Callable[[], Runtime], reporter: Reporter) -> RunReport:
    """Turn every article file under `inputs` (folders, files and web addresses) into an entry
    of `day`'s brief, with the cache, glossary and engines given (a Session's)."""
    state = _Run(options, cache, glossary, engine, runtime, reporter)
    with _fewer_collections():
        local = _fetch(inputs, state, day)
        files = _inputs(local, state, day)
        if not files and state.fetching:  # nothing new on the web: the day stays as it was
            return _write(state, day)
        if not files:
            raise RunError(f"{', '.join(map(str, inputs))}: no article files (.txt, .html) found")
        _read(state, files)
        _set_aside_copies(state, day)
        todo = _from_cache(state)
        if todo:
            _process(state, todo)
        state.cache.close()
        return _write(state, day)


YOUNG = 20_000  # objects allocated between collections of the youngest generation during a run (Python's: 700)


@contextlib.contextmanager
def _fewer_collections() -> Iterator[None]:
    """Python's garbage collector, collected less often while a run lasts. A run keeps what it
    reads to its end (every article, its texts, entities and results), so at the default
    thresholds the collector's full passes walked every article so far, again and again: at
    10,000 articles, 20 passes and 5 to 6 seconds, 0.5 ms an article (docs/speed.md). Reference
    counting still frees everything at once; only cycles wait longer. Restored afterwards."""
    before = gc.get_threshold()
    gc.set_threshold(max(YOUNG, before[0]), *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)


_URL = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)


def _fetch(inputs: Sequence[str | Path], state: _Run, day: Day) -> list[str | Path]:
    """Web addresses (pages and feeds) fetched into the day's inbox (fetch.py); returns the
    local inputs and the pages saved now. Addresses an earlier run read are not fetched again."""
    addresses = [str(given) for given in inputs if _URL.match(str(given))]
    local = [given for given in inputs if not _URL.match(str(given))]
    if not addresses:
        return local
    state.fetching = True
    if state.options.offline:
        for address in addresses:
            state.skip(address, "not fetched: --offline", address)
        return local
    result = Fetcher(day.inbox, state.options.fetching).fetch(addresses)
    for note in result.notes:
        state.reporter.warn(note)
    for address, reason in result.skipped.items():
        state.skip(address, reason, address)
    if result.seen:
        state.reporter.note(f"{result.seen} address{'es' if result.seen != 1 else ''} read by an earlier run, "
                            "not fetched again")
    return local + result.saved


def _inputs(inputs: Sequence[str | Path], state: _Run, day: Day) -> list[tuple[Path, Path | None]]:
    """The article files of the inputs given, each with the folder it must not lead out of
    (None: links may be followed); what the day's runs wrote is never one. Web addresses were
    fetched into files before (_fetch)."""
    found: list[tuple[Path, Path | None]] = []
    seen: set[str] = set()  # identities: a file named twice, in any spelling, is read once
    for given in inputs:
        root = Path(given)
        if not root.exists():
            raise RunError(f"{root}: no such file or folder")
        files, ignored = find_inputs(root, day.wrote)
        if ignored:
            state.reporter.note(f"{root}: {ignored} file{'s' if ignored != 1 else ''} not .txt or .html left alone")
        inside = None if state.options.follow_links or not root.is_dir() else root
        for path in files:
            if identity(path) not in seen:
                seen.add(identity(path))
                found.append((path, inside))
    return found


def _read(state: _Run, files: list[tuple[Path, Path | None]]) -> None:
    """Read and clean every file, finding its entities. A file read before with the same
    bytes (and glossary) is taken whole from the cache: a rerun cleans only what changed. The
    pages to clean are cleaned on every core when there are many (_cleaned)."""
    stage = digest("read", VERSION, __version__, state.glossary.fingerprint())
    found: list[tuple[str, str, tuple | None]] = []  # (source, shown, outcome) in the files' order
    todo: list[tuple[int, str, str, bytes]] = []  # (its place in found, cache key, source, bytes): pages to clean
    with state.reporter.stage("Cleaning", len(files)) as advance:
        for path, inside in files:
            source, shown = identity(path), display_path(path)
            try:
                data = read_bytes(path, inside)
            except ReadError as exc:
                found.append((source, shown, ("skip", exc.reason)))
                advance()
                continue
            key = digest(stage, source, data)
            if (hit := state.cache.get("read", key)) is not None:
                found.append((source, shown, ("ok", hit)))
                advance()
            else:
                todo.append((len(found), key, source, data))
                found.append((source, shown, None))  # its outcome comes from _cleaned below
        cleaned: dict[str, dict] = {}
        for (at, key, _, _), outcome in zip(todo, _cleaned(state, [(s, d) for _, _, s, d in todo])):
            found[at] = (*found[at][:2], outcome)
            if outcome[0] == "ok":
                cleaned[key] = outcome[1]
            advance()
    for source, shown, (kind, value) in found:
        if kind == "own":
            state.reporter.note(f"{shown}: {value}")
        elif kind == "skip":
            state.skip(source, value, shown)
        else:
            _note(state, shown, article := Article.from_dict(value))
            state.read.append(article)
    state.cache.put_many("read", cleaned)


POOL_FROM = 200  # pages to clean from which they are cleaned on every core (a pool takes ~0.1 s to start)


def _cleaned(state: _Run, pages: list[tuple[str, bytes]]) -> Iterator[tuple[str, object]]:
    """Each page cleaned, in order (_clean); many of them in a pool of processes, one a core
    (`workers`), started by fork so each has the run's glossary without copying it."""
    import multiprocessing
    import os

    workers = state.options.workers or os.cpu_count() or 1
    if workers < 2 or len(pages) < POOL_FROM or "fork" not in multiprocessing.get_all_start_methods():
        yield from (_clean(source, data, state.glossary) for source, data in pages)
        return
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"), initializer=_use_glossary,
                             initargs=(state.glossary,)) as pool:
        yield from pool.map(_in_pool, pages, chunksize=16)


def _clean(source: str, data: bytes, glossary: Glossary) -> tuple[str, object]:
    """("ok", the article as data), or ("own", why) for a page this tool wrote, or ("skip", why)."""
    try:
        article = parse_article(data, source)
    except OwnOutput as exc:
        return "own", exc.reason
    except ReadError as exc:
        return "skip", exc.reason
    article.entities = find_entities(article, glossary)
    return "ok", article.to_dict()


_POOL_GLOSSARY: Glossary | None = None  # in a cleaning process: the run's glossary


def _use_glossary(glossary: Glossary) -> None:
    global _POOL_GLOSSARY
    _POOL_GLOSSARY = glossary


def _in_pool(page: tuple[str, bytes]) -> tuple[str, object]:
    return _clean(*page, _POOL_GLOSSARY)


def _note(state: _Run, shown: str, article: Article) -> None:
    """What the reader should know of how an article was read."""
    if article.encoding not in ("utf-8", "utf-8-sig", "ascii"):
        state.reporter.note(f"{shown}: not UTF-8, decoded as {article.encoding}")
    if article.language == "en":
        state.reporter.note(f"{shown}: written in English, summarized without translation")
    elif not DISTINCTIVE.search(" ".join(article.body[:5])):
        state.reporter.note(f"{shown}: Vietnamese written without its accents; the translation may be poor")


def _set_aside_copies(state: _Run, day: Day) -> None:
    """Copies of another article of this run or of the day so far are not translated: the
    day lists them under their original (duplicates.py). The day is read here without its
    lock, only to compare; it is merged under the lock at the end."""
    try:
        saved = Day(day.folder, day.date).load()
    except DayError:
        saved = Day(day.folder, day.date)
    if saved.holds(state.read):  # a rerun: the day found these copies already
        copies = {a.source: saved.articles[a.source].copy_of for a in state.read}
    else:
        earlier = {s: a for s, a in saved.articles.items() if not a.copy_of}
        mine = {a.source for a in state.read}
        compared = state.read + [a for s, a in earlier.items() if s not in mine]
        copies = find_copies(compared, first=earlier)
        state.found = (compared, copies)
    for article in state.read:
        article.copy_of = copies.get(article.source)
    state.copies = [a for a in state.read if a.copy_of]
    state.read = [a for a in state.read if not a.copy_of]
    for article in state.read:  # an original of this run borrows the better fields of its copies
        pool_fields(article, [copy for copy in state.copies if copy.copy_of == article.source])
    if state.copies:
        state.reporter.note(f"{len(state.copies)} cop{'y' if len(state.copies) == 1 else 'ies'} of other articles: "
                            "listed under them, not translated")


# What the cache returns of an article is its translation and summary; these come from reading it
_AS_READ = ("source", "entities", "published", "byline", "credit", "outlet", "url", "declared", "read_from",
            "keywords", "dropped")


def _from_cache(state: _Run) -> list[Article]:
    """Take finished articles from the cache; return the ones still to do."""
    identity = (VERSION, __version__, Translator.identity(state.options.translation, state.glossary), Summarizer.identity(state.options.summary))
    todo = []
    for article in state.read:
        key = state.keys[article.source] = digest(*identity, [article.title, article.body, article.captions])
        hit = state.cache.get("article", key)
        if hit is None:
            todo.append(article)
        else:
            fresh = {name: getattr(article, name) for name in _AS_READ}  # not part of the key: as read now
            state.done.append(Article.from_dict({**hit, **fresh}))
    state.from_cache = len(state.done)
    log.info("articles: %d of %d from the cache", state.from_cache, len(state.read))
    return todo


def _process(state: _Run, todo: list[Article]) -> None:
    """Translate, then summarize; both models are located before either is loaded, so a
    missing model stops the run before any work."""
    specs = (state.options.translation, state.options.summary)
    try:
        paths = [state.engine(spec).locate(spec, state.options.no_downloads) for spec in specs]
    except ModelUnavailable as exc:
        exc.message += "; the run stopped before any translation, and the day's brief is as it was"
        raise
    with _model(state.options.translation, paths[0], state) as model:
        state.runs_on[state.options.translation.name] = model.where
        translator = Translator(model, state.cache, state.glossary)
        title = f"Translating ({state.options.translation.name})"
        translated = _in_groups(state, todo, translator.translate, title, "translation", model.tuning.group)
    with _model(state.options.summary, paths[1], state) as model:
        state.runs_on[state.options.summary.name] = model.where
        summarizer = Summarizer(model, state.cache)

        def summarize(group: list[Article]) -> list[Article]:
            finished = summarizer.summarize(group)
            state.cache.put_many("article", {state.keys[a.source]: check(a).to_dict() for a in finished})
            return finished

        title = f"Summarizing ({state.options.summary.name})"
        state.done += _in_groups(state, translated, summarize, title, "summarization", model.tuning.group)


def _model(spec: ModelSpec, path: Path | None, state: _Run):
    return state.engine(spec).open(spec, path, state.runtime())


def _in_groups(state: _Run, articles: list[Article], work, title: str, what: str, size: int | None) -> list[Article]:
    """Run a stage over the articles `size` at a time (all: None); the model batches across a
    group's articles. If a group fails, its articles are retried one by one, so one bad article
    is skipped with its reason and the others go on (what the group finished is in the cache)."""
    done: list[Article] = []
    size = size or max(1, len(articles))
    with state.reporter.stage(title, len(articles)) as advance:
        for start in range(0, len(articles), size):
            group = articles[start : start + size]
            try:
                done += work(group)
            except Exception:
                log.debug("%s failed for a group; retrying one by one", what, exc_info=True)
                done += _one_by_one(state, group, work, what)
            for _ in group:
                advance()
    return done


def _one_by_one(state: _Run, group: list[Article], work, what: str) -> list[Article]:
    done: list[Article] = []
    for article in group:
        try:
            done += work([article])
        except Exception as exc:  # one article's failure must not stop the run
            log.debug("%s failed", what, exc_info=True)
            state.skip(article.source, f"{what} failed ({exc})")
    return done


def _write(state: _Run, day: Day) -> RunReport:
    """Merge the run's (checked) articles into the day and write its files, under the day's lock."""
    done = sorted(state.done, key=lambda a: a.source)  # checked before they were cached
    try:
        with day.lock():
            if not state.options.fresh:  # --fresh: the day is rebuilt from this run's inputs alone
                day.load(repair=True)
            for path in day.set_aside:
                state.reporter.warn(f"the day's brief data was damaged; set aside as {path}")
            with state.reporter.stage("Grouping", len(day.articles.keys() | {a.source for a in done + state.copies})):
                day.merge(done + state.copies, state.skipped, state.options.grouped, state.found)
            if state.options.archive:
                publish_day(day, state.options.watchlist, state.reporter)
            else:
                with state.reporter.stage("Writing", len(day.articles)):
                    publish.save(day)
    except OSError as exc:  # unwritable folder, full disk: say so (the results stay cached)
        raise RunError(f"cannot write the brief in {day.folder}: {exc.strerror or exc}; the day's files are as "
                       "they were (finished work is cached)") from None
    return RunReport(done, state.from_cache, state.skipped, day.brief_path, day.review_path(), len(state.copies),
                     state.runs_on, len(day.articles), len(day.stories))


def publish_day(day: Day, watchlist: Watchlist | None, reporter: Reporter) -> None:
    """Write a merged day's files with its marks from the archive (new or developing stories,
    watchlist matches), then file it in the archive; the caller holds the day's lock."""
    desk = Desk(day.folder, watchlist)
    try:
        with reporter.stage("Writing", len(day.articles)):
            marks = _archived(reporter, lambda: desk.marks(day))
            day.marks = marks or {}
            publish.save(day)
        if marks is not None:  # the archive could be read: the day goes in after its files
            with reporter.stage("Archiving", len(day.articles)):
                _archived(reporter, lambda: desk.record(day))
    finally:
        desk.close()


def _archived(reporter: Reporter, work: Callable[[], dict | None]) -> dict | None:
    """The archive's part of writing a day: a problem with it (a full disk, a damaged or newer
    file) is one warning, never the day's loss: the day's files are the record, and the next
    run archives what this one could not."""
    import sqlite3

    try:
        return work()
    except (sqlite3.Error, OSError, ValueError) as exc:
        reporter.warn(f"the archive was not updated ({exc}); the next run adds this day "
                            "(or `summarize archive rebuild`)")
        return None
