"""Tests for geo._assets: pinned libraries installed with npm and inlined into maps.

These run a real ``npm ci`` (once per session, into a temporary cache) and, if
Chromium and chromedriver are installed, open an inlined map in headless
Chromium with no access to anything but the page itself.
"""

import base64
import json
import re
import shutil
import time
from pathlib import Path

import folium
import folium.plugins as plugins
import pytest

from geo import _assets, settings
from geo.errors import AssetError, GeoError

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
TILE_HOST = "tile.openstreetmap.org"

# Any script or stylesheet still loaded from somewhere (http:, https: or //).
REMOTE_ASSET_RE = re.compile(
    r"<script\b[^>]*\bsrc\s*=|<link\b[^>]*\bhref\s*=\s*[\"']?(?:https?:)?//",
    re.IGNORECASE,
)


class LeanMap(folium.Map):
    default_js = list(_assets.LEAN_MAP_JS)
    default_css = list(_assets.LEAN_MAP_CSS)


class LeanTimestampedGeoJson(plugins.TimestampedGeoJson):
    default_css = [pair for pair in plugins.TimestampedGeoJson.default_css if pair[0] not in _assets.UNUSED_ASSET_NAMES]


@pytest.fixture(scope="session")
def installed_cache(tmp_path_factory):
    """A cache folder with the pinned libraries installed by a real `npm ci`."""
    if shutil.which("npm") is None:
        pytest.skip("npm is not installed")
    cache = tmp_path_factory.mktemp("geo-cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(settings, "cache_dir", cache)
        started = time.perf_counter()
        _assets.ensure_installed()
        print(f"npm ci took {time.perf_counter() - started:.1f} s")
    return cache


@pytest.fixture
def node_modules(installed_cache, monkeypatch):
    """Point geo at the installed cache for one test; return node_modules."""
    monkeypatch.setattr(settings, "cache_dir", installed_cache)
    return _assets.ensure_installed()


def full_map():
    """A map using every plugin geo draws with, rendered by folium."""
    m = LeanMap(location=[34.5, 66.0], zoom_start=6)
    folium.Marker([34.53, 69.17], popup="Kabul").add_to(m)
    plugins.MarkerCluster(locations=[[34.0, 66.0], [34.05, 66.1], [34.1, 66.2]]).add_to(m)
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [64.0 + i, 33.0]},
            "properties": {"times": [f"2024-01-0{i + 1}"]},
        }
        for i in range(3)
    ]
    LeanTimestampedGeoJson(
        {"type": "FeatureCollection", "features": features}, period="P1D", auto_play=False
    ).add_to(m)
    districts = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": "0",
                "properties": {},
                "geometry": {"type": "Polygon", "coordinates": [[[66, 35], [67, 35], [67, 36], [66, 35]]]},
            }
        ],
    }
    styles = {"0": {"1704067200": {"color": "red", "opacity": 0.6}, "1704153600": {"color": "blue", "opacity": 0.6}}}
    plugins.TimeSliderChoropleth(json.dumps(districts), styledict=styles).add_to(m)
    return m.get_root().render()


@pytest.fixture(scope="session")
def folium_page():
    """The full map as folium renders it (element ids are random per render)."""
    return full_map()


