"""The `summarize` command line (typer): it parses arguments, asks a Session, and prints.

Errors are SummarizeErrors, caught once (in `_Group.invoke`) and printed as one line with
their exit status. Heavy libraries are imported only by the Session when a model is needed,
so `summarize --help` and cached runs start fast.
"""

import dataclasses
import functools
import inspect
import json
import re
import signal
import sys
from datetime import date as Date
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from typer.core import TyperCommand, TyperGroup

from .. import __version__, evaluation
from ..checks import FLAGS
from ..errors import SummarizeError
from ..outputs.formats import plural
from ..reading import fetch
from ..reading.reader import display_path
from ..session import Session
from ..settings import Settings
from .console import ConsoleReporter, err, error, out, plain, setup_logging, shown, warning


class Terminated(KeyboardInterrupt):
    """SIGTERM (what systemd, cron and `kill` send), handled like Ctrl-C: finished work is
    cached, temporary files are removed and locks released on the way out."""


def _on_sigterm(signum, frame) -> None:
    raise Terminated()


class _Command(TyperCommand):
    """A command whose positional arguments read as in other Unix tools: `INPUT...` in the
    usage line, `[NAME]` when optional, no Python type after the name in its help."""

    @staticmethod
    def _usage(param) -> str:
        usage = (param.metavar or param.name.upper()) + ("..." if param.nargs != 1 else "")
        return usage if param.required else f"[{usage}]"

    def collect_usage_pieces(self, ctx) -> list[str]:
        return [self.options_metavar or "[OPTIONS]"] + [self._usage(p) for p in self.get_params(ctx)
                                                        if p.param_type_name == "argument"]

    def format_options(self, ctx, formatter) -> None:
        params = self.get_params(ctx)
        arguments = [(p.metavar or p.name.upper(), p.help or "") for p in params if p.param_type_name == "argument"]
        options = [record for p in params if p.param_type_name == "option" and (record := p.get_help_record(ctx))]
        for title, rows in (("Arguments", arguments), ("Options", options)):
            if rows:
                with formatter.section(title):
                    formatter.write_dl(rows)


