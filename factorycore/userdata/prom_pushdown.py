"""Site figures computed where the telemetry lives: PromQL sums in a Prometheus-compatible store.

Copying every GPU series out (``query_range``, then the sum rule in DuckDB) moves every sample
over the wire. Here the TSDB (Prometheus, Thanos, Mimir, VictoriaMetrics: the same HTTP query
API) does the sums, and only aggregates come back:

1. **The host** of a series: the first of :data:`formats.HOST_LABELS` present, as in file
   ingest, set as the label :data:`HOST` by ``label_replace``.
2. **One reading per physical GPU** (the MIG rule of file ingest): ``avg by (host, UUID, uuid,
   gpu, device, rack)`` of the power metric, so MIG instance series, which repeat their GPU's
   device power under the same UUID and index, are averaged, never added; then the GPUs are
   summed ``by (host, rack)``.
3. **A rack's power**: where every series carries a ``rack`` label, ``sum by (rack)`` in PromQL;
   otherwise the per-host series (a few per host and step) come back in windows and are summed
   per rack in DuckDB through the host-to-rack map (names matched as :mod:`rack_power` does);
   without a map the figures are per node.
4. **p95 and peak** over the range: ``quantile_over_time(0.95, (...)[range:step])`` and
   ``max_over_time`` subqueries, one instant query each; the quantile interpolates between
   ranks as ``percentile_cont`` does, so the figures equal the same data ingested as a file.
   The per-step sums are evaluated at multiples of the step (Prometheus' subquery alignment).

The step is the scrape interval (``step_s``, default 15 s) unless the range would need more
than :data:`MAX_STEPS` evaluations per series, then the range over that. Every request goes
through :mod:`factorycore.userdata.prometheus`' client: the operator-listed host, the base URL
only, no redirects, one deadline, caps on bytes, series and samples, and its messages.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import duckdb
import pandas as pd

from factorycore.userdata import formats, prometheus

MAX_STEPS = 11_000  # Prometheus refuses a query_range of more points per series; subqueries are kept alike
DEFAULT_STEP_S = 15
HOST = "factory_host"  # the label the query sets: the first host label present, as file ingest reads it
GPU_KEYS: tuple[str, ...] = (HOST, *formats.UUID_LABELS, "gpu", "device", "rack")


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

    def describe(self) -> str:
        """One sentence: how the figures were computed, and where."""
        return (
            f"computed by the Prometheus server: one reading per physical GPU (MIG instances averaged), summed "
            f"per host and per {self.level}, evaluated every {self.step_s} s from {self.start:%Y-%m-%d %H:%M} to "
            f"{self.end:%Y-%m-%d %H:%M} UTC; p95 and peak over those steps (quantile_over_time, max_over_time)"
        )


def choose_step(start: dt.datetime, end: dt.datetime, step_s: int = DEFAULT_STEP_S) -> int:
    """The scrape interval, or coarser when the range would need more than :data:`MAX_STEPS` steps."""
    span_s = (end - start).total_seconds()
    if span_s <= 0:
        raise prometheus.PrometheusError("the end of the range must be after its start")
    return max(int(step_s), math.ceil(span_s / (MAX_STEPS - 1)))


def with_host(metric: str) -> str:
    """PromQL: ``metric`` with :data:`HOST` set to the first of :data:`formats.HOST_LABELS` present (each
    ``label_replace`` sets it only from a non-empty label, the most trusted applied last)."""
    expr = metric
    for label in reversed(formats.HOST_LABELS):
        expr = f'label_replace({expr}, "{HOST}", "$1", "{label}", "(.+)")'
    return expr


def gpu_sum(metric: str = formats.DCGM_POWER_METRIC, by: Sequence[str] = ()) -> str:
    """PromQL: watts summed ``by`` the labels given, over one reading per physical GPU (series of one GPU,
    such as MIG instances or a second scrape job, averaged by host and UUID, index and device)."""
    per_gpu = f"avg by ({', '.join(GPU_KEYS)}) ({with_host(metric)})"
    return f"sum by ({', '.join(by)}) ({per_gpu})" if by else f"sum({per_gpu})"


class _Client:
    """The security client's requests, one budget for all the queries of one computation."""

    def __init__(self, url: str, allowed_hosts: Sequence[str] | None, deadline_s: float, timeout_s: float) -> None:
        self.target = prometheus.parse_target(url, allowed_hosts)
        self.budget = prometheus._Budget(deadline_s)
        self.timeout_s = timeout_s
        self.queries: list[str] = []

    def instant(self, query: str, at: float) -> list[dict[str, Any]]:
        """The vector an instant query gives at ``at`` (epoch seconds)."""
        self.queries.append(query)
        data = prometheus._request(
            self.target, "query", {"query": query, "time": f"{at:.3f}"}, self.budget, self.timeout_s, query
        )
        result = data.get("data", {}).get("result", []) if isinstance(data.get("data"), dict) else []
        if not isinstance(result, list):
            raise prometheus.PrometheusError(f"Prometheus at {self.target.base} did not answer with a vector")
        return result


