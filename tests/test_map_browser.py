"""The generated page in a real browser: Debian's headless Chromium opens the
HTML from disk, with no internet, and the tests look at what a reader sees.

A screenshot of the national map is saved as ``maps/test-screenshot.png``
(git-ignored) for a person to look at.
"""

import os
import shutil
import time
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from geo.cli import main

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
SCREENSHOT = Path(__file__).resolve().parents[1] / "maps" / "test-screenshot.png"
FIND_MAP = "var map = Object.values(window).find(function (v) { return v instanceof L.Map; });"


def _browser_available():
    return Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()


@pytest.fixture(scope="module")
def browser():
    if not _browser_available():
        if os.environ.get("GEO_REQUIRE_BROWSER"):
            pytest.fail("chromium and chromedriver are required (apt-get install chromium chromium-driver)")
        pytest.skip("no chromium/chromedriver: apt-get install chromium chromium-driver")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    for flag in (
        "--headless=new --no-sandbox --disable-gpu --disable-background-networking "
        "--disable-component-update --no-first-run --disable-dev-shm-usage --window-size=1400,1000"
    ).split():
        options.add_argument(flag)
    options.binary_location = CHROMIUM
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    out = tmp_path_factory.mktemp("maps")
    records = pd.read_csv(Path(__file__).resolve().parents[1] / "seeds" / "incidents.csv", dtype=str, keep_default_na=False)
    # One record's notes carry markup: it must show as text and run nothing.
    hostile_note = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script> Taluqan strike'
    records.loc[records["event_id"] == "AFG-0044", "notes"] = hostile_note
    hostile = out / "incidents.csv"
    records.to_csv(hostile, index=False)
    result = CliRunner().invoke(main, ["build", "--date", "2019-09-30", "--out", str(out), "--incidents", str(hostile)])
    assert result.exit_code == 0, result.output
    return out / "2019-09-30.html"


@pytest.fixture(scope="module")
def loaded(browser, page):
    browser.get(page.as_uri())
    time.sleep(1.5)
    return browser


def _errors(browser):
    """Browser log entries that are real errors: tiles cannot load offline."""
    entries = browser.get_log("browser")
    return [e for e in entries if e["level"] == "SEVERE" and "tile.openstreetmap.org" not in e["message"]]


def test_page_loads_without_javascript_errors(loaded):
    assert _errors(loaded) == []
    assert loaded.execute_script("return typeof L") == "object"


def test_all_399_districts_are_drawn(loaded):
    count = loaded.execute_script(
        FIND_MAP
        + """
        var n = 0;
        map.eachLayer(function (layer) {
            if (layer.feature && layer.feature.properties && /^AF\\d{4}$/.test(layer.feature.properties.pcode)
                && layer.options.fillColor) { n += 1; }
        });
        return n;"""
    )
    assert count == 399
    svg_paths = loaded.execute_script("return document.querySelectorAll('.leaflet-overlay-pane path').length")
    assert svg_paths >= 399 + 1 + 25  # districts, the province border network, incidents


def test_incident_markers_and_popups_show_text_as_text(loaded):
    shown = loaded.execute_script(
        FIND_MAP
        + """
        var found = null, n = 0;
        map.eachLayer(function (layer) {
            if (layer.feature && layer.feature.properties && layer.feature.properties.event_id) {
                n += 1;
                if (layer.feature.properties.event_id === 'AFG-0044') { found = layer; }
            }
        });
        found.fire('click', {latlng: found.getLatLng()}, true);
        var popups = document.querySelectorAll('.leaflet-popup-content');
        var popup = popups[popups.length - 1];
        return [n, popup ? popup.textContent : null];"""
    )
    count, text = shown
    assert count == 25
    assert "<img src=x onerror=" in text and "<script>window.__pwned=2</script>" in text
    assert "Taluqan" in text and "36" in text
    assert loaded.execute_script("return window.__pwned === undefined")


def test_district_popup_lists_claims_with_sources(loaded):
    text = loaded.execute_script(
        FIND_MAP
        + """
        var found = null;
        map.eachLayer(function (layer) {
            if (layer.feature && layer.feature.properties && layer.feature.properties.pcode === 'AF1803'
                && layer.options.fillColor) { found = layer; }
        });
        found.fire('click', {latlng: found.getBounds().getCenter()}, true);
        var popups = document.querySelectorAll('.leaflet-popup-content');
        var popup = popups[popups.length - 1];
        return popup ? popup.textContent : null;"""
    )
    assert "Baharak" in text and "Contested" in text
    assert "Taliban: taliban" in text and "Long War Journal: contested" in text


def test_sliders_are_present_and_work(loaded):
    # The day-by-day player is listed in the layer control and shows when on.
    labels = loaded.execute_script(
        "return Array.from(document.querySelectorAll('.leaflet-control-layers-overlays label')).map(l => l.textContent.trim());"
    )
    assert "Incidents day by day (player)" in labels and "Control over time (slider)" in labels
    player = loaded.find_element("css selector", ".leaflet-control-timecontrol")
    assert not player.is_displayed()
    for label in ("Incidents day by day (player)", "Control over time (slider)"):
        index = labels.index(label)
        loaded.execute_script(f"document.querySelectorAll('.leaflet-control-layers-overlays input')[{index}].click();")
    assert player.is_displayed()
    slider = loaded.find_element("css selector", ".geo-control-slider input")
    assert slider.get_attribute("type") == "range"
    date_label = loaded.find_element("css selector", ".geo-control-date")
    assert date_label.text == "Control as claimed up to 2019-09-30"
    loaded.execute_script(
        "var s = document.querySelector('.geo-control-slider input'); s.value = 0; s.dispatchEvent(new Event('input'));"
    )
    assert date_label.text == "Control as claimed up to 2017-11-21"
    assert _errors(loaded) == []


def test_screenshot_of_the_national_map(browser, page):
    browser.get(page.as_uri())
    time.sleep(1.5)
    SCREENSHOT.parent.mkdir(exist_ok=True)
    assert browser.save_screenshot(str(SCREENSHOT))
    assert SCREENSHOT.stat().st_size > 50_000
