"""A live telemetry source: a Prometheus-compatible server registered as a dataset, summed where it lives.

Registering a source (a base URL, the power metric, a window of hours back from now or a fixed
range, optionally a host-to-rack map) asks the server for per-rack (or per-host) sums per bucket
(:func:`prom_pushdown.bucket_sums`: each GPU's mean in the bucket, one reading per physical GPU,
summed by the TSDB) and keeps only those sums as the dataset's rows: one row per rack (or host)
and bucket, never a GPU series. Every consumer of power readings then reads it as any telemetry
dataset (My facility's site views, ``stranded``, "Start from my site", ``summary``, the report),
and the sum rule of :mod:`rack_power` over these rows gives the server's own sums back (one
source per rack per bucket, or one per host where a map places hosts in racks).

**Refreshing** asks the server again for the same source (the window moves with the clock)
and replaces the rows, the catalog row's figures and time, and the rollup, in one transaction
of the store: a reader sees the previous refresh or the new one, whole. The network part
(:func:`fetch`) touches no store, so a slow server never holds the database; :func:`store_new`
and :func:`store_refresh` then write.

The credentials and TLS settings of the server are the operator's, read at each request from
the secrets file (:mod:`prometheus_access`); the dataset keeps only the base URL, the metric,
the window and the map's name.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import duckdb

from factorycore import ownership, store
from factorycore.userdata import catalog, dcgm_labels, ingest, kinds, prom_pushdown, prometheus, rack_power, rollups
from factorycore.userdata.catalog import SHARED, DatasetError, DatasetInfo
from factorycore.userdata.kinds.spec import ROLE_HOST_RACK_MAP

KIND = "telemetry"
FORMAT = "prometheus_live"
DEFAULT_HOURS = 24.0
MAX_HOURS = 366 * 24.0


@dataclass(frozen=True)
class Source:
    """What a live dataset asks its server for: kept in the dataset's details, never a credential."""

    url: str
    metric: str = dcgm_labels.DCGM_POWER_METRIC
    step_s: int = prom_pushdown.DEFAULT_STEP_S
    hours: float | None = DEFAULT_HOURS  # a window ending at each refresh; None with a fixed range
    start: dt.datetime | None = None
    end: dt.datetime | None = None
    host_racks: str | None = None  # the name of the host-to-rack map dataset

    def window(self, now: dt.datetime | None = None) -> tuple[dt.datetime, dt.datetime]:
        """The range to ask for now: the fixed range, or the last ``hours`` up to ``now``."""
        if self.start is not None and self.end is not None:
            return self.start, self.end
        end = now or dt.datetime.now(dt.UTC)
        return end - dt.timedelta(hours=float(self.hours or DEFAULT_HOURS)), end

    def as_details(self) -> dict[str, Any]:
        return {
            "url": self.url,
            "metric": self.metric,
            "step_s": self.step_s,
            "hours": self.hours,
            "start": None if self.start is None else self.start.isoformat(),
            "end": None if self.end is None else self.end.isoformat(),
            "host_racks": self.host_racks,
        }

    @classmethod
    def from_details(cls, live: dict[str, Any]) -> Source:
        def when(text: Any) -> dt.datetime | None:
            return None if not text else dt.datetime.fromisoformat(str(text))

        return cls(
            url=str(live["url"]),
            metric=str(live.get("metric") or dcgm_labels.DCGM_POWER_METRIC),
            step_s=int(live.get("step_s") or prom_pushdown.DEFAULT_STEP_S),
            hours=None if live.get("hours") is None else float(live["hours"]),
            start=when(live.get("start")),
            end=when(live.get("end")),
            host_racks=live.get("host_racks") or None,
        )


@dataclass
class Fetched:
    """What the server summed, ready to store (no store touched yet)."""

    source: Source
    sums: prom_pushdown.BucketSums
    base: str
    refreshed: dt.datetime
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Stored:
    """A stored (or refreshed) live dataset: its id, rows, level and what to tell the user."""

    dataset_id: int
    name: str
    rows: int
    level: str
    bucket_s: int
    notes: list[str]


def is_live(info: DatasetInfo) -> bool:
    """Whether the dataset's rows are a live source's sums (refreshable from its server)."""
    return isinstance((info.details or {}).get("live"), dict)


def source_of(info: DatasetInfo) -> Source:
    """The live source a dataset was registered with; :class:`DatasetError` for any other dataset."""
    if not is_live(info):
        raise DatasetError(f"{info.name!r} is not a live source: it was stored from {info.source_file!r}")
    return Source.from_details(info.details["live"])


