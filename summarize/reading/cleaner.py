"""Pull the article out of a scraped news page: title, date, byline, body, captions, keywords.

It works on lines and the layout around them, not on any one site's strings: each line gets a
kind from its own evidence (prose, headline-like, timestamp, caption, widget, section marker,
repeated line), lines are scored, and the best-scoring run of prose is the article (on an HTML
page trafilatura's main content). Every body character comes from the input, and every input
line ends up in the title, body, captions, keywords or `dropped` with its reason. The method
and its scores on pages of other outlets: docs/extraction.md.
"""

from __future__ import annotations

import html
import itertools
import math
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from ..article import Article
from .language import CREDIT_LABEL, FUNCTION_WORDS, VIETNAMESE_FUNCTION_WORDS, function_word_share
from .metadata import Declared, declared, outlet_in_text, outlet_signed, plain

# -- vocabularies: site furniture common to Vietnamese news pages (not any one site's text) --

# Headers of blocks that are not the article; the article never continues past one.
SECTION_MARKERS = {
    "tin liên quan", "tin cùng chuyên mục", "cùng chuyên mục", "có thể bạn cũng thích", "có thể bạn quan tâm",
    "bạn có thể quan tâm", "xem nhiều", "xem nhiều nhất", "đọc nhiều", "đọc nhiều nhất", "đọc thêm", "xem thêm",
    "tin mới", "tin mới nhất", "tin mới cập nhật", "tin nổi bật", "tin khác", "các tin khác", "tin đã đưa",
    "bài viết liên quan", "bài liên quan", "tin tức liên quan", "tin tức khác", "tin bài liên quan",
    "bình luận", "ý kiến", "ý kiến bạn đọc", "gửi bình luận", "viết bình luận", "bình luận của bạn",
    "tin ảnh", "video nổi bật", "tin video", "chuyên đề", "sự kiện", "tiêu điểm", "nổi bật", "mới nhất",
    "related", "related articles", "read more", "most read", "comments", "tin cùng loại", "tin đọc nhiều",
    "quảng cáo", "tài trợ", "nội dung tài trợ", "sponsored", "advertisement", "đọc tiếp",
}

# Those of them that can also sit inside the article, over a link or two to another article.
LINK_MARKERS = {"đọc tiếp", "đọc thêm", "xem thêm", "tin liên quan", "bài liên quan", "tin tức liên quan",
                "tin bài liên quan", "có thể bạn quan tâm"}

# Lines that are widgets, counters, navigation or footer, wherever they appear.
_FURNITURE = re.compile(
    r"""^(
        chia\s*sẻ\b.{0,40} | share\b.{0,40} | theo\s+dõi\b.{0,40}\btrên\b.* | follow\s+us.* |
        bình\s*luận\s*\(\d+\) | \d+\s*bình\s*luận | thích\s*\(\d+\) | like\s*\(\d+\) |
        phiên\s+bản\s+(di\s+động|máy\s+tính|đầy\s+đủ).* | in\s+bài.* | gửi\s+bài.* | lưu\s+bài.* |
        lên\s+đầu\s+trang | về\s+trang\s+chủ | trang\s+chủ\b.{0,80} | quay\s+lại.* | back\s+to\s+top |
        đăng\s+nhập.* | đăng\s+ký.* | tải\s+ứng\s+dụng.* | copy\s+link | sao\s+chép\s+liên\s+kết |
        .{0,30}\b(bài\s+viết|các\s+bài|tất\s+cả\s+bài)\s+(viết\s+)?(của|cùng)\s+tác\s+giả.* | theo\s+dõi\s+tác\s+giả.* |
        .*(®|©|\(c\)\s*\d{4}|bản\s+quyền|cấm\s+sao\s+chép|ghi\s+rõ\s+nguồn|giấy\s+phép\s+(số|hoạt\s+động)|
            tổng\s+biên\s+tập|chịu\s+trách\s+nhiệm\s+(xuất\s+bản|nội\s+dung)|all\s+rights\s+reserved).* |
        (địa\s+chỉ|điện\s+thoại|hotline|email|fax|tel)\s*:.* |
        [\W_]{1,3} | pencil | menu | tìm\s+kiếm | search | x | close | đóng
    )$""",
    re.IGNORECASE | re.VERBOSE,
)

# Login, paywall and membership dialogs: a line naming one, that is not a finished sentence
_DIALOG = re.compile(r"\b(quên\s+mật\s+khẩu|mật\s+khẩu|đăng\s+xuất|(vui\s+lòng|bạn\s+cần|hãy)\s+đăng\s+(nhập|ký)|"
                     r"đăng\s+nhập\s+(bằng|với|để)|tài\s+khoản\s+của\s+bạn|gói\s+(đọc|hội\s+viên|thành\s+viên)|"
                     r"trở\s+thành\s+(hội|thành)\s+viên|sign\s+in|log\s*in|subscribe)\b", re.IGNORECASE)
