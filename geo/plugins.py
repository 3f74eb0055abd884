"""The map's own elements, as folium-style classes.

Each class is one element of the page (the district layer, the incidents,
the time control, the legend, the changes layer, the reference layer, the
search box, the title and credits), written like folium's plugins: a class
with a ``_template`` of JavaScript and the data it draws.

Data never passes through a template. branca renders the output of every
macro a second time as a Jinja template, so any text placed in a macro would
run as template code (``{{ ... }}``) at build time. The templates here hold
constant code only; each element keeps its data in ``self.data`` and
:func:`page_data` gathers it into one JSON document, which
:func:`geo.render.render_html` puts into the finished page, escaped for a
``<script>`` element (:func:`script_json`). The page's JavaScript reads it
with ``JSON.parse`` and builds every popup, tooltip and label with
``textContent``: a record's text is shown as it is and never runs.

The time model lives in the page: the claims and incidents are in the data,
and one date (:class:`TimeControl`) drives every element through
``geo.setDate``. Status rules are those of :mod:`geo.join`: the latest claim
on or before the date wins, disagreeing claims of that date make the district
contested, and a claim older than ``staleDays`` is drawn faded.
"""

import json

from ._folium import MacroElement, Template, folium
from ._script_json import script_json  # noqa: F401 (part of this module's interface)
from .schema import STATUS_UNKNOWN

DATA_ELEMENT_ID = "geo-data"
# Zoom at which district names show and incident markers take clicks.
DETAIL_ZOOM = 8


def page_data(root):
    """Gather the ``data`` of every geo element under `root`, keyed by element name."""
    found = {}

    def visit(element):
        if isinstance(element, _GeoElement):
            found[element.get_name()] = element.data
        for child in element._children.values():
            visit(child)

    visit(root)
    return found


class _GeoElement:
    """Mixin: an element whose data goes into the page's JSON document."""

    data = None


def _layer_template(body):
    """A Layer's template: a Leaflet layer group `var <name>` built by `body`."""
    return Template(
        "{% macro script(this, kwargs) %}\nvar {{ this.get_name() }} = L.layerGroup();\n(function () {\n"
        "var geo = window.geoPage, data = geo.data[{{ this.get_name()|tojson }}], layer = {{ this.get_name() }};\n"
        + body
        + "\n})();\n{% endmacro %}"
    )


def _control_template(body):
    return Template(
        "{% macro script(this, kwargs) %}\n(function () {\n"
        "var geo = window.geoPage, data = geo.data[{{ this.get_name()|tojson }}];\n" + body + "\n})();\n{% endmacro %}"
    )


