"""Plant commands: electrical (UPS, generators, utility), runway (Monte Carlo), output (MLPerf).

Handlers call the engine and return its ``as_dict()``; an engine ValueError becomes a
UsageError (exit 2, one line), as in :mod:`factorycore.cli.engine_commands`.
"""

from __future__ import annotations

import argparse
from typing import Any

from factorycore import db, hardware, reference
from factorycore.cli import UsageError, climate_commands
from factorycore.cli import args as valid
from factorycore.cli.engine_commands import _engine
from factorycore.electrical import (
    DEFAULT_GENERATOR_KW,
    DEFAULT_GENERATOR_REDUNDANCY,
    DEFAULT_POWER_FACTOR,
    DEFAULT_UPS_MODULE_KW,
    DEFAULT_UPS_REDUNDANCY,
    REDUNDANCY_SCHEMES,
    electrical_plant,
)
from factorycore.growth import DEFAULT_END_YEAR, DEFAULT_START_YEAR
from factorycore.power import DEFAULT_PUE, DEFAULT_UTILIZATION
from factorycore.runway import CONSTRAINT_LOADS, DEFAULT_RUNS, MAX_RUNS, runway
from factorycore.throughput import DEFAULT_SCENARIO, SCENARIOS, system_output


def _electrical(args: argparse.Namespace) -> dict[str, Any]:
    site = climate_commands.apply_site(args, args.it_kw, design=True)
    result = _engine(
        lambda: electrical_plant(
            args.it_kw,
            args.pue,
            args.redundancy,
            args.ups_module_kw,
            args.generator_kw,
            args.generator_redundancy,
            args.power_factor,
        )
    ).as_dict()
    return {**result, "site": site} if site else result


def _constraint(text: str) -> tuple[str, float]:
    name, sep, value = text.partition("=")
    if not sep:
        raise argparse.ArgumentTypeError(f"{text!r} is not NAME=MW (e.g. ups=4.5)")
    return name.strip().lower(), valid.positive_float(value)


def _runs(text: str) -> int:
    value = valid.positive_int(text)
    if value > MAX_RUNS:
        raise argparse.ArgumentTypeError(f"{text} runs is more than the limit of {MAX_RUNS:,}")
    return value


def _runway(args: argparse.Namespace) -> dict[str, Any]:
    constraints: dict[str, float] = {}
    for name, value in args.constraint or []:
        if name in constraints:
            raise UsageError(f"constraint {name!r} is given twice")
        constraints[name] = value
    site = climate_commands.apply_site(args, 1000.0)
    result = _engine(
        lambda: runway(
            args.load_mw,
            args.capacity_mw,
            args.growth,
            args.growth_sd,
            constraints,
            pue=args.pue,
            pue_sd=args.pue_sd,
            utilization=args.utilization,
            utilization_sd=args.utilization_sd,
            density_growth=args.density_growth,
            density_sd=args.density_sd,
            runs=args.runs,
            seed=args.seed,
            start_year=args.start_year,
            end_year=args.end_year,
        )
    ).as_dict()
    return {**result, "site": site} if site else result


