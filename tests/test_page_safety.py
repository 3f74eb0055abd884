"""Record text is data, never code (issue 7): template, script and breakout
payloads in every text field of incidents and claims and in every text
option reach the page verbatim and run nothing, at build time or in a real
headless Chromium that opens every popup and tooltip; quiet windows give
normal maps.
"""

import json
import re
import time
import uuid
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from test_map_browser import browser  # noqa: F401 - the shared Chromium fixture

from geo import plugins
from geo.cli import main

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
LWJ_TABLE = Path(__file__).resolve().parents[2] / "shared" / "data" / "lwj_district_control_2018-09-24.csv"
MARKER = Path(f"/tmp/geo-template-ran-{uuid.uuid4().hex}")
PAYLOADS = [
    "JJ{{7*7}}JJ",
    "{% raw %}",
    "{#",
    "{{ lipsum.__globals__.os.popen('touch " + str(MARKER) + "').read() }}",
    "{{ cycler.__init__.__globals__.os.popen('touch " + str(MARKER) + "').read() }}",
    "<script>document.title='pwned'</script>",
    "<img src=x onerror=document.title='pwned'>",
    "\"'><img src=x onerror=document.title='pwned'>",
    "</script><script>document.title='pwned'</script><!--",
    "line\u2028separator\u2029end",
]
INCIDENT_FIELDS = [
    "event_id",
    "actor1",
    "actor2",
    "notes",
    "source",
    "fatalities_qualifier",
    "assoc_actor_1",
    "assoc_actor_2",
    "url",
]
CLAIM_FIELDS = ["claim_id", "claimant", "source", "notes", "url"]
# In-window records of Takhar: their markers and district popups are opened.
INCIDENT_ROWS = ["AFG-0044", "AFG-0043"]
CLAIM_DISTRICT = "AF1801"


def payload(index, field):
    """A payload for one field: every kind of payload, once, named by field.

    A url must be a web link without spaces (validation refuses others), so
    its payloads follow ``https://`` with the whitespace taken out.
    """
    text = f"{PAYLOADS[index % len(PAYLOADS)]} [{field}] " + " ".join(PAYLOADS)
    if field.endswith(" url"):
        return "https://example.org/" + re.sub(r"\s", "", text)
    return text


def run(*args):
    return CliRunner().invoke(main, [str(arg) for arg in args])


def page_strings(html):
    """Every string in the page's JSON document."""
    match = re.search(r'<script type="application/json" id="geo-data">(.*?)</script>', html, re.DOTALL)
    assert match, "the page carries its data as one JSON document"
    found = []

    def walk(value):
        if isinstance(value, str):
            found.append(value)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(json.loads(match.group(1)))
    return found


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """A build whose incidents, claims and imported claims carry payloads in every text field."""
    folder = tmp_path_factory.mktemp("hostile")
    incidents = pd.read_csv(SEEDS / "incidents.csv", dtype=str, keep_default_na=False)
    claims = pd.read_csv(SEEDS / "claims.csv", dtype=str, keep_default_na=False)
    expected = []
    for row_number, event_id in enumerate(INCIDENT_ROWS):
        row = incidents["event_id"] == event_id
        for index, field in enumerate(INCIDENT_FIELDS):
            value = payload(index + row_number, f"incident {event_id} {field}")
            incidents.loc[row, field] = value
            expected.append(value)
    taloqan = claims.index[claims["pcode"] == CLAIM_DISTRICT]
    for index, field in enumerate(CLAIM_FIELDS):
        value = payload(index, f"claim {field}")
        claims.loc[taloqan, field] = [f"{value} #{n}" if field == "claim_id" else value for n in range(len(taloqan))]
        expected.append(value if field != "claim_id" else f"{value} #0")
    incidents.to_csv(folder / "incidents.csv", index=False)
    claims = claims[claims["pcode"] == CLAIM_DISTRICT]
    claims.to_csv(folder / "claims.csv", index=False)
    claimant, source = payload(3, "option --claimant"), payload(5, "option --source")
    imported = run(
        "import-claims",
        LWJ_TABLE,
        "--date",
        "2018-09-24",
        "--claimant",
        claimant,
        "--source",
        source,
        "--out",
        folder / "imported.csv",
    )
    assert imported.exit_code == 0, imported.output
    expected += [claimant, source]
    out = folder / "maps"
    result = run(
        "build",
        "--date",
        "2019-09-30",
        "--since",
        "2019-09-01",
        "--out",
        out,
        "--incidents",
        folder / "incidents.csv",
        "--claims",
        folder / "claims.csv",
        "--claims",
        folder / "imported.csv",
    )
    assert result.exit_code == 0, result.output
    return out / "2019-09-30.html", expected


def test_no_template_ran_at_build_time(hostile):
    html = hostile[0].read_text(encoding="utf-8")
    assert not MARKER.exists()
    assert "JJ49JJ" not in html and "JJ{{7*7}}JJ" in html


def test_every_payload_is_in_the_page_verbatim(hostile):
    path, expected = hostile
    strings = page_strings(path.read_text(encoding="utf-8"))
    for value in expected:
        assert any(value in text for text in strings), value