class PageCore(_GeoElement, MacroElement):
    """The page's shared state: the data document, the claims, the date.

    Parameters
    ----------
    claims : list of dict
        Every claim up to the map date: ``d`` (ISO date), ``p`` (pcode),
        ``s`` (status), ``c`` (claimant), ``src`` (readable source), ``url``.
    as_of : str
        The map date (ISO).
    window : dict
        ``days`` (int or None for all time), ``first``, ``last`` (ISO).
    statuses : dict
        status -> {"label", "color"}, in legend order.
    stale_days : int
        A claim older than this is drawn faded.
    """

    _template = Template(
        "{% macro script(this, kwargs) %}\n"
        "window.geoPage = (function () {\n"
        "var data = JSON.parse(document.getElementById(" + json.dumps(DATA_ELEMENT_ID) + ").textContent);\n"
        "var core = data[{{ this.get_name()|tojson }}];\n"
        """
var geo = {data: data, map: {{ this._parent.get_name() }}, claims: core.claims, asOf: core.asOf,
    window: core.window, statuses: core.statuses, staleDays: core.staleDays, detailZoom: core.detailZoom, statusOrder: core.statusOrder, listeners: [],
    districts: [], mode: "window", date: core.asOf};
geo.el = function (tag, className, text, parent) {
    var element = document.createElement(tag);
    if (className) { element.className = className; }
    if (text !== undefined && text !== null) { element.textContent = String(text); }
    if (parent) { parent.appendChild(element); }
    return element;
};
geo.link = function (url, text, parent) {
    // Only web links: a record's url never becomes a javascript: or data: link.
    if (typeof url === "string" && /^https?:\\/\\//i.test(url)) {
        var anchor = geo.el("a", "", text, parent);
        anchor.href = url; anchor.target = "_blank"; anchor.rel = "noopener noreferrer";
        return anchor;
    }
    return geo.el("span", "", text, parent);
};
geo.isWebLink = function (url) { return typeof url === "string" && /^https?:\\/\\//i.test(url); };
geo.source = function (src, url, parent) {
    // The readable source, linked where the record has a web address; any other url is shown as text.
    geo.link(url, src, parent);
    if (url && !geo.isWebLink(url)) { geo.el("div", "geo-note", "Link given (not a web address): " + url, parent); }
};
geo.claimItem = function (claim, list) {
    var item = geo.el("li", "", claim.d + " " + claim.c + ": " + claim.s + " (", list);
    geo.source(claim.src, claim.url, item);
    geo.el("span", "", ")", item);
    if (claim.notes) { geo.el("div", "geo-note", claim.notes, item); }
    if (claim.id) { geo.el("div", "geo-note", "Claim " + claim.id, item); }
    return item;
};
geo.escapeHtml = function (text) {
    return String(text).replace(/[&<>"']/g, function (c) {
        return {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c];
    });
};
geo.day = function (iso) { return Math.round(Date.parse(iso + "T00:00:00Z") / 86400000); };
geo.iso = function (day) { return new Date(day * 86400000).toISOString().slice(0, 10); };
geo.on = function (listener) { geo.listeners.push(listener); };
geo.statusAt = function (iso) {
    // The latest claim on or before the date wins; disagreeing claims of that date: contested.
    var state = {};
    geo.claims.forEach(function (claim) {
        if (claim.d > iso) { return; }
        var current = state[claim.p];
        if (!current || claim.d > current.d) {
            state[claim.p] = {s: claim.s, d: claim.d, claims: [claim]};
        } else if (claim.d === current.d) {
            current.claims.push(claim);
            if (current.s !== claim.s) { current.s = "contested"; }
        }
    });
    Object.keys(state).forEach(function (pcode) {
        state[pcode].age = geo.day(iso) - geo.day(state[pcode].d);
    });
    return state;
};
geo.windowAt = function (iso) {
    if (geo.mode === "day") { return {first: iso, last: iso}; }
    var days = geo.window.days;
    return {first: days === null ? geo.window.first : geo.iso(geo.day(iso) - days + 1), last: iso};
};
geo.setDate = function (iso, mode) {
    geo.date = iso;
    geo.mode = mode || "window";
    geo.state = geo.statusAt(iso);
    geo.span = geo.windowAt(iso);
    geo.listeners.forEach(function (listener) { listener(iso); });
};
geo.state = geo.statusAt(geo.date);
geo.span = geo.windowAt(geo.date);
return geo;
})();
{% endmacro %}
"""
    )

    def __init__(self, *, claims, as_of, window, statuses, stale_days):
        super().__init__()
        self._name = "GeoPageCore"
        self.data = {
            "claims": claims,
            "asOf": as_of,
            "window": window,
            "statuses": statuses,
            "staleDays": stale_days,
            "detailZoom": DETAIL_ZOOM,
            # JSON objects are written with sorted keys: the legend's order is given apart.
            "statusOrder": list(statuses),
        }


