"""models.yaml: which models each stage can use, and each family's conventions as data.

A registry has two stages, `translation` and `summarization`; each names a `default` and a
mapping of `models`. Everything that differs between model families (input prefix, output
prefix to strip, tokenizer language codes, forced first token, input limit, generate()
settings) is a field of the entry, so the code never asks which model it is running.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from . import engines
from .errors import ConfigError
from .hashing import digest
from .settings import read_yaml

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

# Number formats a model may run in: on a CPU, fp32 or int8 (dynamic quantisation of the linear
# layers: weights stored in int8, activations quantised on the fly); on a CUDA GPU, fp32 or half.
CPU_DTYPES = ("float32", "int8")
CUDA_DTYPES = ("float32", "float16", "bfloat16")


@dataclass(frozen=True)
class ModelSpec:
    """One registry entry."""

    name: str
    stage: str
    model: str  # Hugging Face repo id, or a local directory (absolute once loaded)
    backend: str = "transformers"  # an engine's name (engines/): "passthrough" has no model, output = input
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
        return digest(data, length=16)


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
    """A hub repo id as given, or a local directory made absolute. A relative directory
    (`./dir`) is relative to the registry and must stay inside its folder; a model elsewhere
    is named outright (`/abs/dir`, `~/dir`)."""
    if not isinstance(model, str) or not model.strip():
        raise ConfigError(f"{where}: 'model' must be a Hugging Face repo id or a local directory")
    if _is_local_path(model):
        folder = path.parent.resolve()
        location = (folder / Path(model).expanduser()).resolve()
        if model.startswith(".") and not location.is_relative_to(folder):  # ./ and ../ paths
            raise ConfigError(f"{where}: 'model' {model!r} leads out of the registry's folder ({folder})",
                              fix="give an absolute path (/dir or ~/dir) for a model kept elsewhere")
        return str(location)
    if model.count("/") > 1 or " " in model:
        raise ConfigError(f"{where}: 'model' {model!r} is neither a repo id (org/name) nor a path (./dir)")
    return model


Check = Callable[[str, object], "str | None"]  # (setting, value) -> what is wrong, or None


def _string(key: str, value: object) -> str | None:
    return None if isinstance(value, str) else f"{key!r} must be a string"


def _one_of(choices: Callable[[], tuple[str, ...]]) -> Check:
    return lambda key, value: None if value in choices() else f"{key!r} must be one of {', '.join(choices())}"


def _input_limit(key: str, value: object) -> str | None:
    ok = isinstance(value, int) and not isinstance(value, bool) and value >= 8
    return None if ok else f"{key!r} must be an integer of at least 8"


_EXPECTED = {bool: "true or false", int: "a whole number of at least 0", float: "a number"}


def _generation_value(kind: type, value: object) -> bool:
    if kind is bool:
        return isinstance(value, bool)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    return kind is float or (isinstance(value, int) and value >= 0)


def _generation(key: str, value: object) -> str | None:
    if not isinstance(value, dict):
        return f"{key!r} must be a mapping"
    for setting, setting_value in value.items():
        kind = GENERATION_KEYS.get(setting)
        if kind is None:
            return f"unknown generation setting {setting!r} (allowed: {', '.join(GENERATION_KEYS)})"
        if not _generation_value(kind, setting_value):
            return f"generation.{setting} must be {_EXPECTED[kind]}"
    return None


# What each setting of an entry must be ('model' is checked where it is resolved); a setting
# left out (or null) takes ModelSpec's default.
_CHECKS: dict[str, Check] = {
    "backend": _one_of(engines.names),
    **dict.fromkeys(("revision", "description", "license", "input_prefix", "output_prefix", "source_lang",
                     "target_lang"), _string),
    "target_lang_via": _one_of(lambda: ("forced_bos", "decoder_start")),
    "max_input_tokens": _input_limit,
    "generation": _generation,
    "cpu_dtype": _one_of(lambda: CPU_DTYPES),
    "cuda_dtype": _one_of(lambda: CUDA_DTYPES),
}
ENTRY_KEYS = {"model", *_CHECKS}


def _entry(path: Path, stage: str, name: str, raw: object) -> ModelSpec:
    where = f"{path}: {stage}.models.{name}"
    if not isinstance(raw, dict):
        raise ConfigError(f"{where}: expected a mapping of settings")
    unknown = set(raw) - ENTRY_KEYS
    if unknown:
        raise ConfigError(f"{where}: unknown setting(s) {', '.join(sorted(unknown))}")
    settings = {key: value for key, value in raw.items() if value is not None}
    for key, value in settings.items():
        if key in _CHECKS and (problem := _CHECKS[key](key, value)):
            raise ConfigError(f"{where}: {problem}")
    backend = settings.get("backend", "transformers")
    settings["model"] = _model_location(where, path, raw.get("model")) if engines.get(backend).files else backend
    settings["generation"] = dict(settings.get("generation", {}))
    return ModelSpec(name=name, stage=stage, **settings)


def load_registry(path: Path) -> Registry:
    """Read and validate a registry file (safe YAML loader only)."""
    path = Path(path)
    data = read_yaml(path, "model registry")
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a mapping with 'translation' and 'summarization'")
    models: dict[str, dict[str, ModelSpec]] = {}
    defaults: dict[str, str] = {}
    for stage in STAGES:
        section = data.get(stage)
        if not isinstance(section, dict) or not isinstance(section.get("models"), dict) or not section["models"]:
            raise ConfigError(f"{path}: '{stage}' needs a 'models' mapping with at least one entry")
        models[stage] = {str(n): _entry(path, stage, str(n), raw) for n, raw in section["models"].items()}
    # the identity translation is always there, whatever the file lists (it needs no model)
    models["translation"].setdefault("passthrough", ModelSpec(
        name="passthrough", stage="translation", model="passthrough", backend="passthrough",
        description="No model; returns its input, to show what figure and glossary handling does"))
    for stage in STAGES:
        default = data[stage].get("default")
        if default not in models[stage]:
            raise ConfigError(f"{path}: {stage}.default {default!r} is not one of its models")
        defaults[stage] = default
    return Registry(path=path, models=models, defaults=defaults)