def _output(args: argparse.Namespace) -> dict[str, Any]:
    con = db.open_database()
    try:
        catalog, rows = hardware.load_catalog(con), reference.throughput(con)
    finally:
        con.close()
    return _engine(lambda: system_output(rows, catalog, args.system, args.benchmark, args.scenario, args.pue)).as_dict()


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add the plant commands to the parser."""
    electrical = sub.add_parser(
        "electrical", parents=[common], help="UPS modules, generators and utility demand under a redundancy scheme"
    )
    electrical.add_argument("--it-kw", type=valid.positive_float, required=True, help="critical IT load, kW")
    electrical.add_argument("--pue", type=valid.pue, default=DEFAULT_PUE, help="power usage effectiveness (>= 1)")
    electrical.add_argument(
        "--redundancy", choices=REDUNDANCY_SCHEMES, default=DEFAULT_UPS_REDUNDANCY, help="UPS redundancy scheme"
    )
    electrical.add_argument(
        "--ups-module-kw", type=valid.positive_float, default=DEFAULT_UPS_MODULE_KW, help="UPS module size, kW"
    )
    electrical.add_argument(
        "--generator-kw", type=valid.positive_float, default=DEFAULT_GENERATOR_KW, help="generator set size, kW"
    )
    electrical.add_argument(
        "--generator-redundancy",
        choices=REDUNDANCY_SCHEMES,
        default=DEFAULT_GENERATOR_REDUNDANCY,
        help="generator redundancy scheme",
    )
    electrical.add_argument(
        "--power-factor",
        type=valid.unit_fraction,
        default=DEFAULT_POWER_FACTOR,
        help="UPS output power factor, in (0, 1] (kVA = kW / power factor)",
    )
    climate_commands.add_site_flags(electrical)
    electrical.set_defaults(handler=_electrical)

    run = sub.add_parser(
        "runway", parents=[common], help="Monte Carlo: P10/P50/P90 year each capacity runs out, and which binds first"
    )
    run.add_argument(
        "--load-mw", type=valid.non_negative_float, required=True, help="facility load in the start year, MW"
    )
    run.add_argument("--capacity-mw", type=valid.positive_float, required=True, help="utility capacity, MW")
    run.add_argument(
        "--constraint",
        type=_constraint,
        action="append",
        metavar="NAME=MW",
        help=f"another capacity ({', '.join(n for n in CONSTRAINT_LOADS if n != 'utility')}); repeatable",
    )
    run.add_argument("--growth", type=valid.any_float, required=True, help="central annual growth (0.2 = 20 %%)")
    run.add_argument(
        "--growth-sd", type=valid.non_negative_float, default=0.0, help="standard deviation of each year's growth"
    )
    run.add_argument("--pue", type=valid.pue, default=DEFAULT_PUE, help="central PUE")
    run.add_argument("--pue-sd", type=valid.non_negative_float, default=0.0, help="standard deviation of PUE")
    run.add_argument(
        "--utilization", type=valid.unit_fraction, default=DEFAULT_UTILIZATION, help="central utilisation, in (0, 1]"
    )
    run.add_argument(
        "--utilization-sd", type=valid.non_negative_float, default=0.0, help="standard deviation of utilisation"
    )
    run.add_argument(
        "--density-growth",
        type=valid.any_float,
        default=0.0,
        help="annual rack-density growth (scales the floor capacity)",
    )
    run.add_argument(
        "--density-sd", type=valid.non_negative_float, default=0.0, help="standard deviation of rack-density growth"
    )
    run.add_argument("--runs", type=_runs, default=DEFAULT_RUNS, help="number of Monte Carlo runs")
    run.add_argument("--seed", type=int, default=None, help="random seed (same seed, same answer)")
    run.add_argument("--start-year", type=valid.year, default=DEFAULT_START_YEAR)
    run.add_argument("--end-year", type=valid.year, default=DEFAULT_END_YEAR)
    climate_commands.add_site_flags(run)
    run.set_defaults(handler=_runway)

    output = sub.add_parser(
        "output", parents=[common], help="MLPerf Inference throughput of a system, per MW of facility power"
    )
    output.add_argument("--system", metavar="ID", required=True, help="catalog system id (see `catalog`)")
    output.add_argument(
        "--benchmark",
        metavar="NAME",
        default=None,
        help="MLPerf benchmark, e.g. llama2-70b-99 or llama3.1-405b (default: the system's first)",
    )
    output.add_argument("--scenario", choices=SCENARIOS, default=DEFAULT_SCENARIO, help="MLPerf scenario")
    output.add_argument("--pue", type=valid.pue, default=DEFAULT_PUE, help="power usage effectiveness (>= 1)")
    output.set_defaults(handler=_output)
