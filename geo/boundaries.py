"""District and province boundaries (AGCHO/OCHA 2018) as GeoDataFrames.

The shapefiles' columns are renamed to plain names so later stages never see
``ADM2_PCODE`` and friends:

========================  =====================================================
column                    meaning
========================  =====================================================
``district_pcode``        OCHA district code, e.g. ``AF1801`` (districts only)
``district``              English district name, e.g. ``Taloqan``
``district_dari``         Dari district name
``alt_names``             other English names, ``;``-separated (may be empty)
``is_provincial_capital`` the district holds its province's capital
``province_pcode``        OCHA province code, e.g. ``AF18``
``province``              English province name, e.g. ``Takhar``
``province_dari``         Dari province name
``region``                UNAMA region
``geometry``              valid polygons, EPSG:4326
========================  =====================================================
"""

import functools
import hashlib
import zipfile

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import shapely

from . import _grid, data, settings
from ._files import atomic_path
from .errors import InputError

DISTRICTS_FILE = "afg_admbnda_adm2_agcho_20180522.zip"
PROVINCES_FILE = "afg_admbnda_adm1_agcho_20180522.zip"
CRS = "EPSG:4326"

_DISTRICT_COLUMNS = {
    "ADM2_PCODE": "district_pcode",
    "ADM2_EN": "district",
    "ADM2_DA": "district_dari",
    "ADM1_PCODE": "province_pcode",
    "ADM1_EN": "province",
    "ADM1_DA": "province_dari",
    "REG_EN": "region",
}
_PROVINCE_COLUMNS = {
    "ADM1_PCODE": "province_pcode",
    "ADM1_EN": "province",
    "ADM1_DA": "province_dari",
    "REG_EN": "region",
}
# OCHA numbers each province's capital district 01 (AF1801 Taloqan, AF3001
# Lashkargah); the shapefile's ALT1 name "Centre" marks only some of them.
_CAPITAL_SUFFIX = "01"
_CAPITAL_MARKER = "Centre"
_LAYER_FORMAT = 1  # bump when the columns of the cached layers change


def _cached_layer(name, read):
    """Return a boundary layer from its GeoParquet copy in the cache folder, made by `read` once.

    Reading the shapefile from its zip costs ten times more than reading
    this copy; the key is the zip's sha256 (from the manifest), so a new
    boundary file makes a new copy.
    """
    path = _layer_path(name)
    if path.is_file():
        try:
            return gpd.read_parquet(path)
        except (OSError, ValueError):
            pass  # unreadable copy: made again below
    frame = read()
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(path) as tmp:
        frame.to_parquet(tmp, index=False)
    return frame


def _layer_path(name, kind="parquet"):
    """Where the cache folder keeps a copy of boundary file `name` (or, with `kind`, something made of it)."""
    key = hashlib.sha256(f"{_LAYER_FORMAT}:{data.manifest()[name].sha256}".encode()).hexdigest()[:24]
    if kind == "parquet":
        return settings.cache_dir / "boundaries" / f"{name.removesuffix('.zip')}-{key}.parquet"
    return settings.cache_dir / "boundaries" / f"{name.removesuffix('.zip')}-{key}-{kind}.npz"


@functools.cache
def _layer_table(layer):
    """The columns of a layer without its shapes ("districts" or "provinces").

    Read from the layer's cached copy without making its shapes, which a
    warm build does not need at full detail (its maps and files use the
    simplified ones): 0.05 s and the first pyproj call less.
    """
    name, load = (DISTRICTS_FILE, _load_districts) if layer == "districts" else (PROVINCES_FILE, _load_provinces)
    path = _layer_path(name)
    if not load.cache_info().currsize and path.is_file():
        try:
            return pd.read_parquet(path).drop(columns="geometry")
        except (OSError, ValueError, KeyError):
            pass
    return pd.DataFrame(load().drop(columns="geometry"))


def district_table():
    """Return the districts' columns without their shapes (a fresh copy; see the module docstring)."""
    return _layer_table("districts").copy()


