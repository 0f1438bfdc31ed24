"""The embedded store: one DuckDB file holds the reference data and, by default, the facility data.

DuckDB connections are not shared across threads, so a process keeps one connection
and each thread works on its own ``cursor()``. DuckDB lets one process at a time open
the file. So that the command line (a nightly ``ingest`` from cron, a ``datasets``
look-up) works while the app serves, the app does not keep the file open: each script
run is inside :func:`hold`, which opens the file on the first run, shares it between
concurrent runs, and closes it :data:`LINGER_S` after the last one ends. Whoever finds
the file taken waits for it, up to the configured wait, and then gets
:class:`~factorycore.store.errors.StoreBusy` with a message that says so.

Every connection opened here is bound to the facility store chosen from the
:class:`StoreConfig` it was opened with (:func:`facility_of`): this file for the
embedded store, the team store's pool for a PostgreSQL URL.
"""

from __future__ import annotations

import contextlib
import threading
import time
import weakref
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

from factorycore.store import reference_build
from factorycore.store.base import Cursor, FacilityStore
from factorycore.store.config import StoreConfig
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
    StoreUnusable,
    WriteConflict,
    is_disk_full,
)

if TYPE_CHECKING:
    import pandas as pd

MEMORY = ":memory:"  # the reference database of a process using a team store
LINGER_S = 2.0  # the app keeps the file open this long after its last script run
DDL_ATTEMPTS = 10


# -- errors -----------------------------------------------------------------------------
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


def damage_error(exc: BaseException, target: Path | str | None = None) -> StoreDamaged | None:
    """A :class:`StoreDamaged` with the damaged-database message if ``exc`` is damage, else None.

    A damaged file often opens: DuckDB reads a block only when a query needs it, so the
    damage shows up in a page's third query or a report's last section. Every such read
    is said the same way as a failed open (the app's page runs and the CLI both ask here;
    the facility store's own cursors say it themselves).
    """
    if isinstance(exc, StoreUnusable) or not is_damage(exc):
        return None
    return StoreDamaged(damaged_message(target if target is not None else StoreConfig.from_env().db_path))


def unusable(exc: BaseException) -> StoreUnusable | None:
    """The store's own error for ``exc`` when it means the store cannot be used (busy, unavailable,
    damaged, or a read that found damage), else None: one test for the app's page runs and callbacks."""
    if isinstance(exc, StoreUnusable):
        return exc
    return damage_error(exc)


def translate(exc: duckdb.Error, where: Path | str | None = None) -> StoreError:
    """The store's error for a DuckDB error, with DuckDB's words (a damaged file: the damaged-file message).

    DuckDB has one class for every constraint and for commit conflicts; a duplicate key
    is told apart by its message (DuckDB's only signal), here and nowhere else.
    """
    message = str(exc).strip() or type(exc).__name__
    lowered = message.lower()
    if is_damage(exc):
        return StoreDamaged(damaged_message(where if where is not None else "(this store)"))
    if is_disk_full(exc):
        return DiskFull(message)
    if isinstance(exc, (duckdb.ConstraintException, duckdb.TransactionException)):
        if "duplicate key" in lowered or "constraint violation" in lowered:
            return NameTaken(message)
        return WriteConflict(message)
    if isinstance(exc, duckdb.CatalogException):
        return MissingObject(message)
    if isinstance(exc, duckdb.BinderException):
        return MissingColumn(message)
    if isinstance(exc, (duckdb.InvalidInputException, duckdb.ConversionException, duckdb.OutOfRangeException)):
        return BadValue(message)
    return QueryFailed(message)