_KEYWORDS = re.compile(r"^[-•*]?\s*(từ\s*khóa|từ\s*khoá|tags?|chủ\s*đề|keywords?)\s*:?\s*(.*)$", re.IGNORECASE)
_CREDIT_LINE = re.compile(r"^\(?\s*(nguồn|theo|source)\s*:?\s*([^()]{1,60}?)\s*\)?\s*[.]?$", re.IGNORECASE)
_CREDIT_PREFIX = re.compile(r"^\(([A-Za-zÀ-ỹ][\w.-]{1,40})\)\s*[-–—]")
_PHOTO_CREDIT = re.compile(
    rf"(\(?\s*({CREDIT_LABEL}|nguồn\s+ảnh)\s*:\s*[^.]{{1,60}}\)?\s*\.?|\(?ảnh\s+minh\s+họa\)?\.?)$", re.IGNORECASE
)
_SOURCE_SUFFIX = re.compile(r"\(\s*(nguồn|source)\s*:\s*[^()]{1,60}\)\s*\.?$", re.IGNORECASE)
_FILENAME = re.compile(r"^\S.{0,200}\.(jpe?g|png|gif|webp|jfif|avif|bmp|svg|mp4|heic)(\?\S*)?$", re.IGNORECASE)
_DATE = re.compile(r"(?<!\d)(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})(?!\d)")
_ISO_DATE = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2}))?")
_WORDY_DATE = re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", re.IGNORECASE)
_TIME = re.compile(r"(?<!\d)([01]?\d|2[0-3])\s*[:h]\s*([0-5]\d)(?!\d)(?:\s*(AM|PM|SA|CH)\b)?", re.IGNORECASE)
# a site's licence or copyright line dates the licence, not the article
_LICENCE = re.compile(r"giấy phép|\bGP-|cấp ngày|bản quyền|©|copyright", re.IGNORECASE)
_RELATIVE_TIME = re.compile(
    r"^(vài|một|\d+)\s+(giây|phút|giờ|tiếng|ngày|tuần|tháng|năm)\s+trước$|^(hôm\s+qua|hôm\s+nay|vừa\s+xong)$",
    re.IGNORECASE,
)
_WEEKDAY = r"(thứ\s+(hai|ba|tư|năm|sáu|bảy|2|3|4|5|6|7)|chủ\s+nhật|cn)"
_BYLINE_PREFIX = re.compile(r"^(bài\s+và\s+ảnh|bài|ảnh|tác\s+giả|(nhóm\s+)?phóng\s+viên|pv|thực\s+hiện|by)\b\s*:?\s*", re.IGNORECASE)
_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(\s[^<>]{0,500})?/?>")
# in a page of HTML, a tag's attributes may run to any length (plo.vn's <img> with a long title);
# linear still: a tag ends at the first < or >, and the next can only start there
_HTML_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(\s[^<>]*)?/?>")
_DOCUMENT = re.compile(r"(?i)<(?:!doctype|html|head|body)\b")  # a whole HTML page, not a text with tags left in it
# a server template's directive or a processing instruction, left in a saved page: "<%@ page … %>", "<?php … ?>"
_DIRECTIVE = re.compile(r"(?s)<%.*?%>|<\?.*?\?>")
_LINE_BREAKS = re.compile(r"(?<=[^>\s])[ \t]*\n\s*(?=[^<\s])")  # inside a text: neither side is a tag
_PREFORMATTED = re.compile(r"(?is)(<(pre|textarea)\b.*?</\2\s*>)")


def _as_rendered(markup: str) -> str:
    """HTML whose text runs over several source lines as a browser shows it: a line break inside
    a text is a space (a page saved through a code formatter wraps every paragraph), except in
    preformatted text; line breaks next to a tag, and the markup's own (<br>, blocks), stay."""
    parts = _PREFORMATTED.split(markup)
    return "".join(part if k % 3 else _LINE_BREAKS.sub(" ", part) for k, part in enumerate(parts) if k % 3 != 2)


_HTML_BLOCK = re.compile(r"</?(p|div|br|h[1-6]|li|ul|ol|tr|table|section|article|header|footer|figure|figcaption|blockquote)\b[^>]*>", re.IGNORECASE)

TERMINAL = ".!?…"
CLOSERS = "\"”’')]»"

# Most headline-like lines one line is compared with, to find whether it repeats one of them.
CONTAINMENT_CANDIDATES = 1000

# Words after which a line cannot end a sentence: a line ending in one was hard-wrapped.
_OPEN_ENDINGS = set(
    ["với", "của", "và", "theo", "ở", "là", "có", "cho", "trong", "từ", "đến", "tại", "về", "những", "các", "một", "khi", "mà", "thì", "để", "bị", "được", "như", "hay", "hoặc", "nhưng", "rằng", "sẽ", "đã", "đang", "không", "nhằm", "giữa", "trên", "dưới", "sau", "trước", "bởi", "do", "vì", "nếu", "cùng", "số"]
)


@dataclass
class _Line:
    text: str
    kind: str = "text"  # prose, short, blank, marker, related, furniture, timestamp, file, caption, credit, keyword
    score: float = 0.0
    duplicate: bool = False
    teaser: bool = False  # cut short by "…" where a list of links has it (_by_neighbours)


# ---------------------------------------------------------------------------------------------
# 1. normalisation


_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f]")  # Unicode's control characters (Cc), less the line break


