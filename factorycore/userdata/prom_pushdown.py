"""Site figures computed where the telemetry lives: PromQL sums in a Prometheus-compatible store.

Copying every GPU series out (``query_range``, then the sum rule in DuckDB) moves every sample
over the wire. Here the TSDB (Prometheus, Thanos, Mimir, VictoriaMetrics: the same HTTP query
API) does the sums, and only aggregates come back, by file ingest's rules:

1. **Buckets**: each series' mean in each bucket, ``avg_over_time(metric[B])`` evaluated at the
   last millisecond of every bucket, the buckets aligned as file ingest aligns them (on
   2000-01-03, :data:`ORIGIN_S`). The bucket is the scrape interval, or the smallest round
   bucket (:data:`rack_power.BUCKETS_S`) that keeps the range within :data:`MAX_STEPS` buckets
   (never one sample picked per step: every sample counts, as in a file's bucket).
2. **The host** of a series: the first of :data:`dcgm_labels.HOST_LABELS` present, as in file
   ingest (grouped on directly when every series names its host by one label, else set as the
   label :data:`HOST` by ``label_replace``).
3. **One reading per physical GPU** (the MIG rule of file ingest): a GPU is its host and ``gpu``
   index, else its UUID, else its device; ``avg by (host, gpu, rack)``, so MIG instance series,
   which repeat their GPU's device power, and a second scrape job of the same GPU are averaged,
   never added. Where the label census finds no GPU with two series it is left out of the query.
4. **A rack's power**: where every series carries a ``rack`` label, ``sum by (rack)``;
   otherwise ``sum by (host, rack)`` and the hosts are placed in racks in DuckDB through the
   host-to-rack map (names matched as :mod:`rack_power` does); without a map, per node.

The label census reads the series index (``/api/v1/series``: no samples) for a plain selector,
or one instant ``count_over_time`` query for an expression. One range query (in windows of
``query_range``, :data:`PARALLEL_WINDOWS` at a time: long ranges in chunks) returns the
per-bucket sums, a few series per rack or host. p95 (``quantile_cont``, as file ingest's
``percentile_cont``) and peak are computed here on that small answer. ``quantile_over_time`` /
``max_over_time`` subqueries were measured first: each figure re-evaluated the sums over the
whole range, slower than copying every series (bench/RESULTS.md).

Every request goes through :mod:`factorycore.userdata.prometheus`' client: the operator-listed
host, the base URL only, the operator's credentials and TLS settings, no redirects, one
deadline, caps on bytes, series and samples, and its messages.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import duckdb
import pandas as pd

from factorycore.userdata import dcgm_labels, prometheus, rack_power

MAX_STEPS = 11_000  # buckets per series over the range (Prometheus refuses a query_range of more points)
PARALLEL_WINDOWS = 4  # windows of the range asked at a time: a server evaluates one query on one core
DEFAULT_STEP_S = 15
ORIGIN_S = 946_857_600  # 2000-01-03T00:00:00Z: where both stores align their buckets
EDGE_S = 0.001  # evaluated a millisecond before a bucket ends, so the window is [start, end) as a file's
HOST = "factory_host"  # the label the query sets: the first host label present, as file ingest reads it
GPU = "factory_gpu"  # likewise the physical GPU: gpu index, else UUID, else device
_SELECTOR = re.compile(r"[a-zA-Z_:][a-zA-Z0-9_:]*(\{[^{}]*\})?")


@dataclass
class BucketSums:
    """The TSDB's per-bucket sums: one row per rack (or host) and bucket, and how they were asked for."""

    frame: pd.DataFrame  # unit (rack or host), bucket (epoch s of the bucket's start), w (W)
    unit_label: str  # 'rack', or the host label the units are named by
    labelled: bool  # the units are racks (every series carries a rack label)
    bucket_s: int
    first_s: int  # the first bucket's start
    last_s: int  # the last bucket's start
    repeated: bool  # some GPU has several series (MIG instances, a second scrape job), averaged
    queries: list[str] = field(default_factory=list)

    def describe(self) -> str:
        """One sentence: what the server summed, and how."""
        per = "rack (its rack label)" if self.labelled else "host"
        mig = "; the several series of one GPU (MIG instances, scrape jobs) averaged" if self.repeated else ""
        return (
            f"summed by the Prometheus server: each GPU's mean power in {rack_power.bucket_label(self.bucket_s)} "
            f"buckets (avg_over_time, buckets aligned as file ingest's), one reading per physical GPU, summed per "
            f"{per}{mig}; only those per-bucket sums left the server"
        )