class EmbeddedCursor:
    """A DuckDB cursor whose errors are the store's own."""

    def __init__(self, raw: duckdb.DuckDBPyConnection, where: Path | str | None = None) -> None:
        self.raw = raw
        self.where = where  # the file, for the damaged-file message
        self._result: Any = raw  # what the last execute returned (DuckDB: the cursor itself)

    def execute(self, sql: str, params: Sequence[Any] | None = None) -> EmbeddedCursor:
        try:
            self._result = self.raw.execute(sql, list(params or []))
        except duckdb.Error as exc:
            raise translate(exc, self.where) from exc
        return self

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> EmbeddedCursor:
        try:
            self.raw.executemany(sql, rows)
        except duckdb.Error as exc:
            raise translate(exc, self.where) from exc
        return self

    def _fetch(self, how: Callable[[], Any]) -> Any:
        try:
            return how()
        except duckdb.Error as exc:
            raise translate(exc, self.where) from exc

    def fetchone(self) -> tuple | None:
        return self._fetch(self._result.fetchone)

    def fetchall(self) -> list[tuple]:
        return self._fetch(self._result.fetchall)

    def df(self) -> pd.DataFrame:
        return self._fetch(self._result.df)

    def close(self) -> None:
        self.raw.close()

    def __enter__(self) -> EmbeddedCursor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class _Borrowed(EmbeddedCursor):
    """A caller's DuckDB cursor seen through the store's errors; closing it is the caller's business."""

    def close(self) -> None:
        pass


class EmbeddedStore(FacilityStore):
    """Facility data in the DuckDB connection's own file (schema ``facility``)."""

    dialect = "duckdb"
    in_duckdb = True

    def __init__(self, con: duckdb.DuckDBPyConnection, config: StoreConfig, where: Path | str | None = None) -> None:
        super().__init__(config)
        self._con = weakref.ref(con)
        self.where = where

    @property
    def con(self) -> duckdb.DuckDBPyConnection:
        con = self._con()
        if con is None:
            raise StoreUnusable("the database connection of this store was closed")
        return con

    def cursor(self) -> EmbeddedCursor:
        try:
            return EmbeddedCursor(self.con.cursor(), self.where)
        except duckdb.Error as exc:
            raise translate(exc, self.where) from exc

    def ensure(self, statements: Sequence[str]) -> None:
        """Two cursors creating the same table at once make one fail with a catalog write-write conflict;
        by then the other has created it, so running the statement again finds it and does nothing."""
        key = tuple(statements)
        if key in self._ensured:
            return
        with self.cursor() as cur:
            for sql in statements:
                for attempt in range(DDL_ATTEMPTS):
                    try:
                        cur.execute(sql)
                        break
                    except WriteConflict:
                        if attempt == DDL_ATTEMPTS - 1:
                            raise
                        time.sleep(0.005 * (attempt + 1))  # let the session that won commit
        self._ensured.add(key)

    @contextlib.contextmanager
    def writer(self, duck_cur: duckdb.DuckDBPyConnection) -> Iterator[Cursor]:
        """The validating cursor itself: its temp tables and the new dataset share one transaction."""
        yield _Borrowed(duck_cur, self.where)

    def create_table_from(self, duck_cur: Any, select: str, out: Cursor, table: str, params: Sequence = ()) -> int:
        out.execute(f"CREATE TABLE {table} AS {select}", list(params))
        return int(out.execute(f"SELECT count(*) FROM {table}").fetchone()[0])

    def interval_s(self) -> str:
        return "to_microseconds(CAST(?::DOUBLE * 1000000 AS BIGINT))"

    def time_bucket(self, ts: str) -> str:
        return f"time_bucket({self.interval_s()}, {ts})"

    def distinct_estimate(self, column: str) -> str:
        return f"approx_count_distinct({column})"


# -- which store a connection's facility data is on -----------------------------------------
_bound: weakref.WeakKeyDictionary[Any, FacilityStore] = weakref.WeakKeyDictionary()
_bound_lock = threading.Lock()


def team_store(config: StoreConfig) -> FacilityStore:
    """The process's store for ``config``'s server URL (the one place a URL picks a backend module)."""
    from factorycore.store import postgres  # noqa: PLC0415 - psycopg only loads for a team store

    return postgres.shared(config)


