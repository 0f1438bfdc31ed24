"""Site figures computed where the telemetry lives: PromQL sums in a Prometheus-compatible store.

Copying every GPU series out (``query_range``, then the sum rule in DuckDB) moves every sample
over the wire. Here the TSDB (Prometheus, Thanos, Mimir, VictoriaMetrics: the same HTTP query
API) does the sums, and only aggregates come back:

1. **The host** of a series: the first of :data:`dcgm_labels.HOST_LABELS` present, as in file
   ingest, set as the label :data:`HOST` by ``label_replace``.
2. **One reading per physical GPU** (the MIG rule of file ingest): a GPU is its host and ``gpu``
   index, else its UUID, else its device; ``avg by (host, gpu, rack)`` of the power metric, so
   MIG instance series, which repeat their GPU's device power, are averaged, never added; then
   the GPUs are summed ``by (host, rack)``. Where the label census finds no GPU with two series,
   the average is the series itself and is left out of the query.
3. **A rack's power**: where every series carries a ``rack`` label, ``sum by (rack)``;
   otherwise ``sum by (host, rack)`` and the hosts are placed in racks in DuckDB through the
   host-to-rack map (names matched as :mod:`rack_power` does); without a map the figures are
   per node. The host label is grouped on directly when every series names its host by the same
   label (one cheap instant query finds out), else set by a ``label_replace`` chain.
4. **One range query** returns those per-step sums (a few series per rack or host, in windows
   of ``query_range``: long ranges in chunks); p95 (``quantile_cont``, as file ingest's
   ``percentile_cont``) and peak of each rack and of the site (the per-step sums added) are
   computed here on that small result. ``quantile_over_time`` / ``max_over_time`` subqueries
   were measured first: each figure re-evaluated the sums over the whole range, five
   evaluations in all, slower than copying every series (bench/RESULTS.md).

The step is the scrape interval (``step_s``, default 15 s) unless the range would need more
than :data:`MAX_STEPS` evaluations per series, then the range over that. Every request goes
through :mod:`factorycore.userdata.prometheus`' client: the operator-listed host, the base URL
only, no redirects, one deadline, caps on bytes, series and samples, and its messages.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import duckdb
import pandas as pd

from factorycore.userdata import dcgm_labels, prometheus

MAX_STEPS = 11_000  # Prometheus refuses a query_range of more points per series; subqueries are kept alike
DEFAULT_STEP_S = 15
HOST = "factory_host"  # the label the query sets: the first host label present, as file ingest reads it
GPU = "factory_gpu"  # likewise the physical GPU: gpu index, else UUID, else device


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
            f"summed by the Prometheus server: one reading per physical GPU (MIG instances averaged), summed "
            f"per host and per {self.level}, evaluated every {self.step_s} s from {self.start:%Y-%m-%d %H:%M} to "
            f"{self.end:%Y-%m-%d %H:%M} UTC; only those per-step sums left the server, their p95 and peak "
            "computed here"
        )


def choose_step(start: dt.datetime, end: dt.datetime, step_s: int = DEFAULT_STEP_S) -> int:
    """The scrape interval, or coarser when the range would need more than :data:`MAX_STEPS` steps."""
    span_s = (end - start).total_seconds()
    if span_s <= 0:
        raise prometheus.PrometheusError("the end of the range must be after its start")
    return max(int(step_s), math.ceil(span_s / (MAX_STEPS - 1)))


def with_gpu(expr: str) -> str:
    """PromQL: ``expr`` with :data:`GPU` set to ``gpu<index>``, else the UUID, else the device (each
    ``label_replace`` sets it only from a non-empty label, the most trusted applied last)."""
    for label, value in (("device", "$1"), ("uuid", "$1"), ("UUID", "$1"), ("gpu", "gpu$1")):
        expr = f'label_replace({expr}, "{GPU}", "{value}", "{label}", "(.+)")'
    return expr


def with_host(metric: str) -> str:
    """PromQL: ``metric`` with :data:`HOST` set to the first of :data:`dcgm_labels.HOST_LABELS` present (each
    ``label_replace`` sets it only from a non-empty label, the most trusted applied last)."""
    expr = metric
    for label in reversed(dcgm_labels.HOST_LABELS):
        expr = f'label_replace({expr}, "{HOST}", "$1", "{label}", "(.+)")'
    return expr


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


def _count(sample: dict[str, Any]) -> float:
    """An instant vector sample's value (NaN when unreadable, which is never 1)."""
    try:
        return float(sample["value"][1])
    except (KeyError, IndexError, TypeError, ValueError):
        return math.nan


