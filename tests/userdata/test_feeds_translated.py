"""NetBox's power feeds exported with its French UI count a rack's redundant (B) feed once, as in English.

The French export writes the feed type "Redondant": read as a primary feed, each rack's capacity
was doubled (168.96 kW for the demo's 24 racks instead of 24 x 3.52 = 84.48 kW).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from factorycore.userdata import catalog, ingest, summary
from tests.corpus import locale_variants

REAL = Path(__file__).resolve().parents[1] / "realdata"
RACKS, FEED_VA = 24, 3520  # tests/realdata/README.md: a Primary and a Redundant feed per rack, 3,520 VA each


@pytest.mark.parametrize(
    "name", ["netbox_power_feeds_de.csv", "netbox_power_feeds_current_view_fr.csv", "netbox_feeds_current_view.csv"]
)
def test_translated_feeds_count_redundancy_once(name: str, ref_con, tmp_path: Path) -> None:
    path = tmp_path / name
    path.write_bytes(locale_variants.cases()[name])
    workspace = catalog.session_workspace("fe" * 8)
    result = ingest.ingest(ref_con, path, name=f"feeds-{name[:20]}", workspace=workspace)
    info = catalog.get_dataset(ref_con, dataset_id=result.dataset_id, workspaces=[workspace])
    found = summary.summarise(ref_con, info)
    assert found["feed_capacity_kw_total"] == pytest.approx(RACKS * FEED_VA / 1000)
    assert [r["feed_capacity_kw"] for r in found["racks"]] == pytest.approx([FEED_VA / 1000] * RACKS)


def test_feeds_of_other_racks_give_no_capacity_total_and_say_why(ref_con, tmp_path: Path) -> None:
    """FASRC's racks against the NetBox demo's feeds: no rack matches, so no total (not 0 kW), and a note."""
    workspace = catalog.session_workspace("fd" * 8)
    infos = {}
    for name in ("fasrc_ipmi_sys_power_with_rack.csv", "netbox_power_feeds.csv"):
        result = ingest.ingest(ref_con, REAL / name, name=name[:20], workspace=workspace)
        infos[name] = catalog.get_dataset(ref_con, dataset_id=result.dataset_id, workspaces=[workspace])
    found = summary.summarise(
        ref_con, infos["fasrc_ipmi_sys_power_with_rack.csv"], feeds=infos["netbox_power_feeds.csv"]
    )
    assert found["feed_capacity_kw_total"] is None
    assert any("none of the 4 racks" in n and "'holy7c126'" in n for n in found["notes"]), found["notes"]
