"""One dataset's figures in one object: what ``summary`` prints, My facility shows and the report quotes.

For power readings (telemetry) every figure comes from :mod:`factorycore.userdata.rack_power`,
the one rule: a rack's power per bucket is the sum of its sources, each source's readings
averaged in the bucket. Per rack: the p95 and the peak of those sums. The site's p95 is
the p95 of the per-bucket *site* sums (racks summed per bucket), which is at most the sum
of the racks' p95s (racks do not all peak together). Energy is the sum over buckets of the
site's power times the bucket, over the buckets with readings.

Feed capacity per rack counts a rack's redundant (B) feeds once: the sum of its primary
feeds (see :func:`factorycore.userdata.stranded.feed_capacity_sql`).
"""

from __future__ import annotations

import statistics
from typing import Any

import duckdb

from factorycore import store
from factorycore.userdata import rack_power
from factorycore.userdata.catalog import DatasetError, DatasetInfo
from factorycore.userdata.kinds.spec import ROLE_FEED_CAPACITY, ROLE_POWER_READINGS
from factorycore.userdata.stranded import _plain, feed_capacity_sql


def _rows(con: Any, sql: str, params: list[Any] | None = None) -> list[tuple]:
    cur = store.facility(con).cursor()
    try:
        return cur.execute(sql, params or []).fetchall()
    finally:
        cur.close()


def _round(value: Any, digits: int | None = None) -> float | None:
    """A plain float (None for none); rounded only where asked: the figures stay exact, the CLI rounds."""
    value = _plain(value)
    if value is None:
        return None
    return float(value) if digits is None else round(float(value), digits)


def rounded(result: Any, digits: int = 4) -> Any:
    """``result`` with every float rounded to ``digits`` decimals (for printing)."""
    if isinstance(result, float):
        return round(result, digits)
    if isinstance(result, dict):
        return {k: rounded(v, digits) for k, v in result.items()}
    if isinstance(result, list):
        return [rounded(v, digits) for v in result]
    return result


def reading_notes(info: DatasetInfo) -> list[str]:
    """How the file was read, from the catalog's details: units, date order, separators, mapping, profile,
    and what a conversion found (MIG de-duplication, host labels, stamped times)."""
    details = info.details or {}
    notes: list[str] = []
    units = details.get("units") or {}
    if units:
        notes.append("units: " + ", ".join(f"{field} read in {unit}" for field, unit in sorted(units.items())))
    if details.get("timestamp_format"):
        notes.append(f"timestamps read as {details['timestamp_format']}")
    if details.get("date_order"):
        notes.append(f"date order: {details['date_order']}")
    if details.get("header_line") and int(details["header_line"]) > 1:
        notes.append(f"header on line {details['header_line']}")
    separators = []
    if details.get("delimiter"):
        separators.append(f"columns separated by {details['delimiter']!r}")
    if details.get("decimal_comma"):
        separators.append("decimal comma")
    decimals = details.get("decimals") or {}
    if isinstance(decimals, dict) and decimals:
        separators.append("decimal marks: " + ", ".join(f"{f} {m!r}" for f, m in sorted(decimals.items())))
    if separators:
        notes.append("separators: " + ", ".join(separators))
    mapping = details.get("mapping") or {}
    if mapping:
        notes.append("columns: " + ", ".join(f"{field} <- {header!r}" for field, header in mapping.items()))
    if details.get("profile"):
        notes.append(f"profile used: {details['profile']}")
    notes.extend(str(n) for n in details.get("notes") or [])
    conversion = details.get("conversion") or {}
    if conversion:
        notes.append(f"converted from {conversion.get('source_format')}")
        notes.extend(str(n) for n in conversion.get("notes", []))
    return notes


def _feeds_per_rack(con: Any, feeds: DatasetInfo) -> dict[str, float]:
    return {str(r[0]): float(r[1]) for r in _rows(con, feed_capacity_sql(feeds)) if r[1] is not None}


def _design_per_rack(con: Any, inventory: DatasetInfo) -> dict[str, float]:
    return {
        str(r[0]): float(r[1])
        for r in _rows(con, f"SELECT rack_id, max(design_kw) FROM {inventory.table} GROUP BY rack_id")
        if r[1] is not None
    }


def _check(info: DatasetInfo | None, what: str, ok: bool) -> None:
    if info is not None and not ok:
        raise DatasetError(f"{info.name!r} is {info.kind}, not {what}")


