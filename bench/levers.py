"""What each speed lever gives, one at a time, on the sentences of one seed article translated
by a random-weight model with envit5's exact architecture (beam 4, output lengths forced to
1.3 × the source tokens, as in run.py).

    python bench/levers.py --models DIR      # DIR from `python -m summarize.testing full-size DIR`

Prints one JSON object: seconds per configuration and whether the outputs equal the naive
way's. (Engines and number formats are compared on the whole pipeline in run.py.)
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

from measure import force_lengths, translation_targets

SEED = ROOT / "seeds" / "003_90e0681c7e08f307.txt"


def timed(generate, texts: list[str]) -> tuple[float, list[str]]:
    start = time.perf_counter()
    outputs = generate(texts)
    return time.perf_counter() - start, outputs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", type=Path, required=True)
    args = parser.parse_args()

    from summarize.models.engines import Runtime
    from summarize.models.engines.seq2seq import Seq2Seq
    from summarize.models.registry import load_registry
    from summarize.reading.cleaner import clean
    from summarize.reading.segmenter import split_sentences
    from summarize.settings import Tuning

    article = clean(SEED.read_text(encoding="utf-8"))
    texts = [s for p in [article.title, *article.body, *article.captions] if p for s in split_sentences(p)]
    spec = dataclasses.replace(load_registry(args.models / "models.yaml").get("translation"), cpu_dtype="float32")
    model = Seq2Seq(spec, Path(spec.model), Runtime(tuning=Tuning(reorder_cross_cache=True)))  # transformers' own cache
    force_lengths(model, translation_targets, text=False)  # free tokens: the outputs are compared
    results: dict[str, dict] = {}

    def record(name: str, seconds: float, outputs: list[str]) -> None:
        results[name] = {"seconds": round(seconds, 1),
                         "same_outputs_as_naive": outputs == results.get("naive", {}).get("outputs", outputs)}
        if name == "naive":
            results[name]["outputs"] = outputs
        print(name, results[name]["seconds"], file=sys.stderr, flush=True)

    record("naive", *timed(lambda ts: [model.generate([t])[0] for t in ts], texts))
    record("batched by length (fp32)", *timed(model.generate, texts))
    model.tuning = Tuning()
    record("+ cross-attention cache not reordered (fp32)", *timed(model.generate, texts))
    results["naive"].pop("outputs")
    print(json.dumps({"sentences": len(texts), "source_tokens": sum(model.count_tokens(texts)), "levers": results},
                     indent=2))


if __name__ == "__main__":
    main()
