from summarize.article import Article
from summarize.outputs.brief import render
from summarize.outputs.view import of

from .conftest import day_of


def article(source: str, **kw) -> Article:
    defaults = dict(headline="Talks resume", summary="Both sides met. They agreed.", outlet="Baoquocte.vn")
    return Article(source=source, **{**defaults, **kw})


def test_brief_layout_links_and_skipped(tmp_path):
    (tmp_path / "in dir").mkdir()
    (tmp_path / "in dir" / "bài 1.txt").write_text("x", encoding="utf-8")
    day = day_of(tmp_path / "briefs", "2026-11-22",
                 article(str(tmp_path / "in dir" / "bài 1.txt"), published="2020-10-12T03:14", title="Tiêu đề"),
                 skipped={str(tmp_path / "bad.txt"): "binary file (a PDF document), not a text article"})
    text = brief(day)
    assert text.splitlines()[0] == "# Daily brief — 2026-11-22"
    assert "## 1. Talks resume" in text
    assert "**Published:** 2020-10-12 03:14" in text and "**Outlet:** Baoquocte.vn" in text
    assert "](<../in dir/bài 1.txt>)" in text  # relative link, spaces allowed
    assert "*Original title:* Tiêu đề" in text
    assert "## Skipped" in text and "- `../bad.txt`: binary file" in text  # as seen from the brief's folder
    assert "[../in dir/bài 1.txt](<../in dir/bài 1.txt>)" in text


def test_render_without_summary_or_metadata(tmp_path):
    text = brief(day_of(tmp_path, "2026-11-22", Article(source="x.txt")))
    assert "## 1. Untitled article" in text and "No summary could be produced" in text
    assert "**Outlet:**" not in text and "**Published:**" not in text


def test_only_figure_and_name_flags_are_noted_under_the_summary(tmp_path):
    flags = [{"kind": "figure", "text": "1,500"}, {"kind": "unsupported", "text": "Both sides met."},
             {"kind": "name", "text": "Zelensky"}]
    text = brief(day_of(tmp_path, "2026-11-22", article("a.txt", flags=flags)))
    assert "> ⚠ unverified figure: 1,500  \n> ⚠ name not in the source: Zelensky\n" in text
    assert "Both sides met." not in text.split("They agreed.")[1]  # unsupported: review page only
    assert "#a-a-txt-" in text and "): 3 flags" in text


def test_the_header_counts_english_originals_apart(tmp_path):
    text = brief(day_of(tmp_path, "2026-11-22", article("a.txt"), article("b.txt", language="en")))
    assert "*2 articles, summarized from Vietnamese, 1 from English originals, by summarize" in text
    assert "*1 article, summarized from Vietnamese by summarize" in brief(day_of(tmp_path, "2026-11-22", article("a.txt")))


def test_brief_says_which_copy_gave_the_fields_it_prints(tmp_path):
    source = str(tmp_path / "in" / "a.txt")
    (tmp_path / "in").mkdir()
    for name in ("a.txt", "a.html"):
        (tmp_path / "in" / name).write_text("x", encoding="utf-8")
    day = day_of(tmp_path / "briefs", "2026-11-22",
                 article(source, read_from={"title": str(tmp_path / "in" / "a.html"), "published": str(tmp_path / "in" / "a.html")}))
    assert "headline and date from [../in/a.html](<../in/a.html>)" in brief(day)


def test_a_big_day_gives_the_top_stories_in_full_and_the_rest_one_line_each(tmp_path):
    from summarize.day import TOP_STORIES

    (tmp_path / "in").mkdir()
    articles = []
    for n in range(TOP_STORIES + 3):  # unrelated articles: one story each
        (tmp_path / "in" / f"{n:03d}.txt").write_text("x", encoding="utf-8")
        articles.append(article(str(tmp_path / "in" / f"{n:03d}.txt"), headline=f"Headline {n:03d}",
                                outlet=f"site{n}.vn", body=[f"Đoạn văn số {n} nói về một sự kiện riêng."]))
    text = brief(day_of(tmp_path / "briefs", "2026-11-22", *articles))
    assert text.count("\n## ") == TOP_STORIES + 1  # the top stories in full, then "More stories"
    assert "…and 3 more stories, one line each under *More stories*." in text
    more = text.split("## More stories (3)")[1].strip().splitlines()[2:5]
    assert more[0].startswith(f"{TOP_STORIES + 1}. Headline ") and "— 1 article — site" in more[0]
    assert all("](<../in/" in line for line in more)  # each links its source


def brief(day) -> str:
    return render(of(day))
