"""The database layer: `ref` follows the CSVs, `facility` survives every rebuild."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import duckdb
import pytest

from factorycore import db, reference, schema
from factorycore.store import reference_build


@pytest.fixture
def data_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private copy of data/ the test may edit; db reads from it."""
    copy = tmp_path / "data"
    shutil.copytree(db.REFERENCE_DIR, copy / "reference")
    shutil.copy(db.SOURCES_CSV, copy / "sources.csv")
    monkeypatch.setattr(reference_build, "REFERENCE_DIR", copy / "reference")
    monkeypatch.setattr(reference_build, "SOURCES_CSV", copy / "sources.csv")
    return copy


def _append_row(path: Path, row: str) -> None:
    with path.open("a", encoding="utf-8") as handle:
        handle.write(row + "\n")


def test_every_reference_table_is_built_with_its_columns(fresh_db: duckdb.DuckDBPyConnection) -> None:
    for table, columns in schema.TABLES.items():
        described = fresh_db.execute(f"DESCRIBE ref.{table}").fetchall()
        assert [(name, kind) for name, kind, *_ in described] == list(columns.items())
        assert fresh_db.execute(f"SELECT count(*) FROM ref.{table}").fetchone()[0] > 0


def test_rebuild_happens_only_when_csvs_change(data_copy: Path, tmp_path: Path) -> None:
    con = db.open_database(tmp_path / "a.duckdb")
    assert db.build_reference(con) is False
    before = con.execute("SELECT count(*) FROM ref.electricity").fetchone()[0]
    _append_row(
        data_copy / "reference" / "electricity.csv",
        "2031,global,test_case,1.0,iea_energy_ai_2025,modelled,test row,,,",
    )
    assert db.build_reference(con) is True
    assert con.execute("SELECT count(*) FROM ref.electricity").fetchone()[0] == before + 1
    con.close()


def test_rebuild_never_touches_facility_schema(data_copy: Path, tmp_path: Path) -> None:
    con = db.open_database(tmp_path / "b.duckdb")
    con.execute("CREATE TABLE facility.my_racks (rack_id VARCHAR, design_kw DOUBLE)")
    con.execute("INSERT INTO facility.my_racks VALUES (?, ?), (?, ?)", ["r1", 12.5, "r2", 40.0])
    _append_row(data_copy / "sources.csv", "zz_test,Test,Test source,2026,https://example.org,firm,")
    assert db.build_reference(con) is True
    assert db.build_reference(con, force=True) is True
    con.close()
    reopened = db.open_database(tmp_path / "b.duckdb")
    assert reopened.execute("SELECT * FROM facility.my_racks ORDER BY rack_id").fetchall() == [
        ("r1", 12.5),
        ("r2", 40.0),
    ]
    reopened.close()


def test_a_broken_csv_keeps_the_previous_build(data_copy: Path, tmp_path: Path) -> None:
    con = db.open_database(tmp_path / "c.duckdb")
    good_hash = db.stored_reference_hash(con)
    rows_before = con.execute("SELECT count(*) FROM ref.rack_density").fetchone()[0]
    _append_row(data_copy / "reference" / "rack_density.csv", "not-a-year,x,average,abc,s,reported,")
    with pytest.raises(duckdb.Error):
        db.build_reference(con)
    assert db.stored_reference_hash(con) == good_hash
    assert con.execute("SELECT count(*) FROM ref.rack_density").fetchone()[0] == rows_before
    con.close()


def test_missing_csv_is_a_clear_error(data_copy: Path, tmp_path: Path) -> None:
    (data_copy / "reference" / "stack.csv").unlink()
    with pytest.raises(db.DatabaseError, match="stack.csv"):
        db.open_database(tmp_path / "d.duckdb")


def test_factory_db_overrides_the_path(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("FACTORY_DB", str(tmp_path / "elsewhere.duckdb"))
    assert db.db_path() == tmp_path / "elsewhere.duckdb"
    monkeypatch.delenv("FACTORY_DB")
    assert db.db_path() == db.DEFAULT_DB_PATH


def test_parameters_are_bound_not_spliced(ref_con: duckdb.DuckDBPyConnection) -> None:
    hostile = "x' OR '1'='1"
    frame = db.query_df(ref_con, "SELECT * FROM ref.sources WHERE source_id = ?", [hostile])
    assert frame.empty
    assert reference.sources_for(ref_con, [hostile]).empty


def test_threads_share_one_connection_through_cursors(ref_con: duckdb.DuckDBPyConnection) -> None:
    expected = len(reference.rack_density(ref_con))
    counts: list[int] = []
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            for _ in range(20):
                counts.append(len(reference.rack_density(ref_con)))
        except BaseException as exc:  # noqa: BLE001 - surfaced by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert counts == [expected] * 160


def test_shared_connection_is_one_per_path(tmp_path: Path) -> None:
    first = db.shared_connection(tmp_path / "s.duckdb")
    assert db.shared_connection(tmp_path / "s.duckdb") is first


def test_transaction_commits_or_rolls_back_whatever_escapes(tmp_path: Path) -> None:
    con = db.open_database(tmp_path / "tx.duckdb", build=False)
    try:
        con.execute("CREATE TABLE facility.t (x INTEGER)")
        with db.transaction(con):
            con.execute("INSERT INTO facility.t VALUES (1)")
        for escaping in (ValueError("bad row"), KeyboardInterrupt()):
            with pytest.raises(type(escaping)):
                with db.transaction(con):
                    con.execute("INSERT INTO facility.t VALUES (2)")
                    raise escaping
        assert con.execute("SELECT x FROM facility.t").fetchall() == [(1,)]
    finally:
        con.close()


def test_a_failing_rollback_does_not_hide_the_cause(tmp_path: Path) -> None:
    con = db.open_database(tmp_path / "tx2.duckdb", build=False)
    try:
        with pytest.raises(ZeroDivisionError):
            with db.transaction(con):
                con.execute("ROLLBACK")  # the transaction is gone: the helper's ROLLBACK will fail too
                raise ZeroDivisionError
        assert con.execute("SELECT 1").fetchone() == (1,)
    finally:
        con.close()
