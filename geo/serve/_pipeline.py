"""The service's one door into the pipeline stages.

Every call the service makes to records, boundaries, join and build goes
through this module, so a change of those stages' signatures is one edit
here.
"""

import dataclasses
import datetime as dt
from pathlib import Path

import pandas as pd

from .. import __version__, boundaries, build, join, schema

VERSION = __version__
EARLIEST_DATE = dt.date(schema.EARLIEST_YEAR, 1, 1)
LATEST_DATE = dt.date(schema.LATEST_YEAR, 12, 31)
EVENT_TYPES = tuple(schema.EVENT_TYPES)
STATUSES = (*schema.STATUSES, schema.STATUS_UNKNOWN)
INCIDENT_COLUMNS = list(schema.INCIDENT_COLUMNS)
DISTRICT_FIELDS = [field for field in build.DISTRICT_FIELDS if field != "geometry"]
DEFAULT_WINDOW_DAYS = 30


def load_inputs(incident_file, claim_file):
    """Load and validate one incidents and one claims file (raises ValidationError)."""
    return build.Inputs.load([incident_file], [claim_file])


def district_shapes():
    """The 399 districts with the simplified borders of the exported files."""
    return boundaries.simplified_districts(build.EXPORT_TOLERANCE)


def incidents_between(incidents, first, last):
    """Incidents dated from `first` (None: the earliest) to `last`, both included."""
    first = first or EARLIEST_DATE
    return join.incidents_in_window(incidents, last, (last - first).days + 1)


def without_geometry(frame):
    """A plain DataFrame of `frame`'s attributes: the joins below need no shapes, and run faster without."""
    return pd.DataFrame(frame.drop(columns=frame.geometry.name))


def district_status(districts, claims, as_of):
    """Each district's control status as of `as_of` (see :func:`geo.join.status_as_of`).

    Parameters
    ----------
    districts, claims : pandas.DataFrame
        District attributes (:func:`without_geometry` of :func:`district_shapes`)
        and the snapshot's claims.

    Returns
    -------
    pandas.DataFrame
        `districts` (same order) with ``pcode`` and the exported district
        fields except the incident totals.
    """
    state = join.status_as_of(districts, claims, as_of).rename(columns={"district_pcode": "pcode"})
    state["status_date"] = state["status_date"].replace("", None)
    return state


def district_totals(districts, incidents, first, last):
    """Incidents and fatalities per district from `first` (None: the earliest) to `last`.

    Returns
    -------
    pandas.DataFrame
        ``incidents`` and ``fatalities``, one row per district, in `districts` order.
    """
    codes = districts[["district_pcode"]]
    return join.incident_totals(codes, incidents_between(incidents, first, last))[["incidents", "fatalities"]]


def build_map(inputs, as_of, out_dir, *, window_days, self_contained):
    """Build one date's map and files into `out_dir`.

    Returns
    -------
    dict
        ``{"files": {kind: Path}, "incident_count": int, "status_counts": dict}``;
        ``files["html"]`` is the page.
    """
    outputs = build.build(inputs, as_of, out_dir, window_days=window_days, self_contained=self_contained)
    files = {
        field.name: getattr(outputs, field.name)
        for field in dataclasses.fields(outputs)
        if isinstance(getattr(outputs, field.name), Path)
    }
    return {"files": files, "incident_count": outputs.incident_count, "status_counts": outputs.status_counts}


def claim_dates(claims):
    """Every date on which some claim was made, latest first, with its claim count."""
    counts = claims.groupby(claims["date"].dt.date).size().sort_index(ascending=False)
    return [(date, int(count)) for date, count in counts.items()]


def date_range(incidents, claims):
    """First and last date in the records (None, None when there are none)."""
    dates = pd.concat([incidents["event_date"], claims["date"]]).dropna()
    if dates.empty:
        return None, None
    return dates.min().date(), dates.max().date()
