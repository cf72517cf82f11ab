"""What a page declares about itself (metadata.py), how the cleaner takes it, and the
headline choice on plain-text dumps with the furniture that broke it on live pages."""

from pathlib import Path

import pytest

from summarize.article import Article
from summarize.evaluation import evaluate_metadata, field_accuracy
from summarize.outputs.view import copy_line, outlet
from summarize.reading.cleaner import clean
from summarize.reading.metadata import declared, host, outlet_in_text, plain

from .conftest import REALPAGES

FIXTURES = Path(__file__).parent / "fixtures" / "metadata"


LEAD = ("Giá vàng miếng SJC sáng nay tăng thêm 700.000 đồng mỗi lượng, lên 80 triệu đồng, mức cao nhất "
        "từ trước đến nay theo Công ty SJC.")
BODY = [LEAD, "Vàng nhẫn cũng tăng lên 70,5 triệu đồng mỗi lượng bán ra, chênh lệch giữa giá mua và bán ở mức "
              "hai triệu đồng. Giới kinh doanh cho rằng giá vàng thế giới tăng mạnh là nguyên nhân chính."]
HEADLINE = "Giá vàng miếng SJC lên 80 triệu đồng mỗi lượng"


def page(head: str, body: str) -> str:
    return f"<!DOCTYPE html><html><head><meta charset='utf-8'>{head}</head><body>{body}</body></html>"


def article_html(heading: str = HEADLINE) -> str:
    return "<article>" + f"<h1>{heading}</h1>" + "".join(f"<p>{p}</p>" for p in BODY) + "</article>"


def test_declared_fields_come_from_opengraph_json_ld_and_the_canonical_link():
    markup = page(
        f'<meta property="og:title" content="{HEADLINE} | Báo Người Lao Động">'
        '<link rel="canonical" href="https://www.nld.com.vn/gia-vang.htm">'
        '<meta property="og:image" content="https://mediacdn.vn/a.jpg">'
        '<script type="application/ld+json">{"@context": "https://schema.org", "@type": "NewsArticle", "datePublished": "2024-04-03T09:12:00+07:00",'
        ' "author": {"@type": "Person", "name": "Minh Anh"}}</script>',
        article_html())
    found = declared(markup)
    assert found.title == HEADLINE  # the visible <h1>, not og:title with the site's name appended
    assert found.published == "2024-04-03T09:12" and found.outlet == "nld.com.vn" and found.byline == "Minh Anh"
    assert found.url == "https://www.nld.com.vn/gia-vang.htm"


def test_a_declared_author_that_is_the_site_s_own_name_is_no_byline():
    """Seen on ../shared/realpages/raw/dantri_*.html: <meta name="author" content="Dân Trí">
    beside og:site_name "Báo điện tử Dân Trí"."""
    site = '<meta property="og:site_name" content="Báo điện tử Dân Trí">'
    assert declared(page(site + '<meta name="author" content="Dân Trí">', article_html())).byline is None
    assert declared(page(site + '<meta name="author" content="Minh Anh">', article_html())).byline == "Minh Anh"


def test_the_visible_heading_wins_over_a_declared_title_that_words_it_otherwise():
    caps = HEADLINE.upper()  # an e-magazine prints it in capitals, og:title words it slightly otherwise
    markup = page(f'<meta property="og:title" content="{HEADLINE.replace("lên", "chạm")}">', article_html(caps))
    assert declared(markup).title == caps


def test_outlet_is_the_site_never_a_cdn_an_e_mail_or_a_platform():
    assert host("https://cdnchinhphu.vn/a.jpg") is None and host("https://mediacdn.vn/x") is None
    assert host("https://www.facebook.com/dantri") is None and host("https://WWW.Dantri.com.vn/a") == "dantri.com.vn"
    lines = ["Liên hệ: toasoan@tuoitre.com.vn", "https://cdnphoto.dantri.com.vn/a.jpg", "© 2024 dantri.com.vn"]
    assert outlet_in_text(lines) == "dantri.com.vn"
    # no declared address: the host the page's own links point to
    links = "".join(f'<a href="https://dantri.com.vn/{n}.htm">x</a>' for n in range(3))
    markup = page("", links + '<a href="mailto:a@tuoitre.com.vn">mail</a><img src="https://cdnphoto.vn/a.jpg">'
                  + article_html())
    assert declared(markup).outlet == "dantri.com.vn"


def test_the_outlet_of_a_text_dump_is_not_a_domain_its_article_cites():
    text = "\n".join([HEADLINE, "(Chinhphu.vn) - " + LEAD, BODY[1], "© 2024 baochinhphu.vn"])
    assert clean(text).outlet == "baochinhphu.vn"


def test_a_credited_source_is_shown_beside_the_site_that_published_it():
    assert outlet(Article(source="a", outlet="cafef.vn", credit="Market Times")) == "cafef.vn, via Market Times"


