"""Pull DCGM GPU power from a live Prometheus server into a telemetry dataset.

One HTTP ``GET /api/v1/query_range`` per window of the requested range (the windows
only report progress; every one uses the same step), with the step chosen so each
series holds at most :data:`MAX_POINTS_PER_SERIES` points over the whole range
(Prometheus itself refuses more than 11,000 per series). The series are written as
the API's own JSON and stored through :func:`factorycore.userdata.ingest.ingest`, so a
pulled dataset is validated and rolled up to racks exactly as an uploaded export.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import shutil
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb

from factorycore.userdata import formats, ingest
from factorycore.userdata.catalog import SHARED, DatasetInfo

MAX_POINTS_PER_SERIES = 2000
# Never finer than a typical scrape interval: a finer step only repeats the last sample.
MIN_STEP_S = 15
WINDOWS = 10
TIMEOUT_S = 15.0
MAX_RESPONSE_BYTES = 512 * 1024**2


class PrometheusError(ValueError):
    """The server could not be reached, refused the query, or had nothing; the message says which."""


def step_seconds(
    start: dt.datetime, end: dt.datetime, max_points: int = MAX_POINTS_PER_SERIES, min_step_s: int = MIN_STEP_S
) -> int:
    """The whole-second step (at least ``min_step_s``) that keeps a series over [start, end] at or
    below ``max_points`` points."""
    span_s = (end - start).total_seconds()
    if span_s <= 0:
        raise PrometheusError("the end of the range must be after its start")
    return max(min_step_s, math.ceil(span_s / (max_points - 1)))


def _base_url(url: str) -> str:
    parsed = urllib.parse.urlparse(url.strip())
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise PrometheusError(
            f"{url[:80]!r} is not an http(s) URL of a Prometheus server (e.g. http://prometheus:9090)"
        )
    return url.strip().rstrip("/")


def _get(url: str, params: dict[str, str], timeout_s: float) -> dict[str, Any]:
    full = f"{url}/api/v1/query_range?{urllib.parse.urlencode(params)}"
    try:
        with urllib.request.urlopen(full, timeout=timeout_s) as response:  # noqa: S310 - http(s) only, checked
            body = response.read(MAX_RESPONSE_BYTES + 1)
    except urllib.error.HTTPError as exc:
        try:
            detail = json.loads(exc.read(65536)).get("error", "")
        except (ValueError, OSError):
            detail = ""
        raise PrometheusError(
            f"Prometheus at {url} refused the query (HTTP {exc.code}"
            + (f": {str(detail)[:200]}" if detail else "")
            + ")"
        ) from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise PrometheusError(
            f"cannot reach Prometheus at {url} ({str(reason)[:200]}); check the URL and that the "
            "server is up and reachable from here"
        ) from None
    if len(body) > MAX_RESPONSE_BYTES:
        raise PrometheusError(f"Prometheus answered more than {MAX_RESPONSE_BYTES // 1024**2} MB; pull a shorter range")
    try:
        data = json.loads(body)
    except ValueError:
        raise PrometheusError(f"{url} did not answer with Prometheus JSON (is it the server's base URL?)") from None
    if data.get("status") != "success":
        raise PrometheusError(f"Prometheus query failed: {str(data.get('error', data.get('status')))[:200]}")
    return data


def pull_series(
    url: str,
    start: dt.datetime,
    end: dt.datetime,
    *,
    query: str = formats.DCGM_POWER_METRIC,
    progress: Callable[[float, str], None] | None = None,
    timeout_s: float = TIMEOUT_S,
) -> tuple[list[dict[str, Any]], int]:
    """Every series of ``query`` over [start, end] (UTC) and the step used, in :data:`WINDOWS` requests.

    ``progress(fraction, text)`` is called after each window. Raises
    :class:`PrometheusError` when the server is unreachable, refuses, or returns no series.
    """
    base = _base_url(url)
    start, end = (
        t.astimezone(dt.UTC) if t.tzinfo else t.replace(tzinfo=dt.UTC) for t in (start, end)
    )
    step = step_seconds(start, end)
    first, last = start.timestamp(), end.timestamp()
    points = int((last - first) // step) + 1
    per_window = max(1, math.ceil(points / WINDOWS))
    merged: dict[tuple[tuple[str, str], ...], dict[str, Any]] = {}
    done = 0
    while done < points:
        lo = first + done * step
        count = min(per_window, points - done)
        hi = lo + (count - 1) * step
        data = _get(base, {"query": query, "start": f"{lo:.3f}", "end": f"{hi:.3f}", "step": f"{step}s"}, timeout_s)
        for series in data.get("data", {}).get("result", []):
            key = tuple(sorted(series.get("metric", {}).items()))
            merged.setdefault(key, {"metric": series.get("metric", {}), "values": []})["values"] += series.get(
                "values", []
            )
        done += count
        if progress is not None:
            progress(done / points, f"{done:,} of {points:,} steps of {step} s")
    if not merged:
        raise PrometheusError(
            f"Prometheus at {base} has no {query} series between {start:%Y-%m-%d %H:%M} and {end:%Y-%m-%d %H:%M} UTC"
        )
    return list(merged.values()), step


def pull_dataset(
    con: duckdb.DuckDBPyConnection,
    url: str,
    start: dt.datetime,
    end: dt.datetime,
    *,
    name: str,
    workspace: str = SHARED,
    host_racks: DatasetInfo | None = None,
    progress: Callable[[float, str], None] | None = None,
    owner: str | None = None,
) -> ingest.IngestResult:
    """Pull DCGM GPU power over [start, end] and store it as a telemetry dataset called ``name``."""
    series, step = pull_series(url, start, end, progress=progress)
    workdir = Path(tempfile.mkdtemp(prefix="factory-prometheus-"))
    try:
        path = workdir / "query_range.json"
        formats.write_query_range(series, path)
        return ingest.ingest(
            con,
            path,
            kind="telemetry",
            name=name,
            workspace=workspace,
            host_racks=host_racks,
            owner=owner,
            source_file=f"Prometheus {_base_url(url)} ({formats.DCGM_POWER_METRIC}, step {step} s)",
        )
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


__all__ = ["MAX_POINTS_PER_SERIES", "PrometheusError", "pull_dataset", "pull_series", "step_seconds"]
