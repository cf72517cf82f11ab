"""The model runner and both model stages, on tiny random models (real tokenizers, real generate())."""


import pytest

from summarize.article import Article
from summarize.checks.protection import protect
from summarize.errors import ConfigError
from summarize.models.cache import Cache
from summarize.models.engines.seq2seq import Seq2Seq, _beam_cache, _cache_keyword
from summarize.models.registry import load_registry
from summarize.models.summarizer import Summarizer, derive_headline
from summarize.models.translator import Translator
from summarize.reading.cleaner import clean
from summarize.reading.segmenter import sentence_pieces

from .conftest import SEEDS


@pytest.fixture(scope="module")
def registry(tiny_registry):
    return load_registry(tiny_registry)


@pytest.fixture(scope="module")
def t5(registry):
    spec = registry.get("translation", "tiny-t5")
    return Seq2Seq(spec, spec.model)


@pytest.fixture(scope="module")
def bart(registry):
    spec = registry.get("summarization")
    return Seq2Seq(spec, spec.model)


def test_prefix_is_added_to_inputs(t5):
    assert t5.encode_text("Xin chào") == "vi: Xin chào"
    ids = t5.tokenizer([t5.encode_text("Xin chào")])["input_ids"][0]
    assert t5.tokenizer.decode(ids, skip_special_tokens=True).startswith("vi:")
    assert t5.count_tokens(["Xin chào"])[0] == len(ids)


def test_output_prefix_is_stripped(t5, registry):
    assert t5.decode_text("en: Hello world") == "Hello world"
    assert t5.decode_text("  en:Hello") == "Hello"
    assert t5.decode_text("Hello en: world") == "Hello en: world"
    marian = Seq2Seq(registry.get("translation", "tiny-marian"), registry.get("translation", "tiny-marian").model)
    assert marian.encode_text("Xin chào") == "Xin chào"
    assert marian.decode_text("en: kept") == "en: kept"  # no convention, nothing stripped


def test_generate_is_deterministic_and_keeps_input_order(t5):
    texts = ["Một câu ngắn.", "Một câu dài hơn nhiều so với câu trước đó trong danh sách này.", "Ba."]
    first = t5.generate(texts)
    assert first == t5.generate(list(texts))
    # inputs are regrouped by length internally; results still come back in the caller's order
    assert t5.generate(texts[::-1]) == first[::-1]
    assert all(isinstance(o, str) and o for o in first)


def test_inputs_over_the_limit_are_refused_not_truncated(t5):
    with pytest.raises(ValueError, match="exceeds"):
        t5.generate([" ".join(["chữ"] * 500)])


class Recording:
    """Wraps a Seq2Seq and records what it was asked to generate."""

    def __init__(self, model):
        self.model, self.spec, self.calls = model, model.spec, []

    def count_tokens(self, texts):
        return self.model.count_tokens(texts)

    def generate(self, texts, on_batch=None):
        self.calls.append(list(texts))
        return self.model.generate(texts, on_batch)


def test_a_5000_word_article_is_translated_whole(t5, tmp_path):
    paragraphs = [p for path in sorted(SEEDS.glob("*.txt")) for p in clean(path.read_text("utf-8")).body]
    long_paragraph = " ".join(paragraphs * 3)
    assert len(long_paragraph.split()) > 5000
    recorder = Recording(t5)
    translator = Translator(recorder, Cache(tmp_path))
    english, _lost, _read = translator.translate_texts([long_paragraph])
    sent = [text for call in recorder.calls for text in call]
    assert len(sent) > 50  # many sentences, each within the model's limit
    assert max(t5.count_tokens(sent)) <= t5.spec.max_input_tokens
    # the sentences are the paragraph, and every one of them went to the model (repeats once)
    pieces = sentence_pieces(long_paragraph, translator._count, t5.spec.max_input_tokens)
    assert "".join(pieces) == long_paragraph
    assert {protect(p.strip(), translator.glossary).placeholders for p in pieces} <= set(sent)
    assert english[0]


def test_articles_translated_together_share_batches_and_get_their_own_sentences(t5, tmp_path):
    paths = sorted(SEEDS.glob("*.txt"))[:3]
    alone, inputs = [], set()
    for path in paths:
        recorder = Recording(t5)
        alone += Translator(recorder, Cache(None)).translate([clean(path.read_text("utf-8"))])
        inputs |= set(recorder.calls[0])
    recorder = Recording(t5)
    together = Translator(recorder, Cache(None)).translate([clean(p.read_text("utf-8")) for p in paths])
    assert set(recorder.calls[0]) == inputs  # one call carries every article's sentences
    for one, many in zip(alone, together):
        assert (many.title_en, many.body_en, many.captions_en, many.restored) == (
            one.title_en, one.body_en, one.captions_en, one.restored)


