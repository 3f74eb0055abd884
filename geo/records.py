"""Incident and control-claim records: their schema, and loading them for the join.

Records live in CSV files (``seeds/incidents.csv``, ``seeds/claims.csv``, and
any imported assessment). Incidents use ACLED's column names where they fit;
both kinds carry provenance: the seed file and the character span of the
passage that reports them.

:func:`load_incidents` and :func:`load_claims` validate first (see
:mod:`geo.validation`) and raise :class:`~geo.errors.ValidationError` listing
every problem, so no later stage ever sees a malformed record. An incident
file an import wrote, unchanged since, was validated by that import: it is
read from its checked copy (:mod:`geo._checked`, keyed by the file's sha256)
and not validated again.
"""

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from . import _csv, boundaries, schema, settings
from ._distinct import by_distinct

# The schema is declared in geo.schema; these names are kept for callers.
INCIDENT_COLUMNS = schema.INCIDENT_COLUMNS
CLAIM_COLUMNS = schema.CLAIM_COLUMNS

INCIDENTS_FILE = settings.SEEDS_DIR / "incidents.csv"
CLAIMS_FILE = settings.SEEDS_DIR / "claims.csv"


def read_table(path):
    """Read a record CSV as strings, keeping each row's line number.

    Parameters
    ----------
    path : path-like

    Returns
    -------
    pandas.DataFrame
        Every column as ``str`` (empty cells are ``""``), plus ``_line``: the
        line of the file where the row starts (the header is line 1), so
        problems can be reported as ``file:line``, and ``_width``: the row's
        number of cells (validation reports rows whose width is not the
        header's). ``attrs["path"]`` is the file. A UTF-8 byte order mark is
        accepted. Cells are read verbatim (a ``'`` that :func:`write_table`
        put before a formula character stays: it is the text's now).

    Raises
    ------
    InputError
        The file is missing, holds NUL bytes, is not UTF-8, or has no header.
    """
    table = _csv.read_text_table(path)
    table.attrs["path"] = str(path)
    return table


def load_incidents(paths=(INCIDENTS_FILE,), *, articles_dir=None):
    """Return validated incidents as a GeoDataFrame of points.

    Parameters
    ----------
    paths : iterable of path-like
        Incident CSV files.
    articles_dir : path-like, optional
        Folder of the seed articles, for the provenance checks; defaults to
        ``settings.articles_dir`` (those checks are skipped when it is absent).

    Returns
    -------
    geopandas.GeoDataFrame
        The record columns, typed (``event_date`` as datetime64, numbers as
        numbers), plus ``district_pcode``, ``province_pcode`` and a point
        geometry: the place's own point where the record gives one, else a
        point inside its district (or province).

    Raises
    ------
    ValidationError
        Listing every problem in every file.
    """
    from ._checked import read_checked
    from .validation import check_incidents

    # A file an import wrote and validated, unchanged since (its checked
    # copy matches its sha256), is read from that copy and not validated
    # again; any other file is read and validated in full.
    checked = [read_checked(path, "incidents") for path in paths]
    tables = [table if table is not None else read_table(path) for table, path in zip(checked, paths)]
    check_incidents([table for table, copy in zip(tables, checked) if copy is None], articles_dir=articles_dir)
    return incidents_to_frame(pd.concat(tables, ignore_index=True) if tables else _empty(INCIDENT_COLUMNS))


def load_claims(paths=(CLAIMS_FILE,), *, articles_dir=None):
    """Return validated control claims as a DataFrame keyed by district.

    Parameters
    ----------
    paths : iterable of path-like
        Claim CSV files (the seeds' and any imported assessment).
    articles_dir : path-like, optional
        As for :func:`load_incidents`.

    Returns
    -------
    pandas.DataFrame
        The record columns with ``date`` as datetime64, plus
        ``district_pcode`` (= ``pcode``) and ``claim_file``, the file the claim
        came from.

    Raises
    ------
    ValidationError
        Listing every problem in every file.
    """
    from .validation import check_claims

    tables = [read_table(path) for path in paths]
    check_claims(tables, articles_dir=articles_dir)
    for table in tables:
        table["claim_file"] = Path(table.attrs["path"]).name
    claims = pd.concat(tables, ignore_index=True) if tables else _empty([*CLAIM_COLUMNS, "claim_file"])
    return claims_to_frame(claims)


