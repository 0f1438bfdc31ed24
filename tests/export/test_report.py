"""The self-contained report: sections, offline HTML, sources table, PDF, and the `report` command."""

from __future__ import annotations

import html
import json
import re
import zlib
from pathlib import Path

import pytest

from factorycore import reference
from factorycore.cli import main
from factorycore.export import figures, report
from factorycore.views import ARTICLE_VIEW_IDS, article_view

REMOTE_SCRIPT = re.compile(r"<script[^>]*\bsrc\s*=", re.IGNORECASE)
REMOTE_LINK = re.compile(r"<link[^>]*\bhref\s*=\s*[\"']?https?:", re.IGNORECASE)

RACKS_CSV = """rack_id,design_kw,measured_kw,hall
R-001,12,9.5,A
R-002,40,31,A
R-003,120,96,B
"""


def _h2(text: str) -> str:
    return f"<h2>{html.escape(text, quote=True)}</h2>"


def _sources_rows(document: str) -> list[str]:
    start = document.index('<section id="section-sources">')
    body = document[start : document.index("</section>", start)]
    return re.findall(r"<tr><td>([^<]*)</td>", body)


@pytest.fixture(scope="module")
def full_report(ref_con) -> str:
    return report.report_html(report.build_report(ref_con))


@pytest.fixture(scope="module")
def chart_titles(ref_con) -> dict[str, str]:
    return {chart_id: article_view(ref_con, chart_id).title for chart_id in ARTICLE_VIEW_IDS}


def test_full_report_has_every_section_heading(full_report: str, chart_titles: dict[str, str]) -> None:
    for title in chart_titles.values():
        assert title, "every article chart has a title"
        assert _h2(title) in full_report
    assert _h2("Sources") in full_report
    assert full_report.count("<section ") == len(ARTICLE_VIEW_IDS) + 1


def test_full_report_draws_every_chart_from_inline_plotly(full_report: str) -> None:
    for chart_id in ARTICLE_VIEW_IDS:
        assert f'id="chart-{chart_id}"' in full_report
    assert full_report.count("Plotly.newPlot(") == len(ARTICLE_VIEW_IDS)
    assert full_report.count("* plotly.js v") == 1, "Plotly.js must be inlined exactly once"
    assert not REMOTE_SCRIPT.search(full_report), "no script may be loaded from anywhere"
    assert not REMOTE_LINK.search(full_report), "no remote stylesheet"


def test_sources_table_lists_every_source(full_report: str, ref_con) -> None:
    sources = reference.sources(ref_con)
    assert not sources.empty
    rows = _sources_rows(full_report)
    assert rows == [html.escape(str(s), quote=True) for s in sources["source_id"]]


def test_each_chart_carries_its_source_caption(full_report: str) -> None:
    assert full_report.count("<figcaption>Sources: ") == len(ARTICLE_VIEW_IDS)


def test_report_holds_only_the_chosen_sections(ref_con, chart_titles: dict[str, str]) -> None:
    sections = report.build_report(ref_con, charts=["maturity", "stack"], include_sources=False)
    document = report.report_html(sections)
    assert [s.key for s in sections] == ["maturity", "stack"]
    assert _h2(chart_titles["maturity"]) in document and _h2(chart_titles["stack"]) in document
    for other in ("rack_density", "power_distribution", "electricity"):
        assert _h2(chart_titles[other]) not in document
        assert f'id="chart-{other}"' not in document
    assert _h2("Sources") not in document
    assert document.count("Plotly.newPlot(") == 2


def test_unknown_chart_is_refused(ref_con) -> None:
    with pytest.raises(ValueError, match="unknown chart 'pie'"):
        report.build_report(ref_con, charts=["pie"])


