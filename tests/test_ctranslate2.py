"""The CTranslate2 engine on tiny models: conversion once into a keyed folder, the same family
conventions as the transformers engine (prefixes, forced first and last tokens, language
tokens), the figure placeholders and their fallback, int8, batches decoded side by side."""

import dataclasses
from pathlib import Path

import pytest

from summarize.checks.glossary import Glossary
from summarize.errors import ConfigError
from summarize.models.cache import Cache
from summarize.models.engines import Runtime
from summarize.models.engines import ctranslate2 as engine
from summarize.models.engines.ctranslate2 import CTranslate2Model, convert
from summarize.models.engines.seq2seq import Seq2Seq
from summarize.models.registry import load_registry
from summarize.models.translator import Translator
from summarize.settings import Tuning

TEXTS = ["Một câu ngắn.", "Nga và Mỹ nối lại đàm phán về vũ khí hạt nhân tại Geneva hôm nay.", "Ba."]


@pytest.fixture(scope="module")
def registry(tiny_registry):
    return load_registry(tiny_registry)


@pytest.fixture()
def runtime(models_dir) -> Runtime:
    return Runtime(store=models_dir)


@pytest.mark.parametrize("name", ["tiny-t5", "tiny-marian", "tiny-bart"])
@pytest.mark.parametrize("greedy", [True, False])
def test_outputs_equal_the_transformers_engine_in_float32(registry, runtime, name, greedy):
    """Same tokens in, same decoding rules: T5's `vi: ` prefix, Marian's decoder start, BART's
    forced first and last tokens and no_repeat_ngram_size all carry over. (Greedy, and the
    entries' beam of 2; with wider beams, near-ties between random-weight hypotheses can break
    differently in the two engines' arithmetic.)"""
    stage = "summarization" if name == "tiny-bart" else "translation"
    spec = registry.get(stage, name, "fast" if greedy else None)
    expected = Seq2Seq(spec, Path(spec.model), runtime).generate(TEXTS)
    model = CTranslate2Model(spec, Path(spec.model), runtime)
    assert model.generate(TEXTS) == expected
    assert model.where == "ctranslate2, float32 on cpu"


def test_a_target_language_token_starts_every_output_as_in_transformers(registry, runtime):
    """mBART/NLLB entries name a language token the output must start with."""
    spec = registry.get("translation", "tiny-marian")
    spec = dataclasses.replace(spec, target_lang="▁Nga", target_lang_via="forced_bos")
    model = CTranslate2Model(spec, Path(spec.model), runtime)
    assert model.prefix == ["▁Nga"]
    assert model.generate(TEXTS) == Seq2Seq(spec, Path(spec.model), runtime).generate(TEXTS)


def test_a_model_is_converted_once_into_a_folder_keyed_by_model_and_format(registry, tmp_path, caplog):
    spec = registry.get("translation", "tiny-t5")
    caplog.set_level("INFO", logger="summarize")
    first = convert(spec, Path(spec.model), "int8", tmp_path)
    assert "converting" in caplog.text and (first / "model.bin").is_file()
    caplog.clear()
    assert convert(spec, Path(spec.model), "int8", tmp_path) == first and "converting" not in caplog.text
    other = convert(spec, Path(spec.model), "float32", tmp_path)
    assert other != first and other.name.startswith("tiny-t5-float32-")
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_dir()) == sorted([first.name, other.name])  # no leftovers


def test_a_changed_local_model_is_converted_again(registry, tmp_path):
    import shutil

    spec = registry.get("translation", "tiny-t5")
    copy = shutil.copytree(spec.model, tmp_path / "tiny-t5")
    spec = dataclasses.replace(spec, model=str(copy))
    first = convert(spec, copy, "float32", tmp_path / "store")
    (copy / "config.json").write_text((copy / "config.json").read_text() + "\n")
    assert convert(spec, copy, "float32", tmp_path / "store") != first


def test_placeholders_and_the_fidelity_fallback_work_unchanged(registry, runtime):
    """Figures and glossary terms go through the model as placeholders; a random model loses
    them, so the fallback (inline English, then repair and append) runs: the same as with the
    transformers engine."""
    spec = registry.get("translation", "tiny-t5")
    glossary = Glossary({"Nga": "Russia"})
    texts = ["Ngày 17/12, Nga chi 2,5 tỷ USD cho 1.200 km đường sắt."]
    ours = Translator(CTranslate2Model(spec, Path(spec.model), runtime), Cache(None), glossary).translate_texts(texts)
    theirs = Translator(Seq2Seq(spec, Path(spec.model), runtime), Cache(None), glossary).translate_texts(texts)
    assert ours == theirs
    english, lost, _read = ours
    assert lost[0] and all(f in english[0] for f in lost[0])  # the fallback ran: figures appended


def test_int8_runs_and_says_so(registry, runtime):
    spec = dataclasses.replace(registry.get("translation", "tiny-t5"), cpu_dtype="int8")
    model = CTranslate2Model(spec, Path(spec.model), runtime)
    assert model.where == "ctranslate2, int8 on cpu" and all(model.generate(TEXTS))


