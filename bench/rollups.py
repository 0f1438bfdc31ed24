"""The site power view over a long period: read from the rollups kept at ingest, against the raw rows.

For each store (the embedded DuckDB file; PostgreSQL started by ``devkit.postgres`` when its
binaries are present), a ``BENCH_ROLLUP_ROWS``-row telemetry file (default 2M rows: 10 racks,
one reading a minute, 139 days, so the 2,000-point chart draws 2-hour buckets) is ingested
in this process (the rollup is built at ingest; its build time is reported apart), then
``aggregate.telemetry_power_over_time`` (what My facility's "Power over time" asks) runs
alternately from the rollup and with ``use_rollup=False`` from the raw rows, median of
:data:`REPEAT` each. Both series are checked to cover the same buckets.
"""

from __future__ import annotations

import os
import statistics
import time
from pathlib import Path

from bench.data import telemetry_csv, temp_dir
from bench.harness import Measurement

REPEAT = 3
RACKS = 10


def _measure(label: str, con) -> list[Measurement]:  # noqa: ANN001 - a DuckDB connection
    from factorycore.userdata import aggregate, catalog, ingest, rollups

    rows = int(os.environ.get("BENCH_ROLLUP_ROWS", "2000000"))
    path = telemetry_csv(rows, racks=RACKS, folder=_folder())
    started = time.perf_counter()
    result = ingest.ingest(con, path, name=f"rollup bench {rows}")
    ingest_s = time.perf_counter() - started
    info = catalog.get_dataset(con, dataset_id=result.dataset_id, workspaces=[catalog.SHARED])
    started = time.perf_counter()
    rollups.build(con, info)  # again, timed on its own
    build_s = time.perf_counter() - started
    fast, slow = [], []
    for _ in range(REPEAT):
        started = time.perf_counter()
        a = aggregate.telemetry_power_over_time(con, info)
        fast.append(time.perf_counter() - started)
        started = time.perf_counter()
        b = aggregate.telemetry_power_over_time(con, info, use_rollup=False)
        slow.append(time.perf_counter() - started)
    assert "resolution" in a and len(a) == len(b), (len(a), len(b))
    return [
        Measurement(
            f"{label}, {rows:,} telemetry rows: site power over time ({len(a):,} {a['bucket_size'].iloc[0]} buckets) "
            "from the hourly rollup",
            statistics.median(fast) * 1000,
            "ms",
            statistics.median(slow) * 1000,
            "the same view from the raw rows",
            "< 0.2x",
            statistics.median(fast) < 0.2 * statistics.median(slow),
        ),
        Measurement(f"{label}, {rows:,} rows: rollup build (at ingest)", build_s, "s", ingest_s, "the whole ingest"),
    ]


def _folder() -> Path:
    folder = temp_dir() / "rollups"
    folder.mkdir(exist_ok=True)
    return folder


def run() -> list[Measurement]:
    from devkit.postgres import bin_dir, postgres_server
    from factorycore import db, pgstore

    out: list[Measurement] = []
    con = db.open_database(_folder() / "embedded.duckdb", build=False)
    try:
        out += _measure("embedded store", con)
    finally:
        con.close()
    if bin_dir() is None:
        return out
    with postgres_server() as server:
        previous = os.environ.get("FACTORY_STORE")
        os.environ["FACTORY_STORE"] = server.url
        try:
            con = db.open_database(_folder() / "team.duckdb", build=False)
            try:
                out += _measure("team store (PostgreSQL)", con)
            finally:
                con.close()
                pgstore.close_all()
        finally:
            if previous is None:
                os.environ.pop("FACTORY_STORE", None)
            else:
                os.environ["FACTORY_STORE"] = previous
    return out
