"""The engines on a laptop-class CPU: the same translation work with the CPU's instruction set
capped at AVX2 (no AVX-512, no AMX: what most laptops have), next to the machine's own.

    python bench/isa.py --models DIR        # DIR from `python -m summarize.testing full-size DIR`

oneDNN (torch's CPU kernels) and CTranslate2 both take a cap from the environment
(ONEDNN_MAX_CPU_ISA, CT2_FORCE_CPU_ISA), so each configuration runs in its own process with
and without it. The work: the 14 sentences of seed 003, envit5's architecture with random
weights, beam 4, output lengths forced as in run.py. Prints one JSON object.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CONFIGURATIONS = {"transformers float32": "float32", "transformers bfloat16": "bfloat16", "ctranslate2 int8": "ct2"}
CAPS = {"this CPU": {}, "capped at AVX2 (laptop-class)": {"ONEDNN_MAX_CPU_ISA": "AVX2", "CT2_FORCE_CPU_ISA": "AVX2"}}


def one(models: Path, which: str) -> float:
    from measure import CONVERTED, force_ctranslate2_lengths, force_lengths, translation_targets

    from summarize.models.engines import Runtime
    from summarize.models.engines.ctranslate2 import CTranslate2Model
    from summarize.models.engines.seq2seq import Seq2Seq
    from summarize.models.registry import load_registry
    from summarize.reading.cleaner import clean
    from summarize.reading.segmenter import sentence_pieces, split_sentences

    article = clean((ROOT / "seeds" / "003_90e0681c7e08f307.txt").read_text(encoding="utf-8"))
    texts = [s for p in [article.title, *article.body] if p for s in split_sentences(p)][:14]
    spec = load_registry(models / "models.yaml").get("translation")
    if which == "ct2":
        model = CTranslate2Model(spec, Path(spec.model), Runtime(store=CONVERTED))
        force_ctranslate2_lengths(model, translation_targets, True)
    else:
        model = Seq2Seq(dataclasses.replace(spec, cpu_dtype=which), Path(spec.model), Runtime())
        force_lengths(model, translation_targets, True)
    # cut as the translator cuts (the full-size models take every sentence whole)
    texts = [piece for t in texts for piece in sentence_pieces(t, model.count_tokens, spec.max_input_tokens)]
    start = time.perf_counter()
    model.generate(texts)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", type=Path, required=True)
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(one(args.models, args.one))
        return
    results: dict[str, dict[str, float]] = {}
    for cap, env in CAPS.items():
        for name, which in CONFIGURATIONS.items():
            command = [sys.executable, __file__, "--models", str(args.models), "--one", which]
            output = subprocess.run(command, check=True, capture_output=True, text=True, cwd=ROOT,
                                    env={**os.environ, **env}).stdout
            results.setdefault(cap, {})[name] = round(float(output.split()[-1]), 1)
            print(cap, name, results[cap][name], file=sys.stderr, flush=True)
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
