"""Benchmark: the summarize pipeline against the naive way, on random-weight models with the
exact architecture of the default models (envit5-translation, distilbart-cnn-12-6).

    python bench/run.py                       # what bench/RESULTS.md reports (about 60 min, 2 cores)
    python bench/run.py --sizes 5 --tiny ""    # quicker: the seeds only

Writes bench/RESULTS.md and bench/results.json. Real weights cannot be downloaded here, so the
models are random; every engine is forced to realistic output lengths, each sequence its own
(translation: 1.3 × the source tokens; summaries: 60–140 tokens), inside the tokenizer's
vocabulary, so the compute matches real use. Translations are forced to the same tokens in
every engine (the vocabulary in order), so the summarizer reads the same text, about as long
as a real translation, whichever engine translated; summaries are free.
Each configuration runs in its own process, so its load time and peak RSS are its own. On the
seeds, side by side: the naive way (one generate() per sentence, transformers fp32, its own
beam cache), this pipeline with transformers in fp32 (whose outputs must be identical to the
naive way's) and in bfloat16, as shipped (CTranslate2 int8 on a CPU), and the fast profile
(--fast: greedy). The shipped configuration then runs on synthetic days, and the whole
pipeline on tiny models shows how its own (non-model) cost scales up to 500 articles.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import yaml
from measure import (
    CONVERTED,
    LONGEST_JOIN,
    ROOT,
    force_ctranslate2_lengths,
    force_lengths,
    summary_targets,
    synthetic_day,
    translation_targets,
)

DEVICE = "cpu"  # where the models run: --device (cuda: a GPU run is this one command)


def worker(folder: Path, config: Path, mode: str, out: Path, forced: bool, backend: str | None, fast: bool,
           device: str = "cpu") -> None:
    """Run the pipeline once over `folder` and write its timings and outputs to `out` (JSON).
    The naive way is a configuration (Tuning.naive()); both engines are registered again,
    measured: they time each load and, with `forced`, force realistic output lengths."""
    import torch
    from transformers import AutoTokenizer

    from summarize import Session, Settings
    from summarize.models import engines
    from summarize.models.engines.ctranslate2 import CTranslate2Engine
    from summarize.models.engines.seq2seq import Seq2SeqEngine
    from summarize.models.registry import load_registry
    from summarize.reading.segmenter import split_sentences
    from summarize.report import Reporter
    from summarize.settings import Tuning

    timings: dict[str, float] = {}
    loads: dict[str, float] = {}

    def measured(engine: type, force) -> engines.Engine:
        class Measured(engine):
            def load(self, spec, path, runtime):
                start = time.perf_counter()
                model = super().load(spec, path, runtime)
                loads[spec.stage] = time.perf_counter() - start
                if forced:
                    translation = spec.stage == "translation"
                    force(model, translation_targets if translation else summary_targets, translation)
                where[spec.stage] = model.where
                return model

        return Measured()

    where: dict[str, str] = {}
    with (  # the built-in engines, measured, for this worker's run only
        engines.registered("transformers", measured(Seq2SeqEngine, force_lengths)),
        engines.registered("ctranslate2", measured(CTranslate2Engine, force_ctranslate2_lengths)),
    ):

        class Timer(Reporter):
            @contextmanager
            def stage(self, name, total):
                start = time.perf_counter()
                yield lambda: None
                timings[name.split(" ")[0].lower()] = time.perf_counter() - start

        tuning = {"naive": Tuning.naive(), "one-batch": Tuning(batch_threads=None)}.get(mode, Tuning())
        session = Session(Settings(config=config, cache_dir=None, tuning=tuning, device=device, backend=backend,
                                   profile="fast" if fast else None, models_dir=CONVERTED))
        with tempfile.TemporaryDirectory() as tmp:
            start = time.perf_counter()
            report = session.run(folder, date="2026-01-01", out_dir=Path(tmp), reporter=Timer())
            total = time.perf_counter() - start
        articles = report.articles
        texts = [t for a in articles for t in a.source_texts]
        tokenizer = AutoTokenizer.from_pretrained(load_registry(config).get("translation").model)
        result = {
            "mode": mode,
            "runs_on": where,
            "articles": len(articles),
            "copies": report.copies,
            "seconds": {"total": total, **timings},
            "load_seconds": loads,
            "source_words": sum(len(t.split()) for t in texts),
            "source_tokens": sum(len(ids) for ids in tokenizer(texts)["input_ids"]),
            "longest_sentence_tokens": max(len(ids) for ids in tokenizer(
                [s for t in texts for s in split_sentences(t)])["input_ids"]),
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "threads": torch.get_num_threads(),
            "outputs": {a.source: [a.title_en, *a.body_en, *a.captions_en, a.summary] for a in articles},
        }
        out.write_text(json.dumps(result, ensure_ascii=False), encoding="utf-8")


# --- orchestration ------------------------------------------------------------------------------


def run_worker(folder: Path, config: Path, mode: str = "optimized", forced: bool = True,
               backend: str | None = None, fast: bool = False) -> dict:
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as handle:
        out = Path(handle.name)
    command = [sys.executable, __file__, "--worker", mode, "--folder", str(folder), "--config", str(config),
               "--device", DEVICE,
               "--json", str(out)] + ([] if forced else ["--free"]) + (["--backend", backend] if backend else [])
    command += ["--fast"] if fast else []
    subprocess.run(command, check=True, cwd=ROOT)
    result = json.loads(out.read_text(encoding="utf-8"))
    out.unlink()
    return result


def convert_models(config: Path) -> dict[str, float]:
    """Convert the shipped models to CTranslate2 before any timed run (a one-time cost per model,
    reported on its own) and return the seconds each took."""
    from summarize.models.engines.ctranslate2 import COMPUTE_TYPES, convert
    from summarize.models.registry import STAGES, load_registry

    shutil.rmtree(CONVERTED, ignore_errors=True)
    registry, seconds = load_registry(config), {}
    for stage in STAGES:
        spec = registry.get(stage)
        start = time.perf_counter()
        convert(spec, Path(spec.model), COMPUTE_TYPES["cpu"][spec.cpu_dtype], CONVERTED)
        seconds[stage] = round(time.perf_counter() - start, 1)
    return seconds


def run_isa(models: Path) -> dict:
    """bench/isa.py's measurements: the engines on this CPU and capped at AVX2."""
    command = [sys.executable, str(ROOT / "bench" / "isa.py"), "--models", str(models)]
    return json.loads(subprocess.run(command, check=True, cwd=ROOT, capture_output=True, text=True).stdout)


