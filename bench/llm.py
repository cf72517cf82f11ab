"""Benchmark: instruction models as summarizers beside distilbart-cnn, on random-weight models
with the shipped entries' exact architectures (`python -m summarize.testing full-size DIR --llms`).

    python bench/llm.py --models DIR --report                # the CPU table in bench/RESULTS.md (2 cores: ~40 min)
    python bench/llm.py --models DIR --device cuda --report  # its GPU section (one GPU: under 8 minutes)
    python bench/llm.py --smoke                              # CI: the same on tiny models, so the bench cannot rot

Every summarizer, in each engine, summarizes the seeds' five articles, each article whole in one
input (the Vietnamese text stands for what a summarizer reads: no real translation can be made
here; prompt tokens are counted by each model's own tokenizer and template), forced through the
Model interface's decode hook to write exactly OUTPUT tokens per article (minimum = maximum), so
every engine does the same work. Each (model, engine) runs in its own process: its own load and
peak memory. A second pass writing one token per article gives the prompt's time, so prompt
tokens/s and generated tokens/s are told apart. Threads match the cores, as shipped.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from measure import CONVERTED, ROOT

OUTPUT = 120  # tokens per summary: about 90 words, a 3–5 sentence paragraph
RUNS = {  # what is measured on each device: (registry entry, engine)
    "cpu": [(name, backend) for name in ("distilbart-random", "qwen2.5-1.5b-random", "qwen3-4b-random")
            for backend in ("ctranslate2", "transformers")],
    "cuda": [(name, "transformers") for name in ("distilbart-random", "qwen2.5-1.5b-random", "qwen3-4b-random")],
}
# the keyword each engine's decode call takes its output lengths by: (maximum, minimum)
LENGTHS = {"max_new_tokens": "min_new_tokens", "max_length": "min_length", "max_decoding_length": "min_decoding_length"}


def forced(tokens: int):
    """A decode hook that makes every output exactly `tokens` long, in any engine."""
    def hook(call, *args, **kwargs):
        for most, least in LENGTHS.items():
            if most in kwargs:
                kwargs[most] = kwargs[least] = tokens
        return call(*args, **kwargs)

    return hook


def worker(config: Path, name: str, backend: str, device: str, out: Path) -> None:
    """One entry in one engine over the seeds: load, prompt-only pass, full pass."""
    from summarize.models import engines
    from summarize.models.cache import Cache
    from summarize.models.engines import Runtime, Tuning
    from summarize.models.registry import load_registry
    from summarize.models.summarizer import Summarizer
    from summarize.reading.reader import read_article

    spec = dataclasses.replace(load_registry(config).get("summarization", name), backend=backend)
    if backend == "transformers" and device == "cpu":  # int8 is CTranslate2's; transformers runs fp32 there
        spec = dataclasses.replace(spec, cpu_dtype="float32")
    articles = [read_article(p, p.name) for p in sorted((ROOT / "seeds").glob("*.txt"))]
    texts, headlines = [" ".join(a.body) for a in articles], [a.title or "" for a in articles]
    engine = engines.get(backend)
    start = time.perf_counter()
    with engine.open(spec, Path(spec.model), Runtime(device=device, tuning=Tuning(), store=CONVERTED)) as model:
        load = time.perf_counter() - start
        seconds = {}
        for tokens in (1, OUTPUT):
            model.decode_hook = forced(tokens)
            summarizer = Summarizer(model, Cache(None))
            start = time.perf_counter()
            summarizer.summarize_texts(texts, headlines)
            seconds[tokens] = time.perf_counter() - start
        inputs = [summarizer._fill(chunk, h) for t, h in zip(texts, headlines) for chunk in summarizer._chunks(t, h)]
        prompt = sum(model.count_tokens(inputs))
        where = model.where
    generated = (seconds[OUTPUT] - seconds[1]) or 1e-9
    result = {"model": name, "backend": backend, "where": where, "articles": len(texts), "inputs": len(inputs),
              "output_tokens": OUTPUT,
              "load_seconds": round(load, 1), "seconds": round(seconds[OUTPUT], 1),
              "seconds_per_article": round(seconds[OUTPUT] / len(texts), 2), "prompt_tokens": prompt,
              "prompt_tokens_per_second": round(prompt / seconds[1], 1),
              "generated_tokens_per_second": round(len(inputs) * (OUTPUT - 1) / generated, 1),
              "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}
    out.write_text(json.dumps(result), encoding="utf-8")


def measure(models: Path, device: str, runs: list[tuple[str, str]] | None = None) -> list[dict]:
    """Every run of the device (or those given), each in its own process, side by side."""
    results = []
    for name, backend in runs or RUNS[device]:
        with tempfile.NamedTemporaryFile(suffix=".json") as handle:
            subprocess.run([sys.executable, __file__, "--worker", name, "--backend", backend, "--device", device,
                            "--config", str(models / "models.yaml"), "--json", handle.name], check=True, cwd=ROOT / "bench")
            results.append(json.loads(Path(handle.name).read_text(encoding="utf-8")))
        print(json.dumps(results[-1]), flush=True)
    return results


def smoke() -> None:
    """The worker on tiny models in both engines: every summary forced to OUTPUT tokens, a
    prompt-only pass faster than the full one."""
    from summarize.testing import build_tiny

    with tempfile.TemporaryDirectory(prefix="summarize-llm-smoke-") as tmp:
        models = build_tiny(Path(tmp) / "models", ROOT / "seeds").parent
        runs = [(name, backend) for name in ("tiny-bart", "tiny-llm") for backend in ("ctranslate2", "transformers")]
        for result in measure(models, "cpu", runs):
            assert result["articles"] == 5 and result["prompt_tokens"] > 0 and result["seconds"] >= 0, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", type=Path, help="from `python -m summarize.testing full-size DIR --llms`")
    parser.add_argument("--smoke", action="store_true", help="CI: tiny models, both engines, no report")
    parser.add_argument("--device", default="cpu", choices=sorted(RUNS))
    parser.add_argument("--report", action="store_true", help="put the table into bench/results.json and bench/RESULTS.md")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--backend", help=argparse.SUPPRESS)
    parser.add_argument("--config", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--json", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        return worker(args.config, args.worker, args.backend, args.device, args.json)
    if args.smoke:
        return smoke()
    results = measure(args.models, args.device)
    if args.report:
        from run import machine, write_reports

        everything = json.loads((ROOT / "bench" / "results.json").read_text(encoding="utf-8"))
        key = "llm" if args.device == "cpu" else "llm_gpu"
        everything.update({key: results, f"{key}_command": " ".join(["python bench/llm.py", *sys.argv[1:]]),
                           f"{key}_machine": machine()})
        write_reports(everything)


if __name__ == "__main__":
    main()
