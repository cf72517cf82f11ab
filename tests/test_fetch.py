"""Fetching feeds and pages, against a local HTTP server that serves pages written here and
every fault a fetcher meets (no test reaches the internet)."""

import functools
import html
import json
import threading
import time
from contextlib import closing
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from typer.testing import CliRunner

from summarize.cli import app
from summarize.reading import fetch, metadata
from summarize.testing import mock_registry

from .conftest import SEEDS

runner = CliRunner()
DAY = "2026-11-22"


def page(seed: str) -> bytes:
    """A news page imitating a real layout: menu, the article, a footer."""
    title, *paragraphs = [line for line in (SEEDS / seed).read_text(encoding="utf-8").splitlines() if line.strip()]
    body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    return (f"<html lang='vi'><head><meta charset='utf-8'><title>{html.escape(title)}</title></head><body>"
            f"<nav><a href='/'>Trang chủ</a> <a href='/the-gioi'>Thế giới</a></nav>"
            f"<article><h1>{html.escape(title)}</h1>{body}</article><footer>© Báo Mẫu</footer></body></html>").encode()


def rss(*links: str) -> bytes:
    items = "".join(f"<item><title>t</title><link>{html.escape(link)}</link></item>" for link in links)
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Mẫu</title>{items}</channel></rss>'.encode()


