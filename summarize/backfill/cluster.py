"""`summarize backfill`: a corpus summarized on a Ray cluster, one brief per date.

The same stages as a run, as a Ray Data pipeline:

1. **Placing** (CPU tasks): each page file is read for its publication date; each JSON Lines or
   Parquet row is saved as a page in `<briefs>/inbox/<date>/` (corpus.py).
2. **Days** (an actor pool): the articles grouped by date, each date given whole to one worker,
   which summarizes it exactly as `summarize run` does — the same cleaning, cache keys, models,
   checks, copies and stories — and writes the day's files. A worker is one process with a
   Session whose models stay loaded (`num_gpus=1` each with `--gpus`), so a GPU loads its models
   once and serves day after day. A worker that dies is restarted and its day given again (Ray
   Data's actor pools restart and retry without limit); what it finished before is in the cache.
3. **Filing** (the driver, in date order): each new day marked from the archive (running
   stories, the watchlist) and filed in it, as runs made day after day would have.

Resumable: a date whose day already holds every one of its articles is not given to a worker,
and a day the archive holds as it is is not filed again, so a rerun does nothing new; a backfill
stopped midway finishes the rest (finished articles come from the cache). The cache is the one
the settings name: on a cluster of several machines give each the same `--cache-dir` on a shared
file system, or each keeps its own (it only saves work).
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path

from ..archive.watchlist import Watchlist
from ..day import Day
from ..errors import ConfigError
from ..reading.reader import identity
from ..report import Reporter
from ..session import Session
from ..settings import Settings
from . import corpus


@dataclass
class Backfilled:
    """What a backfill did."""

    days: list[str] = field(default_factory=list)  # dates summarized now (others were done before)
    filed: list[str] = field(default_factory=list)  # dates marked and filed in the archive now
    articles: int = 0  # articles in the days summarized now
    skipped: dict[str, str] = field(default_factory=dict)  # input -> why
    seconds: float = 0.0


class DayWorker:
    """One worker of the pool: summarizes whole dates with models that stay loaded."""

    def __init__(self, settings: Settings, out_dir: str, translator: str | None, summarizer: str | None,
                 style: str | None):
        self.session = Session(settings, resident=True)
        self.out_dir, self.models = Path(out_dir), (translator, summarizer, style)

    def __call__(self, batch: dict) -> dict:
        """A batch of dates, each with its pages (as JSON lists): what each day became."""
        found: dict[str, list] = {"date": [], "articles": [], "skipped": []}
        for date, listed in zip(batch["date"], batch["paths"]):
            date, paths = str(date), json.loads(str(listed))
            found["date"].append(date)
            if _holds(Day(self.out_dir, date), paths):
                found["articles"].append(0)
                found["skipped"].append("{}")
                continue
            translator, summarizer, style = self.models
            report = self.session.run(paths, date=date, out_dir=self.out_dir, translator=translator,
                                      summarizer=summarizer, style=style, reporter=Reporter(), archive=False)
            found["articles"].append(len(report.articles))
            found["skipped"].append(json.dumps(report.skipped))
        return found


def _holds(day: Day, paths: list[str]) -> bool:
    """Whether the saved day already holds every one of these articles."""
    if not day.data_path.exists():
        return False
    try:
        day.load()
    except Exception:  # a damaged day is summarized again (the run sets it aside)
        return False
    return all(identity(Path(p)) in day.articles for p in paths)


def backfill(inputs: list[Path], settings: Settings, *, out_dir: Path, address: str = "local", workers: int | None = None,
             gpus: bool = False, translator: str | None = None, summarizer: str | None = None,
             style: str | None = None, reporter: Reporter | None = None) -> Backfilled:
    """Summarize every article of the corpus into one brief per publication date, on the Ray
    cluster at `address` (`local`: one started on this machine with its cores and GPUs)."""
    try:
        import ray
    except ImportError:
        raise ConfigError("summarize backfill needs Ray", fix="pip install 'summarize[cluster]'") from None
    reporter = reporter or Reporter()
    began = time.perf_counter()
    pages, rows = corpus.split(inputs)
    session = Session(settings)  # a bad model name or watchlist stops here, before Ray starts
    session.spec("translation", translator)
    session.spec("summarization", summarizer, style)
    watchlist = session.watchlist
    ray.init(address=None if address == "local" else address, include_dashboard=False, ignore_reinit_error=True,
             log_to_driver=False, configure_logging=False)
    try:
        done, by_date = Backfilled(), {}
        for row in _placed(ray, pages, rows, out_dir).take_all():  # small: a date and a path each
            if row["skipped"]:
                done.skipped[row["path"]] = row["skipped"]
            else:
                by_date.setdefault(row["date"], []).append(row["path"])
        if by_date:
            size = workers or max(1, int(ray.cluster_resources().get("GPU" if gpus else "CPU", 1)))
            dates = ray.data.from_items([{"date": d, "paths": json.dumps(sorted(p))} for d, p in sorted(by_date.items())])
            days = dates.map_batches(
                DayWorker, fn_constructor_args=(settings, str(out_dir), translator, summarizer, style), batch_size=1,
                batch_format="numpy", concurrency=size, num_gpus=1 if gpus else 0)  # a dead worker: restarted, its date retried
            for result in sorted(days.take_all(), key=lambda r: r["date"]):
                done.skipped.update(json.loads(result["skipped"]))
                if result["articles"]:
                    done.days.append(result["date"])
                    done.articles += int(result["articles"])
        done.filed = _file(out_dir, watchlist, reporter)
    finally:
        ray.shutdown()
    done.seconds = time.perf_counter() - began
    return done


def _placed(ray, pages: list[Path], rows: list[Path], out_dir: Path):
    """Every article with its date (or why it is skipped), as one dataset."""
    briefs = out_dir.resolve()
    parts = []
    if pages:
        parts.append(ray.data.from_items([{"path": str(p.resolve())} for p in pages])
                     .map(lambda r: corpus.place_page(r["path"])))
    jsonl, parquet = [str(p) for p in rows if p.suffix == ".jsonl"], [str(p) for p in rows if p.suffix == ".parquet"]
    if jsonl:
        parts.append(ray.data.read_json(jsonl).map(lambda r: corpus.place_row(r, briefs)))
    if parquet:
        parts.append(ray.data.read_parquet(parquet).map(lambda r: corpus.place_row(r, briefs)))
    if not parts:
        raise ConfigError(f"{', '.join(map(str, pages + rows)) or 'the inputs'}: no pages, .jsonl or .parquet files")
    return parts[0].union(*parts[1:]) if len(parts) > 1 else parts[0]


def _file(out_dir: Path, watchlist: Watchlist | None, reporter: Reporter) -> list[str]:
    """Each day the archive lacks, or holds an older version of, marked and filed, oldest first
    (runs made day after day would have marked each from the days before it)."""
    from ..archive.desk import day_files, stamp
    from ..archive.store import NAME, Store
    from ..pipeline import publish_day

    store = Store(out_dir / NAME)
    held = store.days()
    store.close()
    filed = []
    for path in day_files(out_dir):
        if held.get(path.stem) == stamp(path):
            continue
        day = Day(out_dir, path.stem)
        with day.lock():
            publish_day(day.load(), watchlist, reporter)
        filed.append(path.stem)
    return filed