class DistrictLayer(_GeoElement, folium.map.Layer):
    """Districts coloured by their status at the page's date, with names when zoomed in.

    Parameters
    ----------
    features : dict
        A GeoJSON FeatureCollection; properties ``p`` (pcode), ``n``
        (district), ``v`` (province), ``pv`` (province pcode), ``lat``/``lon``
        (a point inside, for the name label).
    """

    _template = _layer_template(
        """
var map = geo.map, labels = L.layerGroup();
map.createPane("geoLabels").style.zIndex = 640;
map.getPane("geoLabels").style.pointerEvents = "none";
function style(feature) {
    var status = geo.state[feature.properties.p], key = status ? status.s : "unknown";
    var stale = status && status.age > geo.staleDays;
    return {fillColor: geo.statuses[key].color, fillOpacity: stale ? 0.3 : 0.65, color: "#ffffff", weight: 0.6,
            className: "geo-district geo-district-" + feature.properties.p};
}
function statusText(properties) {
    var status = geo.state[properties.p];
    var text = properties.n + ", " + properties.v + ": " + geo.statuses[status ? status.s : "unknown"].label;
    return status ? text + " (claim of " + status.d + ")" : text;
}
function popup(target) {
    var properties = target.feature.properties, status = geo.state[properties.p];
    var box = geo.el("div", "geo-popup");
    var head = geo.el("div", "", null, box);
    geo.el("b", "", properties.n, head);
    geo.el("span", "", ", " + properties.v + " ", head);
    geo.el("small", "", "(" + properties.p + ")", head);
    var line = geo.el("div", "", "Status on " + geo.date + ": ", box);
    geo.el("b", "", geo.statuses[status ? status.s : "unknown"].label, line);
    if (status) {
        geo.el("span", "", " from claims of " + status.d + ", " + status.age + (status.age === 1 ? " day old" : " days old"), line);
        geo.el("u", "", "Claims behind it", geo.el("div", "", null, box));
        var list = geo.el("ul", "geo-claims", null, box);
        status.claims.forEach(function (claim) {
            geo.claimItem(claim, list);
        });
    } else {
        geo.el("i", "", "No claim up to this date.", geo.el("div", "", null, box));
    }
    var count = geo.incidentCount ? geo.incidentCount(properties.p) : null;
    if (count) {
        geo.el("div", "", "Incidents " + geo.span.first + " to " + geo.span.last + ": " + count.n + ", fatalities at least " + count.f, box);
    }
    return box;
}
var districts = L.geoJSON(data.features, {
    style: style,
    onEachFeature: function (feature, target) {
        target.bindTooltip(function () { return statusText(feature.properties); }, {sticky: true});
        target.bindPopup(popup, {maxWidth: 420, autoPanPaddingTopLeft: L.point(20, 80)});
        target.on("mouseover", function () { target.setStyle({weight: 2.5, color: "#000000"}); });
        target.on("mouseout", function () { districts.resetStyle(target); });
        geo.districts.push(target);
        var label = L.marker([feature.properties.lat, feature.properties.lon], {pane: "geoLabels", interactive: false,
            icon: L.divIcon({className: "geo-label", iconSize: [0, 0], html: geo.el("div", "geo-district-name", feature.properties.n)})});
        labels.addLayer(label);
    }
});
layer.addLayer(districts);
geo.districtLayer = districts;
function showLabels() {
    var wanted = map.hasLayer(layer) && map.getZoom() >= geo.detailZoom;
    if (wanted && !map.hasLayer(labels)) { labels.addTo(map); }
    if (!wanted && map.hasLayer(labels)) { map.removeLayer(labels); }
}
map.on("zoomend overlayadd overlayremove", showLabels);
layer.on("add", function () { setTimeout(showLabels, 0); });
geo.on(function () { districts.setStyle(style); });
"""
    )

    def __init__(self, features, *, name="Districts: control status"):
        super().__init__(name=name, overlay=True, control=True, show=True)
        self._name = "DistrictLayer"
        self.data = {"features": features}


class IncidentLayer(_GeoElement, folium.map.Layer):
    """The incidents of the window ending at the page's date, as circles.

    Below :data:`DETAIL_ZOOM` the circles are small dots that take no clicks,
    so the district colours show and the districts get the clicks; zoomed in
    they are sized by fatalities and open a popup.

    Parameters
    ----------
    incidents : list of dict
        ``d`` (ISO date), ``lat``, ``lon``, ``p`` (district pcode or ""),
        ``color``, ``n`` (incidents in the row: 1, or more where rows are
        aggregated per district), ``f`` (fatalities), and ``rows``: the popup's
        (label, text) rows; ``src``/``url`` the readable source and its link.
    """

    _template = _layer_template(
        """
var map = geo.map;
map.createPane("geoIncidents").style.zIndex = 450;
var markers = L.layerGroup().addTo(layer);
function radius(row, detail) {
    var size = row.n > 1 ? 4 + Math.sqrt(row.n) * 1.5 : 5 + 1.6 * Math.sqrt(row.f || 0);
    return detail ? Math.min(size, 18) : Math.min(size / 2.2, 5);
}
function popup(row) {
    var table = geo.el("table", "geo-popup");
    row.rows.forEach(function (pair) {
        var tr = geo.el("tr", "", null, table);
        geo.el("th", "", pair[0], tr);
        geo.el("td", "", pair[1], tr);
    });
    if (row.src) {
        var tr = geo.el("tr", "", null, table);
        geo.el("th", "", "Source", tr);
        geo.source(row.src, row.url, geo.el("td", "", null, tr));
    }
    return table;
}
function draw() {
    markers.clearLayers();
    var detail = map.getZoom() >= geo.detailZoom, shown = 0;
    map.getPane("geoIncidents").style.pointerEvents = detail ? "" : "none";
    data.incidents.forEach(function (row) {
        if (row.d < geo.span.first || row.d > geo.span.last) { return; }
        shown += row.n;
        var marker = L.circleMarker([row.lat, row.lon], {pane: "geoIncidents", radius: radius(row, detail),
            color: "#ffffff", weight: detail ? 1.2 : 0.5, fillColor: row.color, fillOpacity: detail ? 0.9 : 0.8,
            interactive: detail, className: "geo-incident"});
        // Bound at every zoom (a script or a list may open them); only zoomed in do they take clicks.
        marker.bindTooltip(row.label);
        marker.bindPopup(function () { return popup(row); }, {maxWidth: 380});
        markers.addLayer(marker);
    });
    geo.shownIncidents = shown;
    geo.incidentMarkers = markers;
    relabel();
}
function relabel() {
    // The layer control names the window shown, or says it had no incidents.
    var span = geo.span.first === geo.span.last ? "on " + geo.span.first : "from " + geo.span.first + " to " + geo.span.last;
    var text = geo.shownIncidents ? "Incidents " + span + " (" + geo.shownIncidents + ")" : "No incidents " + span;
    document.querySelectorAll(".leaflet-control-layers-overlays label > span > span").forEach(function (label) {
        if (label.geoIncidents || label.textContent.trim() === data.name) { label.geoIncidents = true; label.textContent = " " + text; }
    });
}
setTimeout(relabel, 0);
geo.incidentCount = function (pcode) {
    var total = {n: 0, f: 0};
    data.incidents.forEach(function (row) {
        if (row.p === pcode && row.d >= geo.span.first && row.d <= geo.span.last) { total.n += row.n; total.f += row.f || 0; }
    });
    return total;
};
geo.countIncidents = function () {
    var total = 0;
    data.incidents.forEach(function (row) { if (row.d >= geo.span.first && row.d <= geo.span.last) { total += row.n; } });
    return total;
};
draw();
map.on("zoomend", draw);
geo.on(draw);
"""
    )

    def __init__(self, incidents, *, name="Incidents"):
        super().__init__(name=name, overlay=True, control=True, show=True)
        self._name = "IncidentLayer"
        self.data = {"incidents": incidents, "name": name}


