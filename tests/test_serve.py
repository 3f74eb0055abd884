"""`geo serve` over real records, from outside: a real server on 127.0.0.1, GDAL's
OGC API Features driver, plain HTTP and a headless Chromium.

The records are the seeds plus one incident whose text is a script and
template payload, which must come back verbatim and run nothing.
"""

import http.client
import json
import os
import shutil
import subprocess
from pathlib import Path

import httpx
import pandas as pd
import pytest
from serve_helpers import start_server, stop_server

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
PAYLOAD = "<script>document.title='pwned'</script><img src=x onerror=\"document.title='pwned'\"> {{7*7}} &amp; </td>"
DARQAD = "AF1815"


@pytest.fixture(scope="module")
def records_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("records")
    incidents = pd.read_csv(SEEDS / "incidents.csv", dtype=str, keep_default_na=False)
    hostile = incidents[incidents["event_id"] == "AFG-0044"].assign(event_id="AFG-9001", notes=PAYLOAD, actor2=PAYLOAD)
    pd.concat([incidents, hostile]).to_csv(folder / "incidents.csv", index=False)
    shutil.copy(SEEDS / "claims.csv", folder / "claims.csv")
    return folder


@pytest.fixture(scope="module")
def server_cache(tmp_path_factory):
    return tmp_path_factory.mktemp("serve-cache")


@pytest.fixture(scope="module")
def server(records_dir, server_cache):
    process, base = start_server(records_dir, cache_dir=server_cache)
    yield base
    stop_server(process)


@pytest.fixture(scope="module")
def browser():
    if not (shutil.which("chromium") and shutil.which("chromedriver")):
        if os.environ.get("GEO_REQUIRE_BROWSER"):
            pytest.fail("chromium and chromedriver are required (apt-get install chromium chromium-driver)")
        pytest.skip("no chromium/chromedriver: apt-get install chromium chromium-driver")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"):
        options.add_argument(flag)
    options.binary_location = shutil.which("chromium")
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)
    yield driver
    driver.quit()


def get_json(url, status=200):
    response = httpx.get(url, timeout=60)
    assert response.status_code == status, response.text
    return response.json()


def raw_get(base, path):
    """GET a path exactly as written (no client-side normalising of '..' or escapes)."""
    host, port = base.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=30)
    connection.request("GET", path)
    response = connection.getresponse()
    return response.status, response.read().decode("utf-8"), dict(response.getheaders())


def all_features(url):
    """Follow `next` links to the end; return every feature."""
    features = []
    while url:
        page = get_json(url)
        features += page["features"]
        url = next((link["href"] for link in page["links"] if link["rel"] == "next"), None)
    return features


# --- GDAL reads the service ---------------------------------------------------------


