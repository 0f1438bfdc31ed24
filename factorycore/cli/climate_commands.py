"""The ``climate`` command: one plant on one weather, hour by hour; ``climate --list`` names stations and plants.

``python -m factorycore climate --weather greensboro_nc --architecture dlc-trim-chiller
--it-kw 2000 --facility-class W32 --cycles 5 --format json`` prints the keys of
:meth:`factorycore.climate.ClimateResult.as_dict`. A weather file or an unknown name,
architecture or assumption is a usage error (exit 2, one line naming the fix).
"""

from __future__ import annotations

import argparse
from typing import Any

from factorycore.cli import UsageError
from factorycore.cli import args as valid


def _assumption(text: str) -> tuple[str, float]:
    name, sep, value = text.partition("=")
    if not sep:
        raise argparse.ArgumentTypeError(f"{text!r} is not NAME=VALUE (e.g. tower_approach_k=3.5)")
    return name.strip(), valid.any_float(value)


def climate_inputs(args: argparse.Namespace) -> tuple[Any, Any]:
    """The weather and the plant assumptions named by the flags (shared with the planner's other commands)."""
    from factorycore import cooling_plant, weather

    try:
        site = _meter_weather(args.meter) if getattr(args, "meter", None) else weather.resolve(args.weather)
    except (OSError, ValueError) as exc:
        raise UsageError(str(exc)) from None
    overrides = dict(getattr(args, "assumption", None) or [])
    if getattr(args, "cycles", None) is not None:
        overrides["cycles_of_concentration"] = args.cycles
    try:
        assumptions = cooling_plant.with_overrides(None, **overrides)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    return site, assumptions


def _with_meter(name: str, work: Any) -> Any:
    """``work(con, info)`` on the stored meter dataset ``name`` (the database closed afterwards)."""
    from factorycore import db
    from factorycore.userdata import catalog

    con = db.open_database()
    try:
        return work(con, catalog.get_dataset(con, name=name))
    finally:
        con.close()


def _meter_weather(name: str) -> Any:
    from factorycore import meter_weather

    return _with_meter(name, meter_weather.meter_weather)


def _measured(args: argparse.Namespace) -> dict[str, Any]:
    from factorycore import meter_weather

    architecture = args.architecture or meter_weather.METER_BENCHMARK
    try:
        table = _with_meter(
            args.meter,
            lambda con, info: meter_weather.meter_against_model(con, info, architecture, w_class=args.facility_class),
        )
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    return {
        "meter": args.meter,
        "architecture": architecture,
        "months": [
            {k: (int(v) if k in ("month", "hours") else round(float(v), 4)) for k, v in row.items()}
            for row in table.to_dict("records")
        ],
    }


def _list() -> dict[str, Any]:
    from factorycore import cooling_plant, weather

    return {
        "stations": [
            {"station": s.station, "name": s.name, "climate": s.climate, "source_id": s.source_id, "status": s.status}
            for s in weather.stations().values()
        ],
        "architectures": [
            {"architecture": a.name, "label": a.label, "liquid_share": a.liquid_share, "note": a.note}
            for a in cooling_plant.ARCHITECTURES.values()
        ],
        "facility_classes": list(cooling_plant.W_CLASSES),
    }


def _climate(args: argparse.Namespace) -> dict[str, Any]:
    if args.list:
        return _list()
    if args.weather and args.meter:
        raise UsageError("give --weather or --meter, not both")
    if args.measured:
        if not args.meter:
            raise UsageError("--measured compares a stored meter with the model: give --meter NAME")
        return _measured(args)
    if not (args.weather or args.meter) or not args.architecture:
        raise UsageError("give --weather FILE|STATION (or --meter NAME) and --architecture NAME, or --list")
    from factorycore import climate

    site, assumptions = climate_inputs(args)
    try:
        result = climate.evaluate(
            site, args.architecture, args.it_kw, args.facility_class, args.liquid_share, assumptions
        )
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    return result.as_dict()


def apply_site(args: argparse.Namespace, it_kw: float, *, design: bool = False) -> dict[str, Any] | None:
    """With ``--weather``, set ``args.pue`` (annual, or the design hour's with ``design``), ``args.wue`` and
    ``args.pue_sd`` where the command has them from the hourly plant, and return what was used; else None.

    The plant's PUE does not depend on the IT load's size (every term scales with it), so a command
    without an IT load (``runway``) runs it at 1,000 kW.
    """
    if not getattr(args, "weather", None):
        if getattr(args, "architecture", None):
            raise UsageError("--architecture needs --weather FILE|STATION")
        return None
    if not args.architecture:
        raise UsageError("--weather needs --architecture NAME (see `climate --list`)")
    from factorycore import climate

    site, assumptions = climate_inputs(args)
    try:
        result = climate.evaluate(
            site, args.architecture, max(it_kw, 1e-6), args.facility_class, args.liquid_share, assumptions
        )
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    args.pue = max(result.design_pue, result.annual_pue) if design else result.annual_pue
    if hasattr(args, "wue"):
        args.wue = result.wue_l_per_kwh
    if hasattr(args, "pue_sd") and args.pue_sd == 0:
        args.pue_sd = result.pue_sd
    return {
        "station": result.station,
        "architecture": result.architecture,
        "facility_class": result.w_class,
        "pue_used": "design-hour PUE" if design else "annual PUE",
        "annual_pue": result.annual_pue,
        "design_pue": result.design_pue,
        "wue_l_per_kwh": result.wue_l_per_kwh,
        "pue_sd": result.pue_sd,
    }


def add_site_flags(parser: argparse.ArgumentParser) -> None:
    """``--weather`` and ``--architecture`` (and the class and cycles) for any command that takes a PUE."""
    parser.add_argument("--weather", metavar="FILE|STATION", help="weather file (EPW, TMY3, TMY2, CSV) or station id")
    parser.add_argument("--architecture", metavar="NAME", help="cooling plant (see `climate --list`)")
    parser.add_argument("--facility-class", default="W32", help="ASHRAE W-class of the liquid loop (W17-W45)")
    parser.add_argument("--liquid-share", type=valid.closed_fraction, default=None, help="liquid share of IT heat")
    parser.add_argument("--cycles", type=valid.positive_float, default=None, help="tower cycles of concentration")
    parser.add_argument(
        "--assumption", type=_assumption, action="append", metavar="NAME=VALUE", help="override a plant coefficient"
    )


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add the ``climate`` command."""
    parser = sub.add_parser(
        "climate", parents=[common], help="hourly cooling plant on a weather year: annual, design and monthly PUE, WUE"
    )
    parser.add_argument("--list", action="store_true", help="name the bundled stations and the architectures")
    parser.add_argument("--it-kw", type=valid.positive_float, default=1000.0, help="IT load, kW (default 1,000)")
    parser.add_argument("--meter", metavar="NAME", help="a stored facility meter's outdoor temperature as the weather")
    parser.add_argument(
        "--measured", action="store_true", help="with --meter: measured PUE against the model's, by month"
    )
    add_site_flags(parser)
    parser.set_defaults(handler=_climate)
