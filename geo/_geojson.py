"""RFC 7946 GeoJSON text of a polygon layer, made with shapely and json instead of GDAL.

GDAL's GeoJSON driver builds a JSON object per coordinate: the districts
layer (135,000 coordinates) took 0.24 s of every build, a sixth of a warm
seed build. Here GEOS writes each shape's WKT with six decimals and trailing
zeros trimmed, which becomes GeoJSON coordinates by a few vectorised text
substitutions; properties go through :mod:`json`. The result is what
:func:`geo.export.write_geojson` writes through GDAL (``RFC7946=YES``,
``COORDINATE_PRECISION=6``): exteriors anticlockwise, holes clockwise, no
``crs`` member, at most six decimals, null for missing values.

Only layers of non-empty Polygon and MultiPolygon shapes take this path
(:func:`handles`); anything else is left to GDAL.
"""

import json
import re

import numpy as np
import pandas as pd
import shapely

DECIMALS = 6
# WKT -> GeoJSON coordinates, by plain text substitutions (in order) on all
# the shapes of one type at once: separators of rings (and of polygons), of
# points, of x and y; then the brackets of the whole, which differ by type.
_SEPARATORS = (("), (", ")|("), (", ", "],["), (" ", ","))
_BRACKETS = {
    "POLYGON": (("((", "[[["), ("))", "]]]"), (")|(", "]],[[")),
    "MULTIPOLYGON": (("(((", "[[[["), (")))", "]]]]"), ("))|((", "]]],[[["), (")|(", "]],[[")),
}
_TYPES = {"POLYGON": "Polygon", "MULTIPOLYGON": "MultiPolygon"}
_PLAIN_NUMBERS = re.compile(r"[-\d.,() ]*")


def handles(frame):
    """Whether `frame` (a GeoDataFrame) is a layer of non-empty polygons this module writes."""
    geometries = frame.geometry.to_numpy()
    if len(geometries) == 0 or frame.crs is None or frame.crs.to_epsg() != 4326:
        return False  # GDAL reprojects to longitude/latitude; here nothing is
    kinds = shapely.get_type_id(geometries)
    return bool(np.isin(kinds, (3, 6)).all() and not shapely.is_empty(geometries).any())


def feature_collection(frame):
    """Return the GeoJSON text of a polygon layer (see :func:`handles`), or None if GEOS wrote a
    number this module does not read (then GDAL writes it)."""
    shapes = shapely.orient_polygons(frame.geometry.to_numpy(), exterior_cw=False)
    wkt = shapely.to_wkt(shapes, rounding_precision=DECIMALS, trim=True)
    kinds = np.array([text.partition(" ")[0] for text in wkt])
    coordinates = np.empty(len(wkt), dtype=object)
    for kind, substitutions in _BRACKETS.items():
        rows = np.flatnonzero(kinds == kind)
        text = "\n".join(wkt[rows]).replace(f"{kind} ", "")
        if not _PLAIN_NUMBERS.fullmatch(text.replace("\n", "")):
            return None  # EMPTY, exponents or another writer's format: not ours to translate
        for old, new in (*_SEPARATORS, *substitutions):
            text = text.replace(old, new)
        coordinates[rows] = text.split("\n") if len(rows) else []
    if not np.isin(kinds, list(_BRACKETS)).all():
        return None
    types = [_TYPES[kind] for kind in kinds]
    properties = frame.drop(columns=frame.geometry.name)
    records = properties.astype(object).where(properties.notna(), None).to_dict(orient="records")
    try:
        texts = [json.dumps(record, ensure_ascii=False, allow_nan=False, default=_plain) for record in records]
    except (TypeError, ValueError):
        return None  # an infinite number or a value JSON has no form for: GDAL decides
    features = [
        f'{{"type":"Feature","properties":{text},"geometry":{{"type":"{shape_type}","coordinates":{coordinates}}}}}'
        for text, shape_type, coordinates in zip(texts, types, coordinates)
    ]
    return '{"type":"FeatureCollection","features":[\n' + ",\n".join(features) + "\n]}\n"


def _plain(value):
    """numpy scalars and timestamps as JSON has them."""
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} to GeoJSON")
