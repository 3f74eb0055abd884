"""Benchmark the join and the build at 10k to 1M synthetic incidents.

Run as a script (not a pytest test)::

    GEO_DATA_MIRROR=../shared/data python benchmarks/bench_build.py [--sizes 10000,100000,1000000]

For each size N the script starts a fresh Python process (``--one N``) that:

1. makes N synthetic incidents, deterministically (``numpy.random.default_rng``):
   districts are drawn in proportion to their area, each incident's point is
   drawn in its district's bounds and kept only if it falls inside the
   polygon (``shapely.contains_xy``), so its ``pcode`` is its true district;
   dates over 2019-01-01..2019-09-30; event and sub-event types from
   ``schema.EVENT_TYPES``; every ``INCIDENT_COLUMNS`` value a string. The rows
   become a GeoDataFrame through ``records.incidents_to_frame``, which skips
   validation and geocoding on purpose: what is measured is the join and the
   build;
2. times the joins on all N incidents, like for like (median of 3 runs):
   geo's (``geo.locate_points`` then ``join.incident_totals``) against
   ``geopandas.sjoin(predicate="within")`` then a groupby of the same totals,
   and checks that locate_points finds each incident's true district;
3. builds (median of 3) the map of 2019-09-30, every format, with the default 30-day window, then with all
   incidents (``window_days=None``: the page must cluster or aggregate), each
   into a temporary folder, with the seed claims (``records.load_claims``;
   typed without validation if validation cannot run); it records the time of
   each, its peak RSS, and the size of every file written.

Before anything is timed, a build of 50 of the incidents warms the caches
(boundaries and their simplified shapes, the JS assets); that and loading the
claims are reported as ``setup s``.

Peak memory is ``ru_maxrss`` (KiB on Linux) of the size's own process. The
peak is reset (``/proc/self/clear_refs``) after generating the incidents and
before each phase, so the figure of a build is that build's peak with the N
incidents resident, not the generator's (which, at 1M, is higher). The
all-incidents build runs last, so the parent's ``RUSAGE_CHILDREN`` after each
child (in the JSON) is that build's peak too, as long as sizes grow.

``--profile`` runs the all-incidents build under cProfile in the child
instead of timing it and writes the top functions to
``benchmarks/results/profile-<N>.txt``.

The table is printed and written to ``benchmarks/results/bench_build.json``.
"""

import argparse
import datetime as dt
import gc
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
sys.path.insert(0, str(HERE.parent))  # measure this checkout's geo, not an installed one
RESULTS_DIR = HERE / "results"
DEFAULT_SIZES = "10000,100000,1000000"
AS_OF = dt.date(2019, 9, 30)
# Timed phases are run this many times; the median is reported.
REPEAT = 3
FIRST_DAY = "2019-01-01"
# The offline data mirror beside the repository, when GEO_DATA_MIRROR is unset.
DEFAULT_MIRROR = str((Path(__file__).resolve().parents[1] / ".." / "shared" / "data").resolve())