class ChangesLayer(_GeoElement, folium.map.Layer):
    """Districts whose status changed since an earlier date, outlined, with before and after.

    Parameters
    ----------
    changes : list of dict
        ``p`` (pcode), ``before``, ``after`` (statuses), ``date`` (of the
        change), ``claims`` (list of readable claim lines).
    since : str
        The earlier date (ISO).
    """

    _template = _layer_template(
        """
var wanted = {};
data.changes.forEach(function (change) { wanted[change.p] = change; });
var shapes = geo.districtLayer.toGeoJSON();
shapes.features = shapes.features.filter(function (feature) { return wanted[feature.properties.p]; });
// The outlines say what changed up to the map date: moved to another date, they would mislead.
geo.on(function () {
    if (geo.date === geo.asOf) { layer.addLayer(outlines); } else { layer.removeLayer(outlines); }
});
var outlines = L.geoJSON(shapes, {
    style: function () { return {fill: true, fillOpacity: 0, color: "#000000", weight: 3, dashArray: "6 4"}; },
    onEachFeature: function (feature, target) {
        var change = wanted[feature.properties.p];
        var title = feature.properties.n + ", " + feature.properties.v + ": " + geo.statuses[change.before].label +
            " \\u2192 " + geo.statuses[change.after].label;
        target.bindTooltip(title + " (changed since " + data.since + ")", {sticky: true});
        target.bindPopup(function () {
            var box = geo.el("div", "geo-popup");
            geo.el("b", "", title, box);
            geo.el("div", "", "Changed between " + data.since + " and " + geo.asOf + "; change dated " + change.date, box);
            var list = geo.el("ul", "geo-claims", null, box);
            change.claims.forEach(function (claim) {
                geo.claimItem(claim, list);
            });
            return box;
        }, {maxWidth: 420});
    }
});
layer.addLayer(outlines);
"""
    )

    def __init__(self, changes, since, *, name):
        super().__init__(name=name, overlay=True, control=True, show=True)
        self._name = "ChangesLayer"
        self.data = {"changes": changes, "since": since}


class ReferenceLayer(_GeoElement, folium.map.Layer):
    """A dated assessment (the Long War Journal's) drawn over the districts, for comparison.

    It is a layer of its own, off at first, and never enters the "as of"
    status.

    Parameters
    ----------
    statuses : dict
        pcode -> status of the assessment.
    label : str
        e.g. ``"Long War Journal assessment of 2018-09-24"``.
    """

    _template = _layer_template(
        """
var shapes = geo.districtLayer.toGeoJSON();
layer.addLayer(L.geoJSON(shapes, {
    style: function (feature) {
        var status = data.statuses[feature.properties.p] || "unknown";
        return {fillColor: geo.statuses[status].color, fillOpacity: 0.8, color: "#ffffff", weight: 0.6};
    },
    onEachFeature: function (feature, target) {
        var status = data.statuses[feature.properties.p] || "unknown";
        target.bindTooltip(feature.properties.n + ", " + feature.properties.v + ": " + geo.statuses[status].label +
            " (" + data.label + ")", {sticky: true});
    }
}));
var note = L.control({position: "topleft"});
note.onAdd = function () {
    var box = geo.el("div", "geo-reference-note", null), counts = {};
    geo.el("b", "", "Showing: " + data.label, box);
    Object.keys(data.statuses).forEach(function (pcode) { counts[data.statuses[pcode]] = (counts[data.statuses[pcode]] || 0) + 1; });
    geo.el("div", "", geo.statusOrder.filter(function (status) { return counts[status]; }).map(function (status) {
        return geo.statuses[status].label + " " + counts[status];
    }).join(", ") + " (not part of the status as of " + geo.asOf + ")", box);
    return box;
};
layer.on("add", function () { note.addTo(geo.map); });
layer.on("remove", function () { note.remove(); });
"""
    )

    def __init__(self, statuses, label, *, name):
        super().__init__(name=name, overlay=True, control=True, show=False)
        self._name = "ReferenceLayer"
        self.data = {"statuses": statuses, "label": label}