def normalize(text: str) -> str:
    """Text as a reader sees it: NFC, no HTML, no invisible characters, tidy whitespace."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    tags = _TAG
    if _HTML_BLOCK.search(text):
        text = re.sub(r"(?is)<(head|script|style|noscript|template|svg)\b.*?</\1\s*>", "\n", text)
        text = re.sub(r"(?s)<!--.*?-->|<![^>]*>", "", text)
        text, tags = _HTML_BLOCK.sub("\n", text), _HTML_TAG
    text = tags.sub("", text)
    text = html.unescape(text)
    text = unicodedata.normalize("NFC", text)
    text = re.sub("[\u200b\u200c\u200d\u2060\ufeff\u00ad]", "", text)
    text = re.sub("[\u00a0\u2007\u202f\u3000\t\f\v]", " ", text)
    text = _CONTROL.sub("", text)
    lines = [re.sub(r" {2,}", " ", line).strip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _words(text: str) -> list[str]:
    return text.split()


_KEY_WORD = re.compile(r"\w+")  # a word of a line's comparison form (_key)


def _key(text: str) -> str:
    """Comparison form of a line: lower case, letters and digits only."""
    return " ".join(_KEY_WORD.findall(text.lower()))


def _ends_sentence(text: str) -> bool:
    stripped = text.rstrip(CLOSERS)
    return bool(stripped) and stripped[-1] in TERMINAL or text.endswith("./.")


# ---------------------------------------------------------------------------------------------
# 2. line kinds


def _is_timestamp(text: str) -> bool:
    """A line that is a date and/or time and little else (`13:50' - 28/12/2021`, `6 giờ trước`)."""
    if _RELATIVE_TIME.match(text):
        return True
    if len(text) > 80:  # a line this long says more than when (most lines: no pattern is run)
        return False
    has_date = bool(_DATE.search(text) or _ISO_DATE.search(text) or _WORDY_DATE.search(text))
    has_time = bool(_TIME.search(text))
    if not (has_date or has_time):
        return False
    rest = _WORDY_DATE.sub(" ", _ISO_DATE.sub(" ", _DATE.sub(" ", text)))
    rest = re.sub(_WEEKDAY, " ", _TIME.sub(" ", rest), flags=re.IGNORECASE)
    rest = re.sub(r"(?i)\b(gmt|utc)\s*[+-]\s*\d{1,2}\b|\b(gmt|utc|am|pm|sa|ch|cập nhật|đăng|ngày|lúc|giờ|published|updated)\b|[+\-–—|,:'’()/]", " ", rest)
    return len(rest.split()) <= 2


_MARKER_STARTS = frozenset(marker.split(" ")[0] for marker in SECTION_MARKERS)


def _is_marker(text: str) -> bool:
    """A section heading ("Tin liên quan"); a line whose first word begins none is not keyed."""
    first = _KEY_WORD.search(text.lower())  # the key's first word
    return first is not None and first.group() in _MARKER_STARTS and _key(text) in SECTION_MARKERS


def _has_photo_credit(text: str) -> bool:
    """Whether the line ends in a photo credit (_PHOTO_CREDIT), searched for only where one can
    be: each form holds a ":" or ends in "họa"."""
    return (":" in text or "họa" in text[-6:].lower()) and _PHOTO_CREDIT.search(text) is not None


def _kind(text: str) -> str:
    if not text:
        return "blank"
    if _KEYWORDS.match(text) and len(_words(text)) <= 40:
        return "keyword"
    if _is_marker(text):
        return "marker"
    if _FILENAME.match(text) and len(_words(text)) <= 6:
        return "file"
    if _is_timestamp(text):
        return "timestamp"
    words = _words(text)
    count = len(words)
    if _FURNITURE.match(text) or _is_menu(text) or (count <= 15 and _DIALOG.search(text) and not _ends_sentence(text)):
        return "furniture"
    if count <= 8 and _is_credit(text):
        return "credit"
    if count <= 60 and (_has_photo_credit(text) or (_SOURCE_SUFFIX.search(text) and count > 3)):
        return "caption"
    return "prose" if _is_prose(text, words) else "short"


def is_article_text(text: str) -> bool:
    """Whether a line reads as an article's running text (not a site's name, an app banner,
    a menu or a label): what a copy may add that is worth showing beside the original."""
    return _kind(text) == "prose"


def _is_prose(text: str, words: list[str]) -> bool:
    """Eight words or more, and a finished sentence with some function words (one dense with
    names and titles has few), or a long line with the share of running prose."""
    if len(words) < 8:
        return False
    density = function_word_share([w.strip(",.:;\"“”'‘’()") for w in words])
    return (_ends_sentence(text) and density > 0) or (len(words) >= 35 and density >= 0.08)


# ---------------------------------------------------------------------------------------------
# 3. hard-wrapped lines


def _continues(line: _Line, following: _Line) -> bool:
    """Whether `following` continues the sentence that `line` leaves open."""
    if not line.text or not following.text or _ends_sentence(line.text):
        return False
    if line.kind not in ("prose", "short") or following.kind not in ("prose", "short", "caption"):
        return False
    if following.text[0].islower():
        return True
    # before a capital letter the line must show it is an unfinished sentence, not a headline
    # followed by a byline or a lead paragraph
    if _is_byline(line.text) or _is_byline(following.text):
        return False
    words = _words(line.text)
    return words[-1].lower() in _OPEN_ENDINGS or len(words) >= 20 or bool(re.search(r"[.!?] \w", line.text))


# A re-joined line stops growing here (far longer than any paragraph): every join looks at the
# whole line, so without a bound a page hard-wrapped into one endless paragraph costs quadratic time.
MAX_JOINED = 10_000


def _join_wrapped(texts: list[str]) -> list[_Line]:
    """The page's lines, each with its kind, sentences that a page hard-wrapped across lines
    re-joined (never across a blank line). The first line is left alone unless the next
    visibly continues it: it is usually the title."""
    out: list[_Line] = []
    for text in texts:
        line = _Line(text, _kind(text))
        if (out and len(out[-1].text) < MAX_JOINED and _continues(out[-1], line)
                and (len(out) > 1 or text[:1].islower())):
            joined = f"{out[-1].text} {text}"
            out[-1] = _Line(joined, _kind(joined))
        else:
            out.append(line)
    return out


# ---------------------------------------------------------------------------------------------
# 4. scoring and the article run

BREAK = float("-inf")
TEASER = -15.0
TEASER_WORDS = 40  # a teaser is a sentence or two
SCORES = {
    "blank": 0.0, "short": -3.0, "caption": -1.0, "credit": -2.0, "furniture": -4.0, "related": -3.0,
    "keyword": BREAK, "marker": BREAK, "timestamp": -25.0, "file": -25.0,
}


def _mark_duplicates(lines: list[_Line], keys: list[str]) -> None:
    """Flag lines repeated on the page: exact repeats, and headline-like lines contained in
    another one (related lists show a headline twice, sometimes in a longer variant); `keys`:
    each line's _key."""
    counts = Counter(k for k in keys if len(k.split()) >= 4)
    number = {i: n for n, i in enumerate(i for i, (key, line) in enumerate(zip(keys, lines))
                                         if line.kind == "short" and len(key.split()) >= 5)}  # headline-like
    headlines = [set(keys[i].split()) for i in number]
    index: dict[str, list[int]] = defaultdict(list)  # word -> the headline-like lines it is on
    for n, words in enumerate(headlines):
        for word in words:
            index[word].append(n)
    for i, (line, key) in enumerate(zip(lines, keys)):
        if counts.get(key, 0) > 1:
            line.duplicate = True
        elif i in number:
            line.duplicate = _contained_elsewhere(number[i], headlines, index)


