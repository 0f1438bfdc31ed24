"""The calamine reader's shortcuts keep openpyxl's answers: only cells that can be a rendered number
or an error marker are examined, and number cells need no decimal mark decided."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from factorycore import db
from factorycore.userdata import catalog, formats, ingest, xlsx_reader
from factorycore.userdata.ingest import ReadChoices
from factorycore.userdata.locales import NeedsChoice
from tests.corpus import make

pytestmark = pytest.mark.skipif(not xlsx_reader.available(), reason="fastexcel not installed")


@pytest.fixture
def con(tmp_path: Path):
    c = db.open_database(tmp_path / "xlsx.duckdb", build=False)
    yield c
    c.close()


def _both(path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[list[list[str]], list[list[str]], Any]:
    """(rows of the calamine CSV, rows of openpyxl's CSV, the calamine conversion); their notes equal."""
    fast_out, slow_out = tmp_path / "fast.csv", tmp_path / "slow.csv"
    fast = formats._xlsx(path, fast_out, None)
    assert fast.details.get("reader") == "calamine"
    monkeypatch.setattr(xlsx_reader, "available", lambda: False)
    slow = formats._xlsx(path, slow_out, None)
    assert "reader" not in slow.details
    assert fast.notes == slow.notes
    read = lambda p: list(csv.reader(p.open(newline="", encoding="utf-8")))  # noqa: E731
    return read(fast_out), read(slow_out), fast


def test_markers_after_unicode_spaces_are_read_as_empty(tmp_path, monkeypatch):
    """A text cell that trims to an error marker is empty with a note, whatever space leads it (a plain
    space, U+00A0, U+3000); '#1 hall' and 'x #N/A' are text."""
    rows = [["Rack", "Hall", "Design power (kW)"]]
    rows += [[f"R{i}", "#1 hall", 10] for i in range(3)]
    rows += [["R3", " #N/A", 11], ["R4", "\u00a0#REF!", 12], ["R5", "\u3000#VALUE!  ", 13], ["R6", "x #N/A", 14]]
    path = tmp_path / "markers.xlsx"
    make.workbook({"Racks": rows}, path=path)
    fast, slow, conv = _both(path, tmp_path, monkeypatch)
    assert fast == slow
    assert [r[1] for r in fast[1:]] == ["#1 hall"] * 3 + ["", "", "", "x #N/A"]
    assert "cell B5 (Hall) holds #N/A; read as empty" in conv.notes
    assert "cell B6 (Hall) holds #REF!; read as empty" in conv.notes
    assert "cell B7 (Hall) holds #VALUE!; read as empty" in conv.notes


def test_negative_and_late_numbers_in_text_columns_keep_every_digit(tmp_path, monkeypatch):
    """Number cells in a text column, negative or far below the first rows, are read again as numbers;
    text that starts like a number ('9 kW', '-', '.5') stays as typed."""
    rows = [["Rack", "Design power (kW)", "Hall"]]
    rows += [[f"R{i:04d}", "9 kW", "H1"] for i in range(1200)]
    rows[5][1], rows[6][1], rows[7][1] = "-", ".5", -1 / 3
    rows[1100][2] = 2 / 3
    path = tmp_path / "negative.xlsx"
    make.workbook({"Racks": rows}, path=path)
    fast, slow, _ = _both(path, tmp_path, monkeypatch)
    assert fast == slow
    assert [r[1] for r in fast[5:8]] == ["-", ".5", repr(-1 / 3)]
    assert fast[1100][2] == repr(2 / 3)


def test_number_cells_that_look_like_thousands_need_no_decimal_mark(con, tmp_path):
    """1.234 in a number cell is a number: no locale to decide (it was asked for before)."""
    values = [1.234, 2.345, 3.456, 12.125]
    path = tmp_path / "three_decimals.xlsx"
    make.workbook({"Racks": [["Rack", "Design power (kW)"]] + [[f"R{i}", v] for i, v in enumerate(values)]}, path=path)
    result = ingest.ingest(con, path, name="three decimals")
    assert result.rows_accepted == 4
    assert result.detection["decimals"] == {"design_kw": "point"}
    table = catalog.get_dataset(con, name="three decimals").table
    assert [r[0] for r in con.execute(f"SELECT design_kw FROM {table} ORDER BY rack_id").fetchall()] == values


def test_text_numbers_are_not_decided_by_number_cells(con, tmp_path):
    """'1.070' typed as text says nothing about its locale next to number cells (which this product
    wrote with a point): it is asked, and a chosen decimal comma applies to the text column only."""
    rows = [["Rack", "Design power (kW)", "Measured power (kW)"]]
    rows += [["R1", "1.070", 5.25], ["R2", "1.340", 6.5], ["R3", "1.500", 7.75]]
    path = tmp_path / "text_numbers.xlsx"
    make.workbook({"Racks": rows}, path=path)
    with pytest.raises(NeedsChoice, match="Design power"):
        ingest.ingest(con, path, name="asked")
    result = ingest.ingest(con, path, name="chosen", choices=ReadChoices(decimal="comma"))
    assert result.detection["decimals"] == {"design_kw": "comma", "measured_kw": "point"}
    table = catalog.get_dataset(con, name="chosen").table
    stored = con.execute(f"SELECT design_kw, measured_kw FROM {table} ORDER BY rack_id").fetchall()
    assert stored == [(1070.0, 5.25), (1340.0, 6.5), (1500.0, 7.75)]


def test_a_date_column_with_stray_text_keeps_its_numbers_in_full(tmp_path, monkeypatch):
    """A date column (openpyxl writes real date cells) with a stray text cell is read again as text; a
    number cell in it is then read a third time as a number and keeps every digit."""
    start = dt.datetime(2026, 3, 1)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Timestamp", "Rack", "Power (kW)"])
    for i in range(1100):
        sheet.append([start + dt.timedelta(minutes=i), f"R{i % 5}", 5 + i / 7])
    for row in (["n/a", "R1", 3], [45000.123456789012, "R2", "4 kW"], [start, "R3", 1 / 3]):
        sheet.append(row)
    path = tmp_path / "dates.xlsx"
    book.save(path)
    fast, slow, _ = _both(path, tmp_path, monkeypatch)
    assert [r[0] for r in fast[-3:-1]] == [r[0] for r in slow[-3:-1]] == ["n/a", repr(45000.123456789012)]
    assert [r[1:] for r in fast[1:]] == [r[1:] for r in slow[1:]]
    assert fast[-1][2] == repr(1 / 3)
