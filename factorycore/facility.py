"""Stored facility datasets: the catalog, rename/delete/share, and the aggregations
the "My facility" page draws.

Every upload is one row of ``facility.datasets`` plus two tables with generated
names (``facility.ds_00012`` and ``facility.ds_00012_rejects``). User-chosen names
only ever travel as bound values; a table name is read from the catalog and checked
against :data:`TABLE_NAME_RE` before it is put into SQL text.

A dataset lives in a *workspace*: ``'shared'`` (visible to every session and the
CLI) or ``'session:<token>'`` (one browser session's private uploads until it saves
them). Aggregations bucket time series in DuckDB so a chart never receives more
than :data:`MAX_POINTS` points per trace, whatever the size of the upload.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import duckdb
import pandas as pd

from factorycore import db, names
from factorycore.db import query_df

SHARED = "shared"
CATALOG = "facility.datasets"
SEQUENCE = "facility.dataset_seq"
TABLE_NAME_RE = re.compile(r"ds_\d{5,9}(_rejects)?")
NAME_RE = re.compile(r"[\w .\-]{1,64}")
MAX_POINTS = 2000
NAME_INDEX_SQL = f"CREATE UNIQUE INDEX IF NOT EXISTS datasets_workspace_name ON {CATALOG} (workspace, lower(name))"
RACK_KW_LIMIT = 2000.0

# The standard density bands (kW per rack), used when the reference table has none.
DEFAULT_BANDS: tuple[tuple[str, float | None, float | None], ...] = (
    ("<5 kW", None, 5.0),
    ("5-10 kW", 5.0, 10.0),
    ("10-20 kW", 10.0, 20.0),
    ("20-30 kW", 20.0, 30.0),
    ("30-50 kW", 30.0, 50.0),
    ("50-100 kW", 50.0, 100.0),
    (">100 kW", 100.0, None),
)


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

    @property
    def table(self) -> str:
        """Fully qualified data table, checked to be one we generated."""
        return _qualified(self.table_name)

    @property
    def rejects(self) -> str:
        """Fully qualified rejects table, checked to be one we generated."""
        return _qualified(self.rejects_table)


def _qualified(table_name: str) -> str:
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
    """Create the catalog table, id sequence and unique-name index if missing; safe to race.

    Names are unique per workspace, ignoring case, by a unique index, so two sessions
    saving the same name at once cannot both succeed. A database from before the
    index may hold such duplicates: they are renamed first (never dropped).
    """
    db.ensure_objects(con, [
        "CREATE SCHEMA IF NOT EXISTS facility",
        f"CREATE SEQUENCE IF NOT EXISTS {SEQUENCE} START 1",
        f"CREATE TABLE IF NOT EXISTS {CATALOG} ("
        "dataset_id INTEGER PRIMARY KEY, name VARCHAR NOT NULL, kind VARCHAR NOT NULL, "
        "workspace VARCHAR NOT NULL, rows_accepted BIGINT NOT NULL, rows_rejected BIGINT NOT NULL, "
        "source_file VARCHAR, created TIMESTAMP NOT NULL, table_name VARCHAR NOT NULL, "
        "rejects_table VARCHAR NOT NULL, details VARCHAR)",
    ])
    try:
        db.ensure_objects(con, [NAME_INDEX_SQL])
    except duckdb.ConstraintException:
        _rename_duplicates(con)
        db.ensure_objects(con, [NAME_INDEX_SQL])


def _rename_duplicates(con: duckdb.DuckDBPyConnection) -> None:
    """Give every dataset whose name repeats in its workspace (ignoring case) a free "name-N"; the oldest keeps it."""
    with db.transaction(con) as cur:
        rows = cur.execute(f"SELECT dataset_id, workspace, name FROM {CATALOG} ORDER BY dataset_id").fetchall()
        taken = {(w, n.lower()) for _, w, n in rows}
        seen: set[tuple[str, str]] = set()
        for dataset_id, ws, name in rows:
            if (ws, name.lower()) not in seen:
                seen.add((ws, name.lower()))
                continue
            n = 2
            while (ws, (candidate := _suffixed(name, n)).lower()) in taken:
                n += 1
            taken.add((ws, candidate.lower()))
            seen.add((ws, candidate.lower()))
            cur.execute(f"UPDATE {CATALOG} SET name = ? WHERE dataset_id = ?", [candidate, dataset_id])


def _suffixed(name: str, n: int) -> str:
    suffix = f"-{n}"
    return name[: 64 - len(suffix)] + suffix


def _visible(workspaces: list[str] | None) -> list[str]:
    return workspaces if workspaces else [SHARED]


def list_datasets(con: duckdb.DuckDBPyConnection, workspaces: list[str] | None = None) -> pd.DataFrame:
    """Datasets in the given workspaces (default: shared), newest first."""
    ensure_catalog(con)
    return query_df(
        con,
        f"SELECT dataset_id, name, kind, workspace, rows_accepted, rows_rejected, source_file, created "
        f"FROM {CATALOG} WHERE list_contains(?, workspace) ORDER BY created DESC, dataset_id DESC",
        [_visible(workspaces)],
    )


def _row_to_info(row: tuple) -> DatasetInfo:
    details = json.loads(row[10]) if row[10] else {}
    return DatasetInfo(*row[:10], details=details)


def get_dataset(
    con: duckdb.DuckDBPyConnection, *, name: str | None = None, dataset_id: int | None = None,
    workspaces: list[str] | None = None,
) -> DatasetInfo:
    """One dataset by name (searched in ``workspaces``, private first) or id."""
    ensure_catalog(con)
    cur = con.cursor()
    try:
        rows = cur.execute(
            f"SELECT dataset_id, name, kind, workspace, rows_accepted, rows_rejected, source_file, created, "
            f"table_name, rejects_table, details FROM {CATALOG} "
            "WHERE list_contains(?, workspace) AND (? IS NULL OR name = ?) AND (? IS NULL OR dataset_id = ?) "
            "ORDER BY workspace = 'shared', dataset_id DESC",
            [_visible(workspaces), name, name, dataset_id, dataset_id],
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
        f"SELECT name FROM {CATALOG} WHERE workspace = ? AND (? IS NULL OR dataset_id <> ?)",
        [workspace, exclude_id, exclude_id],
    ).fetchall()
    wanted = names.skeleton(name)
    return any(names.skeleton(other) == wanted for (other,) in rows)


def _catalog_write(con: duckdb.DuckDBPyConnection, work: Callable[[duckdb.DuckDBPyConnection], Any],
                   taken: str) -> Any:
    """Run ``work(cursor)`` in one transaction; a name taken meanwhile by another session is ``taken``."""
    try:
        with db.transaction(con) as cur:
            return work(cur)
    except duckdb.Error as exc:
        if db.is_disk_full(exc):
            raise DatasetError(db.DISK_FULL_MESSAGE) from None
        if not isinstance(exc, (duckdb.ConstraintException, duckdb.TransactionException)):
            raise
        if is_unique_violation(exc):
            raise DatasetError(taken) from None
        raise DatasetError("another session changed the datasets at the same moment; try again") from None


def is_unique_violation(exc: duckdb.Error) -> bool:
    """Whether a DuckDB error is a duplicate key (at the statement or, for concurrent inserts, at COMMIT)."""
    text = str(exc).lower()
    return "duplicate key" in text or "constraint violation" in text


def rename_dataset(con: duckdb.DuckDBPyConnection, dataset_id: int, new_name: str, workspaces: list[str]) -> str:
    """Rename a dataset the caller can see; the name must be free in its workspace."""
    info = get_dataset(con, dataset_id=dataset_id, workspaces=workspaces)
    name = validate_name(new_name)

    taken = f"a dataset named {name!r} already exists"

    def work(cur):
        if name_taken(cur, name, info.workspace, exclude_id=info.dataset_id):
            raise DatasetError(taken)
        cur.execute(f"UPDATE {CATALOG} SET name = ? WHERE dataset_id = ?", [name, info.dataset_id])

    _catalog_write(con, work, taken)
    return name


def delete_dataset(con: duckdb.DuckDBPyConnection, dataset_id: int, workspaces: list[str]) -> None:
    """Drop a dataset's two tables and its catalog row, in one transaction."""
    info = get_dataset(con, dataset_id=dataset_id, workspaces=workspaces)
    table, rejects = info.table, info.rejects

    def work(cur):
        cur.execute(f"DELETE FROM {CATALOG} WHERE dataset_id = ?", [info.dataset_id])
        cur.execute(f"DROP TABLE IF EXISTS {table}")
        cur.execute(f"DROP TABLE IF EXISTS {rejects}")

    _catalog_write(con, work, "")


