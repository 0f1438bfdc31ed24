"""The one way a page shows a chart: a view's figure, caption, data and downloads.

Every chart in the app goes through :func:`chart_block` with a
:class:`factorycore.views.View`, so each has the same caption and reading note, the
same "data behind this chart" expander (each row's status, the source's own words and
a link to where they were read) with a CSV download, and the same
PNG / SVG / HTML "Download" menu.
"""

from __future__ import annotations

import logging
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from plotly.basedatatypes import BaseFigure

from factorycore import provenance
from factorycore.safe_csv import to_safe_csv
from factorycore.views import View
from ui.data import reference
from ui.exports import export_buttons
from ui.tables import safe_table
from ui.text import plain_md


class _Drawn(BaseFigure):
    """A figure's plain dict, made once, in the shape ``st.plotly_chart`` takes.

    ``st.plotly_chart`` asks a figure for ``to_dict()``: a deep copy with every array
    encoded to base64, most of a planner rerun's time. Views are never changed once built
    (the cached ones are shared), so each figure's dict is made on first draw, kept on
    the figure, and handed over as is: Streamlit only reads it, to write the JSON.
    """

    def __init__(self, spec: dict[str, Any]) -> None:  # noqa: D107 - no BaseFigure state: only to_dict is used
        object.__setattr__(self, "_spec", spec)

    def to_dict(self) -> dict[str, Any]:
        return self._spec


def drawable(fig: go.Figure) -> BaseFigure:
    """What to give ``st.plotly_chart`` for ``fig``: its dict, built on the first draw only."""
    spec = fig.__dict__.get("_drawn_spec")
    if spec is None:
        spec = fig.to_dict()
        fig._drawn_spec = spec
    return _Drawn(spec)


def chart_block(view: View, *, key: str, on_select: str = "ignore") -> object:
    """Draw ``view`` with its provenance and downloads; return the selection state if any."""
    state = st.plotly_chart(drawable(view.fig), key=key, on_select=on_select, config={"displaylogo": False})
    shown = plain_md if view.quotes_user_text else str
    st.caption(shown(view.caption))
    if view.note:
        st.caption(shown(view.note))
    # The table and its CSV are built only once the expander is opened (a rerun), so a
    # page's first paint never waits for a data grid or a CSV nobody asked for.
    data = st.expander("Data behind this chart", key=f"{key}-data", on_change="rerun")
    if data.open:
        with data:
            evidence = _evidence(view)
            if evidence is None:
                st.info("The rows behind this chart cannot be listed here; the CSV below holds them.")
            else:
                _evidence_grid(evidence)
            st.download_button(
                "Download data (CSV)",
                data=to_safe_csv(view.rows),
                file_name=f"{key}.csv",
                mime="text/csv",
                key=f"{key}-csv",
                on_click="ignore",
            )
    export_buttons(view.fig, key=key, caption=view.caption)
    return state


def _evidence(view: View) -> pd.DataFrame | None:
    """The view's rows with their evidence first, or None when they cannot be put in that shape
    (the expander then says so; it never takes the page down)."""
    try:
        return provenance.evidence_table(view.rows, reference("sources"))
    except (ValueError, KeyError, TypeError) as exc:
        logging.getLogger(__name__).warning("evidence table of %r failed: %s", view.title, exc, exc_info=True)
        return None


def _evidence_grid(evidence: pd.DataFrame) -> None:
    safe_table(
        evidence,
        hide_index=True,
        column_config={
            "status": st.column_config.TextColumn("status", help="reported, derived, modelled or unverified"),
            "quote": st.column_config.TextColumn("quote", help="the source's own words for the number"),
            "link": st.column_config.LinkColumn("link", help="where the quote was read (or the source)"),
            "formula": st.column_config.TextColumn("formula", help="derived rows: the arithmetic on other rows"),
        },
    )
