"""Detection on its own: headers, units, encodings, delimiters, decimal marks, kinds."""

from __future__ import annotations

import codecs
import gzip
from pathlib import Path

import pytest

from factorycore.userdata import detect
from factorycore.userdata.detect import UnreadableFile, normalise_header, sniff


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("Design Power (kW)", ("design_power", "kW")),
        ("power_w", ("power", "W")),
        ("Inlet Temp °F", ("inlet_temp", "°F")),
        ("inlet temp deg c", ("inlet_temp", "°C")),
        ("Watts", ("watts", "W")),
        ("\ufeffrack_id", ("rack_id", None)),
        ("GPU #", ("gpu_number", None)),
        ("Utilisation %", ("utilisation_pct", None)),
    ],
)
def test_normalise_header(header: str, expected: tuple[str, str | None]) -> None:
    assert normalise_header(header) == expected


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_a_racks_file_is_detected_with_units(tmp_path: Path) -> None:
    det = sniff(_write(tmp_path, "r.csv", b"Rack,Rated Power (W),Measured (kW)\nA,5000,3\n"))
    assert (det.kind, det.confident, det.delimiter, det.encoding) == ("racks", True, ",", "utf-8")
    assert det.mapping_by_header() == {
        "rack_id": "Rack",
        "design_kw": "Rated Power (W)",
        "measured_kw": "Measured (kW)",
    }
    assert det.units == {"rack_id": "", "design_kw": "W", "measured_kw": "kW"}


def test_semicolons_and_decimal_commas(tmp_path: Path) -> None:
    det = sniff(_write(tmp_path, "m.csv", b"Zeitstempel;IT;Facility\n01.02.2026 10:00;1,5;2,25\n"))
    assert (det.kind, det.delimiter, det.decimal_comma) == ("meter", ";", True)


def test_utf16_with_bom_and_latin1(tmp_path: Path) -> None:
    text = "rack_id\tdesign_kw\tsite\nR1\t10\tMünchen\n"
    utf16 = sniff(_write(tmp_path, "u.csv", codecs.BOM_UTF16_LE + text.encode("utf-16-le")))
    latin = sniff(_write(tmp_path, "l.csv", text.encode("latin-1")))
    assert (utf16.encoding, utf16.delimiter, utf16.kind) == ("utf-16", "\t", "racks")
    assert latin.encoding == "latin-1"


def test_gzip_is_read_through(tmp_path: Path) -> None:
    det = sniff(_write(tmp_path, "t.csv.gz", gzip.compress(b"timestamp,rack_id,power_kw\n2026-01-01,R1,5\n")))
    assert (det.compression, det.kind) == ("gzip", "telemetry")


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"PK\x03\x04rest-of-a-zip", "ZIP archive"),
        (b"%PDF-1.7 ...", "PDF document"),
        (b"", "empty"),
        (b"just one column\nvalue\n", "only one column"),
        (b"alpha,beta\n1,2\n", "no recognisable columns"),
    ],
)
def test_unreadable_files_say_what_was_expected(tmp_path: Path, data: bytes, words: str) -> None:
    with pytest.raises(UnreadableFile) as raised:
        sniff(_write(tmp_path, "bad.csv", data))
    assert words in str(raised.value) and detect.EXPECTED in str(raised.value)


def test_incomplete_headers_are_not_confident(tmp_path: Path) -> None:
    det = sniff(_write(tmp_path, "p.csv", b"timestamp,rack_id,notes\n2026-01-01,R1,x\n"), allow_unknown=True)
    assert det.kind == "telemetry" and not det.confident and det.missing == ["power_kw"]


def test_a_unit_that_does_not_fit_a_field_is_not_mapped(tmp_path: Path) -> None:
    # A temperature header must never be taken as a power column, whatever its name.
    det = sniff(_write(tmp_path, "x.csv", b"rack_id,power (C),design_kw\nR1,20,5\n"))
    assert "measured_kw" not in det.mapping


def test_an_unknown_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown kind 'pdus'"):
        sniff(Path("whatever.csv"), "pdus")


def test_a_kind_reading_every_column_another_reads_and_more_is_confident(tmp_path: Path) -> None:
    """FASRC's IPMI log: devices could read Host and Rack, telemetry reads those and the time and power."""
    path = tmp_path / "ipmi.csv"
    path.write_text("Timestamp,Rack,Host,Sys Power (Watts)\n2025-06-03 00:00:01,holy7c18,holy7c1801,340\n")
    det = sniff(path)
    assert (det.kind, det.confident) == ("telemetry", True)
