"""Browser end-to-end for "my site drives the plan": an Excel inventory and a DCGM scrape joined into
stranded capacity; a pull from a real Prometheus that the planner then starts from."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.browser_util import wait_for_app
from tests.corpus import make

pytestmark = [pytest.mark.browser, pytest.mark.slow]

TIMEOUT_MS = 60_000
T0_MS = 1_772_323_200_000


def metric_value(page, label: str) -> str:
    metric = (
        page.locator("[data-testid='stMetric']")
        .filter(has=page.locator("[data-testid='stMetricLabel']", has_text=re.compile(f"^{re.escape(label)}$")))
        .first
    )
    metric.wait_for(timeout=TIMEOUT_MS)
    return metric.locator("[data-testid='stMetricValue']").inner_text().strip()


def choose(page, label: str, option: str) -> None:
    """Pick ``option`` in the Streamlit selectbox labelled ``label``."""
    wait_for_app(page)
    box = page.locator("[data-testid='stSelectbox']").filter(has_text=label).first
    box.scroll_into_view_if_needed()
    box.get_by_role("button", name="Open").click()
    page.get_by_role("option", name=option).first.click()
    wait_for_app(page)


def upload(page, path: Path) -> None:
    page.locator("[data-testid='stFileUploader'] input[type=file]").set_input_files(str(path))
    wait_for_app(page)


def test_xlsx_inventory_and_dcgm_scrape_show_stranded_capacity(app_url, page, tmp_path):
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    inventory = tmp_path / "hall-b.xlsx"
    inventory.write_bytes(
        make.workbook(
            {
                "Racks": [
                    ["Hall B racks"],
                    ["Rack", "Hall", "Design power (kW)"],
                    ["B01", "Hall B", 10],
                    ["B02", "Hall B", 10],
                ]
            }
        )
    )
    scrape = tmp_path / "gpu-scrape.prom"
    # B01: one node with 4 GPUs at 1,000 W; B02: one node with 2 GPUs at 1,000 W (labels carry the rack).
    scrape.write_bytes(
        make.dcgm_scrape([("n1", g, 1000, T0_MS) for g in range(4)], ',rack="B01"')
        + make.dcgm_scrape([("n2", g, 1000, T0_MS) for g in range(2)], ',rack="B02"')
    )
    page.goto(app_url + "/my_facility")
    wait_for_app(page)
    upload(page, inventory)
    page.get_by_text("Rows accepted").first.wait_for(timeout=TIMEOUT_MS)
    upload(page, scrape)
    page.get_by_role("button", name="Store the GPU telemetry").click()
    wait_for_app(page)
    page.get_by_text("Converted from prometheus_text").first.wait_for(state="attached", timeout=TIMEOUT_MS)
    choose(page, "Dataset to compare", "hall-b.xlsx · Rack inventory")
    # The workbook has no measured column: until telemetry measures it, the view says so.
    page.get_by_text("No rack of this inventory has a measurement").first.wait_for(timeout=TIMEOUT_MS)
    choose(page, "Measured by", "telemetry: gpu-scrape.prom")
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-testid=stMetricValue]')].some(m => m.textContent.trim() === '14')",
        timeout=TIMEOUT_MS,
    )
    assert metric_value(page, "Stranded kW") == "14"  # (10 - 4) + (10 - 2)
    assert metric_value(page, "Utilisation") == "30%"  # 6 of 20 kW
    chart = page.locator(".js-plotly-plot", has_text="Stranded capacity").first
    chart.locator(".barlayer .trace").first.wait_for(timeout=TIMEOUT_MS)
    assert chart.locator(".barlayer .trace").count() >= 4  # allocated, p95, peak by hall; the histogram
    assert page.locator("[data-testid='stException']").count() == 0
    assert not errors, errors


def _prometheus_form(page, app_url: str, url: str) -> None:
    """My facility's Prometheus form filled in: the server's URL, the last 4 hours."""
    page.goto(app_url + "/my_facility")
    wait_for_app(page)
    page.get_by_text("GPU power from Prometheus").first.click()
    page.get_by_label("Prometheus URL").fill(url)
    page.get_by_label("Prometheus URL").press("Enter")
    wait_for_app(page)
    hours = page.get_by_label("Hours back from now")
    hours.fill("4")
    hours.press("Enter")
    wait_for_app(page)


def test_pull_from_prometheus_then_plan_from_it(app_url, page, prometheus_url):
    _prometheus_form(page, app_url, prometheus_url["url"])
    page.get_by_role("button", name="Pull from Prometheus").click()
    page.get_by_text("Rows accepted").first.wait_for(timeout=TIMEOUT_MS)
    assert page.locator("[data-testid='stException']").count() == 0
    # Same browser session (the dataset is private to it): switch pages through the app's navigation.
    page.get_by_role("link", name="Planner").first.click()
    wait_for_app(page)
    page.get_by_text("Start from my site").first.click()
    choose(page, "Power telemetry", "prometheus")
    page.get_by_role("button", name="Use my site's measurements").click()
    wait_for_app(page)
    page.get_by_text("Inputs from your site").first.wait_for(timeout=TIMEOUT_MS)
    shown = page.locator("[data-testid='stMain']").inner_text()
    # 4 hosts x 8 GPUs; samples alternate +50 W, so the site p95 is the high phase:
    # sum over h, g of (100 + 10 h + g + 50) = 32 x 150 + 8 x 10 x (0+1+2+3) + 4 x 28 = 5,392 W.
    assert "IT load today from 'prometheus" in shown and "5.4 kW" in shown
    assert re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d to \d{4}-\d\d-\d\d \d\d:\d\d UTC", shown)
    assert page.get_by_role("spinbutton", name="Target IT load (MW)").input_value().startswith("0.005")
    assert page.locator("[data-testid='stException']").count() == 0


def test_add_a_live_source_refresh_it_then_plan_from_it(app_url, page, prometheus_url):
    _prometheus_form(page, app_url, prometheus_url["url"])
    page.get_by_role("button", name="Add as a live source").click()
    page.get_by_text("per-rack sums as the live dataset").first.wait_for(timeout=TIMEOUT_MS)
    page.get_by_text("Live from Prometheus at").first.wait_for(timeout=TIMEOUT_MS)
    page.get_by_role("button", name="Refresh from Prometheus").click()
    page.get_by_text("per-rack sums as the live dataset").first.wait_for(timeout=TIMEOUT_MS)
    assert page.locator("[data-testid='stException']").count() == 0
    page.get_by_role("link", name="Planner").first.click()
    wait_for_app(page)
    page.get_by_text("Start from my site").first.click()
    choose(page, "Power telemetry", "prometheus live")
    page.get_by_role("button", name="Use my site's measurements").click()
    wait_for_app(page)
    page.get_by_text("Inputs from your site").first.wait_for(timeout=TIMEOUT_MS)
    shown = page.locator("[data-testid='stMain']").inner_text()
    # The server's sums give the copy's figure: the site p95 is the high phase, 5,392 W.
    assert "IT load today from 'prometheus live" in shown and "5.4 kW" in shown
    assert page.locator("[data-testid='stException']").count() == 0
