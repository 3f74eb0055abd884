"""The files a build writes, read back as GIS tools read them: GDAL's
GeoPackage validator, pyogrio and sqlite3 (the QGIS style table), and the
changes file checked against what the articles say changed in September 2019.
"""

import os
import sqlite3
import subprocess
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
from click.testing import CliRunner

from geo.cli import main

# GDAL's validator, from Debian's python3-gdal (run by the system Python, whose osgeo it imports).
VALIDATOR = Path("/usr/lib/python3/dist-packages/osgeo_utils/samples/validate_gpkg.py")
SYSTEM_PYTHON = Path("/usr/bin/python3")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("maps")
    result = CliRunner().invoke(main, ["build", "--date", "2019-09-30", "--since", "2019-09-01", "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


def test_geopackage_passes_gdals_validator(built):
    if not VALIDATOR.exists():
        if os.environ.get("GEO_REQUIRE_BROWSER"):
            pytest.fail("GDAL's validate_gpkg.py is required (apt-get install python3-gdal)")
        pytest.skip("no validate_gpkg.py: apt-get install python3-gdal")
    result = subprocess.run(
        [str(SYSTEM_PYTHON), str(VALIDATOR), str(built / "2019-09-30.gpkg")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "partially supported" not in result.stderr  # an older GDAL reads it without a warning


def test_geopackage_dates_are_dates_and_timestamps_have_fractions(built):
    path = built / "2019-09-30.gpkg"

    def field_types(layer):
        info = pyogrio.read_info(path, layer=layer)
        return dict(zip(info["fields"], info["dtypes"]))

    district_fields, incident_fields = field_types("districts"), field_types("incidents")
    assert district_fields["status_date"].startswith("datetime64") and incident_fields["event_date"].startswith(
        "datetime64"
    )
    with sqlite3.connect(path) as connection:
        types = dict(connection.execute("SELECT name, type FROM pragma_table_info('districts')").fetchall())
        changes = dict(connection.execute("SELECT table_name, last_change FROM gpkg_contents").fetchall())
    assert types["status_date"] == "DATE"
    assert changes["districts"] == "2019-09-30T00:00:00.000Z" and changes["incidents"] == "2019-09-30T00:00:00.000Z"
    districts = gpd.read_file(path, layer="districts").set_index("pcode")
    assert districts.loc["AF1815", "status_date"] == pd.Timestamp("2019-09-11")
    assert pd.isna(districts.loc["AF0101", "status_date"])


def test_geopackage_carries_qgis_styles(built):
    with sqlite3.connect(built / "2019-09-30.gpkg") as connection:
        styles = {
            table: (column, qml, default)
            for table, column, qml, default in connection.execute(
                "SELECT f_table_name, f_geometry_column, styleQML, useAsDefault FROM layer_styles"
            )
        }
        registered = connection.execute(
            "SELECT data_type FROM gpkg_contents WHERE table_name = 'layer_styles'"
        ).fetchone()
    assert registered == ("attributes",)
    column, qml, default = styles["districts"]
    assert column == "geom" and default == 1
    assert 'type="categorizedSymbol" attr="status"' in qml
    for status, rgb in (
        ("taliban", "198,40,40"),
        ("contested", "243,156,18"),
        ("government", "31,95,168"),
        ("unknown", "213,213,213"),
    ):
        assert f'value="{status}"' in qml
        assert rgb in qml
    assert 'attr="event_type"' in styles["incidents"][1] and 'value="Battles"' in styles["incidents"][1]


def test_every_incident_has_coordinates(built):
    incidents = gpd.read_file(built / "2019-09-30-incidents.geojson")
    assert len(incidents) == 25
    assert incidents[["latitude", "longitude"]].notna().all().all()
    assert (incidents["latitude"].round(5) == incidents.geometry.y.round(5)).all()
    assert set(incidents["coordinates"]) <= {"record", "place point", "district point", "province point"}
    assert (incidents["coordinates"] == "district point").sum() > 0
    # The machine-readable citation stays in the file.
    assert incidents["source_file"].str.endswith(".txt").all() and incidents["source_start"].notna().all()


def test_changes_file_has_the_districts_that_changed_hands_in_september_2019(built):
    changes = gpd.read_file(built / "2019-09-30-changes.geojson").set_index("pcode")
    expected = {
        "AF1815": ("Darqad", "unknown", "taliban", "2019-09-11"),
        "AF1817": ("Yangi Qala", "unknown", "taliban", "2019-09-11"),
        "AF1816": ("Chahab", "unknown", "taliban", "2019-09-29"),
        "AF1809": ("Khwaja Ghar", "unknown", "taliban", "2019-09-29"),
        "AF1801": ("Taloqan", "unknown", "contested", "2019-09-30"),
        "AF3301": ("Farah", "unknown", "government", "2019-09-10"),
    }
    for pcode, (district, before, after, date) in expected.items():
        row = changes.loc[pcode]
        assert (row["district"], row["status_before"], row["status_after"]) == (district, before, after)
        assert str(row["change_date"])[:10] == date
    assert "AF3009" not in changes.index  # Musa Qala: Taliban before and after
    assert "2019-09-11 Afghan government: taliban" in changes.loc["AF1815", "claims"]
    assert set(changes["province"]) == {"Takhar", "Hirat", "Farah"}
    assert changes.geometry.notna().all()


def test_changes_layer_is_on_the_page(built):
    page = (built / "2019-09-30.html").read_text(encoding="utf-8")
    assert "Changed since 2019-09-01" in page


def test_since_after_the_date_is_one_line(tmp_path):
    result = CliRunner().invoke(
        main, ["build", "--date", "2019-09-01", "--since", "2019-09-30", "--out", str(tmp_path)]
    )
    assert result.exit_code != 0 and "--since 2019-09-30 is after --date 2019-09-01" in result.output
    assert list(tmp_path.iterdir()) == []
