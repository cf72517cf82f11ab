"""The `passthrough` engine: no model, every output is its input (the identity translation).

With it, `summarize translate --translator passthrough` shows exactly what figure and glossary
handling did to the text, and tests exercise every stage without torch.
"""

from __future__ import annotations

from collections.abc import Sequence

from . import Engine, OnBatch


class PassThrough:
    where = "no model"
    decode_hook = None  # nothing is decoded

    def __init__(self, spec, tuning):
        self.spec = spec
        self.tuning = tuning

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        return [len(t.split()) + 1 for t in texts]

    def generate(self, texts: Sequence[str], on_batch: OnBatch | None = None) -> list[str]:
        if on_batch and texts:
            on_batch(list(texts), list(texts))
        return list(texts)


class PassThroughEngine(Engine):
    files = False

    def load(self, spec, path, runtime) -> PassThrough:
        return PassThrough(spec, runtime.tuning)
