"""What each speed lever gives, one at a time, on the sentences of one seed article translated
by a random-weight model with envit5's exact architecture (beam 4, output lengths forced to
1.3 × the source tokens, as in run.py).

    python bench/levers.py --models DIR      # DIR from `python -m summarize.testing full-size DIR`

Prints one JSON object: seconds per configuration and whether the outputs equal the naive
way's. With `ctranslate2` installed, the model is also converted and run with CTranslate2
(one sentence per call, as its batches cannot force per-sentence lengths).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from run import _force_lengths, _translation_targets

SEED = ROOT / "seeds" / "003_90e0681c7e08f307.txt"


def timed(generate, texts: list[str]) -> tuple[float, list[str]]:
    start = time.perf_counter()
    outputs = generate(texts)
    return time.perf_counter() - start, outputs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", type=Path, required=True)
    args = parser.parse_args()

    import torch

    from summarize.cleaner import clean
    from summarize.engines.seq2seq import Seq2Seq
    from summarize.registry import load_registry
    from summarize.segmenter import split_sentences
    from summarize.settings import Tuning

    article = clean(SEED.read_text(encoding="utf-8"))
    texts = [s for p in [article.title, *article.body, *article.captions] if p for s in split_sentences(p)]
    spec = dataclasses.replace(load_registry(args.models / "models.yaml").get("translation"), cpu_dtype="float32")
    model = Seq2Seq(spec, Path(spec.model), Tuning(reorder_cross_cache=True))  # transformers' own cache
    _force_lengths(model, _translation_targets)
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
    int8 = Seq2Seq(dataclasses.replace(spec, cpu_dtype="int8"), Path(spec.model))
    _force_lengths(int8, _translation_targets)
    record("+ int8 dynamic quantisation", *timed(int8.generate, texts))
    record("int8, but one sentence per call (to compare with CTranslate2)",
           *timed(lambda ts: [int8.generate([t])[0] for t in ts], texts))
    int8 = None  # free it before the next model loads
    bf16 = Seq2Seq(spec, Path(spec.model))
    bf16.model.to(torch.bfloat16)
    _force_lengths(bf16, _translation_targets)
    record("bfloat16 on the CPU instead (not adopted)", *timed(bf16.generate, texts))
    bf16 = None
    results.update(ctranslate2_levers(spec, model, texts))
    results["naive"].pop("outputs")
    print(json.dumps({"sentences": len(texts), "source_tokens": sum(model.count_tokens(texts)), "levers": results},
                     indent=2))


def ctranslate2_levers(spec, model, texts: list[str]) -> dict:
    """CTranslate2, one sentence per call, in float32 and int8 (skipped if not installed)."""
    try:
        import ctranslate2
        from ctranslate2.converters import TransformersConverter
    except ImportError:
        return {}
    results = {}
    tokenizer = model.tokenizer
    tokens = [tokenizer.convert_ids_to_tokens(tokenizer(model.encode_text(t))["input_ids"]) for t in texts]
    with tempfile.TemporaryDirectory() as tmp:
        TransformersConverter(spec.model).convert(tmp, force=True)
        for compute_type in ("float32", "int8"):
            translator = ctranslate2.Translator(tmp, device="cpu", compute_type=compute_type)
            start = time.perf_counter()
            for source in tokens:
                length = math.ceil(len(source) * 1.3)  # forced, as for the transformers model
                translator.translate_batch([source], beam_size=4, max_input_length=0,
                                           min_decoding_length=length, max_decoding_length=length)
            results[f"CTranslate2 {compute_type}, one sentence per call"] = {
                "seconds": round(time.perf_counter() - start, 1)}
    return results


if __name__ == "__main__":
    main()