def test_translation_is_cached_per_sentence(t5, tmp_path):
    cache = Cache(tmp_path)
    article = clean((SEEDS / "004_1010df618e4eb2a7.txt").read_text("utf-8"))
    first = Recording(t5)
    Translator(first, cache).translate([article])
    assert article.title_en and len(article.body_en) == len(article.body)
    edited = clean((SEEDS / "004_1010df618e4eb2a7.txt").read_text("utf-8"))
    edited.body[2] = "Một đoạn hoàn toàn mới được biên tập viên thêm vào."
    second = Recording(t5)
    Translator(second, cache).translate([edited])
    assert [t for call in second.calls for t in call] == ["Một đoạn hoàn toàn mới được biên tập viên thêm vào."]
    assert edited.body_en[0] == article.body_en[0] and edited.body_en[3] == article.body_en[3]


def test_long_english_is_summarized_chunk_by_chunk_then_combined(bart, tmp_path):
    recorder = Recording(bart)
    text = " ".join(f"Sentence number {i} says the talks in Geneva went on for hours." for i in range(200))
    summary = Summarizer(recorder, Cache(tmp_path)).summarize_texts([text])[0]
    assert summary
    first_round = recorder.calls[0]
    assert len(first_round) > 1  # map: every part of the text is summarized
    assert set(" ".join(first_round).split()) == set(text.split())
    assert len(recorder.calls) >= 2 and len(recorder.calls[-1]) == 1  # reduce: one final summary


def test_summaries_of_several_articles_come_from_shared_batches(bart, tmp_path):
    texts = ["The talks went on for hours in Geneva.", "Prices of rice rose for a third month.", ""]
    alone = [Summarizer(bart, Cache(None)).summarize_texts([t])[0] for t in texts]
    recorder = Recording(bart)
    assert Summarizer(recorder, Cache(None)).summarize_texts(texts) == alone
    assert recorder.calls == [texts[:2]] and alone[2] == ""


def test_the_beam_cache_changes_no_output(registry):
    """Skipping the reorder of the cross-attention cache gives what transformers' own cache gives,
    and generate() really decodes into the cache it is handed (under the keyword this
    transformers version reads)."""
    import torch

    texts = ["Một câu ngắn.", "Một câu dài hơn nhiều so với câu trước đó trong danh sách này, và còn dài nữa.", "Ba."]
    for stage, name in (("translation", "tiny-t5"), ("translation", "tiny-marian"), ("summarization", None)):
        spec = registry.get(stage, name)
        model = Seq2Seq(spec, spec.model)
        encoded = model.tokenizer(texts, return_tensors="pt", padding=True)
        settings = dict(model.settings, num_beams=4, max_new_tokens=24, min_new_tokens=0)
        with torch.inference_mode():
            reference = model.model.generate(**encoded, **settings)
            cache = _beam_cache(model.model)
            ours = model.model.generate(**encoded, **settings, **{_cache_keyword(): cache})
        assert torch.equal(reference, ours), spec.name
        assert cache.self_attention_cache.get_seq_length() > 0, spec.name


def test_int8_is_left_to_ctranslate2_and_bfloat16_runs_on_the_cpu(registry):
    """torch's dynamic quantisation is deprecated, so the transformers engine refuses int8 with
    the fix; bfloat16 on the CPU gives outputs."""
    import dataclasses

    import torch

    spec = registry.get("translation", "tiny-t5")
    with pytest.raises(ConfigError, match="does not run int8 on cpu. Fix: use backend: ctranslate2"):
        Seq2Seq(dataclasses.replace(spec, cpu_dtype="int8"), spec.model)
    from summarize.models.engines import Runtime
    from summarize.models.engines.seq2seq import Seq2SeqEngine

    with pytest.raises(ConfigError, match="does not run int8 on cpu. Fix: use backend: ctranslate2"):  # not "loading failed"
        with Seq2SeqEngine().open(dataclasses.replace(spec, cpu_dtype="int8"), spec.model, Runtime()):
            pass
    model = Seq2Seq(dataclasses.replace(spec, cpu_dtype="bfloat16"), spec.model)
    assert model.model.dtype == torch.bfloat16 and model.where == "transformers, bfloat16 on cpu"
    assert all(model.generate(["Một câu ngắn.", "Hai câu."]))


