"""Accuracy of the geocoder on the gazetteer's own point sources.

Run as ``python benchmarks/geocoder_accuracy.py [--sample N]``. Every village
and town of the point sources (the village list, GeoNames cities5000 and
cities1000) is geocoded by name with the province its source gives, as a
dataset's location column would be (``role="place"``), and the answer is
compared with the district that holds the source's own point:

* **right**: that district;
* **province**: a province-level answer (or none): safe, not precise;
* **wrong**: another district (by cause: how the answer was found).

Three runs: the names as spelt; the names with one plausible misspelling;
and the towns with every town name taken out of the gazetteer (``holdout``:
places the tables do not hold, the commonest case in real datasets).
Data come from ``GEO_DATA_MIRROR`` (default ``../shared/data``).
"""

import argparse
import os
import random
import sys
from pathlib import Path

import pandas as pd

REPO_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_DIR))
sys.path.insert(0, str(REPO_DIR / "benchmarks"))
os.environ.setdefault("GEO_DATA_MIRROR", str((REPO_DIR / ".." / "shared" / "data").resolve()))

from bench_geocode import mistranscribe  # noqa: E402

from geo import gazetteer, geocoder  # noqa: E402
from geo._gazetteer import table, towns, villages  # noqa: E402


def point_places():
    """Villages and towns: ``name``, ``province`` (as their source names it), ``expected`` district."""
    located, _ = villages.located_villages()
    village_rows = located.assign(province=located["list_province"], kind="village")
    cities = table.locate(towns.read_cities1000()).assign(province=lambda frame: frame["admin1"], kind="town1000")
    big = table.locate(towns._read_cities5000())
    big = big.assign(province=big["province_pcode"], kind="town5000")  # cities5000 has no province: its pcode
    places = pd.concat([village_rows, cities, big], ignore_index=True)[["name", "province", "pcode", "kind"]]
    places = places.rename(columns={"pcode": "expected"})
    places = places[places["name"].fillna("").str.strip().str.len() > 1]
    return places.drop_duplicates(["name", "province", "expected"]).reset_index(drop=True)


def score(places, gazetteer_table=None):
    """Geocode `places`; add ``outcome`` (right/province/wrong) and ``cause``."""
    result = geocoder.geocode_frame(places, "name", "province", role="place", gazetteer=gazetteer_table)
    district = result["level"] == "district"
    right = district & (result["pcode"] == result["expected"])
    outcome = pd.Series("province", index=result.index).mask(right, "right").mask(district & ~right, "wrong")
    cause = result["match_type"].astype(str) + "/" + result["source"].astype(str).str.replace(r":.*", "", regex=True)
    neighbour = result["reason"].fillna("").str.contains("neighbouring")
    cause = cause.mask(neighbour, "neighbouring province")
    capital = result["reason"].fillna("").str.contains("named like its province")
    cause = cause.mask(capital, "named like its province")
    return result.assign(outcome=outcome, cause=cause.where(outcome == "wrong", ""))


def report(label, scored):
    counts = scored["outcome"].value_counts()
    total = len(scored)
    parts = ", ".join(
        f"{kind} {counts.get(kind, 0):,} ({counts.get(kind, 0) / total:.1%})" for kind in ("right", "province", "wrong")
    )
    print(f"{label}: {total:,} places: {parts}")
    wrong = scored[scored["outcome"] == "wrong"]
    if len(wrong):
        causes = wrong["cause"].value_counts().head(8)
        print("  wrong districts by cause: " + ", ".join(f"{cause} {count}" for cause, count in causes.items()))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=int, default=0, help="geocode a random sample of N places (default all)")
    arguments = parser.parse_args()
    places = point_places()
    if arguments.sample:
        places = places.sample(min(arguments.sample, len(places)), random_state=1).reset_index(drop=True)
    report("as spelt", score(places))
    rng = random.Random(7)
    misspelt = places.assign(name=[mistranscribe(name, rng) for name in places["name"]])
    report("misspelt", score(misspelt))
    full = gazetteer.load_gazetteer()
    without_towns = gazetteer.Gazetteer(
        names=full.names[~full.names["source"].str.startswith("geonames")].reset_index(drop=True),
        districts=full.districts,
        provinces=full.provinces,
        cache_key=full.cache_key + "-holdout",
    )
    town_places = places[places["kind"] != "village"].reset_index(drop=True)
    report("towns, held out of the gazetteer", score(town_places, without_towns))


if __name__ == "__main__":
    main()
