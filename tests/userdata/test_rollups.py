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


def _coming_and_going(path: Path) -> Path:
    """Rack A01 every minute; B01 only in hours 0, 4, 8, ...; C01 only in hours 1, 5, 9, ...: a 2-hour bucket
    holds three racks though no one hour has more than two (the racks must be counted, not taken per hour)."""
    lines = ["timestamp,rack_id,power_kw,inlet_temp_c"]
    for m in range(2 * 24 * 60):
        stamp = pd.Timestamp("2026-03-01") + pd.Timedelta(minutes=m)
        hour = m // 60
        for rack, present, kw in (("A01", True, 4 + m % 13), ("B01", hour % 4 == 0, 9.5), ("C01", hour % 4 == 1, 7.25)):
            if present:
                lines.append(f"{stamp:%Y-%m-%d %H:%M:%S},{rack},{kw},{22 + hour % 5}")
    path.write_text("\n".join(lines) + "\n")
    return path


def _check_racks_counted(con, tmp_path: Path) -> None:
    result = ingest.ingest(con, _coming_and_going(tmp_path / "coming.csv"), name="Coming and going")
    info = catalog.get_dataset(con, dataset_id=result.dataset_id, workspaces=[catalog.SHARED])
    rollup = rollups.stored(con, info)
    assert rollup is not None and rollup.site_rows
    for chart_s, level in ((3600, 3600), (7200, 3600), (4 * 3600, 3600), (86400, 86400)):
        got = rollups.site_over_time(con, info, chart_s, level, 5000)  # site rows, racks counted where they vary
        every_row = rollups._site_over_time_all_rows(con, info, chart_s, level, 5000)  # the one-scan reading
        raw = aggregate.telemetry_power_over_time(con, info, bucket_s=chart_s)  # the raw rows at that bucket
        assert len(got) == len(every_row) == len(raw) > 0
        for column in ("racks", "max_rack_kw", "max_inlet_c", "sources"):
            assert [float(v) for v in got[column]] == [float(v) for v in every_row[column]], (chart_s, column)
        for column in ("racks", "max_inlet_c"):  # (the raw view's max_rack_kw is a bucket mean, not a maximum)
            assert [float(v) for v in got[column]] == [float(v) for v in raw[column]], (chart_s, column)
        assert list(got["site_kw"]) == pytest.approx(list(every_row["site_kw"]), rel=1e-12)
    two_hours = rollups.site_over_time(con, info, 7200, 3600, 5000)
    assert list(two_hours["racks"][:3]) == [3, 1, 3]  # hours 0-1: A, B (hour 0), C (hour 1); 2-3: A; 4-5 as 0-1
    # A rollup written before its site rows carried the racks' figures is still read, from every row.
    cur = store.facility(con).cursor()
    try:
        for column in ("rack_kw_max", "racks", "racks_total"):
            cur.execute(f"ALTER TABLE {rollups.table_of(info)} DROP COLUMN {column}")
    finally:
        cur.close()
    old = rollups.stored(con, info)
    assert old is not None and not old.site_rows
    series = aggregate.telemetry_power_over_time(con, info, max_points=30)
    assert "resolution" in series and len(series) > 0


def test_racks_that_come_and_go_are_counted_embedded(tmp_path):
    con = db.open_database(tmp_path / "r.duckdb", build=False)
    try:
        _check_racks_counted(con, tmp_path)
    finally:
        con.close()


def test_racks_that_come_and_go_are_counted_team_store(team_url, tmp_path):
    _check_racks_counted(db.shared_connection(), tmp_path)


def _check_same_rollup_without_kept_sums(con, tmp_path: Path) -> None:
    result = ingest.ingest(con, _telemetry(tmp_path / "pdus.csv"), name="PDUs")
    info = catalog.get_dataset(con, dataset_id=result.dataset_id, workspaces=[catalog.SHARED])
    assert rack_power.kept_sums(con, info) is not None
    cur = store.facility(con).cursor()
    try:
        read = f"SELECT * FROM {rollups.table_of(info)} ORDER BY level_s, unit, rack_id, bucket"
        from_sums = cur.execute(read).fetchall()
        cur.execute(f"DROP TABLE {rack_power.sums_table_of(info)}")  # a dataset stored before sums were kept
        rollups.build(con, info)  # from the readings, through the materialised per-bucket sums
        from_rows = cur.execute(read).fetchall()
    finally:
        cur.close()
    assert len(from_rows) == len(from_sums) > 0
    for a, b in zip(from_rows, from_sums):
        assert [pytest.approx(v, rel=1e-12) if isinstance(v, float) else v for v in a] == list(b)


def test_the_rollup_from_the_readings_equals_the_one_from_kept_sums_embedded(tmp_path):
    con = db.open_database(tmp_path / "r.duckdb", build=False)
    try:
        _check_same_rollup_without_kept_sums(con, tmp_path)
    finally:
        con.close()


def test_the_rollup_from_the_readings_equals_the_one_from_kept_sums_team_store(team_url, tmp_path):
    _check_same_rollup_without_kept_sums(db.shared_connection(), tmp_path)