class _Group(TyperGroup):
    """Every command runs inside this: a SummarizeError becomes its one-line message and exit status."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for command in self.commands.values():
            if not command.short_help and command.help:  # the list of commands shows the whole summary, not "…"
                command.short_help = " ".join(command.help.strip().split("\n\n")[0].split())

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except SummarizeError as exc:
            error(str(exc))
            raise typer.Exit(exc.exit_code) from None


HELP = {"help_option_names": ["-h", "--help"]}  # -h everywhere, as in most Unix tools

app = typer.Typer(
    cls=_Group,
    context_settings=HELP,
    help="Turn Vietnamese news articles into an English daily brief, with local models only.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
models_app = typer.Typer(cls=_Group, context_settings=HELP, help="List the configured models and download them ahead of time.",
                         no_args_is_help=True)
cache_app = typer.Typer(cls=_Group, context_settings=HELP, help="Inspect or empty the result cache.", no_args_is_help=True)
eval_app = typer.Typer(cls=_Group, context_settings=HELP, help="Measure quality: extraction, metadata, figures, translation, grouping.",
                       no_args_is_help=True)
archive_app = typer.Typer(cls=_Group, context_settings=HELP, help="The archive of every brief (search and story read it).",
                           no_args_is_help=True)
app.add_typer(models_app, name="models")
app.add_typer(cache_app, name="cache")
app.add_typer(eval_app, name="eval")
app.add_typer(archive_app, name="archive")

ConfigOption = Annotated[
    Path | None,
    typer.Option(
        "--config",
        metavar="FILE",
        help="Model registry to use (default: $SUMMARIZE_CONFIG, else ./models.yaml, else the shipped one).",
        show_default=False,
    ),
]
CacheDirOption = Annotated[
    Path | None,
    typer.Option("--cache-dir", metavar="DIR", help="Cache folder (default: $SUMMARIZE_CACHE_DIR, else the user cache dir).", show_default=False),
]
GlossaryOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--glossary",
        metavar="FILE",
        help="Extra glossary file(s) extending the shipped glossary.yaml (also $SUMMARIZE_GLOSSARY).",
        show_default=False,
    ),
]
OfflineOption = Annotated[bool, typer.Option("--offline", help="Never touch the network; use local models only.")]
DeviceOption = Annotated[
    str | None,
    typer.Option("--device", metavar="auto|cpu|cuda", show_default=False,
                 help="Where models run (default: $SUMMARIZE_DEVICE, else auto: a CUDA GPU if there is one)."),
]
BackendOption = Annotated[
    str | None,
    typer.Option("--backend", metavar="NAME", show_default=False,
                 help="Engine for every model: ctranslate2 or transformers (default: each entry's backend)."),
]
FeedsOption = Annotated[
    list[Path] | None,
    typer.Option("--feeds", metavar="FILE", show_default=False,
                 help="A file of feed and page addresses, one per line or OPML; fetched like addresses given as INPUT."),
]
AllowHostOption = Annotated[
    list[str] | None,
    typer.Option("--allow-host", metavar="HOST[:PORT]", show_default=False,
                 help="Fetch from this host and port although it is not public (a local or intranet server); "
                      "a HOST alone allows its ports 80 and 443."),
]
PerFeedOption = Annotated[int, typer.Option("--max-per-feed", metavar="N", min=1,
                                            help="Pages taken from one feed in a run (its newest first).")]
PerRunOption = Annotated[int, typer.Option("--max-pages", metavar="N", min=1,
                                           help="Pages fetched in a run; the rest wait for the next run.")]
StyleOption = Annotated[
    str | None,
    typer.Option("--style", metavar="NAME", show_default=False,
                 help="An instruction model's summary style: paragraph (its default), bullets or line (models list shows each entry's)."),
]
MailOption = Annotated[list[str] | None, typer.Option("--mail", metavar="ADDRESS", show_default=False,
                                                       help="E-mail the brief to this address (through --smtp).")]
WebhookOption = Annotated[list[str] | None, typer.Option("--webhook", metavar="URL", show_default=False,
                                                         help="POST the day's overview and top stories here (Slack's shape).")]
SmtpOption = Annotated[str | None, typer.Option("--smtp", metavar="HOST:PORT", show_default=False,
                                                help="Mail server (default: $SUMMARIZE_SMTP); its login: "
                                                     "$SUMMARIZE_SMTP_USER, $SUMMARIZE_SMTP_PASSWORD.")]
AttachOption = Annotated[bool, typer.Option("--attach-review", help="Attach the review page to the e-mail (else linked).")]
WatchOption = Annotated[Path | None, typer.Option("--watch", metavar="FILE", show_default=False,
                                                 help="A watchlist: names and terms to follow, one a line, aliases "
                                                      "separated by | (default: $SUMMARIZE_WATCH).")]
BriefsOption = Annotated[Path, typer.Option("--out", metavar="DIR", help="Folder of the briefs, as for `run`.")]
PagesOption = Annotated[Path | None, typer.Option("--pages", metavar="DIR", show_default=False,
                                                  help="Folder of the labelled pages (default: the labels file's folder).")]
SuffixOption = Annotated[str, typer.Option(metavar="EXT", help="Read each labelled page NAME as NAME plus this (.txt or .html).")]
FastOption = Annotated[
    bool, typer.Option("--fast", help="Greedy decoding (the registry's 'fast' profile): much faster, a little worse.")
]


NoCacheOption = Annotated[bool, typer.Option("--no-cache", help="Neither read nor write the cache.")]

# The options every command that runs a model takes, declared once (model_options)
_MODEL_OPTIONS = {"config": (ConfigOption, None), "glossary": (GlossaryOption, None), "offline": (OfflineOption, False),
                  "device": (DeviceOption, None), "backend": (BackendOption, None), "fast": (FastOption, False)}
_CACHE_OPTIONS = {"cache_dir": (CacheDirOption, None), "no_cache": (NoCacheOption, False)}


def model_options(cached: bool = False):
    """Give a command the model options (with `cached`, the cache's too) and call it with them
    resolved, as `settings` (Settings.resolve: options > environment > defaults)."""
    added = {**_MODEL_OPTIONS, **(_CACHE_OPTIONS if cached else {})}

    def decorate(command):
        signature = inspect.signature(command)
        params = [p for p in signature.parameters.values() if p.name != "settings"]
        params += [inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, annotation=kind, default=default)
                   for name, (kind, default) in added.items()]

        @functools.wraps(command)
        def with_settings(**given):
            options = {name: given.pop(name) for name in added}
            settings = Settings.resolve(config=options["config"], glossaries=options["glossary"] or (),
                                        offline=options["offline"], device=options["device"], backend=options["backend"],
                                        fast=options["fast"], cache_dir=options.get("cache_dir"),
                                        no_cache=options.get("no_cache", not cached))
            return command(settings=settings, **given)

        with_settings.__signature__ = signature.replace(parameters=params)
        with_settings.__annotations__ = {p.name: p.annotation for p in params}
        return with_settings

    return decorate


def version_callback(value: bool) -> None:
    if value:
        out.print(f"summarize {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool, typer.Option("--version", callback=version_callback, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """Turn Vietnamese news articles into an English daily brief, with local models only."""


@app.command("run", cls=_Command)
@model_options(cached=True)
def run_command(
    settings: Settings,
    inputs: Annotated[
        list[str] | None, typer.Argument(help="Folders of scraped article files (.txt, .html), files, or web "
                                              "addresses of pages and feeds.", metavar="INPUT")
    ] = None,
    translator: Annotated[
        str | None, typer.Option(metavar="NAME", help="Translation model: a name from the registry.")
    ] = None,
    summarizer: Annotated[
        str | None, typer.Option(metavar="NAME", help="Summarization model: a name from the registry.")
    ] = None,
    style: StyleOption = None,
    out_dir: Annotated[Path, typer.Option("--out", metavar="DIR", help="Folder for the brief.")] = Path("briefs"),
    date: Annotated[str | None, typer.Option(metavar="YYYY-MM-DD", help="Date of the brief (default: today).")] = None,
    follow_links: Annotated[
        bool, typer.Option("--follow-links", help="Also read file links that lead out of the input folder.")
    ] = False,
    skip_ok: Annotated[
        bool, typer.Option("--skip-ok", help="Exit 0 even if some files were skipped (they are still listed).")
    ] = False,
    group: Annotated[
        bool, typer.Option("--group/--no-group", help="Group the day's articles into stories (copies are always folded).")
    ] = True,
    fresh: Annotated[
        bool, typer.Option("--fresh", help="Rebuild the day's brief from these inputs alone, dropping articles earlier "
                                           "runs of the day added (the cache still serves).")
    ] = False,
    feeds: FeedsOption = None,
    allow_host: AllowHostOption = None,
    max_per_feed: PerFeedOption = fetch.PER_FEED,
    max_pages: PerRunOption = fetch.PER_RUN,
    mail: MailOption = None,
    webhook: WebhookOption = None,
    smtp: SmtpOption = None,
    attach_review: AttachOption = False,
    watch: WatchOption = None,
    workers: Annotated[int | None, typer.Option(metavar="N", min=1, show_default=False,
                                                help="Processes that clean pages, on a big day (default: one a core).")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only warnings and errors.")] = False,
    verbose: Annotated[
        int, typer.Option("--verbose", "-v", count=True, show_default=False,
                          help="Say more: -v stage timings and cache hits, -vv also every batch.")
    ] = 0,
) -> None:
    """Summarize every article in the INPUT folders and files into briefs/<date>.md.

    Exit status: 0 all articles done, 1 some files skipped (0 with --skip-ok), 2 nothing could run, 130
    interrupted (Ctrl-C), 143 terminated (SIGTERM); finished work is cached either way.
    """
    setup_logging(verbose, quiet)
    day = _date(date)
    if not inputs and not feeds:
        raise SummarizeError("give folders, files or web addresses to read, or --feeds FILE")
    signal.signal(signal.SIGTERM, _on_sigterm)
    session = Session(dataclasses.replace(settings, smtp=smtp or settings.smtp, watch=watch or settings.watch))
    try:
        report = session.run(inputs or [], date=day, out_dir=out_dir, translator=translator, summarizer=summarizer, style=style,
                             reporter=ConsoleReporter(quiet), follow_links=follow_links, group=group, fresh=fresh,
                             feeds=feeds or (), fetching=_fetching(allow_host, max_per_feed, max_pages), workers=workers)
    except KeyboardInterrupt as stop:
        error("interrupted; finished work is cached and will be reused" if settings.cache_dir else
              "interrupted; nothing was cached (--no-cache), so a rerun starts over")
        raise typer.Exit(143 if isinstance(stop, Terminated) else 130) from None
    if not quiet:
        done = len(report.articles)
        models = "".join(f"; {name}: {where}" for name, where in report.runs_on.items())
        copies = f", {plural(report.copies, 'copy')} of them not translated" if report.copies else ""
        out.print(
            f"{plural(done, 'article')} done ({report.from_cache} from cache){copies}, "
            f"{len(report.skipped)} skipped{models}; the day's brief now holds {plural(report.in_day, 'article')} "
            f"in {plural(report.stories, 'story')}: {report.brief}, review: {report.review}",
            soft_wrap=True,
        )
    delivered = _deliver(session, report.brief, mail, webhook, attach_review, allow_host, quiet)
    raise typer.Exit(max(report.exit_code(skip_ok), 0 if delivered else 1))


def _deliver(session: Session, brief: Path, mail: list[str] | None, webhooks: list[str] | None, attach: bool,
             allow_host: list[str] | None, quiet: bool) -> bool:
    """Send a written brief to each target; each failure one line. True when all were delivered."""
    if not mail and not webhooks:
        return True
    outcomes = session.send(brief, mail=mail or (), webhooks=webhooks or (), attach_review=attach,
                            allow_hosts=allow_host or ())
    for target, problem in outcomes.items():
        if problem:
            warning(f"not delivered to {target}: {problem}")
        elif not quiet:
            out.print(f"delivered to {target}", soft_wrap=True)
    return not any(outcomes.values())


@app.command("send", cls=_Command)
def send_command(
    mail: MailOption = None,
    webhook: WebhookOption = None,
    out_dir: Annotated[Path, typer.Option("--out", metavar="DIR", help="Folder of the briefs, as for `run`.")] = Path("briefs"),
    date: Annotated[str | None, typer.Option(metavar="YYYY-MM-DD", help="The day to send (default: the latest).")] = None,
    smtp: SmtpOption = None,
    attach_review: AttachOption = False,
    allow_host: AllowHostOption = None,
) -> None:
    """Deliver a brief already written: by e-mail (plain text and HTML) and to webhooks.

    Exit status: 0 delivered everywhere, 1 some target refused or was unreachable (each one
    line), 2 bad arguments or no such brief. Sending again delivers the same brief.
    """
    if not mail and not webhook:
        raise SummarizeError("give --mail ADDRESS or --webhook URL")
    brief = out_dir / f"{_date(date)}.md" if date else out_dir
    session = Session(Settings.resolve(smtp=smtp, no_cache=True))
    raise typer.Exit(0 if _deliver(session, brief, mail, webhook, attach_review, allow_host, quiet=False) else 1)


def _where(source: str) -> str:
    """An archived source as the user would write it (relative to here when inside), or its address."""
    return source if "://" in source else display_path(Path(source))


def _fetching(allow_host: list[str] | None, per_feed: int, per_run: int) -> fetch.Options:
    return fetch.Options(allow_hosts=frozenset(allow_host or ()), per_feed=per_feed, per_run=per_run)


def _date(text: str | None) -> str | None:
    """--date as ISO text: its form and its value checked apart, so the message says which is wrong."""
    if text is None:
        return None
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        raise SummarizeError(f"--date {text!r} is not a date in YYYY-MM-DD form")
    try:
        return Date.fromisoformat(text).isoformat()
    except ValueError as exc:  # "month must be in 1..12", "day is out of range for month"
        raise SummarizeError(f"--date {text}: no such day ({exc})") from None


@app.command("search", cls=_Command)
def search_command(
    query: Annotated[str | None, typer.Argument(metavar="QUERY", show_default=False,
                                                help="Words in English or Vietnamese (accents optional), a name, "
                                                     "or \"a phrase\"; every one must be found.")] = None,
    out_dir: BriefsOption = Path("briefs"),
    since: Annotated[str | None, typer.Option(metavar="YYYY-MM-DD", help="Only briefs of this day or later.")] = None,
    until: Annotated[str | None, typer.Option(metavar="YYYY-MM-DD", help="Only briefs of this day or earlier.")] = None,
    outlet: Annotated[str | None, typer.Option(metavar="HOST", help="Only articles of this outlet (part of its name).")] = None,
    story: Annotated[str | None, typer.Option(metavar="ID", help="Only articles of this running story.")] = None,
    limit: Annotated[int, typer.Option(metavar="N", min=1, help="Results shown, newest first.")] = 20,
    watch: WatchOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON (one list of results) for scripts.")] = False,
) -> None:
    """Search every archived brief: newest first, with a snippet and links to the brief, the review and the source.

    With --watch FILE and no QUERY, every past match of the watchlist. Exit status: 0 found, 1 nothing found, 2 bad arguments.
    """
    if not query and not watch:
        raise SummarizeError("give words to search for, or --watch FILE")
    session = Session(Settings.resolve(no_cache=True, watch=watch))
    hits = session.search(query or "", out_dir=out_dir, since=_date(since), until=_date(until), outlet=outlet,
                          story=story, limit=limit)
    if as_json:
        print(json.dumps([{**dataclasses.asdict(h), "brief": str(out_dir / h.brief), "review": str(out_dir / h.review)}
                          for h in hits], ensure_ascii=False, indent=2))
    for h in [] if as_json else hits:
        watched = f"[magenta]{shown(h.watch)}:[/] " if h.watch else ""
        out.print(f"[bold]{h.date}[/]  {watched}{shown(h.headline)}" + (f" [cyan]· {shown(h.outlet)}[/]" if h.outlet else ""),
                  soft_wrap=True)
        out.print(f"    {shown(h.snippet)}", soft_wrap=True)
        out.print(f"    [dim]brief: {shown(str(out_dir / h.brief))} · review: {shown(str(out_dir / h.review))} · "
                  f"source: {shown(h.url or _where(h.source))} · story: {h.thread}[/]", soft_wrap=True)
    if not as_json and not hits:
        warning("nothing found")
    raise typer.Exit(0 if hits else 1)


@app.command("story", cls=_Command)
def story_command(
    ident: Annotated[str, typer.Argument(metavar="ID", help="A running story's id (as search shows it), or DATE/STORY.")],
    out_dir: BriefsOption = Path("briefs"),
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")] = False,
) -> None:
    """A running story's timeline: each day it ran, with its articles and their review pages."""
    rows = Session(Settings.resolve(no_cache=True)).story(ident, out_dir=out_dir)
    if not rows:
        raise SummarizeError(f"no story {ident!r} in {out_dir}'s archive")
    if as_json:
        keep = ("date", "story", "thread", "headline", "outlet", "published", "url", "summary", "source")
        print(json.dumps([{**{k: getattr(r, k) for k in keep}, "brief": str(out_dir / r.brief),
                           "review": str(out_dir / r.review)} for r in rows], ensure_ascii=False, indent=2))
        return
    dates = list(dict.fromkeys(r.date for r in rows))
    out.print(f"[bold]{shown(rows[-1].thread)}[/]: {plural(len(dates), 'day')}, {plural(len(rows), 'article')}, "
              f"first reported {dates[0]}", soft_wrap=True)
    for date in dates:
        out.print(f"\n[bold]{date}[/]  [dim]{shown(str(out_dir / f'{date}.md'))}[/]", soft_wrap=True)
        for r in (r for r in rows if r.date == date):
            outlet = f" [cyan]· {shown(r.outlet)}[/]" if r.outlet else ""
            out.print(f"  {shown(r.headline or r.title or '')}{outlet}  [dim]{shown(str(out_dir / r.review))}[/]", soft_wrap=True)


@app.command("backfill", cls=_Command)
@model_options(cached=True)
def backfill_command(
    settings: Settings,
    inputs: Annotated[list[Path], typer.Argument(metavar="CORPUS", help="Folders of pages, or .jsonl / .parquet files "
                                                                         "of one article a row (url, published, html or text).")],
    out_dir: Annotated[Path, typer.Option("--out", metavar="DIR", help="Folder for the briefs (and the archive).")] = Path("briefs"),
    ray_address: Annotated[str, typer.Option("--ray", metavar="ADDRESS", help="A Ray cluster's address, or local: "
                                                                              "one started on this machine.")] = "local",
    workers: Annotated[int | None, typer.Option(metavar="N", min=1, show_default=False,
                                                help="Workers (default: one a GPU with --gpus, else one a CPU).")] = None,
    gpus: Annotated[bool, typer.Option("--gpus", help="One GPU for each worker.")] = False,
    translator: Annotated[str | None, typer.Option(metavar="NAME", help="Translation model.")] = None,
    summarizer: Annotated[str | None, typer.Option(metavar="NAME", help="Summarization model.")] = None,
    style: StyleOption = None,
    watch: WatchOption = None,
) -> None:
    """Summarize a whole corpus on a Ray cluster: one brief per publication date, every article archived.

    Resumable: run it again to finish what a stopped backfill left (nothing is done twice).
    Needs Ray: pip install 'summarize[cluster]'. Exit status: 0 done, 1 some articles skipped, 2 bad arguments.
    """
    from ..backfill.cluster import backfill

    done = backfill(inputs, dataclasses.replace(settings, watch=watch or settings.watch), out_dir=out_dir,
                    address=ray_address, workers=workers, gpus=gpus, translator=translator, summarizer=summarizer,
                    style=style, reporter=ConsoleReporter(False))
    for source, reason in sorted(done.skipped.items()):
        warning(f"skipped {shown(source)}: {shown(reason)}")
    out.print(f"{plural(len(done.days), 'day')} summarized ({plural(done.articles, 'article')}), "
              f"{plural(len(done.filed), 'day')} filed in the archive, {len(done.skipped)} skipped, "
              f"in {done.seconds:.1f} s: {out_dir}", soft_wrap=True)
    raise typer.Exit(1 if done.skipped else 0)


@archive_app.command("rebuild", cls=_Command)
def archive_rebuild_command(out_dir: BriefsOption = Path("briefs")) -> None:
    """Make the archive (DIR/archive.sqlite3) again from the day files, oldest first."""
    days = Session(Settings.resolve(no_cache=True)).rebuild_archive(out_dir)
    out.print(f"archive: {out_dir / 'archive.sqlite3'} made again from {plural(days, 'day')}")


@app.command("fetch", cls=_Command)
def fetch_command(
    addresses: Annotated[list[str] | None, typer.Argument(metavar="ADDRESS", help="Feed or page addresses.")] = None,
    feeds: FeedsOption = None,
    out_dir: Annotated[Path, typer.Option("--out", metavar="DIR", help="Folder for the briefs; pages go to DIR/inbox/<date>/.")] = Path("briefs"),
    date: Annotated[str | None, typer.Option(metavar="YYYY-MM-DD", help="The day the pages are filed under (default: today).")] = None,
    allow_host: AllowHostOption = None,
    max_per_feed: PerFeedOption = fetch.PER_FEED,
    max_pages: PerRunOption = fetch.PER_RUN,
    offline: OfflineOption = False,
) -> None:
    """Fetch feeds and pages into the day's inbox without summarizing (`run` does both).

    Only new addresses are fetched; robots.txt, a delay per host and size and time caps apply.
    Exit status: 0 all fetched, 1 some addresses gave nothing (each listed with why), 2 bad arguments.
    """
    if not addresses and not feeds:
        raise SummarizeError("give feed or page addresses, or --feeds FILE")
    result = Session(Settings.resolve(offline=offline)).fetch(addresses or [], feeds=feeds or (), out_dir=out_dir,
                                                              date=_date(date),
                                                              fetching=_fetching(allow_host, max_per_feed, max_pages))
    for note in result.notes:
        warning(note)
    for address, reason in result.skipped.items():
        warning(f"skipped {address}: {reason}")
    for path in result.saved:
        plain(str(path))
    out.print(f"{plural(len(result.saved), 'page')} saved, {result.seen} seen before, {len(result.skipped)} skipped")
    raise typer.Exit(1 if result.skipped else 0)


@app.command("clean", cls=_Command)
def clean_command(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="A scraped article file.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object instead of the readable view.")] = False,
) -> None:
    """Show what the cleaner keeps of a page: title, date, body, captions, and what it drops."""
    article = Session(Settings.resolve(no_cache=True)).read(file)
    fields = ("title", "published", "byline", "credit", "outlet", "url", "declared", "body", "captions", "keywords",
              "dropped")
    data = {name: getattr(article, name) for name in fields}
    if as_json:
        text = json.dumps(data, ensure_ascii=False)
        out.print_json(text) if out.is_terminal else print(json.dumps(data, ensure_ascii=False, indent=2))
        return
    out.print(f"[bold]{shown(article.title or '(no title)')}[/]")
    meta = [f"{k}: {shown(str(data[k]))}" for k in ("published", "byline", "credit", "outlet", "url") if data[k]]
    if meta:
        out.print("[cyan]" + " · ".join(meta) + "[/]")
    for paragraph in article.body:
        out.print()
        out.print(shown(paragraph))
    for caption in article.captions:
        out.print(f"\n[italic]caption: {shown(caption)}[/]")
    if article.keywords:
        out.print(f"\n[cyan]keywords: {shown(', '.join(article.keywords))}[/]")
    if article.dropped:
        out.print("\n[bold dim]dropped:[/]")
        for line in article.dropped:
            out.print(f"[dim]  {shown(line['why'])}:[/] {shown(line['text'])}")