def ogrinfo(*args):
    result = subprocess.run(["ogrinfo", "-ro", *args], check=False, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_gdal_lists_both_collections(server):
    listing = ogrinfo(f"OAPIF:{server}")
    assert "districts" in listing and "incidents" in listing


def test_gdal_reads_every_district_and_incident(server, records_dir):
    districts = ogrinfo("-so", f"OAPIF:{server}", "districts")
    assert "Feature Count: 399" in districts
    incidents = ogrinfo("-q", "-al", f"OAPIF:{server}", "incidents")
    expected = len(pd.read_csv(records_dir / "incidents.csv", dtype=str))
    assert incidents.count("OGRFeature(incidents)") == expected
    assert "event_id (String) = AFG-9001" in incidents


def test_gdal_event_type_filter(server, records_dir):
    incidents = pd.read_csv(records_dir / "incidents.csv", dtype=str)
    listing = ogrinfo("-q", "-al", f"OAPIF:{server}", "incidents", "-where", "event_type = 'Battles'")
    assert listing.count("OGRFeature(incidents)") == (incidents["event_type"] == "Battles").sum()


@pytest.mark.parametrize(("date", "status"), [("2019-09-10", "unknown"), ("2019-09-30", "taliban")])
def test_gdal_reads_district_status_as_of_a_date(server, date, status):
    # GDAL sends the URL's query with every request, the collection's description included.
    listing = ogrinfo(
        "-q", "-al", f"OAPIF:{server}/collections/districts?datetime={date}", "-where", f"pcode = '{DARQAD}'"
    )
    assert f"status (String) = {status}" in listing
    # A filter on the date field becomes the datetime parameter.
    listing = ogrinfo("-q", f"OAPIF:{server}", "districts", "-where", f"as_of = '{date}' and pcode = '{DARQAD}'")
    assert f"status (String) = {status}" in listing


def test_gdal_date_filter_on_incidents(server, records_dir):
    incidents = pd.read_csv(records_dir / "incidents.csv", dtype=str)
    listing = ogrinfo(
        "-q", f"OAPIF:{server}", "incidents", "-where", "event_date >= '2019-09-01' and event_date <= '2019-09-30'"
    )
    assert listing.count("OGRFeature(incidents)") == incidents["event_date"].between("2019-09-01", "2019-09-30").sum()


# --- OGC API documents ----------------------------------------------------------------


def test_landing_conformance_api_and_collections(server):
    landing = get_json(f"{server}/")
    rels = {link["rel"] for link in landing["links"]}
    assert {"self", "service-desc", "conformance", "data"} <= rels
    conformance = get_json(f"{server}/conformance")["conformsTo"]
    assert "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson" in conformance
    api = get_json(f"{server}/api")
    assert api["openapi"].startswith("3.") and "/collections/{collection}/items" in api["paths"]
    assert api["components"]["parameters"]["limit"]["schema"]["maximum"] == 10000
    collections = get_json(f"{server}/collections")["collections"]
    assert [c["id"] for c in collections] == ["districts", "incidents"]
    queryables = get_json(f"{server}/collections/incidents/queryables")
    assert "Battles" in queryables["properties"]["event_type"]["enum"]


# --- the datetime filter follows the records ------------------------------------------


@pytest.mark.parametrize(("date", "status"), [("2019-09-10", "unknown"), ("2019-09-30", "taliban")])
def test_district_status_as_of_datetime(server, date, status):
    feature = get_json(f"{server}/collections/districts/items/{DARQAD}?datetime={date}")
    assert feature["properties"]["district"] == "Darqad"
    assert feature["properties"]["status"] == status
    page = {
        f["id"]: f for f in all_features(f"{server}/collections/districts/items?datetime={date}T12:00:00Z&limit=150")
    }
    assert len(page) == 399
    assert page[DARQAD]["properties"]["status"] == status


def test_district_claims_and_window_totals(server, records_dir):
    feature = get_json(f"{server}/collections/districts/items/{DARQAD}?datetime=2019-09-30")
    assert "taliban" in feature["properties"]["claims"]
    incidents = pd.read_csv(records_dir / "incidents.csv", dtype=str)
    in_window = incidents[(incidents["pcode"] == DARQAD) & incidents["event_date"].between("2019-09-01", "2019-09-30")]
    assert feature["properties"]["incidents"] == len(in_window)
    everything = get_json(f"{server}/collections/districts/items/{DARQAD}?datetime=../2019-09-30")
    assert (
        everything["properties"]["incidents"]
        == ((incidents["pcode"] == DARQAD) & (incidents["event_date"] <= "2019-09-30")).sum()
    )


@pytest.mark.parametrize(
    ("datetime", "first", "last"),
    [
        ("2019-09-30", "2019-09-30", "2019-09-30"),
        ("2019-09-01/2019-09-15", "2019-09-01", "2019-09-15"),
        ("../2018-12-31", "0000", "2018-12-31"),
        ("2019-09-20/..", "2019-09-20", "9999"),
    ],
)
def test_incidents_by_datetime(server, records_dir, datetime, first, last):
    incidents = pd.read_csv(records_dir / "incidents.csv", dtype=str)
    expected = set(incidents.loc[incidents["event_date"].between(first, last), "event_id"])
    found = {f["id"] for f in all_features(f"{server}/collections/incidents/items?datetime={datetime}&limit=7")}
    assert found == expected and expected


def test_incidents_by_bbox_and_event_type(server):
    takhar = list(all_features(f"{server}/collections/incidents/items?bbox=69.0,36.0,70.5,37.5"))
    assert takhar and all(69.0 <= f["geometry"]["coordinates"][0] <= 70.5 for f in takhar)
    assert all(36.0 <= f["geometry"]["coordinates"][1] <= 37.5 for f in takhar)
    everything = all_features(f"{server}/collections/incidents/items")
    assert len(takhar) < len(everything)
    explosions = all_features(f"{server}/collections/incidents/items?event_type=Explosions/Remote%20violence")
    assert explosions and all(f["properties"]["event_type"] == "Explosions/Remote violence" for f in explosions)


@pytest.mark.parametrize(
    ("value", "day"),
    [
        ("2019-09-30T", "2019-09-30"),
        ("2019-09-30T12Z", "2019-09-30"),
        ("2019-09-30T23:30:00-05:00", "2019-10-01"),
        ("2019-10-01T01:00:00+02:00", "2019-09-30"),
    ],
)
def test_datetime_forms_are_read_as_their_utc_day(server, value, day):
    feature = get_json(f"{server}/collections/districts/items/{DARQAD}?datetime={value.replace('+', '%2B')}")
    assert feature["properties"]["as_of"] == day


def test_paging_next_links_cover_every_feature_once(server):
    first = get_json(f"{server}/collections/districts/items?limit=50")
    assert first["numberMatched"] == 399 and first["numberReturned"] == 50
    ids = [f["id"] for f in all_features(f"{server}/collections/districts/items?limit=50")]
    assert len(ids) == len(set(ids)) == 399
    last = get_json(f"{server}/collections/districts/items?limit=50&offset=350")
    assert last["numberReturned"] == 49 and "next" not in {link["rel"] for link in last["links"]}


# --- bad requests: one line of JSON, 400 or 404 ----------------------------------------


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/collections/incidents/items?limit=0", 400),
        ("/collections/incidents/items?limit=-5", 400),
        ("/collections/incidents/items?limit=10001", 400),
        ("/collections/incidents/items?limit=99999999999999999999999", 400),
        ("/collections/incidents/items?limit=1e3", 400),
        ("/collections/incidents/items?offset=-1", 400),
        ("/collections/incidents/items?limit=5&limit=6", 400),
        ("/collections/incidents/items?datetime=2019-13-40", 400),
        ("/collections/incidents/items?datetime=yesterday", 400),
        ("/collections/incidents/items?datetime=2019-09-30/2019-09-01", 400),
        ("/collections/incidents/items?datetime=../..", 400),
        ("/collections/incidents/items?datetime=0001-01-01", 400),
        ("/collections/districts/items?datetime=2019-09-30T25:00:00Z", 400),
        ("/collections/incidents/items?bbox=1,2,3", 400),
        ("/collections/incidents/items?bbox=a,b,c,d", 400),
        ("/collections/incidents/items?bbox=70,30,60,38", 400),
        ("/collections/incidents/items?bbox=0,-91,10,10", 400),
        ("/collections/incidents/items?bbox=nan,1,2,3", 400),
        ("/collections/incidents/items?bbox-crs=EPSG:3857&bbox=1,2,3,4", 400),
        ("/collections/incidents/items?event_type=Picnic", 400),
        ("/collections/incidents/items?f=xml", 400),
        ("/collections/incidents/items?foo=bar", 400),
        ("/collections?datetime=nonsense", 400),
        ("/collections/districts?limit=0", 400),
        ("/api?bbox=1,2", 400),
        ("/collections/nothing/items", 404),
        ("/collections/districts/items/AF9999", 404),
        ("/collections/incidents/items/NOPE-1", 404),
        ("/maps/2019-02-30", 400),
        ("/maps/2019-09-30?window=0", 400),
        ("/maps/2019-09-30?window=99999999999", 400),
        ("/maps/2019-09-30?cdn=maybe", 400),
        ("/maps/0001-01-01", 400),
        ("/../../etc/passwd", 400),
        ("/maps/../../../etc/passwd", 400),
        ("/maps/..%2f..%2f..%2fetc%2fpasswd", 400),
        ("/maps/2019-09-30/..%2F..%2F..%2Fetc%2Fpasswd", 400),
        ("/maps/2019-09-30/%2e%2e/%2e%2e/etc/passwd", 400),
        ("/maps/2019-09-30/..\\..\\etc\\passwd", 400),
        ("/maps/2019-09-30/%00", 400),
        ("/collections/incidents/items/%2e%2e", 400),
        ("/static/../../../etc/passwd", 400),
        ("/etc/passwd", 404),
        ("/" + "a" * 5000, 414),
    ],
)
def test_bad_requests_get_one_line_json(server, path, status):
    code, body, headers = raw_get(server, path)
    assert code == status, body
    assert headers["content-type"].startswith("application/json")
    assert body.count("\n") <= 1 and "root:" not in body
    assert json.loads(body)["description"]


