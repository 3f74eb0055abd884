"""Render the joined layers as one self-contained HTML map.

The page shows, as of one date:

- districts coloured by control status, faded where the latest claim is old,
  with every claim behind the status (date, claimant, readable source) in the
  popup, and their names when zoomed in;
- province borders and names, the focus provinces labelled larger;
- the window's incidents, small dots that take no clicks at national zoom,
  full markers with popups when zoomed in; aggregated per district and day
  above :data:`AGGREGATE_ABOVE` incidents, so the page stays small;
- one time control that moves the date of everything together, with a
  day-by-day player;
- what changed since an earlier date, and a dated reference assessment, as
  layers of their own; a search box; a title, a legend with counts, the
  credits.

The map's elements are in :mod:`geo.plugins`; this module prepares their data
and assembles the page. No record text passes through a template: the data
goes into the finished page as one JSON document (:func:`render_html`).
Element ids are numbered in tree order, so the same inputs give the same
bytes. By default the page is self-contained (:func:`geo._assets.inline_assets`);
tiles are the only thing loaded from the internet, and the vector layers show
without them.
"""

import hashlib
import html
import json
import unicodedata

import numpy as np
import pandas as pd
import shapely

from . import _assets, _citations, plugins, settings
from ._files import cached_json
from ._folium import folium

STATUS_COLORS = {
    "taliban": "#c62828",
    "contested": "#f39c12",
    "government": "#1f5fa8",
    "unknown": "#d5d5d5",
}
STATUS_LABELS = {
    "taliban": "Taliban control",
    "contested": "Contested",
    "government": "Government control",
    "unknown": "No claim",
}
EVENT_COLORS = {
    "Battles": "#6a1b9a",
    "Explosions/Remote violence": "#111111",
    "Violence against civilians": "#d81b60",
    "Protests": "#2e7d32",
    "Riots": "#00897b",
    "Strategic developments": "#fdd835",
}
OTHER_EVENT_COLOR = "#777777"
# Provinces the source articles centre on, labelled larger ("Hilmand" is the
# OCHA spelling of Helmand, "Hirat" of Herat).
FOCUS_PROVINCES = {"AF18": "Takhar", "AF30": "Hilmand (Helmand)", "AF32": "Hirat (Herat)", "AF33": "Farah"}
# A claim older than this many days is drawn faded: it is history, not news.
STALE_AFTER_DAYS = 180
# An incident with its popup text costs 0.5-1.5 kB of page: above this count,
# or above INCIDENT_BYTES_MAX of incident data, the page carries one row per
# district and day instead, and above AGGREGATE_ROWS_MAX such rows one per
# district, so every page stays under 1.5 MB (the rest of it is about 0.65 MB).
AGGREGATE_ABOVE = 800
INCIDENT_BYTES_MAX = 650_000
AGGREGATE_ROWS_MAX = 2_000
# Degrees of simplification and decimals of the page's shapes (about 1.5 km
# and 100 m): enough for a national map, and the page stays small. The
# exported files keep more detail.
MAP_TOLERANCE = 0.015
MAP_DECIMALS = 3
AFGHANISTAN_BOUNDS = [[29.3, 60.4], [38.5, 74.9]]


