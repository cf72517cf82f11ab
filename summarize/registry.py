"""models.yaml: which models each stage can use, and each family's conventions as data.

A registry has two stages, `translation` and `summarization`; each names a `default` and a
mapping of `models`. Everything that differs between model families (input prefix, output
prefix to strip, tokenizer language codes, forced first token, input limit, generate()
settings) is a field of the entry, so the code never asks which model it is running.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

import yaml

STAGES = ("translation", "summarization")

# generate() keyword arguments an entry may set; decoding is always deterministic (no sampling).
GENERATION_KEYS = {
    "num_beams": int,
    "max_new_tokens": int,
    "min_new_tokens": int,
    "no_repeat_ngram_size": int,
    "length_penalty": float,
    "repetition_penalty": float,
    "early_stopping": bool,
}

BACKENDS = ("transformers", "passthrough")

# Number formats a model may run in: on a CPU, fp32 or int8 (dynamic quantisation of the linear
# layers: weights stored in int8, activations quantised on the fly); on a CUDA GPU, fp32 or half.
CPU_DTYPES = ("float32", "int8")
CUDA_DTYPES = ("float32", "float16", "bfloat16")

ENTRY_KEYS = {
    "backend",
    "model",
    "revision",
    "description",
    "license",
    "input_prefix",
    "output_prefix",
    "source_lang",
    "target_lang",
    "target_lang_via",
    "max_input_tokens",
    "generation",
    "cpu_dtype",
    "cuda_dtype",
}


class ConfigError(Exception):
    """A registry file that cannot be used; the message names the file, the entry and the problem."""


@dataclass(frozen=True)
class ModelSpec:
    """One registry entry."""

    name: str
    stage: str
    model: str  # Hugging Face repo id, or a local directory (absolute once loaded)
    backend: str = "transformers"  # or "passthrough": no model, output = input (to inspect pre-processing)
    revision: str | None = None
    description: str = ""
    license: str = ""
    input_prefix: str = ""
    output_prefix: str = ""
    source_lang: str | None = None  # tokenizer src_lang (mBART, NLLB)
    target_lang: str | None = None  # target-language token the decoder must start with (mBART, NLLB)
    target_lang_via: str = "forced_bos"  # how: forced first token, or as the decoder start token
    max_input_tokens: int = 512
    generation: dict = field(default_factory=dict)
    cpu_dtype: str = "float32"  # or int8
    cuda_dtype: str = "bfloat16"  # or float16, float32

    @property
    def is_local(self) -> bool:
        return Path(self.model).is_absolute()

    def fingerprint(self) -> str:
        """Hash of everything in the entry that changes the output (not its name or notes)."""
        data = asdict(self)
        for key in ("name", "description", "license"):
            data.pop(key)
        return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Registry:
    path: Path
    models: dict[str, dict[str, ModelSpec]]  # stage -> name -> spec
    defaults: dict[str, str]  # stage -> default name

    def get(self, stage: str, name: str | None = None) -> ModelSpec:
        name = name or self.defaults[stage]
        try:
            return self.models[stage][name]
        except KeyError:
            choices = ", ".join(sorted(self.models[stage]))
            raise ConfigError(f"{self.path}: no {stage} model named {name!r} (choices: {choices})") from None


def _is_local_path(value: str) -> bool:
    return value.startswith(("./", "../", "/", "~")) or value in (".", "..")


def _model_location(where: str, path: Path, model: object) -> str:
    """A hub repo id as given, or a local directory made absolute (relative to the registry)."""
    if not isinstance(model, str) or not model.strip():
        raise ConfigError(f"{where}: 'model' must be a Hugging Face repo id or a local directory")
    if _is_local_path(model):
        return str((path.parent / Path(model).expanduser()).resolve())
    if model.count("/") > 1 or " " in model:
        raise ConfigError(f"{where}: 'model' {model!r} is neither a repo id (org/name) nor a path (./dir)")
    return model


def _entry(path: Path, stage: str, name: str, raw: object) -> ModelSpec:
    where = f"{path}: {stage}.models.{name}"
    if not isinstance(raw, dict):
        raise ConfigError(f"{where}: expected a mapping of settings")
    unknown = set(raw) - ENTRY_KEYS
    if unknown:
        raise ConfigError(f"{where}: unknown setting(s) {', '.join(sorted(unknown))}")
    backend = raw.get("backend", "transformers")
    if backend not in BACKENDS:
        raise ConfigError(f"{where}: 'backend' must be one of {', '.join(BACKENDS)}")
    model = "passthrough" if backend == "passthrough" else _model_location(where, path, raw.get("model"))
    for key in ("revision", "description", "license", "input_prefix", "output_prefix", "source_lang", "target_lang"):
        if key in raw and raw[key] is not None and not isinstance(raw[key], str):
            raise ConfigError(f"{where}: {key!r} must be a string")
    via = raw.get("target_lang_via", "forced_bos")
    if via not in ("forced_bos", "decoder_start"):
        raise ConfigError(f"{where}: 'target_lang_via' must be forced_bos or decoder_start")
    limit = raw.get("max_input_tokens", 512)
    if not isinstance(limit, int) or isinstance(limit, bool) or limit < 8:
        raise ConfigError(f"{where}: 'max_input_tokens' must be an integer of at least 8")
    for key, choices in (("cpu_dtype", CPU_DTYPES), ("cuda_dtype", CUDA_DTYPES)):
        if key in raw and raw[key] not in choices:
            raise ConfigError(f"{where}: {key!r} must be one of {', '.join(choices)}")
    generation = raw.get("generation") or {}
    if not isinstance(generation, dict):
        raise ConfigError(f"{where}: 'generation' must be a mapping")
    for key, value in generation.items():
        kind = GENERATION_KEYS.get(key)
        if kind is None:
            raise ConfigError(f"{where}: unknown generation setting {key!r} (allowed: {', '.join(GENERATION_KEYS)})")
        if kind is bool:
            ok = isinstance(value, bool)
        elif kind is int:
            ok = isinstance(value, int) and not isinstance(value, bool) and value >= 0
        else:
            ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        if not ok:
            expected = {bool: "true or false", int: "a whole number of at least 0", float: "a number"}[kind]
            raise ConfigError(f"{where}: generation.{key} must be {expected}")
    return ModelSpec(
        name=name,
        stage=stage,
        model=model,
        backend=backend,
        revision=raw.get("revision"),
        description=raw.get("description") or "",
        license=raw.get("license") or "",
        input_prefix=raw.get("input_prefix") or "",
        output_prefix=raw.get("output_prefix") or "",
        source_lang=raw.get("source_lang"),
        target_lang=raw.get("target_lang"),
        target_lang_via=via,
        max_input_tokens=limit,
        generation=dict(generation),
        cpu_dtype=raw.get("cpu_dtype", "float32"),
        cuda_dtype=raw.get("cuda_dtype", "bfloat16"),
    )


def load_registry(path: Path) -> Registry:
    """Read and validate a registry file (safe YAML loader only)."""
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: model registry not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read the model registry ({exc})") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML ({str(exc).splitlines()[0]})") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a mapping with 'translation' and 'summarization'")
    models: dict[str, dict[str, ModelSpec]] = {}
    defaults: dict[str, str] = {}
    for stage in STAGES:
        section = data.get(stage)
        if not isinstance(section, dict) or not isinstance(section.get("models"), dict) or not section["models"]:
            raise ConfigError(f"{path}: '{stage}' needs a 'models' mapping with at least one entry")
        models[stage] = {str(n): _entry(path, stage, str(n), raw) for n, raw in section["models"].items()}
        default = section.get("default")
        if default not in models[stage]:
            raise ConfigError(f"{path}: {stage}.default {default!r} is not one of its models")
        defaults[stage] = default
    return Registry(path=path, models=models, defaults=defaults)
