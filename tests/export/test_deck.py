"""The PowerPoint deck: slides, native charts holding the figure's numbers, notes, templates, user text.

Decks are opened again with python-pptx (what PowerPoint would read) and, in the slow
tests, drawn by LibreOffice (soffice -> PDF -> pdftoppm PNG) to prove they open and draw.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import pytest
from lxml import etree
from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE
from pptx.enum.shapes import MSO_SHAPE_TYPE, PP_PLACEHOLDER

from factorycore import provenance, reference
from factorycore.cli import main
from factorycore.export import deck, pptx_charts, report
from factorycore.views import ARTICLE_VIEW_IDS, article_view
from tests.browser_util import assert_deck_draws_every_chart

EXPECTED_KINDS = {
    "rack_density": ["XY"],  # lines, markers and labelled points on one XY scatter
    "power_distribution": ["COLUMN_CLUSTERED"],
    "stack": [],  # treemap: a picture
    "maturity": [],  # heatmap: a picture
    "electricity": ["XY", "XY"],  # two panels, US and world
}
HOSTILE = "Hall <b>A</b> & \"B\" ]]> \x00\x1b\x07\ufffe 'x' <script>alert(1)</script> 🚀 مرحبا"
HOSTILE_CLEAN = pptx_charts.xml_safe(HOSTILE)
RACKS_CSV = "rack_id,design_kw,measured_kw\nR-1,12,9.5\nR-2,40,31\nR-3,120,96\n"


def _open(data: bytes):
    return Presentation(io.BytesIO(data))


def _title(slide) -> str:
    return slide.shapes.title.text if slide.shapes.title is not None else ""


def _charts(slide) -> list:
    return [shape.chart for shape in slide.shapes if shape.has_chart]


def _kind(chart) -> str:
    """The chart type; any XY scatter variant is "XY" (python-pptx names a mixed one by its series' lines)."""
    name = chart.chart_type.name
    return "XY" if name.startswith("XY_") else name


def _pictures(slide) -> list:
    return [shape for shape in slide.shapes if shape.shape_type == MSO_SHAPE_TYPE.PICTURE]


def _texts(slide) -> str:
    parts = [shape.text_frame.text for shape in slide.shapes if shape.has_text_frame]
    for shape in slide.shapes:
        if shape.has_table:
            parts += [cell.text for row in shape.table.rows for cell in row.cells]
    return "\n".join(parts)


def _notes(slide) -> str:
    return slide.notes_slide.notes_text_frame.text if slide.has_notes_slide else ""


def _xy(series) -> tuple[list[float], list[float]]:
    """The series' (x, y) points; blank rows (the padding LibreOffice needs, see pptx_charts) left out."""
    points = series._element.xpath("./c:xVal/c:numRef/c:numCache/c:pt")
    xs = [float(p.xpath("./c:v")[0].text) for p in points]
    return xs, [float(v) for v in series.values if v is not None]


def _trace_points(trace) -> tuple[list[float], list[float]]:
    pairs = [(float(x), float(y)) for x, y in zip(trace.x, trace.y) if x is not None and y is not None]
    return [x for x, _ in pairs], [y for _, y in pairs]


@pytest.fixture(scope="module")
def sections(ref_con) -> list[report.ReportSection]:
    return report.build_report(ref_con, include_headlines=True)


@pytest.fixture(scope="module")
def default_deck(sections, chromium) -> bytes:
    return deck.deck_bytes(sections)


@pytest.fixture(scope="module")
def slides_by_title(default_deck) -> dict[str, object]:
    return {_title(slide): slide for slide in _open(default_deck).slides}


# --------------------------------------------------------------------------- the default deck


def test_default_deck_has_title_key_figures_a_slide_per_chart_and_sources(default_deck, sections) -> None:
    titles = [_title(s) for s in _open(default_deck).slides]
    chart_titles = [s.title for s in sections if s.figures]
    assert titles[0] == report.REPORT_TITLE
    assert titles[1].startswith("Key figures")
    assert [t for t in titles if t in chart_titles] == chart_titles, "one slide per chart, in report order"
    source_pages = [t for t in titles if t.startswith("Sources")]
    assert source_pages and titles[-len(source_pages) :] == source_pages, "sources come last"
    key_pages = [t for t in titles if t.startswith("Key figures")]
    assert len(titles) == 1 + len(key_pages) + len(chart_titles) + len(source_pages)


def test_each_chart_is_native_where_powerpoint_has_that_kind(slides_by_title, ref_con) -> None:
    for chart_id, kinds in EXPECTED_KINDS.items():
        slide = slides_by_title[article_view(ref_con, chart_id).title]
        assert [_kind(c) for c in _charts(slide)] == kinds, chart_id
        assert len(_pictures(slide)) == (0 if kinds else 1), chart_id


def test_native_series_hold_the_figures_numbers(slides_by_title, sections) -> None:
    by_key = {s.key: s for s in sections}
    # XY charts: every visible trace is a series with the same x and y (edges of a band included).
    for chart_id in ("rack_density", "electricity"):
        fig = by_key[chart_id].figures[0].fig
        series = [s for chart in _charts(slides_by_title[by_key[chart_id].title]) for s in chart.plots[0].series]
        traces = [t for t in fig.data if t.visible is not False]
        assert len(series) == len(traces)
        for trace, item in zip(traces, series):
            assert _xy(item) == _trace_points(trace), (chart_id, trace.name)
            if trace.name and trace.fill != "tonexty":
                assert item.name == pptx_charts.clean_text(trace.name)
    # Bars: the categories are the bands, each profile a series of the same shares.
    fig = by_key["power_distribution"].figures[0].fig
    chart = _charts(slides_by_title[by_key["power_distribution"].title])[0]
    assert list(chart.plots[0].categories) == list(fig.data[0].x)
    assert [s.name for s in chart.plots[0].series] == [t.name for t in fig.data]
    for trace, item in zip(fig.data, chart.plots[0].series):
        assert list(item.values) == pytest.approx([float(v) for v in trace.y])


def test_the_numbers_are_in_the_embedded_workbook(slides_by_title, sections, ref_con) -> None:
    """Edit Data in PowerPoint opens this workbook: one column per series, one row per category."""
    fig = {s.key: s for s in sections}["power_distribution"].figures[0].fig
    chart = _charts(slides_by_title[article_view(ref_con, "power_distribution").title])[0]
    workbook = zipfile.ZipFile(io.BytesIO(chart.part.chart_workbook.xlsx_part.blob))
    sheet = etree.fromstring(workbook.read("xl/worksheets/sheet1.xml"))
    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
    cells = {c.get("r"): c.findtext("m:v", namespaces=ns) for c in sheet.iterfind(".//m:c", ns)}
    for column, trace in zip("BCDEF", fig.data):
        numbers = [float(cells[f"{column}{row}"]) for row in range(2, 2 + len(trace.y))]
        assert numbers == pytest.approx([float(v) for v in trace.y]), trace.name
    shared = workbook.read("xl/sharedStrings.xml").decode()
    assert all(str(t.name) in shared for t in fig.data)


def test_log_axis_and_hidden_legend_entries_follow_the_figure(slides_by_title, ref_con) -> None:
    fig = article_view(ref_con, "rack_density").fig
    chart = _charts(slides_by_title[article_view(ref_con, "rack_density").title])[0]
    xml = etree.tostring(chart._chartSpace).decode()
    assert '<c:logBase val="10"/>' in xml, "the kW axis is logarithmic, as on the app's chart"
    hidden = sum(1 for t in fig.data if t.showlegend is False)
    assert hidden and xml.count("<c:legendEntry>") == hidden


def test_chart_slides_carry_the_caption_and_full_provenance_in_the_notes(slides_by_title, ref_con) -> None:
    sources = reference.sources(ref_con)
    for chart_id in ARTICLE_VIEW_IDS:
        result = article_view(ref_con, chart_id)
        slide = slides_by_title[result.title]
        assert result.caption in _texts(slide), chart_id
        notes = _notes(slide)
        counts = provenance.status_counts(result.rows)
        by_status = ", ".join(f"{n} {status}" for status, n in counts.items())
        assert f"Data rows: {sum(counts.values())} ({by_status})." in notes, chart_id
        for name in provenance.source_list(result.rows, sources):
            assert name in notes, (chart_id, name)
        assert ("Native PowerPoint chart" in notes) == bool(EXPECTED_KINDS[chart_id]), chart_id


def test_key_figures_and_sources_are_tables_with_every_row(default_deck, sections) -> None:
    prs = _open(default_deck)
    tables = {}
    for slide in prs.slides:
        for shape in slide.shapes:
            if shape.has_table:
                tables.setdefault(_title(slide).split(" (")[0], []).extend(
                    [cell.text for cell in row.cells] for row in list(shape.table.rows)[1:]
                )
    by_key = {s.key: s for s in sections}
    assert [r[0] for r in tables["Key figures"]] == list(by_key["headlines"].tables[0].frame["figure"])
    assert [r[0] for r in tables["Sources"]] == list(by_key["sources"].tables[0].frame["source_id"])


# --------------------------------------------------------------------------- mapping Plotly traces


@pytest.mark.parametrize(
    ("fig", "kind"),
    [
        (go.Figure([go.Bar(x=["a", "b"], y=[1, 2]), go.Bar(x=["a", "b"], y=[3, 4])]), "COLUMN_CLUSTERED"),
        (
            go.Figure([go.Bar(x=["a", "b"], y=[1, 2]), go.Bar(x=["a", "b"], y=[3, 4])], layout={"barmode": "stack"}),
            "COLUMN_STACKED",
        ),
        (
            go.Figure(
                [go.Bar(y=["a"], x=[1], orientation="h"), go.Bar(y=["a"], x=[2], orientation="h")],
                layout={"barmode": "stack"},
            ),
            "BAR_STACKED",
        ),
        (go.Figure(go.Scatter(x=[1, 2, 3], y=[1, 4, 9], mode="lines")), "XY_SCATTER_LINES_NO_MARKERS"),
        (go.Figure(go.Scatter(x=[1, 2, 3], y=[1, 4, 9], mode="markers")), "XY_SCATTER"),
        (go.Figure(go.Scatter(x=["a", "b"], y=[1, 2], mode="lines")), "LINE"),
        (
            go.Figure([go.Scatter(x=[1, 2], y=[1, 2], fill="tozeroy"), go.Scatter(x=[1, 2], y=[2, 3], fill="tozeroy")]),
            "AREA",
        ),
        (
            go.Figure([go.Scatter(x=[1, 2], y=[1, 2], stackgroup="a"), go.Scatter(x=[1, 2], y=[2, 3], stackgroup="a")]),
            "AREA_STACKED",
        ),
        (go.Figure(go.Sankey(node={"label": ["a", "b"]}, link={"source": [0], "target": [1], "value": [1]})), None),
        (go.Figure(go.Treemap(labels=["a", "b"], parents=["", "a"])), None),
        (go.Figure(go.Icicle(labels=["a", "b"], parents=["", "a"])), None),
        (go.Figure(go.Heatmap(z=[[1, 2], [3, 4]])), None),
        (go.Figure(go.Barpolar(r=[1, 2], theta=[0, 90])), None),
        (go.Figure(go.Scatterpolar(r=[1, 2], theta=[0, 90])), None),
        (go.Figure(go.Bar(x=["a"], y=[1], base=[5])), None),  # floating bars: no native shape
        (
            go.Figure(
                [go.Scatter(x=[1], y=[1]), go.Scatter(x=[1], y=[2], yaxis="y2")], layout={"yaxis2": {"overlaying": "y"}}
            ),
            None,
        ),  # a second y axis over the first
        (go.Figure([go.Bar(x=["a"], y=[1]), go.Scatter(x=["a"], y=[1])]), None),  # bars and lines on one axis
        (go.Figure(), None),
    ],
)
def test_trace_kinds_map_to_native_charts_or_a_picture(fig: go.Figure, kind: str | None) -> None:
    assert pptx_charts.native_kind(fig) == kind


def test_horizontal_stacked_bars_keep_their_categories_and_values() -> None:
    fig = go.Figure(
        [
            go.Bar(y=["heat"], x=[800.0], orientation="h", name="Liquid"),
            go.Bar(y=["heat"], x=[200.0], orientation="h", name="Air"),
        ],
        layout={"barmode": "stack"},
    )
    sections = [report.ReportSection("s", "Stacked", figures=[report.ReportFigure("f", fig, "cap")])]
    chart = _charts(_open(deck.deck_bytes(sections)).slides[1])[0]
    assert chart.chart_type == XL_CHART_TYPE.BAR_STACKED
    assert list(chart.plots[0].categories) == ["heat"]
    assert [(s.name, list(s.values)) for s in chart.plots[0].series] == [("Liquid", [800.0]), ("Air", [200.0])]


def test_dates_become_spreadsheet_dates() -> None:
    stamps = pd.to_datetime(["2026-01-01 00:00", "2026-01-02 12:00"])
    fig = go.Figure(go.Scatter(x=stamps, y=[1.3, 1.4], mode="lines", name="PUE"))
    sections = [report.ReportSection("s", "PUE", figures=[report.ReportFigure("f", fig)])]
    chart = _charts(_open(deck.deck_bytes(sections)).slides[1])[0]
    xs, ys = _xy(chart.plots[0].series[0])
    assert xs == [46023.0, 46024.5], "Excel day numbers (1899-12-30 epoch)"
    assert ys == [1.3, 1.4]
    assert chart.category_axis.tick_labels.number_format == "yyyy-mm-dd"


# --------------------------------------------------------------------------- user text


def _hostile_sections() -> list[report.ReportSection]:
    fig = go.Figure([go.Bar(x=[HOSTILE, "b"], y=[1, 2], name=HOSTILE), go.Bar(x=["b"], y=[3], name="plain")])
    line = go.Figure(go.Scatter(x=[1, 2], y=[3, 4], mode="lines+markers+text", text=[HOSTILE, ""], name=HOSTILE))
    scenario = report.scenario_section(
        HOSTILE,
        {HOSTILE: HOSTILE, "racks": 4},
        {"Racks": HOSTILE},
        [report.ReportFigure("h1", fig, HOSTILE, HOSTILE), report.ReportFigure("h2", line, HOSTILE, HOSTILE)],
        note=HOSTILE,
    )
    table = report.ReportSection(
        "t",
        HOSTILE,
        paragraphs=[HOSTILE],
        tables=[
            report.ReportTable(
                HOSTILE,
                pd.DataFrame({HOSTILE: [HOSTILE, None], "url": ["javascript:alert(1)", "https://example.org/?a=<b>"]}),
                link_column="url",
            )
        ],
    )
    return [scenario, table]


def test_hostile_user_text_cannot_break_the_file() -> None:
    data = deck.deck_bytes(_hostile_sections(), title=HOSTILE)
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        for name in package.namelist():
            if name.endswith((".xml", ".rels")):
                etree.fromstring(package.read(name))  # every part is well-formed XML 1.0
    prs = _open(data)
    titles = [_title(s) for s in prs.slides]
    assert titles[0] == HOSTILE_CLEAN
    assert f"Planner scenario: {HOSTILE_CLEAN}" in titles
    everything = "\n".join(_texts(s) + _notes(s) for s in prs.slides)
    assert HOSTILE_CLEAN in everything and "\x00" not in everything and "\x1b" not in everything
    names = [s.name for slide in prs.slides for chart in _charts(slide) for s in chart.plots[0].series]
    # Plotly label markup is dropped from chart text, so only the characters XML forbids differ.
    assert pptx_charts.clean_text(HOSTILE) in names
    links = [
        run.hyperlink.address
        for s in prs.slides
        for shape in s.shapes
        if shape.has_table
        for row in shape.table.rows
        for cell in row.cells
        for p in cell.text_frame.paragraphs
        for run in p.runs
        if run.hyperlink.address
    ]
    assert links == ["https://example.org/?a=<b>"], "only http(s) addresses become links"


# --------------------------------------------------------------------------- templates


def _template(tmp_path: Path) -> bytes:
    """A 4:3 template with two slides of its own and layouts renamed, so only placeholder types can find them."""
    prs = Presentation()
    for i, layout in enumerate(prs.slide_layouts):
        layout.name = f"Corporate {i}"
    slide = prs.slides.add_slide(prs.slide_layouts[0])
    slide.shapes.title.text = "OLD SLIDE ONE"
    prs.slides.add_slide(prs.slide_layouts[1]).shapes.title.text = "OLD SLIDE TWO"
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()


def test_template_layouts_and_size_are_used_and_its_slides_dropped(tmp_path: Path) -> None:
    template = _template(tmp_path)
    fig = go.Figure(go.Bar(x=["a", "b"], y=[1, 2]))
    sections = [report.ReportSection("s", "A chart", figures=[report.ReportFigure("f", fig, "Sources: x.")])]
    prs = _open(deck.deck_bytes(sections, title="Board pack", template=template))
    assert (prs.slide_width, prs.slide_height) == (_open(template).slide_width, _open(template).slide_height)
    assert [_title(s) for s in prs.slides] == ["Board pack", "A chart"]
    assert prs.slides[0].slide_layout.name == "Corporate 0", "title slide: centre title + subtitle"
    assert prs.slides[1].slide_layout.name == "Corporate 1", "content: title + one body placeholder"
    everything = "\n".join(_texts(s) for s in prs.slides)
    assert "OLD SLIDE" not in everything
    with zipfile.ZipFile(io.BytesIO(deck.deck_bytes(sections, template=template))) as package:
        assert len([n for n in package.namelist() if n.startswith("ppt/slides/slide")]) == 2


def test_a_template_with_only_title_only_and_blank_layouts_works() -> None:
    prs = Presentation()
    for layout in list(prs.slide_layouts):
        types = {ph.placeholder_format.type for ph in layout.placeholders} - {
            PP_PLACEHOLDER.DATE,
            PP_PLACEHOLDER.FOOTER,
            PP_PLACEHOLDER.SLIDE_NUMBER,
        }
        if types not in ({PP_PLACEHOLDER.TITLE}, set()):
            prs.slide_layouts.remove(layout)
    out = io.BytesIO()
    prs.save(out)
    sections = [report.ReportSection("s", "Only a title", paragraphs=["text"])]
    slides = _open(deck.deck_bytes(sections, template=out.getvalue())).slides
    assert [_title(s) for s in slides] == [report.REPORT_TITLE, "Only a title"]


def test_a_template_without_a_usable_layout_is_refused_with_a_reason(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    prs = Presentation()
    for layout in list(prs.slide_layouts):
        prs.slide_layouts.remove(layout)
    out = io.BytesIO()
    prs.save(out)
    with pytest.raises(deck.TemplateError, match="no slide layout a deck can use"):
        deck.deck_bytes([], template=out.getvalue())
    with pytest.raises(ValueError, match="not a PowerPoint file"):
        deck.deck_bytes([], template=b"%PDF-1.7 not a deck")
    bad = tmp_path / "bad.pptx"
    bad.write_bytes(out.getvalue())
    assert main(["report", "--out", str(tmp_path / "d.pptx"), "--charts", "stack", "--template", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "no slide layout a deck can use" in err and "Traceback" not in err
    assert not (tmp_path / "d.pptx").exists()


# --------------------------------------------------------------------------- dataset, scenarios, CLI


def test_dataset_scenario_and_comparison_sections(ref_con, chromium, tmp_path: Path) -> None:
    from factorycore import planner, scenarios
    from factorycore.userdata import catalog, ingest

    csv = tmp_path / "racks.csv"
    csv.write_text(RACKS_CSV)
    workspace = catalog.session_workspace("d3c4" * 8)
    stored = ingest.ingest(ref_con, csv, kind="racks", name="Hall A-1 v2.0_test", workspace=workspace)
    scenarios.save(ref_con, "Deck plan A", planner.PlanInputs(count=8).as_dict())
    scenarios.save(ref_con, "Deck plan B", planner.PlanInputs(count=16).as_dict())
    try:
        sections = report.build_report(
            ref_con,
            charts=[],
            include_sources=False,
            dataset=stored.dataset_id,
            dataset_workspaces=[workspace],
            scenario="Deck plan A",
            compare=["Deck plan A", "Deck plan B"],
        )
    finally:
        scenarios.delete(ref_con, "Deck plan A")
        scenarios.delete(ref_con, "Deck plan B")
        catalog.delete_dataset(ref_con, stored.dataset_id, [workspace])
    prs, kinds = deck.build_deck(sections)
    titles = [_title(s) for s in prs.slides]
    assert "Your facility: Hall A-1 v2.0_test" in titles
    # The scenario's tables (headline and plant figures) may run over several slides: "(1/3)".
    assert any(
        t == "Planner scenario: Deck plan A" or t.startswith("Planner scenario: Deck plan A (1/") for t in titles
    )
    assert "Planner scenarios side by side" in titles
    assert len(kinds) == sum(len(s.figures) for s in sections)
    assert "picture" in kinds, "the power Sankey has no native chart"
    compare_slide = [s for s in prs.slides if _charts(s) and _title(s) == "Saved scenarios side by side"][0]
    charts = _charts(compare_slide)
    assert [c.chart_type for c in charts] == [XL_CHART_TYPE.COLUMN_CLUSTERED] * 4, "one panel per metric"
    figure = [s for s in sections if s.key == "comparison"][0].figures[0].fig
    for chart, trace in zip(charts, figure.data):
        assert list(chart.plots[0].categories) == ["Deck plan A", "Deck plan B"]
        assert list(chart.plots[0].series[0].values) == pytest.approx([float(v) for v in trace.y])
    notes = _notes(compare_slide)
    assert "Data rows:" in notes and "Sources (" in notes


def test_cli_report_writes_a_deck(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "deck.pptx"
    assert (
        main(
            [
                "report",
                "--out",
                str(out),
                "--charts",
                "power_distribution",
                "--no-sources",
                "--no-headlines",
                "--title",
                "Board pack",
            ]
        )
        == 0
    )
    prs = _open(out.read_bytes())
    assert [_title(s) for s in prs.slides][0] == "Board pack"
    assert [c.chart_type for s in prs.slides for c in _charts(s)] == [XL_CHART_TYPE.COLUMN_CLUSTERED]


# --------------------------------------------------------------------------- drawn by LibreOffice


@pytest.mark.slow
def test_libreoffice_opens_and_draws_the_default_deck(default_deck, soffice: str, tmp_path: Path) -> None:
    assert_deck_draws_every_chart(default_deck, soffice, tmp_path)


@pytest.mark.slow
def test_libreoffice_draws_a_deck_of_hostile_text_in_a_template(soffice: str, tmp_path: Path) -> None:
    data = deck.deck_bytes(_hostile_sections(), title=HOSTILE, template=_template(tmp_path))
    assert_deck_draws_every_chart(data, soffice, tmp_path)
