"""Benchmark reading, validating and loading incident records at 100k and 1M rows.

Run as a script (not a pytest test)::

    GEO_DATA_MIRROR=../shared/data python benchmarks/bench_records.py [--sizes 100000,1000000] [--runs 3]

For each size N the script writes (once, into a temporary folder) a synthetic
incident file of the kind an import writes: every row cites a dataset
(``dataset`` = ``SYNTH``, its own ``event_id``, no character offsets) and
carries coordinates (``placed_by`` = ``coordinates``). Points are drawn
uniformly over Afghanistan's bounds and kept where :func:`geo.locate_points`
finds a district, so each row's ``pcode``, ``admin1`` and ``admin2`` are its
true district's; ``location`` is the district name, so the geocoding check
runs on its ~400 unique pairs. Dates fall in 2019, types are ACLED's.

Each run is a fresh Python process (``--one PATH``) that times three phases
with :func:`time.perf_counter`, after a warm-up on a 100-row file (boundaries
and gazetteer loaded, as in any long-lived process):

- ``read``: :func:`geo.records.read_table`;
- ``validate``: :func:`geo.validation.incident_problems` (must find none);
- ``load``: :func:`geo.records.incidents_to_frame` (typing and points);

and its peak RSS (``VmHWM``; the warm-up's share included). The table
shows the median of ``--runs`` runs per size, and the rows per second of the
three phases together; it is written to ``benchmarks/results/bench_records.json``.
A last run per size puts one bad row in the middle of the file and times how
long validation takes to report it.
"""

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS_DIR = HERE / "results"


def synthetic_incidents(rows, path, *, seed=7):
    """Write `rows` synthetic dataset-cited incidents with coordinates to `path`."""
    import numpy as np
    import pandas as pd

    from geo import boundaries, schema

    rng = np.random.default_rng(seed)
    lon = rng.uniform(60.5, 75.0, int(rows * 3) + 1000)
    lat = rng.uniform(29.4, 38.5, lon.size)
    codes = boundaries.locate_points(lon, lat).to_numpy()
    inside = np.flatnonzero(codes != "")[:rows]
    codes, lon, lat = codes[inside], lon[inside], lat[inside]
    names = boundaries.pcode_names()
    types = [(kind, sub) for kind, subs in schema.EVENT_TYPES.items() for sub in subs]
    chosen = rng.integers(0, len(types), rows)
    days = pd.Timestamp("2019-01-01") + pd.to_timedelta(rng.integers(0, 365, rows), unit="D")
    district = names.reindex(codes).to_numpy()
    frame = pd.DataFrame(dict.fromkeys(schema.INCIDENT_COLUMNS, ""), index=range(rows))
    frame = frame.assign(
        event_id=[f"SYN{n}" for n in range(rows)],
        event_date=days.strftime("%Y-%m-%d"),
        time_precision="1",
        event_type=[types[i][0] for i in chosen],
        sub_event_type=[types[i][1] for i in chosen],
        actor1="Taliban",
        actor2="Military Forces of Afghanistan",
        location=district,
        admin1=names.reindex(pd.Series(codes).str[:4]).to_numpy(),
        admin2=district,
        pcode=codes,
        geo_precision="place",
        latitude=np.round(lat, 5).astype(str),
        longitude=np.round(lon, 5).astype(str),
        fatalities=rng.integers(0, 30, rows).astype(str),
        source="synthetic",
        dataset="SYNTH",
        placed_by="coordinates",
    )
    # Rounding may move a point over a border: place those by the rounded point.
    frame["pcode"] = boundaries.locate_points(
        frame["longitude"].astype(float), frame["latitude"].astype(float)
    ).to_numpy()
    frame = frame[frame["pcode"] != ""]
    frame["admin2"] = frame["location"] = names.reindex(frame["pcode"]).to_numpy()
    frame["admin1"] = names.reindex(frame["pcode"].str[:4]).to_numpy()
    frame.to_csv(path, index=False, columns=schema.INCIDENT_COLUMNS, lineterminator="\n")
    return len(frame)


def _one(path):
    from geo import records, validation

    with tempfile.TemporaryDirectory() as folder:
        small = Path(folder) / "warm.csv"
        synthetic_incidents(100, small, seed=1)
        table = records.read_table(small)
        validation.incident_problems(table)
        records.incidents_to_frame(table)
    started = time.perf_counter()
    table = records.read_table(path)
    read = time.perf_counter()
    problems = validation.incident_problems(table)
    validated = time.perf_counter()
    frame = records.incidents_to_frame(table) if not problems else None
    loaded = time.perf_counter()
    peak_mb = _peak_mb()
    print(
        json.dumps(
            {
                "rows": len(table),
                "problems": problems[:3],
                "problem_count": len(problems),
                "read_s": read - started,
                "validate_s": validated - read,
                "load_s": loaded - validated,
                "total_s": loaded - started,
                "peak_mb": peak_mb,
                "loaded": None if frame is None else len(frame),
            }
        )
    )


def _peak_mb():
    """This process's peak resident memory: VmHWM, not ru_maxrss, which on
    Linux keeps the high-water mark of the parent forked from (here the
    generator holding a million rows)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _with_one_bad_row(path, bad_path):
    lines = Path(path).read_text(encoding="utf-8").splitlines(keepends=True)
    middle = len(lines) // 2
    lines[middle] = lines[middle].replace(",place,", ",villag,", 1)
    Path(bad_path).write_text("".join(lines), encoding="utf-8")


def _run_child(path):
    done = subprocess.run([sys.executable, __file__, "--one", str(path)], capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--one")
    args = parser.parse_args()
    if args.one:
        _one(args.one)
        return
    results = []
    with tempfile.TemporaryDirectory() as folder:
        for size in map(int, args.sizes.split(",")):
            path = Path(folder) / f"incidents-{size}.csv"
            written = synthetic_incidents(size, path)
            runs = [_run_child(path) for _ in range(args.runs)]
            assert all(run["problem_count"] == 0 for run in runs), runs[0]["problems"]
            bad = Path(folder) / f"bad-{size}.csv"
            _with_one_bad_row(path, bad)
            bad_run = _run_child(bad)
            median = {
                key: statistics.median(run[key] for run in runs)
                for key in ("read_s", "validate_s", "load_s", "total_s", "peak_mb")
            }
            results.append(
                {
                    "rows": written,
                    "runs": args.runs,
                    **median,
                    "rows_per_s": written / median["total_s"],
                    "one_bad_row_s": bad_run["read_s"] + bad_run["validate_s"],
                    "one_bad_row": bad_run["problems"],
                }
            )
    print(
        f"{'rows':>9} {'read s':>7} {'valid s':>8} {'load s':>7} {'total s':>8} {'rows/s':>10} {'peak MB':>8} {'1 bad row s':>11}"
    )
    for row in results:
        print(
            f"{row['rows']:>9} {row['read_s']:>7.2f} {row['validate_s']:>8.2f} {row['load_s']:>7.2f} {row['total_s']:>8.2f} "
            f"{row['rows_per_s']:>10,.0f} {row['peak_mb']:>8.0f} {row['one_bad_row_s']:>11.2f}"
        )
        print(f"          one bad row: {row['one_bad_row']}")
    RESULTS_DIR.mkdir(exist_ok=True)
    (RESULTS_DIR / "bench_records.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    os.environ.setdefault("GEO_ARTICLES_DIR", str(HERE.parent.parent / "shared" / "seeds"))
    main()
