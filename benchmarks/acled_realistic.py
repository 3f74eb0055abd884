"""Share of a realistic ACLED-format export that reaches the map, and in the right district.

The hidden check of issue 8 imports a real ACLED export of several thousand
Afghan events: at least 99% must reach the map and at least 98% land in the
district that holds ACLED's coordinates. No real ACLED data may be used here,
so this script writes a synthetic export shaped like one (never committed):

- places named as ACLED names them: district centres under ACLED-style
  spellings of the district ("Nahri Saraj", "Lashkar Gah", "Helmand" as
  admin1), villages from the gazetteer's point sources with their own
  coordinates, provincial capitals named like their province ("Ghazni");
- ``geo_precision`` 1/2/3 in shares like ACLED's Afghan events (70/27/3),
  precision 3 at the provincial capital's point, named like the province;
- both date styles, ``admin2`` blank on some rows, notes naming the district
  on some precision-3 rows.

Run::

    GEO_DATA_MIRROR=../shared/data python benchmarks/acled_realistic.py [--rows 4000] [--no-learn]

It prints the shares (all events, and those with geo_precision 1-2) and
writes ``benchmarks/results/acled_realistic.json``.
"""

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from _synthetic import ACLED_COLUMNS  # noqa: E402

from geo import boundaries, locate_points  # noqa: E402
from geo.gazetteer import load_gazetteer  # noqa: E402

SHARES = {"district_centre": 0.50, "village": 0.40, "capital": 0.07, "province": 0.03}


def acled_spelling(names, rng):
    """ACLED-style transliterations: "Nahr-e-Saraj" → "Nahri Saraj", "Nad-e-Ali" → "Nad Ali"."""
    joined = names.str.replace(r"-[ei]-", "i ", regex=True).str.replace("-", " ", regex=False)
    dropped = names.str.replace(r"-[ei]-", " ", regex=True).str.replace("-", " ", regex=False)
    pick = rng.integers(0, 3, len(names))
    return pd.Series(np.select([pick == 0, pick == 1], [names, joined], dropped), index=names.index)


def realistic_acled(count, seed=0):
    """A synthetic ACLED export shaped like a real Afghan one; returns (frame, kinds)."""
    rng = np.random.default_rng(seed)
    names = load_gazetteer().names
    districts = boundaries.load_districts().to_crs(4326)
    district_names, province_names = boundaries.pcode_names(), _province_spellings(names)
    kinds = rng.choice(list(SHARES), size=count, p=list(SHARES.values()))
    rows = pd.DataFrame({"kind": kinds})
    # District centres: a point inside the district, named by the district.
    centre = districts.representative_point()
    picked = rng.integers(0, len(districts), count)
    codes = districts["district_pcode"].to_numpy()
    rows["pcode"] = codes[picked]
    rows["lon"], rows["lat"] = centre.x.to_numpy()[picked], centre.y.to_numpy()[picked]
    rows["location"] = acled_spelling(rows["pcode"].map(district_names), rng).to_numpy()
    # Villages: the gazetteer's point sources, with their own coordinates.
    villages = names[(names["source"] == "village") & names["lat"].notna()].reset_index(drop=True)
    village = villages.iloc[rng.integers(0, len(villages), count)].reset_index(drop=True)
    is_village = rows["kind"].eq("village")
    rows.loc[is_village, ["location", "lat", "lon"]] = village.loc[is_village, ["name", "lat", "lon"]].to_numpy()
    # Provincial capitals named like their province, and precision-3 events at the capital's point.
    capital = rows["kind"].isin(["capital", "province"])
    capital_code = rows["pcode"].str[:4] + "01"
    rows.loc[capital, "pcode"] = capital_code[capital]
    at_capital = pd.Index(codes).get_indexer(capital_code[capital])
    rows.loc[capital, ["lon", "lat"]] = np.column_stack([centre.x.to_numpy(), centre.y.to_numpy()])[at_capital]
    rows.loc[capital, "location"] = rows.loc[capital, "pcode"].str[:4].map(province_names)
    rows[["lon", "lat"]] = rows[["lon", "lat"]].astype(float).round(4)  # as written to the file
    rows["point_pcode"] = locate_points(rows["lon"].to_numpy(float), rows["lat"].to_numpy(float)).to_numpy()
    return _export(rows, district_names, province_names, rng), rows


