"""A rack's power is the sum of its sources: the one rule every consumer of power readings uses.

A power-readings dataset (a kind with the ``power_readings`` role) holds readings of
*sources*: a node, a PDU, a feed, an outlet or a GPU, named by its ``source`` column
(absent: each rack is one source). A rack's power at an instant is

    rack_kw(bucket) = sum over the rack's sources of avg(the source's readings in the bucket)

so two PDUs of one rack add up, and a source read twice in a bucket counts once. The
bucket is stated, or the data's own interval (the median gap between a source's
consecutive readings, rounded to a whole bucket): one reading per source per bucket,
so nothing is averaged over time that a p95 should see. The site's power per bucket is
the sum of its racks. My facility's views, ``stranded``, the planner's "Start from my
site", ``summary``, the report and the deck all read :func:`rack_buckets_sql`.

**Nodes are not racks.** Power per node (IPMI, Redfish, DCGM hosts) with no rack column
is a *node* dataset: its ``rack_id`` holds the node's name. With a host-to-rack map (a
dataset whose kind has the ``host_rack_map`` role: ``device`` -> ``rack_id``) its nodes
roll up to racks (names matched without case, and by the short name before the first
dot); without one the figures are per node and never ranked against rack densities.

**Kept sums.** At ingest the rule is computed once at the data's own bucket and kept beside the
readings (:func:`keep_sums`: ``<dataset table>_racks``, one row per rack and bucket, in either
store). Every figure at that bucket without a host map (the p95s and peaks of ``summary``,
``stranded``, "Start from my site", the density views, the rollups) then reads those rows
instead of grouping the readings again: the same figures, exactly, from as many rows as racks
x buckets instead of sources x buckets. A stated bucket, a chart's coarser bucket or a host
map reads the readings (a mean of sums is not a sum of means where a source misses a bucket).
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from factorycore import store
from factorycore.userdata.catalog import CATALOG, DatasetError, DatasetInfo, get_dataset
from factorycore.userdata.kinds.spec import ROLE_HOST_RACK_MAP, ROLE_POWER_READINGS

if TYPE_CHECKING:  # pandas only where a frame is returned: ingest builds rollups through this module
    import pandas as pd

# Round buckets, smallest first: the data's interval is rounded up to one of them.
BUCKETS_S: tuple[int, ...] = (
    1, 5, 10, 15, 20, 30, 60, 120, 180, 300, 600, 900, 1200, 1800, 3600, 7200, 10800, 14400, 21600, 43200, 86400, 604800
)  # fmt: skip
# A gap this much shorter than a round bucket still rounds to it (readings 59.9 s apart are
# one a minute), so clock jitter does not halve the bucket.
JITTER = 0.9
# Without two readings of one source there is no interval: one bucket of this size.
DEFAULT_BUCKET_S = 60
MAX_BUCKET_S = 366 * 86400
# Headers that name a node, not a rack: a rack_id mapped from one makes a node dataset.
NODE_HEADERS = frozenset({"host", "hostname", "host_name", "node", "node_name", "server", "server_name", "instance"})

LEVEL_RACK = "rack"
LEVEL_NODE = "node"


def bucket_label(seconds: int) -> str:
    """'1 minute', '5 minutes', '90 seconds', '1 day': a bucket in words."""
    for unit_s, word in ((604800, "week"), (86400, "day"), (3600, "hour"), (60, "minute"), (1, "second")):
        if seconds % unit_s == 0:
            n = seconds // unit_s
            return f"{n} {word}{'' if n == 1 else 's'}"
    return f"{seconds} seconds"


_BUCKET_TEXT = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$")
_BUCKET_UNITS = {
    "": 1,
    "s": 1,
    "sec": 1,
    "secs": 1,
    "second": 1,
    "seconds": 1,
    "m": 60,
    "min": 60,
    "mins": 60,
    "minute": 60,
    "minutes": 60,
    "h": 3600,
    "hr": 3600,
    "hour": 3600,
    "hours": 3600,
    "d": 86400,
    "day": 86400,
    "days": 86400,
}


def parse_bucket(text: str) -> int:
    """Seconds from '60', '60s', '1m', '5 min', '1h', '1d'; ValueError naming the forms otherwise."""
    match = _BUCKET_TEXT.match(str(text).lower())
    if not match or match.group(2) not in _BUCKET_UNITS:
        raise ValueError(f"{text!r} is not a bucket; give seconds or a number with s, m, h or d (e.g. 60s, 1m, 15m)")
    seconds = float(match.group(1)) * _BUCKET_UNITS[match.group(2)]
    if seconds != int(seconds) or not 1 <= seconds <= MAX_BUCKET_S:
        raise ValueError(f"a bucket is a whole number of seconds from 1 to {MAX_BUCKET_S:,}; {text!r} is not")
    return int(seconds)


def round_bucket(interval_s: float) -> int:
    """The smallest round bucket that holds one reading ``interval_s`` apart (within clock jitter)."""
    return next((b for b in BUCKETS_S if b >= interval_s * JITTER), BUCKETS_S[-1])


@dataclass(frozen=True)
class Basis:
    """How one power-readings dataset is summed: bucket, level (rack or node), map, source column."""

    info: DatasetInfo
    bucket_s: int
    bucket_stated: bool
    interval_s: float | None
    level: str
    host_map: DatasetInfo | None
    has_source: bool
    sums_table: str | None = None  # the kept per-rack sums this basis reads, where they apply

    @property
    def bucket_label(self) -> str:
        """The bucket in words."""
        return bucket_label(self.bucket_s)

    @property
    def unit(self) -> str:
        """'rack' or 'node': what one summed series is."""
        return self.level

    def describe(self) -> str:
        """One sentence: how a rack's (or node's) power is computed from the readings."""
        sources = "its sources (the source column)" if self.has_source else "its readings (one source each)"
        if self.host_map is not None:
            sources = f"its nodes (mapped to racks by {self.host_map.name!r}) and their sources"
        if self.bucket_stated:
            bucket = f"{self.bucket_label} buckets (stated)"
        elif self.interval_s:
            bucket = f"{self.bucket_label} buckets (the data's own interval, {self.interval_s:,.0f} s between readings)"
        else:
            bucket = f"{self.bucket_label} buckets (no source was read twice, so no interval of its own)"
        return (
            f"a {self.level}'s power per bucket is the sum over {sources} of each source's mean reading in the "
            f"bucket; {bucket}"
        )


def table_columns(con: Any, table: str) -> set[str]:
    """The columns a stored table really has (a table stored before a field was added lacks it)."""
    schema, _, name = table.rpartition(".")
    cur = store.facility(con).cursor()
    try:
        rows = cur.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = ? AND table_name = ?",
            [schema or "main", name],
        ).fetchall()
    finally:
        cur.close()
    return {r[0] for r in rows}


def level_of(info: DatasetInfo) -> str:
    """'node' when the dataset's rack_id names nodes (a conversion said so, or it was read from a
    host-like header), else 'rack'."""
    details = info.details or {}
    conversion = details.get("conversion") or {}
    if conversion.get("level") in (LEVEL_NODE, LEVEL_RACK):
        return conversion["level"]
    header = (details.get("mapping") or {}).get("rack_id")
    if header:
        from factorycore.userdata.detect import normalise_header  # noqa: PLC0415 - only for this check

        if normalise_header(str(header))[0] in NODE_HEADERS:
            return LEVEL_NODE
    return LEVEL_RACK


def _source_expr(has_source: bool) -> str:
    return "coalesce(t.source, '')" if has_source else "''"


# The interval is read from this many racks (or nodes), the first by name: enough for a median, and a
# fixed cost on a table of any size. Once read when the sums are kept, it is kept in the catalog row.
INTERVAL_KEY = "reading_interval_s"
INTERVAL_SAMPLE_RACKS = 32
_intervals: dict[tuple[str, str, int, int], float | None] = {}


def reading_interval_s(con: Any, info: DatasetInfo) -> float | None:
    """The data's own interval: the median gap (s) between a source's consecutive distinct readings, over
    the first :data:`INTERVAL_SAMPLE_RACKS` racks. A stored dataset never changes, so it is read once per
    process."""
    kept = (info.details or {}).get(INTERVAL_KEY)
    if isinstance(kept, (int, float)):
        return float(kept)
    key = (info.table, str(info.created), int(info.dataset_id), int(info.rows_accepted))
    if key in _intervals:
        return _intervals[key]
    has_source = _has_sources(con, info)
    row = _one(
        con,
        "SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY gap) FROM (SELECT date_part('epoch', ts) - "
        "date_part('epoch', lag(ts) OVER (PARTITION BY rack_id, src ORDER BY ts)) AS gap FROM (SELECT DISTINCT "
        f"t.ts, t.rack_id, {_source_expr(has_source)} AS src FROM {info.table} t WHERE t.ts IS NOT NULL "
        f"AND t.rack_id IN (SELECT rack_id FROM (SELECT DISTINCT rack_id FROM {info.table} "
        "WHERE rack_id IS NOT NULL) r ORDER BY rack_id LIMIT ?)) d) g WHERE gap > 0",
        [INTERVAL_SAMPLE_RACKS],
    )
    interval = float(row[0]) if row and row[0] is not None else None
    if len(_intervals) > 256:
        _intervals.clear()
    _intervals[key] = interval
    return interval


def _one(con: Any, sql: str, params: list[Any] | None = None) -> tuple:
    cur = store.facility(con).cursor()
    try:
        return cur.execute(sql, params or []).fetchone()
    finally:
        cur.close()


def basis(
    con: Any,
    info: DatasetInfo,
    *,
    bucket_s: int | None = None,
    host_map: DatasetInfo | None = None,
    min_bucket_s: int = 0,
    from_readings: bool = False,
) -> Basis:
    """How ``info`` is summed: the stated ``bucket_s`` or the data's own, at least ``min_bucket_s`` (a chart's
    cap on points), rolled up through ``host_map`` when its rack_id names nodes; read from the kept per-rack
    sums where they apply, unless ``from_readings``.

    Raises :class:`DatasetError` when ``info`` holds no power readings or ``host_map`` maps no hosts.
    """
    if not info.spec.has_role(ROLE_POWER_READINGS):
        raise DatasetError(f"rack power needs power readings (telemetry); {info.name!r} is {info.kind}")
    if host_map is not None and not host_map.spec.has_role(ROLE_HOST_RACK_MAP):
        raise DatasetError(
            f"{host_map.name!r} cannot map hosts to racks: it is {host_map.kind}, not a dataset with a host "
            "(device) and a rack column"
        )
    level = level_of(info)
    if level == LEVEL_RACK:
        host_map = None  # the readings name their racks already
    stated = bucket_s is not None
    interval = reading_interval_s(con, info)
    own_s = round_bucket(interval) if interval else DEFAULT_BUCKET_S
    seconds = bucket_s if bucket_s is not None else own_s
    if min_bucket_s > seconds:
        seconds, stated = round_bucket(min_bucket_s / JITTER), stated
    kept = None if from_readings or host_map is not None or seconds != own_s else kept_sums(con, info)
    return Basis(
        info,
        int(seconds),
        stated,
        interval,
        LEVEL_RACK if host_map is not None else level,
        host_map,
        _has_sources(con, info),
        kept,
    )


SUMS_SUFFIX = "_racks"


def keep_sums_of(con: Any, dataset_id: int, workspace: str) -> None:
    """:func:`keep_sums` for a dataset just stored; a failure leaves it read from its readings, never lost."""
    info = get_dataset(con, dataset_id=dataset_id, workspaces=[workspace])
    try:
        keep_sums(con, info)
    except Exception:  # noqa: BLE001 - the kept sums are a cache of the readings, never a reason to lose them
        with store.facility(con).cursor() as cur:
            cur.execute(f"DROP TABLE IF EXISTS {sums_table_of(info)}")


def sums_table_of(info: DatasetInfo) -> str:
    """Where a dataset's per-rack sums are kept (its own table's name plus a suffix)."""
    return f"{info.table}{SUMS_SUFFIX}"


def kept_sums(con: Any, info: DatasetInfo) -> str | None:
    """The dataset's kept per-rack sums table, or ``None`` (stored before sums were kept, or being rebuilt)."""
    return sums_table_of(info) if table_columns(con, sums_table_of(info)) else None


