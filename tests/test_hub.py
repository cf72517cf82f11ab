import pytest

from summarize.errors import ModelUnavailable, SummarizeError
from summarize.models.hub import local_path, resolve
from summarize.models.registry import ModelSpec


def test_missing_local_model(tmp_path):
    spec = ModelSpec(name="mine", stage="translation", model=str(tmp_path / "absent"))
    assert local_path(spec) is None
    with pytest.raises(ModelUnavailable, match="'mine'.*no model \\(config.json\\) in that directory"):
        resolve(spec)


def test_offline_hub_model_is_unavailable_without_network(monkeypatch, tmp_path):
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path))
    spec = ModelSpec(name="envit5", stage="translation", model="VietAI/envit5-translation", revision="main")
    with pytest.raises(ModelUnavailable, match="offline mode is on. Fix: run `summarize models pull envit5`") as info:
        resolve(spec, offline=True)
    assert isinstance(info.value, SummarizeError) and info.value.exit_code == 2
    assert info.value.fix.startswith("run `summarize models pull envit5`")