@pytest.fixture(scope="session")
def inlined_page(installed_cache, folium_page):
    """The full map, inlined."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(settings, "cache_dir", installed_cache)
        return _assets.inline_assets(folium_page)


def test_lean_lists_keep_only_leaflet():
    assert set(_assets.LEAN_MAP_JS) <= set(folium.Map.default_js)
    assert set(_assets.LEAN_MAP_CSS) <= set(folium.Map.default_css)
    assert [name for name, _ in _assets.LEAN_MAP_JS] == ["leaflet"]
    assert [name for name, _ in _assets.LEAN_MAP_CSS] == ["leaflet_css"]
    dropped = {name for name, _ in folium.Map.default_js + folium.Map.default_css} - {
        name for name, _ in _assets.LEAN_MAP_JS + _assets.LEAN_MAP_CSS
    }
    assert dropped <= _assets.UNUSED_ASSET_NAMES
    assert "highlight.js_css" in _assets.UNUSED_ASSET_NAMES


def test_folium_page_links_remote_assets(folium_page):
    # Guards the tests below: without inlining, the page does link CDNs.
    assert REMOTE_ASSET_RE.search(folium_page)


def test_inlined_page_loads_nothing_remote(inlined_page):
    assert not REMOTE_ASSET_RE.search(inlined_page)
    styles = "".join(re.findall(r"<style\b[^>]*>(.*?)</style>", inlined_page, re.DOTALL))
    assert not re.search(r"url\(\s*[\"']?(?:https?:)?//", styles)
    assert "netdna.bootstrapcdn.com" not in inlined_page
    assert "ajax/libs/highlight.js" not in inlined_page


def test_inlined_page_holds_the_pinned_code(inlined_page, node_modules):
    leaflet = (node_modules / "leaflet" / "dist" / "leaflet.js").read_text(encoding="utf-8")
    leaflet = leaflet.split("//# sourceMappingURL=")[0]
    assert leaflet.strip() in inlined_page
    assert "sourceMappingURL" not in inlined_page
    for label in [
        "leaflet@1.9.3 dist/leaflet.js",
        "leaflet@1.9.3 dist/leaflet.css",
        "jquery@3.7.1 dist/jquery.min.js",
        "jquery-ui-dist@1.12.1 jquery-ui.min.js",
        "iso8601-js-period@0.2.1 iso8601.js",
        "leaflet-timedimension@1.1.1 dist/leaflet.timedimension.min.js",
        "leaflet-timedimension@1.1.1 dist/leaflet.timedimension.control.css",
        "moment@2.18.1 min/moment.min.js",
        "d3@4.13.0 build/d3.min.js",
        "leaflet.markercluster@1.1.0 dist/leaflet.markercluster.js",
        "leaflet.markercluster@1.1.0 dist/MarkerCluster.css",
        "leaflet.markercluster@1.1.0 dist/MarkerCluster.Default.css",
    ]:
        assert f"/* {label} */" in inlined_page, label


def test_library_linked_twice_is_inlined_once(inlined_page):
    # folium links jQuery 3.7.1 from two CDNs (Map and TimestampedGeoJson).
    assert inlined_page.count("/*! jQuery v3.7.1 ") == 1
    assert inlined_page.count("<script>/* moment@2.18.1") == 1


def test_leaflet_css_images_become_data_uris(inlined_page, node_modules):
    layers = (node_modules / "leaflet" / "dist" / "images" / "layers.png").read_bytes()
    encoded = base64.b64encode(layers).decode("ascii")
    assert f'url("data:image/png;base64,{encoded}")' in inlined_page
    assert "url(images/" not in inlined_page
    assert "url(#default#VML)" in inlined_page  # Fragment references stay as they are.


def test_time_control_font_is_one_woff(inlined_page, node_modules):
    font = node_modules / "bootstrap" / "dist" / "fonts" / "glyphicons-halflings-regular.woff"
    encoded = base64.b64encode(font.read_bytes()).decode("ascii")
    face = re.search(r"@font-face \{[^}]*\}", inlined_page).group(0)
    assert "font-family: 'Glyphicons Halflings'" in face
    assert face.count("url(") == 1
    assert f'url("data:font/woff;base64,{encoded}") format("woff")' in face


def test_inlining_is_deterministic(folium_page, inlined_page, node_modules):
    assert _assets.inline_assets(folium_page) == inlined_page


def test_page_without_assets_is_unchanged(tmp_path, monkeypatch):
    # Nothing to inline: nothing is installed either.
    monkeypatch.setattr(settings, "cache_dir", tmp_path)
    page = "<html><head><script>var a = 1;</script><style>p {}</style></head><body></body></html>"
    assert _assets.inline_assets(page) == page
    assert not (tmp_path / "js").exists()


def test_tags_inside_scripts_and_comments_are_left_alone(node_modules):
    page = (
        "<head>\n"
        '<!-- <script src="https://example.org/commented.js"></script> -->\n'
        '<script>var popup = \'<link rel="stylesheet" href="https://example.org/x.css"/>\';</script>\n'
        '<script src="data:text/javascript,var%20b=2"></script>\n'
        '<script src="https://code.jquery.com/jquery-3.7.1.min.js"></script>\n'
        "</head>"
    )
    out = _assets.inline_assets(page)
    assert '<script src="data:text/javascript,var%20b=2"></script>' in out
    assert '<!-- <script src="https://example.org/commented.js"></script> -->' in out
    assert "var popup = '<link rel=\"stylesheet\" href=\"https://example.org/x.css\"/>';" in out
    assert "/*! jQuery v3.7.1 " in out


@pytest.mark.parametrize(
    "tag",
    [
        '<script src="https://example.org/unknown.js"></script>',
        "<link rel='stylesheet' href='https://example.org/unknown.css'>",
        '<link rel="stylesheet" href="https://cdnjs.cloudflare.com/ajax/libs/highlight.js/8.4/styles/default.min.css"/>',
        '<script src="https://cdn.jsdelivr.net/npm/bootstrap@5.2.2/dist/js/bootstrap.bundle.min.js"></script>',
    ],
)
def test_unmapped_library_raises(tag, tmp_path, monkeypatch):
    monkeypatch.setattr(settings, "cache_dir", tmp_path)
    url = re.search(r"(?:src|href)=[\"']([^\"']+)", tag).group(1)
    with pytest.raises(AssetError) as caught:
        _assets.inline_assets(f"<html><head>{tag}</head></html>")
    message = str(caught.value)
    assert url in message
    assert "\n" not in message
    assert isinstance(caught.value, GeoError)
    assert not (tmp_path / "js").exists()  # Refused before installing anything.


def test_default_folium_map_raises_for_bootstrap(node_modules):
    page = folium.Map().get_root().render()
    with pytest.raises(AssetError, match="bootstrap"):
        _assets.inline_assets(page)


def test_script_end_tag_inside_a_library_is_escaped():
    js = 'var s = "</script><script>alert(1)</SCRIPT>"; // <!-- x'
    safe = _assets._script_safe(js)
    assert "</script" not in safe.lower()
    assert "<!--" not in safe
    assert safe == 'var s = "<\\/script><script>alert(1)<\\/SCRIPT>"; // \\x3C!-- x'
    assert "</style" not in _assets._style_safe("a::after { content: '</style>' }")


def test_install_is_reused(node_modules, monkeypatch):
    before = sorted(p.name for p in node_modules.parent.parent.iterdir())
    monkeypatch.setenv("PATH", "")  # npm cannot run; the installed copy is used.
    assert _assets.ensure_installed() == node_modules
    assert sorted(p.name for p in node_modules.parent.parent.iterdir()) == before
    assert len(before) == 1  # No staging folders left behind.


def test_missing_npm_is_reported(tmp_path, monkeypatch):
    monkeypatch.setattr(settings, "cache_dir", tmp_path)
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    with pytest.raises(AssetError) as caught:
        _assets.ensure_installed()
    assert "npm not found" in str(caught.value)
    assert "--cdn" in str(caught.value)


def test_failed_npm_leaves_nothing_behind(tmp_path, monkeypatch):
    if shutil.which("npm") is None:
        pytest.skip("npm is not installed")
    # Offline with an empty npm cache: npm ci must fail, without network.
    monkeypatch.setattr(settings, "cache_dir", tmp_path / "cache")
    monkeypatch.setenv("npm_config_offline", "true")
    monkeypatch.setenv("npm_config_cache", str(tmp_path / "empty-npm-cache"))
    with pytest.raises(AssetError) as caught:
        _assets.ensure_installed()
    message = str(caught.value)
    assert message.startswith("cannot install the map's JavaScript libraries: npm ci failed (")
    assert "ENOTCACHED" in message  # npm's reason, not its closing advice.
    assert "\n" not in message
    assert list((tmp_path / "cache" / "js").iterdir()) == []


# --- In a browser ----------------------------------------------------------


@pytest.fixture(scope="module")
def browser():
    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        pytest.skip("chromium and chromedriver are not installed")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        "--disable-dev-shm-usage",
    ):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.set_window_size(1200, 800)
    yield driver
    driver.quit()


def test_inlined_map_works_offline_in_chromium(browser, inlined_page, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    page = tmp_path / "map.html"
    page.write_text(inlined_page, encoding="utf-8")
    browser.get(page.as_uri())
    WebDriverWait(browser, 20).until(lambda d: d.execute_script("return document.readyState") == "complete")

    state = browser.execute_script(
        """return {
            leaflet: typeof L !== 'undefined' && L.version,
            timeDimension: typeof L.TimeDimension,
            d3: typeof d3 !== 'undefined' && d3.version,
            markerClusterGroup: typeof L.markerClusterGroup,
            jquery: typeof jQuery !== 'undefined' && jQuery.fn.jquery,
            jqueryUi: typeof jQuery !== 'undefined' && jQuery.ui && jQuery.ui.version,
            moment: typeof moment !== 'undefined' && moment.version,
            clusters: document.querySelectorAll('.marker-cluster').length,
            markerImages: Array.from(document.querySelectorAll('img.leaflet-marker-icon'))
                .map(img => img.complete && img.naturalWidth),
            resources: performance.getEntriesByType('resource').map(entry => entry.name),
        };"""
    )
    assert state["leaflet"] == "1.9.3"
    assert state["timeDimension"] == "function"
    assert state["d3"] == "4.13.0"
    assert state["markerClusterGroup"] == "function"
    assert state["jquery"] == "3.7.1"
    assert state["jqueryUi"] == "1.12.1"
    assert state["moment"] == "2.18.1"
    assert state["clusters"] >= 1
    # Default marker images (inlined as data: URIs) loaded: 25 px wide.
    assert state["markerImages"] and all(width == 25 for width in state["markerImages"])
    # The only things fetched are tiles.
    assert all(TILE_HOST in url for url in state["resources"]), state["resources"]

    # The TimestampedGeoJson play control renders, with its icon font, and plays.
    play = browser.find_element(By.CSS_SELECTOR, ".leaflet-control-timecontrol.timecontrol-play")
    assert play.is_displayed()
    font_ok = browser.execute_async_script(
        """const done = arguments[arguments.length - 1];
        document.fonts.ready.then(() => done(document.fonts.check('14px "Glyphicons Halflings"')));"""
    )
    assert font_ok
    glyph = browser.execute_script(
        "return getComputedStyle(arguments[0], '::before').getPropertyValue('content');", play
    )
    assert glyph == '"\ue072"'
    map_name = browser.execute_script("return Object.keys(window).find(k => /^map_[0-9a-f]+$/.test(k));")
    start = browser.execute_script(f"return {map_name}.timeDimension.getCurrentTime();")
    play.click()
    WebDriverWait(browser, 10).until(
        lambda d: d.execute_script(f"return {map_name}.timeDimension.getCurrentTime();") != start
    )

    severe = [
        entry
        for entry in browser.get_log("browser")
        if entry["level"] == "SEVERE" and TILE_HOST not in entry["message"]
    ]
    assert severe == []