@app.command("translate", cls=_Command)
@model_options()
def translate_command(
    settings: Settings,
    file: Annotated[Path, typer.Argument(metavar="FILE", help="A scraped article file.")],
    translator: Annotated[
        str | None, typer.Option(metavar="NAME", help="Translation model (passthrough: no model).")
    ] = None,
) -> None:
    """Print the article's English translation: title, then body paragraphs.

    With --translator passthrough no model runs, and the output shows exactly what the figure
    and glossary handling does to the text.
    """
    session = Session(settings)
    article = session.read(file)
    with session.translator(translator) as model:
        model.translate([article])
    if article.title_en:
        plain(article.title_en)
    for paragraph in article.body_en:
        out.print()
        plain(paragraph)
    if article.restored:
        warning(f"figures dropped by the translator, appended in brackets: {', '.join(article.restored)}")


@app.command("review", cls=_Command)
def review_command(
    brief: Annotated[
        Path, typer.Argument(metavar="BRIEF", help="A brief (briefs/<date>.md) or a folder of briefs (its latest).")
    ] = Path("briefs"),
    fmt: Annotated[str, typer.Option("--format", metavar="html|md", help="html (one self-contained page) or md.")] = "html",
) -> None:
    """Rebuild the side-by-side review of a brief from its saved data, without loading any model."""
    if fmt not in ("html", "md"):
        raise SummarizeError(f"--format must be html or md, not {fmt!r}")
    out.print(f"review: {Session(Settings.resolve(no_cache=True)).review(brief, fmt)}")


