import pytest

from summarize.article import Article
from summarize.cache import Cache, make_key
from summarize.fidelity import Glossary
from summarize.hub import ModelUnavailable, local_path, resolve
from summarize.pipeline import article_key
from summarize.reader import ReadError, decode
from summarize.registry import ModelSpec


def test_cache_roundtrip_and_disabled_cache(tmp_path):
    cache = Cache(tmp_path)
    cache.put("summary", "k", "text")
    assert Cache(tmp_path).get("summary", "k") == "text"
    assert Cache(tmp_path).get("chunk", "k") is None
    off = Cache(None)
    off.put("summary", "k", "text")
    assert off.get("summary", "k") is None and off.stats() == {"bytes": 0}


def test_article_key_depends_on_text_and_models():
    t = ModelSpec(name="t", stage="translation", model="org/t", revision="main", generation={"num_beams": 4})
    s = ModelSpec(name="s", stage="summarization", model="org/s", revision="main")
    a = Article(source="a.txt", title="T", body=["Một."])
    g = Glossary({"Nga": "Russia"})
    base = article_key(a, t, s, g)
    assert base == article_key(Article(source="elsewhere.txt", title="T", body=["Một."]), t, s, g)
    assert base != article_key(Article(source="a.txt", title="T", body=["Hai."]), t, s, g)
    other_revision = ModelSpec(name="t", stage="translation", model="org/t", revision="abc", generation={"num_beams": 4})
    assert base != article_key(a, other_revision, s, g)
    assert base != article_key(a, t, s, Glossary({"Nga": "Russian Federation"}))
    assert make_key(1, "a") != make_key("1", "a")


def test_missing_local_model(tmp_path):
    spec = ModelSpec(name="mine", stage="translation", model=str(tmp_path / "absent"))
    assert local_path(spec) is None
    with pytest.raises(ModelUnavailable, match="'mine'.*no model \\(config.json\\) in that directory"):
        resolve(spec)


def test_offline_hub_model_is_unavailable_without_network(monkeypatch, tmp_path):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path))
    spec = ModelSpec(name="envit5", stage="translation", model="VietAI/envit5-translation", revision="main")
    with pytest.raises(ModelUnavailable, match="offline mode is on. Fix: run `summarize models pull envit5`"):
        resolve(spec)


@pytest.mark.parametrize(
    "data, text, encoding",
    [
        ("Tin thế giới".encode("utf-8"), "Tin thế giới", "utf-8"),
        (b"\xef\xbb\xbf" + "Tin thế giới".encode("utf-8"), "Tin thế giới", "utf-8-sig"),
        ("\ufeffTin thế giới".encode("utf-16-le"), "Tin thế giới", "utf-16-le"),
        ("\ufeffTin thế giới".encode("utf-16-be"), "Tin thế giới", "utf-16-be"),
    ],
)
def test_decoding(data, text, encoding):
    decoded = decode(data)
    assert decoded.text.lstrip("\ufeff") == text and decoded.encoding == encoding


def test_binary_is_refused():
    with pytest.raises(ReadError, match="a PNG image"):
        decode(b"\x89PNG\r\n\x1a\n...")
