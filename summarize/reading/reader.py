"""Find the input files, decode them, clean and identify their language: the one way an input
file becomes an Article, or a one-line reason why it cannot."""

from __future__ import annotations

import codecs
import errno
import os
import stat
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..article import Article
from ..errors import OwnOutput, ReadError
from .cleaner import clean
from .language import detect
from .letters import ACCENTED

GENERATOR = b'<meta name="generator" content="summarize">'  # in the head of every page summarize writes
INPUT_SUFFIXES = {".txt", ".text", ".html", ".htm"}
MAX_BYTES = 20 * 1024 * 1024  # far above any article; a larger file is a dump, not a page
_LIMIT_MB = MAX_BYTES // (1024 * 1024)

_MAGIC = {
    b"%PDF": "a PDF document",
    b"\x89PNG": "a PNG image",
    b"PK\x03\x04": "a zip archive (or Office document)",
    b"GIF8": "a GIF image",
    b"\xff\xd8\xff": "a JPEG image",
    b"\x1f\x8b": "a gzip archive",
    b"\x7fELF": "a program",
}


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str


def find_inputs(path: Path, leave: Callable[[Path], bool] = lambda found: False) -> tuple[list[Path], int]:
    """Article files under `path` (or `path` itself), sorted, hidden files and what `leave`
    says is not an input (the tool's own outputs) skipped, and how many other files were
    passed over (not .txt/.html). Directory symlinks are not followed, so a symlink loop
    cannot trap the walk."""
    path = Path(path)
    if path.is_file():
        return [path], 0
    found, ignored = [], 0
    for root, dirs, files in os.walk(path, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not leave(Path(root) / d))
        for name in files:
            if name.startswith(".") or leave(Path(root) / name):
                continue
            if Path(name).suffix.lower() in INPUT_SUFFIXES:
                found.append(Path(root) / name)
            else:
                ignored += 1
    return sorted(found), ignored


def decode(data: bytes) -> Decoded:
    """Text from bytes: BOMs honoured, UTF-8 preferred, other encodings detected, binaries refused."""
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return Decoded(data.decode(encoding), "utf-16-le" if bom == codecs.BOM_UTF16_LE else
                               "utf-16-be" if bom == codecs.BOM_UTF16_BE else "utf-8-sig")
            except UnicodeDecodeError:
                raise ReadError(f"starts with a {encoding} byte-order mark but is not valid {encoding}") from None
    for magic, what in _MAGIC.items():
        if data.startswith(magic):
            raise ReadError(f"binary file ({what}), not a text article")
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    if b"\x00" in data:
        raise ReadError("binary file (contains NUL bytes), not a text article")
    return _legacy(data)


# Letters a Vietnamese or Western news page is written in; anything else in a decoded text
# suggests the wrong code page (mojibake).
_WESTERN = "äëïöüÿçñßøåæœéèêàâîôûù"
_PLAUSIBLE = set(ACCENTED + ACCENTED.upper() + _WESTERN + _WESTERN.upper())


def _implausible(text: str) -> int:
    """How many characters look like mojibake: letters outside the expected alphabets, and
    capitals stuck inside lower-case words (`TôÒng`)."""
    odd = sum(1 for ch in text if ord(ch) > 127 and ch.isalpha() and ch not in _PLAUSIBLE)
    stuck = sum(1 for a, b in zip(text, text[1:]) if a.islower() and b.isupper())
    return odd + stuck


def _legacy(data: bytes) -> Decoded:
    """Decode a file that is not UTF-8: Vietnamese Windows-1258, Western cp1252, or what
    charset-normalizer detects, whichever reads as real text; refuse rather than guess badly."""
    from charset_normalizer import from_bytes

    candidates = ["cp1252", "cp1258"]  # on a tie (same text either way) the commoner one
    best = from_bytes(data).best()
    if best is not None and best.encoding not in candidates:
        candidates.append(best.encoding)
    readings = []
    for rank, encoding in enumerate(candidates):
        try:
            text = unicodedata.normalize("NFC", data.decode(encoding))
        except (UnicodeDecodeError, LookupError):
            continue
        readings.append((_implausible(text), rank, encoding, text))
    if not readings:
        raise ReadError("cannot tell which text encoding this file uses")
    odd, _, encoding, text = min(readings)
    letters = sum(ch.isalpha() for ch in text) or 1
    if odd / letters > 0.01:
        raise ReadError(f"cannot tell which text encoding this file uses (not UTF-8; {encoding} reads as garbage)")
    return Decoded(text, encoding)


