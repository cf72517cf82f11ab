"""Measure quality against labelled sets: extraction (`eval clean`), the page's metadata
(`eval metadata`), figures (`eval fidelity`), translation, and grouping (`eval groups`); and
compare summarizers on the user's own articles (`eval summaries`)."""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .errors import ConfigError
from .reading.reader import read_article


@dataclass
class CleanScore:
    file: str
    precision: float
    recall: float
    f1: float
    title_match: bool | None  # None: the gold does not say
    date_match: bool | None


def _tokens(paragraphs: list[str]) -> Counter:
    return Counter(unicodedata.normalize("NFC", " ".join(paragraphs)).split())


def body_prf(predicted: list[str], gold: list[str]) -> tuple[float, float, float]:
    """Precision, recall and F1 of the bag of whitespace tokens (NFC) of two bodies."""
    pred, ref = _tokens(predicted), _tokens(gold)
    overlap = sum((pred & ref).values())
    precision = overlap / sum(pred.values()) if pred else float(not ref)
    recall = overlap / sum(ref.values()) if ref else float(not pred)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def _same(a: str | None, b: str | None) -> bool:
    norm = lambda s: unicodedata.normalize("NFC", s).strip() if s else None
    return norm(a) == norm(b)


def _gold_files(gold_dir: Path) -> list[tuple[Path, dict]]:
    """Gold annotations: JSON files (title, published, body…), or silver bodies (`NAME.silver.txt`,
    one paragraph a line, made by a script from a site's own markup: a rough reference)."""
    found = []
    for path in sorted(Path(gold_dir).iterdir()):
        if path.suffix == ".json":
            found.append((path, json.loads(path.read_text(encoding="utf-8"))))
        elif path.name.endswith(".silver.txt"):
            lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
            found.append((path, {"file": path.name.removesuffix(".silver.txt") + ".txt", "body": [x for x in lines if x]}))
    return found


def evaluate_clean(gold_dir: Path, inputs: Path, suffix: str | None = None) -> list[CleanScore]:
    """Score the cleaner on every gold file in gold_dir whose input is in `inputs`;
    `suffix` (e.g. ".html"): read each page in that form instead of the one the gold names.
    Title and date count only where the gold gives them."""
    scores = []
    for gold_file, gold in _gold_files(gold_dir):
        source = Path(inputs) / gold.get("file", gold_file.with_suffix(".txt").name)
        if suffix:
            source = source.with_suffix(suffix)
        article = read_article(source, str(source))
        p, r, f = body_prf(article.body, gold["body"])
        scores.append(
            CleanScore(
                file=source.name,
                precision=p,
                recall=r,
                f1=f,
                title_match=_same(article.title, gold.get("title")) if "title" in gold else None,
                date_match=_same(article.published, gold.get("published")) if "published" in gold else None,
            )
        )
    return scores


METADATA_FIELDS = ("title", "outlet", "published", "byline")


@dataclass
class FieldCheck:
    """One labelled field of one page: what the truth says and what the cleaner found."""

    page: str
    field: str
    expected: str  # alternatives joined by ' || '; '-' for "the page has none"
    found: str | None
    right: bool


def read_truth(path: Path) -> list[dict[str, str]]:
    """A truth.tsv: per page its name, headline (' || ' between accepted spellings, '-' when the
    page has none), outlet host, publication date (YYYY-MM-DD) and, optionally, byline. An
    empty cell is not labelled; lines starting with # are comments."""
    rows = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if len(cells) < 4:
            raise ValueError(f"{path}:{number}: expected name, title, outlet, date and optionally byline, tab-separated")
        rows.append(dict(zip(("name", *METADATA_FIELDS), (c.strip() for c in cells))))
    return rows


def _fold(text: str | None) -> str:
    return " ".join(unicodedata.normalize("NFC", text or "").casefold().split())


def _right(field: str, expected: str, found: str | None) -> bool:
    if expected == "-":
        return found is None
    if field == "title":
        return any(_fold(found) == _fold(alternative) for alternative in expected.split(" || "))
    if field == "outlet":
        return _fold(found).removeprefix("www.") == _fold(expected).removeprefix("www.")
    if field == "published":
        return (found or "")[:10] == expected
    words = lambda text: re.findall(r"\w+", _fold(text))  # a byline: its names, whatever joins them
    return words(found) == words(expected)