COLUMNS = [
    ("size", "size", "{:>9,}"),
    ("geo_join_s", "geo locate+totals s", "{:>19.3f}"),
    ("sjoin_s", "sjoin+groupby s", "{:>15.3f}"),
    ("build_all_s", "build s (all)", "{:>13.2f}"),
    ("build_30d_s", "build s (30 d)", "{:>14.2f}"),
    ("peak_mib", "peak MiB", "{:>8.0f}"),
    ("html_mb", "html MB", "{:>8.2f}"),
    ("html_30d_mb", "html MB (30 d)", "{:>14.2f}"),
    ("districts_geojson_mb", "districts geojson MB", "{:>20.2f}"),
    ("incidents_geojson_mb", "incidents geojson MB", "{:>20.2f}"),
    ("gpkg_mb", "gpkg MB", "{:>8.2f}"),
]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes", default=DEFAULT_SIZES, help=f"comma-separated incident counts (default {DEFAULT_SIZES})"
    )
    parser.add_argument("--seed", type=int, default=20190930, help="random seed (default %(default)s)")
    parser.add_argument("--out", type=Path, default=RESULTS_DIR / "bench_build.json", help="JSON results file")
    parser.add_argument("--profile", action="store_true", help="profile the all-incidents build with cProfile instead")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    os.environ.setdefault("GEO_DATA_MIRROR", DEFAULT_MIRROR)

    if args.one is not None:
        result = run_one(args.one, args.seed, profile=args.profile)
        print(json.dumps(result))
        return 0

    sizes = [int(text.replace("_", "")) for text in args.sizes.split(",") if text.strip()]
    rows = []
    for size in sizes:
        print(f"[bench] {size:,} incidents: running in a fresh process ...", file=sys.stderr, flush=True)
        command = [sys.executable, str(Path(__file__).resolve()), "--one", str(size), "--seed", str(args.seed)]
        if args.profile:
            command.append("--profile")
        started = time.perf_counter()
        completed = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=False)
        wall = time.perf_counter() - started
        if completed.returncode != 0:
            print(f"[bench] {size:,}: child failed with exit code {completed.returncode}", file=sys.stderr)
            return completed.returncode
        row = json.loads(completed.stdout.strip().splitlines()[-1])
        row["child_wall_s"] = round(wall, 2)
        row["rusage_children_mib"] = round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1)
        rows.append(row)
        print(f"[bench] {size:,}: done in {wall:.1f} s", file=sys.stderr, flush=True)

    if not args.profile:
        print(format_table(rows))
        args.out.parent.mkdir(parents=True, exist_ok=True)
        payload = {
            "as_of": AS_OF.isoformat(),
            "seed": args.seed,
            "python": sys.version.split()[0],
            "cpus": os.cpu_count(),
            "git": git_state(),
            "columns": {key: label for key, label, _ in COLUMNS},
            "rows": rows,
        }
        args.out.write_text(json.dumps(payload, indent=2) + "\n")
        print(f"\nwritten: {args.out}")
    return 0


def git_state():
    """The commit measured and the geo files changed in the working tree."""

    def git(*args):
        done = subprocess.run(["git", *args], cwd=HERE.parent, capture_output=True, text=True, check=False)
        return done.stdout.strip() if done.returncode == 0 else ""

    return {"commit": git("rev-parse", "HEAD"), "changed": git("status", "--short", "--", "geo").splitlines()}


def format_table(rows):
    header = "  ".join(f"{label:>{len(fmt.format(0)) if 'f' in fmt else 9}}" for _, label, fmt in COLUMNS)
    lines = [header, "-" * len(header)]
    for row in rows:
        lines.append("  ".join(fmt.format(row[key]) if row.get(key) is not None else "-" for key, _, fmt in COLUMNS))
    notes = []
    for row in rows:
        notes.append(
            f"{row['size']:>9,}: locate_points agrees with the true district for {row['locate_agreement']:.4%} "
            f"({row['locate_mismatches']} mismatches); sjoin matched {row['sjoin_rows']:,} rows; "
            f"30-day window {row['window_30d']:,} incidents; page mode all={row['page_mode_all']}, "
            f"30 d={row['page_mode_30d']}; generate {row['generate_s']:.1f} s, setup {row['setup_s']:.1f} s; "
            f"peak RSS: generating {row['peak_after_generate_mib']:.0f} MiB, joins {row['peak_joins_mib']:.0f} MiB, "
            f"build 30 d {row['peak_build_30d_mib']:.0f} MiB, build all {row['peak_build_all_mib']:.0f} MiB "
            f"(RSS with the incidents loaded, before: {row['rss_before_builds_mib']:.0f} MiB; "
            f"parent's RUSAGE_CHILDREN {row['rusage_children_mib']:.0f} MiB)"
        )
    return "\n".join(lines + [""] + notes)


# --- one size, in its own process ------------------------------------------


