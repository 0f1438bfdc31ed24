"""The planner: one deployment's inputs in, its power, cooling, growth and sensitivity out.

:func:`plan` composes the engine exactly as the command line does, step by step, so
the Planner page and ``python -m factorycore`` agree to the last digit:

1. ``fleet``   -- the chosen system or accelerator, a count (or the count, rounded up,
   that reaches a target IT MW), the rack budget and the PUE give IT kW and racks;
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
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any

import pandas as pd

from factorycore import hardware as hw
from factorycore.cooling import COOLANTS, TECHNOLOGIES, CoolingResult, cooling_projection, technology_limits
from factorycore.fleet import (
    FleetResult,
    default_rack_kw,
    is_rack_scale,
    size_accelerators,
    size_systems,
    unit_it_kw,
)
from factorycore.growth import DEFAULT_END_YEAR, DEFAULT_START_YEAR, IEA_CAGR, GrowthResult, load_growth
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
from factorycore.sensitivity import tornado

KW_PER_MW = 1000.0


@dataclass(frozen=True)
class DerivedPue:
    """The PUE assumed for a cooling technology, and why."""

    pue: float
    basis: str


DERIVED_PUE: dict[str, DerivedPue] = {
    "air": DerivedPue(1.5, "Uptime Institute Global Data Center Survey 2025 industry average of 1.54 "
                           "(mostly air-cooled sites of all ages); a new air-cooled build taken as 1.5"),
    "rear-door": DerivedPue(1.35, "project assumption: rear-door coils on warmer water replace most room "
                                  "air-handler work; between air (1.5) and direct liquid (1.2)"),
    "direct-liquid": DerivedPue(1.2, "project assumption: liquid-cooled AI halls are designed for PUE "
                                     "1.1-1.3 (trade press); 1.2 is the middle, as ~20 % of heat stays on air"),
    "immersion": DerivedPue(1.1, "project assumption: immersion vendors quote 1.03-1.1; 1.1 is the "
                                 "conservative end"),
}

DEFAULT_HARDWARE_ID = "gb200_nvl72"
DEFAULT_COUNT = 16
DEFAULT_TECHNOLOGY = "direct-liquid"
DEFAULT_COOLANT = "water"
DEFAULT_CAPACITY_MW = 5.0
# IEA "Energy and AI" (2025) base case: global data-center electricity 415 TWh (2024)
# to 945 TWh (2030), a 14.7 % compound annual rate; rounded to 15 %.
DEFAULT_GROWTH = round(IEA_CAGR["base"], 2)

DEFAULTS_BASIS: dict[str, str] = {
    "hardware_id": "GB200 NVL72, the rack-scale system AI factories are being built with in 2025-26",
    "count": "16 racks (about 2 MW of IT): a typical first AI hall block",
    "technology": "direct-liquid, which NVL72-class racks require",
    "pue": "derived from the cooling technology (see the PUE basis)",
    "utilization, price, grid, wue": "the command line's defaults (1.0, 0.10 USD/kWh, 0.40 kg/kWh, 0 L/kWh)",
    "capacity_mw": "5 MW: an illustrative site, about twice the default hall's facility load",
    "growth": "15 %/yr: IEA Energy and AI (2025) base case, 415 TWh in 2024 to 945 TWh in 2030 (14.7 %/yr)",
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
}


@dataclass(frozen=True)
class PlanInputs:
    """Everything the planner asks; the defaults make a useful first projection.

    ``target_it_mw`` (when set) replaces ``count``: the count becomes the smallest whole
    number of systems (or accelerators) whose IT power reaches the target. ``None`` for
    ``rack_kw``, ``capture`` and ``pue`` means: the system's own rack, the technology's
    default capture, the PUE derived from the technology.
    """

    hardware_id: str = DEFAULT_HARDWARE_ID
    count: int = DEFAULT_COUNT
    target_it_mw: float | None = None
    rack_kw: float | None = None
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
}
PUE_DERIVE = "derive"
DEFAULT_WORDS = ("", "default", "none")
_OPTIONAL = ("target_it_mw", "rack_kw", "capture", "pue")
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
        if not text:
            raise ValueError("is empty")
        return text
    if name == "technology":
        if raw not in TECHNOLOGIES:
            raise ValueError(f"is not one of {', '.join(TECHNOLOGIES)}")
        return raw
    if name == "coolant":
        if raw not in COOLANTS:
            raise ValueError(f"is not one of {', '.join(COOLANTS)}")
        return raw
    if isinstance(raw, bool) or raw is None:
        raise ValueError("is not a number")
    try:
        value = float(raw.strip() if isinstance(raw, str) else raw)
    except (TypeError, ValueError):
        raise ValueError("is not a number") from None
    limit = LIMITS[name]
    if not limit.accepts(value):
        raise ValueError(f"is outside {limit.describe()}")
    if name == "count":
        if not value.is_integer():
            raise ValueError("is not a whole number")
        return int(value)
    return value


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
    return inputs, messages


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


def count_for_target(item: hw.Hardware, target_it_mw: float) -> int:
    """The fewest units whose IT power reaches ``target_it_mw`` (rounded up, at least 1)."""
    limit = LIMITS["target_it_mw"]
    if not limit.accepts(target_it_mw):
        raise ValueError(f"target IT load must be in {limit.describe()} MW, got {target_it_mw}")
    # The tolerance keeps 1.0 MW / 0.1 kW at exactly 10,000, not 10,001.
    return max(1, math.ceil(target_it_mw * KW_PER_MW / unit_it_kw(item) - 1e-9))


@dataclass(frozen=True)
class PlanResult:
    """One projection: each engine result as the command line returns it, plus the charts' data."""

    inputs: PlanInputs
    hardware: hw.Hardware
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

    def cli_commands(self) -> list[list[str]]:
        """The ``python -m factorycore`` argument lists that print these very numbers."""
        i = self.inputs
        which = "--system" if self.hardware.kind == "system" else "--accelerator"
        fleet = ["fleet", f"{which}={self.hardware.id}", f"--count={self.count}"]
        if i.rack_kw is not None:
            fleet.append(f"--rack-kw={_number_text(i.rack_kw)}")
        fleet.append(f"--pue={_number_text(self.pue)}")
        power = [
            "power", f"--it-kw={_number_text(self.fleet.it_kw)}", f"--pue={_number_text(self.pue)}",
            f"--utilization={_number_text(i.utilization)}", f"--price={_number_text(i.price_usd_per_kwh)}",
            f"--grid={_number_text(i.grid_kg_co2e_per_kwh)}", f"--wue={_number_text(i.wue_l_per_kwh)}",
        ]
        cooling = ["cooling", f"--heat-kw={_number_text(self.fleet.it_kw)}", f"--technology={i.technology}"]
        if i.capture is not None:
            cooling.append(f"--capture={_number_text(i.capture)}")
        cooling += [f"--coolant={i.coolant}", f"--rack-kw={_number_text(self.fleet.kw_per_rack)}"]
        growth = [
            "growth", f"--load-mw={_number_text(self.power.facility_kw / KW_PER_MW)}",
            f"--capacity-mw={_number_text(i.capacity_mw)}", f"--growth={_number_text(i.growth)}",
            f"--start-year={DEFAULT_START_YEAR}", f"--end-year={DEFAULT_END_YEAR}",
        ]
        return [fleet, power, cooling, growth]

    def cli_text(self) -> str:
        """The commands as a reader would type them."""
        return "\n".join("python -m factorycore " + " ".join(cmd) + " --format json" for cmd in self.cli_commands())

    # Rows behind each chart (a chart shows these and nothing else).

    def _with_source(self, frame: pd.DataFrame) -> pd.DataFrame:
        return frame.assign(source_id=self.hardware.source_id)

    def flow_rows(self) -> pd.DataFrame:
        """Sankey links: source, target, kw."""
        frame = pd.DataFrame(flows_as_records(list(self.flows)), columns=["source", "target", "kw"])
        return self._with_source(frame)

    def heat_rows(self) -> pd.DataFrame:
        """Heat rejected by liquid and by air: path, kw, share."""
        heat = self.cooling.heat_kw
        rows = pd.DataFrame({
            "path": ["liquid", "air"],
            "kw": [self.cooling.liquid_kw, self.cooling.air_kw],
        })
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


