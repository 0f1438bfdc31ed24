"""Site figures from a live Prometheus: computed by the TSDB (PromQL pushdown) against copying every series.

A real Prometheus (``devkit.prometheus``: Debian's binary, blocks backfilled by ``promtool``)
holds ``BENCH_PROM_HOSTS`` hosts (default 96) x 8 GPUs x ``BENCH_PROM_STEPS`` scrapes 15 s
apart (default 1,600: 6 h 40 min), i.e. 1.23M samples by default, with a ``rack`` label
(4 hosts per rack). ``BENCH_PROM_HOSTS=125 BENCH_PROM_STEPS=100000`` is the 100M-sample
fleet (1,000 GPUs, 17.4 days): its OpenMetrics file is 14.6 GB, written in seconds (numpy)
and backfilled by promtool in about 4 minutes as one block, then deleted (about 18 GB free
disk is checked first); the TSDB (0.15 GB) is then kept, keyed by the
sizes, in ``BENCH_PROM_DIR`` (default ``$TMPDIR/factory-bench-prometheus``) and served
again by later runs without backfilling (above :data:`KEEP_FROM_SAMPLES`, or with
``BENCH_PROM_KEEP=1``; delete the folder to free it). Backfilling is not timed.

Timed, median of :data:`REPEAT`:

- **pushdown**: ``prom_pushdown.live_figures`` over the whole range (only per-rack sums per
  step cross the wire), in this process; then once in a child process, whose peak resident
  memory (``VmHWM``, read by the child: ``ru_maxrss`` would include this process's, inherited
  across fork and exec) is compared with a child that only imports the module: the memory the
  computation adds, which must stay flat as the samples grow;
- **copy-everything**: ``prometheus.pull_dataset`` (every GPU series by ``query_range``) into a
  fresh DuckDB file, then ``rack_power.rack_figures`` and ``site_figures`` (the same figures),
  alternating with the pushdown. The pull keeps at most 2,000 points per series, so it copies
  every sample only up to 2,000 scrapes; above that it is timed on the last 2,000 scrapes
  (the largest range it copies whole) against the pushdown over the same range, and, over the
  whole range, as the product runs it (a thinned copy, one point per coarse step: timed, its
  figure not the same);
- **where the time goes** (sizes above :data:`KEEP_FROM_SAMPLES`): the pushdown once more
  through a logging proxy on 127.0.0.1, each request's query, bytes and time to Prometheus'
  answer (the census, the range windows, which may overlap: their time is the span during which
  any is open); each query then re-run with ``stats``
  for the server's own evaluation time and samples read (printed); what is left of the call is
  local (JSON decoding, the p95 in DuckDB).

Where the copy runs whole, both give the same site p95 (asserted).
"""

from __future__ import annotations

import datetime as dt
import http.client
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from bench.data import REPO_ROOT, temp_dir
from bench.harness import Measurement

REPEAT = 3
GPUS = 8
STEP_S = 15
HOSTS_PER_RACK = 4
KEEP_FROM_SAMPLES = 10_000_000
BLOCK_H = 1458  # promtool's longest useful block (60.75 days): one block, so one pass over the file
BYTES_PER_SAMPLE = 150  # the OpenMetrics line with DCGM's labels, rounded up
COPY_SCRAPES = 2000  # prometheus.MAX_POINTS_PER_SERIES: the most scrapes the pull copies whole
DEADLINE_S = 600.0  # the bench waits; the product's default deadline is prometheus.DEADLINE_S


@dataclass(frozen=True)
class Fleet:
    """The generated series: hosts x GPUs x scrapes from ``start_s``, served by a TSDB in ``folder``."""

    hosts: list[str]
    steps: int
    start_s: int
    folder: Path

    @property
    def samples(self) -> int:
        return len(self.hosts) * GPUS * self.steps

    @property
    def end_s(self) -> int:
        return self.start_s + (self.steps - 1) * STEP_S

    def describe(self) -> str:
        return f"{self.samples:,} DCGM samples ({len(self.hosts)} hosts x {GPUS} GPUs x {self.steps:,} scrapes)"