def test_no_field_keeps_markup():
    assert plain('<img alt="Tri Túc" class="dt-rounded-full" src="https://cdnphoto.x/a.jpg"> Tri Túc') == "Tri Túc"
    # markup escaped as text above the body is never taken for the headline
    text = "\n".join(['&lt;img alt="Tri Túc" class="dt-rounded-full w-10" src="https://cdnphoto.vn/a.jpg"&gt;', *BODY])
    assert clean(text).title is None
    copy = Article(source="b.html", outlet="x.vn", title='<img alt="Tri Túc" src="a.jpg">')
    assert "<" not in copy_line(copy)


@pytest.mark.parametrize("furniture", [
    "Thời sự Góc nhìn Thế giới Kinh doanh Bất động sản Khoa học Giải trí Thể thao Pháp luật Giáo dục Sức khỏe Đời sống",
    "NHẬT XUÂN và 1 tác giả khác",
    "Xem các bài viết của tác giả",
    "Bạn cần đăng nhập để sử dụng tính năng này",
])
def test_furniture_next_to_the_headline_is_never_taken_for_it(furniture):
    for lines in ([HEADLINE, furniture, *BODY], [furniture, HEADLINE, *BODY]):
        article = clean("\n".join(lines))
        assert article.title == HEADLINE and furniture not in article.body


def test_no_headline_is_better_than_a_wrong_one():
    # lines above the body that say nothing the article says are no headline
    article = clean("\n".join(["Những điều cần biết trước kỳ nghỉ lễ dài ngày", "Thứ hai, 3/4/2024", *BODY]))
    assert article.title is None and article.published == "2024-04-03"


def test_a_byline_right_after_the_body_is_metadata():
    article = clean("\n".join([HEADLINE, *BODY, "Minh Anh", "Cảnh báo chiêu lừa mới qua điện thoại"]))
    assert article.byline == "Minh Anh" and "Minh Anh" not in article.body


def test_an_html_page_takes_what_it_declares_over_its_lines():
    markup = page('<meta property="article:published_time" content="2024-04-03T09:12:00+07:00">'
                  '<meta property="og:url" content="https://nld.com.vn/gia-vang.htm">',
                  "<p>(NLĐO) - Sáng 3-4</p>" + article_html())
    article = clean(markup)
    assert (article.title, article.published, article.outlet) == (HEADLINE, "2024-04-03T09:12", "nld.com.vn")
    assert set(article.declared) >= {"title", "published", "outlet", "url"}
    assert article.url == "https://nld.com.vn/gia-vang.htm" and HEADLINE not in article.body


@pytest.mark.parametrize("half", ["tune", "held-out"])
@pytest.mark.parametrize("form", ["txt", "html"])
def test_labelled_set_is_right_on_every_field(half, form):
    checks = evaluate_metadata(FIXTURES / half / f"truth-{form}.tsv", FIXTURES / half, f".{form}")
    misses = [(c.page, c.field, c.found) for c in checks if not c.right]
    assert misses == [] and set(field_accuracy(checks)) == {"title", "outlet", "published", "byline"}


@pytest.mark.skipif(not REALPAGES.is_dir(), reason="../shared/realpages is not beside this checkout")
def test_real_pages_headlines_in_both_forms_and_html_outlet_and_date():
    text = field_accuracy(evaluate_metadata(REALPAGES / "truth.tsv", REALPAGES, ".txt"))
    html = field_accuracy(evaluate_metadata(REALPAGES / "truth.tsv", REALPAGES / "raw", ".html"))
    assert text["title"] == (13, 13)
    assert html["title"] == html["outlet"] == html["published"] == (13, 13)


@pytest.mark.skipif(not REALPAGES.is_dir(), reason="../shared/realpages is not beside this checkout")
def test_real_text_dumps_take_their_outlet_from_their_own_marks_and_never_a_wrong_one():
    """Nine of the Dân trí dumps sign their lead "(Dân trí) -" and name no host of their own
    (their outlet was none); dantri_03 and vnexpress_02 carry no mark of their site: none."""
    checks = [c for c in evaluate_metadata(REALPAGES / "truth.tsv", REALPAGES, ".txt") if c.field == "outlet"]
    assert [c.page for c in checks if c.found and not c.right] == []
    assert sorted(c.page for c in checks if not c.found) == ["dantri_03.txt", "vnexpress_02.txt"]


