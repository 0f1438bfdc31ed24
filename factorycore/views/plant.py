"""A plan's plant charts as views: electrical capacity, the liquid loop's water classes, the
runway fan and the MLPerf output ranking.

The planner page's plant sections draw these (``ui/plant_sections.py``), so the same
figure, rows and method note reach any report or deck that shows a plan.
"""

from __future__ import annotations

import pandas as pd

from factorycore import planner, provenance
from factorycore.charts import plant as charts
from factorycore.liquid_loop import MIN_APPROACH_K
from factorycore.planner.sections import electrical, liquid_loop, runway
from factorycore.views.base import View
from factorycore.views.planner import PLAN_CAPTION, all_plan_views


def electrical_view(result: planner.PlanResult, *, large: bool = False) -> View:
    """UPS, generators and utility: installed against critical capacity."""
    rows = electrical.rows(result)
    return View(
        charts.electrical_capacity(rows, large=large),
        rows,
        "Electrical plant",
        PLAN_CAPTION,
        note="Units needed = ceil(load / unit); N+1 adds one, 2N doubles (data/README.md, electrical plant).",
    )


def liquid_loop_view(result: planner.PlanResult, *, large: bool = False) -> View:
    """Which ASHRAE facility-water classes can serve the plan's coolant, the chosen one marked."""
    loop = result.liquid
    classes = liquid_loop.class_rows(result)
    fig = charts.liquid_loop_classes(
        classes,
        tcs_supply_c=loop.tcs_supply_c,
        min_approach_k=MIN_APPROACH_K,
        chosen=loop.facility_class,
        technology=result.inputs.technology,
        large=large,
    )
    return View(
        fig,
        classes,
        "Liquid loop",
        PLAN_CAPTION,
        note="Class ceilings, coolant temperatures and the 3 K minimum approach are project assumptions "
        "(data/README.md, liquid loop).",
    )


def runway_view(result: planner.PlanResult, *, large: bool = False) -> View:
    """The Monte Carlo runway: load bands against each capacity."""
    run = result.runway
    fan = runway.fan_rows(result)
    fig = charts.runway_fan(fan, runway.constraint_rows(result), runs=run.runs, large=large)
    return View(
        fig,
        fan,
        "Runway under uncertainty",
        PLAN_CAPTION,
        note=f"{run.runs:,} runs, seed {run.seed}; IT-carrying capacities drawn as facility MW at PUE {result.pue:g}.",
    )


def output_view(result: planner.PlanResult, sources: pd.DataFrame, *, large: bool = False) -> View:
    """The catalog's systems ranked by MLPerf tokens per second per MW, the plan's system marked."""
    ranked = result.output_ranking
    fig = charts.output_ranking(
        ranked,
        benchmark=result.output_benchmark,
        scenario=result.inputs.output_scenario,
        highlight=result.hardware.id,
        missing=result.output_missing,
        large=large,
    )
    return View(
        fig,
        ranked,
        "What the factory produces",
        provenance.caption(ranked, sources),
        note="Reported MLPerf Inference results (closed division) only; per MW uses the catalog's rated "
        "system power x PUE.",
    )


__all__ = ["all_plan_views", "electrical_view", "liquid_loop_view", "output_view", "runway_view"]
