"""Which language an article is in, from function words: Vietnamese, English, or other.

Function words are the most frequent words of a language and carry no topic, so their share
of a text identifies it reliably for whole articles, with no model. The same word lists serve
the cleaner (prose has many function words, menus and link lists few) and the checks.
"""

from __future__ import annotations

import re
from collections import Counter

from .letters import DISTINCTIVE, fold

VIETNAMESE_FUNCTION_WORDS = frozenset(
    ["và", "của", "là", "có", "các", "những", "được", "cho", "với", "trong", "này", "đã", "không", "một", "người", "khi", "đến", "từ", "về", "để", "như", "thì", "mà", "theo", "tại", "trên", "sau", "cũng", "còn", "nhưng", "nếu", "vì", "do", "bị", "đang", "sẽ", "rằng", "hơn", "nhiều", "đó", "ra", "vào", "lại", "nên", "nhằm", "giữa", "hay", "hoặc", "ở", "đây", "thế", "bởi", "cùng", "chỉ", "vẫn", "rất", "mới", "đều", "năm", "ngày", "tháng", "nước", "ông", "bà", "họ", "chúng", "tôi", "đi", "lên", "qua", "khoảng", "mỗi", "cả", "tới", "gần", "kể", "vừa", "tiếp", "nay", "hiện", "trước", "ngoài", "bên", "việc", "sự", "phải", "cần", "thể", "gì", "nào", "ai", "rồi", "chưa", "đâu", "luôn", "ngay", "như", "vậy", "nữa", "hết"]
)

ENGLISH_STOPWORDS = frozenset(
    ["a", "an", "the", "and", "or", "but", "if", "of", "to", "in", "on", "at", "by", "for", "with", "from", "as", "is", "are", "was", "were", "be", "been", "being", "has", "have", "had", "do", "does", "did", "will", "would", "shall", "should", "can", "could", "may", "might", "must", "this", "that", "these", "those", "it", "its", "they", "them", "their", "he", "she", "him", "his", "her", "we", "our", "you", "your", "i", "not", "no", "nor", "so", "than", "then", "there", "here", "which", "who", "whom", "whose", "what", "when", "where", "why", "how", "all", "any", "both", "each", "few", "more", "most", "other", "some", "such", "only", "own", "same", "too", "very", "s", "t", "just", "also", "into", "over", "under", "after", "before", "about", "against", "between", "through", "during", "up", "down", "out", "off", "again", "further", "once", "said", "says", "say", "new", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]
)

_WORD = re.compile(r"[^\W\d_]+")
# The function words as Vietnamese written without its accents ("khong", "duoc"), less those
# that are English words too ("do", "an"): chat, SMS and some scrapers drop the accents.
_FOLDED = frozenset(fold(w) for w in VIETNAMESE_FUNCTION_WORDS) - ENGLISH_STOPWORDS


FUNCTION_WORDS = VIETNAMESE_FUNCTION_WORDS | ENGLISH_STOPWORDS  # either language's

# the words that label a photo's, a graphic's or a video's credit, before a colon ("Ảnh: Reuters",
# "Ảnh minh họa: Mạnh Quân", "Đồ họa: BBC"): a regex alternation, matched ignoring case
CREDIT_LABEL = r"ảnh(?:\s+minh\s+(?:họa|hoạ))?|hình(?:\s+ảnh)?|photo|video|clip|đồ\s+(?:họa|hoạ)|infographic"


def function_word_share(words: list[str]) -> float:
    """Share of `words` that are Vietnamese or English function words (prose scores high)."""
    if not words:
        return 0.0
    return sum(map(FUNCTION_WORDS.__contains__, map(str.lower, words))) / len(words)  # counted in C


def detect(text: str) -> str:
    """'vi', 'en', or 'other' for the language of `text`."""
    words = Counter(map(str.lower, _WORD.findall(text)))  # each distinct word looked at once
    total = sum(words.values())
    if total < 5:
        return "other"
    vietnamese = sum(n for w, n in words.items() if w in VIETNAMESE_FUNCTION_WORDS or DISTINCTIVE.search(w))
    english = sum(n for w, n in words.items() if w in ENGLISH_STOPWORDS)
    if vietnamese / total >= 0.2 and vietnamese >= english:
        return "vi"
    if english / total >= 0.2:
        return "en"
    if sum(n for w, n in words.items() if w in _FOLDED) / total >= 0.2:
        return "vi"  # without its accents
    return "other"
