"""Days of thousands of articles: what the project's own stages cost as a day grows.

    python bench/scale.py --sizes 300,1000,3000,10000 [--models DIR] [--json OUT] [--report]

Each day is `size` synthetic distinct articles (bench/measure.py's synthetic_day: the seeds'
sentences with their words rotated and swapped, so nothing folds as a copy), translated by
the passthrough engine and summarized by a tiny model, so the models cost next to nothing and
what is measured is cleaning, copies, the cache, grouping and writing the day. Every run is a
fresh process (as from cron): the first run, then the cached rerun. Per stage: seconds,
seconds per article and peak memory (the process's peak resident set, reset at each stage
through /proc/self/clear_refs). The time inside the tiny summarizer (its generate() and
count_tokens(): decoding and tokenizing) is measured and reported apart: the run's own work
per article is the rest.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from measure import CONVERTED, ROOT, synthetic_day


def _peak_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _reset_peak() -> None:
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")  # Linux: the peak resident set starts again from now


def worker(folder: Path, config: Path, cache: Path, out: Path, result: Path, workers: int | None = None) -> None:
    """One run over `folder` into `out`, its stages timed, written to `result` (JSON)."""
    from summarize import Session, Settings
    from summarize.report import Reporter

    stages: dict[str, dict] = {}

    class Timer(Reporter):
        @contextlib.contextmanager
        def stage(self, name, total):
            _reset_peak()
            start = time.perf_counter()
            yield lambda: None
            stages[name.split(" ")[0].lower()] = {"seconds": time.perf_counter() - start, "peak_mb": _peak_mb()}

    model = time_models()
    session = Session(Settings(config=config, cache_dir=cache, device="cpu", models_dir=CONVERTED))
    start = time.perf_counter()
    report = session.run(folder, date="2026-01-01", out_dir=out, translator="passthrough", reporter=Timer(), workers=workers)
    total = time.perf_counter() - start
    result.write_text(json.dumps({"seconds": total, "stages": stages, "articles": len(report.articles),
                                  "from_cache": report.from_cache, "stories": report.stories,
                                  "model_seconds": sum(model.values()), "model": model,
                                  "own_ms": 1000 * (total - sum(model.values())) / report.in_day,
                                  "peak_mb": _peak_mb()}))


def time_models() -> dict[str, float]:
    """Seconds spent inside the models (loading one; a Model's generate() and count_tokens():
    decoding and its tokenizer), added up as the run goes; the run's own work is the rest. The
    passthrough "translation" is no model: its sentence splitting, protection and cache are the
    run's own. Converted models are kept between runs (bench/measure.py's CONVERTED), as a
    user's are: converting is once per model, not per run."""
    from summarize.models.engines import Engine

    spent = {"load": 0.0, "generate": 0.0, "count_tokens": 0.0}
    inside: list[str] = []  # a timed call under way: generate() counts its inputs' tokens, timed once
    opened = Engine.open

    def timed(method, name):
        def call(*args, **kwargs):
            if inside:
                return method(*args, **kwargs)
            inside.append(name)
            begun = time.perf_counter()
            try:
                return method(*args, **kwargs)
            finally:
                spent[name] += time.perf_counter() - begun
                inside.pop()
        return call

    @contextlib.contextmanager
    def open_timed(self, spec, path, runtime):
        begun = time.perf_counter()
        with opened(self, spec, path, runtime) as model:
            if spec.name != "passthrough":
                spent["load"] += time.perf_counter() - begun
                model.generate = timed(model.generate, "generate")
                model.count_tokens = timed(model.count_tokens, "count_tokens")
            yield model

    Engine.open = open_timed
    return spent


def _run(folder: Path, config: Path, cache: Path, out: Path, workers: int | None = None) -> dict:
    with tempfile.NamedTemporaryFile(suffix=".json") as handle:
        command = [sys.executable, __file__, "--worker", str(folder), "--config", str(config),
                   "--cache", str(cache), "--out", str(out), "--json", handle.name,
                   *(["--workers", str(workers)] if workers else [])]
        subprocess.run(command, check=True, cwd=ROOT)
        return json.loads(Path(handle.name).read_text())


