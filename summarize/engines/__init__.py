"""Engines: the backends that run a registry entry's model, behind one small interface.

A `Model` counts tokens and generates outputs for a batch of texts; an `Engine` finds a
model's files (through the hub), loads it on the right device in the entry's number format,
and lets go of its memory when the stage is done (`with engine.open(...) as model:`).
Built-in engines register here exactly as a new one would: adding a backend is one module
with an Engine subclass and one `register()` line. Registry entries name an engine with
`backend:`, and the registry accepts only names in this table.
"""

from __future__ import annotations

import contextlib
import importlib
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from ..registry import ModelSpec
    from ..settings import Tuning

OnBatch = Callable[[list[str], list[str]], None]


class Model(Protocol):
    """What the translator and summarizer use of a loaded model."""

    spec: ModelSpec

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

    def load(self, spec: ModelSpec, path: Path | None, tuning: Tuning) -> Model:
        raise NotImplementedError

    def release(self, model: Model) -> None:
        """Free what `model` holds, so the next model does not add to the peak."""

    @contextlib.contextmanager
    def open(self, spec: ModelSpec, path: Path | None, tuning: Tuning) -> Iterator[Model]:
        model = self.load(spec, path, tuning)
        try:
            yield model
        finally:
            self.release(model)


# name -> "module:Class" (imported on first use, so reading the registry never imports torch),
# or an Engine instance registered at run time.
_TABLE: dict[str, str | Engine] = {}


def register(name: str, engine: str | Engine) -> None:
    """Make `backend: name` available to registry entries."""
    _TABLE[name] = engine


def names() -> tuple[str, ...]:
    return tuple(_TABLE)


def get(name: str) -> Engine:
    engine = _TABLE[name]
    if isinstance(engine, str):
        module, _, cls = engine.partition(":")
        engine = _TABLE[name] = getattr(importlib.import_module(module), cls)()
    return engine


register("transformers", "summarize.engines.seq2seq:Seq2SeqEngine")
register("passthrough", "summarize.engines.passthrough:PassThroughEngine")
