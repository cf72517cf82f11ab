"""The engines table and interface, with a mock engine (no torch): registration, validation,
and every stage of a run driven through it."""

import pytest

from summarize import Session, Settings, engines
from summarize.errors import ConfigError
from summarize.registry import load_registry
from summarize.settings import Tuning
from summarize.testing import MockEngine, mock_registry

DAY = "2026-11-22"


def test_built_in_engines_register_like_any_other():
    assert {"transformers", "passthrough"} <= set(engines.names())
    assert engines.get("passthrough").files is False and engines.get("transformers").files is True


def test_a_new_backend_is_one_registration_and_the_registry_accepts_it(mock, tmp_path):
    registry = load_registry(mock_registry(tmp_path / "models.yaml"))
    spec = registry.get("translation")
    assert spec.backend == "mock" and spec.model == "mock"  # no files: nothing to locate
    engines._TABLE.pop("mock")
    with pytest.raises(ConfigError, match="'backend' must be one of transformers, passthrough"):
        load_registry(tmp_path / "models.yaml")
    engines.register("mock", mock)


def test_open_releases_the_model_when_the_stage_ends(tmp_path):
    released = []

    class Tracked(MockEngine):
        def release(self, model):
            released.append(model)

    engine = Tracked()
    spec = load_registry(mock_registry(tmp_path / "m.yaml", "passthrough", "passthrough")).get("translation")
    with engine.open(spec, None, Tuning()) as model:
        assert model.generate(["xin chào"]) == ["XIN CHÀO"] and not released
    assert released == [model]
    with pytest.raises(RuntimeError), engine.open(spec, None, Tuning()):
        raise RuntimeError("a failing stage still releases")
    assert len(released) == 2


def test_a_whole_run_through_a_mock_engine(mock, workdir, seeds):
    session = Session(Settings.resolve(config=mock_registry(workdir / "models.yaml"), cache_dir=workdir / "cache"))
    report = session.run(seeds, date=DAY)
    assert report.exit_code() == 0 and len(report.articles) == 5 and report.from_cache == 0
    article = next(a for a in report.articles if a.source.endswith("000_9c3b35b1af95fb0e.txt"))
    # translation: one sentence per input, figures as placeholders, glossary terms already in English
    sentences = [t for call in mock.calls for t in call]
    assert any("[1]" in t for t in sentences) and any("RUSSIA" in t.upper() for t in sentences)
    assert "RA SUỐT 6 months QUA" in article.body_en[0]  # the model's output, its placeholder restored
    # the English of the translation went on to the summarizer, and the checks ran
    assert article.summary and article.sentences and article.headline == article.title_en
    calls = len(mock.calls)
    again = session.run(seeds, date=DAY)
    assert again.from_cache == 5 and len(mock.calls) == calls  # cached: no model call


def test_groups_follow_the_tuning(mock, workdir, seeds):
    settings = Settings.resolve(config=mock_registry(workdir / "models.yaml"), no_cache=True)
    Session(settings).run(seeds, date=DAY)
    together = len(mock.calls)
    mock.calls.clear()
    Session(Settings(settings.config, settings.glossaries, None, tuning=Tuning(group=1))).run(seeds, date=DAY)
    assert len(mock.calls) > together  # one article at a time: more, smaller calls
