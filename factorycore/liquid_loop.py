"""The liquid loop: CDUs, the facility-water flow and temperature behind the technology loop.

A coolant distribution unit (CDU) is a heat exchanger with pumps between the
technology cooling system (TCS: the coolant in the racks' cold plates, tank or door)
and the facility water system (FWS: the building's water to the chillers, towers or
dry coolers). The model, stated once:

- ``liquid_kw`` is the heat the liquid loop carries (``cooling.cooling_projection``'s
  liquid share). CDUs needed = ceil(liquid_kw / cdu_kw); the redundancy scheme (N,
  N+1 by default, 2N) gives the CDUs installed, as for UPS modules
  (:func:`factorycore.electrical.units_installed`).
- The TCS flow is the one ``cooling`` already computes (its coolant and delta-T).
  The facility-water flow carries the same heat at the facility's own delta-T, in
  water: flow = liquid_kw / (density x specific heat x delta-T).
- Facility supply temperature: the ASHRAE liquid-cooling class W17, W27, W32, W40,
  W45 or W+ names the warmest facility water the plant is designed to deliver, in
  deg C; the design point is that ceiling (W+ is "above 45 deg C" and is computed at 45).
- The approach at the CDU is the TCS supply temperature the technology is designed
  for minus the facility supply temperature. A counter-flow plate CDU needs a few
  kelvin of approach (:data:`MIN_APPROACH_K`); a class whose water leaves less than
  that cannot serve the technology, and the result says so.

The class ceilings, TCS supply temperatures and the minimum approach are project
assumptions (status modelled), written in data/README.md ("Model: liquid loop").
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from factorycore.cooling import COOLANTS, liquid_flow_lpm, technology_limits
from factorycore.electrical import check_scheme, units_installed, units_needed

# Upper facility supply temperature of each ASHRAE liquid-cooling class, deg C.
FACILITY_CLASSES: dict[str, float] = {"W17": 17.0, "W27": 27.0, "W32": 32.0, "W40": 40.0, "W45": 45.0, "W+": 45.0}
DEFAULT_FACILITY_CLASS = "W32"
DEFAULT_CDU_KW = 1000.0
DEFAULT_CDU_REDUNDANCY = "N+1"
DEFAULT_FACILITY_DELTA_T_K = 10.0
MIN_APPROACH_K = 3.0

# TCS supply temperature each technology is designed for, deg C, and why (modelled).
TCS_SUPPLY_C: dict[str, tuple[float, str]] = {
    "rear-door": (
        20.0,
        "a rear door must return room air at or below the 27 C top of ASHRAE's recommended "
        "inlet range, so its water is taken at 20 C",
    ),
    "direct-liquid": (
        40.0,
        "project assumption: cold plates of current accelerators are specified for warm "
        "water; 40 C taken as the design supply",
    ),
    "immersion": (40.0, "project assumption: single-phase immersion dielectric supplied at about 40 C"),
}


@dataclass(frozen=True)
class LiquidLoopResult:
    """CDUs, facility-water flow and temperature, approach and the class's feasibility."""

    cdus: int
    facility_water_flow_lpm: float
    facility_supply_c: float
    cdus_needed: int
    cdu_kw: float
    cdu_redundancy: str
    cdu_installed_kw: float
    facility_class: str
    facility_delta_t_k: float
    tcs_supply_c: float | None
    approach_k: float | None
    loop_feasible: bool
    loop_reason: str

    def as_dict(self) -> dict[str, Any]:
        """The keys the ``cooling`` command adds for the liquid loop."""
        return {
            "cdus": self.cdus,
            "facility_water_flow_lpm": self.facility_water_flow_lpm,
            "facility_supply_c": self.facility_supply_c,
            "cdus_needed": self.cdus_needed,
            "cdu_kw": self.cdu_kw,
            "cdu_redundancy": self.cdu_redundancy,
            "cdu_installed_kw": self.cdu_installed_kw,
            "facility_class": self.facility_class,
            "facility_delta_t_k": self.facility_delta_t_k,
            "tcs_supply_c": self.tcs_supply_c,
            "approach_k": self.approach_k,
            "loop_feasible": self.loop_feasible,
            "loop_reason": self.loop_reason,
        }


def check_facility_class(name: str) -> float:
    """The class's facility supply temperature, deg C; ValueError naming the classes if unknown."""
    try:
        return FACILITY_CLASSES[name]
    except KeyError:
        raise ValueError(
            f"unknown facility water class {name!r}; choose one of {', '.join(FACILITY_CLASSES)}"
        ) from None


def liquid_loop(
    liquid_kw: float,
    technology: str,
    cdu_kw: float = DEFAULT_CDU_KW,
    cdu_redundancy: str = DEFAULT_CDU_REDUNDANCY,
    facility_delta_t_k: float = DEFAULT_FACILITY_DELTA_T_K,
    facility_class: str = DEFAULT_FACILITY_CLASS,
) -> LiquidLoopResult:
    """Size the CDUs and the facility water for a liquid heat load, and say whether the class can serve it."""
    technology_limits(technology)  # the engine's message for an unknown technology
    check_scheme(cdu_redundancy)
    supply_c = check_facility_class(facility_class)
    if not (math.isfinite(facility_delta_t_k) and facility_delta_t_k > 0):
        raise ValueError(f"facility delta-T must be a finite number of K above 0, got {facility_delta_t_k}")
    needed = units_needed(liquid_kw, cdu_kw)
    cdus = units_installed(needed, cdu_redundancy) if needed else 0
    flow_lpm = liquid_flow_lpm(liquid_kw, COOLANTS["water"], facility_delta_t_k)

    if liquid_kw == 0 or technology not in TCS_SUPPLY_C:
        tcs_c, approach_k, feasible = None, None, True
        reason = "no liquid loop: all heat leaves in air" if liquid_kw == 0 else ""
    else:
        tcs_c, basis = TCS_SUPPLY_C[technology]
        approach_k = tcs_c - supply_c
        feasible = approach_k >= MIN_APPROACH_K
        above = "above " if facility_class == "W+" else "up to "
        reason = (
            ""
            if feasible
            else (
                f"{facility_class} facility water ({above}{supply_c:g} C) cannot serve {technology}: its coolant is "
                f"supplied at {tcs_c:g} C ({basis}), which needs facility water at {tcs_c - MIN_APPROACH_K:g} C or "
                f"colder for a {MIN_APPROACH_K:g} K approach at the CDU"
            )
        )
    return LiquidLoopResult(
        cdus=cdus,
        facility_water_flow_lpm=flow_lpm,
        facility_supply_c=supply_c,
        cdus_needed=needed,
        cdu_kw=float(cdu_kw),
        cdu_redundancy=cdu_redundancy,
        cdu_installed_kw=cdus * float(cdu_kw),
        facility_class=facility_class,
        facility_delta_t_k=float(facility_delta_t_k),
        tcs_supply_c=tcs_c,
        approach_k=approach_k,
        loop_feasible=feasible,
        loop_reason=reason,
    )
