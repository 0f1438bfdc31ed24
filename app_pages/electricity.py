"""Data-center electricity outlook: US and world, history and scenarios to 2030."""

import streamlit as st

from factorycore.charts.electricity import DEFAULT_REGIONS, region_label, scenario_label
from ui.chart_block import chart_block
from ui.controls import page_intro
from ui.data import article_chart, reference

page_intro(
    "Data-center electricity outlook to 2030",
    "Denser racks add up to grid demand. US data-center electricity from LBNL (low–high "
    "scenarios) and the IEA, and the world, China and Europe from the IEA's Energy and AI "
    "(base case, Lift-Off and Headwinds cases).",
)

data = reference("electricity")
regions_available = list(dict.fromkeys(data["region"]))
scenarios_available = list(dict.fromkeys(data["scenario"]))
left, middle, right = st.columns([2, 3, 1])
regions = left.multiselect(
    "Regions",
    regions_available,
    key="el-regions",
    format_func=region_label,
    default=[r for r in DEFAULT_REGIONS if r in regions_available],
)
scenarios = middle.multiselect(
    "Scenarios", scenarios_available, default=scenarios_available, key="el-scenarios", format_func=scenario_label
)
show_ranges = right.toggle("Shade scenario ranges", value=True, key="el-ranges")

chart_block(
    article_chart("electricity", regions=regions, scenarios=scenarios, show_ranges=show_ranges), key="electricity"
)
