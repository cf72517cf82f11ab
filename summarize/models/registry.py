"""models.yaml: which models each stage can use, and each family's conventions as data.

A registry has two stages, `translation` and `summarization`; each names a `default` and a
mapping of `models`. Everything that differs between model families (input prefix, output
prefix to strip, tokenizer language codes, forced first token, input limit, generate()
settings; for instruction models the prompt, its styles and what the model reads) is a field
of the entry, so the code never asks which model it is running.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from ..config import read_yaml
from ..errors import ConfigError
from ..hashing import digest
from . import engines

STAGES = ("translation", "summarization")
ARCHITECTURES = ("seq2seq", "causal")  # encoder-decoder models; decoder-only instruction models (chat)
READS = ("translation", "source")  # what a summarizer reads: the English translation, or the Vietnamese article
# What a style may say: the system and user messages (the user message holds the article as
# {text}, and may use {headline} and {length}), the wanted length, and its own output limit
STYLE_KEYS = {"system": str, "user": str, "length": str, "max_new_tokens": int}
PROMPT_FIELDS = ("text", "headline", "length")

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

# Named changes to every entry's generate() settings, chosen for a run (`fast`: --fast); a
# registry's `profiles:` may change them or add more. None removes a setting.
PROFILES = {
    # greedy decoding: one hypothesis instead of a beam of four or five (the beam's settings go)
    "fast": {"num_beams": 1, "early_stopping": None, "length_penalty": None},
}

# Number formats a model may run in, per device; each engine says which of them it runs
# (int8: the linear layers' weights in int8, activations quantised on the fly).
CPU_DTYPES = ("float32", "bfloat16", "int8")
CUDA_DTYPES = ("float32", "float16", "bfloat16", "int8")


@dataclass(frozen=True)
class ModelSpec:
    """One registry entry."""

    name: str
    stage: str
    model: str  # Hugging Face repo id, or a local directory (absolute once loaded)
    backend: str = "auto"  # an engine's name (engines/), or auto: the fastest measured on the device
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
    cpu_dtype: str = "float32"  # or bfloat16, int8
    cuda_dtype: str = "bfloat16"  # or float16, float32, int8
    architecture: str = "seq2seq"  # or causal: a decoder-only instruction model, prompted through its chat template
    reads: str = "translation"  # a summarizer's input: the English translation, or the Vietnamese source
    styles: dict = field(default_factory=dict)  # causal: style name -> its prompt (STYLE_KEYS); the first is the default
    style: str | None = None  # the style this run uses (Registry.get)

    @property
    def prompt(self) -> dict:
        """The chosen style's prompt ({} for a model that takes the text as it is)."""
        return self.styles.get(self.style, {}) if self.style else {}

    @property
    def is_local(self) -> bool:
        return Path(self.model).is_absolute()

    def fingerprint(self) -> str:
        """Hash of everything in the entry that changes the output (not its name or notes);
        of the styles, only the one in use, so each style's summaries have cache keys of their
        own and editing another style changes none of them."""
        data = asdict(self)
        for key in ("name", "description", "license", "style"):
            data.pop(key)
        data["styles"] = self.prompt
        for key, default in (("architecture", "seq2seq"), ("reads", "translation"), ("styles", {})):
            if data[key] == default:  # an entry without them keeps the fingerprint it had before they existed
                data.pop(key)
        return digest(data, length=16)


@dataclass(frozen=True)
class Registry:
    path: Path
    models: dict[str, dict[str, ModelSpec]]  # stage -> name -> spec
    defaults: dict[str, str]  # stage -> default name
    profiles: dict[str, dict] = field(default_factory=dict)  # name -> generate() settings it changes

    def get(self, stage: str, name: str | None = None, profile: str | None = None, style: str | None = None) -> ModelSpec:
        """The named (else default) entry of a stage, in the named (else its first) style, its
        generate() settings changed by the style and the profile (a setting set to null there
        is removed)."""
        name = name or self.defaults[stage]
        try:
            spec = self.models[stage][name]
        except KeyError:
            choices = ", ".join(sorted(self.models[stage]))
            raise ConfigError(f"{self.path}: no {stage} model named {name!r} (choices: {choices})") from None
        spec = _styled(self.path, spec, style)
        if profile is None:
            return spec
        if profile not in self.profiles:
            raise ConfigError(f"{self.path}: no profile named {profile!r}",
                              fix=f"add it under 'profiles:' (defined: {', '.join(self.profiles) or 'none'})")
        generation = {**spec.generation, **self.profiles[profile]}
        return replace(spec, generation={k: v for k, v in generation.items() if v is not None})