@eval_app.command("clean", cls=_Command)
def eval_clean_command(
    gold_dir: Annotated[Path, typer.Argument(metavar="GOLD_DIR", help="Folder of gold JSON files (title, published, body…).")],
    inputs: Annotated[Path | None, typer.Option("--inputs", metavar="DIR", show_default=False,
                                                help="Folder holding the pages the gold files describe "
                                                     "(default: GOLD_DIR itself).")] = None,
    min_mean: Annotated[float, typer.Option(metavar="F1", help="Exit 1 if the mean body F1 is below this.")] = 0.0,
    min_f1: Annotated[float, typer.Option(metavar="F1", help="Exit 1 if any page's body F1 is below this.")] = 0.0,
    suffix: Annotated[str | None, typer.Option(metavar="EXT", help="Read each page with this suffix instead "
                                               "of the one its gold file names (e.g. .html).")] = None,
) -> None:
    """Body-token precision, recall and F1, title and date match, per file and on average."""
    from rich.table import Table

    try:
        scores = Session(Settings.resolve(no_cache=True)).evaluate_clean(gold_dir, inputs or gold_dir, suffix)
    except (OSError, ValueError, KeyError) as exc:
        raise SummarizeError(f"cannot evaluate: {exc}") from None
    if not scores:
        raise SummarizeError(f"{gold_dir}: no gold files (*.json)")
    table = Table("file", "precision", "recall", "F1", "title", "date")
    for s in scores:
        table.add_row(s.file, f"{s.precision:.3f}", f"{s.recall:.3f}", f"{s.f1:.3f}", _yes(s.title_match), _yes(s.date_match))
    n = len(scores)
    mean = sum(s.f1 for s in scores) / n
    table.add_row(
        "mean",
        f"{sum(s.precision for s in scores) / n:.3f}",
        f"{sum(s.recall for s in scores) / n:.3f}",
        f"{mean:.3f}",
        _count([s.title_match for s in scores]),
        _count([s.date_match for s in scores]),
        style="bold",
    )
    out.print(table)
    worst = min(scores, key=lambda s: s.f1)
    _hold({"mean F1": min_mean, f"lowest F1 ({worst.file})": min_f1},
          {"mean F1": mean, f"lowest F1 ({worst.file})": worst.f1})


