"""The desk's memory: the archive written run by run, stories followed across days, search, the
watchlist, rebuilding, and a run killed while it archives. Engines are mocks (no torch): the
"translation" turns a few Vietnamese words into English ones, so English search has English to find."""

import json
import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from summarize.archive.desk import rebuild
from summarize.archive.store import NAME, Store
from summarize.archive.watchlist import Watchlist
from summarize.cli import app
from summarize.models import engines
from summarize.testing import MockEngine, mock_registry

runner = CliRunner()
DAYS = ("2026-11-28", "2026-11-29", "2026-11-30")
ENGLISH = {"vỡ đập": "dam collapse", "thủy điện": "hydropower", "cà phê": "coffee", "bóng chuyền": "volleyball"}

DAM = [
    ("Sự cố vỡ đập Thủy điện Sông Bạc ở Hà Giang",
     "Rạng sáng nay, đập phụ của Nhà máy Thủy điện Sông Bạc thuộc Công ty Cổ phần Thủy điện Sông Bạc Bắc Quang bị vỡ, "
     "nước tràn xuống các bản Nà Chì và Khuổi Mòn.",
     "Ông Lường Văn Phấn, Phó Chủ tịch UBND huyện Bắc Quang, cho biết 42 hộ dân đã được sơ tán khỏi vùng ngập."),
    ("Vụ vỡ đập Thủy điện Sông Bạc: 42 hộ dân Nà Chì chưa thể về nhà",
     "Sau sự cố vỡ đập phụ của Thủy điện Sông Bạc, nhiều hộ dân bản Nà Chì và Khuổi Mòn vẫn phải ở nhờ nhà văn hóa xã.",
     "Ông Lường Văn Phấn cho biết Công ty Cổ phần Thủy điện Sông Bạc Bắc Quang đã cam kết hỗ trợ mỗi hộ 20 triệu đồng."),
    ("Thủy điện Sông Bạc Bắc Quang bồi thường cho dân Nà Chì sau vụ vỡ đập",
     "Công ty Cổ phần Thủy điện Sông Bạc Bắc Quang hôm nay chi trả tiền bồi thường cho các hộ dân bản Nà Chì, Khuổi Mòn.",
     "Theo ông Lường Văn Phấn, đập phụ của Thủy điện Sông Bạc sẽ được gia cố trước mùa mưa năm sau."),
]
COFFEE = ("Giá cà phê Đắk Lắk lập đỉnh mới",
          "Giá cà phê nhân xô tại Buôn Ma Thuột hôm nay đạt 128.000 đồng mỗi kg, cao nhất từ trước đến nay.",
          "Các doanh nghiệp xuất khẩu như Simexco Đắk Lắk cho biết nguồn hàng đang khan hiếm.")
VOLLEY = ("Đội tuyển bóng chuyền nữ Việt Nam vào chung kết SEA Games",
          "Đội tuyển bóng chuyền nữ Việt Nam thắng Philippines 3-0 tại bán kết, Trần Thị Thanh Thúy ghi 18 điểm.",
          "Huấn luyện viên Nguyễn Tuấn Kiệt cho biết toàn đội sẵn sàng cho trận chung kết với Thái Lan.")
PAGE = """<html><head><title>{0}</title><meta property="og:title" content="{0}">
<meta property="og:url" content="https://thethao.example.vn/bong-chuyen-1.html">
<meta property="og:site_name" content="Thể thao"><meta property="article:published_time" content="{3}T08:00:00+07:00">
</head><body><article><h1>{0}</h1><p>{1}</p><p>{2}</p></article></body></html>"""


def article(title: str, *paragraphs: str) -> str:
    return "\n\n".join([title, *paragraphs]) + "\n"


def translate(text: str) -> str:
    for vietnamese, english in ENGLISH.items():
        text = re.sub(vietnamese, english, text, flags=re.IGNORECASE)
    return text


@pytest.fixture()
def desk(workdir):
    """Three days written into briefs/: the dam story runs all three days, coffee on day 1, volleyball (HTML) on day 3."""
    folders = [workdir / "in" / d for d in DAYS]
    for folder in folders:
        folder.mkdir(parents=True)
    (folders[0] / "dam.txt").write_text(article(*DAM[0]), encoding="utf-8")
    (folders[0] / "coffee.txt").write_text(article(*COFFEE), encoding="utf-8")
    (folders[1] / "dam.txt").write_text(article(*DAM[1]), encoding="utf-8")
    (folders[2] / "dam.txt").write_text(article(*DAM[2]), encoding="utf-8")
    (folders[2] / "volley.html").write_text(PAGE.format(*VOLLEY, DAYS[2]), encoding="utf-8")
    (workdir / "watch.txt").write_text("# what the desk follows\nLường Văn Phấn | Luong Van Phan\nSimexco\n", encoding="utf-8")
    with engines.registered("english", MockEngine(translate)), engines.registered("mock", MockEngine(lambda t: t)):
        config = mock_registry(workdir / "mock.yaml", translation="english")
        for folder in folders:
            result = run(folder, "--config", config, "--date", folder.name, "--watch", workdir / "watch.txt")
            assert result.exit_code == 0, result.output
        yield workdir / "briefs"


