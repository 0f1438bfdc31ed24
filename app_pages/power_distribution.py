"""Power distribution: share of racks per density band, per facility profile."""

import streamlit as st

from factorycore.charts.power_distribution import LAYOUTS, available_years
from ui.chart_block import chart_block
from ui.controls import page_intro, segment_picker, year_picker
from ui.data import article_chart, reference

page_intro(
    "Power distribution by rack density band",
    "Most racks still run below 10 kW, while AI factories sit above 50 kW. Each profile's "
    "share of racks per density band, side by side; pick a year to see the shift since 2020.",
)

dist = reference("power_distribution")
left, middle, right = st.columns([3, 2, 1])
profiles = segment_picker(left, "Profiles to compare", sorted(set(dist["profile"])), key="pd-profiles")
year = year_picker(middle, "Year", available_years(dist), key="pd-year")
layout = right.radio(
    "Layout",
    LAYOUTS,
    key="pd-layout",
    format_func=str.capitalize,
    help="Grouped: bars per band. Stacked: one 100 % bar per profile.",
)

chart_block(article_chart("power_distribution", year=year, profiles=profiles, layout=layout), key="power_distribution")
