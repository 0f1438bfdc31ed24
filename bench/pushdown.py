"""Site figures from a live Prometheus: computed by the TSDB (PromQL pushdown) against copying every series.

A real Prometheus (``devkit.prometheus``: Debian's binary, blocks backfilled by ``promtool``)
holds ``BENCH_PROM_HOSTS`` hosts (default 96) x 8 GPUs x ``BENCH_PROM_STEPS`` scrapes 15 s
apart (default 1,600: 6 h 40 min), i.e. 1.23M samples by default, with a ``rack`` label
(4 hosts per rack). This shared 2-core machine backfills that in about a minute; the
copy path's caps (``prometheus.MAX_SAMPLES``, 2.5M per pull) bound it too. Timed, alternating,
median of :data:`REPEAT`:

- **pushdown**: ``prom_pushdown.live_figures`` (per-rack and site p95 and peak by
  ``quantile_over_time`` / ``max_over_time`` subqueries; only those numbers cross the wire);
- **copy-everything**: ``prometheus.pull_dataset`` (every GPU series by ``query_range``) into a
  fresh DuckDB file, then ``rack_power.rack_figures`` and ``site_figures`` (the same figures).

Both give the same site p95 (asserted). Backfilling is not timed.
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import time

from bench.data import temp_dir
from bench.harness import Measurement

REPEAT = 3
GPUS = 8


def run() -> list[Measurement]:
    from devkit.prometheus import PROMETHEUS, PROMTOOL, dcgm_openmetrics, prometheus_server
    from factorycore import db
    from factorycore.userdata import catalog, prom_pushdown, prometheus, rack_power

    if not (PROMETHEUS.exists() and PROMTOOL.exists()):
        return []
    hosts = [f"node-{h:03d}" for h in range(int(os.environ.get("BENCH_PROM_HOSTS", "96")))]
    steps = int(os.environ.get("BENCH_PROM_STEPS", "1600"))
    folder = temp_dir() / "pushdown"
    folder.mkdir(exist_ok=True)
    start_s = (int(time.time()) // 3600 - 9) * 3600
    source = folder / "dcgm.om"
    samples = dcgm_openmetrics(
        source,
        hosts=hosts,
        gpus=GPUS,
        start_s=start_s,
        samples=steps,
        racks={h: f"R{i // 4:02d}" for i, h in enumerate(hosts)},
    )
    start = dt.datetime.fromtimestamp(start_s, dt.UTC)
    end = dt.datetime.fromtimestamp(start_s + (steps - 1) * 15, dt.UTC)
    local = ["127.0.0.1"]
    with prometheus_server(folder, source) as url:
        live_s, copy_s, live, copied = [], [], None, None
        for i in range(REPEAT):
            started = time.perf_counter()
            live = prom_pushdown.live_figures(url, start, end, allowed_hosts=local)
            live_s.append(time.perf_counter() - started)
            started = time.perf_counter()
            con = db.open_database(folder / f"copy{i}.duckdb", build=False)
            try:
                result = prometheus.pull_dataset(con, url, start, end, name="copied", allowed_hosts=local)
                info = catalog.get_dataset(con, dataset_id=result.dataset_id)
                b = rack_power.basis(con, info)
                rack_power.rack_figures(con, b)
                copied = rack_power.site_figures(con, b)
            finally:
                con.close()
            copy_s.append(time.perf_counter() - started)
    assert live is not None and copied is not None
    assert abs(live.site_p95_kw - copied["site_p95_kw"]) < 1e-9 * max(1.0, copied["site_p95_kw"]), (live, copied)
    return [
        Measurement(
            f"pushdown: per-rack and site p95/peak of {samples:,} DCGM samples ({len(hosts)} hosts x {GPUS} GPUs x "
            f"{steps:,} scrapes) computed by Prometheus",
            statistics.median(live_s),
            "s",
            statistics.median(copy_s),
            "every series pulled by query_range, ingested, summed in DuckDB",
            "< 1x",
            statistics.median(live_s) < statistics.median(copy_s),
        )
    ]