def save_to_shared(con: duckdb.DuckDBPyConnection, dataset_id: int, workspace: str, name: str | None = None) -> str:
    """Move a private dataset to the shared workspace (the name must be free there)."""
    info = get_dataset(con, dataset_id=dataset_id, workspaces=[workspace])
    if info.workspace == SHARED:
        return info.name
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
    ensure_catalog(con)
    stale = query_df(
        con,
        f"SELECT dataset_id, workspace FROM {CATALOG} WHERE workspace <> ? "
        "AND created < now()::TIMESTAMP - to_microseconds(CAST(? * 3600e6 AS BIGINT))",
        [SHARED, older_than_hours],
    )
    for row in stale.itertuples():
        delete_dataset(con, int(row.dataset_id), [row.workspace])
    return len(stale)


def rejects_frame(con: duckdb.DuckDBPyConnection, info: DatasetInfo, limit: int = 1_000_000) -> pd.DataFrame:
    """The rows kept aside, with their original headers, for showing and download."""
    frame = query_df(con, f"SELECT * FROM {info.rejects} ORDER BY \"row\" LIMIT ?", [limit])
    headers = info.details.get("headers_by_field", {})
    # Column names must stay unique: a file may have blank or repeated headers, or one
    # called "message"; such a column is named "<header> (<field>)" instead.
    taken = {c.lower() for c in frame.columns if not c.startswith("raw_")}
    rename = {}
    for c in frame.columns:
        if not c.startswith("raw_"):
            continue
        fld = c.removeprefix("raw_")
        label = "original line (could not be split into columns)" if c == "raw_line" else (headers.get(fld) or "").strip()
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
    frame = query_df(con, f'SELECT "row", "column", message FROM {info.rejects} ORDER BY "row" LIMIT ?', [limit])
    return [{"row": int(r.row), "column": r.column, "message": r.message} for r in frame.itertuples()]


