"""``summary DATASET``: one dataset's figures (racks' p95 and peak, the site's, capacity, energy) and how
each was computed (:mod:`factorycore.userdata.summary`)."""

from __future__ import annotations

import argparse
from typing import Any

from factorycore import db

SUMMARY_DECIMALS = 4  # kW to the watt and a tenth


def bucket_seconds(text: str) -> int:
    """argparse type: a bucket as seconds from '60', '60s', '1m', '15 min', '1h'."""
    from factorycore.userdata.rack_power import parse_bucket

    try:
        return parse_bucket(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _summary(args: argparse.Namespace) -> dict[str, Any]:
    from factorycore.cli import UsageError
    from factorycore.userdata import catalog, summary
    from factorycore.userdata.catalog import DatasetError

    con = db.open_database(build=False)
    try:

        def named(name: str | None) -> catalog.DatasetInfo | None:
            return catalog.get_dataset(con, name=name) if name else None

        info = catalog.get_dataset(con, name=args.dataset)
        result = summary.summarise(
            con,
            info,
            bucket_s=args.bucket,
            host_map=named(args.host_racks),
            feeds=named(args.feeds),
            inventory=named(args.design),
        )
        return summary.rounded(result, SUMMARY_DECIMALS)
    except DatasetError as exc:
        raise UsageError(str(exc)) from None
    finally:
        con.close()


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add the summary command to the parser."""
    cmd = sub.add_parser(
        "summary",
        parents=[common],
        help="a dataset's figures: each rack's p95 and peak kW (its sources summed), the site's, capacity, energy",
    )
    cmd.add_argument("dataset", metavar="DATASET", help="a shared dataset (see `datasets`)")
    cmd.add_argument(
        "--bucket",
        type=bucket_seconds,
        default=None,
        metavar="SIZE",
        help="the time bucket a rack's sources are summed in: 60s, 1m, 15m, 1h (default: the data's own interval)",
    )
    cmd.add_argument(
        "--host-racks",
        metavar="DATASET",
        default=None,
        help="a dataset with a host and a rack column (e.g. NetBox devices) rolling node readings up to racks",
    )
    cmd.add_argument(
        "--feeds", metavar="DATASET", default=None, help="power feeds: each rack's feed capacity (A+B counted once)"
    )
    cmd.add_argument("--design", metavar="DATASET", default=None, help="a rack inventory: each rack's design kW")
    cmd.set_defaults(handler=_summary)
