from summarize.article import Article
from summarize.outputs.formats import md_escape, plural
from summarize.outputs.view import UNTITLED, headline, outlet, published


def test_markdown_from_article_text_is_inert():
    hostile = "*bold* [link](http://x) <script>alert(1)</script> # not a heading & co_op"
    escaped = md_escape(hostile)
    assert "<script>" not in escaped and "[link](" not in escaped and "*bold*" not in escaped
    assert md_escape("- a list item").startswith("\\-") and md_escape("1. first").startswith("1\\.")
    assert md_escape("two\nlines") == "two lines"


def test_facts_are_written_one_way():
    bare = Article(source="x.txt", credit="TTXVN", published="2020-10-12T03:14")
    # a credited source is not where the article was published: with the host unknown, only "via" it
    assert headline(bare) == UNTITLED and outlet(bare) == "via TTXVN" and published(bare) == "2020-10-12 03:14"
    full = Article(source="x.txt", headline="Talks", outlet="Baoquocte.vn", credit="TTXVN")
    assert headline(full) == "Talks" and outlet(full) == "Baoquocte.vn, via TTXVN" and published(full) == ""
    own = Article(source="x.txt", outlet="plo.vn", credit="PLO")  # an outlet's own dateline is no other source
    assert outlet(own) == "plo.vn" and outlet(Article(source="x", outlet="dantri.com.vn", credit="Dân trí")) == "dantri.com.vn"
    assert plural(1, "flag") == "1 flag" and plural(0, "flag") == "0 flags"
