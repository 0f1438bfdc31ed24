"""Browser end-to-end for presenting: download the report and a chart, step through slides.

Runs the real app (fixture ``app_url``) in Debian's Chromium through Playwright.
"""

from __future__ import annotations

import re
import struct
from pathlib import Path

import pytest

from tests.browser_util import wait_for_app

pytestmark = pytest.mark.browser

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
REMOTE_SCRIPT = re.compile(r"<script[^>]*\bsrc\s*=", re.IGNORECASE)
ARTICLE_CHARTS = 5
TIMEOUT_MS = 60_000


def test_report_page_downloads_a_self_contained_report(page, app_url: str, browser, tmp_path: Path) -> None:
    page.goto(f"{app_url}/report")
    wait_for_app(page)
    button = page.get_by_role("button", name=re.compile(r"Download report \(HTML\)"))
    button.wait_for(timeout=TIMEOUT_MS)
    with page.expect_download(timeout=TIMEOUT_MS) as info:
        button.click()
    download = info.value
    assert download.suggested_filename == "ai-factory-report.html"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    document = saved.read_text(encoding="utf-8")
    assert document.count("* plotly.js v") == 1
    assert not REMOTE_SCRIPT.search(document)
    assert document.count("Plotly.newPlot(") == ARTICLE_CHARTS
    assert "<h2>Sources</h2>" in document

    # Opened with every network request refused, all charts still draw.
    offline = browser.new_context(offline=True)
    try:
        tab = offline.new_page()
        tab.route(re.compile(r"^https?://"), lambda route: route.abort())
        tab.goto(saved.as_uri())
        tab.wait_for_function(
            f"document.querySelectorAll('.js-plotly-plot .main-svg').length >= {ARTICLE_CHARTS}",
            timeout=TIMEOUT_MS,
        )
    finally:
        offline.close()


def test_chart_png_download_beside_a_chart(page, app_url: str, tmp_path: Path) -> None:
    page.goto(f"{app_url}/stack")
    wait_for_app(page)
    # The chart's "Download" menu draws its three buttons once opened (a rerun).
    page.get_by_role("button", name=re.compile(r"^(download\s*)?Download$")).first.click()
    button = page.get_by_role("button", name=re.compile(r"Download PNG")).first
    button.wait_for(timeout=TIMEOUT_MS)
    with page.expect_download(timeout=TIMEOUT_MS) as info:
        button.click()
    download = info.value
    assert download.suggested_filename.endswith(".png")
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    data = saved.read_bytes()
    assert data[:8] == PNG_SIGNATURE
    assert struct.unpack(">II", data[16:24]) == (1280, 720)
    assert len(data) > 15_000


def test_presentation_next_changes_slide_and_url(page, app_url: str) -> None:
    page.goto(f"{app_url}/presentation?slide=1")
    wait_for_app(page)
    page.get_by_text(f"Slide 1 / {ARTICLE_CHARTS}").wait_for(timeout=TIMEOUT_MS)
    first_title = page.locator(".js-plotly-plot .gtitle").first.text_content(timeout=TIMEOUT_MS)
    page.get_by_role("button", name=re.compile("Next")).click()
    page.get_by_text(f"Slide 2 / {ARTICLE_CHARTS}").wait_for(timeout=TIMEOUT_MS)
    page.wait_for_url(re.compile(r"[?&]slide=2\b"), timeout=TIMEOUT_MS)
    wait_for_app(page)
    page.wait_for_function(
        "t => { const e = document.querySelector('.js-plotly-plot .gtitle'); return e && e.textContent !== t; }",
        arg=first_title,
        timeout=TIMEOUT_MS,
    )


def test_presentation_link_opens_that_slide(page, app_url: str) -> None:
    page.goto(f"{app_url}/presentation?slide=4")
    wait_for_app(page)
    page.get_by_text(f"Slide 4 / {ARTICLE_CHARTS}").wait_for(timeout=TIMEOUT_MS)
    title = page.locator(".js-plotly-plot .gtitle").first.text_content(timeout=TIMEOUT_MS)
    assert "maturity" in title.lower()


@pytest.mark.slow
def test_report_page_downloads_a_deck_that_draws_every_chart(page, app_url: str, soffice: str, tmp_path: Path) -> None:
    from pptx import Presentation
    from pptx.enum.shapes import MSO_SHAPE_TYPE

    from tests.browser_util import assert_deck_draws_every_chart

    page.goto(f"{app_url}/report")
    wait_for_app(page)
    page.get_by_text("PowerPoint (.pptx)").click()
    wait_for_app(page)
    page.get_by_text("Your PowerPoint template (optional)").wait_for(timeout=TIMEOUT_MS)
    button = page.get_by_role("button", name=re.compile(r"Download report \(PPTX\)"))
    button.wait_for(timeout=TIMEOUT_MS)
    with page.expect_download(timeout=TIMEOUT_MS * 2) as info:
        button.click()
    download = info.value
    assert download.suggested_filename == "ai-factory-report.pptx"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    data = saved.read_bytes()
    prs = Presentation(saved)
    charts = [s for s in prs.slides if any(sh.has_chart or sh.shape_type == MSO_SHAPE_TYPE.PICTURE for sh in s.shapes)]
    assert len(charts) == ARTICLE_CHARTS, "one slide per article chart"
    assert_deck_draws_every_chart(data, soffice, tmp_path)


def test_report_page_refuses_a_template_without_a_usable_layout(page, app_url: str, tmp_path: Path) -> None:
    import io

    from pptx import Presentation

    broken = Presentation()
    for layout in list(broken.slide_layouts):
        broken.slide_layouts.remove(layout)
    buffer = io.BytesIO()
    broken.save(buffer)
    template = tmp_path / "no-layouts.pptx"
    template.write_bytes(buffer.getvalue())

    page.goto(f"{app_url}/report")
    wait_for_app(page)
    page.get_by_text("PowerPoint (.pptx)").click()
    wait_for_app(page)
    page.locator("[data-testid='stFileUploader'] input[type='file']").set_input_files(str(template))
    page.get_by_text("This template cannot be used").wait_for(timeout=TIMEOUT_MS)
    wait_for_app(page)
    assert page.get_by_role("button", name=re.compile(r"Download report \(PPTX\)")).is_disabled()
