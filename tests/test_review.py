"""The side-by-side review page: built from a tiny-model run over seeds/ plus crafted articles,
checked as text and in a real headless Chromium."""

import json
import os
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from summarize.article import Article
from summarize.checks import check
from summarize.cli import app
from summarize.day import Day
from summarize.outputs.brief import render
from summarize.outputs.publish import save
from summarize.outputs.review import render_html, render_markdown
from summarize.outputs.view import of
from summarize.reading.cleaner import clean

from .conftest import ROOT, SEEDS, day_of, hostile_inbox

runner = CliRunner()
DAY = "2026-11-22"
ARTIFACTS = ROOT / "test-artifacts"

HOSTILE_PAGE = """Cảnh báo &lt;script&gt;alert(1)&lt;/script&gt; trên mạng xã hội
Một trang tin giả đã chèn đoạn mã &lt;img src=x onerror=alert(2)&gt; vào bài viết để đánh cắp dữ liệu của người đọc.
Các chuyên gia khuyến cáo người dùng không nhấp vào đường dẫn lạ và cập nhật trình duyệt thường xuyên để tự bảo vệ mình.
"""

FIGURES_PAGE = """Nga và Mỹ gia hạn hiệp ước New START thêm 5 năm
Hai nước đã ký thỏa thuận gia hạn hiệp ước New START, theo thông cáo của Điện Kremlin ngày 26/1.
Hiệp ước giới hạn mỗi bên ở mức 1.550 đầu đạn hạt nhân chiến lược triển khai trên 700 tên lửa và máy bay ném bom.
"""

# What a real translator and summarizer might have produced for FIGURES_PAGE: the summary gets
# the warhead count wrong (1,500 instead of 1,550) and invents a sentence.
FIGURES_ENGLISH = {
    "title_en": "Russia and the US extend New START by 5 years",
    "body_en": [
        "The two countries signed an agreement to extend the New START treaty, according to a Kremlin statement on 26 January.",
        "The treaty limits each side to 1,550 deployed strategic nuclear warheads on 700 missiles and bombers.",
    ],
    "headline": "Russia and the US extend New START by 5 years",
    "summary": (
        "Russia and the US signed an agreement to extend the New START treaty, the Kremlin said. "
        "The treaty limits each side to 1,500 deployed strategic nuclear warheads on 700 missiles. "
        "Bananas grow well in the tropics."
    ),
}


@pytest.fixture(scope="module")
def review_day(tmp_path_factory, tiny_registry) -> Path:
    """briefs/ of a run over seeds/ plus two crafted articles; returns the review page."""
    root = tmp_path_factory.mktemp("review")
    inputs = Path(shutil.copytree(SEEDS, root / "seeds"))
    (inputs / "hostile.txt").write_text(HOSTILE_PAGE, encoding="utf-8")
    (inputs / "figures.txt").write_text(FIGURES_PAGE, encoding="utf-8")
    cwd = os.getcwd()
    os.chdir(root)
    try:
        result = runner.invoke(
            app, ["run", "seeds", "--config", str(tiny_registry), "--date", DAY, "--cache-dir", str(root / "cache")]
        )
        assert result.exit_code == 0, result.output
        data_path = root / "briefs" / f"{DAY}.json"
        data = json.loads(data_path.read_text(encoding="utf-8"))
        figures, hostile_key = (str(root / "seeds" / name) for name in ("figures.txt", "hostile.txt"))  # absolute
        record = Article.from_dict({**data["articles"][figures], **FIGURES_ENGLISH})
        data["articles"][figures] = check(record).to_dict()
        hostile = data["articles"][hostile_key]
        hostile["summary"] = "The page said <script>alert(3)</script> and <img src=x onerror=alert(4)>."
        hostile["headline"] = "<b>Warning</b> <script>alert(5)</script>"
        data["articles"][hostile_key] = check(Article.from_dict(hostile)).to_dict()
        data_path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        brief_path = root / "briefs" / f"{DAY}.md"
        brief_path.write_text(render(of(Day(brief_path.parent, DAY).load())), encoding="utf-8")
        rebuilt = runner.invoke(app, ["review", str(root / "briefs" / f"{DAY}.md")])
        assert rebuilt.exit_code == 0, rebuilt.output
        assert runner.invoke(app, ["review", str(root / "briefs"), "--format", "md"]).exit_code == 0
    finally:
        os.chdir(cwd)
    return root / "briefs" / f"{DAY}.review.html"


