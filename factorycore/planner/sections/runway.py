"""Plant section: the runway under uncertainty (Monte Carlo): when each capacity runs out, P10 / P50 / P90.

The capacities besides the utility come from the sections before it: the UPS modules
(electrical), the CDUs (liquid loop), and the floor when rack positions are given.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from factorycore import numbers
from factorycore.electrical import ElectricalResult
from factorycore.fleet import FleetResult
from factorycore.growth import DEFAULT_END_YEAR, DEFAULT_START_YEAR
from factorycore.liquid_loop import LiquidLoopResult
from factorycore.planner.spec import PLAN_CAPTION, Context, Input, Limit, PlanResult, Reading, Section, SectionView
from factorycore.runway import DEFAULT_RUNS, runway
from factorycore.units import KW_PER_MW

if TYPE_CHECKING:
    from factorycore.views.base import View

# A fixed seed, so a link reproduces the same percentiles; a 5-point spread of each
# year's growth around the central rate (project assumption).
RUNWAY_SEED = 2026
DEFAULT_GROWTH_SD = 0.05

INPUTS = (
    Input(
        "growth_sd",
        DEFAULT_GROWTH_SD,
        "growth_sd",
        limit=Limit(0.0, 1.0),
        label="Growth spread, 1 sd (points a year)",
        help="Each year's growth is drawn around the central rate with this standard deviation.",
        widget_key="pl_growth_sd_pct",
        scale=100,
        step=1.0,
        decimals=1,
        flag="--growth-sd",
    ),
    Input(
        "pue_sd",
        0.0,
        "pue_sd",
        limit=Limit(0.0, 1.0),
        label="PUE spread, 1 sd",
        widget_key="pl_pue_sd",
        step=0.01,
        decimals=2,
        flag="--pue-sd",
    ),
    Input(
        "density_growth",
        0.0,
        "density",
        limit=Limit(-0.5, 2.0),
        label="Rack-density growth (% a year)",
        help="Denser racks fit more MW into the same floor positions.",
        widget_key="pl_density_pct",
        scale=100,
        step=1.0,
        decimals=1,
        flag="--density-growth",
    ),
    Input(
        "rack_positions",
        None,
        "positions",
        "whole",
        Limit(1, 1_000_000),
        optional=True,
        label="Rack positions",
        widget_key="pl_positions",
        toggle="Limit rack positions (floor)",
        toggle_key="pl_floor_on",
        fallback=100,
    ),
)
LABELS = {
    "utility": "Utility",
    "ups": "UPS (usable, IT)",
    "cooling": "Cooling (CDUs, IT)",
    "floor": "Floor (rack positions, IT)",
}
BINDING = {"utility": "the utility supply", "ups": "the UPS", "cooling": "the CDUs", "floor": "the floor"}


def runway_constraints(
    electrical: ElectricalResult, liquid: LiquidLoopResult, capture: float, fleet: FleetResult, inputs: Any
) -> tuple[tuple[str, float], ...]:
    """The capacities besides the utility that the plan's own plant sets, in MW of the load each carries.

    UPS: the modules that carry load without spending redundancy (needed x module kW).
    Cooling: the CDUs' usable capacity (needed x CDU kW) is liquid heat; as IT load it is
    that / capture. Floor: rack positions x today's kW per rack (only when positions are given).
    """
    result = [("ups", electrical.ups_modules_needed * electrical.ups_module_kw / KW_PER_MW)]
    if liquid.cdus_needed and capture > 0:
        result.append(("cooling", liquid.cdus_needed * liquid.cdu_kw / capture / KW_PER_MW))
    if inputs.rack_positions is not None:
        result.append(("floor", inputs.rack_positions * fleet.kw_per_rack / KW_PER_MW))
    return tuple(result)


def compute(ctx: Context) -> dict[str, Any]:
    """The Monte Carlo runway from today's facility MW against the utility and the plant's capacities."""
    i = ctx.inputs
    constraints = runway_constraints(ctx.parts["electrical"], ctx.parts["liquid"], ctx.capture, ctx.fleet, i)
    result = runway(
        ctx.power.facility_kw / KW_PER_MW,
        i.capacity_mw,
        i.growth,
        i.growth_sd,
        dict(constraints),
        pue=ctx.pue,
        pue_sd=ctx.pue_sd,
        density_growth=i.density_growth,
        runs=DEFAULT_RUNS,
        seed=RUNWAY_SEED,
        start_year=DEFAULT_START_YEAR,
        end_year=DEFAULT_END_YEAR,
    )
    return {"runway_constraints": constraints, "runway": result}


def constraint_rows(result: PlanResult) -> pd.DataFrame:
    """Each capacity of the runway, in its own MW and as facility MW (x PUE for IT-carrying ones)."""
    records = [
        {
            "name": c.name,
            "label": LABELS[c.name],
            "capacity_mw": c.capacity_mw,
            "carries": c.carries,
            "facility_mw": c.capacity_mw * (result.pue if c.carries == "it" else 1.0),
            "p10_year": c.p10_year,
            "p50_year": c.p50_year,
            "p90_year": c.p90_year,
            "binding_share": c.binding_share,
        }
        for c in (result.runway.constraints if result.runway else ())
    ]
    return result.modelled(pd.DataFrame.from_records(records))


def fan_rows(result: PlanResult) -> pd.DataFrame:
    """Facility load P10 / P50 / P90 by year across the runs."""
    return result.modelled(pd.DataFrame(result.runway.fan_rows() if result.runway else []))


def view(result: PlanResult, sources: pd.DataFrame | None = None, *, large: bool = False) -> View:
    """The Monte Carlo runway: load bands against each capacity."""
    from factorycore.charts import plant as charts  # noqa: PLC0415
    from factorycore.views.base import View  # noqa: PLC0415

    run = result.runway
    fan = fan_rows(result)
    fig = charts.runway_fan(fan, constraint_rows(result), runs=run.runs, large=large)
    return View(
        fig,
        fan,
        "Runway under uncertainty",
        PLAN_CAPTION,
        note=f"{run.runs:,} runs, seed {run.seed}; IT-carrying capacities drawn as facility MW at PUE {result.pue:g}.",
    )


def reading(result: PlanResult) -> Reading:
    """When the site runs out, and what binds first."""
    run = result.runway
    return (
        "markdown",
        f"The site runs out between {numbers.year(run.p10_year)} (P10) and {numbers.year(run.p90_year)} (P90), "
        f"median {numbers.year(run.p50_year)}; "
        + (f"{BINDING[run.binding]} binds first." if run.binding else "no capacity runs out by 2035."),
    )


def detail(result: PlanResult) -> pd.DataFrame:
    """The capacities and their years, under the chart."""
    return constraint_rows(result)[["label", "capacity_mw", "p10_year", "p50_year", "p90_year", "binding_share"]]


def table(result: PlanResult) -> list[tuple[str, str]]:
    """The report's rows."""
    run = result.runway
    if run is None:
        return []
    years = "/".join(numbers.year(y, "later") for y in (run.p10_year, run.p50_year, run.p90_year))
    return [("Runway P10/P50/P90", years), ("Binds first", run.binding or "nothing within the horizon")]


