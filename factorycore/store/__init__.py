"""Where facility data and scenarios live: the embedded DuckDB file, or PostgreSQL for a team.

One setting decides, ``FACTORY_STORE``, read once into a :class:`StoreConfig` where a
process chooses its store (the app's :func:`hold`, each CLI command's
:func:`open_database`): unset (or ``embedded``) keeps everything in the DuckDB file
(``make run``, nothing to install); ``postgresql://user@host:port/db`` keeps uploads,
their rejects, the catalog and scenarios in that PostgreSQL database, so app
processes on any number of hosts share them. The reference data stays embedded
either way: with a team store each process builds it in memory.

The chosen :class:`FacilityStore` travels with the connection it was opened with:
:func:`facility` gives it back (no environment lookup). One module per backend
(``embedded``, ``postgres``); the errors are the package's own (``errors``); the
facility schema's history is ``migrations``. This package imports nothing of
``factorycore`` but ``schema``.

Adding a backend: one module with a :class:`FacilityStore` subclass and its error
translation, and its URL prefix in ``config.parse_url`` and ``embedded.team_store``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from factorycore.store.base import Cursor, FacilityStore, placeholders, transaction
from factorycore.store.config import EMBEDDED, StoreConfig, parse_url
from factorycore.store.embedded import (
    MEMORY,
    close_shared,
    connect,
    facility_of,
    held,
    hold,
    open_database,
    shared_connection,
)
from factorycore.store.errors import (
    DISK_FULL_MESSAGE,
    BadValue,
    DiskFull,
    MissingColumn,
    MissingObject,
    NameTaken,
    QueryFailed,
    StoreBusy,
    StoreDamaged,
    StoreError,
    StoreUnavailable,
    StoreUnusable,
    WriteConflict,
    is_disk_full,
)
from factorycore.store.reference_build import build_reference, reference_hash, stored_reference_hash


def facility(con: Any) -> FacilityStore:
    """The facility store ``con`` was opened with (a store is itself); see :func:`embedded.facility_of`."""
    return facility_of(con)


def is_postgres(con: Any) -> bool:
    """Whether ``con`` is the team store (PostgreSQL)."""
    return getattr(con, "dialect", None) == "postgres"


def interval_s(con: Any) -> str:
    """An interval of ``?`` seconds (a bound number, fractions allowed), in ``con``'s store's SQL."""
    return facility(con).interval_s()


def time_bucket(con: Any, ts: str) -> str:
    """``ts`` floored to a bucket of ``?`` seconds (bound as the first parameter), in ``con``'s store's SQL."""
    return facility(con).time_bucket(ts)


def distinct_estimate(con: Any, column: str) -> str:
    """A count of distinct values: DuckDB's HyperLogLog estimate, PostgreSQL's exact count."""
    return facility(con).distinct_estimate(column)


def team_url() -> str | None:
    """The PostgreSQL URL of the process's settings, or None for the embedded store; a bad value is an error."""
    return StoreConfig.from_env().team_url


def query_df(con: Any, sql: str, params: Sequence[Any] | None = None) -> Any:
    """Run a parameterised query on a cursor of ``con`` and return a DataFrame."""
    cur = con.cursor()
    try:
        return cur.execute(sql, list(params or [])).df()
    finally:
        cur.close()


__all__ = [
    "DISK_FULL_MESSAGE",
    "BadValue",
    "EMBEDDED",
    "MEMORY",
    "Cursor",
    "DiskFull",
    "FacilityStore",
    "MissingColumn",
    "MissingObject",
    "NameTaken",
    "QueryFailed",
    "StoreBusy",
    "StoreConfig",
    "StoreDamaged",
    "StoreError",
    "StoreUnavailable",
    "StoreUnusable",
    "WriteConflict",
    "build_reference",
    "close_shared",
    "connect",
    "distinct_estimate",
    "facility",
    "held",
    "hold",
    "interval_s",
    "is_disk_full",
    "is_postgres",
    "open_database",
    "parse_url",
    "placeholders",
    "query_df",
    "reference_hash",
    "shared_connection",
    "stored_reference_hash",
    "team_url",
    "time_bucket",
    "transaction",
]
