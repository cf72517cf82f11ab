"""Figures and glossary terms that survive translation: protect → translate → restore.

Before translation every figure becomes a numbered placeholder `[1]` (its English rendering
kept aside, figures.py) and every glossary term its English form; after it, each placeholder
is restored by its number. If they do not all come back once, the chunk is translated again
with the renderings inline, re-spelled figures are repaired by value, and a figure still
missing is appended in brackets and reported: never silently lost. Why, with the measured
pass rates: docs/figures.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .figures import Figure, english_figures, find_figures
from .glossary import Glossary

_PLACEHOLDER = re.compile(r"\[\s*(\d{1,3})\s*\]")


@dataclass(frozen=True)
class Protected:
    """A chunk prepared for the model: placeholder form, inline fallback form, the figures
    its placeholders stand for, and the English of every figure read in it (for the checks)."""

    placeholders: str
    inline: str
    figures: tuple[Figure, ...]
    read: tuple[str, ...]


def protect(text: str, glossary: Glossary) -> Protected:
    """The model inputs for `text`: glossary terms in English inline, figures as `[n]`."""
    figs = find_figures(text)
    spans = [(f.start, f.end, None) for f in figs]
    spans += [(s, e, en) for s, e, en in glossary.find(text) if not any(s < f.end and f.start < e for f in figs)]
    spans.sort()
    with_placeholders, inline, position, n = [], [], 0, 0
    for start, end, term in spans:
        if start < position:
            continue
        with_placeholders.append(text[position:start])
        inline.append(text[position:start])
        if term is None:
            n += 1
            with_placeholders.append(f"[{n}]")
            inline.append(figs[n - 1].english)
        else:
            with_placeholders.append(term)
            inline.append(term)
        position = end
    with_placeholders.append(text[position:])
    inline.append(text[position:])
    read = tuple(f.english for f in figs)
    if _PLACEHOLDER.search(text):  # the text has its own [n]: placeholders would be ambiguous
        return Protected("".join(inline), "".join(inline), (), read)
    return Protected("".join(with_placeholders), "".join(inline), tuple(figs), read)


def restore(output: str, figures: tuple[Figure, ...]) -> str | None:
    """`output` with each placeholder replaced by its figure, or None unless every placeholder
    came back exactly once (then the caller falls back to the inline form)."""
    found = [int(m.group(1)) for m in _PLACEHOLDER.finditer(output)]
    if sorted(found) != list(range(1, len(figures) + 1)):
        return None
    return _PLACEHOLDER.sub(lambda m: figures[int(m.group(1)) - 1].english, output)


def repair(output: str, figures: tuple[Figure, ...]) -> tuple[str, list[str]]:
    """Make every figure appear in `output` in its English form: re-spelled numbers with the
    same value are rewritten (`1.550` → `1,550`); figures still missing are appended in
    brackets and returned, so they can be reported."""
    missing = []
    for figure in figures:
        if figure.english in output:
            continue
        core = english_figures(figure.english)
        if len(core) == 1:
            written, values = core[0]
            bare = written.split()[0]
            for candidate, candidate_values in english_figures(output):
                token = candidate.split()[0]
                if {v for v, _ in values} & {v for v, _ in candidate_values} and token != bare:
                    output = re.sub(rf"(?<![\w.,]){re.escape(token)}(?![\w]|[.,]\d)", bare, output, count=1)
                    break
            if figure.english in output or (bare in output and len(written.split()) == 1):
                continue
        missing.append(figure.english)
    if missing:
        output = f"{output.rstrip()} [{'; '.join(missing)}]"
    return output, missing
