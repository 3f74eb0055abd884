"""The name table: its columns, keys, and the helpers every source uses."""

import functools

import geopandas as gpd
import numpy as np
import pandas as pd
from rapidfuzz import fuzz

from .. import _names, boundaries
from ..schema import LEVEL_DISTRICT, LEVEL_PROVINCE

COLUMNS = ["key", "sorted_key", "name", "pcode", "level", "province_pcode", "source", "rank", "lat", "lon"]

# Ranks: a lower rank wins when one key names several places.
RANK_OFFICIAL = 0  # official names and curated aliases
RANK_DISTRICT_NAME = 1  # other district and province names
RANK_TOWN = 2
RANK_VILLAGE = 3  # villages, and names learned from the user's records

# Placeholder names in the sources, never places.
_JUNK_NAME = (
    r"^(?:na|n a|unknown|name|#name|provincial|province|provincial center|province center|center|centre|"
    r"city|district|markaz|wollayat|markaz wollayat|provincial|nahia \w+|pd \d+|\d+ pd|zone \d+|"
    r"district \d+|(?:city )?district \d+|\d+\w* (?:city )?district)$"
)


def frame(names, pcodes, source, rank, lat=np.nan, lon=np.nan):
    """A name table without keys: one row per non-empty name."""
    table = pd.DataFrame({"name": names, "pcode": pcodes, "source": source, "rank": rank, "lat": lat, "lon": lon})
    return _nonempty(table)


def frame_keep(table, *, source, rank):
    """Like :func:`frame` but keeping the other columns of `table`."""
    return _nonempty(table.assign(source=source, rank=rank, pcode=""))


def _nonempty(table):
    table = table.copy()
    table["name"] = table["name"].astype(object).where(table["name"].notna(), "").astype(str).str.strip()
    return table[table["name"] != ""]


def with_keys(table):
    """Add ``key``, ``sorted_key``, ``level`` and ``province_pcode``; drop junk names."""
    table = table.copy()
    folded = _names.fold_text(table["name"])
    table = table[~folded.str.fullmatch(_JUNK_NAME)]
    keys = _names.normalize_names(table["name"])
    table["key"] = keys["key"]
    table["sorted_key"] = keys["sorted_key"]
    table = table[(table["key"] != "") & _names.is_latin_or_arabic(table["key"])]
    pcode = table["pcode"].astype(str)
    table["level"] = np.where(pcode.str.len() == 4, LEVEL_PROVINCE, LEVEL_DISTRICT)
    table["province_pcode"] = pcode.str[:4]
    return table


def split_bracketed(names):
    """Split "KHOST (MATON)" and "TALOQAN - CENTER OF TALOQAN" into two names each.

    Returns a Series of lists of names, same index.
    """
    text = names.fillna("").astype(str)
    inner = text.str.findall(r"\(([^)]*)\)")
    outer = text.str.replace(r"\([^)]*\)", " ", regex=True)
    pieces = outer.str.split(r"\s+-\s+", regex=True)
    return pieces + inner


@functools.cache
def _province_key_set(names):
    return frozenset(_names.normalize_names(pd.Series(list(names)))["key"])


def province_keys(provinces):
    """Keys of the provinces' English and Dari names."""
    columns = [column for column in ("province", "province_dari") if column in provinces.columns]
    return _province_key_set(tuple(pd.concat([provinces[column] for column in columns]).dropna()))


def locate(table, lat="lat", lon="lon"):
    """The rows with a usable point (0, 0 means none), with the ``pcode`` and
    ``province_pcode`` of the district holding it (rows outside every district
    are dropped). Placed by :func:`geo.locate_points`, the one point lookup."""
    latitudes = pd.to_numeric(table[lat], errors="coerce")
    longitudes = pd.to_numeric(table[lon], errors="coerce")
    usable = latitudes.notna() & longitudes.notna() & (latitudes != 0) & (longitudes != 0)
    subset = table[usable].assign(**{lat: latitudes[usable], lon: longitudes[usable]})
    points = gpd.GeoSeries.from_xy(subset[lon], subset[lat], crs=boundaries.CRS, index=subset.index)
    pcodes = boundaries.locate_points(points)
    subset = subset.assign(pcode=pcodes.to_numpy(), province_pcode=pcodes.str[:4].to_numpy())
    return pd.DataFrame(subset[subset["pcode"] != ""])


