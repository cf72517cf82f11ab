"""What every tokenizer-based engine shares: the family's conventions, length-sorted batches,
and out-of-memory recovery. An engine subclass only says how one batch is generated.

The conventions come from the registry entry (prefix before each input, output prefix to
strip, input limit), so the transformers and CTranslate2 engines treat a model family the
same way. Inputs are sorted by length and cut into batches under a padded-token budget, so
padding stays small; each batch is handed to `on_batch` as it finishes, in order (the caller
caches it at once, so a killed run resumes where it stopped), even when an engine decodes
several batches at once. A batch that runs out of device memory is
split in two and retried, and the budget is halved for the rest of the run: a small GPU is
slower, never a crash.
"""

from __future__ import annotations

import dataclasses
import logging
import re
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import OnBatch, Runtime, Tuning

if TYPE_CHECKING:
    from ..registry import ModelSpec

log = logging.getLogger("summarize")


class BatchedModel:
    """A loaded model with a Hugging Face tokenizer. Subclasses set `tokenizer` (load_tokenizer)
    and implement `_generate_batch`; `device` and `dtype` say where and in what format it runs."""

    backend = ""  # the engine's registered name
    tokenizer = None
    special_tokens = True  # the tokenizer adds its special tokens (a chat template has its own)
    decode_hook: Callable[..., Any] | None = None  # see Model.decode_hook

    def _decode(self, call: Callable[..., Any], *args, **kwargs) -> Any:
        """The engine's own decode call, through the model's decode_hook when one is set."""
        return self.decode_hook(call, *args, **kwargs) if self.decode_hook else call(*args, **kwargs)

    def __init__(self, spec: ModelSpec, runtime: Runtime):
        self.spec = spec
        self.tuning = runtime.tuning
        self.device = runtime.device
        self.dtype = spec.cuda_dtype if self.device == "cuda" else spec.cpu_dtype

    @property
    def where(self) -> str:
        """How it runs, for the run's summary line: "ctranslate2, int8 on cpu"."""
        return f"{self.backend}, {self.dtype} on {self.device}"

    def encode_text(self, text: str) -> str:
        """The model's input for `text`: the family's prefix, if any, then the text."""
        return self.spec.input_prefix + text

    def decode_text(self, output: str) -> str:
        """The text of a model output, without the family's output prefix."""
        output = output.strip()
        prefix = self.spec.output_prefix.strip()
        if prefix and output.startswith(prefix):
            output = output[len(prefix) :].lstrip()
        return output

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        """Input length of each text in tokens, prefix and special tokens included."""
        if not texts:
            return []
        return [len(x) for x in self.tokenize([self.encode_text(t) for t in texts])]

    def tokenize(self, inputs: list[str]) -> list[list[int]]:
        """Token ids of model-ready inputs."""
        return self.tokenizer(inputs, add_special_tokens=self.special_tokens)["input_ids"]

    def generate(self, texts: Sequence[str], on_batch: OnBatch | None = None) -> list[str]:
        """Outputs for `texts`, in order; `on_batch(inputs, outputs)` as each batch finishes."""
        lengths = self.count_tokens(texts)
        too_long = [n for n in lengths if n > self.spec.max_input_tokens]
        if too_long:  # the segmenter guarantees this never happens; never truncate silently
            raise ValueError(f"input of {max(too_long)} tokens exceeds {self.spec.max_input_tokens}")
        order = sorted(range(len(texts)), key=lambda i: lengths[i], reverse=True)
        results: list[str] = [""] * len(texts)
        cut = batches(order, lengths, self.tuning)
        ready = ([self.encode_text(texts[i]) for i in batch] for batch in cut)
        for batch, raw in zip(cut, self._outputs(ready)):
            outputs = [self.decode_text(t) for t in raw]
            log.debug("%s: batch of %d, longest %d tokens", self.spec.name, len(batch), lengths[batch[0]])
            for i, text in zip(batch, outputs):
                results[i] = text
            if on_batch:
                on_batch([texts[i] for i in batch], outputs)
        return results

    def _outputs(self, ready: Iterator[list[str]]) -> Iterator[list[str]]:
        """Raw outputs of each batch of model-ready inputs, in order, one batch at a time. An
        engine that decodes several batches at once overrides this."""
        for inputs in ready:
            yield self._fitting(inputs)

    def _fitting(self, inputs: list[str]) -> list[str]:
        """Raw outputs for one batch. If the device runs out of memory, the batch limit is
        halved for the rest of the run and the batch is done in pieces of that size."""
        try:
            return self._generate_batch(inputs)
        except Exception as exc:
            if len(inputs) == 1 or not self._out_of_memory(exc):
                raise
        self._recover()
        self.tuning = dataclasses.replace(self.tuning, batch_tokens=max(1, self.tuning.batch_tokens // 2),
                                          max_batch=max(1, min(self.tuning.max_batch, len(inputs)) // 2))
        log.info("%s: out of memory on a batch of %d; batches are at most %d from now",
                 self.spec.name, len(inputs), self.tuning.max_batch)
        outputs: list[str] = []
        while len(outputs) < len(inputs):  # the limit may shrink again inside
            outputs += self._fitting(inputs[len(outputs) : len(outputs) + self.tuning.max_batch])
        return outputs

    def _generate_batch(self, inputs: list[str]) -> list[str]:
        """Decoded outputs (special tokens removed) for model-ready inputs."""
        raise NotImplementedError

    def _out_of_memory(self, exc: Exception) -> bool:
        """Whether `exc` says the device ran out of memory."""
        return False

    def _recover(self) -> None:
        """Give back what a failed batch left allocated."""


# Ends an instruction model's answer that stopped at the output limit, not at the end of its
# turn (the summarizer flags it); it never occurs in text.
CUT_OFF = "\x1e"
_REASONING = re.compile(r"<think>.*?(</think>|$)", re.DOTALL)
# A preamble announces the answer ("Sure! Here is a summary of the article:"); a sentence that
# merely starts so ("Here is what happened in Geneva: …") says something, and stays
_PREAMBLE = re.compile(r"^\s*(?:sure[,!.]?\s*)?(?:here(?:'s| is| are)|below is|the following is)[^\n:]{0,80}?"
                       r"\b(?:summary|summari[sz]ed|points|brief|overview)\b[^\n:]{0,40}:\s*|"
                       r"^\s*\**(?:summary|tóm tắt)\**\s*:\**\s*", re.IGNORECASE)


class ChatModel(BatchedModel):
    """A decoder-only instruction model. Its input is the user message (the summarizer fills
    the style's user template), put with the style's system message through the tokenizer's
    own chat template; its answer comes back without a reasoning block (`<think>…</think>`) or
    a preamble ("Here is a summary:"). An engine decodes each answer with `answer`, which ends
    one that hit the output limit with CUT_OFF."""

    special_tokens = False
    ends: set[int]  # the tokens that end the model's turn (end_ids), set by each engine's class

    def answer(self, ids: list[int], limit: int | None) -> str:
        """An answer's tokens as text; one that filled the output limit without ending its turn
        (an end token: generation stops at the first) ends with CUT_OFF."""
        cut = limit and len(ids) >= limit and not self.ends & set(ids)
        return self.tokenizer.decode(ids, skip_special_tokens=True) + (CUT_OFF if cut else "")

    def encode_text(self, text: str) -> str:
        system = self.spec.prompt.get("system")
        messages = ([{"role": "system", "content": system}] if system else []) + [{"role": "user", "content": text}]
        return self.tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=True)

    def decode_text(self, output: str) -> str:
        cut = output.endswith(CUT_OFF)
        answer = _PREAMBLE.sub("", _REASONING.sub("", output.removesuffix(CUT_OFF)).strip(), count=1).strip()
        return answer + (CUT_OFF if cut else "")


def end_ids(configured: int | list[int] | None, tokenizer) -> set[int]:
    """The tokens that end an instruction model's turn: its generation config's (Qwen lists
    two), else the tokenizer's end token."""
    ids = configured if isinstance(configured, list) else [configured]
    return {i for i in ids if i is not None} or {tokenizer.eos_token_id}


def load_tokenizer(spec: ModelSpec, path: Path):
    """The model's Hugging Face tokenizer, with the entry's source language (mBART, NLLB)."""
    from transformers import AutoTokenizer

    kwargs = {"src_lang": spec.source_lang} if spec.source_lang else {}
    return AutoTokenizer.from_pretrained(path, **kwargs)


def batches(order: list[int], lengths: list[int], tuning: Tuning) -> list[list[int]]:
    """Split indices (longest first) into batches under the tuning's padded-token budget."""
    result: list[list[int]] = []
    current: list[int] = []
    for i in order:
        width = lengths[current[0]] if current else lengths[i]  # longest of the batch comes first
        if current and (width * (len(current) + 1) > tuning.batch_tokens or len(current) >= tuning.max_batch):
            result.append(current)
            current = []
        current.append(i)
    if current:
        result.append(current)
    return result