def _contained_elsewhere(n: int, headlines: list[set[str]], index: dict[str, list[int]]) -> bool:
    """Whether another headline-like line has 80 % of line n's words. To share that many, it
    must share one of n's rarest len - need + 1 words, so only the lines with those are
    compared (20,000 headlines after an article: seconds, where comparing each with every
    other would take minutes), and at most
    CONTAINMENT_CANDIDATES of them: a line whose rarest words are on that many others is
    not on a news page."""
    words = headlines[n]
    need = math.ceil(0.8 * len(words))
    rarest = sorted(words, key=lambda word: (len(index[word]), word))[: len(words) - need + 1]
    seen: set[int] = set()
    for other in itertools.chain.from_iterable(index[word] for word in rarest):
        if other == n or other in seen:
            continue
        if len(words & headlines[other]) >= need:
            return True
        seen.add(other)
        if len(seen) >= CONTAINMENT_CANDIDATES:
            return False
    return False


def _score(lines: list[_Line]) -> None:
    for line in lines:
        if line.kind == "prose":
            line.score = float(len(_words(line.text)))
        else:
            line.score = SCORES.get(line.kind, -3.0)
        if line.duplicate:
            line.score = min(line.score, -25.0)
        elif line.teaser:
            line.score = TEASER


def _cut_short(line: _Line) -> bool:
    """A sentence or two that ends in "…" (a longer paragraph ending in one is the article's)."""
    return line.kind in ("prose", "short") and line.text.rstrip().endswith(("...", "…")) and \
        5 <= len(_words(line.text)) <= TEASER_WORDS


def _by_neighbours(lines: list[_Line]) -> None:
    """Judge the lines whose own evidence article sentences also have by the lines around
    them (the nearest on each side that is not blank, a caption or an image file name):
    - a widget's opening words ("Chia sẻ", "Đăng ký", "Theo dõi", "Quay lại"…) on a line that
      reads as a sentence between two of the article's paragraphs: the article's sentence;
    - a line cut short by "…": a teaser when a headline leads it, more of them follow (a list of
      links) or a paragraph does (a lead above the text), but the article's own last line when
      it follows a paragraph and none of those."""
    text = [i for i, line in enumerate(lines) if line.kind not in ("blank", "caption", "file")]
    cut = [_cut_short(lines[i]) for i in text]  # each line's, once (read again as a neighbour's)

    def paragraph(n: int) -> bool:
        line = lines[text[n]] if 0 <= n < len(text) else None
        return line is not None and line.kind == "prose" and not line.duplicate and not cut[n]

    for n, i in enumerate(text):
        line = lines[i]
        if line.kind == "furniture" and paragraph(n - 1) and paragraph(n + 1) and _FURNITURE.match(line.text) and \
                _is_prose(line.text, _words(line.text)):
            line.kind = "prose"
            cut[n] = _cut_short(line)  # as a sentence now, it may be one cut short
        elif cut[n]:
            line.teaser = not paragraph(n - 1) or paragraph(n + 1) or any(cut[n + 1 : n + 3])


def _mark_inline_links(lines: list[_Line], keys: list[str]) -> None:
    """A link block inside the article ("Đọc tiếp" and a headline or two, with the article's
    prose on both sides) points to another article; it must not end this one. `keys`: each
    line's _key."""
    filled = [i for i, line in enumerate(lines) if line.kind != "blank"]
    for n, i in enumerate(filled[1:-1], start=1):
        if keys[i] not in LINK_MARKERS or lines[filled[n - 1]].kind not in ("prose", "caption"):
            continue
        block = []
        for j in filled[n + 1 : n + 4]:
            if lines[j].kind not in ("short", "prose") or len(_words(lines[j].text)) > 20 or lines[j].text.endswith("."):
                break
            block.append(j)
        after = n + 1 + len(block)
        if block and after < len(filled) and lines[filled[after]].kind == "prose":
            for j in (i, *block):
                lines[j].kind = "related"


def _text(line: _Line) -> bool:
    """A line of article-like text: prose or short, not repeated elsewhere on the page."""
    return line.kind in ("prose", "short") and not line.duplicate


def _finished_sentence(line: _Line) -> bool:
    """A sentence, not a headline or a link: capitalised, ended by a full stop (an interview's
    `- ` and `+ ` turn marks allowed)."""
    text = line.text.lstrip("-+–—•* ")
    return (_text(line) and len(_words(text)) >= 4 and (text[:1].isupper() or text[:1].isdigit())
            and _ends_sentence(text) and not text.rstrip(CLOSERS).endswith(("?", "…", "...")))


