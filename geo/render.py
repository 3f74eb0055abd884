"""Render the joined layers as a Folium HTML map.

The page shows, as of one date:

- districts coloured by control status, faded where the latest claim is old,
  with every claim behind the status (date, claimant, source) in the popup;
- province borders and names, the focus provinces labelled larger;
- the window's incidents as markers styled by event type, clustered above
  :data:`CLUSTER_ABOVE` incidents and aggregated per district above
  :data:`AGGREGATE_ABOVE`;
- a day-by-day player of the incidents (folium's TimestampedGeoJson) and a
  slider of control status at each claim date, both as optional overlays;
- a title, a legend, a layer control and the data credits.

Every text that comes from a record is HTML-escaped before it reaches the page
(folium treats popup and tooltip text as raw HTML). Element ids are numbered
in tree order, so the same inputs give the same bytes. By default the page is
self-contained (:func:`geo._assets.inline_assets`); tiles are the only thing
loaded from the internet, and the vector layers show without them.
"""

import html
import json

import folium
import folium.plugins
import numpy as np
import pandas as pd
import shapely
from branca.element import Element, MacroElement
from jinja2 import Template

from . import _assets

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
# Provinces the source articles centre on, labelled larger ("Hilmand" is the
# OCHA spelling of Helmand, "Hirat" of Herat).
FOCUS_PROVINCES = {"AF18": "Takhar", "AF30": "Hilmand (Helmand)", "AF32": "Hirat (Herat)", "AF33": "Farah"}
# A claim older than this many days is drawn faded: it is history, not news.
STALE_AFTER_DAYS = 180
# A marker with its popup costs about 1.4 kB of page: above these counts the
# markers cluster, then become one circle per district, and the day-by-day
# player (a second copy of every marker) is left out, so the page stays
# under 3 MB and quick to open.
CLUSTER_ABOVE = 300
AGGREGATE_ABOVE = 1_200
TIMELINE_MAX = 600
# Degrees of simplification and decimals of the page's shapes (about 1.5 km
# and 100 m): enough for a national map, and the page stays mostly library
# code rather than coordinates. The exported files keep more detail.
MAP_TOLERANCE = 0.015
MAP_DECIMALS = 3
AFGHANISTAN_BOUNDS = [[29.3, 60.4], [38.5, 74.9]]


def build_map(state, provinces, incidents, changes, *, as_of, window_label, credits):
    """Return the folium Map of one date.

    Parameters
    ----------
    state : geopandas.GeoDataFrame
        Districts (simplified) with status and incident totals, from
        :mod:`geo.join`.
    provinces : geopandas.GeoDataFrame
        Provinces (simplified).
    incidents : geopandas.GeoDataFrame
        The window's incidents.
    changes : pandas.DataFrame
        Status per district at each claim date (:func:`geo.join.status_changes`).
    as_of : datetime.date
    window_label : str
        e.g. ``"2019-09-01 to 2019-09-30"``.
    credits : list of str
        Data credits shown on the map.

    Returns
    -------
    folium.Map
    """
    fmap = _LeanMap(
        location=[34.2, 66.3],
        zoom_start=6,
        min_zoom=5,
        tiles=None,
        prefer_canvas=False,
        control_scale=True,
    )
    fmap.fit_bounds(AFGHANISTAN_BOUNDS)
    folium.TileLayer("OpenStreetMap", name="Street map (online)", control=True).add_to(fmap)
    district_layer = _district_layer(state, as_of)
    district_layer.add_to(fmap)
    _province_layers(state, provinces, fmap)
    incident_layer = _incident_layer(incidents, state, window_label)
    incident_layer.add_to(fmap)
    timeline = None
    if 0 < len(incidents) <= TIMELINE_MAX:
        timeline = _incident_timeline(incidents)
        timeline.add_to(fmap)
    if len(changes):
        ControlTimeline(district_layer, changes, as_of=as_of, name="Control over time (slider)", show=False).add_to(fmap)
    layer_control = folium.LayerControl(collapsed=False, position="topright")
    layer_control.add_to(fmap)
    if timeline is not None:
        _TimelineToggle(timeline, layer_control, "Incidents day by day (player)").add_to(fmap)
    _page_furniture(fmap, as_of, window_label, credits, len(incidents))
    return fmap


