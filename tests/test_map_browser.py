"""The generated page in a real browser: Debian's headless Chromium opens the
HTML from disk, with no internet, and the tests look at what a reader sees.

A screenshot of the national map is saved as ``maps/test-screenshot.png``
(git-ignored) for a person to look at.
"""

import os
import re
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
    for flag in [
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        "--disable-dev-shm-usage",
        "--window-size=1400,1000",
    ]:
        options.add_argument(flag)
    options.binary_location = CHROMIUM
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    out = tmp_path_factory.mktemp("maps")
    records = pd.read_csv(
        Path(__file__).resolve().parents[1] / "seeds" / "incidents.csv", dtype=str, keep_default_na=False
    )
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
    assert loaded.execute_script("return window.geoPage.districts.length") == 399
    paths = loaded.execute_script("return document.querySelectorAll('path.geo-district').length")
    assert paths == 399


def _district_fill(browser, pcode):
    return browser.execute_script(f"return document.querySelector('path.geo-district-{pcode}').getAttribute('fill')")


def _open_incident(browser, event_id):
    """Zoom in (markers take clicks only then) and open the popup of one incident."""
    return browser.execute_script(
        """
        var geo = window.geoPage, found = null;
        geo.map.setView([36.74, 69.53], 10, {animate: false});
        geo.incidentMarkers.eachLayer(function (marker) {
            var popup = marker.getPopup();
            if (popup && marker.getTooltip() && popup._content().textContent.indexOf(arguments[0]) >= 0) { found = marker; }
        });
        found.openPopup();
        return document.querySelector('.leaflet-popup-content').textContent;""".replace("arguments[0]", repr(event_id))
    )


def test_incident_popups_show_text_as_text_and_a_readable_source(loaded):
    text = _open_incident(loaded, "AFG-0044")
    assert "<img src=x onerror=" in text and "<script>window.__pwned=2</script>" in text
    assert "Taluqan" in text and "36" in text
    # The source reads as outlet, headline and date, not a file and offsets.
    assert "Long War Journal" in text and ".txt @" not in text and re.search(r"\d{4}-\d{2}-\d{2}", text)
    assert loaded.execute_script("return window.__pwned === undefined")
    loaded.execute_script(
        "window.geoPage.map.closePopup(); window.geoPage.map.fitBounds([[29.3, 60.4], [38.5, 74.9]]);"
    )


def test_markers_take_no_clicks_at_national_zoom(loaded):
    time.sleep(0.5)  # let the last test's zoom finish
    loaded.execute_script("window.geoPage.map.setZoom(6, {animate: false});")
    time.sleep(0.3)
    pane = loaded.execute_script("return window.geoPage.map.getPane('geoIncidents').style.pointerEvents")
    assert pane == "none"
    # A click on a marker's spot reaches the district beneath it.
    hit = loaded.execute_script(
        """
        var geo = window.geoPage, marker = null;
        geo.incidentMarkers.eachLayer(function (m) { marker = marker || m; });
        geo.map.setView(marker.getLatLng(), 6, {animate: false});
        var point = geo.map.latLngToContainerPoint(marker.getLatLng());
        var box = geo.map.getContainer().getBoundingClientRect();
        var element = document.elementFromPoint(box.left + point.x, box.top + point.y);
        return element.getAttribute('class');"""
    )
    assert "geo-district" in hit


def test_district_popup_lists_claims_with_sources(loaded):
    text = loaded.execute_script(
        """
        var geo = window.geoPage, found = null;
        geo.districts.forEach(function (d) { if (d.feature.properties.p === 'AF1803') { found = d; } });
        found.openPopup(found.getBounds().getCenter());
        return document.querySelector('.leaflet-popup-content').textContent;"""
    )
    assert "Baharak" in text and "Contested" in text
    assert "Taliban: taliban" in text and "Long War Journal: contested" in text
    loaded.execute_script("window.geoPage.map.closePopup();")


