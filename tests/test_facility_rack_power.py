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
