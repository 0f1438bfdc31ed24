"""Rack density evolution, 2020–2026: segments over time, with AI systems on the same scale."""

import streamlit as st

from ui.chart_block import chart_block
from ui.controls import modelled_toggle, page_intro, segment_picker
from ui.data import article_chart, reference

page_intro(
    "Rack density evolution, 2020–2026",
    "How fast is rack power rising, and how far apart are traditional (5–15 kW) and AI "
    "(50–100+ kW) racks? Each segment's average kW per rack, its modelled low–high range, "
    "and real AI systems (DGX A100 to GB300 NVL72, plus announced racks) on one scale.",
)

all_segments = sorted(set(reference("rack_density")["segment"]))
left, middle, right = st.columns([3, 1, 1.4])
segments = segment_picker(left, "Segments to show", all_segments, key="rd-segments")
scale = middle.radio(
    "Vertical axis",
    ["Log", "Linear"],
    key="rd-scale",
    horizontal=True,
    help="A log axis keeps 5 kW and 600 kW racks readable on one chart.",
)
include_modelled = modelled_toggle(right, key="rd-modelled")
show_systems = right.toggle("Show AI systems", value=True, key="rd-systems")

view = article_chart(
    "rack_density",
    segments=segments,
    log_y=scale == "Log",
    include_modelled=include_modelled,
    show_systems=show_systems,
)
chart_block(view, key="rack_density")
