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
- ``D.gpkg``: both layers (``districts``, ``incidents``).
"""

import datetime as dt
import html
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from . import boundaries, data, join, records, render, settings
from ._files import write_text_atomic
from .errors import InputError
from .export import write_geojson, write_geopackage

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


def build(inputs, as_of, out_dir, *, window_days=30, self_contained=True):
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

    Returns
    -------
    Outputs
    """
    out_dir = _prepare_out_dir(out_dir)
    first, last = join.window_bounds(as_of, window_days)
    window_label = f"all up to {last}" if window_days is None else f"{first} to {last}"

    districts = boundaries.simplified_districts(EXPORT_TOLERANCE)
    window = join.incidents_in_window(inputs.incidents, as_of, window_days)
    state = join.incident_totals(join.status_as_of(districts, inputs.claims, as_of), window)
    page_state = state.set_geometry(boundaries.simplified_districts(render.MAP_TOLERANCE).geometry.to_numpy())
    changes = join.status_changes(inputs.claims, as_of)

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

    district_layer = _district_layer(state)
    incident_layer = _incident_layer(window)
    stem = as_of.isoformat()
    paths = {
        "html": out_dir / f"{stem}.html",
        "districts": out_dir / f"{stem}-districts.geojson",
        "incidents": out_dir / f"{stem}-incidents.geojson",
        "geopackage": out_dir / f"{stem}.gpkg",
    }
    write_geojson(district_layer, paths["districts"])
    write_geojson(incident_layer, paths["incidents"])
    write_geopackage({"districts": district_layer, "incidents": incident_layer}, paths["geopackage"], timestamp=as_of)
    write_text_atomic(paths["html"], page)
    return Outputs(
        as_of=as_of,
        incident_count=len(window),
        status_counts=state["status"].value_counts().to_dict(),
        **paths,
    )


def build_series(inputs, start, end, every_days, out_dir, *, window_days=30, self_contained=True, progress=None):
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
        build(inputs, date, out_dir, window_days=window_days, self_contained=self_contained) for date in dates
    ]
    write_text_atomic(Path(out_dir) / "index.html", series_index(outputs))
    return outputs


def series_index(outputs):
    """Return an HTML page linking the maps of a series."""
    rows = "\n".join(
        f'<li><a href="{html.escape(output.html.name)}">{output.as_of}</a>: {output.incident_count} incidents; '
        + ", ".join(f"{html.escape(status)} {count}" for status, count in sorted(output.status_counts.items()))
        + f' (<a href="{html.escape(output.districts.name)}">districts</a>, '
        f'<a href="{html.escape(output.incidents.name)}">incidents</a>, '
        f'<a href="{html.escape(output.geopackage.name)}">GeoPackage</a>)</li>'
        for output in outputs
    )
    return (
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Afghanistan maps, "
        f"{outputs[0].as_of} to {outputs[-1].as_of}</title></head>\n<body>\n"
        f"<h1>Afghanistan: district control and incidents, {outputs[0].as_of} to {outputs[-1].as_of}</h1>\n"
        f"<ul>\n{rows}\n</ul>\n<p>{html.escape(settings.boundary_credit)}</p>\n</body></html>\n"
    )


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
