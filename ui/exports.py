"""Download buttons for a chart as PNG, SVG and interactive HTML.

The bytes are produced only when a button is clicked (a callable ``data``), so a
page never pays for a kaleido render it does not need.
"""

from __future__ import annotations

import functools

import plotly.graph_objects as go
import streamlit as st

from factorycore.report import FIGURE_FORMATS, figure_bytes


def export_buttons(fig: go.Figure, *, key: str) -> None:
    """One row of download buttons for ``fig``."""
    columns = st.columns(len(FIGURE_FORMATS))
    for column, (fmt, mime) in zip(columns, FIGURE_FORMATS.items()):
        column.download_button(
            f"Download {fmt.upper()}",
            data=functools.partial(figure_bytes, fig, fmt),
            file_name=f"{key}.{fmt}",
            mime=mime,
            key=f"{key}-{fmt}",
            on_click="ignore",
        )
