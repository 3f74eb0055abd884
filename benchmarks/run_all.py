"""Run every benchmark, one after the other, and gather their results.

    GEO_DATA_MIRROR=../shared/data python benchmarks/run_all.py [--quick]

Runs, each in its own process so one's memory does not count in another's
peak: ``bench_cli.py`` (the seed build cold and warm, imports),
``bench_locate.py`` (locate_points against sjoin on 1M points),
``bench_build.py`` (joins and builds at 10k to 1M synthetic incidents),
``bench_scale.py`` (1M incidents through geo's commands against the bare
geopandas pipeline), ``bench_cluster.py`` (``geo aggregate`` in memory and on
a dask LocalCluster at 1M and 10M points) and, where present, the other helpers' ``bench_*.py``
scripts. Every figure is a median of at least 3 runs. ``--quick`` uses small
sizes to check that the scripts run. The summary goes to
``benchmarks/results/run_all.json``; each script also writes its own file.
"""

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_MIRROR = str((HERE.parent / ".." / "shared" / "data").resolve())
BENCHMARKS = {
    "bench_cli.py": ([], []),
    "bench_locate.py": ([], ["--size", "100000"]),
    "bench_build.py": ([], ["--sizes", "10000"]),
    "bench_scale.py": ([], ["--size", "20000"]),
    "bench_cluster.py": ([], ["--sizes", "200000"]),
}
OTHERS = ("bench_records.py", "bench_import.py", "bench_geocode.py")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes: check that every script runs")
    args = parser.parse_args(argv)
    env = {**os.environ, "GEO_DATA_MIRROR": os.environ.get("GEO_DATA_MIRROR", DEFAULT_MIRROR)}
    scripts = dict(BENCHMARKS)
    scripts.update({name: ([], []) for name in OTHERS if (HERE / name).exists()})
    summary = {}
    for name, (full, quick) in scripts.items():
        print(f"[run_all] {name} ...", file=sys.stderr, flush=True)
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, str(HERE / name), *(quick if args.quick else full)], env=env, check=False
        )
        summary[name] = {"exit": done.returncode, "seconds": round(time.perf_counter() - started, 1)}
    results = HERE / "results"
    results.mkdir(exist_ok=True)
    (results / "run_all.json").write_text(json.dumps(summary, indent=2) + "\n")
    print(json.dumps(summary, indent=2))
    return max((item["exit"] for item in summary.values()), default=0)


if __name__ == "__main__":
    sys.exit(main())
