"""Excel workbooks read by a Rust reader (fastexcel, on calamine) into Arrow, written to CSV by DuckDB.

openpyxl builds a Python object per cell: a 1M-row sheet took about a minute, 35-60x the same
rows as a CSV. Here calamine parses the sheet, fastexcel hands it over as Arrow columns and
DuckDB writes the CSV that ingest then validates like any other, with no Python per row.

openpyxl still reads the first :data:`conversion.HEADER_SCAN_ROWS` rows (a streaming read that
stops there), so the header is found exactly as before and its sheet row is known: calamine's
range starts at the first used cell, not at A1, and the header row read by both is compared
to place one on the other. When they do not line up (a used cell left of the header area or
above it that openpyxl did not show) the sheet is read by openpyxl as before, never guessed.

Cell values as the CSV shows them, as openpyxl's path wrote them: numbers in full (a whole
number without ``.0``, so a numeric rack id 101 stays ``101``), dates and times in ISO form,
``true``/``false``. A column calamine can only type as text because it mixes text and numbers
would show its numbers rounded to 9 decimals, so such a column is read a second time as
numbers and a number cell keeps every digit. Error cells (``#DIV/0!``, ``#N/A``...) and text
cells that hold exactly such a marker are read as empty, with a note naming the cell.

The parse is most of the time (a 1M-row sheet: about 2.5 s of a 5 s ingest), so a sheet is read
again only when a column needs it, and once for all such columns; the checks that decide it look
at a cell's first character before casting or trimming it. The conversion names the columns it
wrote from number cells only (``Conversion.number_cells``): ingest decides no decimal mark there.
"""

from __future__ import annotations

import csv
import logging
import shutil
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path
from typing import Any

import duckdb

from factorycore.userdata import conversion

# fastexcel logs a WARNING for every column whose type it cannot infer ("falling back to string"), printed
# on the CLI's stderr by Python's last-resort handler. A text column is what this reader expects and
# handles (see _load), so those lines say nothing to the user; errors still reach the log.
logging.getLogger("fastexcel").setLevel(logging.ERROR)

# calamine's names for Excel's error values (CellErrorType) and how Excel shows them.
_CALAMINE_ERRORS: dict[str, str] = {
    "Div0": "#DIV/0!",
    "NA": "#N/A",
    "Name": "#NAME?",
    "Null": "#NULL!",
    "Num": "#NUM!",
    "Ref": "#REF!",
    "Value": "#VALUE!",
    "GettingData": "#GETTING_DATA",
}

# Cheap tests on a cell's first character (DuckDB compares text bytewise): a cell calamine rendered from a
# number starts with '-' or a digit ('-' < '.' < '/' < '0'-'9' < ':'), and a cell that trim()s to an error
# marker starts with '#', a space or a character beyond ASCII (trim() also takes Unicode spaces, such as
# U+00A0). Only the cells that pass are examined further: a cast or an IN test on every cell of every text
# column of a 1M-row sheet cost 0.4-1 s.


def _starts_like_number(col: str) -> str:
    """SQL: the cell's first character is '-' or a digit (as in every number calamine renders as text)."""
    return f"({col} >= '-' AND {col} < ':')"


def _starts_like_marker(col: str) -> str:
    """SQL: the cell's first character is '#', a space or beyond ASCII (as in every cell that trim()s to an
    error marker)."""
    return f"(({col} >= '#' AND {col} < '$') OR ({col} >= ' ' AND {col} < '!') OR {col} >= chr(128))"


def available() -> bool:
    """Whether fastexcel (and pyarrow, which its Arrow output needs) can be imported."""
    try:
        import fastexcel  # noqa: F401, PLC0415
        import pyarrow  # noqa: F401, PLC0415
    except ImportError:
        return False
    return True


class _Misaligned(Exception):
    """calamine's range and openpyxl's rows do not line up: read with openpyxl instead."""


_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"


def _parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Worksheet name -> its part in the package (xl/workbook.xml and its relationships)."""
    book = ET.fromstring(_xml(archive, "xl/workbook.xml"))
    rels_name = "xl/_rels/workbook.xml.rels"
    rels = ET.fromstring(_xml(archive, rels_name)) if rels_name in archive.namelist() else ET.Element("r")
    targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{_PKG_REL}Relationship")}
    parts = {}
    for sheet in book.iter(f"{_MAIN}sheet"):
        target = targets.get(sheet.get(f"{_REL}id"), "")
        parts[sheet.get("name", "")] = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    return parts


def _xml(archive: zipfile.ZipFile, name: str) -> bytes:
    """A package part's bytes, refused if it declares a DTD (entity expansion has no place in a workbook)."""
    data = archive.read(name)
    if b"<!DOCTYPE" in data[:4096]:
        raise conversion.unreadable(f"the workbook's {name} declares a DTD, which no spreadsheet writes")
    return data