def build_map(
    state,
    provinces,
    incidents,
    claims,
    *,
    as_of,
    window,
    credits,
    search_index,
    since=None,
    changes=None,
    reference=None,
):
    """Return the folium Map of one date.

    Parameters
    ----------
    state : geopandas.GeoDataFrame
        Districts (simplified for the page): ``district_pcode``,
        ``district``, ``province_pcode``, ``province``.
    provinces : geopandas.GeoDataFrame
        Provinces (simplified).
    incidents : geopandas.GeoDataFrame
        The incidents the time control can show (up to `as_of`), with a
        ``citation`` column (readable source).
    claims : pandas.DataFrame
        Every claim up to `as_of`, with a ``citation`` column.
    as_of : datetime.date
    window : dict
        ``days`` (int, or None for all time), ``first``, ``last`` (ISO dates).
    credits : list of str
    search_index : dict
        From :func:`search_index`.
    since : datetime.date, optional
        With `changes`: the districts whose status changed since this date
        (:func:`geo.join.status_changes_between`).
    reference : tuple of (str, dict), optional
        A label and pcode -> status of a reference assessment.

    Returns
    -------
    folium.Map
    """
    fmap = _LeanMap(location=[34.2, 66.3], zoom_start=6, min_zoom=5, tiles=None, control_scale=True)
    fmap.fit_bounds(AFGHANISTAN_BOUNDS)
    plugins.DataSlot(f"Afghanistan: district control and incidents as of {as_of.isoformat()}").add_to(fmap)
    plugins.PageStyle().add_to(fmap)
    folium.TileLayer("OpenStreetMap", name="Street map (online)", control=True).add_to(fmap)
    statuses = plugins.status_styles(STATUS_LABELS, STATUS_COLORS)
    plugins.PageCore(
        claims=claim_rows(claims),
        as_of=as_of.isoformat(),
        window=window,
        statuses=statuses,
        stale_days=STALE_AFTER_DAYS,
    ).add_to(fmap)
    plugins.DistrictLayer(district_features(state)).add_to(fmap)
    plugins.ProvinceLayer(_province_border_lines(state), _province_names(provinces)).add_to(fmap)
    if reference is not None:
        label, reference_statuses = reference
        plugins.ReferenceLayer(reference_statuses, label, name=f"Reference: {label}").add_to(fmap)
    if since is not None and changes is not None:
        plugins.ChangesLayer(change_rows(changes), since.isoformat(), name=f"Changed since {since.isoformat()}").add_to(
            fmap
        )
    plugins.IncidentLayer(incident_rows(incidents, state)).add_to(fmap)
    folium.LayerControl(collapsed=False, position="topright").add_to(fmap)
    plugins.TimeControl(_time_stops(claims, as_of, window)).add_to(fmap)
    plugins.Legend(
        EVENT_COLORS, since=since.isoformat() if since else None, changed=0 if changes is None else len(changes)
    ).add_to(fmap)
    plugins.Title("Claims and incidents from cited news reports.").add_to(fmap)
    plugins.SearchBox(search_index).add_to(fmap)
    plugins.Credits(credits).add_to(fmap)
    return fmap


def render_html(fmap, *, self_contained=True):
    """Return the page's HTML, with stable element ids and its data as JSON.

    folium renders the page from constant templates; the data of every geo
    element is then put in, once, as a ``<script type="application/json">``
    document escaped for that element (:func:`geo.plugins.script_json`), so no
    record text is ever read as a template.

    Parameters
    ----------
    fmap : folium.Map
    self_contained : bool
        Inline every script and stylesheet (the default), or keep CDN links.
    """
    root = fmap.get_root()
    _number_elements(root)
    page = root.render()
    if self_contained:
        page = _assets.inline_assets(page)
    document = plugins.script_json(plugins.page_data(fmap))
    data_element = f'<script type="application/json" id="{plugins.DATA_ELEMENT_ID}">{document}</script>'
    slot = next(child for child in fmap._children.values() if isinstance(child, plugins.DataSlot))
    title = f"<title>{html.escape(slot.title)}</title>"
    return page.replace(plugins.DataSlot.PLACEHOLDER, title + data_element, 1)


class _LeanMap(folium.Map):
    """A Map that links only Leaflet (no jQuery, Bootstrap, Font Awesome or awesome-markers)."""

    default_js = list(_assets.LEAN_MAP_JS)
    default_css = list(_assets.LEAN_MAP_CSS)


