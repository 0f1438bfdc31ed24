"""What the My facility views draw, aggregated where the data lives (DuckDB, or PostgreSQL with a team store).

Every function takes a catalog :class:`~factorycore.userdata.catalog.DatasetInfo` and
asks the kind's spec whether the dataset stores what it needs, so a new kind with the
same fields gets the same aggregations. Time series are bucketed in SQL so a chart
never receives more than :data:`MAX_POINTS` points per trace, whatever the upload's size.
"""

from __future__ import annotations

import math
from typing import Any

import duckdb
import pandas as pd

from factorycore import store
from factorycore.db import query_df
from factorycore.schema import DENSITY_BANDS
from factorycore.userdata import rack_power, rollups
from factorycore.userdata.catalog import DatasetError, DatasetInfo
from factorycore.userdata.kinds.spec import ROLE_POWER_READINGS

MAX_POINTS = 2000

# The standard density bands (kW per rack), used when the reference table has none: the
# schema's bands (one copy), with the open bottom end as None.
DEFAULT_BANDS: tuple[tuple[str, float | None, float | None], ...] = tuple(
    (band, low_kw or None, high_kw) for band, _, low_kw, high_kw in DENSITY_BANDS
)


def _require(info: DatasetInfo, what: str, *columns: str) -> None:
    if not info.spec.stores(*columns):
        raise DatasetError(f"{what} needs a dataset with {', '.join(columns)}; {info.name!r} is {info.kind}")


def bands_from_reference(distribution: pd.DataFrame) -> list[tuple[str, float | None, float | None]]:
    """(band, min_kw, max_kw) in band order, from the reference distribution or the defaults."""
    if distribution is None or distribution.empty or "band" not in distribution:
        return list(DEFAULT_BANDS)
    first = distribution.drop_duplicates("band").sort_values("band_order")
    return [
        (
            str(r.band),
            None if pd.isna(r.band_min_kw) else float(r.band_min_kw),
            None if pd.isna(r.band_max_kw) else float(r.band_max_kw),
        )
        for r in first.itertuples()
    ]


def rack_kw(
    con: duckdb.DuckDBPyConnection, info: DatasetInfo, basis: str | None = None, host_map: DatasetInfo | None = None
) -> pd.DataFrame:
    """kW per rack on one of the kind's density bases (the first one by default).

    A rack inventory reads design or measured kW per row; power readings the mean of each
    rack's per-bucket sums over its sources (:mod:`factorycore.userdata.rack_power`): the
    spec's :class:`~factorycore.userdata.kinds.DensityBasis` says which. Readings per node
    without a host-to-rack map are refused: a node is not a rack.
    """
    con = store.facility(con)
    bases = info.spec.density_bases
    if not bases:
        raise DatasetError(f"rack density needs a dataset with kW per rack; {info.name!r} is {info.kind}")
    chosen = bases[basis] if basis in bases else next(iter(bases.values()))
    if info.spec.has_role(ROLE_POWER_READINGS):
        b = rack_power.basis(con, info, host_map=host_map)
        if b.level != rack_power.LEVEL_RACK:
            raise DatasetError(NODE_DENSITY_MESSAGE.format(name=info.name))
        sql, params = rack_power.rack_buckets_sql(con, b)
        return query_df(
            con,
            f"SELECT rack_id, {chosen.sql} AS kw FROM ({sql}) rb GROUP BY rack_id "
            f"HAVING {chosen.sql} IS NOT NULL ORDER BY rack_id",
            params,
        )
    return query_df(
        con,
        f"SELECT rack_id, {chosen.sql} AS kw FROM {info.table} GROUP BY rack_id "
        f"HAVING {chosen.sql} IS NOT NULL ORDER BY rack_id",
    )


NODE_DENSITY_MESSAGE = (
    "{name!r} holds power per node, not per rack, so it is not ranked against rack densities; "
    "give a host-to-rack map (a dataset with a host and a rack column, such as a NetBox devices export) "
    "to roll its nodes up to racks"
)


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
    con = store.facility(con)
    _require(info, "measured against design", "rack_id", "hall", "design_kw", "measured_kw")
    return query_df(
        con,
        f"SELECT rack_id, hall, design_kw, measured_kw, measured_kw / NULLIF(design_kw, 0) * 100 AS utilisation_pct "
        f"FROM {info.table} WHERE design_kw IS NOT NULL AND measured_kw IS NOT NULL "
        "ORDER BY md5(rack_id), rack_id LIMIT ?",
        [max_points],
    )


def rack_summary(con: duckdb.DuckDBPyConnection, info: DatasetInfo) -> dict[str, Any]:
    """Headline numbers of a racks dataset."""
    con = store.facility(con)
    cur = con.cursor()
    try:
        row = cur.execute(
            f"SELECT count(*), avg(design_kw), sum(design_kw), avg(measured_kw), sum(measured_kw), "
            f"count(measured_kw), max(design_kw) FROM {info.table}"
        ).fetchone()
    finally:
        cur.close()
    keys = (
        "racks",
        "avg_design_kw",
        "total_design_kw",
        "avg_measured_kw",
        "total_measured_kw",
        "racks_measured",
        "max_design_kw",
    )
    return dict(zip(keys, row))


_BUCKETS = (
    ("1 second", 1),
    ("10 seconds", 10),
    ("1 minute", 60),
    ("5 minutes", 300),
    ("15 minutes", 900),
    ("1 hour", 3600),
    ("3 hours", 10800),
    ("6 hours", 21600),
    ("1 day", 86400),
    ("7 days", 604800),
    ("30 days", 2592000),
    ("365 days", 31536000),
)