def _unmatched(listed: set[str], per_rack: dict[str, float], what: str, source: DatasetInfo, total: str) -> list[str]:
    """A note when racks of the readings have no ``what`` in ``source`` (rack names that differ, another site)."""
    missing = sorted(listed - set(per_rack))
    if not listed or not missing:
        return []
    shown = ", ".join(repr(r[:40]) for r in missing[:5]) + (", ..." if len(missing) > 5 else "")
    if len(missing) == len(listed):
        return [
            f"{total}: none of the {len(listed):,} racks ({shown}) has a {what} in {source.name!r} "
            f"(its racks are named otherwise, e.g. {sorted(per_rack)[0][:40]!r}): no total"
        ]
    return [f"{total}: {len(missing):,} of {len(listed):,} racks have no {what} in {source.name!r}: {shown}"]


def summarise(
    con: duckdb.DuckDBPyConnection,
    info: DatasetInfo,
    *,
    bucket_s: int | None = None,
    host_map: DatasetInfo | None = None,
    feeds: DatasetInfo | None = None,
    inventory: DatasetInfo | None = None,
) -> dict[str, Any]:
    """The dataset's summary: kind, rows, period, level, sources per rack, racks (p95 and peak kW), site p95 and
    peak, design and feed capacity totals, energy, and notes that say how each was computed.

    ``bucket_s`` states the bucket (default: the data's own interval); ``host_map`` rolls nodes up to racks;
    ``feeds`` and ``inventory`` add each rack's feed capacity and design kW.
    """
    _check(feeds, "power feeds", feeds is None or feeds.spec.has_role(ROLE_FEED_CAPACITY))
    _check(inventory, "a rack inventory", inventory is None or inventory.spec.stores("rack_id", "design_kw"))
    out: dict[str, Any] = {
        "dataset": info.name,
        "kind": info.kind,
        "rows": int(info.rows_accepted),
        "rows_rejected": int(info.rows_rejected),
        "period_start": None,
        "period_end": None,
        "level": rack_power.LEVEL_RACK,
        "bucket": None,
        "sources_per_rack": None,
        "racks": [],
        "site_p95_kw": None,
        "site_peak_kw": None,
        "design_kw_total": None,
        "feed_capacity_kw_total": None,
        "energy_kwh": None,
        "notes": [],
    }
    notes: list[str] = []
    design = _design_per_rack(con, inventory) if inventory is not None else {}
    capacity = _feeds_per_rack(con, feeds) if feeds is not None else {}
    if info.spec.has_role(ROLE_POWER_READINGS):
        _power(con, info, out, notes, bucket_s, host_map)
    elif info.spec.has_role(ROLE_FEED_CAPACITY):
        capacity = capacity or _feeds_per_rack(con, info)
        out["racks"] = [{"rack_id": r, "p95_kw": None, "peak_kw": None} for r in sorted(capacity)]
        notes.append(
            "feed capacity per rack: the sum of its primary feeds' available power; a redundant (B) feed is "
            "not added (it carries the same load when A fails); a rack with redundant feeds only: the largest"
        )
    elif info.spec.stores("rack_id", "design_kw"):
        design = design or _design_per_rack(con, info)
        measured = {}
        if info.spec.stores("measured_kw"):
            measured = {
                str(r[0]): float(r[1])
                for r in _rows(con, f"SELECT rack_id, max(measured_kw) FROM {info.table} GROUP BY rack_id")
                if r[1] is not None
            }
        ids = sorted(set(design) | set(measured))
        out["racks"] = [{"rack_id": r, "p95_kw": measured.get(r), "peak_kw": measured.get(r)} for r in ids]
        if measured:
            notes.append("measured_kw is one value per rack: its p95 and peak are that value")
    elif info.spec.stores("ts"):
        start, end = _rows(con, f"SELECT min(ts), max(ts) FROM {info.table}")[0]
        out["period_start"], out["period_end"] = _plain(start), _plain(end)
    if not (info.spec.has_role(ROLE_POWER_READINGS) or out["racks"]):
        out["level"] = None  # no power per rack or node in this kind (a meter, a device list)
    for rack in out["racks"]:
        if design:
            rack["design_kw"] = design.get(rack["rack_id"])
        if capacity:
            rack["feed_capacity_kw"] = capacity.get(rack["rack_id"])
    listed = {r["rack_id"] for r in out["racks"]}
    if design:
        out["design_kw_total"] = _round(sum(v for r, v in design.items() if r in listed or not listed))
        notes.extend(_unmatched(listed, design, "design kW", inventory or info, "design_kw_total"))
    if capacity:
        out["feed_capacity_kw_total"] = _round(sum(v for r, v in capacity.items() if r in listed or not listed))
        notes.extend(_unmatched(listed, capacity, "feed", feeds or info, "feed_capacity_kw_total"))
        if listed and not listed & set(capacity):
            out["feed_capacity_kw_total"] = None  # no rack matched: not a capacity of zero
    if design and listed and not listed & set(design):
        out["design_kw_total"] = None
        if feeds is not None or info.spec.has_role(ROLE_FEED_CAPACITY):
            notes.append("feed_capacity_kw_total: redundancy counted once per rack")
    if design and listed:
        notes.append("design_kw_total: the design kW of the racks listed")
    out["notes"] = notes + reading_notes(info)
    return out


