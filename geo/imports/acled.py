"""ACLED exports in: ``geo import acled``.

Reads the CSV that ACLED's export tool writes (``event_id_cnty, event_date,
year, time_precision, disorder_type, event_type, sub_event_type, actor1,
assoc_actor_1, ..., latitude, longitude, geo_precision, source, source_scale,
notes, fatalities, tags, timestamp``; older exports have fewer columns) and
makes geo incident records that cite ACLED and keep ACLED's own event id.

ACLED's ``geo_precision``: 1 the point is the place, 2 a nearby place in the
same area (district level), 3 the point stands for a province or wider area
(the event stays at province level, its point kept). Blank means unknown: the
point is used.
"""

import functools

import pandas as pd

from .. import records
from .._csv import parse_numbers
from ..schema import LEVEL_DISTRICT, LEVEL_PLACE, LEVEL_PROVINCE, TIME_PRECISIONS
from ._finish import finish_incidents, map_distinct, value_problem_rows
from ._read import column_or_blank, count_text, parse_counts, parse_dates, read_source

DATASET = "ACLED"
# Older exports write "28 September 2019", newer ones "2019-09-28"; an
# export saved again by a spreadsheet may hold "9/28/2019" or
# "2019-09-28 00:00:00" (ACLED itself never writes day/month/year).
DATE_FORMATS = ("%Y-%m-%d", "%d %B %Y", "%d-%B-%Y", "%d %b %Y", "%m/%d/%Y", "%Y-%m-%d %H:%M:%S")
GEO_PRECISIONS = {"1": LEVEL_PLACE, "2": LEVEL_DISTRICT, "3": LEVEL_PROVINCE, "": ""}
ID_COLUMNS = ("event_id_cnty", "event_id", "data_id")


def import_acled(path):
    """Read an ACLED export and make incident records of it.

    Parameters
    ----------
    path : path-like

    Returns
    -------
    geo.imports.ImportResult

    Raises
    ------
    InputError
        The file cannot be read, or lacks a column every export has.
    """
    source = read_source(path)
    # Each column stripped once, however often it is asked for.
    column = functools.cache(functools.partial(column_or_blank, source))
    text = functools.partial(column_or_blank, source, strip=False)  # free text, as ACLED wrote it
    _require(source, ("event_date", "event_type", "actor1", "latitude", "longitude", "fatalities"))
    id_column = next((name for name in ID_COLUMNS if name in source.columns), None)
    if id_column is None:
        _require(source, ("event_id_cnty",))
    dates = parse_dates(column("event_date"), DATE_FORMATS)
    fatalities = parse_counts(column("fatalities"))
    precision = column("geo_precision")
    time_precision = column("time_precision")
    problems = pd.concat(
        [
            value_problem_rows(
                dates.isna(),
                "event_date",
                column("event_date"),
                "is not a date such as 2019-09-28 or 28 September 2019",
            ),
            value_problem_rows(
                fatalities.isna(), "fatalities", column("fatalities"), "is not a whole number of 0 or more"
            ),
            value_problem_rows(~precision.isin(list(GEO_PRECISIONS)), "geo_precision", precision, "is not 1, 2 or 3"),
            value_problem_rows(
                ~time_precision.isin(list(TIME_PRECISIONS)), "time_precision", time_precision, "is not 1, 2 or 3"
            ),
        ],
        ignore_index=True,
    )
    mapped = {
        "event_id": column(id_column),
        "event_date": records.format_iso_dates(dates),
        "time_precision": time_precision,
        "event_type": column("event_type"),
        "sub_event_type": column("sub_event_type"),
        "actor1": text("actor1"),
        "actor2": text("actor2"),
        "assoc_actor_1": text("assoc_actor_1"),
        "assoc_actor_2": text("assoc_actor_2"),
        "location": column("location"),
        "latitude": column("latitude"),
        "longitude": column("longitude"),
        "fatalities": count_text(fatalities),
        "notes": text("notes"),
        "source": text("source"),
        "dataset": pd.Series(DATASET, index=source.index),
        "source_geo_precision": precision,
        "timestamp": column("timestamp"),
    }
    events = pd.DataFrame(
        {
            # Parsed as validation parses them (geo._csv.parse_numbers): NaN where not a number.
            "latitude": parse_numbers(column("latitude")),
            "longitude": parse_numbers(column("longitude")),
            "level": map_distinct(precision, GEO_PRECISIONS),
            "location": column("location"),
            "admin2": column("admin2"),
            "admin1": column("admin1"),
            "notes": text("notes"),
        }
    )
    return finish_incidents(source, mapped, events, problems)


def _require(source, columns):
    from ..errors import InputError

    missing = [name for name in columns if name not in source.columns]
    if missing:
        raise InputError(
            f"{source.attrs['path']}: not an ACLED export: no {', '.join(missing)} column"
            + (" (is this UCDP GED? use 'geo import ucdp')" if "date_start" in source.columns else "")
        )
