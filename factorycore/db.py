"""The DuckDB file: open it, keep the `ref` schema in step with the CSVs, query it.

One database file holds two schemas. `ref` is derived data: it is rebuilt from
`data/reference/*.csv` and `data/sources.csv` whenever their content hash changes.
`facility` holds what users uploaded or saved; nothing here ever drops it.

DuckDB connections are not shared across threads, so a process keeps one
connection (see :func:`shared_connection`) and each thread works on its own
``cursor()``. Values always travel as bound parameters.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from factorycore import schema

REPO_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = REPO_ROOT / "data"
REFERENCE_DIR = DATA_DIR / "reference"
SOURCES_CSV = DATA_DIR / "sources.csv"
DEFAULT_DB_PATH = DATA_DIR / "factory.duckdb"
META_TABLE = "ref._meta"


class DatabaseError(RuntimeError):
    """The database could not be opened or built; the message says why, for a human."""


def db_path() -> Path:
    """Where the database lives: ``FACTORY_DB`` if set, else ``data/factory.duckdb``."""
    override = os.environ.get("FACTORY_DB")
    return Path(override).expanduser() if override else DEFAULT_DB_PATH


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


def open_database(path: Path | None = None, *, build: bool = True) -> duckdb.DuckDBPyConnection:
    """Open (creating if needed) the database file and make sure `ref` is current."""
    target = path or db_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    con = None
    try:
        con = duckdb.connect(str(target))
        con.execute("CREATE SCHEMA IF NOT EXISTS ref")
        con.execute("CREATE SCHEMA IF NOT EXISTS facility")
        if build:
            build_reference(con)
    except duckdb.Error as exc:  # a damaged file often fails on its first read, not on connect
        if con is not None:
            with contextlib.suppress(duckdb.Error):
                con.close()
        raise DatabaseError(open_error_message(target, exc)) from exc
    return con


DISK_FULL_MESSAGE = ("the disk holding the database is full (no space left on device), so nothing was stored; "
                     "free some space and try again (no restart needed)")


def open_error_message(target: Path, exc: BaseException) -> str:
    """One line saying why ``target`` cannot be opened: not a database, locked, disk full, or DuckDB's own words."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    lowered = str(exc).lower()
    if any(sign in lowered for sign in ("not a valid duckdb database", "could not read enough bytes", "corrupt",
                                        "checksum")):
        return (f"database {target} is not a valid DuckDB database file (damaged or not a database): restore it "
                "from a backup, or move it aside and point FACTORY_DB at a new file")
    if "lock" in lowered:
        return (f"cannot open database {target}: another process (a running app?) holds its lock; stop it or "
                "point FACTORY_DB at another file")
    if is_disk_full(exc):
        return f"cannot open database {target}: {DISK_FULL_MESSAGE}"
    return f"cannot open database {target}: {text}"


def is_disk_full(exc: BaseException) -> bool:
    """Whether a DuckDB or OS error is ENOSPC (the file system holding the database is full)."""
    return getattr(exc, "errno", None) == errno.ENOSPC or "no space left on device" in str(exc).lower()


def stored_reference_hash(con: duckdb.DuckDBPyConnection) -> str | None:
    """The hash the `ref` schema was last built from, or None if never built.

    Pages call this on every reference read (it is part of the cache key), so it is one
    indexed lookup; a database without the table raises and answers None. Call it
    outside a transaction: the failed lookup would abort one.
    """
    try:
        row = con.execute(f"SELECT value FROM {META_TABLE} WHERE key = ?", ["reference_hash"]).fetchone()
    except duckdb.CatalogException:
        return None
    return row[0] if row else None


def build_reference(con: duckdb.DuckDBPyConnection, *, force: bool = False) -> bool:
    """Rebuild `ref` from the CSVs if they changed; return whether a rebuild happened.

    The rebuild is one transaction: a reader sees either the old tables or the new
    ones, and a CSV that fails to parse leaves the previous build in place.
    """
    wanted = reference_hash()
    if not force and stored_reference_hash(con) == wanted:
        return False
    missing = [str(csv_path(t)) for t in schema.TABLES if not csv_path(t).exists()]
    if missing:
        raise DatabaseError("reference data missing: " + ", ".join(missing))
    con.execute("BEGIN TRANSACTION")
    try:
        for table, columns in schema.TABLES.items():
            _load_reference_table(con, table, columns)
        con.execute(f"CREATE OR REPLACE TABLE {META_TABLE} (key VARCHAR PRIMARY KEY, value VARCHAR)")
        con.execute(f"INSERT INTO {META_TABLE} VALUES (?, ?)", ["reference_hash", wanted])
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return True


