"""The library's entry point. The command line is a thin face over it; so is any script:

    from summarize import Session, Settings

    session = Session(Settings.resolve(config=Path("models.yaml")))
    report = session.run(Path("inbox"))             # briefs/<today>.md, .json, .review.html
    article = session.read(Path("inbox/a.txt"))     # decoded, cleaned, language detected
    with session.translator("passthrough") as translator:
        translator.translate([article])

A Session holds resolved Settings and reads the registry, glossary and cache from them once,
when first needed, so the same settings give the same results from the library and the CLI.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import re
import socket
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date as Date
from functools import cached_property
from pathlib import Path

from .archive.search import Hit
from .archive.store import Row, Store
from .archive.watchlist import Watchlist
from .article import Article
from .checks import FLAGS
from .checks.glossary import Glossary, load_glossary
from .day import Day, atomic_write
from .errors import ConfigError, DeliveryError
from .models import engines
from .models.cache import Cache
from .models.registry import ModelSpec, Registry, load_registry
from .models.translator import Translator
from .reading.fetch import Options as FetchOptions
from .reading.reader import identity, read_article
from .report import Reporter, RunReport
from .settings import Settings


@dataclass(frozen=True)
class ModelInfo:
    spec: ModelSpec
    default: bool
    built_in: bool  # the engine has no files (passthrough)
    path: Path | None  # where its files are on disk, if they are


class Session:
    def __init__(self, settings: Settings | None = None, resident: bool = False):
        """`resident`: models stay loaded between runs (a backfill worker serves many days)."""
        self.settings = settings or Settings.resolve()
        self.resident = resident
        self._engines: dict[str, engines.Engine] = {}

    @cached_property
    def registry(self) -> Registry:
        return load_registry(self.settings.config)

    @cached_property
    def glossary(self) -> Glossary:
        return load_glossary(*self.settings.glossaries)

    @cached_property
    def cache(self) -> Cache:
        return Cache(self.settings.cache_dir)

    def spec(self, stage: str, name: str | None = None, style: str | None = None) -> ModelSpec:
        """A registry entry as this session runs it: in the named style (an instruction model's;
        else its first), with the settings' profile (--fast) and backend (--backend) applied."""
        spec = self.registry.get(stage, name, self.settings.profile, style)
        backend = self.settings.backend
        if backend and spec.backend != "passthrough":  # a name Settings.resolve checked
            spec = dataclasses.replace(spec, backend=backend)
        return spec

    @cached_property
    def runtime(self) -> engines.Runtime:
        """The device and batching models run with; resolved when a model is first needed."""
        return engines.Runtime(engines.resolve_device(self.settings.device), self.settings.tuning,
                               self.settings.models_dir)

    def engine(self, spec: ModelSpec) -> engines.Engine:
        """The engine that runs `spec`: its backend's (auto: the one for this device)."""
        name = engines.AUTO[self.runtime.device] if spec.backend == "auto" else spec.backend
        if not self.resident:
            return engines.get(name)
        if name not in self._engines:
            self._engines[name] = engines.Resident(engines.get(name))
        return self._engines[name]

    @cached_property
    def watchlist(self) -> Watchlist | None:
        """The watchlist file of the settings, read (a bad one stops here, before any work)."""
        return Watchlist.load(self.settings.watch) if self.settings.watch else None

    def read(self, path: Path) -> Article:
        """One input file as an Article (decoded, cleaned, language detected), or ReadError."""
        path = Path(path)
        return read_article(path, identity(path))

    @contextlib.contextmanager
    def translator(self, name: str | None = None, cached: bool = False) -> Iterator[Translator]:
        """A Translator with the named (else default) translation model, loaded for the block;
        `cached`: read and write the session's cache (off for evaluation)."""
        spec = self.spec("translation", name)
        glossary = self.glossary  # a bad glossary stops here, before a model is fetched or loaded
        engine = self.engine(spec)
        path = engine.locate(spec, self.settings.no_downloads)
        with engine.open(spec, path, self.runtime) as model:
            yield Translator(model, self.cache if cached else Cache(None), glossary)

    def run(
        self,
        inputs: Path | str | Sequence[Path | str],
        *,
        date: str | None = None,
        out_dir: Path = Path("briefs"),
        translator: str | None = None,
        summarizer: str | None = None,
        style: str | None = None,
        reporter: Reporter | None = None,
        follow_links: bool = False,
        group: bool = True,
        fresh: bool = False,
        feeds: Sequence[Path] = (),
        fetching: FetchOptions | None = None,
        archive: bool = True,
        workers: int | None = None,
    ) -> RunReport:
        """Summarize every article file under `inputs` (a folder, a file, or several) into the
        day's brief (default: today), grouped into stories unless not `group`; `style`: an
        instruction model's named prompt (paragraph, bullets, line). File links
        that lead out of an input folder are skipped unless `follow_links`; `fresh`: the day
        holds this run's articles only (earlier runs' are dropped; the cache still serves).
        Web addresses among `inputs` and in `feeds` files (a list or OPML) are fetched into
        <out_dir>/inbox/<date>/ first, with `fetching`'s allowed hosts and caps (fetch.Options)."""
        from . import pipeline

        options = pipeline.RunOptions(
            translation=self.spec("translation", translator),
            summary=self.spec("summarization", summarizer, style),
            offline=self.settings.offline,
            no_downloads=self.settings.no_downloads,
            follow_links=follow_links,
            fresh=fresh,
            grouped=group,
            fetching=fetching or FetchOptions(),
            watchlist=self.watchlist,
            archive=archive,
            workers=workers,
        )
        day = Day(out_dir, date or Date.today().isoformat())
        day.prepare()  # every setting checked before any file is read: the folder, glossary and cache
        self.cache.db  # noqa: B018 (opened now: an unusable cache is switched off with one warning, before the work)
        given = [inputs] if isinstance(inputs, (str, Path)) else list(inputs)
        for feed in feeds:
            given += read_feeds(feed)
        return pipeline.run(given, day, options, cache=self.cache, glossary=self.glossary, engine=self.engine,
                            runtime=lambda: self.runtime, reporter=reporter or Reporter())

    def fetch(self, addresses: Sequence[str], *, feeds: Sequence[Path] = (), out_dir: Path = Path("briefs"),
              date: str | None = None, fetching: FetchOptions | None = None):
        """Fetch web addresses and feeds into <out_dir>/inbox/<date>/ without summarizing
        (fetch.Fetched: the pages saved, the addresses skipped and why)."""
        from .reading.fetch import Fetcher

        if self.settings.offline:
            raise ConfigError("--offline: nothing can be fetched")
        day = Day(out_dir, date or Date.today().isoformat())
        day.prepare()
        wanted = list(addresses) + [a for feed in feeds for a in read_feeds(feed)]
        return Fetcher(day.inbox, fetching or FetchOptions()).fetch(wanted)

    def send(self, brief: Path, *, mail: Sequence[str] = (), webhooks: Sequence[str] = (), attach_review: bool = False,
             allow_hosts: Sequence[str] = ()) -> dict[str, DeliveryError | None]:
        """Deliver a written brief (any of its files, or a folder's latest) to each e-mail
        address (one message, through the settings' mail server) and each webhook; returns
        each target's error, None where it was delivered. Nothing is rewritten: sending again
        delivers the same brief."""
        from .outputs import mail as mailing
        from .outputs import webhook
        from .outputs.view import of

        day = of(self.day(brief))
        outcomes: dict[str, DeliveryError | None] = {}
        if mail:
            if not self.settings.smtp:
                raise ConfigError("no mail server to send through", fix="give --smtp HOST:PORT or set SUMMARIZE_SMTP")
            mailing.server(self.settings.smtp)  # a bad address stops here, before anything is sent
            sender = os.environ.get("SUMMARIZE_MAIL_FROM") or f"summarize@{socket.getfqdn()}"
            try:
                mailing.send(mailing.compose(day, mail, sender, attach_review), self.settings.smtp)
                outcomes.update(dict.fromkeys(mail))
            except DeliveryError as exc:
                outcomes.update(dict.fromkeys(mail, exc))
        for url in webhooks:
            try:
                webhook.post(url, webhook.payload(day), allow_hosts)
                outcomes[url] = None
            except DeliveryError as exc:
                outcomes[url] = exc
        return outcomes

    def models(self) -> list[ModelInfo]:
        """Every registry entry, whether it is its stage's default, and where its files are."""
        infos = []
        for stage, entries in self.registry.models.items():
            for name, spec in entries.items():
                engine = engines.get(spec.backend)
                default = self.registry.defaults[stage] == name
                infos.append(ModelInfo(spec, default, not engine.files, engine.find(spec)))
        return infos

    def pull(self, name: str | None = None) -> Iterator[tuple[ModelSpec, Path | None]]:
        """Download the named model (else both defaults) now; yields each as it is ready."""
        if name:
            specs = [entries[name] for entries in self.registry.models.values() if name in entries]
            if not specs:
                names = sorted({n for entries in self.registry.models.values() for n in entries})
                raise ConfigError(f"no model named {name!r} in {self.registry.path} (choices: {', '.join(names)})")
        else:
            specs = [self.registry.get(stage) for stage in self.registry.models]
        for spec in specs:
            yield spec, engines.get(spec.backend).locate(spec, self.settings.no_downloads)

    def search(self, query: str, *, out_dir: Path = Path("briefs"), since: str | None = None, until: str | None = None,
               outlet: str | None = None, story: str | None = None, limit: int = 20) -> list[Hit]:
        """Archived articles matching `query` (words, "phrases", names; accents optional), newest first;
        with a watchlist in the settings and no query, every archived match of it."""
        from .archive import search

        store = self._archive(out_dir)
        try:
            if not query and self.watchlist is not None:
                return search.watched(store, self.watchlist.entries, since=since, until=until)
            return search.search(store, query, since=since, until=until, outlet=outlet, story=story, limit=limit)
        finally:
            store.close()

    def story(self, ident: str, *, out_dir: Path = Path("briefs")) -> list[Row]:
        """A running story's articles, oldest first (its thread id, or `date/story id` of any day of it)."""
        store = self._archive(out_dir)
        try:
            return store.thread(ident)
        finally:
            store.close()

    def rebuild_archive(self, out_dir: Path = Path("briefs")) -> int:
        """Make the briefs folder's archive again from its day files; the days archived."""
        from .archive.desk import rebuild

        if not Path(out_dir).is_dir():
            raise ConfigError(f"--out {out_dir}: no such folder of briefs")
        return rebuild(Path(out_dir))

    def _archive(self, out_dir: Path) -> Store:
        from .archive.store import NAME, SCHEMA

        import sqlite3

        path = Path(out_dir) / NAME
        try:
            store = Store(path, create=False)
            schema = store.schema
        except FileNotFoundError:
            raise ConfigError(f"{path}: no archive in this folder",
                              fix="`summarize run` makes it; `summarize archive rebuild --out DIR` makes it from the day files") from None
        except sqlite3.Error as exc:
            raise ConfigError(f"{path}: not a readable archive ({exc})", fix="`summarize archive rebuild --out DIR`") from None
        if schema != SCHEMA:
            store.close()
            raise ConfigError(f"{path}: an archive of another version", fix="`summarize archive rebuild --out DIR`")
        return store

    def day(self, path: Path) -> Day:
        """A saved day, from any of its files or a folder of briefs (its latest day)."""
        return Day.find(path).load()

    def review(self, path: Path, fmt: str = "html") -> Path:
        """Write a saved day's review pages (html) or its Markdown review (md) again; no model."""
        from .outputs.publish import write_review

        return write_review(self.day(path), fmt)

    def evaluate_clean(self, gold_dir: Path, inputs: Path, suffix: str | None = None):
        from .evaluation import evaluate_clean

        return evaluate_clean(Path(gold_dir), Path(inputs), suffix)

    def evaluate_metadata(self, truth: Path, pages: Path, suffix: str = ".txt"):
        """Per-field checks of a labelled set of pages, and {field: (right, labelled)}."""
        from .evaluation import evaluate_metadata, field_accuracy

        try:
            checks = evaluate_metadata(Path(truth), Path(pages), suffix)
        except (OSError, ValueError) as exc:
            raise ConfigError(f"cannot evaluate: {exc}") from None
        if not checks:
            raise ConfigError(f"{truth}: no labelled pages")
        return checks, field_accuracy(checks)

    def evaluate_groups(self, gold: Path, pages: Path | None = None, suffix: str = ".txt"):
        """Duplicate and story grouping scores on a labelled day (no model needed)."""
        from .evaluation import evaluate_groups

        try:
            return evaluate_groups(Path(gold), self.glossary, pages, suffix)
        except (OSError, TypeError, AttributeError, ValueError) as exc:
            raise ConfigError(f"cannot evaluate: {gold}: {exc}") from None

    def compare_summaries(self, inputs: Sequence[Path | str], summarizers: Sequence[str], *, out_dir: Path,
                          translator: str | None = None, date: str | None = None, reporter: Reporter | None = None):
        """Summarize the same articles with each summarizer (`NAME` or `NAME:STYLE`) into
        out_dir/<label>/ (translated once: the cache serves the others), then write
        out_dir/compare.html with the summaries side by side; returns the flag rates
        (evaluation.SummarizerScore, in the order given) and the page."""
        from .evaluation import score_summaries
        from .outputs.review import render_comparison
        from .outputs.view import of

        if len(summarizers) < 2:
            raise ConfigError("give two or more summarizers to compare (--with NAME[:STYLE], each once)")
        days, scores = {}, []
        for label in summarizers:
            name, _, style = label.partition(":")
            folder = Path(out_dir) / re.sub(r"[^\w.-]+", "-", label)
            start = time.perf_counter()
            report = self.run(inputs, date=date, out_dir=folder, translator=translator, summarizer=name,
                              style=style or None, fresh=True, group=False, reporter=reporter)
            days[label] = Day(folder, report.brief.stem).load()
            scores.append(score_summaries(label, days[label].ordered(), list(FLAGS), time.perf_counter() - start))
        page = Path(out_dir) / "compare.html"
        atomic_write(page, render_comparison({label: of(day) for label, day in days.items()}, scores))
        return scores, page

    def evaluate_translation(self, sources: Path, references: Path, translator: str | None = None):
        """BLEU, chrF and speed of a translator on a parallel file pair (no cache: every
        sentence is translated)."""

        from .evaluation import TranslationScore, read_parallel, score_translation

        try:
            vi, en = read_parallel(sources, references)
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            raise ConfigError(f"cannot evaluate: {exc}") from None
        start = time.perf_counter()
        with self.translator(translator) as stage:
            loaded = time.perf_counter()
            english = stage.translate_texts(vi)[0]
            seconds = time.perf_counter() - loaded
            name, where = stage.model.spec.name, stage.model.where
        bleu, chrf = score_translation(english, en)
        return TranslationScore(name, where, len(vi), bleu, chrf, seconds, loaded - start)

    def evaluate_fidelity(self, cases: Path, translator: str | None = None):
        """Fidelity results and the translation model's registry name."""
        from .evaluation import evaluate_fidelity

        with self.translator(translator) as stage:
            return evaluate_fidelity(Path(cases), stage), stage.model.spec.name


def read_feeds(path: Path) -> list[str]:
    """The addresses of a feeds file (fetch.read_feeds_file), or a ConfigError before any work."""
    from .reading.fetch import FetchError, read_feeds_file

    try:
        return read_feeds_file(path)
    except (OSError, UnicodeDecodeError, FetchError) as exc:
        raise ConfigError(f"--feeds {path}: cannot read it ({exc})") from None
