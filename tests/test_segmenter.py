from hypothesis import given, settings
from hypothesis import strategies as st

from summarize.reading.cleaner import clean
from summarize.reading.segmenter import chunk, sentence_pieces, split_sentences

from .conftest import SEEDS


def words(texts):
    """A stand-in tokenizer: one token per word plus an end-of-sequence token."""
    return [len(t.split()) + 1 for t in texts]


def test_splits_vietnamese_sentences_and_keeps_numbers_and_abbreviations_whole():
    text = (
        "New START được ký năm 2010, giới hạn 1.550 đầu đạn. Hiệp ước này sẽ hết hạn vào ngày 5.2. "
        "PGS.TS. Lê Văn Cương nói: “Sẽ có chiến tranh!” Ông J. Biden đồng ý… Moskva bác bỏ."
    )
    assert split_sentences(text) == [
        "New START được ký năm 2010, giới hạn 1.550 đầu đạn.",
        "Hiệp ước này sẽ hết hạn vào ngày 5.2.",
        "PGS.TS. Lê Văn Cương nói: “Sẽ có chiến tranh!”",
        "Ông J. Biden đồng ý…",
        "Moskva bác bỏ.",
    ]


def test_sentences_rejoin_to_every_seed_paragraph():
    for path in sorted(SEEDS.glob("*.txt")):
        for paragraph in clean(path.read_text(encoding="utf-8")).body:
            assert " ".join(split_sentences(paragraph)) == paragraph


def test_chunks_fit_the_limit_and_lose_nothing():
    paragraph = " ".join(p for path in sorted(SEEDS.glob("*.txt")) for p in clean(path.read_text("utf-8")).body)
    for limit in (8, 20, 64, 500):
        chunks = chunk(paragraph, words, limit)
        assert "".join(chunks) == paragraph
        assert all(words([c.strip()])[0] <= limit for c in chunks)
    assert len(chunk(paragraph, words, 64)) > 10  # packed, not one chunk per sentence or per article


def test_chunks_keep_whole_sentences_when_they_fit():
    paragraph = "Một hai ba. Bốn năm sáu. Bảy tám chín."
    assert chunk(paragraph, words, 8) == ["Một hai ba. Bốn năm sáu. ", "Bảy tám chín."]


def test_sentence_pieces_are_the_sentences_with_their_spacing():
    paragraph = "Một hai ba.  Bốn năm sáu! Bảy, tám chín mười mười một."
    assert sentence_pieces(paragraph, words, 8) == ["Một hai ba.  ", "Bốn năm sáu! ", "Bảy, tám chín mười mười một."]
    assert sentence_pieces(paragraph, words, 4) == ["Một hai ba.  ", "Bốn năm sáu! ", "Bảy, tám chín ", "mười mười một."]


def test_a_sentence_longer_than_the_limit_is_cut_at_clauses_then_words():
    sentence = "Một, hai ba bốn năm sáu bảy tám chín mười, mười một mười hai."
    chunks = chunk(sentence, words, 5)
    assert "".join(chunks) == sentence
    assert all(words([c.strip()])[0] <= 5 for c in chunks)
    assert all(c.endswith(" ") for c in chunks[:-1])  # cut between words, never inside one


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400), st.integers(min_value=2, max_value=30))
def test_chunking_any_text_rejoins_to_it(text, limit):
    assert "".join(chunk(text, words, limit)) == text
    assert "".join(sentence_pieces(text, words, limit)) == text


def test_the_tokenizer_is_asked_once_for_each_text():
    """Packing asks again for pieces counted while cutting: every text is counted once, and a
    long sentence's pieces together (the tokenizer's cost is mostly per call)."""
    asked: list[list[str]] = []

    def counting(texts):
        asked.append(list(texts))
        return words(texts)

    paragraph = " ".join(p.read_text(encoding="utf-8").replace("\n", " ") for p in sorted(SEEDS.glob("*.txt"))[:2])
    pieces = chunk(paragraph, counting, 24)
    assert "".join(pieces) == paragraph and all(n <= 24 for n in words([p.strip() for p in pieces]))
    counted = [text for call in asked for text in call]
    assert len(counted) == len(set(counted))
    assert len(asked) < len(counted) / 4
