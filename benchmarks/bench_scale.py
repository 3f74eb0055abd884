"""A million incidents end to end, against the bare geopandas pipeline on the same file.

Run as a script::

    GEO_DATA_MIRROR=../shared/data python benchmarks/bench_scale.py [--size 1000000] [--repeat 3]

1. Writes N synthetic incidents (``numpy.random.default_rng``, seeded): points
   uniform over Afghanistan (drawn in its bounding box, kept where
   ``geo.locate_points`` finds a district), dates over 2015-2019, ACLED event
   types. Two files of the same events: an ACLED-style export (ACLED's
   codebook column names) and the same rows in geo's own record format
   (dataset-cited: ``dataset=ACLED``, ``placed_by=coordinates``).
2. **geo**: when ``geo import acled`` exists, runs it on the export (into a
   fresh output each run: no merge with the last run's) and then
   ``geo build --window all --incidents <imported> --formats ...``; until
   then, the build of the geo-format file. Each command is a separate process,
   as a user runs them; wall time and peak RSS (``wait4``) of each.
3. **bare**: a fresh process doing what a GIS analyst would write by hand:
   ``pandas.read_csv`` + ``geopandas.sjoin(predicate="within")`` with the
   districts + ``to_parquet``.

Each figure is the median of ``--repeat`` runs (3 by default), alternating
geo and bare so both see the same machine load. The targets (issue 9): geo at
most 20 s wall and 1.5 GB peak, at most 3x bare. Results go to
``benchmarks/results/bench_scale.json``.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
RESULTS_DIR = HERE / "results"
DEFAULT_MIRROR = str((REPO / ".." / "shared" / "data").resolve())
AS_OF = "2019-12-31"
BARE_PIPELINE = """
import sys, geopandas as gpd, pandas as pd
from geo import boundaries
frame = pd.read_csv(sys.argv[1])
points = gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(frame["longitude"], frame["latitude"]), crs="EPSG:4326")
districts = boundaries.load_districts()[["district_pcode", "province_pcode", "geometry"]]
joined = gpd.sjoin(points, districts, predicate="within", how="left")
joined.to_parquet(sys.argv[2])
"""


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=9)
    parser.add_argument(
        "--formats",
        default="",
        help="geo build --formats; empty (the default): none given, as a user runs it (big layers as GeoParquet only)",
    )
    parser.add_argument("--out", type=Path, default=RESULTS_DIR / "bench_scale.json")
    args = parser.parse_args(argv)
    env = {**os.environ, "PYTHONPATH": str(REPO), "GEO_DATA_MIRROR": os.environ.get("GEO_DATA_MIRROR", DEFAULT_MIRROR)}
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as work:
        work = Path(work)
        started = time.perf_counter()
        acled_path, records_path = write_inputs(work, args.size, args.seed)
        log(f"wrote {args.size:,} incidents in {time.perf_counter() - started:.1f} s")
        has_import = run(["geo", "import", "acled", "--help"], env)["rc"] == 0
        runs = {"geo": [], "bare": []}
        for attempt in range(args.repeat):
            runs["geo"].append(geo_pipeline(work, acled_path, records_path, args.formats, has_import, env))
            runs["bare"].append(
                run([sys.executable, "-c", BARE_PIPELINE, str(records_path), str(work / "bare.parquet")], env)
            )
            log(f"run {attempt + 1}: geo {runs['geo'][-1]['wall_s']:.1f} s, bare {runs['bare'][-1]['wall_s']:.1f} s")
    summary = summarise(runs, args, has_import)
    print(json.dumps(summary, indent=2))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({**summary, "runs": runs}, indent=2) + "\n")
    return 0


def geo_pipeline(work, acled_path, records_path, formats, has_import, env):
    steps = []
    if has_import:
        # A fresh output each run, as a first import is run: importing into an
        # existing file merges with it (twice the rows), a different job.
        records_path = work / "imported.csv"
        for stale in work.glob("imported*"):
            stale.unlink()
        steps.append(run(["geo", "import", "acled", str(acled_path), "--out", str(records_path)], env))
    build = ["geo", "build", "--date", AS_OF, "--window", "all", "--incidents", str(records_path)]
    steps.append(run([*build, *(["--formats", formats] if formats else []), "--out", str(work / "maps")], env))
    failed = [step for step in steps if step["rc"] != 0]
    return {
        "wall_s": sum(step["wall_s"] for step in steps),
        "cpu_s": sum(step["cpu_s"] for step in steps),
        "peak_mib": max(step["peak_mib"] for step in steps),
        "steps": steps,
        "failed": [step["stderr"][-500:] for step in failed],
    }


def run(command, env):
    """Run a command; its wall time, CPU time and peak RSS (from wait4)."""
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    stderr = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    return {
        "command": " ".join("<script>" if "\n" in part else part for part in command),
        "rc": process.returncode,
        "wall_s": round(time.perf_counter() - started, 3),
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 3),
        "peak_mib": round(usage.ru_maxrss / 1024, 1),
        "stderr": stderr[-2000:],
    }


def summarise(runs, args, has_import):
    def median(name, key):
        return round(statistics.median(item[key] for item in runs[name]), 2)

    geo_wall, bare_wall = median("geo", "wall_s"), median("bare", "wall_s")
    return {
        "size": args.size,
        "repeat": args.repeat,
        "geo_commands": "geo import acled + geo build" if has_import else "geo build (geo-format records)",
        "geo_wall_s": geo_wall,
        "geo_cpu_s": median("geo", "cpu_s"),
        "geo_peak_mib": median("geo", "peak_mib"),
        "bare_wall_s": bare_wall,
        "bare_cpu_s": median("bare", "cpu_s"),
        "bare_peak_mib": median("bare", "peak_mib"),
        "ratio_wall": round(geo_wall / bare_wall, 2),
        "geo_failed": [item["failed"] for item in runs["geo"] if item["failed"]],
        "targets": "geo <= 20 s wall, <= 1.5 GB peak, <= 3x bare",
    }


def write_inputs(work, size, seed):
    """Write the same N synthetic events as an ACLED export and as geo records."""
    import numpy as np

    sys.path.insert(0, str(REPO))
    from geo import boundaries, schema

    events = synthetic_events(size, np.random.default_rng(seed), boundaries, schema, np)
    acled_path, records_path = work / "acled.csv", work / "incidents.csv"
    acled_export(events).to_csv(acled_path, index=False)
    geo_records(events, schema).to_csv(records_path, index=False)
    return acled_path, records_path


def synthetic_events(size, rng, boundaries, schema, np):
    import pandas as pd

    west, south, east, north = boundaries.load_districts().total_bounds
    lon, lat = rng.uniform(west, east, size * 3).round(4), rng.uniform(south, north, size * 3).round(4)
    pcode = boundaries.locate_points(lon, lat).to_numpy()
    keep = np.flatnonzero(pcode != "")[:size]
    names = boundaries.pcode_names()
    types = list(schema.EVENT_TYPES)
    event_type = np.array(types, dtype=object)[rng.integers(0, len(types), size)]
    sub_event = pd.Series(event_type).map({name: subtypes[0] for name, subtypes in schema.EVENT_TYPES.items()})
    days = rng.integers(0, 5 * 365, size)
    pcode = pd.Series(pcode[keep])
    return pd.DataFrame(
        {
            "event_id": "AFG" + pd.Series(np.arange(1, size + 1)).astype(str),
            "event_date": (np.datetime64("2015-01-01") + days).astype("datetime64[D]").astype(str),
            "event_type": event_type,
            "sub_event_type": sub_event,
            "actor1": np.where(rng.random(size) < 0.5, "Taliban", "Military Forces of Afghanistan (2014-2021)"),
            "admin1": pcode.str.slice(0, 4).map(names).to_numpy(),
            "admin2": pcode.map(names).to_numpy(),
            "pcode": pcode.to_numpy(),
            "latitude": lat[keep],
            "longitude": lon[keep],
            "fatalities": rng.negative_binomial(1, 0.3, size),
        }
    )


def acled_export(events):
    """ACLED's export columns (codebook names), filled from the events."""
    import pandas as pd

    dates = pd.to_datetime(events["event_date"])
    return pd.DataFrame(
        {
            "event_id_cnty": events["event_id"],
            "event_date": dates.dt.strftime("%d %B %Y"),
            "year": dates.dt.year,
            "time_precision": 1,
            "disorder_type": "Political violence",
            "event_type": events["event_type"],
            "sub_event_type": events["sub_event_type"],
            "actor1": events["actor1"],
            "assoc_actor_1": "",
            "inter1": 2,
            "actor2": "",
            "assoc_actor_2": "",
            "inter2": 0,
            "interaction": 20,
            "civilian_targeting": "",
            "iso": 4,
            "region": "Caucasus and Central Asia",
            "country": "Afghanistan",
            "admin1": events["admin1"],
            "admin2": events["admin2"],
            "admin3": "",
            "location": events["admin2"],
            "latitude": events["latitude"],
            "longitude": events["longitude"],
            "geo_precision": 1,
            "source": "Synthetic",
            "source_scale": "National",
            "notes": "Synthetic benchmark event.",
            "fatalities": events["fatalities"],
            "tags": "",
            "timestamp": 1700000000,
        }
    )


def geo_records(events, schema):
    """The events in geo's record format, cited to the dataset."""
    frame = events.assign(
        time_precision="1",
        actor2="",
        location=events["admin2"],
        geo_precision="place",
        fatalities_qualifier="",
        notes="Synthetic benchmark event.",
        source="ACLED",
        source_file="",
        article="",
        source_start="",
        source_end="",
        url="",
        dataset="ACLED",
        placed_by="coordinates",
    )
    columns = [column for column in schema.INCIDENT_COLUMNS if column in frame.columns]
    return frame[columns]


def log(message):
    print(f"[bench_scale] {message}", file=sys.stderr, flush=True)


if __name__ == "__main__":
    sys.exit(main())
