"""Results cached in one SQLite file, so unchanged articles cost nothing on the next run.

Keys are hashes of the input text plus everything that changes the output (model id and
revision, conventions, generation settings, the stage's code version). Three kinds of entry:
`sentence` (one translated sentence, so an edited article re-translates only what changed),
`summary` (one English text's summary) and `article` (a finished Article, which lets a rerun
skip every model). WAL mode and a busy timeout let concurrent runs share the file safely.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sqlite3
import time
from pathlib import Path

log = logging.getLogger("summarize")

SCHEMA = """
CREATE TABLE IF NOT EXISTS entries (
    kind TEXT NOT NULL,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    created REAL NOT NULL,
    PRIMARY KEY (kind, key)
)
"""


def default_dir() -> Path:
    """$SUMMARIZE_CACHE_DIR, else the platform's user cache directory."""
    if env := os.environ.get("SUMMARIZE_CACHE_DIR"):
        return Path(env)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("summarize"))


def make_key(*parts: object) -> str:
    """A stable hash of JSON-serialisable parts."""
    return hashlib.sha256(json.dumps(parts, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


class Cache:
    """A key-value store by kind; `Cache(None)` is a cache that remembers nothing (--no-cache).

    A cache that stops working (unwritable folder, full disk, damaged file) is switched off with
    one warning: the run goes on, it only loses the speed-up."""

    def __init__(self, directory: Path | None):
        self.path = Path(directory) / "cache.sqlite3" if directory is not None else None
        self._db: sqlite3.Connection | None = None

    @property
    def db(self) -> sqlite3.Connection | None:
        if self._db is None and self.path is not None:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self._db = sqlite3.connect(self.path, timeout=60)
                self._db.execute("PRAGMA journal_mode=WAL")
                self._db.execute("PRAGMA busy_timeout=60000")
                self._db.execute(SCHEMA)
                self._db.commit()
            except (sqlite3.Error, OSError) as exc:
                self._disable(exc)
        return self._db

    def _disable(self, exc: Exception) -> None:
        log.warning("cache %s is not usable (%s); going on without it", self.path, exc)
        self.path, self._db = None, None

    def get(self, kind: str, key: str) -> object | None:
        if self.db is None:
            return None
        try:
            row = self.db.execute("SELECT value FROM entries WHERE kind=? AND key=?", (kind, key)).fetchone()
        except sqlite3.Error as exc:
            self._disable(exc)
            return None
        return json.loads(row[0]) if row else None

    def put(self, kind: str, key: str, value: object) -> None:
        """Store and commit at once: work finished before a crash is never lost."""
        if self.db is None:
            return
        try:
            with self.db:
                self.db.execute(
                    "INSERT OR REPLACE INTO entries (kind, key, value, created) VALUES (?, ?, ?, ?)",
                    (kind, key, json.dumps(value, ensure_ascii=False), time.time()),
                )
        except sqlite3.Error as exc:
            self._disable(exc)

    def stats(self) -> dict[str, int]:
        """Entries per kind, plus the file size in bytes under 'bytes'."""
        if self.path is None or not self.path.exists():
            return {"bytes": 0}
        counts = dict(self.db.execute("SELECT kind, COUNT(*) FROM entries GROUP BY kind").fetchall())
        size = sum(p.stat().st_size for p in self.path.parent.glob(self.path.name + "*"))
        return {**counts, "bytes": size}

    def clear(self) -> int:
        """Delete every entry; returns how many there were."""
        if self.path is None or not self.path.exists():
            return 0
        with self.db:
            removed = self.db.execute("DELETE FROM entries").rowcount
        self.db.execute("VACUUM")
        return removed

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None
