"""Fleet sizing in whole deployable units: from N systems or N GPUs to IT kW, racks and facility kW.

A GPU is never sized bare. It ships inside a platform with its own published power,
host and cooling (an 8-GPU HGX/DGX or OAM server, an NVL72 rack for Grace Blackwell
GPUs), so N accelerators become ``ceil(N / GPUs per platform)`` platforms, rounded up
and said so, and the fleet is sized as those platforms. "Accelerators" are GPUs
everywhere: a GB200 superchip is 2 of them.

Each platform's power is one figure of the hardware ledger at the design basis
(maximum by default, the conservative sizing figure; or typical, which falls back to the
maximum, said so, where no typical figure is published). The result names the figure
used and its source.

Systems are indivisible: a rack holds ``floor(rack_kw / system_kw)`` of them. A
rack-scale system (GB200 NVL72 and the like: its own rack budget holds exactly one of
it) fills one rack by itself; a rack budget below one platform's power is an error for
every platform. A liquid-only platform cannot go into an air-cooled plan or rack.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, replace

from factorycore.hardware import DEFAULT_BASIS, Hardware, platform_of
from factorycore.power import DEFAULT_PUE
from factorycore.units import check_pue

# Rack budget when a system row has none: the low end of JLL's 40-130 kW range for GPU
# racks (2025 Global Data Center Outlook).
DEFAULT_RACK_KW = 40.0
# How the rack around a platform is cooled, as the fleet command and the planner ask it.
RACK_COOLING: tuple[str, ...] = ("air", "liquid")


@dataclass(frozen=True)
class FleetResult:
    """What a fleet needs, in whole platforms, and the power figure it was sized with."""

    systems: int
    accelerators: int
    it_kw: float
    racks: int
    kw_per_rack: float
    facility_kw: float
    platform: str
    basis: str
    system_power_kw: float
    power_source_id: str
    note: str

    def as_dict(self) -> dict[str, int | float | str]:
        """The JSON object of the ``fleet`` command (keys exactly as in the contract)."""
        return asdict(self)


def _check(count: int, rack_kw: float | None, pue: float) -> None:
    if isinstance(count, bool) or not isinstance(count, int) or count < 1:
        raise ValueError(f"count must be a whole number of at least 1, got {count!r}")
    if rack_kw is not None and not (math.isfinite(rack_kw) and rack_kw > 0):
        raise ValueError(f"rack power budget must be a finite number of kW above 0, got {rack_kw}")
    check_pue(pue)


def is_rack_scale(system: Hardware) -> bool:
    """True when the system's own rack budget holds exactly one of it (NVL72, Kyber).

    "default_rack_kw >= power_kw" alone would not do: a 40.8 kW rack of four DGX H100
    passes it too. Such a system is its own rack, one per rack at any budget it fits.
    """
    budget = system.default_rack_kw
    return budget is not None and system.power_kw <= budget < 2 * system.power_kw


def check_cooling(platform: Hardware, rack_cooling: str | None) -> None:
    """ValueError when a liquid-only platform is put into an air-cooled plan or rack."""
    if rack_cooling is None:
        return
    if rack_cooling not in RACK_COOLING:
        raise ValueError(f"rack cooling {rack_cooling!r} is not one of {', '.join(RACK_COOLING)}")
    if rack_cooling == "air" and platform.cooling == "liquid":
        raise ValueError(
            f"{platform.name} is liquid-cooled only: it cannot go into an air-cooled plan or an air rack; "
            "plan direct-liquid or immersion cooling, or choose an air-cooled platform"
        )


def default_rack_kw(item: Hardware, catalog: dict[str, Hardware] | None = None) -> float:
    """The rack budget used when none is given: the platform's reference rack, else 40 kW."""
    platform = item if item.kind == "system" or catalog is None else platform_of(catalog, item)
    return platform.default_rack_kw or DEFAULT_RACK_KW


def unit_it_kw(item: Hardware, catalog: dict[str, Hardware], basis: str = DEFAULT_BASIS) -> float:
    """IT kW one counted unit adds at ``basis``: a whole system, or one GPU's share of its platform."""
    platform = platform_of(catalog, item)
    per_platform = platform.design_figure(basis).figure.power_kw
    return per_platform if item.kind == "system" else per_platform / platform.accelerators


def size_systems(
    system: Hardware, count: int, rack_kw: float | None = None, pue: float = DEFAULT_PUE, basis: str = DEFAULT_BASIS
) -> FleetResult:
    """Racks and power for ``count`` whole systems at a rack budget (default: the system's own)."""
    if system.kind != "system":
        raise ValueError(f"{system.id!r} is an accelerator, not a system; size it with --accelerator")
    _check(count, rack_kw, pue)
    design = system.design_figure(basis)
    system_kw = design.figure.power_kw
    budget_kw = rack_kw if rack_kw is not None else default_rack_kw(system)
    per_rack = 1 if is_rack_scale(system) else math.floor(budget_kw / system_kw + 1e-9)  # 40.8 / 10.2 is 4
    if budget_kw < system_kw - 1e-9:
        raise ValueError(
            f"one {system.id} draws {system_kw:g} kW ({design.figure.basis}), more than the {budget_kw:g} kW "
            "rack budget; raise --rack-kw"
        )
    racks = -(-count // per_rack)  # integer ceiling: count / per_rack in floats is wrong above 2**53
    it_kw = count * system_kw
    return FleetResult(
        systems=count,
        accelerators=count * system.accelerators,
        it_kw=it_kw,
        racks=racks,
        kw_per_rack=it_kw / racks,
        facility_kw=it_kw * pue,
        platform=system.id,
        basis=design.figure.basis,
        system_power_kw=system_kw,
        power_source_id=design.figure.source_id,
        note=design.note,
    )


def size_accelerators(
    accelerator: Hardware,
    platform: Hardware,
    count: int,
    rack_kw: float | None = None,
    pue: float = DEFAULT_PUE,
    basis: str = DEFAULT_BASIS,
) -> FleetResult:
    """``count`` GPUs as whole platforms (rounded up, said so), sized as those platforms."""
    if accelerator.kind != "accelerator":
        raise ValueError(f"{accelerator.id!r} is a system, not an accelerator; size it with --system")
    if platform.id != accelerator.platform:
        raise ValueError(f"{accelerator.id} ships in {accelerator.platform or 'no platform'}, not {platform.id}")
    _check(count, rack_kw, pue)
    per = platform.accelerators
    systems = -(-count // per)
    result = size_systems(platform, systems, rack_kw, pue, basis)
    notes = [result.note] if result.note else []
    if systems * per != count:
        notes.append(
            f"{count:,} GPUs do not fill whole {platform.name} platforms of {per}: rounded up to "
            f"{systems:,} ({systems * per:,} GPUs)"
        )
    return replace(result, note="; ".join(notes))


def size(
    item: Hardware,
    catalog: dict[str, Hardware],
    count: int,
    rack_kw: float | None = None,
    pue: float = DEFAULT_PUE,
    basis: str = DEFAULT_BASIS,
    rack_cooling: str | None = None,
) -> FleetResult:
    """A fleet of ``count`` systems, or GPUs, of ``item``: its platform, the cooling check, the sizing."""
    platform = platform_of(catalog, item)
    check_cooling(platform, rack_cooling)
    if item.kind == "system":
        return size_systems(item, count, rack_kw, pue, basis)
    return size_accelerators(item, platform, count, rack_kw, pue, basis)
