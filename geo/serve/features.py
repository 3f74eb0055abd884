"""OGC API - Features, Part 1 Core, with GeoJSON: the routes QGIS and GDAL read.

Two collections, from the current record snapshot:

``districts``
    Every district with its control status as of the ``datetime`` parameter
    (the latest claims on or before it; see :mod:`geo.join`), the claims
    behind it and incident totals for a window: an instant ``D`` gives the
    status on D and the incidents of the 30 days up to D (as ``geo build``);
    an interval ``A/B`` the status on B and the incidents from A to B
    (``../B``: all up to B). Without ``datetime``: the status today and all
    incidents. Feature ids are district pcodes.
``incidents``
    Every incident as a point, filtered by ``datetime`` (an instant is that
    day, an interval those days), ``bbox`` and ``event_type``. Feature ids
    are event ids.

Both page with ``limit`` (1 to ``settings.serve_max_limit``) and ``offset``,
with ``next``/``prev`` links and ``numberMatched``. Every parameter is
checked (see :mod:`geo.serve._params`); the routes only read memory.
"""

import datetime as dt
import json

from starlette.responses import Response
from starlette.routing import Route

from . import _html, _layers, _openapi, _params, _pipeline
from ._safety import ApiError

GEOJSON = "application/geo+json"
CONFORMANCE = [
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
]
COLLECTIONS = {
    "districts": (
        "Districts: control status",
        (
            "The 399 districts (AGCHO/OCHA 2018) with control status as of `datetime`, the claims behind it, "
            "and incident totals for the window."
        ),
    ),
    "incidents": (
        "Incidents",
        "Reported incidents as points, with every record field and its source; filter by datetime, bbox, event_type.",
    ),
}
ITEMS_PARAMETERS = {"f", "limit", "offset", "bbox", "bbox-crs", "crs", "datetime"}
# Documents take the item parameters too (checked, then ignored): GDAL sends
# the query of the URL it was given with every request.
DOCUMENT_PARAMETERS = ITEMS_PARAMETERS | {"event_type"}
DISTRICT_TABLE_COLUMNS = ["district", "province", "status", "status_date", "claims", "incidents", "fatalities"]
INCIDENT_TABLE_COLUMNS = ["event_date", "event_type", "actor1", "actor2", "location", "fatalities", "notes", "source"]
AFGHANISTAN_BBOX = [60.4, 29.3, 75.0, 38.5]


def landing(request):
    """The landing page as JSON (the HTML one is the service's front page)."""
    base = _base(request)
    return _json(
        {
            "title": "geo: district control and incidents in Afghanistan",
            "description": "Live layers from the team's records: control claims per district and incident reports.",
            "links": [
                _link(f"{base}/", "self", "application/json", "This document"),
                _link(f"{base}/?f=html", "alternate", "text/html", "The maps"),
                _link(
                    f"{base}/api", "service-desc", "application/vnd.oai.openapi+json;version=3.0", "The API definition"
                ),
                _link(f"{base}/conformance", "conformance", "application/json", "Conformance classes"),
                _link(f"{base}/collections", "data", "application/json", "The collections"),
            ],
        }
    )


def conformance(request):
    _document_query(request)
    return _json({"conformsTo": CONFORMANCE})


def api(request):
    _document_query(request)
    return _json(
        _openapi.document(_base(request), list(COLLECTIONS)), media_type="application/vnd.oai.openapi+json;version=3.0"
    )


def collections(request):
    query = _document_query(request)
    snapshot = request.app.state.store.current()
    described = [_collection(request, name, snapshot) for name in COLLECTIONS]
    if _params.output_format(query, request) == "html":
        items = "".join(f"<li>{_html.link(c['links'][1]['href'] + '?f=html', c['title'])}</li>" for c in described)
        return _html.page("Collections", f"<h1>Collections</h1><ul>{items}</ul>")
    return _json(
        {"links": [_link(f"{_base(request)}/collections", "self", "application/json")], "collections": described}
    )


def collection(request):
    _document_query(request)
    name = _collection_name(request)
    return _json(_collection(request, name, request.app.state.store.current()))


def queryables(request):
    _document_query(request)
    name = _collection_name(request)
    properties = {"datetime": {"type": "string", "format": "date", "title": "Date (instant or interval)"}}
    properties["geometry"] = {"$ref": "https://geojson.org/schema/Geometry.json"}
    if name == "incidents":
        properties["event_type"] = {"type": "string", "enum": list(_pipeline.EVENT_TYPES), "title": "ACLED event type"}
    schema = {
        "$schema": "https://json-schema.org/draft/2019-09/schema",
        "$id": f"{_base(request)}/collections/{name}/queryables",
        "type": "object",
        "title": COLLECTIONS[name][0],
        "properties": properties,
    }
    return _json(schema, media_type="application/schema+json")