def plan(inputs: PlanInputs, catalog: Mapping[str, hw.Hardware]) -> PlanResult:
    """Fleet -> power -> cooling -> growth -> sensitivity for one deployment.

    Raises ValueError with a reader's message when the inputs cannot be planned (an
    unknown id, a system larger than the rack budget, a value out of range).
    """
    item = hw.lookup(dict(catalog), inputs.hardware_id)
    for name in ("utilization", "price_usd_per_kwh", "grid_kg_co2e_per_kwh", "wue_l_per_kwh",
                 "capacity_mw", "growth", "rack_kw", "capture", "pue"):
        value = getattr(inputs, name)
        if value is not None and not LIMITS[name].accepts(float(value)):
            raise ValueError(f"{name} must be in {LIMITS[name].describe()}, got {value}")
    if inputs.coolant not in COOLANTS:
        raise ValueError(f"unknown coolant {inputs.coolant!r}; choose one of {', '.join(COOLANTS)}")
    pue_info = derived_pue(inputs.technology)
    pue = inputs.pue if inputs.pue is not None else pue_info.pue
    pue_basis = (f"derived from {inputs.technology} cooling: {pue_info.basis}" if inputs.pue is None
                 else "entered by the user")

    if inputs.target_it_mw is not None:
        count, from_target = count_for_target(item, inputs.target_it_mw), True
    else:
        count, from_target = inputs.count, False
    if not LIMITS["count"].accepts(count):
        raise ValueError(f"{count:,} units is more than the planner's limit of {LIMITS['count'].high:,.0f}")
    sizer = size_systems if item.kind == "system" else size_accelerators
    fleet = sizer(item, count, inputs.rack_kw, pue)

    power = power_projection(
        fleet.it_kw, pue, inputs.utilization, inputs.price_usd_per_kwh,
        inputs.grid_kg_co2e_per_kwh, inputs.wue_l_per_kwh,
    )
    cooling = cooling_projection(
        fleet.it_kw, inputs.technology, inputs.capture, coolant_name=inputs.coolant, rack_kw=fleet.kw_per_rack,
    )
    growth = load_growth(power.facility_kw / KW_PER_MW, inputs.capacity_mw, inputs.growth,
                         DEFAULT_START_YEAR, DEFAULT_END_YEAR)
    try:
        flows, flows_error = tuple(power_chain(fleet.it_kw, pue)), ""
    except ValueError as exc:
        flows, flows_error = (), f"No power-flow diagram: {exc}."
    sensitivity = tornado({
        "it_kw": fleet.it_kw, "pue": pue, "utilization": inputs.utilization,
        "price_usd_per_kwh": inputs.price_usd_per_kwh, "grid_kg_co2e_per_kwh": inputs.grid_kg_co2e_per_kwh,
        "wue_l_per_kwh": inputs.wue_l_per_kwh,
    }, metric="annual_cost_usd")

    warnings: list[str] = []
    if item.cooling == "liquid" and inputs.technology in ("air", "rear-door"):
        warnings.append(f"{item.name} is designed for liquid cooling; {inputs.technology} cooling does not "
                        "fit it as shipped.")
    if item.kind == "system" and is_rack_scale(item) and inputs.rack_kw is not None:
        warnings.append(f"{item.name} is a rack-scale system: each one fills a rack whatever the budget.")
    capture = technology_limits(inputs.technology).default_capture if inputs.capture is None else inputs.capture
    return PlanResult(
        inputs=inputs,
        hardware=item,
        count=count,
        count_from_target=from_target,
        pue=pue,
        pue_basis=pue_basis,
        capture=capture,
        rack_budget_kw=inputs.rack_kw if inputs.rack_kw is not None else default_rack_kw(item),
        fleet=fleet,
        power=power,
        cooling=cooling,
        growth=growth,
        flows=flows,
        flows_error=flows_error,
        sensitivity=sensitivity,
        warnings=tuple(warnings),
    )


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


def headline_text(result: PlanResult, *, units: bool = True) -> dict[str, str]:
    """Each headline number formatted, keyed like :meth:`PlanResult.headline`.

    ``units=False`` leaves the unit off the value, for a display whose label carries it.
    """
    values = result.headline()
    return {key: format_value(values[key], unit if units else "", decimals)
            for key, _, unit, decimals in HEADLINE_FORMAT}


def comparison_frame(results: Mapping[str, PlanResult]) -> pd.DataFrame:
    """Scenarios side by side: one row per scenario, the headline numbers and key inputs as columns."""
    records = []
    for name, result in results.items():
        values = result.headline()
        records.append({
            "scenario": name,
            "hardware": result.hardware.name,
            "units": result.count,
            "technology": result.inputs.technology,
            "pue": result.pue,
            **{key: values[key] for key, *_ in HEADLINE_FORMAT},
            "feasible": result.cooling.feasible,
            "capacity_exhausted_year": result.growth.capacity_exhausted_year,
        })
    return pd.DataFrame.from_records(records)