def _over_range(metric: str, window: str) -> str:
    """PromQL: ``metric``'s samples over the range (a plain selector as a range vector, an expression as a
    subquery)."""
    if re.fullmatch(r"[a-zA-Z_:][a-zA-Z0-9_:]*(\{[^{}]*\})?", metric.strip()):
        return f"{metric.strip()}[{window.split(':')[0].lstrip('[')}]"
    return f"({metric}){window}"


def live_figures(
    url: str,
    start: dt.datetime,
    end: dt.datetime,
    *,
    host_racks: Sequence[tuple[str, str]] | None = None,
    metric: str = dcgm_labels.DCGM_POWER_METRIC,
    step_s: int = DEFAULT_STEP_S,
    allowed_hosts: Sequence[str] | None = None,
    deadline_s: float = prometheus.DEADLINE_S,
    timeout_s: float = prometheus.TIMEOUT_S,
) -> LiveFigures:
    """p95 and peak kW per rack (or node) and for the site over [start, end], summed by the TSDB at ``url``.

    ``host_racks`` (device, rack_id) pairs place hosts in racks when the series carry no ``rack``
    label. Raises :class:`prometheus.PrometheusError` with the pull's messages.
    """
    start, end = (t.astimezone(dt.UTC) if t.tzinfo else t.replace(tzinfo=dt.UTC) for t in (start, end))
    step = choose_step(start, end, step_s)
    client = _Client(url, allowed_hosts, deadline_s, timeout_s)
    at = end.timestamp()
    window = f"[{int(math.ceil(at - start.timestamp())) + step - 1}s:{step}s]"
    # Which host and rack labels the series carry: one instant query, no sums.
    keys = (*dcgm_labels.HOST_LABELS, "rack", "gpu")
    census = client.instant(f"count by ({', '.join(keys)}) (count_over_time({_over_range(metric, window)}))", at)
    combos = [c.get("metric", {}) for c in census]
    # Series per host, rack and gpu index: more than one anywhere means repeated GPUs (MIG instances, a second
    # scrape job) to average; none, and the average is the series itself, so the sum reads them directly.
    repeated = any(_count(c) != 1 for c in census)
    if not combos:
        raise prometheus.PrometheusError(
            f"Prometheus at {client.target.base} has no {metric} series between {start:%Y-%m-%d %H:%M} and "
            f"{end:%Y-%m-%d %H:%M} UTC"
        )
    firsts = {next((k for k in dcgm_labels.HOST_LABELS if c.get(k)), "") for c in combos}
    if "" in firsts:
        raise prometheus.PrometheusError(
            f"some {metric} series carry none of the host labels {', '.join(dcgm_labels.HOST_LABELS)}, so their GPUs "
            "cannot be summed per node; export the series with the exporter's Hostname label"
        )
    # One host label on every series: group by it; several: set the first present as HOST (label_replace).
    host_key, expr = (firsts.pop(), metric) if len(firsts) == 1 else (HOST, with_host(metric))
    # A physical GPU is its host and gpu index, else its UUID, else its device (file ingest's rule): grouped
    # by the index where every series has one, else by the key a label_replace chain sets.
    if all(c.get("gpu") for c in combos):
        gpu_key = "gpu"
    else:
        gpu_key, expr = GPU, with_gpu(expr)
    per_gpu = f"avg by ({host_key}, {gpu_key}, rack) ({expr})" if repeated or gpu_key == GPU else expr
    labelled = all(c.get("rack") for c in combos) and not host_racks
    by = ("rack",) if labelled else (host_key, "rack")
    query = f"sum by ({', '.join(by)}) ({per_gpu})"
    series, _ = prometheus.pull_series(
        client.target.base,
        start,
        end,
        query=query,
        allowed_hosts=[client.target.host],
        deadline_s=max(client.budget.remaining_s(), 1.0),
        timeout_s=client.timeout_s,
        step_s=step,
    )
    client.queries.append(query)
    unit_label = "rack" if labelled else host_key
    level = "rack" if labelled or host_racks else "node"
    notes: list[str] = []
    racks, site_p95, site_peak = _figures(series, unit_label, host_racks, notes)
    return LiveFigures(
        racks=racks,
        site_p95_kw=site_p95,
        site_peak_kw=site_peak,
        level=level,
        step_s=step,
        start=start,
        end=end,
        queries=client.queries,
        notes=notes,
    )