def _fleet() -> Fleet:
    """The backfilled TSDB of the sizes the environment asks for: reused when kept, else written now."""
    from devkit.prometheus import backfill, dcgm_openmetrics

    hosts = [f"node-{h:03d}" for h in range(int(os.environ.get("BENCH_PROM_HOSTS", "96")))]
    steps = int(os.environ.get("BENCH_PROM_STEPS", "1600"))
    samples = len(hosts) * GPUS * steps
    keep = samples > KEEP_FROM_SAMPLES or os.environ.get("BENCH_PROM_KEEP") == "1"
    root = Path(os.environ.get("BENCH_PROM_DIR") or Path(tempfile.gettempdir()) / "factory-bench-prometheus")
    folder = root / f"{len(hosts)}x{GPUS}x{steps}" if keep else temp_dir() / "pushdown"
    done = folder / "backfilled.json"
    if keep and done.exists():
        return Fleet(hosts, steps, int(json.loads(done.read_text())["start_s"]), folder)
    shutil.rmtree(folder / "tsdb", ignore_errors=True)
    folder.mkdir(parents=True, exist_ok=True)
    need = samples * BYTES_PER_SAMPLE * 1.2
    free = shutil.disk_usage(folder).free
    if free < need:
        raise RuntimeError(
            f"the OpenMetrics file needs about {need / 1e9:.1f} GB; {folder} has {free / 1e9:.1f} GB free"
        )
    # In the past (the TSDB serves it with 100-year retention), inside one promtool block.
    span_s = (steps - 1) * STEP_S
    block_s = BLOCK_H * 3600
    start_s = (int(time.time()) - span_s - 3600) // block_s * block_s
    source = folder / "dcgm.om"
    started = time.perf_counter()
    racks = {h: f"R{i // HOSTS_PER_RACK:02d}" for i, h in enumerate(hosts)}
    dcgm_openmetrics(source, hosts=hosts, gpus=GPUS, start_s=start_s, samples=steps, racks=racks)
    written_s = time.perf_counter() - started
    size_gb = source.stat().st_size / 1e9
    backfill(source, folder / "tsdb", max_block_duration_h=BLOCK_H, timeout_s=7200)
    source.unlink()
    print(
        f"pushdown: {samples:,} samples written ({size_gb:.1f} GB) in {written_s:.0f} s, backfilled in "
        f"{time.perf_counter() - started - written_s:.0f} s into {folder}",
        file=sys.stderr,
        flush=True,
    )
    if keep:
        done.write_text(json.dumps({"start_s": start_s, "samples": samples}))
    return Fleet(hosts, steps, start_s, folder)


def _utc(seconds: float) -> dt.datetime:
    return dt.datetime.fromtimestamp(seconds, dt.UTC)


def _live(url: str, start_s: float, end_s: float):  # noqa: ANN202 - prom_pushdown.LiveFigures
    from factorycore.userdata import prom_pushdown

    return prom_pushdown.live_figures(
        url, _utc(start_s), _utc(end_s), allowed_hosts=["127.0.0.1"], deadline_s=DEADLINE_S
    )


def _copy(url: str, start_s: float, end_s: float, db_file: Path) -> dict:
    """The copy path: pull into a fresh DuckDB file, then the rack and site figures from it."""
    from factorycore import db
    from factorycore.userdata import catalog, prometheus, rack_power

    db_file.unlink(missing_ok=True)
    con = db.open_database(db_file, build=False)
    try:
        result = prometheus.pull_dataset(
            con, url, _utc(start_s), _utc(end_s), name="copied", allowed_hosts=["127.0.0.1"]
        )
        info = catalog.get_dataset(con, dataset_id=result.dataset_id)
        b = rack_power.basis(con, info)
        rack_power.rack_figures(con, b)
        return rack_power.site_figures(con, b)
    finally:
        con.close()
        db_file.unlink(missing_ok=True)


_CHILD = """
import datetime as dt, json, sys, time
from factorycore.userdata import prom_pushdown
out = {}
if sys.argv[1] != "import-only":
    url, lo, hi = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
    started = time.perf_counter()
    f = prom_pushdown.live_figures(url, dt.datetime.fromtimestamp(lo, dt.UTC), dt.datetime.fromtimestamp(hi, dt.UTC),
                                   allowed_hosts=["127.0.0.1"], deadline_s=600.0)
    out = {"seconds": time.perf_counter() - started, "site_p95_kw": f.site_p95_kw, "step_s": f.step_s}
# The peak of this process's own memory: ru_maxrss would also count the parent's, inherited across fork and exec.
hwm = next(line for line in open("/proc/self/status") if line.startswith("VmHWM:"))
print(json.dumps(out | {"peak_mb": int(hwm.split()[1]) / 1024}))
"""


