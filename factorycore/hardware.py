"""The accelerator and system catalog (``ref.hardware``), as typed records.

Fleet sizing and the ``catalog`` command look hardware up here, so an unknown id
fails in one place with a message that lists the valid ids. The catalog can be
built from any DataFrame with the ``ref.hardware`` columns, so callers and tests
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
# The fields of one ``catalog`` item, in the contract's order.
CATALOG_FIELDS: tuple[str, ...] = (
    "id", "kind", "vendor", "name", "year", "accelerators", "power_kw", "cooling", "source_id",
)


@dataclass(frozen=True)
class Hardware:
    """One accelerator (power per unit) or one system (power of the whole system)."""

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

    @property
    def kw_per_accelerator(self) -> float:
        """Power per accelerator unit (for a system, including its share of the chassis)."""
        return self.power_kw / self.accelerators

    def as_item(self) -> dict[str, Any]:
        """The ``catalog`` command's item (keys exactly as in the contract)."""
        return {field: getattr(self, field) for field in CATALOG_FIELDS}


def _optional_float(value: Any) -> float | None:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return None
    return float(value)


def _text(value: Any) -> str:
    return "" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value)


def catalog_from_frame(frame: pd.DataFrame) -> dict[str, Hardware]:
    """Records keyed by id from a frame with the ``ref.hardware`` columns.

    Raises ValueError for a row the engine cannot use (unknown kind, no power, fewer
    than one accelerator), so bad reference data fails loudly rather than as a wrong sum.
    """
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
        )
        if item.kind not in KINDS:
            raise ValueError(f"hardware {item.id!r}: kind {item.kind!r} is not one of {', '.join(KINDS)}")
        if item.cooling not in COOLING_KINDS:
            raise ValueError(f"hardware {item.id!r}: cooling {item.cooling!r} is not one of {', '.join(COOLING_KINDS)}")
        if not (math.isfinite(item.power_kw) and item.power_kw > 0):
            raise ValueError(f"hardware {item.id!r}: power_kw must be positive, got {item.power_kw}")
        if item.accelerators < 1:
            raise ValueError(f"hardware {item.id!r}: accelerators must be at least 1, got {item.accelerators}")
        if item.id in catalog:
            raise ValueError(f"hardware id {item.id!r} appears twice")
        catalog[item.id] = item
    return catalog


def load_catalog(con: duckdb.DuckDBPyConnection, kind: str | None = None) -> dict[str, Hardware]:
    """The catalog from the database's ``ref.hardware`` (optionally one kind)."""
    return catalog_from_frame(reference.hardware(con, kind))


def lookup(catalog: dict[str, Hardware], hardware_id: str, kind: str | None = None) -> Hardware:
    """One item by id; ValueError naming the valid ids (of that kind) if there is none."""
    item = catalog.get(hardware_id)
    if item is None or (kind is not None and item.kind != kind):
        valid = sorted(i for i, h in catalog.items() if kind is None or h.kind == kind)
        what = f"{kind} id" if kind else "hardware id"
        other = f" ({hardware_id!r} is {'an' if item.kind[0] in 'aeiou' else 'a'} {item.kind})" if item else ""
        raise ValueError(f"unknown {what} {hardware_id!r}{other}; valid ids: {', '.join(valid)}")
    return item


def catalog_items(catalog: dict[str, Hardware]) -> list[dict[str, Any]]:
    """Every item as the ``catalog`` command lists it: systems after accelerators, by year."""
    ordered = sorted(catalog.values(), key=lambda h: (KINDS.index(h.kind), h.year, h.id))
    return [item.as_item() for item in ordered]
