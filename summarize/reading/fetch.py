"""Fetching: web addresses and feeds (RSS, Atom; a feeds file, plain or OPML) to pages saved in
a day's inbox, so everything after reading works on files as it always has, and a run can be
repeated offline from them.

robots.txt is obeyed; each host is asked one page at a time, DELAY seconds apart, at most
PARALLEL hosts at once; every request has timeouts, a total time and a size cap; redirects are
followed by hand, each hop checked; only public http(s) hosts are reached (unless allowed, by
host and port); a feed gives at most PER_FEED pages and a run fetches at most PER_RUN (the rest
waits for the next run); each page is recorded as seen in the inbox's seen.sqlite3 as soon as
it is saved, so Ctrl-C keeps what was saved. Every fault is one reason for one address.
The promises, case by case: docs/fetching.md.
"""

from __future__ import annotations

import ipaddress
import queue
import re
import socket
import sqlite3
import threading
import time
from collections.abc import Iterable, Mapping
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit
from urllib.robotparser import RobotFileParser

from .. import __version__
from ..hashing import digest

USER_AGENT = f"summarize/{__version__} (a local news brief; obeys robots.txt)"
CONNECT, READ, TOTAL = 10.0, 20.0, 60.0  # seconds: connect, between bytes, a whole page
MAX_BYTES = 5 * 2**20  # a page or feed larger than this is not one (an endless body is cut off here)
REDIRECTS = 5
DELAY = 1.0  # seconds between two requests to one host
PARALLEL = 4  # hosts fetched at once
PER_FEED = 100  # pages taken from one feed (its newest first, as feeds list them)
PER_RUN = 1000  # pages fetched by one run; the rest are left for the next run
MAX_FEEDS_FILE = 2 * 2**20  # a feeds file larger than this is not a list of feeds
PAGE_TYPES = ("text/html", "application/xhtml+xml")
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml", "text/xml")
_TRACKING = re.compile(r"^(utm_\w+|fbclid|gclid|mc_cid|mc_eid|_ga)$", re.IGNORECASE)


class FetchError(Exception):
    """Why one address gave nothing: one line, for the brief's skipped list."""


@dataclass
class Options:
    """How to fetch: the limits above, and the hosts allowed although they are not public
    (`host:port`, or `host` for its default ports 80 and 443)."""

    allow_hosts: frozenset[str] = frozenset()
    per_feed: int = PER_FEED
    per_run: int = PER_RUN
    delay: float = DELAY
    parallel: int = PARALLEL
    connect: float = CONNECT
    read: float = READ
    total: float = TOTAL
    max_bytes: int = MAX_BYTES


@dataclass
class Fetched:
    """What a fetch gave: saved pages (new ones only), and addresses that gave nothing, why."""

    saved: list[Path] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)
    seen: int = 0  # addresses not fetched again: an earlier run read them
    notes: list[str] = field(default_factory=list)  # what the user should know: caps reached, a store set aside


