"""geo.locate_points against geopandas.sjoin(predicate="within"), in one process.

Run as a script::

    GEO_DATA_MIRROR=../shared/data python benchmarks/bench_locate.py [--size 1000000] [--repeat 5]

Two point sets of N points (seeded): uniform over Afghanistan's bounding box
(about half fall outside), and uniform inside the districts
(``sample_points``, the harder case: more points near borders). For each,
the median of ``--repeat`` timings of ``geo.locate_points(points)`` and of
``geopandas.sjoin(points, districts, predicate="within")``, alternated, after
one untimed call of each (the raster is then in the cache folder, as on every
run after the first; the cold build of the raster is timed separately). The
answers are compared on every point sjoin places.

Cold starts, each in a fresh process (median of ``--repeat``; the bbox set):
the first ``geo.locate_points`` call, which also loads the districts, then
``sjoin`` in the same process. **cold_empty_cache**: an empty cache folder (the
shapefile is read and the raster made in the call);
**cold_empty_cache_districts_loaded**: the same, the districts loaded (untimed)
before the call, as a caller who compares with sjoin has them (a first load
makes the raster too); **cold_built**: as that, with the raster deleted after
the load, so it is built in the call; **cold_cache_on_disk**: the cache folder
of an earlier run. Results go to ``benchmarks/results/bench_locate.json``.
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
os.environ.setdefault("GEO_DATA_MIRROR", str((HERE.parent / ".." / "shared" / "data").resolve()))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--out", type=Path, default=HERE / "results" / "bench_locate.json")
    parser.add_argument("--cold", choices=["cold", "built", "loaded"], help=argparse.SUPPRESS)  # one cold run
    args = parser.parse_args(argv)
    if args.cold:
        print(json.dumps(cold_run(args.size, args.cold)))
        return 0

    import geopandas as gpd
    import numpy as np

    import geo
    from geo import _grid, boundaries, settings

    districts = boundaries.load_districts()
    polygons = districts.geometry.to_numpy()
    started = time.perf_counter()
    _grid.build_grid(polygons, settings.grid_cell_size)
    result = {"size": args.size, "repeat": args.repeat, "grid_build_s": round(time.perf_counter() - started, 3)}
    rng = np.random.default_rng(2019)
    west, south, east, north = districts.total_bounds
    point_sets = {
        "bbox": gpd.GeoSeries.from_xy(
            rng.uniform(west, east, args.size), rng.uniform(south, north, args.size), crs=boundaries.CRS
        ),
        "inside": districts.geometry.sample_points(args.size // len(districts), rng=rng)
        .explode(index_parts=False)
        .reset_index(drop=True),
    }
    frame = districts[["district_pcode", "geometry"]]
    for name, points in point_sets.items():
        points_frame = gpd.GeoDataFrame(geometry=points)
        geo.locate_points(points), gpd.sjoin(points_frame, frame, predicate="within")
        times = {"locate": [], "sjoin": []}
        for _ in range(args.repeat):
            started = time.perf_counter()
            located = geo.locate_points(points)
            times["locate"].append(time.perf_counter() - started)
            started = time.perf_counter()
            joined = gpd.sjoin(points_frame, frame, predicate="within", how="left")
            times["sjoin"].append(time.perf_counter() - started)
        expected = joined[~joined.index.duplicated()]["district_pcode"]
        placed = expected.notna()
        locate_s, sjoin_s = statistics.median(times["locate"]), statistics.median(times["sjoin"])
        result[name] = {
            "points": len(points),
            "locate_s": round(locate_s, 4),
            "sjoin_s": round(sjoin_s, 4),
            "speedup": round(sjoin_s / locate_s, 2),
            "locate_mpoints_per_s": round(len(points) / locate_s / 1e6, 2),
            "sjoin_placed": int(placed.sum()),
            "disagreements": int((located[placed] != expected[placed]).sum()),
            "placed_only_by_locate": int(((located != "") & ~placed).sum()),
        }
        print(f"{name}: {result[name]}", file=sys.stderr, flush=True)
    result.update(cold_starts(args.size, args.repeat))
    print(json.dumps(result, indent=2))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    return 0


def bbox_points(size):
    """The bbox point set: `size` seeded points uniform over the districts' bounding box."""
    import geopandas as gpd
    import numpy as np

    from geo import boundaries

    west, south, east, north = 60.4, 29.3, 74.9, 38.5  # Afghanistan's bounding box, rounded out
    rng = np.random.default_rng(2019)
    return gpd.GeoSeries.from_xy(rng.uniform(west, east, size), rng.uniform(south, north, size), crs=boundaries.CRS)


def cold_run(size, mode):
    """One fresh process: the first locate_points call, then sjoin.

    `mode`: "cold" (districts and raster loaded, or made, in the call),
    "loaded" (the districts loaded first, untimed, as a caller comparing with
    sjoin has them; a first load also makes the raster), "built" (as
    "loaded", then the raster deleted, so that it is built in the call).
    """
    import geopandas as gpd

    import geo
    from geo import boundaries

    points = bbox_points(size)
    if mode in ("loaded", "built"):
        boundaries.load_districts()
    if mode == "built":
        shutil.rmtree(boundaries._district_grid_path().parent)
    started = time.perf_counter()
    geo.locate_points(points)
    locate_s = time.perf_counter() - started
    frame = boundaries.load_districts()[["district_pcode", "geometry"]]
    started = time.perf_counter()
    gpd.sjoin(gpd.GeoDataFrame(geometry=points), frame, predicate="within", how="left")
    return {"locate_s": locate_s, "sjoin_s": time.perf_counter() - started}


def cold_starts(size, repeat):
    """Median cold-start figures over `repeat` fresh processes per case."""
    cases = {
        "cold_empty_cache": [],
        "cold_empty_cache_districts_loaded": [],
        "cold_built": [],
        "cold_cache_on_disk": [],
    }
    for _ in range(repeat):
        with tempfile.TemporaryDirectory(prefix="bench-locate-") as cache:
            env = {**os.environ, "GEO_CACHE_DIR": cache, "PYTHONPATH": str(HERE.parent)}
            for case, mode in (("cold_empty_cache", "cold"), ("cold_cache_on_disk", "cold")):
                cases[case].append(_fresh_process(size, mode, env))
        for case, mode in (("cold_built", "built"), ("cold_empty_cache_districts_loaded", "loaded")):
            with tempfile.TemporaryDirectory(prefix="bench-locate-") as cache:
                env = {**os.environ, "GEO_CACHE_DIR": cache, "PYTHONPATH": str(HERE.parent)}
                cases[case].append(_fresh_process(size, mode, env))
    result = {}
    for case, runs in cases.items():
        locate_s = statistics.median(run["locate_s"] for run in runs)
        sjoin_s = statistics.median(run["sjoin_s"] for run in runs)
        result[case] = {
            "locate_s": round(locate_s, 4),
            "sjoin_s": round(sjoin_s, 4),
            "speedup": round(sjoin_s / locate_s, 2),
        }
        print(f"{case}: {result[case]}", file=sys.stderr, flush=True)
    return result


def _fresh_process(size, mode, env):
    command = [sys.executable, str(Path(__file__).resolve()), "--size", str(size), "--cold", mode]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


if __name__ == "__main__":
    sys.exit(main())
