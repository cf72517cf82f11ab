"""Figures — numbers, decimals, percentages, amounts with their unit, dates, times, durations,
ordinals — read in Vietnamese and rendered in English by rule (`8,85 tỷ tấn` → `8.85 billion
tonnes`, `12/10/2020` → `12 October 2020`), and read back in English with every value a written
number can mean. Translation protects them (protection.py) and the checks compare them
(checks.py); both use these rules, so the two agree on what a figure is. docs/figures.md says
why each rule is as it is.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass

from .quantities import DURATIONS, MULTIPLIER_VALUES, MULTIPLIERS, PER_UNITS, UNITS, alternation

MONTHS = list(calendar.month_name)  # locale-independent in the C locale: January…December

_NUM = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?"
_DATE_CONTEXT = r"(?:ngày|hôm|sáng|trưa|chiều|tối|đêm|rạng sáng|từ|đến|tới|trước|sau|vào)"
_ORDINAL_CONTEXT = r"(?:lần|vòng|kỳ họp|kỳ|phiên họp|phiên|đợt|lượt|hạng|tập|khóa|khoá|thế hệ|hội nghị|đại hội)"
# Words that name a day or a part of one: after them, `17-12` is a date (Tuổi Trẻ, Thanh Niên,
# Người Lao Động write dates with hyphens). Elsewhere a hyphen between two numbers is a range
# (`từ 1-5 năm` is one to five years) unless both ends of a từ…đến range are day-month pairs.
_DAY_WORD = r"(?:ngày|hôm|sáng|trưa|chiều|tối|đêm|rạng sáng)"
_WEEKDAY = r"(?:thứ\s+(?:hai|ba|tư|năm|sáu|bảy)|chủ\s+nhật)"
# A part of the day after a clock hour (`8h tối`) → (hours written on a 12-hour clock, which
# gain 12; hours already right). An hour the part contradicts (`15h sáng`) stays as written.
PARTS_OF_DAY = {
    "sáng": (range(0), range(0, 12)),  # 2h sáng → 02:00
    "trưa": (range(1, 3), range(10, 14)),  # 12h trưa → 12:00, 1h trưa → 13:00
    "chiều": (range(1, 12), range(12, 19)),  # 3h chiều → 15:00, 15h chiều → 15:00
    "tối": (range(5, 12), range(17, 24)),  # 8h tối → 20:00
    "đêm": (range(8, 12), (*range(0, 6), *range(20, 24))),  # 11h đêm → 23:00, 2h đêm → 02:00
}
QUARTERS = {"I": 1, "II": 2, "III": 3, "IV": 4, "1": 1, "2": 2, "3": 3, "4": 4}
ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
# Words after which a Roman numeral is an ordinal: `thế kỷ XXI` (21st century), `Đại hội XIII`,
# `khóa XV` (the 15th National Assembly).
_ROMAN_CONTEXT = r"(?:thế kỷ|thế kỉ|đại hội|khóa|khoá|kỳ họp|hội nghị trung ương)"
# A whole number right after one of these words names something (`lớp 10` grade 10, `bão số 3`
# storm No. 3, `phút 84`, `quốc lộ 1`): it is a label, never a quantity (`lớp 10 năm học 2024-2025`
# has no ten years in it), so it is left as written.
_LABEL = re.compile(r"(?:lớp|khối|số|vòng|phút|cấp|quốc lộ|tỉnh lộ|km)\s+$", re.IGNORECASE)


_B = r"(?<![\w/.,:-])"  # a figure does not start inside a word, a date or a number
_E = r"(?![\w/]|[.,]\d)"  # …and does not run on into one

# What may follow an amount: percent, multiplier, unit, per-units (`66,5 triệu đồng/lượng`).
_AMOUNT_TAIL = (rf"(?:\s*(%|phần trăm))?(?:\s+({alternation(MULTIPLIERS)}))?(?:\s+({alternation(UNITS)}))?"
                rf"((?:\s*/\s*(?:{alternation(PER_UNITS)}))*){_E}")

PATTERNS = [
    ("hyphen_range", re.compile(
        rf"(?<!\w)từ\s+(?:ngày\s+)?((\d{{1,2}})-(\d{{1,2}})\s+(?:đến|tới)\s+(?:ngày\s+)?(\d{{1,2}})-(\d{{1,2}})(?:-(\d{{4}}))?){_E}",
        re.IGNORECASE)),
    ("day_range", re.compile(
        rf"(?<!\w)từ\s+ngày\s+((\d{{1,2}})\s+(?:đến|tới)\s+(\d{{1,2}})\s*([/-])\s*(\d{{1,2}})(?:\4(\d{{4}}))?){_E}",
        re.IGNORECASE)),
    ("range", re.compile(rf"{_B}(\d{{1,2}})/(\d{{1,2}})\s*[-–]\s*(\d{{1,2}})/(\d{{1,2}})(?:/(\d{{4}}))?{_E}")),
    ("dmy", re.compile(rf"{_B}(\d{{1,2}})\s*([/.-])\s*(\d{{1,2}})\s*\2\s*(\d{{4}}){_E}")),
    ("words", re.compile(rf"{_B}(\d{{1,2}})\s+tháng\s+(\d{{1,2}})(?:\s*(?:năm|,)\s*(\d{{4}}))?{_E}")),
    ("month_year", re.compile(rf"(?<!\w)[Tt]háng\s+(\d{{1,2}})\s*[/-]\s*(\d{{4}}){_E}")),
    ("month", re.compile(rf"(?<!\w)[Tt]háng\s+(\d{{1,2}}){_E}(?!\s*(?:[/-]|năm\s+\d))")),
    ("dm", re.compile(rf"(?<!\w){_DATE_CONTEXT}\s+(?:(?:qua|nay|tới|mai),?\s+)?(\d{{1,2}})\s*([/.])\s*(\d{{1,2}}){_E}",
                      re.IGNORECASE)),
    ("dm_hyphen", re.compile(rf"(?<!\w){_DAY_WORD}\s+(?:(?:qua|nay|tới|mai),?\s+)?((\d{{1,2}})-(\d{{1,2}})){_E}",
                             re.IGNORECASE)),
    ("weekday", re.compile(rf"(?<!\w){_WEEKDAY}\s*\(\s*((\d{{1,2}})\s*[/-]\s*(\d{{1,2}})(?:\s*[/-]\s*(\d{{4}}))?)\s*\)",
                           re.IGNORECASE)),
    ("quarter", re.compile(r"(?<!\w)[Qq]uý\s+(IV|I{1,3}|[1-4])(?:\s*[/-]\s*(\d{4})|\s+năm\s+(\d{4}))?(?![\w/])")),
    ("clock_part", re.compile(
        rf"{_B}([01]?\d|2[0-3])\s*(?:h|giờ)\s*(?:([0-5]\d)(?:'|\s*phút)?)?\s+({alternation(PARTS_OF_DAY)})(?!\w)")),
    ("clock_words", re.compile(rf"{_B}([01]?\d|2[0-3])\s+giờ\s+([0-5]?\d)\s+phút(?!\w)")),
    # an hour is a time of day after a word that places it (`lúc 8h`), or before a day (`13h ngày 27-5`)
    ("clock_hour", re.compile(rf"(?<!\w)(?:lúc|khoảng|từ|đến|tới|trước|sau|tức|vào)\s+(([01]?\d|2[0-3])h){_E}",
                              re.IGNORECASE)),
    ("clock_day", re.compile(rf"{_B}([01]?\d|2[0-3])\s*(?:h|giờ)(?=\s+(?:ngày|hôm|cùng ngày)(?!\w))", re.IGNORECASE)),
    ("time", re.compile(rf"{_B}([01]?\d|2[0-3])\s*[:h]\s*([0-5]\d)'?{_E}")),
    ("ordinal", re.compile(rf"(?<!\w){_ORDINAL_CONTEXT}\s+(thứ\s+(\d+)){_E}", re.IGNORECASE)),
    ("roman", re.compile(rf"(?<!\w)({_ROMAN_CONTEXT})\s+([IVXLC]+)(?!\w)", re.IGNORECASE)),
    ("duration", re.compile(rf"{_B}(?:(\d+)\s*[-–]\s*)?(\d+)\s+({alternation(DURATIONS)})(?!\w)(?!\s*\d)")),
    ("amount_range", re.compile(rf"{_B}({_NUM})\s*[-–]\s*({_NUM}){_AMOUNT_TAIL}")),
    ("year_range", re.compile(rf"{_B}((?:19|20)\d\d)\s*[-–]\s*((?:19|20)\d\d){_E}")),
    ("amount", re.compile(rf"{_B}(-?)({_NUM}){_AMOUNT_TAIL}")),
]

@dataclass(frozen=True)
class Figure:
    """A figure found in Vietnamese text and its English rendering."""

    start: int
    end: int
    source: str
    english: str


def english_number(text: str) -> str:
    """`1.550` → `1,550`, `0,5` → `0.5`, `2.500.000,75` → `2,500,000.75`; plain digits unchanged."""
    whole, _, decimal = text.partition(",")
    whole = whole.replace(".", ",")
    return f"{whole}.{decimal}" if decimal else whole


def _day_month(day: str, month: str, year: str | None = None) -> str | None:
    d, m = int(day), int(month)
    if not (1 <= m <= 12 and 1 <= d <= calendar.monthrange(int(year) if year else 2000, m)[1]):
        return None
    return f"{d} {MONTHS[m]}" + (f" {int(year)}" if year else "")


def _date(m: re.Match, day: int, month: int, year: int | None = None, start_group: int = 0):
    text = _day_month(m[day], m[month], m[year] if year else None)
    return (m.start(start_group), m.end(), text) if text else None


def _range(m: re.Match):
    first, second = _day_month(m[1], m[2]), _day_month(m[3], m[4], m[5])
    return (m.start(), m.end(), f"{first} – {second}") if first and second else None


def _month(m: re.Match):
    if not 1 <= int(m[1]) <= 12:
        return None
    return m.start(), m.end(), MONTHS[int(m[1])] + (f" {m[2]}" if m.re.groups > 1 else "")


def _ordinal_text(n: int) -> str:
    return f"{n}" + ("th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th"))


def _ordinal(m: re.Match):
    return m.start(1), m.end(1), _ordinal_text(int(m[2]))


def _labelled(m: re.Match) -> bool:
    """Whether the match is a whole number that a preceding word makes a label (_LABEL)."""
    return bool(re.match(r"\d+(?!\d|[.,]\d)", m[0]) and _LABEL.search(m.string, max(0, m.start() - 12), m.start()))


def _duration(m: re.Match):
    """`6 tháng` → 6 months; a range `1-5 năm` → 1–5 years."""
    if _labelled(m):
        return None
    low, n, unit = m[1], m[2], DURATIONS[m[3]]
    plural = "centuries" if unit == "century" else unit + "s"
    count = f"{low}–{n}" if low else english_number(n)
    return m.start(), m.end(), f"{count} {unit if count == '1' else plural}"


def _tail(percent: str | None, multiplier: str | None, unit: str | None, per: str) -> str:
    """What follows the number in English: `%`, ` million`, ` dong`, ` per tael`…"""
    text = "%" if percent else ""
    if multiplier:
        text += " " + MULTIPLIERS[multiplier][0]
    if unit:
        text += ("" if UNITS[unit].startswith("°") else " ") + UNITS[unit]
    for unit in filter(None, (part.strip() for part in per.split("/"))):  # đồng/người/tháng
        text += " per " + PER_UNITS[unit]
    return text


def _amount(m: re.Match):
    sign, number, *tail = m.groups()
    if _labelled(m):
        return None
    return m.start(), m.end(), sign + english_number(number) + _tail(*tail)


def _amount_range(m: re.Match):
    """`37-39 độ C` → 37–39°C, `10-15%` → 10–15%, `1.200-1.230` → 1,200–1,230: a range when
    something makes it an amount (a unit, a percent, a thousands or decimal separator); two
    small whole numbers alone (`2-1`) are a score and stay as written."""
    low, high, *tail = m.groups()
    if not any(tail) and not re.search(r"[.,]", low + high):
        return None
    return m.start(), m.end(), f"{english_number(low)}–{english_number(high)}" + _tail(*tail)


def _year_range(m: re.Match):
    """`năm học 2024-2025` → 2024–2025 (a later second year; else not a period)."""
    return (m.start(), m.end(), f"{m[1]}–{m[2]}") if int(m[2]) > int(m[1]) else None


def _roman(m: re.Match):
    """`thế kỷ XXI` → 21st century, `Đại hội XIII` → Đại hội 13th (the model translates the word)."""
    values = [ROMAN[c] for c in m[2].upper()]
    n = sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))
    ordinal = _ordinal_text(n)
    if m[1].lower().startswith("thế k"):
        return m.start(), m.end(), f"{ordinal} century"
    return m.start(2), m.end(2), ordinal


def _hyphen_range(m: re.Match):
    first, second = _day_month(m[2], m[3]), _day_month(m[4], m[5], m[6])
    return (m.start(1), m.end(1), f"{first} to {second}") if first and second else None


def _day_range(m: re.Match):
    """`từ ngày 7 đến 14-3` → 7 to 14 March (the first day is in the second's month)."""
    second = _day_month(m[3], m[5], m[6])
    return (m.start(1), m.end(1), f"{int(m[2])} to {second}") if second and int(m[2]) < int(m[3]) else None


def _weekday(m: re.Match):
    """`thứ Hai (12/10)`: the date in the brackets (the weekday is words the model translates)."""
    text = _day_month(m[2], m[3], m[4])
    return (m.start(1), m.end(1), text) if text else None


def _quarter(m: re.Match):
    year = m[2] or m[3]
    return m.start(), m.end(), f"Q{QUARTERS[m[1]]}" + (f" {year}" if year else "")


def _clock_part(m: re.Match):
    """`8h tối` → 20:00, `2h sáng` → 02:00 (PARTS_OF_DAY)."""
    hour, minutes = int(m[1]), m[2] or "00"
    later, as_is = PARTS_OF_DAY[m[3].lower()]
    if hour in later:
        hour += 12
    elif hour not in as_is:
        return None
    return m.start(), m.end(), f"{hour:02d}:{minutes}"


# How each pattern's match is written in English: (start, end, English), or None when the
# match is not a real figure (`32/13` is no date).
RENDER = {
    "range": _range,
    "dmy": lambda m: _date(m, 1, 3, 4),
    "words": lambda m: _date(m, 1, 2, 3),
    "month_year": _month,
    "month": _month,
    "dm": lambda m: _date(m, 1, 3, start_group=1),
    "hyphen_range": _hyphen_range,
    "day_range": _day_range,
    "dm_hyphen": lambda m: _date(m, 2, 3, start_group=1),
    "weekday": _weekday,
    "quarter": _quarter,
    "clock_part": _clock_part,
    "clock_words": lambda m: (m.start(), m.end(), f"{int(m[1]):02d}:{int(m[2]):02d}"),
    "clock_hour": lambda m: (m.start(1), m.end(1), f"{int(m[2]):02d}:00"),
    "clock_day": lambda m: (m.start(), m.end(), f"{int(m[1]):02d}:00"),
    "time": lambda m: (m.start(), m.end(), f"{int(m[1]):02d}:{m[2]}"),
    "ordinal": _ordinal,
    "roman": _roman,
    "duration": _duration,
    "amount_range": _amount_range,
    "year_range": _year_range,
    "amount": _amount,
}


# the patterns that can match text without a digit (a quarter or a Roman numeral in words);
# text without one is not searched with the others (tests/test_fidelity.py holds it)
WITHOUT_DIGITS = ("quarter", "roman")
# What a pattern cannot match without: text holding none of these is not searched with it (most
# sentences hold no "từ", "tháng" or "/"). Each is a piece the pattern requires, looked for in the
# case-folded text when the pattern ignores case (so, without an "i": re's ignore-case matches "ı"
# for "i", which case folding keeps apart). tests/test_fidelity.py holds both.
NEEDS = {
    "hyphen_range": ("từ",),
    "day_range": ("từ",),
    "words": ("tháng",),
    "month_year": ("háng",),
    "month": ("háng",),
    "weekday": ("(",),
    "quarter": ("uý",),
    "clock_part": tuple(PARTS_OF_DAY),
    "clock_words": ("phút",),
    "ordinal": ("thứ",),
    "roman": ("thế k", "hộ", "khóa", "khoá", "kỳ họp"),
}
# What a pattern's match has right after a run of digits (spaces between allowed): `12/10` a
# slash, `8h` an h, `6 tháng` a duration's first letter. Text where no run of digits is followed
# by one of these is not searched with it (most numbers are amounts: the clock patterns were
# searched in every sentence with a digit and matched in few). Both cases where the pattern
# ignores case; tests/test_fidelity.py holds it.
AFTER_DIGITS = {
    "hyphen_range": "-",
    "day_range": "đĐtT",
    "range": "/",
    "dmy": "/.-",
    "words": "t",
    "month_year": "/-",
    "dm": "/.",
    "dm_hyphen": "-",
    "weekday": "/-",
    "clock_part": "hg",
    "clock_words": "g",
    "clock_hour": "hH",
    "clock_day": "hHgG",
    "time": ":h",
    "duration": "".join(sorted({word[0] for word in DURATIONS})),
    "amount_range": "-–",
    "year_range": "-–",
}
_DIGIT = re.compile(r"\d")
_AFTER_DIGITS = re.compile(r"\d+\s*([^\d\s])")  # the character after each run of digits
# each pattern with what it needs: a digit, one of its NEEDS pieces (None: no piece), case-folded,
# one of the characters AFTER_DIGITS (None: any)
_NEEDED = [(kind, pattern, kind not in WITHOUT_DIGITS, NEEDS.get(kind), bool(pattern.flags & re.IGNORECASE),
            frozenset(AFTER_DIGITS[kind]) if kind in AFTER_DIGITS else None)
           for kind, pattern in PATTERNS]


def _searched(text: str) -> list[tuple[str, re.Pattern]]:
    """The patterns that can match `text` (WITHOUT_DIGITS, NEEDS, AFTER_DIGITS)."""
    digits, folded = bool(_DIGIT.search(text)), text.casefold()
    after = set(_AFTER_DIGITS.findall(text)) if digits else set()
    return [(kind, pattern) for kind, pattern, digit, pieces, fold, follows in _NEEDED
            if (digits or not digit)
            and (follows is None or not after.isdisjoint(follows))
            and (pieces is None or any(piece in (folded if fold else text) for piece in pieces))]


def find_figures(text: str) -> list[Figure]:
    """Every figure in Vietnamese `text`, left to right; earlier patterns win overlaps."""
    taken: list[Figure] = []
    for kind, pattern in _searched(text):
        for m in pattern.finditer(text):
            rendered = RENDER[kind](m)
            if rendered is None:
                continue
            start, end, english = rendered
            if any(start < f.end and f.start < end for f in taken):
                continue
            taken.append(Figure(start, end, text[start:end], english))
    return sorted(taken, key=lambda f: f.start)


# ---------------------------------------------------------------------------------------------
# glossary


# -- English: what a figure written in the output can mean ------------------------------------

_NUMBER = re.compile(
    r"(?<![\w.,])(\d+(?:[.,]\d+)*)(?![\w])(\s*(?:%|per\s?cent\b))?"
    rf"(?:\s+({alternation(MULTIPLIER_VALUES)})\b)?",
    re.IGNORECASE,
)


def _readings(digits: str) -> set[float]:
    """Every value a written number can mean: `1,550` and `1.550` may be 1550 or 1.55."""
    values = set()
    for thousands, decimal in ((",", "."), (".", ",")):
        parts = digits.split(decimal)
        if len(parts) > 2:
            continue
        whole = parts[0].split(thousands)
        if len(whole) > 1 and not (1 <= len(whole[0]) <= 3 and all(len(g) == 3 for g in whole[1:])):
            continue
        text = "".join(whole) + ("." + parts[1] if len(parts) == 2 else "")
        try:
            values.add(float(text))
        except ValueError:
            pass
    return values


def english_figures(text: str) -> list[tuple[str, set[tuple[float, bool]]]]:
    """The figures in `text`: (as written, {(value, is_percentage)}), amounts scaled by their
    unit word (`8.85 billion` also counts as 8,850,000,000)."""
    found = []
    for match in _NUMBER.finditer(text):
        percent = bool(match.group(2))
        values = _readings(match.group(1))
        if match.group(3):
            scale = MULTIPLIER_VALUES[match.group(3).lower()]
            values |= {v * scale for v in values}
        found.append((match.group(0).strip(), {(round(v, 6), percent) for v in values}))
    return found
