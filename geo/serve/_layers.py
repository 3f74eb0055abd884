"""The two feature layers as the service holds them: GeoJSON pieces, filtered fast.

District geometries are turned into GeoJSON text once per process (they do
not change); district properties once per snapshot and window (kept in a
bounded cache); incident properties once per snapshot. A request then only
filters arrays and joins strings: no geometry is serialised per request.
"""

import datetime as dt
import functools
import json

import numpy as np
import pandas as pd
import shapely

from .. import settings
from . import _pipeline

# GeoJSON coordinates to 6 decimals (about 10 cm), as the exported files.
PRECISION = 6


def prepare(snapshot):
    """Compute what every request of a snapshot needs, once, before it is served."""
    district_geometry()
    _plain_tables(snapshot)
    incident_table(snapshot)


@functools.cache
def district_geometry():
    """Return (pcodes, geometry JSON strings, STRtree) of the simplified districts."""
    shapes = _pipeline.district_shapes()
    geometries = shapes.geometry.to_numpy()
    texts = [shapely.to_geojson(shapely.set_precision(geometry, 10**-PRECISION)) for geometry in geometries]
    return shapes["district_pcode"].to_numpy(), texts, shapely.STRtree(geometries)


@functools.lru_cache(maxsize=settings.serve_memory_cache_size)
def district_properties(snapshot, first, as_of):
    """Return one JSON object text of properties per district (same order as the geometry)."""
    districts, incidents = _plain_tables(snapshot)
    table = _status(snapshot, _last_claim_date(snapshot, as_of)).copy()
    known = pd.to_datetime(table["status_date"], format="%Y-%m-%d")
    table["status_age_days"] = (pd.Timestamp(as_of) - known).dt.days.astype("Int64")
    totals = _pipeline.district_totals(districts, incidents, first, as_of)
    table[["incidents", "fatalities"]] = totals.to_numpy()
    table = table[_pipeline.DISTRICT_FIELDS].astype(object)
    table = table.where(table.notna(), None)
    table["as_of"] = as_of.isoformat()
    table["window_start"] = first.isoformat() if first else None
    return [json.dumps(row, ensure_ascii=False, default=plain) for row in table.to_dict("records")]


@functools.lru_cache(maxsize=settings.serve_memory_cache_size)
def _status(snapshot, claim_date):
    """Status of every district as of a claim date: statuses change only on those dates."""
    districts, _ = _plain_tables(snapshot)
    return _pipeline.district_status(districts, snapshot.inputs.claims, claim_date or _pipeline.EARLIEST_DATE)


def _last_claim_date(snapshot, as_of):
    """The latest claim date on or before `as_of` (None before every claim)."""
    dates = [date for date, _ in snapshot.claim_dates if date <= as_of]
    return max(dates, default=None)


@functools.lru_cache(maxsize=4)
def _plain_tables(snapshot):
    """District attributes and the snapshot's incidents, without geometry."""
    return _pipeline.without_geometry(_pipeline.district_shapes()), _pipeline.without_geometry(
        snapshot.inputs.incidents
    )


@functools.lru_cache(maxsize=4)
def incident_table(snapshot):
    """Return the snapshot's incidents as (ids, dates, event types, lon, lat, property dicts)."""
    incidents = snapshot.inputs.incidents
    points = incidents.geometry
    table = incidents[[c for c in incidents.columns if c != "geometry"]].copy()
    table["event_date"] = table["event_date"].dt.strftime("%Y-%m-%d")
    table = table.astype(object)
    table = table.where(table.notna(), None)
    return {
        "ids": incidents["event_id"].to_numpy(dtype=object),
        "dates": incidents["event_date"].dt.date.to_numpy(),
        "event_types": incidents["event_type"].to_numpy(dtype=object),
        "lon": np.round(points.x.to_numpy(), PRECISION),
        "lat": np.round(points.y.to_numpy(), PRECISION),
        "rows": table.to_dict("records"),
    }


def districts_in(bbox):
    """Indices of the districts meeting `bbox` (all when None), in pcode order."""
    pcodes, _, tree = district_geometry()
    if bbox is None:
        return np.arange(len(pcodes))
    return np.sort(tree.query(shapely.box(*bbox), predicate="intersects"))


def district_feature(index, properties):
    pcodes, geometries, _ = district_geometry()
    return f'{{"type":"Feature","id":{json.dumps(pcodes[index])},"geometry":{geometries[index]},"properties":{properties[index]}}}'


def incidents_matching(table, dates=None, bbox=None, event_types=None):
    """Indices of the incidents within the dates (first, last; None open), bbox and event types."""
    mask = np.ones(len(table["ids"]), dtype=bool)
    if dates is not None:
        first, last = dates
        if first is not None:
            mask &= table["dates"] >= first
        if last is not None:
            mask &= table["dates"] <= last
    if bbox is not None:
        west, south, east, north = bbox
        mask &= (table["lon"] >= west) & (table["lon"] <= east) & (table["lat"] >= south) & (table["lat"] <= north)
    if event_types is not None:
        mask &= np.isin(table["event_types"], event_types)
    return np.flatnonzero(mask)


def incident_feature(table, index):
    geometry = {"type": "Point", "coordinates": [float(table["lon"][index]), float(table["lat"][index])]}
    return {"type": "Feature", "id": table["ids"][index], "geometry": geometry, "properties": table["rows"][index]}


def plain(value):
    """JSON for the numpy and date values pandas leaves in a record."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, np.generic):
        return value.item()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")