def test_summarize_fills_summary_and_headline(bart, tmp_path):
    article = Article(source="x.txt", body_en=["The talks went on. Both sides agreed to meet again."], title_en="Talks resume")
    Summarizer(bart, Cache(tmp_path)).summarize([article])
    assert article.summary and article.headline == "Talks resume"
    untitled = Article(source="y.txt", body_en=article.body_en)
    Summarizer(bart, Cache(tmp_path)).summarize([untitled])
    assert untitled.headline == derive_headline(untitled.summary)


def test_derived_headline_is_the_first_summary_sentence_shortened():
    assert derive_headline("Russia and the US agreed to talk. More followed.") == "Russia and the US agreed to talk."
    long = "One two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen."
    assert derive_headline(long) == "One two three four five six seven eight nine ten eleven twelve thirteen fourteen…"
    assert derive_headline("") == ""  # outputs show view.UNTITLED


def test_each_batch_is_reported_as_it_finishes(t5, monkeypatch):
    from summarize.settings import Tuning

    monkeypatch.setattr(t5, "tuning", Tuning(max_batch=1))
    texts = ["Một câu ngắn.", "Hai câu ngắn hơn.", "Ba."]
    seen = []
    outputs = t5.generate(texts, on_batch=lambda inputs, outs: seen.append((inputs, outs)))
    assert len(seen) == 3 and sorted(i for inputs, _ in seen for i in inputs) == sorted(texts)
    assert all(outs == [outputs[texts.index(inputs[0])]] for inputs, outs in seen)


def test_translations_are_cached_batch_by_batch_so_a_crash_keeps_them(t5, tmp_path):
    class CrashAfterFirstBatch(Recording):
        def generate(self, texts, on_batch=None):
            self.model.generate(texts[:2], on_batch)
            raise RuntimeError("killed")

    sentences = ["Một câu ngắn.", "Hai câu ngắn hơn.", "Ba câu nữa ở đây."]
    with pytest.raises(RuntimeError):
        Translator(CrashAfterFirstBatch(t5), Cache(tmp_path)).translate_texts([" ".join(sentences)])
    recorder = Recording(t5)
    Translator(recorder, Cache(tmp_path)).translate_texts([" ".join(sentences)])
    assert [t for call in recorder.calls for t in call] == [sentences[2]]  # the first batch came from the cache


def test_on_a_gpu_batches_are_sized_from_free_memory_across_the_whole_day(t5, monkeypatch):
    """Simulated (no GPU here): a bigger card gets a proportionally bigger padded-token budget,
    never less than the CPU's, up to 512 sequences, and the day is one group."""
    import torch

    from summarize.models.engines.seq2seq import CUDA_MAX_BATCH, _cuda_tuning
    from summarize.settings import Tuning

    def budget(free_gb: float) -> Tuning:
        monkeypatch.setattr(torch.cuda, "mem_get_info", lambda: (int(free_gb * 1e9), int(free_gb * 1e9)))
        return _cuda_tuning(t5.model, t5.spec, Tuning())

    laptop, h100 = budget(6), budget(75)
    assert laptop.group is None and laptop.max_batch == CUDA_MAX_BATCH
    assert h100.batch_tokens == pytest.approx(laptop.batch_tokens * 75 / 6, rel=0.01)
    assert budget(0.001).batch_tokens == Tuning().batch_tokens


def test_an_instruction_model_sizes_gpu_batches_and_splits_a_batch_that_runs_out_of_memory(registry, monkeypatch):
    """The memory-sized batches and the split-and-retry of the seq2seq models hold for the
    decoder-only ones (simulated: no GPU here)."""
    import torch

    from summarize.models.engines.seq2seq import CUDA_MAX_BATCH, Causal, _cuda_tuning
    from summarize.settings import Tuning

    spec = registry.get("summarization", "tiny-llm")
    model = Causal(spec, spec.model)
    monkeypatch.setattr(torch.cuda, "mem_get_info", lambda: (int(6e9), int(6e9)))
    assert _cuda_tuning(model.model, spec, Tuning()).max_batch == CUDA_MAX_BATCH
    prompts = [spec.prompt["user"].format(text=t, headline="", length="") for t in ("Một.", "Hai câu ngắn.", "Ba câu rất ngắn.")]
    alone = [model.generate([p])[0] for p in prompts]
    original, calls = Causal._generate_batch, []

    def small_card(self, inputs):
        calls.append(len(inputs))
        if len(inputs) > 1:
            raise torch.cuda.OutOfMemoryError("CUDA out of memory")
        return original(self, inputs)

    monkeypatch.setattr(Causal, "_generate_batch", small_card)
    monkeypatch.setattr(Causal, "_recover", lambda self: None)
    model.tuning = Tuning(batch_tokens=100_000, max_batch=8)
    assert model.generate(prompts) == alone and calls[0] == 3 and max(calls[1:]) == 1