def _child(*args: str) -> dict:
    """Run :data:`_CHILD` with ``args``; what it prints (its time, figures and peak resident memory, VmHWM)."""
    done = subprocess.run([sys.executable, "-c", _CHILD, *args], cwd=REPO_ROOT, capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"pushdown child failed ({done.returncode}): {done.stderr[-500:]}")
    return json.loads(done.stdout)


class _Log(BaseHTTPRequestHandler):
    """Forwards a GET to Prometheus and records its query, bytes and the time to the whole answer."""

    upstream = ""
    records: list[dict] = []

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        host, port = self.upstream.split(":")
        conn = http.client.HTTPConnection(host, int(port), timeout=DEADLINE_S)
        headers = {k: v for k, v in self.headers.items() if k.lower() in ("accept", "accept-encoding")}
        started = time.perf_counter()
        conn.request("GET", self.path, headers=headers)
        response = conn.getresponse()
        body = response.read()
        seconds = time.perf_counter() - started
        conn.close()
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
        self.records.append(
            {
                "path": self.path,
                "params": query,
                "seconds": seconds,
                "bytes": len(body),
                "span": (started, started + seconds),
            }
        )
        self.send_response(response.status)
        for key in ("Content-Type", "Content-Encoding"):
            if response.getheader(key):
                self.send_header(key, response.getheader(key))
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:  # quiet
        pass


def _server_seconds(url: str, record: dict) -> tuple[float, int]:
    """Prometheus' own evaluation time (``stats``, a second run) of a recorded request, and the samples it read."""
    endpoint = urllib.parse.urlsplit(record["path"]).path
    if not endpoint.endswith(("/query", "/query_range")):
        return 0.0, 0  # the series index reads no samples and reports no stats
    params = {k: v[0] for k, v in record["params"].items()} | {"stats": "1"}
    with urllib.request.urlopen(f"{url}{endpoint}?{urllib.parse.urlencode(params)}", timeout=DEADLINE_S) as r:
        stats = json.load(r).get("data", {}).get("stats", {})
    timings, samples = stats.get("timings", {}), stats.get("samples", {})
    return float(timings.get("execTotalTime", 0.0)), int(samples.get("totalQueryableSamples", 0))


def _where(url: str, fleet: Fleet) -> list[Measurement]:
    """The pushdown once through the logging proxy: server, transfer and local time, each query printed."""
    _Log.upstream, _Log.records = url.removeprefix("http://"), []
    proxy = ThreadingHTTPServer(("127.0.0.1", 0), _Log)
    thread = threading.Thread(target=proxy.serve_forever, daemon=True)
    thread.start()
    try:
        started = time.perf_counter()
        _live(f"http://127.0.0.1:{proxy.server_address[1]}", fleet.start_s, fleet.end_s)
        total_s = time.perf_counter() - started
    finally:
        proxy.shutdown()
        proxy.server_close()
    answered_s = _union_s([r["span"] for r in _Log.records])
    census = [r for r in _Log.records if r["path"].startswith(("/api/v1/query?", "/api/v1/series?"))]
    for r in _Log.records:
        seconds, samples = _server_seconds(url, r)
        print(
            f"  {urllib.parse.urlsplit(r['path']).path} {json.dumps({k: v[0] for k, v in r['params'].items()})}: "
            f"answered in {r['seconds']:.3f} s ({r['bytes']:,} bytes); run again with stats: "
            f"evaluation {seconds:.3f} s "
            f"over {samples:,} samples",
            file=sys.stderr,
            flush=True,
        )
    size = f"{fleet.samples:,} samples"
    ranges = [r for r in _Log.records if r["path"].startswith("/api/v1/query_range?")]
    return [
        Measurement(f"pushdown, {size}, through a logging proxy: the whole call", total_s, "s"),
        Measurement(
            f"pushdown, {size}: the label census ({', '.join(sorted({r['path'].split('?')[0] for r in census}))}), "
            "request to whole answer",
            sum(r["seconds"] for r in census),
            "s",
        ),
        Measurement(
            f"pushdown, {size}: {len(ranges)} query_range windows, first request to last answer (at most "
            f"{_most_at_once([r['span'] for r in ranges])} at once; {sum(r['seconds'] for r in ranges):.2f} s "
            f"summed; {sum(r['bytes'] for r in ranges):,} bytes)",
            _union_s([r["span"] for r in ranges]),
            "s",
        ),
        Measurement(
            f"pushdown, {size}: local (no request open: JSON decoding, p95 and peak in DuckDB)",
            total_s - answered_s,
            "s",
        ),
    ]