def province_table():
    """Return the provinces' columns without their shapes (a fresh copy)."""
    return _layer_table("provinces").copy()


@functools.cache
def _load_districts():
    made_now = not _layer_path(DISTRICTS_FILE).is_file()
    districts = _cached_layer(DISTRICTS_FILE, _read_districts)
    if made_now:
        # The raster is derived from the boundary file, so it is made with the
        # layer's cached copy (never shipped): the first locate_points after
        # any load of the districts, in this process or another, reads it.
        _save_district_grid(districts)
    return districts


def _read_districts():
    raw = gpd.read_file(data.fetch(DISTRICTS_FILE), engine="pyogrio")
    districts = raw.rename(columns=_DISTRICT_COLUMNS)
    alts = raw[["ADM2ALT1EN", "ADM2ALT2EN"]]
    districts["is_provincial_capital"] = districts["district_pcode"].str.endswith(_CAPITAL_SUFFIX)
    named_alts = alts.where(alts.notna() & (alts != _CAPITAL_MARKER)).fillna("")
    # "first;second", or the one name there is, or "": joined column-wise (no per-row apply, 0.13 s).
    first, second = named_alts["ADM2ALT1EN"], named_alts["ADM2ALT2EN"]
    districts["alt_names"] = (first + ";" + second).where((first != "") & (second != ""), first + second)
    columns = [*_DISTRICT_COLUMNS.values(), "alt_names", "is_provincial_capital", "geometry"]
    districts = districts[columns].sort_values("district_pcode", ignore_index=True)
    return _clean_geometry(districts)


@functools.cache
def _load_provinces():
    return _cached_layer(PROVINCES_FILE, _read_provinces)


def _read_provinces():
    raw = gpd.read_file(data.fetch(PROVINCES_FILE), engine="pyogrio")
    provinces = raw.rename(columns=_PROVINCE_COLUMNS)[[*_PROVINCE_COLUMNS.values(), "geometry"]]
    return _clean_geometry(provinces.sort_values("province_pcode", ignore_index=True))


def load_districts():
    """Return the 399 districts as a GeoDataFrame (a fresh copy each call).

    Returns
    -------
    geopandas.GeoDataFrame
        One row per district, sorted by ``district_pcode``; see the module
        docstring for the columns.
    """
    return _load_districts().copy()


def load_provinces():
    """Return the 34 provinces as a GeoDataFrame (a fresh copy each call).

    Returns
    -------
    geopandas.GeoDataFrame
        Columns ``province_pcode``, ``province``, ``province_dari``,
        ``region``, ``geometry``; sorted by ``province_pcode``.
    """
    return _load_provinces().copy()


def district_points():
    """Return one representative point inside each district.

    Returns
    -------
    geopandas.GeoSeries
        Indexed by ``district_pcode``; each point lies inside its polygon
        (``representative_point``, not the centroid, which can fall outside).
    """
    x, y = _district_point_coordinates()
    return gpd.GeoSeries(shapely.points(x, y), index=pd.Index(district_table()["district_pcode"]), crs=CRS)


@functools.cache
def _district_point_coordinates():
    # Kept in the cache folder: placing them needs the districts at full detail.
    path = _layer_path(DISTRICTS_FILE, "points")
    if not _load_districts.cache_info().currsize:
        try:
            with np.load(path, allow_pickle=False) as stored:
                return stored["x"], stored["y"]
        except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile):
            pass
    points = _load_districts().geometry.representative_point().to_numpy()
    x, y = shapely.get_x(points), shapely.get_y(points)
    if not path.is_file():
        path.parent.mkdir(parents=True, exist_ok=True)
        with atomic_path(path) as tmp:
            np.savez(tmp, x=x, y=y)
    return x, y


@functools.cache
def _simplified(layer, tolerance):
    load = _load_districts if layer == "districts" else _load_provinces
    geometry = _simplified_geometry(layer, lambda: load().geometry.to_numpy(), tolerance)
    return gpd.GeoDataFrame(_layer_table(layer).copy(), geometry=geometry, crs=CRS)