def _hold(floors: dict[str, float], values: dict[str, float]) -> None:
    """Exit 1, naming each, when a measured value is below its --floor."""
    if below := evaluation.below(floors, values):
        error(f"below the floor: {', '.join(below)}")
        raise typer.Exit(1)


@eval_app.command("metadata", cls=_Command)
def eval_metadata_command(
    truth: Annotated[Path, typer.Argument(metavar="TRUTH", help="A truth.tsv: name, headline, outlet, date[, byline] per page.")],
    pages: PagesOption = None,
    suffix: SuffixOption = ".txt",
    floor: Annotated[list[str] | None, typer.Option(metavar="FIELD=SHARE", show_default=False,
                                                    help="Exit 1 if a field's accuracy is below this, e.g. title=1.0 "
                                                         "(fields: title, outlet, published, byline; repeatable).")] = None,
) -> None:
    """Per-field accuracy of the headline, outlet, date and byline the brief prints, and every miss."""

    floors = evaluation.floors(floor, evaluation.METADATA_FIELDS)
    checks, accuracy = Session(Settings.resolve(no_cache=True)).evaluate_metadata(truth, pages or Path(truth).parent, suffix)
    for check in checks:
        if not check.right:
            plain(f"MISS {check.page} {check.field}: found {check.found!r}, expected {check.expected!r}")
    for field, (right, labelled) in accuracy.items():
        out.print(f"{field:<10} {right}/{labelled}  {right / labelled:.3f}")
    _hold(floors, {field: right / labelled for field, (right, labelled) in accuracy.items()})