def _announced(lines: list[_Line], i: int) -> int:
    """Last line of what a line ending in a colon announces (`Đội hình xuất phát:` and its
    list): the text lines within the next 24, blank lines between them allowed (HTML
    paragraphs). i itself when it announces nothing."""
    if not _text(lines[i]) or not lines[i].text.endswith(":") or len(_words(lines[i].text)) < 3:
        return i
    last = i
    for k in range(i + 1, min(i + 25, len(lines))):
        if lines[k].kind == "blank":
            continue
        if not _text(lines[k]):
            break
        last = k
    return last


def _beyond(lines: list[_Line], k: int, step: int) -> int:
    """The first line from k on, walking by step (1 or -1), that is not a blank line, a caption
    or an image file name; -1 or len(lines) when there is none."""
    while 0 <= k < len(lines) and lines[k].kind in ("blank", "caption", "file"):
        k += step
    return k


def _widen(lines: list[_Line], start: int, end: int) -> tuple[int, int]:
    """Keep doubtful lines at the run's edges: a finished sentence just before the first
    paragraph or after the last one, across blank lines, captions and image file names, is
    article text (a short one dense with names scores too low to join the run by itself), and
    so is a list the last paragraph's follower announces with a colon."""
    while (k := _beyond(lines, end, 1)) < len(lines):
        if _finished_sentence(lines[k]):
            end = k + 1
        elif (last := _announced(lines, k)) > k:
            end = last + 1
        else:
            break
    while (k := _beyond(lines, start - 1, -1)) >= 0 and _finished_sentence(lines[k]):
        start = k
    return start, end


def _best_run(lines: list[_Line]) -> tuple[int, int]:
    """[start, end) of the highest-scoring run of lines (Kadane), never crossing a BREAK line."""
    best, best_span = 0.0, (0, 0)
    total, start = 0.0, 0
    for i, line in enumerate(lines):
        if line.score == BREAK:
            total, start = 0.0, i + 1
            continue
        if total <= 0:
            total, start = 0.0, i
        total += line.score
        if total > best:
            best, best_span = total, (start, i + 1)
    return best_span


# ---------------------------------------------------------------------------------------------
# 5. metadata


def parse_published(text: str) -> str | None:
    """ISO 8601 date (and time, when given) from a timestamp line, or None."""
    date = None
    if m := _ISO_DATE.search(text):
        date = (int(m[1]), int(m[2]), int(m[3]))
    elif m := _DATE.search(text) or _WORDY_DATE.search(text):
        date = (int(m[3]), int(m[2]), int(m[1]))
    if not date:
        return None
    try:
        day = datetime(*date)
    except ValueError:
        return None
    if m.re is _ISO_DATE and m[4]:
        return day.replace(hour=int(m[4]), minute=int(m[5])).strftime("%Y-%m-%dT%H:%M")
    if t := _TIME.search(text.replace(m.group(0), " ")):
        hour = int(t[1]) + 12 if (t[3] or "").upper() in ("PM", "CH") and int(t[1]) < 12 else int(t[1])  # 01:39 PM (CH: chiều)
        return day.replace(hour=hour, minute=int(t[2])).strftime("%Y-%m-%dT%H:%M")
    return day.strftime("%Y-%m-%d")


_AUTHORS = re.compile(r"^[^\W\d_][\w\s.,&-]{0,60}\s(và|cùng|\+)\s*\d+\s+(tác\s+giả|người)\s+khác$", re.IGNORECASE)


def _is_byline(text: str) -> bool:
    """A short line of capitalised words only, like `Chu An` or `Minh Anh - Hà Phương`, or a
    list of authors cut short (`NHẬT XUÂN và 1 tác giả khác`)."""
    if _AUTHORS.match(text):
        return True
    words = [w for w in re.split(r"[\s,&-]+", _BYLINE_PREFIX.sub("", text)) if w]
    return 1 < len(words) <= 6 and all(w[0].isupper() and w.isalpha() for w in words)


TITLE_WINDOW = 12  # non-blank lines above the body searched for the headline (dates and widgets not counted)
LEAD_WORDS = 120  # words at the top of the body a headline is compared with
SHARED = 0.25  # share of a headline's content words that its lead must have (and at least two)


def _content_words(words: list[str]) -> set[str]:
    """The words of a text that carry its topic: lower-cased, function words left out."""
    found = {w.strip(",.:;!?\"“”'‘’()[]«»-–—").casefold() for w in words}
    return {w for w in found if len(w) > 1 and w not in FUNCTION_WORDS}


def _shares_words(text: str, lead: set[str]) -> bool:
    mine = _content_words(_words(text))
    shared = len(mine & lead)
    return shared >= 2 and shared >= SHARED * len(mine)


def _is_menu(text: str) -> bool:
    """A site menu flattened into one line (`Thời sự Thế giới Kinh doanh Bất động sản Sức khỏe
    Đời sống`): ten words or more, no punctuation of a sentence, and four or more places where a
    capitalised word follows a lower-case word that cannot stand before a name (a menu's items
    each start with a capital; in a headline, names follow `ông`, `tại`, `và`…)."""
    words = _words(text)
    if re.search(r"[,.:;!?\"“”]", text):
        return False
    starts = sum(1 for a, b in itertools.pairwise(words)
                 if b[:1].isupper() and a[:1].islower() and a.lower() not in VIETNAMESE_FUNCTION_WORDS
                 and a.lower() not in _BEFORE_NAMES)
    return (len(words) >= 10 and starts >= 4) or _sections(words)