def test_run_writes_brief_and_review_with_links_and_flag_counts(review_day):
    brief = review_day.with_name(f"{DAY}.md").read_text(encoding="utf-8")
    data = json.loads(review_day.with_name(f"{DAY}.json").read_text(encoding="utf-8"))
    for record in data["articles"].values():
        article = Article.from_dict(record)
        flags = len(article.flags)
        assert f"({DAY}.review.html#{article.anchor}): {flags} flag{'s' if flags != 1 else ''}" in brief
    assert "> ⚠ unverified figure: 1,500" in brief
    page = review_day.read_text(encoding="utf-8")
    assert "http://" not in page and "https://" not in page and "<link" not in page and "src=" not in page.split(
        "<main>")[0]
    assert "default-src 'none'" in page


def test_review_escapes_article_text(review_day):
    page = review_day.read_text(encoding="utf-8")
    assert "<script>alert" not in page and "<img src=x" not in page and "<b>Warning</b>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(2)&gt;" in page


def test_markdown_review_has_paragraph_pairs(review_day):
    md = review_day.with_name(f"{DAY}.review.md").read_text(encoding="utf-8")
    assert "| ¶ | Vietnamese | English |" in md
    assert "| 2 | Hiệp ước giới hạn mỗi bên ở mức 1.550 đầu đạn" in md
    assert "⚠ Unverified figure: 1,500" in md and "⚠ No supporting paragraph: Bananas grow well" in md
    assert "\\<script\\>alert(3)" in md


def test_every_dropped_line_shows_its_reason(tmp_path):
    """The cleaner's drops in both review formats, collapsed as docs/brief.md says, those from
    between the article's paragraphs marked and counted in the summary line."""
    page = (ROOT / "tests" / "fixtures" / "extraction" / "tune" / "tuoitre-mua-ngap.txt").read_text(encoding="utf-8")
    article = clean(page, "tuoitre.txt")
    article.body_en = list(article.body)
    day = day_of(tmp_path, DAY, article)
    html = render_html(of(day))
    assert '<details class="dropped">' in html and "2 from between the article's paragraphs" in html
    assert '<details class="dropped" open>' not in html
    assert ('<li class="inside"><span class="why">dropped: link to another article</span> '
            '<span lang="vi">Đọc tiếp</span></li>') in html
    assert '<span class="why">dropped: date line</span> <span lang="vi">21/06/2024 10:32 GMT+7</span>' in html
    assert "- *under “TIN LIÊN QUAN”*: Triều cường dâng cao, người dân quận 7 khổ sở" in render_markdown(of(day))
    old = Article.from_dict({**article.to_dict(), "dropped": ["Chia sẻ"]})  # a day saved before the reasons
    assert old.dropped == [{"text": "Chia sẻ", "why": "reason not recorded", "inside": False}]


def test_review_without_brief_data_fails_clearly(tmp_path):
    result = runner.invoke(app, ["review", str(tmp_path)])
    assert result.exit_code == 2 and "no briefs in this folder" in result.output


# --- in a real browser -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    chromium, driver_path = shutil.which("chromium"), shutil.which("chromedriver")
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        chromium = None
    if not (chromium and driver_path):
        if os.environ.get("CI"):
            pytest.fail("CI needs Debian's chromium and chromium-driver and the selenium package")
        pytest.skip("headless Chromium (Debian packages chromium, chromium-driver) is not installed")
    os.environ.setdefault("SE_OFFLINE", "true")  # never let Selenium fetch a browser or driver
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync", "--window-size=1280,1000",
                 f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path=driver_path), options=options)
    yield driver
    driver.quit()


@pytest.fixture()
def page(browser, review_day):
    browser.get(review_day.as_uri())
    return browser


def test_every_article_and_paragraph_pair_is_present(page, review_day):
    from selenium.webdriver.common.by import By

    data = json.loads(review_day.with_name(f"{DAY}.json").read_text(encoding="utf-8"))
    sections = page.find_elements(By.CSS_SELECTOR, "section.article")
    assert len(sections) == len(data["articles"]) == 7
    stories = page.find_elements(By.CSS_SELECTOR, "ol.toc > li")
    assert len(stories) == len(data["stories"]) < 7  # the five seeds are one story
    in_order = [source for story in data["stories"] for source in story["sources"]]
    for section, source in zip(sections, in_order):
        record = data["articles"][source]
        assert f"../seeds/{Path(source).name}" in section.text  # named from the brief's folder
        rows = section.find_elements(By.CSS_SELECTOR, "tr.para")
        assert len(rows) == len(record["body"])
        for row, vi in zip(rows, record["body"]):
            cells = row.find_elements(By.TAG_NAME, "td")
            assert len(cells) == 2 and vi in cells[0].text
        assert len(section.find_elements(By.CSS_SELECTOR, "tr.caption")) == len(record["captions"])
        flags = section.find_elements(By.CSS_SELECTOR, "li.flag")
        assert len(flags) == len(record["flags"])
        story = next(story for story in data["stories"] if source in story["sources"])
        entry = (f"ol.toc > li:has(> a[href='#{story['id']}'])" if len(story["sources"]) == 1  # the story is the article
                 else f"ol.toc li li:has(> a[href='#{section.get_attribute('id')}'])")
        assert f"{len(record['flags'])} flag" in page.find_element(By.CSS_SELECTOR, entry).text


