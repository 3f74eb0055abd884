"""Tests for geo._assets: Leaflet from the PyPI package xstatic-leaflet,
checked against pinned sha256 sums and inlined into maps, with no npm, no
Node and no download: a build with an empty cache and no npm on PATH gives
the self-contained page.
"""

import hashlib
import re
import shutil
from pathlib import Path

import folium
import pytest
from click.testing import CliRunner

from geo import _assets
from geo.cli import main
from geo.errors import AssetError

REMOTE_ASSET_RE = re.compile(
    r"<script\b[^>]*\bsrc\s*=|<link\b[^>]*\bhref\s*=\s*[\"']?(?:https?:)?//",
    re.IGNORECASE,
)


class LeanMap(folium.Map):
    default_js = list(_assets.LEAN_MAP_JS)
    default_css = list(_assets.LEAN_MAP_CSS)


@pytest.fixture(scope="module")
def folium_page():
    fmap = LeanMap(location=[34.5, 66.0], zoom_start=6)
    folium.CircleMarker([34.53, 69.17]).add_to(fmap)
    return fmap.get_root().render()


def test_the_pinned_files_are_the_installed_ones():
    folder = _assets.package_dir()
    for path, digest in _assets.PINNED_SHA256.items():
        assert hashlib.sha256((folder / path).read_bytes()).hexdigest() == digest, path


def test_no_third_party_code_or_npm_files_in_the_repository():
    package = Path(_assets.__file__).resolve().parent
    assert not (package / "js").exists()
    assert not list(package.rglob("leaflet*.js")) and not list(package.rglob("package-lock.json"))


def test_inlined_page_loads_nothing_remote(folium_page):
    assert REMOTE_ASSET_RE.search(folium_page)
    page = _assets.inline_assets(folium_page)
    assert not REMOTE_ASSET_RE.search(page)
    assert "leaflet@1.9.3 (PyPI xstatic-leaflet 1.9.3.0) leaflet.js" in page
    assert 'url("data:image/png;base64,' in page  # leaflet.css's images
    assert "L.Icon.Default.mergeOptions" in page
    assert _assets.inline_assets(folium_page) == page  # deterministic


def test_a_changed_file_is_refused(tmp_path, monkeypatch):
    copy = tmp_path / "data"
    shutil.copytree(_assets.package_dir(), copy)
    (copy / "leaflet.js").write_text("/* not leaflet */ alert(1)")
    monkeypatch.setattr(_assets, "package_dir", lambda: copy)
    with pytest.raises(AssetError, match="leaflet.js: .* has sha256 .* not the pinned"):
        _assets.read_pinned("leaflet.js")


@pytest.mark.parametrize(
    "tag",
    [
        '<script src="https://cdn.example.org/lib.js"></script>',
        '<link rel="stylesheet" href="https://cdn.example.org/lib.css"/>',
    ],
)
def test_unpinned_library_raises(tag):
    with pytest.raises(AssetError, match="cdn.example.org"):
        _assets.inline_assets(f"<html><head>{tag}</head></html>")


def test_page_without_links_is_unchanged():
    page = "<html><head><script>var a = '<link rel=stylesheet href=//x>';</script></head></html>"
    assert _assets.inline_assets(page) == page


def test_script_end_tag_inside_a_library_is_escaped():
    assert _assets.script_safe('var s = "</script><!--";') == 'var s = "<\\/script>\\x3C!--";'


def test_build_with_a_fresh_cache_and_no_npm_gives_the_offline_page(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")  # no npm, no node
    monkeypatch.setattr("geo.settings.cache_dir", tmp_path / "fresh-cache")
    result = CliRunner().invoke(main, ["build", "--date", "2019-09-30", "--out", str(tmp_path / "maps")])
    assert result.exit_code == 0, result.output
    page = (tmp_path / "maps" / "2019-09-30.html").read_text(encoding="utf-8")
    assert not REMOTE_ASSET_RE.search(page)
    assert "xstatic-leaflet" in page
