"""The command line's console helpers: where output goes, how errors and progress look."""

from __future__ import annotations

import contextlib
import logging
import time

from rich.console import Console
from rich.markup import escape

from ..outputs.formats import inert

err = Console(stderr=True, highlight=False)
out = Console(highlight=False)


def plain(text: str, console: Console = out) -> None:
    """Print one line of text as it is (article text: no markup, no highlighting, no wrapping),
    control and invisible characters shown as escapes (formats.inert)."""
    console.print(inert(text), markup=False, highlight=False, soft_wrap=True)


def shown(text: str) -> str:
    """A field for a line with console markup: the markup in it escaped, control and invisible
    characters shown as escapes."""
    return escape(inert(text))


def error(message: str) -> None:
    """One line: markup in a file name is escaped, a control character shown as its escape."""
    err.print(f"[bold red]error:[/] {shown(message)}", markup=True, soft_wrap=True)


def warning(message: str) -> None:
    err.print(f"[yellow]warning:[/] {shown(message)}", markup=True, soft_wrap=True)


class ConsoleReporter:
    """A run's Reporter for a console: a progress bar per stage on a terminal, one plain line
    per stage otherwise."""

    def __init__(self, quiet: bool):
        self.quiet = quiet

    @contextlib.contextmanager
    def stage(self, name, total):
        start = time.perf_counter()
        with self._progress(name, total) as advance:
            yield advance
        logging.getLogger("summarize").info("%s: %d in %.1f s", name, total, time.perf_counter() - start)

    @contextlib.contextmanager
    def _progress(self, name, total):
        if self.quiet or total == 0:
            yield lambda: None
        elif err.is_terminal:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            columns = (TextColumn("{task.description:<28}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
            with Progress(*columns, console=err, transient=False) as progress:
                task = progress.add_task(name, total=total)
                yield lambda: progress.advance(task)
        else:
            err.print(f"{name}: {total} article{'s' if total != 1 else ''}")
            yield lambda: None

    def warn(self, message):
        warning(message)

    def note(self, message):
        if not self.quiet:
            err.print(f"note: {inert(message)}", markup=False, soft_wrap=True)


def setup_logging(verbose: int, quiet: bool = False) -> None:
    """Our log at -v (info) or -vv (debug); with `quiet`, Python warnings raised by libraries
    (deprecation notices and the like) are not shown either: only our warnings and errors."""
    level = logging.WARNING if verbose == 0 else logging.INFO if verbose == 1 else logging.DEBUG
    from rich.logging import RichHandler

    if quiet:
        import warnings

        warnings.simplefilter("ignore")

    root = logging.getLogger()  # ours replaces an earlier call's; other handlers (a test's capture) stay
    for handler in [h for h in root.handlers if isinstance(h, RichHandler)]:
        root.removeHandler(handler)
    root.addHandler(RichHandler(console=err, show_path=False, log_time_format="%Y-%m-%dT%H:%M:%S"))
    root.setLevel(level)
    # the hub client logs every retry (our own message says what failed and how to fix it), and
    # filelock every lock taken: neither helps a reader of -v or -vv
    for noisy in ("huggingface_hub", "filelock"):
        logging.getLogger(noisy).setLevel(max(level, logging.ERROR))
