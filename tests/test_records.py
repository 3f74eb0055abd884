"""Tests for geo.records: the real incident and claim records, loaded and typed.

The records are loaded once per module from ``seeds/`` (validation included,
so the seed articles and the public data mirror are used as they are).
"""

import geopandas as gpd
import pandas as pd
import pytest

from geo import boundaries, records, settings
from geo.errors import InputError, ValidationError

LWJ_TAKHAR = "001_1560744f44b8fd0a.txt"


@pytest.fixture(scope="module")
def incidents():
    assert settings.articles_dir.is_dir(), f"the seed articles are missing: {settings.articles_dir}"
    return records.load_incidents()


@pytest.fixture(scope="module")
def claims():
    return records.load_claims()


@pytest.fixture(scope="module")
def districts():
    return boundaries.load_districts().set_index("district_pcode")


@pytest.fixture(scope="module")
def provinces():
    return boundaries.load_provinces().set_index("province_pcode")


def _district_code(districts, name, province):
    """The OCHA code of the district `name` of `province`, from the boundaries."""
    match = districts[(districts["district"] == name) & (districts["province"] == province)]
    assert len(match) == 1, (name, province)
    return match.index[0]


# --- incidents ----------------------------------------------------------------


def test_incident_counts_per_source_file(incidents):
    assert len(incidents) == 38
    assert incidents["source_file"].value_counts().to_dict() == {
        LWJ_TAKHAR: 34,
        "003_f96d2cdf8d5ce355.txt": 2,
        "002_8b599e44ea774687.txt": 1,
        "000_247e2533b1a1208e.txt": 1,
    }
    assert incidents["event_id"].is_unique
    assert incidents["geo_precision"].value_counts().to_dict() == {"district": 20, "place": 14, "province": 4}


def test_incidents_are_points_in_wgs84(incidents):
    assert isinstance(incidents, gpd.GeoDataFrame)
    assert incidents.crs == "EPSG:4326"
    assert incidents.geometry.name == "geometry"
    assert (incidents.geom_type == "Point").all()
    assert not incidents.geometry.is_empty.any()
    assert incidents.geometry.x.between(60, 75).all() and incidents.geometry.y.between(29, 39).all()


def test_each_point_lies_in_its_district_or_province(incidents, districts, provinces):
    areas = pd.concat([districts.geometry, provinces.geometry])
    shapes = gpd.GeoSeries(areas.reindex(incidents["pcode"]).to_numpy(), crs=incidents.crs, index=incidents.index)
    assert shapes.notna().all()
    outside = incidents.loc[~shapes.covers(incidents.geometry), ["event_id", "pcode"]]
    assert outside.empty, outside


def test_points_given_in_the_record_are_kept(incidents):
    placed = incidents[incidents["latitude"].notna()]
    assert len(placed) == 14  # every place-level record has its point
    assert (placed.geometry.x == placed["longitude"]).all()
    assert (placed.geometry.y == placed["latitude"]).all()
    # The others get their district's (or province's) own inner point, not (0, 0).
    unplaced = incidents[incidents["latitude"].isna()]
    district_points = boundaries.district_points()
    for row in unplaced[unplaced["geo_precision"] != "province"].itertuples():
        assert row.geometry.equals(district_points[row.pcode])


def test_incident_dtypes(incidents):
    assert pd.api.types.is_datetime64_dtype(incidents["event_date"])
    for column in ("fatalities", "time_precision", "source_start", "source_end"):
        assert pd.api.types.is_integer_dtype(incidents[column]), column
    for column in ("latitude", "longitude"):
        assert pd.api.types.is_float_dtype(incidents[column]), column
    assert incidents["fatalities"].sum() == 486
    assert incidents["event_date"].min() == pd.Timestamp("2017-08-15")
    assert incidents["event_date"].max() == pd.Timestamp("2019-10-02")
    assert "_line" not in incidents.columns


def test_district_and_province_codes(incidents):
    district_rows = incidents["geo_precision"] != "province"
    assert (incidents.loc[district_rows, "district_pcode"] == incidents.loc[district_rows, "pcode"]).all()
    assert (incidents.loc[~district_rows, "district_pcode"] == "").all()
    assert (incidents["province_pcode"] == incidents["pcode"].str[:4]).all()
    assert set(incidents.loc[~district_rows, "pcode"]) == {"AF06", "AF05", "AF21", "AF18"}