def _time_extent_s(con: duckdb.DuckDBPyConnection, table: str) -> tuple[float, float]:
    """The series' span and its typical reading interval (span over distinct timestamps), in seconds."""
    con = store.facility(con)
    cur = con.cursor()
    try:
        lo, hi, stamps = cur.execute(
            f"SELECT min(ts), max(ts), {store.distinct_estimate(con, 'ts')} FROM {table}"
        ).fetchone()
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
    con = store.facility(con)
    _require(info, "PUE", "ts", "it_kw", "facility_kw")
    label, seconds = _bucket(con, info.table, max_points)
    return query_df(
        con,
        f"SELECT {store.time_bucket(con, 'ts')} AS bucket, avg(it_kw) AS it_kw, avg(facility_kw) AS facility_kw, "
        f"sum(facility_kw) / NULLIF(sum(it_kw), 0) AS pue, count(*) AS readings, ? AS bucket_size "
        f"FROM {info.table} GROUP BY bucket ORDER BY bucket LIMIT ?",
        [seconds, label, max_points],
    )


def meter_summary(con: duckdb.DuckDBPyConnection, info: DatasetInfo) -> dict[str, Any]:
    """Overall PUE and the period the meter data covers."""
    con = store.facility(con)
    cur = con.cursor()
    try:
        row = cur.execute(
            f"SELECT sum(facility_kw) / NULLIF(sum(it_kw), 0), min(ts), max(ts), avg(it_kw), count(*) FROM {info.table}"
        ).fetchone()
    finally:
        cur.close()
    return dict(zip(("pue", "start", "end", "avg_it_kw", "readings"), row))


def telemetry_power_over_time(
    con: duckdb.DuckDBPyConnection,
    info: DatasetInfo,
    max_points: int = MAX_POINTS,
    host_map: DatasetInfo | None = None,
    bucket_s: int | None = None,
    use_rollup: bool = True,
) -> pd.DataFrame:
    """Site power per time bucket: the sum over racks of each rack's sources summed (each source's mean in
    the bucket), at most ``max_points`` rows; the bucket is the data's own (or ``bucket_s``), widened
    only as far as the cap on points needs. Columns: bucket, site_kw, max_rack_kw, max_inlet_c, racks,
    sources, bucket_size, level; read from the dataset's rollup (:mod:`rollups`, with site_min_kw,
    site_max_kw and resolution) when the chart's bucket is whole rollup intervals and ``use_rollup``."""
    con = store.facility(con)
    _require(info, "power over time", "ts", "rack_id", "power_kw", "inlet_temp_c")
    if use_rollup and host_map is None and bucket_s is None:
        from_rollup = rollups.site_series(con, info, max_points, choose_bucket)
        if from_rollup is not None:
            return from_rollup
    span_s, _ = _time_extent_s(con, info.table)
    _, chart_s = choose_bucket(span_s, max_points)
    b = rack_power.basis(con, info, host_map=host_map, bucket_s=bucket_s, min_bucket_s=chart_s)
    sql, params = rack_power.site_buckets_sql(con, b)
    return query_df(
        con,
        f"SELECT bucket, site_kw, max_rack_kw, max_inlet_c, racks, sources, ? AS bucket_size, ? AS level "
        f"FROM ({sql}) sb ORDER BY bucket LIMIT ?",
        [b.bucket_label, b.level, *params, max_points],
    )


def rack_power_at_last(
    con: duckdb.DuckDBPyConnection, info: DatasetInfo, host_map: DatasetInfo | None = None
) -> pd.DataFrame:
    """Each rack's (or node's) power in the last bucket, busiest first: what a single instant can show."""
    con = store.facility(con)
    b = rack_power.basis(con, info, host_map=host_map)
    sql, params = rack_power.rack_buckets_sql(con, b)
    return query_df(
        con,
        f"WITH rb AS ({sql}) SELECT bucket, rack_id, kw, sources, ? AS level FROM rb "
        "WHERE bucket = (SELECT max(bucket) FROM rb) ORDER BY kw DESC, rack_id",
        [*params, b.level],
    )


def hottest_racks(
    con: duckdb.DuckDBPyConnection, info: DatasetInfo, n: int = 15, host_map: DatasetInfo | None = None
) -> pd.DataFrame:
    """The racks with the highest inlet temperature (95th percentile), or highest power without temperatures.

    Power is the rack's per-bucket sum over its sources (mean and peak of those sums)."""
    con = store.facility(con)
    _require(info, "hottest racks", "rack_id", "inlet_temp_c", "outlet_temp_c", "power_kw")
    b = rack_power.basis(con, info, host_map=host_map)
    sql, params = rack_power.rack_buckets_sql(con, b)
    join, unit, _ = rack_power.map_join(b)
    return query_df(
        con,
        f"WITH temps AS (SELECT {unit} AS rack_id, percentile_cont(0.95) WITHIN GROUP (ORDER BY t.inlet_temp_c) "
        "AS inlet_p95_c, max(t.inlet_temp_c) AS inlet_max_c, avg(t.outlet_temp_c) AS outlet_avg_c, "
        "count(*) AS readings "
        f"FROM {info.table} t {join} GROUP BY {unit}), power AS (SELECT rack_id, avg(kw) AS avg_kw, max(kw) AS max_kw, "
        f"max(sources) AS sources FROM ({sql}) rb GROUP BY rack_id) "
        "SELECT p.rack_id, t.inlet_p95_c, t.inlet_max_c, t.outlet_avg_c, p.avg_kw, p.max_kw, t.readings, p.sources, "
        "? AS level FROM power p JOIN temps t ON t.rack_id = p.rack_id "
        "ORDER BY t.inlet_p95_c DESC NULLS LAST, p.avg_kw DESC NULLS LAST, p.rack_id LIMIT ?",
        [*params, b.level, n],
    )