def run_levers(models: Path) -> dict:
    """bench/levers.py's measurements, in its own process."""
    command = [sys.executable, str(ROOT / "bench" / "levers.py"), "--models", str(models)]
    return json.loads(subprocess.run(command, check=True, cwd=ROOT, capture_output=True, text=True).stdout)


def run_stories(models: Path) -> dict:
    """What copies cost: the tuning day of tests/fixtures/stories (15 files, 4 of them copies)
    as shipped, beside its 11 originals alone and its 4 copies alone (what translating and
    summarizing them would have cost)."""
    from summarize.evaluation import read_group_gold

    config = models / "models.yaml"
    convert_models(config)
    day = ROOT / "tests" / "fixtures" / "stories" / "tune"
    copies = set(read_group_gold(day / "gold.yaml")[1])
    work = Path(tempfile.mkdtemp(prefix="summarize-bench-stories-"))
    try:
        for name, keep in (("originals", lambda p: p.name not in copies), ("copies", lambda p: p.name in copies)):
            (work / name).mkdir()
            for page in day.glob("*.txt"):
                if keep(page):
                    shutil.copy(page, work / name / page.name)
        runs = {"day": run_worker(day, config), "originals alone": run_worker(work / "originals", config),
                "copies alone": run_worker(work / "copies", config)}
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return {name: {"files": r["articles"] + r["copies"], "translated": r["articles"], "copies": r["copies"],
                   "source_tokens": r["source_tokens"], "seconds": round(r["seconds"]["total"], 1),
                   "model_seconds": round(r["seconds"].get("translating", 0) + r["seconds"].get("summarizing", 0), 1)}
            for name, r in runs.items()}


def run_ratios(models: Path) -> dict:
    """The seeds' speedups on the machine at hand: the naive way, as shipped and --fast, side
    by side in one run (a laptop-class CPU can then be compared with the report's)."""
    config = models / "models.yaml"
    convert_models(config)
    seeds = ROOT / "seeds"
    runs = {"naive": run_worker(seeds, with_cpu_dtype(config, "float32"), "naive", backend="transformers"),
            "as shipped, one batch at a time": run_worker(seeds, config, "one-batch"),
            "as shipped": run_worker(seeds, config), "--fast": run_worker(seeds, config, fast=True)}
    return {name: {"seconds": round(r["seconds"]["total"], 1), "translating": round(r["seconds"]["translating"], 1),
                   "summarizing": round(r["seconds"]["summarizing"], 1), "peak_rss_mb": round(r["peak_rss_mb"]),
                   "engines": "; ".join(sorted(set(r["runs_on"].values())))} for name, r in runs.items()}


