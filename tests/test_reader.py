import pytest

from summarize.errors import ReadError
from summarize.reader import decode, read_article

from .conftest import SEEDS


@pytest.mark.parametrize(
    "data, text, encoding",
    [
        ("Tin thế giới".encode(), "Tin thế giới", "utf-8"),
        (b"\xef\xbb\xbf" + "Tin thế giới".encode(), "Tin thế giới", "utf-8-sig"),
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


def test_read_article_cleans_and_detects_the_language(tmp_path):
    article = read_article(SEEDS / "000_9c3b35b1af95fb0e.txt", "seeds/000.txt")
    assert article.source == "seeds/000.txt" and article.language == "vi" and article.body
    english = tmp_path / "en.txt"
    english.write_text("The talks resumed in Geneva on Monday.\n\nBoth sides said that they would meet again "
                       "before the end of the year, and that the treaty was still the basis of the talks.", "utf-8")
    assert read_article(english, "en.txt").language == "en"
    other = tmp_path / "de.txt"
    other.write_text("Die Gespräche wurden am Montag in Genf wieder aufgenommen, sagte der Sprecher heute.", "utf-8")
    with pytest.raises(ReadError) as info:
        read_article(other, "de.txt")
    assert info.value.reason.startswith("not in Vietnamese or English") and str(info.value).startswith("de.txt: ")