def district_features(state):
    """The districts as a GeoJSON FeatureCollection for the page."""
    anchors = state.geometry.representative_point()
    properties = pd.DataFrame(
        {
            "p": state["district_pcode"].to_numpy(),
            "n": state["district"].to_numpy(),
            "v": state["province"].to_numpy(),
            "pv": state["province_pcode"].to_numpy(),
            "lat": np.round(shapely.get_y(anchors.to_numpy()), MAP_DECIMALS),
            "lon": np.round(shapely.get_x(anchors.to_numpy()), MAP_DECIMALS),
        }
    )
    return _feature_collection(_map_shapes(state), properties)


def claim_rows(claims):
    """Claims as the page's rows: date, pcode, status, claimant, readable source, url."""
    ordered = claims.sort_values(["date", "district_pcode", "claimant", "status", "claim_id"])
    rows = pd.DataFrame(
        {
            "d": ordered["date"].dt.strftime("%Y-%m-%d"),
            "p": ordered["district_pcode"],
            "s": ordered["status"],
            "c": ordered["claimant"],
            "src": ordered["citation"] if "citation" in ordered else _citations.readable_citations(ordered),
            "url": _text(ordered, "url"),
            "id": _text(ordered, "claim_id"),
            "notes": _text(ordered, "notes"),
        }
    )
    return rows.to_dict(orient="records")


def change_rows(changes):
    """Changed districts as the page's rows (see :func:`geo.join.status_changes_between`)."""
    return [
        {
            "p": row.pcode,
            "before": row.status_before,
            "after": row.status_after,
            "date": row.change_date,
            "claims": claim_rows(row.claim_table) if len(row.claim_table) else [],
        }
        for row in changes.itertuples()
    ]


def incident_rows(incidents, state):
    """Incidents as the page's rows; aggregated per district above :data:`AGGREGATE_ABOVE`."""
    if len(incidents) > AGGREGATE_ABOVE:
        return _aggregated_rows(incidents, state)
    points = _spread_points(incidents)
    dates = incidents["event_date"].dt.strftime("%Y-%m-%d")
    frame = pd.DataFrame(
        {
            "d": dates.to_numpy(),
            "lat": shapely.get_y(points),
            "lon": shapely.get_x(points),
            "p": incidents["district_pcode"].to_numpy(),
            "color": incidents["event_type"].map(EVENT_COLORS).fillna(OTHER_EVENT_COLOR).to_numpy(),
            "n": 1,
            "f": incidents["fatalities"].astype(float).to_numpy(),
            "label": (dates + " " + incidents["sub_event_type"] + ", " + incidents["location"]).to_numpy(),
            "src": incidents["citation"].to_numpy(),
            "url": _text(incidents, "url").to_numpy(),
        }
    )
    records = frame.to_dict(orient="records")
    for record, popup in zip(records, _incident_popup_rows(incidents)):
        record["rows"] = popup
    if len(plugins.script_json(records).encode("utf-8")) > INCIDENT_BYTES_MAX:
        return _aggregated_rows(incidents, state)
    return records


def _incident_popup_rows(incidents):
    """(label, text) rows of each incident's popup, as plain text."""
    actors = incidents["actor1"] + np.where(incidents["actor2"] != "", " vs " + incidents["actor2"], "")
    for column in ("assoc_actor_1", "assoc_actor_2"):
        associated = _text(incidents, column)
        actors = actors + np.where(associated != "", " (with " + associated + ")", "")
    fatalities = np.where(
        incidents["fatalities_qualifier"] != "",
        incidents["fatalities_qualifier"] + " " + incidents["fatalities"].astype(str),
        incidents["fatalities"].astype(str),
    )
    district = incidents["admin2"].where(incidents["admin2"] != "", "district unknown")
    place = (
        incidents["location"]
        + " ("
        + district
        + ", "
        + incidents["admin1"]
        + "; located to "
        + incidents["geo_precision"]
        + ")"
    )
    precision = (
        incidents["time_precision"].astype(str).map({"2": " (within a week)", "3": " (within a month)"}).fillna("")
    )
    columns = {
        "Date": incidents["event_date"].dt.strftime("%Y-%m-%d") + precision,
        "Type": incidents["event_type"] + ": " + incidents["sub_event_type"],
        "Actors": actors,
        "Fatalities": pd.Series(fatalities, index=incidents.index),
        "Place": place,
        "Summary": incidents["notes"],
        "Record": incidents["event_id"],
    }
    table = pd.DataFrame({label: values.astype(str).to_numpy() for label, values in columns.items()})
    return [list(zip(table.columns, values)) for values in table.itertuples(index=False)]