class ProvinceLayer(_GeoElement, folium.map.Layer):
    """Province borders (one line network) and names, the focus provinces larger.

    Parameters
    ----------
    borders : dict
        A GeoJSON geometry of the border lines.
    names : list of dict
        ``lat``, ``lon``, ``name``, ``focus`` (bool).
    """

    _template = _layer_template(
        """
geo.map.createPane("geoBorders").style.zIndex = 420;
geo.map.getPane("geoBorders").style.pointerEvents = "none";
layer.addLayer(L.geoJSON(data.borders, {pane: "geoBorders", interactive: false,
    style: function () { return {fill: false, color: "#333333", weight: 1.6}; }}));
data.names.forEach(function (place) {
    layer.addLayer(L.marker([place.lat, place.lon], {pane: "geoLabels", interactive: false, icon: L.divIcon({
        className: "geo-label", iconSize: [0, 0],
        html: geo.el("div", place.focus ? "geo-province geo-focus" : "geo-province", place.name)})}));
});
"""
    )

    def __init__(self, borders, names, *, name="Province borders and names"):
        super().__init__(name=name, overlay=True, control=True, show=True)
        self._name = "ProvinceLayer"
        self.data = {"borders": borders, "names": names}


class TimeControl(_GeoElement, MacroElement):
    """One slider that sets the page's date; every element follows it.

    Stops are the claim dates and the map date, placed by time and labelled
    with their dates; the slider snaps to them. "Day by day" steps through
    every day of the incident window instead, showing each day's incidents,
    with a play button. When the stops go back further than `recent_days`,
    the slider spans the recent days at first (older stops would be squeezed
    together) and every date when "all claim dates" is ticked.

    Parameters
    ----------
    stops : list of str
        ISO dates, ascending, the last being the map date.
    recent_days : int
    """

    _template = _control_template(
        """
var map = geo.map, allStops = data.stops.map(geo.day), last = allStops[allStops.length - 1];
// A long history squeezes the recent stops together: the slider shows the
// last RECENT_DAYS at first, and every date when "all dates" is ticked.
var recentFirst = last - data.recentDays, long = allStops[0] < recentFirst;
var stops, first, dayFirst = Math.max(geo.day(geo.window.first), last - 366), timer = null;
var control = L.control({position: "bottomleft"}), input, output, ticks, play, dayBox, allBox;
function nearestStop(value) {
    return stops.reduce(function (best, stop) { return Math.abs(stop - value) < Math.abs(best - value) ? stop : best; }, stops[0]);
}
function chooseStops() {
    stops = allStops.filter(function (stop) { return !long || allBox.checked || stop >= recentFirst; });
    if (long && !allBox.checked && stops[0] > recentFirst) { stops.unshift(recentFirst); }
    first = stops[0];
}
function setRange(daily) {
    input.min = daily ? dayFirst : first;
    input.max = last;
    ticks.style.display = daily ? "none" : "";
    play.style.display = daily ? "" : "none";
    if (!daily) { placeTicks(); }
}
function apply() {
    var daily = dayBox.checked, value = +input.value;
    if (!daily) { value = nearestStop(value); input.value = value; }
    output.textContent = (daily ? "Day: " : "As of: ") + geo.iso(value);
    geo.setDate(geo.iso(value), daily ? "day" : "window");
}
function placeTicks() {
    ticks.textContent = "";
    ticks.lastLabel = null;
    var lastLabel = -1e9, width = 280;
    stops.forEach(function (stop, index) {
        var share = last === first ? 1 : (stop - first) / (last - first);
        var tick = geo.el("span", "geo-tick", null, ticks);
        tick.style.left = (share * 100) + "%";
        tick.title = geo.iso(stop);
        var x = share * width;
        if (x - lastLabel > 62 || index === stops.length - 1) {
            // The last label is right-aligned: it needs more room from the one before.
            if (index === stops.length - 1 && x - lastLabel < 100 && ticks.lastLabel && stops.length > 2) { ticks.removeChild(ticks.lastLabel); }
            var edge = index === 0 ? " geo-first" : (index === stops.length - 1 ? " geo-last" : "");
            var label = geo.el("span", "geo-tick-label" + edge, geo.iso(stop), ticks);
            label.style.left = (share * 100) + "%";
            ticks.lastLabel = label;
            lastLabel = x;
        }
    });
}
control.onAdd = function () {
    var box = geo.el("div", "geo-time");
    output = geo.el("div", "geo-time-date", null, box);
    input = geo.el("input", "", null, box);
    input.type = "range";
    input.step = 1;
    input.id = "geo-time-slider";
    input.setAttribute("aria-label", "map date");
    ticks = geo.el("div", "geo-ticks", null, box);
    var allOption = geo.el("label", "geo-time-options", null, box);
    allBox = geo.el("input", "", null, allOption);
    allBox.type = "checkbox";
    allBox.id = "geo-all-dates";
    geo.el("span", "", " All claim dates, from " + geo.iso(allStops[0]), allOption);
    if (!long) { allOption.style.display = "none"; }
    var options = geo.el("label", "geo-time-options", null, box);
    dayBox = geo.el("input", "", null, options);
    dayBox.type = "checkbox";
    dayBox.id = "geo-day-by-day";
    geo.el("span", "", " Day by day (incidents of one day)", options);
    play = geo.el("button", "geo-play", "\u25b6 Play", box);
    play.type = "button";
    chooseStops();
    setRange(false);
    input.value = last;
    input.addEventListener("input", apply);
    allBox.addEventListener("change", function () { chooseStops(); setRange(dayBox.checked); apply(); });
    dayBox.addEventListener("change", function () {
        setRange(dayBox.checked);
        if (dayBox.checked) { input.value = dayFirst; }
        apply();
    });
    play.addEventListener("click", function () {
        if (timer) { clearInterval(timer); timer = null; play.textContent = "\u25b6 Play"; return; }
        if (+input.value >= last) { input.value = dayFirst; apply(); }
        play.textContent = "\u275a\u275a Pause";
        timer = setInterval(function () {
            if (+input.value >= last) { clearInterval(timer); timer = null; play.textContent = "\u25b6 Play"; return; }
            input.value = +input.value + 1;
            apply();
        }, 700);
    });
    L.DomEvent.disableClickPropagation(box);
    L.DomEvent.disableScrollPropagation(box);
    output.textContent = "As of: " + geo.iso(last);
    return box;
};
control.addTo(map);
geo.timeControl = {input: input, apply: apply, dayBox: dayBox};
"""
    )

    def __init__(self, stops, *, recent_days=60):
        super().__init__()
        self._name = "TimeControl"
        self.data = {"stops": stops, "recentDays": recent_days}


