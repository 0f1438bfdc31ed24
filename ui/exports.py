"""Download a chart as PNG, SVG or interactive HTML: the one shared component.

``ui.chart_block`` calls :func:`export_buttons` beside every chart, so no page repeats
it. The three buttons sit in one "Download" menu (a popover) that draws them only while
it is open: a page of eight charts would otherwise draw 24 buttons on every rerun.
The bytes are produced only when a button is clicked (a callable ``data``), so a
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
MENU_LABEL = "Download"


def export_buttons(fig: go.Figure, *, key: str, caption: str | None = None) -> None:
    """The "Download" menu for ``fig``: PNG, SVG and standalone HTML, each with ``caption``.

    ``key`` names the menu and the files. The buttons take no widget key (their file
    names set them apart): every keyed widget is copied by each ``number_input`` and
    ``selectbox`` of a run (Streamlit's ``filtered_state``).
    """
    menu = st.popover(
        MENU_LABEL,
        icon=":material/download:",
        key=f"{key}-export",
        on_change="rerun",
        help="This chart as a picture (PNG, SVG) or an interactive HTML file",
    )
    if not menu.open:
        return
    with menu:
        for fmt, mime in FIGURE_FORMATS.items():
            st.download_button(
                f"Download {fmt.upper()}",
                data=functools.partial(figure_bytes, fig, fmt, caption),
                file_name=f"{key}.{fmt}",
                mime=mime,
                on_click="ignore",
                icon=":material/download:",
                help=FORMAT_HELP.get(fmt),
                width="stretch",
            )
