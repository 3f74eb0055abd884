"""UCDP GED exports in: ``geo import ucdp``.

Reads UCDP's Georeferenced Event Dataset CSV (``id, date_start, date_end,
date_prec, type_of_violence, side_a, side_b, adm_1, adm_2,
where_coordinates, where_prec, latitude, longitude, best, low, high, ...``)
and makes geo incident records that cite UCDP GED and keep its event id.

Codebook mappings:

- ``where_prec`` 1-2 (the place or within 25 km) → place, 3 (a district) →
  district, 4-5 (a province, or a wider area inside the country) → province;
  6-7 (only the country, or outside it) cannot be mapped and are rejected.
- ``date_prec`` 1 (the day) → 1, 2 (2-6 days) → 2 (week), 3-5 (a month or
  longer) → 3 (month); the date is ``date_start``.
- ``type_of_violence`` 1 (state-based) and 2 (non-state) → Battles / Armed
  clash, 3 (one-sided) → Violence against civilians / Attack.
- ``best`` → fatalities; ``low`` and ``high`` are kept.
"""

import functools
import re

import pandas as pd

from .. import records
from ..schema import LEVEL_DISTRICT, LEVEL_PLACE, LEVEL_PROVINCE
from ._finish import finish_incidents, problem_rows
from ._place import LEVEL_WIDE
from ._read import column_or_blank, parse_counts, parse_dates, read_source

DATASET = "UCDP GED"
WHERE_PRECISIONS = {
    "1": LEVEL_PLACE,
    "2": LEVEL_PLACE,
    "3": LEVEL_DISTRICT,
    "4": LEVEL_PROVINCE,
    "5": LEVEL_PROVINCE,
    "6": LEVEL_WIDE,
    "7": LEVEL_WIDE,
}
DATE_PRECISIONS = {"1": "1", "2": "2", "3": "3", "4": "3", "5": "3"}
VIOLENCE_TYPES = {
    "1": ("Battles", "Armed clash"),
    "2": ("Battles", "Armed clash"),
    "3": ("Violence against civilians", "Attack"),
}
# UCDP writes "Hilmand province" and "Nad Ali district".
_ADMIN_SUFFIX = re.compile(r"\s+(province|district|city)$", re.IGNORECASE)


def import_ucdp(path):
    """Read a UCDP GED export and make incident records of it.

    Returns
    -------
    geo.imports.ImportResult
    """
    source = read_source(path)
    _require(source, ("id", "date_start", "type_of_violence", "side_a", "latitude", "longitude", "best"))
    column = functools.partial(column_or_blank, source)
    dates = parse_dates(column("date_start").str[:10], ("%Y-%m-%d", "%m/%d/%Y"))
    counts = {name: parse_counts(column(name)) for name in ("best", "low", "high")}
    violence = column("type_of_violence")
    where_prec, date_prec = column("where_prec"), column("date_prec")
    problems = pd.concat(
        [
            problem_rows(dates.isna(), "date_start", "'" + column("date_start") + "' is not a date such as 2019-09-28"),
            problem_rows(counts["best"].isna(), "best", "'" + column("best") + "' is not a whole number of 0 or more"),
            problem_rows(
                ~violence.isin(list(VIOLENCE_TYPES)), "type_of_violence", "'" + violence + "' is not 1, 2 or 3"
            ),
            problem_rows(~where_prec.isin([*WHERE_PRECISIONS, ""]), "where_prec", "'" + where_prec + "' is not 1 to 7"),
            problem_rows(~date_prec.isin([*DATE_PRECISIONS, ""]), "date_prec", "'" + date_prec + "' is not 1 to 5"),
        ],
        ignore_index=True,
    )

    def text(values):
        return values.astype(str).replace("<NA>", "")

    mapped = {
        "event_id": column("id"),
        "event_date": records.format_iso_dates(dates),
        "time_precision": date_prec.map(DATE_PRECISIONS).fillna("1"),
        "event_type": violence.map(lambda code: VIOLENCE_TYPES.get(code, ("", ""))[0]),
        "sub_event_type": violence.map(lambda code: VIOLENCE_TYPES.get(code, ("", ""))[1]),
        "actor1": column("side_a"),
        "actor2": column("side_b"),
        "location": _strip_admin(column("where_coordinates")),
        "latitude": column("latitude"),
        "longitude": column("longitude"),
        "fatalities": text(counts["best"]),
        "fatalities_low": text(counts["low"]),
        "fatalities_high": text(counts["high"]),
        "notes": column("source_headline").where(column("source_headline") != "", column("where_description")),
        "source": column("source_article").where(column("source_article") != "", column("source_office")),
        "dataset": pd.Series(DATASET, index=source.index),
        "source_geo_precision": where_prec,
    }
    events = pd.DataFrame(
        {
            "latitude": pd.to_numeric(column("latitude"), errors="coerce"),
            "longitude": pd.to_numeric(column("longitude"), errors="coerce"),
            "level": where_prec.map(WHERE_PRECISIONS).fillna(""),
            "location": mapped["location"],
            "admin2": _strip_admin(column("adm_2")),
            "admin1": _strip_admin(column("adm_1")),
            "notes": mapped["notes"],
        }
    )
    return finish_incidents(source, mapped, events, problems)


def _strip_admin(names):
    return names.str.replace(_ADMIN_SUFFIX, "", regex=True)


def _require(source, columns):
    from ..errors import InputError

    missing = [name for name in columns if name not in source.columns]
    if missing:
        raise InputError(f"{source.attrs['path']}: not a UCDP GED export: no {', '.join(missing)} column")