def incidents_to_frame(table):
    """Type validated incident rows and give each a point geometry."""
    # No .copy(): pandas copies on write, so typing columns leaves `table` alone.
    incidents = table.drop(columns=["_line", "_width"], errors="ignore")
    incidents["event_date"] = parse_iso_dates(incidents["event_date"])
    incidents["time_precision"] = incidents["time_precision"].astype(int)
    incidents["fatalities"] = _integers(incidents["fatalities"], fill=0)
    # Offsets are absent (0) for records that cite a dataset, not an article.
    for column in ("source_start", "source_end"):
        incidents[column] = _integers(incidents[column], fill=0)
    for column in ("latitude", "longitude"):
        incidents[column] = _csv.parse_numbers(incidents[column])
    is_district = incidents["pcode"].str.len() > 4
    incidents["district_pcode"] = incidents["pcode"].where(is_district, "")
    incidents["province_pcode"] = incidents["pcode"].str[:4]
    return gpd.GeoDataFrame(incidents, geometry=incident_points(incidents), crs=boundaries.CRS)


def incident_points(incidents):
    """Return each incident's point: its own where known, else its area's.

    Area points come from :func:`geo.boundaries.district_points` (a point
    inside each district) or, for province-level records, a point inside the
    province. The coordinates are chosen first and the points made once (no
    geometry object made twice per record).
    """
    area_points = pd.concat([boundaries.district_points(), _province_points()])
    codes, distinct = pd.factorize(incidents["pcode"])
    area = area_points.reindex(distinct)
    area_x = np.append(area.x.to_numpy(dtype=float), np.nan)[codes]
    area_y = np.append(area.y.to_numpy(dtype=float), np.nan)[codes]
    lon, lat = incidents["longitude"].to_numpy(dtype=float), incidents["latitude"].to_numpy(dtype=float)
    has_own = ~np.isnan(lon) & ~np.isnan(lat)
    x, y = np.where(has_own, lon, area_x), np.where(has_own, lat, area_y)
    # A record with neither its own point nor a known area has no point (None, as before).
    points = shapely.points(x, y)
    points[np.isnan(x) | np.isnan(y)] = None
    return gpd.GeoSeries(points, crs=boundaries.CRS)


def parse_iso_dates(text):
    """Validated ISO dates (``YYYY-MM-DD``) as datetime64, each distinct date parsed once."""
    return by_distinct(text, lambda distinct: pd.to_datetime(distinct, format="%Y-%m-%d").to_numpy())


def format_iso_dates(dates):
    """datetime64 dates as ``YYYY-MM-DD`` text ("" where missing), each distinct date formatted once."""
    codes, distinct = pd.factorize(dates)
    text = np.append(pd.DatetimeIndex(distinct).strftime("%Y-%m-%d").to_numpy(dtype=object), "")
    return pd.Series(text[codes], index=dates.index, dtype=str)


def claims_to_frame(table):
    """Type validated claim rows."""
    claims = table.drop(columns=["_line", "_width"], errors="ignore")
    claims["date"] = pd.to_datetime(claims["date"], format="%Y-%m-%d")
    claims["district_pcode"] = claims["pcode"]
    return claims


def write_table(frame, path, columns, *, checked=None):
    """Write records to a CSV atomically, in the schema's column order.

    Text cells a spreadsheet would run as a formula (beginning ``=``, ``+``,
    ``-``, ``@``, tab or carriage return) are written with a leading ``'``
    (OWASP's guidance on CSV injection; a cell already beginning with
    ``'`` is left alone, so rewriting a file changes nothing). Columns the schemas declare as numbers, dates or codes are written as
    they are.

    Parameters
    ----------
    checked : {"incidents", "claims"}, optional
        The rows were validated as records of this kind: also write their
        checked copy (:mod:`geo._checked`), which lets a build skip
        validating them again. Without it, any checked copy of `path` is
        removed (the file now holds rows nobody validated).
    """
    from . import _checked
    from ._files import atomic_path

    safe = _csv.escape_cells(frame, [column for column in columns if column not in _NOT_TEXT])
    _checked.remove_checked(path)
    copy = None
    if checked and settings.checked_copies and _checked.is_checkable(safe[columns]):
        # Compressed in a thread while the CSV is written.
        copy = _checked.start_copy(safe[columns], path, checked)
    try:
        with atomic_path(path) as tmp:
            _csv.to_csv(safe, tmp, columns)
    except BaseException:
        if copy is not None:
            copy.discard()
        raise
    if copy is not None:
        copy.finish()


# Columns holding numbers, dates or codes: never escaped for spreadsheets.
_NOT_TEXT = frozenset(
    column.name
    for column in (*schema.INCIDENT_SCHEMA, *schema.CLAIM_SCHEMA)
    if column.kind in ("integer", "number", "date", "code")
)


def _integers(values, *, fill):
    """Whole numbers from validated text (empty cells become `fill`)."""
    values = values.str.strip()
    return _csv.parse_numbers(values.where(values != "", str(fill)), "int64")


def _province_points():
    provinces = boundaries.load_provinces()
    return gpd.GeoSeries(
        provinces.geometry.representative_point().to_numpy(), index=provinces["province_pcode"], crs=boundaries.CRS
    )


def _empty(columns):
    return pd.DataFrame({column: pd.Series(dtype=str) for column in columns})
