"""The summarizer's instruction-model path without torch (MockEngine): the style's prompt with
the article's text, headline and length; a whole article at once below the input limit and
map-reduce above it; `reads: source`; answers cut off, empty or not in English flagged; the
answer cleaned of reasoning and preambles; each style cached apart."""

import dataclasses

import pytest

from summarize.article import Article
from summarize.checks import check, summary_sentences
from summarize.models.cache import Cache
from summarize.models.engines import Runtime, Tuning
from summarize.models.engines.batched import CUT_OFF, ChatModel
from summarize.models.registry import load_registry
from summarize.models.summarizer import Summarizer, answer_problems
from summarize.testing import MockEngine

from .conftest import ROOT

ENGLISH = ["Russia and the United States resumed talks on nuclear weapons in Geneva on Tuesday, officials said.",
           "The two sides agreed to meet again in March, according to the foreign ministry of Russia."]


def spec(name: str = "qwen2.5-1.5b", style: str | None = None, **changes):
    entry = load_registry(ROOT / "models.yaml").get("summarization", name, style=style)
    return dataclasses.replace(entry, backend="mock", **changes)


def summarizer(entry, transform=lambda text: "The talks resumed in Geneva and will go on in March, the officials said.",
               cache: Cache | None = None) -> tuple[Summarizer, MockEngine]:
    engine = MockEngine(transform)
    return Summarizer(engine.load(entry, None, Runtime()), cache or Cache(None)), engine


def article(**fields) -> Article:
    defaults = dict(title="Nga và Mỹ nối lại đàm phán", title_en="Russia and US resume talks",
                    body=["Nga và Mỹ nối lại đàm phán.", "Hai bên sẽ gặp lại vào tháng 3."], body_en=ENGLISH)
    return Article(source="a.txt", **{**defaults, **fields})


def test_the_style_prompt_carries_the_article_its_headline_and_the_wanted_length():
    stage, engine = summarizer(spec(style="bullets"))
    done = stage.summarize([article()])[0]
    (prompt,) = engine.calls[0]  # one call: the whole article fits the input limit
    assert "3 to 5 bullet points" in prompt and "Headline: Russia and US resume talks" in prompt
    assert ENGLISH[0] in prompt and ENGLISH[1] in prompt and "Nga và Mỹ" not in prompt
    assert done.summary.startswith("The talks resumed") and done.summary_problems == []


def test_reads_source_gives_the_model_the_vietnamese_article_and_its_own_headline():
    stage, engine = summarizer(spec("qwen2.5-1.5b-vi"))
    stage.summarize([article()])
    (prompt,) = engine.calls[0]
    assert "Headline: Nga và Mỹ nối lại đàm phán" in prompt and "Hai bên sẽ gặp lại vào tháng 3." in prompt
    assert ENGLISH[0] not in prompt


def test_above_the_input_limit_the_same_prompt_is_used_chunk_by_chunk_then_on_the_partials():
    long_text = [f"Paragraph {n} says the talks in Geneva went on for a long time with many delegates." for n in range(60)]
    stage, engine = summarizer(spec(max_input_tokens=400), transform=lambda text: "Talks went on in Geneva.")
    done = stage.summarize([article(body=["x"] * 60, body_en=long_text)])[0]
    assert len(engine.calls) == 2 and len(engine.calls[0]) > 1  # chunks first, then their partial summaries
    assert all("Headline: Russia and US resume talks" in prompt for call in engine.calls for prompt in call)
    assert done.summary == "Talks went on in Geneva."


@pytest.mark.parametrize("answer, problems", [
    ("A full answer in English that the model ended on its own, as it should.", []),
    ("An answer in English that ran on and on until the model was stopped at" + CUT_OFF, ["cut off at the output limit"]),
    ("   ", ["empty answer"]),
    ("Nga và Mỹ đã nối lại đàm phán về vũ khí hạt nhân tại Geneva hôm thứ Ba.", ["not in English"]),
])
def test_an_answer_that_is_cut_off_empty_or_not_english_is_flagged_not_printed_as_fine(answer, problems):
    assert answer_problems(answer) == problems
    stage, _ = summarizer(spec(), transform=lambda text: answer)
    done = check(stage.summarize([article()])[0])
    assert CUT_OFF not in done.summary
    assert [f["text"] for f in done.flags if f["kind"] == "answer"] == problems


