"""The AI factory infrastructure stack: layers, components, and where the power goes."""

import pandas as pd
import streamlit as st

from factorycore.charts.stack import KINDS, layer_components, layer_from_selection, layer_summary
from ui.chart_block import chart_block
from ui.controls import page_intro, pick_from_selection
from ui.data import article_chart, reference, reference_hash
from ui.tables import safe_table

ALL_LAYERS = "All layers"

page_intro(
    "The AI factory infrastructure stack",
    "Six layers make an AI factory: accelerated compute, networking, power delivery, cooling, "
    "storage and orchestration. Each is sized by its share of facility power in a reference "
    "GB200 NVL72 deployment. Click a layer in the chart, or pick it below, to see its components.",
)


@st.cache_data(show_spinner=False, max_entries=4)
def layers(reference_hash: str) -> pd.DataFrame:
    """The per-layer summary of one reference build (a pandas group-by: made once, not on every rerun)."""
    return layer_summary(reference("stack"))


stack = reference("stack")
summary = layers(reference_hash())
clicked = layer_from_selection((st.session_state.get("stack") or {}).get("selection"), stack)
pick_from_selection("stack", "stack-layer", clicked)

left, right = st.columns([3, 1])
layer = left.selectbox("Layer", [ALL_LAYERS, *summary["layer"]], key="stack-layer")
kind = right.radio("View", KINDS, key="stack-kind", format_func=str.capitalize, horizontal=True)
selected = None if layer == ALL_LAYERS else layer

chart_block(article_chart("stack", kind=kind, selected_layer=selected), key="stack", on_select="rerun")

COLUMNS = {
    "layer_order": None,
    "layer": st.column_config.TextColumn("Layer"),
    "component": st.column_config.TextColumn("Component"),
    "components": st.column_config.NumberColumn("Components"),
    "examples": st.column_config.TextColumn("Examples"),
    "power_share_pct": st.column_config.NumberColumn("Share of facility power", format="%.1f %%"),
    "status": st.column_config.TextColumn("Status"),
    "source_id": st.column_config.TextColumn("Source"),
    "note": st.column_config.TextColumn("Method"),
}

if selected is None:
    st.subheader("Layers")
    safe_table(summary, hide_index=True, column_config=COLUMNS)
else:
    st.subheader(f"{selected}: components")
    safe_table(layer_components(stack, selected), hide_index=True, column_config=COLUMNS)
