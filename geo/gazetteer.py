"""The gazetteer: every name geo knows for Afghanistan's districts and provinces.

All sources are folded into one name table (a pandas DataFrame), one row per
name and place, so that geocoding is a lookup on the normalized ``key``:

=================  ============================================================
column             meaning
=================  ============================================================
``key``            normalized name (:func:`geo._normalize.normalize_names`)
``sorted_key``     the same with its words in alphabetical order ("" if one word)
``name``           the name as its source spells it
``pcode``          OCHA code of the place: ``AF1801`` (district) or ``AF18``
``level``          ``"district"`` or ``"province"``
``province_pcode`` OCHA province code, e.g. ``AF18``
``source``         where the name comes from (see below)
``rank``           0 official names and curated aliases, 1 other district and
                   province names, 2 towns, 3 villages; a lower rank wins
``lat``, ``lon``   the place's own point, or a point inside its district
=================  ============================================================

Sources, with their ``source`` labels:

* ``ocha_district``, ``ocha_district_dari``, ``ocha_district_alt``,
  ``ocha_province``, ``ocha_province_dari``: the AGCHO/OCHA 2018 shapefiles
  (English, Dari and alternative names).
* ``alias``: ``boundaries/aliases.csv``, names the news uses that no table
  holds (Helmand, Herat, Gereshk, Keshk Rabat Sangi, ...).
* ``keyfile_<scheme>``: the six spelling conventions of the 2019 district
  keyfile (IEC 2009/2010/2014/2018/2019, AGCHO 2012, OCHA 2018), keyed by the
  OCHA district code; bracketed second names become names of their own.
* ``district_list`` and ``district_list_province``: the newer 492-district
  list (English, Dari, Pashto). An entry named like a district of its
  province takes that district (the list sometimes copies a neighbour's
  point); otherwise its point is joined spatially to the OCHA districts and
  kept when it lies in the entry's province and that district has a name
  resembling the entry's. The list's provinces (also names here) are placed
  where most of their districts' points fall.
* ``village_district`` and ``village_province``: the district and province
  names of the village list, placed by a majority vote of their villages.
* ``geonames``: GeoNames towns (name, ASCII name, alternate names in Latin or
  Arabic script), placed by a spatial join.
* ``village``: the villages, placed by a spatial join.

Points that fall outside the province their source names are dropped: a wrong
district is worse than no name.

The table is built in about a second and cached as a pickle in
``settings.cache_dir / "gazetteer"``, keyed by the checksums of every input
(the data files, ``aliases.csv`` and this module's and the normaliser's
source), so a warm load takes milliseconds.
"""

import csv
import functools
import hashlib
import json
import pickle
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
from rapidfuzz import fuzz

from . import _normalize, boundaries, data, settings
from ._files import atomic_path
from .errors import InputError

KEYFILE = "district_code_keyfile_2019.csv"
DISTRICT_LIST_FILE = "afg_provinces_and_districts.json"
VILLAGES_FILE = "afg_villages.json"
TOWNS_FILE = "geonames_AF_cities5000.txt"
INPUT_FILES = (boundaries.DISTRICTS_FILE, boundaries.PROVINCES_FILE, KEYFILE, DISTRICT_LIST_FILE, VILLAGES_FILE, TOWNS_FILE)
ALIASES_PATH = settings.BOUNDARIES_DIR / "aliases.csv"

RANK_OFFICIAL = 0
RANK_DISTRICT_NAME = 1
RANK_TOWN = 2
RANK_VILLAGE = 3

LEVEL_DISTRICT = "district"
LEVEL_PROVINCE = "province"

COLUMNS = ["key", "sorted_key", "name", "pcode", "level", "province_pcode", "source", "rank", "lat", "lon"]

