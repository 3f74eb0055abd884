"""Load test of `geo serve` on loopback: many concurrent readers, no errors, bounded memory.

Run as a script (not a pytest test)::

    GEO_DATA_MIRROR=../shared/data python benchmarks/bench_serve.py [--requests 2000] [--clients 50] [--rounds 2]

It starts `geo serve` on 127.0.0.1 and a free port over the seed records,
then, each round, sends REQUESTS requests from CLIENTS concurrent clients
(one ``httpx.AsyncClient`` connection each; loopback only). The requests cycle
through what QGIS and a browser ask for: the landing page, the collections,
pages of districts as of many dates (each date a different status
computation), incidents filtered by datetime, bbox and event type, single
features, and bad requests that must be refused with 400. Each round prints
the error count (a status other than the expected one), p50/p95/max latency,
requests per second and the server's resident memory (VmRSS) after the
round: memory must level off from round to round, not grow with requests.
One map page (built on demand, then cached) is fetched before the rounds.
"""

import argparse
import asyncio
import datetime as dt
import statistics
import sys
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from serve_helpers import start_server, stop_server

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


def request_mix(count):
    """(path, expected status) pairs: a realistic mix, dates spread over 2019."""
    first = dt.date(2019, 1, 1)
    paths = []
    for i in range(count):
        date = (first + dt.timedelta(days=i % 300)).isoformat()
        kind = i % 10
        paths.append(
            [
                ("/", 200),
                ("/collections", 200),
                (f"/collections/districts/items?datetime={date}&limit=100&offset={(i % 4) * 100}", 200),
                (f"/collections/districts/items/AF1815?datetime={date}", 200),
                (f"/collections/incidents/items?datetime=2019-01-01/{date}", 200),
                ("/collections/incidents/items?bbox=69,36,70.5,37.5&event_type=Battles", 200),
                ("/collections/incidents/items/AFG-0001", 200),
                ("/collections/districts/items?limit=100000", 400),
                ("/maps/..%2f..%2fetc%2fpasswd", 400),
                (f"/collections/districts/items?datetime={date}&bbox=60,29,75,39&limit=50", 200),
            ][kind]
        )
    return paths


async def run_round(base, paths, clients):
    queue = asyncio.Queue()
    for item in paths:
        queue.put_nowait(item)
    latencies, errors = [], []

    async def client():
        async with httpx.AsyncClient(base_url=base, timeout=60, limits=httpx.Limits(max_connections=1)) as session:
            while not queue.empty():
                path, expected = queue.get_nowait()
                start = time.perf_counter()
                try:
                    response = await session.get(path)
                    status = response.status_code
                except httpx.HTTPError as error:
                    status = repr(error)
                latencies.append(time.perf_counter() - start)
                if status != expected:
                    errors.append((path, status))

    start = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    return latencies, errors, time.perf_counter() - start


def rss_mib(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    process, base = start_server(SEEDS)
    try:
        start = time.perf_counter()
        status = httpx.get(f"{base}/maps/2019-09-30?cdn=1", timeout=300).status_code
        print(
            f"map of 2019-09-30 (built on demand, or from the cache of an earlier run): HTTP {status} in {time.perf_counter() - start:.1f} s"
        )
        print(f"server RSS at start: {rss_mib(process.pid):.0f} MiB")
        for round_number in range(1, args.rounds + 1):
            latencies, errors, elapsed = asyncio.run(run_round(base, request_mix(args.requests), args.clients))
            quantiles = statistics.quantiles(latencies, n=100)
            print(
                f"round {round_number}: {len(latencies)} requests, {args.clients} clients, {len(errors)} errors; "
                f"p50 {quantiles[49] * 1000:.0f} ms, p95 {quantiles[94] * 1000:.0f} ms, max {max(latencies) * 1000:.0f} ms; "
                f"{len(latencies) / elapsed:.0f} requests/s; server RSS {rss_mib(process.pid):.0f} MiB"
            )
            for path, status in errors[:5]:
                print(f"  error: {path} -> {status}")
    finally:
        stop_server(process)


if __name__ == "__main__":
    main()
