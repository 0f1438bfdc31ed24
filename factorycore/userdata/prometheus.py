"""Pull DCGM GPU power from a live Prometheus server into a telemetry dataset.

One HTTP ``GET /api/v1/query_range`` per window of the requested range (the windows
only report progress; every one uses the same step), with the step chosen so each
series holds at most :data:`MAX_POINTS_PER_SERIES` points over the whole range
(Prometheus itself refuses more than 11,000 per series). The series are written as
the API's own JSON and stored through :func:`factorycore.userdata.ingest.ingest`, so a
pulled dataset is validated and rolled up to racks exactly as an uploaded export.

What the pull may reach, and what it costs, is bounded (the server named is a user's
text, and the answer is a stranger's bytes):

* The source is a base URL and nothing else: ``http``/``https``, a host and port, no
  path, query, fragment or credentials. The product appends its own API path
  (:data:`API_PATHS`). The host must be one the operator lists in
  ``FACTORY_PROMETHEUS_HOSTS`` (``host`` or ``host:port``, comma-separated); unset, no pull.
* No redirect is followed; every request shares one deadline per pull
  (:data:`DEADLINE_S`, enforced by closing the socket, so a server that trickles bytes
  cannot hold the pull); the answers together are capped at :data:`MAX_RESPONSE_BYTES`,
  :data:`MAX_SERIES` series (counted while the bytes arrive) and :data:`MAX_SAMPLES` samples.
* A refusal shows the HTTP status and a reason this module writes, never the server's
  body; an unreachable server, a refused connection and a connection dropped before an
  answer read alike.
* :func:`fetch` touches no store; :func:`store_pulled` then ingests, so a caller can
  wait on the network without holding the database.
"""

from __future__ import annotations

import concurrent.futures
import datetime as dt
import http.client
import json
import math
import os
import shutil
import socket
import ssl
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from factorycore.userdata import dcgm_labels, formats, ingest, prometheus_access
from factorycore.userdata.catalog import SHARED, DatasetInfo

MAX_POINTS_PER_SERIES = 2000
# Never finer than a typical scrape interval: a finer step only repeats the last sample.
MIN_STEP_S = 15
WINDOWS = 10
TIMEOUT_S = 15.0  # one socket operation (connect, a read)
DEADLINE_S = 120.0  # the whole pull, every window
MAX_RESPONSE_BYTES = 128 * 1024**2  # all the pull's answers together
MAX_SERIES = 5000
MAX_SAMPLES = 2_500_000
API_PATHS = ("query", "query_range", "series")
HOSTS_ENV = "FACTORY_PROMETHEUS_HOSTS"
_READ_CHUNK = 64 * 1024
_SERIES_MARK = b'"metric"'
_STATUS_REASONS = {
    400: "did not accept the query: check the metric name or label filter",
    401: "asks for credentials: the operator sets them in the secrets file (see prometheus_access), or they "
    "were refused",
    403: "refused this client",
    404: "has no Prometheus API at this address: give the server's base URL, e.g. http://prometheus:9090",
    422: "could not run the query: pull a shorter range or fewer series",
    429: "is busy: try again in a minute",
    503: "is busy or timed out: try again, or pull a shorter range",
}


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


@dataclass(frozen=True)
class Target:
    """A Prometheus server as this product may reach it: scheme, host, port; nothing else."""

    scheme: str
    host: str
    port: int

    @property
    def base(self) -> str:
        """``scheme://host:port``, as messages and the dataset's source show it."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{self.scheme}://{host}:{self.port}"


def permitted_hosts() -> list[str]:
    """The operator's list of Prometheus servers (``FACTORY_PROMETHEUS_HOSTS``: ``host`` or ``host:port``)."""
    return [h.strip().lower() for h in os.environ.get(HOSTS_ENV, "").replace(" ", ",").split(",") if h.strip()]


def _permitted(target: Target, allowed: Sequence[str]) -> bool:
    """Whether an entry of ``allowed`` (``host``, ``host:port``, ``[v6]:port``) names ``target``."""
    for entry in allowed:
        if entry.startswith("["):
            host, _, rest = entry[1:].partition("]")
            port = rest[1:] if rest.startswith(":") else ""
        elif entry.count(":") == 1:
            host, port = entry.split(":")
        else:
            host, port = entry, ""
        if host == target.host and (not port or port == str(target.port)):
            return True
    return False