def _figures(
    series: list[dict[str, Any]],
    unit_label: str,
    host_racks: Sequence[tuple[str, str]] | None,
    notes: list[str],
) -> tuple[pd.DataFrame, float | None, float | None]:
    """Per rack (or node) p95 and peak kW, and the site's, from the per-step sums the server returned
    (a few series per rack or host), in DuckDB; hosts placed in racks through ``host_racks``."""
    rows = [
        (str(s.get("metric", {}).get(unit_label, "")), float(t), float(v))
        for s in series
        for t, v in s.get("values", [])
        if math.isfinite(float(v))
    ]
    con = duckdb.connect()
    try:
        import pyarrow as pa  # noqa: PLC0415 - a few series per rack or host, handed to DuckDB as columns

        units, times, watts = zip(*rows) if rows else ((), (), ())
        columns = pa.table({"unit": pa.array(units, pa.string()), "t": pa.array(times), "w": pa.array(watts)})
        con.register("h_in", columns)
        con.execute("CREATE TABLE h AS SELECT unit, CAST(t AS DOUBLE) AS t, CAST(w AS DOUBLE) AS w FROM h_in")
        unit = "h.unit"
        if host_racks:
            key = "split_part(lower({}), '.', 1)"
            con.execute("CREATE TABLE m (device VARCHAR, rack_id VARCHAR)")
            con.executemany("INSERT INTO m VALUES (?, ?)", [(d, r) for d, r in host_racks if d and r])
            unit = f"(SELECT min(rack_id) FROM m WHERE {key.format('m.device')} = {key.format('h.unit')})"
            missing = [
                r[0]
                for r in con.execute(f"SELECT DISTINCT unit FROM h WHERE {unit} IS NULL ORDER BY 1 LIMIT 20").fetchall()
            ]
            if missing:
                notes.append(
                    f"{len(missing)}{'+' if len(missing) == 20 else ''} host(s) not in the host-to-rack map are left "
                    "out of the rack figures (the site's include them): " + ", ".join(repr(h[:40]) for h in missing)
                )
        racks = con.execute(
            "SELECT rack_id, quantile_cont(w, 0.95) / 1000 AS p95_kw, max(w) / 1000 AS peak_kw FROM (SELECT "
            f"{unit} AS rack_id, t, sum(w) AS w FROM h GROUP BY 1, 2) r WHERE rack_id IS NOT NULL GROUP BY 1 ORDER BY 1"
        ).df()
        site = con.execute(
            "SELECT quantile_cont(w, 0.95) / 1000, max(w) / 1000 FROM (SELECT t, sum(w) AS w FROM h GROUP BY t)"
        ).fetchall()[0]
    finally:
        con.close()
    return racks, (None if site[0] is None else float(site[0])), (None if site[1] is None else float(site[1]))


__all__ = [
    "DEFAULT_STEP_S",
    "GPU",
    "HOST",
    "LiveFigures",
    "MAX_STEPS",
    "choose_step",
    "live_figures",
    "with_gpu",
    "with_host",
]