def _load_reference_table(con: duckdb.DuckDBPyConnection, table: str, columns: dict[str, str]) -> None:
    # Table and column names come from schema.py (our code), never from users.
    spec = "{" + ", ".join(f"'{name}': '{kind}'" for name, kind in columns.items()) + "}"
    con.execute(
        f"CREATE OR REPLACE TABLE ref.{table} AS "
        f"SELECT * FROM read_csv(?, header = true, columns = {spec}, quote = '\"', escape = '\"', "
        "nullstr = '', auto_detect = false)",
        [str(csv_path(table))],
    )


_shared_lock = threading.Lock()
_shared: dict[Path, duckdb.DuckDBPyConnection] = {}


def shared_connection(path: Path | None = None) -> duckdb.DuckDBPyConnection:
    """The process's one connection to ``path``; threads must call ``.cursor()`` on it."""
    target = (path or db_path()).resolve()
    with _shared_lock:
        con = _shared.get(target)
        if con is not None and not _usable(con):
            # A checkpoint that failed on a full disk invalidates the database for the
            # process; once space is back a fresh open recovers it, so reopen, no restart.
            with contextlib.suppress(duckdb.Error):
                con.close()
            con = None
        if con is None:
            con = open_database(target)
            _shared[target] = con
        return con


def _usable(con: duckdb.DuckDBPyConnection) -> bool:
    """False once DuckDB has invalidated the database ("must be restarted") or the connection was closed."""
    try:
        with con.cursor() as cur:
            cur.execute("SELECT 1").fetchone()
    except (duckdb.FatalException, duckdb.ConnectionException):
        return False
    except duckdb.Error as exc:
        return "invalidated" not in str(exc)
    return True


def close_shared() -> None:
    """Close every shared connection (tests and the CLI use this to release file locks)."""
    with _shared_lock:
        for con in _shared.values():
            con.close()
        _shared.clear()


@contextlib.contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """A cursor of ``con`` inside one transaction: COMMIT if the block succeeds, ROLLBACK on any exception.

    DuckDB ends a transaction itself when its COMMIT fails (a write-write conflict), so
    the ROLLBACK may fail in turn ("no transaction is active"); that failure is
    swallowed, and the caller always sees the original error.
    """
    cur = con.cursor()
    try:
        cur.execute("BEGIN TRANSACTION")
        try:
            yield cur
            cur.execute("COMMIT")
        except BaseException:
            with contextlib.suppress(duckdb.Error):
                cur.execute("ROLLBACK")
            raise
    finally:
        cur.close()


DDL_ATTEMPTS = 10


def ensure_objects(con: duckdb.DuckDBPyConnection, statements: Sequence[str]) -> None:
    """Run ``CREATE ... IF NOT EXISTS`` statements so that sessions racing to create them all succeed.

    Two cursors creating the same table at once make one fail with a catalog
    write-write conflict; by then the other has created it, so running the statement
    again finds it and does nothing.
    """
    cur = con.cursor()
    try:
        for sql in statements:
            for attempt in range(DDL_ATTEMPTS):
                try:
                    cur.execute(sql)
                    break
                except duckdb.TransactionException:
                    if attempt == DDL_ATTEMPTS - 1:
                        raise
                    time.sleep(0.005 * (attempt + 1))  # let the session that won commit
    finally:
        cur.close()


def query_df(con: duckdb.DuckDBPyConnection, sql: str, params: Sequence[Any] | None = None) -> pd.DataFrame:
    """Run a parameterised query on a cursor of ``con`` and return a DataFrame."""
    cur = con.cursor()
    try:
        return cur.execute(sql, list(params or [])).df()
    finally:
        cur.close()
