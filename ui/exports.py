"""Download buttons for a chart as PNG, SVG and interactive HTML: the one shared component.

``ui.chart_block`` calls :func:`export_buttons` beside every chart, so no page repeats
it. The bytes are produced only when a button is clicked (a callable ``data``), so a
page never pays for a render it does not need. PNG and SVG come from kaleido through
``factorycore.export.figures.figure_bytes``, which keeps one headless Chromium open per server
process: the first image costs the browser start (2-4 s), later ones about 0.3 s.
"""

from __future__ import annotations

import functools

import plotly.graph_objects as go
import streamlit as st

from factorycore.export.figures import EXPORT_HEIGHT_PX, EXPORT_WIDTH_PX, FIGURE_FORMATS, figure_bytes

FORMAT_HELP: dict[str, str] = {
    "png": f"Picture for slides and documents ({EXPORT_WIDTH_PX} x {EXPORT_HEIGHT_PX} px)",
    "svg": "Vector image: sharp at any size, editable in design tools",
    "html": "Interactive chart in one file (zoom, hover); opens offline in any browser",
}


def export_buttons(fig: go.Figure, *, key: str, caption: str | None = None) -> None:
    """One row of download buttons for ``fig``: PNG, SVG and standalone HTML, each with ``caption``."""
    columns = st.columns(len(FIGURE_FORMATS))
    for column, (fmt, mime) in zip(columns, FIGURE_FORMATS.items()):
        column.download_button(
            f"Download {fmt.upper()}",
            data=functools.partial(figure_bytes, fig, fmt, caption),
            file_name=f"{key}.{fmt}",
            mime=mime,
            key=f"{key}-{fmt}",
            on_click="ignore",
            icon=":material/download:",
            help=FORMAT_HELP.get(fmt),
        )
