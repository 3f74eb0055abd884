"""Records that cite a dataset (ACLED, UCDP GED, a user's table), as the imports
write them: no character offsets, names in the dataset's spelling, districts
found by the record's own point. Validation accepts them and loading types
them; what validation accepts, the loader and the build can use.
"""

import csv

import pytest
from click.testing import CliRunner

from geo import records, schema, validation
from geo.cli import main

# Representative points of real districts (AGCHO/OCHA 2018).
MUSA_QALA = ("32.42786", "64.75441")  # AF3009, Hilmand
LASHKARGAH = ("31.49562", "64.5318")  # AF3001, Hilmand
TALOQAN = ("36.74329", "69.6285")  # AF1801, Takhar


def _acled_row(event_id, **changes):
    """An incident as `geo import acled` writes one (hand-written from ACLED's codebook)."""
    row = dict.fromkeys(schema.INCIDENT_COLUMNS, "")
    row.update(
        event_id=event_id,
        event_date="2019-09-28",
        time_precision="1",
        event_type="Battles",
        sub_event_type="Armed clash",
        actor1="Taliban",
        actor2="Military Forces of Afghanistan (2004-2021)",
        location="Musa Qala",
        admin1="Helmand",  # ACLED's spelling; OCHA's table says Hilmand
        admin2="Musa Qala",
        pcode="AF3009",
        geo_precision="place",
        latitude=MUSA_QALA[0],
        longitude=MUSA_QALA[1],
        fatalities="4",
        notes="Taliban attacked an ANA checkpoint.",
        source="Pajhwok Afghan News",
        dataset="ACLED",
        url="",
        source_geo_precision="1",
        placed_by="coordinates",
        timestamp="1570000000",
    )
    row.update(changes)
    return row


def _write(path, rows):
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=schema.INCIDENT_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return path


def _problems(path):
    return validation.incident_problems(records.read_table(path))


def test_dataset_records_validate_without_offsets_and_load(tmp_path):
    rows = [
        _acled_row("AFG1"),
        # A province-level event (ACLED geo_precision 3): its point kept, in its province.
        _acled_row(
            "AFG2",
            pcode="AF30",
            geo_precision="province",
            admin2="",
            location="Helmand",
            latitude=LASHKARGAH[0],
            longitude=LASHKARGAH[1],
            source_geo_precision="3",
        ),
        # No coordinates: placed by the geocoder from the names.
        _acled_row("AFG3", latitude="", longitude="", placed_by="geocoder", geo_precision="district"),
    ]
    path = _write(tmp_path / "acled.csv", rows)
    assert _problems(path) == []
    incidents = records.load_incidents([path])
    assert list(incidents["event_id"]) == ["AFG1", "AFG2", "AFG3"]
    assert list(incidents["source_start"]) == [0, 0, 0]
    assert list(incidents["pcode"]) == ["AF3009", "AF30", "AF3009"]
    assert incidents.geometry.iloc[0].y == pytest.approx(float(MUSA_QALA[0]))


def test_name_disagreeing_with_the_point_is_not_an_error_when_placed_by_coordinates(tmp_path):
    # ACLED names Lashkargah, but its point lies in Musa Qala: the point decides.
    row = _acled_row("AFG1", location="Lashkar Gah", admin2="Lashkargah", location_check="names say AF3001")
    path = _write(tmp_path / "acled.csv", [row])
    assert _problems(path) == []


def test_point_outside_its_district_is_an_error(tmp_path):
    row = _acled_row("AFG1", latitude=TALOQAN[0], longitude=TALOQAN[1])
    path = _write(tmp_path / "acled.csv", [row])
    assert _problems(path) == [f"acled.csv:2: latitude: {TALOQAN[0]}, {TALOQAN[1]} lies outside AF3009 (in AF1801)"]


def test_province_level_point_must_be_in_its_province(tmp_path):
    row = _acled_row(
        "AFG1",
        pcode="AF30",
        geo_precision="province",
        admin2="",
        location="",
        latitude=TALOQAN[0],
        longitude=TALOQAN[1],
    )
    path = _write(tmp_path / "acled.csv", [row])
    assert _problems(path) == [f"acled.csv:2: latitude: {TALOQAN[0]}, {TALOQAN[1]} lies outside AF30 (in AF1801)"]


