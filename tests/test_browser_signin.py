"""Two users sign in through a real OpenID Connect flow in Chromium; only the owner may change a dataset.

The provider is ``oidc-provider-mock`` on 127.0.0.1 and the app a real ``streamlit run``
whose secrets configure ``st.login``. Each user has a browser context of their own
(their own cookies), as two people on two machines would.
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
ALICE, BOB = "alice@example.com", "bob@example.com"
TIMEOUT_MS = 60_000
pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.server]  # an OIDC provider


@pytest.fixture
def signin_app(browser, tmp_path: Path):
    """The app with sign-in configured against a local provider offering alice and bob."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with oidc_provider([ALICE, BOB], tmp_path / "oidc.log") as provider:
        secrets_file = tmp_path / "secrets.toml"
        secrets_file.write_text(auth_secrets(provider, url, secrets.token_hex(16)))
        with streamlit_server(
            "app.py", tmp_path / "app.duckdb", tmp_path / "app.log", port=port, secrets_file=secrets_file
        ):
            yield url


def _sign_in(browser, url: str, user: str):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    tab = context.new_page()
    tab.goto(url + "/my_facility")
    tab.get_by_role("button", name="Sign in").click(timeout=TIMEOUT_MS)
    tab.wait_for_url("**/oauth2/authorize**", timeout=TIMEOUT_MS)
    tab.get_by_role("button", name=user).click()
    tab.get_by_text("Signed in as").wait_for(timeout=TIMEOUT_MS)
    assert tab.get_by_text(user, exact=True).count() >= 1
    tab.goto(url + "/my_facility")  # the provider sends the user back to the app's front page
    return context, tab


def _actions(tab):
    tab.get_by_text("Rename, save or delete this dataset").click()
    return tab.get_by_role("button", name="Rename", exact=True)


def test_two_signed_in_users_see_each_others_datasets_and_only_the_owner_changes_one(browser, signin_app) -> None:
    anonymous = browser.new_context()
    first = anonymous.new_page()
    first.goto(signin_app + "/my_facility")
    first.get_by_role("button", name="Sign in").wait_for(timeout=TIMEOUT_MS)
    assert first.get_by_text("Your datasets").count() == 0, "nothing is shown before sign-in"
    anonymous.close()

    alice, tab = _sign_in(browser, signin_app, ALICE)
    wait_for_app(tab)
    tab.locator("[data-testid='stFileUploader'] input[type=file]").set_input_files(str(SAMPLE))
    tab.get_by_text("Rows accepted").first.wait_for(timeout=TIMEOUT_MS)
    wait_for_app(tab)
    _actions(tab)
    tab.get_by_role("button", name="Save to shared workspace").click()
    wait_for_app(tab)
    tab.get_by_text("Shared: every session and the command line see it.").wait_for(timeout=TIMEOUT_MS)

    bob, other = _sign_in(browser, signin_app, BOB)
    wait_for_app(other)
    other.get_by_text("racks_sample", exact=True).first.wait_for(state="attached", timeout=TIMEOUT_MS)
    rename = _actions(other)
    other.get_by_text("only its owner can rename or delete it", exact=False).wait_for(timeout=TIMEOUT_MS)
    assert other.get_by_text(ALICE, exact=True).count() >= 1, "bob is told whose dataset it is"
    assert rename.is_disabled()
    assert other.get_by_role("button", name="Delete").is_disabled()
    assert other.get_by_role("checkbox", name="Yes, delete this dataset and its rejected rows").is_disabled()
    bob.close()

    tab.reload()
    wait_for_app(tab)
    rename = _actions(tab)
    assert rename.is_enabled(), "the owner may rename her dataset"
    tab.get_by_role("textbox", name="New name").fill("Hall A by Alice")
    rename.click()
    wait_for_app(tab)
    tab.get_by_text("Hall A by Alice", exact=True).first.wait_for(state="attached", timeout=TIMEOUT_MS)
    assert tab.locator("[data-testid='stException']").count() == 0
    alice.close()