_NOT_REGULAR = (
    (stat.S_ISDIR, "is a directory"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)


def _kind(mode: int) -> str | None:
    """What a file that is not a regular file is, or None for a regular file."""
    return next((what for test, what in _NOT_REGULAR if test(mode)), None if stat.S_ISREG(mode) else "not a file")


_LOOP = "a loop of file links (each leads to another, none to a file)"


def _outside(path: Path, inside: Path | None) -> str | None:
    """Why `path` must not be read: a link that leads out of the folder `inside`, or None."""
    if inside is None or not path.is_symlink():
        return None
    try:
        target = path.resolve(strict=True)
    except FileNotFoundError:
        return f"a link to {os.readlink(path)}, which does not exist"
    except (OSError, RuntimeError):  # RuntimeError: Python before 3.13 on a loop
        return _LOOP
    if target.is_relative_to(inside.resolve()):
        return None
    return f"a link to {target}, outside the input folder (--follow-links reads it)"


def read_bytes(path: Path, inside: Path | None = None) -> bytes:
    """The bytes of one regular file, read without blocking and never more than MAX_BYTES.
    The opened descriptor is checked, not the path, so a file swapped for a pipe or a device
    after the walk is still refused; `inside`: refuse a link that leads out of this folder."""
    if reason := _outside(path, inside):
        raise ReadError(reason)
    try:
        kind = _kind(os.stat(path).st_mode)  # a socket cannot even be opened: say what it is
        if kind is not None:
            raise ReadError(kind if kind == "is a directory" else f"not a regular file ({kind})")
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        raise ReadError("file disappeared before it could be read") from None
    except PermissionError:
        raise ReadError("permission denied") from None
    except OSError as exc:
        raise ReadError(_LOOP if exc.errno == errno.ELOOP else f"cannot read ({exc.strerror or exc})") from None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(fd)
        if (kind := _kind(info.st_mode)) is not None:
            raise ReadError(f"not a regular file ({kind})")
        if info.st_size > MAX_BYTES:
            raise ReadError(f"{info.st_size / 1e6:.0f} MB is over the {_LIMIT_MB} MB limit for one article")
        data = handle.read(MAX_BYTES + 1)  # the cap holds even if the file grows meanwhile
    if len(data) > MAX_BYTES:
        raise ReadError(f"over the {_LIMIT_MB} MB limit for one article")
    return data


def identity(path: Path) -> str:
    """An input file's identity in a day: its absolute path (the folders above it resolved, a
    link keeping its own name), the same from whatever directory the command is started."""
    return str(real_folder(path.parent) / path.name)


def real_folder(folder: Path | str) -> Path:
    """A folder's real path, found once for the thousands of files of a day in it."""
    return _real_folder(os.getcwd(), str(folder))


@lru_cache(maxsize=256)
def _real_folder(cwd: str, folder: str) -> Path:
    return (Path(cwd) / folder).resolve()


def display_path(path: Path) -> str:
    """The path as the user would write it: relative to the working directory when inside it.
    A link keeps its own name (only the folders above it are resolved)."""
    try:
        return str(Path(identity(path)).relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def read_article(path: Path, source: str, inside: Path | None = None) -> Article:
    """Decode and clean one input file (`source`: how outputs name it), or raise ReadError;
    `inside`: refuse a link that leads out of this folder."""
    try:
        return parse_article(read_bytes(Path(path), inside), source)
    except ReadError as exc:
        raise ReadError(exc.reason, source) from None


def parse_article(data: bytes, source: str) -> Article:
    """An input file's bytes decoded and cleaned into an Article, or ReadError."""
    if GENERATOR in data[:1024]:
        raise OwnOutput(source)
    decoded = decode(data)
    if not decoded.text.strip():
        raise ReadError("empty file", source)
    article = clean(decoded.text, source)
    article.encoding = decoded.encoding
    article.language = detect(" ".join([article.title or "", *article.body]) if article.body else decoded.text)
    if article.language == "other":
        raise ReadError("not in Vietnamese or English", source)
    if not article.body:
        raise ReadError("no article text found on the page", source)
    return article
