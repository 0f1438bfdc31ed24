"""Plant commands: electrical (UPS, generators, utility), runway (Monte Carlo), output (MLPerf).

Handlers call the engine and return its ``as_dict()``; an engine ValueError becomes a
UsageError (exit 2, one line), as in :mod:`factorycore.cli.engine_commands`.
"""

from __future__ import annotations

import argparse
from typing import Any

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
from factorycore.power import DEFAULT_PUE


def _electrical(args: argparse.Namespace) -> dict[str, Any]:
    return _engine(lambda: electrical_plant(
        args.it_kw, args.pue, args.redundancy, args.ups_module_kw, args.generator_kw,
        args.generator_redundancy, args.power_factor,
    )).as_dict()


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add the plant commands to the parser."""
    electrical = sub.add_parser("electrical", parents=[common],
                                help="UPS modules, generators and utility demand under a redundancy scheme")
    electrical.add_argument("--it-kw", type=valid.positive_float, required=True, help="critical IT load, kW")
    electrical.add_argument("--pue", type=valid.pue, default=DEFAULT_PUE, help="power usage effectiveness (>= 1)")
    electrical.add_argument("--redundancy", choices=REDUNDANCY_SCHEMES, default=DEFAULT_UPS_REDUNDANCY,
                            help="UPS redundancy scheme")
    electrical.add_argument("--ups-module-kw", type=valid.positive_float, default=DEFAULT_UPS_MODULE_KW,
                            help="UPS module size, kW")
    electrical.add_argument("--generator-kw", type=valid.positive_float, default=DEFAULT_GENERATOR_KW,
                            help="generator set size, kW")
    electrical.add_argument("--generator-redundancy", choices=REDUNDANCY_SCHEMES,
                            default=DEFAULT_GENERATOR_REDUNDANCY, help="generator redundancy scheme")
    electrical.add_argument("--power-factor", type=valid.unit_fraction, default=DEFAULT_POWER_FACTOR,
                            help="UPS output power factor, in (0, 1] (kVA = kW / power factor)")
    electrical.set_defaults(handler=_electrical)
