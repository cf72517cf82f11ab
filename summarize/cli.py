"""The `summarize` command line (typer). Thin: every command calls into the package.

Heavy libraries (torch, transformers, huggingface_hub) are imported only inside the commands
that need them, so `summarize --help` and cached runs start fast.
"""

import contextlib
import json
import logging
import os
import sys
from datetime import date as Date
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.markup import escape

from . import __version__
from .registry import ConfigError, Registry, load_registry

app = typer.Typer(
    help="Turn Vietnamese news articles into an English daily brief, with local models only.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
models_app = typer.Typer(help="List the configured models and download them ahead of time.", no_args_is_help=True)
cache_app = typer.Typer(help="Inspect or empty the result cache.", no_args_is_help=True)
eval_app = typer.Typer(help="Measure quality against hand-made gold annotations.", no_args_is_help=True)
app.add_typer(models_app, name="models")
app.add_typer(cache_app, name="cache")
app.add_typer(eval_app, name="eval")

err = Console(stderr=True, highlight=False)
out = Console(highlight=False)

ConfigOption = Annotated[
    Optional[Path],
    typer.Option(
        "--config",
        help="Model registry to use (default: $SUMMARIZE_CONFIG, else ./models.yaml, else the shipped one).",
        show_default=False,
    ),
]
CacheDirOption = Annotated[
    Optional[Path],
    typer.Option("--cache-dir", help="Cache folder (default: $SUMMARIZE_CACHE_DIR, else the user cache dir).", show_default=False),
]


GlossaryOption = Annotated[
    Optional[list[Path]],
    typer.Option(
        "--glossary",
        help="Extra glossary file(s) extending the shipped glossary.yaml (also $SUMMARIZE_GLOSSARY).",
        show_default=False,
    ),
]


def fail(message: str, code: int = 2) -> "typer.Exit":
    """Print a one-line error and leave with `code` (2: nothing could run)."""
    err.print(f"[bold red]error:[/] {escape(message)}", markup=True, soft_wrap=True)
    return typer.Exit(code)


def default_config() -> Path:
    for candidate in (os.environ.get("SUMMARIZE_CONFIG"), "models.yaml"):
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    return Path(__file__).resolve().parent.parent / "models.yaml"


def registry_or_exit(config: Optional[Path]) -> Registry:
    try:
        return load_registry(config or default_config())
    except ConfigError as exc:
        raise fail(str(exc)) from None


def glossary_or_exit(extra: Optional[list[Path]]):
    """The shipped glossary extended by $SUMMARIZE_GLOSSARY and --glossary files, in that order."""
    from .fidelity import GlossaryError, load_glossary

    paths = [Path(__file__).resolve().parent.parent / "glossary.yaml"]
    if env := os.environ.get("SUMMARIZE_GLOSSARY"):
        paths.append(Path(env))
    paths += extra or []
    try:
        return load_glossary(*paths)
    except GlossaryError as exc:
        raise fail(str(exc)) from None


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


class ConsoleReporter:
    """The pipeline's Reporter for a console: a progress bar per stage on a terminal, one plain
    line per stage otherwise."""

    def __init__(self, quiet: bool):
        self.quiet = quiet

    @contextlib.contextmanager
    def stage(self, name, total):
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
        err.print(f"[yellow]warning:[/] {escape(message)}", markup=True, soft_wrap=True)

    def note(self, message):
        if not self.quiet:
            err.print(f"note: {message}", markup=False, soft_wrap=True)


def _setup_logging(verbose: int) -> None:
    level = logging.WARNING if verbose == 0 else logging.INFO if verbose == 1 else logging.DEBUG
    from rich.logging import RichHandler

    logging.basicConfig(level=level, format="%(message)s", handlers=[RichHandler(console=err, show_path=False)])
    # the hub client logs every retry; our own message says what failed and how to fix it
    logging.getLogger("huggingface_hub").setLevel(max(level, logging.ERROR))


@app.command("run")
def run_command(
    inputs: Annotated[Path, typer.Argument(help="Folder of scraped article files (.txt, .html), or one file.")],
    config: ConfigOption = None,
    translator: Annotated[Optional[str], typer.Option(help="Translation model: a name from the registry.")] = None,
    summarizer: Annotated[Optional[str], typer.Option(help="Summarization model: a name from the registry.")] = None,
    glossary: GlossaryOption = None,
    out_dir: Annotated[Path, typer.Option("--out", help="Folder for the brief.")] = Path("briefs"),
    date: Annotated[Optional[str], typer.Option(help="Date of the brief, YYYY-MM-DD (default: today).")] = None,
    cache_dir: CacheDirOption = None,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Neither read nor write the cache.")] = False,
    offline: Annotated[bool, typer.Option("--offline", help="Never touch the network; use local models only.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only warnings and errors.")] = False,
    verbose: Annotated[int, typer.Option("--verbose", "-v", count=True, help="Log more (-vv for debug).")] = 0,
) -> None:
    """Summarize every article in INPUTS into briefs/<date>.md.

    Exit status: 0 all articles done, 1 some files skipped, 2 nothing could run.
    """
    _setup_logging(verbose)
    if offline:
        from .hub import set_offline

        set_offline(True)
    try:
        day = Date.fromisoformat(date).isoformat() if date else Date.today().isoformat()
    except ValueError:
        raise fail(f"--date {date!r} is not a date in YYYY-MM-DD form") from None
    from .cache import default_dir
    from .pipeline import RunError, RunOptions, run

    options = RunOptions(
        registry=registry_or_exit(config),
        glossary=glossary_or_exit(glossary),
        translator=translator,
        summarizer=summarizer,
        cache_dir=None if no_cache else (cache_dir or default_dir()),
        out_dir=out_dir,
        date=day,
    )
    try:
        report = run(inputs, options, ConsoleReporter(quiet))
    except (RunError, ConfigError) as exc:
        raise fail(str(exc)) from None
    except KeyboardInterrupt:
        raise fail("interrupted; finished work is cached and will be reused", 130) from None
    if not quiet:
        done = len(report.articles)
        out.print(
            f"{done} article{'s' if done != 1 else ''} done ({report.from_cache} from cache), "
            f"{len(report.skipped)} skipped; brief: {report.brief}, review: {report.review}",
            soft_wrap=True,
        )
    raise typer.Exit(report.exit_code)


@app.command("clean")
def clean_command(
    file: Annotated[Path, typer.Argument(help="A scraped article file.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object instead of the readable view.")] = False,
) -> None:
    """Show what the cleaner keeps of a page: title, date, body, captions, and what it drops."""
    from .cleaner import clean
    from .reader import ReadError, read_text

    try:
        article = clean(read_text(file).text, str(file))
    except ReadError as exc:
        raise fail(f"{file}: {exc}") from None
    fields = ("title", "published", "byline", "credit", "outlet", "body", "captions", "keywords", "dropped")
    data = {name: getattr(article, name) for name in fields}
    if as_json:
        out.print_json(json.dumps(data, ensure_ascii=False)) if out.is_terminal else print(
            json.dumps(data, ensure_ascii=False, indent=2)
        )
        return
    out.print(f"[bold]{escape(article.title or '(no title)')}[/]")
    meta = [f"{k}: {escape(str(data[k]))}" for k in ("published", "byline", "credit", "outlet") if data[k]]
    if meta:
        out.print("[cyan]" + " · ".join(meta) + "[/]")
    for paragraph in article.body:
        out.print()
        out.print(escape(paragraph))
    for caption in article.captions:
        out.print(f"\n[italic]caption: {escape(caption)}[/]")
    if article.keywords:
        out.print(f"\n[cyan]keywords: {escape(', '.join(article.keywords))}[/]")
    if article.dropped:
        out.print("\n[bold dim]dropped:[/]")
        for line in article.dropped:
            out.print(f"[dim]  {escape(line)}[/]")


@app.command("translate")
def translate_command(
    file: Annotated[Path, typer.Argument(help="A scraped article file.")],
    translator: Annotated[Optional[str], typer.Option(help="Translation model (passthrough: no model).")] = None,
    config: ConfigOption = None,
    glossary: GlossaryOption = None,
    offline: Annotated[bool, typer.Option("--offline", help="Never touch the network.")] = False,
) -> None:
    """Print the article's English translation: title, then body paragraphs.

    With --translator passthrough no model runs, and the output shows exactly what the figure
    and glossary handling does to the text.
    """
    from .cache import Cache
    from .cleaner import clean
    from .hub import ModelUnavailable, resolve, set_offline
    from .pipeline import open_model
    from .reader import ReadError, read_text
    from .translator import Translator

    set_offline(offline)
    registry = registry_or_exit(config)
    terms = glossary_or_exit(glossary)
    try:
        spec = registry.get("translation", translator)
        article = clean(read_text(file).text, str(file))
        model = open_model(spec, resolve(spec))
    except (ConfigError, ModelUnavailable) as exc:
        raise fail(str(exc)) from None
    except ReadError as exc:
        raise fail(f"{file}: {exc}") from None
    Translator(model, Cache(None), terms).translate([article])
    if article.title_en:
        out.print(article.title_en, markup=False, highlight=False, soft_wrap=True)
    for paragraph in article.body_en:
        out.print()
        out.print(paragraph, markup=False, highlight=False, soft_wrap=True)
    if article.restored:
        err.print(f"[yellow]warning:[/] figures dropped by the translator, appended in brackets: "
                  f"{', '.join(article.restored)}", markup=True)


@app.command("review")
def review_command(
    brief: Annotated[
        Path, typer.Argument(help="A brief (briefs/<date>.md) or a folder of briefs (its latest).")
    ] = Path("briefs"),
    fmt: Annotated[str, typer.Option("--format", help="html (one self-contained page) or md.")] = "html",
) -> None:
    """Rebuild the side-by-side review of a brief from its saved data, without loading any model."""
    from .review import ReviewError, find_brief_data, write_review

    if fmt not in ("html", "md"):
        raise fail(f"--format must be html or md, not {fmt!r}")
    try:
        path = write_review(find_brief_data(brief), fmt)
    except ReviewError as exc:
        raise fail(str(exc)) from None
    out.print(f"review: {path}")


@eval_app.command("clean")
def eval_clean_command(
    gold_dir: Annotated[Path, typer.Argument(help="Folder of gold JSON files (title, published, body…).")],
    inputs: Annotated[Path, typer.Option("--inputs", help="Folder holding the pages the gold files describe.")],
) -> None:
    """Body-token precision, recall and F1, title and date match, per file and on average."""
    from rich.table import Table

    from .evaluation import evaluate_clean
    from .reader import ReadError

    try:
        scores = evaluate_clean(gold_dir, inputs)
    except (ReadError, OSError, ValueError, KeyError) as exc:
        raise fail(f"cannot evaluate: {exc}") from None
    if not scores:
        raise fail(f"{gold_dir}: no gold files (*.json)")
    table = Table("file", "precision", "recall", "F1", "title", "date")
    for s in scores:
        table.add_row(s.file, f"{s.precision:.3f}", f"{s.recall:.3f}", f"{s.f1:.3f}", _yes(s.title_match), _yes(s.date_match))
    n = len(scores)
    table.add_row(
        "mean",
        f"{sum(s.precision for s in scores) / n:.3f}",
        f"{sum(s.recall for s in scores) / n:.3f}",
        f"{sum(s.f1 for s in scores) / n:.3f}",
        f"{sum(s.title_match for s in scores)}/{n}",
        f"{sum(s.date_match for s in scores)}/{n}",
        style="bold",
    )
    out.print(table)


@eval_app.command("fidelity")
def eval_fidelity_command(
    cases: Annotated[Path, typer.Argument(help="JSON lines: {\"vi\": sentence, \"expect\": [English forms]}.")],
    translator: Annotated[str, typer.Option(help="Translation model to test (default: passthrough).")] = "passthrough",
    config: ConfigOption = None,
    glossary: GlossaryOption = None,
) -> None:
    """Pass rate of figure, date and glossary renderings on a suite of Vietnamese sentences."""
    from .cache import Cache
    from .evaluation import evaluate_fidelity
    from .hub import ModelUnavailable, resolve
    from .pipeline import open_model
    from .translator import Translator

    registry = registry_or_exit(config)
    try:
        spec = registry.get("translation", translator)
        model = open_model(spec, resolve(spec))
        results = evaluate_fidelity(cases, Translator(model, Cache(None), glossary_or_exit(glossary)))
    except (ConfigError, ModelUnavailable, OSError, ValueError) as exc:
        raise fail(str(exc)) from None
    for r in results:
        if not r.passed:
            out.print(f"[red]FAIL[/] {r.vi}", markup=True, highlight=False, soft_wrap=True)
            out.print(f"     got: {r.english}", markup=False, highlight=False, soft_wrap=True)
            out.print(f"     missing: {', '.join(r.missing)}", markup=False, highlight=False, soft_wrap=True)
    passed = sum(r.passed for r in results)
    out.print(f"{passed}/{len(results)} passed ({100 * passed / max(len(results), 1):.1f}%) with {spec.name}")
    if passed < len(results):
        raise typer.Exit(1)


def _yes(flag: bool) -> str:
    return "yes" if flag else "NO"


@models_app.command("list")
def models_list(config: ConfigOption = None) -> None:
    """Each configured model, whether it is the default, and whether it is available locally."""
    from .hub import local_path

    registry = registry_or_exit(config)
    for stage, entries in registry.models.items():
        out.print(f"[bold]{stage}[/]", markup=True)
        for name, spec in entries.items():
            label = f"{name} (default)" if registry.defaults[stage] == name else name
            revision = f"@{spec.revision[:12]}" if spec.revision else ""
            if spec.backend == "passthrough":
                where = "built in"
            else:
                path = local_path(spec)
                where = f"local: {path}" if path else "not downloaded"
            out.print(f"  {label:<24} {spec.model}{revision}  {where}", soft_wrap=True, markup=False)
            if spec.license:
                out.print(f"  {'':<24} licence: {spec.license}", soft_wrap=True, markup=False)


@models_app.command("pull")
def models_pull(
    name: Annotated[Optional[str], typer.Argument(help="Registry name to download (default: both default models).")] = None,
    config: ConfigOption = None,
) -> None:
    """Download models from the Hugging Face hub now, so later runs work offline."""
    from .hub import ModelUnavailable, resolve

    registry = registry_or_exit(config)
    if name:
        specs = [entries[name] for entries in registry.models.values() if name in entries]
        if not specs:
            names = sorted({n for entries in registry.models.values() for n in entries})
            raise fail(f"no model named {name!r} in {registry.path} (choices: {', '.join(names)})")
    else:
        specs = [registry.get(stage) for stage in registry.models]
    for spec in specs:
        try:
            out.print(f"{spec.stage} {spec.name}: {resolve(spec)}")
        except ModelUnavailable as exc:
            raise fail(str(exc)) from None


@cache_app.command("stats")
def cache_stats(cache_dir: CacheDirOption = None) -> None:
    """Where the cache is and how many results it holds."""
    from .cache import Cache, default_dir

    cache = Cache(cache_dir or default_dir())
    stats = cache.stats()
    out.print(f"cache: {cache.path}")
    for kind in ("article", "sentence", "summary"):
        out.print(f"  {kind + 's':<10} {stats.get(kind, 0)}")
    out.print(f"  {'size':<10} {stats['bytes'] / 1024:.1f} KiB")


@cache_app.command("clear")
def cache_clear(cache_dir: CacheDirOption = None) -> None:
    """Delete every cached result."""
    from .cache import Cache, default_dir

    cache = Cache(cache_dir or default_dir())
    out.print(f"removed {cache.clear()} entries from {cache.path}")


def entry_point() -> None:
    """Console script: run the app, mapping Ctrl-C to a clean message."""
    try:
        app()
    except KeyboardInterrupt:
        err.print("interrupted")
        sys.exit(130)