def parse_target(url: str, allowed_hosts: Sequence[str] | None = None) -> Target:
    """The server ``url`` names, refused unless it is a bare base URL of a permitted host.

    ``allowed_hosts`` defaults to :func:`permitted_hosts`. Raises :class:`PrometheusError`
    naming what to change; nothing is requested.
    """
    text = url.strip()
    shown = repr(text[:80])
    example = "give the server's base URL and nothing after it, e.g. http://prometheus:9090"
    if any(ord(c) < 33 or ord(c) == 127 for c in text):
        raise PrometheusError(f"{shown} holds spaces or control characters; {example}")
    parsed = urllib.parse.urlsplit(text)
    if parsed.scheme.lower() not in ("http", "https") or not parsed.netloc:
        raise PrometheusError(f"{shown} is not an http(s) URL of a Prometheus server; {example}")
    if parsed.username is not None or parsed.password is not None:
        raise PrometheusError(f"{shown} carries credentials; this product sends none; {example}")
    if parsed.path not in ("", "/") or parsed.query or parsed.fragment or "?" in text or "#" in text:
        raise PrometheusError(
            f"{shown} has a path, query or fragment; the product adds the API paths itself; {example}"
        )
    try:
        port = parsed.port
    except ValueError:
        raise PrometheusError(f"{shown} has no valid port; {example}") from None
    scheme = parsed.scheme.lower()
    host = (parsed.hostname or "").lower()
    if not host:
        raise PrometheusError(f"{shown} names no host; {example}")
    target = Target(scheme, host, port or (443 if scheme == "https" else 80))
    allowed = permitted_hosts() if allowed_hosts is None else [h.lower() for h in allowed_hosts]
    if not allowed:
        raise PrometheusError(
            f"pulling from Prometheus is off on this server: the operator lists the servers it may reach in "
            f"{HOSTS_ENV} (e.g. {HOSTS_ENV}=prometheus:9090)"
        )
    if not _permitted(target, allowed):
        raise PrometheusError(
            f"{target.base} is not among the Prometheus servers this installation may pull from "
            f"({', '.join(allowed[:10])}); the operator lists them in {HOSTS_ENV}"
        )
    return target


class _Budget:
    """What is left of one pull: time to its deadline, and bytes, series and samples to their caps."""

    def __init__(self, deadline_s: float) -> None:
        self.deadline_s = deadline_s
        self.until = time.monotonic() + deadline_s
        self.bytes_left = MAX_RESPONSE_BYTES
        self.samples = 0
        self._lock = threading.Lock()  # windows asked in parallel spend one budget

    def spend_bytes(self, n: int) -> int:
        """Take ``n`` bytes off the cap; what is left (negative: over the cap)."""
        with self._lock:
            self.bytes_left -= n
            return self.bytes_left

    def remaining_s(self) -> float:
        return self.until - time.monotonic()


def _unreachable(target: Target) -> PrometheusError:
    return PrometheusError(
        f"no Prometheus answered at {target.base}; check the URL and that the server is up and reachable from here"
    )


def _too_many_series(target: Target, query: str) -> PrometheusError:
    return PrometheusError(
        f"Prometheus at {target.base} has more than {MAX_SERIES:,} series of {query[:80]}, more than one pull "
        f"takes; narrow the query to part of the fleet with a label filter, e.g. "
        f'{dcgm_labels.DCGM_POWER_METRIC}{{Hostname=~"node-0.*"}}, and pull each part'
    )


