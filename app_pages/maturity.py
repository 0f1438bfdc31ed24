"""Infrastructure maturity: segments by AI-factory dimension."""

import streamlit as st

from factorycore.charts.maturity import KINDS, available_years
from ui.chart_block import chart_block
from ui.controls import page_intro, segment_picker, year_picker
from ui.data import article_chart, reference

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

chart_block(article_chart("maturity", year=year, segments=segments, kind=kind), key="maturity")