def _shared_strings(archive: zipfile.ZipFile, wanted: set[int]) -> dict[int, str]:
    """The shared strings at ``wanted`` indexes, read only as far as the largest of them."""
    found: dict[int, str] = {}
    if not wanted or "xl/sharedStrings.xml" not in archive.namelist():
        return found
    last = max(wanted)
    with archive.open("xl/sharedStrings.xml") as handle:
        index = -1
        for _, elem in ET.iterparse(handle, events=("end",)):
            if elem.tag == f"{_MAIN}si":
                index += 1
                if index in wanted:
                    found[index] = "".join(t.text or "" for t in elem.iter(f"{_MAIN}t"))
                elem.clear()
                if index >= last:
                    break
    return found


def _cell_ref(ref: str) -> tuple[int, int]:
    """'B3' -> (row 2, column 1), 0-based."""
    letters = "".join(ch for ch in ref if ch.isalpha())
    col = 0
    for ch in letters.upper():
        col = col * 26 + ord(ch) - 64
    return int(ref[len(letters) :]) - 1, col - 1


def _cell_value(
    elem: ET.Element, at: tuple[int, int], shared: dict[tuple[int, int], int]
) -> dict[tuple[int, int], Any]:
    """One ``<c>`` element's value at ``at`` (a shared string's index goes to ``shared``)."""
    kind = elem.get("t", "n")
    value = elem.find(f"{_MAIN}v")
    text = value.text if value is not None else None
    if kind == "inlineStr":
        return {at: "".join(t.text or "" for t in elem.iter(f"{_MAIN}t"))}
    if text is None:
        return {}
    if kind == "s":
        shared[at] = int(text)
        return {}
    if kind == "b":
        return {at: text.strip() == "1"}
    if kind in ("str", "e"):
        return {at: text}
    try:
        return {at: float(text)}
    except ValueError:
        return {at: text}


def _head(path: Path, sheet: str | None) -> tuple[str, list[str], list[tuple[Any, ...]]]:
    """(chosen sheet, all sheet names, its first HEADER_SCAN_ROWS rows from A1), read from the sheet's
    XML as far as those rows only: numbers as floats, text, booleans and error markers as text."""
    with zipfile.ZipFile(path) as archive:
        parts = _parts(archive)
        names = list(parts)
        chosen = sheet if sheet is not None else (names[0] if names else "")
        if chosen not in parts:
            raise conversion.unreadable(
                f"the workbook has no sheet {chosen[:60]!r}; its sheets: " + ", ".join(repr(n[:40]) for n in names[:20])
            )
        if parts[chosen] not in archive.namelist():
            raise conversion.unreadable(f"the workbook's sheet {chosen[:60]!r} has no part {parts[chosen][:80]!r}")
        cells: dict[tuple[int, int], Any] = {}
        shared: dict[tuple[int, int], int] = {}
        limit = conversion.HEADER_SCAN_ROWS
        with archive.open(parts[chosen]) as handle:
            row, col = -1, -1
            for event, elem in ET.iterparse(handle, events=("start", "end")):
                if event == "start":
                    if elem.tag == f"{_MAIN}row":
                        ref_row = elem.get("r")
                        row, col = (int(ref_row) - 1 if ref_row else row + 1), -1
                        if row >= limit:
                            break
                    continue
                if elem.tag == f"{_MAIN}c":
                    ref = elem.get("r")
                    r, c = _cell_ref(ref) if ref else (max(row, 0), col + 1)
                    col = c
                    if r >= limit:
                        break
                    cells.update(_cell_value(elem, (r, c), shared))
                    elem.clear()
                elif elem.tag == f"{_MAIN}row":
                    elem.clear()
        strings = _shared_strings(archive, set(shared.values()))
    for key, index in shared.items():
        cells[key] = strings.get(index, "")
    if not cells:
        return chosen, names, []
    height = max(r for r, _ in cells) + 1
    width = max(c for _, c in cells) + 1
    head = [tuple(cells.get((r, c)) for c in range(width)) for r in range(height)]
    return chosen, names, head


