"""Ingest: a 1-million-row telemetry CSV through ``factorycore.userdata.ingest`` against DuckDB's own
``read_csv`` into a table, and the peak memory of a 10-million-row ingest.

Baseline and figure read the same file in the same process, each into a fresh
database file (opening it is not timed); the runs alternate so a burst of load on
the machine hits both alike, and each side reports its median. The 10-million-row
ingest runs the real CLI in a child process; its peak resident memory is that
child's ``ru_maxrss``.
"""

from __future__ import annotations

import statistics
import time

import duckdb

from bench.data import cli_ingest, telemetry_csv, temp_dir
from bench.harness import Measurement
from factorycore.db import open_database
from factorycore.userdata.ingest import ingest

ROWS = 1_000_000
BIG_ROWS = 10_000_000
REPEAT = 7  # pairs; each side's median (this 2-core machine's run-to-run spread is +-15 %)
TARGET_RATIO = 1.3
TARGET_MB = 2048.0


def _time_pair(path, run: int) -> tuple[float, float]:
    """One baseline load and one ingest of ``path``, each into its own new database file."""
    folder = temp_dir() / f"ingest-run-{run}"
    folder.mkdir()
    con = duckdb.connect(str(folder / "baseline.duckdb"))
    try:
        start = time.perf_counter()
        con.execute("CREATE TABLE t AS SELECT * FROM read_csv(?)", [str(path)])
        baseline = time.perf_counter() - start
    finally:
        con.close()
    con = open_database(folder / "ingest.duckdb", build=False)
    try:
        start = time.perf_counter()
        result = ingest(con, path, kind="auto", name="bench")
        figure = time.perf_counter() - start
    finally:
        con.close()
    assert result.rows_accepted == ROWS and result.rows_rejected == 0, result.as_dict()
    for f in folder.iterdir():
        f.unlink()
    folder.rmdir()
    return baseline, figure


def run() -> list[Measurement]:
    """1M rows: ingest vs read_csv (ratio, rows/s); 10M rows through the CLI: peak MB, time."""
    path = telemetry_csv(ROWS)
    pairs = [_time_pair(path, i) for i in range(REPEAT)]
    baseline = statistics.median(p[0] for p in pairs)
    figure = statistics.median(p[1] for p in pairs)
    big = cli_ingest(BIG_ROWS)
    assert big.result["rows_accepted"] == BIG_ROWS, big.result
    return [
        Measurement(
            name=f"ingest: {ROWS:,}-row telemetry CSV ({path.stat().st_size / 1e6:.0f} MB), validated and stored",
            figure=figure,
            unit="s",
            baseline=baseline,
            baseline_label="DuckDB read_csv into a table",
            target=f"<= {TARGET_RATIO:g}x baseline",
            met=figure <= TARGET_RATIO * baseline,
        ),
        Measurement(
            name=f"ingest: {ROWS:,} rows, throughput",
            figure=ROWS / figure,
            unit="rows/s",
            baseline=ROWS / baseline,
            baseline_label="DuckDB read_csv",
            target="-",
        ),
        Measurement(
            name=f"ingest: {BIG_ROWS:,} rows via CLI, peak memory (child ru_maxrss)",
            figure=big.peak_rss_mb,
            unit="MB",
            target=f"< {TARGET_MB:.0f} MB",
            met=big.peak_rss_mb < TARGET_MB,
        ),
        Measurement(
            name=f"ingest: {BIG_ROWS:,} rows via CLI, wall time (process start to exit)",
            figure=big.seconds,
            unit="s",
            target="-",
        ),
        Measurement(
            name=f"ingest: {BIG_ROWS:,} rows via CLI, throughput",
            figure=BIG_ROWS / big.seconds,
            unit="rows/s",
            target="-",
        ),
    ]
