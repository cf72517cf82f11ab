"""One error type for everything a user can fix: a message, the fix, and the exit status.

The command line catches `SummarizeError` once, prints `error: <message>. Fix: <fix>.` and
exits with `exit_code`; library users catch the same class. Subclasses only say which part of
the tool raised it.
"""

from __future__ import annotations


class SummarizeError(Exception):
    """Something the user can fix; exit status 2 (nothing could run) unless said otherwise."""

    exit_code = 2

    def __init__(self, message: str, fix: str | None = None):
        super().__init__(message)
        self.message = message
        self.fix = fix

    def __str__(self) -> str:
        return f"{self.message}. Fix: {self.fix}." if self.fix else self.message


class ConfigError(SummarizeError):
    """A registry, glossary or setting that cannot be used; names the file, the entry and the problem."""


class ModelUnavailable(SummarizeError):
    """A model that is neither on disk nor downloadable."""


class ReadError(SummarizeError):
    """A file that is not a readable article. In a run it is skipped with `reason`; alone
    (`summarize clean FILE`) it ends the command."""

    def __init__(self, reason: str, source: str | None = None):
        super().__init__(f"{source}: {reason}" if source else reason)
        self.reason = reason


class OwnOutput(ReadError):
    """A page summarize wrote (a review page): never read as an article, and no fault either."""

    def __init__(self, source: str | None = None):
        super().__init__("a review page summarize wrote, not an article: left alone", source)


class RunError(SummarizeError):
    """Nothing could run: no input, or the brief cannot be written."""


class DayError(SummarizeError):
    """No usable brief data for a day."""


class DeliveryError(SummarizeError):
    """A brief that was written but could not be delivered (e-mail, webhook): exit status 1,
    and `summarize send` delivers it later."""

    exit_code = 1
