"""Who and what an article mentions: the people, organisations, places and treaties of the
brief's index, and the names the story grouping compares articles by.

Found on the Vietnamese text, so they need no model and do not depend on its quality:
- glossary terms, of the kind their glossary heading says (KINDS);
- names the text capitalises right after a word that says what they are: a title from the
  glossary (`Thứ trưởng Ngoại giao Nga Sergei Ryabkov`), `ông`/`bà`, a place word
  (`tỉnh Quảng Ninh`, `TP.Phủ Lý`) or an organisation's (`hãng Apple`, `sàn HOSE`);
- names whose shape says what they are: a full name led by a family name (`Nguyễn Thế
  Thảo`, `Khúc Thị Hiền`), a foreign name (`George W. Bush`), an organisation before the
  acronym it defines (`… châu Á (AIIB)`), a province's own body (`Công an tỉnh Hà Nam`).
A capitalised word with no such cue is left out: Vietnamese also capitalises the first word of
every sentence and of institutions' names (`Bộ Ngoại giao`), so an uncued capital says too
little. A credit's source (`Ảnh: AFP/TTXVN`) is no mention.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from itertools import chain, takewhile
from operator import itemgetter

from ..article import Article
from ..reading.language import CREDIT_LABEL
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
# An abbreviation ending in a dot may be written against its name ("TP.Phủ Lý", "P.Lạch Tray",
# "Q.Ngô Quyền", "H.Thanh Liêm"). An organisation's word comes before a brand or an acronym as
# well as a name ("hãng Apple", "công ty VNG", "sàn HOSE", "tờ L'Equipe"): one word is a name.
# Not "đài" (station): it ends "lâu đài" (castle), "khán đài".
CUES = {
    "ông": "People", "bà": "People", "người đồng cấp": "People", "người phát ngôn": "People",
    "tỉnh": "Places", "thành phố": "Places", "thủ đô": "Places", "huyện": "Places", "quận": "Places",
    "thị xã": "Places", "xã": "Places", "phường": "Places", "thị trấn": "Places", "TP": "Places",
    "TP.": "Places", "TX.": "Places", "TT.": "Places", "Q.": "Places", "P.": "Places", "H.": "Places",
    "hãng": "Organisations", "công ty": "Organisations", "tập đoàn": "Organisations",
    "ngân hàng": "Organisations", "nhà mạng": "Organisations", "sàn": "Organisations",
    "tờ": "Organisations",
}
# every cue in one pass, as written or capitalised to start a sentence (longest first: "thị xã"
# ends where "xã" does, with the same kind; "TP" before "." ends where no name can follow)
_CAPITAL = {cue: cue[0].upper() + cue[1:] for cue in sorted(CUES, key=len, reverse=True)}
_CUE_KIND = {**CUES, **{capital: CUES[cue] for cue, capital in _CAPITAL.items()}}


def _alternatives(cues) -> str:
    """Cues as one alternation: a word ends where no letter follows, an abbreviation at its dot."""
    return "|".join(re.escape(cue) + ("" if cue.endswith(".") else r"(?!\w)") for cue in cues)


_CUE = re.compile(rf"(?<!\w)(?:{_alternatives(_CAPITAL)})|(?:^|(?<=[.!?:] ))(?:{_alternatives(_CAPITAL.values())})")
_WORD_BEFORE_CUE = re.compile(r"(?<![.!?:] )(?<!^)\b[A-ZĐ][^\W\d_A-Z]*[ ]$")  # a capitalised word in mid-sentence
_TITLES = "titles"  # the glossary heading whose terms come right before a person's name
_SOURCES = "agencies and outlets"  # the glossary heading of names that a credit gives

# Vietnamese family names (the common ones that nine in ten people bear, then the rarer ones of
# the usual lists) that start no place name and are no word written with a capital in names
# (not Hồ, Hà, Lâm, Cao, Thái, Mai, Châu, Chu, Lý, Hàn, Hồng, Kim: "Hồ Gươm", "Lâm Đồng", "Chu
# Lai", "Hàn Quốc"). A run of two to four capitalised words that begins with one is a person's
# full name ("Chủ tịch UBND TP Hà Nội Nguyễn Thế Thảo"), unless the word before it says it
# names a street, a district, a school or a company ("đường Nguyễn Huệ", "quận Hoàng Mai",
# "Công ty Trần Anh"). So is any capitalised word before the middle name "Thị" and a
# capitalised given name ("Khúc Thị Hiền"): "Thị" has no other use inside a name.
SURNAMES = frozenset("Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Ngô Dương Đinh Đoàn Trương Lương "
                     "Trịnh Đào Lưu Triệu Tô Tạ Phùng Quách Kiều Hứa Khúc Khổng Mạc Tăng Thân Lã Đàm Doãn "
                     "Nghiêm Phí Lò Vương Tôn Ung".split())
_NOT_A_PERSON = frozenset("đường phố quận huyện phường xã thị trường cầu chợ công ty tập đoàn khu ngõ hẻm "
                          "tòa nhà bệnh viện cảng sân giải bến trạm số lộ tuyến sông hồ núi đảo "
                          # a school's level ("Trường THCS Ngô Tất Tố", "Đại học Nguyễn Tất Thành", "trường
                          # chuyên Lê Hồng Phong")
                          "thcs thpt ptth học non đẳng chuyên".split())
# a ship's word or prefix: the name after it is a ship's, whatever its language ("tàu sân bay USS Ronald Reagan")
_SHIP = frozenset("tàu hạm uss hms".split())

# words that end no name: a sentence running on into a heading or the next sentence without
# punctuation ("Bị cáo Lê Dũng Sau đó, …"). Narrower than language.VIETNAMESE_FUNCTION_WORDS on
# purpose: its "thế", "năm", "mới" also end real names
_FUNCTION_WORDS = frozenset("có là và của cho với khi thì mà đã sẽ đang được bị tại ở trong theo sau trước ngoài "
                            "nếu tuy nhưng vì để nên còn".split())
_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
# a time of day that starts the next sentence, run on to a name without a full stop ("bà Loan Tối 15.6, …")
_TIME_OF_DAY = frozenset("Sáng Trưa Chiều Tối Đêm Khuya".split())
_DATE_NEXT = re.compile(r" \d")
# a year of the sixty-year cycle, a heavenly stem then an earthly branch ("Tết Đinh Dậu"): "Đinh" is also a family name
_CYCLE_YEAR = re.compile(r"(?:Giáp|Ất|Bính|Đinh|Mậu|Kỷ|Canh|Tân|Nhâm|Quý) (?:Tý|Sửu|Dần|Mão|Mẹo|Thìn|Tỵ|Tị|Ngọ|Mùi|Thân|Dậu|Tuất|Hợi)")


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
            # "Ukraine Volodymyr Zelensky"; not a family name, whose own mention is a short form ("lão Tôn")
            while kind in ("People", "Other names") and len(words) > 2 and words[0] not in SURNAMES and _alone(words[0], whole):
                words.pop(0)
            name = " ".join(words)
            if found.get(name, "Other names") == "Other names":  # a kind a cue or the glossary gives is kept
                found[name] = kind
    return [{"kind": kind, "name": name} | ({"short": True} if kind == "People" and " " not in name and name not in glossary.people else {})
            for name, kind in found.items()]


def _in_text(text: str, glossary: Glossary):
    spans = glossary.find(text)
    cues: dict[int, str] = {}  # where a cue ends -> the kind of name that may follow it
    for k, (start, end, english) in enumerate(spans):
        heading = glossary.kinds.get(text[start:end], "")
        if heading == _TITLES:
            cues[end] = "People"
        elif heading in KINDS and not (KINDS[heading] == "People" and _named_after(text, start)) and not (
                heading == _SOURCES and _credit(text, start, agency=True, end=end)) and not (
                heading == "institutions" and text.startswith("Bộ ", start) and _abroad(text, spans[k + 1 : k + 2], end, glossary)):
            yield KINDS[heading], english
    words = _cue_words(text)
    places = [match for match in words if _CUE_KIND[match.group()] == "Places"]
    starts = {match.end() for match in words if match.group()[0].isupper()}  # capitalised to start a sentence
    for match in words:
        cues.setdefault(match.end(), _CUE_KIND[match.group()])
    span_at = {start: (end, glossary.kinds.get(text[start:end], "")) for start, end, _ in spans}
    yield from _cued(text, cues, starts, span_at, glossary)
    yield from _by_surname(text, spans, set(cues))  # after the cued names: a cue says best what a name is
    yield from _foreign(text, spans)
    yield from _defined(text, spans)
    yield from _local(text, places, span_at)
    yield from _schools(text, span_at)


def _abroad(text: str, following: list, end: int, glossary: Glossary) -> bool:
    """Whether a ministry the glossary names for Vietnam, ending at `end`, is another country's:
    the term `following` it right after a space is a country other than Vietnam ("Bộ Quốc phòng Nga")."""
    return bool(following) and following[0][0] == end + 1 and text[end] == " " and following[0][2] != "Vietnam" and (
        glossary.kinds.get(text[following[0][0] : following[0][1]]) == "countries")


def _cued(text: str, cues: dict[int, str], starts: set[int], span_at: dict, glossary: Glossary):
    """The names right after the cues (where a cue ends → the kind it says; `starts`: cues that
    start a sentence), that are not glossary terms and, for places, of two words at least."""
    for end, kind in sorted(cues.items()):
        # a glossary name right after a title qualifies it: "Người phát ngôn Điện Kremlin Dmitry Peskov"
        while kind == "People" and text[end : end + 1] == " " and end + 1 in span_at:
            end = span_at[end + 1][0]
        name = _name_after(text, end, span_at, joined=kind == "Places", brands=kind == "Organisations")
        if end in starts and name and "-" in name:  # "Bà Rịa-Vũng Tàu" starts a sentence with a province
            continue
        if kind == "People" and name and _cut_to_initial(text, name.split(" "), text.find(name, end)):
            continue
        if name and name not in glossary.terms and (" " in name or kind != "Places"):
            yield kind, name


def _cue_words(text: str) -> list[re.Match]:
    """The cues of a text, but not an organisation's word inside a longer name ("Tổng công ty
    Cảng Hàng không": a capitalised word before it in mid-sentence)."""
    return [match for match in _CUE.finditer(text) if not (
        _CUE_KIND[match.group()] == "Organisations" and _WORD_BEFORE_CUE.search(text, max(0, match.start() - 30), match.start()))]