def run_one(size, seed, *, profile=False):
    import geopandas as gpd
    import numpy as np

    from geo import boundaries, build, join, records, render

    started = time.perf_counter()
    districts = boundaries.load_districts()
    claims, claims_note = seed_claims(records)
    setup_s = time.perf_counter() - started

    started = time.perf_counter()
    table = synthetic_incidents(size, seed, districts, records, np)
    incidents = records.incidents_to_frame(table)
    del table
    gc.collect()
    _malloc_trim()
    generate_s = time.perf_counter() - started
    log(size, f"generated in {generate_s:.1f} s")
    inputs = make_inputs(build, records, incidents, claims)

    # Warm every cache a build uses (simplified boundaries, JS assets,
    # templates) with a build of a few incidents, so both timed builds start
    # alike, as the second of a series would.
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix=f"bench-{size}-warm-") as out_dir:
        build.build(make_inputs(build, records, incidents.iloc[:50], claims), AS_OF, out_dir, window_days=None)
    setup_s += time.perf_counter() - started
    gc.collect()
    _malloc_trim()
    rss_before = current_rss_mib()
    peak_generate = peak_rss_mib()

    if profile:
        return profile_build(size, inputs)

    result = {"size": size, "seed": seed, "setup_s": round(setup_s, 2), "generate_s": round(generate_s, 2)}
    if claims_note:
        result["claims_note"] = claims_note
    result["peak_after_generate_mib"] = round(peak_generate, 1)
    result["rss_before_builds_mib"] = round(rss_before, 1)
    result["window_30d"] = int(len(join.incidents_in_window(incidents, AS_OF, 30)))
    result["page_mode_30d"] = page_mode(result["window_30d"], render)
    result["page_mode_all"] = page_mode(size, render)
    result["peak_reset"] = reset_peak_rss()

    # Joins on all N incidents (the all-time window), like for like: each
    # places the points in districts *and* totals incidents and fatalities
    # per district. Median of REPEAT runs each.
    window = join.incidents_in_window(incidents, AS_OF, None)
    state = join.status_as_of(boundaries.simplified_districts(build.EXPORT_TOLERANCE), claims, AS_OF)
    points = incidents[["event_id", "fatalities", "geometry"]]
    geo_times, sjoin_times = [], []
    for _ in range(REPEAT):
        started = time.perf_counter()
        located = boundaries.locate_points(window.geometry)
        totals = join.incident_totals(state, window.assign(district_pcode=located.to_numpy()))
        geo_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        joined = gpd.sjoin(points, districts[["district_pcode", "geometry"]], predicate="within", how="inner")
        sjoin_totals = joined.groupby("district_pcode").agg(
            incidents=("event_id", "size"), fatalities=("fatalities", "sum")
        )
        sjoin_times.append(time.perf_counter() - started)
    result["geo_join_s"] = round(statistics.median(geo_times), 4)
    result["sjoin_s"] = round(statistics.median(sjoin_times), 4)
    assert int(totals["incidents"].sum()) == int(sjoin_totals["incidents"].sum()) == len(window)
    result["sjoin_rows"] = int(len(joined))
    result["sjoin_agreement"] = float(
        (joined["district_pcode"].to_numpy() == incidents["pcode"].to_numpy()[joined.index.to_numpy()]).sum() / size
    )
    agree = located.to_numpy() == incidents["pcode"].to_numpy()
    result["locate_agreement"] = float(agree.mean())
    result["locate_mismatches"] = int((~agree).sum())
    del window, state, totals, joined, points, located, agree
    gc.collect()
    result["peak_joins_mib"] = round(peak_rss_mib(), 1)
    log(
        size,
        f"joins (median of {REPEAT}): geo locate+totals {result['geo_join_s']:.3f} s, sjoin+groupby {result['sjoin_s']:.3f} s",
    )

    # The builds last: the all-incidents build is the final phase, so the
    # child's ru_maxrss at exit (the parent's RUSAGE_CHILDREN) is its peak.
    for label, window_days in (("30d", 30), ("all", None)):
        reset_peak_rss()
        with tempfile.TemporaryDirectory(prefix=f"bench-{size}-{label}-") as out_dir:
            timings = []
            for _ in range(REPEAT):
                started = time.perf_counter()
                outputs = build.build(inputs, AS_OF, out_dir, window_days=window_days, formats=list(build.FORMATS))
                timings.append(time.perf_counter() - started)
            seconds = statistics.median(timings)
            result[f"build_{label}_s"] = round(seconds, 3)
            sizes = {
                "html": outputs.html.stat().st_size,
                "districts_geojson": outputs.districts.stat().st_size,
                "incidents_geojson": outputs.incidents.stat().st_size,
                "gpkg": outputs.geopackage.stat().st_size,
            }
        if window_days is None:  # the table's file sizes are those of the all-incidents build
            result.update({f"{key}_mb": round(value / 1e6, 3) for key, value in sizes.items()})
        else:
            result["html_30d_mb"] = round(sizes["html"] / 1e6, 3)
        result[f"files_{label}_bytes"] = sizes
        result[f"incident_count_{label}"] = outputs.incident_count
        peak = peak_rss_mib()
        result[f"peak_build_{label}_mib"] = round(peak, 1)
        log(size, f"build ({label}) {seconds:.2f} s, peak RSS {peak:.0f} MiB")
        del outputs
        gc.collect()
    result["peak_mib"] = max(result["peak_build_30d_mib"], result["peak_build_all_mib"])
    return result