def render_html(fmap, *, self_contained=True):
    """Return the page's HTML, with stable element ids.

    Parameters
    ----------
    fmap : folium.Map
    self_contained : bool
        Inline every script and stylesheet (the default), or keep CDN links.
    """
    _number_elements(fmap.get_root())
    page = fmap.get_root().render()
    return _assets.inline_assets(page) if self_contained else page


class _LeanMap(folium.Map):
    """A Map that links only the libraries the page uses (no Bootstrap,
    Font Awesome or awesome-markers)."""

    default_js = list(_assets.LEAN_MAP_JS)
    default_css = list(_assets.LEAN_MAP_CSS)


class _LeanTimestampedGeoJson(folium.plugins.TimestampedGeoJson):
    """folium's TimestampedGeoJson less what the page does not use: no code of
    the plugin or of leaflet-timedimension calls jQuery or jQuery UI, and
    highlight.js styles code blocks the page has none of."""

    default_js = [
        (name, url) for name, url in folium.plugins.TimestampedGeoJson.default_js if name not in _assets.UNUSED_ASSET_NAMES
    ]
    default_css = [
        (name, url) for name, url in folium.plugins.TimestampedGeoJson.default_css if name not in _assets.UNUSED_ASSET_NAMES
    ]


def _district_layer(state, as_of):
    shapes = _map_shapes(state)
    age = state["status_age_days"]
    stale = age.notna() & (age > STALE_AFTER_DAYS)
    properties = pd.DataFrame(
        {
            "pcode": state["district_pcode"],
            "fill": state["status"].map(STATUS_COLORS),
            "stale": stale.to_numpy(),
            "label": _escape(state["district"] + ", " + state["province"] + ": " + state["status"].map(STATUS_LABELS))
            + np.where(state["status_date"] != "", _escape(" (claim of " + state["status_date"] + ")"), ""),
            "popup": _district_popups(state, as_of),
        }
    )
    layer = folium.GeoJson(
        _feature_collection(shapes, properties),
        name="Districts: control status",
        style_function=_district_style,
        highlight_function=lambda feature: {"weight": 2.5, "color": "#000000"},
        tooltip=folium.GeoJsonTooltip(fields=["label"], labels=False, sticky=True),
        popup=folium.GeoJsonPopup(fields=["popup"], labels=False, max_width=420),
        zoom_on_click=False,
    )
    return layer


def _district_style(feature):
    properties = feature["properties"]
    return {
        "fillColor": properties["fill"],
        "fillOpacity": 0.3 if properties["stale"] else 0.65,
        "color": "#ffffff",
        "weight": 0.6,
    }


def _district_popups(state, as_of):
    header = (
        "<b>"
        + _escape(state["district"])
        + "</b>, "
        + _escape(state["province"])
        + " <small>("
        + _escape(state["district_pcode"])
        + ")</small><br>"
    )
    status = (
        "Status on "
        + as_of.isoformat()
        + ": <b>"
        + _escape(state["status"].map(STATUS_LABELS))
        + "</b>"
        + np.where(
            state["status_date"] != "",
            _escape(
                " from claims of "
                + state["status_date"]
                + ", "
                + state["status_age_days"].astype(str)
                + np.where(state["status_age_days"].fillna(0) == 1, " day old", " days old")
            ),
            "",
        )
    )
    claims = state["claims"].map(lambda text: "<br>".join(f"&bull; {html.escape(claim)}" for claim in text.split("; ") if claim))
    claims = np.where(claims != "", "<br><u>Claims behind it</u><br>" + claims, "<br><i>No claim up to this date.</i>")
    totals = (
        "<br>Incidents in window: "
        + state["incidents"].astype(str)
        + ", fatalities at least "
        + state["fatalities"].astype(str)
    )
    return header + status + claims + totals


def _province_layers(state, provinces, fmap):
    borders = folium.GeoJson(
        _feature_collection([_province_border_lines(state)], pd.DataFrame({"kind": ["province borders"]})),
        name="Province borders",
        style_function=lambda feature: {"fill": False, "color": "#333333", "weight": 1.6},
        interactive=False,
        control=True,
    )
    borders.add_to(fmap)
    names = folium.FeatureGroup(name="Province names", control=True)
    anchors = provinces.geometry.representative_point()
    for pcode, name, point in zip(provinces["province_pcode"], provinces["province"], anchors):
        focus = pcode in FOCUS_PROVINCES
        text = html.escape(FOCUS_PROVINCES.get(pcode, name))
        css = "geo-province geo-focus" if focus else "geo-province"
        folium.Marker(
            [point.y, point.x],
            icon=folium.DivIcon(html=f'<div class="{css}">{text}</div>', icon_size=(0, 0), class_name="geo-label"),
            interactive=False,
        ).add_to(names)
    names.add_to(fmap)


