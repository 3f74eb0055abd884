"""The main job end to end: `geo build` on the real records.

Statuses and counts are checked against what the source articles say; the
files against RFC 7946 and GDAL; the page for escaping and self-containment.
"""

import datetime as dt
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
import shapely
from click.testing import CliRunner

from geo.cli import main

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"
LWJ_TABLE = Path(__file__).resolve().parents[2] / "shared" / "data" / "lwj_district_control_2018-09-24.csv"
FILES = [
    "2019-09-30.html",
    "2019-09-30-districts.geojson",
    "2019-09-30-incidents.geojson",
    "2019-09-30.gpkg",
    "2019-09-30-incidents.parquet",
]


def run(*args):
    return CliRunner().invoke(main, [str(arg) for arg in args])


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("maps")
    result = run("build", "--date", "2019-09-30", "--out", out)
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def districts(built):
    return gpd.read_file(built / "2019-09-30-districts.geojson", engine="pyogrio").set_index("pcode")


def status_on(date, out, *extra):
    result = run("build", "--date", date, "--out", out, *extra)
    assert result.exit_code == 0, result.output
    frame = gpd.read_file(out / f"{date}-districts.geojson", engine="pyogrio")
    return frame.set_index("pcode")


def test_build_writes_the_five_files(built):
    assert sorted(path.name for path in built.iterdir()) == sorted(FILES)


def test_darqad_fell_on_11_september(tmp_path, districts):
    # Officials confirmed on 11 Sep 2019 that Darqad, Qala-i-Yangi and Chah Ab
    # had fallen; before that no record claims them.
    assert districts.loc["AF1815", "status"] == "taliban"
    assert str(districts.loc["AF1815", "status_date"])[:10] == "2019-09-11"
    before = status_on("2019-09-10", tmp_path)
    assert before.loc["AF1815", "status"] == "unknown"
    assert before.loc["AF1815", "claims"] in ("", None)
    assert pd.isna(before.loc["AF1815", "status_date"])


def test_statuses_of_the_districts_the_articles_speak_of(districts):
    expected = {
        "AF1817": "taliban",  # Yangi Qala (Qala-i-Yangi), fell 11 Sep
        "AF1816": "taliban",  # Chah Ab, Taliban claim of 29 Sep
        "AF1809": "taliban",  # Khwaja Ghar, Taliban claim of 29 Sep
        "AF1803": "contested",  # Baharak: Taliban say seized, LWJ says fighting: they disagree
        "AF1801": "contested",  # Taloqan: government says repelled, LWJ contested
        "AF3009": "taliban",  # Musa Qala, a Taliban-controlled district
        "AF3301": "government",  # Farah city, officials on 10 Sep
        "AF0101": "unknown",  # Kabul: bombings, but no control claim
    }
    assert districts.loc[list(expected), "status"].to_dict() == expected
    assert (districts["status"] == "unknown").sum() > 370


def test_claims_behind_a_status_are_listed_with_sources(districts):
    baharak = districts.loc["AF1803"]
    assert "Taliban: taliban" in baharak["claims"] and "Long War Journal: contested" in baharak["claims"]
    assert "001_1560744f44b8fd0a.txt @" in baharak["claims"]
    assert baharak["claimants"] == "Long War Journal; Taliban"


def test_incident_windows_have_files_of_their_own(tmp_path, built):
    out = tmp_path / "maps"
    for window in ("30", "7", "all"):
        result = run("build", "--date", "2019-09-30", "--out", out, "--window", window)
        assert result.exit_code == 0, result.output

    def count(stem):
        return len(gpd.read_file(out / f"{stem}-incidents.geojson", engine="pyogrio"))

    assert count("2019-09-30") == 25
    assert count("2019-09-30-7d") == 5
    assert count("2019-09-30-all") == 36
    assert {path.suffix for path in out.glob("2019-09-30-7d*")} == {".html", ".geojson", ".gpkg", ".parquet"}


def test_district_totals_count_the_window(districts):
    # Musa Qala: the 22 Sep raid (22 killed, arrests included), the strike ("dozens": 12 killed).
    assert districts.loc["AF3009", ["incidents", "fatalities"]].tolist() == [2, 34]
    assert districts["incidents"].sum() <= 25


