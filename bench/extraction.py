"""Extraction on pages the cleaner was not written next to: the cleaner as shipped against
trafilatura's own output (its defaults, and `favor_precision`), the line method alone on the
HTML, and the line method on the same pages as plain text, on every labelled set: our two halves
(tests/fixtures/extraction, hand-checked gold) and, when it is beside the checkout,
../shared/realpages (silver bodies from each site's own markup). Prints docs/extraction.md's
tables; `--pages` adds one line per page.

    python bench/extraction.py [--pages]
"""

from __future__ import annotations

import json
import statistics
import sys
from collections.abc import Callable
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from summarize.evaluation import body_prf  # noqa: E402
from summarize.reading.cleaner import clean, normalize  # noqa: E402

REALPAGES = ROOT.parent / "shared" / "realpages"


def _trafilatura(**options) -> Callable[[str], list[str]]:
    """trafilatura's own text of an HTML page, a paragraph a line, with these options."""
    import trafilatura

    return lambda html: [p for p in map(normalize, (trafilatura.extract(html, **options) or "").split("\n")) if p]


# method -> (the page's form it reads, what it makes of the page's text: the body's paragraphs)
METHODS: dict[str, tuple[str, Callable[[str], list[str]]]] = {
    "plain text, line method (as shipped)": ("txt", lambda page: clean(page).body),
    "HTML, line method alone": ("html", lambda page: clean(page, main_content=False).body),
    "HTML, as shipped (trafilatura's main content, the lead kept)": ("html", lambda page: clean(page).body),
    "HTML, trafilatura's defaults": ("html", _trafilatura()),
    "HTML, trafilatura with favor_precision": ("html", _trafilatura(favor_precision=True)),
}


def pages(name: str) -> list[tuple[str, list[str], dict[str, Path]]]:
    """A labelled set's pages: (name, gold body, the page's file in each form). A real page's
    silver starts with its headline, which the cleaner gives as the title, not the body: the
    headline (truth.tsv) is left out of the silver and of every method's paragraphs alike."""
    if name != "realpages":
        half = ROOT / "tests" / "fixtures" / "extraction" / name
        return [(gold.stem, json.loads(gold.read_text(encoding="utf-8"))["body"],
                 {"txt": gold.with_suffix(".txt"), "html": gold.with_suffix(".html")}) for gold in sorted(half.glob("*.json"))]
    found = []
    for silver in sorted((REALPAGES / "silver").glob("*.silver.txt")):
        page = silver.name.removesuffix(".silver.txt")
        body = [x.strip() for x in silver.read_text(encoding="utf-8").splitlines() if x.strip()]
        found.append((page, [p for p in body if not _headline(page, p)],
                      {"txt": REALPAGES / f"{page}.txt", "html": REALPAGES / "raw" / f"{page}.html"}))
    return found


def _headline(page: str, paragraph: str) -> bool:
    """Whether a paragraph is the real page's headline (any spelling truth.tsv accepts)."""
    return paragraph in _headlines().get(page, ())


@cache
def _headlines() -> dict[str, list[str]]:
    """Each real page's headline spellings (truth.tsv), read once."""
    return {line.split("\t")[0]: line.split("\t")[1].split(" || ")
            for line in (REALPAGES / "truth.tsv").read_text(encoding="utf-8").splitlines() if not line.startswith("#")}


def main(*options: str) -> None:
    sets = ["tune", "held-out"] + (["realpages"] if REALPAGES.is_dir() else [])
    scores = {(method, name): {page: body_prf([p for p in read(files[form].read_text(encoding="utf-8"))
                                                if not (name == "realpages" and _headline(page, p))], gold)[2]
                               for page, gold, files in pages(name)}
              for method, (form, read) in METHODS.items() for name in sets}
    print("| input, method | " + " | ".join(f"{name}: mean F1 (lowest)" for name in sets) + " |")
    print("|---|" + "---|" * len(sets))
    for method in METHODS:
        cells = [list(scores[(method, name)].values()) for name in sets]
        print(f"| {method} | " + " | ".join(f"{statistics.mean(c):.3f} ({min(c):.3f})" for c in cells) + " |")
    if "--pages" in options:
        print("\n| set, page | " + " | ".join(METHODS) + " |")
        print("|---|" + "---|" * len(METHODS))
        for name in sets:
            for page, _, _ in pages(name):
                print(f"| {name} {page} | " + " | ".join(f"{scores[(method, name)][page]:.3f}" for method in METHODS) + " |")


if __name__ == "__main__":
    main(*sys.argv[1:])
