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

import datetime as dt
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
# The site rows' rack figures, filled after each level is written (typed: a bare NULL in a UNION is text).
_NO_RACKS = "CAST(NULL AS DOUBLE PRECISION), CAST(NULL AS BIGINT), CAST(NULL AS BIGINT)"
BUILD_WORK_MEM = "256MB"  # PostgreSQL's memory per sort or hash while a rollup is built (default 4 MB)


def table_of(info: DatasetInfo) -> str:
    """The rollup table of a dataset (our own identifier: the dataset's table name plus a suffix)."""
    return f"{info.table}_rollup"


@dataclass(frozen=True)
class Rollup:
    """What a dataset's rollup holds: its levels and the data bucket the sums were made at."""

    levels_s: tuple[int, ...]
    data_bucket_s: int
    span_s: float = 0.0  # from the first reading to the last
    site_rows: bool = False  # its site rows carry the racks' figures (rollups built before that did not)

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
    # The per-bucket rack sums are read once: the kept sums table where there is one, else computed from the
    # readings once into a materialised CTE that both the rack and the site rows are grouped from.
    with_rb, rb = ("", b.sums_table) if b.sums_table is not None else (f"WITH rb AS MATERIALIZED ({racks_sql}) ", "rb")
    target = table_of(info)
    cur = facility.cursor()
    try:
        # The readings' first and last time (the span a chart's bucket is chosen from), kept on every row.
        first_ts, last_ts = cur.execute(f"SELECT min(ts), max(ts) FROM {info.table}").fetchall()[0]
        with db.transaction(cur):
            if facility.dialect == "postgres":
                # The per-bucket sums group every reading: in memory, not in 4 MB batches spilled to disk.
                cur.execute(f"SET LOCAL work_mem = '{BUILD_WORK_MEM}'")
            cur.execute(f"DROP TABLE IF EXISTS {target}")
            cur.execute(
                f"CREATE TABLE {target} (level_s INTEGER, unit VARCHAR, rack_id VARCHAR, bucket TIMESTAMP, "
                "kw_min DOUBLE PRECISION, kw_sum DOUBLE PRECISION, kw_max DOUBLE PRECISION, buckets BIGINT, "
                "sources_max BIGINT, inlet_max_c DOUBLE PRECISION, data_bucket_s INTEGER, "
                "data_first TIMESTAMP, data_last TIMESTAMP, rack_kw_max DOUBLE PRECISION, racks BIGINT, "
                "racks_total BIGINT)"
            )
            first = levels[0]
            hour = store.time_bucket(facility, "bucket")
            # The finest level from the per-bucket sums (read once, as above): per rack,
            # and for the site (the racks summed per bucket first). The site rows go first, so a view that
            # reads them finds them together.
            cur.execute(
                f"INSERT INTO {target} {with_rb}"
                f"SELECT ?, '{SITE}', NULL, {hour}, min(kw), sum(kw), max(kw), count(*), max(sources), "
                f"max(inlet_max_c), ?, ?, ?, {_NO_RACKS} FROM (SELECT bucket, sum(kw) AS kw, "
                f"sum(sources) AS sources, max(inlet_max_c) AS inlet_max_c FROM {rb} GROUP BY bucket) sb GROUP BY 4 "
                f"UNION ALL SELECT ?, '{RACK}', rack_id, {hour}, min(kw), sum(kw), max(kw), count(*), max(sources), "
                f"max(inlet_max_c), ?, ?, ?, {_NO_RACKS} FROM {rb} GROUP BY 3, 4",
                [*params, first, first, b.bucket_s, first_ts, last_ts, first, first, b.bucket_s, first_ts, last_ts],
            )
            # Coarser levels from the finest rows: minima of minima, maxima of maxima, sums and counts added.
            for level in levels[1:]:
                cur.execute(
                    f"INSERT INTO {target} SELECT ?, unit, rack_id, {hour}, min(kw_min), sum(kw_sum), max(kw_max), "
                    f"sum(buckets), max(sources_max), max(inlet_max_c), ?, ?, ?, {_NO_RACKS} FROM {target} "
                    "WHERE level_s = ? GROUP BY 2, 3, 4",
                    [level, level, b.bucket_s, first_ts, last_ts, first],
                )
            _racks_on_site_rows(cur, target, levels)
            if facility.dialect == "postgres":  # the view reads the site rows only: an index finds them
                cur.execute(f"CREATE INDEX {target.rpartition('.')[2]}_site ON {target} (unit, level_s, bucket)")
    finally:
        cur.close()
    return Rollup(levels, b.bucket_s)