def test_a_format_the_machine_cannot_run_is_a_config_error_with_the_choices(registry, runtime, monkeypatch):
    import ctranslate2

    monkeypatch.setattr(ctranslate2, "get_supported_compute_types", lambda device: {"float32", "int8"})
    spec = dataclasses.replace(registry.get("translation", "tiny-t5"), cpu_dtype="bfloat16")
    with pytest.raises(ConfigError, match="cannot run bfloat16 on this cpu. Fix: set cpu_dtype to one of float32, int8"):
        CTranslate2Model(spec, Path(spec.model), runtime)


@pytest.mark.parametrize(("device", "batch_threads", "expected"),
                         [("cpu", 1, (4, 1)), ("cpu", 2, (2, 2)), ("cpu", None, (1, 4)), ("cpu", 8, (1, 4)),
                          ("cuda", 1, (1, 0))])
def test_cpu_cores_are_shared_out_to_batches_decoded_side_by_side(monkeypatch, device, batch_threads, expected):
    """(batches at once, threads each): on a CPU one core per batch by default; on a GPU one
    batch at a time."""
    monkeypatch.setattr(engine, "physical_cores", lambda: 4)
    assert engine._threads(device, batch_threads) == expected


def test_batches_decoded_side_by_side_are_reported_in_order_with_the_same_outputs(registry, models_dir, monkeypatch):
    """Two workers decode at once; each batch still reaches on_batch (the cache) in order, as it
    would one at a time, and the outputs are the same."""
    monkeypatch.setattr(engine, "physical_cores", lambda: 2)
    spec = registry.get("translation", "tiny-t5")
    texts = [f"Câu thứ {i} nói về Hà Nội và {'mưa ' * (i % 5)}." for i in range(11)]
    results = {}
    for batch_threads in (1, None):
        model = CTranslate2Model(spec, Path(spec.model), Runtime(tuning=Tuning(max_batch=2, batch_threads=batch_threads),
                                                                 store=models_dir))
        seen = []
        outputs = model.generate(texts, on_batch=lambda inputs, outs, seen=seen: seen.append((inputs, outs)))
        results[model.workers] = outputs, seen
    assert set(results) == {1, 2}
    assert results[2] == results[1]  # same outputs, same batches, reported in the same order
    outputs, seen = results[2]
    assert len(seen) == 6 and [o for _, outs in seen for o in outs] == [outputs[texts.index(i)] for inputs, _ in seen for i in inputs]


@pytest.mark.parametrize("name", ["tiny-llm", "tiny-llm-vi"])
def test_an_instruction_model_answers_alike_in_both_engines(registry, runtime, name):
    """The tiny Qwen2 through its chat template: CTranslate2's Generator (the prompt forwarded,
    not in the result) gives the transformers engine's greedy answers, batched with left
    padding, each cut off at the output limit marked so."""
    from summarize.models.engines.batched import CUT_OFF
    from summarize.models.engines.ctranslate2 import CTranslate2Chat
    from summarize.models.engines.seq2seq import Causal

    spec = registry.get("summarization", name)
    prompts = [spec.prompt["user"].format(text=text, headline="Tin", length="3 câu") for text in TEXTS]
    expected = Causal(spec, Path(spec.model), runtime).generate(prompts)
    model = CTranslate2Chat(spec, Path(spec.model), runtime)
    assert model.generate(prompts) == expected
    assert all(answer.endswith(CUT_OFF) and answer.strip(CUT_OFF) for answer in expected)  # random weights never end a turn
    assert model.count_tokens(prompts[:1])[0] > len(model.tokenizer(prompts[0])["input_ids"])  # the template counts
    assert model.encode_text("x").startswith("<|im_start|>system\nYou are a news editor")
    assert model.where == "ctranslate2, float32 on cpu"


def test_an_answer_that_ends_its_turn_is_not_marked_cut_off(registry, runtime):
    """The end of a turn is read from the tokens: a Generator result that ends with
    <|im_end|> is whole, one at the limit without it is cut off."""
    from summarize.models.engines.batched import CUT_OFF
    from summarize.models.engines.ctranslate2 import CTranslate2Chat

    spec = registry.get("summarization", "tiny-llm")
    model = CTranslate2Chat(spec, Path(spec.model), runtime)
    words = model.tokenizer("Talks resumed in Geneva", add_special_tokens=False)["input_ids"]
    end = model.tokenizer.convert_tokens_to_ids("<|im_end|>")
    limit = model.options["max_length"]
    result = type("Result", (), {})
    whole, cut = result(), result()
    whole.sequences_ids, cut.sequences_ids = [words + [end]], [(words * limit)[:limit]]
    assert model._decoded([whole, cut]) == ["Talks resumed in Geneva", model.tokenizer.decode(cut.sequences_ids[0]) + CUT_OFF]
