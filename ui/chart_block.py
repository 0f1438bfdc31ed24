"""The one way a page shows a chart: figure, source caption, data and downloads.

Every chart in the app goes through :func:`chart_block`, so each has the same
caption, the same "data behind this chart" expander with a CSV download, and the
same PNG / SVG / HTML export buttons.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from factorycore import provenance
from factorycore.safe_csv import to_safe_csv
from ui.data import reference
from ui.exports import export_buttons
from ui.tables import safe_table


def chart_block(
    fig: go.Figure,
    *,
    key: str,
    rows: pd.DataFrame,
    on_select: str = "ignore",
    note: str | None = None,
) -> object:
    """Draw ``fig`` with its provenance and downloads; return the selection state if any."""
    state = st.plotly_chart(fig, key=key, on_select=on_select, config={"displaylogo": False})
    caption = provenance.caption(rows, reference("sources"))
    st.caption(caption)
    if note:
        st.caption(note)
    # The table and its CSV are built only once the expander is opened (a rerun), so a
    # page's first paint never waits for a data grid or a CSV nobody asked for.
    data = st.expander("Data behind this chart", key=f"{key}-data", on_change="rerun")
    if data.open:
        with data:
            safe_table(rows, hide_index=True)
            st.download_button(
                "Download data (CSV)",
                data=to_safe_csv(rows),
                file_name=f"{key}.csv",
                mime="text/csv",
                key=f"{key}-csv",
                on_click="ignore",
            )
    export_buttons(fig, key=key, caption=caption)
    return state