def _origin(head: list[tuple[Any, ...]]) -> tuple[int, int]:
    """(row, column), 0-based, of the first used cell's row and the leftmost used column in ``head``."""
    used = [i for i, row in enumerate(head) if any(v is not None for v in row)]
    row0 = used[0] if used else 0
    cols = [j for row in head for j, v in enumerate(row) if v is not None]
    return row0, min(cols) if cols else 0


def convert(path: Path, out: Path, sheet: str | None) -> conversion.Conversion | None:
    """The sheet as a CSV at ``out`` and its notes, or ``None`` when calamine's range and the head's
    rows do not line up (the caller then reads the sheet with openpyxl)."""
    import fastexcel  # noqa: PLC0415

    chosen, names, head = _head(path, sheet)
    found = conversion.find_header(head)
    if found is None:
        raise conversion.unreadable(
            f"sheet {chosen[:60]!r} has no header row naming known columns "
            f"in its first {conversion.HEADER_SCAN_ROWS} rows"
        )
    header, at = found
    row0, col0 = _origin(head)
    try:
        reader = fastexcel.read_excel(str(path))
        table, errors, first = _load(reader, chosen, head, at, row0, col0, len(header))
    except _Misaligned:
        return None
    except fastexcel.FastExcelError as exc:
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:200]
        raise conversion.unreadable(f"the .xlsx workbook cannot be read ({first})") from None
    conv = conversion.Conversion(
        out, "xlsx", {"sheet": chosen, "sheets": names, "header_row": at + 1, "reader": "calamine"}
    )
    if at:
        conv.note(f"the header ends on sheet row {at + 1}; rows above it were read as titles or header parts")
    written, skipped = _write(table, errors, header, at, first, out, conv)
    conv.number_cells = _number_columns(table, first)
    return conversion.note_sheet_rows(conv, written, skipped, at)


def _number_columns(table: Any, first: int) -> frozenset[int]:
    """The CSV columns written from number cells only (calamine typed them as numbers; a stray text cell
    would have made the column text): their decimal mark is the point this reader writes."""
    import pyarrow as pa  # noqa: PLC0415

    return frozenset(
        first + j for j, f in enumerate(table.schema) if pa.types.is_floating(f.type) or pa.types.is_integer(f.type)
    )


def _load(
    reader: Any, sheet: str, head: list[tuple[Any, ...]], at: int, row0: int, col0: int, width: int
) -> tuple[Any, list[tuple[int, int, str]], int]:
    """The data rows below the header as an Arrow table (one column per sheet column from the returned
    first column up to ``width``), and the error cells as (sheet row, sheet column, Excel's marker), 0-based.

    calamine's range starts at the first used row (``row0``, known from ``head``) and the leftmost
    used column of the whole sheet, which may lie left of ``col0`` (the leftmost in ``head``): the
    header row as calamine names the columns is matched against ``head``'s to place one on the other.
    """
    import pyarrow as pa  # noqa: PLC0415

    header_at = at - row0
    # Types from the first 1,000 rows: a later cell of another type is a cell error, and its column is read
    # again as text below, so sampling loses nothing.
    loaded = reader.load_sheet(sheet, header_row=header_at)
    table, cell_errors = loaded.to_arrow_with_errors()
    got = list(table.column_names)
    wanted = [conversion.cell_text(v).strip() for v in head[at][col0:width]]
    first = None
    for shift in range(0, len(got) - len(wanted) + 1):
        unnamed_left = all(name.startswith("__UNNAMED__") for name in got[:shift])
        if unnamed_left and all(w == "" or got[shift + j].strip() == w for j, w in enumerate(wanted)):
            first = col0 - shift
            break
    if first is None or first < 0:
        raise _Misaligned
    keep = list(range(min(table.num_columns, width - first)))
    # A typed column with a cell of another type (text in a number column) is read again as text, and a
    # text column holding number cells (which calamine renders to 9 decimals) again as numbers: one
    # second read does both. A retyped number column's numbers are the first read's, in full.
    retyped = sorted({e.position[1] for e in _cell_errors(cell_errors) if _marker(e) is None} & set(keep))
    errors = [e for e in _error_cells(cell_errors, row0, first) if e[1] < width and e[1] - first not in retyped]
    table = table.select(keep)
    table = table.rename_columns([f"x{j}" for j in keep])  # header text never reaches SQL as a name
    numeric = _with_number_cells(table, [j for j in keep if pa.types.is_string(table.schema.field(j).type)])
    if not retyped and not numeric:
        return table, errors, first
    # Only the columns read again, each with its type given: nothing is inferred or built for the others.
    again_columns = sorted({*retyped, *numeric})
    again, again_errors = reader.load_sheet(
        sheet,
        header_row=header_at,
        use_columns=again_columns,
        dtypes={**{j: "string" for j in retyped}, **{j: "float" for j in numeric}},
    ).to_arrow_with_errors()
    errors += [e for e in _error_cells(again_errors, row0, first) if e[1] - first in retyped]  # sheet columns
    numbers = {j: again.column(again_columns.index(j)) for j in numeric}
    for j in retyped:
        typed = table.schema.field(j).type
        if pa.types.is_floating(typed) or pa.types.is_integer(typed):
            numbers[j] = table.column(j)
        text = again.column(again_columns.index(j))
        table = table.set_column(j, table.schema.field(j).with_type(pa.string()), text)
    late = _with_number_cells(table, [j for j in retyped if j not in numbers])  # e.g. a date column's stray number
    if late:
        third = reader.load_sheet(
            sheet, header_row=header_at, use_columns=late, dtypes={j: "float" for j in late}
        ).to_arrow_with_errors()[0]
        numbers.update({j: third.column(k) for k, j in enumerate(late)})
    return _numbers_in_full(table, numbers), errors, first