def check_source(source: Source, allowed_hosts: Sequence[str] | None = None) -> Source:
    """``source`` with its URL reduced to the base URL, refused (:class:`prometheus.PrometheusError`) when the
    URL is not a permitted base URL or the window is not one the product asks for."""
    target = prometheus.parse_target(source.url, allowed_hosts)
    if int(source.step_s) not in rack_power.BUCKETS_S or source.step_s > 3600:
        raise prometheus.PrometheusError(
            f"the scrape interval is {source.step_s} s; give one of "
            f"{', '.join(str(b) for b in rack_power.BUCKETS_S if b <= 3600)} seconds (the buckets file ingest uses)"
        )
    if source.start is not None or source.end is not None:
        if source.start is None or source.end is None or source.end <= source.start:
            raise prometheus.PrometheusError("a fixed range needs a start and an end after it")
        return Source(target.base, source.metric, source.step_s, None, source.start, source.end, source.host_racks)
    hours = float(source.hours or DEFAULT_HOURS)
    if not 0 < hours <= MAX_HOURS:
        raise prometheus.PrometheusError(f"the window is {hours:g} hours; give more than 0 and at most {MAX_HOURS:g}")
    return Source(target.base, source.metric, int(source.step_s), hours, None, None, source.host_racks)


def fetch(
    source: Source,
    *,
    allowed_hosts: Sequence[str] | None = None,
    progress: Callable[[float, str], None] | None = None,
    now: dt.datetime | None = None,
) -> Fetched:
    """Ask the server for the source's per-bucket sums (the network part; no store is touched)."""
    source = check_source(source, allowed_hosts)
    start, end = source.window(now)
    sums = prom_pushdown.bucket_sums(
        source.url,
        start,
        end,
        metric=source.metric,
        step_s=source.step_s,
        by_host=source.host_racks is not None,
        allowed_hosts=allowed_hosts,
        progress=progress,
    )
    if sums.frame.empty:
        raise prometheus.PrometheusError(
            f"Prometheus at {source.url} has {source.metric} series but no readings between "
            f"{start:%Y-%m-%d %H:%M} and {end:%Y-%m-%d %H:%M} UTC"
        )
    return Fetched(source, sums, source.url, dt.datetime.now(dt.UTC))


def host_rack_pairs(con: duckdb.DuckDBPyConnection, name: str, workspaces: list[str]) -> list[tuple[str, str]]:
    """The (host, rack) pairs of the host-to-rack map dataset ``name``; :class:`DatasetError` for a dataset that
    is not one (live sources and ``live-summary`` place the server's per-host sums with them)."""
    info = catalog.get_dataset(con, name=name, workspaces=workspaces)
    if not info.spec.has_role(ROLE_HOST_RACK_MAP):
        raise DatasetError(f"{name!r} cannot map hosts to racks: it is {info.kind}, not a dataset with a host column")
    with store.facility(con).cursor() as cur:
        return cur.execute(
            f"SELECT device, rack_id FROM {info.table} WHERE device IS NOT NULL AND rack_id IS NOT NULL"
        ).fetchall()


def _rows(cur: duckdb.DuckDBPyConnection, fetched: Fetched, pairs: list | None, notes: list[str]) -> tuple[str, int]:
    """Stage the rows in ``cur`` as ``live_rows`` (the telemetry table's columns); the level and the count."""
    cur.register("live_in", fetched.sums.frame)
    cur.execute(
        "CREATE OR REPLACE TEMP TABLE live_units AS SELECT CAST(unit AS VARCHAR) AS unit, "
        "CAST(bucket AS BIGINT) AS bucket, CAST(w AS DOUBLE) AS w FROM live_in"
    )
    cur.unregister("live_in")
    ts = "CAST(timezone('UTC', to_timestamp(bucket)) AS TIMESTAMP)"
    if pairs is not None:
        rack = prom_pushdown.placed_in_racks(cur, "live_units", pairs, notes)
        select = f"SELECT {ts} AS ts, {rack} AS rack_id, w / 1000 AS power_kw, unit AS source FROM live_units"
        level = rack_power.LEVEL_RACK
    else:
        select = (
            f"SELECT {ts} AS ts, unit AS rack_id, w / 1000 AS power_kw, CAST(NULL AS VARCHAR) AS source FROM live_units"
        )
        level = rack_power.LEVEL_RACK if fetched.sums.labelled else rack_power.LEVEL_NODE
    cur.execute(
        "CREATE OR REPLACE TEMP TABLE live_rows AS SELECT ts, rack_id, power_kw, CAST(NULL AS DOUBLE) AS inlet_temp_c, "
        f"CAST(NULL AS DOUBLE) AS outlet_temp_c, source FROM ({select}) r WHERE rack_id IS NOT NULL"
    )
    count = int(cur.execute("SELECT count(*) FROM live_rows").fetchone()[0])
    if not count:
        if pairs is not None:
            hosts = cur.execute("SELECT count(DISTINCT unit) FROM live_units").fetchone()[0]
            raise DatasetError(
                f"none of the {hosts:,} host(s) the server summed is in the host-to-rack map "
                f"{fetched.source.host_racks!r}: choose the map of these hosts, or none for per-node figures"
            )
        raise DatasetError("the server's sums held no rack or host names; nothing was stored")
    return level, count


