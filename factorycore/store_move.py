"""Move an embedded store's facility data and scenarios into the team store (PostgreSQL).

``python -m factorycore move-store --from data/factory.duckdb`` with ``FACTORY_STORE``
set. The embedded file is only read, never changed, so the move can be repeated or
abandoned. Each dataset moves in its own PostgreSQL transaction (catalog row, data
table and rejects table together), under a new id from the team store's sequence;
a dataset whose name the team store already uses in that workspace, and a scenario
whose name it already has, are left where they are and reported, never overwritten.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb

from factorycore import scenarios, store
from factorycore.store import embedded
from factorycore.userdata import catalog


def move(source: Path, team: store.FacilityStore) -> dict[str, Any]:
    """Copy every dataset and scenario of the DuckDB file ``source`` into ``team``; what moved and what did not."""
    if not source.is_file():
        raise store.StoreUnusable(f"{source}: no such database file")
    duck = embedded.connect(source, team.config.wait_s)
    try:
        catalog.ensure_catalog(team)
        scenarios.ensure_table(team)
        moved, skipped = _datasets(duck, team)
        scenario_moved, scenario_skipped = _scenarios(duck, team)
    finally:
        duck.close()
    return {
        "datasets_moved": moved,
        "datasets_skipped": skipped,
        "scenarios_moved": scenario_moved,
        "scenarios_skipped": scenario_skipped,
    }


def _rows(duck: duckdb.DuckDBPyConnection, sql: str) -> list[tuple]:
    try:
        with embedded.EmbeddedStore(duck, store.StoreConfig()).cursor() as cur:  # the file's own facility data
            return cur.execute(sql).fetchall()
    except store.MissingObject:  # a store that never had a dataset or a scenario
        return []


def _owner(duck: duckdb.DuckDBPyConnection, table: str) -> str:
    """The owner column of a ``facility`` table, or NULL for a store from before sign-in."""
    found = duck.execute(
        "SELECT count(*) FROM information_schema.columns WHERE table_schema = 'facility' "
        "AND table_name = ? AND column_name = 'owner'",
        [table],
    ).fetchone()[0]
    return "owner" if found else "NULL"


def _datasets(duck: duckdb.DuckDBPyConnection, team: store.FacilityStore) -> tuple[list[str], list[str]]:
    moved, skipped = [], []
    rows = _rows(
        duck,
        "SELECT dataset_id, name, kind, workspace, rows_accepted, rows_rejected, source_file, "
        f"table_name, rejects_table, details, {_owner(duck, 'datasets')} "
        "FROM facility.datasets ORDER BY dataset_id",
    )
    for _, name, kind, workspace, accepted, rejected, source_file, table_name, rejects_table, details, owner in rows:
        data, rejects = catalog.qualified(table_name), catalog.qualified(rejects_table)
        with team.cursor() as cur, store.transaction(cur):
            if catalog.name_taken(cur, name, workspace):
                skipped.append(f"{name} ({workspace}): the team store has a dataset of that name")
                continue
            dataset_id = catalog.next_id(cur)
            new_table, new_rejects = catalog.table_names(dataset_id)
            copied = team.create_table_from(duck, f"SELECT * FROM {data}", cur, f"facility.{new_table}")
            team.create_table_from(duck, f"SELECT * FROM {rejects}", cur, f"facility.{new_rejects}")
            if copied != accepted:
                raise store.StoreUnusable(f"dataset {name!r}: its table holds {copied} rows, its catalog {accepted}")
            cur.execute(
                f"INSERT INTO {catalog.CATALOG} (dataset_id, name, kind, workspace, rows_accepted, rows_rejected, "
                "source_file, created, table_name, rejects_table, details, owner) "
                "SELECT ?, ?, ?, ?, ?, ?, ?, localtimestamp, ?, ?, ?, ?",
                [
                    dataset_id,
                    name,
                    kind,
                    workspace,
                    accepted,
                    rejected,
                    source_file,
                    new_table,
                    new_rejects,
                    details,
                    owner,
                ],
            )
        moved.append(name)
        from factorycore.userdata import rollups  # noqa: PLC0415 - only moved power readings need it

        rollups.after_ingest(team, dataset_id, workspace)  # rollups are built in the store the rows are in
    return moved, skipped


def _scenarios(duck: duckdb.DuckDBPyConnection, team: store.FacilityStore) -> tuple[list[str], list[str]]:
    moved, skipped = [], []
    for name, inputs_json, created, updated, owner in _rows(
        duck,
        f"SELECT name, inputs_json, created, updated, {_owner(duck, 'scenarios')} FROM {scenarios.TABLE} ORDER BY name",
    ):
        with team.cursor() as cur, store.transaction(cur):
            if cur.execute(f"SELECT count(*) FROM {scenarios.TABLE} WHERE name = ?", [name]).fetchone()[0]:
                skipped.append(f"{name}: the team store has a scenario of that name")
                continue
            cur.execute(
                f"INSERT INTO {scenarios.TABLE} (name, inputs_json, created, updated, owner) VALUES (?, ?, ?, ?, ?)",
                [name, inputs_json, created, updated, owner],
            )
        moved.append(name)
    return moved, skipped