# a photo's, a graphic's or a text's credit ("Ảnh: AFP/TTXVN", "(Đồ họa: BBC)", "Ảnh: Hoàng Hùng – TTXVN"): its
# source is not what the article is about (and, common as it is, would tie unrelated articles together)
_CREDIT = re.compile(rf"(?:(?:{CREDIT_LABEL}|nguồn)\s*:[^.!?:()]{{0,40}}|/\s*)$", re.IGNORECASE)
_SIGNED = re.compile(r"\w\s+[–-]\s+$")  # an agency after its photographer: "Hoàng Hùng – TTXVN"
# an agency signing the text at its end, alone or before another source: "Sỹ Tuyên (TTXVN)", "TTXVN/Tin Tức"
_SIGNS_OFF = re.compile(r"(?:\)|/[^.!?]{0,40})\s*$")


def _credit(text: str, start: int, agency: bool = False, end: int = 0) -> bool:
    """Whether the name at text[start:end] is a credit's source, not a mention (`agency`: a
    news agency's or an outlet's name, which may also sign a photographer's credit or the text)."""
    return bool(_CREDIT.search(text, max(0, start - 45), start) or agency and (
        _SIGNED.search(text, max(0, start - 5), start) or _SIGNS_OFF.match(text, end)))


def _named_after(text: str, start: int, words: frozenset[str] = _NOT_A_PERSON) -> bool:
    """Whether the name at `start` is that of a street, a bridge, a school… named after a person
    ("đường Hồ Chí Minh"), not the person (`words`: those that say so, right before the name)."""
    before = _WORD.findall(text[max(0, start - 20) : start])
    return bool(before) and before[-1].lower() in words


