"""Engine commands: power, cooling, fleet, growth, catalog (contract: docs/command-line.md).

Handlers call the engine and return its ``as_dict()``; an engine ValueError (an
impossible value the flag validators could not see) becomes a UsageError, exit 2.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any, TypeVar

from factorycore import db, hardware
from factorycore import fleet as fleet_sizing
from factorycore.cli import UsageError, climate_commands
from factorycore.cli import args as valid
from factorycore.cooling import COOLANTS, TECHNOLOGIES, cooling_projection
from factorycore.electrical import REDUNDANCY_SCHEMES
from factorycore.growth import DEFAULT_END_YEAR, DEFAULT_START_YEAR, load_growth
from factorycore.liquid_loop import (
    DEFAULT_CDU_KW,
    DEFAULT_CDU_REDUNDANCY,
    DEFAULT_FACILITY_CLASS,
    DEFAULT_FACILITY_DELTA_T_K,
    FACILITY_CLASSES,
    liquid_loop,
)
from factorycore.power import (
    DEFAULT_GRID_KG_CO2E_PER_KWH,
    DEFAULT_PRICE_USD_PER_KWH,
    DEFAULT_PUE,
    DEFAULT_UTILIZATION,
    DEFAULT_WUE_L_PER_KWH,
    power_projection,
)

T = TypeVar("T")


def _engine(call: Callable[[], T]) -> T:
    try:
        return call()
    except ValueError as exc:
        raise UsageError(str(exc)) from None


def _power(args: argparse.Namespace) -> dict[str, Any]:
    site = climate_commands.apply_site(args, args.it_kw * args.utilization)
    result = _engine(
        lambda: power_projection(args.it_kw, args.pue, args.utilization, args.price, args.grid, args.wue)
    ).as_dict()
    return {**result, "site": site} if site else result


def _cooling(args: argparse.Namespace) -> dict[str, Any]:
    result = _engine(
        lambda: cooling_projection(
            args.heat_kw, args.technology, args.capture, args.delta_t, args.air_delta_t, args.coolant, args.rack_kw
        )
    )
    loop = _engine(
        lambda: liquid_loop(
            result.liquid_kw,
            args.technology,
            args.cdu_kw,
            args.cdu_redundancy,
            args.facility_delta_t,
            args.facility_class,
        )
    )
    return {**result.as_dict(), **loop.as_dict()}


def _load_catalog() -> dict[str, hardware.Hardware]:
    con = db.open_database()
    try:
        return hardware.load_catalog(con)
    finally:
        con.close()


def _fleet(args: argparse.Namespace) -> dict[str, Any]:
    catalog = _load_catalog()
    kind = "system" if args.system is not None else "accelerator"
    item = _engine(lambda: hardware.lookup(catalog, args.system or args.accelerator, kind))
    return _engine(
        lambda: fleet_sizing.size(item, catalog, args.count, args.rack_kw, args.pue, args.basis, args.cooling)
    ).as_dict()


def _growth(args: argparse.Namespace) -> dict[str, Any]:
    return _engine(
        lambda: load_growth(args.load_mw, args.capacity_mw, args.growth, args.start_year, args.end_year)
    ).as_dict()


def _catalog(args: argparse.Namespace) -> dict[str, Any]:
    return {"items": hardware.catalog_items(_load_catalog())}


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add the engine commands to the parser."""
    power = sub.add_parser("power", parents=[common], help="IT load to facility power, energy, cost, carbon, water")
    power.add_argument("--it-kw", type=valid.non_negative_float, required=True, help="IT load in kW")
    power.add_argument("--pue", type=valid.pue, default=DEFAULT_PUE, help="power usage effectiveness (>= 1)")
    power.add_argument(
        "--utilization",
        type=valid.unit_fraction,
        default=DEFAULT_UTILIZATION,
        help="average share of the IT load drawn over the year, in (0, 1]",
    )
    power.add_argument("--price", type=valid.non_negative_float, default=DEFAULT_PRICE_USD_PER_KWH, help="USD per kWh")
    power.add_argument(
        "--grid",
        type=valid.non_negative_float,
        default=DEFAULT_GRID_KG_CO2E_PER_KWH,
        help="grid carbon intensity, kg CO2e per kWh",
    )
    power.add_argument(
        "--wue",
        type=valid.non_negative_float,
        default=DEFAULT_WUE_L_PER_KWH,
        help="water usage effectiveness, litres per kWh of IT energy",
    )
    climate_commands.add_site_flags(power)
    power.set_defaults(handler=_power)

    cooling = sub.add_parser("cooling", parents=[common], help="heat split between liquid and air, flows, tons")
    cooling.add_argument("--heat-kw", type=valid.non_negative_float, required=True, help="heat to reject, kW")
    cooling.add_argument("--technology", choices=TECHNOLOGIES, default="air", help="cooling technology")
    cooling.add_argument(
        "--capture",
        type=valid.closed_fraction,
        default=None,
        help="liquid share of heat in [0, 1] (default per technology)",
    )
    cooling.add_argument("--delta-t", type=valid.positive_float, default=10.0, help="liquid temperature rise, K")
    cooling.add_argument("--air-delta-t", type=valid.positive_float, default=12.0, help="air temperature rise, K")
    cooling.add_argument("--coolant", choices=tuple(COOLANTS), default="water", help="liquid coolant")
    cooling.add_argument(
        "--rack-kw", type=valid.positive_float, default=None, help="rack power, kW, to judge feasibility"
    )
    cooling.add_argument(
        "--cdu-kw",
        type=valid.positive_float,
        default=DEFAULT_CDU_KW,
        help="capacity of one coolant distribution unit, kW",
    )
    cooling.add_argument(
        "--cdu-redundancy", choices=REDUNDANCY_SCHEMES, default=DEFAULT_CDU_REDUNDANCY, help="CDU redundancy scheme"
    )
    cooling.add_argument(
        "--facility-delta-t",
        type=valid.positive_float,
        default=DEFAULT_FACILITY_DELTA_T_K,
        help="facility water temperature rise across the CDUs, K",
    )
    cooling.add_argument(
        "--facility-class",
        choices=tuple(FACILITY_CLASSES),
        default=DEFAULT_FACILITY_CLASS,
        help="ASHRAE liquid-cooling class of the facility water",
    )
    cooling.set_defaults(handler=_cooling)

    fleet = sub.add_parser(
        "fleet", parents=[common], help="systems or GPUs, in whole platforms, to IT kW, racks, facility kW"
    )
    what = fleet.add_mutually_exclusive_group(required=True)
    what.add_argument("--system", metavar="ID", help="catalog system id (see `catalog`)")
    what.add_argument("--accelerator", metavar="ID", help="catalog accelerator id (see `catalog`)")
    fleet.add_argument(
        "--count",
        type=valid.positive_int,
        required=True,
        help="number of systems, or of GPUs with --accelerator (rounded up to whole platforms)",
    )
    fleet.add_argument(
        "--rack-kw",
        type=valid.positive_float,
        default=None,
        help="rack power budget, kW (default: the platform's own reference rack)",
    )
    fleet.add_argument("--pue", type=valid.pue, default=DEFAULT_PUE, help="power usage effectiveness (>= 1)")
    fleet.add_argument(
        "--basis",
        choices=hardware.SIZING_BASES,
        default=hardware.DEFAULT_BASIS,
        help="which published power figure sizes the fleet (default: maximum)",
    )
    fleet.add_argument(
        "--cooling",
        choices=fleet_sizing.RACK_COOLING,
        default=None,
        help="how the racks are cooled; a liquid-only platform is refused in air racks",
    )
    fleet.set_defaults(handler=_fleet)

    growth = sub.add_parser("growth", parents=[common], help="compound load growth and capacity-exhaustion year")
    growth.add_argument("--load-mw", type=valid.non_negative_float, required=True, help="load in the start year, MW")
    growth.add_argument("--capacity-mw", type=valid.positive_float, required=True, help="site capacity, MW")
    growth.add_argument(
        "--growth", type=valid.any_float, required=True, help="annual growth as a fraction (0.2 = 20 %%)"
    )
    growth.add_argument("--start-year", type=valid.year, default=DEFAULT_START_YEAR)
    growth.add_argument("--end-year", type=valid.year, default=DEFAULT_END_YEAR)
    growth.set_defaults(handler=_growth)

    catalog = sub.add_parser(
        "catalog",
        parents=[common],
        help="accelerators and systems with power, cooling and every published power figure",
    )
    catalog.set_defaults(handler=_catalog)
