"""The dataset kinds, in detection order: one module each, registered here once.

Adding a kind: write ``factorycore/userdata/kinds/<name>.py`` with a ``SPEC`` and add
the module to :data:`_MODULES`. Nothing else in the code names a kind.
"""

from __future__ import annotations

from factorycore.userdata.kinds import devices, meter, power_feeds, power_ports, racks, telemetry
from factorycore.userdata.kinds.spec import DensityBasis, Derived, Field, KindSpec, RowCheck

_MODULES = (racks, telemetry, meter, devices, power_feeds, power_ports)

KINDS: dict[str, KindSpec] = {m.SPEC.name: m.SPEC for m in _MODULES}

__all__ = ["KINDS", "DensityBasis", "Derived", "Field", "KindSpec", "RowCheck", "get", "names", "summary"]


def names() -> tuple[str, ...]:
    """Every kind's name, in detection order."""
    return tuple(KINDS)


def get(name: str) -> KindSpec:
    """The spec of kind ``name``; a ValueError naming the valid kinds otherwise."""
    try:
        return KINDS[name]
    except KeyError:
        raise ValueError(f"unknown kind {name!r}; expected {', '.join(KINDS)}") from None


def summary() -> str:
    """'racks (rack_id, design_kw), telemetry (...) or meter (...)': the kinds in one phrase."""
    parts = [f"{spec.name} ({', '.join(spec.required)})" for spec in KINDS.values()]
    return ", ".join(parts[:-1]) + " or " + parts[-1] if len(parts) > 1 else parts[0]
