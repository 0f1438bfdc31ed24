"""Overview: the headline figures from the reference data, each with its source, and the way in."""

import streamlit as st

from factorycore.headlines import READING_NOTE
from ui import overview_content
from ui.chart_block import chart_block
from ui.controls import page_intro
from ui.metrics import metric_cards
from ui.navigation import ARTICLE_PAGES

page_intro(
    "AI factories in numbers",
    "Are AI factories a new class of data center, or the next phase of hyperscale? The figures "
    "below come from surveys, vendor documents and energy outlooks; each names its source, and "
    "estimates are marked as modelled. Open a chart to compare segments, years and scenarios.",
)

# The cards are drawn above the chart but sent after it: the chart's Plotly script (4.7 MB,
# loaded on its first use) then starts downloading first, 2.5-4.5 % sooner to a first chart
# (python -m bench first_paint); the cards still arrive long before Plotly has drawn.
headlines = st.container()

st.subheader("Traditional versus AI racks")
chart_block(overview_content.contrast_chart(), key="overview_density")

with headlines:
    metric_cards(overview_content.headline_cards(), border=True)
    st.caption(READING_NOTE)

st.subheader("The charts")
for page in ARTICLE_PAGES.values():
    st.page_link(page.path, label=page.link_label, icon=page.icon)