def _sections(words: list[str]) -> bool:
    """A shorter menu (`Phong cách Kỹ năng Quan điểm Xem - Đọc Video`): it opens with three
    two-syllable sections in a row, each capitalised, and never has two lower-case words in a
    row, where a headline in sentence case has."""
    lower = [w.islower() for w in words]
    return len(words) >= 6 and all(w[0].isupper() == (i % 2 == 0) and w[1:] == w[1:].lower()
                                   for i, w in enumerate(words[:6])) and not any(a and b for a, b in itertools.pairwise(lower))


# Words that stand before a name, in a headline as anywhere (`tỉnh Quảng Nam`, `sông Hồng`)
_BEFORE_NAMES = {"tỉnh", "thành", "phố", "huyện", "quận", "xã", "phường", "thị", "sông", "núi", "đảo", "biển", "anh",
                 "chị", "em", "cô", "chú", "bác", "cụ", "tướng", "trưởng", "thủ", "chủ", "tịch", "thư", "sĩ",
                 "đội", "cảng", "sân", "bay", "chợ", "đường", "cầu", "hồ", "vịnh", "vụ", "lễ", "giải", "cúp"}


def _is_headline(text: str, kind: str) -> bool:
    words = len(_words(text))
    return kind in ("short", "prose") and 3 <= words <= 40 and not text.endswith(".") and not text[0].islower()


def _keywords(lines: list[_Line], start: int) -> tuple[list[str], set[int]]:
    """Keyword list items from a keyword header at `start` (inline or as following `- item` lines)."""
    used = {start}
    inline = _KEYWORDS.match(lines[start].text)[2].strip()
    if inline:
        return [k.strip(" -•") for k in re.split(r"[,;|]", inline) if k.strip(" -•")], used
    items = []
    for j in range(start + 1, len(lines)):
        text = lines[j].text
        if not text:
            continue
        if not re.match(r"^[-•*]\s*\S", text) or len(_words(text)) > 8:
            break
        items.append(text.lstrip("-•* ").strip())
        used.add(j)
    return items, used


# ---------------------------------------------------------------------------------------------
# the stage


@dataclass
class _Page:
    """A page being cleaned: its classified lines, the article run [start, end), the Article
    being filled, and the lines already given a place in it."""

    lines: list[_Line]
    start: int
    end: int
    article: Article
    used: set[int] = field(default_factory=set)
    title_at: int | None = None

    def take(self, i: int) -> None:
        self.used.add(i)


def _classify(text: str) -> list[_Line]:
    lines = _join_wrapped(normalize(text).split("\n"))
    # a caption is often marked by the lone "|" a page puts after it
    for line, following in itertools.pairwise(lines):
        if following.text in ("|", "▲", "▼") and line.kind in ("prose", "short"):
            line.kind = "caption"
    keys = [_key(line.text) for line in lines]  # both marks compare lines by their keys
    _mark_inline_links(lines, keys)
    _mark_duplicates(lines, keys)
    _by_neighbours(lines)
    _score(lines)
    return lines


def _find_title(page: _Page) -> None:
    """The headline: the nearest headline-like line within TITLE_WINDOW lines above the body
    that shares its words with the article's lead (the first paragraphs, and a sapo passed
    over on the way up) or, for the first such line above the body, with the body as a whole.
    Menus flattened into one line, author lists, login dialogs and links to other articles say
    something else than the article, so they are passed over; when no line qualifies the
    article has no title, which is better than a wrong one (the brief then heads it with its
    summary's first sentence)."""
    words = _run_words(page.lines, page.start, page.end)
    lead = _content_words(words[:LEAD_WORDS])
    seen, first = 0, True
    for i in range(page.start - 1, -1, -1):
        line = page.lines[i]
        if not line.text or line.kind in ("timestamp", "furniture", "file", "credit", "blank"):
            continue
        seen += 1
        if seen > TITLE_WINDOW:
            return
        headline_like = _is_headline(line.text, line.kind)  # a menu line is furniture already (_kind)
        if line.kind == "prose" and not headline_like:
            lead |= _content_words(_words(line.text))  # a sapo above the body
            continue
        if (not headline_like or len(_words(line.text)) < 4 or _is_byline(line.text) or _ROLES.search(line.text)
                or plain(line.text) != line.text):  # a headline holds no markup
            continue
        if _shares_words(line.text, lead) or (first and _shares_words(line.text, _content_words(words))):  # asked once
            page.article.title, page.title_at = _without_dateline(page.article, line.text), i
            page.take(i)
            return
        first = False
    _title_opening_the_run(page)


def _title_opening_the_run(page: _Page) -> None:
    """A headline that ends as a question or an exclamation (`… có phải do thiết bị kém?`,
    `… giơ tay!`) reads as a sentence, so the run takes it for its first paragraph: it is the
    title when it opens the page (nothing above it) and the paragraphs after it share its words."""
    lines, start = page.lines, page.start
    if start >= page.end or any(line.text for line in lines[:start]):
        return
    line = lines[start]
    if not (_is_headline(line.text, line.kind) and line.text.rstrip(CLOSERS)[-1:] in "?!"):
        return
    if _shares_words(line.text, _content_words(_run_words(lines, start + 1, page.end)[:LEAD_WORDS])):
        page.article.title, page.title_at = line.text, start
        page.take(start)
        page.start = start + 1


def _run_words(lines: list[_Line], start: int, end: int) -> list[str]:
    """The words of the text lines in [start, end), in order."""
    return " ".join(line.text for line in lines[start:end] if _text(line)).split()


