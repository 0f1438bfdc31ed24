"""Rollups: each rack's and the site's power per hour and per day, written beside the raw readings.

A site view over a long period draws at most :data:`aggregate.MAX_POINTS` buckets, so over
months each point is hours wide, yet reading it from the raw rows scans every reading (100M
readings: seconds on the embedded store, minutes on PostgreSQL). At ingest, a power-readings
dataset's rack power is summed once by :mod:`factorycore.userdata.rack_power`'s rule at the
data's own bucket (each source's mean in the bucket, summed over the rack's sources; the
site's power per bucket the sum of its racks), and those per-bucket sums are kept per
:data:`LEVELS_S` interval as their minimum, mean (sum / count) and maximum, per rack and for
the site, in the table ``<dataset table>_rollup`` of the same store (DuckDB or PostgreSQL).
The day rows are made from the hour rows (min of minima, max of maxima, sums added), never
from the raw rows again.

A view reads the rollup when its chart bucket is a whole number of rollup intervals and no
host-to-rack map or stated bucket asks for another sum; it says so ("from the hourly
rollup: mean of the 1-minute site sums, with their minimum and maximum"). A rollup is a
cache of the raw rows: a dataset without one (stored before rollups, moved between stores,
or whose rollup failed) is read from its raw rows, as before. Exact percentiles (p95 in
``summary``, ``stranded``, "Start from my site") are still computed over the raw per-bucket
sums; the rollup keeps no distribution, only min, mean and max.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from factorycore import db, store
from factorycore.userdata import rack_power
from factorycore.userdata.catalog import DatasetInfo
from factorycore.userdata.kinds.spec import ROLE_POWER_READINGS

if TYPE_CHECKING:  # built at ingest, which never imports pandas
    import pandas as pd

LEVELS_S: tuple[int, ...] = (3600, 86400)
SITE = "site"
RACK = "rack"


def table_of(info: DatasetInfo) -> str:
    """The rollup table of a dataset (our own identifier: the dataset's table name plus a suffix)."""
    return f"{info.table}_rollup"


@dataclass(frozen=True)
class Rollup:
    """What a dataset's rollup holds: its levels and the data bucket the sums were made at."""

    levels_s: tuple[int, ...]
    data_bucket_s: int
    span_s: float = 0.0  # from the first reading to the last

    @property
    def data_bucket_label(self) -> str:
        """The data's own bucket in words."""
        return rack_power.bucket_label(self.data_bucket_s)


def build(con: Any, info: DatasetInfo) -> Rollup | None:
    """Write ``info``'s rollup table (per rack and for the site, per hour and per day); ``None`` for a
    dataset that holds no power readings or no readings at all. Replaces an earlier rollup."""
    if not info.spec.has_role(ROLE_POWER_READINGS):
        return None
    facility = store.facility(con)
    b = rack_power.basis(facility, info)
    levels = tuple(s for s in LEVELS_S if s > b.bucket_s and s % b.bucket_s == 0)
    if not levels:
        return None
    racks_sql, params = rack_power.rack_buckets_sql(facility, b)
    target = table_of(info)
    cur = facility.cursor()
    try:
        with db.transaction(cur):
            cur.execute(f"DROP TABLE IF EXISTS {target}")
            cur.execute(
                f"CREATE TABLE {target} (level_s INTEGER, unit VARCHAR, rack_id VARCHAR, bucket TIMESTAMP, "
                "kw_min DOUBLE PRECISION, kw_sum DOUBLE PRECISION, kw_max DOUBLE PRECISION, buckets BIGINT, "
                "sources_max BIGINT, inlet_max_c DOUBLE PRECISION, data_bucket_s INTEGER, "
                "data_first TIMESTAMP, data_last TIMESTAMP)"
            )
            first = levels[0]
            hour = store.time_bucket(facility, "bucket")
            # The finest level from the per-bucket sums: per rack, and for the site (the racks summed first).
            cur.execute(
                f"INSERT INTO {target} SELECT ?, '{RACK}', rack_id, {hour}, min(kw), sum(kw), max(kw), count(*), "
                f"max(sources), max(inlet_max_c), ?, NULL, NULL FROM ({racks_sql}) rb GROUP BY 3, 4",
                [first, first, b.bucket_s, *params],
            )
            cur.execute(
                f"INSERT INTO {target} SELECT ?, '{SITE}', NULL, {hour}, min(kw), sum(kw), max(kw), count(*), "
                f"max(sources), max(inlet_max_c), ?, NULL, NULL FROM (SELECT bucket, sum(kw) AS kw, "
                f"sum(sources) AS sources, max(inlet_max_c) AS inlet_max_c FROM ({racks_sql}) rb GROUP BY bucket) sb "
                "GROUP BY 4",
                [first, first, b.bucket_s, *params],
            )
            # The readings' first and last time (the span a chart's bucket is chosen from), kept on every row.
            cur.execute(
                f"UPDATE {target} SET data_first = f, data_last = l FROM (SELECT min(ts) AS f, max(ts) AS l "
                f"FROM {info.table}) x"
            )
            # Coarser levels from the finest rows: minima of minima, maxima of maxima, sums and counts added.
            for level in levels[1:]:
                cur.execute(
                    f"INSERT INTO {target} SELECT ?, unit, rack_id, {hour}, min(kw_min), sum(kw_sum), max(kw_max), "
                    f"sum(buckets), max(sources_max), max(inlet_max_c), ?, NULL, NULL FROM {target} WHERE level_s = ? "
                    "GROUP BY 2, 3, 4",
                    [level, level, b.bucket_s, first],
                )
    finally:
        cur.close()
    return Rollup(levels, b.bucket_s)


def after_ingest(con: Any, dataset_id: int, workspace: str) -> None:
    """What is kept beside a dataset just stored: its per-rack sums (:func:`rack_power.keep_sums_of`), then the
    rollup built from them; a failure of either leaves the dataset read from its raw rows."""
    from factorycore.userdata import catalog  # noqa: PLC0415 - catalog imports the kinds; keep this light

    rack_power.keep_sums_of(con, dataset_id, workspace)
    try:
        info = catalog.get_dataset(con, dataset_id=dataset_id, workspaces=[workspace])
        build(con, info)
    except Exception:  # noqa: BLE001 - the rollup is a cache of the raw rows, never a reason to lose them
        drop(con, None, dataset_id=dataset_id, workspace=workspace)


def drop(con: Any, info: DatasetInfo | None, *, dataset_id: int | None = None, workspace: str | None = None) -> None:
    """Remove a dataset's rollup table, if any."""
    from factorycore.userdata import catalog  # noqa: PLC0415

    try:
        if info is None:
            info = catalog.get_dataset(con, dataset_id=dataset_id, workspaces=[workspace])
        cur = store.facility(con).cursor()
        try:
            cur.execute(f"DROP TABLE IF EXISTS {table_of(info)}")
        finally:
            cur.close()
    except Exception:  # noqa: BLE001, S110 - nothing to drop
        pass


def stored(con: Any, info: DatasetInfo) -> Rollup | None:
    """The dataset's rollup, or ``None`` when it has none."""
    facility = store.facility(con)
    schema, _, name = table_of(info).rpartition(".")
    cur = facility.cursor()
    try:
        found = cur.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = ? AND table_name = ?",
            [schema or "main", name],
        ).fetchall()[0][0]
        rows = (
            cur.execute(
                f"SELECT level_s, min(data_bucket_s), min(data_first), max(data_last) FROM {table_of(info)} "
                "GROUP BY 1 ORDER BY 1"
            ).fetchall()
            if found
            else []
        )
    finally:
        cur.close()
    if not rows:
        return None
    first, last = rows[0][2], rows[0][3]
    span = (last - first).total_seconds() if first is not None and last is not None else 0.0
    return Rollup(tuple(int(r[0]) for r in rows), int(rows[0][1]), max(span, 0.0))


