"""Heat rejection: the liquid/air split by cooling technology, flows, tons, feasibility.

The model, stated once:

- ``heat_kw`` is the heat to reject; by default all IT power becomes heat.
- ``capture`` is the share of that heat carried away from the rack by a liquid loop
  (cold plates, the tank's coolant, or the rear door's water coil). ``liquid_kw =
  capture x heat_kw`` sizes the coolant flow; ``air_kw`` is the rest, which the room's
  air handlers must remove, and sizes the airflow. Capture 0 means all air.
- A rear-door heat exchanger is a liquid-to-air coil on the back of the rack: servers
  stay air-cooled inside the rack, but an active door sized for the rack returns the
  air to the room at inlet temperature ("room neutral"), so the door's water loop
  carries the rack's heat and the room air handlers carry none of it. The default
  capture of 1.0 models that design point; pass a lower ``capture`` for a door that
  only neutralises part of the rack. The airflow reported is therefore room airflow,
  not the air the server fans move through the door.
- Liquid flow = liquid_kw / (density x specific heat x delta-T), in L/min; airflow
  likewise with air at 1.2 kg/m3 and 1.005 kJ/kg K (docs/command-line.md, definitions).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from factorycore.units import (
    AIR_DENSITY_KG_PER_M3,
    AIR_SPECIFIC_HEAT_KJ_PER_KG_K,
    KW_PER_TON_REFRIGERATION,
    LITRES_PER_M3,
    M3H_PER_CFM,
    PG25_DENSITY_KG_PER_M3,
    PG25_SPECIFIC_HEAT_KJ_PER_KG_K,
    SECONDS_PER_HOUR,
    SECONDS_PER_MINUTE,
    WATER_DENSITY_KG_PER_M3,
    WATER_SPECIFIC_HEAT_KJ_PER_KG_K,
)

TECHNOLOGIES: tuple[str, ...] = ("air", "rear-door", "direct-liquid", "immersion")
TECHNOLOGY_LABELS: dict[str, str] = {
    "air": "Air",
    "rear-door": "Rear-door heat exchanger",
    "direct-liquid": "Direct-to-chip liquid",
    "immersion": "Immersion",
}


@dataclass(frozen=True)
class Fluid:
    """A coolant's properties at its working temperature, with where they come from."""

    name: str
    density_kg_per_m3: float
    specific_heat_kj_per_kg_k: float
    source: str


COOLANTS: dict[str, Fluid] = {
    "water": Fluid(
        "water",
        WATER_DENSITY_KG_PER_M3,
        WATER_SPECIFIC_HEAT_KJ_PER_KG_K,
        "standard water tables at 25 C; specific heat 15-30 C (Engineering ToolBox)",
    ),
    "pg25": Fluid(
        "propylene glycol 25 % in water",
        PG25_DENSITY_KG_PER_M3,
        PG25_SPECIFIC_HEAT_KJ_PER_KG_K,
        "rounded from Dow DOWFROST engineering guide and ASHRAE Fundamentals secondary-coolant "
        "tables at 20-30 C (see factorycore.units)",
    ),
}


@dataclass(frozen=True)
class TechnologyLimits:
    """Default liquid capture and practical rack limit of one cooling technology."""

    default_capture: float
    capture_basis: str
    max_rack_kw: float
    limit_basis: str


TECHNOLOGY_LIMITS: dict[str, TechnologyLimits] = {
    "air": TechnologyLimits(
        0.0,
        "air cooling moves all heat in air",
        30.0,
        "practical air-cooling limit of 25-30 kW per rack (trade-press rule of thumb)",
    ),
    "rear-door": TechnologyLimits(
        1.0,
        "an active rear door sized for the rack is room-neutral: its water coil carries the rack's heat",
        75.0,
        "active rear-door heat exchanger capacity of 60-75 kW per rack (HPE / Motivair specifications)",
    ),
    "direct-liquid": TechnologyLimits(
        0.8,
        "cold plates capture 80-95 % of rack heat (trade press); 0.8 is the low end, so the air side is not undersized",
        200.0,
        "project assumption of 200 kW per rack for direct-to-chip liquid: NVL72-class racks of "
        "120-142 kW run on it today (NVIDIA / trade press), rack manifolds are typically sized at "
        "100-200 kW, and 600 kW Kyber racks are only announced for 2027",
    ),
    "immersion": TechnologyLimits(
        0.95,
        "project assumption: the tank captures nearly all heat; about 5 % stays in room air from "
        "switches, power gear and the tank surface",
        150.0,
        "single-phase immersion ceiling of about 100-150 kW per tank (trade press); project assumption 150 kW",
    ),
}


