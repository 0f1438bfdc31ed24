"""Browser end-to-end for the Planner: change an input, see the numbers, chart and link follow.

Runs the real app (fixture ``app_url``) in Debian's Chromium through Playwright.
"""

from __future__ import annotations

import re

import pytest

from tests.browser_util import wait_for_app

pytestmark = pytest.mark.browser

TIMEOUT_MS = 60_000


def metric_value(page, label: str) -> str:
    metric = (
        page.locator("[data-testid='stMetric']")
        .filter(has=page.locator("[data-testid='stMetricLabel']", has_text=re.compile(f"^{re.escape(label)}$")))
        .first
    )
    return metric.locator("[data-testid='stMetricValue']").inner_text().strip()


def test_changing_the_count_updates_metrics_chart_and_link(page, app_url: str) -> None:
    page.goto(f"{app_url}/planner")
    wait_for_app(page)
    sankey_title = page.locator(".js-plotly-plot .gtitle", has_text="of facility power goes").first
    sankey_title.wait_for(timeout=TIMEOUT_MS)
    assert "2,534 kW" in sankey_title.text_content()
    assert metric_value(page, "Facility power (kW)") == "2,534.4"

    count = page.get_by_label("Number of systems")
    count.fill("20")
    count.press("Enter")
    page.wait_for_function(
        "() => [...document.querySelectorAll('.js-plotly-plot .gtitle')]"
        ".some(t => t.textContent.includes('3,168 kW of facility power'))",
        timeout=TIMEOUT_MS,
    )
    wait_for_app(page)
    assert metric_value(page, "Facility power (kW)") == "3,168.0"  # 20 x 132 kW x PUE 1.2
    assert metric_value(page, "Racks") == "20"
    assert "count=20" in page.url
    assert page.locator("[data-testid='stException']").count() == 0


def test_a_shared_link_opens_the_same_projection(page, app_url: str) -> None:
    page.goto(
        f"{app_url}/planner?hw=dgx_h100&count=10&cooling=air&pue=1.5&util=1&price=0.1&grid=0.4&wue=0"
        "&capacity_mw=5&growth=0.15&coolant=water"
    )
    wait_for_app(page)
    page.locator("[data-testid='stMetric']").first.wait_for(timeout=TIMEOUT_MS)
    assert metric_value(page, "IT power (kW)") == "102.0"  # 10 x 10.2 kW
    assert metric_value(page, "Facility power (kW)") == "153.0"
    assert metric_value(page, "Racks") == "3"  # 4 per 40.8 kW rack
    assert page.locator("[data-testid='stException']").count() == 0