def _value(sample: dict[str, Any]) -> float | None:
    try:
        value = float(sample["value"][1])
    except (KeyError, IndexError, TypeError, ValueError):
        return None
    return value if math.isfinite(value) else None


def _host(metric: dict[str, str]) -> str:
    """The host the query set on a series (the first host label present: the file path's rule)."""
    return metric.get(HOST, "")


def live_figures(
    url: str,
    start: dt.datetime,
    end: dt.datetime,
    *,
    host_racks: Sequence[tuple[str, str]] | None = None,
    metric: str = formats.DCGM_POWER_METRIC,
    step_s: int = DEFAULT_STEP_S,
    allowed_hosts: Sequence[str] | None = None,
    deadline_s: float = prometheus.DEADLINE_S,
    timeout_s: float = prometheus.TIMEOUT_S,
) -> LiveFigures:
    """p95 and peak kW per rack (or node) and for the site over [start, end], computed by the TSDB at ``url``.

    ``host_racks`` (device, rack_id) pairs place hosts in racks when the series carry no ``rack``
    label. Raises :class:`prometheus.PrometheusError` with the pull's messages.
    """
    start, end = (t.astimezone(dt.UTC) if t.tzinfo else t.replace(tzinfo=dt.UTC) for t in (start, end))
    step = choose_step(start, end, step_s)
    client = _Client(url, allowed_hosts, deadline_s, timeout_s)
    at = end.timestamp()
    # Subquery range: every multiple of the step from start to end (closed or half-open ranges alike).
    window = f"[{int(math.ceil(at - start.timestamp())) + step - 1}s:{step}s]"
    per_host = gpu_sum(metric, (HOST, "rack"))
    # Which series carry rack labels: one instant count per host over the range.
    hosts = client.instant(f"max_over_time(({per_host}){window})", at)
    if not hosts:
        raise prometheus.PrometheusError(
            f"Prometheus at {client.target.base} has no {metric} series between {start:%Y-%m-%d %H:%M} and "
            f"{end:%Y-%m-%d %H:%M} UTC"
        )
    unnamed = [h for h in hosts if not _host(h.get("metric", {}))]
    if unnamed:
        raise prometheus.PrometheusError(
            f"{len(unnamed):,} {metric} series carry none of the host labels {', '.join(formats.HOST_LABELS)}, so "
            "their GPUs cannot be summed per node; export the series with the exporter's Hostname label"
        )
    labelled = all(h.get("metric", {}).get("rack") for h in hosts)
    notes: list[str] = []
    site = gpu_sum(metric)
    site_p95 = client.instant(f"quantile_over_time(0.95, ({site}){window})", at)
    site_peak = client.instant(f"max_over_time(({site}){window})", at)
    if labelled and not host_racks:
        level = "rack"
        by_rack = gpu_sum(metric, ("rack",))
        p95 = {
            r["metric"].get("rack", ""): _value(r)
            for r in client.instant(f"quantile_over_time(0.95, ({by_rack}){window})", at)
        }
        peak = {
            r["metric"].get("rack", ""): _value(r) for r in client.instant(f"max_over_time(({by_rack}){window})", at)
        }
        racks = pd.DataFrame({"rack_id": sorted(p95), "p95_kw": [p95[k] for k in sorted(p95)]})
        racks["peak_kw"] = [peak.get(k) for k in racks["rack_id"]]
    else:
        level = "rack" if host_racks else "node"
        racks = _racks_in_duckdb(client, per_host, start, end, step, host_racks, notes)
    for column in ("p95_kw", "peak_kw"):
        racks[column] = racks[column].astype(float) / 1000.0
    return LiveFigures(
        racks=racks.sort_values("rack_id").reset_index(drop=True),
        site_p95_kw=_kw(site_p95),
        site_peak_kw=_kw(site_peak),
        level=level,
        step_s=step,
        start=start,
        end=end,
        queries=client.queries,
        notes=notes,
    )


