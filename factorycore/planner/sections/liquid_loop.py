"""Plant section: the liquid loop (CDUs, the facility-water flow and class behind the technology loop)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from factorycore.electrical import REDUNDANCY_SCHEMES
from factorycore.liquid_loop import (
    DEFAULT_CDU_KW,
    DEFAULT_CDU_REDUNDANCY,
    DEFAULT_FACILITY_CLASS,
    DEFAULT_FACILITY_DELTA_T_K,
    FACILITY_CLASSES,
    MIN_APPROACH_K,
    liquid_loop,
)
from factorycore.planner.spec import (
    PLAN_CAPTION,
    Context,
    Input,
    Limit,
    PlanResult,
    Reading,
    Section,
    SectionView,
    flags,
)

if TYPE_CHECKING:
    from factorycore.views.base import View

INPUTS = (
    Input(
        "cdu_kw",
        DEFAULT_CDU_KW,
        "cdu_kw",
        limit=Limit(1.0, 100_000.0),
        label="CDU capacity (kW)",
        widget_key="pl_cdu_kw",
        step=50.0,
        decimals=0,
        flag="--cdu-kw",
    ),
    Input(
        "cdu_redundancy",
        DEFAULT_CDU_REDUNDANCY,
        "cdu",
        "choice",
        choices=REDUNDANCY_SCHEMES,
        label="CDU redundancy",
        widget_key="pl_cdu_red",
        flag="--cdu-redundancy",
    ),
    Input(
        "facility_delta_t_k",
        DEFAULT_FACILITY_DELTA_T_K,
        "fw_dt",
        limit=Limit(1.0, 50.0),
        label="Facility water delta-T (K)",
        widget_key="pl_fw_dt",
        step=1.0,
        decimals=1,
        flag="--facility-delta-t",
    ),
    Input(
        "facility_class",
        DEFAULT_FACILITY_CLASS,
        "fw_class",
        "choice",
        choices=tuple(FACILITY_CLASSES),
        label="Facility water class (ASHRAE)",
        help="W17 ... W45: the warmest facility supply water, in C; W+ above 45 C.",
        widget_key="pl_fw_class",
        flag="--facility-class",
    ),
)


def compute(ctx: Context) -> dict[str, Any]:
    """CDUs and facility water for the liquid share of the heat."""
    i = ctx.inputs
    loop = liquid_loop(
        ctx.cooling.liquid_kw, i.technology, i.cdu_kw, i.cdu_redundancy, i.facility_delta_t_k, i.facility_class
    )
    return {"liquid": loop}


def class_rows(result: PlanResult) -> pd.DataFrame:
    """Every ASHRAE class's facility supply temperature and whether it serves this technology."""
    tcs = result.liquid.tcs_supply_c if result.liquid else None
    rows = pd.DataFrame(
        {"facility_class": list(FACILITY_CLASSES), "facility_supply_c": list(FACILITY_CLASSES.values())}
    )
    rows["serves_technology"] = [tcs is not None and tcs - t >= MIN_APPROACH_K for t in rows["facility_supply_c"]]
    rows["chosen"] = rows["facility_class"] == result.inputs.facility_class
    return result.modelled(rows)


def view(result: PlanResult, sources: pd.DataFrame | None = None, *, large: bool = False) -> View:
    """Which ASHRAE facility-water classes can serve the plan's coolant, the chosen one marked."""
    from factorycore.charts import plant as charts  # noqa: PLC0415
    from factorycore.views.base import View  # noqa: PLC0415

    loop = result.liquid
    classes = class_rows(result)
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


def reading(result: PlanResult) -> Reading:
    """The CDUs and the facility water, in one sentence."""
    loop = result.liquid
    if loop.cdus_needed == 0:
        return ("markdown", "No liquid loop: all heat leaves in air, so no CDUs or facility water are needed.")
    text = (
        f"{loop.cdus} CDUs of {loop.cdu_kw:,.0f} kW ({loop.cdu_redundancy}) carry "
        f"{result.cooling.liquid_kw:,.0f} kW of liquid heat; {loop.facility_class} facility water at "
        f"up to {loop.facility_supply_c:g} C flows {loop.facility_water_flow_lpm:,.0f} L/min at "
        f"{loop.facility_delta_t_k:g} K"
    )
    text += f", a {loop.approach_k:g} K approach to the {loop.tcs_supply_c:g} C coolant." if loop.loop_feasible else "."
    return ("markdown", text)


def alert(result: PlanResult) -> str | None:
    """A loop that cannot work, said whichever section is open."""
    loop = result.liquid
    return None if loop is None or loop.loop_feasible else f"Not feasible: {loop.loop_reason}."


def table(result: PlanResult) -> list[tuple[str, str]]:
    """The report's rows."""
    loop = result.liquid
    if loop is None:
        return []
    return [
        ("CDUs", f"{loop.cdus} x {loop.cdu_kw:,.0f} kW ({loop.cdu_redundancy})"),
        ("Facility water", f"{loop.facility_water_flow_lpm:,.0f} L/min, {loop.facility_class}"),
    ]


def compare(result: PlanResult) -> dict[str, Any]:
    """The comparison's columns."""
    return {"cdus": result.liquid.cdus if result.liquid else None}


def commands(result: PlanResult) -> list[list[str]]:
    """This section's flags, added to the ``cooling`` command (which prints the loop too)."""
    return [["cooling", *flags(INPUTS, result.inputs)]]


SECTION = Section(
    name="liquid_loop",
    title="Liquid loop",
    short="liquid loop",
    inputs=INPUTS,
    compute=compute,
    empty={"liquid": None},
    views=(SectionView("planner-liquid", view),),
    reading=reading,
    alert=alert,
    table=table,
    compare=compare,
    commands=commands,
    widget_order=("cdu_kw", "cdu_redundancy", "facility_class", "facility_delta_t_k"),
    basis="CDUs of 1,000 kW at N+1, facility water W32 at a 10 K rise (project assumptions)",
)
