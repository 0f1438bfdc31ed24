"""The hourly cooling plant: six architectures, every hour of a weather year, power and water out.

An architecture splits the IT heat between a **liquid path** (cold plates to a facility
water loop at the W-class supply temperature) and an **air path** (the room's air), each
served by its own plant. Per hour, vectorised over the weather (numpy):

Air paths
- ``economiser``: direct outdoor air, mixed down in cold hours; above the supply limit a
  direct evaporative (adiabatic) stage cools it toward the wet bulb (effectiveness
  ``adiabatic_effectiveness``); what is left, or every hour whose dew point is above the
  limit (outdoor air then stays shut), goes to a DX/air-cooled trim at the smaller of the
  outdoor-air and return-air loads.
- ``tower``: CRAH coils on chilled water; a plate heat exchanger after a cooling tower
  (water at wet bulb + tower approach) carries all of the heat when its water is cold
  enough, part of it when it is below the chilled-water return, the chiller the rest.
  The tower evaporates (latent share of the heat rejected / latent heat), and blowdown
  (evaporation / (cycles - 1)) and drift (a fraction of the circulating flow) are lost too.
- ``air_chiller``: CRAH coils on chilled water from an air-cooled chiller with a
  free-cooling coil (water at dry bulb + coil approach), free, partial or mechanical as
  for the tower, and no water.

Liquid paths
- ``dry_trim``: a dry cooler (fluid at dry bulb + approach) with a trim chiller that
  cools what the dry cooler leaves above the class's supply temperature.
- ``dry_only``: the dry cooler alone; an hour it cannot reach the supply temperature is
  an *exceedance* hour (the loop runs warmer than its class), counted and reported.

Chillers: COP = min(COP max, eta x Carnot COP of the lift from the evaporator to the
condenser) at full load; at part load the power is the full-load power at that lift x
(a + (1 - a) x PLR) (``part_load_floor`` = a), so a lightly loaded chiller costs more per
kW. Fans: air movers at a specific fan power (kW per m3/s); dry coolers, tower and
free-cooling coil fans at a design share of the heat they reject x the cube of the
airflow the hour needs (cube law). Pumps at kW per kW of heat moved. Electrical: the IT
load passes the UPS and the distribution (losses 1/(eta_ups x eta_dist) - 1); lighting and
other loads a share of IT. Every coefficient is a field of :class:`PlantAssumptions`,
listed with its range and basis in :data:`ASSUMPTIONS` and data/README.md
("Model: climate plant"), status modelled.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace
from typing import Any

import numpy as np

from factorycore.liquid_loop import DEFAULT_FACILITY_CLASS, FACILITY_CLASSES
from factorycore.weather import Weather

KELVIN = 273.15
AIR_DENSITY_KG_M3 = 1.2
AIR_CP_KJ_KG_K = 1.006
WATER_LATENT_KJ_KG = 2430.0  # latent heat of evaporation near 30 C
WATER_CP_KJ_KG_K = 4.18
S_PER_H = 3600.0

# ASHRAE liquid-cooling classes: facility supply temperature, deg C (factorycore.liquid_loop's one copy).
W_CLASSES: dict[str, float] = FACILITY_CLASSES
DEFAULT_W_CLASS = DEFAULT_FACILITY_CLASS


@dataclass(frozen=True)
class Architecture:
    """One plant: which path takes the liquid share, which the air share, and the default split."""

    name: str
    label: str
    air_path: str
    liquid_path: str | None
    liquid_share: float
    note: str

    @property
    def needs_wet_bulb(self) -> bool:
        """Whether the plant's water or air side depends on humidity (so a weather without it is refused)."""
        return self.air_path in ("economiser", "tower") and self.liquid_share < 1.0


