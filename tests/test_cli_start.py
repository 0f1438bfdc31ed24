"""The command line starts light: a command loads only its own module, and read commands never load pandas."""

from __future__ import annotations

import argparse
import ast
import importlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from factorycore.cli import COMMAND_MODULES

REPO = Path(__file__).resolve().parent.parent


def test_the_command_table_names_exactly_what_each_module_registers() -> None:
    for module, commands in COMMAND_MODULES.items():
        parser = argparse.ArgumentParser()
        sub = parser.add_subparsers()
        importlib.import_module(module).register(sub, argparse.ArgumentParser(add_help=False))
        assert tuple(sub.choices) == commands, module


@pytest.mark.parametrize("argv", [["datasets"], ["ingest", "data/samples/telemetry_sample.csv"]])
def test_reading_and_ingesting_never_import_pandas_or_numpy(argv: list[str], tmp_path: Path) -> None:
    probe = (
        "import sys; from factorycore.cli import main; code = main(sys.argv[1:] + ['--format', 'json']); "
        "print(sorted(m for m in ('pandas', 'numpy', 'plotly') if m in sys.modules)); sys.exit(code)"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, *argv],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        env={"FACTORY_DB": str(tmp_path / "cli.duckdb"), "PATH": "/usr/bin:/bin"},
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_listing_datasets_loads_only_the_catalog(tmp_path: Path) -> None:
    """`datasets` needs neither the kinds' specs nor any other command group's module."""
    probe = (
        "import sys; from factorycore.cli import main; code = main(['datasets', '--format', 'json']); "
        "print(sorted(m for m in sys.modules if m.startswith('factorycore.'))); sys.exit(code)"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        env={"FACTORY_DB": str(tmp_path / "cli.duckdb"), "PATH": "/usr/bin:/bin"},
    )
    assert done.returncode == 0, done.stderr
    loaded = ast.literal_eval(done.stdout.strip().splitlines()[-1])
    assert "factorycore.userdata.kinds" not in loaded and "factorycore.cli.data_commands" not in loaded
    assert "factorycore.cli.list_commands" in loaded and "factorycore.userdata.catalog" in loaded


def test_the_command_line_skips_only_the_teardown(tmp_path: Path) -> None:
    """``python -m factorycore`` ends with os._exit, yet runs the atexit handlers and writes all its output."""
    marker = tmp_path / "atexit-ran"
    probe = (
        "import atexit, pathlib, runpy, sys; atexit.register(pathlib.Path(sys.argv[1]).write_text, 'ran'); "
        "sys.argv = ['factorycore', 'catalog', '--format', 'json']; "
        "runpy.run_module('factorycore', run_name='__main__')"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, str(marker)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        env={"FACTORY_DB": str(tmp_path / "cli.duckdb"), "PATH": "/usr/bin:/bin"},
    )
    assert done.returncode == 0, done.stderr
    assert len(json.loads(done.stdout)["items"]) > 5  # the whole object arrived (it is one line of JSON)
    assert marker.read_text() == "ran"


def test_a_failed_command_keeps_its_exit_status_through_the_fast_exit(tmp_path: Path) -> None:
    damaged = tmp_path / "damaged.duckdb"
    damaged.write_bytes(b"not a database" * 100)
    done = subprocess.run(
        [sys.executable, "-m", "factorycore", "datasets"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        env={"FACTORY_DB": str(damaged), "PATH": "/usr/bin:/bin"},
    )
    assert done.returncode == 1
    assert done.stderr.startswith("factorycore datasets: ") and "not a valid DuckDB database" in done.stderr