def _request(
    target: Target, api: str, params: dict[str, str], budget: _Budget, timeout_s: float, query: str
) -> dict[str, Any]:
    """One GET of ``/api/v1/<api>`` within the pull's budget; the parsed JSON of a 200 answer."""
    assert api in API_PATHS
    remaining = budget.remaining_s()
    if remaining <= 0:
        raise PrometheusError(
            f"Prometheus at {target.base} did not answer within {budget.deadline_s:g} s; pull a shorter range"
        )
    path = f"/api/v1/{api}?{urllib.parse.urlencode(params, doseq=True)}"
    try:
        access = prometheus_access.for_server(target.scheme, target.host, target.port)
    except prometheus_access.AccessError as exc:
        raise PrometheusError(str(exc)) from None
    headers = {"Accept": "application/json"}
    if access.authorization is not None:
        headers["Authorization"] = access.authorization
    if target.scheme == "https":
        conn: http.client.HTTPConnection = http.client.HTTPSConnection(
            target.host, target.port, timeout=min(timeout_s, remaining), context=access.ssl_context()
        )
    else:
        conn = http.client.HTTPConnection(target.host, target.port, timeout=min(timeout_s, remaining))
    expired = threading.Event()
    held: list[socket.socket] = []  # http.client drops conn.sock once a closing answer starts

    def cut() -> None:  # the deadline: shut the socket under a read that is still waiting
        expired.set()
        for sock in held:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    timer = threading.Timer(remaining, cut)
    timer.daemon = True
    timer.start()
    try:
        conn.connect()
        held.append(conn.sock)
        if expired.is_set():
            cut()
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        if 300 <= response.status < 400:
            raise PrometheusError(
                f"Prometheus at {target.base} answered with a redirect (HTTP {response.status}), which is not "
                "followed; give the address Prometheus itself serves on"
            )
        if response.status != 200:
            reason = _STATUS_REASONS.get(
                response.status,
                "failed: try again later" if response.status >= 500 else "did not answer as Prometheus does",
            )
            raise PrometheusError(f"Prometheus at {target.base} {reason} (HTTP {response.status})")
        chunks: list[bytes] = []
        series, tail = 0, b""
        while chunk := response.read1(_READ_CHUNK):
            if budget.spend_bytes(len(chunk)) < 0:
                raise PrometheusError(
                    f"Prometheus at {target.base} answered more than {MAX_RESPONSE_BYTES // 1024**2} MB; "
                    "pull a shorter range, or narrow the query with a label filter"
                )
            series += (tail + chunk).count(_SERIES_MARK)
            tail = chunk[-(len(_SERIES_MARK) - 1) :]
            if series > MAX_SERIES:
                raise _too_many_series(target, query)
            chunks.append(chunk)
        if expired.is_set():
            raise OSError("deadline")
    except PrometheusError:
        raise
    except ssl.SSLCertVerificationError as exc:
        raise PrometheusError(
            f"the TLS certificate of {target.base} could not be verified ({exc.verify_message}); the operator "
            "names the CA that signed it as ca_file in the secrets file"
        ) from None
    except (OSError, http.client.HTTPException):
        if expired.is_set() or budget.remaining_s() <= 0:
            raise PrometheusError(
                f"Prometheus at {target.base} did not answer within {budget.deadline_s:g} s; "
                "pull a shorter range, or check the server"
            ) from None
        raise _unreachable(target) from None
    finally:
        timer.cancel()
        conn.close()
    try:
        data = json.loads(b"".join(chunks))
    except ValueError:
        data = None
    if not isinstance(data, dict) or "status" not in data:
        raise PrometheusError(f"{target.base} did not answer with Prometheus JSON (is it the server's base URL?)")
    if data.get("status") != "success":
        raise PrometheusError(f"Prometheus at {target.base} reported that the query failed")
    return data


def pull_series(
    url: str,
    start: dt.datetime,
    end: dt.datetime,
    *,
    query: str = dcgm_labels.DCGM_POWER_METRIC,
    progress: Callable[[float, str], None] | None = None,
    timeout_s: float = TIMEOUT_S,
    deadline_s: float = DEADLINE_S,
    allowed_hosts: Sequence[str] | None = None,
    step_s: int | None = None,
    parallel: int = 1,
) -> tuple[list[dict[str, Any]], int]:
    """Every series of ``query`` over [start, end] (UTC) and the step used, in :data:`WINDOWS` requests.

    ``progress(fraction, text)`` is called after each window. All windows share one
    ``deadline_s`` and the caps; ``parallel`` windows are asked at a time (a server evaluates one query on
    one core). ``allowed_hosts`` overrides ``FACTORY_PROMETHEUS_HOSTS``; ``step_s`` overrides the
    step (:func:`step_seconds`). Raises
    :class:`PrometheusError` when the URL is not a permitted base URL, the server is
    unreachable, refuses, answers beyond the caps, or returns no series.
    """
    target = parse_target(url, allowed_hosts)
    base = target.base
    start, end = (t.astimezone(dt.UTC) if t.tzinfo else t.replace(tzinfo=dt.UTC) for t in (start, end))
    step = step_s or step_seconds(start, end)  # prom_pushdown passes the step its subqueries use
    first, last = start.timestamp(), end.timestamp()
    points = int((last - first) // step) + 1
    per_window = max(1, math.ceil(points / WINDOWS))
    budget = _Budget(deadline_s)
    merged: dict[tuple[tuple[str, str], ...], dict[str, Any]] = {}
    windows = []
    for begin in range(0, points, per_window):
        lo = first + begin * step
        count = min(per_window, points - begin)
        windows.append((count, {"query": query, "start": f"{lo:.3f}", "end": f"{lo + (count - 1) * step:.3f}",
                                "step": f"{step}s"}))  # fmt: skip

    def ask(params: dict[str, str]) -> dict[str, Any]:
        return _request(target, "query_range", params, budget, timeout_s, query)

    # One at a time, the next window is asked only once the last is read; in parallel, a failure leaves at most
    # ``parallel`` requests in flight, the rest cancelled.
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=parallel) if parallel > 1 else None
    try:
        asked = [params for _, params in windows]
        answers = pool.map(ask, asked) if pool is not None else map(ask, asked)
        done = 0
        for (count, _), data in zip(windows, answers):
            _merge(data, merged, budget, target, query)
            done += count
            if progress is not None:
                progress(done / points, f"{done:,} of {points:,} steps of {step} s")
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
    if not merged:
        raise PrometheusError(
            f"Prometheus at {base} has no {query} series between {start:%Y-%m-%d %H:%M} and {end:%Y-%m-%d %H:%M} UTC"
        )
    return list(merged.values()), step