def _aggregated_rows(incidents, state):
    """One row per district and day (or per district, when those are too many)."""
    placed = incidents[["district_pcode", "event_date", "fatalities"]][incidents["district_pcode"] != ""]
    keys = ["district_pcode", "event_date"]
    if placed.groupby(keys).ngroups > AGGREGATE_ROWS_MAX:
        keys = ["district_pcode"]
    totals = placed.groupby(keys).agg(
        n=("event_date", "size"), f=("fatalities", "sum"), first=("event_date", "min"), last=("event_date", "max")
    )
    totals = totals.reset_index()
    anchors = state.set_index("district_pcode").geometry.representative_point()
    names = state.set_index("district_pcode")["district"] + ", " + state.set_index("district_pcode")["province"]
    point = anchors.reindex(totals["district_pcode"]).to_numpy()
    span = totals["first"].dt.strftime("%Y-%m-%d") + " to " + totals["last"].dt.strftime("%Y-%m-%d")
    label = names.reindex(totals["district_pcode"]).to_numpy() + ": " + totals["n"].astype(str) + " incidents"
    frame = pd.DataFrame(
        {
            "d": totals["last"].dt.strftime("%Y-%m-%d"),
            "lat": np.round(shapely.get_y(point), MAP_DECIMALS),
            "lon": np.round(shapely.get_x(point), MAP_DECIMALS),
            "p": totals["district_pcode"],
            "color": "#111111",
            "n": totals["n"],
            "f": totals["f"].astype(float),
            "label": label,
        }
    )
    records = frame.to_dict(orient="records")
    for record, dates, fatalities in zip(records, span, totals["f"]):
        record["rows"] = [["Incidents", str(record["n"])], ["Dates", dates], ["Fatalities at least", str(fatalities)]]
    return records


def search_index(names, districts, provinces):
    """The search box's index: folded name -> pcodes, pcode -> display name.

    Parameters
    ----------
    names : pandas.DataFrame
        Gazetteer names (``name``, ``pcode``) of districts and provinces.
    districts, provinces : pandas.DataFrame
        ``district_pcode``/``district``/``province``, ``province_pcode``/``province``.
    """
    keys = names["name"].map(search_key)
    table = pd.DataFrame({"key": keys, "pcode": names["pcode"]})
    official = pd.DataFrame(
        {
            "key": pd.concat([districts["district"], provinces["province"]]).map(search_key),
            "pcode": pd.concat([districts["district_pcode"], provinces["province_pcode"]]),
        }
    )
    table = pd.concat([official, table]).query("key != ''").drop_duplicates().sort_values(["key", "pcode"])
    # key -> its sorted pcodes, in key order: slices of the sorted table (a groupby with a
    # Python function per key cost 0.04 s).
    keys, pcodes = table["key"].to_numpy(), table["pcode"].to_numpy()
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    grouped = dict(zip(keys[starts].tolist(), map(list, np.split(pcodes, starts[1:]))))
    display = dict(
        zip(districts["district_pcode"], districts["district"] + ", " + districts["province"] + " (district)")
    )
    display.update(zip(provinces["province_pcode"], provinces["province"] + " (province)"))
    return {"keys": {key: [str(code) for code in codes] for key, codes in grouped.items()}, "names": display}


def search_key(name):
    """Fold a name for the search box: lower case, accents dropped, letters and digits only.

    The page folds what the user types the same way.
    """
    text = unicodedata.normalize("NFKD", str(name))
    text = "".join(char for char in text if not unicodedata.combining(char)).lower()
    return "".join(char for char in text if ("a" <= char <= "z") or char.isdigit() or "\u0600" <= char <= "\u06ff")