def test_geojson_is_rfc7946(built):
    for name in FILES[1:3]:
        text = (built / name).read_text()
        document = json.loads(text)
        assert "crs" not in document
        decimals = re.findall(r"-?\d+\.(\d+)", json.dumps([f["geometry"] for f in document["features"]]))
        assert max(len(digits) for digits in decimals) <= 6
    frame = gpd.read_file(built / FILES[1], engine="pyogrio")
    rings = shapely.get_exterior_ring(frame.geometry.to_numpy())
    assert shapely.is_ccw(rings).all(), "exterior rings must be counter-clockwise (right-hand rule)"
    assert frame.crs.to_epsg() == 4326 and frame.is_valid.all()


def test_files_read_back_to_the_same_features(built, districts):
    assert len(districts) == 399 and districts.index.is_unique
    incidents = gpd.read_file(built / FILES[2], engine="pyogrio")
    records = pd.read_csv(SEEDS / "incidents.csv", dtype=str, keep_default_na=False).set_index("event_id")
    window = records[(records["event_date"] >= "2019-09-01") & (records["event_date"] <= "2019-09-30")]
    assert sorted(incidents["event_id"]) == sorted(window.index)
    row = incidents.set_index("event_id").loc["AFG-0044"]
    assert (row["location"], row["pcode"], int(row["fatalities"])) == ("Taluqan", "AF1801", 36)
    assert set(records.columns) <= set(incidents.columns)


def test_geopackage_has_both_layers(built, districts):
    layers = dict(pyogrio.list_layers(built / "2019-09-30.gpkg"))
    # layer_styles: the QGIS default styles, an attributes table (see test_export)
    assert set(layers) == {"districts", "incidents", "layer_styles"} and layers["layer_styles"] is None
    gpkg_districts = gpd.read_file(built / "2019-09-30.gpkg", layer="districts").set_index("pcode")
    assert gpkg_districts["status"].to_dict() == districts["status"].to_dict()
    assert len(gpd.read_file(built / "2019-09-30.gpkg", layer="incidents")) == 25


def test_same_inputs_give_the_same_bytes(tmp_path, built):
    result = run("build", "--date", "2019-09-30", "--out", tmp_path)
    assert result.exit_code == 0, result.output
    for name in FILES:
        assert _digest(tmp_path / name) == _digest(built / name), name


def test_page_is_self_contained_and_small(built):
    page = (built / "2019-09-30.html").read_text()
    assert not re.search(r"<script[^>]+src=[\"']https?:", page)
    assert not re.search(r"<link[^>]+href=[\"']https?:", page)
    assert (built / "2019-09-30.html").stat().st_size < 3_000_000
    assert "AGCHO / OCHA, CC BY-IGO" in page
    assert "Afghanistan: district control and incidents as of 2019-09-30" in page


def test_cdn_page_links_the_libraries(tmp_path, built):
    result = run("build", "--date", "2019-09-30", "--out", tmp_path, "--cdn")
    assert result.exit_code == 0, result.output
    page = (tmp_path / "2019-09-30.html").read_text()
    assert re.search(r"<script[^>]+src=\"https://cdn\.jsdelivr\.net/npm/leaflet@1\.9\.3", page)
    inlined = (built / "2019-09-30.html").stat().st_size - (tmp_path / "2019-09-30.html").stat().st_size
    assert inlined > 150_000  # Leaflet alone is 147 kB


def test_record_text_is_shown_as_text(tmp_path):
    incidents = hostile_incidents(tmp_path)
    out = tmp_path / "maps"
    result = run("build", "--date", "2019-09-30", "--out", out, "--incidents", incidents)
    assert result.exit_code == 0, result.output
    page = (out / "2019-09-30.html").read_text()
    assert "<img src=x onerror" not in page and "<script>alert" not in page
    assert "\\u003cimg src=x onerror=" in page  # in the page's JSON, escaped for <script>
    exported = gpd.read_file(out / "2019-09-30-incidents.geojson", engine="pyogrio")
    assert exported.set_index("event_id").loc["AFG-0044", "notes"].startswith("<script>alert(1)</script>")


