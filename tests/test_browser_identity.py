"""Identity from verified claims and sign-out that ends the session, through a real OpenID Connect flow.

The provider is ``oidc-provider-mock`` on 127.0.0.1 and the app a real ``streamlit run``.
Mallory is a different subject whose ``email`` claim says alice@example.com, unverified.
"""

from __future__ import annotations

import secrets
from pathlib import Path

import pytest

from devkit.oidc import auth_secrets, oidc_provider
from devkit.server import free_port, streamlit_server
from tests.browser_util import wait_for_app

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "data/samples/racks_sample.csv"
ALICE = "alice@example.com"
MALLORY = {"sub": "mallory-subject", "email": ALICE, "email_verified": False}
TIMEOUT_MS = 60_000
pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def signin_app(browser, tmp_path: Path):
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with oidc_provider([ALICE, MALLORY], tmp_path / "oidc.log") as provider:
        secrets_file = tmp_path / "secrets.toml"
        secrets_file.write_text(auth_secrets(provider, url, secrets.token_hex(16)))
        with streamlit_server(
            "app.py", tmp_path / "app.duckdb", tmp_path / "app.log", port=port, secrets_file=secrets_file
        ):
            yield url


def _sign_in(browser, url: str, button: str):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    tab = context.new_page()
    tab.goto(url + "/my_facility")
    tab.get_by_role("button", name="Sign in").click(timeout=TIMEOUT_MS)
    tab.wait_for_url("**/oauth2/authorize**", timeout=TIMEOUT_MS)
    tab.get_by_role("button", name=button).click()
    tab.get_by_text("Signed in as").wait_for(timeout=TIMEOUT_MS)
    tab.goto(url + "/my_facility")
    wait_for_app(tab)
    return context, tab


def _upload_shared(tab) -> None:
    tab.locator("[data-testid='stFileUploader'] input[type=file]").set_input_files(str(SAMPLE))
    tab.get_by_text("Rows accepted").first.wait_for(timeout=TIMEOUT_MS)
    wait_for_app(tab)
    tab.get_by_text("Rename, save or delete this dataset").click()
    tab.get_by_role("button", name="Save to shared workspace").click()
    wait_for_app(tab)
    tab.get_by_text("Shared: every session and the command line see it.").wait_for(timeout=TIMEOUT_MS)


def test_an_unverified_email_claim_is_not_the_user_it_names(browser, signin_app) -> None:
    alice, tab = _sign_in(browser, signin_app, ALICE)
    _upload_shared(tab)
    alice.close()

    mallory, other = _sign_in(browser, signin_app, MALLORY["sub"])
    sidebar = other.locator("[data-testid='stSidebar']").inner_text()
    assert "alice@example.com (e-mail not verified)" in sidebar
    other.get_by_text("racks_sample", exact=True).first.wait_for(state="attached", timeout=TIMEOUT_MS)
    other.get_by_text("Rename, save or delete this dataset").click()
    other.get_by_text("only its owner can rename or delete it", exact=False).wait_for(timeout=TIMEOUT_MS)
    assert other.get_by_role("button", name="Rename", exact=True).is_disabled()
    assert other.get_by_role("button", name="Delete").is_disabled()
    mallory.close()


def test_a_sign_out_ends_every_tab_and_every_earlier_cookie(browser, signin_app) -> None:
    alice, first = _sign_in(browser, signin_app, ALICE)
    _upload_shared(first)
    cookies = alice.cookies()  # a copy taken before the sign-out
    second = alice.new_page()
    second.goto(signin_app + "/my_facility")
    wait_for_app(second)
    second.get_by_text("Signed in as").wait_for(timeout=TIMEOUT_MS)
    second.get_by_text("Rename, save or delete this dataset").click()
    rename = second.get_by_role("button", name="Rename", exact=True)
    assert rename.is_enabled()

    first.get_by_role("button", name="Sign out").click()
    first.wait_for_url("**/end_session**", timeout=TIMEOUT_MS)  # the provider's sign-out page

    # The other tab, still open on its old connection, tries a rename.
    second.get_by_role("textbox", name="New name").fill("renamed after sign-out")
    rename.click()
    second.get_by_text("This sign-in has ended").wait_for(timeout=TIMEOUT_MS)
    assert second.get_by_text("renamed after sign-out", exact=True).count() == 0

    # A copy of the cookie from before the sign-out signs nobody in.
    thief = browser.new_context()
    thief.add_cookies(cookies)
    stolen = thief.new_page()
    stolen.goto(signin_app + "/my_facility")
    stolen.get_by_text("This sign-in has ended").wait_for(timeout=TIMEOUT_MS)
    assert stolen.get_by_text("Your datasets").count() == 0
    thief.close()
    alice.close()

    # Signing in again works, and the dataset kept its name.
    again, tab = _sign_in(browser, signin_app, ALICE)
    tab.get_by_text("racks_sample", exact=True).first.wait_for(state="attached", timeout=TIMEOUT_MS)
    assert tab.get_by_text("renamed after sign-out", exact=True).count() == 0
    again.close()