def keep_sums(con: Any, info: DatasetInfo) -> int | None:
    """Compute the rule once at the data's own bucket and keep it (``<table>_racks``: bucket, rack_id, kw,
    sources, inlet_max_c), replacing an earlier one; its rows, or ``None`` for a dataset without power readings."""
    if not info.spec.has_role(ROLE_POWER_READINGS):
        return None
    facility = store.facility(con)
    b = basis(facility, info, from_readings=True)
    sql, params = rack_buckets_sql(facility, b)
    target = sums_table_of(info)
    cur = facility.cursor()
    try:
        with store.transaction(cur):
            cur.execute(f"DROP TABLE IF EXISTS {target}")
            cur.execute(
                f"CREATE TABLE {target} (bucket TIMESTAMP, rack_id VARCHAR, kw DOUBLE PRECISION, sources BIGINT, "
                "inlet_max_c DOUBLE PRECISION)"
            )
            cur.execute(
                f"INSERT INTO {target} SELECT bucket, rack_id, kw, sources, inlet_max_c FROM ({sql}) rb", params
            )
            if b.interval_s is not None:  # read once here, so no later view scans the readings for it
                details = json.dumps({**(info.details or {}), INTERVAL_KEY: b.interval_s})
                cur.execute(f"UPDATE {CATALOG} SET details = ? WHERE dataset_id = ?", [details, info.dataset_id])
            return int(cur.execute(f"SELECT count(*) FROM {target}").fetchone()[0])
    finally:
        cur.close()


