"""Engines: the backends that run a registry entry's model, behind one small interface.

A `Model` counts tokens and generates outputs for a batch of texts; an `Engine` finds a
model's files (through the hub), loads it on the run's device in the entry's number format,
and lets go of its memory when the stage is done (`with engine.open(...) as model:`).
Built-in engines register here exactly as a new one would: adding a backend is one module
with an Engine subclass and one `register()` line. Registry entries name an engine with
`backend:`, and the registry accepts only names in this table (or `auto`: the engine that
measured fastest on the device, from AUTO).
"""

from __future__ import annotations

import contextlib
import ctypes.util
import functools
import importlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from ...errors import ConfigError, SummarizeError

if TYPE_CHECKING:
    from ..registry import ModelSpec

OnBatch = Callable[[list[str], list[str]], None]

@dataclass(frozen=True)
class Tuning:
    """How model work is cut up. The defaults are measured on a 2-core CPU (bench/): four
    sequences per generate() call decode twice as fast as one and twelve no faster than four;
    the decoder caches grow with batch × beams × padded length, and 1,024 padded tokens keep a
    whole run under 3 GB. On a CPU, CTranslate2 decodes batches side by side, one core each:
    on 2 cores that translated the seeds 2.1× faster than both cores on one batch at a time
    (bench/RESULTS.md). The naive way of the benchmark is `Tuning.naive()`."""

    batch_tokens: int = 1024  # padded input tokens per generate() call
    max_batch: int = 8  # sequences per generate() call
    group: int | None = 16  # articles whose sentences are batched together; None: all of them
    batch_threads: int | None = 1  # CPU threads per batch (ctranslate2); the other cores decode
    #                                other batches meanwhile. None: every core on one batch at a time
    reorder_cross_cache: bool = False  # True: transformers' own beam cache, which copies the
    #                                    encoder's keys and values for every beam at every step

    @classmethod
    def naive(cls) -> Tuning:
        """One generate() per sentence, one article at a time, transformers' own beam cache."""
        return cls(max_batch=1, group=1, reorder_cross_cache=True)



DEVICES = ("auto", "cpu", "cuda")

# `backend: auto` on each device: CTranslate2 int8 measured fastest on a CPU (bench/RESULTS.md);
# on a GPU, transformers in bfloat16 is the configuration that has been measured.
AUTO = {"cpu": "ctranslate2", "cuda": "transformers"}


@dataclass(frozen=True)
class Runtime:
    """Where and how models run in this process, resolved once from the Settings."""

    device: str = "cpu"  # "cpu" or "cuda"
    tuning: Tuning = field(default_factory=Tuning)  # CPU batching; on CUDA sized from free memory
    store: Path | None = None  # where converted models are kept (ctranslate2); None: a temporary folder


class Model(Protocol):
    """What the translator and summarizer use of a loaded model."""

    spec: ModelSpec
    tuning: Tuning  # how the pipeline groups articles for it (Tuning.group)
    where: str  # how it runs, for the run's summary line ("ctranslate2, int8 on cpu")
    # Measurement's way in (bench forces realistic output lengths through it): when set, each
    # batch's own decode call — transformers' generate(**kwargs), CTranslate2's
    # translate_batch(source, **options) — is made as decode_hook(call, *args, **kwargs).
    decode_hook: Callable[..., Any] | None

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        """Input length of each text in tokens, prefix and special tokens included."""

    def generate(self, texts: Sequence[str], on_batch: OnBatch | None = None) -> list[str]:
        """Outputs for `texts`, in order; `on_batch(inputs, outputs)` as each batch finishes."""