def _rows(frame, **where):
    mask = pd.Series(True, index=frame.index)
    for column, value in where.items():
        mask &= frame[column] == value
    return frame[mask]


def test_takhar_district_codes_are_the_boundaries_codes(districts):
    assert _district_code(districts, "Baharak", "Takhar") == "AF1803"
    assert _district_code(districts, "Chahab", "Takhar") == "AF1816"
    assert _district_code(districts, "Khwaja Ghar", "Takhar") == "AF1809"
    assert _district_code(districts, "Yangi Qala", "Takhar") == "AF1817"
    assert _district_code(districts, "Darqad", "Takhar") == "AF1815"
    assert _district_code(districts, "Taloqan", "Takhar") == "AF1801"
    assert _district_code(districts, "Musa Qala", "Hilmand") == "AF3009"
    # Badakhshan has a Baharak too: the Takhar one is meant.
    assert _district_code(districts, "Baharak", "Badakhshan") != "AF1803"


def test_fall_of_three_takhar_districts_on_11_september(incidents):
    fallen = _rows(
        incidents, event_date=pd.Timestamp("2019-09-11"), sub_event_type="Non-state actor overtakes territory"
    )
    assert sorted(zip(fallen["location"], fallen["admin2"], fallen["pcode"])) == [
        ("Chah Ab", "Chahab", "AF1816"),
        ("Darqad", "Darqad", "AF1815"),
        ("Qala-i-Yangi", "Yangi Qala", "AF1817"),
    ]
    assert (fallen["actor1"] == "Taliban").all() and (fallen["admin1"] == "Takhar").all()


def test_taliban_claims_of_29_september_in_takhar(incidents):
    seized = _rows(
        incidents, event_date=pd.Timestamp("2019-09-29"), sub_event_type="Non-state actor overtakes territory"
    )
    # Baharak's seizure claim is a claim (CLM-0017); its incident is the fighting there.
    assert sorted(seized["pcode"]) == ["AF1809", "AF1816"]
    assert set(seized["admin2"]) == {"Chahab", "Khwaja Ghar"}
    fighting = _rows(incidents, event_date=pd.Timestamp("2019-09-29"), sub_event_type="Armed clash")
    assert list(fighting["pcode"]) == ["AF1803"]


def test_musa_qala_raid_of_22_23_september(incidents):
    raid = incidents[(incidents["pcode"] == "AF3009") & incidents["event_date"].between("2019-09-22", "2019-09-23")]
    assert len(raid) == 2  # the raid (its arrests included) and the air strikes
    assert set(raid["admin1"]) == {"Hilmand"} and set(raid["admin2"]) == {"Musa Qala"}
    assert set(raid["event_type"]) == {"Battles", "Explosions/Remote violence"}
    assert set(raid["actor2"]) >= {"Al Qaeda"}
    clash = raid[raid["event_type"] == "Battles"].iloc[0]
    assert clash["fatalities"] == 22


def test_kabul_bombing_of_5_september(incidents):
    bombing = _rows(incidents, event_date=pd.Timestamp("2019-09-05"), pcode="AF0101")
    assert len(bombing) == 1
    row = bombing.iloc[0]
    assert (row["sub_event_type"], row["actor1"], row["fatalities"]) == ("Suicide bomb", "Taliban", 12)
    assert (round(row.geometry.y, 3), round(row.geometry.x, 3)) == (34.528, 69.172)


def test_taloqan_fighting_of_29_30_september(incidents):
    taloqan = incidents[(incidents["pcode"] == "AF1801") & incidents["event_date"].between("2019-09-29", "2019-09-30")]
    assert sorted(taloqan["sub_event_type"]) == ["Air/drone strike", "Armed clash"]
    assert set(taloqan["location"]) == {"Taluqan"} and set(taloqan["admin2"]) == {"Taloqan"}
    assert taloqan["fatalities"].sum() == 36


