"""Imports wired to the geocoder's place role, the learned gazetteer and the notes.

Hand-written ACLED-format rows (made-up events, never real ACLED data) run
through ``geo import acled`` as a user runs it; ``geo geocode`` and ``geo
gazetteer forget`` then show what the import taught the gazetteer.
"""

import csv
import json
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from geo import gazetteer, validation
from geo.cli import main

HEADER = (Path(__file__).parent / "data" / "acled_fixture.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
# A made-up village name no gazetteer source holds, with a point in Nad-e Ali (AF3002), Helmand.
VILLAGE = "Zarghunak Kalay"
VILLAGE_POINT = ("31.6035", "64.2260")


def _run(*args):
    return CliRunner().invoke(main, list(map(str, args)), catch_exceptions=False)


def _write_acled(path, rows):
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, HEADER)
        writer.writeheader()
        for number, row in enumerate(rows, 1):
            writer.writerow(
                {
                    "event_id_cnty": f"AFGW{number}",
                    "event_date": "2019-09-28",
                    "year": "2019",
                    "time_precision": "1",
                    "event_type": "Battles",
                    "sub_event_type": "Armed clash",
                    "actor1": "Taliban",
                    "country": "Afghanistan",
                    "admin1": "Helmand",
                    "fatalities": "1",
                    "timestamp": "1569974400",
                    "source": "Made-up fixture",
                    **row,
                }
            )
    return path


def _geocode(name, province):
    result = _run("geocode", name, "--province", province, "--json")
    return json.loads(result.output)


@pytest.fixture
def clean_gazetteer():
    gazetteer.forget()
    yield
    gazetteer.forget()


def _village_rows():
    latitude, longitude = VILLAGE_POINT
    return [
        {"location": VILLAGE, "admin2": "Nad Ali", "latitude": latitude, "longitude": longitude, "geo_precision": "1"}
    ]


def test_import_learns_a_village_then_geocode_places_it(tmp_path, clean_gazetteer):
    assert _geocode(VILLAGE, "Helmand")["pcode"] == "AF30"  # unknown before: province only
    source = _write_acled(tmp_path / "acled.csv", _village_rows())
    result = _run("import", "acled", source, "--out", tmp_path / "out.csv")
    assert result.exit_code == 0, result.output
    assert "learned 1 new place names" in result.output
    answer = _geocode(VILLAGE, "Helmand")
    assert (answer["pcode"], answer["level"]) == ("AF3002", "district")
    forgot = _run("gazetteer", "forget")
    assert "forgot 1 learned names" in forgot.output
    assert _geocode(VILLAGE, "Helmand")["pcode"] == "AF30"


def test_no_learn_leaves_the_gazetteer_alone(tmp_path, clean_gazetteer):
    source = _write_acled(tmp_path / "acled.csv", _village_rows())
    result = _run("import", "acled", source, "--out", tmp_path / "out.csv", "--no-learn")
    assert result.exit_code == 0, result.output
    assert "learned" not in result.output
    assert _geocode(VILLAGE, "Helmand")["pcode"] == "AF30"


def test_only_points_that_stand_for_the_place_are_learned(tmp_path, clean_gazetteer):
    latitude, longitude = VILLAGE_POINT
    rows = [
        # geo_precision 3: the point stands for the province, not for the village.
        {"location": VILLAGE, "latitude": latitude, "longitude": longitude, "geo_precision": "3"},
        # The point is in Helmand but the row says Kandahar: not learned.
        {
            "location": "Ghundai Sarak",
            "admin1": "Kandahar",
            "latitude": latitude,
            "longitude": longitude,
            "geo_precision": "1",
        },
    ]
    result = _run("import", "acled", _write_acled(tmp_path / "acled.csv", rows), "--out", tmp_path / "out.csv")
    assert result.exit_code == 0, result.output
    assert "learned 0 new place names" in result.output