class Legend(_GeoElement, MacroElement):
    """Status swatches with counts at the page's date, the faded swatch, event types.

    Parameters
    ----------
    event_colors : dict
        Event type -> colour.
    since : str or None
        The date of the changes layer, if any.
    """

    _template = _control_template(
        """
var map = geo.map, legend = L.control({position: "bottomright"}), counts = {};
legend.onAdd = function () {
    var box = geo.el("div", "geo-legend");
    box.id = "geo-legend";
    geo.heading = geo.el("h4", "", "", box);
    geo.statusOrder.forEach(function (status) {
        var row = geo.el("div", "geo-legend-status", null, box);
        row.setAttribute("data-status", status);
        var swatch = geo.el("span", "geo-swatch", null, row);
        swatch.style.background = geo.statuses[status].color;
        geo.el("span", "", geo.statuses[status].label + ": ", row);
        counts[status] = geo.el("b", "geo-count", "", row);
    });
    var faded = geo.el("div", "", null, box);
    var swatch = geo.el("span", "geo-swatch", null, faded);
    swatch.style.background = geo.statuses.taliban.color;
    swatch.style.opacity = 0.45;
    geo.el("span", "", "Faded: latest claim older than " + geo.staleDays + " days", faded);
    geo.el("small", "", "Latest claim wins; disagreeing claims of the same day: contested.", geo.el("div", "", null, box));
    if (data.since) {
        var changed = geo.el("div", "", null, box);
        var outline = geo.el("span", "geo-swatch geo-changed", null, changed);
        outline.style.background = "transparent";
        geo.el("span", "", "Changed from " + data.since + " to " + geo.asOf + " (" + data.changed + ")", changed);
    }
    geo.incidentHeading = geo.el("h4", "", "", box);
    data.events.forEach(function (pair) {
        var row = geo.el("div", "", null, box);
        var dot = geo.el("span", "geo-dot", null, row);
        dot.style.background = pair[1];
        geo.el("span", "", pair[0], row);
    });
    geo.el("small", "", "Marker size: fatalities. Zoom in to click markers; click a district for its sources.",
        geo.el("div", "", null, box));
    return box;
};
function update() {
    var total = {}, known = 0;
    Object.keys(geo.statuses).forEach(function (status) { total[status] = 0; });
    geo.districts.forEach(function (district) {
        var state = geo.state[district.feature.properties.p];
        total[state ? state.s : "unknown"] += 1;
    });
    Object.keys(counts).forEach(function (status) { counts[status].textContent = String(total[status]); });
    geo.heading.textContent = "District control on " + geo.date + " (" + geo.districts.length + " districts)";
    var count = geo.countIncidents ? geo.countIncidents() : 0;
    geo.incidentHeading.textContent = "Incidents, " + geo.span.first + " to " + geo.span.last + " (" + count + ")";
}
legend.addTo(map);
update();
geo.on(update);
"""
    )

    def __init__(self, event_colors, *, since=None, changed=0):
        super().__init__()
        self._name = "Legend"
        self.data = {
            "events": [[name, color] for name, color in event_colors.items()],
            "since": since,
            "changed": changed,
        }


