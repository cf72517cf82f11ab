"""Fetching feeds and pages, against a local HTTP server that serves pages written here and
every fault a fetcher meets (no test reaches the internet)."""

import functools
import html
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from typer.testing import CliRunner

from summarize import fetch, metadata
from summarize.cli import app
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
                    for _ in range(100):
                        self.wfile.write(b"<")
                        self.wfile.flush()
                        time.sleep(0.1)
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
    return runner.invoke(app, ["run", *args, "--config", "models.yaml", "--date", DAY, "--no-cache",
                               "--allow-host", "127.0.0.1"])


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
              "/endless": "larger than 0 MB", "/image.png": "not a web page or feed (image/png)",
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
    assert "localhost is a private or local address (127.0.0.1); --allow-host localhost reads it" in skipped.values()
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
    result = runner.invoke(app, ["fetch", "--feeds", "feeds.opml", "--date", DAY, "--allow-host", "127.0.0.1"])
    assert result.exit_code == 0 and "1 page saved, 0 seen before, 0 skipped" in result.output, result.output
    again = runner.invoke(app, ["fetch", "--feeds", "feeds.opml", "--date", DAY, "--allow-host", "127.0.0.1"])
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
