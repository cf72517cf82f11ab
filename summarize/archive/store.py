"""The archive's SQLite file, `briefs/archive.sqlite3`: every finished article of every day, its
story and the running story (thread) that story belongs to, with a full-text index.

One table row per article; its long texts (paragraphs and captions in both languages) are kept
zlib-compressed, and the full-text index (SQLite FTS5) is contentless: it holds the words of
the headline, texts and names accent-folded ("điện đàm" as "dien dam", so a query with or
without accents finds both) and no second copy of the text. An article's row id is its date's
day number times 2^20 plus its place in the day, so newest first is the index's own order.
Each day is written in one transaction (`put`): a reader sees a day whole or not at all, and a
process killed while writing leaves the archive as it was. WAL mode: searches run beside a
run, and concurrent runs wait for each other's transaction (busy timeout).
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date as Date
from datetime import timedelta
from pathlib import Path

from ..article import Article
from ..day import Day
from ..reading.letters import fold
from .threads import Appearance, Earlier

NAME = "archive.sqlite3"
SCHEMA = "1"  # with the way texts are folded: a change means `summarize archive rebuild`
PER_DAY = 1 << 20  # row ids per day
BUSY = 120.0  # seconds a writer waits for another's transaction

_TABLES = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS days (date TEXT PRIMARY KEY, stamp TEXT NOT NULL, articles INTEGER NOT NULL,
                                 content TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS articles (
    id INTEGER PRIMARY KEY, date TEXT NOT NULL, source TEXT NOT NULL, story TEXT NOT NULL,
    thread TEXT NOT NULL, headline TEXT NOT NULL, title TEXT, outlet TEXT, published TEXT, url TEXT,
    language TEXT, summary TEXT NOT NULL, flags TEXT NOT NULL, names TEXT NOT NULL, anchor TEXT NOT NULL,
    review TEXT NOT NULL, copy_of TEXT, texts BLOB NOT NULL);
CREATE INDEX IF NOT EXISTS articles_thread ON articles (thread, date);
CREATE TABLE IF NOT EXISTS stories (
    date TEXT NOT NULL, id TEXT NOT NULL, thread TEXT NOT NULL, headline TEXT NOT NULL,
    articles INTEGER NOT NULL, review TEXT NOT NULL, vector TEXT NOT NULL, PRIMARY KEY (date, id));
CREATE INDEX IF NOT EXISTS stories_thread ON stories (thread, date);
CREATE VIRTUAL TABLE IF NOT EXISTS words USING fts5 (headline, text, names, content='', tokenize='unicode61');
"""


@dataclass(frozen=True)
class Row:
    """An archived article as search and timelines show it."""

    id: int
    date: str
    source: str
    story: str
    thread: str
    headline: str
    title: str | None
    outlet: str | None
    published: str | None
    url: str | None
    summary: str
    anchor: str
    review: str
    texts: dict  # body, body_en, captions, captions_en

    @property
    def brief(self) -> str:
        """The day's brief, from the briefs folder."""
        return f"{self.date}.md"


_COLUMNS = "id, date, source, story, thread, headline, title, outlet, published, url, summary, anchor, review, texts"


def row_id(date: str, position: int) -> int:
    return Date.fromisoformat(date).toordinal() * PER_DAY + position


