import time
from pathlib import Path

import pytest

from summarize.checks.glossary import load_glossary
from summarize.config import read_yaml, shipped
from summarize.errors import ConfigError
from summarize.models.registry import load_registry
from summarize.settings import SHIPPED_GLOSSARIES, Settings, Tuning


def test_shipped_data_is_inside_the_package():
    for name in ("models.yaml", *SHIPPED_GLOSSARIES):
        path = shipped(name)
        assert path.is_file() and path.parent.parent.name == "summarize"


def test_defaults_without_options_or_environment(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no ./models.yaml here
    settings = Settings.resolve(env={})
    assert settings.config == shipped("models.yaml")
    shipped_glossaries = tuple(map(shipped, SHIPPED_GLOSSARIES))
    assert settings.glossaries == shipped_glossaries and shipped_glossaries[-1].name == "glossary.yaml"  # the hand-made one wins
    assert settings.cache_dir is not None and settings.cache_dir.name == "summarize"
    assert settings.offline is False and settings.tuning == Tuning()
    assert Settings() == Settings(config=shipped("models.yaml"), glossaries=shipped_glossaries)


def test_options_beat_environment_beat_working_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("models.yaml").write_text("x", encoding="utf-8")
    env = {"SUMMARIZE_CONFIG": "env.yaml", "SUMMARIZE_CACHE_DIR": "env-cache", "SUMMARIZE_GLOSSARY": "env-terms.yaml",
           "HF_HUB_OFFLINE": "1"}
    assert Settings.resolve(env={}).config == Path("models.yaml")
    from_env = Settings.resolve(env=env)
    assert from_env.config == Path("env.yaml") and from_env.cache_dir == Path("env-cache") and from_env.hub_offline
    assert not from_env.offline and from_env.no_downloads  # the hub's switch stops downloads, not fetching
    shipped_glossaries = tuple(map(shipped, SHIPPED_GLOSSARIES))
    assert from_env.glossaries == (*shipped_glossaries, Path("env-terms.yaml"))
    given = Settings.resolve(config=Path("mine.yaml"), glossaries=[Path("a.yaml")], cache_dir=Path("c"), env=env)
    assert given.config == Path("mine.yaml") and given.cache_dir == Path("c")
    assert given.glossaries == (*shipped_glossaries, Path("env-terms.yaml"), Path("a.yaml"))  # in order
    assert Settings.resolve(cache_dir=Path("c"), no_cache=True, env=env).cache_dir is None


def test_naive_tuning_is_one_sentence_at_a_time():
    naive = Tuning.naive()
    assert naive.max_batch == 1 and naive.group == 1 and naive.reorder_cross_cache


BOMB = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 10)}]\n" for i in range(8))


def test_config_files_refuse_a_yaml_bomb_quickly_but_allow_anchors(tmp_path):
    (tmp_path / "bomb.yaml").write_text(BOMB + "translation: *i\n", encoding="utf-8")  # 10^9 values
    start = time.perf_counter()
    with pytest.raises(ConfigError, match="aliases expand to over 2,000,000 values"):
        load_registry(tmp_path / "bomb.yaml")
    with pytest.raises(ConfigError, match="aliases expand"):
        load_glossary(tmp_path / "bomb.yaml")
    assert time.perf_counter() - start < 2
    (tmp_path / "deep.yaml").write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid YAML"):
        read_yaml(tmp_path / "deep.yaml", "model registry")
    shared = ("generation: &g {num_beams: 2}\ntranslation: {default: a, models: {a: {model: org/a, generation: *g}}}\n"
              "summarization: {default: b, models: {b: {model: org/b, generation: *g}}}\n")
    (tmp_path / "anchors.yaml").write_text(shared, encoding="utf-8")
    assert load_registry(tmp_path / "anchors.yaml").get("summarization").generation == {"num_beams": 2}
