"""Two real app processes on one PostgreSQL: a dataset ingested by the command line shows in both."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from devkit.server import streamlit_server

REPO = Path(__file__).resolve().parents[2]
TIMEOUT_MS = 60_000
pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.server]


def test_two_app_processes_see_the_same_team_store(team_url, page, tmp_path: Path) -> None:
    with (
        streamlit_server("app.py", tmp_path / "a.duckdb", tmp_path / "a.log") as first,
        streamlit_server("app.py", tmp_path / "b.duckdb", tmp_path / "b.log") as second,
    ):
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "factorycore",
                "ingest",
                str(REPO / "data/samples/racks_sample.csv"),
                "--dataset",
                "Shared hall",
            ],
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        for url in (first, second):
            page.goto(url + "/my_facility")
            # the datasets table is a canvas grid: its cells are in the page, not "visible"
            page.get_by_text("Shared hall", exact=True).first.wait_for(state="attached", timeout=TIMEOUT_MS)
    assert not (tmp_path / "a.duckdb").exists() and not (tmp_path / "b.duckdb").exists(), (
        "with a team store no app process writes a DuckDB file"
    )
