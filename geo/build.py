"""Build the map and files of one date, or a series of dates.

This stage runs the pipeline end to end: load and validate the records, join
them to the districts as of the date, render the page and export the layers.
Everything is computed in memory first and each file is then written to a
temporary name; the files of one map are renamed into place together once
all are written, so a failed build leaves none of them (and older maps as
they were).

Outputs for a date D in the output folder, with the stem ``D`` for the
default window, ``D-7d`` for a 7-day one and ``D-all`` for all time
(:func:`output_stem`), so builds of several windows never overwrite each other:

- ``D.html``: the map (self-contained unless ``self_contained=False``);
- ``D-districts.geojson``: all 399 districts with their status, the claims
  behind it and the window's incident totals;
- ``D-incidents.geojson``: the window's incidents as points, coordinates filled;
- ``D.gpkg``: both layers (``districts``, ``incidents``) and their QGIS styles;
- ``D-changes.geojson`` (with ``since``): the districts whose status changed;
- ``D-incidents.parquet``: the window's incidents as GeoParquet.

``formats`` chooses among ``html``, ``geojson``, ``gpkg`` and ``parquet``. By
default all are written, except that a window of more than
``settings.geojson_incident_limit`` incidents goes to GeoParquet only (a
million points are 800 MB of GeoJSON): the build says so in its notes, and
naming the formats writes them whatever the size.

A series builds one map per step, the last on its end date, each with the
changes since the step before, and an ``index.html`` of status totals and changes.
"""

import datetime as dt
import functools
import html
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from . import _citations, _qgis_style, boundaries, data, join, records, render, settings
from ._files import cached_json, files_together, write_text_atomic
from .errors import GeoError, InputError
from .export import write_geojson, write_geopackage, write_geoparquet

FORMATS = ("html", "geojson", "gpkg", "parquet")

# Simplification of the exported district shapes, in degrees (about 100 m):
# light enough for GIS files, shared borders kept shared.
EXPORT_TOLERANCE = 0.001
SEED_CREDIT = "Records: geo, from cited news reports"
# The reference assessment drawn as a layer of its own (see reference_assessment).
REFERENCE_FILE = "lwj_district_control_2018-09-24.csv"
REFERENCE_DATE = dt.date(2018, 9, 24)

DISTRICT_FIELDS = [
    "pcode",
    "district",
    "province_pcode",
    "province",
    "status",
    "status_date",
    "status_age_days",
    "claimants",
    "claims",
    "claim_count",
    "incidents",
    "fatalities",
    "geometry",
]


@dataclass
class Inputs:
    """The validated records a build works from."""

    incidents: object
    claims: object

    @classmethod
    def load(cls, incident_files=None, claim_files=None, *, articles_dir=None):
        """Load and validate the records (the seeds' unless files are given).

        Raises
        ------
        ValidationError
            Every problem of every file, as ``geo validate`` reports them.
        """
        incident_files = list(incident_files or [records.INCIDENTS_FILE])
        claim_files = list(claim_files or [records.CLAIMS_FILE])
        incidents = records.load_incidents(incident_files, articles_dir=articles_dir)
        claims = records.load_claims(claim_files, articles_dir=articles_dir)
        return cls(incidents, claims)


@dataclass
class Outputs:
    """The files one build wrote."""

    as_of: dt.date
    html: Path
    districts: Path
    incidents: Path
    geopackage: Path
    incident_count: int
    status_counts: dict
    window_label: str = ""
    changes: list = field(default_factory=list)
    since: dt.date | None = None
    changes_path: Path | None = None
    parquet: Path | None = None
    notes: tuple = ()


