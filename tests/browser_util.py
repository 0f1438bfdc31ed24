"""Helpers for the browser tests."""

from __future__ import annotations

SETTLE_MS = 400
_IDLE_WITH_CONTENT = """() =>
    !document.querySelector('[data-testid="stStatusWidget"]') &&
    !!document.querySelector('[data-testid="stMain"] [data-testid="stElementContainer"]')"""


def wait_for_app(tab, timeout_ms: int = 30000) -> None:
    """Wait until Streamlit has drawn the page and finished its run.

    The running indicator appears only after a short delay, so "no indicator" alone can
    be seen before the run starts; the check is repeated after a settle pause.
    """
    tab.wait_for_selector("[data-testid='stApp']", timeout=timeout_ms)
    for _ in range(2):
        tab.wait_for_function(_IDLE_WITH_CONTENT, timeout=timeout_ms)
        tab.wait_for_timeout(SETTLE_MS)
    tab.wait_for_function(_IDLE_WITH_CONTENT, timeout=timeout_ms)
