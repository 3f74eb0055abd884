"""Names from the village list: villages (rank 3) and its district and province names (rank 1).

Villages are placed by :func:`geo.locate_points`; a village whose point lies
outside its stated province has a bad point and is dropped. The list's
district names are placed by a majority vote of their villages (a name that
is a district of the province wins over the vote).
"""

import pandas as pd

from .. import data
from .table import (
    COLUMNS,
    RANK_DISTRICT_NAME,
    RANK_VILLAGE,
    frame,
    locate,
    name_matches,
    province_keys,
    province_vote,
    split_bracketed,
    with_keys,
)

VILLAGES_FILE = "afg_villages.json"
# A village-list district name is trusted when this share of its villages
# fall in one OCHA district (and at least this many villages do).
_DISTRICT_SHARE = 0.6
_DISTRICT_MIN = 3


def read_villages():
    """The village list: ``list_province``, ``list_district``, ``name``, ``lat``, ``lon``."""
    villages = pd.read_json(data.fetch(VILLAGES_FILE), dtype=False)
    villages = villages.rename(
        columns={
            "Province": "list_province",
            "District": "list_district",
            "Village Name": "name",
            "Latitude": "lat",
            "Longitude": "lon",
        }
    )[["list_province", "list_district", "name", "lat", "lon"]]
    villages["lat"] = pd.to_numeric(villages["lat"], errors="coerce")
    villages["lon"] = pd.to_numeric(villages["lon"], errors="coerce")
    return villages


def located_villages():
    """The villages placed in districts, kept when inside their stated province."""
    joined = locate(read_villages())
    province_of = province_vote(joined, "list_province")
    joined["list_province_pcode"] = joined["list_province"].map(province_of)
    return joined[joined["province_pcode"] == joined["list_province_pcode"]], province_of


def village_names(provinces, reference):
    """Villages, and the list's district and province names."""
    joined, province_of = located_villages()
    names = joined.assign(name=split_bracketed(joined["name"])).explode("name")
    names = names[~names["name"].fillna("").str.fullmatch(r"\s*\d*\s*")]
    village_frame = frame(names["name"], names["pcode"], "village", RANK_VILLAGE, names["lat"], names["lon"])
    province_rows = frame(
        pd.Series(province_of.index), pd.Series(province_of.to_numpy()), "village_province", RANK_DISTRICT_NAME
    )
    return [with_keys(village_frame), _district_names(joined, provinces, reference), with_keys(province_rows)]


def _district_names(joined, provinces, reference):
    """District names: the district most of their villages fall in."""
    votes = joined.groupby(["list_province_pcode", "list_district", "pcode"]).size().rename("n").reset_index()
    votes["total"] = votes.groupby(["list_province_pcode", "list_district"])["n"].transform("sum")
    votes = votes[(votes["n"] / votes["total"] >= _DISTRICT_SHARE) & (votes["n"] >= _DISTRICT_MIN)]
    rows = votes.assign(name=split_bracketed(votes["list_district"])).explode("name")
    rows = with_keys(frame(rows["name"], rows["pcode"], "village_district", RANK_DISTRICT_NAME))
    # A name that is a district of the province wins over the vote.
    rows["pcode"] = name_matches(rows, reference).fillna(rows["pcode"])
    return rows[~rows["key"].isin(province_keys(provinces))][COLUMNS]
