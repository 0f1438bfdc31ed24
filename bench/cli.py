"""The command line as a user runs it: whole processes, start to exit.

Two figures, each against a baseline process timed in the same run, alternating, median
of seven:

- a read command (``python -m factorycore datasets`` on an existing database) against
  ``python -c "import duckdb"``: what starting any DuckDB tool costs;
- ``python -m factorycore ingest`` of a 1-million-row telemetry CSV (every validation
  on) against a process that runs DuckDB's ``read_csv`` into a table of a new file.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time

from bench.data import REPO_ROOT, telemetry_csv, temp_dir
from bench.harness import Measurement

REPEAT = 7
ROWS = 1_000_000
START_TARGET = 1.5
INGEST_TARGET = 1.6
BASELINE_INGEST = (
    "import duckdb, sys; "
    "duckdb.connect(sys.argv[1]).execute('CREATE TABLE t AS SELECT * FROM read_csv(?)', [sys.argv[2]])"
)


def _seconds(args: list[str], env: dict[str, str]) -> float:
    os.sync()  # the last ingest's files are still being written back: no timed process should share the disk with that
    started = time.perf_counter()
    done = subprocess.run(args, cwd=REPO_ROOT, env=env, capture_output=True, timeout=300)
    seconds = time.perf_counter() - started
    if done.returncode:
        raise RuntimeError(f"{' '.join(args[:4])} failed: {done.stderr.decode()[-1500:]}")
    return seconds


def _fresh(name: str) -> str:
    path = temp_dir() / name
    for stale in (path, path.with_suffix(".duckdb.wal")):
        stale.unlink(missing_ok=True)
    return str(path)


def run() -> list[Measurement]:
    """Read-command start and whole-process ingest, each with its same-run baseline."""
    csv = str(telemetry_csv(ROWS))
    env = dict(os.environ, FACTORY_DB=_fresh("cli-read.duckdb"))
    env.pop("FACTORY_STORE", None)
    subprocess.run(
        [sys.executable, "-m", "factorycore", "build"],
        cwd=REPO_ROOT,
        env=env,
        check=True,
        capture_output=True,
        timeout=300,
    )
    read, bare, ingest, baseline = [], [], [], []
    for i in range(REPEAT):
        bare.append(_seconds([sys.executable, "-c", "import duckdb"], env))
        read.append(_seconds([sys.executable, "-m", "factorycore", "datasets", "--format", "json"], env))
        baseline.append(_seconds([sys.executable, "-c", BASELINE_INGEST, _fresh(f"cli-base-{i}.duckdb"), csv], env))
        ingest_env = dict(env, FACTORY_DB=_fresh(f"cli-ingest-{i}.duckdb"))
        ingest.append(_seconds([sys.executable, "-m", "factorycore", "ingest", csv, "--format", "json"], ingest_env))
    read_s, bare_s = statistics.median(read), statistics.median(bare)
    ingest_s, baseline_s = statistics.median(ingest), statistics.median(baseline)
    return [
        Measurement(
            "cli: `datasets` on an existing database, whole process",
            read_s,
            "s",
            bare_s,
            'python -c "import duckdb"',
            f"<= {START_TARGET:g}x baseline",
            read_s <= START_TARGET * bare_s,
        ),
        Measurement(
            f"cli: `ingest` of a {ROWS:,}-row telemetry CSV, whole process",
            ingest_s,
            "s",
            baseline_s,
            "a process running DuckDB read_csv into a table",
            f"<= {INGEST_TARGET:g}x baseline",
            ingest_s <= INGEST_TARGET * baseline_s,
        ),
    ]
