"""The catalog of stored user datasets: names, workspaces, rename/delete/share, rejects.

Every upload is one row of ``facility.datasets`` plus two tables with generated
names (``facility.ds_00012`` and ``facility.ds_00012_rejects``). This module owns
the catalog table: its columns, its id sequence and every write to it. User-chosen
names only ever travel as bound values; a table name is read from the catalog and
checked against :data:`TABLE_NAME_RE` before it is put into SQL text.

A dataset lives in a *workspace*: ``'shared'`` (visible to every session and the
CLI) or ``'session:<token>'`` (one browser session's private uploads until it saves
them). With sign-in configured it also has an ``owner``; who may rename, share or
delete it is :func:`factorycore.ownership.check`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pandas loads only where a frame is built, the kinds' specs only where one is read:
    import duckdb
    import pandas as pd  # the command line's `datasets` starts without either

    from factorycore.userdata import kinds

from factorycore import names, ownership, store
from factorycore.store import migrations, query_df

SHARED = "shared"
CATALOG = "facility.datasets"
SEQUENCE = "facility.dataset_seq"
TABLE_NAME_RE = re.compile(r"ds_\d{5,9}(_rejects)?")
NAME_RE = re.compile(r"[\w .\-]{1,64}")
NAME_INDEX_SQL = migrations.NAME_INDEX_SQL


class DatasetError(ValueError):
    """A dataset operation a user asked for cannot be done; the message says why."""


@dataclass(frozen=True)
class DatasetInfo:
    """One catalog row."""

    dataset_id: int
    name: str
    kind: str
    workspace: str
    rows_accepted: int
    rows_rejected: int
    source_file: str
    created: Any
    table_name: str
    rejects_table: str
    details: dict[str, Any]
    owner: str | None = None

    @property
    def spec(self) -> kinds.KindSpec:
        """The kind's spec: fields, limits, label and the views this dataset gets."""
        from factorycore.userdata import kinds  # noqa: PLC0415 - see the TYPE_CHECKING import

        return kinds.get(self.kind)

    @property
    def table(self) -> str:
        """Fully qualified data table, checked to be one we generated."""
        return qualified(self.table_name)

    @property
    def rejects(self) -> str:
        """Fully qualified rejects table, checked to be one we generated."""
        return qualified(self.rejects_table)


def qualified(table_name: str) -> str:
    if not TABLE_NAME_RE.fullmatch(table_name or ""):
        raise DatasetError(f"catalog holds an unexpected table name {table_name!r}")
    return f"facility.{table_name}"


def session_workspace(token: str) -> str:
    """The private workspace of one browser session."""
    if not re.fullmatch(r"[0-9a-f]{16,64}", token):
        raise DatasetError("a session token must be 16-64 hex digits")
    return f"session:{token}"


def validate_name(name: str) -> str:
    """A dataset name: 1-64 letters, digits, spaces, '-', '_' or '.'; returns it stripped."""
    cleaned = (name or "").strip()
    if not cleaned or not NAME_RE.fullmatch(cleaned):
        raise DatasetError(
            f"dataset name {name[:80]!r} is not allowed: use 1-64 letters, digits, spaces, '-', '_' or '.'"
        )
    mixed = names.mixed_script_problem(cleaned)
    if mixed:
        raise DatasetError(f"dataset name {cleaned!r} is not allowed: it {mixed}")
    return cleaned


def name_from_file(filename: str) -> str:
    """A valid default dataset name from an uploaded file's name."""
    stem = re.sub(r"(\.csv)?(\.gz)?$|\.txt$|\.tsv$", "", filename.rsplit("/", 1)[-1], flags=re.I)
    cleaned = re.sub(r"[^\w .\-]+", "_", stem).strip(" ._") or "upload"
    return cleaned[:64]


def ensure_catalog(con: duckdb.DuckDBPyConnection) -> None:
    """Bring the catalog's schema up to date (:mod:`factorycore.store.migrations`, area 'catalog'); safe to race.

    Names are unique per workspace, ignoring case, by a unique index, so two sessions
    saving the same name at once cannot both succeed. A database from before the
    index may hold such duplicates: its migration renames them first (never drops).
    """
    store.facility(con).migrate("catalog")