def _has_sources(con: Any, info: DatasetInfo) -> bool:
    """Whether the readings name their sources: the table has the column and the file filled it."""
    details = info.details or {}
    named = "source" in (details.get("mapping") or {})
    return named and "source" in table_columns(con, info.table)


def map_join(b: Basis) -> tuple[str, str, str]:
    """(join, unit expression, source expression) for the readings of ``b``."""
    src = _source_expr(b.has_source)
    if b.host_map is None:
        return "", "t.rack_id", src
    key = "split_part(lower({}), '.', 1)"
    join = (
        f"LEFT JOIN (SELECT {key.format('device')} AS host_key, min(rack_id) AS mapped_rack "
        f"FROM {b.host_map.table} WHERE device IS NOT NULL AND rack_id IS NOT NULL GROUP BY {key.format('device')}) m "
        f"ON m.host_key = {key.format('t.rack_id')}"
    )
    return join, "m.mapped_rack", f"t.rack_id || chr(31) || {src}"


def rack_buckets_sql(con: Any, b: Basis) -> tuple[str, list[Any]]:
    """SQL (and its parameters) of one row per bucket and rack (or node): ``bucket, rack_id, kw, sources,
    inlet_max_c``; each source's readings averaged in the bucket, then summed over the rack's sources (read from
    the kept sums where ``b`` says so)."""
    if b.sums_table is not None:
        return f"SELECT bucket, rack_id, kw, sources, inlet_max_c FROM {b.sums_table}", []
    facility = store.facility(con)
    join, unit, src = map_join(b)
    if src == "''":  # one source per rack: one grouping gives the same averages, in one pass
        sql = (
            "SELECT bucket, unit_id AS rack_id, avg(power_kw) AS kw, 1 AS sources, max(inlet_temp_c) AS inlet_max_c "
            f"FROM (SELECT {store.time_bucket(facility, 't.ts')} AS bucket, {unit} AS unit_id, t.power_kw, "
            f"t.inlet_temp_c FROM {b.info.table} t {join} WHERE t.power_kw IS NOT NULL AND t.ts IS NOT NULL) r "
            "WHERE unit_id IS NOT NULL GROUP BY bucket, unit_id"
        )
        return sql, [b.bucket_s]
    sql = (
        "SELECT bucket, unit_id AS rack_id, sum(kw) AS kw, count(*) AS sources, max(inlet_max_c) AS inlet_max_c "
        "FROM (SELECT bucket, unit_id, src, avg(power_kw) AS kw, max(inlet_temp_c) AS inlet_max_c FROM "
        f"(SELECT {store.time_bucket(facility, 't.ts')} AS bucket, {unit} AS unit_id, {src} AS src, t.power_kw, "
        f"t.inlet_temp_c FROM {b.info.table} t {join} WHERE t.power_kw IS NOT NULL AND t.ts IS NOT NULL) r "
        "WHERE unit_id IS NOT NULL GROUP BY bucket, unit_id, src) s GROUP BY bucket, unit_id"
    )
    return sql, [b.bucket_s]