# The keyfile's name columns, by scheme.
_KEYFILE_SCHEMES = {
    "2018_UNOCHA_district_name_eng": "keyfile_2018_OCHA",
    "2019_IEC_district_name_eng": "keyfile_2019_IEC",
    "2018_IEC_district_name_eng": "keyfile_2018_IEC",
    "2014_IEC_district_name_eng": "keyfile_2014_IEC",
    "2012_AGCHO_district_name_eng": "keyfile_2012_AGCHO",
    "2010_IEC_district_name_eng": "keyfile_2010_IEC",
    "2009_IEC_district_name_eng": "keyfile_2009_IEC",
}
_KEYFILE_CODE = "2018_UNOCHA_district_code"
# Placeholder names in the sources, never places.
_JUNK_NAME = (
    r"^(?:na|n a|unknown|name|#name|provincial|province|provincial center|province center|center|centre|"
    r"city|district|markaz|wollayat|markaz wollayat|provincial|nahia \w+|pd \d+|\d+ pd|zone \d+|"
    r"district \d+|(?:city )?district \d+|\d+\w* (?:city )?district)$"
)
# A village-list district name is trusted when this share of its villages
# fall in one OCHA district (and at least this many villages do).
_VILLAGE_DISTRICT_SHARE = 0.6
_VILLAGE_DISTRICT_MIN = 3


@dataclass(frozen=True)
class Gazetteer:
    """The name table and the places it points to.

    Attributes
    ----------
    names : pandas.DataFrame
        The name table (see the module docstring).
    districts : pandas.DataFrame
        One row per OCHA district, indexed by ``pcode``: ``district``,
        ``province_pcode``, ``province``, ``is_provincial_capital``, ``lat``,
        ``lon`` (a point inside the district).
    provinces : pandas.DataFrame
        One row per province, indexed by ``pcode``: ``province``,
        ``capital_pcode``, ``neighbours`` (a tuple of the bordering
        provinces' pcodes), ``lat``, ``lon`` (a point inside the province).
    cache_key : str
        Checksum of every input the table was built from.
    """

    names: pd.DataFrame
    districts: pd.DataFrame
    provinces: pd.DataFrame
    cache_key: str

    def place_name(self, pcode):
        """Return "District, Province" or "Province" for a pcode."""
        if pcode in self.districts.index:
            row = self.districts.loc[pcode]
            return f"{row['district']}, {row['province']}"
        return self.provinces.loc[pcode, "province"]


def load_gazetteer(*, rebuild=False):
    """Return the gazetteer, from the cache when its inputs are unchanged.

    Parameters
    ----------
    rebuild : bool
        Build it again even when a cached copy exists.

    Returns
    -------
    Gazetteer

    Raises
    ------
    DataFetchError
        A data file is missing or corrupt (only when the table must be built).
    InputError
        ``boundaries/aliases.csv`` is malformed.
    """
    key = cache_key()
    path = _cache_path(key)
    if rebuild:
        _load_cached.cache_clear()
    return _load_cached(str(path), key)


@functools.cache
def _load_cached(path, key):
    path = Path(path)
    if path.exists():
        try:
            with open(path, "rb") as handle:
                gazetteer = pickle.load(handle)
            if isinstance(gazetteer, Gazetteer) and gazetteer.cache_key == key:
                return gazetteer
        except (OSError, EOFError, pickle.UnpicklingError, AttributeError, TypeError):
            pass  # an unreadable cache file is rebuilt below
    gazetteer = build_gazetteer(key)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with atomic_path(path) as tmp:
            with open(tmp, "wb") as handle:
                pickle.dump(gazetteer, handle, protocol=pickle.HIGHEST_PROTOCOL)
    except OSError:
        pass  # a read-only cache only costs the next process a rebuild
    return gazetteer


def clear_memory_cache():
    """Forget the gazetteer loaded in this process (the file cache stays)."""
    _load_cached.cache_clear()


def cache_key():
    """Return a checksum of every input of the gazetteer.

    The data files are identified by their manifest sha256 (``data.fetch``
    verifies every copy against it), the alias table and the code by the
    sha256 of their bytes.
    """
    digest = hashlib.sha256()
    manifest = data.manifest()
    for name in INPUT_FILES:
        digest.update(f"{name}={manifest[name].sha256}\n".encode())
    for path in (ALIASES_PATH, Path(__file__), Path(_normalize.__file__)):
        digest.update(path.name.encode())
        digest.update(path.read_bytes() if path.exists() else b"missing")
    return digest.hexdigest()


