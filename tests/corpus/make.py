"""Write the corpus of real-world and hostile facility CSVs into a directory.

Each case is ``name -> (bytes, expectation)``. Expectations: ``kind`` the detected
kind, ``accepted``/``rejected`` row counts, or ``unreadable`` (a substring of the
one-line message). Files are generated rather than committed so encodings, BOMs and
binary content survive any editor or git setting untouched.
"""

from __future__ import annotations

import gzip
import io
import random
import zipfile
from pathlib import Path
from typing import Any

RACKS = "rack_id,design_kw,measured_kw\r\nR01,10,6.5\r\nR02,12,8\r\nR03,40,31.5\r\n"


def _xlsx() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", "<worksheet><sheetData/></worksheet>")
    return buf.getvalue()


def cases() -> dict[str, tuple[bytes, dict[str, Any]]]:
    """Every corpus file with what ingesting it must give."""
    rng = random.Random(7)
    c: dict[str, tuple[bytes, dict[str, Any]]] = {}
    c["racks_plain.csv"] = (RACKS.encode(), {"kind": "racks", "accepted": 3, "rejected": 0})
    c["racks_utf8_bom.csv"] = (b"\xef\xbb\xbf" + "Rack,Design Power (kW),Site\nA1,8,Zürich\nA2,9,Zürich\n".encode(),
                               {"kind": "racks", "accepted": 2, "rejected": 0, "design_kw": [8, 9]})
    c["racks_utf16.csv"] = ("Rack ID\tRated Power (W)\tHall\r\nA1\t8000\tSäal 1\r\nA2\t12500\tSäal 1\r\n".encode("utf-16"),
                            {"kind": "racks", "accepted": 2, "rejected": 0, "design_kw": [8.0, 12.5]})
    c["telemetry_latin1_degc.csv"] = (
        "Zeitstempel;Rack;Leistung kW;Inlet Temp °C\n01.03.2026 10:00;A1;7,5;22,5\n01.03.2026 10:05;A1;7,6;22,7\n"
        .replace("Leistung kW", "power kW").encode("latin-1"),
        {"kind": "telemetry", "accepted": 2, "rejected": 0, "power_kw": [7.5, 7.6], "inlet_temp_c": [22.5, 22.7]})
    c["meter_semicolon_decimal_comma.csv"] = (
        "Timestamp;IT Load (kW);Total Facility Power (kW)\r\n2026-03-01 00:00;1.234,5;1.580,2\r\n2026-03-01 01:00;1.200,0;1.530,9\r\n".encode(),
        {"kind": "meter", "accepted": 2, "rejected": 0, "it_kw": [1234.5, 1200.0]})
    c["telemetry_tab_mw_f.tsv"] = (
        "time\track\tpower (MW)\tinlet (°F)\n2026-03-01T00:00:00Z\tB7\t0.0123\t77\n2026-03-01T00:01:00Z\tB7\t0.0125\t78.8\n".encode(),
        {"kind": "telemetry", "accepted": 2, "rejected": 0, "power_kw": [12.3, 12.5], "inlet_temp_c": [25.0, 26.0]})
    c["telemetry_watts_gzip.csv"] = (
        gzip.compress("timestamp,rack_id,power_w\n2026-03-01 00:00:00,C1,9500\n2026-03-01 00:05:00,C1,9600\n".encode()),
        {"kind": "telemetry", "accepted": 2, "rejected": 0, "power_kw": [9.5, 9.6]})
    c["racks_us_spreadsheet.csv"] = (
        'Cabinet,"Provisioned Power (kW)","Actual Load (kW)",GPU Count\r\nX1,"1,200",900,8\r\nX2,60,45,8\r\n'.encode(),
        {"kind": "racks", "accepted": 2, "rejected": 0, "design_kw": [1200.0, 60.0]})
    c["meter_us_dates.csv"] = (
        "Date,IT kW,Facility kW\n03/13/2026 1:00 PM,100,140\n03/13/2026 2:00 PM,101,141\n".encode(),
        {"kind": "meter", "accepted": 2, "rejected": 0})
    c["telemetry_epoch.csv"] = (
        "ts,rack,kw\n1772323200,A1,5\n1772323260,A1,5.5\n".encode(),
        {"kind": "telemetry", "accepted": 2, "rejected": 0})
    bad = ["rack_id,design_kw,measured_kw", "R01,10,5", "R02,-4,1", "R03,abc,1", ",12,3", "R05,12,-1",
           "R01,15,7", "R07,12", "R08,5000,1", "R09,10,5,extra,fields"]
    c["racks_bad_rows.csv"] = ("\n".join(bad) + "\n").encode(), {
        "kind": "racks", "accepted": 1, "rejected": 8,
        "messages": {2: "negative", 3: "not a number", 4: "rack_id is missing", 5: "negative",
                     6: "duplicate rack_id", 7: "Expected Number of Columns", 8: "implausibly large", 9: "Expected Number of Columns"}}
    tel = ["timestamp,rack_id,power_kw,inlet_temp_c", "2026-03-01 00:00,A1,5,22", "2026-03-01 00:05,A1,5,500",
           "not a time,A1,5,22", "2026-03-01 00:15,,5,22", "2026-03-01 00:20,A1,,22", "1850-01-01 00:00,A1,5,22",
           "2026-03-01 00:30,A1,5,"]
    c["telemetry_bad_rows.csv"] = ("\n".join(tel) + "\n").encode(), {
        "kind": "telemetry", "accepted": 2, "rejected": 5,
        "messages": {2: "impossible temperature", 3: "timestamp not recognised", 4: "rack_id is missing",
                     5: "power_kw is missing", 6: "out of range"}}
    c["meter_pue_below_one.csv"] = ("timestamp,it_kw,facility_kw\n2026-03-01 00:00,100,90\n2026-03-01 01:00,100,130\n".encode(),
                                    {"kind": "meter", "accepted": 1, "rejected": 1, "messages": {1: "PUE under 1"}})
    c["injection.csv"] = (
        "=cmd|' /C calc'!A0,rack_id,design_kw,site\n"
        "x,\"=HYPERLINK(\"\"http://evil.example\"\",\"\"click\"\")\",10,@SUM(1+1)\n"
        "y,+A1,12,-2+3\n".encode(),
        {"kind": "racks", "accepted": 2, "rejected": 0, "formula_values": True})
    huge = "A" * (1024 * 1024)
    c["huge_field.csv"] = (f"rack_id,design_kw,site\nR1,10,{huge}\nR2,11,ok\n".encode(),
                           {"kind": "racks", "accepted": 1, "rejected": 1, "messages": {1: "longer than"}})
    c["quoted_newlines.csv"] = ('rack_id,design_kw,cooling\nR1,10,"air\nwith note"\nR2,"12",air\n'.encode(),
                                {"kind": "racks", "accepted": 2, "rejected": 0})
    c["blank_lines_first.csv"] = ("\n\nrack_id,design_kw\nR1,10\n".encode(), {"kind": "racks", "accepted": 1, "rejected": 0})
    c["header_only.csv"] = (b"rack_id,design_kw\n", {"unreadable": "no data rows"})
    c["empty.csv"] = (b"", {"unreadable": "empty"})
    c["whitespace_only.csv"] = (b"\n\r\n  \n", {"unreadable": "empty"})
    c["binary.csv"] = (bytes(rng.randrange(256) for _ in range(4096)), {"unreadable": "expected a CSV"})
    c["spreadsheet.xlsx.csv"] = (_xlsx(), {"unreadable": "xlsx"})
    c["unknown_columns.csv"] = (b"name,colour,size\nfoo,red,3\n", {"unreadable": "no recognisable columns"})
    c["single_column.csv"] = (b"rack_id\nR1\n", {"unreadable": "one column"})
    c["racks_missing_design.csv"] = (b"rack_id,site\nR1,x\n", {"unreadable": "expected a CSV"})
    c["broken_gzip.csv.gz"] = (b"\x1f\x8b\x08\x00garbage", {"unreadable": "gzip"})
    gz_rows = gzip.compress(b"rack_id,design_kw\n" + b"".join(f"R{i},{i % 40 + 1}\n".encode() for i in range(60000)))
    # Past the 256 KB detection reads: the damage shows only when the whole stream is read.
    c["gzip_truncated.csv.gz"] = (gz_rows[: len(gz_rows) // 2], {"unreadable": "corrupt or truncated"})
    c["gzip_bad_crc.csv.gz"] = (gz_rows[:-8] + b"\0\0\0\0" + gz_rows[-4:], {"unreadable": "corrupt or truncated"})
    c["gzip_garbage_inside.csv.gz"] = (gz_rows[: len(gz_rows) // 2] + b"\0garbage" * 50 + gz_rows[len(gz_rows) // 2:],
                                       {"unreadable": "corrupt or truncated"})
    c["only_newlines.csv"] = (b"\n" * 5000, {"unreadable": "empty"})
    c["nul_bytes.csv"] = (b"rack_id,design_kw\nR1\x00\x00,10\n", {"unreadable": "binary"})
    c["header_repeated_mid_file.csv"] = (b"rack_id,design_kw\nR1,10\nrack_id,design_kw\nR2,11\n",
                                         {"kind": "racks", "accepted": 2, "rejected": 1,
                                          "messages": {2: "design_kw is not a number: 'design_kw'"}})
    c["duplicate_column_names.csv"] = (b"rack_id,rack_id,design_kw,design_kw\nR1,X9,10,99\nR2,X8,11,98\n",
                                       {"kind": "racks", "accepted": 2, "rejected": 0, "design_kw": [10, 11]})
    c["mixed_encodings.csv"] = (
        "rack_id,design_kw,site\n".encode() + "".join(f"R{i},10,Zürich Hall 1 (Hardstrasse) East Wing\n" for i in range(6000)).encode()
        + "R-latin,10,Zürich\n".encode("latin-1") + b"R-last,11,x\n",
        {"kind": "racks", "accepted": 6001, "rejected": 1, "messages": {6001: "not utf-8"}})
    return c


def write(directory: Path) -> dict[str, tuple[Path, dict[str, Any]]]:
    """Write every case into ``directory``; return name -> (path, expectation)."""
    directory.mkdir(parents=True, exist_ok=True)
    out = {}
    for name, (content, expect) in cases().items():
        path = directory / name
        path.write_bytes(content)
        out[name] = (path, expect)
    return out


def telemetry_csv(path: Path, rows: int, racks: int = 200, seed: int = 1) -> Path:
    """A large, clean telemetry CSV (about 40 bytes per row) written in streaming chunks."""
    rng = random.Random(seed)
    per_step = racks
    with path.open("w", newline="") as handle:
        handle.write("timestamp,rack_id,power_kw,inlet_temp_c,outlet_temp_c\n")
        buf = []
        for i in range(rows):
            step, rack = divmod(i, per_step)
            minute = step % 60
            hour = (step // 60) % 24
            day = 1 + (step // 1440) % 28
            month = 1 + (step // 40320) % 12
            p = 5 + (rack % 50) * 1.7 + rng.random()
            buf.append(f"2026-{month:02d}-{day:02d} {hour:02d}:{minute:02d}:00,R{rack:04d},{p:.2f},{20 + rng.random() * 6:.1f},{32 + rng.random() * 8:.1f}\n")
            if len(buf) >= 50000:
                handle.write("".join(buf))
                buf.clear()
        handle.write("".join(buf))
    return path