def _simplified_geometry(layer, full_shapes, tolerance):
    """Return the layer's simplified shapes, from the cache folder or computed and stored there.

    Stored as WKB bytes in an ``.npz`` (data, never a pickle), keyed by the
    boundary file's sha256, the tolerance and the GEOS version that simplified them.
    """
    source = data.manifest()[DISTRICTS_FILE if layer == "districts" else PROVINCES_FILE].sha256
    key = hashlib.sha256(f"{source}:{tolerance!r}:{shapely.geos_version_string}".encode()).hexdigest()[:24]
    path = settings.cache_dir / "simplified" / f"{layer}-{key}.npz"
    try:
        with np.load(path, allow_pickle=False) as stored:
            wkb, offsets = stored["wkb"].tobytes(), stored["offsets"]
        return shapely.from_wkb([wkb[start:end] for start, end in zip(offsets[:-1], offsets[1:])])
    except (OSError, ValueError, KeyError):
        pass
    # coverage_simplify simplifies each shared border once, so neighbours keep
    # exactly the same edge: no slivers or gaps between districts.
    geometry = shapely.coverage_simplify(full_shapes(), tolerance)
    pieces = shapely.to_wkb(geometry)
    offsets = np.concatenate([[0], np.cumsum([len(piece) for piece in pieces])])
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(path) as tmp:
        np.savez(tmp, wkb=np.frombuffer(b"".join(pieces), dtype=np.uint8), offsets=offsets)
    return geometry


def simplified_districts(tolerance):
    """Return the districts with borders simplified as one coverage.

    Parameters
    ----------
    tolerance : float
        Simplification tolerance in degrees (0.001 is about 100 m).

    Returns
    -------
    geopandas.GeoDataFrame
        As :func:`load_districts`; shared borders stay shared.
    """
    return _simplified("districts", tolerance).copy()


def simplified_provinces(tolerance):
    """Return the provinces simplified as one coverage (see :func:`simplified_districts`)."""
    return _simplified("provinces", tolerance).copy()


def pcode_names():
    """Return a Series mapping every district and province pcode to its name."""
    districts = _layer_table("districts")
    provinces = _layer_table("provinces")
    return pd.concat(
        [
            pd.Series(districts["district"].to_numpy(), index=districts["district_pcode"]),
            pd.Series(provinces["province"].to_numpy(), index=provinces["province_pcode"]),
        ]
    )


def locate_points(points, lat=None, *, districts=None):
    """Return the district code of each point: the one point-in-district lookup.

    Every stage that places a point (validation, the gazetteer's point
    sources, the imports, the join) calls this function, so one border rule
    holds everywhere.

    **Border rule.** A point inside a district's polygon gets that district.
    A point lying exactly on a border shared by several districts gets the
    one with the lowest ``district_pcode``, so the answer is stable. A point
    outside every district (or not finite) gets ``""``.

    With the default districts, a raster of 0.01-degree cells answers the
    points of cells wholly inside one district by lookup, and only the points
    of cells touching a border get the exact polygon test against the few
    districts touching that cell (see :mod:`geo._grid`): the same answers as the exact test, many times faster
    than ``geopandas.sjoin``. The raster is built on first use and kept in the
    cache folder.

    Parameters
    ----------
    points : geopandas.GeoSeries or array-like of float
        Points in EPSG:4326; or, when `lat` is given, their longitudes.
    lat : array-like of float, optional
        Latitudes, when `points` holds longitudes.
    districts : geopandas.GeoDataFrame, optional
        Defaults to :func:`load_districts`; other districts get the exact test.

    Returns
    -------
    pandas.Series of str
        ``district_pcode`` per point, aligned with `points` (its index when
        it is a GeoSeries or Series); the province is its first four characters.
    """
    index = points.index if isinstance(points, pd.Series) else None
    if lat is None:
        geometries = np.asarray(points.to_numpy() if isinstance(points, pd.Series) else points, dtype=object)
        lon, lat = shapely.get_x(geometries), shapely.get_y(geometries)
    else:
        geometries = None
        lon, lat = np.asarray(points, dtype=float), np.asarray(lat, dtype=float)
    if districts is None:
        polygons, pcodes = _district_polygons()
        rows = district_grid().locate(lon, lat, polygons)
    else:
        rows = _exact_rows(lon, lat, districts.geometry.to_numpy(), geometries)
        pcodes = districts["district_pcode"].to_numpy()
    return _pcode_series(pcodes, rows, index)