def _cache_path(key):
    return settings.cache_dir / "gazetteer" / f"gazetteer-{key[:20]}.pkl"


def build_gazetteer(key=None):
    """Build the gazetteer from the data files (no cache involved).

    Returns
    -------
    Gazetteer
    """
    districts = boundaries.load_districts()
    provinces = boundaries.load_provinces()
    district_info = _district_info(districts)
    province_info = _province_info(provinces)
    official = _official_names(districts, provinces)
    known = _with_keys(official)
    parts = [
        known,
        _with_keys(_alias_names(district_info, province_info)),
        _with_keys(_keyfile_names(provinces, province_info)),
    ]
    reference = pd.concat(parts, ignore_index=True)
    parts.extend(_district_list_names(districts, provinces, reference))
    parts.extend(_village_names(districts, provinces, reference))
    parts.append(_with_keys(_town_names(districts)))
    names = pd.concat(parts, ignore_index=True)
    names = _finish(pd.concat([names, _twin_variants(names)], ignore_index=True), district_info, province_info)
    return Gazetteer(names=names, districts=district_info, provinces=province_info, cache_key=key or cache_key())


# --- the places -------------------------------------------------------------------------


def _district_info(districts):
    points = boundaries.district_points()
    info = pd.DataFrame(
        {
            "district": districts["district"].to_numpy(),
            "province_pcode": districts["province_pcode"].to_numpy(),
            "province": districts["province"].to_numpy(),
            "is_provincial_capital": districts["is_provincial_capital"].to_numpy(),
            "lat": points.y.reindex(districts["district_pcode"]).to_numpy(),
            "lon": points.x.reindex(districts["district_pcode"]).to_numpy(),
        },
        index=pd.Index(districts["district_pcode"].to_numpy(), name="pcode"),
    )
    return info


def _province_info(provinces):
    points = provinces.geometry.representative_point()
    return pd.DataFrame(
        {
            "province": provinces["province"].to_numpy(),
            "capital_pcode": (provinces["province_pcode"] + boundaries._CAPITAL_SUFFIX).to_numpy(),
            "neighbours": _neighbours(provinces),
            "lat": points.y.to_numpy(),
            "lon": points.x.to_numpy(),
        },
        index=pd.Index(provinces["province_pcode"].to_numpy(), name="pcode"),
    )


def _neighbours(provinces):
    """Each province's bordering provinces, as a tuple of pcodes."""
    pairs = gpd.sjoin(
        provinces[["province_pcode", "geometry"]],
        provinces[["province_pcode", "geometry"]].rename(columns={"province_pcode": "other"}),
        predicate="intersects",
    )
    pairs = pairs[pairs["province_pcode"] != pairs["other"]]
    by_province = pairs.groupby("province_pcode")["other"].agg(lambda codes: tuple(sorted(codes)))
    return provinces["province_pcode"].map(by_province).map(lambda codes: codes if isinstance(codes, tuple) else ()).to_numpy()


# --- the sources ------------------------------------------------------------------------


def _frame(names, pcodes, source, rank, lat=np.nan, lon=np.nan):
    """A name table without keys: one row per name."""
    frame = pd.DataFrame({"name": names, "pcode": pcodes, "source": source, "rank": rank, "lat": lat, "lon": lon})
    frame["name"] = frame["name"].astype(object).where(frame["name"].notna(), "").astype(str).str.strip()
    return frame[frame["name"] != ""]


def _official_names(districts, provinces):
    alt = districts.assign(name=districts["alt_names"].str.split(";")).explode("name")
    return pd.concat(
        [
            _frame(districts["district"], districts["district_pcode"], "ocha_district", RANK_OFFICIAL),
            _frame(districts["district_dari"], districts["district_pcode"], "ocha_district_dari", RANK_OFFICIAL),
            _frame(alt["name"], alt["district_pcode"], "ocha_district_alt", RANK_DISTRICT_NAME),
            _frame(provinces["province"], provinces["province_pcode"], "ocha_province", RANK_OFFICIAL),
            _frame(provinces["province_dari"], provinces["province_pcode"], "ocha_province_dari", RANK_OFFICIAL),
        ],
        ignore_index=True,
    )