def test_activating_a_summary_sentence_highlights_its_sources(page):
    from selenium.webdriver.common.by import By

    section = next(s for s in page.find_elements(By.CSS_SELECTOR, "section.article") if "seeds/figures.txt" in s.text)
    sentences = section.find_elements(By.CSS_SELECTOR, "button.sentence")
    assert [s.get_attribute("data-support").split(" ")[0][-3:] for s in sentences[:2]] == ["-p0", "-p1"]
    rows = section.find_elements(By.CSS_SELECTOR, "tr.para")
    sentences[1].click()
    assert ["hl" in r.get_attribute("class") for r in rows] == [False, True]
    sentences[0].click()
    assert ["hl" in r.get_attribute("class") for r in rows] == [True, False]
    assert "unsupported" in sentences[2].get_attribute("class")
    assert "Unverified figure: 1,500" in section.text and "No supporting paragraph" in section.text
    # keyboard: focusing a sentence highlights too
    page.execute_script("arguments[0].focus()", sentences[1])
    assert ["hl" in r.get_attribute("class") for r in rows] == [False, True]
    ARTIFACTS.mkdir(exist_ok=True)
    page.execute_script("arguments[0].scrollIntoView()", section)
    section.screenshot(str(ARTIFACTS / "review-figures-article.png"))


def test_hostile_text_renders_as_text_without_dialogs(page):
    from selenium.common.exceptions import NoAlertPresentException
    from selenium.webdriver.common.by import By

    with pytest.raises(NoAlertPresentException):
        page.switch_to.alert.accept()
    section = next(s for s in page.find_elements(By.CSS_SELECTOR, "section.article") if "seeds/hostile.txt" in s.text)
    assert "<script>alert(5)</script>" in section.text
    assert "<img src=x onerror=alert(2)>" in section.text
    assert page.find_elements(By.CSS_SELECTOR, "main script, main img, main b") == []


def test_keyboard_moves_between_articles_and_first_article_screenshot(page):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    sections = page.find_elements(By.CSS_SELECTOR, "section.article")
    sections[0].click()
    ActionChains(page).send_keys("j").perform()
    assert page.switch_to.active_element == sections[1]
    ActionChains(page).send_keys("k").perform()
    assert page.switch_to.active_element == sections[0]
    ARTIFACTS.mkdir(exist_ok=True)
    page.execute_script("window.scrollTo(0, 0)")
    sections[0].screenshot(str(ARTIFACTS / "review-first-article.png"))
    assert (ARTIFACTS / "review-first-article.png").stat().st_size > 10_000


def test_narrow_screen_stacks_the_columns(page, review_day):
    from selenium.webdriver.common.by import By

    page.set_window_size(420, 900)
    try:
        page.get(review_day.as_uri())
        cell = page.find_element(By.CSS_SELECTOR, "tr.para td")
        assert cell.value_of_css_property("display") == "block"
    finally:
        page.set_window_size(1280, 1000)


def test_hostile_names_and_text_run_no_script_and_fetch_nothing(browser, tmp_path, monkeypatch):
    from selenium.common.exceptions import NoAlertPresentException
    from selenium.webdriver.common.by import By

    from summarize.testing import mock_registry

    hostile_inbox(tmp_path / "inbox")
    monkeypatch.chdir(tmp_path)
    config = mock_registry(tmp_path / "models.yaml", "passthrough", "passthrough")
    result = runner.invoke(app, ["run", "inbox", "--config", str(config), "--date", DAY, "--no-cache"])
    assert result.exit_code == 0, result.output
    browser.get((tmp_path / "briefs" / f"{DAY}.review.html").as_uri())
    with pytest.raises(NoAlertPresentException):
        browser.switch_to.alert.accept()
    assert browser.execute_script("return performance.getEntriesByType('resource').length") == 0  # no request
    main = browser.find_element(By.TAG_NAME, "main")
    assert main.find_elements(By.CSS_SELECTOR, "script, img, iframe, a[href^='javascript'], a[href^='http']") == []
    assert "[x](javascript:alert(4)) <b>.txt" in main.text and "<script>alert(2)</script>" in main.text