ARCHITECTURES: dict[str, Architecture] = {
    a.name: a
    for a in (
        Architecture(
            "air-economiser",
            "Air-side economiser with adiabatic assist",
            "economiser",
            None,
            0.0,
            "direct outdoor air, evaporative assist, DX trim; all heat on air",
        ),
        Architecture(
            "chilled-water-tower",
            "Chilled water, water-side economiser and cooling tower",
            "tower",
            None,
            0.0,
            "CRAH on chilled water; plate exchanger and tower, water-cooled chiller",
        ),
        Architecture(
            "air-cooled-chiller",
            "Air-cooled chiller with free-cooling coil",
            "air_chiller",
            None,
            0.0,
            "CRAH on chilled water; free-cooling coil, air-cooled chiller; no water",
        ),
        Architecture(
            "dlc-trim-chiller",
            "Direct liquid, dry cooler and trim chiller",
            "air_chiller",
            "dry_trim",
            1.0,
            "all IT heat on the W-class loop; dry cooler, air-cooled trim chiller",
        ),
        Architecture(
            "dlc-dry-cooler",
            "Direct liquid, dry cooler only",
            "air_chiller",
            "dry_only",
            1.0,
            "all IT heat on the W-class loop; dry cooler alone (W40/W45 class)",
        ),
        Architecture(
            "hybrid",
            "Hybrid: platform's liquid share on dry cooler and trim, the rest on air",
            "air_chiller",
            "dry_trim",
            0.8,
            "liquid share = the platform's capture (0.8 by default); air share on the air-cooled chiller",
        ),
    )
}


@dataclass(frozen=True)
class PlantAssumptions:
    """Every coefficient of the plant model (status modelled); see :data:`ASSUMPTIONS` for ranges and bases."""

    # Air side
    supply_air_c: float = 24.0
    economiser_supply_max_c: float = 27.0
    economiser_max_dew_point_c: float = 17.0
    air_delta_t_k: float = 12.0
    fan_kw_per_m3s: float = 0.6
    adiabatic_effectiveness: float = 0.85
    # Chilled water
    chilled_water_supply_c: float = 18.0
    chilled_water_delta_t_k: float = 8.0
    tower_approach_k: float = 4.0
    plate_hx_approach_k: float = 2.0
    condenser_range_k: float = 5.6
    free_cooling_coil_approach_k: float = 6.0
    # Liquid loop
    facility_delta_t_k: float = 10.0
    dry_cooler_approach_k: float = 10.0
    # Chillers
    evaporator_approach_k: float = 2.0
    water_cooled_condensing_k: float = 1.5
    air_cooled_condensing_k: float = 15.0
    dx_evaporator_below_supply_k: float = 10.0
    carnot_fraction_water_cooled: float = 0.70
    carnot_fraction_air_cooled: float = 0.50
    cop_max: float = 12.0
    min_lift_k: float = 5.0
    part_load_floor: float = 0.1
    # Pumps and heat-rejection fans, kW per kW of heat
    chilled_water_pump_kw_per_kw: float = 0.011
    condenser_pump_kw_per_kw: float = 0.012
    facility_pump_kw_per_kw: float = 0.007
    cdu_pump_kw_per_kw: float = 0.008
    tower_fan_kw_per_kw: float = 0.013
    dry_cooler_fan_kw_per_kw: float = 0.02
    min_airflow_fraction: float = 0.15
    # Water
    tower_latent_share: float = 0.85
    cycles_of_concentration: float = 5.0
    drift_fraction: float = 0.00002
    # Electrical and other
    ups_efficiency: float = 0.96
    distribution_efficiency: float = 0.98
    lighting_other_share: float = 0.01

    def as_dict(self) -> dict[str, float]:
        """Plain values (the CLI's ``assumptions``)."""
        return asdict(self)


@dataclass(frozen=True)
class Assumption:
    """One coefficient: its unit, accepted range and where its value comes from."""

    unit: str
    low: float
    high: float
    basis: str


