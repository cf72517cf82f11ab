"""The brief to a chat tool: a JSON POST with the day's overview and top stories in Slack's
incoming-webhook shape (`text`, and `blocks` for Slack; Mattermost and Teams connectors read
`text`), with the fetcher's safety: public hosts only unless allowed (by host and port), connect
and read timeouts, redirects not followed. A refusal or fault is one DeliveryError line."""

from __future__ import annotations

import json
from collections.abc import Iterable

from ..errors import DeliveryError
from ..reading.fetch import USER_AGENT, FetchError, Options, check_address
from .view import DayView

TIMEOUT = (10.0, 30.0)  # seconds: connect, read


def payload(view: DayView) -> dict:
    """The message: a title, the overview and the top stories, each linked to its lead article's web address."""
    lines = []
    for story in view.headlines:
        lead = story.lead
        title = f"<{lead.url}|{_plain(story.headline)}>" if lead.url else _plain(story.headline)
        lines.append(f"{story.number}. {title} — {story.coverage}" + (f" · {_plain(lead.outlet)}" if lead.outlet else ""))
    text = f"*Daily brief — {view.date}*\n{view.overview}\n" + "\n".join(lines)
    return {"text": text, "blocks": [
        {"type": "header", "text": {"type": "plain_text", "text": f"Daily brief — {view.date}"}},
        {"type": "section", "text": {"type": "mrkdwn", "text": view.overview}},
        *([{"type": "section", "text": {"type": "mrkdwn", "text": "\n".join(lines)}}] if lines else []),
    ]}


def post(url: str, data: dict, allow_hosts: Iterable[str] = ()) -> None:
    """POST `data` as JSON to `url`; any answer but 2xx is a DeliveryError with the status."""
    import urllib3

    try:
        check_address(url, Options(allow_hosts=frozenset(allow_hosts)))
    except FetchError as exc:
        raise DeliveryError(f"webhook {url}: {exc}") from None
    http = urllib3.PoolManager(timeout=urllib3.Timeout(connect=TIMEOUT[0], read=TIMEOUT[1]), retries=False)
    try:
        reply = http.request("POST", url, body=json.dumps(data).encode(), redirect=False,
                             headers={"Content-Type": "application/json", "User-Agent": USER_AGENT})
    except urllib3.exceptions.HTTPError as exc:
        raise DeliveryError(f"webhook {url}: cannot deliver ({type(exc).__name__})",
                            fix="`summarize send --webhook` delivers the brief later") from None
    if not 200 <= reply.status < 300:
        said = " ".join(reply.data[:200].decode("utf-8", "replace").split())
        raise DeliveryError(f"webhook {url}: HTTP {reply.status}" + (f" ({said})" if said else ""),
                            fix="`summarize send --webhook` delivers the brief later")


def _plain(text: str) -> str:
    """Text for Slack's mrkdwn: its three control characters escaped, as Slack documents."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