def test_no_payload_is_live_markup(hostile):
    html = hostile[0].read_text(encoding="utf-8")
    assert "<img src=x onerror" not in html
    assert "<script>document.title" not in html
    assert "\u2028" not in html and "\u2029" not in html
    # The only scripts are Leaflet, the data document and the page's own code.
    assert len(re.findall(r"<script\b", html)) == html.count("</script>")


def test_chromium_opens_every_popup_and_tooltip_and_runs_nothing(browser, hostile):  # noqa: F811
    path, expected = hostile
    browser.get(path.as_uri())
    time.sleep(1.0)
    title = browser.title
    assert title == "Afghanistan: district control and incidents as of 2019-09-30"
    browser.set_script_timeout(120)
    shown = browser.execute_script(OPEN_EVERYTHING)
    time.sleep(0.3)
    assert browser.title == title
    assert (
        browser.execute_script("return window.__pwned === undefined && document.querySelectorAll('img[src=x]').length")
        == 0
    )
    for value in expected:
        assert value in shown, value
    assert not MARKER.exists()


OPEN_EVERYTHING = """
var geo = window.geoPage, map = geo.map, seen = [];
L.Popup.prototype.options.autoPan = false;  // opening ~900 popups without moving the map each time
function collect(layer) {
    if (layer.getPopup && layer.getPopup()) {
        layer.openPopup();
        var content = layer.getPopup().getElement().querySelector('.leaflet-popup-content');
        seen.push(content.textContent);
        // A record's web link is the source's href, not text of its own.
        content.querySelectorAll('a').forEach(function (a) { seen.push(a.getAttribute('href')); });
        layer.closePopup();
    }
    if (layer.getTooltip && layer.getTooltip()) { layer.openTooltip(); var tip = layer.getTooltip().getElement(); if (tip) { seen.push(tip.textContent); } layer.closeTooltip(); }
}
geo.districts.forEach(collect);
geo.incidentMarkers.eachLayer(collect);  // at national zoom
map.setView([36.7, 69.5], 9, {animate: false});
geo.incidentMarkers.eachLayer(collect);
map.eachLayer(function (layer) { if (layer.feature) { collect(layer); } });
seen.push(document.body.innerText);
return seen.join("\\n");
"""


@pytest.mark.parametrize(
    "args, title_text",
    [
        (["--date", "2001-01-01"], "No incidents from 2000-12-03 to 2001-01-01"),
        (["--date", "2030-06-01"], "No incidents from 2030-05-03 to 2030-06-01"),
        (["--date", "2019-09-20", "--window", "1"], "No incidents on 2019-09-20"),
    ],
)
def test_quiet_window_is_a_normal_map(tmp_path, browser, args, title_text):  # noqa: F811
    result = run("build", "--out", tmp_path, *args)
    assert result.exit_code == 0, result.output
    page = next(tmp_path.glob("*.html"))
    browser.get(page.as_uri())
    time.sleep(0.8)
    assert title_text in browser.find_element("id", "geo-title").text
    assert browser.execute_script("return window.geoPage.districts.length") == 399
    legend = browser.find_element("id", "geo-legend").text
    assert "No claim" in legend and "Incidents," in legend
    layers = browser.find_element("css selector", ".leaflet-control-layers-overlays").text
    assert title_text in layers  # the incident layer says so too
    assert next(tmp_path.glob("*-incidents.geojson")).exists()


def test_header_only_incidents_and_a_quiet_first_date_of_a_series(tmp_path):
    empty = tmp_path / "incidents.csv"
    empty.write_text((SEEDS / "incidents.csv").read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    result = run("build", "--date", "2019-09-30", "--out", tmp_path / "one", "--incidents", empty)
    assert result.exit_code == 0, result.output
    assert "(0 incidents;" in result.output
    result = run(
        "build",
        "--from",
        "2019-07-10",
        "--to",
        "2019-09-30",
        "--every",
        "30d",
        "--window",
        "7",
        "--out",
        tmp_path / "series",
    )
    assert result.exit_code == 0, result.output
    index = (tmp_path / "series" / "index.html").read_text()
    assert 'href="2019-07-10-7d.html">2019-07-10</a>: 0 incidents' in index
    assert (tmp_path / "series" / "2019-09-30-7d.html").exists()


def test_script_json_cannot_end_its_element():
    text = plugins.script_json({"a": "</script><!--<script>&\u2028\u2029{{1}}"})
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == {"a": "</script><!--<script>&\u2028\u2029{{1}}"}


@hypothesis_settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40).filter(str.strip))
def test_arbitrary_text_in_a_record_field_shows_verbatim(text):
    """Arbitrary text in a record's notes reaches the page's data unchanged, by
    the same page assembly a build uses (a small map, to stay fast)."""
    import folium

    fmap = folium.Map(tiles=None)
    plugins.DataSlot("t").add_to(fmap)
    plugins.IncidentLayer([{"d": "2019-09-30", "rows": [["Summary", text]], "label": text}]).add_to(fmap)
    plugins.Title(text).add_to(fmap)
    from geo import render

    html = render.render_html(fmap, self_contained=False)
    assert page_strings(html).count(text) >= 3
    assert html.count("</script>") == len(re.findall(r"<script\b", html))
