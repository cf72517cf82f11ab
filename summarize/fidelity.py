"""Figures, dates and names that survive translation.

Neural translators are weakest exactly where news is most factual, and Vietnamese conventions
make it worse (`1.550` is one thousand five hundred and fifty, `0,5%` half a percent,
`12/10/2020` 12 October). So before translation:

* every figure (number, decimal, percentage, amount with its unit, date, time, duration,
  ordinal) is rendered in English form here, by rule (`8,85 tỷ tấn` → `8.85 billion tonnes`), and
  replaced in the model's input by a numbered placeholder `[1]`, `[2]`… that all model families
  copy through (brackets and digits are in every vocabulary); after translation each
  placeholder is restored by its number, so a model that moves a figure moves it correctly;
* glossary terms are replaced inline by their English form (`Matxcơva` → `Moscow`), which keeps
  the sentence readable for the model, and checked in the output.

If the placeholders do not come back exactly once each (dropped, duplicated, mangled), the chunk
is translated again with the English renderings written inline instead; figures the model then
re-spells are repaired by value (`1.550` → `1,550`), and any figure still missing is appended in
brackets and reported. A figure is never silently lost.
"""

from __future__ import annotations

import calendar
import hashlib
import json
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import yaml

from .checks import figures as english_figures

MONTHS = list(calendar.month_name)  # locale-independent in the C locale: January…December

_NUM = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?"
_MULTIPLIER = {
    "nghìn tỷ": "trillion", "nghìn tỉ": "trillion", "ngàn tỷ": "trillion", "ngàn tỉ": "trillion",
    "tỷ": "billion", "tỉ": "billion", "triệu": "million", "nghìn": "thousand", "ngàn": "thousand",
}
_UNIT = {
    "đô la Mỹ": "US dollars", "đô la": "dollars", "USD": "USD", "đồng": "dong", "VND": "VND", "VNĐ": "VND",
    "euro": "euros", "EUR": "EUR", "Euro": "euros", "nhân dân tệ": "yuan", "NDT": "yuan", "yên": "yen", "rúp": "roubles",
    "bảng Anh": "pounds", "tấn": "tonnes", "km": "km", "km2": "km²", "kg": "kg", "ha": "hectares", "hecta": "hectares",
    "MW": "MW", "GW": "GW", "thùng": "barrels", "lít": "litres", "mét": "metres", "m": "m", "cm": "cm",
}
_DURATION = {"năm": "year", "tháng": "month", "tuần": "week", "ngày": "day", "giờ": "hour", "phút": "minute",
             "giây": "second", "thập kỷ": "decade", "thế kỷ": "century"}
_DATE_CONTEXT = r"(?:ngày|hôm|sáng|trưa|chiều|tối|đêm|rạng sáng|từ|đến|tới|trước|sau|vào)"
_ORDINAL_CONTEXT = r"(?:lần|vòng|kỳ họp|kỳ|phiên họp|phiên|đợt|lượt|hạng|tập|khóa|khoá|thế hệ|hội nghị|đại hội)"


