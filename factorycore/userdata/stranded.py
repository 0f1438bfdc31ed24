"""Stranded capacity: power allocated to racks (their design kW) that the racks never draw.

A DCIM plans on allocations; the meters say what is drawn. Per rack, with
``allocated_kw`` the inventory's design kW and ``measured_p95_kw`` / ``measured_peak_kw``
what was drawn over the period:

- ``stranded_kw = max(allocated_kw - measured_p95_kw, 0)``: allocated but not used 95 %
  of the time, so it could be given to other racks without touching the busy 5 %;
- ``headroom_kw = allocated_kw - measured_peak_kw``: negative when a rack has drawn more
  than it was allocated (counted in ``racks_over_allocation``);
- ``utilisation_pct = measured_p95_kw / allocated_kw x 100``.

The measurements come from either the inventory's own ``measured_kw`` column (one
reading per rack: p95 = peak = that reading) or a telemetry dataset joined to the
inventory by ``rack_id``: each rack's p95 (``quantile_cont``) and maximum of its readings
over the telemetry's period. Rows, halls and sites sum their racks' figures; a hall's
``measured_p95_kw`` is therefore the sum of each rack's p95, which is at least the
hall's coincident p95 (racks do not all peak together), so the stranded figure is a
floor, not a ceiling. Only racks with a measurement enter the sums; racks without
one are counted in ``racks_unmeasured`` and ``allocated_unmeasured_kw``. Everything is
computed in DuckDB.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import duckdb
import pandas as pd

from factorycore import store
from factorycore.userdata import catalog
from factorycore.userdata.catalog import DatasetError, DatasetInfo

# Utilisation histogram: 10 % bins, the last open-ended (over allocation).
UTILISATION_BIN_PCT = 10
UTILISATION_TOP_PCT = 120


@dataclass(frozen=True)
class Stranded:
    """Stranded capacity of one inventory: per rack, row, hall and site, and the site totals."""

    inventory: DatasetInfo
    telemetry: DatasetInfo | None
    racks: pd.DataFrame  # rack_id, site, hall, row, allocated_kw, measured_p95_kw, measured_peak_kw, stranded_kw, headroom_kw, utilisation_pct
    rows: pd.DataFrame
    halls: pd.DataFrame
    sites: pd.DataFrame
    totals: dict[str, Any]

    def as_dict(self) -> dict[str, Any]:
        """The CLI's JSON object (keys documented in the README)."""
        halls = [{k: _plain(v) for k, v in r.items()} for r in self.halls.to_dict("records")]
        return {
            "dataset": self.inventory.name,
            "telemetry": self.telemetry.name if self.telemetry else None,
            **{k: _plain(v) for k, v in self.totals.items()},
            "halls": halls,
        }


