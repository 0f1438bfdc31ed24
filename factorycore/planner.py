"""The planner: one deployment's inputs in, its power, cooling, growth and sensitivity out.

:func:`plan` composes the engine exactly as the command line does, step by step, so
the Planner page and ``python -m factorycore`` agree to the last digit:

1. ``fleet``   -- the chosen system or accelerator, a count (or the count, rounded up,
   that reaches a target IT MW), the rack budget, the PUE and the design basis give
   whole platforms, IT kW and racks (a liquid-only platform refuses air cooling);
2. ``power``   -- that IT kW with the PUE, utilisation, price, grid intensity and WUE;
3. ``cooling`` -- heat = IT kW (all IT power becomes heat), the cooling technology and
   capture, and the fleet's *achieved* kW per rack for the feasibility verdict;
4. ``growth``  -- facility MW from step 2 compounding at the annual growth rate against
   the site capacity, 2026-2035;
5. the power chain (Sankey) and a one-at-a-time tornado of annual cost.

:meth:`PlanResult.cli_commands` lists the four commands with the very values used.

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

Inputs travel in URLs (:func:`to_query_params` / :func:`from_query_params`) and in
saved scenarios (:meth:`PlanInputs.as_dict` / :func:`from_dict`). Both readers check
every value and fall back to the default with a message for a bad one, so a
hand-edited link never breaks the page.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any

import duckdb
import pandas as pd

from factorycore import hardware as hw
from factorycore import reference, scenarios
from factorycore import throughput as tp
from factorycore.cooling import COOLANTS, TECHNOLOGIES, CoolingResult, cooling_projection, technology_limits
from factorycore.electrical import (
    DEFAULT_GENERATOR_KW,
    DEFAULT_GENERATOR_REDUNDANCY,
    DEFAULT_POWER_FACTOR,
    DEFAULT_UPS_MODULE_KW,
    DEFAULT_UPS_REDUNDANCY,
    REDUNDANCY_SCHEMES,
    ElectricalResult,
    electrical_plant,
)
from factorycore.fleet import FleetResult, default_rack_kw, is_rack_scale, size, unit_it_kw
from factorycore.growth import DEFAULT_END_YEAR, DEFAULT_START_YEAR, GrowthResult, load_growth
from factorycore.liquid_loop import (
    DEFAULT_CDU_KW,
    DEFAULT_CDU_REDUNDANCY,
    DEFAULT_FACILITY_CLASS,
    DEFAULT_FACILITY_DELTA_T_K,
    FACILITY_CLASSES,
    MIN_APPROACH_K,
    LiquidLoopResult,
    liquid_loop,
)
from factorycore.power import (
    DEFAULT_GRID_KG_CO2E_PER_KWH,
    DEFAULT_PRICE_USD_PER_KWH,
    DEFAULT_UTILIZATION,
    DEFAULT_WUE_L_PER_KWH,
    PowerFlow,
    PowerResult,
    flows_as_records,
    power_chain,
    power_projection,
)
from factorycore.runway import DEFAULT_RUNS, RunwayResult, runway
from factorycore.sensitivity import tornado

KW_PER_MW = 1000.0


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

# The runway on the planner: a fixed seed, so a link reproduces the same percentiles;
# a 5-point spread of each year's growth around the central rate (project assumption).
RUNWAY_SEED = 2026
DEFAULT_GROWTH_SD = 0.05
DEFAULT_OUTPUT_BENCHMARK = "llama3.1-405b"  # the ranking's benchmark when the plan's system has none

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
    "electrical": "UPS 2N on 500 kW modules, generators N+1 of 2,500 kW, power factor 0.95 (project assumptions)",
    "liquid loop": "CDUs of 1,000 kW at N+1, facility water W32 at a 10 K rise (project assumptions)",
    "runway": "growth spread 5 points a year, PUE spread 0, 10,000 runs, seed 2026",
}


@dataclass(frozen=True)
class Limit:
    """The accepted range of one numeric input, both ends included (also the page widget's range)."""

    low: float
    high: float

    def accepts(self, value: float) -> bool:
        """Whether ``value`` is finite and in range."""
        return math.isfinite(value) and self.low <= value <= self.high

    def describe(self) -> str:
        """The range as a reader sees it."""
        return f"[{self.low:g}, {self.high:g}]"


LIMITS: dict[str, Limit] = {
    "count": Limit(1, 1_000_000),
    "target_it_mw": Limit(0.001, 10_000.0),
    "rack_kw": Limit(1.0, 2_000.0),
    "capture": Limit(0.0, 1.0),
    "pue": Limit(1.0, 3.0),
    "utilization": Limit(0.01, 1.0),
    "price_usd_per_kwh": Limit(0.0, 5.0),
    "grid_kg_co2e_per_kwh": Limit(0.0, 2.0),
    "wue_l_per_kwh": Limit(0.0, 20.0),
    "capacity_mw": Limit(0.001, 100_000.0),
    "growth": Limit(-0.5, 2.0),
    "ups_module_kw": Limit(1.0, 100_000.0),
    "generator_kw": Limit(1.0, 100_000.0),
    "power_factor": Limit(0.5, 1.0),
    "cdu_kw": Limit(1.0, 100_000.0),
    "facility_delta_t_k": Limit(1.0, 50.0),
    "growth_sd": Limit(0.0, 1.0),
    "pue_sd": Limit(0.0, 1.0),
    "density_growth": Limit(-0.5, 2.0),
    "rack_positions": Limit(1, 1_000_000),
}
# Inputs chosen from a list (the plant sections'), with the valid choices.
PLANT_CHOICES: dict[str, tuple[str, ...]] = {
    "ups_redundancy": REDUNDANCY_SCHEMES,
    "generator_redundancy": REDUNDANCY_SCHEMES,
    "cdu_redundancy": REDUNDANCY_SCHEMES,
    "facility_class": tuple(FACILITY_CLASSES),
    "output_scenario": tp.SCENARIOS,
}


@dataclass(frozen=True)
class PlanInputs:
    """Everything the planner asks; the defaults make a useful first projection.

    ``target_it_mw`` (when set) replaces ``count``: the count becomes the smallest whole
    number of systems (or GPUs) whose IT power reaches the target. ``basis`` picks which
    published power figure of the platform sizes the fleet. ``None`` for
    ``rack_kw``, ``capture`` and ``pue`` means: the system's own rack, the technology's
    default capture, the PUE derived from the technology. The plant inputs (from
    ``ups_redundancy`` on) feed the electrical, liquid-loop, runway and output sections;
    ``rack_positions`` None means no floor constraint, ``output_benchmark`` None the
    system's first MLPerf benchmark.
    """

    hardware_id: str = DEFAULT_HARDWARE_ID
    count: int = DEFAULT_COUNT
    target_it_mw: float | None = None
    rack_kw: float | None = None
    basis: str = DEFAULT_BASIS
    technology: str = DEFAULT_TECHNOLOGY
    capture: float | None = None
    coolant: str = DEFAULT_COOLANT
    pue: float | None = None
    utilization: float = DEFAULT_UTILIZATION
    price_usd_per_kwh: float = DEFAULT_PRICE_USD_PER_KWH
    grid_kg_co2e_per_kwh: float = DEFAULT_GRID_KG_CO2E_PER_KWH
    wue_l_per_kwh: float = DEFAULT_WUE_L_PER_KWH
    capacity_mw: float = DEFAULT_CAPACITY_MW
    growth: float = DEFAULT_GROWTH
    ups_redundancy: str = DEFAULT_UPS_REDUNDANCY
    ups_module_kw: float = DEFAULT_UPS_MODULE_KW
    generator_kw: float = DEFAULT_GENERATOR_KW
    generator_redundancy: str = DEFAULT_GENERATOR_REDUNDANCY
    power_factor: float = DEFAULT_POWER_FACTOR
    cdu_kw: float = DEFAULT_CDU_KW
    cdu_redundancy: str = DEFAULT_CDU_REDUNDANCY
    facility_delta_t_k: float = DEFAULT_FACILITY_DELTA_T_K
    facility_class: str = DEFAULT_FACILITY_CLASS
    growth_sd: float = DEFAULT_GROWTH_SD
    pue_sd: float = 0.0
    density_growth: float = 0.0
    rack_positions: int | None = None
    output_benchmark: str | None = None
    output_scenario: str = tp.DEFAULT_SCENARIO
    site: str | None = None
    architecture: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON-able values (what a saved scenario stores)."""
        return asdict(self)

    @property
    def effective_pue(self) -> float:
        """The PUE used: the user's, or the one derived from the cooling technology."""
        return self.pue if self.pue is not None else derived_pue(self.technology).pue


def derived_pue(technology: str) -> DerivedPue:
    """The PUE the planner assumes for a cooling technology (ValueError if unknown)."""
    technology_limits(technology)  # the engine's message for an unknown technology
    return DERIVED_PUE[technology]


# Query parameter name for each input, short enough for a readable link.
QUERY_KEYS: dict[str, str] = {
    "hardware_id": "hw",
    "count": "count",
    "target_it_mw": "target_mw",
    "rack_kw": "rack_kw",
    "basis": "basis",
    "technology": "cooling",
    "capture": "capture",
    "coolant": "coolant",
    "pue": "pue",
    "utilization": "util",
    "price_usd_per_kwh": "price",
    "grid_kg_co2e_per_kwh": "grid",
    "wue_l_per_kwh": "wue",
    "capacity_mw": "capacity_mw",
    "growth": "growth",
    "ups_redundancy": "ups",
    "ups_module_kw": "ups_kw",
    "generator_kw": "gen_kw",
    "generator_redundancy": "gen",
    "power_factor": "pf",
    "cdu_kw": "cdu_kw",
    "cdu_redundancy": "cdu",
    "facility_delta_t_k": "fw_dt",
    "facility_class": "fw_class",
    "growth_sd": "growth_sd",
    "pue_sd": "pue_sd",
    "density_growth": "density",
    "rack_positions": "positions",
    "output_benchmark": "bench",
    "output_scenario": "scenario",
    "site": "site",
    "architecture": "arch",
}
PUE_DERIVE = "derive"
DEFAULT_WORDS = ("", "default", "none")
_OPTIONAL = ("target_it_mw", "rack_kw", "capture", "pue", "rack_positions", "output_benchmark", "site", "architecture")
_BENCHMARK_NAME = re.compile(r"[a-z0-9][a-z0-9.\-]{0,39}")
_MAX_TEXT = 80


def _number_text(value: float | int) -> str:
    """Shortest text that reads back as the same number (repr of a float round-trips)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    value = float(value)
    return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)


def to_query_params(inputs: PlanInputs) -> dict[str, str]:
    """The inputs as URL query parameters; optional inputs left at their default are omitted."""
    params: dict[str, str] = {}
    for name, key in QUERY_KEYS.items():
        value = getattr(inputs, name)
        if name == "pue":
            params[key] = PUE_DERIVE if value is None else _number_text(value)
        elif name == "count" and inputs.target_it_mw is not None:
            continue  # the target decides the count
        elif value is None:
            continue
        elif isinstance(value, str):
            params[key] = value
        else:
            params[key] = _number_text(value)
    return params


def _shown(raw: Any) -> str:
    text = str(raw)
    return repr(text if len(text) <= 40 else text[:40] + "...")


def _parse_field(name: str, raw: Any, catalog: Mapping[str, hw.Hardware] | None) -> Any:
    """One input from text or a JSON value; ValueError with a reader's message if bad."""
    if isinstance(raw, (list, tuple)):  # a repeated query parameter: the last one wins
        if not raw:
            raise ValueError("is empty")
        raw = raw[-1]
    if isinstance(raw, str) and len(raw) > _MAX_TEXT:
        raise ValueError("is too long")
    if name in _OPTIONAL and (raw is None or (isinstance(raw, str) and raw.strip().lower() in DEFAULT_WORDS)):
        return None
    if name == "pue" and isinstance(raw, str) and raw.strip().lower() == PUE_DERIVE:
        return None
    if name == "hardware_id":
        text = str(raw).strip()
        if catalog is not None and text not in catalog:
            raise ValueError("is not in the hardware catalog")
        if catalog is not None and catalog[text].kind == "accelerator" and not catalog[text].platform:
            raise ValueError("ships in no catalog platform, so a count of it cannot be sized")
        if not text:
            raise ValueError("is empty")
        return text
    if name == "basis":
        if raw not in hw.SIZING_BASES:
            raise ValueError(f"is not one of {', '.join(hw.SIZING_BASES)}")
        return raw
    if name == "technology":
        if raw not in TECHNOLOGIES:
            raise ValueError(f"is not one of {', '.join(TECHNOLOGIES)}")
        return raw
    if name == "coolant":
        if raw not in COOLANTS:
            raise ValueError(f"is not one of {', '.join(COOLANTS)}")
        return raw
    if name in PLANT_CHOICES:
        if raw not in PLANT_CHOICES[name]:
            raise ValueError(f"is not one of {', '.join(PLANT_CHOICES[name])}")
        return raw
    if name in ("site", "architecture"):
        return _site_field(name, raw)
    if name == "output_benchmark":
        text = str(raw).strip()
        if not _BENCHMARK_NAME.fullmatch(text):
            raise ValueError("is not an MLPerf benchmark name")
        return text
    if isinstance(raw, bool) or raw is None:
        raise ValueError("is not a number")
    try:
        value = float(raw.strip() if isinstance(raw, str) else raw)
    except (TypeError, ValueError):
        raise ValueError("is not a number") from None
    limit = LIMITS[name]
    if not limit.accepts(value):
        raise ValueError(f"is outside {limit.describe()}")
    if name in ("count", "rack_positions"):
        if not value.is_integer():
            raise ValueError("is not a whole number")
        return int(value)
    return value


def _site_field(name: str, raw: Any) -> str:
    """A bundled station id or a plant architecture name (a link never names a file on the server)."""
    from factorycore import cooling_plant, weather

    text = str(raw).strip()
    choices = tuple(weather.stations()) if name == "site" else tuple(cooling_plant.ARCHITECTURES)
    if text not in choices:
        raise ValueError(f"is not one of {', '.join(choices)}")
    return text


def from_dict(
    values: Mapping[str, Any],
    catalog: Mapping[str, hw.Hardware] | None = None,
    *,
    keys: Mapping[str, str] | None = None,
) -> tuple[PlanInputs, list[str]]:
    """Inputs from a mapping (field names, or other names via ``keys``); bad values fall back.

    Returns the inputs and one message per value that was not usable. Unknown keys
    are ignored, missing ones take their default. With a ``catalog``, an unknown
    hardware id falls back too (to the default, or the first system if that is absent).
    """
    keys = keys or {name: name for name in QUERY_KEYS}
    defaults = PlanInputs()
    chosen: dict[str, Any] = {}
    messages: list[str] = []
    for f in fields(PlanInputs):
        key = keys[f.name]
        if key not in values:
            continue
        try:
            chosen[f.name] = _parse_field(f.name, values[key], catalog)
        except ValueError as exc:
            fallback = getattr(defaults, f.name)
            shown = fallback if fallback is not None else (PUE_DERIVE if f.name == "pue" else "default")
            messages.append(f"{key}={_shown(values[key])} {exc}; using {shown}.")
    inputs = replace(defaults, **chosen)
    if catalog is not None and inputs.hardware_id not in catalog:
        fallback = default_hardware_id(catalog)
        if "hardware_id" not in chosen:
            messages.append(f"the default hardware {inputs.hardware_id!r} is not in the catalog; using {fallback}.")
        inputs = replace(inputs, hardware_id=fallback)
    if catalog is not None:
        inputs = _fit_platform(inputs, dict(catalog), keys, messages)
    return inputs, messages


def _fit_platform(
    inputs: PlanInputs, catalog: dict[str, hw.Hardware], keys: Mapping[str, str], messages: list[str]
) -> PlanInputs:
    """Inputs from a link or a stored scenario whose cooling or rack budget the platform refuses fall back."""
    try:
        platform = hw.platform_of(catalog, catalog[inputs.hardware_id])
    except (KeyError, ValueError):
        return inputs  # nothing to fit against: plan() says why
    if platform.cooling == "liquid" and RACK_COOLING_OF_TECHNOLOGY[inputs.technology] == "air":
        messages.append(
            f"{keys['technology']}={inputs.technology} does not fit {platform.name}, which is "
            f"liquid-cooled only; using {DEFAULT_TECHNOLOGY}."
        )
        inputs = replace(inputs, technology=DEFAULT_TECHNOLOGY)
    system_kw = platform.design_figure(inputs.basis).figure.power_kw
    if inputs.rack_kw is not None and inputs.rack_kw < system_kw:
        messages.append(
            f"{keys['rack_kw']}={inputs.rack_kw:g} kW is below one {platform.name} "
            f"({system_kw:g} kW); using the platform's own rack."
        )
        inputs = replace(inputs, rack_kw=None)
    return inputs


def from_query_params(
    params: Mapping[str, Any], catalog: Mapping[str, hw.Hardware] | None = None
) -> tuple[PlanInputs, list[str]]:
    """Inputs from URL query parameters (see :data:`QUERY_KEYS`); never raises for a bad value."""
    return from_dict(params, catalog, keys=QUERY_KEYS)


def default_hardware_id(catalog: Mapping[str, hw.Hardware]) -> str:
    """The default hardware, or the first system (then the first item) of a catalog without it."""
    if DEFAULT_HARDWARE_ID in catalog or not catalog:
        return DEFAULT_HARDWARE_ID
    systems = sorted(i for i, h in catalog.items() if h.kind == "system")
    return systems[0] if systems else sorted(catalog)[0]


def count_for_target(
    item: hw.Hardware, target_it_mw: float, catalog: Mapping[str, hw.Hardware], basis: str = DEFAULT_BASIS
) -> int:
    """The fewest units (systems, or GPUs) whose IT power at ``basis`` reaches ``target_it_mw`` (at least 1)."""
    limit = LIMITS["target_it_mw"]
    if not limit.accepts(target_it_mw):
        raise ValueError(f"target IT load must be in {limit.describe()} MW, got {target_it_mw}")
    # The tolerance keeps 1.0 MW / 0.1 kW at exactly 10,000, not 10,001.
    return max(1, math.ceil(target_it_mw * KW_PER_MW / unit_it_kw(item, dict(catalog), basis) - 1e-9))


@dataclass(frozen=True)
class PlanResult:
    """One projection: each engine result as the command line returns it, plus the charts' data."""

    inputs: PlanInputs
    hardware: hw.Hardware
    platform: hw.Hardware
    count: int
    count_from_target: bool
    pue: float
    pue_basis: str
    capture: float
    rack_budget_kw: float
    fleet: FleetResult
    power: PowerResult
    cooling: CoolingResult
    growth: GrowthResult
    flows: tuple[PowerFlow, ...]
    flows_error: str
    sensitivity: pd.DataFrame = field(repr=False, compare=False)
    warnings: tuple[str, ...] = ()
    electrical: ElectricalResult | None = None
    liquid: LiquidLoopResult | None = None
    runway_constraints: tuple[tuple[str, float], ...] = ()
    runway: RunwayResult | None = None
    output: tp.OutputResult | None = None
    output_message: str = ""
    output_benchmark: str = DEFAULT_OUTPUT_BENCHMARK
    output_ranking: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False, compare=False)
    output_missing: tuple[str, ...] = ()
    climate: Any = field(default=None, repr=False, compare=False)
    design_pue: float | None = None
    wue_l_per_kwh: float | None = None
    pue_sd: float = 0.0

    @property
    def verdict(self) -> str:
        """The feasibility verdict as one sentence, feasible or not."""
        if not self.cooling.feasible:
            return self.cooling.reason
        limits = technology_limits(self.inputs.technology)
        return (
            f"{self.fleet.kw_per_rack:,.1f} kW per rack is within the practical {self.inputs.technology} "
            f"limit of {limits.max_rack_kw:g} kW per rack ({limits.limit_basis})"
        )

    def headline(self) -> dict[str, Any]:
        """The headline numbers, keyed as in the CLI's JSON (fleet, power, cooling, growth)."""
        return {
            "systems": self.fleet.systems,
            "accelerators": self.fleet.accelerators,
            "it_kw": self.power.it_kw,
            "facility_kw": self.power.facility_kw,
            "racks": self.fleet.racks,
            "kw_per_rack": self.fleet.kw_per_rack,
            "pue": self.pue,
            "annual_it_mwh": self.power.annual_it_mwh,
            "annual_facility_mwh": self.power.annual_facility_mwh,
            "annual_cost_usd": self.power.annual_cost_usd,
            "annual_co2e_t": self.power.annual_co2e_t,
            "annual_water_m3": self.power.annual_water_m3,
            "heat_kw": self.cooling.heat_kw,
            "liquid_kw": self.cooling.liquid_kw,
            "air_kw": self.cooling.air_kw,
            "cooling_tons": self.cooling.cooling_tons,
            "coolant_flow_lpm": self.cooling.coolant_flow_lpm,
            "airflow_m3h": self.cooling.airflow_m3h,
            "airflow_cfm": self.cooling.airflow_cfm,
            "feasible": self.cooling.feasible,
            "capacity_exhausted_year": self.growth.capacity_exhausted_year,
        }

    def power_basis_text(self) -> str:
        """Which published figure sized the fleet, and its source, as one sentence."""
        f = self.fleet
        text = (
            f"IT power: {f.systems:,} x {self.platform.name} at {f.system_power_kw:g} kW each, the {f.basis} "
            f"figure from source {f.power_source_id}"
        )
        return text + (f" ({f.note})" if f.note else "")

    def ledger_rows(self) -> pd.DataFrame:
        """Every published power figure of the platform, side by side; ``used`` marks the one that sized it."""
        rows = [
            {
                "used": f.basis == self.fleet.basis and f.sizing,
                "basis": f.basis,
                "power_kw": f.power_kw,
                "scope": f.scope,
                "status": f.status,
                "source_id": f.source_id,
                "quote": f.quote,
                "seen_at": f.seen_at,
            }
            for f in self.platform.figures
        ]
        return pd.DataFrame(
            rows, columns=["used", "basis", "power_kw", "scope", "status", "source_id", "quote", "seen_at"]
        )

    def cli_commands(self) -> list[list[str]]:
        """The ``python -m factorycore`` argument lists that print these very numbers."""
        i = self.inputs
        which = "--system" if self.hardware.kind == "system" else "--accelerator"
        fleet = ["fleet", f"{which}={self.hardware.id}", f"--count={self.count}"]
        if i.rack_kw is not None:
            fleet.append(f"--rack-kw={_number_text(i.rack_kw)}")
        fleet += [
            f"--pue={_number_text(self.pue)}",
            f"--basis={i.basis}",
            f"--cooling={RACK_COOLING_OF_TECHNOLOGY[i.technology]}",
        ]
        power = [
            "power",
            f"--it-kw={_number_text(self.fleet.it_kw)}",
            f"--pue={_number_text(self.pue)}",
            f"--utilization={_number_text(i.utilization)}",
            f"--price={_number_text(i.price_usd_per_kwh)}",
            f"--grid={_number_text(i.grid_kg_co2e_per_kwh)}",
            f"--wue={_number_text(i.wue_l_per_kwh if self.wue_l_per_kwh is None else self.wue_l_per_kwh)}",
        ]
        cooling = ["cooling", f"--heat-kw={_number_text(self.fleet.it_kw)}", f"--technology={i.technology}"]
        if i.capture is not None:
            cooling.append(f"--capture={_number_text(i.capture)}")
        cooling += [f"--coolant={i.coolant}", f"--rack-kw={_number_text(self.fleet.kw_per_rack)}"]
        cooling += [
            f"--cdu-kw={_number_text(i.cdu_kw)}",
            f"--cdu-redundancy={i.cdu_redundancy}",
            f"--facility-delta-t={_number_text(i.facility_delta_t_k)}",
            f"--facility-class={i.facility_class}",
        ]
        growth = [
            "growth",
            f"--load-mw={_number_text(self.power.facility_kw / KW_PER_MW)}",
            f"--capacity-mw={_number_text(i.capacity_mw)}",
            f"--growth={_number_text(i.growth)}",
            f"--start-year={DEFAULT_START_YEAR}",
            f"--end-year={DEFAULT_END_YEAR}",
        ]
        commands = [fleet, power, cooling, growth]
        if self.electrical is not None:
            commands.append(
                [
                    "electrical",
                    f"--it-kw={_number_text(self.fleet.it_kw)}",
                    f"--pue={_number_text(self.pue if self.design_pue is None else self.design_pue)}",
                    f"--redundancy={i.ups_redundancy}",
                    f"--ups-module-kw={_number_text(i.ups_module_kw)}",
                    f"--generator-kw={_number_text(i.generator_kw)}",
                    f"--generator-redundancy={i.generator_redundancy}",
                    f"--power-factor={_number_text(i.power_factor)}",
                ]
            )
        if self.runway is not None:
            commands.append(
                [
                    "runway",
                    f"--load-mw={_number_text(self.power.facility_kw / KW_PER_MW)}",
                    f"--capacity-mw={_number_text(i.capacity_mw)}",
                    *(f"--constraint={name}={_number_text(mw)}" for name, mw in self.runway_constraints),
                    f"--growth={_number_text(i.growth)}",
                    f"--growth-sd={_number_text(i.growth_sd)}",
                    f"--pue={_number_text(self.pue)}",
                    f"--pue-sd={_number_text(self.pue_sd if self.climate is not None else i.pue_sd)}",
                    f"--density-growth={_number_text(i.density_growth)}",
                    f"--runs={self.runway.runs}",
                    f"--seed={RUNWAY_SEED}",
                    f"--start-year={DEFAULT_START_YEAR}",
                    f"--end-year={DEFAULT_END_YEAR}",
                ]
            )
        if self.output is not None:
            commands.append(
                [
                    "output",
                    f"--system={self.output.system}",
                    f"--benchmark={self.output.benchmark}",
                    f"--scenario={self.output.scenario}",
                    f"--pue={_number_text(self.pue)}",
                ]
            )
        return commands

    def cli_text(self) -> str:
        """The commands as a reader would type them."""
        return "\n".join("python -m factorycore " + " ".join(cmd) + " --format json" for cmd in self.cli_commands())

    # Rows behind each chart (a chart shows these and nothing else).

    def _with_source(self, frame: pd.DataFrame) -> pd.DataFrame:
        return frame.assign(source_id=self.fleet.power_source_id)

    def flow_rows(self) -> pd.DataFrame:
        """Sankey links: source, target, kw."""
        frame = pd.DataFrame(flows_as_records(list(self.flows)), columns=["source", "target", "kw"])
        return self._with_source(frame)

    def heat_rows(self) -> pd.DataFrame:
        """Heat rejected by liquid and by air: path, kw, share."""
        heat = self.cooling.heat_kw
        rows = pd.DataFrame(
            {
                "path": ["liquid", "air"],
                "kw": [self.cooling.liquid_kw, self.cooling.air_kw],
            }
        )
        rows["share"] = rows["kw"] / heat if heat > 0 else 0.0
        return self._with_source(rows)

    def trajectory_rows(self) -> pd.DataFrame:
        """Facility load by year against the site capacity."""
        rows = pd.DataFrame([{"year": p.year, "load_mw": p.load_mw} for p in self.growth.trajectory])
        rows["capacity_mw"] = self.inputs.capacity_mw
        rows["over_capacity"] = rows["load_mw"] > rows["capacity_mw"]
        return self._with_source(rows)

    def tornado_rows(self) -> pd.DataFrame:
        """The annual-cost sweep, largest swing first (see :func:`factorycore.sensitivity.tornado`)."""
        return self._with_source(self.sensitivity.copy())

    # Rows of the plant sections: sized from the hardware's power with the project's
    # plant models (data/README.md, "Model methods"), hence status modelled.

    def _modelled(self, frame: pd.DataFrame) -> pd.DataFrame:
        return self._with_source(frame).assign(status="modelled")

    def electrical_rows(self) -> pd.DataFrame:
        """UPS and generators: critical load, installed kW, units, unit size, redundancy."""
        return self._modelled(pd.DataFrame(self.electrical.capacity_rows() if self.electrical else []))

    def facility_class_rows(self) -> pd.DataFrame:
        """Every ASHRAE class's facility supply temperature and whether it serves this technology."""
        tcs = self.liquid.tcs_supply_c if self.liquid else None
        rows = pd.DataFrame(
            {"facility_class": list(FACILITY_CLASSES), "facility_supply_c": list(FACILITY_CLASSES.values())}
        )
        rows["serves_technology"] = [tcs is not None and tcs - t >= MIN_APPROACH_K for t in rows["facility_supply_c"]]
        rows["chosen"] = rows["facility_class"] == self.inputs.facility_class
        return self._modelled(rows)

    def runway_constraint_rows(self) -> pd.DataFrame:
        """Each capacity of the runway, in its own MW and as facility MW (x PUE for IT-carrying ones)."""
        labels = {
            "utility": "Utility",
            "ups": "UPS (usable, IT)",
            "cooling": "Cooling (CDUs, IT)",
            "floor": "Floor (rack positions, IT)",
        }
        records = [
            {
                "name": c.name,
                "label": labels[c.name],
                "capacity_mw": c.capacity_mw,
                "carries": c.carries,
                "facility_mw": c.capacity_mw * (self.pue if c.carries == "it" else 1.0),
                "p10_year": c.p10_year,
                "p50_year": c.p50_year,
                "p90_year": c.p90_year,
                "binding_share": c.binding_share,
            }
            for c in (self.runway.constraints if self.runway else ())
        ]
        return self._modelled(pd.DataFrame.from_records(records))

    def runway_fan_rows(self) -> pd.DataFrame:
        """Facility load P10 / P50 / P90 by year across the runs."""
        return self._modelled(pd.DataFrame(self.runway.fan_rows() if self.runway else []))


