"""Join records to districts: control status as of a date, incidents in a window.

The join is an attribute join on ``district_pcode``: every record was placed
in its district by the geocoder when it was written, so no point-in-polygon
test is needed for them. :func:`geo.boundaries.locate_points` is the spatial
join for points that carry no code (e.g. a bulk import of coordinates).

Status rules, per district, as of the date:

- only claims dated on or before the date count;
- the latest claim date wins; when the claims of that date disagree, the
  district is ``contested``;
- a district with no claim is ``unknown``;
- the claim's age in days is kept, so a map can show that a 2018 assessment
  is not news in 2019.
"""

import datetime as dt

import numpy as np
import pandas as pd

from .errors import InputError
from .schema import EARLIEST_YEAR, LATEST_YEAR, STATUS_UNKNOWN


def status_as_of(districts, claims, as_of):
    """Return each district's control status as of a date.

    Parameters
    ----------
    districts : geopandas.GeoDataFrame
        From :func:`geo.boundaries.load_districts`.
    claims : pandas.DataFrame
        From :func:`geo.records.load_claims`.
    as_of : datetime.date

    Returns
    -------
    geopandas.GeoDataFrame
        `districts` with ``status``, ``status_date`` (the winning claims'
        date, ISO, empty if none), ``status_age_days``, ``claimants`` and
        ``claims`` (every claim of that date: date, status, claimant, source
        and citation, ``; ``-separated), and ``claim_count`` (all claims up to
        the date).
    """
    cutoff = pd.Timestamp(as_of)
    known = claims[claims["date"] <= cutoff]
    latest_date = known.groupby("district_pcode")["date"].transform("max")
    latest = known[known["date"] == latest_date].sort_values(["district_pcode", "claimant", "status", "claim_id"])
    latest = latest.assign(summary=_claim_summaries(latest))
    per_district = latest.groupby("district_pcode").agg(
        status=("status", lambda statuses: statuses.iloc[0] if statuses.nunique() == 1 else "contested"),
        status_date=("date", "max"),
        claimants=("claimant", lambda names: "; ".join(dict.fromkeys(names))),
        claims=("summary", "; ".join),
    )
    per_district["claim_count"] = known.groupby("district_pcode").size()
    joined = districts.merge(per_district, how="left", left_on="district_pcode", right_index=True)
    joined["status"] = joined["status"].fillna(STATUS_UNKNOWN)
    joined["status_age_days"] = (cutoff - joined["status_date"]).dt.days.astype("Int64")
    joined["status_date"] = joined["status_date"].dt.strftime("%Y-%m-%d").fillna("")
    for column in ("claimants", "claims"):
        joined[column] = joined[column].fillna("")
    joined["claim_count"] = joined["claim_count"].fillna(0).astype(int)
    return joined


def status_changes_between(districts, claims, since, as_of):
    """Return the districts whose status on `as_of` differs from that on `since`.

    Parameters
    ----------
    districts : pandas.DataFrame
        ``district_pcode``, ``district``, ``province`` (any geometry is dropped).
    claims : pandas.DataFrame
        From :func:`geo.records.load_claims`.
    since, as_of : datetime.date

    Returns
    -------
    pandas.DataFrame
        One row per changed district, by pcode: ``pcode``, ``district``,
        ``province``, ``status_before``, ``status_after``, ``change_date``
        (the date of the claims that set the new status, ISO),
        ``claims`` (those claims after `since`, ``; ``-separated) and
        ``claim_table`` (the same claims as a DataFrame).
    """
    table = pd.DataFrame(districts[["district_pcode", "district", "province"]])
    before = status_as_of(table, claims, since)
    after = status_as_of(table, claims, as_of)
    changed = after["status"].to_numpy() != before["status"].to_numpy()
    rows = after[changed]
    recent = claims[(claims["date"] > pd.Timestamp(since)) & (claims["date"] <= pd.Timestamp(as_of))]
    # A comprehension, not dict(): dict() takes a GroupBy for a mapping (its `keys` is a column name).
    by_district = {pcode: group for pcode, group in recent.groupby("district_pcode")}  # noqa: C416
    empty = recent.iloc[0:0]
    claim_tables = [by_district.get(pcode, empty) for pcode in rows["district_pcode"]]
    return pd.DataFrame(
        {
            "pcode": rows["district_pcode"].to_numpy(),
            "district": rows["district"].to_numpy(),
            "province": rows["province"].to_numpy(),
            "status_before": before.loc[changed, "status"].to_numpy(),
            "status_after": rows["status"].to_numpy(),
            "change_date": rows["status_date"].to_numpy(),
            "claims": ["; ".join(_claim_summaries(frame)) for frame in claim_tables],
            "claim_table": claim_tables,
        }
    )


def window_bounds(as_of, window_days):
    """Return the first and last day of the incident window.

    Parameters
    ----------
    as_of : datetime.date
        The last day of the window (included).
    window_days : int or None
        Length in days; None means all time up to `as_of`.
    """
    earliest = dt.date(EARLIEST_YEAR, 1, 1)
    if not earliest <= as_of <= dt.date(LATEST_YEAR, 12, 31):
        raise InputError(f"the date {as_of} is outside {EARLIEST_YEAR}-{LATEST_YEAR}, the years records may have")
    if window_days is None:
        return earliest, as_of
    if window_days < 1:
        raise InputError(f"--window: {window_days} is not a number of days of 1 or more")
    longest = (dt.date(LATEST_YEAR, 12, 31) - earliest).days + 1
    if window_days > longest:
        raise InputError(
            f"--window: {window_days} days is longer than {EARLIEST_YEAR}-{LATEST_YEAR}; give at most {longest} or 'all'"
        )
    # A window reaching back before the earliest records starts with them.
    return max(as_of - dt.timedelta(days=min(window_days - 1, (as_of - earliest).days)), earliest), as_of


def incidents_in_window(incidents, as_of, window_days):
    """Return the incidents dated within the window ending on `as_of`."""
    first, last = window_bounds(as_of, window_days)
    dates = incidents["event_date"]
    inside = (dates >= pd.Timestamp(first)) & (dates <= pd.Timestamp(last))
    # All of them (a window of all time, usually): no copy of a million rows.
    return incidents if inside.all() else incidents[inside]


def incident_totals(districts, incidents):
    """Add ``incidents`` and ``fatalities`` per district to `districts`.

    Province-level incidents are not counted in any district.
    """
    # Only the columns counted are filtered (not every column of a million rows).
    placed = incidents[["district_pcode", "event_id", "fatalities"]][incidents["district_pcode"] != ""]
    totals = placed.groupby("district_pcode").agg(incidents=("event_id", "size"), fatalities=("fatalities", "sum"))
    joined = districts.merge(totals, how="left", left_on="district_pcode", right_index=True)
    joined[["incidents", "fatalities"]] = joined[["incidents", "fatalities"]].fillna(0).astype(int)
    return joined


def _claim_summaries(claims):
    citation = np.where(
        claims["source_start"].astype(str) != "",
        claims["source_file"] + " @" + claims["source_start"].astype(str) + "-" + claims["source_end"].astype(str),
        claims["source_file"],
    )
    return (
        claims["date"].dt.strftime("%Y-%m-%d")
        + " "
        + claims["claimant"]
        + ": "
        + claims["status"]
        + " ("
        + claims["source"]
        + ", "
        + citation
        + ")"
    )
