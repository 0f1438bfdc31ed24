"""The accelerator and system catalog (``ref.hardware``) and its power ledger (``ref.hardware_power``).

Fleet sizing and the ``catalog`` command look hardware up here, so an unknown id
fails in one place with a message that lists the valid ids. Each item carries every
published power figure for it (maximum or nameplate, typical or operating, measured,
rated capacity), each with its source; one figure per basis is marked as the one that
sizes fleets, and the catalog's ``power_kw`` is the sizing figure at the maximum basis.
The catalog can be built from DataFrames with the ``ref`` columns, so callers and tests
need no database.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import duckdb
import pandas as pd

from factorycore import reference

KINDS: tuple[str, ...] = ("accelerator", "system")
COOLING_KINDS: tuple[str, ...] = ("air", "liquid", "air_or_liquid")
AVAILABILITY: tuple[str, ...] = ("shipping", "announced")
# Bases of a published power figure; fleets are sized at one of SIZING_BASES.
BASES: tuple[str, ...] = ("maximum", "typical", "measured", "rated_capacity")
SIZING_BASES: tuple[str, ...] = ("maximum", "typical")
DEFAULT_BASIS = "maximum"  # the conservative figure capacity planners size to
# The fields of one ``catalog`` item, in the contract's order.
CATALOG_FIELDS: tuple[str, ...] = (
    "id",
    "kind",
    "vendor",
    "name",
    "year",
    "accelerators",
    "power_kw",
    "cooling",
    "source_id",
    "platform",
    "availability",
    "figures",
)
FIGURE_FIELDS: tuple[str, ...] = ("basis", "power_kw", "source_id", "status")


@dataclass(frozen=True)
class PowerFigure:
    """One published (or derived, or modelled) power figure of one catalog item, per unit."""

    hardware_id: str
    basis: str
    power_kw: float
    scope: str
    sizing: bool
    source_id: str
    status: str
    quote: str
    seen_at: str
    note: str

    def as_item(self) -> dict[str, Any]:
        """The figure as the ``catalog`` command lists it."""
        return {field: getattr(self, field) for field in FIGURE_FIELDS}


@dataclass(frozen=True)
class DesignFigure:
    """The figure a fleet is sized with, and why it is that one (a fallback says so)."""

    figure: PowerFigure
    requested_basis: str
    note: str


@dataclass(frozen=True)
class Hardware:
    """One accelerator (power per GPU) or one system (power of the whole system)."""

    id: str
    kind: str
    vendor: str
    name: str
    year: int
    accelerators: int
    power_kw: float
    cooling: str
    default_rack_kw: float | None
    source_id: str
    status: str
    note: str
    platform: str = ""
    availability: str = "shipping"
    figures: tuple[PowerFigure, ...] = ()

    @property
    def kw_per_accelerator(self) -> float:
        """Power per accelerator (for a system, including its share of the chassis)."""
        return self.power_kw / self.accelerators

    def sizing_figure(self, basis: str) -> PowerFigure | None:
        """The ledger figure marked to size fleets at ``basis``, if the ledger has one."""
        return next((f for f in self.figures if f.basis == basis and f.sizing), None)

    def design_figure(self, basis: str = DEFAULT_BASIS) -> DesignFigure:
        """The figure that sizes this item at ``basis``; the maximum, said so, when that basis has none.

        A catalog built without a ledger sizes with ``power_kw`` and its own source.
        """
        if basis not in SIZING_BASES:
            raise ValueError(f"basis {basis!r} is not one of {', '.join(SIZING_BASES)}")
        figure = self.sizing_figure(basis)
        if figure is not None:
            return DesignFigure(figure, basis, "")
        maximum = self.sizing_figure("maximum") or PowerFigure(
            self.id, "maximum", self.power_kw, "", True, self.source_id, self.status, "", "", ""
        )
        note = (
            ""
            if basis == "maximum"
            else (f"no published {basis} figure for {self.name}; sized at its maximum, {maximum.power_kw:g} kW")
        )
        return DesignFigure(maximum, basis, note)

    def as_item(self) -> dict[str, Any]:
        """The ``catalog`` command's item (keys exactly as in the contract)."""
        item = {field: getattr(self, field) for field in CATALOG_FIELDS if field != "figures"}
        item["figures"] = [f.as_item() for f in self.figures]
        return item


def _optional_float(value: Any) -> float | None:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return None
    return float(value)


def _text(value: Any) -> str:
    return "" if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)) else str(value)


def figures_from_frame(frame: pd.DataFrame) -> dict[str, tuple[PowerFigure, ...]]:
    """Ledger figures grouped by hardware id (largest first within a basis); ValueError for a bad row."""
    grouped: dict[str, list[PowerFigure]] = {}
    for row in frame.to_dict("records"):
        figure = PowerFigure(
            hardware_id=str(row["hardware_id"]),
            basis=str(row["basis"]),
            power_kw=float(row["power_kw"]),
            scope=_text(row.get("scope")),
            sizing=bool(row["sizing"]),
            source_id=_text(row.get("source_id")),
            status=_text(row.get("status")),
            quote=_text(row.get("quote")),
            seen_at=_text(row.get("seen_at")),
            note=_text(row.get("note")),
        )
        if figure.basis not in BASES:
            raise ValueError(
                f"hardware_power {figure.hardware_id!r}: basis {figure.basis!r} is not one of {', '.join(BASES)}"
            )
        if not (math.isfinite(figure.power_kw) and figure.power_kw > 0):
            raise ValueError(f"hardware_power {figure.hardware_id!r}: power_kw must be positive, got {figure.power_kw}")
        grouped.setdefault(figure.hardware_id, []).append(figure)
    order = {basis: i for i, basis in enumerate(BASES)}
    return {
        hw_id: tuple(sorted(figs, key=lambda f: (order[f.basis], not f.sizing, -f.power_kw, f.source_id)))
        for hw_id, figs in grouped.items()
    }