def plan(
    inputs: PlanInputs,
    catalog: Mapping[str, hw.Hardware],
    throughput: pd.DataFrame | None = None,
    weather: Any = None,
) -> PlanResult:
    """Fleet -> power -> cooling -> growth -> sensitivity, then the plant: electrical, liquid loop, runway, output.

    ``throughput`` (the ``ref.throughput`` rows) enables the output section; without it
    the section is empty. A site (``inputs.site``, a bundled station, or ``weather``, an
    uploaded file's or a meter's :class:`factorycore.weather.Weather`) with no typed PUE
    runs the hourly plant (:mod:`factorycore.climate`): energy, cost, carbon and water use
    its annual PUE and WUE, the electrical plant its design-hour PUE, the runway its
    year-to-year PUE spread. Raises ValueError with a reader's message when the inputs
    cannot be planned (an unknown id, a platform larger than the rack budget, a
    liquid-only platform in an air-cooled plan, a value out of range).
    """
    item = hw.lookup(dict(catalog), inputs.hardware_id)
    for name in (
        "utilization",
        "price_usd_per_kwh",
        "grid_kg_co2e_per_kwh",
        "wue_l_per_kwh",
        "capacity_mw",
        "growth",
        "rack_kw",
        "capture",
        "pue",
        "ups_module_kw",
        "generator_kw",
        "power_factor",
        "cdu_kw",
        "facility_delta_t_k",
        "growth_sd",
        "pue_sd",
        "density_growth",
        "rack_positions",
    ):
        value = getattr(inputs, name)
        if value is not None and not LIMITS[name].accepts(float(value)):
            raise ValueError(f"{name} must be in {LIMITS[name].describe()}, got {value}")
    if inputs.coolant not in COOLANTS:
        raise ValueError(f"unknown coolant {inputs.coolant!r}; choose one of {', '.join(COOLANTS)}")
    pue_info = derived_pue(inputs.technology)
    pue = inputs.pue if inputs.pue is not None else pue_info.pue
    pue_basis = (
        f"derived from {inputs.technology} cooling: {pue_info.basis}" if inputs.pue is None else "entered by the user"
    )
    site_weather = weather
    if site_weather is None and inputs.site is not None:
        from factorycore.weather import load_station

        site_weather = load_station(inputs.site)

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
    climate_result, design_pue, wue, pue_sd = None, pue, inputs.wue_l_per_kwh, inputs.pue_sd
    if site_weather is not None and inputs.pue is None:
        climate_result = site_climate(inputs, site_weather, fleet.it_kw)
        pue, design_pue = climate_result.annual_pue, max(climate_result.design_pue, climate_result.annual_pue)
        wue = climate_result.wue_l_per_kwh
        pue_sd = inputs.pue_sd if inputs.pue_sd > 0 else climate_result.pue_sd
        pue_basis = (
            f"hourly plant model: {climate_result.architecture} at {climate_result.station_name} "
            f"({climate_result.hours:,} h), annual PUE {pue:.3f} energy-weighted, design-hour {design_pue:.3f}"
        )
        fleet = size(
            item, catalog, count, inputs.rack_kw, pue, inputs.basis, RACK_COOLING_OF_TECHNOLOGY[inputs.technology]
        )

    power = power_projection(
        fleet.it_kw,
        pue,
        inputs.utilization,
        inputs.price_usd_per_kwh,
        inputs.grid_kg_co2e_per_kwh,
        wue,
    )
    cooling = cooling_projection(
        fleet.it_kw,
        inputs.technology,
        inputs.capture,
        coolant_name=inputs.coolant,
        rack_kw=fleet.kw_per_rack,
    )
    growth = load_growth(
        power.facility_kw / KW_PER_MW, inputs.capacity_mw, inputs.growth, DEFAULT_START_YEAR, DEFAULT_END_YEAR
    )
    try:
        flows, flows_error = tuple(power_chain(fleet.it_kw, pue)), ""
    except ValueError as exc:
        flows, flows_error = (), f"No power-flow diagram: {exc}."
    sensitivity = tornado(
        {
            "it_kw": fleet.it_kw,
            "pue": pue,
            "utilization": inputs.utilization,
            "price_usd_per_kwh": inputs.price_usd_per_kwh,
            "grid_kg_co2e_per_kwh": inputs.grid_kg_co2e_per_kwh,
            "wue_l_per_kwh": wue,
        },
        metric="annual_cost_usd",
    )

    warnings: list[str] = []
    if is_rack_scale(platform) and inputs.rack_kw is not None:
        warnings.append(f"{platform.name} is a rack-scale system: each one fills a rack whatever the budget.")
    if climate_result is not None and climate_result.hours < PARTIAL_YEAR_HOURS:
        months = sum(v is not None for v in climate_result.monthly_pue)
        warnings.append(
            f"The weather covers {climate_result.hours:,} h in {months} month(s), not a whole year: the annual PUE, "
            "energy and water assume the rest of the year is like those hours."
        )
    if climate_result is not None and climate_result.exceedance_hours:
        warnings.append(
            f"The dry cooler cannot hold {climate_result.w_class} for {climate_result.exceedance_hours:,} h of the "
            f"year at {climate_result.station_name}: the loop runs warmer; choose a warmer class or a trim chiller."
        )
    capture = technology_limits(inputs.technology).default_capture if inputs.capture is None else inputs.capture

    electrical = electrical_plant(
        fleet.it_kw,
        design_pue,
        inputs.ups_redundancy,
        inputs.ups_module_kw,
        inputs.generator_kw,
        inputs.generator_redundancy,
        inputs.power_factor,
    )
    liquid = liquid_loop(
        cooling.liquid_kw,
        inputs.technology,
        inputs.cdu_kw,
        inputs.cdu_redundancy,
        inputs.facility_delta_t_k,
        inputs.facility_class,
    )
    constraints = runway_constraints(electrical, liquid, capture, fleet, inputs)
    runway_result = runway(
        power.facility_kw / KW_PER_MW,
        inputs.capacity_mw,
        inputs.growth,
        inputs.growth_sd,
        dict(constraints),
        pue=pue,
        pue_sd=pue_sd,
        density_growth=inputs.density_growth,
        runs=DEFAULT_RUNS,
        seed=RUNWAY_SEED,
        start_year=DEFAULT_START_YEAR,
        end_year=DEFAULT_END_YEAR,
    )
    output, output_message, ranked, missing = None, "", pd.DataFrame(), ()
    benchmark = inputs.output_benchmark or DEFAULT_OUTPUT_BENCHMARK
    if throughput is not None:
        if item.kind != "system":
            output_message = (
                f"{item.name} is an accelerator, not a catalog system with a rated power, so it has "
                "no MLPerf figure per MW here (none is estimated)."
            )
        else:
            try:
                output = tp.system_output(
                    throughput, catalog, item.id, inputs.output_benchmark, inputs.output_scenario, pue
                )
                benchmark = output.benchmark
            except ValueError as exc:
                output_message = f"{exc}."
        systems = {k: v for k, v in catalog.items() if v.kind == "system"}
        ranked = tp.ranking(throughput, systems, benchmark, inputs.output_scenario, pue)
        missing = tuple(tp.systems_without_submission(throughput, systems, benchmark))
    return PlanResult(
        inputs=inputs,
        hardware=item,
        platform=platform,
        count=count,
        count_from_target=from_target,
        pue=pue,
        pue_basis=pue_basis,
        capture=capture,
        rack_budget_kw=inputs.rack_kw if inputs.rack_kw is not None else default_rack_kw(item, catalog),
        fleet=fleet,
        power=power,
        cooling=cooling,
        growth=growth,
        flows=flows,
        flows_error=flows_error,
        sensitivity=sensitivity,
        warnings=tuple(warnings),
        electrical=electrical,
        liquid=liquid,
        runway_constraints=constraints,
        runway=runway_result,
        output=output,
        output_message=output_message,
        output_benchmark=benchmark,
        output_ranking=ranked,
        output_missing=missing,
        climate=climate_result,
        design_pue=design_pue,
        wue_l_per_kwh=wue,
        pue_sd=pue_sd,
    )


