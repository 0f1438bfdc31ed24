"""The Planner page at a site (AppTest): the site and plant widgets drive the plan; the climate views draw."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from factorycore import hardware, planner, reference

PAGE = str(Path(__file__).resolve().parents[2] / "app_pages" / "planner.py")


def _page(query: dict | None = None) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=60)
    if query:
        at.query_params.update(query)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_a_site_link_shows_the_hourly_plant_and_its_numbers(ref_con):
    at = _page({"site": "miami_fl", "arch": "chilled-water-tower"})
    assert any(h.value == "Site climate" for h in at.subheader)
    catalog = hardware.load_catalog(ref_con)
    inputs = planner.PlanInputs(site="miami_fl", architecture="chilled-water-tower")
    result = planner.plan(inputs, catalog, reference.throughput(ref_con))
    facility = planner.headline_text(result, units=False)["facility_kw"]
    assert facility in [m.value for m in at.metric]
    assert any("hourly plant model" in c.value for c in at.caption)


def test_choosing_a_site_in_the_widget_moves_the_url():
    at = _page()
    assert not any(h.value == "Site climate" for h in at.subheader)
    at.selectbox(key="pl_site").set_value("greensboro_nc").run()
    assert not at.exception
    assert at.query_params["site"] == ["greensboro_nc"] or at.query_params["site"] == "greensboro_nc"
    assert any(h.value == "Site climate" for h in at.subheader)


def test_a_saved_site_scenario_brings_the_climate_views_to_the_report(ref_con):
    from factorycore import scenarios
    from factorycore.export import report

    scenarios.save(ref_con, "Climate report plan", planner.PlanInputs(site="greensboro_nc").as_dict())
    try:
        section = report.saved_scenario(ref_con, "Climate report plan")
    finally:
        scenarios.delete(ref_con, "Climate report plan")
    titles = " ".join(str(f) for f in section["figures"])
    assert "Hourly PUE" in titles and "Chiller-free hours" in titles and "Architectures compared" in titles
    assert section["results"]["Site"].startswith("Greensboro")


def test_a_stored_meter_serves_as_the_plans_weather(ref_con, tmp_path):
    import numpy as np
    import pandas as pd

    from factorycore.userdata import catalog
    from factorycore.userdata.ingest import ingest

    ts = pd.date_range("2025-07-01", periods=24 * 10, freq="h")
    path = tmp_path / "meter.csv"
    pd.DataFrame(
        {
            "timestamp": ts.strftime("%Y-%m-%dT%H:%M:%S"),
            "it_kw": 800.0,
            "facility_kw": 1000.0,
            "outdoor_temp_c": (25 + 6 * np.sin(np.arange(ts.size) / 4)).round(2),
        }
    ).to_csv(path, index=False)
    name = f"page_meter_{tmp_path.name}"[:60]
    ingest(ref_con, path, kind="meter", name=name)
    info = catalog.get_dataset(ref_con, name=name)
    try:
        at = _page()
        at.toggle(key="pl_meter_weather").set_value(True).run()
        at.selectbox(key="pl_meter_name").set_value(name).run()
        assert not at.exception, [e.value for e in at.exception]
        assert any(h.value == "Site climate" for h in at.subheader)
        assert any(f"{name} (meter)" in c.value for c in at.caption)
    finally:
        catalog.delete_dataset(ref_con, info.dataset_id, [info.workspace])