def unmapped_nodes(con: Any, b: Basis, limit: int = 20) -> tuple[int, list[str]]:
    """How many nodes the host map does not place, and the first ``limit`` of their names."""
    if b.host_map is None:
        return 0, []
    join, _, _ = map_join(b)
    cur = store.facility(con).cursor()
    try:
        names = [
            r[0]
            for r in cur.execute(
                f"SELECT DISTINCT t.rack_id FROM {b.info.table} t {join} WHERE m.mapped_rack IS NULL ORDER BY 1"
            ).fetchall()
        ]
    finally:
        cur.close()
    return len(names), names[:limit]


def rack_figures(con: Any, b: Basis) -> pd.DataFrame:
    """Per rack (or node): ``rack_id, p95_kw, peak_kw, mean_kw, sources`` (median summed per bucket),
    ``max_sources``, ``buckets`` and ``missing_readings`` (the rack's most sources x its buckets, less the
    sources summed: a source without a reading in a bucket adds nothing to it); p95 and peak of the
    per-bucket sums."""
    sql, params = rack_buckets_sql(con, b)
    return _df(
        con,
        "SELECT rack_id, percentile_cont(0.95) WITHIN GROUP (ORDER BY kw) AS p95_kw, max(kw) AS peak_kw, "
        "avg(kw) AS mean_kw, percentile_cont(0.5) WITHIN GROUP (ORDER BY sources) AS sources, "
        "max(sources) AS max_sources, count(*) AS buckets, max(sources) * count(*) - sum(sources) AS missing_readings "
        f"FROM ({sql}) rb GROUP BY rack_id ORDER BY rack_id",
        params,
    )


