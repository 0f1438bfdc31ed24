"""A live Prometheus source registered as a dataset: its rows are the server's per-bucket sums, and every
consumer (summary, stranded, Start from my site, the site views) gives the same figures as the same samples
copied out and stored as a file. Runs against a real Prometheus on 127.0.0.1."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from devkit.server import free_port
from factorycore import db, site_plan
from factorycore.export import report
from factorycore.userdata import aggregate, catalog, ingest, live_source, prometheus, rollups, stranded, summary
from tests.conftest import PROM_RACKS, PROM_SAMPLES

LOCAL = ["127.0.0.1"]


def _utc(seconds: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(seconds, dt.UTC)


@pytest.fixture
def con(tmp_path: Path):
    c = db.open_database(tmp_path / "live.duckdb", build=False)
    yield c
    c.close()


def _fixed(prom: dict, **kw: object) -> live_source.Source:
    return live_source.Source(prom["url"], start=_utc(prom["start_s"]), end=_utc(prom["end_s"]), **kw)


def _copied(con, prom: dict) -> catalog.DatasetInfo:
    result = prometheus.pull_dataset(con, prom["url"], _utc(prom["start_s"]), _utc(prom["end_s"]), name="copied")
    return catalog.get_dataset(con, dataset_id=result.dataset_id)


def _racks(con, tmp_path: Path) -> catalog.DatasetInfo:
    path = tmp_path / "racks.csv"
    path.write_text("rack_id,design_kw\nB01,5\nB02,5\n")
    return catalog.get_dataset(con, dataset_id=ingest.ingest(con, path, name="racks").dataset_id)


def _figures(result: dict) -> dict[str, float]:
    flat = {f"{r['rack_id']} {k}": r[k] for r in result["racks"] for k in ("p95_kw", "peak_kw")}
    return {**flat, "site p95": result["site_p95_kw"], "site peak": result["site_peak_kw"]}


def _check_same_figures(con, tmp_path: Path, live: catalog.DatasetInfo, copied: catalog.DatasetInfo) -> None:
    """summary, stranded, Start from my site and the site chart agree between the live sums and the file."""
    assert _figures(summary.summarise(con, live)) == pytest.approx(_figures(summary.summarise(con, copied)), rel=1e-9)
    inventory = _racks(con, tmp_path)
    by_live = stranded.stranded(con, inventory, live).racks.set_index("rack_id")
    by_file = stranded.stranded(con, inventory, copied).racks.set_index("rack_id")
    for column in ("measured_p95_kw", "measured_peak_kw", "stranded_kw"):
        assert by_live[column].to_dict() == pytest.approx(by_file[column].to_dict(), rel=1e-9)
    plan_live = {m.field: m.value for m in site_plan.site_inputs(con, telemetry=live).measured}
    plan_file = {m.field: m.value for m in site_plan.site_inputs(con, telemetry=copied).measured}
    assert plan_live == pytest.approx(plan_file, rel=1e-9) and plan_live
    chart = aggregate.telemetry_power_over_time(con, live, max_points=50)
    assert len(chart) > 0


def test_a_live_source_reads_as_the_same_samples_stored_from_a_file(con, prometheus_url, tmp_path):
    stored = live_source.register(con, _fixed(prometheus_url), name="live racks")
    live = catalog.get_dataset(con, dataset_id=stored.dataset_id)
    assert live_source.is_live(live) and live.kind == "telemetry"
    # Only the server's sums were stored: one row per rack and 15 s bucket, never a GPU series (32 GPUs).
    assert stored.level == "rack" and stored.bucket_s == 15
    assert live.rows_accepted == stored.rows == len(set(PROM_RACKS.values())) * PROM_SAMPLES
    assert "summed by the Prometheus server" in live.details["notes"][0]
    assert live.details["live"]["queries"][-1] == "sum by (rack) (avg_over_time(DCGM_FI_DEV_POWER_USAGE[15s]))"
    assert rollups.stored(con, live) is not None
    _check_same_figures(con, tmp_path, live, _copied(con, prometheus_url))
    assert "Live from Prometheus at http://127.0.0.1:" in live_source.status(live)


def test_hosts_placed_by_a_map_and_nodes_without_one(con, prometheus_url, tmp_path):
    no_rack = 'label_replace(DCGM_FI_DEV_POWER_USAGE, "rack", "", "", "")'
    devices = tmp_path / "devices.csv"
    devices.write_text(
        "Name,Rack,Site\n" + "".join(f"{h},{r},Lab\n" for h, r in list(PROM_RACKS.items())[:3])
    )  # gpu-node-04 left out of the map
    ingest.ingest(con, devices, name="devices", kind="devices")
    stored = live_source.register(con, _fixed(prometheus_url, metric=no_rack, host_racks="devices"), name="mapped")
    mapped = catalog.get_dataset(con, dataset_id=stored.dataset_id)
    assert stored.level == "rack" and any("gpu-node-04" in n for n in stored.notes)
    copied = _copied(con, prometheus_url)
    # B01 (hosts 1 and 2, both mapped) is the file's B01; B02 holds only host 3 here.
    live_b01 = {r["rack_id"]: r for r in summary.summarise(con, mapped)["racks"]}["B01"]
    file_b01 = {r["rack_id"]: r for r in summary.summarise(con, copied)["racks"]}["B01"]
    assert (live_b01["p95_kw"], live_b01["peak_kw"]) == pytest.approx((file_b01["p95_kw"], file_b01["peak_kw"]))
    assert summary.summarise(con, mapped)["sources_per_rack"] == 1.5  # hosts are the sources: B01 2, B02 1
    nodes = live_source.register(con, _fixed(prometheus_url, metric=no_rack), name="nodes")
    info = catalog.get_dataset(con, dataset_id=nodes.dataset_id)
    assert nodes.level == "node" and summary.summarise(con, info)["level"] == "node"
    with pytest.raises(catalog.DatasetError, match="none of the 4 host"):
        empty = tmp_path / "other.csv"
        empty.write_text("Name,Rack\nelsewhere-1,Z9\n")
        ingest.ingest(con, empty, name="other map", kind="devices")
        live_source.register(con, _fixed(prometheus_url, metric=no_rack, host_racks="other map"), name="x")
    assert "x" not in set(catalog.list_datasets(con)["name"])


def test_refresh_replaces_the_rows_whole_and_moves_the_window(con, prometheus_url):
    end_s = prometheus_url["end_s"]
    source = live_source.Source(prometheus_url["url"], hours=1.0)
    first = live_source.fetch(source, now=_utc(end_s))
    stored = live_source.store_new(con, first, name="moving", owner="ana@example.com")
    before = catalog.get_dataset(con, dataset_id=stored.dataset_id)
    assert before.rows_accepted == 2 * 241  # one hour of 15 s buckets, both ends included, per rack
    # Half an hour earlier the window holds the same number of buckets, shifted; then a window past the data.
    later = live_source.fetch(source, now=_utc(end_s - 1800 - 7))
    refreshed = live_source.store_refresh(con, before, later, user="ana@example.com")
    after = catalog.get_dataset(con, dataset_id=stored.dataset_id)
    assert refreshed.dataset_id == before.dataset_id and after.created != before.created
    assert after.details["live"]["last"] < before.details["live"]["last"]
    first_ts = con.execute(f"SELECT min(ts) FROM {after.table}").fetchone()[0]
    assert first_ts.replace(tzinfo=dt.UTC) == dt.datetime.fromisoformat(after.details["live"]["first"])
    roll = rollups.stored(con, after)
    assert roll is not None  # rebuilt from the new rows
    with pytest.raises(catalog.DatasetError, match="belongs to ana@example.com"):
        live_source.store_refresh(con, after, later, user="bob@example.com")
    with pytest.raises(catalog.DatasetError, match="not a live source"):
        live_source.refresh(con, _copied(con, prometheus_url))


def test_failures_store_nothing(con, prometheus_url):
    with pytest.raises(prometheus.PrometheusError, match="no Prometheus answered"):
        live_source.register(con, live_source.Source(f"http://127.0.0.1:{free_port()}"), name="gone")
    with pytest.raises(prometheus.PrometheusError, match="not among the Prometheus servers"):
        live_source.register(con, live_source.Source("http://10.0.0.1:9090"), name="far", allowed_hosts=LOCAL)
    with pytest.raises(prometheus.PrometheusError, match="scrape interval is 17 s"):
        live_source.register(con, _fixed(prometheus_url, step_s=17), name="odd")
    with pytest.raises(prometheus.PrometheusError, match="has no DCGM_FI_DEV_POWER_USAGE series"):
        live_source.register(con, live_source.Source(prometheus_url["url"], start=_utc(0), end=_utc(3600)), name="old")
    assert catalog.list_datasets(con).empty


def test_team_store(team_url, prometheus_url, tmp_path):
    con = db.shared_connection()
    stored = live_source.register(con, _fixed(prometheus_url), name="live on the team store")
    live = catalog.get_dataset(con, dataset_id=stored.dataset_id)
    _check_same_figures(con, tmp_path, live, _copied(con, prometheus_url))
    refreshed = live_source.refresh(con, live)
    assert refreshed.rows == stored.rows
    assert catalog.get_dataset(con, dataset_id=stored.dataset_id).created != live.created


def test_cli_live_add_and_refresh(tmp_path, monkeypatch, prometheus_url, capsys):
    import json

    from factorycore.cli import main as cli_main

    monkeypatch.setenv("FACTORY_DB", str(tmp_path / "cli.duckdb"))
    start, end = _utc(prometheus_url["start_s"]).isoformat(), _utc(prometheus_url["end_s"]).isoformat()
    add = ["live-add", prometheus_url["url"], "--name", "gpu power", "--start", start, "--end", end]
    assert cli_main([*add, "--format", "json"]) == 0
    added = json.loads(capsys.readouterr().out)
    assert added["level"] == "rack" and added["rows"] == 2 * PROM_SAMPLES and added["bucket_s"] == 15
    assert cli_main(["summary", "gpu power", "--format", "json"]) == 0
    summed = json.loads(capsys.readouterr().out)
    assert [r["rack_id"] for r in summed["racks"]] == sorted(set(PROM_RACKS.values()))
    assert cli_main(["live-refresh", "gpu power", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["rows"] == added["rows"]
    assert cli_main([*add, "--format", "json"]) == 2  # the name is taken
    assert "already" in capsys.readouterr().err
    assert cli_main(["live-add", prometheus_url["url"], "--name", "half", "--start", start]) == 2
    assert "needs both --start and --end" in capsys.readouterr().err
    assert cli_main(["live-refresh", "nope"]) == 2


def test_the_report_says_where_a_live_source_was_summed(ref_con, prometheus_url):
    stored = live_source.register(ref_con, _fixed(prometheus_url), name="live for the report")
    section = report.dataset_section(ref_con, stored.dataset_id)
    assert any(p.startswith("Live from Prometheus at http://127.0.0.1:") for p in section.paragraphs)
    assert section.figures and section.tables  # the views and their headline numbers, from the server's sums