def _styled(path: Path, spec: ModelSpec, style: str | None) -> ModelSpec:
    """The entry in a style: its prompt chosen, its output limit the style's when it sets one."""
    if not spec.styles:
        if style:
            raise ConfigError(f"{path}: {spec.stage} model {spec.name!r} takes no style (--style {style})",
                              fix="choose an instruction model (architecture: causal) with --summarizer, or drop --style")
        return spec
    style = style or next(iter(spec.styles))
    if style not in spec.styles:
        raise ConfigError(f"{path}: {spec.name} has no style {style!r}", fix=f"use one of {', '.join(spec.styles)}")
    limit = spec.styles[style].get("max_new_tokens")
    generation = {**spec.generation, "max_new_tokens": limit} if limit else spec.generation
    return replace(spec, style=style, generation=generation)


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


def _generation(key: str, value: object, removable: bool = False) -> str | None:
    if not isinstance(value, dict):
        return f"{key!r} must be a mapping"
    for setting, setting_value in value.items():
        kind = GENERATION_KEYS.get(setting)
        if kind is None:
            return f"unknown generation setting {setting!r} (allowed: {', '.join(GENERATION_KEYS)})"
        if not (_generation_value(kind, setting_value) or (removable and setting_value is None)):
            return f"generation.{setting} must be {_EXPECTED[kind]}"
    return None


def _styles(key: str, value: object) -> str | None:
    """Named prompts: each a mapping of STYLE_KEYS whose user message holds {text}."""
    if not isinstance(value, dict) or not value:
        return f"{key!r} must map style names to prompts"
    for name, style in value.items():
        if not isinstance(style, dict) or not isinstance(style.get("user"), str) or "{text}" not in style["user"]:
            return f"styles.{name} needs a 'user' message that holds {{text}}"
        for setting, kind in STYLE_KEYS.items():
            if setting in style and not isinstance(style[setting], kind):
                return f"styles.{name}.{setting} must be {'text' if kind is str else 'a whole number'}"
        if unknown := set(style) - set(STYLE_KEYS):
            return f"styles.{name}: unknown setting(s) {', '.join(sorted(unknown))} (allowed: {', '.join(STYLE_KEYS)})"
        try:
            style["user"].format(**dict.fromkeys(PROMPT_FIELDS, ""))
        except (KeyError, IndexError, ValueError) as exc:
            return f"styles.{name}.user may use only {{text}}, {{headline}} and {{length}} ({exc})"
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
    "architecture": _one_of(lambda: ARCHITECTURES),
    "reads": _one_of(lambda: READS),
    "styles": _styles,
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
    if (settings.get("architecture") == "causal") != bool(settings.get("styles")):
        raise ConfigError(f"{where}: an instruction model (architecture: causal) needs 'styles', and only it takes them")
    if settings.get("reads", "translation") != "translation" and stage != "summarization":
        raise ConfigError(f"{where}: 'reads' is a summarizer's setting")
    backend = settings.get("backend", "auto")
    settings["model"] = _model_location(where, path, raw.get("model")) if engines.get(backend).files else backend
    settings["generation"] = dict(settings.get("generation", {}))
    settings["styles"] = {str(n): dict(s) for n, s in settings.get("styles", {}).items()}
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
    return Registry(path=path, models=models, defaults=defaults, profiles=_profiles(path, data.get("profiles")))


def _profiles(path: Path, raw: object) -> dict[str, dict]:
    """`profiles:`: named changes to every entry's generate() settings (--fast is `fast`)."""
    raw = {} if raw is None else raw
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: 'profiles' must map names to generation settings")
    for name, settings in raw.items():
        if problem := _generation(f"profiles.{name}", settings, removable=True):
            raise ConfigError(f"{path}: profiles.{name}: {problem}")
    return {**PROFILES, **{str(name): dict(settings) for name, settings in raw.items()}}