def _longest_first(words) -> str:
    """Words as one alternation, the longest first ("Tổng công ty" before "Công ty")."""
    return "|".join(map(re.escape, sorted(words, key=len, reverse=True)))


# Words that start an organisation's name, before a capitalised word ("Ngân hàng Đầu tư…",
# "Quỹ Tiền tệ Quốc tế"; "Bộ luật" is a law)
_ORGANISATION = ("Ngân hàng", "Tổ chức", "Quỹ", "Hiệp hội", "Tổng cục", "Cục", "Ủy ban", "Uỷ ban", "Viện",
                 "Trung tâm", "Công ty", "Tập đoàn", "Tổng công ty", "Liên minh", "Liên đoàn", "Hội đồng",
                 "Cơ quan", "Bộ", "Sở", "Học viện", "Đại học", "Diễn đàn")
_HEAD = re.compile(rf"(?<!\w)(?:{_longest_first(_ORGANISATION)}) (?=\w)")
_VERBS = frozenset("có là đã sẽ đang được bị với khi thì mà".split())  # words of a sentence, not of a name
_ACRONYM = re.compile(r"\(([A-ZĐ][A-ZĐ0-9&]{1,7})\)")
_NAME_BEFORE = re.compile(r"[^(),.;:!?\"“”\n]{0,80} $")