ASSUMPTIONS: dict[str, Assumption] = {
    "supply_air_c": Assumption("C", 18, 27, "ASHRAE recommended server inlet 18-27 C; 24 C mid-upper"),
    "economiser_supply_max_c": Assumption("C", 24, 32, "top of ASHRAE's recommended inlet range (27 C)"),
    "economiser_max_dew_point_c": Assumption("C", 15, 21, "ASHRAE class A1 allowable dew point 17 C"),
    "air_delta_t_k": Assumption("K", 8, 20, "server air temperature rise at full load, project assumption"),
    "fan_kw_per_m3s": Assumption("kW/(m3/s)", 0.3, 1.5, "specific fan power of fan walls / CRAH, project range"),
    "adiabatic_effectiveness": Assumption("-", 0.7, 0.95, "direct evaporative media saturation effectiveness"),
    "chilled_water_supply_c": Assumption("C", 7, 24, "elevated chilled water for CRAH at 24 C supply air"),
    "chilled_water_delta_t_k": Assumption("K", 5, 12, "chilled-water rise, project assumption"),
    "tower_approach_k": Assumption("K", 2.5, 7, "tower leaving water above wet bulb at design"),
    "plate_hx_approach_k": Assumption("K", 1, 3, "plate heat exchanger approach"),
    "condenser_range_k": Assumption("K", 4, 7, "AHRI 550/590 condenser water 29.4 to 35 C"),
    "free_cooling_coil_approach_k": Assumption("K", 3, 10, "glycol free-cooling coil leaving above dry bulb"),
    "facility_delta_t_k": Assumption("K", 5, 15, "facility water rise, as factorycore.liquid_loop"),
    "dry_cooler_approach_k": Assumption("K", 4, 12, "dry cooler leaving fluid above dry bulb at design"),
    "evaporator_approach_k": Assumption("K", 1, 4, "refrigerant below leaving chilled water"),
    "water_cooled_condensing_k": Assumption("K", 1, 3, "refrigerant above leaving condenser water"),
    "air_cooled_condensing_k": Assumption("K", 10, 20, "air-cooled condensing above dry bulb"),
    "dx_evaporator_below_supply_k": Assumption("K", 6, 14, "DX coil evaporating below supply air"),
    "carnot_fraction_water_cooled": Assumption("-", 0.5, 0.8, "full-load COP ~6 at AHRI conditions"),
    "carnot_fraction_air_cooled": Assumption("-", 0.35, 0.6, "full-load COP ~3 at AHRI 35 C, fans included"),
    "cop_max": Assumption("-", 6, 20, "compressor limit at small lift"),
    "min_lift_k": Assumption("K", 2, 10, "smallest lift the COP formula is taken at"),
    "part_load_floor": Assumption("-", 0.0, 0.3, "power at zero load as share of full-load power"),
    "chilled_water_pump_kw_per_kw": Assumption("kW/kW", 0.005, 0.025, "8 K rise, ~250 kPa, 70 % pump"),
    "condenser_pump_kw_per_kw": Assumption("kW/kW", 0.005, 0.025, "5.6 K range, ~200 kPa, 70 % pump"),
    "facility_pump_kw_per_kw": Assumption("kW/kW", 0.003, 0.02, "10 K rise, ~200 kPa, 70 % pump"),
    "cdu_pump_kw_per_kw": Assumption("kW/kW", 0.003, 0.02, "cold-plate loop, ~250 kPa"),
    "tower_fan_kw_per_kw": Assumption("kW/kW", 0.005, 0.02, "open tower fans at design"),
    "dry_cooler_fan_kw_per_kw": Assumption("kW/kW", 0.01, 0.04, "EC-fan dry cooler at design"),
    "min_airflow_fraction": Assumption("-", 0.05, 0.3, "lowest fan speed of heat-rejection fans"),
    "tower_latent_share": Assumption("-", 0.75, 0.95, "share of tower heat rejected by evaporation"),
    "cycles_of_concentration": Assumption("-", 1.5, 10, "blowdown = evaporation / (cycles - 1)"),
    "drift_fraction": Assumption("-", 0.000005, 0.0005, "drift as a share of circulating water"),
    "ups_efficiency": Assumption("-", 0.9, 0.995, "double-conversion 0.94-0.97, eco-mode ~0.99"),
    "distribution_efficiency": Assumption("-", 0.95, 0.995, "transformers and PDUs"),
    "lighting_other_share": Assumption("-", 0.0, 0.05, "lighting, security, offices, share of IT"),
}