@dataclass
class LiveFigures:
    """What the TSDB computed: per rack (or node) p95 and peak kW, the site's, and how."""

    racks: pd.DataFrame  # rack_id, p95_kw, peak_kw
    site_p95_kw: float | None
    site_peak_kw: float | None
    level: str  # 'rack' or 'node'
    step_s: int
    start: dt.datetime
    end: dt.datetime
    queries: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    how: str = ""

    def describe(self) -> str:
        """One sentence: how the figures were computed, and where."""
        return (
            f"{self.how}, from {self.start:%Y-%m-%d %H:%M} to {self.end:%Y-%m-%d %H:%M} UTC; the p95 and peak of "
            f"the per-bucket sums per {self.level} and for the site computed here"
        )


def choose_step(start: dt.datetime, end: dt.datetime, step_s: int = DEFAULT_STEP_S) -> int:
    """The bucket: the scrape interval ``step_s``, or the smallest round bucket that keeps [start, end] within
    :data:`MAX_STEPS` buckets."""
    span_s = (end - start).total_seconds()
    if span_s <= 0:
        raise prometheus.PrometheusError("the end of the range must be after its start")
    needed = span_s / (MAX_STEPS - 1)
    if needed <= step_s:
        return int(step_s)
    return next((b for b in rack_power.BUCKETS_S if b >= needed), rack_power.BUCKETS_S[-1])


def bucket_start(epoch_s: float, bucket_s: int) -> int:
    """The start of the bucket holding ``epoch_s``, aligned on :data:`ORIGIN_S` as both stores align."""
    return ORIGIN_S + math.floor((epoch_s - ORIGIN_S) / bucket_s) * bucket_s


def with_gpu(expr: str) -> str:
    """PromQL: ``expr`` with :data:`GPU` set to ``gpu<index>``, else the UUID, else the device (each
    ``label_replace`` sets it only from a non-empty label, the most trusted applied last)."""
    for label, value in (("device", "$1"), ("uuid", "$1"), ("UUID", "$1"), ("gpu", "gpu$1")):
        expr = f'label_replace({expr}, "{GPU}", "{value}", "{label}", "(.+)")'
    return expr


def with_host(expr: str) -> str:
    """PromQL: ``expr`` with :data:`HOST` set to the first of :data:`dcgm_labels.HOST_LABELS` present (each
    ``label_replace`` sets it only from a non-empty label, the most trusted applied last)."""
    for label in reversed(dcgm_labels.HOST_LABELS):
        expr = f'label_replace({expr}, "{HOST}", "$1", "{label}", "(.+)")'
    return expr


def bucket_means(metric: str, bucket_s: int, step_s: int) -> str:
    """PromQL: each series' mean over the bucket ending where it is evaluated (a selector as a range vector,
    an expression as a subquery at the scrape interval)."""
    if _SELECTOR.fullmatch(metric.strip()):
        return f"avg_over_time({metric.strip()}[{bucket_s}s])"
    return f"avg_over_time(({metric})[{bucket_s}s:{step_s}s])"


class _Client:
    """The security client's requests, one budget for all the queries of one computation."""

    def __init__(self, url: str, allowed_hosts: Sequence[str] | None, deadline_s: float, timeout_s: float) -> None:
        self.target = prometheus.parse_target(url, allowed_hosts)
        self.budget = prometheus._Budget(deadline_s)
        self.timeout_s = timeout_s
        self.queries: list[str] = []

    def get(self, api: str, params: dict[str, Any], query: str) -> Any:
        """The ``data`` of one answer."""
        self.queries.append(query)
        data = prometheus._request(self.target, api, params, self.budget, self.timeout_s, query)
        return data.get("data")

    def census(self, metric: str, first_s: float, last_s: float, step_s: int) -> list[tuple[dict[str, str], int]]:
        """Each label combination of host labels, rack and gpu index, and how many series carry it."""
        keys = (*dcgm_labels.HOST_LABELS, "rack", "gpu")
        if _SELECTOR.fullmatch(metric.strip()):
            found = self.get(
                "series", {"match[]": metric.strip(), "start": f"{first_s:.3f}", "end": f"{last_s:.3f}"}, "series"
            )
            if not isinstance(found, list):
                raise prometheus.PrometheusError(f"Prometheus at {self.target.base} did not answer with series")
            if len(found) > prometheus.MAX_SERIES:
                raise prometheus._too_many_series(self.target, metric)
            counts: dict[tuple[str, ...], int] = {}
            for labels in found:
                if isinstance(labels, dict):
                    combo = tuple(str(labels.get(k, "")) for k in keys)
                    counts[combo] = counts.get(combo, 0) + 1
            return [({k: v for k, v in zip(keys, combo) if v}, n) for combo, n in counts.items()]
        span = f"{math.ceil(last_s - first_s) + step_s}s"
        query = f"count by ({', '.join(keys)}) (count_over_time(({metric})[{span}:{step_s}s]))"
        result = self.get("query", {"query": query, "time": f"{last_s:.3f}"}, query)
        result = result.get("result", []) if isinstance(result, dict) else []
        if not isinstance(result, list):
            raise prometheus.PrometheusError(f"Prometheus at {self.target.base} did not answer with a vector")
        return [(c.get("metric", {}), 1 if _count(c) == 1 else 2) for c in result]


