"""AppTest for the Present pages: Report (choose contents, download) and Presentation (slides)."""

from __future__ import annotations

import html
import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from factorycore.views import ARTICLE_VIEW_IDS, article_view

PAGES = Path(__file__).resolve().parent.parent / "app_pages"
TIMEOUT_S = 60


def _page(name: str) -> AppTest:
    return AppTest.from_file(str(PAGES / name), default_timeout=TIMEOUT_S)


def _download(at: AppTest):
    matches = [b for b in at.get("download_button") if "report-download" in b.proto.id]
    assert matches, "the Report page has a report download button"
    return matches[0]


def _slide_label(at: AppTest) -> str:
    labels = [m.value for m in at.markdown if "Slide " in m.value]
    assert len(labels) == 1
    return labels[0]


def _chart_title(at: AppTest) -> str:
    charts = at.get("plotly_chart")
    assert len(charts) == 1, "one chart per slide"
    return json.loads(charts[0].proto.spec)["layout"]["title"]["text"]


# --------------------------------------------------------------------------- Report page


def test_report_page_offers_every_section() -> None:
    at = _page("report.py").run()
    assert not at.exception
    keys = {c.key for c in at.checkbox}
    assert {f"report-chart-{c}" for c in ARTICLE_VIEW_IDS} <= keys
    assert "report-sources" in keys
    assert at.selectbox(key="report-dataset").value == "(none)"
    assert at.selectbox(key="report-scenario").value == "(none)"
    button = _download(at)
    assert "HTML" in button.label
    contents = " ".join(m.value for m in at.markdown)
    assert "Sources" in contents and contents.count("\n") >= len(ARTICLE_VIEW_IDS)


def test_report_page_contents_follow_the_choices() -> None:
    at = _page("report.py").run()
    for chart_id in ARTICLE_VIEW_IDS:
        if chart_id != "stack":
            at.checkbox(key=f"report-chart-{chart_id}").uncheck()
    at.checkbox(key="report-sources").uncheck()
    at.checkbox(key="report-headlines").uncheck()
    at.run()
    assert not at.exception
    contents = [m.value for m in at.markdown if m.value.startswith("**Contents**")]
    assert len(contents) == 1
    assert "1. The AI factory infrastructure stack" in contents[0]
    assert "2." not in contents[0]


def test_report_page_opens_with_the_key_figures_by_default() -> None:
    at = _page("report.py").run()
    contents = [m.value for m in at.markdown if m.value.startswith("**Contents**")]
    assert contents and "1. Key figures" in contents[0]


def test_report_page_offers_saved_scenarios(ref_con) -> None:
    from factorycore import planner, scenarios

    scenarios.save(ref_con, "Page test plan", planner.PlanInputs().as_dict())
    try:
        at = _page("report.py").run()
        box = at.selectbox(key="report-scenario")
        assert "Page test plan" in box.options
        box.set_value("Page test plan").run()
    finally:
        scenarios.delete(ref_con, "Page test plan")
    assert not at.exception
    contents = [m.value for m in at.markdown if m.value.startswith("**Contents**")][0]
    assert "Planner scenario: Page test plan" in contents


def test_report_page_disables_download_when_nothing_is_chosen() -> None:
    at = _page("report.py").run()
    for chart_id in ARTICLE_VIEW_IDS:
        at.checkbox(key=f"report-chart-{chart_id}").uncheck()
    at.checkbox(key="report-sources").uncheck()
    at.checkbox(key="report-headlines").uncheck()
    at.run()
    assert not at.exception
    assert _download(at).disabled
    assert any("at least one section" in i.value for i in at.info)


def test_report_page_pdf_option_when_chromium_exists() -> None:
    from factorycore.export import figures

    at = _page("report.py").run()
    options = at.radio(key="report-format").options
    if figures.chromium_path() is None:
        assert len(options) == 2 and "PowerPoint" in options[1]
    else:
        assert len(options) == 3 and "PowerPoint" in options[2]
        at.radio(key="report-format").set_value("pdf").run()
        assert "PDF" in _download(at).label


# --------------------------------------------------------------------------- Presentation page


