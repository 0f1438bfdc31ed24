"""The facility store's interface, and the transaction rules every backend shares.

A :class:`FacilityStore` holds the user data (the dataset catalog, the datasets' tables,
scenarios). It is chosen once, from :class:`~factorycore.store.config.StoreConfig`, and
handed down; a backend is one module (``embedded``: the DuckDB file; ``postgres``: the
team store) that implements the few methods below. Its cursors take ``?`` parameters,
``execute`` returns the cursor, and their errors are the store's own
(:mod:`factorycore.store.errors`), never the engine's classes.
"""

from __future__ import annotations

import abc
import contextlib
import random
import time
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from factorycore.store import migrations
from factorycore.store.config import StoreConfig
from factorycore.store.errors import StoreError, WriteConflict

if TYPE_CHECKING:
    import pandas as pd

T = TypeVar("T")


class Cursor(Protocol):
    """What the store modules call on a cursor (DuckDB's shape, on either engine)."""

    def execute(self, sql: str, params: Sequence[Any] | None = None) -> Cursor: ...
    def fetchone(self) -> tuple | None: ...
    def fetchall(self) -> list[tuple]: ...
    def df(self) -> pd.DataFrame: ...
    def close(self) -> None: ...
    def __enter__(self) -> Cursor: ...
    def __exit__(self, *exc: object) -> None: ...


@contextlib.contextmanager
def transaction(cur: Any) -> Iterator[Any]:
    """Run the block in one transaction on ``cur``: committed if it succeeds, rolled back if not.

    The one rollback rule of every writer: any exception, ``KeyboardInterrupt`` and a
    thread's ``SystemExit`` included, rolls back, and a failing ROLLBACK (DuckDB may
    already have aborted the transaction itself) never hides the error that caused it.
    Pass the cursor that owns any temporary tables the block reads: DuckDB's temporary
    tables belong to one cursor.
    """
    cur.execute("BEGIN TRANSACTION")
    try:
        yield cur
        cur.execute("COMMIT")
    except BaseException:
        with contextlib.suppress(Exception):
            cur.execute("ROLLBACK")
        raise


class FacilityStore(abc.ABC):
    """Where the facility data lives: one object per process and store, chosen from its URL."""

    dialect: str  # 'duckdb' or 'postgres'
    in_duckdb: bool = False  # facility tables sit in the DuckDB connection that validates files (no copy needed)
    config: StoreConfig

    def __init__(self, config: StoreConfig) -> None:
        self.config = config
        self._migrated: set[str] = set()
        self._ensured: set[tuple[str, ...]] = set()

    # -- reading and writing ------------------------------------------------------------
    @abc.abstractmethod
    def cursor(self) -> Cursor:
        """A cursor of its own (one connection of the pool, or one DuckDB cursor); close it."""

    def execute(self, sql: str, params: Sequence[Any] | None = None) -> Cursor:
        """One statement on a fresh cursor (the caller closes what it returns, or lets it go)."""
        return self.cursor().execute(sql, params)

    def write_retrying(self, work: Callable[[Cursor], T]) -> T:
        """Run ``work(cursor)`` in one transaction, again while a concurrent write conflicts with it.

        Two sessions writing the same catalog row or name at once: the loser's statement or
        COMMIT fails with a write conflict or a taken name. Run again, ``work``'s own checks
        see what the winner committed and give the outcome as if the writes had been in turn.
        Retries back off and stop after the store's one bounded wait (``config.wait_s``);
        then the last conflict is raised.
        """
        deadline = time.monotonic() + self.config.wait_s
        attempt = 0
        while True:
            try:
                with self.cursor() as cur, transaction(cur):
                    return work(cur)
            except WriteConflict:
                if time.monotonic() >= deadline:
                    raise
                attempt += 1
                time.sleep(random.uniform(0, min(0.01 * attempt, 0.25)))  # let the winner finish

    def lock_schema(self, cur: Cursor) -> None:  # noqa: B027 - most engines need no lock
        """Serialise schema changes across processes inside ``cur``'s transaction (where the engine needs it)."""

    @abc.abstractmethod
    def ensure(self, statements: Sequence[str]) -> None:
        """Run ``CREATE ... IF NOT EXISTS`` statements so that sessions racing to create them all succeed."""

    def migrate(self, area: str) -> None:
        """Apply the pending migrations of ``area`` ('catalog', 'scenarios'), once per store object."""
        if area in self._migrated:
            return
        migrations.apply(self, area)
        self._migrated.add(area)

    def forget_migrations(self) -> None:
        """Check the migrations again on next use (after something outside rewrote their record: tests)."""
        self._migrated.clear()

    def migrate_if_present(self, area: str, table: str) -> bool:
        """:meth:`migrate` ``area`` if ``table`` exists (a read never creates anything); whether it exists."""
        if area in self._migrated:
            return True
        schema, name = table.split(".")
        with self.cursor() as cur:
            found = cur.execute(
                "SELECT count(*) FROM information_schema.tables WHERE table_schema = ? AND table_name = ?",
                [schema, name],
            ).fetchone()[0]
        if found:
            self.migrate(area)
        return bool(found)

    # -- copying a dataset in ----------------------------------------------------------
    @abc.abstractmethod
    @contextlib.contextmanager
    def writer(self, duck_cur: Any) -> Iterator[Cursor]:
        """The cursor a dataset's rows are written with, given the DuckDB cursor that validated them."""

    @abc.abstractmethod
    def create_table_from(self, duck_cur: Any, select: str, out: Cursor, table: str, params: Sequence = ()) -> int:
        """Create ``table`` from a select over ``duck_cur`` (its temp tables, a file) on ``out``; its row count."""

    # -- SQL spellings the engines do not share ------------------------------------------
    @abc.abstractmethod
    def interval_s(self) -> str:
        """An interval of ``?`` seconds (a bound number, fractions allowed)."""

    @abc.abstractmethod
    def time_bucket(self, ts: str) -> str:
        """``ts`` floored to a bucket of ``?`` seconds (bound first); both engines align on 2000-01-03."""

    @abc.abstractmethod
    def distinct_estimate(self, column: str) -> str:
        """A count of distinct values (an estimate where the engine has a fast one)."""

    def close(self) -> None:  # noqa: B027 - the embedded store holds nothing of its own
        """Release what the store holds (its pool); the embedded store's connection belongs to its opener."""


def placeholders(values: Sequence[Any]) -> str:
    """``?, ?, ?`` for an ``IN (...)`` list of bound values (at least one)."""
    return ", ".join("?" for _ in values) or "NULL"


__all__ = ["Cursor", "FacilityStore", "StoreError", "placeholders", "transaction"]
