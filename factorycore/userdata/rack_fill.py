"""A row's rack from a host-to-rack map, for a file that names devices but not racks.

NetBox's Power Ports list has a Device column and no Rack column: a port's rack is its
device's. With a host-to-rack map (a dataset whose kind has the ``host_rack_map`` role:
device -> rack_id, such as a NetBox Devices export) given at ingest, each row's ``rack_id`` is
looked up by its device. Only devices the map places in exactly one rack are used: NetBox
shows unnamed devices all as "Unnamed device", and a name found in two racks says nothing
about either. The notes count what was looked up and what was not.
"""

from __future__ import annotations

import duckdb

from factorycore import store
from factorycore.userdata.catalog import DatasetError, DatasetInfo
from factorycore.userdata.detect import Detection
from factorycore.userdata.kinds import KindSpec
from factorycore.userdata.kinds.spec import ROLE_HOST_RACK_MAP


def applies(det: Detection, spec: KindSpec) -> bool:
    """Whether the file names devices, the kind stores a rack, and the file has no rack column."""
    return (
        spec.has_field("rack_id")
        and spec.has_field("device")
        and "device" in det.mapping
        and "rack_id" not in det.mapping
    )


def build(
    team: store.FacilityStore, cur: duckdb.DuckDBPyConnection, host_racks: DatasetInfo, table: str
) -> tuple[int, int]:
    """Create the temp table ``table`` (device, rack_id) on ``cur`` from ``host_racks`` (in the facility store
    ``team``); (devices kept, left out).

    Refuses a dataset that is not a host-to-rack map.
    """
    if not host_racks.spec.has_role(ROLE_HOST_RACK_MAP):
        raise DatasetError(
            f"{host_racks.name!r} cannot map devices to racks: it is {host_racks.kind}, not a host-to-rack map "
            "(a dataset of devices and their racks)"
        )
    if not team.in_duckdb:
        with team.cursor() as pg:
            pairs = pg.execute(
                f"SELECT device, rack_id FROM {host_racks.table} WHERE device IS NOT NULL AND rack_id IS NOT NULL"
            ).fetchall()
        cur.execute(f"CREATE TEMP TABLE {table}_pairs (device VARCHAR, rack_id VARCHAR)")
        if pairs:
            cur.executemany(f"INSERT INTO {table}_pairs VALUES (?, ?)", pairs)
        source = f"{table}_pairs"
    else:
        source = f"(SELECT device, rack_id FROM {host_racks.table} WHERE device IS NOT NULL AND rack_id IS NOT NULL)"
    cur.execute(
        f"CREATE TEMP TABLE {table} AS SELECT device, any_value(rack_id) AS rack_id, count(DISTINCT rack_id) AS racks "
        f"FROM {source} GROUP BY device"
    )
    kept, left_out = cur.execute(
        f"SELECT count(*) FILTER (WHERE racks = 1), count(*) FILTER (WHERE racks > 1) FROM {table}"
    ).fetchone()
    cur.execute(f"DELETE FROM {table} WHERE racks > 1")
    return int(kept), int(left_out)


def value_sql(table: str, device_expr: str) -> str:
    """SQL: the rack of the device ``device_expr`` in the map ``table`` (NULL where it has none)."""
    return f"(SELECT m.rack_id FROM {table} m WHERE m.device = {device_expr})"


def note(host_racks: DatasetInfo, kept: int, left_out: int) -> str:
    """What the lookup did, for the dataset's notes."""
    text = f"rack_id looked up by device in {host_racks.name!r} ({kept:,} devices with one rack each)"
    if left_out:
        text += f"; {left_out:,} device name(s) stand in more than one rack there and were not used"
    return text


def drop(cur: duckdb.DuckDBPyConnection, table: str) -> None:
    """Remove the temp tables :func:`build` made."""
    for name in (table, f"{table}_pairs"):
        try:
            cur.execute(f"DROP TABLE IF EXISTS {name}")
        except duckdb.Error:
            pass