def build(inputs, as_of, out_dir, *, window_days=30, self_contained=True, since=None, formats=None):
    """Build the map and files of one date.

    Parameters
    ----------
    inputs : Inputs
    as_of : datetime.date
    out_dir : path-like
        Created if missing.
    window_days : int or None
        Incidents of this many days up to `as_of`; None for all time.
    self_contained : bool
        Inline the page's libraries (default) or link them from CDNs.
    since : datetime.date, optional
        Also show and write (``D-changes.geojson``) the districts whose
        status changed since this date.
    formats : iterable of str, optional
        Some of :data:`FORMATS`; default all (big incident layers as GeoParquet only).

    Returns
    -------
    Outputs
        Paths of the files written (None for a format not written).
    """
    first, last = join.window_bounds(as_of, window_days)
    if since is not None and since > as_of:
        raise InputError(f"the changes' start {since} is after the map date {as_of}")
    out_dir = _prepare_out_dir(out_dir)

    districts = boundaries.simplified_districts(EXPORT_TOLERANCE)
    window = fill_coordinates(join.incidents_in_window(inputs.incidents, as_of, window_days))
    state = join.incident_totals(join.status_as_of(districts, inputs.claims, as_of), window)
    changes = None if since is None else join.status_changes_between(state, inputs.claims, since, as_of)
    written, notes = _choose_formats(formats, len(window))
    page = (
        _render_page(inputs, state, as_of, window_days, since, changes, self_contained) if "html" in written else None
    )

    stem = out_dir / output_stem(as_of, window_days)
    with files_together():  # a write that fails leaves none of this map's files
        paths = _write_layers(_district_layer(state), _incident_layer(window), stem, written, as_of)
        if changes is not None:
            paths["changes_path"] = stem.with_name(f"{stem.name}-changes.geojson")
            write_geojson(_change_layer(changes, state), paths["changes_path"])
        if page is not None:
            write_text_atomic(paths["html"], page)
    return Outputs(
        as_of=as_of,
        incident_count=len(window),
        status_counts=state["status"].value_counts().to_dict(),
        window_label=f"{first} to {last}",
        changes=[] if changes is None else _change_lines(changes),
        since=since,
        notes=tuple(notes),
        **paths,
    )


def _choose_formats(formats, incident_count):
    """Return what to write ({"html", "geojson", "incidents-geojson", ...}) and notes for the user."""
    if formats is not None:
        unknown = sorted(set(formats) - set(FORMATS))
        if unknown:
            raise InputError(f"formats: unknown {', '.join(unknown)} (choose from {', '.join(FORMATS)})")
        chosen = set(formats)
        return chosen | {f"incidents-{name}" for name in chosen & {"geojson", "gpkg"}}, []
    if incident_count <= settings.geojson_incident_limit:
        return set(FORMATS) | {"incidents-geojson", "incidents-gpkg"}, []
    note = (
        f"{incident_count} incidents: their layer is written as GeoParquet only "
        f"(as GeoJSON it would be about {incident_count * 800 // 1_000_000} MB); ask for geojson or gpkg to get them"
    )
    return set(FORMATS), [note]


def _write_layers(district_layer, incident_layer, stem, written, as_of):
    paths = {
        "html": stem.with_name(f"{stem.name}.html") if "html" in written else None,
        "districts": stem.with_name(f"{stem.name}-districts.geojson") if "geojson" in written else None,
        "incidents": stem.with_name(f"{stem.name}-incidents.geojson") if "incidents-geojson" in written else None,
        "geopackage": stem.with_name(f"{stem.name}.gpkg") if "gpkg" in written else None,
        "parquet": stem.with_name(f"{stem.name}-incidents.parquet") if "parquet" in written else None,
    }
    if paths["districts"]:
        write_geojson(district_layer, paths["districts"])
    if paths["incidents"]:
        write_geojson(incident_layer, paths["incidents"])
    if paths["geopackage"]:
        layers = {"districts": district_layer}
        if "incidents-gpkg" in written:
            layers["incidents"] = incident_layer
        styles = {name: style for name, style in qgis_styles().items() if name in layers}
        write_geopackage(
            layers, paths["geopackage"], timestamp=as_of, date_columns=("status_date", "event_date"), styles=styles
        )
    if paths["parquet"]:
        write_geoparquet(incident_layer, paths["parquet"])
    return paths


def qgis_styles():
    """The GeoPackage's QGIS default styles: districts by status, incidents by event type."""
    statuses = {status: (render.STATUS_COLORS[status], render.STATUS_LABELS[status]) for status in render.STATUS_COLORS}
    events = {event: (color, event) for event, color in render.EVENT_COLORS.items()}
    return {
        "districts": ("control status", _qgis_style.categorized_qml("status", statuses, geometry="polygon")),
        "incidents": ("event type", _qgis_style.categorized_qml("event_type", events, geometry="point")),
    }


def output_stem(as_of, window_days):
    """The file name stem of a build: ``D`` for the default window, else
    ``D-7d`` or ``D-all``, so builds of other windows never overwrite it."""
    if window_days == settings.default_window_days:
        return as_of.isoformat()
    return f"{as_of.isoformat()}-{'all' if window_days is None else f'{window_days}d'}"