def _plain(value: Any) -> Any:
    """JSON-friendly scalars: timestamps as ISO text, NaN as None, numpy numbers as Python ones."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    if hasattr(value, "isoformat"):
        return value.isoformat(sep=" ", timespec="seconds") if isinstance(value, pd.Timestamp) else value.isoformat()
    if hasattr(value, "item"):
        value = value.item()
        return None if isinstance(value, float) and value != value else value
    return value


def _rack_sql(inventory: DatasetInfo, telemetry: DatasetInfo | None) -> str:
    """Per rack: allocated, p95 and peak measured (NULL when unmeasured), from one of the two sources."""
    inv = inventory.table
    if telemetry is None:
        measured = f"SELECT rack_id, measured_kw AS p95, measured_kw AS peak FROM {inv} WHERE measured_kw IS NOT NULL"
    else:
        measured = (
            f"SELECT rack_id, percentile_cont(0.95) WITHIN GROUP (ORDER BY power_kw) AS p95, max(power_kw) AS peak "
            f"FROM {telemetry.table} GROUP BY rack_id"
        )
    return (
        f"WITH m AS ({measured}) "
        f"SELECT i.rack_id, coalesce(i.site, '') AS site, coalesce(i.hall, '') AS hall, coalesce(i.\"row\", '') AS \"row\", "
        "i.design_kw AS allocated_kw, m.p95 AS measured_p95_kw, m.peak AS measured_peak_kw, "
        "CASE WHEN m.p95 IS NOT NULL THEN greatest(i.design_kw - m.p95, 0) END AS stranded_kw, "
        "i.design_kw - m.peak AS headroom_kw, "
        "m.p95 / NULLIF(i.design_kw, 0) * 100 AS utilisation_pct "
        f"FROM {inv} i LEFT JOIN m USING (rack_id)"
    )


def _level_sql(keys: tuple[str, ...]) -> str:
    """Sums of the measured racks at one level, or the whole site without ``keys`` (racks
    without a measurement only counted)."""
    group = ", ".join(f'"{key}"' for key in keys)
    return (
        f"SELECT {group + ', ' if keys else ''}count(*) AS racks, count(measured_p95_kw) AS racks_measured, "
        "sum(allocated_kw) FILTER (WHERE measured_p95_kw IS NOT NULL) AS allocated_kw, "
        "sum(measured_p95_kw) AS measured_p95_kw, sum(measured_peak_kw) AS measured_peak_kw, "
        "sum(stranded_kw) AS stranded_kw, sum(headroom_kw) AS headroom_kw, "
        "sum(measured_p95_kw) / NULLIF(sum(allocated_kw) FILTER (WHERE measured_p95_kw IS NOT NULL), 0) * 100 "
        "AS utilisation_pct, count(*) FILTER (WHERE headroom_kw < 0) AS racks_over_allocation, "
        "coalesce(sum(allocated_kw) FILTER (WHERE measured_p95_kw IS NULL), 0) AS allocated_unmeasured_kw "
        "FROM stranded_racks" + (f" GROUP BY {group} ORDER BY {group}" if keys else "")
    )


def stranded(con: duckdb.DuckDBPyConnection, inventory: DatasetInfo, telemetry: DatasetInfo | None = None) -> Stranded:
    """Allocated against measured power of ``inventory``'s racks, measured by ``telemetry`` or its own column.

    Raises :class:`DatasetError` when ``inventory`` is not a rack inventory or
    ``telemetry`` not a telemetry dataset (per their specs' stored columns).
    """
    if not inventory.spec.stores("rack_id", "design_kw", "measured_kw", "site", "hall", "row"):
        raise DatasetError(f"stranded capacity needs a rack inventory; {inventory.name!r} is {inventory.kind}")
    if telemetry is not None and not telemetry.spec.stores("ts", "rack_id", "power_kw"):
        raise DatasetError(f"stranded capacity measures racks with telemetry; {telemetry.name!r} is {telemetry.kind}")
    cur = store.facility(con).cursor()
    try:
        cur.execute("DROP TABLE IF EXISTS stranded_racks")
        cur.execute(f"CREATE TEMP TABLE stranded_racks AS {_rack_sql(inventory, telemetry)}")
        racks = cur.execute('SELECT * FROM stranded_racks ORDER BY site, hall, "row", rack_id').df()
        rows = cur.execute(_level_sql(("site", "hall", "row"))).df()
        halls = cur.execute(_level_sql(("site", "hall"))).df()
        sites = cur.execute(_level_sql(("site",))).df()
        total = cur.execute(_level_sql(())).df()
        start = end = None
        unmatched = 0
        if telemetry is not None:
            start, end = cur.execute(f"SELECT min(ts), max(ts) FROM {telemetry.table}").fetchone()
            unmatched = cur.execute(
                f"SELECT count(DISTINCT rack_id) FROM {telemetry.table} WHERE rack_id NOT IN "
                f"(SELECT rack_id FROM {inventory.table})"
            ).fetchone()[0]
        cur.execute("DROP TABLE IF EXISTS stranded_racks")
    finally:
        cur.close()
    t = {k: _plain(v) for k, v in total.iloc[0].to_dict().items()}
    totals = {
        "period_start": _plain(start),
        "period_end": _plain(end),
        **{
            k: t[k]
            for k in (
                "allocated_kw",
                "measured_p95_kw",
                "measured_peak_kw",
                "stranded_kw",
                "headroom_kw",
                "utilisation_pct",
                "racks",
                "racks_measured",
                "racks_over_allocation",
                "allocated_unmeasured_kw",
            )
        },
        "racks_unmeasured": int(t["racks"]) - int(t["racks_measured"]),
        "telemetry_racks_not_in_inventory": int(unmatched),
    }
    return Stranded(inventory, telemetry, racks, rows, halls, sites, totals)


def utilisation_histogram(racks: pd.DataFrame) -> pd.DataFrame:
    """Measured racks per utilisation bin (0-10 %, ..., 110-120 %, 120 % and over), in bin order."""
    pct = racks["utilisation_pct"].dropna().astype(float)
    edges = list(range(0, UTILISATION_TOP_PCT + 1, UTILISATION_BIN_PCT))
    rows = []
    for lo, hi in zip(edges[:-1], edges[1:]):
        rows.append({"bin": f"{lo}-{hi}%", "low_pct": lo, "racks": int(((pct >= lo) & (pct < hi)).sum())})
    rows.append(
        {
            "bin": f"≥{UTILISATION_TOP_PCT}%",
            "low_pct": UTILISATION_TOP_PCT,
            "racks": int((pct >= UTILISATION_TOP_PCT).sum()),
        }
    )
    return pd.DataFrame(rows)


def telemetry_for(
    con: duckdb.DuckDBPyConnection, dataset_id: int | None, workspaces: list[str] | None
) -> DatasetInfo | None:
    """The telemetry dataset chosen to measure an inventory (None for the inventory's own column)."""
    if dataset_id is None:
        return None
    return catalog.get_dataset(con, dataset_id=int(dataset_id), workspaces=workspaces)


__all__ = ["Stranded", "stranded", "telemetry_for", "utilisation_histogram"]
