"""Site figures computed by a real Prometheus (PromQL sums, quantile_over_time / max_over_time) equal the
same data copied out and ingested as a file; failures give the pull's own messages."""

from __future__ import annotations

import datetime as dt
import http.server
import json
import threading
from pathlib import Path

import pytest

from devkit.server import free_port
from factorycore import db
from factorycore.userdata import catalog, prom_pushdown, prometheus, rack_power
from tests.conftest import PROM_RACKS
from tests.security.hostile_http import hostile

LOCAL = ["127.0.0.1"]


def _utc(seconds: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(seconds, dt.UTC)


@pytest.fixture
def con(tmp_path: Path):
    c = db.open_database(tmp_path / "live.duckdb", build=False)
    yield c
    c.close()


def _from_file(con, prometheus_url) -> tuple[dict[str, tuple[float, float]], dict]:
    """The copy-everything path: every GPU series pulled as query_range JSON, ingested, summed by rack_power."""
    start, end = _utc(prometheus_url["start_s"]), _utc(prometheus_url["end_s"])
    result = prometheus.pull_dataset(con, prometheus_url["url"], start, end, name="copied")
    info = catalog.get_dataset(con, dataset_id=result.dataset_id)
    b = rack_power.basis(con, info)
    assert b.bucket_s == 15
    racks = rack_power.rack_figures(con, b)
    per_rack = {f"{r.rack_id} {k}": getattr(r, k) for r in racks.itertuples() for k in ("p95_kw", "peak_kw")}
    return per_rack, rack_power.site_figures(con, b)


def _flat_frame(racks) -> dict[str, float]:
    return {f"{r.rack_id} {k}": getattr(r, k) for r in racks.itertuples() for k in ("p95_kw", "peak_kw")}


def _flat(live: prom_pushdown.LiveFigures) -> dict[str, float]:
    return _flat_frame(live.racks)


def test_pushdown_equals_the_same_data_ingested_as_a_file(con, prometheus_url):
    start, end = _utc(prometheus_url["start_s"]), _utc(prometheus_url["end_s"])
    file_racks, file_site = _from_file(con, prometheus_url)
    live = prom_pushdown.live_figures(prometheus_url["url"], start, end)
    assert live.level == "rack" and live.step_s == 15
    assert _flat(live) == pytest.approx(file_racks, rel=1e-9)
    assert {k.split()[0] for k in file_racks} == set(PROM_RACKS.values())
    assert live.site_p95_kw == pytest.approx(file_site["site_p95_kw"], rel=1e-9)
    assert live.site_peak_kw == pytest.approx(file_site["site_peak_kw"], rel=1e-9)
    # Only aggregates crossed the wire: a label census, then the per-rack sums (never the GPU series).
    # No GPU has two series here, so the average is the series itself and the sum reads them directly.
    # The census reads the series index (no samples); the sums are each GPU's mean per 15 s bucket.
    assert live.queries == ["series", "sum by (rack) (avg_over_time(DCGM_FI_DEV_POWER_USAGE[15s]))"]
    assert "summed by the Prometheus server" in live.describe()
    # The same racks through a host-to-rack map: per-host sums come back, joined and summed in DuckDB.
    mapped = prom_pushdown.live_figures(prometheus_url["url"], start, end, host_racks=list(PROM_RACKS.items()))
    assert _flat(mapped) == pytest.approx(file_racks, rel=1e-9)
    # MIG instances (each repeating its GPU's power) and a second scrape job of the same GPUs count once.
    repeated = (
        'DCGM_FI_DEV_POWER_USAGE or label_replace(label_replace(DCGM_FI_DEV_POWER_USAGE, "GPU_I_ID", "1", "", ""), '
        '"UUID", "MIG-$1", "UUID", "(.+)") '
        'or label_replace(DCGM_FI_DEV_POWER_USAGE, "instance", "10.0.0.9:9400", "", "")'
    )
    twice = prom_pushdown.live_figures(prometheus_url["url"], start, end, metric=f"({repeated})")
    assert "avg by (Hostname, gpu, rack)" in twice.queries[-1]
    assert _flat(twice) == pytest.approx(file_racks, rel=1e-9)
    assert twice.site_p95_kw == pytest.approx(file_site["site_p95_kw"], rel=1e-9)
    # Series without a gpu index: the GPU is its UUID (set by label_replace), the same figures.
    by_uuid = prom_pushdown.live_figures(
        prometheus_url["url"], start, end, metric='label_replace(DCGM_FI_DEV_POWER_USAGE, "gpu", "", "", "")'
    )
    assert prom_pushdown.GPU in by_uuid.queries[-1] and _flat(by_uuid) == pytest.approx(file_racks, rel=1e-9)
    # Without rack labels or a map the figures are per node (host).
    nodes = prom_pushdown.live_figures(
        prometheus_url["url"], start, end, metric='label_replace(DCGM_FI_DEV_POWER_USAGE, "rack", "", "", "")'
    )
    assert nodes.level == "node" and list(nodes.racks["rack_id"]) == sorted(PROM_RACKS)


def test_coarse_buckets_average_every_sample_as_a_file_bucket_does(con, prometheus_url):
    """A 5-minute bucket is each GPU's mean over its 20 samples, summed: the same figures as the file read with
    a stated 5-minute bucket (one value picked per step would give the peak of a 50 W swing instead)."""
    start, end = _utc(prometheus_url["start_s"]), _utc(prometheus_url["end_s"])
    result = prometheus.pull_dataset(con, prometheus_url["url"], start, end, name="copied")
    b = rack_power.basis(con, catalog.get_dataset(con, dataset_id=result.dataset_id), bucket_s=300)
    file_racks = _flat_frame(rack_power.rack_figures(con, b))
    live = prom_pushdown.live_figures(prometheus_url["url"], start, end, bucket_s=300)
    assert live.step_s == 300 and "avg_over_time(DCGM_FI_DEV_POWER_USAGE[300s])" in live.queries[-1]
    assert _flat(live) == pytest.approx(file_racks, rel=1e-9)
    # By hand: rack B01 holds hosts 0 and 1; GPU g of host h draws 100 + 10 h + g W, plus 50 W on every other
    # sample, so over 20 samples its mean is 125 + 10 h + g W. B01, hosts 0 and 1: (8 x 125 + 28) + (8 x 135 + 28)
    # = 2,136 W in every bucket.
    assert live.racks.set_index("rack_id").loc["B01", "peak_kw"] == pytest.approx(2.136, abs=1e-12)
    assert live.site_p95_kw == pytest.approx(rack_power.site_figures(con, b)["site_p95_kw"], rel=1e-9)


def test_step_follows_the_range():
    start = _utc(0)
    assert prom_pushdown.choose_step(start, start + dt.timedelta(hours=2)) == 15
    # 2,592,000 s / 10,999 = 235.7 s: the smallest round bucket at or above it, 5 minutes.
    assert prom_pushdown.choose_step(start, start + dt.timedelta(days=30)) == 300
    with pytest.raises(prometheus.PrometheusError, match="after its start"):
        prom_pushdown.choose_step(start, start)


class _Status(http.server.BaseHTTPRequestHandler):
    status = 401

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        self.send_response(self.status)
        self.send_header("Content-Length", "0")
        self.end_headers()


def _live(url: str, **kw: object) -> prom_pushdown.LiveFigures:
    return prom_pushdown.live_figures(url, _utc(1_767_225_600), _utc(1_767_229_200), allowed_hosts=LOCAL, **kw)


def test_failures_give_the_pulls_messages(prometheus_url):
    with pytest.raises(prometheus.PrometheusError, match="no Prometheus answered at http://127.0.0.1:"):
        _live(f"http://127.0.0.1:{free_port()}", timeout_s=3)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Status)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with pytest.raises(prometheus.PrometheusError, match=r"asks for credentials.*\(HTTP 401\)"):
            _live(f"http://127.0.0.1:{server.server_address[1]}")
    finally:
        server.shutdown()
    with hostile("redirect", location="http://169.254.169.254/latest/meta-data/") as bad:
        with pytest.raises(prometheus.PrometheusError, match=r"redirect \(HTTP 302\), which is not followed"):
            _live(bad.url)
        assert len(bad.paths) == 1
    with hostile("many_series", series=prometheus.MAX_SERIES * 2) as bad:
        with pytest.raises(prometheus.PrometheusError, match="more than 5,000 series"):
            _live(bad.url)
    with hostile("error_body") as bad:
        with pytest.raises(prometheus.PrometheusError, match="did not accept the query") as caught:
            _live(bad.url)
        assert "hunter2" not in str(caught.value)
    # A wrong query to the real server: its 400, in the product's words.
    with pytest.raises(prometheus.PrometheusError, match=r"did not accept the query.*\(HTTP 400\)"):
        prom_pushdown.live_figures(
            prometheus_url["url"], _utc(prometheus_url["start_s"]), _utc(prometheus_url["end_s"]), metric="nope{"
        )
    with pytest.raises(prometheus.PrometheusError, match="not among the Prometheus servers"):
        prom_pushdown.live_figures("http://10.0.0.1:9090", _utc(0), _utc(3600), allowed_hosts=LOCAL)


def test_cli_live_summary(prometheus_url, capsys):
    from factorycore.cli import main as cli_main

    start, end = _utc(prometheus_url["start_s"]), _utc(prometheus_url["end_s"])
    args = ["live-summary", prometheus_url["url"], "--start", start.isoformat(), "--end", end.isoformat()]
    assert cli_main([*args, "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    live = prom_pushdown.live_figures(prometheus_url["url"], start, end)
    assert out["level"] == "rack" and out["step_s"] == 15
    assert out["site_p95_kw"] == round(live.site_p95_kw, 4)
    assert [r["rack_id"] for r in out["racks"]] == list(live.racks["rack_id"])
    part = '--metric=DCGM_FI_DEV_POWER_USAGE{rack="B01"}'
    assert cli_main([*args, part, "--format", "json"]) == 0
    assert [r["rack_id"] for r in json.loads(capsys.readouterr().out)["racks"]] == ["B01"]
    assert cli_main(["live-summary", "http://10.0.0.1:9090", "--format", "json"]) == 2
    assert "not among the Prometheus servers" in capsys.readouterr().err