def fill_coordinates(incidents):
    """Fill every incident's ``latitude``/``longitude`` from its point.

    A record without its own coordinates was placed at a point inside its
    district (or province); that point is written out, and ``geo_precision``
    keeps saying the record is placed to the district only. ``coordinates``
    says where the pair comes from: ``record`` or ``district point`` /
    ``province point``.
    """
    # A shallow copy: pandas copies on write, so `incidents` keeps its columns
    # (a deep copy of a million rows is a second frame in memory).
    frame = incidents.copy(deep=False)
    own = (
        pd.to_numeric(frame["latitude"], errors="coerce").notna()
        & pd.to_numeric(frame["longitude"], errors="coerce").notna()
    )
    frame["coordinates"] = (frame["geo_precision"].astype(str) + " point").where(~own, "record")
    frame["latitude"] = np.round(frame.geometry.y.to_numpy(), 6)
    frame["longitude"] = np.round(frame.geometry.x.to_numpy(), 6)
    return frame


def _render_page(inputs, state, as_of, window_days, since, changes, self_contained):
    first, last = join.window_bounds(as_of, window_days)
    claims = inputs.claims[inputs.claims["date"] <= pd.Timestamp(as_of)]
    claims = claims.assign(citation=_citations.readable_citations(claims).to_numpy())
    stops_first = claims["date"].min() if len(claims) else pd.Timestamp(first)
    earliest = min(pd.Timestamp(first), stops_first) - pd.Timedelta(days=(window_days or 0))
    page_incidents = inputs.incidents[(inputs.incidents["event_date"] <= pd.Timestamp(as_of))]
    if window_days is not None:
        page_incidents = page_incidents[page_incidents["event_date"] >= earliest]
    # Above render.AGGREGATE_ABOVE the page draws totals per district and
    # day, never a record's citation: a million citations are not worked out.
    shown_one_by_one = len(page_incidents) <= render.AGGREGATE_ABOVE
    citations = _citations.readable_citations(page_incidents).to_numpy() if shown_one_by_one else ""
    page_incidents = page_incidents.assign(citation=citations)
    page_state = state.set_geometry(boundaries.simplified_districts(render.MAP_TOLERANCE).geometry.to_numpy())
    fmap = render.build_map(
        page_state,
        boundaries.simplified_provinces(render.MAP_TOLERANCE),
        page_incidents,
        claims,
        as_of=as_of,
        window={"days": window_days, "first": first.isoformat(), "last": last.isoformat()},
        credits=credits_for([*claims["source_file"].unique(), REFERENCE_FILE]),
        search_index=_search_index(),
        since=since,
        changes=changes,
        reference=reference_assessment(),
    )
    return render.render_html(fmap, self_contained=self_contained)


@functools.lru_cache(maxsize=1)
def _search_index():
    from . import gazetteer

    names = gazetteer.load_gazetteer().names
    names = names[names["level"].isin(["district", "province"]) & (names["rank"] <= gazetteer.RANK_DISTRICT_NAME)]
    districts = boundaries.district_table()  # names only: no shapes to read
    provinces = boundaries.province_table()
    return render.search_index(names, districts, provinces)


@functools.lru_cache(maxsize=1)
def reference_assessment():
    """The Long War Journal's assessment of 2018-09-24 as (label, pcode -> status), or None.

    Drawn as a reference layer of its own; it enters the map's status only
    when imported and given with ``--claims``. None when the data file
    cannot be had (no mirror and no internet).
    """
    try:
        path = data.fetch(REFERENCE_FILE)
        statuses = _reference_statuses(path)
    except GeoError:
        return None
    return f"Long War Journal assessment of {REFERENCE_DATE.isoformat()}", statuses


def _reference_statuses(path):
    """pcode -> status of the reference assessment, geocoded once per file
    content: kept in the cache folder under the file's sha256 (geocoding
    its ~400 districts costs more than the rest of a warm seed build)."""
    import hashlib

    digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()
    return cached_json(settings.cache_dir / "reference" / f"{digest}.json", lambda: _reference_claims(path))


def _reference_claims(path):
    from .imports.claims import import_claims

    claims = import_claims(path, date=REFERENCE_DATE, claimant="Long War Journal").records
    return dict(zip(claims["pcode"], claims["status"]))


