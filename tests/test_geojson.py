"""geo._geojson: polygon layers written without GDAL, read back as GDAL's own file."""

import json

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo import _geojson, boundaries, export

GDAL_OPTIONS = export.GEOJSON_OPTIONS


def layer_with_holes_and_gaps():
    districts = boundaries.simplified_districts(0.001)[["district_pcode", "district", "geometry"]].head(40).copy()
    districts["count"] = pd.array(range(40), dtype="Int64")
    districts.loc[3, "count"] = pd.NA
    districts["share"] = np.linspace(0, 1, 40)
    districts.loc[5, "share"] = np.nan
    districts.loc[7, "district"] = None
    districts["capital"] = districts["district_pcode"].str.endswith("01")
    holed = shapely.Polygon([(60, 30), (61, 30), (61, 31), (60, 31)], [[(60.2, 30.2), (60.2, 30.4), (60.4, 30.4)]])
    districts.loc[10, "geometry"] = shapely.MultiPolygon([holed, shapely.box(62, 30, 62.5, 30.5)])
    districts.loc[11, "geometry"] = shapely.Polygon(
        [(63, 30), (64, 30), (64, 31), (63, 31)][::-1], [[(63.2, 30.2), (63.4, 30.4), (63.2, 30.4)]]
    )  # clockwise exterior: turned anticlockwise
    return districts


def test_polygon_layer_reads_back_as_gdals_file(tmp_path):
    layer = layer_with_holes_and_gaps()
    assert _geojson.handles(layer)
    export.write_geojson(layer, tmp_path / "fast.geojson")
    layer.to_file(tmp_path / "gdal.geojson", driver="GeoJSON", engine="pyogrio", layer_options=GDAL_OPTIONS)
    fast = json.loads((tmp_path / "fast.geojson").read_text(encoding="utf-8"))
    gdal = json.loads((tmp_path / "gdal.geojson").read_text(encoding="utf-8"))
    assert "crs" not in fast and len(fast["features"]) == len(gdal["features"]) == 40
    for mine, theirs in zip(fast["features"], gdal["features"]):
        assert mine["properties"] == theirs["properties"]
        assert mine["geometry"] == theirs["geometry"]
    read = gpd.read_file(tmp_path / "fast.geojson", engine="pyogrio")
    assert read.dtypes.equals(gpd.read_file(tmp_path / "gdal.geojson", engine="pyogrio").dtypes)
    exteriors = shapely.get_exterior_ring(shapely.get_parts(read.geometry.to_numpy()))
    assert shapely.is_ccw(exteriors).all() and read.is_valid.all()


def test_other_layers_are_left_to_gdal(tmp_path):
    layer = layer_with_holes_and_gaps()
    points = layer.set_geometry(layer.geometry.representative_point())
    assert not _geojson.handles(points)
    assert not _geojson.handles(layer.to_crs(3857))
    assert not _geojson.handles(layer.iloc[:0])
    export.write_geojson(points, tmp_path / "points.geojson")  # through GDAL, as before
    assert len(gpd.read_file(tmp_path / "points.geojson", engine="pyogrio")) == 40