def _incident_layer(incidents, state, window_label):
    if len(incidents) > AGGREGATE_ABOVE:
        return _aggregated_incidents(incidents, state, window_label)
    points = _spread_points(incidents)
    properties = pd.DataFrame(
        {
            "event_id": incidents["event_id"].to_numpy(),
            "fill": incidents["event_type"].map(EVENT_COLORS).fillna("#777777").to_numpy(),
            "radius": _marker_radius(incidents["fatalities"]).to_numpy(),
            "label": _escape(incidents["event_date"].dt.strftime("%Y-%m-%d") + " " + incidents["sub_event_type"] + ", " + incidents["location"]).to_numpy(),
            "popup": _incident_popups(incidents).to_numpy(),
        }
    )
    layer = folium.GeoJson(
        _feature_collection(points, properties),
        name=f"Incidents, {window_label} ({len(incidents)})",
        marker=folium.CircleMarker(radius=6, weight=1.2, color="#ffffff", fill=True, fill_opacity=0.9),
        style_function=lambda feature: {
            "fillColor": feature["properties"]["fill"],
            "radius": feature["properties"]["radius"],
        },
        tooltip=folium.GeoJsonTooltip(fields=["label"], labels=False),
        popup=folium.GeoJsonPopup(fields=["popup"], labels=False, max_width=380),
        zoom_on_click=False,
    )
    if len(incidents) <= CLUSTER_ABOVE:
        return layer
    cluster = folium.plugins.MarkerCluster(
        name=f"Incidents, {window_label} ({len(incidents)}, clustered)", options={"disableClusteringAtZoom": 10, "chunkedLoading": True}
    )
    layer.control = False
    layer.add_to(cluster)
    return cluster


def _aggregated_incidents(incidents, state, window_label):
    """One circle per district, sized by its incidents: a page with a marker
    per incident would not stay usable at this count."""
    placed = state[state["incidents"] > 0]
    points = placed.geometry.representative_point()
    properties = pd.DataFrame(
        {
            "fill": "#111111",
            "radius": (3 + np.sqrt(placed["incidents"].to_numpy()) / 2).clip(max=30),
            "label": _escape(placed["district"] + ": " + placed["incidents"].astype(str) + " incidents").to_numpy(),
            "popup": (
                "<b>"
                + _escape(placed["district"])
                + "</b>, "
                + _escape(placed["province"])
                + "<br>Incidents: "
                + placed["incidents"].astype(str)
                + "<br>Fatalities at least: "
                + placed["fatalities"].astype(str)
            ).to_numpy(),
        }
    )
    return folium.GeoJson(
        _feature_collection(points, properties),
        name=f"Incidents per district, {window_label} ({len(incidents)})",
        marker=folium.CircleMarker(radius=6, weight=1, color="#ffffff", fill=True, fill_opacity=0.7),
        style_function=lambda feature: {"fillColor": feature["properties"]["fill"], "radius": feature["properties"]["radius"]},
        tooltip=folium.GeoJsonTooltip(fields=["label"], labels=False),
        popup=folium.GeoJsonPopup(fields=["popup"], labels=False),
    )