def make_inputs(build, records, incidents, claims):
    """``build.Inputs`` of these records (with the claim file names, where
    that version of ``Inputs`` still takes them)."""
    import dataclasses

    names = {field.name for field in dataclasses.fields(build.Inputs)}
    extra = {"claim_files": [records.CLAIMS_FILE.name]} if "claim_files" in names else {}
    return build.Inputs(incidents=incidents, claims=claims, **extra)


def seed_claims(records):
    """The seed claims, through ``records.load_claims`` when it can run.

    Returns the claims and a note (empty when the claims were validated).
    """
    try:
        return records.load_claims(), ""
    except Exception as error:
        # load_claims validates, and validation depends on modules (gazetteer,
        # geocoder) that other changes are still adding; the seed claims are
        # the committed, checked file, so type them directly rather than give
        # up the benchmark, and say so in the results.
        table = records.read_table(records.CLAIMS_FILE)
        table["claim_file"] = records.CLAIMS_FILE.name
        note = f"records.load_claims() failed ({type(error).__name__}: {error}); seed claims typed with claims_to_frame, unvalidated"
        print(f"[bench] note: {note}", file=sys.stderr, flush=True)
        return records.claims_to_frame(table), note


def synthetic_incidents(size, seed, districts, records, np):
    """N incident rows, every column a string, as ``records.read_table`` gives them."""
    import pandas as pd
    import shapely

    from geo import schema

    rng = np.random.default_rng(seed)
    geometries = districts.geometry.to_numpy()
    areas = shapely.area(geometries)
    owner = rng.choice(len(districts), size=size, p=areas / areas.sum())
    owner.sort(kind="stable")  # grouped by district; shuffled below
    counts = np.bincount(owner, minlength=len(districts))

    x = np.empty(size)
    y = np.empty(size)
    start = 0
    for index, (polygon, count) in enumerate(zip(geometries, counts)):
        if count == 0:
            continue
        shapely.prepare(polygon)
        minx, miny, maxx, maxy = polygon.bounds
        fill = max(areas[index] / ((maxx - minx) * (maxy - miny)), 0.05)
        got_x, got_y, have = [], [], 0
        while have < count:
            draw = int((count - have) / fill * 1.2) + 16
            cand_x = rng.uniform(minx, maxx, draw)
            cand_y = rng.uniform(miny, maxy, draw)
            inside = shapely.contains_xy(polygon, cand_x, cand_y)
            got_x.append(cand_x[inside])
            got_y.append(cand_y[inside])
            have += int(inside.sum())
        x[start : start + count] = np.concatenate(got_x)[:count]
        y[start : start + count] = np.concatenate(got_y)[:count]
        start += count
    order = rng.permutation(size)
    owner, x, y = owner[order], x[order], y[order]

    pcode = districts["district_pcode"].to_numpy()[owner]
    district = districts["district"].to_numpy()[owner]
    province = districts["province"].to_numpy()[owner]
    span = (np.datetime64(AS_OF) - np.datetime64(FIRST_DAY)).astype(int) + 1
    dates = np.datetime64(FIRST_DAY) + rng.integers(0, span, size)

    types = list(schema.EVENT_TYPES)
    type_index = rng.choice(len(types), size=size, p=[0.35, 0.3, 0.12, 0.08, 0.03, 0.12])
    event_type = np.array(types, dtype=object)[type_index]
    sub_event_type = np.empty(size, dtype=object)
    for index, name in enumerate(types):
        mask = type_index == index
        subtypes = np.array(schema.EVENT_TYPES[name], dtype=object)
        sub_event_type[mask] = subtypes[rng.integers(0, len(subtypes), int(mask.sum()))]
    actors = np.array(
        [
            "Military Forces of Afghanistan",
            "Taliban",
            "Police Forces of Afghanistan",
            "Islamic State (Afghanistan)",
            "Unidentified Armed Group (Afghanistan)",
        ],
        dtype=object,
    )
    actor1 = actors[rng.integers(0, len(actors), size)]
    actor2 = np.where(rng.random(size) < 0.6, actors[rng.integers(0, len(actors), size)], "")
    fatalities = rng.negative_binomial(1, 0.25, size)
    qualifier = np.where(rng.random(size) < 0.1, "at least", "")
    start_offsets = rng.integers(0, 20_000, size)

    ids = pd.Series(np.arange(1, size + 1)).astype(str).str.zfill(7)
    frame = pd.DataFrame(
        {
            "event_id": "BENCH-" + ids,
            "event_date": pd.Series(dates.astype("datetime64[D]").astype(str)),
            "time_precision": np.where(rng.random(size) < 0.85, "1", np.where(rng.random(size) < 0.6, "2", "3")),
            "event_type": event_type,
            "sub_event_type": sub_event_type,
            "actor1": actor1,
            "actor2": actor2,
            "location": district,
            "admin1": province,
            "admin2": district,
            "pcode": pcode,
            "geo_precision": "place",
            "latitude": pd.Series(y).round(6).astype(str),
            "longitude": pd.Series(x).round(6).astype(str),
            "fatalities": pd.Series(fatalities).astype(str),
            "fatalities_qualifier": qualifier,
            "notes": "Synthetic benchmark incident: "
            + pd.Series(sub_event_type).astype(str)
            + " in "
            + pd.Series(district)
            + " district, "
            + pd.Series(province)
            + " province, reported by local officials.",
            "source": "Benchmark",
            "source_file": "bench_synthetic.txt",
            "article": "",
            "source_start": pd.Series(start_offsets).astype(str),
            "source_end": pd.Series(start_offsets + 120).astype(str),
        },
        dtype=str,
    )
    assert list(frame.columns) == list(schema.INCIDENT_COLUMNS[: len(frame.columns)])
    return frame