@eval_app.command("groups", cls=_Command)
def eval_groups_command(
    gold: Annotated[Path, typer.Argument(metavar="GOLD", help="A gold.yaml (stories: and copies:) beside its article files, "
                                                             "or a stories.tsv (name and story label per line).")],
    pages: PagesOption = None,
    suffix: SuffixOption = ".txt",
    floor: Annotated[list[str] | None, typer.Option(metavar="NAME=SHARE", show_default=False,
                                                    help="Exit 1 if the stories' pairwise precision or recall is below "
                                                         "this, e.g. precision=0.95 (repeatable).")] = None,
    config: ConfigOption = None,
    glossary: GlossaryOption = None,
) -> None:
    """Pairwise precision, recall and F1 of duplicate detection and story grouping (no model needed)."""
    floors = evaluation.floors(floor, ("precision", "recall"))
    score = Session(Settings.resolve(config=config, glossaries=glossary or (), no_cache=True)).evaluate_groups(gold, pages, suffix)
    for name, pair in (("duplicates", score.duplicates), ("stories", score.stories)):
        out.print(f"{name}: precision {pair.precision:.3f}, recall {pair.recall:.3f}, F1 {pair.f1:.3f} "
                  f"({pair.pairs} pairs belong together)")
    out.print(f"{score.articles} articles in {plural(score.found, 'story')} ({score.wanted} labelled); "
              f"unrelated pairs put in one story: {score.merged_unrelated}")
    _hold(floors, {"precision": score.stories.precision, "recall": score.stories.recall})


