"""The OpenAPI 3.0 definition of the service (``/api``), written as data.

GDAL reads the ``limit`` maximum from here to choose its page size.
"""

from .. import settings
from . import _pipeline

_FORMAT = {"name": "f", "in": "query", "required": False, "schema": {"type": "string", "enum": ["json", "html"]}}


def _parameters():
    return {
        "collection": {
            "name": "collection",
            "in": "path",
            "required": True,
            "schema": {"type": "string", "enum": ["districts", "incidents"]},
        },
        "featureId": {"name": "feature_id", "in": "path", "required": True, "schema": {"type": "string"}},
        "limit": {
            "name": "limit",
            "in": "query",
            "required": False,
            "style": "form",
            "explode": False,
            "schema": {
                "type": "integer",
                "minimum": 1,
                "maximum": settings.serve_max_limit,
                "default": settings.serve_default_limit,
            },
        },
        "offset": {
            "name": "offset",
            "in": "query",
            "required": False,
            "schema": {"type": "integer", "minimum": 0, "maximum": settings.serve_max_offset, "default": 0},
        },
        "bbox": {
            "name": "bbox",
            "in": "query",
            "required": False,
            "style": "form",
            "explode": False,
            "schema": {"type": "array", "minItems": 4, "maxItems": 6, "items": {"type": "number"}},
        },
        "datetime": {
            "name": "datetime",
            "in": "query",
            "required": False,
            "style": "form",
            "explode": False,
            "description": "RFC 3339 date or date-time, or an interval A/B with '..' for an open end.",
            "schema": {"type": "string"},
        },
        "event_type": {
            "name": "event_type",
            "in": "query",
            "required": False,
            "description": "Incidents only: one or more ACLED event types, comma-separated.",
            "schema": {"type": "string", "enum": list(_pipeline.EVENT_TYPES)},
        },
        "f": _FORMAT,
    }


def _get(summary, parameters, media_type="application/json"):
    refs = [{"$ref": f"#/components/parameters/{name}"} for name in parameters]
    responses = {
        "200": {"description": "OK", "content": {media_type: {"schema": {"type": "object"}}}},
        "400": {"description": "A bad parameter, as one line of JSON"},
        "404": {"description": "No such collection or feature"},
    }
    return {"get": {"summary": summary, "parameters": refs, "responses": responses}}


def document(base_url, collections):
    """Return the OpenAPI document as a dict."""
    items = ["collection", "limit", "offset", "bbox", "datetime", "event_type", "f"]
    paths = {
        "/": _get("Landing page", ["f"]),
        "/conformance": _get("Conformance classes", ["f"]),
        "/api": _get("This document", ["f"], "application/vnd.oai.openapi+json;version=3.0"),
        "/collections": _get("The collections", ["f"]),
        "/collections/{collection}": _get("One collection", ["collection", "f"]),
        "/collections/{collection}/queryables": _get("Queryables", ["collection", "f"], "application/schema+json"),
        "/collections/{collection}/items": _get("Features", items, "application/geo+json"),
        # GDAL looks up each collection's own items path for the parameters it may send.
        **{
            f"/collections/{name}/items": _get(
                f"Features of {name}",
                [p for p in items if p != "collection" and (p != "event_type" or name == "incidents")],
                "application/geo+json",
            )
            for name in collections
        },
        "/collections/{collection}/items/{feature_id}": _get(
            "One feature", ["collection", "featureId", "datetime", "f"], "application/geo+json"
        ),
        "/maps/{date}": _get("The map of a date (HTML), built on demand", ["f"], "text/html"),
    }
    return {
        "openapi": "3.0.3",
        "info": {"title": "geo", "version": _pipeline.VERSION, "description": f"Collections: {', '.join(collections)}"},
        "servers": [{"url": base_url}],
        "paths": paths,
        "components": {"parameters": _parameters()},
    }
