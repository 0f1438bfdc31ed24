"""The sum rule computed once at ingest and kept (``<table>_racks``): every figure read from it equals the same
figure computed from the readings, in both stores; a stated bucket or a host map reads the readings."""

from __future__ import annotations

from pathlib import Path

import pytest

from factorycore import db, site_plan, store
from factorycore.userdata import aggregate, catalog, ingest, rack_power, stranded, summary
from tests.userdata.test_rollups import RACKS, _telemetry


def _figures(frame) -> dict[str, float]:
    return {f"{r.rack_id} {k}": float(getattr(r, k)) for r in frame.itertuples() for k in frame.columns[1:]}


def _check(con, tmp_path: Path) -> None:
    result = ingest.ingest(con, _telemetry(tmp_path / "pdus.csv"), name="PDUs kept")
    info = catalog.get_dataset(con, dataset_id=result.dataset_id, workspaces=[catalog.SHARED])
    # The data's own interval was read once, when the sums were kept, and is kept in the catalog row.
    assert info.details[rack_power.INTERVAL_KEY] == pytest.approx(60.0)
    kept = rack_power.basis(con, info)
    readings = rack_power.basis(con, info, from_readings=True)
    assert kept.sums_table == rack_power.sums_table_of(info) and readings.sums_table is None
    with store.facility(con).cursor() as cur:
        rows = cur.execute(f"SELECT count(*) FROM {kept.sums_table}").fetchone()[0]
        raw = cur.execute(f"SELECT count(*) FROM {info.table}").fetchone()[0]
    assert rows * 2 > raw  # racks x minutes, against two PDUs per rack less the missed minutes
    assert _figures(rack_power.rack_figures(con, kept)) == pytest.approx(
        _figures(rack_power.rack_figures(con, readings)), rel=1e-12
    )
    assert rack_power.site_figures(con, kept) == pytest.approx(rack_power.site_figures(con, readings), rel=1e-12)
    # Every consumer: summary, stranded, the density view, Start from my site.
    racks = tmp_path / "racks.csv"
    racks.write_text("rack_id,design_kw\n" + "".join(f"{r},12\n" for r in RACKS))
    inventory = catalog.get_dataset(con, dataset_id=ingest.ingest(con, racks, name="Racks kept").dataset_id)
    by_kept = stranded.stranded(con, inventory, info).totals
    assert by_kept["stranded_kw"] > 0
    with store.facility(con).cursor() as cur:
        cur.execute(f"ALTER TABLE {kept.sums_table} RENAME TO {kept.sums_table.split('.')[-1]}_aside")
    try:
        assert rack_power.basis(con, info).sums_table is None  # without the kept sums: the readings, same figures
        again = stranded.stranded(con, inventory, info).totals
        numbers = [k for k, v in by_kept.items() if isinstance(v, float)]
        assert numbers and {k: again[k] for k in numbers} == pytest.approx({k: by_kept[k] for k in numbers}, rel=1e-12)
    finally:
        with store.facility(con).cursor() as cur:
            cur.execute(f"ALTER TABLE {kept.sums_table}_aside RENAME TO {kept.sums_table.split('.')[-1]}")
    assert summary.summarise(con, info)["site_p95_kw"] == pytest.approx(
        rack_power.site_figures(con, readings)["site_p95_kw"]
    )
    assert not aggregate.rack_kw(con, info).empty
    assert site_plan.site_inputs(con, telemetry=info).value("target_it_mw") is not None
    # A stated bucket other than the data's own reads the readings.
    assert rack_power.basis(con, info, bucket_s=300).sums_table is None
    assert rack_power.basis(con, info, bucket_s=60).sums_table is not None  # the data's own, stated
    catalog.delete_dataset(con, info.dataset_id, [catalog.SHARED])
    assert rack_power.kept_sums(con, info) is None


def test_kept_sums_embedded(tmp_path):
    con = db.open_database(tmp_path / "k.duckdb", build=False)
    try:
        _check(con, tmp_path)
    finally:
        con.close()


def test_kept_sums_team_store(team_url, tmp_path):
    _check(db.shared_connection(), tmp_path)
