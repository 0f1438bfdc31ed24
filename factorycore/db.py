"""The DuckDB file: open it, keep the `ref` schema in step with the CSVs, query it.

One database file holds two schemas. `ref` is derived data: it is rebuilt from
`data/reference/*.csv` and `data/sources.csv` whenever their content hash changes.
`facility` holds what users uploaded or saved; nothing here ever drops it.

DuckDB connections are not shared across threads, so a process keeps one
connection and each thread works on its own ``cursor()``. Values always travel as
bound parameters.

DuckDB lets one process at a time open the file. So that the command line (a
nightly ``ingest`` from cron, a ``datasets`` look-up) works while the app serves,
the app does not keep the file open: each script run is inside :func:`hold`, which
opens the file on the first run, shares it between concurrent runs, and closes it
:data:`LINGER_S` after the last one ends. Whoever finds the file taken waits for it,
up to ``FACTORY_STORE_WAIT_S`` seconds (default :data:`DEFAULT_WAIT_S`), and then
gets :class:`StoreBusy` with a message that says so.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import random
import threading
import time
import weakref
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import duckdb

if TYPE_CHECKING:  # pandas loads only where a frame is built: the command line starts without it
    import pandas as pd

from factorycore import schema

REPO_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = REPO_ROOT / "data"
REFERENCE_DIR = DATA_DIR / "reference"
SOURCES_CSV = DATA_DIR / "sources.csv"
DEFAULT_DB_PATH = DATA_DIR / "factory.duckdb"
META_TABLE = "ref._meta"
DEFAULT_WAIT_S = 30.0  # how long to wait for another process to release the file
LINGER_S = 2.0  # the app keeps the file open this long after its last script run


class DatabaseError(RuntimeError):
    """The database could not be opened or built; the message says why, for a human."""


class StoreBusy(DatabaseError):
    """Another process kept the database file open for longer than we were willing to wait."""


def wait_s() -> float:
    """How long to wait for the file: ``FACTORY_STORE_WAIT_S`` if set, else :data:`DEFAULT_WAIT_S`."""
    try:
        return max(0.0, float(os.environ.get("FACTORY_STORE_WAIT_S", DEFAULT_WAIT_S)))
    except ValueError:
        return DEFAULT_WAIT_S


def _is_lock_conflict(exc: duckdb.Error) -> bool:
    return "lock" in str(exc).lower()


def connect(path: Path) -> duckdb.DuckDBPyConnection:
    """``duckdb.connect`` that waits, with backoff, while another process holds the file."""
    deadline = time.monotonic() + wait_s()
    delay_s = 0.02
    while True:
        try:
            return duckdb.connect(str(path))
        except duckdb.IOException as exc:
            if not _is_lock_conflict(exc):
                raise
            if time.monotonic() >= deadline:
                raise StoreBusy(
                    f"the database {path} is in use by another process (the app or another command) and "
                    f"stayed busy for {wait_s():g} s; try again, or set FACTORY_STORE_WAIT_S to wait longer"
                ) from None
            time.sleep(delay_s)
            delay_s = min(delay_s * 2, 0.25)


MEMORY = ":memory:"  # the reference database of a process using a team store (see factorycore.store)


def _team_store() -> bool:
    from factorycore import store  # noqa: PLC0415 - store imports this module

    return store.team_url() is not None


def _target(path: Path | None) -> Path | str:
    """The file to open: ``path``, or with a team store an in-memory reference database, else :func:`db_path`."""
    if path is not None:
        return Path(path).resolve()
    return MEMORY if _team_store() else db_path().resolve()


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


def open_database(path: Path | str | None = None, *, build: bool = True) -> duckdb.DuckDBPyConnection:
    """Open (creating if needed) the database file, or :data:`MEMORY`, and make sure `ref` is current."""
    target = path if path == MEMORY else Path(path) if path is not None else _target(None)
    if target != MEMORY:
        target.parent.mkdir(parents=True, exist_ok=True)
    con = None
    try:
        con = connect(target)
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


DISK_FULL_MESSAGE = (
    "the disk holding the database is full (no space left on device), so nothing was stored; "
    "free some space and try again (no restart needed)"
)


# DuckDB's words for a file whose bytes are not what it wrote: truncated, overwritten, not a database.
DAMAGE_SIGNS: tuple[str, ...] = ("not a valid duckdb database", "could not read enough bytes", "corrupt", "checksum")


def damaged_message(target: Path | str) -> str:
    """The one "damaged database" message, whether opening the file or a later read found the damage."""
    return (
        f"database {target} is not a valid DuckDB database file (damaged or not a database): restore it "
        "from a backup, or move it aside and point FACTORY_DB at a new file"
    )


def is_damage(exc: BaseException) -> bool:
    """Whether ``exc`` (or what caused it) is DuckDB finding the file's bytes damaged."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, duckdb.Error) and any(sign in str(current).lower() for sign in DAMAGE_SIGNS):
            return True
        current = current.__cause__ or current.__context__
    return False


