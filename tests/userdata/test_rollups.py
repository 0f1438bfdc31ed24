"""Rollups kept at ingest: per rack and for the site, per hour and day, the sum rule's min, mean and max;
the site view reads them (and says so) with the same figures the raw rows give; both stores."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from factorycore import db, store
from factorycore.userdata import aggregate, catalog, ingest, rack_power, rollups

RACKS = ("A01", "A02", "B01")
MINUTES = 3 * 24 * 60 + 17  # three days and a bit: a partial last hour


def _telemetry(path: Path) -> Path:
    """Two PDUs per rack (the sum rule adds them), one reading a minute; one PDU misses every 7th minute."""
    lines = ["timestamp,rack_id,source,power_kw,inlet_temp_c"]
    for m in range(MINUTES):
        stamp = pd.Timestamp("2026-03-01") + pd.Timedelta(minutes=m)
        for r, rack in enumerate(RACKS):
            for pdu in ("a", "b"):
                if pdu == "b" and m % 7 == 3:
                    continue
                kw = 3 + r + (m % 60) / 30 + (0.5 if pdu == "b" else 0) + math.sin(m / 90)
                lines.append(f"{stamp:%Y-%m-%d %H:%M:%S},{rack},pdu-{pdu},{kw:.4f},{22 + r}")
    path.write_text("\n".join(lines) + "\n")
    return path


def _expected(con, info: catalog.DatasetInfo, chart_s: int) -> pd.DataFrame:
    """From the raw rows by rack_power's own rule: site sums per data bucket, then mean/min/max per chart bucket."""
    b = rack_power.basis(con, info)
    sql, params = rack_power.site_buckets_sql(con, b)
    site = db.query_df(store.facility(con), f"SELECT bucket, site_kw FROM ({sql}) sb", params)
    site["chart"] = site["bucket"].dt.floor(f"{chart_s}s")
    return (
        site.groupby("chart")["site_kw"].agg(["mean", "min", "max"]).reset_index().rename(columns={"chart": "bucket"})
    )


def _check(con, tmp_path: Path) -> None:
    result = ingest.ingest(con, _telemetry(tmp_path / "pdus.csv"), name="PDUs")
    info = catalog.get_dataset(con, dataset_id=result.dataset_id, workspaces=[catalog.SHARED])
    rollup = rollups.stored(con, info)
    assert rollup is not None and rollup.levels_s == (3600, 86400) and rollup.data_bucket_s == 60
    for chart_s, level in ((3600, 3600), (7200, 3600), (86400, 86400)):
        assert rollups.level_for(rollup, chart_s) == level
        got = rollups.site_over_time(con, info, chart_s, level, 5000)
        want = _expected(con, info, chart_s)
        assert len(got) == len(want) > 0
        for column, expected in (("site_kw", "mean"), ("site_min_kw", "min"), ("site_max_kw", "max")):
            assert list(got[column]) == pytest.approx(list(want[expected]), rel=1e-9), (chart_s, column)
        assert list(pd.to_datetime(got["bucket"])) == list(want["bucket"])
        assert set(got["racks"]) == {len(RACKS)}
    # The site view reads the rollup when its chart bucket is whole hours, and says so.
    series = aggregate.telemetry_power_over_time(con, info, max_points=50)
    assert "resolution" in series and "hourly rollup" in series["resolution"].iloc[0]
    assert "1 minute site sums" in series["resolution"].iloc[0]
    from factorycore.charts import facility as charts

    figure = charts.telemetry_power(series)
    assert "Site kW, min to max in the bucket" in [t.name for t in figure.data]
    raw = aggregate.telemetry_power_over_time(con, info, max_points=50, use_rollup=False)
    assert "resolution" not in raw and len(raw) == len(series)
    # Fine charts (a chart bucket below an hour) read the raw rows.
    assert "resolution" not in aggregate.telemetry_power_over_time(con, info, max_points=5000)
    # Deleting the dataset drops its rollup.
    catalog.delete_dataset(con, info.dataset_id, [catalog.SHARED])
    assert rollups.stored(con, info) is None


def test_rollup_figures_equal_the_raw_rows_embedded(tmp_path):
    con = db.open_database(tmp_path / "r.duckdb", build=False)
    try:
        _check(con, tmp_path)
    finally:
        con.close()


def test_rollup_figures_equal_the_raw_rows_team_store(team_url, tmp_path):
    _check(db.shared_connection(), tmp_path)


def test_a_dataset_without_a_rollup_is_read_from_its_rows(tmp_path):
    con = db.open_database(tmp_path / "r.duckdb", build=False)
    try:
        result = ingest.ingest(con, _telemetry(tmp_path / "pdus.csv"), name="PDUs")
        info = catalog.get_dataset(con, dataset_id=result.dataset_id, workspaces=[catalog.SHARED])
        rollups.drop(con, info)
        assert rollups.stored(con, info) is None
        series = aggregate.telemetry_power_over_time(con, info, max_points=50)
        assert "resolution" not in series and len(series) > 0
        racks = ingest.ingest(con, Path(__file__).parents[2] / "data/samples/racks_sample.csv", name="Racks")
        inventory = catalog.get_dataset(con, dataset_id=racks.dataset_id, workspaces=[catalog.SHARED])
        assert rollups.stored(con, inventory) is None, "only power readings are rolled up"
    finally:
        con.close()
