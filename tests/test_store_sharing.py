"""The command line beside a running app: DuckDB lets one process hold the file, so the app
lets it go between runs and everyone waits, boundedly, for a turn."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from devkit.server import streamlit_server
from factorycore import db
from factorycore.store import embedded
from tests.browser_util import wait_for_app

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "data" / "samples" / "racks_sample.csv"
HOLDER = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1])
print("holding", flush=True)
time.sleep(float(sys.argv[2]))
con.close()
"""


def _cli(db_file: Path, *args: str, wait_s: float | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ, FACTORY_DB=str(db_file))
    if wait_s is not None:
        env["FACTORY_STORE_WAIT_S"] = str(wait_s)
    return subprocess.run(
        [sys.executable, "-m", "factorycore", *args, "--format", "json"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _hold_in_another_process(db_file: Path, seconds: float) -> subprocess.Popen:
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(db_file), str(seconds)], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout.readline().strip() == "holding"
    return proc


def test_the_cli_waits_for_a_process_that_lets_go(tmp_path: Path) -> None:
    db_file = tmp_path / "shared.duckdb"
    db.open_database(db_file, build=False).close()
    holder = _hold_in_another_process(db_file, 2.0)
    started = time.monotonic()
    done = _cli(db_file, "datasets")
    waited_s = time.monotonic() - started
    holder.wait(10)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"items": []}
    assert waited_s >= 1.0, "it ran only once the other process let go"


def test_a_store_that_stays_busy_gets_a_clear_message(tmp_path: Path) -> None:
    db_file = tmp_path / "busy.duckdb"
    db.open_database(db_file, build=False).close()
    holder = _hold_in_another_process(db_file, 30.0)
    try:
        done = _cli(db_file, "datasets", wait_s=0.5)
    finally:
        holder.kill()
        holder.wait(10)
    assert done.returncode == 1
    assert "in use by another process" in done.stderr and "FACTORY_STORE_WAIT_S" in done.stderr
    assert "Traceback" not in done.stderr


def test_hold_shares_one_connection_and_lets_the_file_go_after_the_last_holder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(embedded, "LINGER_S", 0.2)
    db_file = tmp_path / "held.duckdb"
    with db.hold(db_file) as first, db.hold(db_file) as second:
        assert first is second and db.held(db_file) is first
    assert db.held(db_file) is None
    time.sleep(0.6)
    done = _cli(db_file, "datasets", wait_s=0)  # no waiting needed: the file is free
    assert done.returncode == 0, done.stderr


@pytest.mark.browser
@pytest.mark.slow
def test_a_cli_ingest_while_the_app_serves_shows_up_on_the_next_rerun(browser, tmp_path: Path) -> None:
    db_file = tmp_path / "served.duckdb"  # the browser fixture has made sure Chromium is there
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    tab = context.new_page()
    try:
        with streamlit_server("app.py", db_file, tmp_path / "streamlit.log") as url:
            tab.goto(url + "/my_facility")
            wait_for_app(tab)
            tab.get_by_text("No datasets yet").wait_for(timeout=60000)
            # The page has just run: the app still holds the file, so the command waits its turn.
            done = _cli(db_file, "ingest", str(SAMPLE), "--dataset", "nightly import")
            assert done.returncode == 0, done.stderr
            assert json.loads(done.stdout)["dataset"] == "nightly import"
            listed = _cli(db_file, "datasets")
            assert [item["dataset"] for item in json.loads(listed.stdout)["items"]] == ["nightly import"]
            tab.reload()
            wait_for_app(tab)
            # The datasets table lists it (its cells sit in the grid's accessibility layer).
            tab.get_by_text("nightly import").first.wait_for(state="attached", timeout=30000)
            assert tab.get_by_text("No datasets yet").count() == 0
    finally:
        context.close()


def test_hold_reopens_a_connection_that_died_while_lingering(tmp_path: Path) -> None:
    db_file = tmp_path / "revived.duckdb"
    with db.hold(db_file) as first:
        pass
    first.close()  # what a DuckDB-invalidated connection looks like to the next holder
    with db.hold(db_file) as second:
        assert second is not first and second.execute("SELECT 1").fetchone() == (1,)
