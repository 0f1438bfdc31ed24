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
inventory by ``rack_id``: each rack's p95 and maximum over the telemetry's period of its
per-bucket power, the sum of its sources (:mod:`factorycore.userdata.rack_power`, the one
rule; node readings roll up through a host-to-rack map).

Where a rack has no design kW, its power feeds' capacity stands as its allocation (a
dataset with the ``feed_capacity`` role, such as NetBox's power feeds): the sum of its
primary feeds' available power, a redundant (B) feed not added, since it carries the
same load when A fails (a rack with only redundant feeds: the largest one). A feeds
dataset may also stand as the inventory itself. ``allocation_basis`` says which.

Rows, halls and sites sum their racks' figures; a hall's ``measured_p95_kw`` is
therefore the sum of each rack's p95, which is at least the hall's coincident p95
(racks do not all peak together), so the stranded figure is a floor, not a ceiling.
Only racks with a measurement enter the sums; racks without one are counted in
``racks_unmeasured`` and ``allocated_unmeasured_kw``. Everything is computed in the store.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import duckdb
import pandas as pd

from factorycore import store
from factorycore.userdata import catalog, rack_power
from factorycore.userdata.catalog import DatasetError, DatasetInfo
from factorycore.userdata.kinds.spec import ROLE_FEED_CAPACITY

# Utilisation histogram: 10 % bins, the last open-ended (over allocation).
UTILISATION_BIN_PCT = 10
UTILISATION_TOP_PCT = 120


