"""My facility, while an upload waits for its answers: it shows only that upload, and why it asks.

Through Streamlit's AppTest with real exports (tests/realdata and their locale variants): a UK
Excel file whose dates no value decides must not sit under an earlier upload's "Stored ... rows"
banner, and NetBox's racks list, whose ``Power`` column is a utilisation percentage, must say so
in the mapping step (the command line's refusal says it; the page said only "not all recognised").
"""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from tests.corpus import locale_variants

REPO = Path(__file__).resolve().parent.parent
PAGE = str(REPO / "app_pages" / "my_facility.py")
REAL = REPO / "tests" / "realdata"


def _upload(at: AppTest, name: str, content: bytes) -> AppTest:
    at.file_uploader(key="facility-upload").set_value((name, content, "text/csv"))
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _app() -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=90)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_an_upload_waiting_for_its_date_order_shows_no_earlier_uploads_outcome():
    at = _upload(_app(), "netbox_power_feeds.csv", (REAL / "netbox_power_feeds.csv").read_bytes())
    assert at.success and "Stored 48 rows" in at.success[0].value
    at = _upload(at, "fasrc_uk.csv", locale_variants.cases()["fasrc_uk.csv"])
    assert at.warning and "one more answer" in at.warning[0].value
    assert any("03/06/2025" in t.value for t in at.text)
    assert not at.success, "the feeds' 'Stored 48 rows' would read as the waiting file's outcome"
    assert "Rows accepted" not in {m.label for m in at.metric}


def test_the_mapping_step_says_why_a_percentage_power_column_is_not_read():
    at = _upload(_app(), "netbox_racks.csv", (REAL / "netbox_racks.csv").read_bytes())
    assert at.warning and "not all recognised" in at.warning[0].value
    notes = [t.value for t in at.text if "percentages" in t.value]
    assert notes and "'Power'" in notes[0] and "not a power" in notes[0]


def test_the_fasrc_ipmi_log_is_stored_as_telemetry_without_a_mapping_step():
    """Timestamp, Rack, Host, Sys Power: devices would read only Host and Rack, which telemetry reads too."""
    at = _upload(
        _app(), "fasrc_ipmi_sys_power_with_rack.csv", (REAL / "fasrc_ipmi_sys_power_with_rack.csv").read_bytes()
    )
    assert not at.warning, [w.value for w in at.warning]
    assert at.success and "Stored 9,815 rows as a power telemetry dataset" in at.success[0].value
    metrics = {m.label: m.value for m in at.metric}
    assert (metrics["Site p95 kW"], metrics["Site peak kW"], metrics["Level"]) == ("2.20", "2.30", "rack")
    assert metrics["Sources per rack"] == "9"


def test_dcgm_refused_for_a_map_without_its_hosts_can_be_stored_without_a_map():
    """The refusal names the fix (another map, or none); the page keeps the file so the fix is one click."""
    at = _upload(_app(), "netbox_devices.csv", (REAL / "netbox_devices.csv").read_bytes())
    at = _upload(at, "aicr.json", (REAL / "prom_instant_query_power_aicr.json").read_bytes())
    hosts = [s for s in at.selectbox if s.label == "Hosts to racks"][0]
    hosts.select_index(next(i for i, o in enumerate(hosts.options) if "netbox_devices" in o))
    at.run()
    [b for b in at.button if b.label == "Store the GPU telemetry"][0].click()
    at.run()
    assert at.error and any("none of the file's 2 host(s)" in t.value for t in at.text)
    hosts = [s for s in at.selectbox if s.label == "Hosts to racks"]
    assert hosts, "the file was dropped with the refusal: nothing left to store without the map"
    hosts[0].select_index(0)  # no map: power per node
    at.run()
    [b for b in at.button if b.label == "Store the GPU telemetry"][0].click()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.success and "Stored 16 rows" in at.success[0].value
