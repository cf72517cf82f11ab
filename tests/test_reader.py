import pytest

from summarize.errors import ReadError
from summarize.reading.reader import decode, read_article

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


def test_vietnamese_written_without_accents_is_read_as_vietnamese(tmp_path):
    """Chat, SMS and some scrapers drop the accents: such an article is Vietnamese, not "other";
    French, Spanish and German prose still is."""
    from summarize.reading.language import detect
    from summarize.reading.letters import fold

    text = (SEEDS / "001_ea9fa2f40a20a3fd.txt").read_text(encoding="utf-8")
    bare = "".join(fold(c) if c.islower() else fold(c).upper() if c.isalpha() else c for c in text)
    assert "dien dam" in bare and "điện" not in bare
    (tmp_path / "bare.txt").write_text(bare, encoding="utf-8")
    assert read_article(tmp_path / "bare.txt", "bare.txt").language == "vi"
    for other in ("Le gouvernement a annonce mardi une nouvelle reforme des retraites qui sera discutee au parlement.",
                  "El gobierno anuncio el martes una nueva reforma de las pensiones que se discutira en el parlamento.",
                  "Der Bundestag hat am Dienstag ein neues Gesetz beschlossen, das die Renten betrifft."):
        assert detect(other) == "other", other
