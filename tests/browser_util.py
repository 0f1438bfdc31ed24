"""Helpers for the browser tests."""

from __future__ import annotations


def wait_for_app(tab, timeout_ms: int = 30000) -> None:
    """Wait until Streamlit has finished its run (no running indicator, app rendered)."""
    tab.wait_for_selector("[data-testid='stApp']", timeout=timeout_ms)
    tab.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=timeout_ms
    )

