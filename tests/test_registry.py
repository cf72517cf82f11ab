import re
from pathlib import Path

import pytest
import yaml

from summarize.models.registry import ConfigError, load_registry

from .conftest import ROOT


def test_shipped_registry_has_required_models_and_conventions():
    registry = load_registry(ROOT / "models.yaml")
    assert registry.defaults == {"translation": "envit5", "summarization": "distilbart-cnn"}
    envit5 = registry.get("translation")
    assert envit5.model == "VietAI/envit5-translation"
    assert (envit5.input_prefix, envit5.output_prefix) == ("vi: ", "en: ")
    models = {s.model for entries in registry.models.values() for s in entries.values()}
    assert {
        "Helsinki-NLP/opus-mt-vi-en",
        "vinai/vinai-translate-vi2en-v2",
        "facebook/nllb-200-distilled-600M",
        "sshleifer/distilbart-cnn-12-6",
        "facebook/bart-large-cnn",
        "facebook/nllb-200-1.3B",
        "facebook/nllb-200-3.3B",
        "Qwen/Qwen2.5-1.5B-Instruct",
        "Qwen/Qwen3-4B-Instruct-2507",
    } <= models
    nllb = registry.get("translation", "nllb")
    assert (nllb.source_lang, nllb.target_lang) == ("vie_Latn", "eng_Latn")
    assert "non-commercial" in nllb.license
    vinai = registry.get("translation", "vinai")
    assert (vinai.source_lang, vinai.target_lang) == ("vi_VN", "en_XX") and "AGPL" in vinai.license
    for entries in registry.models.values():
        for spec in entries.values():  # every entry pinned to a commit, not a branch that can move
            assert re.fullmatch(r"[0-9a-f]{40}", spec.revision or "") or spec.backend == "passthrough", spec.name
            assert spec.generation.get("num_beams", 1) >= 1
            assert spec.license or spec.backend == "passthrough", spec.name


def test_instruction_models_have_styles_prompts_and_what_they_read():
    registry = load_registry(ROOT / "models.yaml")
    llms = {name: spec for name, spec in registry.models["summarization"].items() if spec.architecture == "causal"}
    assert {"qwen2.5-1.5b", "qwen2.5-1.5b-vi", "qwen3-4b", "qwen3-4b-vi"} <= set(llms)
    assert {spec.reads for spec in llms.values()} == {"translation", "source"}
    for name, spec in llms.items():
        assert list(spec.styles)[:3] == ["paragraph", "bullets", "line"], name
        assert spec.generation.get("num_beams") == 1 and "Apache-2.0" in spec.license
    paragraph = registry.get("summarization", "qwen2.5-1.5b")
    line = registry.get("summarization", "qwen2.5-1.5b", style="line")
    assert (paragraph.style, line.style) == ("paragraph", "line")
    assert line.generation["max_new_tokens"] == 64 and paragraph.generation["max_new_tokens"] == 220
    assert paragraph.fingerprint() != line.fingerprint()  # each style's summaries cached apart
    assert "{text}" in paragraph.prompt["user"] and "{headline}" in paragraph.prompt["user"]
    with pytest.raises(ConfigError, match="takes no style"):
        registry.get("summarization", "distilbart-cnn", style="bullets")
    with pytest.raises(ConfigError, match="has no style 'poem'"):
        registry.get("summarization", "qwen3-4b", style="poem")


@pytest.mark.parametrize("entry, problem", [
    ({"architecture": "causal"}, "needs 'styles'"),
    ({"styles": {"p": {"user": "{text}"}}}, "needs 'styles', and only it takes them"),
    ({"architecture": "causal", "styles": {"p": {"user": "no text here"}}}, "needs a 'user' message that holds {text}"),
    ({"architecture": "causal", "styles": {"p": {"user": "{text} {when}"}}}, "may use only {text}, {headline} and {length}"),
    ({"architecture": "causal", "styles": {"p": {"user": "{text}", "tone": "x"}}}, "unknown setting"),
    ({"architecture": "causal", "reads": "both", "styles": {"p": {"user": "{text}"}}}, "'reads' must be one of"),
])
def test_bad_instruction_entries_are_refused_with_the_reason(tmp_path, entry, problem):
    data = {"translation": {"default": "p", "models": {"p": {"backend": "passthrough"}}},
            "summarization": {"default": "s", "models": {"s": {"model": "org/name", **entry}}}}
    with pytest.raises(ConfigError, match=re.escape(problem)):
        load_registry(write(tmp_path, data))


def write(tmp_path: Path, data) -> Path:
    path = tmp_path / "models.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def minimal(**translation_entry):
    entry = {"model": "org/name", **translation_entry}
    return {
        "translation": {"default": "t", "models": {"t": entry}},
        "summarization": {"default": "s", "models": {"s": {"model": "org/sum"}}},
    }


@pytest.mark.parametrize(
    "entry, message",
    [
        ({"max_input_tokens": 0}, "translation.models.t: 'max_input_tokens'"),
        ({"generation": {"temperature": 0.7}}, "unknown generation setting 'temperature'"),
        ({"generation": {"num_beams": "four"}}, "generation.num_beams must be a whole number"),
        ({"colour": "red"}, "unknown setting(s) colour"),
        ({"model": "a/b/c"}, "neither a repo id"),
        ({"target_lang_via": "magic"}, "target_lang_via"),
        ({"cpu_dtype": "int4"}, "'cpu_dtype' must be one of float32, bfloat16, int8"),
        ({"cuda_dtype": "int4"}, "'cuda_dtype' must be one of float32, float16, bfloat16, int8"),
    ],
)
def test_bad_entries_are_reported_with_their_name(tmp_path, entry, message):
    with pytest.raises(ConfigError) as excinfo:
        load_registry(write(tmp_path, minimal(**entry)))
    assert message in str(excinfo.value)
    assert str(tmp_path / "models.yaml") in str(excinfo.value)


