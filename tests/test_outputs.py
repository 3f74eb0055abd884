"""Outputs that fit their size: --formats, GeoParquet, big incident layers."""

import datetime as dt

import geopandas as gpd
import pyogrio
import pytest
from click.testing import CliRunner

from geo import build, settings
from geo.cli import main


def run(*args):
    return CliRunner().invoke(main, [str(arg) for arg in args])


@pytest.fixture(scope="module")
def inputs():
    return build.Inputs.load()


def test_formats_writes_only_what_is_asked(tmp_path):
    result = run("build", "--date", "2019-09-30", "--out", tmp_path, "--formats", "parquet,gpkg")
    assert result.exit_code == 0, result.output
    assert sorted(path.name for path in tmp_path.iterdir()) == ["2019-09-30-incidents.parquet", "2019-09-30.gpkg"]
    assert pyogrio.list_layers(tmp_path / "2019-09-30.gpkg")[:, 0].tolist() == [
        "districts",
        "incidents",
        "layer_styles",
    ]


def test_unknown_format_is_a_one_line_error(tmp_path):
    result = run("build", "--date", "2019-09-30", "--out", tmp_path, "--formats", "html,shp")
    assert result.exit_code == 2
    assert "--formats" in result.output and "choose from html, geojson, gpkg, parquet" in result.output
    assert list(tmp_path.iterdir()) == []


def test_geoparquet_holds_the_incident_layer(tmp_path):
    assert run("build", "--date", "2019-09-30", "--out", tmp_path).exit_code == 0
    parquet = gpd.read_parquet(tmp_path / "2019-09-30-incidents.parquet")
    geojson = gpd.read_file(tmp_path / "2019-09-30-incidents.geojson", engine="pyogrio")
    assert parquet.crs.to_epsg() == 4326
    assert parquet["event_id"].tolist() == geojson["event_id"].tolist()
    assert parquet.geometry.geom_equals_exact(geojson.geometry, 1e-6).all()


def test_big_incident_layer_goes_to_parquet_only_and_says_so(tmp_path, inputs, monkeypatch):
    monkeypatch.setattr(settings, "geojson_incident_limit", 5)
    outputs = build.build(inputs, dt.date(2019, 9, 30), tmp_path, formats=None)
    assert outputs.incident_count > 5
    assert outputs.incidents is None and outputs.parquet.exists()
    assert "GeoParquet only" in outputs.notes[0]
    # layer_styles is the QGIS style table (attributes, no geometry), here for districts only.
    assert pyogrio.list_layers(outputs.geopackage)[:, 0].tolist() == ["districts", "layer_styles"]
    asked = build.build(inputs, dt.date(2019, 9, 30), tmp_path / "asked", formats=["geojson"])
    assert asked.incidents.exists() and asked.notes == ()
