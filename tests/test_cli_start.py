"""The command line starts light: a command loads only its own module, and read commands never load pandas."""

from __future__ import annotations

import argparse
import ast
import importlib
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
    probe = ("import sys; from factorycore.cli import main; code = main(sys.argv[1:] + ['--format', 'json']); "
             "print(sorted(m for m in ('pandas', 'numpy', 'plotly') if m in sys.modules)); sys.exit(code)")
    done = subprocess.run([sys.executable, "-c", probe, *argv], cwd=REPO, capture_output=True, text=True, timeout=120,
                          env={"FACTORY_DB": str(tmp_path / "cli.duckdb"), "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_listing_datasets_loads_only_the_catalog(tmp_path: Path) -> None:
    """`datasets` needs neither the kinds' specs nor any other command group's module."""
    probe = ("import sys; from factorycore.cli import main; code = main(['datasets', '--format', 'json']); "
             "print(sorted(m for m in sys.modules if m.startswith('factorycore.'))); sys.exit(code)")
    done = subprocess.run([sys.executable, "-c", probe], cwd=REPO, capture_output=True, text=True, timeout=120,
                          env={"FACTORY_DB": str(tmp_path / "cli.duckdb"), "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr
    loaded = ast.literal_eval(done.stdout.strip().splitlines()[-1])
    assert "factorycore.userdata.kinds" not in loaded and "factorycore.cli.data_commands" not in loaded
    assert "factorycore.cli.list_commands" in loaded and "factorycore.userdata.catalog" in loaded
