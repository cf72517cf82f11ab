import sqlite3
import time

import pytest

from summarize.models.cache import FILE_NAME, SCHEMA_VERSION, WAL_PAGES, Cache


def test_cache_roundtrip_and_disabled_cache(tmp_path):
    cache = Cache(tmp_path)
    cache.put("summary", "k", "text")
    assert Cache(tmp_path).get("summary", "k") == "text"
    assert Cache(tmp_path).get("chunk", "k") is None
    off = Cache(None)
    off.put("summary", "k", "text")
    assert off.get("summary", "k") is None and off.stats() == {"bytes": 0}


def test_many_keys_are_asked_together_beyond_one_query(tmp_path, monkeypatch):
    import summarize.models.cache as cache_module

    monkeypatch.setattr(cache_module, "GET_MANY", 3)  # seven keys: three queries
    cache = Cache(tmp_path)
    cache.put_many("sentence", {f"k{i}": f"v{i}" for i in range(6)})
    cache.put("summary", "k6", "elsewhere")
    asked = ["k5", "k0", "missing", "k0", "k3", "k6", "k1", "k2", "k4"]
    assert cache.get_many("sentence", asked) == {f"k{i}": f"v{i}" for i in range(6)}  # not the other kind's
    assert Cache(None).get_many("sentence", asked) == {} and cache.get_many("sentence", []) == {}


def test_the_log_is_copied_in_less_often_and_gone_once_the_cache_is_closed(tmp_path):
    cache = Cache(tmp_path)
    cache.put_many("sentence", {f"k{i}": "v" * 200 for i in range(2000)})
    assert cache.db.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == WAL_PAGES
    cache.close()
    assert [p.name for p in tmp_path.iterdir()] == [FILE_NAME]  # no -wal or -shm left beside it
    assert Cache(tmp_path).get("sentence", "k1999") == "v" * 200


def test_a_file_of_the_first_schema_is_migrated(tmp_path):
    with sqlite3.connect(tmp_path / FILE_NAME) as db:  # as summarize 0.1.0 wrote it: user_version 0
        db.execute("CREATE TABLE entries (kind TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL,"
                   " created REAL NOT NULL, PRIMARY KEY (kind, key))")
        db.execute("INSERT INTO entries VALUES ('article', 'old-key', '{}', 0)")
    db.close()
    cache = Cache(tmp_path)
    assert cache.get("article", "old-key") is None  # keys of the old scheme can never match: dropped
    cache.put("article", "new", {"a": 1})
    assert cache.get("article", "new") == {"a": 1}
    assert cache.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_a_file_from_a_newer_version_is_left_alone(tmp_path, caplog):
    with sqlite3.connect(tmp_path / FILE_NAME) as db:
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.close()
    cache = Cache(tmp_path)
    assert cache.get("article", "k") is None
    assert "written by a newer summarize" in caplog.text
    assert cache.stats()["damaged"].startswith("written by a newer summarize")


@pytest.mark.parametrize("content", [b"this is not a database" * 100, b"SQLite format 3\x00" + b"\x01" * 50])
def test_stats_and_clear_work_on_a_damaged_file(tmp_path, content):
    (tmp_path / FILE_NAME).write_bytes(content)
    stats = Cache(tmp_path).stats()
    assert "damaged" in stats and stats["bytes"] == len(content)
    assert Cache(tmp_path).clear() == 0
    assert not (tmp_path / FILE_NAME).exists()
    fresh = Cache(tmp_path)
    fresh.put("summary", "k", "v")
    assert fresh.get("summary", "k") == "v"


def test_clear_counts_what_it_removed(tmp_path):
    cache = Cache(tmp_path)
    for n in range(3):
        cache.put("sentence", str(n), "x")
    cache.close()
    assert Cache(tmp_path).stats()["sentence"] == 3
    assert Cache(tmp_path).clear() == 3 and Cache(tmp_path).stats().get("sentence", 0) == 0


def test_a_cache_locked_by_another_process_is_waited_for_then_skipped(tmp_path, caplog):
    Cache(tmp_path).put("summary", "k", "v")
    holder = sqlite3.connect(tmp_path / FILE_NAME, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        start = time.perf_counter()
        cache = Cache(tmp_path, wait=0.5)
        assert cache.get("summary", "k") is None and cache.get("summary", "k") is None
        assert time.perf_counter() - start < 5  # one bounded wait, then no more
        assert "is not usable (database is locked); going on without it" in caplog.text
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert Cache(tmp_path).get("summary", "k") == "v"


def test_stats_and_clear_leave_a_cache_in_use_alone_and_say_so(tmp_path):
    from summarize.models.cache import CacheBusy

    Cache(tmp_path).put("summary", "k", "v")
    holder = sqlite3.connect(tmp_path / FILE_NAME, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(CacheBusy, match="in use by another process.*Fix: try again when it is done"):
            Cache(tmp_path, wait=0.3).stats()
        with pytest.raises(CacheBusy):
            Cache(tmp_path, wait=0.3).clear()
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert Cache(tmp_path).get("summary", "k") == "v"  # nothing was deleted
