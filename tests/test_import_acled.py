"""``geo import acled`` on a hand-made fixture written from ACLED's codebook
(tests/data/acled_fixture.csv: made-up events, never real ACLED data), then
validated and built as it is."""

import csv
import json
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from geo import records, validation
from geo.cli import main
from geo.imports import import_acled

FIXTURE = Path(__file__).parent / "data" / "acled_fixture.csv"


def _run(*args):
    return CliRunner().invoke(main, list(map(str, args)), catch_exceptions=True)


def _read(path):
    return pd.read_csv(path, dtype=str, keep_default_na=False).set_index("event_id", drop=False)


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    out = tmp_path_factory.mktemp("acled") / "incidents.csv"
    result = _run("import", "acled", FIXTURE, "--out", out)
    assert result.exit_code == 0, result.output
    return result, out, _read(out)


def test_counts_and_problems_are_reported(imported):
    result, out, _ = imported
    rejects = out.with_name("incidents-rejects.csv")
    assert result.stdout.strip() == (
        f"14 rows read: 11 placed in a district, 1 at province level only, 2 rejected ({rejects}); "
        f"{out} holds 12 records\n"
        # The fixture's places with points are all district or province names, which are never learned.
        "learned 0 new place names into the local gazetteer (--no-learn skips this)"
    )
    # Line 15, not 14: the note of line 13 runs over two lines.
    assert result.stderr.splitlines() == [
        "acled_fixture.csv:15: event_date: '31 September 2019' is not a date such as 2019-09-28 or 28 September 2019",
        (
            "acled_fixture.csv:16: location: no point in Afghanistan, and the names 'Qqqvillage' (district '', "
            "province 'Zzyzx') do not geocode: no place called 'Qqqvillage'; province 'Zzyzx' not recognised; ignored"
        ),
    ]
    written = pd.read_csv(rejects, dtype=str, keep_default_na=False)
    assert written["line"].tolist() == ["15", "16"]
    assert written["event_id_cnty"].tolist() == ["AFG90013", "AFG90014"]
    assert list(written.columns[2:]) == list(pd.read_csv(FIXTURE, nrows=0).columns)


def test_schema_columns_and_kept_values(imported):
    _, _, table = imported
    assert list(table.columns) == records.INCIDENT_COLUMNS
    row = table.loc["AFG90008"]
    assert row["dataset"] == "ACLED" and row["source_file"] == "" and row["source_start"] == ""
    assert row["assoc_actor_1"] == "" and row["assoc_actor_2"] == "Teachers (Afghanistan); Students (Afghanistan)"
    assert row["actor2"] == "Civilians (Afghanistan)"
    assert (row["event_type"], row["sub_event_type"]) == (
        "Violence against civilians",
        "Abduction/forced disappearance",
    )
    assert row["timestamp"] == "1569974407" and row["source_geo_precision"] == "1"
    assert table.loc["AFG90010", "time_precision"] == "3"
    assert table.loc["AFG90012", "fatalities"] == "12"
    assert table.loc["AFG90012", "notes"].endswith('"with heavy losses",\nthe governor said; a note over two lines.')


def test_both_date_styles(imported):
    _, _, table = imported
    assert table.loc["AFG90001", "event_date"] == "2019-09-28"  # 2019-09-28
    assert table.loc["AFG90002", "event_date"] == "2019-09-28"  # 28 September 2019


def test_placed_by_their_own_point(imported):
    _, _, table = imported
    placed = table.loc[["AFG90001", "AFG90002", "AFG90007", "AFG90011"], ["pcode", "geo_precision", "placed_by"]]
    assert placed.values.tolist() == [
        ["AF3002", "place", "coordinates"],  # precision 1
        ["AF3009", "district", "coordinates"],  # precision 2
        ["AF3008", "place", "coordinates"],  # precision blank: unknown, the point is used
        ["AF3214", "place", "coordinates"],
    ]
    # ACLED's spelling "Helmand" becomes OCHA's "Hilmand"; the district its name.
    assert table.loc["AFG90001", ["admin1", "admin2", "location"]].tolist() == ["Hilmand", "Nad-e-Ali", "Nad Ali"]
    assert table.loc["AFG90001", ["latitude", "longitude"]].tolist() == ["31.5440", "63.8006"]