def test_structural_errors(tmp_path):
    bad = minimal()
    bad["translation"]["default"] = "missing"
    with pytest.raises(ConfigError, match="translation.default 'missing' is not one of its models"):
        load_registry(write(tmp_path, bad))
    (tmp_path / "broken.yaml").write_text("translation: [unclosed", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_registry(tmp_path / "broken.yaml")
    with pytest.raises(ConfigError, match="model registry not found"):
        load_registry(tmp_path / "absent.yaml")


def test_yaml_is_loaded_safely(tmp_path):
    (tmp_path / "evil.yaml").write_text("translation: !!python/object/apply:os.system ['true']\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_registry(tmp_path / "evil.yaml")


def test_local_paths_resolve_relative_to_the_file_and_unknown_names_list_choices(tmp_path):
    registry = load_registry(write(tmp_path, minimal(model="./models/t")))
    spec = registry.get("translation")
    assert spec.is_local and spec.model == str((tmp_path / "models" / "t").resolve())
    with pytest.raises(ConfigError, match="choices: passthrough, t"):
        registry.get("translation", "nope")


def test_fingerprint_follows_output_relevant_settings_only(tmp_path):
    a = load_registry(write(tmp_path, minimal(generation={"num_beams": 4}))).get("translation")
    b = load_registry(write(tmp_path, minimal(generation={"num_beams": 5}))).get("translation")
    c = load_registry(write(tmp_path, minimal(generation={"num_beams": 4}, description="notes"))).get("translation")
    assert a.fingerprint() != b.fingerprint()
    assert a.fingerprint() == c.fingerprint()


def test_a_relative_model_path_must_stay_in_the_registry_folder(tmp_path):
    (tmp_path / "conf").mkdir()
    entry = "translation: {default: t, models: {t: {model: %s}}}\nsummarization: {default: s, models: {s: {model: org/s}}}\n"
    (tmp_path / "conf" / "models.yaml").write_text(entry % "../../etc", encoding="utf-8")
    with pytest.raises(ConfigError, match="'../../etc' leads out of the registry's folder.*Fix: give an absolute"):
        load_registry(tmp_path / "conf" / "models.yaml")
    (tmp_path / "conf" / "models.yaml").write_text(entry % str(tmp_path / "elsewhere"), encoding="utf-8")
    assert load_registry(tmp_path / "conf" / "models.yaml").get("translation").model == str(tmp_path / "elsewhere")
    (tmp_path / "conf" / "models.yaml").write_text(entry % "./inside/../model", encoding="utf-8")
    assert load_registry(tmp_path / "conf" / "models.yaml").get("translation").model == str(tmp_path / "conf" / "model")


def test_the_passthrough_translator_is_always_available(tiny_registry):
    from typer.testing import CliRunner

    from summarize.cli import app

    spec = load_registry(tiny_registry).get("translation", "passthrough")
    assert spec.backend == "passthrough" and load_registry(tiny_registry).defaults["translation"] == "tiny-t5"
    cases = Path(__file__).parent / "fixtures" / "fidelity.jsonl"
    result = CliRunner().invoke(app, ["eval", "fidelity", str(cases), "--config", str(tiny_registry)])
    assert result.exit_code == 0 and "passed (100.0%) with passthrough" in result.output


def test_profiles_change_every_entrys_decoding_and_fast_is_built_in(tmp_path, tiny_registry):
    registry = load_registry(tiny_registry)
    spec = registry.get("summarization")
    fast = registry.get("summarization", profile="fast")
    assert spec.generation["num_beams"] == 2 and fast.generation["num_beams"] == 1
    assert fast.fingerprint() != spec.fingerprint()  # cached apart
    assert {k: v for k, v in fast.generation.items() if k != "num_beams"} == {
        k: v for k, v in spec.generation.items() if k not in ("num_beams", "early_stopping", "length_penalty")}
    text = tiny_registry.read_text(encoding="utf-8").replace("./tiny-", f"{tiny_registry.parent}/tiny-")
    own = tmp_path / "models.yaml"
    own.write_text(text.replace("translation:", "profiles:\n  fast: {num_beams: 3}\n  short: {max_new_tokens: 8, "
                                "min_new_tokens: null}\ntranslation:", 1), encoding="utf-8")
    mine = load_registry(own)
    assert mine.get("translation", profile="fast").generation["num_beams"] == 3
    short = mine.get("translation", profile="short").generation
    assert short["max_new_tokens"] == 8 and "min_new_tokens" not in short
    with pytest.raises(ConfigError, match="no profile named 'slow'. Fix: add it under 'profiles:'"):
        mine.get("translation", profile="slow")
    own.write_text(text.replace("translation:", "profiles:\n  fast: {num_beams: many}\ntranslation:", 1), encoding="utf-8")
    with pytest.raises(ConfigError, match="profiles.fast: generation.num_beams must be a whole number"):
        load_registry(own)
