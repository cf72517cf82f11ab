"""The index's names beside those of underthesea's named-entity tagger, on the same days
(docs/stories.md): one line per distinct name, `day<TAB>method<TAB>kind<TAB>name`, for a
person to judge. underthesea is not a dependency: `pip install underthesea` to run this.

    python bench/entities.py ../shared/realpages/stories.tsv tests/fixtures/stories/tune/gold.yaml
"""

from __future__ import annotations

import sys
from pathlib import Path

from summarize.checks.entities import find_entities
from summarize.day.stories import arrange, build, index
from summarize.evaluation import read_group_gold
from summarize.reading.reader import read_article
from summarize.session import Session
from summarize.settings import Settings

KINDS = {"PER": "People", "ORG": "Organisations", "LOC": "Places"}


def underthesea_names(texts: list[str]) -> set[tuple[str, str]]:
    from underthesea import ner

    found = set()
    for text in texts:
        span: list[str] = []
        kind = ""
        for word, _, _, tag in ner(text) + [("", "", "", "O")]:
            if tag.startswith("I-") and span:
                span.append(word)
                continue
            if span:
                found.add((KINDS.get(kind, kind), " ".join(span)))
            span, kind = ([word], tag[2:]) if tag.startswith("B-") else ([], "")
    return found


def main(*golds: str) -> None:
    glossary = Session(Settings()).glossary
    for gold in golds:
        folder, stories, _ = read_group_gold(Path(gold))
        articles = {}
        for name in sorted({f for members in stories.values() for f in members}):
            articles[name] = read_article(folder / name, name)
            articles[name].entities = find_entities(articles[name], glossary)
        ours = index(build(articles, arrange(list(articles.values()))), articles)
        theirs: set[tuple[str, str]] = set()
        for article in articles.values():
            theirs |= underthesea_names(article.source_texts)
        day = Path(gold).parent.name
        for kind, entries in ours.items():
            for name, _ in entries:
                print(f"{day}\tsummarize\t{kind}\t{name}")
        for kind, name in sorted(theirs):
            print(f"{day}\tunderthesea\t{kind}\t{name}")


if __name__ == "__main__":
    main(*sys.argv[1:])