def run_gpu(models: Path) -> dict:
    """The seeds and a 50-article day on a CUDA GPU (`--device cuda`): the naive way in fp32,
    as shipped (backend auto: transformers, bfloat16) and --fast, side by side."""
    config = models / "models.yaml"
    seeds = ROOT / "seeds"
    with tempfile.TemporaryDirectory() as tmp:
        runs = {"naive: one generate() per sentence, fp32": run_worker(seeds, with_dtype(config, "cuda_dtype", "float32"),
                                                                        "naive", backend="transformers"),
                "as shipped": run_worker(seeds, config), "--fast": run_worker(seeds, config, fast=True),
                "as shipped, 50 articles": run_worker(synthetic_day(50, Path(tmp) / "day-50"), config)}
    naive = runs["naive: one generate() per sentence, fp32"]["seconds"]["total"]
    return {name: {"articles": r["articles"], "seconds": round(r["seconds"]["total"], 1),
                   "translating": round(r["seconds"].get("translating", 0), 1),
                   "summarizing": round(r["seconds"].get("summarizing", 0), 1),
                   "articles_per_minute": round(60 * r["articles"] / r["seconds"]["total"], 1),
                   "x_naive": round(naive / r["seconds"]["total"], 2) if r["articles"] == 5 else None,
                   "engines": "; ".join(sorted(set(r["runs_on"].values())))} for name, r in runs.items()}


def with_cpu_dtype(config: Path, dtype: str) -> Path:
    """A copy of a registry with every model's cpu_dtype set to `dtype`."""
    return with_dtype(config, "cpu_dtype", dtype)


def with_dtype(config: Path, key: str, dtype: str) -> Path:
    """A copy of a registry with every model's `key` (cpu_dtype, cuda_dtype) set to `dtype`."""
    data = yaml.safe_load(config.read_text(encoding="utf-8"))
    for stage in ("translation", "summarization"):
        for entry in data[stage]["models"].values():
            entry[key] = dtype
    path = config.with_name(f"models-{key}-{dtype}.yaml")
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


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


# The vector instructions that decide CPU inference speed (bench/isa.py): AVX2 is what laptops have.
ISA_FLAGS = ("avx2", "avx512f", "avx512_vnni", "avx512_bf16", "amx_tile")


def machine() -> dict:
    import importlib.util

    import torch
    import transformers

    ctranslate2 = importlib.import_module("ctranslate2") if importlib.util.find_spec("ctranslate2") else None

    info = Path("/proc/cpuinfo").read_text().splitlines() if Path("/proc/cpuinfo").exists() else []
    cpu = next((line.split(":", 1)[1].strip() for line in info if line.startswith("model name")), platform.processor())
    flags = next((line.split(":", 1)[1].split() for line in info if line.startswith("flags")), [])
    return {"cpu": cpu, "cores": os.cpu_count(), "isa": [f for f in ISA_FLAGS if f in flags],
            "python": platform.python_version(), "torch": torch.__version__,
            "transformers": transformers.__version__, "ctranslate2": ctranslate2.__version__ if ctranslate2 else None,
            "gpu": torch.cuda.get_device_name(0) if torch.cuda.is_available() else None, "platform": platform.platform()}


def rates(result: dict) -> dict:
    """Headline figures of one run."""
    seconds = result["seconds"]
    return {
        "articles": result["articles"],
        "articles_per_minute": {stage: round(60 * result["articles"] / seconds[stage], 2)
                                for stage in ("translating", "summarizing", "total") if seconds.get(stage)},
        "source_tokens_per_second": round(result["source_tokens"] / seconds["total"], 1),
        "seconds_per_article": round(seconds["total"] / result["articles"], 3),
        "seconds_per_article_after_load": round((seconds["total"] - sum(result["load_seconds"].values()))
                                                / result["articles"], 3),
        "seconds_per_1000_source_tokens": round(1000 * seconds["total"] / result["source_tokens"], 2),
        "seconds": {k: round(v, 2) for k, v in seconds.items()},
        "load_seconds": {k: round(v, 2) for k, v in result["load_seconds"].items()},
        "peak_rss_mb": round(result["peak_rss_mb"], 1),
        "source_tokens": result["source_tokens"],
        "longest_sentence_tokens": result["longest_sentence_tokens"],
        "threads": result["threads"],
    }


def smoke() -> None:
    """CI's check that bench still runs: the worker on tiny models over the seeds, each engine
    measured and forced through its decode_hook; both must write the same forced English."""
    from summarize.testing import build_tiny

    with tempfile.TemporaryDirectory(prefix="summarize-bench-") as work:
        tiny = build_tiny(Path(work) / "tiny", ROOT / "seeds")
        convert_models(tiny)
        english = {}
        for backend in ("ctranslate2", "transformers"):
            result = run_worker(ROOT / "seeds", tiny, backend=backend)
            assert result["articles"] == 5 and result["seconds"]["translating"] > 0, result
            english[backend] = {source: texts[:-1] for source, texts in result["outputs"].items()}
            print(backend, json.dumps(rates(result)["seconds"]))
    assert all(any(texts) for texts in english["transformers"].values()), "no forced English written"
    assert english["ctranslate2"] == english["transformers"], "the engines' forced translations differ"