def _defined(text: str, spans: list):
    """Organisations whose acronym the text defines after their name: "Ngân hàng Đầu tư cơ sở
    hạ tầng châu Á (AIIB)" (the name from the nearest word before it that starts an
    organisation's: "Bộ Công thương họp với Tập đoàn Dầu khí Việt Nam (PVN)" defines PVN)."""
    for acronym in _ACRONYM.finditer(text) if "(" in text else ():
        before = _NAME_BEFORE.search(text, max(0, acronym.start() - 81), acronym.start())
        heads = list(_HEAD.finditer(text, before.start(), acronym.start())) if before else []
        if not heads or not text[heads[-1].end() : heads[-1].end() + 1].isupper():
            continue
        start = heads[-1].start()
        name = text[start : acronym.end()]
        if not _VERBS & set(name.split()) and not any(term == start for term, _, _ in spans):
            yield "Organisations", name  # unless the glossary names it ("Quỹ Tiền tệ Quốc tế (IMF)")


# Words that start the name of a province's or a district's own body, which ends with the place
# ("Công an tỉnh Hà Nam", "Bệnh viện Đa khoa tỉnh Kon Tum", "UBND TP Hà Nội", "TAND TP.HCM")
_LOCAL_BODY = ("Công an", "Bệnh viện", "Sở", "Cục", "Chi cục", "Tòa án nhân dân", "TAND", "Viện kiểm sát nhân dân",
               "VKSND", "Ủy ban nhân dân", "UBND", "Hội đồng nhân dân", "HĐND", "Hải quan", "Tỉnh ủy", "Thành ủy",
               "Huyện ủy", "Bộ Chỉ huy Quân sự", "Trường")
_LOCAL = re.compile(rf"(?<!\w)(?:{_longest_first(_LOCAL_BODY)})((?: [^\W\d_&]+(?:&[^\W\d_]+)?){{0,5}}) $")


def _local(text: str, places: list[re.Match], span_at: dict):
    """A province's or a district's own body, named with its place (`places`: where place words
    are): the words that start such a name, then its own words (`_body_before`), then the place
    word and the place; or a glossary place with no place word ("Công an Hà Nội", "Thành ủy
    TP.HCM"); or a party committee with the place right after it ("Huyện ủy Thường Xuân")."""
    for cue in places:
        if not (match := _body_before(text, cue.start())):
            continue
        if cue.start() in span_at:  # the place word is part of a glossary name: "TP.HCM", "TP Hồ Chí Minh"
            end = span_at[cue.start()][0]
        elif (found := span_at.get(cue.end() + 1, span_at.get(cue.end()))) is not None:  # "tỉnh Hà Nam", a glossary place
            end = found[0]
        elif place := _name_after(text, cue.end(), {}, joined=True):
            last = place.split(" ")[-1]
            end = text.index(last, cue.end()) + len(last)
        else:
            continue
        yield "Organisations", text[match.start() : end]
    for start, (end, heading) in span_at.items():
        if heading in _PLACES and (match := _body_before(text, start)):
            yield "Organisations", text[match.start() : end]
    for committee in _COMMITTEE.finditer(text) if "ủy" in text or "uỷ" in text else ():
        if place := _name_after(text, committee.end(), span_at, joined=True):
            yield "Organisations", f"{committee.group()} {place}"