def run(*args):
    return runner.invoke(app, ["run", *map(str, args)])


def search(briefs: Path, *args) -> list[dict]:
    result = runner.invoke(app, ["search", *map(str, args), "--out", str(briefs), "--json"])
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.output)


def test_the_third_day_marks_the_running_story_developing_since_day_one_with_working_links(desk):
    brief = (desk / f"{DAYS[2]}.md").read_text(encoding="utf-8")
    listed = {line.split(". ", 1)[1].split(" — ")[0]: line for line in brief.splitlines() if re.match(r"^\d+\. ", line)}
    dam = next(line for headline, line in listed.items() if "Sông Bạc" in headline)
    volley = next(line for headline, line in listed.items() if "bóng chuyền" in headline.lower() or "volleyball" in headline)
    assert dam.endswith(f"— *developing, day 3 since {DAYS[0]}*")
    assert volley.endswith("— *new*")
    thread = next(line for line in brief.splitlines() if line.startswith("*Developing — day 3"))
    assert f"first reported {DAYS[0]}" in thread and "New since the last brief: 1 article." in thread
    links = re.findall(r"\[(\d{4}-\d{2}-\d{2})\]\(([^)]+)\) \(\[review\]\(<([^>]+)>\)\)", thread)
    assert [date for date, _, _ in links] == list(DAYS[:2])
    for date, brief_link, review_link in links:  # each link opens a file of the briefs folder, at the story
        assert (desk / brief_link).is_file()
        page, anchor = review_link.split("#")
        assert f'id="{anchor}"' in (desk / page).read_text(encoding="utf-8")
    # the review page lists the story's timeline, linked to the earlier days' review pages
    review = (desk / f"{DAYS[2]}.review.html").read_text(encoding="utf-8")
    assert "Developing — day 3</strong>, first reported 2026-11-28" in review
    assert f'href="{links[0][2]}"' in review.replace("&#34;", '"')
    # day 2 already knew it as developing, day 1 as new (the coffee story too)
    second = (desk / f"{DAYS[1]}.md").read_text(encoding="utf-8")
    assert f"— *developing, day 2 since {DAYS[0]}*" in second
    assert "— *new*" not in (desk / f"{DAYS[0]}.md").read_text(encoding="utf-8")  # nothing earlier to tell them from


def test_the_story_command_prints_the_timeline(desk):
    hit = search(desk, "collapse")[0]
    result = runner.invoke(app, ["story", hit["thread"], "--out", str(desk), "--json"])
    assert result.exit_code == 0, result.output
    assert [row["date"] for row in json.loads(result.output)] == list(DAYS)
    readable = runner.invoke(app, ["story", hit["story"], "--out", str(desk)])  # any day's story id finds the thread
    assert "3 days, 3 articles, first reported 2026-11-28" in readable.output


def test_search_finds_english_vietnamese_with_and_without_accents_and_names(desk):
    english = search(desk, "dam collapse")
    assert [h["date"] for h in english] == list(reversed(DAYS))  # newest first
    assert "dam collapse" in english[0]["snippet"].lower()
    assert english[0]["brief"].endswith(f"{DAYS[2]}.md") and "#a-dam-txt-" in english[0]["review"]
    accented, plain = search(desk, "Buôn Ma Thuột"), search(desk, "buon ma thuot")
    assert [h["source"] for h in accented] == [h["source"] for h in plain] and len(plain) == 1
    assert "Buôn Ma Thuột" in plain[0]["snippet"]  # the snippet is the text as written
    assert {h["date"] for h in search(desk, "Lường Văn Phấn")} == set(DAYS)
    assert search(desk, "nothing-like-this") == []


def test_search_honours_each_filter(desk):
    assert [h["date"] for h in search(desk, "Sông Bạc", "--since", DAYS[1])] == [DAYS[2], DAYS[1]]
    assert [h["date"] for h in search(desk, "Sông Bạc", "--until", DAYS[0])] == [DAYS[0]]
    assert [h["date"] for h in search(desk, "Sông Bạc", "--since", DAYS[1], "--until", DAYS[1])] == [DAYS[1]]
    volley = search(desk, "volleyball")
    assert len(volley) == 1 and volley[0]["outlet"] == "thethao.example.vn"
    assert search(desk, "volleyball", "--outlet", "thethao") == volley
    assert search(desk, "volleyball", "--outlet", "vnexpress") == []
    thread = search(desk, "collapse")[0]["thread"]
    assert len(search(desk, "Việt Nam", "--story", thread)) <= 3
    assert {h["thread"] for h in search(desk, "hộ dân", "--story", thread)} == {thread}
    assert search(desk, "coffee", "--story", thread) == []
    assert len(search(desk, "Sông Bạc", "--limit", "2")) == 2


