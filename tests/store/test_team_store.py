"""The team store (PostgreSQL) gives the same datasets and numbers as the embedded one, and survives its server.

Each sample is ingested into a fresh embedded file and into a fresh PostgreSQL
database; every aggregation the pages draw must agree between the two.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import psycopg
import pytest

from factorycore import db, pgstore, scenarios, site_plan, store
from factorycore.userdata import aggregate, catalog, ingest, stranded, summary

REPO = Path(__file__).resolve().parents[2]
SAMPLES = ("racks", "telemetry", "meter", "devices", "power_feeds")


def _load(con) -> dict[str, catalog.DatasetInfo]:
    for kind in SAMPLES:
        ingest.ingest(con, REPO / f"data/samples/{kind}_sample.csv", name=kind)
    return {kind: catalog.get_dataset(con, name=kind) for kind in SAMPLES}


def _figures(con, ds: dict[str, catalog.DatasetInfo]) -> dict[str, object]:
    tel, racks, meter = ds["telemetry"], ds["racks"], ds["meter"]
    return {
        "power_over_time": aggregate.telemetry_power_over_time(con, tel),
        "hottest": aggregate.hottest_racks(con, tel),
        "pue": aggregate.pue_over_time(con, meter),
        "meter": aggregate.meter_summary(con, meter),
        "rack_kw": aggregate.rack_kw(con, racks),
        "telemetry_rack_kw": aggregate.rack_kw(con, tel),
        "summary": summary.summarise(con, tel, inventory=racks),
        "feeds_summary": summary.summarise(con, ds["power_feeds"]),
        "rack_summary": aggregate.rack_summary(con, racks),
        "measured_vs_design": aggregate.measured_vs_design(con, racks, max_points=50),
        "stranded": stranded.stranded(con, racks, tel).as_dict(),
        "site_inputs": [
            (m.field, m.value) for m in site_plan.site_inputs(con, meter=meter, telemetry=tel, inventory=racks).measured
        ],
        "rejects": catalog.rejects_frame(con, racks),
        "rows": {k: (v.rows_accepted, v.rows_rejected) for k, v in ds.items()},
    }


def _same(a: object, b: object, where: str) -> None:
    if isinstance(a, pd.DataFrame):
        pd.testing.assert_frame_equal(
            a.reset_index(drop=True),
            b.reset_index(drop=True),
            check_dtype=False,
            check_exact=False,
            rtol=1e-9,
            obj=where,
        )
    elif isinstance(a, dict):
        assert a.keys() == b.keys(), where
        for key in a:
            _same(a[key], b[key], f"{where}.{key}")
    elif isinstance(a, (list, tuple)):
        assert len(a) == len(b), where
        for i, (x, y) in enumerate(zip(a, b)):
            _same(x, y, f"{where}[{i}]")
    elif isinstance(a, float):
        assert a == pytest.approx(b, rel=1e-9), where
    else:
        assert a == b, where


def test_every_aggregation_matches_the_embedded_store(fresh_db, team_url) -> None:
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv("FACTORY_STORE")
        embedded = _figures(fresh_db, _load(fresh_db))
    con = db.shared_connection()
    assert store.is_postgres(store.facility(con))
    team = _figures(con, _load(con))
    assert team["rows"]["racks"] == (240, 0)
    _same(embedded, team, "figures")


def test_catalog_rules_hold_on_the_team_store(team_url) -> None:
    con = db.shared_connection()
    racks = ingest.ingest(con, REPO / "data/samples/racks_sample.csv", name="Hall A")
    with pytest.raises(catalog.DatasetError, match="already exists"):
        ingest.ingest(con, REPO / "data/samples/racks_sample.csv", name="hall a")
    private = catalog.session_workspace("ab" * 8)
    mine = ingest.ingest(con, REPO / "data/samples/meter_sample.csv", name="Hall A", workspace=private)
    with pytest.raises(catalog.DatasetError, match="shared workspace already has"):
        catalog.save_to_shared(con, mine.dataset_id, private)
    assert catalog.save_to_shared(con, mine.dataset_id, private, name="Meter A") == "Meter A"
    catalog.delete_dataset(con, racks.dataset_id, [catalog.SHARED])
    with psycopg.connect(team_url) as pg:
        tables = {
            r[0] for r in pg.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = 'facility'")
        }
    left = catalog.get_dataset(con, name="Meter A")
    assert tables - {"migrations"} == {"datasets", left.table_name, left.rejects_table}, (
        "a deleted dataset leaves no table"
    )
    assert list(catalog.list_datasets(con)["name"]) == ["Meter A"]
    assert scenarios.save(con, "Plan 1", {"fleet": 1024})
    assert not scenarios.save(con, "Plan 1", {"fleet": 2048})
    assert scenarios.load(con, "Plan 1") == {"fleet": 2048}
    assert scenarios.delete(con, "Plan 1") and scenarios.names(con) == []


def test_a_server_restart_gives_a_clear_message_then_recovers_without_a_restart(postgres, team_url) -> None:
    con = db.shared_connection()
    ingest.ingest(con, REPO / "data/samples/racks_sample.csv", name="before")
    assert list(catalog.list_datasets(con)["name"]) == ["before"]
    postgres.stop()
    try:
        with pytest.raises(pgstore.StoreUnavailable, match="not answering.*no restart needed"):
            catalog.list_datasets(con)
        with pytest.raises(pgstore.StoreUnavailable):
            scenarios.save(con, "while down", {"fleet": 1})
    finally:
        postgres.start()
    assert list(catalog.list_datasets(con)["name"]) == ["before"], "the same process reads again"
    ingest.ingest(con, REPO / "data/samples/meter_sample.csv", name="after")
    assert set(catalog.list_datasets(con)["name"]) == {"before", "after"}


def test_a_bad_store_setting_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FACTORY_STORE", "mysql://somewhere")
    with pytest.raises(db.DatabaseError, match="FACTORY_STORE must be 'embedded' or a postgresql://"):
        store.team_url()


def test_move_store_copies_an_embedded_store_into_postgresql(tmp_path: Path, team_url) -> None:
    from factorycore.cli import main

    source = tmp_path / "old.duckdb"
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv("FACTORY_STORE")
        old = db.open_database(source)
        try:
            _load(old)
            scenarios.save(old, "Board plan", {"fleet": 4096})
            before = _figures(old, {k: catalog.get_dataset(old, name=k) for k in SAMPLES})
        finally:
            old.close()
    con = db.shared_connection()
    ingest.ingest(con, REPO / "data/samples/racks_sample.csv", name="racks")  # already taken in the team store
    assert main(["move-store", "--from", str(source), "--format", "json"]) == 0
    assert set(catalog.list_datasets(con)["name"]) == set(SAMPLES)
    assert scenarios.load(con, "Board plan") == {"fleet": 4096}
    moved = {k: catalog.get_dataset(con, name=k) for k in SAMPLES}
    after = _figures(con, moved)
    del before["rows"], after["rows"]
    _same(before, after, "moved")
    from factorycore.userdata import rollups

    readings = [info for info in moved.values() if info.kind == "telemetry"]
    assert readings and all(rollups.stored(con, info) is not None for info in readings), "moved readings get rollups"
    assert main(["move-store", "--from", str(source), "--format", "json"]) == 0, "a second move skips, not fails"
    assert len(catalog.list_datasets(con)) == len(SAMPLES)
