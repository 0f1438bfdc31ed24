"""Every page of the real app in headless Chromium: it loads, draws what it must, shows no error.

``APP_PAGES`` lists every page registered in ``ui.navigation.PAGES`` (a test checks the two agree), with
the url path st.navigation derives from the file name, whether a Plotly chart must be
drawn on first load, and an element that proves the page's own content arrived.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from devkit.server import streamlit_server
from tests.browser_util import wait_for_app

pytestmark = [pytest.mark.browser, pytest.mark.slow]

REPO_ROOT = Path(__file__).resolve().parent.parent
# (url path, page file, draws a chart on first load, selector of the page's own content)
APP_PAGES: tuple[tuple[str, str, bool, str], ...] = (
    ("/", "app_pages/overview.py", True, "[data-testid='stPageLink']"),
    ("/rack_density", "app_pages/rack_density.py", True, "[data-testid='stMultiSelect']"),
    ("/power_distribution", "app_pages/power_distribution.py", True, "[data-testid='stCaptionContainer']"),
    ("/stack", "app_pages/stack.py", True, "[data-testid='stSelectbox']"),
    ("/maturity", "app_pages/maturity.py", True, "[data-testid='stCaptionContainer']"),
    ("/electricity", "app_pages/electricity.py", True, "[data-testid='stCaptionContainer']"),
    ("/planner", "app_pages/planner.py", True, "[data-testid='stMetric']"),
    ("/my_facility", "app_pages/my_facility.py", False, "[data-testid='stFileUploader']"),
    ("/compliance", "app_pages/compliance.py", False, "[data-testid='stExpander']"),
    ("/report", "app_pages/report.py", False, "[data-testid='stDownloadButton']"),
    ("/presentation", "app_pages/presentation.py", True, "[data-testid='stButton']"),
)
CHART_TIMEOUT_MS = 30000
MARKS = (
    ".scatterlayer .trace, .barlayer .trace, .heatmaplayer image, .treemaplayer path, "
    ".iciclelayer path, .sankey .sankey-node"
)


def _registered_pages() -> set[str]:
    from ui.navigation import PAGES  # noqa: PLC0415

    return {page.path for page in PAGES}


def test_page_list_matches_app():
    assert {file for _, file, _, _ in APP_PAGES} == _registered_pages()
    assert all((REPO_ROOT / file).exists() for file in _registered_pages())


@pytest.mark.parametrize(("path", "file", "has_chart", "content"), APP_PAGES, ids=[p[1] for p in APP_PAGES])
def test_page_draws_without_error(app_url, page, path, file, has_chart, content):
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(app_url + path)
    page.wait_for_selector(content, timeout=CHART_TIMEOUT_MS)
    if has_chart:
        page.wait_for_selector(".js-plotly-plot .main-svg", timeout=CHART_TIMEOUT_MS)
        # A drawn chart has marks, not just axes: traces, bars, cells or sankey nodes.
        marks = page.locator(".js-plotly-plot").first.locator(MARKS).count()
        assert marks > 0, f"{file}: chart has no marks"
    wait_for_app(page)
    assert page.locator("[data-testid='stException']").count() == 0, f"{file}: exception shown"
    error_alerts = page.locator("[data-testid='stAlertContentError']")
    assert error_alerts.count() == 0, f"{file}: error shown: {error_alerts.first.inner_text()}"
    assert page.get_by_text(re.compile(r"^Error\b")).count() == 0, f"{file}: 'Error' text shown"
    assert not errors, f"{file}: JavaScript errors: {errors}"


def test_overview_links_every_article_page(app_url, page):
    page.goto(app_url + "/")
    page.wait_for_selector("[data-testid='stPageLink']", timeout=CHART_TIMEOUT_MS)
    wait_for_app(page)
    assert page.locator("[data-testid='stPageLink']").count() >= 5


def test_overview_shows_the_headline_cards_above_the_first_chart(app_url, page):
    """The page sends the chart before the cards (its script starts loading first), yet draws the cards on top."""
    page.goto(app_url + "/")
    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=CHART_TIMEOUT_MS)
    wait_for_app(page)
    last_card = page.locator("[data-testid='stMetric']").last.bounding_box()
    chart = page.locator(".js-plotly-plot").first.bounding_box()
    assert page.locator("[data-testid='stMetric']").count() >= 4
    assert last_card["y"] + last_card["height"] <= chart["y"]


def test_a_shared_link_as_the_first_request_gets_the_app_navigation(browser, tmp_path):
    """A fresh server whose first visitor opens /planner must run app.py's navigation.

    Streamlit treats a folder named ``pages/`` beside the entry script as a legacy
    multipage app until st.navigation has run once; a colleague opening a shared planner
    link on a freshly started server then got the page without app.py (file-name
    navigation, no page config). The pages live in ``app_pages/`` for that reason.
    """
    with streamlit_server("app.py", tmp_path / "deep.duckdb", tmp_path / "deep.log") as url:
        context = browser.new_context()
        tab = context.new_page()
        tab.goto(url + "/planner?count=8")
        tab.wait_for_selector("[data-testid='stMetric']", timeout=CHART_TIMEOUT_MS)
        wait_for_app(tab)
        # Each link's text is its icon's ligature name, then its title.
        links = [text.splitlines()[-1] for text in tab.locator("[data-testid='stSidebarNavLink']").all_inner_texts()]
        context.close()
    assert "Overview" in links and "Planner" in links, links
    assert not any(text.strip().lower() in {"app", "planner.py"} for text in links), links
