"""``datasets``: list the shared workspace's datasets.

Its own module, so the command loads nothing but the catalog (not the kinds' specs
the ingest command's flags name): the read command a script runs most starts fastest
(``tests/test_cli_start.py``).
"""

from __future__ import annotations

import argparse
from typing import Any

from factorycore import db


def _datasets(args: argparse.Namespace) -> dict[str, Any]:
    from factorycore.userdata import catalog

    con = db.open_database(build=False)
    try:
        rows = catalog.dataset_rows(con)
    finally:
        con.close()
    items = [
        {
            "dataset": r["name"],
            "kind": r["kind"],
            "rows": int(r["rows_accepted"]),
            "rows_rejected": int(r["rows_rejected"]),
            "created": r["created"].isoformat(sep=" ", timespec="seconds"),
            "owner": r["owner"],
        }
        for r in rows
    ]
    return {"items": items}


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add the listing command to the parser."""
    datasets = sub.add_parser("datasets", parents=[common], help="list the datasets in the shared workspace")
    datasets.set_defaults(handler=_datasets)
