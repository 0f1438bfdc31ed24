"""The ``ref`` schema: rebuilt from ``data/reference/*.csv`` and ``data/sources.csv`` whenever they change.

`ref` is derived data, in DuckDB always (the team store keeps only facility data): its
tables are rebuilt in one transaction when the content hash of their inputs changes,
so a reader sees either the old tables or the new ones.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from factorycore import schema
from factorycore.store.base import transaction
from factorycore.store.config import REPO_ROOT
from factorycore.store.errors import StoreUnusable

DATA_DIR = REPO_ROOT / "data"
REFERENCE_DIR = DATA_DIR / "reference"
SOURCES_CSV = DATA_DIR / "sources.csv"
META_TABLE = "ref._meta"


def csv_path(table: str) -> Path:
    """The CSV a reference table is built from."""
    return SOURCES_CSV if table == "sources" else REFERENCE_DIR / f"{table}.csv"


def reference_hash() -> str:
    """Hash of every input of the `ref` schema, so a rebuild happens exactly when one changes."""
    digest = hashlib.sha256()
    for table in sorted(schema.TABLES):
        path = csv_path(table)
        digest.update(table.encode())
        digest.update(path.read_bytes() if path.exists() else b"<missing>")
    digest.update(repr(sorted((t, tuple(c.items())) for t, c in schema.TABLES.items())).encode())
    return digest.hexdigest()


def stored_reference_hash(con: Any) -> str | None:
    """The hash the `ref` schema was last built from, or None if never built.

    Pages call this on every reference read (it is part of the cache key), so it is one
    indexed lookup; a database without the table raises and answers None. Call it
    outside a transaction: the failed lookup would abort one.
    """
    import duckdb  # noqa: PLC0415 - loaded already by whoever holds ``con``

    try:
        row = con.execute(f"SELECT value FROM {META_TABLE} WHERE key = ?", ["reference_hash"]).fetchone()
    except duckdb.CatalogException:
        return None
    return row[0] if row else None


def build_reference(con: Any, *, force: bool = False) -> bool:
    """Rebuild `ref` from the CSVs if they changed; return whether a rebuild happened.

    The rebuild is one transaction: a reader sees either the old tables or the new
    ones, and a CSV that fails to parse leaves the previous build in place.
    """
    wanted = reference_hash()
    if not force and stored_reference_hash(con) == wanted:
        return False
    missing = [str(csv_path(t)) for t in schema.TABLES if not csv_path(t).exists()]
    if missing:
        raise StoreUnusable("reference data missing: " + ", ".join(missing))
    with transaction(con):
        for table, columns in schema.TABLES.items():
            _load_reference_table(con, table, columns)
        con.execute(f"CREATE OR REPLACE TABLE {META_TABLE} (key VARCHAR PRIMARY KEY, value VARCHAR)")
        con.execute(f"INSERT INTO {META_TABLE} VALUES (?, ?)", ["reference_hash", wanted])
    return True


def _load_reference_table(con: Any, table: str, columns: dict[str, str]) -> None:
    # Table and column names come from schema.py (our code), never from users.
    spec = "{" + ", ".join(f"'{name}': '{kind}'" for name, kind in columns.items()) + "}"
    con.execute(
        f"CREATE OR REPLACE TABLE ref.{table} AS "
        f"SELECT * FROM read_csv(?, header = true, columns = {spec}, quote = '\"', escape = '\"', "
        "nullstr = '', auto_detect = false)",
        [str(csv_path(table))],
    )