def test_scenario_section_from_plain_dicts(ref_con) -> None:
    scenario = {
        "name": "Hall B retrofit",
        "inputs": {"accelerator": "GB200", "count": 1152, "pue": 1.25},
        "results": {"it_kw": 1520.5, "racks": 16, "capacity_exhausted_year": None},
    }
    sections = report.build_report(ref_con, charts=[], include_sources=False, scenario=scenario)
    document = report.report_html(sections)
    assert _h2("Planner scenario: Hall B retrofit") in document
    for cell in ("GB200", "1152", "1.25", "1,520.5", "16"):
        assert f"<td>{cell}</td>" in document


def test_dataset_section_for_an_uploaded_facility(ref_con, tmp_path: Path) -> None:
    from factorycore.userdata import catalog, ingest

    csv = tmp_path / "racks.csv"
    csv.write_text(RACKS_CSV)
    # A private workspace of its own, so no other test sees this upload; removed afterwards.
    workspace = catalog.session_workspace("5e55" * 8)
    stored = ingest.ingest(ref_con, csv, kind="racks", name="report-test-hall", workspace=workspace)
    try:
        sections = report.build_report(
            ref_con, charts=["stack"], dataset="report-test-hall", dataset_workspaces=[workspace]
        )
        with pytest.raises(catalog.DatasetError):  # not visible from the shared workspace
            report.build_report(ref_con, charts=[], dataset="report-test-hall")
    finally:
        catalog.delete_dataset(ref_con, stored.dataset_id, [workspace])
    document = report.report_html(sections)
    assert [s.key for s in sections] == ["stack", "dataset", "sources"]
    assert _h2("Your facility: report-test-hall") in document
    assert "3 rows stored" in document
    assert "<td>Design kW (all racks)</td><td>172</td>" in document  # the page's own metric, not a raw key
    # The My facility comparison charts come along: density against the industry, measured vs design, stranded.
    assert [f.key for f in sections[1].figures] == ["dataset-density", "dataset-measured", "dataset-stranded"]
    assert 'id="chart-dataset-density"' in document and 'id="chart-dataset-measured"' in document
    assert "<td>Stranded kW</td>" in document  # the stranded view's metrics, as on the page
    assert document.count("Plotly.newPlot(") == 4


