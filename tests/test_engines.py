"""The engines table and interface, with a mock engine (no torch): registration, validation,
and every stage of a run driven through it."""

import pytest

from summarize import Session, Settings
from summarize.errors import ConfigError
from summarize.models import engines
from summarize.models.registry import load_registry
from summarize.settings import Tuning
from summarize.testing import MockEngine, mock_registry

DAY = "2026-11-22"


def test_built_in_engines_register_like_any_other():
    assert {"auto", "transformers", "ctranslate2", "passthrough"} <= set(engines.names())
    assert engines.get("passthrough").files is False and engines.get("transformers").files is True
    assert engines.get("ctranslate2").files is True


def test_a_new_backend_is_one_registration_for_as_long_as_it_is_registered(tmp_path):
    with engines.registered("mock", MockEngine()):
        registry = load_registry(mock_registry(tmp_path / "models.yaml"))
        spec = registry.get("translation")
        assert spec.backend == "mock" and spec.model == "mock"  # no files: nothing to locate
    with pytest.raises(ConfigError, match="'backend' must be one of auto, transformers, ctranslate2, passthrough$"):
        load_registry(tmp_path / "models.yaml")
    measured = MockEngine()
    with engines.registered("transformers", measured):  # a built-in engine replaced for the block only
        assert engines.get("transformers") is measured
    assert engines.get("transformers") is not measured and engines.get("transformers").files


def test_open_releases_the_model_when_the_stage_ends(tmp_path):
    released = []

    class Tracked(MockEngine):
        def release(self, model):
            released.append(model)

    engine = Tracked()
    spec = load_registry(mock_registry(tmp_path / "m.yaml", "passthrough", "passthrough")).get("translation")
    with engine.open(spec, None, engines.Runtime()) as model:
        assert model.generate(["xin chào"]) == ["XIN CHÀO"] and not released
    assert released == [model]
    with pytest.raises(RuntimeError), engine.open(spec, None, engines.Runtime()):
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


def test_the_device_is_chosen_without_torch_on_a_machine_without_nvidia(monkeypatch):
    import subprocess
    import sys

    code = ("import sys, ctypes.util; ctypes.util.find_library = lambda name: None; "
            "from summarize.models import engines; print(engines.resolve_device('auto'), engines.resolve_device('cpu'), "
            "'torch' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["cpu", "cpu", "False"]


def test_asking_for_cuda_without_a_gpu_is_a_config_error_with_the_fix():
    torch = pytest.importorskip("torch")
    if torch.cuda.is_available():
        pytest.skip("this machine has a CUDA GPU")
    with pytest.raises(ConfigError, match="torch sees no CUDA GPU on this machine. Fix: install a CUDA build of torch"):
        engines.resolve_device("cuda")
    assert engines.resolve_device("auto") == "cpu"


def test_an_unknown_device_is_a_config_error_not_a_silent_cpu_run():
    with pytest.raises(ConfigError, match="device gpu: no such device. Fix: use one of auto, cpu, cuda"):
        engines.resolve_device("gpu")


def test_auto_is_ctranslate2_on_a_cpu_and_transformers_on_a_gpu():
    assert type(engines.get("auto", "cpu")).__name__ == "CTranslate2Engine"
    assert type(engines.get("auto", "cuda")).__name__ == "Seq2SeqEngine"


def test_the_run_summary_says_where_each_model_ran(workdir, seeds, tiny_registry):
    from typer.testing import CliRunner

    from summarize.cli import app

    result = CliRunner().invoke(app, ["run", str(seeds), "--config", str(tiny_registry), "--date", DAY,
                                      "--device", "cpu"], terminal_width=300)
    assert result.exit_code == 0, result.output
    assert "tiny-t5: ctranslate2, float32 on cpu; tiny-bart: ctranslate2, float32 on cpu" in result.output
    again = CliRunner().invoke(app, ["run", str(seeds), "--config", str(tiny_registry), "--date", DAY, "--fast",
                                     "--backend", "transformers"], terminal_width=300)
    assert again.exit_code == 0, again.output
    assert "(0 from cache)" in again.output  # greedy decoding is its own cache identity
    assert "tiny-t5: transformers, float32 on cpu" in again.output
