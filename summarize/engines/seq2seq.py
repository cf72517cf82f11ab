"""The `transformers` engine: an encoder-decoder model run with transformers and torch.

Tokenize with the family's conventions (from the registry entry), batch by length, generate(),
decode. Both the translator and the summarizer are a Seq2Seq with a different entry. This is
the only module that imports torch and transformers, and only when a model is actually
needed, so a run served entirely from the cache never loads them.
"""

from __future__ import annotations

import ctypes
import functools
import gc
import logging
import warnings
from collections.abc import Sequence
from pathlib import Path

from ..registry import ModelSpec
from ..settings import Tuning
from . import Engine, OnBatch

log = logging.getLogger("summarize")


class Seq2Seq:
    """A loaded model and tokenizer, following one registry entry's conventions."""

    def __init__(self, spec: ModelSpec, path: Path, tuning: Tuning | None = None):
        import transformers
        from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

        transformers.logging.set_verbosity_error()
        transformers.utils.logging.disable_progress_bar()
        self.spec = spec
        self.tuning = tuning or Tuning()
        tokenizer_kwargs = {"src_lang": spec.source_lang} if spec.source_lang else {}
        self.tokenizer = AutoTokenizer.from_pretrained(path, **tokenizer_kwargs)
        self.model, self.device = _place(AutoModelForSeq2SeqLM.from_pretrained(path), spec)  # no remote code
        self.settings = dict(spec.generation, do_sample=False)
        if spec.target_lang:
            token_id = self.tokenizer.convert_tokens_to_ids(spec.target_lang)
            if token_id is None or token_id == self.tokenizer.unk_token_id:
                raise ValueError(f"the tokenizer of {spec.model} has no language token {spec.target_lang!r}")
            via = "forced_bos_token_id" if spec.target_lang_via == "forced_bos" else "decoder_start_token_id"
            self.settings[via] = token_id

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
        ids = self.tokenizer([self.encode_text(t) for t in texts], add_special_tokens=True)["input_ids"]
        return [len(x) for x in ids]

    def generate(self, texts: Sequence[str], on_batch: OnBatch | None = None) -> list[str]:
        """Outputs for `texts`, in order. Inputs are grouped by length so padding stays small;
        `on_batch(inputs, outputs)` is called as each batch finishes (to cache it at once)."""
        import torch

        lengths = self.count_tokens(texts)
        too_long = [n for n in lengths if n > self.spec.max_input_tokens]
        if too_long:  # the segmenter guarantees this never happens; never truncate silently
            raise ValueError(f"input of {max(too_long)} tokens exceeds {self.spec.max_input_tokens}")
        order = sorted(range(len(texts)), key=lambda i: lengths[i], reverse=True)
        results: list[str] = [""] * len(texts)
        for batch in _batches(order, lengths, self.tuning):
            encoded = self.tokenizer(
                [self.encode_text(texts[i]) for i in batch], return_tensors="pt", padding=True, truncation=False
            ).to(self.device)
            with torch.inference_mode():
                cache = None if self.tuning.reorder_cross_cache else _beam_cache(self.model)
                output = self.model.generate(**encoded, **self.settings, past_key_values=cache)
            outputs = [self.decode_text(t) for t in self.tokenizer.batch_decode(output, skip_special_tokens=True)]
            log.debug("%s: batch of %d, %d padded input tokens", self.spec.name, len(batch), encoded["input_ids"].numel())
            for i, text in zip(batch, outputs):
                results[i] = text
            if on_batch:
                on_batch([texts[i] for i in batch], outputs)
        return results

    def close(self) -> None:
        """Drop the weights (the caller may still hold this object)."""
        self.model = self.tokenizer = None


class Seq2SeqEngine(Engine):
    def load(self, spec: ModelSpec, path: Path | None, tuning: Tuning) -> Seq2Seq:
        return Seq2Seq(spec, path, tuning)

    def release(self, model: Seq2Seq) -> None:
        model.close()
        release_memory()


def _batches(order: list[int], lengths: list[int], tuning: Tuning) -> list[list[int]]:
    """Split indices (longest first) into batches under the tuning's padded-token budget."""
    batches: list[list[int]] = []
    current: list[int] = []
    for i in order:
        width = lengths[current[0]] if current else lengths[i]  # longest of the batch comes first
        if current and (width * (len(current) + 1) > tuning.batch_tokens or len(current) >= tuning.max_batch):
            batches.append(current)
            current = []
        current.append(i)
    if current:
        batches.append(current)
    return batches


def release_memory() -> None:
    """Hand memory freed by a dropped model back to the system. glibc keeps freed heap for
    reuse, and after translating that was up to 1 GB that loading the next model did not
    reuse, so it added to the run's peak."""
    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: nothing to trim
        pass


def _place(model, spec: ModelSpec):
    """The model in inference mode on the best device, in the entry's number format there:
    a CUDA GPU if there is one (cuda_dtype), else the CPU (cpu_dtype)."""
    import torch

    model.eval()
    if torch.cuda.is_available():
        return model.to("cuda", dtype=getattr(torch, spec.cuda_dtype)), "cuda"
    if spec.cpu_dtype == "int8":
        _quantize(model)
    return model, "cpu"


def _quantize(model) -> None:
    """Dynamic int8 quantisation of the Linear layers, in place, ending with no tie to the
    checkpoint file. from_pretrained memory-maps the checkpoint, and every tensor still viewing
    it keeps the whole file mapped and counted in RSS. So the tensors that stay in floating
    point (embeddings, norms, biases) are copied out first; quantisation then reads each Linear
    weight from the file once, and the mapping goes with the last of them (RSS after loading,
    measured by hand: envit5 1.6 → 0.9 GB, distilbart 2.2 → 1.0 GB)."""
    import torch

    with torch.no_grad():
        for module in model.modules():
            for name, parameter in module.named_parameters(recurse=False):
                if not (isinstance(module, torch.nn.Linear) and name == "weight"):
                    parameter.data = parameter.data.clone()  # the same object: ties stay tied
            for name, buffer in module.named_buffers(recurse=False):
                setattr(module, name, buffer.clone())  # a new tensor: a view would keep its base
    with warnings.catch_warnings():  # torch.ao's notice that torchao will replace it some day
        warnings.simplefilter("ignore", category=DeprecationWarning)
        warnings.simplefilter("ignore", category=UserWarning)
        # in place: a copy would hold the fp32 model twice
        torch.ao.quantization.quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8, inplace=True)
    gc.collect()  # the loader's reference cycles still hold the old Linear weights


def _beam_cache(model):
    """A fresh decoder cache for one generate() call that does not reorder the cross-attention
    half. Beam search reorders the cache after every step, but the cross-attention keys and
    values are the encoder's, the same for every beam of one input (beams never move between
    inputs), so that reordering, a copy of every layer's encoder states per step, changes
    nothing: skipping it gives the same outputs, faster (bench/RESULTS.md)."""
    from transformers import DynamicCache

    config = model.config.get_text_config(decoder=True)
    return _beam_cache_class()(DynamicCache(config=config), DynamicCache(config=config))


@functools.cache
def _beam_cache_class() -> type:
    from transformers import EncoderDecoderCache

    class BeamCache(EncoderDecoderCache):
        def reorder_cache(self, beam_idx) -> None:
            self.self_attention_cache.reorder_cache(beam_idx)

    return BeamCache