# an author's roles, one after another ("Chuyên gia truyền thông/ Giảng viên Đại học …"): no headline
_ROLES = re.compile(r"[^\W\d_]\s?/\s+[A-ZĐÀ-Ỹ]")

# a headline that a text dump ran on into its dateline and section: "… FTSE 07-03-2026 - 00:01 AM | Thị trường"
_RUN_ON_DATELINE = re.compile(rf"\s+[-–|]?\s*({_DATE.pattern}(?:\s*[-–|,]?\s*{_TIME.pattern})?)\s*(?:[|–-].*)?$", re.IGNORECASE)


def _without_dateline(article: Article, title: str) -> str:
    """The headline without a dateline (and section) run on after it; the date, when the
    article has none yet, is taken from it."""
    found = _RUN_ON_DATELINE.search(title)
    if not found or len(_words(title[: found.start()])) < 4:
        return title
    if article.published is None:
        article.published = parse_published(found.group(1))
    return title[: found.start()].rstrip(" -–|,")


def _find_header(page: _Page) -> None:
    """Date and byline between the top of the page and the body."""
    article = page.article
    for i, line in enumerate(page.lines[: page.start]):
        if i in page.used or not line.text:
            continue
        if article.published is None and len(_words(line.text)) <= 12 and not _LICENCE.search(line.text) and (
                line.kind == "timestamp" or _DATE.search(line.text)):
            article.published = parse_published(line.text)
        elif article.byline is None and line.kind == "short" and _is_byline(line.text) and (
                i > page.title_at if page.title_at is not None else i >= page.start - 3):
            article.byline = line.text
            page.take(i)


def _take_run(page: _Page) -> None:
    """The run itself: body paragraphs and captions, widgets set aside; a closing byline line
    (`Minh Anh`), the run's last or the one after it, is metadata, not a paragraph."""
    article = page.article
    for i in range(page.start, page.end):
        line = page.lines[i]
        if line.kind in ("prose", "short") and not line.duplicate:
            article.body.append(line.text)
            page.take(i)
        elif line.kind == "caption":
            article.captions.append(line.text)
            page.take(i)
    if article.body and article.byline is None and _is_byline(article.body[-1]) and len(article.body) > 1:
        article.byline = article.body.pop()
    after = _beyond(page.lines, page.end, 1)  # or the line right after it, before a list of links
    if article.byline is None and after < len(page.lines) and page.lines[after].kind == "short" and _is_byline(
            page.lines[after].text):
        article.byline = page.lines[after].text
        page.take(after)


def _take_outside(page: _Page) -> None:
    """Captions, keywords and credits found outside the run."""
    article = page.article
    for i, line in enumerate(page.lines):
        if i in page.used:
            continue
        if line.kind == "caption" and _has_photo_credit(line.text) and line.text not in article.captions:
            article.captions.append(line.text)
            page.take(i)
        elif line.kind == "keyword" and not article.keywords:
            article.keywords, taken = _keywords(page.lines, i)
            page.used |= taken - {i}
        elif line.kind == "credit" and article.credit is None and page.start <= i <= page.end + 2:
            article.credit = _CREDIT_LINE.match(line.text)[2].strip()
    if article.credit is None and article.body and (m := _CREDIT_PREFIX.match(article.body[0])):
        article.credit = m[1]


# Why a line of each kind was left out of the article, as the review page shows it.
WHY = {
    "marker": "section heading", "related": "link to another article", "furniture": "widget or footer",
    "timestamp": "date line", "file": "image file name", "credit": "credit line", "keyword": "keyword list",
    "caption": "caption outside the article",
}


def _dropped(page: _Page) -> list[dict]:
    """Every line not given a place in the article, with the reason: its own kind first, then
    where it stands (one pass: a line after the article is under the last marker above it)."""
    dropped, marker = [], None
    for i, line in enumerate(page.lines):
        if i >= page.end and line.kind == "marker":
            marker = line.text
        if i in page.used or not line.text:
            continue
        if line.duplicate:
            why = "repeated on the page"
        elif line.score == TEASER:
            why = "cut-short teaser"
        elif line.kind in WHY:
            why = WHY[line.kind]
        elif i < page.start:
            why = "before the article"
        else:
            why = f"under “{marker}”" if marker else "after the article"
        dropped.append({"text": line.text, "why": why, "inside": page.start <= i < page.end})
    return dropped


def clean(text: str, source: str = "", main_content: bool = True) -> Article:
    """The article in a scraped page, as an Article with its Vietnamese fields filled. On an
    HTML page the body is its main content by trafilatura (`main_content=False`: the line
    method alone, as bench/extraction.py compares them)."""
    if _DOCUMENT.search(text):
        text = _as_rendered(_DIRECTIVE.sub("", text))
    lines = _classify(text)
    page = _Page(lines, *_widen(lines, *_best_run(lines)), Article(source=source))
    for step in (_find_title, _find_header, _take_run, _take_outside):
        step(page)
    # a web address in the article's text is a source it cites; the site's own is in its header or
    # footer, or in the widgets between its paragraphs ("Theo dõi Baoquocte.vn trên"), never in the text
    # or its name signing the lead ("(Dân trí) - …"); a site the text only cites is never the outlet
    page.article.outlet = (outlet_in_text(line.text for i, line in enumerate(lines) if not page.start <= i < page.end)
                           or outlet_in_text(line.text for i, line in enumerate(lines) if i not in page.used)
                           or outlet_signed(next(iter(page.article.body), None)))
    page.article.dropped = _dropped(page)
    if main_content and _HTML_BLOCK.search(text):
        from trafilatura.utils import load_html

        tree = load_html(text)  # parsed once for the captions and the declared fields (read, never changed)
        figures = figure_captions(tree)
        found = declared(text, tree)
        _take_declared(page.article, found)
        if main := _main_content(text):
            _take_main_content(page.article, main)
            _keep_lead(page.article, lines, found.description)
        if figures:  # the markup says what a caption is, whole
            page.article.captions = figures
            page.article.body = [p for p in page.article.body if p not in figures]
    page.article.captions = [c for c in page.article.captions if not _MARKUP.search(c)]
    if _continues_title(page.article.title, page.article.byline):  # "… GIAO TRANH" / "KHỐC LIỆT"
        page.article.byline = None
    return page.article