def open_seconds(pages: list[Path]) -> list[float] | None:
    """How long headless Chromium takes to open and lay out each page (None: no Chromium,
    chromedriver or selenium here); the first, throwaway load starts the browser."""
    chromium, driver_path = shutil.which("chromium"), shutil.which("chromedriver")
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        return None
    if not (chromium and driver_path):
        return None
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    try:
        driver.get("about:blank")
        seconds = []
        for page in pages:
            start = time.perf_counter()
            driver.get(page.as_uri())  # returns after the load event
            driver.execute_script("return document.body.getBoundingClientRect().height")  # laid out
            seconds.append(time.perf_counter() - start)
        return seconds
    finally:
        driver.quit()


def measure(size: int, config: Path, work: Path) -> dict:

    folder = synthetic_day(size, work / f"day-{size}", seed=size)
    briefs = work / f"briefs-{size}"
    first = _run(folder, config, work / f"cache-{size}", briefs)
    again = _run(folder, config, work / f"cache-{size}", briefs)
    review = briefs / "2026-01-01.review.html"
    story_pages = sorted((briefs / "2026-01-01.review").glob("s-*.html"), key=lambda p: p.stat().st_size)
    largest = story_pages[-1:] if story_pages else []
    opened = open_seconds([review, *largest]) or [None, None]
    return {"articles": size, "first": first, "rerun": again,
            "review": {"mb": review.stat().st_size / 2**20, "open_seconds": opened[0], "story_pages": len(story_pages),
                       "largest_story_page_mb": largest[0].stat().st_size / 2**20 if largest else None,
                       "largest_story_page_open_seconds": opened[1] if largest else None},
            "brief_mb": (briefs / "2026-01-01.md").stat().st_size / 2**20}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="300,1000,3000,10000")
    parser.add_argument("--models", type=Path, help="tiny models built by `python -m summarize.testing tiny DIR`")
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--report", action="store_true",
                        help="put the curve into bench/results.json and bench/RESULTS.md (its Big days section)")
    parser.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--config", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--cache", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--workers", help="processes that clean pages, e.g. 1,2: each size first-run at each count "
                                          "(its cleaning stage timed), the default (one a core) otherwise")
    args = parser.parse_args()
    if args.worker:
        return worker(args.worker, args.config, args.cache, args.out, args.json,
                      int(args.workers) if args.workers else None)
    if args.workers:
        return compare_workers([int(s) for s in args.sizes.split(",")], [int(w) for w in args.workers.split(",")],
                               args.models)
    with tempfile.TemporaryDirectory(prefix="summarize-scale-") as tmp:
        work = Path(tmp)
        models = args.models
        if models is None:
            models = work / "models"
            subprocess.run([sys.executable, "-m", "summarize.testing", "tiny", str(models)], check=True)
        results = []
        for size in (int(s) for s in args.sizes.split(",")):
            results.append(measure(size, models / "models.yaml", work))
            print(json.dumps(results[-1]), flush=True)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))
    if args.report:
        report(results, " ".join(["python bench/scale.py", *sys.argv[1:]]))


def compare_workers(sizes: list[int], counts: list[int], models: Path | None) -> None:
    """The first run of each size with each count of cleaning processes, side by side: the
    whole run and its cleaning stage, each from a fresh cache."""
    with tempfile.TemporaryDirectory(prefix="summarize-scale-") as tmp:
        work = Path(tmp)
        if models is None:
            models = work / "models"
            subprocess.run([sys.executable, "-m", "summarize.testing", "tiny", str(models)], check=True)
        for size in sizes:
            folder = synthetic_day(size, work / f"day-{size}", seed=size)
            for count in counts:
                run = _run(folder, models / "models.yaml", work / f"cache-{size}-{count}", work / f"briefs-{size}-{count}",
                           count)
                print(json.dumps({"articles": size, "workers": count, "seconds": round(run["seconds"], 1),
                                  "models": round(run["model_seconds"], 1), "own_ms": round(run["own_ms"], 1),
                                  "cleaning": round(run["stages"]["cleaning"]["seconds"], 2)}), flush=True)


def report(results: list[dict], command: str) -> None:
    """The curve as the Big days section of bench/RESULTS.md (bench/run.py writes the report)."""
    from run import machine, write_reports

    everything = json.loads((ROOT / "bench" / "results.json").read_text(encoding="utf-8"))
    everything.update(scale=results, scale_command=command, scale_machine=machine())
    write_reports(everything)


if __name__ == "__main__":
    main()
