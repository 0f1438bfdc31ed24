"""A plan's plant charts as views: electrical capacity, the liquid loop's water classes, the
runway fan and the MLPerf output ranking.

Each is its section's own view (``factorycore/planner/sections/``), named here for the
readers that draw one by name; the page, the report and the deck take them from the sections.
"""

from __future__ import annotations

from factorycore.planner.sections import electrical, liquid_loop, output, runway
from factorycore.views.planner import all_plan_views

electrical_view = electrical.view
liquid_loop_view = liquid_loop.view
runway_view = runway.view
output_view = output.view

__all__ = ["all_plan_views", "electrical_view", "liquid_loop_view", "output_view", "runway_view"]
