"""A file name over the limit is refused by the page itself, before anything is sent."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser_util import wait_for_app

SAMPLE = Path(__file__).resolve().parent.parent / "data/samples/racks_sample.csv"
TIMEOUT_MS = 60_000
pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_a_ten_thousand_character_file_name_gets_the_products_message_not_a_400(app_url, page) -> None:
    uploads: list[str] = []
    page.on("request", lambda r: uploads.append(r.url) if "/_stcore/upload_file/" in r.url else None)
    page.goto(app_url + "/my_facility")
    wait_for_app(page)
    name = "r" * 9996 + ".csv"
    page.locator("[data-testid='stFileUploader'] input[type=file]").first.set_input_files(
        files=[{"name": name, "mimeType": "text/csv", "buffer": b"rack_id,power_kw\nR1,5\n"}]
    )
    page.get_by_text("This file name is 10,000 characters long; at most 255 are accepted").wait_for(timeout=TIMEOUT_MS)
    page.wait_for_timeout(1000)
    assert page.get_by_text("AxiosError").count() == 0
    assert not uploads, "nothing was sent"
    # A file with an ordinary name still goes through.
    page.locator("[data-testid='stFileUploader'] input[type=file]").first.set_input_files(str(SAMPLE))
    page.get_by_text("Rows accepted").first.wait_for(timeout=TIMEOUT_MS)
    assert uploads, "the ordinary file was sent"