def _count(sample: dict[str, Any]) -> float:
    """An instant vector sample's value (NaN when unreadable, which is never 1)."""
    try:
        return float(sample["value"][1])
    except (KeyError, IndexError, TypeError, ValueError):
        return math.nan


def bucket_sums(
    url: str,
    start: dt.datetime,
    end: dt.datetime,
    *,
    metric: str = dcgm_labels.DCGM_POWER_METRIC,
    step_s: int = DEFAULT_STEP_S,
    bucket_s: int | None = None,
    by_host: bool = False,
    allowed_hosts: Sequence[str] | None = None,
    deadline_s: float = prometheus.DEADLINE_S,
    timeout_s: float = prometheus.TIMEOUT_S,
    progress: Callable[[float, str], None] | None = None,
) -> BucketSums:
    """Per rack (or per host) and bucket, the sum over physical GPUs of each GPU's mean power (W) over the
    whole buckets that hold [start, end], summed by the TSDB at ``url``.

    ``bucket_s`` states the bucket (at least the scrape interval ``step_s``, and no finer than
    :func:`choose_step` allows); ``by_host`` asks for per-host sums even where the series carry rack
    labels (a host-to-rack map is to place them). Raises :class:`prometheus.PrometheusError` with the pull's messages.
    """
    start, end = (t.astimezone(dt.UTC) if t.tzinfo else t.replace(tzinfo=dt.UTC) for t in (start, end))
    bucket = max(choose_step(start, end, step_s), int(bucket_s or 0))
    first_s, last_s = bucket_start(start.timestamp(), bucket), bucket_start(end.timestamp(), bucket)
    client = _Client(url, allowed_hosts, deadline_s, timeout_s)
    census = client.census(metric, first_s, last_s + bucket, step_s)
    if not census:
        raise prometheus.PrometheusError(
            f"Prometheus at {client.target.base} has no {metric} series between {start:%Y-%m-%d %H:%M} and "
            f"{end:%Y-%m-%d %H:%M} UTC"
        )
    combos = [c for c, _ in census]
    # More than one series for a host, rack and gpu index means repeated GPUs (MIG instances, a second
    # scrape job) to average; none, and the average is the series itself, so the sum reads them directly.
    repeated = any(n != 1 for _, n in census)
    firsts = {next((k for k in dcgm_labels.HOST_LABELS if c.get(k)), "") for c in combos}
    if "" in firsts:
        raise prometheus.PrometheusError(
            f"some {metric} series carry none of the host labels {', '.join(dcgm_labels.HOST_LABELS)}, so their GPUs "
            "cannot be summed per node; export the series with the exporter's Hostname label"
        )
    expr = bucket_means(metric, bucket, step_s)
    host_key, expr = (firsts.pop(), expr) if len(firsts) == 1 else (HOST, with_host(expr))
    if all(c.get("gpu") for c in combos):
        gpu_key = "gpu"
    else:
        gpu_key, expr = GPU, with_gpu(expr)
    per_gpu = f"avg by ({host_key}, {gpu_key}, rack) ({expr})" if repeated or gpu_key == GPU else expr
    labelled = all(c.get("rack") for c in combos) and not by_host
    by = ("rack",) if labelled else (host_key, "rack")
    query = f"sum by ({', '.join(by)}) ({per_gpu})"
    series, _ = prometheus.pull_series(
        client.target.base,
        dt.datetime.fromtimestamp(first_s + bucket - EDGE_S, dt.UTC),
        dt.datetime.fromtimestamp(last_s + bucket - EDGE_S, dt.UTC),
        query=query,
        allowed_hosts=[client.target.host],
        deadline_s=max(client.budget.remaining_s(), 1.0),
        timeout_s=client.timeout_s,
        step_s=bucket,
        progress=progress,
        parallel=PARALLEL_WINDOWS,
    )
    client.queries.append(query)
    unit_label = "rack" if labelled else host_key
    units: list[str] = []
    buckets: list[int] = []
    watts: list[float] = []
    for s in series:
        name = str(s.get("metric", {}).get(unit_label, ""))
        for t, v in s.get("values", []):
            w = float(v)
            if math.isfinite(w):
                units.append(name)
                buckets.append(round(float(t) + EDGE_S) - bucket)
                watts.append(w)
    return BucketSums(
        frame=pd.DataFrame({"unit": units, "bucket": buckets, "w": watts}),
        unit_label=unit_label,
        labelled=labelled,
        bucket_s=bucket,
        first_s=first_s,
        last_s=last_s,
        repeated=repeated,
        queries=client.queries,
    )