@functools.cache
def _district_polygons():
    """The districts' polygons and pcodes, in row order: what locate_points needs of them.

    Taken from the districts when they are loaded already; otherwise read
    from an array file in the cache folder (WKB in an ``.npz``, keyed like the
    layer's copy), which a fresh process reads in milliseconds without
    pandas' Parquet reader or pyproj (0.1 s before the first point is placed).
    """
    key = hashlib.sha256(f"{_LAYER_FORMAT}:{data.manifest()[DISTRICTS_FILE].sha256}".encode()).hexdigest()[:24]
    path = settings.cache_dir / "boundaries" / f"district-polygons-{key}.npz"
    if not _load_districts.cache_info().currsize:
        try:
            with np.load(path, allow_pickle=False) as stored:
                wkb, offsets, pcodes = stored["wkb"].tobytes(), stored["offsets"], stored["pcodes"]
            return shapely.from_wkb([wkb[start:end] for start, end in zip(offsets[:-1], offsets[1:])]), pcodes
        except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile):
            pass
    districts = _load_districts()
    polygons, pcodes = districts.geometry.to_numpy(), districts["district_pcode"].to_numpy(dtype=str)
    if not path.is_file():
        pieces = shapely.to_wkb(polygons)
        path.parent.mkdir(parents=True, exist_ok=True)
        with atomic_path(path) as tmp:
            offsets = np.concatenate([[0], np.cumsum([len(piece) for piece in pieces])])
            np.savez(tmp, wkb=np.frombuffer(b"".join(pieces), dtype=np.uint8), offsets=offsets, pcodes=pcodes)
    return polygons, pcodes


def _pcode_series(pcodes, rows, index):
    # Row -1 (outside) picks the "" appended at the end. Arrow's take builds
    # the string column ten times faster than a pandas object array would.
    table = pa.array([*map(str, pcodes), ""])
    codes = table.take(pa.array(np.where(rows < 0, len(pcodes), rows)))
    index = index if index is not None else pd.RangeIndex(len(rows))
    return pd.Series(codes, index=index, dtype=pd.StringDtype("pyarrow", na_value=np.nan), name="district_pcode")


def _exact_rows(lon, lat, polygons, geometries=None):
    """Return each point's polygon row number (the lowest on a shared border; -1 if none)."""
    which = np.flatnonzero(np.isfinite(lon) & np.isfinite(lat))
    rows = np.full(len(lon), -1, dtype=np.intp)
    points = shapely.points(lon[which], lat[which]) if geometries is None else geometries[which]
    # Query a tree of the points with the polygons, not the other way round:
    # shapely prepares each query polygon once, so each point test is cheap
    # (ten times faster than a tree of polygons at a million points).
    tree = shapely.STRtree(points)
    polygon_index, point_index = tree.query(polygons, predicate="intersects")
    order = np.lexsort((polygon_index, point_index))
    point_index, polygon_index = point_index[order], polygon_index[order]
    first = np.unique(point_index, return_index=True)[1]
    rows[which[point_index[first]]] = polygon_index[first]
    return rows


LAT_COLUMNS = ("latitude", "lat", "y")
LON_COLUMNS = ("longitude", "lon", "lng", "long", "x")