def test_a_watchlist_match_leads_the_brief_and_search_lists_every_past_match(desk, workdir):
    brief = (desk / f"{DAYS[0]}.md").read_text(encoding="utf-8")
    assert brief.index("## Watchlist") < brief.index("**Today:")
    section = brief[brief.index("## Watchlist"):brief.index("**Today:")]
    assert re.search(r"- \*\*Lường Văn Phấn:\*\* \d\. .*Sông Bạc", section)
    assert re.search(r"- \*\*Simexco:\*\* \d\. .*coffee", section)
    firsts = [int(n) for n in re.findall(r"^- \*\*[^*]+:\*\* (\d+)\.", section, re.M)]
    assert firsts == sorted(firsts) == [1, 2]  # in the order of the stories
    assert "**Watchlist:** Lường Văn Phấn" in brief  # the article itself is marked
    assert "## Watchlist" not in (desk / f"{DAYS[1]}.md").read_text(encoding="utf-8").split("**Today:")[1]
    result = runner.invoke(app, ["search", "--watch", str(workdir / "watch.txt"), "--out", str(desk), "--json"])
    matches = json.loads(result.output)
    assert sorted((h["watch"], h["date"]) for h in matches) == sorted(
        [("Lường Văn Phấn", d) for d in DAYS] + [("Simexco", DAYS[0])])


def test_a_rebuilt_archive_equals_the_one_built_run_by_run(desk):
    store = Store(desk / NAME)
    incremental = store.dump()
    store.close()
    assert len(incremental["articles"]) == 5 and len(incremental["days"]) == 3
    assert rebuild(desk) == 3
    store = Store(desk / NAME)
    assert store.dump() == incremental
    store.close()
    result = runner.invoke(app, ["archive", "rebuild", "--out", str(desk)])
    assert result.exit_code == 0 and "from 3 days" in result.output


