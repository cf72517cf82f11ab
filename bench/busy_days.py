"""Five busy days of real news for `summarize eval groups` (docs/stories.md), rebuilt
from a clone of github.com/magizbox/scraper (a corpus of baomoi.com articles from many
outlets). The articles are the outlets' text, so they are not in this repository: only which
files make each day and the story each belongs to, labelled by hand (bench/busy-days/*.tsv).

    git clone https://github.com/magizbox/scraper /tmp/scraper
    python bench/busy_days.py /tmp/scraper /tmp/busy
    summarize eval groups /tmp/busy/feb-2017/stories.tsv

The background table (summarize/data/background.tsv.gz) was built from the same corpus's
vn_news/data with the Feb and Jul days' id ranges left out (21380000-21500000, 22690000-22730000):

    python bench/busy_days.py /tmp/scraper /tmp/busy --background /tmp/background
    python scripts/background.py /tmp/background summarize/data/background.tsv.gz
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

DAYS = Path(__file__).parent / "busy-days"
LEFT_OUT = ((21380000, 21500000), (22690000, 22730000))  # the days' id ranges, kept out of the background


def main(clone: str, out: str, *options: str) -> None:
    sources = [Path(clone) / "vn_news" / "repository" / "20170702_3000", Path(clone) / "vn_news" / "data"]
    for labels in sorted(DAYS.glob("*.tsv")):
        day = Path(out) / labels.stem
        day.mkdir(parents=True, exist_ok=True)
        stories = []
        for line in labels.read_text(encoding="utf-8").splitlines():
            if line and not line.startswith("#"):
                ident, story = line.split("\t")
                found = next(folder / f"{ident}.txt" for folder in sources if (folder / f"{ident}.txt").exists())
                shutil.copyfile(found, day / f"{ident}.txt")
                if not story.startswith("s-"):
                    stories.append(f"{ident}\t{story}")
        (day / "stories.tsv").write_text("\n".join(stories) + "\n", encoding="utf-8")
    if options[:1] == ("--background",):
        background = Path(options[1])
        background.mkdir(parents=True, exist_ok=True)
        for article in (Path(clone) / "vn_news" / "data").glob("*.txt"):
            if not any(low <= int(article.stem) < high for low, high in LEFT_OUT):
                shutil.copyfile(article, background / article.name)


if __name__ == "__main__":
    main(*sys.argv[1:])
