"""The team store: facility data and scenarios in PostgreSQL, for many app processes on many hosts.

Chosen by ``FACTORY_STORE=postgresql://...`` (see :mod:`factorycore.store`). The
store modules (catalog, scenarios, aggregations) are written once against DuckDB's
Python API, so :class:`PgStore` speaks that API: ``cursor()`` gives a cursor with
``execute(sql, params)`` taking ``?`` placeholders and returning itself,
``fetchone``/``fetchall``/``df``, and ``close``; PostgreSQL's errors come back as the
DuckDB exception classes those modules already handle (a unique violation is a
``ConstraintException``, a serialization failure a ``TransactionException``, a missing
table a ``CatalogException``). A lost server is :class:`StoreUnavailable`, with a
message for a person; the pool replaces dead connections, so the app recovers once
the server is back without a restart.

Each cursor holds one pooled connection (autocommit; ``db.transaction`` sends BEGIN
and COMMIT itself) until it is closed, so temporary tables and transactions behave as
on a DuckDB cursor. Values always travel as bound parameters.
"""

from __future__ import annotations

import atexit
import contextlib
import re
import tempfile
import threading
from collections.abc import Iterator, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import psycopg
from psycopg import errors as pg_errors
from psycopg_pool import ConnectionPool, PoolTimeout

from factorycore.db import DatabaseError

POOL_MAX = 8
CONNECT_TIMEOUT_S = 5
COPY_CHUNK_BYTES = 1 << 20
_PLACEHOLDER = re.compile(r"\?")
# DuckDB column types as PostgreSQL spells them (what ingested tables hold).
PG_TYPES = {"DOUBLE": "double precision", "FLOAT": "real", "VARCHAR": "text", "BIGINT": "bigint",
            "INTEGER": "integer", "BOOLEAN": "boolean", "TIMESTAMP": "timestamp", "DATE": "date",
            "SMALLINT": "smallint", "HUGEINT": "numeric"}


class StoreUnavailable(DatabaseError):
    """The PostgreSQL server does not answer; the message says where, and that it is safe to retry."""


def _pg_sql(sql: str) -> str:
    """DuckDB's ``?`` placeholders as psycopg's ``%s`` (a literal ``%`` doubled)."""
    return _PLACEHOLDER.sub("%s", sql.replace("%", "%%"))


def translate_error(exc: psycopg.Error, where: str) -> Exception:
    """The DuckDB exception (or :class:`StoreUnavailable`) the store modules expect for a PostgreSQL error."""
    message = str(exc).strip() or type(exc).__name__
    if isinstance(exc, pg_errors.UniqueViolation):
        return duckdb.ConstraintException(f"duplicate key: {message}")
    if isinstance(exc, (pg_errors.SerializationFailure, pg_errors.DeadlockDetected, pg_errors.LockNotAvailable)):
        return duckdb.TransactionException(message)
    if isinstance(exc, (pg_errors.UndefinedTable, pg_errors.InvalidSchemaName, pg_errors.UndefinedObject)):
        return duckdb.CatalogException(message)
    if isinstance(exc, pg_errors.DiskFull):
        return duckdb.IOException(f"no space left on device: {message}")
    if isinstance(exc, (psycopg.OperationalError, psycopg.InterfaceError)):
        return StoreUnavailable(unavailable_message(where))
    return duckdb.Error(message)


def unavailable_message(where: str) -> str:
    """What a user reads while the team store is down."""
    return (f"the team store (PostgreSQL at {where}) is not answering, so nothing was read or stored; "
            "it is retried on the next action, no restart needed")


