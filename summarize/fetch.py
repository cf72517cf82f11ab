"""Fetching: web addresses and feeds (RSS, Atom; a feeds file, plain or OPML) to pages saved in
a day's inbox, so everything after reading works on files as it always has, and a run can be
repeated offline from them.

robots.txt is obeyed; each host is asked one page at a time, DELAY seconds apart, at most
PARALLEL hosts at once; every request has timeouts, a total time and a size cap; redirects are
followed by hand, each hop checked; only public http(s) hosts are reached (unless allowed);
seen addresses are kept in the inbox's seen.sqlite3. Every fault is one reason for one address.
The promises, case by case: docs/fetching.md.
"""

from __future__ import annotations

import ipaddress
import re
import socket
import sqlite3
import threading
import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit
from urllib.robotparser import RobotFileParser

from . import __version__
from .hashing import digest

USER_AGENT = f"summarize/{__version__} (a local news brief; obeys robots.txt)"
CONNECT, READ, TOTAL = 10.0, 20.0, 60.0  # seconds: connect, between bytes, a whole page
MAX_BYTES = 5 * 2**20  # a page or feed larger than this is not one (an endless body is cut off here)
REDIRECTS = 5
DELAY = 1.0  # seconds between two requests to one host
PARALLEL = 4  # hosts fetched at once
PAGE_TYPES = ("text/html", "application/xhtml+xml")
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml", "text/xml")
_TRACKING = re.compile(r"^(utm_\w+|fbclid|gclid|mc_cid|mc_eid|_ga)$", re.IGNORECASE)


class FetchError(Exception):
    """Why one address gave nothing: one line, for the brief's skipped list."""


