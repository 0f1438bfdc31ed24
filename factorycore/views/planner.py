"""A plan's charts as views: the power chain, the heat split, the load trajectory, the
cost tornado and the scenario comparison.

The planner page, the report's scenario section and the deck take these, so a plan
is drawn, captioned and explained the same way everywhere.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import pandas as pd

from factorycore import planner
from factorycore.charts import planner as charts
from factorycore.planner.spec import PLAN_CAPTION
from factorycore.views.base import NothingToDraw, View


def sankey_view(result: planner.PlanResult, *, large: bool = False) -> View:
    """Where the facility's power goes, from the grid to IT, losses and cooling (energy-conserving)."""
    if result.flows_error:
        raise NothingToDraw(result.flows_error)
    flows = result.flow_rows()
    return View(
        charts.power_sankey(flows, facility_kw=result.power.facility_kw, large=large),
        flows,
        "Power flow",
        PLAN_CAPTION,
        note="Power chain: UPS 96 %, distribution 98 % efficient; 90 % of the remaining "
        "overhead is cooling (project assumptions, factorycore.power).",
    )


def heat_view(result: planner.PlanResult, *, large: bool = False) -> View:
    """How the IT heat splits between liquid and air."""
    heat = result.heat_rows()
    return View(
        charts.heat_split(heat, technology=result.inputs.technology, large=large),
        heat,
        "Heat split",
        PLAN_CAPTION,
        note=f"Liquid capture {result.capture:.0%}; all IT power becomes heat.",
    )


def trajectory_view(result: planner.PlanResult, *, large: bool = False) -> View:
    """Facility load growing against the site capacity, with the year it runs out."""
    trajectory = result.trajectory_rows()
    fig = charts.load_trajectory(
        trajectory,
        capacity_mw=result.inputs.capacity_mw,
        exhausted_year=result.growth.capacity_exhausted_year,
        large=large,
    )
    facility_kw = planner.headline_text(result, units=False)["facility_kw"]
    return View(
        fig,
        trajectory,
        "Load against capacity",
        PLAN_CAPTION,
        note=f"Facility load growing {result.inputs.growth:.1%} a year from {facility_kw} kW.",
    )


def tornado_view(result: planner.PlanResult, *, large: bool = False) -> View:
    """Which input moves the annual cost most."""
    sweep = result.tornado_rows()
    return View(
        charts.cost_tornado(sweep, base_value=result.power.annual_cost_usd, large=large),
        sweep,
        "Annual cost sensitivity",
        PLAN_CAPTION,
        note="Each input alone moved ±20 % (PUE no lower than 1, utilisation no higher than 100 %); "
        "the others stay at their values.",
    )


def comparison_view(results: Mapping[str, planner.PlanResult]) -> View:
    """Saved scenarios side by side on their headline numbers."""
    frame = planner.comparison_frame(results)
    rows = frame.assign(source_id=[r.hardware.source_id for r in results.values()])
    return View(charts.scenario_comparison(frame), rows, "Scenarios compared", PLAN_CAPTION)


# A plan's own charts, listed once: (key, tab label, view). The page's tabs, the report,
# the deck and the presentation all take this list, then each plant section's views.
PLAN_CHARTS: tuple[tuple[str, str, Callable[..., View]], ...] = (
    ("planner-sankey", "Power flow", sankey_view),
    ("planner-heat", "Heat split", heat_view),
    ("planner-trajectory", "Trajectory", trajectory_view),
    ("planner-tornado", "Sensitivity", tornado_view),
)
PLAN_VIEWS = tuple(build for _, _, build in PLAN_CHARTS)


def plan_views(result: planner.PlanResult, *, large: bool = False) -> list[View]:
    """The plan's own charts, in page order (the Sankey left out when the chain cannot be drawn)."""
    views: list[View] = []
    for build in PLAN_VIEWS:
        try:
            views.append(build(result, large=large))
        except NothingToDraw:
            continue
    return views


def section_views(result: planner.PlanResult, sources: pd.DataFrame, *, large: bool = False) -> list[View]:
    """Each plant section's charts, in registry order (one that has nothing to draw left out)."""
    views: list[View] = []
    for section in planner.SECTIONS:
        for chart in section.views:
            try:
                views.append(chart.build(result, sources, large=large))
            except NothingToDraw:
                continue
    return views


def all_plan_views(result: planner.PlanResult, sources: pd.DataFrame, *, large: bool = False) -> list[View]:
    """Every chart of one plan in page order: the plan's own, then each plant section's."""
    return [*plan_views(result, large=large), *section_views(result, sources, large=large)]


def comparison_table(results: Mapping[str, planner.PlanResult]) -> pd.DataFrame:
    """Headline figures of several scenarios, one column each, one row per figure."""
    labels = planner.headline_labels()
    table = {name: planner.headline_text(result, units=False) for name, result in results.items()}
    keys = [key for key, *_ in planner.HEADLINE_FORMAT]
    return pd.DataFrame({"": [labels[k] for k in keys], **{n: [v[k] for k in keys] for n, v in table.items()}})
