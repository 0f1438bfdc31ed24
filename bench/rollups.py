"""The site power view over a long period: read from the rollups kept at ingest, against the raw rows.

For each store (the embedded DuckDB file; PostgreSQL started by ``devkit.postgres`` when its
binaries are present), a ``BENCH_ROLLUP_ROWS``-row telemetry file (default 2M rows: 10 racks,
one reading a minute, 139 days, so the 2,000-point chart draws 2-hour buckets) is ingested
in this process (the rollup is built at ingest; its build time is reported apart), then
``aggregate.telemetry_power_over_time`` (what My facility's "Power over time" asks) runs
alternately from the rollup and with ``use_rollup=False`` from the raw rows, median of
:data:`REPEAT` each (the raw view once per size from 10M rows: it takes minutes on PostgreSQL
at 100M). Both series are checked to cover the same buckets. Then ``summary.summarise`` (the
exact p95 and peak per rack and for the site, which the rollup cannot give) is timed once, as
the product computes it: from the per-rack sums kept at ingest where the dataset has them, else
from the raw rows.

Knobs: ``BENCH_ROLLUP_ROWS`` (sizes, comma-separated, default 2000000), ``BENCH_ROLLUP_RACKS``
(default 10; one value, or one per size: ``40,400`` with ``10000000,100000000`` keeps 174 days
once a minute, the 100M-row fleet of 400 racks the docs' estimates use), ``BENCH_ROLLUP_STORES``
(``embedded,team`` by default).
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
RAW_ONCE_FROM = 10_000_000


def _sizes() -> list[int]:
    return [int(n) for n in os.environ.get("BENCH_ROLLUP_ROWS", "2000000").split(",") if n.strip()]


def _racks(rows: int) -> int:
    """The racks of the ``rows``-row file: one value for every size, or one per size (paired in order)."""
    racks = [int(n) for n in os.environ.get("BENCH_ROLLUP_RACKS", str(RACKS)).split(",") if n.strip()]
    sizes = _sizes()
    return racks[sizes.index(rows)] if len(racks) == len(sizes) else racks[0]


def _measure(label: str, con, rows: int) -> list[Measurement]:  # noqa: ANN001 - a DuckDB connection
    from factorycore.userdata import aggregate, catalog, ingest, rollups, summary

    racks = _racks(rows)
    path = telemetry_csv(rows, racks=racks, folder=_folder())
    started = time.perf_counter()
    result = ingest.ingest(con, path, name=f"rollup bench {rows}")
    ingest_s = time.perf_counter() - started
    info = catalog.get_dataset(con, dataset_id=result.dataset_id, workspaces=[catalog.SHARED])
    started = time.perf_counter()
    rollups.build(con, info)  # again, timed on its own
    build_s = time.perf_counter() - started
    fast, slow = [], []
    for i in range(REPEAT):
        started = time.perf_counter()
        a = aggregate.telemetry_power_over_time(con, info)
        fast.append(time.perf_counter() - started)
        if i == 0 or rows < RAW_ONCE_FROM:
            started = time.perf_counter()
            b = aggregate.telemetry_power_over_time(con, info, use_rollup=False)
            slow.append(time.perf_counter() - started)
    assert "resolution" in a and len(a) == len(b), (len(a), len(b))
    started = time.perf_counter()
    figures = summary.summarise(con, info)
    summary_s = time.perf_counter() - started
    assert figures.get("site_p95_kw") is not None, figures
    level = "daily" if "daily" in a["resolution"].iloc[0] else "hourly"
    return [
        Measurement(
            f"{label}, {rows:,} telemetry rows ({racks} racks): site power over time ({len(a):,} "
            f"{a['bucket_size'].iloc[0]} buckets) from the {level} rollup",
            statistics.median(fast) * 1000,
            "ms",
            statistics.median(slow) * 1000,
            "the same view from the raw rows",
            "< 0.2x",
            statistics.median(fast) < 0.2 * statistics.median(slow),
        ),
        Measurement(f"{label}, {rows:,} rows: rollup build (at ingest)", build_s, "s", ingest_s, "the whole ingest"),
        Measurement(
            f"{label}, {rows:,} rows: summary (exact p95 and peak per rack and site; never from the rollup)",
            summary_s,
            "s",
        ),
    ]


def _folder() -> Path:
    folder = temp_dir() / "rollups"
    folder.mkdir(exist_ok=True)
    return folder


def run() -> list[Measurement]:
    from devkit.postgres import bin_dir, postgres_server
    from factorycore import db, pgstore

    out: list[Measurement] = []
    stores = os.environ.get("BENCH_ROLLUP_STORES", "embedded,team").split(",")
    for rows in _sizes() if "embedded" in stores else []:
        con = db.open_database(_folder() / f"embedded_{rows}.duckdb", build=False)
        try:
            out += _measure("embedded store", con, rows)
        finally:
            con.close()
            for stale in _folder().glob(f"embedded_{rows}.duckdb*"):
                stale.unlink()
    if bin_dir() is None or "team" not in stores:
        return out
    with postgres_server() as server:
        previous = os.environ.get("FACTORY_STORE")
        os.environ["FACTORY_STORE"] = server.url
        try:
            con = db.open_database(_folder() / "team.duckdb", build=False)
            try:
                for rows in _sizes():
                    out += _measure("team store (PostgreSQL)", con, rows)
            finally:
                con.close()
                pgstore.close_all()
        finally:
            if previous is None:
                os.environ.pop("FACTORY_STORE", None)
            else:
                os.environ["FACTORY_STORE"] = previous
    return out