def _body_before(text: str, at: int) -> re.Match | None:
    """The local body whose name runs up to `at`: the words that start such a name, then its
    own capitalised words (`Đa khoa`, `Tài nguyên và Môi trường`; none may be "tại", "của"…:
    "Công an bắt … tại tỉnh" names no body; "và" only between two capitalised words)."""
    match = _LOCAL.search(text, max(0, at - 60), at)
    own = match.group(1).split() if match else []
    if not match or own and (not own[0][0].isupper() or any(
            word.lower() in _FUNCTION_WORDS and not (word == "và" and own[k + 1 : k + 2] and own[k + 1][0].isupper())
            for k, word in enumerate(own))):
        return None
    return match


_PLACES = ("provinces", "capitals and places")  # the glossary headings of places a local body is named after
# a party committee, named after the place it leads right after it ("Huyện ủy Thường Xuân", "Tỉnh ủy Thanh Hóa")
_COMMITTEE = re.compile(r"(?<!\w)(?:Tỉnh|Thành|Huyện|Quận|Thị) (?:ủy|uỷ)(?= )")


# a school or a university, by its head and level: "Trường THCS Ngô Tất Tố", "trường THPT Nguyễn Hữu Huân", "Đại học FPT"
_SCHOOL = re.compile(r"(?<!\w)(?:[Tt]rường(?: (?:THCS|THPT|PTTH|PTDTNT|[Tt]iểu học|[Mm]ầm non|[Tt]rung học cơ sở|"
                     r"[Tt]rung học phổ thông|[Đđ]ại học|[Cc]ao đẳng|[Cc]huyên))+|Đại học|Học viện)(?= )")


_UNIVERSITY = re.compile(r"Trường [Đđ]ại học|Trường [Cc]ao đẳng")  # one name with or without "Trường"


def _schools(text: str, span_at: dict):
    """Schools and universities by their whole name, written with a capital: the head and its
    level, then the name's capitalised words (`span_at`: where glossary terms start; an
    organisation's rules: one word only if no Vietnamese name starts with it, so "Đại học Bách
    khoa" is not cut to "Đại học Bách")."""
    for head in _SCHOOL.finditer(text) if "rường" in text or "ọc" in text else ():
        name = _name_after(text, head.end(), span_at, brands=True)
        if name and text.startswith(name, head.end() + 1):
            school = head.group()[0].upper() + head.group()[1:]
            yield "Organisations", f"{school.removeprefix('Trường ') if _UNIVERSITY.match(school) else school} {name}"


def _by_surname(text: str, spans: list, cued: set[int]):
    """People named by a full name led by a common family name (SURNAMES), where no cue or
    glossary term already says what the words name."""
    middle = _THI_RUN.finditer(text) if " Thị " in text else ()  # "Khúc Thị Hiền": three words at least
    for match, least in chain(((m, 2) for m in _SURNAME_RUN.finditer(text)), ((m, 3) for m in middle)):
        words = []
        for word in match.group().split(" "):
            if not _capitalised(word) or word.lower() in _FUNCTION_WORDS:
                break
            words.append(word)
        if (len(words) < least or words[-1] == "Thị" or _CYCLE_YEAR.fullmatch(" ".join(words[:2]))  # "Nguyễn Thị L."
                or _cut_to_initial(text, words, match.start())  # "anh Trần Văn C (Hà Nội)"
                or match.start() - 1 in cued or _in_term(spans, match.start(), match.end()) or _credit(text, match.start())):
            continue
        if _named_after(text, match.start()) or _among_places(text, match.start(), match.start() + len(" ".join(words))):
            continue
        yield "People", " ".join(words)