def _details(fetched: Fetched, level: str, notes: list[str]) -> dict[str, Any]:
    sums = fetched.sums
    first = dt.datetime.fromtimestamp(sums.first_s, dt.UTC)
    last = dt.datetime.fromtimestamp(sums.last_s + sums.bucket_s, dt.UTC)
    how = sums.describe()
    mapping = {"timestamp": "bucket start", "rack_id": sums.unit_label, "power_kw": f"{fetched.source.metric} (W)"}
    if fetched.source.host_racks is not None:
        mapping["rack_id"] = f"rack of the host, by {fetched.source.host_racks!r}"
        mapping["source"] = sums.unit_label
    return {
        "live": {
            **fetched.source.as_details(),
            "bucket_s": sums.bucket_s,
            "refreshed": fetched.refreshed.isoformat(timespec="seconds"),
            "first": first.isoformat(),
            "last": last.isoformat(),
            "queries": sums.queries,
            "how": how,
        },
        "mapping": mapping,
        "units": {"power_kw": "W"},
        "conversion": {"source_format": FORMAT, "level": level},
        "notes": [
            f"{how}; {rack_power.bucket_label(sums.bucket_s)} buckets from {first:%Y-%m-%d %H:%M} to "
            f"{last:%Y-%m-%d %H:%M} UTC, refreshed {fetched.refreshed:%Y-%m-%d %H:%M} UTC",
            *notes,
        ],
    }


def _source_file(fetched: Fetched) -> str:
    return (
        f"Prometheus {fetched.base} (live: {fetched.source.metric}, "
        f"{rack_power.bucket_label(fetched.sums.bucket_s)} buckets)"
    )


_NO_REJECTS = (
    'SELECT CAST(NULL AS BIGINT) AS "row", CAST(NULL AS VARCHAR) AS "column", CAST(NULL AS VARCHAR) AS message, '
    "CAST(NULL AS VARCHAR) AS raw_line WHERE false"
)


def _staged(
    con: duckdb.DuckDBPyConnection, cur: duckdb.DuckDBPyConnection, fetched: Fetched, workspaces: list[str]
) -> tuple[str, int, dict[str, Any]]:
    """The fetched sums staged in ``cur`` as ``live_rows`` (hosts placed by the map); level, rows, details."""
    notes = list(fetched.notes)
    pairs = None
    if fetched.source.host_racks is not None:
        pairs = host_rack_pairs(con, fetched.source.host_racks, workspaces)
    level, count = _rows(cur, fetched, pairs, notes)
    return level, count, _details(fetched, level, notes)


def store_new(
    con: duckdb.DuckDBPyConnection,
    fetched: Fetched,
    *,
    name: str,
    workspace: str = SHARED,
    owner: str | None = None,
) -> Stored:
    """Register what :func:`fetch` got as a new telemetry dataset called ``name``, in one transaction
    (:func:`ingest.store_dataset`, the one way a dataset is stored)."""
    catalog.ensure_catalog(con)
    name = catalog.validate_name(name)
    cur = con.cursor()
    try:
        level, count, details = _staged(con, cur, fetched, [workspace, SHARED])
        dataset_id = ingest.store_dataset(
            store.facility(con),
            cur,
            spec=kinds.get(KIND),
            name=name,
            workspace=workspace,
            source=_source_file(fetched),
            details=details,
            owner=owner,
            stored="SELECT * FROM live_rows",
            rejected=_NO_REJECTS,
        )
    finally:
        cur.close()
    rollups.after_ingest(con, dataset_id, workspace)
    return Stored(dataset_id, name, count, level, fetched.sums.bucket_s, details["notes"])


