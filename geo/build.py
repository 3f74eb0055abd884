"""Build the map and files of one date, or a series of dates.

This stage runs the pipeline end to end: load and validate the records, join
them to the districts as of the date, render the page and export the layers.
Everything is computed in memory first and each file is then written
atomically, so a failed build writes nothing and an interrupted one leaves
whole files only.

Outputs for a date D in the output folder:

- ``D.html``: the map (self-contained unless ``self_contained=False``);
- ``D-districts.geojson``: all 399 districts with their status, the claims
  behind it and the window's incident totals;
- ``D-incidents.geojson``: the window's incidents as points;
- ``D.gpkg``: both layers (``districts``, ``incidents``);
- ``D-incidents.parquet``: the window's incidents as GeoParquet.

``formats`` chooses among ``html``, ``geojson``, ``gpkg`` and ``parquet``. By
default all are written, except that a window of more than
``settings.geojson_incident_limit`` incidents goes to GeoParquet only (a
million points are 800 MB of GeoJSON): the build says so in its notes, and
naming the formats writes them whatever the size.
"""

import datetime as dt
import html
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from . import boundaries, data, join, records, settings
from ._files import write_text_atomic
from .errors import InputError
from .export import write_geojson, write_geopackage, write_geoparquet

FORMATS = ("html", "geojson", "gpkg", "parquet")

# Simplification of the exported district shapes, in degrees (about 100 m):
# light enough for GIS files, shared borders kept shared.
EXPORT_TOLERANCE = 0.001
SEED_CREDIT = "Records: geo, from cited news reports"

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
    parquet: Path = None
    notes: tuple = ()


def build(inputs, as_of, out_dir, *, window_days=30, self_contained=True, formats=None):
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
    formats : iterable of str, optional
        Some of :data:`FORMATS`; default all (big incident layers as GeoParquet only).

    Returns
    -------
    Outputs
        Paths of the files written (None for a format not written).
    """
    out_dir = _prepare_out_dir(out_dir)
    first, last = join.window_bounds(as_of, window_days)
    window_label = f"all up to {last}" if window_days is None else f"{first} to {last}"

    districts = boundaries.simplified_districts(EXPORT_TOLERANCE)
    window = join.incidents_in_window(inputs.incidents, as_of, window_days)
    state = join.incident_totals(join.status_as_of(districts, inputs.claims, as_of), window)
    changes = join.status_changes(inputs.claims, as_of)
    written, notes = _choose_formats(formats, len(window))
    page = None
    if "html" in written:
        from . import render  # folium only when a page is made

        page_state = state.set_geometry(boundaries.simplified_districts(render.MAP_TOLERANCE).geometry.to_numpy())
        fmap = render.build_map(
            page_state,
            boundaries.simplified_provinces(render.MAP_TOLERANCE),
            window,
            changes,
            as_of=as_of,
            window_label=window_label,
            credits=credits_for(inputs.claims["source_file"].unique()),
        )
        page = render.render_html(fmap, self_contained=self_contained)
    paths = _write_layers(_district_layer(state), _incident_layer(window), out_dir / as_of.isoformat(), written, as_of)
    if page is not None:
        write_text_atomic(paths["html"], page)
    return Outputs(
        as_of=as_of,
        incident_count=len(window),
        status_counts=state["status"].value_counts().to_dict(),
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
        write_geopackage(layers, paths["geopackage"], timestamp=as_of)
    if paths["parquet"]:
        write_geoparquet(incident_layer, paths["parquet"])
    return paths


def build_series(
    inputs, start, end, every_days, out_dir, *, window_days=30, self_contained=True, progress=None, formats=None
):
    """Build one map per date from `start` to `end` and an ``index.html``.

    Returns
    -------
    list of Outputs
    """
    if start > end:
        raise InputError(f"--from {start} is after --to {end}")
    if every_days < 1:
        raise InputError(f"--every: {every_days} is not a number of days of 1 or more")
    dates = list(pd.date_range(start, end, freq=f"{every_days}D").date)
    if progress is not None:
        dates = progress(dates)
    outputs = [
        build(inputs, date, out_dir, window_days=window_days, self_contained=self_contained, formats=formats)
        for date in dates
    ]
    write_text_atomic(Path(out_dir) / "index.html", series_index(outputs))
    return outputs


def series_index(outputs):
    """Return an HTML page linking the maps of a series."""
    rows = "\n".join(
        f"<li>{_page_link(output)}: {output.incident_count} incidents; "
        + ", ".join(f"{html.escape(status)} {count}" for status, count in sorted(output.status_counts.items()))
        + f" ({_file_links(output)})</li>"
        for output in outputs
    )
    return (
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Afghanistan maps, "
        f"{outputs[0].as_of} to {outputs[-1].as_of}</title></head>\n<body>\n"
        f"<h1>Afghanistan: district control and incidents, {outputs[0].as_of} to {outputs[-1].as_of}</h1>\n"
        f"<ul>\n{rows}\n</ul>\n<p>{html.escape(settings.boundary_credit)}</p>\n</body></html>\n"
    )


def _page_link(output):
    return f'<a href="{html.escape(output.html.name)}">{output.as_of}</a>' if output.html else str(output.as_of)


def _file_links(output):
    files = {"districts": output.districts, "incidents": output.incidents, "GeoPackage": output.geopackage}
    files["GeoParquet"] = output.parquet
    return ", ".join(f'<a href="{html.escape(path.name)}">{label}</a>' for label, path in files.items() if path)


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
    layer = window.drop(columns=["district_pcode", "province_pcode"]).copy()
    layer["event_date"] = layer["event_date"].dt.strftime("%Y-%m-%d")
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
