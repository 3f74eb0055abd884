"""Query parameters: each one parsed and checked, or a 400 naming it.

Every endpoint says which parameters it takes; any other parameter, a
repeated one, or a value that does not parse is refused with an
:class:`~geo.serve._safety.ApiError` (400) whose message names the parameter
and what is wrong. Records are dated by day, so ``datetime`` values are
reduced to their UTC date.
"""

import datetime as dt
import math
import re

from .. import settings
from . import _pipeline
from ._safety import ApiError

CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
FORMATS = {
    "json": "json",
    "geojson": "json",
    "application/json": "json",
    "application/geo+json": "json",
    "html": "html",
    "text/html": "html",
}


def checked(request, allowed):
    """Return the query as a plain dict after refusing unknown or repeated parameters."""
    items = request.query_params.multi_items()
    names = [name for name, _ in items]
    for name in names:
        if name not in allowed:
            raise ApiError(
                400, f"unknown parameter {name!r}; this endpoint takes: {', '.join(sorted(allowed)) or 'none'}"
            )
        if names.count(name) > 1:
            raise ApiError(400, f"parameter {name!r} given more than once")
    return dict(items)


def output_format(query, request=None):
    """``json`` or ``html``: from ``f``, else from the Accept header (HTML only when asked for first)."""
    value = query.get("f")
    if value is not None:
        if value.lower() not in FORMATS:
            raise ApiError(400, f"f={value!r} is not a format; use json or html")
        return FORMATS[value.lower()]
    accept = (request.headers.get("accept", "") if request is not None else "").lower()
    return "html" if accept.startswith("text/html") else "json"


def integer(query, name, default, low, high):
    """An integer parameter between `low` and `high` (both included)."""
    value = query.get(name)
    if value is None:
        return default
    if not (value.isascii() and value.isdigit()) or len(value) > 12 or not low <= int(value) <= high:
        raise ApiError(400, f"{name}={value[:40]!r} is not a whole number from {low} to {high}")
    return int(value)


def limit(query):
    return integer(query, "limit", settings.serve_default_limit, 1, settings.serve_max_limit)


def offset(query):
    return integer(query, "offset", 0, 0, settings.serve_max_offset)


def bbox(query):
    """``bbox=minlon,minlat,maxlon,maxlat`` (or six numbers with heights) in CRS84, or None."""
    value = query.get("bbox")
    crs = query.get("bbox-crs", CRS84)
    if crs != CRS84:
        raise ApiError(400, f"bbox-crs={crs[:80]!r} is not supported; only {CRS84}")
    if value is None:
        return None
    parts = value.split(",")
    try:
        numbers = [float(part) for part in parts]
    except ValueError:
        raise ApiError(400, f"bbox={value[:80]!r} is not 4 comma-separated numbers") from None
    if len(numbers) not in (4, 6) or not all(map(math.isfinite, numbers)):
        raise ApiError(400, f"bbox={value[:80]!r} is not 4 (or 6) finite comma-separated numbers")
    half = len(numbers) // 2
    west, south, east, north = numbers[0], numbers[1], numbers[half], numbers[half + 1]
    if not (-180 <= west <= 180 and -180 <= east <= 180 and -90 <= south <= 90 and -90 <= north <= 90):
        raise ApiError(400, f"bbox={value[:80]!r}: longitudes must be within ±180 and latitudes within ±90")
    if south > north or west > east:
        raise ApiError(
            400, f"bbox={value[:80]!r}: minimum above maximum (boxes across the antimeridian are not supported)"
        )
    return west, south, east, north


def crs(query):
    value = query.get("crs", CRS84)
    if value != CRS84:
        raise ApiError(400, f"crs={value[:80]!r} is not supported; only {CRS84}")


def event_types(query):
    """``event_type`` (one ACLED event type, or several separated by commas), or None."""
    value = query.get("event_type")
    if value is None:
        return None
    wanted = [part.strip() for part in value.split(",")]
    unknown = [part for part in wanted if part not in _pipeline.EVENT_TYPES]
    if unknown:
        raise ApiError(
            400, f"event_type={unknown[0][:60]!r} is not an event type; one of: {', '.join(_pipeline.EVENT_TYPES)}"
        )
    return wanted


def datetime_filter(query):
    """``datetime``: None, or (first, last) dates; either is None when the interval is open."""
    value = query.get("datetime")
    if value is None:
        return None
    if value.count("/") > 1:
        raise ApiError(400, f"datetime={value[:60]!r} is not an instant or one interval A/B")
    if "/" not in value:
        instant = _date(value)
        return instant, instant
    start_text, end_text = value.split("/")
    start = None if start_text in ("", "..") else _date(start_text)
    end = None if end_text in ("", "..") else _date(end_text)
    if start is None and end is None:
        raise ApiError(400, "datetime='../..' is open at both ends; give at least one date")
    if start and end and start > end:
        raise ApiError(400, f"datetime={value[:60]!r}: start after end")
    return start, end


_MOMENT = re.compile(
    r"(\d{4}-\d{2}-\d{2})(?:[Tt ](?:(\d{2})(?::(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?)?(Z|z|[+-]\d{2}:\d{2})?)?)?"
)


def _date(text):
    """An RFC 3339 date or date-time, as its UTC date.

    Also takes the shortened forms GDAL sends for a date filter
    (``2019-09-30T``, ``2019-09-30T12Z``); a time without a zone is UTC.
    """
    match = _MOMENT.fullmatch(text)
    try:
        if not match:
            raise ValueError(text)
        date = dt.date.fromisoformat(match[1])
        hour, minute, second, zone = match[2], match[3], match[4], match[5]
        if hour is not None:
            moment = dt.datetime.combine(date, dt.time(int(hour), int(minute or 0), int(second or 0)))
            if zone and zone.upper() != "Z":
                offset = dt.timedelta(hours=int(zone[1:3]), minutes=int(zone[4:6]))
                moment -= offset if zone[0] == "+" else -offset
            date = moment.date()
    except (ValueError, OverflowError):
        raise ApiError(
            400, f"datetime: {text[:40]!r} is not an RFC 3339 date (2019-09-30) or date-time (2019-09-30T00:00:00Z)"
        ) from None
    if not _pipeline.EARLIEST_DATE <= date <= _pipeline.LATEST_DATE:
        raise ApiError(
            400, f"datetime: {text[:40]!r} is outside {_pipeline.EARLIEST_DATE.year}-{_pipeline.LATEST_DATE.year}"
        )
    return date


def tolerated(query):
    """Check, then ignore, item parameters sent to a document that does not use them.

    GDAL adds the query of the URL it was given (``OAPIF:.../collections/districts?datetime=...``)
    to every request, the collection's description included.
    """
    crs(query)
    limit(query), offset(query), bbox(query), datetime_filter(query), event_types(query)
