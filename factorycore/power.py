"""IT load to facility power, annual energy, cost, carbon and water; the power chain.

Definitions follow ``docs/command-line.md`` ("Definitions the numbers follow"):

- facility_kw = it_kw x pue
- annual energy = kW x 8,760 h x utilization (IT and facility alike)
- cost is on facility energy; carbon is kg CO2e per kWh of *facility* energy
- water (WUE) is litres per kWh of *IT* energy (The Green Grid's definition of WUE)
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from factorycore.units import HOURS_PER_YEAR, KG_PER_TONNE, KWH_PER_MWH, LITRES_PER_M3

DEFAULT_PUE = 1.4
DEFAULT_UTILIZATION = 1.0
DEFAULT_PRICE_USD_PER_KWH = 0.10
DEFAULT_GRID_KG_CO2E_PER_KWH = 0.40
DEFAULT_WUE_L_PER_KWH = 0.0

# Power chain defaults (project assumptions, status "modelled"): a double-conversion
# UPS at typical load runs at about 94-97 % efficiency, transformers and PDUs at about
# 98 %; of the overhead left after those electrical losses, cooling takes most and
# lighting, security and offices the rest.
DEFAULT_UPS_EFFICIENCY = 0.96
DEFAULT_DISTRIBUTION_EFFICIENCY = 0.98
DEFAULT_COOLING_SHARE_OF_REST = 0.9


@dataclass(frozen=True)
class PowerResult:
    """Facility power and annual energy, cost, carbon and water for one IT load."""

    it_kw: float
    facility_kw: float
    annual_it_mwh: float
    annual_facility_mwh: float
    annual_cost_usd: float
    annual_co2e_t: float
    annual_water_m3: float

    def as_dict(self) -> dict[str, float]:
        """The JSON object of the ``power`` command (keys exactly as in the contract)."""
        return asdict(self)


def _finite(name: str, value: float) -> float:
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number, got {value}")
    return value


def validate_power_inputs(
    it_kw: float,
    pue: float,
    utilization: float,
    price_usd_per_kwh: float,
    grid_kg_co2e_per_kwh: float,
    wue_l_per_kwh: float,
) -> None:
    """Raise ValueError with a human message for an impossible input."""
    if _finite("IT load (kW)", it_kw) < 0:
        raise ValueError(f"IT load must not be negative, got {it_kw} kW")
    if _finite("PUE", pue) < 1:
        raise ValueError(f"PUE {pue} is below 1, which is physically impossible")
    if not 0 < _finite("utilization", utilization) <= 1:
        raise ValueError(f"utilization must be in (0, 1], got {utilization}")
    if _finite("electricity price", price_usd_per_kwh) < 0:
        raise ValueError(f"electricity price must not be negative, got {price_usd_per_kwh} USD/kWh")
    if _finite("grid carbon intensity", grid_kg_co2e_per_kwh) < 0:
        raise ValueError(f"grid carbon intensity must not be negative, got {grid_kg_co2e_per_kwh} kg/kWh")
    if _finite("WUE", wue_l_per_kwh) < 0:
        raise ValueError(f"WUE must not be negative, got {wue_l_per_kwh} L/kWh")


def power_projection(
    it_kw: float,
    pue: float = DEFAULT_PUE,
    utilization: float = DEFAULT_UTILIZATION,
    price_usd_per_kwh: float = DEFAULT_PRICE_USD_PER_KWH,
    grid_kg_co2e_per_kwh: float = DEFAULT_GRID_KG_CO2E_PER_KWH,
    wue_l_per_kwh: float = DEFAULT_WUE_L_PER_KWH,
) -> PowerResult:
    """What an IT load costs the grid in a year: power, energy, money, carbon, water."""
    validate_power_inputs(it_kw, pue, utilization, price_usd_per_kwh, grid_kg_co2e_per_kwh, wue_l_per_kwh)
    facility_kw = it_kw * pue
    annual_it_kwh = it_kw * HOURS_PER_YEAR * utilization
    annual_facility_kwh = facility_kw * HOURS_PER_YEAR * utilization
    return PowerResult(
        it_kw=float(it_kw),
        facility_kw=float(facility_kw),
        annual_it_mwh=annual_it_kwh / KWH_PER_MWH,
        annual_facility_mwh=annual_facility_kwh / KWH_PER_MWH,
        annual_cost_usd=annual_facility_kwh * price_usd_per_kwh,
        annual_co2e_t=annual_facility_kwh * grid_kg_co2e_per_kwh / KG_PER_TONNE,
        annual_water_m3=annual_it_kwh * wue_l_per_kwh / LITRES_PER_M3,
    )


@dataclass(frozen=True)
class PowerFlow:
    """One link of the power Sankey: ``kw`` flowing from ``source`` to ``target``."""

    source: str
    target: str
    kw: float


GRID = "Grid"
UPS = "UPS"
DISTRIBUTION = "Distribution"
UPS_LOSSES = "UPS losses"
DISTRIBUTION_LOSSES = "Distribution losses"
COOLING = "Cooling"
LIGHTING_OTHER = "Lighting & other"
IT_LOAD = "IT load"


def power_chain(
    it_kw: float,
    pue: float = DEFAULT_PUE,
    ups_efficiency: float = DEFAULT_UPS_EFFICIENCY,
    distribution_efficiency: float = DEFAULT_DISTRIBUTION_EFFICIENCY,
    cooling_share_of_rest: float = DEFAULT_COOLING_SHARE_OF_REST,
    it_shares: Mapping[str, float] | None = None,
) -> list[PowerFlow]:
    """Where facility power goes, as Sankey links that conserve energy.

    The PUE overhead, (pue - 1) x it_kw, is split into UPS losses and distribution
    losses (the IT load is fed through distribution, which is fed by the UPS), and
    the rest between cooling and lighting & other. Cooling and lighting are taken
    straight from the grid (mechanical load is normally not on the UPS). Optional
    ``it_shares`` (e.g. compute / network / storage, summing to 1) split the IT load.
    """
    validate_power_inputs(it_kw, pue, 1.0, 0.0, 0.0, 0.0)
    for name, value in (("UPS efficiency", ups_efficiency), ("distribution efficiency", distribution_efficiency)):
        if not 0 < _finite(name, value) <= 1:
            raise ValueError(f"{name} must be in (0, 1], got {value}")
    if not 0 <= _finite("cooling share", cooling_share_of_rest) <= 1:
        raise ValueError(f"cooling share of the remaining overhead must be in [0, 1], got {cooling_share_of_rest}")

    distribution_in_kw = it_kw / distribution_efficiency
    ups_in_kw = distribution_in_kw / ups_efficiency
    overhead_kw = it_kw * (pue - 1)
    rest_kw = overhead_kw - (ups_in_kw - it_kw)
    if rest_kw < -1e-9 * max(it_kw, 1.0):
        raise ValueError(
            f"PUE {pue} leaves {overhead_kw:,.1f} kW of overhead, less than the {ups_in_kw - it_kw:,.1f} kW "
            "lost in UPS and distribution; raise the efficiencies or the PUE"
        )
    rest_kw = max(rest_kw, 0.0)
    flows = [
        PowerFlow(GRID, UPS, ups_in_kw),
        PowerFlow(UPS, UPS_LOSSES, ups_in_kw - distribution_in_kw),
        PowerFlow(UPS, DISTRIBUTION, distribution_in_kw),
        PowerFlow(DISTRIBUTION, DISTRIBUTION_LOSSES, distribution_in_kw - it_kw),
        PowerFlow(DISTRIBUTION, IT_LOAD, float(it_kw)),
        PowerFlow(GRID, COOLING, rest_kw * cooling_share_of_rest),
        PowerFlow(GRID, LIGHTING_OTHER, rest_kw * (1 - cooling_share_of_rest)),
    ]
    if it_shares:
        shares = {name: _finite(f"IT share {name!r}", share) for name, share in it_shares.items()}
        if any(share < 0 for share in shares.values()) or not math.isclose(sum(shares.values()), 1.0, abs_tol=1e-9):
            raise ValueError(f"IT shares must be non-negative and sum to 1, got {dict(shares)}")
        flows += [PowerFlow(IT_LOAD, name, it_kw * share) for name, share in shares.items()]
    return flows


def flows_as_records(flows: list[PowerFlow]) -> list[dict[str, Any]]:
    """Plain dicts (source, target, kw) for a DataFrame or a Plotly Sankey."""
    return [asdict(flow) for flow in flows]
