"""The facility schema's history: named, ordered migrations, each recorded once it is applied.

``facility.migrations`` lists the migrations a store has applied (name, when).
A store written before this table existed holds the objects of the first ones
already: every step is ``IF NOT EXISTS`` (or finds nothing to do), so applying them
records them and changes nothing. A migration belongs to an area ('catalog',
'scenarios') and runs when that area is first used, so a store that never saved a
scenario has no scenarios table. Each runs in one transaction with its record; two
sessions racing apply it once (the loser's retry finds it recorded). Never drop or
rewrite a migration that has shipped: add the next one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

TABLE = "facility.migrations"
CATALOG = "facility.datasets"
SCENARIOS = "facility.scenarios"
IDENTITIES = "facility.identities"
PROFILES = "facility.ingest_profiles"
OWNER_EMAIL_KEYS = "owner_email_keys_v1"
NAME_INDEX_SQL = f"CREATE UNIQUE INDEX IF NOT EXISTS datasets_workspace_name ON {CATALOG} (workspace, lower(name))"
Step = str | Callable[[Any], None]


@dataclass(frozen=True)
class Migration:
    """One change of the facility schema: its name (ordered), its area, and its steps (SQL or a function)."""

    name: str
    area: str
    steps: Sequence[Step]


def _rename_duplicate_names(cur: Any) -> None:
    """Before the unique-name index: a dataset whose name repeats in its workspace (ignoring case) gets a free
    "name-N"; the oldest keeps it. Never drops a dataset."""
    rows = cur.execute(f"SELECT dataset_id, workspace, name FROM {CATALOG} ORDER BY dataset_id").fetchall()
    taken = {(w, n.lower()) for _, w, n in rows}
    seen: set[tuple[str, str]] = set()
    for dataset_id, ws, name in rows:
        if (ws, name.lower()) not in seen:
            seen.add((ws, name.lower()))
            continue
        n = 2
        while (ws, (candidate := _suffixed(name, n)).lower()) in taken:
            n += 1
        taken.add((ws, candidate.lower()))
        seen.add((ws, candidate.lower()))
        cur.execute(f"UPDATE {CATALOG} SET name = ? WHERE dataset_id = ?", [candidate, dataset_id])


def _suffixed(name: str, n: int) -> str:
    suffix = f"-{n}"
    return name[: 64 - len(suffix)] + suffix


def owner_email_sql(table: str) -> str:
    """Owners were recorded as the sign-in ``email`` claim, which any provider user can set to anything. Owner
    keys are now issuer and subject (``factorycore.ownership``); an owner that is a bare e-mail address becomes
    ``email:<address>``, which no signed-in key equals, until its user signs in with that address verified and
    claims it (``factorycore.identity``)."""
    assert table.replace(".", "").replace("_", "").isalnum()  # our own names only
    return (
        f"UPDATE {table} SET owner = 'email:' || lower(trim(owner)) WHERE owner LIKE '%@%' "
        "AND owner NOT LIKE 'email:%' AND owner NOT LIKE 'oidc:%' AND owner NOT LIKE '% %'"
    )


MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        "0001_catalog",
        "catalog",
        [
            "CREATE SCHEMA IF NOT EXISTS facility",
            "CREATE SEQUENCE IF NOT EXISTS facility.dataset_seq START 1",
            f"CREATE TABLE IF NOT EXISTS {CATALOG} ("
            "dataset_id INTEGER PRIMARY KEY, name VARCHAR NOT NULL, kind VARCHAR NOT NULL, "
            "workspace VARCHAR NOT NULL, rows_accepted BIGINT NOT NULL, rows_rejected BIGINT NOT NULL, "
            "source_file VARCHAR, created TIMESTAMP NOT NULL, table_name VARCHAR NOT NULL, "
            "rejects_table VARCHAR NOT NULL, details VARCHAR)",
        ],
    ),
    Migration("0002_catalog_owner", "catalog", [f"ALTER TABLE {CATALOG} ADD COLUMN IF NOT EXISTS owner VARCHAR"]),
    # Two steps, two transactions: DuckDB creates no index in a transaction that has updated rows.
    Migration("0003_dataset_names_deduplicated", "catalog", [_rename_duplicate_names]),
    Migration("0004_dataset_name_unique", "catalog", [NAME_INDEX_SQL]),
    Migration(
        "0005_scenarios",
        "scenarios",
        [
            "CREATE SCHEMA IF NOT EXISTS facility",
            f"CREATE TABLE IF NOT EXISTS {SCENARIOS} ("
            "name VARCHAR PRIMARY KEY, inputs_json VARCHAR NOT NULL, "
            "created TIMESTAMP NOT NULL, updated TIMESTAMP NOT NULL)",
        ],
    ),
    Migration("0006_scenarios_owner", "scenarios", [f"ALTER TABLE {SCENARIOS} ADD COLUMN IF NOT EXISTS owner VARCHAR"]),
    Migration(
        "0007_identities",
        "identities",
        [
            "CREATE SCHEMA IF NOT EXISTS facility",
            f"CREATE TABLE IF NOT EXISTS {IDENTITIES} (owner_key VARCHAR PRIMARY KEY, email VARCHAR, "
            "email_verified BOOLEAN, signed_out_s DOUBLE PRECISION, seen TIMESTAMP)",
        ],
    ),
    Migration(
        "0008_ingest_profiles",
        "profiles",
        [
            f"CREATE TABLE IF NOT EXISTS {PROFILES} (name VARCHAR PRIMARY KEY, kind VARCHAR NOT NULL, "
            "mapping VARCHAR NOT NULL, units VARCHAR NOT NULL, date_order VARCHAR, decimal_mark VARCHAR, "
            "saved TIMESTAMP NOT NULL)",
        ],
    ),
    # Named as sign-in first recorded them (stores written since carry these names).
    Migration(f"{OWNER_EMAIL_KEYS}:catalog", "catalog", [owner_email_sql(CATALOG)]),
    Migration(f"{OWNER_EMAIL_KEYS}:scenarios", "scenarios", [owner_email_sql(SCENARIOS)]),
)


def ensure_table(store: Any) -> None:
    """The table of applied migrations."""
    store.ensure(
        [
            "CREATE SCHEMA IF NOT EXISTS facility",
            f"CREATE TABLE IF NOT EXISTS {TABLE} (name VARCHAR PRIMARY KEY, applied TIMESTAMP NOT NULL)",
        ]
    )


def applied(store: Any) -> list[str]:
    """The names of the migrations ``store`` has applied, in order."""
    ensure_table(store)
    with store.cursor() as cur:
        return [name for (name,) in cur.execute(f"SELECT name FROM {TABLE} ORDER BY name").fetchall()]


def apply(store: Any, area: str) -> list[str]:
    """Apply the pending migrations of ``area`` in order; the names applied now."""
    done = set(applied(store))
    now: list[str] = []
    for migration in MIGRATIONS:
        if migration.area != area or migration.name in done:
            continue
        if store.write_retrying(lambda cur, m=migration: _apply_one(store, cur, m)):
            now.append(migration.name)
    return now


def _apply_one(store: Any, cur: Any, migration: Migration) -> bool:
    """One migration and its record in the caller's transaction; False if another session applied it first."""
    store.lock_schema(cur)
    if cur.execute(f"SELECT count(*) FROM {TABLE} WHERE name = ?", [migration.name]).fetchone()[0]:
        return False
    for step in migration.steps:
        if callable(step):
            step(cur)
        else:
            cur.execute(step)
    cur.execute(f"INSERT INTO {TABLE} (name, applied) VALUES (?, localtimestamp)", [migration.name])
    return True