def bind(con: duckdb.DuckDBPyConnection, config: StoreConfig, where: Path | str | None = None) -> FacilityStore:
    """Choose ``con``'s facility store from ``config`` (once, where the connection is opened from ``where``)."""
    if config.team_url is not None:
        chosen: FacilityStore = team_store(config)
    else:
        chosen = EmbeddedStore(con, config, where)
    with _bound_lock:
        _bound[con] = chosen
    return chosen


def facility_of(con: Any) -> FacilityStore:
    """The facility store of ``con``: a store is itself; a connection opened here has the one chosen for it.

    Any other DuckDB connection (or a cursor, which DuckDB does not link to its connection)
    holds its own facility data, the embedded store on it, unless this process has a team
    store bound: then the caller must pass the connection or its store, or the data would
    silently go to the wrong place, so that is an error.
    """
    if isinstance(con, FacilityStore):
        return con
    with _bound_lock:
        found = _bound.get(con)
        if found is None:
            if any(not store.in_duckdb for store in _bound.values()):
                raise StoreError(
                    "store.facility was given a DuckDB cursor or an unknown connection while a team store is in "
                    "use: pass the connection the store was opened with, or its FacilityStore"
                )
            found = _bound[con] = EmbeddedStore(con, StoreConfig())
    return found


# -- opening the file ---------------------------------------------------------------------
def _is_lock_conflict(exc: duckdb.Error) -> bool:
    return "lock" in str(exc).lower()


def connect(path: Path | str, wait_s: float | None = None) -> duckdb.DuckDBPyConnection:
    """``duckdb.connect`` that waits, with backoff, while another process holds the file."""
    wait = StoreConfig.from_env().wait_s if wait_s is None else wait_s
    deadline = time.monotonic() + wait
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
                    f"stayed busy for {wait:g} s; try again, or set FACTORY_STORE_WAIT_S to wait longer"
                ) from None
            time.sleep(delay_s)
            delay_s = min(delay_s * 2, 0.25)


def target_of(path: Path | str | None, config: StoreConfig) -> Path | str:
    """The file to open: ``path``, or with a team store an in-memory reference database, else the configured file."""
    if path == MEMORY:
        return MEMORY
    if path is not None:
        return Path(path).resolve()
    return MEMORY if config.team_url is not None else Path(config.db_path).resolve()


def open_database(
    path: Path | str | None = None, *, build: bool = True, config: StoreConfig | None = None
) -> duckdb.DuckDBPyConnection:
    """Open (creating if needed) the database file, or :data:`MEMORY`, make sure `ref` is current, and bind
    the connection to the facility store ``config`` chooses (default: the process's settings, read now)."""
    config = StoreConfig.from_env() if config is None else config
    target = target_of(path, config)
    if target != MEMORY:
        Path(target).parent.mkdir(parents=True, exist_ok=True)
    con = None
    try:
        con = connect(target, config.wait_s)
        con.execute("CREATE SCHEMA IF NOT EXISTS ref")
        con.execute("CREATE SCHEMA IF NOT EXISTS facility")
        if build:
            reference_build.build_reference(con)
    except duckdb.Error as exc:  # a damaged file often fails on its first read, not on connect
        if con is not None:
            with contextlib.suppress(duckdb.Error):
                con.close()
        raise open_error(target, exc) from exc
    bind(con, config, target)
    return con


def open_error(target: Path | str, exc: BaseException) -> StoreUnusable:
    """Why ``target`` cannot be opened, as the store's error (damaged, locked, disk full, or DuckDB's words)."""
    message = open_error_message(target, exc)
    if "not a valid DuckDB database file" in message:
        return StoreDamaged(message)
    return StoreUnusable(message)


def open_error_message(target: Path | str, exc: BaseException) -> str:
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


# -- the process's connections ----------------------------------------------------------------
_shared_lock = threading.Lock()
_shared: dict[Path | str, duckdb.DuckDBPyConnection] = {}