def catalog_from_frame(frame: pd.DataFrame, figures: pd.DataFrame | None = None) -> dict[str, Hardware]:
    """Records keyed by id from a frame with the ``ref.hardware`` columns (and the ledger, if given).

    Raises ValueError for a row the engine cannot use (unknown kind, no power, fewer
    than one accelerator, a ledger that disagrees with the catalog), so bad reference
    data fails loudly rather than as a wrong sum.
    """
    ledger = figures_from_frame(figures) if figures is not None else {}
    catalog: dict[str, Hardware] = {}
    for row in frame.to_dict("records"):
        item = Hardware(
            id=str(row["id"]),
            kind=str(row["kind"]),
            vendor=_text(row.get("vendor")),
            name=_text(row.get("name")),
            year=int(row["year"]),
            accelerators=int(row["accelerators"]),
            power_kw=float(row["power_kw"]),
            cooling=str(row["cooling"]),
            default_rack_kw=_optional_float(row.get("default_rack_kw")),
            source_id=_text(row.get("source_id")),
            status=_text(row.get("status")),
            note=_text(row.get("note")),
            platform=_text(row.get("platform")),
            availability=_text(row.get("availability")) or "shipping",
            figures=ledger.get(str(row["id"]), ()),
        )
        if item.kind not in KINDS:
            raise ValueError(f"hardware {item.id!r}: kind {item.kind!r} is not one of {', '.join(KINDS)}")
        if item.cooling not in COOLING_KINDS:
            raise ValueError(f"hardware {item.id!r}: cooling {item.cooling!r} is not one of {', '.join(COOLING_KINDS)}")
        if item.availability not in AVAILABILITY:
            raise ValueError(
                f"hardware {item.id!r}: availability {item.availability!r} is not one of {', '.join(AVAILABILITY)}"
            )
        if not (math.isfinite(item.power_kw) and item.power_kw > 0):
            raise ValueError(f"hardware {item.id!r}: power_kw must be positive, got {item.power_kw}")
        if item.accelerators < 1:
            raise ValueError(f"hardware {item.id!r}: accelerators must be at least 1, got {item.accelerators}")
        if item.id in catalog:
            raise ValueError(f"hardware id {item.id!r} appears twice")
        maximum = item.sizing_figure("maximum")
        if figures is not None and (maximum is None or not math.isclose(maximum.power_kw, item.power_kw)):
            raise ValueError(
                f"hardware {item.id!r}: power_kw {item.power_kw:g} is not its ledger's sizing maximum "
                f"({maximum.power_kw if maximum else 'none'})"
            )
        catalog[item.id] = item
    unknown = sorted(set(ledger) - set(catalog))
    if unknown and not frame.empty:
        raise ValueError(f"hardware_power cites ids not in the catalog: {', '.join(unknown)}")
    for item in catalog.values():
        if item.platform and (item.platform not in catalog or catalog[item.platform].kind != "system"):
            raise ValueError(f"hardware {item.id!r}: platform {item.platform!r} is not a catalog system")
    return catalog


def load_catalog(con: duckdb.DuckDBPyConnection, kind: str | None = None) -> dict[str, Hardware]:
    """The catalog with its ledger from the database (optionally one kind)."""
    catalog = catalog_from_frame(reference.hardware(con), reference.hardware_power(con))
    return {i: h for i, h in catalog.items() if kind is None or h.kind == kind}


def lookup(catalog: dict[str, Hardware], hardware_id: str, kind: str | None = None) -> Hardware:
    """One item by id; ValueError naming the valid ids (of that kind) if there is none."""
    item = catalog.get(hardware_id)
    if item is None or (kind is not None and item.kind != kind):
        valid = sorted(i for i, h in catalog.items() if kind is None or h.kind == kind)
        what = f"{kind} id" if kind else "hardware id"
        other = f" ({hardware_id!r} is {'an' if item.kind[0] in 'aeiou' else 'a'} {item.kind})" if item else ""
        raise ValueError(f"unknown {what} {hardware_id!r}{other}; valid ids: {', '.join(valid)}")
    return item


def platform_of(catalog: dict[str, Hardware], item: Hardware) -> Hardware:
    """The deployable unit ``item`` is sized in: a system itself, or the platform an accelerator ships in."""
    if item.kind == "system":
        return item
    if not item.platform:
        sizeable = sorted(i for i, h in catalog.items() if h.kind == "accelerator" and h.platform)
        raise ValueError(
            f"{item.id} ({item.name}) ships in no catalog platform with a power figure, so a count of "
            f"them cannot be sized; choose a system with --system, or one of: {', '.join(sizeable)}"
        )
    return lookup(catalog, item.platform, "system")


def catalog_items(catalog: dict[str, Hardware]) -> list[dict[str, Any]]:
    """Every item as the ``catalog`` command lists it: systems after accelerators, by year."""
    ordered = sorted(catalog.values(), key=lambda h: (KINDS.index(h.kind), h.year, h.id))
    return [item.as_item() for item in ordered]
