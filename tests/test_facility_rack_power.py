"""My facility with power per node: the figures per node, no density percentile, and a host-to-rack map
chosen on the page rolling the nodes up to racks (Streamlit's AppTest)."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from tests.corpus import exporters

REPO = Path(__file__).resolve().parent.parent
PAGE = str(REPO / "app_pages" / "my_facility.py")


def _run(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _upload(at: AppTest, name: str, content: bytes) -> AppTest:
    at.file_uploader(key="facility-upload").set_value((name, content, "application/octet-stream"))
    return _run(at)


def _metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_node_power_is_shown_per_node_until_a_host_map_rolls_it_up():
    case = exporters.lowercase_hostname_scrape()
    devices = b"Name,Rack,Allocated draw (W)\ndgx-a.example.org,R1,9000\nDGX-B,R1,9000\n"
    at = _run(AppTest.from_file(PAGE, default_timeout=90))
    _upload(at, "devices.csv", devices)
    _upload(at, case.name, case.body)
    at.button(key=next(b.key for b in at.button if b.label == "Store the GPU telemetry")).click()
    _run(at)
    metrics = _metrics(at)
    assert metrics["Level"] == "node" and metrics["Sources per node"] == "4"
    assert metrics["Site p95 kW"] == f"{sum(case.p95_kw.values()):,.2f}"
    assert not any(m.label.startswith("Percentile among") for m in at.metric)  # nodes are never ranked
    assert any("per node, not per rack" in str(i.value) for i in at.info)
    (pick,) = [s for s in at.selectbox if s.label == "Nodes to racks"]
    pick.select_index(1)  # the devices dataset
    _run(at)
    metrics = _metrics(at)
    assert metrics["Level"] == "rack" and metrics["Sources per rack"] == "8"  # two nodes of four GPUs in R1
    assert metrics["Site p95 kW"] == f"{sum(case.p95_kw.values()):,.2f}"
    assert any(m.label.startswith("Percentile among") for m in at.metric)


def test_a_scrape_into_an_empty_store_offers_no_map_and_stores_per_node(tmp_path, monkeypatch):
    monkeypatch.setenv("FACTORY_DB", str(tmp_path / "empty.duckdb"))  # no dataset anywhere: no map to list
    case = exporters.lowercase_hostname_scrape()
    at = _upload(_run(AppTest.from_file(PAGE, default_timeout=90)), case.name, case.body)
    hosts = next(s for s in at.selectbox if s.label == "Hosts to racks")
    assert len(hosts.options) == 1 and "power per node" in hosts.options[0]
    at.button(key=next(b.key for b in at.button if b.label == "Store the GPU telemetry")).click()
    metrics = _metrics(_run(at))
    assert metrics["Level"] == "node" and metrics["Site kW at this instant"] == f"{sum(case.p95_kw.values()):,.2f}"
    assert not [s for s in at.selectbox if s.label == "Nodes to racks"]  # nothing to choose from


def test_stranded_on_the_page_allocates_racks_by_their_feeds(tmp_path, monkeypatch):
    monkeypatch.setenv("FACTORY_DB", str(tmp_path / "feeds.duckdb"))
    feeds = (REPO / "tests" / "realdata" / "netbox_power_feeds.csv").read_bytes()
    pdus = (
        b"timestamp,rack_id,pdu,power_kw\n2026-03-01 00:00:00,R101,A,1.0\n2026-03-01 00:00:00,R101,B,0.5\n"
        b"2026-03-01 00:01:00,R101,A,1.0\n2026-03-01 00:01:00,R101,B,0.5\n"
        b"2026-03-01 00:00:00,R102,A,2.0\n2026-03-01 00:01:00,R102,A,2.0\n"
    )
    at = _run(AppTest.from_file(PAGE, default_timeout=90))
    _upload(at, "feeds.csv", feeds)
    _upload(at, "pdus.csv", pdus)
    _upload(at, "inventory.csv", b"rack_id,design_kw\nR102,5\n")
    telemetry = next(s for s in at.selectbox if s.label == "Measured by")
    telemetry.select_index(1)
    _run(at)
    assert _metrics(at)["Stranded kW"] == "3"  # R102 only: 5 - 2; R101 has no design kW
    feeds_box = next(s for s in at.selectbox if s.label == "Racks without a design kW")
    feeds_box.select_index(1)
    metrics = _metrics(_run(at))
    assert metrics["Stranded kW"] == "5"  # (3.52 - 1.5) + (5 - 2): R101 allocated its primary feed, not A+B
    assert metrics["Measured p95 kW"] == "4"  # 1.5 (its two PDUs summed) + 2.0
