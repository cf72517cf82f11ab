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
| offline       | --offline     |                         | off: no fetch, no download                |
| hub offline   |               | HF_HUB_OFFLINE          | off: no model download (fetching goes on) |
| device        | --device      | SUMMARIZE_DEVICE        | auto: a CUDA GPU if there is one          |
| backend       | --backend     | SUMMARIZE_BACKEND       | each entry's `backend:` (auto)            |
| profile       | --fast        |                         | none (the entries' own decoding)          |
| converted     |               | SUMMARIZE_MODELS_DIR    | <user cache dir>/models                   |
| mail server   | --smtp        | SUMMARIZE_SMTP          | none (its login: SUMMARIZE_SMTP_USER, SUMMARIZE_SMTP_PASSWORD) |
| watchlist     | --watch       | SUMMARIZE_WATCH         | none                                      |
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .config import shipped
from .errors import ConfigError
from .models import engines
from .models.engines import Tuning

_TRUE = ("1", "true", "yes", "on")
# the shipped glossary: countries as CLDR names them (scripts/countries.py), then the hand-made
# one, whose entries win ("Mỹ: US")
SHIPPED_GLOSSARIES = ("countries.yaml", "glossary.yaml")


def _shipped_glossaries() -> tuple[Path, ...]:
    return tuple(map(shipped, SHIPPED_GLOSSARIES))


@dataclass(frozen=True)
class Settings:
    """Everything a Session needs to know that is not an input file."""

    config: Path = field(default_factory=lambda: shipped("models.yaml"))
    glossaries: tuple[Path, ...] = field(default_factory=_shipped_glossaries)
    cache_dir: Path | None = None  # None: no cache
    offline: bool = False  # --offline: the run touches no network (no fetch, no download)
    hub_offline: bool = False  # HF_HUB_OFFLINE: the hub's switch, no model download; fetching goes on
    tuning: Tuning = field(default_factory=Tuning)
    device: str = "auto"  # auto, cpu or cuda
    backend: str | None = None  # an engine for every model of the run, instead of the entries' own
    profile: str | None = None  # a registry profile (fast) changing every model's decoding
    models_dir: Path | None = None  # converted models (ctranslate2); None: a temporary folder
    smtp: str | None = None  # HOST:PORT of the mail server that sends briefs (mail.py)
    watch: Path | None = None  # a watchlist file (archive/watchlist.py)

    @property
    def no_downloads(self) -> bool:
        """Models are taken from disk only (--offline or HF_HUB_OFFLINE)."""
        return self.offline or self.hub_offline

    @classmethod
    def resolve(
        cls,
        *,
        config: Path | None = None,
        glossaries: Sequence[Path] = (),
        cache_dir: Path | None = None,
        no_cache: bool = False,
        offline: bool = False,
        device: str | None = None,
        backend: str | None = None,
        fast: bool = False,
        smtp: str | None = None,
        watch: Path | None = None,
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
            glossaries=(*_shipped_glossaries(), *extra, *map(Path, glossaries)),
            cache_dir=cache_dir,
            offline=offline,
            hub_offline=env.get("HF_HUB_OFFLINE", "").lower() in _TRUE,
            device=_checked("device", device, env),
            backend=_checked("backend", backend, env),
            profile="fast" if fast else None,
            models_dir=Path(env["SUMMARIZE_MODELS_DIR"]) if env.get("SUMMARIZE_MODELS_DIR") else _user_cache() / "models",
            smtp=smtp or env.get("SUMMARIZE_SMTP") or None,
            watch=watch or (Path(env["SUMMARIZE_WATCH"]) if env.get("SUMMARIZE_WATCH") else None),
        )


def _checked(name: str, given: str | None, env: Mapping[str, str]) -> str | None:
    """--device or --backend (else its environment variable), checked now, before any file is
    read: a bad value named where it came from, with the choices."""
    value, where = (given, f"--{name}") if given else (env.get(f"SUMMARIZE_{name.upper()}"), f"SUMMARIZE_{name.upper()}")
    choices = engines.DEVICES if name == "device" else engines.names()
    if value and value not in choices:
        raise ConfigError(f"{where}={value}: no such {name}", fix=f"use one of {', '.join(choices)}")
    return value or ("auto" if name == "device" else None)


def _user_cache() -> Path:
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("summarize"))