def read_aliases(path=ALIASES_PATH):
    """Return the curated alias table (columns ``alias``, ``pcode``, ``why``).

    Raises
    ------
    InputError
        The file lacks a column, or a row lacks an alias or pcode.
    """
    try:
        aliases = pd.read_csv(path, dtype=str, keep_default_na=False, comment=None)
    except FileNotFoundError:
        return pd.DataFrame(columns=["alias", "pcode", "why"])
    missing = {"alias", "pcode", "why"} - set(aliases.columns)
    if missing:
        raise InputError(f"{path}: missing column(s) {', '.join(sorted(missing))}")
    blank = (aliases["alias"].str.strip() == "") | (aliases["pcode"].str.strip() == "")
    if blank.any():
        line = int(np.flatnonzero(blank.to_numpy())[0]) + 2
        raise InputError(f"{path}:{line}: alias and pcode must not be empty")
    return aliases.assign(alias=aliases["alias"].str.strip(), pcode=aliases["pcode"].str.strip().str.upper())


def _alias_names(district_info, province_info):
    aliases = read_aliases()
    known = aliases["pcode"].isin(district_info.index) | aliases["pcode"].isin(province_info.index)
    if not known.all():
        bad = aliases.loc[~known].iloc[0]
        raise InputError(f"{ALIASES_PATH}: alias {bad['alias']!r}: {bad['pcode']!r} is not an OCHA 2018 pcode")
    return _frame(aliases["alias"], aliases["pcode"], "alias", RANK_OFFICIAL)


def _split_bracketed(names):
    """Split "KHOST (MATON)" and "TALOQAN - CENTER OF TALOQAN" into two names each.

    Returns a Series of lists of names, same index.
    """
    text = names.fillna("").astype(str)
    inner = text.str.findall(r"\(([^)]*)\)")
    outer = text.str.replace(r"\([^)]*\)", " ", regex=True)
    pieces = outer.str.split(r"\s+-\s+", regex=True)
    return pieces + inner


def _keyfile_names(provinces, province_info):
    path = data.fetch(KEYFILE)
    keyfile = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    keyfile = keyfile[keyfile[_KEYFILE_CODE].str.fullmatch(r"AF\d{4}")]
    long = keyfile.melt(id_vars=[_KEYFILE_CODE], value_vars=list(_KEYFILE_SCHEMES), var_name="column", value_name="name")
    long["name"] = _split_bracketed(long["name"])
    long = long.explode("name")
    long["name"] = _without_province_suffix(long["name"], long[_KEYFILE_CODE].str[:4], province_info)
    frame = _frame(long["name"], long[_KEYFILE_CODE], long["column"].map(_KEYFILE_SCHEMES), RANK_DISTRICT_NAME)
    # A bracketed province name only says where the district is.
    keyed = _with_keys(frame)
    return keyed[~keyed["key"].isin(_province_keys(provinces))][frame.columns]


def _without_province_suffix(names, province_pcodes, province_info):
    """Cut a trailing province name: 2009's "MUQUR BADGHIS" is Muqur."""
    text = names.fillna("").astype(str).str.strip()
    last_word = text.str.extract(r"\s(\S+)$", expand=False).fillna("")
    last_key = _normalize.normalize_names(last_word)["key"]
    province_key = _normalize.normalize_names(province_pcodes.map(province_info["province"]))["key"]
    is_suffix = (last_key != "") & (last_key == province_key)
    return text.where(~is_suffix, text.str.replace(r"\s\S+$", "", regex=True))


@functools.cache
def _province_key_set(names):
    return frozenset(_normalize.normalize_names(pd.Series(list(names)))["key"])


def _province_keys(provinces):
    """Keys of the provinces' English and Dari names."""
    columns = [column for column in ("province", "province_dari") if column in provinces.columns]
    return _province_key_set(tuple(pd.concat([provinces[column] for column in columns]).dropna()))