class Title(_GeoElement, MacroElement):
    """The title box: the date, the window and its incident count, or that it had none."""

    _template = _control_template(
        """
var box = geo.el("div", "geo-title", null, geo.map.getContainer());
box.id = "geo-title";
L.DomEvent.disableClickPropagation(box);
var main = geo.el("div", "", "", box), sub = geo.el("small", "", "", box);
function update() {
    main.textContent = "Afghanistan: district control and incidents as of " + geo.date;
    var count = geo.countIncidents ? geo.countIncidents() : 0;
    var span = geo.span.first === geo.span.last ? "on " + geo.span.first : "from " + geo.span.first + " to " + geo.span.last;
    sub.textContent = (count ? count + (count === 1 ? " incident " : " incidents ") + span : "No incidents " + span) +
        ". " + data.note;
    document.title = "Afghanistan: district control and incidents as of " + geo.date;
}
update();
geo.on(update);
"""
    )

    def __init__(self, note):
        super().__init__()
        self._name = "Title"
        self.data = {"note": note}


class SearchBox(_GeoElement, MacroElement):
    """Find a district or province by any spelling the geocoder knows.

    Parameters
    ----------
    index : dict
        ``keys``: folded name -> list of pcodes; ``names``: pcode -> display
        name. Names are folded as :func:`geo.render.search_key` does: lower
        case, accents dropped, letters and digits only.
    """

    _template = _control_template(
        """
var map = geo.map, control = L.control({position: "topleft"});
function fold(text) {
    return text.normalize("NFKD").replace(/[\\u0300-\\u036f]/g, "").toLowerCase().replace(/[^a-z0-9\\u0600-\\u06ff]/g, "");
}
function bounds(pcode) {
    var found = null;
    geo.districts.forEach(function (district) {
        var properties = district.feature.properties;
        if (properties.p === pcode || properties.pv === pcode) {
            found = found ? found.extend(district.getBounds()) : L.latLngBounds(district.getBounds().getSouthWest(), district.getBounds().getNorthEast());
        }
    });
    return found;
}
function go(pcode) {
    var box = bounds(pcode);
    if (box) { map.fitBounds(box, {maxZoom: 10}); }
    geo.districts.forEach(function (district) {
        if (district.feature.properties.p === pcode) { district.openPopup(box.getCenter()); }
    });
}
control.onAdd = function () {
    var box = geo.el("div", "geo-search");
    var input = geo.el("input", "", null, box), results = geo.el("div", "geo-search-results", null, box);
    input.type = "search";
    input.id = "geo-search";
    input.placeholder = "Find a district or province";
    input.setAttribute("aria-label", "find a district or province");
    input.addEventListener("input", function () {
        results.textContent = "";
        var key = fold(input.value);
        if (key.length < 2) { return; }
        var seen = {}, shown = 0;
        Object.keys(data.keys).forEach(function (name) {
            if (shown >= 8 || name.indexOf(key) !== 0) { return; }
            data.keys[name].forEach(function (pcode) {
                if (seen[pcode] || shown >= 8) { return; }
                seen[pcode] = true; shown += 1;
                var button = geo.el("button", "geo-search-hit", data.names[pcode], results);
                button.type = "button";
                button.addEventListener("click", function () { go(pcode); });
            });
        });
        if (!shown) { geo.el("div", "geo-search-none", "No district or province of that name", results); }
    });
    L.DomEvent.disableClickPropagation(box);
    L.DomEvent.disableScrollPropagation(box);
    return box;
};
control.addTo(map);
"""
    )

    def __init__(self, index):
        super().__init__()
        self._name = "SearchBox"
        self.data = index