class Store:
    """An archive file (`folder / NAME` for a briefs folder; made on first write)."""

    def __init__(self, path: Path, create: bool = True):
        self.path = Path(path)
        if not create and not self.path.exists():
            raise FileNotFoundError(self.path)
        self.db = sqlite3.connect(self.path, timeout=BUSY, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        if create:
            self.db.executescript(_TABLES)
            self.db.execute("INSERT OR IGNORE INTO meta VALUES ('schema', ?)", (SCHEMA,))

    def close(self) -> None:
        self.db.close()

    @property
    def schema(self) -> str | None:
        found = self.db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
        return found[0] if found else None

    def days(self) -> dict[str, str]:
        """Date -> the stamp of the day's data file when it was archived."""
        return dict(self.db.execute("SELECT date, stamp FROM days"))

    def put(self, day: Day, threads: dict[str, str], vectors: dict[str, dict[str, float]], stamp: str,
            content: str) -> None:
        """The day's articles and stories, replacing what the archive held of that day, in one
        transaction. `threads`: story id -> its thread; `vectors`: story id -> its terms;
        `content`: what fingerprints them all (held, a day put again as it was only takes its
        new stamp: the hourly rerun of an unchanged day writes nothing else)."""
        held = self.db.execute("SELECT content FROM days WHERE date = ?", (day.date,)).fetchone()
        if held and held[0] == content:
            with self._transaction():
                self.db.execute("UPDATE days SET stamp = ? WHERE date = ?", (stamp, day.date))
            return
        pages = day.review_pages()
        story_of = {source: story for story in day.stories for source in story.sources}
        story_of.update({s: story_of[a.copy_of] for s, a in day.articles.items() if a.copy_of in story_of})
        rows, words = [], []
        for position, source in enumerate(sorted(day.articles)):
            article, story = day.articles[source], story_of.get(source)
            if story is not None:
                row, texts = _row(row_id(day.date, position), day.date, article, story.id, threads[story.id],
                                  f"{pages[story.id]}#{article.anchor}")
                rows.append(row)
                words.append(_indexed(row[0], row[5], row[6], row[11], row[13], texts))
        stories = [(day.date, s.id, threads[s.id], s.headline, len(s.sources), f"{pages[s.id]}#{s.id}",
                    json.dumps(vectors[s.id], ensure_ascii=False)) for s in day.stories]
        with self._transaction():
            self._delete(day.date)
            self.db.executemany(f"INSERT INTO articles VALUES ({', '.join('?' * 18)})", rows)
            self.db.executemany("INSERT INTO words (rowid, headline, text, names) VALUES (?, ?, ?, ?)", words)
            self.db.executemany("INSERT INTO stories VALUES (?, ?, ?, ?, ?, ?, ?)", stories)
            self.db.execute("INSERT OR REPLACE INTO days VALUES (?, ?, ?, ?)", (day.date, stamp, len(rows), content))

    def _delete(self, date: str) -> None:
        """A day's rows; its words are taken out of the contentless index with the values they went in with."""
        old = self.db.execute("SELECT id, headline, title, summary, names, texts FROM articles WHERE date = ?", (date,))
        self.db.executemany("INSERT INTO words (words, rowid, headline, text, names) VALUES ('delete', ?, ?, ?, ?)",
                            [_indexed(i, h, t, s, n, _texts(x)) for i, h, t, s, n, x in old.fetchall()])
        self.db.execute("DELETE FROM articles WHERE date = ?", (date,))
        self.db.execute("DELETE FROM stories WHERE date = ?", (date,))
        self.db.execute("DELETE FROM days WHERE date = ?", (date,))

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[None]:
        """One write transaction, taken at once (BEGIN IMMEDIATE), rolled back on any error."""
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def window(self, date: str, days: int) -> list[Earlier]:
        """The stories of the `days` days before `date`, for linking."""
        since = (Date.fromisoformat(date) - timedelta(days=days)).isoformat()
        found = self.db.execute("SELECT date, id, thread, vector FROM stories WHERE date >= ? AND date < ? "
                                "ORDER BY date, id", (since, date))
        return [Earlier(d, i, t, json.loads(v)) for d, i, t, v in found]

    def appearances(self, thread: str, before: str | None = None) -> list[Appearance]:
        """The days a thread ran (before `before`), oldest first."""
        found = self.db.execute("SELECT date, id, headline, articles, review FROM stories WHERE thread = ? AND date < ? "
                                "ORDER BY date, id", (thread, before or "9999"))
        return [Appearance(*row) for row in found]

    def search(self, match: str, since: str | None, until: str | None, outlet: str | None, story: str | None,
               limit: int) -> list[Row]:
        """Articles whose words match the FTS5 query `match`, newest first, within the filters."""
        low = row_id(since, 0) if since else 0
        high = row_id(until, PER_DAY - 1) if until else 1 << 62
        where = ["words MATCH ?", "words.rowid BETWEEN ? AND ?"]
        values: list = [match, low, high]
        if outlet:
            where.append("a.outlet LIKE ?")
            values.append(f"%{outlet}%")
        if story:
            where.append("(a.thread = ? OR a.story = ? OR a.date || '/' || a.story = ?)")
            values += [story, story, story]
        query = (f"SELECT {', '.join('a.' + c for c in _COLUMNS.split(', '))} FROM words JOIN articles a ON a.id = words.rowid "
                 f"WHERE {' AND '.join(where)} ORDER BY words.rowid DESC LIMIT ?")
        return [_read(row) for row in self.db.execute(query, (*values, limit))]

    def thread(self, ident: str) -> list[Row]:
        """Every article of a running story (a thread id, or `date/story id`), oldest first."""
        found = self.db.execute(f"SELECT {_COLUMNS} FROM articles WHERE thread = ? OR date || '/' || story = ? "
                                "ORDER BY id", (ident, ident)).fetchall()
        if found and found[0][4] != ident:  # a story of one day: its whole thread
            return self.thread(found[0][4])
        return [_read(row) for row in found]

    def dump(self) -> dict[str, list[tuple]]:
        """Every table's rows in order (to compare two archives: rebuilt and incremental)."""
        tables = {"days": "SELECT date, articles FROM days ORDER BY date",
                  "articles": "SELECT * FROM articles ORDER BY id",
                  "stories": "SELECT * FROM stories ORDER BY date, id"}
        return {name: self.db.execute(query).fetchall() for name, query in tables.items()}


def _row(ident: int, date: str, article: Article, story: str, thread: str, review: str) -> tuple[tuple, dict]:
    """An article's row, and its long texts (stored compressed in the row)."""
    texts = {"body": article.body, "body_en": article.body_en, "captions": article.captions,
             "captions_en": article.captions_en}
    names = [e["name"] for e in article.entities]
    return (ident, date, article.source, story, thread, article.headline or "", article.title, article.outlet,
            article.published, article.url, article.language, article.summary, json.dumps(article.flags, ensure_ascii=False),
            json.dumps(names, ensure_ascii=False), article.anchor, review, article.copy_of,
            zlib.compress(json.dumps(texts, ensure_ascii=False).encode(), 6)), texts


def _texts(blob: bytes) -> dict:
    return json.loads(zlib.decompress(blob))


def _indexed(ident: int, headline: str, title: str | None, summary: str, names: str, texts: dict) -> tuple:
    """What the index holds of an article (the same values to add it and to take it out)."""
    text = "\n".join([summary, *texts["body_en"], *texts["captions_en"], *texts["body"], *texts["captions"]])
    return ident, fold(f"{headline}\n{title or ''}"), fold(text), fold(" ; ".join(json.loads(names)))


def _read(row: Sequence) -> Row:
    return Row(*row[:-1], _texts(row[-1]))
