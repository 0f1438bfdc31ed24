"""Power distribution: share of racks per density band, per facility profile."""

import streamlit as st

from factorycore.charts.power_distribution import (
    LAYOUTS,
    available_years,
    power_distribution_figure,
    power_distribution_rows,
)
from ui.chart_block import chart_block
from ui.controls import page_intro, segment_picker, year_picker
from ui.data import reference

page_intro(
    "Power distribution by rack density band",
    "Most racks still run below 10 kW, while AI factories sit above 50 kW. Each profile's "
    "share of racks per density band, side by side; pick a year to see the shift since 2020.",
)

dist = reference("power_distribution")
left, middle, right = st.columns([3, 2, 1])
profiles = segment_picker(left, "Profiles to compare", sorted(set(dist["profile"])), key="pd-profiles")
year = year_picker(middle, "Year", available_years(dist), key="pd-year")
layout = right.radio("Layout", LAYOUTS, key="pd-layout", format_func=str.capitalize,
                     help="Grouped: bars per band. Stacked: one 100 % bar per profile.")

fig = power_distribution_figure(dist, year=year, profiles=profiles, layout=layout, sources=reference("sources"))
chart_block(
    fig, key="power_distribution", rows=power_distribution_rows(dist, year=year, profiles=profiles),
    note="Every bar is a modelled share of racks (hatched). Surveys report shares of sites (Uptime: "
         "by a site's most common or densest rack); the models are fitted to those as shares of sites "
         "(data/README.md, density_anchors), never used as shares of racks.",
)
