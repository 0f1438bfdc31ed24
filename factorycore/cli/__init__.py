"""The command line: ``python -m factorycore COMMAND [flags] [--format json|table]``.

Each command lives in a module of this package that exposes ``register(subparsers)``;
a handler takes the parsed arguments and returns a plain dict, which is printed as
exactly one JSON object or as a table. Bad flags or values exit 2 with one line on
stderr; any other failure exits 1 with one line. No traceback reaches the user
unless ``FACTORY_DEBUG`` is set.
"""

from __future__ import annotations

import argparse
import importlib
import json
import math
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any, NoReturn

from factorycore.cli.output import render_table

# Which module registers which commands: a command imports only its own module, so
# `datasets` starts without the engines' pandas and numpy (tests/test_cli_start.py
# checks this table against what each module registers).
COMMAND_MODULES: dict[str, tuple[str, ...]] = {
    "factorycore.cli.engine_commands": ("power", "cooling", "fleet", "growth", "catalog"),
    "factorycore.cli.climate_commands": ("climate",),
    "factorycore.cli.data_commands": ("build", "ingest", "stranded", "owner", "move-store"),
    "factorycore.cli.list_commands": ("datasets",),
    "factorycore.cli.export_commands": ("chart", "report"),
    "factorycore.cli.plant_commands": ("electrical", "runway", "output"),
    "factorycore.cli.compliance_commands": ("compliance", "ingest-energy"),
    "factorycore.cli.summary_commands": ("summary",),
    "factorycore.cli.live_commands": ("live-add", "live-refresh", "live-summary"),
}

Handler = Callable[[argparse.Namespace], dict[str, Any]]


class UsageError(ValueError):
    """A flag value the command cannot work with: exit status 2."""


class OneLineParser(argparse.ArgumentParser):
    """argparse, but a usage error is one line on stderr and exit status 2."""

    def error(self, message: str) -> NoReturn:
        sys.stderr.write(f"{self.prog}: error: {message}\n")
        raise SystemExit(2)


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser: for a known ``command`` only its module, else (help, a typo) every command module."""
    common = OneLineParser(add_help=False)
    common.add_argument("--format", choices=("table", "json"), default="table", help="output format")
    parser = OneLineParser(prog="factorycore", description="AI Factory Dashboard engine")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=OneLineParser)
    modules = [m for m, commands in COMMAND_MODULES.items() if command in commands] or list(COMMAND_MODULES)
    for name in modules:
        importlib.import_module(name).register(sub, common)
    return parser


def _finite(value: Any) -> bool:
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, dict):
        return all(_finite(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return all(_finite(v) for v in value)
    return True


def emit(result: dict[str, Any], fmt: str) -> None:
    """Print a command's result: one JSON object, or a readable table."""
    if fmt == "json":
        sys.stdout.write(json.dumps(result, allow_nan=False, default=str) + "\n")
    else:
        sys.stdout.write(render_table(result) + "\n")


def _damage_error(exc: Exception) -> Exception | None:
    """The damaged-database error for a DuckDB read that found the file damaged (DuckDB is loaded by then)."""
    if "duckdb" not in sys.modules:
        return None
    from factorycore import db  # noqa: PLC0415 - only once a command has failed

    return db.damage_error(exc)


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; return the process exit status."""
    argv = list(sys.argv[1:] if argv is None else argv)
    args = build_parser(argv[0] if argv else None).parse_args(argv)
    try:
        result = args.handler(args)
        if not _finite(result):
            raise UsageError("the inputs produce a non-finite result; check for zero or extreme values")
        emit(result, args.format)
        return 0
    except UsageError as exc:
        sys.stderr.write(f"factorycore {args.command}: error: {exc}\n")
        return 2
    except Exception as exc:  # noqa: BLE001 - the CLI's contract is one line, never a traceback
        if os.environ.get("FACTORY_DEBUG"):
            raise
        exc = _damage_error(exc) or exc  # a damaged file found on a read, said as when opening it
        message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        sys.stderr.write(f"factorycore {args.command}: {message}\n")
        return 1
