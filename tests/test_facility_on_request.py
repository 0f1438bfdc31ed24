"""My facility draws a power-readings dataset's per-rack views at once where reading them is quick, and asks
first where it is not (the site's power over time, from the hourly rollup, is always drawn)."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from factorycore import db
from factorycore.userdata import catalog, ingest
from factorycore.views import site

PAGE = str(Path(__file__).resolve().parent.parent / "app_pages" / "my_facility.py")
SAMPLE = Path(__file__).resolve().parent.parent / "data" / "samples" / "telemetry_sample.csv"


def _run(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_on_request_follows_the_time_the_store_would_take(monkeypatch):
    con = db.shared_connection()
    info = catalog.get_dataset(con, dataset_id=ingest.ingest(con, SAMPLE, name="asked telemetry").dataset_id)
    assert site.on_request(con, info, "site_summary") is None  # a sample: read at once
    monkeypatch.setattr(site, "ASK_ABOVE_S", info.rows_accepted / site.READINGS_PER_S["duckdb"] / 2)
    message = site.on_request(con, info, "site_summary")
    assert message is not None and f"{info.rows_accepted:,} readings" in message
    assert site.on_request(con, info, "site_power_over_time") is None  # the rollup: always at once


def test_the_page_asks_before_reading_every_per_rack_sum(monkeypatch):
    con = db.shared_connection()
    dataset_id = ingest.ingest(con, SAMPLE, name="big telemetry").dataset_id
    monkeypatch.setattr(site, "ASK_ABOVE_S", 0.0)
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.session_state["facility-selected"] = dataset_id
    _run(at)
    waiting = [i.value for i in at.info if "compute them when you need them" in i.value]
    assert len(waiting) == 3  # summary, density, hottest racks
    assert len(at.get("plotly_chart")) == 1  # the power over time, from the rollup
    before = {m.label for m in at.metric}
    at.button(key=f"ask-{dataset_id}-site_summary").click()
    _run(at)
    assert len([i for i in at.info if "compute them when you need them" in i.value]) == 2
    assert {m.label for m in at.metric} - before  # the summary's figures, now computed