def live_figures(
    url: str,
    start: dt.datetime,
    end: dt.datetime,
    *,
    host_racks: Sequence[tuple[str, str]] | None = None,
    metric: str = dcgm_labels.DCGM_POWER_METRIC,
    step_s: int = DEFAULT_STEP_S,
    bucket_s: int | None = None,
    allowed_hosts: Sequence[str] | None = None,
    deadline_s: float = prometheus.DEADLINE_S,
    timeout_s: float = prometheus.TIMEOUT_S,
) -> LiveFigures:
    """p95 and peak kW per rack (or node) and for the site over [start, end], summed by the TSDB at ``url``.

    ``host_racks`` (device, rack_id) pairs place hosts in racks when the series carry no ``rack``
    label. Raises :class:`prometheus.PrometheusError` with the pull's messages.
    """
    sums = bucket_sums(
        url,
        start,
        end,
        metric=metric,
        step_s=step_s,
        bucket_s=bucket_s,
        by_host=bool(host_racks),
        allowed_hosts=allowed_hosts,
        deadline_s=deadline_s,
        timeout_s=timeout_s,
    )
    notes: list[str] = []
    racks, site_p95, site_peak = _figures(sums.frame, host_racks, notes)
    return LiveFigures(
        racks=racks,
        site_p95_kw=site_p95,
        site_peak_kw=site_peak,
        level="rack" if sums.labelled or host_racks else "node",
        step_s=sums.bucket_s,
        start=dt.datetime.fromtimestamp(sums.first_s, dt.UTC),
        end=dt.datetime.fromtimestamp(sums.last_s + sums.bucket_s, dt.UTC),
        queries=sums.queries,
        notes=notes,
        how=sums.describe(),
    )


def placed_in_racks(
    con: duckdb.DuckDBPyConnection, table: str, host_racks: Sequence[tuple[str, str]], notes: list[str]
) -> str:
    """SQL: the rack of each ``unit`` (a host) of ``table`` by the map (names matched without case and by the
    short name before the first dot, as :mod:`rack_power` matches), NULL where unmapped (named in ``notes``)."""
    key = "split_part(lower({}), '.', 1)"
    con.execute("CREATE OR REPLACE TEMP TABLE host_map (device VARCHAR, rack_id VARCHAR)")
    con.executemany("INSERT INTO host_map VALUES (?, ?)", [(d, r) for d, r in host_racks if d and r])
    unit = f"(SELECT min(rack_id) FROM host_map m WHERE {key.format('m.device')} = {key.format(f'{table}.unit')})"
    missing = [
        r[0]
        for r in con.execute(f"SELECT DISTINCT unit FROM {table} WHERE {unit} IS NULL ORDER BY 1 LIMIT 20").fetchall()
    ]
    if missing:
        notes.append(
            f"{len(missing)}{'+' if len(missing) == 20 else ''} host(s) not in the host-to-rack map are left "
            "out of the rack figures (the site's include them): " + ", ".join(repr(h[:40]) for h in missing)
        )
    return unit


def _figures(
    frame: pd.DataFrame, host_racks: Sequence[tuple[str, str]] | None, notes: list[str]
) -> tuple[pd.DataFrame, float | None, float | None]:
    """Per rack (or node) p95 and peak kW, and the site's, from the per-bucket sums the server returned;
    hosts placed in racks through ``host_racks``."""
    con = duckdb.connect()
    try:
        con.register("h_in", frame)
        con.execute("CREATE TABLE h AS SELECT CAST(unit AS VARCHAR) AS unit, bucket, CAST(w AS DOUBLE) AS w FROM h_in")
        unit = placed_in_racks(con, "h", host_racks, notes) if host_racks else "h.unit"
        racks = con.execute(
            "SELECT rack_id, quantile_cont(w, 0.95) / 1000 AS p95_kw, max(w) / 1000 AS peak_kw FROM (SELECT "
            f"{unit} AS rack_id, bucket, sum(w) AS w FROM h GROUP BY 1, 2) r WHERE rack_id IS NOT NULL "
            "GROUP BY 1 ORDER BY 1"
        ).df()
        site = con.execute(
            "SELECT quantile_cont(w, 0.95) / 1000, max(w) / 1000 FROM (SELECT bucket, sum(w) AS w FROM h GROUP BY 1)"
        ).fetchall()[0]
    finally:
        con.close()
    return racks, (None if site[0] is None else float(site[0])), (None if site[1] is None else float(site[1]))


__all__ = [
    "DEFAULT_STEP_S",
    "GPU",
    "HOST",
    "MAX_STEPS",
    "ORIGIN_S",
    "BucketSums",
    "LiveFigures",
    "bucket_means",
    "bucket_start",
    "bucket_sums",
    "choose_step",
    "live_figures",
    "placed_in_racks",
    "with_gpu",
    "with_host",
]