# Named sets of assumptions for the published-figure checks (data/weather/published_figures.csv): a
# hyperscale operator's plant, every value inside its range above. Eco-mode or battery-in-rack UPS and
# short distribution (0.99 x 0.985), little lighting, low-pressure fan walls, servers at a 15 K rise and
# chilled water at 20 C; its economiser admits outdoor air to 29.5 C and a 21 C dew point (ASHRAE A2 allowable).
CASES: dict[str, dict[str, float]] = {
    "default": {},
    "hyperscale": {
        "ups_efficiency": 0.99,
        "distribution_efficiency": 0.985,
        "lighting_other_share": 0.005,
        "fan_kw_per_m3s": 0.4,
        "air_delta_t_k": 15.0,
        "chilled_water_supply_c": 20.0,
    },
}
CASES["hyperscale-economiser"] = {
    **CASES["hyperscale"],
    "economiser_max_dew_point_c": 21.0,
    "economiser_supply_max_c": 29.5,
}


def case_assumptions(name: str) -> PlantAssumptions:
    """One of :data:`CASES` as checked assumptions."""
    if name not in CASES:
        raise ValueError(f"unknown case {name!r}; choose one of {', '.join(CASES)}")
    return with_overrides(None, **CASES[name])


def check_assumptions(assumptions: PlantAssumptions) -> PlantAssumptions:
    """The assumptions themselves; ValueError naming the first one outside its range."""
    for f in fields(assumptions):
        value, limits = getattr(assumptions, f.name), ASSUMPTIONS[f.name]
        if not (np.isfinite(value) and limits.low <= value <= limits.high):
            raise ValueError(f"{f.name} = {value} is outside {limits.low:g}-{limits.high:g} {limits.unit}")
    return assumptions


def assumption_rows(assumptions: PlantAssumptions | None = None) -> list[dict[str, Any]]:
    """One row per coefficient: name, value, unit, range, basis, status (what a view or the CLI shows)."""
    a = assumptions or PlantAssumptions()
    return [
        {
            "name": name,
            "value": getattr(a, name),
            "unit": spec.unit,
            "low": spec.low,
            "high": spec.high,
            "basis": spec.basis,
            "status": "modelled",
            "source_id": "model_climate_plant",
        }
        for name, spec in ASSUMPTIONS.items()
    ]


@dataclass(frozen=True)
class HourlyPlant:
    """Per-hour arrays of one plant on one weather (kW unless named otherwise)."""

    architecture: str
    w_class: str
    it_kw: float
    liquid_share: float
    facility_kw: np.ndarray
    mechanical_kw: np.ndarray  # compressor power
    mechanical_load_kw: np.ndarray  # heat the compressors move
    fan_kw: np.ndarray
    pump_kw: np.ndarray
    electrical_loss_kw: np.ndarray
    other_kw: np.ndarray
    water_l: np.ndarray  # litres in the hour (evaporation + blowdown + drift)
    evaporation_l: np.ndarray
    exceedance: np.ndarray  # bool: the loop ran above its class's supply temperature

    @property
    def pue(self) -> np.ndarray:
        """Hourly PUE: facility power / IT power."""
        return self.facility_kw / self.it_kw


def chiller_power_kw(
    load_kw: np.ndarray,
    design_kw: float,
    evaporator_c: np.ndarray | float,
    condenser_c: np.ndarray,
    carnot_fraction: float,
    a: PlantAssumptions,
) -> np.ndarray:
    """Compressor power for ``load_kw`` of heat at a lift, with the part-load rule (0 where no load)."""
    lift = np.maximum(condenser_c - evaporator_c, a.min_lift_k)
    cop = np.minimum(a.cop_max, carnot_fraction * (np.asarray(evaporator_c) + KELVIN) / lift)
    plr = np.clip(load_kw / design_kw, 0.0, None) if design_kw > 0 else np.zeros_like(load_kw)
    full_power = design_kw / cop
    power = full_power * (a.part_load_floor + (1 - a.part_load_floor) * plr)
    return np.where(load_kw > 1e-9, power, 0.0)


# AHRI 550/590 rating point: 6.7 C leaving chilled water; 35 C air for air-cooled, 29.4 C entering condenser water.
AHRI_CHILLED_WATER_C = 6.7
AHRI_AIR_C = 35.0
AHRI_CONDENSER_WATER_C = 29.4
W_PER_BTU_H = 0.29307107


