"""Hostile inputs for the bounds tests, built small on disk, and a peak-memory probe."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ZEROS = b"\0" * (1024 * 1024)


def bomb_template(path: Path, image_mb: int, *, layout: int = 0) -> Path:
    """python-pptx's default template with one layout related to a zero-filled ``image_mb`` MB picture part."""
    from pptx import Presentation

    plain = path.with_suffix(".plain.pptx")
    Presentation().save(plain)
    rels = f"ppt/slideLayouts/_rels/slideLayout{layout + 1}.xml.rels"
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "[Content_Types].xml" and b'Extension="png"' not in data:
                data = data.replace(b"<Default ", b'<Default Extension="png" ContentType="image/png"/><Default ', 1)
            if item.filename == rels:
                data = data.replace(
                    b"</Relationships>",
                    b'<Relationship Id="rIdBomb" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                    b'relationships/image" Target="../media/bomb.png"/></Relationships>',
                )
            dst.writestr(item, data)
        info = zipfile.ZipInfo("ppt/media/bomb.png")
        info.compress_type = zipfile.ZIP_DEFLATED
        with dst.open(info, "w", force_zip64=True) as out:
            out.write(b"\x89PNG\r\n\x1a\n")
            for _ in range(image_mb):
                out.write(ZEROS)
    plain.unlink()
    return path


def bomb_workbook(path: Path, shared_mb: int) -> Path:
    """A real 10-row workbook (openpyxl) whose shared strings part is padded to ``shared_mb`` MB of
    unused strings: small on disk (deflate), large when read."""
    import openpyxl

    plain = path.with_suffix(".plain.xlsx")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["rack_id", "power_kw"])
    for i in range(10):
        sheet.append([f"R{i:02d}", 5.0 + i])
    book.save(plain)
    # Each string: a random head and a run of one letter, so the part compresses about 16-fold,
    # like a real string table (far under the 200-fold ratio a zip-bomb check looks for).
    filler_len = len(b"<si><t>" + b"A" * 1000 + b"</t></si>")
    count = shared_mb * 1024 * 1024 // filler_len
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/sharedStrings.xml":
                continue
            if item.filename == "[Content_Types].xml" and b"sharedStrings" not in data:
                data = data.replace(
                    b"</Types>",
                    b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
                    b'officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
                )
            if item.filename == "xl/_rels/workbook.xml.rels" and b"sharedStrings" not in data:
                data = data.replace(
                    b"</Relationships>",
                    b'<Relationship Id="rIdSst" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                    b'relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
                )
            dst.writestr(item, data)
        info = zipfile.ZipInfo("xl/sharedStrings.xml")
        info.compress_type = zipfile.ZIP_DEFLATED
        with dst.open(info, "w", force_zip64=True) as out:
            out.write(
                b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/'
                b'spreadsheetml/2006/main">'
            )
            for _ in range(count):
                out.write(b"<si><t>" + os.urandom(24).hex().encode() + b"A" * 952 + b"</t></si>")
            out.write(b"</sst>")
    plain.unlink()
    return path


def peak_rss(code: str, *, timeout_s: float = 300) -> dict:
    """Run ``code`` in a fresh interpreter from the repository root; it sets ``result`` (JSON-able).

    Returns ``{"result": ..., "error": "...", "peak_mb": VmHWM, "base_mb": VmHWM before the code}``:
    the peak resident memory as the kernel counts it (/proc/self/status), no psutil needed.
    """
    wrapper = f"""
import json, sys
def _hwm():
    for line in open('/proc/self/status'):
        if line.startswith('VmHWM:'):
            return int(line.split()[1]) / 1024
import factorycore.export.deck, factorycore.userdata.formats, factorycore.userdata.prometheus  # loaded before the base
base = _hwm()
result, error = None, None
try:
{chr(10).join("    " + line for line in code.strip().splitlines())}
except Exception as exc:
    error = type(exc).__name__ + ': ' + str(exc)
print(json.dumps({{"result": result, "error": error, "peak_mb": _hwm(), "base_mb": base}}))
"""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", wrapper], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout_s
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])
