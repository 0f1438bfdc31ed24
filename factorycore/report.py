"""Exports: one chart as PNG, SVG or standalone HTML; the self-contained HTML report.

Static images are rendered by kaleido, which drives a Chromium browser. Debian's
``/usr/bin/chromium`` is used unless ``BROWSER_PATH`` names another (kaleido reads
that variable); nothing is downloaded.
"""

from __future__ import annotations

import os
from pathlib import Path

import plotly.graph_objects as go

SYSTEM_CHROMIUM = Path("/usr/bin/chromium")
FIGURE_FORMATS: dict[str, str] = {"png": "image/png", "svg": "image/svg+xml", "html": "text/html"}
EXPORT_WIDTH_PX = 1280
EXPORT_HEIGHT_PX = 720


def _use_system_chromium() -> None:
    if "BROWSER_PATH" not in os.environ and SYSTEM_CHROMIUM.exists():
        os.environ["BROWSER_PATH"] = str(SYSTEM_CHROMIUM)


def figure_bytes(fig: go.Figure, fmt: str) -> bytes:
    """The figure as PNG, SVG or a standalone interactive HTML page (Plotly.js inlined)."""
    if fmt == "html":
        return fig.to_html(full_html=True, include_plotlyjs=True).encode("utf-8")
    if fmt not in ("png", "svg"):
        raise ValueError(f"unknown figure format {fmt!r}; expected png, svg or html")
    _use_system_chromium()
    return fig.to_image(format=fmt, width=EXPORT_WIDTH_PX, height=EXPORT_HEIGHT_PX, scale=1)