def test_one_time_control_moves_title_legend_and_districts(loaded):
    def state():
        return (
            loaded.find_element("id", "geo-title").text,
            loaded.execute_script(
                "var r = {}; document.querySelectorAll('.geo-legend-status').forEach(function (row) {"
                " r[row.getAttribute('data-status')] = +row.querySelector('.geo-count').textContent; }); return r;"
            ),
            _district_fill(loaded, "AF1815"),
        )

    def move_to(iso):
        loaded.execute_script(
            "var s = document.getElementById('geo-time-slider'); s.value = window.geoPage.day(arguments[0]);"
            " s.dispatchEvent(new Event('input'));",
            iso,
        )

    title, counts, darqad = state()
    assert "as of 2019-09-30" in title and counts["taliban"] == 5 and counts["unknown"] == 387
    assert darqad == "#c62828"  # Darqad fell to the Taliban on 11 September
    move_to("2019-09-10")
    title, counts, darqad = state()
    assert "as of 2019-09-10" in title and counts["taliban"] == 1 and counts["contested"] == 4
    assert darqad == "#d5d5d5"
    assert "2019-08-12 to 2019-09-10" in loaded.find_element("id", "geo-legend").text

    # Stops are labelled with their dates and placed by time: the last 60 days at first ...
    def tick_labels():
        return loaded.execute_script(
            "return Array.from(document.querySelectorAll('.geo-tick-label')).map(function (l) { return [l.textContent, l.style.left]; });"
        )

    labels = tick_labels()
    assert labels[0] == ["2019-08-01", "0%"] and labels[-1] == ["2019-09-30", "100%"]
    assert ["2019-09-06", "60%"] in labels  # 36 of the 60 days
    # The window's start, then the claim dates 6, 10, 11, 23, 29 and 30 September.
    assert loaded.execute_script("return document.querySelectorAll('.geo-tick').length") == 7
    # ... and every claim date on request.
    loaded.find_element("id", "geo-all-dates").click()
    labels = tick_labels()
    assert labels[0] == ["2017-11-21", "0%"] and labels[-1] == ["2019-09-30", "100%"]
    assert loaded.execute_script("return document.querySelectorAll('.geo-tick').length") == 7
    move_to("2017-12-01")
    title, counts, darqad = state()
    assert "as of 2017-11-21" in title and counts["taliban"] == 1
    loaded.find_element("id", "geo-all-dates").click()
    move_to("2019-09-30")


def test_day_by_day_player_shows_when_chosen(loaded):
    play = loaded.find_element("css selector", ".geo-play")
    assert not play.is_displayed()
    loaded.find_element("id", "geo-day-by-day").click()
    assert play.is_displayed()
    assert "No incidents on 2019-09-01" not in loaded.find_element("id", "geo-title").text
    assert "on 2019-" in loaded.find_element("id", "geo-title").text
    loaded.find_element("id", "geo-day-by-day").click()
    assert not play.is_displayed()
    assert _errors(loaded) == []


def test_search_finds_a_district_by_another_spelling(loaded):
    box = loaded.find_element("id", "geo-search")
    box.send_keys("Taluqan")
    hits = [element.text for element in loaded.find_elements("css selector", ".geo-search-hit")]
    assert "Taloqan, Takhar (district)" in hits
    box.clear()
    box.send_keys("Helmand")
    hits = [element.text for element in loaded.find_elements("css selector", ".geo-search-hit")]
    assert "Hilmand (province)" in hits
    loaded.find_elements("css selector", ".geo-search-hit")[0].click()
    time.sleep(0.6)  # the map flies there
    assert loaded.execute_script("return window.geoPage.map.getZoom()") >= 7


def test_district_names_show_when_zoomed_in(loaded):
    time.sleep(0.5)  # let the search's zoom finish
    loaded.execute_script("window.geoPage.map.setView([36.6, 69.6], 6, {animate: false});")
    assert loaded.execute_script("return document.querySelectorAll('.geo-district-name').length") == 0
    loaded.execute_script("window.geoPage.map.setView([36.6, 69.6], 9, {animate: false});")
    time.sleep(0.3)
    names = loaded.execute_script(
        "return Array.from(document.querySelectorAll('.geo-district-name')).map(e => e.textContent)"
    )
    assert "Taloqan" in names and "Darqad" in names


def test_screenshot_of_the_national_map(browser, page):
    browser.get(page.as_uri())
    time.sleep(1.5)
    SCREENSHOT.parent.mkdir(exist_ok=True)
    assert browser.save_screenshot(str(SCREENSHOT))
    assert SCREENSHOT.stat().st_size > 50_000


def test_reference_layer_is_one_click_away_and_apart_from_the_status(loaded):
    labels = loaded.find_elements("css selector", ".leaflet-control-layers-overlays label")
    reference = next(label for label in labels if "Long War Journal assessment of 2018-09-24" in label.text)
    incidents = next(label for label in labels if "Incidents from 2019-09-01 to 2019-09-30 (25)" in label.text)
    assert incidents.find_element("css selector", "input").is_selected()
    reference.click()
    note = loaded.find_element("css selector", ".geo-reference-note").text
    assert "Taliban control 49, Contested 212, Government control 138" in note
    # The "as of" status and its counts are those of the records alone.
    assert "No claim: 387" in loaded.find_element("id", "geo-legend").text
    reference.click()
    assert not loaded.find_elements("css selector", ".geo-reference-note")