def build_series(
    inputs, start, end, every_days, out_dir, *, window_days=30, self_contained=True, progress=None, formats=None
):
    """Build one map per date from `start` to `end` (always included) and an ``index.html``.

    Each map after the first shows what changed since the one before.

    Returns
    -------
    list of Outputs
    """
    if start > end:
        raise InputError(f"the series' start {start} is after its end {end}")
    if every_days < 1:
        raise InputError(f"the series' step: {every_days} is not a number of days of 1 or more")
    for date in (start, end):
        join.window_bounds(date, window_days)  # a bad date or window fails before any map is written
    dates = list(pd.date_range(start, end, freq=f"{every_days}D").date)
    if dates[-1] != end:
        dates.append(end)
    if len(dates) > settings.max_series_maps:
        raise InputError(
            f"a series from {start} to {end} every {every_days} days is {len(dates)} maps, more than "
            f"{settings.max_series_maps}; use a longer step"
        )
    steps = list(zip(dates, [None, *dates[:-1]]))
    if progress is not None:
        steps = progress(steps)
    outputs = [
        build(
            inputs, date, out_dir, window_days=window_days, self_contained=self_contained, since=since, formats=formats
        )
        for date, since in steps
    ]
    write_text_atomic(Path(out_dir) / "index.html", series_index(outputs))
    return outputs


def series_index(outputs):
    """Return an HTML page linking the maps of a series, with status totals and changes."""
    rows = "\n".join(_index_row(output) for output in outputs)
    first, last = outputs[0].as_of, outputs[-1].as_of
    return (
        '<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>Afghanistan maps, '
        f"{first} to {last}</title></head>\n<body>\n"
        f"<h1>Afghanistan: district control and incidents, {first} to {last}</h1>\n"
        f"<ul>\n{rows}\n</ul>\n<p>{html.escape(settings.boundary_credit)}</p>\n</body></html>\n"
    )


def _index_row(output):
    totals = ", ".join(
        f"{html.escape(render.STATUS_LABELS.get(status, status))} {output.status_counts.get(status, 0)}"
        for status in render.STATUS_LABELS
    )
    files = {"districts": output.districts, "incidents": output.incidents, "GeoPackage": output.geopackage}
    files["GeoParquet"] = output.parquet
    links = ", ".join(f'<a href="{html.escape(path.name)}">{label}</a>' for label, path in files.items() if path)
    if output.since is None:
        changed = ""
    elif output.changes:
        items = "".join(f"<li>{html.escape(line)}</li>" for line in output.changes)
        changed = f"<br>Changed since {output.since} ({len(output.changes)}):<ul>{items}</ul>"
    else:
        changed = f"<br>No district changed status since {output.since}."
    return (
        f"<li>{_page_link(output)}: {output.incident_count} incidents "
        f"({html.escape(output.window_label)}); districts: {totals} ({links}){changed}</li>"
    )


def _page_link(output):
    return f'<a href="{html.escape(output.html.name)}">{output.as_of}</a>' if output.html else str(output.as_of)


def _change_lines(changes):
    labels = render.STATUS_LABELS
    return [
        f"{row.district}, {row.province}: {labels[row.status_before]} \u2192 {labels[row.status_after]} ({row.change_date})"
        for row in changes.itertuples()
    ]


def _change_layer(changes, state):
    shapes = state.set_index("district_pcode").geometry
    layer = changes.drop(columns=["claim_table"]).copy()
    layer["change_date"] = layer["change_date"].replace("", None)
    return gpd.GeoDataFrame(layer, geometry=shapes.reindex(layer["pcode"]).to_numpy(), crs=state.crs)


def credits_for(source_files):
    """Return the credit lines of the boundaries and every data source used.

    Parameters
    ----------
    source_files : iterable of str
        The ``source_file`` of every claim: an imported public table (such
        as the Long War Journal's assessment) is credited by its manifest line.
    """
    manifest = data.manifest()
    credits = [settings.boundary_credit, SEED_CREDIT]
    credits += [manifest[name].credit for name in sorted(set(source_files)) if name in manifest]
    return list(dict.fromkeys(credits))


def _district_layer(state):
    layer = state.rename(columns={"district_pcode": "pcode"})[DISTRICT_FIELDS].copy()
    # Null, not "", where no claim: GIS tools then read a date field in every build.
    layer["status_date"] = layer["status_date"].replace("", None)
    return layer


def _incident_layer(window):
    layer = window.drop(columns=["district_pcode", "province_pcode"])
    layer["event_date"] = records.format_iso_dates(layer["event_date"])
    return layer.reset_index(drop=True)


def _prepare_out_dir(out_dir):
    out_dir = Path(out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        probe = out_dir / ".geo-write-test"
        probe.write_text("")
        probe.unlink()
    except OSError as error:
        raise InputError(f"--out: cannot write to {out_dir} ({error.strerror or error})") from None
    return out_dir