def test_a_seq2seq_summary_is_never_judged_as_an_answer():
    stage, engine = summarizer(spec("distilbart-cnn"), transform=lambda text: "Nga và Mỹ đàm phán.")
    done = stage.summarize([article()])[0]
    assert engine.calls[0] == [" ".join(ENGLISH)] and done.summary_problems == []  # the text as it is, no prompt


def test_each_style_is_cached_under_its_own_key(tmp_path):
    cache = Cache(tmp_path)
    for style, answer in (("paragraph", "A paragraph about the talks."), ("line", "One line about the talks.")):
        stage, engine = summarizer(spec(style=style), transform=lambda text, answer=answer: answer, cache=cache)
        assert stage.summarize([article()])[0].summary == answer
    again, engine = summarizer(spec(style="paragraph"), transform=lambda text: "never asked", cache=cache)
    assert again.summarize([article()])[0].summary == "A paragraph about the talks." and engine.calls == []


class _Chat(ChatModel):
    """A ChatModel on a stand-in tokenizer, to read what it sends and what it keeps."""

    class Tokenizer:
        def apply_chat_template(self, messages, tokenize, add_generation_prompt):
            assert not tokenize and add_generation_prompt
            return "".join(f"<{m['role']}>{m['content']}" for m in messages) + "<assistant>"

    tokenizer = Tokenizer()


def test_the_chat_template_gets_the_system_and_user_messages_and_answers_are_cleaned():
    chat = _Chat(spec(), Runtime(tuning=Tuning()))
    assert chat.encode_text("Summarize: X").startswith("<system>You are a news editor")
    assert chat.encode_text("Summarize: X").endswith("<user>Summarize: X<assistant>")
    assert chat.decode_text("<think>the user wants a summary</think>\n\nHere is a summary of the article:\nTalks resumed.") \
        == "Talks resumed."
    assert chat.decode_text("Sure! Here's the summary:\n- One.\n- Two." + CUT_OFF) == "- One.\n- Two." + CUT_OFF
    assert chat.decode_text("**Summary:** Talks resumed in Geneva.") == "Talks resumed in Geneva."
    assert chat.decode_text("Here is what happened in Geneva on Tuesday: talks resumed.") \
        == "Here is what happened in Geneva on Tuesday: talks resumed."  # a sentence, not a preamble
    assert chat.decode_text("<think>unfinished reasoning that never ends") == ""  # no answer at all


def test_bullet_answers_are_checked_point_by_point_and_listed_in_the_brief(tmp_path):
    from summarize.outputs.brief import render
    from summarize.outputs.view import of

    from .conftest import day_of

    done = check(article(summary="- Russia and the US resumed talks in Geneva.\n- They meet again in March."))
    assert summary_sentences(done.summary) == done.sentences == [
        "Russia and the US resumed talks in Geneva.", "They meet again in March."]
    brief = render(of(day_of(tmp_path, "2026-11-22", done)))
    assert "\n\n- Russia and the US resumed talks in Geneva.\n- They meet again in March.\n" in brief
    assert all(done.support)  # each point linked to its paragraph


def test_figures_read_in_the_vietnamese_source_support_a_summary_that_read_it():
    """A summary from the source may write a figure the translation renders otherwise."""
    done = check(article(body=["Giá lúa tăng 1.550 đồng mỗi kg."], body_en=["Rice prices rose sharply."],
                         summary="Rice rose by 1,550 dong per kilogram."))
    assert not [f for f in done.flags if f["kind"] == "figure"]
    flagged = check(article(body=["Giá lúa tăng mạnh."], body_en=["Rice prices rose sharply."],
                            summary="Rice rose by 1,550 dong per kilogram."))
    assert [f["text"] for f in flagged.flags if f["kind"] == "figure"] == ["1,550"]
    # a run's articles carry the figures the translator read; the body is then not read again
    read = check(article(body=["Giá lúa tăng mạnh."], body_en=["Rice prices rose sharply."], figures=["1,550 dong"],
                         summary="Rice rose by 1,550 dong per kilogram."))
    assert not [f for f in read.flags if f["kind"] == "figure"]


def test_partial_summaries_that_say_nothing_end_the_rounds_instead_of_failing():
    """Chunk summaries that come back empty leave nothing to summarize again: the summary is
    empty (and judged so), not an IndexError."""
    long_text = [f"Paragraph {n} says the talks in Geneva went on for a long time with many delegates." for n in range(60)]
    stage, engine = summarizer(spec(max_input_tokens=400), transform=lambda text: "")
    done = stage.summarize([article(body=["x"] * 60, body_en=long_text)])[0]
    assert done.summary == "" and done.summary_problems == ["empty answer"] and len(engine.calls) == 1
