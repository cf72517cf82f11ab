"""Delivering a brief: e-mail to a local SMTP server (aiosmtpd on 127.0.0.1), a webhook POST to
a local HTTP server, and the feed of briefs read back with feedparser. Every failure is one
line with exit status 1, and the brief stays as it was written."""

import email
import json
import socket
import threading
from email import policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import feedparser
import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from typer.testing import CliRunner

from summarize.cli import app
from summarize.testing import mock_registry

from .conftest import SEEDS

runner = CliRunner()
DAYS = ("2026-11-21", "2026-11-22")


class Inbox:
    """An SMTP handler keeping what it received; it refuses logins other than desk/secret."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"


def authenticate(server, session, envelope, mechanism, auth_data):
    login, password = (bytes(x, "utf-8") if isinstance(x, str) else x for x in (auth_data.login, auth_data.password))
    return AuthResult(success=(login, password) == (b"desk", b"secret"), handled=False)  # the server answers 535


@pytest.fixture()
def smtp():
    with socket.socket() as probe:  # a free port (the controller checks its server by connecting to it)
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port, authenticator=authenticate, auth_require_tls=False)
    controller.start()
    inbox.address = f"127.0.0.1:{port}"
    yield inbox
    controller.stop()


@pytest.fixture()
def desk(tmp_path, monkeypatch):
    """Two days of briefs from the seeds (passthrough models), in tmp_path/briefs."""
    monkeypatch.chdir(tmp_path)
    config = mock_registry(tmp_path / "models.yaml", "passthrough", "passthrough")
    for day, seeds in zip(DAYS, (["001_ea9fa2f40a20a3fd.txt", "003_90e0681c7e08f307.txt"], ["004_1010df618e4eb2a7.txt"])):
        inbox = tmp_path / "inbox" / day
        inbox.mkdir(parents=True)
        for seed in seeds:
            (inbox / seed).write_text((SEEDS / seed).read_text(encoding="utf-8"), encoding="utf-8")
        assert runner.invoke(app, ["run", str(inbox), "--config", str(config), "--date", day, "--no-cache"]).exit_code == 0
    return tmp_path


def test_send_mails_the_brief_as_plain_text_and_html(desk, smtp):
    brief = (desk / "briefs" / "2026-11-22.md").read_text(encoding="utf-8")
    result = runner.invoke(app, ["send", "--mail", "desk@example.org", "--smtp", smtp.address])
    assert result.exit_code == 0 and "delivered to desk@example.org" in result.output, result.output
    (message,) = smtp.messages
    assert message["To"] == "desk@example.org" and message["Subject"].startswith("Daily brief — 2026-11-22: 1 story")
    plain = message.get_body(("plain",)).get_content().replace("\r\n", "\n")  # SMTP carries CRLF
    html = message.get_body(("html",)).get_content()
    assert plain.startswith(brief) and "/briefs/2026-11-22.review.html" in plain  # the latest day, its review linked
    assert "<h1>Daily brief — 2026-11-22</h1>" in html and "<script" not in html
    again = runner.invoke(app, ["send", "--mail", "desk@example.org", "--smtp", smtp.address, "--date", "2026-11-21",
                                "--attach-review"])
    assert again.exit_code == 0
    attached = [part for part in smtp.messages[1].iter_attachments()]
    assert [part.get_filename() for part in attached] == ["2026-11-21.review.html"]
    assert "Daily brief — 2026-11-21" in smtp.messages[1].get_body(("plain",)).get_content()


def test_a_refused_login_or_an_unreachable_server_is_one_line_and_the_brief_stays(desk, smtp, monkeypatch):
    brief = desk / "briefs" / "2026-11-22.md"
    before = brief.read_bytes()
    monkeypatch.setenv("SUMMARIZE_SMTP_USER", "desk")
    monkeypatch.setenv("SUMMARIZE_SMTP_PASSWORD", "wrong")
    refused = runner.invoke(app, ["send", "--mail", "desk@example.org", "--smtp", smtp.address])
    assert refused.exit_code == 1 and "refused the login (535" in refused.output and "Traceback" not in refused.output
    monkeypatch.setenv("SUMMARIZE_SMTP_PASSWORD", "secret")
    assert runner.invoke(app, ["send", "--mail", "desk@example.org", "--smtp", smtp.address]).exit_code == 0
    assert len(smtp.messages) == 1
    closed = runner.invoke(app, ["send", "--mail", "desk@example.org", "--smtp", "127.0.0.1:9"])
    assert closed.exit_code == 1 and "cannot reach the mail server 127.0.0.1:9" in closed.output
    assert brief.read_bytes() == before
    missing = runner.invoke(app, ["send", "--mail", "desk@example.org"])
    assert missing.exit_code == 2 and "no mail server to send through" in missing.output
    bad = runner.invoke(app, ["send", "--mail", "desk@example.org", "--smtp", "mail:abc"])
    assert bad.exit_code == 2 and "not a mail server address" in bad.output


def test_run_mails_after_the_brief_is_written_and_a_failed_send_exits_1(desk, smtp):
    config = desk / "models.yaml"
    inbox = desk / "inbox" / DAYS[1]
    ok = runner.invoke(app, ["run", str(inbox), "--config", str(config), "--date", DAYS[1], "--no-cache",
                             "--mail", "desk@example.org", "--smtp", smtp.address])
    assert ok.exit_code == 0 and len(smtp.messages) == 1, ok.output
    failed = runner.invoke(app, ["run", str(inbox), "--config", str(config), "--date", DAYS[1], "--no-cache",
                                 "--mail", "desk@example.org", "--smtp", "127.0.0.1:9"])
    assert failed.exit_code == 1 and "not delivered to desk@example.org" in failed.output
    assert (desk / "briefs" / f"{DAYS[1]}.md").exists()


class Hook:
    """A local webhook receiver: answers `status`, keeps the JSON it got."""

    def __init__(self, status: int = 200):
        self.status, self.received = status, []
        hook = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                hook.received.append((self.headers["Content-Type"], json.loads(self.rfile.read(int(self.headers["Content-Length"])))))
                self.send_response(hook.status)
                self.end_headers()
                self.wfile.write(b"internal error" if hook.status >= 500 else b"ok")

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.host = f"127.0.0.1:{self.server.server_port}"
        self.url = f"http://{self.host}/hooks/desk"


def test_a_webhook_gets_slacks_shape_and_a_500_is_one_line(desk):
    hook = Hook()
    try:
        result = runner.invoke(app, ["send", "--webhook", hook.url, "--allow-host", hook.host])
        assert result.exit_code == 0, result.output
        ((kind, data),) = hook.received
        assert kind == "application/json"
        assert data["text"].startswith("*Daily brief — 2026-11-22*\nToday: 1 story from 1 article.")
        assert [block["type"] for block in data["blocks"]] == ["header", "section", "section"]
        assert data["blocks"][2]["text"]["text"].startswith("1. ")
        hook.status = 500
        failed = runner.invoke(app, ["send", "--webhook", hook.url, "--allow-host", hook.host])
        assert failed.exit_code == 1 and "HTTP 500 (internal error)" in failed.output and "Traceback" not in failed.output
        refused = runner.invoke(app, ["send", "--webhook", hook.url])  # a private host, not allowed
        assert refused.exit_code == 1 and "private or local address" in refused.output and len(hook.received) == 2
    finally:
        hook.server.shutdown()


def test_every_run_keeps_a_valid_atom_feed_of_briefs_with_stable_ids(desk):
    feed = desk / "briefs" / "feed.atom"
    parsed = feedparser.parse(feed.read_bytes())
    assert not parsed.bozo, parsed.bozo_exception
    assert [entry.title for entry in parsed.entries] == [f"Daily brief — {day}" for day in reversed(DAYS)]
    first = {entry.id: entry.updated for entry in parsed.entries}
    assert all(entry.id.startswith("urn:uuid:") and entry.link.endswith(".review.html") for entry in parsed.entries)
    assert "Today: 1 story from 1 article." in parsed.entries[0].summary
    assert "review" in parsed.entries[0].content[0].value and parsed.feed.title == "Daily briefs"
    config, inbox = desk / "models.yaml", desk / "inbox" / DAYS[0]
    assert runner.invoke(app, ["run", str(inbox), "--config", str(config), "--date", DAYS[0], "--no-cache"]).exit_code == 0
    again = feedparser.parse(feed.read_bytes())
    assert {entry.id for entry in again.entries} == set(first) and len(again.entries) == 2  # the day's entry replaced
    feed.write_text("<not a feed", encoding="utf-8")  # a damaged feed starts afresh, the run goes on
    assert runner.invoke(app, ["run", str(inbox), "--config", str(config), "--date", DAYS[0], "--no-cache"]).exit_code == 0
    assert [entry.title for entry in feedparser.parse(feed.read_bytes()).entries] == [f"Daily brief — {DAYS[0]}"]