def rated_cop(kind: str, assumptions: PlantAssumptions | None = None) -> float:
    """Full-load COP of the model's ``air-cooled`` or ``water-cooled`` chiller at the AHRI rating point."""
    a = assumptions or PlantAssumptions()
    evaporator = AHRI_CHILLED_WATER_C - a.evaporator_approach_k
    if kind == "air-cooled":
        condenser, fraction = AHRI_AIR_C + a.air_cooled_condensing_k, a.carnot_fraction_air_cooled
    elif kind == "water-cooled":
        condenser = AHRI_CONDENSER_WATER_C + a.condenser_range_k + a.water_cooled_condensing_k
        fraction = a.carnot_fraction_water_cooled
    else:
        raise ValueError(f"kind must be air-cooled or water-cooled, got {kind!r}")
    power = chiller_power_kw(np.array([1000.0]), 1000.0, evaporator, np.array([condenser]), fraction, a)
    return float(1000.0 / power[0])


def _cube_fan(design_share: float, heat_kw: np.ndarray | float, ratio: np.ndarray, a: PlantAssumptions) -> np.ndarray:
    """Heat-rejection fan power: design share x heat x (airflow ratio)^3, airflow at least the floor."""
    r = np.clip(ratio, a.min_airflow_fraction, 1.0)
    return design_share * heat_kw * r**3


def _air_mover_kw(heat_kw: float, a: PlantAssumptions) -> float:
    """Room fans (economiser AHU or CRAH) moving ``heat_kw`` at the server air rise."""
    flow_m3s = heat_kw / (AIR_DENSITY_KG_M3 * AIR_CP_KJ_KG_K * a.air_delta_t_k)
    return flow_m3s * a.fan_kw_per_m3s


@dataclass
class _Parts:
    mech: np.ndarray
    mech_load: np.ndarray
    fan: np.ndarray
    pump: np.ndarray
    water_l: np.ndarray
    evap_l: np.ndarray
    exceed: np.ndarray


def _zeros(n: int) -> _Parts:
    z = np.zeros(n)
    return _Parts(z.copy(), z.copy(), z.copy(), z.copy(), z.copy(), z.copy(), np.zeros(n, dtype=bool))


def _economiser(w: Weather, heat_kw: float, a: PlantAssumptions) -> _Parts:
    n = w.hours
    fan = _air_mover_kw(heat_kw, a)
    load = heat_kw + fan  # fan heat ends up in the air
    m_air = load / (AIR_CP_KJ_KG_K * a.air_delta_t_k)  # kg/s
    t, twb = w.dry_bulb_c, w.wet_bulb_c
    t_sup = a.economiser_supply_max_c
    outdoor_ok = w.dew_point_c <= a.economiser_max_dew_point_c
    t_after = t - a.adiabatic_effectiveness * np.maximum(t - twb, 0.0)
    cooled_to = np.maximum(t_after, t_sup)  # the evaporative stage stops at the supply limit
    evap_kg_s = np.where(outdoor_ok & (t > t_sup), m_air * AIR_CP_KJ_KG_K * (t - cooled_to) / WATER_LATENT_KJ_KG, 0.0)
    oa_load = m_air * AIR_CP_KJ_KG_K * np.maximum(cooled_to - t_sup, 0.0)
    mech_load = np.where(outdoor_ok, np.minimum(oa_load, load), load)
    # Outdoor air is used only when it beats recirculation; then no water is evaporated either.
    evap_kg_s = np.where(outdoor_ok & (oa_load < load), evap_kg_s, 0.0)
    evaporator = a.supply_air_c - a.dx_evaporator_below_supply_k
    mech = chiller_power_kw(mech_load, load, evaporator, t + a.air_cooled_condensing_k, a.carnot_fraction_air_cooled, a)
    parts = _zeros(n)
    parts.mech, parts.mech_load = mech, mech_load
    parts.fan = np.full(n, fan)
    parts.evap_l = evap_kg_s * S_PER_H  # 1 kg of water ~ 1 L
    parts.water_l = parts.evap_l.copy()  # once-through media: no blowdown counted
    return parts


