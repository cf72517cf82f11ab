"""Shared fixtures: the real seed articles, their gold annotations, and tiny models built once."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from summarize.article import Article
from summarize.day import Day
from summarize.models import engines
from summarize.testing import MockEngine, build_tiny

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
GOLD = Path(__file__).resolve().parent / "fixtures" / "gold"
PAGES = Path(__file__).resolve().parent / "fixtures" / "pages"
REALPAGES = ROOT.parent / "shared" / "realpages"  # beside the checkout, never copied into it


@pytest.fixture(scope="session")
def tiny_registry(tmp_path_factory) -> Path:
    """models.yaml pointing at tiny random T5/Marian/BART models and a tiny Qwen2 instruction model, trained on the seeds."""
    return build_tiny(tmp_path_factory.mktemp("tiny"), SEEDS)


@pytest.fixture()
def seeds(tmp_path) -> Path:
    """A private copy of seeds/ (tests may add files to it)."""
    return Path(shutil.copytree(SEEDS, tmp_path / "seeds"))


@pytest.fixture(scope="session")
def models_dir(tmp_path_factory) -> Path:
    """Converted models (ctranslate2), shared by the whole session: each tiny model converts once."""
    return tmp_path_factory.mktemp("converted")


@pytest.fixture()
def workdir(tmp_path, monkeypatch, models_dir) -> Path:
    """Run in a temporary directory with a private cache."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SUMMARIZE_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("SUMMARIZE_MODELS_DIR", str(models_dir))
    return tmp_path


@pytest.fixture()
def mock():
    """A MockEngine registered as `backend: mock` for the test (outputs are the inputs upper-cased)."""
    engine = MockEngine()
    with engines.registered("mock", engine):
        yield engine


def gold_files() -> list[Path]:
    return sorted(GOLD.glob("*.json"))


def load_gold(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def day_of(folder: Path, date: str, *articles: Article, skipped: dict[str, str] | None = None) -> Day:
    """A Day holding `articles` (not saved), arranged into stories, for rendering tests."""
    day = Day(folder, date)
    day.merge(list(articles), skipped or {})
    return day


HOSTILE_TEXT = """Cảnh báo về [đường dẫn](javascript:alert(1)) và ![ảnh](http://tracker.example/p.png) trên mạng
Một trang tin giả đã chèn &lt;script&gt;alert(2)&lt;/script&gt; và <!-- chú thích --> vào bài viết để đánh cắp dữ liệu của người đọc.
# Các chuyên gia khuyến cáo người dùng không nhấp vào đường dẫn lạ và cập nhật trình duyệt thường xuyên để tự bảo vệ.
--- Người dùng cũng nên kiểm tra địa chỉ &lt;a href="javascript:alert(3)"&gt;trang web&lt;/a&gt; trước khi nhập mật khẩu của mình.
| cột | bảng | Những dòng này bắt đầu bằng ký tự đặc biệt của Markdown nhưng vẫn là nội dung của bài báo này.
"""
HOSTILE_NAMES = ["[x](javascript:alert(4)) <b>.txt", "javascript:alert(5).txt", "# heading.txt"]


def hostile_inbox(folder: Path) -> Path:
    """A folder of articles whose names and text are Markdown, HTML and script that must stay inert."""
    folder.mkdir(parents=True)
    for name in HOSTILE_NAMES:
        (folder / name).write_text(HOSTILE_TEXT, encoding="utf-8")
    return folder
