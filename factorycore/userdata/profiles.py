"""Saved ingest profiles: how one export is read (kind, columns, units, date order, decimal mark), by name.

A nightly ingest of the same export should need no flags: the first time, the columns,
units and the date order or decimal mark a person chose are saved under a name (the
command line's ``--save-profile NAME``, the app's mapping step), and later ingests say
``--profile NAME``. Profiles live in the facility store (``facility.ingest_profiles``),
beside the datasets, so the command line and the app share them, on the embedded store
and the team store alike.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import duckdb

from factorycore import store
from factorycore.userdata import catalog
from factorycore.userdata.catalog import DatasetError

TABLE = "facility.ingest_profiles"


@dataclass(frozen=True)
class Profile:
    """One saved way of reading an export."""

    name: str
    kind: str
    mapping: dict[str, str] = field(default_factory=dict)  # field -> column header
    units: dict[str, str] = field(default_factory=dict)  # field -> unit
    date_order: str | None = None
    decimal: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """The profile as the command line prints it."""
        return {
            "profile": self.name,
            "kind": self.kind,
            "mapping": self.mapping,
            "units": self.units,
            "date_order": self.date_order,
            "decimal": self.decimal,
        }


def from_result(name: str, result: Any, decimal: str | None = None) -> Profile:
    """The profile that reads files like the one ``result`` (an :class:`~factorycore.userdata.ingest.IngestResult`)
    stored: its kind, columns and units, the date order its dates were read in, and the decimal
    mark (``decimal`` where one was chosen, else the one every number column was read with)."""
    details = result.detection
    marks = set((details.get("decimals") or {}).values())
    return Profile(
        name=name,
        kind=result.kind,
        mapping=dict(details.get("mapping") or {}),
        units={f: u for f, u in (details.get("units") or {}).items() if u},
        date_order=details.get("date_order"),
        decimal=decimal or (marks.pop() if len(marks) == 1 else None),
    )


def _ensure(con: Any) -> None:
    catalog.ensure_catalog(con)  # the facility schema
    store.facility(con).migrate("profiles")  # the table: migration 0008_ingest_profiles


def save(con: duckdb.DuckDBPyConnection, profile: Profile) -> Profile:
    """Store ``profile`` under its name (a name already saved is replaced); returns it with the name cleaned."""
    name = catalog.validate_name(profile.name).lower()
    target = store.facility(con)
    _ensure(target)
    with target.cursor() as cur, store.transaction(cur):
        cur.execute(f"DELETE FROM {TABLE} WHERE name = ?", [name])
        cur.execute(
            f"INSERT INTO {TABLE} (name, kind, mapping, units, date_order, decimal_mark, saved) "
            "VALUES (?, ?, ?, ?, ?, ?, localtimestamp)",
            [
                name,
                profile.kind,
                json.dumps(profile.mapping),
                json.dumps(profile.units),
                profile.date_order,
                profile.decimal,
            ],
        )
    return Profile(name, profile.kind, dict(profile.mapping), dict(profile.units), profile.date_order, profile.decimal)


def load(con: duckdb.DuckDBPyConnection, name: str) -> Profile:
    """The profile saved as ``name`` (case ignored); :class:`DatasetError` naming the saved ones otherwise."""
    target = store.facility(con)
    _ensure(target)
    with target.cursor() as cur:
        row = cur.execute(
            f"SELECT name, kind, mapping, units, date_order, decimal_mark FROM {TABLE} WHERE name = ?",
            [name.strip().lower()],
        ).fetchone()
    if row is None:
        saved = ", ".join(names(con)) or "none yet"
        raise DatasetError(f"no saved profile {name[:64]!r} (saved: {saved}); save one with --save-profile NAME")
    return Profile(row[0], row[1], json.loads(row[2]), json.loads(row[3]), row[4], row[5])


def names(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The saved profiles' names, in order."""
    target = store.facility(con)
    _ensure(target)
    with target.cursor() as cur:
        return [r[0] for r in cur.execute(f"SELECT name FROM {TABLE} ORDER BY name").fetchall()]
