"""A kill in the middle of an ingest leaves earlier datasets intact and no half-written one."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from tests.corpus import make
from tests.race_util import kill_inside_transaction

REPO = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


def _env(db_file: Path, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env["FACTORY_DB"] = str(db_file)
    env.update(extra)
    return env


def _cli(db_file: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "factorycore", *args],
        cwd=REPO,
        env=_env(db_file),
        capture_output=True,
        text=True,
        timeout=120,
    )


def _state(db_file: Path) -> tuple[list, list, list]:
    con = duckdb.connect(str(db_file))
    try:
        tables = con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'facility' ORDER BY 1"
        ).fetchall()
        catalog = con.execute("SELECT dataset_id, name, rows_accepted, table_name FROM facility.datasets").fetchall()
        data = con.execute("SELECT * FROM facility.ds_00001 ORDER BY rack_id").fetchall()
        return tables, catalog, data
    finally:
        con.close()


@pytest.fixture(scope="module")
def big_csv(tmp_path_factory) -> Path:
    return make.telemetry_csv(tmp_path_factory.mktemp("big") / "big.csv", 1_000_000)


def _with_earlier_dataset(tmp_path: Path) -> tuple[Path, tuple]:
    db_file = tmp_path / "crash.duckdb"
    done = _cli(db_file, "ingest", str(REPO / "data/samples/racks_sample.csv"), "--dataset", "earlier")
    assert done.returncode == 0, done.stderr
    return db_file, _state(db_file)


def _assert_survived(db_file: Path, before: tuple) -> None:
    assert _state(db_file) == before  # same tables, same catalog, same rows
    after = _cli(db_file, "datasets", "--format", "json")
    assert after.returncode == 0 and '"earlier"' in after.stdout and "big" not in after.stdout
    again = _cli(db_file, "ingest", str(REPO / "data/samples/meter_sample.csv"), "--dataset", "after crash")
    assert again.returncode == 0, again.stderr  # the file is usable, ids and names still work


def test_kill_inside_the_open_transaction(tmp_path, big_csv):
    db_file, before = _with_earlier_dataset(tmp_path)
    proc = subprocess.Popen(
        [sys.executable, "-m", "factorycore", "ingest", str(big_csv), "--dataset", "big"],
        cwd=REPO,
        env=_env(db_file, FACTORY_INGEST_TEST_PAUSE_S="60"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    kill_inside_transaction(proc)
    _assert_survived(db_file, before)


@pytest.mark.parametrize("delay_s", [0.5, 0.7, 1.0])
def test_kill_at_an_arbitrary_moment(tmp_path, big_csv, delay_s):
    db_file, before = _with_earlier_dataset(tmp_path)
    proc = subprocess.Popen(
        [sys.executable, "-m", "factorycore", "ingest", str(big_csv), "--dataset", "big"],
        cwd=REPO,
        env=_env(db_file),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(delay_s)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    # The kill may land before COMMIT (nothing new may remain) or after it but before the
    # process exits (the new dataset must then be whole); never anything in between.
    state = _state(db_file)
    if [c[1] for c in state[1]] == ["earlier", "big"]:
        assert state[1][1][2] == 1_000_000 and state[2] == before[2]
    else:
        _assert_survived(db_file, before)
