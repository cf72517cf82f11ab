"""The command line: `summarize …` (commands.py, typer) and what it prints (console.py). It only
parses and prints; the work is the Session's."""

from .commands import app, entry_point

__all__ = ["app", "entry_point"]
