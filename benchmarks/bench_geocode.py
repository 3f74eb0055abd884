"""Benchmark the gazetteer and the geocoder.

Run as ``python benchmarks/bench_geocode.py [--rows 100000]``. It prints

* the gazetteer load time, cold (an empty cache folder: the data files are
  copied from the mirror and verified, the name table is built and stored as
  Parquet) and warm (the Parquet files are read), each in a fresh Python process;
* the batch speed of :func:`geo.geocoder.geocode_frame` in names per second,
  for N mixed names (exact spellings from every source, mistranscribed
  variants, unknown strings; most with a province), once with the repeats a
  news corpus has and once with few repeats (the worst case, where
  de-duplication helps little and most leftovers are fuzzy-matched).

Data come from ``GEO_DATA_MIRROR`` (default: ``../shared/data`` beside the
repository); caches go to a temporary folder, removed at the end.
"""

import argparse
import os
import random
import string
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO_DIR = Path(__file__).resolve().parent.parent
DEFAULT_MIRROR = (REPO_DIR / ".." / "shared" / "data").resolve()
# Measure this checkout's code, whichever one `pip install -e` last pointed at.
sys.path.insert(0, str(REPO_DIR))

# Timed in a fresh process so that nothing is cached in memory.
_LOAD_SCRIPT = """
import time
started = time.perf_counter()
from geo import gazetteer
imported = time.perf_counter()
table = gazetteer.load_gazetteer()
loaded = time.perf_counter()
print(f"{imported - started:.3f} {loaded - imported:.3f} {len(table.names)}")
"""


def time_load(environment):
    """Return (import seconds, load seconds, names) from a fresh process."""
    output = subprocess.run(
        [sys.executable, "-c", _LOAD_SCRIPT], env=environment, capture_output=True, text=True, check=True
    ).stdout.split()
    return float(output[0]), float(output[1]), int(output[2])


def mistranscribe(name, rng):
    """One plausible spelling mistake (as in tests/test_geocoder.py)."""
    swaps = [
        ("a", "e"),
        ("e", "i"),
        ("o", "u"),
        ("u", "oo"),
        ("i", "ee"),
        ("q", "k"),
        ("gh", "g"),
        ("y", "i"),
        ("kh", "k"),
        ("a", "aa"),
        ("i", "e"),
        ("sh", "ch"),
    ]
    lower = name.lower()
    kind = rng.randrange(4)
    if kind == 0:
        options = [(a, b) for a, b in swaps if a in lower]
        if options:
            a, b = rng.choice(options)
            at = lower.index(a)
            return name[:at] + b + name[at + len(a) :]
    if kind == 1 and len(name) > 4:
        at = rng.randrange(1, len(name))
        return name[: at - 1] + name[at:]
    if kind == 2 and len(name) > 3:
        at = rng.randrange(1, len(name) - 1)
        return name[:at] + name[at + 1] + name[at] + name[at + 2 :]
    at = rng.randrange(len(name))
    return name[:at] + name[at] + name[at:]