def damage_error(exc: BaseException, target: Path | str | None = None) -> DatabaseError | None:
    """A :class:`DatabaseError` with the damaged-database message if ``exc`` is damage, else None.

    A damaged file often opens: DuckDB reads a block only when a query needs it, so the
    damage shows up in a page's third query or a report's last section. Every such read
    is said the same way as a failed open (the app's page runs and the CLI both ask here).
    """
    if isinstance(exc, DatabaseError) or not is_damage(exc):
        return None
    return DatabaseError(damaged_message(target if target is not None else db_path()))


def open_error_message(target: Path, exc: BaseException) -> str:
    """One line saying why ``target`` cannot be opened: not a database, locked, disk full, or DuckDB's own words."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    lowered = str(exc).lower()
    if any(sign in lowered for sign in DAMAGE_SIGNS):
        return damaged_message(target)
    if "lock" in lowered:
        return (
            f"cannot open database {target}: another process (a running app?) holds its lock; stop it or "
            "point FACTORY_DB at another file"
        )
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
    with transaction(con):
        for table, columns in schema.TABLES.items():
            _load_reference_table(con, table, columns)
        con.execute(f"CREATE OR REPLACE TABLE {META_TABLE} (key VARCHAR PRIMARY KEY, value VARCHAR)")
        con.execute(f"INSERT INTO {META_TABLE} VALUES (?, ?)", ["reference_hash", wanted])
    return True


@contextlib.contextmanager
def transaction(cur: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
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
        with contextlib.suppress(duckdb.Error, DatabaseError):
            cur.execute("ROLLBACK")
        raise


T = TypeVar("T")


def write_retrying(con: duckdb.DuckDBPyConnection, work: Callable[[duckdb.DuckDBPyConnection], T]) -> T:
    """Run ``work(cursor)`` in one transaction, again while a concurrent write conflicts with it.

    Two sessions writing the same catalog row or name at once: the loser's statement or
    COMMIT fails with a write-write conflict or a duplicate key. Run again, ``work``'s own
    checks see what the winner committed and give the outcome as if the writes had been
    in turn (the name is taken; the scenario is updated). Retries back off and stop after
    the store's one bounded wait, :func:`wait_s`; then the last conflict is raised (a
    full disk, which can fail a COMMIT too, at once).
    """
    deadline = time.monotonic() + wait_s()
    attempt = 0
    while True:
        try:
            cur = con.cursor()
            try:
                with transaction(cur):
                    return work(cur)
            finally:
                cur.close()
        except (duckdb.TransactionException, duckdb.ConstraintException) as exc:
            if is_disk_full(exc) or time.monotonic() >= deadline:  # a full disk is no race: say so at once
                raise
            attempt += 1
            time.sleep(random.uniform(0, min(0.01 * attempt, 0.25)))  # let the winner finish; spread the retries


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
    target = _target(path)
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


class _Held:
    """The file held open for the app's script runs: the connection and how many runs use it."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con
        self.users = 0
        self.timer: threading.Timer | None = None


_held_lock = threading.Lock()
_held: dict[Path, _Held] = {}