def report_gpu(models: Path | None) -> None:
    """`--device cuda`: the GPU section (run_gpu) into the reports, the rest kept; with models
    built with --llms, the instruction models' GPU section too (bench/llm.py)."""
    import llm

    from summarize.testing import build_full_size

    models = models or build_full_size(Path(tempfile.mkdtemp(prefix="summarize-bench-")) / "models", ROOT / "seeds").parent
    results = json.loads((ROOT / "bench" / "results.json").read_text(encoding="utf-8"))
    results["gpu"], results["gpu_machine"] = run_gpu(models), machine()
    results["gpu_command"] = f"python bench/run.py --device cuda --models {models}"
    if (models / "qwen3-4b-random").is_dir():
        results["llm_gpu"], results["llm_gpu_machine"] = llm.measure(models, "cuda"), results["gpu_machine"]
        results["llm_gpu_command"] = results["gpu_command"]
    write_reports(results)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="5,50", help="day sizes run with the full-size models (5 = the seeds)")
    parser.add_argument("--tiny", default="5,50,500", help="day sizes run with tiny models ('' for none)")
    parser.add_argument("--models", type=Path, help="reuse models built by `python -m summarize.testing full-size`")
    parser.add_argument("--levers", action="store_true", help="also run bench/levers.py (about 4 min)")
    parser.add_argument("--isa-only", action="store_true",
                        help="only rerun bench/isa.py (needs --models) and update the reports with it")
    parser.add_argument("--levers-only", action="store_true",
                        help="only rerun bench/levers.py (needs --models) and update the reports with it")
    parser.add_argument("--ratios-only", action="store_true",
                        help="only the seeds' naive, as-shipped (also one batch at a time) and --fast runs on this machine, as a section of "
                             "their own (--models required; about 30 min on 2 cores)")
    parser.add_argument("--stories-only", action="store_true",
                        help="only measure what copies cost (--models required; keeps the rest of results.json)")
    parser.add_argument("--smoke", action="store_true",
                        help="CI: the worker on tiny models over the seeds, every engine measured and forced; no report")
    parser.add_argument("--device", default="cpu", choices=("cpu", "cuda"),
                        help="cuda: the GPU section only (the seeds and a 50-article day), into the reports")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--folder", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--config", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--json", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--free", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--backend", help=argparse.SUPPRESS)
    parser.add_argument("--fast", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.folder, args.config, args.worker, args.json, not args.free, args.backend, args.fast, args.device)
        return

    from summarize.testing import build_full_size, build_tiny

    global DEVICE
    DEVICE = args.device
    if args.smoke:
        return smoke()
    if DEVICE == "cuda":
        return report_gpu(args.models)
    for only, section, measure in ((args.isa_only, "isa", run_isa), (args.levers_only, "levers", run_levers),
                                   (args.stories_only, "stories", run_stories),
                                   (args.ratios_only, "ratios", run_ratios)):
        if only:  # rerun one section and keep the rest of the last full run
            results = json.loads((ROOT / "bench" / "results.json").read_text(encoding="utf-8"))
            results[section] = measure(args.models)
            results[f"{section}_command"] = f"python bench/run.py --{section}-only --models {args.models}"
            results[f"{section}_machine"] = machine()
            write_reports(results)
            return
    work = Path(tempfile.mkdtemp(prefix="summarize-bench-"))
    try:
        shipped = args.models / "models.yaml" if args.models else build_full_size(work / "models", ROOT / "seeds")
        fp32, bf16 = with_cpu_dtype(shipped, "float32"), with_cpu_dtype(shipped, "bfloat16")
        seeds = ROOT / "seeds"
        print("converting to CTranslate2…", flush=True)
        conversion = convert_models(shipped)
        print("seeds: naive…", flush=True)
        naive = run_worker(seeds, fp32, "naive", backend="transformers")
        print("seeds: transformers fp32…", flush=True)
        exact = run_worker(seeds, fp32, backend="transformers")
        print("seeds: transformers bf16…", flush=True)
        bfloat = run_worker(seeds, bf16, backend="transformers")
        print("seeds: fast profile (as shipped, greedy)…", flush=True)
        fast = run_worker(seeds, shipped, fast=True)
        runs = {}
        for size in [int(s) for s in args.sizes.split(",")]:
            print(f"{size} articles: this pipeline as shipped…", flush=True)
            runs[size] = run_worker(seeds if size == 5 else synthetic_day(size, work / f"day-{size}"), shipped)
        print("the longest sentences: this pipeline as shipped…", flush=True)
        longest = run_worker(synthetic_day(2, work / "long", join=LONGEST_JOIN), shipped)
        tiny_runs = {}
        if args.tiny:
            tiny = build_tiny(work / "tiny", seeds)
            for size in [int(s) for s in args.tiny.split(",")]:
                print(f"{size} articles: tiny models…", flush=True)
                folder = seeds if size == 5 else synthetic_day(size, work / f"day-{size}")
                tiny_runs[size] = run_worker(folder, tiny, forced=False)
        results = summarize_results(naive, exact, runs, longest, tiny_runs, shipped)
        results["seeds"].update(bf16=rates(bfloat), fast=rates(fast))
        results["conversion_seconds"] = conversion
        results["ctranslate2_forcing"] = "per sequence"
        results["speedup_over_naive_fast"] = round(naive["seconds"]["total"] / fast["seconds"]["total"], 2)
        results["runs_on"] = {"naive": naive["runs_on"], "fp32": exact["runs_on"], "bf16": bfloat["runs_on"],
                              "shipped": runs[5]["runs_on"], "fast": fast["runs_on"]}
        results["isa"] = run_isa(shipped.parent)
        results["stories"] = run_stories(shipped.parent)
        if args.levers:
            results["levers"] = run_levers(shipped.parent)
        write_reports(results)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def summarize_results(naive: dict, exact: dict, runs: dict, longest: dict, tiny_runs: dict, shipped: Path) -> dict:
    from summarize.models.registry import load_registry

    seeds = runs[5]
    registry = load_registry(shipped)
    per_article = {size: rates(r)["seconds_per_article_after_load"] for size, r in tiny_runs.items()}
    return {
        "machine": machine(),
        "command": "python bench/run.py " + " ".join(sys.argv[1:]),
        "shipped_cpu_dtype": {stage: registry.get(stage).cpu_dtype for stage in ("translation", "summarization")},
        "shipped_backend": {stage: registry.get(stage).backend for stage in ("translation", "summarization")},
        "articles_per_minute": {str(size): rates(r)["articles_per_minute"] for size, r in runs.items()},
        "speedup_over_naive": round(naive["seconds"]["total"] / seeds["seconds"]["total"], 2),
        "speedup_over_naive_fp32": round(naive["seconds"]["total"] / exact["seconds"]["total"], 2),
        "fp32_outputs_identical_to_naive": exact["outputs"] == naive["outputs"],
        "peak_rss_mb": round(max(r["peak_rss_mb"] for r in [*runs.values(), longest]), 1),
        "cached_rerun_seconds": round(cached_rerun_seconds(), 3),
        "help_seconds": round(timed([sys.executable, "-m", "summarize", "--help"], 5), 3),
        "seeds": {"naive": rates(naive), "fp32": rates(exact), "shipped": rates(seeds)},
        "days": {str(size): rates(r) for size, r in runs.items()},
        "longest_sentences": rates(longest),
        "tiny_models_seconds_per_article": {str(size): round(v, 4) for size, v in per_article.items()},
    }


