"""`summarize backfill` on a local Ray cluster (2 CPU workers, tiny models): a JSON Lines corpus
over three dates fills the archive and one brief per date; a killed worker is retried; a rerun
does nothing new; each article is what `summarize run` makes of the same page."""

import json
import os
import re
import signal
import subprocess
import threading
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from summarize.archive.store import NAME, Store
from summarize.cli import app

from .conftest import SEEDS

ray = pytest.importorskip("ray", reason="the cluster extra: pip install 'summarize[cluster]'")
runner = CliRunner()
DATES = ("2020-10-12", "2020-10-13", "2020-10-14")


@pytest.fixture()
def corpus(tmp_path) -> Path:
    """The five seeds as rows of one JSON Lines file over three dates, one row without a date,
    and one as HTML dated only by its page."""
    seeds = sorted(SEEDS.glob("*.txt"))
    rows = [{"url": f"https://news.example.vn/{n}.html", "published": f"{DATES[n % 3]}T08:00:00+07:00",
             "text": path.read_text(encoding="utf-8")} for n, path in enumerate(seeds)]
    rows.append({"url": "https://news.example.vn/undated", "text": "Một bài không có ngày.\n\nNội dung ngắn gọn."})
    rows.append({"url": "https://news.example.vn/page.html",
                 "html": "<html><head><title>Giá vàng tăng mạnh</title>"
                         '<meta property="article:published_time" content="2020-10-14T09:30:00+07:00"></head><body>'
                         "<article><h1>Giá vàng tăng mạnh trong phiên sáng nay</h1><p>Giá vàng trong nước tăng mạnh "
                         "theo giá thế giới, vàng SJC lên 56 triệu đồng mỗi lượng.</p><p>Các doanh nghiệp kinh doanh "
                         "vàng cho biết lượng khách mua tăng trong buổi sáng.</p></article></body></html>"})
    path = tmp_path / "corpus.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    return path


def backfill(corpus: Path, briefs: Path, config: Path, *extra: str):
    return runner.invoke(app, ["backfill", str(corpus), "--out", str(briefs), "--config", str(config), "--workers", "2",
                               *extra])


def test_a_backfill_fills_the_archive_and_one_brief_per_date_and_a_rerun_does_nothing_new(workdir, corpus, tiny_registry):
    config = tiny_registry
    result = backfill(corpus, workdir / "briefs", config)
    assert result.exit_code == 1, result.output  # the undated row is skipped, with its reason
    assert "news.example.vn/undated: no publication date" in result.output
    assert "3 days summarized (6 articles), 3 days filed in the archive, 1 skipped" in result.output
    for date in DATES:
        assert (workdir / "briefs" / f"{date}.md").is_file() and (workdir / "briefs" / f"{date}.review.html").is_file()
    store = Store(workdir / "briefs" / NAME)
    archived = store.dump()
    store.close()
    assert [d for d, _ in archived["days"]] == list(DATES) and len(archived["articles"]) == 6
    stamps = {p.name: p.stat().st_mtime_ns for p in (workdir / "briefs").glob("*.json")}

    again = backfill(corpus, workdir / "briefs", config)
    assert "0 days summarized (0 articles), 0 days filed in the archive" in again.output
    assert {p.name: p.stat().st_mtime_ns for p in (workdir / "briefs").glob("*.json")} == stamps
    store = Store(workdir / "briefs" / NAME)
    assert store.dump() == archived
    store.close()


def test_each_backfilled_article_is_what_summarize_run_makes_of_the_same_page(workdir, corpus, tiny_registry):
    config = tiny_registry
    backfill(corpus, workdir / "briefs", config)
    day = json.loads((workdir / "briefs" / f"{DATES[0]}.json").read_text(encoding="utf-8"))
    source, article = sorted(day["articles"].items())[0]
    alone = runner.invoke(app, ["run", source, "--date", DATES[0], "--out", str(workdir / "alone"), "--config", str(config)])
    assert alone.exit_code == 0, alone.output
    single = json.loads((workdir / "alone" / f"{DATES[0]}.json").read_text(encoding="utf-8"))["articles"][source]
    for name in ("title", "body", "body_en", "title_en", "summary", "headline", "sentences", "support", "flags"):
        assert single[name] == article[name], name


def test_a_killed_worker_is_retried_and_the_backfill_completes(workdir, corpus, tiny_registry):
    config = tiny_registry
    killed: list[int] = []

    def kill_a_worker() -> None:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not killed:
            found = subprocess.run(["pgrep", "-f", "DayWorker"], capture_output=True, text=True).stdout.split()
            for pid in found:
                if int(pid) != os.getpid():
                    os.kill(int(pid), signal.SIGKILL)
                    killed.append(int(pid))
                    break
            time.sleep(0.2)

    killer = threading.Thread(target=kill_a_worker, daemon=True)
    killer.start()
    result = backfill(corpus, workdir / "briefs", config)
    killer.join(timeout=1)
    assert killed, "no worker was seen to kill"
    assert re.search(r"3 days summarized \(6 articles\)", result.output), result.output
    for date in DATES:
        assert (workdir / "briefs" / f"{date}.md").is_file()


def test_a_folder_of_pages_and_a_parquet_file_of_rows_together(workdir, corpus, tiny_registry, seeds):
    import pyarrow
    import pyarrow.parquet

    rows = [json.loads(line) for line in corpus.read_text(encoding="utf-8").splitlines()][-1:]  # the HTML row
    pyarrow.parquet.write_table(pyarrow.Table.from_pylist(rows), workdir / "rows.parquet")
    result = runner.invoke(app, ["backfill", str(seeds), str(workdir / "rows.parquet"), "--out", str(workdir / "briefs"),
                                 "--config", str(tiny_registry), "--workers", "2"])
    assert result.exit_code == 1, result.output  # four seeds show no date: each skipped, with the reason
    assert len(re.findall(r"skipped .*seeds/.*: no publication date", result.output)) == 4
    assert "2 days summarized (2 articles)" in result.output  # the dated seed under its date, the row under its page's
    assert (workdir / "briefs" / "2020-10-14.md").is_file()
