"""Build summarize/data/background.tsv.gz: in how many of a folder of plain-text news articles
each story-grouping term (stories.terms) occurs, so that grouping can tell topic words from
what names one event. Run it on a few tens of thousands of articles from many outlets and
days (docs/stories.md says which were used); terms found in fewer than MIN_DOCUMENTS are
left out, which keeps the table small and treats them as rare.

    python scripts/background.py ARTICLES_DIR summarize/data/background.tsv.gz
"""

from __future__ import annotations

import gzip
import sys
from collections import Counter
from pathlib import Path

from summarize.day.stories import Background, terms

MIN_DOCUMENTS = 20


def document_frequency(texts: list[list[str]], known: Background) -> Counter:
    counts: Counter = Counter()
    for lines in texts:
        counts.update(terms(lines, known, syllables=True).keys())
    return counts


def main(folder: str, out: str) -> None:
    texts = [p.read_text(encoding="utf-8", errors="replace").splitlines() for p in sorted(Path(folder).glob("*.txt"))]
    # names are told from common words by how often a syllable is written in lower case: count that first
    first = document_frequency(texts, Background(len(texts), {}))
    lower = Background(len(texts), {t: k for t, k in first.items() if t[0] == "~"})
    counts = document_frequency(texts, lower)
    with gzip.open(out, "wt", encoding="utf-8", compresslevel=9) as table:
        table.write(f"# documents {len(texts)}\n")
        for term, k in sorted(counts.items()):
            if k >= MIN_DOCUMENTS and "\t" not in term and "\n" not in term:
                table.write(f"{term}\t{k}\n")


if __name__ == "__main__":
    main(*sys.argv[1:])
