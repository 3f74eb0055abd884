"""The join stage on the real claims and boundaries: status rules and point placement."""

import datetime as dt

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from geo import boundaries, join, records


@pytest.fixture(scope="module")
def claims():
    return records.load_claims()


@pytest.fixture(scope="module")
def districts():
    return boundaries.load_districts()


def status(districts, claims, date, pcode):
    state = join.status_as_of(districts, claims, dt.date.fromisoformat(date)).set_index("district_pcode")
    return state.loc[pcode]


def test_only_claims_up_to_the_date_count(districts, claims):
    assert status(districts, claims, "2019-09-10", "AF1815")["status"] == "unknown"
    assert status(districts, claims, "2019-09-11", "AF1815")["status"] == "taliban"


def test_disagreeing_claims_of_the_latest_day_make_a_district_contested(districts, claims):
    # Taloqan on 30 Sep: the government says the attack was repelled, LWJ calls it contested.
    taloqan = status(districts, claims, "2019-09-30", "AF1801")
    assert taloqan["status"] == "contested" and taloqan["claimants"] == "Afghan government; Long War Journal"


def test_the_latest_claim_wins(districts, claims):
    # Farah city: the officials said the attack of 6 Sep was defeated, and on 10 Sep that it was contained.
    farah = status(districts, claims, "2019-09-07", "AF3301")
    assert (farah["status"], farah["status_date"]) == ("government", "2019-09-06")
    farah = status(districts, claims, "2019-09-10", "AF3301")
    assert (farah["status"], farah["status_date"]) == ("government", "2019-09-10")


def test_claim_age_is_kept(districts, claims):
    musa_qala = status(districts, claims, "2019-06-01", "AF3009")
    assert (musa_qala["status"], musa_qala["status_date"], musa_qala["status_age_days"]) == (
        "taliban",
        "2017-11-21",
        557,
    )


def test_changes_between_two_dates(districts, claims):
    changes = join.status_changes_between(districts, claims, dt.date(2019, 9, 10), dt.date(2019, 9, 23)).set_index(
        "pcode"
    )
    assert set(changes.index) == {"AF1815", "AF1816", "AF1817"}
    darqad = changes.loc["AF1815"]
    assert (darqad["status_before"], darqad["status_after"], darqad["change_date"]) == (
        "unknown",
        "taliban",
        "2019-09-11",
    )
    assert list(darqad["claim_table"]["claim_id"]) == ["CLM-0012"] and "CLM" not in darqad["claims"]
    # Musa Qala: Taliban in 2017 and again by the claims of 23 September, so no change.
    assert "AF3009" not in changes.index
    assert join.status_changes_between(districts, claims, dt.date(2019, 9, 30), dt.date(2019, 9, 30)).empty


def test_window_bounds():
    assert join.window_bounds(dt.date(2019, 9, 30), 30) == (dt.date(2019, 9, 1), dt.date(2019, 9, 30))
    assert join.window_bounds(dt.date(2019, 9, 30), None)[1] == dt.date(2019, 9, 30)


def test_locate_points_places_points_in_their_districts(districts):
    inside = boundaries.district_points()
    outside = gpd.GeoSeries([shapely.Point(0, 0), shapely.Point(75.5, 30.0)], crs=boundaries.CRS)
    located = boundaries.locate_points(
        pd.concat([gpd.GeoSeries(inside.to_numpy(), crs=boundaries.CRS), outside], ignore_index=True),
        districts=districts,
    )
    assert located.iloc[:399].tolist() == inside.index.tolist()
    assert located.iloc[399:].tolist() == ["", ""]
