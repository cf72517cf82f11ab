"""The glossary: Vietnamese names and terms with their English forms (summarize/data/countries.yaml,
then summarize/data/glossary.yaml, then the user's files), applied before translation and used
to find the entities of the index."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from ..config import read_yaml
from ..errors import ConfigError
from ..hashing import digest
from ..reading.letters import is_syllable, run_before


@dataclass(frozen=True)
class Glossary:
    """Vietnamese names and terms → English forms, matched whole-word, longest first, never
    inside a longer name: "Nga" is Russia, but not in "Nguyễn Thị Nga" or "bà Nga" (a person),
    and "Lào" is Laos, but not in "Lào Cai" (a province); see `_in_name`.

    Matching looks terms up by their first word rather than through one regex alternation: a
    100,000-term glossary then costs a dictionary lookup per word start, where the alternation
    took seconds to compile and tried every term at every word."""

    terms: dict[str, str]
    kinds: dict[str, str] = field(default_factory=dict)  # term -> the heading it was listed under

    @cached_property
    def _lengths(self) -> dict[str, tuple[int, ...]]:
        """A term's first word (its leading run of word characters) → the lengths of the terms
        starting with it, longest first: a term that matches whole ends a word, so it starts
        with the very word the text has there."""
        index: dict[str, set[int]] = {}
        for term in self.terms:
            index.setdefault(_FIRST_WORD.match(term).group(), set()).add(len(term))
        return {word: tuple(sorted(lengths, reverse=True)) for word, lengths in index.items()}

    @cached_property
    def people(self) -> frozenset[str]:
        """The English names of the terms listed under `people`."""
        return frozenset(english for term, english in self.terms.items() if self.kinds.get(term) == "people")

    @cached_property
    def _starts(self) -> re.Pattern:
        """Where a term may start, and the word there: not inside a word, at the beginning of
        some term. The beginnings are grouped by their first character (`N(?:g|h)|T(?:P|h)…`),
        so a word start is tried against one group, not every beginning in turn (three times
        faster)."""
        seconds: dict[str, set[str]] = {}
        for term in self.terms:
            seconds.setdefault(term[0], set()).add(term[1:2])
        groups = [re.escape(first) + "(?:" + "|".join(map(re.escape, sorted(rest, key=lambda r: (-len(r), r)))) + ")"
                  for first, rest in sorted(seconds.items())]
        return re.compile(rf"(?<!\w)(?={'|'.join(groups)})({_FIRST_WORD.pattern})") if groups else re.compile(r"(?!)")

    def fingerprint(self) -> str:
        return digest(self.terms, length=16)

    def _match(self, text: str, start: int, word: str) -> int:
        """End of the longest term at `start`, where the text's first word is `word`, that ends
        a word, or -1."""
        for length in self._lengths.get(word, ()):
            end = start + length
            if end > len(text):  # a slice past the end is shorter than the term it would match
                continue
            if text[start:end] in self.terms and not (end < len(text) and _is_word(text[end])):
                return end
        return -1

    def find(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, English) of each term in `text`, left to right, none overlapping; a
        term that is part of a longer name is left as it is."""
        found, position = [], 0
        for start, word in ((m.start(), m.group(1)) for m in self._starts.finditer(text)):
            if start < position or (end := self._match(text, start, word)) < 0:
                continue
            after_term = bool(found) and not text[found[-1][1] : start].strip()  # "Thứ trưởng Ngoại giao Nga"
            if not _in_name(text, start, end, after_term):
                found.append((start, end, self.terms[text[start:end]]))
            position = end
        return found


# Words that put a person's name after them: a term right after one is a given name ("bà Nga")
_TITLES = frozenset("ông bà anh chị cô chú bác cụ em cháu thầy".split())
_FIRST_WORD = re.compile(r"\w*")  # a term's index key (_lengths), and the word _starts reads at a start
_WORD_AFTER = re.compile(r"[ \t\u00a0]+(\w+)")
_SENTENCE_START = re.compile(r"(^|[.!?:;…\"“(\n]\s*)$")


def _in_name(text: str, start: int, end: int, after_term: bool = False) -> bool:
    """Whether the term at text[start:end] is part of a longer name, so replacing it would
    rewrite a person or a place: right after a title (`bà Nga`), after a capitalised word in
    mid-sentence (a family or middle name: `Nguyễn Thị Nga`, `Trần Văn Mỹ`; an abbreviation in
    capitals is none: `TP Hà Nội`), or, for a one-word term, right before a capitalised word of
    its own language: a Vietnamese syllable after a Vietnamese one (`Lào Cai`, `Mỹ Tho`), a
    foreign word after a foreign one (`China Life`, `Qatar Airways`); a foreign name after a
    Vietnamese term is none (`người đồng cấp Mỹ Donald Trump`), nor a Vietnamese word after a
    foreign one (`Romania Lâu đài Bran`); unless it follows another term (`Thứ trưởng Ngoại
    giao Nga Sergei Ryabkov`).
    A capitalised word that starts a sentence (`Theo Nga,`, `Phía Mỹ`) is an ordinary word."""
    if before := _word_before(text, start):
        word, at = before
        if word.lower() in _TITLES:
            return True
        if word[0].isupper() and not word.isupper() and not _SENTENCE_START.search(text, max(0, at - 4), at):
            return True
    if not after_term and " " not in text[start:end].strip():
        after = _WORD_AFTER.match(text, end)
        if after and after.group(1)[0].isupper() and is_syllable(after.group(1)) == is_syllable(text[start:end]):
            return True
    return False


def _word_before(text: str, start: int) -> tuple[str, int] | None:
    """The word that ends, spaces or tabs after it, right before `start` (or before a line
    break there), within the 40 characters before it; and where it begins."""
    window = max(0, start - 40)
    head = text[window:start].removesuffix("\n")
    end = window + len(head.rstrip(" \t\u00a0"))
    if end == window + len(head):
        return None
    word = run_before(text, end, _FIRST_WORD, window)
    return (word, end - len(word)) if word else None


def _is_word(char: str) -> bool:
    """Whether `char` is a word character (regex `\\w`: letters, digits, underscore)."""
    return char.isalnum() or char == "_"


def load_glossary(*paths: Path) -> Glossary:
    """Merge glossary files in order (later entries override); entries may be grouped under
    headings (`places:`, `institutions:`…), which say what kind of name a term is (the
    brief's index uses them; see entities.KINDS)."""
    terms: dict[str, str] = {}
    kinds: dict[str, str] = {}
    for path in paths:
        data = read_yaml(path, "glossary") or {}
        if not isinstance(data, dict):
            raise ConfigError(f"{path}: expected a mapping of Vietnamese term: English form")
        for key, value in data.items():
            group = value if isinstance(value, dict) else {key: value}
            for vi, en in group.items():
                if not isinstance(vi, str) or not isinstance(en, str) or not vi.strip() or not en.strip():
                    raise ConfigError(f"{path}: entry {vi!r}: both the term and its English form must be text")
                terms[vi.strip()] = en.strip()
                kinds[vi.strip()] = key if isinstance(value, dict) else ""
    return Glossary(terms, kinds)