def _union_s(spans: list[tuple[float, float]]) -> float:
    """Seconds during which at least one of ``spans`` was open (requests may overlap)."""
    total, end = 0.0, float("-inf")
    for lo, hi in sorted(spans):
        if hi > end:
            total += hi - max(lo, end)
            end = hi
    return total


def _most_at_once(spans: list[tuple[float, float]]) -> int:
    """The most ``spans`` open at one moment."""
    events = sorted([(lo, 1) for lo, _ in spans] + [(hi, -1) for _, hi in spans], key=lambda e: (e[0], e[1]))
    most = now = 0
    for _, step in events:
        now += step
        most = max(most, now)
    return most


def _timed(work, repeat: int) -> tuple[list[float], object]:  # noqa: ANN001
    seconds, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = work()
        seconds.append(time.perf_counter() - started)
    return seconds, result


def run() -> list[Measurement]:
    from devkit.prometheus import PROMETHEUS, PROMTOOL, prometheus_server
    from factorycore.userdata import prometheus

    if not (PROMETHEUS.exists() and PROMTOOL.exists()):
        return []
    fleet = _fleet()
    out: list[Measurement] = []
    # query.max-samples: the census counts every sample of the range at one instant (100M at the largest size).
    with prometheus_server(fleet.folder, query_max_samples=max(50_000_000, 2 * fleet.samples)) as url:
        whole = fleet.steps <= prometheus.MAX_POINTS_PER_SERIES
        lo = fleet.start_s if whole else fleet.end_s - (COPY_SCRAPES - 1) * STEP_S
        live_s, copy_s, live, copied = [], [], None, None
        for i in range(REPEAT if whole else 1):
            started = time.perf_counter()
            live = _live(url, lo, fleet.end_s)
            live_s.append(time.perf_counter() - started)
            started = time.perf_counter()
            copied = _copy(url, lo, fleet.end_s, fleet.folder / f"copy{i}.duckdb")
            copy_s.append(time.perf_counter() - started)
        assert live is not None and copied is not None
        assert abs(live.site_p95_kw - copied["site_p95_kw"]) < 1e-9 * max(1.0, copied["site_p95_kw"]), (live, copied)
        copied_samples = len(fleet.hosts) * GPUS * (fleet.steps if whole else COPY_SCRAPES)
        out.append(
            Measurement(
                f"pushdown: per-rack and site p95/peak of {fleet.describe()} computed by Prometheus"
                if whole
                else f"pushdown over the last {COPY_SCRAPES:,} scrapes ({copied_samples:,} samples, the most the "
                f"copy takes whole) of {fleet.describe()}",
                statistics.median(live_s),
                "s",
                statistics.median(copy_s),
                "every series pulled by query_range, ingested, summed in DuckDB",
                "< 1x",
                statistics.median(live_s) < statistics.median(copy_s),
            )
        )
        if not whole:
            full_s, live = _timed(lambda: _live(url, fleet.start_s, fleet.end_s), REPEAT)
            started = time.perf_counter()
            try:
                thinned = _copy(url, fleet.start_s, fleet.end_s, fleet.folder / "thinned.duckdb")
                copy_note = f"thinned copy, p95 {thinned['site_p95_kw']:,.1f} kW against {live.site_p95_kw:,.1f} kW"
            except prometheus.PrometheusError as exc:
                copy_note = f"refused: {exc}"
            thinned_s = time.perf_counter() - started
            out.append(
                Measurement(
                    f"pushdown: per-rack and site p95/peak of {fleet.describe()} over the whole range "
                    f"({live.step_s} s steps) computed by Prometheus",
                    statistics.median(full_s),
                    "s",
                    thinned_s,
                    f"the pull over the same range, as the product runs it: {copy_note}",
                    "< 3 s",
                    statistics.median(full_s) < 3.0,
                )
            )
        # Memory: a child that computes the whole range against one that only imports the module.
        child = _child(url, str(fleet.start_s), str(fleet.end_s))
        import_mb = _child("import-only")["peak_mb"]
        out.append(
            Measurement(
                f"pushdown over {fleet.samples:,} samples in a child process: peak memory (VmHWM; "
                f"{child['seconds']:.2f} s)",
                child["peak_mb"],
                "MB",
                import_mb,
                "a child that only imports prom_pushdown",
                "+ < 200 MB",
                child["peak_mb"] - import_mb < 200,
            )
        )
        if fleet.samples > KEEP_FROM_SAMPLES:
            out += _where(url, fleet)
    return out
