"""Every site view, drawn on My facility with its "Data behind this chart" open, for datasets it can and
cannot draw: the bundled samples, one row, all values missing, a single instant. A dataset a view
cannot draw gets a sentence, never Streamlit's generic error."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from factorycore import db, provenance
from factorycore.userdata import catalog, ingest
from factorycore.views.site import SITE_VIEWS

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "data" / "samples"
PAGE = str(REPO / "app_pages" / "my_facility.py")

DEGENERATE = {
    "racks-one-row": "rack_id,design_kw,measured_kw\nA1,10,5\n",
    "racks-no-measured": "rack_id,design_kw,measured_kw\nA1,10,\nA2,12,\n",
    "racks-no-design": "rack_id,design_kw,measured_kw\nA1,,4\nA2,,6\n",
    "telemetry-one-row": "timestamp,rack_id,power_kw\n2026-01-01T00:00:00,A1,5\n",
    "telemetry-one-instant": "timestamp,rack_id,power_kw\n2026-01-01T00:00:00,A1,5\n2026-01-01T00:00:00,A2,6\n",
    "meter-one-row": "timestamp,it_kw,facility_kw\n2026-01-01T00:00:00,100,130\n",
    "meter-one-instant": "timestamp,it_kw,facility_kw\n2026-01-01T00:00:00,100,130\n2026-01-01T00:00:00,110,140\n",
    "meter-no-facility": "timestamp,it_kw,facility_kw\n2026-01-01T00:00:00,100,\n2026-01-01T01:00:00,110,\n",
}
# Every row lacks a required figure: ingest refuses the file (nothing empty is stored), so no view meets it.
REFUSED = {"racks-no-design", "meter-no-facility"}
DRAWABLE = sorted(set(DEGENERATE) - REFUSED)


@pytest.fixture
def own_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "views.duckdb"
    monkeypatch.setenv("FACTORY_DB", str(path))
    db.open_database(path).close()
    return path


def _store(path: Path, tmp_path: Path, name: str, source: Path | str) -> int | None:
    """Store one file as a shared dataset; None when ingest refuses it (then there is nothing to draw)."""
    if isinstance(source, str):
        file = tmp_path / f"{name}.csv"
        file.write_text(source)
        source = file
    with db.hold(path) as con:
        try:
            return ingest.ingest(con, source, name=name).dataset_id
        except (ingest.UnreadableFile, catalog.DatasetError):
            return None


def _draw_every_view(dataset_id: int) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.session_state["facility-selected"] = dataset_id
    for view in SITE_VIEWS.values():
        at.session_state[f"facility_{view.key}-data"] = True  # every "Data behind this chart" open
    at.run()
    return at


def _ok(at: AppTest, name: str) -> None:
    assert not at.exception, (name, [e.value for e in at.exception])


@pytest.mark.parametrize("kind", ["racks", "telemetry", "meter", "devices", "power_feeds"])
def test_every_view_of_a_bundled_sample_opens_its_data(own_db, tmp_path, kind):
    dataset_id = _store(own_db, tmp_path, f"{kind}-sample", SAMPLES / f"{kind}_sample.csv")
    at = _draw_every_view(dataset_id)
    _ok(at, kind)
    with db.hold(own_db) as con:
        spec = catalog.get_dataset(con, dataset_id=dataset_id).spec
    csv_buttons = [b for b in at.get("download_button") if str(b.proto.label).startswith("Download data (CSV)")]
    assert len(csv_buttons) == len(spec.views) - len(at.info), [i.value for i in at.info]


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_a_file_whose_every_row_lacks_a_required_figure_is_refused(own_db, tmp_path, name):
    assert _store(own_db, tmp_path, name, DEGENERATE[name]) is None


@pytest.mark.parametrize("name", DRAWABLE)
def test_a_dataset_a_view_cannot_draw_gets_a_sentence(own_db, tmp_path, name):
    dataset_id = _store(own_db, tmp_path, name, DEGENERATE[name])
    at = _draw_every_view(dataset_id)
    _ok(at, name)


def test_the_evidence_of_an_operators_rows_has_one_empty_link_per_row():
    rows = pd.DataFrame({"rack_id": ["A1", "A2", "A3"], "power_kw": [1.0, 2.0, None]})
    sources = pd.DataFrame({"source_id": ["s"], "url": ["https://example.org"]})
    table = provenance.evidence_table(rows, sources)
    assert list(table["link"]) == [None, None, None]
    assert list(table.columns[:2]) == ["quote", "link"]
    assert table["rack_id"].tolist() == ["A1", "A2", "A3"]
    assert provenance.evidence_table(rows.iloc[:0], sources).empty


def test_a_view_that_fails_on_its_data_is_one_sentence_on_the_page(own_db, tmp_path, monkeypatch):
    """The shared guard (views.base.degrade): whatever a view was not written for, the page names it."""
    from factorycore.views import site

    def broken(con, info):
        return 1 / 0

    monkeypatch.setitem(site.SITE_VIEWS, "site_pue", replace(site.SITE_VIEWS["site_pue"], build=broken))
    dataset_id = _store(own_db, tmp_path, "meter-sample", SAMPLES / "meter_sample.csv")
    at = _draw_every_view(dataset_id)
    _ok(at, "broken")
    assert any("The broken view cannot be drawn from this dataset (ZeroDivisionError" in i.value for i in at.info)


def test_the_guard_lets_a_damaged_store_through():
    import duckdb

    from factorycore.views.base import NothingToDraw, degrade

    def damaged():
        raise duckdb.IOException("Could not read enough bytes from file")

    with pytest.raises(duckdb.IOException):
        degrade(damaged)
    with pytest.raises(NothingToDraw, match="said so"):
        degrade(lambda: (_ for _ in ()).throw(NothingToDraw("said so")))


@pytest.mark.parametrize("name", DRAWABLE)
def test_the_report_of_a_dataset_a_view_cannot_draw_says_so(own_db, tmp_path, name):
    from factorycore.export import report

    dataset_id = _store(own_db, tmp_path, name, DEGENERATE[name])
    with db.hold(own_db) as con:
        sections = report.build_report(con, charts=[], include_sources=False, dataset=dataset_id)
        html = report.report_html(sections)
    assert name in html