def _chilled_water(w: Weather, heat_kw: float, a: PlantAssumptions, *, tower: bool) -> _Parts:
    n = w.hours
    fan_room = _air_mover_kw(heat_kw, a)
    load = heat_kw + fan_room
    chws, chwr = a.chilled_water_supply_c, a.chilled_water_supply_c + a.chilled_water_delta_t_k
    if tower:
        source_c = w.wet_bulb_c + a.tower_approach_k  # tower water at full fan
        free_c = source_c + a.plate_hx_approach_k
    else:
        source_c = w.dry_bulb_c
        free_c = w.dry_bulb_c + a.free_cooling_coil_approach_k
    free_share = np.clip((chwr - free_c) / (chwr - chws), 0.0, 1.0)
    mech_load = load * (1.0 - free_share)
    evaporator = chws - a.evaporator_approach_k
    if tower:
        condenser = source_c + a.condenser_range_k + a.water_cooled_condensing_k
        mech = chiller_power_kw(mech_load, load, evaporator, condenser, a.carnot_fraction_water_cooled, a)
        rejected = load + mech
        # Fully free hours need only the airflow that brings the tower water to the exchanger's need.
        needed_c = chws - a.plate_hx_approach_k
        ratio = np.where(
            free_share >= 1.0, a.tower_approach_k / np.maximum(needed_c - w.wet_bulb_c, a.tower_approach_k), 1.0
        )
        tower_fan = _cube_fan(a.tower_fan_kw_per_kw, rejected, ratio, a)
        pump = load * a.chilled_water_pump_kw_per_kw + rejected * a.condenser_pump_kw_per_kw
        evap_kg_h = rejected * S_PER_H * a.tower_latent_share / WATER_LATENT_KJ_KG
        circulating_kg_h = rejected * S_PER_H / (WATER_CP_KJ_KG_K * a.condenser_range_k)
        blowdown = evap_kg_h / (a.cycles_of_concentration - 1.0)
        drift = circulating_kg_h * a.drift_fraction
        parts = _zeros(n)
        parts.mech, parts.mech_load, parts.pump = mech, mech_load, pump
        parts.fan = fan_room + tower_fan
        parts.evap_l, parts.water_l = evap_kg_h, evap_kg_h + blowdown + drift
        return parts
    condenser = w.dry_bulb_c + a.air_cooled_condensing_k
    mech = chiller_power_kw(mech_load, load, evaporator, condenser, a.carnot_fraction_air_cooled, a)
    free_heat = load * free_share
    ratio = np.where(
        free_share >= 1.0,
        a.free_cooling_coil_approach_k / np.maximum(chws - w.dry_bulb_c, a.free_cooling_coil_approach_k),
        1.0,
    )
    parts = _zeros(n)
    parts.mech, parts.mech_load = mech, mech_load
    parts.fan = fan_room + _cube_fan(a.dry_cooler_fan_kw_per_kw, free_heat, ratio, a)
    parts.pump = np.full(n, load * a.chilled_water_pump_kw_per_kw)
    return parts


def _liquid(w: Weather, heat_kw: float, supply_c: float, a: PlantAssumptions, *, trim: bool) -> _Parts:
    n = w.hours
    t = w.dry_bulb_c
    ret = supply_c + a.facility_delta_t_k
    leaving = t + a.dry_cooler_approach_k
    free_share = np.clip((ret - leaving) / (ret - supply_c), 0.0, 1.0)
    ratio = np.where(
        free_share >= 1.0, a.dry_cooler_approach_k / np.maximum(supply_c - t, a.dry_cooler_approach_k), 1.0
    )
    parts = _zeros(n)
    parts.pump = np.full(n, heat_kw * (a.facility_pump_kw_per_kw + a.cdu_pump_kw_per_kw))
    if trim:
        mech_load = heat_kw * (1.0 - free_share)
        evaporator = supply_c - a.evaporator_approach_k
        mech = chiller_power_kw(
            mech_load, heat_kw, evaporator, t + a.air_cooled_condensing_k, a.carnot_fraction_air_cooled, a
        )
        parts.mech, parts.mech_load = mech, mech_load
        parts.fan = _cube_fan(a.dry_cooler_fan_kw_per_kw, heat_kw * free_share, ratio, a)
    else:
        parts.fan = _cube_fan(a.dry_cooler_fan_kw_per_kw, heat_kw, ratio, a)
        parts.exceed = leaving > supply_c + 1e-9
    return parts


