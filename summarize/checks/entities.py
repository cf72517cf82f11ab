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

from ..article import Article
from ..reading.letters import is_syllable
from .glossary import Glossary

# glossary heading -> index section; a heading not here (titles) does not name an entity
KINDS = {
    "people": "People",
    "institutions": "Organisations",
    "agencies and outlets": "Organisations",
    "countries": "Places",
    "capitals and places": "Places",
    "provinces": "Places",
    "treaties and events": "Treaties and events",
    "": "Other names",  # a term listed under no heading
}
SECTIONS = ("People", "Organisations", "Places", "Treaties and events", "Other names")

# words right before a capitalised name that say what it names, matched in lower case as written
# ("bà" names a woman, "Bà Rịa" a province). "tại"/"ở" (at, in) are not among them: they come
# before institutions and documents as often as places ("tại Quyết định 123", "ở Bộ Tài chính").
CUES = {
    "ông": "People", "bà": "People", "người đồng cấp": "People", "người phát ngôn": "People",
    "tỉnh": "Places", "thành phố": "Places", "thủ đô": "Places", "huyện": "Places", "quận": "Places",
    "thị xã": "Places", "xã": "Places", "phường": "Places", "TP": "Places", "TP.": "Places",
}
# every cue in one pass, as written or capitalised to start a sentence (longest first: "thị xã"
# ends where "xã" does, with the same kind; "TP" before "." ends where no name can follow)
_CAPITAL = {cue: cue[0].upper() + cue[1:] for cue in sorted(CUES, key=len, reverse=True)}
_CUE_KIND = {**CUES, **{capital: CUES[cue] for cue, capital in _CAPITAL.items()}}
_CUE = re.compile(rf"(?<!\w)(?:{'|'.join(map(re.escape, _CAPITAL))})(?!\w)"
                  rf"|(?:^|(?<=[.!?:] ))(?:{'|'.join(map(re.escape, _CAPITAL.values()))})(?!\w)")
_TITLES = "titles"  # the glossary heading whose terms come right before a person's name

# The most common Vietnamese family names (about nine in ten people bear one) that start no place
# name: a run of two to four capitalised words that begins with one is a person's full name
# ("Chủ tịch UBND TP Hà Nội Nguyễn Thế Thảo"), unless the word before it says it names a street,
# a district, a school or a company ("đường Nguyễn Huệ", "quận Hoàng Mai", "Công ty Trần Anh").
SURNAMES = frozenset("Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Ngô Dương Đinh Đoàn Trương Lương "
                     "Trịnh Đào Lưu Triệu".split())
_NOT_A_PERSON = frozenset("đường phố quận huyện phường xã thị trường cầu chợ công ty tập đoàn khu ngõ hẻm "
                          "tòa nhà bệnh viện cảng sân giải bến trạm số lộ tuyến".split())

# words that end no name: a sentence running on into a heading without punctuation. Narrower than
# language.VIETNAMESE_FUNCTION_WORDS on purpose: its "thế", "năm", "mới" also end real names
_FUNCTION_WORDS = frozenset("có là và của cho với khi thì mà đã sẽ đang được bị tại ở trong theo".split())
_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")


def find_entities(article: Article, glossary: Glossary) -> list[dict[str, str]]:
    """Each entity of the article once, in order of first mention: {"kind", "name"}, the name
    in its English form when the glossary has one. A name found by a cue is a whole name of two
    words or more; a single word ("ông Chính") is kept only as a short form (`short`) that the
    index files under the day's one full name ending with it."""
    found: dict[str, str] = {}
    whole = "\n".join(article.source_texts)
    for text in article.source_texts:
        for kind, name in _in_text(text, glossary):
            words = name.split(" ")
            while kind in ("People", "Other names") and len(words) > 2 and _alone(words[0], whole):  # "Ukraine Volodymyr Zelensky"
                words.pop(0)
            name = " ".join(words)
            if found.get(name, "Other names") == "Other names":  # a kind a cue or the glossary gives is kept
                found[name] = kind
    return [{"kind": kind, "name": name} | ({"short": True} if kind == "People" and " " not in name and name not in glossary.people else {})
            for name, kind in found.items()]


def _in_text(text: str, glossary: Glossary):
    spans = glossary.find(text)
    cues: dict[int, str] = {}  # where a cue ends -> the kind of name that may follow it
    for start, end, english in spans:
        heading = glossary.kinds.get(text[start:end], "")
        if heading == _TITLES:
            cues[end] = "People"
        elif heading in KINDS:
            yield KINDS[heading], english
    starts: set[int] = set()  # cues capitalised to start a sentence
    for match in _CUE.finditer(text):
        cues.setdefault(match.end(), _CUE_KIND[match.group()])
        if match.group()[0].isupper():
            starts.add(match.end())
    span_at = {start: (end, glossary.kinds.get(text[start:end], "")) for start, end, _ in spans}
    for end, kind in sorted(cues.items()):
        # a glossary name right after a title qualifies it: "Người phát ngôn Điện Kremlin Dmitry Peskov"
        while kind == "People" and text[end : end + 1] == " " and end + 1 in span_at:
            end = span_at[end + 1][0]
        name = _name_after(text, end, span_at, joined=kind == "Places")
        if end in starts and name and "-" in name:  # "Bà Rịa-Vũng Tàu" starts a sentence with a province
            continue
        if name and name not in glossary.terms and (" " in name or kind == "People"):
            yield kind, name
    yield from _by_surname(text, spans, set(cues))  # after the cued names: a cue says best what a name is
    yield from _foreign(text, spans)


