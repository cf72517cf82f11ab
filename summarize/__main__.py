"""`python -m summarize` is the `summarize` command."""

from .cli import entry_point

entry_point()