def simulate(
    weather: Weather,
    architecture: str,
    it_kw: float = 1000.0,
    w_class: str = DEFAULT_W_CLASS,
    liquid_share: float | None = None,
    assumptions: PlantAssumptions | None = None,
) -> HourlyPlant:
    """Every hour of ``weather`` for one plant carrying ``it_kw`` of IT (all of it becomes heat).

    ``liquid_share`` None takes the architecture's default (the hybrid's is the platform's
    capture, which the planner passes). Raises ValueError for an unknown architecture or
    class, a weather without humidity for a plant that needs a wet bulb, or an assumption
    outside its range.
    """
    if architecture not in ARCHITECTURES:
        raise ValueError(f"unknown architecture {architecture!r}; choose one of {', '.join(ARCHITECTURES)}")
    if w_class not in W_CLASSES:
        raise ValueError(f"unknown facility class {w_class!r}; choose one of {', '.join(W_CLASSES)}")
    if not (np.isfinite(it_kw) and it_kw > 0):
        raise ValueError(f"IT load must be a finite number of kW above 0, got {it_kw}")
    a = check_assumptions(assumptions or PlantAssumptions())
    arch = ARCHITECTURES[architecture]
    share = arch.liquid_share if liquid_share is None or arch.liquid_path is None else float(liquid_share)
    if not 0.0 <= share <= 1.0:
        raise ValueError(f"liquid share must be in [0, 1], got {share}")
    needs_wet_bulb = arch.air_path in ("economiser", "tower") and share < 1.0
    if needs_wet_bulb and not weather.humidity_known:
        raise ValueError(
            f"{weather.name} has no humidity, and {arch.label.lower()} depends on the wet bulb; give a weather with "
            "relative humidity or dew point, or choose an air-cooled or dry-cooler architecture"
        )
    n = weather.hours
    liquid_kw, air_kw = it_kw * share, it_kw * (1.0 - share)
    total = _zeros(n)
    if air_kw > 0:
        if arch.air_path == "economiser":
            air = _economiser(weather, air_kw, a)
        else:
            air = _chilled_water(weather, air_kw, a, tower=arch.air_path == "tower")
        total = air
    if liquid_kw > 0 and arch.liquid_path is not None:
        liquid = _liquid(weather, liquid_kw, W_CLASSES[w_class], a, trim=arch.liquid_path == "dry_trim")
        for name in ("mech", "mech_load", "fan", "pump", "water_l", "evap_l"):
            setattr(total, name, getattr(total, name) + getattr(liquid, name))
        total.exceed = total.exceed | liquid.exceed
    electrical = np.full(n, it_kw * (1.0 / (a.ups_efficiency * a.distribution_efficiency) - 1.0))
    other = np.full(n, it_kw * a.lighting_other_share)
    facility = it_kw + total.mech + total.fan + total.pump + electrical + other
    return HourlyPlant(
        architecture=architecture,
        w_class=w_class,
        it_kw=float(it_kw),
        liquid_share=share,
        facility_kw=facility,
        mechanical_kw=total.mech,
        mechanical_load_kw=total.mech_load,
        fan_kw=total.fan,
        pump_kw=total.pump,
        electrical_loss_kw=electrical,
        other_kw=other,
        water_l=total.water_l,
        evaporation_l=total.evap_l,
        exceedance=total.exceed,
    )


def with_overrides(assumptions: PlantAssumptions | None = None, **changes: float) -> PlantAssumptions:
    """The default (or given) assumptions with some coefficients changed, checked against their ranges."""
    unknown = set(changes) - set(ASSUMPTIONS)
    if unknown:
        raise ValueError(f"unknown plant assumption(s): {', '.join(sorted(unknown))}")
    return check_assumptions(replace(assumptions or PlantAssumptions(), **changes))