def _incident_popups(incidents):
    def row(label, values):
        return "<tr><th>" + label + "</th><td>" + _escape(values) + "</td></tr>"

    actors = incidents["actor1"] + np.where(incidents["actor2"] != "", " vs " + incidents["actor2"], "")
    fatalities = np.where(
        incidents["fatalities_qualifier"] != "",
        incidents["fatalities_qualifier"] + " " + incidents["fatalities"].astype(str),
        incidents["fatalities"].astype(str),
    )
    place = incidents["location"] + " (" + incidents["admin2"].where(incidents["admin2"] != "", "district unknown") + ", " + incidents["admin1"] + "; located to " + incidents["geo_precision"] + ")"
    precision = incidents["time_precision"].map({1: "", 2: " (within a week)", 3: " (within a month)"}).fillna("")
    citation = incidents["source"] + ": " + incidents["source_file"] + " @" + incidents["source_start"].astype(str) + "-" + incidents["source_end"].astype(str)
    return (
        '<table class="geo-popup">'
        + row("Date", incidents["event_date"].dt.strftime("%Y-%m-%d") + precision)
        + row("Type", incidents["event_type"] + ": " + incidents["sub_event_type"])
        + row("Actors", actors)
        + row("Fatalities", pd.Series(fatalities, index=incidents.index))
        + row("Place", place)
        + row("Summary", incidents["notes"])
        + row("Source", citation)
        + row("Record", incidents["event_id"])
        + "</table>"
    )


def _incident_timeline(incidents):
    points = _spread_points(incidents)
    popups = _incident_popups(incidents)
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [round(point.x, MAP_DECIMALS), round(point.y, MAP_DECIMALS)]},
            "properties": {
                "times": [date.strftime("%Y-%m-%d")],
                "popup": popup,
                "icon": "circle",
                "iconstyle": {
                    "fillColor": EVENT_COLORS.get(event_type, "#777777"),
                    "fillOpacity": 0.9,
                    "color": "#ffffff",
                    "weight": 1.2,
                    "radius": float(radius),
                },
            },
        }
        for point, popup, date, event_type, radius in zip(
            points, popups, incidents["event_date"], incidents["event_type"], _marker_radius(incidents["fatalities"])
        )
    ]
    return _LeanTimestampedGeoJson(
        {"type": "FeatureCollection", "features": features},
        period="P1D",
        auto_play=False,
        loop=False,
        add_last_point=False,
        date_options="YYYY-MM-DD",
        time_slider_drag_update=True,
        duration=None,
        # The speed slider reads "NaNfps" with this plugin version: leave it out.
        speed_slider=False,
    )


class _TimelineToggle(MacroElement):
    """Lists folium's TimestampedGeoJson layer in the layer control, off at
    first, and shows its player only while the layer is on: with both the
    player's layer and the static incidents on, every marker would be drawn
    twice."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var map = {{ this._parent.get_name() }};
            var layer = {{ this.timeline.get_name() }};
            var control = map.timeDimensionControl || window.timeDimensionControl;
            map.removeLayer(layer);
            {{ this.layer_control.get_name() }}.addOverlay(layer, {{ this.label|tojson }});
            var player = control && control.getContainer ? control.getContainer() : null;
            if (player) { player.style.display = "none"; }
            map.on("overlayadd", function (event) {
                if (event.layer === layer && player) { player.style.display = ""; }
            });
            map.on("overlayremove", function (event) {
                if (event.layer === layer && player) { player.style.display = "none"; }
            });
        })();
        {% endmacro %}
        """
    )

    def __init__(self, timeline, layer_control, label):
        super().__init__()
        self._name = "TimelineToggle"
        self.timeline = timeline
        self.layer_control = layer_control
        self.label = label