def _by_surname(text: str, spans: list, cued: set[int]):
    """People named by a full name led by a common family name (SURNAMES), where no cue or
    glossary term already says what the words name."""
    for match in _SURNAME_RUN.finditer(text):
        words = []
        for word in match.group().split(" "):
            if not _capitalised(word) or word.lower() in _FUNCTION_WORDS:
                break
            words.append(word)
        before = _WORD.findall(text[max(0, match.start() - 20) : match.start()])
        if len(words) < 2 or match.start() - 1 in cued or _in_term(spans, match):
            continue
        if before and before[-1].lower() in _NOT_A_PERSON or _among_places(text, match.start(), match.start() + len(" ".join(words))):
            continue
        yield "People", " ".join(words)


def _foreign(text: str, spans: list):
    """Foreign names: two to four capitalised words of which none can be a Vietnamese syllable
    ("Mark Zuckerberg", "Rowan Atkinson", "Goldman Sachs"), outside the glossary's terms. What
    they name is not known: they are filed under Other names."""
    for match in _FOREIGN_RUN.finditer(text):
        words = match.group().split()
        if any(is_syllable(w) for w in words) or _in_term(spans, match):
            continue
        yield "Other names", " ".join(words)


_SURNAME_RUN = re.compile(rf"(?<![\w-])(?:{'|'.join(sorted(SURNAMES))})(?: [^\W\d_]+){{1,3}}")
_FOREIGN_RUN = re.compile(r"(?<![\w-])[A-Z][a-z]+(?: [A-Z][a-z]+){1,3}(?![\w-])")


def _in_term(spans: list, match: re.Match) -> bool:
    """Whether a run of words overlaps a glossary term (that term says what it names)."""
    return any(start < match.end() and match.start() < end for start, end, _ in spans)


_LISTED = re.compile(r"((?:[A-ZĐÀ-Ỹ][^\W\d_]*\s+)*[A-ZĐÀ-Ỹ][^\W\d_]*)\s*,\s*$")


def _among_places(text: str, start: int, end: int) -> bool:
    """Whether a name is an item of a list of names not led by family names ("các phường Lĩnh
    Nam, Trần Phú, Thịnh Liệt"; "Đống Đa, Hoàng Mai, Hà Đông"): a list of places, then."""
    neighbours = []
    if found := _LISTED.search(text[max(0, start - 60) : start]):
        neighbours.append(found.group(1).split())
    if found := re.match(r"\s*,\s*((?:[A-ZĐÀ-Ỹ][^\W\d_]*\s*)+)", text[end : end + 60]):
        neighbours.append(found.group(1).split())
    return any(words and words[0] not in SURNAMES for words in neighbours)


def _name_after(text: str, end: int, stops: dict, joined: bool = False) -> str | None:
    """The run of capitalised words right after `end` (separated from it by a space), up to
    the next glossary term (`stops`: where terms start); `joined`: a dash may join two names
    into one place ("Bà Rịa - Vũng Tàu"; after a person's name it starts a title)."""
    words = []
    while text.startswith(" ", end) and (words or end + 1 not in stops):  # "Tống Văn Nga": a name may hold one
        dash = re.match(r" ?[-–] ?(?=\w)", text[end : end + 4]) if joined and words else None
        if dash and dash.end() > 1:  # one place of two names: "Bà Rịa - Vũng Tàu", "Bà Rịa -Vũng Tàu"
            match = _WORD.match(text, end + dash.end())
            if not match or not _capitalised(match.group()):
                break
            words += ["-", match.group()]
            end = match.end()
            continue
        match = _WORD.match(text, end + 1)
        if not match or not _capitalised(match.group()):
            break
        words.append(match.group())
        end = match.end()
    after = _WORD.match(text, end + 1) if text.startswith(" ", end) else None
    return _tidy(words, after.group() if after else "", joined)


def _tidy(words: list[str], after: str, joined: bool) -> str | None:
    """A run of capitalised words as a name: without a title run on to it by a dash, or the
    words of a headline run on after it; a joined place spelled one way. `after`: the next word."""
    if words and "-" in words[-1] and after.islower():  # "Nguyễn Hồng Lĩnh-Ủy viên …"
        words[-1] = words[-1].split("-")[0]
    while words and words[-1].lower() in _FUNCTION_WORDS:  # a headline run on: "Donald Trump Có rất nhiều…"
        words.pop()
    if joined:  # a place run on into a person's full name: "TP Hà Nội Nguyễn Thế Thảo" (a place's own
        # family name comes first: "quận Hoàng Mai", "TP Hồ Chí Minh")
        words = next((words[:k] for k in range(2, len(words) - 1) if words[k] in SURNAMES and _capitalised(words[k + 1])),
                     words)
    name = " ".join(words)
    if joined:  # one spelling of a joined place: "Bà Rịa-Vũng Tàu" as "Bà Rịa - Vũng Tàu"
        name = re.sub(r"(\w)[-–](\w)", lambda m: f"{m[1]} - {m[2]}" if m[2].isupper() else m[0], name)
    return name or None


def _capitalised(word: str) -> bool:
    """Written as a name's word is: a capital, then lower case ("Zelensky", not "ATM", "THS", "S")."""
    return len(word) > 1 and all(part[:1].isupper() and part[1:] == part[1:].lower() for part in re.split(r"[-'’]", word))


def _alone(word: str, text: str) -> bool:
    """Whether the text also names `word` on its own (no capitalised word either side): then it
    is a name of its own qualifying the next one (a country before a president's name)."""
    for match in re.finditer(rf"(?<!\w){re.escape(word)}(?!\w)", text):
        before = _WORD.findall(text[max(0, match.start() - 30) : match.start()])
        after = _WORD.match(text, match.end() + 1) if text.startswith(" ", match.end()) else None
        if not (before and before[-1][0].isupper() and text[match.start() - 1 : match.start()] == " ") and not (
                after and after.group()[0].isupper()):
            return True
    return False