def page_mode(count, render):
    if count > render.AGGREGATE_ABOVE:
        return "aggregated"
    if count > render.CLUSTER_ABOVE:
        return "clustered" + ("" if count > render.TIMELINE_MAX else "+timeline")
    return "markers+timeline"


def profile_build(size, inputs):
    import cProfile
    import io
    import pstats

    from geo import build

    profiler = cProfile.Profile()
    with tempfile.TemporaryDirectory(prefix=f"bench-{size}-profile-") as out_dir:
        started = time.perf_counter()
        profiler.enable()
        build.build(inputs, AS_OF, out_dir, window_days=None)
        profiler.disable()
        seconds = time.perf_counter() - started
    text = io.StringIO()
    stats = pstats.Stats(profiler, stream=text)
    text.write(f"build(window_days=None) of {size:,} incidents: {seconds:.2f} s under cProfile\n\n")
    stats.sort_stats("cumulative").print_stats(45)
    stats.sort_stats("tottime").print_stats(30)
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    path = RESULTS_DIR / f"profile-{size}.txt"
    path.write_text(text.getvalue())
    log(size, f"profile written: {path}")
    return {"size": size, "profiled_build_s": round(seconds, 2), "profile": str(path)}


def peak_rss_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def reset_peak_rss():
    """Reset this process's peak RSS to its current RSS (Linux 4.0+).

    Writing 5 to ``/proc/self/clear_refs`` resets the high-water mark that
    ``ru_maxrss`` reports, so each phase's peak is its own. Returns False
    (peaks then accumulate over the phases) where that is not possible.
    """
    gc.collect()
    _malloc_trim()
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def _malloc_trim():
    """Give freed heap memory back to the OS (glibc), so the RSS a phase starts
    from holds live data only and the phase's peak counts its own memory."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


def current_rss_mib():
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def log(size, message):
    print(f"[bench] {size:,}: {message}", file=sys.stderr, flush=True)


if __name__ == "__main__":
    sys.exit(main())