def _foreign(text: str, spans: list):
    """Foreign names: two to four capitalised words of which none can be a Vietnamese syllable
    ("Mark Zuckerberg", "Rowan Atkinson", "Goldman Sachs"), outside the glossary's terms and not
    the tail of a longer one ("Science for Social Good"). A glossary term or a function word
    before the name is not part of it ("Nga Vladimir Putin": the country, then its president;
    "Theo Daily Mail"), nor a media label after it ("Kaka Video"), and a name before a model's
    code is a product's ("Pilatus Porter PC-6"). What they name is not known: they are filed
    under Other names."""
    for match in _FOREIGN_RUN.finditer(text):
        words, start = match.group().split(), match.start()
        if all(map(is_syllable, words)):  # most runs: Vietnamese words, capitalised
            continue
        while words and (words[0].lower() in _FUNCTION_WORDS or _in_term(spans, start, start + len(words[0]))):
            start += len(words.pop(0)) + 1
        if words and words[-1] in _MEDIA:
            words.pop()
        name = " ".join(words)
        end = start + len(name)
        if (len(words) < 2 or any(is_syllable(w) for w in words) or _in_term(spans, start, end)
                or _named_after(text, start, _SHIP) or _TAIL.search(text, max(0, start - 30), start)
                or _credit(text, start) or _MODEL.match(text, end)):
            continue
        yield "Other names", name


_INITIAL = re.compile(r" [A-ZĐ]\.?(?![\w.])")  # a name cut to its initial, as news writes a private person's


def _cut_to_initial(text: str, words: list[str], start: int) -> bool:
    """A private person's name as news cuts it: before an initial ("ông Nguyễn Văn N (hộ nghèo)",
    "bà Trần Thị S."), or ending in one that is no syllable ("anh Đoàn Văn Ch.", "bà Mã Bửu Ng")."""
    last = words[-1]
    return bool(_INITIAL.match(text, start + len(" ".join(words)))) or (
        len(words) > 1 and len(last) <= 3 and not is_syllable(last) and all(map(is_syllable, words[:-1])))


_MEDIA = frozenset("Video Clip Photo".split())  # a label a caption or a player puts after a name
_MODEL = re.compile(r" [A-Z]{1,4}-?\d{1,4}\b")  # a model's code: "PC-6", "A320", "F-35"
_SURNAME_RUN = re.compile(rf"(?<![\w-])(?:{'|'.join(sorted(SURNAMES))})(?: [^\W\d_]+){{1,3}}")
_TAIL = re.compile(r"[A-Z]\w* (?:of|for|and|the|de|du|da|del|van|von|la|le) \Z")  # "Science for Social Good"
_THI_RUN = re.compile(r"(?<![\w-])[^\W\d_]+ Thị(?: [^\W\d_]+){1,2}")
# a foreign name's word ("Zuckerberg", "Lyon-Bowes", "Jae-in", "Lloyd’s"), an initial only inside it ("George W. Bush")
_FOREIGN_WORD = r"[A-Z][a-z]+(?:['’][a-z]+)?(?:-[A-Za-z][a-z]+)*"
_FOREIGN_RUN = re.compile(rf"(?<![\w-]){_FOREIGN_WORD}(?: (?:[A-Z]\. )?{_FOREIGN_WORD}){{1,3}}(?!\w|-\w)")


def _in_term(spans: list, start: int, end: int) -> bool:
    """Whether the words text[start:end] overlap a glossary term (that term says what they name):
    the last term starting before `end` (terms are in order and do not overlap) ends after `start`."""
    k = bisect_left(spans, end, key=itemgetter(0))
    return k > 0 and spans[k - 1][1] > start


def _among_places(text: str, start: int, end: int) -> bool:
    """Whether a name is an item of a list of names not led by family names ("các phường Lĩnh
    Nam, Trần Phú, Thịnh Liệt"; "Đống Đa, Hoàng Mai, Hà Đông"): a list of places, then. A
    neighbour is the run of capitalised words next to the comma ("trên, Khúc Thị Hiền": none)."""
    before, comma, gap = text[max(0, start - 60) : start].rpartition(",")
    comma = comma and not gap.strip()  # right before the name
    after = re.match(r"\s*,((?:\s*[^\W\d_]+)+)", text[end : end + 60])
    neighbours = [list(takewhile(_name_word, reversed(before.split())))[::-1] if comma else [],
                  list(takewhile(_name_word, after.group(1).split())) if after else []]
    return any(words and words[0] not in SURNAMES for words in neighbours)


def _name_word(word: str) -> bool:
    """A word of a name, nothing around it ("Pharma)" ends a bracket)."""
    return bool(_WORD.fullmatch(word)) and _capitalised(word)


