"""The planner's inputs, stated once: the core table, the PUE each cooling technology implies, and
:class:`PlanInputs`, built from the core inputs followed by every registered section's.

Every widget, URL key, range, default and command flag is read from :data:`INPUTS`;
``LIMITS`` and ``QUERY_KEYS`` are views of it kept for the readers that look ranges and
keys up by name.

PUE "derive": when the user does not give a PUE, it follows from the cooling choice
(:data:`DERIVED_PUE`). These are project assumptions (status *modelled*), stated here
and on the page:

- air 1.5: Uptime Institute's Global Data Center Survey 2025 puts the industry average
  at 1.54 over mostly air-cooled sites of every age; a new air-cooled build is taken as
  a little better.
- rear-door 1.35: the door's water coil runs on warmer water and replaces most room
  air-handler fan work; set between air and direct liquid.
- direct-liquid 1.2: liquid-cooled AI halls are typically designed for PUE 1.1-1.3
  (trade press); 1.2 is the middle, since about a fifth of the heat still goes to air.
- immersion 1.1: single-phase immersion vendors quote 1.03-1.1; the conservative end,
  which also stays above the 1.063 the power chain's UPS and distribution losses need.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, make_dataclass
from typing import Any

from factorycore import hardware as hw
from factorycore.cooling import COOLANTS, TECHNOLOGIES, technology_limits
from factorycore.planner.sections import SECTIONS
from factorycore.planner.spec import Input, Limit
from factorycore.power import (
    DEFAULT_GRID_KG_CO2E_PER_KWH,
    DEFAULT_PRICE_USD_PER_KWH,
    DEFAULT_UTILIZATION,
    DEFAULT_WUE_L_PER_KWH,
)
from factorycore.units import MIN_PUE


@dataclass(frozen=True)
class DerivedPue:
    """The PUE assumed for a cooling technology, and why."""

    pue: float
    basis: str


DERIVED_PUE: dict[str, DerivedPue] = {
    "air": DerivedPue(
        1.5,
        "Uptime Institute Global Data Center Survey 2025 industry average of 1.54 "
        "(mostly air-cooled sites of all ages); a new air-cooled build taken as 1.5",
    ),
    "rear-door": DerivedPue(
        1.35,
        "project assumption: rear-door coils on warmer water replace most room "
        "air-handler work; between air (1.5) and direct liquid (1.2)",
    ),
    "direct-liquid": DerivedPue(
        1.2,
        "project assumption: liquid-cooled AI halls are designed for PUE "
        "1.1-1.3 (trade press); 1.2 is the middle, as ~20 % of heat stays on air",
    ),
    "immersion": DerivedPue(1.1, "project assumption: immersion vendors quote 1.03-1.1; 1.1 is the conservative end"),
}


def derived_pue(technology: str) -> DerivedPue:
    """The PUE the planner assumes for a cooling technology (ValueError if unknown)."""
    technology_limits(technology)  # the engine's message for an unknown technology
    return DERIVED_PUE[technology]


DEFAULT_HARDWARE_ID = "gb200_nvl72"
DEFAULT_BASIS = hw.DEFAULT_BASIS
# How a cooling technology cools the rack around the platform: rear-door coils still cool
# air-cooled IT, so a liquid-only platform fits only direct-liquid or immersion.
RACK_COOLING_OF_TECHNOLOGY: dict[str, str] = {
    "air": "air",
    "rear-door": "air",
    "direct-liquid": "liquid",
    "immersion": "liquid",
}
DEFAULT_COUNT = 16
DEFAULT_TECHNOLOGY = "direct-liquid"
DEFAULT_COOLANT = "water"
DEFAULT_CAPACITY_MW = 5.0
# The IEA "Energy and AI" (2025) base case's 2024-2030 growth of global data-center
# electricity (growth.iea_case_cagrs of the electricity table), rounded to whole percent;
# tests/test_evidence.py checks this against the table, so the figures live only there.
DEFAULT_GROWTH = 0.15
PUE_DERIVE = "derive"  # a link's word for "PUE from the cooling technology"

# The core inputs: hardware, fleet, cooling, power and growth. The page draws these with
# its own widgets (a count or a target, the "default" checkboxes); their labels, ranges,
# steps and decimals come from here.
INPUTS: tuple[Input, ...] = (
    Input("hardware_id", DEFAULT_HARDWARE_ID, "hw", "text", label="System or accelerator", widget_key="pl_hw"),
    Input("count", DEFAULT_COUNT, "count", "whole", Limit(1, 1_000_000), widget_key="pl_count", flag="--count"),
    Input(
        "target_it_mw",
        None,
        "target_mw",
        optional=True,
        limit=Limit(0.001, 10_000.0),
        label="Target IT load (MW)",
        widget_key="pl_target_mw",
        step=0.5,
        decimals=3,
    ),
    Input(
        "rack_kw",
        None,
        "rack_kw",
        optional=True,
        limit=Limit(1.0, 2_000.0),
        label="Rack power budget (kW)",
        widget_key="pl_rack_kw",
        step=5.0,
        decimals=1,
        flag="--rack-kw",
    ),
    Input(
        "basis",
        DEFAULT_BASIS,
        "basis",
        "choice",
        choices=hw.SIZING_BASES,
        label="Design basis",
        widget_key="pl_basis",
        flag="--basis",
    ),
    Input(
        "technology",
        DEFAULT_TECHNOLOGY,
        "cooling",
        "choice",
        choices=TECHNOLOGIES,
        label="Cooling technology",
        widget_key="pl_tech",
        flag="--technology",
    ),
    Input(
        "capture",
        None,
        "capture",
        optional=True,
        limit=Limit(0.0, 1.0),
        label="Liquid capture share (%)",
        widget_key="pl_capture_pct",
        scale=100,
        step=5.0,
        decimals=1,
        flag="--capture",
    ),
    Input(
        "coolant",
        DEFAULT_COOLANT,
        "coolant",
        "choice",
        choices=tuple(COOLANTS),
        label="Coolant",
        widget_key="pl_coolant",
        flag="--coolant",
    ),
    Input(
        "pue",
        None,
        "pue",
        optional=True,
        limit=Limit(MIN_PUE, 3.0),
        label="PUE",
        widget_key="pl_pue",
        step=0.05,
        decimals=2,
        flag="--pue",
    ),
    Input(
        "utilization",
        DEFAULT_UTILIZATION,
        "util",
        limit=Limit(0.01, 1.0),
        label="Utilisation (%)",
        help="Average share of the IT load drawn over the year.",
        widget_key="pl_util_pct",
        scale=100,
        step=5.0,
        decimals=1,
        flag="--utilization",
    ),
    Input(
        "price_usd_per_kwh",
        DEFAULT_PRICE_USD_PER_KWH,
        "price",
        limit=Limit(0.0, 5.0),
        label="Electricity price (USD/kWh)",
        widget_key="pl_price",
        step=0.01,
        decimals=3,
        flag="--price",
    ),
    Input(
        "grid_kg_co2e_per_kwh",
        DEFAULT_GRID_KG_CO2E_PER_KWH,
        "grid",
        limit=Limit(0.0, 2.0),
        label="Grid carbon intensity (kg CO2e/kWh)",
        widget_key="pl_grid",
        step=0.05,
        decimals=3,
        flag="--grid",
    ),
    Input(
        "wue_l_per_kwh",
        DEFAULT_WUE_L_PER_KWH,
        "wue",
        limit=Limit(0.0, 20.0),
        label="WUE (L per kWh of IT energy)",
        help="Site water per kWh of IT energy. The default is 0, as in the CLI (closed-loop liquid "
        "with dry coolers uses almost none); evaporative cooling uses far more, so enter your "
        "site's measured WUE. With a site and its plant's PUE, the plant's own WUE is used instead.",
        widget_key="pl_wue",
        step=0.1,
        decimals=2,
        flag="--wue",
    ),
    Input(
        "capacity_mw",
        DEFAULT_CAPACITY_MW,
        "capacity_mw",
        limit=Limit(0.001, 100_000.0),
        label="Site capacity (MW)",
        widget_key="pl_capacity_mw",
        step=1.0,
        decimals=2,
        flag="--capacity-mw",
    ),
    Input(
        "growth",
        DEFAULT_GROWTH,
        "growth",
        limit=Limit(-0.5, 2.0),
        label="Annual load growth (%)",
        help="Default: IEA Energy and AI (2025) base case, about 15 % a year.",
        widget_key="pl_growth_pct",
        scale=100,
        step=1.0,
        decimals=1,
        flag="--growth",
    ),
)

# Every input, core first, then each section's in registry order: PlanInputs' fields,
# the URL's parameters and a saved scenario's keys, in this order.
ALL_INPUTS: tuple[Input, ...] = INPUTS + tuple(i for section in SECTIONS for i in section.inputs)
BY_NAME: dict[str, Input] = {i.name: i for i in ALL_INPUTS}
if len(BY_NAME) != len(ALL_INPUTS) or len({i.query for i in ALL_INPUTS}) != len(ALL_INPUTS):
    raise RuntimeError("two planner inputs share a name or a URL key")
LIMITS: dict[str, Limit] = {i.name: i.limit for i in ALL_INPUTS if i.limit is not None}
QUERY_KEYS: dict[str, str] = {i.name: i.query for i in ALL_INPUTS}
CHOICES: dict[str, tuple[str, ...]] = {i.name: i.valid_choices() for i in ALL_INPUTS if i.kind == "choice"}

DEFAULTS_BASIS: dict[str, str] = {
    "hardware_id": "GB200 NVL72, the rack-scale system AI factories are being built with in 2025-26",
    "count": "16 racks (about 2 MW of IT): a typical first AI hall block",
    "basis": "maximum: the published maximum (nameplate) power, the conservative figure capacity is sized to",
    "technology": "direct-liquid, which NVL72-class racks require",
    "pue": "derived from the cooling technology (see the PUE basis)",
    "utilization, price, grid, wue": "the command line's defaults (1.0, 0.10 USD/kWh, 0.40 kg/kWh, 0 L/kWh)",
    "capacity_mw": "5 MW: an illustrative site, about twice the default hall's facility load",
    "growth": "15 %/yr: the IEA Energy and AI (2025) base case's 2024-2030 growth of global data-center "
    "electricity (electricity table), rounded",
    **{section.short: section.basis for section in SECTIONS if section.basis},
}


def _as_dict(self: Any) -> dict[str, Any]:
    """Plain JSON-able values (what a saved scenario stores)."""
    return asdict(self)


def _effective_pue(self: Any) -> float:
    """The PUE used: the user's, or the one derived from the cooling technology."""
    return self.pue if self.pue is not None else derived_pue(self.technology).pue


PlanInputs = make_dataclass(
    "PlanInputs",
    [(i.name, i.annotation, field(default=i.default)) for i in ALL_INPUTS],
    frozen=True,
    namespace={"as_dict": _as_dict, "effective_pue": property(_effective_pue)},
)
PlanInputs.__module__ = __name__
PlanInputs.__doc__ = """Everything the planner asks; the defaults make a useful first projection.

``target_it_mw`` (when set) replaces ``count``: the count becomes the smallest whole
number of systems (or GPUs) whose IT power reaches the target. ``basis`` picks which
published power figure of the platform sizes the fleet. ``None`` for ``rack_kw``,
``capture`` and ``pue`` means: the system's own rack, the technology's default capture,
the PUE derived from the technology. The fields after ``growth`` are the plant
sections' (:data:`factorycore.planner.sections.SECTIONS`), in registry order; an optional
one left None takes its section's default (``rack_positions`` None: no floor constraint,
``output_benchmark`` None: the system's first MLPerf benchmark).
"""
