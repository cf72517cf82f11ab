from summarize.article import Article
from summarize.checks import check, support, unknown_names, unverified_figures, vietnamese_words
from summarize.checks.figures import english_figures


def test_figures_read_both_number_conventions_and_units():
    found = dict(english_figures("1,550 warheads, 0.5%, 8.85 billion tonnes and 1.550 đầu đạn"))
    assert (1550.0, False) in found["1,550"] and (1550.0, False) in found["1.550"]
    assert found["0.5%"] == {(0.5, True)}
    assert (8.85e9, False) in found["8.85 billion"]


def test_unverified_figures_compare_values_not_spelling():
    source = "Each side may deploy 1.550 warheads on 700 missiles; demand rose 0.5 percent to 8,85 billion tonnes."
    assert unverified_figures("They keep 1,550 warheads and 700 missiles; demand rose 0.5%.", source) == []
    assert unverified_figures("They keep 1,500 warheads, 0.5 missiles and 8.85 billion tonnes.", source) == ["1,500", "0.5"]
    assert unverified_figures("Up 5%.", "Up 5 points.") == ["5%"]  # a percentage must stay a percentage


def test_names_missing_from_the_source():
    source = "Russia and US officials met in Geneva on Monday."
    assert unknown_names("Russian and US officials met. Talks in Geneva went well.", source) == []
    assert unknown_names("Officials met in Vienna with Mr Ryabkov.", source) == ["Vienna", "Mr", "Ryabkov"]


def test_support_links_sentences_to_the_paragraphs_that_share_their_words():
    paragraphs = [
        "The weather in Hanoi was mild.",
        "Russia and the United States agreed to extend the New START treaty by five years.",
        "The treaty limits each side to 1,550 deployed warheads.",
    ]
    assert support("Russia and the US agreed to extend New START.", paragraphs) == [1]
    assert support("New START limits deployed warheads; Russia and the United States extend it.", paragraphs) == [1, 2]
    assert support("Bananas are yellow.", paragraphs) == []


def test_vietnamese_left_in_english():
    assert vietnamese_words("Talks in Moskva, Hà Nội and Paris") == ["Hà", "Nội"]
    assert vietnamese_words("A café in Zürich") == []
    # a run of accented words counts whole when one of them is distinctly Vietnamese, to the text's end
    assert vietnamese_words("the café Hà Nội") == ["café", "Hà", "Nội"]
    assert vietnamese_words("Hà and đi, Đà Nẵng. Hà") == ["Đà", "Nẵng", "Hà"]  # "đi" has no diacritic: it ends a run


def test_check_fills_support_and_flags():
    article = Article(
        source="x.txt",
        title="Nga và Mỹ gia hạn New START",
        title_en="Russia and US extend New START",
        headline="Russia and US extend New START",
        body_en=["Russia and the US extended New START, which limits each side to 1,550 warheads.",
                 "The treaty expires on 5 February, đàm phán continue."],
        summary="Russia and the US extended New START. It limits each side to 1,500 warheads. Bananas are yellow in Oslo.",
    )
    check(article)
    assert article.support == [[0], [0], []]
    kinds = [(f["kind"], f["text"]) for f in article.flags]
    assert ("figure", "1,500") in kinds
    assert ("name", "Oslo") in kinds
    assert ("unsupported", "Bananas are yellow in Oslo.") in kinds
    assert ("untranslated", "đàm phán") in kinds
    assert len(kinds) == len(set(kinds))
