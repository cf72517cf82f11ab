"""A Day: everything under `briefs/<date>.*`, owned in one place.

    <date>.md            the brief (outputs/brief.py)
    <date>.json          its data: every article whole (copies too), the stories, and the
                         skipped files with their reasons
    <date>.review.html   the side-by-side review (outputs/review.py): the top stories in full, every
                         story listed; .review.md on request
    <date>.review/       a review page for each story past the top (s-<id>.html)
    .<date>.lock         held while a run loads, merges and saves the day

Re-running on the same day merges into it: articles are keyed by source, so a rerun updates an
article in place and keeps every article of earlier runs. After each merge the day is arranged
again (stories.arrange): copies found, originals grouped into stories, articles that earlier
runs grouped kept together — unless every article has the text the day saved, when the
arrangement stands. publish.py writes the files; every file is written atomically
(temporary file, then rename) with the permissions an ordinary new file gets, so a crash never
leaves half a brief.

A damaged data file is never silently replaced: a run sets it aside as
`<date>.json.corrupt-<time>`, together with the brief made from it (`<date>.md.corrupt-<time>`),
says so, and starts the day afresh; `summarize review` refuses it with the reason.

The folder: copies.py finds the same article published twice, stories.py groups the originals
into stories by event and builds the index of names.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import tempfile
import time
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from ..article import Article
from ..errors import DayError
from ..reading.letters import INVISIBLE
from ..reading.reader import real_folder
from .stories import Story, build, features
from .stories import arrange as arrange_stories

_OUTPUT = re.compile(r"^(inbox|\d{4}-\d{2}-\d{2}\.(md|json|review|review\.html|review\.md)(\.corrupt-\d{8}T\d{6})?)$")
TOP_STORIES = 50  # the brief and the review page give this many stories in full (docs/speed.md "Big days")
PAGE_ARTICLES = 100  # ... the review page only while they hold at most this many articles in all


class Day:
    def __init__(self, folder: Path, date: str):
        self.folder = Path(folder)
        self.date = date
        self.articles: dict[str, Article] = {}  # source -> article
        self.skipped: dict[str, str] = {}  # source -> reason
        self.stories: list[Story] = []  # in brief order (stories.build)
        self.grouped = True  # whether the stories were grouped (False: each article alone, --no-group)
        self.set_aside: list[Path] = []  # damaged files moved away by load(repair=True)
        self.marks: dict = {}  # the desk's marks of the day (archive/desk.py): threads, watchlist matches
        self._features: dict[str, tuple[Article, Counter]] = {}  # source -> (the article, its features)

    # -- where ---------------------------------------------------------------------------------

    @property
    def data_path(self) -> Path:
        return self.folder / f"{self.date}.json"

    @property
    def brief_path(self) -> Path:
        return self.folder / f"{self.date}.md"

    def review_path(self, fmt: str = "html") -> Path:
        return self.folder / f"{self.date}.review.{fmt}"

    @property
    def review_folder(self) -> Path:
        return self.folder / f"{self.date}.review"

    def review_pages(self) -> dict[str, str]:
        """Story id -> the review page that holds it, relative to the day's folder: the review
        page for the top stories while their articles fit PAGE_ARTICLES, else its own page."""
        pages: dict[str, str] = {}
        articles, inline = 0, True
        for number, story in enumerate(self.stories):
            articles += len(story.sources)
            inline = inline and number < TOP_STORIES and articles <= PAGE_ARTICLES
            pages[story.id] = self.review_path().name if inline else f"{self.review_folder.name}/{story.id}.html"
        return pages

    def wrote(self, path: Path) -> bool:
        """Whether `path` is the briefs folder, or something in it that a run writes (review
        pages, story pages, the inbox of fetched pages): never an input, so `summarize run .`
        with briefs/ inside the folder does not read its own outputs."""
        folder, parent = real_folder(self.folder), real_folder(path.parent)
        return parent / path.name == folder or (parent == folder and _OUTPUT.match(path.name) is not None)

    @property
    def inbox(self) -> Path:
        """Where pages fetched for this day are saved (fetch.py); its parent holds the seen store."""
        return self.folder / "inbox" / self.date

    @classmethod
    def find(cls, path: Path) -> Day:
        """The day of a brief given as any of its files, or a folder's most recent day."""
        path = Path(path)
        if path.is_dir():
            dates = sorted(p.stem for p in path.glob("*.json") if p.stem.count("-") == 2)
            if not dates:
                raise DayError(f"{path}: no briefs in this folder")
            return cls(path, dates[-1])
        if not path.exists() and not path.suffix:
            raise DayError(f"{path}: no such folder of briefs (run `summarize run` first)")
        return cls(path.parent, path.name.split(".")[0])

    def prepare(self) -> None:
        """Check now that the day's folder can be written (or made, by the first write), so a
        bad --out stops the run before any model work; nothing is created here."""
        folder = self.folder.absolute()
        existing = next((p for p in (folder, *folder.parents) if os.path.lexists(p)), None)
        if existing is not None and not existing.is_dir():
            where = "" if existing == folder else f" ({existing} is a file)"
            raise DayError(f"--out {self.folder}: a file is in the way, not a folder{where}",
                           fix="name a folder for the briefs (it is made if missing)")
        if existing is not None and not os.access(existing, os.W_OK | os.X_OK):
            problem = "a read-only file system" if _read_only(existing) else "permission denied"
            raise DayError(f"--out {self.folder}: {problem} ({existing})", fix="name a folder you can write to")

    def lock(self, timeout: float = 600):
        """A lock around load-merge-save, so concurrent runs never lose each other's articles.
        It is an OS lock (flock), so a process that dies holding it releases it."""
        from filelock import FileLock

        self.folder.mkdir(parents=True, exist_ok=True)
        return FileLock(self.folder / f".{self.date}.lock", timeout=timeout)

    # -- what ----------------------------------------------------------------------------------

    def ordered(self) -> list[Article]:
        """The day's original articles in brief order: story by story."""
        return [self.articles[source] for story in self.stories for source in story.sources]

    def copies(self) -> dict[str, list[Article]]:
        """Original's source -> its copies, by source."""
        found: dict[str, list[Article]] = {}
        for source, article in sorted(self.articles.items()):
            if article.copy_of:
                found.setdefault(article.copy_of, []).append(article)
        return found

    def holds(self, articles: Iterable[Article]) -> bool:
        """Whether the day has every one of these articles already, with the same text (what
        copies and stories are found from): then its arrangement stands as it is."""
        return all((old := self.articles.get(a.source)) is not None and _text(old) == _text(a) for a in articles)

    def features(self, article: Article) -> Counter:
        """An article's terms (stories.features), counted once while the day holds it: grouping
        compares articles on them and the archive links stories across days on them."""
        held = self._features.get(article.source)
        if held is None or held[0] is not article:
            held = self._features[article.source] = (article, features(article))
        return held[1]

    def arrange(self, grouped: bool = True, copies: dict[str, str] | None = None) -> None:
        """Find the copies (unless given: find_copies() of the day's articles as they are) and
        group the originals into stories (each alone if not `grouped`), keeping together what
        earlier runs of the day grouped."""
        articles = list(self.articles.values())
        first = {a.source for a in articles if not a.copy_of}  # translated: they stay originals
        groups = arrange_stories(articles, first, [s.sources for s in self.stories], grouped, self.features, copies)
        self.stories = build(self.articles, groups)
        self.grouped = grouped

    def load(self, repair: bool = False) -> Day:
        """Read the day's data. A missing file is an empty day; a damaged one raises DayError,
        or with `repair` is set aside (with its brief) and the day starts afresh."""
        try:
            data = json.loads(self.data_path.read_text(encoding="utf-8"))
            self.articles = {s: _article(a) for s, a in data["articles"].items()}
            self.skipped = dict(data.get("skipped", {}))
            self.grouped = data.get("grouped", True)
            self.marks = dict(data.get("marks", {}))
            stories = data.get("stories") or [{"id": f"s-{n}", "headline": a.headline, "sources": [s]}
                                              for n, (s, a) in enumerate(sorted(self.articles.items()))]
            self.stories = [Story(**story) for story in stories]  # a day saved before stories: one each
        except FileNotFoundError:
            if not repair:
                raise DayError(f"{self.data_path}: no brief data (run `summarize run` first)") from None
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            if not repair:
                raise DayError(f"{self.data_path}: unreadable brief data ({exc})") from None
            self._set_aside()
        return self

    def _set_aside(self) -> None:
        stamp = time.strftime("%Y%m%dT%H%M%S")
        for path in (self.data_path, self.brief_path):
            if path.exists():
                target = path.with_name(f"{path.name}.corrupt-{stamp}")
                path.replace(target)
                self.set_aside.append(target)

    def merge(self, articles: list[Article], skipped: dict[str, str], grouped: bool = True,
              found: tuple[list[Article], dict[str, str]] | None = None) -> None:
        """Add this run's articles (replacing earlier versions) and skipped files, then arrange
        the day again; a file skipped now but summarized earlier today keeps its summary.
        When the day already holds every article with the same text (a rerun), its copies and
        stories stand: only the stories' headlines are made again. `found`: the articles a run
        compared before translating and the copies it found among them, which stand when the
        day now holds exactly those articles (no other run wrote the day in between)."""
        same = grouped == self.grouped and self.holds(articles)
        for article in articles:
            if same:
                old = self.articles[article.source]
                article.copy_of, article.extra = old.copy_of, old.extra
            self.articles[article.source] = article
            self.skipped.pop(article.source, None)
        for source, reason in skipped.items():
            if source not in self.articles:
                self.skipped[source] = reason
        if same:
            self.stories = build(self.articles, [story.sources for story in self.stories])
        else:
            compared, copies = found or ([], None)
            if self.articles.keys() != {a.source for a in compared} or not self.holds(compared):
                copies = None
            self.arrange(grouped, copies)

    # -- writing -------------------------------------------------------------------------------

    def data_text(self) -> str:
        """The day's data file as text (publish.save writes it with the brief and the review)."""
        data = {"articles": {s: a.to_dict() for s, a in self.articles.items()}, "skipped": self.skipped,
                "stories": [dataclasses.asdict(story) for story in self.stories], "grouped": self.grouped}
        if self.marks:
            data["marks"] = self.marks
        return visible_json(data)

    def remove_leftovers(self) -> None:
        """Temporary files of this day's writes left by a crash. Every writer of the day holds
        its lock, so under the lock none of them is in use."""
        for leftover in [*self.folder.glob(f".{self.date}.*.tmp"), *self.review_folder.glob(".*.tmp")]:
            leftover.unlink(missing_ok=True)


