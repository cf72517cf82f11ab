"""Vietnamese letters, in one place: the reader tells good decoding from mojibake with them,
language detection and the checks look for the letters only Vietnamese uses; and the word
before a position, read backwards (the glossary's names, the segmenter's abbreviations)."""

from __future__ import annotations

import re
import unicodedata

# Every accented letter of Vietnamese, lower case.
ACCENTED = "ăâđêôơưàáạảãằắặẳẵầấậẩẫèéẹẻẽềếệểễìíịỉĩòóọỏõồốộổỗờớợởỡùúụủũừứựửữỳýỵỷỹ"

# Letters no Western language uses (ă đ ơ ư, ĩ ũ, and the Latin Extended Additional block with
# ạ ả ế …): one of them in a word marks it as Vietnamese, where `café` is not.
DISTINCTIVE = re.compile("[ăđơưĂĐƠƯĩũĨŨ\u1ea0-\u1ef9]")


# Characters that hide or reorder the text around them (the bidi marks, overrides and
# isolates, zero-width marks, line and paragraph separators), as a regex class body: outputs
# show them as escapes (formats.inert, day.visible_json), so `report\u202efdp.txt` is no PDF.
INVISIBLE = "\u061c\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff"

# One Vietnamese syllable, folded (fold()): an initial consonant, one to three vowels, a final
# consonant of the few Vietnamese allows. "Cai", "Tho", "Sơn" are syllables; "Donald",
# "Sergei", "Putin" are not.
_SYLLABLE = re.compile(r"(ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx])?[aeiouy]{1,3}(ng|nh|ch|[cmnpt])?")


def is_syllable(word: str) -> bool:
    """Whether `word` can be one Vietnamese syllable (with or without its accents)."""
    return _SYLLABLE.fullmatch(fold(word)) is not None


def fold(text: str) -> str:
    """Text without case or accents (đ as d), so "Chính" matches "Pham Minh Chinh" and "Dân
    trí" matches dantri.com.vn."""
    return text.translate(_FOLDED)


def _fold_character(char: str) -> str:
    decomposed = unicodedata.normalize("NFKD", char.replace("Đ", "D").replace("đ", "d"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


class _Folded(dict):
    """For str.translate: a code point → its folded text, worked out once per character, then
    looked up in C; one pass over the text, where decomposing it whole and dropping its marks
    took two. Character by character gives what the whole text gives: decomposition is per
    character except for reordering combining marks, and every one of them is dropped."""

    def __missing__(self, code: int) -> str:
        self[code] = _fold_character(chr(code))
        return self[code]


_FOLDED = _Folded()


def run_before(text: str, end: int, chars: re.Pattern, since: int = 0) -> str:
    """The run of `chars` (a pattern of one class, repeated: `\\w*`) that ends at `end`, not
    reaching back before `since`. Read backwards, one match at the run's end: a regex anchored
    at `end` and searched from `since` would try every position in between."""
    return chars.match(text[max(0, since) : end][::-1]).group()[::-1]
