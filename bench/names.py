"""The index's recall, against every name of a set of articles labelled by hand (docs/stories.md).
The articles are baomoi.com's, from a clone of github.com/magizbox/scraper (as bench/busy_days.py),
so only their ids and the names read in them are here (bench/names/*.tsv, one name a line:
article id, the index section it belongs to, its class, the name as the article writes it).

    git clone https://github.com/magizbox/scraper /tmp/scraper
    python bench/names.py /tmp/scraper bench/names/held-out-2.tsv [--misses]

A labelled name counts as found when the article's entities hold it (in its glossary English form
where the glossary has one, or ending with it in parentheses: "… châu Á (AIIB)" finds AIIB) in its
section or under Other names (a foreign name whose kind no word says). Recall is given per class.
The entries found that no label holds are printed for a person to judge: precision is theirs.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

from summarize.checks.entities import find_entities
from summarize.checks.glossary import Glossary, load_glossary
from summarize.reading.reader import read_article
from summarize.settings import Settings


def english(name: str, glossary: Glossary) -> str:
    """The name as the index prints it: the glossary's English form when the whole name is a term."""
    spans = glossary.find(name)
    return spans[0][2] if len(spans) == 1 and spans[0][:2] == (0, len(name)) else name


def main(clone: str, labels: str, *options: str) -> None:
    glossary = load_glossary(*Settings().glossaries)
    folder = Path(clone) / "vn_news" / "data"
    wanted: dict[str, list[tuple[str, str, str]]] = {}
    for line in Path(labels).read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            ident, kind, kind_of_name, name = line.split("\t")
            wanted.setdefault(ident, []).append((kind, kind_of_name, name))
    labelled, found, unlabelled = Counter(), Counter(), []
    for ident, names in sorted(wanted.items()):
        entities = {e["name"]: e["kind"] for e in find_entities(read_article(folder / f"{ident}.txt", ident), glossary)}
        matched = set()
        for kind, kind_of_name, name in names:
            labelled[kind_of_name] += 1
            want = english(name, glossary)
            hit = next((e for e in entities if e == want or e.endswith(f"({want})")), None)
            if hit and entities[hit] in (kind, "Other names"):
                found[kind_of_name] += 1
                matched.add(hit)
            elif "--misses" in options:
                print(f"missed\t{ident}\t{kind_of_name}\t{name}")
        unlabelled += [(ident, entities[e], e) for e in entities if e not in matched and " " in e]
    for ident, kind, name in unlabelled:
        print(f"unlabelled\t{ident}\t{kind}\t{name}")
    print(f"recall {sum(found.values())}/{sum(labelled.values())} = {sum(found.values()) / sum(labelled.values()):.3f}")
    for kind_of_name in sorted(labelled):
        print(f"  {kind_of_name:15} {found[kind_of_name]}/{labelled[kind_of_name]}")


if __name__ == "__main__":
    main(*sys.argv[1:])
