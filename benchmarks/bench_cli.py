"""The seed build as a user runs it: `geo build --date 2019-09-30`, cold and warm.

Run as a script::

    GEO_DATA_MIRROR=../shared/data python benchmarks/bench_cli.py [--repeat 3]

Each run is a fresh ``geo`` process (this checkout first on ``PYTHONPATH``):

- **cold**: an empty cache folder (``GEO_CACHE_DIR``): the data files are
  copied from the mirror and checked, the gazetteer, the district raster and
  the simplified boundaries are built;
- **warm**: the same cache folder again, as every run after the first;
- **import**: ``python -c "import geo.cli"`` (what ``geo --help`` costs).

Figures are medians of ``--repeat`` runs: wall time, CPU time (user + system,
less sensitive to other work on the machine) and peak RSS, from ``wait4``.
The target (issue 9): warm seed build at most 1.5 s. Results go to
``benchmarks/results/bench_cli.json``.
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


def medians(runs):
    return {key: round(statistics.median(run[key] for run in runs), 3) for key in runs[0]}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", type=Path, default=HERE / "results" / "bench_cli.json")
    args = parser.parse_args(argv)
    base_env = {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "GEO_DATA_MIRROR": os.environ.get("GEO_DATA_MIRROR", DEFAULT_MIRROR),
    }
    build = [sys.executable, "-c", "from geo.cli import main; main()", "build", "--date", "2019-09-30"]
    runs = {"cold": [], "warm": [], "import": []}
    with tempfile.TemporaryDirectory(prefix="bench-cli-") as work:
        for attempt in range(args.repeat):
            env = {**base_env, "GEO_CACHE_DIR": str(Path(work) / f"cache-{attempt}")}
            out = str(Path(work) / f"maps-{attempt}")
            runs["cold"].append(run([*build, "--out", out], env))
            runs["warm"].append(run([*build, "--out", out], env))
            runs["import"].append(run([sys.executable, "-c", "import geo.cli"], env))
            print(
                f"[bench_cli] run {attempt + 1}: "
                + ", ".join(f"{name} {items[-1]['wall_s']:.2f} s" for name, items in runs.items()),
                file=sys.stderr,
                flush=True,
            )
    result = {"repeat": args.repeat, **{name: medians(items) for name, items in runs.items()}}
    result["target"] = "warm seed build <= 1.5 s"
    print(json.dumps(result, indent=2))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