class PgCursor:
    """One pooled PostgreSQL connection behind DuckDB's cursor calls, until :meth:`close`."""

    def __init__(self, store: PgStore) -> None:
        self._store = store
        self._conn: psycopg.Connection | None = store.checkout()
        self._cur = self._conn.cursor()

    def execute(self, sql: str, params: Sequence[Any] | None = None) -> PgCursor:
        """Run one statement with bound ``?`` parameters; returns the cursor, as DuckDB does."""
        try:
            self._cur.execute(_pg_sql(sql), list(params or []) or None)
        except psycopg.Error as exc:
            self._broken(exc)
            raise translate_error(exc, self._store.where) from None
        return self

    def _broken(self, exc: psycopg.Error) -> None:
        if isinstance(exc, (psycopg.OperationalError, psycopg.InterfaceError)) and self._conn is not None:
            self._store.discard(self._conn)
            self._conn = None

    def fetchone(self) -> tuple | None:
        return self._cur.fetchone()

    def fetchall(self) -> list[tuple]:
        return self._cur.fetchall()

    def df(self) -> pd.DataFrame:
        """The result as a DataFrame; PostgreSQL's numeric (sums of integers) as floats, as DuckDB gives them."""
        columns = [d.name for d in self._cur.description or []]
        frame = pd.DataFrame(self._cur.fetchall(), columns=columns)
        for col in frame.columns:
            if frame[col].dtype == object and frame[col].map(lambda v: isinstance(v, Decimal)).any():
                frame[col] = pd.to_numeric(frame[col], errors="coerce")
        return frame

    def copy_csv(self, table: str, columns: list[str], path: Path) -> None:
        """Stream a CSV file (with header) into ``table`` by ``COPY ... FROM STDIN``."""
        cols = ", ".join(f'"{c}"' for c in columns)
        try:
            with self._cur.copy(f"COPY {table} ({cols}) FROM STDIN (FORMAT csv, HEADER true)") as copy, \
                    path.open("rb") as source:
                while chunk := source.read(COPY_CHUNK_BYTES):
                    copy.write(chunk)
        except psycopg.Error as exc:
            self._broken(exc)
            raise translate_error(exc, self._store.where) from None

    def close(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(psycopg.Error):
                self._cur.close()
            self._store.checkin(self._conn)
            self._conn = None

    def __enter__(self) -> PgCursor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class PgStore:
    """A connection pool to one PostgreSQL database, used like a DuckDB connection by the store modules."""

    dialect = "postgres"

    def __init__(self, url: str) -> None:
        self.url = url
        self.ensured: set[tuple[str, ...]] = set()  # statement sets db.ensure_objects has run here
        info = psycopg.conninfo.conninfo_to_dict(url)
        self.where = f"{info.get('host', 'localhost')}:{info.get('port', 5432)}/{info.get('dbname', '')}"
        self._pool = ConnectionPool(url, min_size=0, max_size=POOL_MAX, open=True, timeout=CONNECT_TIMEOUT_S,
                                    kwargs={"autocommit": True, "connect_timeout": CONNECT_TIMEOUT_S},
                                    check=ConnectionPool.check_connection)

    def checkout(self) -> psycopg.Connection:
        try:
            return self._pool.getconn()
        except (PoolTimeout, psycopg.Error):
            raise StoreUnavailable(unavailable_message(self.where)) from None

    def checkin(self, conn: psycopg.Connection) -> None:
        if conn.info.transaction_status != psycopg.pq.TransactionStatus.IDLE:
            with contextlib.suppress(psycopg.Error):
                conn.rollback()
        self._pool.putconn(conn)

    def discard(self, conn: psycopg.Connection) -> None:
        """Give back a connection whose server went away; the pool drops it and opens a new one later."""
        with contextlib.suppress(psycopg.Error):
            conn.close()
        self._pool.putconn(conn)

    def cursor(self) -> PgCursor:
        return PgCursor(self)

    def execute(self, sql: str, params: Sequence[Any] | None = None) -> PgCursor:
        return self.cursor().execute(sql, params)

    def close(self) -> None:
        self._pool.close()


_stores_lock = threading.Lock()
_stores: dict[str, PgStore] = {}


def shared(url: str) -> PgStore:
    """The process's one pool for ``url``."""
    with _stores_lock:
        store = _stores.get(url)
        if store is None:
            if not _stores:
                atexit.register(close_all)
            store = _stores[url] = PgStore(url)
        return store


def close_all() -> None:
    """Close every pool (tests, and a CLI command that has finished)."""
    with _stores_lock:
        for store in _stores.values():
            store.close()
        _stores.clear()


@contextlib.contextmanager
def _csv_of(duck_cur: duckdb.DuckDBPyConnection, select: str) -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="factory-pgcopy-") as folder:
        path = Path(folder) / "rows.csv"
        duck_cur.execute(f"COPY ({select}) TO '{path}' (FORMAT csv, HEADER true)")
        yield path


def copy_table(duck_cur: duckdb.DuckDBPyConnection, select: str, pg_cur: PgCursor, table: str) -> int:
    """Create ``table`` in PostgreSQL with the column types of a DuckDB ``select`` and copy its rows; the count.

    Runs inside the caller's PostgreSQL transaction, so the table and its rows appear
    together with whatever else that transaction writes, or not at all.
    """
    described = duck_cur.execute(f"DESCRIBE {select}").fetchall()
    columns = [(name, PG_TYPES.get(str(kind).split("(")[0], "text")) for name, kind, *_ in described]
    pg_cur.execute(f"CREATE TABLE {table} (" + ", ".join(f'"{n}" {t}' for n, t in columns) + ")")
    with _csv_of(duck_cur, select) as path:
        pg_cur.copy_csv(table, [n for n, _ in columns], path)
    return int(pg_cur.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