def test_map_files_only_from_the_build_never_through_a_symlink(server, server_cache, tmp_path):
    status, _, _ = raw_get(server, "/maps/2019-09-30/2019-09-30-incidents.geojson?cdn=1")
    assert status == 200
    status, body, _ = raw_get(server, "/maps/2019-09-30/outputs.json?cdn=1")
    assert status == 404
    # Replace a built file with a symlink to a secret: the service refuses it.
    secret = tmp_path / "secret.txt"
    secret.write_text("top secret")
    built = next((server_cache / "serve" / "maps").rglob("2019-09-30-incidents.geojson"))
    built.unlink()
    built.symlink_to(secret)
    status, body, _ = raw_get(server, "/maps/2019-09-30/2019-09-30-incidents.geojson?cdn=1")
    assert status == 404 and "top secret" not in body


# --- maps on demand ---------------------------------------------------------------------


def test_map_of_a_date_is_built_once_and_cached(server):
    first = httpx.get(f"{server}/maps/2019-09-10?cdn=1&window=7", timeout=120)
    assert first.status_code == 200 and first.headers["content-type"].startswith("text/html")
    assert "Darqad" in first.text
    again = httpx.get(f"{server}/maps/2019-09-10?cdn=1&window=7", timeout=120)
    assert again.content == first.content
    geopackage = httpx.get(f"{server}/maps/2019-09-10/2019-09-10-7d.gpkg?cdn=1&window=7", timeout=120)
    assert geopackage.content[:16] == b"SQLite format 3\x00"