def test_saved_planner_scenario_by_name(ref_con, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from factorycore import planner, scenarios

    scenarios.save(ref_con, "Report test plan", planner.PlanInputs(count=8).as_dict())
    try:
        sections = report.build_report(ref_con, charts=[], include_sources=False, scenario="Report test plan")
        out = tmp_path / "plan.html"
        assert (
            main(
                ["report", "--out", str(out), "--charts", "stack", "--scenario", "Report test plan", "--format", "json"]
            )
            == 0
        )
    finally:
        scenarios.delete(ref_con, "Report test plan")
    document = report.report_html(sections)
    assert _h2("Planner scenario: Report test plan") in document
    assert "<td>count</td><td>8</td>" in document
    assert "<td>Racks</td><td>8</td>" in document, "8 NVL72 systems fill 8 racks"
    assert len(sections[0].figures) >= 2 and document.count("Plotly.newPlot(") == len(sections[0].figures)
    assert _h2("Planner scenario: Report test plan") in out.read_text(encoding="utf-8")
    capsys.readouterr()
    assert main(["report", "--out", str(tmp_path / "x.html"), "--scenario", "no such plan"]) == 2
    assert "no scenario called" in capsys.readouterr().err


def test_user_text_is_escaped(ref_con) -> None:
    import plotly.graph_objects as go

    hostile = go.Figure(go.Scatter(x=[1], y=[1], text=["</script><script>alert(2)</script>"]))
    scenario = {
        "name": "<img src=x onerror=alert(1)>",
        "inputs": {"<b>": "<script>x</script>"},
        "results": {},
        "figures": [hostile],
    }
    sections = report.build_report(ref_con, charts=[], include_sources=False, scenario=scenario)
    document = report.report_html(sections, title="<script>alert(1)</script>")
    assert "<script>alert(1)</script>" not in document
    assert "<script>alert(2)</script>" not in document, "chart data must not close the inline script"
    assert "<img src=x" not in document
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in document


def test_cli_report_html(tmp_path: Path, capsys: pytest.CaptureFixture[str], chart_titles) -> None:
    out = tmp_path / "report.html"
    assert main(["report", "--out", str(out), "--format", "json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert set(result) == {"path", "charts", "bytes"}
    assert result["path"] == str(out)
    assert result["charts"] == list(ARTICLE_VIEW_IDS)
    assert result["bytes"] == out.stat().st_size
    document = out.read_text(encoding="utf-8")
    assert all(_h2(t) in document for t in chart_titles.values())
    assert not REMOTE_SCRIPT.search(document)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["report", "--out", "{tmp}/r.docx"], "must end in .html, .pdf"),
        (["report", "--out", "{tmp}/r.html", "--dataset", "no-such-dataset"], "no dataset"),
        (["report", "--out", "{tmp}/r.html", "--charts", "stack,pie"], "unknown chart 'pie'"),
    ],
)
def test_cli_report_usage_errors_exit_2(
    argv: list[str], message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([a.replace("{tmp}", str(tmp_path)) for a in argv]) == 2
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1
    assert list(tmp_path.iterdir()) == []


def test_cli_report_pdf_without_chromium_exits_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("BROWSER_PATH", str(tmp_path / "no-chromium"))
    assert main(["report", "--out", str(tmp_path / "r.pdf")]) == 2
    assert "PDF needs Chromium" in capsys.readouterr().err
    assert not (tmp_path / "r.pdf").exists()


def _vector_drawing_ops(pdf: bytes) -> int:
    """Line, curve and rectangle operators in the PDF's (Flate) content streams."""
    count = 0
    for match in re.finditer(rb"stream\r?\n(.*?)endstream", pdf, re.S):
        try:
            content = zlib.decompress(match.group(1))
        except zlib.error:
            continue
        count += len(re.findall(rb"(?m) (?:l|c|re)$", content))
    return count


@pytest.mark.slow
def test_cli_report_pdf(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    if figures.chromium_path() is None:
        pytest.skip("PDF needs Chromium at /usr/bin/chromium")
    out = tmp_path / "report.pdf"
    assert main(["report", "--out", str(out), "--charts", "rack_density,stack", "--format", "json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["charts"] == ["rack_density", "stack"]
    data = out.read_bytes()
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    pages = len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", data))
    assert pages >= 3, f"each section starts a page (2 charts + sources); got {pages}"
    # The charts are printed as vector drawings: a text-only report has ~15 such
    # operators, the rack-density chart alone well over a thousand.
    assert _vector_drawing_ops(data) > 500


def test_key_figures_section_lists_every_headline_with_its_source(ref_con) -> None:
    from factorycore import headlines

    sections = report.build_report(ref_con, charts=[], include_sources=False, include_headlines=True)
    assert [s.key for s in sections] == ["headlines"]
    table = sections[0].tables[0].frame
    expected = headlines.headlines(ref_con)
    assert table["figure"].tolist() == [h.label for h in expected]
    assert table["value"].tolist() == [h.formatted() for h in expected]
    publishers = set(reference.sources(ref_con)["publisher"])
    assert all(any(p in cited for p in publishers) for cited in table["source"]), "every figure names a publisher"
    page = report.report_html(sections, title="t")
    assert "Key figures" in page and html.escape(headlines.READING_NOTE)[:60] in page


def test_cite_names_each_of_several_sources_and_keeps_unknown_ids(ref_con) -> None:
    from factorycore import provenance

    sources = reference.sources(ref_con)
    text = provenance.cite("uptime_gdcs_2020; no_such_source", sources)
    assert text == "Uptime Institute, Global Data Center Survey 2020 (summary by itone.lu) (2020); no_such_source"
