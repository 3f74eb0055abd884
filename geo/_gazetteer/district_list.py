"""Names from the newer 492-district list (English, Dari, Pashto).

An entry named like a district of its province takes that district (the
list sometimes copies a neighbour's point); otherwise its point is placed by
:func:`geo.locate_points` and kept when it lies in the entry's province and
that district has a name resembling the entry's. The list's provinces (also
names here) are placed where most of their districts' points fall.
"""

import json

import numpy as np
import pandas as pd

from .. import data
from ..schema import LEVEL_DISTRICT
from .table import (
    RANK_DISTRICT_NAME,
    frame,
    frame_keep,
    locate,
    name_matches,
    province_keys,
    province_vote,
    resembles,
    split_bracketed,
    with_keys,
)

DISTRICT_LIST_FILE = "afg_provinces_and_districts.json"


def _read_district_list():
    with open(data.fetch(DISTRICT_LIST_FILE), encoding="utf-8") as handle:
        provinces = json.load(handle)
    rows = [
        {
            "list_province": province["name"],
            "list_province_fa": province.get("nameFa"),
            "list_province_pa": province.get("namePa"),
            "name": district.get("name"),
            "name_fa": district.get("nameFa"),
            "name_pa": district.get("namePa"),
            "lat": float(district.get("latitude") or 0),
            "lon": float(district.get("longitude") or 0),
        }
        for province in provinces
        for district in province.get("districts", [])
    ]
    return pd.DataFrame(rows)


def district_list_names(provinces, reference):
    """The list's district names (placed as above) and its province names."""
    listing = _read_district_list()
    listing = listing[listing["list_province"].str.strip().str.upper() != "N/A"].reset_index(drop=True)
    # The list's provinces: the OCHA province most of their district points
    # fall in (the provinces' own points are off for several, e.g. Helmand's
    # lies in Nimroz).
    province_of = province_vote(locate(listing[["list_province", "lat", "lon"]]), "list_province")
    listing = listing.assign(list_province_pcode=listing["list_province"].map(province_of))
    listing = listing[listing["list_province_pcode"].notna()].reset_index(drop=True)
    listing["entry"] = listing.index
    long = _entry_names(listing, provinces)
    long["pcode"] = long["entry"].map(_placements(listing, long, reference))
    names = long[long["pcode"].notna()][["name", "pcode", "source", "rank", "lat", "lon"]]
    names = names.assign(lat=names["lat"].where(names["lat"] != 0), lon=names["lon"].where(names["lon"] != 0))
    return [with_keys(names), with_keys(_province_names(listing))]


def _entry_names(listing, provinces):
    """Every name of an entry: English (and its bracketed second name), Dari, Pashto."""
    english = listing.assign(name=split_bracketed(listing["name"])).explode("name")
    long = pd.concat(
        [english, listing.assign(name=listing["name_fa"]), listing.assign(name=listing["name_pa"])],
        ignore_index=True,
    )
    long = with_keys(frame_keep(long, source="district_list", rank=RANK_DISTRICT_NAME))
    return long[~long["key"].isin(province_keys(provinces))]


def _placements(listing, long, reference):
    """Entry -> district: by a name of its province's districts, else by its point."""
    long = long.assign(by_name=name_matches(long, reference, "list_province_pcode"))
    named = (
        long.dropna(subset=["by_name"])
        .groupby("entry")["by_name"]
        .agg(lambda codes: codes.iloc[0] if codes.nunique() == 1 else None)
    )
    located = locate(listing[["entry", "list_province_pcode", "lat", "lon"]])
    located = located[located["province_pcode"] == located["list_province_pcode"]].set_index("entry")
    by_point = _plausible_placements(long, located["pcode"], reference)
    return named.dropna().combine_first(by_point)


def _province_names(listing):
    columns = ("list_province", "list_province_fa", "list_province_pa")
    names = pd.concat(
        [listing[[column, "list_province_pcode"]].set_axis(["name", "pcode"], axis=1) for column in columns],
        ignore_index=True,
    ).drop_duplicates()
    return frame(names["name"], names["pcode"], "district_list_province", RANK_DISTRICT_NAME)


def _plausible_placements(names, point_pcodes, reference):
    """Keep the point placements whose name resembles a name of the district.

    The list's points are sometimes copied from a neighbour; "Shwak" placed in
    Gardez by its point is dropped, "Gerishk" placed in Nahr-e-Saraj (alt name
    Grishk) is kept. Returns a Series entry -> pcode.
    """
    known = reference[(reference["level"] == LEVEL_DISTRICT) & (reference["rank"] <= RANK_DISTRICT_NAME)]
    keys_of = known.groupby("pcode")["key"].agg(lambda keys: sorted(set(keys)))
    candidates = names[["entry", "key"]].assign(pcode=names["entry"].map(point_pcodes)).dropna(subset=["pcode"])
    plausible = [resembles(key, keys_of.get(pcode, [])) for key, pcode in zip(candidates["key"], candidates["pcode"])]
    good = candidates[np.asarray(plausible, dtype=bool)]
    return good.drop_duplicates("entry").set_index("entry")["pcode"]
