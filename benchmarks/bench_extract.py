"""Benchmark `geo extract`: articles per second (issue 11 asks for at least 20).

Run as ``python benchmarks/bench_extract.py [--repeat 3]``. The seed articles
(``settings.articles_dir``) are split into their single articles (a
compilation holds many) and each is extracted on its own, as ``geo extract``
reads a folder of articles; the gazetteer is loaded once before timing. It
prints the number of articles, their mean length, and articles per second
(wall clock and CPU time) of the best of ``--repeat`` runs.
"""

import argparse
import datetime as dt
import os
import sys
import time
from pathlib import Path

REPO_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_DIR))
os.environ.setdefault("GEO_DATA_MIRROR", str((REPO_DIR / ".." / "shared" / "data").resolve()))

from geo import articles, extract, settings  # noqa: E402 (after the sys.path set-up)
from geo.gazetteer import load_gazetteer  # noqa: E402 (after the sys.path set-up)


def single_articles():
    """Each seed article as its own text, with its date (or a fixed one)."""
    found = []
    for path in sorted(Path(settings.articles_dir).glob("*.txt")):
        text = articles.read_text(path)
        for number, article in enumerate(articles.articles_in_text(path.name, text)):
            found.append(
                (
                    f"{path.stem}-{number}.txt",
                    text[article.start : article.end],
                    article.published or dt.date(2019, 9, 30),
                )
            )
    return found


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    options = parser.parse_args()
    texts = single_articles()
    load_gazetteer()
    extract.extract_text("Warm-up\n\nA bomb hit Kabul on Monday.", dt.date(2019, 9, 30), source_file="w.txt")
    best = best_cpu = first_cpu = None
    for _ in range(options.repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        for name, text, published in texts:
            extract.extract_text(text, published, source_file=name)
        elapsed, cpu = time.perf_counter() - started, time.process_time() - started_cpu
        best = elapsed if best is None else min(best, elapsed)
        best_cpu = cpu if best_cpu is None else min(best_cpu, cpu)
        first_cpu = cpu if first_cpu is None else first_cpu
    mean_length = sum(len(text) for _, text, _ in texts) / len(texts)
    print(f"{len(texts)} articles, {mean_length:.0f} characters on average")
    print(f"{len(texts) / best:.1f} articles per second (best of {options.repeat}: {best:.2f} s wall clock)")
    # CPU time too: on a shared machine the wall clock counts other people's work.
    print(f"{len(texts) / best_cpu:.1f} articles per CPU second ({best_cpu:.2f} s of CPU)")
    # The first pass also normalises every new capitalised name once (cached after).
    print(f"first pass: {len(texts) / first_cpu:.1f} articles per CPU second")


if __name__ == "__main__":
    main()