def _cell_errors(cell_errors: Any) -> list[Any]:
    """fastexcel's CellError list (empty when there were none)."""
    return list(getattr(cell_errors, "errors", None) or [])


def _marker(err: Any) -> str | None:
    """Excel's marker (#DIV/0!...) when a CellError is an error value, else None (a type mismatch)."""
    detail = str(err.detail)
    return next((m for name, m in _CALAMINE_ERRORS.items() if f"Error({name})" in detail), None)


def _error_cells(cell_errors: Any, row0: int, col0: int) -> list[tuple[int, int, str]]:
    """Excel error values among calamine's cell errors, placed on the sheet (0-based row, column)."""
    found = []
    for err in _cell_errors(cell_errors):
        marker = _marker(err)
        if marker is not None:
            r, c = err.position
            found.append((row0 + r, col0 + c, marker))
    return found


def _with_number_cells(table: Any, columns: list[int]) -> list[int]:
    """The text ``columns`` of ``table`` with a cell that reads as a number.

    calamine renders a number cell as ``-?digits[.digits]``: a column none of whose cells starts with
    ``-`` or a digit holds no number cell, so only the cells that do are cast (a cast of every cell of
    every text column took 0.4-1 s on a 1M-row sheet)."""
    if not columns or not table.num_rows:
        return []
    con = duckdb.connect()
    try:
        con.register("t", table)
        names = table.column_names
        starts = con.execute(
            "SELECT "
            + ", ".join(f"count(*) FILTER (WHERE {_starts_like_number(names[j])})" for j in columns)
            + " FROM t"
        ).fetchall()[0]
        return [
            j
            for j, count in zip(columns, starts)
            if count
            and con.execute(
                f"SELECT count(*) FROM t WHERE {_starts_like_number(names[j])} "
                f"AND TRY_CAST({names[j]} AS DOUBLE) IS NOT NULL"
            ).fetchall()[0][0]
        ]
    finally:
        con.close()


def _numbers_in_full(table: Any, numbers: dict[int, Any]) -> Any:
    """Text columns with their number cells in full: ``numbers`` holds each column read as numbers, and
    where a cell's text is not that number itself the number is kept (a text cell like ``007`` stays)."""
    import pyarrow as pa  # noqa: PLC0415

    if not numbers:
        return table
    con = duckdb.connect()
    try:
        con.register("t", table.rename_columns([f"t{j}" for j in range(table.num_columns)]))
        con.register("n", pa.table({f"n{j}": column for j, column in numbers.items()}))
        for j in numbers:
            number = f"CAST(n{j} AS DOUBLE)"
            fixed = con.sql(
                f"SELECT CASE WHEN n{j} IS NOT NULL AND TRY_CAST(t{j} AS DOUBLE) IS DISTINCT FROM {number} "
                f"THEN {_number_text(number)} ELSE t{j} END AS v FROM t POSITIONAL JOIN n"
            ).to_arrow_table()
            table = table.set_column(j, table.schema.field(j), fixed.column(0))
        return table
    finally:
        con.close()