def test_spellings_the_geocoder_resolves_are_accepted_and_others_are_not(tmp_path):
    rows = [
        _acled_row("AFG1", placed_by="geocoder", latitude="", longitude="", admin1="Helmand", admin2="Musa Qala"),
        _acled_row("AFG2", placed_by="geocoder", latitude="", longitude="", admin1="Hilmand", admin2="Musaqala"),
        _acled_row("AFG3", placed_by="geocoder", latitude="", longitude="", admin1="Takhar"),
        _acled_row("AFG4", placed_by="geocoder", latitude="", longitude="", admin2="Taloqan"),
    ]
    path = _write(tmp_path / "acled.csv", rows)
    problems = _problems(path)
    # Row 4 names the wrong province; row 5 the wrong district. Rows 2 and 3
    # are other spellings. (The location of a record the geocoder placed is
    # not geocoded again: an import keeps a disagreement in location_check.)
    assert [p.split(": ")[0:2] for p in problems] == [["acled.csv:4", "admin1"], ["acled.csv:5", "admin2"]], problems


def test_no_citation_at_all_is_one_problem(tmp_path):
    row = _acled_row("AFG1", dataset="")
    path = _write(tmp_path / "acled.csv", [row])
    assert _problems(path) == [f"acled.csv:2: source_file: is empty: {schema.PROVENANCE_RULE}"]
    row = _acled_row("AFG1", dataset="", source_file="table.xlsx")
    path = _write(tmp_path / "acled.csv", [row])
    assert _problems(path) == [
        f"acled.csv:2: source_file: 'table.xlsx' is not an article (.txt) and no dataset is named: {schema.PROVENANCE_RULE}"
    ]


def test_article_citation_still_needs_offsets(tmp_path):
    row = _acled_row("AFG1", dataset="", source_file="001_1560744f44b8fd0a.txt")
    path = _write(tmp_path / "acled.csv", [row])
    problems = _problems(path)
    assert "acled.csv:2: source_start: is empty (an article is cited)" in problems
    assert "acled.csv:2: source_end: is empty (an article is cited)" in problems


def test_article_path_outside_the_articles_folder_is_not_read(tmp_path):
    row = _acled_row("AFG1", dataset="", source_file="../../../../etc/hostname.txt", source_start="0", source_end="1")
    path = _write(tmp_path / "acled.csv", [row])
    (problem,) = _problems(path)
    assert problem.startswith("acled.csv:2: source_file: '../../../../etc/hostname.txt' is not a file in")


@pytest.mark.parametrize(
    "column, value, problem",
    [
        ("fatalities", "1" * 30, "1" * 20 + " is more than 100,000"),
        ("fatalities_low", "-1", "must be a whole number of 0 or more, not '-1'"),
        ("fatalities_high", "1e9", "must be a whole number of 0 or more, not '1e9'"),
        ("timestamp", "9" * 25, "9" * 20 + " is more than 4,133,894,400"),
        ("placed_by", "magic", "must be one of record, coordinates, geocoder, notes"),
        ("longitude", "nan", "is not a number from -180 to 180: 'nan'"),
        ("event_date", "2101-01-01", "2101-01-01 is in the future"),
    ],
)
def test_absurd_values_are_one_line_and_what_validates_loads(tmp_path, column, value, problem):
    path = _write(tmp_path / "acled.csv", [_acled_row("AFG1", **{column: value}), _acled_row("AFG2")])
    assert _problems(path) == [f"acled.csv:2: {column}: {problem}"]
    result = CliRunner().invoke(main, ["validate", "--incidents", str(path)], catch_exceptions=False)
    assert result.exit_code == 1 and f"acled.csv:2: {column}: {problem}" in result.output
    # The row that validates loads and is typed (64-bit numbers, no overflow).
    fine = _write(tmp_path / "fine.csv", [_acled_row("AFG2", fatalities=str(schema.MAX_FATALITIES))])
    assert records.load_incidents([fine])["fatalities"].tolist() == [schema.MAX_FATALITIES]
