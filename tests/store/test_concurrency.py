"""Several processes at once, for both stores: 4 ingesting and 4 reading; a writer killed mid-transaction.

Every test runs the real command line in separate processes against a real store:
the embedded DuckDB file, and PostgreSQL started by the ``postgres`` fixture.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.corpus import make
from tests.race_util import kill_inside_transaction

REPO = Path(__file__).resolve().parents[2]
WRITERS = READERS = 4
ROWS = 100_000
pytestmark = pytest.mark.slow


@pytest.fixture(params=["embedded", pytest.param("team", marks=pytest.mark.server)])
def store_env(request, tmp_path: Path) -> dict[str, str]:
    """The environment of a process using a fresh store of either kind."""
    env = dict(os.environ, FACTORY_DB=str(tmp_path / "store.duckdb"), FACTORY_STORE_WAIT_S="300")
    if request.param == "team":
        env["FACTORY_STORE"] = request.getfixturevalue("team_url")
    else:
        env.pop("FACTORY_STORE", None)
    return env


@pytest.fixture(scope="module")
def telemetry_files(tmp_path_factory) -> list[Path]:
    folder = tmp_path_factory.mktemp("telemetry")
    return [make.telemetry_csv(folder / f"w{i}.csv", ROWS, seed=i + 1) for i in range(WRITERS)]


def _cli(env: dict[str, str], *args: str, **kwargs) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "factorycore", *args],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **kwargs,
    )


def _datasets(env: dict[str, str]) -> dict[str, int]:
    proc = _cli(env, "datasets", "--format", "json")
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    return {d["dataset"]: d["rows"] for d in json.loads(out)["items"]}


def test_four_writers_and_four_readers_at_once(store_env, telemetry_files, tmp_path) -> None:
    done = tmp_path / "writers-done"
    writers = [
        _cli(store_env, "ingest", str(f), "--dataset", f"writer {i}", "--format", "json")
        for i, f in enumerate(telemetry_files)
    ]
    readers = [
        subprocess.Popen(
            [sys.executable, "-m", "tests.store.reader", "240", str(done)],
            cwd=REPO,
            env=store_env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(READERS)
    ]
    for proc in writers:
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
        assert json.loads(out)["rows_accepted"] == ROWS
    done.touch()  # the readers read once more, then stop
    reports = []
    for proc in readers:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        reports.append(json.loads(out))
    assert all(r["errors"] == [] for r in reports), [r["errors"][:3] for r in reports]
    assert all(r["reads"] > 0 for r in reports)
    # Every reader read while the writers ran and once after: it saw each dataset, whole.
    assert all(r["seen"] == [f"writer {i}" for i in range(WRITERS)] for r in reports), [r["seen"] for r in reports]
    assert all(r["reads"] >= 2 for r in reports)
    assert _datasets(store_env) == {f"writer {i}": ROWS for i in range(WRITERS)}


def test_kill_9_of_a_writer_inside_its_transaction(store_env, telemetry_files) -> None:
    first = _cli(store_env, "ingest", str(REPO / "data/samples/racks_sample.csv"), "--dataset", "earlier")
    assert first.wait(timeout=120) == 0, first.stderr.read()
    before = _datasets(store_env)
    victim = _cli(
        dict(store_env, FACTORY_INGEST_TEST_PAUSE_S="120"), "ingest", str(telemetry_files[0]), "--dataset", "killed"
    )
    kill_inside_transaction(victim)
    assert _datasets(store_env) == before == {"earlier": 240}
    again = _cli(store_env, "ingest", str(telemetry_files[1]), "--dataset", "after the kill")
    out, err = again.communicate(timeout=300)
    assert again.returncode == 0, err
    assert _datasets(store_env) == {"earlier": 240, "after the kill": ROWS}
