"""What a run tells its caller: progress and warnings as it goes (Reporter), and what it did
(RunReport). The command line prints them (console.py); a script may pass its own Reporter."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .article import Article

log = logging.getLogger("summarize")


class Reporter:
    """How a run tells the user what it is doing; the default says nothing."""

    @contextlib.contextmanager
    def stage(self, name: str, total: int) -> Iterator[Callable[[], None]]:
        yield lambda: None

    def warn(self, message: str) -> None:
        log.warning(message)

    def note(self, message: str) -> None:
        log.info(message)


@dataclass
class RunReport:
    articles: list[Article]
    from_cache: int
    skipped: dict[str, str]
    brief: Path
    review: Path
    copies: int = 0  # articles that copy another one: listed under it, never translated
    runs_on: dict[str, str] = field(default_factory=dict)  # model name -> "ctranslate2, int8 on cpu"
    in_day: int = 0  # articles in the day's brief after this run (earlier runs' too)
    stories: int = 0  # the day's stories after this run

    def exit_code(self, skip_ok: bool = False) -> int:
        """0 when every file was done, else 1 (0 too with `skip_ok`: skipped files are expected)."""
        return 1 if self.skipped and not skip_ok else 0
