"""Measure extraction against hand-made gold annotations (`summarize eval clean`)."""

from __future__ import annotations

import json
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from .reader import read_article


@dataclass
class CleanScore:
    file: str
    precision: float
    recall: float
    f1: float
    title_match: bool
    date_match: bool


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


def evaluate_clean(gold_dir: Path, inputs: Path, suffix: str | None = None) -> list[CleanScore]:
    """Score the cleaner on every gold file in gold_dir whose input is in `inputs`;
    `suffix` (e.g. ".html"): read each page in that form instead of the one the gold names."""
    scores = []
    for gold_file in sorted(Path(gold_dir).glob("*.json")):
        gold = json.loads(gold_file.read_text(encoding="utf-8"))
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
                title_match=_same(article.title, gold.get("title")),
                date_match=_same(article.published, gold.get("published")),
            )
        )
    return scores


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


def _pairs(groups) -> set[frozenset[str]]:
    return {frozenset((a, b)) for members in groups for a in members for b in members if a < b}


def pair_score(predicted, gold) -> PairScore:
    found, wanted = _pairs(predicted), _pairs(gold)
    right = len(found & wanted)
    precision = right / len(found) if found else float(not wanted)
    recall = right / len(wanted) if wanted else float(not found)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return PairScore(precision, recall, f1, len(wanted))


def read_group_gold(path: Path) -> tuple[dict[str, list[str]], dict[str, str]]:
    """A labelled folder's gold.yaml: {story: [files]} and {copy: original}."""
    from .settings import read_yaml

    data = read_yaml(path, "gold file") or {}
    stories = {str(k): [str(f) for f in v] for k, v in (data.get("stories") or {}).items()}
    copies = {str(k): str(v) for k, v in (data.get("copies") or {}).items()}
    return stories, copies


def evaluate_groups(gold_file: Path, glossary) -> GroupScore:
    """Duplicates and stories found in the articles of gold_file's folder, scored against it."""
    from .entities import find_entities
    from .stories import arrange

    stories, copies = read_group_gold(gold_file)
    files = sorted({f for members in stories.values() for f in members})
    articles = []
    for name in files:
        article = read_article(gold_file.parent / name, name)
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
                      pair_score(found_stories, stories.values()), len(merged))
