"""Settings: where every choice the user can make comes from, resolved in one place.

Order of precedence, for the command line and the library alike (`Settings.resolve()`):
a command-line option, then an environment variable, then a file in the working directory,
then what ships inside the package (`summarize/data/`, read through importlib.resources, so a
wheel or pipx install has it too).

| setting       | option        | environment             | default                                  |
|---------------|---------------|-------------------------|------------------------------------------|
| registry      | --config      | SUMMARIZE_CONFIG        | ./models.yaml, else the shipped one       |
| glossaries    | --glossary    | SUMMARIZE_GLOSSARY      | the shipped glossary, extended by these   |
| cache folder  | --cache-dir   | SUMMARIZE_CACHE_DIR     | the user cache dir; --no-cache: none      |
| offline       | --offline     | HF_HUB_OFFLINE          | off                                       |
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

_TRUE = ("1", "true", "yes", "on")


def shipped(name: str) -> Path:
    """A data file that ships inside the package (models.yaml, glossary.yaml)."""
    return Path(str(resources.files("summarize").joinpath("data", name)))


@dataclass(frozen=True)
class Tuning:
    """How model work is cut up. The defaults are measured on a 2-core CPU (bench/): four
    sequences per generate() call decode twice as fast as one and twelve no faster than four;
    the decoder caches grow with batch × beams × padded length, and 1,024 padded tokens keep a
    whole run under 3 GB. The naive way of the benchmark is `Tuning.naive()`."""

    batch_tokens: int = 1024  # padded input tokens per generate() call
    max_batch: int = 8  # sequences per generate() call
    group: int = 16  # articles whose sentences are batched together (and cached per group)
    reorder_cross_cache: bool = False  # True: transformers' own beam cache, which copies the
    #                                    encoder's keys and values for every beam at every step

    @classmethod
    def naive(cls) -> Tuning:
        """One generate() per sentence, one article at a time, transformers' own beam cache."""
        return cls(max_batch=1, group=1, reorder_cross_cache=True)


@dataclass(frozen=True)
class Settings:
    """Everything a Session needs to know that is not an input file."""

    config: Path = field(default_factory=lambda: shipped("models.yaml"))
    glossaries: tuple[Path, ...] = field(default_factory=lambda: (shipped("glossary.yaml"),))
    cache_dir: Path | None = None  # None: no cache
    offline: bool = False
    tuning: Tuning = field(default_factory=Tuning)

    @classmethod
    def resolve(
        cls,
        config: Path | None = None,
        glossaries: Sequence[Path] = (),
        cache_dir: Path | None = None,
        no_cache: bool = False,
        offline: bool = False,
        env: Mapping[str, str] | None = None,
    ) -> Settings:
        """Settings from options (None: not given), the environment, then the defaults."""
        env = os.environ if env is None else env
        if config is None:
            local = Path("models.yaml")
            config = Path(env["SUMMARIZE_CONFIG"]) if env.get("SUMMARIZE_CONFIG") else (
                local if local.is_file() else shipped("models.yaml"))
        extra = [Path(env["SUMMARIZE_GLOSSARY"])] if env.get("SUMMARIZE_GLOSSARY") else []
        if no_cache:
            cache_dir = None
        elif cache_dir is None:
            cache_dir = Path(env["SUMMARIZE_CACHE_DIR"]) if env.get("SUMMARIZE_CACHE_DIR") else _user_cache()
        return cls(
            config=Path(config),
            glossaries=(shipped("glossary.yaml"), *extra, *map(Path, glossaries)),
            cache_dir=cache_dir,
            offline=offline or env.get("HF_HUB_OFFLINE", "").lower() in _TRUE,
        )


def _user_cache() -> Path:
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("summarize"))
