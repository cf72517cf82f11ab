"""Copies are found on the cleaned Vietnamese text: the same article under other furniture or
lightly edited is a copy; another article on the same story is not."""

from pathlib import Path

from summarize.article import Article
from summarize.day.copies import extra_paragraphs, find_copies, shingles
from summarize.reading.reader import read_article

SEEDS = Path(__file__).parent.parent / "seeds"


def seed(name: str, source: str | None = None) -> Article:
    article = read_article(SEEDS / name, source or name)
    return article


def variant(original: Article, source: str, body: list[str]) -> Article:
    return Article(source=source, title="Một tiêu đề khác", body=body)


def test_figures_written_another_way_give_the_same_shingles():
    assert shingles(["Ngày 2/12, Mỹ có 1.550 đầu đạn."]) == shingles(["Ngày 2-12, Mỹ có 1550 đầu đạn."])
    assert shingles(["Hai câu. Câu thứ hai dài hơn câu đầu."]) == shingles(["Câu thứ hai dài hơn câu đầu. Hai câu."])


def test_edited_versions_are_copies_of_the_fullest_one():
    original = seed("002_aa1e427ed1e4da7a.txt")
    body = original.body
    versions = [
        variant(original, "same.txt", list(body)),
        variant(original, "dropped.txt", body[:2] + body[3:]),
        variant(original, "reordered.txt", body[4:] + body[:4]),
        variant(original, "added.txt", body[:-1] + ["Giới quan sát cho rằng quan hệ Nga - Mỹ khó cải thiện trong ngắn hạn."]),
        variant(original, "figures.txt", [p.replace("29/11", "29-11").replace("2/12", "2-12") for p in body]),
    ]
    copies = find_copies([original, *versions], first={original.source})
    assert copies == {v.source: original.source for v in versions}


def test_articles_of_one_story_are_not_copies_of_each_other():
    articles = [seed(p.name) for p in sorted(SEEDS.glob("*.txt"))]
    assert find_copies(articles) == {}


def test_the_longest_version_is_kept_unless_one_is_already_translated():
    original = seed("004_1010df618e4eb2a7.txt")
    shorter = variant(original, "short.txt", original.body[:-1])
    assert find_copies([shorter, original]) == {"short.txt": original.source}
    assert find_copies([shorter, original], first={"short.txt"}) == {original.source: "short.txt"}


def test_a_stock_phrase_finds_no_copy_but_a_copy_that_holds_one_is_found(monkeypatch):
    """Past CROWDED originals a shared sentence is a stock phrase: it is not looked up, yet a
    real copy that holds it is still compared whole, stock phrase included."""
    import summarize.day.copies as copies

    monkeypatch.setattr(copies, "CROWDED", 3)
    stock = "Mời bạn đọc theo dõi những tin tức mới nhất trên trang của chúng tôi mỗi ngày."
    own = ["Tỉnh {n} khởi công cây cầu thứ {n} dài {n}00 mét bắc qua con sông lớn nhất vùng.",
           "Dự án cầu số {n} có tổng vốn đầu tư {n} nghìn tỷ đồng do tỉnh bố trí từ ngân sách."]
    articles = [Article(source=f"{n}.txt", body=[p.format(n=n) for p in own] + [stock]) for n in range(1, 7)]
    copy = Article(source="copy.txt", body=[own[0].format(n=5), own[1].format(n=5), stock])
    only_stock = Article(source="stock.txt", body=[stock, stock])
    found = copies.find_copies([*articles, copy, only_stock], first={a.source for a in articles})
    assert found == {"copy.txt": "5.txt"}


def test_short_and_empty_bodies_are_copies_only_when_identical():
    a = Article(source="a.txt", body=["Xem video."])
    b = Article(source="b.txt", body=["Xem video. Chia sẻ bài viết."])
    assert find_copies([a, b]) == {}
    assert find_copies([a, Article(source="c.txt", body=["Xem video."])]) == {"c.txt": "a.txt"}
    assert find_copies([Article(source="x.txt"), Article(source="y.txt")]) == {}


def test_the_paragraphs_a_copy_adds_are_kept():
    original = seed("002_aa1e427ed1e4da7a.txt")
    added = "Giới quan sát cho rằng quan hệ Nga - Mỹ khó cải thiện trong ngắn hạn vì cả hai bên không muốn nhượng bộ."
    copy = variant(original, "added.txt", original.body[:3] + [added] + original.body[3:])
    assert extra_paragraphs(copy, original) == [added]
    assert extra_paragraphs(variant(original, "same.txt", original.body), original) == []


def test_the_original_takes_each_field_from_the_copy_that_has_it_best():
    from summarize.day.copies import pool_fields

    text = Article(source="a.txt", title="NHẬT XUÂN và 1 tác giả khác", outlet="mediacdn.vn", body=["x"])
    html = Article(source="a.html", title="Giá vàng lên 80 triệu đồng", published="2024-04-03T09:12",
                   outlet="nld.com.vn", declared=["title", "published", "outlet"], body=["x"])
    other = Article(source="b.txt", byline="Minh Anh", body=["x"])
    pool_fields(text, [html, other])
    assert (text.title, text.published, text.outlet, text.byline) == (
        "Giá vàng lên 80 triệu đồng", "2024-04-03T09:12", "nld.com.vn", "Minh Anh")
    assert text.read_from == {"title": "a.html", "published": "a.html", "outlet": "a.html", "byline": "b.txt"}
    kept = Article(source="c.html", title="Tiêu đề", declared=["title"])
    pool_fields(kept, [Article(source="d.html", title="Khác", declared=["title"])])
    assert kept.title == "Tiêu đề" and kept.read_from == {}  # a tie keeps its own
