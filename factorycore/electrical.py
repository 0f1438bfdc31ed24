"""The electrical plant: UPS modules, generators and utility demand under a redundancy scheme.

The model, stated once (definitions of issue 14):

- A load is carried by identical units of ``unit_kw``. The units *needed* are
  ``ceil(load_kw / unit_kw)``; a redundancy scheme turns that into the units
  *installed*: N installs the needed count, N+1 adds one, 2N doubles it (two
  independent paths, each able to carry the whole load).
- UPS: the load is the critical IT load; installed kW = modules x module kW, and
  installed kVA = installed kW / power factor (a UPS is rated in kVA at a stated
  output power factor; 0.95 by default).
- Generators carry the facility load, IT x PUE (cooling must keep running on
  generator), in the same way; N+1 by default.
- Utility demand is the facility peak, IT x PUE, in MW: redundancy adds equipment,
  not demand (a 2N plant shares the load between its two paths).

"Installed vs critical": 2N buys twice the critical capacity; the ratio installed /
critical is what redundancy costs in equipment.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from factorycore.power import DEFAULT_PUE
from factorycore.units import KW_PER_MW, check_pue

REDUNDANCY_SCHEMES: tuple[str, ...] = ("N", "N+1", "2N")
DEFAULT_UPS_REDUNDANCY = "2N"
DEFAULT_GENERATOR_REDUNDANCY = "N+1"
# Project assumptions (modelled), overridable on every call: a 500 kW UPS module and a
# 2,500 kW (about 3 MVA) diesel set are common catalogue sizes for data-center plant;
# 0.95 is a usual rated output power factor for modern double-conversion UPS.
DEFAULT_UPS_MODULE_KW = 500.0
DEFAULT_GENERATOR_KW = 2500.0
DEFAULT_POWER_FACTOR = 0.95


def _positive(name: str, value: float) -> float:
    value = float(value)
    if not (math.isfinite(value) and value > 0):
        raise ValueError(f"{name} must be a finite number greater than 0, got {value}")
    return value


def check_scheme(scheme: str) -> str:
    """The scheme itself; ValueError naming the valid ones if unknown."""
    if scheme not in REDUNDANCY_SCHEMES:
        raise ValueError(f"unknown redundancy {scheme!r}; choose one of {', '.join(REDUNDANCY_SCHEMES)}")
    return scheme


def units_needed(load_kw: float, unit_kw: float) -> int:
    """The fewest units of ``unit_kw`` that carry ``load_kw`` (no redundancy)."""
    _positive("unit size (kW)", unit_kw)
    if not (math.isfinite(load_kw) and load_kw >= 0):
        raise ValueError(f"load must be a finite number of kW, not negative; got {load_kw}")
    # The tolerance keeps 1,000 kW / 250 kW at exactly 4, not 5, despite float noise.
    return max(0, math.ceil(load_kw / unit_kw - 1e-9))


def units_installed(needed: int, scheme: str) -> int:
    """Units bought for ``needed`` under a scheme: N as is, N+1 one more, 2N twice."""
    check_scheme(scheme)
    if scheme == "N+1":
        return needed + 1
    if scheme == "2N":
        return 2 * needed
    return needed


@dataclass(frozen=True)
class ElectricalResult:
    """UPS, generators and utility demand for one IT load."""

    it_kw: float
    facility_kw: float
    redundancy: str
    ups_modules: int
    ups_installed_kw: float
    ups_installed_kva: float
    generators: int
    generator_installed_kw: float
    utility_demand_mw: float
    pue: float
    ups_module_kw: float
    ups_modules_needed: int
    power_factor: float
    generator_kw: float
    generator_redundancy: str
    generators_needed: int

    def as_dict(self) -> dict[str, Any]:
        """The JSON object of the ``electrical`` command: the contract's keys first, then the inputs used."""
        return {
            "it_kw": self.it_kw,
            "facility_kw": self.facility_kw,
            "redundancy": self.redundancy,
            "ups_modules": self.ups_modules,
            "ups_installed_kw": self.ups_installed_kw,
            "ups_installed_kva": self.ups_installed_kva,
            "generators": self.generators,
            "generator_installed_kw": self.generator_installed_kw,
            "utility_demand_mw": self.utility_demand_mw,
            "pue": self.pue,
            "ups_module_kw": self.ups_module_kw,
            "ups_modules_needed": self.ups_modules_needed,
            "power_factor": self.power_factor,
            "generator_kw": self.generator_kw,
            "generator_redundancy": self.generator_redundancy,
            "generators_needed": self.generators_needed,
        }

    def capacity_rows(self) -> list[dict[str, Any]]:
        """Installed against critical capacity per plant (what the chart draws), kW."""
        return [
            {
                "plant": "UPS",
                "critical_kw": self.it_kw,
                "installed_kw": self.ups_installed_kw,
                "units": self.ups_modules,
                "unit_kw": self.ups_module_kw,
                "redundancy": self.redundancy,
            },
            {
                "plant": "Generators",
                "critical_kw": self.facility_kw,
                "installed_kw": self.generator_installed_kw,
                "units": self.generators,
                "unit_kw": self.generator_kw,
                "redundancy": self.generator_redundancy,
            },
        ]


def electrical_plant(
    it_kw: float,
    pue: float = DEFAULT_PUE,
    redundancy: str = DEFAULT_UPS_REDUNDANCY,
    ups_module_kw: float = DEFAULT_UPS_MODULE_KW,
    generator_kw: float = DEFAULT_GENERATOR_KW,
    generator_redundancy: str = DEFAULT_GENERATOR_REDUNDANCY,
    power_factor: float = DEFAULT_POWER_FACTOR,
) -> ElectricalResult:
    """What a critical IT load needs bought: UPS modules, generators, and the utility demand it draws."""
    _positive("IT load (kW)", it_kw)
    check_pue(pue)
    if not (math.isfinite(power_factor) and 0 < power_factor <= 1):
        raise ValueError(f"power factor must be in (0, 1], got {power_factor}")
    _positive("UPS module size (kW)", ups_module_kw)
    _positive("generator size (kW)", generator_kw)
    check_scheme(redundancy)
    check_scheme(generator_redundancy)

    facility_kw = it_kw * pue
    ups_needed = units_needed(it_kw, ups_module_kw)
    ups_modules = units_installed(ups_needed, redundancy)
    ups_installed_kw = ups_modules * ups_module_kw
    gen_needed = units_needed(facility_kw, generator_kw)
    generators = units_installed(gen_needed, generator_redundancy)
    return ElectricalResult(
        it_kw=float(it_kw),
        facility_kw=facility_kw,
        redundancy=redundancy,
        ups_modules=ups_modules,
        ups_installed_kw=ups_installed_kw,
        ups_installed_kva=ups_installed_kw / power_factor,
        generators=generators,
        generator_installed_kw=generators * generator_kw,
        utility_demand_mw=facility_kw / KW_PER_MW,
        pue=float(pue),
        ups_module_kw=float(ups_module_kw),
        ups_modules_needed=ups_needed,
        power_factor=float(power_factor),
        generator_kw=float(generator_kw),
        generator_redundancy=generator_redundancy,
        generators_needed=gen_needed,
    )
