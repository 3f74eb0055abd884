"""In memory or on a dask cluster: `geo aggregate` over 1M to 100M synthetic points.

Run as a script::

    GEO_DATA_MIRROR=../shared/data python benchmarks/bench_cluster.py [--sizes 1000000,10000000] [--repeat 3]

For each size N, N points uniform over Afghanistan's bounding box are written
as Parquet partitions of 1M rows (streamed: one partition in memory at a
time), with ``event_date`` over 2015-2019 and ``fatalities``. Then
``geo aggregate PARTS --out daily.csv`` runs as a user runs it, a fresh
process each time, with ``--engine memory`` and with ``--engine dask`` (a
LocalCluster of this machine's cores, started by the command: its start-up
is part of the time). Medians of ``--repeat`` runs: wall, CPU of the command
and its children, peak RSS of the largest process. The two CSVs must be
identical. Results go to ``benchmarks/results/bench_cluster.json``.
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
DEFAULT_MIRROR = str((REPO / ".." / "shared" / "data").resolve())
PARTITION_ROWS = 1_000_000


def write_partitions(folder, size, seed):
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(seed)
    folder.mkdir(parents=True)
    for number, start in enumerate(range(0, size, PARTITION_ROWS)):
        rows = min(PARTITION_ROWS, size - start)
        pd.DataFrame(
            {
                "longitude": rng.uniform(60.47, 74.89, rows),
                "latitude": rng.uniform(29.37, 38.49, rows),
                "event_date": (np.datetime64("2015-01-01") + rng.integers(0, 5 * 365, rows)).astype("datetime64[D]"),
                "fatalities": rng.integers(0, 6, rows),
            }
        ).to_parquet(folder / f"part-{number:05d}.parquet", index=False)


def run(command, env):
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    stderr = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{stderr[-2000:]}")
    return {
        "wall_s": time.perf_counter() - started,
        "cpu_s": usage.ru_utime + usage.ru_stime,
        "peak_mib": usage.ru_maxrss / 1024,
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000000,10000000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--engines", default="memory,dask", help="memory,dask (100M points in memory need about 15 GB)")
    parser.add_argument("--out", type=Path, default=HERE / "results" / "bench_cluster.json")
    args = parser.parse_args(argv)
    env = {**os.environ, "PYTHONPATH": str(REPO), "GEO_DATA_MIRROR": os.environ.get("GEO_DATA_MIRROR", DEFAULT_MIRROR)}
    geo = [sys.executable, "-c", "from geo.cli import main; main()"]
    rows = []
    for size in [int(text) for text in args.sizes.split(",")]:
        with tempfile.TemporaryDirectory(prefix="bench-cluster-") as work:
            work = Path(work)
            started = time.perf_counter()
            write_partitions(work / "parts", size, args.seed)
            row = {"size": size, "write_s": round(time.perf_counter() - started, 2)}
            engines = args.engines.split(",")
            for engine in engines:
                runs = [
                    run(
                        [
                            *geo,
                            "aggregate",
                            str(work / "parts"),
                            "--engine",
                            engine,
                            "--out",
                            str(work / f"{engine}.csv"),
                        ],
                        env,
                    )
                    for _ in range(args.repeat)
                ]
                row[engine] = {key: round(statistics.median(item[key] for item in runs), 2) for key in runs[0]}
                print(f"[bench_cluster] {size:,} {engine}: {row[engine]}", file=sys.stderr, flush=True)
            if len(engines) == 2:
                row["same_answers"] = (work / "memory.csv").read_bytes() == (work / "dask.csv").read_bytes()
        rows.append(row)
    print(json.dumps(rows, indent=2))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"repeat": args.repeat, "rows": rows}, indent=2) + "\n")
    return 0 if all(row.get("same_answers", True) for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
