"""Running stories measured on real, labelled days: each busy day (bench/busy_days.py) is split
into two "days" (its articles taken alternately by id), each half grouped into stories as a run
groups a day, and the second half's stories linked to the first's (archive/threads.py). A link
is right when the two stories share a hand-made story label; a story of the second half whose
label has articles in the first should be linked (recall). Feb 2017 tuned CONTINUES; Jul 2017 is
the held-out half, measured once the number was set.

    python bench/threads.py /tmp/busy [--thresholds 0.08,0.1,0.12,0.15]
"""

from __future__ import annotations

import argparse
from pathlib import Path

from summarize.archive import threads
from summarize.checks.entities import find_entities
from summarize.checks.glossary import load_glossary
from summarize.settings import Settings
from summarize.day.stories import features, group
from summarize.reading.reader import read_article


def labels_of(folder: Path) -> dict[str, str]:
    """Article -> story label; articles of no labelled story get one of their own."""
    found = {}
    for line in (folder / "stories.tsv").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            ident, label = line.split("\t")
            found[ident] = label
    return found


def measure(folder: Path, thresholds: list[float]) -> dict[float, tuple[int, int, int, int]]:
    glossary = load_glossary(*Settings().glossaries)
    articles = []
    for path in sorted(folder.glob("*.txt")):
        article = read_article(path, path.stem)
        article.entities = find_entities(article, glossary)
        articles.append(article)
    labels = labels_of(folder)
    label = lambda source: labels.get(source, "own:" + source)
    halves = articles[0::2], articles[1::2]
    by_source = {a.source: a for a in articles}
    first, second = (group(half) for half in halves)
    earlier = [threads.Earlier("2017-01-01", f"a{k}", f"a{k}", threads.vector(features(by_source[s]) for s in story))
               for k, story in enumerate(first)]
    mine = {f"b{k}": threads.vector(features(by_source[s]) for s in story) for k, story in enumerate(second)}
    first_labels = [{label(s) for s in story} for story in first]
    second_labels = {f"b{k}": {label(s) for s in story} for k, story in enumerate(second)}
    results = {}
    for threshold in thresholds:
        threads.CONTINUES = threshold
        links = threads.link("2017-01-02", mine, earlier)
        right = sum(bool(second_labels[b] & first_labels[int(e.story[1:])]) for b, (e, _) in links.items())
        should = sum(any(second_labels[b] & labels_ for labels_ in first_labels) for b in mine)
        found = sum(any(second_labels[b] & first_labels[int(e.story[1:])] for _ in [0]) for b, (e, _) in links.items())
        results[threshold] = (right, len(links), found, should)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("busy", type=Path)
    parser.add_argument("--thresholds", default="0.06,0.08,0.1,0.12,0.15,0.2")
    args = parser.parse_args()
    thresholds = [float(t) for t in args.thresholds.split(",")]
    for day in sorted(p for p in args.busy.iterdir() if p.is_dir()):
        for threshold, (right, links, found, should) in measure(day, thresholds).items():
            precision = right / links if links else 1.0
            recall = found / should if should else 1.0
            print(f"{day.name}  CONTINUES={threshold:.2f}  links {links}: right {right} (precision {precision:.2f}), "
                  f"found {found} of {should} (recall {recall:.2f})")


if __name__ == "__main__":
    main()