def store_refresh(
    con: duckdb.DuckDBPyConnection, info: DatasetInfo, fetched: Fetched, *, user: str | None = None
) -> Stored:
    """Replace a live dataset's rows with what :func:`fetch` got, its catalog row and rollup with them, in one
    transaction. Only its owner may refresh it where sign-in is on."""
    ownership.check(info.owner, user, f"the dataset {info.name!r}", DatasetError)
    facility = store.facility(con)
    cur = con.cursor()
    try:
        level, count, details = _staged(con, cur, fetched, [info.workspace, SHARED])
        try:
            with facility.writer(cur) as out, store.transaction(out):
                still = out.execute(
                    f"SELECT table_name FROM {catalog.CATALOG} WHERE dataset_id = ?", [info.dataset_id]
                ).fetchone()
                if still is None:
                    raise DatasetError(f"{info.name!r} was deleted meanwhile; nothing was refreshed")
                out.execute(f"DROP TABLE IF EXISTS {rollups.table_of(info)}")
                out.execute(f"DROP TABLE IF EXISTS {rack_power.sums_table_of(info)}")
                out.execute(f"DROP TABLE {info.table}")
                facility.create_table_from(cur, "SELECT * FROM live_rows", out, info.table)
                out.execute(
                    f"UPDATE {catalog.CATALOG} SET rows_accepted = ?, source_file = ?, details = ?, "
                    "created = localtimestamp WHERE dataset_id = ?",
                    [count, _source_file(fetched)[:256], json.dumps(details), info.dataset_id],
                )
        except (store.WriteConflict, store.DiskFull) as exc:
            raise catalog.write_error(exc, catalog.taken_message(info.name)) from None
    finally:
        cur.close()
    rollups.after_ingest(con, info.dataset_id, info.workspace)
    return Stored(info.dataset_id, info.name, count, level, fetched.sums.bucket_s, details["notes"])


def register(
    con: duckdb.DuckDBPyConnection,
    source: Source,
    *,
    name: str,
    workspace: str = SHARED,
    owner: str | None = None,
    allowed_hosts: Sequence[str] | None = None,
    progress: Callable[[float, str], None] | None = None,
) -> Stored:
    """:func:`fetch` then :func:`store_new`: a live source registered as a dataset (the command line's way)."""
    catalog.validate_name(name)
    if source.host_racks is not None:
        host_rack_pairs(con, source.host_racks, [workspace, SHARED])  # a wrong map is refused before the network
    return store_new(
        con, fetch(source, allowed_hosts=allowed_hosts, progress=progress), name=name, workspace=workspace, owner=owner
    )


def refresh(
    con: duckdb.DuckDBPyConnection,
    info: DatasetInfo,
    *,
    user: str | None = None,
    allowed_hosts: Sequence[str] | None = None,
    progress: Callable[[float, str], None] | None = None,
) -> Stored:
    """:func:`fetch` again for a live dataset's source, then :func:`store_refresh`."""
    ownership.check(info.owner, user, f"the dataset {info.name!r}", DatasetError)
    fetched = fetch(source_of(info), allowed_hosts=allowed_hosts, progress=progress)
    return store_refresh(con, info, fetched, user=user)


def status(info: DatasetInfo) -> str:
    """One line for a live dataset: where it is summed, its window and when it was last refreshed."""
    live = source_of(info)
    details = info.details["live"]
    window = (
        f"the last {live.hours:g} hours at each refresh"
        if live.start is None
        else f"{live.start:%Y-%m-%d %H:%M} to {live.end:%Y-%m-%d %H:%M} UTC"
    )
    return (
        f"Live from Prometheus at {live.url} ({live.metric}): summed by the server in "
        f"{rack_power.bucket_label(int(details.get('bucket_s') or live.step_s))} buckets over {window}; "
        f"last refreshed {details.get('refreshed', '?')} UTC."
    )


__all__ = [
    "DEFAULT_HOURS",
    "FORMAT",
    "Fetched",
    "Source",
    "Stored",
    "check_source",
    "fetch",
    "host_rack_pairs",
    "is_live",
    "refresh",
    "register",
    "source_of",
    "status",
    "store_new",
    "store_refresh",
]