@dataclass(frozen=True)
class CoolingResult:
    """Heat split between liquid and air, with the flows, tons and feasibility."""

    heat_kw: float
    liquid_kw: float
    air_kw: float
    cooling_tons: float
    coolant_flow_lpm: float
    airflow_m3h: float
    airflow_cfm: float
    feasible: bool
    reason: str

    def as_dict(self) -> dict[str, float | bool | str]:
        """The JSON object of the ``cooling`` command (keys exactly as in the contract)."""
        return asdict(self)


def _check_positive(name: str, value: float) -> None:
    if not value > 0 or value == float("inf"):
        raise ValueError(f"{name} must be a finite number greater than 0, got {value}")


def technology_limits(technology: str) -> TechnologyLimits:
    """The limits of a technology; ValueError naming the valid ones if unknown."""
    try:
        return TECHNOLOGY_LIMITS[technology]
    except KeyError:
        raise ValueError(
            f"unknown cooling technology {technology!r}; choose one of {', '.join(TECHNOLOGIES)}"
        ) from None


def coolant(name: str) -> Fluid:
    """The fluid called ``name``; ValueError naming the valid ones if unknown."""
    try:
        return COOLANTS[name]
    except KeyError:
        raise ValueError(f"unknown coolant {name!r}; choose one of {', '.join(COOLANTS)}") from None


def liquid_flow_lpm(liquid_kw: float, fluid: Fluid, delta_t_k: float) -> float:
    """Coolant flow that carries ``liquid_kw`` at a temperature rise of ``delta_t_k``."""
    m3_per_s = liquid_kw / (fluid.density_kg_per_m3 * fluid.specific_heat_kj_per_kg_k * delta_t_k)
    return m3_per_s * LITRES_PER_M3 * SECONDS_PER_MINUTE


def airflow_m3h(air_kw: float, delta_t_k: float) -> float:
    """Air volume flow that carries ``air_kw`` at a temperature rise of ``delta_t_k``."""
    m3_per_s = air_kw / (AIR_DENSITY_KG_PER_M3 * AIR_SPECIFIC_HEAT_KJ_PER_KG_K * delta_t_k)
    return m3_per_s * SECONDS_PER_HOUR


def m3h_to_cfm(m3h: float) -> float:
    """Cubic metres per hour to cubic feet per minute."""
    return m3h / M3H_PER_CFM


def kw_to_tons(kw: float) -> float:
    """kW of heat to tons of refrigeration."""
    return kw / KW_PER_TON_REFRIGERATION


def rack_feasibility(rack_kw: float, technology: str) -> tuple[bool, str]:
    """Whether a rack density is practical for a technology, and the sentence why not."""
    _check_positive("rack power (kW)", rack_kw)
    limits = technology_limits(technology)
    if rack_kw > limits.max_rack_kw:
        return False, (
            f"{rack_kw:g} kW per rack exceeds the practical {technology} limit of "
            f"{limits.max_rack_kw:g} kW per rack ({limits.limit_basis})"
        )
    return True, ""


def cooling_projection(
    heat_kw: float,
    technology: str = "air",
    capture: float | None = None,
    delta_t_k: float = 10.0,
    air_delta_t_k: float = 12.0,
    coolant_name: str = "water",
    rack_kw: float | None = None,
) -> CoolingResult:
    """How a heat load leaves the building: liquid and air shares, flows, tons, feasibility.

    ``capture`` overrides the technology's default liquid share. Feasibility is only
    judged when ``rack_kw`` is given; otherwise ``feasible`` is true and ``reason`` empty.
    """
    if not heat_kw >= 0 or heat_kw == float("inf"):
        raise ValueError(f"heat load must be a finite number of kW, not negative; got {heat_kw}")
    limits = technology_limits(technology)
    fluid = coolant(coolant_name)
    share = limits.default_capture if capture is None else capture
    if not 0 <= share <= 1:
        raise ValueError(f"capture (liquid share of heat) must be in [0, 1], got {share}")
    _check_positive("liquid delta-T (K)", delta_t_k)
    _check_positive("air delta-T (K)", air_delta_t_k)
    feasible, reason = (True, "") if rack_kw is None else rack_feasibility(rack_kw, technology)

    liquid_kw = heat_kw * share
    air_kw = heat_kw - liquid_kw
    air_m3h = airflow_m3h(air_kw, air_delta_t_k)
    return CoolingResult(
        heat_kw=float(heat_kw),
        liquid_kw=liquid_kw,
        air_kw=air_kw,
        cooling_tons=kw_to_tons(heat_kw),
        coolant_flow_lpm=liquid_flow_lpm(liquid_kw, fluid, delta_t_k),
        airflow_m3h=air_m3h,
        airflow_cfm=m3h_to_cfm(air_m3h),
        feasible=feasible,
        reason=reason,
    )
