"""Extraction on pages the cleaner was not written next to: the line method alone against
trafilatura's main content, on the same HTML pages and gold (tests/fixtures/extraction), and
the line method on the same pages as plain text. Prints docs/extraction.md's table.

    python bench/extraction.py
"""

from __future__ import annotations

import json
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from summarize.evaluation import body_prf  # noqa: E402
from summarize.reading.cleaner import clean  # noqa: E402

METHODS = {
    "plain text, line method": (".txt", False),
    "HTML, line method alone": (".html", False),
    "HTML, trafilatura's main content (as shipped)": (".html", True),
}


def scores(half: Path, suffix: str, main_content: bool) -> list[float]:
    out = []
    for gold_file in sorted(half.glob("*.json")):
        gold = json.loads(gold_file.read_text(encoding="utf-8"))
        page = gold_file.with_suffix(suffix).read_text(encoding="utf-8")
        out.append(body_prf(clean(page, main_content=main_content).body, gold["body"])[2])
    return out


def main() -> None:
    halves = {name: ROOT / "tests" / "fixtures" / "extraction" / name for name in ("tune", "held-out")}
    print("| input, method | " + " | ".join(f"{name}: mean F1 (min)" for name in halves) + " |")
    print("|---|" + "---|" * len(halves))
    for method, (suffix, main_content) in METHODS.items():
        cells = [scores(half, suffix, main_content) for half in halves.values()]
        print(f"| {method} | " + " | ".join(f"{statistics.mean(c):.3f} ({min(c):.3f})" for c in cells) + " |")


if __name__ == "__main__":
    main()
