"""Vietnamese letters: folding for matching, syllables, the distinctive letters, the run before a position."""

import random
import re
import unicodedata

from summarize.reading.letters import DISTINCTIVE, fold, is_syllable, run_before


def _folded_whole(text: str) -> str:
    """fold()'s meaning, applied to the text at once: đ as d, compatibility decomposition, every
    combining mark dropped, case folded."""
    decomposed = unicodedata.normalize("NFKD", text.replace("Đ", "D").replace("đ", "d"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def test_fold_drops_accents_and_case():
    assert fold("Đà Nẵng") == "da nang"
    assert fold("Phạm Minh Chính") == "pham minh chinh"
    assert fold("Dân trí") == "dan tri"
    assert fold("Straße ﬁle ①") == "strasse file 1"  # case folding and compatibility forms


def test_fold_character_by_character_is_fold_of_the_whole_text():
    """fold() looks each character up once; decomposed input, marks out of canonical order,
    Hangul and ligatures come out as folding the whole text gives them."""
    texts = ["Nguyễn Thị Ánh", unicodedata.normalize("NFD", "Nguyễn Thị Ánh"), "a\u0323\u0302 e\u0301\u0323",
             "한국어 ǅ ΐ İstanbul", "ﬀ ㎏ ½ Ⅻ"]
    pool = [chr(c) for c in [*range(0x20, 0x250), *range(0x300, 0x370), *range(0x1E00, 0x1F00), *range(0xAC00, 0xAC20),
                             *range(0xFB00, 0xFB08), *range(0x2150, 0x2190)]]
    rnd = random.Random(7)
    texts += ["".join(rnd.choice(pool) for _ in range(rnd.randint(1, 40))) for _ in range(2000)]
    for text in texts:
        assert fold(text) == _folded_whole(text), text


def test_syllables_and_distinctive_letters():
    assert is_syllable("Cai") and is_syllable("Sơn") and is_syllable("nghiêng")
    assert not is_syllable("Donald") and not is_syllable("Putin")
    assert DISTINCTIVE.search("Hà Nội") and not DISTINCTIVE.search("café")


def test_the_run_before_a_position_stops_at_another_character_and_at_the_window():
    word = re.compile(r"\w*")
    assert run_before("gặp bà Nga", 6, word) == "bà"
    assert run_before("gặp bà Nga", 7, word) == ""  # a space ends it
    assert run_before("Th.S. Nguyễn", 4, re.compile(r"[\w.]*")) == "Th.S"
    assert run_before("Nguyễn", 6, word, since=3) == "yễn"