def claim_owner(con: duckdb.DuckDBPyConnection, email: str, key: str) -> int:
    """Give the datasets owned by the e-mail ``email`` (``email:<address>`` or the bare address) to
    ``key``; how many. Only for an address the provider says is verified (``factorycore.identity``)."""
    ensure_catalog(con)
    address = email.strip().lower()
    with store.facility(con).cursor() as cur, store.transaction(cur):
        return len(
            cur.execute(
                f"UPDATE {CATALOG} SET owner = ? WHERE lower(owner) = ? OR lower(owner) = ? RETURNING dataset_id",
                [key, "email:" + address, address],
            ).fetchall()
        )


def _visible(workspaces: list[str] | None) -> list[str]:
    return workspaces if workspaces else [SHARED]


LIST_COLUMNS = (
    "dataset_id",
    "name",
    "kind",
    "workspace",
    "rows_accepted",
    "rows_rejected",
    "source_file",
    "created",
    "owner",
)


def _list_sql(visible: list[str]) -> str:
    return (
        f"SELECT {', '.join(LIST_COLUMNS)} FROM {CATALOG} WHERE workspace IN ({store.placeholders(visible)}) "
        "ORDER BY created DESC, dataset_id DESC"
    )


def list_datasets(con: duckdb.DuckDBPyConnection, workspaces: list[str] | None = None) -> pd.DataFrame:
    """Datasets in the given workspaces (default: shared), newest first, as a frame for the pages."""
    con = store.facility(con)
    ensure_catalog(con)
    visible = _visible(workspaces)
    return query_df(con, _list_sql(visible), visible)


def dataset_rows(con: duckdb.DuckDBPyConnection, workspaces: list[str] | None = None) -> list[dict[str, Any]]:
    """:func:`list_datasets` as plain rows, for the command line (which starts without pandas)."""
    con = store.facility(con)
    ensure_catalog(con)
    visible = _visible(workspaces)
    with con.cursor() as cur:
        return [dict(zip(LIST_COLUMNS, row)) for row in cur.execute(_list_sql(visible), visible).fetchall()]


def _row_to_info(row: tuple) -> DatasetInfo:
    details = json.loads(row[10]) if row[10] else {}
    return DatasetInfo(*row[:10], details=details, owner=row[11])


def get_dataset(
    con: duckdb.DuckDBPyConnection,
    *,
    name: str | None = None,
    dataset_id: int | None = None,
    workspaces: list[str] | None = None,
) -> DatasetInfo:
    """One dataset by name (searched in ``workspaces``, private first) or id."""
    con = store.facility(con)
    ensure_catalog(con)
    visible = _visible(workspaces)
    cur = con.cursor()
    try:
        rows = cur.execute(
            f"SELECT dataset_id, name, kind, workspace, rows_accepted, rows_rejected, source_file, created, "
            f"table_name, rejects_table, details, owner FROM {CATALOG} "
            f"WHERE workspace IN ({store.placeholders(visible)}) AND (?::VARCHAR IS NULL OR name = ?) "
            "AND (?::INTEGER IS NULL OR dataset_id = ?) ORDER BY workspace = 'shared', dataset_id DESC",
            [*visible, name, name, dataset_id, dataset_id],
        ).fetchall()
    finally:
        cur.close()
    if not rows:
        raise DatasetError(f"no dataset {name if name is not None else dataset_id!r}")
    return _row_to_info(rows[0])


def name_taken(cur: duckdb.DuckDBPyConnection, name: str, workspace: str, exclude_id: int | None = None) -> bool:
    """Whether ``name``, or a look-alike of it (:func:`factorycore.names.skeleton`), is used in ``workspace``
    (by another dataset than ``exclude_id``)."""
    rows = cur.execute(
        f"SELECT name FROM {CATALOG} WHERE workspace = ? AND (?::INTEGER IS NULL OR dataset_id <> ?)",
        [workspace, exclude_id, exclude_id],
    ).fetchall()
    wanted = names.skeleton(name)
    return any(names.skeleton(other) == wanted for (other,) in rows)


def taken_message(name: str) -> str:
    """What a user reads when a new dataset's name is in use (found before, or by the unique index at COMMIT)."""
    return f"a dataset named {name!r} already exists; choose another name or delete it first"


