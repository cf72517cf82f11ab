"""A backfill's corpus, and each article's date.

Inputs are folders (or files) of scraped pages, as `summarize run` reads them, and JSON Lines
(`.jsonl`) or Parquet (`.parquet`) files with one article a row: `url`, `published`, and `html` or
`text`. Every article is filed under its publication date: a row's `published` (ISO 8601, or as
the outlets write it), else the date the page declares; one with neither is skipped, with the
reason. A row's page is saved in `<briefs>/inbox/<date>/` (HTML behind its `saved from url`
comment, as fetched pages are), so the day reads it as a run reads fetched pages.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import ReadError
from ..hashing import digest
from ..reading.cleaner import parse_published
from ..reading.fetch import save_page
from ..reading.reader import find_inputs, identity, read_article

ROWS = (".jsonl", ".parquet")  # files of one article a row


def split(inputs: list[Path]) -> tuple[list[Path], list[Path]]:
    """(page files, row files) under the inputs; a missing input is a ReadError naming it."""
    pages, rows = [], []
    for given in inputs:
        if not given.exists():
            raise ReadError("no such file or folder", str(given))
        if given.is_file() and given.suffix in ROWS:
            rows.append(given)
            continue
        pages += find_inputs(given)[0]  # .txt and .html, as a run finds them
        if given.is_dir():
            rows += sorted(p for p in given.rglob("*") if p.suffix in ROWS and p.is_file())
    return pages, rows


def place_page(path: str) -> dict:
    """A page file's date (its publication date), or why it is skipped."""
    try:
        article = read_article(Path(path), identity(Path(path)))
    except ReadError as exc:
        return {"date": "", "path": path, "skipped": exc.reason}
    if not article.published:
        return {"date": "", "path": path, "skipped": "no publication date: a backfill files each article under its own"}
    return {"date": article.published[:10], "path": path, "skipped": ""}


def place_row(row: dict, briefs: Path) -> dict:
    """A row's page saved in the inbox of its date; its date, or why it is skipped."""
    url = str(row.get("url") or "")
    html, text = row.get("html"), row.get("text")
    body = html if html else text
    where = url or f"row {digest(str(body), length=8)}"
    if not isinstance(body, str) or not body.strip():
        return {"date": "", "path": where, "skipped": "no html or text"}
    date = _date(row.get("published"))
    if date is None and html:
        from ..reading.metadata import declared

        found = declared(html).published
        date = found[:10] if found else None
    if date is None:
        return {"date": "", "path": where, "skipped": "no publication date: give `published` in the row"}
    page = url if url.startswith(("http://", "https://")) else f"https://corpus.invalid/{digest(body, length=16)}"
    path = save_page(briefs / "inbox" / date, page, body.encode("utf-8"), suffix=".html" if html else ".txt")
    return {"date": date, "path": str(path), "skipped": ""}


def _date(value: object) -> str | None:
    """An ISO date from a row's `published` (`2026-11-28T08:00:00+07:00`, `28/11/2026 08:00`)."""
    if value is None:
        return None
    found = parse_published(str(value))
    return found[:10] if found else None
