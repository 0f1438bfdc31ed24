"""Live pull from a real Prometheus (see the ``prometheus_url`` fixture), against hand-computed sums."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from factorycore import db
from factorycore.userdata import catalog, prometheus
from tests.conftest import PROM_GPUS, PROM_HOSTS, PROM_STEP_S

pytestmark = pytest.mark.slow


@pytest.fixture
def con(tmp_path: Path):
    c = db.open_database(tmp_path / "prom.duckdb", build=False)
    yield c
    c.close()


def _utc(seconds: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(seconds, dt.UTC)


def test_step_keeps_series_at_or_below_2000_points():
    start = _utc(0)
    assert prometheus.step_seconds(start, start + dt.timedelta(seconds=1999)) == 15  # never below a scrape interval
    assert prometheus.step_seconds(start, start + dt.timedelta(seconds=1999), min_step_s=1) == 1
    assert prometheus.step_seconds(start, start + dt.timedelta(days=30)) == 1297  # ceil(2,592,000 / 1,999)
    assert int(2_592_000 // 1297) + 1 <= 2000
    with pytest.raises(prometheus.PrometheusError, match="after its start"):
        prometheus.step_seconds(start, start)


def test_pull_stores_rack_telemetry_with_progress(con, prometheus_url):
    start, end = _utc(prometheus_url["start_s"]), _utc(prometheus_url["start_s"] + 600)  # 10 minutes, 41 steps of 15 s
    seen: list[float] = []
    result = prometheus.pull_dataset(
        con, prometheus_url["url"], start, end, name="pulled", progress=lambda done, _text: seen.append(done)
    )
    assert seen == sorted(seen) and seen[-1] == 1.0 and len(seen) == 9  # 41 steps in windows of 5
    info = catalog.get_dataset(con, dataset_id=result.dataset_id)
    assert info.kind == "telemetry" and result.rows_rejected == 0
    # One row per physical GPU and step; a rack's power is the sum of its GPUs (its sources).
    racks = dict(con.execute(f"SELECT rack_id, count(DISTINCT ts) FROM {info.table} GROUP BY ALL").fetchall())
    assert racks == {"B01": 41, "B02": 41}
    # At the first timestamp (sample 0, no +50 W): B01 = hosts 0 and 1 = sum over g of (100 + g) + (110 + g).
    first = dict(
        con.execute(
            f"SELECT rack_id, sum(power_kw) FROM {info.table} WHERE ts = (SELECT min(ts) FROM {info.table}) "
            "GROUP BY rack_id"
        ).fetchall()
    )
    per_host = lambda h: sum(100 + 10 * h + g for g in range(PROM_GPUS))  # noqa: E731
    assert first["B01"] == pytest.approx((per_host(0) + per_host(1)) / 1000)
    assert first["B02"] == pytest.approx((per_host(2) + per_host(3)) / 1000)
    assert "step 15 s" in info.source_file and len(PROM_HOSTS) == 4 and PROM_STEP_S == 15


def test_a_long_range_is_stepped_down(con, prometheus_url):
    series, step = prometheus.pull_series(
        prometheus_url["url"], _utc(prometheus_url["start_s"] - 86400 * 6), _utc(prometheus_url["end_s"])
    )
    assert step == 263  # ceil((6 days + 7,185 s) / 1,999) = ceil(262.9)
    assert all(len(s["values"]) <= 2000 for s in series)


def test_unreachable_server_and_empty_range(prometheus_url):
    from devkit.server import free_port

    with pytest.raises(prometheus.PrometheusError, match="no Prometheus answered at http://127.0.0.1:"):
        prometheus.pull_series(f"http://127.0.0.1:{free_port()}", _utc(0), _utc(3600), timeout_s=3)
    with pytest.raises(prometheus.PrometheusError, match="has no DCGM_FI_DEV_POWER_USAGE series between 2001"):
        prometheus.pull_series(prometheus_url["url"], _utc(978_307_200), _utc(978_310_800))
    with pytest.raises(prometheus.PrometheusError, match="not an http"):
        prometheus.pull_series("file:///etc/passwd", _utc(0), _utc(3600))