def check_name_free(cur: duckdb.DuckDBPyConnection, name: str, workspace: str) -> None:
    """Raise :class:`DatasetError` if ``workspace`` already has a dataset called ``name``."""
    if name_taken(cur, name, workspace):
        raise DatasetError(taken_message(name))


def next_id(cur: duckdb.DuckDBPyConnection) -> int:
    """A new dataset id from the catalog's sequence."""
    return int(cur.execute(f"SELECT nextval('{SEQUENCE}')").fetchone()[0])


def table_names(dataset_id: int) -> tuple[str, str]:
    """The generated (data, rejects) table names of a dataset id, inside schema ``facility``."""
    table = f"ds_{dataset_id:05d}"
    return table, f"{table}_rejects"


def insert(
    cur: duckdb.DuckDBPyConnection,
    *,
    dataset_id: int,
    name: str,
    kind: str,
    workspace: str,
    rows_accepted: int,
    rows_rejected: int,
    source_file: str,
    table_name: str,
    rejects_table: str,
    details: dict[str, Any],
    owner: str | None = None,
) -> None:
    """Add one dataset's catalog row (inside the caller's transaction)."""
    cur.execute(
        f"INSERT INTO {CATALOG} (dataset_id, name, kind, workspace, rows_accepted, rows_rejected, source_file, "
        "created, table_name, rejects_table, details, owner) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, localtimestamp, ?, ?, ?, ?)",
        [
            dataset_id,
            name,
            kind,
            workspace,
            rows_accepted,
            rows_rejected,
            source_file[:256],
            table_name,
            rejects_table,
            json.dumps(details),
            ownership.owner_of(owner),
        ],
    )


def _catalog_write(con: duckdb.DuckDBPyConnection, work: Callable[[store.Cursor], Any], taken: str) -> Any:
    """Run ``work(cursor)`` in one transaction, again on a concurrent write (:meth:`FacilityStore.write_retrying`,
    so ``work``'s own checks word the outcome); a name still taken by another session's write is ``taken``."""
    try:
        return store.facility(con).write_retrying(work)
    except store.StoreError as exc:
        raise write_error(exc, taken) from None


def write_error(exc: store.StoreError, taken: str) -> Exception:
    """What a failed catalog write tells the user: a full disk, a name taken meanwhile, a race; else ``exc``."""
    if isinstance(exc, store.DiskFull):
        return DatasetError(store.DISK_FULL_MESSAGE)
    if isinstance(exc, store.NameTaken):
        return DatasetError(taken)
    if isinstance(exc, store.WriteConflict):
        return DatasetError("another session changed the datasets at the same moment; try again")
    return exc


def _check_owner(info: DatasetInfo, user: str | None) -> None:
    ownership.check(info.owner, user, f"the dataset {info.name!r}", DatasetError)


def rename_dataset(
    con: duckdb.DuckDBPyConnection, dataset_id: int, new_name: str, workspaces: list[str], user: str | None = None
) -> str:
    """Rename a dataset the caller can see and may change; the name must be free in its workspace."""
    con = store.facility(con)
    info = get_dataset(con, dataset_id=dataset_id, workspaces=workspaces)
    _check_owner(info, user)
    name = validate_name(new_name)
    taken = f"a dataset named {name!r} already exists"

    def work(cur):
        if name_taken(cur, name, info.workspace, exclude_id=info.dataset_id):
            raise DatasetError(taken)
        cur.execute(f"UPDATE {CATALOG} SET name = ? WHERE dataset_id = ?", [name, info.dataset_id])

    _catalog_write(con, work, taken)
    return name


def delete_dataset(
    con: duckdb.DuckDBPyConnection, dataset_id: int, workspaces: list[str], user: str | None = None
) -> None:
    """Drop a dataset's two tables and its catalog row, in one transaction (if ``user`` may change it)."""
    con = store.facility(con)
    info = get_dataset(con, dataset_id=dataset_id, workspaces=workspaces)
    _check_owner(info, user)
    table, rejects = info.table, info.rejects

    def work(cur):
        cur.execute(f"DELETE FROM {CATALOG} WHERE dataset_id = ?", [info.dataset_id])
        cur.execute(f"DROP TABLE IF EXISTS {table}")
        cur.execute(f"DROP TABLE IF EXISTS {rejects}")
        cur.execute(f"DROP TABLE IF EXISTS {table}_rollup")  # rollups.table_of: per-rack power per hour and day
        cur.execute(f"DROP TABLE IF EXISTS {table}_racks")  # rack_power.sums_table_of: the kept per-rack sums

    _catalog_write(con, work, "")


