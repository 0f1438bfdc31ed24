"""The store package: settings read where a store is chosen, its own errors, recorded migrations."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from factorycore import db, scenarios, store
from factorycore.store import migrations
from factorycore.userdata import catalog

REPO = Path(__file__).resolve().parent.parent


def test_settings_come_from_the_mapping_given() -> None:
    config = store.StoreConfig.from_env({"FACTORY_STORE": "postgresql://u@h:5/d", "FACTORY_STORE_WAIT_S": "2.5"})
    assert config.team_url == "postgresql://u@h:5/d" and config.wait_s == 2.5
    assert store.StoreConfig.from_env({}).team_url is None
    with pytest.raises(store.StoreError, match="FACTORY_STORE must be 'embedded' or a postgresql://"):
        store.StoreConfig.from_env({"FACTORY_STORE": "mysql://x"})


def test_a_connection_keeps_the_store_it_was_opened_with(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The store is chosen once, when the connection is opened; a setting changed later is not looked up."""
    con = db.open_database(tmp_path / "kept.duckdb", build=False)
    try:
        monkeypatch.setenv("FACTORY_STORE", "postgresql://nobody@127.0.0.1:9/none")
        chosen = store.facility(con)
        assert not store.is_postgres(chosen) and chosen.in_duckdb
        assert catalog.list_datasets(con).empty  # read from the file, no server asked
    finally:
        con.close()


def _raises(store_or_con, sql: str, params: list | None = None) -> Exception:
    with store.facility(store_or_con).cursor() as cur, pytest.raises(store.StoreError) as caught:
        cur.execute(sql, params or [])
    return caught.value


def _errors_are_the_stores_own(con) -> None:
    scenarios.save(con, "one", {"fleet": 1})
    taken = _raises(con, f"INSERT INTO {scenarios.TABLE} VALUES ('one', '{{}}', now(), now(), NULL)")
    missing = _raises(con, "SELECT * FROM facility.nowhere")
    no_column = _raises(con, f"SELECT nothing_here FROM {scenarios.TABLE}")
    assert isinstance(taken, store.NameTaken)
    assert isinstance(missing, store.MissingObject)
    assert isinstance(no_column, store.MissingColumn)
    for error in (taken, missing, no_column):
        assert not isinstance(error, duckdb.Error)
        assert type(error).__module__ == "factorycore.store.errors"


def test_the_embedded_stores_errors_are_the_stores_own(fresh_db) -> None:
    _errors_are_the_stores_own(fresh_db)


def test_the_team_stores_errors_are_the_stores_own(team_url) -> None:
    con = store.shared_connection()
    assert store.is_postgres(store.facility(con))
    _errors_are_the_stores_own(con)


def _applied(con) -> list[str]:
    with store.facility(con).cursor() as cur:
        return [n for (n,) in cur.execute(f"SELECT name FROM {migrations.TABLE} ORDER BY name").fetchall()]


def test_migrations_are_named_ordered_and_recorded_once(tmp_path: Path) -> None:
    names = [m.name for m in migrations.MIGRATIONS]
    assert names == sorted(names) and len(set(names)) == len(names)
    path = tmp_path / "m.duckdb"
    con = store.open_database(path, build=False)
    try:
        catalog.list_datasets(con)
        assert _applied(con) == [m.name for m in migrations.MIGRATIONS if m.area == "catalog"]
        assert scenarios.names(con) == [], "reading scenarios creates nothing"
        scenarios.save(con, "p", {"fleet": 1})
        assert _applied(con) == [m.name for m in migrations.MIGRATIONS if m.area in ("catalog", "scenarios")]
    finally:
        con.close()
    again = store.open_database(path, build=False)
    try:
        facility = store.facility(again)
        assert migrations.apply(facility, "catalog") == [] and migrations.apply(facility, "scenarios") == []
        assert migrations.apply(facility, "identities") == ["0007_identities"]
        assert migrations.apply(facility, "profiles") == ["0008_ingest_profiles"]
        assert _applied(again) == names
    finally:
        again.close()


def test_a_cursor_while_a_team_store_is_in_use_is_an_error_not_the_wrong_store(team_url) -> None:
    con = store.shared_connection()
    assert store.is_postgres(store.facility(con))
    with con.cursor() as cur, pytest.raises(store.StoreError, match="pass the connection"):
        store.facility(cur)  # DuckDB cannot say whose cursor this is: the embedded file would be wrong
