"""The desk's memory: every day's articles kept in the archive beside the briefs, today's stories
linked to the same stories on earlier days, and the watchlist matched.

A run asks for the day's marks before it writes its files (`marks`: each story's thread, new or
developing, and each article's watchlist matches, kept in the day's data so every output and a
later `summarize review` show the same), then records the day (`record`) after them. Before it
links, every earlier day file the archive lacks, or holds an older version of, is archived first
(`sync`): a run killed while archiving, a full disk, or days written by an older version are
completed by the next run, oldest first. The day files stay the record: `rebuild` makes the
archive again from them, the same as the one built run by run.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..day import Day
from ..hashing import digest
from . import threads
from .store import NAME, SCHEMA, Store
from .threads import Thread
from .watchlist import Watchlist


def stamp(path: Path) -> str:
    """What tells a day file's version: its size and modification time."""
    found = os.stat(path)
    return f"{found.st_size}:{found.st_mtime_ns}"


def day_files(folder: Path) -> list[Path]:
    """The briefs folder's day data files, oldest first."""
    return sorted(p for p in Path(folder).glob("[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9].json"))


class Desk:
    def __init__(self, folder: Path, watchlist: Watchlist | None = None, path: Path | None = None):
        self.folder = Path(folder)
        self.watchlist = watchlist
        self.path = path or self.folder / NAME
        self._store: Store | None = None
        self._linked: dict[str, tuple[dict[str, str], dict[str, dict[str, float]]]] = {}

    @property
    def store(self) -> Store:
        if self._store is None:
            self._store = Store(self.path)
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None

    def marks(self, day: Day) -> dict:
        """The day's marks: `threads` (story id -> Thread.to_dict) once the archive holds earlier
        days to tell new stories from developing ones, and `watch` (source -> entries matched)."""
        self.sync(before=day.date)
        ids, vectors, shown, earlier = self._link(day)
        self._linked[day.date] = (ids, vectors)
        marks: dict = {}
        if earlier:
            marks["threads"] = {story: thread.to_dict() for story, thread in shown.items()}
        if self.watchlist is not None:
            watch = {s: found for s, a in sorted(day.articles.items()) if (found := self.watchlist.matches(a))}
            if watch:
                marks["watch"] = watch
        return marks

    def record(self, day: Day) -> None:
        """Archive the day as its data file now holds it (after the run wrote its files); the
        file's bytes fingerprint it (not the day serialised again: a 10,000-article day is 30 MB)."""
        ids, vectors = self._linked.pop(day.date, None) or self._link(day)[:2]
        content = digest(SCHEMA, day.data_path.read_bytes(), ids, vectors)
        self.store.put(day, ids, vectors, stamp(day.data_path), content)

    def sync(self, before: str | None = None) -> list[str]:
        """Archive each day file (dated before `before`) that the archive lacks or holds an
        older version of, oldest first; the dates archived."""
        held = self.store.days()
        done = []
        for path in day_files(self.folder):
            date = path.stem
            if (before is None or date < before) and held.get(date) != stamp(path):
                self.record(Day(self.folder, date).load())
                done.append(date)
        return done

    def _link(self, day: Day) -> tuple[dict[str, str], dict[str, dict[str, float]], dict[str, Thread], bool]:
        """Each story's thread id and terms, the threads as shown, and whether earlier days were compared."""
        vectors = {s.id: threads.vector(day.features(day.articles[x]) for x in s.sources) for s in day.stories}
        earlier = self.store.window(day.date, threads.WINDOW)
        links = threads.link(day.date, vectors, earlier)
        ids, shown = {}, {}
        for story in day.stories:
            ident = links[story.id][0].thread if story.id in links else f"{day.date}/{story.id}"
            before = self.store.appearances(ident, day.date) if story.id in links else []
            ids[story.id] = ident
            shown[story.id] = Thread(ident, before[0].date if before else day.date, before)
        return ids, vectors, shown, bool(earlier)


def rebuild(folder: Path) -> int:
    """The folder's archive made again from its day files, oldest first, into a new file that
    then replaces the old one; the number of days archived."""
    target = Path(folder) / NAME
    fresh = target.with_name(NAME + ".rebuild")
    for leftover in (fresh, fresh.with_name(fresh.name + "-wal"), fresh.with_name(fresh.name + "-shm")):
        leftover.unlink(missing_ok=True)
    desk = Desk(folder, path=fresh)
    try:
        count = len(desk.sync())
        desk.store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        desk.close()
    os.replace(fresh, target)
    for stale in (target.with_name(NAME + "-wal"), target.with_name(NAME + "-shm")):
        stale.unlink(missing_ok=True)
    return count