def preview(con: duckdb.DuckDBPyConnection, info: DatasetInfo, limit: int = 200) -> pd.DataFrame:
    """The first accepted rows."""
    return query_df(con, f"SELECT * FROM {info.table} LIMIT ?", [limit])


# --- comparisons -----------------------------------------------------------------


def bands_from_reference(distribution: pd.DataFrame) -> list[tuple[str, float | None, float | None]]:
    """(band, min_kw, max_kw) in band order, from the reference distribution or the defaults."""
    if distribution is None or distribution.empty or "band" not in distribution:
        return list(DEFAULT_BANDS)
    first = distribution.drop_duplicates("band").sort_values("band_order")
    return [
        (str(r.band), None if pd.isna(r.band_min_kw) else float(r.band_min_kw),
         None if pd.isna(r.band_max_kw) else float(r.band_max_kw))
        for r in first.itertuples()
    ]


def rack_kw(con: duckdb.DuckDBPyConnection, info: DatasetInfo, basis: str = "design") -> pd.DataFrame:
    """kW per rack: design or measured (racks datasets) or mean power (telemetry)."""
    if info.kind == "racks":
        column = "measured_kw" if basis == "measured" else "design_kw"
        return query_df(
            con, f"SELECT rack_id, {column} AS kw FROM {info.table} WHERE {column} IS NOT NULL ORDER BY rack_id"
        )
    if info.kind == "telemetry":
        return query_df(
            con, f"SELECT rack_id, avg(power_kw) AS kw FROM {info.table} GROUP BY rack_id ORDER BY rack_id"
        )
    raise DatasetError("rack density needs a racks or telemetry dataset")