@eval_app.command("fidelity", cls=_Command)
@model_options()
def eval_fidelity_command(
    settings: Settings,
    cases: Annotated[Path, typer.Argument(metavar="CASES", help="JSON lines: {\"vi\": sentence, \"expect\": [English forms]}.")],
    translator: Annotated[
        str, typer.Option(metavar="NAME", help="Translation model to test.")
    ] = "passthrough",
) -> None:
    """Pass rate of figure, date and glossary renderings on a suite of Vietnamese sentences."""
    session = Session(settings)
    try:
        results, name = session.evaluate_fidelity(cases, translator)
    except (OSError, ValueError) as exc:
        raise SummarizeError(str(exc)) from None
    for r in results:
        if not r.passed:
            out.print(f"[red]FAIL[/] {escape(r.vi)}", markup=True, highlight=False, soft_wrap=True)
            plain(f"     got: {r.english}")
            plain(f"     missing: {', '.join(r.missing)}")
    passed = sum(r.passed for r in results)
    out.print(f"{passed}/{len(results)} passed ({100 * passed / max(len(results), 1):.1f}%) with {name}")
    if passed < len(results):
        raise typer.Exit(1)


@eval_app.command("translation", cls=_Command)
@model_options()
def eval_translation_command(
    settings: Settings,
    sources: Annotated[Path, typer.Argument(metavar="SRC_FILE", help="Vietnamese sentences, one per line.")],
    references: Annotated[Path, typer.Argument(metavar="REF_FILE", help="Their English references, line by line.")],
    translator: Annotated[str | None, typer.Option(metavar="NAME", help="Translation model to score.")] = None,
) -> None:
    """BLEU and chrF (sacrebleu) of a translator against references, and its speed, so the cost
    of int8, a backend or --fast can be measured on your own machine and data."""
    session = Session(settings)
    score = session.evaluate_translation(sources, references, translator)
    out.print(f"{score.model} ({score.where}): BLEU {score.bleu:.1f}, chrF {score.chrf:.1f} "
              f"on {score.sentences} sentences; {score.sentences_per_second:.2f} sentences/s "
              f"({score.seconds:.1f} s, model load {score.load_seconds:.1f} s)", soft_wrap=True)