def _number_text(col: str) -> str:
    """SQL: a DOUBLE as openpyxl's path wrote it (whole numbers below 1e15 without '.0', else in full)."""
    return (
        f"CASE WHEN isfinite({col}) AND {col} = trunc({col}) AND abs({col}) < 1e15 "
        f"THEN CAST(CAST({col} AS BIGINT) AS VARCHAR) ELSE CAST({col} AS VARCHAR) END"
    )


def _cell_sql(col: str, arrow_type: Any, marked: bool) -> str:
    """SQL: one Arrow column's cells as CSV text (NULL for empty, which the CSV writes as nothing);
    ``marked``: the text column holds error markers, read as empty."""
    import pyarrow as pa  # noqa: PLC0415

    if pa.types.is_floating(arrow_type) or pa.types.is_integer(arrow_type):
        return _number_text(f"CAST({col} AS DOUBLE)")
    if pa.types.is_string(arrow_type) or pa.types.is_large_string(arrow_type):
        if not marked:
            return col
        markers = ", ".join(f"'{m}'" for m in sorted(conversion.EXCEL_ERRORS))
        return f"CASE WHEN trim({col}) IN ({markers}) THEN NULL ELSE {col} END"
    if pa.types.is_null(arrow_type):
        return "NULL"
    return f"CAST({col} AS VARCHAR)"


def _write(
    table: Any,
    errors: list[tuple[int, int, str]],
    header: list[str],
    at: int,
    col0: int,
    out: Path,
    conv: conversion.Conversion,
) -> tuple[int, int]:
    """Write the header and the non-blank rows to ``out``; (rows written, blank rows skipped)."""
    import pyarrow as pa  # noqa: PLC0415

    names = table.column_names  # x0, x1, ... (never header text)
    types = [table.schema.field(j).type for j in range(len(names))]
    strings = [j for j, t in enumerate(types) if pa.types.is_string(t) or pa.types.is_large_string(t)]
    con = duckdb.connect()
    try:
        con.register("t", table)
        markers = ", ".join(f"'{m}'" for m in sorted(conversion.EXCEL_ERRORS))
        marked = []  # text columns with a cell that is an error marker
        if strings:
            hits = con.execute(
                "SELECT "
                + ", ".join(
                    f"count(*) FILTER (WHERE {_starts_like_marker(names[j])} AND trim({names[j]}) IN ({markers}))"
                    for j in strings
                )
                + " FROM t"
            ).fetchall()[0]
            marked = [j for j, count in zip(strings, hits) if count]
        if marked:
            listed = ", ".join(names[j] for j in marked)
            hit = " OR ".join(f"({_starts_like_marker(names[j])} AND trim({names[j]}) IN ({markers}))" for j in marked)
            for row in con.execute(
                f"SELECT n, {listed} FROM (SELECT row_number() OVER () AS n, * FROM t) WHERE {hit} "
                f"ORDER BY n LIMIT {conversion.NOTE_LIMIT + 1}"
            ).fetchall():
                for j, value in zip(marked, row[1:]):
                    if value is not None and value.strip() in conversion.EXCEL_ERRORS:
                        errors = [*errors, (at + int(row[0]), col0 + j, value.strip())]
        cells = [_cell_sql(n, types[j], j in marked) for j, n in enumerate(names)]
        cells = ["NULL"] * col0 + cells + ["NULL"] * max(0, len(header) - col0 - len(cells))
        blank = (
            " AND ".join(
                f"coalesce(trim({n}), '') = ''" if j in strings else f"{n} IS NULL" for j, n in enumerate(names)
            )
            or "true"
        )
        for r, c, marker in sorted(errors):
            label = header[c][:40] if c < len(header) else ""
            conv.note(f"cell {conversion.column_letter(c)}{r + 1} ({label}) holds {marker}; read as empty")
        with out.open("w", newline="", encoding="utf-8") as handle:
            csv.writer(handle, lineterminator="\n").writerow(header)
        body = out.with_suffix(".body.csv")
        written = con.execute(
            f"COPY (SELECT {', '.join(cells)} FROM t WHERE NOT ({blank})) TO '{conversion.sql_path(body)}' "
            "(FORMAT csv, HEADER false)"
        ).fetchall()[0][0]
        skipped = table.num_rows - written
        with out.open("ab") as target, body.open("rb") as source:
            shutil.copyfileobj(source, target, 1024 * 1024)
        body.unlink()
    finally:
        con.close()
    return int(written), int(skipped)