NOTES_ROWS = [
    # ACLED's province point (Lashkar Gah), precision 3, and a district in the notes.
    {
        "location": "Helmand",
        "latitude": "31.5930",
        "longitude": "64.3690",
        "geo_precision": "3",
        "notes": "Made-up event: Taliban fighters clashed with ANA soldiers in Nad-e Ali district of Helmand province.",
    },
    # No point at all, names that stop at the province, notes in ACLED's spelling of the district.
    {
        "location": "",
        "latitude": "",
        "longitude": "",
        "geo_precision": "",
        "notes": "Made-up event: an IED struck a police vehicle in Nahri Sarraj district.",
    },
    # The notes name a district of another province: the row stays at province level.
    {
        "location": "Helmand",
        "latitude": "31.5930",
        "longitude": "64.3690",
        "geo_precision": "3",
        "notes": "Made-up event: fighting in Andar district of Ghazni.",
    },
    # Precision 1: the point decides, whatever the notes say.
    {
        "location": "Lashkar Gah",
        "latitude": "31.5930",
        "longitude": "64.3690",
        "geo_precision": "1",
        "notes": "Made-up event: a clash in Nad-e Ali district was reported from Lashkar Gah.",
    },
]


def test_district_named_in_the_notes_fills_province_level_rows(tmp_path, clean_gazetteer):
    source = _write_acled(tmp_path / "acled.csv", NOTES_ROWS)
    out = tmp_path / "out.csv"
    result = _run("import", "acled", source, "--out", out, "--no-learn")
    assert result.exit_code == 0, result.output
    records = pd.read_csv(out, dtype=str, keep_default_na=False).set_index("event_id")
    shown = records[["pcode", "geo_precision", "placed_by", "source_geo_precision"]].to_dict("index")
    assert shown == {
        "AFGW1": {"pcode": "AF3002", "geo_precision": "district", "placed_by": "notes", "source_geo_precision": "3"},
        "AFGW2": {"pcode": "AF3004", "geo_precision": "district", "placed_by": "notes", "source_geo_precision": ""},
        "AFGW3": {
            "pcode": "AF30",
            "geo_precision": "province",
            "placed_by": "coordinates",
            "source_geo_precision": "3",
        },
        "AFGW4": {"pcode": "AF3001", "geo_precision": "place", "placed_by": "coordinates", "source_geo_precision": "1"},
    }
    # The province's stand-in point is not in Nad-e Ali: it is dropped, and the drop is said.
    assert records.loc["AFGW1", "latitude"] == ""
    assert "from the notes" in records.loc["AFGW1", "location_check"]
    assert records.loc["AFGW3", "latitude"] == "31.5930"
    table = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert validation.problem_table(table, "incidents").empty


def test_location_named_like_its_province_is_the_capital(tmp_path, clean_gazetteer):
    rows = [{"location": "Ghazni", "admin1": "Ghazni", "latitude": "", "longitude": "", "geo_precision": "1"}]
    out = tmp_path / "out.csv"
    result = _run("import", "acled", _write_acled(tmp_path / "acled.csv", rows), "--out", out)
    assert result.exit_code == 0, result.output
    records = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert records[["pcode", "placed_by"]].values.tolist() == [["AF1101", "geocoder"]]


def test_dates_as_a_spreadsheet_saves_them(tmp_path, clean_gazetteer):
    ghazni = {"location": "Ghazni", "admin1": "Ghazni", "latitude": "33.5536", "longitude": "68.4269"}
    ghazni["geo_precision"] = "1"
    rows = [{"event_date": "9/28/2019", **ghazni}, {"event_date": "2019-09-27 00:00:00", **ghazni}]
    out = tmp_path / "out.csv"
    result = _run("import", "acled", _write_acled(tmp_path / "acled.csv", rows), "--out", out, "--no-learn")
    assert result.exit_code == 0, result.output
    records = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert records["event_date"].tolist() == ["2019-09-28", "2019-09-27"]