def canonical(url: str) -> str:
    """The address an article is known by: scheme and host in lower case, no fragment, no
    tracking parameters, no default port."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    port = f":{parts.port}" if parts.port and parts.port not in (80, 443) else ""
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _TRACKING.match(k)])
    return urlunsplit((parts.scheme.lower(), host + port, parts.path or "/", query, ""))


def is_web_address(text: str) -> bool:
    return bool(re.match(r"^https?://", str(text), re.IGNORECASE))


def read_feeds_file(path: Path) -> list[str]:
    """The addresses in a feeds file: one per line (# comments), or an OPML outline's xmlUrl.
    A file over MAX_FEEDS_FILE (a device such as /dev/zero, a wrong file) is refused."""
    with open(path, "rb") as handle:
        data = handle.read(MAX_FEEDS_FILE + 1)
    if len(data) > MAX_FEEDS_FILE:
        raise FetchError(f"over {MAX_FEEDS_FILE // 2**20} MB, not a list of feeds")
    text = data.decode("utf-8-sig")
    if "<opml" in text[:2000].lower():
        from xml.etree import ElementTree

        try:
            root = ElementTree.fromstring(text)
        except ElementTree.ParseError as exc:
            raise FetchError(f"{path}: not valid OPML ({exc})") from None
        return [o.get("xmlUrl") or o.get("url") for o in root.iter("outline") if o.get("xmlUrl") or o.get("url")]
    return [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


class Fetcher:
    """Fetches feeds and pages into `inbox` (one folder per day), remembering what it saw."""

    def __init__(self, inbox: Path, options: Options | None = None):
        import urllib3

        self.inbox = Path(inbox)
        self.options = options or Options()
        self.http = urllib3.PoolManager(timeout=urllib3.Timeout(connect=self.options.connect, read=self.options.read),
                                        retries=False)
        self._robots: dict[str, tuple[RobotFileParser, str | None]] = {}  # by scheme and host: rules, why unreadable
        self._last: dict[str, float] = {}
        self._lock = threading.Lock()
        self._stop = threading.Event()  # set on Ctrl-C: the workers stop between reads
        self.notes: list[str] = []

    # -- the store of seen addresses ------------------------------------------------------------

    @property
    def store(self) -> Path:
        return self.inbox.parent / "seen.sqlite3"

    def _db(self) -> sqlite3.Connection:
        """The seen store; a damaged one is set aside (kept, renamed) and a new one started,
        so a run still fetches and writes its brief."""
        self.inbox.parent.mkdir(parents=True, exist_ok=True)
        try:
            return _open_store(self.store)
        except sqlite3.DatabaseError as exc:
            aside = self.store.with_name(f"{self.store.name}.corrupt-{time.strftime('%Y%m%dT%H%M%S')}")
            self.store.replace(aside)
            for companion in ("-wal", "-shm"):
                self.store.with_name(self.store.name + companion).unlink(missing_ok=True)
            self.notes.append(f"the store of seen addresses was damaged ({exc}); set aside as {aside}, "
                              "so pages read before may be fetched again")
            return _open_store(self.store)

    # -- the whole job ----------------------------------------------------------------------------

    def fetch(self, addresses: Iterable[str]) -> Fetched:
        """Every address: a feed gives its articles, a page is itself. New pages are saved,
        each recorded as seen as soon as it is."""
        self.notes = []  # this fetch's (the seen store's note comes from _db)
        result = Fetched(notes=self.notes)
        self._stop.clear()  # an earlier fetch of this fetcher ended by setting it
        with closing(self._db()) as db:
            pages = self._pages(addresses, db, result)
            todo = []
            for page, body in pages.items():
                if _seen(db, page):
                    result.seen += 1
                elif body is not None:
                    self._record(db, result, page, self._save(page, page, body))
                else:
                    todo.append(page)
            if len(todo) > self.options.per_run:
                result.notes.append(f"{len(todo) - self.options.per_run} more pages are left for the next run "
                                    f"(at most {self.options.per_run} a run)")
                todo = todo[: self.options.per_run]
            for page, outcome in self._fetch_pages(todo):
                if isinstance(outcome, Path):
                    self._record(db, result, page, outcome)
                else:
                    result.skipped[page] = outcome
        return result

    def _pages(self, addresses: Iterable[str], db: sqlite3.Connection, result: Fetched) -> dict[str, bytes | None]:
        """Canonical address -> its body when already fetched (a page given), else None."""
        pages: dict[str, bytes | None] = {}
        with db:
            for address in dict.fromkeys(addresses):
                if is_web_address(address) and _seen(db, canonical(address)):
                    result.seen += 1  # a page an earlier run read: not even asked for
                    continue
                try:
                    for page, body in self._expand(address, db, result):
                        pages.setdefault(canonical(page), body)
                except FetchError as exc:
                    result.skipped[address] = str(exc)
        return pages

    @staticmethod
    def _record(db: sqlite3.Connection, result: Fetched, page: str, path: Path) -> None:
        result.saved.append(path)
        with db:
            db.execute("INSERT OR REPLACE INTO seen VALUES (?, ?, ?)", (page, str(path), time.time()))

    def _fetch_pages(self, pages: list[str]):
        """(page, saved path or why not) as each page is done: the hosts in PARALLEL daemon
        threads, so Ctrl-C stops the fetch at once (the page being saved is written whole or
        not at all). A fault that is not the page's (a full disk) stops the fetch with it,
        instead of leaving the loop waiting for a page that will never come."""
        by_host: dict[str, list[str]] = {}
        for page in pages:
            by_host.setdefault(urlsplit(page).hostname or "", []).append(page)
        hosts: queue.Queue = queue.Queue()
        for host_pages in by_host.values():
            hosts.put(host_pages)
        outcomes: queue.Queue = queue.Queue()

        def worker() -> None:
            while not self._stop.is_set():
                try:
                    host_pages = hosts.get_nowait()
                except queue.Empty:
                    return
                for page in host_pages:
                    if self._stop.is_set():
                        return
                    try:
                        outcomes.put((page, self._page(page)))
                    except Exception as exc:  # noqa: BLE001 (handed to the caller's thread, raised there)
                        outcomes.put((page, exc))
                        return

        for _ in range(min(len(by_host), max(1, self.options.parallel))):
            threading.Thread(target=worker, daemon=True).start()
        try:
            for _ in pages:
                while True:
                    try:
                        page, outcome = outcomes.get(timeout=0.2)  # a short wait, so Ctrl-C is seen at once
                        break
                    except queue.Empty:
                        continue
                if isinstance(outcome, Exception):
                    raise outcome
                yield page, outcome
        finally:
            self._stop.set()

    def _page(self, page: str) -> Path | str:
        try:
            _, kind, body, final, _ = self.get(page)
            if kind not in PAGE_TYPES:
                raise FetchError(f"not a web page ({kind})")
            return self._save(page, final, body)
        except FetchError as exc:
            return str(exc)

    def _expand(self, address: str, db: sqlite3.Connection, result: Fetched) -> list[tuple[str, bytes | None]]:
        """A feed's article addresses (not fetched yet; at most PER_FEED), or the address itself
        with the page it gave (fetched once, not again)."""
        if not is_web_address(address):
            raise FetchError("not an http(s) address")
        etag, modified = db.execute("SELECT etag, modified FROM feeds WHERE url = ?", (address,)).fetchone() or (None, None)
        headers = {k: v for k, v in (("If-None-Match", etag), ("If-Modified-Since", modified)) if v}
        status, kind, body, final, reply = self.get(address, headers)
        if status == 304:
            return []  # the feed has not changed since the last run
        if kind in PAGE_TYPES and not _looks_like_feed(body):
            return [(final, body)]
        import feedparser

        parsed = feedparser.parse(body)
        links = list(dict.fromkeys(urljoin(final, e.get("link")) for e in parsed.entries if e.get("link")))
        if not links:
            raise FetchError("not a feed, or an empty one" + (f" ({parsed.bozo_exception})" if parsed.bozo else ""))
        new = [link for link in links if not _seen(db, canonical(link))]
        result.seen += len(links) - len(new)
        if len(new) > self.options.per_feed:
            result.notes.append(f"{address}: {len(new)} new items, the first {self.options.per_feed} taken "
                                f"(at most {self.options.per_feed} a feed)")
            new = new[: self.options.per_feed]
        else:  # every item taken: the next run may ask only for what changed
            db.execute("INSERT OR REPLACE INTO feeds VALUES (?, ?, ?)",
                       (address, reply.get("ETag"), reply.get("Last-Modified")))
        return [(link, None) for link in new]

    def _save(self, page: str, final: str, body: bytes) -> Path:
        return save_page(self.inbox, page, body, final)

    # -- one request ------------------------------------------------------------------------------

    def get(self, url: str, headers: dict[str, str] | None = None) -> tuple[int, str, bytes, str, Mapping[str, str]]:
        """(status, content type, body, final address, reply headers) of a GET, redirects
        followed by hand (each hop checked), robots.txt obeyed, the host's delay kept. Header
        names are matched in any case (HTTP/2 servers send them in lower case)."""
        for _ in range(REDIRECTS + 1):
            check_address(url, self.options)
            self._obey_robots(url)
            status, reply, body = self._request(url, headers)
            if status in (301, 302, 303, 307, 308) and reply.get("Location"):
                url = urljoin(url, reply["Location"])
                continue
            if status == 304:
                return status, "", b"", url, reply
            if status >= 400:
                raise FetchError(f"HTTP {status}")
            kind = (reply.get("Content-Type") or "").split(";")[0].strip().lower()
            if kind not in PAGE_TYPES + FEED_TYPES:
                raise FetchError(f"not a web page or feed ({kind or 'no content type'})")
            return status, kind, body, url, reply
        raise FetchError(f"too many redirects (over {REDIRECTS})")

    def _request(self, url: str, headers: dict[str, str] | None) -> tuple[int, Mapping[str, str], bytes]:
        """One GET; the body read as it arrives, so the page's total time and size caps hold
        however slowly a server sends it."""
        import urllib3

        self._wait(urlsplit(url).hostname or "")
        deadline = time.monotonic() + self.options.total
        try:
            reply = self.http.request("GET", url, headers={"User-Agent": USER_AGENT, **(headers or {})}, redirect=False,
                                      preload_content=False)
            try:
                if reply.status >= 300:
                    return reply.status, reply.headers, b""
                chunks, size = [], 0
                while chunk := reply.read1(65536):
                    size += len(chunk)
                    if size > self.options.max_bytes:
                        raise FetchError(f"larger than {_size(self.options.max_bytes)}")
                    if time.monotonic() > deadline:
                        raise FetchError(f"too slow: not done after {self.options.total:g} s")
                    if self._stop.is_set():
                        raise FetchError("interrupted")
                    chunks.append(chunk)
                return reply.status, reply.headers, b"".join(chunks)
            finally:
                reply.release_conn()
        except urllib3.exceptions.TimeoutError:
            raise FetchError("timed out") from None
        except urllib3.exceptions.HTTPError as exc:
            raise FetchError(f"cannot connect ({type(exc).__name__})") from None

    def _wait(self, host: str) -> None:
        with self._lock:
            wait = self._last.get(host, -1e9) + self.options.delay - time.monotonic()
            self._last[host] = time.monotonic() + max(0.0, wait)
        if wait > 0:
            self._stop.wait(wait)

    def _obey_robots(self, url: str) -> None:
        """robots.txt of the address's host: a missing one allows all; one that cannot be read
        (server error, timeout, too large) allows nothing, and the reason says so."""
        parts = urlsplit(url)
        root = f"{parts.scheme}://{parts.netloc}"
        if root not in self._robots:
            rules, unreadable = RobotFileParser(), None
            try:
                status, _, body = self._request(root + "/robots.txt", None)
            except FetchError as exc:
                status, body, unreadable = 0, b"", str(exc)
            if status >= 500:
                unreadable = f"HTTP {status}"
            if status >= 300:
                rules.allow_all = True
            else:
                rules.parse(body.decode("utf-8", "replace").splitlines())
            self._robots[root] = rules, unreadable
        rules, unreadable = self._robots[root]
        if unreadable:
            raise FetchError(f"not fetched: its robots.txt could not be read ({unreadable})")
        if not rules.can_fetch(USER_AGENT, url):
            raise FetchError("robots.txt asks robots not to fetch it")


def check_address(url: str, options: Options) -> None:
    """Refuse what is not http(s) on a public host, unless the host and port are allowed (the
    fetcher's rule for every hop, and the webhook's)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise FetchError(f"not an http(s) address ({parts.scheme}:)")
    host = parts.hostname or ""
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise FetchError(f"not a valid port ({parts.netloc})") from None
    if allowed(host, port, options.allow_hosts):
        return
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)}
    except (socket.gaierror, UnicodeError):
        raise FetchError(f"no such host ({host})") from None
    for address in addresses:
        if not ipaddress.ip_address(address.split("%")[0]).is_global:
            named = host if port in (80, 443) else f"{host}:{port}"
            raise FetchError(f"{host} is a private or local address ({address}); --allow-host {named} reads it")


