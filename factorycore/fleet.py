"""Fleet sizing: from N systems or N accelerators to IT kW, racks and facility kW.

Systems are indivisible: a rack holds ``floor(rack_kw / system_kw)`` of them. A
rack-scale system (GB200 NVL72 and the like: its own rack budget, ``default_rack_kw``,
holds exactly one of it) always fills one rack by itself, whatever the budget asked
for; any other system above the budget is an error.

Accelerators are counted bare, so IT power must add the rest of the server they sit
in (CPUs, memory, NICs, switches, fans, power-supply losses). The accelerators' share
of server power, 0.55, is derived from NVIDIA's DGX H100: 8 x 0.70 kW H100 SXM over a
10.2 kW system maximum = 0.549 (DGX B200: 8 x 1.0 / 14.3 = 0.56; DGX A100: 8 x 0.4 /
6.5 = 0.49). The catalog's modelled HGX rows use the same 0.55. Accelerator racks
are packed by power alone (no server model is assumed), so ``systems`` is null.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

from factorycore.hardware import Hardware
from factorycore.power import DEFAULT_PUE

ACCELERATOR_SHARE_OF_SERVER_POWER = 0.55
# Rack budget when none is given for bare accelerators, or a system row has none: the
# low end of JLL's 40-130 kW range for GPU racks (2025 Global Data Center Outlook).
DEFAULT_ACCELERATOR_RACK_KW = 40.0


@dataclass(frozen=True)
class FleetResult:
    """What a fleet needs: IT power, racks at the budget, and facility power."""

    systems: int | None
    accelerators: int
    it_kw: float
    racks: int
    kw_per_rack: float
    facility_kw: float

    def as_dict(self) -> dict[str, int | float | None]:
        """The JSON object of the ``fleet`` command (keys exactly as in the contract)."""
        return asdict(self)


def _check(count: int, rack_kw: float | None, pue: float) -> None:
    if isinstance(count, bool) or not isinstance(count, int) or count < 1:
        raise ValueError(f"count must be a whole number of at least 1, got {count!r}")
    if rack_kw is not None and not (math.isfinite(rack_kw) and rack_kw > 0):
        raise ValueError(f"rack power budget must be a finite number of kW above 0, got {rack_kw}")
    if not (math.isfinite(pue) and pue >= 1):
        raise ValueError(f"PUE {pue} is below 1, which is physically impossible")


def is_rack_scale(system: Hardware) -> bool:
    """True when the system's own rack budget holds exactly one of it (NVL72, Kyber).

    "default_rack_kw >= power_kw" alone would not do: a 40.8 kW rack of four DGX H100
    passes it too. Such a system is its own rack, one per rack at any budget.
    """
    budget = system.default_rack_kw
    return budget is not None and system.power_kw <= budget < 2 * system.power_kw


def unit_it_kw(item: Hardware) -> float:
    """IT kW one unit adds: a whole system, or an accelerator grossed up to its server."""
    if item.kind == "system":
        return item.power_kw
    return item.kw_per_accelerator / ACCELERATOR_SHARE_OF_SERVER_POWER


def default_rack_kw(item: Hardware) -> float:
    """The rack budget used when none is given: the system's reference rack, else 40 kW."""
    if item.kind == "system":
        return item.default_rack_kw or DEFAULT_ACCELERATOR_RACK_KW
    return DEFAULT_ACCELERATOR_RACK_KW


def size_systems(system: Hardware, count: int, rack_kw: float | None = None, pue: float = DEFAULT_PUE) -> FleetResult:
    """Racks and power for ``count`` whole systems at a rack budget (default: the system's own)."""
    if system.kind != "system":
        raise ValueError(f"{system.id!r} is an accelerator, not a system; size it with --accelerator")
    _check(count, rack_kw, pue)
    budget_kw = rack_kw if rack_kw is not None else default_rack_kw(system)
    if is_rack_scale(system):
        per_rack = 1
    else:
        per_rack = math.floor(budget_kw / system.power_kw + 1e-9)  # 40.8 / 10.2 is 4, not 3.999...
        if per_rack < 1:
            raise ValueError(
                f"one {system.id} draws {system.power_kw:g} kW, more than the {budget_kw:g} kW rack budget; "
                "raise --rack-kw"
            )
    racks = -(-count // per_rack)  # integer ceiling: count / per_rack in floats is wrong above 2**53
    it_kw = count * system.power_kw
    return FleetResult(
        systems=count,
        accelerators=count * system.accelerators,
        it_kw=it_kw,
        racks=racks,
        kw_per_rack=it_kw / racks,
        facility_kw=it_kw * pue,
    )


def size_accelerators(
    accelerator: Hardware, count: int, rack_kw: float | None = None, pue: float = DEFAULT_PUE
) -> FleetResult:
    """Racks and power for ``count`` bare accelerators, grossed up to whole-server power."""
    if accelerator.kind != "accelerator":
        raise ValueError(f"{accelerator.id!r} is a system, not an accelerator; size it with --system")
    _check(count, rack_kw, pue)
    budget_kw = rack_kw if rack_kw is not None else default_rack_kw(accelerator)
    it_kw = count * unit_it_kw(accelerator)
    racks = max(1, math.ceil(it_kw / budget_kw - 1e-9))  # tolerance: 40.000000001 kW is one 40 kW rack
    return FleetResult(
        systems=None,
        accelerators=count,
        it_kw=it_kw,
        racks=racks,
        kw_per_rack=it_kw / racks,
        facility_kw=it_kw * pue,
    )
