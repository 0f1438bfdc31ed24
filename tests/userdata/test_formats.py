"""Converted formats: DCGM host-to-rack roll-up, workbook sheets, scrape timestamps (the corpus covers the rest)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from factorycore import db
from factorycore.userdata import catalog, formats, ingest, stranded
from tests.corpus import make

T0_MS = 1_772_323_200_000  # 2026-03-01 00:00:00 UTC


@pytest.fixture
def con(tmp_path: Path):
    c = db.open_database(tmp_path / "formats.duckdb", build=False)
    yield c
    c.close()


def _devices(con, tmp_path: Path) -> catalog.DatasetInfo:
    path = tmp_path / "devices.csv"
    path.write_text("Name,Rack,Allocated draw\nn1,R1,8000\nn2,R1,8000\nn3,R2,8000\n")
    return catalog.get_dataset(con, dataset_id=ingest.ingest(con, path, name="devices").dataset_id)


def test_dcgm_rolls_up_gpus_to_nodes_to_racks(con, tmp_path):
    path = tmp_path / "scrape.prom"
    # n1: 2 GPUs x 500 W; n2: 2 x 250 W; n3: one 700 W GPU and one NaN; n9 is not in the devices list.
    path.write_bytes(
        make.dcgm_scrape(
            [
                ("n1", 0, 500, T0_MS),
                ("n1", 1, 500, T0_MS),
                ("n2", 0, 250, T0_MS),
                ("n2", 1, 250, T0_MS),
                ("n3", 0, 700, T0_MS),
                ("n3", 1, "NaN", T0_MS),
                ("n9", 0, 100, T0_MS),
            ]
        )
    )
    result = ingest.ingest(con, path, name="gpu", host_racks=_devices(con, tmp_path))
    # One row per physical GPU (n1 2, n2 2, n3 1 finite, n9 1 without a rack); racks sum their GPUs.
    assert result.kind == "telemetry" and (result.rows_accepted, result.rows_rejected) == (5, 1)
    info = catalog.get_dataset(con, dataset_id=result.dataset_id)
    rows = con.execute(
        f"SELECT rack_id, sum(power_kw), min(ts), count(*) FROM {info.table} GROUP BY rack_id ORDER BY rack_id"
    ).fetchall()
    assert rows == [
        ("R1", pytest.approx(1.5), dt.datetime(2026, 3, 1), 4),
        ("R2", pytest.approx(0.7), dt.datetime(2026, 3, 1), 1),
    ]
    assert result.problems[0]["message"] == "rack_id is missing"
    notes = " ".join(result.detection["conversion"]["notes"])
    assert "1 of 7 GPU samples were NaN" in notes and "'n9'" in notes


def test_dcgm_telemetry_measures_an_inventory(con, tmp_path):
    """The scrape, joined to an inventory by rack, gives stranded capacity."""
    inv = tmp_path / "inv.csv"
    inv.write_text("rack_id,design_kw\nR1,4\nR2,1\n")
    inventory = catalog.get_dataset(con, dataset_id=ingest.ingest(con, inv, name="inv").dataset_id)
    path = tmp_path / "scrape.prom"
    path.write_bytes(make.dcgm_scrape([("n1", 0, 500, T0_MS), ("n1", 1, 500, T0_MS), ("n3", 0, 700, T0_MS)]))
    tel = ingest.ingest(con, path, name="gpu", host_racks=_devices(con, tmp_path))
    out = stranded.stranded(con, inventory, catalog.get_dataset(con, dataset_id=tel.dataset_id)).totals
    assert out["stranded_kw"] == pytest.approx((4 - 1.0) + (1 - 0.7))


def test_scrape_without_timestamps_is_stamped_when_read(con, tmp_path):
    path = tmp_path / "now.prom"
    path.write_bytes(make.dcgm_scrape([("n1", 0, 300, None)]))
    when = dt.datetime(2026, 5, 4, 3, 2, 1, tzinfo=dt.UTC)
    conv = formats.to_csv(con, path, tmp_path, scraped_at=when)
    assert conv.path.read_text().splitlines()[1].startswith("2026-05-04T03:02:01")
    assert any("stamped 2026-05-04 03:02:01 UTC" in n for n in conv.notes)


def test_workbook_sheets_and_a_missing_sheet(con, tmp_path):
    path = tmp_path / "two.xlsx"
    path.write_bytes(
        make.workbook({"Readme": [["about this file"]], "Racks": [["rack_id", "design_kw"], ["A", 5], ["B", 6]]})
    )
    assert formats.sheet_names(path) == ["Readme", "Racks"]
    result = ingest.ingest(con, path, sheet="Racks", name="two")
    assert result.rows_accepted == 2 and result.detection["conversion"]["sheet"] == "Racks"
    with pytest.raises(ingest.UnreadableFile, match="no sheet 'Nope'; its sheets: 'Readme', 'Racks'"):
        ingest.ingest(con, path, sheet="Nope", name="three")
    with pytest.raises(ingest.UnreadableFile, match="no header row"):
        ingest.ingest(con, path, name="four")  # the first sheet holds no table


def test_parquet_keeps_validation(con, tmp_path):
    path = tmp_path / "racks.parquet"
    con.execute(
        f"COPY (SELECT * FROM (VALUES ('A', '5'), ('B', 'abc')) t(rack_id, design_kw)) TO '{path}' (FORMAT parquet)"
    )
    result = ingest.ingest(con, path, name="pq")
    assert (result.rows_accepted, result.rows_rejected) == (1, 1)
    assert "not a number" in result.problems[0]["message"]