def province_vote(table, province_column, district_pcode_column="province_pcode", share=0.5):
    """Map each source province name to the OCHA province most of its rows fall in."""
    counts = table.groupby([province_column, district_pcode_column]).size().rename("n").reset_index()
    totals = counts.groupby(province_column)["n"].transform("sum")
    counts = counts[counts["n"] / totals > share]
    return counts.set_index(province_column)[district_pcode_column]


def name_matches(table, reference, province_column="province_pcode"):
    """Return, per row of `table`, the one district its name has in its province.

    A row's name matches when its key equals the key of a district name of
    rank 0 or 1 (official, alternative, keyfile) in the same province and all
    such names point to one district; otherwise the result is NaN.
    """
    districts = reference[(reference["level"] == LEVEL_DISTRICT) & (reference["rank"] <= RANK_DISTRICT_NAME)]
    pairs = districts[["key", "pcode"]].drop_duplicates()
    pairs = pairs.assign(province_pcode=pairs["pcode"].str[:4])
    unique = pairs.groupby(["key", "province_pcode"])["pcode"].agg(
        lambda codes: codes.iloc[0] if len(codes) == 1 else None
    )
    lookup = pd.MultiIndex.from_arrays([table["key"], table[province_column]])
    return pd.Series(unique.reindex(lookup).to_numpy(), index=table.index)


def resembles(key, district_keys, threshold=80):
    """Whether `key` is close to one of `district_keys` (ratio or partial ratio)."""
    for other in district_keys:
        if fuzz.ratio(key, other) >= threshold:
            return True
        if min(len(key), len(other)) >= 4 and fuzz.partial_ratio(key, other) >= threshold:
            return True
    return False


def twin_variants(names, threshold=75):
    """Share spelling variants between districts with the same official name.

    Surobi (Kabul) and Surobi (Paktika) share their OCHA name, but the keyfile
    spells only Paktika's "Sarobi": without this, "Sarobi" alone would be
    answered, confidently, with Paktika. A variant of one twin that resembles
    their shared name is given to every twin, so that such a name stays
    ambiguous until a province says which. Returns the added rows.
    """
    official = names[(names["source"] == "ocha_district")][["key", "pcode"]]
    twins = official[official.duplicated("key", keep=False)]
    if twins.empty:
        return names.iloc[0:0]
    variants = names[(names["level"] == LEVEL_DISTRICT) & (names["rank"] == RANK_DISTRICT_NAME)]
    variants = variants.merge(twins.rename(columns={"key": "twin_key"}), on="pcode")
    similar = [fuzz.ratio(key, twin_key) >= threshold for key, twin_key in zip(variants["key"], variants["twin_key"])]
    variants = variants[np.asarray(similar, dtype=bool)]
    shared = variants.drop(columns="pcode").merge(twins.rename(columns={"key": "twin_key"}), on="twin_key")
    shared = shared.assign(
        province_pcode=shared["pcode"].str[:4], source=shared["source"] + "+twin", lat=np.nan, lon=np.nan
    )
    return shared[COLUMNS]


def finish(names, district_info, province_info):
    """Fill missing points, keep the best rank per key and place, sort."""
    names = names[names["pcode"].notna() & (names["pcode"] != "")].copy()
    district_lat = names["pcode"].map(district_info["lat"]).fillna(names["pcode"].map(province_info["lat"]))
    district_lon = names["pcode"].map(district_info["lon"]).fillna(names["pcode"].map(province_info["lon"]))
    names["lat"] = names["lat"].astype(float).fillna(district_lat)
    names["lon"] = names["lon"].astype(float).fillna(district_lon)
    names["rank"] = names["rank"].astype(int)
    # A name already known at a better rank for the same place adds nothing.
    # At equal rank the curated alias is kept: the geocoder reads it as a
    # statement of what the name means (see geo.geocoder).
    names = names.assign(not_alias=names["source"] != "alias")
    names = names.sort_values(["rank", "not_alias", "key", "pcode"], kind="stable")
    names = names.drop_duplicates(["key", "sorted_key", "pcode"])
    names = names[COLUMNS].reset_index(drop=True)
    for column in ("key", "sorted_key", "name", "pcode", "level", "province_pcode", "source"):
        names[column] = names[column].astype(str)
    return names