def test_presentation_starts_at_slide_one(ref_con) -> None:
    at = _page("presentation.py").run()
    assert not at.exception
    assert _slide_label(at) == f"**Slide 1 / {len(ARTICLE_VIEW_IDS)}**"
    assert at.query_params["slide"] == "1"
    assert _chart_title(at) == article_view(ref_con, ARTICLE_VIEW_IDS[0]).title
    assert at.button(key="slide-previous").disabled
    assert not at.button(key="slide-next").disabled


def test_presentation_next_and_previous_move_the_slide_and_the_url(ref_con) -> None:
    at = _page("presentation.py").run()
    at.button(key="slide-next").click().run()
    assert _slide_label(at) == f"**Slide 2 / {len(ARTICLE_VIEW_IDS)}**"
    assert at.query_params["slide"] == "2"
    assert _chart_title(at) == article_view(ref_con, ARTICLE_VIEW_IDS[1]).title
    at.button(key="slide-previous").click().run()
    assert at.query_params["slide"] == "1"
    assert _chart_title(at) == article_view(ref_con, ARTICLE_VIEW_IDS[0]).title


@pytest.mark.parametrize(("given", "expected"), [("3", 3), ("99", 5), ("-2", 1), ("junk", 1), ("maturity", 4)])
def test_presentation_slide_from_the_url(given: str, expected: int, ref_con) -> None:
    at = _page("presentation.py")
    at.query_params["slide"] = given
    at.run()
    assert not at.exception
    assert _slide_label(at) == f"**Slide {expected} / {len(ARTICLE_VIEW_IDS)}**"
    assert at.query_params["slide"] == str(expected)
    assert _chart_title(at) == article_view(ref_con, ARTICLE_VIEW_IDS[expected - 1]).title


def test_presentation_last_slide_disables_next() -> None:
    at = _page("presentation.py")
    at.query_params["slide"] = str(len(ARTICLE_VIEW_IDS))
    at.run()
    assert at.button(key="slide-next").disabled
    assert not at.button(key="slide-previous").disabled


def test_presentation_uses_projector_type(ref_con) -> None:
    from factorycore.charts import theme

    at = _page("presentation.py").run()
    layout = json.loads(at.get("plotly_chart")[0].proto.spec)["layout"]
    assert layout["font"]["size"] == theme.LARGE_FONT_SIZE_PX
    assert layout["title"]["font"]["size"] == theme.LARGE_TITLE_SIZE_PX
    assert html.unescape(layout["title"]["text"]) == article_view(ref_con, ARTICLE_VIEW_IDS[0]).title


def test_report_page_offers_a_powerpoint_deck_with_a_template_uploader() -> None:
    at = _page("report.py").run()
    choice = at.radio(key="report-format")
    choice.set_value("pptx").run()
    assert not at.exception
    assert "PPTX" in _download(at).label
    assert not _download(at).disabled
    assert any("report-template" in u.proto.id for u in at.get("file_uploader"))


def test_presentation_offers_the_slides_as_a_deck() -> None:
    at = _page("presentation.py").run()
    assert not at.exception
    assert [b for b in at.get("download_button") if "slides-deck" in b.proto.id]


def test_presentation_adds_a_saved_scenarios_charts_from_the_url(ref_con) -> None:
    from factorycore import planner, scenarios

    scenarios.save(ref_con, "slides plan", planner.PlanInputs())
    try:
        at = _page("presentation.py")
        at.query_params["scenario"] = "slides plan"
        at.query_params["slide"] = str(len(ARTICLE_VIEW_IDS) + 1)
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        total = len(ARTICLE_VIEW_IDS) + 8  # the planner's four charts, then the plant's four
        assert _slide_label(at) == f"**Slide {len(ARTICLE_VIEW_IDS) + 1} / {total}**"
        assert "Power flow" in _chart_title(at) or "power" in _chart_title(at).lower()
        at.query_params["slide"] = str(total)
        at.run()
        assert "MLPerf" in _chart_title(at) or "tokens" in _chart_title(at).lower()
        assert at.button(key="slide-next").disabled
        # An unknown scenario adds nothing: the article's slides only.
        other = _page("presentation.py")
        other.query_params["scenario"] = "no such plan"
        other.run()
        assert _slide_label(other) == f"**Slide 1 / {len(ARTICLE_VIEW_IDS)}**"
    finally:
        scenarios.delete(ref_con, "slides plan")