def site_bands(rack_table: pd.DataFrame, bands: list[tuple[str, float | None, float | None]]) -> pd.DataFrame:
    """Racks per density band and their share (%), in band order."""
    kw = rack_table["kw"].astype(float) if not rack_table.empty else pd.Series(dtype=float)
    rows = []
    for order, (band, lo, hi) in enumerate(bands, start=1):
        mask = pd.Series(True, index=kw.index)
        if lo is not None:
            mask &= kw >= lo
        if hi is not None:
            mask &= kw < hi
        rows.append({"band": band, "band_order": order, "racks": int(mask.sum())})
    frame = pd.DataFrame(rows)
    total = frame["racks"].sum()
    frame["share_pct"] = frame["racks"] / total * 100 if total else 0.0
    return frame


def percentile_label(pct: float | None) -> str:
    """An ordinal for a percentile: '1st', '22nd', '37th'; 'above 99th' at the top; '-' if unknown.

    A density above every band is not the "100th" percentile of anything; saying
    "above 99th" keeps the claim true.
    """
    if pct is None or not math.isfinite(pct):
        return "-"
    rank = int(round(pct))
    if rank >= 100:
        return "above 99th"
    rank = max(rank, 1)
    suffix = "th" if 10 <= rank % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(rank % 10, "th")
    return f"{rank}{suffix}"


def percentile_in_distribution(kw: float, distribution: pd.DataFrame) -> float | None:
    """Where a rack density sits in an industry profile: % of racks at or below it.

    Shares are spread uniformly inside each band; open-ended bands are taken as
    [0, max) and [min, 2 x min).
    """
    if distribution is None or distribution.empty or kw is None or not math.isfinite(kw):
        return None
    rows = distribution.sort_values("band_order")
    total = float(rows["share_pct"].sum())
    if total <= 0:
        return None
    below = 0.0
    for r in rows.itertuples():
        lo = 0.0 if pd.isna(r.band_min_kw) else float(r.band_min_kw)
        hi = 2 * lo if pd.isna(r.band_max_kw) else float(r.band_max_kw)
        share = float(r.share_pct)
        if kw >= hi:
            below += share
        elif kw > lo:
            below += share * (kw - lo) / (hi - lo)
            break
        else:
            break
    return min(100.0, below / total * 100)


def measured_vs_design(con: duckdb.DuckDBPyConnection, info: DatasetInfo, max_points: int = MAX_POINTS) -> pd.DataFrame:
    """Racks with both design and measured kW (a deterministic sample if there are many)."""
    if info.kind != "racks":
        raise DatasetError("measured against design needs a racks dataset")
    return query_df(
        con,
        f"SELECT rack_id, hall, design_kw, measured_kw, measured_kw / NULLIF(design_kw, 0) * 100 AS utilisation_pct "
        f"FROM {info.table} WHERE design_kw IS NOT NULL AND measured_kw IS NOT NULL "
        "ORDER BY hash(rack_id) LIMIT ?",
        [max_points],
    )


def rack_summary(con: duckdb.DuckDBPyConnection, info: DatasetInfo) -> dict[str, Any]:
    """Headline numbers of a racks dataset."""
    cur = con.cursor()
    try:
        row = cur.execute(
            f"SELECT count(*), avg(design_kw), sum(design_kw), avg(measured_kw), sum(measured_kw), "
            f"count(measured_kw), max(design_kw) FROM {info.table}"
        ).fetchone()
    finally:
        cur.close()
    keys = ("racks", "avg_design_kw", "total_design_kw", "avg_measured_kw", "total_measured_kw",
            "racks_measured", "max_design_kw")
    return dict(zip(keys, row))


_BUCKETS = (
    ("1 second", 1), ("10 seconds", 10), ("1 minute", 60), ("5 minutes", 300), ("15 minutes", 900),
    ("1 hour", 3600), ("3 hours", 10800), ("6 hours", 21600), ("1 day", 86400), ("7 days", 604800),
    ("30 days", 2592000), ("365 days", 31536000),
)


def _time_extent_s(con: duckdb.DuckDBPyConnection, table: str) -> tuple[float, float]:
    """The series' span and its typical reading interval (span over distinct timestamps), in seconds."""
    cur = con.cursor()
    try:
        lo, hi, stamps = cur.execute(f"SELECT min(ts), max(ts), approx_count_distinct(ts) FROM {table}").fetchone()
    finally:
        cur.close()
    if lo is None:
        return 0.0, 0.0
    span_s = max((hi - lo).total_seconds(), 0.0)
    return span_s, span_s / (stamps - 1) if stamps and stamps > 1 else 0.0