def test_precision_3_stays_at_province_level_with_its_point(imported):
    _, _, table = imported
    row = table.loc["AFG90003"]
    assert (row["pcode"], row["geo_precision"], row["admin2"]) == ("AF19", "province", "")
    assert (row["latitude"], row["longitude"]) == ("36.7805", "68.8420")


def test_no_usable_point_goes_through_the_names(imported):
    _, _, table = imported
    blank = table.loc["AFG90004"]
    assert (blank["pcode"], blank["placed_by"], blank["latitude"]) == ("AF1801", "geocoder", "")
    outside = table.loc["AFG90005"]
    assert (outside["pcode"], outside["placed_by"], outside["latitude"]) == ("AF0608", "geocoder", "")
    assert outside["location_check"] == "point 33.7, 73.05 lies outside Afghanistan; placed by its names"


def test_names_that_disagree_with_the_point_are_noted_not_rejected(imported):
    _, _, table = imported
    row = table.loc["AFG90006"]
    assert (row["pcode"], row["placed_by"]) == ("AF2701", "coordinates")
    assert row["location_check"] == ("admin2 'Maywand' is AF2710 (Maywand); the point lies in AF2701 (Kandahar)")
    assert (table["location_check"] != "").sum() == 2


def test_output_validates_and_builds_with_the_event_ids(imported, tmp_path):
    _, out, table = imported
    assert validation.incident_problems(records.read_table(out)) == []
    result = _run("build", "--date", "2019-09-30", "--incidents", out, "--out", tmp_path)
    assert result.exit_code == 0, result.output
    assert "(12 incidents;" in result.stdout
    layer = json.loads((tmp_path / "2019-09-30-incidents.geojson").read_text(encoding="utf-8"))
    ids = sorted(feature["properties"]["event_id"] for feature in layer["features"])
    assert ids == sorted(table.index)
    assert {feature["properties"]["dataset"] for feature in layer["features"]} == {"ACLED"}


