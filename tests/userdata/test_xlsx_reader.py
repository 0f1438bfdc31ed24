"""The Rust (calamine) workbook reader gives the same CSV as openpyxl's, cell for cell, and places
the header on the sheet even where calamine's range does not start at A1."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from factorycore import db
from factorycore.userdata import catalog, formats, ingest, xlsx_reader
from tests.corpus import make

pytestmark = pytest.mark.skipif(not xlsx_reader.available(), reason="fastexcel not installed")


@pytest.fixture
def con(tmp_path: Path):
    c = db.open_database(tmp_path / "xlsx.duckdb", build=False)
    yield c
    c.close()


def _both(
    path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[list[list[str]], list[list[str]], formats.Conversion]:
    """(rows of the calamine CSV, rows of openpyxl's CSV, the calamine conversion)."""
    fast_out, slow_out = tmp_path / "fast.csv", tmp_path / "slow.csv"
    fast = formats._xlsx(path, fast_out, None)
    assert fast.details.get("reader") == "calamine"
    monkeypatch.setattr(xlsx_reader, "available", lambda: False)
    slow = formats._xlsx(path, slow_out, None)
    assert "reader" not in slow.details
    assert fast.notes == slow.notes
    read = lambda p: list(csv.reader(p.open(newline="", encoding="utf-8")))  # noqa: E731
    return read(fast_out), read(slow_out), fast


def test_typed_cells_match_openpyxl(tmp_path, monkeypatch):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Inventory export"])
    ws.append([])
    ws.append(["timestamp", "rack_id", "power_kw", "note"])
    ws.append([dt.datetime(2026, 3, 1, 12, 0, 5), "A1", 1 / 3, "ok"])
    ws.append([dt.datetime(2026, 3, 1, 12, 1), 101, 2.5e-9, None])
    ws.append([None, None, None, None])
    ws.append([dt.datetime(2026, 3, 1, 12, 2), "A3", 12345678.125, True])
    path = tmp_path / "typed.xlsx"
    wb.save(path)
    fast, slow, conv = _both(path, tmp_path, monkeypatch)
    assert fast[0] == slow[0] == ["timestamp", "rack_id", "power_kw", "note"]
    # Numbers in full and a numeric rack id without '.0'; the timestamps may differ in spelling only.
    assert (
        [r[1:3] for r in fast[1:]]
        == [r[1:3] for r in slow[1:]]
        == [
            ["A1", repr(1 / 3)],
            ["101", "2.5e-09"],
            ["A3", "12345678.125"],
        ]
    )
    assert [dt.datetime.fromisoformat(r[0]) for r in fast[1:]] == [dt.datetime.fromisoformat(r[0]) for r in slow[1:]]
    assert conv.details["blank_rows_skipped"] == 1 and conv.details["header_row"] == 3


def test_numbers_in_a_text_column_keep_every_digit(tmp_path, monkeypatch):
    """calamine shows a number in a mixed column to 9 decimals; the reader keeps the number's own digits
    and leaves text that merely looks like a number ('007') as written."""
    path = tmp_path / "mixed.xlsx"
    make.workbook(
        {"S": [["rack_id", "design_kw", "measured_kw"], ["007", 1 / 3, "9 kW"], ["B", 2.5e-9, 4], ["C", "n/a", 5]]},
        path=path,
    )
    fast, slow, _ = _both(path, tmp_path, monkeypatch)
    assert fast == slow
    assert fast[1][:2] == ["007", repr(1 / 3)] and fast[2][1] == "2.5e-09"


def test_errors_and_cells_left_of_the_header(tmp_path, monkeypatch):
    """A used cell in column A below the header (calamine's range then starts at A, the head at B),
    error cells and a text '#N/A': the same columns, values and notes as openpyxl's path."""
    rows = [[], [None, "Rack", "Design power (kW)", "Hall"]]
    rows += [[None, f"R{i}", 10 + i, "H1"] for i in range(5)]
    rows += [[None, "R5", ("#", "#DIV/0!"), "H2"], [None, "R6", 7, "#N/A"], ["stray", "R7", 8, "H3"]]
    path = tmp_path / "shifted.xlsx"
    make.workbook({"Racks": rows}, path=path)
    fast, slow, conv = _both(path, tmp_path, monkeypatch)
    assert fast == slow
    assert fast[0] == ["column_A", "Rack", "Design power (kW)", "Hall"]
    assert fast[-1] == ["stray", "R7", "8", "H3"]
    assert "cell C8 (Design power (kW)) holds #DIV/0!; read as empty" in conv.notes
    assert "cell D9 (Hall) holds #N/A; read as empty" in conv.notes


def test_shared_strings_workbook_ingests_like_its_csv(con, tmp_path):
    """openpyxl writes shared strings (as Excel does); the stored rows equal the same data as CSV."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Telemetry"
    ws.append(["Timestamp", "Rack", "Power (kW)"])
    lines = ["Timestamp,Rack,Power (kW)"]
    for i in range(300):
        stamp = dt.datetime(2026, 3, 1) + dt.timedelta(minutes=i)
        ws.append([stamp, f"R{i % 7}", round(5 + i / 37, 6)])
        lines.append(f"{stamp:%Y-%m-%d %H:%M:%S},R{i % 7},{round(5 + i / 37, 6)!r}")
    xlsx, csv_path = tmp_path / "t.xlsx", tmp_path / "t.csv"
    wb.save(xlsx)
    csv_path.write_text("\n".join(lines) + "\n")
    a = ingest.ingest(con, xlsx, name="from xlsx")
    b = ingest.ingest(con, csv_path, name="from csv")
    assert a.rows_accepted == b.rows_accepted == 300
    rows = [
        con.execute(
            f"SELECT ts, rack_id, power_kw FROM {catalog.get_dataset(con, name=n).table} ORDER BY 1, 2"
        ).fetchall()
        for n in ("from xlsx", "from csv")
    ]
    assert rows[0] == rows[1]


def test_a_late_cell_of_another_type_is_kept(tmp_path, monkeypatch):
    """Types are read from the first 1,000 rows; a text cell far below them still reaches validation."""
    rows = [["rack_id", "design_kw"]] + [[f"R{i:04d}", 10 + i % 7] for i in range(1500)]
    rows[1401][1] = "n/a"
    rows[1450][1] = 1 / 7
    path = tmp_path / "late.xlsx"
    make.workbook({"Racks": rows}, path=path)
    fast, slow, _ = _both(path, tmp_path, monkeypatch)
    assert fast == slow
    assert fast[1401] == ["R1400", "n/a"] and fast[1450] == ["R1449", repr(1 / 7)]
