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
    c["racks_utf8_bom.csv"] = (
        b"\xef\xbb\xbf" + "Rack,Design Power (kW),Site\nA1,8,Zürich\nA2,9,Zürich\n".encode(),
        {"kind": "racks", "accepted": 2, "rejected": 0, "design_kw": [8, 9]},
    )
    c["racks_utf16.csv"] = (
        "Rack ID\tRated Power (W)\tHall\r\nA1\t8000\tSäal 1\r\nA2\t12500\tSäal 1\r\n".encode("utf-16"),
        {"kind": "racks", "accepted": 2, "rejected": 0, "design_kw": [8.0, 12.5]},
    )
    c["telemetry_latin1_degc.csv"] = (
        ("Zeitstempel;Rack;Leistung kW;Inlet Temp °C\n01.03.2026 10:00;A1;7,5;22,5\n01.03.2026 10:05;A1;7,6;22,7\n")
        .replace("Leistung kW", "power kW")
        .encode("latin-1"),
        {"kind": "telemetry", "accepted": 2, "rejected": 0, "power_kw": [7.5, 7.6], "inlet_temp_c": [22.5, 22.7]},
    )
    c["meter_semicolon_decimal_comma.csv"] = (
        b"Timestamp;IT Load (kW);Total Facility Power (kW)\r\n"
        b"2026-03-01 00:00;1.234,5;1.580,2\r\n2026-03-01 01:00;1.200,0;1.530,9\r\n",
        {"kind": "meter", "accepted": 2, "rejected": 0, "it_kw": [1234.5, 1200.0]},
    )
    c["telemetry_tab_mw_f.tsv"] = (
        (
            "time\track\tpower (MW)\tinlet (°F)\n"
            "2026-03-01T00:00:00Z\tB7\t0.0123\t77\n2026-03-01T00:01:00Z\tB7\t0.0125\t78.8\n"
        ).encode(),
        {"kind": "telemetry", "accepted": 2, "rejected": 0, "power_kw": [12.3, 12.5], "inlet_temp_c": [25.0, 26.0]},
    )
    c["telemetry_watts_gzip.csv"] = (
        gzip.compress(b"timestamp,rack_id,power_w\n2026-03-01 00:00:00,C1,9500\n2026-03-01 00:05:00,C1,9600\n"),
        {"kind": "telemetry", "accepted": 2, "rejected": 0, "power_kw": [9.5, 9.6]},
    )
    c["racks_us_spreadsheet.csv"] = (
        b'Cabinet,"Provisioned Power (kW)","Actual Load (kW)",GPU Count\r\nX1,"1,200",900,8\r\nX2,60,45,8\r\n',
        {"kind": "racks", "accepted": 2, "rejected": 0, "design_kw": [1200.0, 60.0]},
    )
    c["meter_us_dates.csv"] = (
        b"Date,IT kW,Facility kW\n03/13/2026 1:00 PM,100,140\n03/13/2026 2:00 PM,101,141\n",
        {"kind": "meter", "accepted": 2, "rejected": 0},
    )
    c["telemetry_epoch.csv"] = (
        b"ts,rack,kw\n1772323200,A1,5\n1772323260,A1,5.5\n",
        {"kind": "telemetry", "accepted": 2, "rejected": 0},
    )
    bad = [
        "rack_id,design_kw,measured_kw",
        "R01,10,5",
        "R02,-4,1",
        "R03,abc,1",
        ",12,3",
        "R05,12,-1",
        "R01,15,7",
        "R07,12",
        "R08,5000,1",
        "R09,10,5,extra,fields",
    ]
    c["racks_bad_rows.csv"] = (
        ("\n".join(bad) + "\n").encode(),
        {
            "kind": "racks",
            "accepted": 1,
            "rejected": 8,
            "messages": {
                2: "negative",
                3: "not a number",
                4: "rack_id is missing",
                5: "negative",
                6: "duplicate rack_id",
                7: "Expected Number of Columns",
                8: "implausibly large",
                9: "Expected Number of Columns",
            },
        },
    )
    tel = [
        "timestamp,rack_id,power_kw,inlet_temp_c",
        "2026-03-01 00:00,A1,5,22",
        "2026-03-01 00:05,A1,5,500",
        "not a time,A1,5,22",
        "2026-03-01 00:15,,5,22",
        "2026-03-01 00:20,A1,,22",
        "1850-01-01 00:00,A1,5,22",
        "2026-03-01 00:30,A1,5,",
    ]
    c["telemetry_bad_rows.csv"] = (
        ("\n".join(tel) + "\n").encode(),
        {
            "kind": "telemetry",
            "accepted": 2,
            "rejected": 5,
            "messages": {
                2: "impossible temperature",
                3: "timestamp not recognised",
                4: "rack_id is missing",
                5: "power_kw is missing",
                6: "out of range",
            },
        },
    )
    c["meter_pue_below_one.csv"] = (
        b"timestamp,it_kw,facility_kw\n2026-03-01 00:00,100,90\n2026-03-01 01:00,100,130\n",
        {"kind": "meter", "accepted": 1, "rejected": 1, "messages": {1: "PUE under 1"}},
    )
    c["injection.csv"] = (
        b"=cmd|' /C calc'!A0,rack_id,design_kw,site\n"
        b'x,"=HYPERLINK(""http://evil.example"",""click"")",10,@SUM(1+1)\n'
        b"y,+A1,12,-2+3\n",
        {"kind": "racks", "accepted": 2, "rejected": 0, "formula_values": True},
    )
    huge = "A" * (1024 * 1024)
    c["huge_field.csv"] = (
        f"rack_id,design_kw,site\nR1,10,{huge}\nR2,11,ok\n".encode(),
        {"kind": "racks", "accepted": 1, "rejected": 1, "messages": {1: "longer than"}},
    )
    c["quoted_newlines.csv"] = (
        b'rack_id,design_kw,cooling\nR1,10,"air\nwith note"\nR2,"12",air\n',
        {"kind": "racks", "accepted": 2, "rejected": 0},
    )
    c["blank_lines_first.csv"] = (
        b"\n\nrack_id,design_kw\nR1,10\n",
        {"kind": "racks", "accepted": 1, "rejected": 0},
    )
    c["header_only.csv"] = (b"rack_id,design_kw\n", {"unreadable": "no data rows"})
    c["empty.csv"] = (b"", {"unreadable": "empty"})
    c["whitespace_only.csv"] = (b"\n\r\n  \n", {"unreadable": "empty"})
    c["binary.csv"] = (bytes(rng.randrange(256) for _ in range(4096)), {"unreadable": "expected a CSV"})
    c["spreadsheet.xlsx.csv"] = (_xlsx(), {"unreadable": "xlsx"})
    c["unknown_columns.csv"] = (b"colour,size,flavour\nred,3,mint\n", {"unreadable": "no recognisable columns"})
    c["single_column.csv"] = (b"rack_id\nR1\n", {"unreadable": "one column"})
    c["racks_missing_design.csv"] = (b"rack_id,site\nR1,x\n", {"unreadable": "expected a CSV"})
    c["broken_gzip.csv.gz"] = (b"\x1f\x8b\x08\x00garbage", {"unreadable": "gzip"})
    gz_rows = gzip.compress(b"rack_id,design_kw\n" + b"".join(f"R{i},{i % 40 + 1}\n".encode() for i in range(60000)))
    # Past the 256 KB detection reads: the damage shows only when the whole stream is read.
    c["gzip_truncated.csv.gz"] = (gz_rows[: len(gz_rows) // 2], {"unreadable": "corrupt or truncated"})
    c["gzip_bad_crc.csv.gz"] = (gz_rows[:-8] + b"\0\0\0\0" + gz_rows[-4:], {"unreadable": "corrupt or truncated"})
    c["gzip_garbage_inside.csv.gz"] = (
        gz_rows[: len(gz_rows) // 2] + b"\0garbage" * 50 + gz_rows[len(gz_rows) // 2 :],
        {"unreadable": "corrupt or truncated"},
    )
    c["only_newlines.csv"] = (b"\n" * 5000, {"unreadable": "empty"})
    c["nul_bytes.csv"] = (b"rack_id,design_kw\nR1\x00\x00,10\n", {"unreadable": "binary"})
    c["header_repeated_mid_file.csv"] = (
        b"rack_id,design_kw\nR1,10\nrack_id,design_kw\nR2,11\n",
        {"kind": "racks", "accepted": 2, "rejected": 1, "messages": {2: "design_kw is not a number: 'design_kw'"}},
    )
    c["duplicate_column_names.csv"] = (
        b"rack_id,rack_id,design_kw,design_kw\nR1,X9,10,99\nR2,X8,11,98\n",
        {"kind": "racks", "accepted": 2, "rejected": 0, "design_kw": [10, 11]},
    )
    c["mixed_encodings.csv"] = (
        b"rack_id,design_kw,site\n"
        + "".join(f"R{i},10,Zürich Hall 1 (Hardstrasse) East Wing\n" for i in range(6000)).encode()
        + "R-latin,10,Zürich\n".encode("latin-1")
        + b"R-last,11,x\n",
        {"kind": "racks", "accepted": 6001, "rejected": 1, "messages": {6001: "not utf-8"}},
    )
    c.update(format_cases())
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
            buf.append(
                f"2026-{month:02d}-{day:02d} {hour:02d}:{minute:02d}:00,R{rack:04d},{p:.2f},"
                f"{20 + rng.random() * 6:.1f},{32 + rng.random() * 8:.1f}\n"
            )
            if len(buf) >= 50000:
                handle.write("".join(buf))
                buf.clear()
        handle.write("".join(buf))
    return path


# --- the formats that are converted to CSV (factorycore.userdata.formats) ---------------


def _cell_xml(ref: str, value: Any) -> str:
    """One sheet cell: numbers as <v>, ('=', formula, cached) as a formula with its cached value,
    ('#', code) as an error cell, text as an inline string."""
    from xml.sax.saxutils import escape

    if value is None:
        return ""
    if isinstance(value, tuple) and value[0] == "=":
        return f'<c r="{ref}"><f>{escape(value[1])}</f><v>{value[2]}</v></c>'
    if isinstance(value, tuple) and value[0] == "#":
        return f'<c r="{ref}" t="e"><v>{escape(value[1])}</v></c>'
    if isinstance(value, (int, float)):
        return f'<c r="{ref}"><v>{value!r}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t>{escape(str(value))}</t></is></c>'


def _col(i: int) -> str:
    letters = ""
    i += 1
    while i:
        i, rem = divmod(i - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def sheet_xml_rows(rows: Any) -> Any:
    """Sheet XML row elements, one string per row (a generator: large sheets stream)."""
    for r, row in enumerate(rows, start=1):
        yield f'<row r="{r}">' + "".join(_cell_xml(f"{_col(c)}{r}", v) for c, v in enumerate(row)) + "</row>"


def workbook(
    sheets: dict[str, Any], merged: dict[str, list[str]] | None = None, path: Path | None = None, macro: bool = False
) -> bytes:
    """A real .xlsx (or .xlsm) written as its XML parts, so formulas keep cached values and
    error cells stay errors (openpyxl writes neither). ``sheets``: name -> iterable of rows."""
    merged = merged or {}
    target: Any = path.open("wb") if path else io.BytesIO()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as z:
        main = (
            "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
            if macro
            else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
        )
        overrides = "".join(
            f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/vnd.openxmlformats-'
            f'officedocument.spreadsheetml.worksheet+xml"/>'
            for i in range(1, len(sheets) + 1)
        )
        z.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{main}"/>{overrides}</Types>',
        )
        z.writestr(
            "_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        names = list(sheets)
        z.writestr(
            "xl/workbook.xml",
            '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/'
            'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships"><sheets>'
            + "".join(f'<sheet name="{n}" sheetId="{i}" r:id="rId{i}"/>' for i, n in enumerate(names, start=1))
            + "</sheets></workbook>",
        )
        z.writestr(
            "xl/_rels/workbook.xml.rels",
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            'package/2006/relationships">'
            + "".join(
                f'<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                f'relationships/worksheet" Target="worksheets/sheet{i}.xml"/>'
                for i in range(1, len(names) + 1)
            )
            + "</Relationships>",
        )
        for i, name in enumerate(names, start=1):
            with z.open(f"xl/worksheets/sheet{i}.xml", "w", force_zip64=True) as handle:
                handle.write(
                    b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.'
                    b'openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
                )
                chunk: list[str] = []
                for row in sheet_xml_rows(sheets[name]):
                    chunk.append(row)
                    if len(chunk) >= 10000:
                        handle.write("".join(chunk).encode())
                        chunk.clear()
                handle.write("".join(chunk).encode())
                handle.write(b"</sheetData>")
                if merged.get(name):
                    refs = "".join(f'<mergeCell ref="{m}"/>' for m in merged[name])
                    handle.write(f'<mergeCells count="{len(merged[name])}">{refs}</mergeCells>'.encode())
                handle.write(b"</worksheet>")
    if path:
        target.close()
        return b""
    return target.getvalue()


def dcgm_scrape(samples: list[tuple[str, int, float | str, int | None]], extra_labels: str = "") -> bytes:
    """A DCGM exporter text scrape: (Hostname, gpu index, W or 'NaN', ms timestamp or None) per line,
    labelled as NVIDIA/dcgm-exporter's render_metrics.go renders them."""
    lines = ["# HELP DCGM_FI_DEV_POWER_USAGE Power draw (in W).", "# TYPE DCGM_FI_DEV_POWER_USAGE gauge"]
    for host, gpu, watts, ts in samples:
        lines.append(
            f'DCGM_FI_DEV_POWER_USAGE{{gpu="{gpu}",UUID="GPU-{host}-{gpu}",device="nvidia{gpu}",'
            f'modelName="NVIDIA H100 80GB HBM3",Hostname="{host}"{extra_labels}}} {watts}'
            + (f" {ts}" if ts is not None else "")
        )
    lines.append('DCGM_FI_DEV_GPU_TEMP{gpu="0",UUID="GPU-x",Hostname="n1"} 41')
    return ("\n".join(lines) + "\n").encode()


def format_cases() -> dict[str, tuple[bytes, dict[str, Any]]]:
    """Workbooks, Parquet and DCGM exports, real-world and hostile, with what ingesting each must give."""
    import json

    c: dict[str, tuple[bytes, dict[str, Any]]] = {}
    # Title merged across the top, header on row 3, a formula with its cached value, an error cell.
    c["inventory_title_rows.xlsx"] = (
        workbook(
            {
                "Racks": [
                    ["Rack inventory, hall B (exported 2026-03-01)"],
                    [],
                    ["Site", "Hall", "Rack", "Design power (kW)", "Measured power (kW)"],
                    ["S", "B", "B01", 10, 6.5],
                    ["S", "B", "B02", ("=", "D4*2", 20), 12],
                    ["S", "B", "B03", ("#", "#DIV/0!"), 5],
                    ["S", "B", "B04", 40, ("#", "#N/A")],
                ],
                "Notes": [["nothing here"]],
            },
            merged={"Racks": ["A1:E1"]},
        ),
        {
            "kind": "racks",
            "accepted": 3,
            "rejected": 1,
            "design_kw": [10, 20, 40],
            "messages": {3: "design_kw is missing"},
        },
    )
    # Header cells merged down over two rows (Rack spans rows 1-2; Power (kW) spans the two power columns).
    c["inventory_merged_header.xlsx"] = (
        workbook(
            {
                "Sheet1": [
                    ["Rack", "Power (kW)", None, "Hall"],
                    [None, "Design", "Measured", None],
                    ["A1", 12, 9, "H1"],
                    ["A2", 15, 14, "H1"],
                ]
            },
            merged={"Sheet1": ["A1:A2", "B1:C1", "D1:D2"]},
        ),
        {"kind": "racks", "accepted": 2, "rejected": 0, "design_kw": [12, 15], "measured_kw": [9, 14]},
    )
    # Mixed units: W in one column, kW in the other, and a value typed with its unit.
    c["inventory_mixed_units.xlsm"] = (
        workbook(
            {"Inv": [["rack_id", "Design (W)", "Measured (kW)"], ["M1", 8000, 6.1], ["M2", "9 kW", 7]]}, macro=True
        ),
        {"kind": "racks", "accepted": 1, "rejected": 1, "design_kw": [8.0], "messages": {2: "not a number"}},
    )
    c["inventory_encrypted.xlsx"] = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\0" * 504
        + "EncryptedInfo".encode("utf-16-le")
        + "EncryptedPackage".encode("utf-16-le")
        + b"\0" * 2048,
        {"unreadable": "encrypted"},
    )
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", b"<worksheet><sheetData>" + b" " * (40 * 1024**2))
    c["zip_bomb.xlsx"] = (bomb.getvalue(), {"unreadable": "zip bomb"})
    c["not_a_workbook.xlsx"] = (b"PK\x03\x04" + b"\0" * 100, {"unreadable": "not a readable one"})
    c["workbook_no_header.xlsx"] = (workbook({"S": [["hello", "world"], [1, 2]]}), {"unreadable": "no header row"})
    c["inventory_large.xlsx"] = (
        workbook(
            {
                "Big": (
                    [["rack_id", "design_kw", "measured_kw", "hall"]]
                    + [[f"R{i:06d}", 10 + i % 30, 5 + i % 20, f"H{i % 4}"] for i in range(50_000)]
                )
            }
        ),
        {"kind": "racks", "accepted": 50_000, "rejected": 0},
    )
    # DCGM scrapes: NaN (Prometheus' stale / missing), +Inf, no timestamps, HTML in a label value.
    t0 = 1_772_323_200_000
    c["dcgm_scrape.prom"] = (
        dcgm_scrape(
            [("gpu-node-01", g, 500 + g, t0) for g in range(8)]
            + [("gpu-node-02", g, 400, t0) for g in range(8)]
            + [("gpu-node-01", g, 600, t0 + 15000) for g in range(8)]
        ),
        # One row per physical GPU and time (a rack's power is the sum of its sources).
        {
            "kind": "telemetry",
            "accepted": 24,
            "rejected": 0,
            "power_kw": [0.5 + g / 1000 for g in range(8)] + [0.4] * 8 + [0.6] * 8,
        },
    )
    c["dcgm_nan_and_stale.prom"] = (
        dcgm_scrape(
            [
                ("n1", 0, "NaN", t0),
                ("n1", 1, 300, t0),
                ("n1", 0, "+Inf", t0 + 15000),
                ("n1", 1, 310, t0 + 15000),
                ("n2", 0, "NaN", t0),
            ]
        ),
        {"kind": "telemetry", "accepted": 2, "rejected": 0, "power_kw": [0.3, 0.31]},
    )
    c["dcgm_html_labels.prom"] = (
        dcgm_scrape([("<img src=x onerror=alert(1)>", 0, 250, t0), ("<b>n2</b>", 0, 100, t0)]),
        {"kind": "telemetry", "accepted": 2, "rejected": 0, "rack_id": ["<b>n2</b>", "<img src=x onerror=alert(1)>"]},
    )
    c["dcgm_no_power.prom"] = (
        b'# HELP DCGM_FI_DEV_GPU_TEMP t\nDCGM_FI_DEV_GPU_TEMP{gpu="0"} 40\n',
        {"unreadable": "no DCGM_FI_DEV_POWER_USAGE samples"},
    )
    series = [
        {
            "metric": {
                "__name__": "DCGM_FI_DEV_POWER_USAGE",
                "Hostname": f"n{h}",
                "gpu": str(g),
                "UUID": f"G{h}{g}",
                "rack": f"R{h // 2}",
            },
            "values": [
                [1_772_323_200 + 15 * k, "NaN" if (h, g, k) == (0, 0, 1) else str(100.0 * (g + 1))] for k in range(4)
            ],
        }
        for h in range(4)
        for g in range(2)
    ]
    c["dcgm_query_range.json"] = (
        json.dumps({"status": "success", "data": {"resultType": "matrix", "result": series}}).encode(),
        {"kind": "telemetry", "accepted": 31, "rejected": 0},  # 4 hosts x 2 GPUs x 4 steps, one NaN left out
    )
    c["dcgm_query_error.json"] = (
        b'{"status":"error","errorType":"bad_data","error":"parse error","data":{"resultType":"matrix","result":[]}}',
        {"unreadable": "no DCGM_FI_DEV_POWER_USAGE samples"},
    )
    c["netbox_devices.csv"] = (
        b"Name,Status,Site,Location,Rack,Device Type,Maximum draw,Allocated draw\n"
        b"gpu-node-01,Active,DC1,Hall B,B01,DGX H100,10200,8400\ngpu-node-02,Active,DC1,Hall B,B01,DGX H100,10200,\n",
        # The host-to-rack map: a device without an allocated draw is still a device in its rack.
        {"kind": "devices", "accepted": 2, "rejected": 0},
    )
    c["truncated.parquet"] = (b"PAR1" + b"\x15\x04" * 64, {"unreadable": "Parquet file cannot be read"})
    c["netbox_power_feeds.csv"] = (
        b"Name,Power panel,Rack,Status,Type,Supply,Voltage,Amperage,Phase,Max utilization,Available power (VA)\n"
        b"B01-A,PP1,B01,Active,Primary,AC,415,32,Three-phase,80%,18402\n"
        b"B01-B,PP2,B01,Active,Redundant,AC,415,32,Three-phase,80%,18402\n"
        b"B02-A,PP1,B02,Active,Primary,AC,230,16,Single phase,80%,-1\n",
        {
            "kind": "power_feeds",
            "accepted": 2,
            "rejected": 1,
            "available_kw": [18.402, 18.402],
            "messages": {3: "available_kw is negative"},
        },
    )
    return c
