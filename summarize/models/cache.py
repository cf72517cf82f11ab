"""Results cached in one SQLite file, so unchanged articles cost nothing on the next run.

Keys are hashes of the input text plus the identity of the stage that made the result (each
stage states its own: code version, model entry, glossary). Four kinds of entry: `read` (a
file's bytes cleaned into an Article, so a rerun cleans only what changed), `sentence` (one
translated sentence, so an edited article re-translates only what changed), `summary` (one
English text's summary) and `article` (a finished Article, which lets a rerun skip every
model). WAL mode and a busy timeout let concurrent runs share the file safely.

The file carries a schema version (SQLite's user_version). Opening an older file runs the
migrations from its version up; a file from a newer summarize, or a damaged one, switches the
cache off with one warning, and `summarize cache clear` removes it.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import time
from collections.abc import Iterable
from pathlib import Path

from ..errors import SummarizeError

log = logging.getLogger("summarize")


class CacheError(SummarizeError):
    """The cache cannot be cleared: read-only, or on a failing disk."""


class CacheBusy(CacheError):
    """The cache file is locked by another process for longer than the wait."""


# MIGRATIONS[v] takes a file from schema version v to v + 1; SCHEMA_VERSION is their count.
MIGRATIONS = [
    # 0 → 1: the entries table (files of summarize ≤ 0.1.0 have it already, at version 0)
    ("CREATE TABLE IF NOT EXISTS entries (kind TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL,"
     " created REAL NOT NULL, PRIMARY KEY (kind, key))"),
    # 1 → 2: keys are now made by hashing.digest and each stage's identity; older keys never match
    "DELETE FROM entries",
]
SCHEMA_VERSION = len(MIGRATIONS)
FILE_NAME = "cache.sqlite3"
GET_MANY = 500  # keys asked in one query (SQLite allows 999 parameters in its oldest builds)
# Pages the write-ahead log may hold before they are copied into the file (SQLite's default:
# 1,000). Keys are hashes, so a batch of results lands on pages all over the file, and many
# are written again by the next batches: copied less often, each is copied once for several
# (a quarter to a third less time writing a 10,000-article day's sentences; the log grows to
# about 17 MB and is removed when the run closes the cache).
WAL_PAGES = 4_000
WAIT_SECONDS = 60.0  # how long to wait for a cache another process holds locked, then go on without it


class Cache:
    """A key-value store by kind; `Cache(None)` is a cache that remembers nothing (--no-cache).

    A cache that stops working (unwritable folder, full disk, damaged file) is switched off with
    one warning: the run goes on, it only loses the speed-up."""

    def __init__(self, directory: Path | None, wait: float = WAIT_SECONDS):
        self.wait = wait
        self.path = Path(directory) / FILE_NAME if directory is not None else None
        self._db: sqlite3.Connection | None = None
        self.off = directory is None  # switched off: no cache asked for, or it stopped working

    @property
    def db(self) -> sqlite3.Connection | None:
        if self._db is None and not self.off:
            try:
                self._db = self._open()
            except (sqlite3.Error, OSError) as exc:
                self._disable(exc)
        return self._db

    def _open(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.path, timeout=self.wait)
        try:
            db.execute(f"PRAGMA busy_timeout={int(self.wait * 1000)}")
            db.execute("PRAGMA journal_mode=WAL")
            db.execute(f"PRAGMA wal_autocheckpoint={WAL_PAGES}")
            with db:
                version = db.execute("PRAGMA user_version").fetchone()[0]
                if version > SCHEMA_VERSION:
                    raise sqlite3.DatabaseError(f"written by a newer summarize (schema {version})")
                for step in range(version, SCHEMA_VERSION):
                    db.execute(MIGRATIONS[step])
                db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        except BaseException:
            db.close()
            raise
        return db

    def _disable(self, exc: Exception) -> None:
        log.warning("cache %s is not usable (%s); going on without it", self.path, exc)
        self.close()
        self.off = True

    def get(self, kind: str, key: str) -> object | None:
        return self.get_many(kind, [key]).get(key)

    def get_many(self, kind: str, keys: Iterable[str]) -> dict[str, object]:
        """The entries held for `keys` (those missing are left out), asked GET_MANY at a time:
        one query for many sentences costs far less than one query each."""
        wanted = list(dict.fromkeys(keys))
        if self.db is None or not wanted:
            return {}
        found: dict[str, object] = {}
        try:
            for start in range(0, len(wanted), GET_MANY):
                some = wanted[start : start + GET_MANY]
                rows = self.db.execute(f"SELECT key, value FROM entries WHERE kind=? AND key IN ({','.join('?' * len(some))})",
                                       (kind, *some))
                found.update((key, json.loads(value)) for key, value in rows)
        except (sqlite3.Error, ValueError) as exc:
            self._disable(exc)
            return {}
        return found

    def put(self, kind: str, key: str, value: object) -> None:
        """Store and commit at once: work finished before a crash is never lost."""
        self.put_many(kind, {key: value})

    def put_many(self, kind: str, entries: dict[str, object]) -> None:
        """Store many entries in one commit (cheap results, like cleaned pages, by the thousand)."""
        if self.db is None or not entries:
            return
        now = time.time()
        try:
            with self.db:
                self.db.executemany(
                    "INSERT OR REPLACE INTO entries (kind, key, value, created) VALUES (?, ?, ?, ?)",
                    [(kind, key, json.dumps(value, ensure_ascii=False), now) for key, value in entries.items()],
                )
        except sqlite3.Error as exc:
            self._disable(exc)

    def _files(self) -> list[Path]:
        """The cache file and SQLite's companions (-wal, -shm)."""
        return sorted(self.path.parent.glob(self.path.name + "*")) if self.path else []

    def stats(self) -> dict[str, object]:
        """Entries per kind and the size on disk in bytes ('bytes'); for a file that cannot be
        read, 'damaged' says why instead of the counts; raises CacheBusy while another process
        holds it locked past the wait."""
        files = self._files()
        size = sum(p.stat().st_size for p in files)
        if not files:
            return {"bytes": 0}
        try:
            db = self._open()
            try:
                counts = dict(db.execute("SELECT kind, COUNT(*) FROM entries GROUP BY kind").fetchall())
            finally:
                db.close()
        except (sqlite3.Error, OSError) as exc:
            self._raise_if_busy(exc)
            return {"bytes": size, "damaged": str(exc)}
        return {**counts, "bytes": size}

    def clear(self) -> int:
        """Delete every entry and return how many there were; a file that cannot be read is
        removed whole (it held nothing usable), and 0 is returned. A file another process holds
        locked past the wait is left alone (CacheBusy)."""
        if not self._files():
            return 0
        self.close()
        try:
            db = self._open()
            try:
                with db:
                    removed = db.execute("DELETE FROM entries").rowcount
                db.execute("VACUUM")
            finally:
                db.close()
        except sqlite3.Error as exc:
            self._raise_if_busy(exc)
            if isinstance(exc, sqlite3.OperationalError):  # a read-only file or folder, a disk error: not damage
                raise CacheError(f"{self.path}: cannot clear it ({exc})", fix="make it and its folder writable") from None
            try:
                for path in self._files():
                    path.unlink(missing_ok=True)
            except OSError as problem:
                raise CacheError(f"{self.path}: cannot remove the damaged cache ({problem.strerror or problem})",
                                 fix="make its folder writable, or remove it by hand") from None
            return 0
        return removed

    def _raise_if_busy(self, exc: Exception) -> None:
        if isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc):
            raise CacheBusy(f"{self.path}: in use by another process ({exc})", fix="try again when it is done")

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None
