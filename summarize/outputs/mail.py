"""The brief by e-mail: a multipart message (the brief's Markdown as plain text, and as HTML),
the review page linked or attached, sent with the standard library's smtplib through the
server given (STARTTLS when it offers it; a login from SUMMARIZE_SMTP_USER and
SUMMARIZE_SMTP_PASSWORD, never from the command line). The brief is always written first, and
is read back from its file: a failed send changes nothing, and `summarize send` later delivers
the same brief."""

from __future__ import annotations

import os
import smtplib
import socket
from collections.abc import Mapping, Sequence
from email.message import EmailMessage
from email.utils import make_msgid

from ..errors import ConfigError, DeliveryError
from .view import DayView

TIMEOUT = 30.0  # seconds for each exchange with the server


def server(address: str) -> tuple[str, int]:
    """`host:port` (port 587, submission, when left out), checked before anything is sent."""
    host, _, port = address.strip().rpartition(":") if ":" in address.strip("[]") else (address, "", "587")
    host = host.strip("[]") or address
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise ConfigError(f"--smtp {address}: not a mail server address", fix="give HOST:PORT, e.g. smtp.example.org:587")
    return host, int(port)


def compose(view: DayView, to: Sequence[str], sender: str, attach_review: bool = False) -> EmailMessage:
    """The day's brief as one message: plain text (the Markdown) and HTML (the same Markdown
    rendered, article text escaped as in the file), the review linked, or attached."""
    from markdown_it import MarkdownIt

    brief = (view.folder / view.brief_name).read_text(encoding="utf-8")
    review = view.folder / view.review_name
    note = f"\n\nThe side-by-side review: {review.resolve().as_uri()}" if not attach_review else ""
    message = EmailMessage()
    message["Subject"] = f"Daily brief — {view.date}: {view.overview.removeprefix('Today: ').rstrip('.')}"
    message["From"], message["To"] = sender, ", ".join(to)
    message["Message-ID"] = make_msgid(domain="summarize.local")
    message.set_content(brief + note)
    html = MarkdownIt("commonmark", {"html": False}).render(brief + note)  # no raw HTML from any text
    message.add_alternative(f"<!DOCTYPE html><html><body>{html}</body></html>", subtype="html")
    if attach_review:
        message.add_attachment(review.read_bytes(), maintype="text", subtype="html", filename=review.name)
    return message


def send(message: EmailMessage, address: str, env: Mapping[str, str] | None = None) -> None:
    """Deliver through the server at `address`; any refusal or fault is one DeliveryError line
    naming the server's answer."""
    env = os.environ if env is None else env
    host, port = server(address)
    user, password = env.get("SUMMARIZE_SMTP_USER"), env.get("SUMMARIZE_SMTP_PASSWORD")
    try:
        with smtplib.SMTP(host, port, timeout=TIMEOUT) as smtp:
            smtp.ehlo()
            if smtp.has_extn("starttls"):
                smtp.starttls()
                smtp.ehlo()
            if user:
                smtp.login(user, password or "")
            smtp.send_message(message)
    except smtplib.SMTPAuthenticationError as exc:
        raise DeliveryError(f"the mail server {host}:{port} refused the login ({_answer(exc)})",
                            fix="check SUMMARIZE_SMTP_USER and SUMMARIZE_SMTP_PASSWORD") from None
    except smtplib.SMTPException as exc:
        raise DeliveryError(f"the mail server {host}:{port} refused the brief ({_answer(exc)})",
                            fix="`summarize send` delivers it again once the server accepts it") from None
    except (OSError, socket.timeout) as exc:
        raise DeliveryError(f"cannot reach the mail server {host}:{port} ({exc.strerror or exc})",
                            fix="check --smtp (or SUMMARIZE_SMTP); `summarize send` delivers the brief later") from None


def _answer(exc: smtplib.SMTPException) -> str:
    """The server's own words, one line."""
    code, text = getattr(exc, "smtp_code", None), getattr(exc, "smtp_error", b"")
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        code, text = next(iter(exc.recipients.values()))
    text = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text or exc)
    return f"{code} {' '.join(text.split())}" if code else " ".join(str(exc).split())
