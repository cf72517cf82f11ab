"""The `ctranslate2` engine: the same Hugging Face models, run by CTranslate2.

CTranslate2 is an inference engine for transformers with int8 kernels that beat PyTorch's on a
CPU (bench/RESULTS.md): its Translator runs the encoder-decoder entries, its Generator the
decoder-only instruction models (the entry's `architecture`, MODELS). It runs its own model format, so the model's
Hugging Face files are converted on first use with the converter that ships in the
`ctranslate2` package, into a folder keyed by the model, its revision or files, and the
number format; later runs load the converted copy. Tokenizing, prefixes and batching are
the transformers engine's (engines/batched.py): the Hugging Face tokenizer gives the tokens,
CTranslate2 decodes them, the tokenizer turns them back into text. On a CPU it decodes
several batches at once, one core each (Tuning.batch_threads): measured faster than every
core on one batch, whose small matrix products leave the threads waiting on each other.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from collections import deque
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from ...errors import ConfigError
from ...hashing import digest
from . import Engine, Runtime
from .batched import BatchedModel, ChatModel, end_ids, load_tokenizer

if TYPE_CHECKING:
    from ..registry import ModelSpec

log = logging.getLogger("summarize")

# The entry's dtype on each device -> CTranslate2's compute type (weights are stored in it too).
COMPUTE_TYPES = {
    "cpu": {"float32": "float32", "int8": "int8", "bfloat16": "bfloat16"},
    "cuda": {"float32": "float32", "float16": "float16", "bfloat16": "bfloat16", "int8": "int8_float16"},
}

# generate() settings (registry.GENERATION_KEYS) -> translate_batch() options. early_stopping
# has no counterpart: CTranslate2's beam search always ends once the best hypothesis is final.
OPTIONS = {
    "num_beams": "beam_size",
    "max_new_tokens": "max_decoding_length",
    "min_new_tokens": "min_decoding_length",
    "no_repeat_ngram_size": "no_repeat_ngram_size",
    "length_penalty": "length_penalty",
    "repetition_penalty": "repetition_penalty",
}
# ... and -> generate_batch() options, whose lengths count the answer alone (the prompt is not in the result)
GENERATOR_OPTIONS = {**OPTIONS, "max_new_tokens": "max_length", "min_new_tokens": "min_length"}


class CTranslate2Base(BatchedModel):
    """What both CTranslate2 models share: the number format, the converted copy, the threads,
    and batches decoded side by side. A subclass `_submit`s a batch and `_decoded`s its results."""

    backend = "ctranslate2"
    runner_class = "Translator"  # CTranslate2's class that runs it

    def __init__(self, spec: ModelSpec, path: Path, runtime: Runtime):
        import ctranslate2

        super().__init__(spec, runtime)
        compute_type = COMPUTE_TYPES[self.device].get(self.dtype)
        if compute_type not in ctranslate2.get_supported_compute_types(self.device):
            supported = sorted(ctranslate2.get_supported_compute_types(self.device))
            raise ConfigError(f"{spec.name}: CTranslate2 cannot run {self.dtype} on this {self.device}",
                              fix=f"set {self.device}_dtype to one of {', '.join(supported)}")
        self.tokenizer = load_tokenizer(spec, path)
        converted = convert(spec, path, compute_type, runtime.store)
        self.workers, threads = _threads(self.device, self.tuning.batch_threads)
        self.runner = getattr(ctranslate2, self.runner_class)(str(converted), device=self.device, compute_type=compute_type,
                                                              inter_threads=self.workers, intra_threads=threads)

    def _generate_batch(self, inputs: list[str]) -> list[str]:
        return self._decoded(self._submit(inputs))

    def _outputs(self, ready: Iterator[list[str]]) -> Iterator[list[str]]:
        """With several workers, batches are queued so that each worker always has one to
        decode, and their outputs are collected in order as they finish."""
        if self.workers == 1:
            yield from super()._outputs(ready)
            return
        running: deque = deque()
        for inputs in ready:
            running.append(self._submit(inputs, asynchronous=True))
            if len(running) > self.workers:
                yield self._decoded([r.result() for r in running.popleft()])
        while running:
            yield self._decoded([r.result() for r in running.popleft()])

    def _tokens(self, inputs: list[str]) -> list[list[str]]:
        return [self.tokenizer.convert_ids_to_tokens(ids) for ids in self.tokenize(inputs)]

    def _submit(self, inputs: list[str], asynchronous: bool = False) -> list:
        raise NotImplementedError

    def _decoded(self, results: list) -> list[str]:
        raise NotImplementedError

    def _out_of_memory(self, exc: Exception) -> bool:
        return isinstance(exc, RuntimeError) and "out of memory" in str(exc).lower()

    def close(self) -> None:
        self.runner = self.tokenizer = None


class CTranslate2Model(CTranslate2Base):
    """An encoder-decoder model in CTranslate2's Translator."""

    def __init__(self, spec: ModelSpec, path: Path, runtime: Runtime):
        super().__init__(spec, path, runtime)
        self.options = {OPTIONS[k]: v for k, v in spec.generation.items() if k in OPTIONS}
        self.options["max_input_length"] = 0  # never truncate (inputs are checked against the limit)
        forced_first, forced_last = _forced_tokens(path)
        first = spec.target_lang or (self.tokenizer.convert_ids_to_tokens(forced_first) if forced_first is not None else None)
        self.prefix = [first] if first else None
        if forced_last is not None and "max_decoding_length" in self.options:
            self.options["max_decoding_length"] -= 1  # generate() spends the last step on the forced end token

    def _submit(self, inputs: list[str], asynchronous: bool = False) -> list:
        source = self._tokens(inputs)
        prefix = [self.prefix] * len(source) if self.prefix else None
        return self._decode(self.runner.translate_batch, source, target_prefix=prefix, asynchronous=asynchronous,
                            **self.options)

    def _decoded(self, results: list) -> list[str]:
        outputs = [self.tokenizer.convert_tokens_to_ids(r.hypotheses[0]) for r in results]
        return self.tokenizer.batch_decode(outputs, skip_special_tokens=True)