def site_buckets_sql(con: Any, b: Basis) -> tuple[str, list[Any]]:
    """SQL of one row per bucket: ``bucket, site_kw, max_rack_kw, racks, sources, max_inlet_c``."""
    sql, params = rack_buckets_sql(con, b)
    return (
        "SELECT bucket, sum(kw) AS site_kw, max(kw) AS max_rack_kw, count(*) AS racks, sum(sources) AS sources, "
        f"max(inlet_max_c) AS max_inlet_c FROM ({sql}) rb GROUP BY bucket",
        params,
    )


def site_figures(con: Any, b: Basis) -> dict[str, Any]:
    """The site's p95, peak and mean of the per-bucket sums, the buckets counted, and the energy (kWh)
    of the buckets with readings (None for a single instant, which has no duration)."""
    sql, params = site_buckets_sql(con, b)
    row = _one(
        con,
        "SELECT percentile_cont(0.95) WITHIN GROUP (ORDER BY site_kw), max(site_kw), avg(site_kw), count(*), "
        f"sum(site_kw) FROM ({sql}) sb",
        params,
    )
    p95, peak, mean, buckets, total = row
    energy = float(total) * b.bucket_s / 3600 if buckets and buckets > 1 and total is not None else None
    return {
        "site_p95_kw": _num(p95),
        "site_peak_kw": _num(peak),
        "site_mean_kw": _num(mean),
        "buckets": int(buckets or 0),
        "energy_kwh": energy,
    }


def period(con: Any, info: DatasetInfo) -> tuple[Any, Any]:
    """The first and last reading's time."""
    return _one(con, f"SELECT min(ts), max(ts) FROM {info.table}")


def _num(value: Any) -> float | None:
    if value is None:
        return None
    value = float(value)
    return value if math.isfinite(value) else None


def _df(con: Any, sql: str, params: list[Any]) -> pd.DataFrame:
    cur = store.facility(con).cursor()
    try:
        return cur.execute(sql, params).df()
    finally:
        cur.close()


__all__ = [
    "BUCKETS_S",
    "Basis",
    "LEVEL_NODE",
    "LEVEL_RACK",
    "SUMS_SUFFIX",
    "basis",
    "bucket_label",
    "keep_sums",
    "keep_sums_of",
    "kept_sums",
    "level_of",
    "map_join",
    "parse_bucket",
    "rack_buckets_sql",
    "rack_figures",
    "reading_interval_s",
    "round_bucket",
    "site_buckets_sql",
    "site_figures",
    "sums_table_of",
    "unmapped_nodes",
]