def test_date_picker_redirects_to_the_map(server):
    response = httpx.get(f"{server}/maps?date=2019-09-30&window=all")
    assert response.status_code == 303 and response.headers["location"] == "/maps/2019-09-30?window=all"


# --- record text is text ------------------------------------------------------------------


def test_payload_comes_back_verbatim_in_geojson(server):
    feature = get_json(f"{server}/collections/incidents/items/AFG-9001")
    assert feature["properties"]["notes"] == PAYLOAD
    assert feature["properties"]["actor2"] == PAYLOAD


def test_html_pages_escape_record_text(server):
    for path in ("/collections/incidents/items/AFG-9001?f=html", "/collections/incidents/items?f=html&limit=100"):
        response = httpx.get(f"{server}{path}")
        assert response.status_code == 200
        assert "<script>document.title" not in response.text and "&lt;script&gt;" in response.text
        assert "script-src" not in response.headers["content-security-policy"]
        assert response.headers["x-content-type-options"] == "nosniff"


def test_browser_shows_payload_as_text(server, browser):
    browser.get(f"{server}/collections/incidents/items/AFG-9001?f=html")
    assert browser.title == "incidents AFG-9001"
    assert PAYLOAD in browser.find_element("tag name", "body").text
    browser.get(f"{server}/?f=html")
    assert browser.title == "geo: Afghanistan maps"
    assert "http://127.0.0.1" in browser.find_element("tag name", "code").text


# --- the command ----------------------------------------------------------------------------


def test_serve_refuses_a_folder_without_records(tmp_path):
    from click.testing import CliRunner

    from geo.cli import main

    result = CliRunner().invoke(main, ["serve", "--records", str(tmp_path), "--port", "1"])
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [f"Error: {tmp_path}: no incidents.csv or claims.csv in this folder"]


def test_serve_refuses_records_that_do_not_validate(tmp_path):
    from click.testing import CliRunner

    from geo.cli import main

    incidents = pd.read_csv(SEEDS / "incidents.csv", dtype=str, keep_default_na=False)
    incidents.loc[3, "event_date"] = "2019-19-30"
    incidents.to_csv(tmp_path / "incidents.csv", index=False)
    shutil.copy(SEEDS / "claims.csv", tmp_path / "claims.csv")
    result = CliRunner().invoke(main, ["serve", "--records", str(tmp_path), "--port", "1"])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "incidents.csv:5: event_date" in lines[0]