def test_an_outlet_signing_its_lead_is_the_outlet_a_wire_agency_or_a_citation_is_not():
    lead = "Thành phố đẩy nhanh tiến độ thi công tuyến đường vành đai qua các huyện phía tây với hàng nghìn công nhân."
    rest = ("\n\nNgười dân hai bên tuyến đường kỳ vọng công trình sẽ giúp giảm ùn tắc và rút ngắn thời gian đi lại "
            "trong khu vực.\n\nCông trình dự kiến hoàn thành vào cuối năm sau theo kế hoạch đã được phê duyệt.")
    page = "Hà Nội sắp hoàn thành đường vành đai 4\n\n{lead}" + rest
    assert clean(page.format(lead="(NLĐO)- " + lead)).outlet == "nld.com.vn"
    assert clean(page.format(lead="TTO - " + lead)).outlet == "tuoitre.vn"
    assert clean(page.format(lead="(TTXVN) - " + lead)).outlet is None  # where the text came from
    assert clean(page.format(lead="PLO: " + lead)).outlet is None  # an acronym opening a sentence signs nothing
    assert clean(page.format(lead=lead + " (Dân trí) - đưa tin.")).outlet is None  # not the lead's opening
    assert clean(page.format(lead="(Dân trí) - " + lead) + "\n\n© 2025 Báo Mẫu — baomau.vn").outlet == "baomau.vn"


def test_a_host_only_the_article_text_names_is_a_citation_not_the_outlet():
    """A text dump's outlet comes from the page's own marks (its header and footer), never from
    a site the article cites: "theo coinmarketcap.com" made coinmarketcap.com the outlet."""
    body = "\n\n".join(["Giá Bitcoin tăng mạnh trong phiên giao dịch hôm nay, theo dữ liệu của coinmarketcap.com cập nhật lúc 9 giờ sáng.",
                        "Các nhà đầu tư cho rằng đà tăng có thể kéo dài trong tuần tới khi dòng tiền tiếp tục đổ vào thị trường.",
                        "Nhiều chuyên gia khuyến cáo người dân cần thận trọng trước biến động khó lường của tài sản số này."])
    cited = clean("Giá Bitcoin tăng mạnh\n\n" + body)
    assert cited.outlet is None
    own = clean("Trang chủ | Kinh doanh\n\nGiá Bitcoin tăng mạnh\n\n" + body + "\n\n© 2025 Báo Mẫu — baomau.vn")
    assert own.outlet == "baomau.vn"


def test_a_declared_title_with_the_site_and_sections_after_it_gives_the_visible_headline():
    """Tuổi Trẻ's og:title ends "- Chính trị - Xã hội - Tuổi Trẻ Online"; its <h1> is the headline
    alone. A heading that is only the start of a longer headline is not taken for it."""
    headline = "Ông Trần Văn A nói về dự án đường sắt tốc độ cao"
    page = ("<html><head><title>{t} - Chính trị - Xã hội - Tuổi Trẻ Online</title>"
            '<meta property="og:title" content="{t} - Chính trị - Xã hội - Tuổi Trẻ Online"></head>'
            "<body><article><h1>{h}</h1><p>Quốc hội thông qua chủ trương đầu tư dự án đường sắt tốc độ cao "
            "trên trục Bắc - Nam với tổng mức đầu tư hơn 67 tỷ USD.</p></article></body></html>")
    assert declared(page.format(t=headline, h=headline)).title == headline
    longer = "Cao tốc Tuyên Quang - Phú Thọ: điều chỉnh đầu tư"
    assert declared(page.format(t=longer, h="Cao tốc Tuyên Quang")).title.startswith(longer)


def test_a_declared_title_loses_the_site_and_section_names_after_it_when_no_heading_matches():
    """No visible heading says the headline (an AMP page, a heading in an image): og:title
    "… - Chính trị - Xã hội - Tuổi Trẻ Online" loses the names the page gives itself and its
    sections (og:site_name, article:section, its breadcrumb), and nothing else."""
    def page(title: str, section: str = "Chính trị - Xã hội") -> str:
        return (f'<html><head><meta property="og:title" content="{title}"><meta property="og:site_name" '
                f'content="TUOI TRE ONLINE"><meta property="article:section" content="{section}"></head><body>'
                '<ul class="breadcrumb"><li><a href="/">Trang chủ</a></li><li><a href="/ts">Thời sự</a></li></ul>'
                "<article><p>Quốc hội thông qua chủ trương đầu tư dự án đường sắt tốc độ cao trên trục Bắc - Nam "
                "với tổng mức đầu tư hơn 67 tỷ USD.</p></article></body></html>")

    headline = "Quốc hội thông qua dự án đường sắt tốc độ cao"
    assert declared(page(f"{headline} - Chính trị - Xã hội - Tuổi Trẻ Online")).title == headline
    assert declared(page(f"{headline} | Thời sự")).title == headline
    kept = "Cao tốc Tuyên Quang - Phú Thọ: điều chỉnh đầu tư"  # a headline's own dash and colon stay
    assert declared(page(kept)).title == kept
    assert declared(page("Tin mới - Thời sự")).title == "Tin mới - Thời sự"  # nothing left of three words
