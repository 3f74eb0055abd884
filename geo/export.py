"""Export the joined layers as files GIS tools open as they are.

- GeoJSON per RFC 7946: WGS84 longitude/latitude, no ``crs`` member, at most
  six decimals, right-hand polygon rings (GDAL's ``RFC7946`` option).
- A GeoPackage holding both layers (``districts`` and ``incidents``), with
  date columns typed as dates, timestamps as GDAL's GeoPackage validator
  wants them (fractional seconds) and a QGIS default style per layer
  (``geo._qgis_style``), so QGIS opens it coloured.
- GeoParquet of the incidents: a million points in a couple of seconds and
  tens of MB, where GeoJSON takes tens of seconds and most of a GB.

GeoJSON and GeoPackage go through GDAL with arrow (``use_arrow=True``): the
columns are handed over whole, not row by row, twice as fast at a million rows.

Every file is written to a temporary file beside its target and renamed into
place, so an interrupted build leaves the old file or none. The same inputs
give byte-identical files: GeoPackage timestamps are pinned to the map date.
"""

import contextlib

import pandas as pd
import pyarrow as pa
import pyogrio

from . import _geojson, _qgis_style
from ._files import atomic_path, write_text_atomic

GEOJSON_OPTIONS = {"RFC7946": "YES", "COORDINATE_PRECISION": "6", "WRITE_NAME": "NO"}
# GeoPackage 1.2: GDAL 3.12 writes 1.4 by default, which QGIS and GDAL older
# than 3.8 (Debian 12's, QGIS 3.22's) warn about on every open.
GPKG_DATASET_OPTIONS = {"VERSION": "1.2"}


def write_geojson(frame, path):
    """Write a GeoDataFrame as RFC 7946 GeoJSON, atomically.

    Parameters
    ----------
    frame : geopandas.GeoDataFrame
        In EPSG:4326.
    path : pathlib.Path
    """
    # Polygon layers (the districts) are written without GDAL, the same content three times faster.
    text = _geojson.feature_collection(frame) if _geojson.handles(frame) else None
    if text is not None:
        write_text_atomic(path, text)
        return
    with atomic_path(path) as tmp:
        tmp.unlink()  # GDAL refuses to overwrite an existing GeoJSON file
        frame.to_file(tmp, driver="GeoJSON", engine="pyogrio", layer_options=GEOJSON_OPTIONS, use_arrow=True)


def write_geopackage(layers, path, *, timestamp, date_columns=(), styles=None):
    """Write several layers into one GeoPackage, atomically.

    Parameters
    ----------
    layers : dict of str to geopandas.GeoDataFrame
        Layer name to layer, written in this order.
    path : pathlib.Path
    timestamp : datetime.date
        Recorded as each layer's last change, so reruns give the same bytes.
    date_columns : iterable of str
        Columns holding ISO dates (text, empty or None where unknown), written
        as GeoPackage DATE fields.
    styles : dict, optional
        layer name -> (style name, QML) stored as the layer's QGIS default style.
    """
    stamp = f"{timestamp.isoformat()}T00:00:00.000Z"
    with atomic_path(path) as tmp, _gdal_current_date(stamp):
        tmp.unlink()
        for name, frame in layers.items():
            _with_dates(frame, date_columns).to_file(
                tmp, layer=name, driver="GPKG", engine="pyogrio", use_arrow=True, dataset_options=GPKG_DATASET_OPTIONS
            )
        if styles:
            _qgis_style.add_layer_styles(
                tmp, {name: ("geom", style_name, qml) for name, (style_name, qml) in styles.items()}, timestamp=stamp
            )


def _with_dates(frame, date_columns):
    """`frame` with its ISO date text columns as arrow dates (GeoPackage DATE fields)."""
    frame = frame.copy()
    for column in set(date_columns) & set(frame.columns):
        values = pd.to_datetime(frame[column].replace("", None), format="%Y-%m-%d", errors="raise")
        dates = pa.array(values.dt.date.astype(object).where(values.notna(), None), type=pa.date32())
        frame[column] = pd.Series(dates, index=frame.index, dtype=pd.ArrowDtype(pa.date32()))
    return frame


@contextlib.contextmanager
def _gdal_current_date(value):
    previous = pyogrio.get_gdal_config_option("OGR_CURRENT_DATE")
    pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": value})
    try:
        yield
    finally:
        pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": previous})


def write_geoparquet(frame, path):
    """Write a GeoDataFrame as GeoParquet 1.1, atomically.

    Geometry in GeoArrow's native encoding (points as x/y columns): three
    times faster to write than WKB at a million points and a third smaller;
    read by geopandas, DuckDB, GDAL 3.8+ and QGIS built on it.

    Parameters
    ----------
    frame : geopandas.GeoDataFrame
    path : pathlib.Path
    """
    # geopandas cannot encode an empty (quiet window) or all-missing layer as
    # GeoArrow; WKB says the same for no points.
    encoding = "geoarrow" if frame.geometry.notna().any() else "WKB"
    with atomic_path(path) as tmp:
        frame.to_parquet(tmp, compression="zstd", index=False, geometry_encoding=encoding)
