"""Benchmark ``geo import acled|ucdp|csv`` at 100k and 1M synthetic rows.

Run as a script (not a pytest test)::

    GEO_DATA_MIRROR=../shared/data python benchmarks/bench_import.py [--sizes 100000,1000000] [--runs 3]

For each size the script writes a synthetic ACLED and UCDP GED export once
(:mod:`_synthetic`: points inside real districts, deterministic), then runs
the import as a user does, ``geo import FORMAT FILE --out OUT``, in a fresh
process, ``--runs`` times into a fresh output each time. It reports the
median wall time, rows per second (rows / median), the CPU time and the peak
resident memory of that process (``os.wait4``'s ``ru_maxrss``), and how many
rows landed in the district (or, for province-level rows, the province) that
holds their synthetic point. The table is printed and written to
``benchmarks/results/bench_import.json``.
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

import pandas as pd

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS_DIR = HERE / "results"
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

FORMATS = ("acled", "ucdp", "csv")


def run_once(command, env):
    """Run `command`; return (wall s, CPU s, peak RSS MiB, stdout)."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, text=True)
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(command)}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, output


def accuracy(out, truth):
    """Share of rows placed where their synthetic point lies (province for province-level rows)."""
    placed = pd.read_csv(out, dtype=str, keep_default_na=False, usecols=["event_id", "pcode"], engine="pyarrow")
    expected = truth.reindex(placed["event_id"]).to_numpy()
    is_province = placed["pcode"].str.len() == 4
    right = (placed["pcode"] == expected) | (is_province & (placed["pcode"] == pd.Series(expected).str[:4].to_numpy()))
    return float(right.mean()), len(placed)


def bench_size(size, runs, folder, env):
    from _synthetic import write_acled, write_ucdp

    files = {"acled": folder / f"acled-{size}.csv", "ucdp": folder / f"ucdp-{size}.csv"}
    truths = {"acled": write_acled(files["acled"], size), "ucdp": write_ucdp(files["ucdp"], size)}
    truths["acled"].index = "AFG" + pd.Series(range(1, size + 1)).astype(str)
    truths["ucdp"].index = pd.Series(range(1, size + 1)).astype(str)
    files["csv"], truths["csv"] = files["acled"], truths["acled"]
    rows = []
    for name in FORMATS:
        timings = []
        for run in range(runs):
            out = folder / f"out-{name}-{size}-{run}.csv"
            command = [
                sys.executable,
                "-c",
                "from geo.cli import main; main()",
                "import",
                name,
                str(files[name]),
                "--out",
                str(out),
            ]
            timings.append(run_once(command, env))
        wall = statistics.median(t[0] for t in timings)
        share, placed = accuracy(out, truths[name])
        rows.append(
            {
                "format": name,
                "rows": size,
                "median_s": round(wall, 2),
                "rows_per_s": round(size / wall),
                "cpu_s": round(statistics.median(t[1] for t in timings), 2),
                "peak_mib": round(max(t[2] for t in timings)),
                "placed": placed,
                "right_place": round(share, 4),
                "runs": [round(t[0], 2) for t in timings],
            }
        )
        print(_line(rows[-1]), flush=True)
    return rows


def _line(row):
    return (
        f"{row['format']:6} {row['rows']:>9,} rows  {row['median_s']:7.2f} s  {row['rows_per_s']:>9,} rows/s  "
        f"cpu {row['cpu_s']:6.2f} s  peak {row['peak_mib']:5} MiB  placed {row['placed']:,}  "
        f"right {row['right_place']:.2%}"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for size in map(int, args.sizes.split(",")):
            results += bench_size(size, args.runs, Path(tmp), env)
    RESULTS_DIR.mkdir(exist_ok=True)
    (RESULTS_DIR / "bench_import.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