def _alt(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_B = r"(?<![\w/.,:-])"  # a figure does not start inside a word, a date or a number
_E = r"(?![\w/]|[.,]\d)"  # …and does not run on into one

PATTERNS = [
    ("range", re.compile(rf"{_B}(\d{{1,2}})/(\d{{1,2}})\s*[-–]\s*(\d{{1,2}})/(\d{{1,2}})(?:/(\d{{4}}))?{_E}")),
    ("dmy", re.compile(rf"{_B}(\d{{1,2}})\s*([/.-])\s*(\d{{1,2}})\s*\2\s*(\d{{4}}){_E}")),
    ("words", re.compile(rf"{_B}(\d{{1,2}})\s+tháng\s+(\d{{1,2}})(?:\s*(?:năm|,)\s*(\d{{4}}))?{_E}")),
    ("month_year", re.compile(rf"(?<!\w)[Tt]háng\s+(\d{{1,2}})\s*[/-]\s*(\d{{4}}){_E}")),
    ("month", re.compile(rf"(?<!\w)[Tt]háng\s+(\d{{1,2}}){_E}(?!\s*(?:[/-]|năm\s+\d))")),
    ("dm", re.compile(rf"(?<!\w){_DATE_CONTEXT}\s+(?:(?:qua|nay|tới|mai),?\s+)?(\d{{1,2}})\s*([/.])\s*(\d{{1,2}}){_E}",
                      re.IGNORECASE)),
    ("time", re.compile(rf"{_B}([01]?\d|2[0-3])\s*[:h]\s*([0-5]\d)'?{_E}")),
    ("ordinal", re.compile(rf"(?<!\w){_ORDINAL_CONTEXT}\s+(thứ\s+(\d+)){_E}", re.IGNORECASE)),
    ("duration", re.compile(rf"{_B}(\d+)\s+({_alt(_DURATION)})(?!\w)(?!\s*\d)")),
    ("amount", re.compile(
        rf"{_B}({_NUM})(?:\s*(%|phần trăm))?(?:\s+({_alt(_MULTIPLIER)}))?(?:\s+({_alt(_UNIT)}))?(?![\w/]|[.,]\d)"
    )),
]

_PLACEHOLDER = re.compile(r"\[\s*(\d{1,3})\s*\]")


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


def _render(kind: str, m: re.Match) -> tuple[int, int, str] | None:
    """(start, end, English) for a pattern match, or None when it is not a real figure."""
    g = m.groups()
    if kind == "range":
        first, second = _day_month(g[0], g[1]), _day_month(g[2], g[3], g[4])
        return (m.start(), m.end(), f"{first} – {second}") if first and second else None
    if kind == "dmy":
        text = _day_month(g[0], g[2], g[3])
        return (m.start(), m.end(), text) if text else None
    if kind == "words":
        text = _day_month(g[0], g[1], g[2])
        return (m.start(), m.end(), text) if text else None
    if kind == "month_year":
        return (m.start(), m.end(), f"{MONTHS[int(g[0])]} {g[1]}") if 1 <= int(g[0]) <= 12 else None
    if kind == "month":
        return (m.start(), m.end(), MONTHS[int(g[0])]) if 1 <= int(g[0]) <= 12 else None
    if kind == "dm":
        text = _day_month(g[0], g[2])
        return (m.start(1), m.end(), text) if text else None
    if kind == "time":
        return m.start(), m.end(), f"{int(g[0]):02d}:{g[1]}"
    if kind == "ordinal":
        n = int(g[1])
        suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
        return m.start(1), m.end(1), f"{n}{suffix}"
    if kind == "duration":
        n, unit = g[0], _DURATION[g[1]]
        plural = "centuries" if unit == "century" else unit + "s"
        return m.start(), m.end(), f"{english_number(n)} {unit if n == '1' else plural}"
    number, percent, multiplier, unit = g
    text = english_number(number) + ("%" if percent else "")
    if multiplier:
        text += " " + _MULTIPLIER[multiplier]
    if unit:
        text += " " + _UNIT[unit]
    return m.start(), m.end(), text


def find_figures(text: str) -> list[Figure]:
    """Every figure in Vietnamese `text`, left to right; earlier patterns win overlaps."""
    taken: list[Figure] = []
    for kind, pattern in PATTERNS:
        for m in pattern.finditer(text):
            rendered = _render(kind, m)
            if rendered is None:
                continue
            start, end, english = rendered
            if any(start < f.end and f.start < end for f in taken):
                continue
            taken.append(Figure(start, end, text[start:end], english))
    return sorted(taken, key=lambda f: f.start)


# ---------------------------------------------------------------------------------------------
# glossary


class GlossaryError(Exception):
    """A glossary file that cannot be used; the message names the file and the entry."""


@dataclass(frozen=True)
class Glossary:
    """Vietnamese names and terms → English forms, matched whole-word, longest first."""

    terms: dict[str, str]

    @cached_property
    def pattern(self) -> re.Pattern | None:
        """One alternation of all terms, longest first; built once (find() runs per chunk)."""
        if not self.terms:
            return None
        return re.compile(rf"(?<!\w)(?:{_alt(self.terms)})(?!\w)")

    def fingerprint(self) -> str:
        return hashlib.sha256(json.dumps(self.terms, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:16]

    def find(self, text: str) -> list[tuple[int, int, str]]:
        pattern = self.pattern
        return [(m.start(), m.end(), self.terms[m.group(0)]) for m in pattern.finditer(text)] if pattern else []


def load_glossary(*paths: Path) -> Glossary:
    """Merge glossary files in order (later entries override); entries may be grouped under
    headings (`places:`, `institutions:`…), which are only for the reader."""
    terms: dict[str, str] = {}
    for path in paths:
        try:
            data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
        except FileNotFoundError:
            raise GlossaryError(f"{path}: glossary not found") from None
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
            raise GlossaryError(f"{path}: cannot read the glossary ({str(exc).splitlines()[0]})") from None
        if not isinstance(data, dict):
            raise GlossaryError(f"{path}: expected a mapping of Vietnamese term: English form")
        for key, value in data.items():
            group = value if isinstance(value, dict) else {key: value}
            for vi, en in group.items():
                if not isinstance(vi, str) or not isinstance(en, str) or not vi.strip() or not en.strip():
                    raise GlossaryError(f"{path}: entry {vi!r}: both the term and its English form must be text")
                terms[vi.strip()] = en.strip()
    return Glossary(terms)


# ---------------------------------------------------------------------------------------------
# protect → translate → restore


@dataclass(frozen=True)
class Protected:
    """A chunk prepared for the model: placeholder form, inline fallback form, its figures."""

    placeholders: str
    inline: str
    figures: tuple[Figure, ...]
    terms: tuple[str, ...]  # English glossary forms that should appear in the translation


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
    if _PLACEHOLDER.search(text):  # the text has its own [n]: placeholders would be ambiguous
        return Protected("".join(inline), "".join(inline), (), tuple(t for *_, t in spans if t))
    return Protected("".join(with_placeholders), "".join(inline), tuple(figs), tuple(t for *_, t in spans if t))


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


def glossary_misses(output: str, terms: tuple[str, ...]) -> list[str]:
    """Glossary English forms absent from `output` (case-insensitive; `Russian` has `Russia`)."""
    lower = output.lower()
    return [t for t in dict.fromkeys(terms) if t.lower() not in lower]
