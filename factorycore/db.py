"""The DuckDB file and the store's rules under their first names (kept for callers written before
:mod:`factorycore.store`; new code imports ``factorycore.store``).

Everything here is defined in :mod:`factorycore.store` (``embedded``: opening, holding and
sharing the file; ``reference_build``: the ``ref`` schema; ``base``: the transaction rule;
``errors``: the store's errors). ``DatabaseError`` is :class:`factorycore.store.StoreUnusable`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from factorycore.store import embedded, errors
from factorycore.store.base import transaction
from factorycore.store.config import DEFAULT_DB_PATH, DEFAULT_WAIT_S, REPO_ROOT, StoreConfig
from factorycore.store.embedded import (
    DAMAGE_SIGNS,
    LINGER_S,
    MEMORY,
    _shared,
    _shared_lock,
    close_shared,
    connect,
    damage_error,
    damaged_message,
    held,
    hold,
    hold_for_thread,
    is_damage,
    open_database,
    open_error_message,
    shared_connection,
    unusable,
)
from factorycore.store.errors import DISK_FULL_MESSAGE, StoreBusy, is_disk_full
from factorycore.store.reference_build import (
    DATA_DIR,
    META_TABLE,
    REFERENCE_DIR,
    SOURCES_CSV,
    build_reference,
    csv_path,
    reference_hash,
    stored_reference_hash,
)

DatabaseError = errors.StoreUnusable
T = TypeVar("T")


def wait_s() -> float:
    """How long to wait for the store: ``FACTORY_STORE_WAIT_S`` if set, else :data:`DEFAULT_WAIT_S`."""
    return StoreConfig.from_env().wait_s


def db_path() -> Path:
    """Where the database lives: ``FACTORY_DB`` if set, else ``data/factory.duckdb``."""
    return StoreConfig.from_env().db_path


def write_retrying(con: Any, work: Callable[[Any], T]) -> T:
    """``work(cursor)`` in one transaction of ``con``'s facility store, retried on a concurrent write."""
    return embedded.facility_of(con).write_retrying(work)


def ensure_objects(con: Any, statements: Sequence[str]) -> None:
    """``CREATE ... IF NOT EXISTS`` statements on ``con``'s facility store, safe to race."""
    embedded.facility_of(con).ensure(statements)


def query_df(con: Any, sql: str, params: Sequence[Any] | None = None) -> Any:
    """Run a parameterised query on a cursor of ``con`` and return a DataFrame."""
    cur = con.cursor()
    try:
        return cur.execute(sql, list(params or [])).df()
    finally:
        cur.close()


__all__ = [
    "DAMAGE_SIGNS",
    "DATA_DIR",
    "DEFAULT_DB_PATH",
    "DEFAULT_WAIT_S",
    "DISK_FULL_MESSAGE",
    "LINGER_S",
    "MEMORY",
    "META_TABLE",
    "REFERENCE_DIR",
    "REPO_ROOT",
    "SOURCES_CSV",
    "DatabaseError",
    "StoreBusy",
    "_shared",
    "_shared_lock",
    "build_reference",
    "close_shared",
    "connect",
    "csv_path",
    "damage_error",
    "damaged_message",
    "db_path",
    "ensure_objects",
    "held",
    "hold",
    "hold_for_thread",
    "is_damage",
    "is_disk_full",
    "open_database",
    "open_error_message",
    "query_df",
    "reference_hash",
    "shared_connection",
    "stored_reference_hash",
    "transaction",
    "unusable",
    "wait_s",
]