def hostile_incidents(tmp_path):
    """A copy of the seed incidents whose notes hold markup."""
    records = pd.read_csv(SEEDS / "incidents.csv", dtype=str, keep_default_na=False)
    hostile = '<script>alert(1)</script><img src=x onerror="window.__pwned=1">'
    records.loc[records["event_id"] == "AFG-0044", "notes"] = hostile + " strike on Taluqan"
    records.loc[records["event_id"] == "AFG-0043", "actor2"] = '<b onmouseover="window.__pwned=2">x</b>'
    path = tmp_path / "incidents.csv"
    records.to_csv(path, index=False)
    return path


def test_imported_assessment_fills_the_country_and_ages(tmp_path):
    lwj = tmp_path / "lwj.csv"
    result = run("import-claims", LWJ_TABLE, "--date", "2018-09-24", "--claimant", "Long War Journal", "--out", lwj)
    assert result.exit_code == 0, result.output
    state = status_on("2019-09-30", tmp_path / "maps", "--claims", lwj)
    assert (state["status"] == "unknown").sum() == 0
    # A district the seeds never mention keeps the 2018 assessment, 371 days old.
    argo = state.loc["AF1702"]
    assert (str(argo["status_date"])[:10], int(argo["status_age_days"])) == ("2018-09-24", 371)
    # The seeds' later claims win over the assessment.
    assert state.loc["AF1815", "status"] == "taliban" and str(state.loc["AF1815", "status_date"])[:10] == "2019-09-11"
    page = (tmp_path / "maps" / "2019-09-30.html").read_text()
    assert "s Long War Journal, Mapping Taliban Control, 2018-09-24" in page


def test_series_writes_a_map_per_date_and_an_index(tmp_path):
    result = run("build", "--from", "2019-09-01", "--to", "2019-10-05", "--every", "7d", "--out", tmp_path)
    assert result.exit_code == 0, result.output
    dates = ["2019-09-01", "2019-09-08", "2019-09-15", "2019-09-22", "2019-09-29", "2019-10-05"]  # --to included
    assert sorted(p.name for p in tmp_path.glob("*.html")) == sorted([f"{d}.html" for d in dates] + ["index.html"])
    index = (tmp_path / "index.html").read_text()
    assert all(f'href="{d}.html"' in index for d in dates)
    # Each step lists its status totals and what changed since the step before.
    step = index[index.index('href="2019-09-15.html"') : index.index('href="2019-09-22.html"')]
    assert "Taliban control 4, Contested 4, Government control 1, No claim 390" in step
    assert "Changed since 2019-09-08" in step and "Darqad, Takhar: No claim \u2192 Taliban control (2019-09-11)" in step
    assert (tmp_path / "2019-09-15-changes.geojson").exists() and not (tmp_path / "2019-09-01-changes.geojson").exists()


