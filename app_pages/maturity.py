"""Infrastructure maturity: segments by AI-factory dimension."""

import streamlit as st

from factorycore.charts.maturity import KINDS, available_years, maturity_figure, maturity_rows
from ui.chart_block import chart_block
from ui.controls import page_intro, segment_picker, year_picker
from ui.data import reference

page_intro(
    "Infrastructure maturity by segment",
    "Who is building AI factories, and who is adapting? Hyperscalers, AI-native clouds, "
    "colocation and enterprise rated on six dimensions (0–100 score, or % of operators for "
    "liquid cooling). Survey figures anchor the estimates.",
)

data = reference("maturity")
left, middle, right = st.columns([3, 2, 1])
segments = segment_picker(left, "Segments", sorted(set(data["segment"])), key="mat-segments")
year = year_picker(middle, "Year", available_years(data), key="mat-year")
kind = right.radio("View", KINDS, key="mat-kind", format_func=str.capitalize)

fig = maturity_figure(data, year=year, segments=segments, kind=kind, sources=reference("sources"))
chart_block(
    fig, key="maturity", rows=maturity_rows(data, year=year, segments=segments),
    note="'≈' (heatmap) and dashed outlines (radar) mark modelled scores; plain values are "
         "reported survey figures. The industry-average row holds only what surveys report "
         "(liquid-cooling adoption); no public survey scores the other dimensions, so those "
         "cells stay empty rather than invented. Each row's method is in the data table below.",
)
