"""The team store: facility data and scenarios in PostgreSQL, for many app processes on many hosts.

Chosen by a ``postgresql://`` URL in :class:`~factorycore.store.config.StoreConfig`.
:class:`PgStore` is a :class:`~factorycore.store.base.FacilityStore`: ``cursor()`` gives
a cursor with ``execute(sql, params)`` taking ``?`` placeholders and returning itself,
``fetchone``/``fetchall``/``df``, and ``close``; PostgreSQL's errors come back as the
store's own (a unique violation is :class:`NameTaken`, a serialization failure or
deadlock a :class:`WriteConflict`, a missing table :class:`MissingObject`). A lost
server is :class:`StoreUnavailable`, with a message for a person; a checkout replaces
dead connections, so the app recovers on its first action once the server is back,
without a restart.

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

from factorycore.store.base import Cursor, FacilityStore, transaction
from factorycore.store.config import StoreConfig
from factorycore.store.errors import (
    DiskFull,
    MissingColumn,
    MissingObject,
    NameTaken,
    QueryFailed,
    StoreBusy,
    StoreError,
    StoreUnavailable,
    StoreUnusable,
    WriteConflict,
)

POOL_MAX = 8  # connections per process
DDL_LOCK_KEY = 0x46414354  # 'FACT': the team store's lock for changing its schema
CONNECT_TIMEOUT_S = 5
COPY_CHUNK_BYTES = 1 << 20
_PLACEHOLDER = re.compile(r"\?")
# DuckDB column types as PostgreSQL spells them (what ingested tables hold).
PG_TYPES = {
    "DOUBLE": "double precision",
    "FLOAT": "real",
    "VARCHAR": "text",
    "BIGINT": "bigint",
    "INTEGER": "integer",
    "BOOLEAN": "boolean",
    "TIMESTAMP": "timestamp",
    "DATE": "date",
    "SMALLINT": "smallint",
    "HUGEINT": "numeric",
}


def _pg_sql(sql: str) -> str:
    """DuckDB's ``?`` placeholders as psycopg's ``%s`` (a literal ``%`` doubled)."""
    return _PLACEHOLDER.sub("%s", sql.replace("%", "%%"))


def translate_error(exc: psycopg.Error, where: str) -> StoreError:
    """The store's error for a PostgreSQL error, told apart by psycopg's classes (never by its words)."""
    message = str(exc).strip() or type(exc).__name__
    if isinstance(exc, pg_errors.UniqueViolation):
        return NameTaken(f"duplicate key: {message}")
    if isinstance(exc, (pg_errors.SerializationFailure, pg_errors.DeadlockDetected, pg_errors.LockNotAvailable)):
        return WriteConflict(message)
    if isinstance(exc, (pg_errors.UndefinedTable, pg_errors.InvalidSchemaName, pg_errors.UndefinedObject)):
        return MissingObject(message)
    if isinstance(exc, pg_errors.UndefinedColumn):
        return MissingColumn(message)
    if isinstance(exc, pg_errors.DiskFull):
        return DiskFull(f"no space left on device: {message}")
    if isinstance(exc, (psycopg.OperationalError, psycopg.InterfaceError)):
        return StoreUnavailable(unavailable_message(where))
    return QueryFailed(message)


def unavailable_message(where: str) -> str:
    """What a user reads while the team store is down."""
    return (
        f"the team store (PostgreSQL at {where}) is not answering, so nothing was read or stored; "
        "it is retried on the next action, no restart needed"
    )


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
            with (
                self._cur.copy(f"COPY {table} ({cols}) FROM STDIN (FORMAT csv, HEADER true)") as copy,
                path.open("rb") as source,
            ):
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


class PgStore(FacilityStore):
    """Up to :data:`POOL_MAX` connections to one PostgreSQL database: the team's facility store.

    The pool is kept here rather than in psycopg_pool: that pool reconnects in the
    background with a growing backoff, so the first actions after a server restart
    still timed out. Here a checkout tests an idle connection (one empty round trip)
    and otherwise connects at once, so the first action after the server is back works.
    """

    dialect = "postgres"

    def __init__(self, config: StoreConfig) -> None:
        super().__init__(config)
        url = config.team_url
        if url is None:
            raise StoreUnusable("the team store needs a postgresql:// URL")
        self.url = url
        info = psycopg.conninfo.conninfo_to_dict(url)
        self.where = f"{info.get('host', 'localhost')}:{info.get('port', 5432)}/{info.get('dbname', '')}"
        self._slots = threading.BoundedSemaphore(POOL_MAX)
        self._idle: list[psycopg.Connection] = []
        self._idle_lock = threading.Lock()

    def checkout(self) -> psycopg.Connection:
        """A live connection: an idle one that still answers, else a new one; one of :data:`POOL_MAX` slots."""
        wait_s = self.config.wait_s
        if not self._slots.acquire(timeout=wait_s):
            raise StoreBusy(
                f"all {POOL_MAX} connections of this process to the team store ({self.where}) stayed "
                f"busy for {wait_s:g} s; try again, or set FACTORY_STORE_WAIT_S to wait longer"
            )
        try:
            while True:
                with self._idle_lock:
                    conn = self._idle.pop() if self._idle else None
                if conn is None:
                    return psycopg.connect(self.url, autocommit=True, connect_timeout=CONNECT_TIMEOUT_S)
                try:
                    conn.execute("")
                    return conn
                except psycopg.Error:
                    conn.close()  # went away with the server: try the next, or connect anew
        except psycopg.Error:
            self._slots.release()
            raise StoreUnavailable(unavailable_message(self.where)) from None
        except BaseException:
            self._slots.release()
            raise

    def checkin(self, conn: psycopg.Connection) -> None:
        """Take back a connection: rolled back if a transaction was left open, kept for the next checkout."""
        if not conn.closed and conn.info.transaction_status != psycopg.pq.TransactionStatus.IDLE:
            with contextlib.suppress(psycopg.Error):
                conn.rollback()
        with self._idle_lock:
            if conn.closed or conn.info.transaction_status != psycopg.pq.TransactionStatus.IDLE:
                conn.close()
            else:
                self._idle.append(conn)
        self._slots.release()

    def discard(self, conn: psycopg.Connection) -> None:
        """Take back a connection whose server went away: closed, and its slot freed."""
        with contextlib.suppress(psycopg.Error):
            conn.close()
        self.checkin(conn)

    def cursor(self) -> PgCursor:
        return PgCursor(self)

    def lock_schema(self, cur: Cursor) -> None:
        """Schema changes of every process take one advisory lock: PostgreSQL reports two sessions creating the
        same table as a duplicate catalog key, not as something a retry resolves."""
        cur.execute("SELECT pg_advisory_xact_lock(?)", [DDL_LOCK_KEY])

    def ensure(self, statements: Sequence[str]) -> None:
        key = tuple(statements)
        if key in self._ensured:
            return
        with self.cursor() as cur, transaction(cur):
            self.lock_schema(cur)
            for sql in statements:
                cur.execute(sql)
        self._ensured.add(key)

    @contextlib.contextmanager
    def writer(self, duck_cur: duckdb.DuckDBPyConnection) -> Iterator[Cursor]:
        """A pooled connection of its own: the validated rows are copied over inside its transaction."""
        with self.cursor() as out:
            yield out

    def create_table_from(self, duck_cur: Any, select: str, out: Cursor, table: str, params: Sequence = ()) -> int:
        if params:
            raise QueryFailed("the team store copies a select without parameters")
        return copy_table(duck_cur, select, out, table)

    def interval_s(self) -> str:
        return "make_interval(secs => ?::DOUBLE PRECISION)"

    def time_bucket(self, ts: str) -> str:
        return f"date_bin({self.interval_s()}, {ts}, TIMESTAMP '2000-01-03')"

    def distinct_estimate(self, column: str) -> str:
        return f"count(DISTINCT {column})"

    def close(self) -> None:
        """Close the idle connections (those in use close when they are given back)."""
        with self._idle_lock:
            idle, self._idle = self._idle, []
        for conn in idle:
            with contextlib.suppress(psycopg.Error):
                conn.close()


_stores_lock = threading.Lock()
_stores: dict[StoreConfig, PgStore] = {}


def shared(config: StoreConfig) -> PgStore:
    """The process's one pool for ``config``'s URL."""
    with _stores_lock:
        store = _stores.get(config)
        if store is None:
            if not _stores:
                atexit.register(close_all)
            store = _stores[config] = PgStore(config)
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