@pytest.mark.parametrize(
    "args, message",
    [
        (["--date", "2019-13-01"], "'2019-13-01' is not a date as YYYY-MM-DD"),
        (["--date", "yesterday"], "is not a date"),
        (["--from", "2019-10-05", "--to", "2019-09-01"], "--from 2019-10-05 is after --to 2019-09-01"),
        (["--date", "2019-09-30", "--window", "-3"], "is not a number of days"),
        (["--date", "2019-09-30", "--out", "/dev/null/maps"], "--out: cannot write to /dev/null/maps"),
        (["--date", "2019-09-30", "--claims", "no-such-claims.csv"], "no-such-claims.csv: no such file"),
    ],
)
def test_bad_input_is_one_line_and_writes_nothing(tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    result = run("build", *args)
    assert result.exit_code != 0
    assert message in result.output and "Traceback" not in result.output
    assert not (tmp_path / "maps").exists() or not any((tmp_path / "maps").iterdir())


def test_records_that_fail_validation_stop_the_build(tmp_path):
    records = pd.read_csv(SEEDS / "incidents.csv", dtype=str, keep_default_na=False)
    records.loc[3, "event_date"] = "2019-02-30"
    records.loc[5, "pcode"] = "AF9999"
    broken = tmp_path / "incidents.csv"
    records.to_csv(broken, index=False)
    result = run("build", "--date", "2019-09-30", "--out", tmp_path / "maps", "--incidents", broken)
    assert result.exit_code == 1
    assert "incidents.csv:5: event_date: '2019-02-30' is not a date as YYYY-MM-DD\n" in result.output
    assert "incidents.csv:7: pcode: 'AF9999' is not an OCHA district or province code\n" in result.output
    assert result.output.rstrip().endswith("2 problems in the records; nothing written")
    assert not (tmp_path / "maps").exists()


def test_interrupted_build_leaves_whole_files_only(tmp_path, built):
    """Kill a build at several moments: each file is the old one or a whole new one."""
    out = tmp_path / "maps"
    shutil.copytree(built, out)
    old = {name: _digest(out / name) for name in FILES}
    env = {**os.environ, "GEO_PROGRESS": "0"}
    hostile = hostile_incidents(tmp_path)  # a build whose files differ from the old ones
    for delay in (1.0, 2.0, 3.0, 4.0):
        process = subprocess.Popen(
            [
                sys.executable,
                "-c",
                "from geo.cli import main; main()",
                "build",
                "--date",
                "2019-09-30",
                "--out",
                str(out),
                "--incidents",
                str(hostile),
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait()
        for name in FILES:
            path = out / name
            assert path.exists(), name
            if _digest(path) != old[name]:
                _assert_whole(path)


def _assert_whole(path):
    if path.suffix == ".html":
        assert path.read_text().rstrip().endswith("</html>")
    elif path.suffix == ".geojson":
        json.loads(path.read_text())
    elif path.suffix == ".parquet":
        assert len(gpd.read_parquet(path)) > 0  # pyarrow reads a whole file only (GDAL's driver here needs duckdb)
    else:
        assert set(dict(pyogrio.list_layers(path))) == {"districts", "incidents", "layer_styles"}


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("count, note_length", [(700, 1_500), (790, 300), (5_000, 200)])
def test_page_stays_under_1_5_mb_at_any_incident_count(tmp_path, count, note_length):
    """Many incidents, or long notes, are drawn per district and day: the page stays small."""
    from geo import build, records

    seeds = records.read_table(SEEDS / "incidents.csv")
    window = seeds[seeds["event_date"].between("2019-09-01", "2019-09-30")]
    table = pd.concat([window] * (count // len(window) + 1), ignore_index=True).iloc[:count].copy()
    table["event_id"] = [f"MANY-{number:05d}" for number in range(count)]
    table["notes"] = table["notes"].str.pad(note_length, side="right", fillchar="x")
    inputs = build.Inputs(records.incidents_to_frame(table), records.load_claims())
    outputs = build.build(inputs, dt.date(2019, 9, 30), tmp_path)
    assert outputs.incident_count == count
    assert outputs.html.stat().st_size < 1_500_000


@pytest.mark.parametrize(
    "args, message",
    [
        (["--date", "2019-09-30", "--window", "99999999999"], "--window: 99999999999 is more than 45,000 days"),
        (["--date", "0001-01-01"], "outside 1979-2100"),
        (
            ["--from", "1979-01-01", "--to", "2100-12-31", "--every", "1d"],
            "more than 1,000 (the limit is settings.max_series_maps)",
        ),
        (["--from", "2019-09-01", "--to", "2101-01-01"], "outside 1979-2100"),
    ],
)
def test_absurd_dates_and_windows_are_one_line_and_write_nothing(tmp_path, args, message):
    out = tmp_path / "maps"
    result = run("build", *args, "--out", out)
    assert result.exit_code != 0
    assert message in result.output and "Traceback" not in result.output
    assert not out.exists() or list(out.iterdir()) == []


def test_window_reaching_before_1979_starts_there(tmp_path):
    result = run("build", "--date", "1979-01-05", "--out", tmp_path)
    assert result.exit_code == 0, result.output
    assert "(0 incidents;" in result.output