def level_for(rollup: Rollup, chart_s: int) -> int | None:
    """The coarsest rollup level that divides the chart bucket (None: the chart needs finer data)."""
    fitting = [s for s in rollup.levels_s if chart_s >= s and chart_s % s == 0]
    return max(fitting) if fitting else None


def site_over_time(con: Any, info: DatasetInfo, chart_s: int, level_s: int, max_points: int) -> pd.DataFrame:
    """The site's power per chart bucket from the rollup: ``bucket, site_kw`` (the mean of the data-bucket
    site sums), ``site_min_kw``, ``site_max_kw``, ``max_rack_kw`` (the largest rack maximum),
    ``max_inlet_c``, ``racks``, ``sources``."""
    facility = store.facility(con)
    target = table_of(info)
    chart = store.time_bucket(facility, "bucket")
    site, rack = f"FILTER (WHERE unit = '{SITE}')", f"FILTER (WHERE unit = '{RACK}')"
    # One scan, no join (a join of two grouped subqueries ran as a nested loop on PostgreSQL).
    return db.query_df(
        facility,
        f"SELECT {chart} AS bucket, sum(kw_sum) {site} / sum(buckets) {site} AS site_kw, "
        f"min(kw_min) {site} AS site_min_kw, max(kw_max) {site} AS site_max_kw, max(kw_max) {rack} AS max_rack_kw, "
        f"max(inlet_max_c) AS max_inlet_c, count(DISTINCT rack_id) AS racks, max(sources_max) {site} AS sources "
        f"FROM {target} WHERE level_s = ? GROUP BY 1 ORDER BY 1 LIMIT ?",
        [chart_s, level_s, max_points],
    )


def site_series(
    con: Any, info: DatasetInfo, max_points: int, choose: Callable[[float, int], tuple[str, int]]
) -> pd.DataFrame | None:
    """The site power view's series read from the rollup (the columns of
    :func:`aggregate.telemetry_power_over_time` plus ``site_min_kw``, ``site_max_kw``, ``resolution``),
    or ``None`` when the dataset has no rollup or the chart's bucket is finer than its levels. The chart's
    bucket is ``choose(span_s, max_points)`` of the span kept in the rollup: no raw row is read."""
    rollup = stored(con, info)
    if rollup is None:
        return None
    _, chart_s = choose(rollup.span_s, max_points)
    level = level_for(rollup, chart_s)
    if rollup is None or level is None:
        return None
    series = site_over_time(con, info, chart_s, level, max_points)
    series["bucket_size"] = rack_power.bucket_label(chart_s)
    series["level"] = rack_power.level_of(info)
    series["resolution"] = resolution(rollup, level, chart_s)
    return series


def resolution(rollup: Rollup, level_s: int, chart_s: int) -> str:
    """How a rollup-read series was computed, in words."""
    word = {3600: "hourly", 86400: "daily"}.get(level_s, rack_power.bucket_label(level_s))
    return (
        f"{rack_power.bucket_label(chart_s)} buckets from the {word} rollup: the mean of the "
        f"{rack_power.bucket_label(rollup.data_bucket_s)} site sums in each bucket, with their minimum and maximum"
    )


__all__ = [
    "LEVELS_S",
    "Rollup",
    "after_ingest",
    "build",
    "drop",
    "level_for",
    "resolution",
    "site_over_time",
    "site_series",
    "stored",
    "table_of",
]