def compare(result: PlanResult) -> dict[str, Any]:
    """The comparison's columns."""
    run = result.runway
    return {"runway_p50_year": run.p50_year if run else None, "runway_binding": run.binding if run else None}


def commands(result: PlanResult) -> list[list[str]]:
    """``runway`` with the plan's load, capacities, spreads and seed."""
    run, i, text = result.runway, result.inputs, numbers.exact
    if run is None:
        return []
    return [
        [
            "runway",
            f"--load-mw={text(result.power.facility_kw / KW_PER_MW)}",
            f"--capacity-mw={text(i.capacity_mw)}",
            *(f"--constraint={name}={text(mw)}" for name, mw in result.runway_constraints),
            f"--growth={text(i.growth)}",
            f"--growth-sd={text(i.growth_sd)}",
            f"--pue={text(result.pue)}",
            f"--pue-sd={text(result.pue_sd)}",
            f"--density-growth={text(i.density_growth)}",
            f"--runs={run.runs}",
            f"--seed={RUNWAY_SEED}",
            f"--start-year={DEFAULT_START_YEAR}",
            f"--end-year={DEFAULT_END_YEAR}",
        ]
    ]


SECTION = Section(
    name="runway",
    title="Runway under uncertainty",
    short="runway",
    inputs=INPUTS,
    compute=compute,
    empty={"runway_constraints": (), "runway": None},
    views=(SectionView("planner-runway", view),),
    reading=reading,
    detail=detail,
    table=table,
    compare=compare,
    commands=commands,
    basis="growth spread 5 points a year, PUE spread 0, 10,000 runs, seed 2026",
)
