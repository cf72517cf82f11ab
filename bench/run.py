"""Benchmark: the summarize pipeline against the naive way, on random-weight models with the
exact architecture of the default models (envit5-translation, distilbart-cnn-12-6).

    python bench/run.py                      # seeds + synthetic days of 50 and 500 articles
    python bench/run.py --sizes 5 --naive 5  # quicker: the seeds only

Writes bench/RESULTS.md and bench/results.json. Real weights cannot be downloaded here, so the
models are random; a logits processor forces realistic output lengths (translation: 1.3 × the
source tokens; summaries: 60–140 tokens) and keeps outputs inside the tokenizer's vocabulary,
so the compute matches real use. Each configuration runs in its own process, so load time and
peak RSS are its own.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TRANSLATION_RATIO = 1.3
SUMMARY_TOKENS = (60, 140)


# --- worker: one configuration in this process ------------------------------------------------


def _force_lengths(model, targets_for) -> None:
    """Make the model's generate() stop each sequence at a realistic length."""
    import torch
    from transformers import LogitsProcessor, LogitsProcessorList

    hf, tokenizer = model.model, model.tokenizer
    eos, vocab = tokenizer.eos_token_id, len(tokenizer)
    beams = model.settings.get("num_beams", 1)
    original = hf.generate

    class ForcedLength(LogitsProcessor):
        def __init__(self, targets):
            self.targets = targets.repeat_interleave(beams)

        def __call__(self, input_ids, scores):
            step = input_ids.shape[1] - 1
            scores[:, vocab:] = -math.inf  # random weights: stay inside the tokenizer's vocabulary
            done = self.targets <= step
            scores[~done, eos] = -math.inf
            scores[done] = -math.inf
            scores[done, eos] = 0.0
            return scores

    def generate(*args, **kwargs):
        targets = targets_for(kwargs["attention_mask"].sum(1))
        kwargs["logits_processor"] = LogitsProcessorList([ForcedLength(targets)])
        kwargs["max_new_tokens"] = int(targets.max()) + 2
        kwargs["min_new_tokens"] = 0
        return original(*args, **kwargs)

    hf.generate = generate
    torch.manual_seed(0)


def _translation_targets(lengths):
    return (lengths.float() * TRANSLATION_RATIO).ceil().long()


def _summary_targets(lengths):
    low, high = SUMMARY_TOKENS
    return (lengths.float() / 8).round().long().clamp(low, high)


class _OneAtATime:
    """The naive way: one generate() call per input."""

    def __init__(self, model):
        self.model, self.spec = model, model.spec

    def count_tokens(self, texts):
        return self.model.count_tokens(texts)

    def generate(self, texts, on_batch=None):
        return [self.model.generate([t])[0] for t in texts]


def worker(folder: Path, config: Path, mode: str, out: Path) -> None:
    """Run the pipeline once over `folder` and write its timings to `out` (JSON)."""
    import torch

    from summarize import pipeline, translator
    from summarize.pipeline import Reporter, RunOptions, run
    from summarize.registry import load_registry
    from summarize.segmenter import split_sentences

    timings: dict[str, float] = {}
    loads: dict[str, float] = {}
    original_open = pipeline.open_model

    def open_model(spec, path):
        start = time.perf_counter()
        model = original_open(spec, path)
        loads[spec.stage] = time.perf_counter() - start
        _force_lengths(model, _translation_targets if spec.stage == "translation" else _summary_targets)
        return _OneAtATime(model) if mode == "naive" else model

    pipeline.open_model = open_model
    if mode == "naive":  # one sentence per generate() call
        def by_sentence(text, count, limit):
            sentences = split_sentences(text)
            return [s + " " for s in sentences[:-1]] + sentences[-1:]
        translator.chunk = by_sentence

    class Timer(Reporter):
        @contextmanager
        def stage(self, name, total):
            start = time.perf_counter()
            yield lambda: None
            timings[name.split(" ")[0].lower()] = time.perf_counter() - start

    with tempfile.TemporaryDirectory() as tmp:
        options = RunOptions(registry=load_registry(config), cache_dir=None, out_dir=Path(tmp), date="2026-01-01")
        start = time.perf_counter()
        report = run(folder, options, Timer())
        total = time.perf_counter() - start
    articles = report.articles
    source_words = sum(len(" ".join(a.body).split()) for a in articles)
    result = {
        "mode": mode,
        "articles": len(articles),
        "seconds": {"total": total, **timings},
        "load_seconds": loads,
        "source_words": source_words,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "threads": torch.get_num_threads(),
        "outputs": {a.source: a.body_en for a in articles},
    }
    out.write_text(json.dumps(result, ensure_ascii=False), encoding="utf-8")


