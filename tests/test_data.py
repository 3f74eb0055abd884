"""The data stage: checked downloads, the mirror, and every failure path.

Downloads are real HTTP requests to a server on 127.0.0.1 that serves a copy
of the mirror folder, so no test needs the internet.
"""

import functools
import http.server
import shutil
import threading
import zipfile
from pathlib import Path

import pytest
import shapely

from geo import boundaries, data, settings
from geo.errors import DataFetchError

MIRROR = Path(__file__).resolve().parents[2] / "shared" / "data"
DISTRICTS = "afg_admbnda_adm2_agcho_20180522.zip"


@pytest.fixture
def empty_cache(tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    monkeypatch.setattr(settings, "cache_dir", cache)
    monkeypatch.setattr(settings, "data_mirror", None)
    return cache


@pytest.fixture
def served(tmp_path, monkeypatch):
    """A local HTTP server over a copy of the mirror; yields the copy's folder."""
    folder = tmp_path / "served"
    shutil.copytree(settings.data_mirror or MIRROR, folder)
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setenv("GEO_DATA_BASE_URL", f"http://127.0.0.1:{server.server_port}")
    yield folder
    server.shutdown()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def test_manifest_lists_every_mirror_file_with_its_checksum():
    names = {path.name for path in MIRROR.iterdir() if path.suffix != ".md"}
    assert set(data.manifest()) == names
    for entry in data.manifest().values():
        assert data.sha256_of(MIRROR / entry.name) == entry.sha256
        assert entry.licence and entry.credit and entry.url.startswith("https://")


def test_download_over_http_verifies_and_caches(empty_cache, served):
    path = data.fetch(DISTRICTS, mirror=None)
    assert path == empty_cache / "data" / DISTRICTS
    assert data.sha256_of(path) == data.manifest()[DISTRICTS].sha256
    # Nothing but the file itself is left in the cache.
    assert sorted(p.name for p in path.parent.iterdir()) == [DISTRICTS]


def test_download_with_wrong_checksum_leaves_nothing(empty_cache, served):
    (served / DISTRICTS).write_bytes(b"not the district boundaries")
    with pytest.raises(DataFetchError, match=rf"^{DISTRICTS}: checksum mismatch for the download"):
        data.fetch(DISTRICTS, mirror=None)
    assert not any((empty_cache / "data").iterdir())


def test_truncated_download_is_refused(empty_cache, served):
    whole = (served / DISTRICTS).read_bytes()
    (served / DISTRICTS).write_bytes(whole[: len(whole) // 2])
    with pytest.raises(DataFetchError, match="checksum mismatch"):
        data.fetch(DISTRICTS, mirror=None)
    assert not any((empty_cache / "data").iterdir())


def test_missing_file_on_server_names_file_and_fix(empty_cache, served):
    (served / DISTRICTS).unlink()
    with pytest.raises(
        DataFetchError,
        match=rf"^{DISTRICTS}: download from http://127\.0\.0\.1:\d+/{DISTRICTS} failed .*GEO_DATA_MIRROR",
    ):
        data.fetch(DISTRICTS, mirror=None)


def test_no_network_is_one_clear_error(empty_cache, monkeypatch):
    # Port 9 (discard) on loopback: nothing listens, the connection is refused.
    monkeypatch.setenv("GEO_DATA_BASE_URL", "http://127.0.0.1:9")
    with pytest.raises(DataFetchError) as raised:
        data.fetch(DISTRICTS, mirror=None)
    message = str(raised.value)
    assert "\n" not in message and message.startswith(DISTRICTS) and "check the network" in message


def test_mirror_copy_with_wrong_checksum_is_refused(empty_cache, tmp_path):
    mirror = tmp_path / "mirror"
    mirror.mkdir()
    whole = (MIRROR / DISTRICTS).read_bytes()
    (mirror / DISTRICTS).write_bytes(whole[:-100])
    with pytest.raises(DataFetchError, match=rf"^{DISTRICTS}: checksum mismatch in the data mirror"):
        data.fetch(DISTRICTS, mirror=mirror)
    with pytest.raises(DataFetchError, match="not found in the data mirror"):
        data.fetch("afg_villages.json", mirror=mirror)
    assert not (empty_cache / "data" / DISTRICTS).exists()


def test_corrupted_cache_copy_is_fetched_again(empty_cache):
    path = data.fetch(DISTRICTS, mirror=MIRROR)
    with zipfile.ZipFile(path) as bundle:
        assert any(name.endswith(".shp") for name in bundle.namelist())
    path.write_bytes(path.read_bytes()[:1000])
    again = data.fetch(DISTRICTS, mirror=MIRROR)
    assert data.sha256_of(again) == data.manifest()[DISTRICTS].sha256


def test_unknown_file_is_refused():
    with pytest.raises(DataFetchError, match="not a file of the data manifest"):
        data.fetch("world.zip")


def test_cli_fetch_all_from_server(empty_cache, served, monkeypatch):
    from click.testing import CliRunner

    from geo.cli import main

    monkeypatch.delenv("GEO_DATA_MIRROR", raising=False)
    result = CliRunner().invoke(main, ["data", "fetch"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (empty_cache / "data").iterdir()) == sorted(data.manifest())


def test_cli_bad_mirror_is_one_line(empty_cache, tmp_path):
    from click.testing import CliRunner

    from geo.cli import main

    result = CliRunner().invoke(main, ["--mirror", str(tmp_path), "data", "fetch"])
    assert result.exit_code == 1
    assert result.output.count("\n") == 1 and "not found in the data mirror" in result.output
    assert "Traceback" not in result.output


def test_districts_have_plain_columns_and_valid_geometry():
    districts = boundaries.load_districts()
    assert len(districts) == 399 and districts["district_pcode"].is_unique
    assert {"district_pcode", "district", "province_pcode", "province", "alt_names", "geometry"} <= set(
        districts.columns
    )
    assert districts.crs.to_epsg() == 4326 and districts.is_valid.all()
    taloqan = districts.set_index("district_pcode").loc["AF1801"]
    assert (taloqan["district"], taloqan["province"], taloqan["is_provincial_capital"]) == ("Taloqan", "Takhar", True)
    provinces = boundaries.load_provinces()
    assert len(provinces) == 34 and provinces.is_valid.all()
    assert set(districts["province_pcode"]) == set(provinces["province_pcode"])


def test_district_points_lie_inside_their_districts():
    districts = boundaries.load_districts().set_index("district_pcode")
    points = boundaries.district_points()
    assert districts.geometry.reindex(points.index).contains(points).all()


def test_coverage_simplification_keeps_shared_borders():
    simplified = boundaries.simplified_districts(0.01)
    assert simplified.is_valid.all()
    # The simplified coverage has no gaps or overlaps: its union is as large as
    # the sum of its parts, and close to the original country's area.
    # Areas in square degrees: only their ratios matter here.
    union_area = shapely.area(simplified.union_all())
    assert union_area == pytest.approx(shapely.area(simplified.geometry.to_numpy()).sum(), rel=1e-6)
    assert union_area == pytest.approx(shapely.area(boundaries.load_districts().geometry.to_numpy()).sum(), rel=5e-3)