PARTIAL_YEAR_HOURS = 8000  # fewer hours than this is not a whole year (a leap year has 8,784)

# The plant a site runs when the plan names none: what each cooling technology is built with.
ARCHITECTURE_OF_TECHNOLOGY: dict[str, str] = {
    "air": "air-cooled-chiller",
    "rear-door": "air-cooled-chiller",
    "direct-liquid": "hybrid",
    "immersion": "dlc-trim-chiller",
}


def site_climate(inputs: PlanInputs, site_weather: Any, it_kw: float) -> Any:
    """The hourly plant of a plan at its site: its architecture (or the technology's), its W-class, and the
    platform's liquid share (the technology's capture) for the hybrid; IT at the plan's utilisation."""
    from factorycore import climate

    architecture = inputs.architecture or ARCHITECTURE_OF_TECHNOLOGY[inputs.technology]
    capture = technology_limits(inputs.technology).default_capture if inputs.capture is None else inputs.capture
    share = capture if RACK_COOLING_OF_TECHNOLOGY[inputs.technology] == "liquid" else 0.0
    return climate.evaluate(
        site_weather, architecture, max(it_kw * inputs.utilization, 1e-6), inputs.facility_class, share
    )


def runway_constraints(
    electrical: ElectricalResult, liquid: LiquidLoopResult, capture: float, fleet: FleetResult, inputs: PlanInputs
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


# Presentation of the headline numbers, shared by the page, reports and tests so a
# number reads the same wherever it appears: (key, label, unit, decimals).
HEADLINE_FORMAT: tuple[tuple[str, str, str, int], ...] = (
    ("it_kw", "IT power", "kW", 1),
    ("facility_kw", "Facility power", "kW", 1),
    ("racks", "Racks", "", 0),
    ("kw_per_rack", "Power per rack", "kW", 1),
    ("annual_facility_mwh", "Annual energy", "MWh", 0),
    ("annual_cost_usd", "Annual cost", "USD", 0),
    ("annual_co2e_t", "Annual carbon", "t CO2e", 0),
    ("annual_water_m3", "Annual water", "m³", 0),
    ("cooling_tons", "Cooling", "tons", 1),
    ("coolant_flow_lpm", "Coolant flow", "L/min", 0),
    ("airflow_m3h", "Airflow", "m³/h", 0),
    ("airflow_cfm", "Airflow", "CFM", 0),
)


def format_value(value: float | int | None, unit: str = "", decimals: int = 1) -> str:
    """A number with thousands separators, fixed decimals and its unit ('n/a' for None)."""
    if value is None:
        return "n/a"
    text = f"{value:,.{decimals}f}"
    return f"{text} {unit}" if unit else text


def headline_labels(*, units: bool = True) -> dict[str, str]:
    """Each headline number's label, with its unit in brackets ("Annual cost (USD)") by default."""
    return {key: f"{label} ({unit})" if units and unit else label for key, label, unit, _ in HEADLINE_FORMAT}


def headline_table(result: PlanResult) -> list[tuple[str, str]]:
    """(label, value with its unit) per headline; a label used twice (the airflows) gains its unit."""
    rows: list[tuple[str, str]] = []
    for key, text in headline_text(result).items():
        label, unit = next((lab, u) for k, lab, u, _ in HEADLINE_FORMAT if k == key)
        rows.append((label if all(label != seen for seen, _ in rows) else f"{label} ({unit})", text))
    return rows


def saved_plan(con: duckdb.DuckDBPyConnection, name: str) -> tuple[PlanInputs, list[str], PlanResult]:
    """A saved scenario re-planned with today's reference data: its inputs, the stored values
    that could not be used (and fell back to defaults), and the plan with its plant sections.

    The report, its scenario comparison and the presentation all re-plan through this, so
    each sees the same catalog (with the power ledger) and the same MLPerf rows.
    Raises ``scenarios.ScenarioError`` for an unknown name, ValueError for inputs that cannot be planned.
    """
    catalog = hw.load_catalog(con)
    inputs, problems = from_dict(scenarios.load(con, name), catalog)
    return inputs, problems, plan(inputs, catalog, reference.throughput(con))


def plant_table(result: PlanResult) -> list[tuple[str, str]]:
    """(label, value) of the plant sections: electrical plant, liquid loop, runway and output."""
    rows: list[tuple[str, str]] = []
    if result.climate is not None:
        c = result.climate
        rows += [
            ("Site", f"{c.station_name} ({c.hours:,} h, {c.source_id})"),
            ("Cooling plant", f"{c.architecture}, {c.w_class}"),
            ("PUE annual / design hour / worst", f"{c.annual_pue:.3f} / {c.design_pue:.3f} / {c.worst_hour_pue:.3f}"),
            ("Design-hour facility", f"{result.fleet.it_kw * (result.design_pue or result.pue):,.0f} kW"),
            ("Site WUE", f"{c.wue_l_per_kwh:.2f} L/kWh"),
            ("Chiller-free hours", f"{c.chiller_free_hours:,} h"),
        ]
    if result.electrical is not None:
        e = result.electrical
        rows += [
            ("UPS modules", f"{e.ups_modules} x {e.ups_module_kw:,.0f} kW ({e.redundancy})"),
            ("UPS installed", f"{e.ups_installed_kw:,.0f} kW ({e.ups_installed_kva:,.0f} kVA)"),
            ("Generators", f"{e.generators} x {e.generator_kw:,.0f} kW ({e.generator_redundancy})"),
            ("Utility demand", f"{e.utility_demand_mw:,.2f} MW"),
        ]
    if result.liquid is not None:
        loop = result.liquid
        rows += [
            ("CDUs", f"{loop.cdus} x {loop.cdu_kw:,.0f} kW ({loop.cdu_redundancy})"),
            ("Facility water", f"{loop.facility_water_flow_lpm:,.0f} L/min, {loop.facility_class}"),
        ]
    if result.runway is not None:
        run = result.runway
        years = "/".join(str(y) if y is not None else "later" for y in (run.p10_year, run.p50_year, run.p90_year))
        rows += [("Runway P10/P50/P90", years), ("Binds first", run.binding or "nothing within the horizon")]
    if result.output is not None:
        rows.append(
            (
                "MLPerf tokens/s per MW",
                f"{result.output.tokens_per_s_per_mw:,.0f} ({result.output.benchmark}, {result.output.scenario})",
            )
        )
    return rows


def headline_text(result: PlanResult, *, units: bool = True) -> dict[str, str]:
    """Each headline number formatted, keyed like :meth:`PlanResult.headline`.

    ``units=False`` leaves the unit off the value, for a display whose label carries it.
    """
    values = result.headline()
    return {
        key: format_value(values[key], unit if units else "", decimals) for key, _, unit, decimals in HEADLINE_FORMAT
    }


def comparison_frame(results: Mapping[str, PlanResult]) -> pd.DataFrame:
    """Scenarios side by side: one row per scenario, the headline numbers and key inputs as columns."""
    records = []
    for name, result in results.items():
        values = result.headline()
        records.append(
            {
                "scenario": name,
                "hardware": result.hardware.name,
                "units": result.count,
                "technology": result.inputs.technology,
                "pue": result.pue,
                **{key: values[key] for key, *_ in HEADLINE_FORMAT},
                "feasible": result.cooling.feasible,
                "capacity_exhausted_year": result.growth.capacity_exhausted_year,
                "ups_modules": result.electrical.ups_modules if result.electrical else None,
                "generators": result.electrical.generators if result.electrical else None,
                "cdus": result.liquid.cdus if result.liquid else None,
                "runway_p50_year": result.runway.p50_year if result.runway else None,
                "runway_binding": result.runway.binding if result.runway else None,
                "tokens_per_s_per_mw": result.output.tokens_per_s_per_mw if result.output else None,
            }
        )
    return pd.DataFrame.from_records(records)
