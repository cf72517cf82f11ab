import json
import os
import stat

import pytest

from summarize.article import Article
from summarize.day import Day, atomic_write
from summarize.errors import DayError
from summarize.outputs import publish

DATE = "2026-11-22"


def article(source: str, **kw) -> Article:
    defaults = dict(headline="Talks resume", summary="Both sides met. They agreed.", outlet="Baoquocte.vn")
    return Article(source=source, **{**defaults, **kw})


def save(folder, date, articles, skipped):
    day = Day(folder, date)
    with day.lock():
        day.load(repair=True)
        day.merge(articles, skipped)
        publish.save(day)
    return day


def test_same_day_merge_keeps_updates_and_orders(tmp_path):
    out = tmp_path / "briefs"
    save(out, DATE, [article("b.txt", headline="B first")], {"c.txt": "empty file"})
    save(out, DATE, [article("a.txt", headline="A"), article("c.txt", headline="C now fine")], {})
    save(out, DATE, [article("b.txt", headline="B updated")], {"a.txt": "permission denied"})
    text = (out / f"{DATE}.md").read_text(encoding="utf-8")
    assert text.index("## 1. A") < text.index("## 2. B updated") < text.index("## 3. C now fine")
    assert "B first" not in text
    assert "## Skipped" not in text  # a.txt keeps its earlier article; c.txt succeeded later
    other_day = save(out, "2026-11-23", [article("d.txt")], {})
    assert "a.txt" not in other_day.brief_path.read_text(encoding="utf-8")
    assert sorted(p.name for p in out.iterdir()) == [
        f".{DATE}.lock", ".2026-11-23.lock", f"{DATE}.json", f"{DATE}.md", f"{DATE}.review.html",
        "2026-11-23.json", "2026-11-23.md", "2026-11-23.review.html", "feed.atom"]  # no temporary files left


def test_a_damaged_day_is_set_aside_never_silently_dropped(tmp_path):
    out = tmp_path / "briefs"
    save(out, DATE, [article("a.txt"), article("b.txt")], {})
    before = (out / f"{DATE}.md").read_text(encoding="utf-8")
    data = out / f"{DATE}.json"
    data.write_text(data.read_text(encoding="utf-8")[:200], encoding="utf-8")  # truncated
    with pytest.raises(DayError, match="unreadable brief data"):
        Day(out, DATE).load()
    day = save(out, DATE, [article("c.txt")], {})
    assert [p.name.split(".corrupt-")[0] for p in day.set_aside] == [f"{DATE}.json", f"{DATE}.md"]
    assert day.set_aside[1].read_text(encoding="utf-8") == before  # the earlier brief, whole
    assert list(day.articles) == ["c.txt"]


def test_find_a_day_from_any_of_its_files_or_its_folder(tmp_path):
    save(tmp_path, "2026-11-21", [article("a.txt")], {})
    save(tmp_path, DATE, [article("a.txt")], {})
    assert Day.find(tmp_path).date == DATE
    assert Day.find(tmp_path / "2026-11-21.review.html").date == "2026-11-21"
    (tmp_path / "empty").mkdir()
    with pytest.raises(DayError, match="no briefs in this folder"):
        Day.find(tmp_path / "empty")
    with pytest.raises(DayError, match="no such folder of briefs"):
        Day.find(tmp_path / "missing")


def test_a_day_saved_before_sentences_were_stored_still_reviews(tmp_path):
    save(tmp_path, DATE, [article("a.txt")], {})
    data = json.loads((tmp_path / f"{DATE}.json").read_text(encoding="utf-8"))
    del data["articles"]["a.txt"]["sentences"]
    (tmp_path / f"{DATE}.json").write_text(json.dumps(data), encoding="utf-8")
    assert Day(tmp_path, DATE).load().articles["a.txt"].sentences == ["Both sides met.", "They agreed."]


def test_files_get_the_umask_permissions_or_keep_their_own(tmp_path):
    old = os.umask(0o022)
    try:
        atomic_write(tmp_path / "new.md", "x")
        assert stat.S_IMODE((tmp_path / "new.md").stat().st_mode) == 0o644
        (tmp_path / "shared.md").write_text("x")
        os.chmod(tmp_path / "shared.md", 0o664)
        atomic_write(tmp_path / "shared.md", "y")
        assert stat.S_IMODE((tmp_path / "shared.md").stat().st_mode) == 0o664
    finally:
        os.umask(old)


def test_a_killed_writer_leaves_neither_a_lock_nor_temporary_files_in_the_way(tmp_path):
    import subprocess
    import sys

    holder = subprocess.Popen([sys.executable, "-c", (
        "import sys, time; from summarize.day import Day; lock = Day(sys.argv[1], sys.argv[2]).lock(); "
        "lock.acquire(); print('held', flush=True); time.sleep(60)"), str(tmp_path), DATE], stdout=subprocess.PIPE)
    assert holder.stdout.readline() == b"held\n"
    (tmp_path / f".{DATE}.md.abc123.tmp").write_text("half a brief", encoding="utf-8")  # a crash mid-write
    holder.kill()
    holder.wait()
    day = Day(tmp_path, DATE)
    with day.lock(timeout=5):  # the kernel released the dead process's lock
        day.merge([article("a.txt")], {})
        publish.save(day)
    assert not list(tmp_path.glob("*.tmp")) and (tmp_path / f"{DATE}.md").exists()


def test_an_article_s_terms_are_counted_once_while_the_day_holds_it(tmp_path, monkeypatch):
    """Grouping and the archive's story vectors both read Day.features: counted once per article,
    and again only for an article merged in its place."""
    import summarize.day as day_module
    from summarize.day.stories import features

    counted = []
    monkeypatch.setattr(day_module, "features", lambda a: counted.append(a.source) or features(a))
    day = Day(tmp_path, DATE)
    day.merge([article("a.txt", body=["Bộ trưởng Nguyễn Văn An thăm Hà Nội."]), article("b.txt", body=["Giá vàng tăng."])], {})
    first = day.features(day.articles["a.txt"])
    assert day.features(day.articles["a.txt"]) is first and sorted(counted) == ["a.txt", "b.txt"]
    assert first == features(day.articles["a.txt"])
    day.merge([article("a.txt", body=["Giá vàng giảm."])], {})
    assert day.features(day.articles["a.txt"]) == features(day.articles["a.txt"]) != first


def test_the_copies_a_run_found_stand_only_while_the_day_holds_what_it_compared(tmp_path, monkeypatch):
    """A run finds the copies before translating; the day reuses them when it holds exactly the
    articles compared then, and finds them again when another run added one in between."""
    from summarize.day import copies, stories

    text = ["Hai bên nhất trí nối lại đàm phán về giới hạn vũ khí chiến lược trong tuần tới tại Geneva."] * 3
    original, copy = article("a.txt", body=text + ["Đoạn thêm."]), article("b.txt", body=text)
    found = ([original, copy], copies.find_copies([original, copy]))
    assert found[1] == {"b.txt": "a.txt"}
    calls = []
    monkeypatch.setattr(stories, "find_copies", lambda *a, **kw: calls.append(1) or copies.find_copies(*a, **kw))
    day = Day(tmp_path, DATE)
    day.merge([original, copy], {}, found=found)
    assert not calls and day.articles["b.txt"].copy_of == "a.txt"
    other = Day(tmp_path, DATE)
    other.articles["c.txt"] = article("c.txt", body=["Một tin khác hẳn về giá lúa ở đồng bằng sông Cửu Long."])
    other.merge([original, copy], {}, found=found)
    assert calls and other.articles["b.txt"].copy_of == "a.txt"