@dataclass
class Options:
    """How to fetch: the limits above, and the hosts allowed although they are not public."""

    allow_hosts: frozenset[str] = frozenset()
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
    """The addresses in a feeds file: one per line (# comments), or an OPML outline's xmlUrl."""
    text = Path(path).read_text(encoding="utf-8-sig")
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
        self._robots: dict[str, RobotFileParser] = {}  # by scheme and host
        self._last: dict[str, float] = {}
        self._lock = threading.Lock()

    # -- the store of seen addresses ------------------------------------------------------------

    def _db(self) -> sqlite3.Connection:
        self.inbox.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.inbox.parent / "seen.sqlite3", timeout=30)
        db.execute("CREATE TABLE IF NOT EXISTS seen (url TEXT PRIMARY KEY, saved TEXT, at REAL)")
        db.execute("CREATE TABLE IF NOT EXISTS feeds (url TEXT PRIMARY KEY, etag TEXT, modified TEXT)")
        return db

    # -- the whole job ----------------------------------------------------------------------------

    def fetch(self, addresses: Iterable[str]) -> Fetched:
        """Every address: a feed gives its articles, a page is itself. New pages are saved."""
        result = Fetched()
        pages: dict[str, bytes | None] = {}  # canonical address -> its body when already fetched (a page given)
        saved: list[tuple[str, str, float]] = []
        with closing(self._db()) as db, db:
            for address in dict.fromkeys(addresses):
                if is_web_address(address) and _seen(db, canonical(address)):
                    result.seen += 1  # a page an earlier run read: not even asked for
                    continue
                try:
                    for page, body in self._expand(address, db):
                        pages.setdefault(canonical(page), body)
                except FetchError as exc:
                    result.skipped[address] = str(exc)
            todo = []
            for page, body in pages.items():
                if _seen(db, page):
                    result.seen += 1
                elif body is not None:
                    result.saved.append(self._save(page, page, body))
                    saved.append((page, str(result.saved[-1]), time.time()))
                else:
                    todo.append(page)
        by_host: dict[str, list[str]] = {}
        for page in todo:
            by_host.setdefault(urlsplit(page).hostname or "", []).append(page)
        with ThreadPoolExecutor(max_workers=max(1, self.options.parallel)) as pool:
            for outcomes in pool.map(self._host, by_host.values()):
                for page, outcome in outcomes:
                    if isinstance(outcome, Path):
                        result.saved.append(outcome)
                        saved.append((page, str(outcome), time.time()))
                    else:
                        result.skipped[page] = outcome
        with closing(self._db()) as db, db:
            db.executemany("INSERT OR REPLACE INTO seen VALUES (?, ?, ?)", saved)
        return result

    def _expand(self, address: str, db: sqlite3.Connection) -> list[tuple[str, bytes | None]]:
        """A feed's article addresses (not fetched yet), or the address itself with the page
        it gave (fetched once, not again)."""
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
        links = [(urljoin(final, e.get("link")), None) for e in parsed.entries if e.get("link")]
        if not links:
            raise FetchError("not a feed, or an empty one" + (f" ({parsed.bozo_exception})" if parsed.bozo else ""))
        db.execute("INSERT OR REPLACE INTO feeds VALUES (?, ?, ?)",
                   (address, reply.get("ETag"), reply.get("Last-Modified")))
        return links

    def _host(self, pages: list[str]) -> list[tuple[str, Path | str]]:
        """One host's pages, one at a time, DELAY apart."""
        outcomes: list[tuple[str, Path | str]] = []
        for page in pages:
            try:
                _, kind, body, final, _ = self.get(page)
                if kind not in PAGE_TYPES:
                    raise FetchError(f"not a web page ({kind})")
                outcomes.append((page, self._save(page, final, body)))
            except FetchError as exc:
                outcomes.append((page, str(exc)))
        return outcomes

    def _save(self, page: str, final: str, body: bytes) -> Path:
        """The page as fetched, behind the browsers' `saved from url` comment that tells the
        reader its address; named after its host and path, unique by a hash of the address."""
        self.inbox.mkdir(parents=True, exist_ok=True)
        parts = urlsplit(final)
        stem = re.sub(r"[^a-z0-9]+", "-", f"{parts.hostname}-{parts.path}".lower()).strip("-")[:80]
        path = self.inbox / f"{stem}-{digest(page, length=8)}.html"
        path.write_bytes(f"<!-- saved from url=({len(page):04d}){page} -->\n".encode() + body)
        return path

    # -- one request ------------------------------------------------------------------------------

    def get(self, url: str, headers: dict[str, str] | None = None) -> tuple[int, str, bytes, str, dict]:
        """(status, content type, body, final address, reply headers) of a GET, redirects
        followed by hand (each hop checked), robots.txt obeyed, the host's delay kept."""
        for _ in range(REDIRECTS + 1):
            self._check(url)
            if not self._allowed(url):
                raise FetchError("robots.txt asks robots not to fetch it")
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

    def _request(self, url: str, headers: dict[str, str] | None) -> tuple[int, dict, bytes]:
        import urllib3

        self._wait(urlsplit(url).hostname or "")
        deadline = time.monotonic() + self.options.total
        try:
            reply = self.http.request("GET", url, headers={"User-Agent": USER_AGENT, **(headers or {})}, redirect=False,
                                      preload_content=False)
            try:
                if reply.status >= 300:
                    return reply.status, dict(reply.headers), b""
                chunks, size = [], 0
                for chunk in reply.stream(65536):
                    size += len(chunk)
                    if size > self.options.max_bytes:
                        raise FetchError(f"larger than {self.options.max_bytes // 2**20} MB")
                    if time.monotonic() > deadline:
                        raise FetchError(f"too slow: not done after {self.options.total:g} s")
                    chunks.append(chunk)
                return reply.status, dict(reply.headers), b"".join(chunks)
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
            time.sleep(wait)

    def _check(self, url: str) -> None:
        """Refuse what is not http(s) on a public host, unless the host is allowed."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            raise FetchError(f"not an http(s) address ({parts.scheme}:)")
        host = parts.hostname or ""
        if host in self.options.allow_hosts:
            return
        try:
            addresses = {info[4][0] for info in socket.getaddrinfo(host, parts.port or 80, proto=socket.IPPROTO_TCP)}
        except (socket.gaierror, UnicodeError):
            raise FetchError(f"no such host ({host})") from None
        for address in addresses:
            if not ipaddress.ip_address(address.split("%")[0]).is_global:
                raise FetchError(f"{host} is a private or local address ({address}); --allow-host {host} reads it")

    def _allowed(self, url: str) -> bool:
        """robots.txt of the address's host: a missing one allows all, one that cannot be read
        (server error, timeout) allows nothing."""
        parts = urlsplit(url)
        root = f"{parts.scheme}://{parts.netloc}"
        if root not in self._robots:
            rules = RobotFileParser()
            try:
                status, _, body = self._request(root + "/robots.txt", None)
            except FetchError:
                status, body = 503, b""
            if status >= 500:
                rules.disallow_all = True
            elif status >= 300:
                rules.allow_all = True
            else:
                rules.parse(body.decode("utf-8", "replace").splitlines())
            self._robots[root] = rules
        return self._robots[root].can_fetch(USER_AGENT, url)


def _seen(db: sqlite3.Connection, page: str) -> bool:
    """Whether an earlier run read this (canonical) address."""
    return db.execute("SELECT 1 FROM seen WHERE url = ?", (page,)).fetchone() is not None


def _looks_like_feed(body: bytes) -> bool:
    head = body[:2000].lower()
    return head[:1000].lstrip().startswith(b"<?xml") and (b"<rss" in head or b"<feed" in head)