def test_load_incidents_raises_every_problem(tmp_path):
    lines = records.INCIDENTS_FILE.read_text(encoding="utf-8").splitlines(keepends=True)
    assert lines[2].startswith("AFG-0003,")  # file line 3
    lines[2] = lines[2].replace(",Air/drone strike,", ",Sniping,", 1)
    broken = tmp_path / "incidents.csv"
    broken.write_text("".join(lines).replace("AFG-0046,2019-10-02", "AFG-0046,2019-13-02"), encoding="utf-8")
    with pytest.raises(ValidationError) as raised:
        records.load_incidents([broken])
    assert len(raised.value.problems) == 2
    assert raised.value.problems[0].startswith("incidents.csv:3: sub_event_type: 'Sniping'")
    assert raised.value.problems[1].startswith("incidents.csv:39: event_date: '2019-13-02'")
    assert str(raised.value).endswith("(and 1 more)")


# --- claims -------------------------------------------------------------------


def test_claims_keyed_by_district(claims, districts):
    assert len(claims) == 21
    assert isinstance(claims, pd.DataFrame) and not isinstance(claims, gpd.GeoDataFrame)
    assert (claims["district_pcode"] == claims["pcode"]).all()
    assert claims["district_pcode"].isin(districts.index).all()
    assert (claims["district"] == claims["district_pcode"].map(districts["district"])).all()
    assert (claims["province"] == claims["district_pcode"].map(districts["province"])).all()
    assert set(claims["claim_file"]) == {"claims.csv"}
    assert pd.api.types.is_datetime64_dtype(claims["date"])
    assert claims["status"].value_counts().to_dict() == {"taliban": 10, "contested": 8, "government": 3}
    assert claims["source_file"].value_counts().to_dict() == {LWJ_TAKHAR: 21}
    assert claims.groupby("district_pcode").size().to_dict()["AF1801"] == 4


def test_claims_of_the_takhar_falls_and_the_taliban_claim(claims):
    by_day = claims.set_index(["date", "district_pcode"]).sort_index()
    assert sorted(by_day.loc[pd.Timestamp("2019-09-11")].index) == ["AF1815", "AF1816", "AF1817"]
    assert set(by_day.loc[pd.Timestamp("2019-09-11"), "status"]) == {"taliban"}
    taliban_claim = claims[(claims["claimant"] == "Taliban")]
    assert sorted(zip(taliban_claim["date"].dt.strftime("%Y-%m-%d"), taliban_claim["district"])) == [
        ("2019-09-29", "Baharak"),
        ("2019-09-29", "Chahab"),
        ("2019-09-29", "Khwaja Ghar"),
        ("2019-10-01", "Baharak"),
    ]
    # The Taliban claim the districts; their report of clashes in Baharak two days on is a contested one.
    assert list(taliban_claim.sort_values("date")["status"]) == ["taliban", "taliban", "taliban", "contested"]
    musa_qala = claims[claims["district_pcode"] == "AF3009"]
    assert list(musa_qala["date"].dt.strftime("%Y-%m-%d")) == ["2017-11-21", "2019-09-23", "2019-09-23"]
    assert set(musa_qala["status"]) == {"taliban"}


# --- read_table ---------------------------------------------------------------


def test_read_table_keeps_file_lines_across_quoted_newlines(tmp_path):
    path = tmp_path / "lines.csv"
    path.write_text('a,b\n1,"two\nlines"\n3,x\n\n4,y\n', encoding="utf-8")
    table = records.read_table(path)
    assert list(table["a"]) == ["1", "3", "4"]
    assert list(table["_line"]) == [2, 4, 6]
    assert table.attrs["path"] == str(path)


def test_read_table_real_records_are_strings(tmp_path):
    table = records.read_table(records.INCIDENTS_FILE)
    assert list(table.columns) == [*records.INCIDENT_COLUMNS, "_line", "_width"]
    assert list(table["_line"]) == list(range(2, 40))
    assert table.loc[0, "latitude"] == "" and table.loc[7, "latitude"] == "34.52813"
    assert set(table["_width"]) == {len(records.INCIDENT_COLUMNS)}


def test_read_table_errors(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        records.read_table(tmp_path / "missing.csv")
    empty = tmp_path / "empty.csv"
    empty.write_text("", encoding="utf-8")
    with pytest.raises(InputError, match="empty file"):
        records.read_table(empty)
    latin = tmp_path / "latin.csv"
    latin.write_bytes("a,b\nHer\xe2t,1\n".encode("latin-1"))
    with pytest.raises(InputError, match=r"latin\.csv:2: not UTF-8 text \(byte 0xe2 at offset 7\)"):
        records.read_table(latin)