def test_a_search_runs_beside_a_run_that_is_writing(desk):
    writer = sqlite3.connect(desk / NAME, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # a run in the middle of its transaction
    writer.execute("DELETE FROM articles")
    try:
        assert len(search(desk, "Sông Bạc")) == 3  # the reader sees the archive as it was
    finally:
        writer.execute("ROLLBACK")
        writer.close()


KILLED = """
import os, signal, sys
from summarize.archive import store
put = store.Store.put
def killed(self, day, *args):
    if day.date == {date!r}:
        original = self._delete
        def delete(date):
            original(date)
            self.db.execute("INSERT INTO days VALUES ('1999-01-01', 'x', 0, 'x')")
            os.kill(os.getpid(), signal.SIGKILL)  # in the middle of the day's transaction
        self._delete = delete
    return put(self, day, *args)
store.Store.put = killed
from summarize.cli import entry_point
sys.argv = ["summarize", *sys.argv[1:]]
entry_point()
"""


def test_a_run_killed_while_archiving_loses_nothing_and_the_next_run_completes_it(workdir):
    config = mock_registry(workdir / "mock.yaml", translation="passthrough", summarization="passthrough")
    for date, text in zip(DAYS, DAM):
        (workdir / "in" / date).mkdir(parents=True)
        (workdir / "in" / date / "dam.txt").write_text(article(*text), encoding="utf-8")
    common = ["run", "--config", str(config), "--out", str(workdir / "briefs")]
    env = {**os.environ, "SUMMARIZE_CACHE_DIR": str(workdir / "cache")}

    def summarize(date: str, killed: bool = False):
        code = ["-c", KILLED.format(date=date)] if killed else ["-m", "summarize"]
        return subprocess.run([sys.executable, *code, *common, str(workdir / "in" / date), "--date", date], env=env,
                              capture_output=True, text=True, timeout=300)

    assert summarize(DAYS[0]).returncode == 0
    assert summarize(DAYS[1], killed=True).returncode == -9
    assert (workdir / "briefs" / f"{DAYS[1]}.md").is_file()  # the day's files were written first
    store = Store(workdir / "briefs" / NAME)
    assert set(store.days()) == {DAYS[0]}  # nothing of the killed transaction
    store.close()
    third = summarize(DAYS[2])
    assert third.returncode == 0, third.stderr
    store = Store(workdir / "briefs" / NAME)
    incremental = store.dump()
    assert [row[0] for row in incremental["days"]] == list(DAYS)
    store.close()
    assert f"developing, day 3 since {DAYS[0]}" in (workdir / "briefs" / f"{DAYS[2]}.md").read_text(encoding="utf-8")
    rebuild(workdir / "briefs")
    store = Store(workdir / "briefs" / NAME)
    assert store.dump() == incremental
    store.close()


def test_a_damaged_archive_is_one_warning_and_the_brief_is_written(workdir, seeds, mock):
    (workdir / "briefs").mkdir()
    (workdir / "briefs" / NAME).write_bytes(b"not a database" * 100)
    config = mock_registry(workdir / "mock.yaml")
    result = run(seeds, "--config", config, "--date", DAYS[0])
    assert result.exit_code == 0, result.output
    assert "the archive was not updated" in result.output and (workdir / "briefs" / f"{DAYS[0]}.md").is_file()
    found = runner.invoke(app, ["search", "Putin", "--out", str(workdir / "briefs")])
    assert found.exit_code == 2 and "not a readable archive" in found.output and "archive rebuild" in found.output


def test_search_without_an_archive_says_how_to_make_one(tmp_path):
    result = runner.invoke(app, ["search", "Putin", "--out", str(tmp_path)])
    assert result.exit_code == 2 and "no archive in this folder" in result.output


def test_watchlist_entries_match_whole_words_in_either_language_without_accents(tmp_path):
    from summarize.article import Article

    path = tmp_path / "watch.txt"
    path.write_text("Hà Tĩnh\nVingroup | Tập đoàn Vingroup : VIC\n\n# a comment\n", encoding="utf-8")
    watch = Watchlist.load(path)
    assert [e.name for e in watch.entries] == ["Hà Tĩnh", "Vingroup"]
    assert watch.matches(Article(source="a", body=["Mưa lớn ở HA TINH."])) == ["Hà Tĩnh"]
    assert watch.matches(Article(source="a", body_en=["Shares of VIC rose."])) == ["Vingroup"]
    assert watch.matches(Article(source="a", body=["Vingroupx và Hà Tĩnhx"])) == []  # whole words only
    (tmp_path / "bad").write_bytes(b"\0\1")
    with pytest.raises(Exception, match="not a text file"):
        Watchlist.load(tmp_path / "bad")


def test_runs_of_two_days_at_once_both_reach_the_archive(workdir):
    config = mock_registry(workdir / "mock.yaml", translation="passthrough", summarization="passthrough")
    for date, text in zip(DAYS[:2], DAM):
        (workdir / "in" / date).mkdir(parents=True)
        (workdir / "in" / date / "dam.txt").write_text(article(*text), encoding="utf-8")
    env = {**os.environ, "SUMMARIZE_CACHE_DIR": str(workdir / "cache")}
    runs = [subprocess.Popen([sys.executable, "-m", "summarize", "run", str(workdir / "in" / date), "--date", date,
                              "--config", str(config), "--out", str(workdir / "briefs"), "-q"], env=env)
            for date in DAYS[:2]]
    assert [run.wait(timeout=300) for run in runs] == [0, 0]
    store = Store(workdir / "briefs" / NAME)
    assert sorted(store.days()) == list(DAYS[:2]) and len(store.dump()["articles"]) == 2
    store.close()


def test_a_missing_watchlist_stops_the_run_before_any_work(workdir, seeds, mock):
    config = mock_registry(workdir / "mock.yaml")
    result = run(seeds, "--config", config, "--date", DAYS[0], "--watch", workdir / "nowhere.txt")
    assert result.exit_code == 2 and "cannot read the watchlist" in result.output
    assert not (workdir / "briefs" / f"{DAYS[0]}.md").exists() and mock.calls == []


def test_an_unchanged_day_run_again_only_takes_its_new_stamp(desk, workdir, monkeypatch):
    """The hourly rerun of a day with nothing new rewrites none of its archived rows."""
    from summarize.archive.desk import stamp

    before = Store(desk / NAME)
    archived = before.dump()
    before.close()

    def rewrite(self, date):
        raise AssertionError(f"{date} archived again")

    monkeypatch.setattr(Store, "_delete", rewrite)
    with engines.registered("english", MockEngine(translate)), engines.registered("mock", MockEngine(lambda t: t)):
        result = run(workdir / "in" / DAYS[2], "--config", workdir / "mock.yaml", "--date", DAYS[2],
                     "--watch", workdir / "watch.txt")
    assert result.exit_code == 0 and "archive was not updated" not in result.output, result.output
    after = Store(desk / NAME)
    assert after.dump() == archived and after.days()[DAYS[2]] == stamp(desk / f"{DAYS[2]}.json")
    after.close()