def _racks_on_site_rows(cur: Any, target: str, levels: tuple[int, ...]) -> None:
    """Copy onto each site row what its interval's rack rows say (so a view need not read them): the largest
    rack maximum, the racks with readings, and the racks of the whole dataset."""
    total = cur.execute(f"SELECT count(DISTINCT rack_id) FROM {target} WHERE unit = '{RACK}'").fetchall()[0][0]
    for level in levels:
        cur.execute(
            f"UPDATE {target} SET rack_kw_max = x.m, racks = x.n, racks_total = ? FROM (SELECT bucket AS b, "
            f"max(kw_max) AS m, count(*) AS n FROM {target} WHERE level_s = ? AND unit = '{RACK}' GROUP BY bucket) x "
            f"WHERE level_s = ? AND unit = '{SITE}' AND bucket = x.b",
            [total, level, level],
        )


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
        columns = {
            r[0]
            for r in cur.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_schema = ? AND table_name = ?",
                [schema or "main", name],
            ).fetchall()
        }
        site_rows = "racks_total" in columns
        where = f"WHERE unit = '{SITE}' " if site_rows else ""  # every level has site rows: the index finds them
        rows = (
            cur.execute(
                f"SELECT level_s, min(data_bucket_s), min(data_first), max(data_last) FROM {table_of(info)} "
                f"{where}GROUP BY 1 ORDER BY 1"
            ).fetchall()
            if columns
            else []
        )
    finally:
        cur.close()
    if not rows:
        return None
    first, last = rows[0][2], rows[0][3]
    span = (last - first).total_seconds() if first is not None and last is not None else 0.0
    return Rollup(tuple(int(r[0]) for r in rows), int(rows[0][1]), max(span, 0.0), site_rows)


def level_for(rollup: Rollup, chart_s: int) -> int | None:
    """The coarsest rollup level that divides the chart bucket (None: the chart needs finer data)."""
    fitting = [s for s in rollup.levels_s if chart_s >= s and chart_s % s == 0]
    return max(fitting) if fitting else None


def site_over_time(
    con: Any, info: DatasetInfo, chart_s: int, level_s: int, max_points: int, *, site_rows: bool = True
) -> pd.DataFrame:
    """The site's power per chart bucket from the rollup: ``bucket, site_kw`` (the mean of the data-bucket
    site sums), ``site_min_kw``, ``site_max_kw``, ``max_rack_kw`` (the largest rack maximum),
    ``max_inlet_c``, ``racks``, ``sources``.

    The site rows carry their interval's rack figures (:func:`_racks_on_site_rows`), so only they are read;
    where a chart bucket's racks may differ from hour to hour (no one interval in it has every rack), its
    racks are counted from the rack rows. ``site_rows=False`` (a rollup built before the site rows carried
    them) reads every row of the level.
    """
    if not site_rows:
        return _site_over_time_all_rows(con, info, chart_s, level_s, max_points)
    facility = store.facility(con)
    target = table_of(info)
    chart = store.time_bucket(facility, "bucket")
    frame = db.query_df(
        facility,
        f"SELECT {chart} AS bucket, sum(kw_sum) / sum(buckets) AS site_kw, min(kw_min) AS site_min_kw, "
        "max(kw_max) AS site_max_kw, max(rack_kw_max) AS max_rack_kw, max(inlet_max_c) AS max_inlet_c, "
        "max(racks) AS racks, max(sources_max) AS sources, max(racks_total) AS racks_total "
        f"FROM {target} WHERE unit = '{SITE}' AND level_s = ? GROUP BY 1 ORDER BY 1 LIMIT ?",
        [chart_s, level_s, max_points],
    )
    partial = frame["racks"] < frame["racks_total"]
    if partial.any():  # a union of different racks over the bucket's intervals: count them from the rack rows
        first = frame.loc[partial, "bucket"].min().to_pydatetime()
        after = (frame.loc[partial, "bucket"].max() + dt.timedelta(seconds=chart_s)).to_pydatetime()
        counted = db.query_df(
            facility,
            f"SELECT {chart} AS bucket, count(DISTINCT rack_id) AS n FROM {target} WHERE unit = '{RACK}' "
            "AND level_s = ? AND bucket >= ? AND bucket < ? GROUP BY 1",
            [chart_s, level_s, first, after],
        )
        exact = dict(zip(counted["bucket"], counted["n"]))
        frame.loc[partial, "racks"] = [
            exact.get(t, r) for t, r in zip(frame.loc[partial, "bucket"], frame.loc[partial, "racks"])
        ]
    return frame.drop(columns="racks_total")


def _site_over_time_all_rows(con: Any, info: DatasetInfo, chart_s: int, level_s: int, max_points: int) -> pd.DataFrame:
    """:func:`site_over_time` from every row of the level (site and rack rows), one scan."""
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
    series = site_over_time(con, info, chart_s, level, max_points, site_rows=rollup.site_rows)
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