def make_queries(names_table, provinces, rows, *, unique, seed=7):
    """A DataFrame of `rows` queries: 50% exact, 30% variants, 20% unknown.

    With `unique`, every variant and unknown name is drawn afresh (the exact
    names repeat only as often as the gazetteer is small); otherwise the rows
    repeat a pool of a few thousand places, as a news corpus does.
    """
    import pandas as pd

    rng = random.Random(seed)
    latin = names_table[names_table["key"].str.fullmatch(r"[a-z0-9]+")].drop_duplicates("name")
    # Mostly district and province names, some towns and villages.
    known = pd.concat(
        [
            latin[latin["rank"] <= 1].sample(6000, replace=True, random_state=seed),
            latin[latin["rank"] == 2].sample(1000, replace=True, random_state=seed),
            latin[latin["rank"] == 3].sample(3000, replace=False, random_state=seed),
        ]
    )[["name", "province_pcode"]].reset_index(drop=True)
    province_names = provinces["province"].to_dict()

    def with_province(name, code):
        # 70% of the rows carry their province, in OCHA's spelling.
        return (name, province_names[code] if rng.random() < 0.7 else None)

    exact_count, variant_count = int(rows * 0.5), int(rows * 0.3)
    unknown_count = rows - exact_count - variant_count
    if unique:
        picks = [known.iloc[rng.randrange(len(known))] for _ in range(exact_count)]
        exact = [with_province(row["name"], row["province_pcode"]) for row in picks]
        variants = [
            with_province(mistranscribe(row["name"], rng) + rng.choice(["", "", " ", "-e"]), row["province_pcode"])
            for row in (known.iloc[rng.randrange(len(known))] for _ in range(variant_count))
        ]
        unknown = [
            ("".join(rng.choices(string.ascii_lowercase, k=rng.randrange(5, 14))).title(), None)
            for _ in range(unknown_count)
        ]
    else:
        # A news corpus repeats a few thousand places.
        pool = known.sample(3000, random_state=seed).reset_index(drop=True)
        variant_pool = [
            (mistranscribe(row["name"], rng), row["province_pcode"])
            for _, row in pool.sample(2000, random_state=seed).iterrows()
        ]
        unknown_pool = [
            "".join(rng.choices(string.ascii_lowercase, k=rng.randrange(5, 12))).title() for _ in range(1000)
        ]
        exact = [
            with_province(*pool.iloc[rng.randrange(len(pool))][["name", "province_pcode"]]) for _ in range(exact_count)
        ]
        variants = [with_province(*variant_pool[rng.randrange(len(variant_pool))]) for _ in range(variant_count)]
        unknown = [(unknown_pool[rng.randrange(len(unknown_pool))], None) for _ in range(unknown_count)]
    queries = exact + variants + unknown
    rng.shuffle(queries)
    return pd.DataFrame(queries, columns=["name", "province"])


def time_batch(queries):
    from geo import geocoder

    started = time.perf_counter()
    result = geocoder.geocode_frame(queries)
    elapsed = time.perf_counter() - started
    return elapsed, result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000, help="names per batch (default 100000)")
    arguments = parser.parse_args()

    mirror = os.environ.get("GEO_DATA_MIRROR") or str(DEFAULT_MIRROR)
    with tempfile.TemporaryDirectory(prefix="geo-bench-") as cache:
        python_path = os.pathsep.join(filter(None, [str(REPO_DIR), os.environ.get("PYTHONPATH")]))
        environment = dict(
            os.environ, GEO_DATA_MIRROR=mirror, GEO_CACHE_DIR=cache, GEO_PROGRESS="0", PYTHONPATH=python_path
        )
        os.environ.update(GEO_DATA_MIRROR=mirror, GEO_CACHE_DIR=cache)

        print("gazetteer load (fresh process each)")
        imported, cold, count = time_load(environment)
        print(
            f"  cold (empty cache: copy + verify data, build, Parquet): {cold:6.2f} s   ({count} names; import {imported:.2f} s)"
        )
        imported, warm, _ = time_load(environment)
        print(f"  warm (Parquet from the cache):                         {warm:6.3f} s   (import {imported:.2f} s)")

        from geo import gazetteer, settings

        settings.data_mirror, settings.cache_dir = Path(mirror), Path(cache)
        table = gazetteer.load_gazetteer()
        for label, unique in (("with a news corpus' repeats", False), ("with few repeats", True)):
            queries = make_queries(table.names, table.provinces, arguments.rows, unique=unique)
            distinct = len(queries.drop_duplicates())
            elapsed, result = time_batch(queries)
            types = result["match_type"].value_counts()
            summary = ", ".join(
                f"{kind} {types.get(kind, 0)}"
                for kind in ("exact", "word_order", "skeleton", "fuzzy", "province", "ambiguous", "none")
            )
            print(f"geocode_frame, {len(queries):,} names {label} ({distinct:,} distinct name/province pairs)")
            print(f"  {elapsed:6.2f} s = {len(queries) / elapsed:,.0f} names/s")
            print(f"  {summary}")


if __name__ == "__main__":
    main()