class ControlTimeline(folium.map.Layer):
    """Districts coloured by control status at each claim date, with a slider.

    An equal of folium's TimeSliderChoropleth, written for this map: that
    plugin restyles every SVG path on the page when shown (so the status
    layer and the markers lose their colours), needs d3, and carries a second
    copy of every district shape. This overlay instead recolours the district
    layer while it is on, restores it when turned off, and puts its slider in
    a map control.

    Parameters
    ----------
    district_layer : folium.GeoJson
        The district layer; its features carry ``pcode``.
    changes : pandas.DataFrame
        ``date``, ``district_pcode``, ``status`` rows (see
        :func:`geo.join.status_changes`); the slider steps through its dates,
        keyed by Unix seconds.
    as_of : datetime.date
        The slider starts at the last claim date on or before it.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.layerGroup();
        (function () {
            var overlay = {{ this.get_name() }};
            var districts = {{ this.district_layer.get_name() }};
            var steps = {{ this.steps|tojson }};
            var colors = {{ this.colors|tojson }};
            var slider = L.control({position: "bottomleft"});
            var input, output;
            function show(index) {
                var step = steps.states[index];
                output.textContent = "Control as claimed up to " + steps.dates[index];
                districts.eachLayer(function (district) {
                    var status = step[district.feature.properties.pcode] || "unknown";
                    district.setStyle({fillColor: colors[status], fillOpacity: 0.75});
                });
            }
            slider.onAdd = function () {
                var box = L.DomUtil.create("div", "geo-control-slider");
                output = L.DomUtil.create("div", "geo-control-date", box);
                input = L.DomUtil.create("input", "", box);
                input.type = "range";
                input.min = 0;
                input.max = steps.dates.length - 1;
                input.value = steps.start;
                input.setAttribute("aria-label", "claim date");
                L.DomEvent.disableClickPropagation(box);
                input.addEventListener("input", function () { show(+input.value); });
                return box;
            };
            overlay.on("add", function (event) { slider.addTo(event.target._map); show(+input.value); });
            overlay.on("remove", function () {
                slider.remove();
                districts.eachLayer(function (district) { districts.resetStyle(district); });
            });
        })();
        {% endmacro %}
        """
    )

    def __init__(self, district_layer, changes, *, as_of, name, show=False):
        super().__init__(name=name, overlay=True, control=True, show=show)
        self._name = "ControlTimeline"
        self.district_layer = district_layer
        dates = sorted(changes["date"].unique())
        # Unix seconds identify each step, as TimeSliderChoropleth keys do.
        self.steps = {
            "keys": [int(pd.Timestamp(date).timestamp()) for date in dates],
            "dates": [pd.Timestamp(date).strftime("%Y-%m-%d") for date in dates],
            "states": [
                dict(zip(group["district_pcode"], group["status"]))
                for _, group in changes.sort_values(["date", "district_pcode"]).groupby("date", sort=True)
            ],
            "start": max(int(np.searchsorted(np.array(dates, dtype="datetime64[ns]"), np.datetime64(as_of), side="right")) - 1, 0),
        }
        self.colors = STATUS_COLORS


class _PageFurniture(MacroElement):
    """Title, legend, credits and the page's own styles."""

    _template = Template(
        """
        {% macro header(this, kwargs) %}
        <style>
            .leaflet-container { background: #eef1f4; }
            .geo-title { position: absolute; z-index: 1000; top: 10px; left: 55px; right: 420px;
                font: 600 17px/1.3 system-ui, sans-serif; background: rgba(255,255,255,.92);
                padding: 6px 12px; border-radius: 4px; box-shadow: 0 1px 4px rgba(0,0,0,.3); }
            .geo-title small { display: block; font-weight: 400; font-size: 12.5px; color: #444; }
            .geo-legend { background: rgba(255,255,255,.94); padding: 8px 10px; border-radius: 4px;
                font: 12px/1.45 system-ui, sans-serif; box-shadow: 0 1px 4px rgba(0,0,0,.3); max-width: 250px; }
            .geo-legend h4 { margin: 0 0 3px; font-size: 12.5px; }
            .geo-swatch { display: inline-block; width: 14px; height: 11px; margin-right: 6px; vertical-align: -1px;
                border: 1px solid #999; }
            .geo-dot { display: inline-block; width: 10px; height: 10px; border-radius: 50%; margin-right: 6px;
                border: 1px solid #fff; box-shadow: 0 0 0 1px #888; vertical-align: -1px; }
            .geo-label { pointer-events: none; }
            .geo-province { transform: translate(-50%, -50%); white-space: nowrap; font: 600 11px system-ui, sans-serif;
                color: #222; text-shadow: 0 0 3px #fff, 0 0 3px #fff, 0 0 2px #fff; }
            .geo-province.geo-focus { font-size: 14px; font-weight: 800; color: #000; text-decoration: underline; }
            .geo-popup th { text-align: left; padding-right: 8px; vertical-align: top; white-space: nowrap; }
            .geo-control-slider { background: rgba(255,255,255,.94); padding: 6px 10px; border-radius: 4px;
                font: 12px system-ui, sans-serif; box-shadow: 0 1px 4px rgba(0,0,0,.3); }
            .geo-control-slider input { width: 260px; }
        </style>
        {% endmacro %}
        {% macro html(this, kwargs) %}
        <div class="geo-title" id="geo-title">{{ this.title }}<small>{{ this.subtitle }}</small></div>
        {% endmacro %}
        {% macro script(this, kwargs) %}
        (function () {
            var map = {{ this._parent.get_name() }};
            var legend = L.control({position: "bottomright"});
            legend.onAdd = function () {
                var box = L.DomUtil.create("div", "geo-legend");
                box.innerHTML = {{ this.legend|tojson }};
                return box;
            };
            legend.addTo(map);
            {%- for credit in this.credits %}
            map.attributionControl.addAttribution({{ credit|tojson }});
            {%- endfor %}
        })();
        {% endmacro %}
        """
    )

    def __init__(self, title, subtitle, legend, credits):
        super().__init__()
        self._name = "PageFurniture"
        self.title = html.escape(title)
        self.subtitle = html.escape(subtitle)
        self.legend = legend
        self.credits = [html.escape(credit) for credit in credits]