def _kw(vector: list[dict[str, Any]]) -> float | None:
    value = _value(vector[0]) if vector else None
    return value / 1000.0 if value is not None else None


def _racks_in_duckdb(
    client: _Client,
    per_host: str,
    start: dt.datetime,
    end: dt.datetime,
    step: int,
    host_racks: Sequence[tuple[str, str]] | None,
    notes: list[str],
) -> pd.DataFrame:
    """Per-host sums in windows of ``query_range`` (a few series per host), summed per rack in DuckDB
    through the host-to-rack map (or kept per node); p95 and peak per rack (or node), in W."""
    series, _ = prometheus.pull_series(
        client.target.base,
        start,
        end,
        query=per_host,
        allowed_hosts=[client.target.host],
        deadline_s=max(client.budget.remaining_s(), 1.0),
        timeout_s=client.timeout_s,
        step_s=step,
    )
    client.queries.append(per_host)
    rows = [
        (_host(s.get("metric", {})), float(t), float(v))
        for s in series
        for t, v in s.get("values", [])
        if v not in ("NaN", "+Inf", "-Inf")
    ]
    con = duckdb.connect()
    try:
        con.execute("CREATE TABLE h (host VARCHAR, t DOUBLE, w DOUBLE)")
        con.executemany("INSERT INTO h VALUES (?, ?, ?)", rows)
        key = "split_part(lower({}), '.', 1)"
        if host_racks:
            con.execute("CREATE TABLE m (device VARCHAR, rack_id VARCHAR)")
            con.executemany("INSERT INTO m VALUES (?, ?)", [(d, r) for d, r in host_racks if d and r])
            unit = f"(SELECT min(rack_id) FROM m WHERE {key.format('m.device')} = {key.format('h.host')})"
            missing = [
                r[0]
                for r in con.execute(f"SELECT DISTINCT host FROM h WHERE {unit} IS NULL ORDER BY 1 LIMIT 20").fetchall()
            ]
            if missing:
                notes.append(
                    f"{len(missing)}{'+' if len(missing) == 20 else ''} host(s) not in the host-to-rack map are left "
                    "out of the rack figures (the site's include them): " + ", ".join(repr(h[:40]) for h in missing)
                )
        else:
            unit = "h.host"
        return con.execute(
            "SELECT rack_id, quantile_cont(w, 0.95) AS p95_kw, max(w) AS peak_kw FROM (SELECT "
            f"{unit} AS rack_id, t, sum(w) AS w FROM h GROUP BY 1, 2) r WHERE rack_id IS NOT NULL GROUP BY 1 ORDER BY 1"
        ).df()
    finally:
        con.close()


__all__ = [
    "DEFAULT_STEP_S",
    "GPU_KEYS",
    "HOST",
    "LiveFigures",
    "MAX_STEPS",
    "choose_step",
    "gpu_sum",
    "live_figures",
    "with_host",
]
