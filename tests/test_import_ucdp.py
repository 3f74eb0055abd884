"""``geo import ucdp`` on a hand-made fixture written from UCDP GED's codebook
(tests/data/ucdp_fixture.csv: made-up events, never real UCDP data)."""

from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from geo import records, validation
from geo.cli import main

FIXTURE = Path(__file__).parent / "data" / "ucdp_fixture.csv"


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    out = tmp_path_factory.mktemp("ucdp") / "ged.csv"
    result = CliRunner().invoke(main, ["import", "ucdp", str(FIXTURE), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return result, out, pd.read_csv(out, dtype=str, keep_default_na=False).set_index("event_id", drop=False)


def test_counts_and_rejects(imported):
    result, out, _ = imported
    assert result.stdout.startswith("13 rows read: 9 placed in a district, 2 at province level only, 2 rejected")
    assert result.stderr.splitlines() == [
        "ucdp_fixture.csv:7: location: the dataset places this event no closer than the country",
        "ucdp_fixture.csv:14: best: 'many' is not a whole number of 0 or more",
    ]
    assert validation.incident_problems(records.read_table(out)) == []


def test_where_prec_becomes_geo_precision(imported):
    _, _, table = imported
    rows = table.loc[
        ["990001", "990002", "990003", "990004", "990005"], ["pcode", "geo_precision", "source_geo_precision"]
    ]
    assert rows.values.tolist() == [
        ["AF3002", "place", "1"],
        ["AF3009", "place", "2"],
        ["AF1801", "district", "3"],
        ["AF19", "province", "4"],
        ["AF06", "province", "5"],
    ]


def test_date_prec_and_dates(imported):
    _, _, table = imported
    assert table.loc["990001", ["event_date", "time_precision"]].tolist() == ["2019-09-28", "1"]
    assert table.loc["990002", ["event_date", "time_precision"]].tolist() == ["2019-09-23", "2"]
    assert table.loc["990005", "time_precision"] == "3"
    assert table.loc["990010", "time_precision"] == "3"  # date_prec 4: a few months
    assert table.loc["990011", "time_precision"] == "3"  # date_prec 5: the year


def test_counts_types_and_actors(imported):
    _, _, table = imported
    row = table.loc["990007"]
    assert row[["fatalities", "fatalities_low", "fatalities_high"]].tolist() == ["11", "11", "14"]
    assert (row["event_type"], row["sub_event_type"]) == ("Violence against civilians", "Attack")
    assert (row["actor1"], row["actor2"], row["dataset"]) == ("IS", "Civilians", "UCDP GED")
    assert table.loc["990011", ["event_type", "sub_event_type"]].tolist() == ["Battles", "Armed clash"]
    assert table.loc["990001", "location"] == "Nad Ali town"


def test_names_and_points(imported):
    _, _, table = imported
    assert table.loc["990008", ["pcode", "placed_by"]].tolist() == ["AF0608", "geocoder"]
    assert table.loc["990010", ["pcode", "placed_by", "latitude"]].tolist() == ["AF1107", "geocoder", ""]
    assert table.loc["990009", ["pcode", "location_check"]].tolist() == [
        "AF2701",
        "admin2 'Maywand' is AF2710 (Maywand); the point lies in AF2701 (Kandahar)",
    ]
