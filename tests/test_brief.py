from pathlib import Path

from summarize.article import Article
from summarize.brief import md_escape, render, write_brief


def article(source: str, **kw) -> Article:
    defaults = dict(headline="Talks resume", summary="Both sides met. They agreed.", outlet="Baoquocte.vn")
    return Article(source=source, **{**defaults, **kw})


def test_markdown_from_article_text_is_inert():
    hostile = "*bold* [link](http://x) <script>alert(1)</script> # not a heading & co_op"
    escaped = md_escape(hostile)
    assert "<script>" not in escaped and "[link](" not in escaped and "*bold*" not in escaped
    assert md_escape("- a list item").startswith("\\-") and md_escape("1. first").startswith("1\\.")
    assert md_escape("two\nlines") == "two lines"


def test_brief_layout_links_and_skipped(tmp_path):
    (tmp_path / "in dir").mkdir()
    path = write_brief(
        tmp_path / "briefs",
        "2026-11-22",
        [article(str(tmp_path / "in dir" / "bài 1.txt"), published="2020-10-12T03:14", title="Tiêu đề")],
        {"bad.txt": "binary file (a PDF document), not a text article"},
    )
    text = path.read_text(encoding="utf-8")
    assert text.splitlines()[0] == "# Daily brief — 2026-11-22"
    assert "## Talks resume" in text
    assert "**Published:** 2020-10-12 03:14" in text and "**Outlet:** Baoquocte.vn" in text
    assert "](<../in dir/bài 1.txt>)" in text  # relative link, spaces allowed
    assert "*Original title:* Tiêu đề" in text
    assert "## Skipped" in text and "- `bad.txt`: binary file" in text
    assert not list((tmp_path / "briefs").glob(".*tmp"))  # atomic writes leave no temporary files


def test_same_day_merge_keeps_updates_and_orders(tmp_path):
    out = tmp_path / "briefs"
    write_brief(out, "2026-11-22", [article("b.txt", headline="B first")], {"c.txt": "empty file"})
    write_brief(out, "2026-11-22", [article("a.txt", headline="A"), article("c.txt", headline="C now fine")], {})
    write_brief(out, "2026-11-22", [article("b.txt", headline="B updated")], {"a.txt": "permission denied"})
    text = (out / "2026-11-22.md").read_text(encoding="utf-8")
    assert text.index("## A") < text.index("## B updated") < text.index("## C now fine")
    assert "B first" not in text
    assert "## Skipped" not in text  # a.txt keeps its earlier article; c.txt succeeded later
    other_day = write_brief(out, "2026-11-23", [article("d.txt")], {})
    assert "a.txt" not in other_day.read_text(encoding="utf-8")


def test_render_without_summary_or_metadata():
    text = render("2026-11-22", {"articles": {"x.txt": {"source": "x.txt", "headline": "", "summary": ""}},
                                 "skipped": {}}, Path("."))
    assert "## Untitled article" in text and "No summary could be produced" in text
