"""Synthetic ACLED- and UCDP GED-format exports, for benchmarks (never real data).

Each event gets a point drawn uniformly in Afghanistan's bounds and kept only
when :func:`geo.locate_points` puts it in a district, so its district is known
(returned beside the file for accuracy checks); its names are that district's
and province's OCHA names. Everything is deterministic (``numpy.random.default_rng``).

Usable from other benchmarks::

    from _synthetic import write_acled, write_ucdp
    truth = write_acled(path, 1_000_000)   # Series of true district codes
"""

import numpy as np
import pandas as pd

from geo import boundaries
from geo.schema import EVENT_TYPES

ACLED_COLUMNS = [
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
]
ACTORS = np.array(
    [
        "Taliban",
        "Military Forces of Afghanistan (2014-2021)",
        "Police Forces of Afghanistan (2014-2021)",
        "Islamic State (Afghanistan)",
        "Unidentified Armed Group (Afghanistan)",
        "Civilians (Afghanistan)",
    ]
)
SUB_TYPES = [(event_type, sub) for event_type, subs in EVENT_TYPES.items() for sub in subs]


def points_in_districts(count, seed=0):
    """Return (lon, lat, district_pcode) arrays of `count` points inside real districts."""
    rng = np.random.default_rng(seed)
    minx, miny, maxx, maxy = boundaries.load_districts().total_bounds
    lons, lats, codes, have = [], [], [], 0
    while have < count:
        lon = rng.uniform(minx, maxx, size=2 * (count - have) + 1000)
        lat = rng.uniform(miny, maxy, size=lon.size)
        code = boundaries.locate_points(lon, lat).to_numpy()
        inside = code != ""
        lons.append(lon[inside]), lats.append(lat[inside]), codes.append(code[inside])
        have += int(inside.sum())
    return (np.concatenate(lons)[:count], np.concatenate(lats)[:count], np.concatenate(codes)[:count].astype(str))


def acled_frame(count, seed=0):
    """A synthetic ACLED export as a DataFrame of strings, and the true district of each row."""
    rng = np.random.default_rng(seed)
    lon, lat, code = points_in_districts(count, seed)
    names = boundaries.pcode_names()
    days = pd.Timestamp("2017-01-01") + pd.to_timedelta(rng.integers(0, 1600, count), unit="D")
    kinds = rng.integers(0, len(SUB_TYPES), count)
    precision = rng.choice(np.array(["1", "2", "3"]), size=count, p=[0.8, 0.15, 0.05])
    district_names = pd.Series(code).map(names).to_numpy()
    frame = pd.DataFrame(
        {
            "event_id_cnty": np.char.add("AFG", np.arange(1, count + 1).astype(str)),
            "event_date": days.strftime("%Y-%m-%d"),
            "year": days.year.astype(str),
            "time_precision": rng.choice(np.array(["1", "2", "3"]), size=count, p=[0.9, 0.07, 0.03]),
            "disorder_type": "Political violence",
            "event_type": np.array([SUB_TYPES[k][0] for k in range(len(SUB_TYPES))])[kinds],
            "sub_event_type": np.array([SUB_TYPES[k][1] for k in range(len(SUB_TYPES))])[kinds],
            "actor1": ACTORS[rng.integers(0, 5, count)],
            "assoc_actor_1": "",
            "inter1": "2",
            "actor2": ACTORS[rng.integers(0, 6, count)],
            "assoc_actor_2": "",
            "inter2": "1",
            "interaction": "12",
            "civilian_targeting": "",
            "iso": "4",
            "region": "Caucasus and Central Asia",
            "country": "Afghanistan",
            "admin1": pd.Series(code).str[:4].map(names).to_numpy(),
            "admin2": district_names,
            "admin3": "",
            "location": district_names,
            "latitude": np.round(lat, 4).astype(str),
            "longitude": np.round(lon, 4).astype(str),
            "geo_precision": precision,
            "source": "Synthetic News",
            "source_scale": "National",
            "notes": "Synthetic event for benchmarks.",
            "fatalities": rng.integers(0, 20, count).astype(str),
            "tags": "",
            "timestamp": (1_600_000_000 + np.arange(count)).astype(str),
        }
    )
    return frame, pd.Series(code, name="district_pcode")


def write_acled(path, count, seed=0):
    """Write a synthetic ACLED export of `count` rows to `path`; return the true districts."""
    frame, truth = acled_frame(count, seed)
    frame.to_csv(path, index=False)
    return truth


def write_ucdp(path, count, seed=0):
    """Write a synthetic UCDP GED export of `count` rows to `path`; return the true districts."""
    acled, truth = acled_frame(count, seed)
    rng = np.random.default_rng(seed + 1)
    best = rng.integers(0, 20, count)
    frame = pd.DataFrame(
        {
            "id": np.arange(1, count + 1).astype(str),
            "year": acled["year"],
            "type_of_violence": rng.choice(np.array(["1", "2", "3"]), size=count),
            "side_a": "Government of Afghanistan",
            "side_b": "Taleban",
            "source_article": "Synthetic wire",
            "source_headline": "Synthetic event for benchmarks",
            "where_prec": rng.choice(np.array(["1", "2", "3", "4"]), size=count, p=[0.6, 0.2, 0.15, 0.05]),
            "where_coordinates": acled["location"],
            "adm_1": acled["admin1"] + " province",
            "adm_2": acled["admin2"] + " district",
            "latitude": acled["latitude"],
            "longitude": acled["longitude"],
            "country": "Afghanistan",
            "date_prec": rng.choice(np.array(["1", "2", "3"]), size=count, p=[0.8, 0.15, 0.05]),
            "date_start": acled["event_date"],
            "date_end": acled["event_date"],
            "best": best.astype(str),
            "high": (best + 2).astype(str),
            "low": best.astype(str),
        }
    )
    frame.to_csv(path, index=False)
    return truth
