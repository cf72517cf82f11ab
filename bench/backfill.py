"""`summarize backfill` on a local Ray cluster: a synthetic JSON Lines corpus over three dates
(bench/measure.py's synthetic articles, dated in turn), summarized with 1 and then 2 workers,
each from a fresh briefs folder and a fresh cache (passthrough translation and a tiny
summarizer, as bench/scale.py: what is measured is the pipeline, the workers and Ray).

    python bench/backfill.py --articles 2000 --workers 1,2 [--models DIR] [--json OUT]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from measure import synthetic_day

DATES = ("2026-01-05", "2026-01-06", "2026-01-07")


def corpus(size: int, folder: Path) -> Path:
    """`size` synthetic articles as JSON Lines rows, the dates in turn."""
    pages = sorted(synthetic_day(size, folder / "pages").glob("*.txt"))
    path = folder / "corpus.jsonl"
    with open(path, "w", encoding="utf-8") as out:
        for n, page in enumerate(pages):
            row = {"url": f"https://bench.example.vn/{n}.html", "published": DATES[n % 3], "text": page.read_text("utf-8")}
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--workers", default="1,2")
    parser.add_argument("--models", type=Path, help="tiny models built before (python -m summarize.testing tiny DIR)")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        models = args.models or work / "tiny"
        if not args.models:
            subprocess.run([sys.executable, "-m", "summarize.testing", "tiny", str(models)], check=True, capture_output=True)
        rows = corpus(args.articles, work)
        for workers in (int(w) for w in args.workers.split(",")):
            out = work / f"briefs-{workers}"
            env = {"SUMMARIZE_CACHE_DIR": str(work / f"cache-{workers}"), "SUMMARIZE_MODELS_DIR": str(work / "converted")}
            began = time.perf_counter()
            done = subprocess.run([sys.executable, "-m", "summarize", "backfill", str(rows), "--out", str(out),
                                   "--config", str(models / "models.yaml"), "--translator", "passthrough",
                                   "--workers", str(workers)], capture_output=True, text=True,
                                  env={**os.environ, **env})
            seconds = time.perf_counter() - began
            if done.returncode != 0:
                sys.exit(done.stdout[-2000:] + done.stderr[-2000:])
            days = sorted(p.stem for p in out.glob("*.json"))
            row = {"articles": args.articles, "workers": workers, "seconds": round(seconds, 1),
                   "articles_per_second": round(args.articles / seconds, 2), "days": days}
            results.append(row)
            print(json.dumps(row), flush=True)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