@contextlib.contextmanager
def hold(path: Path | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """The database open for the block, shared with every concurrent holder in this process.

    The file is opened by the first holder (waiting for another process if need be)
    and closed :data:`LINGER_S` after the last one leaves, so another process (the
    CLI) can open it between bursts of use while quick reruns reuse one connection.
    With a team store nothing else needs the (in-memory) reference database, so the
    process keeps its one shared connection instead.
    """
    target = _target(path)
    if target == MEMORY:
        yield shared_connection(None)
        return
    with _held_lock:
        entry = _held.get(target)
        if entry is not None and entry.users == 0 and not _usable(entry.con):
            # Invalidated while lingering (a checkpoint that failed on a full disk): reopen,
            # as shared_connection does, so the app recovers without a restart.
            _drop(target, entry)
            entry = None
        if entry is None:
            entry = _Held(open_database(target))
            _held[target] = entry
        if entry.timer is not None:
            entry.timer.cancel()
            entry.timer = None
        entry.users += 1
    try:
        yield entry.con
    finally:
        with _held_lock:
            entry.users -= 1
            if entry.users == 0:
                entry.timer = threading.Timer(LINGER_S, _release, (target, entry))
                entry.timer.daemon = True
                entry.timer.start()


def _release(target: Path, entry: _Held) -> None:
    with _held_lock:
        if entry.users == 0 and _held.get(target) is entry:
            _drop(target, entry)


def _drop(target: Path, entry: _Held) -> None:
    """Forget and close a held connection (the caller holds ``_held_lock``)."""
    if entry.timer is not None:
        entry.timer.cancel()
    del _held[target]
    with contextlib.suppress(duckdb.Error):
        entry.con.close()


_thread_holds = threading.local()  # the targets the current thread holds through hold_for_thread


def hold_for_thread(path: Path | None = None) -> duckdb.DuckDBPyConnection:
    """:func:`hold` the database until the calling thread ends, for a caller that has no block to scope it.

    A Streamlit script run is one thread that ends with the run (a page run on its own,
    as AppTest does; a callback nobody wrapped): its connection is let go when the run
    is over, as a page run's is, never kept for the life of the process. A watcher
    thread waits for the caller's thread and then leaves the hold.
    """
    target = _target(path)
    holding: set[Path | str] = getattr(_thread_holds, "targets", None) or set()
    _thread_holds.targets = holding
    if target in holding:
        con = held(path)
        if con is not None:
            return con
        holding.discard(target)
    stack = contextlib.ExitStack()
    con = stack.enter_context(hold(path))
    holding.add(target)
    caller = threading.current_thread()

    def leave() -> None:
        caller.join()
        stack.close()

    threading.Thread(target=leave, name="factory-store-release", daemon=True).start()
    return con


def held(path: Path | None = None) -> duckdb.DuckDBPyConnection | None:
    """The connection :func:`hold` keeps for ``path`` while someone holds it, else None."""
    with _held_lock:
        entry = _held.get(_target(path))
        return entry.con if entry is not None and entry.users > 0 else None


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


DDL_ATTEMPTS = 10
DDL_LOCK_KEY = 0x46414354  # 'FACT': the team store's lock for creating its tables
# The statement sets ensure_objects has run, per connection (DuckDB's or the team store's).
_ensured: weakref.WeakKeyDictionary[Any, set[tuple[str, ...]]] = weakref.WeakKeyDictionary()


def ensure_objects(con: duckdb.DuckDBPyConnection, statements: Sequence[str]) -> None:
    """Run ``CREATE ... IF NOT EXISTS`` statements so that sessions racing to create them all succeed.

    Two cursors creating the same table at once make one fail with a catalog
    write-write conflict; by then the other has created it, so running the statement
    again finds it and does nothing. PostgreSQL reports such a race as a duplicate
    catalog key instead, so there the statements run under one advisory lock.
    Each set runs once per connection (the objects are never dropped; they commit on a
    cursor of their own, so no caller's rollback undoes them): a page asked for them on
    every rerun, a millisecond or two each.
    """
    key = tuple(statements)
    done = _ensured.setdefault(con, set())
    if key in done:
        return
    if getattr(con, "dialect", None) == "postgres":
        _ensure_postgres(con, statements)
    else:
        _ensure_duckdb(con, statements)
    done.add(key)


def _ensure_postgres(con: Any, statements: Sequence[str]) -> None:
    cur = con.cursor()
    try:
        with transaction(cur):
            cur.execute("SELECT pg_advisory_xact_lock(?)", [DDL_LOCK_KEY])
            for sql in statements:
                cur.execute(sql)
    finally:
        cur.close()


def _ensure_duckdb(con: duckdb.DuckDBPyConnection, statements: Sequence[str]) -> None:
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