@eval_app.command("summaries", cls=_Command)
@model_options(cached=True)
def eval_summaries_command(
    settings: Settings,
    inputs: Annotated[list[str], typer.Argument(metavar="INPUT", help="Folders or files of your own articles.")],
    summarizers: Annotated[list[str], typer.Option("--with", metavar="NAME[:STYLE]",
                                                   help="A summarizer to compare (two or more), in a style if it has them.")],
    translator: Annotated[str | None, typer.Option(metavar="NAME", help="Translation model (shared by all).")] = None,
    out_dir: Annotated[Path, typer.Option("--out", metavar="DIR", help="Where each brief and compare.html go.")] = Path("compare"),
) -> None:
    """Compare summarizers on your own articles: the checks' flag rates side by side, and one page
    (DIR/compare.html) with every summary of each article next to the others, flags included.

    Real models' quality cannot be measured where summarize is built; this measures it where
    you run it. Example: --with distilbart-cnn --with qwen2.5-1.5b --with qwen2.5-1.5b-vi:bullets
    """
    session = Session(settings)
    scores, page = session.compare_summaries(inputs, summarizers, out_dir=out_dir, translator=translator,
                                             reporter=ConsoleReporter(quiet=True))
    width = max(len(s.label) for s in scores) + 2
    out.print("flags per article".ljust(34) + "".join(s.label.rjust(width) for s in scores), soft_wrap=True)
    for kind, flag in FLAGS.items():
        out.print(flag.label[:33].ljust(34) + "".join(f"{s.per_article[kind]:.2f}".rjust(width) for s in scores),
                  soft_wrap=True)
    out.print("articles with any flag".ljust(34) + "".join(f"{100 * s.flagged:.0f} %".rjust(width) for s in scores))
    out.print("seconds".ljust(34) + "".join(f"{s.seconds:.1f}".rjust(width) for s in scores))
    out.print(f"summaries side by side: {page}", soft_wrap=True)


def _yes(flag: bool | None) -> str:
    return "—" if flag is None else "yes" if flag else "NO"


def _count(flags: list[bool | None]) -> str:
    """`12/13` of the labelled ones; `—` when none is labelled."""
    labelled = [f for f in flags if f is not None]
    return f"{sum(labelled)}/{len(labelled)}" if labelled else "—"


@models_app.command("list", cls=_Command)
def models_list(config: ConfigOption = None) -> None:
    """Each configured model, whether it is the default, and whether it is available locally."""
    stage = None
    for info in Session(Settings.resolve(config=config)).models():
        spec = info.spec
        if spec.stage != stage:
            stage = spec.stage
            out.print(f"[bold]{stage}[/]", markup=True)
        label = f"{spec.name} (default)" if info.default else spec.name
        revision = f"@{spec.revision[:12]}" if spec.revision else ""
        where = "built in" if info.built_in else f"local: {info.path}" if info.path else "not downloaded"
        plain(f"  {label:<24} {spec.model}{revision}  {where}")
        if spec.license:
            plain(f"  {'':<24} licence: {spec.license}")
        if spec.styles:
            plain(f"  {'':<24} styles: {', '.join(spec.styles)} (--style); reads the {spec.reads}")


@models_app.command("pull", cls=_Command)
def models_pull(
    name: Annotated[str | None, typer.Argument(metavar="NAME", help="Registry name to download (default: both default models).")] = None,
    config: ConfigOption = None,
) -> None:
    """Download models from the Hugging Face hub now, so later runs work offline."""
    for spec, path in Session(Settings.resolve(config=config)).pull(name):
        out.print(f"{spec.stage} {spec.name}: {path}")


@cache_app.command("stats", cls=_Command)
def cache_stats(cache_dir: CacheDirOption = None) -> None:
    """Where the cache is and how many results it holds."""
    cache = Session(Settings.resolve(cache_dir=cache_dir)).cache
    if not cache.path.exists():
        out.print(f"no cache yet at {cache.path} (a run makes it)")
        return
    stats = cache.stats()
    out.print(f"cache: {cache.path}")
    if "damaged" in stats:
        warning(f"the cache file cannot be read ({stats['damaged']}); `summarize cache clear` removes it")
    for kind, label in (("article", "articles"), ("sentence", "sentences"), ("summary", "summaries")):
        out.print(f"  {label:<10} {stats.get(kind, 0)}")
    out.print(f"  {'size':<10} {stats['bytes'] / 1024:.1f} KiB")


@cache_app.command("clear", cls=_Command)
def cache_clear(
    cache_dir: CacheDirOption = None,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask first (for scripts).")] = False,
) -> None:
    """Delete every cached result (it asks first, unless --yes)."""
    cache = Session(Settings.resolve(cache_dir=cache_dir)).cache
    if not cache.path.exists():
        out.print(f"no cache at {cache.path}: nothing to delete")
        return
    stats = cache.stats()
    entries = sum(v for k, v in stats.items() if k in ("article", "sentence", "summary"))
    what = f"{cache.path} ({plural(entries, 'entry')}, {stats['bytes'] / 1024:.1f} KiB)"
    if not yes and not typer.confirm(f"delete every cached result in {what}?", default=False, err=True):
        out.print("nothing deleted")
        raise typer.Exit(1)
    out.print(f"removed {plural(cache.clear(), 'entry')} from {cache.path}")


def entry_point() -> None:
    """Console script: run the app, mapping Ctrl-C to a clean message."""
    try:
        app()
    except KeyboardInterrupt:
        err.print("interrupted")
        sys.exit(130)
