"""The `transformers` engine: a model run with transformers and torch, an encoder-decoder
(Seq2Seq: the translators and the CNN/DailyMail summarizers) or a decoder-only instruction
model (Causal: the LLM summarizers), as the entry's `architecture` says (MODELS).

Tokenize with the family's conventions (engines/batched.py), generate(), decode. Along with the
CTranslate2 converter, this is the only module that imports torch and transformers, and only
when a model is actually needed, so a run served entirely from the cache never loads them.
"""

from __future__ import annotations

import ctypes
import dataclasses
import functools
import gc
import logging
from pathlib import Path
from typing import TYPE_CHECKING

from ...errors import ConfigError
from . import Engine, Runtime, Tuning
from .batched import BatchedModel, ChatModel, end_ids, load_tokenizer

if TYPE_CHECKING:
    from ..registry import ModelSpec

log = logging.getLogger("summarize")

# The number formats this engine runs in, per device (the entry's cpu_dtype / cuda_dtype).
# int8 on a CPU is the ctranslate2 engine's: torch's dynamic quantisation is deprecated.
DTYPES = {"cpu": ("float32", "bfloat16"), "cuda": ("float32", "float16", "bfloat16")}

# On a GPU, the share of free memory (after loading) that batches may fill, and the most
# sequences per generate() call; the rest is headroom for activations and the allocator.
CUDA_MEMORY_SHARE = 0.5
CUDA_MAX_BATCH = 512


class TransformersModel(BatchedModel):
    """A loaded model and tokenizer, following one registry entry's conventions, in the
    device and number format the entry asks for; `auto_class` says which kind of model."""

    backend = "transformers"
    auto_class = "AutoModelForSeq2SeqLM"

    def __init__(self, spec: ModelSpec, path: Path, runtime: Runtime | None = None):
        import transformers

        transformers.logging.set_verbosity_error()
        transformers.utils.logging.disable_progress_bar()
        super().__init__(spec, runtime or Runtime())
        if self.dtype not in DTYPES[self.device]:
            raise ConfigError(
                f"{spec.name}: the transformers backend does not run {self.dtype} on {self.device}",
                fix=f"use backend: ctranslate2 for it, or {'/'.join(DTYPES[self.device])}")
        self.tokenizer = load_tokenizer(spec, path)
        auto = getattr(transformers, self.auto_class)
        self.model = _place(auto.from_pretrained(path), self.device, self.dtype)  # no remote code
        if self.device == "cuda":
            self.tuning = _cuda_tuning(self.model, spec, self.tuning)
        self.settings = dict(spec.generation, do_sample=False)

    def _out_of_memory(self, exc: Exception) -> bool:
        import torch

        return isinstance(exc, torch.cuda.OutOfMemoryError)

    def _recover(self) -> None:
        import torch

        gc.collect()
        torch.cuda.empty_cache()

    def close(self) -> None:
        """Drop the weights (the caller may still hold this object)."""
        self.model = self.tokenizer = None


class Seq2Seq(TransformersModel):
    """An encoder-decoder model: the translators and the CNN/DailyMail summarizers."""

    def __init__(self, spec: ModelSpec, path: Path, runtime: Runtime | None = None):
        super().__init__(spec, path, runtime)
        if spec.target_lang:
            token_id = self.tokenizer.convert_tokens_to_ids(spec.target_lang)
            if token_id is None or token_id == self.tokenizer.unk_token_id:
                raise ValueError(f"the tokenizer of {spec.model} has no language token {spec.target_lang!r}")
            via = "forced_bos_token_id" if spec.target_lang_via == "forced_bos" else "decoder_start_token_id"
            self.settings[via] = token_id

    def _generate_batch(self, inputs: list[str]) -> list[str]:
        import torch

        encoded = self.tokenizer(inputs, return_tensors="pt", padding=True, truncation=False).to(self.device)
        with torch.inference_mode():
            cache = None if self.tuning.reorder_cross_cache else _beam_cache(self.model)
            output = self._decode(self.model.generate, **encoded, **self.settings, **{_cache_keyword(): cache})
        return self.tokenizer.batch_decode(output, skip_special_tokens=True)


