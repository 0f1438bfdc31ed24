"""What a dataset kind is: its fields, how they are stored and checked, and what it shows.

One :class:`KindSpec` per kind, each in its own module beside this one (pvlib's
``iotools`` is the model: one module per format). Detection, ingest, the catalog,
the aggregations, the My facility page, the report, the CLI's ``--kind`` choices and
the kinds table in docs/data-formats.md all read the spec, so adding a kind is one module plus its tests.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

# A field's role decides its SQL type, its default unit and how ingest checks it.
SQL_TYPES: dict[str, str] = {
    "text": "VARCHAR",
    "power": "DOUBLE",
    "temperature": "DOUBLE",
    "count": "INTEGER",
    "timestamp": "TIMESTAMP",
    "volume": "DOUBLE",  # a quantity per interval, non-negative, stored as read (water in m³)
}
DEFAULT_UNITS: dict[str, str] = {"power": "kW", "temperature": "°C", "volume": "m³"}

# Roles a kind may declare (KindSpec.roles) and the stored columns each promises.
ROLE_HOST_RACK_MAP = "host_rack_map"
ROLE_FEED_CAPACITY = "feed_capacity"
ROLE_POWER_READINGS = "power_readings"
ROLE_COLUMNS: dict[str, tuple[str, ...]] = {
    ROLE_HOST_RACK_MAP: ("device", "rack_id"),
    ROLE_FEED_CAPACITY: ("rack_id", "available_kw", "feed_type"),
    ROLE_POWER_READINGS: ("ts", "rack_id", "power_kw", "source"),
}


@dataclass(frozen=True)
class Field:
    """One canonical field: its role, the header synonyms that name it, where it is stored."""

    name: str
    role: str
    synonyms: tuple[str, ...]
    required: bool = False
    column: str | None = None  # stored column name when it differs from ``name`` ("timestamp" -> "ts")
    unit: str | None = None  # the unit a header without one means, when not the role's (NetBox draws are W)

    def __post_init__(self) -> None:
        if self.role not in SQL_TYPES:
            raise ValueError(f"field {self.name!r}: role {self.role!r} is not one of {', '.join(SQL_TYPES)}")

    @property
    def stored_column(self) -> str:
        """The column of the stored table."""
        return self.column or self.name

    @property
    def sql_type(self) -> str:
        """The stored column's DuckDB type."""
        return SQL_TYPES[self.role]

    @property
    def default_unit(self) -> str:
        """The unit assumed when the header names none ('' for fields without one)."""
        return self.unit or DEFAULT_UNITS.get(self.role, "")


@dataclass(frozen=True)
class RowCheck:
    """A check across fields of one row: ``ok_sql`` over ``v_<field>`` values, else ``message``."""

    field: str
    ok_sql: str
    message: str


@dataclass(frozen=True)
class Derived:
    """A field computed from other fields when the file has no column for it (or a row leaves it empty).

    ``sql`` names its inputs as ``{field}`` (each replaced by that field's converted value, NULL
    where unmapped); it applies when every field in ``inputs`` is mapped (any one of them with
    ``any_input``). ``note`` says in words how the value was computed (kept in the dataset's
    notes); ``missing`` is the reason given for a row where it comes out empty.
    """

    field: str
    inputs: tuple[str, ...]
    sql: str
    note: str
    missing: str = ""
    any_input: bool = False
    assumed: tuple[tuple[str, str], ...] = ()  # (optional input, what is assumed when the file lacks it)

    def applies(self, mapped: set[str] | dict[str, int]) -> bool:
        """Whether the mapped fields let this value be computed."""
        present = [f in mapped for f in self.inputs]
        return any(present) if self.any_input else all(present)


@dataclass(frozen=True)
class DensityBasis:
    """One way to read kW per rack from a dataset: an SQL aggregate per rack_id, and its label."""

    sql: str
    label: str


@dataclass(frozen=True)
class KindSpec:
    """Everything the project knows about one dataset kind.

    ``fields`` are in matching order (detection gives each header to the first field
    that names it) and in the stored table's column order. ``views`` are ids in
    :mod:`factorycore.views.site`, drawn in this order on the page and in the report.
    """

    name: str
    label: str
    fields: tuple[Field, ...]
    sample_file: str
    views: tuple[str, ...]
    power_limit_kw: float
    derived: tuple[Derived, ...] = ()
    unique_field: str | None = None
    row_checks: tuple[RowCheck, ...] = ()
    density_bases: Mapping[str, DensityBasis] = field(default_factory=dict)
    # What other code may use a dataset of this kind for, so nothing names a kind by string:
    # ROLE_HOST_RACK_MAP (stores device and rack_id: a host's rack), ROLE_FEED_CAPACITY (stores
    # rack_id, available_kw, feed_type: power feeds per rack), ROLE_POWER_READINGS (stores ts,
    # rack_id, power_kw and optionally source: readings summed per rack).
    roles: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        names = [f.name for f in self.fields]
        if len(set(names)) != len(names):
            raise ValueError(f"kind {self.name!r} names a field twice")
        if not any(f.required for f in self.fields):
            raise ValueError(f"kind {self.name!r} has no required field")
        for role in self.roles:
            if role not in ROLE_COLUMNS:
                raise ValueError(f"kind {self.name!r}: unknown role {role!r}; expected {', '.join(ROLE_COLUMNS)}")
            if not self.stores(*ROLE_COLUMNS[role]):
                raise ValueError(f"kind {self.name!r} has role {role!r} but does not store {ROLE_COLUMNS[role]}")

    @property
    def required(self) -> tuple[str, ...]:
        """Fields a file must have."""
        return tuple(f.name for f in self.fields if f.required)

    @property
    def optional(self) -> tuple[str, ...]:
        """Fields a file may have."""
        return tuple(f.name for f in self.fields if not f.required)

    @property
    def field_names(self) -> tuple[str, ...]:
        """Required fields first, then optional ones (the order of a mapping form)."""
        return self.required + self.optional

    def field(self, name: str) -> Field:
        """The field called ``name``; KeyError if the kind has none."""
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(f"kind {self.name!r} has no field {name!r}")

    def has_role(self, role: str) -> bool:
        """Whether datasets of this kind can serve as ``role`` (one of :data:`ROLE_COLUMNS`)."""
        return role in self.roles

    def has_field(self, name: str) -> bool:
        """Whether the kind stores ``name``."""
        return any(f.name == name for f in self.fields)

    def stores(self, *columns: str) -> bool:
        """Whether the stored table has every one of ``columns`` (what an aggregation needs)."""
        stored = {f.stored_column for f in self.fields}
        return all(c in stored for c in columns)