def test_the_review_says_what_the_brief_says(tmp_path):
    """One overview line (stories, articles, copies, skipped files) at the top of the brief and
    of both reviews, the skipped files listed in each, and under a copy only the article text
    it adds, never the site's lines the cleaner kept."""
    from summarize.day.copies import extra_paragraphs

    original = Article(source=str(tmp_path / "a.txt"), headline="Talks resume",
                       body=["Hai bên nhất trí nối lại đàm phán về kiểm soát vũ khí vào tuần tới tại Geneva.",
                             "Phái đoàn Mỹ sẽ do Thứ trưởng Ngoại giao dẫn đầu trong các cuộc gặp này."])
    added = "Theo giới quan sát, cuộc gặp có thể kéo dài hai ngày và bàn thêm về tên lửa tầm trung."
    copy = Article(source=str(tmp_path / "b.txt"), body=original.body + ["Tải ứng dụng:", "BÁO ĐIỆN TỬ CHÍNH PHỦ", added])
    copy.copy_of, copy.extra = original.source, extra_paragraphs(copy, original)
    assert copy.extra == [added]
    day = day_of(tmp_path / "briefs", DAY, original, copy,
                 skipped={str(tmp_path / "bad.txt"): "binary file (a PDF document), not a text article"})
    line = "Today: 1 story from 2 articles (1 duplicate); 1 file skipped."
    html, markdown = render_html(of(day)), render_markdown(of(day))
    assert f"**{line}**" in render(of(day)) and f"**{line}**" in markdown and f"<strong>{line}</strong>" in html
    assert "- `../bad.txt`: binary file (a PDF document), not a text article" in markdown
    assert '<li><code>../bad.txt</code>: binary file (a PDF document), not a text article</li>' in html
    assert added in html and "Tải ứng dụng" not in html and "BÁO ĐIỆN TỬ" not in markdown


def test_a_big_day_gives_each_story_past_the_top_a_page_and_rewrites_only_what_changed(tmp_path, monkeypatch):
    from summarize import day as days

    (tmp_path / "in").mkdir()
    articles = []
    for n in range(days.TOP_STORIES + 3):  # unrelated articles: one story each
        source = tmp_path / "in" / f"{n:03d}.txt"
        source.write_text("x", encoding="utf-8")
        articles.append(Article(source=str(source), title=f"Tiêu đề {n}", headline=f"Headline {n:03d}",
                                body=[f"Đoạn văn số {n} nói về một sự kiện riêng."], summary=f"Summary {n}."))
    day = day_of(tmp_path / "briefs", DAY, *articles)
    save(day)
    main, brief = day.review_path().read_text(encoding="utf-8"), day.brief_path.read_text(encoding="utf-8")
    pages = sorted(day.review_folder.glob("s-*.html"))
    assert len(pages) == 3 and main.count('<section class="article"') == days.TOP_STORIES
    for page in pages:
        link = f"{day.review_folder.name}/{page.name}#{page.stem}"
        assert f'href="{link}"' in main and f"[review](<{link}>)" in brief
        text = page.read_text(encoding="utf-8")
        assert text.count('<section class="article"') == 1 and f'href="../{day.review_path().name}"' in text
    written = {page: page.stat().st_ino for page in pages}
    changed, gone_story = day.stories[-1], day.stories[-2]
    day.articles[changed.sources[0]].sentences = ["Another summary."]
    day.stories.remove(gone_story)  # a story the day no longer has: its page goes
    save(day)
    kept = {page: page.stat().st_ino == written[page] for page in day.review_folder.glob("s-*.html")}
    changed_page = day.folder / day.review_pages()[changed.id]
    assert "Another summary." in changed_page.read_text(encoding="utf-8")
    assert not kept[changed_page] and sum(kept.values()) == 1
    assert not (day.folder / f"{day.review_folder.name}/{gone_story.id}.html").exists()
    monkeypatch.setattr(days, "PAGE_ARTICLES", 2)  # a page's weight also ends the top stories shown in full
    assert sum(page == day.review_path().name for page in day.review_pages().values()) == 2