# --- orchestration ------------------------------------------------------------------------------


def synthetic_day(size: int, folder: Path, seed: int = 0) -> Path:
    """`size` articles assembled from the seeds' cleaned paragraphs (a title and 5–12 paragraphs)."""
    from summarize.cleaner import clean

    seeds = [clean(p.read_text(encoding="utf-8")) for p in sorted((ROOT / "seeds").glob("*.txt"))]
    paragraphs = [p for a in seeds for p in a.body]
    titles = [a.title for a in seeds if a.title]
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(size):
        body = rng.sample(paragraphs, rng.randint(5, 12))
        (folder / f"article-{i:04d}.txt").write_text(rng.choice(titles) + "\n\n" + "\n\n".join(body), "utf-8")
    return folder


def run_worker(folder: Path, config: Path, mode: str) -> dict:
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as handle:
        out = Path(handle.name)
    command = [sys.executable, __file__, "--worker", mode, "--folder", str(folder), "--config", str(config),
               "--json", str(out)]
    subprocess.run(command, check=True, cwd=ROOT)
    result = json.loads(out.read_text(encoding="utf-8"))
    out.unlink()
    return result


def timed(command: list[str], repeat: int, env: dict | None = None) -> float:
    """Median wall time of a command."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(command, check=True, cwd=ROOT, capture_output=True, env={**os.environ, **(env or {})})
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def cached_rerun_seconds() -> float:
    """Median time of a rerun over seeds/ with everything cached. A cached run loads no model,
    so the cache is warmed with the passthrough backend (no compute) and the rerun timed."""
    with tempfile.TemporaryDirectory() as tmp:
        config = Path(tmp) / "models.yaml"
        config.write_text("translation: {default: p, models: {p: {backend: passthrough}}}\n"
                          "summarization: {default: p, models: {p: {backend: passthrough, max_input_tokens: 4000}}}\n")
        env = {"SUMMARIZE_CACHE_DIR": tmp}
        command = [sys.executable, "-m", "summarize", "run", "seeds", "--config", str(config), "--quiet",
                   "--out", str(Path(tmp) / "briefs")]
        subprocess.run(command, check=True, cwd=ROOT, env={**os.environ, **env}, capture_output=True)
        return timed(command, 3, env)


def machine() -> dict:
    import torch
    import transformers

    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor()) if Path("/proc/cpuinfo").exists() else ""
    return {"cpu": cpu, "cores": os.cpu_count(), "python": platform.python_version(), "torch": torch.__version__,
            "transformers": transformers.__version__, "platform": platform.platform()}


def per_minute(result: dict, stage: str) -> float:
    return 60 * result["articles"] / result["seconds"][stage] if result["seconds"].get(stage) else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="5,50,500", help="day sizes (5 = the seeds)")
    parser.add_argument("--naive", type=int, default=5, help="articles to run the naive way (the seeds: 5)")
    parser.add_argument("--models", type=Path, help="reuse models built by `python -m summarize.testing full-size`")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--folder", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--config", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--json", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.folder, args.config, args.worker, args.json)
        return

    from summarize.testing import build_full_size

    work = Path(tempfile.mkdtemp(prefix="summarize-bench-"))
    try:
        config = args.models / "models.yaml" if args.models else build_full_size(work / "models", ROOT / "seeds")
        sizes = [int(s) for s in args.sizes.split(",")]
        runs = {}
        for size in sizes:
            folder = ROOT / "seeds" if size == 5 else synthetic_day(size, work / f"day-{size}")
            print(f"optimized, {size} articles…", flush=True)
            runs[size] = run_worker(folder, config, "optimized")
        naive_folder = ROOT / "seeds" if args.naive == 5 else synthetic_day(args.naive, work / "naive")
        print(f"naive, {args.naive} articles…", flush=True)
        naive = run_worker(naive_folder, config, "naive")
        optimized_same = runs.get(args.naive) or run_worker(naive_folder, config, "optimized")
        results = summarize_results(runs, naive, optimized_same)
        write_reports(results)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def summarize_results(runs: dict, naive: dict, optimized: dict) -> dict:
    help_seconds = timed([sys.executable, "-m", "summarize", "--help"], 5)
    cached = cached_rerun_seconds()
    speedup = naive["seconds"]["total"] / optimized["seconds"]["total"]
    sizes = sorted(runs)
    per_article = {s: runs[s]["seconds"]["total"] / runs[s]["articles"] for s in sizes}
    return {
        "machine": machine(),
        "command": "python bench/run.py " + " ".join(sys.argv[1:]),
        "articles_per_minute": {
            str(s): {stage: round(per_minute(runs[s], stage), 2) for stage in ("translating", "summarizing", "total")}
            for s in sizes
        },
        "source_words_per_second": {str(s): round(runs[s]["source_words"] / runs[s]["seconds"]["total"], 1)
                                    for s in sizes},
        "load_seconds": runs[sizes[0]]["load_seconds"],
        "seconds_per_article": {str(s): round(v, 2) for s, v in per_article.items()},
        "naive": {"articles": naive["articles"], "seconds": naive["seconds"],
                  "articles_per_minute": round(per_minute(naive, "total"), 2)},
        "speedup_over_naive": round(speedup, 2),
        "peak_rss_mb": round(max(r["peak_rss_mb"] for r in runs.values()), 1),
        "cached_rerun_seconds": round(cached, 3),
        "help_seconds": round(help_seconds, 3),
        "runs": {str(s): {k: v for k, v in runs[s].items() if k != "outputs"} for s in sizes},
    }


def write_reports(results: dict) -> None:
    (ROOT / "bench" / "results.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    m = results["machine"]
    lines = [
        "# Benchmark results",
        "",
        f"Measured with `{results['command']}` on {m['cpu']} ({m['cores']} cores), Python {m['python']}, "
        f"torch {m['torch']}, transformers {m['transformers']}. Models: random weights with the exact "
        "architecture of VietAI/envit5-translation and sshleifer/distilbart-cnn-12-6, default generate() "
        "settings (beam 4), output lengths forced to 1.3 × source tokens (translation) and 60–140 tokens "
        "(summaries). fp32, CPU.",
        "",
        "| articles | translating (art./min) | summarizing (art./min) | total (art./min) | s/article | source words/s |",
        "|---|---|---|---|---|---|",
    ]
    for size, rates in results["articles_per_minute"].items():
        lines.append(f"| {size} | {rates['translating']} | {rates['summarizing']} | {rates['total']} | "
                     f"{results['seconds_per_article'][size]} | {results['source_words_per_second'][size]} |")
    naive = results["naive"]
    lines += [
        "",
        f"* Naive way (one generate() per sentence, fp32, default threads) on {naive['articles']} articles: "
        f"{naive['articles_per_minute']} articles/min; this pipeline is **{results['speedup_over_naive']}×** faster.",
        f"* Model load: {', '.join(f'{k} {v:.1f} s' for k, v in results['load_seconds'].items())}.",
        f"* Peak RSS: **{results['peak_rss_mb']:.0f} MB**.",
        f"* Cached rerun over seeds/: **{results['cached_rerun_seconds']} s** (no model, no torch import).",
        f"* `summarize --help`: **{results['help_seconds']} s**.",
    ]
    (ROOT / "bench" / "RESULTS.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
