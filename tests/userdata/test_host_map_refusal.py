"""DCGM power with a host-to-rack map that lists none of its hosts is refused, naming the map as the fix.

Before, every row was set aside for a missing rack_id and the message said to check "the mapping, the
units and the file's date and number format", none of which was the cause (the NetBox demo's devices
do not list the aicr evidence's gpu-node-1 and gpu-node-2).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from factorycore.userdata import catalog, ingest
from factorycore.userdata.detect import UnreadableFile

REAL = Path(__file__).resolve().parents[1] / "realdata"
AICR = REAL / "prom_instant_query_power_aicr.json"


def _devices(con, tmp_path: Path, name: str, body: bytes, workspace: str) -> catalog.DatasetInfo:
    path = tmp_path / f"{name}.csv"
    path.write_bytes(body)
    result = ingest.ingest(con, path, name=name, workspace=workspace)
    return catalog.get_dataset(con, dataset_id=result.dataset_id, workspaces=[workspace])


def test_a_map_without_any_of_the_hosts_is_refused_with_the_fix(ref_con, tmp_path: Path) -> None:
    workspace = catalog.session_workspace("ad" * 8)
    netbox = _devices(ref_con, tmp_path, "nb-devices", (REAL / "netbox_devices.csv").read_bytes(), workspace)
    with pytest.raises(UnreadableFile) as refused:
        ingest.ingest(ref_con, AICR, name="aicr-on-netbox", workspace=workspace, host_racks=netbox)
    message = str(refused.value)
    assert "none of the file's 2 host(s)" in message and "'gpu-node-1'" in message
    assert "'nb-devices'" in message and "host-to-rack map that lists these hosts" in message


def test_a_map_with_some_of_the_hosts_still_stores_those(ref_con, tmp_path: Path) -> None:
    workspace = catalog.session_workspace("ae" * 8)
    partial = _devices(ref_con, tmp_path, "one-node", b"Name,Rack\ngpu-node-1,B01\n", workspace)
    result = ingest.ingest(ref_con, AICR, name="aicr-partial", workspace=workspace, host_racks=partial)
    assert (result.rows_accepted, result.rows_rejected) == (8, 8)  # gpu-node-1's 8 GPUs stored on B01