class Causal(ChatModel, TransformersModel):
    """A decoder-only instruction model: prompts padded on the left, batched, the answer is
    what follows the prompt; decoding stops at the model's end-of-turn tokens."""

    auto_class = "AutoModelForCausalLM"

    def __init__(self, spec: ModelSpec, path: Path, runtime: Runtime | None = None):
        super().__init__(spec, path, runtime)
        self.tokenizer.padding_side = "left"
        if self.tokenizer.pad_token is None:
            self.tokenizer.pad_token = self.tokenizer.eos_token
        self.ends = end_ids(self.model.generation_config.eos_token_id, self.tokenizer)
        self.settings["pad_token_id"] = self.tokenizer.pad_token_id

    def _generate_batch(self, inputs: list[str]) -> list[str]:
        import torch

        encoded = self.tokenizer(inputs, return_tensors="pt", padding=True, add_special_tokens=False).to(self.device)
        with torch.inference_mode():
            output = self._decode(self.model.generate, **encoded, **self.settings)
        answers = output[:, encoded["input_ids"].shape[1] :].tolist()
        return [self.answer(ids, self.settings.get("max_new_tokens")) for ids in answers]


# The model class for each `architecture:` of an entry
MODELS: dict[str, type[TransformersModel]] = {"seq2seq": Seq2Seq, "causal": Causal}


class Seq2SeqEngine(Engine):
    def load(self, spec: ModelSpec, path: Path | None, runtime: Runtime) -> TransformersModel:
        return MODELS[spec.architecture](spec, path, runtime)

    def release(self, model: TransformersModel) -> None:
        model.close()
        release_memory()


def release_memory() -> None:
    """Hand memory freed by a dropped model back to the system. glibc keeps freed heap for
    reuse, and after translating that was up to 1 GB that loading the next model did not
    reuse, so it added to the run's peak."""
    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: nothing to trim
        pass


def _place(model, device: str, dtype: str):
    """The model in inference mode on `device`, in `dtype` there."""
    import torch

    model.eval()
    return model.to(device, dtype=getattr(torch, dtype))


def _cuda_tuning(model, spec: ModelSpec, tuning: Tuning) -> Tuning:
    """Batches sized from the GPU's free memory, across the whole day. What grows with a
    batch is the decoder's caches: for every padded input token, each beam keeps keys and
    values in every decoder layer for the cross-attention, and as many again for the
    self-attention per output token (counted as up to twice the input here). An estimate,
    not a measurement: a batch that does not fit is split and retried (engines/batched.py)."""
    import torch

    free, _total = torch.cuda.mem_get_info()
    config = model.config.get_text_config(decoder=True)
    layers = getattr(config, "num_decoder_layers", None) or getattr(config, "decoder_layers", None)
    layers = layers or config.num_hidden_layers
    beams = spec.generation.get("num_beams", 1)
    element = torch.finfo(model.dtype).bits // 8
    per_token = beams * layers * 2 * config.hidden_size * element * 3  # cross + self (up to 2x)
    budget = max(tuning.batch_tokens, int(free * CUDA_MEMORY_SHARE / per_token))
    log.info("%s on cuda: %.1f GB free, batches of up to %d padded tokens", spec.name, free / 1e9, budget)
    return dataclasses.replace(tuning, batch_tokens=budget, max_batch=CUDA_MAX_BATCH, group=None)


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
def _cache_keyword() -> str:
    """generate()'s name for a caller's decoder cache: `cache` from transformers 5.24, which
    deprecates the older `past_key_values` (a FutureWarning on every call)."""
    import transformers
    from packaging.version import Version

    return "cache" if Version(transformers.__version__) >= Version("5.24") else "past_key_values"


@functools.cache
def _beam_cache_class() -> type:
    from transformers import EncoderDecoderCache

    class BeamCache(EncoderDecoderCache):
        def reorder_cache(self, beam_idx) -> None:
            self.self_attention_cache.reorder_cache(beam_idx)

    return BeamCache
