"""Commands over the database: ``build`` (reference tables), ``ingest``, ``stranded``, ``owner``, ``move-store``."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from factorycore import db
from factorycore.userdata import kinds

INGEST_MEMORY_LIMIT = "1GB"  # keeps a 10-million-row ingest well under 2 GB (DuckDB spills to disk)


def _build(args: argparse.Namespace) -> dict[str, Any]:
    con = db.open_database(build=False)
    try:
        rebuilt = db.build_reference(con, force=args.force)
        tables = {t: con.execute(f"SELECT count(*) FROM ref.{t}").fetchone()[0] for t in db.schema.TABLES}
    finally:
        con.close()
    return {"path": str(db.db_path()), "rebuilt": rebuilt, "tables": tables}


def _pairs(items: list[str] | None, flag: str) -> dict[str, str]:
    """{'field': 'value'} from repeated ``FIELD=VALUE`` flags; a malformed one is a usage error."""
    from factorycore.cli import UsageError

    out: dict[str, str] = {}
    for item in items or []:
        key, sep, value = item.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise UsageError(f"{flag} {item!r}: expected FIELD=VALUE, e.g. {flag} power_kw='Power (W)'")
        out[key.strip()] = value.strip()
    return out


def _ingest(args: argparse.Namespace) -> dict[str, Any]:
    from factorycore.cli import UsageError
    from factorycore.ownership import OwnershipError
    from factorycore.userdata import catalog, ingest, profiles
    from factorycore.userdata.catalog import DatasetError

    path = Path(args.file)
    if path.is_dir():
        raise UsageError(f"{args.file}: is a folder, not a CSV file")
    if not path.is_file():
        raise UsageError(f"{args.file}: no such file")
    columns = _pairs(args.map, "--map")
    units = _pairs(args.unit, "--unit")
    # `facility` needs no reference data, so an ingest works before `build` has run.
    con = db.open_database(build=False)
    try:
        con.execute(f"SET memory_limit = '{INGEST_MEMORY_LIMIT}'")
        kind, date_order, decimal, profile_name = args.kind, args.date_order, args.decimal, None
        if args.profile:
            saved = profiles.load(con, args.profile)
            if kind not in ("auto", saved.kind):
                raise UsageError(f"--kind {kind} contradicts profile {saved.name!r} (kind {saved.kind})")
            kind = saved.kind
            columns = {**saved.mapping, **columns}
            units = {**saved.units, **units}
            date_order = date_order or saved.date_order
            decimal = decimal or saved.decimal
            profile_name = saved.name
        choices = ingest.ReadChoices(
            units=units,
            date_order=date_order,
            decimal=decimal,
            profile=profile_name,
            columns=columns,
        )
        host_racks = catalog.get_dataset(con, name=args.host_racks) if args.host_racks else None
        result = ingest.ingest(
            con,
            path,
            kind=kind,
            name=args.dataset,
            source_file=path.name,
            sheet=args.sheet,
            host_racks=host_racks,
            owner=args.owner,
            choices=choices,
        )
        out = result.as_dict()
        if args.save_profile:
            saved = profiles.save(con, profiles.from_result(args.save_profile, result, decimal))
            out["profile_saved"] = saved.name
    except (ingest.UnreadableFile, DatasetError, OwnershipError) as exc:
        raise UsageError(f"{path.name}: {exc}") from None
    finally:
        con.close()
    return out


def _stranded(args: argparse.Namespace) -> dict[str, Any]:
    from factorycore.cli import UsageError
    from factorycore.userdata import catalog, stranded
    from factorycore.userdata.catalog import DatasetError

    con = db.open_database(build=False)
    try:
        inventory = catalog.get_dataset(con, name=args.dataset)
        telemetry = catalog.get_dataset(con, name=args.telemetry) if args.telemetry else None
        feeds = catalog.get_dataset(con, name=args.feeds) if args.feeds else None
        host_map = catalog.get_dataset(con, name=args.host_racks) if args.host_racks else None
        result = stranded.stranded(con, inventory, telemetry, feeds=feeds, host_map=host_map, bucket_s=args.bucket)
    except DatasetError as exc:
        raise UsageError(str(exc)) from None
    finally:
        con.close()
    return result.as_dict()


def _bucket_seconds(text: str) -> int:
    from factorycore.cli.summary_commands import bucket_seconds

    return bucket_seconds(text)


def _owner(args: argparse.Namespace) -> dict[str, Any]:
    from factorycore import scenarios
    from factorycore.cli import UsageError
    from factorycore.ownership import OwnershipError
    from factorycore.userdata import catalog

    if args.to is None and not args.none:
        raise UsageError("say who gets it (--to USER) or --none to leave it without an owner")
    con = db.open_database(build=False)
    try:
        if args.what == "dataset":
            catalog.set_owner(con, args.name, args.to)
        else:
            scenarios.set_owner(con, args.name, args.to)
    except (catalog.DatasetError, scenarios.ScenarioError, OwnershipError) as exc:
        raise UsageError(str(exc)) from None
    finally:
        con.close()
    return {args.what: args.name, "owner": args.to}


def _move_store(args: argparse.Namespace) -> dict[str, Any]:
    from factorycore import store
    from factorycore.cli import UsageError

    config = store.StoreConfig.from_env()
    if config.team_url is None:
        raise UsageError("move-store copies into the team store: set FACTORY_STORE=postgresql://user@host:port/db")
    from factorycore import store_move
    from factorycore.store import embedded

    return store_move.move(Path(args.source).expanduser(), embedded.team_store(config))


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add the database commands to the parser."""
    build = sub.add_parser("build", parents=[common], help="build the reference tables from data/")
    build.add_argument("--force", action="store_true", help="rebuild even if the CSVs are unchanged")
    build.set_defaults(handler=_build)

    ingest = sub.add_parser(
        "ingest",
        parents=[common],
        help=f"validate a facility CSV ({', '.join(kinds.names())}) and store it as a shared dataset",
    )
    ingest.add_argument(
        "file",
        metavar="FILE",
        help="CSV file (.csv, .tsv, .txt, optionally .gz), Excel .xlsx/.xlsm, "
        "Parquet, or DCGM GPU power as a Prometheus scrape or query_range JSON",
    )
    ingest.add_argument("--sheet", metavar="NAME", default=None, help="the workbook sheet (default: the first)")
    ingest.add_argument(
        "--host-racks",
        metavar="DATASET",
        default=None,
        help="a host-to-rack map (e.g. NetBox devices) for DCGM hosts (default: a rack label on every series, "
        "else power per node), and for the devices of a file without a rack column, such as NetBox's power ports",
    )
    ingest.add_argument(
        "--kind",
        choices=("auto", *kinds.names()),
        default="auto",
        help="what the file holds (default: detect from the headers)",
    )
    ingest.add_argument(
        "--dataset",
        metavar="NAME",
        default=None,
        help="dataset name: 1-64 letters, digits, spaces, - _ . (default: from the file name)",
    )
    ingest.add_argument(
        "--map",
        action="append",
        metavar="FIELD=COLUMN",
        help="read FIELD from the column headed COLUMN (repeatable; fields not given are detected), "
        "e.g. --map rack_id=Cabinet --map design_kw='Max kW'",
    )
    ingest.add_argument(
        "--unit",
        action="append",
        metavar="FIELD=UNIT",
        help="the unit of a power field whose header names none: W, kW, MW, VA or kVA (VA read as W); "
        "°C or °F for a temperature (repeatable)",
    )
    ingest.add_argument(
        "--date-order",
        choices=("dmy", "mdy", "ymd"),
        default=None,
        help="day/month order of dates such as 03/06/2025, where no date in the file decides it "
        "(dmy: UK and most of Europe; mdy: US)",
    )
    ingest.add_argument(
        "--decimal",
        choices=("point", "comma"),
        default=None,
        help="the decimal mark of numbers such as 1.070 or 1,070, where nothing in the file decides it "
        "(comma: German, French Excel)",
    )
    ingest.add_argument(
        "--save-profile",
        metavar="NAME",
        default=None,
        help="after storing, save how this file was read (kind, columns, units, date order, decimal mark) as NAME",
    )
    ingest.add_argument(
        "--profile",
        metavar="NAME",
        default=None,
        help="read the file as the saved profile NAME says (flags given as well take precedence)",
    )
    ingest.add_argument(
        "--owner",
        metavar="USER",
        default=None,
        help="the signed-in user (e-mail, else subject) who may rename or delete it in the app "
        "(default: no owner, read-only where sign-in is configured)",
    )
    ingest.set_defaults(handler=_ingest)

    strand = sub.add_parser(
        "stranded",
        parents=[common],
        help="allocated against measured power of a shared rack inventory (stranded capacity)",
    )
    strand.add_argument("dataset", metavar="DATASET", help="a rack inventory dataset")
    strand.add_argument(
        "--telemetry",
        metavar="DATASET",
        default=None,
        help="a telemetry dataset of the same site, joined on rack_id (default: the inventory's measured_kw column)",
    )
    strand.add_argument(
        "--feeds",
        metavar="DATASET",
        default=None,
        help="power feeds: a rack without a design kW is allocated its feed capacity (A+B counted once)",
    )
    strand.add_argument(
        "--host-racks",
        metavar="DATASET",
        default=None,
        help="a dataset with a host and a rack column rolling node telemetry up to racks",
    )
    strand.add_argument(
        "--bucket",
        type=_bucket_seconds,
        default=None,
        metavar="SIZE",
        help="the bucket a rack's sources are summed in: 60s, 1m, 15m (default: the data's own interval)",
    )
    strand.set_defaults(handler=_stranded)

    owner = sub.add_parser(
        "owner",
        parents=[common],
        help="give a shared dataset or a scenario to a user (who may then rename or delete it)",
    )
    owner.add_argument("what", choices=("dataset", "scenario"))
    owner.add_argument("name", metavar="NAME")
    who = owner.add_mutually_exclusive_group()
    who.add_argument("--to", metavar="USER", default=None, help="the user's e-mail (else subject) as signed in")
    who.add_argument("--none", action="store_true", help="remove the owner (read-only where sign-in is configured)")
    owner.set_defaults(handler=_owner)

    move = sub.add_parser(
        "move-store",
        parents=[common],
        help="copy an embedded store's datasets and scenarios into the team store (FACTORY_STORE)",
    )
    move.add_argument(
        "--from",
        dest="source",
        metavar="FILE",
        default=str(db.DEFAULT_DB_PATH),
        help="the embedded DuckDB file, only read (default: data/factory.duckdb)",
    )
    move.set_defaults(handler=_move_store)
