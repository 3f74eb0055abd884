"""Locate and aggregate incidents beyond one machine's memory, on a dask cluster.

The input is a folder of Parquet files (one partition each), either GeoParquet
with point geometries (read with dask-geopandas) or plain Parquet with
``longitude``/``latitude`` columns; with ``event_date`` (a date, or text
YYYY-MM-DD) and, optionally, ``fatalities``. Each partition is placed in its
districts by :func:`geo.locate_points` on a worker (each worker keeps the
district raster, from its own cache folder), and reduced to per-district,
per-day totals; only those totals (at most 399 districts x days) travel back.

The same functions run in memory (``engine="memory"``, pandas on one
process) and give the same totals: the cluster changes where the work runs,
never the answer. :func:`cluster_client` connects to a scheduler at an
address (a real cluster: ``dask scheduler`` on one machine, ``dask worker
ADDRESS`` on each of the others, geo and the boundary data installed on all)
or starts a ``LocalCluster`` of this machine's cores.
"""

import contextlib
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import InputError

TOTAL_COLUMNS = ["district_pcode", "date", "incidents", "fatalities"]
ENGINES = ("memory", "dask")


def daily_totals(path, *, engine="memory", scheduler=None):
    """Return incidents and fatalities per district and day of a Parquet dataset.

    Parameters
    ----------
    path : path-like
        A Parquet file or a folder of them (see the module docstring).
    engine : {"memory", "dask"}
        Pandas in this process, or dask over the partitions.
    scheduler : str, optional
        With ``engine="dask"``: a dask scheduler's address
        (``tcp://host:8786``); default a LocalCluster on this machine.

    Returns
    -------
    pandas.DataFrame
        ``district_pcode``, ``date`` (datetime64), ``incidents``,
        ``fatalities``; one row per district and day with incidents (points
        outside every district are left out), sorted.
    """
    path = _dataset_path(path)
    if engine == "memory":
        return _sorted(_partition_totals(_read_memory(path)))
    if engine != "dask":
        raise InputError(f"engine: {engine!r} is not one of {', '.join(ENGINES)}")
    with cluster_client(scheduler):
        frame = _read_dask(path)
        per_partition = frame.map_partitions(_partition_totals, meta=_totals_meta())
        totals = per_partition.groupby(["district_pcode", "date"]).sum().reset_index().compute()
    return _sorted(totals)


def locate_dataset(path, out_dir, *, scheduler=None):
    """Add ``district_pcode`` to every row of a Parquet dataset, partition by partition, on dask.

    Parameters
    ----------
    path : path-like
        A Parquet file or folder (see the module docstring).
    out_dir : path-like
        Folder to write the located partitions to (created).
    scheduler : str, optional
        As for :func:`daily_totals`.

    Returns
    -------
    int
        The number of rows written.
    """
    path = _dataset_path(path)
    with cluster_client(scheduler):
        frame = _read_dask(path)
        meta = frame._meta.assign(district_pcode=pd.Series(dtype="str"))
        located = frame.map_partitions(_with_districts, meta=meta)
        located.to_parquet(Path(out_dir), write_index=False)
        return int(located.map_partitions(len).sum().compute())


@contextlib.contextmanager
def cluster_client(scheduler=None):
    """Yield a dask client: connected to `scheduler`, or to a new LocalCluster."""
    from distributed import Client, LocalCluster

    from . import settings

    if scheduler:
        try:
            client = Client(scheduler, timeout=settings.cluster_connect_timeout)
        except OSError as error:
            raise InputError(f"cannot reach the dask scheduler at {scheduler} ({error})") from error
        with client:
            yield client
        return
    with (
        LocalCluster(
            n_workers=settings.cluster_workers, threads_per_worker=1, processes=True, dashboard_address=":0"
        ) as cluster,
        Client(cluster) as client,
    ):
        yield client


def _dataset_path(path):
    path = Path(path)
    if not path.exists():
        raise InputError(f"{path}: no such file or folder")
    return path


def _is_geoparquet(path):
    import pyarrow.parquet as pq

    first = path if path.is_file() else next(iter(sorted(path.glob("*.parquet"))), None)
    if first is None:
        raise InputError(f"{path}: no .parquet files in the folder")
    return b"geo" in (pq.read_schema(first).metadata or {})


def _read_memory(path):
    if _is_geoparquet(path):
        import geopandas as gpd

        return gpd.read_parquet(path)
    return pd.read_parquet(path)


def _read_dask(path):
    """A dask frame of the dataset: dask-geopandas for GeoParquet, dask.dataframe otherwise."""
    if _is_geoparquet(path):
        import dask_geopandas

        return dask_geopandas.read_parquet(path)
    import dask.dataframe as dd

    return dd.read_parquet(path)


def _with_districts(part):
    from .boundaries import locate_points

    if "geometry" in part.columns:
        codes = locate_points(part.geometry)
    else:
        codes = locate_points(part["longitude"].to_numpy(dtype=float), part["latitude"].to_numpy(dtype=float))
    return part.assign(district_pcode=pd.Series(codes.to_numpy(), index=part.index, dtype="str"))


def _partition_totals(part):
    """Locate one partition's points and total them per district and day."""
    located = _with_districts(part)
    located = located[located["district_pcode"] != ""]
    fatalities = located["fatalities"] if "fatalities" in located.columns else pd.Series(0, index=located.index)
    days = pd.to_datetime(located["event_date"]).dt.floor("D").astype("datetime64[ns]")
    grouped = (
        pd.DataFrame(
            {
                "district_pcode": located["district_pcode"].to_numpy(),
                "date": days.to_numpy(),
                "incidents": np.ones(len(located), dtype=np.int64),
                "fatalities": fatalities.fillna(0).to_numpy(dtype=np.int64),
            }
        )
        .groupby(["district_pcode", "date"], as_index=False)
        .sum()
    )
    return grouped


def _totals_meta():
    return pd.DataFrame(
        {
            "district_pcode": pd.Series(dtype=str),
            "date": pd.Series(dtype="datetime64[ns]"),
            "incidents": pd.Series(dtype=np.int64),
            "fatalities": pd.Series(dtype=np.int64),
        }
    )


def _sorted(totals):
    totals = totals[TOTAL_COLUMNS].sort_values(["district_pcode", "date"], ignore_index=True)
    totals["district_pcode"] = totals["district_pcode"].astype(str)
    return totals.astype({"incidents": np.int64, "fatalities": np.int64})