def write_reports(results: dict) -> None:
    (ROOT / "bench" / "results.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    lines = []
    for section in (_seeds_section, _ratios_section, _days_section, _levers_section, _isa_section, _stories_section,
                    _scale_section, _llm_section, _gpu_section):
        lines += section(results)
    lines += [
        "",
        "## Not measured here",
        "",
        "int8 and bfloat16 are other "
        "number formats, so their outputs differ from fp32's (with random weights a small change flips "
        "the top token); the identical-output check is for the fp32 path. Quality on real weights: "
        "`summarize eval translation` (docs/models.md).",
    ]
    (ROOT / "bench" / "RESULTS.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _gpu_section(results: dict) -> list[str]:
    if "gpu" not in results:
        return ["", "## On a GPU", "", "Unmeasured: no GPU was lent to the sessions that wrote this report. "
                "`python bench/run.py --device cuda --models DIR` (models from `python -m summarize.testing "
                "full-size DIR`) runs the seeds and a 50-article day on one, naive fp32 beside the shipped "
                "configuration and --fast, and adds this section. The CUDA path (batches sized from free memory, "
                "out-of-memory split and retry, bfloat16) is tested on the CPU with a simulated out-of-memory error."]
    m = results["gpu_machine"]
    lines = ["", f"## On a GPU ({m['gpu']})", "",
             "| run | articles | total | translating | summarizing | articles/min | × naive | engines |",
             "|---|---|---|---|---|---|---|---|"]
    lines += [f"| {name} | {r['articles']} | {r['seconds']} s | {r['translating']} s | {r['summarizing']} s | "
              f"{r['articles_per_minute']} | {r['x_naive'] or '—'} | {r['engines']} |" for name, r in results["gpu"].items()]
    return lines + ["", f"Measured by `{results['gpu_command']}`, torch {m['torch']}, transformers {m['transformers']}."]


def _llm_section(results: dict) -> list[str]:
    """bench/llm.py's table: instruction models beside distilbart-cnn, on the CPU and on a GPU."""
    lines = []
    for key in ("llm", "llm_gpu"):
        if key not in results:
            if key == "llm_gpu":
                lines += ["", "### Instruction models on a GPU", "", "Unmeasured: no GPU was lent to the sessions that "
                          "wrote this report. `python bench/run.py --device cuda --models DIR` (models from `python -m "
                          "summarize.testing full-size DIR --llms`) adds it (bench/llm.py; under 8 minutes on one GPU)."]
            continue
        title = "## Instruction models as summarizers (bench/llm.py)" if key == "llm" else "### Instruction models on a GPU"
        lines += ["", title, "", f"The seeds' five articles, each whole in one input, every summary forced to "
                  f"{results[key][0]['output_tokens']} tokens in every engine; random weights with the shipped entries' "
                  "exact architectures; each (model, engine) its own process, threads as shipped. Prompt tokens/s "
                  "from a pass writing one token per article.", ""]
        lines += ["| summarizer | engine | load | s/article | × distilbart (same engine) | prompt tokens | "
                  "prompt tokens/s | generated tokens/s | peak memory |", "|---|---|---|---|---|---|---|---|---|"]
        base = {r["backend"]: r["seconds_per_article"] for r in results[key] if r["model"].startswith("distilbart")}
        for r in results[key]:
            ratio = r["seconds_per_article"] / base[r["backend"]] if r["backend"] in base else None
            lines.append(f"| {r['model'].removesuffix('-random')} | {r['where']} | {r['load_seconds']} s | "
                         f"{r['seconds_per_article']} s | {f'{ratio:.1f}×' if ratio else '—'} | {r['prompt_tokens']:,} | "
                         f"{r['prompt_tokens_per_second']} | {r['generated_tokens_per_second']} | {r['peak_rss_mb']:,} MB |")
        lines += _updated(results, key)
    return lines


def _scale_section(results: dict) -> list[str]:
    """bench/scale.py's curve (`--scale FILE`: its JSON), when it has been merged in."""
    if "scale" not in results:
        return []
    lines = ["", "## Big days: the project's own stages (bench/scale.py)", "",
             "Synthetic days of distinct articles from the seeds' sentences, passthrough translation and a tiny "
             "summarizer, so the models cost next to nothing; each run a fresh process; peak memory per stage is "
             "the process's resident peak during it.", "",
             "| articles | first run | models | own work / article | cleaning | grouping | writing | peak memory "
             "| cached rerun | rerun / first | review page | opens in Chromium |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in results["scale"]:
        first, again, stages = r["first"], r["rerun"], r["first"]["stages"]
        peak = max(v["peak_mb"] for v in stages.values())
        opened = r["review"]["open_seconds"]
        own = f"{first['own_ms']:.1f} ms" if "own_ms" in first else "—"
        models = f"{first['model_seconds']:.1f} s" if "model_seconds" in first else "—"
        lines.append(f"| {r['articles']:,} | {first['seconds']:.1f} s | {models} | {own} | "
                     f"{stages['cleaning']['seconds']:.1f} s | {stages['grouping']['seconds']:.1f} s | "
                     f"{stages['writing']['seconds']:.1f} s | {peak:.0f} MB | {again['seconds']:.1f} s | "
                     f"{100 * again['seconds'] / first['seconds']:.1f} % | {r['review']['mb']:.2f} MB | "
                     + (f"{opened:.2f} s |" if opened is not None else "— |"))
    return lines + _updated(results, "scale")


def _updated(results: dict, section: str) -> list[str]:
    """Where a section rerun on its own came from: the command, and the machine when it is
    not the one the rest of the report was measured on (compare within a section only)."""
    if f"{section}_command" not in results:
        return []
    m = results.get(f"{section}_machine", results["machine"])
    elsewhere = f" on {m['cpu']} ({m['cores']} cores)" if m["cpu"] != results["machine"]["cpu"] else ""
    return ["", f"Updated by `{results[f'{section}_command']}`{elsewhere}."]


def _seeds_section(results: dict) -> list[str]:
    m = results["machine"]
    seeds = results["seeds"]
    lines = [
        "# Benchmark results",
        "",
        f"Produced by `{results['command']}` on {m['cpu']} ({m['cores']} cores), Python {m['python']}, "
        f"torch {m['torch']}, transformers {m['transformers']}, ctranslate2 {m.get('ctranslate2', '?')}, no GPU. "
        "Models: random weights with the exact architecture of VietAI/envit5-translation and "
        "sshleifer/distilbart-cnn-12-6, their generate() settings (beam 4), output lengths forced to "
        "1.3 × the source tokens (translation) and 60–140 tokens (summaries). Threads: one per core, "
        "in every engine." + ("" if results.get("ctranslate2_forcing") == "per sequence" else
                              " This table's CTranslate2 rows were measured before CTranslate2 decoded batches side "
                              "by side and with every sequence of a batch forced to the batch's longest output "
                              "(12 % more decoding than the sequences' own lengths); the next section has the "
                              "current figures."),
        "",
        "## The seeds (5 articles), side by side",
        "",
        "| configuration | engines | total | translating | summarizing | articles/min | × naive | peak RSS |",
        "|---|---|---|---|---|---|---|---|",
    ]
    naive_total = seeds["naive"]["seconds"]["total"]
    for name, label in (("naive", "naive: one generate() per sentence, fp32"), ("fp32", "batched, transformers fp32"),
                        ("bf16", "batched, transformers bfloat16"), ("shipped", "**as shipped** (backend auto)"),
                        ("fast", "**--fast** (as shipped, greedy)")):
        if name not in seeds:
            continue
        r = seeds[name]
        engines = "; ".join(sorted(set(results.get("runs_on", {}).get(name, {}).values()))) or "—"
        lines.append(f"| {label} | {engines} | {r['seconds']['total']:.1f} s | {r['seconds']['translating']:.1f} s | "
                     f"{r['seconds']['summarizing']:.1f} s | {r['articles_per_minute']['total']} | "
                     f"{naive_total / r['seconds']['total']:.2f}× | {r['peak_rss_mb']:.0f} MB |")
    identical = "identical" if results["fp32_outputs_identical_to_naive"] else "NOT identical"
    lines += [
        "",
        f"* Speedup over naive, as shipped: **{results['speedup_over_naive']}×** (target 5×); --fast: "
        f"**{results.get('speedup_over_naive_fast', '—')}×** (target 12×); transformers fp32: "
        f"**{results['speedup_over_naive_fp32']}×**, with outputs {identical} to the naive way's "
        + ("(every summary compared; translations are forced to the same tokens, and bench/levers.py "
           "compares free ones)." if results.get("ctranslate2_forcing") == "per sequence"
           else "(every title, paragraph, caption and summary compared)."),
        f"* Model load, as shipped: {', '.join(f'{k} {v:.1f} s' for k, v in seeds['shipped']['load_seconds'].items())}"
        + (f"; converting to CTranslate2, once per model and number format (before the timed runs): "
           f"{', '.join(f'{k} {v:.1f} s' for k, v in results['conversion_seconds'].items())}."
           if "conversion_seconds" in results else "."),
    ]
    return lines


def _ratios_section(results: dict) -> list[str]:
    if "ratios" not in results:
        return []
    runs, m = results["ratios"], results.get("ratios_machine", results["machine"])
    naive = runs["naive"]["seconds"]
    lines = [
        "",
        f"## The seeds on {m['cpu']} ({m['cores']} cores; {', '.join(m.get('isa', [])) or 'no AVX2'}), side by side",
        "",
        "| configuration | engines | total | translating | summarizing | × naive | peak RSS |",
        "|---|---|---|---|---|---|---|",
    ] + [f"| {name} | {r['engines']} | {r['seconds']} s | {r['translating']} s | {r['summarizing']} s | "
         f"{naive / r['seconds']:.2f}× | {r['peak_rss_mb']} MB |" for name, r in runs.items()]
    if "as shipped, one batch at a time" in runs:
        lines += ["", "*One batch at a time* is as shipped with every core on each batch in turn "
                  "(`Tuning(batch_threads=None)`), as the engine ran before batches were decoded side by side, "
                  "one core each. CTranslate2's sequences are forced to their own lengths, as a real model's end "
                  "where each ends (CTranslate2 drops a finished sequence from its batch; see "
                  "`force_ctranslate2_lengths`)."]
    return lines + _updated(results, "ratios")


def _days_section(results: dict) -> list[str]:
    lines = [
        "",
        "## Days (this pipeline as shipped)",
        "",
        *([] if results.get("ctranslate2_forcing") == "per sequence" else
          ["Measured with the first table, before batches were decoded side by side.", ""]),
        "| articles | translating (art./min) | summarizing (art./min) | total (art./min) | s/article | "
        "s/article after model load | s per 1,000 source tokens | peak RSS |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for size, r in results["days"].items():
        a = r["articles_per_minute"]
        lines.append(f"| {size} | {a['translating']} | {a['summarizing']} | {a['total']} | "
                     f"{r['seconds_per_article']} | {r['seconds_per_article_after_load']} | {r['seconds_per_1000_source_tokens']} | {r['peak_rss_mb']:.0f} MB |")
    tiny = results["tiny_models_seconds_per_article"]
    lines += [
        "",
        f"* Peak RSS: **{results['peak_rss_mb']:.0f} MB** at most (target: 3,072 MB), the days above and a "
        f"day of the longest sentences included: {results['longest_sentences']['articles']} articles whose "
        f"sentences each run {LONGEST_JOIN} seed sentences together (up to "
        f"{results['longest_sentences']['longest_sentence_tokens']} tokens, so the translator cuts them into "
        f"pieces the model takes and every batch is full), peak RSS "
        f"{results['longest_sentences']['peak_rss_mb']:.0f} MB.",
        f"* Cached rerun over seeds/: **{results['cached_rerun_seconds']} s** (no model, no torch import).",
        f"* `summarize --help`: **{results['help_seconds']} s**.",
    ]
    if tiny:
        lines.append("* The pipeline's own cost (tiny models, so cleaning, batching, caching, checks and the brief "
                     "dominate), seconds per article after model load: " + ", ".join(f"{k} articles {v}" for k, v in tiny.items()) + ".")
    return lines


def _levers_section(results: dict) -> list[str]:
    if "levers" not in results:
        return []
    levers = results["levers"]
    lines = [
        "",
        f"## What each lever gave ({levers['sentences']} sentences of seed 003, {levers['source_tokens']} "
        "source tokens, translation model only)",
        "",
        "| configuration | seconds | outputs equal the naive way's |",
        "|---|---|---|",
    ]
    for name, lever in levers["levers"].items():
        same = lever.get("same_outputs_as_naive")
        lines.append(f"| {name} | {lever['seconds']} | {'—' if same is None else 'yes' if same else 'no'} |")
    lines += _updated(results, "levers")
    lines += [
        "",
        "Levers not in the table: `torch.inference_mode()` is always on (generate() already runs "
        "without gradients, so it saves little); threads stay at one per core (2 here); each model "
        "is loaded once per process (load times above) and only one is in memory at a time.",
    ]
    return lines


def _isa_section(results: dict) -> list[str]:
    if "isa" not in results:
        return []
    caps = list(results["isa"])
    lines = [
        "",
        "## On a laptop-class CPU (bench/isa.py)",
        "",
        "The same translation work (14 sentences of seed 003, beam 4, forced lengths) with the CPU's "
        "instruction set as it is (this Xeon has AMX, which runs bfloat16 natively) and capped at AVX2, "
        "as on most laptops (`ONEDNN_MAX_CPU_ISA=AVX2`, `CT2_FORCE_CPU_ISA=AVX2`):",
        "",
        "| engine | " + " | ".join(caps) + " |",
        "|---|" + "---|" * len(caps),
    ]
    for name in results["isa"][caps[0]]:
        lines.append(f"| {name} | " + " | ".join(f"{results['isa'][cap][name]} s" for cap in caps) + " |")
    lines += [
        "",
        "bfloat16 in torch is fast only where the CPU computes it natively; capped at AVX2 it is the "
        "slowest. CTranslate2 int8 is the fastest everywhere but on AMX, so `backend: auto` picks it on "
        "a CPU.",
    ]
    lines += _updated(results, "isa")
    return lines


def _stories_section(results: dict) -> list[str]:
    if "stories" not in results:
        return []
    runs = results["stories"]
    day, originals, copies = runs["day"], runs["originals alone"], runs["copies alone"]
    lines = [
        "",
        "## What copies cost (the tuning day of tests/fixtures/stories, as shipped)",
        "",
        "| run | files | translated and summarized | copies folded | source tokens translated | "
        "translating + summarizing | total |",
        "|---|---|---|---|---|---|---|",
    ] + [f"| {name} | {r['files']} | {r['translated']} | {r['copies']} | {r['source_tokens']:,} | "
         f"{r['model_seconds']} s | {r['seconds']} s |" for name, r in runs.items()]
    lines += [
        "",
        f"The copies are found on the Vietnamese text before any model work, so the day's model time is its "
        f"originals' ({day['model_seconds']} s against {originals['model_seconds']} s alone; the day translates "
        f"{day['source_tokens']:,} source tokens against {originals['source_tokens']:,}, because of each copy group "
        f"it translates the one with the fullest body, not always the file the gold calls the original). "
        f"Translated as articles of their own, its {day['copies']} copies would have cost "
        f"{copies['model_seconds']} s of model time more ({copies['source_tokens']:,} tokens).",
    ]
    lines += _updated(results, "stories")
    return lines


if __name__ == "__main__":
    main()
