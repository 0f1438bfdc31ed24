"""Telemetry at scale on both stores: ingest time, the telemetry page's queries, and peak memory.

For each size (``BENCH_STORE_ROWS``, default 1M and 10M rows; add 100000000 for the
100M-row point, about 4.5 GB of CSV) and each store (the embedded DuckDB file, and
PostgreSQL started by ``devkit.postgres`` when Debian's binaries are present; team
sizes from ``BENCH_TEAM_ROWS``, default 1M), a child process ingests the file and then
runs what a rerun of the telemetry page asks the store for (the bucketed site power,
the hottest racks and kW per rack), three times. The child's peak resident memory
(``ru_maxrss``) shows whether anything pulls the table into Python. The baseline is
the same queries on the embedded store at the smallest size, in the same run.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time

from bench.data import REPO_ROOT, telemetry_csv, temp_dir
from bench.harness import Measurement

REPEAT = 3


def _sizes(variable: str, default: str) -> list[int]:
    return [int(v) for v in os.environ.get(variable, default).split(",") if v.strip()]


def child(csv: str) -> dict[str, float]:
    """In the child: ingest ``csv`` into the configured store, then time the page's queries."""
    from factorycore import db
    from factorycore.userdata import aggregate, catalog, ingest

    con = db.open_database(build=False)
    started = time.perf_counter()
    ingest.ingest(con, csv, name="bench")
    ingest_s = time.perf_counter() - started
    info = catalog.get_dataset(con, name="bench")
    times = []
    for _ in range(REPEAT):
        started = time.perf_counter()
        aggregate.telemetry_power_over_time(con, info)
        aggregate.hottest_racks(con, info)
        aggregate.rack_kw(con, info)
        times.append(time.perf_counter() - started)
    return {"ingest_s": ingest_s, "rerun_ms": statistics.median(times) * 1000}


def _measure(rows: int, url: str | None) -> tuple[dict[str, float], float]:
    env = dict(os.environ, FACTORY_DB=str(temp_dir() / f"stores-{rows}-{'team' if url else 'embedded'}.duckdb"))
    env.pop("FACTORY_STORE", None)
    if url:
        env["FACTORY_STORE"] = url
    proc = subprocess.Popen(
        [sys.executable, "-m", "bench.stores", str(telemetry_csv(rows))],
        cwd=REPO_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    _, status, usage = os.wait4(proc.pid, 0)
    out, err = proc.stdout.read(), proc.stderr.read()
    if os.waitstatus_to_exitcode(status):
        raise RuntimeError(f"store benchmark at {rows:,} rows failed: {err.decode()[-1500:]}")
    return json.loads(out), usage.ru_maxrss / 1024


def _fresh_database(server, rows: int) -> str:
    import psycopg

    name = f"bench_{rows}"
    with psycopg.connect(server.url, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name}")
        admin.execute(f"CREATE DATABASE {name}")
    return server.url.rsplit("/", 1)[0] + "/" + name


def run() -> list[Measurement]:
    from devkit.postgres import bin_dir, postgres_server

    results: list[Measurement] = []
    sizes = _sizes("BENCH_STORE_ROWS", "1000000,10000000")
    base: float | None = None
    for rows in sizes:
        figures, peak_mb = _measure(rows, None)
        base = base or figures["rerun_ms"]
        results += [
            Measurement(
                f"embedded store, {rows:,} telemetry rows: page queries",
                figures["rerun_ms"],
                "ms",
                base,
                f"the same at {sizes[0]:,} rows",
            ),
            Measurement(f"embedded store, {rows:,} rows: ingest", figures["ingest_s"], "s"),
            Measurement(f"embedded store, {rows:,} rows: peak memory (ingest + queries)", peak_mb, "MB"),
        ]
    if bin_dir() is None:
        return results
    with postgres_server() as server:
        for rows in _sizes("BENCH_TEAM_ROWS", "1000000"):
            figures, peak_mb = _measure(rows, _fresh_database(server, rows))
            results += [
                Measurement(
                    f"team store (PostgreSQL), {rows:,} rows: page queries",
                    figures["rerun_ms"],
                    "ms",
                    base,
                    f"embedded at {sizes[0]:,} rows",
                ),
                Measurement(f"team store (PostgreSQL), {rows:,} rows: ingest", figures["ingest_s"], "s"),
                Measurement(f"team store (PostgreSQL), {rows:,} rows: peak memory (ingest + queries)", peak_mb, "MB"),
            ]
    return results


if __name__ == "__main__":
    print(json.dumps(child(sys.argv[1])))