class Site:
    """What the local server serves, path -> (status, content type, body), and the requests it saw."""

    def __init__(self):
        self.routes: dict[str, tuple[int, str, bytes]] = {"/robots.txt": (200, "text/plain", b"User-agent: *\nDisallow: /private/\n")}
        self.requests: list[tuple[str, dict]] = []

    def handler(self):
        site = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                site.requests.append((self.path, dict(self.headers)))
                path = self.path.split("?")[0]
                if path == "/slow":  # trickles one byte a tenth of a second
                    self.send_response(200)
                    self.send_header("Content-Type", "text/html")
                    self.end_headers()
                    try:
                        for _ in range(100):
                            self.wfile.write(b"<")
                            self.wfile.flush()
                            time.sleep(0.1)
                    except OSError:  # the fetcher hung up at its deadline
                        pass
                    return
                if path == "/hang":  # answers nothing for longer than the read timeout
                    time.sleep(2)
                    return
                if path == "/endless":
                    self.send_response(200)
                    self.send_header("Content-Type", "text/html")
                    self.end_headers()
                    try:
                        while True:
                            self.wfile.write(b"<p>x</p>" * 8192)
                    except OSError:
                        return
                if path == "/to-private":  # a public page that redirects into the private network
                    self.send_response(302)
                    self.send_header("Location", "http://10.0.0.7/admin")
                    self.end_headers()
                    return
                if path == "/trickle":  # promises 10 GB and sends 100 bytes every 50 ms
                    self.send_response(200)
                    self.send_header("content-type", "text/html")
                    self.send_header("content-length", str(10 * 2**30))
                    self.end_headers()
                    try:
                        for _ in range(200):
                            self.wfile.write(b"<p>x</p>" * 12 + b"<p></p>")
                            self.wfile.flush()
                            time.sleep(0.05)
                    except OSError:
                        pass
                    return
                if path.startswith("/lower/"):  # header names in lower case, as HTTP/2-fronted servers send them
                    status, kind, body = site.routes.get(path[len("/lower"):], (404, "text/html", b""))
                    self.send_response(302 if path.endswith("/moved") else status)
                    if path.endswith("/moved"):
                        self.send_header("location", "/lower/a.html")
                    else:
                        self.send_header("content-type", kind)
                        self.send_header("content-length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(b"" if path.endswith("/moved") else body)
                    return
                if path.startswith("/loop"):
                    self.send_response(302)
                    self.send_header("Location", "/loop-b" if path == "/loop-a" else "/loop-a")
                    self.end_headers()
                    return
                status, kind, body = site.routes.get(path, (404, "text/html", b"not found"))
                if kind.endswith("xml") and self.headers.get("If-None-Match") == '"v1"':
                    self.send_response(304)
                    self.end_headers()
                    return
                self.send_response(status)
                self.send_header("Content-Type", kind)
                if kind.endswith("xml"):
                    self.send_header("ETag", '"v1"')
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        return Handler


@pytest.fixture()
def site(tmp_path, monkeypatch, mock):
    served = Site()
    server = ThreadingHTTPServer(("127.0.0.1", 0), served.handler())
    threading.Thread(target=server.serve_forever, daemon=True).start()
    served.base = f"http://127.0.0.1:{server.server_port}"
    monkeypatch.chdir(tmp_path)
    mock_registry(tmp_path / "models.yaml")
    # the tests' limits: no delay, a one-second page, a small size cap
    monkeypatch.setattr(fetch, "Options", functools.partial(fetch.Options, delay=0.0, total=1.0, read=0.5, max_bytes=200_000))
    yield served
    server.shutdown()


def run(*args: str):
    """`summarize run` with the local server's host and port allowed (the first address's)."""
    allow = next(urlsplit(a).netloc for a in args if a.startswith("http://127.0.0.1"))
    return runner.invoke(app, ["run", *args, "--config", "models.yaml", "--date", DAY, "--no-cache",
                               "--allow-host", allow])


def day_data() -> dict:
    return json.loads(Path("briefs", f"{DAY}.json").read_text(encoding="utf-8"))


def test_a_feed_becomes_a_brief_linking_each_url_and_saved_page_and_the_next_run_fetches_nothing(site):
    seeds = ["001_ea9fa2f40a20a3fd.txt", "003_90e0681c7e08f307.txt"]
    site.routes["/a1.html"] = (200, "text/html; charset=utf-8", page(seeds[0]))
    site.routes["/a2.html"] = (200, "text/html", page(seeds[1]))
    site.routes["/feed.rss"] = (200, "application/rss+xml", rss(f"{site.base}/a1.html", f"{site.base}/a2.html?utm_source=rss"))
    site.routes["/other.rss"] = (200, "application/rss+xml", rss(f"{site.base}/a1.html?utm_medium=x#top"))
    result = run(f"{site.base}/feed.rss", f"{site.base}/other.rss")
    assert result.exit_code == 0, result.output
    saved = sorted(Path("briefs", "inbox", DAY).glob("*.html"))
    assert len(saved) == 2  # a1 reached through two feeds is read once
    brief = Path("briefs", f"{DAY}.md").read_text(encoding="utf-8")
    for n in (1, 2):
        assert f"**Web address:** [{site.base}/a{n}.html]" in brief
    assert brief.count("**Source:** [../briefs/inbox/") == 0 and brief.count("**Source:** [./inbox/2026-11-22/127-0-0-1-a") == 2
    assert all(headers["User-Agent"].startswith("summarize/") for _, headers in site.requests)
    asked = len(site.requests)
    again = run(f"{site.base}/feed.rss", f"{site.base}/other.rss")
    assert again.exit_code == 0 and "0 articles done" in again.output, again.output
    assert [path for path, _ in site.requests[asked:]] == ["/robots.txt", "/feed.rss", "/other.rss"]  # no page again
    assert all(headers.get("If-None-Match") == '"v1"' for path, headers in site.requests[asked:] if path.endswith(".rss"))
    assert len(day_data()["articles"]) == 2


def test_every_fault_is_one_line_and_the_run_keeps_what_it_fetched(site):
    site.routes["/good.html"] = (200, "text/html", page("004_1010df618e4eb2a7.txt"))
    site.routes["/error"] = (503, "text/html", b"busy")
    site.routes["/image.png"] = (200, "image/png", b"\x89PNG")
    site.routes["/private/secret.html"] = (200, "text/html", page("002_aa1e427ed1e4da7a.txt"))
    site.routes["/french.html"] = (200, "text/html", b"<html><body><article><p>" + b"Le gouvernement a annonce mardi une "
                                   b"nouvelle reforme des retraites qui sera discutee au parlement la semaine prochaine. " * 3
                                   + b"</p></article></body></html>")
    site.routes["/bad.rss"] = (200, "application/rss+xml", b"<rss><channel><item><link>")
    site.routes["/empty.rss"] = (200, "application/rss+xml", rss())
    faults = {"/missing.html": "HTTP 404", "/error": "HTTP 503", "/slow": "too slow: not done after 1 s", "/hang": "timed out",
              "/endless": "larger than 200 KB", "/trickle": "too slow: not done after 1 s", "/image.png": "not a web page or feed (image/png)",
              "/loop-a": "too many redirects (over 5)", "/private/secret.html": "robots.txt asks robots not to fetch it"}
    site.routes["/faults.rss"] = (200, "application/rss+xml", rss(f"{site.base}/good.html", *(site.base + p for p in faults)))
    result = run(f"{site.base}/faults.rss", f"{site.base}/bad.rss", f"{site.base}/empty.rss", f"{site.base}/french.html")
    assert result.exit_code == 1 and "Traceback" not in result.output, result.output
    skipped = day_data()["skipped"]
    for path, reason in faults.items():
        assert skipped[f"{site.base}{path}"].startswith(reason), (path, skipped)
    assert skipped[f"{site.base}/bad.rss"].startswith("not a feed, or an empty one")
    assert skipped[f"{site.base}/empty.rss"] == "not a feed, or an empty one"
    assert any(reason == "not in Vietnamese or English" for reason in skipped.values())
    assert [Path(k).name.startswith("127-0-0-1-good") for k in day_data()["articles"]] == [True]
    assert sum(line.startswith("warning: skipped") for line in result.output.splitlines()) == len(skipped)


def test_links_to_private_addresses_and_other_schemes_are_refused(site):
    site.routes["/evil.rss"] = (200, "application/rss+xml", rss(
        "http://169.254.169.254/latest/meta-data/", "http://10.0.0.7/admin", "file:///etc/passwd",
        f"http://localhost:{site.base.rsplit(':', 1)[1]}/a.html"))
    result = run(f"{site.base}/evil.rss", f"{site.base}/to-private")
    skipped = day_data()["skipped"]
    assert result.exit_code == 1
    assert skipped["http://169.254.169.254/latest/meta-data/"].startswith("169.254.169.254 is a private or local address")
    assert skipped["http://10.0.0.7/admin"].startswith("10.0.0.7 is a private or local address")
    assert [reason for address, reason in skipped.items() if address.startswith("file:")] == ["not an http(s) address (file:)"]
    port = site.base.rsplit(':', 1)[1]
    assert f"localhost is a private or local address (127.0.0.1); --allow-host localhost:{port} reads it" in skipped.values()
    assert skipped[f"{site.base}/to-private"].startswith("10.0.0.7 is a private or local address")  # every hop checked
    assert [path for path, _ in site.requests] == ["/robots.txt", "/evil.rss", "/to-private"]  # nothing else was asked


def test_feeds_files_plain_and_opml_and_offline_fetches_nothing(site, tmp_path):
    site.routes["/a.html"] = (200, "text/html", page("001_ea9fa2f40a20a3fd.txt"))
    site.routes["/f.rss"] = (200, "application/rss+xml", rss(f"{site.base}/a.html"))
    (tmp_path / "feeds.txt").write_text(f"# the desk's feeds\n{site.base}/f.rss\n", encoding="utf-8")
    (tmp_path / "feeds.opml").write_text(f'<?xml version="1.0"?><opml version="2.0"><body><outline text="Mẫu" '
                                         f'xmlUrl="{site.base}/f.rss"/></body></opml>', encoding="utf-8")
    assert fetch.read_feeds_file(tmp_path / "feeds.opml") == fetch.read_feeds_file(tmp_path / "feeds.txt") == [f"{site.base}/f.rss"]
    offline = runner.invoke(app, ["run", "--feeds", "feeds.txt", "--config", "models.yaml", "--date", DAY, "--offline"])
    assert "not fetched: --offline" in offline.output and site.requests == []
    allow = ["--allow-host", urlsplit(site.base).netloc]
    result = runner.invoke(app, ["fetch", "--feeds", "feeds.opml", "--date", DAY, *allow])
    assert result.exit_code == 0 and "1 page saved, 0 seen before, 0 skipped" in result.output, result.output
    again = runner.invoke(app, ["fetch", "--feeds", "feeds.opml", "--date", DAY, *allow])
    assert "0 pages saved" in again.output


def test_canonical_addresses_drop_tracking_and_fragments():
    assert fetch.canonical("HTTPS://VnExpress.net:443/a.html?utm_source=x&id=3&fbclid=y#top") == "https://vnexpress.net/a.html?id=3"
    assert metadata.saved_from("<!-- saved from url=(0019)javascript:alert(1) -->") is None


def test_a_page_given_directly_is_asked_for_once_and_never_again(site):
    site.routes["/p.html"] = (200, "text/html", page("002_aa1e427ed1e4da7a.txt"))
    assert run(f"{site.base}/p.html?utm_campaign=x").exit_code == 0
    assert [path for path, _ in site.requests].count("/p.html?utm_campaign=x") == 1  # not fetched twice
    asked = len(site.requests)
    again = run(f"{site.base}/p.html")
    assert again.exit_code == 0 and len(site.requests) == asked and "read by an earlier run" in again.output


def test_header_names_are_read_in_any_case(site):
    """Servers behind HTTP/2 send `content-type` and `location` in lower case."""
    site.routes["/a.html"] = (200, "text/html; charset=utf-8", page("001_ea9fa2f40a20a3fd.txt"))
    result = run(f"{site.base}/lower/moved")
    assert result.exit_code == 0, result.output
    assert [path for path, _ in site.requests] == ["/robots.txt", "/lower/moved", "/lower/a.html"]
    assert len(day_data()["articles"]) == 1


def test_a_trickling_server_is_cut_off_at_the_page_deadline(site):
    """The total time is checked as bytes arrive, not per 64 KiB: 100 bytes every 50 ms stop at 1 s."""
    fetcher = fetch.Fetcher(Path("briefs/inbox") / DAY, fetch.Options(allow_hosts=frozenset({urlsplit(site.base).netloc})))
    start = time.monotonic()
    with pytest.raises(fetch.FetchError, match="too slow: not done after 1 s"):
        fetcher.get(f"{site.base}/trickle")
    assert time.monotonic() - start < 3


def test_allow_host_names_a_port_and_a_bare_host_allows_only_the_default_ports(site):
    site.routes["/a.html"] = (200, "text/html", page("001_ea9fa2f40a20a3fd.txt"))
    port = urlsplit(site.base).port
    bare = fetch.Fetcher(Path("inbox"), fetch.Options(allow_hosts=frozenset({"127.0.0.1"})))
    with pytest.raises(fetch.FetchError, match=f"--allow-host 127.0.0.1:{port} reads it"):
        bare.get(f"{site.base}/a.html")
    other = fetch.Fetcher(Path("inbox"), fetch.Options(allow_hosts=frozenset({f"127.0.0.1:{port + 1}"})))
    with pytest.raises(fetch.FetchError, match="private or local address"):
        other.get(f"{site.base}/a.html")
    assert fetch.allowed("127.0.0.1", 80, {"127.0.0.1"}) and fetch.allowed("::1", 8080, {"[::1]:8080"})
    assert site.requests == []


def test_a_robots_txt_over_the_size_cap_is_reported_as_unreadable_not_as_a_refusal(site):
    site.routes["/robots.txt"] = (200, "text/plain", b"# " + b"x" * 300_000)
    site.routes["/a.html"] = (200, "text/html", page("001_ea9fa2f40a20a3fd.txt"))
    fetcher = fetch.Fetcher(Path("inbox"), fetch.Options(allow_hosts=frozenset({urlsplit(site.base).netloc})))
    with pytest.raises(fetch.FetchError) as caught:
        fetcher.get(f"{site.base}/a.html")
    assert str(caught.value) == "not fetched: its robots.txt could not be read (larger than 200 KB)"


def test_feeds_are_capped_per_feed_and_per_run_and_the_rest_comes_next_run(site):
    for n in range(12):
        site.routes[f"/p{n}.html"] = (200, "text/html", page("001_ea9fa2f40a20a3fd.txt").replace(b"<h1>", f"<h1>{n} ".encode()))
    site.routes["/big.rss"] = (200, "application/rss+xml", rss(*(f"{site.base}/p{n}.html" for n in range(12))))
    allow = ["--allow-host", urlsplit(site.base).netloc, "--date", DAY]
    first = runner.invoke(app, ["fetch", f"{site.base}/big.rss", "--max-per-feed", "5", "--max-pages", "3", *allow])
    assert first.exit_code == 0, first.output
    assert "12 new items, the first 5 taken (at most 5 a feed)" in first.output
    assert "2 more pages are left for the next run (at most 3 a run)" in first.output
    assert "3 pages saved" in first.output
    second = runner.invoke(app, ["fetch", f"{site.base}/big.rss", "--max-per-feed", "5", *allow])
    assert "9 new items, the first 5 taken" in second.output and "5 pages saved, 3 seen before" in second.output
    third = runner.invoke(app, ["fetch", f"{site.base}/big.rss", "--max-per-feed", "5", *allow])
    assert "4 pages saved, 8 seen before" in third.output, third.output
    fetched = [path for path, _ in site.requests if path.startswith("/p")]
    assert sorted(fetched) == sorted(f"/p{n}.html" for n in range(12))  # each page once, none lost


def test_a_damaged_seen_store_is_set_aside_and_the_run_still_writes_its_brief(site, tmp_path):
    site.routes["/a.html"] = (200, "text/html", page("001_ea9fa2f40a20a3fd.txt"))
    store = Path("briefs", "inbox", "seen.sqlite3")
    store.parent.mkdir(parents=True)
    store.write_bytes(b"this is not a database" * 100)
    local = tmp_path / "local"
    local.mkdir()
    (local / "b.txt").write_text((SEEDS / "003_90e0681c7e08f307.txt").read_text(encoding="utf-8"), encoding="utf-8")
    result = run(f"{site.base}/a.html", str(local))
    assert result.exit_code == 0 and "Traceback" not in result.output, result.output
    assert "the store of seen addresses was damaged" in result.output
    assert len(day_data()["articles"]) == 2
    assert [p.name.split(".corrupt-")[0] for p in store.parent.glob("seen.sqlite3.corrupt-*")] == ["seen.sqlite3"]


def test_feeds_file_from_a_device_is_one_line_not_a_memory_error(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["fetch", "--feeds", "/dev/zero"])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "--feeds /dev/zero: cannot read it (over 2 MB, not a list of feeds)" in result.output


def test_the_hubs_offline_switch_does_not_stop_fetching(site, monkeypatch):
    site.routes["/a.html"] = (200, "text/html", page("001_ea9fa2f40a20a3fd.txt"))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    result = run(f"{site.base}/a.html")
    assert result.exit_code == 0 and "--offline" not in result.output, result.output
    assert len(day_data()["articles"]) == 1


def test_ctrl_c_stops_a_fetch_within_seconds_and_keeps_every_page_saved(tmp_path):
    """A real process, a feed of 40 pages that each take 0.3 s: SIGINT after the first pages
    are saved ends it within seconds, and the seen store records each page that was saved."""
    import signal
    import sqlite3
    import subprocess
    import sys

    served = Site()
    served.routes["/feed.rss"] = (200, "application/rss+xml", b"")
    server = ThreadingHTTPServer(("127.0.0.1", 0), served.handler())
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    served.routes["/feed.rss"] = (200, "application/rss+xml", rss(*(f"{base}/slow-{n}.html" for n in range(40))))
    for n in range(40):
        served.routes[f"/slow-{n}.html"] = (200, "text/html", page("001_ea9fa2f40a20a3fd.txt"))
    try:
        process = subprocess.Popen([sys.executable, "-m", "summarize", "fetch", f"{base}/feed.rss", "--date", DAY,
                                    "--allow-host", f"127.0.0.1:{server.server_port}"], cwd=tmp_path,
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        inbox = tmp_path / "briefs" / "inbox" / DAY
        deadline = time.monotonic() + 60
        while len(list(inbox.glob("*.html"))) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
        process.send_signal(signal.SIGINT)
        stopped = time.monotonic()
        output, _ = process.communicate(timeout=30)
        assert time.monotonic() - stopped < 5, output
        assert process.returncode == 130, output
    finally:
        server.shutdown()
    saved = sorted(p.name for p in inbox.glob("*.html"))
    with closing(sqlite3.connect(inbox.parent / "seen.sqlite3")) as db:
        recorded = sorted(Path(row[0]).name for row in db.execute("SELECT saved FROM seen"))
    assert 2 <= len(saved) < 40 and set(saved) - set(recorded) <= {saved[-1]}, (saved, recorded)
    assert not list(inbox.glob(".*.part"))  # no half-written page


def test_a_fault_that_is_not_the_pages_stops_the_fetch_instead_of_hanging_it(site, monkeypatch):
    """A full disk while a worker saves a page reaches the caller as the error it is (the
    loop waited forever for the page); and a fetcher can fetch again after a fetch ended."""
    import errno

    for n in range(3):
        site.routes[f"/p{n}.html"] = (200, "text/html", page("001_ea9fa2f40a20a3fd.txt"))
    allow = frozenset({urlsplit(site.base).netloc})
    fetcher = fetch.Fetcher(Path("briefs/inbox") / DAY, fetch.Options(allow_hosts=allow, delay=0.0))
    assert len(fetcher.fetch([f"{site.base}/p0.html"]).saved) == 1
    assert len(fetcher.fetch([f"{site.base}/p1.html"]).saved) == 1  # the same fetcher, a second time

    def full(self, page, final, body):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(fetch.Fetcher, "_save", full)
    site.routes["/f.rss"] = (200, "application/rss+xml", rss(f"{site.base}/p2.html"))
    start = time.monotonic()
    with pytest.raises(OSError, match="No space left on device"):
        fetcher.fetch([f"{site.base}/f.rss"])
    assert time.monotonic() - start < 10