def _copy(tmp_path, name, change):
    with open(FIXTURE, newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    header = rows[0]
    for row in rows[1:]:
        change(dict(zip(header, row)), row, header)
    path = tmp_path / name
    with open(path, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    return path


def test_importing_twice_or_a_newer_export_never_doubles_events(tmp_path):
    out = tmp_path / "mine.csv"
    for _ in range(2):
        assert _run("import", "acled", FIXTURE, "--out", out).exit_code == 0
    assert len(_read(out)) == 12

    def newer(values, row, header):
        if values["event_id_cnty"] == "AFG90001":
            row[header.index("fatalities")] = "9"
            row[header.index("timestamp")] = "1580000000"

    def older(values, row, header):
        if values["event_id_cnty"] == "AFG90001":
            row[header.index("fatalities")] = "1"
            row[header.index("timestamp")] = "1500000000"

    assert _run("import", "acled", _copy(tmp_path, "newer.csv", newer), "--out", out).exit_code == 0
    assert _run("import", "acled", _copy(tmp_path, "older.csv", older), "--out", out).exit_code == 0
    table = _read(out)
    assert len(table) == 12 and table["event_id"].is_unique
    assert table.loc["AFG90001", ["fatalities", "timestamp"]].tolist() == ["9", "1580000000"]


def test_strict_makes_any_problem_fatal(tmp_path):
    out = tmp_path / "strict.csv"
    result = _run("import", "acled", FIXTURE, "--out", out, "--strict")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == "Error: 2 problems in the records; nothing written"
    assert list(tmp_path.iterdir()) == []


def test_refuses_an_out_that_is_the_input(tmp_path):
    source = tmp_path / "export.csv"
    source.write_bytes(FIXTURE.read_bytes())
    result = _run("import", "acled", source, "--out", source)
    assert result.exit_code == 1
    assert "is one of the input files" in result.stderr
    assert source.read_bytes() == FIXTURE.read_bytes()


def test_not_an_acled_export(tmp_path):
    result = _run("import", "acled", Path(__file__).parent / "data" / "ucdp_fixture.csv", "--out", tmp_path / "x.csv")
    assert result.exit_code == 1
    assert result.stderr.strip().endswith("(is this UCDP GED? use 'geo import ucdp')")
    assert "Traceback" not in result.output
    assert list(tmp_path.iterdir()) == []


def test_older_export_with_fewer_columns(tmp_path):
    """An older export: no disorder_type, assoc actors, civilian_targeting, tags, timestamp or geo_precision."""
    frame = pd.read_csv(FIXTURE, dtype=str, keep_default_na=False)
    older = frame.drop(
        columns=[
            "disorder_type",
            "assoc_actor_1",
            "assoc_actor_2",
            "civilian_targeting",
            "tags",
            "timestamp",
            "geo_precision",
            "admin2",
            "source",
        ]
    )
    path = tmp_path / "older.csv"
    older.to_csv(path, index=False)
    result = import_acled(path)
    assert result.counts() == {"read": 14, "district": 12, "province": 0, "rejected": 2}
    assert set(result.records["placed_by"]) == {"coordinates", "geocoder"}


def test_unreadable_inputs_are_one_line_errors(tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    binary = tmp_path / "binary.csv"
    binary.write_bytes(b"event_id_cnty,event_date\n\xff\xfe\x00\x01")
    for path, message in (
        (empty, "empty file, expected a header row"),
        (binary, "not UTF-8 text"),
        (tmp_path / "missing.csv", "no such file"),
    ):
        result = _run("import", "acled", path, "--out", tmp_path / "out.csv")
        assert result.exit_code == 1, result.output
        assert message in result.stderr and "Traceback" not in result.output
        assert not (tmp_path / "out.csv").exists()


def test_header_only_and_nul_bytes(tmp_path):
    header_only = tmp_path / "header.csv"
    header_only.write_text(FIXTURE.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    assert import_acled(header_only).counts() == {"read": 0, "district": 0, "province": 0, "rejected": 0}
    text = FIXTURE.read_text(encoding="utf-8").replace("two teachers", "two\x00teachers")
    nul = tmp_path / "nul.csv"
    nul.write_text("\ufeff" + text, encoding="utf-8")  # with a byte-order mark too
    result = import_acled(nul)
    assert "nul.csv:9: row: holds a NUL byte (binary data, not text)" in result.problems
    assert "AFG90008" not in set(result.records["event_id"]) and len(result.records) == 11


def test_rows_with_the_wrong_number_of_cells_are_rejected_one_by_one(tmp_path):
    """A row with a stray comma, and one cut short: each is a reject naming its line; the rest import."""
    lines = FIXTURE.read_text(encoding="utf-8").splitlines()
    lines[3] += ",stray"
    lines[5] = lines[5].split(",")[0] + ",cut short"
    ragged = tmp_path / "ragged.csv"
    ragged.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    result = _run("import", "acled", ragged, "--out", out)
    assert result.exit_code == 0, result.output
    assert "ragged.csv:4: row: has 32 cells where the header has 31" in result.stderr
    assert "ragged.csv:6: row: has 2 cells where the header has 31" in result.stderr
    assert "ragged.csv:6: event_date" not in result.stderr  # the row's one problem, not each cell's
    rejects = pd.read_csv(tmp_path / "out-rejects.csv", dtype=str, keep_default_na=False)
    assert {"4", "6"} <= set(rejects["line"])
    assert not {lines[3].split(",")[0], lines[5].split(",")[0]} & set(_read(out)["event_id"])


def test_a_place_name_that_disagrees_with_the_point_is_noted(tmp_path):
    """Sangin (AF3008) written as the place of a point in Musa Qala (AF3009), no admin2."""
    frame = pd.read_csv(FIXTURE, dtype=str, keep_default_na=False).iloc[[1]]
    frame[["admin2", "location"]] = ["", "Sangin"]
    path = tmp_path / "one.csv"
    frame.to_csv(path, index=False)
    row = import_acled(path).records.iloc[0]
    assert (row["pcode"], row["placed_by"]) == ("AF3009", "coordinates")
    assert row["location_check"] == "location 'Sangin' is AF3008 (Sangin); the point lies in AF3009 (Musa Qala)"