def _keep_lead(article: Article, lines: list[_Line], description: str | None) -> None:
    """The lead paragraph (sapo) first in the body, once: the page's declared description when
    the page shows it as a block of its own before the body's first paragraph (trafilatura leaves
    out such a bold lead block above the text, as on VnExpress and PLO)."""
    if not description or not article.body:
        return
    lead, first = _key(description), _key(article.body[0])
    if any(lead[:80] in _key(p) for p in article.body[:3]):
        return  # the body has it already
    shown = next((i for i, line in enumerate(lines) if _key(line.text) == lead), None)
    starts = next((i for i, line in enumerate(lines) if first and _key(line.text).startswith(first[:80])), None)
    if shown is not None and starts is not None and shown < starts:
        article.body.insert(0, lines[shown].text)
        article.dropped = [d for d in article.dropped if _key(d["text"]) != lead]


_MARKUP = re.compile(r"<\s*/?\s*[a-zA-Z][^<>]*(>|$)")  # a tag, whole or cut off: never a caption


def figure_captions(tree) -> list[str]:
    """Every <figcaption> of a parsed HTML page (load_html's tree), its whole text however the
    markup wraps it, once each."""
    if tree is None:
        return []
    found = (normalize(" ".join(" ".join(node.itertext()).split())) for node in tree.iter("figcaption"))
    return list(dict.fromkeys(text for text in found if text and not _MARKUP.search(text)))


def _is_credit(line: str) -> bool:
    """Whether a line credits a source ("Theo TTXVN", "(Nguồn: cand)", "Nguồn: vnexpress.net"):
    in parentheses, or naming it as a source is named (a capital, a digit, a web host), not the
    tail of a hard-wrapped sentence ("…để khởi công dự án / theo tiến độ.")."""
    if not (credit := _CREDIT_LINE.match(line)):
        return False
    name = credit[2]
    return line.lstrip().startswith("(") or name[:1].isupper() or name[:1].isdigit() or "." in name


def _continues_title(title: str | None, byline: str | None) -> bool:
    """Whether a "byline" is the end of the headline, wrapped onto a line of its own."""
    return bool(title and byline) and _key(title).endswith(" " + _key(byline))


# ---------------------------------------------------------------------------------------------
# HTML pages: the markup says where the article is


def _main_content(markup: str) -> list[str]:
    """The paragraphs of an HTML page's main content, as trafilatura finds them from the
    markup's structure (which the lines above have lost: an advert or a comment inside the
    article's container reads like prose). Imported here: only HTML pages need it."""
    import trafilatura

    text = trafilatura.extract(markup, include_comments=False, include_tables=True, include_images=False,
                               deduplicate=False) or ""
    return [p for p in map(normalize, text.split("\n")) if p]


def _take_declared(article: Article, found: Declared) -> None:
    """What the page declares replaces what its lines suggested; a line taken for the title
    that is not the declared headline goes back among the dropped lines (or into the body,
    if the main content holds it)."""
    if found.title and article.title and _key(found.title) != _key(article.title):
        article.dropped.append({"text": article.title, "why": "not the headline the page declares", "inside": False})
    for name in found.fields():
        if name == "published" and (article.published or "").startswith(f"{found.published}T"):
            continue  # the same day, and the page's date line also gives the time
        setattr(article, name, getattr(found, name))
    article.declared = found.fields()


def _take_main_content(article: Article, main: list[str]) -> None:
    """Make the main content the body; every other line keeps its place in the title, the
    captions or `dropped`, with a reason (bench/extraction.py measures why: docs/extraction.md),
    unless it is in the body (a piece of a paragraph the markup broke into lines)."""
    body = [p for p in main if not article.title or _key(p) != _key(article.title)]
    kept = set(body)
    within = _Within(body)
    outside = [{"text": line, "why": "outside the page's main content", "inside": False}
               for line in article.body if not within(line)]
    # the line method's span is not the article any more: no dropped line is "between its paragraphs"
    article.dropped = [{**line, "inside": False} for line in article.dropped if not within(line["text"])] + outside
    article.captions = [c for c in article.captions if c not in kept]
    article.body = body


class _Within:
    """Whether a line is in the article's paragraphs: one of them, or (four words or more) a
    piece of one, as a line the markup broke off a paragraph is. By shingles of four words,
    so the test is linear however many lines and paragraphs a page has."""

    SPAN = 4

    def __init__(self, paragraphs: list[str]):
        self.whole = {_key(p) for p in paragraphs}
        self.shingles = {tuple(words[i : i + self.SPAN]) for words in (_key(p).split() for p in paragraphs)
                         for i in range(max(0, len(words) - self.SPAN + 1))}

    def __call__(self, line: str) -> bool:
        key = _key(line)
        words = key.split()
        if key in self.whole:
            return True
        return len(words) >= self.SPAN and all(tuple(words[i : i + self.SPAN]) in self.shingles
                                               for i in range(len(words) - self.SPAN + 1))