class CTranslate2Chat(ChatModel, CTranslate2Base):
    """A decoder-only instruction model in CTranslate2's Generator: the prompt is forwarded at
    once (not part of the result), decoding stops at the model's end-of-turn tokens."""

    runner_class = "Generator"

    def __init__(self, spec: ModelSpec, path: Path, runtime: Runtime):
        from transformers import GenerationConfig

        super().__init__(spec, path, runtime)
        self.options = {GENERATOR_OPTIONS[k]: v for k, v in spec.generation.items() if k in GENERATOR_OPTIONS}
        try:
            configured = GenerationConfig.from_pretrained(path).eos_token_id
        except OSError:  # no generation_config.json: the tokenizer's end
            configured = None
        self.ends = end_ids(configured, self.tokenizer)
        self.options["end_token"] = sorted(self.ends)

    def _submit(self, inputs: list[str], asynchronous: bool = False) -> list:
        return self._decode(self.runner.generate_batch, self._tokens(inputs), asynchronous=asynchronous,
                            include_prompt_in_result=False, return_end_token=True, **self.options)

    def _decoded(self, results: list) -> list[str]:
        return [self.answer(r.sequences_ids[0], self.options.get("max_length")) for r in results]


# The model class for each `architecture:` of an entry
MODELS: dict[str, type[CTranslate2Base]] = {"seq2seq": CTranslate2Model, "causal": CTranslate2Chat}


class CTranslate2Engine(Engine):
    def load(self, spec: ModelSpec, path: Path | None, runtime: Runtime) -> CTranslate2Base:
        return MODELS[spec.architecture](spec, path, runtime)

    def release(self, model: CTranslate2Base) -> None:
        model.close()


def convert(spec: ModelSpec, path: Path, compute_type: str, store: Path | None) -> Path:
    """The CTranslate2 copy of the model at `path`, converted now unless an earlier run did.
    Keyed by the model id and revision (or a local model's file sizes and times), the number
    format and the converter's version; written to a temporary folder and renamed into place
    under a lock, so concurrent or killed runs never leave a half-written model."""
    import ctranslate2
    from filelock import FileLock

    store = Path(store) if store else Path(tempfile.gettempdir()) / "summarize-ctranslate2"
    name = Path(spec.model).name if spec.is_local else spec.model.replace("/", "--")
    key = digest(spec.model, spec.revision, _files_stamp(path) if spec.is_local else None,
                 compute_type, ctranslate2.__version__, length=12)
    target = store / f"{name}-{compute_type}-{key}"
    if (target / "model.bin").is_file():
        return target
    store.mkdir(parents=True, exist_ok=True)
    with FileLock(str(target) + ".lock"):
        if not (target / "model.bin").is_file():
            log.info("converting %s to CTranslate2 (%s), once, into %s", spec.model, compute_type, target)
            _convert_into(path, compute_type, target)
    return target


def _convert_into(path: Path, compute_type: str, target: Path) -> None:
    import transformers
    from ctranslate2.converters import TransformersConverter

    transformers.logging.set_verbosity_error()
    transformers.utils.logging.disable_progress_bar()
    work = Path(tempfile.mkdtemp(prefix=".converting-", dir=target.parent))
    try:
        TransformersConverter(str(path)).convert(str(work / "model"), quantization=compute_type, force=True)
        shutil.rmtree(target, ignore_errors=True)
        os.replace(work / "model", target)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _files_stamp(path: Path) -> list[tuple[str, int, int]]:
    return sorted((f.name, f.stat().st_size, f.stat().st_mtime_ns) for f in Path(path).iterdir() if f.is_file())


def _forced_tokens(path: Path) -> tuple[int | None, int | None]:
    """The tokens generate() forces first and at the length limit (BART's forced_bos_token_id
    and forced_eos_token_id), so CTranslate2 decodes under the same rules."""
    from transformers import GenerationConfig

    try:
        config = GenerationConfig.from_pretrained(path)
    except OSError:  # no generation_config.json: nothing is forced
        return None, None
    return config.forced_bos_token_id, config.forced_eos_token_id


def _threads(device: str, batch_threads: int | None) -> tuple[int, int]:
    """Batches decoded at once and threads for each. On a CPU, the physical cores shared out
    `batch_threads` to a batch (None: all of them on one batch); on a GPU, one batch at a time
    and CTranslate2's default threads."""
    if device != "cpu":
        return 1, 0
    cores = physical_cores()
    threads = min(cores, batch_threads or cores)
    return max(1, cores // threads), threads


def physical_cores() -> int:
    """The physical cores this process may use: CTranslate2 runs one thread on each (two
    threads on one core's hyper-threads, or more threads than cores, measured slower)."""
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    try:
        blocks = Path("/proc/cpuinfo").read_text().split("\n\n")
    except OSError:
        return usable
    cores = {(_field(b, "physical id"), _field(b, "core id")) for b in blocks if "processor" in b}
    threads_per_core = max(1, sum("processor" in b for b in blocks) // max(1, len(cores)))
    return max(1, usable // threads_per_core)


def _field(block: str, name: str) -> str | None:
    for line in block.splitlines():
        key, _, value = line.partition(":")
        if key.strip() == name:
            return value.strip()
    return None