class Credits(_GeoElement, MacroElement):
    """The data credits, in Leaflet's attribution box (escaped: it takes HTML)."""

    _template = _control_template(
        """
data.credits.forEach(function (credit) { geo.map.attributionControl.addAttribution(geo.escapeHtml(credit)); });
"""
    )

    def __init__(self, credits):
        super().__init__()
        self._name = "Credits"
        self.data = {"credits": list(credits)}


class PageStyle(MacroElement):
    """The page's own stylesheet (constant)."""

    _template = Template(
        """
{% macro header(this, kwargs) %}
<style>
.leaflet-container { background: #eef1f4; }
.leaflet-control-layers { font: 12.5px/1.4 system-ui, sans-serif; }
.geo-title { position: absolute; z-index: 1000; top: 10px; left: 55px; right: 380px; font: 600 17px/1.3 system-ui, sans-serif;
    background: rgba(255,255,255,.92); padding: 6px 12px; border-radius: 4px; box-shadow: 0 1px 4px rgba(0,0,0,.3); }
.geo-title small { display: block; font-weight: 400; font-size: 12.5px; color: #444; }
.geo-legend, .geo-time, .geo-search, .geo-reference-note { background: rgba(255,255,255,.95); padding: 7px 10px;
    border-radius: 4px; font: 12px/1.45 system-ui, sans-serif; box-shadow: 0 1px 4px rgba(0,0,0,.3); }
.geo-legend { max-width: 270px; }
.geo-legend h4 { margin: 2px 0 3px; font-size: 12.5px; }
.geo-swatch { display: inline-block; width: 14px; height: 11px; margin-right: 6px; vertical-align: -1px; border: 1px solid #999; }
.geo-changed { border: 2px dashed #000; }
.geo-dot { display: inline-block; width: 10px; height: 10px; border-radius: 50%; margin-right: 6px; border: 1px solid #fff;
    box-shadow: 0 0 0 1px #888; vertical-align: -1px; }
.geo-label { pointer-events: none; }
.geo-province { transform: translate(-50%, -50%); white-space: nowrap; font: 600 11px system-ui, sans-serif; color: #222;
    text-shadow: 0 0 3px #fff, 0 0 3px #fff, 0 0 2px #fff; }
.geo-province.geo-focus { font-size: 14px; font-weight: 800; color: #000; text-decoration: underline; }
.geo-district-name { transform: translate(-50%, -50%); white-space: nowrap; font: 500 11px system-ui, sans-serif; color: #111;
    text-shadow: 0 0 2px #fff, 0 0 2px #fff; }
.geo-popup th { text-align: left; padding-right: 8px; vertical-align: top; white-space: nowrap; }
.geo-popup td { white-space: pre-wrap; }
.geo-note { color: #555; font-size: 11px; }
.leaflet-popup-content { font: 13px/1.4 system-ui, sans-serif; }
.geo-claims { margin: 2px 0 4px 16px; padding: 0; white-space: pre-wrap; }
.geo-time { width: 300px; }
.geo-time input[type=range] { width: 280px; margin: 2px 0 0; }
.geo-time-date { font-weight: 700; font-size: 13px; }
.geo-ticks { position: relative; height: 26px; width: 280px; }
.geo-tick { position: absolute; top: 0; width: 1px; height: 6px; background: #333; }
.geo-tick-label { position: absolute; top: 7px; transform: translateX(-50%); font-size: 10px; white-space: nowrap; color: #333; }
.geo-tick-label.geo-first { transform: none; }
.geo-tick-label.geo-last { transform: translateX(-100%); }
.geo-play { margin-top: 4px; }
.geo-time-options { display: block; }
.geo-search input { width: 210px; font-size: 13px; }
.geo-search-hit { display: block; width: 100%; text-align: left; border: 0; background: none; padding: 2px 0; cursor: pointer; }
.geo-search-hit:hover { background: #e8eef7; }
</style>
{% endmacro %}
"""
    )

    def __init__(self):
        super().__init__()
        self._name = "PageStyle"


class DataSlot(MacroElement):
    """Where the page's JSON document goes: a placeholder that
    :func:`geo.render.render_html` replaces after folium has rendered."""

    PLACEHOLDER = "<!-- geo: page data -->"
    _template = Template("{% macro header(this, kwargs) %}" + PLACEHOLDER + "{% endmacro %}")

    def __init__(self, title):
        super().__init__()
        self._name = "DataSlot"
        self.title = title  # put in by render_html, HTML-escaped, never through the template


def status_styles(labels, colors):
    """status -> {"label", "color"} in legend order, unknown last."""
    order = [status for status in colors if status != STATUS_UNKNOWN] + [STATUS_UNKNOWN]
    return {status: {"label": labels[status], "color": colors[status]} for status in order}
