"""Who and what an article mentions: the people, organisations, places and treaties of the
brief's index, and the names the story grouping compares articles by.

Found on the Vietnamese text, so they need no model and do not depend on its quality:
- glossary terms, of the kind their glossary heading says (KINDS);
- names the text capitalises right after a word that says what they are: a title from the
  glossary (`Thứ trưởng Ngoại giao Nga Sergei Ryabkov`), `ông`/`bà`, or a place word
  (`tỉnh Quảng Ninh`). A capitalised word with no such cue is left out: Vietnamese also
  capitalises the first word of every sentence and of institutions' names (`Bộ Ngoại giao`),
  so an uncued capital says too little.
"""

from __future__ import annotations

import re

from .article import Article
from .fidelity import Glossary

# glossary heading -> index section; a heading not here (titles) does not name an entity
KINDS = {
    "people": "People",
    "institutions": "Organisations",
    "agencies and outlets": "Organisations",
    "countries": "Places",
    "capitals and places": "Places",
    "treaties and events": "Treaties and events",
    "": "Other names",  # a term listed under no heading
}
SECTIONS = ("People", "Organisations", "Places", "Treaties and events", "Other names")

# words right before a capitalised name that say what it names (lower case, as written)
CUES = {
    "ông": "People", "bà": "People", "người đồng cấp": "People", "người phát ngôn": "People",
    "tại": "Places", "ở": "Places", "tỉnh": "Places", "thành phố": "Places", "thủ đô": "Places",
    "huyện": "Places", "xã": "Places", "TP": "Places", "TP.": "Places",
}
_TITLES = "titles"  # the glossary heading whose terms come right before a person's name

_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")


def find_entities(article: Article, glossary: Glossary) -> list[dict[str, str]]:
    """Each entity of the article once, in order of first mention: {"kind", "name"}, the name
    in its English form when the glossary has one."""
    found: dict[str, str] = {}
    for text in article.source_texts:
        for kind, name in _in_text(text, glossary):
            found.setdefault(name, kind)
    return [{"kind": kind, "name": name} for name, kind in found.items()]


def _in_text(text: str, glossary: Glossary):
    spans = glossary.find(text)
    cues: dict[int, str] = {}  # where a cue ends -> the kind of name that may follow it
    for start, end, english in spans:
        heading = glossary.kinds.get(text[start:end], "")
        if heading == _TITLES:
            cues[end] = "People"
        elif heading in KINDS:
            yield KINDS[heading], english
    lowered = text.lower()
    for cue, kind in CUES.items():
        for match in re.finditer(rf"(?<!\w){re.escape(cue.lower())}(?!\w)", lowered):
            cues.setdefault(match.end(), kind)
    span_at = {start: end for start, end, _ in spans}
    for end, kind in sorted(cues.items()):
        while text[end : end + 1] == " " and end + 1 in span_at:  # a glossary name right after the cue:
            if kind != "People":  # "tại Hà Nội" is the glossary's place
                break
            end = span_at[end + 1]  # "người đồng cấp Mỹ Donald Trump" qualifies the person
        name = _name_after(text, end, span_at)
        if name and name not in glossary.terms:
            yield kind, name


def _name_after(text: str, end: int, stops: dict[int, int]) -> str | None:
    """The run of capitalised words right after `end` (separated from it by a space), up to
    the next glossary term (`stops`: where terms start)."""
    words = []
    while text.startswith(" ", end):
        match = _WORD.match(text, end + 1)
        if not match or not match.group()[0].isupper() or end + 1 in stops:
            break
        words.append(match.group())
        end = match.end()
    return " ".join(words) or None
