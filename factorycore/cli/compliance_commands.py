"""``compliance``: a year's reporting KPIs and verdicts; ``ingest-energy``: energy registers into a meter dataset."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import Any

from factorycore import db


def _typed(pairs: list[str] | None) -> dict[str, str]:
    from factorycore.cli import UsageError

    typed = {}
    for pair in pairs or []:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise UsageError(f"--field takes NAME=VALUE, not {pair!r}")
        typed[key.strip()] = value.strip()
    return typed


def _compliance(args: argparse.Namespace) -> dict[str, Any]:
    from factorycore.cli import UsageError
    from factorycore.compliance import ComplianceError, assess
    from factorycore.compliance import sheet as sheet_mod
    from factorycore.userdata import catalog

    commissioned = None
    if args.commissioned:
        try:
            commissioned = date.fromisoformat(args.commissioned)
        except ValueError:
            raise UsageError(f"--commissioned takes a date YYYY-MM-DD, not {args.commissioned!r}") from None
    con = db.open_database()
    try:
        try:
            infos = [catalog.get_dataset(con, name=name) for name in args.datasets]
        except catalog.DatasetError as exc:
            raise UsageError(str(exc)) from None
        try:
            result = assess(
                con, infos, args.year, args.regime, site=args.site, commissioned=commissioned, typed=_typed(args.field)
            )
        except ComplianceError as exc:
            raise UsageError(str(exc)) from None
        out = result.as_dict()
        for flag, writer in (("sheet_csv", sheet_mod.to_csv), ("sheet_xlsx", sheet_mod.to_xlsx)):
            target = getattr(args, flag)
            if target:
                Path(target).write_bytes(writer(result))
                out[flag] = str(target)
        return out
    finally:
        con.close()


def _ingest_energy(args: argparse.Namespace) -> dict[str, Any]:
    from factorycore.cli import UsageError
    from factorycore.userdata import energy

    files = []
    for channel in energy.CHANNELS:
        for spec in getattr(args, channel) or []:
            path, _, column = spec.partition("::")
            try:
                data = Path(path).read_bytes()
            except OSError as exc:
                raise UsageError(f"cannot read {path!r}: {exc.strerror or exc}") from None
            files.append((channel, Path(path).name, data, column or None))
    con = db.open_database()
    try:
        result, summaries = energy.ingest_registers(
            con, files, name=args.name, site=args.site, register=args.register, stamp=args.stamp
        )
    except ValueError as exc:  # EnergyFileError, an unreadable conversion, a taken name
        raise UsageError(str(exc)) from None
    finally:
        con.close()
    return {**result.as_dict(), "registers": summaries}


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add the compliance commands to the parser."""
    from factorycore.compliance.rules import REGIMES

    comp = sub.add_parser(
        "compliance",
        parents=[common],
        help="a year's PUE, WUE, ERF, REF, label classes and targets from meter datasets",
    )
    comp.add_argument("datasets", nargs="+", metavar="DATASET", help="meter datasets (each quantity from one of them)")
    comp.add_argument("--year", type=int, required=True, help="the calendar year reported")
    comp.add_argument("--regime", choices=tuple(REGIMES), default="eu-eed", help="eu-eed or de-enefg")
    comp.add_argument("--site", help="the site, when the datasets hold several")
    comp.add_argument("--commissioned", help="day the site began operating (EnEfG: new sites from 2026-07-01)")
    comp.add_argument(
        "--field", action="append", metavar="NAME=VALUE", help="a typed field (floor area, set points...)"
    )
    comp.add_argument("--sheet-csv", dest="sheet_csv", help="write the field sheet as CSV here")
    comp.add_argument("--sheet-xlsx", dest="sheet_xlsx", help="write the field sheet as XLSX here")
    comp.set_defaults(handler=_compliance)

    eng = sub.add_parser(
        "ingest-energy", parents=[common], help="store energy registers (interval or cumulative kWh) as a meter dataset"
    )
    from factorycore.userdata.energy import CHANNELS

    for channel in CHANNELS:
        eng.add_argument(
            f"--{channel.replace('_', '-')}",
            dest=channel,
            action="append",
            metavar="FILE[::COLUMN]",
            help=f"export holding the {channel.replace('_', ' ')} register",
        )
    eng.add_argument("--name", required=True, help="dataset name")
    eng.add_argument("--site", help="site name written on every row")
    eng.add_argument("--register", choices=("auto", "cumulative", "interval"), default="auto")
    eng.add_argument("--stamp", choices=("end", "start"), default="end", help="an interval value's timestamp marks")
    eng.set_defaults(handler=_ingest_energy)