_INVISIBLE = re.compile(f"[{INVISIBLE}]")


def visible_json(data: object) -> str:
    """JSON as UTF-8 text (no indent: C speed), every invisible character escaped; it reads
    back as the same strings."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    return _INVISIBLE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _text(article: Article) -> tuple:
    """What an article's copies and story are found from."""
    return article.title, article.body, article.captions, article.entities


def _article(data: dict) -> Article:
    article = Article.from_dict(data)
    if article.summary and not article.sentences:  # saved by summarize 0.1.0: split it now
        from ..checks import check

        check(article)
    return article


def atomic_write(path: Path, text: str) -> None:
    """Write `text` to `path` through a temporary file and a rename (write_together)."""
    write_together({path: text})


def write_together(files: dict[Path, str]) -> None:
    """Write each file through a temporary file and a rename, all or none: every temporary
    file is written (and synced) before any is renamed, so a full disk or a failed write
    leaves every file as it was. A file keeps the mode of the file it replaces, else gets what
    the umask gives a new file (mkstemp's 0600 would make a brief private to its owner)."""
    staged: list[tuple[str, Path]] = []
    try:
        for path, text in files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
            staged.append((tmp, path))
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
                handle.flush()
                if hasattr(os, "fchmod"):  # POSIX
                    os.fchmod(handle.fileno(), _mode_for(path))
                os.fsync(handle.fileno())
    except BaseException:
        for tmp, _ in staged:
            Path(tmp).unlink(missing_ok=True)
        raise
    for tmp, path in staged:
        os.replace(tmp, path)


def _read_only(path: Path) -> bool:
    """Whether `path` is on a file system mounted read-only."""
    try:
        return bool(os.statvfs(path).f_flag & os.ST_RDONLY)
    except (OSError, AttributeError):  # no statvfs (Windows)
        return False


def _mode_for(path: Path) -> int:
    try:
        return path.stat().st_mode & 0o777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
