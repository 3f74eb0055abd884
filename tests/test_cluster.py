"""The dask path (geo.cluster) gives the in-memory path's answers, on a real LocalCluster."""

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

import geo
from geo import cluster, settings
from geo.errors import InputError


@pytest.fixture(scope="module")
def partitions(tmp_path_factory):
    """40,000 points over Afghanistan's box in four Parquet partitions (lon/lat columns)."""
    folder = tmp_path_factory.mktemp("parts")
    rng = np.random.default_rng(11)
    for number in range(4):
        size = 10_000
        pd.DataFrame(
            {
                "longitude": rng.uniform(60.5, 75.0, size),
                "latitude": rng.uniform(29.4, 38.5, size),
                "event_date": (np.datetime64("2019-01-01") + rng.integers(0, 90, size)).astype("datetime64[D]"),
                "fatalities": rng.integers(0, 6, size),
            }
        ).to_parquet(folder / f"part-{number}.parquet", index=False)
    return folder


@pytest.fixture(scope="module")
def local_cluster():
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") as running:
        yield running


def test_memory_totals_count_every_located_point(partitions):
    frame = pd.read_parquet(partitions)
    totals = cluster.daily_totals(partitions)
    located = geo.locate_points(frame["longitude"], frame["latitude"])
    assert totals["incidents"].sum() == (located != "").sum()
    assert totals["fatalities"].sum() == frame["fatalities"][located != ""].sum()
    kabul = totals[totals["district_pcode"] == "AF0101"]
    assert kabul["incidents"].sum() == (located == "AF0101").sum()
    assert not totals.duplicated(["district_pcode", "date"]).any()


def test_dask_engine_on_a_scheduler_gives_the_same_totals(partitions, local_cluster):
    in_memory = cluster.daily_totals(partitions)
    on_cluster = cluster.daily_totals(partitions, engine="dask", scheduler=local_cluster.scheduler_address)
    pd.testing.assert_frame_equal(on_cluster, in_memory)


def test_geoparquet_partitions_are_read_with_dask_geopandas(partitions, local_cluster, tmp_path):
    frame = pd.read_parquet(partitions)
    points = gpd.GeoDataFrame(
        frame.drop(columns=["longitude", "latitude"]),
        geometry=gpd.points_from_xy(frame["longitude"], frame["latitude"]),
        crs="EPSG:4326",
    )
    (tmp_path / "geo").mkdir()
    for number, part in enumerate(np.array_split(np.arange(len(points)), 3)):
        points.iloc[part].to_parquet(tmp_path / "geo" / f"part-{number}.parquet")
    address = local_cluster.scheduler_address
    pd.testing.assert_frame_equal(
        cluster.daily_totals(tmp_path / "geo", engine="dask", scheduler=address), cluster.daily_totals(partitions)
    )
    rows = cluster.locate_dataset(tmp_path / "geo", tmp_path / "located", scheduler=address)
    located = gpd.read_parquet(tmp_path / "located")
    assert rows == len(points) == len(located)
    assert located["district_pcode"].tolist() == geo.locate_points(points.geometry).tolist()


def test_unreachable_scheduler_is_an_input_error(partitions, monkeypatch):
    monkeypatch.setattr(settings, "cluster_connect_timeout", 2)
    with pytest.raises(InputError, match="cannot reach the dask scheduler at tcp://127.0.0.1:9"):
        cluster.daily_totals(partitions, engine="dask", scheduler="tcp://127.0.0.1:9")


def test_missing_dataset_and_unknown_engine(tmp_path, partitions):
    with pytest.raises(InputError, match="no such file or folder"):
        cluster.daily_totals(tmp_path / "nothing")
    with pytest.raises(InputError, match="engine: 'spark'"):
        cluster.daily_totals(partitions, engine="spark")


def run(*args):
    from click.testing import CliRunner

    from geo.cli import main

    return CliRunner().invoke(main, [str(arg) for arg in args])


def test_geo_aggregate_memory_and_dask_write_the_same_csv(partitions, local_cluster, tmp_path):
    assert run("aggregate", partitions, "--out", tmp_path / "memory.csv").exit_code == 0
    result = run(
        "aggregate",
        partitions,
        "--out",
        tmp_path / "dask.csv",
        "--engine",
        "dask",
        "--scheduler",
        local_cluster.scheduler_address,
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "memory.csv").read_bytes() == (tmp_path / "dask.csv").read_bytes()
    header = (tmp_path / "memory.csv").read_text().splitlines()[0]
    assert header == "district_pcode,date,incidents,fatalities"


def test_geo_locate_dask_writes_located_partitions(partitions, local_cluster, tmp_path):
    result = run(
        "locate",
        partitions,
        "--out",
        tmp_path / "located",
        "--engine",
        "dask",
        "--scheduler",
        local_cluster.scheduler_address,
    )
    assert result.exit_code == 0, result.output
    located = pd.read_parquet(tmp_path / "located")
    frame = pd.read_parquet(partitions)
    assert sorted(located["district_pcode"]) == sorted(geo.locate_points(frame["longitude"], frame["latitude"]))