def _power(
    con: Any, info: DatasetInfo, out: dict[str, Any], notes: list[str], bucket_s: int | None, host_map: Any
) -> None:
    """The power-readings part of :func:`summarise` (in place)."""
    b = rack_power.basis(con, info, bucket_s=bucket_s, host_map=host_map)
    start, end = rack_power.period(con, info)
    figures = rack_power.rack_figures(con, b)
    site = rack_power.site_figures(con, b)
    out.update(
        {
            "period_start": _plain(start),
            "period_end": _plain(end),
            "level": b.level,
            "bucket": b.bucket_label,
            "bucket_s": b.bucket_s,
            "site_p95_kw": _round(site["site_p95_kw"]),
            "site_peak_kw": _round(site["site_peak_kw"]),
            "site_mean_kw": _round(site["site_mean_kw"]),
            "buckets": site["buckets"],
            "energy_kwh": _round(site["energy_kwh"]),
        }
    )
    entries = [
        {
            "rack_id": str(r.rack_id),
            "p95_kw": _round(r.p95_kw),
            "peak_kw": _round(r.peak_kw),
            "mean_kw": _round(r.mean_kw),
            "sources": _plain(r.sources),
        }
        for r in figures.itertuples()
    ]
    if b.level == rack_power.LEVEL_NODE:
        out["nodes"] = [{"node": e.pop("rack_id"), **e} for e in entries]
        out["racks"] = []
        out["sources_per_node"] = _plain(statistics.median(figures["sources"])) if len(figures) else None
        notes.append(
            "level node: the readings are per node (host) and no host-to-rack map was given, so no rack figures; "
            "nodes are not ranked against rack densities"
        )
    else:
        out["racks"] = entries
        out["sources_per_rack"] = _plain(statistics.median(figures["sources"])) if len(figures) else None
    notes.append(b.describe())
    notes.append(
        "sources per rack: the median over racks of the sources summed in a bucket (each rack's median)"
        if b.level == rack_power.LEVEL_RACK
        else "sources per node: the median over nodes of the sources (GPUs, sensors or feeds, as the file names "
        "them) summed in a bucket"
    )
    notes.append(
        f"site p95 = the 95th percentile of the per-bucket site sums ({b.level}s summed per bucket), "
        f"not the sum of each {b.level}'s p95"
    )
    missing = int(figures["missing_readings"].sum()) if len(figures) else 0
    expected = int((figures["max_sources"] * figures["buckets"]).sum()) if len(figures) else 0
    if missing:
        notes.append(
            f"{missing:,} of {expected:,} source readings ({missing / expected:.1%}) are missing from their "
            f"{b.level}'s buckets (each {b.level} counted at its most sources): a source without a reading in a "
            "bucket adds nothing to it; state a longer bucket if sources report at different rates"
        )
    if site["energy_kwh"] is None:
        notes.append("energy: none for a single instant (no duration)")
    else:
        notes.append("energy: the sum over buckets with readings of the site's power x the bucket length")
    if site["buckets"] == 1:
        notes.append("a single instant: one bucket, so p95 and peak are that instant's power")
    if b.host_map is not None:
        count, names = rack_power.unmapped_nodes(con, b)
        notes.append(
            f"nodes rolled up to racks by {b.host_map.name!r}"
            + (f"; {count} node(s) not in it left out: {', '.join(names)}" if count else "")
        )


__all__ = ["reading_notes", "rounded", "summarise"]
