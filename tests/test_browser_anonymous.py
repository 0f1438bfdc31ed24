"""With sign-in configured, a session that has not signed in costs the server nothing: no upload, no cache clearing.

A real ``streamlit run`` with sign-in against ``oidc-provider-mock`` on 127.0.0.1. The session
id a hand-made client would use is read from the websocket frames the page receives (each
UUID in them is tried), and the upload is a plain ``PUT`` from the page, as Streamlit's
own uploader sends it.
"""

from __future__ import annotations

import re
import secrets
import urllib.request
from pathlib import Path

import pytest

from devkit.oidc import auth_secrets, oidc_provider
from devkit.server import free_port, streamlit_server
from tests.browser_util import wait_for_app

ALICE = "alice@example.com"
TIMEOUT_MS = 60_000
UUID = re.compile(rb"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
pytestmark = [pytest.mark.browser, pytest.mark.slow]

PUT = """async ([url, ids]) => {
  const xsrf = (document.cookie.match(/_streamlit_xsrf=([^;]+)/) || [])[1] || "";
  const codes = [];
  for (const id of ids) {
    const form = new FormData();
    form.append("file", new Blob([new Uint8Array(1024 * 1024)]), "big.csv");
    const r = await fetch(`${url}/_stcore/upload_file/${id}/f${Date.now()}`,
      {method: "PUT", body: form, credentials: "include", headers: {"X-Xsrftoken": decodeURIComponent(xsrf)}});
    codes.push(r.status);
  }
  return codes;
}"""


@pytest.fixture
def signin_app(browser, tmp_path: Path):
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with oidc_provider([ALICE], tmp_path / "oidc.log") as provider:
        secrets_file = tmp_path / "secrets.toml"
        secrets_file.write_text(auth_secrets(provider, url, secrets.token_hex(16)))
        log = tmp_path / "app.log"
        with streamlit_server("app.py", tmp_path / "app.duckdb", log, port=port, secrets_file=secrets_file):
            yield url, log


def _open_recording_ids(context, url: str) -> tuple[object, set[str]]:
    tab = context.new_page()
    ids: set[str] = set()

    def on_socket(ws) -> None:
        ws.on("framereceived", lambda payload: ids.update(m.decode() for m in UUID.findall(_bytes(payload))))

    tab.on("websocket", on_socket)
    tab.goto(url + "/my_facility")
    return tab, ids


def _bytes(payload: object) -> bytes:
    return payload if isinstance(payload, bytes) else str(payload).encode()


def test_an_anonymous_session_cannot_upload_but_a_signed_in_one_can(browser, signin_app) -> None:
    url, log = signin_app
    anonymous = browser.new_context()
    tab, ids = _open_recording_ids(anonymous, url)
    tab.get_by_role("button", name="Sign in").wait_for(timeout=TIMEOUT_MS)
    assert ids, "the page's frames carry its session id"
    codes = tab.evaluate(PUT, [url, sorted(ids)])
    assert 204 not in codes and set(codes) <= {400, 403}, codes
    assert "upload refused: the session has not signed in" in log.read_text()
    anonymous.close()

    # The same request from a signed-in session is accepted: the test can tell the two apart.
    alice = browser.new_context()
    tab, ids = _open_recording_ids(alice, url)
    tab.get_by_role("button", name="Sign in").click(timeout=TIMEOUT_MS)
    tab.wait_for_url("**/oauth2/authorize**", timeout=TIMEOUT_MS)
    tab.get_by_role("button", name=ALICE).click()
    tab.get_by_text("Signed in as").wait_for(timeout=TIMEOUT_MS)
    wait_for_app(tab)
    assert 204 in tab.evaluate(PUT, [url, sorted(ids)])
    alice.close()


def _cache_bytes(url: str) -> int:
    with urllib.request.urlopen(f"{url}/_stcore/metrics", timeout=10) as response:
        text = response.read().decode()
    return sum(int(float(v)) for v in re.findall(r'cache_memory_bytes\{[^}]*type="st_cache_\w+"[^}]*\} (\S+)', text))


def test_an_anonymous_clear_cache_message_clears_nothing(browser, signin_app) -> None:
    from streamlit.proto.BackMsg_pb2 import BackMsg

    url, log = signin_app
    alice = browser.new_context()
    tab = alice.new_page()
    tab.goto(url + "/")
    tab.get_by_role("button", name="Sign in").click(timeout=TIMEOUT_MS)
    tab.wait_for_url("**/oauth2/authorize**", timeout=TIMEOUT_MS)
    tab.get_by_role("button", name=ALICE).click()
    tab.get_by_text("Signed in as").wait_for(timeout=TIMEOUT_MS)
    wait_for_app(tab)
    before = _cache_bytes(url)
    assert before > 0, "the signed-in overview filled the caches"

    anonymous = browser.new_context()
    page = anonymous.new_page()
    page.goto(url + "/")
    page.get_by_role("button", name="Sign in").wait_for(timeout=TIMEOUT_MS)
    message = BackMsg(clear_cache=True).SerializeToString()
    sent = page.evaluate(
        """async (bytes) => {
          const ws = new WebSocket(location.origin.replace('http', 'ws') + '/_stcore/stream', ['streamlit']);
          ws.binaryType = 'arraybuffer';
          await new Promise((ok, no) => { ws.onopen = ok; ws.onerror = no; });
          ws.send(new Uint8Array(bytes));
          await new Promise((ok) => setTimeout(ok, 1500));
          ws.close();
          return true;
        }""",
        list(message),
    )
    assert sent
    assert _cache_bytes(url) >= before * 0.9, "an anonymous session cleared every user's caches"
    assert "clear_cache ignored: the session has not signed in" in log.read_text()
    anonymous.close()
    alice.close()


def test_uploads_held_in_memory_are_bounded_per_session(browser, tmp_path: Path, monkeypatch) -> None:
    """Without sign-in each session is its own user: past its bound (1 MB here) the next upload is refused unread."""
    monkeypatch.setenv("FACTORY_UPLOADS_PER_USER_MB", "1")
    log = tmp_path / "app.log"
    with streamlit_server("app.py", tmp_path / "app.duckdb", log) as url:
        context = browser.new_context()
        tab, ids = _open_recording_ids(context, url)
        wait_for_app(tab)
        first = tab.evaluate(PUT, [url, sorted(ids)])
        assert 204 in first, first  # 1 MB held: at the bound
        second = tab.evaluate(PUT, [url, sorted(ids)])
        assert 204 not in second, second
        assert "uploads held in memory are at their bound (FACTORY_UPLOADS_PER_USER_MB)" in log.read_text()
        context.close()
