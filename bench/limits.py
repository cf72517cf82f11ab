"""Resource limits: the pipeline's own time and peak memory on the largest inputs it accepts.

    python bench/limits.py          # about 2 minutes on 2 cores; prints one JSON object

Four inputs, each run in its own process: a 19 MB article (the reader's limit is 20 MB),
a 2 MB line with no punctuation, the same hard-wrapped into 80-column lines, and 5,000 small
files. The models are stand-ins, because the
point is what this code costs (no model takes a 19 MB article in reasonable time): translation
is the passthrough engine, and summaries are the first 60 words of their input, about the
length a real summarizer writes (a summary as long as its article would make the support
checks, which compare every summary sentence with every paragraph, the cost being measured).
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def worker(inputs: Path, out: Path) -> None:
    from summarize import Session, Settings
    from summarize.models import engines
    from summarize.testing import MockEngine, mock_registry

    engines.register("first-60-words", MockEngine(lambda text: " ".join(text.split()[:60])))
    config = mock_registry(out.with_suffix(".yaml"), "passthrough", "first-60-words")
    start = time.perf_counter()
    report = Session(Settings(config=config)).run(inputs, date="2026-01-01", out_dir=out.parent / "briefs")
    out.write_text(json.dumps({
        "seconds": round(time.perf_counter() - start, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "articles": len(report.articles), "skipped": len(report.skipped),
    }))


def main() -> None:
    if len(sys.argv) == 3:
        worker(Path(sys.argv[1]), Path(sys.argv[2]))
        return
    results = {}
    from summarize.testing import limit_inputs

    with tempfile.TemporaryDirectory() as tmp:
        for name, inputs in limit_inputs(Path(tmp), ROOT / "seeds").items():
            out = Path(tmp) / f"result-{len(results)}.json"
            subprocess.run([sys.executable, __file__, str(inputs), str(out)], check=True, cwd=tmp)
            results[name] = json.loads(out.read_text())
            print(name, results[name], file=sys.stderr, flush=True)
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