class Engine:
    """A backend. Subclasses implement `load`, and `release` when a model holds memory."""

    files = True  # False: the engine needs no model files (nothing to find or download)

    def find(self, spec: ModelSpec) -> Path | None:
        """The model's files if they are on disk already, without touching the network."""
        from ..hub import local_path

        return local_path(spec) if self.files else None

    def locate(self, spec: ModelSpec, offline: bool) -> Path | None:
        """The model's files, downloaded if allowed and needed; raises ModelUnavailable."""
        from ..hub import resolve

        return resolve(spec, offline) if self.files else None

    def load(self, spec: ModelSpec, path: Path | None, runtime: Runtime) -> Model:
        raise NotImplementedError

    def release(self, model: Model) -> None:
        """Free what `model` holds, so the next model does not add to the peak."""

    @contextlib.contextmanager
    def open(self, spec: ModelSpec, path: Path | None, runtime: Runtime) -> Iterator[Model]:
        """The loaded model for the block; a model whose files cannot be loaded (damaged
        weights, a pickle that is more than weights) is a ModelUnavailable, one line."""
        try:
            model = self.load(spec, path, runtime)
        except SummarizeError:  # a setting the entry got wrong says so itself, with its fix
            raise
        except Exception as exc:
            from ..hub import unloadable

            raise unloadable(spec, exc) from None
        try:
            yield model
        finally:
            self.release(model)


class Resident(Engine):
    """An engine whose models stay loaded once opened: a backfill worker loads each model once
    and serves every day it is given with it (they are released when the worker ends)."""

    def __init__(self, engine: Engine):
        self.engine, self.files = engine, engine.files
        self.loaded: dict[str, Model] = {}
        self.held = contextlib.ExitStack()  # each model's open block, kept open (closing it releases them all)

    def find(self, spec: ModelSpec) -> Path | None:
        return self.engine.find(spec)

    def locate(self, spec: ModelSpec, offline: bool) -> Path | None:
        return self.engine.locate(spec, offline)

    @contextlib.contextmanager
    def open(self, spec: ModelSpec, path: Path | None, runtime: Runtime) -> Iterator[Model]:
        key = repr((spec, str(path)))
        if key not in self.loaded:  # loaded as the engine loads it, released only by self.held.close()
            self.loaded[key] = self.held.enter_context(self.engine.open(spec, path, runtime))
        yield self.loaded[key]


# name -> "module:Class" (imported on first use, so reading the registry never imports torch),
# or an Engine instance registered at run time. The one place backends are added (register).
_TABLE: dict[str, str | Engine] = {}


def register(name: str, engine: str | Engine) -> None:
    """Make `backend: name` available to registry entries."""
    _TABLE[name] = engine


@contextlib.contextmanager
def registered(name: str, engine: str | Engine) -> Iterator[None]:
    """`backend: name` runs `engine` inside the block only, then what was registered before
    (nothing, or the built-in engine): how tests add a mock engine and bench a measured one."""
    before = _TABLE.get(name)
    register(name, engine)
    try:
        yield
    finally:
        if before is None:
            _TABLE.pop(name, None)
        else:
            _TABLE[name] = before


def names() -> tuple[str, ...]:
    """What `backend:` may say."""
    return ("auto", *_TABLE)


def get(name: str, device: str = "cpu") -> Engine:
    """The engine registered as `name` (`auto`: the one for `device`)."""
    name = AUTO[device] if name == "auto" else name
    engine = _TABLE[name]
    return _load(engine) if isinstance(engine, str) else engine


@functools.cache
def _load(where: str) -> Engine:
    """A built-in engine's one instance, imported on first use."""
    module, _, cls = where.partition(":")
    return getattr(importlib.import_module(module), cls)()


def resolve_device(requested: str) -> str:
    """"cpu" or "cuda" for a requested device. A machine without NVIDIA's driver library is a
    CPU machine, decided without importing torch (it takes seconds and hundreds of MB);
    otherwise torch says whether a CUDA GPU is usable."""
    if requested not in DEVICES:
        raise ConfigError(f"device {requested}: no such device", fix=f"use one of {', '.join(DEVICES)}")
    if requested == "cpu" or (requested == "auto" and ctypes.util.find_library("cuda") is None):
        return "cpu"
    import torch

    if torch.cuda.is_available():
        return "cuda"
    if requested == "cuda":
        raise ConfigError("--device cuda: torch sees no CUDA GPU on this machine",
                          fix="install a CUDA build of torch (docs/models.md), or use --device cpu")
    return "cpu"


register("transformers", "summarize.models.engines.seq2seq:Seq2SeqEngine")
register("ctranslate2", "summarize.models.engines.ctranslate2:CTranslate2Engine")
register("passthrough", "summarize.models.engines.passthrough:PassThroughEngine")
