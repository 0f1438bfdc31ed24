"""Every page of the real app in headless Chromium: it loads, draws its charts, shows no error.

Add a page to ``APP_PAGES`` when it lands (url path as st.navigation derives it from
the file name, and whether it must draw a Plotly chart on first load).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.browser_util import wait_for_app

pytestmark = [pytest.mark.browser, pytest.mark.slow]

REPO_ROOT = Path(__file__).resolve().parent.parent
# (url path, page file, draws a chart on first load)
APP_PAGES: tuple[tuple[str, str, bool], ...] = (
    ("/", "pages/overview.py", False),
    ("/rack_density", "pages/rack_density.py", True),
    ("/power_distribution", "pages/power_distribution.py", True),
    ("/stack", "pages/stack.py", True),
    ("/maturity", "pages/maturity.py", True),
    ("/electricity", "pages/electricity.py", True),
)
CHART_TIMEOUT_MS = 30000


def _missing_app_pages() -> list[str]:
    registered = re.findall(r'st\.Page\(\s*"([^"]+)"', (REPO_ROOT / "app.py").read_text())
    return [p for p in registered if not (REPO_ROOT / p).exists()]


@pytest.fixture(scope="module", autouse=True)
def _app_complete():
    missing = _missing_app_pages()
    if missing:
        pytest.skip(f"app.py registers pages not written yet: {', '.join(missing)}")


def test_page_list_matches_app():
    registered = set(re.findall(r'st\.Page\(\s*"([^"]+)"', (REPO_ROOT / "app.py").read_text()))
    assert {file for _, file, _ in APP_PAGES} <= registered


@pytest.mark.parametrize(("path", "file", "has_chart"), APP_PAGES, ids=[p[1] for p in APP_PAGES])
def test_page_draws_without_error(app_url, page, path, file, has_chart):
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(app_url + path)
    wait_for_app(page)
    if has_chart:
        page.wait_for_selector(".js-plotly-plot .main-svg", timeout=CHART_TIMEOUT_MS)
        drawn = page.locator(".js-plotly-plot .plot-container").count()
        assert drawn >= 1, f"{file}: no Plotly chart drawn"
        # A drawn chart has marks, not just axes: traces, bars, cells or sankey nodes.
        marks = page.locator(".js-plotly-plot").first.locator(
            ".scatterlayer .trace, .barlayer .trace, .heatmaplayer image, .treemaplayer path, "
            ".iciclelayer path, .sankey .sankey-node"
        ).count()
        assert marks > 0, f"{file}: chart has no marks"
    else:
        page.wait_for_selector("[data-testid='stMetric']", timeout=CHART_TIMEOUT_MS)
        assert page.locator("[data-testid='stPageLink']").count() >= 5
    wait_for_app(page)
    assert page.locator("[data-testid='stException']").count() == 0, f"{file}: exception shown"
    error_alerts = page.locator("[data-testid='stAlertContentError']")
    assert error_alerts.count() == 0, f"{file}: error shown: {error_alerts.first.inner_text()}"
    assert page.get_by_text(re.compile(r"^Error\b")).count() == 0, f"{file}: 'Error' text shown"
    assert not errors, f"{file}: JavaScript errors: {errors}"