def _page_furniture(fmap, as_of, window_label, credits, incident_count):
    statuses = "".join(
        f'<div><span class="geo-swatch" style="background:{color}"></span>{html.escape(STATUS_LABELS[status])}</div>'
        for status, color in STATUS_COLORS.items()
    )
    events = "".join(
        f'<div><span class="geo-dot" style="background:{color}"></span>{html.escape(event_type)}</div>'
        for event_type, color in EVENT_COLORS.items()
    )
    legend = (
        f"<h4>District control on {as_of.isoformat()}</h4>{statuses}"
        f"<div><small>Latest claim wins; disagreeing claims of the same day: contested. "
        f"Faded: latest claim older than {STALE_AFTER_DAYS} days.</small></div>"
        f"<h4 style='margin-top:6px'>Incidents, {html.escape(window_label)}</h4>{events}"
        f"<div><small>Marker size: fatalities. Click a district or marker for its sources.</small></div>"
    )
    title = f"Afghanistan: district control and incidents as of {as_of.isoformat()}"
    subtitle = f"{incident_count} incidents, {window_label}. Claims and incidents from cited news reports."
    fmap.add_child(_PageFurniture(title, subtitle, legend, credits))
    fmap.get_root().header.add_child(Element(f"<title>{html.escape(title)}</title>"), name="geo_title")


def _map_shapes(frame):
    """Geometries rounded to the page's precision."""
    return shapely.transform(frame.geometry.to_numpy(), lambda coords: np.round(coords, MAP_DECIMALS))


def _province_border_lines(state):
    """Province borders as one line network drawn from the district shapes:
    each border is drawn once, exactly on the district edges."""
    districts = state.set_geometry(_map_shapes(state))
    outlines = shapely.boundary(districts.dissolve("province_pcode").geometry.to_numpy())
    return shapely.line_merge(shapely.union_all(outlines))


def _spread_points(incidents):
    """Points of the markers: incidents placed only to a district share one
    point, so they are spread on a small spiral around it to be clickable."""
    x = shapely.get_x(incidents.geometry.to_numpy())
    y = shapely.get_y(incidents.geometry.to_numpy())
    shared = pd.Series(list(zip(np.round(x, 5), np.round(y, 5))), index=incidents.index)
    rank = shared.groupby(shared).cumcount().to_numpy()
    angle = rank * 2.39996  # the golden angle spreads points evenly
    distance = 0.018 * np.sqrt(rank)
    spread_x = np.round(x + distance * np.cos(angle), MAP_DECIMALS)
    spread_y = np.round(y + distance * np.sin(angle), MAP_DECIMALS)
    return shapely.points(spread_x, spread_y)


def _marker_radius(fatalities):
    return (5 + 1.6 * np.sqrt(fatalities.astype(float))).clip(upper=18).round(1)


def _feature_collection(geometries, properties):
    """A GeoJSON FeatureCollection dict from geometries and a properties table."""
    geometry_json = shapely.to_geojson(np.asarray(geometries))
    records = properties.to_dict(orient="records")
    features = [
        {"type": "Feature", "id": index, "properties": record, "geometry": json.loads(geometry)}
        for index, (record, geometry) in enumerate(zip(records, geometry_json))
    ]
    return {"type": "FeatureCollection", "features": features}


def _escape(values):
    """HTML-escape every value of a Series (or array) of text; missing is empty."""
    series = values if isinstance(values, pd.Series) else pd.Series(values)
    return series.astype(object).where(series.notna(), "").astype(str).map(html.escape)


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
