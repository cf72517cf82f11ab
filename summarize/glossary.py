"""The glossary: Vietnamese names and terms with their English forms (summarize/glossary.yaml,
plus the user's files), applied before translation and used to find the entities of the index."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from .errors import ConfigError
from .hashing import digest
from .settings import read_yaml


@dataclass(frozen=True)
class Glossary:
    """Vietnamese names and terms → English forms, matched whole-word, longest first.

    Matching looks terms up by their first two characters rather than through one regex
    alternation: a 100,000-term glossary then costs a dictionary lookup per word start, where
    the alternation took seconds to compile and tried every term at every word."""

    terms: dict[str, str]
    kinds: dict[str, str] = field(default_factory=dict)  # term -> the heading it was listed under

    @cached_property
    def _lengths(self) -> dict[str, tuple[int, ...]]:
        """A term's first two characters → the lengths of the terms starting so, longest first."""
        index: dict[str, set[int]] = {}
        for term in self.terms:
            index.setdefault(term[:2], set()).add(len(term))
        return {start: tuple(sorted(lengths, reverse=True)) for start, lengths in index.items()}

    def fingerprint(self) -> str:
        return digest(self.terms, length=16)

    def _match(self, text: str, start: int) -> int:
        """End of the longest term at `start` that ends a word, or -1 (one-character terms are
        indexed by their one character, so they come last)."""
        lengths = self._lengths.get(text[start : start + 2], ()) + self._lengths.get(text[start], ())
        for length in lengths:
            end = start + length
            if end > len(text):  # a slice past the end is shorter than the term it would match
                continue
            if text[start:end] in self.terms and not (end < len(text) and _is_word(text[end])):
                return end
        return -1

    def find(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, English) of each term in `text`, left to right, none overlapping."""
        found, i = [], 0
        while i < len(text):
            end = self._match(text, i) if i == 0 or not _is_word(text[i - 1]) else -1
            if end < 0:
                i += 1
                continue
            found.append((i, end, self.terms[text[i:end]]))
            i = end
        return found


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