def _read_district_list():
    path = data.fetch(DISTRICT_LIST_FILE)
    with open(path, encoding="utf-8") as handle:
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


def _points(frame, lat="lat", lon="lon"):
    """A GeoDataFrame of the rows with a usable point (0, 0 means none)."""
    usable = frame[lat].notna() & frame[lon].notna() & (frame[lat] != 0) & (frame[lon] != 0)
    subset = frame[usable]
    return gpd.GeoDataFrame(subset, geometry=gpd.points_from_xy(subset[lon], subset[lat]), crs=boundaries.CRS)


def _join_districts(points, districts):
    """Add ``pcode`` and ``province_pcode`` of the district holding each point."""
    polygons = districts[["district_pcode", "province_pcode", "geometry"]].rename(columns={"district_pcode": "pcode"})
    joined = gpd.sjoin(points, polygons, how="inner", predicate="within")
    # A point on a shared border falls in two districts: keep one.
    return pd.DataFrame(joined[~joined.index.duplicated()].drop(columns=["geometry", "index_right"]))


def _province_vote(frame, province_column, district_pcode_column="province_pcode", share=0.5):
    """Map each source province name to the OCHA province most of its rows fall in."""
    counts = frame.groupby([province_column, district_pcode_column]).size().rename("n").reset_index()
    totals = counts.groupby(province_column)["n"].transform("sum")
    counts = counts[counts["n"] / totals > share]
    return counts.set_index(province_column)[district_pcode_column]


def _name_matches(frame, reference, province_column="province_pcode"):
    """Return, per row of `frame`, the one district its name has in its province.

    A row's name matches when its key equals the key of a district name of
    rank 0 or 1 (official, alternative, keyfile) in the same province and all
    such names point to one district; otherwise the result is NaN.
    """
    districts = reference[(reference["level"] == LEVEL_DISTRICT) & (reference["rank"] <= RANK_DISTRICT_NAME)]
    pairs = districts[["key", "pcode"]].drop_duplicates()
    pairs = pairs.assign(province_pcode=pairs["pcode"].str[:4])
    unique = pairs.groupby(["key", "province_pcode"])["pcode"].agg(lambda codes: codes.iloc[0] if len(codes) == 1 else None)
    lookup = pd.MultiIndex.from_arrays([frame["key"], frame[province_column]])
    return pd.Series(unique.reindex(lookup).to_numpy(), index=frame.index)


def _district_list_names(districts, provinces, reference):
    """Names of the 492-district list, each entry placed in an OCHA district."""
    listing = _read_district_list()
    listing = listing[listing["list_province"].str.strip().str.upper() != "N/A"].reset_index(drop=True)
    # The list's provinces: the OCHA province most of their district points
    # fall in (the provinces' own points are off for several, e.g. Helmand's
    # lies in Nimroz).
    located = _join_districts(_points(listing[["list_province", "lat", "lon"]]), districts)
    province_of = _province_vote(located, "list_province")
    listing = listing.assign(list_province_pcode=listing["list_province"].map(province_of))
    listing = listing[listing["list_province_pcode"].notna()].reset_index(drop=True)
    listing["entry"] = listing.index

    # Every name of an entry: English (and its bracketed second name), Dari, Pashto.
    english = listing.assign(name=_split_bracketed(listing["name"])).explode("name")
    long = pd.concat(
        [english, listing.assign(name=listing["name_fa"]), listing.assign(name=listing["name_pa"])],
        ignore_index=True,
    )
    long = _with_keys(_frame_keep(long, source="district_list", rank=RANK_DISTRICT_NAME))
    long = long[~long["key"].isin(_province_keys(provinces))]

    # An entry is placed by its name when one of its names is a district of
    # its province (the list's points are sometimes a neighbour's), else by
    # its point, when that lies in its province.
    long["by_name"] = _name_matches(long, reference, "list_province_pcode")
    named = long.dropna(subset=["by_name"]).groupby("entry")["by_name"].agg(lambda codes: codes.iloc[0] if codes.nunique() == 1 else None)
    joined = _join_districts(_points(listing[["entry", "list_province_pcode", "lat", "lon"]]), districts)
    joined = joined[joined["province_pcode"] == joined["list_province_pcode"]].set_index("entry")
    by_point = _plausible_placements(long, joined["pcode"], reference)
    placement = named.dropna().combine_first(by_point)
    long["pcode"] = long["entry"].map(placement)
    names = long[long["pcode"].notna()][["name", "pcode", "source", "rank", "lat", "lon"]]
    names = names.assign(lat=names["lat"].where(names["lat"] != 0), lon=names["lon"].where(names["lon"] != 0))

    province_names = pd.concat(
        [
            listing[[column, "list_province_pcode"]].set_axis(["name", "pcode"], axis=1)
            for column in ("list_province", "list_province_fa", "list_province_pa")
        ],
        ignore_index=True,
    ).drop_duplicates()
    provinces_frame = _frame(province_names["name"], province_names["pcode"], "district_list_province", RANK_DISTRICT_NAME)
    return [_with_keys(names), _with_keys(provinces_frame)]


