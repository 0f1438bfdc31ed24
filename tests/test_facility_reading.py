"""The "My facility" page asks what a file cannot say itself, and never shows a failure as a success.

Through Streamlit's AppTest: an export whose dates no value decides (FASRC as US Excel
writes it) is asked for its day/month order, with the guess preselected, and no other
dataset's charts are drawn while it waits; a file with no good row is an error; the
mapping step offers each field's unit and saves a profile.
"""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from factorycore import db
from factorycore.userdata import catalog

REPO = Path(__file__).resolve().parent.parent
PAGE = str(REPO / "app_pages" / "my_facility.py")
REAL = REPO / "tests" / "realdata"
SAMPLES = REPO / "data" / "samples"


def _app() -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=90)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _upload(at: AppTest, name: str, content: bytes) -> AppTest:
    at.file_uploader(key="facility-upload").set_value((name, content, "text/csv"))
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _store(at: AppTest) -> AppTest:
    [b for b in at.button if b.label == "Store with this mapping"][0].click()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_undecidable_dates_are_asked_with_the_guess_and_no_other_charts_meanwhile():
    at = _upload(_app(), "racks_sample.csv", (SAMPLES / "racks_sample.csv").read_bytes())
    assert at.get("plotly_chart"), "the sample's own charts"
    at = _upload(at, "fasrc_rack_power_excel.csv", (REAL / "fasrc_rack_power_excel.csv").read_bytes())
    assert at.warning and "one more answer" in at.warning[0].value
    assert any("6/3/2025" in t.value for t in at.text)
    order = [s for s in at.selectbox if s.label == "Dates such as 03/06/2025 are"][0]
    assert order.value == "mdy"  # the guess (a comma-separated file), preselected, not applied
    assert not at.get("plotly_chart"), "no earlier dataset's charts while the upload waits"
    assert any("waiting for its mapping" in i.value for i in at.info)
    at = _store(at)
    assert _metrics(at)["Rows accepted"] == "2,158"
    assert at.get("plotly_chart")


def test_a_file_with_no_good_row_is_an_error_not_a_success():
    before = _datasets()
    at = _upload(_app(), "all bad.csv", b"rack_id,design_kw\nR1,-1\nR2,abc\n")
    assert at.error and "nothing was changed" in at.error[0].value
    assert any("no row could be stored" in t.value for t in at.text)
    assert not at.success
    assert _datasets() == before


def test_the_mapping_step_offers_units_and_saves_a_profile():
    from factorycore.userdata import profiles  # noqa: PLC0415 - the module under test

    at = _upload(_app(), "odd racks.csv", b"Ident,Limit,Notes\nA1,7.5,x\nA2,10,y\n")
    [s for s in at.selectbox if s.label == "This file holds"][0].set_value("racks")
    at.run()
    boxes = {s.label: s for s in at.selectbox}
    boxes["rack_id (required)"].set_value(1)
    boxes["design_kw (required)"].set_value(2)
    at.run()
    assert any("design_kw: power, stored in kW" in c.value for c in at.caption)
    [s for s in at.selectbox if s.label == "unit of design_kw"][0].set_value("kVA")
    [t for t in at.text_input if t.label.startswith("Save these choices")][0].set_value("Odd racks UI")
    at = _store(at)
    assert _metrics(at)["Rows accepted"] == "2"
    assert any("Saved the profile 'odd racks ui'" in s.value for s in at.success)
    saved = profiles.load(db.shared_connection(), "odd racks ui")
    assert (saved.kind, saved.mapping, saved.units["design_kw"]) == (
        "racks",
        {"rack_id": "Ident", "design_kw": "Limit"},
        "kVA",
    )


def _datasets() -> list[tuple]:
    con = db.shared_connection()
    catalog.ensure_catalog(con)
    return con.cursor().execute(f"SELECT dataset_id FROM {catalog.CATALOG}").fetchall()
