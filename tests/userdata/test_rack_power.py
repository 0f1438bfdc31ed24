"""A rack's power is the sum of its sources: real exports (tests/realdata) and exporter-family
variants (tests/corpus/exporters.py) through ``python -m factorycore ingest`` and ``summary``, with
the figures their READMEs and generators state."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from factorycore import db
from factorycore.userdata import aggregate, catalog, formats, ingest, rack_power, stranded, summary
from factorycore.userdata.catalog import DatasetError
from tests.corpus import exporters

REPO = Path(__file__).resolve().parents[2]
REAL = REPO / "tests" / "realdata"


def _cli(db_path: Path, *argv: str) -> dict:
    env = {**os.environ, "FACTORY_DB": str(db_path)}
    env.pop("FACTORY_DEBUG", None)
    proc = subprocess.run(
        [sys.executable, "-m", "factorycore", *argv, "--format", "json"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def _ingest_and_summarise(tmp_path: Path, path: Path, *summary_args: str) -> dict:
    db_path = tmp_path / "cli.duckdb"
    stored = _cli(db_path, "ingest", str(path), "--dataset", "d")
    assert stored["rows_accepted"] > 0 and stored["kind"] == "telemetry"
    return _cli(db_path, "summary", "d", *summary_args)


@pytest.fixture
def con(tmp_path: Path):
    c = db.open_database(tmp_path / "rack_power.duckdb", build=False)
    yield c
    c.close()


def _by(items: list[dict], key: str) -> dict[str, dict]:
    return {item[key]: item for item in items}


# The FASRC day: per node about every minute, several nodes per rack (tests/realdata/README.md).
FASRC_P95_KW = {"holy7c182": 1.35, "lichtmandce": 0.73, "holy7c126": 0.34, "holygpu7c13": 0.225}


def test_fasrc_racks_sum_their_nodes_per_minute(tmp_path):
    out = _ingest_and_summarise(tmp_path, REAL / "fasrc_ipmi_sys_power_with_rack.csv")
    racks = _by(out["racks"], "rack_id")
    assert out["level"] == "rack" and out["bucket"] == "1 minute" and out["rows"] == 9815
    assert set(racks) == set(FASRC_P95_KW)
    for rack, kw in FASRC_P95_KW.items():
        assert racks[rack]["p95_kw"] == pytest.approx(kw, rel=0.02), rack
    assert sum(r["p95_kw"] for r in racks.values()) == pytest.approx(2.645, rel=0.02)
    assert max(r["peak_kw"] for r in racks.values()) == pytest.approx(1.35, rel=0.02)
    assert racks["holy7c182"]["sources"] == 12 and racks["lichtmandce"]["sources"] == 2
    assert out["period_start"].startswith("2025-06-03T00:00") and out["period_end"].startswith("2025-06-03T23:59")
    assert any("site p95 = the 95th percentile of the per-bucket site sums" in n for n in out["notes"])
    # The site's p95 is of per-minute site sums: at most the sum of the racks' p95s.
    assert out["site_p95_kw"] <= sum(FASRC_P95_KW.values()) + 1e-9


def test_a_stated_bucket_is_used_and_said(tmp_path):
    out = _ingest_and_summarise(tmp_path, REAL / "fasrc_ipmi_sys_power_with_rack.csv", "--bucket", "15m")
    assert out["bucket"] == "15 minutes" and any("(stated)" in n for n in out["notes"])


def test_mig_node_counts_each_physical_gpu_once(tmp_path):
    out = _ingest_and_summarise(tmp_path, REAL / "dcgm_a30_mig_scrape_issue317.prom")
    assert out["level"] == "node" and out["racks"] == []
    (node,) = out["nodes"]
    assert node["p95_kw"] == pytest.approx(0.109, rel=0.03) and node["sources"] == 2
    assert any("MIG" in n for n in out["notes"])


def test_prometheus_instant_query_per_node(tmp_path):
    out = _ingest_and_summarise(tmp_path, REAL / "prom_instant_query_power_aicr.json")
    nodes = _by(out["nodes"], "node")
    assert out["level"] == "node" and set(nodes) == {"gpu-node-1", "gpu-node-2"}
    assert nodes["gpu-node-1"]["p95_kw"] == pytest.approx(0.5838, abs=0.0005)
    assert nodes["gpu-node-2"]["p95_kw"] == pytest.approx(0.5454, abs=0.0005)
    assert out["energy_kwh"] is None and any("single instant" in n for n in out["notes"])


@pytest.mark.parametrize("case", exporters.cases(), ids=lambda c: c.name)
def test_exporter_variants(tmp_path, case):
    out = _ingest_and_summarise(tmp_path, case.write(tmp_path))
    assert out["level"] == case.level
    items = _by(out["nodes"], "node") if case.level == "node" else _by(out["racks"], "rack_id")
    assert set(items) == set(case.p95_kw)
    for name, kw in case.p95_kw.items():
        assert items[name]["p95_kw"] == pytest.approx(kw, rel=1e-3), name
        assert items[name]["peak_kw"] == pytest.approx(case.peak_kw[name], rel=1e-3), name


def test_prometheus_text_is_recognised_by_its_content(tmp_path):
    for case in (exporters.other_metrics_first_txt(), exporters.lowercase_hostname_scrape()):
        assert formats.source_format(case.write(tmp_path)) == "prometheus_text"
    plain = tmp_path / "plain.txt"
    plain.write_text("rack,power_kw\nA,1\n")
    assert formats.source_format(plain) == "csv"


def test_nodes_roll_up_to_racks_through_a_host_map(con, tmp_path):
    case, devices = exporters.ipmi_nodes_without_rack()
    (tmp_path / "devices.csv").write_bytes(devices)
    host_map = catalog.get_dataset(
        con, dataset_id=ingest.ingest(con, tmp_path / "devices.csv", name="devices").dataset_id
    )
    stored = ingest.ingest(con, case.write(tmp_path), name="ipmi", kind="telemetry", **case.ingest)
    info = catalog.get_dataset(con, dataset_id=stored.dataset_id)
    assert rack_power.level_of(info) == "node"
    # Without the map: nodes, never ranked against rack densities.
    assert summary.summarise(con, info)["level"] == "node"
    with pytest.raises(DatasetError, match="per node, not per rack"):
        aggregate.rack_kw(con, info)
    out = summary.summarise(con, info, host_map=host_map)
    racks = _by(out["racks"], "rack_id")
    assert out["level"] == "rack" and set(racks) == {"R7", "R8"}
    for rack, kw in case.p95_kw.items():
        assert racks[rack]["p95_kw"] == pytest.approx(kw, rel=1e-3)
    assert racks["R7"]["sources"] == 3


def test_feed_capacity_counts_a_redundant_feed_once(con):
    feeds = catalog.get_dataset(
        con, dataset_id=ingest.ingest(con, REAL / "netbox_power_feeds.csv", name="feeds").dataset_id
    )
    out = summary.summarise(con, feeds)
    assert len(out["racks"]) == 24 and out["feed_capacity_kw_total"] == pytest.approx(24 * 3.52)
    assert all(r["feed_capacity_kw"] == pytest.approx(3.52) for r in out["racks"])


def test_stranded_takes_feed_capacity_where_no_design_kw(con, tmp_path):
    (tmp_path / "inv.csv").write_text("rack_id,design_kw\nR102,5\n")  # R101 only in the feeds
    (tmp_path / "tel.csv").write_text(
        "timestamp,rack_id,pdu,power_kw\n"
        "2026-03-01 00:00:00,R101,A,1.0\n2026-03-01 00:00:00,R101,B,0.5\n"
        "2026-03-01 00:01:00,R101,A,1.0\n2026-03-01 00:01:00,R101,B,0.5\n"
        "2026-03-01 00:00:00,R102,A,2.0\n2026-03-01 00:01:00,R102,A,2.0\n"
    )
    get = lambda r: catalog.get_dataset(con, dataset_id=r.dataset_id)  # noqa: E731
    inv = get(ingest.ingest(con, tmp_path / "inv.csv", name="inv"))
    tel = get(ingest.ingest(con, tmp_path / "tel.csv", name="tel"))
    feeds = get(ingest.ingest(con, REAL / "netbox_power_feeds.csv", name="feeds"))
    result = stranded.stranded(con, inv, tel, feeds=feeds)
    racks = result.racks.set_index("rack_id")
    # R101: no design kW, so its primary feed's 3.52 kW (the redundant one not added); 1.5 kW drawn (A + B).
    assert racks.loc["R101", "allocation_basis"] == "feed capacity"
    assert racks.loc["R101", "allocated_kw"] == pytest.approx(3.52)
    assert racks.loc["R101", "measured_p95_kw"] == pytest.approx(1.5)
    assert racks.loc["R102", "allocation_basis"] == "design" and racks.loc["R102", "allocated_kw"] == 5
    assert result.totals["stranded_kw"] == pytest.approx((3.52 - 1.5) + (5 - 2.0))
    assert result.totals["racks_allocated_by_feed_capacity"] == 23 and result.totals["racks_measured"] == 2


def test_stranded_measures_the_fasrc_racks_by_their_summed_nodes(tmp_path):
    db_path = tmp_path / "cli.duckdb"
    inv = tmp_path / "inv.csv"
    inv.write_text("rack_id,design_kw\n" + "".join(f"{rack},2\n" for rack in FASRC_P95_KW))
    _cli(db_path, "ingest", str(inv), "--dataset", "inv")
    _cli(db_path, "ingest", str(REAL / "fasrc_ipmi_sys_power_with_rack.csv"), "--dataset", "ipmi")
    out = _cli(db_path, "stranded", "inv", "--telemetry", "ipmi")
    assert out["measured_p95_kw"] == pytest.approx(2.645, rel=0.02)  # was 0.90: readings averaged per rack
    assert out["measured_peak_kw"] == pytest.approx(1.35 + 0.82 + 0.34 + 0.235, rel=0.02)
    assert "sum over its sources" in out["measured_by"]


def test_planner_site_load_is_the_p95_of_summed_buckets(con):
    from factorycore import site_plan

    info = catalog.get_dataset(
        con, dataset_id=ingest.ingest(con, REAL / "fasrc_ipmi_sys_power_with_rack.csv", name="ipmi").dataset_id
    )
    load = next(m for m in site_plan.site_inputs(con, telemetry=info).measured if m.field == "target_it_mw")
    site = summary.summarise(con, info)
    assert load.value * 1000 == pytest.approx(site["site_p95_kw"]) and site["site_p95_kw"] > 2.0
    assert "1 minute buckets" in load.method


def test_stranded_of_netbox_feeds_measured_by_pdus(tmp_path):
    """A feeds export stands as the inventory: each rack allocated its primary feed (A+B once)."""
    db_path = tmp_path / "cli.duckdb"
    tel = tmp_path / "pdus.csv"
    tel.write_text(
        "timestamp,rack_id,pdu,power_kw\n2026-03-01 00:00:00,R101,A,1.0\n2026-03-01 00:00:00,R101,B,0.6\n"
        "2026-03-01 00:01:00,R101,A,1.2\n2026-03-01 00:01:00,R101,B,0.6\n"
    )
    _cli(db_path, "ingest", str(REAL / "netbox_power_feeds.csv"), "--dataset", "feeds")
    _cli(db_path, "ingest", str(tel), "--dataset", "pdus")
    out = _cli(db_path, "stranded", "feeds", "--telemetry", "pdus")
    assert out["feeds"] == "feeds" and out["racks"] == 24 and out["racks_allocated_by_feed_capacity"] == 24
    assert out["allocated_kw"] == pytest.approx(3.52)  # the one measured rack's primary feed, not A+B (7.04)
    assert out["measured_p95_kw"] == pytest.approx(1.6 + 0.95 * 0.2)  # per-minute sums 1.6 and 1.8
    assert out["allocated_unmeasured_kw"] == pytest.approx(23 * 3.52)


def test_single_instant_draws_bars_and_nodes_get_no_percentile(con):
    from factorycore.views.base import NothingToDraw
    from factorycore.views.site import site_view

    info = catalog.get_dataset(
        con, dataset_id=ingest.ingest(con, REAL / "prom_instant_query_power_aicr.json", name="aicr").dataset_id
    )
    view = site_view(con, "site_power_over_time", info)
    assert view.title == "Power per node (one instant)"
    assert {trace.type for trace in view.fig.data} == {"bar"}
    assert sorted(view.rows["kw"].round(4)) == [0.5454, 0.5838]
    with pytest.raises(NothingToDraw, match="per node, not per rack"):
        site_view(con, "site_density", info)
    metrics = {m.label: m.value for m in site_view(con, "site_summary", info).metrics}
    assert metrics["Level"] == "node" and metrics["Sources per node"] == "8" and metrics["Site p95 kW"] == "1.13"


def test_stranded_view_says_node_telemetry_measures_no_rack(con, tmp_path):
    from factorycore.views.base import NothingToDraw
    from factorycore.views.site import site_view

    (tmp_path / "inv.csv").write_text("rack_id,design_kw\nR1,10\n")
    inv = catalog.get_dataset(con, dataset_id=ingest.ingest(con, tmp_path / "inv.csv", name="inv").dataset_id)
    gpus = catalog.get_dataset(
        con, dataset_id=ingest.ingest(con, REAL / "prom_instant_query_power_aicr.json", name="gpus").dataset_id
    )
    with pytest.raises(NothingToDraw, match="per node, not per rack"):
        site_view(con, "site_stranded", inv, telemetry_id=gpus.dataset_id, telemetry_workspace=gpus.workspace)


def test_ipmi_per_node_without_a_rack_column_is_a_node_dataset_until_mapped(tmp_path):
    """No rack column: the host stands in rack_id (read from a host-like header, so a node dataset)."""
    case, devices = exporters.ipmi_nodes_without_rack()
    (tmp_path / "devices.csv").write_bytes(devices)
    db_path = tmp_path / "cli.duckdb"
    stored = _cli(db_path, "ingest", str(case.write(tmp_path)), "--dataset", "ipmi")
    assert stored["rows_accepted"] == 120 and stored["kind"] == "telemetry"
    _cli(db_path, "ingest", str(tmp_path / "devices.csv"), "--dataset", "devices")
    nodes = _cli(db_path, "summary", "ipmi")
    assert nodes["level"] == "node" and len(nodes["nodes"]) == 4 and nodes["racks"] == []
    racks = _by(_cli(db_path, "summary", "ipmi", "--host-racks", "devices")["racks"], "rack_id")
    for rack, kw in case.p95_kw.items():
        assert racks[rack]["p95_kw"] == pytest.approx(kw, rel=1e-3)