def evaluate_metadata(truth: Path, pages: Path, suffix: str = ".txt") -> list[FieldCheck]:
    """Check every labelled field of every page in a truth.tsv; each page is `pages/NAME+suffix`."""
    checks = []
    for row in read_truth(truth):
        source = Path(pages) / f"{row['name']}{suffix}"
        article = read_article(source, str(source))
        for field in METADATA_FIELDS:
            if expected := row.get(field):
                found = getattr(article, field)
                checks.append(FieldCheck(source.name, field, expected, found, _right(field, expected, found)))
    return checks


def field_accuracy(checks: list[FieldCheck]) -> dict[str, tuple[int, int]]:
    """{field: (right, labelled)} in METADATA_FIELDS order."""
    return {field: (sum(c.right for c in checks if c.field == field), sum(c.field == field for c in checks))
            for field in METADATA_FIELDS if any(c.field == field for c in checks)}


@dataclass
class FidelityResult:
    vi: str
    english: str
    missing: list[str]

    @property
    def passed(self) -> bool:
        return not self.missing


def evaluate_fidelity(cases_path: Path, translator) -> list[FidelityResult]:
    """Translate each case's Vietnamese and check that every expected English form appears."""
    results = []
    for number, line in enumerate(Path(cases_path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            case = json.loads(line)
            vi, expected = case["vi"], case["expect"]
        except (json.JSONDecodeError, KeyError, TypeError):
            raise ValueError(f"{cases_path}:{number}: expected {{\"vi\": ..., \"expect\": [...]}}") from None
        english = translator.translate_texts([vi])[0][0]
        results.append(FidelityResult(vi, english, [e for e in expected if e not in english]))
    return results


@dataclass
class TranslationScore:
    model: str
    where: str  # engine, number format and device (Model.where)
    sentences: int
    bleu: float
    chrf: float
    seconds: float  # translating, model load excluded
    load_seconds: float

    @property
    def sentences_per_second(self) -> float:
        return self.sentences / self.seconds if self.seconds else 0.0


def read_parallel(sources: Path, references: Path) -> tuple[list[str], list[str]]:
    """Line-aligned Vietnamese sources and English references (blank pairs skipped); files of
    different lengths are an error, never silently cut to the shorter."""
    source_lines = Path(sources).read_text(encoding="utf-8").splitlines()
    reference_lines = Path(references).read_text(encoding="utf-8").splitlines()
    if len(source_lines) != len(reference_lines):
        raise ValueError(f"{sources} has {len(source_lines)} lines but {references} has {len(reference_lines)}")
    pairs = [(s.strip(), r.strip()) for s, r in zip(source_lines, reference_lines) if s.strip() or r.strip()]
    if not pairs:
        raise ValueError(f"{sources}: no sentences")
    return [s for s, _ in pairs], [r for _, r in pairs]


def score_translation(hypotheses: list[str], references: list[str]) -> tuple[float, float]:
    """Corpus BLEU and chrF, sacrebleu's defaults (the scores papers and model cards report)."""
    import sacrebleu

    return (sacrebleu.corpus_bleu(hypotheses, [references]).score,
            sacrebleu.corpus_chrf(hypotheses, [references]).score)


@dataclass
class PairScore:
    """Pairwise precision, recall and F1: of the pairs of articles put together, how many
    belong together, and of those that belong together, how many were put together."""

    precision: float
    recall: float
    f1: float
    pairs: int  # pairs that belong together


@dataclass
class GroupScore:
    articles: int
    duplicates: PairScore
    stories: PairScore
    merged_unrelated: int  # predicted pairs from different gold stories
    found: int  # stories found
    wanted: int  # stories in the gold


def _pairs(groups) -> set[frozenset[str]]:
    return {frozenset((a, b)) for members in groups for a in members for b in members if a < b}


def pair_score(predicted, gold) -> PairScore:
    found, wanted = _pairs(predicted), _pairs(gold)
    right = len(found & wanted)
    precision = right / len(found) if found else float(not wanted)
    recall = right / len(wanted) if wanted else float(not found)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return PairScore(precision, recall, f1, len(wanted))


def read_group_gold(path: Path, pages: Path | None = None, suffix: str = ".txt"
                    ) -> tuple[Path, dict[str, list[str]], dict[str, str]]:
    """Where a labelled day's articles are, {story: [files]} and {copy: original}. Either a
    gold.yaml (`stories:` and `copies:`, its files beside it), or a stories.tsv (a page's name
    and its story label per line; every other NAME+suffix page in `pages` is a story of its own)."""
    from .config import read_yaml

    path = Path(path)
    folder = Path(pages) if pages else path.parent
    if path.suffix == ".tsv":
        stories: dict[str, list[str]] = {}
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.strip() and not line.startswith("#"):
                name, _, label = line.partition("\t")
                if not label.strip():
                    raise ValueError(f"{path}:{number}: expected a page's name and its story, tab-separated")
                stories.setdefault(label.strip(), []).append(name.strip() + suffix)
        listed = {f for members in stories.values() for f in members}
        for page in sorted(folder.glob("*" + suffix)):
            if page.name not in listed:
                stories[page.name] = [page.name]
        return folder, stories, {}
    data = read_yaml(path, "gold file") or {}
    stories = {str(k): [str(f) for f in v] for k, v in (data.get("stories") or {}).items()}
    copies = {str(k): str(v) for k, v in (data.get("copies") or {}).items()}
    return folder, stories, copies


def evaluate_groups(gold_file: Path, glossary, pages: Path | None = None, suffix: str = ".txt") -> GroupScore:
    """Duplicates and stories found in a labelled day (read_group_gold), scored against it."""
    from .checks.entities import find_entities
    from .day.stories import arrange

    folder, stories, copies = read_group_gold(gold_file, pages, suffix)
    files = sorted({f for members in stories.values() for f in members})
    articles = []
    for name in files:
        article = read_article(folder / name, name)
        article.entities = find_entities(article, glossary)
        articles.append(article)
    groups = arrange(articles)
    originals: dict[str, list[str]] = {}
    for article in articles:
        originals.setdefault(article.copy_of or article.source, []).append(article.source)
    found_stories = [[m for s in members for m in originals[s]] for members in groups]
    gold_copies: dict[str, list[str]] = {}
    for copy, original in copies.items():
        gold_copies.setdefault(original, [original]).append(copy)
    merged = _pairs(found_stories) - _pairs(stories.values())
    return GroupScore(len(articles), pair_score(originals.values(), gold_copies.values()),
                      pair_score(found_stories, stories.values()), len(merged), len(groups), len(stories))


def floors(items: Sequence[str] | None, names: Sequence[str]) -> dict[str, float]:
    """`--floor NAME=SHARE` options as {name: share}, checked before any work (ConfigError)."""
    found = {}
    for item in items or ():
        name, _, share = item.partition("=")
        try:
            value = float(share) if name in names else None
        except ValueError:
            value = None
        if value is None:
            raise ConfigError(f"--floor {item!r}: expected NAME=SHARE with NAME one of {', '.join(names)}")
        found[name] = value
    return found


def below(floors: dict[str, float], values: dict[str, float]) -> list[str]:
    """Each measured value under its floor, as `name 0.912 (floor 0.95)`."""
    return [f"{name} {values[name]:.3f} (floor {share})" for name, share in floors.items()
            if name in values and values[name] < share]


@dataclass
class SummarizerScore:
    """One summarizer's flags over the same articles as the others (`eval summaries`): its
    flags per article of each kind, the share of articles with any flag, and its time."""

    label: str  # NAME or NAME:STYLE
    articles: int
    per_article: dict[str, float]  # flag kind -> flags per article
    flagged: float  # share of articles with at least one flag (the unused kinds aside)
    seconds: float


def score_summaries(label: str, articles: Sequence, kinds: Sequence[str], seconds: float) -> SummarizerScore:
    """The flag rates of one summarizer's finished articles."""
    counts = Counter(flag["kind"] for article in articles for flag in article.flags)
    count = max(1, len(articles))
    return SummarizerScore(label, len(articles), {kind: counts[kind] / count for kind in kinds},
                           sum(bool(article.flags) for article in articles) / count, seconds)
