"""The "My facility" page through Streamlit's AppTest: uploads, mapping, isolation, actions."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from factorycore import db
from factorycore.userdata import catalog
from tests.corpus import make

REPO = Path(__file__).resolve().parent.parent
PAGE = str(REPO / "app_pages" / "my_facility.py")
SAMPLES = REPO / "data" / "samples"


def _app() -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _upload(at: AppTest, name: str, content: bytes) -> AppTest:
    at.file_uploader(key="facility-upload").set_value((name, content, "text/csv"))
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def _dataset_names(at: AppTest) -> list[str]:
    frames = [d.value for d in at.dataframe if "where" in d.value.columns]
    return frames[0]["name"].tolist() if frames else []


def _catalog() -> list[tuple]:
    con = db.shared_connection()
    catalog.ensure_catalog(con)
    return con.cursor().execute(f"SELECT dataset_id, name, workspace FROM {catalog.CATALOG}").fetchall()


def _charts(at: AppTest) -> list:
    return at.get("plotly_chart")


def test_upload_a_sample_shows_validation_and_the_industry_comparison():
    at = _upload(_app(), "racks_sample.csv", (SAMPLES / "racks_sample.csv").read_bytes())
    metrics = _metrics(at)
    assert metrics["Rows accepted"] == "240" and metrics["Rows rejected"] == "0"
    assert metrics["Racks"] == "240"
    assert metrics["Percentile among industry average racks"].endswith("th")
    assert len(_charts(at)) >= 2  # density against the industry, measured against design
    assert "racks_sample" in _dataset_names(at)


def test_bad_rows_are_summarised_and_downloadable():
    content = b"rack_id,design_kw\nA1,10\nA2,-3\nA3,abc\nA1,12\n"
    at = _upload(_app(), "bad rows.csv", content)
    metrics = _metrics(at)
    assert (metrics["Rows accepted"], metrics["Rows rejected"]) == ("1", "3")
    problems = [d.value for d in at.dataframe if "message" in d.value.columns][0]
    assert problems["row"].tolist() == [2, 3, 4]
    assert any("duplicate rack_id" in m for m in problems["message"])
    assert any(b.label == "Download rejected rows (CSV)" for b in at.get("download_button"))


def test_rejected_rows_download_is_built_on_click_with_every_row_neutralised():
    from ui import uploads

    at = _upload(_app(), "formula rows.csv", b"rack_id,design_kw\nA1,10\n=cmd(),-3\nA3,abc\n")
    ws = catalog.session_workspace(at.session_state["facility-token"])
    info = catalog.get_dataset(db.shared_connection(), name="formula rows", workspaces=[ws])
    csv_text = uploads._rejects_csv(info).decode("utf-8")
    assert csv_text.count("\n") == 3  # header and both rejected rows
    assert "'=cmd()" in csv_text and "\n=cmd()" not in csv_text and ",=cmd()" not in csv_text


@pytest.mark.parametrize("case", ["binary.csv", "spreadsheet.xlsx.csv", "empty.csv", "header_only.csv"])
def test_unreadable_upload_shows_one_message_and_changes_nothing(case):
    before = _catalog()
    content, expect = make.cases()[case]
    at = _upload(_app(), case, content)
    assert at.error and "nothing was changed" in at.error[0].value
    assert any(expect["unreadable"] in t.value for t in at.text)
    assert _catalog() == before


def test_hostile_text_is_never_rendered_as_markdown():
    content = b'rack_id,design_kw,site\n"**bold** <script>alert(1)</script> ![x](http://evil.example/x.png)",10,=1+1\n'
    at = _upload(_app(), "hostile.csv", content)
    rendered = " ".join(m.value for m in at.markdown) + " ".join(str(c.value) for c in at.caption)
    assert "<script>" not in rendered and "evil.example" not in rendered


def test_mapping_step_when_detection_is_unsure():
    content = b"Schrank,Leistung Soll,Leistung Ist\nS1,12,8\nS2,15,9\n"
    at = _upload(_app(), "german.csv", content)
    assert at.warning and "not all recognised" in at.warning[0].value
    store = [b for b in at.button if b.label == "Store with this mapping"][0]
    assert store.disabled  # required fields not chosen yet
    boxes = {s.label: s for s in at.selectbox}
    boxes["rack_id (required)"].set_value(1)  # "Schrank"
    boxes["design_kw (required)"].set_value(2)  # "Leistung Soll"
    boxes["measured_kw"].set_value(3)
    at.run()
    [b for b in at.button if b.label == "Store with this mapping"][0].click()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert _metrics(at)["Rows accepted"] == "2"
    assert "german" in _dataset_names(at)


def test_uploads_are_private_until_saved_to_the_shared_workspace():
    mine = _upload(_app(), "private-meter.csv", (SAMPLES / "meter_sample.csv").read_bytes())
    assert "private-meter" in _dataset_names(mine)
    assert "PUE over the period" in _metrics(mine)
    other = _app()
    assert "private-meter" not in _dataset_names(other)
    [b for b in mine.button if b.label == "Save to shared workspace"][0].click()
    mine.run()
    assert not mine.exception
    other.run()
    assert "private-meter" in _dataset_names(other)


def test_delete_needs_confirmation():
    at = _upload(_app(), "to-delete.csv", (SAMPLES / "telemetry_sample.csv").read_bytes())
    assert "to-delete" in _dataset_names(at)
    assert len(_charts(at)) >= 3  # density, power over time, hottest racks
    delete = [b for b in at.button if b.label == "Delete"][0]
    assert delete.disabled
    [c for c in at.checkbox if c.label.startswith("Yes, delete")][0].check()
    at.run()
    [b for b in at.button if b.label == "Delete"][0].click()
    at.run()
    assert not at.exception
    assert "to-delete" not in _dataset_names(at)
    assert "to-delete" not in [row[1] for row in _catalog()]


def test_try_a_sample_button():
    at = _app()
    at.selectbox(key="sample-kind").set_value("telemetry")
    at.button(key="sample-load").click()
    at.run()
    assert not at.exception
    assert _metrics(at)["Rows accepted"] == "576"


def test_rejected_rows_of_a_file_with_blank_headers_can_be_shown_and_downloaded():
    at = _upload(_app(), "no-headers.csv", b",,\nR1,10,x\nR2,abc,=cmd()\n")
    boxes = {s.label: s for s in at.selectbox}
    boxes["rack_id (required)"].set_value(1)
    boxes["design_kw (required)"].set_value(2)
    boxes["site"].set_value(3)
    at.run()
    [b for b in at.button if b.label == "Store with this mapping"][0].click()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert (_metrics(at)["Rows accepted"], _metrics(at)["Rows rejected"]) == ("1", "1")
    assert any(b.label == "Download rejected rows (CSV)" for b in at.get("download_button"))


def test_dataset_name_in_the_metric_is_not_markdown():
    # A metric's value is rendered as Markdown: "www.evil.example" would become a link.
    at = _upload(_app(), "www.evil.example.csv", (SAMPLES / "racks_sample.csv").read_bytes())
    assert _metrics(at)["Dataset"] == r"www\.evil\.example"


def test_mapping_step_tells_repeated_headers_apart():
    # A selectbox keeps its choice by label: two "kW" columns must not both mean the last one.
    at = _upload(_app(), "two-kw.csv", b"Schrank,kW,kW\nS1,12,8\nS2,16,9\n")
    [s for s in at.selectbox if s.label == "This file holds"][0].set_value("racks")
    at.run()
    boxes = {s.label: s for s in at.selectbox}
    boxes["rack_id (required)"].set_value(1)
    boxes["design_kw (required)"].set_value(2)  # the first "kW"
    boxes["measured_kw"].set_value(3)
    at.run()
    [b for b in at.button if b.label == "Store with this mapping"][0].click()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert _metrics(at)["Average kW per rack"] == "14.0"  # design kW: 12 and 16, not 8 and 9


def test_the_picker_tells_a_private_dataset_from_a_shared_one_of_the_same_name_and_follows_a_rename():
    from factorycore.userdata import ingest

    name = f"twin-{uuid.uuid4().hex[:6]}"
    ingest.ingest(db.shared_connection(), SAMPLES / "racks_sample.csv", name=name)  # a shared one
    at = _upload(_app(), "twin.csv", (SAMPLES / "racks_sample.csv").read_bytes())  # a private one
    mine = at.selectbox(key="facility-selected").value

    def rename(to: str) -> None:
        at.text_input(key=f"rename-{mine}").set_value(to)
        at.button(key=f"rename-go-{mine}").click().run()
        assert not at.exception

    rename(name)  # names are unique per workspace, so a private one may share the shared one's name
    picker = at.selectbox(key="facility-selected")
    assert {o for o in picker.options if o.startswith(name)} == {
        f"{name} · Rack inventory · private",
        f"{name} · Rack inventory · shared",
    }
    assert picker.value == mine
    rename(f"{name}-b")
    picker = at.selectbox(key="facility-selected")
    assert picker.value == mine and picker.format_func(picker.value) == f"{name}-b · Rack inventory"
