"""One plan, step by step, composed exactly as the command line computes it.

1. ``fleet``   -- the chosen system or accelerator, a count (or the count, rounded up,
   that reaches a target IT MW), the rack budget, the PUE and the design basis give
   whole platforms, IT kW and racks (a liquid-only platform refuses air cooling);
2. the sections' ``prepare`` steps, which may replace the PUE basis (a site's weather);
3. ``power``   -- that IT kW with the PUE, utilisation, price, grid intensity and WUE;
4. ``cooling`` -- heat = IT kW (all IT power becomes heat), the cooling technology and
   capture, and the fleet's *achieved* kW per rack for the feasibility verdict;
5. ``growth``  -- facility MW from step 3 compounding at the annual growth rate against
   the site capacity, 2026-2035;
6. the power chain (Sankey) and a one-at-a-time tornado of annual cost;
7. each plant section (:data:`factorycore.planner.sections.SECTIONS`) in registry order.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from factorycore import hardware as hw
from factorycore.cooling import COOLANTS, CoolingResult, cooling_projection, technology_limits
from factorycore.fleet import FleetResult, default_rack_kw, is_rack_scale, size, unit_it_kw
from factorycore.growth import DEFAULT_END_YEAR, DEFAULT_START_YEAR, GrowthResult, load_growth
from factorycore.planner.inputs import BY_NAME, DEFAULT_BASIS, LIMITS, RACK_COOLING_OF_TECHNOLOGY, derived_pue
from factorycore.planner.result import PlanResult
from factorycore.planner.sections import SECTIONS
from factorycore.power import PowerResult, power_chain, power_projection
from factorycore.sensitivity import tornado
from factorycore.units import KW_PER_MW

# Checked by count_for_target and the count check, with their own messages.
_CHECKED_ELSEWHERE = ("count", "target_it_mw")


@dataclass
class Context:
    """What the plan knows so far, handed to each section in turn.

    ``pue`` is the PUE energy and cost use; ``design_pue`` the one the electrical plant is
    sized on (the same unless a section sets a design hour); ``wue_l_per_kwh`` and
    ``pue_sd`` start as the inputs' and a section may replace them. ``parts`` holds the
    results of the sections computed so far, by attribute name; ``warnings`` what the page
    must say about the plan (a section adds its own).
    """

    inputs: Any
    catalog: dict[str, hw.Hardware]
    throughput: pd.DataFrame | None
    data: Mapping[str, Any]
    item: hw.Hardware
    platform: hw.Hardware
    count: int
    count_from_target: bool
    pue: float
    pue_basis: str
    design_pue: float
    wue_l_per_kwh: float
    pue_sd: float
    fleet: FleetResult
    power: PowerResult | None = None
    cooling: CoolingResult | None = None
    growth: GrowthResult | None = None
    capture: float = 0.0
    parts: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def size_fleet(self) -> FleetResult:
        """The fleet at the current PUE (a section that changes the PUE re-sizes with this)."""
        i = self.inputs
        self.fleet = size(
            self.item, self.catalog, self.count, i.rack_kw, self.pue, i.basis, RACK_COOLING_OF_TECHNOLOGY[i.technology]
        )
        return self.fleet


def count_for_target(
    item: hw.Hardware, target_it_mw: float, catalog: Mapping[str, hw.Hardware], basis: str = DEFAULT_BASIS
) -> int:
    """The fewest units (systems, or GPUs) whose IT power at ``basis`` reaches ``target_it_mw`` (at least 1)."""
    limit = LIMITS["target_it_mw"]
    if not limit.accepts(target_it_mw):
        raise ValueError(f"target IT load must be in {limit.describe()} MW, got {target_it_mw}")
    # The tolerance keeps 1.0 MW / 0.1 kW at exactly 10,000, not 10,001.
    return max(1, math.ceil(target_it_mw * KW_PER_MW / unit_it_kw(item, dict(catalog), basis) - 1e-9))


def _check(inputs: Any) -> None:
    """Every numeric input in its range (the inputs' own table); the coolant and basis among their choices."""
    for name, spec in BY_NAME.items():
        if spec.kind in ("number", "whole") and name not in _CHECKED_ELSEWHERE:
            spec.check(getattr(inputs, name))
    if inputs.coolant not in COOLANTS:
        raise ValueError(f"unknown coolant {inputs.coolant!r}; choose one of {', '.join(COOLANTS)}")


def plan(
    inputs: Any, catalog: Mapping[str, hw.Hardware], throughput: pd.DataFrame | None = None, **data: Any
) -> PlanResult:
    """Fleet -> power -> cooling -> growth -> sensitivity, then each plant section (electrical, liquid loop,
    runway, output, ...).

    ``throughput`` (the ``ref.throughput`` rows) enables the output section; without it
    the section is empty. ``data`` is handed to the sections (``ctx.data``), for inputs
    a URL cannot carry (an uploaded file). Raises ValueError with a reader's message when
    the inputs cannot be planned (an unknown id, a platform larger than the rack budget,
    a liquid-only platform in an air-cooled plan, a value out of range).
    """
    item = hw.lookup(dict(catalog), inputs.hardware_id)
    _check(inputs)
    pue_info = derived_pue(inputs.technology)
    pue = inputs.pue if inputs.pue is not None else pue_info.pue
    pue_basis = (
        f"derived from {inputs.technology} cooling: {pue_info.basis}" if inputs.pue is None else "entered by the user"
    )
    if inputs.basis not in hw.SIZING_BASES:
        raise ValueError(f"basis must be one of {', '.join(hw.SIZING_BASES)}, got {inputs.basis!r}")
    catalog = dict(catalog)
    platform = hw.platform_of(catalog, item)
    if inputs.target_it_mw is not None:
        count, from_target = count_for_target(item, inputs.target_it_mw, catalog, inputs.basis), True
    else:
        count, from_target = inputs.count, False
    if not LIMITS["count"].accepts(count):
        raise ValueError(f"{count:,} units is more than the planner's limit of {LIMITS['count'].high:,.0f}")
    fleet = size(item, catalog, count, inputs.rack_kw, pue, inputs.basis, RACK_COOLING_OF_TECHNOLOGY[inputs.technology])
    ctx = Context(
        inputs=inputs,
        catalog=catalog,
        throughput=throughput,
        data=data,
        item=item,
        platform=platform,
        count=count,
        count_from_target=from_target,
        pue=pue,
        pue_basis=pue_basis,
        design_pue=pue,
        wue_l_per_kwh=inputs.wue_l_per_kwh,
        pue_sd=inputs.pue_sd,
        fleet=fleet,
    )
    for section in SECTIONS:
        if section.prepare is not None:
            section.prepare(ctx)

    ctx.power = power_projection(
        ctx.fleet.it_kw,
        ctx.pue,
        inputs.utilization,
        inputs.price_usd_per_kwh,
        inputs.grid_kg_co2e_per_kwh,
        ctx.wue_l_per_kwh,
    )
    ctx.cooling = cooling_projection(
        ctx.fleet.it_kw, inputs.technology, inputs.capture, coolant_name=inputs.coolant, rack_kw=ctx.fleet.kw_per_rack
    )
    ctx.growth = load_growth(
        ctx.power.facility_kw / KW_PER_MW, inputs.capacity_mw, inputs.growth, DEFAULT_START_YEAR, DEFAULT_END_YEAR
    )
    try:
        flows, flows_error = tuple(power_chain(ctx.fleet.it_kw, ctx.pue)), ""
    except ValueError as exc:
        flows, flows_error = (), f"No power-flow diagram: {exc}."
    sensitivity = tornado(
        {
            "it_kw": ctx.fleet.it_kw,
            "pue": ctx.pue,
            "utilization": inputs.utilization,
            "price_usd_per_kwh": inputs.price_usd_per_kwh,
            "grid_kg_co2e_per_kwh": inputs.grid_kg_co2e_per_kwh,
            "wue_l_per_kwh": ctx.wue_l_per_kwh,
        },
        metric="annual_cost_usd",
    )
    if is_rack_scale(platform) and inputs.rack_kw is not None:
        ctx.warnings.insert(0, f"{platform.name} is a rack-scale system: each one fills a rack whatever the budget.")
    ctx.capture = technology_limits(inputs.technology).default_capture if inputs.capture is None else inputs.capture

    for section in SECTIONS:
        ctx.parts.update(section.compute(ctx))
    return PlanResult(
        inputs=inputs,
        hardware=item,
        platform=platform,
        count=count,
        count_from_target=from_target,
        pue=ctx.pue,
        pue_basis=ctx.pue_basis,
        capture=ctx.capture,
        rack_budget_kw=inputs.rack_kw if inputs.rack_kw is not None else default_rack_kw(item, catalog),
        fleet=ctx.fleet,
        power=ctx.power,
        cooling=ctx.cooling,
        growth=ctx.growth,
        flows=flows,
        flows_error=flows_error,
        sensitivity=sensitivity,
        warnings=tuple(ctx.warnings),
        design_pue=ctx.design_pue,
        wue_l_per_kwh=ctx.wue_l_per_kwh,
        pue_sd=ctx.pue_sd,
        parts=ctx.parts,
    )
