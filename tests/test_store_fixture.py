"""A store written before the store package existed opens and works: datasets, a view, a scenario.

``tests/fixtures/store_2026-12-06.duckdb.gz`` was written by the code as it was on
2026-12-06 (``tests/fixtures/make_store.py``): four shared datasets of different kinds,
one private one, and two scenarios (one owned). It is unpacked to a temporary file, so
the migrations that run on open never change the committed copy.
"""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import pytest

from factorycore import db, scenarios
from factorycore.userdata import aggregate, catalog, ingest
from factorycore.views import site

FIXTURE = Path(__file__).parent / "fixtures" / "store_2026-12-06.duckdb.gz"
PRIVATE = catalog.session_workspace("ab" * 8)


@pytest.fixture
def old_store(tmp_path: Path):
    path = tmp_path / "old.duckdb"
    with gzip.open(FIXTURE, "rb") as packed, path.open("wb") as out:
        shutil.copyfileobj(packed, out)
    con = db.open_database(path)
    yield con
    con.close()


def test_a_store_from_before_lists_its_datasets(old_store) -> None:
    shared = catalog.list_datasets(old_store)
    assert list(shared["name"]) == ["Devices", "Site meter", "Hall A telemetry", "Hall A racks"]
    assert list(shared["kind"]) == ["devices", "meter", "telemetry", "racks"]
    assert list(shared["rows_accepted"]) == [5, 336, 576, 240]
    both = catalog.list_datasets(old_store, [PRIVATE, catalog.SHARED])
    assert "Feeds draft" in set(both["name"])


def test_a_store_from_before_draws_its_views(old_store) -> None:
    racks = catalog.get_dataset(old_store, name="Hall A racks")
    summary = aggregate.rack_summary(old_store, racks)
    assert len(summary) > 0
    tel = catalog.get_dataset(old_store, name="Hall A telemetry")
    view = site.power_over_time_view(old_store, tel)
    assert len(view.rows) > 0


def test_a_store_from_before_loads_and_keeps_its_scenarios(old_store) -> None:
    assert set(scenarios.names(old_store)) == {"Board plan", "Owned plan"}
    assert scenarios.load(old_store, "Owned plan") == {"fleet": 2048}
    owners = {s.name: s.owner for s in scenarios.list_scenarios(old_store)}
    # An owner recorded as a bare e-mail waits for its user to claim it (migration owner_email_keys_v1).
    assert owners["Owned plan"] == "email:alice@example.com"
    with pytest.raises(scenarios.ScenarioError):
        scenarios.save(old_store, "Owned plan", {"fleet": 1}, user="bob@example.com")


def test_a_store_from_before_records_its_migrations_without_changing_its_data(old_store) -> None:
    from factorycore import store
    from factorycore.store import migrations

    catalog.list_datasets(old_store)
    scenarios.names(old_store)
    with store.facility(old_store).cursor() as cur:
        applied = [n for (n,) in cur.execute(f"SELECT name FROM {migrations.TABLE} ORDER BY name").fetchall()]
    assert applied == [m.name for m in migrations.MIGRATIONS if m.area in ("catalog", "scenarios")]
    assert len(catalog.list_datasets(old_store)) == 4 and len(scenarios.names(old_store)) == 2


def test_a_store_from_before_takes_new_datasets_and_keeps_names_unique(old_store) -> None:
    repo = Path(__file__).resolve().parent.parent
    with pytest.raises(catalog.DatasetError, match="already exists"):
        ingest.ingest(old_store, repo / "data/samples/racks_sample.csv", name="hall a RACKS")
    added = ingest.ingest(old_store, repo / "data/samples/racks_sample.csv", name="Hall B racks")
    assert added.dataset_id == 6 and added.rows_accepted == 240