def _plausible_placements(names, point_pcodes, reference):
    """Keep the point placements whose name resembles a name of the district.

    The list's points are sometimes copied from a neighbour; "Shwak" placed in
    Gardez by its point is dropped, "Gerishk" placed in Nahr-e-Saraj (alt name
    Grishk) is kept. Returns a Series entry -> pcode.
    """
    known = reference[(reference["level"] == LEVEL_DISTRICT) & (reference["rank"] <= RANK_DISTRICT_NAME)]
    keys_of = known.groupby("pcode")["key"].agg(lambda keys: sorted(set(keys)))
    candidates = names[["entry", "key"]].assign(pcode=names["entry"].map(point_pcodes)).dropna(subset=["pcode"])
    plausible = [
        _resembles(key, keys_of.get(pcode, [])) for key, pcode in zip(candidates["key"], candidates["pcode"])
    ]
    good = candidates[np.asarray(plausible, dtype=bool)]
    return good.drop_duplicates("entry").set_index("entry")["pcode"]


def _resembles(key, district_keys, threshold=80):
    for other in district_keys:
        if fuzz.ratio(key, other) >= threshold:
            return True
        if min(len(key), len(other)) >= 4 and fuzz.partial_ratio(key, other) >= threshold:
            return True
    return False


def _frame_keep(frame, *, source, rank):
    """Like :func:`_frame` but keeping the other columns of `frame`."""
    frame = frame.assign(source=source, rank=rank, pcode="")
    frame["name"] = frame["name"].astype(object).where(frame["name"].notna(), "").astype(str).str.strip()
    return frame[frame["name"] != ""]


def _read_villages():
    path = data.fetch(VILLAGES_FILE)
    villages = pd.read_json(path, dtype=False)
    return villages.rename(
        columns={"Province": "list_province", "District": "list_district", "Village Name": "name",
                 "Latitude": "lat", "Longitude": "lon"}
    )[["list_province", "list_district", "name", "lat", "lon"]]