def _time_stops(claims, as_of, window):
    """The time control's stops: every claim date up to `as_of`, and `as_of`."""
    dates = set(claims["date"].dt.strftime("%Y-%m-%d")) | {as_of.isoformat()}
    return sorted(date for date in dates if date <= as_of.isoformat())


def _province_names(provinces):
    anchors = provinces.geometry.representative_point()
    return [
        {
            "lat": round(point.y, MAP_DECIMALS),
            "lon": round(point.x, MAP_DECIMALS),
            "name": FOCUS_PROVINCES.get(pcode, name),
            "focus": pcode in FOCUS_PROVINCES,
        }
        for pcode, name, point in zip(provinces["province_pcode"], provinces["province"], anchors)
    ]


def _text(frame, column):
    """A text column, empty where missing or absent."""
    if column not in frame.columns:
        return pd.Series("", index=frame.index)
    return frame[column].astype(object).where(frame[column].notna(), "").astype(str)


def _map_shapes(frame):
    """Geometries rounded to the page's precision."""
    return shapely.transform(frame.geometry.to_numpy(), lambda coords: np.round(coords, MAP_DECIMALS))


def _province_border_lines(state):
    """Province borders as one line network drawn from the district shapes:
    each border is drawn once, exactly on the district edges.

    Kept in the cache folder under a checksum of the shapes and their
    provinces (the same on every build of the same boundaries): merging the
    borders costs 0.05 s.
    """
    shapes = _map_shapes(state)
    codes = state["province_pcode"].astype(str).tolist()
    digest = hashlib.sha256(b"".join(shapely.to_wkb(shapes)))
    digest.update(f"{codes}:{shapely.geos_version_string}".encode())
    path = settings.cache_dir / "render" / f"province-borders-{digest.hexdigest()[:32]}.json"
    return cached_json(path, lambda: _merged_borders(state, shapes))


def _merged_borders(state, shapes):
    outlines = shapely.boundary(state.set_geometry(shapes).dissolve("province_pcode").geometry.to_numpy())
    return json.loads(shapely.to_geojson(shapely.line_merge(shapely.union_all(outlines))))


def _spread_points(incidents):
    """Points of the markers: incidents placed only to a district share one
    point, so they are spread on a small spiral around it to be clickable."""
    x = shapely.get_x(incidents.geometry.to_numpy())
    y = shapely.get_y(incidents.geometry.to_numpy())
    shared = pd.Series(list(zip(np.round(x, 5), np.round(y, 5))), index=incidents.index, dtype=object)
    rank = shared.groupby(shared).cumcount().to_numpy() if len(shared) else np.zeros(0)
    angle = rank * 2.39996  # the golden angle spreads points evenly
    distance = 0.018 * np.sqrt(rank)
    spread_x = np.round(x + distance * np.cos(angle), MAP_DECIMALS)
    spread_y = np.round(y + distance * np.sin(angle), MAP_DECIMALS)
    return shapely.points(spread_x, spread_y)


def _feature_collection(geometries, properties):
    """A GeoJSON FeatureCollection dict from geometries and a properties table."""
    geometry_json = shapely.to_geojson(np.asarray(geometries))
    records = properties.to_dict(orient="records")
    features = [
        {"type": "Feature", "properties": record, "geometry": json.loads(geometry)}
        for record, geometry in zip(records, geometry_json)
    ]
    return {"type": "FeatureCollection", "features": features}


def _number_elements(root):
    """Replace folium's random element ids by numbers in tree order."""
    counter = 0

    def visit(element):
        nonlocal counter
        element._id = f"{counter:04d}"
        counter += 1
        for child in list(element._children.values()):
            visit(child)

    visit(root)
    for section in ("header", "html", "script"):
        visit(getattr(root, section))
