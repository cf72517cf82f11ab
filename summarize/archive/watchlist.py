"""A watchlist: the people, companies, places and terms an analyst follows, in a plain file.

    # one entry a line; its aliases on the same line, separated by | (or , or :), either language
    Vingroup | Tập đoàn Vingroup | VIC
    Phạm Minh Chính | Pham Minh Chinh
    Hà Tĩnh

An entry matches an article when one of its aliases is found as whole words, without regard to
case or accents, in its headline (English or Vietnamese), summary, text (English or Vietnamese)
or names. The first alias names the entry wherever a match is shown.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..article import Article
from ..errors import ConfigError
from ..reading.letters import fold

MAX_BYTES = 1024 * 1024  # a watchlist file is read to this size
_SEPARATOR = re.compile(r"\s*[|,:]\s*")


@dataclass(frozen=True)
class Entry:
    name: str
    aliases: tuple[str, ...]  # folded, the name's own first
    pattern: re.Pattern


def _entry(line: str) -> Entry | None:
    aliases = [a for a in _SEPARATOR.split(line.strip()) if a.strip()]
    folded = tuple(dict.fromkeys(" ".join(fold(a).split()) for a in aliases))
    folded = tuple(a for a in folded if re.search(r"\w", a))
    if not folded:
        return None
    return Entry(aliases[0].strip(), folded, pattern(folded))


def pattern(phrases: Iterable[str]) -> re.Pattern:
    """Any of the (folded) phrases as whole words, however the text spaces them."""
    alternatives = "|".join(r"\s+".join(map(re.escape, p.split())) for p in sorted(phrases, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")


class Watchlist:
    def __init__(self, entries: Iterable[Entry]):
        self.entries = list(entries)

    @classmethod
    def load(cls, path: Path) -> Watchlist:
        """The entries of a watchlist file; an unreadable one is a ConfigError naming it."""
        try:
            with open(path, "rb") as handle:
                data = handle.read(MAX_BYTES + 1)
        except OSError as exc:
            raise ConfigError(f"--watch {path}: cannot read the watchlist ({exc.strerror or exc})") from None
        if len(data) > MAX_BYTES:
            raise ConfigError(f"--watch {path}: the watchlist is over {MAX_BYTES // 1024} KB")
        if b"\0" in data:
            raise ConfigError(f"--watch {path}: not a text file")
        lines = data.decode("utf-8", "replace").splitlines()
        entries = [e for line in lines if line.strip() and not line.lstrip().startswith("#") if (e := _entry(line))]
        return cls(entries)

    def matches(self, article: Article) -> list[str]:
        """The entries an article matches, by name, in the list's order."""
        texts = [article.headline, article.title or "", article.summary, *article.body_en, *article.body,
                 *article.captions_en, *article.captions, *(e["name"] for e in article.entities)]
        folded = fold("\n".join(t for t in texts if t))
        return [e.name for e in self.entries if e.pattern.search(folded)]