def _village_names(districts, provinces, reference):
    """Villages (rank 3) and the village list's district and province names (rank 1)."""
    villages = _read_villages()
    villages["lat"] = pd.to_numeric(villages["lat"], errors="coerce")
    villages["lon"] = pd.to_numeric(villages["lon"], errors="coerce")
    joined = _join_districts(_points(villages), districts)
    province_of = _province_vote(joined, "list_province")
    joined["list_province_pcode"] = joined["list_province"].map(province_of)
    # A village whose point lies outside its stated province has a bad point.
    joined = joined[joined["province_pcode"] == joined["list_province_pcode"]]

    names = joined.assign(name=_split_bracketed(joined["name"])).explode("name")
    names = names[~names["name"].fillna("").str.fullmatch(r"\s*\d*\s*")]
    village_frame = _frame(names["name"], names["pcode"], "village", RANK_VILLAGE, names["lat"], names["lon"])

    # District names: the district most of their villages fall in.
    votes = joined.groupby(["list_province_pcode", "list_district", "pcode"]).size().rename("n").reset_index()
    votes["total"] = votes.groupby(["list_province_pcode", "list_district"])["n"].transform("sum")
    votes = votes[(votes["n"] / votes["total"] >= _VILLAGE_DISTRICT_SHARE) & (votes["n"] >= _VILLAGE_DISTRICT_MIN)]
    district_rows = votes.assign(name=_split_bracketed(votes["list_district"])).explode("name")
    district_rows = _with_keys(
        _frame(district_rows["name"], district_rows["pcode"], "village_district", RANK_DISTRICT_NAME)
    )
    # A name that is a district of the province wins over the vote.
    by_name = _name_matches(district_rows, reference)
    district_rows["pcode"] = by_name.fillna(district_rows["pcode"])
    district_rows = district_rows[~district_rows["key"].isin(_province_keys(provinces))]

    province_rows = _frame(
        pd.Series(province_of.index), pd.Series(province_of.to_numpy()), "village_province", RANK_DISTRICT_NAME
    )
    return [_with_keys(village_frame), district_rows[COLUMNS], _with_keys(province_rows)]


def _read_towns():
    path = data.fetch(TOWNS_FILE)
    columns = ["geonameid", "name", "asciiname", "alternatenames", "lat", "lon", "feature_class", "feature_code"]
    towns = pd.read_csv(
        path, sep="\t", header=None, usecols=range(8), names=columns, dtype=str, keep_default_na=False,
        quoting=csv.QUOTE_NONE, encoding="utf-8",
    )
    towns["lat"] = pd.to_numeric(towns["lat"], errors="coerce")
    towns["lon"] = pd.to_numeric(towns["lon"], errors="coerce")
    return towns


def _town_names(districts):
    towns = _join_districts(_points(_read_towns()), districts)
    alternates = towns.assign(name=towns["alternatenames"].str.split(",")).explode("name")
    long = pd.concat(
        [towns.assign(name=towns["name"]), towns.assign(name=towns["asciiname"]), alternates], ignore_index=True
    )
    # GeoNames' machine romanisations of Arabic script have no vowels ("kshk",
    # "khsan"): they are not how anyone writes the name.
    long = long[long["name"].fillna("").str.contains(r"[aeiouyAEIOUY\u00c0-\u024f]|[^\x00-\x7f]", regex=True)]
    return _frame(long["name"], long["pcode"], "geonames", RANK_TOWN, long["lat"], long["lon"])


# --- keys and the finished table ------------------------------------------------------


def _with_keys(frame):
    """Add ``key``, ``sorted_key``, ``level`` and ``province_pcode``; drop junk names."""
    frame = frame.copy()
    folded = _normalize.fold_text(frame["name"])
    frame = frame[~folded.str.fullmatch(_JUNK_NAME)]
    keys = _normalize.normalize_names(frame["name"])
    frame["key"] = keys["key"]
    frame["sorted_key"] = keys["sorted_key"]
    frame = frame[(frame["key"] != "") & _normalize.is_latin_or_arabic(frame["key"])]
    pcode = frame["pcode"].astype(str)
    frame["level"] = np.where(pcode.str.len() == 4, LEVEL_PROVINCE, LEVEL_DISTRICT)
    frame["province_pcode"] = pcode.str[:4]
    return frame


def _twin_variants(names, threshold=75):
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
    shared = shared.assign(province_pcode=shared["pcode"].str[:4], source=shared["source"] + "+twin", lat=np.nan, lon=np.nan)
    return shared[COLUMNS]


def _finish(names, district_info, province_info):
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


def summary(gazetteer=None):
    """Return the number of names per source and rank (a DataFrame)."""
    gazetteer = gazetteer or load_gazetteer()
    return gazetteer.names.groupby(["rank", "source"]).size().rename("names").reset_index()


__all__ = [
    "COLUMNS",
    "Gazetteer",
    "build_gazetteer",
    "cache_key",
    "clear_memory_cache",
    "load_gazetteer",
    "read_aliases",
    "summary",
]