def coordinate_columns(columns, lat_column=None, lon_column=None):
    """Return the names of the latitude and longitude columns among `columns`.

    A name given is checked; a name not given is guessed from the usual ones
    (``latitude``/``lat``/``y``, ``longitude``/``lon``/``lng``/``long``/``x``, any case).

    Raises
    ------
    InputError
        A named column is missing, or none of the usual names is there.
    """
    found = []
    for given, usual, what in ((lat_column, LAT_COLUMNS, "latitude"), (lon_column, LON_COLUMNS, "longitude")):
        if given is not None and given not in columns:
            raise InputError(f"no column {given!r} (columns: {', '.join(map(str, columns))})")
        guesses = [column for name in usual for column in columns if str(column).strip().lower() == name]
        if given is None and not guesses:
            raise InputError(f"no {what} column found (looked for {', '.join(usual)}); name it")
        found.append(given if given is not None else guesses[0])
    return tuple(found)


def locate_table(table, lat_column, lon_column):
    """Return `table` with the district and province of each row's coordinates.

    Parameters
    ----------
    table : pandas.DataFrame
        Coordinates as numbers or text; empty text means no coordinates.
    lat_column, lon_column : str

    Returns
    -------
    pandas.DataFrame
        `table` with ``district_pcode``, ``district``, ``province_pcode`` and
        ``province`` added (empty where the point is outside Afghanistan or
        has no coordinates).

    Raises
    ------
    InputError
        A coordinate is not a number; the message names its line (the
        header being line 1) and column.
    """
    lon = _coordinates(table[lon_column], lon_column)
    lat = _coordinates(table[lat_column], lat_column)
    codes = locate_points(lon, lat).to_numpy()
    names = pcode_names()
    province_codes = pd.Series(codes).str.slice(0, 4)
    located = table.copy()
    located["district_pcode"] = codes
    located["district"] = pd.Series(codes).map(names).fillna("").to_numpy()
    located["province_pcode"] = province_codes.to_numpy()
    located["province"] = province_codes.map(names).fillna("").to_numpy()
    return located


def _coordinates(values, column):
    text = values.astype(str).str.strip()
    numbers = pd.to_numeric(text.where(text != ""), errors="coerce").to_numpy(dtype=float)
    bad = np.flatnonzero(np.isnan(numbers) & (text != "").to_numpy() & (text.str.lower() != "nan").to_numpy())
    if len(bad):
        row = bad[0]
        more = f" (and {len(bad) - 1} more lines)" if len(bad) > 1 else ""
        raise InputError(f"line {row + 2}: {column}: {text.iloc[row]!r} is not a number{more}")
    return numbers


@functools.cache
def district_grid():
    """Return the raster of the districts (see :mod:`geo._grid`): from the cache folder, or built now and kept there."""
    districts_loaded = _load_districts.cache_info().currsize
    grid = _grid.Grid.load(_district_grid_path(), _district_grid_key())
    if grid is None:
        districts = _load_districts()  # loading the layer for the first time makes the raster too
        grid = None if districts_loaded else _grid.Grid.load(_district_grid_path(), _district_grid_key())
        grid = grid if grid is not None else _save_district_grid(districts)
    return grid


def _save_district_grid(districts):
    """Build the districts' raster with numpy (about 0.1 s) and keep it in the cache folder."""
    grid = _grid.build_grid(districts.geometry.to_numpy(), settings.grid_cell_size)
    path = _district_grid_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(path) as tmp:
        grid.save(tmp, _district_grid_key())
    return grid


def _district_grid_path():
    return settings.cache_dir / "grid" / f"districts-{_district_grid_key()}.npz"


def _district_grid_key():
    return _grid.grid_key(data.manifest()[DISTRICTS_FILE].sha256, settings.grid_cell_size)


def _clean_geometry(frame):
    frame = frame.set_crs(CRS, allow_override=True)
    invalid = ~frame.geometry.is_valid
    if invalid.any():
        frame.loc[invalid, "geometry"] = shapely.make_valid(frame.geometry[invalid].to_numpy())
    return frame