def shared_connection(path: Path | None = None, config: StoreConfig | None = None) -> duckdb.DuckDBPyConnection:
    """The process's one connection to ``path``; threads must call ``.cursor()`` on it."""
    config = StoreConfig.from_env() if config is None else config
    target = target_of(path, config)
    with _shared_lock:
        con = _shared.get(target)
        if con is not None and not _usable(con):
            # A checkpoint that failed on a full disk invalidates the database for the
            # process; once space is back a fresh open recovers it, so reopen, no restart.
            with contextlib.suppress(duckdb.Error):
                con.close()
            con = None
        if con is None:
            con = open_database(target, config=config)
            _shared[target] = con
        elif facility_of(con).config != config:
            bind(con, config, target)  # the settings changed (tests): the connection follows them
        return con


class _Held:
    """The file held open for the app's script runs: the connection and how many runs use it."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con
        self.users = 0
        self.timer: threading.Timer | None = None


_held_lock = threading.Lock()
_held: dict[Path | str, _Held] = {}


@contextlib.contextmanager
def hold(path: Path | None = None, config: StoreConfig | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """The database open for the block, shared with every concurrent holder in this process.

    The store is chosen here, from ``config`` (default: the process's settings, read
    now), and the connection carries it down (:func:`facility_of`). The file is opened
    by the first holder (waiting for another process if need be) and closed
    :data:`LINGER_S` after the last one leaves, so another process (the CLI) can open
    it between bursts of use while quick reruns reuse one connection. With a team store
    nothing else needs the (in-memory) reference database, so the process keeps its one
    shared connection instead.
    """
    config = StoreConfig.from_env() if config is None else config
    target = target_of(path, config)
    if target == MEMORY:
        yield shared_connection(None, config)
        return
    with _held_lock:
        entry = _held.get(target)
        if entry is not None and entry.users == 0 and not _usable(entry.con):
            # Invalidated while lingering (a checkpoint that failed on a full disk): reopen,
            # as shared_connection does, so the app recovers without a restart.
            _drop(target, entry)
            entry = None
        if entry is None:
            entry = _Held(open_database(target, config=config))
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


def _release(target: Path | str, entry: _Held) -> None:
    with _held_lock:
        if entry.users == 0 and _held.get(target) is entry:
            _drop(target, entry)


def _drop(target: Path | str, entry: _Held) -> None:
    """Forget and close a held connection (the caller holds ``_held_lock``)."""
    if entry.timer is not None:
        entry.timer.cancel()
    del _held[target]
    with contextlib.suppress(duckdb.Error):
        entry.con.close()


_thread_holds = threading.local()  # the targets the current thread holds through hold_for_thread


def hold_for_thread(path: Path | None = None, config: StoreConfig | None = None) -> duckdb.DuckDBPyConnection:
    """:func:`hold` the database until the calling thread ends, for a caller that has no block to scope it.

    A Streamlit script run is one thread that ends with the run (a page run on its own,
    as AppTest does; a callback nobody wrapped): its connection is let go when the run
    is over, as a page run's is, never kept for the life of the process. A watcher
    thread waits for the caller's thread and then leaves the hold.
    """
    config = StoreConfig.from_env() if config is None else config
    target = target_of(path, config)
    holding: set[Path | str] = getattr(_thread_holds, "targets", None) or set()
    _thread_holds.targets = holding
    if target in holding:
        con = held(path, config)
        if con is not None:
            return con
        holding.discard(target)
    stack = contextlib.ExitStack()
    con = stack.enter_context(hold(path, config))
    holding.add(target)
    caller = threading.current_thread()

    def leave() -> None:
        caller.join()
        stack.close()

    threading.Thread(target=leave, name="factory-store-release", daemon=True).start()
    return con


def held(path: Path | None = None, config: StoreConfig | None = None) -> duckdb.DuckDBPyConnection | None:
    """The connection :func:`hold` keeps for ``path`` while someone holds it, else None."""
    config = StoreConfig.from_env() if config is None else config
    with _held_lock:
        entry = _held.get(target_of(path, config))
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