def save_to_shared(
    con: duckdb.DuckDBPyConnection, dataset_id: int, workspace: str, name: str | None = None, user: str | None = None
) -> str:
    """Move a private dataset to the shared workspace (the name must be free there)."""
    con = store.facility(con)
    info = get_dataset(con, dataset_id=dataset_id, workspaces=[workspace])
    if info.workspace == SHARED:
        return info.name
    _check_owner(info, user)
    final = validate_name(name or info.name)
    taken = f"the shared workspace already has a dataset named {final!r}; rename it first"

    def work(cur):
        if name_taken(cur, final, SHARED):
            raise DatasetError(taken)
        cur.execute(
            f"UPDATE {CATALOG} SET workspace = ?, name = ? WHERE dataset_id = ?", [SHARED, final, info.dataset_id]
        )

    _catalog_write(con, work, taken)
    return final


def purge_private(con: duckdb.DuckDBPyConnection, older_than_hours: float = 24.0) -> int:
    """Delete private (unsaved) datasets of sessions older than the given age; return how many."""
    con = store.facility(con)
    ensure_catalog(con)
    stale = query_df(
        con,
        f"SELECT dataset_id, workspace FROM {CATALOG} WHERE workspace <> ? "
        f"AND created < localtimestamp - {store.interval_s(con)}",
        [SHARED, older_than_hours * 3600],
    )
    for row in stale.itertuples():
        delete_dataset(con, int(row.dataset_id), [row.workspace])
    return len(stale)


def rejects_frame(con: duckdb.DuckDBPyConnection, info: DatasetInfo, limit: int = 1_000_000) -> pd.DataFrame:
    """The rows kept aside, with their original headers, for showing and download."""
    con = store.facility(con)
    frame = query_df(con, f'SELECT * FROM {info.rejects} ORDER BY "row" LIMIT ?', [limit])
    headers = info.details.get("headers_by_field", {})
    # Column names must stay unique: a file may have blank or repeated headers, or one
    # called "message"; such a column is named "<header> (<field>)" instead.
    taken = {c.lower() for c in frame.columns if not c.startswith("raw_")}
    rename = {}
    for c in frame.columns:
        if not c.startswith("raw_"):
            continue
        fld = c.removeprefix("raw_")
        label = (
            "original line (could not be split into columns)" if c == "raw_line" else (headers.get(fld) or "").strip()
        )
        if not label or label.lower() in taken:
            label = f"{label} ({fld})" if label else fld
        n = 2
        while label.lower() in taken:
            label, n = f"{label} {n}", n + 1
        taken.add(label.lower())
        rename[c] = label
    return frame.rename(columns=rename)


def problems(con: duckdb.DuckDBPyConnection, info: DatasetInfo, limit: int = 100) -> list[dict[str, Any]]:
    """The first ``limit`` problems as {row, column, message}."""
    con = store.facility(con)
    with con.cursor() as cur:
        rows = cur.execute(
            f'SELECT "row", "column", message FROM {info.rejects} ORDER BY "row" LIMIT ?', [limit]
        ).fetchall()
    return [{"row": int(row), "column": column, "message": message} for row, column, message in rows]


def preview(con: duckdb.DuckDBPyConnection, info: DatasetInfo, limit: int = 200) -> pd.DataFrame:
    """The first accepted rows."""
    con = store.facility(con)
    return query_df(con, f"SELECT * FROM {info.table} LIMIT ?", [limit])


def set_owner(con: duckdb.DuckDBPyConnection, name: str, owner: str | None) -> DatasetInfo:
    """Give the shared dataset ``name`` to ``owner`` (``None``: no owner); the operator's command, no check."""
    con = store.facility(con)
    info = get_dataset(con, name=name)
    _catalog_write(
        con,
        lambda cur: cur.execute(
            f"UPDATE {CATALOG} SET owner = ? WHERE dataset_id = ?", [ownership.owner_of(owner), info.dataset_id]
        ),
        "",
    )
    return get_dataset(con, dataset_id=info.dataset_id)
