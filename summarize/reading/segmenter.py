"""Split paragraphs into sentences and pack them into chunks that fit a model's input limit.

Invariant (tested, and fuzzed): nothing is lost. `"".join(chunks)` is the paragraph, byte for
byte; a sentence too long for the model is cut at clause boundaries, then between words,
never truncated.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from .letters import run_before

CountTokens = Callable[[Sequence[str]], list[int]]

# Abbreviations after which a period does not end a sentence (Vietnamese and English news).
ABBREVIATIONS = {
    "tp", "ts", "ths", "pgs", "gs", "bs", "ks", "th.s", "pgs.ts", "gs.ts", "mr", "mrs", "ms", "dr", "st",
    "jr", "sr", "no", "vs", "etc", "e.g", "i.e", "u.s", "u.k", "tr", "q", "p", "ng",
}

# A sentence ends at . ! ? or … (possibly repeated), optionally followed by closing quotes or
# brackets, then whitespace, then something that can start a sentence.
_BOUNDARY = re.compile(r"""([.!?…]+["”’'»)\]]*)(\s+)(?=["“‘'«(\[]?[\w])""")


_WORD_OR_DOTS = re.compile(r"[\w.]*")
_LOOK_BACK = 64  # longer than any abbreviation: a word this long is none (and the cost stays linear)


def _is_abbreviation(text: str, end: int) -> bool:
    """Whether the period ending at `end` closes an abbreviation or an initial (J. Biden): the
    word before it (letters, digits, dots), within _LOOK_BACK."""
    word = run_before(text, end - 1, _WORD_OR_DOTS, end - _LOOK_BACK).lower()
    return word in ABBREVIATIONS or (len(word) == 1 and word.isalpha())


def split_sentences(paragraph: str) -> list[str]:
    """The sentences of a paragraph; joined with single spaces they give the paragraph back
    (when, as after cleaning, sentences are separated by single spaces)."""
    sentences: list[str] = []
    start = 0
    for match in _BOUNDARY.finditer(paragraph):
        end = match.end(1)
        following = paragraph[match.end(2) : match.end(2) + 1]  # one character: copying the rest was quadratic
        if match.group(1) == "." and _is_abbreviation(paragraph, end):
            continue
        if following.islower():  # "5.2. sau đó" is not a new sentence
            continue
        sentences.append(paragraph[start:end])
        start = match.end(2)
    tail = paragraph[start:]
    if tail.strip() or not sentences:
        sentences.append(tail)
    return sentences


def _split_units(text: str) -> list[str]:
    """Cut `text` into smaller pieces that keep their trailing whitespace: clauses if it has
    several, else words, else halves of a long word."""
    for pattern in (r"(?<=[,;:])\s+", r"\s+"):
        pieces = re.split(f"({pattern})", text)
        units = ["".join(pieces[i : i + 2]) for i in range(0, len(pieces), 2)]
        units = [u for u in units if u]
        if len(units) > 1:
            return units
    middle = len(text) // 2
    return [text[:middle], text[middle:]]


def _remembered(count: CountTokens) -> CountTokens:
    """`count`, asked once for all the texts it has not seen (the tokenizer's cost is mostly
    per call): the packing asks again for pieces it counted while cutting."""
    known: dict[str, int] = {}

    def counted(texts: Sequence[str]) -> list[int]:
        new = [text for text in dict.fromkeys(texts) if text not in known]
        if new:
            known.update(zip(new, count(new)))
        return [known[text] for text in texts]

    return counted


def _fit(text: str, count: CountTokens, limit: int) -> list[str]:
    """Pieces of `text`, each within `limit` tokens, that concatenate back to `text`."""
    if len(text) <= 1 or count([text.strip()])[0] <= limit:
        return [text]
    units = _split_units(text)
    count([unit.strip() for unit in units])  # all of them in one call; each is looked up below
    return [piece for unit in units for piece in _fit(unit, count, limit)]


def sentence_pieces(paragraph: str, count: CountTokens, limit: int) -> list[str]:
    """The paragraph's sentences, each with its trailing whitespace, a sentence too long for
    the model cut (at clauses, else between words) into as few pieces of at most `limit`
    tokens as possible: `"".join(...) == paragraph`.

    This is the translator's unit: the translation models are trained on sentence pairs, and
    many short inputs batch well, where a few long ones do not.
    """
    return _pieces(paragraph, _remembered(count), limit)


def _pieces(paragraph: str, count: CountTokens, limit: int) -> list[str]:
    sentences = split_sentences(paragraph)
    # re-attach the whitespace between sentences so that concatenation restores the paragraph
    units: list[str] = []
    position = 0
    for sentence in sentences:
        start = paragraph.index(sentence, position)
        if units:
            units[-1] += paragraph[position:start]
        units.append(sentence)
        position = start + len(sentence)
    if units:
        units[-1] += paragraph[position:]
    else:
        units = [paragraph]
    sizes = count([u.strip() for u in units])  # every sentence counted in one call; only a long one is cut
    fitted = [[unit] if size <= limit or len(unit) <= 1 else _fit(unit, count, limit) for unit, size in zip(units, sizes)]
    return [piece for pieces in fitted for piece in _pack(pieces, count, limit)]


def chunk(paragraph: str, count: CountTokens, limit: int) -> list[str]:
    """Pack the paragraph's sentences into as few chunks of at most `limit` tokens as possible
    (the summarizer's unit: it needs as much context as fits).

    `count` gives each text's length in model tokens (prefix and special tokens included).
    The chunks keep their separating whitespace, so `"".join(chunk(p, ...)) == p`.
    """
    count = _remembered(count)
    return _pack(_pieces(paragraph, count, limit), count, limit)


def _pack(units: list[str], count: CountTokens, limit: int) -> list[str]:
    """Greedily join consecutive units while the estimate fits, then verify each chunk."""
    if len(units) < 2:  # nothing to join (most sentences): no tokenizer calls
        return units
    overhead = count([""])[0]
    sizes = count([u.strip() for u in units])
    chunks: list[list[int]] = []
    total = limit + 1
    for i, size in enumerate(sizes):
        if total + size - overhead > limit:
            chunks.append([])
            total = overhead
        chunks[-1].append(i)
        total += size - overhead
    texts = ["".join(units[i] for i in c) for c in chunks]
    lengths = count([text.strip() for text in texts])
    result: list[str] = []
    for indices, text, length in zip(chunks, texts, lengths):
        if len(indices) > 1 and length > limit:  # estimate was optimistic
            half = len(indices) // 2
            result += _pack([units[i] for i in indices[:half]], count, limit)
            result += _pack([units[i] for i in indices[half:]], count, limit)
        else:
            result.append(text)
    return result