@dataclass(frozen=True)
class Stranded:
    """Stranded capacity of one inventory: per rack, row, hall and site, and the site totals."""

    inventory: DatasetInfo
    telemetry: DatasetInfo | None
    feeds: DatasetInfo | None
    # rack_id, site, hall, row, allocated_kw, allocation_basis, design_kw, feed_capacity_kw, measured_p95_kw,
    # measured_peak_kw, stranded_kw, headroom_kw, utilisation_pct
    racks: pd.DataFrame
    rows: pd.DataFrame
    halls: pd.DataFrame
    sites: pd.DataFrame
    totals: dict[str, Any]

    def as_dict(self) -> dict[str, Any]:
        """The CLI's JSON object (keys documented in docs/command-line.md)."""
        halls = [{k: _plain(v) for k, v in r.items()} for r in self.halls.to_dict("records")]
        return {
            "dataset": self.inventory.name,
            "telemetry": self.telemetry.name if self.telemetry else None,
            "feeds": self.feeds.name if self.feeds else None,
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


# NetBox's "Redundant" feed type as its UIs write it: English and German "Redundant", French
# "Redondant" (netbox/translations/{de,fr}/LC_MESSAGES/django.po). Constants, never user text, in the SQL.
REDUNDANT_FEED_WORDS = ("redundant", "redondant")


def feed_capacity_sql(feeds: DatasetInfo) -> str:
    """Per rack: ``rack_id, feed_capacity_kw, feeds, site`` from a feeds dataset, redundancy counted once
    (the sum of the non-redundant feeds; a rack with redundant feeds only: the largest)."""
    redundant = " OR ".join(f"lower(coalesce(feed_type, '')) LIKE '{word}%'" for word in REDUNDANT_FEED_WORDS)
    redundant = f"({redundant})"
    return (
        "SELECT rack_id, coalesce(sum(available_kw) FILTER (WHERE NOT "
        f"{redundant}), max(available_kw)) AS feed_capacity_kw, count(*) AS feeds, min(site) AS site "
        f"FROM {feeds.table} WHERE rack_id IS NOT NULL AND available_kw IS NOT NULL GROUP BY rack_id"
    )


def _rack_sql(
    con: duckdb.DuckDBPyConnection,
    inventory: DatasetInfo,
    telemetry: DatasetInfo | None,
    feeds: DatasetInfo | None,
    basis: rack_power.Basis | None,
) -> tuple[str, list]:
    """Per rack: allocated (design kW, else feed capacity), p95 and peak measured (NULL when unmeasured)."""
    params: list = []
    if inventory.spec.has_role(ROLE_FEED_CAPACITY) and not inventory.spec.stores("design_kw"):
        inv = (
            f"SELECT rack_id, site, '' AS hall, '' AS \"row\", CAST(NULL AS DOUBLE PRECISION) AS design_kw, "
            f"measured_kw FROM (SELECT rack_id, min(site) AS site, CAST(NULL AS DOUBLE PRECISION) AS measured_kw "
            f"FROM {inventory.table} WHERE rack_id IS NOT NULL GROUP BY rack_id) f"
        )
        feeds = inventory
    else:
        inv = f'SELECT rack_id, site, hall, "row", design_kw, measured_kw FROM {inventory.table}'
        if feeds is not None:  # racks with feeds but not in the inventory: allocated by their feeds
            inv += (
                " UNION ALL SELECT rack_id, min(site), '', '', CAST(NULL AS DOUBLE PRECISION), "
                "CAST(NULL AS DOUBLE PRECISION) "
                f"FROM {feeds.table} WHERE rack_id IS NOT NULL AND rack_id NOT IN "
                f"(SELECT rack_id FROM {inventory.table} WHERE rack_id IS NOT NULL) GROUP BY rack_id"
            )
    if basis is None:
        measured = (
            f"SELECT rack_id, measured_kw AS p95, measured_kw AS peak FROM ({inv}) x WHERE measured_kw IS NOT NULL"
        )
    else:
        sql, params = rack_power.rack_buckets_sql(con, basis)
        measured = (
            "SELECT rack_id, percentile_cont(0.95) WITHIN GROUP (ORDER BY kw) AS p95, max(kw) AS peak "
            f"FROM ({sql}) rb GROUP BY rack_id"
        )
    cap = (
        feed_capacity_sql(feeds)
        if feeds is not None
        else (
            "SELECT CAST(NULL AS VARCHAR) AS rack_id, CAST(NULL AS DOUBLE PRECISION) AS feed_capacity_kw, 0 AS feeds, "
            "CAST(NULL AS VARCHAR) AS site WHERE false"
        )
    )
    allocated = "coalesce(i.design_kw, c.feed_capacity_kw)"
    return (
        f"WITH m AS ({measured}), c AS ({cap}), i AS ({inv}) "
        "SELECT i.rack_id, coalesce(i.site, '') AS site, coalesce(i.hall, '') AS hall, "
        'coalesce(i."row", \'\') AS "row", '
        f"{allocated} AS allocated_kw, CASE WHEN i.design_kw IS NOT NULL THEN 'design' "
        "WHEN c.feed_capacity_kw IS NOT NULL THEN 'feed capacity' END AS allocation_basis, "
        "i.design_kw AS design_kw, c.feed_capacity_kw AS feed_capacity_kw, "
        "m.p95 AS measured_p95_kw, m.peak AS measured_peak_kw, "
        f"CASE WHEN m.p95 IS NOT NULL THEN greatest({allocated} - m.p95, 0) END AS stranded_kw, "
        f"{allocated} - m.peak AS headroom_kw, "
        f"m.p95 / NULLIF({allocated}, 0) * 100 AS utilisation_pct "
        "FROM i LEFT JOIN m ON m.rack_id = i.rack_id LEFT JOIN c ON c.rack_id = i.rack_id",
        params,
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


def stranded(
    con: duckdb.DuckDBPyConnection,
    inventory: DatasetInfo,
    telemetry: DatasetInfo | None = None,
    *,
    feeds: DatasetInfo | None = None,
    host_map: DatasetInfo | None = None,
    bucket_s: int | None = None,
) -> Stranded:
    """Allocated against measured power of ``inventory``'s racks, measured by ``telemetry`` or its own column.

    ``inventory`` is a rack inventory or a feeds dataset; ``feeds`` gives the allocation of racks without a
    design kW; ``host_map`` rolls node telemetry up to racks; ``bucket_s`` states the bucket. Raises
    :class:`DatasetError` when a dataset is of the wrong kind (per its spec's stored columns and roles).
    """
    is_feeds = inventory.spec.has_role(ROLE_FEED_CAPACITY) and not inventory.spec.stores("design_kw")
    if not is_feeds and not inventory.spec.stores("rack_id", "design_kw", "measured_kw", "site", "hall", "row"):
        raise DatasetError(
            f"stranded capacity needs a rack inventory or power feeds; {inventory.name!r} is {inventory.kind}"
        )
    if is_feeds:
        feeds = inventory
    if is_feeds and telemetry is None:
        raise DatasetError(
            f"{inventory.name!r} holds power feeds, not measurements: add telemetry to measure its racks"
        )
    if feeds is not None and not feeds.spec.has_role(ROLE_FEED_CAPACITY):
        raise DatasetError(f"{feeds.name!r} is {feeds.kind}, not power feeds (rack, feed type, available power)")
    basis = rack_power.basis(con, telemetry, host_map=host_map, bucket_s=bucket_s) if telemetry is not None else None
    if basis is not None and basis.level != rack_power.LEVEL_RACK:
        raise DatasetError(
            f"{telemetry.name!r} holds power per node, not per rack: give a host-to-rack map to roll its nodes up"
        )
    rack_sql, params = _rack_sql(con, inventory, telemetry, feeds, basis)
    cur = store.facility(con).cursor()
    try:
        cur.execute("DROP TABLE IF EXISTS stranded_racks")
        cur.execute(f"CREATE TEMP TABLE stranded_racks AS {rack_sql}", params)
        racks = cur.execute('SELECT * FROM stranded_racks ORDER BY site, hall, "row", rack_id').df()
        rows = cur.execute(_level_sql(("site", "hall", "row"))).df()
        halls = cur.execute(_level_sql(("site", "hall"))).df()
        sites = cur.execute(_level_sql(("site",))).df()
        total = cur.execute(_level_sql(())).df()
        by_feed = cur.execute(
            "SELECT count(*) FROM stranded_racks WHERE allocation_basis = 'feed capacity'"
        ).fetchone()[0]
        start = end = None
        unmatched = 0
        if basis is not None:
            start, end = cur.execute(f"SELECT min(ts), max(ts) FROM {telemetry.table}").fetchone()
            sql, p = rack_power.rack_buckets_sql(con, basis)
            unmatched = cur.execute(
                f"SELECT count(DISTINCT rack_id) FROM ({sql}) rb "
                "WHERE rack_id NOT IN (SELECT rack_id FROM stranded_racks)",
                p,
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
        "racks_allocated_by_feed_capacity": int(by_feed),
        "measured_by": basis.describe() if basis is not None else "the inventory's measured_kw column",
    }
    return Stranded(inventory, telemetry, feeds, racks, rows, halls, sites, totals)


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


def dataset_for(
    con: duckdb.DuckDBPyConnection, dataset_id: int | None, workspaces: list[str] | None
) -> DatasetInfo | None:
    """A dataset chosen beside an inventory (telemetry, feeds, a host map), or None."""
    if dataset_id is None:
        return None
    return catalog.get_dataset(con, dataset_id=int(dataset_id), workspaces=workspaces)


telemetry_for = dataset_for  # the name the page has used

__all__ = ["Stranded", "dataset_for", "feed_capacity_sql", "stranded", "telemetry_for", "utilisation_histogram"]