def choose_bucket(span_s: float, max_points: int = MAX_POINTS, reading_interval_s: float = 0.0) -> tuple[str, int]:
    """The smallest round bucket that keeps a series at or below ``max_points``.

    A bucket finer than the readings themselves would only relabel them ("5 minutes"
    over hourly data), so the bucket is never below the typical reading interval.
    """
    for label, seconds in _BUCKETS:
        if seconds >= reading_interval_s and span_s / seconds < max_points:
            return label, seconds
    return _BUCKETS[-1]


def _bucket(con: duckdb.DuckDBPyConnection, table: str, max_points: int) -> tuple[str, int]:
    span_s, interval_s = _time_extent_s(con, table)
    return choose_bucket(span_s, max_points, interval_s)


def pue_over_time(con: duckdb.DuckDBPyConnection, info: DatasetInfo, max_points: int = MAX_POINTS) -> pd.DataFrame:
    """Energy-weighted PUE per time bucket (sum facility / sum IT), at most ``max_points`` rows."""
    if info.kind != "meter":
        raise DatasetError("PUE needs a meter dataset")
    label, seconds = _bucket(con, info.table, max_points)
    return query_df(
        con,
        f"SELECT time_bucket(to_seconds(?::BIGINT), ts) AS bucket, avg(it_kw) AS it_kw, avg(facility_kw) AS facility_kw, "
        f"sum(facility_kw) / NULLIF(sum(it_kw), 0) AS pue, count(*) AS readings, ? AS bucket_size "
        f"FROM {info.table} GROUP BY bucket ORDER BY bucket LIMIT ?",
        [seconds, label, max_points],
    )


def meter_summary(con: duckdb.DuckDBPyConnection, info: DatasetInfo) -> dict[str, Any]:
    """Overall PUE and the period the meter data covers."""
    cur = con.cursor()
    try:
        row = cur.execute(
            f"SELECT sum(facility_kw) / NULLIF(sum(it_kw), 0), min(ts), max(ts), avg(it_kw), count(*) FROM {info.table}"
        ).fetchone()
    finally:
        cur.close()
    return dict(zip(("pue", "start", "end", "avg_it_kw", "readings"), row))


def telemetry_power_over_time(
    con: duckdb.DuckDBPyConnection, info: DatasetInfo, max_points: int = MAX_POINTS
) -> pd.DataFrame:
    """Site power per time bucket: the sum over racks of each rack's mean power in the bucket."""
    if info.kind != "telemetry":
        raise DatasetError("power over time needs a telemetry dataset")
    label, seconds = _bucket(con, info.table, max_points)
    return query_df(
        con,
        f"WITH per_rack AS (SELECT time_bucket(to_seconds(?::BIGINT), ts) AS bucket, rack_id, "
        f"avg(power_kw) AS kw, max(inlet_temp_c) AS inlet_max_c FROM {info.table} GROUP BY ALL) "
        "SELECT bucket, sum(kw) AS site_kw, max(kw) AS max_rack_kw, max(inlet_max_c) AS max_inlet_c, "
        "count(*) AS racks, ? AS bucket_size FROM per_rack GROUP BY bucket ORDER BY bucket LIMIT ?",
        [seconds, label, max_points],
    )


def hottest_racks(con: duckdb.DuckDBPyConnection, info: DatasetInfo, n: int = 15) -> pd.DataFrame:
    """The racks with the highest inlet temperature (95th percentile), or highest power without temperatures."""
    if info.kind != "telemetry":
        raise DatasetError("hottest racks need a telemetry dataset")
    return query_df(
        con,
        f"SELECT rack_id, quantile_cont(inlet_temp_c, 0.95) AS inlet_p95_c, max(inlet_temp_c) AS inlet_max_c, "
        f"avg(outlet_temp_c) AS outlet_avg_c, avg(power_kw) AS avg_kw, max(power_kw) AS max_kw, count(*) AS readings "
        f"FROM {info.table} GROUP BY rack_id "
        "ORDER BY inlet_p95_c DESC NULLS LAST, avg_kw DESC NULLS LAST, rack_id LIMIT ?",
        [n],
    )