def _name_after(text: str, end: int, stops: dict, joined: bool = False, brands: bool = False) -> str | None:
    """The run of capitalised words right after `end` (separated from it by a space, or against
    an abbreviation's dot), up to the next glossary term (`stops`: where terms start); `joined`:
    a dash may join two names into one place ("Bà Rịa - Vũng Tàu"; after a person's name it
    starts a title); `brands`: an organisation's, which may be written in capitals or with one
    inside ("VNG", "MoMo") after its legal form ("công ty TNHH …"), is one word only if that
    word cannot be the first of a Vietnamese name ("Apple", not "Tiếng" of "Tiếng nói"), and
    is none where it goes on after a lower-case word ("Cảng Hàng không Việt Nam")."""
    if brands and (legal := _LEGAL.match(text, end)):
        end = legal.end()
    glued = text[end - 1 : end] == "." and text[end : end + 1].isalpha()  # "TP.Phủ Lý"
    words: list[str] = []
    while step := _next_word(text, end, stops, not words, glued, joined, brands):
        added, end = step
        words += added
    if brands and not _whole_brand(words, text, end):
        return None
    if len(words) > 1 and words[-1] in _TIME_OF_DAY and _DATE_NEXT.match(text, end):
        words.pop()
    after = _WORD.match(text, end + 1) if text.startswith(" ", end) else None
    return _tidy(words, after.group() if after else "", joined)


def _next_word(text: str, end: int, stops: dict, first: bool, glued: bool, joined: bool, brands: bool):
    """The next word of a name that has reached `end`, with where it ends, or None (see
    _name_after); a name's first word starts no glossary term ("Tống Văn Nga" may hold one)."""
    if glued and first:
        match = _WORD.match(text, end) if end not in stops else None
    elif not text.startswith(" ", end) or first and end + 1 in stops:
        return None
    elif joined and not first and (dash := re.match(r" ?[-–] ?(?=\w)", text[end : end + 4])) and dash.end() > 1:
        match = _WORD.match(text, end + dash.end())  # one place of two names: "Bà Rịa - Vũng Tàu", "Bà Rịa -Vũng Tàu"
        return (["-", match.group()], match.end()) if match and _capitalised(match.group()) else None
    else:
        match = _WORD.match(text, end + 1)
    if not match or not (_capitalised(match.group()) or brands and _BRAND.fullmatch(match.group())):
        return None
    return [match.group()], match.end()


def _whole_brand(words: list[str], text: str, end: int) -> bool:
    """Whether an organisation's name after its word is whole: not one word that can start a
    Vietnamese name ("Tiếng" of "Tiếng nói"), not cut before a lower-case word of its own."""
    return not (len(words) == 1 and is_syllable(words[0])) and not _RUNS_ON.match(text, end)


# a name that goes on after a lower-case word of its own ("Cảng Hàng không Việt Nam"): not cut short
_RUNS_ON = re.compile(rf" (?!(?:{'|'.join(sorted(_FUNCTION_WORDS))}) )[^\W\d_A-ZĐ]\w* [A-ZĐ]")
_LEGAL = re.compile(r"(?: (?:TNHH|MTV|CP|cổ phần|trách nhiệm hữu hạn)(?= ))+")  # a company's legal form
_BRAND = re.compile(r"[A-ZĐ]{2,8}|[A-Z][a-z]+[A-Z]\w*")  # "VNG", "HOSE", "MoMo", "VinFast"


def _tidy(words: list[str], after: str, joined: bool) -> str | None:
    """A run of capitalised words as a name: without a title run on to it by a dash, or the
    words of a headline run on after it; a joined place spelled one way. `after`: the next word."""
    if words and "-" in words[-1] and words[-1].split("-")[1][:1].isupper() and after.islower():  # "Nguyễn Hồng Lĩnh-Ủy viên …"
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
    """Written as a name's word is: a capital, then lower case ("Zelensky", not "ATM", "THS",
    "S"); a part after a hyphen may be all lower case ("Jae-in")."""
    first, *rest = re.split(r"[-'’]", word)
    return len(word) > 1 and first[:1].isupper() and first[1:] == first[1:].lower() and all(
        part[1:] == part[1:].lower() for part in rest)


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