def _merge(
    data: dict[str, Any],
    merged: dict[tuple[tuple[str, str], ...], dict[str, Any]],
    budget: _Budget,
    target: Target,
    query: str,
) -> None:
    """Add one window's series to ``merged`` (their values appended in window order), within the caps."""
    result = data.get("data", {}).get("result", []) if isinstance(data.get("data"), dict) else []
    for series in result if isinstance(result, list) else []:
        values = series.get("values", []) if isinstance(series, dict) else []
        budget.samples += len(values) if isinstance(values, list) else 0
        if budget.samples > MAX_SAMPLES:
            raise PrometheusError(
                f"Prometheus at {target.base} answered more than {MAX_SAMPLES:,} samples, more than one pull "
                "takes; pull fewer hours, or narrow the query with a label filter"
            )
        key = tuple(sorted(series.get("metric", {}).items()))
        merged.setdefault(key, {"metric": series.get("metric", {}), "values": []})["values"] += values
        if len(merged) > MAX_SERIES:
            raise _too_many_series(target, query)


@dataclass
class Pulled:
    """What a pull fetched, ready to store: the series as the API's JSON in a private folder."""

    path: Path
    step_s: int
    source: str

    def discard(self) -> None:
        """Remove the folder (:func:`store_pulled` does it after storing)."""
        shutil.rmtree(self.path.parent, ignore_errors=True)


def fetch(
    url: str,
    start: dt.datetime,
    end: dt.datetime,
    *,
    progress: Callable[[float, str], None] | None = None,
    allowed_hosts: Sequence[str] | None = None,
) -> Pulled:
    """Pull DCGM GPU power over [start, end] to a file, touching no store (the network part of a pull)."""
    series, step = pull_series(url, start, end, progress=progress, allowed_hosts=allowed_hosts)
    base = parse_target(url, allowed_hosts).base
    workdir = Path(tempfile.mkdtemp(prefix="factory-prometheus-"))
    path = workdir / "query_range.json"
    try:
        formats.write_query_range(series, path)
    except BaseException:
        shutil.rmtree(workdir, ignore_errors=True)
        raise
    return Pulled(path, step, f"Prometheus {base} ({dcgm_labels.DCGM_POWER_METRIC}, step {step} s)")


def store_pulled(
    con: duckdb.DuckDBPyConnection,
    pulled: Pulled,
    *,
    name: str,
    workspace: str = SHARED,
    host_racks: DatasetInfo | None = None,
    owner: str | None = None,
) -> ingest.IngestResult:
    """Store what :func:`fetch` pulled as a telemetry dataset called ``name`` (then remove its file)."""
    try:
        return ingest.ingest(
            con,
            pulled.path,
            kind="telemetry",
            name=name,
            workspace=workspace,
            host_racks=host_racks,
            owner=owner,
            source_file=pulled.source,
        )
    finally:
        pulled.discard()


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
    allowed_hosts: Sequence[str] | None = None,
) -> ingest.IngestResult:
    """Pull DCGM GPU power over [start, end] and store it as a telemetry dataset called ``name``
    (:func:`fetch`, then :func:`store_pulled`: ``con`` is not used while the network is)."""
    pulled = fetch(url, start, end, progress=progress, allowed_hosts=allowed_hosts)
    return store_pulled(con, pulled, name=name, workspace=workspace, host_racks=host_racks, owner=owner)


__all__ = [
    "API_PATHS",
    "DEADLINE_S",
    "HOSTS_ENV",
    "MAX_POINTS_PER_SERIES",
    "MAX_SAMPLES",
    "MAX_SERIES",
    "PrometheusError",
    "Pulled",
    "fetch",
    "parse_target",
    "permitted_hosts",
    "pull_dataset",
    "pull_series",
    "step_seconds",
    "store_pulled",
]
