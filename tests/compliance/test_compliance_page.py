"""The Compliance page (Streamlit AppTest) and the report section, on a meter year stored in the shared workspace."""

from __future__ import annotations

import csv
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from factorycore.export import report
from factorycore.userdata import catalog, ingest

PAGE = str(Path(__file__).resolve().parents[2] / "app_pages" / "compliance.py")
NAME = "compliance-page-2025"


@pytest.fixture(scope="module")
def meter_year(ref_con, tmp_path_factory):
    """2025 hourly, IT 100 kW and facility 140 kW (PUE 1.4), water 0.02 m³ an hour, in the shared workspace."""
    path = tmp_path_factory.mktemp("meter") / "meter_2025.csv"
    with path.open("w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["timestamp", "site", "it_kw", "facility_kw", "water_m3"])
        t = datetime(2025, 1, 1)
        while t.year == 2025:
            writer.writerow([t.strftime("%Y-%m-%d %H:%M"), "DC-Page", 100, 140, 0.02])
            t += timedelta(hours=1)
    result = ingest.ingest(ref_con, path, kind="meter", name=NAME)
    yield NAME
    catalog.delete_dataset(ref_con, result.dataset_id, [result.workspace])


def _run(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_the_page_shows_the_year_verdicts_and_the_field_sheet(meter_year):
    at = _run(AppTest.from_file(PAGE, default_timeout=60))
    at.multiselect(key="comp-datasets").set_value([meter_year])
    at.number_input(key="comp-year").set_value(2025)
    at.radio(key="comp-regime").set_value("de-enefg")
    at.text_input(key="comp-f-floor_area_total_m2").set_value("=1+1")
    _run(at)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["PUE"] == "1.400" and metrics["Year covered (%)"] == "100.000"
    assert metrics["WUE (L/kWh)"] == f"{0.02 * 8760 * 1000 / (100 * 8760):,.3f}"
    frames = [d.value for d in at.dataframe]
    targets = next(f for f in frames if "verdict" in f.columns)
    by_target = dict(zip(targets["from"], targets["verdict"]))
    assert by_target["2027-07-01"] == "passes" and by_target["2030-07-01"] == "fails"
    fields = next(f for f in frames if "how" in f.columns)
    floor = fields[fields["field"] == "floor_area_total_m2"].iloc[0]
    assert floor["how"] == "typed" and floor["value"] == "'=1+1"  # shown as text, never a formula
    assert "setpoint_supply_c" in fields[fields["how"] == "missing"]["field"].tolist()
    assert [b.label for b in at.get("download_button")] == ["Field sheet (CSV)", "Field sheet (XLSX)"]


def test_a_year_without_data_is_a_warning_not_a_table(meter_year):
    at = _run(AppTest.from_file(PAGE, default_timeout=60))
    at.multiselect(key="comp-datasets").set_value([meter_year])
    at.number_input(key="comp-year").set_value(2019)
    _run(at)
    assert any("no facility energy in 2019" in w.value for w in at.warning)
    assert not at.metric


def test_the_report_section_renders(ref_con, meter_year):
    sections = report.build_report(
        ref_con,
        charts=[],
        include_sources=False,
        compliance={"datasets": [meter_year], "year": 2025, "regime": "de-enefg"},
    )
    assert [s.key for s in sections] == ["compliance"]
    section = sections[0]
    assert section.title == "Reporting 2025: efficiency indicators"
    assert [t.caption for t in section.tables] == ["Indicators over the year", "EnEfG targets", "Field sheet"]
    document = report.report_html(sections)
    assert "Reporting 2025: efficiency indicators" in document and "1.400" in document
    assert "≤ 1.5 from 2027-07-01; ≤ 1.3 from 2030-07-01" in document


def test_the_section_becomes_deck_slides(ref_con, meter_year):
    from factorycore.export import deck

    sections = report.build_report(
        ref_con, charts=[], include_sources=False, compliance={"datasets": [meter_year], "year": 2025}
    )
    prs, _ = deck.build_deck(sections)
    texts = [shape.text_frame.text for slide in prs.slides for shape in slide.shapes if shape.has_text_frame]
    assert any("Reporting 2025: efficiency indicators" in t for t in texts)


def test_energy_registers_uploaded_on_the_page_become_a_meter_dataset(ref_con):
    from tests.compliance.test_compliance import COMX

    at = _run(AppTest.from_file(PAGE, default_timeout=60))
    at.file_uploader(key="comp-reg-facility").set_value(("Main incomer.csv", COMX.encode(), "text/csv"))
    at.text_input(key="comp-reg-name").set_value("incomer-upload")
    _run(at)
    at.button(key="comp-reg-store").click()
    _run(at)
    assert len(at.success) == 1 and "5 intervals, 0 rejected" in at.success[0].value
    assert any("cumulative" in c.value and "1 bridged stretch" in c.value for c in at.caption)
    assert "incomer-upload" in at.multiselect(key="comp-datasets").options
