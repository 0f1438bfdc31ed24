"""Plant section: the electrical plant (UPS modules, generators, utility demand) under a redundancy scheme."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from factorycore import numbers
from factorycore.electrical import (
    DEFAULT_GENERATOR_KW,
    DEFAULT_GENERATOR_REDUNDANCY,
    DEFAULT_POWER_FACTOR,
    DEFAULT_UPS_MODULE_KW,
    DEFAULT_UPS_REDUNDANCY,
    REDUNDANCY_SCHEMES,
    electrical_plant,
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
        "ups_redundancy",
        DEFAULT_UPS_REDUNDANCY,
        "ups",
        "choice",
        choices=REDUNDANCY_SCHEMES,
        label="UPS redundancy",
        widget_key="pl_ups_red",
        flag="--redundancy",
    ),
    Input(
        "ups_module_kw",
        DEFAULT_UPS_MODULE_KW,
        "ups_kw",
        limit=Limit(1.0, 100_000.0),
        label="UPS module (kW)",
        widget_key="pl_ups_kw",
        step=50.0,
        decimals=0,
        flag="--ups-module-kw",
    ),
    Input(
        "generator_kw",
        DEFAULT_GENERATOR_KW,
        "gen_kw",
        limit=Limit(1.0, 100_000.0),
        label="Generator set (kW)",
        widget_key="pl_gen_kw",
        step=250.0,
        decimals=0,
        flag="--generator-kw",
    ),
    Input(
        "generator_redundancy",
        DEFAULT_GENERATOR_REDUNDANCY,
        "gen",
        "choice",
        choices=REDUNDANCY_SCHEMES,
        label="Generator redundancy",
        widget_key="pl_gen_red",
        flag="--generator-redundancy",
    ),
    Input(
        "power_factor",
        DEFAULT_POWER_FACTOR,
        "pf",
        limit=Limit(0.5, 1.0),
        label="UPS power factor",
        help="kVA = kW / power factor",
        widget_key="pl_pf",
        step=0.01,
        decimals=2,
        flag="--power-factor",
    ),
)


def compute(ctx: Context) -> dict[str, Any]:
    """UPS and generators for the fleet's IT load at the plan's design PUE."""
    i = ctx.inputs
    plant = electrical_plant(
        ctx.fleet.it_kw,
        ctx.design_pue,
        i.ups_redundancy,
        i.ups_module_kw,
        i.generator_kw,
        i.generator_redundancy,
        i.power_factor,
    )
    return {"electrical": plant}


def rows(result: PlanResult) -> pd.DataFrame:
    """UPS and generators: critical load, installed kW, units, unit size, redundancy."""
    return result.modelled(pd.DataFrame(result.electrical.capacity_rows() if result.electrical else []))


def view(result: PlanResult, sources: pd.DataFrame | None = None, *, large: bool = False) -> View:
    """UPS, generators and utility: installed against critical capacity."""
    from factorycore.charts import plant as charts  # noqa: PLC0415
    from factorycore.views.base import View  # noqa: PLC0415

    frame = rows(result)
    return View(
        charts.electrical_capacity(frame, large=large),
        frame,
        "Electrical plant",
        PLAN_CAPTION,
        note="Units needed = ceil(load / unit); N+1 adds one, 2N doubles (data/README.md, electrical plant).",
    )


def reading(result: PlanResult) -> Reading:
    """What the plant installs, in one sentence."""
    e = result.electrical
    return (
        "markdown",
        f"{e.ups_modules} UPS modules of {e.ups_module_kw:,.0f} kW ({e.redundancy}) install "
        f"{e.ups_installed_kw:,.0f} kW ({e.ups_installed_kva:,.0f} kVA) for {e.it_kw:,.0f} kW of critical load; "
        f"{e.generators} generators ({e.generator_redundancy}) install {e.generator_installed_kw:,.0f} kW for "
        f"{e.facility_kw:,.0f} kW; the utility must supply {e.utility_demand_mw:,.2f} MW.",
    )


def table(result: PlanResult) -> list[tuple[str, str]]:
    """The report's rows."""
    e = result.electrical
    if e is None:
        return []
    return [
        ("UPS modules", f"{e.ups_modules} x {e.ups_module_kw:,.0f} kW ({e.redundancy})"),
        ("UPS installed", f"{e.ups_installed_kw:,.0f} kW ({e.ups_installed_kva:,.0f} kVA)"),
        ("Generators", f"{e.generators} x {e.generator_kw:,.0f} kW ({e.generator_redundancy})"),
        ("Utility demand", f"{e.utility_demand_mw:,.2f} MW"),
    ]


def compare(result: PlanResult) -> dict[str, Any]:
    """The comparison's columns."""
    e = result.electrical
    return {"ups_modules": e.ups_modules if e else None, "generators": e.generators if e else None}


def commands(result: PlanResult) -> list[list[str]]:
    """``electrical`` with the plan's IT load, design PUE and this section's inputs."""
    if result.electrical is None:
        return []
    return [
        [
            "electrical",
            f"--it-kw={numbers.exact(result.fleet.it_kw)}",
            f"--pue={numbers.exact(result.design_pue)}",
            *flags(INPUTS, result.inputs),
        ]
    ]


SECTION = Section(
    name="electrical",
    title="Electrical plant",
    short="electrical",
    inputs=INPUTS,
    compute=compute,
    empty={"electrical": None},
    views=(SectionView("planner-electrical", view),),
    reading=reading,
    table=table,
    compare=compare,
    commands=commands,
    widget_order=("ups_redundancy", "ups_module_kw", "generator_redundancy", "generator_kw", "power_factor"),
    basis="UPS 2N on 500 kW modules, generators N+1 of 2,500 kW, power factor 0.95 (project assumptions)",
)