def items(request):
    """``/collections/{name}/items``: one page of features."""
    name = _collection_name(request)
    query = _params.checked(request, ITEMS_PARAMETERS | ({"event_type"} if name == "incidents" else set()))
    _params.crs(query)
    limit, offset, bbox = _params.limit(query), _params.offset(query), _params.bbox(query)
    dates = _params.datetime_filter(query)
    html = _params.output_format(query, request) == "html"
    snapshot = request.app.state.store.current()
    if name == "districts":
        first, as_of = _district_window(dates)
        properties = _layers.district_properties(snapshot, first, as_of)
        matched = _layers.districts_in(bbox)
        features = [_layers.district_feature(i, properties) for i in matched[offset : offset + limit]]
    else:
        table = _layers.incident_table(snapshot)
        matched = _layers.incidents_matching(table, dates, bbox, _params.event_types(query))
        features = [_layers.incident_feature(table, i) for i in matched[offset : offset + limit]]
    links = _page_links(request, len(matched), limit, offset)
    if html:
        return _items_page(name, features, len(matched), links)
    body = ",".join(f if isinstance(f, str) else _dumps(f) for f in features)
    head = {"type": "FeatureCollection", "numberMatched": len(matched), "numberReturned": len(features)}
    head |= {"timeStamp": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"), "links": links}
    return Response(_dumps(head)[:-1] + ',"features":[' + body + "]}", media_type=GEOJSON)


def item(request):
    """``/collections/{name}/items/{id}``: one feature (districts take ``datetime``)."""
    name = _collection_name(request)
    feature_id = request.path_params["feature_id"]
    query = _params.checked(request, DOCUMENT_PARAMETERS)
    _params.tolerated(query)
    snapshot = request.app.state.store.current()
    if name == "districts":
        pcodes = list(_layers.district_geometry()[0])
        if feature_id not in pcodes:
            raise ApiError(404, f"no district with pcode {feature_id[:40]!r} in collection districts")
        first, as_of = _district_window(_params.datetime_filter(query))
        feature = json.loads(
            _layers.district_feature(pcodes.index(feature_id), _layers.district_properties(snapshot, first, as_of))
        )
    else:
        table = _layers.incident_table(snapshot)
        found = (table["ids"] == feature_id).nonzero()[0]
        if not len(found):
            raise ApiError(404, f"no incident with event_id {feature_id[:40]!r} in collection incidents")
        feature = _layers.incident_feature(table, found[0])
    base = f"{_base(request)}/collections/{name}"
    feature["links"] = [
        _link(str(request.url), "self", GEOJSON),
        _link(base, "collection", "application/json"),
    ]
    if _params.output_format(query, request) == "html":
        body = (
            f"<h1>{_html.text(name)}: {_html.text(feature['id'])}</h1>{_html.properties_table(feature['properties'])}"
        )
        return _html.page(f"{name} {feature['id']}", body)
    return Response(_dumps(feature), media_type=GEOJSON)


def _document_query(request):
    query = _params.checked(request, DOCUMENT_PARAMETERS)
    _params.tolerated(query)
    return query


def _collection(request, name, snapshot):
    base = f"{_base(request)}/collections/{name}"
    first, last = snapshot.first_date, snapshot.last_date
    return {
        "id": name,
        "title": COLLECTIONS[name][0],
        "description": COLLECTIONS[name][1],
        "itemType": "feature",
        "crs": [_params.CRS84],
        "storageCrs": _params.CRS84,
        "extent": {
            "spatial": {"bbox": [AFGHANISTAN_BBOX], "crs": _params.CRS84},
            "temporal": {
                "interval": [[_stamp(first), _stamp(last)]],
                "trs": "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian",
            },
        },
        "links": [
            _link(base, "self", "application/json", COLLECTIONS[name][0]),
            _link(f"{base}/items", "items", GEOJSON, "Features"),
            _link(f"{base}/items?f=html", "items", "text/html", "Features as a table"),
            _link(
                f"{base}/queryables",
                "http://www.opengis.net/def/rel/ogc/1.0/queryables",
                "application/schema+json",
                "Queryables",
            ),
        ],
    }


def _district_window(dates):
    """(first incident day or None, status date) for the districts' ``datetime``."""
    today = dt.datetime.now(dt.timezone.utc).date()
    if dates is None:
        return None, today
    first, last = dates
    if first == last:
        return first - dt.timedelta(days=_pipeline.DEFAULT_WINDOW_DAYS - 1), last
    return first, last if last is not None else max(today, first)


def _page_links(request, matched, limit, offset):
    links = [_link(str(request.url), "self", GEOJSON, "This page")]
    if offset + limit < matched:
        links.append(
            _link(
                str(request.url.include_query_params(offset=offset + limit, limit=limit)), "next", GEOJSON, "Next page"
            )
        )
    if offset > 0:
        links.append(
            _link(
                str(request.url.include_query_params(offset=max(0, offset - limit), limit=limit)),
                "prev",
                GEOJSON,
                "Previous page",
            )
        )
    return links


def _items_page(name, features, matched, links):
    if name == "districts":
        features = [json.loads(feature) for feature in features]
    columns = DISTRICT_TABLE_COLUMNS if name == "districts" else INCIDENT_TABLE_COLUMNS
    paging = " ".join(_html.link(link["href"], link["rel"]) for link in links[1:])
    body = f"<h1>{_html.text(COLLECTIONS[name][0])}</h1><p>{matched} matched. {paging}</p>{_html.features_table(features, columns)}"
    return _html.page(COLLECTIONS[name][0], body)


def _collection_name(request):
    name = request.path_params["collection"]
    if name not in COLLECTIONS:
        raise ApiError(404, f"no collection {name[:40]!r}; collections: {', '.join(COLLECTIONS)}")
    return name


def _base(request):
    return str(request.base_url).rstrip("/")


def _link(href, rel, media_type, title=None):
    link = {"href": href, "rel": rel, "type": media_type}
    return link | ({"title": title} if title else {})


def _stamp(date):
    return f"{date.isoformat()}T00:00:00Z" if date else None


def _dumps(value):
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=_layers.plain)


def _json(value, media_type="application/json"):
    return Response(_dumps(value), media_type=media_type)


ROUTES = [
    Route("/conformance", conformance),
    Route("/api", api),
    Route("/collections", collections),
    Route("/collections/{collection}", collection),
    Route("/collections/{collection}/queryables", queryables),
    Route("/collections/{collection}/items", items),
    Route("/collections/{collection}/items/{feature_id}", item),
]
