"""The archive at a desk's scale: a synthetic archive of real sentences (the seeds' and the real
pages' beside the checkout, shuffled into new articles), written day by day as runs write it, then
measured: seconds and bytes per article archived, search latency, and linking a 3,000-article
day to the last 30 days (peak memory of the process included).

    python bench/archive.py --sizes 100000,1000000 [--per-day 3000] [--keep DIR] [--json OUT]

Every day holds `per-day` articles in stories of one to three, each naming people and companies
of its own, one in five continuing a story of the last month; the last 30 days' stories carry
their real term vectors (threads.vector), as a run would have stored them, and older days a
short one (linking reads only the window). Search is timed over a fixed set of queries, each
run 5 times on a fresh connection: the median and the slowest are reported.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import statistics
import tempfile
import time
from datetime import date as Date
from datetime import timedelta
from pathlib import Path

from measure import ROOT

from summarize.archive import search, threads
from summarize.archive.store import NAME, Store
from summarize.article import Article
from summarize.day import Day
from summarize.day.stories import Story
from summarize.reading.segmenter import split_sentences

QUERIES = ["Putin", "nuclear", "dien dam", "điện đàm", "thuế thu nhập doanh nghiệp", "Tân Sơn Nhất", "tỷ đồng",
           "Ukraine Russia", "giá vàng", "zzzz-no-such-word"]


def sentences() -> list[str]:
    """Real sentences: the seeds' and the real pages' silver bodies (read in place, never copied)."""
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    texts += [p.read_text(encoding="utf-8") for p in sorted((ROOT.parent / "shared" / "realpages" / "silver").glob("*"))]
    return [s for t in texts for line in t.splitlines() for s in split_sentences(line) if len(s.split()) > 5]


def day_of(folder: Path, date: str, size: int, pool: list[str], rng: random.Random, recent: list[list[str]]) -> Day:
    """A day of `size` articles in stories of one to three. Each story names two people or
    companies of its own (three capitalised syllables), written into its articles; one story in
    five continues a story of the last days (`recent`: their names), as running stories do."""
    day = Day(folder, date)
    syllables = sorted({w for s in pool for w in s.split() if w.isalpha() and w.islower() and len(w) > 2})
    n = 0
    while n < size:
        width = min(rng.randint(1, 3), size - n)
        if recent and rng.random() < 0.2:
            names = rng.choice(recent)
        else:
            names = [" ".join(rng.choice(syllables).capitalize() for _ in range(3)) for _ in range(2)]
            recent.append(names)
        group = []
        for _ in range(width):
            body = [" ".join(rng.sample(pool, rng.randint(2, 4))) for _ in range(rng.randint(3, 6))]
            body[0] = f"Theo ông {names[0]}, {body[0]} Công ty {names[1]} cho biết thêm."
            source = f"/inbox/{date}/a{n:05d}.txt"
            day.articles[source] = Article(source=source, title=rng.choice(pool), headline=rng.choice(pool)[:120],
                                           body=body, body_en=body, summary=" ".join(body[0].split()[:60]),
                                           entities=[{"kind": "People", "name": "Vladimir Putin"}] if n % 7 == 0 else [])
            group.append(source)
            n += 1
        day.stories.append(Story(f"s-{date}-{n}", day.articles[group[0]].headline, group))
    del recent[: max(0, len(recent) - 30 * size)]  # about the last month's stories
    return day


def build(path: Path, size: int, per_day: int, pool: list[str], start: Date) -> tuple[float, list[str], list]:
    """Write `size` articles as days of `per_day`; seconds spent and the dates written."""
    store = Store(path / NAME)
    rng, recent = random.Random(0), []
    days = -(-size // per_day)
    dates = [(start + timedelta(days=d)).isoformat() for d in range(days)]
    seconds = 0.0
    for d, date in enumerate(dates):
        day = day_of(path, date, min(per_day, size - d * per_day), pool, rng, recent)
        windowed = d >= days - threads.WINDOW
        vectors = {s.id: threads.vector(day.features(day.articles[x]) for x in s.sources) if windowed else {"@putin": 1.0}
                   for s in day.stories}
        ids = {s.id: f"{date}/{s.id}" for s in day.stories}
        began = time.perf_counter()
        store.put(day, ids, vectors, "bench")
        seconds += time.perf_counter() - began
    store.close()
    return seconds, dates, recent


def searches(path: Path) -> dict:
    found = {}
    for query in QUERIES:
        times, hits = [], 0
        for _ in range(5):
            store = Store(path / NAME, create=False)
            began = time.perf_counter()
            hits = len(search.search(store, query, limit=20))
            times.append(time.perf_counter() - began)
            store.close()
        found[query] = {"median_ms": 1000 * statistics.median(times), "max_ms": 1000 * max(times), "hits": hits}
    return found


def link(path: Path, per_day: int, pool: list[str], after: str, recent: list) -> dict:
    """A new day of `per_day` articles linked to the last 30 days: its vectors, the window read, the links."""
    date = (Date.fromisoformat(after) + timedelta(days=1)).isoformat()
    day = day_of(path, date, per_day, pool, random.Random(1), recent)
    store = Store(path / NAME, create=False)
    began = time.perf_counter()
    vectors = {s.id: threads.vector(day.features(day.articles[x]) for x in s.sources) for s in day.stories}
    made = time.perf_counter()
    earlier = store.window(date, threads.WINDOW)
    read = time.perf_counter()
    links = threads.link(date, vectors, earlier)
    done = time.perf_counter()
    store.close()
    return {"stories": len(vectors), "window_stories": len(earlier), "links": len(links), "vectors_s": made - began,
            "window_s": read - made, "link_s": done - read, "total_s": done - began}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000")
    parser.add_argument("--per-day", type=int, default=3000)
    parser.add_argument("--keep", type=Path, help="build the archives here (default: a temporary folder)")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    pool = sentences()
    results = []
    for size in (int(s) for s in args.sizes.split(",")):
        with tempfile.TemporaryDirectory(dir=args.keep) as folder:
            path = Path(folder)
            seconds, dates, recent = build(path, size, args.per_day, pool, Date(2025, 1, 1))
            bytes_ = sum(p.stat().st_size for p in path.glob(NAME + "*"))
            row = {"articles": size, "write_ms_per_article": 1000 * seconds / size, "bytes_per_article": bytes_ / size,
                   "archive_mb": bytes_ / 2**20, "search": searches(path), "link": link(path, args.per_day, pool, dates[-1], recent),
                   "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}
            results.append(row)
            print(json.dumps(row, ensure_ascii=False), flush=True)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main()