def allowed(host: str, port: int, allow: Iterable[str]) -> bool:
    """Whether --allow-host lets a private `host` be read on `port`: `host:port` allows that
    port, `host` alone its default ports (80, 443)."""
    return f"{host}:{port}" in allow or f"[{host}]:{port}" in allow or (port in (80, 443) and host in allow)


def _open_store(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(path, timeout=30)
    try:
        db.execute("CREATE TABLE IF NOT EXISTS seen (url TEXT PRIMARY KEY, saved TEXT, at REAL)")
        db.execute("CREATE TABLE IF NOT EXISTS feeds (url TEXT PRIMARY KEY, etag TEXT, modified TEXT)")
        db.execute("SELECT count(*) FROM seen").fetchone()
    except BaseException:
        db.close()
        raise
    return db


def _size(count: int) -> str:
    """`5 MB`, `200 KB`: a byte count as the messages give it."""
    return f"{count / 2**20:g} MB" if count >= 2**20 else f"{count / 1000:g} KB"


def _seen(db: sqlite3.Connection, page: str) -> bool:
    """Whether an earlier run read this (canonical) address."""
    return db.execute("SELECT 1 FROM seen WHERE url = ?", (page,)).fetchone() is not None


def _looks_like_feed(body: bytes) -> bool:
    head = body[:2000].lower()
    return head[:1000].lstrip().startswith(b"<?xml") and (b"<rss" in head or b"<feed" in head)


def save_page(inbox: Path, page: str, body: bytes, final: str | None = None, suffix: str = ".html") -> Path:
    """A page saved in an inbox: HTML behind the browsers' `saved from url` comment that tells
    the reader its address; named after its host and path (`final`: where it was fetched from
    after redirects), unique by a hash of the address; written whole or not at all."""
    inbox.mkdir(parents=True, exist_ok=True)
    parts = urlsplit(final or page)
    stem = re.sub(r"[^a-z0-9]+", "-", f"{parts.hostname}-{parts.path}".lower()).strip("-")[:80] or "page"
    path = inbox / f"{stem}-{digest(page, length=8)}{suffix}"
    partial = path.with_name(f".{path.name}.part")
    comment = f"<!-- saved from url=({len(page):04d}){page} -->\n".encode() if suffix == ".html" else b""
    partial.write_bytes(comment + body)
    partial.replace(path)
    return path