def _province_spellings(names):
    latin = names[(names["level"] == "province") & names["name"].str.contains("[A-Za-z]", regex=True)]
    return latin.groupby("pcode")["name"].first()


def _export(rows, district_names, province_names, rng):
    count = len(rows)
    days = pd.Timestamp("2019-01-01") + pd.to_timedelta(rng.integers(0, 365, count), unit="D")
    point_district = rows["point_pcode"]
    precision = np.where(rows["kind"].eq("province"), "3", rng.choice(["1", "2"], size=count, p=[0.72, 0.28]))
    admin2 = acled_spelling(point_district.map(district_names).fillna(""), rng)
    admin2 = admin2.where(rng.random(count) > 0.1, "").where(precision != "3", "")
    day = "On " + days.strftime("%d %B %Y")
    notes = np.where(
        (precision == "3") & (rng.random(count) < 0.5),
        day + ", Taliban fighters clashed with ANA in " + admin2.where(admin2 != "", "the") + " district.",
        day + ", Taliban fighters attacked a checkpoint. 2 ANP killed.",
    )
    frame = pd.DataFrame(dict.fromkeys(ACLED_COLUMNS, ""), index=range(count))
    frame["event_id_cnty"] = "AFG" + pd.Series(range(1, count + 1)).astype(str)
    frame["event_date"] = np.where(rng.random(count) < 0.5, days.strftime("%Y-%m-%d"), days.strftime("%d %B %Y"))
    frame["year"] = days.year.astype(str)
    frame["time_precision"] = rng.choice(["1", "2", "3"], size=count, p=[0.9, 0.08, 0.02])
    frame["event_type"], frame["sub_event_type"] = "Battles", "Armed clash"
    frame["actor1"], frame["actor2"] = "Taliban", "Military Forces of Afghanistan (2014-2021)"
    frame["country"], frame["iso"] = "Afghanistan", "4"
    frame["admin1"] = rows["point_pcode"].str[:4].map(province_names).fillna("").to_numpy()
    frame["admin2"] = admin2.to_numpy()
    frame["location"] = rows["location"].to_numpy()
    frame["latitude"] = rows["lat"].astype(float).round(4).astype(str).to_numpy()
    frame["longitude"] = rows["lon"].astype(float).round(4).astype(str).to_numpy()
    frame["geo_precision"] = precision
    frame["source"] = rng.choice(["Pajhwok Afghan News", "Xinhua", "TOLOnews; Khaama Press"], size=count)
    frame["source_scale"] = "National"
    frame["notes"] = notes
    frame["fatalities"] = rng.integers(0, 12, count).astype(str)
    frame["timestamp"] = (1_580_000_000 + np.arange(count)).astype(str)
    return frame


def measure(out, frame, rows):
    """Shares of events imported and placed in the district holding ACLED's point."""
    placed = pd.read_csv(out, dtype=str, keep_default_na=False).set_index("event_id")["pcode"]
    truth = pd.Series(rows["point_pcode"].to_numpy(), index=frame["event_id_cnty"])
    got = placed.reindex(truth.index).fillna("")
    precise = frame["geo_precision"].isin(["1", "2"]).to_numpy()
    right = (got == truth).to_numpy()
    return {
        "rows": len(frame),
        "reached_map": round(float(got.ne("").mean()), 4),
        "right_district_all": round(float(right.mean()), 4),
        "right_district_precision_1_2": round(float(right[precise].mean()), 4),
        "precision_3_rows": int((~precise).sum()),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=4000)
    parser.add_argument("--no-learn", action="store_true")
    args = parser.parse_args()
    frame, rows = realistic_acled(args.rows)
    with tempfile.TemporaryDirectory() as tmp:
        source, out = Path(tmp) / "acled.csv", Path(tmp) / "out.csv"
        frame.to_csv(source, index=False)
        command = [sys.executable, "-c", "from geo.cli import main; main()", "import", "acled", str(source)]
        command += ["--out", str(out)]
        done = subprocess.run(command + (["--no-learn"] if args.no_learn else []), capture_output=True, text=True)
        print(done.stdout.strip())
        result = measure(out, frame, rows)
    print(json.dumps(result, indent=2))
    (HERE / "results").mkdir(exist_ok=True)
    (HERE / "results" / "acled_realistic.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
