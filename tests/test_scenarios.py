"""factorycore.scenarios: named planner scenarios in facility.scenarios."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from factorycore import db, planner, scenarios, store
from tests.race_util import race


@pytest.fixture
def con(tmp_path):
    connection = db.open_database(tmp_path / "scenarios.duckdb", build=False)
    yield connection
    connection.close()


def test_save_list_load_delete(con):
    inputs = planner.PlanInputs(hardware_id="dgx_h100", count=12, technology="air", pue=1.5)
    assert scenarios.save(con, "  Hall A  ", inputs) is True  # trimmed
    assert scenarios.names(con) == ["Hall A"]
    loaded = scenarios.load(con, "Hall A")
    assert planner.from_dict(loaded) == (inputs, [])
    assert scenarios.delete(con, "Hall A") is True
    assert scenarios.names(con) == []
    assert scenarios.delete(con, "Hall A") is False
    with pytest.raises(scenarios.ScenarioError, match="no scenario"):
        scenarios.load(con, "Hall A")


def test_an_unused_store_reads_empty_without_creating_anything(con):
    assert scenarios.list_scenarios(con) == []
    tables = con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = 'scenarios'").fetchone()
    assert tables[0] == 0


def test_saving_again_replaces_and_keeps_created(con):
    assert scenarios.save(con, "s", {"count": 1}) is True
    first = scenarios.list_scenarios(con)[0]
    assert scenarios.save(con, "s", {"count": 2}) is False
    again = scenarios.list_scenarios(con)[0]
    assert scenarios.load(con, "s") == {"count": 2}
    assert again.created == first.created and again.updated >= first.updated
    with pytest.raises(scenarios.ScenarioError, match="exists already"):
        scenarios.save(con, "s", {"count": 3}, overwrite=False)
    assert scenarios.load(con, "s") == {"count": 2}


def test_most_recent_first(con):
    for name in ("one", "two", "three"):
        scenarios.save(con, name, {})
    scenarios.save(con, "one", {"count": 9})
    assert scenarios.names(con)[0] == "one"


@pytest.mark.parametrize("name", ["", "   ", "x" * 65, "tab\there", "new\nline", "nul\x00", "zero\u200bwidth", None, 3])
def test_bad_names_are_refused(con, name):
    with pytest.raises(scenarios.ScenarioError):
        scenarios.save(con, name, {})
    assert scenarios.names(con) == []


@pytest.mark.parametrize(
    "name",
    [
        "Robert'); DROP TABLE facility.scenarios;--",
        "<img src=x onerror=alert(1)>",
        "**bold** [link](http://x) :red[alert]",
        "Ünïcødé 数据中心 🚀",
        "x" * 64,
    ],
)
def test_awkward_names_are_stored_verbatim_as_values(con, name):
    scenarios.save(con, name, {"count": 4})
    scenarios.save(con, "other", {"count": 5})
    assert name in scenarios.names(con)
    assert scenarios.load(con, name) == {"count": 4}
    assert scenarios.delete(con, name)
    assert scenarios.names(con) == ["other"]


def test_inputs_must_be_json(con):
    with pytest.raises(scenarios.ScenarioError, match="JSON"):
        scenarios.save(con, "nan", {"pue": float("nan")})
    with pytest.raises(scenarios.ScenarioError, match="mapping"):
        scenarios.save(con, "list", [1, 2])
    assert scenarios.names(con) == []


def test_a_failed_write_rolls_back(con):
    scenarios.save(con, "keep", {"count": 1})
    real_cursor = con.cursor

    class Failing:
        def __init__(self, cur):
            self.cur = cur

        def execute(self, sql, params=None):
            if sql.startswith("UPDATE"):
                raise duckdb.InvalidInputException("simulated failure")
            return self.cur.execute(sql, params) if params is not None else self.cur.execute(sql)

        def close(self):
            self.cur.close()

    class Wrapper:  # DuckDB connections cannot be patched, so wrap one
        def cursor(self):
            return Failing(real_cursor())

    with pytest.raises(store.QueryFailed, match="simulated failure"):  # the engine's error, as the store's own
        scenarios.save(Wrapper(), "keep", {"count": 2})
    assert scenarios.load(con, "keep") == {"count": 1}
    # The connection is usable afterwards: no transaction was left open.
    scenarios.save(con, "keep", {"count": 3})
    assert scenarios.load(con, "keep") == {"count": 3}


def test_damaged_rows_give_a_clear_error(con):
    scenarios.ensure_table(con)
    con.execute(
        "INSERT INTO facility.scenarios (name, inputs_json, created, updated) VALUES (?, ?, now(), now())",
        ["bad", "{not json"],
    )
    con.execute(
        "INSERT INTO facility.scenarios (name, inputs_json, created, updated) VALUES (?, ?, now(), now())",
        ["list", json.dumps([1])],
    )
    for name in ("bad", "list"):
        with pytest.raises(scenarios.ScenarioError, match="damaged"):
            scenarios.load(con, name)


def test_scenarios_survive_closing_the_database(tmp_path):
    path = tmp_path / "persist.duckdb"
    first = db.open_database(path, build=False)
    scenarios.save(first, "kept", planner.PlanInputs(count=3))
    first.close()
    second = db.open_database(path, build=False)
    try:
        assert scenarios.names(second) == ["kept"]
        assert planner.from_dict(scenarios.load(second, "kept"))[0].count == 3
    finally:
        second.close()


def test_building_the_reference_schema_keeps_scenarios(tmp_path):
    path = tmp_path / "rebuild.duckdb"
    con = db.open_database(path)
    try:
        scenarios.save(con, "kept", {"count": 1})
        assert db.build_reference(con, force=True)
        assert scenarios.names(con) == ["kept"]
    finally:
        con.close()


def test_the_store_has_a_ceiling(con, monkeypatch):
    monkeypatch.setattr(scenarios, "MAX_SCENARIOS", 2)
    scenarios.save(con, "a", {})
    scenarios.save(con, "b", {})
    with pytest.raises(scenarios.ScenarioError, match="maximum"):
        scenarios.save(con, "c", {})
    scenarios.save(con, "a", {"count": 2})  # replacing is still allowed


def test_sessions_saving_the_same_new_name_at_once_all_succeed(con):
    """Red-team finding 2: the loser of the race hit the primary key or 'cannot rollback'."""
    for round_no in range(10):
        name = f"race {round_no}"
        errors = race(4, lambda i, name=name: scenarios.save(con, name, {"count": i}))
        assert not errors, [f"{type(e).__name__}: {e}" for e in errors]
        assert scenarios.names(con).count(name) == 1
        assert scenarios.load(con, name)["count"] in range(4)


def test_without_overwrite_the_losers_get_the_clear_message(con):
    errors = race(4, lambda i: scenarios.save(con, "only one", {"count": i}, overwrite=False))
    assert len(errors) == 3
    assert all(isinstance(e, scenarios.ScenarioError) and "exists already" in str(e) for e in errors), errors


def test_first_saves_on_a_brand_new_database_race_safely(tmp_path: Path):
    """Finding 8: sessions creating the store at the same moment (catalog write-write conflict)."""
    for round_no in range(5):
        fresh = db.open_database(tmp_path / f"new{round_no}.duckdb", build=False)
        try:
            errors = race(4, lambda i, fresh=fresh: scenarios.save(fresh, f"s{i}", {"count": i}))
            assert not errors, [f"{type(e).__name__}: {e}" for e in errors]
            assert sorted(scenarios.names(fresh)) == ["s0", "s1", "s2", "s3"]
        finally:
            fresh.close()


def test_a_failed_commit_reports_its_own_error_not_the_rollback(con):
    """db.transaction: DuckDB ends a transaction whose COMMIT failed; its ROLLBACK must not mask that."""
    con.execute("CREATE TABLE t (k INTEGER PRIMARY KEY)")
    with pytest.raises(duckdb.TransactionException) as caught:
        with con.cursor() as loser, db.transaction(loser):
            loser.execute("INSERT INTO t VALUES (1)")
            with con.cursor() as winner, db.transaction(winner):  # a second cursor, committed first
                winner.execute("INSERT INTO t VALUES (1)")
    assert "duplicate key" in str(caught.value) and "cannot rollback" not in str(caught.value)
    assert con.execute("SELECT count(*) FROM t").fetchone()[0] == 1
